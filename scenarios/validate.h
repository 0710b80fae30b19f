/*
 * validate.h - the rules of a scenario that span keys, each in one place.
 *
 * The key table (schema.h) says what one key may hold; a validator says what
 * keys may hold together (min_nodes against nodes, a failure class's action
 * against its scope, ...). The loader runs each validator once the table
 * pass has read the sections it spans (its `after`), so the first error in
 * the order the file is read still wins, and all of them before the checks
 * that the scenario can run (runnable.h). A validator names the key to
 * blame (dcs_err_key) and the loader places the message there, so every
 * refusal reads "file:line:column: key: message". The models assert what
 * these rules guarantee and check them no more.
 */
#ifndef DCSIM_SCENARIOS_VALIDATE_H
#define DCSIM_SCENARIOS_VALIDATE_H

#include "../models/config.h"
#include "../sim/status.h"
#include "schema.h"

#include <stdbool.h>
#include <stddef.h>

/* What a validator sees: the scenario read so far, the error to fill, and
 * whether a key path ("market.price_cap_usd_per_hour") was given rather
 * than left to its default. */
typedef struct dcs_check {
    const dcs_scenario *s;
    dcs_err *err;
    bool (*given)(void *ctx, const char *path);
    void *ctx;
} dcs_check;

/* Returns 0, or DCS_EINPUT with err's message and key. */
typedef int dcs_validator_fn(const dcs_check *c);

typedef struct dcs_validator {
    const char *name; /* "cluster.min_nodes", as the tests and docs name it */
    dcs_validator_fn *fn;
    dcs_sec after;   /* the last of the sections it spans that the loader reads */
    const char *doc; /* the rule, one line */
} dcs_validator;

extern const dcs_validator dcs_validators[];
extern const size_t dcs_nvalidators;

/* Runs every validator in table order; returns the first refusal. */
int dcs_scenario_validate(const dcs_check *c);

/* Runs the validators whose `after` is sec, in table order. */
int dcs_scenario_validate_after(dcs_sec sec, const dcs_check *c);

/* Whether a failure class may take action a with scope sc (the rule of the
 * validator failures.action). The loader reads no key that depends on the
 * action of a class where this is false: the validator refuses it. */
bool dcs_action_fits_scope(dcs_action a, dcs_scope sc);

#endif /* DCSIM_SCENARIOS_VALIDATE_H */
