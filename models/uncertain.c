/*
 * uncertain.c - the distributions of uncertain inputs (uncertain.h).
 *
 * Formulas: triangular and PERT as in Vose, "Risk Analysis" (3rd ed., 2008),
 * ch. 8 (PERT: Beta(1 + 4 (mode - min) / (max - min), 1 + 4 (max - mode) /
 * (max - min)) on [min, max]); the truncated normal's moments as in Johnson,
 * Kotz and Balakrishnan, "Continuous Univariate Distributions" vol. 1
 * (2nd ed., 1994), sec. 10.1; the lognormal by its median and a percentile
 * with z(0.95) = 1.6448536269514722.
 */
#include "uncertain.h"

#include "streams.h"

#include "rng.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#define Z95 1.6448536269514722

const char *const dcs_ud_names[] = {"fixed",     "uniform", "triangular", "pert", "normal",
                                    "lognormal", "choice",  "empirical",  NULL};

uint32_t dcs_uncertain_stream(const char *path)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)path; *p != '\0'; p++) {
        h ^= *p;
        h *= 16777619u;
    }
    return DCS_STREAM_INPUT_FIRST | (h & 0x7fffffffu);
}

void dcs_udist_lognormal(const dcs_udist *d, double *mu, double *sigma)
{
    switch (d->form) {
    case DCS_LN_MEAN_SD: {
        double s2 = log1p((d->b / d->a) * (d->b / d->a));
        *sigma = sqrt(s2);
        *mu = log(d->a) - 0.5 * s2;
        return;
    }
    case DCS_LN_MEDIAN_P95:
        *mu = log(d->a);
        *sigma = (log(d->b) - *mu) / Z95;
        return;
    case DCS_LN_MEDIAN_P05:
        *mu = log(d->a);
        *sigma = (*mu - log(d->b)) / Z95;
        return;
    }
    *mu = log(d->a);
    *sigma = 0.0;
}

/* PERT's Beta shapes. */
static void pert_shapes(const dcs_udist *d, double *al, double *be)
{
    double w = d->c - d->a;
    *al = 1.0 + 4.0 * (d->b - d->a) / w;
    *be = 1.0 + 4.0 * (d->c - d->b) / w;
}

/* The normal's truncation in standard units and its mass. */
static void normal_bounds(const dcs_udist *d, double *al, double *be, double *pa, double *pb)
{
    *al = (d->lo - d->a) / d->b;
    *be = (d->hi - d->a) / d->b;
    *pa = isfinite(*al) ? gsl_cdf_ugaussian_P(*al) : (*al < 0 ? 0.0 : 1.0);
    *pb = isfinite(*be) ? gsl_cdf_ugaussian_P(*be) : (*be < 0 ? 0.0 : 1.0);
}

/* The lognormal's truncation to [lo, hi] in standard units of log X (lo <= 0:
 * none below) and its mass. */
static void lognormal_bounds(const dcs_udist *d, double mu, double sigma, double *al, double *be,
                             double *pa, double *pb)
{
    *al = d->lo > 0.0 ? (log(d->lo) - mu) / sigma : -(double)INFINITY;
    *be = isfinite(d->hi) ? (log(d->hi) - mu) / sigma : (double)INFINITY;
    *pa = isfinite(*al) ? gsl_cdf_ugaussian_P(*al) : 0.0;
    *pb = isfinite(*be) ? gsl_cdf_ugaussian_P(*be) : 1.0;
}

/* The value of a choice or empirical distribution at probability u. */
static double discrete_quantile(const dcs_udist *d, double u)
{
    int n = d->nvalues;
    if (d->kind == DCS_UD_EMPIRICAL) {
        int i = (int)(u * n);
        return d->values[i < n ? i : n - 1];
    }
    double total = 0.0;
    for (int i = 0; i < n; i++)
        total += d->weights[i];
    double acc = 0.0;
    for (int i = 0; i < n; i++) {
        acc += d->weights[i];
        if (u * total < acc)
            return d->values[i];
    }
    for (int i = n - 1; i > 0; i--) /* u * total rounded up to the total: the last weighted one */
        if (d->weights[i] > 0.0)
            return d->values[i];
    return d->values[0];
}

