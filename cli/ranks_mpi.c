/*
 * ranks_mpi.c - the MPI module (dcsim-mpi.so): start-up, the coordinator on
 * rank 0, the followers. cli/ranks.c loads it only under a launcher.
 *
 *
 * Messages (MPI_COMM_WORLD, bytes):
 *   CALL   0 -> r  u64 kind (1: a call, its spec follows; 0: end, i64 status)
 *   REQ    r -> 0  u64 0: this rank wants its next chunk
 *   GRANT  0 -> r  u64 first, u64 count (0: no more in this call)
 *   RESULT r -> 0  records (u64 item, u64 len, len bytes) of consecutive items
 *                  of one chunk
 *   DONE   r -> 0  i32 status, then the dcs_err of a failure
 * A rank's messages reach rank 0 in the order sent (MPI's non-overtaking
 * rule), so its RESULTs precede its DONE.
 *
 * Rank 0's main thread runs the coordinator: it answers requests, keeps
 * the received results until they are next in order, and writes them; it
 * polls (MPI_Iprobe) with a sleep that grows to POLL_MAX_US while nothing
 * happens, so an idle coordinator costs almost no CPU (blocking MPI calls
 * would busy-wait). Rank 0's own share runs on a second thread, whose fetch
 * and put go to the coordinator through a mutex instead of MPI. On the
 * other ranks the runner's threads call MPI themselves, one at a time
 * (MPI_THREAD_SERIALIZED, a mutex), and never hold it while waiting.
 *
 * The mutable state is file-scope: there is one MPI world per process, and
 * cli/ is where the project keeps such state.
 */
#include "ranks_mpi.h"

#include <limits.h>
#include <mpi.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int g_rank = 0, g_size = 1;

enum { TAG_CALL = 1, TAG_REQ, TAG_GRANT, TAG_RESULT, TAG_DONE };

/* Results are sent when a chunk's last item is packed or when this many
 * bytes wait: a few hundred rows, a few messages per chunk. */
#define FLUSH_BYTES ((size_t)256 * 1024)
/* Chunks handed out per rank beyond the last item written: enough that a
 * rank never waits for one while another finishes a long item, few enough
 * that rank 0 holds little. */
#define OUTSTANDING_PER_RANK 4
/* The largest chunk, in items per thread of the rank: bounds rank 0's
 * memory for results that wait for an earlier chunk. */
#define CHUNK_MAX_PER_THREAD 64
/* Polling sleeps, microseconds: short after activity, up to 0.5 ms idle. */
#define POLL_MIN_US 20
#define POLL_MAX_US 500

static int g_mpi = 0;    /* MPI started */
static int g_parted = 0; /* past dcs_ranks_part: the other ranks follow */
static int g_end_status = 0;
static pthread_mutex_t g_mpi_lock = PTHREAD_MUTEX_INITIALIZER; /* followers' MPI calls */

static void nap(long *us)
{
    struct timespec ts = {0, *us * 1000L};
    nanosleep(&ts, NULL);
    if (*us < POLL_MAX_US)
        *us *= 2;
    if (*us > POLL_MAX_US)
        *us = POLL_MAX_US;
}

/* The chunks granted to this rank and not yet packed to their end. */
typedef struct range {
    uint64_t first, end;
} range;

/* Packed results on their way to the writer. */
typedef struct outbox {
    unsigned char *buf;
    size_t len, cap;
    uint64_t first, n; /* items in buf: first .. first + n - 1 */
} outbox;

/* Per-call state shared by the threads of one rank. */
static pthread_mutex_t g_put_lock = PTHREAD_MUTEX_INITIALIZER; /* ranges and outbox */
static range *g_ranges;
static size_t g_rhead, g_rn, g_rcap;
static outbox g_out;

/* A message of results on rank 0, waiting to be written. */
typedef struct pending {
    struct pending *next;
    uint64_t first;
    size_t len;
    unsigned char *data; /* owned */
} pending;

/* Rank 0's compute thread talks to the coordinator through this. */
typedef struct lead {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int wants;   /* the compute thread asks for a chunk */
    int granted; /* the answer is in gfirst, gcount */
    uint64_t gfirst, gcount;
    pending *inbox; /* results packed by the compute thread, newest first */
    int done;       /* the compute thread has finished */
    int rc;
    dcs_err err;
    const dcs_ranks_call *call;
} lead;

