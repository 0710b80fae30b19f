/*
 * report.c - prints the /stats table of a dcsim output file as text, CSV or
 * JSON.
 *
 * The file is opened read-only with the plain HDF5 API: a report must work
 * on any finished (or interrupted) file, without the scenario that made it.
 * /stats is small (points x metrics rows), so it is read whole into an
 * array of native rows; the compound memory type picks the members by
 * name, so the report does not depend on the column order in the file.
 *
 * The text form is for people: the scenario, the replication count and
 * whether the run completed, then per point one line per metric with the
 * mean, the half-width of its 95% interval and the 5/50/95th percentiles,
 * money shown as $1.23M, other numbers grouped by thousands; then the risk
 * lines P(cost > budget) and P(makespan > deadline). CSV and JSON are for
 * programs: every column, numbers as %.17g so that they read back to the
 * same double, NaN as "nan" in CSV and null in JSON.
 */
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "h5out.h"
#include "select.h"
#include "writer.h"

enum {
    V_MEAN,
    V_SD,
    V_LO,
    V_HI,
    V_MIN,
    V_P5,
    V_P50,
    V_P95,
    V_P99,
    V_ES95,
    V_MAX,
    V_TARGET,
    V_POVER,
    NV
};

/* One row of /stats in memory. */
typedef struct srow {
    int64_t point;
    char metric[DCS_H5_STR_LEN];
    char units[DCS_H5_STR_LEN];
    int64_t n;
    double v[NV]; /* mean sd ci95_low ci95_high min p5 p50 p95 p99 es95 max target
                     p_over_target */
} srow;

static const char *const value_names[NV] = {"mean", "sd",     "ci95_low",     "ci95_high", "min",
                                            "p5",   "p50",    "p95",          "p99",       "es95",
                                            "max",  "target", "p_over_target"};

/* The root attributes the text form shows; a flag says which were found. */
typedef struct rattrs {
    char scenario_name[256];
    char energy_billing[64]; /* how the ledger bills electricity; empty when not stored */
    int64_t seed, replications, replications_done, complete;
    int64_t part_index, part_count; /* a part of a run made with --shard I/K */
    int has_name, has_seed, has_reps, has_done, has_complete, has_part;
} rattrs;

int dcs_report_parse_format(const char *s, dcs_report_format *fmt, dcs_err *err)
{
    if (s != NULL && strcmp(s, "table") == 0)
        *fmt = DCS_REPORT_TABLE;
    else if (s != NULL && strcmp(s, "csv") == 0)
        *fmt = DCS_REPORT_CSV;
    else if (s != NULL && strcmp(s, "json") == 0)
        *fmt = DCS_REPORT_JSON;
    else
        return dcs_err_set(err, DCS_EINPUT,
                           "unknown report format '%s' (expected table, csv or json)",
                           s != NULL ? s : "");
    return 0;
}

/* Reads a scalar string attribute (variable or fixed length) into a
 * malloc'd string; NULL with err set on failure. */
static char *attr_string(hid_t a, const char *name, dcs_err *err)
{
    hid_t ft = H5Aget_type(a);
    if (ft < 0) {
        dcs_h5_fail(err, "H5Aget_type", name);
        return NULL;
    }
    char *out = NULL;
    hid_t mt = H5Tcopy(ft);
    if (mt < 0) {
        dcs_h5_fail(err, "H5Tcopy", name);
        goto done;
    }
    if (H5Tis_variable_str(ft) > 0) {
        char *p = NULL;
        if (H5Aread(a, mt, &p) < 0) {
            dcs_h5_fail(err, "H5Aread", name);
            goto done;
        }
        size_t n = p != NULL ? strlen(p) : 0;
        out = malloc(n + 1);
        if (out != NULL) {
            memcpy(out, p != NULL ? p : "", n);
            out[n] = '\0';
        }
        H5free_memory(p);
    } else {
        size_t n = H5Tget_size(ft);
        out = calloc(n + 1, 1);
        if (out != NULL && H5Aread(a, mt, out) < 0) {
            dcs_h5_fail(err, "H5Aread", name);
            free(out);
            out = NULL;
            goto done;
        }
    }
    if (out == NULL)
        dcs_err_set(err, DCS_ENOMEM, "out of memory reading attribute %s", name);
done:
    if (mt >= 0)
        H5Tclose(mt);
    H5Tclose(ft);
    return out;
}

/* Kinds of scalar attribute the report understands. */
typedef enum { A_OTHER, A_STR, A_INT, A_FLOAT } akind;

static akind attr_kind(hid_t a)
{
    hid_t s = H5Aget_space(a), t = H5Aget_type(a);
    akind k = A_OTHER;
    if (s >= 0 && t >= 0 && H5Sget_simple_extent_npoints(s) == 1) {
        H5T_class_t c = H5Tget_class(t);
        k = c == H5T_STRING ? A_STR : c == H5T_INTEGER ? A_INT : c == H5T_FLOAT ? A_FLOAT : A_OTHER;
    }
    if (s >= 0)
        H5Sclose(s);
    if (t >= 0)
        H5Tclose(t);
    return k;
}

/* Reads root attribute `name`, of kind k, as memory type mt into v;
 * returns 1 when found and of that kind, 0 when absent or of another. */
static int root_num(hid_t fid, const char *name, akind k, hid_t mt, void *v)
{
    if (H5Aexists(fid, name) <= 0)
        return 0;
    hid_t a = H5Aopen(fid, name, H5P_DEFAULT);
    if (a < 0)
        return 0;
    int ok = attr_kind(a) == k && H5Aread(a, mt, v) >= 0;
    H5Aclose(a);
    H5Eclear2(H5E_DEFAULT);
    return ok;
}

static int root_i64(hid_t fid, const char *name, int64_t *v)
{
    return root_num(fid, name, A_INT, H5T_NATIVE_INT64, v);
}

/* Reads root attribute `name` into buf when it is a string (*found, if not
 * NULL, says whether it was); an attribute that is absent, of another kind
 * or unreadable leaves buf empty. Returns 0, or DCS_ENOMEM when memory ran
 * out reading it (which is not the file's fault, and not ignored). */
static int root_text(hid_t fid, const char *name, char *buf, size_t n, int *found, dcs_err *err)
{
    int rc = 0;
    buf[0] = '\0';
    if (found != NULL)
        *found = 0;
    if (H5Aexists(fid, name) > 0) {
        hid_t a = H5Aopen(fid, name, H5P_DEFAULT);
        if (a >= 0 && attr_kind(a) == A_STR) {
            dcs_err e;
            dcs_err_clear(&e);
            char *s = attr_string(a, name, &e);
            if (s != NULL) {
                snprintf(buf, n, "%s", s);
                if (found != NULL)
                    *found = 1;
            } else if (e.code == DCS_ENOMEM) {
                rc = dcs_err_set(err, DCS_ENOMEM, "%s", e.msg);
            }
            free(s);
        }
        if (a >= 0)
            H5Aclose(a);
    }
    H5Eclear2(H5E_DEFAULT);
    return rc;
}

/* Reads the root attributes the reports print. Returns 0 or DCS_ENOMEM. */
static int read_rattrs(hid_t fid, rattrs *r, dcs_err *err)
{
    memset(r, 0, sizeof *r);
    int rc = root_text(fid, "scenario_name", r->scenario_name, sizeof r->scenario_name,
                       &r->has_name, err);
    if (rc == 0)
        rc = root_text(fid, "energy_billing", r->energy_billing, sizeof r->energy_billing, NULL,
                       err);
    if (rc != 0)
        return rc;
    r->has_seed = root_i64(fid, "seed", &r->seed);
    r->has_reps = root_i64(fid, "replications", &r->replications);
    r->has_done = root_i64(fid, "replications_done", &r->replications_done);
    r->has_complete = root_i64(fid, "complete", &r->complete);
    r->has_part =
        root_i64(fid, "part_index", &r->part_index) && root_i64(fid, "part_count", &r->part_count);
    H5Eclear2(H5E_DEFAULT);
    return 0;
}

/* Whether a /stats row of `metric` is kept: keep is NULL (all), or names it. */
static int kept(const char *metric, const char *const *keep, size_t nkeep)
{
    for (size_t k = 0; k < nkeep; k++)
        if (keep[k] != NULL && strcmp(metric, keep[k]) == 0)
            return 1;
    return keep == NULL;
}

/* Rows of /stats read at once when only some metrics are kept. */
#define STATS_READ_ROWS 4096

/* A transfer property list whose type-conversion buffers hold `rows` rows
 * of /stats (file type ft), not HDF5's default 1 MiB, which it callocs on
 * every read (the report of a run read its 50 rows through 2 MiB of fresh
 * pages); H5P_DEFAULT when it cannot be made. */
static hid_t stats_xfer(hid_t ft, size_t rows)
{
    size_t row = H5Tget_size(ft) > sizeof(srow) ? H5Tget_size(ft) : sizeof(srow);
    hid_t x = H5Pcreate(H5P_DATASET_XFER);
    if (x >= 0 && H5Pset_buffer(x, (rows > 0 ? rows : 1) * row, NULL, NULL) < 0) {
        H5Pclose(x);
        x = -1;
    }
    if (x < 0)
        H5Eclear2(H5E_DEFAULT);
    return x < 0 ? H5P_DEFAULT : x;
}

/* The kept rows of /stats (n rows, memory type mt), a block at a time
 * through the transfer list xf. */
static int read_stats_kept(hid_t d, hid_t mt, hid_t xf, size_t n, const char *const *keep,
                           size_t nkeep, srow **rows, size_t *nrows, dcs_err *err)
{
    size_t cap = 64, m = 0;
    srow *buf = malloc(STATS_READ_ROWS * sizeof *buf), *out = malloc(cap * sizeof *out);
    hid_t fs = H5Dget_space(d);
    int rc = 0;
    if (buf == NULL || out == NULL || fs < 0) {
        rc = fs < 0 ? dcs_h5_fail(err, "H5Dget_space", "/stats")
                    : dcs_err_set(err, DCS_ENOMEM, "out of memory reading /stats");
        goto done;
    }
    for (size_t i0 = 0; i0 < n && rc == 0; i0 += STATS_READ_ROWS) {
        hsize_t start = i0, count = n - i0 < STATS_READ_ROWS ? n - i0 : STATS_READ_ROWS;
        hid_t ms = H5Screate_simple(1, &count, NULL);
        if (ms < 0 || H5Sselect_hyperslab(fs, H5S_SELECT_SET, &start, NULL, &count, NULL) < 0 ||
            H5Dread(d, mt, ms, fs, xf, buf) < 0)
            rc = dcs_h5_fail(err, "H5Dread", "/stats");
        if (ms >= 0)
            H5Sclose(ms);
        for (size_t i = 0; rc == 0 && i < count; i++) {
            if (!kept(buf[i].metric, keep, nkeep))
                continue;
            if (m == cap) {
                srow *v = realloc(out, 2 * cap * sizeof *v);
                if (v == NULL) {
                    rc = dcs_err_set(err, DCS_ENOMEM, "out of memory reading /stats");
                    break;
                }
                out = v;
                cap *= 2;
            }
            out[m++] = buf[i];
        }
    }
done:
    if (fs >= 0)
        H5Sclose(fs);
    free(buf);
    if (rc != 0) {
        free(out);
        out = NULL;
        m = 0;
    }
    *rows = out;
    *nrows = m;
    return rc;
}

