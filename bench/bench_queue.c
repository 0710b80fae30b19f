/*
 * bench_queue.c - the classic HOLD benchmark for the pending-event set.
 *
 * Fill a queue with N events at exponential(1) times, then repeat M times:
 * pop the earliest event and push a new one at its time plus an
 * exponential(1) delay, so the queue size stays N. This is the access
 * pattern of a discrete-event simulation in steady state (Vaucher and
 * Duval 1975; Jones 1986). It is run three ways on the same delays:
 *   bare   - a plain array-based binary min-heap of {t, seq} written here,
 *            the cost floor for a heap ordered by (t, seq);
 *   queue  - dcs_queue_push/dcs_queue_pop (32-byte events, cancellation);
 *   engine - a one-kind model whose handler schedules the next event with
 *            dcs_engine_schedule, driven by dcs_engine_run.
 * The delays come from one pre-generated array, so generator cost is not
 * measured, and the three ways see exactly the same event times: the last
 * event time of each way is printed as a check that they did the same work.
 * Each figure is the median of 5 measurements of about 0.5 s each.
 * The requirement checked at the end: engine >= 80% of bare at
 * N = 10^4 and 10^5.
 */
#include "engine.h"
#include "queue.h"
#include "rng.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NDELAYS       (1u << 20) /* 8 MiB of delays, reused cyclically */
#define NREPS         5          /* measurements per figure; the median is reported */
#define REQUIRED_FRAC 0.80       /* engine / bare at N = 1e4 and 1e5 */

static double clock_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* --- (a) the bare heap ------------------------------------------------ */

typedef struct bare_item {
    double t;
    uint64_t seq;
} bare_item;

typedef struct bare_heap {
    bare_item *h;
    size_t n;
    size_t cap;
    uint64_t next_seq;
} bare_heap;

static inline int bare_before(bare_item a, bare_item b)
{
    return a.t < b.t || (a.t == b.t && a.seq < b.seq);
}

static void bare_push(bare_heap *q, double t)
{
    bare_item it = {t, q->next_seq++};
    size_t i = q->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!bare_before(it, q->h[p]))
            break;
        q->h[i] = q->h[p];
        i = p;
    }
    q->h[i] = it;
}

static bare_item bare_pop(bare_heap *q)
{
    bare_item top = q->h[0];
    bare_item last = q->h[--q->n];
    size_t n = q->n, i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && bare_before(q->h[c + 1], q->h[c]))
            c++;
        if (!bare_before(q->h[c], last))
            break;
        q->h[i] = q->h[c];
        i = c;
    }
    q->h[i] = last;
    return top;
}

/* --- the shared workload ---------------------------------------------- */

typedef struct workload {
    const double *delay; /* NDELAYS exponential(1) draws */
    size_t n;            /* pending events */
    uint64_t m;          /* hold operations per measurement */
} workload;

static double run_bare(const workload *w, bare_heap *q, double *last_t)
{
    q->n = 0;
    q->next_seq = 0;
    for (size_t i = 0; i < w->n; i++)
        bare_push(q, w->delay[i & (NDELAYS - 1)]);
    size_t k = w->n;
    double t = 0.0;
    double t0 = clock_s();
    for (uint64_t j = 0; j < w->m; j++) {
        t = bare_pop(q).t;
        bare_push(q, t + w->delay[k++ & (NDELAYS - 1)]);
    }
    double dt = clock_s() - t0;
    *last_t = t;
    return (double)w->m / dt;
}

static double run_queue(const workload *w, dcs_queue *q, double *last_t)
{
    dcs_queue_clear(q);
    for (size_t i = 0; i < w->n; i++)
        if (dcs_queue_push(q, w->delay[i & (NDELAYS - 1)], 0, 0, 0, NULL) != 0)
            return -1.0;
    size_t k = w->n;
    dcs_event ev = {0};
    double t0 = clock_s();
    for (uint64_t j = 0; j < w->m; j++) {
        dcs_queue_pop(q, &ev);
        if (dcs_queue_push(q, ev.t + w->delay[k++ & (NDELAYS - 1)], 0, 0, 0, NULL) != 0)
            return -1.0;
    }
    double dt = clock_s() - t0;
    *last_t = ev.t;
    return (double)w->m / dt;
}

/* --- (c) the engine: one model, one kind ------------------------------- */

typedef struct hold_state {
    const double *delay;
    size_t k;           /* next delay */
    uint64_t remaining; /* holds left in this measurement */
    double last_t;      /* time of the last event handled, s */
} hold_state;

static int hold_init(dcs_engine *eng, void *state, const void *config, dcs_err *err)
{
    hold_state *s = state;
    const workload *w = config;
    s->delay = w->delay;
    s->remaining = w->m;
    for (size_t i = 0; i < w->n; i++)
        if (dcs_engine_schedule(eng, w->delay[i & (NDELAYS - 1)], 0, 0, 0, NULL) != 0)
            return dcs_err_set(err, DCS_ENOMEM, "cannot fill the queue");
    s->k = w->n;
    return 0;
}

static int hold_event(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    (void)err;
    hold_state *s = state;
    s->last_t = ev->t;
    if (--s->remaining == 0)
        dcs_engine_stop(eng);
    return dcs_engine_schedule(eng, ev->t + s->delay[s->k++ & (NDELAYS - 1)], ev->kind, 0, 0, NULL);
}

