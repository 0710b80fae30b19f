/*
 * h5out.c - the HDF5 writer: tables of fixed-layout rows, attributes and an
 * atomic commit by rename.
 *
 * Each table is a 1-D compound dataset with two types: a packed file type
 * built from explicit little-endian members (H5T_IEEE_F64LE, H5T_STD_I64LE,
 * NUL-padded fixed strings, enumerations over H5T_STD_U16LE) and a native
 * memory type with the same packed layout. HDF5 converts between them on
 * write (a no-op on a little-endian host), so the bytes in the file do not
 * depend on the host. Object
 * time-stamps are off on every dataset and group we create, and the chunk
 * layout, filters and fill value are fixed, so a dataset's bytes depend on
 * its rows only.
 *
 * Rows are copied into a buffer of one chunk of rows; when it fills,
 * the dataset is extended and the buffer written as one hyperslab, which
 * lines up with one whole chunk. Memory per table is one chunk of rows,
 * whatever the number of rows written.
 *
 * Every HDF5 call is checked. A failure becomes DCS_EHDF5 with the call's
 * name, the object and the innermost message of HDF5's error stack; the
 * caller is expected to have switched HDF5's automatic printing off.
 */
/* madvise and MADV_HUGEPAGE beside POSIX. */
#define _DEFAULT_SOURCE

#include "h5out.h"

#include "pages.h"
#include "zruns.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>
#include <zlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Rows per chunk and per write: 1024 rows of a 40-column table are about
 * 320 KiB, under HDF5's default 1 MiB chunk cache, and large enough that
 * deflate sees repetition across rows. The deflate filter (level 1, the
 * level recorded), its stream written by the run/stored coder, by
 * measurement on the /summary of the Daly-style job and of Llama-3:
 * zlib at level 1 spent ~1.6 us a row of the Daly job, mostly on the
 * noise of the low bytes of doubles, which it hardly shrinks
 * (docs/design-notes.md, "Speed: the cost of a replication"). */
const dcs_h5table_opts dcs_h5table_defaults = {1024, 1, NULL, 0, DCS_H5_STR_LEN, 1};

struct dcs_h5table {
    dcs_h5file *file; /* owner */
    char *name;       /* dataset path inside the file */
    dcs_column *cols; /* copied columns; names, units and descriptions owned */
    size_t ncols;
    size_t *offsets;   /* byte offset of each column in a memory row */
    size_t rowsize;    /* bytes of one memory row */
    int packed;        /* every column F64 or I64: a memory row is the cells' bytes */
    hid_t dset;        /* the dataset */
    hid_t mtype;       /* native memory compound type */
    hid_t strtype;     /* fixed-length string type, opts.str_len bytes */
    hid_t *enum_mtype; /* [ncols] native enum type of ENUM columns, else -1 */
    hid_t *enum_ftype; /* [ncols] little-endian file enum type of ENUM columns, else -1 */
    dcs_h5table_opts opts;
    unsigned char *buf; /* opts.chunk_rows rows */
    size_t nbuf;        /* rows buffered, not yet written */
    uint64_t nwritten;  /* rows written to the dataset */
    /* Rows of a table written by one flush from its first row: still the
     * first rows of buf, and the whole table, until the next append (0
     * otherwise): dcs_h5_table_held. */
    size_t nheld;
    /* The numeric cells of every row, as doubles, column by column, while
     * dcs_h5_table_keep holds them (keep_on): see that function. */
    int keep_on;
    double *keep;      /* keep_nslot columns of keep_cap values, column by column */
    size_t *keep_at;   /* [ncols] column j's slot in keep, or KEEP_ONE, or KEEP_NOT */
    double *keep_one;  /* [ncols] the first row's value of a KEEP_ONE column */
    size_t keep_w;     /* numeric columns */
    size_t keep_nslot; /* columns with a slot: those that have held two values */
    size_t keep_cap;   /* rows keep has room for */
    size_t keep_max;   /* most rows kept: past it, keeping stops */
    uint64_t nkept;    /* rows kept: every row appended while keep_on */
    /* A whole chunk of a filtered table, shuffled (zsrc) and deflated
     * (zdst, compressBound of a chunk, zbytes of dcs_pages_alloc):
     * see write_deflated_chunk. */
    unsigned char *zsrc, *zdst;
    size_t zbytes;
};

/* dcs_h5table.keep_at of a column not kept (not numeric), and of one that
 * has held one value in every row so far. */
#define KEEP_NOT SIZE_MAX
#define KEEP_ONE (SIZE_MAX - 1)

struct dcs_h5file {
    char *path; /* final path */
    char *tmp;  /* temporary path written until commit */
    hid_t fid;
    dcs_h5table **tables; /* owned */
    size_t ntables;
    size_t cap;
};

/* Copies the innermost message of HDF5's error stack into buf and clears
 * the stack. */
static herr_t walk_first(unsigned n, const H5E_error2_t *e, void *data)
{
    if (n == 0 && e->desc != NULL)
        snprintf((char *)data, 128, "%s", e->desc);
    return 0;
}

int dcs_h5_fail(dcs_err *err, const char *call, const char *what)
{
    char detail[128] = "";
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, walk_first, detail);
    H5Eclear2(H5E_DEFAULT);
    if (detail[0] != '\0')
        return dcs_err_set(err, DCS_EHDF5, "%s failed on %s: %s", call, what, detail);
    return dcs_err_set(err, DCS_EHDF5, "%s failed on %s", call, what);
}

/* Finds the C library's errno that HDF5's file driver recorded in its
 * error stack ("..., errno = 28, error message = ..."): 0 when none. */
static herr_t walk_errno(unsigned n, const H5E_error2_t *e, void *data)
{
    (void)n;
    const char *at = e->desc != NULL ? strstr(e->desc, "errno = ") : NULL;
    if (at != NULL && *(int *)data == 0)
        *(int *)data = atoi(at + 8);
    return 0;
}

/* A failed HDF5 call on f's file: when the file system said why (a full
 * disk, a file size limit, a quota), one line with its reason and the name
 * the user gave, "cannot write out.h5: No space left on device" (DCS_EIO);
 * otherwise dcs_h5_fail's message. */
static int write_fail(const dcs_h5file *f, dcs_err *err, const char *call, const char *what)
{
    int e = 0;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, walk_errno, &e);
    if (e == 0)
        return dcs_h5_fail(err, call, what);
    H5Eclear2(H5E_DEFAULT);
    return dcs_err_set(err, DCS_EIO, "cannot write %s: %s", f->path, strerror(e));
}

/* HDF5's automatic printing of errors is a setting of each thread (the
 * library is built thread-safe): the writer may run on any of the
 * runner's threads, so it switches it off where it calls HDF5, and every
 * failure is reported once, by the caller, as one line. */
static void quiet_errors(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

static char *dupstr(const char *s)
{
    if (s == NULL)
        s = "";
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d != NULL)
        memcpy(d, s, n);
    return d;
}

