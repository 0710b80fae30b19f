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
 *
 * Under MPI (ranks.h) every rank runs the items rank 0 hands it on its own
 * runner, and packs each result (the /summary row's cells, then the trace)
 * into bytes for rank 0, which unpacks and appends them in item order: the
 * same rows, in the same order, as one process writes. A rank gets its
 * items in increasing order, so when it packs an item of point p it will
 * never again need the worlds of the points before p, and destroys them.
 */
#include "study.h"

#include "ranks.h"
#include "runner.h"
#include "trace.h"

#include <omp.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

/* Events are many small rows: larger chunks mean fewer writes (8192 rows
 * of 42 bytes: 336 KiB). Traces are stored without filters: deflate, even
 * at level 1, cost ~175 ns a record against a budget of 100 for all of
 * a record's cost (docs/design-notes.md, "Trace records at ..."), and an
 * unfiltered whole chunk is written as it is (dcs_h5_table_flush). The
 * time series, far fewer rows, is stored the same way. */
static const dcs_h5table_opts event_opts_base = {8192, 0, NULL, 0, DCS_H5_STR_LEN, 0};

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
    dcs_world *own;     /* the replication's own world (uncertain inputs), or NULL; owned */
} item_result;

struct dcs_study {
    const dcs_world *proto; /* borrowed */
    size_t npoints;
    dcs_study_world_fn *make; /* NULL: every point is proto */
    void *ctx;
    dcs_study_rep_fn *rep_make; /* NULL: no replication worlds */
    void *rep_ctx;
    dcs_study_opts o;
    dcs_h5table *summary, *events, *ts;
    dcs_cell *cells;     /* one row of the widest table */
    int mpi;             /* more than one rank: results travel packed */
    dcs_cell *pcells;    /* under MPI: the row being packed (by the runner's writer) */
    unsigned char *pack; /* under MPI: the packed result */
    size_t pack_cap;
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

/* /summary's numbers are kept in memory up to this many bytes (40,000 rows
 * of 50 columns), so that /stats reads no chunk back (inflating it, through
 * HDF5's conversion buffers); a larger table is read back in groups of
 * columns, so memory stays bounded by this whatever the replications. */
#define SUMMARY_KEEP_BYTES (16u << 20)

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
    st->mpi = dcs_ranks_size() > 1;
    st->pcells = calloc(ncols, sizeof *st->pcells);
    if (st->pcells == NULL)
        goto nomem;
    if (f == NULL)
        return st; /* a rank that only computes */
    dcs_h5table_opts so = dcs_h5table_defaults;
    so.chunk_rows = dcs_h5_chunk_rows(o->rows);
    st->summary = dcs_h5_table_create_opts(f, "summary", "one row per (point, replication)",
                                           dcs_world_cols(proto), ncols, &so, err);
    if (st->summary == NULL ||
        dcs_h5_table_keep(st->summary, o->rows, SUMMARY_KEEP_BYTES, err) != 0)
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
        dcs_h5table_opts to = dcs_h5table_defaults;
        to.deflate = 0; /* as the events: see event_opts_base */
        st->ts =
            dcs_h5_table_create_opts(f, "timeseries",
                                     "traced replications sampled on a fixed step, and at their "
                                     "end; columns of models a scenario does not use are absent",
                                     ts_cols, nts, &to, err);
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
    free(st->pcells);
    free(st->pack);
    free(st->kind_names);
    free(st->kind_docs);
    free(st);
}

