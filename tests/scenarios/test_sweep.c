/*
 * test_sweep.c - sweep files: the points and labels of grid, zip and
 * variant blocks and their products, Latin hypercube strata, the Sobol
 * sequence, values in SI units, the scenario of a point against the base
 * with the same --set, and determinism.
 */
#include "expect.h"

#include <criterion/new/assert.h>
#include <gsl/gsl_qrng.h>
#include <math.h>
#include <stdio.h>

#define DATA DCSIM_SOURCE_DIR "/tests/scenarios/data/"

static void expect_labels(const dcs_sweep *s, const char *const *want, size_t n)
{
    cr_assert_eq(dcs_sweep_npoints(s), n);
    for (size_t p = 0; p < n; p++)
        cr_assert_str_eq(dcs_sweep_label(s, p), want[p], "point %zu", p);
}

Test(sweep, grid_gives_every_combination_with_the_last_key_fastest)
{
    dcs_sweep *s = expect_sweep(SWEEP_HEAD "  - grid:\n"
                                           "      checkpoint.interval: [30min, 1h, 2h]\n"
                                           "      checkpoint.write_bandwidth: [1TB/s, 2TB/s]\n");
    static const char *const want[] = {
        "checkpoint.interval=30min checkpoint.write_bandwidth=1TB/s",
        "checkpoint.interval=30min checkpoint.write_bandwidth=2TB/s",
        "checkpoint.interval=1h checkpoint.write_bandwidth=1TB/s",
        "checkpoint.interval=1h checkpoint.write_bandwidth=2TB/s",
        "checkpoint.interval=2h checkpoint.write_bandwidth=1TB/s",
        "checkpoint.interval=2h checkpoint.write_bandwidth=2TB/s",
    };
    expect_labels(s, want, 6);
    cr_assert_eq(dcs_sweep_nkeys(s), 2);
    cr_assert_str_eq(dcs_sweep_key(s, 0), "checkpoint.interval");
    cr_assert_str_eq(dcs_sweep_key(s, 1), "checkpoint.write_bandwidth");
    cr_assert_str_eq(dcs_sweep_value_text(s, 3, 0), "1h");
    cr_assert_str_eq(dcs_sweep_value_text(s, 3, 1), "2TB/s");
    cr_assert_str_eq(dcs_sweep_name(s), "s");
    dcs_sweep_destroy(s);
}

Test(sweep, zip_takes_its_lists_in_step)
{
    dcs_sweep *s = expect_sweep(SWEEP_HEAD "  - zip:\n"
                                           "      cluster.spare_nodes: [0, 8, 16]\n"
                                           "      cluster.repair_capacity: [1, 2, 4]\n");
    static const char *const want[] = {
        "cluster.spare_nodes=0 cluster.repair_capacity=1",
        "cluster.spare_nodes=8 cluster.repair_capacity=2",
        "cluster.spare_nodes=16 cluster.repair_capacity=4",
    };
    expect_labels(s, want, 3);
    dcs_scenario *sc = malloc(sizeof *sc);
    cr_assert_not_null(sc);
    dcs_err err;
    cr_assert_eq(dcs_sweep_point_scenario(s, 2, sc, NULL, &err), 0);
    cr_assert_eq(sc->cluster.spare_nodes, 16);
    cr_assert_eq(sc->cluster.repair_capacity, 4);
    free(sc);
    dcs_sweep_destroy(s);
}