/* Where each of srow's fields lies in a record of the file type ft: its
 * members' offsets when they are the native 64-bit numbers and fixed-length
 * strings dcsim writes (a read in the file's own type then needs no
 * conversion, whose set-up is most of the cost of a run's report); 0 when
 * any differs. */
static int raw_layout(hid_t ft, size_t *foff, size_t *flen)
{
    for (int j = 0; j < 4 + NV; j++) {
        static const char *const need[4] = {"point", "metric", "units", "n"};
        const char *name = j < 4 ? need[j] : value_names[j - 4];
        int k = H5Tget_member_index(ft, name);
        hid_t m = k >= 0 ? H5Tget_member_type(ft, (unsigned)k) : -1;
        int str = j == 1 || j == 2, ok = m >= 0;
        if (ok && str)
            ok = H5Tget_class(m) == H5T_STRING && H5Tis_variable_str(m) == 0;
        else if (ok)
            ok = H5Tequal(m, j == 0 || j == 3 ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE) > 0;
        flen[j] = ok ? H5Tget_size(m) : 0;
        foff[j] = ok ? H5Tget_member_offset(ft, (unsigned)k) : 0;
        if (m >= 0)
            H5Tclose(m);
        if (!ok) {
            H5Eclear2(H5E_DEFAULT);
            return 0;
        }
    }
    return 1;
}

/* Reads all n rows of /stats in the file's own type and unpacks them into
 * *rows: 0 when read, 1 when the layout is not dcsim's native one (the
 * caller converts instead), or an error code (negative) on failure. */
/* Unpacks n records of rs bytes laid out as raw_layout found into rows. */
static void unpack_rows(const unsigned char *raw, size_t rs, size_t n, const size_t *foff,
                        const size_t *flen, srow *rows)
{
    for (size_t i = 0; i < n; i++) {
        const unsigned char *r = raw + i * rs;
        srow *o = &rows[i];
        memcpy(&o->point, r + foff[0], sizeof o->point);
        memcpy(&o->n, r + foff[3], sizeof o->n);
        for (int v = 0; v < NV; v++)
            memcpy(&o->v[v], r + foff[4 + v], sizeof(double));
        /* NULL-terminated, as the conversion to a C string would leave it */
        memcpy(o->metric, r + foff[1], flen[1] < sizeof o->metric ? flen[1] : sizeof o->metric - 1);
        memcpy(o->units, r + foff[2], flen[2] < sizeof o->units ? flen[2] : sizeof o->units - 1);
    }
}

static int read_stats_raw(hid_t d, hid_t ft, size_t n, srow **rows, dcs_err *err)
{
    size_t foff[4 + NV], flen[4 + NV], rs = H5Tget_size(ft);
    if (!raw_layout(ft, foff, flen))
        return 1;
    unsigned char *raw = malloc(n * rs + 1);
    *rows = calloc(n + 1, sizeof **rows);
    int rc = 0;
    if (raw == NULL || *rows == NULL)
        rc = dcs_err_set(err, DCS_ENOMEM, "out of memory reading /stats");
    else if (n > 0 && H5Dread(d, ft, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) < 0)
        rc = dcs_h5_fail(err, "H5Dread", "/stats");
    if (rc == 0)
        unpack_rows(raw, rs, n, foff, flen, *rows);
    free(raw);
    if (rc != 0) {
        free(*rows);
        *rows = NULL;
    }
    return rc;
}

/* The rows of /stats from the records its writer still holds: 0 when
 * taken, 1 when their layout is not dcsim's native one (the caller reads
 * the dataset instead), or an error code. */
