/*
 * test_report.c - the report of a dcsim file as text, CSV and JSON, and its
 * errors.
 *
 * Each test builds a small output file with h5out and dcs_stats_write, the
 * way `dcsim run` does, prints the report into a memory stream
 * (open_memstream) and checks it: the text form for its header, metric
 * order and risk lines; the CSV form by parsing every number back and
 * comparing it with /stats bit for bit; the JSON form for null in place of
 * NaN and for escaped strings.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <hdf5.h>

#include "h5out.h"
#include "report.h"
#include "stats.h"

static char dir[64];
static char path[128];

static void setup(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    gsl_set_error_handler_off();
    snprintf(dir, sizeof dir, "/tmp/dcs_report_XXXXXX");
    cr_assert(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/run.h5", dir);
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

TestSuite(report, .init = setup, .fini = teardown, .timeout = 60);

/* Summary columns in the order a run writes them: the report must still
 * put makespan_h, cost_usd and goodput first. */
static const dcs_column cols[] = {
    {"point", "", DCS_COL_I64, NULL},         {"replication", "", DCS_COL_I64, NULL},
    {"energy_mwh", "MWh", DCS_COL_F64, NULL}, {"goodput", "", DCS_COL_F64, NULL},
    {"cost_usd", "USD", DCS_COL_F64, NULL},   {"makespan_h", "h", DCS_COL_F64, NULL},
    {"n_failures", "", DCS_COL_I64, NULL},
};
#define NC   (sizeof cols / sizeof cols[0])
#define NREP 40

/* Builds a run file: npoints x NREP rows, root attributes, /stats with a
 * budget of $1.5M and a deadline of 1,400 h. */
static void build(int npoints, int complete, const char *name)
{
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    cr_assert(f != NULL, "%s", err.msg);
    dcs_h5table *t = dcs_h5_table_create(f, "summary", "per replication", cols, NC, &err);
    cr_assert(t != NULL, "%s", err.msg);
    for (int64_t p = 0; p < npoints; p++) {
        for (int64_t r = 0; r < NREP; r++) {
            double u = (double)((r * 7919) % 41) / 41.0;
            dcs_cell row[NC] = {{.i = p},
                                {.i = r},
                                {.f = 812.5 + 20.0 * u},
                                {.f = r == 3 ? (double)NAN : 0.9 + 0.05 * u},
                                {.f = 1.2e6 + 6.0e5 * u + 1.0e5 * (double)p},
                                {.f = 1302.385 + 150.0 * u},
                                {.i = r % 4}};
            cr_assert(eq(int, dcs_h5_table_append(t, row, &err), 0), "%s", err.msg);
        }
    }
    cr_assert(eq(int, dcs_stats_write(f, t, 1.5e6, 1400.0, &err), 0), "%s", err.msg);
    cr_assert(eq(int, dcs_h5_attr_str(f, "/", "dcsim_version", "0.1.0", &err), 0));
    cr_assert(eq(int, dcs_h5_attr_i64(f, "/", "format_version", 1, &err), 0));
    cr_assert(eq(int, dcs_h5_attr_str(f, "/", "scenario_name", name, &err), 0));
    cr_assert(eq(int, dcs_h5_attr_str(f, "/", "scenario", "name: x\njob:\n  mfu: 0.4\n", &err), 0));
    cr_assert(eq(int, dcs_h5_attr_i64(f, "/", "seed", 42, &err), 0));
    cr_assert(eq(int, dcs_h5_attr_i64(f, "/", "replications", 1000, &err), 0));
    cr_assert(
        eq(int, dcs_h5_attr_i64(f, "/", "replications_done", complete ? 1000 : 412, &err), 0));
    cr_assert(eq(int, dcs_h5_attr_i64(f, "/", "complete", complete, &err), 0));
    cr_assert(eq(int, dcs_h5_attr_f64(f, "/", "nan_attr", NAN, &err), 0));
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), 0), "%s", err.msg);
}

