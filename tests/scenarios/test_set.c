/*
 * test_set.c - --set key.path=value overrides: changing a value, adding a
 * key the file leaves out, list items, and the errors at "--set:1:col".
 */
#include "expect.h"

#define GPU                                                                                        \
    "failures:\n"                                                                                  \
    "  - name: gpu\n"                                                                              \
    "    scope: accelerator\n"                                                                     \
    "    mtbf: 5y\n"                                                                               \
    "    repair_time: 2d\n"

Test(set, changes_an_existing_value)
{
    const char *sets[] = {"cluster.nodes=64", "job.mfu=0.35", "failures[0].mtbf=2.5y"};
    dcs_scenario s;
    expect_ok_set(BASE GPU, sets, 3, &s);
    cr_assert_eq(s.cluster.nodes, 64);
    cr_assert_eq(s.job.mfu, 0.35);
    cr_assert_eq(s.failures[0].ttf.mean_s, 2.5 * 365.25 * 86400.0);
}

Test(set, adds_a_known_key_absent_from_the_file)
{
    const char *sets[] = {"cluster.spare_nodes=12", "simulation.seed=77", "checkpoint.overhead=30s",
                          "cluster.accelerator_overrides.tdp=1kW"};
    dcs_scenario s;
    expect_ok_set(BASE, sets, 4, &s);
    cr_assert_eq(s.cluster.spare_nodes, 12);
    cr_assert_eq(s.sim.seed, 77);
    cr_assert_eq(s.checkpoint.write_overhead_s, 30.0);
    cr_assert_eq(s.cluster.accel.tdp_w, 1000.0);
}

Test(set, value_is_a_yaml_scalar)
{
    const char *sets[] = {"name=\"a b: c\"", "description='it''s'", "sources[0]=new"};
    dcs_scenario s;
    expect_ok_set(BASE "sources: [old, two]\n", sets, 3, &s);
    cr_assert_str_eq(s.name, "a b: c");
    cr_assert_str_eq(s.description, "it's");
    cr_assert_str_eq(s.sources, "new\ntwo");
}

Test(set, later_set_wins)
{
    const char *sets[] = {"simulation.replications=5", "simulation.replications=9"};
    dcs_scenario s;
    expect_ok_set(BASE, sets, 2, &s);
    cr_assert_eq(s.sim.replications, 9);
}

Test(set, unknown_key_is_an_error_naming_it)
{
    const char *sets[] = {"cluster.spare_node=1"};
    expect_err_set(BASE, sets, 1,
                   "--set:1:9: cluster.spare_node: unknown key; did you mean \"spare_nodes\"?");
    const char *sets2[] = {"vendor.name=acme"};
    expect_err_set(
        BASE, sets2, 1,
        "--set:1:1: vendor: unknown key; expected one of name, description, sources, "
        "catalog, cluster, job, checkpoint, restart, failures, failure_total, power, cooling, "
        "weather, electricity, carbon, market, procurement, costs, targets, uncertain, simulation");
}

Test(set, index_past_the_end_is_an_error)
{
    const char *sets[] = {"failures[1].mtbf=1y"};
    expect_err_set(BASE GPU, sets, 1,
                   "--set:1:9: failures[1]: index 1 is past the end of the list (length 1)");
    const char *sets2[] = {"failures[0].mtbf=1y"};
    expect_err_set(BASE, sets2, 1,
                   "--set:1:9: failures[0]: index 0 is past the end of the list (length 0)");
}

Test(set, bad_value_is_reported_at_the_value_column)
{
    const char *sets[] = {"checkpoint.overhead=30"};
    expect_err_set(BASE, sets, 1,
                   "--set:1:21: checkpoint.overhead: \"30\" has no unit; use one of s, min, h, d, "
                   "w, y");
    const char *sets2[] = {"cluster.nodes=many"};
    expect_err_set(BASE, sets2, 1, "--set:1:15: cluster.nodes: expected an integer, got \"many\"");
    const char *sets3[] = {"job.mfu={a: 1}"};
    expect_err_set(BASE, sets3, 1,
                   "--set:1:9: job.mfu: the value must be a single YAML scalar, got a mapping");
}

Test(set, malformed_set_is_an_error)
{
    const char *sets[] = {"cluster.nodes"};
    expect_err_set(BASE, sets, 1, "--set:1:1: expected key.path=value, got \"cluster.nodes\"");
    const char *sets2[] = {"failures[x]=1"};
    expect_err_set(BASE, sets2, 1, "--set:1:9: failures[x]: malformed key path; expected [N]");
    const char *sets3[] = {"name.first=1"};
    expect_err_set(BASE, sets3, 1, "--set:1:6: name.first: cannot set a key inside a scalar");
}

Test(set, missing_key_in_an_added_section_points_at_the_set)
{
    const char *sets[] = {"checkpoint.policy=fixed"};
    expect_err_set(BASE, sets, 1, "t.yaml:9:3: checkpoint.interval: missing required key");
    const char *sets2[] = {"targets.deadline=0d"};
    expect_err_set(BASE, sets2, 1, "--set:1:18: targets.deadline: must be > 0, got \"0d\"");
}
