/*
 * keys_money.c - the scenario keys of the money: market, procurement and costs (schema.h says what
 * each field of an entry means). Each section lists its keys in the order the loader names them in
 * messages. docs/scenarios.md's key tables are generated from these entries: edit here, then `cmake
 * --build build --target scenario-doc`.
 */
#include "keys.h"

/* The keys of one market: of the market mapping itself (LOC = MK_AT, TAB = NULL) and of each
 * of its types (MK_IN, "inherited": not a docs table of its own, the docs say they are the same;
 * not distributions: DISTF 0). WHEN: the resolved YAML writes the market's own only without types.
 */
#define MARKET_KEYS(LOC, TAB, DISTF, WHEN)                                                         \
    {.name = "reference_price_usd_per_hour",                                                       \
     .when = WHEN,                                                                                 \
     .type = DCS_KT_NUMBER,                                                                        \
     GT(0.0),                                                                                      \
     LOC(ref_price),                                                                               \
     .dflt_doc = "`cluster.price_usd_per_accelerator_hour`",                                       \
     .type_doc = "number (USD)",                                                                   \
     .doc = "P_ref: the price when supply equals demand",                                          \
     .doc_table = TAB,                                                                             \
     .flags = DCS_KEY_DERIVED},                                                                    \
        {.name = "price_floor_usd_per_hour",                                                       \
         .when = WHEN,                                                                             \
         .type = DCS_KT_NUMBER,                                                                    \
         GE(0.0),                                                                                  \
         LOC(floor_price),                                                                         \
         .dflt = 0.0,                                                                              \
         .dflt_doc = "0",                                                                          \
         .why = "off unless given",                                                                \
         .type_doc = "number (USD)",                                                               \
         .doc = "the lowest price (the cost of running the hardware)",                             \
         .doc_table = TAB,                                                                         \
         .flags = DCS_KEY_DEFAULT},                                                                \
        {.name = "price_cap_usd_per_hour",                                                         \
         .when = WHEN,                                                                             \
         .type = DCS_KT_NUMBER,                                                                    \
         GT(0.0),                                                                                  \
         LOC(cap_price),                                                                           \
         .dflt_doc = "5 x `reference_price_usd_per_hour`",                                         \
         .why =                                                                                    \
             "the hyperscaler on-demand list price stood at 4.1-5.0 x the neocloud market price "  \
             "of the same month (2025-03: AWS p5 $12.29 per H100-hour, RunPod $2.99, Cudo $2.45; " \
             "Epoch AI's hardware price data), and the 2023 peak (> $8, some > $12 per hour, "     \
             "Latent Space) is within 5 x the 2024 price of $2.85",                                \
         .type_doc = "number (USD)",                                                               \
         .range_note = "above `price_floor_usd_per_hour`",                                         \
         .doc = "the highest price: what a buyer pays at list when the market has none",           \
         .doc_table = TAB,                                                                         \
         .flags = DCS_KEY_DERIVED},                                                                \
        {.name = "elasticity",                                                                     \
         .when = WHEN,                                                                             \
         .type = DCS_KT_NUMBER,                                                                    \
         GT(0.0),                                                                                  \
         LOC(elasticity),                                                                          \
         .dflt_doc = "required",                                                                   \
         .doc =                                                                                    \
             "price elasticity of demand: a 1 % shortfall raises the price by 1/elasticity %. No " \
             "published figure for accelerators was found, hence required",                        \
         .doc_table = TAB,                                                                         \
         .flags = DCS_KEY_REQUIRED | DISTF},                                                       \
        {.name = "initial_balance",                                                                \
         .when = WHEN,                                                                             \
         .type = DCS_KT_NUMBER,                                                                    \
         GT(0.0),                                                                                  \
         LOC(balance),                                                                             \
         .dflt = 1.0,                                                                              \
         .dflt_doc = "1",                                                                          \
         .why = "assumption: a market in balance at the start",                                    \
         .doc = "S / D at the start (0.73: a market short by 27 %)",                               \
         .doc_table = TAB,                                                                         \
         .flags = DCS_KEY_DEFAULT},                                                                \
        {.name = "demand_growth",                                                                  \
         .bound_msg = "is a relative change per year and must be above -1, got %v",                \
         .when = WHEN,                                                                             \
         .type = DCS_KT_NUMBER,                                                                    \
         GT(-1.0),                                                                                 \
         LOC(demand_growth),                                                                       \
         .dflt = 0.0,                                                                              \
         .dflt_doc = "0",                                                                          \
         .why = "off unless given",                                                                \
         .doc = "demand's relative growth per year (0.8: +80 % a year)",                           \
         .doc_table = TAB,                                                                         \
         .flags = DISTF | DCS_KEY_DEFAULT},                                                        \
        {.name = "demand_noise_sd",                                                                \
         .when = WHEN,                                                                             \
         .type = DCS_KT_NUMBER,                                                                    \
         GE(0.0),                                                                                  \
         LOC(demand_sd),                                                                           \
         .dflt = 0.0,                                                                              \
         .dflt_doc = "0",                                                                          \
         .why = "off unless given",                                                                \
         .doc = "stationary sd of the log-demand noise",                                           \
         .doc_table = TAB,                                                                         \
         .flags = DCS_KEY_DEFAULT},                                                                \
        {.name = "demand_noise_timescale",                                                         \
         .when = WHEN,                                                                             \
         .type = DCS_KT_QUANTITY,                                                                  \
         .dim = DCS_DIM_DURATION,                                                                  \
         GT(0.0),                                                                                  \
         LOC(demand_tau_s),                                                                        \
         .dflt = 2592000.0,                                                                        \
         .dflt_doc = "30d",                                                                        \
         .why = "assumption: a month",                                                             \
         .doc = "its correlation time",                                                            \
         .doc_table = TAB,                                                                         \
         .flags = DCS_KEY_DEFAULT},                                                                \
        {.name = "start_price_usd_per_hour",                                                       \
         .when = WHEN ",>0",                                                                       \
         .type = DCS_KT_NUMBER,                                                                    \
         GE(0.0),                                                                                  \
         LOC(start_price),                                                                         \
         .dflt = 0.0,                                                                              \
         .dflt_doc = "0 (the price the state gives)",                                              \
         .why = "off unless given: the market starts at the price its balance and noise give",     \
         .type_doc = "number (USD)",                                                               \
         .doc = "the price at t = 0, away from equilibrium (the 2023 peak: > $8 per H100-hour, "   \
                "Latent "                                                                          \
                "Space): the demand noise X starts at the value that gives it, and relaxes "       \
                "towards 0 "                                                                       \
                "over demand_noise_timescale (also without demand_noise_sd)",                      \
         .doc_table = TAB,                                                                         \
         .flags = DCS_KEY_DEFAULT},                                                                \
        {.name = "jump_rate",                                                                      \
         .when = WHEN,                                                                             \
         .type = DCS_KT_NUMBER,                                                                    \
         GE(0.0),                                                                                  \
         LOC(jump_rate),                                                                           \
         .dflt = 0.0,                                                                              \
         .dflt_doc = "0",                                                                          \
         .why = "off unless given",                                                                \
         .type_doc = "number (per year)",                                                          \
         .doc =                                                                                    \
             "random jumps per year (a Poisson process; 2: two a year), each multiplying "         \
             "jump_target by a lognormal J; the drift is compensated by -jump_rate (E[J] - 1) so " \
             "jumps do not shift the expected level (Merton)",                                     \
         .doc_table = TAB,                                                                         \
         .flags = DCS_KEY_DEFAULT},                                                                \
        {.name = "jump_target",                                                                    \
         .when = WHEN,                                                                             \
         .type = DCS_KT_ENUM,                                                                      \
         .names = dcs_names_jump_target,                                                           \
         LOC(jump_target),                                                                         \
         .dflt = 0.0,                                                                              \
         .dflt_doc = "demand",                                                                     \
         .why =                                                                                    \
             "assumption: news (a model launch, a buyer leaving) moves demand; supply or price "   \
             "when given",                                                                         \
         .doc = "what the jumps multiply: demand, supply or the price",                            \
         .doc_table = TAB,                                                                         \
         .flags = DCS_KEY_DEFAULT},                                                                \
        {.name = "jump_log_mean",                                                                  \
         .when = WHEN,                                                                             \
         .type = DCS_KT_NUMBER,                                                                    \
         LOC(jump_log_mean),                                                                       \
         .dflt = 0.0,                                                                              \
         .dflt_doc = "0",                                                                          \
         .why = "assumption: jumps as likely up as down (a median size of 1)",                     \
         .doc = "mean of ln J (0.4: a median jump of x1.49)",                                      \
         .doc_table = TAB,                                                                         \
         .flags = DCS_KEY_DEFAULT},                                                                \
        {.name = "jump_log_sd",                                                                    \
         .when = WHEN,                                                                             \
         .type = DCS_KT_NUMBER,                                                                    \
         GE(0.0),                                                                                  \
         LOC(jump_log_sd),                                                                         \
         .dflt = 0.0,                                                                              \
         .dflt_doc = "0",                                                                          \
         .why = "off unless given (every jump of size e^jump_log_mean)",                           \
         .range_note = "E[J] = e^(jump_log_mean + jump_log_sd^2 / 2) finite",                      \
         .doc = "sd of ln J",                                                                      \
         .doc_table = TAB,                                                                         \
         .flags = DCS_KEY_DEFAULT},                                                                \
        {.name = "lead_time",                                                                      \
         .when = WHEN,                                                                             \
         .type = DCS_KT_QUANTITY,                                                                  \
         .dim = DCS_DIM_DURATION,                                                                  \
         GE(0.0),                                                                                  \
         LOC(lead_mean_s),                                                                         \
         .dflt_doc = "required",                                                                   \
         .doc =                                                                                    \
             "mean delay from an order to its supply (Dell H100 servers: ~40 weeks in 2023, 8-12 " \
             "weeks in 2024)",                                                                     \
         .doc_table = TAB,                                                                         \
         .flags = DCS_KEY_REQUIRED | DISTF},                                                       \
        {.name = "lead_time_sd",                                                                   \
         .when = WHEN,                                                                             \
         .type = DCS_KT_QUANTITY,                                                                  \
         .dim = DCS_DIM_DURATION,                                                                  \
         GE(0.0),                                                                                  \
         LOC(lead_sd_s),                                                                           \
         .dflt = 0.0,                                                                              \
         .dflt_doc = "0s",                                                                         \
         .why = "off unless given (fixed lead time)",                                              \
         .range_note = "needs `lead_time` > 0",                                                    \
         .doc = "its sd (lognormal); the longest lead time is cut at mean + 8 sd",                 \
         .doc_table = TAB,                                                                         \
         .flags = DCS_KEY_DEFAULT},                                                                \
        {.name = "supply_response",                                                                \
         .when = WHEN,                                                                             \
         .type = DCS_KT_NUMBER,                                                                    \
         GE(0.0),                                                                                  \
         LOC(response),                                                                            \
         .dflt = 0.0,                                                                              \
         .dflt_doc = "0",                                                                          \
         .why = "off unless given",                                                                \
         .doc = "exponent of P / P_ref in the order target",                                       \
         .doc_table = TAB,                                                                         \
         .flags = DCS_KEY_DEFAULT},                                                                \
        {.name = "manufacturing_capacity",                                                         \
         .when = WHEN,                                                                             \
         .type = DCS_KT_NUMBER,                                                                    \
         GE(0.0),                                                                                  \
         LOC(capacity),                                                                            \
         .dflt = HUGE_VAL,                                                                         \
         .dflt_doc = "unlimited",                                                                  \
         .why = "off unless given (unlimited)",                                                    \
         .doc =                                                                                    \
             "new supply that can be ordered per year, as a multiple of the initial supply; 0: "   \
             "supply never grows",                                                                 \
         .doc_table = TAB,                                                                         \
         .flags = DCS_KEY_DEFAULT},                                                                \
        {.name = "capacity_growth",                                                                \
         .bound_msg = "is a relative change per year and must be above -1, got %v",                \
         .when = WHEN,                                                                             \
         .type = DCS_KT_NUMBER,                                                                    \
         GT(-1.0),                                                                                 \
         LOC(capacity_growth),                                                                     \
         .dflt = 0.0,                                                                              \
         .dflt_doc = "0",                                                                          \
         .why = "off unless given",                                                                \
         .doc = "its relative growth per year",                                                    \
         .doc_table = TAB,                                                                         \
         .flags = DCS_KEY_DEFAULT},                                                                \
        {.name = "retirement",                                                                     \
         .bound_msg = "is a fraction of supply retired per year, below 1",                         \
         .when = WHEN,                                                                             \
         .type = DCS_KT_NUMBER,                                                                    \
         RANGE(0.0, 1.0, DCS_RANGE_LO | DCS_RANGE_HI | DCS_RANGE_HI_OPEN),                         \
         LOC(retirement),                                                                          \
         .dflt = 0.0,                                                                              \
         .dflt_doc = "0",                                                                          \
         .why = "off unless given",                                                                \
         .doc = "fraction of installed supply retired per year",                                   \
         .doc_table = TAB,                                                                         \
         .flags = DCS_KEY_DEFAULT},                                                                \
        {.name = "reference_purchase_usd",                                                         \
         .when = WHEN,                                                                             \
         .type = DCS_KT_NUMBER,                                                                    \
         GT(0.0),                                                                                  \
         LOC(ref_purchase),                                                                        \
         .dflt_doc = "the catalog's purchase price",                                               \
         .type_doc = "number (USD)",                                                               \
         .doc = "B_ref: the purchase price of an accelerator at P_ref",                            \
         .doc_table = TAB,                                                                         \
         .flags = DCS_KEY_DERIVED},                                                                \
        {.name = "purchase_response",                                                              \
         .when = WHEN,                                                                             \
         .type = DCS_KT_NUMBER,                                                                    \
         GE(0.0),                                                                                  \
         LOC(purchase_response),                                                                   \
         .dflt = 0.0,                                                                              \
         .dflt_doc = "0",                                                                          \
         .why = "off unless given (H100 boards cost about the same in 2023 and 2025)",             \
         .doc = "how purchase prices follow rental prices (0: they do not; H100 boards cost "      \
                "about the "                                                                       \
                "same in 2023 and 2025 while rents fell by two thirds)",                           \
         .doc_table = TAB,                                                                         \
         .flags = DCS_KEY_DEFAULT},                                                                \
        {.name = "acquisition_time",                                                               \
         .when = WHEN,                                                                             \
         .type = DCS_KT_QUANTITY,                                                                  \
         .dim = DCS_DIM_DURATION,                                                                  \
         GE(0.0),                                                                                  \
         LOC(acquisition_s),                                                                       \
         .dflt = 0.0,                                                                              \
         .dflt_doc = "0s",                                                                         \
         .why = "off unless given (capacity is always there)",                                     \
         .doc = "mean wait for the job's on-demand capacity at a shortage of one half (below)",    \
         .doc_table = TAB,                                                                         \
         .flags = DCS_KEY_DEFAULT},                                                                \
    {                                                                                              \
        .name = "replacement_time", .type = DCS_KT_QUANTITY, .dim = DCS_DIM_DURATION, GE(0.0),     \
        LOC(replace_s), .when = WHEN, .dflt_doc = "`acquisition_time` / `cluster.nodes`",          \
        .why = "assumption (no public figure): capacity is freed at a steady rate, so one node "   \
               "comes in 1 / nodes of the cluster's wait",                                         \
        .doc = "the same for one node that replaces a failed one when no spare is free",           \
        .doc_table = TAB, .flags = DCS_KEY_DERIVED                                                 \
    }

