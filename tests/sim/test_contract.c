/*
 * test_contract.c - the engine's contract with its models (sim/engine.h):
 * timer handles (in the heap or set apart), lanes, periodic events, the pre_run
 * and final hooks, and kind bases handed to the models.
 *
 * Two instances of one small model ("ct") are plugged in, so the second
 * gets kinds from a base that is not 0 and must learn it from the engine.
 * Its handlers log (time, local kind, arg); its config says what init and
 * the hooks do.
 */
#include "engine.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>

TestSuite(contract, .timeout = 30);

enum { K_TIMER, K_TICK, K_OTHER, NK, MAXLOG = 64 };

typedef struct ct_cfg {
    double period;    /* > 0: K_TICK every period from k0 */
    uint64_t k0;      /* first index of the periodic events */
    double timer_t;   /* >= 0: init starts the timer at this time */
    double restart_t; /* >= 0: init starts it again at this time (idempotent start) */
    int stop_in_init; /* init stops the timer after starting it, twice */
    int apart;        /* init sets the timer apart (dcs_timer_apart) first */
} ct_cfg;

typedef struct ct_state {
    const ct_cfg *c;
    uint16_t base;
    dcs_timer timer;
    int pending_in_handler; /* the timer's pending state its own handler saw */
    int nlog;
    double log_t[MAXLOG];
    int log_kind[MAXLOG];
    uint64_t log_arg[MAXLOG];
    double pre_run_horizon; /* dcs_engine_horizon in pre_run */
    int pre_runs, finals;
    uint16_t base_in_hooks[2]; /* the engine's base in pre_run and final */
} ct_state;

static int order_next;   /* hook calls so far, across both instances */
static int order_log[4]; /* the base of the model of each hook call */

static int ct_init(dcs_engine *eng, void *state, const void *config, dcs_err *err)
{
    ct_state *s = state;
    s->c = config;
    s->base = dcs_engine_kind_base(eng);
    if (s->c->apart && dcs_timer_apart(eng, &s->timer) != 1)
        return dcs_err_set(err, DCS_ESTATE, "apart");
    if (s->c->timer_t >= 0.0 &&
        dcs_timer_start(eng, &s->timer, s->c->timer_t, s->base + K_TIMER, 7, 0) != 0)
        return dcs_err_set(err, DCS_ESTATE, "timer");
    if (s->c->restart_t >= 0.0 &&
        dcs_timer_start(eng, &s->timer, s->c->restart_t, s->base + K_TIMER, 8, 0) != 0)
        return dcs_err_set(err, DCS_ESTATE, "timer again");
    if (s->c->stop_in_init) {
        dcs_timer_stop(eng, &s->timer);
        dcs_timer_stop(eng, &s->timer);
    }
    if (s->c->period > 0.0 && dcs_engine_every(eng, s->base + K_TICK, s->c->period, s->c->k0) != 0)
        return dcs_err_set(err, DCS_ESTATE, "every");
    return 0;
}

static int glog_n;            /* events of both instances, in dispatch order */
static double glog_t[MAXLOG]; /* their times */
static int glog_kind[MAXLOG]; /* their global kinds */

static void log_ev(ct_state *s, const dcs_event *ev)
{
    if (glog_n < MAXLOG) {
        glog_t[glog_n] = ev->t;
        glog_kind[glog_n++] = ev->kind;
    }
    if (s->nlog < MAXLOG) {
        s->log_t[s->nlog] = ev->t;
        s->log_kind[s->nlog] = ev->kind - s->base;
        s->log_arg[s->nlog] = ev->arg;
        s->nlog++;
    }
}

static int on_timer(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    (void)err;
    ct_state *s = state;
    s->pending_in_handler = dcs_timer_pending(eng, &s->timer);
    log_ev(s, ev);
    return 0;
}

static int on_tick(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    (void)eng;
    (void)err;
    log_ev(state, ev);
    return 0;
}

static int ct_pre_run(dcs_engine *eng, void *state, dcs_err *err)
{
    (void)err;
    ct_state *s = state;
    s->pre_runs++;
    s->pre_run_horizon = dcs_engine_horizon(eng);
    s->base_in_hooks[0] = dcs_engine_kind_base(eng);
    order_log[order_next++ % 4] = s->base;
    return 0;
}

static int ct_final(dcs_engine *eng, void *state, void *out, dcs_err *err)
{
    (void)err;
    ct_state *s = state;
    s->finals++;
    s->base_in_hooks[1] = dcs_engine_kind_base(eng);
    order_log[order_next++ % 4] = s->base;
    *(int *)out += 1;
    return 0;
}

