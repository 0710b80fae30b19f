/*
 * test_sort.c - dcs_sort_f64 gives the very array gsl_sort gives, bit for
 * bit, on every kind of column /summary holds: values of any sign and
 * magnitude, many ties (counts), one value, already in order or reversed,
 * and zeros of both signs; and on the ways it takes: buckets, the radix
 * when they are crowded, an insertion sort alone for a few values. The
 * inputs come from a fixed-seed generator.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>

#include "sort.h"

/* splitmix64: a fixed, portable sequence. */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* A finite double from 64 random bits: any sign, exponent and mantissa. */
static double any_finite(uint64_t *s)
{
    for (;;) {
        uint64_t b = next(s);
        double x;
        memcpy(&x, &b, sizeof x);
        if (isfinite(x))
            return x;
    }
}

/* Sorts x[0..n) both ways and asserts the same bytes. */
static void check(const double *x, size_t n, const char *what)
{
    double *a = malloc((n + 1) * sizeof *a), *b = malloc((n + 1) * sizeof *b);
    uint64_t *ws = malloc((2 * n + 1) * sizeof *ws);
    memcpy(a, x, n * sizeof *a);
    memcpy(b, x, n * sizeof *b);
    gsl_sort(a, 1, n);
    dcs_sort_f64(b, n, ws);
    for (size_t i = 0; i < n; i++)
        cr_assert(memcmp(&a[i], &b[i], sizeof a[i]) == 0, "%s: n %zu, [%zu] %.17g against %.17g",
                  what, n, i, b[i], a[i]);
    free(a);
    free(b);
    free(ws);
}

Test(sort, random_doubles_of_every_sign_and_magnitude)
{
    uint64_t s = 1;
    double *x = malloc(20000 * sizeof *x);
    const size_t sizes[] = {0, 1, 2, 3, 17, 1000, 20000};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        for (size_t i = 0; i < sizes[k]; i++)
            x[i] = any_finite(&s);
        check(x, sizes[k], "random bits");
    }
    for (size_t i = 0; i < 10000; i++) /* a makespan-like column */
        x[i] = 786.0 + 4.0 * ((double)(next(&s) >> 11) / 9007199254740992.0 - 0.5);
    check(x, 10000, "makespans");
    free(x);
}

Test(sort, ties_one_value_order_and_reverse_order)
{
    uint64_t s = 2;
    double x[5000];
    for (size_t i = 0; i < 5000; i++) /* counts: many ties, a few byte values */
        x[i] = (double)(next(&s) % 24);
    check(x, 5000, "counts");
    for (size_t i = 0; i < 5000; i++)
        x[i] = -3.25 * (double)(next(&s) % 7);
    check(x, 5000, "negative ties and +0.0");
    for (size_t i = 0; i < 5000; i++)
        x[i] = 720.0;
    check(x, 5000, "one value");
    for (size_t i = 0; i < 5000; i++)
        x[i] = (double)i * 0.5 - 100.0;
    check(x, 5000, "in order");
    for (size_t i = 0; i < 5000; i++)
        x[i] = 100.0 - (double)i * 0.5;
    check(x, 5000, "reversed");
    for (size_t i = 0; i < 5000; i++)
        x[i] = i % 3 == 0 ? -0.0 : i % 3 == 1 ? 0.0 : (double)(next(&s) % 5) - 2.0;
    check(x, 5000, "zeros of both signs");
    for (size_t i = 0; i < 5000; i++) /* one crowded bucket: the radix */
        x[i] = i % 100 == 0 ? 1e300 * (double)(i + 1)
                            : 1.0 + (double)(next(&s) >> 11) / 9007199254740992.0;
    check(x, 5000, "a cluster and a few outliers");
    for (size_t i = 0; i < 5000; i++) /* two close values, interleaved */
        x[i] = (next(&s) & 1) ? 1.0 : nextafter(1.0, 2.0);
    check(x, 5000, "two neighbours");
    const size_t few[] = {4, 15, 16, 17, 33};
    for (size_t k = 0; k < sizeof few / sizeof few[0]; k++) {
        for (size_t i = 0; i < few[k]; i++)
            x[i] = 786.0 + (double)(next(&s) % 1000) / 7.0;
        check(x, few[k], "a few values");
    }
    x[0] = DBL_MAX;
    x[1] = -DBL_MAX;
    x[2] = 4.9e-324;
    x[3] = -4.9e-324;
    check(x, 4, "extremes");
}

Test(sort, whole_numbers_by_counts_and_the_cases_it_leaves_to_the_radix)
{
    uint64_t s = 3;
    double x[3000];
    for (size_t i = 0; i < 3000; i++) /* counts of either sign: by counts */
        x[i] = (double)(next(&s) % 41) - 20.0;
    check(x, 3000, "whole numbers of either sign");
    for (size_t i = 0; i < 3000; i++) /* a span of 3,000 or more: the radix */
        x[i] = (double)(next(&s) % 30) * 200.0;
    check(x, 3000, "whole numbers spanning more than n");
    for (size_t i = 0; i < 3000; i++) /* one value not whole, last: found at the end */
        x[i] = i == 2999 ? 7.5 : (double)(next(&s) % 12);
    check(x, 3000, "whole numbers but the last");
    for (size_t i = 0; i < 3000; i++) /* a tiny value beside whole ones */
        x[i] = i == 1500 ? 1e-300 : (double)(next(&s) % 12) + 3.0;
    check(x, 3000, "whole numbers and a tiny one");
    for (size_t i = 0; i < 3000; i++) /* whole numbers near 2^52, and past it */
        x[i] = 0x1p52 - 1.0 - (double)(next(&s) % 9);
    check(x, 3000, "whole numbers near 2^52");
    for (size_t i = 0; i < 3000; i++)
        x[i] = 0x1p53 + 2.0 * (double)(next(&s) % 9);
    check(x, 3000, "whole numbers past 2^53");
}
