/*
 * test_engine.c - the discrete-event engine (sim/engine.c).
 *
 * A tiny test model with two kinds ("tick" and "tock") records every event
 * it handles: the clock when it ran, its time, kind and unit. Its config
 * says which events init schedules and what a handler does on a given
 * event number (cancel another event, stop the engine, fail, raise the
 * interrupt flag, reschedule itself), so each engine feature is provoked on
 * purpose. A fixture builds an engine with the model and two streams.
 */
#include "engine.h"
#include "rng.h"

#include <criterion/criterion.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>

TestSuite(engine, .timeout = 30);

enum { MAXLOG = 64, MAXINIT = 16 };

typedef struct rec {
    double now; /* engine clock when the handler ran, s */
    double t;   /* event time, s */
    uint16_t kind;
    uint32_t unit;
} rec;

typedef struct tm_state {
    int inits;         /* init calls since the last zeroing */
    uint64_t nhandled; /* events handled */
    int nlog;
    rec log[MAXLOG];
    uint64_t ids[MAXINIT]; /* ids of the events init scheduled */
    unsigned long draws[4];
    uint16_t kind_base; /* as seen by init */
} tm_state;

typedef struct tm_config {
    int ninit;
    double init_t[MAXINIT];
    uint16_t init_kind[MAXINIT]; /* local kind: 0 tick, 1 tock */
    uint16_t *kind_base;         /* where the test stored the model's kind_base */
    /* Actions, keyed by the 1-based number of the event being handled. */
    uint64_t cancel_at; /* cancel init event cancel_idx */
    int cancel_idx;
    uint64_t stop_at;
    uint64_t fail_at;
    uint64_t interrupt_at;
    volatile sig_atomic_t *flag;
    int reschedule;       /* every event schedules one more at t + 1.5 */
    uint32_t draw_stream; /* init draws 4 values from this stream */
} tm_config;

static int tm_init(dcs_engine *eng, void *state, const void *config, dcs_err *err)
{
    tm_state *s = state;
    const tm_config *c = config;
    s->inits++;
    s->kind_base = *c->kind_base;
    for (int i = 0; i < c->ninit; i++) {
        int rc = dcs_engine_schedule(eng, c->init_t[i], (uint16_t)(s->kind_base + c->init_kind[i]),
                                     (uint32_t)i, 0, &s->ids[i]);
        if (rc != 0)
            return dcs_err_set(err, rc, "init cannot schedule event %d", i);
    }
    gsl_rng *r = dcs_engine_rng(eng, c->draw_stream);
    if (r != NULL)
        for (int i = 0; i < 4; i++)
            s->draws[i] = gsl_rng_get(r);
    return 0;
}

static int tm_handle(dcs_engine *eng, tm_state *s, const tm_config *c, const dcs_event *ev,
                     dcs_err *err)
{
    uint64_t k = ++s->nhandled;
    if (s->nlog < MAXLOG) {
        /* Field by field: the block is compared as bytes, and a struct
         * assignment need not copy zero padding. */
        rec *r = &s->log[s->nlog++];
        r->now = dcs_engine_now(eng);
        r->t = ev->t;
        r->kind = ev->kind;
        r->unit = ev->unit;
    }
    if (k == c->cancel_at) {
        int rc = dcs_engine_cancel(eng, s->ids[c->cancel_idx]);
        if (rc != 0)
            return dcs_err_set(err, rc, "cancel failed");
    }
    if (k == c->stop_at)
        dcs_engine_stop(eng);
    if (k == c->fail_at)
        return dcs_err_set(err, DCS_EINPUT, "handler failed on event %llu", (unsigned long long)k);
    if (k == c->interrupt_at)
        *c->flag = 1;
    if (c->reschedule) {
        int rc = dcs_engine_schedule(eng, ev->t + 1.5, ev->kind, ev->unit, 0, NULL);
        if (rc != 0)
            return dcs_err_set(err, rc, "reschedule failed");
    }
    /* A guard: the tests never handle this many events on purpose. */
    if (k > 1000000)
        return dcs_err_set(err, DCS_ESTATE, "runaway dispatch");
    return 0;
}

