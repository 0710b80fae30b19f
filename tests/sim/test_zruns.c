/*
 * test_zruns.c - the run/stored coder of byte planes (sim/zruns.c).
 *
 * The property that matters is that zlib's own inflate (what HDF5's
 * deflate filter calls) gives back the input, bit for bit, within the
 * bound: checked on planes of every kind the coder tells apart (constant,
 * a few runs, runs of every length 1 to 600, noise, mixed in one stream)
 * and on sizes at the edges (no plane, one byte, a stored group past
 * 65,535 bytes, runs longer than adler-32's modulus). Also that runs are
 * coded smaller than stored, and noise no larger than stored plus its
 * block headers; and that a stream written a group of planes at a time
 * (dcs_zruns_planes) is the same bytes.
 */
#include "zruns.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

TestSuite(zruns, .timeout = 60);

/* A small xorshift: noise that does not depend on the C library. */
static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Codes src, inflates it with zlib and checks the round trip; returns the
 * coded bytes. */
static size_t round_trip(const unsigned char *src, size_t plane, size_t nplanes)
{
    size_t n = plane * nplanes, cap = dcs_zruns_bound(plane, nplanes);
    unsigned char *z = malloc(cap + 1), *back = malloc(n + 1);
    cr_assert(z != NULL && back != NULL);
    size_t len = dcs_zruns_encode(src, plane, nplanes, z);
    cr_assert(le(sz, len, cap), "%zu bytes coded for a bound of %zu", len, cap);
    uLongf got = (uLongf)n;
    int rc = uncompress(back, &got, z, (uLong)len);
    cr_assert(eq(int, rc, Z_OK), "inflate: %d (%zu planes of %zu)", rc, nplanes, plane);
    cr_assert(eq(sz, (size_t)got, n));
    cr_assert(eq(int, memcmp(back, src, n), 0), "%zu planes of %zu", nplanes, plane);
    /* Written a group of planes at a time: the same bytes. */
    unsigned char *g = malloc(cap + 1);
    cr_assert(g != NULL);
    dcs_zruns zs;
    dcs_zruns_start(&zs, g);
    for (size_t k = 0; k < nplanes; k += DCS_ZRUNS_GROUP)
        dcs_zruns_planes(&zs, src + k * plane, plane,
                         nplanes - k < DCS_ZRUNS_GROUP ? nplanes - k : DCS_ZRUNS_GROUP);
    cr_assert(eq(sz, dcs_zruns_finish(&zs), len));
    cr_assert(eq(int, memcmp(g, z, len), 0), "by groups: %zu planes of %zu", nplanes, plane);
    free(g);
    free(z);
    free(back);
    return len;
}

Test(zruns, inflates_to_planes_of_every_kind)
{
    enum { PLANE = 1024, NPLANES = 200 }; /* groups of 64 planes, then 8 */
    unsigned char *p = malloc(PLANE * NPLANES);
    uint64_t s = 88172645463325252u;
    for (size_t k = 0; k < NPLANES; k++) {
        unsigned char *q = p + k * PLANE;
        switch (k % 5) {
        case 0: /* constant */
            memset(q, (int)(k * 37 % 256), PLANE);
            break;
        case 1: /* noise */
            for (size_t i = 0; i < PLANE; i++)
                q[i] = (unsigned char)next(&s);
            break;
        case 2: /* a few runs of random lengths */
            for (size_t i = 0; i < PLANE;) {
                size_t len = 1 + next(&s) % 300;
                unsigned char v = (unsigned char)next(&s);
                for (size_t j = 0; j < len && i < PLANE; j++)
                    q[i++] = v;
            }
            break;
        case 3: /* bytes 0 and 255 alternating every 16 (both code lengths) */
            for (size_t i = 0; i < PLANE; i++)
                q[i] = (i / 16) % 2 ? 255 : 0;
            break;
        default: /* mostly one value, rarely another (a rare failure count) */
            for (size_t i = 0; i < PLANE; i++)
                q[i] = next(&s) % 97 == 0 ? 200 : 1;
            break;
        }
    }
    round_trip(p, PLANE, NPLANES);
    free(p);
}

Test(zruns, inflates_every_run_length)
{
    /* Runs of 1 to 600 in one plane: every match length code, 258 and the
     * lengths that leave one or two bytes after 258. */
    size_t n = 600 * 601 / 2;
    unsigned char *p = malloc(n);
    size_t at = 0;
    for (size_t len = 1; len <= 600; len++)
        for (size_t j = 0; j < len; j++)
            p[at++] = (unsigned char)(len % 2 ? len % 256 : 255 - len % 256);
    size_t z = round_trip(p, n, 1);
    cr_assert(lt(sz, z, n / 10), "%zu bytes for %zu in runs", z, n);
    free(p);
}

Test(zruns, inflates_at_the_edges)
{
    unsigned char one = 7;
    round_trip(&one, 1, 1);
    round_trip(&one, 0, 0);
    round_trip(&one, 1, 0);
    /* Runs longer than adler-32's modulus (65,521), of even and odd
     * length: its closed form for a run. */
    enum { LONG = 140001 };
    unsigned char *c = malloc(LONG);
    memset(c, 0xFE, LONG);
    round_trip(c, LONG, 1);
    round_trip(c, LONG - 1, 1);
    memset(c + 70000, 3, 10);
    round_trip(c, LONG, 1);
    free(c);
    /* A stored group of 70,000 bytes: two stored blocks. */
    enum { N = 70000 };
    unsigned char *p = malloc(N);
    uint64_t s = 1;
    for (size_t i = 0; i < N; i++)
        p[i] = (unsigned char)next(&s);
    size_t z = round_trip(p, 7000, 10);
    cr_assert(le(sz, z, (size_t)N + 10 * 5 + 12), "noise: %zu bytes for %d", z, N);
    free(p);
}

Test(zruns, codes_constant_planes_in_a_few_bytes)
{
    enum { PLANE = 1024, NPLANES = 300 };
    unsigned char *p = malloc(PLANE * NPLANES);
    for (size_t k = 0; k < NPLANES; k++)
        memset(p + k * PLANE, k % 3 ? 0 : 0x40, PLANE);
    size_t z = round_trip(p, PLANE, NPLANES);
    /* A literal and four matches (at most 9 + 4 x 18 bits) a plane, plus
     * the header, the last block and the check. */
    cr_assert(le(sz, z, (size_t)NPLANES * 11 + 10), "%zu bytes", z);
    free(p);
}
