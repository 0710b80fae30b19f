/*
 * test_stats.c - summary statistics and the /stats table.
 *
 * Known answers are computed by hand from GSL's definitions (stats.h):
 * mean, sample sd with divisor n - 1, quantile q(f) = (1 - r) x[i] +
 * r x[i + 1] with d = (n - 1) f, i = floor(d), r = d - i, and the interval
 * mean +- t(0.975, n - 1) sd / sqrt(n) with t from a printed t table. The
 * /stats tests compare each row with dcs_stats_summarize over the rows of
 * its point, so they check the grouping, not the arithmetic again.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <dirent.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <hdf5.h>

#include "h5out.h"
#include "stats.h"

static char dir[64];

static void setup(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    gsl_set_error_handler_off();
    snprintf(dir, sizeof dir, "/tmp/dcs_stats_XXXXXX");
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

TestSuite(stats, .init = setup, .fini = teardown, .timeout = 60);

/* Relative tolerance for known answers: the hand values are exact decimal
 * results, and a few roundings of doubles stay far below 1e-12. */
#define KA_TOL 1e-12
#define near(got, want)                                                                            \
    cr_assert(fabs((got) - (want)) <= KA_TOL * fabs(want), "got %.17g, want %.17g", (got), (want))

/* Sorted: 1.05 2.385 3.3 4.2 5.55 6.75 7.1 9.8; sum 40.135. */
static const double sample[8] = {2.385, 7.1, 3.3, 9.8, 5.55, 4.2, 6.75, 1.05};
#define SAMPLE_MEAN 5.016875
/* sqrt(sum((x - mean)^2) / 7) = sqrt(56.78262... / 7). */
#define SAMPLE_SD 2.848143427242185
/* t(0.975, 7) = 2.364624251592785 (t tables give 2.365). */
#define T975_7 2.364624251592785

static void check_sample(const dcs_stat_row *r)
{
    cr_assert(eq(i64, r->n, 8));
    near(r->mean, SAMPLE_MEAN);
    near(r->sd, SAMPLE_SD);
    near(r->ci95_low, SAMPLE_MEAN - T975_7 * SAMPLE_SD / sqrt(8.0));
    near(r->ci95_high, SAMPLE_MEAN + T975_7 * SAMPLE_SD / sqrt(8.0));
    near(r->min, 1.05);
    near(r->max, 9.8);
    /* p5: d = 0.35 -> 0.65 * 1.05 + 0.35 * 2.385. */
    near(r->p5, 1.51725);
    /* p50: d = 3.5 -> (4.2 + 5.55) / 2. */
    near(r->p50, 4.875);
    /* p95: d = 6.65 -> 0.35 * 7.1 + 0.65 * 9.8. */
    near(r->p95, 8.855);
    /* p99: d = 6.93 -> 0.07 * 7.1 + 0.93 * 9.8. */
    near(r->p99, 9.611);
}

Test(stats, summary_matches_hand_computed_values)
{
    dcs_stat_row r;
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert(eq(int, dcs_stats_summarize(sample, 8, NAN, &r, &err), 0));
    check_sample(&r);
    cr_assert(isnan(r.target));
    cr_assert(isnan(r.p_over_target));
}

Test(stats, input_array_is_left_unsorted)
{
    double x[8];
    memcpy(x, sample, sizeof x);
    dcs_stat_row r;
    cr_assert(eq(int, dcs_stats_summarize(x, 8, NAN, &r, NULL), 0));
    cr_assert(eq(int, memcmp(x, sample, sizeof x), 0));
}

Test(stats, nan_values_are_skipped_and_not_counted)
{
    double x[11] = {NAN, 2.385, 7.1, 3.3, NAN, 9.8, 5.55, 4.2, 6.75, 1.05, NAN};
    dcs_stat_row r;
    cr_assert(eq(int, dcs_stats_summarize(x, 11, NAN, &r, NULL), 0));
    check_sample(&r);
}

Test(stats, p_over_target_counts_values_strictly_above)
{
    dcs_stat_row r;
    /* 6.75, 7.1 and 9.8 lie above 5.55; 5.55 itself does not. */
    cr_assert(eq(int, dcs_stats_summarize(sample, 8, 5.55, &r, NULL), 0));
    cr_assert(eq(dbl, r.target, 5.55));
    cr_assert(eq(dbl, r.p_over_target, 3.0 / 8.0));
    cr_assert(eq(int, dcs_stats_summarize(sample, 8, 9.8, &r, NULL), 0));
    cr_assert(eq(dbl, r.p_over_target, 0.0));
    cr_assert(eq(int, dcs_stats_summarize(sample, 8, 0.5, &r, NULL), 0));
    cr_assert(eq(dbl, r.p_over_target, 1.0));
}

Test(stats, p_over_target_ignores_nan_replications)
{
    double x[4] = {1.25, NAN, 3.75, NAN};
    dcs_stat_row r;
    cr_assert(eq(int, dcs_stats_summarize(x, 4, 2.0, &r, NULL), 0));
    cr_assert(eq(i64, r.n, 2));
    cr_assert(eq(dbl, r.p_over_target, 0.5));
}

