/*
 * env.h - the energy model: outdoor temperature, the cooling plant and its
 * units, electricity price and carbon intensity, stepped on a fixed grid
 * (power.step) beside the run model.
 *
 * The run model charges energy, cost, carbon and water at every one of its
 * state changes with the values the energy model holds now (dcs_env_now);
 * the energy model announces every change (dcs_engine_changing/changed),
 * so the run charges up to the present first and every quantity is the
 * exact integral of a piecewise constant power. Cooling units fail and get repaired (failure
 * classes of scope cooling); when the heat of the job at full power exceeds what the working units
 * can remove at the outdoor temperature, the accelerators throttle: the job runs at capacity / load
 * of its speed and draws as much less power.
 */
#ifndef DCSIM_MODELS_ENV_H
#define DCSIM_MODELS_ENV_H

#ifndef DCS_LAYER_MODELS
#error "models/ is not visible from sim/"
#endif

#include "config.h"
#include "dist.h"
#include "engine.h"
#include "power.h"

typedef struct dcs_env_cfg {
    int on;                 /* the scenario has a power section; otherwise the model is idle */
    const dcs_scenario *sc; /* borrowed */
    int stepped;            /* something varies in time: the model steps */
    double step_s;
    double train_load_w; /* heat of the job's accelerators training at full speed, W */
    double spare_load_w; /* heat of the idle spares, W */
    int ncool;
    int cool_cls[DCS_MAX_FAILURE_CLS]; /* failure classes of scope cooling */
    dcs_sampler ttf[DCS_MAX_FAILURE_CLS];
    dcs_sampler repair[DCS_MAX_FAILURE_CLS];
} dcs_env_cfg;

extern const dcs_model dcs_env_model;

/* Derives ec from sc (which must stay alive); ec->on is false, and the
 * model idle, when sc has no power section. Returns 0, or DCS_EINPUT. */
int dcs_env_cfg_init(dcs_env_cfg *ec, const dcs_scenario *sc, dcs_err *err);

/* The values now, for the run model; NULL when the engine has no energy
 * model or it is idle. */
const dcs_env_now *dcs_env_now_of(dcs_engine *eng);

/* The model's final hook (dcs_engine_finish, out a dcs_run_result after
 * the run model's) writes its measurements of the replication: failures of
 * its cooling classes and the fewest cooling units working; nothing when
 * the model is idle. */

#endif /* DCSIM_MODELS_ENV_H */
