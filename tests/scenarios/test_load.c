/*
 * test_load.c - valid scenarios: defaults, derived values (6*N*D, AFR to
 * mean, checkpoint size), loading from a real file, and the resolved YAML
 * round trip (load, emit, load again: the same struct, byte for byte).
 */
#include "expect.h"

#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#define YEAR_S (365.25 * 86400.0)

/* A scenario that uses every key. */
static const char full_text[] =
    "name: llama3_405b_like\n"
    "description: \"a run with \\\"quotes\\\", a tab\\tand unicode \xc2\xb5\"\n"
    "sources:\n"
    "  - Llama 3 paper, arXiv 2407.21783\n"
    "  - 'Epoch chip DB: H100'\n"
    "cluster:\n"
    "  accelerator: h100-sxm-80gb\n"
    "  accelerator_overrides:\n"
    "    peak_flops: 9.5e14\n"
    "    memory: 80GiB\n"
    "    tdp: 0.7 kW\n"
    "    purchase_usd: 25000\n"
    "    rental_usd_per_hour: 2.385\n"
    "  nodes: 2048\n"
    "  accelerators_per_node: 8\n"
    "  spare_nodes: 16\n"
    "  price_usd_per_accelerator_hour: 2.1\n"
    "  bill_spares: false\n"
    "  swap_time: 7.5min\n"
    "job:\n"
    "  parameters: 405e9\n"
    "  tokens: 15.6e12\n"
    "  mfu: 0.41\n"
    "checkpoint:\n"
    "  policy: fixed\n"
    "  interval: 30min\n"
    "  bytes_per_parameter: 14\n"
    "  write_bandwidth: 2TB/s\n"
    "  read_bandwidth: 7 TB/s\n"
    "  overhead: 12s\n"
    "  final: false\n"
    "restart:\n"
    "  overhead: 4min\n"
    "failures:\n"
    "  - name: gpu\n"
    "    scope: accelerator\n"
    "    annual_failure_rate: 6.1%\n"
    "    detection: 90s\n"
    "    repair_time: 2d\n"
    "    repair_distribution: weibull\n"
    "    repair_shape: 1.7\n"
    "    source: \"Llama 3: 148 faulty GPUs in 54 days\"\n"
    "  - name: host\n"
    "    scope: node\n"
    "    distribution: lognormal\n"
    "    shape: 1.3\n"
    "    mtbf: 3.5y\n"
    "    repair_time: 4h\n"
    "    repair_distribution: fixed\n"
    "  - name: software\n"
    "    scope: job\n"
    "    distribution: weibull\n"
    "    mtbf: 100h\n"
    "    shape: 0.8\n"
    "targets:\n"
    "  budget_usd: 1.2e8\n"
    "  deadline: 60d\n"
    "simulation:\n"
    "  seed: 18446744073709551615\n"
    "  replications: 500\n"
    "  max_time: 5y\n";

Test(load, defaults_are_filled_in)
{
    dcs_scenario s;
    expect_ok(BASE, &s);
    cr_assert_str_eq(s.name, "x");
    cr_assert_str_eq(s.description, "");
    cr_assert_str_eq(s.sources, "");
    cr_assert_str_eq(s.cluster.accel.key, "H100-SXM-80GB");
    cr_assert_eq(s.cluster.nodes, 2);
    cr_assert_eq(s.cluster.accels_per_node, 8);
    cr_assert_eq(s.cluster.spare_nodes, 0);
    cr_assert_eq(s.cluster.price_usd_per_accel_h, s.cluster.accel.rental_usd_per_h);
    cr_assert(s.cluster.bill_spares);
    cr_assert_eq(s.cluster.swap_s, 600.0);
    cr_assert_eq(s.job.flops, 1e24);
    cr_assert_eq(s.job.parameters, 0.0);
    cr_assert_eq(s.job.tokens, 0.0);
    cr_assert_eq(s.checkpoint.policy, DCS_CKPT_DALY);
    cr_assert_eq(s.checkpoint.interval_s, 0.0);
    cr_assert_eq(s.checkpoint.size_bytes, 1e12);
    cr_assert_eq(s.checkpoint.bytes_per_param, 16.0);
    cr_assert_eq(s.checkpoint.write_bps, 1e12);
    cr_assert_eq(s.checkpoint.read_bps, 1e12);
    cr_assert_eq(s.checkpoint.write_overhead_s, 0.0);
    cr_assert(s.checkpoint.final);
    cr_assert_eq(s.restart.overhead_s, 300.0);
    cr_assert_eq(s.nfailures, 0);
    cr_assert_eq(s.targets.budget_usd, 0.0);
    cr_assert_eq(s.targets.deadline_s, 0.0);
    cr_assert_eq(s.sim.seed, 1);
    cr_assert_eq(s.sim.replications, 100);
    cr_assert_eq(s.sim.max_time_s, 20.0 * YEAR_S);
}

