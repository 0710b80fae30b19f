/*
 * run.h - the training-run model: one synchronous job on a cluster of
 * nodes, failure clocks on every unit, a spare pool with repairs, and
 * checkpoint/restart.
 *
 * The job runs at full speed unless a node is slow (fail-slow) or missing
 * (a shrunk job); it stops whenever any unit it uses fails, goes through
 * detection, a spare swap (or a wait for a repaired node when no spare is
 * free, or on without it) and a restart that reads the last checkpoint it
 * still has, and resumes from there: the work since then is lost. Planned
 * maintenance saves, stops the job for its window and restarts it.
 * Checkpoints are blocking or asynchronous, and may have a cheap in-memory
 * level beside the persistent one. Failures may strike while the job
 * computes, checkpoints, restarts or waits. Wall-clock time is split into
 * accounting categories that add up to the makespan exactly.
 */
#ifndef DCSIM_MODELS_RUN_H
#define DCSIM_MODELS_RUN_H

#ifndef DCS_LAYER_MODELS
#error "models/ is not visible from sim/"
#endif

#include "config.h"
#include "dist.h"
#include "engine.h"
#include "ledger.h"

#include <stdint.h>

/* Where the job's wall-clock time goes. */
typedef enum {
    DCS_ACC_PRODUCTIVE = 0,  /* computing work that was kept */
    DCS_ACC_LOST = 1,        /* computing work that a failure threw away */
    DCS_ACC_CHECKPOINT = 2,  /* writing checkpoints (interrupted ones included) */
    DCS_ACC_RESTART = 3,     /* detection, spare swap and restart (checkpoint read) */
    DCS_ACC_WAITING = 4,     /* waiting for a repaired node: no spare was free */
    DCS_ACC_SLOWED = 5,      /* computing time beyond full speed: slow nodes, a shrunk job */
    DCS_ACC_MAINTENANCE = 6, /* down for planned maintenance */
    DCS_ACC_THROTTLED = 7,   /* computing time lost to thermal throttling (kept work) */
    DCS_ACC_NCAT = 8
} dcs_acc_cat;

