/*
 * test_rng.c - dcsim's random streams (sim/rng.c).
 *
 * Known answers pin the first draws of four keys, so that any change to the
 * keying (and so to every published result) fails loudly. Their provenance
 * is independent of rng.c: each is recomputed here by calling Random123's
 * philox4x64 directly on counter {replication, stream, 0, 0} and key
 * {seed, 0x646373696d} ("dcsim"), and taking the low 32 bits of words 3, 2,
 * 1, 0 of the output block in that order, which is what the GSL_MICRORNG
 * adapter in <Random123/gsl_microrng.h> does (it returns r.v[--elem] with
 * elem starting at 4, and puts its block count in the top 32 bits of
 * counter word 3). The statistical checks are coarse sanity checks with
 * tolerances derived in comments; thread-count independence is checked as
 * exact equality of arrays.
 */
#include "rng.h"

#include <Random123/philox.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

TestSuite(rng, .timeout = 60);

typedef struct key {
    uint64_t seed;
    uint64_t rep;
    uint32_t stream;
} key;

static const key known_keys[4] = {{1, 0, 0}, {1, 0, 1}, {1, 1, 0}, {42, 7, 3}};

/* First four gsl_rng_get() values of each key, computed once with rng.c and
 * cross-checked against philox4x64 in known_answers_match_philox4x64. */
static const unsigned long known_draws[4][4] = {
    {0xba5c15f8u, 0xb2122d7au, 0xde5070fbu, 0x30b9dbcau},
    {0x8f174418u, 0x6c507d35u, 0x51cb66c2u, 0xa7435578u},
    {0x5f934789u, 0x1cc7948au, 0xe2d0d5fcu, 0x905b6a2fu},
    {0xb47bdcd1u, 0x42012387u, 0xa0550652u, 0x7ecd21fbu},
};

static gsl_rng *keyed(key k)
{
    gsl_rng *r = dcs_rng_create(NULL);
    cr_assert_not_null(r);
    dcs_rng_key(r, k.seed, k.rep, k.stream);
    return r;
}

Test(rng, type_is_32_bit_philox)
{
    const gsl_rng_type *t = dcs_rng_type();
    cr_assert_not_null(t);
    cr_assert_str_eq(t->name, "dcsim_philox4x64");
    cr_assert_eq(t->min, 0);
    cr_assert_eq(t->max, 0xffffffffUL);
}

Test(rng, known_answers)
{
    for (int i = 0; i < 4; i++) {
        gsl_rng *r = keyed(known_keys[i]);
        for (int j = 0; j < 4; j++) {
            unsigned long got = gsl_rng_get(r);
            cr_assert_eq(got, known_draws[i][j], "key %d draw %d: got 0x%08lx, want 0x%08lx", i, j,
                         got, known_draws[i][j]);
        }
        gsl_rng_free(r);
    }
}

/* The j-th output (j = 0..3) of block n of a key, by a direct Philox call. */
static unsigned long philox_draw(key k, uint64_t n, int j)
{
    philox4x64_ctr_t c = {{k.rep, k.stream, 0, n << 32}};
    philox4x64_key_t kk = {{k.seed, UINT64_C(0x646373696d)}};
    philox4x64_ctr_t out = philox4x64(c, kk);
    return (unsigned long)(out.v[3 - j] & 0xffffffffu);
}

Test(rng, known_answers_match_philox4x64)
{
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            cr_assert_eq(philox_draw(known_keys[i], 0, j), known_draws[i][j],
                         "key %d draw %d: the pinned value is not Philox's", i, j);
    /* The second and third blocks count in the top half of counter word 3. */
    gsl_rng *r = keyed(known_keys[3]);
    for (int j = 0; j < 4; j++)
        (void)gsl_rng_get(r);
    for (uint64_t n = 1; n <= 2; n++)
        for (int j = 0; j < 4; j++)
            cr_assert_eq(gsl_rng_get(r), philox_draw(known_keys[3], n, j), "block %llu draw %d",
                         (unsigned long long)n, j);
    gsl_rng_free(r);
}

Test(rng, streams_are_reproducible_after_rekeying)
{
    enum { N = 1000 };
    static unsigned long a[N], b[N];
    key k = {2385, 11, 4};
    gsl_rng *r = keyed(k);
    for (int i = 0; i < N; i++)
        a[i] = gsl_rng_get(r);
    /* Re-key the same object after drawing from another key. */
    dcs_rng_key(r, 99, 3, 1);
    (void)gsl_rng_uniform(r);
    (void)gsl_rng_get(r);
    dcs_rng_key(r, k.seed, k.rep, k.stream);
    for (int i = 0; i < N; i++)
        b[i] = gsl_rng_get(r);
    cr_assert_arr_eq(a, b, sizeof a);
    /* And a fresh object with the same key. */
    gsl_rng *s = keyed(k);
    for (int i = 0; i < N; i++)
        b[i] = gsl_rng_get(s);
    cr_assert_arr_eq(a, b, sizeof a);
    gsl_rng_free(r);
    gsl_rng_free(s);
}

