/*
 * test_resilience.c - the run model's slow nodes, shrinking, asynchronous
 * and in-memory checkpoints, planned maintenance and retained-checkpoint
 * storage, on timelines worked out by hand.
 *
 * Failure clocks with a fixed time to failure fire at known times, so each
 * test's makespan and accelerator-hour split follow from its timeline,
 * written out in the comments (times and work in hours of full-speed
 * compute). Comparisons are to 1e-9 relative: the model adds and
 * multiplies a few dozen doubles per replication.
 */
#include "reps.h"
#include "scen.h"
#include "world.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <string.h>

#define H 3600.0

TestSuite(resilience, .timeout = 120);

static void assert_hours(double got_s, double want_h, const char *what)
{
    cr_assert(epsilon_eq(dbl, got_s / H, want_h, 1e-9 * fmax(1.0, want_h)),
              "%s: %.12g h, want %g h", what, got_s / H, want_h);
}

static void assert_split_adds_up(const dcs_run_result *r)
{
    double sum = 0.0;
    for (int c = 0; c < DCS_ACC_NCAT; c++) {
        cr_assert_geq(r->cat_s[c], 0.0, "category %d is negative", c);
        sum += r->cat_s[c];
    }
    assert_hours(sum, r->makespan_s / H, "sum of the categories");
}

static dcs_failure_cfg *add_fixed(dcs_scenario *sc, const char *name, dcs_scope scope, double ttf_h)
{
    return scen_add_failure(sc, name, scope, DCS_DIST_FIXED, ttf_h * H, 0.0);
}

/* A synchronous job runs at the speed of its slowest node: two slow
 * classes (0.5 at 10 h, 0.25 at 12 h), never found within the run.
 * Work: 10 h by t = 10, +1 by t = 12, the last 9 at 0.25: t = 48. */
Test(resilience, a_job_runs_at_the_speed_of_its_slowest_node)
{
    dcs_scenario sc = scen_basic(2, 8, 20.0 * H);
    sc.checkpoint.final = false;
    dcs_failure_cfg *a = add_fixed(&sc, "slow_a", DCS_SCOPE_NODE, 10.0);
    a->action = DCS_ACTION_SLOW;
    a->speed = 0.5;
    a->detect_s = 1000.0 * H;
    dcs_failure_cfg *b = add_fixed(&sc, "slow_b", DCS_SCOPE_ACCELERATOR, 12.0);
    b->action = DCS_ACTION_SLOW;
    b->speed = 0.25;
    b->detect_s = 1000.0 * H;
    dcs_run_result *r = reps_run(&sc, 1, 1);
    assert_hours(r->makespan_s, 48.0, "makespan");
    assert_hours(r->cat_s[DCS_ACC_PRODUCTIVE], 20.0, "productive");
    assert_hours(r->cat_s[DCS_ACC_SLOWED], 28.0, "slowed");
    cr_assert_eq(r->n_interruptions, 0);
    cr_assert_eq(r->n_fail[0], 2, "both nodes turned slow");
    cr_assert_eq(r->n_fail[1], 16, "all 16 accelerators turned slow");
    assert_split_adds_up(r);
    free(r);
}

/* A slow node found at 12 h (slow from 10 h at half speed) is swapped for
 * the spare like a failed node: checkpoints every 5 h of work, free; the
 * work since 10 (one hour of it, two hours of wall time) is lost; the job
 * restarts at 12 from 10 and ends at 12 + 9 = 21. */
Test(resilience, a_found_slow_node_is_swapped_and_its_work_lost)
{
    dcs_scenario sc = scen_basic(1, 8, 19.0 * H);
    sc.cluster.spare_nodes = 1;
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 5.0 * H;
    sc.checkpoint.final = false;
    dcs_failure_cfg *f = add_fixed(&sc, "slow", DCS_SCOPE_NODE, 10.0);
    f->action = DCS_ACTION_SLOW;
    f->speed = 0.5;
    f->detect_s = 2.0 * H;
    f->repair.mean_s = 1.0 * H;
    dcs_run_result *r = reps_run(&sc, 1, 1);
    assert_hours(r->makespan_s, 21.0, "makespan");
    assert_hours(r->cat_s[DCS_ACC_LOST], 2.0, "lost");
    assert_hours(r->cat_s[DCS_ACC_SLOWED], 0.0, "slowed (the slow work was lost)");
    cr_assert_eq(r->n_interruptions, 1);
    cr_assert_eq(r->min_spares_free, 0);
    assert_split_adds_up(r);
    free(r);
}

