/*
 * select.h - choosing a sweep's point under constraints: which points meet
 * a constraint with 95 % confidence, and which of them cannot be told apart
 * from the best by paired comparisons on the common random numbers.
 *
 * A constraint is "NAME OP VALUE" (OP one of <=, <, >=, >), where NAME is
 * p_late (the probability that makespan_h exceeds the deadline),
 * p_over_budget (cost_usd above the budget), p_over_target:METRIC, a
 * /summary column (its mean), METRIC_mean, or METRIC_pNN (its NN-th
 * percentile; METRIC_median is p50). VALUE is a number, or a percentage
 * for a probability ("5%").
 *
 * "Holds with 95 % confidence" means that a one-sided 95 % confidence
 * bound of the quantity, not its estimate, is on the right side of VALUE:
 * Clopper-Pearson's exact bound for a probability, Student's t for a mean,
 * and the distribution-free order-statistic bound for a percentile (the
 * j-th smallest value, j the least with P(Binomial(n, q) <= j - 1) >= 95 %).
 * With m constraints each is checked at level 1 - 0.05 / m (Bonferroni), so
 * that all hold together with 95 % confidence.
 *
 * The best point is the one with the lowest mean (highest, to maximize) of
 * the chosen metric among the feasible points. Multiple comparisons with
 * the best (Hsu 1984; with common random numbers, Nelson and Matejcik 1995,
 * Management Science 41(12), "Using common random numbers for
 * indifference-zone selection and multiple comparisons in simulation"):
 * point i stays a contender unless some j beats it clearly,
 * mean_i - mean_j > w_ij, with w_ij = t(1 - 0.05 / (k - 1), n_ij - 1) S_ij /
 * sqrt(n_ij), S_ij the standard deviation of the n_ij paired differences
 * (replications both points ran) and k the number of feasible points. The
 * contenders hold the true best with probability >= 95 %. For the best,
 * the interval's upper end max(0, min_j (mean_b - mean_j + w_bj)) bounds
 * how much worse than the true best it can be.
 */
#ifndef DCSIM_ANALYSIS_SELECT_H
#define DCSIM_ANALYSIS_SELECT_H

#include "status.h"

#include <stddef.h>
#include <stdint.h>

typedef enum { DCS_SEL_LE, DCS_SEL_LT, DCS_SEL_GE, DCS_SEL_GT } dcs_sel_op;
typedef enum { DCS_SEL_MEAN, DCS_SEL_QUANTILE, DCS_SEL_P_OVER } dcs_sel_stat;

/* One constraint, parsed. */
typedef struct dcs_constraint {
    char text[160];    /* as written, for messages */
    char metric[96];   /* the /summary column it is about */
    dcs_sel_stat stat; /* what of the metric */
    double q;          /* DCS_SEL_QUANTILE: the fraction (p95: 0.95) */
    dcs_sel_op op;
    double value; /* in the metric's units, or a probability */
} dcs_constraint;

/* Parses text into *c. Returns 0 or DCS_EINPUT with a message that shows
 * the accepted forms. The metric is not checked against a file here. */
int dcs_constraint_parse(const char *text, dcs_constraint *c, dcs_err *err);

/* Checks c on the values x[0..n) of one point (non-finite values are
 * skipped; DCS_SEL_P_OVER compares with target, the deadline or budget, and
 * needs it finite). alpha is the one-sided error (0.05, or 0.05 / m for m
 * constraints). Sets *bound to the confidence bound used (the upper bound
 * for <= and <, the lower for >= and >; +-inf when none exists at this n)
 * and *holds to 1 or 0. Returns 0, DCS_EINPUT (no target) or DCS_ENOMEM. */
int dcs_constraint_check(const dcs_constraint *c, const double *x, size_t n, double target,
                         double alpha, double *bound, int *holds, dcs_err *err);

/* The values of one point for a comparison: x[i] of replication rep[i],
 * rep ascending (non-finite x skipped). */
typedef struct dcs_sel_sample {
    const double *x;
    const int64_t *rep;
    size_t n;
} dcs_sel_sample;

/* Multiple comparisons with the best among k points (maximize: highest
 * mean is best). ibest is the best point (chosen by the caller: the lowest
 * mean over all its replications). Sets contender[i] (1: cannot be told
 * apart from the best, the best included; 0: beaten) and *gap_high, the
 * upper end of the best's interval for mean_best - min of the others (0 when
 * k = 1). Returns 0 or DCS_ENOMEM. */
int dcs_select_mcb(const dcs_sel_sample *s, size_t k, size_t ibest, int maximize, double alpha,
                   int *contender, double *gap_high, dcs_err *err);

/* The same from a table's rows: point[i], replication[i] and x[i] of
 * nrows rows (points 0 .. npoints - 1; rows of a point in increasing
 * replication order, as a sweep writes them). The best is the point of
 * lowest (maximize: highest) mean over all its finite values. Sets
 * contender[p] for every point and *ibest. Returns 0 or DCS_ENOMEM. */
int dcs_select_mcb_rows(const double *point, const double *replication, const double *x,
                        size_t nrows, size_t npoints, int maximize, double alpha, int *contender,
                        size_t *ibest, dcs_err *err);

#endif /* DCSIM_ANALYSIS_SELECT_H */
