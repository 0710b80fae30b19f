/*
 * test_queue.c - the pending-event set (sim/queue.c).
 *
 * The invariant that matters is that pops never decrease in (t, seq): it is
 * checked directly on random inputs, on ties, across growth of the heap and
 * through cancellation. Sequence numbers start at 1 and follow push order;
 * ids are opaque (never 0, never equal to the sequence number) and unique
 * among the events issued since the last clear. Cancellation is exact: a
 * cancelled entry stays in the heap until it reaches the top, where it is
 * dropped and counted in `purged`, size() never counts it, and cancelling an
 * id whose event has popped or was already cancelled is refused with
 * DCS_ESTATE, even after its slot has been reused. In steady state the queue
 * allocates nothing per event: its arrays and slot high-water mark stay put.
 * A randomized model check runs interleaved push/pop/cancel against a plain
 * array searched linearly, which is slow but obviously right. Times are
 * drawn from dcsim's own streams with a fixed key and quantized to quarters,
 * so that ties are common. Side entries (events kept beside the heap) are
 * held to the same order: a randomized check against one reference set,
 * with ties between the heap and the side entries, and their reservation,
 * replacement, stop and pop_until. Lanes (FIFOs headed by a side entry)
 * likewise: a randomized check with lane pushes out of order that go to the
 * heap, and their reservation, growth and clear.
 */
#include "queue.h"
#include "rng.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

TestSuite(queue, .timeout = 60);

/* A keyed stream for test inputs; seed 2385 is arbitrary but fixed. */
static gsl_rng *test_rng(uint32_t stream)
{
    gsl_rng *r = dcs_rng_create(NULL);
    cr_assert_not_null(r);
    dcs_rng_key(r, 2385, 0, stream);
    return r;
}

/* A time in [0, 250) in steps of 0.25: about 1000 distinct values. */
static double quarter_time(gsl_rng *r)
{
    return 0.25 * (double)gsl_rng_uniform_int(r, 1000);
}

