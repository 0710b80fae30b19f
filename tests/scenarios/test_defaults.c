/*
 * test_defaults.c - every sourced default equals its cited source, and the
 * ledger's one rule for electricity.
 *
 * The reference table below writes each figure as its source gives it (the
 * arithmetic of Epoch AI's energy.py, the EIA price, ...), independently of
 * the code that sets the default, and the test loads scenarios that leave
 * the key out. Exact equality: a default is either the cited number or it
 * is not (the server-to-chip ratio of the H100 used to be 1.8, 1.2 % below
 * Epoch's 10.2 kW / 8 / 0.7 kW = 1.8214).
 */
#include "expect.h"
#include "ledger.h"
#include "power.h"

#include <stdio.h>

#define YEAR (365.25 * 86400.0)

/* A scenario on accelerator `key`, with `extra` appended (from line 8). */
static void load_on(const char *key, const char *extra, dcs_scenario *s)
{
    char text[1024];
    snprintf(text, sizeof text,
             "name: x\ncluster: {accelerator: %s, nodes: 2, price_usd_per_accelerator_hour: 2}\n"
             "job: {flops: 1e22, mfu: 0.4}\ncheckpoint: {policy: none}\n%s",
             key, extra);
    expect_ok(text, s);
}

/* Server power per accelerator over its TDP, and the share of it drawn while
 * training, as Epoch AI's cost model gives them (epoch-research/
 * training-cost-trends, energy.py: chip_to_server_power, server_TDP_fraction;
 * domain reference 3.4). */
static const struct {
    const char *key;
    double ratio, fraction, tdp_w;
    const char *source;
} server[] = {
    {"H100-SXM-80GB", (10.2 / 8.0) / 0.7, 0.75, 700.0, "DGX H100 10.2 kW, H100 0.7 kW"},
    {"A100-SXM-80GB", (6.5 / 8.0) / 0.4, 0.75, 400.0, "DGX A100 6.5 kW, A100 0.4 kW"},
    {"A100-SXM-40GB", (6.5 / 8.0) / 0.4, 0.75, 400.0, "as the A100 80 GB"},
    {"V100-SXM2-32GB", ((10.0 / 16.0) / 0.3 + (1.5 / 4.0) / 0.3) / 2.0, 0.75, 300.0,
     "mean of DGX-2 (10 kW / 16) and DGX-1 (1.5 kW / 4) over 0.3 kW"},
    {"TPU-v3", 1.47, 0.43, 450.0, "Jouppi et al. 2021 Table 1: 660 W system / 450 W chip"},
    {"TPU-v4", 1.56, 0.43, 170.0, "mean of TPU v2, v3 and v4i"},
    {"TPU-v5e", 1.56, 0.43, 140.0, "mean of TPU v2, v3 and v4i"},
    {"H800-SXM-80GB", 1.8, 0.75, 700.0, "Epoch's default for other GPUs (matches only H100)"},
    {"H200-SXM-141GB", 1.8, 0.75, 700.0, "Epoch's default for other GPUs"},
    {"B200", 1.8, 0.75, 1000.0, "Epoch's default for other GPUs"},
    {"MI300X", 1.8, 0.75, 750.0, "Epoch's default for other GPUs"},
};

Test(defaults, training_power_is_epochs_server_model_for_every_accelerator)
{
    for (size_t i = 0; i < sizeof server / sizeof server[0]; i++) {
        dcs_scenario s;
        load_on(server[i].key, "power: {}\n", &s);
        cr_assert_eq(s.cluster.accel.tdp_w, server[i].tdp_w, "%s: TDP", server[i].key);
        cr_assert_eq(dcs_power_server_ratio(server[i].key), server[i].ratio, "%s: ratio (%s)",
                     server[i].key, server[i].source);
        double want = server[i].fraction * (server[i].ratio * server[i].tdp_w);
        cr_assert_eq(s.power.training_w, want, "%s: %.17g W, want %.17g W (%s)", server[i].key,
                     s.power.training_w, want, server[i].source);
    }
}

Test(defaults, the_h100_ratio_is_1_8214_not_1_8)
{
    double r = dcs_power_server_ratio("H100-SXM-80GB");
    cr_assert_gt(r, 1.8214);
    cr_assert_lt(r, 1.8215);
}

/* Every other sourced default of the energy model, procurement and the job:
 * loaded from a scenario that leaves the key out. */
