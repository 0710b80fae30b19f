/*
 * compare.c - paired comparison of two output files (compare.h).
 *
 * Each file's /summary is read a column at a time (point, replication and
 * each metric as doubles, through a one-member compound type, so the
 * column order does not matter). A's rows are sorted by (point,
 * replication); every row of B is looked up there by binary search. The
 * differences are summarized with GSL as in stats.c: mean, sample sd,
 * Student's t interval, and GSL's quantile definition for p5/p50/p95.
 */
#include "compare.h"

#include "h5out.h"
#include "writer.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <hdf5.h>

typedef struct table {
    const char *path;
    hid_t fid, dset, ftype;
    size_t n;
} table;

static int open_table(table *t, const char *path, dcs_err *err)
{
    t->path = path;
    t->fid = t->dset = t->ftype = -1;
    FILE *probe = fopen(path, "rb");
    if (probe == NULL) /* a missing or unreadable file is the user's to fix */
        return dcs_err_set(err, errno == EIO ? DCS_EIO : DCS_EINPUT, "cannot open %s: %s", path,
                           strerror(errno));
    fclose(probe);
    if (H5Fis_hdf5(path) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return dcs_err_set(err, DCS_EINPUT, "%s is not an HDF5 file", path);
    }
    t->fid = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (t->fid < 0) { /* truncated or damaged: a file the user gave that cannot be used */
        dcs_h5_fail(err, "H5Fopen", path);
        if (err != NULL)
            err->code = DCS_EINPUT;
        return DCS_EINPUT;
    }
    t->dset = H5Dopen2(t->fid, "summary", H5P_DEFAULT);
    if (t->dset < 0) {
        H5Eclear2(H5E_DEFAULT);
        return dcs_err_set(err, DCS_EINPUT, "%s is not a dcsim output file: it has no /summary",
                           path);
    }
    t->ftype = H5Dget_type(t->dset);
    hid_t sp = H5Dget_space(t->dset);
    if (t->ftype < 0 || sp < 0)
        return dcs_h5_fail(err, "H5Dget_type", path);
    hssize_t n = H5Sget_simple_extent_npoints(sp);
    H5Sclose(sp);
    if (n < 0)
        return dcs_h5_fail(err, "H5Sget_simple_extent_npoints", path);
    t->n = (size_t)n;
    return 0;
}

static void close_table(table *t)
{
    if (t->ftype >= 0)
        H5Tclose(t->ftype);
    if (t->dset >= 0)
        H5Dclose(t->dset);
    if (t->fid >= 0)
        H5Fclose(t->fid);
}

/* Reads column `name` as doubles into a malloc'd array of t->n values. */
static int read_col(const table *t, const char *name, double **out, dcs_err *err)
{
    *out = NULL;
    if (H5Tget_member_index(t->ftype, name) < 0) {
        H5Eclear2(H5E_DEFAULT);
        return dcs_err_set(err, DCS_EINPUT, "%s: /summary has no column %s", t->path, name);
    }
    double *v = malloc((t->n + 1) * sizeof *v);
    hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof(double));
    int rc = 0;
    if (v == NULL)
        rc = dcs_err_set(err, DCS_ENOMEM, "out of memory reading %s", t->path);
    else if (mt < 0 || H5Tinsert(mt, name, 0, H5T_NATIVE_DOUBLE) < 0)
        rc = dcs_h5_fail(err, "H5Tinsert", name);
    else if (t->n > 0 && H5Dread(t->dset, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0)
        rc = dcs_h5_fail(err, "H5Dread", t->path);
    if (mt >= 0)
        H5Tclose(mt);
    if (rc != 0) {
        free(v);
        return rc;
    }
    *out = v;
    return 0;
}

/* The units of column `name`, from the table's units attribute. */
static void col_units(const table *t, const char *name, char *dst, size_t cap)
{
    dst[0] = '\0';
    int idx = H5Tget_member_index(t->ftype, name);
    if (idx < 0 || H5Aexists(t->dset, "units") <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return;
    }
    hid_t a = H5Aopen(t->dset, "units", H5P_DEFAULT);
    hid_t sp = a >= 0 ? H5Aget_space(a) : -1;
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    hid_t st = H5Tcopy(H5T_C_S1);
    if (n > idx && st >= 0 && H5Tset_size(st, H5T_VARIABLE) >= 0 &&
        H5Tset_cset(st, H5T_CSET_UTF8) >= 0) {
        char **v = calloc((size_t)n, sizeof *v);
        if (v != NULL && H5Aread(a, st, v) >= 0) {
            snprintf(dst, cap, "%s", v[idx] != NULL ? v[idx] : "");
            H5Dvlen_reclaim(st, sp, H5P_DEFAULT, v);
        }
        free(v);
    }
    H5Eclear2(H5E_DEFAULT);
    if (st >= 0)
        H5Tclose(st);
    if (sp >= 0)
        H5Sclose(sp);
    if (a >= 0)
        H5Aclose(a);
}