static int held_stats(const dcs_report_held *h, srow **rows, size_t *nrows, dcs_err *err)
{
    size_t foff[4 + NV], flen[4 + NV];
    if (!raw_layout((hid_t)h->type, foff, flen))
        return 1;
    if ((*rows = calloc(h->nrows + 1, sizeof **rows)) == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory reading /stats");
    unpack_rows(h->rows, H5Tget_size((hid_t)h->type), h->nrows, foff, flen, *rows);
    *nrows = h->nrows;
    return 0;
}

/* Reads the rows of /stats whose metric is one of keep[0..nkeep) (NULL
 * entries ignored), or every row when keep is NULL. Returns 0 and sets
 * *rows (malloc'd) and *nrows. With keep, /stats is read STATS_READ_ROWS
 * rows at a time, so that a sweep of many points holds only what its table
 * shows. */
static int read_stats(hid_t fid, const char *path, const char *const *keep, size_t nkeep,
                      srow **rows, size_t *nrows, dcs_err *err)
{
    int rc = 0;
    hid_t d = -1, ft = -1, mt = -1, st = -1, sp = -1, xf = H5P_DEFAULT;
    *rows = NULL;
    *nrows = 0;
    d = H5Dopen2(fid, "stats", H5P_DEFAULT);
    if (d < 0)
        return dcs_h5_fail(err, "H5Dopen2", "/stats");
    ft = H5Dget_type(d);
    if (ft < 0 || H5Tget_class(ft) != H5T_COMPOUND) {
        H5Eclear2(H5E_DEFAULT);
        rc = dcs_err_set(err, DCS_EINPUT, "%s is not a dcsim output file: /stats is not a table",
                         path);
        goto done;
    }
    sp = H5Dget_space(d);
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    if (n < 0) {
        rc = dcs_h5_fail(err, "H5Dget_space", "/stats");
        goto done;
    }
    if (keep == NULL && (rc = read_stats_raw(d, ft, (size_t)n, rows, err)) != 1) {
        *nrows = rc == 0 ? (size_t)n : 0;
        goto done;
    }
    rc = 0;
    /* NULL-terminated in memory, whatever the padding in the file. */
    st = H5Tcopy(H5T_C_S1);
    mt = H5Tcreate(H5T_COMPOUND, sizeof(srow));
    if (st < 0 || mt < 0 || H5Tset_size(st, DCS_H5_STR_LEN) < 0) {
        rc = dcs_h5_fail(err, "H5Tcreate", "/stats");
        goto done;
    }
    const char *need[4] = {"point", "metric", "units", "n"};
    size_t off[4] = {offsetof(srow, point), offsetof(srow, metric), offsetof(srow, units),
                     offsetof(srow, n)};
    for (int j = 0; j < 4 + NV; j++) {
        const char *name = j < 4 ? need[j] : value_names[j - 4];
        if (H5Tget_member_index(ft, name) < 0) {
            H5Eclear2(H5E_DEFAULT);
            rc = dcs_err_set(err, DCS_EINPUT,
                             "%s is not a dcsim output file: /stats has no column %s", path, name);
            goto done;
        }
        size_t o = j < 4 ? off[j] : offsetof(srow, v) + (size_t)(j - 4) * sizeof(double);
        hid_t m = j == 1 || j == 2 ? st : j == 0 || j == 3 ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE;
        if (H5Tinsert(mt, name, o, m) < 0) {
            rc = dcs_h5_fail(err, "H5Tinsert", name);
            goto done;
        }
    }
    xf = stats_xfer(ft, (size_t)n < STATS_READ_ROWS ? (size_t)n : STATS_READ_ROWS);
    if (keep == NULL) {
        *rows = calloc((size_t)n + 1, sizeof **rows);
        if (*rows == NULL) {
            rc = dcs_err_set(err, DCS_ENOMEM, "out of memory reading /stats");
            goto done;
        }
        if (n > 0 && H5Dread(d, mt, H5S_ALL, H5S_ALL, xf, *rows) < 0) {
            rc = dcs_h5_fail(err, "H5Dread", "/stats");
            free(*rows);
            *rows = NULL;
            goto done;
        }
        *nrows = (size_t)n;
        goto done;
    }
    rc = read_stats_kept(d, mt, xf, (size_t)n, keep, nkeep, rows, nrows, err);
done:
    if (xf != H5P_DEFAULT)
        H5Pclose(xf);
    if (sp >= 0)
        H5Sclose(sp);
    if (mt >= 0)
        H5Tclose(mt);
    if (st >= 0)
        H5Tclose(st);
    if (ft >= 0)
        H5Tclose(ft);
    H5Dclose(d);
    return rc;
}

/* ---- Number formatting for the text form. ---- */

/* dst = a followed by b, cut to n - 1 bytes as snprintf(dst, n, "%s%s", a, b) cuts them, without
 * printf's parsing of a format (the report joins ~300 strings). */
static void join2(char *dst, size_t n, const char *a, const char *b)
{
    if (n == 0)
        return;
    size_t la = strlen(a), lb = strlen(b);
    la = la < n - 1 ? la : n - 1;
    lb = lb < n - 1 - la ? lb : n - 1 - la;
    memmove(dst, a, la);
    memmove(dst + la, b, lb);
    dst[la + lb] = '\0';
}

/* Writes |v| with `dec` decimals and commas between thousands. */
static void group_thousands(double a, int dec, char *buf, size_t n)
{
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", dec, a);
    const char *dot = strchr(raw, '.');
    size_t ilen = dot != NULL ? (size_t)(dot - raw) : strlen(raw);
    size_t k = 0;
    for (size_t i = 0; i < ilen && k + 2 < n; i++) {
        if (i > 0 && (ilen - i) % 3 == 0)
            buf[k++] = ',';
        buf[k++] = raw[i];
    }
    buf[k] = '\0';
    if (dot != NULL)
        join2(buf + k, n - k, dot, "");
}

/* Formats v readably: money (units "USD") as $1.23M, other values with
 * thousands grouped, or in %.4g below 100 (which switches to an exponent
 * for tiny values), or in %.3e from 1e9; NaN as "-". */
static void fmt_num(double v, const char *units, char *buf, size_t n)
{
    if (isnan(v)) {
        join2(buf, n, "-", "");
        return;
    }
    if (isinf(v)) {
        join2(buf, n, v < 0 ? "-" : "", "inf");
        return;
    }
    const char *sign = v < 0 ? "-" : "";
    double a = fabs(v);
    char body[64];
    if (units != NULL && strcmp(units, "USD") == 0) {
        dcs_money(a, body, sizeof body);
    } else if (a >= 1e9) { /* wider than a column with its commas (an input in B/s) */
        snprintf(body, sizeof body, "%.3e", a);
    } else if (a >= 1e5) {
        group_thousands(a, 0, body, sizeof body);
    } else if (a >= 1e3) {
        group_thousands(a, 1, body, sizeof body);
    } else if (a >= 100) {
        snprintf(body, sizeof body, "%.1f", a);
    } else {
        snprintf(body, sizeof body, "%.4g", a);
    }
    /* Truncation would only cut a pathological number short: fine. */
    join2(buf, n, sign, body);
}

/* Display width of a UTF-8 string: bytes that do not continue a sequence. */
static size_t display_width(const char *s)
{
    size_t w = 0;
    for (; *s != '\0'; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

/* Prints s padded to `width` columns, right-aligned when `right`. */
static void put_cell(FILE *out, const char *s, size_t width, int right)
{
    static const char blanks[] = "                                ";
    size_t w = display_width(s);
    size_t pad = w < width ? width - w : 0;
    if (!right)
        fputs(s, out);
    for (size_t k; pad > 0; pad -= k) {
        k = pad < sizeof blanks - 1 ? pad : sizeof blanks - 1;
        fwrite(blanks, 1, k, out);
    }
    if (right)
        fputs(s, out);
}

/* The metrics people look at first, in this order; the rest follow in
 * table order. */
static const char *const first_metrics[] = {"makespan_h", "cost_usd", "goodput"};
#define NFIRST (sizeof first_metrics / sizeof first_metrics[0])

static int rank_of(const char *metric)
{
    for (size_t i = 0; i < NFIRST; i++)
        if (strcmp(metric, first_metrics[i]) == 0)
            return (int)i;
    return (int)NFIRST;
}

#define NUM_W 12 /* width of a numeric column of the text table */

static void print_metric_line(FILE *out, const srow *r, size_t mw, size_t uw)
{
    char b[64], h[72];
    put_cell(out, r->metric, mw, 0);
    fputs("  ", out);
    put_cell(out, r->units, uw, 0);
    fmt_num(r->v[V_MEAN], r->units, b, sizeof b);
    put_cell(out, b, NUM_W, 1);
    if (isnan(r->v[V_HI])) {
        join2(h, sizeof h, "-", "");
    } else {
        fmt_num(r->v[V_HI] - r->v[V_MEAN], r->units, b, sizeof b);
        join2(h, sizeof h, "\xC2\xB1", b);
    }
    put_cell(out, h, NUM_W, 1);
    for (int k = V_P5; k <= V_P95; k++) {
        fmt_num(r->v[k], r->units, b, sizeof b);
        put_cell(out, b, NUM_W, 1);
    }
    fputc('\n', out);
}

static void print_risk_line(FILE *out, const srow *r)
{
    char t[64];
    if (isnan(r->v[V_TARGET]) || isnan(r->v[V_POVER]))
        return;
    double v = r->v[V_TARGET];
    /* A whole-number target reads better without decimals: "1,400 h". */
    if (strcmp(r->units, "USD") != 0 && v == floor(v) && v >= 1e3 && v < 1e15)
        group_thousands(v, 0, t, sizeof t);
    else
        fmt_num(v, r->units, t, sizeof t);
    if (strcmp(r->metric, "cost_usd") == 0)
        fprintf(out, "P(cost > budget %s) = %.3g", t, r->v[V_POVER]);
    else if (strcmp(r->metric, "makespan_h") == 0)
        fprintf(out, "P(makespan > deadline %s h) = %.3g", t, r->v[V_POVER]);
    else
        fprintf(out, "P(%s > %s %s) = %.3g", r->metric, t, r->units, r->v[V_POVER]);
    fprintf(out, "   (%lld replications)\n", (long long)r->n);
}

/* Replications that never got their capacity (acquired = 0): their count,
 * from the mean of the 0/1 column (n x mean is the count of ones, exactly
 * up to rounding), when there are any. */
static void print_unacquired_line(FILE *out, const srow *r)
{
    if (!(r->n > 0) || !isfinite(r->v[V_MEAN]))
        return;
    long long never = r->n - llround((double)r->n * r->v[V_MEAN]);
    if (never <= 0)
        return;
    fprintf(out,
            "never acquired: %lld of %lld replications waited for capacity until "
            "simulation.max_time (acquired = 0 in /summary); they are left out of the cost "
            "statistics\n",
            never, (long long)r->n);
}

/* The tail of the cost: where the worst 5 % begins, and how bad it is. */
static void print_tail_line(FILE *out, const srow *r)
{
    char v[64], es[64];
    fmt_num(r->v[V_P95], r->units, v, sizeof v);
    fmt_num(r->v[V_ES95], r->units, es, sizeof es);
    fprintf(out,
            "cost at risk: 95%% value at risk %s (p95); expected shortfall %s (mean of the "
            "worst 5%%)\n",
            v, es);
}

/* A part of a sharded run says so: its statistics are of its share only. */
static void print_part(FILE *out, const rattrs *a)
{
    if (a->has_part)
        fprintf(out,
                "part:         --shard %lld/%lld: the statistics of this share only; `dcsim "
                "merge` joins the parts\n",
                (long long)a->part_index, (long long)a->part_count);
}

static void print_table(FILE *out, const char *path, const rattrs *a, const srow *rows, size_t n)
{
    fprintf(out, "dcsim report: %s\n", path);
    if (a->has_name)
        fprintf(out, "scenario:     %s\n", a->scenario_name);
    if (a->has_reps || a->has_seed) {
        fputs("replications:", out);
        if (a->has_reps)
            fprintf(out, " %lld", (long long)a->replications);
        if (a->has_seed)
            fprintf(out, "%sseed %lld", a->has_reps ? ", " : " ", (long long)a->seed);
        fputc('\n', out);
    }
    if (a->has_complete && a->complete == 0)
        fprintf(out, "status:       INCOMPLETE: interrupted, %lld of %lld replications\n",
                (long long)(a->has_done ? a->replications_done : 0),
                (long long)(a->has_reps ? a->replications : 0));
    else if (a->has_complete)
        fputs("status:       complete\n", out);
    print_part(out, a);
    if (a->energy_billing[0] != '\0')
        fprintf(out, "energy:       %s%s\n", a->energy_billing,
                strcmp(a->energy_billing, "included in rent") == 0
                    ? " (cost_energy_usd and cost_cooling_usd are 0)"
                    : "");

    size_t mw = strlen("metric"), uw = strlen("units");
    int multi = 0;
    for (size_t i = 0; i < n; i++) {
        size_t m = strlen(rows[i].metric), u = strlen(rows[i].units);
        mw = m > mw ? m : mw;
        uw = u > uw ? u : uw;
        if (rows[i].point != rows[0].point)
            multi = 1;
    }
    if (n == 0) {
        fputs("\nno statistics: the file holds no completed replication\n", out);
        return;
    }

    /* Runs of rows with the same point; dcs_stats_write writes them so. */
    for (size_t s = 0; s < n;) {
        size_t e = s;
        while (e < n && rows[e].point == rows[s].point)
            e++;
        fputc('\n', out);
        if (multi)
            fprintf(out, "point %lld\n", (long long)rows[s].point);
        put_cell(out, "metric", mw, 0);
        fputs("  ", out);
        put_cell(out, "units", uw, 0);
        const char *heads[5] = {"mean",
                                "\xC2\xB1"
                                "95% CI",
                                "p5", "p50", "p95"};
        for (int k = 0; k < 5; k++)
            put_cell(out, heads[k], NUM_W, 1);
        fputc('\n', out);
        for (int rank = 0; rank <= (int)NFIRST; rank++)
            for (size_t i = s; i < e; i++)
                if (rank_of(rows[i].metric) == rank)
                    print_metric_line(out, &rows[i], mw, uw);
        fputc('\n', out);
        for (size_t i = s; i < e; i++)
            if (strcmp(rows[i].metric, "acquired") == 0)
                print_unacquired_line(out, &rows[i]);
        for (size_t i = s; i < e; i++)
            if (strcmp(rows[i].metric, "cost_usd") == 0)
                print_tail_line(out, &rows[i]);
        for (int rank = 0; rank <= (int)NFIRST; rank++)
            for (size_t i = s; i < e; i++)
                if (rank_of(rows[i].metric) == rank && !isnan(rows[i].v[V_POVER]))
                    print_risk_line(out, &rows[i]);
        s = e;
    }
}

/* ---- What drives the spread: /sensitivity. ---- */

#define SENS_STR 160

typedef struct sens_row {
    int64_t point;
    char metric[SENS_STR];
    char input[SENS_STR];
    double s, lo, hi;
    int64_t n;
} sens_row;

/* Prints /sensitivity, when the file has one: per point and metric, each
 * input's first-order index with its 95 % interval, largest first, then
 * the rest. */
static int print_sensitivity(FILE *out, hid_t fid, dcs_err *err)
{
    if (H5Lexists(fid, "sensitivity", H5P_DEFAULT) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return 0;
    }
    hid_t d = H5Dopen2(fid, "sensitivity", H5P_DEFAULT);
    if (d < 0)
        return dcs_h5_fail(err, "H5Dopen2", "/sensitivity");
    hid_t sp = H5Dget_space(d);
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    hid_t st = H5Tcopy(H5T_C_S1);
    H5Tset_size(st, SENS_STR);
    hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof(sens_row));
    H5Tinsert(mt, "point", HOFFSET(sens_row, point), H5T_NATIVE_INT64);
    H5Tinsert(mt, "metric", HOFFSET(sens_row, metric), st);
    H5Tinsert(mt, "input", HOFFSET(sens_row, input), st);
    H5Tinsert(mt, "first_order", HOFFSET(sens_row, s), H5T_NATIVE_DOUBLE);
    H5Tinsert(mt, "ci95_low", HOFFSET(sens_row, lo), H5T_NATIVE_DOUBLE);
    H5Tinsert(mt, "ci95_high", HOFFSET(sens_row, hi), H5T_NATIVE_DOUBLE);
    H5Tinsert(mt, "n", HOFFSET(sens_row, n), H5T_NATIVE_INT64);
    sens_row *r = n > 0 ? calloc((size_t)n, sizeof *r) : NULL;
    int rc = 0;
    if (n < 0)
        rc = dcs_h5_fail(err, "H5Dget_space", "/sensitivity");
    else if (n > 0 && r == NULL)
        rc = dcs_err_set(err, DCS_ENOMEM, "out of memory reading /sensitivity");
    else if (n > 0 && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, r) < 0)
        rc = dcs_h5_fail(err, "H5Dread", "/sensitivity");
    H5Tclose(mt);
    H5Tclose(st);
    if (sp >= 0)
        H5Sclose(sp);
    H5Dclose(d);
    size_t iw = strlen("rest: noise and interactions");
    for (hssize_t i = 0; rc == 0 && i < n; i++)
        iw = strlen(r[i].input) > iw ? strlen(r[i].input) : iw;
    /* runs of rows of one (point, metric) */
    for (hssize_t a = 0; rc == 0 && a < n;) {
        hssize_t b = a;
        while (b < n && r[b].point == r[a].point && strcmp(r[b].metric, r[a].metric) == 0)
            b++;
        fprintf(out, "\nwhat drives the spread of %s", r[a].metric);
        if (r[a].point != 0 || (b < n && r[b].point != r[a].point))
            fprintf(out, " (point %lld)", (long long)r[a].point);
        fprintf(out, ": first-order index (share of the variance), 95%% CI, %lld replications\n",
                (long long)r[a].n);
        put_cell(out, "input", iw, 0);
        put_cell(out, "index", 9, 1);
        put_cell(out, "95% CI", 20, 1);
        fputc('\n', out);
        /* inputs by decreasing index, the rest last */
        int *done = calloc((size_t)(b - a), sizeof *done);
        if (done == NULL) {
            rc = dcs_err_set(err, DCS_ENOMEM, "out of memory printing /sensitivity");
            break;
        }
        for (hssize_t k = a; k < b; k++) {
            hssize_t best = -1;
            for (hssize_t i = a; i < b; i++) {
                int rest = strcmp(r[i].input, "(rest)") == 0;
                if (done[i - a])
                    continue;
                if (best < 0 || (strcmp(r[best].input, "(rest)") == 0 && !rest) ||
                    (!rest && strcmp(r[best].input, "(rest)") != 0 && r[i].s > r[best].s))
                    best = i;
            }
            done[best - a] = 1;
            char ci[64];
            int rest = strcmp(r[best].input, "(rest)") == 0;
            put_cell(out, rest ? "rest: noise and interactions" : r[best].input, iw, 0);
            fprintf(out, " %8.3f", r[best].s);
            snprintf(ci, sizeof ci, "[%.3f, %.3f]", r[best].lo, r[best].hi);
            put_cell(out, ci, 20, 1);
            fputc('\n', out);
        }
        free(done);
        a = b;
    }
    free(r);
    return rc;
}

/* ---- CSV and JSON. ---- */

static void csv_str(FILE *out, const char *s)
{
    dcs_write_str(out, DCS_WRITE_CSV, s);
}

static void csv_num(FILE *out, double v)
{
    dcs_write_num(out, DCS_WRITE_CSV, v);
}

static void print_csv(FILE *out, const srow *rows, size_t n)
{
    fputs("point,metric,units,n", out);
    for (int k = 0; k < NV; k++)
        fprintf(out, ",%s", value_names[k]);
    fputc('\n', out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%lld,", (long long)rows[i].point);
        csv_str(out, rows[i].metric);
        fputc(',', out);
        csv_str(out, rows[i].units);
        fprintf(out, ",%lld", (long long)rows[i].n);
        for (int k = 0; k < NV; k++) {
            fputc(',', out);
            csv_num(out, rows[i].v[k]);
        }
        fputc('\n', out);
    }
}

static void json_str(FILE *out, const char *s)
{
    dcs_write_str(out, DCS_WRITE_JSON, s);
}

static void json_num(FILE *out, double v)
{
    dcs_write_num(out, DCS_WRITE_JSON, v);
}

typedef struct jctx {
    FILE *out;
    int first;
    dcs_err *err;
} jctx;

/* Prints one root attribute as a JSON member; other shapes are skipped. */
static herr_t json_attr(hid_t loc, const char *name, const H5A_info_t *info, void *data)
{
    (void)info;
    jctx *c = data;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0) {
        dcs_h5_fail(c->err, "H5Aopen", name);
        return -1;
    }
    akind k = attr_kind(a);
    herr_t rc = 0;
    if (k != A_OTHER) {
        fprintf(c->out, "%s\n    ", c->first ? "" : ",");
        c->first = 0;
        json_str(c->out, name);
        fputs(": ", c->out);
    }
    if (k == A_STR) {
        char *s = attr_string(a, name, c->err);
        if (s == NULL)
            rc = -1;
        else
            json_str(c->out, s);
        free(s);
    } else if (k == A_INT) {
        int64_t v = 0;
        if (H5Aread(a, H5T_NATIVE_INT64, &v) < 0) {
            dcs_h5_fail(c->err, "H5Aread", name);
            rc = -1;
        } else
            fprintf(c->out, "%lld", (long long)v);
    } else if (k == A_FLOAT) {
        double v = 0;
        if (H5Aread(a, H5T_NATIVE_DOUBLE, &v) < 0) {
            dcs_h5_fail(c->err, "H5Aread", name);
            rc = -1;
        } else
            json_num(c->out, v);
    }
    H5Aclose(a);
    return rc;
}