/* With on_no_spare shrink, a node lost with no spare free leaves the job
 * on fewer nodes: with exactly one failure (at t_f, no checkpoints, no
 * repair within the run) the job restarts at t_f on 3 of 4 nodes and
 * takes ts / 0.75 more. Replications with one failure are picked out. */
Test(resilience, a_shrunk_job_runs_at_the_speed_of_the_nodes_left)
{
    double ts = 10.0 * H;
    dcs_scenario sc = scen_basic(4, 8, ts);
    sc.cluster.on_no_spare = DCS_NO_SPARE_SHRINK;
    sc.cluster.min_nodes = 1;
    sc.checkpoint.final = false;
    dcs_failure_cfg *f =
        scen_add_failure(&sc, "node", DCS_SCOPE_NODE, DCS_DIST_EXPONENTIAL, 200.0 * H, 0.0);
    f->repair = (dcs_dist){DCS_DIST_FIXED, 10000.0 * H, 0.0};
    size_t n = 400, ones = 0;
    dcs_run_result *r = reps_run(&sc, 11, n);
    for (size_t i = 0; i < n; i++) {
        assert_split_adds_up(&r[i]);
        if (r[i].n_fail[0] >= 4)
            continue; /* the last node left: that one waits */
        cr_assert_eq(r[i].cat_s[DCS_ACC_WAITING], 0.0, "a shrinking job never waits");
        cr_assert_eq(r[i].min_nodes_seen, 4 - (int64_t)r[i].n_fail[0]);
        if (r[i].n_fail[0] != 1)
            continue;
        ones++;
        double tf = r[i].first_interrupt_s;
        assert_hours(r[i].makespan_s, (tf + ts / 0.75) / H, "makespan after one loss");
        assert_hours(r[i].cat_s[DCS_ACC_SLOWED], (ts / 0.75 - ts) / H, "slowed");
        assert_hours(r[i].cat_s[DCS_ACC_LOST], tf / H, "lost");
    }
    cr_assert_gt(ones, 30, "only %zu replications with exactly one failure", ones);
    free(r);
}

/* Below cluster.min_nodes a shrinking job waits for the repair instead:
 * both nodes fail at 4.5 h (work 4 saved by free hourly checkpoints),
 * repairs take 3 h, the job waits 3 h and ends at 7.5 + 1 = 8.5 h. */
Test(resilience, below_min_nodes_a_shrinking_job_waits)
{
    dcs_scenario sc = scen_basic(2, 8, 5.0 * H);
    sc.cluster.on_no_spare = DCS_NO_SPARE_SHRINK;
    sc.cluster.min_nodes = 2;
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 1.0 * H;
    sc.checkpoint.final = false;
    dcs_failure_cfg *f = add_fixed(&sc, "node", DCS_SCOPE_NODE, 4.5);
    f->repair.mean_s = 3.0 * H;
    dcs_run_result *r = reps_run(&sc, 1, 1);
    assert_hours(r->cat_s[DCS_ACC_WAITING], 3.0, "waiting");
    assert_hours(r->makespan_s, 8.5, "makespan");
    cr_assert_eq(r->min_nodes_seen, 2);
    assert_split_adds_up(r);
    free(r);
}

/* Async checkpoints with a background write longer than the interval:
 * interval 2 h, snapshot 0.1 h, write 3 h, 10 h of work. Each snapshot
 * waits for the previous write: snapshots at 2-2.1, 5.1-5.2, 8.2-8.3,
 * 11.3-11.4, 14.4-14.5, the last write ends at 17.5. */
