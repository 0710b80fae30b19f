/*
 * correlation.c - Iman-Conover rank correlation of uncertain inputs
 * (correlation.h).
 */
#include "correlation.h"

#include "streams.h"
#include "uncertain.h"

#include "rng.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NMAX DCS_MAX_UNCERTAIN
#define B    DCS_CORR_BLOCK
#define PI   3.14159265358979323846

bool dcs_corr_active(const dcs_correlation *c)
{
    for (int i = 0; i < c->n; i++)
        for (int j = 0; j < c->n; j++)
            if (i != j && c->m[i][j] != 0.0)
                return true;
    return false;
}

double dcs_corr_min_eigenvalue(const dcs_correlation *c)
{
    size_t n = (size_t)c->n;
    gsl_matrix *a = gsl_matrix_alloc(n, n);
    gsl_vector *ev = gsl_vector_alloc(n);
    gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(n);
    double min = (double)NAN;
    if (a != NULL && ev != NULL && w != NULL) {
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++)
                gsl_matrix_set(a, i, j, c->m[i][j]);
        gsl_eigen_symm(a, ev, w);
        min = gsl_vector_min(ev);
    }
    gsl_eigen_symm_free(w);
    gsl_vector_free(ev);
    gsl_matrix_free(a);
    return min;
}

/* The lower Cholesky factor l of the n x n positive semi-definite a: a
 * pivot that is 0 up to rounding gives a zero column. Returns -1 when a is
 * not positive semi-definite. */
static int cholesky(int n, const double a[NMAX][NMAX], double l[NMAX][NMAX])
{
    memset(l, 0, sizeof(double[NMAX][NMAX]));
    for (int j = 0; j < n; j++) {
        double d = a[j][j];
        for (int k = 0; k < j; k++)
            d -= l[j][k] * l[j][k];
        if (d < -1e-10)
            return -1;
        if (d <= 1e-12)
            continue; /* a zero column: a[j] depends on the columns before it */
        l[j][j] = sqrt(d);
        for (int i = j + 1; i < n; i++) {
            double s = a[i][j];
            for (int k = 0; k < j; k++)
                s -= l[i][k] * l[j][k];
            l[i][j] = s / l[j][j];
        }
    }
    return 0;
}

/* The Cholesky factor of the scores' target: the Pearson correlation that
 * gives normal scores c's Spearman correlation, or c's own matrix. */
static void target_factor(const dcs_correlation *c, double p[NMAX][NMAX])
{
    double r[NMAX][NMAX];
    for (int i = 0; i < c->n; i++)
        for (int j = 0; j < c->n; j++)
            r[i][j] = i == j ? 1.0 : 2.0 * sin(PI * c->m[i][j] / 6.0);
    if (cholesky(c->n, (const double(*)[NMAX])r, p) != 0)
        (void)cholesky(c->n, (const double(*)[NMAX])c->m, p); /* PSD: checked by the loader */
}

/* Block b's score matrix s[B][n]: column k a random permutation of the van
 * der Waerden scores, from the block's own stream. */
