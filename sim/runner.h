/*
 * runner.h - runs work items (replications) in parallel with OpenMP and
 * hands their results to one writer in item order.
 *
 * Each thread owns one engine, made by the caller's factory. Threads take
 * the next item from a shared counter (a dynamic schedule), run it into a
 * slot of a reorder window, and whichever thread holds the writer lock
 * emits every finished result that is next in order. The window bounds
 * memory: a thread does not start item i until item i - window has been
 * emitted. Results are therefore emitted in item order whatever the thread
 * count, and the emit callback is never called from two threads at once.
 *
 * Instead of 0..nitems-1, the items may come in ranges from a callback
 * (fetch), as the ranks of an MPI run hand them out.
 *
 * On error or interrupt no new item starts; the results that form an
 * unbroken prefix of finished items are still emitted, so an interrupted
 * run keeps every replication it completed.
 */
#ifndef DCSIM_SIM_RUNNER_H
#define DCSIM_SIM_RUNNER_H

#include "engine.h"
#include "progress.h"
#include "status.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

/* Slots of the reorder window per thread: results (and the traces of
 * traced items) finished and waiting for their turn, at most this many
 * per thread besides the one each thread runs. */
#define DCS_RUNNER_WINDOW_PER_THREAD 16 /* slack for uneven replication lengths */

/* The window a caller may ask for when results hold nothing but their
 * bytes (no trace): a thread descheduled for a millisecond, or a long
 * replication, then stalls the others after hundreds of short
 * replications, not after 16 (a Daly-style replication takes ~5 us). */
#define DCS_RUNNER_WINDOW_SMALL_RESULTS 256

typedef struct dcs_runner_cfg {
    uint64_t nitems;    /* work items, numbered 0..nitems-1 */
    int nthreads;       /* threads to use (>= 1) */
    size_t result_size; /* bytes of one item's result */
    void *ctx;          /* passed to every callback; borrowed */
    /* Makes the engine of one thread (called once per thread). */
    dcs_engine *(*engine_create)(void *ctx, dcs_err *err);
    /* Runs item `item` on eng into result (result_size bytes, zeroed).
     * Called from worker threads concurrently: must touch only eng, result
     * and read-only parts of ctx. */
    int (*run_item)(void *ctx, dcs_engine *eng, uint64_t item, void *result, dcs_err *err);
    /* Consumes the result of `item`; called in item order, one call at a
     * time. It owns what the result holds (a trace buffer) from then on,
     * whether it succeeds or not. */
    int (*emit)(void *ctx, uint64_t item, void *result, dcs_err *err);
    /* May be NULL: releases what a finished result holds when it will never
     * be emitted (after an error or an interrupt). */
    void (*discard)(void *ctx, void *result);
    const volatile sig_atomic_t *interrupt; /* may be NULL */
    dcs_progress *progress;                 /* may be NULL */
    /* May be NULL: the items come from 0..nitems-1. Otherwise the runner
     * asks it for the next range of items whenever the last one is used
     * up, and runs those instead (nitems is then ignored): *count = 0
     * means there are no more. It is called by one thread at a time and
     * may block. The ranges must increase (each starts after the one
     * before ends), so results are still emitted in increasing item
     * order; this is how the ranks of an MPI run share out items. */
    int (*fetch)(void *ctx, uint64_t *first, uint64_t *count, dcs_err *err);
    /* Slots of the reorder window per thread; 0: DCS_RUNNER_WINDOW_PER_THREAD. */
    size_t window_per_thread;
} dcs_runner_cfg;

/* Runs every item. Writes the number of results emitted to *nemitted.
 * Returns 0, the first error of a callback, or DCS_EINTR when interrupted
 * (the emitted prefix is valid in every case). */
int dcs_runner_run(const dcs_runner_cfg *cfg, uint64_t *nemitted, dcs_err *err);

#endif /* DCSIM_SIM_RUNNER_H */
