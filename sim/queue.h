/*
 * queue.h - the pending-event set: a binary min-heap of fixed-size events
 * ordered by (time, sequence number), with cancellation.
 *
 * Events are 32-byte values copied in and out; the heap array grows
 * geometrically and is never shrunk while the queue lives, so a replication
 * that has warmed up allocates nothing per event. Ties in time pop in
 * scheduling order (the sequence number), which makes a run deterministic.
 *
 * Cancellation is lazy: dcs_queue_cancel() records the event's id in a small
 * hash set (O(1)), and the event is dropped when it reaches the top of the
 * heap (a "tombstone", counted in `purged`). The id of an event is its
 * sequence number. An id may be cancelled only while its event is pending:
 * cancelling an event that has already been popped is a programming error
 * that the queue cannot always detect.
 */
#ifndef DCSIM_SIM_QUEUE_H
#define DCSIM_SIM_QUEUE_H

#include "status.h"

#include <stddef.h>
#include <stdint.h>

typedef struct dcs_event {
    double t;         /* seconds since the start of the run */
    uint64_t seq;     /* scheduling order: tie-breaker and cancel id */
    uint16_t kind;    /* index into the engine's handler table */
    uint16_t reserved;
    uint32_t unit;    /* model-defined: node, failure class, ... */
    uint64_t arg;     /* model-defined payload */
} dcs_event;

typedef struct dcs_queue {
    dcs_event *heap;  /* heap[0] is the earliest event */
    size_t n;         /* events in the heap, tombstones included */
    size_t cap;       /* allocated slots in heap */
    uint64_t next_seq;
    uint64_t *cset;   /* cancelled ids + 1 (0 marks an empty slot), linear probing */
    size_t cset_n;    /* ids in cset */
    size_t cset_cap;  /* slots in cset: a power of two, or 0 */
    uint64_t purged;  /* tombstones dropped at the top so far */
} dcs_queue;

/* Initialises an empty queue with room for cap_hint events. Returns 0 or
 * DCS_ENOMEM. */
int dcs_queue_init(dcs_queue *q, size_t cap_hint, dcs_err *err);

/* Frees the queue's memory. Safe on a zeroed or already finalised queue. */
void dcs_queue_fini(dcs_queue *q);

/* Empties the queue and restarts sequence numbers at 0, keeping its memory. */
void dcs_queue_clear(dcs_queue *q);

/* Adds an event at time t. Writes its id to *id when id is not NULL.
 * Returns 0 or DCS_ENOMEM (the queue is unchanged then). */
int dcs_queue_push(dcs_queue *q, double t, uint16_t kind, uint32_t unit, uint64_t arg,
                   uint64_t *id);

/* Removes the earliest live event into *out. Returns 1, or 0 when the
 * queue holds no live event. */
int dcs_queue_pop(dcs_queue *q, dcs_event *out);

/* Time of the earliest live event, or +HUGE_VAL when there is none. Drops
 * tombstones that sit at the top. */
double dcs_queue_peek_time(dcs_queue *q);

/* Cancels the pending event with this id. Returns 0, DCS_ESTATE when the id
 * was never issued or is already cancelled, or DCS_ENOMEM. */
int dcs_queue_cancel(dcs_queue *q, uint64_t id);

/* Live (not cancelled) events pending. */
size_t dcs_queue_size(const dcs_queue *q);

#endif /* DCSIM_SIM_QUEUE_H */
