/*
 * drawcheck.h - refuses, before anything runs, a replication whose drawn
 * uncertain inputs fail a check of the loader: a cross-key check (a
 * checkpoint write at or above the drawn MTTI, ...) or a drawn value that
 * makes another key invalid. Every replication the command will run is
 * loaded with its draws, as its own world will be; the first that fails
 * (the lowest replication, whatever the thread count) is reported at the
 * loader's file:line:column and key, its message prefixed with
 * "replication R draws K = V, ...: ".
 */
#ifndef DCSIM_CLI_DRAWCHECK_H
#define DCSIM_CLI_DRAWCHECK_H

#include "config.h"
#include "status.h"

#include <stdbool.h>
#include <stdint.h>

struct dcs_corr_cache;

/* Loads point p's scenario into *out: with replication rep's draws under
 * `seed` when draw is true, else with its nominal values. Called from
 * several threads at once, each with its own cache of correlated uniforms
 * (correlation.h; for dcs_scenario_input.corr_cache, or unused). Returns 0
 * or an error with err filled. */
typedef int dcs_drawcheck_fn(void *ctx, size_t p, bool draw, uint64_t seed, uint64_t rep,
                             struct dcs_corr_cache *cache, dcs_scenario *out, dcs_err *err);

/* Loads replications 0 .. nreps - 1 of point p (whose nominal scenario is
 * nominal: nothing is done without an input drawn) on nthreads threads (0:
 * OpenMP's default). Returns 0, or the first failing replication's error:
 * DCS_EINPUT as above, or DCS_ENOMEM. */
int dcs_drawcheck(dcs_drawcheck_fn *load, void *ctx, size_t p, const dcs_scenario *nominal,
                  uint64_t seed, uint64_t nreps, int nthreads, dcs_err *err);

#endif /* DCSIM_CLI_DRAWCHECK_H */