int dcs_compare_pairs(const double *x, const double *y, size_t n, dcs_compare_row *out,
                      dcs_err *err)
{
    double *a = malloc((n + 1) * sizeof *a), *b = malloc((n + 1) * sizeof *b);
    double *d = malloc((n + 1) * sizeof *d);
    if (a == NULL || b == NULL || d == NULL) {
        free(a);
        free(b);
        free(d);
        return dcs_err_set(err, DCS_ENOMEM, "out of memory comparing %zu pairs", n);
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]) && isfinite(y[i])) {
            a[m] = x[i];
            b[m] = y[i];
            d[m] = y[i] - x[i];
            m++;
        }
    out->n = (long long)m;
    out->mean_a = out->mean_b = out->mean_diff = out->sd_diff = NAN;
    out->ci95_low = out->ci95_high = out->p5 = out->p50 = out->p95 = NAN;
    out->se_paired = out->se_unpaired = out->correlation = NAN;
    if (m > 0) {
        out->mean_a = gsl_stats_mean(a, 1, m);
        out->mean_b = gsl_stats_mean(b, 1, m);
        out->mean_diff = gsl_stats_mean(d, 1, m);
    }
    if (m > 1) {
        out->sd_diff = gsl_stats_sd_m(d, 1, m, out->mean_diff);
        double sn = sqrt((double)m);
        out->se_paired = out->sd_diff / sn;
        double va = gsl_stats_variance_m(a, 1, m, out->mean_a);
        double vb = gsl_stats_variance_m(b, 1, m, out->mean_b);
        out->se_unpaired = sqrt(va / (double)m + vb / (double)m);
        if (va > 0.0 && vb > 0.0)
            out->correlation = gsl_stats_correlation(a, 1, b, 1, m);
        double t = gsl_cdf_tdist_Pinv(0.975, (double)(m - 1));
        out->ci95_low = out->mean_diff - t * out->se_paired;
        out->ci95_high = out->mean_diff + t * out->se_paired;
    }
    if (m > 0) {
        gsl_sort(d, 1, m);
        out->p5 = gsl_stats_quantile_from_sorted_data(d, 1, m, 0.05);
        out->p50 = gsl_stats_quantile_from_sorted_data(d, 1, m, 0.50);
        out->p95 = gsl_stats_quantile_from_sorted_data(d, 1, m, 0.95);
    }
    free(a);
    free(b);
    free(d);
    return 0;
}

/* A (point, replication) key and the row it came from. */
typedef struct key {
    double point, rep;
    size_t row;
} key;

static int cmp_key(const void *p, const void *q)
{
    const key *a = p, *b = q;
    if (a->point != b->point)
        return a->point < b->point ? -1 : 1;
    return (a->rep > b->rep) - (a->rep < b->rep);
}

/* Money the one way (writer.h); other values with six significant digits. */
static void print_money(FILE *out, double v, const char *units)
{
    char buf[64];
    if (strcmp(units, "USD") == 0 && isfinite(v)) {
        dcs_money(v, buf, sizeof buf);
        fputs(buf, out);
    } else {
        fprintf(out, "%.6g", v);
    }
}