Test(stats, two_values_use_t_with_one_degree_of_freedom)
{
    double x[2] = {1.5, 2.5};
    dcs_stat_row r;
    cr_assert(eq(int, dcs_stats_summarize(x, 2, NAN, &r, NULL), 0));
    /* sd = sqrt(0.5); t(0.975, 1) = 12.706204736174698; half = t sd / sqrt 2 = t / 2. */
    near(r.sd, sqrt(0.5));
    near(r.ci95_high - r.mean, 12.706204736174698 / 2.0);
    near(r.mean - r.ci95_low, 12.706204736174698 / 2.0);
    /* p5: d = 0.05 -> 0.95 * 1.5 + 0.05 * 2.5. */
    near(r.p5, 1.55);
}

Test(stats, single_value_has_quantiles_but_no_spread)
{
    double x[1] = {2.385};
    dcs_stat_row r;
    cr_assert(eq(int, dcs_stats_summarize(x, 1, NAN, &r, NULL), 0));
    cr_assert(eq(i64, r.n, 1));
    cr_assert(eq(dbl, r.mean, 2.385));
    cr_assert(eq(dbl, r.p5, 2.385));
    cr_assert(eq(dbl, r.p99, 2.385));
    cr_assert(isnan(r.sd));
    cr_assert(isnan(r.ci95_low));
    cr_assert(isnan(r.ci95_high));
}

Test(stats, all_nan_gives_zero_count_and_nan_statistics)
{
    double x[3] = {NAN, NAN, NAN};
    dcs_stat_row r;
    cr_assert(eq(int, dcs_stats_summarize(x, 3, 1.0, &r, NULL), 0));
    cr_assert(eq(i64, r.n, 0));
    cr_assert(isnan(r.mean));
    cr_assert(isnan(r.p50));
    cr_assert(isnan(r.max));
    cr_assert(isnan(r.p_over_target));
    cr_assert(eq(int, dcs_stats_summarize(NULL, 0, NAN, &r, NULL), 0));
    cr_assert(eq(i64, r.n, 0));
}

/* Expected shortfall: the mean of the ceil(0.05 n) largest values. For
 * 2.385 k, k = 1..100 (shuffled), the worst 5 are k = 96..100: mean 98 x
 * 2.385; with 10 values the tail is the largest alone. */
Test(stats, expected_shortfall_is_the_mean_of_the_worst_five_percent)
{
    double x[100];
    for (int k = 1; k <= 100; k++)
        x[(k * 37) % 100] = 2.385 * k;
    dcs_stat_row r;
    cr_assert_eq(dcs_stats_summarize(x, 100, NAN, &r, NULL), 0);
    cr_assert(epsilon_eq(dbl, r.es95, 98.0 * 2.385, 1e-12));
    cr_assert_geq(r.es95, r.p95, "the tail's mean lies beyond its start");
    cr_assert_eq(dcs_stats_summarize(x, 10, NAN, &r, NULL), 0);
    cr_assert_eq(r.es95, r.max);
    /* 21 values: ceil(1.05) = 2 largest. */
    double y[21];
    for (int k = 0; k < 21; k++)
        y[k] = (double)k;
    cr_assert_eq(dcs_stats_summarize(y, 21, NAN, &r, NULL), 0);
    cr_assert_eq(r.es95, 19.5);
}

/* The statistics as dcs_stats_summarize took them before the radix sort
 * and the one-value shortcut: gsl_sort, then GSL's running mean and
 * deviation over the sorted copy. */
static void gsl_reference(const double *x, size_t n, double target, dcs_stat_row *r)
{
    double *s = malloc((n + 1) * sizeof *s);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]))
            s[m++] = x[i];
    gsl_sort(s, 1, m);
    r->n = (int64_t)m;
    r->mean = gsl_stats_mean(s, 1, m);
    r->sd = gsl_stats_sd_m(s, 1, m, r->mean);
    double half = gsl_cdf_tdist_Pinv(0.975, (double)(m - 1)) * r->sd / sqrt((double)m);
    r->ci95_low = r->mean - half;
    r->ci95_high = r->mean + half;
    r->min = s[0];
    r->max = s[m - 1];
    r->p5 = gsl_stats_quantile_from_sorted_data(s, 1, m, 0.05);
    r->p50 = gsl_stats_quantile_from_sorted_data(s, 1, m, 0.50);
    r->p95 = gsl_stats_quantile_from_sorted_data(s, 1, m, 0.95);
    r->p99 = gsl_stats_quantile_from_sorted_data(s, 1, m, 0.99);
    size_t tail = (size_t)ceil(0.05 * (double)m), above = 0;
    double sum = 0.0;
    for (size_t i = m - tail; i < m; i++)
        sum += s[i];
    r->es95 = sum / (double)tail;
    for (size_t i = 0; i < m; i++)
        above += s[i] > target;
    r->target = target;
    r->p_over_target = (double)above / (double)m;
    free(s);
}

