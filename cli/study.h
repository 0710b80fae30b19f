/*
 * study.h - runs the replications of one or more scenario points on the
 * OpenMP runner and writes their rows to an output file: /summary always,
 * /events and /timeseries for traced replications. `dcs run` is a study of
 * one point; `dcs sweep` a study of many.
 *
 * Replication r of every point is keyed by (seed, r): points that differ
 * only in a parameter see the same random numbers (common random numbers).
 * Rows are written in the order of the work items: point by point, and
 * replication by replication within a point, whatever the thread count.
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
} dcs_study_opts;

typedef struct dcs_study dcs_study;

/* Creates the tables in f for the worlds of npoints points (borrowed; they
 * must outlive the study and have the same /summary and /timeseries
 * columns). Returns NULL and fills err (DCS_EINPUT when the points'
 * columns differ). */
dcs_study *dcs_study_create(dcs_h5file *f, const dcs_world *const *worlds, size_t npoints,
                            const dcs_study_opts *o, dcs_err *err);

/* NULL is a no-op. The tables belong to the file. */
void dcs_study_destroy(dcs_study *st);

/* Runs replications [first, first + count) of each of the npts points
 * listed (indices into the worlds) and appends their rows. *done counts the
 * replications written. Returns 0, DCS_EINTR (every replication of the
 * written prefix is complete) or another error. */
int dcs_study_run(dcs_study *st, const size_t *points, size_t npts, uint64_t first, uint64_t count,
                  dcs_progress *progress, uint64_t *done, dcs_err *err);

/* The /summary table (borrowed). */
dcs_h5table *dcs_study_summary(dcs_study *st);

#endif /* DCSIM_CLI_STUDY_H */
