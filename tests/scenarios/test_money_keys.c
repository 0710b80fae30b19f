/*
 * test_money_keys.c - the scenario keys of the job kinds and stages, the
 * accelerator market, procurement and the cost ledger: defaults, the FLOPs
 * rule of each kind, every key read into its field, the resolved YAML
 * round trip, and the messages of bad input.
 *
 * BASE (expect.h) is two H100 nodes with a 1e24-FLOP job; expected values
 * are computed the way the loader computes them, so equal to the last bit.
 */
#include "estimate.h"
#include "expect.h"

#include "power.h"

#include <criterion/new/assert.h>
#include <math.h>

#define DAY  86400.0
#define YEAR (365.25 * DAY)

/* A job section from line 5 on: "job:" then `body`, then the rest of a
 * valid scenario (checkpoint policy none: no size needed). */
#define JOB(body)                                                                                  \
    "name: x\ncluster:\n  accelerator: H100-SXM-80GB\n  nodes: 128\njob:\n" body                   \
    "checkpoint:\n  policy: none\n"

Test(money_keys, the_default_job_is_pretraining_at_six_n_d)
{
    dcs_scenario s;
    expect_ok(JOB("  parameters: 7e9\n  tokens: 2e12\n  mfu: 0.4\n"), &s);
    cr_assert_eq(s.job.kind, DCS_JOB_PRETRAINING);
    cr_assert_eq(s.job.flops, 6.0 * 7e9 * 2e12);
    cr_assert_eq(s.job.active_parameters, 7e9);
    cr_assert_eq(s.job.epochs, 1.0);
    cr_assert_eq(s.job.trainable_fraction, 1.0);
    cr_assert_eq(s.job.nstages, 0);
}

Test(money_keys, each_kind_has_its_flops_rule)
{
    dcs_scenario s;
    expect_ok(JOB("  kind: fine_tuning\n  parameters: 6.7e9\n  tokens: 2.4e7\n  epochs: 3\n"
                  "  mfu: 0.38\n"),
              &s);
    cr_assert_eq(s.job.flops, 6.0 * 6.7e9 * 2.4e7 * 3.0);
    expect_ok(JOB("  kind: continued_pretraining\n  parameters: 8e9\n  tokens: 1e11\n  mfu: 0.4\n"),
              &s);
    cr_assert_eq(s.job.flops, 6.0 * 8e9 * 1e11);
    /* Adapters: forward 2N, activation gradients 2N, weight gradients of
     * the trainable share 2fN. */
    expect_ok(JOB("  kind: adapter\n  trainable_fraction: 0.0062\n  parameters: 6.7e9\n"
                  "  tokens: 2.4e7\n  epochs: 3\n  mfu: 0.3\n"),
              &s);
    cr_assert_eq(s.job.flops, (4.0 + 2.0 * 0.0062) * 6.7e9 * 2.4e7 * 3.0);
    expect_ok(JOB("  kind: vision\n  images: 1000\n  flops_per_image: 1.23e10\n  epochs: 20\n"
                  "  mfu: 0.3\n"),
              &s);
    cr_assert_eq(s.job.flops, 1.23e10 * 1000.0 * 20.0);
    /* Mixtures of experts: FLOPs from the active parameters. */
    expect_ok(JOB("  parameters: 671e9\n  active_parameters: 37e9\n  tokens: 14.8e12\n"
                  "  mfu: 0.35\n"),
              &s);
    cr_assert_eq(s.job.flops, 6.0 * 37e9 * 14.8e12);
}

Test(money_keys, an_adapter_checkpoint_holds_its_trainable_weights)
{
    dcs_scenario s;
    expect_ok("name: x\ncluster: {accelerator: A100-SXM-80GB, nodes: 1}\n"
              "job: {kind: adapter, trainable_fraction: 0.01, parameters: 7e9, tokens: 1e8, "
              "mfu: 0.3}\ncheckpoint: {write_bandwidth: 2GB/s}\n",
              &s);
    cr_assert_eq(s.checkpoint.size_bytes, 0.01 * 7e9 * 16.0);
}

Test(money_keys, stages_add_their_work)
{
    dcs_scenario s;
    expect_ok(JOB("  parameters: 671e9\n  active_parameters: 37e9\n  mfu: 0.35\n  stages:\n"
                  "    - {name: pretraining, tokens: 14.8e12}\n"
                  "    - {name: long_context, accelerator_hours: 119000}\n"
                  "    - {name: tuning, flops: 2e22, mfu: 0.2}\n"),
              &s);
    cr_assert_eq(s.job.nstages, 3);
    cr_assert_str_eq(s.job.stages[0].name, "pretraining");
    cr_assert_eq(s.job.stages[0].flops, 6.0 * 37e9 * 14.8e12);
    cr_assert_eq(s.job.stages[0].mfu, 0.35);
    cr_assert_eq(s.job.stages[1].accel_hours, 119000.0);
    cr_assert_eq(s.job.stages[1].flops, 0.0);
    cr_assert_eq(s.job.stages[2].mfu, 0.2);
    cr_assert_eq(s.job.flops, 6.0 * 37e9 * 14.8e12 + 2e22);
}

