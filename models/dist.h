/*
 * dist.h - duration distributions given by their mean, ready to sample.
 *
 * Scenarios give every random duration by its mean (an MTBF, a mean repair
 * time) plus a shape; dcs_sampler_init() turns that into the parameters
 * GSL's samplers take, once, so that drawing costs one gsl_ran_* call.
 */
#ifndef DCSIM_MODELS_DIST_H
#define DCSIM_MODELS_DIST_H

#ifndef DCS_LAYER_MODELS
#error "models/ is not visible from sim/"
#endif

#include "config.h"

#include <gsl/gsl_rng.h>

typedef struct dcs_sampler {
    dcs_dist_kind kind;
    double a; /* exponential/fixed: mean; Weibull: scale; lognormal: mu of log */
    double b; /* Weibull: shape k; lognormal: sigma of log */
} dcs_sampler;

/* Prepares a sampler for d. Returns 0, or DCS_EINPUT when the mean or the
 * shape is not a positive finite number (fixed allows a mean of 0). */
int dcs_sampler_init(dcs_sampler *s, const dcs_dist *d);

/* Draws one duration, s. */
double dcs_sampler_draw(const dcs_sampler *s, gsl_rng *r);

/* Survival function P(X > x) of the distribution, for tests. */
double dcs_sampler_survival(const dcs_sampler *s, double x);

/* Cumulative distribution P(X <= x). */
double dcs_sampler_cdf(const dcs_sampler *s, double x);

#endif /* DCSIM_MODELS_DIST_H */
