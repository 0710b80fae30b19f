/*
 * test_run.c - properties of the training-run model: failure-free time,
 * the accelerator-hour split, checkpoint and restart mechanics, spares and
 * waiting, determinism and common random numbers.
 */
#include "checkpoint.h"
#include "reps.h"
#include "scen.h"
#include "world.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <string.h>

TestSuite(run, .timeout = 120);

Test(run, without_failures_makespan_is_compute_plus_checkpoints)
{
    /* 100 h of compute, a checkpoint every 7 h that takes 2.385 min: 14
     * full segments, one short one, and the final checkpoint = 15 writes. */
    dcs_scenario sc = scen_basic(4, 8, 100.0 * 3600.0);
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 7.0 * 3600.0;
    sc.checkpoint.write_overhead_s = 2.385 * 60.0;
    dcs_run_result *r = reps_run(&sc, 7, 3);
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(r[i].completed, 1);
        cr_assert_eq(r[i].n_checkpoints, 15);
        cr_assert(ieee_ulp_eq(dbl, r[i].makespan_s, 100.0 * 3600.0 + 15 * 2.385 * 60.0, 16));
        cr_assert_eq(r[i].n_interruptions, 0);
    }
    free(r);
}

Test(run, without_final_checkpoint_the_last_segment_is_kept)
{
    dcs_scenario sc = scen_basic(1, 8, 10.0 * 3600.0);
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 3.0 * 3600.0;
    sc.checkpoint.write_overhead_s = 60.0;
    sc.checkpoint.final = false;
    dcs_run_result *r = reps_run(&sc, 7, 1);
    cr_assert_eq(r[0].n_checkpoints, 3);
    cr_assert(ieee_ulp_eq(dbl, r[0].makespan_s, 10.0 * 3600.0 + 3 * 60.0, 16));
    cr_assert(ieee_ulp_eq(dbl, r[0].cat_s[DCS_ACC_PRODUCTIVE], 10.0 * 3600.0, 16));
    free(r);
}

/* The categories partition the makespan: checked to 1e-9 relative on a
 * scenario that exercises every category (hardware and software failures,
 * a small spare pool that runs dry, long repairs). */
Test(run, categories_add_up_to_the_makespan_in_every_replication)
{
    dcs_scenario sc = scen_basic(64, 8, 30.0 * 86400.0);
    sc.cluster.spare_nodes = 1;
    sc.cluster.swap_s = 600.0;
    sc.restart.overhead_s = 900.0;
    sc.checkpoint.policy = DCS_CKPT_DALY;
    sc.checkpoint.write_overhead_s = 120.0;
    sc.checkpoint.size_bytes = 1e12;
    sc.checkpoint.write_bps = 1e10;
    sc.checkpoint.read_bps = 2e10;
    dcs_failure_cfg *g = scen_add_failure(&sc, "gpu", DCS_SCOPE_ACCELERATOR, DCS_DIST_WEIBULL,
                                          2.0e5 * 3600.0 / 512.0 * 40.0, 0.8);
    g->detect_s = 120.0;
    g->repair = (dcs_dist){DCS_DIST_LOGNORMAL, 3.0 * 86400.0, 0.7};
    dcs_failure_cfg *h = scen_add_failure(&sc, "host", DCS_SCOPE_NODE, DCS_DIST_EXPONENTIAL,
                                          64.0 * 50.0 * 3600.0, 0.0);
    h->repair = (dcs_dist){DCS_DIST_EXPONENTIAL, 2.0 * 86400.0, 0.0};
    scen_add_failure(&sc, "software", DCS_SCOPE_JOB, DCS_DIST_EXPONENTIAL, 30.0 * 3600.0, 0.0);
    const size_t n = 40;
    dcs_run_result *r = reps_run(&sc, 11, n);
    double waited = 0.0;
    for (size_t i = 0; i < n; i++) {
        double sum = 0.0;
        for (int c = 0; c < DCS_ACC_NCAT; c++) {
            cr_assert_geq(r[i].cat_s[c], 0.0);
            sum += r[i].cat_s[c];
        }
        cr_assert(epsilon_eq(dbl, sum, r[i].makespan_s, 1e-9 * r[i].makespan_s),
                  "replication %zu: categories %.17g s, makespan %.17g s", i, sum, r[i].makespan_s);
        cr_assert_gt(r[i].n_interruptions, 0);
        waited += r[i].cat_s[DCS_ACC_WAITING];
    }
    cr_assert_gt(waited, 0.0, "one spare and multi-day repairs must make the job wait");
    free(r);
}

