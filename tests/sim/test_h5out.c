/*
 * test_h5out.c - the HDF5 writer: round trip through the HDF5 API, file
 * types and attributes, the commit/abandon protocol, determinism of the
 * stored bytes, and the error paths.
 *
 * Every test works in its own mkdtemp() directory, because Criterion runs
 * tests in parallel processes. Files are read back with the plain HDF5 API,
 * not with h5out, so that the tests check what another reader (h5py,
 * pandas) would see.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>
#include <zlib.h>

#include "h5out.h"

/* More than two chunks of 1024 rows, and not a multiple of the chunk size,
 * so that full chunks, a partial chunk and the final flush are exercised. */
#define NROWS 2500

/* Criterion's eq(str, ...) wants char *, which string literals are not
 * under -Wwrite-strings. */
#define assert_str(got, want)                                                                      \
    cr_assert(strcmp((got), (want)) == 0, "got \"%s\", want \"%s\"", (got), (want))

static char dir[64];

static void setup(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    snprintf(dir, sizeof dir, "/tmp/dcs_h5out_XXXXXX");
    cr_assert(mkdtemp(dir) != NULL);
}

static void teardown(void)
{
    DIR *d = opendir(dir);
    if (d != NULL) {
        struct dirent *e;
        char p[512];
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            remove(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

TestSuite(h5out, .init = setup, .fini = teardown, .timeout = 60);

/* Number of entries in the test directory (without . and ..). */
static int count_entries(void)
{
    DIR *d = opendir(dir);
    cr_assert(d != NULL);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static const dcs_column cols[] = {
    {"point", "", DCS_COL_I64, "sweep point index"},
    {"replication", "", DCS_COL_I64, "replication index"},
    {"label", "", DCS_COL_STR, NULL},
    {"makespan_h", "h", DCS_COL_F64, "wall-clock time to finish"},
    {"cost_usd", "USD", DCS_COL_F64, "total cost"},
};
#define NCOLS (sizeof cols / sizeof cols[0])

static double makespan_of(int64_t r)
{
    return 1302.385 + 0.125 * (double)r;
}

static double cost_of(int64_t r)
{
    return 6.02e8 - 17.5 * (double)r;
}

/* Writes NROWS rows to path with storage options o (NULL: the defaults),
 * flushing after row flush_at too (0: never), and commits. */
static void write_file_opts(const char *path, const dcs_h5table_opts *o, int64_t flush_at)
{
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    cr_assert(f != NULL, "%s", err.msg);
    dcs_h5table *t =
        dcs_h5_table_create_opts(f, "summary", "one row per replication", cols, NCOLS, o, &err);
    cr_assert(t != NULL, "%s", err.msg);
    char label[32];
    for (int64_t r = 0; r < NROWS; r++) {
        if (r == flush_at && flush_at > 0)
            cr_assert(eq(int, dcs_h5_table_flush(t, &err), 0), "%s", err.msg);
        snprintf(label, sizeof label, "rep-%lld", (long long)r);
        dcs_cell row[NCOLS] = {
            {.i = 0}, {.i = r}, {.s = label}, {.f = makespan_of(r)}, {.f = cost_of(r)}};
        cr_assert(eq(int, dcs_h5_table_append(t, row, &err), 0), "%s", err.msg);
    }
    cr_assert(eq(u64, dcs_h5_table_rows(t), NROWS));
    cr_assert(eq(int, dcs_h5_attr_i64(f, "/", "seed", 42, &err), 0), "%s", err.msg);
    cr_assert(eq(int, dcs_h5_attr_str(f, "/", "scenario_name", "llama3", &err), 0), "%s", err.msg);
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), 0), "%s", err.msg);
}

static void write_file(const char *path)
{
    write_file_opts(path, NULL, 0);
}

typedef struct row_t {
    int64_t point, replication;
    char label[DCS_H5_STR_LEN];
    double makespan_h, cost_usd;
} row_t;

/* Reads path's /summary back with the plain HDF5 API and checks every row
 * against what write_file_opts wrote. */
static void check_rows(const char *path)
{
    hid_t fid = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    cr_assert(fid >= 0);
    hid_t d = H5Dopen2(fid, "summary", H5P_DEFAULT);
    cr_assert(d >= 0);
    hid_t s = H5Dget_space(d);
    hsize_t dim;
    cr_assert(eq(int, H5Sget_simple_extent_dims(s, &dim, NULL), 1));
    cr_assert(eq(u64, dim, NROWS));

    hid_t st = H5Tcopy(H5T_C_S1);
    H5Tset_size(st, DCS_H5_STR_LEN);
    hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof(row_t));
    H5Tinsert(mt, "point", HOFFSET(row_t, point), H5T_NATIVE_INT64);
    H5Tinsert(mt, "replication", HOFFSET(row_t, replication), H5T_NATIVE_INT64);
    H5Tinsert(mt, "label", HOFFSET(row_t, label), st);
    H5Tinsert(mt, "makespan_h", HOFFSET(row_t, makespan_h), H5T_NATIVE_DOUBLE);
    H5Tinsert(mt, "cost_usd", HOFFSET(row_t, cost_usd), H5T_NATIVE_DOUBLE);
    row_t *rows = calloc(NROWS, sizeof *rows);
    cr_assert(H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) >= 0);
    char label[32];
    for (int64_t r = 0; r < NROWS; r++) {
        snprintf(label, sizeof label, "rep-%lld", (long long)r);
        cr_assert(eq(i64, rows[r].point, 0));
        cr_assert(eq(i64, rows[r].replication, r));
        assert_str(rows[r].label, label);
        cr_assert(eq(dbl, rows[r].makespan_h, makespan_of(r)));
        cr_assert(eq(dbl, rows[r].cost_usd, cost_of(r)));
    }
    free(rows);
    H5Tclose(mt);
    H5Tclose(st);
    H5Sclose(s);
    H5Dclose(d);
    H5Fclose(fid);
}

Test(h5out, rows_round_trip_through_the_hdf5_api)
{
    char path[128];
    snprintf(path, sizeof path, "%s/out.h5", dir);
    write_file(path);
    check_rows(path);
}

/* Deflate level 0 (the traces): no filter at all, and the same rows read
 * back whether a chunk was written whole as it is (rows 0..1023), rewritten
 * after a partial flush (rows 1024..2047, flushed at 1500) or left partial
 * at the end. */
Test(h5out, an_unfiltered_table_round_trips_whole_and_partial_chunks)
{
    char path[128];
    snprintf(path, sizeof path, "%s/out.h5", dir);
    dcs_h5table_opts o = dcs_h5table_defaults;
    o.deflate = 0;
    write_file_opts(path, &o, 1500);
    check_rows(path);
    hid_t fid = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = H5Dopen2(fid, "summary", H5P_DEFAULT);
    hid_t dcpl = H5Dget_create_plist(d);
    cr_assert(eq(int, H5Pget_nfilters(dcpl), 0));
    H5Pclose(dcpl);
    H5Dclose(d);
    H5Fclose(fid);
}

/* A table no larger than a chunk gets a chunk of its own size: HDF5
 * filters whole chunks, fill included. */
