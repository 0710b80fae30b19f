/*
 * test_dist.c - keys given as distributions (uncertain inputs): what the
 * loader records, the nominal value the readers see, a replication's own
 * draws, overrides, the resolved YAML round trip, and bad input.
 */
#include "expect.h"

#include "correlation.h"
#include "rng.h"

#include <math.h>
#include <stdio.h>

/* Every kind on keys of every type: number, quantity, percentage,
 * integer (choice), catalog key (choice), list elements. */
#define DISTS                                                                                      \
    "name: x\n"                                                                                    \
    "cluster:\n"                                                                                   \
    "  accelerator: {dist: choice, values: [H100-SXM-80GB, A100-SXM-80GB], weights: [0.7, "        \
    "0.3]}\n"                                                                                      \
    "  nodes: {dist: choice, values: [2, 4]}\n"                                                    \
    "job:\n"                                                                                       \
    "  flops: 1e24\n"                                                                              \
    "  mfu: {dist: uniform, min: 0.3, max: 0.5}\n"                                                 \
    "checkpoint:\n"                                                                                \
    "  size: {dist: empirical, values: [1TB, 2TB, 4TB]}\n"                                         \
    "  write_bandwidth: {dist: triangular, min: 1TB/s, mode: 2TB/s, max: 4TB/s}\n"                 \
    "restart:\n"                                                                                   \
    "  overhead: {dist: pert, min: 2min, mode: 5min, max: 20min}\n"                                \
    "  warmup: {dist: normal, mean: 1min, sd: 30s}\n"                                              \
    "failures:\n"                                                                                  \
    "  - name: gpu\n"                                                                              \
    "    scope: accelerator\n"                                                                     \
    "    mtbf: {dist: lognormal, median: 100000h, p95: 300000h}\n"                                 \
    "    repair_time: {dist: lognormal, mean: 2d, sd: 1d}\n"                                       \
    "  - name: host\n"                                                                             \
    "    scope: node\n"                                                                            \
    "    annual_failure_rate: {dist: uniform, min: 2%, max: 6%}\n"                                 \
    "    repair_time: {dist: fixed, value: 1d}\n"

Test(dist, recorded_in_file_order_with_nominal_values)
{
    dcs_scenario *s = malloc(sizeof *s);
    expect_ok(DISTS, s);
    static const char *const paths[] = {"cluster.accelerator",
                                        "cluster.nodes",
                                        "job.mfu",
                                        "checkpoint.size",
                                        "checkpoint.write_bandwidth",
                                        "restart.overhead",
                                        "restart.warmup",
                                        "failures[0].mtbf",
                                        "failures[0].repair_time",
                                        "failures[1].annual_failure_rate",
                                        "failures[1].repair_time"};
    cr_assert_eq(s->nuncertain, 11);
    for (int i = 0; i < 11; i++)
        cr_expect_str_eq(s->uncertain[i].path, paths[i]);
    /* the nominal values, as the readers saw them */
    cr_expect_str_eq(s->cluster.accel.key, "H100-SXM-80GB"); /* the most likely choice */
    cr_expect(s->uncertain[0].text && s->uncertain[0].value == 0.0);
    cr_expect_eq(s->cluster.nodes, 2);                      /* the first of equal weights */
    cr_expect(s->job.mfu == 0.4);                           /* the middle of the uniform */
    cr_expect(s->checkpoint.size_bytes == 2e12);            /* the median of the sample */
    cr_expect(s->checkpoint.write_bps == 2e12);             /* the mode */
    cr_expect(s->restart.overhead_s == 300.0);              /* the mode */
    cr_expect(fabs(s->failures[0].ttf.mean_s - 3.6e8) < 1); /* the median */
    cr_expect(fabs(s->failures[1].ttf.mean_s - 365.25 * 86400 / 0.04) < 1e-3);
    cr_expect_str_eq(s->uncertain[4].unit, "B/s");
    cr_expect_str_eq(s->uncertain[2].unit, "");
    cr_expect_str_eq(s->uncertain[9].unit, "");
    free(s);
}