/* Derived, read-only parameters shared by every engine of a world. */
typedef struct dcs_run_cfg {
    const dcs_scenario *sc;      /* borrowed; must outlive the engines */
    double ts_s;                 /* failure-free compute time: flops / (accels * peak * mfu), s */
    double tau_s;                /* compute time between checkpoints, s (HUGE_VAL: never) */
    double delta_s;              /* checkpoint write time, s */
    double read_s;               /* checkpoint read time at restart, s */
    double mtti_s;               /* mean time between interruptions from the classes, s */
    double snap_s;               /* async: the snapshot stall, s */
    int async;                   /* 1: async checkpoints (a snapshot stall, a background write) */
    double mem_tau_s;            /* compute time between in-memory checkpoints, s (0: no level) */
    double mem_write_s;          /* in-memory checkpoint write time, s */
    double mem_read_s;           /* in-memory checkpoint read time at restart, s */
    uint32_t mem_per_persistent; /* every this many checkpoints one is persistent */
    double ckpt_bytes;           /* one persistent checkpoint, bytes */
    uint32_t retain;             /* persistent checkpoints kept */
    int shrink;                  /* 1: with no spare free, go on without the node */
    uint32_t min_nodes;          /* fewest nodes a shrunk job runs on */
    double accels_per_node;
    double training_w, ckpt_w, restart_w, idle_w; /* IT power per accelerator by state, W */
    double swap_s;                                /* spare swap time, s */
    double held_accels;     /* accelerators held: job nodes and billed spares */
    double hourly_accels;   /* of them, billed by the hour from the start (on demand) */
    double reserved_accels; /* of them, reserved for a term, then billed by the hour */
    double term_s;          /* the reservation's term from signing (t = 0), s */
    double fixed_price;     /* price per accelerator-hour without a market, USD */
    double acquisition_s;   /* market.acquisition_time (0: capacity is always there) */
    int acquire;            /* 1: on-demand capacity is acquired from the market at the start */
    double replace_s;       /* market.replacement_time: a replacement node's wait at a shortage
                               of one half when no spare is free (0: none), s */
    double restart_s;       /* restart overhead + warm-up, without the read, s */
    double max_time_s;      /* give up after this much simulated time, s */
    int nclasses;
    uint32_t nslots;                              /* nodes the job runs on */
    uint32_t units[DCS_MAX_FAILURE_CLS];          /* units per class */
    uint32_t units_per_slot[DCS_MAX_FAILURE_CLS]; /* per node: accels, 1, or 0 when the
                                                     class's units are not in nodes */
    uint32_t slots_per_unit[DCS_MAX_FAILURE_CLS]; /* nodes below one unit (switch), else 0 */
    dcs_action action[DCS_MAX_FAILURE_CLS];
    double speed[DCS_MAX_FAILURE_CLS];       /* action slow: speed of a slow unit */
    double first_s[DCS_MAX_FAILURE_CLS];     /* maintenance: time of the first window, s */
    int random_planned[DCS_MAX_FAILURE_CLS]; /* maintenance windows at random (mtbf), which
                                                count as interruptions */
    uint32_t repair_capacity;                /* repairs at once; 0 = unlimited */
    uint32_t clock_off[DCS_MAX_FAILURE_CLS]; /* offset of the class's clocks */
    uint32_t nclocks;                        /* clocks in all */
    uint32_t timer_off[DCS_MAX_FAILURE_CLS]; /* offset of a per-unit class's timers */
    uint32_t ntimers; /* per-unit timers: the units of classes not superposed */
    /* Superposed classes (exponential lifetimes, engine fast): one clock
     * for the class at rate (units in service) / MTBF instead of one per
     * unit; armed units are kept in a bitmap of the class's units. */
    int superposed[DCS_MAX_FAILURE_CLS];
    uint32_t armed_off[DCS_MAX_FAILURE_CLS]; /* first 64-bit word of the class's bitmap */
    uint32_t armed_words;                    /* words of all the bitmaps */
    /* Engine fast: the job's own deterministic events (segment ends,
     * checkpoint steps, async writes) before the next event of any other
     * kind are done without heap events (run.c, fast_forward). */
    int fast_forward;
    dcs_sampler ttf[DCS_MAX_FAILURE_CLS];
    dcs_sampler repair[DCS_MAX_FAILURE_CLS];
    double detect_s[DCS_MAX_FAILURE_CLS];
    /* The types the job can run on (job.accelerators; one, the cluster's,
     * without it), indexed as the list. */
    int ntypes;
    double type_speed[DCS_MAX_JOB_TYPES]; /* its compute rate / the first type's */
    double type_shape[DCS_MAX_JOB_TYPES]; /* accelerators per node / the first type's */
    double type_fm[DCS_MAX_JOB_TYPES];    /* effective FLOP/s of one accelerator: peak x mfu */
    int type_market[DCS_MAX_JOB_TYPES];   /* its index in market.types */
    double type_acq_s[DCS_MAX_JOB_TYPES]; /* its market's acquisition_time, s */
    int cheapest;                         /* job.choose cheapest */
    int switching;                        /* job.switch.policy price_gap, with several types */
    double threshold;                     /* job.switch.threshold */
    double check_s;                       /* job.switch.check_every, s */
    int nbounds;                          /* job.stages: boundaries between stages (stages - 1) */
    double bound_s[DCS_MAX_STAGES];       /* work (s of failure-free compute) at the end of each
                                             stage but the last, increasing */
} dcs_run_cfg;

