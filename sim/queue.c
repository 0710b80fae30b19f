/*
 * queue.c - binary min-heap of 16-byte keys plus a slot array of bodies.
 *
 * The heap moves a "hole" instead of swapping pairs, so each level costs
 * one 16-byte copy. The order is on (t, key): the key's high bits are the
 * sequence number, which is unique, so the order is total and ties break
 * by scheduling order whatever the heap's layout. Slots are recycled
 * through a stack of free numbers; a slot whose event is cancelled keeps
 * key 0 until its heap entry reaches the top and is dropped, so "is this
 * entry alive" is one load of the slot at the top.
 *
 * Side entries sit in a small array beside the heap; the indices of the
 * earliest and of the earliest but one are kept up to date, or found again
 * by a scan of at most DCS_QUEUE_SIDE keys when next asked for after they
 * cannot be, so a pop compares the heap's top with one side entry, and a
 * timer popped and restarted as the earliest needs no scan. Their keys carry slot number
 * SLOT_MASK, which the heap never hands out, so an id tells whether its event is in the heap or
 * beside it (and which side entry, by a scan of their keys).
 */
#include "queue.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SLOT_MASK ((UINT64_C(1) << DCS_QUEUE_SLOT_BITS) - 1)  /* also: a side entry's slot */
#define MAX_SLOTS ((size_t)SLOT_MASK)                         /* slot numbers 0 .. 2^24 - 2 */
#define MAX_SEQ   (UINT64_C(1) << (64 - DCS_QUEUE_SLOT_BITS)) /* 2^40 */
#define SIDE_IDLE ((dcs_qkey){HUGE_VAL, UINT64_MAX})          /* after every live entry */

static inline int before(const dcs_qkey *a, const dcs_qkey *b)
{
    return a->t < b->t || (a->t == b->t && a->key < b->key);
}

static int grow_heap(dcs_queue *q, size_t cap)
{
    dcs_qkey *h = realloc(q->heap, cap * sizeof *h);
    if (h == NULL)
        return DCS_ENOMEM;
    q->heap = h;
    q->cap = cap;
    return 0;
}

static int grow_slots(dcs_queue *q, size_t cap)
{
    if (cap > MAX_SLOTS)
        cap = MAX_SLOTS;
    if (cap <= q->slot_cap)
        return DCS_ENOMEM;
    dcs_qslot *s = realloc(q->slots, cap * sizeof *s);
    if (s == NULL)
        return DCS_ENOMEM;
    q->slots = s;
    uint32_t *f = realloc(q->free, cap * sizeof *f);
    if (f == NULL)
        return DCS_ENOMEM;
    q->free = f;
    q->slot_cap = cap;
    return 0;
}

/* No side entry reserved; side_min names an idle one (time +inf). */
static void side_reset(dcs_queue *q)
{
    for (uint32_t i = 0; i < DCS_QUEUE_SIDE; i++)
        q->side[i] = SIDE_IDLE;
    q->nside = 0;
    q->side_live = 0;
    q->side_min = 0;
    q->side_stale = 0;
    q->side_2nd = 1;
    q->side_2nd_stale = 0;
    memset(q->side_lane, 0, sizeof q->side_lane);
    for (uint32_t i = 0; i < DCS_QUEUE_LANES; i++)
        q->lane[i].head = q->lane[i].len = 0;
    q->nlane = 0;
    q->lane_queued = 0;
}

int dcs_queue_init(dcs_queue *q, size_t cap_hint, dcs_err *err)
{
    memset(q, 0, sizeof *q);
    q->next_seq = 1;
    side_reset(q);
    size_t cap = cap_hint < 64 ? 64 : cap_hint;
    if (grow_heap(q, cap) != 0 || grow_slots(q, cap) != 0) {
        dcs_queue_fini(q);
        return dcs_err_set(err, DCS_ENOMEM, "cannot allocate an event queue of %zu events",
                           cap_hint);
    }
    return 0;
}

void dcs_queue_fini(dcs_queue *q)
{
    free(q->heap);
    free(q->slots);
    free(q->free);
    for (uint32_t i = 0; i < DCS_QUEUE_LANES; i++) {
        free(q->lane[i].key);
        free(q->lane[i].body);
    }
    memset(q, 0, sizeof *q);
}

