/*
 * correlation.h - rank correlation of uncertain inputs by Iman and Conover's
 * method (R. L. Iman and W. J. Conover, "A distribution-free approach to
 * inducing rank correlation among input variables", Communications in
 * Statistics - Simulation and Computation 11(3), 1982).
 *
 * Each key keeps its own uniforms (uncertain.h: one per replication from
 * the key's stream); the method only decides which replication gets which
 * of them. Replications are taken in blocks of DCS_CORR_BLOCK (block b:
 * replications b B .. b B + B - 1). In a block, a score matrix of van der
 * Waerden scores (column k a random permutation of Phi^-1(i / (B + 1)),
 * from the stream DCS_STREAM_CORRELATION of "replication" b) is turned to
 * the target correlation (T = S (Q^-1)' P', Q Q' the scores' own
 * correlation, P P' the target), and replication i of the block gets the
 * key's uniform whose rank among the block's uniforms of that key is the
 * rank of T[i][k] in column k. The target of the scores is the Pearson
 * correlation 2 sin(pi rho / 6) that gives normal scores the Spearman
 * correlation rho (the requested one); when that matrix is not positive
 * semi-definite, rho itself.
 *
 * A replication's values so depend only on (seed, its block, the listed
 * keys and the matrix): not on the replication count, the thread, the MPI
 * rank or the shard that runs it, nor on the distributions' parameters, so
 * a sweep point that changes a distribution or sets a key to a plain value
 * leaves the draws of the other keys as they were (common random numbers),
 * and a run with more replications keeps the first ones' values.
 */
#ifndef DCSIM_MODELS_CORRELATION_H
#define DCSIM_MODELS_CORRELATION_H

#ifndef DCS_LAYER_MODELS
#error "models/ is not visible from sim/"
#endif

#include "config.h"

#include "status.h"

#include <gsl/gsl_rng.h>
#include <stdbool.h>
#include <stdint.h>

/* Replications of one block of the method. */
#define DCS_CORR_BLOCK 256

/* Whether c correlates anything: some entry off the diagonal is not 0. A
 * matrix that does not (the identity) draws exactly as no matrix. */
bool dcs_corr_active(const dcs_correlation *c);

/* The smallest eigenvalue of c's matrix (NaN when out of memory). */
double dcs_corr_min_eigenvalue(const dcs_correlation *c);

/* The uniform in (0, 1) of each listed key for replication rep under master
 * seed `seed`: u[j] for c->keys[j]. r is a scratch stream (keyed here).
 * Computes rep's whole block. Returns 0, or DCS_ENOMEM with err filled. */
int dcs_corr_uniforms(const dcs_correlation *c, gsl_rng *r, uint64_t seed, uint64_t rep, double *u,
                      dcs_err *err);

/* One block's uniforms, kept for the next replications of that block: one
 * per thread, owned by its caller (nothing shared). It is keyed by the
 * seed, the block and a copy of the correlation, so a cache may serve any
 * scenario: the values it gives are those dcs_corr_uniforms computes. */
typedef struct dcs_corr_cache {
    bool valid;
    uint64_t seed, block;
    dcs_correlation c;
    double u[DCS_CORR_BLOCK][DCS_MAX_UNCERTAIN]; /* [replication in block][key] */
} dcs_corr_cache;

/* Empties cc. */
void dcs_corr_cache_init(dcs_corr_cache *cc);

/* n empty caches, one for each thread number below n (free them with
 * free()); NULL when out of memory. */
dcs_corr_cache *dcs_corr_caches_create(int n);

/* dcs_corr_uniforms through cc: the block is computed only when cc does not
 * hold it. Returns 0, or DCS_ENOMEM with err filled. */
int dcs_corr_uniforms_cached(const dcs_correlation *c, dcs_corr_cache *cc, gsl_rng *r,
                             uint64_t seed, uint64_t rep, double *u, dcs_err *err);

/* The values replication rep draws under master seed `seed` of every
 * uncertain input of s (a scenario loaded with its nominal values): v[i]
 * for s->uncertain[i], the value its own load of the replication holds (a
 * key set to a plain value: that value). r is a scratch stream. Returns 0,
 * or DCS_ENOMEM with err filled. */
int dcs_uncertain_values(const dcs_scenario *s, gsl_rng *r, uint64_t seed, uint64_t rep, double *v,
                         dcs_err *err);

#endif /* DCSIM_MODELS_CORRELATION_H */
