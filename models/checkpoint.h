/*
 * checkpoint.h - checkpoint cost and interval policies.
 *
 * Notation after Daly (2006): delta is the time to write one checkpoint,
 * M the job's mean time between interruptions, R the restart time, tau the
 * compute time between checkpoints, Ts the failure-free solve time.
 */
#ifndef DCSIM_MODELS_CHECKPOINT_H
#define DCSIM_MODELS_CHECKPOINT_H

#ifndef DCS_LAYER_MODELS
#error "models/ is not visible from sim/"
#endif

#include "config.h"

/* Young (1974): tau = sqrt(2 delta M). s. */
double dcs_ckpt_young(double delta_s, double mtti_s);

/* Daly (2006) eq. 37: tau = sqrt(2 delta M) [1 + sqrt(delta/(2M))/3 +
 * (delta/(2M))/9] - delta for delta < 2M, else M. s. */
double dcs_ckpt_daly(double delta_s, double mtti_s);

/* Daly's expected wall-clock time for exponential failures with mean M,
 * checkpoints every tau of compute, restart R: T = M e^(R/M) (e^((tau +
 * delta)/M) - 1) Ts / tau. s. */
double dcs_ckpt_daly_walltime(double ts_s, double tau_s, double delta_s, double restart_s,
                              double mtti_s);

/* Time to write one checkpoint: size / write bandwidth + overhead, s. */
double dcs_ckpt_write_s(const dcs_ckpt_cfg *c);

/* Time to read one checkpoint back: size / read bandwidth, s. */
double dcs_ckpt_read_s(const dcs_ckpt_cfg *c);

/* The job's mean time between interruptions from its failure classes:
 * 1 / sum over classes of (units exposed / mean time to failure), s;
 * +HUGE_VAL with no failure classes. */
double dcs_ckpt_mtti_s(const dcs_scenario *sc);

/* The compute time between checkpoints that the policy picks, s
 * (+HUGE_VAL for policy none, or young/daly without failures). */
double dcs_ckpt_interval_s(const dcs_scenario *sc);

/* Units a failure class is evaluated on: accelerators, nodes or 1. */
double dcs_ckpt_units_exposed(const dcs_scenario *sc, const dcs_failure_cfg *f);

#endif /* DCSIM_MODELS_CHECKPOINT_H */