Test(h5out, chunk_rows_shrink_to_a_small_table)
{
    cr_assert(eq(sz, dcs_h5_chunk_rows(0), dcs_h5table_defaults.chunk_rows));
    cr_assert(eq(sz, dcs_h5_chunk_rows(1), 1));
    cr_assert(eq(sz, dcs_h5_chunk_rows(70), 70));
    cr_assert(eq(sz, dcs_h5_chunk_rows(1024), 1024));
    cr_assert(eq(sz, dcs_h5_chunk_rows(100000), dcs_h5table_defaults.chunk_rows));
}

Test(h5out, file_types_are_little_endian_and_strings_nul_padded)
{
    char path[128];
    snprintf(path, sizeof path, "%s/out.h5", dir);
    write_file(path);
    hid_t fid = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = H5Dopen2(fid, "summary", H5P_DEFAULT);
    hid_t ft = H5Dget_type(d);
    cr_assert(eq(int, H5Tget_nmembers(ft), (int)NCOLS));
    for (unsigned j = 0; j < NCOLS; j++) {
        hid_t m = H5Tget_member_type(ft, j);
        char *name = H5Tget_member_name(ft, j);
        assert_str(name, cols[j].name);
        H5free_memory(name);
        if (cols[j].type == DCS_COL_F64) {
            cr_assert(H5Tequal(m, H5T_IEEE_F64LE) > 0);
        } else if (cols[j].type == DCS_COL_I64) {
            cr_assert(H5Tequal(m, H5T_STD_I64LE) > 0);
            cr_assert(eq(int, H5Tget_order(m), H5T_ORDER_LE));
        } else {
            cr_assert(eq(int, H5Tget_class(m), H5T_STRING));
            cr_assert(eq(sz, H5Tget_size(m), DCS_H5_STR_LEN));
            cr_assert(eq(int, H5Tget_strpad(m), H5T_STR_NULLPAD));
            cr_assert(eq(int, H5Tis_variable_str(m), 0));
        }
        H5Tclose(m);
    }
    /* Chunked by 1024 rows, with shuffle then deflate. */
    hid_t dcpl = H5Dget_create_plist(d);
    hsize_t chunk = 0;
    cr_assert(eq(int, H5Pget_chunk(dcpl, 1, &chunk), 1));
    cr_assert(eq(u64, chunk, 1024));
    cr_assert(eq(int, H5Pget_nfilters(dcpl), 2));
    cr_assert(
        eq(int, H5Pget_filter2(dcpl, 0, NULL, NULL, NULL, 0, NULL, NULL), H5Z_FILTER_SHUFFLE));
    cr_assert(
        eq(int, H5Pget_filter2(dcpl, 1, NULL, NULL, NULL, 0, NULL, NULL), H5Z_FILTER_DEFLATE));
    H5Pclose(dcpl);
    H5Tclose(ft);
    H5Dclose(d);
    H5Fclose(fid);
}

/* Reads a 1-D attribute of strings (any string type) into v. */
static int read_str_array(hid_t obj, const char *name, char v[][64], int max)
{
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    cr_assert(a >= 0, "no attribute %s", name);
    hid_t s = H5Aget_space(a);
    hssize_t n = H5Sget_simple_extent_npoints(s);
    cr_assert(n <= max);
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    char **p = calloc((size_t)n, sizeof *p);
    cr_assert(H5Aread(a, t, p) >= 0);
    for (hssize_t i = 0; i < n; i++)
        snprintf(v[i], 64, "%s", p[i]);
    H5Dvlen_reclaim(t, s, H5P_DEFAULT, p);
    free(p);
    H5Tclose(t);
    H5Sclose(s);
    H5Aclose(a);
    return (int)n;
}

Test(h5out, table_carries_units_and_description_attributes)
{
    char path[128];
    snprintf(path, sizeof path, "%s/out.h5", dir);
    write_file(path);
    hid_t fid = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = H5Dopen2(fid, "summary", H5P_DEFAULT);
    char v[8][64];
    cr_assert(eq(int, read_str_array(d, "units", v, 8), (int)NCOLS));
    for (size_t j = 0; j < NCOLS; j++)
        assert_str(v[j], cols[j].units);
    cr_assert(eq(int, read_str_array(d, "description", v, 8), 1));
    assert_str(v[0], "one row per replication");
    cr_assert(eq(int, read_str_array(d, "column_descriptions", v, 8), (int)NCOLS));
    assert_str(v[3], "wall-clock time to finish");
    assert_str(v[2], "");
    hid_t root = H5Gopen2(fid, "/", H5P_DEFAULT);
    cr_assert(eq(int, read_str_array(root, "scenario_name", v, 8), 1));
    assert_str(v[0], "llama3");
    hid_t a = H5Aopen(root, "seed", H5P_DEFAULT);
    int64_t seed = 0;
    cr_assert(H5Aread(a, H5T_NATIVE_INT64, &seed) >= 0);
    cr_assert(eq(i64, seed, 42));
    H5Aclose(a);
    H5Gclose(root);
    H5Dclose(d);
    H5Fclose(fid);
}

Test(h5out, commit_renames_and_leaves_no_temporary_file)
{
    char path[128];
    snprintf(path, sizeof path, "%s/out.h5", dir);
    write_file(path);
    cr_assert(eq(int, count_entries(), 1));
    cr_assert(eq(int, access(path, R_OK), 0));
}

Test(h5out, temporary_file_sits_beside_the_final_path_until_commit)
{
    char path[128], tmp[160];
    snprintf(path, sizeof path, "%s/out.h5", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    cr_assert(f != NULL);
    cr_assert(eq(int, access(tmp, F_OK), 0));
    cr_assert(ne(int, access(path, F_OK), 0));
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), 0));
    cr_assert(ne(int, access(tmp, F_OK), 0));
    cr_assert(eq(int, access(path, F_OK), 0));
}

Test(h5out, close_without_commit_leaves_no_file)
{
    char path[128];
    snprintf(path, sizeof path, "%s/out.h5", dir);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    cr_assert(f != NULL);
    dcs_h5table *t = dcs_h5_table_create(f, "summary", "x", cols, NCOLS, &err);
    cr_assert(t != NULL);
    dcs_cell row[NCOLS] = {{.i = 0}, {.i = 1}, {.s = "a"}, {.f = 2.385}, {.f = 7.25}};
    cr_assert(eq(int, dcs_h5_table_append(t, row, &err), 0));
    cr_assert(eq(int, dcs_h5_close(f, 0, &err), 0));
    cr_assert(eq(int, count_entries(), 0));
}

Test(h5out, commit_replaces_an_existing_file)
{
    char path[128];
    snprintf(path, sizeof path, "%s/out.h5", dir);
    FILE *fp = fopen(path, "w");
    fputs("old", fp);
    fclose(fp);
    write_file(path);
    cr_assert(gt(int, H5Fis_hdf5(path), 0));
    cr_assert(eq(int, count_entries(), 1));
}

