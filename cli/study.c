/*
 * study.c - points x replications on the runner, rows into the file.
 *
 * A run call numbers its work items point-major: item i is replication
 * first + i % count of point points[i / count]. Each thread's engine is
 * made once from the first world and rebound to the item's world by
 * dcs_world_run (every world has the same models), so a sweep costs no
 * engine per point. A traced replication gets its own trace buffer, filled
 * by the worker and handed with the result to the writer, which appends
 * its events and samples and frees it; the runner discards the buffers of
 * results that are never written (an error, an interrupt).
 */
#include "study.h"

#include "runner.h"
#include "trace.h"

#include <stdlib.h>
#include <string.h>

/* Events are many small rows: larger chunks mean fewer, better-compressed
 * writes (8192 rows of 42 bytes: 336 KiB). Deflate level 1 after the
 * shuffle filter: a trace of 10^5 events per replication must not cost
 * more time than the replication itself. */
static const dcs_h5table_opts event_opts_base = {8192, 1, NULL, 0};

typedef struct item_result {
    dcs_run_result r;
    dcs_trace *trace; /* traced replications only; owned */
} item_result;

struct dcs_study {
    const dcs_world *const *worlds;
    size_t npoints;
    dcs_study_opts o;
    dcs_h5table *summary, *events, *ts;
    dcs_cell *cells; /* one row of the widest table */
    const char **kind_names, **kind_docs;
    /* the current run call */
    const size_t *points;
    uint64_t first, count;
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

/* The points' /summary and /timeseries columns must be the same. */
static int check_columns(const dcs_world *const *w, size_t n, dcs_err *err)
{
    size_t nc0 = dcs_world_ncols(w[0]), nt0;
    const dcs_column *c0 = dcs_world_cols(w[0]);
    const dcs_column *t0 = dcs_world_ts_cols(w[0], &nt0);
    for (size_t p = 1; p < n; p++) {
        size_t nt;
        const dcs_column *c = dcs_world_cols(w[p]);
        const dcs_column *t = dcs_world_ts_cols(w[p], &nt);
        int same = dcs_world_ncols(w[p]) == nc0 && nt == nt0;
        for (size_t j = 0; same && j < nc0; j++)
            same = strcmp(c[j].name, c0[j].name) == 0;
        for (size_t j = 0; same && j < nt0; j++)
            same = strcmp(t[j].name, t0[j].name) == 0;
        if (!same)
            return dcs_err_set(err, DCS_EINPUT,
                               "point %zu has other output columns than point 0 (a section such "
                               "as power given at some points only): the points of one file must "
                               "share their /summary columns",
                               p);
    }
    return 0;
}

dcs_study *dcs_study_create(dcs_h5file *f, const dcs_world *const *worlds, size_t npoints,
                            const dcs_study_opts *o, dcs_err *err)
{
    if (npoints == 0 || worlds == NULL) {
        dcs_err_set(err, DCS_EINPUT, "a study needs at least one point");
        return NULL;
    }
    if (check_columns(worlds, npoints, err) != 0)
        return NULL;
    dcs_study *st = calloc(1, sizeof *st);
    if (st == NULL)
        goto nomem;
    st->worlds = worlds;
    st->npoints = npoints;
    st->o = *o;
    size_t ncols = dcs_world_ncols(worlds[0]), nts;
    const dcs_column *ts_cols = dcs_world_ts_cols(worlds[0], &nts);
    size_t widest = ncols > nts ? ncols : nts;
    st->cells = calloc(widest > NEVENT_COLS ? widest : NEVENT_COLS, sizeof *st->cells);
    if (st->cells == NULL)
        goto nomem;
    st->summary = dcs_h5_table_create(f, "summary", "one row per (point, replication)",
                                      dcs_world_cols(worlds[0]), ncols, err);
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
    if (dcs_world_sample_ncols(worlds[0]) > 0) {
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
    return dcs_world_engine_create(st->worlds[0], err);
}

static void item_of(const dcs_study *st, uint64_t item, size_t *point, uint64_t *rep)
{
    *point = st->points[item / st->count];
    *rep = st->first + item % st->count;
}

static int run_item(void *ctx, dcs_engine *eng, uint64_t item, void *result, dcs_err *err)
{
    const dcs_study *st = ctx;
    item_result *res = result;
    size_t p;
    uint64_t rep;
    item_of(st, item, &p, &rep);
    const dcs_world *w = st->worlds[p];
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
    dcs_world_row(st->worlds[p], (int64_t)p, (int64_t)rep, &res->r, st->cells);
    int rc = dcs_h5_table_append(st->summary, st->cells, err);
    if (rc == 0 && res->trace != NULL)
        rc = write_trace(st, (int64_t)p, (int64_t)rep, res->trace, err);
    dcs_trace_destroy(res->trace);
    res->trace = NULL;
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
                  dcs_progress *progress, uint64_t *done, dcs_err *err)
{
    *done = 0;
    for (size_t i = 0; i < npts; i++)
        if (points[i] >= st->npoints)
            return dcs_err_set(err, DCS_ESTATE, "point %zu of %zu", points[i], st->npoints);
    st->points = points;
    st->first = first;
    st->count = count;
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
    return dcs_runner_run(&rcfg, done, err);
}
