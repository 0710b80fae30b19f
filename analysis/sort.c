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
 *
 * The radix counts and passes only the bytes in which two keys differ
 * (their OR of XORs, found with the keys). Before it, a bucket sort by
 * the keys' top varying bits: one counting pass and one scatter into up to
 * 2^BUCKET_BITS buckets of the range [min, max], then an insertion sort,
 * which moves a key only within its bucket. A column of continuous values
 * (a makespan, a time lost) spreads over the buckets, a key or two each,
 * and is sorted in three passes instead of the radix's seven or eight.
 * When the buckets are crowded (ties, counts, a few outliers: the sum of
 * the squares of their sizes, which bounds the insertion sort's moves,
 * above CROWDED n), the radix sorts the keys instead, or, when every key
 * is a whole number and they span fewer than n, a count of each number. Measured on the 47
 * columns of a Daly-style /summary (docs/design-notes.md, "rows"): 22 %
 * less time than the radix alone at 10,000 rows, 30 % at 1,000.
 */
#include "sort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>

#define SIGN (UINT64_C(1) << 63)

/* At most 2^BUCKET_BITS buckets (their counts: 64 KiB), about one per
 * key: a key's bucket then holds about one other. */
#define BUCKET_BITS 14
/* Up to this many keys, an insertion sort alone. */
#define FEW 16
/* Crowded buckets: sum of size^2 above CROWDED n (the insertion sort could
 * move a key up to CROWDED / 2 places on average, a quarter of that when
 * each bucket's keys come in random order). */
#define CROWDED 16
/* The key of -0.0: never that of a finite value other than -0.0. */
#define NEGZERO_KEY (~SIGN)

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

/* Sorts the keys a[0..n) through b; returns the array that holds them.
 * diff has a bit set where two keys differ: a byte of it that is zero is
 * one value in every key, neither counted nor passed over. */
static uint64_t *radix(uint64_t *a, uint64_t *b, size_t n, uint64_t diff)
{
    static const size_t nb = 256;
    size_t count[8][256];
    unsigned pass[8], np = 0;
    for (unsigned p = 0; p < 8; p++)
        if ((diff >> (8 * p)) & 0xff)
            pass[np++] = p;
    memset(count, 0, np * sizeof count[0]);
    for (size_t i = 0; i < n; i++)
        for (unsigned q = 0; q < np; q++)
            count[q][(a[i] >> (8 * pass[q])) & 0xff]++;
    for (unsigned q = 0; q < np; q++) {
        size_t *c = count[q];
        unsigned p = pass[q];
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

/* Sorts a[0..n) in place by insertion: a key moves left past the larger
 * ones. */
static void insertion(uint64_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t k = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1] > k; j--)
            a[j] = a[j - 1];
        a[j] = k;
    }
}

/* The bit width of v > 0. */
static unsigned width(uint64_t v)
{
    unsigned w = 0;
    for (; v != 0; v >>= 1)
        w++;
    return w;
}

/* Sorts the keys a[0..n) (1 < n < 2^32, lo and hi their least and
 * greatest, lo < hi) by buckets into b, then by insertion; returns the
 * array that holds them, or NULL, having moved nothing, when the buckets
 * are crowded (or their counts find no memory). */
static uint64_t *buckets(const uint64_t *a, uint64_t *b, size_t n, uint64_t lo, uint64_t hi)
{
    unsigned bits = width(n - 1) < BUCKET_BITS ? width(n - 1) : BUCKET_BITS;
    unsigned w = width(hi - lo), shift = w > bits ? w - bits : 0;
    size_t nb = (size_t)((hi - lo) >> shift) + 1;
    uint32_t *count = calloc(nb + 1, sizeof *count);
    if (count == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++)
        count[((a[i] - lo) >> shift) + 1]++;
    uint64_t moves = 0;
    for (size_t d = 1; d <= nb; d++) {
        moves += (uint64_t)count[d] * count[d];
        count[d] += count[d - 1];
    }
    if (moves <= (uint64_t)CROWDED * n) {
        for (size_t i = 0; i < n; i++)
            b[count[(a[i] - lo) >> shift]++] = a[i];
        insertion(b, n);
    }
    free(count);
    return moves <= (uint64_t)CROWDED * n ? b : NULL;
}

/* Sorts x[0..n) (n > 1), lo and hi its least and greatest values, when
 * every value is a whole number and they span at most n: counts of each,
 * then each value as many times as it came (a column of counts, whose
 * buckets are crowded by ties: two passes instead of the radix's count
 * and two or three scatters). A whole number below 2^52 has one double
 * (-0.0 aside, which the caller sorts otherwise), so the array is the one
 * any sort gives. Returns 0, having moved nothing, when a value is not
 * whole (or the counts find no memory). */
static int by_counts(double *x, size_t n, double lo, double hi)
{
    if (!(hi - lo < (double)n) || !(fabs(lo) < 0x1p52) || !(fabs(hi) < 0x1p52))
        return 0;
    int64_t base = (int64_t)lo;
    if ((double)base != lo)
        return 0;
    size_t span = (size_t)((int64_t)hi - base) + 1;
    uint32_t *count = calloc(span, sizeof *count);
    if (count == NULL)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int64_t v = (int64_t)x[i];
        if ((double)v != x[i]) {
            free(count);
            return 0;
        }
        count[v - base]++;
    }
    for (size_t d = 0, i = 0; d < span; d++)
        for (uint32_t c = count[d]; c > 0; c--)
            x[i++] = (double)(base + (int64_t)d);
    free(count);
    return 1;
}

void dcs_sort_f64(double *x, size_t n, uint64_t *ws)
{
    int sorted = 1, negzero = 0;
    uint64_t lo = UINT64_MAX, hi = 0, diff = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = key_of(x[i]);
        ws[i] = k;
        diff |= k ^ ws[0];
        negzero |= k == NEGZERO_KEY;
        sorted &= i == 0 || ws[i - 1] <= k;
        lo = k < lo ? k : lo;
        hi = k > hi ? k : hi;
    }
    if (negzero) {
        gsl_sort(x, 1, n);
        return;
    }
    if (sorted)
        return;
    const uint64_t *k = NULL;
    if (n <= FEW) {
        insertion(ws, n);
        k = ws;
    } else if (n < UINT32_MAX) {
        k = buckets(ws, ws + n, n, lo, hi);
    }
    if (k == NULL && n > FEW && by_counts(x, n, value_of(lo), value_of(hi)))
        return;
    if (k == NULL)
        k = radix(ws, ws + n, n, diff);
    for (size_t i = 0; i < n; i++)
        x[i] = value_of(k[i]);
}
