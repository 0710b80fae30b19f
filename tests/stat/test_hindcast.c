/*
 * test_hindcast.c - the hindcast's figures of fit (analysis/hindcast.h), computed from the
 * shipped series (scenarios/data/gpu-rental-monthly.csv, through hindcast-2023.yaml's
 * market.observed) and a fixed seed, stay within the bounds the scenario's calibration gives.
 *
 * Measured (seed 1, 200 replications, the shipped calibration): median absolute log error of
 * the median path 0.108, 10 of the 11 published months inside the 90 % band (0.91); with seed
 * 7 and 1,000 replications 0.104 and 9 of 11 (0.82).
 *
 * Bounds, from the Monte Carlo error of these estimates: the 200-replication median of a
 * month's price has a standard error of about 1.2533 sd / sqrt(200) in log price, sd (the
 * spread of the paths' log price, (ln p95 - ln p5) / 3.29) about 0.10, so 0.009; three of
 * them on the measured 0.108 give 0.135, the bound on the error. The band's ends are the
 * 5th and 95th percentiles of 200 values, each uncertain by about sqrt(0.05 x 0.95 / 200) =
 * 0.015 in probability, which moves an observation near an end in or out: the other seed
 * lost one month of the 11, and the bound allows two (8 of 11, 0.727).
 *
 * Without the demand surge the same figures are 0.264 and 0.73: the error bound fails it,
 * so the test can tell a calibrated market from one that misses the 2023 peak.
 */
#include "hindcast.h"
#include "load.h"

#include <criterion/criterion.h>
#include <stdlib.h>

#define SCENARIO DCSIM_SOURCE_DIR "/scenarios/lib/hindcast-2023.yaml"

static const double max_error = 0.135;         /* median absolute log error (see above) */
static const double min_coverage = 8.0 / 11.0; /* share inside the 90 % band (see above) */

static void hindcast(const char *const *sets, size_t nsets, dcs_hindcast *h)
{
    dcs_scenario *s = malloc(sizeof *s);
    cr_assert_not_null(s);
    dcs_err err;
    dcs_err_clear(&err);
    char buf[768];
    cr_assert_eq(dcs_scenario_load(SCENARIO, sets, nsets, s, NULL, &err), 0, "%s",
                 dcs_err_format(&err, buf, sizeof buf));
    cr_assert_eq(dcs_hindcast_run(s, 1, 200, h, &err), 0, "%s",
                 dcs_err_format(&err, buf, sizeof buf));
    free(s);
}

Test(hindcast, the_calibrated_market_matches_the_published_months)
{
    dcs_hindcast *h = malloc(sizeof *h);
    cr_assert_not_null(h);
    hindcast(NULL, 0, h);
    cr_assert_eq(h->npublished, 11, "the shipped series' published H100 months");
    cr_assert_eq(h->rows[0].month, 2023 * 12, "from January 2023");
    cr_assert_leq(h->median_abs_log_error, max_error);
    cr_assert_geq(h->coverage, min_coverage);
    /* The band holds the median, and its months are simulated from the start. */
    for (int r = 0; r < h->nrows; r++) {
        cr_assert(h->rows[r].simulated);
        cr_assert(h->rows[r].p05 <= h->rows[r].median && h->rows[r].median <= h->rows[r].p95);
    }
    free(h);
}

Test(hindcast, a_market_without_the_2023_surge_fails_the_bound)
{
    static const char *const sets[] = {"market.shocks[0].factor=1"};
    dcs_hindcast *h = malloc(sizeof *h);
    cr_assert_not_null(h);
    hindcast(sets, 1, h);
    cr_assert_gt(h->median_abs_log_error, max_error);
    free(h);
}
