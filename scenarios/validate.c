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
    {"market.lead_time", lead_steps, DCS_SEC_MARKET,
     "lead_time + 8 lead_time_sd is at most 10^6 steps of market.step"},
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
