/*
 * stats.c - summary statistics over replications and the /stats table.
 *
 * dcs_stats_summarize copies the finite values, sorts the copy once
 * (dcs_sort_f64: the array gsl_sort gives, bit for bit, in linear time),
 * and takes the mean and the sample standard deviation (sums in long
 * double), the quantiles (GSL's definition, see stats.h) and the extremes
 * from it; the 95% interval for
 * the mean uses Student's t quantile, which matters for the small n of a
 * quick run (t = 2.26 at n = 10, not 1.96).
 *
 * dcs_stats_write takes the metric columns from the rows the summary keeps
 * in memory (dcs_h5_table_keep: a run's /summary up to 16 MiB), or else
 * reads the table back, never more than STATS_READ_BYTES of it at once:
 * all the columns in one pass up to ~8,000 rows of 60 metrics, and past
 * that in one pass too, into a spill file beside the output, from which
 * each column is read in turn (in groups of columns, a pass each, where no
 * spill file can be written). The point column becomes a row order grouped by point (a
 * counting sort over the distinct point values); each point's values of a
 * metric are gathered into one scratch array. The statistics of a block of
 * points are kept (a few hundred bytes per (point, metric)) so that the
 * table can be written point by point, which is the order a reader wants;
 * a sweep of many points is done in several blocks, each taking the metric
 * columns again, so that memory does not grow with the number of points.
 *
 * dcs_stats_by_point is the same gathering for one metric, for points
 * numbered 0 .. n - 1 (a sweep's), so its results are bit for bit those
 * of the /stats rows written later from the same table.
 */
#include "stats.h"

#include "sort.h"

#include "pages.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

/* The statistics of at most about this many bytes are held at once by
 * dcs_stats_write: 1 MiB is ~145 points of 60 metrics, so a sweep of
 * thousands of points does not hold them all. */
#define STATS_BLOCK_BYTES (1u << 20)

/* The metric columns read back at once by dcs_stats_write: at most this
 * many bytes (or one column), so that memory stays bounded however many
 * rows there are. */
#define STATS_READ_BYTES (4u << 20)

/* Two-sided 95% interval: the 0.975 quantile of Student's t. */
#define DCS_CI_P 0.975

static void fill_nan(dcs_stat_row *r)
{
    r->mean = r->sd = r->ci95_low = r->ci95_high = NAN;
    r->min = r->p5 = r->p50 = r->p95 = r->p99 = r->es95 = r->max = NAN;
    r->p_over_target = NAN;
}

/* The mean of s[0..m) (m > 0): a sum in long double (64-bit mantissa)
 * over four accumulators, so that the additions do not wait on each
 * other, divided once. GSL's running mean divides at every value (a
 * division's latency a value: most of /stats' time on a column of 10^4);
 * the two agree to a few units in the last place of a double. */
static double mean_of(const double *s, size_t m)
{
    long double a[4] = {0, 0, 0, 0};
    size_t i = 0;
    for (; i + 4 <= m; i += 4)
        for (int k = 0; k < 4; k++)
            a[k] += s[i + (size_t)k];
    for (; i < m; i++)
        a[0] += s[i];
    return (double)(((a[0] + a[1]) + (a[2] + a[3])) / (long double)m);
}

/* The sample standard deviation of s[0..m) (m > 1) about its mean: the
 * squared deviations summed as mean_of sums. */
static double sd_of(const double *s, size_t m, double mean)
{
    long double a[4] = {0, 0, 0, 0};
    size_t i = 0;
    for (; i + 4 <= m; i += 4)
        for (int k = 0; k < 4; k++) {
            long double d = (long double)s[i + (size_t)k] - mean;
            a[k] += d * d;
        }
    for (; i < m; i++) {
        long double d = (long double)s[i] - mean;
        a[0] += d * d;
    }
    return sqrt((double)(((a[0] + a[1]) + (a[2] + a[3])) / (long double)(m - 1)));
}

