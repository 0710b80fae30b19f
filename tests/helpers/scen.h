/*
 * scen.h - scenarios built in code for model tests, without the YAML
 * loader: a small cluster of a made-up accelerator whose peak rate makes
 * failure-free compute time easy to set (1 FLOP/s per accelerator at
 * MFU 1, so job.flops / accelerators is the compute time in seconds).
 */
#ifndef DCSIM_TESTS_SCEN_H
#define DCSIM_TESTS_SCEN_H

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static inline dcs_scenario scen_basic(int64_t nodes, int64_t per_node, double compute_s)
{
    dcs_scenario sc;
    memset(&sc, 0, sizeof sc);
    snprintf(sc.name, sizeof sc.name, "test");
    snprintf(sc.cluster.accel.key, sizeof sc.cluster.accel.key, "TEST");
    sc.cluster.accel.peak_flops = 1.0;
    sc.cluster.accel.tdp_w = 700.0;
    sc.cluster.nodes = nodes;
    sc.cluster.accels_per_node = per_node;
    sc.cluster.price_usd_per_accel_h = 2.385;
    sc.cluster.bill_spares = true;
    sc.cluster.swap_s = 0.0;
    sc.procurement.energy_included = true; /* rented on demand, as the loader's default */
    sc.job.mfu = 1.0;
    sc.job.flops = compute_s * (double)(nodes * per_node);
    sc.checkpoint.policy = DCS_CKPT_NONE;
    sc.checkpoint.final = true;
    sc.sim.seed = 1;
    sc.sim.replications = 10;
    sc.sim.max_time_s = 20.0 * 365.25 * 86400.0;
    return sc;
}

/* Appends a failure class; returns it for further changes. */
static inline dcs_failure_cfg *scen_add_failure(dcs_scenario *sc, const char *name, dcs_scope scope,
                                                dcs_dist_kind kind, double mean_s, double shape)
{
    dcs_failure_cfg *f = &sc->failures[sc->nfailures++];
    memset(f, 0, sizeof *f);
    snprintf(f->name, sizeof f->name, "%s", name);
    f->scope = scope;
    f->action =
        scope == DCS_SCOPE_JOB || scope == DCS_SCOPE_STORAGE ? DCS_ACTION_RESTART : DCS_ACTION_SWAP;
    f->ttf.kind = kind;
    f->ttf.mean_s = mean_s;
    f->ttf.shape = shape;
    f->repair.kind = DCS_DIST_FIXED;
    f->repair.mean_s = 0.0;
    f->speed = 1.0;
    return f;
}

#endif /* DCSIM_TESTS_SCEN_H */
