/*
 * ranks.c - the ranks of a run: one, or those of MPI through its module.
 *
 * A plain process is one rank and touches no MPI. Under a launcher with
 * more than one rank (OMPI_COMM_WORLD_SIZE, PMI_SIZE or PMIX_SIZE above 1)
 * dcs_ranks_init loads the MPI module, dcsim-mpi.so in the directory of
 * the executable (/proc/self/exe), with RTLD_NOW | RTLD_GLOBAL: Open MPI
 * opens plugins of its own that need libmpi's symbols in the global scope.
 * From then on every function here hands over to the module's table
 * (ranks_mpi.h; the protocol is described in ranks_mpi.c). A missing or
 * foreign module under a launcher is an error naming its path; a plain
 * run never looks for it.
 *
 * The state is file-scope: there is one MPI world per process, and cli/ is
 * where the project keeps such state.
 */
#include "ranks.h"

#include <stdio.h>
#include <stdlib.h>

#ifdef DCSIM_HAVE_MPI
#include "ranks_mpi.h"

#include <dlfcn.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>
#endif

static int g_rank = 0, g_size = 1, g_local = 1;

int dcs_ranks_rank(void)
{
    return g_rank;
}

int dcs_ranks_size(void)
{
    return g_size;
}

int dcs_ranks_local_size(void)
{
    return g_local;
}

#ifndef DCSIM_HAVE_MPI

static int no_mpi(dcs_err *err)
{
    return dcs_err_set(err, DCS_ESTATE, "dcsim was built without MPI");
}

int dcs_ranks_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int dcs_ranks_fini(int status)
{
    return status;
}

void dcs_ranks_part(void)
{
}

int dcs_ranks_lead(const dcs_ranks_call *c, uint64_t *written, dcs_err *err)
{
    (void)c;
    *written = 0;
    return no_mpi(err);
}

int dcs_ranks_follow(void **spec, size_t *len, dcs_err *err)
{
    *spec = NULL;
    *len = 0;
    return no_mpi(err);
}

int dcs_ranks_follow_done(int rc, const dcs_err *err)
{
    (void)rc;
    (void)err;
    return DCS_ESTATE;
}

int dcs_ranks_fetch(void *ctx, uint64_t *first, uint64_t *count, dcs_err *err)
{
    (void)ctx;
    *first = *count = 0;
    return no_mpi(err);
}

int dcs_ranks_put(uint64_t item, const void *data, size_t len, dcs_err *err)
{
    (void)item;
    (void)data;
    (void)len;
    return no_mpi(err);
}

#else /* DCSIM_HAVE_MPI */

static const dcs_ranks_ops *g_ops; /* the module's, once loaded */

static const char *launcher_size(void)
{
    const char *v = getenv("OMPI_COMM_WORLD_SIZE");
    if (v == NULL)
        v = getenv("PMI_SIZE");
    if (v == NULL)
        v = getenv("PMIX_SIZE");
    return v;
}

/* Whether this process is rank 0 by the launcher's word (or cannot tell):
 * before MPI starts, only rank 0 reports a module that does not load. */
static int launcher_rank0(void)
{
    const char *names[] = {"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        const char *v = getenv(names[i]);
        if (v != NULL)
            return atol(v) == 0;
    }
    return 1;
}

/* The module's path: DCS_RANKS_MPI_MODULE in the executable's directory.
 * Returns 0, or -1 when the executable's path cannot be read. */
static int module_path(char *path, size_t n)
{
    ssize_t len = readlink("/proc/self/exe", path, n - 1);
    if (len <= 0)
        return -1;
    path[len] = '\0';
    char *slash = strrchr(path, '/');
    size_t dir = slash != NULL ? (size_t)(slash - path) + 1 : 0;
    if (dir + sizeof DCS_RANKS_MPI_MODULE > n)
        return -1;
    memcpy(path + dir, DCS_RANKS_MPI_MODULE, sizeof DCS_RANKS_MPI_MODULE);
    return 0;
}

/* Loads the module and returns its table, or NULL (printed). */
static const dcs_ranks_ops *load_module(const char *size)
{
    char path[PATH_MAX];
    int speak = launcher_rank0();
    if (module_path(path, sizeof path) != 0) {
        if (speak)
            fprintf(stderr,
                    "dcsim: started by an MPI launcher (%s ranks), but the path of the "
                    "executable (/proc/self/exe) cannot be read to find " DCS_RANKS_MPI_MODULE "\n",
                    size);
        return NULL;
    }
    void *h = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
    if (h == NULL) {
        const char *why = dlerror();
        if (speak)
            fprintf(stderr,
                    "dcsim: started by an MPI launcher (%s ranks), but cannot load the MPI "
                    "module %s: %s\n",
                    size, path, why != NULL ? why : "unknown error");
        return NULL;
    }
    dcs_ranks_mpi_entry entry;
    void *sym = dlsym(h, DCS_RANKS_MPI_ENTRY);
    memcpy(&entry, &sym, sizeof entry); /* ISO C has no object-to-function cast */
    const dcs_ranks_ops *ops = sym != NULL ? entry() : NULL;
    if (ops == NULL || ops->abi != DCS_RANKS_MPI_ABI) {
        if (speak)
            fprintf(stderr, "dcsim: the MPI module %s is not from this build of dcsim\n", path);
        dlclose(h);
        return NULL;
    }
    return ops; /* the module stays loaded until the process ends */
}

int dcs_ranks_init(int *argc, char ***argv)
{
    const char *v = launcher_size();
    if (v == NULL || atol(v) <= 1)
        return 0; /* not launched, or one rank: no MPI at all */
    g_ops = load_module(v);
    if (g_ops == NULL)
        return DCS_EIO;
    return g_ops->init(argc, argv, &g_rank, &g_size, &g_local);
}

int dcs_ranks_fini(int status)
{
    return g_ops != NULL ? g_ops->fini(status) : status;
}

void dcs_ranks_part(void)
{
    if (g_ops != NULL)
        g_ops->part();
}

int dcs_ranks_lead(const dcs_ranks_call *c, uint64_t *written, dcs_err *err)
{
    if (g_ops == NULL) {
        *written = 0;
        return dcs_err_set(err, DCS_ESTATE, "MPI is not started");
    }
    return g_ops->lead(c, written, err);
}

int dcs_ranks_follow(void **spec, size_t *len, dcs_err *err)
{
    if (g_ops == NULL) {
        *spec = NULL;
        *len = 0;
        return dcs_err_set(err, DCS_ESTATE, "MPI is not started");
    }
    return g_ops->follow(spec, len, err);
}

int dcs_ranks_follow_done(int rc, const dcs_err *err)
{
    return g_ops != NULL ? g_ops->follow_done(rc, err) : DCS_ESTATE;
}

int dcs_ranks_fetch(void *ctx, uint64_t *first, uint64_t *count, dcs_err *err)
{
    if (g_ops == NULL) {
        *first = *count = 0;
        return dcs_err_set(err, DCS_ESTATE, "MPI is not started");
    }
    return g_ops->fetch(ctx, first, count, err);
}

int dcs_ranks_put(uint64_t item, const void *data, size_t len, dcs_err *err)
{
    if (g_ops == NULL)
        return dcs_err_set(err, DCS_ESTATE, "MPI is not started");
    return g_ops->put(item, data, len, err);
}

#endif /* DCSIM_HAVE_MPI */
