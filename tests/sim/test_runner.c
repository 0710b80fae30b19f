/*
 * test_runner.c - the OpenMP replication runner (sim/runner.c).
 *
 * Each work item resets a small engine to replication `item`, runs a model
 * whose events draw from two streams, and writes what it saw into the
 * result. The expected result of every item is computed beforehand on one
 * engine in a plain loop, so an emitted result is checked exactly. The
 * runner is checked by comparison (H7): results in item order, the same
 * bytes with 1, 2 and 4 threads, a correct prefix on error and on
 * interrupt. emit counts how many calls are inside it at once; the count
 * must never exceed one.
 */
#include "engine.h"
#include "runner.h"

#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

TestSuite(runner, .timeout = 60);

/* --- the model: a renewal process per unit, with exponential gaps ---- */

enum { NUNITS = 3, NSTREAMS = 2 };

typedef struct rw_state {
    uint64_t nevents;
    double sum_t;  /* sum of event times, s */
    uint64_t hash; /* order-sensitive hash of (unit, draw) */
} rw_state;

static int rw_init(dcs_engine *eng, void *state, const void *config, dcs_err *err)
{
    (void)state;
    (void)config;
    (void)err;
    for (uint32_t u = 0; u < NUNITS; u++) {
        double t = gsl_ran_exponential(dcs_engine_rng(eng, 0), 2.385);
        int rc = dcs_engine_schedule(eng, t, 0, u, 0, NULL);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int rw_event(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    (void)err;
    rw_state *s = state;
    unsigned long x = gsl_rng_get(dcs_engine_rng(eng, 1));
    s->nevents++;
    s->sum_t += ev->t;
    s->hash = (s->hash ^ (ev->unit + 31u * x)) * UINT64_C(0x100000001b3);
    double gap = gsl_ran_exponential(dcs_engine_rng(eng, 0), 2.385);
    return dcs_engine_schedule(eng, ev->t + gap, 0, ev->unit, 0, NULL);
}

static const char *const rw_kind_names[1] = {"rw.event"};
static dcs_handler_fn *const rw_handlers[1] = {rw_event};
static const dcs_model rw_model = {.name = "rw",
                                   .state_size = sizeof(rw_state),
                                   .init = rw_init,
                                   .nkinds = 1,
                                   .kind_names = rw_kind_names,
                                   .handlers = rw_handlers};

/* --- the runner's callbacks ------------------------------------------ */

typedef struct result {
    uint64_t item;
    uint64_t nevents;
    double sum_t;
    uint64_t hash;
    unsigned long tail[2]; /* one more draw from each stream after the run */
} result;

enum { MAXITEMS = 512, NO_ITEM = UINT64_MAX };

typedef struct ctx {
    /* read-only during a run */
    uint64_t seed;
    uint64_t fail_at;      /* run_item fails on this item */
    uint64_t interrupt_at; /* run_item raises *flag on this item */
    uint64_t slow_item;    /* run_item sleeps 200 ms on this item */
    uint64_t emit_fail_at; /* emit fails on this item */
    volatile sig_atomic_t *flag;
    /* written by emit only (one call at a time) */
    result out[MAXITEMS];
    uint64_t nemit_calls;
    int out_of_order;
    atomic_int in_emit;
    atomic_int overlap;    /* emits found another emit running */
    atomic_int started;    /* run_item calls */
    atomic_int discards;   /* discard calls */
    atomic_int after_flag; /* run_item calls that found *flag raised */
} ctx;

static dcs_engine *make_engine(void *vctx, dcs_err *err)
{
    (void)vctx;
    dcs_engine *eng = dcs_engine_create(NSTREAMS, err);
    if (eng == NULL)
        return NULL;
    if (dcs_engine_add_model(eng, &rw_model, NULL, NULL, err) != 0) {
        dcs_engine_destroy(eng);
        return NULL;
    }
    return eng;
}

static atomic_int engines_made;

static dcs_engine *make_counted_engine(void *vctx, dcs_err *err)
{
    atomic_fetch_add(&engines_made, 1);
    return make_engine(vctx, err);
}

static dcs_engine *make_no_engine(void *vctx, dcs_err *err)
{
    (void)vctx;
    dcs_err_set(err, DCS_ENOMEM, "no engine today");
    return NULL;
}

/* Runs replication `item` to t = 50 s; 20 to 100 events, far below the
 * engine's interrupt poll period, so only the runner sees the flag. */
static int compute(dcs_engine *eng, uint64_t seed, uint64_t item, result *r, dcs_err *err)
{
    int rc = dcs_engine_reset(eng, seed, item, err);
    if (rc == 0)
        rc = dcs_engine_run(eng, 50.0, err);
    if (rc != 0)
        return rc;
    const rw_state *s = dcs_engine_state(eng, &rw_model);
    r->item = item;
    r->nevents = s->nevents;
    r->sum_t = s->sum_t;
    r->hash = s->hash;
    r->tail[0] = gsl_rng_get(dcs_engine_rng(eng, 0));
    r->tail[1] = gsl_rng_get(dcs_engine_rng(eng, 1));
    return 0;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int run_item(void *vctx, dcs_engine *eng, uint64_t item, void *res, dcs_err *err)
{
    ctx *c = vctx; /* read-only but for the started count */
    atomic_fetch_add(&c->started, 1);
    if (c->flag != NULL && *c->flag)
        atomic_fetch_add(&c->after_flag, 1);
    if (item == c->fail_at)
        return dcs_err_set(err, DCS_EIO, "item %llu failed", (unsigned long long)item);
    if (item == c->slow_item)
        sleep_ms(200);
    int rc = compute(eng, c->seed, item, res, err);
    if (item == c->interrupt_at)
        *c->flag = 1;
    return rc;
}

static int emit(void *vctx, uint64_t item, void *res, dcs_err *err)
{
    ctx *c = vctx;
    if (atomic_fetch_add(&c->in_emit, 1) != 0)
        atomic_fetch_add(&c->overlap, 1);
    int rc = 0;
    if (item != c->nemit_calls)
        c->out_of_order = 1;
    if (item == c->emit_fail_at)
        rc = dcs_err_set(err, DCS_EHDF5, "cannot write item %llu", (unsigned long long)item);
    else if (item < MAXITEMS)
        memcpy(&c->out[item], res, sizeof c->out[item]);
    c->nemit_calls++;
    /* Linger a little so that a second, concurrent emit would be caught. */
    for (volatile int i = 0; i < 2000; i++)
        ;
    atomic_fetch_sub(&c->in_emit, 1);
    return rc;
}

static void discard(void *vctx, void *res)
{
    (void)res;
    ctx *c = vctx;
    atomic_fetch_add(&c->discards, 1);
}

static ctx *new_ctx(void)
{
    ctx *c = calloc(1, sizeof *c);
    cr_assert_not_null(c);
    c->seed = 2385;
    c->fail_at = c->interrupt_at = c->slow_item = c->emit_fail_at = NO_ITEM;
    atomic_init(&c->in_emit, 0);
    atomic_init(&c->overlap, 0);
    atomic_init(&c->started, 0);
    atomic_init(&c->discards, 0);
    atomic_init(&c->after_flag, 0);
    return c;
}

static dcs_runner_cfg cfg_for(ctx *c, uint64_t nitems, int nthreads)
{
    dcs_runner_cfg cfg = {.nitems = nitems,
                          .nthreads = nthreads,
                          .result_size = sizeof(result),
                          .ctx = c,
                          .engine_create = make_engine,
                          .run_item = run_item,
                          .emit = emit,
                          .discard = discard,
                          .interrupt = c->flag,
                          .progress = NULL};
    return cfg;
}

/* Expected results of items 0..n-1, computed in a plain loop. */
static result *expected(uint64_t seed, uint64_t n)
{
    result *want = calloc(n ? n : 1, sizeof *want);
    cr_assert_not_null(want);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_engine *eng = make_engine(NULL, &err);
    cr_assert_not_null(eng);
    for (uint64_t i = 0; i < n; i++)
        cr_assert_eq(compute(eng, seed, i, &want[i], &err), 0, "%s", err.msg);
    dcs_engine_destroy(eng);
    return want;
}

/* Checks that items 0..n-1 were emitted with their expected results. */
static void check_prefix(const ctx *c, const result *want, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++)
        if (memcmp(&c->out[i], &want[i], sizeof want[i]) != 0)
            cr_assert_fail("item %llu emitted a wrong result", (unsigned long long)i);
}

static void run_ok(ctx *c, uint64_t nitems, int nthreads)
{
    dcs_runner_cfg cfg = cfg_for(c, nitems, nthreads);
    uint64_t nemitted = 12345;
    dcs_err err;
    dcs_err_clear(&err);
    int rc = dcs_runner_run(&cfg, &nemitted, &err);
    cr_assert_eq(rc, 0, "%d threads: rc %d (%s)", nthreads, rc, err.msg);
    cr_assert_eq(nemitted, nitems);
    cr_assert_eq(c->nemit_calls, nitems);
    cr_assert_eq(c->out_of_order, 0, "%d threads: results emitted out of item order", nthreads);
    cr_assert_eq(atomic_load(&c->overlap), 0, "%d threads: emit ran concurrently", nthreads);
}

Test(runner, results_are_emitted_in_item_order)
{
    enum { N = 300 };
    result *want = expected(2385, N);
    ctx *c = new_ctx();
    run_ok(c, N, 4);
    check_prefix(c, want, N);
    /* The model does vary between items. */
    cr_assert_neq(want[0].nevents + want[1].nevents + want[2].nevents, 3 * want[0].nevents);
    free(c);
    free(want);
}

Test(runner, results_are_byte_identical_with_1_2_and_4_threads)
{
    enum { N = 400 };
    static result got[3][N];
    const int threads[3] = {1, 2, 4};
    for (int k = 0; k < 3; k++) {
        ctx *c = new_ctx();
        run_ok(c, N, threads[k]);
        memcpy(got[k], c->out, sizeof got[k]);
        free(c);
    }
    cr_assert_arr_eq(got[0], got[1], sizeof got[0], "1 and 2 threads differ");
    cr_assert_arr_eq(got[0], got[2], sizeof got[0], "1 and 4 threads differ");
}

Test(runner, emit_is_never_called_concurrently)
{
    /* Many cheap items on 4 threads: finishing threads race for the writer. */
    for (int rep = 0; rep < 5; rep++) {
        ctx *c = new_ctx();
        run_ok(c, MAXITEMS, 4);
        free(c);
    }
}

Test(runner, an_error_at_item_k_stops_with_a_correct_prefix)
{
    enum { N = 400, K = 137 };
    result *want = expected(2385, N);
    const int threads[3] = {1, 2, 4};
    for (int t = 0; t < 3; t++) {
        ctx *c = new_ctx();
        c->fail_at = K;
        dcs_runner_cfg cfg = cfg_for(c, N, threads[t]);
        uint64_t nemitted = 12345;
        dcs_err err;
        dcs_err_clear(&err);
        cr_assert_eq(dcs_runner_run(&cfg, &nemitted, &err), DCS_EIO);
        cr_assert_eq(err.code, DCS_EIO);
        cr_assert_str_eq(err.msg, "item 137 failed");
        cr_assert_leq(nemitted, K, "%d threads: emitted past the failed item", threads[t]);
        cr_assert_eq(c->nemit_calls, nemitted);
        cr_assert_eq(c->out_of_order, 0);
        check_prefix(c, want, nemitted);
        if (threads[t] == 1)
            cr_assert_eq(nemitted, K, "one thread emits everything before the failure");
        /* What a result holds is released exactly once: by emit, or by
         * discard for the failed item and the finished ones never emitted. */
        cr_assert_eq((uint64_t)atomic_load(&c->started), c->nemit_calls + atomic_load(&c->discards),
                     "%d threads: %d started, %llu emitted, %d discarded", threads[t],
                     atomic_load(&c->started), (unsigned long long)c->nemit_calls,
                     atomic_load(&c->discards));
        free(c);
    }
    free(want);
}

/* On 4 threads, and on one (the runner's serial path). */
Test(runner, an_emit_error_stops_the_run)
{
    enum { N = 300, K = 77 };
    const int threads[2] = {4, 1};
    for (int t = 0; t < 2; t++) {
        ctx *c = new_ctx();
        c->emit_fail_at = K;
        dcs_runner_cfg cfg = cfg_for(c, N, threads[t]);
        uint64_t nemitted = 12345;
        dcs_err err;
        dcs_err_clear(&err);
        cr_assert_eq(dcs_runner_run(&cfg, &nemitted, &err), DCS_EHDF5);
        cr_assert_str_eq(err.msg, "cannot write item 77");
        cr_assert_eq(nemitted, K, "the failed emit does not count");
        cr_assert_eq(c->nemit_calls, K + 1, "no emit after the failed one");
        cr_assert_eq((uint64_t)atomic_load(&c->started), c->nemit_calls + atomic_load(&c->discards),
                     "%d threads: a failed emit owns its result: it is not discarded too",
                     threads[t]);
        free(c);
    }
}

/* Interrupts a run of N items on `nthreads` threads at item K (which sleeps
 * 200 ms first when `slow`) and checks what the runner guarantees:
 * - every item up to K was started before the flag went up and finished,
 *   so the prefix 0..K is kept;
 * - a thread starts at most one item after the flag went up (it checks the
 *   flag before taking each item), and the thread that raised it none;
 * - the emitted results are an unbroken, correct prefix. Items past K that
 *   finished while K ran (as many as the reorder window admits: until K is
 *   ready, item j starts only when j < K + window) are emitted too, so the
 *   prefix may end up to window - 1 items past K, plus one item a thread
 *   for the items started after the flag. With one thread nothing runs
 *   ahead of K: exactly K + 1 items. */
static uint64_t interrupt_in(const result *want, uint64_t N, uint64_t K, int nthreads, int slow,
                             size_t per)
{
    volatile sig_atomic_t flag = 0;
    ctx *c = new_ctx();
    c->interrupt_at = K;
    if (slow)
        c->slow_item = K;
    c->flag = &flag;
    dcs_runner_cfg cfg = cfg_for(c, N, nthreads);
    cfg.window_per_thread = per;
    uint64_t nemitted = 12345;
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert_eq(dcs_runner_run(&cfg, &nemitted, &err), DCS_EINTR);
    cr_assert_eq(err.code, DCS_EINTR);
    cr_assert_neq(err.msg[0], '\0', "an interrupt has a message");
    const uint64_t window = (uint64_t)nthreads * (per ? per : DCS_RUNNER_WINDOW_PER_THREAD);
    cr_assert_geq(nemitted, K + 1, "%d threads: completed items were lost", nthreads);
    cr_assert_leq(atomic_load(&c->after_flag), nthreads - 1,
                  "%d threads: a thread started a second item after the interrupt", nthreads);
    cr_assert_leq(nemitted, K + window + (uint64_t)(nthreads - 1),
                  "%d threads: %llu emitted, more than the window admits", nthreads,
                  (unsigned long long)nemitted);
    if (nthreads == 1)
        cr_assert_eq(nemitted, K + 1, "one thread runs nothing past the interrupt");
    cr_assert_eq(c->nemit_calls, nemitted);
    cr_assert_eq(c->out_of_order, 0);
    check_prefix(c, want, nemitted);
    free(c);
    return nemitted;
}

static void interrupt_at(const result *want, uint64_t N, uint64_t K, int nthreads, int slow)
{
    (void)interrupt_in(want, N, K, nthreads, slow, 0);
}

Test(runner, an_interrupt_at_item_k_gives_eintr_and_a_correct_prefix)
{
    enum { N = 400, K = 137 };
    result *want = expected(2385, N);
    const int threads[3] = {1, 2, 4};
    for (int t = 0; t < 3; t++)
        interrupt_at(want, N, K, threads[t], 0);
    free(want);
}

/* What a loaded machine does at random (the thread running item K is
 * descheduled while the others run ahead), made to happen every time: item K
 * sleeps, so the other threads finish the items past K that the window
 * admits, and the run keeps them. The prefix then ends past K + threads,
 * the bound this test once asserted by mistake (on an idle machine, at the
 * window's bound: 170 items of 2 threads, 204 of 4). */
Test(runner, an_interrupt_keeps_the_finished_items_that_ran_ahead_of_item_k)
{
    enum { N = 400, K = 137 };
    result *want = expected(2385, N);
    const int threads[3] = {1, 2, 4};
    for (int t = 0; t < 3; t++)
        interrupt_at(want, N, K, threads[t], 1);
    free(want);
}

/* A window asked for (cfg.window_per_thread, 64 a thread) bounds the run
 * ahead instead of the default: with item K asleep, the other thread of
 * two finishes the items past K up to the wider window, more than the
 * default's 2 x 16 admit, and no more than 2 x 64. */
Test(runner, a_wider_window_lets_threads_run_further_ahead)
{
    enum { N = 400, K = 137 };
    result *want = expected(2385, N);
    uint64_t n = interrupt_in(want, N, K, 2, 1, 64);
    cr_assert_gt(n, K + 2 * DCS_RUNNER_WINDOW_PER_THREAD + 1, "%llu emitted",
                 (unsigned long long)n);
    free(want);
}

Test(runner, zero_items_is_a_valid_run)
{
    ctx *c = new_ctx();
    run_ok(c, 0, 4);
    run_ok(c, 0, 1);
    free(c);
}

/* A run of fewer items than threads starts one thread per item: the others
 * would build an engine for nothing and spin while the items run (a third
 * of the CPU of `dcsim run -n 1` on 2 threads). */
Test(runner, fewer_items_than_threads_build_one_engine_per_item)
{
    for (uint64_t n = 1; n <= 3; n++) {
        ctx *c = new_ctx();
        dcs_runner_cfg cfg = cfg_for(c, n, 4);
        cfg.engine_create = make_counted_engine;
        atomic_store(&engines_made, 0);
        uint64_t nemitted = 0;
        dcs_err err;
        dcs_err_clear(&err);
        cr_assert_eq(dcs_runner_run(&cfg, &nemitted, &err), 0, "%s", err.msg);
        cr_assert_eq(nemitted, n);
        cr_assert_eq(atomic_load(&engines_made), (int)n, "%llu items: %d engines",
                     (unsigned long long)n, atomic_load(&engines_made));
        free(c);
    }
}

Test(runner, an_engine_factory_failure_is_reported)
{
    for (int nthreads = 1; nthreads <= 2; nthreads++) {
        ctx *c = new_ctx();
        dcs_runner_cfg cfg = cfg_for(c, 10, nthreads);
        cfg.engine_create = make_no_engine;
        uint64_t nemitted = 12345;
        dcs_err err;
        dcs_err_clear(&err);
        cr_assert_eq(dcs_runner_run(&cfg, &nemitted, &err), DCS_ENOMEM);
        cr_assert_str_eq(err.msg, "no engine today");
        cr_assert_eq(nemitted, 0);
        cr_assert_eq(c->nemit_calls, 0);
        free(c);
    }
}

Test(runner, a_slow_first_item_keeps_results_in_order)
{
    /* Item 0 sleeps while the other threads fill the reorder window
     * (16 slots per thread), wait for it, and then carry on. */
    enum { N = 500 };
    result *want = expected(2385, N);
    ctx *c = new_ctx();
    c->slow_item = 0;
    run_ok(c, N, 4);
    check_prefix(c, want, N);
    free(c);
    /* A slow item in the middle, too. */
    c = new_ctx();
    c->slow_item = 200;
    run_ok(c, N, 3);
    check_prefix(c, want, N);
    free(c);
    free(want);
}
