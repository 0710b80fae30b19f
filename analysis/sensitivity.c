/*
 * sensitivity.c - first-order sensitivity indices from the replications
 * (sensitivity.h).
 */
#include "sensitivity.h"

#include "rng.h"

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The bins of one input: bin[i] of row i, nbins of them. */
typedef struct binning {
    int *bin;
    int nbins;
} binning;

/* Sorts row indices by x (ties by index). */
static const double *sort_x;
static int by_x(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    double u = sort_x[i], v = sort_x[j];
    if (u != v)
        return u < v ? -1 : 1;
    return (i > j) - (i < j);
}

/* Bins rows 0..m-1 by x: one bin per distinct value when there are at most
 * M, else M bins of (nearly) equal count in x order. */
static void make_bins(const double *x, size_t m, size_t *order, binning *b)
{
    int M = (int)lround(sqrt((double)m));
    if (M < 2)
        M = 2;
    for (size_t i = 0; i < m; i++)
        order[i] = i;
    sort_x = x;
    qsort(order, m, sizeof *order, by_x);
    int distinct = 1;
    for (size_t p = 1; p < m; p++)
        distinct += x[order[p]] != x[order[p - 1]];
    if (distinct <= M) {
        int id = 0;
        for (size_t p = 0; p < m; p++) {
            if (p > 0 && x[order[p]] != x[order[p - 1]])
                id++;
            b->bin[order[p]] = id;
        }
        b->nbins = distinct;
        return;
    }
    for (size_t p = 0; p < m; p++)
        b->bin[order[p]] = (int)(p * (size_t)M / m);
    b->nbins = M;
}

/* Kelley's bias-corrected correlation ratio of y on the bins, rows weighted
 * by w (bootstrap multiplicities; NULL: 1 each). sum/cnt: scratch of nbins. */
static double eps2(const double *y, const double *w, size_t m, const binning *b, double *sum,
                   double *cnt)
{
    double n = 0.0, sy = 0.0;
    for (int j = 0; j < b->nbins; j++)
        sum[j] = cnt[j] = 0.0;
    for (size_t i = 0; i < m; i++) {
        double wi = w != NULL ? w[i] : 1.0;
        n += wi;
        sy += wi * y[i];
        sum[b->bin[i]] += wi * y[i];
        cnt[b->bin[i]] += wi;
    }
    double mean = sy / n, sst = 0.0, ssb = 0.0;
    for (size_t i = 0; i < m; i++) {
        double wi = w != NULL ? w[i] : 1.0;
        sst += wi * (y[i] - mean) * (y[i] - mean);
    }
    int used = 0;
    for (int j = 0; j < b->nbins; j++) {
        if (cnt[j] <= 0.0)
            continue;
        double mj = sum[j] / cnt[j];
        ssb += cnt[j] * (mj - mean) * (mj - mean);
        used++;
    }
    if (!(sst > 0.0) || n - used <= 0.0)
        return (double)NAN;
    double ssw = sst - ssb;
    if (ssw < 0.0)
        ssw = 0.0;
    return (ssb - (double)(used - 1) * ssw / (n - (double)used)) / sst;
}