Test(run, plenty_of_spares_and_instant_swaps_never_wait)
{
    dcs_scenario sc = scen_basic(16, 8, 20.0 * 86400.0);
    sc.cluster.spare_nodes = 1000;
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 3600.0;
    sc.checkpoint.write_overhead_s = 30.0;
    dcs_failure_cfg *f = scen_add_failure(&sc, "node", DCS_SCOPE_NODE, DCS_DIST_EXPONENTIAL,
                                          16.0 * 24.0 * 3600.0, 0.0);
    f->repair = (dcs_dist){DCS_DIST_FIXED, 30.0 * 86400.0, 0.0};
    dcs_run_result *r = reps_run(&sc, 3, 20);
    for (int i = 0; i < 20; i++) {
        cr_assert_eq(r[i].cat_s[DCS_ACC_WAITING], 0.0);
        cr_assert_gt(r[i].n_fail[0], 0);
        cr_assert_eq(r[i].min_spares_free, 1000 - (int64_t)r[i].n_fail[0]);
    }
    free(r);
}

Test(run, no_spares_and_long_repairs_make_the_job_wait)
{
    /* With no spare, every node failure waits for the repair: the waiting
     * time per failure is repair - detection-to-detection overlap; with
     * fixed repairs of 2 days and rare failures it is 2 days each. */
    dcs_scenario sc = scen_basic(8, 8, 60.0 * 86400.0);
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 3600.0;
    sc.checkpoint.write_overhead_s = 30.0;
    dcs_failure_cfg *f = scen_add_failure(&sc, "node", DCS_SCOPE_NODE, DCS_DIST_EXPONENTIAL,
                                          8.0 * 30.0 * 86400.0, 0.0);
    f->repair = (dcs_dist){DCS_DIST_FIXED, 2.0 * 86400.0, 0.0};
    dcs_run_result *r = reps_run(&sc, 5, 30);
    int checked = 0;
    for (int i = 0; i < 30; i++) {
        if (r[i].n_fail[0] != 1)
            continue;
        cr_assert(epsilon_eq(dbl, r[i].cat_s[DCS_ACC_WAITING], 2.0 * 86400.0, 1e-6));
        checked++;
    }
    cr_assert_gt(checked, 0, "some replication must have exactly one failure");
    free(r);
}

/* spare_pool_empty_h: one spare, node failures about once a month and
 * fixed 2-day repairs that start at detection. A replication with exactly
 * one failure lends its spare at detection and gets the repaired node back
 * 2 days later, so the pool is empty for 2 days (or until the job ends, if
 * sooner); without failures it is never empty. */