/* Runs the report into a malloc'd string. */
static char *report(dcs_report_format fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    cr_assert(m != NULL);
    dcs_err err;
    dcs_err_clear(&err);
    int rc = dcs_report_print(path, m, fmt, &err);
    fclose(m);
    cr_assert(eq(int, rc, 0), "%s", err.msg);
    return buf;
}

static void assert_has(const char *text, const char *want)
{
    cr_assert(strstr(text, want) != NULL, "\"%s\" not found in:\n%s", want, text);
}

/* Position of the line starting with word (after a newline). */
static const char *line_of(const char *text, const char *word)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\n%s ", word);
    const char *p = strstr(text, pat);
    cr_assert(p != NULL, "no line for %s in:\n%s", word, text);
    return p;
}

Test(report, table_has_header_metric_lines_in_priority_order_and_risk_lines)
{
    build(1, 1, "llama3-405b");
    char *t = report(DCS_REPORT_TABLE);
    assert_has(t, "scenario:     llama3-405b\n");
    assert_has(t, "replications: 1000, seed 42\n");
    assert_has(t, "status:       complete\n");
    const char *mk = line_of(t, "makespan_h"), *co = line_of(t, "cost_usd");
    const char *gp = line_of(t, "goodput"), *en = line_of(t, "energy_mwh");
    const char *nf = line_of(t, "n_failures");
    cr_assert(mk < co && co < gp && gp < en && en < nf, "order wrong:\n%s", t);
    assert_has(t, "\xC2\xB1"
                  "95% CI");
    assert_has(t, "$1."); /* money as $1.23M */
    assert_has(t, "M  ");
    assert_has(t, "1,3"); /* makespans grouped by thousands */
    assert_has(t, "P(cost > budget $1.50M) = ");
    assert_has(t, "P(makespan > deadline 1,400 h) = ");
    cr_assert(strstr(t, "point 0") == NULL, "a one-point report has no point heading");
    cr_assert(strstr(t, "INCOMPLETE") == NULL);
    free(t);
}

/* A run where `never` of NREP replications never acquired their capacity:
 * acquired 0, cost NaN, as the world writes them. */
static void build_unacquired(int never)
{
    static const dcs_column acols[] = {{"point", "", DCS_COL_I64, NULL},
                                       {"replication", "", DCS_COL_I64, NULL},
                                       {"acquired", "", DCS_COL_I64, NULL},
                                       {"cost_usd", "USD", DCS_COL_F64, NULL}};
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    cr_assert(f != NULL, "%s", err.msg);
    dcs_h5table *t = dcs_h5_table_create(f, "summary", "per replication", acols, 4, &err);
    cr_assert(t != NULL, "%s", err.msg);
    for (int64_t r = 0; r < NREP; r++) {
        int got = r % 5 != 1 || r / 5 >= never; /* the first `never` of r = 1, 6, 11, ... */
        dcs_cell row[4] = {
            {.i = 0}, {.i = r}, {.i = got}, {.f = got ? 1e6 + 1e3 * (double)r : (double)NAN}};
        cr_assert(eq(int, dcs_h5_table_append(t, row, &err), 0), "%s", err.msg);
    }
    cr_assert(eq(int, dcs_stats_write(f, t, NAN, NAN, &err), 0), "%s", err.msg);
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), 0), "%s", err.msg);
}

/* The count of replications that never acquired their capacity is said,
 * and the cost statistics are over the others; no line when there are
 * none. */
Test(report, table_counts_replications_that_never_acquired)
{
    build_unacquired(7);
    char *text = report(DCS_REPORT_TABLE);
    assert_has(text, "never acquired: 7 of 40 replications");
    free(text);
    text = report(DCS_REPORT_CSV);
    assert_has(text, "0,cost_usd,USD,33,");
    free(text);
    build_unacquired(0);
    text = report(DCS_REPORT_TABLE);
    cr_assert(strstr(text, "never acquired") == NULL, "%s", text);
    free(text);
}

