/*
 * zruns.c - a zlib stream of byte planes: runs in fixed Huffman blocks,
 * the rest stored (RFC 1950 and 1951; see zruns.h).
 *
 * A plane is run-like when it changes value at most once every four
 * bytes on average: a run then costs at most a literal (9 bits) and a
 * match (a length code of up to 8 bits and 5 extra bits, then distance
 * code 0 of 5 bits: distance 1) per four bytes or more, less than storing
 * it. Consecutive planes of one kind share a block. Bits go out least
 * significant first; Huffman codes are sent most significant bit first,
 * so they are reversed before they are put.
 */
#include "zruns.h"

#include <stdint.h>
#include <string.h>

#include <zlib.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define STORED_MAX 65535u /* the most bytes of one stored block */

#define ADLER_BASE 65521u /* adler-32's modulus */

typedef dcs_zruns bits;

/* Adler-32 over len bytes of value v, in closed form: each byte adds v
 * to a, and b gains the len successive values of a. */
static void adler_run(bits *b, unsigned char v, size_t len)
{
    uint64_t l = len % ADLER_BASE;
    /* len (len + 1) / 2 modulo the base, halving the even factor first. */
    uint64_t tri = len % 2 == 0 ? (len / 2) % ADLER_BASE * ((len + 1) % ADLER_BASE)
                                : l * (((len + 1) / 2) % ADLER_BASE);
    tri %= ADLER_BASE;
    b->b = (uint32_t)((b->b + l * b->a + tri * v) % ADLER_BASE);
    b->a = (uint32_t)((b->a + l * v) % ADLER_BASE);
}

#ifdef __SSE2__
/* The most 16-byte blocks adler_blocks takes at once: zlib's NMAX (5,552
 * bytes, the most before b's sum can pass 2^32) in whole blocks. */
#define ADLER_BLOCKS 347

/* Adler-32 over the 16-byte blocks p[0 .. 16 nb) (nb <= ADLER_BLOCKS),
 * 16 bytes an instruction (SSE2, every x86-64): a gains the bytes' sum;
 * b gains 16 times a for each block as it stood before it, then each
 * byte times its distance from the block's end (16 for its first). The
 * sums, in 32-bit lanes, stay below 2^32 over ADLER_BLOCKS blocks;
 * reduced once. zlib's adler32 goes a byte at a time (~0.4 % of a Daly
 * -n 1000 run, the stored planes). */
static void adler_blocks(bits *b, const unsigned char *p, size_t nb)
{
    const __m128i zero = _mm_setzero_si128();
    const __m128i w_lo = _mm_setr_epi16(16, 15, 14, 13, 12, 11, 10, 9);
    const __m128i w_hi = _mm_setr_epi16(8, 7, 6, 5, 4, 3, 2, 1);
    __m128i va = zero, vpre = zero, vb = zero;
    for (size_t i = 0; i < nb; i++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
        vpre = _mm_add_epi32(vpre, va);
        va = _mm_add_epi32(va, _mm_sad_epu8(x, zero));
        vb = _mm_add_epi32(vb, _mm_madd_epi16(_mm_unpacklo_epi8(x, zero), w_lo));
        vb = _mm_add_epi32(vb, _mm_madd_epi16(_mm_unpackhi_epi8(x, zero), w_hi));
    }
    uint32_t la[4], lpre[4], lb[4];
    _mm_storeu_si128((__m128i *)(void *)la, va);
    _mm_storeu_si128((__m128i *)(void *)lpre, vpre);
    _mm_storeu_si128((__m128i *)(void *)lb, vb);
    uint64_t sa = (uint64_t)la[0] + la[2]; /* _mm_sad_epu8: a sum in each 64-bit half */
    uint64_t spre = (uint64_t)lpre[0] + lpre[2];
    uint64_t sb = (uint64_t)lb[0] + lb[1] + lb[2] + lb[3];
    uint64_t a = b->a, bb = b->b;
    bb += 16 * nb * a + 16 * spre + sb;
    a += sa;
    b->a = (uint32_t)(a % ADLER_BASE);
    b->b = (uint32_t)(bb % ADLER_BASE);
}
#endif

/* Adler-32 over the bytes p[0..len): by 16-byte blocks where SSE2 is,
 * the rest by zlib. */
