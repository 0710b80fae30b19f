/*
 * engine.c - clock, dispatch loop, model plug-in and stream ownership.
 *
 * The dispatch loop pops the earliest event, advances the clock to its
 * time and calls the handler of its kind with the state block of the model
 * that owns the kind. Handler and state pointers sit in flat per-kind
 * arrays so dispatch is two loads and an indirect call. Models are added
 * once; each reset zeroes their state blocks and calls their init, so a
 * replication starts from exactly the same state whichever engine (thread)
 * runs it. The interrupt flag is polled every 4096 events, cheap enough to
 * be invisible and often enough to stop within milliseconds. A model's
 * config may be rebound between replications (a thread running several
 * sweep points); tracing is one pointer test per record when off.
 * Timers are event ids that the queue can tell pending or not, so a model
 * keeps no flag beside them; a timer set apart (dcs_timer_apart) has its
 * event in one of the queue's side entries instead of the heap, and a
 * lane (dcs_engine_lane) is a FIFO of events headed by one. A
 * periodic kind has its period in a per-kind
 * table; its events carry their index k, and the next is pushed at
 * (k + 1) x period after the handler, as the models did by hand before.
 */
#include "engine.h"

#include "rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MODELS          16
#define MAX_KINDS           256
#define INTERRUPT_POLL_MASK 4095u /* poll the interrupt flag every 4096 events */

typedef struct plugged {
    const dcs_model *m;
    const void *config;
    void *state;
    uint16_t kind_base;
    void *scratch; /* dcs_engine_scratch: kept from one reset to the next */
    size_t scratch_cap;
} plugged;

struct dcs_engine {
    dcs_queue q;
    double now;
    double t_end; /* the end of the dcs_engine_run() under way */
    int stop;
    uint64_t nevents;
    const volatile sig_atomic_t *interrupt;
    int nmodels;
    int armed;   /* model inits have run since the last fini */
    int started; /* the pre_run hooks have run since the last reset */
    plugged models[MAX_MODELS];
    uint16_t nkinds;
    dcs_handler_fn *handlers[MAX_KINDS];
    void *kind_state[MAX_KINDS];
    uint16_t kind_base[MAX_KINDS]; /* the first kind of each kind's model */
    double period[MAX_KINDS];      /* periodic kinds: the period, s; else 0 */
    uint16_t cur_base;             /* the base of the model being called */
    int cur_model;                 /* the model whose init runs, or -1 */
    const char *kind_names[MAX_KINDS];
    const char *kind_docs[MAX_KINDS];
    dcs_trace *trace;    /* borrowed; NULL when not tracing */
    dcs_watch_fn *watch; /* the watcher of shared values, or NULL */
    void *watch_state;
    uint32_t nstreams;
    gsl_rng **streams;
    uint64_t *keyed; /* [nstreams] the reset that last keyed each stream */
    uint64_t resets; /* resets so far: keyed[i] == resets is keyed for this one */
    uint64_t seed, replication;
};

dcs_engine *dcs_engine_create(uint32_t nstreams, dcs_err *err)
{
    dcs_engine *eng = calloc(1, sizeof *eng);
    if (eng == NULL)
        goto nomem;
    eng->cur_model = -1;
    if (dcs_queue_init(&eng->q, 1024, err) != 0)
        goto fail;
    eng->streams = calloc(nstreams ? nstreams : 1, sizeof *eng->streams);
    eng->keyed = calloc(nstreams ? nstreams : 1, sizeof *eng->keyed);
    if (eng->streams == NULL || eng->keyed == NULL)
        goto nomem;
    eng->nstreams = nstreams;
    for (uint32_t i = 0; i < nstreams; i++) {
        eng->streams[i] = dcs_rng_create(err);
        if (eng->streams[i] == NULL)
            goto fail;
    }
    return eng;
nomem:
    dcs_err_set(err, DCS_ENOMEM, "cannot allocate an engine");
fail:
    dcs_engine_destroy(eng);
    return NULL;
}

static void fini_models(dcs_engine *eng)
{
    if (!eng->armed)
        return;
    for (int i = 0; i < eng->nmodels; i++)
        if (eng->models[i].m->fini != NULL)
            eng->models[i].m->fini(eng->models[i].state);
    eng->armed = 0;
}

void dcs_engine_destroy(dcs_engine *eng)
{
    if (eng == NULL)
        return;
    fini_models(eng);
    for (int i = 0; i < eng->nmodels; i++) {
        free(eng->models[i].state);
        free(eng->models[i].scratch);
    }
    if (eng->streams != NULL)
        for (uint32_t i = 0; i < eng->nstreams; i++)
            if (eng->streams[i] != NULL)
                gsl_rng_free(eng->streams[i]);
    free(eng->streams);
    free(eng->keyed);
    dcs_queue_fini(&eng->q);
    free(eng);
}