/* Handlers see only the state block, so init stores the (borrowed) config
 * pointer there; the engine zeroes the block at every reset and init sets it
 * again. */
typedef struct tm_block {
    tm_state s;
    const tm_config *c;
} tm_block;

static int tm_block_init(dcs_engine *eng, void *state, const void *config, dcs_err *err)
{
    tm_block *b = state;
    b->c = config;
    return tm_init(eng, &b->s, config, err);
}

static int tick(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    tm_block *b = state;
    return tm_handle(eng, &b->s, b->c, ev, err);
}

static int tock(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    tm_block *b = state;
    /* Tock units are offset so the log shows which handler ran. */
    dcs_event e = *ev;
    e.unit += 1000;
    return tm_handle(eng, &b->s, b->c, &e, err);
}

static int fini_calls;

static void tm_fini(void *state)
{
    (void)state;
    fini_calls++;
}

static const char *const tm_kind_names[2] = {"tm.tick", "tm.tock"};
static dcs_handler_fn *const tm_handlers[2] = {tick, tock};

static const dcs_model tm_model = {
    .name = "tm",
    .state_size = sizeof(tm_block),
    .init = tm_block_init,
    .fini = tm_fini,
    .nkinds = 2,
    .kind_names = tm_kind_names,
    .handlers = tm_handlers,
};

/* A second model with three kinds, to check kind numbering. */
static const char *const m2_kind_names[3] = {"m2.a", "m2.b", "m2.c"};
static dcs_handler_fn *const m2_handlers[3] = {tick, tick, tock};
static const dcs_model m2_model = {
    .name = "m2",
    .state_size = sizeof(tm_block),
    .init = tm_block_init,
    .fini = NULL,
    .nkinds = 3,
    .kind_names = m2_kind_names,
    .handlers = m2_handlers,
};

static dcs_engine *make_engine(const tm_config *c, uint16_t *kind_base)
{
    dcs_err err;
    dcs_err_clear(&err);
    dcs_engine *eng = dcs_engine_create(2, &err);
    cr_assert_not_null(eng, "%s", err.msg);
    cr_assert_eq(dcs_engine_add_model(eng, &tm_model, c, kind_base, &err), 0, "%s", err.msg);
    return eng;
}

static tm_state *state_of(dcs_engine *eng)
{
    tm_block *b = dcs_engine_state(eng, &tm_model);
    cr_assert_not_null(b);
    return &b->s;
}

/* Five events at shuffled times, both kinds, one tie (2.385 twice). */
static tm_config five_events(uint16_t *kind_base)
{
    tm_config c = {.ninit = 5,
                   .init_t = {3.5, 1.25, 2.385, 0.5, 2.385},
                   .init_kind = {0, 1, 0, 1, 1},
                   .kind_base = kind_base,
                   .draw_stream = 99};
    return c;
}

Test(engine, handlers_run_in_time_order_with_the_clock_at_event_time)
{
    uint16_t kb;
    tm_config c = five_events(&kb);
    dcs_engine *eng = make_engine(&c, &kb);
    cr_assert_eq(kb, 0);
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert_eq(dcs_engine_reset(eng, 1, 0, &err), 0);
    cr_assert_eq(dcs_engine_now(eng), 0.0);
    cr_assert_eq(dcs_engine_run(eng, 100.0, &err), 0, "%s", err.msg);
    tm_state *s = state_of(eng);
    cr_assert_eq(s->nlog, 5);
    /* Expected order by (t, seq): 0.5 (init 3, tock), 1.25 (1, tock),
     * 2.385 (2, tick), 2.385 (4, tock), 3.5 (0, tick). */
    const uint32_t want_unit[5] = {1003, 1001, 2, 1004, 0};
    const double want_t[5] = {0.5, 1.25, 2.385, 2.385, 3.5};
    for (int i = 0; i < 5; i++) {
        cr_assert_eq(s->log[i].t, want_t[i], "event %d", i);
        cr_assert_eq(s->log[i].now, s->log[i].t, "clock equals event time at event %d", i);
        cr_assert_eq(s->log[i].unit, want_unit[i], "event %d ran the wrong handler or order", i);
    }
    cr_assert_eq(dcs_engine_events(eng), 5);
    cr_assert_eq(dcs_engine_now(eng), 100.0, "an empty queue runs the clock to t_end");
    cr_assert_eq(dcs_queue_size(dcs_engine_queue(eng)), 0);
    dcs_engine_destroy(eng);
}