Test(run, one_spare_lent_out_empties_the_pool_for_the_repair_time)
{
    const double repair_s = 2.0 * 86400.0, detect_s = 300.0;
    dcs_scenario sc = scen_basic(8, 8, 60.0 * 86400.0);
    sc.cluster.spare_nodes = 1;
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 3600.0;
    sc.checkpoint.write_overhead_s = 30.0;
    dcs_failure_cfg *f = scen_add_failure(&sc, "node", DCS_SCOPE_NODE, DCS_DIST_EXPONENTIAL,
                                          8.0 * 30.0 * 86400.0, 0.0);
    f->detect_s = detect_s;
    f->repair = (dcs_dist){DCS_DIST_FIXED, repair_s, 0.0};
    const int n = 40;
    dcs_run_result *r = reps_run(&sc, 5, n);
    int one = 0, some_empty = 0;
    for (int i = 0; i < n; i++) {
        cr_assert_geq(r[i].spare_empty_s, 0.0);
        cr_assert_leq(r[i].spare_empty_s, r[i].makespan_s);
        /* Empty at some time exactly when the fewest spares free was 0. */
        cr_assert_eq(r[i].spare_empty_s > 0.0, r[i].min_spares_free == 0, "rep %d", i);
        some_empty += r[i].spare_empty_s > 0.0;
        if (r[i].n_fail[0] == 0) {
            cr_assert_eq(r[i].spare_empty_s, 0.0);
        } else if (r[i].n_fail[0] == 1) {
            double lent = r[i].first_interrupt_s + detect_s;
            double want = fmin(repair_s, r[i].makespan_s - lent);
            cr_assert(epsilon_eq(dbl, r[i].spare_empty_s, want, 1e-6), "rep %d: %g s, want %g s", i,
                      r[i].spare_empty_s, want);
            one++;
        }
    }
    cr_assert_gt(one, 0, "some replication must have exactly one failure");
    cr_assert_gt(some_empty, 0, "the pool must run dry in some replication");
    free(r);
}

/* With more spares than failures the pool is never empty. */
Test(run, plenty_of_spares_leave_the_pool_never_empty)
{
    dcs_scenario sc = scen_basic(16, 8, 20.0 * 86400.0);
    sc.cluster.spare_nodes = 1000;
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 3600.0;
    sc.checkpoint.write_overhead_s = 30.0;
    dcs_failure_cfg *f = scen_add_failure(&sc, "node", DCS_SCOPE_NODE, DCS_DIST_EXPONENTIAL,
                                          16.0 * 24.0 * 3600.0, 0.0);
    f->repair = (dcs_dist){DCS_DIST_FIXED, 30.0 * 86400.0, 0.0};
    dcs_run_result *r = reps_run(&sc, 3, 20);
    for (int i = 0; i < 20; i++) {
        cr_assert_gt(r[i].n_fail[0], 0, "rep %d: spares must be lent out", i);
        cr_assert_eq(r[i].spare_empty_s, 0.0, "rep %d", i);
    }
    free(r);
}

/* Without spares the pool is empty for the whole run. */
Test(run, without_spares_the_pool_is_empty_the_whole_run)
{
    dcs_scenario sc = scen_basic(4, 8, 5.0 * 86400.0);
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 3600.0;
    sc.checkpoint.write_overhead_s = 30.0;
    scen_add_failure(&sc, "software", DCS_SCOPE_JOB, DCS_DIST_EXPONENTIAL, 2.0 * 86400.0, 0.0);
    dcs_run_result *r = reps_run(&sc, 8, 5);
    for (int i = 0; i < 5; i++)
        cr_assert_eq(r[i].spare_empty_s, r[i].makespan_s, "rep %d", i);
    free(r);
}

Test(run, same_seed_same_results_and_replications_differ)
{
    dcs_scenario sc = scen_basic(32, 8, 10.0 * 86400.0);
    sc.checkpoint.policy = DCS_CKPT_YOUNG;
    sc.checkpoint.write_overhead_s = 60.0;
    scen_add_failure(&sc, "gpu", DCS_SCOPE_ACCELERATOR, DCS_DIST_WEIBULL, 256.0 * 86400.0, 0.7);
    dcs_run_result *a = reps_run(&sc, 99, 5);
    dcs_run_result *b = reps_run(&sc, 99, 5);
    cr_assert_arr_eq(a, b, 5 * sizeof *a);
    cr_assert_neq(a[0].makespan_s, a[1].makespan_s);
    free(a);
    free(b);
}