/* With stages, job.mfu is the stages' default: it may be left out when
 * every stage has its own or is given in accelerator-hours. */
Test(money_keys, stages_may_carry_every_mfu)
{
    dcs_scenario s;
    expect_ok(JOB("  parameters: 7e9\n  stages:\n    - {name: a, tokens: 1e12, mfu: 0.4}\n"
                  "    - {name: b, accelerator_hours: 500}\n"),
              &s);
    cr_assert_eq(s.job.stages[0].mfu, 0.4);
    cr_assert_eq(s.job.mfu, 0.0);
    expect_err(JOB("  parameters: 7e9\n  stages:\n    - {name: a, tokens: 1e12}\n"),
               "t.yaml:8:7: job.stages[0].mfu: missing required key; or give job.mfu for every "
               "stage");
    expect_err(JOB("  parameters: 7e9\n  tokens: 1e12\n"),
               "t.yaml:6:3: job.mfu: missing required key");
}

Test(money_keys, without_sections_the_money_defaults_hold)
{
    dcs_scenario s;
    expect_ok(BASE, &s);
    cr_assert_not(s.market.on);
    cr_assert_eq(s.procurement.mode, DCS_BUY_ON_DEMAND);
    cr_assert(s.procurement.energy_included, "a rental price includes electricity");
    cr_assert_eq(s.costs.storage_usd_per_tb_month, 0.0);
    cr_assert_eq(s.costs.team, 0.0);
    expect_ok(BASE "power: {}\n", &s);
    cr_assert(s.procurement.energy_included, "a power section measures; the rent still pays");
    expect_ok(BASE "procurement: {mode: owned}\n", &s);
    cr_assert_not(s.procurement.energy_included);
    cr_assert(s.power.on, "owned hardware without a power section gets the default model");
    cr_assert_eq(s.procurement.lifetime_s, 5.0 * YEAR);
    cr_assert_eq(s.procurement.residual, 0.0);
    expect_ok(BASE "procurement: {mode: reserved}\n", &s);
    /* AWS p3's 1-year price against on-demand, $1.99 / $3.06. */
    cr_assert_eq(s.procurement.discount, 1.0 - 1.99 / 3.06);
    cr_assert_eq(s.procurement.term_s, YEAR);
}

Test(money_keys, market_keys_and_their_defaults)
{
    dcs_scenario s;
    expect_ok(BASE "market:\n  elasticity: 0.5\n  lead_time: 40w\n", &s);
    const dcs_market_cfg *m = &s.market;
    cr_assert(m->on);
    cr_assert_eq(m->step_s, DAY);
    cr_assert_eq(m->ref_price, s.cluster.price_usd_per_accel_h);
    /* The default cap: 5 x the reference price (the hyperscaler list
     * price's multiple of the market price, config.h). */
    cr_assert_eq(m->cap_price, DCS_MARKET_CAP_MULTIPLE * m->ref_price);
    cr_assert_eq(DCS_MARKET_CAP_MULTIPLE, 5.0);
    cr_assert_eq(m->acquisition_s, 0.0);
    cr_assert_eq(m->replace_s, 0.0);
    cr_assert_eq(m->balance, 1.0);
    cr_assert_eq(m->demand_tau_s, 30.0 * DAY);
    cr_assert_eq(m->lead_mean_s, 40.0 * 7.0 * DAY);
    cr_assert_eq(m->capacity, HUGE_VAL);
    cr_assert_eq(m->ref_purchase, s.cluster.accel.purchase_usd);
    cr_assert_eq(m->nshocks, 0);
    /* One replacement node waits 1 / nodes of the cluster's acquisition
     * time by default, or what replacement_time says. */
    expect_ok(BASE "market:\n  elasticity: 0.5\n  lead_time: 40w\n  acquisition_time: 4w\n"
                   "  reference_price_usd_per_hour: 2\n",
              &s);
    cr_assert_eq(s.market.acquisition_s, 28.0 * DAY);
    cr_assert_gt(s.cluster.nodes, 1);
    cr_assert_eq(s.market.replace_s, 28.0 * DAY / (double)s.cluster.nodes);
    cr_assert_eq(s.market.cap_price, 10.0);
    expect_ok(BASE "market:\n  elasticity: 0.5\n  lead_time: 40w\n  acquisition_time: 4w\n"
                   "  replacement_time: 2d\n  price_cap_usd_per_hour: 1e6\n",
              &s);
    cr_assert_eq(s.market.replace_s, 2.0 * DAY);
    cr_assert_eq(s.market.cap_price, 1e6);
    expect_ok(BASE
              "market:\n  elasticity: 0.5\n  lead_time: 40w\n  demand_growth: 0.8\n"
              "  shocks:\n"
              "    - {target: supply, factor: 0.6, start: 2025-03-01, ramp: 2w, duration: 180d}\n"
              "    - {target: demand, factor: 1.4, start: -30d}\n",
              &s);
    cr_assert_eq(s.market.demand_growth, 0.8);
    cr_assert_eq(s.market.nshocks, 2);
    cr_assert_eq(s.market.shocks[0].target, DCS_SHOCK_SUPPLY);
    cr_assert_eq(s.market.shocks[0].start_s, dcs_epoch_s(2025, 3, 1, 0, 0) - s.sim.start_s);
    cr_assert_eq(s.market.shocks[0].start_s, 59.0 * DAY);
    cr_assert_eq(s.market.shocks[0].ramp_s, 14.0 * DAY);
    cr_assert_eq(s.market.shocks[1].start_s, -30.0 * DAY);
    cr_assert_eq(s.market.shocks[1].duration_s, HUGE_VAL);
}