#define MK_AT(f) AT(market.f)
#define MK_IN(f) IN(dcs_market_type_cfg, m.f)

static const dcs_schema_key keys_market[] = {
    {.name = "step",
     .type = DCS_KT_QUANTITY,
     .dim = DCS_DIM_DURATION,
     GT(0.0),
     AT(market.step_s),
     .dflt = 86400.0,
     .dflt_doc = "1d",
     .why = "assumption: market prices move daily",
     .doc = "market step",
     .flags = DCS_KEY_DEFAULT},
    MARKET_KEYS(MK_AT, NULL, DCS_KEY_DIST, "!types"),
    {.name = "types",
     .emit = DCS_EMIT_IF_LISTED,
     .type = DCS_KT_LIST,
     LIST(market_types, dcs_market_type_cfg, nmarket_types, DCS_MAX_MARKET_TYPES),
     .child = DCS_SEC_MARKET_TYPE,
     .dflt_doc = "one: the cluster's accelerator",
     .range_note = "at most 8; one is the cluster's accelerator",
     .doc = "several linked markets, one per accelerator type (see \"Several accelerator "
            "types\"); the keys above are then every type's defaults",
     .flags = 0},
    {.name = "substitution",
     .when = "types",
     .type = DCS_KT_SECTION,
     .offset = DCS_NO_OFFSET,
     .child = DCS_SEC_SUBSTITUTION,
     .dflt_doc = "none",
     .doc = "how demand moves between the types",
     .flags = 0},
    {.name = "observed",
     .emit = DCS_EMIT_TEXT,
     .type = DCS_KT_SPECIAL,
     AT(observed.csv),
     .dflt_doc = "none",
     .type_doc = "file path",
     .range_note = "see \"An observed price series\"",
     .example = "observed-ok.csv",
     .doc = "a public monthly price series (CSV) that `dcsim hindcast` compares the market's "
            "paths with; the simulation does not read it",
     .flags = 0},
    {.name = "shocks",
     .type = DCS_KT_LIST,
     LIST(market.shocks, dcs_shock_cfg, market.nshocks, DCS_MAX_SHOCKS),
     .child = DCS_SEC_SHOCK,
     .dflt_doc = "none",
     .range_note = "at most 8",
     .doc = "see below",
     .flags = 0},
};