/* Common random numbers: changing only the checkpoint interval leaves the
 * failure process alone. Both runs are cut at the same horizon (max_time,
 * before either finishes); with spares always free, node failures and swaps
 * happen at the same times whatever the job does, so replication r counts
 * exactly the same failures, while the checkpoint counts differ. */
Test(run, checkpoint_interval_does_not_change_the_failure_draws)
{
    dcs_scenario sc = scen_basic(16, 8, 10.0 * 86400.0);
    sc.cluster.spare_nodes = 64;
    sc.cluster.swap_s = 600.0;
    sc.sim.max_time_s = 5.0 * 86400.0;
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 3600.0;
    sc.checkpoint.write_overhead_s = 60.0;
    dcs_failure_cfg *f =
        scen_add_failure(&sc, "node", DCS_SCOPE_NODE, DCS_DIST_WEIBULL, 16.0 * 2.0 * 86400.0, 0.7);
    f->repair = (dcs_dist){DCS_DIST_FIXED, 3600.0, 0.0};
    dcs_run_result *a = reps_run(&sc, 5, 10);
    sc.checkpoint.interval_s = 2.385 * 3600.0;
    dcs_run_result *b = reps_run(&sc, 5, 10);
    for (int i = 0; i < 10; i++) {
        cr_assert_eq(a[i].completed, 0);
        cr_assert_gt(a[i].n_fail[0], 0);
        cr_assert_eq(a[i].n_fail[0], b[i].n_fail[0], "replication %d", i);
        cr_assert_neq(a[i].n_checkpoints, b[i].n_checkpoints);
    }
    free(a);
    free(b);
}

Test(checkpoint, young_and_daly_match_published_values)
{
    /* Daly (2006) figure captions, recomputed in shared refs 2.2: delta =
     * 5 min and M = 24 h / 6 h / 15 min give 116.69 / 56.71 / 9.14 min;
     * Young gives 120.0 / 60.0 / 12.25 min. */
    const double d = 300.0;
    const double m[3] = {24 * 3600.0, 6 * 3600.0, 15 * 60.0};
    const double daly_min[3] = {116.69, 56.71, 9.14};
    const double young_min[3] = {120.0, 60.0, 12.247};
    for (int i = 0; i < 3; i++) {
        cr_assert(epsilon_eq(dbl, dcs_ckpt_daly(d, m[i]) / 60.0, daly_min[i], 0.006));
        cr_assert(epsilon_eq(dbl, dcs_ckpt_young(d, m[i]) / 60.0, young_min[i], 0.001));
    }
    /* delta >= 2M: Daly's interval is M. */
    cr_assert_eq(dcs_ckpt_daly(7200.0, 3000.0), 3000.0);
    cr_assert(isinf(dcs_ckpt_daly(300.0, HUGE_VAL)));
}

Test(checkpoint, daly_walltime_matches_published_values)
{
    /* Shared refs 2.2: T_w at tau_opt = 547.88 h, 610.22 h, 2504.2 h for
     * Ts = 500 h, R = 10 min, delta = 5 min. */
    const double m[3] = {24 * 3600.0, 6 * 3600.0, 15 * 60.0};
    const double want_h[3] = {547.88, 610.22, 2504.2};
    for (int i = 0; i < 3; i++) {
        double tau = dcs_ckpt_daly(300.0, m[i]);
        double t = dcs_ckpt_daly_walltime(500 * 3600.0, tau, 300.0, 600.0, m[i]) / 3600.0;
        cr_assert(epsilon_eq(dbl, t, want_h[i], 0.05 + 1e-4 * want_h[i]), "got %.3f h", t);
    }
}

