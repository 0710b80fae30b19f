/*
 * h5out.h - the HDF5 writer: one output file, tables of rows appended as
 * replications finish, attributes, and an atomic commit.
 *
 * A file is created under a temporary name beside its final path
 * ("OUT.h5.tmp.<pid>") and renamed to the final path by dcs_h5_close(...,
 * commit = true); with commit = false the temporary file is removed, so a
 * failed run leaves nothing behind. Tables are 1-D compound datasets,
 * chunked, compressed (shuffle + deflate), extendible, written with explicit
 * little-endian file types and object time-stamps off, so the bytes of a
 * dataset depend only on its rows. Rows are buffered and written a chunk at
 * a time: memory does not grow with the number of rows.
 *
 * Every table carries a `description` attribute (a string) and a `units`
 * attribute: an array of strings, one per column, in column order ("" for
 * columns without a dimension, such as a replication index or a name).
 *
 * Not thread-safe: one writer thread per file (the runner's ordered writer).
 */
#ifndef DCSIM_SIM_H5OUT_H
#define DCSIM_SIM_H5OUT_H

#include "status.h"

#include <stddef.h>
#include <stdint.h>

typedef enum {
    DCS_COL_F64 = 0, /* double: stored as H5T_IEEE_F64LE */
    DCS_COL_I64 = 1, /* int64_t: stored as H5T_STD_I64LE */
    DCS_COL_STR = 2, /* fixed-length string of dcs_h5table_opts.str_len bytes, NUL padded */
    DCS_COL_ENUM = 3 /* an HDF5 enumeration over H5T_STD_U16LE (dcs_h5table_opts) */
} dcs_col_type;

#define DCS_H5_STR_LEN 48    /* room for any metric or column name dcsim makes */
#define DCS_H5_STR_MAX 65536 /* longest string cell: a sweep label of a few hundred keys */

typedef struct dcs_column {
    const char *name;  /* column (compound member) name, e.g. "makespan_h" */
    const char *units; /* e.g. "h", "USD", "accelerator-h"; "" when none */
    dcs_col_type type;
    const char *description; /* one phrase; may be NULL */
} dcs_column;

/* One cell of a row; which member is read depends on the column's type
 * (i for I64 and ENUM columns). */
typedef union dcs_cell {
    double f;
    int64_t i;
    const char *s; /* borrowed; copied (and truncated to str_len - 1 bytes) on append */
} dcs_cell;

typedef struct dcs_h5file dcs_h5file;
typedef struct dcs_h5table dcs_h5table;

/* Creates a new file at a temporary name beside `path`. Returns NULL and
 * fills err (DCS_EIO or DCS_EHDF5) on failure. */
dcs_h5file *dcs_h5_create(const char *path, dcs_err *err);

/* The temporary name f is written under until it is committed. */
const char *dcs_h5_temp_path(const dcs_h5file *f);

/* Flushes and closes every table and the file. With commit, renames the
 * temporary file to the final path (replacing an existing file); without,
 * removes it. Returns 0 or a negative code; the file is closed either way.
 * NULL is a no-op. */
int dcs_h5_close(dcs_h5file *f, int commit, dcs_err *err);

/* dcs_h5_close with a last look at the file: once every table is written
 * and closed, before the file is, read(ctx, hid) may read the file through
 * the HDF5 API (hid is its hid_t) and must not write to it nor leave
 * anything open; `dcsim run` prints its report so, without opening the
 * file a second time. read is not called when writing the tables failed.
 * During read, dcs_h5_table_held(f, ...) still answers. A NULL read is
 * dcs_h5_close. */
int dcs_h5_close_read(dcs_h5file *f, int commit, void (*read)(void *ctx, int64_t hid), void *ctx,
                      dcs_err *err);

/* The rows of f's table `name` when the whole table is still in memory:
 * every row was written by one flush (a table of at most one chunk) and
 * none appended since. Returns them packed in the table's memory type
 * (*type, an hid_t, borrowed: valid until f is closed), *nrows of them;
 * NULL otherwise. So dcs_h5_close_read's read can take them without
 * reading the dataset back. */
const void *dcs_h5_table_held(const dcs_h5file *f, const char *name, size_t *nrows, int64_t *type);

/* Attributes on the object at `obj` ("/" for the root, or a table name).
 * Strings are stored as variable-length UTF-8 strings; an existing attribute
 * of the same name is replaced. */
int dcs_h5_attr_str(dcs_h5file *f, const char *obj, const char *name, const char *value,
                    dcs_err *err);
int dcs_h5_attr_i64(dcs_h5file *f, const char *obj, const char *name, int64_t value, dcs_err *err);
int dcs_h5_attr_f64(dcs_h5file *f, const char *obj, const char *name, double value, dcs_err *err);

/* Creates a table (dataset `name`, e.g. "summary" or "sweep/points"; groups
 * on the way are created) with the given columns, copied. The table belongs
 * to the file and is closed with it. Returns NULL and fills err on failure. */
dcs_h5table *dcs_h5_table_create(dcs_h5file *f, const char *name, const char *description,
                                 const dcs_column *cols, size_t ncols, dcs_err *err);

