/*
 * common.c - helpers shared by the subcommands: status to exit status, and
 * the one format every error message takes on standard error.
 */
#include "cmd.h"

#include <stdio.h>

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