static const dcs_schema_key keys_market_type[] = {
    {.name = "accelerator",
     .example = "A100-SXM-40GB",
     .type = DCS_KT_STRING,
     IN(dcs_market_type_cfg, accel),
     .dflt_doc = "required",
     .type_doc = "catalog key",
     .range_note = "each type once",
     .doc = "the accelerator type this market sells",
     .flags = DCS_KEY_REQUIRED},
    {.name = "mfu",
     .bound_msg = "is a fraction of peak, at most 1",
     .type = DCS_KT_NUMBER,
     RANGE(0.0, 1.0, DCS_RANGE_LO | DCS_RANGE_LO_OPEN | DCS_RANGE_HI),
     IN(dcs_market_type_cfg, mfu),
     .dflt = 1.0,
     .dflt_doc = "1",
     .why = "off unless given: the catalog's peak is the effective rate",
     .doc = "the MFU buyers reach on it: effective FLOP/s = catalog peak x mfu, in which demand "
            "moves between types",
     .flags = DCS_KEY_DEFAULT},
    {.name = "demand_units",
     .type = DCS_KT_NUMBER,
     GT(0.0),
     IN(dcs_market_type_cfg, demand_units),
     .dflt = 1.0,
     .dflt_doc = "1",
     .why = "assumption: markets of equal size when not given",
     .doc = "accelerators its demand index 1 stands for (its demand at the start): the size "
            "that converts the demand it sends or receives",
     .flags = DCS_KEY_DEFAULT},
    MARKET_KEYS(MK_IN, "inherited", 0, ""),
};