static const char *const hold_kind_names[1] = {"hold.event"};
static dcs_handler_fn *const hold_handlers[1] = {hold_event};
static const dcs_model hold_model = {.name = "hold",
                                     .state_size = sizeof(hold_state),
                                     .init = hold_init,
                                     .nkinds = 1,
                                     .kind_names = hold_kind_names,
                                     .handlers = hold_handlers};

static double run_engine(const workload *w, dcs_engine *eng, double *last_t)
{
    dcs_err err;
    dcs_err_clear(&err);
    if (dcs_engine_reset(eng, 1, 0, &err) != 0)
        return -1.0;
    double t0 = clock_s();
    int rc = dcs_engine_run(eng, 1e300, &err);
    double dt = clock_s() - t0;
    if (rc != 0 || dcs_engine_events(eng) != w->m)
        return -1.0;
    *last_t = ((const hold_state *)dcs_engine_state(eng, &hold_model))->last_t;
    return (double)w->m / dt;
}

/* --- driver --------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *x, int n)
{
    qsort(x, (size_t)n, sizeof *x, cmp_double);
    return n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

static void usage(FILE *out)
{
    fprintf(out, "usage: bench_queue [--quick]\n"
                 "  HOLD benchmark: bare heap vs dcs_queue vs dcs_engine.\n"
                 "  --quick  short measurements (a smoke run; figures are noisy)\n");
}

int main(int argc, char **argv)
{
    double target_s = 0.5; /* per measurement: long enough to swamp timer noise */
    int reps = NREPS;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            target_s = 0.02;
            reps = 3;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }

    static const size_t sizes[] = {1000, 10000, 100000, 1000000};
    enum { NSIZES = sizeof sizes / sizeof sizes[0] };

    double *delay = malloc(NDELAYS * sizeof *delay);
    bare_heap bq = {0};
    bq.cap = sizes[NSIZES - 1];
    bq.h = malloc(bq.cap * sizeof *bq.h);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_queue q;
    if (delay == NULL || bq.h == NULL || dcs_queue_init(&q, sizes[NSIZES - 1], &err) != 0) {
        fprintf(stderr, "bench_queue: out of memory\n");
        return 1;
    }
    gsl_rng *r = dcs_rng_create(&err);
    if (r == NULL) {
        fprintf(stderr, "bench_queue: %s\n", err.msg);
        return 1;
    }
    dcs_rng_key(r, 2385, 0, 0);
    for (size_t i = 0; i < NDELAYS; i++)
        delay[i] = gsl_ran_exponential(r, 1.0);
    gsl_rng_free(r);

    printf("HOLD benchmark: pop the earliest of N pending events, push one at t + Exp(1).\n");
    printf("events/s, median of %d runs of ~%.2f s each%s\n\n", reps, target_s,
           target_s < 0.5 ? " (--quick: figures are noisy)" : "");
    printf("%9s %12s %12s %12s %13s  %s\n", "N", "bare ev/s", "queue ev/s", "engine ev/s",
           "engine/bare", "holds/run");

    int pass = 1;
    int status = 0;
    for (int s = 0; s < NSIZES; s++) {
        workload w = {.delay = delay, .n = sizes[s], .m = 100000};
        double last[3];
        /* Calibrate M on the bare heap, so one bare run takes ~target_s. */
        double rate = run_bare(&w, &bq, &last[0]);
        w.m = (uint64_t)(rate * target_s);
        if (w.m < 1000)
            w.m = 1000;

        dcs_engine *eng = dcs_engine_create(0, &err);
        if (eng == NULL || dcs_engine_add_model(eng, &hold_model, &w, NULL, &err) != 0) {
            fprintf(stderr, "bench_queue: %s\n", err.msg);
            return 1;
        }
        double rb[NREPS], rq[NREPS], re[NREPS];
        /* Interleave the three ways so drift in machine load hits all. */
        for (int k = 0; k < reps; k++) {
            rb[k] = run_bare(&w, &bq, &last[0]);
            rq[k] = run_queue(&w, &q, &last[1]);
            re[k] = run_engine(&w, eng, &last[2]);
            if (rq[k] < 0 || re[k] < 0) {
                fprintf(stderr, "bench_queue: a queue or engine run failed at N = %zu\n", w.n);
                return 1;
            }
        }
        dcs_engine_destroy(eng);
        if (last[0] != last[1] || last[0] != last[2]) {
            fprintf(stderr, "bench_queue: the three ways disagree at N = %zu (%.17g %.17g %.17g)\n",
                    w.n, last[0], last[1], last[2]);
            status = 1;
        }
        double mb = median(rb, reps), mq = median(rq, reps), me = median(re, reps);
        double ratio = me / mb;
        printf("%9zu %12.4g %12.4g %12.4g %12.1f%%  %llu\n", w.n, mb, mq, me, 100.0 * ratio,
               (unsigned long long)w.m);
        if ((w.n == 10000 || w.n == 100000) && ratio < REQUIRED_FRAC)
            pass = 0;
    }
    printf("\n%s: engine >= %.0f%% of the bare loop at N = 10^4 and 10^5%s\n",
           pass ? "PASS" : "FAIL", 100.0 * REQUIRED_FRAC,
           target_s < 0.5 ? " (quick run: indicative only)" : "");

    dcs_queue_fini(&q);
    free(bq.h);
    free(delay);
    return status;
}
