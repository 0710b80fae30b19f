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
#include <unistd.h>

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
    expect_err(
        BASE "vendor: acme\n",
        "t.yaml:11:1: vendor: unknown key; expected one of name, description, sources, "
        "catalog, cluster, job, checkpoint, restart, failures, failure_total, power, cooling, "
        "weather, electricity, carbon, market, procurement, costs, targets, uncertain, simulation");
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
               "catalog` to list the known ones, or add it in a catalog of your own (`catalog:`)");
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
    /* A Weibull shape must be > 0. */
    expect_err(BASE GPU "    distribution: weibull\n    shape: 0\n",
               "t.yaml:17:12: failures[0].shape: must be > 0, got \"0\"");
    expect_err(BASE GPU "    distribution: weibull\n    shape: -0.7\n",
               "t.yaml:17:12: failures[0].shape: must be > 0, got \"-0.7\"");
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

/* ---- the energy model ----------------------------------------------------------------------- */

/* Lines 11-12 of BASE + POWER: an energy model with every default. */
#define POWER "power: {}\n"

/* The test data folder, for CSV series (an absolute path, so the messages
 * name it as it was opened). */
#define DATA DCSIM_SOURCE_DIR "/tests/scenarios/data/"

Test(errors, pue_below_one_is_refused)
{
    expect_err(
        BASE POWER "cooling:\n  pue: -1.2\n",
        "t.yaml:13:8: cooling.pue: must be >= 1 (facility energy / IT energy), got \"-1.2\"");
    expect_err(
        BASE POWER "cooling:\n  pue: 0.95\n",
        "t.yaml:13:8: cooling.pue: must be >= 1 (facility energy / IT energy), got \"0.95\"");
    expect_err(BASE POWER "cooling:\n  pue: 1.2kW\n",
               "t.yaml:13:8: cooling.pue: expected a number, got \"1.2kW\"");
    expect_err(BASE POWER "cooling:\n  model: cop\n  pue: 1.2\n",
               "t.yaml:14:8: cooling.pue: is only used with model pue");
}

/* COP = eta (T_s + 273.15) / (T + approach - T_s) is used from
 * free_cooling_below up; each way it could be <= 0 there is refused. */
Test(errors, cop_that_is_not_positive_where_it_is_used_is_refused)
{
    expect_err(BASE POWER "cooling:\n  model: cop\n  supply_temperature: 18C\n  approach: 5\n"
                          "  free_cooling_below: 10C\n",
               "t.yaml:16:23: cooling.free_cooling_below: the chiller's COP is negative from 10 C "
               "up to 13 C (supply_temperature - approach), where free cooling is off; "
               "free_cooling_below must be at least 13 C");
    /* The default free_cooling_below (13 C) against a warmer supply: the
     * message points at the cooling section. */
    expect_err(BASE POWER "cooling:\n  model: cop\n  supply_temperature: 25C\n",
               "t.yaml:13:3: cooling.free_cooling_below: the chiller's COP is negative from 13 C "
               "up to 20 C (supply_temperature - approach), where free cooling is off; "
               "free_cooling_below must be at least 20 C");
    expect_err(BASE POWER "cooling:\n  model: cop\n  supply_temperature: -280C\n"
                          "  free_cooling_below: -300C\n",
               "t.yaml:14:23: cooling.supply_temperature: must be above absolute zero "
               "(-273.15 C), got -280 C");
    expect_err(BASE POWER "cooling:\n  model: cop\n  chiller_efficiency: 0\n",
               "t.yaml:14:23: cooling.chiller_efficiency: must be > 0, got \"0\"");
    expect_err(BASE POWER "cooling:\n  model: cop\n  chiller_efficiency: 1.2\n",
               "t.yaml:14:23: cooling.chiller_efficiency: is a fraction of the Carnot COP: at "
               "most 1, got 1.2");
    expect_err(BASE POWER "cooling:\n  model: cop\n  approach: -2\n",
               "t.yaml:14:13: cooling.approach: must be >= 0, got \"-2\"");
}

Test(errors, missing_csv_is_reported_at_its_key)
{
    expect_err(BASE POWER "weather:\n  csv: no-such.csv\n",
               "t.yaml:13:8: weather.csv: cannot read \"no-such.csv\": No such file or directory");
    expect_err(BASE POWER "carbon:\n  csv: no-such.csv\n",
               "t.yaml:13:8: carbon.csv: cannot read \"no-such.csv\": No such file or directory");
}

