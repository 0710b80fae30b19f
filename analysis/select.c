/*
 * select.c - constraints on a sweep's points and multiple comparisons with
 * the best (select.h).
 *
 * The confidence bounds are the textbook ones, computed with GSL: the
 * Clopper-Pearson bound of a binomial proportion from the beta quantile
 * (gsl_cdf_beta_Pinv), Student's t bound of a mean (gsl_cdf_tdist_Pinv),
 * and the order-statistic bound of a quantile from the binomial
 * distribution function (gsl_cdf_binomial_P), which needs no assumption
 * about the metric's distribution. The comparisons pair two points'
 * replications by index with a merge of their (ascending) replication
 * lists: replication r of every point of a sweep shares its random numbers,
 * so the paired differences carry far less noise than two independent
 * means would. A point is compared only with the points of lower mean, in
 * increasing order, and dropped at the first that beats it: a point of
 * higher mean can never beat it, since w_ij >= 0.
 */
#include "select.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>

static const char forms[] =
    "expected NAME OP VALUE: NAME p_late, p_over_budget, p_over_target:METRIC, METRIC (its mean), "
    "METRIC_mean, METRIC_pNN (a percentile) or METRIC_median; OP <=, <, >= or >; VALUE a number "
    "(a probability also as 5%)";

/* Copies [s, e) trimmed into dst. */
static void trimmed(char *dst, size_t cap, const char *s, const char *e)
{
    while (s < e && isspace((unsigned char)*s))
        s++;
    while (e > s && isspace((unsigned char)e[-1]))
        e--;
    size_t n = (size_t)(e - s) < cap - 1 ? (size_t)(e - s) : cap - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* METRIC_pNN or METRIC_median: sets *q and cuts the suffix; 1 if matched. */
static int quantile_suffix(char *name, double *q)
{
    char *u = strrchr(name, '_');
    if (u == NULL || u == name)
        return 0;
    if (strcmp(u, "_median") == 0) {
        *q = 0.5;
        *u = '\0';
        return 1;
    }
    if (u[1] != 'p' || !isdigit((unsigned char)u[2]))
        return 0;
    char *end;
    double v = strtod(u + 2, &end);
    if (*end != '\0' || !(v > 0.0 && v < 100.0))
        return 0;
    *q = v / 100.0;
    *u = '\0';
    return 1;
}

int dcs_constraint_parse(const char *text, dcs_constraint *c, dcs_err *err)
{
    memset(c, 0, sizeof *c);
    snprintf(c->text, sizeof c->text, "%s", text != NULL ? text : "");
    const char *op = text != NULL ? strpbrk(text, "<>") : NULL;
    if (op == NULL)
        return dcs_err_set(err, DCS_EINPUT, "--subject-to '%s': %s", c->text, forms);
    int eq = op[1] == '=';
    c->op = op[0] == '<' ? (eq ? DCS_SEL_LE : DCS_SEL_LT) : (eq ? DCS_SEL_GE : DCS_SEL_GT);
    char name[96], val[64];
    trimmed(name, sizeof name, text, op);
    trimmed(val, sizeof val, op + 1 + eq, op + strlen(op));
    if (name[0] == '\0' || val[0] == '\0')
        return dcs_err_set(err, DCS_EINPUT, "--subject-to '%s': %s", c->text, forms);
    char *end;
    errno = 0;
    c->value = strtod(val, &end);
    int pct = *end == '%';
    if (errno != 0 || end == val || end[pct] != '\0' || !isfinite(c->value))
        return dcs_err_set(err, DCS_EINPUT, "--subject-to '%s': '%s' is not a number; %s", c->text,
                           val, forms);
    if (strcmp(name, "p_late") == 0 || strcmp(name, "p_makespan_over_deadline") == 0) {
        c->stat = DCS_SEL_P_OVER;
        snprintf(c->metric, sizeof c->metric, "makespan_h");
    } else if (strcmp(name, "p_over_budget") == 0 || strcmp(name, "p_cost_over_budget") == 0) {
        c->stat = DCS_SEL_P_OVER;
        snprintf(c->metric, sizeof c->metric, "cost_usd");
    } else if (strncmp(name, "p_over_target:", 14) == 0 && name[14] != '\0') {
        c->stat = DCS_SEL_P_OVER;
        snprintf(c->metric, sizeof c->metric, "%s", name + 14);
    } else {
        c->stat = quantile_suffix(name, &c->q) ? DCS_SEL_QUANTILE : DCS_SEL_MEAN;
        size_t n = strlen(name);
        if (c->stat == DCS_SEL_MEAN && n > 5 && strcmp(name + n - 5, "_mean") == 0)
            name[n - 5] = '\0';
        snprintf(c->metric, sizeof c->metric, "%s", name);
    }
    if (pct && c->stat != DCS_SEL_P_OVER)
        return dcs_err_set(err, DCS_EINPUT,
                           "--subject-to '%s': a percentage is for a probability (p_late, "
                           "p_over_budget), not for %s",
                           c->text, name);
    if (pct)
        c->value /= 100.0;
    if (c->stat == DCS_SEL_P_OVER && !(c->value >= 0.0 && c->value <= 1.0))
        return dcs_err_set(err, DCS_EINPUT,
                           "--subject-to '%s': a probability is between 0 and 1 (or 0%% and "
                           "100%%), got %s",
                           c->text, val);
    return 0;
}

static int wants_upper(dcs_sel_op op)
{
    return op == DCS_SEL_LE || op == DCS_SEL_LT;
}

static int compare(double a, dcs_sel_op op, double v)
{
    switch (op) {
    case DCS_SEL_LE:
        return a <= v;
    case DCS_SEL_LT:
        return a < v;
    case DCS_SEL_GE:
        return a >= v;
    default:
        return a > v;
    }
}

int dcs_constraint_check(const dcs_constraint *c, const double *x, size_t n, double target,
                         double alpha, double *bound, int *holds, dcs_err *err)
{
    int upper = wants_upper(c->op);
    double *v = malloc((n + 1) * sizeof *v);
    if (v == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory checking '%s'", c->text);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]))
            v[m++] = x[i];
    double b = upper ? INFINITY : -INFINITY;
    if (c->stat == DCS_SEL_P_OVER) {
        if (!isfinite(target)) {
            free(v);
            return dcs_err_set(err, DCS_EINPUT,
                               "--subject-to '%s': the scenario sets no target for %s "
                               "(targets.deadline for makespan_h, targets.budget_usd for "
                               "cost_usd)",
                               c->text, c->metric);
        }
        size_t k = 0;
        for (size_t i = 0; i < m; i++)
            k += v[i] > target;
        /* Clopper-Pearson: the exact one-sided bounds of a binomial proportion. */
        if (m > 0 && upper)
            b = k == m ? 1.0 : gsl_cdf_beta_Pinv(1.0 - alpha, (double)k + 1.0, (double)(m - k));
        else if (m > 0)
            b = k == 0 ? 0.0 : gsl_cdf_beta_Pinv(alpha, (double)k, (double)(m - k) + 1.0);
    } else if (c->stat == DCS_SEL_MEAN) {
        if (m > 1) {
            double mean = 0.0, ss = 0.0;
            for (size_t i = 0; i < m; i++)
                mean += v[i];
            mean /= (double)m;
            for (size_t i = 0; i < m; i++)
                ss += (v[i] - mean) * (v[i] - mean);
            double half = gsl_cdf_tdist_Pinv(1.0 - alpha, (double)(m - 1)) *
                          sqrt(ss / (double)(m - 1)) / sqrt((double)m);
            b = upper ? mean + half : mean - half;
        }
    } else if (m > 0) {
        /* The j-th smallest value (1-based) is an upper bound of the
         * q-quantile with confidence P(Binomial(m, q) <= j - 1). */
        gsl_sort(v, 1, m);
        if (upper) {
            for (size_t j = 1; j <= m; j++)
                if (gsl_cdf_binomial_P((unsigned)(j - 1), c->q, (unsigned)m) >= 1.0 - alpha) {
                    b = v[j - 1];
                    break;
                }
        } else {
            for (size_t j = m; j >= 1; j--)
                if (gsl_cdf_binomial_P((unsigned)(j - 1), c->q, (unsigned)m) <= alpha) {
                    b = v[j - 1];
                    break;
                }
        }
    }
    free(v);
    *bound = b;
    *holds = compare(b, c->op, c->value);
    return 0;
}

/* Mean and standard deviation of the paired differences a - b over the
 * replications both ran; *n is their number. */
static void paired(const dcs_sel_sample *a, const dcs_sel_sample *b, double *mean, double *sd,
                   size_t *n)
{
    double s = 0.0, ss = 0.0, shift = NAN;
    size_t i = 0, j = 0, m = 0;
    while (i < a->n && j < b->n) {
        if (a->rep[i] < b->rep[j]) {
            i++;
        } else if (a->rep[i] > b->rep[j]) {
            j++;
        } else {
            double d = a->x[i] - b->x[j];
            i++;
            j++;
            if (!isfinite(d))
                continue;
            if (isnan(shift))
                shift = d; /* shifted sums: no cancellation for large, close values */
            s += d - shift;
            ss += (d - shift) * (d - shift);
            m++;
        }
    }
    *n = m;
    *mean = m > 0 ? shift + s / (double)m : (double)NAN;
    *sd = m > 1 ? sqrt(fmax(0.0, (ss - s * s / (double)m) / (double)(m - 1))) : (double)NAN;
}

static double sample_mean(const dcs_sel_sample *s)
{
    double sum = 0.0;
    size_t m = 0;
    for (size_t i = 0; i < s->n; i++)
        if (isfinite(s->x[i])) {
            sum += s->x[i];
            m++;
        }
    return m > 0 ? sum / (double)m : (double)NAN;
}

typedef struct ranked {
    double mean;
    size_t idx;
} ranked;

static int cmp_ranked(const void *p, const void *q)
{
    const ranked *a = p, *b = q;
    if (a->mean != b->mean)
        return a->mean < b->mean ? -1 : 1;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

/* The half-width w_ij for a pair: t(1 - alpha / (k - 1), n - 1) S / sqrt(n);
 * infinite when fewer than two pairs (nothing can be told apart). */
static double half_width(double sd, size_t n, double alpha, size_t k)
{
    if (n < 2 || !isfinite(sd))
        return INFINITY;
    return gsl_cdf_tdist_Pinv(1.0 - alpha / (double)(k - 1), (double)(n - 1)) * sd /
           sqrt((double)n);
}

int dcs_select_mcb(const dcs_sel_sample *s, size_t k, size_t ibest, int maximize, double alpha,
                   int *contender, double *gap_high, dcs_err *err)
{
    *gap_high = 0.0;
    for (size_t i = 0; i < k; i++)
        contender[i] = 1;
    if (k < 2)
        return 0;
    ranked *r = malloc(k * sizeof *r);
    if (r == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory comparing %zu points", k);
    double sign = maximize ? -1.0 : 1.0;
    for (size_t i = 0; i < k; i++) {
        double m = sign * sample_mean(&s[i]);
        r[i] = (ranked){isnan(m) ? (double)INFINITY : m, i};
        if (isnan(m) && i != ibest)
            contender[i] = 0; /* no finite value: it cannot be the best */
    }
    qsort(r, k, sizeof *r, cmp_ranked);
    for (size_t a = 0; a < k; a++) {
        size_t i = r[a].idx;
        if (i == ibest)
            continue;
        for (size_t b = 0; b < a; b++) {
            size_t j = r[b].idx;
            double md, sd;
            size_t n;
            paired(&s[i], &s[j], &md, &sd, &n);
            if (sign * md > half_width(sd, n, alpha, k)) {
                contender[i] = 0;
                break;
            }
        }
    }
    double gap = INFINITY;
    for (size_t j = 0; j < k; j++) {
        if (j == ibest)
            continue;
        double md, sd;
        size_t n;
        paired(&s[ibest], &s[j], &md, &sd, &n);
        double up = sign * md + half_width(sd, n, alpha, k);
        if (!isnan(up) && up < gap)
            gap = up;
    }
    *gap_high = gap > 0.0 ? gap : 0.0;
    free(r);
    return 0;
}

int dcs_select_mcb_rows(const double *point, const double *replication, const double *x,
                        size_t nrows, size_t npoints, int maximize, double alpha, int *contender,
                        size_t *ibest, dcs_err *err)
{
    size_t *count = calloc(npoints + 1, sizeof *count), *at = calloc(npoints + 1, sizeof *at);
    double *vals = malloc((nrows + 1) * sizeof *vals);
    int64_t *reps = malloc((nrows + 1) * sizeof *reps);
    dcs_sel_sample *s = calloc(npoints + 1, sizeof *s);
    int rc = 0;
    if (count == NULL || at == NULL || vals == NULL || reps == NULL || s == NULL) {
        rc = dcs_err_set(err, DCS_ENOMEM, "out of memory comparing %zu points", npoints);
        goto done;
    }
    for (size_t i = 0; i < nrows; i++)
        if (point[i] >= 0 && point[i] < (double)npoints)
            count[(size_t)point[i]]++;
    for (size_t p = 1; p < npoints; p++)
        at[p] = at[p - 1] + count[p - 1];
    for (size_t p = 0; p < npoints; p++)
        s[p] = (dcs_sel_sample){vals + at[p], reps + at[p], 0};
    for (size_t i = 0; i < nrows; i++) {
        if (!(point[i] >= 0 && point[i] < (double)npoints))
            continue;
        dcs_sel_sample *q = &s[(size_t)point[i]];
        vals[at[(size_t)point[i]] + q->n] = x[i];
        reps[at[(size_t)point[i]] + q->n] = (int64_t)replication[i];
        q->n++;
    }
    double best = NAN;
    *ibest = 0;
    for (size_t p = 0; p < npoints; p++) {
        double m = (maximize ? -1.0 : 1.0) * sample_mean(&s[p]);
        if (!isnan(m) && (isnan(best) || m < best)) {
            best = m;
            *ibest = p;
        }
    }
    double gap;
    rc = dcs_select_mcb(s, npoints, *ibest, maximize, alpha, contender, &gap, err);
done:
    free(count);
    free(at);
    free(vals);
    free(reps);
    free(s);
    return rc;
}
