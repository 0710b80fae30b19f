/*
 * checkpoint.c - checkpoint interval policies and costs.
 *
 * Young's first-order interval and Daly's higher-order one are closed forms
 * of delta and M; M comes from the scenario's failure classes as the
 * inverse of the summed failure rates of every unit the job uses. For a
 * non-exponential class the rate is the long-run renewal rate, 1 / mean,
 * which is what Young and Daly's M stands for. Daly's eq. 37 is written as
 * LLNL's SCR library implements it (scripts/common/scr_ckpt_interval.py).
 */
#include "checkpoint.h"

#include <math.h>

double dcs_ckpt_young(double delta_s, double mtti_s)
{
    if (!isfinite(mtti_s))
        return HUGE_VAL;
    return sqrt(2.0 * delta_s * mtti_s);
}

double dcs_ckpt_daly(double delta_s, double mtti_s)
{
    if (!isfinite(mtti_s))
        return HUGE_VAL;
    if (delta_s >= 2.0 * mtti_s)
        return mtti_s;
    double x = delta_s / (2.0 * mtti_s);
    return sqrt(2.0 * delta_s * mtti_s) * (1.0 + sqrt(x) / 3.0 + x / 9.0) - delta_s;
}

double dcs_ckpt_daly_walltime(double ts_s, double tau_s, double delta_s, double restart_s,
                              double mtti_s)
{
    return mtti_s * exp(restart_s / mtti_s) * expm1((tau_s + delta_s) / mtti_s) * ts_s / tau_s;
}

double dcs_ckpt_write_s(const dcs_ckpt_cfg *c)
{
    double t = c->write_overhead_s;
    if (c->size_bytes > 0.0 && c->write_bps > 0.0)
        t += c->size_bytes / c->write_bps;
    return t;
}

double dcs_ckpt_read_s(const dcs_ckpt_cfg *c)
{
    if (c->size_bytes > 0.0 && c->read_bps > 0.0)
        return c->size_bytes / c->read_bps;
    return 0.0;
}

double dcs_ckpt_units_exposed(const dcs_scenario *sc, const dcs_failure_cfg *f)
{
    switch (f->scope) {
    case DCS_SCOPE_ACCELERATOR:
    case DCS_SCOPE_HBM:
        return (double)(sc->cluster.nodes * sc->cluster.accels_per_node);
    case DCS_SCOPE_NODE:
        return (double)sc->cluster.nodes;
    case DCS_SCOPE_SWITCH:
        return sc->cluster.nodes_per_switch > 0
                   ? (double)(sc->cluster.nodes / sc->cluster.nodes_per_switch)
                   : 0.0;
    case DCS_SCOPE_JOB:
    case DCS_SCOPE_STORAGE:
    case DCS_SCOPE_MAINTENANCE:
        return 1.0;
    case DCS_SCOPE_COOLING:
        return (double)sc->cooling.units;
    }
    return 0.0;
}

double dcs_ckpt_mtti_s(const dcs_scenario *sc)
{
    double rate = 0.0;
    for (int i = 0; i < sc->nfailures; i++) {
        const dcs_failure_cfg *f = &sc->failures[i];
        /* Planned maintenance saves first and a cooling unit's failure
         * only lowers capacity: neither throws work away. */
        if (f->ttf.mean_s > 0.0 && f->action != DCS_ACTION_PLANNED && f->scope != DCS_SCOPE_COOLING)
            rate += dcs_ckpt_units_exposed(sc, f) / f->ttf.mean_s;
    }
    return rate > 0.0 ? 1.0 / rate : HUGE_VAL;
}

double dcs_ckpt_interval_s(const dcs_scenario *sc)
{
    const dcs_ckpt_cfg *c = &sc->checkpoint;
    switch (c->policy) {
    case DCS_CKPT_NONE:
        return HUGE_VAL;
    case DCS_CKPT_FIXED:
        return c->interval_s;
    case DCS_CKPT_YOUNG:
    case DCS_CKPT_DALY:
        break;
    }
    /* An async checkpoint costs the job its snapshot stall, but the next
     * one cannot start before the background write is done. */
    double write = dcs_ckpt_write_s(c);
    double delta = c->mode == DCS_CKPT_ASYNC ? c->snapshot_s : write;
    double m = dcs_ckpt_mtti_s(sc);
    double tau = c->policy == DCS_CKPT_YOUNG ? dcs_ckpt_young(delta, m) : dcs_ckpt_daly(delta, m);
    return c->mode == DCS_CKPT_ASYNC ? fmax(tau, write) : tau;
}