static const dcs_schema_key keys_substitution[] = {
    {.name = "elasticity",
     .type = DCS_KT_NUMBER,
     GE(0.0),
     AT(substitution.elasticity),
     .dflt = 0.0,
     .dflt_doc = "0",
     .why = "off unless given (independent markets)",
     .doc = "eta: a type sends the share (1 - (x_j / x_i)^eta) / (n - 1) of its demand to each "
            "type j that became cheaper (x: smoothed price / reference price)",
     .flags = DCS_KEY_DEFAULT},
    {.name = "timescale",
     .type = DCS_KT_QUANTITY,
     .dim = DCS_DIM_DURATION,
     GT(0.0),
     AT(substitution.tau_s),
     .dflt = 2592000.0,
     .dflt_doc = "30d",
     .why = "assumption: buyers re-plan monthly",
     .doc = "buyers compare prices smoothed over this time (an exponential average)",
     .flags = DCS_KEY_DEFAULT},
};

static const dcs_schema_key keys_market_shocks[] = {
    {.name = "target",
     .type = DCS_KT_ENUM,
     .names = dcs_names_shock_target,
     IN(dcs_shock_cfg, target),
     .dflt_doc = "required",
     .doc = "what the shock multiplies: the supply available to this market (an export ban), "
            "demand (a surge), or manufacturing capacity (a fab or packaging outage)",
     .flags = DCS_KEY_REQUIRED},
    {.name = "factor",
     .type = DCS_KT_NUMBER,
     GE(0.0),
     IN(dcs_shock_cfg, factor),
     .dflt_doc = "required",
     .doc = "the multiplier at full strength",
     .flags = DCS_KEY_REQUIRED},
    {.name = "start",
     .emit = DCS_EMIT_QUANTITY,
     .example = "45d",
     .type = DCS_KT_SPECIAL,
     IN(dcs_shock_cfg, start_s),
     .dflt_doc = "required",
     .type_doc = "date `YYYY-MM-DD[THH:MM]`, or duration",
     .range_note = "a duration may be negative (a shock under way)",
     .doc = "when it begins: a date, or a time after `simulation.start`",
     .flags = DCS_KEY_REQUIRED},
    {.name = "ramp",
     .type = DCS_KT_QUANTITY,
     .dim = DCS_DIM_DURATION,
     GE(0.0),
     IN(dcs_shock_cfg, ramp_s),
     .dflt = 0.0,
     .dflt_doc = "0s",
     .why = "off unless given (a step)",
     .doc = "how long it takes to reach full strength, and to fade at the end",
     .flags = DCS_KEY_DEFAULT},
    {.name = "duration",
     .type = DCS_KT_QUANTITY,
     .dim = DCS_DIM_DURATION,
     GE(0.0),
     IN(dcs_shock_cfg, duration_s),
     .dflt = HUGE_VAL,
     .dflt_doc = "for ever",
     .why = "off unless given (for ever)",
     .doc = "how long it holds at full strength",
     .flags = DCS_KEY_DEFAULT},
    {.name = "types",
     .emit = DCS_EMIT_SHOCK_TYPES,
     .example = "[A100-SXM-80GB]",
     .type = DCS_KT_SPECIAL,
     IN(dcs_shock_cfg, types),
     .dflt_doc = "every type",
     .type_doc = "list of catalog keys",
     .range_note = "types of `market.types`",
     .applies = "market.types",
     .doc = "the types it hits: one (an export ban on one part), several, or all made on one "
            "process (a packaging or fab outage)",
     .flags = DCS_KEY_DERIVED},
};

