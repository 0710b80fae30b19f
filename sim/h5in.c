/*
 * h5in.c - reading back what h5out.c writes.
 *
 * A table's file type is a packed compound of little-endian doubles,
 * 64-bit integers, fixed NUL-padded strings and enumerations over 16-bit
 * unsigned integers (h5out.c); any other member type is refused. Rows are
 * read a chunk at a time into a native compound laid out as h5out.c lays
 * out its memory rows, and handed out one by one as cells.
 *
 * Every HDF5 call is checked; a failure becomes DCS_EHDF5 through
 * dcs_h5_fail.
 */
#include "h5in.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

typedef struct strs {
    char **v;
    size_t n;
} strs;

struct dcs_h5rows {
    dcs_h5in *in;
    char *name;
    hid_t dset, mtype, strtype;
    dcs_column *cols; /* names, units, descriptions owned */
    size_t ncols;
    size_t *offsets;
    size_t rowsize;
    dcs_h5table_opts opts;
    strs enums; /* the names of the enumeration (one for the table) */
    char *description;
    uint64_t nrows, nread; /* rows in the table; rows read into buf so far */
    unsigned char *buf;
    size_t nbuf, pos; /* rows in buf; next row of buf */
    char *scratch;    /* ncols strings of str_len + 1 bytes */
    strs *attrs;      /* string arrays read by dcs_h5rows_attr_strs */
    size_t nattrs;
};

struct dcs_h5in {
    char *path;
    hid_t fid;
    dcs_h5rows **rows;
    size_t nrows;
};

static char *dupstr(const char *s)
{
    size_t n = strlen(s != NULL ? s : "") + 1;
    char *d = malloc(n);
    if (d != NULL)
        memcpy(d, s != NULL ? s : "", n);
    return d;
}

