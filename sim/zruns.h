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

/* The most bytes dcs_zruns_encode writes for nplanes planes of plane
 * bytes each. */
size_t dcs_zruns_bound(size_t plane, size_t nplanes);

/* Codes the nplanes planes of plane bytes each at src (plane i at
 * src + i * plane) into dst, which has room for dcs_zruns_bound bytes.
 * Returns the bytes written. */
size_t dcs_zruns_encode(const unsigned char *src, size_t plane, size_t nplanes, unsigned char *dst);

#endif /* DCSIM_SIM_ZRUNS_H */