Test(money_keys, cost_sections_are_read)
{
    dcs_scenario s;
    expect_ok(BASE "costs:\n  storage_usd_per_tb_month: 23\n  other_usd: 5e4\n"
                   "  data: {acquisition_usd: 1e5, labels: 2e4, usd_per_label: 0.85, "
                   "usd_per_label_sd: 0.3, storage: 40TB}\n"
                   "  staff: {team_size: 6, loaded_usd_per_year: 3.1e5, research_usd: 2e5}\n",
              &s);
    const dcs_costs_cfg *c = &s.costs;
    cr_assert_eq(c->storage_usd_per_tb_month, 23.0);
    cr_assert_eq(c->labels, 2e4);
    cr_assert_eq(c->label_sd, 0.3);
    cr_assert_eq(c->data_bytes, 40e12);
    cr_assert_eq(c->team, 6.0);
    cr_assert_eq(c->research_usd, 2e5);
    cr_assert_eq(c->other_usd, 5e4);
}

Test(money_keys, resolved_yaml_loads_back_to_the_same_struct)
{
    expect_round_trip(JOB("  kind: adapter\n  trainable_fraction: 0.0062\n  parameters: 6.7e9\n"
                          "  tokens: 2.4e7\n  epochs: 3\n  mfu: 0.3\n"));
    expect_round_trip(
        JOB("  kind: vision\n  parameters: 2.5e7\n  trainable_fraction: 0.1\n"
            "  images: 1000\n  flops_per_image: 1.23e10\n  epochs: 20\n  mfu: 0.3\n"));
    expect_round_trip(JOB("  parameters: 7e9\n  stages:\n    - {name: a, tokens: 1e12, mfu: 0.4}\n"
                          "    - {name: b, accelerator_hours: 500}\n"));
    expect_round_trip(JOB("  parameters: 671e9\n  active_parameters: 37e9\n  mfu: 0.35\n  stages:\n"
                          "    - {name: pretraining, tokens: 14.8e12}\n"
                          "    - {name: long_context, accelerator_hours: 119000}\n"
                          "    - {name: tuning, flops: 2e22, mfu: 0.2}\n"));
    expect_round_trip(BASE
                      "market:\n  elasticity: 0.55\n  lead_time: 40w\n  lead_time_sd: 6w\n"
                      "  demand_growth: 0.73\n  demand_noise_sd: 0.1\n  supply_response: 1.2\n"
                      "  manufacturing_capacity: 2.5\n  capacity_growth: 0.9\n  retirement: 0.1\n"
                      "  price_floor_usd_per_hour: 1.1\n  price_cap_usd_per_hour: 12.5\n"
                      "  acquisition_time: 3w\n  purchase_response: 0.3\n"
                      "  shocks:\n    - {target: manufacturing, factor: 0.4, start: 2025-02-01, "
                      "ramp: 10d, duration: 90d}\n"
                      "procurement: {mode: mixed, reserved_accelerators: 8, discount: 0.31, "
                      "term: 2y}\n"
                      "costs: {storage_usd_per_tb_month: 23, other_usd: 1e4, "
                      "data: {labels: 1e3, usd_per_label: 0.08, usd_per_label_sd: 0.5}, "
                      "staff: {team_size: 2, loaded_usd_per_year: 2.5e5}}\n");
    expect_round_trip(BASE "procurement: {mode: owned, lifetime: 4y, residual: 0.2, "
                           "hosting_usd_per_accelerator_hour: 0.35, purchase_usd: 31905, "
                           "energy_included: false}\n"
                           "costs: {energy_usd_per_accelerator_hour: 0.09}\n");
    expect_round_trip(BASE "procurement: {mode: owned, depreciation_per_year: 0.3224, "
                           "interconnect_share: 0.19}\n"
                           "costs: {processing: {data: 7.2PB, usd_per_tb: 5.68}, "
                           "licences: {seats: 4, usd_per_seat_year: 600, "
                           "usd_per_accelerator_hour: 1}}\n");
    /* The default power model that owned hardware gets is written out. */
    expect_round_trip(BASE "procurement: {mode: owned}\n");
}

