/*
 * runner.c - OpenMP replication runner with an ordered single writer.
 *
 * Work distribution is a shared atomic counter (equivalent to
 * schedule(dynamic, 1)): replications differ in length, and a static split
 * would leave a thread idle at the end. Finished results wait in a reorder
 * window of slots per thread (cfg.window_per_thread); the writer lock is taken
 * with omp_test_lock, so a thread that finds the writer busy goes straight
 * back to work instead of queueing behind it. The ready flags and the
 * emitted count are the only shared words written outside the lock; they
 * use OpenMP atomics with sequential consistency, which also orders the
 * plain writes to the result slots before the flag that publishes them.
 */
#include "runner.h"

#include "pages.h"

#include <omp.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Yields in a row while waiting for the window, before each wait sleeps
 * instead (on a loaded machine the thread that holds the window back may
 * be waiting for a core: yielding again and again only burns CPU). */
#define SPINS_BEFORE_SLEEP 16
#define WAIT_SLEEP_NS      50000

typedef struct shared {
    const dcs_runner_cfg *cfg;
    size_t window;
    unsigned char *slots; /* window * result_size bytes */
    int *ready;           /* window flags */
    uint64_t next_item;   /* next item to start (with fetch: its sequence number) */
    uint64_t *items;      /* with fetch: window item numbers, by slot */
    uint64_t range_next;  /* with fetch: the next item of the current range */
    uint64_t range_end;   /* with fetch: the end of the current range */
    int exhausted;        /* with fetch: no more ranges */
    uint64_t emitted;     /* results emitted so far */
    int failed;           /* an error or interrupt: start nothing new */
    int code;             /* first error code */
    dcs_err err;          /* first error */
    omp_lock_t writer;
} shared;

static void fail(shared *s, int code, const dcs_err *err)
{
#pragma omp critical(dcs_runner_fail)
    {
        if (s->code == 0) {
            s->code = code;
            if (err != NULL)
                s->err = *err;
        }
    }
#pragma omp atomic write seq_cst
    s->failed = 1;
}

/* Emits every ready result that is next in order. Caller holds the lock. */
static void drain(shared *s)
{
    const dcs_runner_cfg *cfg = s->cfg;
    for (;;) {
        uint64_t e;
#pragma omp atomic read seq_cst
        e = s->emitted;
        size_t slot = (size_t)(e % s->window);
        int r;
#pragma omp atomic read seq_cst
        r = s->ready[slot];
        if (!r || (cfg->fetch == NULL && e >= cfg->nitems))
            return;
        int failed;
#pragma omp atomic read seq_cst
        failed = s->failed;
        if (failed && s->code != DCS_EINTR && s->code != 0)
            return;
        dcs_err err;
        dcs_err_clear(&err);
        uint64_t item = cfg->fetch != NULL ? s->items[slot] : e;
        int rc = cfg->emit(cfg->ctx, item, s->slots + slot * cfg->result_size, &err);
        /* Emitted, or owned by emit after a failure: never discarded. */
#pragma omp atomic write seq_cst
        s->ready[slot] = 0;
        if (rc != 0) {
            fail(s, rc, &err);
            return;
        }
#pragma omp atomic write seq_cst
        s->emitted = e + 1;
        if (cfg->progress != NULL)
            dcs_progress_update(cfg->progress, e + 1);
    }
}

static void try_drain(shared *s)
{
    if (omp_test_lock(&s->writer)) {
        drain(s);
        omp_unset_lock(&s->writer);
    }
}

/* With fetch: takes the next item and its sequence number, fetching a new
 * range when the current one is used up. Returns 0, or -1 when there are
 * no more items (or the fetch failed, which fails the run). */
