/*
 * queue.h - the pending-event set: a binary min-heap ordered by (time,
 * sequence number), with exact O(1) cancellation.
 *
 * The heap holds 16-byte keys (time, sequence number and slot); the rest of
 * each event (kind, unit, payload) waits in a slot array and is read once,
 * when the event pops. Keeping heap entries small matters: every level of
 * a sift moves one entry, and at 10^5 pending events the heap no longer
 * fits in cache. Both arrays grow geometrically and are kept across
 * dcs_queue_clear(), so a replication that has warmed up allocates nothing
 * per event. Ties in time pop in scheduling order, which makes a run
 * deterministic.
 *
 * An event's id packs its sequence number and its slot. Cancelling marks
 * the slot dead (O(1)); the dead entry is dropped when it reaches the top
 * (counted in `purged`). Because a slot remembers the id it holds, an id
 * whose event has already popped or been cancelled is recognised and
 * refused. Limits: 2^24 - 1 pending events in the heap (and DCS_QUEUE_SIDE
 * beside it), 2^40 events per clear.
 *
 * Side entries: a few events are kept out of the heap, each in a place of
 * its own (dcs_queue_side_reserve), for the handful of timers that are
 * restarted over and over (a job's next step, a superposed failure clock):
 * restarting one rewrites its place in O(1) and leaves no dead entry in the
 * heap. Their keys come from the same sequence counter, and a pop takes
 * the earliest of the heap's top and the side entries on the same (time,
 * sequence) order, so which events pop, and in which order, is exactly what
 * it would be with every event in the heap.
 *
 * Lanes: a side entry may hold the head of a FIFO of events
 * (dcs_queue_lane_reserve), for events that are scheduled in the order of
 * their times, such as those at a fixed delay after now (a failure's
 * detection, a spare's swap): a push appends in O(1), and when the head
 * pops the next one takes its place. A push earlier than the lane's latest
 * event goes to the heap instead, so the order of pops is again that of
 * one heap. Lane events have no id: they are never cancelled.
 */
#ifndef DCSIM_SIM_QUEUE_H
#define DCSIM_SIM_QUEUE_H

#include "status.h"

#include <stddef.h>
#include <stdint.h>

typedef struct dcs_event {
    double t;      /* seconds since the start of the run */
    uint64_t seq;  /* scheduling order: the tie-breaker */
    uint16_t kind; /* index into the engine's handler table */
    uint16_t reserved;
    uint32_t unit; /* model-defined: node, failure class, ... */
    uint64_t arg;  /* model-defined payload */
} dcs_event;

#define DCS_QUEUE_SLOT_BITS 24 /* slots per queue: 16.7 M pending events is ample */

/* Side entries a queue can reserve (events kept out of the heap). */
#define DCS_QUEUE_SIDE 16

/* The most events a queue holds at once in its heap: 2^24 - 1 slots. */
#define DCS_QUEUE_MAX_PENDING ((UINT32_C(1) << DCS_QUEUE_SLOT_BITS) - 1)

typedef struct dcs_qkey {
    double t;     /* seconds */
    uint64_t key; /* seq << DCS_QUEUE_SLOT_BITS | slot: orders ties by seq */
} dcs_qkey;

typedef struct dcs_qslot {
    uint64_t key; /* the key of the event held, 0 when free or dead */
    uint64_t arg;
    uint32_t unit;
    uint16_t kind;
} dcs_qslot;

/* Lanes a queue can reserve (each takes a side entry). */
#define DCS_QUEUE_LANES 4

typedef struct dcs_qlane {
    dcs_qkey *key;      /* [cap] ring of the events behind the head, in order */
    dcs_qslot *body;    /* [cap] their bodies (key unused) */
    uint32_t head, len; /* first and number of events in the ring */
    uint32_t cap;       /* allocated ring entries */
    uint32_t side;      /* the side entry holding the lane's earliest event */
    double last;        /* time of the lane's latest event pushed */
} dcs_qlane;

typedef struct dcs_queue {
    dcs_qkey *heap;                      /* heap[0] is the earliest entry */
    size_t n;                            /* entries in the heap, dead ones included */
    size_t cap;                          /* allocated entries in heap */
    dcs_qslot *slots;                    /* [slot_cap] event bodies */
    uint32_t *free;                      /* [slot_cap] stack of free slot numbers */
    size_t nfree;                        /* free slots on the stack */
    size_t slot_used;                    /* slots ever handed out since the last clear */
    size_t slot_cap;                     /* allocated slots */
    uint64_t next_seq;                   /* sequence number of the next push (starts at 1) */
    size_t ncancelled;                   /* dead entries still in the heap */
    uint64_t purged;                     /* dead entries dropped at the top since the last clear */
    dcs_qkey side[DCS_QUEUE_SIDE];       /* side entries: key 0 and t = +inf when idle */
    dcs_qslot side_body[DCS_QUEUE_SIDE]; /* their bodies (key unused) */
    uint32_t nside;                      /* side entries reserved since the last clear */
    uint32_t side_live;                  /* side entries holding an event */
    uint32_t side_min;                   /* the earliest side entry (idle: t = +inf) */
    int side_stale;                      /* side_min must be found again */
    uint32_t side_2nd;                   /* the earliest but side_min (idle: t = +inf) */
    int side_2nd_stale;                  /* side_2nd must be found again */
    dcs_qlane lane[DCS_QUEUE_LANES];     /* rings kept across clears */
    uint32_t nlane;                      /* lanes reserved since the last clear */
    uint32_t lane_queued;                /* events in the lanes' rings */
    uint8_t side_lane[DCS_QUEUE_SIDE];   /* 1 + the lane a side entry heads, or 0 */
} dcs_queue;