static const dcs_schema_key keys_procurement[] = {
    {.name = "mode",
     .type = DCS_KT_ENUM,
     .names = dcs_names_buy_mode,
     AT(procurement.mode),
     .dflt = 0.0,
     .dflt_doc = "`on_demand`",
     .why = "the simplest: renting by the hour",
     .doc = "how the accelerators (the job's nodes and billed spares) are paid for",
     .flags = DCS_KEY_DEFAULT},
    {.name = "reserved_accelerators",
     .refusal = "is only used with mode mixed (the mode is %s)",
     .when = "mode=mixed",
     .type = DCS_KT_INTEGER,
     GE(1.0),
     AT(procurement.reserved_accels),
     .dflt_doc = "required with `mixed`; an error otherwise",
     .applies = "procurement.mode mixed",
     .needs = "procurement.mode=mixed",
     .doc = "the reserved base of a mixed purchase (the rest is on demand)",
     .flags = DCS_KEY_REQUIRED},
    {.name = "discount",
     .refusal = "is only used with mode reserved or mixed (the mode is %s)",
     .bound_msg = "is a fraction off the price at signing, below 1",
     .when = "mode=reserved|mixed",
     .type = DCS_KT_NUMBER,
     RANGE(0.0, 1.0, DCS_RANGE_LO | DCS_RANGE_HI | DCS_RANGE_HI_OPEN),
     AT(procurement.discount),
     .dflt = 1.0 - 1.99 / 3.06,
     .dflt_doc = "1 - 1.99 / 3.06 = 0.3497",
     .why = "AWS p3 1-year price against on-demand, $1.99 / $3.06 (Epoch AI hardware prices, "
            "shared refs 5)",
     .applies = "procurement.mode reserved or mixed",
     .needs = "procurement.mode=reserved",
     .doc = "reserved price = (1 - discount) x the price at signing. Default: AWS p3's 1-year "
            "price against on-demand ($1.99 / $3.06, Epoch AI hardware prices)",
     .flags = DCS_KEY_DIST | DCS_KEY_DEFAULT},
    {.name = "term",
     .refusal = "is only used with mode reserved or mixed (the mode is %s)",
     .when = "mode=reserved|mixed",
     .type = DCS_KT_QUANTITY,
     .dim = DCS_DIM_DURATION,
     GT(0.0),
     AT(procurement.term_s),
     .dflt = 31557600.0,
     .dflt_doc = "1y",
     .why = "the 1-year term of that discount",
     .applies = "procurement.mode reserved or mixed",
     .needs = "procurement.mode=reserved",
     .doc = "the reservation's length from signing (the start). Default: the 1-year term of that "
            "discount",
     .flags = DCS_KEY_DEFAULT},
    {.name = "lifetime",
     .given_if = "mode=owned",
     .refusal = "is only used with mode owned (the mode is %s)",
     .when = "mode=owned,!depreciation_per_year",
     .type = DCS_KT_QUANTITY,
     .dim = DCS_DIM_DURATION,
     GT(0.0),
     AT(procurement.lifetime_s),
     .dflt = 157788000.0,
     .dflt_doc = "5y",
     .why = "Epoch AI's server lifetime for hardware from 2023 on (shared refs 4.5)",
     .applies = "procurement.mode owned, without depreciation_per_year",
     .needs = "procurement.mode=owned",
     .doc = "amortization period. Default: Epoch AI's server lifetime for hardware from 2023 on",
     .flags = DCS_KEY_DIST | DCS_KEY_DEFAULT},
    {.name = "residual",
     .given_if = "mode=owned",
     .refusal = "is only used with mode owned (the mode is %s)",
     .bound_msg = "is a share of the purchase price, at most 1",
     .when = "mode=owned,!depreciation_per_year",
     .type = DCS_KT_NUMBER,
     RANGE(0.0, 1.0, DCS_RANGE_LO | DCS_RANGE_HI),
     AT(procurement.residual),
     .dflt = 0.0,
     .dflt_doc = "0",
     .why = "assumption: no public figure found",
     .applies = "procurement.mode owned, without depreciation_per_year",
     .needs = "procurement.mode=owned",
     .doc = "share of the purchase price left at the end of the lifetime (no public figure found)",
     .flags = DCS_KEY_DIST | DCS_KEY_DEFAULT},
    {.name = "hosting_usd_per_accelerator_hour",
     .refusal = "is only used with mode owned (the mode is %s)",
     .when = "mode=owned",
     .type = DCS_KT_NUMBER,
     GE(0.0),
     AT(procurement.hosting_usd_per_h),
     .dflt = 0.0,
     .dflt_doc = "0",
     .why = "assumption: no public figure found; give one",
     .applies = "procurement.mode owned",
     .needs = "procurement.mode=owned",
     .type_doc = "number (USD)",
     .doc = "colocation space, power delivery and operations per accelerator-hour held, besides "
            "the electricity (no public figure found: give one)",
     .flags = DCS_KEY_DIST | DCS_KEY_DEFAULT},
    {.name = "purchase_usd",
     .refusal = "is only used with mode owned (the mode is %s)",
     .when = "mode=owned",
     .type = DCS_KT_NUMBER,
     GT(0.0),
     AT(procurement.purchase_usd),
     .dflt_doc = "the market's purchase price at the start, else the catalog's",
     .applies = "procurement.mode owned",
     .needs = "procurement.mode=owned",
     .type_doc = "number (USD)",
     .doc = "purchase price per accelerator",
     .flags = DCS_KEY_DERIVED | DCS_KEY_DIST},
    {.name = "energy_included",
     .example = "false",
     .type = DCS_KT_BOOL,
     AT(procurement.energy_included),
     .dflt_doc = "true when rented (`on_demand`, `reserved`, `mixed`); false when `owned`",
     .why = "rent includes the electricity, owned hardware pays its own (models/power.h, "
            "dcs_energy_needs_model)",
     .doc = "the rental price includes the electricity: the ledger's energy and cooling costs are "
            "then 0 (the energy figures are still reported when there is a `power` section), and "
            "the report says \"energy: included in rent\"",
     .flags = DCS_KEY_DERIVED},
    {.name = "depreciation_per_year",
     .refusal = "is only used with mode owned (the mode is %s)",
     .when = "mode=owned",
     .type = DCS_KT_NUMBER,
     GT(0.0),
     AT(procurement.depreciation_per_year),
     .dflt = 0.0,
     .dflt_doc = "none (the lifetime and residual amortize)",
     .why = "off unless given (lifetime and residual instead)",
     .applies = "procurement.mode owned",
     .needs = "procurement.mode=owned",
     .doc = "Epoch AI's amortization instead: this share of the purchase price is written off per "
            "year held (at most all of it). Epoch's value is 0.14 orders of magnitude of GPU "
            "price-performance a year x ln 10 = 0.3224 (`cost_analysis_standalone.py`)",
     .flags = DCS_KEY_DIST | DCS_KEY_DEFAULT},
    {.name = "interconnect_share",
     .refusal = "is only used with mode owned (the mode is %s)",
     .bound_msg = "is a share of the whole hardware cost, below 1",
     .when = "mode=owned",
     .type = DCS_KT_NUMBER,
     RANGE(0.0, 1.0, DCS_RANGE_LO | DCS_RANGE_HI | DCS_RANGE_HI_OPEN),
     AT(procurement.interconnect_share),
     .dflt = 0.19,
     .dflt_doc = "0.19",
     .why = "Epoch AI, CLUSTER_INTERCONNECT_COST_FRACTION",
     .applies = "procurement.mode owned",
     .needs = "procurement.mode=owned",
     .doc = "the cluster network's share of the whole hardware cost: the amortized accelerators "
            "are divided by (1 - share). Default: Epoch AI's `CLUSTER_INTERCONNECT_COST_FRACTION`; "
            "set 0 when `purchase_usd` already includes the network",
     .flags = DCS_KEY_DEFAULT},
};