Test(report, table_of_an_interrupted_run_says_incomplete)
{
    build(1, 0, "llama3-405b");
    char *t = report(DCS_REPORT_TABLE);
    assert_has(t, "INCOMPLETE: interrupted, 412 of 1000 replications");
    free(t);
}

Test(report, table_of_a_sweep_has_one_section_per_point)
{
    build(3, 1, "sweep");
    char *t = report(DCS_REPORT_TABLE);
    const char *p0 = strstr(t, "\npoint 0\n"), *p1 = strstr(t, "\npoint 1\n");
    const char *p2 = strstr(t, "\npoint 2\n");
    cr_assert(p0 != NULL && p1 != NULL && p2 != NULL && p0 < p1 && p1 < p2, "%s", t);
    free(t);
}

/* The file type of /stats with every number big-endian: a layout the
 * report cannot read as it lies (it converts it instead). */
static hid_t big_endian_type(hid_t ft)
{
    hid_t bt = H5Tcreate(H5T_COMPOUND, H5Tget_size(ft));
    for (unsigned k = 0; k < (unsigned)H5Tget_nmembers(ft); k++) {
        hid_t m = H5Tget_member_type(ft, k);
        char *name = H5Tget_member_name(ft, k);
        hid_t b = H5Tget_class(m) == H5T_FLOAT     ? H5Tcopy(H5T_IEEE_F64BE)
                  : H5Tget_class(m) == H5T_INTEGER ? H5Tcopy(H5T_STD_I64BE)
                                                   : H5Tcopy(m);
        cr_assert(H5Tinsert(bt, name, H5Tget_member_offset(ft, k), b) >= 0);
        H5free_memory(name);
        H5Tclose(b);
        H5Tclose(m);
    }
    return bt;
}

/* Writes /stats again in big-endian numbers, same values. */
static void restore_stats_big_endian(void)
{
    hid_t fid = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t d = H5Dopen2(fid, "stats", H5P_DEFAULT);
    hid_t ft = H5Dget_type(d), sp = H5Dget_space(d);
    size_t n = (size_t)H5Sget_simple_extent_npoints(sp);
    unsigned char *buf = malloc(n * H5Tget_size(ft) + 1);
    cr_assert(H5Dread(d, ft, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0);
    H5Dclose(d);
    cr_assert(H5Ldelete(fid, "stats", H5P_DEFAULT) >= 0);
    hid_t bt = big_endian_type(ft);
    hsize_t dim = n; /* contiguous: the table's space is extensible, made for chunks */
    hid_t fixed = H5Screate_simple(1, &dim, NULL);
    d = H5Dcreate2(fid, "stats", bt, fixed, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Sclose(fixed);
    cr_assert(d >= 0);
    cr_assert(H5Dwrite(d, ft, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0);
    free(buf);
    H5Dclose(d);
    H5Tclose(bt);
    H5Tclose(ft);
    H5Sclose(sp);
    H5Fclose(fid);
}

Test(report, stats_in_another_byte_order_report_the_same_text_csv_and_json)
{
    build(2, 1, "llama3-405b");
    dcs_report_format fmts[3] = {DCS_REPORT_TABLE, DCS_REPORT_CSV, DCS_REPORT_JSON};
    char *native[3];
    for (int i = 0; i < 3; i++)
        native[i] = report(fmts[i]);
    restore_stats_big_endian();
    for (int i = 0; i < 3; i++) {
        char *other = report(fmts[i]);
        cr_assert(strstr(native[i], "makespan_h") != NULL, "%s", native[i]);
        cr_assert(eq(str, other, native[i]));
        free(other);
        free(native[i]);
    }
}

/* The p_over_target the file holds for metric m at point 0. */
static double stored(const char *m, const char *field)
{
    hid_t fid = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = H5Dopen2(fid, "stats", H5P_DEFAULT);
    hid_t s = H5Dget_space(d);
    size_t n = (size_t)H5Sget_simple_extent_npoints(s);
    typedef struct {
        char metric[DCS_H5_STR_LEN];
        double v;
    } mv;
    hid_t st = H5Tcopy(H5T_C_S1);
    H5Tset_size(st, DCS_H5_STR_LEN);
    hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof(mv));
    H5Tinsert(mt, "metric", HOFFSET(mv, metric), st);
    H5Tinsert(mt, field, HOFFSET(mv, v), H5T_NATIVE_DOUBLE);
    mv *rows = calloc(n, sizeof *rows);
    cr_assert(H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) >= 0);
    double v = NAN;
    int found = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].metric, m) == 0) {
            v = rows[i].v;
            found = 1;
            break;
        }
    cr_assert(found, "no %s in /stats", m);
    free(rows);
    H5Tclose(mt);
    H5Tclose(st);
    H5Sclose(s);
    H5Dclose(d);
    H5Fclose(fid);
    return v;
}

