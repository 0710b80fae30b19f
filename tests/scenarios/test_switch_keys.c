/*
 * test_switch_keys.c - job.accelerators, job.choose and job.switch in the
 * loader: a job of several types round-trips through its resolved YAML, a
 * list of one type is the single-type form bit for bit (struct and resolved
 * YAML), and each bad input is refused with its exact
 * "file:line:col: key: message".
 */
#include "expect.h"

/* Lines 1-4: the cluster. */
#define CLUSTER "name: x\ncluster:\n  accelerator: H100-SXM-80GB\n  nodes: 2\n"

/* Lines 5-9: a job of two types (H100 and B200), its list on lines 7-9. */
#define JOB2                                                                                       \
    "job:\n"                                                                                       \
    "  flops: 1e24\n"                                                                              \
    "  accelerators:\n"                                                                            \
    "    - {type: H100-SXM-80GB, mfu: 0.4}\n"                                                      \
    "    - {type: B200, mfu: 0.45, accelerators_per_node: 4}\n"

/* Lines 10-12: the checkpoint. */
#define CKPT "checkpoint:\n  size: 1TB\n  write_bandwidth: 1TB/s\n"

/* Lines 13-18: a market of both types. */
#define MARKET2                                                                                    \
    "market:\n"                                                                                    \
    "  elasticity: 0.5\n"                                                                          \
    "  lead_time: 10w\n"                                                                           \
    "  types:\n"                                                                                   \
    "    - {accelerator: H100-SXM-80GB}\n"                                                         \
    "    - {accelerator: B200}\n"

Test(switch_keys, two_types_load_with_their_defaults)
{
    static dcs_scenario sc;
    expect_ok(CLUSTER JOB2 CKPT MARKET2, &sc);
    cr_assert_eq(sc.job.ntypes, 2);
    cr_assert_str_eq(sc.job.types[1].accel, "B200");
    cr_assert_eq(sc.job.types[0].accels_per_node, 8, "the cluster's node shape");
    cr_assert_eq(sc.job.types[1].accels_per_node, 4);
    cr_assert_eq(sc.job.types[1].market_type, 1);
    cr_assert_eq(sc.job.mfu, 0.4, "job.mfu is the first type's");
    cr_assert_eq(sc.job.choose, DCS_CHOOSE_PREFERENCE);
    cr_assert_eq(sc.job.sw.policy, DCS_SWITCH_NEVER);
    cr_assert_eq(sc.job.sw.threshold, 0.2);
    cr_assert_eq(sc.job.sw.check_s, 86400.0, "check_every defaults to market.step");
}

Test(switch_keys, two_types_round_trip)
{
    expect_round_trip(CLUSTER JOB2
                      "  choose: cheapest\n"
                      "  switch: {policy: price_gap, threshold: 0.15, check_every: 6h}\n"
                      "checkpoint:\n  size: 1TB\n  write_bandwidth: 1TB/s\n" MARKET2);
    expect_round_trip(CLUSTER JOB2 CKPT MARKET2);
}

Test(switch_keys, one_type_is_the_single_type_form)
{
    static dcs_scenario a, b;
    char *ya = NULL, *yb = NULL;
    dcs_err err;
    const char *plain = CLUSTER "job:\n  flops: 1e24\n  mfu: 0.4\n" CKPT MARKET2;
    const char *listed = CLUSTER "job:\n  flops: 1e24\n"
                                 "  accelerators: [{type: H100-SXM-80GB, mfu: 0.4, "
                                 "accelerators_per_node: 8}]\n"
                                 "  choose: cheapest\n"
                                 "  switch: {policy: price_gap, threshold: 0.5}\n" CKPT MARKET2;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    cr_assert_eq(dcs_scenario_load_string(plain, "t.yaml", NULL, 0, &a, &ya, &err), 0, "%s",
                 err.msg);
    cr_assert_eq(dcs_scenario_load_string(listed, "t.yaml", NULL, 0, &b, &yb, &err), 0, "%s",
                 err.msg);
    cr_assert_str_eq(ya, yb, "the resolved YAML differs");
    cr_assert_eq(memcmp(&a, &b, sizeof a), 0, "the scenarios differ");
    free(ya);
    free(yb);
}

Test(switch_keys, unknown_type_is_an_error)
{
    expect_err(CLUSTER "job:\n  flops: 1e24\n  accelerators:\n"
                       "    - {type: H100-SXM-80GB, mfu: 0.4}\n"
                       "    - {type: H900, mfu: 0.4}\n" CKPT MARKET2,
               "t.yaml:9:14: job.accelerators[1].type: unknown accelerator \"H900\"; run "
               "`dcsim catalog` to list the known ones");
}

Test(switch_keys, type_not_in_the_market_is_an_error)
{
    /* In the catalog, not in market.types. */
    expect_err(CLUSTER "job:\n  flops: 1e24\n  accelerators:\n"
                       "    - {type: H100-SXM-80GB, mfu: 0.4}\n"
                       "    - {type: A100-SXM-80GB, mfu: 0.4}\n" CKPT MARKET2,
               "t.yaml:9:14: job.accelerators[1].type: A100-SXM-80GB is not in the market: a "
               "job's types are bought in market.types");
    /* No market at all. */
    expect_err(CLUSTER JOB2 CKPT, "t.yaml:9:14: job.accelerators[1].type: B200 is not in the "
                                  "market: a job's types are bought in market.types");
}

Test(switch_keys, entry_without_mfu_is_an_error)
{
    expect_err(CLUSTER "job:\n  flops: 1e24\n  accelerators:\n"
                       "    - {type: H100-SXM-80GB, mfu: 0.4}\n"
                       "    - {type: B200}\n" CKPT MARKET2,
               "t.yaml:9:7: job.accelerators[1].mfu: missing required key");
}

Test(switch_keys, negative_threshold_is_an_error)
{
    expect_err(CLUSTER JOB2 "  switch: {policy: price_gap, threshold: -0.1}\n" CKPT MARKET2,
               "t.yaml:10:42: job.switch.threshold: must be >= 0, got \"-0.1\"");
}

Test(switch_keys, duplicate_type_is_an_error)
{
    expect_err(CLUSTER "job:\n  flops: 1e24\n  accelerators:\n"
                       "    - {type: H100-SXM-80GB, mfu: 0.4}\n"
                       "    - {type: h100-sxm-80gb, mfu: 0.5}\n" CKPT MARKET2,
               "t.yaml:9:14: job.accelerators[1].type: H100-SXM-80GB is given twice (also "
               "job.accelerators[0])");
}

Test(switch_keys, first_type_is_the_clusters)
{
    expect_err(CLUSTER "job:\n  flops: 1e24\n  accelerators:\n"
                       "    - {type: B200, mfu: 0.4}\n"
                       "    - {type: H100-SXM-80GB, mfu: 0.4}\n" CKPT MARKET2,
               "t.yaml:8:14: job.accelerators[0].type: the first type is the cluster's "
               "accelerator, H100-SXM-80GB, not B200");
}

Test(switch_keys, job_mfu_beside_the_list_is_an_error)
{
    expect_err(CLUSTER JOB2 "  mfu: 0.4\n" CKPT MARKET2,
               "t.yaml:10:8: job.mfu: is given per type with job.accelerators (their mfu)");
}

Test(switch_keys, switching_reserved_capacity_is_an_error)
{
    expect_err(CLUSTER JOB2 "  switch: {policy: price_gap}\n" CKPT MARKET2
                            "procurement: {mode: reserved}\n",
               "t.yaml:10:20: job.switch.policy: price_gap moves capacity rented on demand; "
               "procurement.mode is reserved");
}
