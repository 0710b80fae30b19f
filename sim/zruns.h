/*
 * zruns.h - a zlib stream (RFC 1950/1951) of byte planes, coded as runs or
 * stored, for HDF5's deflate filter.
 *
 * A shuffled chunk of a table is a sequence of planes (byte k of every
 * row): a plane of a column that rarely changes is a few runs, a plane of
 * the low bytes of a double is noise. zlib's deflate spends most of its
 * time on the noise, which it can hardly shrink. This coder writes each
 * group of consecutive run-like planes as one block of fixed Huffman codes
 * (a literal, then matches at distance 1) and each group of the other
 * planes as stored blocks, without any search: a few nanoseconds a byte.
 * The result is a valid zlib stream that any inflate (HDF5's deflate
 * filter, so stock h5py and pandas) decodes to the input, bit for bit.
 */
#ifndef DCSIM_SIM_ZRUNS_H
#define DCSIM_SIM_ZRUNS_H

#include <stddef.h>
#include <stdint.h>

/* A stream being written by groups of planes (dcs_zruns_start, _planes,
 * _finish). */
typedef struct dcs_zruns {
    unsigned char *start, *out;
    uint64_t acc;  /* pending bits, the first to go out lowest */
    unsigned n;    /* pending bits in acc, < 8 between calls */
    uint32_t a, b; /* adler-32 of the bytes coded so far (RFC 1950) */
} dcs_zruns;

/* The planes dcs_zruns_encode classifies at once; a stream written by
 * groups is the same bytes when every group but the last is this many. */
#define DCS_ZRUNS_GROUP 64

/* The most bytes dcs_zruns_encode writes for nplanes planes of plane
 * bytes each. */
size_t dcs_zruns_bound(size_t plane, size_t nplanes);

/* Codes the nplanes planes of plane bytes each at src (plane i at
 * src + i * plane) into dst, which has room for dcs_zruns_bound bytes.
 * Returns the bytes written. */
size_t dcs_zruns_encode(const unsigned char *src, size_t plane, size_t nplanes, unsigned char *dst);

/* The same stream a group of planes at a time, so that the planes need not
 * all be held at once: start writing into dst (room for dcs_zruns_bound
 * of all the planes), add the groups in order (planes(z, src, plane,
 * count): count planes at src), and finish, which returns the bytes
 * written. With groups of DCS_ZRUNS_GROUP planes (the last may be fewer)
 * the bytes are dcs_zruns_encode's of all the planes. */
void dcs_zruns_start(dcs_zruns *z, unsigned char *dst);
void dcs_zruns_planes(dcs_zruns *z, const unsigned char *src, size_t plane, size_t nplanes);
size_t dcs_zruns_finish(dcs_zruns *z);

#endif /* DCSIM_SIM_ZRUNS_H */
