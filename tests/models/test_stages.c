/*
 * test_stages.c - the per-stage columns of a staged job (job.stages):
 * stage_h_<name>, stage_accelerator_hours_<name> and stage_cost_usd_<name>
 * add up to makespan_h, accelerator_hours_held and cost_usd in every
 * replication; without failures each stage takes its failure-free time,
 * and a checkpoint falls in the stage during which it is written; with
 * failures a stage never takes less than its failure-free time (its work
 * is done at least once, at most at full speed) and the split is measured,
 * not a fixed share; a run that gives up ends its unfinished stages at its
 * end. Sums are compared to 1e-9 relative: a handful of differences of
 * doubles, each exact to a few ulps.
 */
#include "reps.h"
#include "scen.h"
#include "world.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <string.h>

TestSuite(stages, .timeout = 120);

#define H 3600.0

/* Three stages on 4 x 8 accelerators of 1 FLOP/s: 10 h of compute at MFU
 * 0.8, 2 h given in accelerator-hours, 0.5 h at MFU 0.5. */
static dcs_scenario staged(void)
{
    dcs_scenario sc = scen_basic(4, 8, 1.0);
    double accels = 32.0;
    sc.job.nstages = 3;
    snprintf(sc.job.stages[0].name, DCS_NAME_MAX, "pre");
    sc.job.stages[0].mfu = 0.8;
    sc.job.stages[0].flops = 10.0 * H * accels * 0.8;
    snprintf(sc.job.stages[1].name, DCS_NAME_MAX, "ext");
    sc.job.stages[1].accel_hours = 2.0 * accels;
    snprintf(sc.job.stages[2].name, DCS_NAME_MAX, "post");
    sc.job.stages[2].mfu = 0.5;
    sc.job.stages[2].flops = 0.5 * H * accels * 0.5;
    sc.job.flops = sc.job.stages[0].flops + sc.job.stages[2].flops;
    return sc;
}

/* The failure-free hours of each stage of staged(). */
static const double ff_h[3] = {10.0, 2.0, 0.5};

/* Runs replications [0, n) of sc and writes each row's makespan_h,
 * accelerator_hours_held, cost_usd and the three stages' columns to the
 * callback's view: rows[i][0..2] the totals, [3..5] hours, [6..8]
 * accelerator-hours, [9..11] costs. */
static void rows_of(const dcs_scenario *sc, uint64_t seed, size_t n, double (*rows)[12],
                    dcs_run_result *res)
{
    dcs_err err;
    dcs_err_clear(&err);
    dcs_world *w = dcs_world_create(sc, &err);
    cr_assert_not_null(w, "%s", err.msg);
    dcs_engine *eng = dcs_world_engine_create(w, &err);
    cr_assert_not_null(eng, "%s", err.msg);
    size_t nc = dcs_world_ncols(w);
    const dcs_column *cols = dcs_world_cols(w);
    static const char *const want[12] = {"makespan_h",
                                         "accelerator_hours_held",
                                         "cost_usd",
                                         "stage_h_pre",
                                         "stage_h_ext",
                                         "stage_h_post",
                                         "stage_accelerator_hours_pre",
                                         "stage_accelerator_hours_ext",
                                         "stage_accelerator_hours_post",
                                         "stage_cost_usd_pre",
                                         "stage_cost_usd_ext",
                                         "stage_cost_usd_post"};
    size_t at[12];
    for (int k = 0; k < 12; k++) {
        at[k] = nc;
        for (size_t j = 0; j < nc; j++)
            if (strcmp(cols[j].name, want[k]) == 0)
                at[k] = j;
        cr_assert_lt(at[k], nc, "no column %s", want[k]);
    }
    /* The stage columns come last, hours, accelerator-hours, costs. */
    cr_assert_eq(at[3], nc - 9);
    cr_assert_eq(at[11], nc - 1);
    dcs_cell *cells = calloc(nc, sizeof *cells);
    cr_assert_not_null(cells);
    for (size_t i = 0; i < n; i++) {
        dcs_run_result r;
        cr_assert_eq(dcs_world_run(w, eng, seed, i, &r, &err), 0, "%s", err.msg);
        dcs_world_row(w, 0, (int64_t)i, &r, cells);
        for (int k = 0; k < 12; k++)
            rows[i][k] = cells[at[k]].f;
        if (res != NULL)
            res[i] = r;
    }
    free(cells);
    dcs_engine_destroy(eng);
    dcs_world_destroy(w);
}

static void expect_sums(const double *row, size_t i)
{
    for (int t = 0; t < 3; t++) {
        double sum = row[3 + 3 * t] + row[4 + 3 * t] + row[5 + 3 * t];
        cr_assert(epsilon_eq(dbl, sum, row[t], 1e-9 * fabs(row[t])),
                  "replication %zu: the stages' %s add up to %.17g, the total is %.17g", i,
                  t == 0   ? "hours"
                  : t == 1 ? "accelerator-hours"
                           : "costs",
                  sum, row[t]);
        for (int k = 0; k < 3; k++)
            cr_assert_geq(row[3 + 3 * t + k], 0.0, "replication %zu", i);
    }
}