/* A malformed row is reported at the CSV file's own line and column. */
Test(errors, malformed_csv_row_names_the_csv_line_and_column)
{
    expect_err(BASE POWER "weather:\n  csv: " DATA "weather-bad-value.csv\n",
               DATA "weather-bad-value.csv:4:3: weather.csv: expected a temperature in C, got "
                    "\"warm\"");
    expect_err(BASE POWER "weather:\n  csv: " DATA "weather-skipped-hour.csv\n",
               DATA "weather-skipped-hour.csv:3:1: weather.csv: expected hour 1 (rows are "
                    "consecutive hours from 0), got \"2\"");
    expect_err(BASE POWER "weather:\n  csv: " DATA "weather-no-comma.csv\n",
               DATA "weather-no-comma.csv:2:1: weather.csv: expected two fields, the hour and a "
                    "temperature in C, got \"0 21.5\"");
    expect_err(BASE POWER "weather:\n  csv: " DATA "weather-no-header.csv\n",
               DATA "weather-no-header.csv:1:1: weather.csv: expected a header line first (such "
                    "as \"hour,value\"), got a row of data");
    expect_err(BASE POWER "carbon:\n  csv: " DATA "carbon-negative.csv\n",
               DATA "carbon-negative.csv:3:3: carbon.csv: expected an intensity in kg CO2e/kWh "
                    "(>= 0), got \"-0.1\"");
    expect_err(BASE POWER "weather:\n  csv: " DATA "weather-header-only.csv\n",
               "t.yaml:13:8: weather.csv: \"" DATA
               "weather-header-only.csv\" has no rows after its "
               "header");
}

Test(errors, csv_line_longer_than_the_reader_takes)
{
    char path[512], text[1024], want[1024];
    snprintf(path, sizeof path, "%s/dcsim-long-%d.csv", DCSIM_BINARY_DIR, (int)getpid());
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fprintf(f, "hour,temperature_c\n0,21.");
    for (int i = 0; i < 300; i++)
        fputc('5', f);
    fputc('\n', f);
    fclose(f);
    snprintf(text, sizeof text, BASE POWER "weather:\n  csv: %s\n", path);
    snprintf(want, sizeof want, "%s:2:1: weather.csv: the line is longer than 254 characters",
             path);
    expect_err(text, want);
    remove(path);
}

Test(errors, weather_keys_are_checked)
{
    expect_err(BASE POWER "weather:\n  csv: " DATA "weather-ok.csv\n  mean: 20C\n",
               "t.yaml:14:9: weather.mean: is not used with csv (the series gives the "
               "temperature)");
    expect_err(BASE POWER "weather:\n  hottest_hour: 24\n",
               "t.yaml:13:17: weather.hottest_hour: must be an hour, 0 to 23.99");
    expect_err(BASE POWER "weather:\n  hottest_day: 366\n",
               "t.yaml:13:16: weather.hottest_day: must be a day of the year, 0 to 365");
    expect_err(BASE POWER "weather:\n  mean: 20\n",
               "t.yaml:13:9: weather.mean: \"20\" has no unit; use one of C");
    expect_err(BASE POWER "weather:\n  noise_sd: -1\n",
               "t.yaml:13:13: weather.noise_sd: must be >= 0, got \"-1\"");
}

Test(errors, overlapping_time_of_use_windows_are_refused)
{
    expect_err(BASE POWER "electricity:\n  model: tou\n  tou:\n"
                          "    - {hours: 8-20, days: weekdays, usd_per_kwh: 0.14}\n"
                          "    - {hours: 18-22, days: [fri, sat], usd_per_kwh: 0.2}\n",
               "t.yaml:16:15: electricity.tou[1].hours: overlaps electricity.tou[0] on fri from "
               "18:00 to 20:00");
    expect_err(BASE POWER "electricity:\n  model: tou\n  tou:\n"
                          "    - hours: 0-24\n      usd_per_kwh: 0.1\n"
                          "    - hours: 23-24\n      days: weekends\n      usd_per_kwh: 0.2\n",
               "t.yaml:17:14: electricity.tou[1].hours: overlaps electricity.tou[0] on sun from "
               "23:00 to 24:00");
}

Test(errors, time_of_use_keys_are_checked)
{
    expect_err(BASE POWER "electricity:\n  model: tou\n  tou:\n"
                          "    - {hours: 20-8, usd_per_kwh: 0.14}\n",
               "t.yaml:15:15: electricity.tou[0].hours: expected a range of hours FROM-TO with "
               "0 <= FROM < TO <= 24, got \"20-8\"");
    expect_err(BASE POWER "electricity:\n  model: tou\n",
               "t.yaml:13:3: electricity.tou: missing required key; model tou needs its windows");
    expect_err(BASE POWER "electricity:\n  tou:\n    - {hours: 8-20, usd_per_kwh: 0.14}\n",
               "t.yaml:14:5: electricity.tou: is only used with model tou");
    expect_err(BASE POWER "electricity:\n  model: tou\n  tou:\n"
                          "    - {hours: 8-20, days: [mon, someday], usd_per_kwh: 0.14}\n",
               "t.yaml:15:33: electricity.tou[0].days[1]: unknown value \"someday\"; use one of "
               "sun, mon, tue, wed, thu, fri, sat");
}

