/*
 * study.c - points x replications on the runner, rows into the file.
 *
 * A run call numbers its work items point-major: item i is replication
 * first + i % count of point points[i / count]. Each thread's engine is
 * made once per call from the prototype world and rebound to the item's
 * world by dcs_world_run (every world has the same models), so a sweep
 * costs no engine per point. A traced replication gets its own trace
 * buffer, filled by the worker and handed with the result to the writer,
 * which appends its events and samples and frees it; the runner discards
 * the buffers of results that are never written (an error, an interrupt).
 *
 * Worlds are made on demand: a small table of slots (point, world, state)
 * under one OpenMP lock. The first thread to need point p adds a slot in
 * state "making", drops the lock, makes the world and publishes it; others
 * wanting p meanwhile yield and look again. The writer destroys the world
 * when it writes p's last item of the call: every item of p has then been
 * run, since items are written in order. The runner starts item i only
 * after item i - window is written, so the slots in use stay below about
 * window / count + 2, and the table stays small enough to search linearly.
 */
#include "study.h"

#include "runner.h"
#include "trace.h"

#include <omp.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

/* Events are many small rows: larger chunks mean fewer, better-compressed
 * writes (8192 rows of 42 bytes: 336 KiB). Deflate level 1 after the
 * shuffle filter: a trace of 10^5 events per replication must not cost
 * more time than the replication itself. */
static const dcs_h5table_opts event_opts_base = {8192, 1, NULL, 0, DCS_H5_STR_LEN};

enum { SLOT_MAKING, SLOT_READY, SLOT_FAILED };

typedef struct slot {
    size_t point;
    dcs_world *w; /* owned; NULL unless ready */
    int state;
} slot;

typedef struct item_result {
    dcs_run_result r;
    const dcs_world *w; /* the point's world, alive until the point's last item is written */
    dcs_trace *trace;   /* traced replications only; owned */
} item_result;

struct dcs_study {
    const dcs_world *proto; /* borrowed */
    size_t npoints;
    dcs_study_world_fn *make; /* NULL: every point is proto */
    void *ctx;
    dcs_study_opts o;
    dcs_h5table *summary, *events, *ts;
    dcs_cell *cells; /* one row of the widest table */
    const char **kind_names, **kind_docs;
    omp_lock_t lock; /* guards the slots */
    slot *slots;
    size_t nslots, cap;
    /* the current run call */
    const size_t *points;
    uint64_t first, count;
    int final;
    dcs_progress *progress;
};

static const dcs_column event_cols[] = {
    {"point", "", DCS_COL_I64, "sweep point index (0 for a single scenario)"},
    {"replication", "", DCS_COL_I64, "replication index"},
    {"t_h", "h", DCS_COL_F64, "time since the start of the run"},
    {"kind", "", DCS_COL_ENUM, "what happened: see the kinds and kind_descriptions attributes"},
    {"unit", "", DCS_COL_I64, "which one: a failure class, node slot, level, ... (per kind)"},
    {"value", "", DCS_COL_F64, "a number whose meaning and unit the kind's description gives"},
};
#define NEVENT_COLS (sizeof event_cols / sizeof event_cols[0])

int dcs_study_check_columns(const dcs_world *proto, const dcs_world *w, size_t p, dcs_err *err)
{
    size_t nc0 = dcs_world_ncols(proto), nt0, nt;
    const dcs_column *c0 = dcs_world_cols(proto);
    const dcs_column *t0 = dcs_world_ts_cols(proto, &nt0);
    const dcs_column *c = dcs_world_cols(w);
    const dcs_column *t = dcs_world_ts_cols(w, &nt);
    int same = dcs_world_ncols(w) == nc0 && nt == nt0;
    for (size_t j = 0; same && j < nc0; j++)
        same = strcmp(c[j].name, c0[j].name) == 0;
    for (size_t j = 0; same && j < nt0; j++)
        same = strcmp(t[j].name, t0[j].name) == 0;
    if (!same)
        return dcs_err_set(err, DCS_EINPUT,
                           "point %zu has other output columns than point 0 (a section such as "
                           "power, or a failure class, given at some points only): the points of "
                           "one file must share their /summary columns",
                           p);
    return 0;
}