Test(h5out, commit_never_replaces_what_is_not_a_regular_file)
{
    /* A FIFO made at the final path while the file was written (the
     * command checked the path before it ran) stays; the result goes. */
    char path[128];
    snprintf(path, sizeof path, "%s/out.h5", dir);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    cr_assert(f != NULL);
    cr_assert(eq(int, mkfifo(path, 0600), 0));
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), DCS_EIO));
    cr_assert(strstr(err.msg, "it is no longer a regular file") != NULL, "%s", err.msg);
    struct stat st;
    cr_assert(eq(int, lstat(path, &st), 0));
    int is_fifo = S_ISFIFO(st.st_mode);
    cr_assert(is_fifo, "the FIFO was replaced");
    cr_assert(eq(int, count_entries(), 1));
}

Test(h5out, temporary_name_is_never_a_link_followed)
{
    /* A symbolic link planted at the temporary name is not followed (the
     * file it names is not truncated): the create fails instead. */
    char path[128], tmp[160], victim[128];
    snprintf(path, sizeof path, "%s/out.h5", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    snprintf(victim, sizeof victim, "%s/victim", dir);
    FILE *fp = fopen(victim, "w");
    fputs("mine", fp);
    fclose(fp);
    cr_assert(eq(int, symlink(victim, tmp), 0));
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert(dcs_h5_create(path, &err) == NULL);
    cr_assert(eq(int, err.code, DCS_EIO));
    struct stat st;
    cr_assert(eq(int, stat(victim, &st), 0));
    cr_assert(st.st_size == 4, "the file behind the link was changed");
}

Test(h5out, unwritable_path_is_an_io_error)
{
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create("/nonexistent-dcsim-dir/sub/out.h5", &err);
    cr_assert(f == NULL);
    cr_assert(eq(int, err.code, DCS_EIO));
    cr_assert(strstr(err.msg, "cannot create /nonexistent-dcsim-dir/sub/out.h5.tmp.") != NULL, "%s",
              err.msg);
    cr_assert(strstr(err.msg, "No such file or directory") != NULL, "%s", err.msg);
}

Test(h5out, empty_path_is_an_input_error)
{
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert(dcs_h5_create("", &err) == NULL);
    cr_assert(eq(int, err.code, DCS_EINPUT));
}

Test(h5out, close_of_null_is_a_no_op)
{
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert(eq(int, dcs_h5_close(NULL, 1, &err), 0));
    cr_assert(eq(int, err.code, 0));
}

/* Reads every stored chunk of a dataset, compressed, as the file holds it,
 * into one malloc'd buffer; returns its size. */
static size_t raw_chunks(const char *path, const char *name, unsigned char **out)
{
    hid_t fid = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    cr_assert(fid >= 0);
    hid_t d = H5Dopen2(fid, name, H5P_DEFAULT);
    hid_t s = H5Dget_space(d);
    hsize_t nchunks = 0;
    cr_assert(H5Dget_num_chunks(d, s, &nchunks) >= 0);
    cr_assert(eq(u64, nchunks, 3));
    size_t total = 0;
    unsigned char *buf = NULL;
    for (hsize_t c = 0; c < nchunks; c++) {
        hsize_t off = c * 1024, bytes = 0;
        uint32_t filters = 0;
        cr_assert(H5Dget_chunk_storage_size(d, &off, &bytes) >= 0);
        buf = realloc(buf, total + bytes);
        cr_assert(H5Dread_chunk(d, H5P_DEFAULT, &off, &filters, buf + total) >= 0);
        total += bytes;
    }
    /* The object header's time-stamps are off. */
    H5O_info_t info;
    cr_assert(H5Oget_info2(d, &info, H5O_INFO_TIME) >= 0);
    cr_assert(eq(i64, (int64_t)info.ctime, 0));
    cr_assert(eq(i64, (int64_t)info.mtime, 0));
    H5Sclose(s);
    H5Dclose(d);
    H5Fclose(fid);
    *out = buf;
    return total;
}

Test(h5out, same_rows_give_byte_identical_datasets)
{
    char a[128], b[128];
    snprintf(a, sizeof a, "%s/a.h5", dir);
    snprintf(b, sizeof b, "%s/b.h5", dir);
    write_file(a);
    sleep(1); /* so that any time-stamp would differ */
    write_file(b);
    unsigned char *ra, *rb;
    size_t na = raw_chunks(a, "summary", &ra);
    size_t nb = raw_chunks(b, "summary", &rb);
    cr_assert(gt(sz, na, 0));
    cr_assert(eq(sz, na, nb));
    cr_assert(eq(int, memcmp(ra, rb, na), 0));
    free(ra);
    free(rb);

    /* The decoded contents, read with the file type, agree too. */
    hid_t fa = H5Fopen(a, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t fb = H5Fopen(b, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t da = H5Dopen2(fa, "summary", H5P_DEFAULT), db = H5Dopen2(fb, "summary", H5P_DEFAULT);
    hid_t ta = H5Dget_type(da), tb = H5Dget_type(db);
    cr_assert(H5Tequal(ta, tb) > 0);
    size_t bytes = H5Tget_size(ta) * NROWS;
    ra = malloc(bytes);
    rb = malloc(bytes);
    cr_assert(H5Dread(da, ta, H5S_ALL, H5S_ALL, H5P_DEFAULT, ra) >= 0);
    cr_assert(H5Dread(db, tb, H5S_ALL, H5S_ALL, H5P_DEFAULT, rb) >= 0);
    cr_assert(eq(int, memcmp(ra, rb, bytes), 0));
    free(ra);
    free(rb);
    H5Tclose(ta);
    H5Tclose(tb);
    H5Dclose(da);
    H5Dclose(db);
    H5Fclose(fa);
    H5Fclose(fb);
}

/* Writes the rows of /summary of `from` to /summary of a new file `to`
 * through HDF5's own pipeline: the same type, chunks and filters, one
 * H5Dwrite of every row. */
/* Writes the nrows rows of table `name` of from to a table of the same
 * name, type and creation properties in to, through HDF5's own pipeline. */
static void rewrite_table(const char *from, const char *to, const char *name, hsize_t nrows)
{
    hid_t fa = H5Fopen(from, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t da = H5Dopen2(fa, name, H5P_DEFAULT);
    hid_t type = H5Dget_type(da), dcpl = H5Dget_create_plist(da);
    unsigned char *rows = malloc(H5Tget_size(type) * nrows);
    cr_assert(H5Dread(da, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) >= 0);
    hsize_t dim = nrows, maxdim = H5S_UNLIMITED;
    hid_t space = H5Screate_simple(1, &dim, &maxdim);
    cr_assert(H5Pset_obj_track_times(dcpl, 0) >= 0);
    hid_t fb = H5Fcreate(to, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t db = H5Dcreate2(fb, name, type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    cr_assert(db >= 0);
    cr_assert(H5Dwrite(db, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) >= 0);
    free(rows);
    H5Dclose(db);
    H5Fclose(fb);
    H5Sclose(space);
    H5Pclose(dcpl);
    H5Tclose(type);
    H5Dclose(da);
    H5Fclose(fa);
}

static void rewrite_with_hdf5(const char *from, const char *to)
{
    rewrite_table(from, to, "summary", NROWS);
}

Test(h5out, chunks_hold_the_bytes_of_hdf5s_own_filters)
{
    /* The writer shuffles and deflates a chunk itself (and writes the
     * chunk of an unfiltered table as it is), zeroing the rows past the
     * table's end: the stored chunks are the ones HDF5's pipeline makes of
     * the same rows, byte for byte: whole chunks, the last, partial one,
     * and with a flush at row 1500 a chunk begun by the writer and finished
     * by H5Dwrite. */
    const int levels[] = {1, 0, 6};
    const int64_t flush_at[] = {0, 1500};
    for (size_t k = 0; k < 6; k++) {
        int level = levels[k % 3];
        char a[128], b[128];
        snprintf(a, sizeof a, "%s/ours%zu.h5", dir, k);
        snprintf(b, sizeof b, "%s/hdf5%zu.h5", dir, k);
        dcs_h5table_opts o = dcs_h5table_defaults;
        o.deflate = level;
        o.runs = 0; /* compress2, as HDF5's filter calls it */
        write_file_opts(a, &o, flush_at[k / 3]);
        check_rows(a);
        rewrite_with_hdf5(a, b);
        unsigned char *ra, *rb;
        size_t na = raw_chunks(a, "summary", &ra), nb = raw_chunks(b, "summary", &rb);
        cr_assert(eq(sz, na, nb), "deflate %d", level);
        cr_assert(eq(int, memcmp(ra, rb, na), 0), "deflate %d, flush at %lld", level,
                  (long long)flush_at[k / 3]);
        free(ra);
        free(rb);
    }
}

/* The nchunks chunks of crows rows of table `name` of path, each
 * inflated (zlib, as HDF5's deflate filter does) to its *chunk_bytes
 * bytes, one after the other; checks that the dataset's filters are the
 * stock shuffle then deflate. */
static unsigned char *inflate_table(const char *path, const char *name, hsize_t nchunks,
                                    hsize_t crows, size_t *chunk_bytes_out)
{
    hid_t fid = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = H5Dopen2(fid, name, H5P_DEFAULT);
    hid_t dcpl = H5Dget_create_plist(d), type = H5Dget_type(d);
    size_t chunk_bytes = crows * H5Tget_size(type);
    *chunk_bytes_out = chunk_bytes;
    H5Tclose(type);
    cr_assert(eq(int, H5Pget_nfilters(dcpl), 2));
    unsigned flags;
    size_t nv = 0;
    cr_assert(
        eq(int, H5Pget_filter2(dcpl, 0, &flags, &nv, NULL, 0, NULL, NULL), H5Z_FILTER_SHUFFLE));
    nv = 0;
    cr_assert(
        eq(int, H5Pget_filter2(dcpl, 1, &flags, &nv, NULL, 0, NULL, NULL), H5Z_FILTER_DEFLATE));
    unsigned char *out = malloc(nchunks * chunk_bytes), *z = malloc(2 * chunk_bytes);
    for (hsize_t c = 0; c < nchunks; c++) {
        hsize_t off = c * crows, bytes = 0;
        uint32_t mask = 0;
        cr_assert(H5Dget_chunk_storage_size(d, &off, &bytes) >= 0);
        cr_assert(le(u64, (uint64_t)bytes, 2 * chunk_bytes));
        cr_assert(H5Dread_chunk(d, H5P_DEFAULT, &off, &mask, z) >= 0);
        cr_assert(eq(u32, mask, 0), "chunk %llu skipped a filter", (unsigned long long)c);
        uLongf n = (uLongf)chunk_bytes;
        cr_assert(eq(int, uncompress(out + c * chunk_bytes, &n, z, (uLong)bytes), Z_OK));
        cr_assert(eq(sz, (size_t)n, chunk_bytes));
    }
    free(z);
    H5Pclose(dcpl);
    H5Dclose(d);
    H5Fclose(fid);
    return out;
}

/* The three chunks of path's /summary, inflated. */
static unsigned char *inflated_chunks(const char *path, size_t *chunk_bytes)
{
    return inflate_table(path, "summary", 3, 1024, chunk_bytes);
}

Test(h5out, shuffle_of_rows_past_whole_8_by_8_blocks)
{
    /* Rows of 13 bytes (an integer and a 5-byte string: not a multiple
     * of 8) in chunks of 1001 rows (nor that): the writer's shuffle
     * transposes blocks of 8 rows by 8 bytes and does the rest byte by
     * byte; every chunk inflates to what HDF5's own shuffle makes. */
    char a[128], b[128];
    snprintf(a, sizeof a, "%s/odd.h5", dir);
    snprintf(b, sizeof b, "%s/odd_hdf5.h5", dir);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(a, &err);
    cr_assert(f != NULL, "%s", err.msg);
    const dcs_column c[] = {{"n", "", DCS_COL_I64, ""}, {"s", "", DCS_COL_STR, ""}};
    dcs_h5table_opts o = dcs_h5table_defaults;
    o.chunk_rows = 1001;
    o.str_len = 5;
    dcs_h5table *t = dcs_h5_table_create_opts(f, "odd", "odd rows", c, 2, &o, &err);
    cr_assert(t != NULL, "%s", err.msg);
    enum { ROWS = 2500 };
    for (int64_t r = 0; r < ROWS; r++) {
        char label[8];
        snprintf(label, sizeof label, "%c%lld", 'a' + (int)(r % 26), (long long)(r * 7919 % 997));
        dcs_cell row[2] = {{.i = r * r * 104729}, {.s = label}};
        cr_assert(eq(int, dcs_h5_table_append(t, row, &err), 0), "%s", err.msg);
    }
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), 0), "%s", err.msg);
    /* Read back through HDF5 (inflate, then its unshuffle): the rows. */
    hid_t fid = H5Fopen(a, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = H5Dopen2(fid, "odd", H5P_DEFAULT), type = H5Dget_type(d);
    cr_assert(eq(sz, H5Tget_size(type), 13));
    unsigned char *back = malloc(ROWS * 13);
    cr_assert(H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, back) >= 0);
    for (int64_t r = 0; r < ROWS; r++) {
        char label[8], want[5] = {0};
        snprintf(label, sizeof label, "%c%lld", 'a' + (int)(r % 26), (long long)(r * 7919 % 997));
        memcpy(want, label, strnlen(label, 4));
        int64_t n;
        memcpy(&n, back + r * 13, 8);
        cr_assert(eq(i64, n, r * r * 104729), "row %lld", (long long)r);
        cr_assert(eq(int, memcmp(back + r * 13 + 8, want, 5), 0), "row %lld", (long long)r);
    }
    free(back);
    H5Tclose(type);
    H5Dclose(d);
    H5Fclose(fid);
    rewrite_table(a, b, "odd", ROWS);
    size_t chunk = 0, chunk_b = 0;
    unsigned char *ra = inflate_table(a, "odd", 3, 1001, &chunk);
    unsigned char *rb = inflate_table(b, "odd", 3, 1001, &chunk_b);
    cr_assert(eq(sz, chunk, 1001 * 13));
    cr_assert(eq(sz, chunk, chunk_b));
    cr_assert(eq(int, memcmp(ra, rb, 3 * chunk), 0));
    free(ra);
    free(rb);
}

/* Rows of 93 bytes (eleven integers and a 5-byte string) in chunks of
 * 1001 rows, run coded: the writer shuffles a chunk's planes a group of 64
 * at a time, in blocks of 16 rows by 16 bytes, then of 8 by 8 (rows 992 to
 * 999 of a chunk, and the planes 80 to 87 of the second group), then byte
 * by byte (row 1000, planes 88 to 92); HDF5 reads every row back as
 * written. */
Test(h5out, shuffle_of_rows_wider_than_a_group_of_planes)
{
    char a[128];
    snprintf(a, sizeof a, "%s/wide.h5", dir);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(a, &err);
    cr_assert(f != NULL, "%s", err.msg);
    enum { NI = 11, ROWS = 2500, SIZE = NI * 8 + 5 };
    static const char *names[NI] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"};
    dcs_column c[NI + 1];
    for (int j = 0; j < NI; j++)
        c[j] = (dcs_column){names[j], "", DCS_COL_I64, ""};
    c[NI] = (dcs_column){"s", "", DCS_COL_STR, ""};
    dcs_h5table_opts o = dcs_h5table_defaults;
    o.chunk_rows = 1001;
    o.str_len = 5;
    dcs_h5table *t = dcs_h5_table_create_opts(f, "wide", "wide rows", c, NI + 1, &o, &err);
    cr_assert(t != NULL, "%s", err.msg);
    for (int64_t r = 0; r < ROWS; r++) {
        dcs_cell row[NI + 1];
        for (int j = 0; j < NI; j++)
            row[j].i = j % 3 == 0 ? j : (r + j) * (r + 1) * 104729;
        row[NI].s = r % 2 ? "odd" : "even";
        cr_assert(eq(int, dcs_h5_table_append(t, row, &err), 0), "%s", err.msg);
    }
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), 0), "%s", err.msg);
    hid_t fid = H5Fopen(a, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = H5Dopen2(fid, "wide", H5P_DEFAULT), type = H5Dget_type(d);
    cr_assert(eq(sz, H5Tget_size(type), SIZE));
    unsigned char *back = malloc(ROWS * SIZE);
    cr_assert(H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, back) >= 0);
    for (int64_t r = 0; r < ROWS; r++) {
        for (int j = 0; j < NI; j++) {
            int64_t n;
            memcpy(&n, back + r * SIZE + j * 8, 8);
            cr_assert(eq(i64, n, j % 3 == 0 ? j : (r + j) * (r + 1) * 104729), "row %lld, %d",
                      (long long)r, j);
        }
        char want[5] = {0};
        memcpy(want, r % 2 ? "odd" : "even", r % 2 ? 3 : 4);
        cr_assert(eq(int, memcmp(back + r * SIZE + NI * 8, want, 5), 0), "row %lld", (long long)r);
    }
    free(back);
    H5Tclose(type);
    H5Dclose(d);
    H5Fclose(fid);
}

