/*
 * stats.h - summary statistics over replications: mean, standard deviation,
 * a 95% confidence interval for the mean, quantiles, and the risk of
 * exceeding a target; and the /stats table that holds them per (point,
 * metric).
 *
 * Quantiles follow GSL's definition (gsl_stats_quantile_from_sorted_data):
 * for sorted x[0..n-1] and fraction f, with d = (n - 1) f and i = floor(d),
 * q = (1 - (d - i)) x[i] + (d - i) x[i + 1]. This is R's type 7 and numpy's
 * default "linear" method, so the notebooks agree with the C side.
 *
 * Risk: the 95 % value at risk is p95; the expected shortfall es95 is the
 * mean of the worst 5 % of values, the ceil(0.05 n) largest (the largest
 * alone when n < 20), so a planner sees how bad the tail is, not only where
 * it starts.
 *
 * Values that are not finite (NaN: a replication that did not complete) are
 * skipped everywhere; n counts the finite values used.
 */
#ifndef DCSIM_ANALYSIS_STATS_H
#define DCSIM_ANALYSIS_STATS_H

#include "h5out.h"
#include "status.h"

#include <stddef.h>
#include <stdint.h>

/* Statistics of one metric. Every value is in the metric's units except n
 * (a count) and p_over_target (a fraction in [0, 1]). Values that cannot be
 * computed are NAN: everything when n = 0; sd and the interval when n = 1. */
typedef struct dcs_stat_row {
    int64_t n; /* finite values used */
    double mean;
    double sd;        /* sample standard deviation (divisor n - 1) */
    double ci95_low;  /* mean - t(0.975, n - 1) sd / sqrt(n) */
    double ci95_high; /* mean + t(0.975, n - 1) sd / sqrt(n) */
    double min;
    double p5;
    double p50;
    double p95;
    double p99;
    double es95; /* expected shortfall: mean of the largest ceil(0.05 n) values (the tail
                    beyond the 95 % value at risk, p95) */
    double max;
    double target;        /* the target compared against, or NAN for none */
    double p_over_target; /* fraction of values strictly above target; NAN for none */
} dcs_stat_row;

/* Summarizes x[0..n-1] into out, skipping values that are not finite.
 * target is a threshold in the metric's units, or NAN for none. Returns 0,
 * DCS_EINPUT for a NULL argument, DCS_ENOMEM, or DCS_EGSL. */
int dcs_stats_summarize(const double *x, size_t n, double target, dcs_stat_row *out, dcs_err *err);

/* Creates table "stats" in f with one row per (point, metric): for every
 * numeric column of `summary` other than "point" and "replication", and for
 * each distinct value of summary's "point" column in ascending order (all
 * rows are point 0 when there is no such column). The target of cost_usd is
 * budget_usd and that of makespan_h is deadline_h; a target that is not
 * finite or not > 0 means "none" (NAN in the table). Takes the columns from
 * the rows the summary keeps (dcs_h5_table_keep), or reads them back
 * (once, through a spill file, when they are many). Returns 0 or a
 * negative code. */
int dcs_stats_write(dcs_h5file *f, dcs_h5table *summary, double budget_usd, double deadline_h,
                    dcs_err *err);

/* The same on up to nthreads threads (OpenMP), when the summary keeps its
 * rows and they are many: the metrics are shared out, each one's
 * statistics the same bytes as on one thread. */
int dcs_stats_write_threads(dcs_h5file *f, dcs_h5table *summary, double budget_usd,
                            double deadline_h, int nthreads, dcs_err *err);

/* Statistics of column `metric` of `summary` for each of the points 0 ..
 * npoints - 1 whose want[p] is non-zero (every point when want is NULL),
 * into out[p] (left alone for the others). A point's values are taken in
 * row order, exactly as dcs_stats_write takes them, so the results equal
 * that point's row of /stats; rows of points >= npoints are ignored. Used
 * to decide whether a point has reached a precision target. Reads the
 * point and metric columns. Returns 0, DCS_EINPUT (no such column, or no
 * point column), DCS_ENOMEM or another negative code. */
int dcs_stats_by_point(dcs_h5table *summary, const char *metric, size_t npoints,
                       const unsigned char *want, double target, dcs_stat_row *out, dcs_err *err);

#endif /* DCSIM_ANALYSIS_STATS_H */
