/*
 * progress.c - the progress bar.
 *
 * One line, redrawn in place with a carriage return:
 *   [##########          ]  523/1000  52%  41.3 replications/s  ETA 0:00:12
 * The rate is the mean since the start, which is steadier than an
 * instantaneous rate when replications differ in length. The ETA is
 * remaining / rate.
 */
#include "progress.h"

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
    p->t_start_s = dcs_progress_clock();
    p->t_drawn_s = 0.0;
    p->label = label ? label : "items";
}

static void draw(dcs_progress *p, double now)
{
    double frac = p->total ? (double)p->done / (double)p->total : 1.0;
    int filled = (int)(frac * BAR_WIDTH + 0.5);
    char bar[BAR_WIDTH + 1];
    for (int i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < filled ? '#' : ' ';
    bar[BAR_WIDTH] = '\0';
    double elapsed = now - p->t_start_s;
    double rate = elapsed > 0.0 ? (double)p->done / elapsed : 0.0;
    long eta = rate > 0.0 ? (long)((double)(p->total - p->done) / rate + 0.5) : 0;
    fprintf(p->out, "\r[%s] %llu/%llu %3d%%  %.1f %s/s  ETA %ld:%02ld:%02ld ", bar,
            (unsigned long long)p->done, (unsigned long long)p->total, (int)(100.0 * frac), rate,
            p->label, eta / 3600, eta / 60 % 60, eta % 60);
    fflush(p->out);
    p->t_drawn_s = now;
}

void dcs_progress_update(dcs_progress *p, uint64_t done)
{
    p->done = done;
    if (!p->enabled)
        return;
    double now = dcs_progress_clock();
    if (now - p->t_drawn_s >= REDRAW_EVERY_S)
        draw(p, now);
}

void dcs_progress_finish(dcs_progress *p)
{
    if (!p->enabled)
        return;
    draw(p, dcs_progress_clock());
    fputc('\n', p->out);
    fflush(p->out);
}
