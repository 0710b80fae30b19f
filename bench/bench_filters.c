/*
 * bench_filters.c - what HDF5's shuffle and deflate filters cost and save
 * on a table of a dcsim output file, to choose /summary's deflate level.
 *
 * usage: bench_filters FILE.h5 [TABLE]   (TABLE defaults to summary)
 *
 * Reads the table's rows as they are stored (its packed file type), cuts
 * them into chunks of CHUNK_ROWS (the last one zero-filled, as HDF5 fills
 * it) and filters every chunk as h5out.c does: the shuffle with the row as
 * its element, then zlib's compress2 at a level, or the run/stored coder
 * of sim/zruns.c ("runs", what h5out writes). For each setting it prints
 * the stored bytes a row and the CPU a row of the filters alone (process
 * CPU time, the best of NREPS passes over the table); "stored" is no
 * filter at all. Readers inflate what is written: the stock h5py and
 * pandas read every setting here (shuffle and deflate are built into
 * libhdf5; no plugin).
 */
#define _POSIX_C_SOURCE 200809L

#include "zruns.h"

#include <hdf5.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#define CHUNK_ROWS 1024 /* h5out.c's rows per chunk; fewer for a smaller table */
#define NREPS      5

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void shuffle_rows(const unsigned char *src, unsigned char *dst, size_t nrows, size_t rowsize)
{
    for (size_t r0 = 0; r0 < nrows; r0 += 64) {
        size_t r1 = r0 + 64 < nrows ? r0 + 64 : nrows;
        for (size_t k = 0; k < rowsize; k++)
            for (size_t r = r0; r < r1; r++)
                dst[k * nrows + r] = src[r * rowsize + k];
    }
}

/* A zlib stream of src[0..n) at level with strategy, as compress2 makes
 * it but for the strategy; returns its bytes. */
static size_t deflate_one(const unsigned char *src, size_t n, unsigned char *out, size_t cap,
                          int level, int strategy)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, level, Z_DEFLATED, 15, 8, strategy) != Z_OK) {
        fprintf(stderr, "bench_filters: deflateInit2 failed\n");
        exit(1);
    }
    z.next_in = (Bytef *)(uintptr_t)src;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
        fprintf(stderr, "bench_filters: deflate failed\n");
        exit(1);
    }
    size_t bytes = z.total_out;
    deflateEnd(&z);
    return bytes;
}

/* Filters the nchunks chunks of rows once; returns the stored bytes. */
static size_t filter_all(const unsigned char *rows, size_t nchunks, size_t crows, size_t rowsize,
                         int shuffle, int level, int strategy, unsigned char *tmp,
                         unsigned char *out)
{
    size_t n = crows * rowsize, total = 0;
    for (size_t c = 0; c < nchunks; c++) {
        const unsigned char *src = rows + c * n;
        if (shuffle) {
            shuffle_rows(src, tmp, crows, rowsize);
            src = tmp;
        }
        if (level == -2)
            total += n; /* the shuffle alone */
        else if (level == -1)
            total += dcs_zruns_encode(src, crows, rowsize, out);
        else
            total += deflate_one(src, n, out, compressBound((uLong)n), level, strategy);
    }
    return total;
}

/* Reads the table's rows, padded to whole chunks; returns the row count. */
static size_t read_rows(const char *path, const char *name, unsigned char **rows, size_t *rowsize)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = f < 0 ? -1 : H5Dopen2(f, name, H5P_DEFAULT);
    if (d < 0) {
        fprintf(stderr, "bench_filters: cannot open %s in %s\n", name, path);
        exit(2);
    }
    hid_t t = H5Dget_type(d), s = H5Dget_space(d);
    size_t n = (size_t)H5Sget_simple_extent_npoints(s);
    size_t padded = (n + CHUNK_ROWS - 1) / CHUNK_ROWS * CHUNK_ROWS;
    *rowsize = H5Tget_size(t);
    *rows = calloc(padded + 1, *rowsize);
    if (*rows == NULL || (n > 0 && H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, *rows) < 0)) {
        fprintf(stderr, "bench_filters: cannot read %s\n", name);
        exit(1);
    }
    H5Sclose(s);
    H5Tclose(t);
    H5Dclose(d);
    H5Fclose(f);
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: bench_filters FILE.h5 [TABLE]\n");
        return 2;
    }
    const char *name = argc == 3 ? argv[2] : "summary";
    unsigned char *rows;
    size_t rowsize, n = read_rows(argv[1], name, &rows, &rowsize);
    size_t crows = n < CHUNK_ROWS ? n : CHUNK_ROWS, nchunks = (n + crows - 1) / (crows + !crows);
    unsigned char *tmp = malloc(CHUNK_ROWS * rowsize);
    size_t zb = compressBound((uLong)(CHUNK_ROWS * rowsize)),
           rb = dcs_zruns_bound(CHUNK_ROWS, rowsize);
    unsigned char *out = malloc(zb > rb ? zb : rb);
    if (n == 0 || tmp == NULL || out == NULL) {
        fprintf(stderr, "bench_filters: %s is empty, or out of memory\n", name);
        return 1;
    }
    printf("/%s of %s: %zu rows of %zu bytes, %zu chunks of %zu rows\n", name, argv[1], n, rowsize,
           nchunks, crows);
    printf("%-18s %12s %8s %12s\n", "filters", "bytes a row", "ratio", "CPU a row");
    printf("%-18s %12.1f %8.2f %12s\n", "stored",
           (double)rowsize * (double)(nchunks * crows) / (double)n, 1.0, "0");
    const struct {
        int shuffle, level, strategy;
        const char *label;
    } set[] = {{0, 1, Z_DEFAULT_STRATEGY, "deflate 1"},
               {1, 0, Z_DEFAULT_STRATEGY, "shuffle+deflate 0"},
               {1, 1, Z_DEFAULT_STRATEGY, "shuffle+deflate 1"},
               {1, -2, 0, "shuffle alone"},
               {1, -1, 0, "shuffle+runs"},
               {1, 1, Z_RLE, "shuffle+rle 1"},
               {1, 1, Z_HUFFMAN_ONLY, "shuffle+huffman"},
               {1, 2, Z_DEFAULT_STRATEGY, "shuffle+deflate 2"},
               {1, 4, Z_DEFAULT_STRATEGY, "shuffle+deflate 4"},
               {1, 6, Z_DEFAULT_STRATEGY, "shuffle+deflate 6"},
               {1, 9, Z_DEFAULT_STRATEGY, "shuffle+deflate 9"}};
    for (size_t k = 0; k < sizeof set / sizeof set[0]; k++) {
        double best = 1e300;
        size_t bytes = 0;
        for (int r = 0; r < NREPS; r++) {
            double t0 = cpu_s();
            bytes = filter_all(rows, nchunks, crows, rowsize, set[k].shuffle, set[k].level,
                               set[k].strategy, tmp, out);
            double dt = cpu_s() - t0;
            best = dt < best ? dt : best;
        }
        printf("%-18s %12.1f %8.2f %9.2f us\n", set[k].label, (double)bytes / (double)n,
               (double)rowsize * (double)n / (double)bytes, best / (double)n * 1e6);
    }
    free(rows);
    free(tmp);
    free(out);
    return 0;
}
