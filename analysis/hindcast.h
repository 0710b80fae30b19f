/*
 * hindcast.h - the market's simulated paths against an observed price series
 * (market.observed): for each month of the series, the median and the 5th and 95th
 * percentiles of the month's mean simulated price over the replications, and two figures of
 * fit over the published months: the median absolute error of the median path in log price,
 * and the share of published prices inside the simulated 90 % band.
 *
 * The paths are the market's own (models/market.h), drawn from the same streams of the same
 * seed and replication as `dcsim run` draws them, so replication r here is replication r of a
 * run; they are stepped to the series' last month whatever the job's length.
 */
#ifndef DCSIM_ANALYSIS_HINDCAST_H
#define DCSIM_ANALYSIS_HINDCAST_H

#include "config.h"
#include "status.h"

#include <stdint.h>

/* One month of one type of the series. */
typedef struct dcs_hindcast_row {
    int type;        /* index in the scenario's market types */
    int month;       /* year * 12 + month - 1 */
    double observed; /* USD per accelerator-hour */
    bool published;  /* a published figure (else derived or interpolated) */
    bool simulated;  /* the month overlaps the run (not before simulation.start) */
    double median;   /* of the month's mean price over the replications */
    double p05, p95; /* its 5th and 95th percentiles */
} dcs_hindcast_row;

typedef struct dcs_hindcast {
    int nrows;
    dcs_hindcast_row rows[DCS_OBSERVED_MAX];
    int npublished;              /* published rows that are simulated: the figures' observations */
    double median_abs_log_error; /* median over them of |ln(observed / median)| */
    double coverage;             /* share of them with p05 <= observed <= p95 */
} dcs_hindcast;

/* Runs `replications` market paths of s (which needs a market and market.observed) under
 * `seed` and fills *out. Returns 0, DCS_EINPUT (no market, no series, no published month
 * after the start) or DCS_ENOMEM. */
int dcs_hindcast_run(const dcs_scenario *s, uint64_t seed, int64_t replications, dcs_hindcast *out,
                     dcs_err *err);

#endif /* DCSIM_ANALYSIS_HINDCAST_H */
