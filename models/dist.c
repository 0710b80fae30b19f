/*
 * dist.c - mean-parameterised duration distributions on GSL.
 *
 * Weibull with shape k and mean m has scale m / Gamma(1 + 1/k); lognormal
 * with log-sd sigma and mean m has log-mean ln m - sigma^2 / 2. Both
 * conversions are exact, so a class given as "MTBF 50,000 h, Weibull k =
 * 0.7" fails on average every 50,000 h, as a planner would expect.
 */
#include "dist.h"

#include "status.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>

int dcs_sampler_init(dcs_sampler *s, const dcs_dist *d)
{
    s->kind = d->kind;
    s->a = d->mean_s;
    s->b = d->shape;
    if (!isfinite(d->mean_s) || d->mean_s < 0.0)
        return DCS_EINPUT;
    switch (d->kind) {
    case DCS_DIST_FIXED:
        return 0;
    case DCS_DIST_EXPONENTIAL:
        return d->mean_s > 0.0 ? 0 : DCS_EINPUT;
    case DCS_DIST_WEIBULL:
        if (!(d->mean_s > 0.0 && d->shape > 0.0 && isfinite(d->shape)))
            return DCS_EINPUT;
        s->a = d->mean_s / gsl_sf_gamma(1.0 + 1.0 / d->shape);
        return 0;
    case DCS_DIST_LOGNORMAL:
        if (!(d->mean_s > 0.0 && d->shape > 0.0 && isfinite(d->shape)))
            return DCS_EINPUT;
        s->a = log(d->mean_s) - 0.5 * d->shape * d->shape;
        return 0;
    }
    return DCS_EINPUT;
}

double dcs_sampler_draw(const dcs_sampler *s, gsl_rng *r)
{
    switch (s->kind) {
    case DCS_DIST_FIXED:
        return s->a;
    case DCS_DIST_EXPONENTIAL:
        return gsl_ran_exponential(r, s->a);
    case DCS_DIST_WEIBULL:
        return gsl_ran_weibull(r, s->a, s->b);
    case DCS_DIST_LOGNORMAL:
        return gsl_ran_lognormal(r, s->a, s->b);
    }
    return s->a;
}

double dcs_sampler_cdf(const dcs_sampler *s, double x)
{
    switch (s->kind) {
    case DCS_DIST_FIXED:
        return x >= s->a ? 1.0 : 0.0;
    case DCS_DIST_EXPONENTIAL:
        return gsl_cdf_exponential_P(x, s->a);
    case DCS_DIST_WEIBULL:
        return gsl_cdf_weibull_P(x, s->a, s->b);
    case DCS_DIST_LOGNORMAL:
        return gsl_cdf_lognormal_P(x, s->a, s->b);
    }
    return 0.0;
}

double dcs_sampler_survival(const dcs_sampler *s, double x)
{
    return 1.0 - dcs_sampler_cdf(s, x);
}