static const dcs_schema_key keys_costs[] = {
    {.name = "storage_usd_per_tb_month",
     .type = DCS_KT_NUMBER,
     GE(0.0),
     AT(costs.storage_usd_per_tb_month),
     .dflt = 0.0,
     .dflt_doc = "0",
     .why = "off unless given",
     .type_doc = "number (USD)",
     .doc = "price of storage, for retained checkpoints (`checkpoint.retain`) and the dataset "
            "(`data.storage`); a month is 1/12 of 365.25 days",
     .flags = DCS_KEY_DEFAULT},
    {.name = "energy_usd_per_accelerator_hour",
     .when = ">0",
     .example = "0.1;procurement.energy_included=false",
     .type = DCS_KT_NUMBER,
     GE(0.0),
     AT(costs.energy_usd_per_accel_h),
     .dflt = 0.0,
     .dflt_doc = "0",
     .why = "off unless given",
     .applies = "no power section, procurement.energy_included false",
     .type_doc = "number (USD)",
     .doc = "a flat energy price per accelerator-hour held, for scenarios without a `power` "
            "section whose rental price does not include it (`procurement.energy_included: false`)",
     .flags = DCS_KEY_DEFAULT},
    {.name = "data",
     .type = DCS_KT_SECTION,
     .offset = DCS_NO_OFFSET,
     .child = DCS_SEC_DATA,
     .doc = "below",
     .flags = 0},
    {.name = "staff",
     .type = DCS_KT_SECTION,
     .offset = DCS_NO_OFFSET,
     .child = DCS_SEC_STAFF,
     .doc = "below",
     .flags = 0},
    {.name = "processing",
     .type = DCS_KT_SECTION,
     .offset = DCS_NO_OFFSET,
     .child = DCS_SEC_PROCESSING,
     .doc = "below",
     .flags = 0},
    {.name = "licences",
     .type = DCS_KT_SECTION,
     .offset = DCS_NO_OFFSET,
     .child = DCS_SEC_LICENCES,
     .doc = "below",
     .flags = 0},
    {.name = "other_usd",
     .type = DCS_KT_NUMBER,
     GE(0.0),
     AT(costs.other_usd),
     .dflt = 0.0,
     .dflt_doc = "0",
     .why = "off unless given",
     .type_doc = "number (USD)",
     .doc = "other fixed costs",
     .flags = DCS_KEY_DIST | DCS_KEY_DEFAULT},
};

