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
    int64_t seed, replications, replications_done, complete;
    int has_name, has_seed, has_reps, has_done, has_complete;
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

/* Reads root attribute `name` as an integer; returns 1 when found and
 * integral, 0 when absent or of another kind. */
static int root_i64(hid_t fid, const char *name, int64_t *v)
{
    if (H5Aexists(fid, name) <= 0)
        return 0;
    hid_t a = H5Aopen(fid, name, H5P_DEFAULT);
    if (a < 0)
        return 0;
    int ok = attr_kind(a) == A_INT && H5Aread(a, H5T_NATIVE_INT64, v) >= 0;
    H5Aclose(a);
    H5Eclear2(H5E_DEFAULT);
    return ok;
}

static void read_rattrs(hid_t fid, rattrs *r)
{
    memset(r, 0, sizeof *r);
    if (H5Aexists(fid, "scenario_name") > 0) {
        hid_t a = H5Aopen(fid, "scenario_name", H5P_DEFAULT);
        if (a >= 0 && attr_kind(a) == A_STR) {
            char *s = attr_string(a, "scenario_name", NULL);
            if (s != NULL) {
                snprintf(r->scenario_name, sizeof r->scenario_name, "%s", s);
                r->has_name = 1;
                free(s);
            }
        }
        if (a >= 0)
            H5Aclose(a);
    }
    r->has_seed = root_i64(fid, "seed", &r->seed);
    r->has_reps = root_i64(fid, "replications", &r->replications);
    r->has_done = root_i64(fid, "replications_done", &r->replications_done);
    r->has_complete = root_i64(fid, "complete", &r->complete);
    H5Eclear2(H5E_DEFAULT);
}

/* Reads /stats whole. Returns 0 and sets *rows (malloc'd) and *nrows. */
static int read_stats(hid_t fid, const char *path, srow **rows, size_t *nrows, dcs_err *err)
{
    int rc = 0;
    hid_t d = -1, ft = -1, mt = -1, st = -1, sp = -1;
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
    sp = H5Dget_space(d);
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    if (n < 0) {
        rc = dcs_h5_fail(err, "H5Dget_space", "/stats");
        goto done;
    }
    *rows = calloc((size_t)n + 1, sizeof **rows);
    if (*rows == NULL) {
        rc = dcs_err_set(err, DCS_ENOMEM, "out of memory reading /stats");
        goto done;
    }
    if (n > 0 && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, *rows) < 0) {
        rc = dcs_h5_fail(err, "H5Dread", "/stats");
        free(*rows);
        *rows = NULL;
        goto done;
    }
    *nrows = (size_t)n;
done:
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
        snprintf(buf + k, n - k, "%s", dot);
}

/* Formats v readably: money (units "USD") as $1.23M, other values with
 * thousands grouped, or in %.4g below 100 (which switches to an exponent
 * for tiny values); NaN as "-". */
static void fmt_num(double v, const char *units, char *buf, size_t n)
{
    if (isnan(v)) {
        snprintf(buf, n, "-");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, n, "%sinf", v < 0 ? "-" : "");
        return;
    }
    const char *sign = v < 0 ? "-" : "";
    double a = fabs(v);
    char body[64];
    if (units != NULL && strcmp(units, "USD") == 0) {
        if (a >= 1e12)
            snprintf(body, sizeof body, "$%.3gT", a / 1e12);
        else if (a >= 1e9)
            snprintf(body, sizeof body, "$%.2fB", a / 1e9);
        else if (a >= 1e6)
            snprintf(body, sizeof body, "$%.2fM", a / 1e6);
        else if (a >= 1e3)
            snprintf(body, sizeof body, "$%.1fk", a / 1e3);
        else
            snprintf(body, sizeof body, "$%.2f", a);
    } else if (a >= 1e15) {
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
    if (snprintf(buf, n, "%s%s", sign, body) < 0)
        buf[0] = '\0';
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
    size_t w = display_width(s);
    size_t pad = w < width ? width - w : 0;
    if (right)
        fprintf(out, "%*s%s", (int)pad, "", s);
    else
        fprintf(out, "%s%*s", s, (int)pad, "");
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
        snprintf(h, sizeof h, "-");
    } else {
        fmt_num(r->v[V_HI] - r->v[V_MEAN], r->units, b, sizeof b);
        snprintf(h, sizeof h, "\xC2\xB1%s", b);
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
            if (strcmp(rows[i].metric, "cost_usd") == 0)
                print_tail_line(out, &rows[i]);
        for (int rank = 0; rank <= (int)NFIRST; rank++)
            for (size_t i = s; i < e; i++)
                if (rank_of(rows[i].metric) == rank && !isnan(rows[i].v[V_POVER]))
                    print_risk_line(out, &rows[i]);
        s = e;
    }
}