Test(engine, run_to_infinity_stops_when_the_queue_is_empty)
{
    uint16_t kb;
    tm_config c = five_events(&kb);
    dcs_engine *eng = make_engine(&c, &kb);
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert_eq(dcs_engine_reset(eng, 1, 0, &err), 0);
    int rc = dcs_engine_run(eng, HUGE_VAL, &err);
    cr_assert_eq(rc, 0, "rc %d (%s)", rc, err.msg);
    cr_assert_eq(dcs_engine_events(eng), 5, "each event is dispatched once");
    cr_assert_eq(dcs_engine_now(eng), 3.5, "the clock stays at the last event");
    /* And again on the now empty queue. */
    cr_assert_eq(dcs_engine_run(eng, HUGE_VAL, &err), 0);
    cr_assert_eq(dcs_engine_events(eng), 5);
    dcs_engine_destroy(eng);
}

Test(engine, schedule_in_the_past_is_an_error)
{
    uint16_t kb;
    tm_config c = five_events(&kb);
    dcs_engine *eng = make_engine(&c, &kb);
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert_eq(dcs_engine_reset(eng, 1, 0, &err), 0);
    cr_assert_eq(dcs_engine_run(eng, 2.0, &err), 0);
    cr_assert_eq(dcs_engine_now(eng), 2.0);
    size_t before = dcs_queue_size(dcs_engine_queue(eng));
    cr_assert_eq(dcs_engine_schedule(eng, 1.999, 0, 0, 0, NULL), DCS_ESTATE);
    cr_assert_eq(dcs_engine_schedule(eng, -INFINITY, 0, 0, 0, NULL), DCS_ESTATE);
    cr_assert_eq(dcs_engine_schedule(eng, NAN, 0, 0, 0, NULL), DCS_ESTATE, "NaN is refused");
    cr_assert_eq(dcs_engine_schedule(eng, 5.0, 2, 0, 0, NULL), DCS_ESTATE, "unknown kind");
    cr_assert_eq(dcs_queue_size(dcs_engine_queue(eng)), before, "refusals change nothing");
    cr_assert_eq(dcs_engine_schedule(eng, 2.0, 1, 77, 0, NULL), 0, "now itself is allowed");
    cr_assert_eq(dcs_engine_run(eng, 2.0, &err), 0);
    tm_state *s = state_of(eng);
    cr_assert_eq(s->log[s->nlog - 1].unit, 1077);
    dcs_engine_destroy(eng);
}

