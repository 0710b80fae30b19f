/*
 * sort.c - an LSD radix sort of doubles by their bits, a byte a pass.
 *
 * A double's bits, with the sign bit flipped for a positive value and every
 * bit flipped for a negative one, order as unsigned integers as the values
 * do (IEEE 754). One pass counts all eight bytes; a byte that every key
 * shares (the low bytes of small counts, the sign and exponent of a column
 * of like values) is skipped, so a column of counts takes two or three
 * passes, and a column already in order (one value) none. gsl_sort, a
 * heapsort, took ~14 ms for the 47 columns of a Daly-style /summary of
 * 10,000 rows (perf: 9 % of the run).
 */
#include "sort.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_sort.h>

#define SIGN (UINT64_C(1) << 63)

static uint64_t key_of(double x)
{
    uint64_t k;
    memcpy(&k, &x, sizeof k);
    return (k & SIGN) ? ~k : k | SIGN;
}

static double value_of(uint64_t k)
{
    k = (k & SIGN) ? k & ~SIGN : ~k;
    double x;
    memcpy(&x, &k, sizeof x);
    return x;
}

/* Sorts the keys a[0..n) through b; returns the array that holds them. */
static uint64_t *radix(uint64_t *a, uint64_t *b, size_t n)
{
    static const size_t nb = 256;
    size_t count[8][256];
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++)
        for (unsigned p = 0; p < 8; p++)
            count[p][(a[i] >> (8 * p)) & 0xff]++;
    for (unsigned p = 0; p < 8; p++) {
        size_t *c = count[p];
        if (c[(a[0] >> (8 * p)) & 0xff] == n)
            continue; /* one byte value: the pass would move nothing */
        size_t sum = 0;
        for (size_t d = 0; d < nb; d++) {
            size_t k = c[d];
            c[d] = sum;
            sum += k;
        }
        for (size_t i = 0; i < n; i++)
            b[c[(a[i] >> (8 * p)) & 0xff]++] = a[i];
        uint64_t *t = a;
        a = b;
        b = t;
    }
    return a;
}

void dcs_sort_f64(double *x, size_t n, uint64_t *ws)
{
    int sorted = 1, negzero = 0;
    for (size_t i = 0; i < n; i++) {
        negzero |= x[i] == 0.0 && signbit(x[i]);
        sorted &= i == 0 || x[i - 1] <= x[i];
    }
    if (negzero) {
        gsl_sort(x, 1, n);
        return;
    }
    if (sorted)
        return;
    for (size_t i = 0; i < n; i++)
        ws[i] = key_of(x[i]);
    const uint64_t *k = radix(ws, ws + n, n);
    for (size_t i = 0; i < n; i++)
        x[i] = value_of(k[i]);
}