/* ---- CSV and JSON. ---- */

static void csv_str(FILE *out, const char *s)
{
    if (strpbrk(s, ",\"\n\r") == NULL) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s != '\0'; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
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
            if (isnan(rows[i].v[k]))
                fputs(",nan", out);
            else if (isinf(rows[i].v[k]))
                fputs(rows[i].v[k] < 0 ? ",-inf" : ",inf", out);
            else
                fprintf(out, ",%.17g", rows[i].v[k]);
        }
        fputc('\n', out);
    }
}

static void json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c == '\r')
            fputs("\\r", out);
        else if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

static void json_num(FILE *out, double v)
{
    if (isfinite(v))
        fprintf(out, "%.17g", v);
    else
        fputs("null", out);
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

int dcs_report_print(const char *h5path, FILE *out, dcs_report_format fmt, dcs_err *err)
{
    if (h5path == NULL || out == NULL)
        return dcs_err_set(err, DCS_EINPUT, "report: NULL path or stream");
    if (fmt != DCS_REPORT_TABLE && fmt != DCS_REPORT_CSV && fmt != DCS_REPORT_JSON)
        return dcs_err_set(err, DCS_EINPUT, "report: unknown format %d", (int)fmt);
    /* stdio first, for errno's message on a missing or unreadable file. */
    FILE *probe = fopen(h5path, "rb");
    if (probe == NULL)
        return dcs_err_set(err, DCS_EIO, "cannot open %s: %s", h5path, strerror(errno));
    fclose(probe);
    htri_t is = H5Fis_hdf5(h5path);
    H5Eclear2(H5E_DEFAULT);
    if (is <= 0)
        return dcs_err_set(err, DCS_EINPUT, "%s is not a dcsim output file (not HDF5)", h5path);
    hid_t fid = H5Fopen(h5path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (fid < 0) {
        /* A file HDF5 recognises but cannot open: an I/O problem. */
        dcs_h5_fail(err, "H5Fopen", h5path);
        if (err != NULL)
            err->code = DCS_EIO;
        return DCS_EIO;
    }
    int rc = 0;
    srow *rows = NULL;
    size_t n = 0;
    htri_t has = H5Lexists(fid, "stats", H5P_DEFAULT);
    H5Eclear2(H5E_DEFAULT);
    if (has <= 0) {
        rc = dcs_err_set(err, DCS_EINPUT, "%s is not a dcsim output file: no /stats table", h5path);
        goto done;
    }
    rc = read_stats(fid, h5path, &rows, &n, err);
    if (rc != 0)
        goto done;
    if (fmt == DCS_REPORT_TABLE) {
        rattrs a;
        read_rattrs(fid, &a);
        print_table(out, h5path, &a, rows, n);
    } else if (fmt == DCS_REPORT_CSV) {
        print_csv(out, rows, n);
    } else {
        rc = print_json(out, fid, h5path, rows, n, err);
    }
    if (rc == 0 && (fflush(out) != 0 || ferror(out)))
        rc = dcs_err_set(err, DCS_EIO, "cannot write the report: %s", strerror(errno));
done:
    free(rows);
    if (H5Fclose(fid) < 0 && rc == 0)
        rc = dcs_h5_fail(err, "H5Fclose", h5path);
    return rc;
}