Test(resilience, async_checkpoints_wait_for_the_previous_write)
{
    dcs_scenario sc = scen_basic(1, 8, 10.0 * H);
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 2.0 * H;
    sc.checkpoint.mode = DCS_CKPT_ASYNC;
    sc.checkpoint.snapshot_s = 0.1 * H;
    sc.checkpoint.write_overhead_s = 3.0 * H;
    dcs_run_result *r = reps_run(&sc, 1, 1);
    assert_hours(r->makespan_s, 17.5, "makespan");
    assert_hours(r->cat_s[DCS_ACC_CHECKPOINT], 7.5, "checkpointing");
    cr_assert_eq(r->n_checkpoints, 5);
    assert_split_adds_up(r);
    /* A write shorter than the interval costs only the stalls: 10 + 5 x
     * 0.1, plus the last write (1 h) before the run can end. */
    sc.checkpoint.write_overhead_s = 1.0 * H;
    free(r);
    r = reps_run(&sc, 1, 1);
    assert_hours(r->makespan_s, 11.5, "makespan with a short write");
    free(r);
}

/* A failure before an async write completes falls back to the previous
 * checkpoint. Interval 4 h, snapshot 0, write 2 h, 9 h of work, a
 * software failure every 7 h (7, 14, 21):
 *   t=4 snapshot (work 4), written at 6; t=7 failure: lose 3 h, restart
 *   from 4; t=11 snapshot (8), written at 13; work 9 at t=12, waits for
 *   that write; t=13 snapshot (9), write until 15; t=14 failure: the
 *   write is lost (1 h of work), restart from 8; t=15 snapshot (9),
 *   written at 17: done. Lost 4 h, checkpointing 4 h, productive 9 h. */
Test(resilience, a_failure_before_the_async_write_completes_loses_it)
{
    dcs_scenario sc = scen_basic(1, 8, 9.0 * H);
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 4.0 * H;
    sc.checkpoint.mode = DCS_CKPT_ASYNC;
    sc.checkpoint.snapshot_s = 0.0;
    sc.checkpoint.write_overhead_s = 2.0 * H;
    add_fixed(&sc, "software", DCS_SCOPE_JOB, 7.0);
    dcs_run_result *r = reps_run(&sc, 1, 1);
    assert_hours(r->makespan_s, 17.0, "makespan");
    assert_hours(r->cat_s[DCS_ACC_LOST], 4.0, "lost");
    assert_hours(r->cat_s[DCS_ACC_CHECKPOINT], 4.0, "checkpointing");
    assert_hours(r->cat_s[DCS_ACC_PRODUCTIVE], 9.0, "productive");
    cr_assert_eq(r->n_checkpoints, 3);
    cr_assert_eq(r->n_ckpt_lost, 1);
    cr_assert_eq(r->n_interruptions, 2);
    assert_split_adds_up(r);
    free(r);
}

/* In-memory checkpoints every hour (free), persistent ones every 4 h of
 * work (free too), 8 h of work, a failure at 5.5 h. */
static dcs_scenario two_levels(int64_t nodes)
{
    dcs_scenario sc = scen_basic(nodes, 8, 8.0 * H);
    sc.cluster.spare_nodes = nodes;
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 4.0 * H;
    sc.checkpoint.mem_interval_s = 1.0 * H;
    return sc;
}

/* One node lost: the in-memory checkpoint at 5 survives (its partner
 * copy); the job loses 0.5 h and ends at 5.5 + 3 = 8.5. */
Test(resilience, an_in_memory_checkpoint_survives_one_node_loss)
{
    dcs_scenario sc = two_levels(1);
    add_fixed(&sc, "node", DCS_SCOPE_NODE, 5.5);
    dcs_run_result *r = reps_run(&sc, 1, 1);
    assert_hours(r->makespan_s, 8.5, "makespan");
    assert_hours(r->cat_s[DCS_ACC_LOST], 0.5, "lost");
    cr_assert_eq(r->n_mem_restores, 1);
    cr_assert_eq(r->n_checkpoints, 2, "persistent at 4 and 8");
    cr_assert_eq(r->n_mem_checkpoints, 6, "in memory at 1, 2, 3, 5, 6 and 7");
    assert_split_adds_up(r);
    free(r);
}