static const char *const csv_cols[] = {
    "point", "metric", "units", "n",   "mean", "sd",  "ci95_low", "ci95_high",    "min",
    "p5",    "p50",    "p95",   "p99", "es95", "max", "target",   "p_over_target"};

Test(report, csv_numbers_parse_back_to_the_stored_statistics)
{
    build(1, 1, "llama3-405b");
    char *t = report(DCS_REPORT_CSV);
    char *save = NULL;
    char *line = strtok_r(t, "\n", &save);
    cr_assert(line != NULL);
    cr_assert(eq(int,
                 strcmp(line, "point,metric,units,n,mean,sd,ci95_low,ci95_high,min,p5,p50,"
                              "p95,p99,es95,max,target,p_over_target"),
                 0),
              "%s", line);
    int rows = 0;
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        /* Split at every comma: empty fields (units "") count. */
        char *fld[18];
        int k = 0;
        for (char *p = line; p != NULL && k < 18;) {
            fld[k++] = p;
            p = strchr(p, ',');
            if (p != NULL)
                *p++ = '\0';
        }
        cr_assert(eq(int, k, 17));
        for (int j = 4; j < 17; j++) {
            char *end;
            double got = strtod(fld[j], &end);
            cr_assert(eq(int, *end, '\0'), "field %s", fld[j]);
            double want = stored(fld[1], csv_cols[j]);
            if (isnan(want))
                cr_assert(isnan(got) && strcmp(fld[j], "nan") == 0, "%s %s", fld[1], csv_cols[j]);
            else
                cr_assert(eq(dbl, got, want), "%s %s: %s", fld[1], csv_cols[j], fld[j]);
        }
        rows++;
    }
    cr_assert(eq(int, rows, 5));
    free(t);
}

Test(report, json_has_attributes_metrics_and_null_for_nan)
{
    build(1, 1, "a \"quoted\"\tname\\");
    char *t = report(DCS_REPORT_JSON);
    assert_has(t, "\"scenario_name\": \"a \\\"quoted\\\"\\tname\\\\\"");
    assert_has(t, "\"scenario\": \"name: x\\njob:\\n  mfu: 0.4\\n\"");
    assert_has(t, "\"seed\": 42");
    assert_has(t, "\"complete\": 1");
    assert_has(t, "\"nan_attr\": null");
    assert_has(t, "\"metric\": \"energy_mwh\"");
    /* energy_mwh has no target: both risk fields are null. */
    assert_has(t, "\"target\": null, \"p_over_target\": null}");
    assert_has(t, "\"target\": 1500000, \"p_over_target\": ");
    cr_assert(strstr(t, "nan") == NULL || strstr(t, "nan_attr") != NULL);
    cr_assert(strstr(t, ": nan") == NULL && strstr(t, ": -nan") == NULL, "%s", t);
    /* Balanced braces and brackets outside strings. */
    int depth = 0, in_str = 0;
    for (const char *p = t; *p != '\0'; p++) {
        if (in_str) {
            if (*p == '\\')
                p++;
            else if (*p == '"')
                in_str = 0;
        } else if (*p == '"') {
            in_str = 1;
        } else if (*p == '{' || *p == '[') {
            depth++;
        } else if (*p == '}' || *p == ']') {
            depth--;
            cr_assert(depth >= 0);
        }
    }
    cr_assert(eq(int, depth, 0));
    cr_assert(eq(int, in_str, 0));
    free(t);
}