void dcs_queue_clear(dcs_queue *q)
{
    q->n = 0;
    q->nfree = 0;
    q->slot_used = 0;
    q->next_seq = 1;
    q->ncancelled = 0;
    q->purged = 0;
    side_reset(q);
}

static void sift_up(dcs_qkey *h, size_t i, dcs_qkey k)
{
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!before(&k, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = k;
}

static void sift_down(dcs_qkey *h, size_t n, size_t i, dcs_qkey k)
{
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && before(&h[c + 1], &h[c]))
            c++;
        if (!before(&h[c], &k))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = k;
}

int dcs_queue_push(dcs_queue *q, double t, uint16_t kind, uint32_t unit, uint64_t arg, uint64_t *id)
{
    if (q->next_seq >= MAX_SEQ)
        return DCS_ENOMEM;
    if (q->n == q->cap && grow_heap(q, q->cap ? 2 * q->cap : 64) != 0)
        return DCS_ENOMEM;
    size_t slot;
    if (q->nfree > 0) {
        slot = q->free[--q->nfree];
    } else {
        if (q->slot_used == q->slot_cap && grow_slots(q, q->slot_cap ? 2 * q->slot_cap : 64) != 0)
            return DCS_ENOMEM;
        slot = q->slot_used++;
    }
    uint64_t key = q->next_seq++ << DCS_QUEUE_SLOT_BITS | (uint64_t)slot;
    q->slots[slot] = (dcs_qslot){.key = key, .arg = arg, .unit = unit, .kind = kind};
    if (id != NULL)
        *id = key;
    sift_up(q->heap, q->n++, (dcs_qkey){t, key});
    return 0;
}

/* Sets side entry i to k, keeping side_min the earliest and side_2nd the
 * earliest but one where they are known, or marking them stale (found
 * again when next asked). When the earliest pops, the earliest but one
 * takes its place; a restart earlier than the earliest makes the earliest
 * the earliest but one. */
static void side_set(dcs_queue *q, uint32_t i, dcs_qkey k)
{
    if (q->side_stale) {
        q->side[i] = k;
        return;
    }
    uint32_t m = q->side_min;
    if (i == m) {
        if (!before(&k, &q->side[i])) { /* later: the earliest but one may pass it */
            if (q->side_2nd_stale) {
                q->side_stale = 1;
            } else if (!before(&k, &q->side[q->side_2nd])) {
                q->side_min = q->side_2nd;
                q->side_2nd_stale = 1;
            }
        }
    } else if (before(&k, &q->side[m])) {
        q->side_2nd = m;
        q->side_2nd_stale = 0;
        q->side_min = i;
    } else if (!q->side_2nd_stale) {
        if (before(&k, &q->side[q->side_2nd]))
            q->side_2nd = i;
        else if (i == q->side_2nd) /* later than it was */
            q->side_2nd_stale = 1;
    }
    q->side[i] = k;
}

/* Finds the earliest side entry and the earliest but one again. */
static void side_scan(dcs_queue *q)
{
    uint32_t m = 0, m2 = 1; /* DCS_QUEUE_SIDE > 1: entries not reserved are idle */
    if (before(&q->side[1], &q->side[0]))
        m = 1, m2 = 0;
    for (uint32_t j = 2; j < q->nside; j++) {
        if (before(&q->side[j], &q->side[m2])) {
            if (before(&q->side[j], &q->side[m])) {
                m2 = m;
                m = j;
            } else {
                m2 = j;
            }
        }
    }
    q->side_min = m;
    q->side_2nd = m2;
    q->side_stale = 0;
    q->side_2nd_stale = 0;
}

/* The earliest side entry (an idle one, time +inf, when none is live). */
static inline uint32_t side_first(dcs_queue *q)
{
    if (q->side_stale)
        side_scan(q);
    return q->side_min;
}

int dcs_queue_side_reserve(dcs_queue *q, uint32_t *side)
{
    if (q->nside == DCS_QUEUE_SIDE)
        return DCS_ENOMEM;
    q->side[q->nside] = SIDE_IDLE;
    *side = q->nside++;
    return 0;
}

/* Puts the event with key k and body b in side entry i, replacing any. */
static void side_put(dcs_queue *q, uint32_t i, dcs_qkey k, dcs_qslot b)
{
    if (q->side[i].key == UINT64_MAX)
        q->side_live++;
    side_set(q, i, k);
    q->side_body[i] = b;
}