/* Initialises an empty queue with room for cap_hint events. Returns 0 or
 * DCS_ENOMEM. */
int dcs_queue_init(dcs_queue *q, size_t cap_hint, dcs_err *err);

/* Frees the queue's memory. Safe on a zeroed or already finalised queue. */
void dcs_queue_fini(dcs_queue *q);

/* Empties the queue and restarts sequence numbers, keeping its memory. */
void dcs_queue_clear(dcs_queue *q);

/* Adds an event at time t. Writes its id (never 0) to *id when id is not
 * NULL. Returns 0, or DCS_ENOMEM when memory or the slot or sequence space
 * is exhausted (the queue is unchanged then). */
int dcs_queue_push(dcs_queue *q, double t, uint16_t kind, uint32_t unit, uint64_t arg,
                   uint64_t *id);

/* Reserves a side entry until the next clear: its number to *side.
 * Returns 0, or DCS_ENOMEM when all DCS_QUEUE_SIDE are taken. */
int dcs_queue_side_reserve(dcs_queue *q, uint32_t *side);

/* Puts an event at time t in side entry `side` (reserved), replacing the
 * one it held, if any, as a cancel would. It takes the next sequence
 * number, as dcs_queue_push does; the id (never 0) goes to *id when id is
 * not NULL. Returns 0, DCS_ESTATE for an entry not reserved, or DCS_ENOMEM
 * when the sequence space is exhausted (the queue is unchanged then). */
int dcs_queue_side_push(dcs_queue *q, uint32_t side, double t, uint16_t kind, uint32_t unit,
                        uint64_t arg, uint64_t *id);

/* Whether side entry `side` holds the event with this id: what
 * dcs_queue_pending says, in O(1). */
int dcs_queue_side_pending(const dcs_queue *q, uint32_t side, uint64_t id);

/* Empties side entry `side` (reserved) if it holds an event: a cancel in
 * O(1). */
void dcs_queue_side_stop(dcs_queue *q, uint32_t side);

/* Reserves a lane until the next clear (it takes a side entry): its number
 * to *lane. Returns 0, or DCS_ENOMEM when all DCS_QUEUE_LANES or all side
 * entries are taken. */
int dcs_queue_lane_reserve(dcs_queue *q, uint32_t *lane);

/* Adds an event at time t to lane `lane` (reserved), or to the heap when t
 * is earlier than the lane's latest pending event; either way it takes the
 * next sequence number and pops in (time, sequence) order. Returns 0,
 * DCS_ESTATE for a lane not reserved, or DCS_ENOMEM (the queue is
 * unchanged then). */
int dcs_queue_lane_push(dcs_queue *q, uint32_t lane, double t, uint16_t kind, uint32_t unit,
                        uint64_t arg);

/* Removes the earliest live event into *out. Returns 1, or 0 when the
 * queue holds no live event. */
int dcs_queue_pop(dcs_queue *q, dcs_event *out);

/* dcs_queue_pop when the earliest live event lies at or before t_end;
 * returns 0 and removes nothing when it lies after or there is none. */
int dcs_queue_pop_until(dcs_queue *q, double t_end, dcs_event *out);

/* Time of the earliest live event, or +HUGE_VAL when there is none. Drops
 * dead entries that sit at the top. */
double dcs_queue_peek_time(dcs_queue *q);

/* Cancels the pending event with this id. Returns 0, or DCS_ESTATE when no
 * pending event has this id (never issued, already popped or cancelled). */
int dcs_queue_cancel(dcs_queue *q, uint64_t id);

/* The time of the earliest pending event other than the one with id
 * `except` (HUGE_VAL when none), or a lower bound of it: exact when
 * `except` is a side entry or not the heap's top; when it is the heap's
 * top, the smaller of its two heap children's times (which may be cancelled
 * entries that have not reached the top yet) and the side entries'. A
 * lower bound is what a fast-forward needs: it can only stop it earlier. */
double dcs_queue_peek_time_except(dcs_queue *q, uint64_t except);

/* Whether the event with this id is pending (issued, neither popped nor
 * cancelled); 0 for id 0. */
int dcs_queue_pending(const dcs_queue *q, uint64_t id);

/* Live (not cancelled) events pending. */
size_t dcs_queue_size(const dcs_queue *q);

#endif /* DCSIM_SIM_QUEUE_H */