Test(checkpoint, mtti_sums_the_rates_of_every_unit)
{
    dcs_scenario sc = scen_basic(2048, 8, 1.0);
    scen_add_failure(&sc, "gpu", DCS_SCOPE_ACCELERATOR, DCS_DIST_EXPONENTIAL, 79230.0 * 3600.0,
                     0.0);
    scen_add_failure(&sc, "host", DCS_SCOPE_NODE, DCS_DIST_WEIBULL, 50080.0 * 3600.0, 0.7);
    scen_add_failure(&sc, "sw", DCS_SCOPE_JOB, DCS_DIST_EXPONENTIAL, 20.57 * 3600.0, 0.0);
    double rate = 16384.0 / 79230.0 + 2048.0 / 50080.0 + 1.0 / 20.57; /* per hour */
    cr_assert(epsilon_eq(dbl, dcs_ckpt_mtti_s(&sc) / 3600.0, 1.0 / rate, 1e-12));
}

Test(checkpoint, write_and_read_times_follow_size_and_bandwidth)
{
    dcs_ckpt_cfg c = {
        .size_bytes = 6.48e12, .write_bps = 2e12, .read_bps = 4e12, .write_overhead_s = 30.0};
    cr_assert(epsilon_eq(dbl, dcs_ckpt_write_s(&c), 3.24 + 30.0, 1e-12));
    cr_assert(epsilon_eq(dbl, dcs_ckpt_read_s(&c), 1.62, 1e-12));
}

Test(world, zero_checkpoint_write_time_is_an_input_error)
{
    dcs_scenario sc = scen_basic(1, 8, 3600.0);
    sc.checkpoint.policy = DCS_CKPT_YOUNG;
    scen_add_failure(&sc, "sw", DCS_SCOPE_JOB, DCS_DIST_EXPONENTIAL, 3600.0, 0.0);
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert_null(dcs_world_create(&sc, &err));
    cr_assert_eq(err.code, DCS_EINPUT);
    cr_assert_str_eq(err.key, "checkpoint.policy");
}

/* The /summary row: the accelerator-hour categories, spares included, add
 * up to the accelerator-hours held, in every replication (1e-9 relative),
 * and the compute cost is hours held times the price. */
Test(world, accelerator_hour_split_adds_up_to_hours_held_in_every_row)
{
    dcs_scenario sc = scen_basic(64, 8, 20.0 * 86400.0);
    sc.cluster.spare_nodes = 2;
    sc.cluster.swap_s = 600.0;
    sc.restart.overhead_s = 600.0;
    sc.checkpoint.policy = DCS_CKPT_DALY;
    sc.checkpoint.write_overhead_s = 90.0;
    dcs_failure_cfg *g = scen_add_failure(&sc, "gpu", DCS_SCOPE_ACCELERATOR, DCS_DIST_WEIBULL,
                                          512.0 * 4.0 * 86400.0, 0.75);
    g->repair = (dcs_dist){DCS_DIST_LOGNORMAL, 2.0 * 86400.0, 1.0};
    scen_add_failure(&sc, "software", DCS_SCOPE_JOB, DCS_DIST_EXPONENTIAL, 12.0 * 3600.0, 0.0);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_world *w = dcs_world_create(&sc, &err);
    cr_assert_not_null(w);
    dcs_engine *eng = dcs_world_engine_create(w, &err);
    cr_assert_not_null(eng);
    size_t nc = dcs_world_ncols(w);
    const dcs_column *cols = dcs_world_cols(w);
    dcs_cell cells[64];
    cr_assert_leq(nc, 64);
    long held = -1, cost = -1, parts[9], np = 0;
    for (size_t j = 0; j < nc; j++) {
        if (strcmp(cols[j].name, "accelerator_hours_held") == 0)
            held = (long)j;
        else if (strncmp(cols[j].name, "accelerator_hours_", 18) == 0 &&
                 strncmp(cols[j].name, "accelerator_hours_lost_to_", 26) != 0)
            parts[np++] = (long)j;
        else if (strcmp(cols[j].name, "cost_compute_usd") == 0)
            cost = (long)j;
    }
    cr_assert(held >= 0 && cost >= 0);
    cr_assert_eq(
        np, 9,
        "productive, lost, checkpointing, restarting, waiting, slowed, maintenance, throttled, "
        "spare");
    int waited = 0;
    for (uint64_t rep = 0; rep < 30; rep++) {
        dcs_run_result r;
        cr_assert_eq(dcs_world_run(w, eng, 2385, rep, &r, &err), 0);
        dcs_world_row(w, 0, (int64_t)rep, &r, cells);
        double sum = 0.0;
        for (long k = 0; k < np; k++)
            sum += cells[parts[k]].f;
        double h = cells[held].f;
        cr_assert(epsilon_eq(dbl, sum, h, 1e-9 * h), "rep %llu: %.17g != %.17g",
                  (unsigned long long)rep, sum, h);
        cr_assert(epsilon_eq(dbl, cells[cost].f, h * 2.385, 1e-9 * h * 2.385));
        waited += r.cat_s[DCS_ACC_WAITING] > 0.0;
    }
    cr_assert_gt(waited, 0, "the scenario must exercise the waiting category");
    dcs_engine_destroy(eng);
    dcs_world_destroy(w);
}