#define same_bits(a, b, what)                                                                      \
    cr_assert(memcmp(&(a), &(b), sizeof(a)) == 0, "%s, %s: %.17g against %.17g", what, #a, (a), (b))

/* |a - b| <= ulps units of DBL_EPSILON x scale. */
#define close_to(a, b, ulps, scale, what)                                                          \
    cr_assert(fabs((a) - (b)) <= (ulps)*DBL_EPSILON * (scale), "%s, %s: %.17g against %.17g",      \
              what, #a, (a), (b))

/* Asserts that dcs_stats_summarize gives gsl_reference's bits, but for the
 * mean and deviation (and the interval made of them): summed in long
 * double and divided once, not GSL's running mean and deviation (a
 * division at every value), they agree to rounding: both are within about
 * n x 2^-64 (long double) of the exact value before the one rounding to a
 * double, so within 2 units in the last place of each other for the n
 * here; 4 allowed. The interval is mean -/+ t sd / sqrt(n): within the
 * sum of both allowances. */
static void check_as_gsl(const double *x, size_t n, double target, const char *what)
{
    dcs_stat_row r, w;
    cr_assert(eq(int, dcs_stats_summarize(x, n, target, &r, NULL), 0));
    gsl_reference(x, n, target, &w);
    cr_assert(eq(i64, r.n, w.n), "%s", what);
    close_to(r.mean, w.mean, 4, fabs(w.mean), what);
    close_to(r.sd, w.sd, 4, w.sd, what);
    double half = w.ci95_high - w.mean;
    close_to(r.ci95_low, w.ci95_low, 8, fabs(w.mean) + fabs(half), what);
    close_to(r.ci95_high, w.ci95_high, 8, fabs(w.mean) + fabs(half), what);
    same_bits(r.min, w.min, what);
    same_bits(r.p5, w.p5, what);
    same_bits(r.p50, w.p50, what);
    same_bits(r.p95, w.p95, what);
    same_bits(r.p99, w.p99, what);
    same_bits(r.es95, w.es95, what);
    same_bits(r.max, w.max, what);
    same_bits(r.p_over_target, w.p_over_target, what);
}

Test(stats, summaries_are_gsls_to_rounding)
{
    /* Columns like /summary's: continuous values with a NaN, counts with
     * ties, one value (the shortcut: mean the value, sd 0), one value
     * repeated with a NaN, negative values, zeros of both signs. */
    enum { N = 4001 };
    double *x = malloc(N * sizeof *x);
    uint64_t s = 7;
    for (size_t i = 0; i < N; i++) {
        s = s * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
        x[i] = 786.0 + (double)(s >> 11) / 9007199254740992.0;
    }
    x[17] = NAN;
    check_as_gsl(x, N, 786.5, "continuous");
    for (size_t i = 0; i < N; i++)
        x[i] = (double)((i * 7919) % 23);
    check_as_gsl(x, N, 10.0, "counts");
    for (size_t i = 0; i < N; i++)
        x[i] = 720.0;
    check_as_gsl(x, N, 700.0, "one value");
    x[5] = NAN;
    check_as_gsl(x, N, 800.0, "one value and a NaN");
    for (size_t i = 0; i < N; i++)
        x[i] = 1.0 / 3.0;
    check_as_gsl(x, 2, 0.0, "one value, twice");
    for (size_t i = 0; i < N; i++)
        x[i] = -2.5 * (double)(i % 11) - 0.1;
    check_as_gsl(x, N, -3.0, "negative");
    for (size_t i = 0; i < N; i++)
        x[i] = i % 2 ? -0.0 : 0.0;
    check_as_gsl(x, N, 0.0, "zeros of both signs");
    for (size_t i = 0; i < N; i++)
        x[i] = -0.0;
    check_as_gsl(x, N, 0.0, "negative zeros");
    free(x);
}

Test(stats, null_arguments_are_input_errors)
{
    dcs_err err;
    dcs_err_clear(&err);
    dcs_stat_row r;
    cr_assert(eq(int, dcs_stats_summarize(NULL, 3, NAN, &r, &err), DCS_EINPUT));
    dcs_err_clear(&err);
    cr_assert(eq(int, dcs_stats_summarize(sample, 8, NAN, NULL, &err), DCS_EINPUT));
    dcs_err_clear(&err);
    cr_assert(eq(int, dcs_stats_write(NULL, NULL, 0, 0, &err), DCS_EINPUT));
}

/* ---- /stats ---- */

typedef struct statrow {
    int64_t point;
    char metric[DCS_H5_STR_LEN], units[DCS_H5_STR_LEN];
    int64_t n;
    double mean, sd, lo, hi, min, p5, p50, p95, p99, max, target, pover;
} statrow;

/* Reads /stats of path with the HDF5 API; returns the row count. */
static size_t read_stats(const char *path, statrow **out)
{
    hid_t fid = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    cr_assert(fid >= 0);
    hid_t d = H5Dopen2(fid, "stats", H5P_DEFAULT);
    cr_assert(d >= 0);
    hid_t st = H5Tcopy(H5T_C_S1);
    H5Tset_size(st, DCS_H5_STR_LEN);
    hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof(statrow));
    H5Tinsert(mt, "point", HOFFSET(statrow, point), H5T_NATIVE_INT64);
    H5Tinsert(mt, "metric", HOFFSET(statrow, metric), st);
    H5Tinsert(mt, "units", HOFFSET(statrow, units), st);
    H5Tinsert(mt, "n", HOFFSET(statrow, n), H5T_NATIVE_INT64);
    const char *f[] = {"mean", "sd",  "ci95_low", "ci95_high", "min",    "p5",
                       "p50",  "p95", "p99",      "max",       "target", "p_over_target"};
    for (int k = 0; k < 12; k++)
        H5Tinsert(mt, f[k], HOFFSET(statrow, mean) + (size_t)k * sizeof(double), H5T_NATIVE_DOUBLE);
    hid_t s = H5Dget_space(d);
    size_t n = (size_t)H5Sget_simple_extent_npoints(s);
    *out = calloc(n + 1, sizeof **out);
    cr_assert(H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, *out) >= 0);
    H5Sclose(s);
    H5Tclose(mt);
    H5Tclose(st);
    H5Dclose(d);
    H5Fclose(fid);
    return n;
}