static int ev_before(const dcs_event *a, const dcs_event *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

/* The body of the event at the top of the heap (tests look inside). */
static const dcs_qslot *top_slot(const dcs_queue *q)
{
    return &q->slots[q->heap[0].key & ((UINT64_C(1) << DCS_QUEUE_SLOT_BITS) - 1)];
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

Test(queue, pops_in_time_order)
{
    enum { N = 5000 };
    gsl_rng *r = test_rng(0);
    dcs_queue q;
    cr_assert_eq(dcs_queue_init(&q, 0, NULL), 0);
    for (int i = 0; i < N; i++)
        cr_assert_eq(dcs_queue_push(&q, quarter_time(r), 1, (uint32_t)i, (uint64_t)i, NULL), 0);
    cr_assert_eq(dcs_queue_size(&q), N);

    /* Pop half, then keep pushing at or after the last popped time while
     * popping (the way a simulation uses it), then drain. */
    dcs_event prev, ev;
    cr_assert_eq(dcs_queue_pop(&q, &prev), 1);
    size_t popped = 1;
    for (int i = 0; i < 3 * N; i++) {
        if (i % 3 == 0 && i < 2 * N) {
            double t = prev.t + quarter_time(r) / 50.0;
            cr_assert_eq(dcs_queue_push(&q, t, 2, 0, 0, NULL), 0);
            continue;
        }
        if (!dcs_queue_pop(&q, &ev))
            break;
        popped++;
        if (!ev_before(&prev, &ev))
            cr_assert_fail("pop %zu: (%g, %llu) came after (%g, %llu)", popped, ev.t,
                           (unsigned long long)ev.seq, prev.t, (unsigned long long)prev.seq);
        prev = ev;
    }
    while (dcs_queue_pop(&q, &ev)) {
        popped++;
        if (!ev_before(&prev, &ev))
            cr_assert_fail("pop %zu out of order", popped);
        prev = ev;
    }
    cr_assert_eq(popped, N + (2 * N + 2) / 3);
    cr_assert_eq(dcs_queue_size(&q), 0);
    cr_assert_eq(q.purged, 0);
    dcs_queue_fini(&q);
    gsl_rng_free(r);
}

Test(queue, equal_times_pop_in_schedule_order)
{
    dcs_queue q;
    cr_assert_eq(dcs_queue_init(&q, 16, NULL), 0);
    /* 300 events at three distinct times, pushed interleaved: each time's
     * events must come out in the order they were pushed. */
    const double times[3] = {7.125, 2.385, 4.5};
    for (uint64_t i = 0; i < 300; i++) {
        uint64_t id;
        cr_assert_eq(dcs_queue_push(&q, times[i % 3], 0, 0, i, &id), 0);
        cr_assert_neq(id, 0, "ids are never 0");
    }
    const int order[3] = {1, 2, 0};
    dcs_event ev;
    for (int k = 0; k < 3; k++) {
        for (uint64_t j = 0; j < 100; j++) {
            cr_assert_eq(dcs_queue_pop(&q, &ev), 1);
            cr_assert_eq(ev.t, times[order[k]]);
            cr_assert_eq(ev.arg, 3 * j + (uint64_t)order[k]);
            cr_assert_eq(ev.seq, ev.arg + 1, "sequence numbers start at 1");
        }
    }
    cr_assert_eq(dcs_queue_pop(&q, &ev), 0);
    dcs_queue_fini(&q);
}

Test(queue, event_fields_round_trip)
{
    dcs_queue q;
    cr_assert_eq(dcs_queue_init(&q, 4, NULL), 0);
    uint64_t id;
    cr_assert_eq(
        dcs_queue_push(&q, 2.385, 65535, UINT32_C(4000000001), UINT64_C(0xfedcba9876543210), &id),
        0);
    dcs_event ev;
    cr_assert_eq(dcs_queue_pop(&q, &ev), 1);
    cr_assert_eq(ev.t, 2.385);
    cr_assert_neq(id, 0);
    cr_assert_eq(ev.seq, 1, "the first push has sequence number 1");
    cr_assert_eq(ev.kind, 65535);
    cr_assert_eq(ev.unit, UINT32_C(4000000001));
    cr_assert_eq(ev.arg, UINT64_C(0xfedcba9876543210));
    cr_assert_eq(sizeof(dcs_event), 32, "events are 32-byte values");
    cr_assert_eq(sizeof(dcs_qkey), 16, "heap entries are 16-byte keys");
    dcs_queue_fini(&q);
}

Test(queue, cancelled_events_never_pop)
{
    enum { N = 3000 };
    gsl_rng *r = test_rng(1);
    dcs_queue q;
    cr_assert_eq(dcs_queue_init(&q, 0, NULL), 0);
    static uint64_t ids[N];
    static char cancelled[N];
    for (int i = 0; i < N; i++) {
        cancelled[i] = 0;
        cr_assert_eq(dcs_queue_push(&q, quarter_time(r), 0, 0, (uint64_t)i, &ids[i]), 0);
    }
    /* Cancel the top itself. */
    uint64_t top = top_slot(&q)->arg;
    cr_assert_eq(dcs_queue_cancel(&q, ids[top]), 0);
    cancelled[top] = 1;
    size_t ncancel = 1;
    /* Cancel many more: every third event, and a run of consecutive
     * pushes (adjacent slots). */
    for (int i = 0; i < N; i++) {
        if (!cancelled[i] && (i % 3 == 1 || (i >= 1000 && i < 1400))) {
            cr_assert_eq(dcs_queue_cancel(&q, ids[i]), 0);
            cancelled[i] = 1;
            ncancel++;
        }
    }
    cr_assert_eq(dcs_queue_size(&q), N - ncancel, "size excludes cancelled events");
    cr_assert_eq(q.purged, 0, "cancelled entries stay in the heap until they reach the top");
    cr_assert_eq(q.ncancelled, ncancel);
    cr_assert_eq(q.n, N);

    dcs_event prev = {.t = -1.0}, ev;
    size_t popped = 0;
    while (dcs_queue_pop(&q, &ev)) {
        if (cancelled[ev.arg])
            cr_assert_fail("cancelled event %llu popped", (unsigned long long)ev.arg);
        if (popped > 0 && !ev_before(&prev, &ev))
            cr_assert_fail("pop %zu out of order", popped);
        prev = ev;
        popped++;
    }
    cr_assert_eq(popped, N - ncancel);
    cr_assert_eq(q.purged, ncancel, "every tombstone is purged at the top and counted");
    cr_assert_eq(q.ncancelled, 0, "no dead entry is left once they are purged");
    cr_assert_eq(q.n, 0);
    for (int i = 0; i < N; i++)
        if (dcs_queue_cancel(&q, ids[i]) != DCS_ESTATE)
            cr_assert_fail("cancel of popped or cancelled event %d accepted", i);
    cr_assert_eq(dcs_queue_size(&q), 0);
    dcs_queue_fini(&q);
    gsl_rng_free(r);
}

Test(queue, cancelling_every_event_empties_the_queue)
{
    dcs_queue q;
    cr_assert_eq(dcs_queue_init(&q, 0, NULL), 0);
    static uint64_t ids[500];
    for (uint64_t i = 0; i < 500; i++)
        cr_assert_eq(dcs_queue_push(&q, 2.385 * (double)(i % 17), 0, 0, i, &ids[i]), 0);
    for (uint64_t i = 0; i < 500; i++)
        cr_assert_eq(dcs_queue_cancel(&q, ids[i]), 0);
    cr_assert_eq(dcs_queue_size(&q), 0);
    cr_assert_eq(q.ncancelled, 500);
    dcs_event ev;
    cr_assert_eq(dcs_queue_pop(&q, &ev), 0);
    cr_assert_eq(q.purged, 500);
    cr_assert_eq(q.n, 0);
    cr_assert_eq(q.ncancelled, 0);
    dcs_queue_fini(&q);
}

Test(queue, cancel_of_unknown_or_twice_is_an_error)
{
    dcs_queue q;
    cr_assert_eq(dcs_queue_init(&q, 0, NULL), 0);
    cr_assert_eq(dcs_queue_cancel(&q, 0), DCS_ESTATE, "no id issued yet");
    uint64_t a, b;
    cr_assert_eq(dcs_queue_push(&q, 1.5, 0, 0, 0, &a), 0);
    cr_assert_eq(dcs_queue_push(&q, 2.385, 0, 0, 0, &b), 0);
    cr_assert_eq(dcs_queue_cancel(&q, b + 1), DCS_ESTATE, "id never issued");
    cr_assert_eq(dcs_queue_cancel(&q, UINT64_MAX), DCS_ESTATE);
    /* A forged id naming a slot in use but the wrong sequence number. */
    cr_assert_eq(dcs_queue_cancel(&q, a ^ (UINT64_C(7) << DCS_QUEUE_SLOT_BITS)), DCS_ESTATE);
    cr_assert_eq(dcs_queue_cancel(&q, a >> DCS_QUEUE_SLOT_BITS), DCS_ESTATE,
                 "a sequence number is not an id");
    cr_assert_eq(dcs_queue_cancel(&q, b), 0);
    cr_assert_eq(dcs_queue_cancel(&q, b), DCS_ESTATE, "already cancelled");
    cr_assert_eq(dcs_queue_size(&q), 1, "a failed cancel changes nothing");
    dcs_event ev;
    cr_assert_eq(dcs_queue_pop(&q, &ev), 1);
    cr_assert_eq(ev.seq, 1, "a was pushed first");
    cr_assert_eq(dcs_queue_pop(&q, &ev), 0);
    cr_assert_eq(q.purged, 1);
    cr_assert_eq(dcs_queue_cancel(&q, b), DCS_ESTATE, "cancelled and purged");
    dcs_queue_fini(&q);
}

Test(queue, cancel_of_a_popped_event_is_refused)
{
    dcs_queue q;
    cr_assert_eq(dcs_queue_init(&q, 0, NULL), 0);
    uint64_t a, b, c;
    cr_assert_eq(dcs_queue_push(&q, 1.5, 0, 0, 1, &a), 0);
    cr_assert_eq(dcs_queue_push(&q, 2.385, 0, 0, 2, &b), 0);
    dcs_event ev;
    cr_assert_eq(dcs_queue_pop(&q, &ev), 1);
    cr_assert_eq(ev.arg, 1);
    cr_assert_eq(dcs_queue_cancel(&q, a), DCS_ESTATE, "a has popped");
    cr_assert_eq(dcs_queue_size(&q), 1, "the refused cancel changed nothing");
    cr_assert_eq(q.ncancelled, 0);

    /* c takes the slot a left; a's id still names a popped event and must
     * not cancel c. */
    cr_assert_eq(dcs_queue_push(&q, 3.25, 0, 0, 3, &c), 0);
    cr_assert_neq(c, a, "a reused slot gets a new id");
    cr_assert_eq(dcs_queue_cancel(&q, a), DCS_ESTATE, "a is still refused after slot reuse");
    cr_assert_eq(dcs_queue_size(&q), 2);
    cr_assert_eq(dcs_queue_cancel(&q, c), 0);
    cr_assert_eq(dcs_queue_size(&q), 1);
    cr_assert_eq(dcs_queue_pop(&q, &ev), 1);
    cr_assert_eq(ev.arg, 2);
    cr_assert_eq(dcs_queue_cancel(&q, b), DCS_ESTATE, "b has popped");
    cr_assert_eq(dcs_queue_pop(&q, &ev), 0);
    cr_assert_eq(q.purged, 1, "only c was dropped at the top");
    dcs_queue_fini(&q);
}

Test(queue, sequence_numbers_start_at_1_and_follow_push_order)
{
    enum { N = 257 };
    dcs_queue q;
    cr_assert_eq(dcs_queue_init(&q, 0, NULL), 0);
    /* Equal times: the pop order is the sequence order, and each popped
     * sequence number is the 1-based push number (growth included). */
    for (uint64_t i = 0; i < N; i++)
        cr_assert_eq(dcs_queue_push(&q, 2.385, 0, 0, i, NULL), 0);
    dcs_event ev;
    for (uint64_t i = 0; i < N; i++) {
        cr_assert_eq(dcs_queue_pop(&q, &ev), 1);
        if (ev.seq != i + 1 || ev.arg != i)
            cr_assert_fail("pop %llu: seq %llu arg %llu", (unsigned long long)i,
                           (unsigned long long)ev.seq, (unsigned long long)ev.arg);
    }
    /* Cancelled pushes use up their sequence numbers too. */
    uint64_t id;
    cr_assert_eq(dcs_queue_push(&q, 2.385, 0, 0, 0, &id), 0);
    cr_assert_eq(dcs_queue_cancel(&q, id), 0);
    cr_assert_eq(dcs_queue_push(&q, 2.385, 0, 0, 1, NULL), 0);
    cr_assert_eq(dcs_queue_pop(&q, &ev), 1);
    cr_assert_eq(ev.seq, N + 2);
    cr_assert_eq(ev.arg, 1);
    dcs_queue_fini(&q);
}

Test(queue, ids_are_unique_among_pending_events)
{
    enum { NPEND = 1000, HOLDS = 20000, NIDS = NPEND + HOLDS };
    gsl_rng *r = test_rng(4);
    dcs_queue q;
    cr_assert_eq(dcs_queue_init(&q, 0, NULL), 0);
    /* pending[i] is the id of the pending event whose arg is i; issued[]
     * has every id handed out. Holds pop one event and push one in its
     * place, and every fourth hold also cancels a random pending event and
     * pushes a replacement, so slots are freed and reused all the time. */
    static uint64_t pending[NPEND], issued[NIDS + HOLDS / 4], sorted[NPEND];
    size_t nissued = 0;
    for (uint64_t i = 0; i < NPEND; i++) {
        cr_assert_eq(dcs_queue_push(&q, quarter_time(r), 0, 0, i, &pending[i]), 0);
        issued[nissued++] = pending[i];
    }
    dcs_event ev;
    for (int h = 0; h < HOLDS; h++) {
        cr_assert_eq(dcs_queue_pop(&q, &ev), 1);
        uint64_t i = ev.arg;
        if (dcs_queue_push(&q, ev.t + quarter_time(r), 0, 0, i, &pending[i]) != 0)
            cr_assert_fail("hold %d: push failed", h);
        issued[nissued++] = pending[i];
        if (h % 4 == 0) {
            uint64_t k = gsl_rng_uniform_int(r, NPEND);
            if (dcs_queue_cancel(&q, pending[k]) != 0)
                cr_assert_fail("hold %d: cancel of a pending event failed", h);
            if (dcs_queue_push(&q, ev.t + quarter_time(r), 0, 0, k, &pending[k]) != 0)
                cr_assert_fail("hold %d: push failed", h);
            issued[nissued++] = pending[k];
        }
        if (dcs_queue_size(&q) != NPEND)
            cr_assert_fail("hold %d: size %zu", h, dcs_queue_size(&q));
    }
    cr_assert_eq(nissued, sizeof issued / sizeof issued[0]);

    memcpy(sorted, pending, sizeof sorted);
    qsort(sorted, NPEND, sizeof sorted[0], cmp_u64);
    cr_assert_neq(sorted[0], 0, "ids are never 0");
    for (size_t i = 1; i < NPEND; i++)
        if (sorted[i] == sorted[i - 1])
            cr_assert_fail("two pending events share id %llx", (unsigned long long)sorted[i]);
    /* Stronger: no id repeats among all those issued since the clear, even
     * though slots were reused thousands of times. */
    qsort(issued, nissued, sizeof issued[0], cmp_u64);
    for (size_t i = 1; i < nissued; i++)
        if (issued[i] == issued[i - 1])
            cr_assert_fail("id %llx issued twice", (unsigned long long)issued[i]);
    cr_assert_eq(q.slot_used, q.n + q.nfree, "every slot handed out is in the heap or free");
    dcs_queue_fini(&q);
    gsl_rng_free(r);
}

Test(queue, steady_state_reuses_slots_and_allocates_nothing)
{
    enum { NPEND = 1000, HOLDS = 100000 };
    gsl_rng *r = test_rng(5);
    dcs_queue q;
    cr_assert_eq(dcs_queue_init(&q, 0, NULL), 0);
    for (uint64_t i = 0; i < NPEND; i++)
        cr_assert_eq(dcs_queue_push(&q, quarter_time(r), 0, 0, i, NULL), 0);
    cr_assert_eq(q.slot_used, NPEND, "slots are handed out in order up to the high-water mark");
    const dcs_qkey *heap = q.heap;
    const dcs_qslot *slots = q.slots;
    const uint32_t *freelist = q.free;
    size_t cap = q.cap, slot_cap = q.slot_cap;

    /* HOLD: pop the earliest, push one later. The popped event's slot must
     * be the one the push takes, so no array grows and no slot is new. */
    dcs_event prev = {.t = -1.0}, ev;
    for (int h = 0; h < HOLDS; h++) {
        cr_assert_eq(dcs_queue_pop(&q, &ev), 1);
        if (!ev_before(&prev, &ev))
            cr_assert_fail("hold %d: pop out of order", h);
        prev = ev;
        if (dcs_queue_push(&q, ev.t + quarter_time(r), 0, 0, ev.arg, NULL) != 0)
            cr_assert_fail("hold %d: push failed", h);
        if (q.slot_used != NPEND || q.heap != heap || q.slots != slots || q.free != freelist ||
            q.cap != cap || q.slot_cap != slot_cap)
            cr_assert_fail("hold %d: the queue grew (slot_used %zu, cap %zu, slot_cap %zu)", h,
                           q.slot_used, q.cap, q.slot_cap);
    }
    cr_assert_eq(dcs_queue_size(&q), NPEND);
    cr_assert_eq(q.n, NPEND);
    cr_assert_eq(q.nfree, 0, "at a steady size every slot handed out is in use");
    cr_assert_eq(q.next_seq, NPEND + HOLDS + 1);
    dcs_queue_fini(&q);
    gsl_rng_free(r);
}

Test(queue, grows_past_initial_capacity)
{
    enum { N = 100000 };
    gsl_rng *r = test_rng(2);
    dcs_queue q;
    cr_assert_eq(dcs_queue_init(&q, 64, NULL), 0);
    cr_assert_eq(q.cap, 64);
    for (int i = 0; i < N; i++) {
        /* Fine-grained times here: few ties, deep sift paths. */
        double t = 1e3 * gsl_rng_uniform(r);
        if (dcs_queue_push(&q, t, 0, 0, (uint64_t)i, NULL) != 0)
            cr_assert_fail("push %d failed", i);
    }
    cr_assert_geq(q.cap, N);
    cr_assert_eq(dcs_queue_size(&q), N);
    static char seen[N];
    dcs_event prev, ev;
    size_t popped = 0;
    while (dcs_queue_pop(&q, &ev)) {
        if (popped > 0 && !ev_before(&prev, &ev))
            cr_assert_fail("pop %zu out of order", popped);
        if (ev.arg >= N || seen[ev.arg])
            cr_assert_fail("event %llu popped twice or invented", (unsigned long long)ev.arg);
        seen[ev.arg] = 1;
        prev = ev;
        popped++;
    }
    cr_assert_eq(popped, N, "all events come back");
    dcs_queue_fini(&q);
    gsl_rng_free(r);
}

Test(queue, clear_keeps_memory_and_restarts_sequence)
{
    dcs_queue q;
    cr_assert_eq(dcs_queue_init(&q, 0, NULL), 0);
    static uint64_t old[1000];
    for (uint64_t i = 0; i < 1000; i++)
        cr_assert_eq(dcs_queue_push(&q, 1000.0 - (double)i, 0, 0, i, &old[i]), 0);
    for (uint64_t i = 0; i < 1000; i += 7)
        cr_assert_eq(dcs_queue_cancel(&q, old[i]), 0);
    dcs_event ev;
    cr_assert_eq(dcs_queue_pop(&q, &ev), 1);
    const dcs_qkey *heap = q.heap;
    const dcs_qslot *slots = q.slots;
    size_t cap = q.cap, slot_cap = q.slot_cap;
    cr_assert_gt(q.ncancelled, 0);

    dcs_queue_clear(&q);
    cr_assert_eq(q.heap, heap, "clear keeps the heap array");
    cr_assert_eq(q.slots, slots, "clear keeps the slot array");
    cr_assert_eq(q.cap, cap);
    cr_assert_eq(q.slot_cap, slot_cap);
    cr_assert_eq(dcs_queue_size(&q), 0);
    cr_assert_eq(q.purged, 0);
    cr_assert_eq(q.ncancelled, 0);
    cr_assert(isinf(dcs_queue_peek_time(&q)));
    cr_assert_eq(dcs_queue_pop(&q, &ev), 0);

    /* Sequence numbers and slots restart, so the new events get exactly the
     * ids of the first events before the clear (queue.h says ids from
     * before a clear may come back), and the cancellations made before the
     * clear (0, 7, 14, ...) do not cancel the new events that reuse them. */
    for (uint64_t i = 0; i < 30; i++) {
        uint64_t id;
        cr_assert_eq(dcs_queue_push(&q, 2.385 + (double)i, 0, 0, i, &id), 0);
        cr_assert_eq(id, old[i]);
    }
    cr_assert_eq(dcs_queue_size(&q), 30);
    /* An id from before the clear whose slot has not been handed out again
     * names no pending event. */
    cr_assert_eq(dcs_queue_cancel(&q, old[500]), DCS_ESTATE);
    cr_assert_eq(dcs_queue_cancel(&q, old[999]), DCS_ESTATE);
    for (uint64_t i = 0; i < 30; i++) {
        cr_assert_eq(dcs_queue_pop(&q, &ev), 1);
        cr_assert_eq(ev.arg, i);
        cr_assert_eq(ev.seq, i + 1, "sequence numbers restart at 1");
    }
    cr_assert_eq(q.purged, 0);
    cr_assert_eq(q.heap, heap, "no reallocation below the old high-water mark");
    cr_assert_eq(q.slots, slots);
    dcs_queue_fini(&q);
    dcs_queue_fini(&q); /* safe on a finalised queue */
}

Test(queue, size_excludes_cancelled)
{
    dcs_queue q;
    cr_assert_eq(dcs_queue_init(&q, 0, NULL), 0);
    cr_assert_eq(dcs_queue_size(&q), 0);
    uint64_t id[10];
    for (int i = 0; i < 10; i++)
        cr_assert_eq(dcs_queue_push(&q, 0.5 * (double)(10 - i), 0, 0, 0, &id[i]), 0);
    cr_assert_eq(dcs_queue_size(&q), 10);
    cr_assert_eq(dcs_queue_cancel(&q, id[3]), 0);
    cr_assert_eq(dcs_queue_cancel(&q, id[9]), 0); /* the top, t = 0.5 */
    cr_assert_eq(dcs_queue_size(&q), 8);
    dcs_event ev;
    cr_assert_eq(dcs_queue_pop(&q, &ev), 1);
    cr_assert_eq(ev.seq, 9, "the ninth push, id[8], t = 1.0");
    cr_assert_eq(dcs_queue_cancel(&q, id[8]), DCS_ESTATE, "popped");
    cr_assert_eq(dcs_queue_size(&q), 7);
    cr_assert_eq(q.purged, 1);
    dcs_queue_fini(&q);
}

Test(queue, peek_time_skips_cancelled_and_reports_empty)
{
    dcs_queue q;
    cr_assert_eq(dcs_queue_init(&q, 0, NULL), 0);
    double t = dcs_queue_peek_time(&q);
    cr_assert(isinf(t) && t > 0.0, "an empty queue peeks +HUGE_VAL");
    uint64_t a, b, c;
    cr_assert_eq(dcs_queue_push(&q, 3.25, 0, 0, 0, &a), 0);
    cr_assert_eq(dcs_queue_push(&q, 2.385, 0, 0, 0, &b), 0);
    cr_assert_eq(dcs_queue_push(&q, 2.385, 0, 0, 0, &c), 0);
    cr_assert_eq(dcs_queue_peek_time(&q), 2.385);
    cr_assert_eq(dcs_queue_size(&q), 3, "peek does not remove");
    cr_assert_eq(dcs_queue_cancel(&q, b), 0);
    cr_assert_eq(dcs_queue_peek_time(&q), 2.385, "c is still at 2.385");
    cr_assert_eq(q.purged, 1, "peek dropped the tombstone at the top");
    cr_assert_eq(dcs_queue_cancel(&q, c), 0);
    cr_assert_eq(dcs_queue_peek_time(&q), 3.25);
    cr_assert_eq(q.purged, 2);
    cr_assert_eq(dcs_queue_cancel(&q, a), 0);
    cr_assert(isinf(dcs_queue_peek_time(&q)));
    cr_assert_eq(q.purged, 3);
    cr_assert_eq(q.n, 0);
    dcs_queue_fini(&q);
}

/* The reference: an unordered array of pending events; pop scans for the
 * (t, seq) minimum among live ones. */
typedef struct ref_ev {
    dcs_event ev;
    uint64_t id; /* as returned by push */
    int live;
} ref_ev;

Test(queue, matches_a_reference_under_random_push_pop_cancel)
{
    enum { OPS = 20000, MAXREF = OPS };
    gsl_rng *r = test_rng(3);
    dcs_queue q;
    cr_assert_eq(dcs_queue_init(&q, 0, NULL), 0);
    ref_ev *ref = calloc(MAXREF, sizeof *ref);
    cr_assert_not_null(ref);
    size_t nref = 0, nlive = 0, ncancel = 0, nrefused = 0;
    double now = 0.0;
    for (int op = 0; op < OPS; op++) {
        double u = gsl_rng_uniform(r);
        if (u < 0.45) {
            /* Push at now + a quantized delay: ties with pending events. */
            double t = now + 0.25 * (double)gsl_rng_uniform_int(r, 40);
            uint16_t kind = (uint16_t)gsl_rng_uniform_int(r, 5);
            uint64_t id;
            cr_assert_eq(dcs_queue_push(&q, t, kind, (uint32_t)op, (uint64_t)op, &id), 0);
            /* The reference's sequence number is the 1-based push count. */
            ref[nref].ev = (dcs_event){.t = t,
                                       .seq = (uint64_t)nref + 1,
                                       .kind = kind,
                                       .unit = (uint32_t)op,
                                       .arg = (uint64_t)op};
            ref[nref].id = id;
            ref[nref].live = 1;
            nref++;
            nlive++;
        } else if (u < 0.85) {
            ref_ev *best = NULL;
            for (size_t i = 0; i < nref; i++)
                if (ref[i].live && (best == NULL || ev_before(&ref[i].ev, &best->ev)))
                    best = &ref[i];
            dcs_event ev;
            int got = dcs_queue_pop(&q, &ev);
            if (got != (best != NULL))
                cr_assert_fail("op %d: pop returned %d with %zu live", op, got, nlive);
            if (best != NULL) {
                if (ev.seq != best->ev.seq || ev.t != best->ev.t || ev.kind != best->ev.kind ||
                    ev.unit != best->ev.unit || ev.arg != best->ev.arg)
                    cr_assert_fail("op %d: popped seq %llu, reference says %llu", op,
                                   (unsigned long long)ev.seq, (unsigned long long)best->ev.seq);
                best->live = 0;
                nlive--;
                now = ev.t;
            }
        } else if (u < 0.90 && nref > nlive) {
            /* Cancel an event that has popped or was cancelled: refused. */
            size_t k = gsl_rng_uniform_int(r, nref - nlive);
            for (size_t i = 0; i < nref; i++) {
                if (ref[i].live)
                    continue;
                if (k-- == 0) {
                    if (dcs_queue_cancel(&q, ref[i].id) != DCS_ESTATE)
                        cr_assert_fail("op %d: cancel of a dead event accepted", op);
                    nrefused++;
                    break;
                }
            }
        } else if (nlive > 0) {
            /* Cancel a random live event. */
            size_t k = gsl_rng_uniform_int(r, nlive);
            for (size_t i = 0; i < nref; i++) {
                if (!ref[i].live)
                    continue;
                if (k-- == 0) {
                    if (dcs_queue_cancel(&q, ref[i].id) != 0)
                        cr_assert_fail("op %d: cancel of a live event failed", op);
                    if (dcs_queue_cancel(&q, ref[i].id) != DCS_ESTATE)
                        cr_assert_fail("op %d: second cancel accepted", op);
                    ref[i].live = 0;
                    nlive--;
                    ncancel++;
                    break;
                }
            }
        }
        if (dcs_queue_size(&q) != nlive)
            cr_assert_fail("op %d: size %zu, reference %zu", op, dcs_queue_size(&q), nlive);
    }
    /* Drain: everything left comes out, and every tombstone is counted. */
    dcs_event ev;
    while (dcs_queue_pop(&q, &ev))
        nlive--;
    cr_assert_eq(nlive, 0);
    cr_assert_eq(q.purged, ncancel);
    cr_assert_gt(ncancel, 1000, "the check exercised cancellation");
    cr_assert_gt(nrefused, 500, "the check exercised refused cancellation");
    free(ref);
    dcs_queue_fini(&q);
    gsl_rng_free(r);
}

/* The earliest live reference event other than id `except` (NULL: none). */
static ref_ev *ref_min_except(ref_ev *ref, size_t nref, uint64_t except)
{
    ref_ev *best = NULL;
    for (size_t i = 0; i < nref; i++)
        if (ref[i].live && ref[i].id != except &&
            (best == NULL || ev_before(&ref[i].ev, &best->ev)))
            best = &ref[i];
    return best;
}

/* Pops from q and checks the event against best, the reference's earliest
 * (NULL: none live, so the pop must find nothing), at operation op with
 * nlive events live; marks best popped and counts in *nties a tie across
 * places (kinds): the next event, at the same time, is in another place.
 * Returns whether an event was popped (into *ev). */
static int pop_as_reference(dcs_queue *q, ref_ev *ref, size_t nref, ref_ev *best, int op,
                            size_t nlive, dcs_event *ev, size_t *nties)
{
    int got = dcs_queue_pop(q, ev);
    if (got != (best != NULL))
        cr_assert_fail("op %d: pop returned %d with %zu live", op, got, nlive);
    if (best == NULL)
        return 0;
    if (ev->seq != best->ev.seq || ev->t != best->ev.t || ev->kind != best->ev.kind ||
        ev->unit != best->ev.unit || ev->arg != best->ev.arg)
        cr_assert_fail("op %d: popped seq %llu, reference says %llu", op,
                       (unsigned long long)ev->seq, (unsigned long long)best->ev.seq);
    best->live = 0;
    ref_ev *next = ref_min_except(ref, nref, 0);
    *nties += next != NULL && next->ev.t == ev->t && next->ev.kind != ev->kind;
    return 1;
}

Test(queue, side_entries_are_reserved_until_a_clear)
{
    dcs_queue q;
    cr_assert_eq(dcs_queue_init(&q, 0, NULL), 0);
    uint32_t side;
    for (uint32_t i = 0; i < DCS_QUEUE_SIDE; i++) {
        cr_assert_eq(dcs_queue_side_reserve(&q, &side), 0);
        cr_assert_eq(side, i);
    }
    cr_assert_eq(dcs_queue_side_reserve(&q, &side), DCS_ENOMEM, "all places taken");
    uint64_t a, b;
    cr_assert_eq(dcs_queue_side_push(&q, 3, 1.5, 2, 3, 4, &a), 0);
    cr_assert(dcs_queue_pending(&q, a));
    cr_assert_eq(dcs_queue_size(&q), 1);
    cr_assert_eq(dcs_queue_side_push(&q, 3, 2.5, 2, 3, 4, &b), 0);
    cr_assert_not(dcs_queue_pending(&q, a), "a push to a busy place replaces its event");
    cr_assert_eq(dcs_queue_cancel(&q, a), DCS_ESTATE);
    cr_assert_eq(dcs_queue_size(&q), 1);
    cr_assert_eq(dcs_queue_peek_time(&q), 2.5);
    cr_assert(dcs_queue_side_pending(&q, 3, b));
    cr_assert_not(dcs_queue_side_pending(&q, 3, a));
    cr_assert_not(dcs_queue_side_pending(&q, 2, b), "b is in place 3, not 2");
    dcs_queue_side_stop(&q, 3);
    cr_assert_not(dcs_queue_pending(&q, b), "stopped");
    cr_assert_eq(dcs_queue_size(&q), 0);
    dcs_queue_side_stop(&q, 3); /* an idle place: nothing to do */
    cr_assert(isinf(dcs_queue_peek_time(&q)));
    cr_assert_eq(dcs_queue_side_push(&q, 3, 2.5, 2, 3, 4, &b), 0);
    dcs_queue_clear(&q);
    cr_assert_not(dcs_queue_pending(&q, b), "a clear forgets the side entries");
    cr_assert(isinf(dcs_queue_peek_time(&q)));
    cr_assert_eq(dcs_queue_side_push(&q, 0, 1.0, 0, 0, 0, NULL), DCS_ESTATE, "not reserved");
    cr_assert_eq(dcs_queue_side_reserve(&q, &side), 0);
    cr_assert_eq(side, 0, "the places are handed out again from the first");
    dcs_event ev;
    cr_assert_eq(dcs_queue_side_push(&q, 0, 7.0, 1, 2, 3, &a), 0);
    cr_assert_eq(dcs_queue_pop(&q, &ev), 1);
    cr_assert(ev.t == 7.0 && ev.kind == 1 && ev.unit == 2 && ev.arg == 3 && ev.seq == 1);
    cr_assert_not(dcs_queue_pending(&q, a));
    cr_assert_eq(dcs_queue_pop(&q, &ev), 0);
    dcs_queue_fini(&q);
}

/* Events in the heap and in side entries (pushes to a side entry replace
 * what it holds) pop exactly in the (t, seq) order of one reference set,
 * with ties across the two; peek_time is the reference's earliest, and
 * peek_time_except is exact when the event left out is a side entry and
 * never later than the truth when it is in the heap. */
static void check_side_order(int nside)
{
    enum { OPS = 20000, MAXREF = OPS };
    gsl_rng *r = test_rng(4);
    dcs_queue q;
    cr_assert_eq(dcs_queue_init(&q, 0, NULL), 0);
    uint32_t side[DCS_QUEUE_SIDE];
    for (int i = 0; i < nside; i++)
        cr_assert_eq(dcs_queue_side_reserve(&q, &side[i]), 0);
    ref_ev *ref = calloc(MAXREF, sizeof *ref);
    cr_assert_not_null(ref);
    ref_ev *in_side[DCS_QUEUE_SIDE] = {NULL};
    size_t nref = 0, nlive = 0, nside_pops = 0, nties = 0;
    double now = 0.0;
    for (int op = 0; op < OPS; op++) {
        double u = gsl_rng_uniform(r);
        if (u < 0.5) {
            double t = now + 0.25 * (double)gsl_rng_uniform_int(r, 8); /* many ties */
            int sd = u < 0.25 ? (int)gsl_rng_uniform_int(r, (unsigned long)nside) : -1;
            uint64_t id;
            if (sd < 0) {
                cr_assert_eq(dcs_queue_push(&q, t, 0, (uint32_t)op, (uint64_t)op, &id), 0);
            } else {
                cr_assert_eq(
                    dcs_queue_side_push(&q, side[sd], t, 1, (uint32_t)op, (uint64_t)op, &id), 0);
                if (in_side[sd] != NULL && in_side[sd]->live) {
                    in_side[sd]->live = 0;
                    nlive--;
                }
                in_side[sd] = &ref[nref];
            }
            ref[nref] = (ref_ev){.ev = {.t = t,
                                        .seq = (uint64_t)nref + 1,
                                        .kind = sd < 0 ? 0 : 1,
                                        .unit = (uint32_t)op,
                                        .arg = (uint64_t)op},
                                 .id = id,
                                 .live = 1};
            nref++;
            nlive++;
        } else if (u < 0.85) {
            ref_ev *best = ref_min_except(ref, nref, 0);
            double peek = dcs_queue_peek_time(&q);
            if (peek != (best != NULL ? best->ev.t : HUGE_VAL))
                cr_assert_fail("op %d: peek %g", op, peek);
            if (best != NULL) {
                ref_ev *second = ref_min_except(ref, nref, best->id);
                double want = second != NULL ? second->ev.t : HUGE_VAL;
                double got = dcs_queue_peek_time_except(&q, best->id);
                if (best->ev.kind == 1 ? got != want : got > want)
                    cr_assert_fail("op %d: peek except %g, reference %g", op, got, want);
            }
            dcs_event ev;
            if (pop_as_reference(&q, ref, nref, best, op, nlive, &ev, &nties)) {
                nside_pops += ev.kind == 1;
                nlive--;
                now = ev.t;
            }
        } else if (nlive > 0) {
            size_t k = gsl_rng_uniform_int(r, nlive);
            for (size_t i = 0; i < nref; i++) {
                if (!ref[i].live || k-- != 0)
                    continue;
                if (dcs_queue_cancel(&q, ref[i].id) != 0)
                    cr_assert_fail("op %d: cancel of a live event failed", op);
                if (dcs_queue_cancel(&q, ref[i].id) != DCS_ESTATE)
                    cr_assert_fail("op %d: second cancel accepted", op);
                ref[i].live = 0;
                nlive--;
                break;
            }
        }
        if (dcs_queue_size(&q) != nlive)
            cr_assert_fail("op %d: size %zu, reference %zu", op, dcs_queue_size(&q), nlive);
    }
    cr_assert_gt(nside_pops, 1000, "the check popped side entries");
    cr_assert_gt(nties, 300, "the check popped ties between the heap and a side entry: %zu", nties);
    free(ref);
    dcs_queue_fini(&q);
    gsl_rng_free(r);
}

/* With a few side entries, and with every one reserved (each level of the
 * side entries' tournament played). */
Test(queue, side_entries_pop_in_the_order_of_one_heap)
{
    check_side_order(4);
    check_side_order(DCS_QUEUE_SIDE);
}

/* pop_until pops what lies at or before t_end, in the heap or beside it,
 * and leaves the rest. */
Test(queue, pop_until_stops_at_t_end)
{
    dcs_queue q;
    cr_assert_eq(dcs_queue_init(&q, 0, NULL), 0);
    uint32_t side;
    cr_assert_eq(dcs_queue_side_reserve(&q, &side), 0);
    dcs_event ev;
    cr_assert_eq(dcs_queue_pop_until(&q, HUGE_VAL, &ev), 0, "empty");
    cr_assert_eq(dcs_queue_push(&q, 2.0, 0, 0, 0, NULL), 0);
    cr_assert_eq(dcs_queue_side_push(&q, side, 1.0, 1, 0, 0, NULL), 0);
    cr_assert_eq(dcs_queue_pop_until(&q, 0.5, &ev), 0, "both later");
    cr_assert_eq(dcs_queue_size(&q), 2);
    cr_assert_eq(dcs_queue_pop_until(&q, 1.0, &ev), 1, "at t_end: popped");
    cr_assert(ev.t == 1.0 && ev.kind == 1);
    cr_assert_eq(dcs_queue_pop_until(&q, 1.5, &ev), 0);
    cr_assert_eq(dcs_queue_side_push(&q, side, 3.0, 1, 0, 0, NULL), 0);
    cr_assert_eq(dcs_queue_pop_until(&q, 2.5, &ev), 1);
    cr_assert(ev.t == 2.0 && ev.kind == 0);
    cr_assert_eq(dcs_queue_pop_until(&q, 2.5, &ev), 0, "the side entry lies later");
    cr_assert_eq(dcs_queue_pop_until(&q, HUGE_VAL, &ev), 1);
    cr_assert(ev.t == 3.0 && ev.kind == 1);
    cr_assert_eq(dcs_queue_size(&q), 0);
    /* The heap empty, and the earliest side entry moved later: the other
     * one is found. */
    uint32_t side2;
    cr_assert_eq(dcs_queue_side_reserve(&q, &side2), 0);
    cr_assert_eq(dcs_queue_side_push(&q, side, 4.0, 1, 0, 0, NULL), 0);
    cr_assert_eq(dcs_queue_side_push(&q, side2, 5.0, 2, 0, 0, NULL), 0);
    cr_assert_eq(dcs_queue_side_push(&q, side, 6.0, 1, 0, 0, NULL), 0);
    cr_assert_eq(dcs_queue_pop_until(&q, 5.5, &ev), 1);
    cr_assert(ev.t == 5.0 && ev.kind == 2);
    cr_assert_eq(dcs_queue_pop_until(&q, 5.5, &ev), 0);
    dcs_queue_side_stop(&q, side);
    cr_assert_eq(dcs_queue_size(&q), 0);
    dcs_queue_fini(&q);
}

/* Lanes: reserved until a clear, each taking a side entry; a push to a lane
 * not reserved is refused; a lane's ring grows past its first allocation
 * and gives its events back in order. */
Test(queue, lanes_are_reserved_until_a_clear_and_grow_in_order)
{
    dcs_queue q;
    cr_assert_eq(dcs_queue_init(&q, 0, NULL), 0);
    uint32_t lane, side;
    cr_assert_eq(dcs_queue_lane_push(&q, 0, 1.0, 0, 0, 0), DCS_ESTATE, "not reserved");
    for (uint32_t i = 0; i < DCS_QUEUE_LANES; i++) {
        cr_assert_eq(dcs_queue_lane_reserve(&q, &lane), 0);
        cr_assert_eq(lane, i);
    }
    cr_assert_eq(dcs_queue_lane_reserve(&q, &lane), DCS_ENOMEM, "all lanes taken");
    for (uint32_t i = DCS_QUEUE_LANES; i < DCS_QUEUE_SIDE; i++)
        cr_assert_eq(dcs_queue_side_reserve(&q, &side), 0);
    cr_assert_eq(dcs_queue_side_reserve(&q, &side), DCS_ENOMEM, "the lanes took side entries");
    /* 100 events in lane 2 (its ring starts at 16), 100 in lane 0 at the
     * same times: they pop alternately, in push order at each time. */
    for (uint32_t i = 0; i < 100; i++) {
        cr_assert_eq(dcs_queue_lane_push(&q, 2, (double)i, 2, i, 2), 0);
        cr_assert_eq(dcs_queue_lane_push(&q, 0, (double)i, 0, i, 0), 0);
    }
    cr_assert_eq(dcs_queue_size(&q), 200);
    dcs_event ev;
    for (uint32_t i = 0; i < 200; i++) {
        cr_assert_eq(dcs_queue_pop(&q, &ev), 1);
        cr_assert(ev.t == (double)(i / 2) && ev.unit == i / 2 && ev.seq == i + 1,
                  "pop %u: t %g unit %u seq %llu", i, ev.t, ev.unit, (unsigned long long)ev.seq);
        cr_assert_eq(ev.kind, i % 2 == 0 ? 2 : 0);
        cr_assert_eq(dcs_queue_size(&q), 199 - i);
    }
    cr_assert_eq(q.n, 0, "nothing went to the heap");
    cr_assert_eq(dcs_queue_lane_push(&q, 1, 5.0, 1, 0, 0), 0);
    dcs_queue_clear(&q);
    cr_assert_eq(dcs_queue_size(&q), 0, "a clear empties the lanes");
    cr_assert_eq(dcs_queue_lane_push(&q, 0, 1.0, 0, 0, 0), DCS_ESTATE, "a clear forgets them");
    cr_assert_eq(dcs_queue_lane_reserve(&q, &lane), 0);
    cr_assert_eq(lane, 0);
    cr_assert_eq(dcs_queue_pop(&q, &ev), 0);
    dcs_queue_fini(&q);
}

/* Events in the heap, in side entries and in lanes pop exactly in the
 * (t, seq) order of one reference set, ties across the three included. A
 * lane push is at now plus one of a few delays, so some come earlier than
 * the lane's latest event and go to the heap: those too. */
Test(queue, lanes_pop_in_the_order_of_one_heap)
{
    enum { OPS = 20000, MAXREF = OPS, NSIDE = 2, NLANE = 3 };
    gsl_rng *r = test_rng(5);
    dcs_queue q;
    cr_assert_eq(dcs_queue_init(&q, 0, NULL), 0);
    uint32_t side[NSIDE], lane[NLANE];
    for (int i = 0; i < NSIDE; i++)
        cr_assert_eq(dcs_queue_side_reserve(&q, &side[i]), 0);
    for (int i = 0; i < NLANE; i++)
        cr_assert_eq(dcs_queue_lane_reserve(&q, &lane[i]), 0);
    ref_ev *ref = calloc(MAXREF, sizeof *ref);
    cr_assert_not_null(ref);
    ref_ev *in_side[NSIDE] = {NULL};
    size_t nref = 0, nlive = 0, nlane_pops = 0, nties = 0, nheap_lane = 0;
    double now = 0.0;
    for (int op = 0; op < OPS; op++) {
        double u = gsl_rng_uniform(r);
        if (u < 0.5) {
            /* kind 0: heap, 1: side entry, 2: lane */
            int kind = u < 0.1 ? 0 : u < 0.2 ? 1 : 2;
            double t = now + 0.25 * (double)gsl_rng_uniform_int(r, kind == 2 ? 3 : 8);
            uint64_t id = 0;
            if (kind == 0) {
                cr_assert_eq(dcs_queue_push(&q, t, 0, (uint32_t)op, (uint64_t)op, &id), 0);
            } else if (kind == 1) {
                int sd = (int)gsl_rng_uniform_int(r, NSIDE);
                cr_assert_eq(
                    dcs_queue_side_push(&q, side[sd], t, 1, (uint32_t)op, (uint64_t)op, &id), 0);
                if (in_side[sd] != NULL && in_side[sd]->live) {
                    in_side[sd]->live = 0;
                    nlive--;
                }
                in_side[sd] = &ref[nref];
            } else {
                uint32_t ln = lane[gsl_rng_uniform_int(r, NLANE)];
                size_t n_before = q.n;
                cr_assert_eq(dcs_queue_lane_push(&q, ln, t, 2, (uint32_t)op, (uint64_t)op), 0);
                nheap_lane += q.n > n_before;
                id = UINT64_MAX - (uint64_t)op; /* no id: one of the reference's own */
            }
            ref[nref] = (ref_ev){.ev = {.t = t,
                                        .seq = (uint64_t)nref + 1,
                                        .kind = (uint16_t)kind,
                                        .unit = (uint32_t)op,
                                        .arg = (uint64_t)op},
                                 .id = id,
                                 .live = 1};
            nref++;
            nlive++;
        } else {
            ref_ev *best = ref_min_except(ref, nref, 0);
            double peek = dcs_queue_peek_time(&q);
            if (peek != (best != NULL ? best->ev.t : HUGE_VAL))
                cr_assert_fail("op %d: peek %g", op, peek);
            dcs_event ev;
            if (pop_as_reference(&q, ref, nref, best, op, nlive, &ev, &nties)) {
                nlane_pops += ev.kind == 2;
                nlive--;
                now = ev.t;
            }
        }
        if (dcs_queue_size(&q) != nlive)
            cr_assert_fail("op %d: size %zu, reference %zu", op, dcs_queue_size(&q), nlive);
    }
    cr_assert_gt(nlane_pops, 1000, "the check popped lane events: %zu", nlane_pops);
    cr_assert_gt(nheap_lane, 100, "lane pushes out of order went to the heap: %zu", nheap_lane);
    cr_assert_gt(nties, 300, "the check popped ties across the places: %zu", nties);
    free(ref);
    dcs_queue_fini(&q);
    gsl_rng_free(r);
}
