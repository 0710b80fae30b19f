/*
 * compare.h - paired comparison of two dcsim output files, replication by
 * replication: the distribution of the difference B - A of a metric (total
 * cost, makespan, ...) with its confidence interval.
 *
 * Rows are paired by (point, replication). Replication r of two runs with
 * the same seed draws the same random numbers wherever the scenarios agree
 * (common random numbers), so the paired difference has far less noise
 * than the difference of two independent means; the report shows both
 * standard errors, so the gain is visible.
 */
#ifndef DCSIM_ANALYSIS_COMPARE_H
#define DCSIM_ANALYSIS_COMPARE_H

#include "report.h"
#include "status.h"

#include <stddef.h>
#include <stdio.h>

/* The comparison of one metric. */
typedef struct dcs_compare_row {
    char metric[64];
    char units[64];
    long long n; /* pairs compared (both values finite) */
    double mean_a, mean_b;
    double mean_diff;           /* mean of B - A */
    double sd_diff;             /* sample sd of B - A */
    double ci95_low, ci95_high; /* of the mean difference (Student's t) */
    double p5, p50, p95;        /* of B - A */
    double se_paired;           /* sd_diff / sqrt(n) */
    double se_unpaired;         /* sqrt(var A / n + var B / n): what independent runs would give */
    double correlation;         /* of A and B over the pairs */
} dcs_compare_row;

/* Compares metrics[0..nmetrics) (column names of /summary; cost_usd and
 * makespan_h when nmetrics is 0) between files a and b and prints the
 * result to out. Returns 0; DCS_EIO when a file cannot be opened;
 * DCS_EINPUT when a file is not a dcsim output, a metric is missing, or the
 * files share no (point, replication) pair; DCS_EHDF5 on a read error. */
int dcs_compare_print(const char *a, const char *b, const char *const *metrics, size_t nmetrics,
                      dcs_report_format fmt, FILE *out, dcs_err *err);

/* Checks that files a and b come from comparable runs: the same seed, the
 * same replication count (the root attributes seed and replications) and
 * the same points (the distinct values of /summary's point column). Only
 * then does replication r of one share its random numbers with replication
 * r of the other, which is what makes a paired comparison worth having.
 * Returns 0; DCS_EINPUT naming every difference (and --pair-anyway, which
 * skips this check); DCS_EIO when a file cannot be opened. */
int dcs_compare_check(const char *a, const char *b, dcs_err *err);

/* Computes one row from n pairs (x[i], y[i]); non-finite pairs are
 * skipped. For tests and for dcs_compare_print. */
int dcs_compare_pairs(const double *x, const double *y, size_t n, dcs_compare_row *out,
                      dcs_err *err);

#endif /* DCSIM_ANALYSIS_COMPARE_H */
