/*
 * h5in.h - reads back the files h5out.h writes: root and table attributes,
 * and the rows of a table one at a time, through a buffer of one chunk of
 * rows (memory does not grow with the rows of the table). `dcsim merge`
 * reads the parts of a sharded run with it and writes their rows again
 * with h5out.h: a table read here has the columns (names, types, units,
 * descriptions) and storage options (rows per chunk, deflate level, string
 * bytes, enumeration names) to create the same table in another file.
 *
 * Not thread-safe: one thread per file.
 */
#ifndef DCSIM_SIM_H5IN_H
#define DCSIM_SIM_H5IN_H

#include "h5out.h"
#include "status.h"

#include <stddef.h>
#include <stdint.h>

typedef struct dcs_h5in dcs_h5in;
typedef struct dcs_h5rows dcs_h5rows;

/* Opens an HDF5 file read-only. Returns NULL and fills err: DCS_EIO when
 * it cannot be read ("cannot open X: ..."), DCS_EINPUT when it is not an
 * HDF5 file. */
dcs_h5in *dcs_h5in_open(const char *path, dcs_err *err);

/* Closes the file and every row reader still open on it. NULL is a no-op. */
void dcs_h5in_close(dcs_h5in *in);

/* 1 when the object (a dataset or group path such as "sweep/points") or
 * the attribute `name` of object `obj` ("/" for the root) exists, else 0. */
int dcs_h5in_has(dcs_h5in *in, const char *obj);
int dcs_h5in_has_attr(dcs_h5in *in, const char *obj, const char *name);

/* Reads a scalar attribute. A string comes back in *out, allocated (free
 * it). Returns 0, DCS_EINPUT (no such attribute, or of another type) or
 * DCS_EHDF5. */
int dcs_h5in_attr_str(dcs_h5in *in, const char *obj, const char *name, char **out, dcs_err *err);
int dcs_h5in_attr_i64(dcs_h5in *in, const char *obj, const char *name, int64_t *out, dcs_err *err);
int dcs_h5in_attr_f64(dcs_h5in *in, const char *obj, const char *name, double *out, dcs_err *err);

/* Opens table `name` for reading its rows in order. Returns NULL and
 * fills err (DCS_EINPUT: no such table, or a member type h5out.h does not
 * write). The reader belongs to the file. */
dcs_h5rows *dcs_h5rows_open(dcs_h5in *in, const char *name, dcs_err *err);

/* The table's columns (name, type, units, description) and storage
 * options, as dcs_h5_table_create_opts takes them, its description, and
 * its number of rows. Borrowed: valid while the file is open. */
const dcs_column *dcs_h5rows_cols(const dcs_h5rows *r, size_t *ncols);
const dcs_h5table_opts *dcs_h5rows_opts(const dcs_h5rows *r);
const char *dcs_h5rows_description(const dcs_h5rows *r);
uint64_t dcs_h5rows_count(const dcs_h5rows *r);

/* Reads the table's string-array attribute `name` (such as "kinds"):
 * *v (and its strings) borrowed, valid while the file is open. Returns 0,
 * DCS_EINPUT when there is none, or DCS_EHDF5. */
int dcs_h5rows_attr_strs(dcs_h5rows *r, const char *name, const char *const **v, size_t *n,
                         dcs_err *err);

/* Reads the next row into cells (one per column; a string cell points into
 * the reader's buffer, valid until the next call). Returns 1 for a row, 0
 * after the last, or a negative code. */
int dcs_h5rows_next(dcs_h5rows *r, dcs_cell *cells, dcs_err *err);

#endif /* DCSIM_SIM_H5IN_H */
