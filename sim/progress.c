/*
 * progress.c - the progress bar.
 *
 * One line, redrawn in place with a carriage return:
 *   [##########          ]  523/1000  52%  41.3 replications/s  ETA 0:00:12
 * or, with a group counter (a sweep's points):
 *   [##########          ] points 3/20  523/1000  52%  41.3 replications/s  ETA 0:00:12
 * The rate is the mean since the start, which is steadier than an
 * instantaneous rate when replications differ in length. The ETA is
 * remaining / rate: for a bar that grows in batches, the remaining items of
 * the batches known so far.
 */
#include "progress.h"

#include <stddef.h>
#include <time.h>

#define REDRAW_EVERY_S 0.1 /* ten redraws a second looks live and costs nothing */
#define BAR_WIDTH      24

double dcs_progress_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void dcs_progress_init(dcs_progress *p, FILE *out, int enabled, uint64_t total, const char *label)
{
    p->out = out;
    p->enabled = enabled && out != NULL;
    p->total = total;
    p->done = 0;
    p->base = 0;
    p->t_start_s = dcs_progress_clock();
    p->t_drawn_s = 0.0;
    p->label = label ? label : "items";
    p->groups_total = p->groups_done = 0;
    p->group_label = NULL;
}

void dcs_progress_format(const dcs_progress *p, double now_s, char *buf, size_t n)
{
    double frac = p->total ? (double)p->done / (double)p->total : 1.0;
    if (frac > 1.0)
        frac = 1.0;
    int filled = (int)(frac * BAR_WIDTH + 0.5);
    char bar[BAR_WIDTH + 1];
    for (int i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < filled ? '#' : ' ';
    bar[BAR_WIDTH] = '\0';
    double elapsed = now_s - p->t_start_s;
    double rate = elapsed > 0.0 ? (double)p->done / elapsed : 0.0;
    uint64_t left = p->total > p->done ? p->total - p->done : 0;
    long eta = rate > 0.0 ? (long)((double)left / rate + 0.5) : 0;
    char groups[96] = "";
    if (p->groups_total > 0)
        snprintf(groups, sizeof groups, " %s %llu/%llu ",
                 p->group_label ? p->group_label : "groups", (unsigned long long)p->groups_done,
                 (unsigned long long)p->groups_total);
    snprintf(buf, n, "[%s]%s %llu/%llu %3d%%  %.1f %s/s  ETA %ld:%02ld:%02ld ", bar, groups,
             (unsigned long long)p->done, (unsigned long long)p->total, (int)(100.0 * frac), rate,
             p->label, eta / 3600, eta / 60 % 60, eta % 60);
}

static void draw(dcs_progress *p, double now)
{
    char line[256];
    dcs_progress_format(p, now, line, sizeof line);
    fprintf(p->out, "\r%s", line);
    fflush(p->out);
    p->t_drawn_s = now;
}

static void maybe_draw(dcs_progress *p)
{
    if (!p->enabled)
        return;
    double now = dcs_progress_clock();
    if (now - p->t_drawn_s >= REDRAW_EVERY_S)
        draw(p, now);
}

void dcs_progress_update(dcs_progress *p, uint64_t done)
{
    p->done = p->base + done;
    maybe_draw(p);
}

void dcs_progress_next(dcs_progress *p, uint64_t nitems)
{
    p->base = p->done;
    p->total = p->done + nitems;
}

void dcs_progress_groups(dcs_progress *p, uint64_t done, uint64_t total, const char *label)
{
    p->groups_done = done;
    p->groups_total = total;
    if (label != NULL)
        p->group_label = label;
    maybe_draw(p);
}

void dcs_progress_finish(dcs_progress *p)
{
    if (!p->enabled)
        return;
    draw(p, dcs_progress_clock());
    fputc('\n', p->out);
    fflush(p->out);
}
