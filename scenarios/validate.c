/*
 * validate.c - the rules that span keys, one function each, run in the
 * order of dcs_validators[] after the loader's table pass (validate.h).
 *
 * Each rule was the loader's (read_core.c, read_energy.c) or a model's
 * (models/run.c, models/market.c, models/env.c) before, some both; the
 * messages are the loader's where it had one. A rule that decides which
 * keys the loader reads (an action that does not fit its scope, an
 * in-memory level with an async checkpoint) is one predicate the reader
 * asks too, so that it reads nothing the validator will refuse.
 */
#include "validate.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>

/* Refuses with message fmt at key path `key`. */
static int refuse(const dcs_check *c, const char *key, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int refuse(const dcs_check *c, const char *key, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    dcs_err_key(c->err, key);
    return dcs_err_set(c->err, DCS_EINPUT, "%s", msg);
}

/* "failures[2].action" into buf. */
static const char *class_key(char *buf, size_t n, int k, const char *key)
{
    snprintf(buf, n, "failures[%d].%s", k, key);
    return buf;
}

/* ---- cluster ----------------------------------------------------------------------------- */

static int min_nodes(const dcs_check *c)
{
    const dcs_cluster_cfg *cl = &c->s->cluster;
    if (cl->on_no_spare != DCS_NO_SPARE_SHRINK || cl->min_nodes <= cl->nodes)
        return 0;
    return refuse(c, "cluster.min_nodes", "%" PRId64 " is more than the job's %" PRId64 " nodes",
                  cl->min_nodes, cl->nodes);
}

static int switch_divides(const dcs_check *c)
{
    const dcs_cluster_cfg *cl = &c->s->cluster;
    if (cl->nodes_per_switch <= 0 || cl->nodes % cl->nodes_per_switch == 0)
        return 0;
    return refuse(c, "cluster.nodes_per_switch",
                  "%" PRId64 " nodes do not divide into switches of %" PRId64
                  " nodes; nodes must be a multiple of nodes_per_switch",
                  cl->nodes, cl->nodes_per_switch);
}

/* ---- failure classes --------------------------------------------------------------------- */

static int scope_needs(const dcs_check *c)
{
    const dcs_scenario *s = c->s;
    char key[64];
    for (int k = 0; k < s->nfailures; k++) {
        dcs_scope sc = s->failures[k].scope;
        if (sc == DCS_SCOPE_SWITCH && s->cluster.nodes_per_switch <= 0)
            return refuse(c, class_key(key, sizeof key, k, "scope"),
                          "scope switch needs a topology: set cluster.nodes_per_switch");
        if (sc == DCS_SCOPE_COOLING && s->cooling.units <= 0)
            return refuse(c, class_key(key, sizeof key, k, "scope"),
                          "scope cooling needs cooling units: set cooling.units");
    }
    return 0;
}

static bool in_node(dcs_scope sc)
{
    return sc == DCS_SCOPE_ACCELERATOR || sc == DCS_SCOPE_HBM || sc == DCS_SCOPE_NODE;
}

static bool has_hardware(dcs_scope sc)
{
    return sc != DCS_SCOPE_JOB && sc != DCS_SCOPE_STORAGE;
}

bool dcs_action_fits_scope(dcs_action a, dcs_scope sc)
{
    if (sc == DCS_SCOPE_MAINTENANCE || a == DCS_ACTION_PLANNED)
        return sc == DCS_SCOPE_MAINTENANCE && a == DCS_ACTION_PLANNED;
    if (sc == DCS_SCOPE_COOLING)
        return a == DCS_ACTION_SWAP;
    if (a == DCS_ACTION_SWAP)
        return has_hardware(sc);
    return a != DCS_ACTION_SLOW || in_node(sc);
}

/* Why action a does not fit scope sc, in the loader's words. */
static int action_misfit(const dcs_check *c, const char *key, dcs_action a, dcs_scope sc)
{
    const char *scope = dcs_names_scope[sc];
    if (sc == DCS_SCOPE_MAINTENANCE)
        return refuse(c, key,
                      "scope maintenance takes action planned (the job saves, stops for the "
                      "window and restarts)");
    if (sc == DCS_SCOPE_COOLING)
        return refuse(c, key,
                      "scope cooling takes action swap only: a failed cooling unit is out until "
                      "repaired, and the job does not stop");
    if (a == DCS_ACTION_SWAP)
        return refuse(c, key, "scope %s has no hardware to swap; use action restart", scope);
    if (a == DCS_ACTION_PLANNED)
        return refuse(c, key, "action planned is for scope maintenance");
    return refuse(c, key,
                  "action slow is for units inside a node (accelerator, hbm, node), not scope %s",
                  scope);
}

static int action_fits(const dcs_check *c)
{
    char key[64];
    for (int k = 0; k < c->s->nfailures; k++) {
        const dcs_failure_cfg *f = &c->s->failures[k];
        if (!dcs_action_fits_scope(f->action, f->scope))
            return action_misfit(c, class_key(key, sizeof key, k, "action"), f->action, f->scope);
    }
    return 0;
}

/* A maintenance schedule (every, duration) leaves time between windows. */
static int window_fits(const dcs_check *c)
{
    char key[64];
    for (int k = 0; k < c->s->nfailures; k++) {
        const dcs_failure_cfg *f = &c->s->failures[k];
        if (f->scope == DCS_SCOPE_MAINTENANCE && f->ttf.kind == DCS_DIST_FIXED &&
            f->repair.mean_s >= f->ttf.mean_s)
            return refuse(c, class_key(key, sizeof key, k, "duration"),
                          "a window as long as the time between windows leaves no time to train");
    }
    return 0;
}

/* ---- checkpoint -------------------------------------------------------------------------- */

static int memory_level(const dcs_check *c)
{
    if (c->s->checkpoint.mode != DCS_CKPT_ASYNC || !c->given(c->ctx, "checkpoint.memory"))
        return 0;
    return refuse(c, "checkpoint.memory",
                  "an in-memory level cannot be combined with mode async (an async checkpoint "
                  "already snapshots into memory)");
}

/* ---- energy and market ------------------------------------------------------------------- */

/* COP = eta (T_s + 273.15) / (T + approach - T_s) is used from
 * free_cooling_below up: it is positive there only if free_cooling_below is
 * at least T_s - approach (at T = T_s - approach the lift is zero and so is
 * the chiller's power, power.c). */
static int chiller_lift(const dcs_check *c)
{
    const dcs_cooling_cfg *co = &c->s->cooling;
    if (!c->s->power.on || co->model != DCS_COOL_COP)
        return 0;
    double floor_c = co->supply_c - co->approach_k;
    if (!(co->free_below_c < floor_c))
        return 0;
    return refuse(c, "cooling.free_cooling_below",
                  "the chiller's COP is negative from %g C up to %g C (supply_temperature - "
                  "approach), where free cooling is off; free_cooling_below must be at least %g C",
                  co->free_below_c, floor_c, floor_c);
}

/* The market's ring of deliveries holds the longest lead time (its mean
 * and 8 sd) in steps of market.step: at most 10^6 of them. */
static int lead_fits(const dcs_check *c, const dcs_market_cfg *m, const char *key)
{
    double h = c->s->market.step_s;
    double longest = ceil(m->lead_mean_s / h + 8.0 * m->lead_sd_s / h) + 1.0;
    if (!(longest > 1e6))
        return 0;
    return refuse(c, key, "market.lead_time is %g steps of market.step: at most 10^6", longest);
}

static int lead_steps(const dcs_check *c)
{
    const dcs_scenario *s = c->s;
    if (!s->market.on)
        return 0;
    if (!s->market_listed)
        return lead_fits(c, &s->market, "market.lead_time");
    for (int i = 0; i < s->nmarket_types; i++) {
        /* A type's own lead time, else the market's (every type's default). */
        char key[64];
        snprintf(key, sizeof key, "market.types[%d].lead_time", i);
        int rc =
            lead_fits(c, &s->market_types[i].m, c->given(c->ctx, key) ? key : "market.lead_time");
        if (rc)
            return rc;
    }
    return 0;
}

/* The markets to check: the market itself, or each of market.types. */
static int nmarkets(const dcs_scenario *s)
{
    return !s->market.on ? 0 : s->market_listed ? s->nmarket_types : 1;
}

static const dcs_market_cfg *market_at(const dcs_scenario *s, int i)
{
    return s->market_listed ? &s->market_types[i].m : &s->market;
}

/* The path of market i's key `key` to blame, as the reader's `from` finds
 * it: a type's own key where it gives one, else the market's (every type's
 * default) where that is given, else the type's. */
static const char *market_key(const dcs_check *c, int i, const char *key, char *buf, size_t n)
{
    if (c->s->market_listed) {
        snprintf(buf, n, "market.types[%d].%s", i, key);
        if (c->given(c->ctx, buf))
            return buf;
        char parent[64];
        snprintf(parent, sizeof parent, "market.%s", key);
        if (!c->given(c->ctx, parent))
            return buf;
    }
    snprintf(buf, n, "market.%s", key);
    return buf;
}

/* Whether market i gives key, itself or through the market's default. */
static bool market_gives(const dcs_check *c, int i, const char *key)
{
    char buf[64];
    return c->given(c->ctx, market_key(c, i, key, buf, sizeof buf));
}

/* The floor is below the cap, the default cap (a multiple of the
 * reference price) when none is given. */
static int floor_below_cap(const dcs_check *c)
{
    char key[64];
    for (int i = 0; i < nmarkets(c->s); i++) {
        const dcs_market_cfg *m = market_at(c->s, i);
        if (m->cap_price > m->floor_price)
            continue;
        if (!market_gives(c, i, "price_cap_usd_per_hour"))
            return refuse(c, market_key(c, i, "price_floor_usd_per_hour", key, sizeof key),
                          "must be below the default price cap, %g x reference_price_usd_per_hour "
                          "= %g: give price_cap_usd_per_hour",
                          DCS_MARKET_CAP_MULTIPLE, m->cap_price);
        return refuse(c, market_key(c, i, "price_cap_usd_per_hour", key, sizeof key),
                      "must be above price_floor_usd_per_hour (%g)", m->floor_price);
    }
    return 0;
}

/* Lead times are lognormal around lead_time: a spread needs a mean. */
static int lead_sd_needs_mean(const dcs_check *c)
{
    char key[64];
    for (int i = 0; i < nmarkets(c->s); i++) {
        const dcs_market_cfg *m = market_at(c->s, i);
        if (m->lead_sd_s > 0.0 && !(m->lead_mean_s > 0.0))
            return refuse(c, market_key(c, i, "lead_time_sd", key, sizeof key),
                          "needs a lead_time > 0 (lead times are lognormal around it)");
    }
    return 0;
}

/* The compensator of the jumps needs E[J] = e^(mu + sd^2 / 2) finite. */
static int jump_mean_finite(const dcs_check *c)
{
    char key[64];
    for (int i = 0; i < nmarkets(c->s); i++) {
        const dcs_market_cfg *m = market_at(c->s, i);
        if (!(m->jump_rate > 0.0) ||
            isfinite(exp(m->jump_log_mean + 0.5 * m->jump_log_sd * m->jump_log_sd)))
            continue;
        const char *name = market_gives(c, i, "jump_log_sd") ? "jump_log_sd" : "jump_log_mean";
        return refuse(c, market_key(c, i, name, key, sizeof key),
                      "gives jumps of infinite mean size e^(jump_log_mean + jump_log_sd^2 / 2)");
    }
    return 0;
}

/* market.types: each catalog type once, the cluster's among them. */
static int types_list_job(const dcs_check *c)
{
    const dcs_scenario *s = c->s;
    if (!s->market.on || !s->market_listed)
        return 0;
    char key[64];
    for (int i = 0; i < s->nmarket_types; i++)
        for (int k = 0; k < i; k++)
            if (s->market_types[k].catalog_index == s->market_types[i].catalog_index) {
                snprintf(key, sizeof key, "market.types[%d].accelerator", i);
                return refuse(c, key, "%s is given twice (also market.types[%d])",
                              s->market_types[i].accel, k);
            }
    if (s->market_job_type < 0)
        return refuse(c, "market.types",
                      "the cluster's accelerator %s is not in it: the job rents from its market",
                      s->cluster.accel.key);
    return 0;
}

/* A shock's types name market types: without market.types there is one. */
static int shock_types_listed(const dcs_check *c)
{
    const dcs_scenario *s = c->s;
    if (!s->market.on || s->market_listed)
        return 0;
    char key[64];
    for (int i = 0; i < s->market.nshocks; i++) {
        snprintf(key, sizeof key, "market.shocks[%d].types", i);
        if (c->given(c->ctx, key))
            return refuse(c, key, "needs market.types (without it the market has one type)");
    }
    return 0;
}

const dcs_validator dcs_validators[] = {
    {"cluster.min_nodes", min_nodes, DCS_SEC_CLUSTER,
     "with on_no_spare shrink, min_nodes <= nodes"},
    {"cluster.nodes_per_switch", switch_divides, DCS_SEC_CLUSTER,
     "nodes is a multiple of nodes_per_switch"},
    {"checkpoint.memory", memory_level, DCS_SEC_CKPT, "no in-memory level with mode async"},
    {"cooling.free_cooling_below", chiller_lift, DCS_SEC_COOLING,
     "with model cop, free_cooling_below >= supply_temperature - approach"},
    {"failures.scope", scope_needs, DCS_SEC_FAILURE,
     "scope switch needs cluster.nodes_per_switch; scope cooling needs cooling.units"},
    {"failures.action", action_fits, DCS_SEC_FAILURE,
     "maintenance takes planned and only it does; cooling takes swap; job and storage cannot "
     "swap; slow is for accelerator, hbm and node"},
    {"failures.duration", window_fits, DCS_SEC_FAILURE,
     "a maintenance window is shorter than `every`"},
    {"market.types", types_list_job, DCS_SEC_MARKET,
     "each accelerator once, the cluster's among them"},
    {"market.price_cap_usd_per_hour", floor_below_cap, DCS_SEC_MARKET,
     "price_floor_usd_per_hour < price_cap_usd_per_hour (given, or its default), each market"},
    {"market.lead_time_sd", lead_sd_needs_mean, DCS_SEC_MARKET,
     "lead_time_sd > 0 needs lead_time > 0, each market"},
    {"market.jump_log_sd", jump_mean_finite, DCS_SEC_MARKET,
     "with jump_rate > 0, e^(jump_log_mean + jump_log_sd^2 / 2) is finite, each market"},
    {"market.lead_time", lead_steps, DCS_SEC_MARKET,
     "lead_time + 8 lead_time_sd is at most 10^6 steps of market.step"},
    {"market.shocks.types", shock_types_listed, DCS_SEC_MARKET, "needs market.types"},
};

const size_t dcs_nvalidators = sizeof dcs_validators / sizeof dcs_validators[0];

int dcs_scenario_validate_after(dcs_sec sec, const dcs_check *c)
{
    for (size_t i = 0; i < dcs_nvalidators; i++) {
        int rc = dcs_validators[i].after == sec ? dcs_validators[i].fn(c) : 0;
        if (rc)
            return rc;
    }
    return 0;
}

int dcs_scenario_validate(const dcs_check *c)
{
    for (size_t i = 0; i < dcs_nvalidators; i++) {
        int rc = dcs_validators[i].fn(c);
        if (rc)
            return rc;
    }
    return 0;
}
