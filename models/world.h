/*
 * world.h - a scenario made runnable: the derived model parameters, the
 * engines that run its replications, and the /summary columns they fill.
 *
 * A world is built once per scenario and is read-only afterwards, so every
 * thread's engine can share it. One replication's measurements are a
 * dcs_world_result, turned into a row of dcs_cells for the HDF5 writer by
 * dcs_world_row().
 */
#ifndef DCSIM_MODELS_WORLD_H
#define DCSIM_MODELS_WORLD_H

#ifndef DCS_LAYER_MODELS
#error "models/ is not visible from sim/"
#endif

#include "config.h"
#include "engine.h"
#include "h5out.h"
#include "run.h"
#include "trace.h"

#include <stddef.h>
#include <stdint.h>

typedef struct dcs_world dcs_world;

/* Builds a world for sc (copied). Returns NULL and fills err: DCS_EINPUT
 * when the scenario cannot run, DCS_ENOMEM. */
dcs_world *dcs_world_create(const dcs_scenario *sc, dcs_err *err);

/* NULL is a no-op. */
void dcs_world_destroy(dcs_world *w);

/* The world's scenario (borrowed). */
const dcs_scenario *dcs_world_scenario(const dcs_world *w);

/* Derived run parameters (borrowed): failure-free time, interval, M, ... */
const dcs_run_cfg *dcs_world_run_cfg(const dcs_world *w);

/* Makes an engine with the world's models plugged in. */
dcs_engine *dcs_world_engine_create(const dcs_world *w, dcs_err *err);

/* Runs replication `rep` under master seed `seed` on eng (made by
 * dcs_world_engine_create for this world) and writes its measurements to
 * *out. */
int dcs_world_run(const dcs_world *w, dcs_engine *eng, uint64_t seed, uint64_t rep,
                  dcs_run_result *out, dcs_err *err);

/* The same, recording events and samples into tr (NULL: not traced), which
 * is cleared first and must have dcs_world_sample_ncols(w) sample
 * columns. Tracing does not change the results. */
int dcs_world_run_traced(const dcs_world *w, dcs_engine *eng, uint64_t seed, uint64_t rep,
                         dcs_trace *tr, dcs_run_result *out, dcs_err *err);

/* The memory one engine takes to run w's replications at most, bytes
 * (the models' state and the event queue at its fullest), without the
 * world itself (dcs_world_bytes) or a trace. */
double dcs_world_engine_bytes(const dcs_world *w);

/* The memory a world takes, bytes. */
double dcs_world_bytes(const dcs_world *w);

/* Samples traced replications every step_s of simulated time (0: no time
 * series). Call before engines are made. Returns 0 or DCS_EINPUT. */
int dcs_world_set_sampling(dcs_world *w, double step_s, dcs_err *err);

/* Values per sample row of this world's scenario (time included). */
size_t dcs_world_sample_ncols(const dcs_world *w);

/* The /timeseries columns: point, replication, then the sample values;
 * *ncols is set to their number. Borrowed from w. */
const dcs_column *dcs_world_ts_cols(const dcs_world *w, size_t *ncols);

/* Trace kinds: every kind of every model, in engine order (the same for
 * every world), with what a record of it means. */
size_t dcs_world_nkinds(void);
void dcs_world_kind(size_t k, const char **name, const char **doc);

/* The /summary columns: point, replication, then the metrics. */
size_t dcs_world_ncols(const dcs_world *w);
const dcs_column *dcs_world_cols(const dcs_world *w);

/* Fills cells[0..ncols) with the row of one replication. */
void dcs_world_row(const dcs_world *w, int64_t point, int64_t rep, const dcs_run_result *r,
                   dcs_cell *cells);

#endif /* DCSIM_MODELS_WORLD_H */