Test(dist, a_replication_draws_its_own_values_from_the_key_streams)
{
    dcs_scenario *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    dcs_err err;
    char buf[768];
    int seen_high_nodes = 0;
    for (uint64_t r = 0; r < 40; r++) {
        dcs_scenario_input in = {.text = DISTS,
                                 .len = strlen(DISTS),
                                 .name = "t.yaml",
                                 .draw = true,
                                 .draw_seed = 9,
                                 .draw_rep = r};
        cr_assert_eq(dcs_scenario_load_input(&in, a, NULL, &err), 0, "%s",
                     dcs_err_format(&err, buf, sizeof buf));
        cr_assert_eq(dcs_scenario_load_input(&in, b, NULL, &err), 0);
        cr_assert_eq(memcmp(a, b, sizeof *a), 0, "replication %d draws differently twice", (int)r);
        /* the value recorded is the value the scenario holds */
        cr_assert(a->job.mfu == a->uncertain[2].value && a->job.mfu >= 0.3 && a->job.mfu <= 0.5);
        cr_assert(a->checkpoint.write_bps == a->uncertain[4].value);
        cr_assert((double)a->cluster.nodes == a->uncertain[1].value);
        cr_assert(a->restart.warmup_s >= 0.0); /* the normal is truncated to the key's range */
        seen_high_nodes += a->cluster.nodes == 4;
    }
    cr_assert(seen_high_nodes > 5 && seen_high_nodes < 35, "4 nodes drawn %d times in 40",
              seen_high_nodes);
    free(a);
    free(b);
}

Test(dist, resolved_yaml_round_trip_is_exact)
{
    expect_round_trip(DISTS);
    dcs_scenario *s = malloc(sizeof *s);
    char *y = NULL;
    dcs_err err;
    cr_assert_eq(dcs_scenario_load_string(DISTS, "t.yaml", NULL, 0, s, &y, &err), 0);
    cr_expect_not_null(strstr(y, "  mfu: {dist: uniform, min: 0.3, max: 0.5}\n"), "%s", y);
    cr_expect_not_null(strstr(y, "    annual_failure_rate: {dist: uniform, min: 0.02, max: 0.06}"),
                       "%s", y);
    free(y);
    free(s);
}

Test(dist, an_override_sets_a_parameter_or_the_plain_value)
{
    dcs_scenario *s = malloc(sizeof *s);
    const char *const p[] = {"job.mfu.max=0.6"};
    expect_ok_set(DISTS, p, 1, s);
    cr_expect(s->uncertain[2].d.c == 0.6 && fabs(s->job.mfu - 0.45) < 1e-15);
    const char *const v[] = {"job.mfu=0.42"};
    expect_ok_set(DISTS, v, 1, s);
    cr_expect_eq(s->nuncertain, 11, "the set key keeps its input column");
    cr_expect(s->uncertain[2].set && s->uncertain[2].value == 0.42 && s->job.mfu == 0.42);
    free(s);
}