/* Makes the fixed-length, NUL-padded ASCII string type of string columns. */
static hid_t make_strtype(size_t len)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return -1;
    if (H5Tset_size(t, len) < 0 || H5Tset_strpad(t, H5T_STR_NULLPAD) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

/* Makes a variable-length UTF-8 string type for attributes. */
static hid_t make_vlstr(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return -1;
    if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

dcs_h5file *dcs_h5_create(const char *path, dcs_err *err)
{
    dcs_h5file *f = NULL;
    hid_t fapl = -1, fcpl = -1;

    if (path == NULL || path[0] == '\0') {
        dcs_err_set(err, DCS_EINPUT, "output path is empty");
        return NULL;
    }
    f = calloc(1, sizeof *f);
    if (f == NULL)
        goto nomem;
    f->fid = -1;
    f->path = dupstr(path);
    size_t n = strlen(path) + 32;
    f->tmp = malloc(n);
    if (f->path == NULL || f->tmp == NULL)
        goto nomem;
    snprintf(f->tmp, n, "%s.tmp.%ld", path, (long)getpid());

    /* Create the temporary file ourselves first: HDF5's message on an
     * unwritable path is vague, errno is not. */
    /* O_EXCL | O_NOFOLLOW: the temporary name is ours alone, never a link
     * or a file of someone else's that HDF5 would then truncate. */
    int fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0666);
    if (fd < 0) {
        dcs_err_set(err, DCS_EIO, "cannot create %s: %s", f->tmp, strerror(errno));
        goto fail;
    }
    close(fd);

    fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl < 0) {
        dcs_h5_fail(err, "H5Pcreate", f->tmp);
        goto fail_rm;
    }
    /* A strong close degree closes every object still open with the file,
     * so an error path cannot keep the file open. */
    if (H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) < 0) {
        dcs_h5_fail(err, "H5Pset_fclose_degree", f->tmp);
        goto fail_rm;
    }
    fcpl = H5Pcreate(H5P_FILE_CREATE);
    if (fcpl < 0) {
        dcs_h5_fail(err, "H5Pcreate", f->tmp);
        goto fail_rm;
    }
    if (H5Pset_obj_track_times(fcpl, 0) < 0) {
        dcs_h5_fail(err, "H5Pset_obj_track_times", f->tmp);
        goto fail_rm;
    }
    f->fid = H5Fcreate(f->tmp, H5F_ACC_TRUNC, fcpl, fapl);
    if (f->fid < 0) {
        dcs_h5_fail(err, "H5Fcreate", f->tmp);
        goto fail_rm;
    }
    H5Pclose(fcpl);
    H5Pclose(fapl);
    return f;

nomem:
    dcs_err_set(err, DCS_ENOMEM, "out of memory creating %s", path);
    goto fail;
fail_rm:
    remove(f->tmp);
fail:
    if (fcpl >= 0)
        H5Pclose(fcpl);
    if (fapl >= 0)
        H5Pclose(fapl);
    if (f != NULL) {
        free(f->path);
        free(f->tmp);
        free(f);
    }
    return NULL;
}

const char *dcs_h5_temp_path(const dcs_h5file *f)
{
    return f->tmp;
}

/* Memory for the kept rows: from 2 MiB on, whole huge pages (2 MiB,
 * where the kernel has them on request) asked for, so that filling them
 * takes a page fault every 2 MiB, not every 4 KiB (~900 faults, a few
 * per cent of the Daly job's CPU at 10,000 replications); below, a
 * mapping of small pages apart from the heap (pages.h), touched only as
 * far as the columns that change: the kept rows of the Daly job at 1,000
 * replications took such a run into a second huge page of the heap
 * (docs/design-notes.md). Freed with keep_free. */
static double *keep_alloc(size_t n)
{
    size_t bytes = n * sizeof(double), huge = (size_t)2 << 20;
    if (bytes < huge)
        return dcs_pages_alloc(bytes);
    void *p = NULL;
    bytes = (bytes + huge - 1) / huge * huge;
    if (posix_memalign(&p, huge, bytes) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    (void)madvise(p, bytes, MADV_HUGEPAGE); /* a hint: without it, small pages */
#endif
    return p;
}

/* Frees k, from keep_alloc(n). */
static void keep_free(double *k, size_t n)
{
    size_t bytes = n * sizeof(double);
    if (bytes < ((size_t)2 << 20))
        dcs_pages_free(k, bytes);
    else
        free(k);
}

/* Frees a table's memory and closes its HDF5 objects; does not flush. */
static void table_free(dcs_h5table *t)
{
    if (t == NULL)
        return;
    if (t->dset >= 0)
        H5Dclose(t->dset);
    t->dset = -1;
    if (t->mtype >= 0)
        H5Tclose(t->mtype);
    if (t->strtype >= 0)
        H5Tclose(t->strtype);
    for (size_t j = 0; t->cols != NULL && j < t->ncols; j++) {
        free((char *)(uintptr_t)t->cols[j].name);
        free((char *)(uintptr_t)t->cols[j].units);
        free((char *)(uintptr_t)t->cols[j].description);
        if (t->enum_mtype != NULL && t->enum_mtype[j] >= 0)
            H5Tclose(t->enum_mtype[j]);
        if (t->enum_ftype != NULL && t->enum_ftype[j] >= 0)
            H5Tclose(t->enum_ftype[j]);
    }
    free(t->enum_mtype);
    free(t->enum_ftype);
    keep_free(t->keep, t->keep_cap * t->keep_w);
    free(t->keep_at);
    free(t->keep_one);
    free(t->zsrc);
    dcs_pages_free(t->zdst, t->zbytes);
    free(t->cols);
    free(t->offsets);
    free(t->buf);
    free(t->name);
    free(t);
}

_Static_assert(sizeof(hid_t) == sizeof(int64_t), "hid_t is a 64-bit integer (HDF5 1.10 and later)");

int dcs_h5_close(dcs_h5file *f, int commit, dcs_err *err)
{
    return dcs_h5_close_read(f, commit, NULL, NULL, err);
}

int dcs_h5_close_read(dcs_h5file *f, int commit, void (*read)(void *ctx, int64_t hid), void *ctx,
                      dcs_err *err)
{
    if (f == NULL)
        return 0;
    quiet_errors();
    int rc = 0;
    /* Each table written and its dataset closed; its memory freed after
     * read, which may look at the rows it still holds (dcs_h5_table_held). */
    for (size_t i = 0; i < f->ntables; i++) {
        dcs_h5table *t = f->tables[i];
        int r = dcs_h5_table_flush(t, err);
        if (rc == 0)
            rc = r;
        H5Dclose(t->dset);
        t->dset = -1;
    }
    if (rc == 0 && read != NULL)
        read(ctx, (int64_t)f->fid);
    for (size_t i = 0; i < f->ntables; i++)
        table_free(f->tables[i]);
    free(f->tables);
    f->tables = NULL;
    f->ntables = 0;
    if (H5Fclose(f->fid) < 0) {
        int r = write_fail(f, err, "H5Fclose", f->tmp);
        if (rc == 0)
            rc = r;
    }
    struct stat st;
    if (commit && rc == 0 && lstat(f->path, &st) == 0 && !S_ISREG(st.st_mode))
        rc = dcs_err_set(err, DCS_EIO, "will not replace %s: it is no longer a regular file",
                         f->path);
    if (commit && rc == 0) {
        if (rename(f->tmp, f->path) != 0) {
            rc = dcs_err_set(err, DCS_EIO, "cannot rename %s to %s: %s", f->tmp, f->path,
                             strerror(errno));
            remove(f->tmp);
        }
    } else {
        remove(f->tmp);
    }
    free(f->path);
    free(f->tmp);
    free(f);
    return rc;
}

/* Writes attribute `name` of type `type` and shape `space` on loc,
 * replacing an existing one. */
static int write_attr(hid_t loc, const char *obj, const char *name, hid_t type, hid_t space,
                      const void *buf, dcs_err *err)
{
    htri_t ex = H5Aexists(loc, name);
    if (ex < 0)
        return dcs_h5_fail(err, "H5Aexists", name);
    if (ex > 0 && H5Adelete(loc, name) < 0)
        return dcs_h5_fail(err, "H5Adelete", name);
    hid_t a = H5Acreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0)
        return dcs_h5_fail(err, "H5Acreate2", obj);
    int rc = 0;
    if (H5Awrite(a, type, buf) < 0)
        rc = dcs_h5_fail(err, "H5Awrite", name);
    if (H5Aclose(a) < 0 && rc == 0)
        rc = dcs_h5_fail(err, "H5Aclose", name);
    return rc;
}