static void adler_bytes(bits *b, const unsigned char *p, size_t len)
{
#ifdef __SSE2__
    while (len >= 16) {
        size_t nb = len / 16 < ADLER_BLOCKS ? len / 16 : ADLER_BLOCKS;
        adler_blocks(b, p, nb);
        p += 16 * nb;
        len -= 16 * nb;
    }
#endif
    uLong x = adler32((uLong)b->b << 16 | b->a, p, (uInt)len);
    b->a = (uint32_t)(x & 0xffff);
    b->b = (uint32_t)(x >> 16);
}

static void put(bits *b, uint32_t v, unsigned n)
{
    b->acc |= (uint64_t)v << b->n;
    b->n += n;
    while (b->n >= 8) {
        *b->out++ = (unsigned char)b->acc;
        b->acc >>= 8;
        b->n -= 8;
    }
}

/* Pads to a whole byte with zero bits. */
static void align(bits *b)
{
    if (b->n > 0)
        put(b, 0, 8 - b->n);
}

/* The len (1 to 32) low bits of code in reverse order: the 32 bits
 * reversed by swaps of halves, then shifted down (a loop a bit took a
 * third of a run's coding). */
static uint32_t reverse(uint32_t code, unsigned len)
{
    code = (code >> 1 & 0x55555555u) | (code & 0x55555555u) << 1;
    code = (code >> 2 & 0x33333333u) | (code & 0x33333333u) << 2;
    code = (code >> 4 & 0x0F0F0F0Fu) | (code & 0x0F0F0F0Fu) << 4;
    code = (code >> 8 & 0x00FF00FFu) | (code & 0x00FF00FFu) << 8;
    code = code >> 16 | code << 16;
    return code >> (32 - len);
}

/* Symbol s (a literal byte, 256 the end of a block, 257.. a length) in the
 * fixed code of RFC 1951 section 3.2.6, reversed to go out as bits go;
 * its length in *len. */
static uint32_t sym_code(unsigned s, unsigned *len)
{
    if (s < 144) {
        *len = 8;
        return reverse(0x30u + s, 8);
    }
    if (s < 256) {
        *len = 9;
        return reverse(0x190u + (s - 144), 9);
    }
    if (s < 280) {
        *len = 7;
        return reverse(s - 256, 7);
    }
    *len = 8;
    return reverse(0xC0u + (s - 280), 8);
}

static void put_sym(bits *b, unsigned s)
{
    unsigned len;
    uint32_t code = sym_code(s, &len);
    put(b, code, len);
}

/* A match of len bytes (3 to 258) at distance 1. */
static void put_match(bits *b, unsigned len)
{
    static const uint16_t base[29] = {3,  4,  5,  6,   7,   8,   9,   10,  11, 13,
                                      15, 17, 19, 23,  27,  31,  35,  43,  51, 59,
                                      67, 83, 99, 115, 131, 163, 195, 227, 258};
    static const uint8_t extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
    unsigned i = 28;
    while (base[i] > len)
        i--;
    /* The length's code, its extra bits, then distance code 0 (5 zero
     * bits: distance 1), in one put of at most 18 bits. */
    unsigned n;
    uint32_t code = sym_code(257 + i, &n);
    put(b, code | (uint32_t)(len - base[i]) << n, n + extra[i] + 5);
}

/* A run of len bytes of value v: the byte, then matches of the byte
 * before. */
static void put_run(bits *b, unsigned char v, size_t len)
{
    adler_run(b, v, len);
    put_sym(b, v);
    size_t rem = len - 1;
    while (rem >= 3) {
        unsigned m = rem > 258 ? 258u : (unsigned)rem;
        put_match(b, m);
        rem -= m;
    }
    while (rem-- > 0)
        put_sym(b, v);
}

/* Bytes compared a stretch by changes_of: its count fits a byte, and the
 * stretch is a whole number of 16- and 32-byte vectors. */
#define STRETCH 224

/* The times the plane p[0..n) changes value: counted in a byte over
 * stretches of STRETCH bytes (and the rest, fewer), which the compiler
 * does 16 or 32 bytes an instruction (a size_t count took four widenings
 * a 16 bytes). */
static size_t changes_of(const unsigned char *p, size_t n)
{
    size_t changes = 0, i = 1;
    for (; i < n && n - i >= STRETCH; i += STRETCH) {
        unsigned char c = 0;
        for (size_t k = 0; k < STRETCH; k++)
            c = (unsigned char)(c + (p[i + k] != p[i + k - 1]));
        changes += c;
    }
    unsigned char c = 0;
    for (; i < n; i++)
        c = (unsigned char)(c + (p[i] != p[i - 1]));
    return changes + c;
}

