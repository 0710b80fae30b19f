/*
 * emit.h - the resolved YAML: a loaded scenario written back as text that
 * loads to the same struct, byte for byte (emit.c: one walk over the key
 * table). Private to scenarios/.
 */
#ifndef DCSIM_SCENARIOS_EMIT_H
#define DCSIM_SCENARIOS_EMIT_H

#include "../models/config.h"
#include "../sim/status.h"

/* Writes scenario s as resolved YAML into a malloc'd *text. Returns 0 or
 * DCS_ENOMEM. */
int dcs_emit_resolved(const dcs_scenario *s, char **text, dcs_err *err);

#endif /* DCSIM_SCENARIOS_EMIT_H */