static lead *g_lead; /* rank 0 during a call */

/* What the coordinator did, over every call of the process, for
 * DCSIM_COORDINATOR_STATS (bench/bench_mpi.sh): chunks and items handed
 * out, the CPU time of rank 0's main thread while it led calls (handing
 * out, receiving, and writing the results: write_s of it), the CPU time of
 * the whole of rank 0 (its computing thread too) and the wall time of
 * those calls. */
static struct {
    uint64_t chunks, items;
    double cpu_s, write_s, wall_s, proc_s;
} g_coord;

static double process_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double thread_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double wall_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int mpi_init(int *argc, char ***argv, int *rank, int *size, int *local_size)
{
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS) {
        fputs("dcsim: MPI_Init_thread failed\n", stderr);
        return DCS_EIO;
    }
    g_mpi = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &g_size);
    MPI_Comm local;
    if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &local) ==
        MPI_SUCCESS) {
        MPI_Comm_size(local, local_size);
        MPI_Comm_free(&local);
    }
    *rank = g_rank;
    *size = g_size;
    if (provided < MPI_THREAD_SERIALIZED) {
        if (g_rank == 0)
            fputs("dcsim: this MPI library does not support threads (MPI_THREAD_SERIALIZED)\n",
                  stderr);
        return DCS_EIO;
    }
    if (g_rank != 0) {
        /* One rank speaks: the others' messages would repeat rank 0's. */
        if (freopen("/dev/null", "w", stdout) == NULL || freopen("/dev/null", "w", stderr) == NULL)
            return DCS_EIO;
    }
    return 0;
}

static void mpi_part(void)
{
    g_parted = g_mpi;
}

static int mpi_fini(int status)
{
    if (!g_mpi)
        return status;
    if (g_rank == 0 && g_parted && getenv("DCSIM_COORDINATOR_STATS") != NULL)
        fprintf(stderr,
                "dcsim: coordinator: %llu items in %llu chunks to %d ranks in %.3f s (%.0f "
                "items/s); main thread CPU %.3f s (%.1f%% of one core; %.1f%% of rank 0's "
                "%.3f s), of which writing the file %.3f s\n",
                (unsigned long long)g_coord.items, (unsigned long long)g_coord.chunks, g_size,
                g_coord.wall_s, g_coord.wall_s > 0 ? (double)g_coord.items / g_coord.wall_s : 0.0,
                g_coord.cpu_s, g_coord.wall_s > 0 ? 100.0 * g_coord.cpu_s / g_coord.wall_s : 0.0,
                g_coord.proc_s > 0 ? 100.0 * g_coord.cpu_s / g_coord.proc_s : 0.0, g_coord.proc_s,
                g_coord.write_s);
    if (g_rank == 0 && g_parted) {
        int64_t msg[2] = {0, status};
        for (int r = 1; r < g_size; r++)
            MPI_Send(msg, sizeof msg, MPI_BYTE, r, TAG_CALL, MPI_COMM_WORLD);
    }
    MPI_Finalize();
    g_mpi = 0;
    free(g_ranges);
    free(g_out.buf);
    return g_rank == 0 || !g_parted ? status : g_end_status;
}

/* ---- both sides: the chunks of this rank and the packed results ---- */

static void reset_call(void)
{
    g_rhead = g_rn = 0;
    g_out.len = 0;
    g_out.n = 0;
}

static int push_range(uint64_t first, uint64_t count, dcs_err *err)
{
    pthread_mutex_lock(&g_put_lock);
    if (g_rhead + g_rn == g_rcap) {
        if (g_rhead > 0) {
            memmove(g_ranges, g_ranges + g_rhead, g_rn * sizeof *g_ranges);
            g_rhead = 0;
        } else {
            size_t cap = g_rcap ? 2 * g_rcap : 64;
            range *v = realloc(g_ranges, cap * sizeof *v);
            if (v == NULL) {
                pthread_mutex_unlock(&g_put_lock);
                return dcs_err_set(err, DCS_ENOMEM, "out of memory for the chunks of a rank");
            }
            g_ranges = v;
            g_rcap = cap;
        }
    }
    g_ranges[g_rhead + g_rn++] = (range){first, first + count};
    pthread_mutex_unlock(&g_put_lock);
    return 0;
}

