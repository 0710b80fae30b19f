/*
 * sweep.h - sweep files: a base scenario and the key paths to vary, expanded
 * into validated points.
 *
 * A sweep file (docs/sweeps.md) names a base scenario (a file, or an inline
 * mapping) and a design: a list of blocks (grid, zip, variants, lhs, sobol)
 * whose Cartesian product, last block fastest, gives the points. Each point
 * is a list of overrides "key.path = value" applied to the base after the
 * command line's --set: the sweep's own set, then one row of each block.
 * Loading validates every point through the scenario
 * loader and keeps nothing unless all pass; an error is reported as
 * "file:line:col: key.path: message (point N)" at the sweep file's own value
 * (DCS_EINPUT). Points are numbered from 0, as in the API and /sweep/points.
 *
 * A loaded sweep keeps the points' override texts, not their scenarios
 * (a dcs_scenario is ~200 KB): dcs_sweep_point_scenario derives one on
 * demand. Everything is deterministic: the same file and --set give the
 * same points, labels and values. A loaded sweep is read-only, so every
 * function below may be called from several threads at once.
 */
#ifndef DCSIM_SCENARIOS_SWEEP_H
#define DCSIM_SCENARIOS_SWEEP_H

#include "../models/config.h"
#include "../sim/status.h"

#include <stddef.h>

/* At most this many points: every point is validated at load, which takes
 * about 30 us for the Llama 3 scenario (0.1 M points: ~3 s), and each has
 * a row in /sweep/points. */
#define DCS_SWEEP_MAX_POINTS 100000

/* At most this many ranges in a sobol block: GSL's gsl_qrng_sobol has 40
 * dimensions (SOBOL_MAX_DIMENSION in its qrng/sobol.c). */
#define DCS_SWEEP_SOBOL_MAX_DIM 40

typedef struct dcs_sweep dcs_sweep;
struct dcs_corr_cache; /* models/correlation.h */

/* Loads the sweep file `path`, expands its design and validates every
 * point. sets/nsets are the command line's --set overrides: they change
 * the base scenario of every point (a point's own values then win). On
 * success *out owns a new sweep (free with dcs_sweep_destroy). Returns 0,
 * or DCS_EINPUT (bad file, bad point, missing file), DCS_EIO or DCS_ENOMEM
 * with err filled and *out NULL. It returns an int rather than
 * the sweep, like dcs_scenario_load, because the code decides the exit
 * status. */
int dcs_sweep_load(const char *path, const char *const *sets, size_t nsets, dcs_sweep **out,
                   dcs_err *err);

/* The same, from text in memory; `name` stands for the file in messages,
 * and a base path is relative to its folder. */
int dcs_sweep_load_string(const char *text, const char *name, const char *const *sets, size_t nsets,
                          dcs_sweep **out, dcs_err *err);

struct dcs_world;

/* Shown the world of each point that the load's check makes (runnable.h),
 * point 0 first, when the point passed every check; returns 1 when it keeps
 * w (and destroys it later), else 0. For a command that needs each point's
 * world before anything runs: it is made once, not again. */
typedef int dcs_sweep_world_fn(void *ctx, size_t p, struct dcs_world *w);

/* dcs_sweep_load and dcs_sweep_load_string (text NULL: read path) showing
 * each point's world to fn(ctx, ...) (fn NULL: to nobody). */
int dcs_sweep_load_with(const char *path, const char *text, const char *const *sets, size_t nsets,
                        dcs_sweep_world_fn *fn, void *ctx, dcs_sweep **out, dcs_err *err);

/* 1 when the file at path is a YAML mapping with a top-level `base` key
 * (a sweep file, not a scenario), else 0, also when it cannot be read or
 * parsed (the scenario loader then says why). */
int dcs_sweep_file_is_sweep(const char *path);

/* Frees s and everything it owns; NULL is a no-op. */
void dcs_sweep_destroy(dcs_sweep *s);

/* The sweep's name (its `name` key). */
const char *dcs_sweep_name(const dcs_sweep *s);

/* The sweep file's text as read, for an HDF5 attribute. */
const char *dcs_sweep_text(const dcs_sweep *s);

/* The resolved YAML of the base scenario with the command's --set applied
 * (as dcs_scenario_load writes it), for an HDF5 attribute. */
const char *dcs_sweep_base_resolved(const dcs_sweep *s);

/* The file the base scenario was read from (the sweep file itself for an
 * inline base), as opened: an input an output must not replace. */
const char *dcs_sweep_base_file(const dcs_sweep *s);

/* The number of points, 1 to DCS_SWEEP_MAX_POINTS. */
size_t dcs_sweep_npoints(const dcs_sweep *s);

/* The number of distinct varied key paths, and key path k (0 <= k <
 * nkeys), in order of first appearance in the file ("checkpoint.interval"). */
size_t dcs_sweep_nkeys(const dcs_sweep *s);
const char *dcs_sweep_key(const dcs_sweep *s, size_t k);

/* The SI unit of key k's values ("s", "B/s", "" for plain numbers), or NULL
 * when they are not all numbers of one kind (names, or a mix), so that a
 * column of dcs_sweep_value_si has one unit. */
const char *dcs_sweep_key_units(const dcs_sweep *s, size_t k);

/* The readable label of point p (0 <= p < npoints): the labels of its
 * blocks' rows joined by spaces, e.g. "checkpoint.interval=30min
 * checkpoint.write_bandwidth=1TB/s no-spares". */
const char *dcs_sweep_label(const dcs_sweep *s, size_t p);

/* The value applied to key k at point p as text, as written in the file or
 * sampled ("" when the point does not set the key, e.g. a variant that
 * leaves it alone). When two blocks set the same key, the later one's. */
const char *dcs_sweep_value_text(const dcs_sweep *s, size_t p, size_t k);

/* The same value as a number in SI units (seconds, bytes per second; a
 * percentage as a fraction), with *units (if not NULL) set to the unit's
 * name ("s", "B/s", "" for plain numbers). NAN, with *units "", when the
 * value is not a number (a name, true/false) or the point does not set k. */
double dcs_sweep_value_si(const dcs_sweep *s, size_t p, size_t k, const char **units);

/* Builds the scenario of point p (validated at load) into *sc, and, if
 * resolved is not NULL, sets *resolved to its malloc'd resolved YAML (the
 * caller frees it). sc may be NULL when only the text is wanted. Returns 0,
 * or DCS_EINPUT (p out of range, or a CSV series named by the scenario
 * changed since the load), DCS_EIO or DCS_ENOMEM with err filled. */
int dcs_sweep_point_scenario(const dcs_sweep *s, size_t p, dcs_scenario *sc, char **resolved,
                             dcs_err *err);

/* 1 when some point may have uncertain inputs (the base has
 * distributions; a point's values are single values), else 0: without
 * them no replication of any point needs its draws checked. */
int dcs_sweep_uncertain(const dcs_sweep *s);

/* The scenario of replication rep of point p: point p's scenario with each
 * uncertain input drawn for (seed, rep) (load.h, dcs_scenario_input.draw),
 * correlated inputs through cache (the calling thread's, correlation.h;
 * NULL: none, each draw computes its block). Returns as
 * dcs_sweep_point_scenario. */
int dcs_sweep_point_draw(const dcs_sweep *s, size_t p, uint64_t seed, uint64_t rep,
                         struct dcs_corr_cache *cache, dcs_scenario *sc, dcs_err *err);

#endif /* DCSIM_SCENARIOS_SWEEP_H */