static void strs_free(strs *s)
{
    for (size_t i = 0; s->v != NULL && i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

static hid_t make_vlstr(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t >= 0 && (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0)) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

dcs_h5in *dcs_h5in_open(const char *path, dcs_err *err)
{
    FILE *probe = fopen(path, "rb");
    if (probe == NULL) {
        dcs_err_set(err, DCS_EIO, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    fclose(probe);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (H5Fis_hdf5(path) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        dcs_err_set(err, DCS_EINPUT, "%s is not an HDF5 file", path);
        return NULL;
    }
    dcs_h5in *in = calloc(1, sizeof *in);
    if (in == NULL || (in->path = dupstr(path)) == NULL) {
        free(in);
        dcs_err_set(err, DCS_ENOMEM, "out of memory opening %s", path);
        return NULL;
    }
    in->fid = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (in->fid < 0) {
        dcs_h5_fail(err, "H5Fopen", path);
        free(in->path);
        free(in);
        return NULL;
    }
    return in;
}

static void rows_free(dcs_h5rows *r)
{
    if (r == NULL)
        return;
    if (r->dset >= 0)
        H5Dclose(r->dset);
    if (r->mtype >= 0)
        H5Tclose(r->mtype);
    if (r->strtype >= 0)
        H5Tclose(r->strtype);
    for (size_t j = 0; r->cols != NULL && j < r->ncols; j++) {
        free((char *)(uintptr_t)r->cols[j].name);
        free((char *)(uintptr_t)r->cols[j].units);
        free((char *)(uintptr_t)r->cols[j].description);
    }
    for (size_t i = 0; i < r->nattrs; i++)
        strs_free(&r->attrs[i]);
    free(r->attrs);
    strs_free(&r->enums);
    free(r->cols);
    free(r->offsets);
    free(r->description);
    free(r->buf);
    free(r->scratch);
    free(r->name);
    free(r);
}

void dcs_h5in_close(dcs_h5in *in)
{
    if (in == NULL)
        return;
    for (size_t i = 0; i < in->nrows; i++)
        rows_free(in->rows[i]);
    free(in->rows);
    H5Fclose(in->fid);
    free(in->path);
    free(in);
}

int dcs_h5in_has(dcs_h5in *in, const char *obj)
{
    /* Each link on the way must exist before the next is asked about. */
    char path[512];
    snprintf(path, sizeof path, "%s", obj);
    for (char *p = path + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        htri_t ex = H5Lexists(in->fid, path, H5P_DEFAULT);
        *p = '/';
        if (ex <= 0) {
            H5Eclear2(H5E_DEFAULT);
            return 0;
        }
    }
    htri_t ex = H5Lexists(in->fid, path, H5P_DEFAULT);
    H5Eclear2(H5E_DEFAULT);
    return ex > 0;
}

int dcs_h5in_has_attr(dcs_h5in *in, const char *obj, const char *name)
{
    htri_t ex = H5Aexists_by_name(in->fid, obj, name, H5P_DEFAULT);
    H5Eclear2(H5E_DEFAULT);
    return ex > 0;
}

/* Opens attribute `name` of obj, checking its type class. */
static hid_t open_attr(dcs_h5in *in, const char *obj, const char *name, H5T_class_t cls,
                       dcs_err *err)
{
    if (!dcs_h5in_has_attr(in, obj, name)) {
        dcs_err_set(err, DCS_EINPUT, "%s has no attribute %s on %s", in->path, name, obj);
        return -1;
    }
    hid_t a = H5Aopen_by_name(in->fid, obj, name, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0) {
        dcs_h5_fail(err, "H5Aopen_by_name", name);
        return -1;
    }
    hid_t t = H5Aget_type(a);
    H5T_class_t c = t >= 0 ? H5Tget_class(t) : H5T_NO_CLASS;
    if (t >= 0)
        H5Tclose(t);
    if (c != cls) {
        H5Aclose(a);
        dcs_err_set(err, DCS_EINPUT, "%s: attribute %s on %s has an unexpected type", in->path,
                    name, obj);
        return -1;
    }
    return a;
}

int dcs_h5in_attr_str(dcs_h5in *in, const char *obj, const char *name, char **out, dcs_err *err)
{
    *out = NULL;
    hid_t a = open_attr(in, obj, name, H5T_STRING, err);
    if (a < 0)
        return err->code;
    hid_t t = make_vlstr();
    char *p = NULL;
    int rc = 0;
    if (t < 0 || H5Aread(a, t, &p) < 0)
        rc = dcs_h5_fail(err, "H5Aread", name);
    if (rc == 0 && (*out = dupstr(p)) == NULL)
        rc = dcs_err_set(err, DCS_ENOMEM, "out of memory reading %s", name);
    if (p != NULL)
        H5free_memory(p);
    if (t >= 0)
        H5Tclose(t);
    H5Aclose(a);
    return rc;
}

static int attr_num(dcs_h5in *in, const char *obj, const char *name, H5T_class_t cls, hid_t mt,
                    void *out, dcs_err *err)
{
    hid_t a = open_attr(in, obj, name, cls, err);
    if (a < 0)
        return err->code;
    int rc = H5Aread(a, mt, out) < 0 ? dcs_h5_fail(err, "H5Aread", name) : 0;
    H5Aclose(a);
    return rc;
}

int dcs_h5in_attr_i64(dcs_h5in *in, const char *obj, const char *name, int64_t *out, dcs_err *err)
{
    return attr_num(in, obj, name, H5T_INTEGER, H5T_NATIVE_INT64, out, err);
}

int dcs_h5in_attr_f64(dcs_h5in *in, const char *obj, const char *name, double *out, dcs_err *err)
{
    return attr_num(in, obj, name, H5T_FLOAT, H5T_NATIVE_DOUBLE, out, err);
}

/* Reads a 1-D attribute of strings of loc into s (copies). */
static int read_strs(hid_t loc, const char *what, const char *name, strs *s, dcs_err *err)
{
    s->v = NULL;
    s->n = 0;
    htri_t ex = H5Aexists(loc, name);
    if (ex <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return dcs_err_set(err, DCS_EINPUT, "%s has no attribute %s", what, name);
    }
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    hid_t sp = a >= 0 ? H5Aget_space(a) : -1;
    hid_t t = make_vlstr();
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    char **p = NULL;
    int rc = 0;
    if (a < 0 || sp < 0 || t < 0 || n < 0) {
        rc = dcs_h5_fail(err, "H5Aopen", name);
        goto done;
    }
    p = calloc((size_t)n + 1, sizeof *p);
    s->v = calloc((size_t)n + 1, sizeof *s->v);
    if (p == NULL || s->v == NULL) {
        rc = dcs_err_set(err, DCS_ENOMEM, "out of memory reading %s", name);
        goto done;
    }
    if (H5Aread(a, t, p) < 0) {
        rc = dcs_h5_fail(err, "H5Aread", name);
        goto done;
    }
    for (hssize_t i = 0; i < n && rc == 0; i++) {
        if ((s->v[i] = dupstr(p[i])) == NULL)
            rc = dcs_err_set(err, DCS_ENOMEM, "out of memory reading %s", name);
        s->n = (size_t)i + 1;
    }
    H5Dvlen_reclaim(t, sp, H5P_DEFAULT, p);
done:
    free(p);
    if (t >= 0)
        H5Tclose(t);
    if (sp >= 0)
        H5Sclose(sp);
    if (a >= 0)
        H5Aclose(a);
    if (rc != 0)
        strs_free(s);
    return rc;
}

/* The enumeration of a member: names in value order, values 0, 1, ... */
static int read_enum(dcs_h5rows *r, hid_t et, const char *col, dcs_err *err)
{
    int n = H5Tget_nmembers(et);
    if (n <= 0 || n > UINT16_MAX || H5Tget_size(et) != 2)
        return dcs_err_set(err, DCS_EINPUT, "%s: column %s is not a 16-bit enumeration", r->name,
                           col);
    strs e = {calloc((size_t)n, sizeof(char *)), 0};
    if (e.v == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory reading %s", r->name);
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        unsigned char le[2];
        char *nm = H5Tget_member_name(et, (unsigned)i);
        if (nm == NULL || H5Tget_member_value(et, (unsigned)i, le) < 0) {
            rc = dcs_h5_fail(err, "H5Tget_member_value", col);
        } else if ((le[0] | le[1] << 8) != i) {
            rc = dcs_err_set(err, DCS_EINPUT,
                             "%s: the enumeration of column %s is not numbered 0, 1, ...", r->name,
                             col);
        } else if ((e.v[i] = dupstr(nm)) == NULL) {
            rc = dcs_err_set(err, DCS_ENOMEM, "out of memory reading %s", r->name);
        }
        e.n = (size_t)i + 1;
        if (nm != NULL)
            H5free_memory(nm);
    }
    if (rc == 0 && r->enums.v != NULL) {
        int same = r->enums.n == e.n;
        for (size_t i = 0; same && i < e.n; i++)
            same = strcmp(r->enums.v[i], e.v[i]) == 0;
        if (!same)
            rc = dcs_err_set(err, DCS_EINPUT, "%s: two enumerations in one table", r->name);
        strs_free(&e);
    } else if (rc == 0) {
        r->enums = e;
    } else {
        strs_free(&e);
    }
    return rc;
}

/* The columns of the file type, and a native memory type of the same
 * packed layout. */
static int read_columns(dcs_h5rows *r, hid_t ft, dcs_err *err)
{
    int n = H5Tget_class(ft) == H5T_COMPOUND ? H5Tget_nmembers(ft) : -1;
    if (n <= 0)
        return dcs_err_set(err, DCS_EINPUT, "%s is not a table of rows", r->name);
    r->ncols = (size_t)n;
    r->cols = calloc(r->ncols, sizeof *r->cols);
    r->offsets = calloc(r->ncols, sizeof *r->offsets);
    if (r->cols == NULL || r->offsets == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory reading %s", r->name);
    size_t str_len = 0;
    int rc = 0;
    for (size_t j = 0; j < r->ncols && rc == 0; j++) {
        hid_t mt = H5Tget_member_type(ft, (unsigned)j);
        char *nm = H5Tget_member_name(ft, (unsigned)j);
        if (mt < 0 || nm == NULL) {
            rc = dcs_h5_fail(err, "H5Tget_member_type", r->name);
        } else {
            r->cols[j].name = dupstr(nm);
            H5T_class_t c = H5Tget_class(mt);
            size_t size = H5Tget_size(mt);
            if (c == H5T_FLOAT && size == 8) {
                r->cols[j].type = DCS_COL_F64;
            } else if (c == H5T_INTEGER && size == 8) {
                r->cols[j].type = DCS_COL_I64;
            } else if (c == H5T_STRING && H5Tis_variable_str(mt) == 0 &&
                       (str_len == 0 || size == str_len)) {
                r->cols[j].type = DCS_COL_STR;
                str_len = size;
            } else if (c == H5T_ENUM) {
                r->cols[j].type = DCS_COL_ENUM;
                rc = read_enum(r, mt, nm, err);
            } else {
                rc = dcs_err_set(err, DCS_EINPUT, "%s: column %s has a type dcsim does not write",
                                 r->name, nm);
            }
        }
        if (nm != NULL)
            H5free_memory(nm);
        if (mt >= 0)
            H5Tclose(mt);
        if (rc == 0 && r->cols[j].name == NULL)
            rc = dcs_err_set(err, DCS_ENOMEM, "out of memory reading %s", r->name);
    }
    if (rc != 0)
        return rc;
    r->opts.str_len = str_len ? str_len : DCS_H5_STR_LEN;
    r->opts.enum_names = (const char *const *)r->enums.v;
    r->opts.nenum = (uint16_t)r->enums.n;
    r->strtype = H5Tcopy(H5T_C_S1);
    if (r->strtype < 0 || H5Tset_size(r->strtype, r->opts.str_len) < 0 ||
        H5Tset_strpad(r->strtype, H5T_STR_NULLPAD) < 0)
        return dcs_h5_fail(err, "H5Tset_size", r->name);
    size_t off = 0;
    for (size_t j = 0; j < r->ncols; j++) {
        r->offsets[j] = off;
        off += r->cols[j].type == DCS_COL_STR    ? r->opts.str_len
               : r->cols[j].type == DCS_COL_ENUM ? sizeof(uint16_t)
                                                 : 8;
    }
    r->rowsize = off;
    r->mtype = H5Tcreate(H5T_COMPOUND, r->rowsize);
    if (r->mtype < 0)
        return dcs_h5_fail(err, "H5Tcreate", r->name);
    for (size_t j = 0; j < r->ncols; j++) {
        hid_t mt = -1;
        if (r->cols[j].type == DCS_COL_ENUM) {
            mt = H5Tenum_create(H5T_NATIVE_UINT16);
            for (uint16_t i = 0; mt >= 0 && i < r->opts.nenum; i++)
                if (H5Tenum_insert(mt, r->enums.v[i], &i) < 0) {
                    H5Tclose(mt);
                    mt = -1;
                }
            if (mt < 0)
                return dcs_h5_fail(err, "H5Tenum_insert", r->cols[j].name);
        }
        hid_t use = r->cols[j].type == DCS_COL_F64   ? H5T_NATIVE_DOUBLE
                    : r->cols[j].type == DCS_COL_I64 ? H5T_NATIVE_INT64
                    : r->cols[j].type == DCS_COL_STR ? r->strtype
                                                     : mt;
        herr_t e = H5Tinsert(r->mtype, r->cols[j].name, r->offsets[j], use);
        if (mt >= 0)
            H5Tclose(mt);
        if (e < 0)
            return dcs_h5_fail(err, "H5Tinsert", r->cols[j].name);
    }
    return 0;
}

/* Units, column descriptions and the description of the table. */
static int read_table_attrs(dcs_h5rows *r, dcs_err *err)
{
    strs u = {0}, d = {0};
    int rc = read_strs(r->dset, r->name, "units", &u, err);
    if (rc == 0)
        rc = read_strs(r->dset, r->name, "column_descriptions", &d, err);
    if (rc == 0 && (u.n != r->ncols || d.n != r->ncols))
        rc = dcs_err_set(err, DCS_EINPUT,
                         "%s: units or column_descriptions do not match its %zu "
                         "columns",
                         r->name, r->ncols);
    for (size_t j = 0; rc == 0 && j < r->ncols; j++) {
        r->cols[j].units = u.v[j];
        r->cols[j].description = d.v[j];
        u.v[j] = d.v[j] = NULL;
    }
    strs_free(&u);
    strs_free(&d);
    if (rc != 0)
        return rc;
    hid_t a = H5Aopen(r->dset, "description", H5P_DEFAULT);
    hid_t t = make_vlstr();
    char *p = NULL;
    if (a < 0 || t < 0 || H5Aread(a, t, &p) < 0)
        rc = dcs_h5_fail(err, "H5Aread", "description");
    else if ((r->description = dupstr(p)) == NULL)
        rc = dcs_err_set(err, DCS_ENOMEM, "out of memory reading %s", r->name);
    if (p != NULL)
        H5free_memory(p);
    if (t >= 0)
        H5Tclose(t);
    if (a >= 0)
        H5Aclose(a);
    return rc;
}

/* Rows per chunk and deflate level of the dataset. */
static int read_storage(dcs_h5rows *r, dcs_err *err)
{
    hid_t dcpl = H5Dget_create_plist(r->dset);
    if (dcpl < 0)
        return dcs_h5_fail(err, "H5Dget_create_plist", r->name);
    hsize_t chunk = 0;
    int rc = 0;
    if (H5Pget_layout(dcpl) != H5D_CHUNKED || H5Pget_chunk(dcpl, 1, &chunk) != 1 || chunk == 0)
        rc = dcs_err_set(err, DCS_EINPUT, "%s is not a chunked table", r->name);
    r->opts.chunk_rows = (size_t)chunk;
    r->opts.deflate = 0;
    int nf = rc == 0 ? H5Pget_nfilters(dcpl) : 0;
    for (int i = 0; i < nf; i++) {
        unsigned flags, cd[8];
        size_t ncd = 8;
        char fname[64];
        unsigned config;
        H5Z_filter_t id =
            H5Pget_filter2(dcpl, (unsigned)i, &flags, &ncd, cd, sizeof fname, fname, &config);
        if (id == H5Z_FILTER_DEFLATE && ncd >= 1)
            r->opts.deflate = (int)cd[0];
    }
    /* Who wrote the deflate stream is not recorded: a copy is written as
     * dcsim writes its tables. */
    r->opts.runs = dcs_h5table_defaults.runs;
    H5Pclose(dcpl);
    return rc;
}

dcs_h5rows *dcs_h5rows_open(dcs_h5in *in, const char *name, dcs_err *err)
{
    if (!dcs_h5in_has(in, name)) {
        dcs_err_set(err, DCS_EINPUT, "%s has no table /%s", in->path, name);
        return NULL;
    }
    dcs_h5rows **v = realloc(in->rows, (in->nrows + 1) * sizeof *v);
    dcs_h5rows *r = calloc(1, sizeof *r);
    if (v != NULL)
        in->rows = v;
    if (v == NULL || r == NULL || (r->name = dupstr(name)) == NULL) {
        free(r);
        dcs_err_set(err, DCS_ENOMEM, "out of memory reading %s", name);
        return NULL;
    }
    r->in = in;
    r->dset = r->mtype = r->strtype = -1;
    hid_t ft = -1, sp = -1;
    r->dset = H5Dopen2(in->fid, name, H5P_DEFAULT);
    if (r->dset < 0) {
        dcs_h5_fail(err, "H5Dopen2", name);
        goto fail;
    }
    ft = H5Dget_type(r->dset);
    sp = H5Dget_space(r->dset);
    hsize_t dim = 0;
    if (ft < 0 || sp < 0 || H5Sget_simple_extent_ndims(sp) != 1 ||
        H5Sget_simple_extent_dims(sp, &dim, NULL) != 1) {
        dcs_err_set(err, DCS_EINPUT, "%s: /%s is not a table of rows", in->path, name);
        goto fail;
    }
    r->nrows = dim;
    if (read_columns(r, ft, err) != 0 || read_table_attrs(r, err) != 0 || read_storage(r, err) != 0)
        goto fail;
    r->buf = malloc(r->opts.chunk_rows * r->rowsize);
    r->scratch = malloc(r->ncols * (r->opts.str_len + 1));
    if (r->buf == NULL || r->scratch == NULL) {
        dcs_err_set(err, DCS_ENOMEM, "out of memory reading %s", name);
        goto fail;
    }
    H5Tclose(ft);
    H5Sclose(sp);
    in->rows[in->nrows++] = r;
    return r;
fail:
    if (ft >= 0)
        H5Tclose(ft);
    if (sp >= 0)
        H5Sclose(sp);
    rows_free(r);
    return NULL;
}

const dcs_column *dcs_h5rows_cols(const dcs_h5rows *r, size_t *ncols)
{
    *ncols = r->ncols;
    return r->cols;
}

const dcs_h5table_opts *dcs_h5rows_opts(const dcs_h5rows *r)
{
    return &r->opts;
}

const char *dcs_h5rows_description(const dcs_h5rows *r)
{
    return r->description;
}

uint64_t dcs_h5rows_count(const dcs_h5rows *r)
{
    return r->nrows;
}

int dcs_h5rows_attr_strs(dcs_h5rows *r, const char *name, const char *const **v, size_t *n,
                         dcs_err *err)
{
    strs *a = realloc(r->attrs, (r->nattrs + 1) * sizeof *a);
    if (a == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory reading %s", name);
    r->attrs = a;
    int rc = read_strs(r->dset, r->name, name, &a[r->nattrs], err);
    if (rc != 0)
        return rc;
    *v = (const char *const *)a[r->nattrs].v;
    *n = a[r->nattrs].n;
    r->nattrs++;
    return 0;
}

int dcs_h5rows_next(dcs_h5rows *r, dcs_cell *cells, dcs_err *err)
{
    if (r->pos == r->nbuf) {
        if (r->nread == r->nrows)
            return 0;
        hsize_t start = r->nread, count = r->nrows - r->nread;
        if (count > r->opts.chunk_rows)
            count = r->opts.chunk_rows;
        hid_t fs = H5Dget_space(r->dset), ms = H5Screate_simple(1, &count, NULL);
        int rc = 0;
        if (fs < 0 || ms < 0 ||
            H5Sselect_hyperslab(fs, H5S_SELECT_SET, &start, NULL, &count, NULL) < 0 ||
            H5Dread(r->dset, r->mtype, ms, fs, H5P_DEFAULT, r->buf) < 0)
            rc = dcs_h5_fail(err, "H5Dread", r->name);
        if (ms >= 0)
            H5Sclose(ms);
        if (fs >= 0)
            H5Sclose(fs);
        if (rc != 0)
            return rc;
        r->nread += count;
        r->nbuf = (size_t)count;
        r->pos = 0;
    }
    const unsigned char *row = r->buf + r->pos++ * r->rowsize;
    for (size_t j = 0; j < r->ncols; j++) {
        const unsigned char *p = row + r->offsets[j];
        switch (r->cols[j].type) {
        case DCS_COL_F64:
            memcpy(&cells[j].f, p, sizeof(double));
            break;
        case DCS_COL_I64:
            memcpy(&cells[j].i, p, sizeof(int64_t));
            break;
        case DCS_COL_ENUM: {
            uint16_t v;
            memcpy(&v, p, sizeof v);
            cells[j].i = v;
            break;
        }
        case DCS_COL_STR: {
            char *s = r->scratch + j * (r->opts.str_len + 1);
            memcpy(s, p, r->opts.str_len);
            s[r->opts.str_len] = '\0';
            cells[j].s = s;
            break;
        }
        }
    }
    return 1;
}