int dcs_sens_first_order(const double *x, size_t k, const double *y, size_t n, double *s,
                         double *lo, double *hi, size_t *used, dcs_err *err)
{
    for (size_t j = 0; j <= k; j++)
        s[j] = lo[j] = hi[j] = (double)NAN;
    *used = 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        int ok = isfinite(y[i]);
        for (size_t j = 0; ok && j < k; j++)
            ok = isfinite(x[j * n + i]);
        m += ok;
    }
    *used = m;
    if (m < DCS_SENS_MIN_N)
        return 0;
    double *xc = malloc((k * m + 1) * sizeof *xc), *yc = malloc(m * sizeof *yc);
    double *w = malloc(m * sizeof *w), *boot = malloc((k + 1) * DCS_SENS_BOOT * sizeof *boot);
    double *sum = malloc((m + 1) * sizeof *sum), *cnt = malloc((m + 1) * sizeof *cnt);
    size_t *order = malloc(m * sizeof *order);
    int *bins = malloc((k * m + 1) * sizeof *bins);
    binning *bs = malloc((k + 1) * sizeof *bs);
    gsl_rng *r = NULL;
    int rc = 0;
    if (xc == NULL || yc == NULL || w == NULL || boot == NULL || sum == NULL || cnt == NULL ||
        order == NULL || bins == NULL || bs == NULL) {
        rc = dcs_err_set(err, DCS_ENOMEM, "out of memory for the sensitivity indices");
        goto out;
    }
    if ((r = dcs_rng_create(err)) == NULL) {
        rc = err->code;
        goto out;
    }
    for (size_t i = 0, c = 0; i < n; i++) {
        int ok = isfinite(y[i]);
        for (size_t j = 0; ok && j < k; j++)
            ok = isfinite(x[j * n + i]);
        if (!ok)
            continue;
        yc[c] = y[i];
        for (size_t j = 0; j < k; j++)
            xc[j * m + c] = x[j * n + i];
        c++;
    }
    int varies = 0;
    for (size_t i = 0; i < m; i++)
        varies |= yc[i] != yc[0];
    if (!varies)
        goto out;
    double total = 0.0;
    for (size_t j = 0; j < k; j++) {
        bs[j].bin = bins + j * m;
        make_bins(xc + j * m, m, order, &bs[j]);
        s[j] = eps2(yc, NULL, m, &bs[j], sum, cnt);
        total += s[j];
    }
    s[k] = 1.0 - total;
    /* The bootstrap: the same resamples for every input and the rest. */
    dcs_rng_key(r, DCS_SENS_SEED, 0, 0);
    for (int b = 0; b < DCS_SENS_BOOT; b++) {
        memset(w, 0, m * sizeof *w);
        for (size_t i = 0; i < m; i++)
            w[gsl_rng_uniform_int(r, (unsigned long)m)] += 1.0;
        double t = 0.0;
        for (size_t j = 0; j < k; j++) {
            double v = eps2(yc, w, m, &bs[j], sum, cnt);
            boot[j * DCS_SENS_BOOT + (size_t)b] = v;
            t += v;
        }
        boot[k * DCS_SENS_BOOT + (size_t)b] = 1.0 - t;
    }
    for (size_t j = 0; j <= k; j++) {
        double *v = boot + j * DCS_SENS_BOOT;
        size_t nv = 0;
        for (size_t b = 0; b < DCS_SENS_BOOT; b++)
            if (isfinite(v[b]))
                v[nv++] = v[b];
        if (nv < 2)
            continue;
        gsl_sort(v, 1, nv);
        /* the percentile interval less the bootstrap's estimate of the
         * bias, mean(resampled) - S: a resample's repeated rows fall in
         * the same bin and make the bins look apart, which biases the
         * resampled estimates up (Efron and Tibshirani 1993, sec. 10.2) */
        double bias = gsl_stats_mean(v, 1, nv) - s[j];
        lo[j] = gsl_stats_quantile_from_sorted_data(v, 1, nv, 0.025) - bias;
        hi[j] = gsl_stats_quantile_from_sorted_data(v, 1, nv, 0.975) - bias;
    }
out:
    if (r != NULL)
        gsl_rng_free(r);
    free(xc);
    free(yc);
    free(w);
    free(boot);
    free(sum);
    free(cnt);
    free(order);
    free(bins);
    free(bs);
    return rc;
}

static const dcs_column sens_cols[] = {
    {"point", "", DCS_COL_I64, "sweep point index (0 for a single scenario)"},
    {"metric", "", DCS_COL_STR, "the /summary column explained: cost_usd or makespan_h"},
    {"input", "", DCS_COL_STR,
     "the uncertain input's key path (its /summary column is input.<key path>), or \"(rest)\": "
     "the simulation's own noise and interactions between inputs, 1 - the sum of the indices"},
    {"first_order", "1", DCS_COL_F64,
     "first-order sensitivity index: the share of the metric's variance the input explains "
     "alone (Var(E[metric | input]) / Var(metric))"},
    {"ci95_low", "1", DCS_COL_F64, "2.5 % bootstrap percentile of first_order"},
    {"ci95_high", "1", DCS_COL_F64, "97.5 % bootstrap percentile of first_order"},
    {"n", "", DCS_COL_I64, "replications used (finite metric and inputs)"},
};
#define NSENS (sizeof sens_cols / sizeof sens_cols[0])

