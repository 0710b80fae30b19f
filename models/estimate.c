/*
 * estimate.c - the closed-form estimate (estimate.h).
 *
 *   Ts  = work / (accelerators x peak x MFU), summed over stages;
 *   M   = 1 / sum over classes of units / mean time to failure (checkpoint.c);
 *   R   = the rate-weighted mean of detection (+ spare swap for hardware
 *         classes) + restart overhead + checkpoint read + warm-up;
 *   T   = M e^(R/M) (e^((tau + delta)/M) - 1) Ts / tau   (Daly 2006), with
 *         tau = Ts and delta = 0 when nothing is checkpointed, and
 *         T = Ts (1 + delta / tau) + final write when nothing fails;
 *   maintenance windows stretch T by 1 / (1 - sum (window + save + R) / every).
 * The makespan then splits into checkpoint stalls (Ts / tau x delta),
 * restarts (T / M x R, at most what is left) and computing (the rest: kept
 * and lost work), which the power model turns into IT energy; cooling is the
 * PUE at the mean outdoor temperature. The ledger is the simulation's own
 * function (ledger.c), fed with these integrals, so its lines add up to the
 * total exactly as in a run.
 */
#include "estimate.h"

#include "checkpoint.h"
#include "power.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HOUR_S 3600.0
#define KWH_J  3.6e6

/* The compute time of the job without failures, s (0 when it cannot run). */
static double failure_free_s(const dcs_scenario *sc)
{
    const dcs_cluster_cfg *cl = &sc->cluster;
    double accels = (double)(cl->nodes * cl->accels_per_node);
    double peak = accels * cl->accel.peak_flops;
    if (sc->job.nstages == 0)
        return sc->job.flops / (peak * sc->job.mfu);
    double t = 0.0;
    for (int i = 0; i < sc->job.nstages; i++) {
        const dcs_stage_cfg *st = &sc->job.stages[i];
        t += st->accel_hours > 0.0 ? st->accel_hours * HOUR_S / accels
                                   : st->flops / (peak * st->mfu);
    }
    return t;
}

/* Mean downtime of one interruption before the restart proper: detection,
 * and the spare swap for classes that take hardware out, weighted by rate. */
static double mean_detect_swap_s(const dcs_scenario *sc)
{
    double rate = 0.0, sum = 0.0;
    for (int i = 0; i < sc->nfailures; i++) {
        const dcs_failure_cfg *f = &sc->failures[i];
        if (!(f->ttf.mean_s > 0.0) || f->action == DCS_ACTION_PLANNED ||
            f->scope == DCS_SCOPE_COOLING)
            continue;
        double r = dcs_ckpt_units_exposed(sc, f) / f->ttf.mean_s;
        double swap = f->action == DCS_ACTION_RESTART ? 0.0 : sc->cluster.swap_s;
        rate += r;
        sum += r * (f->detect_s + swap);
    }
    return rate > 0.0 ? sum / rate : 0.0;
}