Test(engine, cancel_works_through_the_engine)
{
    uint16_t kb;
    tm_config c = five_events(&kb);
    c.cancel_at = 1;  /* the first event (t = 0.5) ... */
    c.cancel_idx = 2; /* ... cancels init event 2 (tick at 2.385) */
    dcs_engine *eng = make_engine(&c, &kb);
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert_eq(dcs_engine_reset(eng, 1, 0, &err), 0);
    cr_assert_eq(dcs_engine_run(eng, 100.0, &err), 0, "%s", err.msg);
    tm_state *s = state_of(eng);
    cr_assert_eq(s->nlog, 4);
    for (int i = 0; i < s->nlog; i++)
        cr_assert_neq(s->log[i].unit, 2, "the cancelled event ran");
    cr_assert_eq(dcs_engine_queue(eng)->purged, 1);
    cr_assert_eq(dcs_engine_cancel(eng, 12345), DCS_ESTATE, "unknown id");
    cr_assert_eq(dcs_engine_cancel(eng, 0), DCS_ESTATE, "0 is never an id");
    cr_assert_eq(dcs_engine_cancel(eng, s->ids[2]), DCS_ESTATE, "already cancelled and purged");
    for (int i = 0; i < 5; i++)
        if (i != 2)
            cr_assert_eq(dcs_engine_cancel(eng, s->ids[i]), DCS_ESTATE, "init event %d popped", i);

    /* Cancelling from outside a handler: twice while still pending, and
     * again once the dead entry has been purged at the top; the queue
     * recognises the id as no longer pending and refuses it. */
    cr_assert_eq(dcs_engine_reset(eng, 1, 0, &err), 0);
    cr_assert_eq(dcs_engine_cancel(eng, s->ids[4]), 0);
    cr_assert_eq(dcs_engine_cancel(eng, s->ids[4]), DCS_ESTATE, "cancel twice");
    cr_assert_eq(dcs_queue_size(dcs_engine_queue(eng)), 4);
    cr_assert_eq(dcs_engine_run(eng, 100.0, &err), 0, "%s", err.msg);
    cr_assert_eq(s->nlog, 3, "init event 2 (by the handler) and 4 (from outside) cancelled");
    for (int i = 0; i < s->nlog; i++)
        cr_assert(s->log[i].unit != 2 && s->log[i].unit != 1004);
    cr_assert_eq(dcs_engine_queue(eng)->purged, 2);
    cr_assert_eq(dcs_engine_cancel(eng, s->ids[4]), DCS_ESTATE, "cancelled and purged");
    cr_assert_eq(dcs_engine_cancel(eng, s->ids[0]), DCS_ESTATE, "popped");
    cr_assert_eq(dcs_queue_size(dcs_engine_queue(eng)), 0);
    dcs_engine_destroy(eng);
}

Test(engine, run_to_t_end_leaves_later_events_pending)
{
    uint16_t kb;
    tm_config c = five_events(&kb);
    dcs_engine *eng = make_engine(&c, &kb);
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert_eq(dcs_engine_reset(eng, 1, 0, &err), 0);
    cr_assert_eq(dcs_engine_run(eng, 1.5, &err), 0);
    tm_state *s = state_of(eng);
    cr_assert_eq(s->nlog, 2);
    cr_assert_eq(dcs_engine_now(eng), 1.5, "the clock is left at t_end");
    cr_assert_eq(dcs_queue_size(dcs_engine_queue(eng)), 3);
    /* An event exactly at t_end runs. */
    cr_assert_eq(dcs_engine_run(eng, 2.385, &err), 0);
    cr_assert_eq(s->nlog, 4);
    cr_assert_eq(dcs_engine_now(eng), 2.385);
    /* t_end before now: nothing runs and the clock does not go back. */
    cr_assert_eq(dcs_engine_run(eng, 1.0, &err), 0);
    cr_assert_eq(s->nlog, 4);
    cr_assert_eq(dcs_engine_now(eng), 2.385);
    cr_assert_eq(dcs_engine_run(eng, 10.0, &err), 0);
    cr_assert_eq(s->nlog, 5);
    cr_assert_eq(s->log[4].t, 3.5);
    cr_assert_eq(dcs_engine_now(eng), 10.0);
    dcs_engine_destroy(eng);
}