Test(h5out, run_coded_chunks_inflate_to_hdf5s_own)
{
    /* The default coder writes its own deflate stream: HDF5 reads the
     * rows back (check_rows), and every chunk inflates to the bytes of
     * the chunk HDF5's own pipeline stores for the same rows (shuffled,
     * the rows past the end zero), with and without a flush in mid-chunk
     * (a chunk then begun by the coder and finished through HDF5). */
    const int64_t flush_at[] = {0, 1500};
    for (size_t k = 0; k < 2; k++) {
        char a[128], b[128];
        snprintf(a, sizeof a, "%s/runs%zu.h5", dir, k);
        snprintf(b, sizeof b, "%s/runs_hdf5%zu.h5", dir, k);
        cr_assert(eq(int, dcs_h5table_defaults.runs, 1));
        write_file_opts(a, &dcs_h5table_defaults, flush_at[k]);
        check_rows(a);
        rewrite_with_hdf5(a, b);
        size_t chunk = 0, chunk_b = 0;
        unsigned char *ra = inflated_chunks(a, &chunk), *rb = inflated_chunks(b, &chunk_b);
        cr_assert(eq(sz, chunk, chunk_b));
        cr_assert(eq(int, memcmp(ra, rb, 3 * chunk), 0), "flush at %lld", (long long)flush_at[k]);
        free(ra);
        free(rb);
    }
}