/* Storage of a table: rows per chunk (and per write), the deflate level
 * (0 to 9) applied after the shuffle filter (0: neither filter), the enumeration of its
 * DCS_COL_ENUM columns: value i is named enum_names[i] (names distinct,
 * copied), and the bytes of every DCS_COL_STR cell, NUL included (2 to
 * DCS_H5_STR_MAX; longer strings are cut). With deflate, `runs` set has
 * the writer code the shuffled bytes of a chunk itself, as runs or stored
 * (zruns.h), instead of zlib's compress2 at the level: a stream that the
 * same deflate filter reads, written for a fraction of the CPU. */
typedef struct dcs_h5table_opts {
    size_t chunk_rows;
    int deflate;
    const char *const *enum_names; /* [nenum]; needed when a column is DCS_COL_ENUM */
    uint16_t nenum;
    size_t str_len; /* bytes of a string cell */
    int runs;       /* with deflate: the run/stored coder, not compress2 */
} dcs_h5table_opts;

/* The defaults of dcs_h5_table_create: 1024 rows, deflate 1 coded as runs,
 * no enum, strings of DCS_H5_STR_LEN bytes. */
extern const dcs_h5table_opts dcs_h5table_defaults;

/* The chunk rows for a table expected to hold `rows` rows (0: not known):
 * the default, or fewer when the table is smaller. HDF5 filters whole
 * chunks, so a one-row table in a 1024-row chunk shuffles and deflates
 * the fill of 1023 rows. */
size_t dcs_h5_chunk_rows(uint64_t rows);

/* dcs_h5_table_create with explicit storage options. */
dcs_h5table *dcs_h5_table_create_opts(dcs_h5file *f, const char *name, const char *description,
                                      const dcs_column *cols, size_t ncols,
                                      const dcs_h5table_opts *opts, dcs_err *err);

/* Attribute `name` on the table: an array of n strings (copied). */
int dcs_h5_table_attr_strs(dcs_h5table *t, const char *name, const char *const *v, size_t n,
                           dcs_err *err);

/* Appends one row: cells[j] holds column j. */
int dcs_h5_table_append(dcs_h5table *t, const dcs_cell *cells, dcs_err *err);

/* Number of rows appended so far. */
uint64_t dcs_h5_table_rows(const dcs_h5table *t);

/* Writes buffered rows to the file. */
int dcs_h5_table_flush(dcs_h5table *t, dcs_err *err);

/* Reads column `col` of rows [0, n) back as doubles (I64 columns are
 * converted) into out, which has room for n values. Flushes first. Used to
 * compute statistics without holding every row in memory. */
int dcs_h5_table_read_f64(dcs_h5table *t, size_t col, double *out, size_t n, dcs_err *err);

/* Reads columns cols[0..ncols) of rows [0, n) back as doubles in one pass
 * over the table: column cols[j] goes to out[j * n .. j * n + n). Each
 * chunk is read (and inflated) once for all the columns, through transfer
 * buffers sized to the rows read, not HDF5's default 1 MiB ones. Flushes
 * first. */
int dcs_h5_table_read_cols(dcs_h5table *t, const size_t *cols, size_t ncols, double *out, size_t n,
                           dcs_err *err);

/* The same for rows [first, first + n): column cols[j]'s row first + i
 * goes to out[j * n + i]. */
int dcs_h5_table_read_rows(dcs_h5table *t, const size_t *cols, size_t ncols, uint64_t first,
                           size_t n, double *out, dcs_err *err);

/* Keeps the numeric (F64 and I64) cells of the rows appended from now on in
 * memory too, as doubles, while they take at most max_bytes; `rows` is the
 * count expected (0: not known), for which room is made at once, and a
 * table expected to outgrow max_bytes keeps nothing. Past max_bytes the
 * table stops keeping and frees them (an append that finds no memory for
 * its row fails with DCS_ENOMEM, as any allocation). While it keeps
 * them, dcs_h5_table_read_cols and dcs_h5_table_kept read no chunk back
 * (the values are the ones written, so the ones HDF5 would read). Before
 * the first append only; returns 0, or DCS_EINPUT / DCS_ENOMEM. */
int dcs_h5_table_keep(dcs_h5table *t, uint64_t rows, size_t max_bytes, dcs_err *err);

/* Column col of every row appended, as dcs_h5_table_keep keeps it: row i's
 * value at [i * *stride], where the stride is 0 while every row holds the
 * same value (the same bits), which is then all that is kept of it (stride
 * may be NULL to ask only whether the column is kept); NULL when the table
 * does not keep it (not asked, stopped, or not a numeric column).
 * Borrowed: valid until the next append. */
const double *dcs_h5_table_kept(const dcs_h5table *t, size_t col, size_t *stride);

/* Number of columns of the table. */
size_t dcs_h5_table_ncols(const dcs_h5table *t);

/* Column `col` (< ncols) as the table keeps it: borrowed, valid until the
 * file is closed. */
const dcs_column *dcs_h5_table_col(const dcs_h5table *t, size_t col);

/* Index of the column named `name`, or -1 when the table has none. */
long dcs_h5_table_find(const dcs_h5table *t, const char *name);

/* Records a failed HDF5 call: sets err to DCS_EHDF5 with "CALL failed on
 * WHAT: <innermost HDF5 message>" and clears HDF5's error stack. Returns
 * DCS_EHDF5. For other code that calls the HDF5 API (the report reader). */
int dcs_h5_fail(dcs_err *err, const char *call, const char *what);

#endif /* DCSIM_SIM_H5OUT_H */
