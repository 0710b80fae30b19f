/*
 * test_sweep_errors.c - malformed sweep files, each checked for its exact
 * message "file:line:col: key.path: message", with "(point N)" when a
 * point's scenario is refused.
 *
 * SWEEP_HEAD (expect.h) is lines 1-20: an inline base on lines 2-19 and
 * "design:" on line 20, so design blocks start on line 21. Key paths of the
 * sweep's own structure read design[i].grid, design[i].lhs.points, ...;
 * a key path being varied is named as written (checkpoint.interval).
 */
#include "expect.h"

#include <stdio.h>

Test(sweep_errors, yaml_syntax_error_has_the_parser_position)
{
    expect_sweep_err("name: s\ndesign: [a, b\n",
                     "sweep.yaml:3:1: did not find expected ',' or ']' while parsing a flow "
                     "sequence");
}

Test(sweep_errors, empty_file_and_wrong_top_level_are_refused)
{
    expect_sweep_err("", "sweep.yaml:1:1: the file holds no sweep");
    expect_sweep_err("- a\n", "sweep.yaml:1:1: expected a mapping of sweep keys, got a list");
    expect_sweep_err(SWEEP_HEAD "  - grid: {cluster.spare_nodes: [1]}\n---\nname: t\n",
                     "sweep.yaml:23:1: the file holds more than one YAML document");
}

Test(sweep_errors, unknown_top_level_key_suggests_a_near_key)
{
    expect_sweep_err("name: s\nbsae: x.yaml\n", "sweep.yaml:2:1: bsae: unknown key; did you mean "
                                                "\"base\"?");
    expect_sweep_err("name: s\nvendor: x\n",
                     "sweep.yaml:2:1: vendor: unknown key; expected one of name, description, "
                     "sources, base, set, design");
    expect_sweep_err("name: s\nname: t\n",
                     "sweep.yaml:2:1: name: duplicate key; first given at line 1");
}

Test(sweep_errors, missing_required_keys)
{
    expect_sweep_err("base: x.yaml\ndesign: []\n", "sweep.yaml:1:1: name: missing required key");
    expect_sweep_err("name: s\ndesign: []\n", "sweep.yaml:1:1: base: missing required key");
    expect_sweep_err(SWEEP_INLINE, "sweep.yaml:1:1: design: missing required key");
    expect_sweep_err("name: ''\n", "sweep.yaml:1:7: name: must not be empty");
    expect_sweep_err("name: s\nsources: {a: 1}\n",
                     "sweep.yaml:2:10: sources: expected a string or a list of strings, got a "
                     "mapping");
}

Test(sweep_errors, base_must_be_a_path_or_a_mapping)
{
    expect_sweep_err("name: s\nbase: [a]\ndesign: []\n",
                     "sweep.yaml:2:7: base: expected a scenario file path or a mapping holding a "
                     "scenario, got a list");
}

Test(sweep_errors, missing_base_file_is_reported_at_the_base_key)
{
    expect_sweep_err("name: s\nbase: no-such-base.yaml\ndesign: []\n",
                     "sweep.yaml:2:7: base: cannot open no-such-base.yaml: No such file or "
                     "directory");
    dcs_sweep *s = NULL;
    dcs_err err;
    char buf[768];
    int rc = dcs_sweep_load_string("name: s\nbase: ../no-such-base.yaml\ndesign: []\n",
                                   "sweeps/s.yaml", NULL, 0, &s, &err);
    cr_assert_eq(rc, DCS_EINPUT);
    cr_assert_str_eq(dcs_err_format(&err, buf, sizeof buf),
                     "sweeps/s.yaml:2:7: base: cannot open sweeps/../no-such-base.yaml: No such "
                     "file or directory");
    rc = dcs_sweep_load("no-such-sweep.yaml", NULL, 0, &s, &err);
    cr_assert_eq(rc, DCS_EINPUT);
    cr_assert_null(s);
    cr_assert_str_eq(dcs_err_format(&err, buf, sizeof buf),
                     "cannot open no-such-sweep.yaml: No such file or directory");
}