static const char *const names[NK] = {"ct.timer", "ct.tick", "ct.other"};
static dcs_handler_fn *const handlers[NK] = {on_timer, on_tick, on_tick};
static const dcs_model ct_model = {.name = "ct",
                                   .state_size = sizeof(ct_state),
                                   .init = ct_init,
                                   .pre_run = ct_pre_run,
                                   .final = ct_final,
                                   .nkinds = NK,
                                   .kind_names = names,
                                   .handlers = handlers};
/* The same model under another name: a second instance. */
static const dcs_model ct_model2 = {.name = "ct2",
                                    .state_size = sizeof(ct_state),
                                    .init = ct_init,
                                    .pre_run = ct_pre_run,
                                    .final = ct_final,
                                    .nkinds = NK,
                                    .kind_names = names,
                                    .handlers = handlers};

static dcs_engine *make(ct_cfg *a, ct_cfg *b)
{
    dcs_err err;
    dcs_err_clear(&err);
    dcs_engine *eng = dcs_engine_create(1, &err);
    cr_assert_not_null(eng);
    cr_assert_eq(dcs_engine_add_model(eng, &ct_model, a, NULL, &err), 0);
    cr_assert_eq(dcs_engine_add_model(eng, &ct_model2, b, NULL, &err), 0);
    order_next = 0;
    glog_n = 0;
    cr_assert_eq(dcs_engine_reset(eng, 1, 0, &err), 0, "%s", err.msg);
    return eng;
}

#define IDLE                                                                                       \
    {                                                                                              \
        .period = 0.0, .timer_t = -1.0, .restart_t = -1.0                                          \
    }

Test(contract, kind_bases_are_handed_to_each_model)
{
    ct_cfg a = IDLE, b = IDLE;
    b.timer_t = 2.0;
    dcs_engine *eng = make(&a, &b);
    ct_state *sa = dcs_engine_state(eng, &ct_model), *sb = dcs_engine_state(eng, &ct_model2);
    cr_assert_eq(sa->base, 0);
    cr_assert_eq(sb->base, NK);
    dcs_err err;
    cr_assert_eq(dcs_engine_run(eng, HUGE_VAL, &err), 0);
    /* The second model's timer event reached its own handler, local kind
     * K_TIMER, and the hooks saw the model's own base. */
    cr_assert_eq(sb->nlog, 1);
    cr_assert_eq(sb->log_kind[0], K_TIMER);
    cr_assert_eq(sa->nlog, 0);
    int out = 0;
    cr_assert_eq(dcs_engine_finish(eng, &out, &err), 0);
    cr_assert_eq(sb->base_in_hooks[0], NK);
    cr_assert_eq(sb->base_in_hooks[1], NK);
    cr_assert_eq(sa->base_in_hooks[1], 0);
    dcs_engine_destroy(eng);
}

/* The same in the heap and set apart. */
static void timer_start_and_stop(int apart)
{
    ct_cfg a = IDLE, b = IDLE;
    a.apart = apart;
    a.timer_t = 5.0;
    a.restart_t = 3.0; /* the second start replaces the first */
    dcs_engine *eng = make(&a, &b);
    ct_state *s = dcs_engine_state(eng, &ct_model);
    cr_assert(dcs_timer_pending(eng, &s->timer));
    dcs_err err;
    cr_assert_eq(dcs_engine_run(eng, HUGE_VAL, &err), 0);
    cr_assert_eq(s->nlog, 1, "one event, not two: %d", s->nlog);
    cr_assert_eq(s->log_t[0], 3.0);
    cr_assert_not(s->pending_in_handler, "a timer is idle in its own handler");
    cr_assert_not(dcs_timer_pending(eng, &s->timer));
    dcs_timer_stop(eng, &s->timer); /* stopping an idle timer does nothing */
    cr_assert_not(dcs_timer_pending(eng, &s->timer));
    dcs_engine_destroy(eng);

    ct_cfg c = IDLE, d = IDLE;
    c.apart = apart;
    c.timer_t = 5.0;
    c.stop_in_init = 1; /* stopped twice: no event, no error */
    eng = make(&c, &d);
    s = dcs_engine_state(eng, &ct_model);
    cr_assert_not(dcs_timer_pending(eng, &s->timer));
    cr_assert_eq(dcs_engine_run(eng, HUGE_VAL, &err), 0);
    cr_assert_eq(s->nlog, 0);
    cr_assert_eq(dcs_engine_events(eng), 0);
    dcs_engine_destroy(eng);
}

Test(contract, timer_start_and_stop_are_idempotent)
{
    timer_start_and_stop(0);
    timer_start_and_stop(1);
}

/* Timers set apart keep their events out of the heap, not out of the
 * order: with either instance's timer apart or not, the events dispatch in
 * the same (time, sequence) order, ties at t = 2 s included. a's timer is
 * started twice (the second start takes a later sequence number than a's
 * first tick), then b's. */
