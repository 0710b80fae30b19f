/*
 * cmd_ranks.c - what `run` and `sweep` do differently under MPI (ranks.h):
 * refuse what the ranks cannot share, say how many ranks and threads run,
 * and the loop of a rank that computes for rank 0.
 */
#include "cmd.h"

#include "ranks.h"
#include "study.h"

#include <stdio.h>
#include <string.h>

int dcs_cmd_check_ranks(const dcs_cmd_opts *o)
{
    if (dcs_ranks_size() > 1 && strcmp(o->input, "-") == 0) {
        fputs("dcsim: standard input reaches rank 0 only: under mpirun give the input as a "
              "file\n",
              stderr);
        return 2;
    }
    return -1;
}

const char *dcs_cmd_threads_text(const dcs_cmd_opts *o)
{
    static char buf[96];
    int k = dcs_ranks_size();
    if (k > 1)
        snprintf(buf, sizeof buf, "%d ranks x %lld thread%s", k, o->nthreads,
                 o->nthreads == 1 ? "" : "s");
    else
        snprintf(buf, sizeof buf, "%lld thread%s", o->nthreads, o->nthreads == 1 ? "" : "s");
    return buf;
}

int dcs_cmd_follow(dcs_study *st)
{
    dcs_err err;
    dcs_err_clear(&err);
    dcs_cmd_catch_signals();
    int rc = dcs_study_follow(st, &err);
    dcs_cmd_restore_signals();
    /* The exit status is rank 0's (dcs_ranks_fini); an error here is MPI's. */
    return rc == 0 ? 0 : 1;
}