static const dcs_column sumcols[] = {
    {"point", "", DCS_COL_I64, NULL},       {"replication", "", DCS_COL_I64, NULL},
    {"label", "", DCS_COL_STR, NULL},       {"makespan_h", "h", DCS_COL_F64, NULL},
    {"cost_usd", "USD", DCS_COL_F64, NULL}, {"n_failures", "", DCS_COL_I64, NULL},
};
#define NSUM (sizeof sumcols / sizeof sumcols[0])
#define NREP 50

static double mk(int64_t p, int64_t r)
{
    return 1000.0 + 100.0 * (double)p + 3.7 * (double)((r * 7919) % 53);
}

static double cost(int64_t p, int64_t r)
{
    return 1.0e6 * (1.0 + 0.1 * (double)p) + 1234.5 * (double)((r * 104729) % 61);
}

static int64_t nfail(int64_t p, int64_t r)
{
    return (p + r) % 5;
}

/* A new file at path (in *f) with an empty "summary" table of the n columns
 * c, which keeps up to `keep` bytes of its rows (0: none). */
static dcs_h5table *summary_table(const char *path, const dcs_column *c, size_t n, size_t keep,
                                  dcs_h5file **f)
{
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *file = dcs_h5_create(path, &err);
    cr_assert(file != NULL, "%s", err.msg);
    *f = file;
    dcs_h5table *t = dcs_h5_table_create(file, "summary", "per replication", c, n, &err);
    cr_assert(t != NULL, "%s", err.msg);
    if (keep > 0)
        cr_assert(eq(int, dcs_h5_table_keep(t, 0, keep, &err), 0), "%s", err.msg);
    return t;
}

/* Writes a summary of 3 points x NREP replications, rows in replication
 * order with the points interleaved 2, 0, 1, then /stats; the summary keeps
 * up to `keep` bytes of its rows (0: none). */
static void write_summary_keep(const char *path, int with_point, double budget, double deadline,
                               size_t keep)
{
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f;
    dcs_h5table *t = summary_table(path, with_point ? sumcols : sumcols + 1,
                                   with_point ? NSUM : NSUM - 1, keep, &f);
    const int64_t order[3] = {2, 0, 1};
    for (int64_t r = 0; r < NREP; r++) {
        for (int k = 0; k < (with_point ? 3 : 1); k++) {
            int64_t p = with_point ? order[k] : 0;
            double m = (r == 7 && p == 1) ? (double)NAN : mk(p, r); /* one lost replication */
            dcs_cell row[NSUM] = {{.i = p}, {.i = r},          {.s = "x"},
                                  {.f = m}, {.f = cost(p, r)}, {.i = nfail(p, r)}};
            cr_assert(eq(int, dcs_h5_table_append(t, with_point ? row : row + 1, &err), 0), "%s",
                      err.msg);
        }
    }
    cr_assert(eq(int, dcs_stats_write(f, t, budget, deadline, &err), 0), "%s", err.msg);
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), 0), "%s", err.msg);
}

static void write_summary(const char *path, int with_point, double budget, double deadline)
{
    write_summary_keep(path, with_point, budget, deadline, 0);
}

static void expect_row(const statrow *s, int64_t p, const char *metric, const char *units,
                       const double *x, size_t n, double target)
{
    dcs_stat_row w;
    cr_assert(eq(int, dcs_stats_summarize(x, n, target, &w, NULL), 0));
    cr_assert(eq(i64, s->point, p));
    cr_assert(strcmp(s->metric, metric) == 0, "metric %s, want %s", s->metric, metric);
    cr_assert(strcmp(s->units, units) == 0, "units %s, want %s", s->units, units);
    cr_assert(eq(i64, s->n, w.n));
    cr_assert(eq(dbl, s->mean, w.mean));
    cr_assert(eq(dbl, s->sd, w.sd));
    cr_assert(eq(dbl, s->lo, w.ci95_low));
    cr_assert(eq(dbl, s->p50, w.p50));
    cr_assert(eq(dbl, s->p99, w.p99));
    cr_assert(eq(dbl, s->max, w.max));
    if (isnan(target)) {
        cr_assert(isnan(s->target));
        cr_assert(isnan(s->pover));
    } else {
        cr_assert(eq(dbl, s->target, target));
        cr_assert(eq(dbl, s->pover, w.p_over_target));
    }
}

