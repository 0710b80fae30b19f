/*
 * engine.h - the discrete-event engine: a clock, the pending-event set, the
 * models plugged into it and their random streams.
 *
 * One engine runs one replication at a time and shares nothing mutable with
 * other engines; the runner gives each thread its own and re-arms it for
 * every replication with dcs_engine_reset(), which keeps all memory (queue,
 * model state blocks, streams) so that the event path never allocates.
 *
 * A model is a const method table (dcs_model): the size of its state block,
 * which the engine allocates, zeroes at every reset and frees; hooks the
 * engine calls at fixed moments of a replication (init, pre_run, final,
 * fini); and a table of event kinds with one handler each. The engine gives
 * a model's kinds consecutive numbers starting at the model's kind base,
 * which it hands to the model (dcs_engine_kind_base in init): a model
 * schedules base + its local kind and does not depend on its place.
 *
 * The engine's contract with a model, as ROSS's LP types, libuv's timers
 * and Redis's time events have it:
 * - timers (dcs_timer): a handle on at most one pending event, started and
 *   stopped idempotently; the engine knows whether it is pending (no flags
 *   or sentinels kept by the model);
 * - periodic events (dcs_engine_every): the k-th at exactly k x period,
 *   re-armed by the engine after the handler, so no drift and one rule;
 * - pre_run, after every model's init, when the run starts (read
 *   another model's state, act at t = 0 without a t = 0 event), and final,
 *   once the run is over (charge up to the end, write the model's part of
 *   the result), in the order models were added.
 *
 * Tracing: a kind may also be recorded, by the model, into the trace of a
 * traced replication (dcs_engine_trace). Kinds whose handler is NULL are
 * record-only (a checkpoint lost, a throttle change): they name a moment
 * of the model that is not an event of its own and cannot be scheduled.
 * The engine's table of kind names is therefore the list of everything a
 * trace can hold, and the /events enumeration is built from it.
 */
#ifndef DCSIM_SIM_ENGINE_H
#define DCSIM_SIM_ENGINE_H

#include "queue.h"
#include "status.h"
#include "trace.h"

#include <gsl/gsl_rng.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

typedef struct dcs_engine dcs_engine;

typedef int dcs_handler_fn(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err);

typedef struct dcs_model {
    const char *name;
    size_t state_size; /* bytes of the engine-owned, zeroed state block */
    /* Called at every reset, in the order models were added; schedules the
     * model's first events. config is the pointer given to add_model. */
    int (*init)(dcs_engine *eng, void *state, const void *config, dcs_err *err);
    void (*fini)(void *state); /* may be NULL; called before a reset and on destroy */
    /* May be NULL. Called by the first dcs_engine_run after a reset, in the
     * order models were added, at t = 0 before any event (every model's
     * init has run; dcs_engine_horizon is the run's). */
    int (*pre_run)(dcs_engine *eng, void *state, dcs_err *err);
    /* May be NULL. Called by dcs_engine_finish, in the order models were
     * added, once the run is over; out is the caller's result record. */
    int (*final)(dcs_engine *eng, void *state, void *out, dcs_err *err);
    uint16_t nkinds;
    const char *const *kind_names;   /* [nkinds]; names for traces */
    dcs_handler_fn *const *handlers; /* [nkinds]; NULL for a record-only kind */
    /* [nkinds] or NULL: what a trace record of each kind means, one
     * phrase naming its unit and value ("unit: failure class; value: ...") */
    const char *const *kind_docs;
} dcs_model;

/* Creates an engine with `nstreams` random streams (ids 0..nstreams-1).
 * Returns NULL and fills err on failure. */
dcs_engine *dcs_engine_create(uint32_t nstreams, dcs_err *err);

/* Frees the engine and its model states (calling fini). NULL is a no-op. */
void dcs_engine_destroy(dcs_engine *eng);

/* Plugs model m in; config is borrowed and must outlive the engine. Writes
 * the first kind number of m's kinds to *kind_base when not NULL. Models
 * must be added before the first reset. Returns 0, DCS_ENOMEM or
 * DCS_ESTATE (too many kinds). */
int dcs_engine_add_model(dcs_engine *eng, const dcs_model *m, const void *config,
                         uint16_t *kind_base, dcs_err *err);

/* Replaces the config of model m (added before) for the following resets:
 * engines are made once per thread, and a thread may run replications of
 * several scenarios whose models are the same (the points of a sweep).
 * Returns 0, or DCS_ESTATE when m was not added. */