/* The statistics of the m > 0 finite values in order s[0], s[k], ...,
 * s[(m - 1) k]: k is 1, or 0 for m copies of one value other than -0.0.
 * A column of one value has that value as its mean and 0 as its
 * deviation, exactly, without the sums; every other statistic is the
 * same expression over the values either way. */
static int summarize_sorted(const double *s, size_t k, size_t m, double target, dcs_stat_row *out,
                            dcs_err *err)
{
    int one = s[0] == s[(m - 1) * k] && !(s[0] == 0.0 && signbit(s[0]));
    out->n = (int64_t)m;
    out->mean = one ? s[0] : mean_of(s, m);
    out->min = s[0];
    out->max = s[(m - 1) * k];
    out->p5 = gsl_stats_quantile_from_sorted_data(s, k, m, 0.05);
    out->p50 = gsl_stats_quantile_from_sorted_data(s, k, m, 0.50);
    out->p95 = gsl_stats_quantile_from_sorted_data(s, k, m, 0.95);
    out->p99 = gsl_stats_quantile_from_sorted_data(s, k, m, 0.99);
    size_t tail = (size_t)ceil(0.05 * (double)m);
    double sum = 0.0;
    for (size_t i = m - tail; i < m; i++)
        sum += s[i * k];
    out->es95 = sum / (double)tail;
    if (m > 1) {
        out->sd = one ? 0.0 : sd_of(s, m, out->mean);
        double t = gsl_cdf_tdist_Pinv(DCS_CI_P, (double)(m - 1));
        if (!isfinite(t))
            return dcs_err_set(err, DCS_EGSL, "gsl_cdf_tdist_Pinv(%g, %zu) failed", DCS_CI_P,
                               m - 1);
        double half = t * out->sd / sqrt((double)m);
        out->ci95_low = out->mean - half;
        out->ci95_high = out->mean + half;
    }
    if (isfinite(target)) {
        size_t above = 0;
        for (size_t i = 0; i < m; i++)
            if (s[i * k] > target)
                above++;
        out->p_over_target = (double)above / (double)m;
    }
    return 0;
}

/* Fills out with what a row of no values has. */
static void summarize_start(double target, dcs_stat_row *out)
{
    fill_nan(out);
    out->n = 0;
    out->target = isfinite(target) ? target : (double)NAN;
}

/* The statistics of the finite values s[0..m), which it sorts (ws: room
 * for 2 m keys). */
static int summarize_finite(double *s, size_t m, uint64_t *ws, double target, dcs_stat_row *out,
                            dcs_err *err)
{
    summarize_start(target, out);
    if (m == 0)
        return 0;
    dcs_sort_f64(s, m, ws);
    return summarize_sorted(s, 1, m, target, out, err);
}

int dcs_stats_summarize(const double *x, size_t n, double target, dcs_stat_row *out, dcs_err *err)
{
    if (out == NULL || (x == NULL && n > 0))
        return dcs_err_set(err, DCS_EINPUT, "summarize: NULL argument");
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]))
            m++;
    double *s = malloc((m + 1) * sizeof *s);
    uint64_t *ws = malloc((2 * m + 1) * sizeof *ws);
    if (s == NULL || ws == NULL) {
        free(s);
        free(ws);
        return dcs_err_set(err, DCS_ENOMEM, "out of memory summarizing %zu values", m);
    }
    m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]))
            s[m++] = x[i];
    int rc = summarize_finite(s, m, ws, target, out, err);
    free(s);
    free(ws);
    return rc;
}