Test(stats, write_gives_the_same_table_from_kept_rows_as_from_the_file)
{
    /* The summary's rows kept in memory, read back from the file, or kept
     * until the 60th row (room for 60 rows of 5 numbers) and then read
     * back: the same /stats, byte for byte. */
    char a[128], b[128], c[128];
    snprintf(a, sizeof a, "%s/a.h5", dir);
    snprintf(b, sizeof b, "%s/b.h5", dir);
    snprintf(c, sizeof c, "%s/c.h5", dir);
    write_summary_keep(a, 1, 1.05e6, 1100.0, 0);
    write_summary_keep(b, 1, 1.05e6, 1100.0, 1u << 20);
    write_summary_keep(c, 1, 1.05e6, 1100.0, 60 * 5 * sizeof(double));
    statrow *sa, *sb, *sc;
    size_t na = read_stats(a, &sa), nb = read_stats(b, &sb), nc = read_stats(c, &sc);
    cr_assert(eq(sz, na, (size_t)9));
    cr_assert(eq(sz, nb, na));
    cr_assert(eq(sz, nc, na));
    cr_assert(memcmp(sa, sb, na * sizeof *sa) == 0);
    cr_assert(memcmp(sa, sc, na * sizeof *sa) == 0);
    free(sa);
    free(sb);
    free(sc);
}

/* Columns of one value (a constant, a constant integer, all NaN, all
 * -0.0, one that changes at row 40, and the point column of a run), kept
 * in memory as their value (dcs_h5_table_kept's stride 0), give the
 * /stats of the same rows read back from the file, byte for byte: the
 * quantiles (1 - d) v + d v, the tail's sum and the count above a target
 * are taken over the value as over a column of it. */
static void write_one_value_summary(const char *path, int points, size_t keep)
{
    static const dcs_column oc[] = {
        {"point", "", DCS_COL_I64, NULL},       {"replication", "", DCS_COL_I64, NULL},
        {"makespan_h", "h", DCS_COL_F64, NULL}, {"n_jobs", "", DCS_COL_I64, NULL},
        {"lost", "", DCS_COL_F64, NULL},        {"neg", "", DCS_COL_F64, NULL},
        {"late", "", DCS_COL_F64, NULL},
    };
    enum { NOC = sizeof oc / sizeof oc[0], N = 97 };
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f;
    dcs_h5table *t = summary_table(path, oc, NOC, keep, &f);
    for (int64_t r = 0; r < N; r++) {
        dcs_cell row[NOC] = {{.i = points ? r % 3 : 0},
                             {.i = r},
                             {.f = 0.1},
                             {.i = 7},
                             {.f = NAN},
                             {.f = -0.0},
                             {.f = r < 40 ? 1.0 / 3.0 : 1.0 / 3.0 + (double)r}};
        cr_assert(eq(int, dcs_h5_table_append(t, row, &err), 0), "%s", err.msg);
    }
    cr_assert(eq(int, dcs_stats_write(f, t, NAN, 0.05, &err), 0), "%s", err.msg);
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), 0), "%s", err.msg);
}

Test(stats, one_value_columns_give_the_same_stats_kept_or_read_back)
{
    for (int points = 0; points <= 1; points++) {
        char a[128], b[128], c[128];
        snprintf(a, sizeof a, "%s/a.h5", dir);
        snprintf(b, sizeof b, "%s/b.h5", dir);
        snprintf(c, sizeof c, "%s/c.h5", dir);
        write_one_value_summary(a, points, 0);
        write_one_value_summary(b, points, 1u << 20);
        write_one_value_summary(c, points, 60 * 7 * sizeof(double));
        statrow *sa, *sb, *sc;
        size_t na = read_stats(a, &sa), nb = read_stats(b, &sb), nc = read_stats(c, &sc);
        cr_assert(eq(sz, na, (size_t)(points ? 15 : 5)));
        cr_assert(eq(sz, nb, na));
        cr_assert(eq(sz, nc, na));
        cr_assert(memcmp(sa, sb, na * sizeof *sa) == 0, "%d points: kept", points);
        cr_assert(memcmp(sa, sc, na * sizeof *sa) == 0, "%d points: kept, then read", points);
        cr_assert(eq(dbl, sb[0].p5, sa[0].p5));
        cr_assert(eq(dbl, sb[0].pover, 1.0), "0.1 h is above the 0.05 h deadline");
        free(sa);
        free(sb);
        free(sc);
    }
}

/* Columns that repeat another's values (a run's cost_usd and
 * cost_compute_usd with one kind of cost, its counts of one failure class)
 * share the statistics of the first when the rows are kept: /stats is the
 * same, byte for byte, as from the rows read back (each column gathered and
 * sorted), with or without points; a repeat with another target
 * (makespan_h's deadline, cost_usd's budget) has its own count above it. */
static void write_twin_summary(const char *path, size_t keep)
{
    static const dcs_column tc[] = {
        {"point", "", DCS_COL_I64, NULL},
        {"replication", "", DCS_COL_I64, NULL},
        {"makespan_h", "h", DCS_COL_F64, NULL},
        {"wall_h", "h", DCS_COL_F64, NULL},
        {"cost_compute_usd", "", DCS_COL_F64, NULL},
        {"cost_usd", "USD", DCS_COL_F64, NULL},
        {"n_failures", "", DCS_COL_I64, NULL},
        {"n_restarts", "", DCS_COL_F64, NULL},
        {"copy_of_wall_h", "h", DCS_COL_F64, NULL},
    };
    enum { NTC = sizeof tc / sizeof tc[0] };
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f;
    dcs_h5table *t = summary_table(path, tc, NTC, keep, &f);
    for (int64_t r = 0; r < 3 * NREP; r++) {
        int64_t p = (r * 2) % 3;
        double m = mk(p, r), c = cost(p, r);
        dcs_cell row[NTC] = {{.i = p}, {.i = r}, {.f = m},           {.f = m},
                             {.f = c}, {.f = c}, {.i = nfail(p, r)}, {.f = (double)nfail(p, r)},
                             {.f = m}};
        cr_assert(eq(int, dcs_h5_table_append(t, row, &err), 0), "%s", err.msg);
    }
    cr_assert(eq(int, dcs_stats_write(f, t, 1.05e6, 1100.0, &err), 0), "%s", err.msg);
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), 0), "%s", err.msg);
}