Test(dist, bad_input_is_refused_with_its_position)
{
    expect_err(BASE "targets: {budget_usd: {dist: unifrom, min: 1, max: 2}}\n",
               "t.yaml:11:30: targets.budget_usd.dist: unknown distribution \"unifrom\"; did "
               "you mean \"uniform\"?");
    expect_err(BASE "restart: {overhead: {dist: uniform, min: 2h, max: 1h}}\n",
               "t.yaml:11:42: restart.overhead: min (7200) is above max (3600)");
    expect_err(BASE "restart: {overhead: {dist: pert, min: 2h, mode: 1h, max: 3h}}\n",
               "t.yaml:11:39: restart.overhead: expected min <= mode <= max, got 7200, 3600, "
               "10800");
    /* an MFU that can exceed 1 */
    expect_err("name: x\ncluster: {accelerator: H100-SXM-80GB, nodes: 2}\n"
               "job: {flops: 1e24, mfu: {dist: uniform, min: 0.4, max: 1.2}}\n",
               "t.yaml:3:56: job.mfu: max 1.2 is outside the key's range (0, 1]");
    expect_err("name: x\ncluster: {accelerator: H100-SXM-80GB, nodes: 2}\n"
               "job: {flops: 1e24, mfu: {dist: lognormal, median: 1.5, p95: 2}}\n",
               "t.yaml:3:51: job.mfu: the median 1.5 is outside the key's range (0, 1]");
    /* a count of nodes: a choice, not a lognormal */
    expect_err("name: x\ncluster: {accelerator: H100-SXM-80GB, nodes: {dist: lognormal, median: "
               "2, p95: 4}}\njob: {flops: 1e24, mfu: 0.4}\n",
               "t.yaml:2:46: cluster.nodes: only a choice among listed values is allowed here "
               "({dist: choice, values: [...]}), not a lognormal distribution");
    expect_err("name: {dist: choice, values: [a, b]}\n" BASE,
               "t.yaml:1:7: name: a distribution is not allowed here: this key takes one fixed "
               "value");
    expect_err(BASE "restart: {overhead: {dist: uniform, min: 1h, maxx: 2h}}\n",
               "t.yaml:11:46: restart.overhead.maxx: unknown key; did you mean \"max\"?");
    expect_err(BASE "restart: {overhead: {dist: uniform, min: 1h, max: 2}}\n",
               "t.yaml:11:51: restart.overhead.max: \"2\" has no unit; use one of s, min, h, d, "
               "w, y");
    expect_err("name: x\ncluster: {accelerator: {dist: choice, values: [H100-SXM-80GB, "
               "X300]}, nodes: 2}\njob: {flops: 1e24, mfu: 0.4}\n"
               "checkpoint: {size: 1TB}\n",
               "t.yaml:2:63: cluster.accelerator.values[1]: unknown catalog key \"X300\"; "
               "`dcsim catalog` lists them");
}

/* DISTS with three of its inputs rank-correlated. */
#define CORR                                                                                       \
    DISTS "uncertain:\n"                                                                           \
          "  correlation:\n"                                                                       \
          "    keys: [job.mfu, \"failures[0].mtbf\", \"failures[0].repair_time\"]\n"               \
          "    matrix:\n"                                                                          \
          "      - [1, 0.5, -0.25]\n"                                                              \
          "      - [0.5, 1, 0]\n"                                                                  \
          "      - [-0.25, 0, 1]\n"

Test(dist, correlation_read_and_round_trip_exact)
{
    dcs_scenario *s = malloc(sizeof *s);
    expect_ok_set(CORR, NULL, 0, s);
    cr_expect_eq(s->correlation.n, 3);
    cr_expect_str_eq(s->correlation.keys[1], "failures[0].mtbf");
    cr_expect(s->correlation.m[0][2] == -0.25 && s->correlation.m[2][0] == -0.25);
    expect_round_trip(CORR);
    free(s);
}

/* A correlated key draws one of its own uniforms, but not always its own
 * replication's; the others draw exactly as without the matrix. */
Test(dist, correlated_keys_are_reordered_the_others_untouched)
{
    dcs_scenario *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    dcs_err err;
    char buf[768];
    int moved = 0;
    for (uint64_t r = 0; r < 20; r++) {
        dcs_scenario_input in = {.text = CORR,
                                 .len = strlen(CORR),
                                 .name = "t.yaml",
                                 .draw = true,
                                 .draw_seed = 9,
                                 .draw_rep = r};
        cr_assert_eq(dcs_scenario_load_input(&in, a, NULL, &err), 0, "%s",
                     dcs_err_format(&err, buf, sizeof buf));
        in.text = DISTS;
        in.len = strlen(DISTS);
        cr_assert_eq(dcs_scenario_load_input(&in, b, NULL, &err), 0);
        for (int i = 0; i < a->nuncertain; i++) {
            const char *p = a->uncertain[i].path;
            bool corr = strcmp(p, "job.mfu") == 0 || strcmp(p, "failures[0].mtbf") == 0 ||
                        strcmp(p, "failures[0].repair_time") == 0;
            if (!corr)
                cr_expect(a->uncertain[i].value == b->uncertain[i].value, "%s moved", p);
            moved += corr && a->uncertain[i].value != b->uncertain[i].value;
        }
    }
    cr_expect_gt(moved, 30, "the correlated keys kept their own draws (%d of 60 moved)", moved);
    free(a);
    free(b);
}