Test(rng, distinct_keys_give_distinct_streams)
{
    /* Keys differing in one component only, including the top bits. */
    const key keys[] = {
        {1, 0, 0},          {2, 0, 0},          {1, 1, 0},          {1, 0, 1},
        {1, UINT64_MAX, 0}, {1, 0, UINT32_MAX}, {UINT64_MAX, 0, 0}, {1, UINT64_C(1) << 32, 0},
    };
    enum { K = sizeof keys / sizeof keys[0], N = 8 };
    unsigned long d[K][N];
    for (int i = 0; i < K; i++) {
        gsl_rng *r = keyed(keys[i]);
        for (int j = 0; j < N; j++)
            d[i][j] = gsl_rng_get(r);
        gsl_rng_free(r);
    }
    for (int i = 0; i < K; i++)
        for (int j = i + 1; j < K; j++)
            cr_assert_arr_neq(d[i], d[j], sizeof d[i], "keys %d and %d give the same stream", i, j);
}

/*
 * Uniform moments and cross-correlation over n = 10^5 draws.
 * Mean: sd of U(0,1) is 1/sqrt(12), so SE = 1/sqrt(12 n) = 9.1e-4; a 4 SE
 * band fails a correct generator with probability 6e-5.
 * Correlation of two independent streams: under independence the sample
 * correlation is approximately N(0, 1/n), so 4/sqrt(n) = 0.0126 is again a
 * 4-sigma band (false failure probability 6e-5).
 */
Test(rng, streams_look_uniform_and_independent)
{
    enum { N = 100000 };
    gsl_rng *a = keyed((key){2385, 5, 0});
    gsl_rng *b = keyed((key){2385, 5, 1});
    double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    for (int i = 0; i < N; i++) {
        double x = gsl_rng_uniform(a), y = gsl_rng_uniform(b);
        cr_assert(x >= 0.0 && x < 1.0);
        sa += x;
        sb += y;
        saa += x * x;
        sbb += y * y;
        sab += x * y;
    }
    double n = N;
    double ma = sa / n, mb = sb / n;
    double se = 1.0 / sqrt(12.0 * n);
    cr_assert(epsilon_eq(dbl, ma, 0.5, 4.0 * se), "mean of stream 0: %g", ma);
    cr_assert(epsilon_eq(dbl, mb, 0.5, 4.0 * se), "mean of stream 1: %g", mb);
    double cov = sab / n - ma * mb;
    double corr = cov / sqrt((saa / n - ma * ma) * (sbb / n - mb * mb));
    cr_assert(fabs(corr) < 4.0 / sqrt(n), "correlation %g", corr);
    /* Lag-1 correlation within a stream, same band. */
    dcs_rng_key(a, 2385, 5, 0);
    double prev = gsl_rng_uniform(a), s1 = 0;
    for (int i = 0; i < N; i++) {
        double x = gsl_rng_uniform(a);
        s1 += (prev - 0.5) * (x - 0.5);
        prev = x;
    }
    double lag1 = (s1 / n) * 12.0; /* divide by the variance 1/12 */
    cr_assert(fabs(lag1) < 4.0 / sqrt(n), "lag-1 correlation %g", lag1);
    gsl_rng_free(a);
    gsl_rng_free(b);
}

/*
 * gsl_ran_exponential on a stream: mean mu = 2.385, sd = mu, n = 10^5, so
 * SE = mu / sqrt(n) = 7.5e-3 and 4 SE = 0.030 (false failure < 1e-4).
 */
Test(rng, gsl_ran_exponential_works_on_a_stream)
{
    enum { N = 100000 };
    const double mu = 2.385;
    gsl_rng *r = keyed((key){7, 3, 2});
    double s = 0;
    for (int i = 0; i < N; i++) {
        double x = gsl_ran_exponential(r, mu);
        cr_assert(x >= 0.0 && isfinite(x));
        s += x;
    }
    double mean = s / N;
    cr_assert(epsilon_eq(dbl, mean, mu, 4.0 * mu / sqrt((double)N)), "mean %g", mean);
    gsl_rng_free(r);
}

enum { NKEYS = 64, NDRAWS = 257 };

/* Fills d[k] with NDRAWS draws of key k = (seed 2385, rep k / 8, stream k % 8),
 * each thread with its own generator. */
static void draw_keys(int nthreads, unsigned long (*d)[NDRAWS])
{
#pragma omp parallel num_threads(nthreads)
    {
        gsl_rng *r = dcs_rng_create(NULL);
#pragma omp for schedule(dynamic, 1)
        for (int k = 0; k < NKEYS; k++) {
            if (r == NULL)
                continue;
            dcs_rng_key(r, 2385, (uint64_t)(k / 8), (uint32_t)(k % 8));
            for (int j = 0; j < NDRAWS; j++)
                d[k][j] = gsl_rng_get(r);
        }
        gsl_rng_free(r);
    }
}

Test(rng, draws_do_not_depend_on_thread_count)
{
    static unsigned long one[NKEYS][NDRAWS], four[NKEYS][NDRAWS];
    memset(four, 0, sizeof four);
    draw_keys(1, one);
    draw_keys(4, four);
    cr_assert_arr_eq(one, four, sizeof one);
    /* And the result is not trivially equal: keys differ from each other. */
    cr_assert_arr_neq(one[0], one[1], sizeof one[0]);
    cr_assert_arr_neq(one[0], one[8], sizeof one[0]);
}
