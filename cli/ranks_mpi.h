/*
 * ranks_mpi.h - between cli/ranks.c and the MPI module (ranks_mpi.c).
 *
 * The module, dcsim-mpi.so next to the dcsim executable, is the only part
 * of dcsim linked with MPI: ranks.c loads it (dlopen) only when a launcher
 * started the process with more than one rank, so that a plain run loads
 * none of Open MPI's libraries (docs/design-notes.md, "Fixed cost of a
 * run"). Its one exported function returns the table below; the functions
 * behave as their namesakes in ranks.h.
 */
#ifndef DCSIM_CLI_RANKS_MPI_H
#define DCSIM_CLI_RANKS_MPI_H

#include "ranks.h"

/* The module's file name and the name of its entry point. */
#define DCS_RANKS_MPI_MODULE "dcsim-mpi.so"
#define DCS_RANKS_MPI_ENTRY  "dcs_ranks_mpi_ops"

/* Changes whenever the table or the types it passes change, so that a
 * module from another build is refused rather than called wrongly. */
#define DCS_RANKS_MPI_ABI                                                                          \
    (1000000u + (unsigned)sizeof(dcs_ranks_call) * 1000u + (unsigned)sizeof(dcs_err))

#define DCS_RANKS_MPI_EXPORT __attribute__((visibility("default")))

typedef struct dcs_ranks_ops {
    unsigned abi; /* DCS_RANKS_MPI_ABI of the module's build */
    /* Starts MPI; sets this rank, the number of ranks and those on this
     * machine. Returns 0 or DCS_EIO (printed). */
    int (*init)(int *argc, char ***argv, int *rank, int *size, int *local_size);
    int (*fini)(int status);
    void (*part)(void);
    int (*lead)(const dcs_ranks_call *c, uint64_t *written, dcs_err *err);
    int (*follow)(void **spec, size_t *len, dcs_err *err);
    int (*follow_done)(int rc, const dcs_err *err);
    int (*fetch)(void *ctx, uint64_t *first, uint64_t *count, dcs_err *err);
    int (*put)(uint64_t item, const void *data, size_t len, dcs_err *err);
} dcs_ranks_ops;

/* The module's entry point. */
typedef const dcs_ranks_ops *(*dcs_ranks_mpi_entry)(void);
DCS_RANKS_MPI_EXPORT const dcs_ranks_ops *dcs_ranks_mpi_ops(void);

#endif /* DCSIM_CLI_RANKS_MPI_H */