static int take(shared *s, uint64_t *seq, uint64_t *item)
{
    const dcs_runner_cfg *cfg = s->cfg;
    int got = 0;
    dcs_err err;
    dcs_err_clear(&err);
    int rc = 0;
#pragma omp critical(dcs_runner_take)
    {
        if (!s->exhausted && s->range_next == s->range_end) {
            uint64_t first = 0, count = 0;
            rc = cfg->fetch(cfg->ctx, &first, &count, &err);
            if (rc != 0 || count == 0)
                s->exhausted = 1;
            else {
                s->range_next = first;
                s->range_end = first + count;
            }
        }
        if (!s->exhausted) {
            *seq = s->next_item++;
            *item = s->range_next++;
            got = 1;
        }
    }
    if (rc != 0)
        fail(s, rc, &err);
    return got ? 0 : -1;
}

/* A thread's engine, with the run's interrupt flag; NULL after fail(). */
static dcs_engine *thread_engine(shared *s)
{
    const dcs_runner_cfg *cfg = s->cfg;
    dcs_err err;
    dcs_err_clear(&err);
    dcs_engine *eng = cfg->engine_create(cfg->ctx, &err);
    if (eng == NULL) {
        fail(s, err.code ? err.code : DCS_ENOMEM, &err);
        return NULL;
    }
    if (cfg->interrupt != NULL)
        dcs_engine_set_interrupt(eng, cfg->interrupt);
    return eng;
}

static void worker(shared *s)
{
    const dcs_runner_cfg *cfg = s->cfg;
    dcs_err err;
    dcs_engine *eng = thread_engine(s);
    if (eng == NULL)
        return;
    for (;;) {
        int failed;
#pragma omp atomic read seq_cst
        failed = s->failed;
        if (failed)
            break;
        if (cfg->interrupt != NULL && *cfg->interrupt) {
            fail(s, DCS_EINTR, NULL);
            break;
        }
        uint64_t seq, item;
        if (cfg->fetch == NULL) {
#pragma omp atomic capture seq_cst
            seq = s->next_item++;
            if (seq >= cfg->nitems)
                break;
            item = seq;
        } else if (take(s, &seq, &item) != 0) {
            break;
        }
        /* Wait until the item's slot has been emitted (the window bound). */
        for (unsigned spins = 0;; spins++) {
            uint64_t e;
#pragma omp atomic read seq_cst
            e = s->emitted;
            if (seq < e + s->window)
                break;
#pragma omp atomic read seq_cst
            failed = s->failed;
            if (failed)
                break;
            try_drain(s);
            if (spins < SPINS_BEFORE_SLEEP) {
                sched_yield();
            } else {
                struct timespec ts = {0, WAIT_SLEEP_NS};
                nanosleep(&ts, NULL);
            }
        }
        if (failed)
            break;
        size_t slot = (size_t)(seq % s->window);
        if (s->items != NULL)
            s->items[slot] = item; /* published by the ready flag below */
        void *res = s->slots + slot * cfg->result_size;
        memset(res, 0, cfg->result_size);
        dcs_err_clear(&err);
        int rc = cfg->run_item(cfg->ctx, eng, item, res, &err);
        if (rc != 0) {
            if (cfg->discard != NULL)
                cfg->discard(cfg->ctx, res);
            fail(s, rc, &err);
            break;
        }
#pragma omp atomic write seq_cst
        s->ready[slot] = 1;
        try_drain(s);
    }
    dcs_engine_destroy(eng);
}

/* The runner of one thread without a fetch: each item run into the one
 * slot and emitted at once, in order, with none of the atomics, the lock
 * or the parallel region that threads need (~1 % of a Daly-style
 * replication of ~5 us). The same calls in the same order as worker and
 * drain make with one thread. */
static void serial(shared *s)
{
    const dcs_runner_cfg *cfg = s->cfg;
    dcs_err err;
    dcs_engine *eng = thread_engine(s);
    if (eng == NULL)
        return;
    for (uint64_t item = 0; item < cfg->nitems; item++) {
        if (cfg->interrupt != NULL && *cfg->interrupt) {
            fail(s, DCS_EINTR, NULL);
            break;
        }
        memset(s->slots, 0, cfg->result_size);
        dcs_err_clear(&err);
        int rc = cfg->run_item(cfg->ctx, eng, item, s->slots, &err);
        if (rc == 0) {
            dcs_err_clear(&err);
            rc = cfg->emit(cfg->ctx, item, s->slots, &err); /* owns the result from now */
        } else if (cfg->discard != NULL) {
            cfg->discard(cfg->ctx, s->slots);
        }
        if (rc != 0) {
            fail(s, rc, &err);
            break;
        }
        s->emitted = item + 1;
        if (cfg->progress != NULL)
            dcs_progress_update(cfg->progress, item + 1);
    }
    dcs_engine_destroy(eng);
}