Test(money_keys, processing_licences_and_amortization_keys)
{
    dcs_scenario s;
    expect_ok(BASE "procurement: {mode: owned}\n", &s);
    /* Epoch AI: the cluster's interconnect is 19 % of the hardware cost. */
    cr_assert_eq(s.procurement.interconnect_share, 0.19);
    cr_assert_eq(s.procurement.depreciation_per_year, 0.0, "the lifetime by default");
    expect_ok(BASE "procurement: {mode: owned, depreciation_per_year: 0.3224}\n"
                   "costs:\n  processing: {data: 2PB, usd_per_tb: 5.68}\n"
                   "  licences: {seats: 3, usd_per_seat_year: 500, usd_per_accelerator_hour: 1}\n",
              &s);
    cr_assert_eq(s.procurement.depreciation_per_year, 0.3224);
    cr_assert_eq(s.costs.processed_bytes, 2e15);
    cr_assert_eq(s.costs.processing_usd_per_tb, 5.68);
    cr_assert_eq(s.costs.licence_seats, 3.0);
    cr_assert_eq(s.costs.usd_per_seat_year, 500.0);
    cr_assert_eq(s.costs.licence_usd_per_accel_h, 1.0);
    expect_err(BASE "procurement: {mode: owned, depreciation_per_year: 0.3, lifetime: 4y}\n",
               "t.yaml:11:66: procurement.lifetime: is replaced by depreciation_per_year");
    expect_err(BASE "procurement: {mode: owned, interconnect_share: 1}\n",
               "t.yaml:11:48: procurement.interconnect_share: is a share of the whole hardware "
               "cost, below 1");
    expect_err(BASE "procurement: {depreciation_per_year: 0.3}\n",
               "t.yaml:11:38: procurement.depreciation_per_year: is only used with mode owned "
               "(the mode is on_demand)");
    expect_err(BASE "costs: {processing: {data: 1PB}}\n",
               "t.yaml:11:21: costs.processing.usd_per_tb: missing required key");
    expect_err(BASE "costs: {licences: {seats: 2}}\n",
               "t.yaml:11:19: costs.licences.usd_per_seat_year: missing required key");
    expect_err(BASE "costs: {licences: {seat: 2}}\n",
               "t.yaml:11:20: costs.licences.seat: unknown key; did you mean \"seats\"?");
}

/* ---- bad input ------------------------------------------------------------------------------ */

#define MARKET BASE "market:\n  elasticity: 0.5\n  lead_time: 40w\n"

Test(money_keys, bad_market_values_are_errors)
{
    expect_err(BASE "market:\n  elasticity: 0\n  lead_time: 40w\n",
               "t.yaml:12:15: market.elasticity: must be > 0, got \"0\"");
    expect_err(BASE "market:\n  elasticity: -0.5\n  lead_time: 40w\n",
               "t.yaml:12:15: market.elasticity: must be > 0, got \"-0.5\"");
    expect_err(BASE "market:\n  lead_time: 40w\n",
               "t.yaml:12:3: market.elasticity: missing required key");
    expect_err(BASE "market:\n  elasticity: 0.5\n  lead_time: -2w\n",
               "t.yaml:13:14: market.lead_time: must be >= 0, got \"-2w\"");
    expect_err(BASE "market:\n  elasticity: 0.5\n  lead_time: 40\n",
               "t.yaml:13:14: market.lead_time: \"40\" has no unit; use one of s, min, h, d, w, y");
    expect_err(MARKET "  demand_growth: -1.5\n",
               "t.yaml:14:18: market.demand_growth: is a relative change per year and must be "
               "above -1, got -1.5");
    expect_err(MARKET "  price_floor_usd_per_hour: 3\n  price_cap_usd_per_hour: 2\n",
               "t.yaml:15:27: market.price_cap_usd_per_hour: must be above "
               "price_floor_usd_per_hour (3)");
    expect_err(MARKET "  reference_price_usd_per_hour: 2\n  price_floor_usd_per_hour: 10\n",
               "t.yaml:15:29: market.price_floor_usd_per_hour: must be below the default price "
               "cap, 5 x reference_price_usd_per_hour = 10: give price_cap_usd_per_hour");
    expect_err(MARKET "  replacement_time: -1d\n",
               "t.yaml:14:21: market.replacement_time: must be >= 0, got \"-1d\"");
}

Test(money_keys, bad_shocks_are_errors)
{
    expect_err(MARKET "  shocks:\n    - {target: fabs, factor: 0.5, start: 10d}\n",
               "t.yaml:15:16: market.shocks[0].target: unknown value \"fabs\"; use one of "
               "supply, demand, manufacturing");
    expect_err(MARKET "  shocks:\n    - {target: supply, factor: -0.5, start: 10d}\n",
               "t.yaml:15:32: market.shocks[0].factor: must be >= 0, got \"-0.5\"");
    expect_err(MARKET "  shocks:\n    - {target: supply, factor: 0.5}\n",
               "t.yaml:15:7: market.shocks[0].start: missing required key; a date, or a "
               "duration after simulation.start");
    expect_err(MARKET "  shocks:\n    - {target: supply, factor: 0.5, start: soon}\n",
               "t.yaml:15:44: market.shocks[0].start: expected a date YYYY-MM-DD or a duration "
               "after simulation.start; \"soon\" does not start with a number (units s, min, h, "
               "d, w, y)");
    expect_err(MARKET "  shocks:\n    - {target: supply, factor: 0.5, start: 1d, color: red}\n",
               "t.yaml:15:48: market.shocks[0].color: unknown key; expected one of target, "
               "factor, start, ramp, duration, types");
}

