/*
 * keys.h - shorthands for the key tables (keys_*.c). Private to scenarios/.
 */
#ifndef DCSIM_SCENARIOS_KEYS_H
#define DCSIM_SCENARIOS_KEYS_H

#include "schema.h"

#include <math.h>
#include <stddef.h>

/* Where a key lands: a field of dcs_scenario, or of a list's element T. */
#define AT(m)    .offset = offsetof(dcs_scenario, m), .size = sizeof(((dcs_scenario *)0)->m)
#define IN(T, m) .offset = offsetof(T, m), .size = sizeof(((T *)0)->m)
/* A list: its array, element type, int count and most items. */
#define LIST(a, T, count, max)                                                                     \
    .offset = offsetof(dcs_scenario, a), .size = sizeof(T),                                        \
    .count_offset = offsetof(dcs_scenario, count), .max_items = (max)

/* Ranges: > x, >= x, and an interval with DCS_RANGE_* flags. */
#define GT(x)          .lo = (x), .range = DCS_RANGE_LO | DCS_RANGE_LO_OPEN
#define GE(x)          .lo = (x), .range = DCS_RANGE_LO
#define RANGE(a, b, r) .lo = (a), .hi = (b), .range = (r)

#endif /* DCSIM_SCENARIOS_KEYS_H */
