/*
 * test_resilience.c - the scenario keys of fail-slow classes, planned
 * maintenance, failure classes given as shares, shrinking, asynchronous
 * and in-memory checkpoints: what they load to, and their exact errors.
 */
#include "expect.h"

#include <criterion/new/assert.h>
#include <math.h>

#define HOUR 3600.0

/* BASE is lines 1-10; these add lines 11 on. */
#define CLASSES                                                                                    \
    "failures:\n"                                                                                  \
    "  - name: gpu\n"                                                                              \
    "    scope: accelerator\n"                                                                     \
    "    share: 0.6\n"                                                                             \
    "    repair_time: 2d\n"                                                                        \
    "  - name: software\n"                                                                         \
    "    scope: job\n"                                                                             \
    "    share: 0.4\n"

Test(resilience_keys, shares_divide_failure_total_between_the_classes)
{
    /* 10 interruptions a day: gpu 6 a day over 16 accelerators (one every
     * 16/6 d each), software 4 a day (one every 6 h). */
    dcs_scenario s;
    expect_ok(BASE CLASSES "failure_total:\n  interruptions_per_day: 10\n", &s);
    cr_assert(ieee_ulp_eq(dbl, s.failures[0].ttf.mean_s, 16.0 / 6.0 * 86400.0, 4));
    cr_assert(ieee_ulp_eq(dbl, s.failures[1].ttf.mean_s, 6.0 * HOUR, 4));
    expect_ok(BASE CLASSES "failure_total:\n  mtti: 2.4h\n", &s);
    cr_assert(ieee_ulp_eq(dbl, s.failures[1].ttf.mean_s, 6.0 * HOUR, 4));
}

Test(resilience_keys, shares_that_do_not_add_up_are_refused)
{
    expect_err(BASE "failures:\n  - name: gpu\n    scope: accelerator\n    share: 0.5\n"
                    "    repair_time: 2d\n  - name: software\n    scope: job\n    share: 0.43\n"
                    "failure_total:\n  interruptions_per_day: 10\n",
               "t.yaml:12:3: failures: the shares of the failure classes add up to 0.93; they "
               "must add up to 1 (within 0.005)");
    expect_err(BASE CLASSES, "t.yaml:14:12: failures[0].share: a share of what? give "
                             "failure_total (interruptions_per_day or mtti)");
    expect_err(BASE "failure_total:\n  mtti: 3h\n",
               "t.yaml:12:3: failure_total: is only used with failure classes given as a share; "
               "no class has one");
    expect_err(BASE "failures:\n  - name: gpu\n    scope: accelerator\n    share: 1.2\n",
               "t.yaml:14:12: failures[0].share: must be in (0, 1], got \"1.2\"");
    expect_err(BASE "failures:\n  - name: gpu\n    scope: accelerator\n    share: 0.5\n"
                    "    mtbf: 3y\n",
               "t.yaml:14:12: failures[0].share: give one of mtbf, annual_failure_rate, "
               "failures_per_1000_unit_days and share");
}

Test(resilience_keys, slow_classes_need_a_speed_and_a_node)
{
    dcs_scenario s;
    expect_ok(BASE "failures:\n  - name: straggler\n    scope: node\n    action: slow\n"
                   "    speed: 0.6\n    mtbf: 1y\n    detection: 30min\n    repair_time: 1d\n",
              &s);
    cr_assert_eq(s.failures[0].action, DCS_ACTION_SLOW);
    cr_assert_eq(s.failures[0].speed, 0.6);
    cr_assert_eq(s.failures[0].detect_s, 1800.0);
    expect_err(BASE "failures:\n  - name: straggler\n    scope: node\n    action: slow\n"
                    "    mtbf: 1y\n    repair_time: 1d\n",
               "t.yaml:12:5: failures[0].speed: missing required key; a slow unit runs at this "
               "fraction of its speed");
    expect_err(BASE "failures:\n  - name: straggler\n    scope: node\n    action: slow\n"
                    "    speed: 1\n    mtbf: 1y\n    repair_time: 1d\n",
               "t.yaml:15:12: failures[0].speed: must be in (0, 1), got \"1\"");
    expect_err(BASE "failures:\n  - name: straggler\n    scope: job\n    action: slow\n"
                    "    speed: 0.5\n    mtbf: 1y\n",
               "t.yaml:14:13: failures[0].action: action slow is for units inside a node "
               "(accelerator, hbm, node), not scope job");
    expect_err(BASE "failures:\n  - name: gpu\n    scope: node\n    speed: 0.5\n    mtbf: 1y\n"
                    "    repair_time: 1d\n",
               "t.yaml:14:12: failures[0].speed: is only used with action slow");
}

