/*
 * rng.h - counter-based random streams keyed by (seed, replication, stream).
 *
 * Each stream is a GSL generator backed by Random123's Philox-4x64-10
 * through its gsl_microrng adapter, so every gsl_ran_* distribution works on
 * it. The key is the master seed; the counter holds the replication index
 * and the stream id. Two streams never share a counter block, so they are
 * independent whatever the seed, and the draws of replication r do not
 * depend on which thread runs it or on what ran before: that is what makes
 * runs reproducible and lets sweep points share random numbers (common
 * random numbers). A stream yields up to 2^34 32-bit draws.
 */
#ifndef DCSIM_SIM_RNG_H
#define DCSIM_SIM_RNG_H

#include "status.h"

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* The GSL generator type behind dcsim's streams ("dcsim_philox4x64"). */
const gsl_rng_type *dcs_rng_type(void);

/* Allocates a stream; it must be keyed with dcs_rng_key() before use.
 * Returns NULL and fills err (DCS_ENOMEM) on failure. Free with
 * gsl_rng_free(). */
gsl_rng *dcs_rng_create(dcs_err *err);

/* (Re)keys r to the start of stream `stream` of replication `replication`
 * under master seed `seed`. */
void dcs_rng_key(gsl_rng *r, uint64_t seed, uint64_t replication, uint32_t stream);

#endif /* DCSIM_SIM_RNG_H */