Test(sweep, blocks_multiply_with_the_last_block_fastest)
{
    /* 2 (grid) x 2 (zip) x 2 (variants) = 8 points. */
    dcs_sweep *s = expect_sweep(SWEEP_HEAD "  - grid:\n"
                                           "      checkpoint.interval: [30min, 2h]\n"
                                           "  - zip:\n"
                                           "      cluster.spare_nodes: [4, 8]\n"
                                           "      cluster.repair_capacity: [1, 2]\n"
                                           "  - variants:\n"
                                           "      - {label: baseline}\n"
                                           "      - {label: big, set: {cluster.nodes: 32}}\n");
    static const char *const want[] = {
        "checkpoint.interval=30min cluster.spare_nodes=4 cluster.repair_capacity=1 baseline",
        "checkpoint.interval=30min cluster.spare_nodes=4 cluster.repair_capacity=1 big",
        "checkpoint.interval=30min cluster.spare_nodes=8 cluster.repair_capacity=2 baseline",
        "checkpoint.interval=30min cluster.spare_nodes=8 cluster.repair_capacity=2 big",
        "checkpoint.interval=2h cluster.spare_nodes=4 cluster.repair_capacity=1 baseline",
        "checkpoint.interval=2h cluster.spare_nodes=4 cluster.repair_capacity=1 big",
        "checkpoint.interval=2h cluster.spare_nodes=8 cluster.repair_capacity=2 baseline",
        "checkpoint.interval=2h cluster.spare_nodes=8 cluster.repair_capacity=2 big",
    };
    expect_labels(s, want, 8);
    cr_assert_eq(dcs_sweep_nkeys(s), 4);
    cr_assert_str_eq(dcs_sweep_key(s, 3), "cluster.nodes");
    /* A variant that leaves a key alone gives no value for it. */
    cr_assert_str_eq(dcs_sweep_value_text(s, 6, 3), "");
    cr_assert_str_eq(dcs_sweep_value_text(s, 7, 3), "32");
    cr_assert(isnan(dcs_sweep_value_si(s, 6, 3, NULL)));
    dcs_scenario *sc = malloc(sizeof *sc);
    cr_assert_not_null(sc);
    dcs_err err;
    cr_assert_eq(dcs_sweep_point_scenario(s, 7, sc, NULL, &err), 0);
    cr_assert_eq(sc->checkpoint.interval_s, 7200.0);
    cr_assert_eq(sc->cluster.spare_nodes, 8);
    cr_assert_eq(sc->cluster.nodes, 32);
    cr_assert_eq(dcs_sweep_point_scenario(s, 6, sc, NULL, &err), 0);
    cr_assert_eq(sc->cluster.nodes, 16);
    free(sc);
    dcs_sweep_destroy(s);
}

Test(sweep, a_later_block_wins_and_the_label_leaves_out_the_value_it_replaces)
{
    dcs_sweep *s =
        expect_sweep(SWEEP_HEAD "  - zip:\n"
                                "      cluster.spare_nodes: [8, 16]\n"
                                "      cluster.repair_capacity: [1, 2]\n"
                                "  - variants:\n"
                                "      - {label: baseline}\n"
                                "      - {label: no-spares, set: {cluster.spare_nodes: 0}}\n");
    static const char *const want[] = {
        "cluster.spare_nodes=8 cluster.repair_capacity=1 baseline",
        "cluster.repair_capacity=1 no-spares",
        "cluster.spare_nodes=16 cluster.repair_capacity=2 baseline",
        "cluster.repair_capacity=2 no-spares",
    };
    expect_labels(s, want, 4);
    cr_assert_str_eq(dcs_sweep_value_text(s, 2, 0), "16");
    cr_assert_str_eq(dcs_sweep_value_text(s, 3, 0), "0");
    dcs_scenario *sc = malloc(sizeof *sc);
    cr_assert_not_null(sc);
    dcs_err err;
    cr_assert_eq(dcs_sweep_point_scenario(s, 3, sc, NULL, &err), 0);
    cr_assert_eq(sc->cluster.spare_nodes, 0);
    cr_assert_eq(sc->cluster.repair_capacity, 2);
    free(sc);
    dcs_sweep_destroy(s);
}