dcs_study *dcs_study_create(dcs_h5file *f, const dcs_world *proto, size_t npoints,
                            dcs_study_world_fn *make, void *ctx, const dcs_study_opts *o,
                            dcs_err *err)
{
    if (npoints == 0 || proto == NULL || (make == NULL && npoints != 1)) {
        dcs_err_set(err, DCS_EINPUT,
                    "a study needs at least one point, and a maker of worlds "
                    "for more than one");
        return NULL;
    }
    dcs_study *st = calloc(1, sizeof *st);
    if (st == NULL)
        goto nomem;
    omp_init_lock(&st->lock);
    st->proto = proto;
    st->npoints = npoints;
    st->make = make;
    st->ctx = ctx;
    st->o = *o;
    size_t ncols = dcs_world_ncols(proto), nts;
    const dcs_column *ts_cols = dcs_world_ts_cols(proto, &nts);
    size_t widest = ncols > nts ? ncols : nts;
    st->cells = calloc(widest > NEVENT_COLS ? widest : NEVENT_COLS, sizeof *st->cells);
    if (st->cells == NULL)
        goto nomem;
    st->summary = dcs_h5_table_create(f, "summary", "one row per (point, replication)",
                                      dcs_world_cols(proto), ncols, err);
    if (st->summary == NULL)
        goto fail;
    if (o->trace_k <= 0)
        return st;

    size_t nk = dcs_world_nkinds();
    st->kind_names = calloc(nk, sizeof *st->kind_names);
    st->kind_docs = calloc(nk, sizeof *st->kind_docs);
    if (st->kind_names == NULL || st->kind_docs == NULL)
        goto nomem;
    for (size_t k = 0; k < nk; k++)
        dcs_world_kind(k, &st->kind_names[k], &st->kind_docs[k]);
    dcs_h5table_opts eo = event_opts_base;
    eo.enum_names = st->kind_names;
    eo.nenum = (uint16_t)nk;
    st->events =
        dcs_h5_table_create_opts(f, "events",
                                 "every event of the traced replications, in time order per "
                                 "(point, replication)",
                                 event_cols, NEVENT_COLS, &eo, err);
    if (st->events == NULL ||
        dcs_h5_table_attr_strs(st->events, "kinds", st->kind_names, nk, err) != 0 ||
        dcs_h5_table_attr_strs(st->events, "kind_descriptions", st->kind_docs, nk, err) != 0)
        goto fail;
    if (dcs_world_sample_ncols(proto) > 0) {
        st->ts = dcs_h5_table_create(f, "timeseries",
                                     "traced replications sampled on a fixed step, and at their "
                                     "end; columns of models a scenario does not use are absent",
                                     ts_cols, nts, err);
        if (st->ts == NULL)
            goto fail;
    }
    return st;

nomem:
    dcs_err_set(err, DCS_ENOMEM, "out of memory preparing the output tables");
fail:
    dcs_study_destroy(st);
    return NULL;
}

void dcs_study_destroy(dcs_study *st)
{
    if (st == NULL)
        return;
    for (size_t i = 0; i < st->nslots; i++)
        dcs_world_destroy(st->slots[i].w);
    free(st->slots);
    omp_destroy_lock(&st->lock);
    free(st->cells);
    free(st->kind_names);
    free(st->kind_docs);
    free(st);
}

dcs_h5table *dcs_study_summary(dcs_study *st)
{
    return st->summary;
}

static dcs_engine *make_engine(void *ctx, dcs_err *err)
{
    const dcs_study *st = ctx;
    return dcs_world_engine_create(st->proto, err);
}

/* The slot of point p, or NULL. Caller holds the lock. */
static slot *find_slot(dcs_study *st, size_t p)
{
    for (size_t i = 0; i < st->nslots; i++)
        if (st->slots[i].point == p)
            return &st->slots[i];
    return NULL;
}

/* The world of point p, made if no thread has made it yet. */
static int acquire_world(dcs_study *st, size_t p, const dcs_world **out, dcs_err *err)
{
    if (st->make == NULL) {
        *out = st->proto;
        return 0;
    }
    for (;;) {
        omp_set_lock(&st->lock);
        slot *s = find_slot(st, p);
        if (s == NULL)
            break; /* ours to make; the lock is still held */
        int state = s->state;
        *out = s->w;
        omp_unset_lock(&st->lock);
        if (state == SLOT_READY)
            return 0;
        if (state == SLOT_FAILED)
            return dcs_err_set(err, DCS_ESTATE, "the world of point %zu could not be made", p);
        sched_yield(); /* another thread is making it */
    }
    if (st->nslots == st->cap) {
        size_t cap = st->cap ? 2 * st->cap : 16;
        slot *v = realloc(st->slots, cap * sizeof *v);
        if (v == NULL) {
            omp_unset_lock(&st->lock);
            return dcs_err_set(err, DCS_ENOMEM, "out of memory for the world of point %zu", p);
        }
        st->slots = v;
        st->cap = cap;
    }
    st->slots[st->nslots++] = (slot){p, NULL, SLOT_MAKING};
    omp_unset_lock(&st->lock);

    dcs_world *w = st->make(st->ctx, p, err);
    if (w != NULL && dcs_study_check_columns(st->proto, w, p, err) != 0) {
        dcs_world_destroy(w);
        w = NULL;
    }
    omp_set_lock(&st->lock);
    slot *s = find_slot(st, p);
    s->w = w;
    s->state = w != NULL ? SLOT_READY : SLOT_FAILED;
    omp_unset_lock(&st->lock);
    *out = w;
    return w != NULL ? 0 : (err->code != 0 ? err->code : DCS_ENOMEM);
}