/* The /stats columns; mean..max and target are in the metric's units. */
static const dcs_column stats_cols[] = {
    {"point", "", DCS_COL_I64, "sweep point index"},
    {"metric", "", DCS_COL_STR, "column of /summary"},
    {"units", "", DCS_COL_STR, "units of the metric"},
    {"n", "", DCS_COL_I64, "replications with a finite value"},
    {"mean", "see units column", DCS_COL_F64, "mean"},
    {"sd", "see units column", DCS_COL_F64, "sample standard deviation"},
    {"ci95_low", "see units column", DCS_COL_F64, "95% confidence interval of the mean, low"},
    {"ci95_high", "see units column", DCS_COL_F64, "95% confidence interval of the mean, high"},
    {"min", "see units column", DCS_COL_F64, "minimum"},
    {"p5", "see units column", DCS_COL_F64, "5th percentile"},
    {"p50", "see units column", DCS_COL_F64, "median"},
    {"p95", "see units column", DCS_COL_F64, "95th percentile"},
    {"p99", "see units column", DCS_COL_F64, "99th percentile"},
    {"es95", "see units column", DCS_COL_F64,
     "expected shortfall: mean of the worst 5% (the ceil(0.05 n) largest values)"},
    {"max", "see units column", DCS_COL_F64, "maximum"},
    {"target", "see units column", DCS_COL_F64, "budget or deadline; NaN when none"},
    {"p_over_target", "", DCS_COL_F64, "fraction of replications above target; NaN when none"},
};
#define NSTATS_COLS (sizeof stats_cols / sizeof stats_cols[0])