static int print_json(FILE *out, hid_t fid, const char *path, const srow *rows, size_t n,
                      dcs_err *err)
{
    fputs("{\n  \"file\": ", out);
    json_str(out, path);
    fputs(",\n  \"attributes\": {", out);
    jctx c = {out, 1, err};
    hsize_t idx = 0;
    if (H5Aiterate2(fid, H5_INDEX_NAME, H5_ITER_INC, &idx, json_attr, &c) < 0)
        return err != NULL && err->code != 0 ? err->code : dcs_h5_fail(err, "H5Aiterate2", "/");
    fputs(c.first ? "},\n" : "\n  },\n", out);
    fputs("  \"metrics\": [", out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%s\n    {\"point\": %lld, \"metric\": ", i == 0 ? "" : ",",
                (long long)rows[i].point);
        json_str(out, rows[i].metric);
        fputs(", \"units\": ", out);
        json_str(out, rows[i].units);
        fprintf(out, ", \"n\": %lld", (long long)rows[i].n);
        for (int k = 0; k < NV; k++) {
            fprintf(out, ", \"%s\": ", value_names[k]);
            json_num(out, rows[i].v[k]);
        }
        fputc('}', out);
    }
    fputs(n > 0 ? "\n  ]\n}\n" : "]\n}\n", out);
    return 0;
}

/* ---- The table of a sweep's points. ---- */

/* Reads column `name` of dataset d (n rows) through a one-member compound
 * memory type `mt_member` of `size` bytes per row into out. Returns 0, 1
 * when the table has no such column, or a negative code. */
static int read_member(hid_t d, const char *name, hid_t mt_member, size_t size, void *out,
                       dcs_err *err)
{
    hid_t ft = H5Dget_type(d);
    if (ft < 0)
        return dcs_h5_fail(err, "H5Dget_type", "/sweep/points");
    int has = H5Tget_member_index(ft, name) >= 0;
    H5Tclose(ft);
    H5Eclear2(H5E_DEFAULT);
    if (!has)
        return 1;
    hid_t mt = H5Tcreate(H5T_COMPOUND, size);
    int rc = 0;
    if (mt < 0 || H5Tinsert(mt, name, 0, mt_member) < 0)
        rc = dcs_h5_fail(err, "H5Tinsert", name);
    else if (H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0)
        rc = dcs_h5_fail(err, "H5Dread", name);
    if (mt >= 0)
        H5Tclose(mt);
    return rc;
}

/* One point of the sweep table. */
typedef struct prow {
    int64_t point;
    const char *label;        /* into the label buffer */
    int64_t reps;             /* replications; -1 when unknown */
    double rel;               /* ci95_rel_halfwidth of the precision metric */
    int64_t reached;          /* precision_reached: 1, 0, -1 (no target) */
    const srow *cost, *mk;    /* their /stats rows, or NULL */
    const srow *best, *sortm; /* rows of the --best and the --sort metric, or NULL */
    int is_best;
    int feasible;  /* 1: meets every --subject-to with 95% confidence (or none given) */
    int contender; /* 1: cannot be told apart from the best (multiple comparisons) */
    size_t i;      /* its index in the sweep's tables */
} prow;

/* The columns of the CSV and JSON forms, and what --sort can name. */
enum pcol {
    P_POINT,
    P_LABEL,
    P_REPS,
    P_COST_MEAN,
    P_COST_P5,
    P_COST_P50,
    P_COST_P95,
    P_COST_ES95,
    P_OVER_BUDGET,
    P_MK_MEAN,
    P_MK_P5,
    P_MK_P50,
    P_MK_P95,
    P_OVER_DEADLINE,
    P_REL,
    P_REACHED,
    P_BEST_MEAN,
    P_BEST_LO,
    P_BEST_HI,
    P_BEST,
    P_FEASIBLE,
    P_CONTENDER,
    NPCOLS
};

static const char *const pcol_names[NPCOLS] = {"point",
                                               "label",
                                               "replications",
                                               "cost_usd_mean",
                                               "cost_usd_p5",
                                               "cost_usd_p50",
                                               "cost_usd_p95",
                                               "cost_usd_es95",
                                               "p_cost_over_budget",
                                               "makespan_h_mean",
                                               "makespan_h_p5",
                                               "makespan_h_p50",
                                               "makespan_h_p95",
                                               "p_makespan_over_deadline",
                                               "ci95_rel_halfwidth",
                                               "precision_reached",
                                               "best_mean",
                                               "best_ci95_low",
                                               "best_ci95_high",
                                               "best",
                                               "feasible",
                                               "contender"};

static double stat_or_nan(const srow *r, int k)
{
    return r != NULL ? r->v[k] : (double)NAN;
}

/* The value of column c at r, as a double (label: NaN). */
static double pcol_value(const prow *r, int c)
{
    switch (c) {
    case P_POINT:
        return (double)r->point;
    case P_REPS:
        return r->reps >= 0 ? (double)r->reps : (double)NAN;
    case P_COST_MEAN:
        return stat_or_nan(r->cost, V_MEAN);
    case P_COST_P5:
        return stat_or_nan(r->cost, V_P5);
    case P_COST_P50:
        return stat_or_nan(r->cost, V_P50);
    case P_COST_P95:
        return stat_or_nan(r->cost, V_P95);
    case P_COST_ES95:
        return stat_or_nan(r->cost, V_ES95);
    case P_OVER_BUDGET:
        return stat_or_nan(r->cost, V_POVER);
    case P_MK_MEAN:
        return stat_or_nan(r->mk, V_MEAN);
    case P_MK_P5:
        return stat_or_nan(r->mk, V_P5);
    case P_MK_P50:
        return stat_or_nan(r->mk, V_P50);
    case P_MK_P95:
        return stat_or_nan(r->mk, V_P95);
    case P_OVER_DEADLINE:
        return stat_or_nan(r->mk, V_POVER);
    case P_REL:
        return r->rel;
    case P_REACHED:
        return (double)r->reached;
    case P_BEST_MEAN:
        return stat_or_nan(r->best, V_MEAN);
    case P_BEST_LO:
        return stat_or_nan(r->best, V_LO);
    case P_BEST_HI:
        return stat_or_nan(r->best, V_HI);
    case P_BEST:
        return (double)r->is_best;
    case P_FEASIBLE:
        return (double)r->feasible;
    case P_CONTENDER:
        return (double)r->contender;
    default:
        return NAN;
    }
}

/* What the points are sorted by: a column, or the mean of a metric. */
typedef struct sort_key {
    int col;  /* a pcol, or -1 for the --sort metric's mean, or -2 for point order */
    int desc; /* descending */
} sort_key;

static double sort_value(const prow *r, const sort_key *k)
{
    return k->col >= 0 ? pcol_value(r, k->col) : stat_or_nan(r->sortm, V_MEAN);
}