Test(money_keys, bad_procurement_is_an_error)
{
    expect_err(BASE "procurement: {mode: leased}\n",
               "t.yaml:11:21: procurement.mode: unknown value \"leased\"; use one of on_demand, "
               "reserved, owned, mixed");
    expect_err(BASE "procurement: {mode: mixed}\n",
               "t.yaml:11:14: procurement.reserved_accelerators: missing required key");
    expect_err(BASE "procurement: {mode: reserved, reserved_accelerators: 8}\n",
               "t.yaml:11:54: procurement.reserved_accelerators: is only used with mode mixed "
               "(the mode is reserved)");
    expect_err(BASE "procurement: {mode: reserved, discount: 1.2}\n",
               "t.yaml:11:41: procurement.discount: is a fraction off the price at signing, "
               "below 1");
    expect_err(BASE "procurement: {mode: on_demand, lifetime: 5y}\n",
               "t.yaml:11:42: procurement.lifetime: is only used with mode owned (the mode is "
               "on_demand)");
    expect_err(BASE "procurement: {mode: owned, residual: 1.5}\n",
               "t.yaml:11:38: procurement.residual: is a share of the purchase price, at most 1");
}

Test(money_keys, money_in_the_wrong_unit_is_an_error)
{
    expect_err(BASE "targets:\n  budget_usd: 5M\n",
               "t.yaml:12:15: targets.budget_usd: expected an amount in US dollars as a plain "
               "number (the key names the currency), got \"5M\"");
    expect_err(BASE "targets:\n  budget_usd: 5e6 USD\n",
               "t.yaml:12:15: targets.budget_usd: expected an amount in US dollars as a plain "
               "number (the key names the currency), got \"5e6 USD\"");
    expect_err(BASE "costs: {staff: {team_size: 3, loaded_usd_per_year: 300k}}\n",
               "t.yaml:11:52: costs.staff.loaded_usd_per_year: expected an amount in US dollars "
               "as a plain number (the key names the currency), got \"300k\"");
}

Test(money_keys, a_trainable_fraction_outside_zero_one_is_an_error)
{
    expect_err(JOB("  kind: adapter\n  trainable_fraction: 1.5\n  parameters: 7e9\n"
                   "  tokens: 1e8\n  mfu: 0.3\n"),
               "t.yaml:7:23: job.trainable_fraction: must be in (0, 1], got \"1.5\"");
    expect_err(JOB("  kind: adapter\n  trainable_fraction: 0\n  parameters: 7e9\n"
                   "  tokens: 1e8\n  mfu: 0.3\n"),
               "t.yaml:7:23: job.trainable_fraction: must be in (0, 1], got \"0\"");
    expect_err(JOB("  kind: adapter\n  parameters: 7e9\n  tokens: 1e8\n  mfu: 0.3\n"),
               "t.yaml:6:3: job.trainable_fraction: missing required key; an adapter job trains "
               "a fraction of the weights, in (0, 1]");
    expect_err(JOB("  trainable_fraction: 0.5\n  parameters: 7e9\n  tokens: 1e8\n  mfu: 0.3\n"),
               "t.yaml:6:23: job.trainable_fraction: is only used with kind adapter or vision "
               "(kind pretraining trains every weight)");
}

Test(money_keys, bad_job_work_is_an_error)
{
    expect_err(JOB("  kind: vision\n  images: 1000\n  mfu: 0.3\n"),
               "t.yaml:6:3: job.flops_per_image: missing required key; training FLOPs per image "
               "(forward and backward)");
    expect_err(JOB("  images: 1000\n  flops: 1e20\n  mfu: 0.3\n"),
               "t.yaml:6:11: job.images: is only used with kind vision");
    expect_err(JOB("  parameters: 7e9\n  active_parameters: 8e9\n  tokens: 1e8\n  mfu: 0.3\n"),
               "t.yaml:7:22: job.active_parameters: must be at most parameters (7e+09)");
    expect_err(JOB("  mfu: 0.3\n  stages: []\n"),
               "t.yaml:7:11: job.stages: an empty list: give at least one stage, or leave "
               "stages out");
    expect_err(JOB("  mfu: 0.3\n  stages:\n    - {name: a, tokens: 1e9}\n"),
               "t.yaml:8:25: job.stages[0].tokens: tokens needs job.parameters");
    expect_err(JOB("  mfu: 0.3\n  stages:\n    - {name: a, flops: 1e20, accelerator_hours: 5}\n"),
               "t.yaml:8:49: job.stages[0].accelerator_hours: give one of tokens, flops and "
               "accelerator_hours, not several");
    expect_err(JOB("  mfu: 0.3\n  tokens: 1e9\n  stages:\n    - {name: a, flops: 1e20}\n"),
               "t.yaml:7:11: job.tokens: is not used with stages: each stage gives its own work");
    expect_err(JOB("  mfu: 0.3\n  stages:\n    - {name: a, flops: 1e20}\n    - {name: a, "
                   "flops: 1e20}\n"),
               "t.yaml:9:14: job.stages[1].name: stage \"a\" is given twice (also "
               "job.stages[0])");
}

