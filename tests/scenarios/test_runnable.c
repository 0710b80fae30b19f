/*
 * test_runnable.c - scenarios that load key by key but cannot run, refused
 * by the loader's last pass (scenarios/runnable.c) at the key at fault:
 * what the model holds, a job that can never progress, failure rates of
 * more than one a second, and sweep designs that vary what the points
 * share. Each message is checked exactly, "file:line:col: key: message".
 */
#include "expect.h"

/* Lines 1-10: two nodes of 8 accelerators (16 units); a 1 TB checkpoint
 * written at WRITE (line 10, value at column 20). */
#define HEAD(write)                                                                                \
    "name: x\n"                                                                                    \
    "cluster:\n"                                                                                   \
    "  accelerator: H100-SXM-80GB\n"                                                               \
    "  nodes: 2\n"                                                                                 \
    "job:\n"                                                                                       \
    "  flops: 1e24\n"                                                                              \
    "  mfu: 0.4\n"                                                                                 \
    "checkpoint:\n"                                                                                \
    "  size: 1TB\n"                                                                                \
    "  write_bandwidth: " write "\n"

/* Lines 11-15: one accelerator class of mean time to failure MTBF (line 14). */
#define GPU(mtbf)                                                                                  \
    "failures:\n"                                                                                  \
    "  - name: gpu\n"                                                                              \
    "    scope: accelerator\n"                                                                     \
    "    mtbf: " mtbf "\n"                                                                         \
    "    repair_time: 2d\n"

#define ALLOW "simulation:\n  allow_no_progress: true\n"

/* 16 units of mean 1 h: an MTTI of 225 s, below the default 5 min restart
 * and the 1 s read of the checkpoint (read_bandwidth defaults to write's).
 * No restart section: the position is the scenario's own. */
Test(runnable, restart_at_the_mtti_is_refused_with_the_figures)
{
    expect_err(HEAD("1TB/s") GPU("1h"),
               "t.yaml:1:1: restart.overhead: the restart time 5.02 min (overhead, warm-up, "
               "checkpoint read) >= the MTTI 3.75 min: almost every restart is interrupted before "
               "the job computes again, so it can never finish; give "
               "simulation.allow_no_progress: true to run it anyway");
}

/* A write of 1,000 s against 16 units of mean 4 h: an MTTI of 900 s. */
Test(runnable, checkpoint_write_at_the_mtti_is_refused_at_its_key)
{
    expect_err(HEAD("1GB/s") GPU("4h"),
               "t.yaml:10:20: checkpoint.write_bandwidth: the write time 16.7 min >= the MTTI 15 "
               "min: almost no checkpoint completes before the next interruption, so the job can "
               "never finish; give simulation.allow_no_progress: true to run it anyway");
    /* Just above the restart, 1,300 s (5 min and a 1,000 s read), it runs:
     * 16 units of mean 20,820 s make an MTTI of 1,301.25 s. */
    dcs_scenario *s = malloc(sizeof *s);
    cr_assert_not_null(s);
    expect_ok(HEAD("1GB/s") GPU("20820s"), s);
    free(s);
}

Test(runnable, allow_no_progress_runs_it_and_survives_the_resolved_yaml)
{
    dcs_scenario *s = malloc(sizeof *s);
    cr_assert_not_null(s);
    expect_ok(HEAD("1GB/s") GPU("4h") ALLOW, s);
    cr_assert(s->sim.allow_no_progress);
    free(s);
    expect_round_trip(HEAD("1GB/s") GPU("4h") ALLOW);
}

