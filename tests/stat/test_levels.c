/*
 * test_levels.c - statistical validation of multi-level checkpointing and
 * asynchronous checkpoints against their single-level, blocking baseline.
 *
 * Replication r of two scenarios that differ only in their checkpoints sees
 * the same failures (common random numbers: failure and repair times come
 * from streams keyed by replication and class, and no draw depends on the
 * job's state), so the comparisons are paired: the tolerance is a multiple
 * of the standard error of the per-replication difference, stated at each
 * check. Seeds are fixed; tolerances were set before the seeds.
 */
#include "reps.h"
#include "scen.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>

TestSuite(levels, .timeout = 900);

#define HOUR 3600.0
#define DAY  86400.0
#define NREP 400

/* 64 nodes x 8 for 10 days of compute; nodes fail every 384 h each (a node
 * failure every 6 h for the job), the software every 12 h; persistent
 * checkpoints every 4 h of compute, 10 min to write and to read. */
static dcs_scenario base(void)
{
    dcs_scenario sc = scen_basic(64, 8, 10.0 * DAY);
    sc.cluster.spare_nodes = 4;
    sc.cluster.swap_s = 600.0;
    sc.restart.overhead_s = 600.0;
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 4.0 * HOUR;
    sc.checkpoint.write_overhead_s = 600.0;
    sc.checkpoint.size_bytes = 1e12;
    sc.checkpoint.read_bps = 1e12 / 600.0;
    dcs_failure_cfg *n =
        scen_add_failure(&sc, "node", DCS_SCOPE_NODE, DCS_DIST_EXPONENTIAL, 384.0 * HOUR, 0.0);
    n->repair = (dcs_dist){DCS_DIST_LOGNORMAL, 1.0 * DAY, 1.0};
    scen_add_failure(&sc, "software", DCS_SCOPE_JOB, DCS_DIST_EXPONENTIAL, 12.0 * HOUR, 0.0);
    return sc;
}

/* Mean and standard error of b - a, per replication, s. */
static void paired(const dcs_run_result *a, const dcs_run_result *b, double *mean, double *se)
{
    double m = 0.0, q = 0.0;
    for (int i = 0; i < NREP; i++) {
        double d = b[i].makespan_s - a[i].makespan_s;
        double dm = d - m;
        m += dm / (i + 1);
        q += dm * (d - m);
    }
    *mean = m;
    *se = sqrt(q / (NREP - 1) / NREP);
}

/* Free in-memory checkpoints every hour beside the 4-hourly persistent
 * ones: the mean makespan is not worse (difference <= 3 SE), and in fact
 * better (difference < -3 SE): most failures (software, single nodes) now
 * lose at most an hour instead of up to four. */
Test(levels, free_in_memory_checkpoints_never_do_worse)
{
    dcs_scenario one = base();
    dcs_scenario two = base();
    two.checkpoint.mem_interval_s = 1.0 * HOUR;
    dcs_run_result *a = reps_run(&one, 808, NREP);
    dcs_run_result *b = reps_run(&two, 808, NREP);
    double d, se;
    paired(a, b, &d, &se);
    cr_log_info("two levels - persistent only: %.3f h (SE %.3f h)", d / HOUR, se / HOUR);
    cr_assert_leq(d, 3.0 * se, "two levels are worse by %.3f h (SE %.3f h)", d / HOUR, se / HOUR);
    cr_assert_lt(d, -3.0 * se, "no gain: %.3f h (SE %.3f h)", d / HOUR, se / HOUR);
    uint64_t restores = 0;
    for (int i = 0; i < NREP; i++) {
        /* Free in-memory writes leave the timeline unchanged up to the
         * first failure, which common random numbers make the same. */
        cr_assert_eq(a[i].first_interrupt_s, b[i].first_interrupt_s, "rep %d", i);
        restores += b[i].n_mem_restores;
    }
    cr_assert_gt(restores, 0);
    free(a);
    free(b);
}

/* With the cheap level disabled (its interval equal to the persistent one,
 * so every checkpoint goes to persistent storage) the two-level model
 * gives the single-level result, replication by replication, exactly. */
Test(levels, a_disabled_memory_level_matches_the_single_level_exactly)
{
    dcs_scenario one = base();
    dcs_scenario two = base();
    two.checkpoint.mem_interval_s = two.checkpoint.interval_s;
    two.checkpoint.mem_overhead_s = 30.0; /* never used: no checkpoint stays in memory */
    dcs_run_result *a = reps_run(&one, 809, NREP);
    dcs_run_result *b = reps_run(&two, 809, NREP);
    for (int i = 0; i < NREP; i++) {
        cr_assert_eq(a[i].makespan_s, b[i].makespan_s, "rep %d", i);
        cr_assert_eq(a[i].n_checkpoints, b[i].n_checkpoints, "rep %d", i);
        cr_assert_eq(b[i].n_mem_checkpoints, 0, "rep %d", i);
    }
    free(a);
    free(b);
}

/* Async checkpoints whose snapshot costs a tenth of the blocking write
 * (1 min, the write going on in the background) beat blocking ones at
 * the same interval: each checkpoint stalls the job 9 min less (530 min
 * in all in a failure-free run), minus the work lost when a failure
 * catches a write in flight. Checked: mean difference
 * < -3 SE, and the failure-free saving is exact. */
Test(levels, async_checkpoints_beat_blocking_ones_at_the_same_interval)
{
    dcs_scenario one = base();
    dcs_scenario two = base();
    two.checkpoint.mode = DCS_CKPT_ASYNC;
    two.checkpoint.snapshot_s = 60.0;
    dcs_run_result *a = reps_run(&one, 810, NREP);
    dcs_run_result *b = reps_run(&two, 810, NREP);
    double d, se;
    paired(a, b, &d, &se);
    cr_log_info("async - blocking: %.3f h (SE %.3f h)", d / HOUR, se / HOUR);
    cr_assert_lt(d, -3.0 * se, "async is not faster: %.3f h (SE %.3f h)", d / HOUR, se / HOUR);
    uint64_t lost = 0;
    for (int i = 0; i < NREP; i++)
        lost += b[i].n_ckpt_lost;
    cr_assert_gt(lost, 0, "no failure ever caught a write in flight");
    free(a);
    free(b);

    one.nfailures = two.nfailures = 0;
    a = reps_run(&one, 810, 1);
    b = reps_run(&two, 810, 1);
    /* 240 h of compute, checkpoints at 4, 8, ..., 240 h: 60 of them.
     * Blocking: 60 x 10 min. Async: 60 x 1 min of snapshots, and the last
     * write (10 min) before the run can end: 600 - 70 = 530 min saved. */
    cr_assert(epsilon_eq(dbl, (a[0].makespan_s - b[0].makespan_s) / 60.0, 530.0, 1e-9),
              "saved %.6f min", (a[0].makespan_s - b[0].makespan_s) / 60.0);
    free(a);
    free(b);
}