Test(report, missing_file_is_an_input_error_naming_the_file)
{
    dcs_err err;
    dcs_err_clear(&err);
    char p[160];
    snprintf(p, sizeof p, "%s/nosuch.h5", dir);
    cr_assert(eq(int, dcs_report_print(p, stdout, DCS_REPORT_TABLE, &err), DCS_EINPUT));
    char want[200];
    snprintf(want, sizeof want, "cannot open %s: No such file or directory", p);
    cr_assert(eq(int, strcmp(err.msg, want), 0), "%s", err.msg);
}

Test(report, hdf5_file_without_stats_is_not_a_dcsim_file)
{
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    cr_assert(dcs_h5_table_create(f, "summary", "", cols, NC, &err) != NULL);
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), 0));
    cr_assert(eq(int, dcs_report_print(path, stdout, DCS_REPORT_CSV, &err), DCS_EINPUT));
    assert_has(err.msg, "not a dcsim output file: no /stats table");
}

Test(report, stats_without_its_columns_is_not_a_dcsim_file)
{
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    cr_assert(dcs_h5_table_create(f, "stats", "", cols, NC, &err) != NULL);
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), 0));
    cr_assert(eq(int, dcs_report_print(path, stdout, DCS_REPORT_JSON, &err), DCS_EINPUT));
    assert_has(err.msg, "/stats has no column metric");
}

Test(report, text_file_is_not_a_dcsim_file)
{
    FILE *fp = fopen(path, "w");
    fputs("point,metric\n0,cost_usd\n", fp);
    fclose(fp);
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert(eq(int, dcs_report_print(path, stdout, DCS_REPORT_TABLE, &err), DCS_EINPUT));
    assert_has(err.msg, "not a dcsim output file (not HDF5)");
}

Test(report, format_names_parse_and_unknown_ones_are_input_errors)
{
    dcs_report_format f = DCS_REPORT_JSON;
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert(eq(int, dcs_report_parse_format("table", &f, &err), 0));
    cr_assert(eq(int, f, DCS_REPORT_TABLE));
    cr_assert(eq(int, dcs_report_parse_format("csv", &f, &err), 0));
    cr_assert(eq(int, f, DCS_REPORT_CSV));
    cr_assert(eq(int, dcs_report_parse_format("json", &f, &err), 0));
    cr_assert(eq(int, f, DCS_REPORT_JSON));
    cr_assert(eq(int, dcs_report_parse_format("xml", &f, &err), DCS_EINPUT));
    assert_has(err.msg, "unknown report format 'xml'");
}

/* ---- The table of a sweep's points ---- */

/* Four points, NREP replications each. Mean cost: point 1 and point 3 tie
 * at the lowest (the same values), so point 1 is best; makespan is lowest
 * at point 2; goodput is NaN at point 2 (no finite value) and highest at
 * point 3. Budget $1.25M, deadline 1,420 h. */
static double sw_cost(int64_t p, int64_t r)
{
    static const double base[4] = {1.30e6, 1.10e6, 1.20e6, 1.10e6};
    return base[p] + 2.0e4 * (double)((r * 7919) % 41) / 41.0;
}

static double sw_makespan(int64_t p, int64_t r)
{
    static const double base[4] = {1500.0, 1450.0, 1350.0, 1400.0};
    return base[p] + 50.0 * (double)((r * 104729) % 37) / 37.0;
}

static double sw_goodput(int64_t p, int64_t r)
{
    return p == 2 ? (double)NAN : 0.8 + 0.03 * (double)p + 0.001 * (double)(r % 7);
}

