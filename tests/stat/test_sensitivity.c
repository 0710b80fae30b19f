/*
 * test_sensitivity.c - the given-data first-order indices
 * (analysis/sensitivity.h) on cases with a known answer.
 *
 * Y = 3 X1 + X2 + 2 X3 + e, X1, X2 uniform on [0, 1], X3 a fair choice of
 * 0 or 1, e normal with sd 0.5, all independent: Var Y = 9/12 + 1/12 + 1 +
 * 0.25, and the first-order index of each input is its own term's variance
 * over that; the rest (here the noise e alone, no interactions) is
 * 0.25 / Var Y. n = 4000 rows drawn from fixed seeds; each true value must
 * lie in its 95 % bootstrap interval (the bootstrap's seed is fixed too, so
 * the test is deterministic), and the interval must be narrow enough to
 * tell the inputs apart (half-width below 0.06).
 */
#include "sensitivity.h"

#include "rng.h"

#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#define N 4000

Test(sensitivity, additive_inputs_with_known_shares_fall_in_their_intervals)
{
    dcs_err err;
    gsl_rng *r = dcs_rng_create(&err);
    cr_assert_not_null(r);
    double *x = malloc(3 * N * sizeof *x), *y = malloc(N * sizeof *y);
    dcs_rng_key(r, 2385, 0, 1);
    for (int i = 0; i < N; i++) {
        x[i] = gsl_rng_uniform(r);
        x[N + i] = gsl_rng_uniform(r);
        x[2 * N + i] = gsl_rng_uniform(r) < 0.5 ? 0.0 : 1.0;
        y[i] = 3.0 * x[i] + x[N + i] + 2.0 * x[2 * N + i] + gsl_ran_gaussian(r, 0.5);
    }
    gsl_rng_free(r);
    const double v = 9.0 / 12.0 + 1.0 / 12.0 + 1.0 + 0.25;
    const double want[4] = {0.75 / v, (1.0 / 12.0) / v, 1.0 / v, 0.25 / v};
    double s[4], lo[4], hi[4];
    size_t used = 0;
    cr_assert_eq(dcs_sens_first_order(x, 3, y, N, s, lo, hi, &used, &err), 0);
    cr_assert_eq(used, (size_t)N);
    for (int j = 0; j < 4; j++) {
        cr_expect(lo[j] <= want[j] && want[j] <= hi[j],
                  "input %d: true index %.4f outside the interval [%.4f, %.4f] (estimate %.4f)", j,
                  want[j], lo[j], hi[j], s[j]);
        cr_expect(hi[j] - lo[j] < 0.12, "input %d: interval [%.4f, %.4f] too wide", j, lo[j],
                  hi[j]);
    }
    free(x);
    free(y);
}

Test(sensitivity, an_input_that_does_not_matter_gets_about_zero)
{
    /* Y depends on X1 only; X2 is independent of it: S2's interval holds 0. */
    dcs_err err;
    gsl_rng *r = dcs_rng_create(&err);
    double *x = malloc(2 * N * sizeof *x), *y = malloc(N * sizeof *y);
    dcs_rng_key(r, 4771, 0, 1);
    for (int i = 0; i < N; i++) {
        x[i] = gsl_rng_uniform(r);
        x[N + i] = gsl_rng_uniform(r);
        y[i] = x[i] * x[i] + gsl_ran_gaussian(r, 0.1);
    }
    gsl_rng_free(r);
    double s[3], lo[3], hi[3];
    size_t used = 0;
    cr_assert_eq(dcs_sens_first_order(x, 2, y, N, s, lo, hi, &used, &err), 0);
    cr_expect(lo[1] <= 0.0 && 0.0 <= hi[1], "S2 interval [%.4f, %.4f] excludes 0 (S2 %.4f)", lo[1],
              hi[1], s[1]);
    cr_expect(s[0] > 0.8, "S1 = %.4f", s[0]);
    free(x);
    free(y);
}

Test(sensitivity, too_few_rows_or_no_spread_give_nan)
{
    dcs_err err;
    double x[5] = {1, 2, 3, 4, 5}, y[5] = {1, 2, 3, 4, 5}, z[20] = {0}, xz[20];
    for (int i = 0; i < 20; i++)
        xz[i] = i;
    double s[2], lo[2], hi[2];
    size_t used = 0;
    cr_assert_eq(dcs_sens_first_order(x, 1, y, 5, s, lo, hi, &used, &err), 0);
    cr_expect(isnan(s[0]) && isnan(s[1]));
    cr_assert_eq(dcs_sens_first_order(xz, 1, z, 20, s, lo, hi, &used, &err), 0);
    cr_expect(isnan(s[0]) && used == 20);
}