Test(sweep_errors, an_inline_base_is_reported_at_its_lines_in_the_sweep_file)
{
    expect_sweep_err("name: s\n"
                     "base:\n"
                     "  name: b\n"
                     "  cluster:\n"
                     "    accelerator: H100-SXM-80GB\n"
                     "    nodes: many\n"
                     "design: []\n",
                     "sweep.yaml:6:12: cluster.nodes: expected an integer, got \"many\"");
    expect_sweep_err("name: s\n"
                     "base:\n"
                     "  name: b\n"
                     "  cluster: {accelerator: H100-SXM-80GB, nodes: 2}\n"
                     "design: []\n",
                     "sweep.yaml:3:3: job: missing required key");
}

Test(sweep_errors, command_line_set_keeps_its_messages)
{
    const char *sets[] = {"cluster.spare_node=1"};
    expect_sweep_err_set(SWEEP_HEAD "  - grid: {cluster.nodes: [4]}\n", sets, 1,
                         "--set:1:9: cluster.spare_node: unknown key; did you mean "
                         "\"spare_nodes\"?");
    const char *sets2[] = {"checkpoint.interval=30"};
    expect_sweep_err_set(SWEEP_HEAD "  - grid: {cluster.nodes: [4]}\n", sets2, 1,
                         "--set:1:21: checkpoint.interval: \"30\" has no unit; use one of s, min, "
                         "h, d, w, y");
}

Test(sweep_errors, design_must_be_a_non_empty_list_of_one_key_blocks)
{
    expect_sweep_err(SWEEP_INLINE "design: {grid: {}}\n",
                     "sweep.yaml:20:9: design: expected a list of design blocks, got a mapping");
    expect_sweep_err(SWEEP_INLINE "design: []\n",
                     "sweep.yaml:20:9: design: an empty list; give at least one design block "
                     "(grid, zip, variants, lhs, sobol or saltelli)");
    expect_sweep_err(SWEEP_HEAD "  - grid\n",
                     "sweep.yaml:21:5: design[0]: expected a mapping holding one of grid, zip, "
                     "variants, lhs, sobol, saltelli, got a scalar");
    expect_sweep_err(SWEEP_HEAD "  - {}\n",
                     "sweep.yaml:21:5: design[0]: an empty block; give one of grid, zip, "
                     "variants, lhs, sobol, saltelli");
    expect_sweep_err(SWEEP_HEAD "  - grid: {cluster.nodes: [4]}\n  - gird: {cluster.nodes: [4]}\n",
                     "sweep.yaml:22:5: design[1].gird: unknown key; did you mean \"grid\"?");
    expect_sweep_err(SWEEP_HEAD "  - grid: {cluster.spare_nodes: [1]}\n"
                                "    zip: {cluster.nodes: [1]}\n",
                     "sweep.yaml:22:5: design[0].zip: a design block holds one design and this "
                     "one already holds grid; start a new list item (\"- \") for this one");
}

Test(sweep_errors, grid_needs_lists_of_values)
{
    expect_sweep_err(SWEEP_HEAD "  - grid: [1, 2]\n",
                     "sweep.yaml:21:11: design[0].grid: expected a mapping of key paths to lists "
                     "of values, got a list");
    expect_sweep_err(SWEEP_HEAD "  - grid: {}\n",
                     "sweep.yaml:21:11: design[0].grid: no key paths; give at least one with its "
                     "list of values");
    expect_sweep_err(SWEEP_HEAD "  - grid:\n      cluster.spare_nodes: 4\n",
                     "sweep.yaml:22:28: cluster.spare_nodes: expected a list of values, got a "
                     "scalar");
    expect_sweep_err(SWEEP_HEAD "  - grid:\n      cluster.spare_nodes: [{a: 1}]\n",
                     "sweep.yaml:22:29: cluster.spare_nodes: expected a value (a scalar), got a "
                     "mapping");
    expect_sweep_err(SWEEP_HEAD "  - grid:\n"
                                "      cluster.spare_nodes: [1]\n"
                                "      cluster.spare_nodes: [2]\n",
                     "sweep.yaml:23:7: cluster.spare_nodes: duplicate key; first given at line 22");
}

