/*
 * hindcast.c - the market's simulated paths against an observed price series (hindcast.h).
 */
#include "hindcast.h"

#include "market.h"
#include "rng.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Days from 1970-01-01 to the first day of `month` (year * 12 + month - 1): the civil
 * calendar's day count (H. Hinnant's days_from_civil, with the day 1). */
static double month_start_day(int month)
{
    long y = month / 12, m = month % 12 + 1;
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (double)(era * 146097 + doe - 719468);
}

/* The step range [*k0, *k1) of the month's market steps in the run (t = k h since the start). */
static void month_steps(int month, double start_s, double h, int64_t *k0, int64_t *k1)
{
    double a = month_start_day(month) * 86400.0 - start_s;
    double b = month_start_day(month + 1) * 86400.0 - start_s;
    *k0 = a <= 0.0 ? 0 : (int64_t)ceil(a / h);
    *k1 = b <= 0.0 ? 0 : (int64_t)ceil(b / h);
}

/* The streams of the market's types, keyed for replication rep. */
typedef struct streams {
    int n;
    gsl_rng *noise[DCS_MAX_MARKET_TYPES], *lead[DCS_MAX_MARKET_TYPES], *jump[DCS_MAX_MARKET_TYPES];
} streams;

static void streams_free(streams *st)
{
    for (int i = 0; i < st->n; i++) {
        gsl_rng_free(st->noise[i]);
        gsl_rng_free(st->lead[i]);
        gsl_rng_free(st->jump[i]);
    }
}

static int streams_make(streams *st, int n, dcs_err *err)
{
    memset(st, 0, sizeof *st);
    for (st->n = 0; st->n < n; st->n++) {
        int i = st->n;
        st->noise[i] = dcs_rng_create(err);
        st->lead[i] = dcs_rng_create(err);
        st->jump[i] = dcs_rng_create(err);
        if (st->noise[i] == NULL || st->lead[i] == NULL || st->jump[i] == NULL) {
            st->n++;
            streams_free(st);
            return DCS_ENOMEM;
        }
    }
    return 0;
}

/* One replication: each row's mean price over its month into v[row * reps + rep]. */
static int one_path(const dcs_market_links *p, streams *st, uint64_t seed, int64_t rep,
                    int64_t reps, const dcs_hindcast *h, const int64_t *k0, const int64_t *k1,
                    int64_t nsteps, double *v, dcs_err *err)
{
    for (int i = 0; i < p->n; i++) {
        dcs_rng_key(st->noise[i], seed, (uint64_t)rep, p->s_noise[i]);
        dcs_rng_key(st->lead[i], seed, (uint64_t)rep, p->s_lead[i]);
        dcs_rng_key(st->jump[i], seed, (uint64_t)rep, p->s_jump[i]);
    }
    dcs_market_set set;
    memset(&set, 0, sizeof set);
    int rc = dcs_market_set_start(&set, p, st->noise, err);
    if (rc != 0)
        return rc;
    double sum[DCS_OBSERVED_MAX] = {0};
    for (int64_t k = 0; k < nsteps; k++) {
        if (k > 0)
            dcs_market_set_step(&set, st->noise, st->lead, st->jump);
        for (int r = 0; r < h->nrows; r++)
            if (k >= k0[r] && k < k1[r])
                sum[r] += set.m[h->rows[r].type].now.price;
    }
    dcs_market_set_free(&set);
    for (int r = 0; r < h->nrows; r++)
        v[(int64_t)r * reps + rep] = k1[r] > k0[r] ? sum[r] / (double)(k1[r] - k0[r]) : (double)NAN;
    return 0;
}

/* The rows' percentiles and the figures of fit. */
static void summarize(dcs_hindcast *h, double *v, int64_t reps)
{
    double err[DCS_OBSERVED_MAX];
    int n = 0, inside = 0;
    for (int r = 0; r < h->nrows; r++) {
        dcs_hindcast_row *row = &h->rows[r];
        if (!row->simulated)
            continue;
        double *x = v + (int64_t)r * reps;
        gsl_sort(x, 1, (size_t)reps);
        row->median = gsl_stats_quantile_from_sorted_data(x, 1, (size_t)reps, 0.5);
        row->p05 = gsl_stats_quantile_from_sorted_data(x, 1, (size_t)reps, 0.05);
        row->p95 = gsl_stats_quantile_from_sorted_data(x, 1, (size_t)reps, 0.95);
        if (!row->published)
            continue;
        err[n++] = fabs(log(row->observed / row->median));
        inside += row->p05 <= row->observed && row->observed <= row->p95;
    }
    h->npublished = n;
    gsl_sort(err, 1, (size_t)n);
    h->median_abs_log_error = gsl_stats_median_from_sorted_data(err, 1, (size_t)n);
    h->coverage = (double)inside / (double)n;
}

/* The rows of the series, their step ranges, and the steps to take. */
static int64_t set_rows(const dcs_scenario *s, double step_s, dcs_hindcast *h, int64_t *k0,
                        int64_t *k1)
{
    const dcs_observed *o = &s->observed;
    int64_t nsteps = 1;
    h->nrows = o->n;
    for (int r = 0; r < o->n; r++) {
        dcs_hindcast_row *row = &h->rows[r];
        *row = (dcs_hindcast_row){.type = o->type[r],
                                  .month = o->month[r],
                                  .observed = o->price[r],
                                  .published = o->published[r],
                                  .median = (double)NAN,
                                  .p05 = (double)NAN,
                                  .p95 = (double)NAN};
        month_steps(o->month[r], s->sim.start_s, step_s, &k0[r], &k1[r]);
        row->simulated = k1[r] > k0[r];
        if (k1[r] > nsteps)
            nsteps = k1[r];
        h->npublished += row->simulated && row->published;
    }
    return nsteps;
}

int dcs_hindcast_run(const dcs_scenario *s, uint64_t seed, int64_t replications, dcs_hindcast *out,
                     dcs_err *err)
{
    memset(out, 0, sizeof *out);
    if (!s->market.on || s->observed.n == 0)
        return dcs_err_set(err, DCS_EINPUT,
                           "a hindcast needs a market with an observed series (market.observed)");
    if (replications < 1)
        return dcs_err_set(err, DCS_EINPUT, "a hindcast needs at least one replication");
    int64_t k0[DCS_OBSERVED_MAX], k1[DCS_OBSERVED_MAX];
    int64_t nsteps = set_rows(s, s->market.step_s, out, k0, k1);
    if (out->npublished == 0)
        return dcs_err_set(err, DCS_EINPUT,
                           "the series has no published month from simulation.start on");
    dcs_market_links *p = malloc(sizeof *p);
    double *v = malloc(sizeof *v * (size_t)out->nrows * (size_t)replications);
    streams st = {0};
    int rc = p == NULL || v == NULL ? dcs_err_set(err, DCS_ENOMEM, "out of memory") : 0;
    if (rc == 0)
        rc = dcs_market_links_init(p, s, err);
    if (rc == 0)
        rc = streams_make(&st, p->n, err);
    for (int64_t rep = 0; rc == 0 && rep < replications; rep++)
        rc = one_path(p, &st, seed, rep, replications, out, k0, k1, nsteps, v, err);
    if (rc == 0)
        summarize(out, v, replications);
    streams_free(&st);
    free(v);
    free(p);
    return rc;
}