int dcs_engine_add_model(dcs_engine *eng, const dcs_model *m, const void *config,
                         uint16_t *kind_base, dcs_err *err)
{
    if (eng->nmodels == MAX_MODELS || eng->nkinds + (unsigned)m->nkinds > MAX_KINDS)
        return dcs_err_set(err, DCS_ESTATE, "too many models or event kinds (adding %s)", m->name);
    plugged *p = &eng->models[eng->nmodels];
    p->state = calloc(1, m->state_size ? m->state_size : 1);
    if (p->state == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "cannot allocate the state of model %s", m->name);
    p->m = m;
    p->config = config;
    p->kind_base = eng->nkinds;
    for (uint16_t k = 0; k < m->nkinds; k++) {
        eng->handlers[p->kind_base + k] = m->handlers[k];
        eng->kind_state[p->kind_base + k] = p->state;
        eng->kind_base[p->kind_base + k] = p->kind_base;
        eng->kind_names[p->kind_base + k] = m->kind_names[k];
        eng->kind_docs[p->kind_base + k] = m->kind_docs != NULL ? m->kind_docs[k] : "";
    }
    eng->nkinds += m->nkinds;
    eng->nmodels++;
    if (kind_base != NULL)
        *kind_base = p->kind_base;
    return 0;
}

int dcs_engine_rebind(dcs_engine *eng, const dcs_model *m, const void *config)
{
    for (int i = 0; i < eng->nmodels; i++)
        if (eng->models[i].m == m) {
            eng->models[i].config = config;
            return 0;
        }
    return DCS_ESTATE;
}

const void *dcs_engine_config(const dcs_engine *eng, const dcs_model *m)
{
    for (int i = 0; i < eng->nmodels; i++)
        if (eng->models[i].m == m)
            return eng->models[i].config;
    return NULL;
}

int dcs_engine_reset(dcs_engine *eng, uint64_t seed, uint64_t replication, dcs_err *err)
{
    fini_models(eng);
    dcs_queue_clear(&eng->q);
    eng->now = 0.0;
    eng->t_end = -HUGE_VAL; /* no horizon outside dcs_engine_run: models' inits see none */
    eng->stop = 0;
    eng->nevents = 0;
    eng->watch = NULL;
    eng->watch_state = NULL;
    /* Only kinds below nkinds are ever given a period (dcs_engine_every);
     * a kind added later starts at the engine's calloc's zero. */
    memset(eng->period, 0, eng->nkinds * sizeof eng->period[0]);
    /* Streams are keyed when first asked for (dcs_engine_rng): a
     * replication uses a few of its hundreds. */
    eng->resets++;
    eng->seed = seed;
    eng->replication = replication;
    for (int i = 0; i < eng->nmodels; i++)
        memset(eng->models[i].state, 0, eng->models[i].m->state_size);
    eng->armed = 1;
    for (int i = 0; i < eng->nmodels; i++) {
        plugged *p = &eng->models[i];
        eng->cur_base = p->kind_base;
        eng->cur_model = i;
        int rc = p->m->init != NULL ? p->m->init(eng, p->state, p->config, err) : 0;
        eng->cur_model = -1;
        if (rc != 0)
            return rc;
    }
    eng->started = 0;
    return 0;
}

/* The first dcs_engine_run after a reset: every model's pre_run, at t = 0
 * with the run's horizon in place. */
static int pre_run(dcs_engine *eng, dcs_err *err)
{
    eng->started = 1;
    for (int i = 0; i < eng->nmodels; i++) {
        plugged *p = &eng->models[i];
        eng->cur_base = p->kind_base;
        if (p->m->pre_run != NULL) {
            int rc = p->m->pre_run(eng, p->state, err);
            if (rc != 0)
                return rc;
        }
    }
    return 0;
}

int dcs_engine_finish(dcs_engine *eng, void *out, dcs_err *err)
{
    for (int i = 0; i < eng->nmodels; i++) {
        plugged *p = &eng->models[i];
        eng->cur_base = p->kind_base;
        if (p->m->final != NULL) {
            int rc = p->m->final(eng, p->state, out, err);
            if (rc != 0)
                return rc;
        }
    }
    return 0;
}

uint16_t dcs_engine_kind_base(const dcs_engine *eng)
{
    return eng->cur_base;
}