Test(sweep_errors, an_empty_list_is_refused)
{
    expect_sweep_err(SWEEP_HEAD "  - grid:\n      cluster.spare_nodes: []\n",
                     "sweep.yaml:22:28: cluster.spare_nodes: an empty list; give at least one "
                     "value");
    expect_sweep_err(SWEEP_HEAD "  - variants: []\n",
                     "sweep.yaml:21:15: design[0].variants: an empty list; give at least one "
                     "variant");
}

Test(sweep_errors, zip_lists_of_unequal_length_are_refused)
{
    expect_sweep_err(SWEEP_HEAD "  - zip:\n"
                                "      cluster.spare_nodes: [0, 8, 16]\n"
                                "      cluster.repair_capacity: [1, 2]\n",
                     "sweep.yaml:23:32: cluster.repair_capacity: has 2 values, but "
                     "cluster.spare_nodes has 3; the lists of a zip must have the same length");
}

Test(sweep_errors, unknown_key_path_names_the_segment)
{
    expect_sweep_err(SWEEP_HEAD "  - grid:\n      checkpoint.interva: [1h]\n",
                     "sweep.yaml:22:18: checkpoint.interva: unknown key; did you mean "
                     "\"interval\"?");
    /* A list item the base does not have: an index past the end, at the
     * index's segment. */
    expect_sweep_err(SWEEP_HEAD "  - grid:\n      market.shocks[0].factor: [1.5]\n",
                     "sweep.yaml:22:20: market.shocks[0]: index 0 is past the end of the list "
                     "(length 0)");
    expect_sweep_err(SWEEP_HEAD "  - grid:\n      markt.step: [1d]\n",
                     "sweep.yaml:22:7: markt: unknown key; did you mean \"market\"?");
    /* A quoted path starts one column after its quote. */
    expect_sweep_err(SWEEP_HEAD "  - variants:\n"
                                "      - {label: a, set: {\"cluster.spare_node\": 1}}\n",
                     "sweep.yaml:22:35: cluster.spare_node: unknown key; did you mean "
                     "\"spare_nodes\"?");
    expect_sweep_err(SWEEP_HEAD "  - grid: {\"\": [1]}\n",
                     "sweep.yaml:21:12: expected a key path, got an empty key");
    expect_sweep_err(SWEEP_HEAD "  - grid:\n      failures[x].mtbf: [1h]\n",
                     "sweep.yaml:22:15: failures[x].mtbf: malformed key path; expected [N]");
}

Test(sweep_errors, list_index_out_of_range)
{
    expect_sweep_err(SWEEP_HEAD "  - grid:\n      failures[1].mtbf: [1h]\n",
                     "sweep.yaml:22:15: failures[1]: index 1 is past the end of the list (length "
                     "1)");
}

Test(sweep_errors, a_value_a_point_rejects_names_the_point)
{
    expect_sweep_err(SWEEP_HEAD "  - grid:\n"
                                "      checkpoint.interval: [30min, 1h, 2h, -1h]\n"
                                "      checkpoint.write_bandwidth: [1TB/s, 2TB/s, 4TB/s, 8TB/s, "
                                "16TB/s]\n",
                     "sweep.yaml:22:44: checkpoint.interval: must be > 0, got \"-1h\" (point 15)");
    expect_sweep_err(SWEEP_HEAD "  - grid:\n      checkpoint.interval: [30, 60]\n",
                     "sweep.yaml:22:29: checkpoint.interval: \"30\" has no unit; use one of s, "
                     "min, h, d, w, y (point 0)");
}

Test(sweep_errors, a_combination_a_point_rejects_names_the_point)
{
    /* Point 17 = nodes[3] (8 nodes) x variants[2] (min_nodes 12). */
    expect_sweep_err(SWEEP_HEAD "  - grid:\n"
                                "      cluster.nodes: [16, 32, 48, 8]\n"
                                "  - variants:\n"
                                "      - {label: v0}\n"
                                "      - {label: v1}\n"
                                "      - {label: v2, set: {cluster.on_no_spare: shrink, "
                                "cluster.min_nodes: 12}}\n"
                                "      - {label: v3}\n"
                                "      - {label: v4}\n",
                     "sweep.yaml:26:75: cluster.min_nodes: 12 is more than the job's 8 nodes "
                     "(point 17)");
    /* An error the loader finds in the base because of a point's value. */
    expect_sweep_err(SWEEP_HEAD "  - variants:\n"
                                "      - {label: fixed}\n"
                                "      - {label: young, set: {checkpoint.policy: young}}\n",
                     "sweep.yaml:12:15: checkpoint.interval: is only used with policy fixed (the "
                     "policy is young) (point 1)");
}

