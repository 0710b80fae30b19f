/*
 * test_correlation.c - rank correlation of uncertain inputs by Iman and
 * Conover's method (models/correlation.h).
 *
 * The target: three keys with Spearman correlations 0.6, -0.3 and 0.
 * S = 16 seeds (1..16, fixed), n = 1024 replications each (four blocks of
 * 256). Ranks of the uniforms are the ranks of the values of any continuous
 * distribution, so the Spearman correlation of the uniforms is that of the
 * values.
 *
 * Tolerances. Each seed's sample Spearman correlation r is held to the
 * target rho within 4 standard errors of independent sampling from a
 * normal copula: atanh(r) has sd sqrt(1.06 / (n - 3)) (Fieller, Hartley
 * and Pearson, Biometrika 44, 1957), and the method only narrows it. The
 * mean of r over the 16 seeds is held to rho within 4 of its standard
 * errors, the sample sd of r over the seeds / sqrt(16): this is where a
 * bias would show (the method without the 2 sin(pi rho / 6) correction
 * reaches 0.585 for 0.6, about 8 of these standard errors away).
 */
#include "correlation.h"

#include "rng.h"
#include "uncertain.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define K     3
#define NREP  1024
#define SEEDS 16

static dcs_correlation target(void)
{
    dcs_correlation c;
    memset(&c, 0, sizeof c);
    c.n = K;
    static const char *const keys[K] = {"failures[0].mtbf", "failures[0].repair_time", "job.mfu"};
    static const double m[K][K] = {{1.0, 0.6, -0.3}, {0.6, 1.0, 0.0}, {-0.3, 0.0, 1.0}};
    for (int i = 0; i < K; i++) {
        snprintf(c.keys[i], sizeof c.keys[i], "%s", keys[i]);
        for (int j = 0; j < K; j++)
            c.m[i][j] = m[i][j];
    }
    return c;
}

static const double *sort_base;

static int by_value(const void *a, const void *b)
{
    double x = sort_base[*(const int *)a], y = sort_base[*(const int *)b];
    return (x > y) - (x < y);
}

/* The ranks (0 .. n-1) of x[0..n-1]. */
static void ranks(const double *x, int n, double *rk)
{
    int *idx = malloc(sizeof(int) * (size_t)n);
    cr_assert_not_null(idx);
    for (int i = 0; i < n; i++)
        idx[i] = i;
    sort_base = x;
    qsort(idx, (size_t)n, sizeof idx[0], by_value);
    for (int i = 0; i < n; i++)
        rk[idx[i]] = i;
    free(idx);
}

static double pearson(const double *x, const double *y, int n)
{
    double mx = 0.0, my = 0.0, sxy = 0.0, sxx = 0.0, syy = 0.0;
    for (int i = 0; i < n; i++) {
        mx += x[i] / n;
        my += y[i] / n;
    }
    for (int i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / sqrt(sxx * syy);
}

/* The uniforms of every key for replications 0 .. n-1 under seed. */
static void draw(const dcs_correlation *c, uint64_t seed, int n, double u[K][NREP])
{
    dcs_err err;
    gsl_rng *r = dcs_rng_create(&err);
    cr_assert_not_null(r);
    for (int i = 0; i < n; i++) {
        double v[K];
        cr_assert_eq(dcs_corr_uniforms(c, r, seed, (uint64_t)i, v, &err), 0);
        for (int k = 0; k < K; k++)
            u[k][i] = v[k];
    }
    gsl_rng_free(r);
}

Test(correlation, spearman_correlation_reached_within_its_standard_errors)
{
    dcs_correlation c = target();
    static double u[K][NREP], rk[K][NREP];
    double sum[K][K] = {{0}}, sum2[K][K] = {{0}};
    double band = 4.0 * sqrt(1.06 / (NREP - 3));
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        draw(&c, seed, NREP, u);
        for (int k = 0; k < K; k++)
            ranks(u[k], NREP, rk[k]);
        for (int i = 0; i < K; i++)
            for (int j = i + 1; j < K; j++) {
                double r = pearson(rk[i], rk[j], NREP);
                cr_expect(fabs(atanh(r) - atanh(c.m[i][j])) <= band,
                          "seed %llu, keys %d and %d: Spearman %.4f, target %.2f",
                          (unsigned long long)seed, i, j, r, c.m[i][j]);
                sum[i][j] += r;
                sum2[i][j] += r * r;
            }
    }
    for (int i = 0; i < K; i++)
        for (int j = i + 1; j < K; j++) {
            double mean = sum[i][j] / SEEDS;
            double sd = sqrt(fmax(sum2[i][j] - SEEDS * mean * mean, 0.0) / (SEEDS - 1));
            double se = sd / sqrt(SEEDS);
            cr_log_info("keys %d and %d: mean Spearman %.5f over %d seeds, target %.2f, SE %.5f", i,
                        j, mean, SEEDS, c.m[i][j], se);
            cr_expect(fabs(mean - c.m[i][j]) <= 4.0 * se,
                      "keys %d and %d: mean Spearman %.5f, target %.2f (4 SE = %.5f)", i, j, mean,
                      c.m[i][j], 4.0 * se);
        }
}

/* The method only decides which replication of a block gets which of a
 * key's uniforms: over a whole block, each key has exactly the uniforms it
 * draws without a correlation, so its marginal distribution is untouched. */
Test(correlation, a_block_holds_each_keys_own_uniforms)
{
    dcs_correlation c = target();
    static double u[K][NREP];
    draw(&c, 7, DCS_CORR_BLOCK, u);
    dcs_err err;
    gsl_rng *r = dcs_rng_create(&err);
    cr_assert_not_null(r);
    static double own[DCS_CORR_BLOCK];
    int moved = 0;
    for (int k = 0; k < K; k++) {
        for (int i = 0; i < DCS_CORR_BLOCK; i++) {
            own[i] = dcs_uncertain_uniform(c.keys[k], r, 7, (uint64_t)i);
            moved += own[i] != u[k][i];
        }
        double rk1[DCS_CORR_BLOCK], rk2[DCS_CORR_BLOCK];
        ranks(own, DCS_CORR_BLOCK, rk1);
        ranks(u[k], DCS_CORR_BLOCK, rk2);
        double a[DCS_CORR_BLOCK], b[DCS_CORR_BLOCK];
        for (int i = 0; i < DCS_CORR_BLOCK; i++) {
            a[(int)rk1[i]] = own[i];
            b[(int)rk2[i]] = u[k][i];
        }
        cr_expect(memcmp(a, b, sizeof a) == 0, "key %d: the block's uniforms are not its own", k);
    }
    gsl_rng_free(r);
    cr_expect_gt(moved, DCS_CORR_BLOCK, "the method moved almost nothing (%d)", moved);
}

Test(correlation, identity_matrix_correlates_nothing)
{
    dcs_correlation c = target();
    cr_expect(dcs_corr_active(&c));
    c.m[0][1] = c.m[1][0] = c.m[0][2] = c.m[2][0] = 0.0;
    cr_expect(!dcs_corr_active(&c), "the identity counts as a correlation");
    cr_expect_float_eq(dcs_corr_min_eigenvalue(&c), 1.0, 1e-12);
}