/* After a periodic event's handler: the next one, at (k + 1) x period. */
static int rearm(dcs_engine *eng, const dcs_event *ev, dcs_err *err)
{
    uint64_t k = ev->arg + 1;
    int rc =
        dcs_queue_push(&eng->q, (double)k * eng->period[ev->kind], ev->kind, ev->unit, k, NULL);
    return rc != 0 ? dcs_err_set(err, rc, "cannot schedule a periodic event") : 0;
}

int dcs_engine_run(dcs_engine *eng, double t_end, dcs_err *err)
{
    eng->stop = 0;
    eng->t_end = t_end;
    if (!eng->started) {
        int rc = pre_run(eng, err);
        if (rc != 0) {
            eng->t_end = -HUGE_VAL;
            return rc;
        }
    }
    dcs_event ev;
    while (!eng->stop) {
        if (!dcs_queue_pop_until(&eng->q, t_end, &ev)) {
            /* the next event lies after t_end, or none is left */
            if (t_end > eng->now && t_end < HUGE_VAL)
                eng->now = t_end;
            break;
        }
        eng->now = ev.t;
        eng->nevents++;
        eng->cur_base = eng->kind_base[ev.kind];
        int rc = eng->handlers[ev.kind](eng, eng->kind_state[ev.kind], &ev, err);
        if (rc == 0 && eng->period[ev.kind] > 0.0)
            rc = rearm(eng, &ev, err);
        if (rc != 0)
            return rc;
        if ((eng->nevents & INTERRUPT_POLL_MASK) == 0 && eng->interrupt != NULL &&
            *eng->interrupt) {
            eng->t_end = -HUGE_VAL;
            return dcs_err_set(err, DCS_EINTR, "interrupted");
        }
    }
    eng->t_end = -HUGE_VAL;
    return 0;
}

double dcs_engine_horizon(dcs_engine *eng)
{
    double t = dcs_queue_peek_time(&eng->q);
    return t < eng->t_end ? t : eng->t_end;
}

double dcs_engine_horizon_except(dcs_engine *eng, const dcs_timer *tm)
{
    double t = dcs_queue_peek_time_except(&eng->q, tm->id);
    return t < eng->t_end ? t : eng->t_end;
}

void dcs_engine_stop(dcs_engine *eng)
{
    eng->stop = 1;
}

void dcs_engine_set_interrupt(dcs_engine *eng, const volatile sig_atomic_t *flag)
{
    eng->interrupt = flag;
}

/* Whether an event of kind `kind` may be scheduled at t. */
static int schedulable(const dcs_engine *eng, double t, uint16_t kind)
{
    return t >= eng->now && kind < eng->nkinds && eng->handlers[kind] != NULL;
}

int dcs_engine_schedule(dcs_engine *eng, double t, uint16_t kind, uint32_t unit, uint64_t arg,
                        uint64_t *id)
{
    if (!schedulable(eng, t, kind))
        return DCS_ESTATE;
    return dcs_queue_push(&eng->q, t, kind, unit, arg, id);
}

uint32_t dcs_engine_lane(dcs_engine *eng)
{
    uint32_t lane;
    return dcs_queue_lane_reserve(&eng->q, &lane) == 0 ? lane + 1 : 0;
}

int dcs_engine_schedule_in(dcs_engine *eng, uint32_t lane, double t, uint16_t kind, uint32_t unit,
                           uint64_t arg)
{
    if (lane == 0)
        return dcs_engine_schedule(eng, t, kind, unit, arg, NULL);
    if (!schedulable(eng, t, kind))
        return DCS_ESTATE;
    return dcs_queue_lane_push(&eng->q, lane - 1, t, kind, unit, arg);
}

int dcs_engine_cancel(dcs_engine *eng, uint64_t id)
{
    return dcs_queue_cancel(&eng->q, id);
}

int dcs_timer_start(dcs_engine *eng, dcs_timer *tm, double t, uint16_t kind, uint32_t unit,
                    uint64_t arg)
{
    if (tm->side == 0) {
        dcs_timer_stop(eng, tm);
        return dcs_engine_schedule(eng, t, kind, unit, arg, &tm->id);
    }
    /* A side entry's push replaces the event it holds. */
    int rc = schedulable(eng, t, kind)
                 ? dcs_queue_side_push(&eng->q, tm->side - 1, t, kind, unit, arg, &tm->id)
                 : DCS_ESTATE;
    if (rc != 0)
        dcs_timer_stop(eng, tm);
    return rc;
}

