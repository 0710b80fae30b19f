/*
 * test_errors.c - malformed scenarios, each checked for its exact message
 * "file:line:col: key.path: message".
 *
 * Lines and columns are 1-based and point at the offending value, at the
 * key for an unknown or duplicate key, and at the start of the parent
 * mapping for a missing key. BASE (expect.h) is lines 1-10.
 */
#include "expect.h"

#include <stdio.h>

/* Lines 1-7: name, cluster and job, no checkpoint section. */
#define HEAD7                                                                                      \
    "name: x\n"                                                                                    \
    "cluster:\n"                                                                                   \
    "  accelerator: H100-SXM-80GB\n"                                                               \
    "  nodes: 2\n"                                                                                 \
    "job:\n"                                                                                       \
    "  flops: 1e24\n"                                                                              \
    "  mfu: 0.4\n"

/* Lines 8-10: a valid checkpoint section. */
#define CKPT3 "checkpoint:\n  size: 1TB\n  write_bandwidth: 1TB/s\n"

/* Lines 11-15 of BASE + GPU: one accelerator failure class. */
#define GPU                                                                                        \
    "failures:\n"                                                                                  \
    "  - name: gpu\n"                                                                              \
    "    scope: accelerator\n"                                                                     \
    "    mtbf: 5y\n"                                                                               \
    "    repair_time: 2d\n"

Test(errors, yaml_syntax_error_has_the_parser_position)
{
    expect_err("name: x\ncluster: [a, b\n",
               "t.yaml:3:1: did not find expected ',' or ']' while parsing a flow sequence");
}

Test(errors, top_level_list_is_refused)
{
    expect_err("- a\n- b\n", "t.yaml:1:1: expected a mapping of scenario keys, got a list");
}

Test(errors, empty_file_is_refused)
{
    expect_err("", "t.yaml:1:1: the file holds no scenario");
    expect_err("# only a comment\n", "t.yaml:1:1: the file holds no scenario");
}

Test(errors, second_document_is_refused)
{
    expect_err(BASE "---\nname: y\n", "t.yaml:12:1: the file holds more than one YAML document");
}

Test(errors, unknown_key_suggests_a_near_key)
{
    expect_err(BASE "simulaton:\n  seed: 3\n",
               "t.yaml:11:1: simulaton: unknown key; did you mean \"simulation\"?");
    expect_err(BASE GPU "    mtbf_h: 3\n",
               "t.yaml:16:5: failures[0].mtbf_h: unknown key; did you mean \"mtbf\"?");
    expect_err("name: x\ncluster:\n  accelerator: H100-SXM-80GB\n  nodes: 2\n"
               "  accelerator_overrides:\n    peak_flop: 1e15\n",
               "t.yaml:6:5: cluster.accelerator_overrides.peak_flop: unknown key; did you mean "
               "\"peak_flops\"?");
}

Test(errors, unknown_key_without_a_near_key_lists_the_known_ones)
{
    expect_err(BASE "vendor: acme\n",
               "t.yaml:11:1: vendor: unknown key; expected one of name, description, sources, "
               "cluster, job, checkpoint, restart, failures, failure_total, power, cooling, "
               "weather, electricity, carbon, market, procurement, costs, targets, simulation");
}

Test(errors, duplicate_key_names_the_first_line)
{
    expect_err(BASE "name: y\n", "t.yaml:11:1: name: duplicate key; first given at line 1");
}

Test(errors, missing_required_key_points_at_the_parent_mapping)
{
    expect_err("cluster:\n  accelerator: H100-SXM-80GB\n  nodes: 2\n",
               "t.yaml:1:1: name: missing required key");
    expect_err("name: x\njob:\n  flops: 1e24\n  mfu: 0.4\n",
               "t.yaml:1:1: cluster: missing required key");
    expect_err("name: x\ncluster:\n  accelerator: H100-SXM-80GB\njob:\n  flops: 1\n",
               "t.yaml:3:3: cluster.nodes: missing required key");
}

Test(errors, unknown_accelerator_points_to_the_catalog)
{
    expect_err("name: x\ncluster:\n  accelerator: H1000\n  nodes: 2\n",
               "t.yaml:3:16: cluster.accelerator: unknown accelerator \"H1000\"; run `dcsim "
               "catalog` to list the known ones");
}

