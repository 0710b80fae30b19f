/*
 * sensitivity.h - what drives the spread: for every uncertain input (the
 * input.<key path> columns of /summary), its first-order sensitivity index
 * for cost_usd and makespan_h, with a 95 % confidence interval, estimated
 * from the replications themselves, and the share of the variance left to
 * the rest: the simulation's own noise (failures, weather, market paths)
 * and interactions between inputs.
 *
 * Estimator (given data, no special design): the first-order index
 * S_i = Var(E[Y | X_i]) / Var(Y) is Pearson's correlation ratio; it is
 * estimated by partitioning the replications sorted by X_i into
 * M = round(sqrt(n)) bins of (nearly) equal count, as in Plischke,
 * Borgonovo and Smith, "Global sensitivity measures from given data",
 * European Journal of Operational Research 226(3):536-550, 2013 (an input
 * with at most M distinct values, a choice, gets one bin per value), with
 * the ANOVA bias correction of Kelley's epsilon-squared (Kelley, "An
 * unbiased correlation ratio measure", PNAS 21:554-559, 1935):
 * S = (SS_between - (M - 1) SS_within / (n - M)) / SS_total, which is
 * unbiased for S = 0 (it may come out slightly negative). The rest is
 * 1 - sum S_i. The intervals are the 2.5 % and 97.5 % percentiles of a
 * bootstrap over the replications less the bootstrap's estimate of the
 * bias (Efron and Tibshirani, "An Introduction to the Bootstrap", 1993,
 * sec. 10.2: mean of the resampled estimates - S; a resample's repeated
 * rows fall in one bin and bias its estimate up), the same resamples for every
 * input and the rest (DCS_SENS_BOOT resamples from a fixed seed).
 */
#ifndef DCSIM_ANALYSIS_SENSITIVITY_H
#define DCSIM_ANALYSIS_SENSITIVITY_H

#include "h5out.h"
#include "status.h"

#include <stddef.h>
#include <stdint.h>

#define DCS_SENS_BOOT  400      /* bootstrap resamples */
#define DCS_SENS_SEED  2385u    /* their seed */
#define DCS_SENS_MIN_N 10       /* fewer finite replications: no indices (NaN) */
#define DCS_SENS_REST  "(rest)" /* the input name of the rest's row */

/* The indices of y on each of k inputs x[j * n .. j * n + n) (rows whose y
 * or any x is not finite are left out): s[j] and its interval
 * [lo[j], hi[j]] for j < k, and the rest 1 - sum s at s[k], lo[k], hi[k]
 * (arrays of k + 1). *used gets the rows used. NaN everywhere when fewer
 * than DCS_SENS_MIN_N rows or y does not vary. Returns 0, DCS_ENOMEM. */
int dcs_sens_first_order(const double *x, size_t k, const double *y, size_t n, double *s,
                         double *lo, double *hi, size_t *used, dcs_err *err);

/* Creates table "sensitivity" in f when summary has input.* columns: one
 * row per (point, metric, input) for the metrics cost_usd and makespan_h,
 * then the rest's row (input "(rest)") per (point, metric). Does nothing
 * (returns 0) for a summary without inputs. Returns 0 or a negative code. */
int dcs_sensitivity_write(dcs_h5file *f, dcs_h5table *summary, dcs_err *err);

#endif /* DCSIM_ANALYSIS_SENSITIVITY_H */
