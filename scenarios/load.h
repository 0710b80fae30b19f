/*
 * load.h - YAML scenario files to validated dcs_scenario structs.
 *
 * Every problem is reported as "file:line:column: key.path: message" through
 * err (code DCS_EINPUT): bad YAML, an unknown key, a wrong type, a bare
 * number where a unit is required (the message names the accepted units),
 * an out-of-range value, a missing required field, an unknown catalog key.
 * Positions are 1-based and point at the offending node (the value, or the
 * key for an unknown key). Defaults are filled in for every optional key.
 */
#ifndef DCSIM_SCENARIOS_LOAD_H
#define DCSIM_SCENARIOS_LOAD_H

#include "../models/config.h"
#include "../sim/status.h"

#include <stddef.h>

/* Loads and validates the scenario in file `path`. `sets` holds nsets
 * overrides "key.path=value" (from --set), applied to the YAML tree before
 * validation; a bad override is reported as "--set:1:col: key.path: ...".
 * On success fills *out and, if resolved_yaml is not NULL, sets
 * *resolved_yaml to a malloc'd YAML text of the resolved scenario (every key
 * with its effective value, defaults included) that loads back to the same
 * struct; the caller frees it. Returns 0, or DCS_EINPUT / DCS_EIO /
 * DCS_ENOMEM with err filled. */
int dcs_scenario_load(const char *path, const char *const *sets, size_t nsets, dcs_scenario *out,
                      char **resolved_yaml, dcs_err *err);

/* The same, from a string in memory; `name` stands for the file in
 * messages. */
int dcs_scenario_load_string(const char *text, const char *name, const char *const *sets,
                             size_t nsets, dcs_scenario *out, char **resolved_yaml, dcs_err *err);

#endif /* DCSIM_SCENARIOS_LOAD_H */