/* Labels: one over 48 characters with a comma and a quote, for CSV. */
static const char *const sw_labels[4] = {
    "checkpoint.interval=30min",
    "checkpoint.interval=1h, \"fast\" storage and a label longer than forty-eight bytes",
    "checkpoint.interval=2h", "checkpoint.interval=4h"};

static void build_sweep(void)
{
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    cr_assert(f != NULL, "%s", err.msg);
    dcs_h5table *t = dcs_h5_table_create(f, "summary", "per replication", cols, NC, &err);
    for (int64_t p = 0; p < 4; p++)
        for (int64_t r = 0; r < NREP; r++) {
            dcs_cell row[NC] = {{.i = p},
                                {.i = r},
                                {.f = 800.0},
                                {.f = sw_goodput(p, r)},
                                {.f = sw_cost(p, r)},
                                {.f = sw_makespan(p, r)},
                                {.i = (p + r) % 3}};
            cr_assert(eq(int, dcs_h5_table_append(t, row, &err), 0), "%s", err.msg);
        }
    cr_assert(eq(int, dcs_stats_write(f, t, 1.25e6, 1420.0, &err), 0), "%s", err.msg);
    const dcs_column pc[] = {
        {"point", "", DCS_COL_I64, NULL},
        {"label", "", DCS_COL_STR, NULL},
        {"checkpoint.interval", "s", DCS_COL_F64, NULL},
        {"replications", "", DCS_COL_I64, NULL},
        {"ci95_halfwidth", "USD", DCS_COL_F64, NULL},
        {"ci95_rel_halfwidth", "1", DCS_COL_F64, NULL},
        {"precision_reached", "", DCS_COL_I64, NULL},
    };
    dcs_h5table_opts o = dcs_h5table_defaults;
    o.str_len = 100;
    dcs_h5table *pt = dcs_h5_table_create_opts(f, "sweep/points", "", pc, 7, &o, &err);
    cr_assert(pt != NULL, "%s", err.msg);
    for (int64_t p = 0; p < 4; p++) {
        dcs_cell row[7] = {{.i = p},     {.s = sw_labels[p]}, {.f = 1800.0 * (double)(1 << p)},
                           {.i = NREP},  {.f = 3000.0},       {.f = 0.0027 * (double)(p + 1)},
                           {.i = p != 3}};
        cr_assert(eq(int, dcs_h5_table_append(pt, row, &err), 0), "%s", err.msg);
    }
    cr_assert(eq(int, dcs_h5_attr_str(f, "/", "scenario_name", "llama3-405b", &err), 0));
    cr_assert(eq(int, dcs_h5_attr_str(f, "/", "sweep_name", "ckpt-interval", &err), 0));
    cr_assert(eq(int, dcs_h5_attr_i64(f, "/", "seed", 42, &err), 0));
    cr_assert(eq(int, dcs_h5_attr_i64(f, "/", "replications", NREP, &err), 0));
    cr_assert(eq(int, dcs_h5_attr_i64(f, "/", "complete", 1, &err), 0));
    cr_assert(eq(int, dcs_h5_attr_f64(f, "/", "precision_target", 0.01, &err), 0));
    cr_assert(eq(int, dcs_h5_attr_str(f, "/", "precision_metric", "cost_usd", &err), 0));
    cr_assert(eq(int, dcs_h5_attr_i64(f, "/", "max_replications", 10000, &err), 0));
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), 0), "%s", err.msg);
}

/* The sweep report with options into a malloc'd string; *rc gets the code. */
static char *sweep_report(dcs_report_format fmt, const char *sort, const char *best, int *rc,
                          dcs_err *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    cr_assert(m != NULL);
    dcs_err_clear(err);
    dcs_report_opts o = {fmt, sort, best, NULL, 0};
    *rc = dcs_report_print_opts(path, m, &o, err);
    fclose(m);
    return buf;
}