/* Hands g_out to the writer and empties it. Caller holds g_put_lock. */
static int flush(dcs_err *err)
{
    if (g_out.n == 0)
        return 0;
    int rc = 0;
    if (g_rank == 0) {
        pending *p = malloc(sizeof *p);
        unsigned char *d = malloc(g_out.len);
        if (p == NULL || d == NULL) {
            free(p);
            free(d);
            rc = dcs_err_set(err, DCS_ENOMEM, "out of memory for results waiting to be written");
        } else {
            memcpy(d, g_out.buf, g_out.len);
            *p = (pending){NULL, g_out.first, g_out.len, d};
            pthread_mutex_lock(&g_lead->mu);
            p->next = g_lead->inbox;
            g_lead->inbox = p;
            pthread_mutex_unlock(&g_lead->mu);
        }
    } else if (g_out.len > INT_MAX) {
        rc = dcs_err_set(err, DCS_ENOMEM, "a message of %zu bytes of results is too long for MPI",
                         g_out.len);
    } else {
        pthread_mutex_lock(&g_mpi_lock);
        if (MPI_Send(g_out.buf, (int)g_out.len, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD) !=
            MPI_SUCCESS)
            rc = dcs_err_set(err, DCS_EIO, "MPI_Send of results to rank 0 failed");
        pthread_mutex_unlock(&g_mpi_lock);
    }
    g_out.len = 0;
    g_out.n = 0;
    return rc;
}

static int mpi_put(uint64_t item, const void *data, size_t len, dcs_err *err)
{
    int rc = 0;
    pthread_mutex_lock(&g_put_lock);
    while (g_rn > 0 && g_ranges[g_rhead].end <= item) {
        g_rhead++;
        g_rn--;
    }
    uint64_t end = g_rn > 0 ? g_ranges[g_rhead].end : item + 1;
    if (g_out.n > 0 && item != g_out.first + g_out.n)
        rc = flush(err);
    size_t need = g_out.len + 2 * sizeof(uint64_t) + len;
    if (rc == 0 && need > g_out.cap) {
        size_t cap = g_out.cap ? g_out.cap : 4096;
        while (cap < need)
            cap *= 2;
        unsigned char *b = realloc(g_out.buf, cap);
        if (b == NULL)
            rc = dcs_err_set(err, DCS_ENOMEM, "out of memory packing results");
        else {
            g_out.buf = b;
            g_out.cap = cap;
        }
    }
    if (rc == 0) {
        uint64_t head[2] = {item, (uint64_t)len};
        memcpy(g_out.buf + g_out.len, head, sizeof head);
        memcpy(g_out.buf + g_out.len + sizeof head, data, len);
        g_out.len = need;
        if (g_out.n++ == 0)
            g_out.first = item;
        if (item + 1 == end || g_out.len >= FLUSH_BYTES)
            rc = flush(err);
    }
    pthread_mutex_unlock(&g_put_lock);
    return rc;
}

/* ---- the followers ---- */

/* Waits for a message from rank 0 with tag; returns its length. */
static int wait_probe(int tag, MPI_Status *st, dcs_err *err)
{
    long us = POLL_MIN_US;
    for (;;) {
        int flag = 0;
        pthread_mutex_lock(&g_mpi_lock);
        int rc = MPI_Iprobe(0, tag, MPI_COMM_WORLD, &flag, st);
        pthread_mutex_unlock(&g_mpi_lock);
        if (rc != MPI_SUCCESS)
            return dcs_err_set(err, DCS_EIO, "MPI_Iprobe failed");
        if (flag)
            return 0;
        nap(&us);
    }
}