void dcs_study_set_rep_maker(dcs_study *st, dcs_study_rep_fn *fn, void *ctx)
{
    st->rep_make = fn;
    st->rep_ctx = ctx;
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

/* The shard's k: 1 without one. */
static uint64_t shard_k(const dcs_study_opts *o)
{
    return o->shard_k > 1 ? o->shard_k : 1;
}

uint64_t dcs_study_shard_items(const dcs_study_opts *o, uint64_t nitems)
{
    uint64_t k = shard_k(o), i = k > 1 ? o->shard_i : 0;
    return nitems > i ? (nitems - i + k - 1) / k : 0;
}

/* The first of the shard's items (by its own numbering) at or after the
 * call's item g. */
static uint64_t shard_first_at(const dcs_study_opts *o, uint64_t g)
{
    uint64_t k = shard_k(o), i = k > 1 ? o->shard_i : 0;
    return g > i ? (g - i + k - 1) / k : 0;
}

uint64_t dcs_study_point_rows(const dcs_study_opts *o, size_t j, uint64_t count, uint64_t done)
{
    uint64_t lo = shard_first_at(o, (uint64_t)j * count);
    uint64_t hi = shard_first_at(o, ((uint64_t)j + 1) * count);
    hi = hi < done ? hi : done;
    return hi > lo ? hi - lo : 0;
}

/* The call's item of the runner's item (the shard's i-th). */
static uint64_t global_item(const dcs_study *st, uint64_t item)
{
    uint64_t k = shard_k(&st->o);
    return k > 1 ? item * k + st->o.shard_i : item;
}

static void item_of(const dcs_study *st, uint64_t item, size_t *point, uint64_t *rep)
{
    uint64_t g = global_item(st, item);
    *point = st->points[g / st->count];
    *rep = st->first + g % st->count;
}

/* The runner's item is the last of its point that this shard runs. */
static int last_of_point(const dcs_study *st, uint64_t item)
{
    return global_item(st, item) % st->count + shard_k(&st->o) >= st->count;
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
    if (st->rep_make != NULL && dcs_world_scenario(w)->nuncertain > 0) {
        res->own = st->rep_make(st->rep_ctx, p, st->o.seed, rep, w, err);
        if (res->own == NULL)
            return err->code != 0 ? err->code : DCS_ENOMEM;
        if ((rc = dcs_study_check_columns(st->proto, res->own, p, err)) != 0)
            return rc;
        w = res->own;
    }
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
    dcs_world_destroy(res->own);
    res->own = NULL;
    if (rc == 0 && last_of_point(st, item)) {
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
    dcs_world_destroy(res->own);
    res->own = NULL;
}

/* ---- under MPI: results packed into bytes and written by rank 0 ---- */

/* Appends len bytes to the packed result. */
static int pack_add(dcs_study *st, size_t *len, const void *v, size_t n, dcs_err *err)
{
    if (*len + n > st->pack_cap) {
        size_t cap = st->pack_cap ? st->pack_cap : 4096;
        while (cap < *len + n)
            cap *= 2;
        unsigned char *b = realloc(st->pack, cap);
        if (b == NULL)
            return dcs_err_set(err, DCS_ENOMEM, "out of memory packing a result");
        st->pack = b;
        st->pack_cap = cap;
    }
    memcpy(st->pack + *len, v, n);
    *len += n;
    return 0;
}

static int pack_u64(dcs_study *st, size_t *len, uint64_t v, dcs_err *err)
{
    return pack_add(st, len, &v, sizeof v, err);
}

static int pack_f64(dcs_study *st, size_t *len, double v, dcs_err *err)
{
    return pack_add(st, len, &v, sizeof v, err);
}

/* Packs the row (its cells) and the trace (may be NULL) of one result. */
static int pack_result(dcs_study *st, const dcs_cell *cells, const dcs_trace *tr, size_t *len,
                       dcs_err *err)
{
    const dcs_column *cols = dcs_world_cols(st->proto);
    size_t ncols = dcs_world_ncols(st->proto);
    int rc = 0;
    *len = 0;
    for (size_t j = 0; j < ncols && rc == 0; j++) {
        if (cols[j].type == DCS_COL_STR) {
            const char *s = cells[j].s != NULL ? cells[j].s : "";
            size_t n = strlen(s) + 1;
            rc = pack_u64(st, len, n, err);
            if (rc == 0)
                rc = pack_add(st, len, s, n, err);
        } else if (cols[j].type == DCS_COL_F64) {
            rc = pack_f64(st, len, cells[j].f, err);
        } else {
            rc = pack_u64(st, len, (uint64_t)cells[j].i, err);
        }
    }
    if (rc == 0)
        rc = pack_u64(st, len, tr != NULL, err);
    if (rc != 0 || tr == NULL)
        return rc;
    rc = pack_u64(st, len, tr->nevents, err);
    for (size_t i = 0; i < tr->nevents && rc == 0; i++) {
        const dcs_trace_event *e = &tr->events[i];
        rc = pack_f64(st, len, e->t, err);
        if (rc == 0)
            rc = pack_u64(st, len, e->kind, err);
        if (rc == 0)
            rc = pack_u64(st, len, e->unit, err);
        if (rc == 0)
            rc = pack_f64(st, len, e->value, err);
    }
    if (rc == 0)
        rc = pack_u64(st, len, tr->nsamples, err);
    if (rc == 0)
        rc = pack_u64(st, len, tr->ncols, err);
    if (rc == 0 && tr->nsamples > 0)
        rc = pack_add(st, len, tr->samples, tr->nsamples * tr->ncols * sizeof(double), err);
    return rc;
}

/* Reads n bytes from a packed result. */
static int unpack(const unsigned char *d, size_t len, size_t *off, void *v, size_t n, dcs_err *err)
{
    if (n > len - *off)
        return dcs_err_set(err, DCS_ESTATE, "a packed result ends early");
    memcpy(v, d + *off, n);
    *off += n;
    return 0;
}

/* Destroys the worlds of the points before p (by index): this rank, which
 * gets its items in increasing order, will not run them again. */
static void release_before(dcs_study *st, size_t p)
{
    if (st->make == NULL)
        return;
    omp_set_lock(&st->lock);
    for (size_t i = 0; i < st->nslots;) {
        if (st->slots[i].point < p && st->slots[i].state != SLOT_MAKING) {
            dcs_world_destroy(st->slots[i].w);
            st->slots[i] = st->slots[--st->nslots];
        } else {
            i++;
        }
    }
    omp_unset_lock(&st->lock);
}

/* The runner's emit under MPI: packs the result for rank 0. */
static int emit_packed(void *ctx, uint64_t item, void *result, dcs_err *err)
{
    dcs_study *st = ctx;
    item_result *res = result;
    size_t p;
    uint64_t rep;
    item_of(st, item, &p, &rep);
    dcs_world_row(res->w, (int64_t)p, (int64_t)rep, &res->r, st->pcells);
    size_t len = 0;
    int rc = pack_result(st, st->pcells, res->trace, &len, err);
    if (rc == 0)
        rc = dcs_ranks_put(item, st->pack, len, err);
    dcs_trace_destroy(res->trace);
    res->trace = NULL;
    dcs_world_destroy(res->own);
    res->own = NULL;
    if (rc == 0) {
        release_before(st, p);
        if (last_of_point(st, item))
            release_world(st, p);
    }
    return rc;
}

/* Rank 0's coordinator: appends the rows of one packed result. */
static int write_packed(void *ctx, uint64_t item, const unsigned char *d, size_t len, dcs_err *err)
{
    dcs_study *st = ctx;
    const dcs_column *cols = dcs_world_cols(st->proto);
    size_t ncols = dcs_world_ncols(st->proto), off = 0;
    dcs_cell *c = st->cells;
    int rc = 0;
    for (size_t j = 0; j < ncols && rc == 0; j++) {
        if (cols[j].type == DCS_COL_STR) {
            uint64_t n = 0;
            rc = unpack(d, len, &off, &n, sizeof n, err);
            if (rc == 0 && (n == 0 || n > len - off || d[off + n - 1] != '\0'))
                rc = dcs_err_set(err, DCS_ESTATE, "a packed result has a bad string");
            if (rc == 0) {
                c[j].s = (const char *)(d + off);
                off += (size_t)n;
            }
        } else if (cols[j].type == DCS_COL_F64) {
            rc = unpack(d, len, &off, &c[j].f, sizeof c[j].f, err);
        } else {
            uint64_t v = 0;
            rc = unpack(d, len, &off, &v, sizeof v, err);
            c[j].i = (int64_t)v;
        }
    }
    if (rc == 0)
        rc = dcs_h5_table_append(st->summary, c, err);
    uint64_t traced = 0, nev = 0, ns = 0, nc = 0;
    if (rc == 0)
        rc = unpack(d, len, &off, &traced, sizeof traced, err);
    if (rc == 0 && traced)
        rc = unpack(d, len, &off, &nev, sizeof nev, err);
    size_t p;
    uint64_t rep;
    item_of(st, item, &p, &rep);
    for (uint64_t i = 0; rc == 0 && traced && i < nev; i++) {
        double t = 0, value = 0;
        uint64_t kind = 0, unit = 0;
        rc = unpack(d, len, &off, &t, sizeof t, err);
        if (rc == 0)
            rc = unpack(d, len, &off, &kind, sizeof kind, err);
        if (rc == 0)
            rc = unpack(d, len, &off, &unit, sizeof unit, err);
        if (rc == 0)
            rc = unpack(d, len, &off, &value, sizeof value, err);
        if (rc != 0)
            break;
        c[0].i = (int64_t)p;
        c[1].i = (int64_t)rep;
        c[2].f = t / 3600.0;
        c[3].i = (int64_t)kind;
        c[4].i = (int64_t)unit;
        c[5].f = value;
        rc = dcs_h5_table_append(st->events, c, err);
    }
    if (rc == 0 && traced)
        rc = unpack(d, len, &off, &ns, sizeof ns, err);
    if (rc == 0 && traced)
        rc = unpack(d, len, &off, &nc, sizeof nc, err);
    for (uint64_t i = 0; rc == 0 && traced && st->ts != NULL && i < ns; i++) {
        c[0].i = (int64_t)p;
        c[1].i = (int64_t)rep;
        for (uint64_t j = 0; rc == 0 && j < nc; j++)
            rc = unpack(d, len, &off, &c[2 + j].f, sizeof c[2 + j].f, err);
        if (rc == 0)
            rc = dcs_h5_table_append(st->ts, c, err);
    }
    if (rc == 0 && last_of_point(st, item) && st->final && st->progress != NULL)
        dcs_progress_groups(st->progress, st->progress->groups_done + 1, st->progress->groups_total,
                            NULL);
    return rc;
}

/* The runner's window: wide when a result holds only its numbers (~1.5
 * KB): one scenario, no trace, no world of its own (uncertain inputs).
 * Otherwise the default: dcs_cmd_fit_memory counts the traces in flight
 * on it, and a sweep keeps about window / count + 2 points' worlds. */
static size_t window_of(const dcs_study *st)
{
    int small = st->o.trace_k <= 0 && st->make == NULL &&
                (st->rep_make == NULL || dcs_world_scenario(st->proto)->nuncertain == 0);
    return small ? DCS_RUNNER_WINDOW_SMALL_RESULTS : DCS_RUNNER_WINDOW_PER_THREAD;
}

/* This rank's share of a call under MPI: the runner, fed by rank 0. */
static int compute_share(void *ctx, dcs_err *err)
{
    dcs_study *st = ctx;
    dcs_runner_cfg rcfg = {
        .nitems = 0,
        .nthreads = st->o.nthreads,
        .result_size = sizeof(item_result),
        .ctx = st,
        .engine_create = make_engine,
        .run_item = run_item,
        .emit = emit_packed,
        .discard = discard,
        .interrupt = st->o.interrupt,
        .progress = NULL,
        .fetch = dcs_ranks_fetch,
        .window_per_thread = window_of(st),
    };
    uint64_t n = 0;
    return dcs_runner_run(&rcfg, &n, err);
}

static void forget_worlds(dcs_study *st)
{
    for (size_t i = 0; i < st->nslots; i++)
        dcs_world_destroy(st->slots[i].w);
    st->nslots = 0;
}

int dcs_study_follow(dcs_study *st, dcs_err *err)
{
    for (;;) {
        void *spec = NULL;
        size_t len = 0;
        int rc = dcs_ranks_follow(&spec, &len, err);
        if (rc <= 0)
            return rc;
        uint64_t head[4];
        if (len < sizeof head) {
            free(spec);
            return dcs_err_set(err, DCS_ESTATE, "a call from rank 0 is too short");
        }
        memcpy(head, spec, sizeof head);
        size_t npts = (size_t)head[3];
        size_t *points = malloc((npts ? npts : 1) * sizeof *points);
        if (points == NULL || len != sizeof head + npts * sizeof(uint64_t)) {
            free(points);
            free(spec);
            return dcs_err_set(err, DCS_ESTATE, "a call from rank 0 does not add up");
        }
        for (size_t i = 0; i < npts; i++) {
            uint64_t v;
            memcpy(&v, (unsigned char *)spec + sizeof head + i * sizeof v, sizeof v);
            points[i] = (size_t)v;
        }
        free(spec);
        st->points = points;
        st->first = head[0];
        st->count = head[1];
        st->final = (int)head[2];
        st->progress = NULL;
        dcs_err_clear(err);
        rc = compute_share(st, err);
        forget_worlds(st);
        int drc = dcs_ranks_follow_done(rc, err);
        free(points);
        st->points = NULL;
        if (drc != 0)
            return dcs_err_set(err, DCS_EIO, "telling rank 0 this rank is done failed");
    }
}

/* Rank 0's run call under MPI. */
static int lead_run(dcs_study *st, size_t npts, uint64_t *done, dcs_err *err)
{
    size_t len = (4 + npts) * sizeof(uint64_t);
    uint64_t *spec = malloc(len);
    if (spec == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory for a call of %zu points", npts);
    spec[0] = st->first;
    spec[1] = st->count;
    spec[2] = (uint64_t)st->final;
    spec[3] = npts;
    for (size_t i = 0; i < npts; i++)
        spec[4 + i] = st->points[i];
    dcs_ranks_call c = {
        .spec = spec,
        .spec_len = len,
        .nitems = dcs_study_shard_items(&st->o, (uint64_t)npts * st->count),
        .nthreads = st->o.nthreads,
        .ctx = st,
        .compute = compute_share,
        .write = write_packed,
        .interrupt = st->o.interrupt,
        .progress = st->progress,
    };
    if (st->progress != NULL)
        dcs_progress_update(st->progress, 0);
    int rc = dcs_ranks_lead(&c, done, err);
    free(spec);
    return rc;
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
    if (st->mpi) {
        int rc = lead_run(st, npts, done, err);
        forget_worlds(st);
        return rc;
    }
    dcs_runner_cfg rcfg = {
        .nitems = dcs_study_shard_items(&st->o, (uint64_t)npts * count),
        .nthreads = st->o.nthreads,
        .result_size = sizeof(item_result),
        .ctx = st,
        .engine_create = make_engine,
        .run_item = run_item,
        .emit = emit,
        .discard = discard,
        .interrupt = st->o.interrupt,
        .progress = progress,
        .window_per_thread = window_of(st),
    };
    int rc = dcs_runner_run(&rcfg, done, err);
    /* Worlds of points cut short by an error or an interrupt. */
    for (size_t i = 0; i < st->nslots; i++)
        dcs_world_destroy(st->slots[i].w);
    st->nslots = 0;
    return rc;
}