Test(runnable, mean_time_to_failure_below_a_second_is_refused_in_every_form)
{
    expect_err(HEAD("1TB/s") GPU("1e-300s"),
               "t.yaml:14:11: failures[0].mtbf: gives a mean time to failure of 1e-300 s per "
               "unit, below 1 s, the least dcsim takes (no unit fails that often: check the unit)");
    expect_err(HEAD("1TB/s") "failures:\n"
                             "  - name: node\n"
                             "    scope: node\n"
                             "    failures_per_1000_unit_days: 1e9\n"
                             "    repair_time: 1d\n",
               "t.yaml:14:34: failures[0].failures_per_1000_unit_days: gives a mean time to "
               "failure of 0.0864 s per unit, below 1 s, the least dcsim takes (no unit fails "
               "that often: check the unit)");
    expect_err(HEAD("1TB/s") "failures:\n"
                             "  - name: window\n"
                             "    scope: maintenance\n"
                             "    mtbf: 0.5s\n"
                             "    duration: 1h\n",
               "t.yaml:14:11: failures[0].mtbf: gives a mean time to failure of 0.5 s per unit, "
               "below 1 s, the least dcsim takes (no unit fails that often: check the unit)");
    /* 16 units sharing 1,000 interruptions a second: 0.016 s each. */
    expect_err(HEAD("1TB/s") "failure_total:\n"
                             "  mtti: 0.001s\n"
                             "failures:\n"
                             "  - name: gpu\n"
                             "    scope: accelerator\n"
                             "    share: 1\n"
                             "    repair_time: 1d\n",
               "t.yaml:16:12: failures[0].share: gives a mean time to failure of 0.016 s per "
               "unit, below 1 s, the least dcsim takes (no unit fails that often: check the unit)");
    /* One second is taken (the bound is closed). */
    dcs_scenario *s = malloc(sizeof *s);
    cr_assert_not_null(s);
    expect_ok(HEAD("1TB/s") GPU("1s") ALLOW, s);
    free(s);
}

/* The model's own refusal (dcs_run_cfg_init), placed at the key it names. */
Test(runnable, more_accelerators_than_the_model_holds_is_refused_at_the_key)
{
    expect_err("name: x\n"
               "cluster:\n"
               "  accelerator: H100-SXM-80GB\n"
               "  nodes: 40000\n"
               "  accelerators_per_node: 60000\n"
               "job:\n"
               "  flops: 1e24\n"
               "  mfu: 0.4\n"
               "checkpoint:\n"
               "  policy: none\n"
               "failures:\n"
               "  - name: gpu\n"
               "    scope: accelerator\n"
               "    mtbf: 5y\n"
               "    repair_time: 2d\n",
               "t.yaml:5:26: cluster.accelerators_per_node: 2400000000 accelerators "
               "(cluster.nodes x accelerators_per_node): the model holds at most 2147483647");
    /* The node count is checked as it is read, before anything multiplies it. */
    expect_err("name: x\n"
               "cluster:\n"
               "  accelerator: H100-SXM-80GB\n"
               "  nodes: 10000000\n",
               "t.yaml:4:10: cluster.nodes: must be <= 4194303 (the most the model holds: each "
               "node may have four events pending and the engine holds 2^24 - 1), got 10000000");
}

/* The points of a sweep share the seed and the replication count: a design
 * that varies either is refused at its key, whatever the block; the
 * sweep's own set may give them. */
Test(runnable, sweep_design_may_not_vary_the_seed_or_the_replications)
{
    expect_sweep_err(SWEEP_HEAD "  - grid:\n      simulation.seed: [1, 2]\n",
                     "sweep.yaml:22:7: simulation.seed: the points of a sweep share one seed and "
                     "one replication count, so that replication r of every point draws the same "
                     "random numbers; set it in the base or the sweep's set (or give --seed), not "
                     "in the design");
    expect_sweep_err(SWEEP_HEAD "  - lhs:\n      points: 4\n      ranges:\n"
                                "        simulation.replications: [10, 20]\n",
                     "sweep.yaml:24:9: simulation.replications: the points of a sweep share one "
                     "seed and one replication count, so that replication r of every point draws "
                     "the same random numbers; set it in the base or the sweep's set (or give -n), "
                     "not in the design");
    dcs_sweep *sw = expect_sweep(SWEEP_INLINE "set:\n  simulation.seed: 9\n"
                                              "design:\n  - grid:\n      job.mfu: [0.3, 0.4]\n");
    dcs_sweep_destroy(sw);
}