/* Writes a scalar attribute on the object at path obj. */
static int scalar_attr(dcs_h5file *f, const char *obj, const char *name, hid_t type,
                       const void *buf, dcs_err *err)
{
    if (f == NULL || obj == NULL || name == NULL)
        return dcs_err_set(err, DCS_EINPUT, "attribute: NULL file, object or name");
    /* The file's id stands for its root group: no object to open. */
    int root = strcmp(obj, "/") == 0;
    hid_t o = root ? f->fid : H5Oopen(f->fid, obj, H5P_DEFAULT);
    if (o < 0)
        return dcs_h5_fail(err, "H5Oopen", obj);
    hid_t s = H5Screate(H5S_SCALAR);
    int rc;
    if (s < 0)
        rc = dcs_h5_fail(err, "H5Screate", obj);
    else
        rc = write_attr(o, obj, name, type, s, buf, err);
    if (s >= 0)
        H5Sclose(s);
    if (!root && H5Oclose(o) < 0 && rc == 0)
        rc = dcs_h5_fail(err, "H5Oclose", obj);
    return rc;
}

int dcs_h5_attr_str(dcs_h5file *f, const char *obj, const char *name, const char *value,
                    dcs_err *err)
{
    hid_t t = make_vlstr();
    if (t < 0)
        return dcs_h5_fail(err, "H5Tcopy", name != NULL ? name : "attribute");
    const char *v = value != NULL ? value : "";
    int rc = scalar_attr(f, obj, name, t, &v, err);
    H5Tclose(t);
    return rc;
}

int dcs_h5_attr_i64(dcs_h5file *f, const char *obj, const char *name, int64_t value, dcs_err *err)
{
    return scalar_attr(f, obj, name, H5T_STD_I64LE, &value, err);
}

int dcs_h5_attr_f64(dcs_h5file *f, const char *obj, const char *name, double value, dcs_err *err)
{
    return scalar_attr(f, obj, name, H5T_IEEE_F64LE, &value, err);
}

/* Writes a 1-D attribute of n variable-length strings. */
static int strarray_attr(hid_t loc, const char *obj, const char *name, const char *const *v,
                         size_t n, dcs_err *err)
{
    hsize_t dim = n;
    hid_t t = make_vlstr();
    if (t < 0)
        return dcs_h5_fail(err, "H5Tcopy", obj);
    hid_t s = H5Screate_simple(1, &dim, NULL);
    int rc;
    if (s < 0)
        rc = dcs_h5_fail(err, "H5Screate_simple", obj);
    else
        rc = write_attr(loc, obj, name, t, s, v, err);
    if (s >= 0)
        H5Sclose(s);
    H5Tclose(t);
    return rc;
}

/* Creates every group on the way to the dataset `name`, with time-stamps
 * off. */
static int make_parents(dcs_h5file *f, const char *name, dcs_err *err)
{
    size_t n = strlen(name);
    char *p = dupstr(name);
    if (p == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory creating %s", name);
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    int rc = 0;
    if (gcpl < 0) {
        rc = dcs_h5_fail(err, "H5Pcreate", name);
        goto done;
    }
    if (H5Pset_obj_track_times(gcpl, 0) < 0) {
        rc = dcs_h5_fail(err, "H5Pset_obj_track_times", name);
        goto done;
    }
    for (size_t i = 1; i < n; i++) {
        if (p[i] != '/')
            continue;
        p[i] = '\0';
        htri_t ex = H5Lexists(f->fid, p, H5P_DEFAULT);
        if (ex < 0) {
            rc = dcs_h5_fail(err, "H5Lexists", p);
            goto done;
        }
        if (ex == 0) {
            hid_t g = H5Gcreate2(f->fid, p, H5P_DEFAULT, gcpl, H5P_DEFAULT);
            if (g < 0) {
                rc = dcs_h5_fail(err, "H5Gcreate2", p);
                goto done;
            }
            H5Gclose(g);
        }
        p[i] = '/';
    }
done:
    if (gcpl >= 0)
        H5Pclose(gcpl);
    free(p);
    return rc;
}

/* Builds the packed little-endian file type of the table's columns. On a
 * little-endian host it is the memory type (make_memtype: the same members
 * at the same offsets, native numbers being the little-endian ones), copied
 * rather than built again member by member. */
static hid_t make_filetype(const dcs_h5table *t, dcs_err *err)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    hid_t copy = H5Tcopy(t->mtype);
    if (copy < 0)
        dcs_h5_fail(err, "H5Tcopy", t->name);
    return copy;
#else
    size_t size = 0;
    for (size_t j = 0; j < t->ncols; j++)
        size += t->cols[j].type == DCS_COL_STR    ? t->opts.str_len
                : t->cols[j].type == DCS_COL_ENUM ? 2
                                                  : 8;
    hid_t ft = H5Tcreate(H5T_COMPOUND, size);
    if (ft < 0) {
        dcs_h5_fail(err, "H5Tcreate", t->name);
        return -1;
    }
    size_t off = 0;
    for (size_t j = 0; j < t->ncols; j++) {
        hid_t mt = t->cols[j].type == DCS_COL_F64    ? H5T_IEEE_F64LE
                   : t->cols[j].type == DCS_COL_I64  ? H5T_STD_I64LE
                   : t->cols[j].type == DCS_COL_ENUM ? t->enum_ftype[j]
                                                     : t->strtype;
        if (H5Tinsert(ft, t->cols[j].name, off, mt) < 0) {
            dcs_h5_fail(err, "H5Tinsert", t->cols[j].name);
            H5Tclose(ft);
            return -1;
        }
        off += H5Tget_size(mt);
    }
    return ft;
#endif
}

/* Lays out a memory row packed exactly like the file type (cells are
 * copied in with memcpy, so alignment does not matter) and builds its
 * native type. On a little-endian host the two types are then equal and
 * HDF5 writes the buffer without converting it, which matters for tables of
 * millions of rows. */