int dcs_engine_rebind(dcs_engine *eng, const dcs_model *m, const void *config);

/* The config model m was added or rebound with, or NULL if m was not
 * added. */
const void *dcs_engine_config(const dcs_engine *eng, const dcs_model *m);

/* Re-arms the engine for replication `replication` under master seed
 * `seed`: empties the queue, sets the clock to 0, re-keys every stream,
 * zeroes every model state and calls every model's init. */
int dcs_engine_reset(dcs_engine *eng, uint64_t seed, uint64_t replication, dcs_err *err);

/* Calls every model's final hook with out (the caller's result record),
 * after dcs_engine_run. Returns 0 or the first hook's error. */
int dcs_engine_finish(dcs_engine *eng, void *out, dcs_err *err);

/* The first global kind number of the model whose hook or handler the
 * engine is calling now (init, pre_run, final, a handler): the model adds
 * its local kind numbers to it. */
uint16_t dcs_engine_kind_base(const dcs_engine *eng);

/* The first call after a reset calls every model's pre_run. Then
 * dispatches events in (time, sequence) order until the queue is empty, a
 * handler calls dcs_engine_stop(), or the next event lies after t_end (the
 * clock is then left at t_end). Returns 0, a handler's error, or DCS_EINTR
 * when the interrupt flag was raised. */
int dcs_engine_run(dcs_engine *eng, double t_end, dcs_err *err);

/* The time before which nothing but the current handler's model can act:
 * the earliest pending event, or the t_end of the dcs_engine_run() under
 * way, whichever is first. A model may advance its own deterministic state
 * to a time strictly before it without events of its own (fast-forward);
 * nothing that happens at or after it is known yet. */
double dcs_engine_horizon(dcs_engine *eng);

/* Asks dcs_engine_run() to return after the current event. */
void dcs_engine_stop(dcs_engine *eng);

/* Watches *flag (e.g. set by a SIGINT handler): when it becomes non-zero,
 * dcs_engine_run() returns DCS_EINTR within a few thousand events. */
void dcs_engine_set_interrupt(dcs_engine *eng, const volatile sig_atomic_t *flag);

/* Schedules an event of kind `kind` (a global kind number: kind_base +
 * local index) at time t. Returns 0, DCS_ESTATE if t is before now or not a
 * number or the kind is record-only, or DCS_ENOMEM. */
int dcs_engine_schedule(dcs_engine *eng, double t, uint16_t kind, uint32_t unit, uint64_t arg,
                        uint64_t *id);

/* A lane: a FIFO beside the heap for events a model schedules in the order
 * of their times and never cancels (those at a fixed delay after now).
 * dcs_engine_lane reserves one for the current replication (call it in
 * init; a reset clears it) and returns 1 + its number, or 0 when none is
 * left (DCS_QUEUE_LANES, or the side places taken). dcs_engine_schedule_in
 * schedules in lane `lane` as dcs_engine_schedule would (lane 0: the heap;
 * an event earlier than the lane's latest also goes to the heap), without
 * an id: the order of dispatch, ties included, is the same either way. */
uint32_t dcs_engine_lane(dcs_engine *eng);
int dcs_engine_schedule_in(dcs_engine *eng, uint32_t lane, double t, uint16_t kind, uint32_t unit,
                           uint64_t arg);

/* Cancels a pending event by id (O(1); dropped when it reaches the top). */
int dcs_engine_cancel(dcs_engine *eng, uint64_t id);

/* A timer: a handle on at most one pending event. A zeroed timer is idle;
 * it is pending from dcs_timer_start until its event is dispatched (the
 * handler sees it idle) or it is stopped. Handles live in model states,
 * which every reset zeroes. */
typedef struct dcs_timer {
    uint64_t id;   /* the engine's; 0 or the id of an event that may be pending */
    uint32_t side; /* the engine's; 1 + its side entry (dcs_timer_apart), or 0 */
} dcs_timer;

/* Gives idle timer tm a place of its own outside the event heap for the
 * current replication (call it in init; a reset clears it): for the few
 * timers a model restarts over and over (a job's next step, a superposed
 * failure clock), whose restarts then cost O(1) and leave no dead entry in
 * the heap. Events still take their sequence numbers from the one counter
 * and dispatch in the same (time, sequence) order, so nothing a model sees
 * changes. Returns 1, or 0 when the DCS_QUEUE_SIDE places are taken (tm
 * then stays a timer in the heap, which behaves the same). */
int dcs_timer_apart(dcs_engine *eng, dcs_timer *tm);