Test(defaults, sourced_defaults_equal_their_sources)
{
    dcs_scenario s;
    load_on("H100-SXM-80GB", "power: {}\n", &s);
    /* Epoch AI: PUE 1.25 for data centres other than the hyperscalers'. */
    cr_assert_eq(s.cooling.pue, 1.25);
    /* EIA US industrial average 2025, $0.0826/kWh (Epoch AI's table). */
    cr_assert_eq(s.electricity.usd_per_kwh, 0.0826);
    /* Patterson et al. 2021: US grid average 0.429 kg CO2e/kWh. */
    cr_assert_eq(s.carbon.kg_per_kwh, 0.429);

    load_on("H100-SXM-80GB", "power: {}\ncooling: {model: cop, units: 2, unit_capacity: 1MW}\n",
            &s);
    /* oemof-thermal: Carnot quality grade 0.4 for air-source machines. */
    cr_assert_eq(s.cooling.eta, 0.4);
    /* AHRI Standard 550/590 (I-P)-2015, Table 1: rated at 95 F = 35 C. */
    cr_assert_eq(s.cooling.design_c, 35.0);

    load_on("H100-SXM-80GB", "procurement: {mode: reserved}\n", &s);
    /* Epoch AI hardware prices: AWS p3 1-year $1.99 against $3.06 on demand. */
    cr_assert_eq(s.procurement.discount, 1.0 - 1.99 / 3.06);
    cr_assert_eq(s.procurement.term_s, YEAR);

    load_on("H100-SXM-80GB", "procurement: {mode: owned}\n", &s);
    /* Epoch AI: servers from 2023 on live 5 years; the cluster's network is
     * 19 % of its cost (CLUSTER_INTERCONNECT_COST_FRACTION). */
    cr_assert_eq(s.procurement.lifetime_s, 5.0 * YEAR);
    cr_assert_eq(s.procurement.interconnect_share, 0.19);

    expect_ok(BASE, &s);
    /* ZeRO (arXiv 1910.02054): 16 bytes per parameter of mixed-precision
     * Adam state; Kokolis et al.: a 5 min restart. */
    cr_assert_eq(s.checkpoint.bytes_per_param, 16.0);
    cr_assert_eq(s.restart.overhead_s, 300.0);
}

/* ---- the electricity rule ---- */

static int same_energy_sections(const dcs_scenario *a, const dcs_scenario *b)
{
    return memcmp(&a->power, &b->power, sizeof a->power) == 0 &&
           memcmp(&a->cooling, &b->cooling, sizeof a->cooling) == 0 &&
           memcmp(&a->weather, &b->weather, sizeof a->weather) == 0 &&
           memcmp(&a->electricity, &b->electricity, sizeof a->electricity) == 0 &&
           memcmp(&a->carbon, &b->carbon, sizeof a->carbon) == 0;
}

Test(defaults, owned_hardware_without_power_gets_the_default_power_model)
{
    static dcs_scenario owned, explicit_;
    expect_ok(BASE "procurement: {mode: owned}\n", &owned);
    expect_ok(BASE "procurement: {mode: owned}\npower: {}\n", &explicit_);
    cr_assert(owned.power.on);
    cr_assert_not(owned.procurement.energy_included);
    cr_assert(same_energy_sections(&owned, &explicit_),
              "the rule's power model differs from an empty power section's");
    cr_assert_eq(dcs_ledger_energy_billing(&owned), DCS_ENERGY_POWER_MODEL);
    cr_assert_str_eq(dcs_ledger_energy_note(&owned), "billed: power model");
}

Test(defaults, rent_includes_electricity_unless_told_otherwise)
{
    static dcs_scenario s;
    expect_ok(BASE, &s);
    cr_assert_not(s.power.on, "nothing to bill, no power model added");
    cr_assert_str_eq(dcs_ledger_energy_note(&s), "included in rent");
    expect_ok(BASE "power: {}\n", &s);
    cr_assert_str_eq(dcs_ledger_energy_note(&s), "included in rent");
    /* Rent without electricity: billed, from the default power model. */
    expect_ok(BASE "procurement: {energy_included: false}\n", &s);
    cr_assert(s.power.on);
    cr_assert_str_eq(dcs_ledger_energy_note(&s), "billed: power model");
    /* ... or at a flat price per accelerator-hour, then no power model. */
    expect_ok(BASE "procurement: {energy_included: false}\n"
                   "costs: {energy_usd_per_accelerator_hour: 0.08}\n",
              &s);
    cr_assert_not(s.power.on);
    cr_assert_str_eq(dcs_ledger_energy_note(&s), "billed: flat per accelerator-hour");
}

Test(defaults, billed_electricity_without_a_tdp_is_an_error)
{
    expect_err("name: x\ncluster: {accelerator: TPU-v5p, nodes: 2, "
               "price_usd_per_accelerator_hour: 4}\n"
               "job: {flops: 1e22, mfu: 0.4}\ncheckpoint: {policy: none}\n"
               "procurement: {mode: owned}\n",
               "t.yaml:5:14: procurement: the electricity is billed (owned hardware, or "
               "energy_included: false) and the accelerator has no TDP for the default power "
               "model: give power.training, or costs.energy_usd_per_accelerator_hour");
}
