/*
 * common.c - helpers shared by the subcommands: status to exit status, and
 * the one format every error message takes on standard error.
 */
#include "cmd.h"

#include <stdio.h>

double dcs_cmd_default_sample_s(const dcs_world *w)
{
    /* Round steps from a second to a day: samples land on whole minutes
     * and hours, which is what a plot's axis wants. */
    static const double steps[] = {1,    5,    10,   30,    60,    300,   600,   900,
                                   1800, 3600, 7200, 21600, 43200, 86400, 604800};
    double want = dcs_world_run_cfg(w)->ts_s / 500.0;
    double best = steps[0];
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (steps[i] <= want)
            best = steps[i];
    return best;
}

int dcs_cmd_exit_status(int code)
{
    if (code == 0)
        return 0;
    return code == DCS_EINPUT ? 2 : 1;
}

void dcs_cmd_print_err(const dcs_err *err)
{
    char buf[768];
    /* Input errors start with their position, as compilers print them, so
     * that editors and scripts can jump to it; others name the program. */
    fprintf(stderr, "%s%s\n",
            err->where[0] != '\0' ? "" : "dcsim: ", dcs_err_format(err, buf, sizeof buf));
}