Test(sweep, set_applies_to_every_point_and_stays_out_of_the_labels)
{
    dcs_sweep *s = expect_sweep(SWEEP_INLINE "set:\n"
                                             "  cluster.spare_nodes: 3\n"
                                             "design:\n"
                                             "  - grid: {checkpoint.interval: [30min, 2h]}\n");
    static const char *const want[] = {"checkpoint.interval=30min", "checkpoint.interval=2h"};
    expect_labels(s, want, 2);
    cr_assert_eq(dcs_sweep_nkeys(s), 2);
    cr_assert_str_eq(dcs_sweep_key(s, 0), "cluster.spare_nodes");
    cr_assert_str_eq(dcs_sweep_value_text(s, 1, 0), "3");
    dcs_scenario *sc = malloc(sizeof *sc);
    cr_assert_not_null(sc);
    dcs_err err;
    cr_assert_eq(dcs_sweep_point_scenario(s, 1, sc, NULL, &err), 0);
    cr_assert_eq(sc->cluster.spare_nodes, 3);
    cr_assert_eq(sc->checkpoint.interval_s, 7200.0);
    free(sc);
    dcs_sweep_destroy(s);
}

Test(sweep, values_come_in_si_units_with_their_unit)
{
    dcs_sweep *s = expect_sweep("name: s\n"
                                "base:\n"
                                "  name: b\n"
                                "  cluster: {accelerator: H100-SXM-80GB, nodes: 16}\n"
                                "  job: {flops: 1e24, mfu: 0.4}\n"
                                "  checkpoint: {size: 1TB, write_bandwidth: 1TB/s}\n"
                                "  failures:\n"
                                "    - {name: gpu, scope: accelerator, annual_failure_rate: 2%, "
                                "repair_time: 2d}\n"
                                "design:\n"
                                "  - grid:\n"
                                "      restart.overhead: [7.5min]\n"
                                "      checkpoint.read_bandwidth: [2.5GiB/s]\n"
                                "      cluster.spare_nodes: [16]\n"
                                "      checkpoint.mode: [blocking]\n"
                                "      failures[0].annual_failure_rate: [\"6.1%\"]\n");
    const char *u = NULL;
    cr_assert_eq(dcs_sweep_value_si(s, 0, 0, &u), 450.0);
    cr_assert_str_eq(u, "s");
    cr_assert_eq(dcs_sweep_value_si(s, 0, 1, &u), 2.5 * 1073741824.0);
    cr_assert_str_eq(u, "B/s");
    cr_assert_eq(dcs_sweep_value_si(s, 0, 2, &u), 16.0);
    cr_assert_str_eq(u, "");
    cr_assert(isnan(dcs_sweep_value_si(s, 0, 3, &u)));
    cr_assert_str_eq(u, "");
    cr_assert_eq(dcs_sweep_value_si(s, 0, 4, &u), 6.1 / 100.0);
    cr_assert_str_eq(dcs_sweep_value_text(s, 0, 4), "6.1%");
    cr_assert_str_eq(dcs_sweep_key_units(s, 0), "s");
    cr_assert_str_eq(dcs_sweep_key_units(s, 1), "B/s");
    cr_assert_str_eq(dcs_sweep_key_units(s, 2), "");
    cr_assert_null(dcs_sweep_key_units(s, 3));
    cr_assert_str_eq(dcs_sweep_key_units(s, 4), "");
    dcs_sweep_destroy(s);
}

/* The ranges of the sampled-design tests: [low, high] in the unit of the
 * low end, and that unit's size in SI units. */
static const double range_lo[3] = {1000.0, 0.30, 500.0};
static const double range_hi[3] = {5000.0, 0.45, 4000.0};
static const double range_si[3] = {3600.0, 1.0, 1e9};

#define RANGES                                                                                     \
    "      ranges:\n"                                                                              \
    "        failures[0].mtbf: [1000h, 5000h]\n"                                                   \
    "        job.mfu: [0.30, 0.45]\n"                                                              \
    "        checkpoint.write_bandwidth: [500GB/s, 4TB/s]\n"