/* Destroys the world of point p: its last item has been written. */
static void release_world(dcs_study *st, size_t p)
{
    if (st->make == NULL)
        return;
    omp_set_lock(&st->lock);
    slot *s = find_slot(st, p);
    if (s != NULL) {
        dcs_world_destroy(s->w);
        *s = st->slots[--st->nslots];
    }
    omp_unset_lock(&st->lock);
}

static void item_of(const dcs_study *st, uint64_t item, size_t *point, uint64_t *rep)
{
    *point = st->points[item / st->count];
    *rep = st->first + item % st->count;
}

static int run_item(void *ctx, dcs_engine *eng, uint64_t item, void *result, dcs_err *err)
{
    dcs_study *st = ctx;
    item_result *res = result;
    size_t p;
    uint64_t rep;
    item_of(st, item, &p, &rep);
    const dcs_world *w = NULL;
    int rc = acquire_world(st, p, &w, err);
    if (rc != 0)
        return rc;
    res->w = w;
    if ((int64_t)rep < st->o.trace_k) {
        res->trace = dcs_trace_create(dcs_world_sample_ncols(w), err);
        if (res->trace == NULL)
            return err->code;
    }
    return dcs_world_run_traced(w, eng, st->o.seed, rep, res->trace, &res->r, err);
}

static int write_trace(dcs_study *st, int64_t point, int64_t rep, const dcs_trace *tr, dcs_err *err)
{
    dcs_cell *c = st->cells;
    for (size_t i = 0; i < tr->nevents; i++) {
        const dcs_trace_event *e = &tr->events[i];
        c[0].i = point;
        c[1].i = rep;
        c[2].f = e->t / 3600.0;
        c[3].i = e->kind;
        c[4].i = e->unit;
        c[5].f = e->value;
        int rc = dcs_h5_table_append(st->events, c, err);
        if (rc != 0)
            return rc;
    }
    for (size_t i = 0; st->ts != NULL && i < tr->nsamples; i++) {
        c[0].i = point;
        c[1].i = rep;
        for (size_t j = 0; j < tr->ncols; j++)
            c[2 + j].f = tr->samples[i * tr->ncols + j];
        int rc = dcs_h5_table_append(st->ts, c, err);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int emit(void *ctx, uint64_t item, void *result, dcs_err *err)
{
    dcs_study *st = ctx;
    item_result *res = result;
    size_t p;
    uint64_t rep;
    item_of(st, item, &p, &rep);
    dcs_world_row(res->w, (int64_t)p, (int64_t)rep, &res->r, st->cells);
    int rc = dcs_h5_table_append(st->summary, st->cells, err);
    if (rc == 0 && res->trace != NULL)
        rc = write_trace(st, (int64_t)p, (int64_t)rep, res->trace, err);
    dcs_trace_destroy(res->trace);
    res->trace = NULL;
    if (rc == 0 && item % st->count == st->count - 1) {
        release_world(st, p);
        if (st->final && st->progress != NULL)
            dcs_progress_groups(st->progress, st->progress->groups_done + 1,
                                st->progress->groups_total, NULL);
    }
    return rc;
}

static void discard(void *ctx, void *result)
{
    (void)ctx;
    item_result *res = result;
    dcs_trace_destroy(res->trace);
    res->trace = NULL;
}

int dcs_study_run(dcs_study *st, const size_t *points, size_t npts, uint64_t first, uint64_t count,
                  int final, dcs_progress *progress, uint64_t *done, dcs_err *err)
{
    *done = 0;
    for (size_t i = 0; i < npts; i++)
        if (points[i] >= st->npoints)
            return dcs_err_set(err, DCS_ESTATE, "point %zu of %zu", points[i], st->npoints);
    st->points = points;
    st->first = first;
    st->count = count;
    st->final = final;
    st->progress = progress;
    dcs_runner_cfg rcfg = {
        .nitems = (uint64_t)npts * count,
        .nthreads = st->o.nthreads,
        .result_size = sizeof(item_result),
        .ctx = st,
        .engine_create = make_engine,
        .run_item = run_item,
        .emit = emit,
        .discard = discard,
        .interrupt = st->o.interrupt,
        .progress = progress,
    };
    int rc = dcs_runner_run(&rcfg, done, err);
    /* Worlds of points cut short by an error or an interrupt. */
    for (size_t i = 0; i < st->nslots; i++)
        dcs_world_destroy(st->slots[i].w);
    st->nslots = 0;
    return rc;
}