Test(load, every_key_is_read)
{
    dcs_scenario s;
    expect_ok(full_text, &s);
    cr_assert_str_eq(s.description, "a run with \"quotes\", a tab\tand unicode \xc2\xb5");
    cr_assert_str_eq(s.sources, "Llama 3 paper, arXiv 2407.21783\nEpoch chip DB: H100");
    cr_assert_str_eq(s.cluster.accel.key, "H100-SXM-80GB", "the catalog spelling is kept");
    cr_assert_eq(s.cluster.accel.peak_flops, 9.5e14);
    cr_assert_eq(s.cluster.accel.memory_bytes, 80.0 * 1073741824.0);
    cr_assert_eq(s.cluster.accel.tdp_w, 700.0);
    cr_assert_eq(s.cluster.accel.purchase_usd, 25000.0);
    cr_assert_eq(s.cluster.accel.rental_usd_per_h, 2.385);
    cr_assert_eq(s.cluster.spare_nodes, 16);
    cr_assert_eq(s.cluster.price_usd_per_accel_h, 2.1);
    cr_assert_eq(s.cluster.bill_spares, false);
    cr_assert_eq(s.cluster.swap_s, 450.0);
    cr_assert_eq(s.checkpoint.policy, DCS_CKPT_FIXED);
    cr_assert_eq(s.checkpoint.interval_s, 1800.0);
    cr_assert_eq(s.checkpoint.size_bytes, 405e9 * 14.0, "size = parameters * bytes_per_parameter");
    cr_assert_eq(s.checkpoint.write_bps, 2e12);
    cr_assert_eq(s.checkpoint.read_bps, 7e12);
    cr_assert_eq(s.checkpoint.write_overhead_s, 12.0);
    cr_assert_eq(s.checkpoint.final, false);
    cr_assert_eq(s.restart.overhead_s, 240.0);
    cr_assert_eq(s.nfailures, 3);
    cr_assert_str_eq(s.failures[0].name, "gpu");
    cr_assert_eq(s.failures[0].scope, DCS_SCOPE_ACCELERATOR);
    cr_assert_eq(s.failures[0].ttf.kind, DCS_DIST_EXPONENTIAL);
    cr_assert_eq(s.failures[0].detect_s, 90.0);
    cr_assert_eq(s.failures[0].repair.kind, DCS_DIST_WEIBULL);
    cr_assert_eq(s.failures[0].repair.mean_s, 2.0 * 86400.0);
    cr_assert_eq(s.failures[0].repair.shape, 1.7);
    cr_assert_str_eq(s.failures[0].source, "Llama 3: 148 faulty GPUs in 54 days");
    cr_assert_eq(s.failures[1].ttf.kind, DCS_DIST_LOGNORMAL);
    cr_assert_eq(s.failures[1].ttf.shape, 1.3);
    cr_assert_eq(s.failures[1].ttf.mean_s, 3.5 * YEAR_S);
    cr_assert_eq(s.failures[1].repair.kind, DCS_DIST_FIXED);
    cr_assert_eq(s.failures[1].repair.mean_s, 4.0 * 3600.0);
    cr_assert_eq(s.failures[2].scope, DCS_SCOPE_JOB);
    cr_assert_eq(s.failures[2].ttf.kind, DCS_DIST_WEIBULL);
    cr_assert_eq(s.failures[2].ttf.shape, 0.8);
    cr_assert_eq(s.failures[2].ttf.mean_s, 360000.0);
    cr_assert_eq(s.failures[2].repair.kind, DCS_DIST_FIXED);
    cr_assert_eq(s.failures[2].repair.mean_s, 0.0);
    cr_assert_eq(s.targets.budget_usd, 1.2e8);
    cr_assert_eq(s.targets.deadline_s, 60.0 * 86400.0);
    cr_assert_eq(s.sim.seed, UINT64_MAX);
    cr_assert_eq(s.sim.replications, 500);
    cr_assert_eq(s.sim.max_time_s, 5.0 * YEAR_S);
}

