/*
 * uncertain.h - the distributions of uncertain inputs: drawing, moments,
 * and the random stream of each key.
 *
 * Every draw is one uniform through the inverse distribution function, so a
 * replication draws exactly one number from its key's stream whatever the
 * kind. The stream of a key is derived from its path alone
 * (dcs_uncertain_stream), so replication r draws the same value of a key at
 * every sweep point and in every file of one seed: common random numbers.
 */
#ifndef DCSIM_MODELS_UNCERTAIN_H
#define DCSIM_MODELS_UNCERTAIN_H

#ifndef DCS_LAYER_MODELS
#error "models/ is not visible from sim/"
#endif

#include "config.h"

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* The kind names of the scenario files, in dcs_ud_kind order. */
extern const char *const dcs_ud_names[];

/* The stream id of key path `path`: DCS_STREAM_INPUT_FIRST (streams.h)
 * plus a 31-bit FNV-1a hash of the path. */
uint32_t dcs_uncertain_stream(const char *path);

/* Lognormal: the mean and sd of log X. */
void dcs_udist_lognormal(const dcs_udist *d, double *mu, double *sigma);

/* The value at probability u in (0, 1) (the inverse distribution function;
 * choice and empirical: the value whose cumulative weight first passes u). */
double dcs_udist_quantile(const dcs_udist *d, double u);

/* Draws one value: dcs_udist_quantile of one uniform from r. */
double dcs_udist_draw(const dcs_udist *d, gsl_rng *r);

/* Replication rep's uniform in (0, 1) of the input at `path` under master
 * seed `seed`: the one number its draw maps through the distribution. */
double dcs_uncertain_uniform(const char *path, gsl_rng *r, uint64_t seed, uint64_t rep);

/* Draws replication rep's value of the input at `path` under master seed
 * `seed`: keys r to the path's stream first. */
double dcs_uncertain_draw(const dcs_udist *d, const char *path, gsl_rng *r, uint64_t seed,
                          uint64_t rep);

/* The value a scenario holds when nothing is drawn: the value, the middle of
 * a uniform, the mode, the (truncated) mean of a normal, the median of a
 * lognormal, the most likely choice (the first of equals), the lower median
 * of an empirical sample. */
double dcs_udist_nominal(const dcs_udist *d);

/* Analytic mean and variance (empirical: of the sample, over n). */
double dcs_udist_mean(const dcs_udist *d);
double dcs_udist_variance(const dcs_udist *d);

/* The smallest and largest value (infinite for unbounded kinds). */
void dcs_udist_support(const dcs_udist *d, double *min, double *max);

#endif /* DCSIM_MODELS_UNCERTAIN_H */