/* Frees the window's slots, bytes long (dcs_runner_run). */
static void free_slots(shared *s, size_t bytes)
{
    if (s->window == 1)
        free(s->slots);
    else
        dcs_pages_free(s->slots, bytes);
}

int dcs_runner_run(const dcs_runner_cfg *cfg, uint64_t *nemitted, dcs_err *err)
{
    shared s;
    memset(&s, 0, sizeof s);
    s.cfg = cfg;
    int nthreads = cfg->nthreads > 0 ? cfg->nthreads : 1;
    /* A thread without an item would build an engine for nothing and then
     * spin at the end of the parallel region while the others work. */
    if (cfg->fetch == NULL && cfg->nitems < (uint64_t)nthreads)
        nthreads = cfg->nitems > 0 ? (int)cfg->nitems : 1;
    size_t per = cfg->window_per_thread ? cfg->window_per_thread : DCS_RUNNER_WINDOW_PER_THREAD;
    /* One thread emits each result as soon as it is finished (serial):
     * one slot, used again and again, stays in cache (a window of 256
     * results of ~1.5 KB each took ~100 page faults to fill once). */
    s.window = nthreads == 1 ? 1 : (size_t)nthreads * per;
    /* A slot is cleared before each use. A wider window (512 slots of
     * ~1.5 KB with two threads) goes apart from the heap (pages.h): calloc
     * cleared it before the threads started, in a fresh huge page of the
     * heap, which now and then took the kernel milliseconds of compaction
     * to find; there each page is cleared when a thread first uses it. */
    const size_t size = cfg->result_size ? cfg->result_size : 1;
    const size_t slots_bytes = s.window <= SIZE_MAX / size ? s.window * size : 0;
    if (slots_bytes > 0)
        s.slots = s.window == 1 ? calloc(1, size) : dcs_pages_alloc(slots_bytes);
    s.ready = calloc(s.window, sizeof *s.ready);
    if (cfg->fetch != NULL)
        s.items = calloc(s.window, sizeof *s.items);
    if (s.slots == NULL || s.ready == NULL || (cfg->fetch != NULL && s.items == NULL)) {
        free_slots(&s, slots_bytes);
        free(s.ready);
        free(s.items);
        *nemitted = 0;
        return dcs_err_set(err, DCS_ENOMEM, "cannot allocate the runner's reorder window");
    }
    omp_init_lock(&s.writer);
    if (cfg->progress != NULL)
        dcs_progress_update(cfg->progress, 0);

    if (nthreads == 1 && cfg->fetch == NULL) {
        serial(&s);
    } else {
#pragma omp parallel num_threads(nthreads)
        worker(&s);
    }

    /* Every thread has stopped: emit what is left of the finished prefix,
     * and release the results that will never be emitted. */
    omp_set_lock(&s.writer);
    drain(&s);
    omp_unset_lock(&s.writer);
    omp_destroy_lock(&s.writer);
    for (size_t i = 0; i < s.window && cfg->discard != NULL; i++)
        if (s.ready[i])
            cfg->discard(cfg->ctx, s.slots + i * cfg->result_size);

    *nemitted = s.emitted;
    free_slots(&s, slots_bytes);
    free(s.ready);
    free(s.items);
    if (s.code != 0) {
        if (err != NULL && err->msg[0] == '\0') {
            *err = s.err;
            if (err->code == 0)
                err->code = s.code;
            if (s.code == DCS_EINTR && err->msg[0] == '\0')
                dcs_err_set(err, DCS_EINTR, "interrupted");
        }
        return s.code;
    }
    return 0;
}
