/*
 * study.h - runs the replications of one or more scenario points on the
 * OpenMP runner and writes their rows to an output file: /summary always,
 * /events and /timeseries for traced replications. `dcsim run` is a study
 * of one point; `dcsim sweep` a study of many.
 *
 * Replication r of every point is keyed by (seed, r): points that differ
 * only in a parameter see the same random numbers (common random numbers).
 * Rows are written in the order of the work items of each run call: point
 * by point, and replication by replication within a point, whatever the
 * thread count.
 *
 * Memory does not grow with the number of points: the world of a point
 * (~170 KB, most of it the scenario) is made when a thread first needs it
 * and destroyed as soon as the point's last replication of the call is
 * written. The runner's reorder window bounds the replications in flight,
 * so a few worlds per thread are alive at any time.
 */
#ifndef DCSIM_CLI_STUDY_H
#define DCSIM_CLI_STUDY_H

#include "h5out.h"
#include "progress.h"
#include "world.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

typedef struct dcs_study_opts {
    uint64_t seed;
    int nthreads;
    int64_t trace_k;                        /* replications traced per point: 0 .. trace_k - 1 */
    const volatile sig_atomic_t *interrupt; /* may be NULL */
    /* --shard I/K: only the items i of a run call with i % shard_k ==
     * shard_i are run and written (shard_k 0 or 1: all of them). */
    uint64_t shard_i, shard_k;
    uint64_t rows; /* /summary rows expected (sizes its chunks); 0: not known */
} dcs_study_opts;

/* Makes the world of point p (owned by the caller of the hook, which is
 * the study): called from worker threads, at most once at a time for one
 * point, possibly concurrently for different points, so it may only read
 * shared state. Returns NULL and fills err on failure. */
typedef dcs_world *dcs_study_world_fn(void *ctx, size_t point, dcs_err *err);

/* Makes replication rep's own world of point p when the point's world pw
 * has uncertain inputs (its scenario's nuncertain > 0): the point's
 * scenario with each uncertain input drawn for (seed, rep). Called from
 * worker threads concurrently; owned by the study, which destroys it once
 * the replication's row is written. Returns NULL and fills err. */
typedef dcs_world *dcs_study_rep_fn(void *ctx, size_t point, uint64_t seed, uint64_t rep,
                                    const dcs_world *pw, dcs_err *err);

typedef struct dcs_study dcs_study;

/* Sets the maker of replication worlds (with its ctx, borrowed). Without
 * one, or for a point without uncertain inputs, every replication of a
 * point runs the point's world: the code path and the bytes of a scenario
 * without distributions do not change. */
void dcs_study_set_rep_maker(dcs_study *st, dcs_study_rep_fn *fn, void *ctx);

/* Creates the tables in f for a study of npoints points (f NULL: a study
 * that only computes, for dcs_study_follow). proto (borrowed;
 * must outlive the study) gives the /summary and /timeseries columns and
 * makes the threads' engines. make (with ctx) makes point p's world on
 * demand; its worlds must have proto's columns (DCS_EINPUT otherwise, when
 * the point runs). With make NULL every point runs proto itself (a study of
 * one scenario). Returns NULL and fills err. */
dcs_study *dcs_study_create(dcs_h5file *f, const dcs_world *proto, size_t npoints,
                            dcs_study_world_fn *make, void *ctx, const dcs_study_opts *o,
                            dcs_err *err);

/* NULL is a no-op. The tables belong to the file. */
void dcs_study_destroy(dcs_study *st);

/* Runs replications [first, first + count) of each of the npts points
 * listed (indices < npoints) and appends their rows. *done counts the
 * replications written, a prefix of the items: the replications of
 * points[0], then of points[1], ... When final is non-zero, these are the
 * points' last replications, and progress's group counter goes up by one
 * as each point's last one is written. Returns 0, DCS_EINTR (every
 * replication of the written prefix is complete) or another error. */
int dcs_study_run(dcs_study *st, const size_t *points, size_t npts, uint64_t first, uint64_t count,
                  int final, dcs_progress *progress, uint64_t *done, dcs_err *err);

/* The rows that the first `done` items of a run call of `count`
 * replications per point give its j-th point (j = 0 for the first point
 * listed), under o's shard: `count` without a shard when done covers the
 * point. */
uint64_t dcs_study_point_rows(const dcs_study_opts *o, size_t j, uint64_t count, uint64_t done);

/* The items of a run call of nitems items that o's shard runs. */
uint64_t dcs_study_shard_items(const dcs_study_opts *o, uint64_t nitems);

/* Returns 0 when w has the same /summary and /timeseries columns as proto,
 * or DCS_EINPUT naming point p: the points of one file share their
 * columns. */
int dcs_study_check_columns(const dcs_world *proto, const dcs_world *w, size_t p, dcs_err *err);

/* Under MPI, on a rank other than 0 (ranks.h): runs the share of each of
 * rank 0's run calls that rank 0 hands this rank, until rank 0 ends.
 * Such a study is created with f NULL (it writes nothing). Returns 0 when
 * rank 0 has ended, or an error of MPI. */
int dcs_study_follow(dcs_study *st, dcs_err *err);

/* The /summary table (borrowed). */
dcs_h5table *dcs_study_summary(dcs_study *st);

#endif /* DCSIM_CLI_STUDY_H */