int dcs_estimate_make(const dcs_scenario *sc, dcs_estimate *out, dcs_err *err)
{
    memset(out, 0, sizeof *out);
    assert(!dcs_energy_needs_model(sc)); /* the loader's rule (read_money.c) */
    const dcs_cluster_cfg *cl = &sc->cluster;
    const dcs_ckpt_cfg *ck = &sc->checkpoint;
    double accels = (double)(cl->nodes * cl->accels_per_node);
    double ts = failure_free_s(sc);
    if (!(ts > 0.0) || !isfinite(ts))
        return dcs_err_set(err, DCS_EINPUT, "the job's failure-free time comes out as %g s", ts);
    double m = dcs_ckpt_mtti_s(sc);
    double tau = dcs_ckpt_interval_s(sc);
    double write = dcs_ckpt_write_s(ck);
    double delta = ck->policy == DCS_CKPT_NONE  ? 0.0
                   : ck->mode == DCS_CKPT_ASYNC ? ck->snapshot_s
                                                : write;
    double r = mean_detect_swap_s(sc) + sc->restart.overhead_s + sc->restart.warmup_s +
               (ck->policy == DCS_CKPT_NONE ? 0.0 : dcs_ckpt_read_s(ck));
    double final_s = ck->policy != DCS_CKPT_NONE && ck->final ? write : 0.0;
    double t;
    if (isfinite(m)) {
        /* Daly's segments: tau of compute then a checkpoint, the last one
         * included; with no checkpoints, one segment of the whole job. */
        if (isfinite(tau) && tau < ts)
            t = dcs_ckpt_daly_walltime(ts, tau, delta, r, m);
        else
            t = dcs_ckpt_daly_walltime(ts, ts, final_s, r, m);
    } else {
        double n = isfinite(tau) && tau > 0.0 ? floor(ts / tau) : 0.0;
        t = ts + n * delta + final_s;
    }
    /* Planned maintenance: each window costs its duration, a save and a
     * restart, once every `every` of wall-clock time. */
    double maint_frac = 0.0;
    for (int i = 0; i < sc->nfailures; i++) {
        const dcs_failure_cfg *f = &sc->failures[i];
        if (f->action == DCS_ACTION_PLANNED && f->ttf.mean_s > 0.0)
            maint_frac += (f->repair.mean_s + write + r) / f->ttf.mean_s;
    }
    if (maint_frac > 0.0 && maint_frac < 1.0) {
        double stretched = t / (1.0 - maint_frac);
        out->maint_s = stretched - t;
        t = stretched;
    }
    out->ts_s = ts;
    out->mtti_s = m;
    out->tau_s = tau;
    out->delta_s = delta;
    out->restart_s = r;
    out->makespan_s = t;
    out->interruptions = isfinite(m) ? t / m : 0.0;
    out->ckpt_s = (isfinite(tau) && tau < ts ? ts / tau * delta : 0.0) + final_s;
    double rest = fmax(0.0, t - out->ckpt_s - out->maint_s);
    double restarts = fmin(rest - fmin(rest, ts), out->interruptions * r);
    out->down_s = restarts + out->maint_s;
    out->compute_s = fmax(0.0, t - out->ckpt_s - out->down_s);

    double spares = cl->bill_spares ? (double)cl->spare_nodes : 0.0;
    double held = ((double)cl->nodes + spares) * (double)cl->accels_per_node;
    double spare_idle = (double)(cl->spare_nodes * cl->accels_per_node);
    out->held_accels = held;
    if (sc->power.on) {
        const dcs_power_cfg *p = &sc->power;
        out->energy_it_j = accels * (p->training_w * out->compute_s + p->ckpt_w * out->ckpt_s +
                                     p->restart_w * out->down_s) +
                           spare_idle * p->idle_w * t;
        out->energy_cool_j = out->energy_it_j * dcs_cooling_per_w(&sc->cooling, sc->weather.mean_c);
    }

    const dcs_procurement_cfg *pr = &sc->procurement;
    double price = sc->market.on && sc->market.ref_price > 0.0 ? sc->market.ref_price
                                                               : cl->price_usd_per_accel_h;
    double hourly = 0.0, reserved = 0.0;
    switch (pr->mode) {
    case DCS_BUY_ON_DEMAND:
        hourly = held;
        break;
    case DCS_BUY_RESERVED:
        reserved = held;
        break;
    case DCS_BUY_MIXED:
        reserved = fmin((double)pr->reserved_accels, held);
        hourly = held - reserved;
        break;
    case DCS_BUY_OWNED:
        break;
    }
    /* Reserved accelerators pay the market price after their term. */
    double after_term = reserved > 0.0 ? fmax(0.0, t - pr->term_s) : 0.0;
    double usd_per_j = sc->electricity.usd_per_kwh / KWH_J;
    dcs_ledger_in in = {
        .elapsed_s = t,
        .held_s = t,
        .hourly_usd = (hourly * t + reserved * after_term) / HOUR_S * price,
        .it_usd = out->energy_it_j * usd_per_j,
        .cool_usd = out->energy_cool_j * usd_per_j,
        .ckpt_byte_s = ck->policy == DCS_CKPT_NONE
                           ? 0.0
                           : (double)(ck->retain > 0 ? ck->retain : 1) * ck->size_bytes * t,
        .price_start = price,
        .purchase_start =
            sc->market.on && sc->market.ref_purchase > 0.0 ? sc->market.ref_purchase : (double)NAN,
        .label_factor = 1.0,
        .held_accels = held,
        .reserved_accels = reserved,
    };
    dcs_ledger_compute(sc, &in, &out->ledger);
    return 0;
}

int dcs_estimate_range(const dcs_scenario *low, const dcs_scenario *high, dcs_estimate *lo,
                       dcs_estimate *hi, dcs_err *err)
{
    int rc = dcs_estimate_make(low, lo, err);
    if (rc == 0)
        rc = dcs_estimate_make(high, hi, err);
    if (rc == 0 && hi->ledger.total < lo->ledger.total) {
        dcs_estimate t = *lo;
        *lo = *hi;
        *hi = t;
    }
    return rc;
}

int dcs_memory_need_of(const dcs_scenario *sc, dcs_memory_need *m)
{
    const dcs_job_cfg *j = &sc->job;
    double accels = (double)(sc->cluster.nodes * sc->cluster.accels_per_node);
    m->shards = j->shard_accels > 0 ? (double)j->shard_accels : accels;
    double f = j->trainable_fraction > 0.0 ? j->trainable_fraction : 1.0;
    /* Every parameter of a mixture of experts is held, not only the
     * active ones. */
    double state = j->parameters *
                   (f * sc->checkpoint.bytes_per_param + (1.0 - f) * DCS_FROZEN_BYTES_PER_PARAM);
    m->state_bytes = state / m->shards;
    m->activation_bytes = j->activation_bytes;
    m->need_bytes = m->state_bytes + m->activation_bytes;
    m->have_bytes = sc->cluster.accel.memory_bytes;
    if (!(j->parameters > 0.0) || !(m->have_bytes > 0.0))
        return 1;
    return m->need_bytes <= m->have_bytes;
}