/* Index of v in the sorted distinct values u[0..nu-1]. */
static size_t point_index(const double *u, size_t nu, double v)
{
    size_t lo = 0, hi = nu;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (u[mid] <= v)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static int is_metric(const dcs_column *c)
{
    return c->type != DCS_COL_STR && strcmp(c->name, "point") != 0 &&
           strcmp(c->name, "replication") != 0;
}

static double target_of(const char *metric, double budget_usd, double deadline_h)
{
    double t = NAN;
    if (strcmp(metric, "cost_usd") == 0)
        t = budget_usd;
    else if (strcmp(metric, "makespan_h") == 0)
        t = deadline_h;
    return isfinite(t) && t > 0 ? t : (double)NAN;
}

/* Where dcs_stats_write takes the metric columns from: the rows the table
 * keeps in memory (dcs_h5_table_keep); or groups of columns read back into
 * buf, as many as STATS_READ_BYTES hold, when one group holds them all; or
 * else a spill file (pages.h) that one pass over the table fills, column
 * after column, and from which each column is read into buf. Groups
 * inflated every chunk of the table once a group: at 100,000 rows of the
 * Daly job, a dozen passes and most of a second (docs/design-notes.md). */
typedef struct metric_src {
    dcs_h5table *t;
    const size_t *cols; /* [n] the metric columns */
    size_t n, nrows;
    size_t group; /* columns read back at once (1 with a spill) */
    size_t first; /* the first column in buf, or SIZE_MAX */
    double *buf;  /* group * nrows values; NULL when the table keeps them all */
    int fd;       /* the spill file, or -1 */
} metric_src;

/* Fills a new spill file beside `path` with the metric columns, nrows
 * values each, one after another, reading the table once in blocks of
 * rows of every column (held in buf, group * nrows values). Returns 0, 1
 * when the file could not be made or written (errno: the caller reads
 * groups instead), or an error of reading the table. */
static int src_spill(metric_src *m, const char *path, dcs_err *err)
{
    m->fd = dcs_pages_spill(path);
    if (m->fd < 0)
        return 1;
    const size_t block = m->group * m->nrows / m->n; /* rows of every column that buf holds */
    for (size_t r0 = 0; r0 < m->nrows; r0 += block) {
        size_t k = m->nrows - r0 < block ? m->nrows - r0 : block;
        int rc = dcs_h5_table_read_rows(m->t, m->cols, m->n, r0, k, m->buf, err);
        if (rc != 0)
            return rc;
        for (size_t j = 0; j < m->n; j++) {
            const char *p = (const char *)(m->buf + j * k);
            size_t left = k * sizeof *m->buf;
            off_t at = (off_t)((j * m->nrows + r0) * sizeof *m->buf);
            while (left > 0) {
                ssize_t w = pwrite(m->fd, p, left, at);
                if (w <= 0)
                    return 1;
                p += w, left -= (size_t)w, at += w;
            }
        }
    }
    return 0;
}

static int src_init(metric_src *m, dcs_h5table *t, const size_t *cols, size_t n, size_t nrows,
                    const char *path, dcs_err *err)
{
    *m = (metric_src){t, cols, n, nrows, 0, SIZE_MAX, NULL, -1};
    size_t kept = 0;
    while (kept < n && dcs_h5_table_kept(t, cols[kept], NULL) != NULL)
        kept++;
    if (kept == n)
        return 0;
    m->group = STATS_READ_BYTES / ((nrows + 1) * sizeof *m->buf);
    m->group = m->group == 0 ? 1 : m->group > n ? n : m->group;
    m->buf = malloc((m->group * nrows + 1) * sizeof *m->buf);
    if (m->buf == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory reading %zu rows back", nrows);
    if (m->group == n || m->group * nrows < n) /* one pass; or a row of every column > buf */
        return 0;
    int rc = src_spill(m, path, err);
    if (rc == 1 && m->fd >= 0) { /* no room on the disk, say: read groups */
        close(m->fd);
        m->fd = -1;
    }
    if (m->fd >= 0)
        m->group = 1;
    return rc == 1 ? 0 : rc;
}

/* Metric k's values, row i at (*x)[i * *stride]. */
static int src_metric(metric_src *m, size_t k, const double **x, size_t *stride, dcs_err *err)
{
    if (m->buf == NULL) {
        *x = dcs_h5_table_kept(m->t, m->cols[k], stride);
        return 0;
    }
    if (m->first == SIZE_MAX || k < m->first || k >= m->first + m->group) {
        if (m->fd >= 0) {
            char *p = (char *)m->buf;
            size_t left = m->nrows * sizeof *m->buf;
            off_t at = (off_t)(k * m->nrows * sizeof *m->buf);
            while (left > 0) {
                ssize_t r = pread(m->fd, p, left, at);
                if (r <= 0)
                    return dcs_err_set(err, DCS_EIO,
                                       "cannot read back the statistics' spill file: %s",
                                       r == 0 ? "end of file" : strerror(errno));
                p += r, left -= (size_t)r, at += r;
            }
        } else {
            size_t g = m->n - k < m->group ? m->n - k : m->group;
            int rc = dcs_h5_table_read_cols(m->t, m->cols + k, g, m->buf, m->nrows, err);
            if (rc != 0)
                return rc;
        }
        m->first = k;
    }
    *x = m->buf + (k - m->first) * m->nrows;
    *stride = 1;
    return 0;
}

static void src_free(metric_src *m)
{
    free(m->buf);
    if (m->fd >= 0)
        close(m->fd);
}

/* An earlier metric j < k of the same target whose rows hold the very
 * bits of metric k's (x, stride 1), or k: a kept table's column that
 * repeats another (cost_usd, cost_compute_usd and compute_hourly_usd of a
 * run with one kind of cost; n_interruptions, n_restarts and n_failures_gpu
 * of one failure class), whose statistics are then metric j's, bit for bit,
 * without gathering and sorting the values again. */
static size_t twin_of(const metric_src *m, size_t k, const double *x, size_t stride, double target,
                      double budget_usd, double deadline_h)
{
    if (m->buf != NULL || stride != 1 || m->nrows == 0)
        return k;
    for (size_t j = 0; j < k; j++) {
        size_t sj;
        const double *xj = dcs_h5_table_kept(m->t, m->cols[j], &sj);
        if (sj != 1 || memcmp(xj, x, m->nrows * sizeof *x) != 0)
            continue;
        double tj = target_of(dcs_h5_table_col(m->t, m->cols[j])->name, budget_usd, deadline_h);
        if (memcmp(&tj, &target, sizeof tj) == 0)
            return j;
    }
    return k;
}

/* The rows grouped by point: the distinct points u[0..*nu) ascending, and
 * order[start[p] .. start[p + 1]) the rows of point u[p], in row order (a
 * stable counting sort). pt[i * stride] is row i's point (NULL: all 0),
 * finite (the runner's point index); ws: room for 2 nrows keys. The
 * points are sorted by dcs_sort_f64: a run's points, all 0, only read. */
static int group_points(const double *pt, size_t stride, size_t nrows, double *u, size_t *nu,
                        size_t **start, size_t *order, uint64_t *ws)
{
    for (size_t i = 0; i < nrows; i++)
        u[i] = pt != NULL ? pt[i * stride] : 0.0;
    dcs_sort_f64(u, nrows, ws);
    size_t n = 0;
    for (size_t i = 0; i < nrows; i++)
        if (n == 0 || u[i] != u[n - 1])
            u[n++] = u[i];
    *nu = n;
    size_t *st = calloc(n + 1, sizeof *st), *next = malloc((n + 1) * sizeof *next);
    if (st == NULL || next == NULL) {
        free(st);
        free(next);
        return -1;
    }
    for (size_t i = 0; i < nrows; i++)
        st[point_index(u, n, pt != NULL ? pt[i * stride] : 0.0) + 1]++;
    for (size_t p = 0; p < n; p++)
        st[p + 1] += st[p];
    memcpy(next, st, (n + 1) * sizeof *next);
    for (size_t i = 0; i < nrows; i++)
        order[next[point_index(u, n, pt != NULL ? pt[i * stride] : 0.0)]++] = i;
    free(next);
    *start = st;
    return 0;
}

/* The statistics of the rows order[0..n) of a metric (row i at
 * x[i * stride]): their finite values gathered into s (room for n), ws
 * room for 2 n keys. */
static int rows_stats(const double *x, size_t stride, const size_t *order, size_t n, double *s,
                      uint64_t *ws, double target, dcs_stat_row *out, dcs_err *err)
{
    if (stride == 0 && n > 0 && !(x[0] == 0.0 && signbit(x[0]))) {
        /* Every row holds x[0] (dcs_h5_table_kept): already in order. */
        summarize_start(target, out);
        return isfinite(x[0]) ? summarize_sorted(x, 0, n, target, out, err) : 0;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        double v = x[order[i] * stride];
        if (isfinite(v))
            s[m++] = v;
    }
    return summarize_finite(s, m, ws, target, out, err);
}

/* Appends the rows of points [b0, b1) of /stats, res holding their
 * statistics, point by point. */
static int write_block(dcs_h5table *st, dcs_h5table *summary, const size_t *metrics,
                       size_t nmetrics, const double *u, size_t b0, size_t b1,
                       const dcs_stat_row *res, dcs_err *err)
{
    for (size_t p = b0; p < b1; p++) {
        for (size_t k = 0; k < nmetrics; k++) {
            const dcs_column *c = dcs_h5_table_col(summary, metrics[k]);
            const dcs_stat_row *r = &res[(p - b0) * nmetrics + k];
            dcs_cell row[NSTATS_COLS] = {
                {.i = (int64_t)u[p]},   {.s = c->name}, {.s = c->units},    {.i = r->n},
                {.f = r->mean},         {.f = r->sd},   {.f = r->ci95_low}, {.f = r->ci95_high},
                {.f = r->min},          {.f = r->p5},   {.f = r->p50},      {.f = r->p95},
                {.f = r->p99},          {.f = r->es95}, {.f = r->max},      {.f = r->target},
                {.f = r->p_over_target}};
            int rc = dcs_h5_table_append(st, row, err);
            if (rc != 0)
                return rc;
        }
    }
    return 0;
}

/* Values (rows x metrics) from which a run's statistics are taken on
 * several threads: fewer take less time than waking a thread (~0.05 ms). */
#define PARALLEL_VALUES (1u << 16)

/* The statistics of one block of points [b0, b1) for every metric, into
 * res[(p - b0) * nmetrics + k]. */
typedef struct stats_block {
    metric_src *src;
    dcs_h5table *summary;
    const size_t *metrics;
    size_t nmetrics;
    const size_t *order, *start; /* the rows grouped by point */
    double budget_usd, deadline_h;
    size_t b0, b1;
    dcs_stat_row *res;
} stats_block;

/* Metric k (row i at x[i * xs]) of the block's points; scratch s and ws. */
static int metric_stats(const stats_block *b, size_t k, const double *x, size_t xs, double target,
                        double *s, uint64_t *ws, dcs_err *err)
{
    int rc = 0;
    for (size_t p = b->b0; p < b->b1 && rc == 0; p++)
        rc = rows_stats(x, xs, b->order + b->start[p], b->start[p + 1] - b->start[p], s, ws, target,
                        &b->res[(p - b->b0) * b->nmetrics + k], err);
    return rc;
}

static double metric_target(const stats_block *b, size_t k)
{
    return target_of(dcs_h5_table_col(b->summary, b->metrics[k])->name, b->budget_usd,
                     b->deadline_h);
}

/* Copies metric `twin`'s results to metric k for the block's points. */
static void copy_twin(const stats_block *b, size_t k, size_t twin)
{
    for (size_t p = b->b0; p < b->b1; p++) {
        dcs_stat_row *r = &b->res[(p - b->b0) * b->nmetrics];
        r[k] = r[twin];
    }
}

/* The block's metrics one after another, on this thread. */
static int block_stats(const stats_block *b, double *s, uint64_t *ws, dcs_err *err)
{
    for (size_t k = 0; k < b->nmetrics; k++) {
        const double *x = NULL;
        size_t xs = 1;
        int rc = src_metric(b->src, k, &x, &xs, err);
        if (rc != 0)
            return rc;
        double target = metric_target(b, k);
        size_t twin = twin_of(b->src, k, x, xs, target, b->budget_usd, b->deadline_h);
        if (twin != k)
            copy_twin(b, k, twin);
        else if ((rc = metric_stats(b, k, x, xs, target, s, ws, err)) != 0)
            return rc;
    }
    return 0;
}

/* The same on nthreads threads, metrics taken in turn, when the table
 * keeps its rows (src_metric hands out pointers then, and reads nothing):
 * each metric's results are those block_stats gives, whichever thread
 * takes it. The twins are found first, and copied after. */
static int block_stats_parallel(const stats_block *b, int nthreads, dcs_err *err)
{
    const size_t n = b->nmetrics, nrows = b->start[b->b1] - b->start[b->b0];
    const double **xk = malloc((n + 1) * sizeof *xk);
    size_t *xs = malloc((n + 1) * sizeof *xs), *twin = malloc((n + 1) * sizeof *twin);
    double *target = malloc((n + 1) * sizeof *target);
    int rc = 0;
    if (xk == NULL || xs == NULL || twin == NULL || target == NULL) {
        rc = dcs_err_set(err, DCS_ENOMEM, "out of memory computing statistics of %zu metrics", n);
        goto done;
    }
    for (size_t k = 0; k < n && rc == 0; k++) {
        xs[k] = 1;
        rc = src_metric(b->src, k, &xk[k], &xs[k], err);
        target[k] = metric_target(b, k);
        if (rc == 0)
            twin[k] = twin_of(b->src, k, xk[k], xs[k], target[k], b->budget_usd, b->deadline_h);
    }
    if (rc != 0)
        goto done;
#pragma omp parallel num_threads(nthreads)
    {
        double *s = malloc((nrows + 1) * sizeof *s);
        uint64_t *ws = malloc((2 * nrows + 1) * sizeof *ws);
        dcs_err e;
        dcs_err_clear(&e);
        int mine = s == NULL || ws == NULL
                       ? dcs_err_set(&e, DCS_ENOMEM, "out of memory sorting %zu rows", nrows)
                       : 0;
#pragma omp for schedule(dynamic, 1)
        for (size_t k = 0; k < n; k++)
            if (mine == 0 && twin[k] == k)
                mine = metric_stats(b, k, xk[k], xs[k], target[k], s, ws, &e);
        if (mine != 0) {
#pragma omp critical(dcs_stats_parallel)
            {
                if (rc == 0) {
                    rc = mine;
                    if (err != NULL)
                        *err = e;
                }
            }
        }
        free(s);
        free(ws);
    }
    for (size_t k = 0; k < n && rc == 0; k++)
        if (twin[k] != k)
            copy_twin(b, k, twin[k]);
done:
    free(xk);
    free(xs);
    free(twin);
    free(target);
    return rc;
}

int dcs_stats_write(dcs_h5file *f, dcs_h5table *summary, double budget_usd, double deadline_h,
                    dcs_err *err)
{
    return dcs_stats_write_threads(f, summary, budget_usd, deadline_h, 1, err);
}

int dcs_stats_write_threads(dcs_h5file *f, dcs_h5table *summary, double budget_usd,
                            double deadline_h, int nthreads, dcs_err *err)
{
    if (f == NULL || summary == NULL)
        return dcs_err_set(err, DCS_EINPUT, "stats: NULL file or summary");
    size_t nrows = (size_t)dcs_h5_table_rows(summary);
    size_t ncols = dcs_h5_table_ncols(summary);
    long pcol = dcs_h5_table_find(summary, "point");
    double *pts = NULL, *u = NULL, *s = NULL;
    uint64_t *ws = NULL;
    size_t *order = NULL, *start = NULL, *metrics = NULL;
    dcs_stat_row *res = NULL;
    metric_src src = {.fd = -1};
    dcs_h5table *st = NULL;
    size_t nu = 0, nmetrics = 0;

    /* Every row handed to HDF5 before /stats is made, kept rows or not. */
    int rc = dcs_h5_table_flush(summary, err);
    if (rc != 0)
        return rc;
    /* One extra slot so that empty tables still get valid pointers. */
    u = malloc((nrows + 1) * sizeof *u);
    s = malloc((nrows + 1) * sizeof *s);
    ws = malloc((2 * nrows + 1) * sizeof *ws);
    order = malloc((nrows + 1) * sizeof *order);
    metrics = malloc((ncols + 1) * sizeof *metrics);
    if (u == NULL || s == NULL || ws == NULL || order == NULL || metrics == NULL)
        goto nomem;
    for (size_t j = 0; j < ncols; j++)
        if (is_metric(dcs_h5_table_col(summary, j)))
            metrics[nmetrics++] = j;

    /* The distinct points, ascending, and the rows grouped by point. */
    size_t pstride = 1;
    const double *pt = pcol >= 0 ? dcs_h5_table_kept(summary, (size_t)pcol, &pstride) : NULL;
    if (pcol >= 0 && pt == NULL) {
        if ((pts = malloc((nrows + 1) * sizeof *pts)) == NULL)
            goto nomem;
        if ((rc = dcs_h5_table_read_f64(summary, (size_t)pcol, pts, nrows, err)) != 0)
            goto done;
        pt = pts;
    }
    if (group_points(pt, pstride, nrows, u, &nu, &start, order, ws) != 0)
        goto nomem;
    /* Made once its rows are known: a point's 70 rows fill a chunk of 70. */
    dcs_h5table_opts so = dcs_h5table_defaults;
    so.chunk_rows = dcs_h5_chunk_rows((uint64_t)nu * nmetrics);
    st = dcs_h5_table_create_opts(
        f, "stats", "summary statistics over replications, one row per (point, metric)", stats_cols,
        NSTATS_COLS, &so, err);
    if (st == NULL) {
        rc = err != NULL && err->code != 0 ? err->code : DCS_EHDF5;
        goto done;
    }
    /* Points in blocks of `block`, so that the results held at once stay
     * near STATS_BLOCK_BYTES however many points there are; each block
     * reads every metric column again (one block for a run). */
    size_t block = STATS_BLOCK_BYTES / ((nmetrics + 1) * sizeof *res);
    block = block == 0 ? 1 : block > nu ? nu : block;
    res = calloc(block * nmetrics + 1, sizeof *res);
    if (res == NULL)
        goto nomem;
    if ((rc = src_init(&src, summary, metrics, nmetrics, nrows, dcs_h5_temp_path(f), err)) != 0)
        goto done;
    for (size_t b0 = 0; b0 < nu && rc == 0; b0 += block) {
        size_t b1 = b0 + block < nu ? b0 + block : nu;
        const stats_block sb = {&src,       summary,    metrics, nmetrics, order, start,
                                budget_usd, deadline_h, b0,      b1,       res};
        size_t values = (start[b1] - start[b0]) * nmetrics;
        rc = nthreads > 1 && src.buf == NULL && values >= PARALLEL_VALUES
                 ? block_stats_parallel(&sb, nthreads, err)
                 : block_stats(&sb, s, ws, err);
        if (rc == 0)
            rc = write_block(st, summary, metrics, nmetrics, u, b0, b1, res, err);
    }
    if (rc == 0)
        rc = dcs_h5_table_flush(st, err);
    goto done;

nomem:
    rc = dcs_err_set(err, DCS_ENOMEM, "out of memory computing statistics of %zu rows", nrows);
done:
    src_free(&src);
    free(pts);
    free(u);
    free(s);
    free(ws);
    free(order);
    free(start);
    free(metrics);
    free(res);
    return rc;
}

int dcs_stats_by_point(dcs_h5table *summary, const char *metric, size_t npoints,
                       const unsigned char *want, double target, dcs_stat_row *out, dcs_err *err)
{
    if (summary == NULL || metric == NULL || (out == NULL && npoints > 0))
        return dcs_err_set(err, DCS_EINPUT, "stats by point: NULL argument");
    long pcol = dcs_h5_table_find(summary, "point");
    long mcol = dcs_h5_table_find(summary, metric);
    if (pcol < 0)
        return dcs_err_set(err, DCS_EINPUT, "stats by point: the table has no point column");
    if (mcol < 0 || !is_metric(dcs_h5_table_col(summary, (size_t)mcol)))
        return dcs_err_set(err, DCS_EINPUT, "/summary has no numeric column %s", metric);
    size_t nrows = (size_t)dcs_h5_table_rows(summary);
    double *pt = malloc((nrows + 1) * sizeof *pt);
    double *val = malloc((nrows + 1) * sizeof *val);
    double *scratch = malloc((nrows + 1) * sizeof *scratch);
    size_t *start = calloc(npoints + 2, sizeof *start);
    size_t *next = malloc((npoints + 1) * sizeof *next);
    int rc = 0;
    if (pt == NULL || val == NULL || scratch == NULL || start == NULL || next == NULL) {
        rc = dcs_err_set(err, DCS_ENOMEM, "out of memory gathering %s of %zu rows", metric, nrows);
        goto done;
    }
    rc = dcs_h5_table_read_f64(summary, (size_t)pcol, pt, nrows, err);
    if (rc == 0)
        rc = dcs_h5_table_read_f64(summary, (size_t)mcol, val, nrows, err);
    if (rc != 0)
        goto done;
    /* Counting sort by point, stable; rows of unknown points are dropped. */
    for (size_t i = 0; i < nrows; i++)
        if (pt[i] >= 0.0 && pt[i] < (double)npoints)
            start[(size_t)pt[i] + 1]++;
    for (size_t p = 0; p < npoints; p++)
        start[p + 1] += start[p];
    memcpy(next, start, npoints * sizeof *next);
    for (size_t i = 0; i < nrows; i++)
        if (pt[i] >= 0.0 && pt[i] < (double)npoints)
            scratch[next[(size_t)pt[i]]++] = val[i];
    for (size_t p = 0; p < npoints && rc == 0; p++)
        if (want == NULL || want[p])
            rc = dcs_stats_summarize(scratch + start[p], start[p + 1] - start[p], target, &out[p],
                                     err);
done:
    free(pt);
    free(val);
    free(scratch);
    free(start);
    free(next);
    return rc;
}