int dcs_sensitivity_write(dcs_h5file *f, dcs_h5table *summary, dcs_err *err)
{
    static const char *const metrics[] = {"cost_usd", "makespan_h"};
    size_t ncols = dcs_h5_table_ncols(summary), k = 0;
    size_t nrows = (size_t)dcs_h5_table_rows(summary);
    for (size_t j = 0; j < ncols; j++)
        k += strncmp(dcs_h5_table_col(summary, j)->name, "input.", 6) == 0;
    if (k == 0)
        return 0;
    size_t nc = k + 3, *cols = malloc(nc * sizeof *cols);
    double *data = malloc((nc * nrows + 1) * sizeof *data);
    double *x = malloc((k * nrows + 1) * sizeof *x), *y = malloc((nrows + 1) * sizeof *y);
    double *s = malloc((k + 1) * 3 * sizeof *s);
    int rc = 0;
    if (cols == NULL || data == NULL || x == NULL || y == NULL || s == NULL) {
        rc = dcs_err_set(err, DCS_ENOMEM, "out of memory for the sensitivity indices");
        goto out;
    }
    long pcol = dcs_h5_table_find(summary, "point");
    long mcol[2] = {dcs_h5_table_find(summary, metrics[0]), dcs_h5_table_find(summary, metrics[1])};
    size_t c = 0;
    for (size_t j = 0; j < ncols; j++)
        if (strncmp(dcs_h5_table_col(summary, j)->name, "input.", 6) == 0)
            cols[c++] = j;
    cols[c++] = pcol >= 0 ? (size_t)pcol : cols[0];
    cols[c++] = mcol[0] >= 0 ? (size_t)mcol[0] : cols[0];
    cols[c++] = mcol[1] >= 0 ? (size_t)mcol[1] : cols[0];
    if (nrows > 0 && (rc = dcs_h5_table_read_cols(summary, cols, nc, data, nrows, err)) != 0)
        goto out;
    const double *pt = data + k * nrows;
    dcs_h5table_opts o = dcs_h5table_defaults;
    o.str_len = 160;
    dcs_h5table *t = dcs_h5_table_create_opts(
        f, "sensitivity",
        "what drives the spread: first-order sensitivity index of cost_usd and makespan_h for "
        "every uncertain input, and the rest (noise and interactions), per point",
        sens_cols, NSENS, &o, err);
    if (t == NULL) {
        rc = err->code != 0 ? err->code : DCS_EHDF5;
        goto out;
    }
    /* the points in ascending order: the next point above the last one done */
    double last = -INFINITY;
    for (;;) {
        double p = INFINITY;
        for (size_t i = 0; i < nrows; i++) {
            double v = pcol >= 0 ? pt[i] : 0.0;
            if (v > last && v < p)
                p = v;
        }
        if (!isfinite(p))
            break;
        last = p;
        size_t m = 0;
        for (size_t i = 0; i < nrows; i++)
            if ((pcol >= 0 ? pt[i] : 0.0) == p)
                m++;
        for (int mi = 0; mi < 2; mi++) {
            if (mcol[mi] < 0)
                continue;
            const double *my = data + (k + 1 + (size_t)mi) * nrows;
            size_t r = 0;
            for (size_t i = 0; i < nrows; i++) {
                if ((pcol >= 0 ? pt[i] : 0.0) != p)
                    continue;
                y[r] = my[i];
                for (size_t j = 0; j < k; j++)
                    x[j * m + r] = data[j * nrows + i];
                r++;
            }
            size_t used = 0;
            double *sv = s, *lo = s + k + 1, *hi = s + 2 * (k + 1);
            if ((rc = dcs_sens_first_order(x, k, y, m, sv, lo, hi, &used, err)) != 0)
                goto out;
            for (size_t j = 0; j <= k; j++) {
                dcs_cell cell[NSENS];
                cell[0].i = (int64_t)p;
                cell[1].s = metrics[mi];
                cell[2].s = j < k ? dcs_h5_table_col(summary, cols[j])->name + 6 : DCS_SENS_REST;
                cell[3].f = sv[j];
                cell[4].f = lo[j];
                cell[5].f = hi[j];
                cell[6].i = (int64_t)used;
                if ((rc = dcs_h5_table_append(t, cell, err)) != 0)
                    goto out;
            }
        }
    }
    rc = dcs_h5_table_flush(t, err);
out:
    free(cols);
    free(data);
    free(x);
    free(y);
    free(s);
    return rc;
}