/* CORR with `from` replaced by `to`. */
static void expect_corr_err(const char *from, const char *to, const char *want)
{
    char text[4096];
    const char *at = strstr(CORR, from);
    cr_assert_not_null(at, "%s", from);
    snprintf(text, sizeof text, "%.*s%s%s", (int)(at - CORR), CORR, to, at + strlen(from));
    expect_err(text, want);
}

Test(dist, bad_correlation_is_refused_with_its_position)
{
    expect_corr_err("[0.5, 1, 0]", "[0.4, 1, 0]",
                    "t.yaml:28:10: uncertain.correlation.matrix[1][0]: the matrix must be "
                    "symmetric: 0.4 here, 0.5 at [0][1]");
    expect_corr_err("[1, 0.5, -0.25]", "[0.9, 0.5, -0.25]",
                    "t.yaml:27:10: uncertain.correlation.matrix[0][0]: the diagonal must be 1 (a "
                    "key's correlation with itself), got 0.9");
    expect_corr_err("[1, 0.5, -0.25]", "[1, 1.5, -0.25]",
                    "t.yaml:27:13: uncertain.correlation.matrix[0][1]: a rank correlation must be "
                    "in [-1, 1], got 1.5");
    expect_corr_err("[1, 0.5, -0.25]\n      - [0.5, 1, 0]\n      - [-0.25, 0, 1]",
                    "[1, 0.9, -0.9]\n      - [0.9, 1, 0]\n      - [-0.9, 0, 1]",
                    "t.yaml:27:7: uncertain.correlation.matrix: is not positive semi-definite "
                    "(its smallest eigenvalue is -0.273): no inputs can have these rank "
                    "correlations together");
    expect_corr_err("\"failures[0].repair_time\"", "checkpoint.size_", /* not a key */
                    "t.yaml:25:41: uncertain.correlation.keys[2]: \"checkpoint.size_\" is not a "
                    "key path of a scenario; did you mean \"checkpoint.size\"?");
    expect_corr_err("\"failures[0].repair_time\"", "job.flops", /* a key, not uncertain */
                    "t.yaml:25:41: uncertain.correlation.keys[2]: job.flops is not an uncertain "
                    "input: only keys given as a distribution ({dist: ...}) in the file may be "
                    "correlated (here: cluster.accelerator, cluster.nodes, job.mfu, "
                    "checkpoint.size, checkpoint.write_bandwidth, restart.overhead, ...)");
    expect_corr_err("\"failures[0].repair_time\"", "job.mfu",
                    "t.yaml:25:41: uncertain.correlation.keys[2]: job.mfu is listed twice (also "
                    "keys[0])");
    expect_corr_err(", \"failures[0].repair_time\"]", "]",
                    "t.yaml:27:7: uncertain.correlation.matrix: expected 2 rows (one per key), "
                    "got 3");
    expect_corr_err("[-0.25, 0, 1]", "[-0.25, 0]",
                    "t.yaml:29:9: uncertain.correlation.matrix[2]: expected 3 entries (one per "
                    "key), got 2");
    expect_corr_err("    matrix:", "    matrx:",
                    "t.yaml:26:5: uncertain.correlation.matrx: unknown key; did you mean "
                    "\"matrix\"?");
}

/* What `dcsim run` says a failing replication drew (cli/drawcheck.c) is
 * what its own load holds, correlated keys and a key set by an override
 * included. */
