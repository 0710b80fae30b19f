/*
 * cmd.h - the dcsim subcommands. Each takes the arguments after its name
 * (argv[0] is the subcommand name) and returns the process exit status:
 * 0 success, 2 bad input or usage, 1 any other failure. Messages go to
 * standard error; results (reports, tables) to standard output.
 */
#ifndef DCSIM_CLI_CMD_H
#define DCSIM_CLI_CMD_H

#include "status.h"

int dcs_cmd_run(int argc, char **argv);
int dcs_cmd_validate(int argc, char **argv);
int dcs_cmd_report(int argc, char **argv);
int dcs_cmd_catalog(int argc, char **argv);

/* Maps a status code to an exit status: DCS_EINPUT -> 2, other errors -> 1. */
int dcs_cmd_exit_status(int code);

/* Prints "<where>: <key>: <message>" on standard error, or "dcsim:
 * <message>" for an error that is not about a place in the input. */
void dcs_cmd_print_err(const dcs_err *err);

#endif /* DCSIM_CLI_CMD_H */