/* Schedules tm's event (kind, unit, arg) at t, stopping it first if it is
 * pending. Returns 0 or what dcs_engine_schedule returns. */
int dcs_timer_start(dcs_engine *eng, dcs_timer *tm, double t, uint16_t kind, uint32_t unit,
                    uint64_t arg);

/* Stops tm if it is pending; does nothing otherwise. */
void dcs_timer_stop(dcs_engine *eng, dcs_timer *tm);

/* Whether tm's event is pending. */
int dcs_timer_pending(const dcs_engine *eng, const dcs_timer *tm);

/* dcs_engine_horizon, leaving out the pending event of timer tm (a model's own
 * event that its fast-forward will do itself); possibly earlier than the
 * true time (dcs_queue_peek_time_except), never later. */
double dcs_engine_horizon_except(dcs_engine *eng, const dcs_timer *tm);

/* A periodic event of kind `kind` (a global kind; its events' arg is the
 * engine's: the index k): the k-th at exactly k x period s, for k = k0,
 * k0 + 1, ...; after each one's handler returns 0 the engine schedules the
 * next. For the current replication (a reset clears it). Returns 0,
 * DCS_ESTATE (a period not positive and finite, a record-only kind) or
 * DCS_ENOMEM. */
int dcs_engine_every(dcs_engine *eng, uint16_t kind, double period, uint64_t k0);

/* For the model whose init is running: a block of at least `bytes`
 * bytes that the engine keeps from one reset to the next (grown when a
 * config needs more, freed with the engine), so that a model's arrays of
 * the replication cost no allocation each. It holds what the last
 * replication left there. NULL outside an init, or when out of memory. */
void *dcs_engine_scratch(dcs_engine *eng, size_t bytes);

/* Current simulated time, s. */
double dcs_engine_now(const dcs_engine *eng);

/* Stream `stream` of the current replication (borrowed), keyed by the
 * first call after a reset: ask for it again in each replication, never
 * keep it across resets. */
gsl_rng *dcs_engine_rng(dcs_engine *eng, uint32_t stream);

/* State block of model m, or NULL if m was not added. */
void *dcs_engine_state(dcs_engine *eng, const dcs_model *m);

/* Events dispatched since the last reset, and the queue (for inspection). */
uint64_t dcs_engine_events(const dcs_engine *eng);
const dcs_queue *dcs_engine_queue(const dcs_engine *eng);

/* Number of kinds and the name of kind k ("model.kind"-style names are the
 * models' own; NULL when out of range). */
uint16_t dcs_engine_nkinds(const dcs_engine *eng);
const char *dcs_engine_kind_name(const dcs_engine *eng, uint16_t kind);

/* What a trace record of kind k means ("" when its model gives no doc;
 * NULL when out of range). */
const char *dcs_engine_kind_doc(const dcs_engine *eng, uint16_t kind);

/* Records into tr (borrowed; NULL stops recording) from now on; a reset
 * does not change it. */
void dcs_engine_set_trace(dcs_engine *eng, dcs_trace *tr);

/* The trace being recorded into, or NULL. */
dcs_trace *dcs_engine_trace_of(dcs_engine *eng);

/* Shared values: a model whose values others read (a price, a throttle)
 * announces a change at time t with dcs_engine_changing() before it and
 * dcs_engine_changed() after it. One model may watch these (the one that
 * integrates over time what the values price or pace): its fn is called
 * with phase 0 before the change (charge up to t at the old values) and
 * phase 1 after it (read the new ones). A watcher is set for the current
 * replication (in the model's init); a reset clears it. */
typedef int dcs_watch_fn(dcs_engine *eng, void *state, double t, int phase, dcs_err *err);
void dcs_engine_watch(dcs_engine *eng, dcs_watch_fn *fn, void *state);
int dcs_engine_changing(dcs_engine *eng, double t, dcs_err *err);
int dcs_engine_changed(dcs_engine *eng, double t, dcs_err *err);

/* Records (now, kind, unit, value) when a trace is set; does nothing
 * otherwise. Returns 0, DCS_ESTATE for an unknown kind, or DCS_ENOMEM. */
int dcs_engine_trace(dcs_engine *eng, uint16_t kind, uint32_t unit, double value);

/* The same at time t (now <= t < dcs_engine_horizon()): the record of a
 * moment a fast-forward went past without an event. */
int dcs_engine_trace_at(dcs_engine *eng, double t, uint16_t kind, uint32_t unit, double value);

#endif /* DCSIM_SIM_ENGINE_H */