Test(stages, without_failures_each_stage_takes_its_failure_free_time)
{
    dcs_scenario sc = staged();
    double rows[1][12];
    rows_of(&sc, 7, 1, rows, NULL);
    expect_sums(rows[0], 0);
    for (int k = 0; k < 3; k++) {
        cr_assert(epsilon_eq(dbl, rows[0][3 + k], ff_h[k], 1e-12 * ff_h[k]), "stage %d: %.17g h", k,
                  rows[0][3 + k]);
        cr_assert(epsilon_eq(dbl, rows[0][6 + k], 32.0 * ff_h[k], 1e-12 * 32.0 * ff_h[k]));
        /* On demand at a fixed price, nothing else billed: cost = price x hours held. */
        cr_assert(epsilon_eq(dbl, rows[0][9 + k], 2.385 * 32.0 * ff_h[k], 1e-9 * 80.0 * ff_h[k]));
    }
}

Test(stages, a_checkpoint_falls_in_the_stage_it_is_written_in)
{
    /* A checkpoint every 3 h of compute, 60 s each, and a final one: at
     * work 3, 6 and 9 h in pre; at 12 h, the end of ext, written once ext
     * has ended, so in post, with the final one at 12.5 h. */
    dcs_scenario sc = staged();
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 3.0 * H;
    sc.checkpoint.write_overhead_s = 60.0;
    double rows[1][12];
    dcs_run_result r;
    rows_of(&sc, 7, 1, rows, &r);
    cr_assert_eq(r.n_checkpoints, 5);
    expect_sums(rows[0], 0);
    const double want[3] = {10.0 + 3.0 * 60.0 / H, 2.0, 0.5 + 2.0 * 60.0 / H};
    for (int k = 0; k < 3; k++)
        cr_assert(epsilon_eq(dbl, rows[0][3 + k], want[k], 1e-12 * want[k]),
                  "stage %d: %.17g h, want %.17g h", k, rows[0][3 + k], want[k]);
}

Test(stages, with_failures_stages_add_up_and_are_measured_in_every_replication)
{
    /* Job failures every 3 h on average roll the work back across stage
     * boundaries; fixed costs and staff make the ledger more than rent. */
    dcs_scenario sc = staged();
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 1.7 * H;
    sc.checkpoint.write_overhead_s = 300.0;
    sc.restart.overhead_s = 600.0;
    sc.cluster.spare_nodes = 1;
    sc.costs.other_usd = 12345.0;
    sc.costs.team = 3.0;
    sc.costs.usd_per_person_year = 2.385e5;
    scen_add_failure(&sc, "software", DCS_SCOPE_JOB, DCS_DIST_EXPONENTIAL, 3.0 * H, 0.0);
    enum { N = 200 };
    static double rows[N][12];
    rows_of(&sc, 2385, N, rows, NULL);
    double share_min = 1.0, share_max = 0.0;
    for (size_t i = 0; i < N; i++) {
        expect_sums(rows[i], i);
        for (int k = 0; k < 3; k++)
            cr_assert_geq(rows[i][3 + k], ff_h[k] * (1.0 - 1e-12),
                          "replication %zu: stage %d took %.17g h, less than its work", i, k,
                          rows[i][3 + k]);
        /* The first stage carries the fixed cost. */
        cr_assert_gt(rows[i][9], 12345.0);
        double share = rows[i][3] / rows[i][0];
        share_min = fmin(share_min, share);
        share_max = fmax(share_max, share);
    }
    /* Measured, not apportioned: the first stage's share of the makespan
     * varies with where the failures fell. */
    cr_assert_gt(share_max - share_min, 0.01, "shares %.4f..%.4f", share_min, share_max);
}

Test(stages, a_run_that_gives_up_ends_its_unfinished_stages_at_its_end)
{
    /* max_time at 11 h: pre is done (10 h), ext is not, post never starts. */
    dcs_scenario sc = staged();
    sc.sim.max_time_s = 11.0 * H;
    double rows[1][12];
    dcs_run_result r;
    rows_of(&sc, 7, 1, rows, &r);
    cr_assert_eq(r.completed, 0);
    expect_sums(rows[0], 0);
    cr_assert(epsilon_eq(dbl, rows[0][3], 10.0, 1e-12 * 10.0));
    cr_assert(epsilon_eq(dbl, rows[0][4], 1.0, 1e-9));
    cr_assert_eq(rows[0][5], 0.0);
    cr_assert_eq(rows[0][8], 0.0);
    cr_assert_eq(rows[0][11], 0.0);
}

Test(stages, a_job_without_stages_has_no_stage_columns)
{
    dcs_scenario sc = scen_basic(2, 8, 3600.0);
    dcs_err err;
    dcs_world *w = dcs_world_create(&sc, &err);
    cr_assert_not_null(w);
    const dcs_column *cols = dcs_world_cols(w);
    for (size_t j = 0; j < dcs_world_ncols(w); j++)
        cr_assert(strncmp(cols[j].name, "stage_", 6) != 0, "%s", cols[j].name);
    dcs_world_destroy(w);
}