Test(h5out, nested_table_creates_its_groups_without_time_stamps)
{
    char path[128];
    snprintf(path, sizeof path, "%s/out.h5", dir);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    dcs_column c[] = {{"point", "", DCS_COL_I64, NULL}, {"interval_s", "s", DCS_COL_F64, NULL}};
    dcs_h5table *t = dcs_h5_table_create(f, "sweep/points", "sweep points", c, 2, &err);
    cr_assert(t != NULL, "%s", err.msg);
    cr_assert(eq(int, dcs_h5_attr_f64(f, "sweep/points", "version", 2.385, &err), 0), "%s",
              err.msg);
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), 0), "%s", err.msg);
    hid_t fid = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t g = H5Gopen2(fid, "sweep", H5P_DEFAULT);
    cr_assert(g >= 0);
    H5O_info_t info;
    cr_assert(H5Oget_info2(g, &info, H5O_INFO_TIME) >= 0);
    cr_assert(eq(i64, (int64_t)info.ctime, 0));
    hid_t d = H5Dopen2(fid, "sweep/points", H5P_DEFAULT);
    cr_assert(d >= 0);
    hid_t a = H5Aopen(d, "version", H5P_DEFAULT);
    double v = 0;
    cr_assert(H5Aread(a, H5T_NATIVE_DOUBLE, &v) >= 0);
    cr_assert(eq(dbl, v, 2.385));
    H5Aclose(a);
    H5Dclose(d);
    H5Gclose(g);
    H5Fclose(fid);
}

Test(h5out, attribute_written_twice_is_replaced)
{
    char path[128];
    snprintf(path, sizeof path, "%s/out.h5", dir);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    cr_assert(eq(int, dcs_h5_attr_i64(f, "/", "complete", 0, &err), 0));
    cr_assert(eq(int, dcs_h5_attr_i64(f, "/", "complete", 1, &err), 0), "%s", err.msg);
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), 0));
    hid_t fid = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t a = H5Aopen_by_name(fid, "/", "complete", H5P_DEFAULT, H5P_DEFAULT);
    int64_t v = -1;
    cr_assert(H5Aread(a, H5T_NATIVE_INT64, &v) >= 0);
    cr_assert(eq(i64, v, 1));
    H5Aclose(a);
    H5Fclose(fid);
}

Test(h5out, attribute_on_a_missing_object_is_an_hdf5_error)
{
    char path[128];
    snprintf(path, sizeof path, "%s/out.h5", dir);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    cr_assert(eq(int, dcs_h5_attr_str(f, "nosuch", "x", "y", &err), DCS_EHDF5));
    cr_assert(strstr(err.msg, "H5Oopen failed on nosuch") != NULL, "%s", err.msg);
    dcs_h5_close(f, 0, NULL);
}