static int make_memtype(dcs_h5table *t, dcs_err *err)
{
    size_t off = 0;
    for (size_t j = 0; j < t->ncols; j++) {
        t->offsets[j] = off;
        off += t->cols[j].type == DCS_COL_STR    ? t->opts.str_len
               : t->cols[j].type == DCS_COL_ENUM ? sizeof(uint16_t)
                                                 : 8;
    }
    t->rowsize = off;
    t->packed = sizeof(dcs_cell) == 8;
    for (size_t j = 0; j < t->ncols; j++)
        t->packed &= t->cols[j].type == DCS_COL_F64 || t->cols[j].type == DCS_COL_I64;
    t->mtype = H5Tcreate(H5T_COMPOUND, t->rowsize);
    if (t->mtype < 0)
        return dcs_h5_fail(err, "H5Tcreate", t->name);
    for (size_t j = 0; j < t->ncols; j++) {
        hid_t mt = t->cols[j].type == DCS_COL_F64    ? H5T_NATIVE_DOUBLE
                   : t->cols[j].type == DCS_COL_I64  ? H5T_NATIVE_INT64
                   : t->cols[j].type == DCS_COL_ENUM ? t->enum_mtype[j]
                                                     : t->strtype;
        if (H5Tinsert(t->mtype, t->cols[j].name, t->offsets[j], mt) < 0)
            return dcs_h5_fail(err, "H5Tinsert", t->cols[j].name);
    }
    return 0;
}

/* Checks the column list: names present, unique and short enough, types
 * known. */
static int check_columns(const char *name, const dcs_column *cols, size_t ncols,
                         const dcs_h5table_opts *opts, dcs_err *err)
{
    if (cols == NULL || ncols == 0)
        return dcs_err_set(err, DCS_EINPUT, "table %s has no columns", name);
    for (size_t j = 0; j < ncols; j++) {
        if (cols[j].name == NULL || cols[j].name[0] == '\0')
            return dcs_err_set(err, DCS_EINPUT, "table %s: column %zu has no name", name, j);
        if (cols[j].type != DCS_COL_F64 && cols[j].type != DCS_COL_I64 &&
            cols[j].type != DCS_COL_STR && cols[j].type != DCS_COL_ENUM)
            return dcs_err_set(err, DCS_EINPUT, "table %s: column %s has an unknown type", name,
                               cols[j].name);

        if (cols[j].type == DCS_COL_ENUM && (opts->enum_names == NULL || opts->nenum == 0))
            return dcs_err_set(err, DCS_EINPUT, "table %s: enum column %s has no names", name,
                               cols[j].name);
        for (size_t k = 0; k < j; k++)
            if (strcmp(cols[j].name, cols[k].name) == 0)
                return dcs_err_set(err, DCS_EINPUT, "table %s: column %s appears twice", name,
                                   cols[j].name);
    }
    return 0;
}

/* Writes the table's description, units and column_descriptions
 * attributes. */