int dcs_timer_apart(dcs_engine *eng, dcs_timer *tm)
{
    uint32_t side;
    if (dcs_queue_side_reserve(&eng->q, &side) != 0)
        return 0;
    tm->side = side + 1;
    return 1;
}

void dcs_timer_stop(dcs_engine *eng, dcs_timer *tm)
{
    if (tm->side != 0) {
        if (dcs_queue_side_pending(&eng->q, tm->side - 1, tm->id))
            dcs_queue_side_stop(&eng->q, tm->side - 1);
    } else if (dcs_queue_pending(&eng->q, tm->id)) {
        (void)dcs_queue_cancel(&eng->q, tm->id);
    }
    tm->id = 0;
}

int dcs_timer_pending(const dcs_engine *eng, const dcs_timer *tm)
{
    return tm->side != 0 ? dcs_queue_side_pending(&eng->q, tm->side - 1, tm->id)
                         : dcs_queue_pending(&eng->q, tm->id);
}

int dcs_engine_every(dcs_engine *eng, uint16_t kind, double period, uint64_t k0)
{
    if (!(period > 0.0) || !isfinite(period) || kind >= eng->nkinds || eng->handlers[kind] == NULL)
        return DCS_ESTATE;
    eng->period[kind] = period;
    return dcs_engine_schedule(eng, (double)k0 * period, kind, 0, k0, NULL);
}

void *dcs_engine_scratch(dcs_engine *eng, size_t bytes)
{
    if (eng->cur_model < 0)
        return NULL;
    plugged *p = &eng->models[eng->cur_model];
    if (bytes > p->scratch_cap) {
        void *b = malloc(bytes);
        if (b == NULL)
            return NULL;
        free(p->scratch);
        p->scratch = b;
        p->scratch_cap = bytes;
    }
    return p->scratch;
}

double dcs_engine_now(const dcs_engine *eng)
{
    return eng->now;
}

gsl_rng *dcs_engine_rng(dcs_engine *eng, uint32_t stream)
{
    if (stream >= eng->nstreams)
        return NULL;
    if (eng->keyed[stream] != eng->resets) {
        dcs_rng_key(eng->streams[stream], eng->seed, eng->replication, stream);
        eng->keyed[stream] = eng->resets;
    }
    return eng->streams[stream];
}

void *dcs_engine_state(dcs_engine *eng, const dcs_model *m)
{
    for (int i = 0; i < eng->nmodels; i++)
        if (eng->models[i].m == m)
            return eng->models[i].state;
    return NULL;
}

uint64_t dcs_engine_events(const dcs_engine *eng)
{
    return eng->nevents;
}

const dcs_queue *dcs_engine_queue(const dcs_engine *eng)
{
    return &eng->q;
}

uint16_t dcs_engine_nkinds(const dcs_engine *eng)
{
    return eng->nkinds;
}

const char *dcs_engine_kind_name(const dcs_engine *eng, uint16_t kind)
{
    return kind < eng->nkinds ? eng->kind_names[kind] : NULL;
}

const char *dcs_engine_kind_doc(const dcs_engine *eng, uint16_t kind)
{
    return kind < eng->nkinds ? eng->kind_docs[kind] : NULL;
}

void dcs_engine_set_trace(dcs_engine *eng, dcs_trace *tr)
{
    eng->trace = tr;
}

dcs_trace *dcs_engine_trace_of(dcs_engine *eng)
{
    return eng->trace;
}

int dcs_engine_trace(dcs_engine *eng, uint16_t kind, uint32_t unit, double value)
{
    if (eng->trace == NULL)
        return 0;
    if (kind >= eng->nkinds)
        return DCS_ESTATE;
    return dcs_trace_event_add(eng->trace, eng->now, kind, unit, value);
}

int dcs_engine_trace_at(dcs_engine *eng, double t, uint16_t kind, uint32_t unit, double value)
{
    if (eng->trace == NULL)
        return 0;
    if (kind >= eng->nkinds || !(t >= eng->now))
        return DCS_ESTATE;
    return dcs_trace_event_add(eng->trace, t, kind, unit, value);
}

void dcs_engine_watch(dcs_engine *eng, dcs_watch_fn *fn, void *state)
{
    eng->watch = fn;
    eng->watch_state = state;
}

int dcs_engine_changing(dcs_engine *eng, double t, dcs_err *err)
{
    return eng->watch != NULL ? eng->watch(eng, eng->watch_state, t, 0, err) : 0;
}

int dcs_engine_changed(dcs_engine *eng, double t, dcs_err *err)
{
    return eng->watch != NULL ? eng->watch(eng, eng->watch_state, t, 1, err) : 0;
}
