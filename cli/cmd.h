/*
 * cmd.h - the dcsim subcommands. Each takes the arguments after its name
 * (argv[0] is the subcommand name) and returns the process exit status:
 * 0 success, 2 bad input or usage, 1 any other failure. Messages go to
 * standard error; results (reports, tables) to standard output.
 */
#ifndef DCSIM_CLI_CMD_H
#define DCSIM_CLI_CMD_H

#include "status.h"
#include "world.h"

int dcs_cmd_run(int argc, char **argv);
int dcs_cmd_validate(int argc, char **argv);
int dcs_cmd_report(int argc, char **argv);
int dcs_cmd_catalog(int argc, char **argv);
int dcs_cmd_compare(int argc, char **argv);

/* The time-series step when --trace is given without --sample-every: a
 * round duration near 1/500 of the failure-free run time, s. */
double dcs_cmd_default_sample_s(const dcs_world *w);

/* Maps a status code to an exit status: DCS_EINPUT -> 2, other errors -> 1. */
int dcs_cmd_exit_status(int code);

/* Prints "<where>: <key>: <message>" on standard error, or "dcsim:
 * <message>" for an error that is not about a place in the input. */
void dcs_cmd_print_err(const dcs_err *err);

#endif /* DCSIM_CLI_CMD_H */
