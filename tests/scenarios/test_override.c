/*
 * test_override.c - the scenario loader's general entry point: overrides
 * written in another file, reported at that file's line and column, and a
 * scenario inline under a top-level key of a larger document.
 */
#include "expect.h"

/* Loads in; asserts DCS_EINPUT with exactly the message `want`. */
static void expect_input_err(const dcs_scenario_input *in, const char *want)
{
    dcs_err err;
    char buf[768];
    int rc = dcs_scenario_load_input(in, NULL, NULL, &err);
    cr_assert_eq(rc, DCS_EINPUT, "expected an input error, got %d", rc);
    cr_assert_str_eq(dcs_err_format(&err, buf, sizeof buf), want);
}

Test(override, value_from_another_file_is_applied)
{
    dcs_override o[] = {
        {.path = "cluster.spare_nodes", .value = "6", .file = "s.yaml", .line = 4, .col = 9},
        {.path = "checkpoint.overhead", .value = "30s", .file = "s.yaml", .line = 5, .col = 9},
    };
    dcs_scenario_input in = {
        .text = BASE, .len = strlen(BASE), .name = "t.yaml", .overrides = o, .noverrides = 2};
    dcs_scenario *s = malloc(sizeof *s);
    cr_assert_not_null(s);
    dcs_err err;
    cr_assert_eq(dcs_scenario_load_input(&in, s, NULL, &err), 0);
    cr_assert_eq(s->cluster.spare_nodes, 6);
    cr_assert_eq(s->checkpoint.write_overhead_s, 30.0);
    free(s);
}

Test(override, bad_value_is_reported_at_its_position_in_the_other_file)
{
    dcs_override o = {.path = "checkpoint.overhead",
                      .value = "30",
                      .file = "s.yaml",
                      .line = 7,
                      .col = 12,
                      .path_line = 7,
                      .path_col = 3};
    dcs_scenario_input in = {
        .text = BASE, .len = strlen(BASE), .name = "t.yaml", .overrides = &o, .noverrides = 1};
    expect_input_err(&in, "s.yaml:7:12: checkpoint.overhead: \"30\" has no unit; use one of s, "
                          "min, h, d, w, y");
    o.value = "~";
    expect_input_err(&in, "s.yaml:7:12: checkpoint.overhead: expected a duration, got no value");
    o.quoted = true; /* a quoted "~" is a string, not a null */
    expect_input_err(&in, "s.yaml:7:12: checkpoint.overhead: \"~\" has no unit; "
                          "use one of s, min, h, d, w, y");
}

Test(override, bad_path_is_reported_at_the_segment_in_the_other_file)
{
    dcs_override o = {.path = "checkpoint.overhed",
                      .value = "1s",
                      .file = "s.yaml",
                      .line = 7,
                      .col = 30,
                      .path_line = 7,
                      .path_col = 3};
    dcs_scenario_input in = {
        .text = BASE, .len = strlen(BASE), .name = "t.yaml", .overrides = &o, .noverrides = 1};
    expect_input_err(&in, "s.yaml:7:14: checkpoint.overhed: unknown key; did you mean "
                          "\"overhead\"?");
    in.paths_only = true; /* the path check alone finds it too */
    expect_input_err(&in, "s.yaml:7:14: checkpoint.overhed: unknown key; did you mean "
                          "\"overhead\"?");
    o.path = "checkpoint.overhead";
    o.value = "no unit";
    dcs_err err;
    cr_assert_eq(dcs_scenario_load_input(&in, NULL, NULL, &err), 0, "paths only: no validation");
}

Test(override, sets_come_before_overrides)
{
    const char *sets[] = {"cluster.nodes=8"};
    dcs_override o = {
        .path = "cluster.nodes", .value = "12", .file = "s.yaml", .line = 1, .col = 1};
    dcs_scenario_input in = {.text = BASE,
                             .len = strlen(BASE),
                             .name = "t.yaml",
                             .sets = sets,
                             .nsets = 1,
                             .overrides = &o,
                             .noverrides = 1};
    dcs_scenario *s = malloc(sizeof *s);
    cr_assert_not_null(s);
    dcs_err err;
    cr_assert_eq(dcs_scenario_load_input(&in, s, NULL, &err), 0);
    cr_assert_eq(s->cluster.nodes, 12);
    free(s);
}

/* A scenario inline under "base:" at lines 2-12 of a larger document. */
#define OUTER                                                                                      \
    "title: outer\n"                                                                               \
    "base:\n"                                                                                      \
    "  name: x\n"                                                                                  \
    "  cluster:\n"                                                                                 \
    "    accelerator: H100-SXM-80GB\n"                                                             \
    "    nodes: 2\n"                                                                               \
    "  job:\n"                                                                                     \
    "    flops: 1e24\n"                                                                            \
    "    mfu: 0.4\n"                                                                               \
    "  checkpoint:\n"                                                                              \
    "    size: 1TB\n"                                                                              \
    "    write_bandwidth: 1TB/s\n"                                                                 \
    "other: [1, 2]\n"

Test(override, root_key_loads_an_inline_scenario_with_its_real_positions)
{
    dcs_scenario_input in = {
        .text = OUTER, .len = strlen(OUTER), .name = "o.yaml", .root_key = "base"};
    dcs_scenario *s = malloc(sizeof *s);
    cr_assert_not_null(s);
    dcs_err err;
    char *inl = NULL, *alone = NULL;
    cr_assert_eq(dcs_scenario_load_input(&in, s, &inl, &err), 0);
    cr_assert_str_eq(s->name, "x");
    /* The same scenario as a file of its own resolves to the same text. */
    cr_assert_eq(dcs_scenario_load_string(BASE, "t.yaml", NULL, 0, s, &alone, &err), 0);
    cr_assert_str_eq(inl, alone);
    free(inl);
    free(alone);
    free(s);
    const char *sets[] = {"cluster.nodes=0"};
    in.sets = sets;
    in.nsets = 1;
    expect_input_err(&in, "--set:1:15: cluster.nodes: must be >= 1, got \"0\"");
    in.nsets = 0;
    static const char bad[] = "base:\n  name: x\n  cluster: {accelerator: H100-SXM-80GB, nodes: "
                              "two}\n";
    in.text = bad;
    in.len = strlen(bad);
    expect_input_err(&in, "o.yaml:3:48: cluster.nodes: expected an integer, got \"two\"");
    in.root_key = "scenario";
    expect_input_err(&in, "o.yaml:1:1: scenario: missing required key");
}