static void print_rows(FILE *out, const char *a, const char *b, const dcs_compare_row *r, size_t n,
                       size_t only_a, size_t only_b, dcs_report_format fmt)
{
    static const char *const names[] = {"mean_a",   "mean_b",    "mean_diff",   "sd_diff",
                                        "ci95_low", "ci95_high", "p5",          "p50",
                                        "p95",      "se_paired", "se_unpaired", "correlation"};
    enum { NNUM = sizeof names / sizeof names[0] };
    if (fmt == DCS_REPORT_CSV) {
        fputs("metric,units,n", out);
        for (int k = 0; k < NNUM; k++)
            fprintf(out, ",%s", names[k]);
        fputc('\n', out);
    } else if (fmt == DCS_REPORT_JSON) {
        fputs("{\n  \"a\": ", out);
        dcs_write_str(out, DCS_WRITE_JSON, a);
        fputs(",\n  \"b\": ", out);
        dcs_write_str(out, DCS_WRITE_JSON, b);
        fprintf(out, ",\n  \"only_in_a\": %zu,\n  \"only_in_b\": %zu,\n  \"metrics\": [", only_a,
                only_b);
    } else {
        fprintf(out, "dcsim compare: B = %s\n               A = %s\n", b, a);
        fprintf(out, "paired by (point, replication): %lld pairs", n > 0 ? r[0].n : 0LL);
        if (only_a + only_b > 0)
            fprintf(out, "; %zu rows only in A, %zu only in B (not compared)", only_a, only_b);
        fputs("\n", out);
    }
    for (size_t i = 0; i < n; i++) {
        const dcs_compare_row *c = &r[i];
        double v[NNUM] = {c->mean_a,   c->mean_b,    c->mean_diff,   c->sd_diff,
                          c->ci95_low, c->ci95_high, c->p5,          c->p50,
                          c->p95,      c->se_paired, c->se_unpaired, c->correlation};
        if (fmt == DCS_REPORT_CSV) {
            dcs_write_str(out, DCS_WRITE_CSV, c->metric);
            fputc(',', out);
            dcs_write_str(out, DCS_WRITE_CSV, c->units);
            fprintf(out, ",%lld", c->n);
            for (int k = 0; k < NNUM; k++) {
                fputc(',', out);
                dcs_write_num(out, DCS_WRITE_CSV, v[k]);
            }
            fputc('\n', out);
        } else if (fmt == DCS_REPORT_JSON) {
            fprintf(out, "%s\n    {\"metric\": ", i == 0 ? "" : ",");
            dcs_write_str(out, DCS_WRITE_JSON, c->metric);
            fputs(", \"units\": ", out);
            dcs_write_str(out, DCS_WRITE_JSON, c->units);
            fprintf(out, ", \"n\": %lld", c->n);
            for (int k = 0; k < NNUM; k++) {
                fprintf(out, ", \"%s\": ", names[k]);
                dcs_write_num(out, DCS_WRITE_JSON, v[k]);
            }
            fputc('}', out);
        } else {
            fprintf(out, "\n%s (%s)\n  mean A ", c->metric, c->units[0] ? c->units : "no unit");
            print_money(out, c->mean_a, c->units);
            fputs(", mean B ", out);
            print_money(out, c->mean_b, c->units);
            fputs("\n  B - A: mean ", out);
            print_money(out, c->mean_diff, c->units);
            fputs(", 95% CI [", out);
            print_money(out, c->ci95_low, c->units);
            fputs(", ", out);
            print_money(out, c->ci95_high, c->units);
            fputs("]\n         p5 ", out);
            print_money(out, c->p5, c->units);
            fputs(", p50 ", out);
            print_money(out, c->p50, c->units);
            fputs(", p95 ", out);
            print_money(out, c->p95, c->units);
            fputs("\n  standard error of the difference: paired ", out);
            print_money(out, c->se_paired, c->units);
            fputs(", independent runs would give ", out);
            print_money(out, c->se_unpaired, c->units);
            if (c->se_paired > 0.0 && isfinite(c->se_unpaired))
                fprintf(out, " (%.3gx the variance)",
                        c->se_unpaired * c->se_unpaired / (c->se_paired * c->se_paired));
            fputc('\n', out);
        }
    }
    if (fmt == DCS_REPORT_JSON)
        fputs("\n  ]\n}\n", out);
}

/* A root attribute as an integer; 0 when absent or not an integer. */
static int root_int(hid_t fid, const char *name, long long *v)
{
    int ok = 0;
    if (H5Aexists(fid, name) > 0) {
        hid_t at = H5Aopen(fid, name, H5P_DEFAULT);
        hid_t ty = at >= 0 ? H5Aget_type(at) : -1;
        ok = ty >= 0 && H5Tget_class(ty) == H5T_INTEGER && H5Aread(at, H5T_NATIVE_LLONG, v) >= 0;
        if (ty >= 0)
            H5Tclose(ty);
        if (at >= 0)
            H5Aclose(at);
    }
    H5Eclear2(H5E_DEFAULT);
    return ok;
}

static int cmp_double(const void *p, const void *q)
{
    double a = *(const double *)p, b = *(const double *)q;
    return (a > b) - (a < b);
}

/* Sorts v[0..n) and keeps its distinct values; returns their number. */
static size_t distinct(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || v[i] != v[m - 1])
            v[m++] = v[i];
    return m;
}