Test(money_keys, a_flat_energy_price_needs_electricity_outside_the_rent)
{
    expect_err(BASE "costs: {energy_usd_per_accelerator_hour: 0.1}\n",
               "t.yaml:11:42: costs.energy_usd_per_accelerator_hour: would be charged on top of "
               "a rental price that includes electricity: set procurement.energy_included: false");
    expect_err(BASE "power: {}\ncosts: {energy_usd_per_accelerator_hour: 0.1}\n",
               "t.yaml:12:42: costs.energy_usd_per_accelerator_hour: is a flat energy price for "
               "scenarios without a power section; this one has one, which prices the "
               "electricity itself");
}

/* ---- does the model fit in memory ---- */

#define V100X8(memory)                                                                             \
    "name: x\n"                                                                                    \
    "cluster: {accelerator: V100-SXM2-32GB, nodes: 1}\n"                                           \
    "job: {parameters: 405e9, tokens: 1e9, mfu: 0.3" memory "}\n"                                  \
    "checkpoint: {write_bandwidth: 1TB/s}\n"

Test(money_keys, a_model_that_does_not_fit_is_refused_naming_the_keys)
{
    /* 405e9 x 16 B over 8 V100s = 810 GB per GPU against 32 GB. */
    expect_err(V100X8(""), "t.yaml:3:19: job.parameters: does not fit: 4.05e+11 x 16 B "
                           "(checkpoint.bytes_per_parameter) / 8 (job.memory.sharded_over) + 0 GB "
                           "(job.memory.activations) = 810 GB per accelerator > 32 GB "
                           "(cluster.accelerator); shard wider or set job.memory.offload");
    /* A job that offloads loads (the commands warn). */
    dcs_scenario s;
    expect_ok(V100X8(", memory: {offload: true}"), &s);
    cr_assert(s.job.offload);
    dcs_memory_need m;
    cr_assert_not(dcs_memory_need_of(&s, &m));
    cr_assert_eq(m.need_bytes, 405e9 * 16.0 / 8.0);
    cr_assert_eq(m.have_bytes, 32e9);
}

Test(money_keys, sharding_and_activations_decide_the_fit)
{
    dcs_scenario s;
    /* 7e9 x 16 B = 112 GB: over 2 H100s 56 GB each, + 20 GB = 76 GB <= 80 GB. */
    expect_ok("name: x\ncluster: {accelerator: H100-SXM-80GB, nodes: 1}\n"
              "job: {parameters: 7e9, tokens: 1e9, mfu: 0.3, memory: {sharded_over: 2, "
              "activations: 20GB}}\ncheckpoint: {write_bandwidth: 1TB/s}\n",
              &s);
    cr_assert_eq(s.job.shard_accels, 2);
    cr_assert_eq(s.job.activation_bytes, 20e9);
    /* Five more GB per accelerator do not fit. */
    expect_err("name: x\ncluster: {accelerator: H100-SXM-80GB, nodes: 1}\n"
               "job: {parameters: 7e9, tokens: 1e9, mfu: 0.3, memory: {sharded_over: 2, "
               "activations: 25GB}}\ncheckpoint: {write_bandwidth: 1TB/s}\n",
               "t.yaml:3:19: job.parameters: does not fit: 7e+09 x 16 B "
               "(checkpoint.bytes_per_parameter) / 2 (job.memory.sharded_over) + 25 GB "
               "(job.memory.activations) = 81 GB per accelerator > 80 GB (cluster.accelerator); "
               "shard wider or set job.memory.offload");
    expect_err("name: x\ncluster: {accelerator: H100-SXM-80GB, nodes: 1}\n"
               "job: {parameters: 7e9, tokens: 1e9, mfu: 0.3, memory: {sharded_over: 9}}\n"
               "checkpoint: {write_bandwidth: 1TB/s}\n",
               "t.yaml:3:70: job.memory.sharded_over: is more than the job's 8 accelerators");
    /* An adapter holds its frozen base in BF16: 65e9 x (2 B + 1e-3 x 16 B)
     * = 131 GB over 8 GPUs fits; fully trained it would not. */
    expect_ok("name: x\ncluster: {accelerator: A100-SXM-80GB, nodes: 1}\n"
              "job: {kind: adapter, trainable_fraction: 1e-3, parameters: 65e9, tokens: 1e8, "
              "mfu: 0.3}\ncheckpoint: {write_bandwidth: 1TB/s}\n",
              &s);
    expect_round_trip("name: x\ncluster: {accelerator: H100-SXM-80GB, nodes: 1}\n"
                      "job: {parameters: 7e9, tokens: 1e9, mfu: 0.3, memory: {sharded_over: 4, "
                      "activations: 10GB, offload: true}}\n"
                      "checkpoint: {write_bandwidth: 1TB/s}\n");
}

/* ---- several accelerator types (market.types) ----------------------------------------------- */

#define TYPES MARKET "  types:\n"