/* Whether a plane of n bytes that changes value `changes` times is worth
 * coding as runs. */
static int run_like(size_t changes, size_t n)
{
    return 4 * (changes + 1) <= n;
}

/* One fixed-code block of the run-like planes p[0 .. count * n);
 * ch[k]: the changes of plane k. */
static void put_runs_block(bits *b, const unsigned char *p, size_t n, size_t count,
                           const size_t *ch)
{
    put(b, 0, 1); /* not the last block */
    put(b, 1, 2); /* fixed Huffman codes */
    for (size_t k = 0; k < count; k++, p += n) {
        if (ch[k] == 0) {
            put_run(b, p[0], n);
            continue;
        }
        for (size_t i = 0; i < n;) {
            size_t j = i + 1;
            while (j < n && p[j] == p[i])
                j++;
            put_run(b, p[i], j - i);
            i = j;
        }
    }
    put_sym(b, 256);
}

/* Stored blocks of the bytes p[0..len). */
static void put_stored(bits *b, const unsigned char *p, size_t len)
{
    adler_bytes(b, p, len);
    while (len > 0) {
        size_t m = len < STORED_MAX ? len : STORED_MAX;
        put(b, 0, 3); /* not the last block, stored */
        align(b);
        unsigned char h[4] = {(unsigned char)m, (unsigned char)(m >> 8), (unsigned char)~m,
                              (unsigned char)(~m >> 8)};
        memcpy(b->out, h, sizeof h);
        memcpy(b->out + sizeof h, p, m);
        b->out += sizeof h + m;
        p += m;
        len -= m;
    }
}

size_t dcs_zruns_bound(size_t plane, size_t nplanes)
{
    size_t n = plane * nplanes;
    /* zlib header 2, a stored block's header 5 per group and per 65535
     * bytes, the last block 2, the check 4. */
    return n + 5 * (nplanes + n / STORED_MAX + 1) + 2 + 2 + 4;
}

void dcs_zruns_start(dcs_zruns *z, unsigned char *dst)
{
    *z = (dcs_zruns){dst, dst, 0, 0, 1, 0};
    *z->out++ = 0x78; /* deflate, 32 KiB window */
    *z->out++ = 0x01; /* fastest, no dictionary; 0x7801 is a multiple of 31 */
}

void dcs_zruns_planes(dcs_zruns *z, const unsigned char *src, size_t plane, size_t nplanes)
{
    size_t ch[DCS_ZRUNS_GROUP];
    for (size_t g = 0; g < nplanes; g += DCS_ZRUNS_GROUP) {
        size_t ng = nplanes - g < DCS_ZRUNS_GROUP ? nplanes - g : DCS_ZRUNS_GROUP;
        for (size_t k = 0; k < ng; k++)
            ch[k] = changes_of(src + (g + k) * plane, plane);
        for (size_t i = 0; i < ng;) {
            int runs = run_like(ch[i], plane);
            size_t j = i + 1;
            while (j < ng && run_like(ch[j], plane) == runs)
                j++;
            const unsigned char *p = src + (g + i) * plane;
            if (runs)
                put_runs_block(z, p, plane, j - i, ch + i);
            else
                put_stored(z, p, (j - i) * plane);
            i = j;
        }
    }
}

size_t dcs_zruns_finish(dcs_zruns *z)
{
    put(z, 1, 1); /* the last block: empty, fixed codes */
    put(z, 1, 2);
    put_sym(z, 256);
    align(z);
    uint32_t a = z->b << 16 | z->a;
    unsigned char t[4] = {(unsigned char)(a >> 24), (unsigned char)(a >> 16),
                          (unsigned char)(a >> 8), (unsigned char)a};
    memcpy(z->out, t, sizeof t);
    return (size_t)(z->out + sizeof t - z->start);
}

size_t dcs_zruns_encode(const unsigned char *src, size_t plane, size_t nplanes, unsigned char *dst)
{
    dcs_zruns z;
    dcs_zruns_start(&z, dst);
    dcs_zruns_planes(&z, src, plane, nplanes);
    return dcs_zruns_finish(&z);
}
