/*
 * observed.h - a scenario's observed price series (market.observed): a CSV of monthly
 * accelerator-hour prices, one row per month and accelerator, read and checked row by row.
 *
 *   month,accelerator,price_usd_per_hour,fill,source
 *   2023-01,H100-SXM-80GB,4.70,published,"Latent Space, ..."
 *
 * Lines starting with '#' and blank lines are skipped; the first other line is the header.
 * month is YYYY-MM; an accelerator's months follow each other without a gap; the price is
 * > 0; fill is published, derived or interpolated; a published or derived row names its
 * source. A field may be quoted ("..."; "" inside is a quote).
 */
#ifndef DCSIM_SCENARIOS_OBSERVED_H
#define DCSIM_SCENARIOS_OBSERVED_H

#include "../models/config.h"
#include "status.h"

/* Reads the series at path into s->observed, keeping the rows of s's market types (rows of
 * other catalog accelerators are checked and left out). An error names the CSV's line and
 * column and `key`. Returns 0 or DCS_EINPUT. */
int dcs_observed_read(const char *path, const char *key, dcs_scenario *s, dcs_err *err);

#endif /* DCSIM_SCENARIOS_OBSERVED_H */