Test(engine, stop_returns_after_the_current_event)
{
    uint16_t kb;
    tm_config c = five_events(&kb);
    c.stop_at = 3;
    dcs_engine *eng = make_engine(&c, &kb);
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert_eq(dcs_engine_reset(eng, 1, 0, &err), 0);
    cr_assert_eq(dcs_engine_run(eng, 100.0, &err), 0);
    tm_state *s = state_of(eng);
    cr_assert_eq(s->nlog, 3);
    cr_assert_eq(dcs_engine_now(eng), 2.385, "the clock stays at the stopping event");
    cr_assert_eq(dcs_queue_size(dcs_engine_queue(eng)), 2);
    /* A later run resumes. */
    cr_assert_eq(dcs_engine_run(eng, 100.0, &err), 0);
    cr_assert_eq(s->nlog, 5);
    dcs_engine_destroy(eng);
}

Test(engine, reset_zeroes_state_and_reruns_init)
{
    uint16_t kb;
    tm_config c = five_events(&kb);
    c.draw_stream = 1;
    dcs_engine *eng = make_engine(&c, &kb);
    dcs_err err;
    dcs_err_clear(&err);
    fini_calls = 0;
    cr_assert_eq(dcs_engine_reset(eng, 2385, 3, &err), 0);
    cr_assert_eq(dcs_engine_run(eng, 3.0, &err), 0);
    tm_state first = *state_of(eng);
    cr_assert_eq(first.inits, 1);
    cr_assert_eq(first.nlog, 4);

    cr_assert_eq(dcs_engine_reset(eng, 2385, 3, &err), 0);
    cr_assert_eq(fini_calls, 1, "fini runs before a reset");
    tm_state *s = state_of(eng);
    cr_assert_eq(s->inits, 1, "the state block was zeroed, then init ran once");
    cr_assert_eq(s->nlog, 0);
    cr_assert_eq(dcs_engine_now(eng), 0.0);
    cr_assert_eq(dcs_engine_events(eng), 0);
    cr_assert_eq(dcs_queue_size(dcs_engine_queue(eng)), 5, "the queue was emptied, then refilled");
    cr_assert_eq(dcs_engine_run(eng, 3.0, &err), 0);
    cr_assert_arr_eq(s, &first, sizeof first, "same seed and replication: same run, byte for byte");

    /* A reset in the middle of a run drops the pending events. */
    cr_assert_eq(dcs_engine_reset(eng, 2385, 3, &err), 0);
    cr_assert_eq(dcs_engine_run(eng, 1.0, &err), 0);
    cr_assert_eq(dcs_engine_reset(eng, 2385, 3, &err), 0);
    cr_assert_eq(dcs_engine_run(eng, 3.0, &err), 0);
    cr_assert_arr_eq(s, &first, sizeof first);
    dcs_engine_destroy(eng);
    cr_assert_eq(fini_calls, 4, "destroy calls fini of an armed model");
}

Test(engine, kind_base_numbers_the_kinds_of_two_models)
{
    uint16_t kb1 = 99, kb2 = 99;
    tm_config c1 = five_events(&kb1);
    tm_config c2 = {.ninit = 2,
                    .init_t = {1.0, 3.0},
                    .init_kind = {2, 0},
                    .kind_base = &kb2,
                    .draw_stream = 99};
    dcs_err err;
    dcs_err_clear(&err);
    dcs_engine *eng = dcs_engine_create(1, &err);
    cr_assert_not_null(eng);
    cr_assert_eq(dcs_engine_add_model(eng, &tm_model, &c1, &kb1, &err), 0);
    cr_assert_eq(dcs_engine_add_model(eng, &m2_model, &c2, &kb2, &err), 0);
    cr_assert_eq(kb1, 0);
    cr_assert_eq(kb2, 2);
    cr_assert_eq(dcs_engine_nkinds(eng), 5);
    cr_assert_str_eq(dcs_engine_kind_name(eng, 1), "tm.tock");
    cr_assert_str_eq(dcs_engine_kind_name(eng, 2), "m2.a");
    cr_assert_str_eq(dcs_engine_kind_name(eng, 4), "m2.c");
    cr_assert_null(dcs_engine_kind_name(eng, 5));
    cr_assert_null(dcs_engine_state(eng, &(dcs_model){.name = "absent"}));

    cr_assert_eq(dcs_engine_reset(eng, 1, 0, &err), 0);
    cr_assert_eq(dcs_engine_run(eng, 100.0, &err), 0, "%s", err.msg);
    tm_block *b1 = dcs_engine_state(eng, &tm_model);
    tm_block *b2 = dcs_engine_state(eng, &m2_model);
    cr_assert_neq(b1, b2);
    cr_assert_eq(b1->s.nlog, 5, "model 1 handled only its own events");
    cr_assert_eq(b2->s.nlog, 2, "model 2 handled only its own events");
    /* m2 kind 2 (global 4) is handled by tock, kind 0 (global 2) by tick. */
    cr_assert_eq(b2->s.log[0].kind, 4);
    cr_assert_eq(b2->s.log[0].unit, 1000);
    cr_assert_eq(b2->s.log[1].kind, 2);
    cr_assert_eq(b2->s.log[1].unit, 1);
    dcs_engine_destroy(eng);
}