static int mpi_follow(void **spec, size_t *len, dcs_err *err)
{
    *spec = NULL;
    *len = 0;
    MPI_Status st;
    int rc = wait_probe(TAG_CALL, &st, err);
    if (rc != 0)
        return rc;
    int n = 0;
    MPI_Get_count(&st, MPI_BYTE, &n);
    unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
    if (buf == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory for a call of %d bytes", n);
    pthread_mutex_lock(&g_mpi_lock);
    rc = MPI_Recv(buf, n, MPI_BYTE, 0, TAG_CALL, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    pthread_mutex_unlock(&g_mpi_lock);
    uint64_t kind = 0;
    if (rc != MPI_SUCCESS || n < (int)sizeof kind) {
        free(buf);
        return dcs_err_set(err, DCS_EIO, "receiving a call from rank 0 failed");
    }
    memcpy(&kind, buf, sizeof kind);
    if (kind == 0) {
        int64_t status = 1;
        if (n >= (int)(2 * sizeof kind))
            memcpy(&status, buf + sizeof kind, sizeof status);
        g_end_status = (int)status;
        free(buf);
        return 0;
    }
    reset_call();
    *len = (size_t)n - sizeof kind;
    memmove(buf, buf + sizeof kind, *len);
    *spec = buf;
    return 1;
}

/* Hands what is left of g_out to the writer, at the end of a share. */
static int flush_last(dcs_err *err)
{
    dcs_err_clear(err);
    pthread_mutex_lock(&g_put_lock);
    int rc = flush(err);
    pthread_mutex_unlock(&g_put_lock);
    return rc;
}

static int mpi_follow_done(int rc, const dcs_err *err)
{
    dcs_err ferr;
    int frc = flush_last(&ferr);
    if (rc == 0 && frc != 0) {
        rc = frc;
        err = &ferr;
    }
    unsigned char msg[sizeof(int32_t) + sizeof(dcs_err)];
    int32_t code = rc;
    dcs_err e;
    dcs_err_clear(&e);
    if (err != NULL)
        e = *err;
    memcpy(msg, &code, sizeof code);
    memcpy(msg + sizeof code, &e, sizeof e);
    pthread_mutex_lock(&g_mpi_lock);
    int mrc = MPI_Send(msg, sizeof msg, MPI_BYTE, 0, TAG_DONE, MPI_COMM_WORLD);
    pthread_mutex_unlock(&g_mpi_lock);
    return mrc == MPI_SUCCESS ? 0 : DCS_EIO;
}

static int mpi_fetch(void *ctx, uint64_t *first, uint64_t *count, dcs_err *err)
{
    (void)ctx;
    uint64_t g[2] = {0, 0};
    if (g_rank == 0) {
        lead *l = g_lead;
        pthread_mutex_lock(&l->mu);
        l->wants = 1;
        l->granted = 0;
        while (!l->granted)
            pthread_cond_wait(&l->cv, &l->mu);
        g[0] = l->gfirst;
        g[1] = l->gcount;
        pthread_mutex_unlock(&l->mu);
    } else {
        uint64_t req = 0;
        MPI_Request r;
        pthread_mutex_lock(&g_mpi_lock);
        int rc = MPI_Send(&req, sizeof req, MPI_BYTE, 0, TAG_REQ, MPI_COMM_WORLD);
        if (rc == MPI_SUCCESS)
            rc = MPI_Irecv(g, sizeof g, MPI_BYTE, 0, TAG_GRANT, MPI_COMM_WORLD, &r);
        pthread_mutex_unlock(&g_mpi_lock);
        if (rc != MPI_SUCCESS)
            return dcs_err_set(err, DCS_EIO, "asking rank 0 for work failed");
        long us = POLL_MIN_US;
        for (;;) {
            int flag = 0;
            pthread_mutex_lock(&g_mpi_lock);
            rc = MPI_Test(&r, &flag, MPI_STATUS_IGNORE);
            pthread_mutex_unlock(&g_mpi_lock);
            if (rc != MPI_SUCCESS)
                return dcs_err_set(err, DCS_EIO, "waiting for work from rank 0 failed");
            if (flag)
                break;
            nap(&us);
        }
    }
    *first = g[0];
    *count = g[1];
    return g[1] > 0 ? push_range(g[0], g[1], err) : 0;
}

/* ---- rank 0: the coordinator ---- */

static void *compute_main(void *arg)
{
    lead *l = arg;
    dcs_err err;
    dcs_err_clear(&err);
    int rc = l->call->compute(l->call->ctx, &err);
    dcs_err ferr;
    int frc = flush_last(&ferr);
    if (rc == 0 && frc != 0) {
        rc = frc;
        err = ferr;
    }
    pthread_mutex_lock(&l->mu);
    l->done = 1;
    l->rc = rc;
    l->err = err;
    pthread_mutex_unlock(&l->mu);
    return NULL;
}

typedef struct coord {
    const dcs_ranks_call *c;
    uint64_t next;    /* next item to hand out */
    uint64_t written; /* items written */
    uint64_t *ends;   /* ends of the chunks handed out and not yet written, increasing */
    size_t nends, cap_ends;
    pending *pend; /* results waiting for their turn */
    int *waiting;  /* ranks waiting for a chunk */
    size_t nwaiting;
    int code; /* first failure */
    dcs_err err;
} coord;

static void fail_with(coord *k, int code, const dcs_err *err)
{
    if (k->code == 0 || (k->code == DCS_EINTR && code != DCS_EINTR)) {
        k->code = code;
        if (err != NULL && err->msg[0] != '\0')
            k->err = *err;
        else
            dcs_err_set(&k->err, code, code == DCS_EINTR ? "interrupted" : "a rank failed");
    }
}

/* Writes every waiting result that is next in order. */
static void write_ready(coord *k)
{
    for (;;) {
        if (k->code != 0 && k->code != DCS_EINTR)
            return;
        pending **pp = &k->pend;
        while (*pp != NULL && (*pp)->first != k->written)
            pp = &(*pp)->next;
        pending *p = *pp;
        if (p == NULL)
            return;
        *pp = p->next;
        size_t off = 0;
        while (off < p->len && k->code == 0) {
            uint64_t head[2];
            memcpy(head, p->data + off, sizeof head);
            off += sizeof head;
            dcs_err err;
            dcs_err_clear(&err);
            int rc = 0;
            if (head[0] != k->written || head[1] > p->len - off)
                rc = dcs_err_set(&err, DCS_ESTATE, "results out of order: item %llu, expected %llu",
                                 (unsigned long long)head[0], (unsigned long long)k->written);
            else {
                double t0 = thread_cpu_s();
                rc = k->c->write(k->c->ctx, head[0], p->data + off, (size_t)head[1], &err);
                g_coord.write_s += thread_cpu_s() - t0;
            }
            if (rc != 0) {
                fail_with(k, rc, &err);
                break;
            }
            off += (size_t)head[1];
            k->written++;
        }
        free(p->data);
        free(p);
        while (k->nends > 0 && k->ends[0] <= k->written) {
            memmove(k->ends, k->ends + 1, (k->nends - 1) * sizeof *k->ends);
            k->nends--;
        }
        if (k->c->progress != NULL)
            dcs_progress_update(k->c->progress, k->written);
    }
}

/* Answers the waiting ranks that can be answered now. */
static int grant_waiting(coord *k, lead *l, dcs_err *err)
{
    size_t keep = 0;
    uint64_t nranks = (uint64_t)g_size;
    uint64_t threads = k->c->nthreads > 0 ? (uint64_t)k->c->nthreads : 1;
    for (size_t i = 0; i < k->nwaiting; i++) {
        int r = k->waiting[i];
        uint64_t g[2] = {k->next, 0};
        if (k->code == 0 && k->next < k->c->nitems) {
            if (k->nends >= OUTSTANDING_PER_RANK * nranks) {
                k->waiting[keep++] = r; /* rank 0 holds enough: wait for writes */
                continue;
            }
            /* Guided: a share of what is left, so the last chunks are small. */
            uint64_t left = k->c->nitems - k->next;
            uint64_t n = (left + 4 * nranks - 1) / (4 * nranks);
            if (n > CHUNK_MAX_PER_THREAD * threads)
                n = CHUNK_MAX_PER_THREAD * threads;
            g[1] = n;
            g_coord.chunks++;
            g_coord.items += n;
            k->next += n;
            k->ends[k->nends++] = k->next;
        }
        if (r == 0) {
            pthread_mutex_lock(&l->mu);
            l->gfirst = g[0];
            l->gcount = g[1];
            l->granted = 1;
            l->wants = 0;
            pthread_cond_signal(&l->cv);
            pthread_mutex_unlock(&l->mu);
        } else if (MPI_Send(g, sizeof g, MPI_BYTE, r, TAG_GRANT, MPI_COMM_WORLD) != MPI_SUCCESS) {
            return dcs_err_set(err, DCS_EIO, "MPI_Send of work to rank %d failed", r);
        }
    }
    k->nwaiting = keep;
    return 0;
}

/* Receives one message from another rank. Returns 1 when one came. */
static int receive(coord *k, int *ndone, dcs_err *err)
{
    int flag = 0;
    MPI_Status st;
    if (MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st) != MPI_SUCCESS)
        return dcs_err_set(err, DCS_EIO, "MPI_Iprobe failed");
    if (!flag)
        return 0;
    int n = 0;
    MPI_Get_count(&st, MPI_BYTE, &n);
    unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
    if (buf == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory for a message of %d bytes", n);
    if (MPI_Recv(buf, n, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE) !=
        MPI_SUCCESS) {
        free(buf);
        return dcs_err_set(err, DCS_EIO, "MPI_Recv from rank %d failed", st.MPI_SOURCE);
    }
    if (st.MPI_TAG == TAG_REQ) {
        k->waiting[k->nwaiting++] = st.MPI_SOURCE;
        free(buf);
    } else if (st.MPI_TAG == TAG_RESULT && n >= (int)(2 * sizeof(uint64_t))) {
        pending *p = malloc(sizeof *p);
        if (p == NULL) {
            free(buf);
            return dcs_err_set(err, DCS_ENOMEM, "out of memory for results");
        }
        uint64_t first;
        memcpy(&first, buf, sizeof first);
        *p = (pending){k->pend, first, (size_t)n, buf};
        k->pend = p;
    } else if (st.MPI_TAG == TAG_DONE && n >= (int)(sizeof(int32_t) + sizeof(dcs_err))) {
        int32_t code;
        dcs_err e;
        memcpy(&code, buf, sizeof code);
        memcpy(&e, buf + sizeof code, sizeof e);
        if (code != 0) {
            if (code != DCS_EINTR && e.msg[0] != '\0') {
                size_t len = strlen(e.msg);
                if (len + 16 < sizeof e.msg)
                    snprintf(e.msg + len, sizeof e.msg - len, " (rank %d)", st.MPI_SOURCE);
            }
            fail_with(k, code, &e);
        }
        (*ndone)++;
        free(buf);
    } else {
        free(buf);
        return dcs_err_set(err, DCS_ESTATE, "unexpected message (tag %d) from rank %d", st.MPI_TAG,
                           st.MPI_SOURCE);
    }
    return 1;
}

static int lead_call(const dcs_ranks_call *c, uint64_t *written, dcs_err *err);

static int mpi_lead(const dcs_ranks_call *c, uint64_t *written, dcs_err *err)
{
    double cpu0 = thread_cpu_s(), wall0 = wall_now_s(), proc0 = process_cpu_s();
    int rc = lead_call(c, written, err);
    g_coord.cpu_s += thread_cpu_s() - cpu0;
    g_coord.proc_s += process_cpu_s() - proc0;
    g_coord.wall_s += wall_now_s() - wall0;
    return rc;
}

static int lead_call(const dcs_ranks_call *c, uint64_t *written, dcs_err *err)
{
    *written = 0;
    coord k;
    memset(&k, 0, sizeof k);
    k.c = c;
    k.cap_ends = (size_t)OUTSTANDING_PER_RANK * (size_t)g_size + 1;
    k.ends = malloc(k.cap_ends * sizeof *k.ends);
    k.waiting = malloc((size_t)g_size * 2 * sizeof *k.waiting);
    unsigned char *msg = malloc(sizeof(uint64_t) + c->spec_len);
    lead l;
    memset(&l, 0, sizeof l);
    if (k.ends == NULL || k.waiting == NULL || msg == NULL) {
        free(k.ends);
        free(k.waiting);
        free(msg);
        return dcs_err_set(err, DCS_ENOMEM, "out of memory for the coordinator");
    }
    if (c->spec_len + sizeof(uint64_t) > INT_MAX) {
        free(k.ends);
        free(k.waiting);
        free(msg);
        return dcs_err_set(err, DCS_ENOMEM, "a call of %zu bytes is too long for MPI", c->spec_len);
    }
    uint64_t kind = 1;
    memcpy(msg, &kind, sizeof kind);
    if (c->spec_len > 0)
        memcpy(msg + sizeof kind, c->spec, c->spec_len);
    int rc = 0;
    for (int r = 1; r < g_size && rc == 0; r++)
        if (MPI_Send(msg, (int)(sizeof kind + c->spec_len), MPI_BYTE, r, TAG_CALL,
                     MPI_COMM_WORLD) != MPI_SUCCESS)
            rc = dcs_err_set(err, DCS_EIO, "MPI_Send of a call to rank %d failed", r);
    free(msg);
    if (rc != 0) {
        free(k.ends);
        free(k.waiting);
        return rc;
    }

    pthread_mutex_init(&l.mu, NULL);
    pthread_cond_init(&l.cv, NULL);
    l.call = c;
    g_lead = &l;
    reset_call();
    pthread_t th;
    int started = pthread_create(&th, NULL, compute_main, &l) == 0;
    if (!started) {
        l.done = 1;
        l.rc = dcs_err_set(&l.err, DCS_ENOMEM, "cannot start rank 0's compute thread");
    }
    int ndone = 0, local_done = 0;
    long us = POLL_MIN_US;
    while (rc == 0) {
        int busy = 0, got = 0;
        while (rc == 0 && (got = receive(&k, &ndone, err)) == 1)
            busy = 1;
        if (got < 0 && rc == 0)
            rc = got;
        pthread_mutex_lock(&l.mu);
        while (l.inbox != NULL) {
            pending *p = l.inbox;
            l.inbox = p->next;
            p->next = k.pend;
            k.pend = p;
            busy = 1;
        }
        if (l.wants && !l.granted && !local_done) {
            int queued = 0;
            for (size_t i = 0; i < k.nwaiting; i++)
                queued |= k.waiting[i] == 0;
            if (!queued)
                k.waiting[k.nwaiting++] = 0;
        }
        if (l.done && !local_done) {
            local_done = 1;
            if (l.rc != 0)
                fail_with(&k, l.rc, &l.err);
            busy = 1;
        }
        pthread_mutex_unlock(&l.mu);
        if (c->interrupt != NULL && *c->interrupt)
            fail_with(&k, DCS_EINTR, NULL);
        write_ready(&k);
        if (rc == 0)
            rc = grant_waiting(&k, &l, err);
        if (local_done && ndone == g_size - 1)
            break;
        if (busy)
            us = POLL_MIN_US;
        else
            nap(&us);
    }
    if (rc != 0) {
        /* MPI itself failed: the other ranks cannot be told; end them all. */
        fprintf(stderr, "dcsim: %s\n", err->msg);
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    pthread_mutex_lock(&l.mu);
    l.gcount = 0;
    l.granted = 1;
    pthread_cond_signal(&l.cv);
    pthread_mutex_unlock(&l.mu);
    if (started)
        pthread_join(th, NULL);
    while (l.inbox != NULL) {
        pending *p = l.inbox;
        l.inbox = p->next;
        p->next = k.pend;
        k.pend = p;
    }
    write_ready(&k);
    g_lead = NULL;
    pthread_mutex_destroy(&l.mu);
    pthread_cond_destroy(&l.cv);
    while (k.pend != NULL) {
        pending *p = k.pend;
        k.pend = p->next;
        free(p->data);
        free(p);
    }
    free(k.ends);
    free(k.waiting);
    *written = k.written;
    if (k.code == 0 && k.written != c->nitems)
        fail_with(&k, DCS_ESTATE, NULL);
    if (k.code != 0) {
        if (err->msg[0] == '\0')
            *err = k.err;
        if (err->code == 0)
            err->code = k.code;
        return k.code;
    }
    return 0;
}

DCS_RANKS_MPI_EXPORT const dcs_ranks_ops *dcs_ranks_mpi_ops(void)
{
    static const dcs_ranks_ops ops = {
        DCS_RANKS_MPI_ABI, mpi_init,        mpi_fini,  mpi_part, mpi_lead,
        mpi_follow,        mpi_follow_done, mpi_fetch, mpi_put,
    };
    return &ops;
}
