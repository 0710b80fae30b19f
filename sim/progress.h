/*
 * progress.h - a progress bar on standard error: done/total, rate, ETA.
 *
 * Drawn only when enabled (the caller decides: standard error is a
 * terminal and --quiet was not given) and at most ten times a second, so it
 * costs nothing measurable. Single-threaded: the runner's writer calls it.
 *
 * A bar may span several runner calls (a sweep adding replications in
 * batches): dcs_progress_next starts the next call's items after those
 * already done. It may also count groups of items (a sweep's points) beside
 * the items: "points 3/20". Items and groups are plain counts; what they
 * are is the caller's label.
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
    uint64_t base;                      /* items done before the current runner call */
    double t_start_s;                   /* monotonic clock at init, s */
    double t_drawn_s;                   /* monotonic clock at the last draw, s */
    const char *label;                  /* borrowed, e.g. "replications" */
    uint64_t groups_total, groups_done; /* 0 total: no group counter */
    const char *group_label;            /* borrowed, e.g. "points" */
} dcs_progress;

/* Monotonic wall-clock time, s. */
double dcs_progress_clock(void);

void dcs_progress_init(dcs_progress *p, FILE *out, int enabled, uint64_t total, const char *label);

/* Records that `done` items of the current runner call are finished (the
 * bar shows base + done) and redraws if due. */
void dcs_progress_update(dcs_progress *p, uint64_t done);

/* Starts another runner call of `nitems` items after those done so far:
 * base becomes done, total becomes done + nitems. */
void dcs_progress_next(dcs_progress *p, uint64_t nitems);

/* Shows a counter of groups beside the items: `done` of `total` groups
 * (total 0 hides it), called `label` (borrowed). Redraws if due. */
void dcs_progress_groups(dcs_progress *p, uint64_t done, uint64_t total, const char *label);

/* Draws the final state and ends the line (if enabled). */
void dcs_progress_finish(dcs_progress *p);

/* Writes the bar's text (without the carriage return) for the state of p
 * at time now_s into buf (size n): for tests and for draw. */
void dcs_progress_format(const dcs_progress *p, double now_s, char *buf, size_t n);

#endif /* DCSIM_SIM_PROGRESS_H */
