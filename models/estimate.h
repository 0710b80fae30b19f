/*
 * estimate.h - the closed-form estimate of a scenario before running it
 * (`dcsim validate --estimate`): failure-free time, the job's mean time
 * between interruptions, the checkpoint interval the policy picks, Daly's
 * expected wall-clock time, and the ledger priced at those hours.
 *
 * What it leaves out, so that it stays a closed form: waiting for a spare
 * or a repair, waiting for market capacity, price paths (the price at the
 * start holds throughout), weather, throttling and cooling-unit failures
 * (cooling at the mean outdoor temperature), slow nodes before they are
 * found, and a time-of-use or stochastic tariff (its base price holds).
 * The simulation is the reference; the estimate gives the order of
 * magnitude in a millisecond.
 *
 * A range: dcs_estimate_range takes a low and a high scenario (two copies of
 * one scenario with its uncertain inputs at their low and high ends) and
 * estimates both; the distributions of issue 12's other half will produce
 * those two scenarios.
 */
#ifndef DCSIM_MODELS_ESTIMATE_H
#define DCSIM_MODELS_ESTIMATE_H

#ifndef DCS_LAYER_MODELS
#error "models/ is not visible from sim/"
#endif

#include "config.h"
#include "ledger.h"
#include "status.h"

typedef struct dcs_estimate {
    double ts_s;          /* failure-free compute time, s */
    double mtti_s;        /* the job's mean time between interruptions, s (HUGE_VAL: none) */
    double tau_s;         /* compute time between persistent checkpoints, s (HUGE_VAL: never) */
    double delta_s;       /* the job's stall per checkpoint (the write, or an async snapshot), s */
    double restart_s;     /* one restart: mean detection and spare swap, overhead, checkpoint
                             read, warm-up, s */
    double maint_s;       /* planned maintenance windows and their saves and restarts, s */
    double makespan_s;    /* expected wall-clock time, s */
    double interruptions; /* expected interruptions: makespan / MTTI */
    double compute_s;     /* of the makespan: computing (kept and lost work), s */
    double ckpt_s;        /* checkpoint stalls, s */
    double down_s;        /* restarts and maintenance, s */
    double held_accels;   /* accelerators held: job nodes and billed spares */
    double energy_it_j;   /* IT energy (0 without a power model), J */
    double energy_cool_j; /* cooling and facility energy, J */
    dcs_ledger ledger;    /* the ledger at makespan_s */
} dcs_estimate;

/* Estimates sc, a loaded scenario (the loader has applied the electricity
 * rule, dcs_energy_needs_model). Returns 0, or DCS_EINPUT with a message
 * when sc cannot run. */
int dcs_estimate_make(const dcs_scenario *sc, dcs_estimate *out, dcs_err *err);

/* Estimates a low and a high scenario; *lo gets the one with the lower
 * cost. Returns 0 or the first error. */
int dcs_estimate_range(const dcs_scenario *low, const dcs_scenario *high, dcs_estimate *lo,
                       dcs_estimate *hi, dcs_err *err);

/* ---- Does the model fit in memory? ---- */

/* Bytes per frozen parameter of an adapter's base model: BF16 weights (an
 * assumption: quantized bases such as QLoRA's 4 bits need less). */
#define DCS_FROZEN_BYTES_PER_PARAM 2.0

typedef struct dcs_memory_need {
    double state_bytes;      /* training state per accelerator: trainable parameters x
                                checkpoint.bytes_per_parameter + frozen ones x 2 B, divided
                                over the accelerators it is sharded over */
    double activation_bytes; /* the stated allowance per accelerator */
    double need_bytes;       /* their sum */
    double have_bytes;       /* the accelerator's memory */
    double shards;           /* accelerators the state is divided over */
} dcs_memory_need;

/* Fills m for sc; returns 1 when the job fits (or cannot be checked: no
 * parameter count or no memory figure), 0 when it does not. */
int dcs_memory_need_of(const dcs_scenario *sc, dcs_memory_need *m);

#endif /* DCSIM_MODELS_ESTIMATE_H */