Test(sweep, latin_hypercube_puts_one_point_in_each_stratum_of_each_range)
{
    enum { N = 50 };
    dcs_sweep *s = expect_sweep(SWEEP_HEAD "  - lhs:\n"
                                           "      points: 50\n"
                                           "      seed: 7\n" RANGES);
    cr_assert_eq(dcs_sweep_npoints(s), N);
    cr_assert_eq(dcs_sweep_nkeys(s), 3);
    static const char *const suffix[3] = {"h", "", "GB/s"};
    for (size_t k = 0; k < 3; k++) {
        bool seen[N] = {false};
        double lo = range_lo[k] * range_si[k], hi = range_hi[k] * range_si[k];
        for (size_t p = 0; p < N; p++) {
            double x = dcs_sweep_value_si(s, p, k, NULL);
            cr_assert(x >= lo && x <= hi, "key %zu point %zu: %g outside [%g, %g]", k, p, x, lo,
                      hi);
            int stratum = (int)floor((x - lo) / (hi - lo) * N);
            stratum = stratum == N ? N - 1 : stratum;
            cr_assert_eq(seen[stratum], false, "key %zu: stratum %d holds two points", k, stratum);
            seen[stratum] = true;
            /* Written in the unit of the low end, with a number that reads
             * back exactly. */
            const char *text = dcs_sweep_value_text(s, p, k);
            char *end = NULL;
            double num = strtod(text, &end);
            cr_assert_str_eq(end, suffix[k], "key %zu point %zu: \"%s\"", k, p, text);
            cr_assert_eq(num * range_si[k], x);
        }
    }
    dcs_sweep_destroy(s);
}

Test(sweep, latin_hypercube_is_keyed_by_its_seed_which_defaults_to_1)
{
    dcs_sweep *a = expect_sweep(SWEEP_HEAD "  - lhs:\n      points: 8\n" RANGES);
    dcs_sweep *b = expect_sweep(SWEEP_HEAD "  - lhs:\n      points: 8\n      seed: 1\n" RANGES);
    dcs_sweep *c = expect_sweep(SWEEP_HEAD "  - lhs:\n      points: 8\n      seed: 2\n" RANGES);
    bool differs = false;
    for (size_t p = 0; p < 8; p++) {
        cr_assert_str_eq(dcs_sweep_label(a, p), dcs_sweep_label(b, p));
        differs = differs || strcmp(dcs_sweep_label(a, p), dcs_sweep_label(c, p)) != 0;
    }
    cr_assert(differs);
    dcs_sweep_destroy(a);
    dcs_sweep_destroy(b);
    dcs_sweep_destroy(c);
}

Test(sweep, sampled_labels_shorten_the_values)
{
    dcs_sweep *s = expect_sweep(SWEEP_HEAD "  - lhs:\n      points: 4\n      seed: 7\n" RANGES);
    for (size_t p = 0; p < 4; p++) {
        char want[256];
        double v[3];
        for (size_t k = 0; k < 3; k++)
            v[k] = dcs_sweep_value_si(s, p, k, NULL) / range_si[k];
        /* Four significant digits: mtbf in the thousands of hours has no
         * decimals, mfu four, the bandwidth (500 to 4000 GB/s) none. */
        snprintf(want, sizeof want,
                 "failures[0].mtbf=%.0fh job.mfu=%.4g checkpoint.write_bandwidth=%.0fGB/s", v[0],
                 v[1], v[2]);
        cr_assert_str_eq(dcs_sweep_label(s, p), want);
    }
    dcs_sweep_destroy(s);
}

Test(sweep, sobol_points_are_gsls_sequence_mapped_to_the_ranges)
{
    enum { N = 16 };
    dcs_sweep *s = expect_sweep(SWEEP_HEAD "  - sobol:\n      points: 16\n" RANGES);
    cr_assert_eq(dcs_sweep_npoints(s), N);
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, 3);
    cr_assert_not_null(q);
    for (size_t p = 0; p < N; p++) {
        double u[3];
        gsl_qrng_get(q, u);
        for (size_t k = 0; k < 3; k++) {
            double want = (range_lo[k] + (range_hi[k] - range_lo[k]) * u[k]) * range_si[k];
            /* The same arithmetic as the sweep (in the low end's unit, then
             * times the unit), so equal to rounding: 1e-14 relative. */
            cr_assert(epsilon_eq(dbl, dcs_sweep_value_si(s, p, k, NULL), want, 1e-14 * want),
                      "point %zu key %zu", p, k);
        }
    }
    gsl_qrng_free(q);
    /* GSL's first Sobol point is the centre of the cube. */
    cr_assert_str_eq(dcs_sweep_value_text(s, 0, 0), "3000h");
    cr_assert_str_eq(dcs_sweep_value_text(s, 0, 1), "0.375");
    dcs_sweep_destroy(s);
}

