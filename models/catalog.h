/*
 * catalog.h - the built-in accelerator catalog.
 *
 * Each entry carries its figures and their public sources (see catalog.c
 * and shared refs). Figures that were not found in public material are NAN,
 * never invented; the catalog command prints them as "n/a".
 */
#ifndef DCSIM_MODELS_CATALOG_H
#define DCSIM_MODELS_CATALOG_H

#include "config.h"

#include <stddef.h>

/* Number of built-in entries. */
size_t dcs_catalog_count(void);

/* Entry i (0 <= i < count), or NULL when out of range. Borrowed, static. */
const dcs_accel *dcs_catalog_at(size_t i);

/* The numeric format of a catalog entry's peak_flops ("BF16", or "FP16"
 * for the V100, which has no BF16); "BF16" for an accelerator that is not
 * an entry (a scenario's own, with the same key matching case-insensitively). */
const char *dcs_catalog_format(const dcs_accel *a);

/* Entry whose key matches `key` exactly (case-insensitive), or NULL. */
const dcs_accel *dcs_catalog_find(const char *key);

#endif /* DCSIM_MODELS_CATALOG_H */