Test(sweep_errors, variants_need_unique_labels)
{
    expect_sweep_err(SWEEP_HEAD "  - variants:\n      - {set: {cluster.spare_nodes: 1}}\n",
                     "sweep.yaml:22:9: design[0].variants[0].label: missing required key");
    expect_sweep_err(SWEEP_HEAD "  - variants:\n      - {label: a}\n      - {label: a}\n",
                     "sweep.yaml:23:17: design[0].variants[1].label: \"a\" is already the label "
                     "of design[0].variants[0]");
    expect_sweep_err(SWEEP_HEAD "  - variants:\n      - {label: \"\"}\n",
                     "sweep.yaml:22:17: design[0].variants[0].label: must not be empty");
    expect_sweep_err(SWEEP_HEAD "  - variants:\n      - {label: a, sett: {}}\n",
                     "sweep.yaml:22:20: design[0].variants[0].sett: unknown key; did you mean "
                     "\"set\"?");
    expect_sweep_err(SWEEP_HEAD "  - variants:\n      - {label: a, set: [1]}\n",
                     "sweep.yaml:22:25: design[0].variants[0].set: expected a mapping of key "
                     "paths to values, got a list");
    expect_sweep_err(SWEEP_HEAD "  - variants:\n      - a\n",
                     "sweep.yaml:22:9: design[0].variants[0]: expected a mapping with a label and "
                     "a set, got a scalar");
}

Test(sweep_errors, sweep_set_must_be_a_mapping)
{
    expect_sweep_err(SWEEP_INLINE "set: [a]\ndesign:\n  - grid: {cluster.nodes: [4]}\n",
                     "sweep.yaml:20:6: set: expected a mapping of key paths to values, got a list");
}

/* A sampled block on lines 21-24 with one range on line 24. */
#define LHS(range) SWEEP_HEAD "  - lhs:\n      points: 4\n      ranges:\n        " range "\n"

Test(sweep_errors, a_range_without_units_names_the_accepted_units)
{
    expect_sweep_err(LHS("failures[0].mtbf: [1000, 5000]"),
                     "sweep.yaml:24:28: failures[0].mtbf: \"1000\" has no unit; use one of s, "
                     "min, h, d, w, y (the low end of the range)");
    expect_sweep_err(LHS("failures[0].mtbf: [1TB, 2TB]"),
                     "sweep.yaml:24:28: failures[0].mtbf: \"1TB\" has an unknown unit; use one of "
                     "s, min, h, d, w, y (the low end of the range)");
    expect_sweep_err(LHS("job.mfu: [0.5, 1.5]"),
                     "sweep.yaml:24:24: job.mfu: must be in (0, 1], got \"1.5\" (the high end of "
                     "the range)");
}

Test(sweep_errors, a_range_has_two_ends_of_one_kind)
{
    expect_sweep_err(LHS("failures[0].mtbf: [1000h, 5000]"),
                     "sweep.yaml:24:27: failures[0].mtbf: the ends of a range must be of one kind: "
                     "\"1000h\" is a duration, \"5000\" is a number");
    expect_sweep_err(LHS("job.mfu: [low, 0.3]"),
                     "sweep.yaml:24:19: job.mfu: expected a number or a quantity with its unit at "
                     "each end of the range, got \"low\"");
    expect_sweep_err(LHS("job.mfu: 0.3"),
                     "sweep.yaml:24:18: job.mfu: expected a range [low, high], got a scalar");
    expect_sweep_err(LHS("job.mfu: [0.1, 0.2, 0.3]"),
                     "sweep.yaml:24:18: job.mfu: expected a range [low, high], got 3 values");
}