static int table_attrs(dcs_h5table *t, const char *description, dcs_err *err)
{
    const char **v = malloc(t->ncols * sizeof *v);
    if (v == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory creating %s", t->name);
    hid_t s = H5Screate(H5S_SCALAR);
    hid_t st = make_vlstr();
    int rc = 0;
    if (s < 0 || st < 0) {
        rc = dcs_h5_fail(err, s < 0 ? "H5Screate" : "H5Tcopy", t->name);
        goto done;
    }
    const char *d = description != NULL ? description : "";
    rc = write_attr(t->dset, t->name, "description", st, s, &d, err);
    for (size_t j = 0; j < t->ncols; j++)
        v[j] = t->cols[j].units;
    if (rc == 0)
        rc = strarray_attr(t->dset, t->name, "units", v, t->ncols, err);
    for (size_t j = 0; j < t->ncols; j++)
        v[j] = t->cols[j].description;
    if (rc == 0)
        rc = strarray_attr(t->dset, t->name, "column_descriptions", v, t->ncols, err);
done:
    if (st >= 0)
        H5Tclose(st);
    if (s >= 0)
        H5Sclose(s);
    free(v);
    return rc;
}

/* Creates the dataset: 1-D, empty, unlimited, chunked, shuffled and
 * deflated (neither at deflate level 0), time-stamps off. */
static int make_dataset(dcs_h5table *t, hid_t ftype, dcs_err *err)
{
    hsize_t dim = 0, maxdim = H5S_UNLIMITED, chunk = t->opts.chunk_rows;
    int rc = 0;
    hid_t dcpl = -1, space = H5Screate_simple(1, &dim, &maxdim);
    if (space < 0)
        return dcs_h5_fail(err, "H5Screate_simple", t->name);
    dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (dcpl < 0) {
        rc = dcs_h5_fail(err, "H5Pcreate", t->name);
        goto done;
    }
    if (H5Pset_chunk(dcpl, 1, &chunk) < 0) {
        rc = dcs_h5_fail(err, "H5Pset_chunk", t->name);
        goto done;
    }
    /* Without deflate, shuffling would only cost time. */
    if (t->opts.deflate > 0 && H5Pset_shuffle(dcpl) < 0) {
        rc = dcs_h5_fail(err, "H5Pset_shuffle", t->name);
        goto done;
    }
    if (t->opts.deflate > 0 && H5Pset_deflate(dcpl, (unsigned)t->opts.deflate) < 0) {
        rc = dcs_h5_fail(err, "H5Pset_deflate", t->name);
        goto done;
    }
    if (H5Pset_obj_track_times(dcpl, 0) < 0) {
        rc = dcs_h5_fail(err, "H5Pset_obj_track_times", t->name);
        goto done;
    }
    t->dset = H5Dcreate2(t->file->fid, t->name, ftype, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (t->dset < 0)
        rc = dcs_h5_fail(err, "H5Dcreate2", t->name);
done:
    if (dcpl >= 0)
        H5Pclose(dcpl);
    H5Sclose(space);
    return rc;
}

/* Makes the native (memory) and little-endian (file) enum types of ENUM
 * column j: value i is named enum_names[i]. */
static int make_enums(dcs_h5table *t, size_t j, const dcs_column *c, dcs_err *err)
{
    const dcs_h5table_opts *o = &t->opts;
    t->enum_mtype[j] = H5Tenum_create(H5T_NATIVE_UINT16);
    t->enum_ftype[j] = H5Tenum_create(H5T_STD_U16LE);
    if (t->enum_mtype[j] < 0 || t->enum_ftype[j] < 0)
        return dcs_h5_fail(err, "H5Tenum_create", c->name);
    for (uint16_t i = 0; i < o->nenum; i++) {
        /* The file type's base is little-endian: insert the value as it
         * is laid out there. */
        unsigned char le[2] = {(unsigned char)(i & 0xff), (unsigned char)(i >> 8)};
        const char *n = o->enum_names[i] != NULL ? o->enum_names[i] : "";
        if (H5Tenum_insert(t->enum_mtype[j], n, &i) < 0 ||
            H5Tenum_insert(t->enum_ftype[j], n, le) < 0)
            return dcs_h5_fail(err, "H5Tenum_insert", n);
    }
    return 0;
}

size_t dcs_h5_chunk_rows(uint64_t rows)
{
    size_t d = dcs_h5table_defaults.chunk_rows;
    return rows == 0 || rows >= d ? d : (size_t)rows;
}

dcs_h5table *dcs_h5_table_create(dcs_h5file *f, const char *name, const char *description,
                                 const dcs_column *cols, size_t ncols, dcs_err *err)
{
    return dcs_h5_table_create_opts(f, name, description, cols, ncols, &dcs_h5table_defaults, err);
}

dcs_h5table *dcs_h5_table_create_opts(dcs_h5file *f, const char *name, const char *description,
                                      const dcs_column *cols, size_t ncols,
                                      const dcs_h5table_opts *opts, dcs_err *err)
{
    if (opts == NULL)
        opts = &dcs_h5table_defaults;
    if (opts->chunk_rows == 0 || opts->deflate < 0 || opts->deflate > 9 || opts->str_len < 2 ||
        opts->str_len > DCS_H5_STR_MAX) {
        dcs_err_set(err, DCS_EINPUT,
                    "table %s: chunk rows must be >= 1, deflate 0 to 9 and string cells 2 to %d "
                    "bytes",
                    name != NULL ? name : "", DCS_H5_STR_MAX);
        return NULL;
    }
    if (f == NULL || name == NULL || name[0] == '\0') {
        dcs_err_set(err, DCS_EINPUT, "table: NULL file or empty name");
        return NULL;
    }
    if (check_columns(name, cols, ncols, opts, err) != 0)
        return NULL;
    htri_t ex = H5Lexists(f->fid, name, H5P_DEFAULT);
    if (ex > 0) {
        dcs_err_set(err, DCS_EINPUT, "table %s already exists", name);
        return NULL;
    }
    if (ex < 0) /* A missing parent group: make_parents creates it. */
        H5Eclear2(H5E_DEFAULT);
    if (f->ntables == f->cap) {
        size_t cap = f->cap == 0 ? 8 : 2 * f->cap;
        dcs_h5table **v = realloc(f->tables, cap * sizeof *v);
        if (v == NULL) {
            dcs_err_set(err, DCS_ENOMEM, "out of memory creating table %s", name);
            return NULL;
        }
        f->tables = v;
        f->cap = cap;
    }

    hid_t ftype = -1;
    dcs_h5table *t = calloc(1, sizeof *t);
    if (t == NULL)
        goto nomem;
    t->file = f;
    t->dset = t->mtype = t->strtype = -1;
    t->opts = *opts;
    t->ncols = ncols;
    t->name = dupstr(name);
    t->cols = calloc(ncols, sizeof *t->cols);
    t->offsets = calloc(ncols, sizeof *t->offsets);
    t->enum_mtype = malloc(ncols * sizeof *t->enum_mtype);
    t->enum_ftype = malloc(ncols * sizeof *t->enum_ftype);
    if (t->name == NULL || t->cols == NULL || t->offsets == NULL || t->enum_mtype == NULL ||
        t->enum_ftype == NULL)
        goto nomem;
    for (size_t j = 0; j < ncols; j++)
        t->enum_mtype[j] = t->enum_ftype[j] = -1;
    for (size_t j = 0; j < ncols; j++) {
        t->cols[j].type = cols[j].type;
        t->cols[j].name = dupstr(cols[j].name);
        t->cols[j].units = dupstr(cols[j].units);
        t->cols[j].description = dupstr(cols[j].description);
        if (t->cols[j].name == NULL || t->cols[j].units == NULL || t->cols[j].description == NULL)
            goto nomem;
        if (cols[j].type == DCS_COL_ENUM && make_enums(t, j, &cols[j], err) != 0)
            goto fail;
    }
    t->strtype = make_strtype(t->opts.str_len);
    if (t->strtype < 0) {
        dcs_h5_fail(err, "H5Tcopy", name);
        goto fail;
    }
    if (make_memtype(t, err) != 0)
        goto fail;
    t->buf = calloc(t->opts.chunk_rows, t->rowsize);
    if (t->buf == NULL)
        goto nomem;
    ftype = make_filetype(t, err);
    if (ftype < 0)
        goto fail;
    if (make_parents(f, name, err) != 0 || make_dataset(t, ftype, err) != 0 ||
        table_attrs(t, description, err) != 0)
        goto fail;
    H5Tclose(ftype);
    f->tables[f->ntables++] = t;
    return t;

nomem:
    dcs_err_set(err, DCS_ENOMEM, "out of memory creating table %s", name);
fail:
    if (ftype >= 0)
        H5Tclose(ftype);
    table_free(t);
    return NULL;
}

/* Stops keeping rows in memory and frees them. */
static void keep_stop(dcs_h5table *t)
{
    t->keep_on = 0;
    keep_free(t->keep, t->keep_cap * t->keep_w);
    t->keep = NULL;
    t->keep_cap = 0;
}

int dcs_h5_table_keep(dcs_h5table *t, uint64_t rows, size_t max_bytes, dcs_err *err)
{
    if (t == NULL || dcs_h5_table_rows(t) > 0 || t->keep_at != NULL)
        return dcs_err_set(err, DCS_EINPUT, "keep: NULL table, or rows already appended");
    t->keep_at = malloc(t->ncols * sizeof *t->keep_at);
    t->keep_one = calloc(t->ncols, sizeof *t->keep_one);
    if (t->keep_at == NULL || t->keep_one == NULL)
        goto nomem;
    for (size_t j = 0; j < t->ncols; j++) {
        int num = t->cols[j].type == DCS_COL_F64 || t->cols[j].type == DCS_COL_I64;
        t->keep_at[j] = num ? KEEP_ONE : KEEP_NOT;
        t->keep_w += (size_t)num;
    }
    t->keep_max = t->keep_w == 0 ? 0 : max_bytes / (t->keep_w * sizeof(double));
    t->keep_on = t->keep_max > 0 && rows <= t->keep_max;
    /* Room for the rows expected at once: no copy while the table grows. */
    size_t cap = rows > 0 ? (size_t)rows : t->opts.chunk_rows;
    t->keep_cap = cap < t->keep_max ? cap : t->keep_max;
    if (t->keep_on && (t->keep = keep_alloc(t->keep_cap * t->keep_w)) == NULL)
        goto nomem;
    return 0;
nomem:
    keep_stop(t);
    return dcs_err_set(err, DCS_ENOMEM, "out of memory keeping the rows of %s", t->name);
}

/* Whether a and b have the same bits (a NaN is its own value, -0.0 not
 * +0.0). */
static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* Copies the numeric cells of a row into the kept rows, making room for
 * it; past keep_max rows the table stops keeping. A column keeps its
 * first value alone (KEEP_ONE) until a row holds another, and only then
 * gets a slot of keep_cap values, filled with that first value up to the
 * row: a column that never changes (26 of the 49 of the Daly-style job's
 * /summary) takes no memory a row, and its pages are never touched. */
static int keep_row(dcs_h5table *t, const dcs_cell *cells, dcs_err *err)
{
    if (t->nkept == t->keep_max) {
        keep_stop(t);
        return 0;
    }
    if (t->nkept == t->keep_cap) {
        size_t cap = t->keep_cap < t->keep_max / 2 ? 2 * t->keep_cap : t->keep_max;
        double *k = keep_alloc(cap * t->keep_w);
        if (k == NULL)
            return dcs_err_set(err, DCS_ENOMEM, "out of memory keeping the rows of %s", t->name);
        for (size_t c = 0; c < t->keep_nslot; c++)
            memcpy(k + c * cap, t->keep + c * t->keep_cap, t->nkept * sizeof *k);
        keep_free(t->keep, t->keep_cap * t->keep_w);
        t->keep = k;
        t->keep_cap = cap;
    }
    for (size_t j = 0; j < t->ncols; j++) {
        size_t at = t->keep_at[j];
        if (at == KEEP_NOT)
            continue;
        double v = t->cols[j].type == DCS_COL_F64 ? cells[j].f : (double)cells[j].i;
        if (at == KEEP_ONE) {
            if (t->nkept == 0)
                t->keep_one[j] = v;
            if (t->nkept == 0 || same_bits(v, t->keep_one[j]))
                continue;
            at = t->keep_at[j] = t->keep_nslot++;
            double *c = t->keep + at * t->keep_cap;
            for (uint64_t r = 0; r < t->nkept; r++)
                c[r] = t->keep_one[j];
        }
        t->keep[at * t->keep_cap + t->nkept] = v;
    }
    t->nkept++;
    return 0;
}

const double *dcs_h5_table_kept(const dcs_h5table *t, size_t col, size_t *stride)
{
    if (t == NULL || !t->keep_on || col >= t->ncols || t->keep_at[col] == KEEP_NOT)
        return NULL;
    int one = t->keep_at[col] == KEEP_ONE;
    if (stride != NULL)
        *stride = one ? 0 : 1;
    return one ? &t->keep_one[col] : t->keep + t->keep_at[col] * t->keep_cap;
}

int dcs_h5_table_append(dcs_h5table *t, const dcs_cell *cells, dcs_err *err)
{
    if (t == NULL || cells == NULL)
        return dcs_err_set(err, DCS_EINPUT, "append: NULL table or row");
    if (t->keep_on && keep_row(t, cells, err) != 0)
        return DCS_ENOMEM;
    t->nheld = 0;
    unsigned char *row = t->buf + t->nbuf * t->rowsize;
    if (t->packed) /* a double or an int64_t a cell, both 8 bytes, in column order */
        memcpy(row, cells, t->rowsize);
    for (size_t j = 0; !t->packed && j < t->ncols; j++) {
        unsigned char *p = row + t->offsets[j];
        switch (t->cols[j].type) {
        case DCS_COL_F64:
            memcpy(p, &cells[j].f, sizeof(double));
            break;
        case DCS_COL_I64:
            memcpy(p, &cells[j].i, sizeof(int64_t));
            break;
        case DCS_COL_ENUM: {
            uint16_t v = (uint16_t)cells[j].i;
            memcpy(p, &v, sizeof v);
            break;
        }
        case DCS_COL_STR: {
            const char *s = cells[j].s != NULL ? cells[j].s : "";
            size_t n = strnlen(s, t->opts.str_len - 1);
            memset(p, 0, t->opts.str_len);
            memcpy(p, s, n);
            break;
        }
        }
    }
    t->nbuf++;
    if (t->nbuf == t->opts.chunk_rows)
        return dcs_h5_table_flush(t, err);
    return 0;
}

uint64_t dcs_h5_table_rows(const dcs_h5table *t)
{
    return t == NULL ? 0 : t->nwritten + t->nbuf;
}

size_t dcs_h5_table_ncols(const dcs_h5table *t)
{
    return t == NULL ? 0 : t->ncols;
}

const dcs_column *dcs_h5_table_col(const dcs_h5table *t, size_t col)
{
    if (t == NULL || col >= t->ncols)
        return NULL;
    return &t->cols[col];
}

const void *dcs_h5_table_held(const dcs_h5file *f, const char *name, size_t *nrows, int64_t *type)
{
    for (size_t i = 0; f != NULL && name != NULL && i < f->ntables; i++) {
        const dcs_h5table *t = f->tables[i];
        if (strcmp(t->name, name) != 0 || t->nheld == 0 || t->nbuf != 0 || t->nwritten != t->nheld)
            continue;
        *nrows = t->nheld;
        *type = (int64_t)t->mtype;
        return t->buf;
    }
    return NULL;
}

long dcs_h5_table_find(const dcs_h5table *t, const char *name)
{
    for (size_t j = 0; t != NULL && name != NULL && j < t->ncols; j++)
        if (strcmp(t->cols[j].name, name) == 0)
            return (long)j;
    return -1;
}

int dcs_h5_table_attr_strs(dcs_h5table *t, const char *name, const char *const *v, size_t n,
                           dcs_err *err)
{
    if (t == NULL || name == NULL || (v == NULL && n > 0))
        return dcs_err_set(err, DCS_EINPUT, "attribute: NULL table, name or values");
    return strarray_attr(t->dset, t->name, name, v, n, err);
}

/* Selects rows [start, start + count) of the dataset's current extent and
 * makes a matching memory space. */
static int select_rows(dcs_h5table *t, hsize_t start, hsize_t count, hid_t *fspace, hid_t *mspace,
                       dcs_err *err)
{
    *fspace = H5Dget_space(t->dset);
    if (*fspace < 0)
        return dcs_h5_fail(err, "H5Dget_space", t->name);
    if (H5Sselect_hyperslab(*fspace, H5S_SELECT_SET, &start, NULL, &count, NULL) < 0)
        return dcs_h5_fail(err, "H5Sselect_hyperslab", t->name);
    *mspace = H5Screate_simple(1, &count, NULL);
    if (*mspace < 0)
        return dcs_h5_fail(err, "H5Screate_simple", t->name);
    return 0;
}

/* Whether the host stores numbers as the file does (little-endian), so
 * that a memory row is the file row byte for byte. */
static int host_is_le(void)
{
    const uint16_t one = 1;
    unsigned char b[2];
    memcpy(b, &one, sizeof b);
    return b[0] == 1;
}

/* Writes the buffer, a chunk of an unfiltered table (its rows past
 * nbuf zero), as it is: the chunk's bytes in the file are the packed rows.
 * H5Dwrite would fill a chunk in HDF5's cache and copy the rows into it (a
 * third of the cost of a trace record). */
static int write_whole_chunk(dcs_h5table *t, dcs_err *err)
{
    hsize_t off = t->nwritten;
    if (H5Dwrite_chunk(t->dset, H5P_DEFAULT, 0, &off, t->opts.chunk_rows * t->rowsize, t->buf) < 0)
        return write_fail(t->file, err, "H5Dwrite_chunk", t->name);
    return 0;
}

/* Transposes the 8 x 8 bytes of x: byte j of x[i] goes to byte i of
 * x[j] (bytes numbered from the least significant), in three rounds of
 * swaps of 4-, 2- and 1-byte blocks. */
static void transpose8(uint64_t x[8])
{
    for (int i = 0; i < 4; i++) {
        uint64_t t = ((x[i] >> 32) ^ x[i + 4]) & UINT64_C(0x00000000FFFFFFFF);
        x[i] ^= t << 32;
        x[i + 4] ^= t;
    }
    static const int two[4] = {0, 1, 4, 5};
    for (int q = 0; q < 4; q++) {
        int i = two[q];
        uint64_t t = ((x[i] >> 16) ^ x[i + 2]) & UINT64_C(0x0000FFFF0000FFFF);
        x[i] ^= t << 16;
        x[i + 2] ^= t;
    }
    for (int i = 0; i < 8; i += 2) {
        uint64_t t = ((x[i] >> 8) ^ x[i + 1]) & UINT64_C(0x00FF00FF00FF00FF);
        x[i] ^= t << 8;
        x[i + 1] ^= t;
    }
}

#ifdef __SSE2__
/* Transposes the 16 x 16 bytes at src (rows rowsize apart) to dst
 * (columns nrows apart): byte k of row i goes to byte i of column k. Four
 * rounds of interleaving rows i and i + 8 byte by byte (SSE2, every
 * x86-64) transpose the block: a quarter of the time of four 8 x 8 blocks
 * in general registers (transpose8). The rounds go from a to b and back:
 * a copy of b into a after each round was a memcpy of 256 bytes that the
 * compiler kept (0.3 M instructions of a Daly -n 1000 run). */
static void transpose16(const unsigned char *src, size_t rowsize, unsigned char *dst, size_t nrows)
{
    __m128i a[16], b[16];
    for (size_t i = 0; i < 16; i++)
        a[i] = _mm_loadu_si128((const __m128i *)(const void *)(src + i * rowsize));
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 8; i++) {
            b[2 * i] = _mm_unpacklo_epi8(a[i], a[i + 8]);
            b[2 * i + 1] = _mm_unpackhi_epi8(a[i], a[i + 8]);
        }
        for (int i = 0; i < 8; i++) {
            a[2 * i] = _mm_unpacklo_epi8(b[i], b[i + 8]);
            a[2 * i + 1] = _mm_unpackhi_epi8(b[i], b[i + 8]);
        }
    }
    for (size_t j = 0; j < 16; j++)
        _mm_storeu_si128((__m128i *)(void *)(dst + j * nrows), a[j]);
}
#endif

