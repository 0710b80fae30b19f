/*
 * trace.h - what one traced replication recorded: a log of events and a
 * time series of samples, kept in memory until the writer takes them.
 *
 * An event record is (time, kind, unit, value): kind is a global engine
 * kind number, so its name is dcs_engine_kind_name(); unit and value mean
 * what the model that records the kind documents (dcs_model.kind_docs). A
 * sample is one row of `ncols` doubles taken at one time; the columns are
 * the caller's. A trace grows geometrically while it records and is
 * emptied, not freed, by dcs_trace_clear(), so a thread that traces many
 * replications reuses its memory.
 *
 * Memory: one traced replication's records (24 bytes an event, 8 bytes a
 * sample value) live until the writer has taken them; untraced
 * replications never touch a trace.
 */
#ifndef DCSIM_SIM_TRACE_H
#define DCSIM_SIM_TRACE_H

#include "status.h"

#include <stddef.h>
#include <stdint.h>

typedef struct dcs_trace_event {
    double t;      /* simulated time, s */
    uint16_t kind; /* engine kind number */
    uint32_t unit; /* model-defined: a failure class, a node slot, a level, ... */
    double value;  /* model-defined, in the unit the kind documents */
} dcs_trace_event;

typedef struct dcs_trace {
    dcs_trace_event *events;
    size_t nevents, cap_events;
    size_t ncols;    /* values per sample, including its time */
    double *samples; /* nsamples rows of ncols values, row-major */
    size_t nsamples, cap_samples;
} dcs_trace;

/* Creates an empty trace whose samples have ncols values. Returns NULL and
 * fills err (DCS_ENOMEM) on failure. */
dcs_trace *dcs_trace_create(size_t ncols, dcs_err *err);

/* Frees the trace. NULL is a no-op. */
void dcs_trace_destroy(dcs_trace *tr);

/* Forgets every record, keeping the memory. */
void dcs_trace_clear(dcs_trace *tr);

/* Appends one event record. Returns 0 or DCS_ENOMEM. */
int dcs_trace_event_add(dcs_trace *tr, double t, uint16_t kind, uint32_t unit, double value);

/* Appends one sample row of ncols values (copied). Returns 0 or DCS_ENOMEM. */
int dcs_trace_sample_add(dcs_trace *tr, const double *row);

#endif /* DCSIM_SIM_TRACE_H */