Test(h5out, long_strings_are_truncated_and_nul_terminated)
{
    char path[128];
    snprintf(path, sizeof path, "%s/out.h5", dir);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    dcs_column c[] = {{"metric", "", DCS_COL_STR, NULL}};
    dcs_h5table *t = dcs_h5_table_create(f, "names", "", c, 1, &err);
    char longname[100];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    dcs_cell cell[1] = {{.s = longname}};
    cr_assert(eq(int, dcs_h5_table_append(t, cell, &err), 0));
    cell[0].s = NULL;
    cr_assert(eq(int, dcs_h5_table_append(t, cell, &err), 0));
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), 0));

    hid_t fid = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = H5Dopen2(fid, "names", H5P_DEFAULT);
    hid_t st = H5Tcopy(H5T_C_S1);
    H5Tset_size(st, DCS_H5_STR_LEN);
    hid_t mt = H5Tcreate(H5T_COMPOUND, DCS_H5_STR_LEN);
    H5Tinsert(mt, "metric", 0, st);
    char got[2][DCS_H5_STR_LEN];
    cr_assert(H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, got) >= 0);
    cr_assert(eq(sz, strlen(got[0]), DCS_H5_STR_LEN - 1));
    assert_str(got[1], "");
    H5Tclose(mt);
    H5Tclose(st);
    H5Dclose(d);
    H5Fclose(fid);
}

Test(h5out, a_table_may_have_longer_string_cells)
{
    char path[128];
    snprintf(path, sizeof path, "%s/out.h5", dir);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    dcs_column c[] = {{"label", "", DCS_COL_STR, NULL}, {"x", "s", DCS_COL_F64, NULL}};
    dcs_h5table_opts o = dcs_h5table_defaults;
    o.str_len = 96; /* a sweep label of two long key paths */
    dcs_h5table *t = dcs_h5_table_create_opts(f, "sweep/points", "", c, 2, &o, &err);
    cr_assert(t != NULL, "%s", err.msg);
    const char *label = "checkpoint.interval=30min checkpoint.write_bandwidth=1TB/s no-spares";
    char longer[200];
    memset(longer, 'y', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    dcs_cell row[2] = {{.s = label}, {.f = 1800.0}};
    cr_assert(eq(int, dcs_h5_table_append(t, row, &err), 0));
    row[0].s = longer;
    cr_assert(eq(int, dcs_h5_table_append(t, row, &err), 0));
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), 0));

    hid_t fid = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = H5Dopen2(fid, "sweep/points", H5P_DEFAULT);
    hid_t ft = H5Dget_type(d);
    hid_t lt = H5Tget_member_type(ft, 0);
    cr_assert(eq(sz, H5Tget_size(lt), 96));
    hid_t st = H5Tcopy(H5T_C_S1);
    H5Tset_size(st, 97);
    hid_t mt = H5Tcreate(H5T_COMPOUND, 97);
    H5Tinsert(mt, "label", 0, st);
    char got[2][97];
    cr_assert(H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, got) >= 0);
    assert_str(got[0], label);             /* 70 characters: more than DCS_H5_STR_LEN */
    cr_assert(eq(sz, strlen(got[1]), 95)); /* cut to str_len - 1 */
    H5Tclose(mt);
    H5Tclose(st);
    H5Tclose(lt);
    H5Tclose(ft);
    H5Dclose(d);
    H5Fclose(fid);
}

Test(h5out, string_cells_of_fewer_than_two_bytes_are_refused)
{
    char path[128];
    snprintf(path, sizeof path, "%s/out.h5", dir);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    dcs_column c[] = {{"label", "", DCS_COL_STR, NULL}};
    dcs_h5table_opts o = dcs_h5table_defaults;
    o.str_len = 1;
    cr_assert(dcs_h5_table_create_opts(f, "t", "", c, 1, &o, &err) == NULL);
    cr_assert(eq(int, err.code, DCS_EINPUT));
    o.str_len = DCS_H5_STR_MAX + 1;
    cr_assert(dcs_h5_table_create_opts(f, "t", "", c, 1, &o, &err) == NULL);
    dcs_h5_close(f, 0, &err);
}

Test(h5out, read_f64_returns_columns_and_converts_integers)
{
    char path[128];
    snprintf(path, sizeof path, "%s/out.h5", dir);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    dcs_h5table *t = dcs_h5_table_create(f, "summary", "", cols, NCOLS, &err);
    for (int64_t r = 0; r < NROWS; r++) {
        dcs_cell row[NCOLS] = {
            {.i = r % 3}, {.i = r}, {.s = "z"}, {.f = makespan_of(r)}, {.f = cost_of(r)}};
        cr_assert(eq(int, dcs_h5_table_append(t, row, &err), 0));
    }
    double *x = malloc(NROWS * sizeof *x);
    cr_assert(eq(int, dcs_h5_table_read_f64(t, 3, x, NROWS, &err), 0), "%s", err.msg);
    for (int64_t r = 0; r < NROWS; r++)
        cr_assert(eq(dbl, x[r], makespan_of(r)));
    cr_assert(eq(int, dcs_h5_table_read_f64(t, 1, x, NROWS, &err), 0), "%s", err.msg);
    for (int64_t r = 0; r < NROWS; r++)
        cr_assert(eq(dbl, x[r], (double)r));
    /* Appending after a read goes on where the rows left off. */
    dcs_cell row[NCOLS] = {{.i = 9}, {.i = NROWS}, {.s = "z"}, {.f = 1.5}, {.f = 2.5}};
    cr_assert(eq(int, dcs_h5_table_append(t, row, &err), 0));
    double *y = malloc((NROWS + 1) * sizeof *y);
    cr_assert(eq(int, dcs_h5_table_read_f64(t, 0, y, NROWS + 1, &err), 0));
    cr_assert(eq(dbl, y[NROWS], 9.0));
    cr_assert(eq(dbl, y[NROWS - 1], (double)((NROWS - 1) % 3)));

    cr_assert(eq(sz, dcs_h5_table_ncols(t), NCOLS));
    assert_str(dcs_h5_table_col(t, 4)->name, "cost_usd");
    cr_assert(dcs_h5_table_col(t, NCOLS) == NULL);
    cr_assert(eq(long, dcs_h5_table_find(t, "makespan_h"), 3));
    cr_assert(eq(long, dcs_h5_table_find(t, "nosuch"), -1));
    free(x);
    free(y);
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), 0));
}

/* Appends rows [r0, r1) of the read_f64 test's table. */
static void append_rows(dcs_h5table *t, int64_t r0, int64_t r1)
{
    dcs_err err;
    dcs_err_clear(&err);
    for (int64_t r = r0; r < r1; r++) {
        dcs_cell row[NCOLS] = {
            {.i = r % 3}, {.i = r}, {.s = "z"}, {.f = makespan_of(r)}, {.f = cost_of(r)}};
        cr_assert(eq(int, dcs_h5_table_append(t, row, &err), 0), "%s", err.msg);
    }
}