int dcs_compare_check(const char *a, const char *b, dcs_err *err)
{
    table ta, tb;
    memset(&tb, 0, sizeof tb);
    tb.fid = tb.dset = tb.ftype = -1;
    double *pa = NULL, *pb = NULL;
    int rc = open_table(&ta, a, err);
    if (rc == 0)
        rc = open_table(&tb, b, err);
    if (rc == 0 &&
        ((rc = read_col(&ta, "point", &pa, err)) || (rc = read_col(&tb, "point", &pb, err))))
        goto done;
    if (rc != 0)
        goto done;
    char why[512] = "";
    size_t used = 0;
    long long sa = -1, sb = -1, na = -1, nb = -1;
    int has_sa = root_int(ta.fid, "seed", &sa), has_sb = root_int(tb.fid, "seed", &sb);
    int has_na = root_int(ta.fid, "replications", &na);
    int has_nb = root_int(tb.fid, "replications", &nb);
    if (!has_sa || !has_sb || sa != sb)
        used += (size_t)snprintf(why + used, sizeof why - used, "; seed %lld against %lld", sa, sb);
    if ((!has_na || !has_nb || na != nb) && used < sizeof why)
        used += (size_t)snprintf(why + used, sizeof why - used, "; %lld replications against %lld",
                                 na, nb);
    size_t ka = distinct(pa, ta.n), kb = distinct(pb, tb.n);
    int same = ka == kb;
    for (size_t i = 0; same && i < ka; i++)
        same = pa[i] == pb[i];
    if (!same && used < sizeof why)
        used += (size_t)snprintf(why + used, sizeof why - used,
                                 "; %zu point%s against %zu (or other point numbers)", ka,
                                 ka == 1 ? "" : "s", kb);
    if (used > 0)
        rc = dcs_err_set(err, DCS_EINPUT,
                         "%s and %s are not from comparable runs (%s): pairs would be missing or "
                         "share no random numbers, so the paired analysis would mislead; give "
                         "--pair-anyway to compare them all the same",
                         a, b, why + 2);
done:
    free(pa);
    free(pb);
    close_table(&tb);
    close_table(&ta);
    return rc;
}

int dcs_compare_print(const char *a, const char *b, const char *const *metrics, size_t nmetrics,
                      dcs_report_format fmt, FILE *out, dcs_err *err)
{
    static const char *const dflt[] = {"cost_usd", "makespan_h"};
    if (nmetrics == 0) {
        metrics = dflt;
        nmetrics = 2;
    }
    table ta, tb;
    memset(&tb, 0, sizeof tb);
    tb.fid = tb.dset = tb.ftype = -1;
    double *pa = NULL, *ra = NULL, *pb = NULL, *rb = NULL, *xa = NULL, *xb = NULL;
    double *x = NULL, *y = NULL;
    key *ka = NULL;
    size_t *match = NULL;
    dcs_compare_row *rows = NULL;
    int rc = open_table(&ta, a, err);
    if (rc == 0)
        rc = open_table(&tb, b, err);
    if (rc == 0 &&
        ((rc = read_col(&ta, "point", &pa, err)) || (rc = read_col(&ta, "replication", &ra, err)) ||
         (rc = read_col(&tb, "point", &pb, err)) || (rc = read_col(&tb, "replication", &rb, err))))
        goto done;
    if (rc != 0)
        goto done;
    ka = malloc((ta.n + 1) * sizeof *ka);
    match = malloc((tb.n + 1) * sizeof *match);
    x = malloc((tb.n + 1) * sizeof *x);
    y = malloc((tb.n + 1) * sizeof *y);
    rows = calloc(nmetrics, sizeof *rows);
    if (ka == NULL || match == NULL || x == NULL || y == NULL || rows == NULL) {
        rc = dcs_err_set(err, DCS_ENOMEM, "out of memory comparing %s and %s", a, b);
        goto done;
    }
    for (size_t i = 0; i < ta.n; i++)
        ka[i] = (key){pa[i], ra[i], i};
    qsort(ka, ta.n, sizeof *ka, cmp_key);
    size_t npairs = 0;
    for (size_t i = 0; i < tb.n; i++) {
        key k = {pb[i], rb[i], 0};
        const key *f = bsearch(&k, ka, ta.n, sizeof *ka, cmp_key);
        if (f != NULL)
            match[npairs++] = i | (f->row << 32);
    }
    if (npairs == 0) {
        rc = dcs_err_set(err, DCS_EINPUT,
                         "%s and %s share no (point, replication) pair: nothing to compare", a, b);
        goto done;
    }
    for (size_t k = 0; k < nmetrics; k++) {
        if ((rc = read_col(&ta, metrics[k], &xa, err)) ||
            (rc = read_col(&tb, metrics[k], &xb, err)))
            goto done;
        for (size_t i = 0; i < npairs; i++) {
            x[i] = xa[match[i] >> 32];
            y[i] = xb[match[i] & 0xffffffffu];
        }
        snprintf(rows[k].metric, sizeof rows[k].metric, "%s", metrics[k]);
        col_units(&ta, metrics[k], rows[k].units, sizeof rows[k].units);
        if ((rc = dcs_compare_pairs(x, y, npairs, &rows[k], err)) != 0)
            goto done;
        free(xa);
        free(xb);
        xa = xb = NULL;
    }
    print_rows(out, a, b, rows, nmetrics, ta.n - npairs, tb.n - npairs, fmt);
    if (ferror(out))
        rc = dcs_err_set(err, DCS_EIO, "cannot write the comparison");
done:
    free(pa);
    free(ra);
    free(pb);
    free(rb);
    free(xa);
    free(xb);
    free(x);
    free(y);
    free(ka);
    free(match);
    free(rows);
    close_table(&tb);
    close_table(&ta);
    return rc;
}