Test(sweep_errors, a_range_with_low_above_high_is_refused)
{
    expect_sweep_err(LHS("job.mfu: [0.45, 0.30]"),
                     "sweep.yaml:24:18: job.mfu: the low end \"0.45\" is above the high end "
                     "\"0.30\"");
    expect_sweep_err(LHS("failures[0].mtbf: [2d, 47h]"),
                     "sweep.yaml:24:27: failures[0].mtbf: the low end \"2d\" is above the high "
                     "end \"47h\"");
}

Test(sweep_errors, sampled_points_must_be_at_least_1)
{
    expect_sweep_err(SWEEP_HEAD "  - lhs:\n      points: 0\n      ranges: {job.mfu: [0.3, 0.4]}\n",
                     "sweep.yaml:22:15: design[0].lhs.points: must be >= 1, got \"0\"");
    expect_sweep_err(SWEEP_HEAD "  - sobol:\n      points: -3\n      ranges: {job.mfu: [0.3, "
                                "0.4]}\n",
                     "sweep.yaml:22:15: design[0].sobol.points: must be >= 1, got \"-3\"");
    expect_sweep_err(SWEEP_HEAD
                     "  - lhs:\n      points: 2.5\n      ranges: {job.mfu: [0.3, 0.4]}\n",
                     "sweep.yaml:22:15: design[0].lhs.points: expected an integer, got \"2.5\"");
    expect_sweep_err(SWEEP_HEAD "  - lhs:\n      points: 200000\n      ranges: {job.mfu: [0.3, "
                                "0.4]}\n",
                     "sweep.yaml:22:15: design[0].lhs.points: \"200000\" is too large; a sweep "
                     "has at most 100000 points");
    expect_sweep_err(SWEEP_HEAD "  - lhs:\n      ranges: {job.mfu: [0.3, 0.4]}\n",
                     "sweep.yaml:22:7: design[0].lhs.points: missing required key");
    expect_sweep_err(SWEEP_HEAD "  - lhs:\n      points: 3\n      seed: -1\n      ranges: "
                                "{job.mfu: [0.3, 0.4]}\n",
                     "sweep.yaml:23:13: design[0].lhs.seed: must be >= 0, got \"-1\"");
    expect_sweep_err(SWEEP_HEAD "  - lhs:\n      points: 3\n",
                     "sweep.yaml:22:7: design[0].lhs.ranges: missing required key");
    expect_sweep_err(SWEEP_HEAD "  - lhs:\n      points: 3\n      ranges: {}\n",
                     "sweep.yaml:23:15: design[0].lhs.ranges: no ranges; give at least one key "
                     "path with its [low, high]");
}

Test(sweep_errors, sobol_has_no_seed_and_at_most_40_dimensions)
{
    expect_sweep_err(SWEEP_HEAD "  - sobol:\n      points: 3\n      seed: 4\n      ranges: "
                                "{job.mfu: [0.3, 0.4]}\n",
                     "sweep.yaml:23:13: design[0].sobol.seed: is only used with lhs (GSL's Sobol "
                     "sequence has no seed)");
    char text[4096];
    size_t used = (size_t)snprintf(text, sizeof text, "%s",
                                   SWEEP_HEAD "  - sobol:\n      points: 3\n      ranges:\n");
    for (int i = 0; i < 41; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, "        k%d: [1, 2]\n", i);
    expect_sweep_err(text, "sweep.yaml:24:9: design[0].sobol.ranges: 41 ranges; GSL's Sobol "
                           "sequence has at most 40 dimensions");
}

Test(sweep_errors, too_many_points_are_refused)
{
    expect_sweep_err(SWEEP_HEAD
                     "  - lhs:\n      points: 1000\n      ranges: {job.mfu: [0.3, 0.4]}\n"
                     "  - sobol:\n      points: 1000\n      ranges: {job.mfu: [0.3, "
                     "0.4]}\n",
                     "sweep.yaml:21:3: design: gives more than 100000 points; a sweep has at most "
                     "100000 (each is validated before anything runs)");
}