static void scores(int n, gsl_rng *r, uint64_t seed, uint64_t b, double *s)
{
    double sc[B];
    for (int i = 0; i < B; i++)
        sc[i] = gsl_cdf_ugaussian_Pinv((i + 1.0) / (B + 1.0));
    dcs_rng_key(r, seed, b, DCS_STREAM_CORRELATION);
    for (int k = 0; k < n; k++) {
        int idx[B];
        for (int i = 0; i < B; i++)
            idx[i] = i;
        for (int i = B - 1; i > 0; i--) { /* Fisher-Yates */
            int j = (int)gsl_rng_uniform_int(r, (unsigned long)i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        for (int i = 0; i < B; i++)
            s[i * n + k] = sc[idx[i]];
    }
}

/* t = s (Q^-1)' P': each row y = Q^-1 s_i, then t_i = P y. */
static void induce(int n, const double *s, const double p[NMAX][NMAX], double *t)
{
    double mean[NMAX] = {0}, e[NMAX][NMAX], q[NMAX][NMAX];
    for (int i = 0; i < B; i++)
        for (int k = 0; k < n; k++)
            mean[k] += s[i * n + k] / B;
    for (int k = 0; k < n; k++)
        for (int l = 0; l <= k; l++) {
            double sum = 0.0;
            for (int i = 0; i < B; i++)
                sum += (s[i * n + k] - mean[k]) * (s[i * n + l] - mean[l]);
            e[k][l] = e[l][k] = sum;
        }
    double sd[NMAX];
    for (int k = 0; k < n; k++)
        sd[k] = sqrt(e[k][k]);
    for (int k = 0; k < n; k++)
        for (int l = 0; l < n; l++)
            e[k][l] /= sd[k] * sd[l];
    bool ok = cholesky(n, (const double(*)[NMAX])e, q) == 0;
    for (int k = 0; ok && k < n; k++)
        ok = q[k][k] > 0.0;
    for (int i = 0; i < B; i++) {
        double y[NMAX];
        for (int k = 0; k < n; k++) {
            double v = s[i * n + k];
            if (ok) {
                for (int l = 0; l < k; l++)
                    v -= q[k][l] * y[l];
                v /= q[k][k];
            }
            y[k] = v;
        }
        for (int k = 0; k < n; k++) {
            double v = 0.0;
            for (int l = 0; l <= k; l++)
                v += p[k][l] * y[l];
            t[i * n + k] = v;
        }
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A replication of a block and its transformed score in one column, for
 * ranking: ties go by replication, so each rank is taken once. */
typedef struct ranked {
    double t;
    int i;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->t != y->t)
        return (x->t > y->t) - (x->t < y->t);
    return (x->i > y->i) - (x->i < y->i);
}

/* Every replication's uniforms of block b into cc->u, and cc keyed by it. */
static int corr_block(const dcs_correlation *c, gsl_rng *r, uint64_t seed, uint64_t b,
                      dcs_corr_cache *cc, dcs_err *err)
{
    int n = c->n;
    double *s = malloc(sizeof(double) * B * (size_t)n * 2);
    if (s == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory for the correlation of the inputs");
    double *t = s + B * (size_t)n, p[NMAX][NMAX];
    target_factor(c, p);
    scores(n, r, seed, b, s);
    induce(n, s, (const double(*)[NMAX])p, t);
    for (int k = 0; k < n; k++) {
        ranked order[B];
        double v[B];
        for (int j = 0; j < B; j++) {
            order[j] = (ranked){t[j * n + k], j};
            v[j] = dcs_uncertain_uniform(c->keys[k], r, seed, b * B + (uint64_t)j);
        }
        qsort(order, B, sizeof order[0], cmp_ranked);
        qsort(v, B, sizeof v[0], cmp_double);
        for (int rank = 0; rank < B; rank++)
            cc->u[order[rank].i][k] = v[rank];
    }
    free(s);
    cc->valid = true;
    cc->seed = seed;
    cc->block = b;
    cc->c = *c;
    return 0;
}

/* Whether cc holds block b under `seed` of correlation c. */
static bool cache_holds(const dcs_corr_cache *cc, const dcs_correlation *c, uint64_t seed,
                        uint64_t b)
{
    if (!cc->valid || cc->seed != seed || cc->block != b || cc->c.n != c->n)
        return false;
    for (int i = 0; i < c->n; i++) {
        if (strcmp(cc->c.keys[i], c->keys[i]) != 0)
            return false;
        for (int j = 0; j < c->n; j++)
            if (cc->c.m[i][j] != c->m[i][j])
                return false;
    }
    return true;
}

void dcs_corr_cache_init(dcs_corr_cache *cc)
{
    cc->valid = false;
}

dcs_corr_cache *dcs_corr_caches_create(int n)
{
    dcs_corr_cache *cc = malloc((size_t)(n > 0 ? n : 1) * sizeof *cc);
    for (int i = 0; cc != NULL && i < n; i++)
        dcs_corr_cache_init(&cc[i]);
    return cc;
}

int dcs_corr_uniforms_cached(const dcs_correlation *c, dcs_corr_cache *cc, gsl_rng *r,
                             uint64_t seed, uint64_t rep, double *u, dcs_err *err)
{
    uint64_t b = rep / B;
    if (!cache_holds(cc, c, seed, b)) {
        int rc = corr_block(c, r, seed, b, cc, err);
        if (rc != 0)
            return rc;
    }
    memcpy(u, cc->u[rep % B], sizeof(double) * (size_t)c->n);
    return 0;
}

int dcs_corr_uniforms(const dcs_correlation *c, gsl_rng *r, uint64_t seed, uint64_t rep, double *u,
                      dcs_err *err)
{
    dcs_corr_cache *cc = malloc(sizeof *cc);
    if (cc == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory for the correlation of the inputs");
    dcs_corr_cache_init(cc);
    int rc = dcs_corr_uniforms_cached(c, cc, r, seed, rep, u, err);
    free(cc);
    return rc;
}

int dcs_uncertain_values(const dcs_scenario *s, gsl_rng *r, uint64_t seed, uint64_t rep, double *v,
                         dcs_err *err)
{
    const dcs_correlation *c = &s->correlation;
    double cu[NMAX];
    bool active = dcs_corr_active(c);
    if (active && dcs_corr_uniforms(c, r, seed, rep, cu, err) != 0)
        return err->code;
    for (int i = 0; i < s->nuncertain; i++) {
        const dcs_uncertain *u = &s->uncertain[i];
        int j = 0;
        while (active && j < c->n && strcmp(c->keys[j], u->path) != 0)
            j++;
        if (u->set)
            v[i] = u->value;
        else if (active && j < c->n)
            v[i] = dcs_udist_quantile(&u->d, cu[j]);
        else
            v[i] = dcs_uncertain_draw(&u->d, u->path, r, seed, rep);
    }
    return 0;
}
