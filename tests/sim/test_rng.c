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
#include "rng_zig.h"

#include <Random123/philox.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
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

/* The ziggurat's table (rng_zig.h) is the recurrence of Marsaglia and
 * Tsang, recomputed here as it was generated: in long double, each value
 * rounded to double once, zig_k from the rounded edges. Then what makes
 * the method exact: the edges fall from V / f(R) through R to 0, and every
 * strip above the base has area V (to rounding, 1e-9 relative). */
Test(rng, ziggurat_table_is_the_recurrence)
{
    const long double r = 7.69711747013104972L, v = 3.949659822581557e-3L;
    long double x = v / expl(-r);
    cr_assert(zig_x[0] == (double)x && zig_f[0] == (double)expl(-x));
    x = r;
    for (int j = 1; j < 256; j++) {
        cr_assert(zig_x[j] == (double)x, "zig_x[%d] = %a, not %a", j, zig_x[j], (double)x);
        cr_assert(zig_f[j] == (double)expl(-x), "zig_f[%d]", j);
        cr_assert(zig_x[j] < zig_x[j - 1], "zig_x falls at %d", j);
        x = -logl(v / x + expl(-x));
    }
    cr_assert(fabsl(x) < 1e-12L, "the recurrence ends at 0: %Lg", x);
    cr_assert(zig_x[256] == 0.0 && zig_f[256] == 1.0);
    for (int j = 0; j < 256; j++) {
        uint32_t k = (uint32_t)floorl(0x1p24L * (long double)zig_x[j + 1] / zig_x[j]);
        cr_assert(zig_k[j] == k, "zig_k[%d] = %u, not %u", j, zig_k[j], k);
        double area = j == 0 ? zig_x[0] * zig_f[1] : zig_x[j] * (zig_f[j + 1] - zig_f[j]);
        cr_assert(fabs(area / (double)v - 1.0) < 1e-9, "strip %d has area %.17g", j, area);
    }
}

/* Sorted exponential draws of mean 1 (mean `mu` divided out) from r. */
static double *exp_draws(gsl_rng *r, double mu, size_t n)
{
    double *x = malloc(n * sizeof *x);
    cr_assert_not_null(x);
    for (size_t i = 0; i < n; i++) {
        double d = dcs_rng_exponential(r, mu);
        cr_assert(d > 0.0 && isfinite(d), "draw %zu is %g", i, d);
        x[i] = d / mu;
    }
    gsl_sort(x, 1, n);
    return x;
}

/*
 * dcs_rng_exponential has the exponential law: n = 10^6 draws of mean
 * mu = 2.385 (seed fixed here, not chosen), divided by mu.
 * - Kolmogorov-Smirnov: D < sqrt(ln(2 / 1e-4) / (2 n)) = 2.2e-3, the 1e-4
 *   level of the asymptotic distribution.
 * - Chi-square over 1,000 cells of equal probability (edges -ln(1 - i /
 *   1000)), 999 degrees of freedom: mean 999, sd 44.7; it fails above mean
 *   + 5 sd = 1,222 (normal approximation, ~3e-7): this sees a wrong density
 *   within a strip or a wedge, which the KS distance averages away.
 * - Mean 1 and variance 1: SE of the mean 1 / sqrt(n) = 1e-3, of the
 *   sample variance sqrt((E(X - 1)^4 - 1) / n) = sqrt(8 / n) = 2.8e-3;
 *   tolerances 5 SE.
 * - The tail beyond R = 7.697 (the draws that start again from R): P =
 *   e^-R = 4.54e-4, 454 expected, Poisson SE 21.3, tolerance 5 SE = 107;
 *   their excess over R has mean 1, SE 1 / sqrt(454) = 0.047, tolerance 5
 *   SE = 0.235.
 */
Test(rng, exponential_has_the_law)
{
    enum { N = 1000000, CELLS = 1000 };
    const double mu = 2.385, big = 7.69711747013104972;
    gsl_rng *r = keyed((key){2385, 11, 5});
    double *x = exp_draws(r, mu, N);
    double d = 0.0, m = 0.0, m2 = 0.0, chi2 = 0.0, excess = 0.0;
    size_t tail = 0, cell = 0, in_cell = 0;
    for (size_t i = 0; i < N; i++) {
        double f = -expm1(-x[i]); /* the CDF */
        double lo = f - (double)i / N, hi = (double)(i + 1) / N - f;
        d = fmax(d, fmax(lo, hi));
        m += x[i];
        m2 += (x[i] - 1.0) * (x[i] - 1.0);
        if (x[i] > big) {
            tail++;
            excess += x[i] - big;
        }
        while (cell + 1 < CELLS && x[i] >= -log1p(-(double)(cell + 1) / CELLS)) {
            chi2 +=
                (in_cell - (double)N / CELLS) * (in_cell - (double)N / CELLS) / ((double)N / CELLS);
            cell++;
            in_cell = 0;
        }
        in_cell++;
    }
    for (; cell < CELLS; cell++, in_cell = 0)
        chi2 += (in_cell - (double)N / CELLS) * (in_cell - (double)N / CELLS) / ((double)N / CELLS);
    cr_assert(d < sqrt(log(2.0 / 1e-4) / (2.0 * N)), "KS distance %g", d);
    cr_assert(chi2 < 999.0 + 5.0 * sqrt(2.0 * 999.0), "chi-square %g over 999 df", chi2);
    cr_assert(fabs(m / N - 1.0) < 5.0 / sqrt((double)N), "mean %g", m / N);
    cr_assert(fabs(m2 / N - 1.0) < 5.0 * sqrt(8.0 / N), "variance %g", m2 / N);
    double expect = N * exp(-big);
    cr_assert(fabs((double)tail - expect) < 5.0 * sqrt(expect), "%zu beyond R, %g expected", tail,
              expect);
    cr_assert(fabs(excess / (double)tail - 1.0) < 5.0 / sqrt(expect), "excess over R %g",
              excess / (double)tail);
    free(x);
    gsl_rng_free(r);
}

/* Another GSL generator (tests use mt19937) draws through its uniform:
 * mean 1 within 5 SE = 5 / sqrt(10^5) = 0.016 (seed fixed). */
Test(rng, exponential_on_another_generator)
{
    enum { N = 100000 };
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    cr_assert_not_null(r);
    gsl_rng_set(r, 2385);
    double *x = exp_draws(r, 1.0, N), s = 0.0;
    for (size_t i = 0; i < N; i++)
        s += x[i];
    cr_assert(fabs(s / N - 1.0) < 5.0 / sqrt((double)N), "mean %g", s / N);
    free(x);
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