static const dcs_schema_key keys_costs_data[] = {
    {.name = "acquisition_usd",
     .type = DCS_KT_NUMBER,
     GE(0.0),
     AT(costs.data_usd),
     .dflt = 0.0,
     .dflt_doc = "0",
     .why = "off unless given",
     .type_doc = "number (USD)",
     .doc = "buying or collecting the data",
     .flags = DCS_KEY_DEFAULT},
    {.name = "labels",
     .example = "1000;costs.data.usd_per_label=0.5",
     .type = DCS_KT_NUMBER,
     GE(0.0),
     AT(costs.labels),
     .dflt = 0.0,
     .dflt_doc = "0",
     .why = "off unless given",
     .doc = "labels or annotations bought",
     .flags = DCS_KEY_DEFAULT},
    {.name = "usd_per_label",
     .type = DCS_KT_NUMBER,
     GE(0.0),
     AT(costs.usd_per_label),
     .dflt_doc = "required with `labels`",
     .type_doc = "number (USD)",
     .doc = "mean price per label",
     .flags = DCS_KEY_DIST},
    {.name = "usd_per_label_sd",
     .type = DCS_KT_NUMBER,
     GE(0.0),
     AT(costs.label_sd),
     .dflt = 0.0,
     .dflt_doc = "0",
     .why = "off unless given",
     .type_doc = "number (a fraction, not dollars)",
     .doc = "relative sd of the price per label: each replication draws one lognormal factor of "
            "mean 1 and this sd (stream `data_cost`), shared by all its labels (the uncertainty of "
            "a quote, not label-to-label noise)",
     .flags = DCS_KEY_DEFAULT},
    {.name = "storage",
     .type = DCS_KT_QUANTITY,
     .dim = DCS_DIM_DATA,
     GE(0.0),
     AT(costs.data_bytes),
     .dflt = 0.0,
     .dflt_doc = "0B",
     .why = "off unless given",
     .doc = "the dataset kept on storage for the run",
     .flags = DCS_KEY_DEFAULT},
};