int dcs_queue_side_push(dcs_queue *q, uint32_t side, double t, uint16_t kind, uint32_t unit,
                        uint64_t arg, uint64_t *id)
{
    if (side >= q->nside)
        return DCS_ESTATE;
    if (q->next_seq >= MAX_SEQ)
        return DCS_ENOMEM;
    uint64_t key = q->next_seq++ << DCS_QUEUE_SLOT_BITS | SLOT_MASK;
    side_put(q, side, (dcs_qkey){t, key},
             (dcs_qslot){.key = key, .arg = arg, .unit = unit, .kind = kind});
    if (id != NULL)
        *id = key;
    return 0;
}

int dcs_queue_lane_reserve(dcs_queue *q, uint32_t *lane)
{
    uint32_t side;
    if (q->nlane == DCS_QUEUE_LANES || dcs_queue_side_reserve(q, &side) != 0)
        return DCS_ENOMEM;
    dcs_qlane *l = &q->lane[q->nlane];
    l->head = l->len = 0;
    l->side = side;
    l->last = -HUGE_VAL;
    q->side_lane[side] = (uint8_t)(q->nlane + 1);
    *lane = q->nlane++;
    return 0;
}

/* Doubles lane l's ring, its events first in order. */
static int lane_grow(dcs_qlane *l)
{
    uint32_t cap = l->cap ? 2 * l->cap : 16;
    dcs_qkey *k = malloc(cap * sizeof *k);
    dcs_qslot *b = malloc(cap * sizeof *b);
    if (k == NULL || b == NULL) {
        free(k);
        free(b);
        return DCS_ENOMEM;
    }
    for (uint32_t i = 0; i < l->len; i++) {
        k[i] = l->key[(l->head + i) % l->cap];
        b[i] = l->body[(l->head + i) % l->cap];
    }
    free(l->key);
    free(l->body);
    l->key = k;
    l->body = b;
    l->head = 0;
    l->cap = cap;
    return 0;
}

int dcs_queue_lane_push(dcs_queue *q, uint32_t lane, double t, uint16_t kind, uint32_t unit,
                        uint64_t arg)
{
    if (lane >= q->nlane)
        return DCS_ESTATE;
    dcs_qlane *l = &q->lane[lane];
    int idle = q->side[l->side].key == UINT64_MAX;
    if (!idle && t < l->last) /* out of order: the heap keeps it */
        return dcs_queue_push(q, t, kind, unit, arg, NULL);
    if (q->next_seq >= MAX_SEQ || (!idle && l->len == l->cap && lane_grow(l) != 0))
        return DCS_ENOMEM;
    uint64_t key = q->next_seq++ << DCS_QUEUE_SLOT_BITS | SLOT_MASK;
    dcs_qslot b = {.key = key, .arg = arg, .unit = unit, .kind = kind};
    l->last = t;
    if (idle) {
        side_put(q, l->side, (dcs_qkey){t, key}, b);
        return 0;
    }
    uint32_t at = (l->head + l->len) % l->cap;
    l->key[at] = (dcs_qkey){t, key};
    l->body[at] = b;
    l->len++;
    q->lane_queued++;
    return 0;
}

/* Side entry i has popped: if it heads a lane with events waiting, the
 * next takes its place. */
static void lane_next(dcs_queue *q, uint32_t i)
{
    if (q->side_lane[i] == 0)
        return;
    dcs_qlane *l = &q->lane[q->side_lane[i] - 1];
    if (l->len == 0)
        return;
    side_put(q, i, l->key[l->head], l->body[l->head]);
    l->head = (l->head + 1) % l->cap;
    l->len--;
    q->lane_queued--;
}

/* Empties side entry i (popped or cancelled). */
static void side_clear(dcs_queue *q, uint32_t i)
{
    side_set(q, i, SIDE_IDLE);
    q->side_live--;
}

/* The side entry holding the event with this id, or nside when none. */
static uint32_t side_of(const dcs_queue *q, uint64_t id)
{
    uint32_t i = 0;
    while (i < q->nside && q->side[i].key != id)
        i++;
    return i;
}

int dcs_queue_side_pending(const dcs_queue *q, uint32_t side, uint64_t id)
{
    return id != 0 && side < q->nside && q->side[side].key == id;
}

void dcs_queue_side_stop(dcs_queue *q, uint32_t side)
{
    if (side < q->nside && q->side[side].key != UINT64_MAX)
        side_clear(q, side);
}

