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
#include "ranks.h"
#include "revision.h"

#include <gsl/gsl_errno.h>
#include <hdf5.h>
#include <stdio.h>
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
        return dcs_cmd_run(argc - 1, argv + 1);
    if (strcmp(cmd, "sweep") == 0)
        return dcs_cmd_sweep(argc - 1, argv + 1);
    if (strcmp(cmd, "validate") == 0)
        return dcs_cmd_validate(argc - 1, argv + 1);
    if (strcmp(cmd, "report") == 0)
        return dcs_cmd_report(argc - 1, argv + 1);
    if (strcmp(cmd, "catalog") == 0)
        return dcs_cmd_catalog(argc - 1, argv + 1);
    if (strcmp(cmd, "merge") == 0)
        return dcs_cmd_merge(argc - 1, argv + 1);
    if (strcmp(cmd, "compare") == 0)
        return dcs_cmd_compare(argc - 1, argv + 1);
    if (strcmp(cmd, "hindcast") == 0)
        return dcs_cmd_hindcast(argc - 1, argv + 1);
    fprintf(stderr, "dcsim: unknown command '%s'\n\n%s", cmd, usage);
    return 2;
}

/* HDF5 closes what is still open from an exit handler of its own. A file
 * whose close failed (a full disk) stays open, and closing it again from
 * exit() crashed (issue 16). So HDF5 registers no exit handler, and main
 * shuts the library down itself, only when no file is left open; one that
 * is has already been reported, and its temporary file removed. */
int main(int argc, char **argv)
{
    H5dont_atexit();
    gsl_set_error_handler_off();
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    dcs_cmd_set_command_line(argc, argv);
    int status;
    /* MPI starts only under a launcher (mpirun, srun): see ranks.h. */
    if (dcs_ranks_init(&argc, &argv) != 0)
        status = dcs_ranks_fini(1);
    else
        status = dcs_ranks_fini(dispatch(argc, argv));
    if (H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_FILE) == 0)
        H5close();
    return status;
}