Test(resilience_keys, maintenance_is_a_schedule)
{
    dcs_scenario s;
    expect_ok(BASE "failures:\n  - name: patch\n    scope: maintenance\n    every: 30d\n"
                   "    duration: 4h\n",
              &s);
    cr_assert_eq(s.failures[0].action, DCS_ACTION_PLANNED);
    cr_assert_eq(s.failures[0].ttf.kind, DCS_DIST_FIXED);
    cr_assert_eq(s.failures[0].ttf.mean_s, 30.0 * 86400.0);
    cr_assert_eq(s.failures[0].first_s, 30.0 * 86400.0, "first defaults to every");
    cr_assert_eq(s.failures[0].repair.mean_s, 4.0 * HOUR);
    expect_err(BASE "failures:\n  - name: patch\n    scope: maintenance\n    duration: 4h\n",
               "t.yaml:12:5: failures[0].every: missing required key; a fixed schedule (or "
               "mtbf: windows at random)");
    expect_err(BASE "failures:\n  - name: patch\n    scope: maintenance\n    every: 1d\n"
                    "    duration: 1d\n",
               "t.yaml:15:15: failures[0].duration: a window as long as the time between "
               "windows leaves no time to train");
    expect_err(BASE "failures:\n  - name: patch\n    scope: maintenance\n    every: 30d\n"
                    "    duration: 4h\n    shape: 2\n",
               "t.yaml:16:12: failures[0].shape: is not used with scope maintenance (give every "
               "or mtbf, duration, first)");
    expect_err(BASE "failures:\n  - name: patch\n    scope: node\n    mtbf: 3y\n"
                    "    repair_time: 1d\n    every: 30d\n",
               "t.yaml:16:12: failures[0].every: is only used with scope maintenance");
    expect_err(BASE "failures:\n  - name: patch\n    scope: node\n    action: planned\n"
                    "    mtbf: 3y\n",
               "t.yaml:14:13: failures[0].action: action planned is for scope maintenance");
}

/* Planned interruptions at random: a mean time between windows (47 in 54
 * days is Llama 3's count, shared refs 1.1), instead of a schedule. */
Test(resilience_keys, maintenance_may_arrive_at_random)
{
    dcs_scenario s;
    expect_ok(BASE "failures:\n  - name: planned\n    scope: maintenance\n    mtbf: 27.574h\n"
                   "    duration: 1.5h\n",
              &s);
    cr_assert_eq(s.failures[0].action, DCS_ACTION_PLANNED);
    cr_assert_eq(s.failures[0].ttf.kind, DCS_DIST_EXPONENTIAL);
    cr_assert(ieee_ulp_eq(dbl, s.failures[0].ttf.mean_s, 27.574 * HOUR, 4));
    cr_assert_eq(s.failures[0].repair.mean_s, 1.5 * HOUR);
    expect_round_trip(BASE "failures:\n  - name: planned\n    scope: maintenance\n"
                           "    mtbf: 27.574h\n    duration: 1.5h\n");
    expect_err(BASE "failures:\n  - name: planned\n    scope: maintenance\n    every: 30d\n"
                    "    mtbf: 30d\n    duration: 1h\n",
               "t.yaml:15:11: failures[0].mtbf: give one of every (a fixed schedule) and mtbf "
               "(windows at random)");
    expect_err(BASE "failures:\n  - name: planned\n    scope: maintenance\n    mtbf: 30d\n"
                    "    first: 1d\n    duration: 1h\n",
               "t.yaml:15:12: failures[0].first: is only used with every (a fixed schedule)");
    expect_err(BASE "failures:\n  - name: planned\n    scope: maintenance\n    mtbf: 30d\n",
               "t.yaml:12:5: failures[0].duration: missing required key");
    expect_err(BASE "failures:\n  - name: planned\n    scope: maintenance\n    mtbf: 30\n"
                    "    duration: 1h\n",
               "t.yaml:14:11: failures[0].mtbf: \"30\" has no unit; use one of s, min, h, d, w, "
               "y");
}