/* HDF5's shuffle filter with the row as its element: byte k of every row,
 * then byte k + 1, ... (H5Z__filter_shuffle), for the planes k0 <= k < k1
 * (k0 a multiple of 8): plane k goes to dst + (k - k0) nrows. Blocks of 16
 * rows by 16 bytes (with SSE2), then of 8 rows by 8 bytes, are transposed
 * in registers (on a little-endian host, which the caller checks); the
 * bytes past the last whole block, one at a time. */
static void shuffle_rows(const unsigned char *src, unsigned char *dst, size_t nrows, size_t rowsize,
                         size_t k0, size_t k1)
{
    size_t r8 = nrows / 8 * 8, k8 = rowsize / 8 * 8, e8 = k1 < k8 ? k1 : k8;
    size_t r16 = 0, e16 = k0; /* rows [0, r16) of planes [k0, e16): done by 16 */
#ifdef __SSE2__
    r16 = nrows / 16 * 16;
    e16 = k0 + (e8 - k0) / 16 * 16;
    for (size_t r = 0; r < r16; r += 16)
        for (size_t k = k0; k < e16; k += 16)
            transpose16(src + r * rowsize + k, rowsize, dst + (k - k0) * nrows + r, nrows);
#endif
    for (size_t r = 0; r < r8; r += 8)
        for (size_t k = r < r16 ? e16 : k0; k < e8; k += 8) {
            uint64_t x[8];
            for (int i = 0; i < 8; i++)
                memcpy(&x[i], src + (r + (size_t)i) * rowsize + k, 8);
            transpose8(x);
            for (int j = 0; j < 8; j++)
                memcpy(dst + (k - k0 + (size_t)j) * nrows + r, &x[j], 8);
        }
    for (size_t k = k0; k < k1; k++)
        for (size_t r = k < k8 ? r8 : 0; r < nrows; r++)
            dst[(k - k0) * nrows + r] = src[r * rowsize + k];
}