Test(errors, integer_keys_refuse_fractions_and_small_values)
{
    expect_err("name: x\ncluster:\n  accelerator: H100-SXM-80GB\n  nodes: 2048.5\n",
               "t.yaml:4:10: cluster.nodes: expected an integer, got \"2048.5\"");
    expect_err("name: x\ncluster:\n  accelerator: H100-SXM-80GB\n  nodes: 0\n",
               "t.yaml:4:10: cluster.nodes: must be >= 1, got \"0\"");
    expect_err(BASE "simulation:\n  replications: 0\n",
               "t.yaml:12:17: simulation.replications: must be >= 1, got \"0\"");
    expect_err(BASE "simulation:\n  seed: -3\n",
               "t.yaml:12:9: simulation.seed: must be >= 0, got \"-3\"");
}

Test(errors, wrong_node_type_is_named)
{
    expect_err("name: x\ncluster: [1, 2]\n",
               "t.yaml:2:10: cluster: expected a mapping, got a list");
    expect_err("name: {a: 1}\n", "t.yaml:1:7: name: expected a string, got a mapping");
    expect_err(BASE "failures:\n  gpu: 1\n",
               "t.yaml:12:3: failures: expected a list of failure classes, got a mapping");
    expect_err(BASE "sources: {a: b}\n", "t.yaml:11:10: sources: expected a string, got a mapping");
}

Test(errors, empty_value_is_refused)
{
    expect_err(BASE "restart:\n  overhead:\n",
               "t.yaml:12:12: restart.overhead: expected a duration, got no value");
}

Test(errors, boolean_must_be_true_or_false)
{
    expect_err("name: x\ncluster:\n  accelerator: H100-SXM-80GB\n  nodes: 2\n  bill_spares: yes\n",
               "t.yaml:5:16: cluster.bill_spares: expected true or false, got \"yes\"");
}

Test(errors, catalog_without_rental_price_needs_a_price)
{
    expect_err("name: x\ncluster:\n  accelerator: H200-SXM-141GB\n  nodes: 2\n",
               "t.yaml:3:3: cluster.price_usd_per_accelerator_hour: missing required key; the "
               "catalog has no rental price for this accelerator");
}

Test(errors, override_needs_its_unit)
{
    expect_err("name: x\ncluster:\n  accelerator: H100-SXM-80GB\n  accelerator_overrides:\n"
               "    tdp: 700\n",
               "t.yaml:5:10: cluster.accelerator_overrides.tdp: \"700\" has no unit; use one of "
               "W, kW, MW");
}

Test(errors, job_needs_exactly_one_form_of_work)
{
    expect_err("name: x\ncluster:\n  accelerator: H100-SXM-80GB\n  nodes: 2\njob:\n"
               "  flops: 1e24\n  parameters: 1e9\n  tokens: 1e12\n  mfu: 0.4\n",
               "t.yaml:6:10: job.flops: give either flops or parameters and tokens, not both");
    expect_err("name: x\ncluster:\n  accelerator: H100-SXM-80GB\n  nodes: 2\njob:\n  mfu: 0.4\n",
               "t.yaml:6:3: job.flops: missing required key; give flops, or parameters and "
               "tokens");
    expect_err("name: x\ncluster:\n  accelerator: H100-SXM-80GB\n  nodes: 2\njob:\n"
               "  parameters: 1e9\n  mfu: 0.4\n",
               "t.yaml:6:3: job.tokens: missing required key; parameters needs tokens");
}

Test(errors, mfu_must_be_a_fraction)
{
    expect_err("name: x\ncluster:\n  accelerator: H100-SXM-80GB\n  nodes: 2\njob:\n"
               "  flops: 1e24\n  mfu: 1.5\n",
               "t.yaml:7:8: job.mfu: must be in (0, 1], got \"1.5\"");
    expect_err("name: x\ncluster:\n  accelerator: H100-SXM-80GB\n  nodes: 2\njob:\n"
               "  flops: 1e24\n  mfu: 41%\n",
               "t.yaml:7:8: job.mfu: expected a number, got \"41%\"");
}

Test(errors, bare_number_names_the_accepted_units)
{
    expect_err(BASE "  policy: fixed\n  interval: 30\n",
               "t.yaml:12:13: checkpoint.interval: \"30\" has no unit; use one of s, min, h, d, "
               "w, y");
}