double dcs_udist_quantile(const dcs_udist *d, double u)
{
    switch (d->kind) {
    case DCS_UD_FIXED:
        return d->a;
    case DCS_UD_UNIFORM:
        return d->a + u * (d->c - d->a);
    case DCS_UD_TRIANGULAR: {
        double w = d->c - d->a;
        if (!(w > 0.0))
            return d->a;
        double f = (d->b - d->a) / w;
        if (u < f)
            return d->a + sqrt(u * w * (d->b - d->a));
        return d->c - sqrt((1.0 - u) * w * (d->c - d->b));
    }
    case DCS_UD_PERT: {
        if (!(d->c - d->a > 0.0))
            return d->a;
        double al, be;
        pert_shapes(d, &al, &be);
        return d->a + (d->c - d->a) * gsl_cdf_beta_Pinv(u, al, be);
    }
    case DCS_UD_NORMAL: {
        if (!(d->b > 0.0))
            return d->a;
        double al, be, pa, pb;
        normal_bounds(d, &al, &be, &pa, &pb);
        double x = d->a + d->b * gsl_cdf_ugaussian_Pinv(pa + u * (pb - pa));
        return x < d->lo ? d->lo : x > d->hi ? d->hi : x;
    }
    case DCS_UD_LOGNORMAL: {
        double mu, sigma, al, be, pa, pb;
        dcs_udist_lognormal(d, &mu, &sigma);
        lognormal_bounds(d, mu, sigma, &al, &be, &pa, &pb);
        double x = exp(mu + sigma * gsl_cdf_ugaussian_Pinv(pa + u * (pb - pa)));
        return x < d->lo ? d->lo : x > d->hi ? d->hi : x;
    }
    case DCS_UD_CHOICE:
    case DCS_UD_EMPIRICAL:
        return discrete_quantile(d, u);
    case DCS_UD_NKINDS:
        break;
    }
    return NAN;
}

double dcs_udist_draw(const dcs_udist *d, gsl_rng *r)
{
    return dcs_udist_quantile(d, gsl_rng_uniform_pos(r));
}

double dcs_uncertain_uniform(const char *path, gsl_rng *r, uint64_t seed, uint64_t rep)
{
    dcs_rng_key(r, seed, rep, dcs_uncertain_stream(path));
    return gsl_rng_uniform_pos(r);
}

