/*
 * queue.c - binary min-heap of events ordered by (t, seq), lazy cancellation.
 *
 * The heap moves a "hole" instead of swapping pairs (as libuv's timer heap
 * and most textbook heaps do), so each level costs one 32-byte copy. The
 * comparison is on (t, seq): seq is unique, so the order is total and a
 * run is deterministic whatever the heap's internal layout.
 *
 * Cancelled ids live in an open-addressing hash set with linear probing and
 * backward-shift deletion (no tombstones inside the set itself). Pops test
 * the set only while it is non-empty, so a run that never cancels pays one
 * branch per pop for the feature.
 */
#include "queue.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static inline int before(const dcs_event *a, const dcs_event *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

int dcs_queue_init(dcs_queue *q, size_t cap_hint, dcs_err *err)
{
    memset(q, 0, sizeof *q);
    q->cap = cap_hint < 64 ? 64 : cap_hint;
    q->heap = malloc(q->cap * sizeof *q->heap);
    if (q->heap == NULL) {
        q->cap = 0;
        return dcs_err_set(err, DCS_ENOMEM, "cannot allocate an event queue of %zu events",
                           cap_hint);
    }
    return 0;
}

void dcs_queue_fini(dcs_queue *q)
{
    free(q->heap);
    free(q->cset);
    memset(q, 0, sizeof *q);
}

void dcs_queue_clear(dcs_queue *q)
{
    q->n = 0;
    q->next_seq = 0;
    q->purged = 0;
    if (q->cset_n > 0)
        memset(q->cset, 0, q->cset_cap * sizeof *q->cset);
    q->cset_n = 0;
}

static void sift_up(dcs_event *h, size_t i, dcs_event ev)
{
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!before(&ev, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = ev;
}

static void sift_down(dcs_event *h, size_t n, size_t i, dcs_event ev)
{
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && before(&h[c + 1], &h[c]))
            c++;
        if (!before(&h[c], &ev))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = ev;
}

int dcs_queue_push(dcs_queue *q, double t, uint16_t kind, uint32_t unit, uint64_t arg,
                   uint64_t *id)
{
    if (q->n == q->cap) {
        size_t cap = q->cap ? 2 * q->cap : 64;
        dcs_event *h = realloc(q->heap, cap * sizeof *h);
        if (h == NULL)
            return DCS_ENOMEM;
        q->heap = h;
        q->cap = cap;
    }
    dcs_event ev = {.t = t, .seq = q->next_seq++, .kind = kind, .unit = unit, .arg = arg};
    if (id != NULL)
        *id = ev.seq;
    sift_up(q->heap, q->n++, ev);
    return 0;
}

static inline size_t slot_of(uint64_t key, size_t mask)
{
    /* Fibonacci hashing: sequence numbers are consecutive integers. */
    return (size_t)((key * UINT64_C(0x9E3779B97F4A7C15)) >> 32) & mask;
}

/* Removes key from the set if present; returns 1 if it was there. */
static int cset_take(dcs_queue *q, uint64_t key)
{
    size_t mask = q->cset_cap - 1;
    size_t i = slot_of(key, mask);
    while (q->cset[i] != 0) {
        if (q->cset[i] == key) {
            /* Backward-shift deletion keeps every probe chain unbroken. */
            size_t hole = i;
            size_t j = (i + 1) & mask;
            while (q->cset[j] != 0) {
                size_t home = slot_of(q->cset[j], mask);
                if (((j - home) & mask) >= ((j - hole) & mask)) {
                    q->cset[hole] = q->cset[j];
                    hole = j;
                }
                j = (j + 1) & mask;
            }
            q->cset[hole] = 0;
            q->cset_n--;
            return 1;
        }
        i = (i + 1) & mask;
    }
    return 0;
}

static int cset_put(dcs_queue *q, uint64_t key)
{
    if (2 * (q->cset_n + 1) > q->cset_cap) {
        size_t cap = q->cset_cap ? 2 * q->cset_cap : 64;
        uint64_t *s = calloc(cap, sizeof *s);
        if (s == NULL)
            return DCS_ENOMEM;
        for (size_t i = 0; i < q->cset_cap; i++) {
            if (q->cset[i] == 0)
                continue;
            size_t j = slot_of(q->cset[i], cap - 1);
            while (s[j] != 0)
                j = (j + 1) & (cap - 1);
            s[j] = q->cset[i];
        }
        free(q->cset);
        q->cset = s;
        q->cset_cap = cap;
    }
    size_t mask = q->cset_cap - 1;
    size_t i = slot_of(key, mask);
    while (q->cset[i] != 0) {
        if (q->cset[i] == key)
            return DCS_ESTATE;
        i = (i + 1) & mask;
    }
    q->cset[i] = key;
    q->cset_n++;
    return 0;
}

static void remove_top(dcs_queue *q)
{
    q->n--;
    if (q->n > 0)
        sift_down(q->heap, q->n, 0, q->heap[q->n]);
}

/* Drops cancelled events sitting at the top; returns 1 if a live one is there. */
static int settle(dcs_queue *q)
{
    while (q->n > 0) {
        if (q->cset_n == 0 || !cset_take(q, q->heap[0].seq + 1))
            return 1;
        q->purged++;
        remove_top(q);
    }
    return 0;
}

int dcs_queue_pop(dcs_queue *q, dcs_event *out)
{
    if (!settle(q))
        return 0;
    *out = q->heap[0];
    remove_top(q);
    return 1;
}

double dcs_queue_peek_time(dcs_queue *q)
{
    return settle(q) ? q->heap[0].t : HUGE_VAL;
}

int dcs_queue_cancel(dcs_queue *q, uint64_t id)
{
    if (id >= q->next_seq)
        return DCS_ESTATE;
    return cset_put(q, id + 1);
}

size_t dcs_queue_size(const dcs_queue *q)
{
    return q->n - q->cset_n;
}