Test(errors, unknown_unit_names_the_accepted_units)
{
    expect_err(BASE "  policy: fixed\n  interval: 30 parsecs\n",
               "t.yaml:12:13: checkpoint.interval: \"30 parsecs\" has an unknown unit; use one "
               "of s, min, h, d, w, y");
    expect_err(HEAD7 "checkpoint:\n  size: 1TB\n  write_bandwidth: 5GB\n",
               "t.yaml:10:20: checkpoint.write_bandwidth: \"5GB\" has an unknown unit; use one "
               "of B/s, kB/s, KB/s, MB/s, GB/s, TB/s, PB/s, KiB/s, MiB/s, GiB/s, TiB/s, PiB/s");
}

Test(errors, unknown_enum_value_lists_the_accepted_values)
{
    expect_err(BASE "  policy: sometimes\n",
               "t.yaml:11:11: checkpoint.policy: unknown value \"sometimes\"; use one of none, "
               "fixed, young, daly");
}

Test(errors, checkpoint_interval_goes_with_policy_fixed)
{
    expect_err(BASE "  policy: fixed\n", "t.yaml:9:3: checkpoint.interval: missing required key");
    expect_err(BASE "  interval: 1h\n",
               "t.yaml:11:13: checkpoint.interval: is only used with policy fixed (the policy "
               "is daly)");
}

Test(errors, checkpoint_size_and_bandwidth_are_required_unless_policy_none)
{
    expect_err(HEAD7 "checkpoint:\n  write_bandwidth: 1TB/s\n",
               "t.yaml:9:3: checkpoint.size: missing required key; give size, or job.parameters "
               "to derive it");
    expect_err("name: x\ncluster:\n  accelerator: H100-SXM-80GB\n  nodes: 2\njob:\n"
               "  parameters: 1e9\n  tokens: 1e12\n  mfu: 0.4\n",
               "t.yaml:1:1: checkpoint.write_bandwidth: missing required key");
}

Test(errors, failure_names_are_lowercase_and_unique)
{
    expect_err(BASE GPU "  - name: gpu\n    scope: job\n    mtbf: 1y\n",
               "t.yaml:16:11: failures[1].name: \"gpu\" is already the name of failures[0]");
    expect_err(BASE "failures:\n  - name: GPU\n",
               "t.yaml:12:11: failures[0].name: must match [a-z0-9_]+, got \"GPU\"");
}

Test(errors, failure_needs_exactly_one_rate)
{
    expect_err(BASE GPU "    annual_failure_rate: 5%\n",
               "t.yaml:16:26: failures[0].annual_failure_rate: give one of mtbf, "
               "annual_failure_rate, failures_per_1000_unit_days and share");
    expect_err(BASE "failures:\n  - name: gpu\n    scope: node\n",
               "t.yaml:12:5: failures[0].mtbf: missing required key; give mtbf, "
               "annual_failure_rate, failures_per_1000_unit_days or share");
    expect_err(BASE "failures:\n  - name: gpu\n    scope: node\n    annual_failure_rate: six%\n",
               "t.yaml:14:26: failures[0].annual_failure_rate: expected a number or a percentage "
               "such as \"6.1%\", got \"six%\"");
    expect_err(BASE "failures:\n  - name: gpu\n    scope: node\n    annual_failure_rate: 0%\n",
               "t.yaml:14:26: failures[0].annual_failure_rate: must be > 0, got \"0%\"");
}

Test(errors, shape_goes_with_weibull_and_lognormal_only)
{
    expect_err(BASE GPU "    shape: 0.7\n",
               "t.yaml:16:12: failures[0].shape: is not used with distribution exponential");
    expect_err(BASE GPU "    distribution: weibull\n",
               "t.yaml:12:5: failures[0].shape: missing required key");
    expect_err(BASE GPU "    repair_distribution: lognormal\n",
               "t.yaml:12:5: failures[0].repair_shape: missing required key");
}

Test(errors, repair_time_goes_with_hardware_scopes_only)
{
    expect_err(BASE "failures:\n  - name: sw\n    scope: job\n    mtbf: 1y\n    repair_time: 2d\n",
               "t.yaml:15:18: failures[0].repair_time: is not used with action restart (nothing "
               "goes to repair)");
    expect_err(BASE "failures:\n  - name: gpu\n    scope: accelerator\n    mtbf: 1y\n",
               "t.yaml:12:5: failures[0].repair_time: missing required key");
}