Test(contract, timers_set_apart_dispatch_in_the_order_of_the_heap)
{
    const int want_kind[] = {K_TICK, K_TICK, K_TIMER, NK + K_TIMER, K_TICK, K_TICK};
    const double want_t[] = {0.0, 1.0, 2.0, 2.0, 2.0, 3.0};
    for (int apart = 0; apart < 4; apart++) {
        ct_cfg a = IDLE, b = IDLE;
        a.period = 1.0;
        a.timer_t = a.restart_t = b.timer_t = 2.0;
        a.apart = apart & 1;
        b.apart = apart >> 1;
        dcs_engine *eng = make(&a, &b);
        dcs_err err;
        cr_assert_eq(dcs_engine_run(eng, 3.5, &err), 0);
        cr_assert_eq(glog_n, 6, "apart %d: %d events", apart, glog_n);
        for (int i = 0; i < 6; i++)
            cr_assert(glog_t[i] == want_t[i] && glog_kind[i] == want_kind[i],
                      "apart %d, event %d: kind %d at %g", apart, i, glog_kind[i], glog_t[i]);
        dcs_engine_destroy(eng);
    }
}

/* An engine has DCS_QUEUE_SIDE places apart; a timer refused one stays in
 * the heap and works the same. */
Test(contract, timers_apart_are_limited_and_the_rest_stay_in_the_heap)
{
    ct_cfg a = IDLE, b = IDLE;
    a.apart = 1;
    dcs_engine *eng = make(&a, &b);
    dcs_timer tm[DCS_QUEUE_SIDE + 1] = {{0}};
    int n = 0;
    for (int i = 0; i <= DCS_QUEUE_SIDE; i++)
        n += dcs_timer_apart(eng, &tm[i]);
    cr_assert_eq(n, DCS_QUEUE_SIDE - 1, "a's timer holds one place");
    cr_assert_eq(tm[DCS_QUEUE_SIDE].side, 0);
    cr_assert_eq(dcs_timer_start(eng, &tm[DCS_QUEUE_SIDE], 1.0, K_OTHER, 0, 0), 0);
    cr_assert_eq(dcs_timer_start(eng, &tm[0], 1.0, K_TICK, 0, 0), 0);
    cr_assert_eq(dcs_timer_start(eng, &tm[0], -1.0, K_TICK, 0, 0), DCS_ESTATE, "in the past");
    cr_assert_not(dcs_timer_pending(eng, &tm[0]), "a refused start leaves the timer stopped");
    cr_assert_eq(dcs_timer_start(eng, &tm[0], 1.0, K_TICK, 0, 0), 0);
    cr_assert(dcs_timer_pending(eng, &tm[DCS_QUEUE_SIDE]) && dcs_timer_pending(eng, &tm[0]));
    dcs_err err;
    cr_assert_eq(dcs_engine_run(eng, HUGE_VAL, &err), 0);
    cr_assert_eq(glog_n, 2);
    cr_assert(glog_kind[0] == K_OTHER && glog_kind[1] == K_TICK, "started first, popped first");
    cr_assert_not(dcs_timer_pending(eng, &tm[0]));
    dcs_engine_destroy(eng);
}

/* Lanes: dcs_engine_lane hands out 1, 2, ... (0 when none is left); an
 * event scheduled in a lane, in lane 0 (the heap), or in a lane but
 * earlier than its latest (to the heap) dispatches in the (time, sequence)
 * order of one heap, ties included; what cannot be scheduled is refused. */
Test(contract, lanes_dispatch_in_the_order_of_the_heap)
{
    ct_cfg a = IDLE, b = IDLE;
    dcs_engine *eng = make(&a, &b);
    uint32_t l1 = dcs_engine_lane(eng), l2 = dcs_engine_lane(eng);
    cr_assert(l1 == 1 && l2 == 2);
    cr_assert_eq(dcs_engine_schedule_in(eng, l1, 2.0, K_OTHER, 0, 1), 0);
    cr_assert_eq(dcs_engine_schedule_in(eng, 0, 2.0, K_OTHER, 0, 2), 0);
    cr_assert_eq(dcs_engine_schedule_in(eng, l2, 1.0, K_OTHER, 0, 3), 0);
    cr_assert_eq(dcs_engine_schedule_in(eng, l1, 1.5, K_OTHER, 0, 4), 0, "earlier: the heap");
    cr_assert_eq(dcs_engine_schedule_in(eng, l1, 2.0, K_OTHER, 0, 5), 0);
    cr_assert_eq(dcs_engine_schedule_in(eng, l2, 3.0, K_OTHER, 0, 6), 0);
    cr_assert_eq(dcs_engine_schedule_in(eng, l2, -1.0, K_OTHER, 0, 7), DCS_ESTATE, "past");
    cr_assert_eq(dcs_engine_schedule_in(eng, l2, 1.0, NK * 2, 0, 7), DCS_ESTATE, "no kind");
    cr_assert_eq(dcs_engine_schedule_in(eng, 9, 1.0, K_OTHER, 0, 7), DCS_ESTATE, "no lane");
    dcs_err err;
    cr_assert_eq(dcs_engine_run(eng, HUGE_VAL, &err), 0);
    ct_state *s = dcs_engine_state(eng, &ct_model);
    const uint64_t want[] = {3, 4, 1, 2, 5, 6};
    cr_assert_eq(s->nlog, 6);
    for (int i = 0; i < 6; i++)
        cr_assert_eq(s->log_arg[i], want[i], "event %d: arg %llu", i,
                     (unsigned long long)s->log_arg[i]);
    uint32_t n = 2;
    while (dcs_engine_lane(eng) != 0)
        n++;
    cr_assert_eq(n, DCS_QUEUE_LANES, "lanes are limited");
    dcs_engine_destroy(eng);
}