Test(load, flops_is_six_n_d)
{
    dcs_scenario s;
    expect_ok(full_text, &s);
    cr_assert_eq(s.job.parameters, 405e9);
    cr_assert_eq(s.job.tokens, 15.6e12);
    /* 6 * 405e9 * 15.6e12 = 3.7908e25; two roundings at most, so 1e-15 relative. */
    cr_assert(epsilon_eq(dbl, s.job.flops, 3.7908e25, 3.7908e25 * 1e-15));
}

Test(load, annual_failure_rate_gives_the_mean_time_to_failure)
{
    dcs_scenario s;
    expect_ok(full_text, &s);
    /* 6.1 % per year: mean = 365.25 d / 0.061 = 5.1734e8 s (about 16.4 y). */
    cr_assert(epsilon_eq(dbl, s.failures[0].ttf.mean_s, YEAR_S / 0.061, 1e-6));
    expect_ok(BASE "failures:\n  - {name: a, scope: job, annual_failure_rate: 2}\n"
                   "  - {name: b, scope: job, mtbf: 0.5y}\n",
              &s);
    cr_assert_eq(s.failures[0].ttf.mean_s, YEAR_S / 2.0, "AFR 2 = one failure every half year");
    cr_assert_eq(s.failures[0].ttf.mean_s, s.failures[1].ttf.mean_s);
}

Test(load, checkpoint_size_is_derived_from_parameters)
{
    dcs_scenario s;
    expect_ok("name: x\ncluster: {accelerator: A100-SXM-80GB, nodes: 1}\n"
              "job: {parameters: 7e9, tokens: 2e12, mfu: 0.5}\n"
              "checkpoint: {write_bandwidth: 10GB/s}\n",
              &s);
    cr_assert_eq(s.checkpoint.size_bytes, 7e9 * 16.0);
    cr_assert_eq(s.job.flops, 6.0 * 7e9 * 2e12);
}

Test(load, policy_none_needs_no_storage)
{
    dcs_scenario s;
    expect_ok(
        "name: x\ncluster: {accelerator: A100-SXM-80GB, nodes: 1}\n"
        "job: {flops: 1e20, mfu: 1}\ncheckpoint: {policy: none}\nfailures: []\nsources: one\n",
        &s);
    cr_assert_eq(s.checkpoint.policy, DCS_CKPT_NONE);
    cr_assert_eq(s.checkpoint.size_bytes, 0.0);
    cr_assert_eq(s.checkpoint.write_bps, 0.0);
    cr_assert_eq(s.job.mfu, 1.0);
    cr_assert_str_eq(s.sources, "one");
}

Test(load, catalog_without_rental_price_takes_the_given_price)
{
    dcs_scenario s;
    expect_ok("name: x\ncluster:\n  accelerator: H200-SXM-141GB\n  nodes: 1\n"
              "  price_usd_per_accelerator_hour: 3.5\n"
              "job: {flops: 1e20, mfu: 0.3}\n"
              "checkpoint: {policy: none}\n",
              &s);
    cr_assert_eq(s.cluster.price_usd_per_accel_h, 3.5);
    cr_assert(isnan(s.cluster.accel.rental_usd_per_h), "the catalog figure stays NAN");
}

Test(load, resolved_yaml_loads_back_to_the_same_struct)
{
    expect_round_trip(full_text);
    expect_round_trip(BASE);
    expect_round_trip("name: \"x: y\"\ncluster: {accelerator: TPU-v5p, nodes: 3, "
                      "price_usd_per_accelerator_hour: 1.1}\n"
                      "job: {flops: 1.2345678901234567e24, mfu: 0.333}\n"
                      "checkpoint: {policy: young, size: 1.1PiB, write_bandwidth: 3.3GiB/s}\n"
                      "targets: {budget_usd: 1e6}\n");
    expect_round_trip("name: x\ncluster: {accelerator: A100-SXM-80GB, nodes: 1}\n"
                      "job: {parameters: 1e9, tokens: 3e11, mfu: 0.5}\n"
                      "checkpoint: {policy: none, size: 3TB}\nsources: \"a\\nb\"\n");
}