/* Two nodes lost: the in-memory checkpoint is gone; back to the
 * persistent one at 4: 1.5 h lost, the job ends at 5.5 + 4 = 9.5. */
Test(resilience, an_in_memory_checkpoint_does_not_survive_two_node_losses)
{
    dcs_scenario sc = two_levels(2);
    add_fixed(&sc, "node", DCS_SCOPE_NODE, 5.5);
    dcs_run_result *r = reps_run(&sc, 1, 1);
    assert_hours(r->makespan_s, 9.5, "makespan");
    assert_hours(r->cat_s[DCS_ACC_LOST], 1.5, "lost");
    cr_assert_eq(r->n_mem_restores, 0);
    assert_split_adds_up(r);
    free(r);
}

/* A software failure leaves host memory intact, whatever the node count. */
Test(resilience, an_in_memory_checkpoint_survives_a_software_failure)
{
    dcs_scenario sc = two_levels(2);
    add_fixed(&sc, "software", DCS_SCOPE_JOB, 5.5);
    dcs_run_result *r = reps_run(&sc, 1, 1);
    assert_hours(r->makespan_s, 8.5, "makespan");
    cr_assert_eq(r->n_mem_restores, 1);
    free(r);
}

/* Planned maintenance every 10 h for 2 h: the job saves (a 0.5 h write),
 * stops for the window, restarts (0.25 h) and loses nothing. 15 h of work,
 * checkpoint policy none: windows at 10 (work 10) and 20 (work 10 +
 * (20 - 12.75) = 17.25 > 15: the run ends before, at 12.75 + 5 = 17.75,
 * plus the final save 0.5 = 18.25). */
Test(resilience, maintenance_saves_first_and_loses_no_work)
{
    dcs_scenario sc = scen_basic(4, 8, 15.0 * H);
    sc.checkpoint.write_overhead_s = 0.5 * H;
    sc.restart.overhead_s = 0.25 * H;
    dcs_failure_cfg *m = add_fixed(&sc, "maintenance", DCS_SCOPE_MAINTENANCE, 10.0);
    m->action = DCS_ACTION_PLANNED;
    m->first_s = 10.0 * H;
    m->repair.mean_s = 2.0 * H;
    dcs_run_result *r = reps_run(&sc, 1, 1);
    assert_hours(r->makespan_s, 18.25, "makespan");
    assert_hours(r->cat_s[DCS_ACC_LOST], 0.0, "lost");
    assert_hours(r->cat_s[DCS_ACC_MAINTENANCE], 2.0, "maintenance");
    assert_hours(r->cat_s[DCS_ACC_CHECKPOINT], 1.0, "checkpointing");
    assert_hours(r->downtime_s[0], 2.25, "downtime charged to maintenance");
    cr_assert_eq(r->n_interruptions, 0, "maintenance is planned, not an interruption");
    cr_assert_eq(r->n_fail[0], 1);
    assert_split_adds_up(r);
    free(r);
}

/* Retained checkpoints: 1 TB each, retain 2, checkpoints every 2 h of 6
 * (written at 2, 4, 6, free): 1 TB from 2 to 4, 2 TB from 4 to 6 = 6 TB-h
 * (the run ends at 6). */
Test(resilience, retained_checkpoints_are_integrated_over_time)
{
    dcs_scenario sc = scen_basic(1, 8, 6.0 * H);
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 2.0 * H;
    sc.checkpoint.size_bytes = 1e12;
    sc.checkpoint.retain = 2;
    dcs_run_result *r = reps_run(&sc, 1, 1);
    cr_assert(epsilon_eq(dbl, r->ckpt_byte_s / 1e12 / H, 6.0, 1e-9), "%g TB-h",
              r->ckpt_byte_s / 1e12 / H);
    free(r);
}