static char *sweep_ok(dcs_report_format fmt, const char *sort, const char *best)
{
    int rc;
    dcs_err err;
    char *t = sweep_report(fmt, sort, best, &rc, &err);
    cr_assert(eq(int, rc, 0), "%s", err.msg);
    return t;
}

/* Splits one CSV record into fields, undoing RFC 4180 quoting in place. */
static int csv_fields(char *line, char **fld, int max)
{
    int k = 0;
    char *p = line;
    while (k < max) {
        char *w = p;
        fld[k++] = w;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    cr_assert(p[0] != 0, "unterminated quote");
                    *w++ = *p++;
                }
            }
        } else {
            while (*p != ',' && *p != '\0')
                *w++ = *p++;
        }
        char sep = *p; /* before the terminator lands on it (unquoted: w == p) */
        *w = '\0';
        if (sep == '\0')
            break;
        cr_assert(sep == ',', "junk after a quoted field");
        p++;
    }
    return k;
}

/* The CSV rows of a sweep report: point and field `col` of each, in order. */
static int csv_column(const char *csv, const char *col, int64_t *points, double *v, char **labels)
{
    char *t = strdup(csv), *save = NULL;
    char *line = strtok_r(t, "\n", &save);
    char *fld[32];
    int nf = csv_fields(line, fld, 32), c = -1, lc = -1;
    for (int j = 0; j < nf; j++) {
        if (strcmp(fld[j], col) == 0)
            c = j;
        if (strcmp(fld[j], "label") == 0)
            lc = j;
    }
    cr_assert(c >= 0 && lc >= 0, "no column %s", col);
    int n = 0;
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        cr_assert(eq(int, csv_fields(line, fld, 32), nf), "a row of another width: %s", line);
        points[n] = strtoll(fld[0], NULL, 10);
        v[n] = strtod(fld[c], NULL);
        if (labels != NULL)
            labels[n] = strdup(fld[lc]);
        n++;
    }
    free(t);
    return n;
}

Test(report, sweep_table_lists_points_and_marks_the_lowest_mean_cost_with_its_ci)
{
    build_sweep();
    char *t = sweep_ok(DCS_REPORT_TABLE, NULL, NULL);
    assert_has(t, "sweep:        ckpt-interval, 4 points\n");
    assert_has(t, "base:         llama3-405b\n");
    assert_has(t, "3 of 4 points reached it");
    assert_has(t, "P(>budget)");
    assert_has(t, "P(>deadline)");
    /* Points 1 and 3 tie on mean cost: the lower number is best. */
    const char *star = strstr(t, "\n*");
    cr_assert(star != NULL, "%s", t);
    cr_assert(strncmp(star, "\n*      1 ", 10) == 0, "%.40s", star);
    cr_assert(strstr(star + 1, "\n*") == NULL, "two points marked");
    assert_has(t, "best (* lowest mean cost_usd): point 1, $1.11M (95% CI $1.11M to $1.11M)");
    /* Rows in point order by default. */
    const char *r0 = strstr(t, sw_labels[0]), *r3 = strstr(t, sw_labels[3]);
    cr_assert(r0 != NULL && r3 != NULL && r0 < r3);
    free(t);
}

Test(report, sweep_csv_sorted_by_a_column_parses_back_to_the_statistics)
{
    build_sweep();
    char *csv = sweep_ok(DCS_REPORT_CSV, "makespan_h_p95", NULL);
    int64_t pts[8];
    double v[8];
    char *labels[8];
    int n = csv_column(csv, "makespan_h_p95", pts, v, labels);
    cr_assert(eq(int, n, 4));
    for (int i = 0; i < n; i++) {
        double x[NREP];
        for (int64_t r = 0; r < NREP; r++)
            x[r] = sw_makespan(pts[i], r);
        dcs_stat_row w;
        cr_assert(eq(int, dcs_stats_summarize(x, NREP, NAN, &w, NULL), 0));
        cr_assert(eq(dbl, v[i], w.p95)); /* %.17g reads back exactly */
        if (i > 0)
            cr_assert(v[i - 1] <= v[i], "not ascending at row %d", i);
        cr_assert(strcmp(labels[i], sw_labels[pts[i]]) == 0, "label %s", labels[i]);
        free(labels[i]);
    }
    cr_assert(eq(i64, pts[0], 2)); /* the lowest makespan */
    int64_t bp[8];
    double best[8];
    cr_assert(eq(int, csv_column(csv, "best", bp, best, NULL), 4));
    cr_assert(eq(dbl, best[0] + best[1] + best[2] + best[3], 1.0));
    free(csv);
}