Test(stats, repeated_columns_give_the_same_stats_kept_or_read_back)
{
    char a[128], b[128];
    snprintf(a, sizeof a, "%s/a.h5", dir);
    snprintf(b, sizeof b, "%s/b.h5", dir);
    write_twin_summary(a, 0);
    write_twin_summary(b, 1u << 20);
    statrow *sa, *sb;
    size_t na = read_stats(a, &sa), nb = read_stats(b, &sb);
    cr_assert(eq(sz, na, (size_t)21), "3 points x 7 metrics");
    cr_assert(eq(sz, nb, na));
    cr_assert(memcmp(sa, sb, na * sizeof *sa) == 0, "kept, repeats shared: as read back");
    for (size_t p = 0; p < 3; p++) {
        const statrow *r = sb + 7 * p; /* makespan_h, wall_h, compute, cost, nf, nr, copy */
        cr_assert(eq(dbl, r[1].mean, r[0].mean));
        cr_assert(eq(dbl, r[1].p99, r[0].p99));
        cr_assert(eq(dbl, r[0].target, 1100.0));
        cr_assert(isnan(r[1].target) && isnan(r[1].pover), "wall_h has no deadline");
        cr_assert(r[0].pover > 0.0, "point %zu: makespans above 1,100 h", p);
        cr_assert(eq(dbl, r[3].sd, r[2].sd));
        cr_assert(eq(dbl, r[3].target, 1.05e6));
        cr_assert(isnan(r[2].target), "cost_compute_usd has no budget");
        cr_assert(eq(dbl, r[5].p50, r[4].p50));
        cr_assert(eq(dbl, r[6].max, r[1].max));
    }
    free(sa);
    free(sb);
}

/* A summary whose metric columns outgrow STATS_READ_BYTES (4 MiB) read
 * back: 70 metrics x 8,000 rows of doubles (4.5 MB) take a spill file that
 * one pass over the table fills (stats.c src_spill), not a group of
 * columns read at once; /stats is the same, byte for byte, as from the
 * kept rows on one thread and on two (560,000 values: the metrics shared
 * out, stats.c block_stats_parallel), and nothing is left in the folder
 * but the files. Two metrics repeat others (a twin of a double, of an
 * integer column). */
enum { NSPILL = 70, SPILL_ROWS = 8000 };

static void write_wide_summary(const char *path, size_t keep, int nthreads)
{
    static char names[NSPILL][16];
    dcs_column c[NSPILL + 2] = {{"point", "", DCS_COL_I64, NULL},
                                {"replication", "", DCS_COL_I64, NULL}};
    for (size_t j = 0; j < NSPILL; j++) {
        snprintf(names[j], sizeof names[j], "metric_%02zu", j);
        c[j + 2] = (dcs_column){names[j], "h", j % 7 == 3 ? DCS_COL_I64 : DCS_COL_F64, NULL};
    }
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f;
    dcs_h5table *t = summary_table(path, c, NSPILL + 2, keep, &f);
    for (int64_t r = 0; r < SPILL_ROWS; r++) {
        dcs_cell row[NSPILL + 2];
        row[0].i = (r * 5) % 3;
        row[1].i = r;
        for (size_t j = 0; j < NSPILL; j++) {
            size_t jj = j == 40 ? 2 : j == 59 ? 10 : j; /* 40 repeats 2, 59 repeats 10 */
            double v =
                mk(row[0].i, r) * (double)(jj + 1) + (double)((r * 7919 + (int64_t)jj) % 1009);
            if (j % 7 == 3)
                row[j + 2].i = (int64_t)v;
            else
                row[j + 2].f = j == 5 && r % 97 == 0 ? (double)NAN : v;
        }
        cr_assert(eq(int, dcs_h5_table_append(t, row, &err), 0), "%s", err.msg);
    }
    cr_assert(eq(int, dcs_stats_write_threads(f, t, NAN, 1100.0, nthreads, &err), 0), "%s",
              err.msg);
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), 0), "%s", err.msg);
}

Test(stats, a_summary_past_the_read_buffer_gives_the_same_stats_through_a_spill_file)
{
    char a[128], b[128], c[128];
    snprintf(a, sizeof a, "%s/a.h5", dir);
    snprintf(b, sizeof b, "%s/b.h5", dir);
    snprintf(c, sizeof c, "%s/c.h5", dir);
    write_wide_summary(a, 0, 2);
    write_wide_summary(b, 8u << 20, 1);
    write_wide_summary(c, 8u << 20, 2);
    statrow *sa, *sb, *sc;
    size_t na = read_stats(a, &sa), nb = read_stats(b, &sb), nc = read_stats(c, &sc);
    cr_assert(eq(sz, na, (size_t)(3 * NSPILL)));
    cr_assert(eq(sz, nb, na));
    cr_assert(eq(sz, nc, na));
    cr_assert(memcmp(sa, sb, na * sizeof *sa) == 0, "read back through the spill: as kept");
    cr_assert(memcmp(sc, sb, na * sizeof *sa) == 0, "kept, on two threads: as on one");
    cr_assert(eq(i64, sa[5].n, (SPILL_ROWS + 2) / 3 - 28),
              "metric_05's 28 NaNs of point 0 left out");
    cr_assert(eq(dbl, sc[40].p50, sc[2].p50), "metric_40 repeats metric_02");
    cr_assert(eq(dbl, sc[59].mean, sc[10].mean), "metric_59 repeats metric_10");
    free(sa);
    free(sb);
    free(sc);
    DIR *d = opendir(dir);
    cr_assert(d != NULL);
    size_t files = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        files += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    cr_assert(eq(sz, files, 3), "a.h5, b.h5 and c.h5 only");
}