Test(money_keys, market_types_take_the_market_keys_as_defaults)
{
    static dcs_scenario s;
    expect_ok(TYPES "    - {accelerator: B200, elasticity: 0.3, mfu: 0.35, demand_units: 2e6}\n"
                    "    - {accelerator: H100-SXM-80GB, lead_time: 10w}\n"
                    "  substitution: {elasticity: 0.8}\n"
                    "  shocks:\n    - {target: supply, factor: 0.5, start: 10d, types: [B200]}\n"
                    "    - {target: demand, factor: 2, start: 20d}\n",
              &s);
    cr_assert(s.market_listed);
    cr_assert_eq(s.nmarket_types, 2);
    cr_assert_eq(s.market_job_type, 1, "the cluster's H100 is type 1");
    const dcs_market_cfg *b = &s.market_types[0].m, *h = &s.market_types[1].m;
    cr_assert_eq(b->elasticity, 0.3);
    cr_assert_eq(b->lead_mean_s, 40.0 * 7.0 * DAY, "the market's lead time");
    cr_assert_eq(h->elasticity, 0.5, "the market's elasticity");
    cr_assert_eq(h->lead_mean_s, 10.0 * 7.0 * DAY);
    cr_assert_eq(s.market_types[0].mfu, 0.35);
    cr_assert_eq(s.market_types[0].demand_units, 2e6);
    cr_assert_eq(s.market_types[1].mfu, 1.0);
    cr_assert_eq(s.substitution.elasticity, 0.8);
    cr_assert_eq(s.substitution.tau_s, 30.0 * DAY);
    /* Prices: each type's catalog rental price, the cluster's for its own. */
    cr_assert_eq(b->ref_price, 3.2, "the catalog's B200 rental price");
    cr_assert_eq(h->ref_price, s.cluster.price_usd_per_accel_h);
    cr_assert_eq(b->cap_price, 5.0 * 3.2);
    /* The job's market is the H100's, its shocks those that hit it. */
    cr_assert_eq(s.market.elasticity, 0.5);
    cr_assert_eq(s.market.lead_mean_s, 10.0 * 7.0 * DAY);
    cr_assert_eq(s.market.nshocks, 2, "the market keeps every shock");
    cr_assert_eq(b->nshocks, 2);
    cr_assert_eq(h->nshocks, 1);
    cr_assert_eq(h->shocks[0].target, DCS_SHOCK_DEMAND);
    /* Without types, one type: the cluster's, the market itself. */
    expect_ok(MARKET, &s);
    cr_assert(s.market_listed == false);
    cr_assert_eq(s.nmarket_types, 1);
    cr_assert_str_eq(s.market_types[0].accel, "H100-SXM-80GB");
    cr_assert_eq(memcmp(&s.market_types[0].m, &s.market, sizeof s.market), 0);
}

Test(money_keys, market_types_round_trip)
{
    expect_round_trip(TYPES "    - {accelerator: B200, elasticity: 0.3, mfu: 0.35, "
                            "demand_units: 2e6, price_cap_usd_per_hour: 20}\n"
                            "    - {accelerator: H100-SXM-80GB, lead_time: 10w, "
                            "demand_noise_sd: 0.2}\n"
                            "    - {accelerator: MI300X, reference_price_usd_per_hour: 1.7}\n"
                            "  substitution: {elasticity: 0.8, timescale: 2w}\n"
                            "  shocks:\n    - {target: supply, factor: 0.5, start: 2025-03-01, "
                            "types: [B200, MI300X]}\n"
                            "    - {target: demand, factor: 2, start: 20d}\n");
}

Test(money_keys, bad_market_types_are_errors)
{
    expect_err(TYPES "    - {accelerator: H100-SXM-80G}\n",
               "t.yaml:15:21: market.types[0].accelerator: unknown accelerator \"H100-SXM-80G\"; "
               "did you mean \"H100-SXM-80GB\"?");
    expect_err(TYPES "    - {accelerator: H100-SXM-80GB}\n    - {accelerator: h100-sxm-80gb}\n",
               "t.yaml:16:21: market.types[1].accelerator: H100-SXM-80GB is given twice (also "
               "market.types[0])");
    expect_err(TYPES "    - {accelerator: H100-SXM-80GB}\n  substitution: {elasticity: -0.5}\n",
               "t.yaml:16:30: market.substitution.elasticity: must be >= 0, got \"-0.5\"");
    expect_err(TYPES "    - {accelerator: B200}\n",
               "t.yaml:15:5: market.types: the cluster's accelerator H100-SXM-80GB is not in it: "
               "the job rents from its market");
    expect_err(TYPES "    - {accelerator: H100-SXM-80GB, mfu: 0}\n",
               "t.yaml:15:41: market.types[0].mfu: must be > 0, got \"0\"");
    expect_err(TYPES "    - {accelerator: H100-SXM-80GB, mfu: 1.2}\n",
               "t.yaml:15:41: market.types[0].mfu: is a fraction of peak, at most 1");
    expect_err(TYPES "    - {accelerator: H100-SXM-80GB}\n    - {accelerator: H200-SXM-141GB}\n",
               "t.yaml:16:7: market.types[1].reference_price_usd_per_hour: missing required key; "
               "the catalog has no rental price for this accelerator");
    expect_err(BASE "market:\n  lead_time: 40w\n  types:\n    - {accelerator: H100-SXM-80GB}\n",
               "t.yaml:14:7: market.types[0].elasticity: missing required key");
    expect_err(TYPES "    - {accelerator: H100-SXM-80GB}\n  shocks:\n"
                     "    - {target: supply, factor: 0.5, start: 1d, types: [B200]}\n",
               "t.yaml:17:56: market.shocks[0].types[0]: B200 is not one of market.types");
    expect_err(TYPES "    - {accelerator: H100-SXM-80GB}\n  shocks:\n"
                     "    - {target: supply, factor: 0.5, start: 1d, types: [B20]}\n",
               "t.yaml:17:56: market.shocks[0].types[0]: unknown accelerator \"B20\"; did you mean "
               "\"B200\"?");
    expect_err(MARKET "  shocks:\n    - {target: supply, factor: 0.5, start: 1d, types: [B200]}\n",
               "t.yaml:15:55: market.shocks[0].types: needs market.types (without it the market "
               "has one type)");
    expect_err(TYPES "    - {accelerator: H100-SXM-80GB, lead_tme: 2w}\n",
               "t.yaml:15:36: market.types[0].lead_tme: unknown key; did you mean \"lead_time\"?");
}