Test(report, sweep_sorts_descending_by_a_metric_mean_with_nan_last)
{
    build_sweep();
    char *csv = sweep_ok(DCS_REPORT_CSV, "-goodput", NULL);
    int64_t pts[8];
    double v[8];
    cr_assert(eq(int, csv_column(csv, "point", pts, v, NULL), 4));
    /* goodput means rise with the point; point 2 has none. */
    cr_assert(eq(i64, pts[0], 3));
    cr_assert(eq(i64, pts[1], 1));
    cr_assert(eq(i64, pts[2], 0));
    cr_assert(eq(i64, pts[3], 2));
    free(csv);
    csv = sweep_ok(DCS_REPORT_CSV, "goodput", NULL);
    cr_assert(eq(int, csv_column(csv, "point", pts, v, NULL), 4));
    cr_assert(eq(i64, pts[0], 0));
    cr_assert(eq(i64, pts[3], 2)); /* NaN last in both directions */
    free(csv);
    csv = sweep_ok(DCS_REPORT_CSV, "-label", NULL);
    cr_assert(eq(int, csv_column(csv, "point", pts, v, NULL), 4));
    cr_assert(eq(i64, pts[0], 3)); /* "...=4h" sorts last as text, first descending */
    free(csv);
}

Test(report, sweep_best_can_be_the_highest_mean_of_another_metric)
{
    build_sweep();
    char *t = sweep_ok(DCS_REPORT_TABLE, NULL, "-goodput");
    assert_has(t, "best (* highest mean goodput): point 3, 0.8929 (95% CI 0.8922 to 0.8935)");
    free(t);
    t = sweep_ok(DCS_REPORT_TABLE, NULL, "makespan_h");
    assert_has(t,
               "best (* lowest mean makespan_h): point 2, 1,373.2 h (95% CI 1,368.4 to 1,378.0)");
    free(t);
    t = sweep_ok(DCS_REPORT_JSON, NULL, "makespan_h");
    assert_has(t, "\"best\": {\"metric\": \"makespan_h\", \"direction\": \"lowest\", \"point\": 2, "
                  "\"label\": \"checkpoint.interval=2h\", \"mean\": ");
    assert_has(t, "\"label\": \"checkpoint.interval=1h, \\\"fast\\\" storage");
    assert_has(t, "\"p_cost_over_budget\": ");
    free(t);
}

Test(report, sweep_options_that_name_nothing_are_input_errors)
{
    build_sweep();
    int rc;
    dcs_err err;
    free(sweep_report(DCS_REPORT_TABLE, "nope", NULL, &rc, &err));
    cr_assert(eq(int, rc, DCS_EINPUT));
    cr_assert(strstr(err.msg, "--sort: no column or metric 'nope'") != NULL, "%s", err.msg);
    free(sweep_report(DCS_REPORT_TABLE, NULL, "nope", &rc, &err));
    cr_assert(eq(int, rc, DCS_EINPUT));
    cr_assert(strstr(err.msg, "--best: ") != NULL, "%s", err.msg);
    /* A run's file has no table of points to sort. */
    build(1, 1, "llama3-405b");
    free(sweep_report(DCS_REPORT_TABLE, "cost_usd_mean", NULL, &rc, &err));
    cr_assert(eq(int, rc, DCS_EINPUT));
    cr_assert(strstr(err.msg, "has no /sweep/points") != NULL, "%s", err.msg);
}