Test(errors, unknown_scope_lists_the_scopes)
{
    expect_err(BASE "failures:\n  - name: gpu\n    scope: rack\n",
               "t.yaml:13:12: failures[0].scope: unknown value \"rack\"; use one of accelerator, "
               "node, job, hbm, switch, storage, maintenance, cooling");
}

Test(errors, too_many_failure_classes)
{
    char text[8192];
    size_t n = (size_t)snprintf(text, sizeof text, "%sfailures:\n", BASE);
    for (int i = 0; i <= DCS_MAX_FAILURE_CLS; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "  - {name: f%d, scope: job, mtbf: 1y}\n",
                              i);
    expect_err(text, "t.yaml:12:3: failures: at most 32 failure classes are allowed, got 33");
}

Test(errors, out_of_range_duration_shows_the_text)
{
    expect_err(BASE "targets:\n  deadline: -5d\n",
               "t.yaml:12:13: targets.deadline: must be > 0, got \"-5d\"");
    expect_err(BASE "targets:\n  budget_usd: 0\n",
               "t.yaml:12:15: targets.budget_usd: must be > 0, got \"0\"");
}

/* Topology and failure actions (the failure model's bad inputs). */
Test(errors, a_topology_that_does_not_divide_the_nodes)
{
    expect_err("name: x\ncluster:\n  accelerator: H100-SXM-80GB\n  nodes: 10\n"
               "  nodes_per_switch: 4\njob:\n  flops: 1e24\n  mfu: 0.4\n",
               "t.yaml:5:21: cluster.nodes_per_switch: 10 nodes do not divide into switches of 4 "
               "nodes; nodes must be a multiple of nodes_per_switch");
    expect_err("name: x\ncluster:\n  accelerator: H100-SXM-80GB\n  nodes: 10\n"
               "  nodes_per_switch: 0\njob:\n  flops: 1e24\n  mfu: 0.4\n",
               "t.yaml:5:21: cluster.nodes_per_switch: must be >= 1, got \"0\"");
}

Test(errors, switch_scope_needs_a_topology)
{
    expect_err(BASE "failures:\n  - name: tor\n    scope: switch\n    mtbf: 5y\n"
                    "    repair_time: 6h\n",
               "t.yaml:13:12: failures[0].scope: scope switch needs a topology: set "
               "cluster.nodes_per_switch");
}

Test(errors, software_cannot_be_swapped)
{
    expect_err(BASE "failures:\n  - name: sw\n    scope: job\n    action: swap\n    mtbf: 1d\n",
               "t.yaml:14:13: failures[0].action: scope job has no hardware to swap; use action "
               "restart");
    expect_err(BASE "failures:\n  - name: fs\n    scope: storage\n    action: swap\n"
                    "    mtbf: 1y\n",
               "t.yaml:14:13: failures[0].action: scope storage has no hardware to swap; use "
               "action restart");
    expect_err(BASE "failures:\n  - name: gpu\n    scope: accelerator\n    action: replace\n"
                    "    mtbf: 1y\n",
               "t.yaml:14:13: failures[0].action: unknown value \"replace\"; use one of swap, "
               "restart, slow, planned");
}

Test(errors, failures_per_1000_unit_days_must_be_positive)
{
    expect_err(BASE "failures:\n  - name: node\n    scope: node\n"
                    "    failures_per_1000_unit_days: -6.5\n    repair_time: 1d\n",
               "t.yaml:14:34: failures[0].failures_per_1000_unit_days: must be > 0, got \"-6.5\"");
    expect_err(BASE "failures:\n  - name: node\n    scope: node\n    mtbf: 1y\n"
                    "    failures_per_1000_unit_days: 6.5\n    repair_time: 1d\n",
               "t.yaml:15:34: failures[0].failures_per_1000_unit_days: give one of mtbf, "
               "annual_failure_rate, failures_per_1000_unit_days and share");
}

Test(errors, restart_action_takes_no_repair)
{
    expect_err(BASE "failures:\n  - name: reset\n    scope: accelerator\n    action: restart\n"
                    "    mtbf: 1y\n    repair_time: 1h\n",
               "t.yaml:16:18: failures[0].repair_time: is not used with action restart (nothing "
               "goes to repair)");
}