Test(stats, write_groups_rows_by_point_in_ascending_order)
{
    char path[128];
    snprintf(path, sizeof path, "%s/s.h5", dir);
    write_summary(path, 1, 1.05e6, 1100.0);
    statrow *s;
    size_t n = read_stats(path, &s);
    /* 3 points x 3 metrics (makespan_h, cost_usd, n_failures); label is a
     * string and point/replication are keys. */
    cr_assert(eq(sz, n, 9));
    double x[NREP];
    for (int64_t p = 0; p < 3; p++) {
        for (int64_t r = 0; r < NREP; r++)
            x[r] = (r == 7 && p == 1) ? (double)NAN : mk(p, r);
        expect_row(&s[p * 3 + 0], p, "makespan_h", "h", x, NREP, 1100.0);
        for (int64_t r = 0; r < NREP; r++)
            x[r] = cost(p, r);
        expect_row(&s[p * 3 + 1], p, "cost_usd", "USD", x, NREP, 1.05e6);
        for (int64_t r = 0; r < NREP; r++)
            x[r] = (double)nfail(p, r);
        expect_row(&s[p * 3 + 2], p, "n_failures", "", x, NREP, NAN);
    }
    cr_assert(eq(i64, s[3].n, NREP - 1)); /* the NaN makespan of point 1 */
    free(s);
}

Test(stats, write_without_point_column_treats_all_rows_as_point_zero)
{
    char path[128];
    snprintf(path, sizeof path, "%s/s.h5", dir);
    write_summary(path, 0, NAN, NAN);
    statrow *s;
    size_t n = read_stats(path, &s);
    cr_assert(eq(sz, n, 3));
    double x[NREP];
    for (int64_t r = 0; r < NREP; r++)
        x[r] = mk(0, r);
    expect_row(&s[0], 0, "makespan_h", "h", x, NREP, NAN);
    free(s);
}

Test(stats, zero_or_unset_targets_mean_no_target)
{
    char path[128];
    snprintf(path, sizeof path, "%s/s.h5", dir);
    write_summary(path, 1, 0.0, -5.0);
    statrow *s;
    size_t n = read_stats(path, &s);
    for (size_t i = 0; i < n; i++) {
        cr_assert(isnan(s[i].target));
        cr_assert(isnan(s[i].pover));
    }
    free(s);
}

Test(stats, write_on_an_empty_summary_makes_an_empty_table)
{
    char path[128];
    snprintf(path, sizeof path, "%s/s.h5", dir);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    dcs_h5table *t = dcs_h5_table_create(f, "summary", "", sumcols, NSUM, &err);
    cr_assert(eq(int, dcs_stats_write(f, t, 1.0, 1.0, &err), 0), "%s", err.msg);
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), 0));
    statrow *s;
    cr_assert(eq(sz, read_stats(path, &s), 0));
    free(s);
}

Test(stats, writing_stats_twice_is_an_input_error)
{
    char path[128];
    snprintf(path, sizeof path, "%s/s.h5", dir);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    dcs_h5table *t = dcs_h5_table_create(f, "summary", "", sumcols, NSUM, &err);
    cr_assert(eq(int, dcs_stats_write(f, t, 1.0, 1.0, &err), 0));
    cr_assert(eq(int, dcs_stats_write(f, t, 1.0, 1.0, &err), DCS_EINPUT));
    cr_assert(strstr(err.msg, "stats already exists") != NULL, "%s", err.msg);
    dcs_h5_close(f, 0, NULL);
}

/* ---- Statistics of one metric per point (precision targets) ---- */

/* A summary of np points x nrep replications, the points interleaved in
 * reverse order within each replication (as no writer does, so that the
 * grouping is tested), and a row of an unknown point 99. Left open. */
static dcs_h5table *interleaved(dcs_h5file *f, int64_t np, int64_t nrep)
{
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5table *t = dcs_h5_table_create(f, "summary", "", sumcols, NSUM, &err);
    cr_assert(t != NULL, "%s", err.msg);
    for (int64_t r = 0; r < nrep; r++)
        for (int64_t p = np - 1; p >= 0; p--) {
            dcs_cell row[NSUM] = {{.i = p},        {.i = r},          {.s = "x"},
                                  {.f = mk(p, r)}, {.f = cost(p, r)}, {.i = nfail(p, r)}};
            cr_assert(eq(int, dcs_h5_table_append(t, row, &err), 0), "%s", err.msg);
        }
    dcs_cell odd[NSUM] = {{.i = 99}, {.i = 0}, {.s = "x"}, {.f = 1e9}, {.f = 1e12}, {.i = 0}};
    cr_assert(eq(int, dcs_h5_table_append(t, odd, &err), 0));
    return t;
}

