/*
 * progress.h - a progress bar on standard error: done/total, rate, ETA.
 *
 * Drawn only when enabled (the caller decides: standard error is a
 * terminal and --quiet was not given) and at most ten times a second, so it
 * costs nothing measurable. Single-threaded: the runner's writer calls it.
 */
#ifndef DCSIM_SIM_PROGRESS_H
#define DCSIM_SIM_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

typedef struct dcs_progress {
    FILE *out; /* borrowed; standard error in the CLI */
    int enabled;
    uint64_t total;
    uint64_t done;
    double t_start_s;  /* monotonic clock at init, s */
    double t_drawn_s;  /* monotonic clock at the last draw, s */
    const char *label; /* borrowed, e.g. "replications" */
} dcs_progress;

/* Monotonic wall-clock time, s. */
double dcs_progress_clock(void);

void dcs_progress_init(dcs_progress *p, FILE *out, int enabled, uint64_t total, const char *label);

/* Records that `done` items are finished and redraws if due. */
void dcs_progress_update(dcs_progress *p, uint64_t done);

/* Draws the final state and ends the line (if enabled). */
void dcs_progress_finish(dcs_progress *p);

#endif /* DCSIM_SIM_PROGRESS_H */
