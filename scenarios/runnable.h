/*
 * runnable.h - the checks that a loaded scenario can run, made before
 * anything runs: every refusal of the models (a world is built and thrown
 * away), the model's limits and the memory of one replication against the
 * machine's, and a job that could never progress.
 *
 * The loader calls it on every scenario it loads (every point of a sweep
 * too), so `validate`, `run` and `sweep` refuse the same scenarios, and
 * places the error at the key it names: "file:line:column: key: message".
 */
#ifndef DCSIM_SCENARIOS_RUNNABLE_H
#define DCSIM_SCENARIOS_RUNNABLE_H

#include "../models/config.h"
#include "../sim/status.h"

/* Checks that s can run. Returns 0, DCS_EINPUT with err's message and key
 * (the scenario key to blame; the caller adds the position), or
 * DCS_ENOMEM. */
int dcs_scenario_check_runnable(const dcs_scenario *s, dcs_err *err);

struct dcs_world;

/* Shown the world that the check made, once every check passed; returns 1
 * when it keeps w (and destroys it later), else 0 (the check destroys it). */
typedef int dcs_runnable_world_fn(void *ctx, struct dcs_world *w);

/* The same check, showing its world to keep(ctx, w) (NULL: to nobody), so
 * that a caller who needs the world does not make a second one. */
int dcs_scenario_check_runnable_with(const dcs_scenario *s, dcs_runnable_world_fn *keep, void *ctx,
                                     dcs_err *err);

/* The memory this process may use, bytes: the machine's physical memory,
 * or less where a resource limit (RLIMIT_AS, RLIMIT_DATA) says so. */
double dcs_machine_memory_bytes(void);

/* Writes "12.3 GB"-style text of bytes into buf (size n); returns buf. */
const char *dcs_bytes_text(double bytes, char *buf, size_t n);

#endif /* DCSIM_SCENARIOS_RUNNABLE_H */