/* A leaf-switch failure takes every node below it out: with 4 nodes per
 * switch and 4 spares, the first switch failure uses all 4 spares; the
 * categories still add up. */
Test(run, a_switch_failure_takes_every_node_below_it_out)
{
    dcs_scenario sc = scen_basic(8, 8, 20.0 * 86400.0);
    sc.cluster.nodes_per_switch = 4;
    sc.cluster.spare_nodes = 4;
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 3600.0;
    sc.checkpoint.write_overhead_s = 30.0;
    dcs_failure_cfg *f = scen_add_failure(&sc, "tor", DCS_SCOPE_SWITCH, DCS_DIST_EXPONENTIAL,
                                          2.0 * 15.0 * 86400.0, 0.0);
    f->repair = (dcs_dist){DCS_DIST_FIXED, 60.0 * 86400.0, 0.0};
    dcs_run_result *r = reps_run(&sc, 12, 50);
    int checked = 0;
    for (int i = 0; i < 50; i++) {
        if (r[i].n_fail[0] == 0)
            continue;
        cr_assert_eq(r[i].min_spares_free, 0, "rep %d: one switch failure needs 4 spares", i);
        if (r[i].n_fail[0] >= 2)
            cr_assert_gt(r[i].cat_s[DCS_ACC_WAITING], 0.0, "rep %d: the second must wait", i);
        checked++;
    }
    cr_assert_gt(checked, 10);
    free(r);
}

/* A restart-action hardware class (a GPU reset) interrupts the job but
 * sends nothing to repair: no spare is ever used and the job never waits. */
Test(run, a_restart_action_uses_no_spare)
{
    dcs_scenario sc = scen_basic(16, 8, 20.0 * 86400.0);
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 3600.0;
    sc.checkpoint.write_overhead_s = 30.0;
    sc.restart.overhead_s = 600.0;
    sc.restart.warmup_s = 120.0;
    dcs_failure_cfg *f = scen_add_failure(&sc, "reset", DCS_SCOPE_ACCELERATOR, DCS_DIST_EXPONENTIAL,
                                          128.0 * 86400.0, 0.0);
    f->action = DCS_ACTION_RESTART;
    dcs_run_result *r = reps_run(&sc, 13, 30);
    for (int i = 0; i < 30; i++) {
        cr_assert_gt(r[i].n_interruptions, 5);
        cr_assert_eq(r[i].min_spares_free, 0); /* no spares at all, and never negative */
        cr_assert_eq(r[i].cat_s[DCS_ACC_WAITING], 0.0);
        /* With no waiting, the outages charged to the class are exactly the
         * restarting time, and each restart takes at least overhead + warm-up
         * unless a failure cuts it short. */
        cr_assert(epsilon_eq(dbl, r[i].downtime_s[0], r[i].cat_s[DCS_ACC_RESTART], 1e-6));
        cr_assert_geq(r[i].downtime_s[0], 720.0);
    }
    free(r);
}