/* Loads data/ckpt.yaml with --set cluster.nodes=32 and checks that every
 * point's scenario is the base loaded with the same --set and one more per
 * key the point sets: the resolved YAML texts are equal. */
Test(sweep, a_points_scenario_is_the_base_with_the_same_set)
{
    const char *cmd[] = {"cluster.nodes=32"};
    dcs_sweep *s = NULL;
    dcs_err err;
    char buf[768];
    int rc = dcs_sweep_load(DATA "ckpt.yaml", cmd, 1, &s, &err);
    cr_assert_eq(rc, 0, "%s", dcs_err_format(&err, buf, sizeof buf));
    cr_assert_eq(dcs_sweep_npoints(s), 24);
    dcs_scenario *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    cr_assert(a != NULL && b != NULL);
    char *want = NULL;
    cr_assert_eq(dcs_scenario_load(DATA "base.yaml", cmd, 1, b, &want, &err), 0);
    cr_assert_str_eq(dcs_sweep_base_resolved(s), want);
    free(want);
    for (size_t p = 0; p < dcs_sweep_npoints(s); p++) {
        char sets[8][128];
        const char *setp[8] = {cmd[0]};
        size_t n = 1;
        for (size_t k = 0; k < dcs_sweep_nkeys(s); k++) {
            const char *v = dcs_sweep_value_text(s, p, k);
            if (v[0] == '\0')
                continue;
            snprintf(sets[n], sizeof sets[n], "%s=%s", dcs_sweep_key(s, k), v);
            setp[n] = sets[n];
            n++;
        }
        char *got = NULL;
        rc = dcs_sweep_point_scenario(s, p, a, &got, &err);
        cr_assert_eq(rc, 0, "%s", dcs_err_format(&err, buf, sizeof buf));
        rc = dcs_scenario_load(DATA "base.yaml", setp, n, b, &want, &err);
        cr_assert_eq(rc, 0, "%s", dcs_err_format(&err, buf, sizeof buf));
        cr_assert_str_eq(got, want, "point %zu", p);
        cr_assert_eq(a->cluster.nodes, 32);
        cr_assert_eq(memcmp(&a->checkpoint, &b->checkpoint, sizeof a->checkpoint), 0);
        free(got);
        free(want);
    }
    /* Only the text: the scenario may be left out. */
    char *text = NULL;
    cr_assert_eq(dcs_sweep_point_scenario(s, 23, NULL, &text, &err), 0);
    cr_assert_not_null(strstr(text, "spare_nodes: 0\n"));
    free(text);
    free(a);
    free(b);
    dcs_sweep_destroy(s);
}

Test(sweep, a_point_past_the_end_is_an_input_error)
{
    dcs_sweep *s = expect_sweep(SWEEP_HEAD "  - grid: {cluster.spare_nodes: [1, 2]}\n");
    dcs_err err;
    char *text = (char *)&err;
    cr_assert_eq(dcs_sweep_point_scenario(s, 2, NULL, &text, &err), DCS_EINPUT);
    cr_assert_null(text);
    cr_assert_str_eq(err.msg, "point 2 is out of range (the sweep has 2 points)");
    dcs_sweep_destroy(s);
}