/* The run/stored coder's stream of the buffer's chunk (zruns.h), its
 * planes shuffled a group at a time into zsrc, which holds one group:
 * 64 KiB for a chunk of 1,024 rows, not the whole shuffled chunk (the
 * pages of a 400 KiB buffer were ~100 page faults a run). Returns the
 * bytes written to zdst. */
static size_t code_runs(dcs_h5table *t)
{
    dcs_zruns z;
    dcs_zruns_start(&z, t->zdst);
    for (size_t k0 = 0; k0 < t->rowsize; k0 += DCS_ZRUNS_GROUP) {
        size_t k1 = t->rowsize - k0 < DCS_ZRUNS_GROUP ? t->rowsize : k0 + DCS_ZRUNS_GROUP;
        shuffle_rows(t->buf, t->zsrc, t->opts.chunk_rows, t->rowsize, k0, k1);
        dcs_zruns_planes(&z, t->zsrc, t->opts.chunk_rows, k1 - k0);
    }
    return dcs_zruns_finish(&z);
}

/* Writes the buffer, a chunk of a shuffled and deflated table (its rows
 * past nbuf zero), through the same two filters done here: the shuffle as HDF5 does it,
 * then zlib's compress2 at the table's level, as HDF5's deflate filter
 * calls it, so the chunk's bytes are the ones H5Dwrite would store (with
 * opts.runs, the run/stored coder's stream instead, which inflates to the
 * same shuffled bytes). H5Dwrite
 * would also calloc a chunk in its cache, copy the rows into it, and take
 * fresh buffers from each filter (page faults: a fifth of a Daly-style
 * run's CPU, docs/design-notes.md). Returns 1, having written nothing,
 * when zlib fails; H5Dwrite then tries (and stores the chunk unfiltered, as
 * HDF5 does when an optional filter fails). */
static int write_deflated_chunk(dcs_h5table *t, dcs_err *err)
{
    size_t n = t->opts.chunk_rows * t->rowsize;
    uLongf z = compressBound((uLong)n);
    size_t zr = dcs_zruns_bound(t->opts.chunk_rows, t->rowsize);
    size_t held = t->opts.runs && t->rowsize > DCS_ZRUNS_GROUP ? DCS_ZRUNS_GROUP : t->rowsize;
    if (t->zsrc == NULL) {
        t->zbytes = zr > z ? zr : z;
        t->zsrc = malloc(t->opts.chunk_rows * held);
        if (t->zsrc == NULL || (t->zdst = dcs_pages_alloc(t->zbytes)) == NULL) {
            free(t->zsrc);
            t->zsrc = NULL;
            return dcs_err_set(err, DCS_ENOMEM, "out of memory compressing %s", t->name);
        }
    }
    if (t->opts.runs) {
        z = (uLongf)code_runs(t);
    } else {
        shuffle_rows(t->buf, t->zsrc, t->opts.chunk_rows, t->rowsize, 0, t->rowsize);
        if (compress2(t->zdst, &z, t->zsrc, (uLong)n, t->opts.deflate) != Z_OK)
            return 1;
    }
    hsize_t off = t->nwritten;
    if (H5Dwrite_chunk(t->dset, H5P_DEFAULT, 0, &off, (size_t)z, t->zdst) < 0)
        return write_fail(t->file, err, "H5Dwrite_chunk", t->name);
    return 0;
}

