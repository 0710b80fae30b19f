/*
 * ranks.h - the ranks of an MPI run: `mpirun -n K dcsim run|sweep ...`.
 *
 * dcsim starts MPI only when a launcher started it with more than one
 * rank (mpirun sets OMPI_COMM_WORLD_SIZE, Slurm's srun PMI_SIZE, PMIx
 * PMIX_SIZE): only then does it load the MPI module, dcsim-mpi.so beside
 * the executable (ranks_mpi.h), so a plain `dcsim` loads no MPI library,
 * has no MPI start-up cost and prints no MPI warning; without MPI at build
 * time every function here behaves as for one rank.
 *
 * Every rank parses the same command line and checks the same input, so a
 * bad input fails on every rank the same way, before anything is written;
 * only rank 0, the writer, prints (the others send standard output and
 * standard error to /dev/null). Past the checks the ranks part: rank 0
 * creates the output file and leads the study's run calls (a run call is
 * one pool of work items: a point's replications, or a round of a sweep);
 * the other ranks follow, running the items rank 0 hands them and sending
 * back their packed results.
 *
 * Rank 0 hands out items in chunks, on request, in increasing order (a
 * guided schedule: big chunks while much is left, single items at the
 * end), keeps at most a few chunks per rank outstanding beyond the last
 * item written (so its memory stays flat), and writes the results in item
 * order; it computes too, on a thread of its own, while its main thread
 * coordinates. Results travel as bytes (dcs_ranks_put): the ranks run the
 * same build on machines of the same byte order.
 */
#ifndef DCSIM_CLI_RANKS_H
#define DCSIM_CLI_RANKS_H

#include "progress.h"
#include "status.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

/* Starts MPI when a launcher started this process with more than one
 * rank; a no-op otherwise. On ranks other than 0, standard output and
 * standard error go to /dev/null. Returns 0, or DCS_EIO (the MPI module is
 * missing or from another build, MPI failed to start, or it gives less
 * thread support than dcsim needs; printed, the module's path named). */
int dcs_ranks_init(int *argc, char ***argv);

/* Ends MPI, if it was started: rank 0 first tells the following ranks to
 * end with `status` (the exit status they return). Returns the exit
 * status this rank should return: status on rank 0, rank 0's on the
 * others. */
int dcs_ranks_fini(int status);

/* This rank (0 when not under MPI), the number of ranks (1), the number of
 * ranks on this machine (1). */
int dcs_ranks_rank(void);
int dcs_ranks_size(void);
int dcs_ranks_local_size(void);

/* Every rank calls this at the same point, once the input is checked and
 * before rank 0 creates the output file: from then on the ranks other
 * than 0 follow rank 0, and rank 0 ends them in dcs_ranks_fini. */
void dcs_ranks_part(void);

/* What rank 0's run call asks of the ranks. */
typedef struct dcs_ranks_call {
    const void *spec; /* bytes that tell the followers what to run; borrowed */
    size_t spec_len;
    uint64_t nitems; /* work items 0..nitems-1 */
    int nthreads;    /* threads per rank, for the chunk sizes */
    void *ctx;       /* for the callbacks; borrowed */
    /* Runs this rank's share on rank 0's compute thread: a runner whose
     * fetch is dcs_ranks_fetch and whose emit calls dcs_ranks_put. */
    int (*compute)(void *ctx, dcs_err *err);
    /* Writes item `item` from its packed bytes; called in item order, on
     * rank 0's main thread only. */
    int (*write)(void *ctx, uint64_t item, const unsigned char *data, size_t len, dcs_err *err);
    const volatile sig_atomic_t *interrupt; /* may be NULL */
    dcs_progress *progress;                 /* may be NULL: updated with the items written */
} dcs_ranks_call;

/* Rank 0: runs one call over every rank. *written counts the items
 * written, an unbroken prefix. Returns 0, DCS_EINTR or the first error of
 * any rank (its message in err). */
int dcs_ranks_lead(const dcs_ranks_call *c, uint64_t *written, dcs_err *err);

/* The other ranks: waits for rank 0's next call. Returns 1 with its spec
 * in *spec (malloc'd, the caller frees it) and *len, or 0 when rank 0 has
 * ended (no more calls), or a negative error. */
int dcs_ranks_follow(void **spec, size_t *len, dcs_err *err);

/* The other ranks: tells rank 0 this rank's share of the call is done,
 * with rc (0, DCS_EINTR or an error, whose message err carries). */
int dcs_ranks_follow_done(int rc, const dcs_err *err);

/* A runner's fetch (runner.h) on any rank during a call: the next chunk of
 * items handed to this rank; *count = 0 when there are no more. */
int dcs_ranks_fetch(void *ctx, uint64_t *first, uint64_t *count, dcs_err *err);

/* A runner's emit on any rank during a call: hands the packed result of
 * item (len bytes, copied) to the writer. Items must come in increasing
 * order, as the runner emits them. */
int dcs_ranks_put(uint64_t item, const void *data, size_t len, dcs_err *err);

#endif /* DCSIM_CLI_RANKS_H */