Test(errors, stochastic_price_keys_are_checked)
{
    expect_err(BASE POWER "electricity:\n  model: stochastic\n  peak_day: 400\n",
               "t.yaml:14:13: electricity.peak_day: must be a day of the year, 0 to 365");
    expect_err(BASE POWER "electricity:\n  model: stochastic\n  seasonal_amplitude: 1\n",
               "t.yaml:14:23: electricity.seasonal_amplitude: must be below 1, or the price "
               "would turn negative");
    expect_err(BASE POWER "electricity:\n  noise_sd: 0.2\n",
               "t.yaml:13:13: electricity.noise_sd: is only used with model stochastic");
}

Test(errors, energy_sections_need_a_power_section)
{
    expect_err(BASE "cooling:\n  pue: 1.1\n",
               "t.yaml:12:3: cooling: needs a power section: without one the energy model is off");
}

Test(errors, training_power_needs_a_tdp_for_a_fraction)
{
    expect_err("name: x\ncluster: {accelerator: TPU-v5p, nodes: 2, "
               "price_usd_per_accelerator_hour: 1}\n"
               "job: {flops: 1e22, mfu: 0.4}\ncheckpoint: {policy: none}\n"
               "power: {training: 0.75}\n",
               "t.yaml:5:19: power.training: a fraction of the server power needs the "
               "accelerator's TDP, which the catalog lacks; give a power such as 700W");
    expect_err("name: x\ncluster: {accelerator: TPU-v5p, nodes: 2, "
               "price_usd_per_accelerator_hour: 1}\n"
               "job: {flops: 1e22, mfu: 0.4}\ncheckpoint: {policy: none}\n"
               "power: {}\n",
               "t.yaml:5:8: power.training: missing required key; the accelerator has no TDP in "
               "the catalog");
}

Test(errors, cooling_failures_only_take_units_out)
{
    expect_err(BASE "failures:\n  - name: crah\n    scope: cooling\n    mtbf: 1y\n"
                    "    repair_time: 1d\n",
               "t.yaml:13:12: failures[0].scope: scope cooling needs cooling units: set "
               "cooling.units");
    expect_err(BASE POWER "cooling: {units: 2, unit_capacity: 1MW}\n"
                          "failures:\n  - name: crah\n    scope: cooling\n    action: restart\n"
                          "    mtbf: 1y\n",
               "t.yaml:16:13: failures[0].action: scope cooling takes action swap only: a failed "
               "cooling unit is out until repaired, and the job does not stop");
    expect_err(BASE POWER "cooling: {units: 2, unit_capacity: 1MW}\n"
                          "failures:\n  - name: crah\n    scope: cooling\n    share: 0.5\n",
               "t.yaml:16:12: failures[0].share: is not used with scope cooling: its failures do "
               "not interrupt the job, so they have no share of failure_total");
}

Test(errors, start_must_be_a_calendar_date)
{
    expect_err(BASE "simulation:\n  start: 2025-02-29\n",
               "t.yaml:12:10: simulation.start: expected a date YYYY-MM-DD or YYYY-MM-DDTHH:MM "
               "(UTC), got \"2025-02-29\"");
    expect_err(BASE "simulation:\n  start: 2025-7-1\n",
               "t.yaml:12:10: simulation.start: expected a date YYYY-MM-DD or YYYY-MM-DDTHH:MM "
               "(UTC), got \"2025-7-1\"");
    expect_err(BASE "simulation:\n  start: 2025-07-01T7:00\n",
               "t.yaml:12:10: simulation.start: expected a date YYYY-MM-DD or YYYY-MM-DDTHH:MM "
               "(UTC), got \"2025-07-01T7:00\"");
    expect_err(BASE "simulation:\n  start: 2025-07-01T24:00\n",
               "t.yaml:12:10: simulation.start: expected a date YYYY-MM-DD or YYYY-MM-DDTHH:MM "
               "(UTC), got \"2025-07-01T24:00\"");
    expect_err(BASE "simulation:\n  start: \"2025-07-01 07:00\"\n",
               "t.yaml:12:10: simulation.start: expected a date YYYY-MM-DD or YYYY-MM-DDTHH:MM "
               "(UTC), got \"2025-07-01 07:00\"");
}