/* Everything a loaded sweep gives out, for comparing two loads. */
static void expect_same_sweeps(const dcs_sweep *a, const dcs_sweep *b)
{
    cr_assert_eq(dcs_sweep_npoints(a), dcs_sweep_npoints(b));
    cr_assert_eq(dcs_sweep_nkeys(a), dcs_sweep_nkeys(b));
    cr_assert_str_eq(dcs_sweep_text(a), dcs_sweep_text(b));
    cr_assert_str_eq(dcs_sweep_base_resolved(a), dcs_sweep_base_resolved(b));
    dcs_err err;
    for (size_t p = 0; p < dcs_sweep_npoints(a); p++) {
        cr_assert_str_eq(dcs_sweep_label(a, p), dcs_sweep_label(b, p));
        for (size_t k = 0; k < dcs_sweep_nkeys(a); k++) {
            cr_assert_str_eq(dcs_sweep_value_text(a, p, k), dcs_sweep_value_text(b, p, k));
            double x = dcs_sweep_value_si(a, p, k, NULL), y = dcs_sweep_value_si(b, p, k, NULL);
            cr_assert(memcmp(&x, &y, sizeof x) == 0);
        }
        char *ta = NULL, *tb = NULL;
        cr_assert_eq(dcs_sweep_point_scenario(a, p, NULL, &ta, &err), 0);
        cr_assert_eq(dcs_sweep_point_scenario(b, p, NULL, &tb, &err), 0);
        cr_assert_str_eq(ta, tb);
        free(ta);
        free(tb);
    }
}

Test(sweep, loading_twice_gives_identical_points)
{
    static const char text[] =
        SWEEP_HEAD "  - variants:\n"
                   "      - {label: a}\n"
                   "      - {label: b, set: {cluster.spare_nodes: 4}}\n"
                   "  - lhs:\n      points: 5\n      seed: 99\n" RANGES "  - sobol:\n"
                   "      points: 3\n"
                   "      ranges: {restart.overhead: [1min, 10min]}\n";
    dcs_sweep *a = expect_sweep(text), *b = expect_sweep(text);
    cr_assert_eq(dcs_sweep_npoints(a), 30);
    expect_same_sweeps(a, b);
    dcs_sweep_destroy(a);
    dcs_sweep_destroy(b);
    dcs_err err;
    cr_assert_eq(dcs_sweep_load(DATA "ckpt.yaml", NULL, 0, &a, &err), 0);
    cr_assert_eq(dcs_sweep_load(DATA "ckpt.yaml", NULL, 0, &b, &err), 0);
    expect_same_sweeps(a, b);
    dcs_sweep_destroy(a);
    dcs_sweep_destroy(b);
}

/* Writes "[f(1), ..., f(n)]" with f(i) = i * step followed by unit. */
static void value_list(char *dst, size_t cap, int n, int step, const char *unit)
{
    size_t used = (size_t)snprintf(dst, cap, "[");
    for (int i = 1; i <= n; i++)
        used +=
            (size_t)snprintf(dst + used, cap - used, "%s%d%s", i > 1 ? ", " : "", i * step, unit);
    snprintf(dst + used, cap - used, "]");
}

Test(sweep, a_thousand_point_grid_loads)
{
    char text[4096], a[512], b[512];
    value_list(a, sizeof a, 40, 1, "");
    value_list(b, sizeof b, 25, 10, "s");
    snprintf(text, sizeof text,
             SWEEP_HEAD "  - grid:\n      cluster.spare_nodes: %s\n      restart.overhead: %s\n", a,
             b);
    dcs_sweep *s = expect_sweep(text);
    cr_assert_eq(dcs_sweep_npoints(s), 1000);
    cr_assert_str_eq(dcs_sweep_label(s, 0), "cluster.spare_nodes=1 restart.overhead=10s");
    cr_assert_str_eq(dcs_sweep_label(s, 999), "cluster.spare_nodes=40 restart.overhead=250s");
    cr_assert_eq(dcs_sweep_value_si(s, 26, 1, NULL), 20.0);
    dcs_sweep_destroy(s);
}

Test(sweep, ranges_are_checked_after_the_sweeps_set)
{
    /* weather needs the energy model on, which the sweep's set does. */
    dcs_sweep *s = expect_sweep(SWEEP_INLINE "set: {power.training: 0.7}\n"
                                             "design:\n"
                                             "  - sobol:\n"
                                             "      points: 2\n"
                                             "      ranges: {weather.mean: [10C, 30C]}\n");
    cr_assert_str_eq(dcs_sweep_value_text(s, 0, 1), "20C");
    cr_assert_str_eq(dcs_sweep_key_units(s, 1), "C");
    dcs_sweep_destroy(s);
}