/* What one replication measured. */
typedef struct dcs_run_result {
    int completed;                          /* 1 if the job finished before max_time */
    int acquired;                           /* 1 if the job's capacity was there (at once, or
                                               after an acquisition wait) before max_time */
    double makespan_s;                      /* start to finish (or max_time), s */
    double cat_s[DCS_ACC_NCAT];             /* job wall time per category, s */
    uint64_t n_fail[DCS_MAX_FAILURE_CLS];   /* failures per class that hit the job or its nodes */
    uint64_t n_interruptions;               /* failures that stopped a computing,
                                               checkpointing or restarting job */
    uint64_t n_checkpoints;                 /* persistent checkpoints completed */
    uint64_t n_mem_checkpoints;             /* in-memory checkpoints completed */
    uint64_t n_ckpt_lost;                   /* checkpoints begun but never completed */
    uint64_t n_mem_restores;                /* restarts from an in-memory checkpoint */
    double ckpt_byte_s;                     /* retained persistent checkpoints: bytes x s */
    double e_it_j;                          /* IT energy: job nodes and spares, J */
    double e_cool_j;                        /* cooling and facility energy, J */
    double cost_it_usd;                     /* electricity for the IT energy, USD */
    double cost_cool_usd;                   /* electricity for cooling and facility, USD */
    double co2_kg;                          /* emissions of all the energy, kg CO2e */
    double peak_w;                          /* highest facility power, W */
    double throttled_s;                     /* computing wall time x (1 - throttle), s */
    int64_t min_cooling_units;              /* fewest cooling units working */
    int64_t min_nodes_seen;                 /* fewest nodes the job ran on (shrink) */
    uint64_t n_restarts;                    /* restarts begun */
    int64_t min_spares_free;                /* fewest spare nodes free at any time */
    double spare_empty_s;                   /* time no spare node was free, from the start
                                               (capacity held) to the end, s */
    double first_interrupt_s;               /* time of the first interruption, s (NAN: none) */
    uint64_t repair_queue_peak;             /* most repairs waiting for capacity at once */
    double downtime_s[DCS_MAX_FAILURE_CLS]; /* job down (detection to restart done) per
                                               class that caused it, s */
    double lost_s[DCS_MAX_FAILURE_CLS];     /* compute thrown away per class, s */
    uint64_t events;                        /* events dispatched */
    double acquisition_wait_s;              /* waiting for capacity before the start, s */
    double cost_hourly_usd;                 /* accelerator-hours billed by the hour x price */
    double price_start_usd;                 /* the accelerator-hour price at t = 0 */
    double purchase_start_usd;              /* the accelerator purchase price at t = 0 */
    double label_factor;                    /* this replication's draw of the price per label
                                               / its mean (1 without uncertainty) */
    dcs_ledger ledger;                      /* the costs (the final hook prices them) */
    uint64_t n_switches;                    /* moves to another type mid-run */
    int64_t type_start;                     /* the type acquired first (job.accelerators) */
    double type_held_s[DCS_MAX_JOB_TYPES];  /* capacity of each type held, s */
    double type_hourly_usd[DCS_MAX_JOB_TYPES]; /* billed by the hour on each type, USD */
    /* Stage k (< nbounds) ends when the job's work passes bound_s[k] for the
     * last time (a rollback below it makes a later pass count); the time
     * at the end of the run where it never did. The last stage ends at the
     * makespan with the ledger's total. */
    double stage_end_s[DCS_MAX_STAGES];      /* when stage k ended, s */
    double stage_end_usd[DCS_MAX_STAGES];    /* the ledger's total then, USD */
    double stage_end_held_s[DCS_MAX_STAGES]; /* capacity held by then, s */
} dcs_run_result;

/* What the job is doing now, for time series; read without changing the
 * replication. */
typedef struct dcs_run_probe {
    double progress; /* work done (saved or not) / work, in [0, 1] */
    double working;  /* accelerators computing now */
    double it_w;     /* IT power now, W (0 without a power section) */
    double cool_w;   /* cooling and facility power now, W */
    double price;    /* accelerator-hour price now, USD */
    double cost_usd; /* cost so far: the ledger's total at this time */
} dcs_run_probe;

/* The model's method table; config is a const dcs_run_cfg *. */
extern const dcs_model dcs_run_model;

/* The most nodes (job or spare) the model holds: each node may have four
 * events pending at once (a detection, a swap, a slow-node check and its
 * repair), and the engine's queue holds 2^24 - 1 (DCS_QUEUE_MAX_PENDING). */
#define DCS_RUN_MAX_NODES 4194303
/* The most accelerators per node: far above any server (8 in an HGX
 * board, 72 in an NVL72 rack taken as one node). */
#define DCS_RUN_MAX_ACCELS_PER_NODE 65536
/* The most failure clocks (units of every class together): unit and
 * repair indices are 32-bit, with a bit to spare. */
#define DCS_RUN_MAX_CLOCKS (UINT32_MAX / 2)

/* Derives rc from sc (which must stay alive). Returns 0, or DCS_EINPUT when
 * the scenario cannot run (e.g. a zero checkpoint interval, more than the
 * model holds), with err's key naming the scenario key at fault. */
int dcs_run_cfg_init(dcs_run_cfg *rc, const dcs_scenario *sc, dcs_err *err);

/* The most events the run model can have pending at once in a replication
 * of rc: the failure clocks of the classes not superposed, and per node a
 * detection, a swap, a slow-node check and a repair. */
uint64_t dcs_run_cfg_max_pending(const dcs_run_cfg *rc);

/* The memory one engine's run model takes for rc at most, bytes: its
 * per-node and per-clock arrays and the engine queue at
 * dcs_run_cfg_max_pending events. */
double dcs_run_cfg_bytes(const dcs_run_cfg *rc);

/* The model's final hook (dcs_engine_finish, out a dcs_run_result)
 * copies the finished replication's measurements into out. */

/* Fills p with the values at the engine's current time. */
void dcs_run_peek(dcs_engine *eng, dcs_run_probe *p);

#endif /* DCSIM_MODELS_RUN_H */