Test(engine, too_many_kinds_is_an_error)
{
    static dcs_handler_fn *hs[200];
    static const char *names[200];
    for (int i = 0; i < 200; i++) {
        hs[i] = tick;
        names[i] = "big.k";
    }
    const dcs_model big = {.name = "big",
                           .state_size = sizeof(tm_block),
                           .nkinds = 200,
                           .kind_names = names,
                           .handlers = hs};
    dcs_err err;
    dcs_err_clear(&err);
    dcs_engine *eng = dcs_engine_create(0, &err);
    cr_assert_not_null(eng);
    cr_assert_eq(dcs_engine_add_model(eng, &big, NULL, NULL, &err), 0);
    cr_assert_eq(dcs_engine_add_model(eng, &big, NULL, NULL, &err), DCS_ESTATE);
    cr_assert_eq(err.code, DCS_ESTATE);
    cr_assert_neq(err.msg[0], '\0');
    cr_assert_eq(dcs_engine_nkinds(eng), 200);
    cr_assert_null(dcs_engine_rng(eng, 0), "an engine with no streams has none");
    dcs_engine_destroy(eng);
    dcs_engine_destroy(NULL);
}

Test(engine, a_handler_error_propagates)
{
    uint16_t kb;
    tm_config c = five_events(&kb);
    c.fail_at = 2;
    dcs_engine *eng = make_engine(&c, &kb);
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert_eq(dcs_engine_reset(eng, 1, 0, &err), 0);
    cr_assert_eq(dcs_engine_run(eng, 100.0, &err), DCS_EINPUT);
    cr_assert_eq(err.code, DCS_EINPUT);
    cr_assert_str_eq(err.msg, "handler failed on event 2");
    cr_assert_eq(dcs_engine_now(eng), 1.25, "the clock stays at the failing event");
    cr_assert_eq(dcs_queue_size(dcs_engine_queue(eng)), 3);
    dcs_engine_destroy(eng);
}

Test(engine, an_init_error_propagates_from_reset)
{
    uint16_t kb;
    tm_config c = five_events(&kb);
    c.init_t[2] = -1.0; /* before time 0 */
    dcs_engine *eng = make_engine(&c, &kb);
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert_eq(dcs_engine_reset(eng, 1, 0, &err), DCS_ESTATE);
    cr_assert_str_eq(err.msg, "init cannot schedule event 2");
    dcs_engine_destroy(eng);
}