/* qsort's comparison cannot see the key: sort (value, point) pairs. */
typedef struct sitem {
    double v;
    const char *label; /* when sorting by label */
    int64_t point;
    size_t idx;
    int desc;
} sitem;

static int cmp_sitem(const void *pa, const void *pb)
{
    const sitem *a = pa, *b = pb;
    int c = 0;
    if (a->label != NULL && b->label != NULL) {
        c = strcmp(a->label, b->label);
        c = a->desc ? -c : c;
    } else {
        int na = isnan(a->v), nb = isnan(b->v);
        if (na || nb)
            c = na - nb; /* NaN last, whatever the direction */
        else
            c = a->v < b->v ? -1 : a->v > b->v ? 1 : 0;
        if (!na && !nb && a->desc)
            c = -c;
    }
    if (c == 0) /* ties keep point order */
        c = (a->point > b->point) - (a->point < b->point);
    return c;
}

/* Root attributes of a sweep file. */
typedef struct sattrs {
    char sweep_name[256], metric[DCS_H5_STR_LEN];
    double precision;
    int64_t max_reps;
    int has_precision, has_max;
} sattrs;

/* A sweep file read for its report. */
typedef struct sweepdata {
    srow *stats;
    size_t nstats;
    prow *rows;
    size_t n;
    char *labels;
    int has_budget, has_deadline, has_precision;
    /* The varied keys of /sweep/points: names, and per key either numbers
     * (SI units) or fixed-width texts, point by point. */
    size_t nkeys;
    char (*keys)[DCS_H5_STR_LEN];
    double **knum; /* [nkeys][n], NULL for a text key */
    char **ktext;  /* [nkeys][n * (kw + 1)], NULL for a number key */
    size_t *kw;    /* [nkeys] */
    /* The selection: constraints, bounds, how many points are feasible. */
    dcs_constraint *cons;
    size_t ncons;
    double *bound; /* [n][ncons] */
    size_t nfeasible;
    double gap_high;
    int selected; /* the multiple comparisons ran */
} sweepdata;

static void sweepdata_free(sweepdata *sd)
{
    free(sd->stats);
    free(sd->rows);
    free(sd->labels);
    for (size_t k = 0; k < sd->nkeys; k++) {
        free(sd->knum != NULL ? sd->knum[k] : NULL);
        free(sd->ktext != NULL ? sd->ktext[k] : NULL);
    }
    free(sd->keys);
    free(sd->knum);
    free(sd->ktext);
    free(sd->kw);
    free(sd->cons);
    free(sd->bound);
}

/* The /stats row of (point, metric), or NULL. Rows are grouped by point. */
static const srow *find_stat(const srow *rows, size_t n, size_t *from, int64_t point,
                             const char *metric)
{
    size_t i = *from;
    while (i < n && rows[i].point < point)
        i++;
    *from = i;
    for (; i < n && rows[i].point == point; i++)
        if (strcmp(rows[i].metric, metric) == 0)
            return &rows[i];
    return NULL;
}

static int has_metric(const srow *rows, size_t n, const char *metric)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].metric, metric) == 0)
            return 1;
    return 0;
}

static int read_sweep(hid_t fid, const char *path, const char *best, const char *sortm,
                      sweepdata *sd, dcs_err *err)
{
    memset(sd, 0, sizeof *sd);
    const char *keep[4] = {"cost_usd", "makespan_h", best, sortm};
    int rc = read_stats(fid, path, keep, 4, &sd->stats, &sd->nstats, err);
    if (rc != 0)
        return rc;
    if (best != NULL && !has_metric(sd->stats, sd->nstats, best))
        return dcs_err_set(err, DCS_EINPUT, "--best: %s has no metric %s in /stats", path, best);
    hid_t d = H5Dopen2(fid, "sweep/points", H5P_DEFAULT);
    if (d < 0)
        return dcs_h5_fail(err, "H5Dopen2", "/sweep/points");
    hid_t sp = H5Dget_space(d), ft = H5Dget_type(d);
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    size_t width = 0;
    int li = ft >= 0 ? H5Tget_member_index(ft, "label") : -1;
    if (li >= 0) {
        hid_t lt = H5Tget_member_type(ft, (unsigned)li);
        /* Fixed-length strings only: HDF5 does not convert variable ones. */
        width = lt >= 0 && H5Tget_class(lt) == H5T_STRING && H5Tis_variable_str(lt) <= 0
                    ? H5Tget_size(lt)
                    : 0;
        if (lt >= 0)
            H5Tclose(lt);
    }
    H5Eclear2(H5E_DEFAULT);
    int64_t *i64 = NULL;
    double *f64 = NULL;
    hid_t st = -1;
    if (n < 0 || width == 0) {
        rc = dcs_err_set(err, DCS_EINPUT, "%s: /sweep/points has no label column", path);
        goto done;
    }
    sd->n = (size_t)n;
    sd->rows = calloc(sd->n + 1, sizeof *sd->rows);
    sd->labels = calloc(sd->n + 1, width + 1);
    i64 = calloc(sd->n + 1, sizeof *i64);
    f64 = calloc(sd->n + 1, sizeof *f64);
    st = H5Tcopy(H5T_C_S1);
    if (sd->rows == NULL || sd->labels == NULL || i64 == NULL || f64 == NULL) {
        rc = dcs_err_set(err, DCS_ENOMEM, "out of memory reading /sweep/points");
        goto done;
    }
    if (st < 0 || H5Tset_size(st, width + 1) < 0) {
        rc = dcs_h5_fail(err, "H5Tset_size", "/sweep/points");
        goto done;
    }
    if (sd->n == 0)
        goto done;
    rc = read_member(d, "point", H5T_NATIVE_INT64, sizeof *i64, i64, err);
    if (rc == 1)
        rc = dcs_err_set(err, DCS_EINPUT, "%s: /sweep/points has no point column", path);
    if (rc != 0)
        goto done;
    for (size_t p = 0; p < sd->n; p++) {
        sd->rows[p].point = i64[p];
        sd->rows[p].label = sd->labels + p * (width + 1);
        sd->rows[p].reps = -1;
        sd->rows[p].rel = NAN;
        sd->rows[p].reached = -1;
        sd->rows[p].feasible = 1;
        sd->rows[p].contender = 1;
        sd->rows[p].i = p;
    }
    if ((rc = read_member(d, "label", st, width + 1, sd->labels, err)) < 0)
        goto done;
    rc = read_member(d, "replications", H5T_NATIVE_INT64, sizeof *i64, i64, err);
    for (size_t p = 0; rc == 0 && p < sd->n; p++)
        sd->rows[p].reps = i64[p];
    if (rc < 0)
        goto done;
    rc = read_member(d, "ci95_rel_halfwidth", H5T_NATIVE_DOUBLE, sizeof *f64, f64, err);
    for (size_t p = 0; rc == 0 && p < sd->n; p++)
        sd->rows[p].rel = f64[p];
    if (rc < 0)
        goto done;
    rc = read_member(d, "precision_reached", H5T_NATIVE_INT64, sizeof *i64, i64, err);
    for (size_t p = 0; rc == 0 && p < sd->n; p++) {
        sd->rows[p].reached = i64[p];
        sd->has_precision |= i64[p] >= 0;
    }
    if (rc < 0)
        goto done;
    rc = 0;
    size_t from = 0;
    for (size_t p = 0; p < sd->n; p++) {
        prow *r = &sd->rows[p];
        size_t f0 = from;
        r->cost = find_stat(sd->stats, sd->nstats, &from, r->point, "cost_usd");
        r->mk = find_stat(sd->stats, sd->nstats, &f0, r->point, "makespan_h");
        f0 = from;
        r->best = find_stat(sd->stats, sd->nstats, &f0, r->point, best ? best : "cost_usd");
        f0 = from;
        r->sortm = sortm != NULL ? find_stat(sd->stats, sd->nstats, &f0, r->point, sortm) : NULL;
        sd->has_budget |= r->cost != NULL && !isnan(r->cost->v[V_POVER]);
        sd->has_deadline |= r->mk != NULL && !isnan(r->mk->v[V_POVER]);
    }
done:
    if (st >= 0)
        H5Tclose(st);
    if (ft >= 0)
        H5Tclose(ft);
    if (sp >= 0)
        H5Sclose(sp);
    H5Dclose(d);
    free(i64);
    free(f64);
    return rc;
}

/* The columns of /sweep/points that are not varied keys. */
static int is_point_meta(const char *name)
{
    static const char *const meta[] = {"point",
                                       "label",
                                       "replications",
                                       "ci95_halfwidth",
                                       "ci95_rel_halfwidth",
                                       "precision_reached"};
    for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++)
        if (strcmp(name, meta[i]) == 0)
            return 1;
    return 0;
}

/* Reads the varied keys' columns of /sweep/points into sd (numbers as
 * doubles, fixed-length texts as texts). */
static int read_keys(hid_t fid, sweepdata *sd, dcs_err *err)
{
    hid_t d = H5Dopen2(fid, "sweep/points", H5P_DEFAULT);
    if (d < 0)
        return dcs_h5_fail(err, "H5Dopen2", "/sweep/points");
    hid_t ft = H5Dget_type(d);
    int nm = ft >= 0 ? H5Tget_nmembers(ft) : -1;
    int rc = 0;
    if (nm < 0) {
        rc = dcs_h5_fail(err, "H5Tget_nmembers", "/sweep/points");
        goto done;
    }
    sd->keys = calloc((size_t)nm + 1, sizeof *sd->keys);
    sd->knum = calloc((size_t)nm + 1, sizeof *sd->knum);
    sd->ktext = calloc((size_t)nm + 1, sizeof *sd->ktext);
    sd->kw = calloc((size_t)nm + 1, sizeof *sd->kw);
    if (sd->keys == NULL || sd->knum == NULL || sd->ktext == NULL || sd->kw == NULL) {
        rc = dcs_err_set(err, DCS_ENOMEM, "out of memory reading /sweep/points");
        goto done;
    }
    for (int m = 0; m < nm && rc == 0; m++) {
        char *name = H5Tget_member_name(ft, (unsigned)m);
        hid_t mt = H5Tget_member_type(ft, (unsigned)m);
        H5T_class_t cl = mt >= 0 ? H5Tget_class(mt) : H5T_NO_CLASS;
        size_t k = sd->nkeys;
        if (name != NULL && !is_point_meta(name) &&
            (cl == H5T_FLOAT || cl == H5T_INTEGER ||
             (cl == H5T_STRING && H5Tis_variable_str(mt) <= 0))) {
            snprintf(sd->keys[k], sizeof sd->keys[k], "%s", name);
            if (cl == H5T_STRING) {
                size_t w = H5Tget_size(mt);
                hid_t st = H5Tcopy(H5T_C_S1);
                sd->kw[k] = w;
                sd->ktext[k] = calloc(sd->n + 1, w + 1);
                if (sd->ktext[k] == NULL)
                    rc = dcs_err_set(err, DCS_ENOMEM, "out of memory reading /sweep/points");
                else if (st < 0 || H5Tset_size(st, w + 1) < 0)
                    rc = dcs_h5_fail(err, "H5Tset_size", name);
                else if (sd->n > 0)
                    rc = read_member(d, name, st, w + 1, sd->ktext[k], err);
                if (st >= 0)
                    H5Tclose(st);
            } else {
                sd->knum[k] = calloc(sd->n + 1, sizeof(double));
                if (sd->knum[k] == NULL)
                    rc = dcs_err_set(err, DCS_ENOMEM, "out of memory reading /sweep/points");
                else if (sd->n > 0)
                    rc = read_member(d, name, H5T_NATIVE_DOUBLE, sizeof(double), sd->knum[k], err);
            }
            sd->nkeys++;
        }
        if (mt >= 0)
            H5Tclose(mt);
        H5free_memory(name);
    }
done:
    H5Eclear2(H5E_DEFAULT);
    if (ft >= 0)
        H5Tclose(ft);
    H5Dclose(d);
    return rc < 0 ? rc : 0;
}