static const dcs_schema_key keys_costs_staff[] = {
    {.name = "team_size",
     .example = "3;costs.staff.loaded_usd_per_year=200000",
     .type = DCS_KT_NUMBER,
     GE(0.0),
     AT(costs.team),
     .dflt = 0.0,
     .dflt_doc = "0",
     .why = "off unless given",
     .doc = "people working on the run (fractions for part-time)",
     .flags = DCS_KEY_DEFAULT},
    {.name = "loaded_usd_per_year",
     .type = DCS_KT_NUMBER,
     GE(0.0),
     AT(costs.usd_per_person_year),
     .dflt_doc = "required with `team_size`",
     .type_doc = "number (USD)",
     .doc = "loaded cost per person-year (salary, benefits, overhead)",
     .flags = DCS_KEY_DIST},
    {.name = "research_usd",
     .type = DCS_KT_NUMBER,
     GE(0.0),
     AT(costs.research_usd),
     .dflt = 0.0,
     .dflt_doc = "0",
     .why = "off unless given",
     .type_doc = "number (USD)",
     .doc = "a fixed research or engineering effort",
     .flags = DCS_KEY_DEFAULT},
};

static const dcs_schema_key keys_costs_processing[] = {
    {.name = "data",
     .example = "1TB;costs.processing.usd_per_tb=5",
     .type = DCS_KT_QUANTITY,
     .dim = DCS_DIM_DATA,
     GE(0.0),
     AT(costs.processed_bytes),
     .dflt = 0.0,
     .dflt_doc = "0B",
     .why = "off unless given",
     .doc = "data read by the processing pipeline: parsing, filtering, deduplication, tokenizing "
            "(a web crawl is read in full, though little of it is kept)",
     .flags = DCS_KEY_DEFAULT},
    {.name = "usd_per_tb",
     .type = DCS_KT_NUMBER,
     GE(0.0),
     AT(costs.processing_usd_per_tb),
     .dflt_doc = "required with `data`",
     .type_doc = "number (USD)",
     .doc = "price per TB processed (BigQuery's on-demand $6.25 per TiB is $5.68 per TB)",
     .flags = DCS_KEY_DIST},
};

static const dcs_schema_key keys_costs_licences[] = {
    {.name = "seats",
     .example = "4;costs.licences.usd_per_seat_year=1000",
     .type = DCS_KT_NUMBER,
     GE(0.0),
     AT(costs.licence_seats),
     .dflt = 0.0,
     .dflt_doc = "0",
     .why = "off unless given",
     .doc = "software seats (per user) for the run",
     .flags = DCS_KEY_DEFAULT},
    {.name = "usd_per_seat_year",
     .type = DCS_KT_NUMBER,
     GE(0.0),
     AT(costs.usd_per_seat_year),
     .dflt_doc = "required with `seats`",
     .type_doc = "number (USD)",
     .doc = "price per seat-year",
     .flags = DCS_KEY_DIST},
    {.name = "usd_per_accelerator_hour",
     .type = DCS_KT_NUMBER,
     GE(0.0),
     AT(costs.licence_usd_per_accel_h),
     .dflt = 0.0,
     .dflt_doc = "0",
     .why = "off unless given",
     .type_doc = "number (USD)",
     .doc = "price per accelerator-hour held (NVIDIA AI Enterprise lists $4,500 per GPU-year, "
            "$0.51 per GPU-hour, or $1 per GPU-hour in the cloud)",
     .flags = DCS_KEY_DEFAULT},
};

const dcs_schema_section dcs_schema_money[] = {
    {DCS_SEC_MARKET, "market", keys_market, sizeof keys_market / sizeof keys_market[0]},
    {DCS_SEC_MARKET_TYPE, "market.types[]", keys_market_type,
     sizeof keys_market_type / sizeof keys_market_type[0]},
    {DCS_SEC_SUBSTITUTION, "market.substitution", keys_substitution,
     sizeof keys_substitution / sizeof keys_substitution[0]},
    {DCS_SEC_SHOCK, "market.shocks[]", keys_market_shocks,
     sizeof keys_market_shocks / sizeof keys_market_shocks[0]},
    {DCS_SEC_PROCUREMENT, "procurement", keys_procurement,
     sizeof keys_procurement / sizeof keys_procurement[0]},
    {DCS_SEC_COSTS, "costs", keys_costs, sizeof keys_costs / sizeof keys_costs[0]},
    {DCS_SEC_DATA, "costs.data", keys_costs_data,
     sizeof keys_costs_data / sizeof keys_costs_data[0]},
    {DCS_SEC_STAFF, "costs.staff", keys_costs_staff,
     sizeof keys_costs_staff / sizeof keys_costs_staff[0]},
    {DCS_SEC_PROCESSING, "costs.processing", keys_costs_processing,
     sizeof keys_costs_processing / sizeof keys_costs_processing[0]},
    {DCS_SEC_LICENCES, "costs.licences", keys_costs_licences,
     sizeof keys_costs_licences / sizeof keys_costs_licences[0]},
};
const size_t dcs_schema_nmoney = sizeof dcs_schema_money / sizeof dcs_schema_money[0];