Test(load, resolved_yaml_has_units_on_dimensioned_values)
{
    dcs_scenario s;
    char *y = NULL;
    dcs_err err;
    cr_assert_eq(dcs_scenario_load_string(BASE, "t.yaml", NULL, 0, &s, &y, &err), 0);
    cr_assert_not_null(strstr(y, "  swap_time: 600s\n"), "%s", y);
    cr_assert_not_null(strstr(y, "  size: 1000000000000B\n"), "%s", y);
    cr_assert_not_null(strstr(y, "  write_bandwidth: 1000000000000B/s\n"), "%s", y);
    cr_assert_not_null(strstr(y, "  max_time: 631152000s\n"), "%s", y);
    free(y);
}

Test(load, real_file_loads_and_reports_its_path)
{
    char dir[] = "/tmp/dcsim_scen_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[64], bad[64];
    snprintf(path, sizeof path, "%s/ok.yaml", dir);
    snprintf(bad, sizeof bad, "%s/bad.yaml", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(full_text, f);
    fclose(f);
    f = fopen(bad, "w");
    cr_assert_not_null(f);
    fputs(BASE "restart:\n  overhead: 5 minutes\n", f);
    fclose(f);

    dcs_scenario s;
    dcs_err err;
    cr_assert_eq(dcs_scenario_load(path, NULL, 0, &s, NULL, &err), 0, "%s", err.msg);
    cr_assert_str_eq(s.name, "llama3_405b_like");
    cr_assert_eq(dcs_scenario_load(bad, NULL, 0, &s, NULL, &err), DCS_EINPUT);
    char want[256], buf[768];
    snprintf(want, sizeof want,
             "%s:12:13: restart.overhead: \"5 minutes\" has an unknown unit; use one of s, min, "
             "h, d, w, y",
             bad);
    cr_assert_str_eq(dcs_err_format(&err, buf, sizeof buf), want);
    unlink(path);
    unlink(bad);
    rmdir(dir);
}

/* A scenario path that does not exist is bad input (exit status 2), like
 * any other mistake in what the user asked for. */
Test(load, missing_file_is_an_input_error)
{
    dcs_scenario s;
    dcs_err err;
    int rc = dcs_scenario_load("/nonexistent/dcsim/none.yaml", NULL, 0, &s, NULL, &err);
    cr_assert_eq(rc, DCS_EINPUT);
    cr_assert_eq(err.code, DCS_EINPUT);
    cr_assert_str_eq(err.msg,
                     "cannot open /nonexistent/dcsim/none.yaml: No such file or directory");
}

Test(load, failure_model_keys_are_read_and_defaulted)
{
    dcs_scenario s;
    expect_ok(BASE, &s);
    cr_assert_eq(s.cluster.repair_capacity, 0);
    cr_assert_eq(s.cluster.nodes_per_switch, 0);
    cr_assert_eq(s.restart.warmup_s, 0.0);
    expect_ok("name: x\ncluster:\n  accelerator: H100-SXM-80GB\n  nodes: 4\n"
              "  nodes_per_switch: 2\n  repair_capacity: 3\njob:\n  flops: 1e24\n  mfu: 0.4\n"
              "checkpoint:\n  size: 1TB\n  write_bandwidth: 1TB/s\nrestart:\n  warmup: 90s\n"
              "failures:\n"
              "  - name: tor\n    scope: switch\n    failures_per_1000_unit_days: 2.385\n"
              "    repair_time: 6h\n"
              "  - name: reset\n    scope: hbm\n    action: restart\n    mtbf: 10y\n"
              "  - name: fs\n    scope: storage\n    mtbf: 30d\n",
              &s);
    cr_assert_eq(s.cluster.nodes_per_switch, 2);
    cr_assert_eq(s.cluster.repair_capacity, 3);
    cr_assert_eq(s.restart.warmup_s, 90.0);
    cr_assert_eq(s.failures[0].scope, DCS_SCOPE_SWITCH);
    cr_assert_eq(s.failures[0].action, DCS_ACTION_SWAP);
    cr_assert(ieee_ulp_eq(dbl, s.failures[0].ttf.mean_s, 1000.0 * 86400.0 / 2.385, 4));
    cr_assert_eq(s.failures[1].scope, DCS_SCOPE_HBM);
    cr_assert_eq(s.failures[1].action, DCS_ACTION_RESTART);
    cr_assert_eq(s.failures[2].scope, DCS_SCOPE_STORAGE);
    cr_assert_eq(s.failures[2].action, DCS_ACTION_RESTART);
}