Test(contract, periodic_events_fall_at_k_times_the_period)
{
    ct_cfg a = IDLE, b = IDLE;
    a.period = 0.1; /* not a binary fraction: t + 0.1 would drift */
    a.k0 = 1;
    b.period = 3600.0;
    b.k0 = 0;
    dcs_engine *eng = make(&a, &b);
    dcs_err err;
    cr_assert_eq(dcs_engine_run(eng, 4.0 * 3600.0, &err), 0);
    ct_state *sa = dcs_engine_state(eng, &ct_model), *sb = dcs_engine_state(eng, &ct_model2);
    cr_assert_eq(sa->nlog, MAXLOG); /* 144,000 ticks, the first 64 logged */
    for (int i = 0; i < sa->nlog; i++) {
        cr_assert_eq(sa->log_kind[i], K_TICK);
        cr_assert_eq(sa->log_arg[i], (uint64_t)i + 1);
        cr_assert_eq(sa->log_t[i], (double)(i + 1) * 0.1, "tick %d at %.17g", i, sa->log_t[i]);
    }
    cr_assert_eq(sb->nlog, 5); /* 0, 1, 2, 3 and 4 h: the run ends at 4 h */
    for (int i = 0; i < 5; i++)
        cr_assert_eq(sb->log_t[i], 3600.0 * i);
    /* A reset clears the periodic kinds: a K_TICK scheduled by hand after
     * it is one event, not re-armed. */
    b.period = 0.0;
    a.period = 0.0;
    cr_assert_eq(dcs_engine_reset(eng, 1, 1, &err), 0);
    cr_assert_eq(dcs_engine_schedule(eng, 1.0, 0 + K_TICK, 0, 0, NULL), 0);
    cr_assert_eq(dcs_engine_run(eng, HUGE_VAL, &err), 0);
    cr_assert_eq(dcs_engine_events(eng), 1);
    cr_assert_eq(dcs_engine_every(eng, 0 + K_TICK, 0.0, 0), DCS_ESTATE);
    cr_assert_eq(dcs_engine_every(eng, 0 + K_TICK, NAN, 0), DCS_ESTATE);
    dcs_engine_destroy(eng);
}

Test(contract, pre_run_and_final_run_once_in_model_order)
{
    ct_cfg a = IDLE, b = IDLE;
    a.timer_t = 1.0;
    dcs_engine *eng = make(&a, &b);
    ct_state *sa = dcs_engine_state(eng, &ct_model), *sb = dcs_engine_state(eng, &ct_model2);
    cr_assert_eq(sa->pre_runs, 0, "not at reset");
    dcs_err err;
    cr_assert_eq(dcs_engine_run(eng, 0.5, &err), 0);
    cr_assert_eq(sa->pre_runs, 1);
    cr_assert_eq(sb->pre_runs, 1);
    cr_assert_eq(sa->pre_run_horizon, 0.5, "pre_run sees the run's horizon");
    cr_assert_eq(dcs_engine_run(eng, HUGE_VAL, &err), 0); /* a second run goes on */
    cr_assert_eq(sa->pre_runs, 1, "once per reset");
    cr_assert_eq(sa->nlog, 1);
    int out = 0;
    cr_assert_eq(dcs_engine_finish(eng, &out, &err), 0);
    cr_assert_eq(out, 2, "each final got the caller's record");
    cr_assert_eq(order_next, 4);
    cr_assert_eq(order_log[0], 0);
    cr_assert_eq(order_log[1], NK);
    cr_assert_eq(order_log[2], 0);
    cr_assert_eq(order_log[3], NK);
    cr_assert_eq(dcs_engine_reset(eng, 1, 1, &err), 0);
    cr_assert_eq(dcs_engine_run(eng, HUGE_VAL, &err), 0);
    sa = dcs_engine_state(eng, &ct_model);
    cr_assert_eq(sa->pre_runs, 1, "again after a reset");
    dcs_engine_destroy(eng);
}