double dcs_uncertain_draw(const dcs_udist *d, const char *path, gsl_rng *r, uint64_t seed,
                          uint64_t rep)
{
    return dcs_udist_quantile(d, dcs_uncertain_uniform(path, r, seed, rep));
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double dcs_udist_nominal(const dcs_udist *d)
{
    switch (d->kind) {
    case DCS_UD_FIXED:
        return d->a;
    case DCS_UD_UNIFORM:
        return 0.5 * (d->a + d->c);
    case DCS_UD_TRIANGULAR:
    case DCS_UD_PERT:
        return d->b;
    case DCS_UD_NORMAL:
        return dcs_udist_mean(d);
    case DCS_UD_LOGNORMAL: {
        double mu, sigma;
        dcs_udist_lognormal(d, &mu, &sigma);
        double x = exp(mu);
        return x < d->lo ? d->lo : x > d->hi ? d->hi : x;
    }
    case DCS_UD_CHOICE: {
        int best = 0;
        for (int i = 1; i < d->nvalues; i++)
            if (d->weights[i] > d->weights[best])
                best = i;
        return d->values[best];
    }
    case DCS_UD_EMPIRICAL: {
        double v[DCS_UNC_MAX_VALUES];
        int n = d->nvalues;
        for (int i = 0; i < n; i++)
            v[i] = d->values[i];
        qsort(v, (size_t)n, sizeof v[0], cmp_double);
        return v[(n - 1) / 2];
    }
    case DCS_UD_NKINDS:
        break;
    }
    return NAN;
}

/* The standard normal density, 0 at infinity; x phi(x) likewise. */
static double phi(double x)
{
    return isfinite(x) ? gsl_ran_ugaussian_pdf(x) : 0.0;
}

static double xphi(double x)
{
    return isfinite(x) ? x * gsl_ran_ugaussian_pdf(x) : 0.0;
}

/* Mean and variance of a discrete distribution. */
static void discrete_moments(const dcs_udist *d, double *mean, double *var)
{
    double sw = 0.0, m = 0.0, m2 = 0.0;
    for (int i = 0; i < d->nvalues; i++) {
        double w = d->kind == DCS_UD_CHOICE ? d->weights[i] : 1.0;
        sw += w;
        m += w * d->values[i];
    }
    m /= sw;
    for (int i = 0; i < d->nvalues; i++) {
        double w = d->kind == DCS_UD_CHOICE ? d->weights[i] : 1.0;
        m2 += w * (d->values[i] - m) * (d->values[i] - m);
    }
    *mean = m;
    *var = m2 / sw;
}

static void moments(const dcs_udist *d, double *mean, double *var)
{
    double a = d->a, b = d->b, c = d->c;
    switch (d->kind) {
    case DCS_UD_FIXED:
        *mean = a;
        *var = 0.0;
        return;
    case DCS_UD_UNIFORM:
        *mean = 0.5 * (a + c);
        *var = (c - a) * (c - a) / 12.0;
        return;
    case DCS_UD_TRIANGULAR:
        *mean = (a + b + c) / 3.0;
        *var = (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0;
        return;
    case DCS_UD_PERT: {
        if (!(c - a > 0.0)) {
            *mean = a;
            *var = 0.0;
            return;
        }
        double al, be;
        pert_shapes(d, &al, &be);
        *mean = a + (c - a) * al / (al + be);
        *var = (c - a) * (c - a) * al * be / ((al + be) * (al + be) * (al + be + 1.0));
        return;
    }
    case DCS_UD_NORMAL: {
        if (!(b > 0.0)) {
            *mean = a;
            *var = 0.0;
            return;
        }
        double al, be, pa, pb;
        normal_bounds(d, &al, &be, &pa, &pb);
        double z = pb - pa, r = (phi(al) - phi(be)) / z;
        *mean = a + b * r;
        *var = b * b * (1.0 + (xphi(al) - xphi(be)) / z - r * r);
        return;
    }
    case DCS_UD_LOGNORMAL: {
        /* truncated: E[X^k] = exp(k mu + k^2 s^2 / 2) (Phi(be - k s) - Phi(al - k s)) / Z */
        double mu, s, al, be, pa, pb;
        dcs_udist_lognormal(d, &mu, &s);
        lognormal_bounds(d, mu, s, &al, &be, &pa, &pb);
        if (pa == 0.0 && pb == 1.0) {
            *mean = exp(mu + 0.5 * s * s);
            *var = expm1(s * s) * exp(2.0 * mu + s * s);
            return;
        }
        double z = pb - pa;
        double m1 =
            exp(mu + 0.5 * s * s) * (gsl_cdf_ugaussian_P(be - s) - gsl_cdf_ugaussian_P(al - s)) / z;
        double m2 = exp(2.0 * mu + 2.0 * s * s) *
                    (gsl_cdf_ugaussian_P(be - 2.0 * s) - gsl_cdf_ugaussian_P(al - 2.0 * s)) / z;
        *mean = m1;
        *var = m2 - m1 * m1;
        return;
    }
    case DCS_UD_CHOICE:
    case DCS_UD_EMPIRICAL:
        discrete_moments(d, mean, var);
        return;
    case DCS_UD_NKINDS:
        break;
    }
    *mean = *var = NAN;
}

double dcs_udist_mean(const dcs_udist *d)
{
    double m, v;
    moments(d, &m, &v);
    return m;
}

double dcs_udist_variance(const dcs_udist *d)
{
    double m, v;
    moments(d, &m, &v);
    return v;
}

void dcs_udist_support(const dcs_udist *d, double *min, double *max)
{
    switch (d->kind) {
    case DCS_UD_FIXED:
        *min = *max = d->a;
        return;
    case DCS_UD_UNIFORM:
    case DCS_UD_TRIANGULAR:
    case DCS_UD_PERT:
        *min = d->a;
        *max = d->c;
        return;
    case DCS_UD_NORMAL:
        *min = d->b > 0.0 ? d->lo : d->a;
        *max = d->b > 0.0 ? d->hi : d->a;
        return;
    case DCS_UD_LOGNORMAL:
        *min = d->lo > 0.0 ? d->lo : 0.0;
        *max = d->hi;
        return;
    case DCS_UD_CHOICE:
    case DCS_UD_EMPIRICAL:
        *min = INFINITY;
        *max = -INFINITY;
        for (int i = 0; i < d->nvalues; i++) {
            if (d->kind == DCS_UD_CHOICE && !(d->weights[i] > 0.0))
                continue;
            *min = fmin(*min, d->values[i]);
            *max = fmax(*max, d->values[i]);
        }
        return;
    case DCS_UD_NKINDS:
        break;
    }
    *min = *max = NAN;
}
