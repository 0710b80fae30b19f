/*
 * probe.h - the time-series sampler: every `step` of simulated time it
 * records one row of what the other models say now (progress, accelerators
 * computing, power, weather, prices, cost so far) into the trace of a
 * traced replication, and one last row when the replication ends.
 *
 * It reads the other models without changing them (dcs_run_peek, the
 * energy model's current values), so a traced replication computes exactly
 * what an untraced one does. Untraced replications, and scenarios run
 * without --sample-every, schedule no sample at all.
 */
#ifndef DCSIM_MODELS_PROBE_H
#define DCSIM_MODELS_PROBE_H

#ifndef DCS_LAYER_MODELS
#error "models/ is not visible from sim/"
#endif

#include "config.h"
#include "engine.h"
#include "h5out.h"

/* The quantities a sample can hold; a scenario samples the ones its models
 * compute (no power section: no power, weather or electricity price). */
typedef enum {
    DCS_PROBE_T = 0,    /* time, h */
    DCS_PROBE_PROGRESS, /* work done / work, in [0, 1] */
    DCS_PROBE_WORKING,  /* accelerators computing */
    DCS_PROBE_IT,       /* IT power, kW */
    DCS_PROBE_COOL,     /* cooling and facility power, kW */
    DCS_PROBE_OUTDOOR,  /* outdoor temperature, C */
    DCS_PROBE_THROTTLE, /* throttle factor, [0, 1] */
    DCS_PROBE_EPRICE,   /* electricity price, USD/kWh */
    DCS_PROBE_APRICE,   /* accelerator-hour price, USD (market on) */
    DCS_PROBE_COST,     /* cost so far, USD */
    DCS_PROBE_NQ
} dcs_probe_q;

typedef struct dcs_probe_cfg {
    double step_s; /* sampling step, s; 0: off */
    int ncols;
    dcs_probe_q q[DCS_PROBE_NQ]; /* what column j holds */
} dcs_probe_cfg;

extern const dcs_model dcs_probe_model;

/* Chooses the columns for scenario sc and step step_s (0: no sampling). */
void dcs_probe_cfg_init(dcs_probe_cfg *pc, const dcs_scenario *sc, double step_s);

/* The /timeseries column of quantity q (name, units, description). */
const dcs_column *dcs_probe_column(dcs_probe_q q);

/* The model's final hook (dcs_engine_finish) appends the row at the end of
 * a traced replication, unless a row at that time exists. */

#endif /* DCSIM_MODELS_PROBE_H */