Test(h5out, kept_rows_read_back_as_the_file_holds_them)
{
    /* The same rows in a table that keeps them and one that does not: the
     * kept values are the ones written, and reading the columns gives the
     * same doubles either way (integers converted as HDF5 converts them). */
    char path[128];
    snprintf(path, sizeof path, "%s/out.h5", dir);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    dcs_h5table *k = dcs_h5_table_create(f, "kept", "", cols, NCOLS, &err);
    dcs_h5table *t = dcs_h5_table_create(f, "read", "", cols, NCOLS, &err);
    cr_assert(eq(int, dcs_h5_table_keep(k, 100, 1u << 20, &err), 0), "%s", err.msg);
    append_rows(k, 0, NROWS); /* past the 100 expected: it grows */
    append_rows(t, 0, NROWS);
    size_t stride = 0;
    const double *m = dcs_h5_table_kept(k, 3, &stride);
    cr_assert(m != NULL);
    cr_assert(eq(sz, stride, 1)); /* a column's values side by side */
    for (int64_t r = 0; r < NROWS; r++)
        cr_assert(eq(dbl, m[(size_t)r * stride], makespan_of(r)));
    cr_assert(dcs_h5_table_kept(k, 2, NULL) == NULL);
    cr_assert(dcs_h5_table_kept(t, 3, NULL) == NULL);
    const size_t want[] = {0, 1, 3, 4};
    double *a = malloc(4 * NROWS * sizeof *a), *b = malloc(4 * NROWS * sizeof *b);
    cr_assert(eq(int, dcs_h5_table_read_cols(k, want, 4, a, NROWS, &err), 0), "%s", err.msg);
    cr_assert(eq(int, dcs_h5_table_read_cols(t, want, 4, b, NROWS, &err), 0), "%s", err.msg);
    cr_assert(memcmp(a, b, 4 * NROWS * sizeof *a) == 0);
    /* Asked after the first row, keeping is refused. */
    cr_assert(eq(int, dcs_h5_table_keep(t, 0, 1u << 20, &err), DCS_EINPUT));
    free(a);
    free(b);
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), 0), "%s", err.msg);
}

/* A kept column holds one value (stride 0) while every row has the same
 * bits, and its values side by side (stride 1) from the row that first
 * differs on, the rows before it holding the first value; -0.0 differs
 * from +0.0, a NaN column stays one value, and a table that grows past its
 * room keeps them. Read back, the columns are the file's. */
Test(h5out, one_value_columns_are_kept_as_their_value)
{
    static const dcs_column oc[] = {
        {"one", "", DCS_COL_F64, NULL},  {"count", "", DCS_COL_I64, NULL},
        {"late", "", DCS_COL_F64, NULL}, {"nan", "", DCS_COL_F64, NULL},
        {"zero", "", DCS_COL_F64, NULL}, {"label", "", DCS_COL_STR, NULL},
    };
    enum { NOC = sizeof oc / sizeof oc[0], N = 300, LATE = 123 };
    char path[128];
    snprintf(path, sizeof path, "%s/out.h5", dir);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    dcs_h5table *k = dcs_h5_table_create(f, "kept", "", oc, NOC, &err);
    dcs_h5table *t = dcs_h5_table_create(f, "read", "", oc, NOC, &err);
    cr_assert(eq(int, dcs_h5_table_keep(k, 50, 1u << 20, &err), 0), "%s", err.msg);
    for (int64_t r = 0; r < N; r++) {
        dcs_cell row[NOC] = {{.f = 0.1},
                             {.i = 7},
                             {.f = r < LATE ? 2.5 : 2.5 + (double)r},
                             {.f = NAN},
                             {.f = r == N - 1 ? -0.0 : 0.0},
                             {.s = "x"}};
        cr_assert(eq(int, dcs_h5_table_append(k, row, &err), 0), "%s", err.msg);
        cr_assert(eq(int, dcs_h5_table_append(t, row, &err), 0), "%s", err.msg);
        size_t stride = 9;
        const double *late = dcs_h5_table_kept(k, 2, &stride);
        cr_assert(late != NULL);
        cr_assert(eq(sz, stride, r < LATE ? 0 : 1), "row %lld: stride %zu", (long long)r, stride);
    }
    size_t stride = 9;
    const double *x = dcs_h5_table_kept(k, 0, &stride);
    cr_assert(x != NULL && stride == 0 && x[0] == 0.1);
    x = dcs_h5_table_kept(k, 1, &stride);
    cr_assert(x != NULL && stride == 0 && x[0] == 7.0);
    x = dcs_h5_table_kept(k, 3, &stride);
    cr_assert(x != NULL && stride == 0 && isnan(x[0]));
    x = dcs_h5_table_kept(k, 4, &stride);
    cr_assert(x != NULL && stride == 1, "-0.0 is another value than +0.0");
    cr_assert(signbit(x[N - 1]) && !signbit(x[N - 2]));
    x = dcs_h5_table_kept(k, 2, &stride);
    for (int64_t r = 0; r < N; r++)
        cr_assert(eq(dbl, x[(size_t)r * stride], r < LATE ? 2.5 : 2.5 + (double)r));
    cr_assert(dcs_h5_table_kept(k, 5, NULL) == NULL);
    const size_t want[] = {0, 1, 2, 3, 4};
    double *a = malloc(5 * N * sizeof *a), *b = malloc(5 * N * sizeof *b);
    cr_assert(eq(int, dcs_h5_table_read_cols(k, want, 5, a, N, &err), 0), "%s", err.msg);
    cr_assert(eq(int, dcs_h5_table_read_cols(t, want, 5, b, N, &err), 0), "%s", err.msg);
    cr_assert(memcmp(a, b, 5 * N * sizeof *a) == 0);
    free(a);
    free(b);
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), 0), "%s", err.msg);
}

Test(h5out, a_table_past_its_keep_bound_reads_its_rows_back)
{
    /* Room for 1,000 rows of 4 numbers: the table stops keeping at the
     * 1,001st and reads the file instead; one expected to outgrow the bound
     * never keeps. */
    char path[128];
    snprintf(path, sizeof path, "%s/out.h5", dir);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    dcs_h5table *k = dcs_h5_table_create(f, "kept", "", cols, NCOLS, &err);
    dcs_h5table *big = dcs_h5_table_create(f, "big", "", cols, NCOLS, &err);
    const size_t bound = 1000 * 4 * sizeof(double);
    cr_assert(eq(int, dcs_h5_table_keep(k, 0, bound, &err), 0));
    cr_assert(eq(int, dcs_h5_table_keep(big, 1001, bound, &err), 0));
    append_rows(k, 0, 1000);
    append_rows(big, 0, 10);
    cr_assert(dcs_h5_table_kept(k, 4, NULL) != NULL);
    cr_assert(dcs_h5_table_kept(big, 4, NULL) == NULL);
    append_rows(k, 1000, NROWS);
    cr_assert(dcs_h5_table_kept(k, 4, NULL) == NULL);
    double *x = malloc(NROWS * sizeof *x);
    cr_assert(eq(int, dcs_h5_table_read_f64(k, 4, x, NROWS, &err), 0), "%s", err.msg);
    for (int64_t r = 0; r < NROWS; r++)
        cr_assert(eq(dbl, x[r], cost_of(r)));
    free(x);
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), 0), "%s", err.msg);
}