static inline void remove_top(dcs_queue *q, size_t slot)
{
    q->free[q->nfree++] = (uint32_t)slot;
    q->n--;
    if (q->n > 0)
        sift_down(q->heap, q->n, 0, q->heap[q->n]);
}

/* Drops dead entries at the top; returns 1 if a live one is there. With no
 * dead entry in the heap the top is live: no need to look at its slot. */
static inline int settle(dcs_queue *q)
{
    if (q->ncancelled == 0)
        return q->n > 0;
    while (q->n > 0) {
        size_t slot = (size_t)(q->heap[0].key & SLOT_MASK);
        if (q->slots[slot].key == q->heap[0].key)
            return 1;
        q->ncancelled--;
        q->purged++;
        remove_top(q, slot);
    }
    return 0;
}

/* Pops the earliest side entry. */
static int pop_side(dcs_queue *q, dcs_event *out)
{
    uint32_t i = side_first(q);
    const dcs_qslot *s = &q->side_body[i];
    *out = (dcs_event){.t = q->side[i].t,
                       .seq = q->side[i].key >> DCS_QUEUE_SLOT_BITS,
                       .kind = s->kind,
                       .unit = s->unit,
                       .arg = s->arg};
    side_clear(q, i);
    lane_next(q, i);
    return 1;
}

int dcs_queue_pop(dcs_queue *q, dcs_event *out)
{
    return dcs_queue_pop_until(q, HUGE_VAL, out);
}

int dcs_queue_pop_until(dcs_queue *q, double t_end, dcs_event *out)
{
    int live = settle(q);
    if (q->side_live > 0) {
        const dcs_qkey *k = &q->side[side_first(q)];
        if (!live || before(k, &q->heap[0]))
            return k->t <= t_end ? pop_side(q, out) : 0;
    }
    if (!live || q->heap[0].t > t_end)
        return 0;
    dcs_qkey k = q->heap[0];
    size_t slot = (size_t)(k.key & SLOT_MASK);
    dcs_qslot *s = &q->slots[slot];
    *out = (dcs_event){.t = k.t,
                       .seq = k.key >> DCS_QUEUE_SLOT_BITS,
                       .kind = s->kind,
                       .unit = s->unit,
                       .arg = s->arg};
    s->key = 0;
    remove_top(q, slot);
    return 1;
}

double dcs_queue_peek_time(dcs_queue *q)
{
    double t = settle(q) ? q->heap[0].t : HUGE_VAL;
    double ts = q->side[side_first(q)].t; /* +inf when no side entry is live */
    return ts < t ? ts : t;
}

int dcs_queue_cancel(dcs_queue *q, uint64_t id)
{
    if (!dcs_queue_pending(q, id))
        return DCS_ESTATE;
    size_t slot = (size_t)(id & SLOT_MASK);
    if (slot == SLOT_MASK) {
        side_clear(q, side_of(q, id));
        return 0;
    }
    q->slots[slot].key = 0;
    q->ncancelled++;
    return 0;
}

/* The earliest time among the side entries but the one with key except. */
static double side_time_except(dcs_queue *q, uint64_t except)
{
    uint32_t m = side_first(q);
    if (q->side[m].key != except)
        return q->side[m].t;
    if (q->side_2nd_stale)
        side_scan(q);
    return q->side[q->side_2nd].t;
}

double dcs_queue_peek_time_except(dcs_queue *q, uint64_t except)
{
    double ts = q->nside > 0 ? side_time_except(q, except) : HUGE_VAL;
    if (!settle(q))
        return ts;
    double t = HUGE_VAL;
    if (q->heap[0].key != except)
        t = q->heap[0].t;
    else
        for (size_t i = 1; i <= 2 && i < q->n; i++)
            if (q->heap[i].t < t)
                t = q->heap[i].t;
    return ts < t ? ts : t;
}

int dcs_queue_pending(const dcs_queue *q, uint64_t id)
{
    size_t slot = (size_t)(id & SLOT_MASK);
    if (slot == SLOT_MASK)
        return side_of(q, id) < q->nside;
    return id != 0 && slot < q->slot_used && q->slots[slot].key == id;
}

size_t dcs_queue_size(const dcs_queue *q)
{
    return q->n - q->ncancelled + q->side_live + q->lane_queued;
}
