/*
 * main.c - the dcsim command: parses the subcommand and hands over.
 *
 * This is the only file that turns errors into exit statuses (through the
 * subcommands' return values): 0 success, 2 bad input or usage, 1 anything
 * else. Library error hooks are switched off here, before any OpenMP
 * region starts, so that GSL never aborts and HDF5 never prints its own
 * error stack: every call's status is checked and reported by dcsim.
 */
#include "cmd.h"
#include "heap.h"
#include "ranks.h"
#include "revision.h"

#include <gsl/gsl_errno.h>
#include <hdf5.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: dcsim <command> [options]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO.yaml [-o OUT.h5] [-n REPLICATIONS] [-j THREADS] [--seed S]\n"
    "                    [--trace K] [--sample-every DURATION] [--set key.path=value]...\n"
    "                    [--force] [--quiet] [--shard I/K]\n"
    "                              simulate a scenario, write OUT.h5, print the cost report\n"
    "  sweep SWEEP.yaml [same options as run] [--precision P] [--precision-metric COLUMN]\n"
    "                   [--max-replications N] [--batch B]\n"
    "                              run every point of a sweep, write OUT.h5, compare the points\n"
    "  validate FILE.yaml [--set key.path=value]... [--resolved]\n"
    "                              check a scenario, or a sweep and all its points,\n"
    "                              without running it\n"
    "  merge PART.h5... -o OUT.h5 [--force] [--quiet]\n"
    "                              join the parts of a run or sweep made with --shard I/K\n"
    "  report OUT.h5 [--format table|csv|json] [--sort COLUMN] [--best COLUMN]\n"
    "                              print the report of a finished run or sweep\n"
    "  compare A.h5 B.h5 [--metric COLUMN]... [--format table|csv|json]\n"
    "                              paired difference B - A, replication by replication\n"
    "  hindcast SCENARIO.yaml [-n N] [--seed S] [-o OUT.csv]\n"
    "                              the market's simulated paths against market.observed\n"
    "  catalog [--format table|csv|json]\n"
    "                              list the built-in accelerators and their sources\n"
    "\n"
    "  dcsim -h | --help          this text; `dcsim COMMAND --help` explains every option\n"
    "  dcsim -V | --version       version, git revision, build type and output format\n"
    "\n"
    "exit status: 0 success, 2 bad input or usage, 1 any other failure\n";

/* The options of each command that take a value. Before a command parses
 * its arguments, "--name=value" and "-Xvalue" (X a short option of this
 * list) become the two arguments "--name" "value" and "-X" "value", so that
 * every parser sees one form; a value given as the next argument is left
 * alone, even when it starts with "-" or holds "=". An option that takes no
 * value keeps its attached form, and the command refuses it by name. */
static const char *const run_valued[] = {"-o",
                                         "--output",
                                         "-n",
                                         "--replications",
                                         "-j",
                                         "--threads",
                                         "--seed",
                                         "--set",
                                         "--trace",
                                         "--sample-every",
                                         "--shard",
                                         "--precision",
                                         "--batch",
                                         "--precision-metric",
                                         "--max-replications",
                                         "--precision-for",
                                         NULL};
static const char *const validate_valued[] = {"--set", NULL};
static const char *const merge_valued[] = {"-o", "--output", NULL};
static const char *const report_valued[] = {"-f",     "--format",     "--sort", "--best",
                                            "--html", "--subject-to", NULL};
static const char *const compare_valued[] = {"-f", "--format", "-m", "--metric", NULL};
static const char *const catalog_valued[] = {"--format", "--catalog", NULL};
static const char *const hindcast_valued[] = {"-n", "--seed", "--set", "-o", NULL};

/* The entry of valued[] that arg names with a value attached (its first
 * len characters), or NULL. */
static const char *attached_option(const char *arg, const char *const *valued, size_t *len)
{
    if (arg[0] != '-' || arg[1] == '\0')
        return NULL;
    const char *eq = strchr(arg, '=');
    for (size_t k = 0; valued[k] != NULL; k++) {
        size_t n = strlen(valued[k]);
        int is_short = n == 2;
        if (strncmp(arg, valued[k], n) != 0 || arg[n] == '\0')
            continue;
        if ((is_short && arg[1] != '-') || (!is_short && eq == arg + n)) {
            *len = n;
            return valued[k];
        }
    }
    return NULL;
}

/* Splits the attached option values of argv (above) into *out, one block
 * the caller frees: at most 2 argc + 1 pointers, then the options' names,
 * copied; returns the new count, or -1 when out of memory. */
static int split_attached(int argc, char **argv, const char *const *valued, char ***out)
{
    size_t text = 0;
    for (int i = 0; i < argc; i++)
        text += strlen(argv[i]) + 1;
    char **v = malloc(((size_t)argc * 2 + 1) * sizeof *v + text);
    if (v == NULL)
        return -1;
    char *names = (char *)(v + (size_t)argc * 2 + 1);
    int n = 0;
    for (int i = 0; i < argc; i++) {
        size_t len = 0;
        const char *opt = i > 0 ? attached_option(argv[i], valued, &len) : NULL;
        int takes_next = 0;
        for (size_t k = 0; i > 0 && opt == NULL && valued[k] != NULL; k++)
            takes_next |= strcmp(argv[i], valued[k]) == 0;
        if (opt != NULL) {
            memcpy(names, opt, len + 1);
            v[n++] = names;
            names += len + 1;
            v[n++] = argv[i] + len + (argv[i][len] == '=' && len > 2);
        } else {
            v[n++] = argv[i];
            if (takes_next && i + 1 < argc)
                v[n++] = argv[++i];
        }
    }
    v[n] = NULL;
    *out = v;
    return n;
}