Test(h5out, read_f64_rejects_strings_and_too_many_rows)
{
    char path[128];
    snprintf(path, sizeof path, "%s/out.h5", dir);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    dcs_h5table *t = dcs_h5_table_create(f, "summary", "", cols, NCOLS, &err);
    dcs_cell row[NCOLS] = {{.i = 0}, {.i = 0}, {.s = "z"}, {.f = 1.5}, {.f = 2.5}};
    cr_assert(eq(int, dcs_h5_table_append(t, row, &err), 0));
    double x[4];
    cr_assert(eq(int, dcs_h5_table_read_f64(t, 2, x, 1, &err), DCS_EINPUT));
    cr_assert(strstr(err.msg, "string column") != NULL, "%s", err.msg);
    dcs_err_clear(&err);
    cr_assert(eq(int, dcs_h5_table_read_f64(t, 3, x, 2, &err), DCS_EINPUT));
    dcs_err_clear(&err);
    cr_assert(eq(int, dcs_h5_table_read_f64(t, NCOLS, x, 1, &err), DCS_EINPUT));
    dcs_h5_close(f, 0, NULL);
}

Test(h5out, bad_column_lists_and_duplicate_tables_are_input_errors)
{
    char path[128];
    snprintf(path, sizeof path, "%s/out.h5", dir);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    cr_assert(dcs_h5_table_create(f, "t", "", cols, 0, &err) == NULL);
    cr_assert(eq(int, err.code, DCS_EINPUT));
    dcs_err_clear(&err);
    dcs_column dup[] = {{"a", "", DCS_COL_F64, NULL}, {"a", "", DCS_COL_I64, NULL}};
    cr_assert(dcs_h5_table_create(f, "t", "", dup, 2, &err) == NULL);
    cr_assert(strstr(err.msg, "appears twice") != NULL, "%s", err.msg);
    dcs_err_clear(&err);
    cr_assert(dcs_h5_table_create(f, "t", "", cols, NCOLS, &err) != NULL);
    cr_assert(dcs_h5_table_create(f, "t", "", cols, NCOLS, &err) == NULL);
    cr_assert(eq(int, err.code, DCS_EINPUT));
    cr_assert(strstr(err.msg, "already exists") != NULL, "%s", err.msg);
    dcs_h5_close(f, 0, NULL);
    cr_assert(eq(int, count_entries(), 0));
}

/* What close_read's callback saw of a table's held rows. */
typedef struct held_look {
    dcs_h5file *f;
    const char *name;
    int held;          /* dcs_h5_table_held gave rows */
    size_t nrows;      /* how many */
    int same_as_file;  /* they are the bytes the dataset reads back in their type */
    int other_is_null; /* a name that is no table gives none */
} held_look;

static void look_at_held(void *ctx, int64_t hid)
{
    held_look *l = ctx;
    int64_t type = -1;
    const void *rows = dcs_h5_table_held(l->f, l->name, &l->nrows, &type);
    size_t n = 0;
    l->other_is_null = dcs_h5_table_held(l->f, "no_such_table", &n, &type) == NULL;
    l->held = rows != NULL;
    if (rows == NULL)
        return;
    hid_t d = H5Dopen2((hid_t)hid, l->name, H5P_DEFAULT);
    size_t bytes = H5Tget_size((hid_t)type) * l->nrows;
    unsigned char *back = malloc(bytes + 1);
    l->same_as_file = d >= 0 && back != NULL &&
                      H5Dread(d, (hid_t)type, H5S_ALL, H5S_ALL, H5P_DEFAULT, back) >= 0 &&
                      memcmp(back, rows, bytes) == 0;
    free(back);
    H5Dclose(d);
}

/* Writes nrows rows to a table of chunk_rows rows a chunk, flushing after
 * row flush_at too (0: never), and closes it with look_at_held. */
static held_look close_and_look(size_t chunk_rows, int64_t nrows, int64_t flush_at)
{
    char path[128];
    snprintf(path, sizeof path, "%s/held.h5", dir);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    cr_assert(f != NULL, "%s", err.msg);
    dcs_h5table_opts o = dcs_h5table_defaults;
    o.chunk_rows = chunk_rows;
    dcs_h5table *t = dcs_h5_table_create_opts(f, "stats", "held rows", cols, NCOLS, &o, &err);
    cr_assert(t != NULL, "%s", err.msg);
    for (int64_t r = 0; r < nrows; r++) {
        if (r == flush_at && flush_at > 0)
            cr_assert(eq(int, dcs_h5_table_flush(t, &err), 0), "%s", err.msg);
        dcs_cell row[NCOLS] = {
            {.i = 0}, {.i = r}, {.s = "rep"}, {.f = makespan_of(r)}, {.f = cost_of(r)}};
        cr_assert(eq(int, dcs_h5_table_append(t, row, &err), 0), "%s", err.msg);
    }
    held_look l = {f, "stats", 0, 0, 0, 0};
    cr_assert(eq(int, dcs_h5_close_read(f, 1, look_at_held, &l, &err), 0), "%s", err.msg);
    return l;
}

Test(h5out, a_table_of_one_chunk_is_held_as_the_file_reads_it_back)
{
    held_look l = close_and_look(8, 5, 0);
    cr_assert(l.held);
    cr_assert(eq(sz, l.nrows, 5));
    cr_assert(l.same_as_file);
    cr_assert(l.other_is_null);
    /* A whole chunk, exactly. */
    l = close_and_look(8, 8, 0);
    cr_assert(l.held && l.same_as_file);
    cr_assert(eq(sz, l.nrows, 8));
}

Test(h5out, rows_written_by_more_than_one_flush_are_not_held)
{
    /* Two chunks' worth: the buffer holds only the second. */
    cr_assert_not(close_and_look(4, 5, 0).held);
    /* Flushed in the middle of a chunk, then appended to. */
    cr_assert_not(close_and_look(8, 5, 3).held);
}

Test(h5out, an_append_after_a_flush_ends_the_holding)
{
    char path[128];
    snprintf(path, sizeof path, "%s/held2.h5", dir);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    dcs_h5table *t = dcs_h5_table_create(f, "stats", "held rows", cols, NCOLS, &err);
    cr_assert(t != NULL, "%s", err.msg);
    dcs_cell row[NCOLS] = {{.i = 0}, {.i = 1}, {.s = "a"}, {.f = 1.0}, {.f = 2.0}};
    size_t n = 0;
    int64_t type = -1;
    cr_assert(eq(int, dcs_h5_table_append(t, row, &err), 0));
    cr_assert_null(dcs_h5_table_held(f, "stats", &n, &type), "unflushed rows are not held");
    cr_assert(eq(int, dcs_h5_table_flush(t, &err), 0));
    cr_assert_not_null(dcs_h5_table_held(f, "stats", &n, &type));
    cr_assert(eq(sz, n, 1));
    cr_assert(eq(int, dcs_h5_table_append(t, row, &err), 0));
    cr_assert_null(dcs_h5_table_held(f, "stats", &n, &type));
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), 0), "%s", err.msg);
}