/* Rows of /summary in (point, replication) order, for one point at a time. */
typedef struct rowindex {
    int64_t *point, *rep; /* the columns, row order */
    size_t *order;        /* rows sorted by (point, replication) */
    size_t n;
} rowindex;

static const rowindex *sort_ctx;

static int cmp_rows(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    const rowindex *x = sort_ctx;
    if (x->point[a] != x->point[b])
        return x->point[a] < x->point[b] ? -1 : 1;
    if (x->rep[a] != x->rep[b])
        return x->rep[a] < x->rep[b] ? -1 : 1;
    return (a > b) - (a < b);
}

/* The first position in ri->order of point p's rows, and how many. */
static size_t rows_of(const rowindex *ri, int64_t p, size_t *count)
{
    size_t lo = 0, hi = ri->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ri->point[ri->order[mid]] < p)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t e = lo;
    while (e < ri->n && ri->point[ri->order[e]] == p)
        e++;
    *count = e - lo;
    return lo;
}

/* Reads /summary column name as doubles into a new array (n rows). */
static int summary_col(hid_t d, const char *path, const char *name, size_t n, double **out,
                       dcs_err *err)
{
    *out = malloc((n + 1) * sizeof **out);
    if (*out == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory reading /summary");
    int rc = n > 0 ? read_member(d, name, H5T_NATIVE_DOUBLE, sizeof(double), *out, err) : 0;
    if (rc == 1)
        rc = dcs_err_set(err, DCS_EINPUT, "%s: /summary has no column %s", path, name);
    if (rc != 0) {
        free(*out);
        *out = NULL;
    }
    return rc;
}

static long mark_best(sweepdata *sd, int desc);

/* Checks the constraints at every point (prow.feasible), then compares the
 * feasible points with the best on the --best metric's paired replications
 * (prow.contender; select.h). best is chosen by mark_best, which it calls. */
static int select_points(hid_t fid, const char *path, sweepdata *sd, const char *best, int desc,
                         long *ibest, dcs_err *err)
{
    rowindex ri = {0};
    double *col = NULL, *vals = NULL;
    int64_t *reps = NULL;
    dcs_sel_sample *smp = NULL;
    int *cont = NULL;
    size_t *idx = NULL;
    int rc = 0;
    hid_t d = H5Dopen2(fid, "summary", H5P_DEFAULT);
    hid_t sp = d >= 0 ? H5Dget_space(d) : -1;
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    if (n < 0) {
        H5Eclear2(H5E_DEFAULT);
        rc = dcs_err_set(err, DCS_EINPUT, "%s is not a dcsim output file: no /summary", path);
        goto done;
    }
    ri.n = (size_t)n;
    ri.point = malloc((ri.n + 1) * sizeof *ri.point);
    ri.rep = malloc((ri.n + 1) * sizeof *ri.rep);
    ri.order = malloc((ri.n + 1) * sizeof *ri.order);
    vals = malloc((ri.n + 1) * sizeof *vals);
    reps = malloc((ri.n + 1) * sizeof *reps);
    sd->bound = malloc((sd->n * sd->ncons + 1) * sizeof *sd->bound);
    if (ri.point == NULL || ri.rep == NULL || ri.order == NULL || vals == NULL || reps == NULL ||
        sd->bound == NULL) {
        rc = dcs_err_set(err, DCS_ENOMEM, "out of memory reading /summary");
        goto done;
    }
    if (ri.n > 0 &&
        ((rc = read_member(d, "point", H5T_NATIVE_INT64, sizeof(int64_t), ri.point, err)) != 0 ||
         (rc = read_member(d, "replication", H5T_NATIVE_INT64, sizeof(int64_t), ri.rep, err)) !=
             0)) {
        if (rc == 1)
            rc = dcs_err_set(err, DCS_EINPUT, "%s: /summary has no point or replication column",
                             path);
        goto done;
    }
    for (size_t i = 0; i < ri.n; i++)
        ri.order[i] = i;
    sort_ctx = &ri;
    qsort(ri.order, ri.n, sizeof *ri.order, cmp_rows);
    sort_ctx = NULL;
    double alpha = sd->ncons > 0 ? 0.05 / (double)sd->ncons : 0.05;
    for (size_t c = 0; c < sd->ncons; c++) {
        const dcs_constraint *k = &sd->cons[c];
        if ((rc = summary_col(d, path, k->metric, ri.n, &col, err)) != 0) {
            dcs_err_set(err, DCS_EINPUT, "--subject-to '%s': %s has no metric %s in /summary",
                        k->text, path, k->metric);
            rc = DCS_EINPUT;
            goto done;
        }
        for (size_t p = 0; p < sd->n; p++) {
            prow *r = &sd->rows[p];
            size_t cnt, s0 = rows_of(&ri, r->point, &cnt);
            for (size_t j = 0; j < cnt; j++)
                vals[j] = col[ri.order[s0 + j]];
            const srow *t = strcmp(k->metric, "cost_usd") == 0     ? r->cost
                            : strcmp(k->metric, "makespan_h") == 0 ? r->mk
                                                                   : NULL;
            int holds;
            double *b = &sd->bound[p * sd->ncons + c];
            if ((rc = dcs_constraint_check(k, vals, cnt, stat_or_nan(t, V_TARGET), alpha, b, &holds,
                                           err)) != 0)
                goto done;
            r->feasible &= holds;
        }
        free(col);
        col = NULL;
    }
    sd->nfeasible = 0;
    for (size_t p = 0; p < sd->n; p++)
        sd->nfeasible += sd->rows[p].feasible;
    *ibest = mark_best(sd, desc);
    for (size_t p = 0; p < sd->n; p++)
        sd->rows[p].contender = 0;
    if (*ibest < 0)
        goto done;
    /* The feasible points' values of the best metric, in replication order. */
    if ((rc = summary_col(d, path, best, ri.n, &col, err)) != 0)
        goto done;
    smp = calloc(sd->nfeasible + 1, sizeof *smp);
    cont = calloc(sd->nfeasible + 1, sizeof *cont);
    idx = calloc(sd->nfeasible + 1, sizeof *idx);
    if (smp == NULL || cont == NULL || idx == NULL) {
        rc = dcs_err_set(err, DCS_ENOMEM, "out of memory comparing points");
        goto done;
    }
    size_t k = 0, kb = 0, used = 0;
    for (size_t p = 0; p < sd->n; p++) {
        prow *r = &sd->rows[p];
        if (!r->feasible)
            continue;
        size_t cnt, s0 = rows_of(&ri, r->point, &cnt);
        for (size_t j = 0; j < cnt; j++) {
            vals[used + j] = col[ri.order[s0 + j]];
            reps[used + j] = ri.rep[ri.order[s0 + j]];
        }
        smp[k] = (dcs_sel_sample){vals + used, reps + used, cnt};
        used += cnt;
        if ((long)p == *ibest)
            kb = k;
        idx[k++] = p;
    }
    if ((rc = dcs_select_mcb(smp, k, kb, desc, 0.05, cont, &sd->gap_high, err)) != 0)
        goto done;
    for (size_t i = 0; i < k; i++)
        sd->rows[idx[i]].contender = cont[i];
    sd->selected = 1;
done:
    if (sp >= 0)
        H5Sclose(sp);
    if (d >= 0)
        H5Dclose(d);
    free(ri.point);
    free(ri.rep);
    free(ri.order);
    free(col);
    free(vals);
    free(reps);
    free(smp);
    free(cont);
    free(idx);
    return rc;
}

/* Marks the point with the lowest (desc: highest) finite mean of the best
 * metric; ties go to the lower point number. Returns its index or -1. */
static long mark_best(sweepdata *sd, int desc)
{
    long b = -1;
    for (size_t p = 0; p < sd->n; p++) {
        double v = stat_or_nan(sd->rows[p].best, V_MEAN);
        if (isnan(v) || !sd->rows[p].feasible)
            continue;
        double w = b >= 0 ? stat_or_nan(sd->rows[b].best, V_MEAN) : 0.0;
        if (b < 0 || (desc ? v > w : v < w) || (v == w && sd->rows[p].point < sd->rows[b].point))
            b = (long)p;
    }
    if (b >= 0)
        sd->rows[b].is_best = 1;
    return b;
}

static void print_sweep_header(FILE *out, const rattrs *ra, const char *path, const sweepdata *sd,
                               const sattrs *sa)
{
    const rattrs a = *ra;
    fprintf(out, "dcsim report: %s\n", path);
    fprintf(out, "sweep:        %s, %zu point%s\n", sa->sweep_name[0] ? sa->sweep_name : "?", sd->n,
            sd->n == 1 ? "" : "s");
    if (a.has_name)
        fprintf(out, "base:         %s\n", a.scenario_name);
    if (sa->has_precision) {
        size_t reached = 0;
        for (size_t p = 0; p < sd->n; p++)
            reached += sd->rows[p].reached == 1;
        fprintf(out,
                "precision:    95%% CI of the mean of %s within %.3g%% of it: %zu of %zu points "
                "reached it",
                sa->metric[0] ? sa->metric : "?", 100.0 * sa->precision, reached, sd->n);
        if (sa->has_max)
            fprintf(out, " (at most %lld replications)", (long long)sa->max_reps);
        fputc('\n', out);
    }
    if (a.has_reps || a.has_seed) {
        fputs("replications:", out);
        if (a.has_reps)
            fprintf(out, " %lld per point%s", (long long)a.replications,
                    sa->has_precision ? " in the first batch" : "");
        if (a.has_seed)
            fprintf(out, "%sseed %lld", a.has_reps ? ", " : " ", (long long)a.seed);
        fputc('\n', out);
    }
    if (a.has_complete && a.complete == 0)
        fprintf(out, "status:       INCOMPLETE: interrupted after %lld replications\n",
                (long long)(a.has_done ? a.replications_done : 0));
    else if (a.has_complete)
        fputs("status:       complete\n", out);
    print_part(out, &a);
}

/* The text table: numbers first, the label last (labels are long). */
static void print_sweep_table(FILE *out, const sweepdata *sd, const size_t *order, const char *best,
                              int best_desc, long ibest, const char *sorted)
{
    if (sorted != NULL)
        fprintf(out, "sorted by:    %s\n", sorted);
    fputc('\n', out);
    int cols[NPCOLS], nc = 0;
    cols[nc++] = P_POINT;
    cols[nc++] = P_REPS;
    cols[nc++] = P_COST_MEAN;
    cols[nc++] = P_COST_P5;
    cols[nc++] = P_COST_P50;
    cols[nc++] = P_COST_P95;
    cols[nc++] = P_COST_ES95;
    if (sd->has_budget)
        cols[nc++] = P_OVER_BUDGET;
    cols[nc++] = P_MK_MEAN;
    cols[nc++] = P_MK_P5;
    cols[nc++] = P_MK_P50;
    cols[nc++] = P_MK_P95;
    if (sd->has_deadline)
        cols[nc++] = P_OVER_DEADLINE;
    if (sd->has_precision)
        cols[nc++] = P_REL;
    static const char *const heads[NPCOLS] = {[P_POINT] = "point",
                                              [P_REPS] = "reps",
                                              [P_COST_MEAN] = "cost mean",
                                              [P_COST_P5] = "cost p5",
                                              [P_COST_P50] = "cost p50",
                                              [P_COST_P95] = "cost p95",
                                              [P_COST_ES95] = "cost es95",
                                              [P_OVER_BUDGET] = "P(>budget)",
                                              [P_MK_MEAN] = "mk mean h",
                                              [P_MK_P5] = "mk p5",
                                              [P_MK_P50] = "mk p50",
                                              [P_MK_P95] = "mk p95",
                                              [P_OVER_DEADLINE] = "P(>deadline)",
                                              [P_REL] = "CI/mean"};
    fputs("  ", out);
    for (int j = 0; j < nc; j++)
        put_cell(out, heads[cols[j]], j < 2 ? 6 : NUM_W, 1);
    fputs("  label\n", out);
    char b[64];
    for (size_t i = 0; i < sd->n; i++) {
        const prow *r = &sd->rows[order[i]];
        fputs(r->is_best ? "* " : !r->feasible ? "x " : r->contender ? "= " : "  ", out);
        for (int j = 0; j < nc; j++) {
            int c = cols[j];
            double v = pcol_value(r, c);
            if (c == P_POINT || c == P_REPS) {
                if (isnan(v))
                    snprintf(b, sizeof b, "-");
                else
                    snprintf(b, sizeof b, "%lld", (long long)v);
                put_cell(out, b, 6, 1);
                continue;
            }
            if (c == P_OVER_BUDGET || c == P_OVER_DEADLINE)
                snprintf(b, sizeof b, isnan(v) ? "-" : "%.3g", v);
            else if (c == P_REL)
                snprintf(b, sizeof b, isnan(v) ? "-" : "%.3g%%", 100.0 * v);
            else
                fmt_num(v, c <= P_OVER_BUDGET ? "USD" : "h", b, sizeof b);
            put_cell(out, b, NUM_W, 1);
        }
        fprintf(out, "  %s\n", r->label);
    }
    fputc('\n', out);
    char cons[512] = "";
    for (size_t c = 0, used = 0; c < sd->ncons && used < sizeof cons; c++)
        used += (size_t)snprintf(cons + used, sizeof cons - used, "%s%s", c ? " and " : "",
                                 sd->cons[c].text);
    if (ibest < 0) {
        if (sd->ncons > 0)
            fprintf(out, "best: none (no point meets %s with 95%% confidence)\n", cons);
        for (size_t c = 0; c < sd->ncons; c++) {
            const dcs_constraint *k = &sd->cons[c];
            double q = k->op == DCS_SEL_LE || k->op == DCS_SEL_LT ? k->q : 1.0 - k->q;
            if (k->stat == DCS_SEL_P_OVER && (k->op == DCS_SEL_LE || k->op == DCS_SEL_LT) &&
                k->value > 0.0 && k->value < 1.0)
                fprintf(out,
                        "  (%s: even with no replication over the target, a probability is "
                        "bounded below %g at 95%% confidence only from %.0f replications of a "
                        "point on)\n",
                        k->text, k->value,
                        ceil(log(0.05 / (double)sd->ncons) / log(1.0 - k->value)));
            else if (k->stat == DCS_SEL_QUANTILE)
                fprintf(out,
                        "  (%s: a %g-th percentile is bounded at 95%% confidence only from %.0f "
                        "replications of a point on)\n",
                        k->text, 100.0 * k->q, ceil(log(0.05 / (double)sd->ncons) / log(q)));
        }
        if (sd->ncons > 0)
            return;
        else
            fprintf(out, "best: none (no point has a finite mean of %s)\n", best);
        return;
    }
    const prow *r = &sd->rows[ibest];
    const char *units = r->best->units;
    char m[64], lo[64], hi[64], gap[64];
    fmt_num(r->best->v[V_MEAN], units, m, sizeof m);
    fmt_num(r->best->v[V_LO], units, lo, sizeof lo);
    fmt_num(r->best->v[V_HI], units, hi, sizeof hi);
    const char *sp = units[0] && strcmp(units, "USD") != 0 ? " " : "";
    const char *un = strcmp(units, "USD") != 0 ? units : "";
    fprintf(out, "best (* %s mean %s", best_desc ? "highest" : "lowest", best);
    if (sd->ncons > 0)
        fprintf(out, " among the %zu of %zu points that meet %s with 95%% confidence",
                sd->nfeasible, sd->n, cons);
    fprintf(out, "): point %lld, %s%s%s (95%% CI %s to %s): %s\n", (long long)r->point, m, sp, un,
            lo, hi, r->label);
    if (!sd->selected)
        return;
    size_t ncont = 0;
    for (size_t p = 0; p < sd->n; p++)
        ncont += sd->rows[p].contender && !sd->rows[p].is_best;
    if (ncont == 0) {
        fputs("no other point comes close: every other", out);
        fputs(sd->ncons > 0 ? " feasible" : "", out);
        fputs(" point is worse by more than its paired 95% margin", out);
    } else {
        fprintf(out, "cannot be told apart from it (=, %zu point%s):", ncont,
                ncont == 1 ? "" : "s");
        size_t shown = 0;
        for (size_t i = 0; i < sd->n && shown < 20; i++) {
            const prow *q = &sd->rows[order[i]];
            if (q->contender && !q->is_best) {
                fprintf(out, " %lld", (long long)q->point);
                shown++;
            }
        }
        if (ncont > shown)
            fprintf(out, " and %zu more", ncont - shown);
    }
    fmt_num(sd->gap_high, units, gap, sizeof gap);
    fputs("\n  (multiple comparisons with the best, paired on the replications' common random "
          "numbers, 95%:\n   ",
          out);
    if (sd->gap_high > 0.0)
        fprintf(out, "point %lld is at most %s%s%s %s the true best)\n", (long long)r->point, gap,
                sp, un, best_desc ? "below" : "above");
    else
        fprintf(out, "point %lld is the best)\n", (long long)r->point);
    if (sd->ncons > 0 && sd->nfeasible < sd->n) {
        fprintf(out,
                "excluded (x): %zu point%s that cannot be shown to meet %s with 95%% "
                "confidence\n",
                sd->n - sd->nfeasible, sd->n - sd->nfeasible == 1 ? "" : "s", cons);
    }
}

/* Prints column c of r for CSV or JSON: integers as integers, numbers as
 * %.17g (NaN as nan in CSV, null in JSON), the label quoted as each needs. */
static void put_pcell(FILE *out, const prow *r, int c, int json)
{
    if (c == P_LABEL) {
        (json ? json_str : csv_str)(out, r->label);
    } else if (c == P_POINT || c == P_REPS || c == P_REACHED || c == P_BEST || c == P_FEASIBLE ||
               c == P_CONTENDER) {
        fprintf(out, "%lld", (long long)pcol_value(r, c));
    } else {
        (json ? json_num : csv_num)(out, pcol_value(r, c));
    }
}

/* Prints key k's value at point index p: a number (SI units) or a text. */
static void put_key(FILE *out, const sweepdata *sd, size_t k, size_t p, int json)
{
    if (sd->ktext[k] != NULL)
        (json ? json_str : csv_str)(out, sd->ktext[k] + p * (sd->kw[k] + 1));
    else
        (json ? json_num : csv_num)(out, sd->knum[k][p]);
}

static void print_sweep_csv(FILE *out, const sweepdata *sd, const size_t *order)
{
    for (int c = 0; c < NPCOLS; c++) {
        fprintf(out, "%s%s", c ? "," : "", pcol_names[c]);
        for (size_t k = 0; c == P_LABEL && k < sd->nkeys; k++) {
            fputc(',', out);
            csv_str(out, sd->keys[k]);
        }
    }
    fputc('\n', out);
    for (size_t i = 0; i < sd->n; i++) {
        const prow *r = &sd->rows[order[i]];
        for (int c = 0; c < NPCOLS; c++) {
            if (c)
                fputc(',', out);
            put_pcell(out, r, c, 0);
            for (size_t k = 0; c == P_LABEL && k < sd->nkeys; k++) {
                fputc(',', out);
                put_key(out, sd, k, r->i, 0);
            }
        }
        fputc('\n', out);
    }
}

static void print_sweep_json(FILE *out, const char *path, const sweepdata *sd, const size_t *order,
                             const sattrs *sa, const char *best, int best_desc, long ibest,
                             const char *sort)
{
    fputs("{\n  \"file\": ", out);
    json_str(out, path);
    fputs(",\n  \"sweep\": ", out);
    json_str(out, sa->sweep_name);
    fputs(",\n  \"sort\": ", out);
    if (sort != NULL)
        json_str(out, sort);
    else
        fputs("null", out);
    fputs(",\n  \"best\": {\"metric\": ", out);
    json_str(out, best);
    fprintf(out, ", \"direction\": \"%s\", \"point\": ", best_desc ? "highest" : "lowest");
    if (ibest >= 0) {
        const prow *r = &sd->rows[ibest];
        fprintf(out, "%lld, \"label\": ", (long long)r->point);
        json_str(out, r->label);
        fputs(", \"mean\": ", out);
        json_num(out, r->best->v[V_MEAN]);
        fputs(", \"ci95_low\": ", out);
        json_num(out, r->best->v[V_LO]);
        fputs(", \"ci95_high\": ", out);
        json_num(out, r->best->v[V_HI]);
    } else {
        fputs("null", out);
    }
    if (ibest >= 0 && sd->selected) {
        fputs(", \"contenders\": [", out);
        int first = 1;
        for (size_t p = 0; p < sd->n; p++)
            if (sd->rows[p].contender) {
                fprintf(out, "%s%lld", first ? "" : ", ", (long long)sd->rows[p].point);
                first = 0;
            }
        fputs("], \"gap_high\": ", out);
        json_num(out, sd->gap_high);
    }
    fprintf(out, ", \"units\": ");
    json_str(out, ibest >= 0 && sd->rows[ibest].best != NULL ? sd->rows[ibest].best->units : "");
    fputs("},\n  \"subject_to\": [", out);
    for (size_t c = 0; c < sd->ncons; c++) {
        fputs(c ? ", " : "", out);
        json_str(out, sd->cons[c].text);
    }
    fprintf(out, "],\n  \"feasible_points\": %zu,\n  \"selection\": ", sd->nfeasible);
    json_str(out, "multiple comparisons with the best (Hsu), paired on the common random numbers "
                  "of the replications, 95%; constraints checked on one-sided 95% confidence "
                  "bounds (Bonferroni over the constraints)");
    fputs(",\n  \"keys\": [", out);
    for (size_t k = 0; k < sd->nkeys; k++) {
        fputs(k ? ", " : "", out);
        json_str(out, sd->keys[k]);
    }
    fputs("],\n  \"points\": [", out);
    for (size_t i = 0; i < sd->n; i++) {
        const prow *r = &sd->rows[order[i]];
        fprintf(out, "%s\n    {", i ? "," : "");
        for (int c = 0; c < NPCOLS; c++) {
            fprintf(out, "%s\"%s\": ", c ? ", " : "", pcol_names[c]);
            put_pcell(out, r, c, 1);
        }
        fputs(", \"values\": {", out);
        for (size_t k = 0; k < sd->nkeys; k++) {
            fputs(k ? ", " : "", out);
            json_str(out, sd->keys[k]);
            fputs(": ", out);
            put_key(out, sd, k, r->i, 1);
        }
        fputs("}}", out);
    }
    fputs(sd->n > 0 ? "\n  ]\n}\n" : "]\n}\n", out);
}

static int print_sweep(hid_t fid, const char *path, FILE *out, const dcs_report_opts *o,
                       dcs_err *err)
{
    const char *best = o->best != NULL ? o->best : "cost_usd";
    int best_desc = best[0] == '-';
    best += best_desc;
    sort_key key = {-2, 0};
    const char *sortm = NULL;
    if (o->sort != NULL) {
        key.desc = o->sort[0] == '-';
        const char *name = o->sort + key.desc;
        for (int c = 0; c < NPCOLS; c++)
            if (strcmp(name, pcol_names[c]) == 0)
                key.col = c;
        if (key.col == -2) {
            key.col = -1;
            sortm = name;
        }
    }
    sweepdata sd;
    int rc = read_sweep(fid, path, best, sortm, &sd, err);
    size_t *order = NULL;
    sitem *items = NULL;
    if (rc != 0)
        goto done;
    if (sortm != NULL && !has_metric(sd.stats, sd.nstats, sortm)) {
        rc = dcs_err_set(err, DCS_EINPUT,
                         "--sort: no column or metric '%s' (columns: point, label, replications, "
                         "cost_usd_mean, cost_usd_p95, p_cost_over_budget, makespan_h_mean, ...; "
                         "or any metric of /stats, by its mean)",
                         sortm);
        goto done;
    }
    if (o->nsubject > 0) {
        sd.cons = calloc(o->nsubject, sizeof *sd.cons);
        if (sd.cons == NULL) {
            rc = dcs_err_set(err, DCS_ENOMEM, "out of memory");
            goto done;
        }
        for (size_t c = 0; c < o->nsubject; c++)
            if ((rc = dcs_constraint_parse(o->subject_to[c], &sd.cons[c], err)) != 0)
                goto done;
        sd.ncons = o->nsubject;
    }
    long ibest = -1;
    if ((rc = read_keys(fid, &sd, err)) != 0 ||
        (rc = select_points(fid, path, &sd, best, best_desc, &ibest, err)) != 0)
        goto done;
    sattrs sa;
    memset(&sa, 0, sizeof sa);
    rattrs ra;
    if ((rc = root_text(fid, "sweep_name", sa.sweep_name, sizeof sa.sweep_name, NULL, err)) != 0 ||
        (rc = root_text(fid, "precision_metric", sa.metric, sizeof sa.metric, NULL, err)) != 0 ||
        (rc = read_rattrs(fid, &ra, err)) != 0)
        goto done;
    sa.has_precision = root_num(fid, "precision_target", A_FLOAT, H5T_NATIVE_DOUBLE, &sa.precision);
    sa.has_max = root_i64(fid, "max_replications", &sa.max_reps);
    order = malloc((sd.n + 1) * sizeof *order);
    items = malloc((sd.n + 1) * sizeof *items);
    if (order == NULL || items == NULL) {
        rc = dcs_err_set(err, DCS_ENOMEM, "out of memory sorting %zu points", sd.n);
        goto done;
    }
    for (size_t p = 0; p < sd.n; p++) {
        const prow *r = &sd.rows[p];
        items[p] = (sitem){key.col == -2 ? 0.0 : sort_value(r, &key),
                           key.col == P_LABEL ? r->label : NULL, r->point, p, key.desc};
    }
    qsort(items, sd.n, sizeof *items, cmp_sitem);
    for (size_t i = 0; i < sd.n; i++)
        order[i] = items[i].idx;
    if (o->fmt == DCS_REPORT_TABLE) {
        char sorted[96];
        if (o->sort != NULL)
            snprintf(sorted, sizeof sorted, "%s (%s)", o->sort + key.desc,
                     key.desc ? "descending" : "ascending");
        print_sweep_header(out, &ra, path, &sd, &sa);
        print_sweep_table(out, &sd, order, best, best_desc, ibest, o->sort != NULL ? sorted : NULL);
    } else if (o->fmt == DCS_REPORT_CSV) {
        print_sweep_csv(out, &sd, order);
    } else {
        print_sweep_json(out, path, &sd, order, &sa, best, best_desc, ibest, o->sort);
    }
done:
    free(order);
    free(items);
    sweepdata_free(&sd);
    return rc;
}

int dcs_report_print(const char *h5path, FILE *out, dcs_report_format fmt, dcs_err *err)
{
    dcs_report_opts o = {fmt, NULL, NULL, NULL, 0};
    return dcs_report_print_opts(h5path, out, &o, err);
}

/* The report of the open file fid, called h5path in what it prints. */
static int print_open(hid_t fid, const char *h5path, FILE *out, const dcs_report_opts *o,
                      const dcs_report_held *held, dcs_err *err)
{
    dcs_report_format fmt = o->fmt;
    int rc = 0;
    srow *rows = NULL;
    size_t n = 0;
    htri_t has = H5Lexists(fid, "stats", H5P_DEFAULT);
    H5Eclear2(H5E_DEFAULT);
    if (has <= 0) {
        rc = dcs_err_set(err, DCS_EINPUT, "%s is not a dcsim output file: no /stats table", h5path);
        goto done;
    }
    htri_t sweep =
        H5Lexists(fid, "sweep", H5P_DEFAULT) > 0 && H5Lexists(fid, "sweep/points", H5P_DEFAULT) > 0;
    H5Eclear2(H5E_DEFAULT);
    if (sweep) {
        rc = print_sweep(fid, h5path, out, o, err);
        goto flush;
    }
    if (o->sort != NULL || o->best != NULL || o->nsubject > 0) {
        rc = dcs_err_set(err, DCS_EINPUT,
                         "--sort, --best and --subject-to apply to a sweep's file; %s has no "
                         "/sweep/points",
                         h5path);
        goto done;
    }
    rc = held != NULL && held->rows != NULL ? held_stats(held, &rows, &n, err) : 1;
    if (rc == 1)
        rc = read_stats(fid, h5path, NULL, 0, &rows, &n, err);
    if (rc != 0)
        goto done;
    if (fmt == DCS_REPORT_TABLE) {
        rattrs a;
        if ((rc = read_rattrs(fid, &a, err)) != 0)
            goto done;
        print_table(out, h5path, &a, rows, n);
        rc = print_sensitivity(out, fid, err);
    } else if (fmt == DCS_REPORT_CSV) {
        print_csv(out, rows, n);
    } else {
        rc = print_json(out, fid, h5path, rows, n, err);
    }
flush:
    if (rc == 0 && (fflush(out) != 0 || ferror(out)))
        rc = dcs_err_set(err, DCS_EIO, "cannot write the report: %s", strerror(errno));
done:
    free(rows);
    return rc;
}

static int check_opts(const char *h5path, FILE *out, const dcs_report_opts *o, dcs_err *err)
{
    if (o == NULL)
        return dcs_err_set(err, DCS_EINPUT, "report: NULL options");
    if (h5path == NULL || out == NULL)
        return dcs_err_set(err, DCS_EINPUT, "report: NULL path or stream");
    if (o->fmt != DCS_REPORT_TABLE && o->fmt != DCS_REPORT_CSV && o->fmt != DCS_REPORT_JSON)
        return dcs_err_set(err, DCS_EINPUT, "report: unknown format %d", (int)o->fmt);
    return 0;
}

int dcs_report_print_opts(const char *h5path, FILE *out, const dcs_report_opts *o, dcs_err *err)
{
    int rc = check_opts(h5path, out, o, err);
    if (rc != 0)
        return rc;
    /* stdio first, for errno's message on a missing or unreadable file. */
    FILE *probe = fopen(h5path, "rb");
    if (probe == NULL) /* a missing or unreadable file is the user's to fix */
        return dcs_err_set(err, errno == EIO ? DCS_EIO : DCS_EINPUT, "cannot open %s: %s", h5path,
                           strerror(errno));
    fclose(probe);
    htri_t is = H5Fis_hdf5(h5path);
    H5Eclear2(H5E_DEFAULT);
    if (is <= 0)
        return dcs_err_set(err, DCS_EINPUT, "%s is not a dcsim output file (not HDF5)", h5path);
    hid_t fid = H5Fopen(h5path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (fid < 0) {
        /* A file HDF5 recognises but cannot open: truncated or damaged,
         * a file the user gave that cannot be used (exit status 2). */
        dcs_h5_fail(err, "H5Fopen", h5path);
        if (err != NULL)
            err->code = DCS_EINPUT;
        return DCS_EINPUT;
    }
    rc = print_open(fid, h5path, out, o, NULL, err);
    if (H5Fclose(fid) < 0 && rc == 0)
        rc = dcs_h5_fail(err, "H5Fclose", h5path);
    return rc;
}

int dcs_report_print_hid(int64_t hid, const char *name, FILE *out, dcs_report_format fmt,
                         const dcs_report_held *stats, dcs_err *err)
{
    dcs_report_opts o = {fmt, NULL, NULL, NULL, 0};
    int rc = check_opts(name, out, &o, err);
    return rc != 0 ? rc : print_open((hid_t)hid, name, out, &o, stats, err);
}