Test(engine, the_interrupt_flag_yields_eintr)
{
    uint16_t kb;
    volatile sig_atomic_t flag = 0;
    tm_config c = five_events(&kb);
    c.reschedule = 1; /* an endless run */
    c.interrupt_at = 10000;
    c.flag = &flag;
    dcs_engine *eng = make_engine(&c, &kb);
    dcs_engine_set_interrupt(eng, &flag);
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert_eq(dcs_engine_reset(eng, 1, 0, &err), 0);
    cr_assert_eq(dcs_engine_run(eng, HUGE_VAL, &err), DCS_EINTR);
    cr_assert_eq(err.code, DCS_EINTR);
    /* Polled every 4096 events: raised at 10000, seen at 12288. */
    uint64_t n = dcs_engine_events(eng);
    cr_assert(n >= 10000 && n <= 10000 + 4096, "stopped after %llu events", (unsigned long long)n);

    /* A flag already raised stops a fresh run within one poll period. */
    cr_assert_eq(dcs_engine_reset(eng, 1, 0, &err), 0);
    dcs_err_clear(&err);
    cr_assert_eq(dcs_engine_run(eng, HUGE_VAL, &err), DCS_EINTR);
    cr_assert_leq(dcs_engine_events(eng), 4096);
    /* Without a flag the same run ends at t_end. */
    dcs_engine_set_interrupt(eng, NULL);
    cr_assert_eq(dcs_engine_reset(eng, 1, 0, &err), 0);
    cr_assert_eq(dcs_engine_run(eng, 3000.0, &err), 0);
    cr_assert_eq(dcs_engine_now(eng), 3000.0);
    dcs_engine_destroy(eng);
}

Test(engine, streams_are_keyed_per_replication)
{
    uint16_t kb;
    tm_config c = five_events(&kb);
    c.draw_stream = 1;
    dcs_engine *eng = make_engine(&c, &kb);
    dcs_err err;
    dcs_err_clear(&err);
    tm_state *s = state_of(eng);
    unsigned long rep3[4], rep5[4];
    cr_assert_eq(dcs_engine_reset(eng, 2385, 3, &err), 0);
    memcpy(rep3, s->draws, sizeof rep3);
    cr_assert_eq(dcs_engine_reset(eng, 2385, 5, &err), 0);
    memcpy(rep5, s->draws, sizeof rep5);
    cr_assert_arr_neq(rep3, rep5, sizeof rep3, "replications draw different numbers");
    /* Draw more from the stream, then come back to replication 3. */
    (void)gsl_rng_get(dcs_engine_rng(eng, 1));
    cr_assert_eq(dcs_engine_reset(eng, 2385, 3, &err), 0);
    cr_assert_arr_eq(s->draws, rep3, sizeof rep3, "same replication, same draws");

    /* The engine's stream is exactly dcs_rng_key(seed, replication, id). */
    gsl_rng *r = dcs_rng_create(NULL);
    dcs_rng_key(r, 2385, 3, 1);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(gsl_rng_get(r), rep3[i]);
    gsl_rng_free(r);

    /* A stream keyed lazily: replication 5 does not ask for stream 1 in
     * init (the config names stream 99); asked for after the reset, it
     * starts replication 5's draws, not where replication 3 left it. */
    tm_config quiet = c;
    quiet.draw_stream = 99;
    cr_assert_eq(dcs_engine_rebind(eng, &tm_model, &quiet), 0);
    cr_assert_eq(dcs_engine_reset(eng, 2385, 5, &err), 0);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(gsl_rng_get(dcs_engine_rng(eng, 1)), rep5[i]);
    cr_assert_eq(dcs_engine_rebind(eng, &tm_model, &c), 0);

    /* Another engine (another thread, in the runner) gives the same. */
    dcs_engine *other = make_engine(&c, &kb);
    cr_assert_eq(dcs_engine_reset(other, 2385, 3, &err), 0);
    cr_assert_arr_eq(state_of(other)->draws, rep3, sizeof rep3);
    cr_assert_null(dcs_engine_rng(eng, 2), "stream ids stop at nstreams - 1");
    cr_assert_neq(dcs_engine_rng(eng, 0), dcs_engine_rng(eng, 1));
    dcs_engine_destroy(other);
    dcs_engine_destroy(eng);
}

/* dcs_engine_scratch: a model's init gets a block of the size its config
 * asks, the same one from one reset to the next with what the last
 * replication left in it, a larger one when a config asks more; NULL
 * outside an init. */
typedef struct scratch_state {
    unsigned char *block;
    unsigned char seen; /* the first byte the init found */
} scratch_state;

