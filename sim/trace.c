/*
 * trace.c - growable event and sample buffers of one traced replication.
 *
 * Both buffers double when full, so appending is amortised O(1) and a
 * replication with n records reallocates O(log n) times; clearing keeps
 * the capacity for the next traced replication of the same thread.
 */
#include "trace.h"

#include <stdlib.h>
#include <string.h>

#define FIRST_EVENTS  1024 /* a short replication fits without growing */
#define FIRST_SAMPLES 256

dcs_trace *dcs_trace_create(size_t ncols, dcs_err *err)
{
    dcs_trace *tr = calloc(1, sizeof *tr);
    if (tr == NULL) {
        dcs_err_set(err, DCS_ENOMEM, "cannot allocate a trace");
        return NULL;
    }
    tr->ncols = ncols;
    return tr;
}

void dcs_trace_destroy(dcs_trace *tr)
{
    if (tr == NULL)
        return;
    free(tr->events);
    free(tr->samples);
    free(tr);
}

void dcs_trace_clear(dcs_trace *tr)
{
    tr->nevents = 0;
    tr->nsamples = 0;
}

/* Makes room for one more element of `size` bytes in *buf. */
static int grow(void **buf, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap == 0 ? first : 2 * *cap;
    if (ncap > SIZE_MAX / size)
        return DCS_ENOMEM;
    void *p = realloc(*buf, ncap * size);
    if (p == NULL)
        return DCS_ENOMEM;
    *buf = p;
    *cap = ncap;
    return 0;
}

int dcs_trace_event_add(dcs_trace *tr, double t, uint16_t kind, uint32_t unit, double value)
{
    void *buf = tr->events;
    if (grow(&buf, &tr->cap_events, tr->nevents, sizeof *tr->events, FIRST_EVENTS) != 0)
        return DCS_ENOMEM;
    tr->events = buf;
    tr->events[tr->nevents++] = (dcs_trace_event){t, kind, unit, value};
    return 0;
}

int dcs_trace_sample_add(dcs_trace *tr, const double *row)
{
    size_t rowsize = tr->ncols * sizeof(double);
    if (rowsize == 0)
        return 0;
    void *buf = tr->samples;
    if (grow(&buf, &tr->cap_samples, tr->nsamples, rowsize, FIRST_SAMPLES) != 0)
        return DCS_ENOMEM;
    tr->samples = buf;
    memcpy(tr->samples + tr->nsamples * tr->ncols, row, rowsize);
    tr->nsamples++;
    return 0;
}