Test(money_keys, market_jumps_and_start_price_are_read_and_inherited)
{
    static dcs_scenario s;
    expect_ok(MARKET, &s);
    cr_assert_eq(s.market.jump_rate, 0.0, "no jumps unless given");
    cr_assert_eq(s.market.jump_target, DCS_JUMP_DEMAND);
    cr_assert_eq(s.market.jump_log_mean, 0.0);
    cr_assert_eq(s.market.jump_log_sd, 0.0);
    cr_assert_eq(s.market.start_price, 0.0, "the price the state gives");
    expect_ok(MARKET "  jump_rate: 2\n  jump_target: price\n  jump_log_mean: -0.1\n"
                     "  jump_log_sd: 0.3\n  start_price_usd_per_hour: 8\n",
              &s);
    cr_assert_eq(s.market.jump_rate, 2.0);
    cr_assert_eq(s.market.jump_target, DCS_JUMP_PRICE);
    cr_assert_eq(s.market.jump_log_mean, -0.1);
    cr_assert_eq(s.market.jump_log_sd, 0.3);
    cr_assert_eq(s.market.start_price, 8.0);
    /* Types take the market's as defaults, like every market key. */
    expect_ok(MARKET "  jump_rate: 2\n  jump_target: supply\n  types:\n"
                     "    - {accelerator: B200, jump_rate: 0.5, start_price_usd_per_hour: 9}\n"
                     "    - {accelerator: H100-SXM-80GB, jump_log_sd: 0.2}\n",
              &s);
    const dcs_market_cfg *b = &s.market_types[0].m, *h = &s.market_types[1].m;
    cr_assert_eq(b->jump_rate, 0.5);
    cr_assert_eq(b->jump_target, DCS_JUMP_SUPPLY, "the market's target");
    cr_assert_eq(b->start_price, 9.0);
    cr_assert_eq(h->jump_rate, 2.0, "the market's rate");
    cr_assert_eq(h->jump_log_sd, 0.2);
    cr_assert_eq(h->start_price, 0.0);
    expect_round_trip(MARKET "  jump_rate: 2\n  jump_target: price\n  jump_log_mean: -0.1\n"
                             "  jump_log_sd: 0.3\n  start_price_usd_per_hour: 8\n");
    expect_round_trip(TYPES "    - {accelerator: B200, jump_rate: 0.5, jump_target: demand}\n"
                            "    - {accelerator: H100-SXM-80GB, start_price_usd_per_hour: 8}\n");
}

Test(money_keys, bad_market_jumps_are_errors)
{
    expect_err(MARKET "  jump_rate: -2\n",
               "t.yaml:14:14: market.jump_rate: must be >= 0, got \"-2\"");
    expect_err(MARKET "  jump_rate: 2\n  jump_log_sd: -0.1\n",
               "t.yaml:15:16: market.jump_log_sd: must be >= 0, got \"-0.1\"");
    expect_err(MARKET "  jump_target: fab\n",
               "t.yaml:14:16: market.jump_target: unknown value \"fab\"; use one of demand, "
               "supply, price");
    expect_err(MARKET "  jump_rate: 2\n  jump_log_sd: 40\n",
               "t.yaml:15:16: market.jump_log_sd: gives jumps of infinite mean size "
               "e^(jump_log_mean + jump_log_sd^2 / 2)");
    expect_err(MARKET "  start_price_usd_per_hour: -8\n",
               "t.yaml:14:29: market.start_price_usd_per_hour: must be >= 0, got \"-8\"");
    expect_err(TYPES "    - {accelerator: H100-SXM-80GB, jump_log_sd: -0.1}\n",
               "t.yaml:15:49: market.types[0].jump_log_sd: must be >= 0, got \"-0.1\"");
    expect_err(TYPES "    - {accelerator: H100-SXM-80GB, jump_rate: -1}\n",
               "t.yaml:15:47: market.types[0].jump_rate: must be >= 0, got \"-1\"");
}