Test(resilience_keys, shrinking_and_its_floor)
{
    dcs_scenario s;
    expect_ok(BASE, &s);
    cr_assert_eq(s.cluster.on_no_spare, DCS_NO_SPARE_WAIT);
    expect_ok("name: x\ncluster:\n  accelerator: H100-SXM-80GB\n  nodes: 8\n"
              "  on_no_spare: shrink\n  min_nodes: 6\n"
              "job:\n  flops: 1e24\n  mfu: 0.4\ncheckpoint:\n  policy: none\n",
              &s);
    cr_assert_eq(s.cluster.on_no_spare, DCS_NO_SPARE_SHRINK);
    cr_assert_eq(s.cluster.min_nodes, 6);
    expect_err("name: x\ncluster:\n  accelerator: H100-SXM-80GB\n  nodes: 8\n"
               "  on_no_spare: shrink\n  min_nodes: 9\njob:\n  flops: 1e24\n  mfu: 0.4\n",
               "t.yaml:6:14: cluster.min_nodes: 9 is more than the job's 8 nodes");
    expect_err("name: x\ncluster:\n  accelerator: H100-SXM-80GB\n  nodes: 8\n"
               "  min_nodes: 4\njob:\n  flops: 1e24\n  mfu: 0.4\n",
               "t.yaml:5:14: cluster.min_nodes: is only used with on_no_spare shrink");
}

Test(resilience_keys, async_and_memory_checkpoints)
{
    dcs_scenario s;
    expect_ok(BASE "  mode: async\n  snapshot_time: 20s\n  retain: 3\n", &s);
    cr_assert_eq(s.checkpoint.mode, DCS_CKPT_ASYNC);
    cr_assert_eq(s.checkpoint.snapshot_s, 20.0);
    cr_assert_eq(s.checkpoint.retain, 3);
    expect_ok(BASE "  memory:\n    interval: 10min\n    write_bandwidth: 10TB/s\n", &s);
    cr_assert_eq(s.checkpoint.mem_interval_s, 600.0);
    cr_assert_eq(s.checkpoint.mem_write_bps, 10e12);
    cr_assert_eq(s.checkpoint.mem_read_bps, 10e12, "read defaults to write");
    expect_err(BASE "  mode: async\n",
               "t.yaml:9:3: checkpoint.snapshot_time: missing required key");
    expect_err(BASE "  snapshot_time: 20s\n",
               "t.yaml:11:18: checkpoint.snapshot_time: is only used with mode async");
    expect_err(BASE "  mode: async\n  snapshot_time: 20s\n  memory:\n    interval: 10min\n",
               "t.yaml:14:5: checkpoint.memory: an in-memory level cannot be combined with mode "
               "async (an async checkpoint already snapshots into memory)");
    expect_err(BASE "  memory:\n    write_bandwidth: 1TB/s\n",
               "t.yaml:12:5: checkpoint.memory.interval: missing required key");
}

Test(resilience_keys, new_keys_survive_the_resolved_yaml_round_trip)
{
    dcs_scenario a, b;
    const char *text = "name: x\ncluster:\n  accelerator: H100-SXM-80GB\n  nodes: 8\n"
                       "  on_no_spare: shrink\n  min_nodes: 6\n"
                       "job:\n  flops: 1e24\n  mfu: 0.4\n"
                       "checkpoint:\n  size: 1TB\n  write_bandwidth: 1TB/s\n  retain: 2\n"
                       "  memory: {interval: 10min, write_bandwidth: 10TB/s, overhead: 1s}\n"
                       "failures:\n"
                       "  - {name: slow, scope: hbm, action: slow, speed: 0.3, mtbf: 2y,"
                       " repair_time: 1d}\n"
                       "  - {name: patch, scope: maintenance, every: 30d, first: 3d,"
                       " duration: 4h}\n"
                       "  - {name: gpu, scope: accelerator, share: 1, repair_time: 1d}\n"
                       "failure_total: {interruptions_per_day: 2}\n";
    char *yaml = NULL;
    dcs_err err;
    cr_assert_eq(dcs_scenario_load_string(text, "t.yaml", NULL, 0, &a, &yaml, &err), 0);
    expect_ok(yaml, &b);
    cr_assert_eq(memcmp(&a, &b, sizeof a), 0, "the resolved YAML loads to another struct:\n%s",
                 yaml);
    free(yaml);
}