int dcs_h5_table_flush(dcs_h5table *t, dcs_err *err)
{
    if (t == NULL)
        return dcs_err_set(err, DCS_EINPUT, "flush: NULL table");
    if (t->nbuf == 0)
        return 0;
    hsize_t size = t->nwritten + t->nbuf;
    quiet_errors();
    if (H5Dset_extent(t->dset, &size) < 0)
        return write_fail(t->file, err, "H5Dset_extent", t->name);
    hid_t fspace = -1, mspace = -1;
    int rc = 1;
    /* Rows that start a chunk are written as the chunk's bytes in the file
     * (packed rows on a little-endian host), the rows past the table's end
     * zero, which is HDF5's fill of a chunk when no fill value is set; rows
     * that go on a chunk already written go through H5Dwrite. */
    if (t->nwritten % t->opts.chunk_rows == 0 && host_is_le()) {
        memset(t->buf + t->nbuf * t->rowsize, 0, (t->opts.chunk_rows - t->nbuf) * t->rowsize);
        rc = t->opts.deflate == 0 ? write_whole_chunk(t, err) : write_deflated_chunk(t, err);
    }
    if (rc == 1)
        rc = select_rows(t, t->nwritten, t->nbuf, &fspace, &mspace, err);
    if (rc == 0 && fspace >= 0 &&
        H5Dwrite(t->dset, t->mtype, mspace, fspace, H5P_DEFAULT, t->buf) < 0)
        rc = write_fail(t->file, err, "H5Dwrite", t->name);
    if (mspace >= 0)
        H5Sclose(mspace);
    if (fspace >= 0)
        H5Sclose(fspace);
    if (rc == 0) {
        t->nheld = t->nwritten == 0 ? t->nbuf : 0;
        t->nwritten = size;
        t->nbuf = 0;
    }
    return rc;
}

int dcs_h5_table_read_f64(dcs_h5table *t, size_t col, double *out, size_t n, dcs_err *err)
{
    return dcs_h5_table_read_cols(t, &col, 1, out, n, err);
}

/* Rows per H5Dread of dcs_h5_table_read_cols: its row-major scratch holds
 * this many rows of the columns read. */
#define READ_BLOCK_ROWS 1024

/* Copies the columns of rows [first, first + n) from the kept rows when
 * the table keeps them all: the values written, so those HDF5 would read
 * back. Returns 1 when done. */
static int read_kept(const dcs_h5table *t, const size_t *cols, size_t ncols, uint64_t first,
                     double *out, size_t n)
{
    for (size_t j = 0; j < ncols; j++)
        if (dcs_h5_table_kept(t, cols[j], NULL) == NULL)
            return 0;
    for (size_t j = 0; j < ncols; j++) {
        size_t w = 1;
        const double *x = dcs_h5_table_kept(t, cols[j], &w);
        for (size_t i = 0; i < n; i++)
            out[j * n + i] = x[(first + i) * w];
    }
    return 1;
}

int dcs_h5_table_read_cols(dcs_h5table *t, const size_t *cols, size_t ncols, double *out, size_t n,
                           dcs_err *err)
{
    return dcs_h5_table_read_rows(t, cols, ncols, 0, n, out, err);
}

int dcs_h5_table_read_rows(dcs_h5table *t, const size_t *cols, size_t ncols, uint64_t first,
                           size_t n, double *out, dcs_err *err)
{
    if (t == NULL || (cols == NULL && ncols > 0) || (out == NULL && n > 0 && ncols > 0))
        return dcs_err_set(err, DCS_EINPUT, "read: bad table, column or buffer");
    for (size_t j = 0; j < ncols; j++) {
        if (cols[j] >= t->ncols)
            return dcs_err_set(err, DCS_EINPUT, "read: bad table, column or buffer");
        if (t->cols[cols[j]].type == DCS_COL_STR)
            return dcs_err_set(err, DCS_EINPUT, "read: column %s of %s is a string column",
                               t->cols[cols[j]].name, t->name);
    }
    if (first > dcs_h5_table_rows(t) || n > dcs_h5_table_rows(t) - first)
        return dcs_err_set(err, DCS_EINPUT, "read: rows %llu to %llu asked of %s, which has %llu",
                           (unsigned long long)first, (unsigned long long)(first + n), t->name,
                           (unsigned long long)dcs_h5_table_rows(t));
    int rc = dcs_h5_table_flush(t, err);
    if (rc != 0 || n == 0 || ncols == 0 || read_kept(t, cols, ncols, first, out, n))
        return rc;
    /* A compound type of the wanted members picks the columns out by name;
     * HDF5 converts integer members to double on the way. */
    size_t block = n < READ_BLOCK_ROWS ? n : READ_BLOCK_ROWS;
    size_t width = ncols * sizeof(double);
    double *buf = malloc(block * width);
    hid_t mt = H5Tcreate(H5T_COMPOUND, width);
    hid_t dxpl = H5Pcreate(H5P_DATASET_XFER);
    if (buf == NULL) {
        rc = dcs_err_set(err, DCS_ENOMEM, "cannot allocate %zu rows of %zu columns", block, ncols);
        goto done;
    }
    if (mt < 0 || dxpl < 0) {
        rc = dcs_h5_fail(err, mt < 0 ? "H5Tcreate" : "H5Pcreate", t->name);
        goto done;
    }
    for (size_t j = 0; j < ncols; j++)
        if (H5Tinsert(mt, t->cols[cols[j]].name, j * sizeof(double), H5T_NATIVE_DOUBLE) < 0) {
            rc = dcs_h5_fail(err, "H5Tinsert", t->cols[cols[j]].name);
            goto done;
        }
    /* The type-conversion and background buffers: HDF5 callocs 1 MiB of
     * each per read by default, which dominated a run of one replication;
     * the rows of one read are enough. */
    size_t rowb = t->rowsize > width ? t->rowsize : width;
    if (H5Pset_buffer(dxpl, block * rowb, NULL, NULL) < 0) {
        rc = dcs_h5_fail(err, "H5Pset_buffer", t->name);
        goto done;
    }
    for (size_t r0 = 0; r0 < n && rc == 0; r0 += block) {
        size_t m = n - r0 < block ? n - r0 : block;
        hid_t fspace = -1, mspace = -1;
        rc = select_rows(t, first + r0, m, &fspace, &mspace, err);
        if (rc == 0 && H5Dread(t->dset, mt, mspace, fspace, dxpl, buf) < 0)
            rc = dcs_h5_fail(err, "H5Dread", t->name);
        if (mspace >= 0)
            H5Sclose(mspace);
        if (fspace >= 0)
            H5Sclose(fspace);
        for (size_t i = 0; i < m && rc == 0; i++)
            for (size_t j = 0; j < ncols; j++)
                out[j * n + r0 + i] = buf[i * ncols + j];
    }
done:
    if (dxpl >= 0)
        H5Pclose(dxpl);
    if (mt >= 0)
        H5Tclose(mt);
    free(buf);
    return rc;
}