static int scratch_init(dcs_engine *eng, void *state, const void *config, dcs_err *err)
{
    scratch_state *s = state;
    size_t bytes = *(const size_t *)config;
    s->block = dcs_engine_scratch(eng, bytes);
    if (s->block == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "no scratch");
    s->seen = s->block[0];
    memset(s->block, 0xA5, bytes); /* every byte asked for is there */
    s->block[0] = (unsigned char)(s->seen + 1);
    return 0;
}

static const dcs_model scratch_model = {
    .name = "scratch",
    .state_size = sizeof(scratch_state),
    .init = scratch_init,
};

Test(engine, scratch_is_kept_from_one_reset_to_the_next)
{
    dcs_err err;
    dcs_err_clear(&err);
    dcs_engine *eng = dcs_engine_create(1, &err);
    size_t small = 64, large = 1 << 20;
    cr_assert_eq(dcs_engine_add_model(eng, &scratch_model, &small, NULL, &err), 0);
    cr_assert_null(dcs_engine_scratch(eng, 8), "outside an init");
    cr_assert_eq(dcs_engine_reset(eng, 1, 0, &err), 0, "%s", err.msg);
    scratch_state *s = dcs_engine_state(eng, &scratch_model);
    unsigned char *first = s->block, mark = first[0];
    cr_assert_eq(dcs_engine_reset(eng, 1, 1, &err), 0, "%s", err.msg);
    cr_assert_eq(s->block, first, "the same block");
    cr_assert_eq(s->seen, mark, "holding what the last replication left");
    cr_assert_eq(dcs_engine_rebind(eng, &scratch_model, &large), 0);
    cr_assert_eq(dcs_engine_reset(eng, 1, 2, &err), 0, "%s", err.msg);
    cr_assert_eq(s->block[large - 1], 0xA5, "a block of the larger size");
    cr_assert_null(dcs_engine_scratch(eng, 8), "outside an init");
    dcs_engine_destroy(eng);
}

/* The watcher of shared values: called with phase 0 before a change and 1
 * after it, with the change's time; its error comes back; a reset clears
 * it, so a replication starts unwatched. */
typedef struct watch_log {
    int calls;
    double t[4];
    int phase[4];
    int fail;
} watch_log;

static int watcher(dcs_engine *eng, void *state, double t, int phase, dcs_err *err)
{
    (void)eng;
    watch_log *w = state;
    if (w->calls < 4) {
        w->t[w->calls] = t;
        w->phase[w->calls] = phase;
    }
    w->calls++;
    return w->fail ? dcs_err_set(err, DCS_ESTATE, "watcher refused") : 0;
}

Test(engine, a_watcher_sees_every_change_before_and_after)
{
    uint16_t kb;
    tm_config c = five_events(&kb);
    dcs_engine *eng = make_engine(&c, &kb);
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert_eq(dcs_engine_changing(eng, 1.0, &err), 0, "no watcher: nothing to do");
    watch_log w = {0};
    dcs_engine_watch(eng, watcher, &w);
    cr_assert_eq(dcs_engine_changing(eng, 2.385, &err), 0);
    cr_assert_eq(dcs_engine_changed(eng, 2.385, &err), 0);
    cr_assert_eq(w.calls, 2);
    cr_assert_eq(w.t[0], 2.385);
    cr_assert_eq(w.phase[0], 0);
    cr_assert_eq(w.phase[1], 1);
    w.fail = 1;
    cr_assert_eq(dcs_engine_changing(eng, 3.0, &err), DCS_ESTATE);
    cr_assert_str_eq(err.msg, "watcher refused");
    cr_assert_eq(dcs_engine_reset(eng, 1, 0, &err), 0);
    cr_assert_eq(dcs_engine_changed(eng, 4.0, &err), 0);
    cr_assert_eq(w.calls, 3, "a reset forgets the watcher");
    dcs_engine_destroy(eng);
}