Test(dist, values_drawn_are_the_loaders)
{
    dcs_scenario *nom = malloc(sizeof *nom), *a = malloc(sizeof *a);
    const char *const set[] = {"restart.warmup=2min"};
    dcs_err err;
    expect_ok_set(CORR, set, 1, nom);
    gsl_rng *r = dcs_rng_create(&err);
    cr_assert_not_null(r);
    for (uint64_t rep = 250; rep < 262; rep++) { /* across two blocks */
        dcs_scenario_input in = {.text = CORR,
                                 .len = strlen(CORR),
                                 .name = "t.yaml",
                                 .sets = set,
                                 .nsets = 1,
                                 .draw = true,
                                 .draw_seed = 5,
                                 .draw_rep = rep};
        cr_assert_eq(dcs_scenario_load_input(&in, a, NULL, &err), 0);
        double v[DCS_MAX_UNCERTAIN];
        cr_assert_eq(dcs_uncertain_values(nom, r, 5, rep, v, &err), 0);
        for (int i = 0; i < a->nuncertain; i++)
            cr_expect(v[i] == a->uncertain[i].value, "replication %d, %s: %.17g, loaded %.17g",
                      (int)rep, a->uncertain[i].path, v[i], a->uncertain[i].value);
    }
    gsl_rng_free(r);
    free(nom);
    free(a);
}

/* A replication loaded from the text parsed once (dcs_scenario_base) is
 * byte for byte the one loaded from the text, with or without a cache of
 * correlated uniforms, in an order that leaves a block and comes back to
 * it, under two seeds (the cache is keyed by the seed). */
Test(dist, base_loads_are_the_text_loads)
{
    dcs_scenario *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    dcs_corr_cache *cache = malloc(sizeof *cache);
    cr_assert(a != NULL && b != NULL && cache != NULL);
    dcs_corr_cache_init(cache);
    const char *const set[] = {"restart.warmup=2min"};
    dcs_scenario_input in = {
        .text = CORR, .len = strlen(CORR), .name = "t.yaml", .sets = set, .nsets = 1};
    dcs_err err;
    dcs_scenario_base *base = dcs_scenario_base_create(&in, &err);
    cr_assert_not_null(base, "%s", err.msg);
    static const uint64_t reps[] = {250, 255, 256, 300, 3, 251, 511, 512, 0};
    for (int k = 0; k < 2 * (int)(sizeof reps / sizeof reps[0]); k++) {
        uint64_t seed = k < 9 ? 5 : 6, rep = reps[k % 9];
        in.draw = true;
        in.draw_seed = seed;
        in.draw_rep = rep;
        memset(a, 0xA5, sizeof *a);
        memset(b, 0x5A, sizeof *b);
        cr_assert_eq(dcs_scenario_load_input(&in, a, NULL, &err), 0, "%s", err.msg);
        cr_assert_eq(dcs_scenario_base_load(base, true, seed, rep, cache, b, &err), 0, "%s",
                     err.msg);
        cr_expect(memcmp(a, b, sizeof *a) == 0, "seed %d, replication %d: cached base load differs",
                  (int)seed, (int)rep);
        memset(b, 0x5A, sizeof *b);
        cr_assert_eq(dcs_scenario_base_load(base, true, seed, rep, NULL, b, &err), 0);
        cr_expect(memcmp(a, b, sizeof *a) == 0, "seed %d, replication %d: base load differs",
                  (int)seed, (int)rep);
    }
    in.draw = false; /* the nominal scenario too */
    cr_assert_eq(dcs_scenario_load_input(&in, a, NULL, &err), 0);
    cr_assert_eq(dcs_scenario_base_load(base, false, 0, 0, NULL, b, &err), 0);
    cr_expect(memcmp(a, b, sizeof *a) == 0, "nominal base load differs");
    dcs_scenario_base_destroy(base);
    free(cache);
    free(a);
    free(b);
}

/* An error of the text's first half (here an override on an unknown key)
 * is the base's, at the same place. */
Test(dist, base_refuses_what_the_load_refuses)
{
    const char *const set[] = {"job.mfuu=0.4"};
    dcs_scenario_input in = {
        .text = CORR, .len = strlen(CORR), .name = "t.yaml", .sets = set, .nsets = 1};
    dcs_err e1, e2;
    cr_assert_neq(dcs_scenario_load_input(&in, NULL, NULL, &e1), 0);
    cr_assert_null(dcs_scenario_base_create(&in, &e2));
    cr_expect_eq(e1.code, e2.code);
    cr_expect_str_eq(e1.msg, e2.msg);
    cr_expect_str_eq(e1.where, e2.where);
    cr_expect_str_eq(e1.key, e2.key);
}