Test(stats, by_point_gives_each_points_statistics_bit_for_bit_as_stats_will)
{
    char path[128];
    snprintf(path, sizeof path, "%s/s.h5", dir);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    dcs_h5table *t = interleaved(f, 3, NREP);
    dcs_stat_row got[3];
    got[1].n = -7; /* not wanted: left alone */
    const unsigned char want[3] = {1, 0, 1};
    cr_assert(eq(int, dcs_stats_by_point(t, "cost_usd", 3, want, 1.05e6, got, &err), 0), "%s",
              err.msg);
    cr_assert(eq(i64, got[1].n, -7));
    double x[NREP];
    for (int64_t p = 0; p < 3; p += 2) {
        for (int64_t r = 0; r < NREP; r++)
            x[r] = cost(p, r);
        dcs_stat_row w;
        cr_assert(eq(int, dcs_stats_summarize(x, NREP, 1.05e6, &w, NULL), 0));
        cr_assert(eq(i64, got[p].n, NREP)); /* point 99's row is not point 2's */
        cr_assert(eq(dbl, got[p].mean, w.mean));
        cr_assert(eq(dbl, got[p].ci95_high, w.ci95_high));
        cr_assert(eq(dbl, got[p].p_over_target, w.p_over_target));
    }
    /* The /stats rows written from the same table agree exactly. */
    cr_assert(eq(int, dcs_stats_by_point(t, "cost_usd", 3, NULL, NAN, got, &err), 0));
    cr_assert(eq(int, dcs_stats_write(f, t, NAN, NAN, &err), 0), "%s", err.msg);
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), 0));
    statrow *s;
    size_t n = read_stats(path, &s);
    cr_assert(eq(sz, n, 4 * 3)); /* points 0, 1, 2 and 99, three metrics each */
    for (int64_t p = 0; p < 3; p++) {
        const statrow *c = &s[p * 3 + 1];
        cr_assert(strcmp(c->metric, "cost_usd") == 0);
        cr_assert(eq(dbl, c->mean, got[p].mean));
        cr_assert(eq(dbl, c->hi, got[p].ci95_high));
        cr_assert(eq(dbl, c->lo, got[p].ci95_low));
    }
    free(s);
}

Test(stats, by_point_refuses_unknown_string_and_key_columns)
{
    char path[128];
    snprintf(path, sizeof path, "%s/s.h5", dir);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    dcs_h5table *t = interleaved(f, 2, 4);
    dcs_stat_row got[2];
    cr_assert(eq(int, dcs_stats_by_point(t, "nope", 2, NULL, NAN, got, &err), DCS_EINPUT));
    cr_assert(strstr(err.msg, "no numeric column nope") != NULL, "%s", err.msg);
    dcs_err_clear(&err);
    cr_assert(eq(int, dcs_stats_by_point(t, "label", 2, NULL, NAN, got, &err), DCS_EINPUT));
    dcs_err_clear(&err);
    cr_assert(eq(int, dcs_stats_by_point(t, "replication", 2, NULL, NAN, got, &err), DCS_EINPUT));
    dcs_err_clear(&err);
    dcs_h5table *u = dcs_h5_table_create(f, "nopoint", "", sumcols + 1, NSUM - 1, &err);
    cr_assert(eq(int, dcs_stats_by_point(u, "cost_usd", 2, NULL, NAN, got, &err), DCS_EINPUT));
    dcs_h5_close(f, 0, NULL);
}

Test(stats, write_of_thousands_of_points_in_blocks_keeps_every_row)
{
    /* 5,000 points x 2 replications and 3 metrics: the results of about
     * 2,180 points fit in the 1 MiB that dcs_stats_write holds, so it takes
     * three blocks. Every point still gets its rows, in order. */
    char path[128];
    snprintf(path, sizeof path, "%s/s.h5", dir);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = dcs_h5_create(path, &err);
    dcs_h5table *t = dcs_h5_table_create(f, "summary", "", sumcols, NSUM, &err);
    const int64_t np = 5000;
    for (int64_t p = 0; p < np; p++)
        for (int64_t r = 0; r < 2; r++) {
            dcs_cell row[NSUM] = {{.i = p},        {.i = r},          {.s = "x"},
                                  {.f = mk(p, r)}, {.f = cost(p, r)}, {.i = nfail(p, r)}};
            cr_assert(eq(int, dcs_h5_table_append(t, row, &err), 0));
        }
    cr_assert(eq(int, dcs_stats_write(f, t, NAN, NAN, &err), 0), "%s", err.msg);
    cr_assert(eq(int, dcs_h5_close(f, 1, &err), 0));
    statrow *s;
    size_t n = read_stats(path, &s);
    cr_assert(eq(sz, n, (size_t)np * 3));
    const int64_t probe[] = {0, 2183, 2184, 2185, 4367, 4368, 4999};
    for (size_t i = 0; i < sizeof probe / sizeof probe[0]; i++) {
        int64_t p = probe[i];
        double x[2] = {cost(p, 0), cost(p, 1)};
        expect_row(&s[p * 3 + 1], p, "cost_usd", "USD", x, 2, NAN);
    }
    free(s);
}
