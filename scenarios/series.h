/*
 * series.h - the hourly CSV series of scenarios (weather.csv, carbon.csv),
 * read once and shared.
 *
 * A series is up to DCS_SERIES_MAX doubles (70 KB), far more than the rest
 * of a dcs_scenario, which is copied per point and per replication. So the
 * scenario holds a pointer to an immutable series owned by this store:
 * every load of the same file content (with the same lower bound) gets the
 * same pointer, so two loads of one scenario still compare equal byte for
 * byte, and copying a scenario copies the pointer. A series lives until the
 * process ends; the store grows only with distinct contents. Every function
 * may be called from several threads at once.
 */
#ifndef DCSIM_SCENARIOS_SERIES_H
#define DCSIM_SCENARIOS_SERIES_H

#include "../sim/status.h"

#include <stddef.h>

/* The stored series read from the file text `text` (len bytes) with the
 * lower bound lo, or NULL when that text has not been read yet. *count is
 * set to its number of values. */
const double *dcs_series_find(const char *text, size_t len, double lo, int *count);

/* Stores the n values v[] read from `text` (len bytes) with the lower bound
 * lo, and returns the stored copy (the earlier copy when the same text was
 * stored already), or NULL when out of memory. */
const double *dcs_series_put(const char *text, size_t len, double lo, const double *v, int n);

#endif /* DCSIM_SCENARIOS_SERIES_H */