/* Runs a command on its arguments with attached option values split. */
static int run_split(int (*cmd)(int, char **), const char *const *valued, int argc, char **argv)
{
    char **v = NULL;
    int n = split_attached(argc, argv, valued, &v);
    if (n < 0) {
        fputs("dcsim: out of memory\n", stderr);
        return 1;
    }
    int status = cmd(n, v);
    free(v);
    return status;
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("dcsim %s (revision %s, %s build, output format %d)\n", DCSIM_VERSION,
               DCSIM_REVISION, DCSIM_BUILD_TYPE[0] ? DCSIM_BUILD_TYPE : "default",
               DCSIM_FORMAT_VERSION);
        return 0;
    }
    if (strcmp(cmd, "run") == 0)
        return run_split(dcs_cmd_run, run_valued, argc - 1, argv + 1);
    if (strcmp(cmd, "sweep") == 0)
        return run_split(dcs_cmd_sweep, run_valued, argc - 1, argv + 1);
    if (strcmp(cmd, "validate") == 0)
        return run_split(dcs_cmd_validate, validate_valued, argc - 1, argv + 1);
    if (strcmp(cmd, "report") == 0)
        return run_split(dcs_cmd_report, report_valued, argc - 1, argv + 1);
    if (strcmp(cmd, "catalog") == 0)
        return run_split(dcs_cmd_catalog, catalog_valued, argc - 1, argv + 1);
    if (strcmp(cmd, "merge") == 0)
        return run_split(dcs_cmd_merge, merge_valued, argc - 1, argv + 1);
    if (strcmp(cmd, "compare") == 0)
        return run_split(dcs_cmd_compare, compare_valued, argc - 1, argv + 1);
    if (strcmp(cmd, "hindcast") == 0)
        return run_split(dcs_cmd_hindcast, hindcast_valued, argc - 1, argv + 1);
    fprintf(stderr, "dcsim: unknown command '%s'\n\n%s", cmd, usage);
    return 2;
}

/* Whether the command reads or writes HDF5 files: only then does HDF5 start
 * (its type system and property lists, ~0.3 ms of CPU), so that `dcsim
 * --version`, `--help`, `validate`, `catalog` and `hindcast` start no HDF5,
 * and only then is the heap put in huge pages (heap.h). */
static int needs_hdf5(int argc, char **argv)
{
    static const char *const files[] = {"run", "sweep", "merge", "report", "compare", NULL};
    if (argc < 2)
        return 0;
    for (size_t k = 0; files[k] != NULL; k++)
        if (strcmp(argv[1], files[k]) == 0)
            return 1;
    return 0;
}

/* OpenMP's idle threads wait passively (OMP_WAIT_POLICY=PASSIVE) unless
 * the user chose (OMP_WAIT_POLICY or GOMP_SPINCOUNT set). libgomp's own
 * default spins 300,000 times before it sleeps, and dcsim's threads meet
 * only where a parallel region starts and ends: at the start, the main
 * thread spun waiting for the new thread, which the kernel had often put
 * on the same core, so that the new thread waited ~3 ms to run (half the
 * runs of the Llama-3 scenario at -n 2000 with -j 2); at the end, the
 * threads that finished first spun while the main thread wrote /stats.
 * libgomp reads its environment once, in its constructor: this one runs
 * first where libgomp is linked statically (cmake/DcsimStaticLink.cmake)
 * and comes too late, harmlessly, where it is shared. */
#if defined(__GNUC__)
__attribute__((constructor(101)))
#endif
static void
openmp_wait_default(void)
{
    if (getenv("OMP_WAIT_POLICY") == NULL && getenv("GOMP_SPINCOUNT") == NULL)
        (void)setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
}

/* HDF5 closes what is still open from an exit handler of its own. A file
 * whose close failed (a full disk) stays open, and closing it again from
 * exit() crashed (issue 16). So HDF5 registers no exit handler. Every file
 * dcsim writes is closed (or reported, and its temporary file removed)
 * before main returns, so shutting HDF5 down would only free its memory,
 * which the process's exit does anyway (~3 % of a `dcsim run -n 1`): only
 * the sanitizer builds, whose leak check wants every block freed, shut it
 * down, and only when no file is left open. */
int main(int argc, char **argv)
{
    H5dont_atexit();
    gsl_set_error_handler_off();
#ifdef __GLIBC__
    /* A sweep makes and frees a scenario and a world (~160 KB each) per point and replication
     * maker; above glibc's 128 KB mmap threshold, and with its 128 KB trim threshold, each
     * came fresh from the kernel, and the page faults cost more than the loading (design
     * notes, "Cheap scenarios"). Keep such blocks in the heap for reuse. */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
    int hdf5 = needs_hdf5(argc, argv);
    if (hdf5) {
        dcs_heap_huge_pages();
        H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    }
    dcs_cmd_set_command_line(argc, argv);
    int status;
    /* MPI starts only under a launcher (mpirun, srun): see ranks.h. */
    if (dcs_ranks_init(&argc, &argv) != 0)
        status = dcs_ranks_fini(1);
    else
        status = dcs_ranks_fini(dispatch(argc, argv));
#ifdef DCSIM_SANITIZED
    if (hdf5 && H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_FILE) == 0)
        H5close();
#endif
    return status;
}
