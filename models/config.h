/*
 * config.h - the validated description of one scenario, as the models use it.
 *
 * scenarios/ turns a YAML file into this struct (checking every key, type,
 * unit and range, with file:line:column errors); models/ only reads it. All
 * quantities are in SI base units as the engine uses them: durations in
 * seconds, power in watts, data in bytes, bandwidth in bytes per second,
 * money in US dollars. The YAML keys that fill each field are named in the
 * field comments; README.md's scenario reference documents them for users.
 *
 * The struct owns no heap memory: strings are fixed-size arrays and the
 * hourly CSV series are immutable arrays shared by every load of the same
 * file (scenarios/series.h), so a scenario can be copied by value.
 */
#ifndef DCSIM_MODELS_CONFIG_H
#define DCSIM_MODELS_CONFIG_H

#ifndef DCS_LAYER_MODELS
#error "models/ is not visible from sim/"
#endif

#include <stdbool.h>
#include <stdint.h>

#define DCS_NAME_MAX        64  /* identifiers: scenario, class and catalog names */
#define DCS_TEXT_MAX        512 /* free text: descriptions, sources */
#define DCS_MAX_FAILURE_CLS 32  /* failure classes per scenario */

/* Probability distributions of durations. `mean_s` is always the mean. */
typedef enum {
    DCS_DIST_FIXED = 0,       /* always mean_s */
    DCS_DIST_EXPONENTIAL = 1, /* memoryless, mean mean_s */
    DCS_DIST_WEIBULL = 2,     /* shape `shape` (k); scale chosen so the mean is mean_s */
    DCS_DIST_LOGNORMAL = 3    /* log-sd `shape` (sigma); mu chosen so the mean is mean_s */
} dcs_dist_kind;

typedef struct dcs_dist {
    dcs_dist_kind kind;
    double mean_s; /* mean duration, s (> 0, or 0 for FIXED meaning "instant") */
    double shape;  /* Weibull k (> 0) or lognormal sigma (> 0); unused otherwise */
} dcs_dist;

/* What one failure takes down. */
typedef enum {
    DCS_SCOPE_ACCELERATOR = 0, /* one unit per accelerator; takes its node out of service */
    DCS_SCOPE_NODE = 1,        /* one unit per node (host); takes the node out of service */
    DCS_SCOPE_JOB = 2,         /* one unit for the whole job (software): restart only */
    DCS_SCOPE_HBM = 3,         /* accelerator memory: one unit per accelerator, like accelerator */
    DCS_SCOPE_SWITCH = 4,      /* one unit per leaf switch; takes every node below it out */
    DCS_SCOPE_STORAGE = 5,     /* the shared storage: one unit; restart only */
    DCS_SCOPE_MAINTENANCE = 6, /* planned maintenance of the whole cluster, on a schedule */
    DCS_SCOPE_COOLING = 7      /* one unit per cooling unit: capacity lost until repaired */
} dcs_scope;

/* What a failure of a class does to the job. */
typedef enum {
    DCS_ACTION_SWAP = 0,    /* the failed hardware leaves service: spare swap, repair */
    DCS_ACTION_RESTART = 1, /* the job restarts on the same hardware (reset, software) */
    DCS_ACTION_SLOW = 2,    /* fail-slow: the unit runs at `speed` until found and swapped */
    DCS_ACTION_PLANNED = 3  /* planned maintenance: save, stop for the window, restart */
} dcs_action;

/* What the job does when a failed node finds no free spare. */
typedef enum {
    DCS_NO_SPARE_WAIT = 0,  /* wait for a repaired node */
    DCS_NO_SPARE_SHRINK = 1 /* go on without it, slower, down to cluster.min_nodes */
} dcs_no_spare;

typedef enum {
    DCS_CKPT_BLOCKING = 0, /* the job stops while the checkpoint is written */
    DCS_CKPT_ASYNC = 1     /* a short snapshot stall, then a background write */
} dcs_ckpt_mode;

typedef enum {
    DCS_CKPT_NONE = 0,  /* never checkpoint: a failure restarts from the beginning */
    DCS_CKPT_FIXED = 1, /* every `interval_s` of compute */
    DCS_CKPT_YOUNG = 2, /* tau = sqrt(2 delta M) (Young 1974) */
    DCS_CKPT_DALY = 3   /* Daly 2006 higher-order optimum */
} dcs_ckpt_policy;

/* One accelerator model. Values are NAN where no public figure was found. */
typedef struct dcs_accel {
    char key[DCS_NAME_MAX];    /* catalog key, e.g. "H100-SXM-80GB" */
    char name[DCS_NAME_MAX];   /* display name */
    double peak_flops;         /* dense BF16/FP16 tensor FLOP/s */
    double memory_bytes;       /* accelerator memory, bytes */
    double tdp_w;              /* thermal design power, W */
    double purchase_usd;       /* typical purchase price per accelerator, USD */
    double rental_usd_per_h;   /* typical rental price per accelerator-hour, USD */
    char source[DCS_TEXT_MAX]; /* where the figures come from */
} dcs_accel;

/* A scenario's own catalog (`catalog:`, a file or a section): accelerators
 * added to the built-in ones, each figure with its own source. */
#define DCS_MAX_USER_ACCELS 8 /* entries of a user catalog: a planner adds a few parts */
#define DCS_ACCEL_FIGURES   5 /* peak_flops, memory, tdp, purchase_usd, rental_usd_per_hour */

/* The numeric format an entry's peak_flops counts. */
typedef enum { DCS_FORMAT_BF16 = 0, DCS_FORMAT_FP16 = 1 } dcs_num_format;

typedef struct dcs_user_accel {
    dcs_accel accel;       /* catalog.accelerators[i]: key, name and figures (NAN: "n/a");
                              accel.source joins the figures' sources for display */
    dcs_num_format format; /* catalog.accelerators[i].format */
    char sources[DCS_ACCEL_FIGURES][DCS_TEXT_MAX]; /* catalog.accelerators[i].sources.<figure>,
                                                      in the order of DCS_ACCEL_FIGURES */
} dcs_user_accel;

typedef struct dcs_user_catalog {
    int naccels; /* entries, 0..DCS_MAX_USER_ACCELS */
    dcs_user_accel accels[DCS_MAX_USER_ACCELS];
} dcs_user_catalog;

typedef struct dcs_cluster_cfg {
    dcs_accel accel;              /* cluster.accelerator (catalog key) with overrides */
    int64_t nodes;                /* cluster.nodes: nodes the job runs on (>= 1) */
    int64_t accels_per_node;      /* cluster.accelerators_per_node (>= 1, default 8) */
    int64_t spare_nodes;          /* cluster.spare_nodes (>= 0, default 0) */
    double price_usd_per_accel_h; /* cluster.price_usd_per_accelerator_hour
                                     (default: the catalog rental price) */
    bool bill_spares;             /* cluster.bill_spares: spares are rented too (default true) */
    double swap_s;                /* cluster.swap_time: put a spare node in place (default 10min) */
    int64_t nodes_per_switch;     /* cluster.nodes_per_switch: nodes below one leaf switch
                                     (default 0: no switch topology); must divide nodes */
    int64_t repair_capacity;      /* cluster.repair_capacity: repairs in progress at once
                                     (technicians, RMA slots); 0 = unlimited (default) */
    dcs_no_spare on_no_spare;     /* cluster.on_no_spare: wait | shrink (default wait) */
    int64_t min_nodes;            /* cluster.min_nodes: fewest nodes a shrunk job runs on
                                     (default 1; only with on_no_spare shrink) */
} dcs_cluster_cfg;

/* What the job trains, which sets its FLOPs rule (docs/scenarios.md). */
typedef enum {
    DCS_JOB_PRETRAINING = 0, /* 6 N D */
    DCS_JOB_FINE_TUNING = 1, /* full supervised fine-tuning: 6 N D x epochs */
    DCS_JOB_CONTINUED = 2,   /* continued (unsupervised) pre-training: 6 N D x epochs */
    DCS_JOB_ADAPTER = 3,     /* adapters (LoRA): (4 + 2 f) N D x epochs */
    DCS_JOB_VISION = 4       /* transfer learning: flops_per_image x images x epochs */
} dcs_job_kind;

#define DCS_MAX_JOB_TYPES 8 /* job.accelerators: at most the market's types */
#define DCS_MAX_STAGES    8 /* job stages (pre-training, context extension, post-training, ...) */

/* One stage of a job given in stages. Its work is FLOPs (from tokens or
 * given) at the stage's MFU, or failure-free accelerator-hours. */
typedef struct dcs_stage_cfg {
    char name[DCS_NAME_MAX]; /* job.stages[i].name */
    double tokens;           /* job.stages[i].tokens (0 when not given) */
    double flops;            /* FLOPs of the stage: from tokens, or job.stages[i].flops; 0 when
                                given in accelerator-hours */
    double accel_hours;      /* job.stages[i].accelerator_hours: failure-free accelerator-hours
                                on the cluster (0 when given in FLOPs) */
    double mfu;              /* job.stages[i].mfu (default job.mfu) */
} dcs_stage_cfg;

/* One accelerator type a job can run on (job.accelerators[i]). */
typedef struct dcs_job_type_cfg {
    char accel[DCS_NAME_MAX]; /* job.accelerators[i].type: a catalog key, in the market */
    double mfu;               /* job.accelerators[i].mfu: the job's MFU on it */
    int64_t accels_per_node;  /* job.accelerators[i].accelerators_per_node (default the
                                 cluster's) */
    double peak_flops;        /* the catalog's peak FLOP/s (the cluster's overrides for entry 0) */
    int market_type;          /* its index in market_types (0 without market.types) */
} dcs_job_type_cfg;

/* job.choose: which type a job takes when it acquires capacity. */
typedef enum {
    DCS_CHOOSE_PREFERENCE = 0, /* the first in the list that can be acquired */
    DCS_CHOOSE_CHEAPEST = 1    /* the lowest price per effective FLOP now */
} dcs_choose;

/* job.switch.policy. */
typedef enum {
    DCS_SWITCH_NEVER = 0,    /* stay on the type acquired */
    DCS_SWITCH_PRICE_GAP = 1 /* move when another type is cheaper per FLOP by > threshold */
} dcs_switch_policy;

typedef struct dcs_switch_cfg {
    dcs_switch_policy policy; /* job.switch.policy (default never) */
    double threshold;         /* job.switch.threshold: the relative gap, >= 0 (default 0.2) */
    double check_s;           /* job.switch.check_every, s (default market.step) */
} dcs_switch_cfg;

typedef struct dcs_job_cfg {
    dcs_job_kind kind;         /* job.kind (default pretraining) */
    double flops;              /* FLOPs of the whole job (derived; stages in hours add none) */
    double parameters;         /* job.parameters N (count; 0 when flops is given directly) */
    double active_parameters;  /* job.active_parameters: per token, for mixtures of experts
                                  (default parameters) */
    double tokens;             /* job.tokens per epoch (count; 0 when not given) */
    double epochs;             /* job.epochs (default 1) */
    double trainable_fraction; /* job.trainable_fraction f of an adapter job, (0, 1] (1 for
                                  other kinds) */
    double images;             /* job.images (vision) */
    double flops_per_image;    /* job.flops_per_image: training FLOPs per image (vision) */
    double mfu;                /* job.mfu: model FLOPs utilisation, (0, 1] */
    int64_t shard_accels;      /* job.memory.sharded_over: accelerators the training state is
                                  divided over (0: all the job's, as FSDP or ZeRO-3 do) */
    double activation_bytes;   /* job.memory.activations: memory per accelerator set aside for
                                  activations and buffers, bytes (default 0) */
    bool offload;              /* job.memory.offload: state that does not fit is offloaded to
                                  host memory: a warning, not an error (default false) */
    int nstages;               /* job.stages: 0 for a one-stage job */
    dcs_stage_cfg stages[DCS_MAX_STAGES];
    int ntypes; /* job.accelerators: 0 when not given (the cluster's type) */
    dcs_job_type_cfg types[DCS_MAX_JOB_TYPES];
    dcs_choose choose; /* job.choose (default preference) */
    dcs_switch_cfg sw; /* job.switch */
} dcs_job_cfg;

typedef struct dcs_ckpt_cfg {
    dcs_ckpt_policy policy;  /* checkpoint.policy: none | fixed | young | daly (default daly) */
    double interval_s;       /* checkpoint.interval: compute time between checkpoints
                                (required for fixed, ignored otherwise) */
    double size_bytes;       /* checkpoint.size, or parameters * bytes_per_parameter */
    double bytes_per_param;  /* checkpoint.bytes_per_parameter (default 16) */
    double write_bps;        /* checkpoint.write_bandwidth, bytes/s */
    double read_bps;         /* checkpoint.read_bandwidth, bytes/s (default: write) */
    double write_overhead_s; /* checkpoint.overhead: fixed cost per write (default 0s) */
    bool final;              /* checkpoint.final: save the finished model (default true) */
    dcs_ckpt_mode mode;      /* checkpoint.mode: blocking | async (default blocking) */
    double snapshot_s;       /* checkpoint.snapshot_time: the stall of an async checkpoint */
    int64_t retain;          /* checkpoint.retain: persistent checkpoints kept (default 1) */
    /* checkpoint.memory: a cheap level in host or partner memory; off when
     * mem_interval_s is 0. It survives restart-only failures and the loss
     * of one node, not more. */
    double mem_interval_s; /* checkpoint.memory.interval: compute time between them */
    double mem_write_bps;  /* checkpoint.memory.write_bandwidth, bytes/s (0: size is free) */
    double mem_read_bps;   /* checkpoint.memory.read_bandwidth (default: write), bytes/s */
    double mem_overhead_s; /* checkpoint.memory.overhead: fixed cost per write (default 0s) */
} dcs_ckpt_cfg;

typedef struct dcs_restart_cfg {
    double overhead_s; /* restart.overhead: rescheduling, before the checkpoint read
                          (default 5min) */
    double warmup_s;   /* restart.warmup: after the read, before progress resumes
                          (default 0s) */
} dcs_restart_cfg;

typedef struct dcs_failure_cfg {
    char name[DCS_NAME_MAX];   /* failures[i].name: unique, [a-z0-9_] */
    dcs_scope scope;           /* failures[i].scope: accelerator | hbm | node | switch |
                                  job | storage */
    dcs_action action;         /* failures[i].action: swap | restart (default: swap for
                                  hardware scopes, restart for job and storage) */
    dcs_dist ttf;              /* failures[i].distribution + mtbf (or annual_failure_rate,
                                  failures_per_1000_unit_days, share of failure_total) +
                                  shape: time to failure per unit; for maintenance,
                                  failures[i].every (fixed) */
    double detect_s;           /* failures[i].detection: from failure to the job noticing */
    dcs_dist repair;           /* failures[i].repair_time + repair_distribution +
                                  repair_shape: node repair (hardware scopes); for
                                  maintenance, failures[i].duration (fixed) */
    double speed;              /* failures[i].speed: action slow: the fraction of full speed
                                  a slow unit runs at, (0, 1) */
    double first_s;            /* failures[i].first: scope maintenance: first window, s */
    double share;              /* failures[i].share: this class's share of failure_total (its
                                  ttf.mean_s derived from it), 0: a rate of its own */
    char source[DCS_TEXT_MAX]; /* failures[i].source: where the rate comes from */
} dcs_failure_cfg;

/* failure_total: the job's interruption rate the classes given as a share
 * divide among them, in the form it was given (one of the two is 0). */
typedef struct dcs_failure_total_cfg {
    double per_day;            /* failure_total.interruptions_per_day */
    double mtti_s;             /* failure_total.mtti */
    char source[DCS_TEXT_MAX]; /* failure_total.source */
} dcs_failure_total_cfg;

#define DCS_SERIES_MAX 8784 /* hourly values of a leap year: weather and carbon CSV series */
#define DCS_TOU_MAX    16   /* time-of-use windows */

/* IT power by state, per accelerator including its share of the node
 * (CPU, memory, network). power.* keys; off when `on` is false. */
typedef struct dcs_power_cfg {
    bool on;              /* a power section is given */
    double training_w;    /* power.training: while computing, W per accelerator */
    double ckpt_w;        /* power.checkpointing (fraction of training), W */
    double restart_w;     /* power.restarting (fraction of training), W */
    double idle_w;        /* power.idle (fraction of training): waiting, maintenance, spares, W */
    double step_s;        /* power.step: weather, price and carbon step (default 1h) */
    double wue_l_per_kwh; /* power.wue: water per kWh of IT energy, L/kWh (0: not reported) */
    double server_ratio;  /* power.server_to_chip_ratio: server power per chip TDP (given, or
                             the catalog's; what training's default derives from) */
} dcs_power_cfg;

typedef enum { DCS_COOL_PUE = 0, DCS_COOL_COP = 1 } dcs_cool_model;

/* Cooling: a constant PUE, or a chiller whose COP falls as the outdoor
 * temperature rises, with free cooling below a threshold; and a finite
 * capacity of units. cooling.* keys. */
typedef struct dcs_cooling_cfg {
    dcs_cool_model model; /* cooling.model: pue | cop (default pue) */
    double pue;           /* cooling.pue (>= 1, default 1.25 with model pue; 0 with cop) */
    double eta;           /* cooling.chiller_efficiency: fraction of Carnot (default 0.4) */
    double supply_c;      /* cooling.supply_temperature, C (default 18) */
    double approach_k;    /* cooling.approach: condenser above outdoor, K (default 5) */
    double free_below_c;  /* cooling.free_cooling_below, C (default 13) */
    double free_fraction; /* cooling.free_cooling_fraction: fans and pumps per W of IT
                             (economizer alone below free_below_c; with the chiller above) */
    double facility_frac; /* cooling.facility_overhead: UPS, lighting, per W of IT */
    int64_t units;        /* cooling.units: 0 = unlimited capacity */
    double unit_w;        /* cooling.unit_capacity: heat one unit removes at design, W */
    double design_c;      /* cooling.design_temperature, C */
    double derate_per_k;  /* cooling.derate_per_kelvin: capacity lost per K above design */
} dcs_cooling_cfg;

/* Outdoor temperature: mean + seasonal + daily cycle + Ornstein-Uhlenbeck
 * noise, or an hourly CSV series. weather.* keys. */
typedef struct dcs_weather_cfg {
    double mean_c;       /* weather.mean, C (default 15) */
    double seasonal_k;   /* weather.seasonal_amplitude, K */
    double daily_k;      /* weather.daily_amplitude, K */
    double hottest_day;  /* weather.hottest_day: day of year of the seasonal peak (default 200) */
    double hottest_hour; /* weather.hottest_hour: hour of the daily peak (default 15) */
    double noise_k;      /* weather.noise_sd: stationary sd of the noise, K */
    double noise_tau_s;  /* weather.noise_timescale: its correlation time, s */
    int nseries;         /* hours in weather.csv, 0 when none */
    /* weather.csv: temperature per hour from the start, C, [nseries]; immutable, shared by
     * every load of the same file (scenarios/series.h) */
    const double *series;
    char csv[DCS_TEXT_MAX]; /* the CSV file as opened */
} dcs_weather_cfg;

typedef enum { DCS_PRICE_FLAT = 0, DCS_PRICE_TOU = 1, DCS_PRICE_STOCHASTIC = 2 } dcs_price_model;

typedef struct dcs_tou_cfg {
    int from_h, to_h; /* hours of day [from, to) */
    int days;         /* bit d set: applies on weekday d (0 = Sunday) */
    double usd_per_kwh;
} dcs_tou_cfg;

/* Electricity price. electricity.* keys. */
typedef struct dcs_elec_cfg {
    dcs_price_model model; /* electricity.model: flat | tou | stochastic */
    double usd_per_kwh;    /* electricity.usd_per_kwh: flat price, tou base, stochastic mean */
    int ntou;
    dcs_tou_cfg tou[DCS_TOU_MAX]; /* electricity.tou */
    double seasonal;              /* electricity.seasonal_amplitude: relative (stochastic) */
    double peak_day;              /* electricity.peak_day: day of year of the seasonal peak */
    double noise_sd;              /* electricity.noise_sd: stationary sd of the log price */
    double noise_tau_s;           /* electricity.noise_timescale, s */
} dcs_elec_cfg;

/* Carbon intensity of the grid, kg CO2e per kWh. carbon.* keys. */
typedef struct dcs_carbon_cfg {
    double kg_per_kwh; /* carbon.kg_per_kwh: constant (default 0.429) */
    int nhourly;       /* 24 when carbon.hourly is given */
    double hourly[24]; /* carbon.hourly: by hour of day */
    int nseries;       /* hours in carbon.csv */
    /* carbon.csv: kg CO2e/kWh per hour, [nseries]; immutable and shared (scenarios/series.h) */
    const double *series;
    char csv[DCS_TEXT_MAX]; /* the CSV file as opened */
} dcs_carbon_cfg;

/* ---- money: the accelerator market, procurement and the cost ledger ---- */

typedef enum {
    DCS_SHOCK_SUPPLY = 0,       /* the supply available to this market (an export ban) */
    DCS_SHOCK_DEMAND = 1,       /* demand (a sudden surge) */
    DCS_SHOCK_MANUFACTURING = 2 /* manufacturing capacity for new orders (a fab outage) */
} dcs_shock_target;

/* What market.jump_target multiplies. */
typedef enum {
    DCS_JUMP_DEMAND = 0, /* demand (news: a model launch, a buyer leaving) */
    DCS_JUMP_SUPPLY = 1, /* the supply available to the market */
    DCS_JUMP_PRICE = 2   /* the price itself */
} dcs_jump_target;

#define DCS_MAX_SHOCKS 8

/* A multiplier on one market quantity: 1 before start_s, ramping linearly
 * to `factor` over ramp_s, held for duration_s, ramping back to 1 over
 * ramp_s. market.shocks[i] keys. */
typedef struct dcs_shock_cfg {
    dcs_shock_target target; /* target */
    double factor;           /* factor (>= 0) */
    double start_s;          /* start: a date or a time after simulation.start, s from the start
                                of the run (may be negative: a shock under way) */
    double ramp_s;           /* ramp (default 0s) */
    double duration_s;       /* duration at full strength (default: for ever) */
    uint32_t types;          /* types: the market types it hits, a bit per index in
                                market_types (default: all of them) */
} dcs_shock_cfg;

/* The default price cap, as a multiple of the reference price: the
 * hyperscaler on-demand list price, which a buyer can always pay, stood at
 * 4.1-5.0 x the neocloud market price of the same month (2025-03: AWS p5
 * $12.29 per H100-hour against RunPod $2.99 and Cudo $2.45, Epoch AI's
 * hardware price data, shared refs 5 and 6.1); the 2023 peak, "> $8/h,
 * some hyperscaler on-demand > $12" (Latent Space), is within 5 x the 2024
 * price of $2.85 (ibid.). */
#define DCS_MARKET_CAP_MULTIPLE 5.0

/* A market for accelerator-hours of the cluster's accelerator (market.*):
 * demand D with drift and mean-reverting noise, installed supply S fed by
 * orders that arrive after a lead time, capped by a manufacturing capacity;
 * clearing price P = P_ref (D / S)^(1 / elasticity), between a floor and a
 * cap. Off when `on` is false: the price is then fixed. */
typedef struct dcs_market_cfg {
    bool on;                  /* a market section is given */
    double step_s;            /* market.step (default 1d) */
    double ref_price;         /* market.reference_price_usd_per_hour: P at D = S (default the
                                 cluster's price) */
    double floor_price;       /* market.price_floor_usd_per_hour (default 0) */
    double cap_price;         /* market.price_cap_usd_per_hour (default DCS_MARKET_CAP_MULTIPLE
                                 x ref_price) */
    double elasticity;        /* market.elasticity: price elasticity of demand (> 0) */
    double balance;           /* market.initial_balance: S / D at the start (default 1) */
    double demand_growth;     /* market.demand_growth: log-demand drift, per year */
    double demand_sd;         /* market.demand_noise_sd: stationary sd of log-demand noise */
    double demand_tau_s;      /* market.demand_noise_timescale, s */
    double lead_mean_s;       /* market.lead_time: mean delay from order to supply, s */
    double lead_sd_s;         /* market.lead_time_sd: its sd, s (lognormal; 0: fixed) */
    double response;          /* market.supply_response: order target x (P / P_ref)^response */
    double capacity;          /* market.manufacturing_capacity: new supply per year that can be
                                 ordered, as a fraction of the initial supply */
    double capacity_growth;   /* market.capacity_growth: its log growth per year */
    double retirement;        /* market.retirement: fraction of supply retired per year */
    double ref_purchase;      /* market.reference_purchase_usd: accelerator price at P_ref
                                 (default the catalog's purchase price) */
    double purchase_response; /* market.purchase_response: purchase = ref x (P / P_ref)^this */
    double acquisition_s;     /* market.acquisition_time: mean wait for capacity at a shortage
                                 of one half (see docs); 0: capacity is always there */
    double replace_s;         /* market.replacement_time: the same for one node replacing a
                                 failed one when no spare is free (default acquisition_s /
                                 cluster.nodes) */
    double jump_rate;         /* market.jump_rate: random jumps per year (compound Poisson) */
    int jump_target;          /* market.jump_target: what a jump multiplies (dcs_jump_target) */
    double jump_log_mean;     /* market.jump_log_mean: mean of ln J, J a jump's size */
    double jump_log_sd;       /* market.jump_log_sd: sd of ln J */
    double start_price;       /* market.start_price_usd_per_hour: P at t = 0 (0: the state's) */
    int nshocks;
    dcs_shock_cfg shocks[DCS_MAX_SHOCKS];
} dcs_market_cfg;

/* Several linked markets (market.types): one per accelerator type, each
 * with the keys of a single market, and demand that moves between them as
 * their prices per effective FLOP part (market.h gives the equations). */
#define DCS_MAX_MARKET_TYPES 8

/* Catalog entries that may be market types, each with two random streams
 * of its own (models/streams.h): the built-in catalog's (about twenty),
 * numbered from 0, and a scenario's own, numbered from the top down. */
#define DCS_MARKET_TYPE_STREAMS 32

typedef struct dcs_market_type_cfg {
    char accel[DCS_NAME_MAX]; /* market.types[i].accelerator: a catalog key (the cluster's
                                 without market.types) */
    double mfu;               /* market.types[i].mfu: the MFU a job reaches on it, which turns
                                 the catalog's peak into effective FLOP/s (default 1) */
    double demand_units;      /* market.types[i].demand_units: accelerators its demand index 1
                                 stands for (default 1) */
    double peak_flops;        /* the catalog's peak FLOP/s */
    int catalog_index;        /* its catalog entry (a built-in one's position, or 31 - j for
                                 entry j of the scenario's catalog): sets its random streams */
    dcs_market_cfg m;         /* its market keys (step as market.step; shocks: the market's that
                                 hit it) */
} dcs_market_type_cfg;

/* market.substitution: how demand moves between the types. */
typedef struct dcs_substitution_cfg {
    double elasticity; /* market.substitution.elasticity eta (>= 0; 0: independent markets) */
    double tau_s;      /* market.substitution.timescale: buyers' memory of prices, s */
} dcs_substitution_cfg;

typedef enum {
    DCS_BUY_ON_DEMAND = 0, /* the market price each hour (the fixed price without a market) */
    DCS_BUY_RESERVED = 1,  /* price fixed at signing (the start), discounted, for a term */
    DCS_BUY_OWNED = 2,     /* bought at the start, amortized over a lifetime, plus hosting */
    DCS_BUY_MIXED = 3      /* a reserved base, the rest on demand */
} dcs_buy_mode;

/* procurement.* keys. */
typedef struct dcs_procurement_cfg {
    dcs_buy_mode mode;            /* procurement.mode (default on_demand) */
    int64_t reserved_accels;      /* procurement.reserved_accelerators: mixed: the reserved base */
    double discount;              /* procurement.discount: reserved price = (1 - d) x price at
                                     signing */
    double term_s;                /* procurement.term: the reservation's length, s */
    double lifetime_s;            /* procurement.lifetime: owned hardware's amortization, s */
    double residual;              /* procurement.residual: share of the purchase price left at the
                                     end of the lifetime */
    double hosting_usd_per_h;     /* procurement.hosting_usd_per_accelerator_hour: owned */
    double purchase_usd;          /* procurement.purchase_usd: owned, per accelerator (default the
                                     market's purchase price at the start, or the catalog's) */
    bool energy_included;         /* procurement.energy_included: the rental price includes
                                     electricity (default true when rented, false when owned) */
    double depreciation_per_year; /* procurement.depreciation_per_year: owned, Epoch AI's
                                     amortization: the share of the purchase price written off
                                     per year held (0: the lifetime and residual instead) */
    double interconnect_share;    /* procurement.interconnect_share: owned, the cluster-level
                                     network's share of the whole hardware cost, [0, 1): the
                                     amortized accelerators are divided by (1 - share) */
} dcs_procurement_cfg;

/* costs.* keys: everything but compute, energy and cooling. Software licences
 * and data processing are lines of their own (DESIGN.md's ledger, extended). */
typedef struct dcs_costs_cfg {
    double storage_usd_per_tb_month; /* costs.storage_usd_per_tb_month: checkpoints and data */
    double energy_usd_per_accel_h;   /* costs.energy_usd_per_accelerator_hour: a flat energy
                                        figure when there is no power section */
    double data_usd;                 /* costs.data.acquisition_usd */
    double labels;                   /* costs.data.labels */
    double usd_per_label;            /* costs.data.usd_per_label: mean */
    double label_sd;                 /* costs.data.usd_per_label_sd: relative sd (lognormal) */
    double data_bytes;               /* costs.data.storage: the dataset kept for the run, bytes */
    double team;                     /* costs.staff.team_size */
    double usd_per_person_year;      /* costs.staff.loaded_usd_per_year */
    double research_usd;             /* costs.staff.research_usd: fixed effort */
    double processed_bytes;          /* costs.processing.data: data read by the processing
                                        pipeline (filtering, deduplication, tokenizing), bytes */
    double processing_usd_per_tb;    /* costs.processing.usd_per_tb: its price per TB */
    double licence_seats;            /* costs.licences.seats */
    double usd_per_seat_year;        /* costs.licences.usd_per_seat_year: per seat, pro rata */
    double licence_usd_per_accel_h;  /* costs.licences.usd_per_accelerator_hour: per
                                        accelerator-hour held */
    double other_usd;                /* costs.other_usd */
} dcs_costs_cfg;

typedef struct dcs_targets_cfg {
    double budget_usd; /* targets.budget_usd: 0 when unset */
    double deadline_s; /* targets.deadline: 0 when unset */
} dcs_targets_cfg;

/* How a replication is simulated: both give the same law (tests hold them
 * against each other); reference is the slow, literal one. */
typedef enum {
    DCS_ENGINE_FAST = 0,     /* one failure clock per exponential class (superposed) */
    DCS_ENGINE_REFERENCE = 1 /* one failure clock per unit, as the model reads */
} dcs_engine_mode;

typedef struct dcs_sim_cfg {
    uint64_t seed;          /* simulation.seed (default 1; --seed overrides) */
    int64_t replications;   /* simulation.replications (default 100; -n overrides) */
    double max_time_s;      /* simulation.max_time: give up on a replication after
                               this much simulated time (default 20y) */
    double start_s;         /* simulation.start: the run's start, s since 1970-01-01T00:00
                               UTC (default 2025-01-01T00:00) */
    dcs_engine_mode engine; /* simulation.engine (default fast) */
    bool allow_no_progress; /* simulation.allow_no_progress: run a job that can never
                               finish (default false: refused before running) */
} dcs_sim_cfg;

/* Uncertain inputs (docs/scenarios.md "Distributions"): a key given as
 * {dist: KIND, ...} draws its own value in each replication. */
#define DCS_MAX_UNCERTAIN   16  /* uncertain keys per scenario */
#define DCS_UNC_MAX_VALUES  512 /* values of an empirical distribution */
#define DCS_UNC_MAX_CHOICES 16  /* values of a choice */
#define DCS_UNC_TEXT_MAX    48  /* a choice's value as written */

typedef enum {
    DCS_UD_FIXED = 0,      /* a: the value */
    DCS_UD_UNIFORM = 1,    /* a: min, c: max */
    DCS_UD_TRIANGULAR = 2, /* a: min, b: mode, c: max */
    DCS_UD_PERT = 3,       /* a: min, b: mode, c: max (Beta with 4 as the weight of the mode) */
    DCS_UD_NORMAL = 4,     /* a: mean, b: sd; truncated to [lo, hi] */
    DCS_UD_LOGNORMAL = 5,  /* by `form`: a: mean, b: sd; or a: median, b: p95 / p05
                              (of the lognormal before truncation to [lo, hi]) */
    DCS_UD_CHOICE = 6,     /* values[i] with weights[i] */
    DCS_UD_EMPIRICAL = 7,  /* values[i], each with probability 1/n */
    DCS_UD_NKINDS
} dcs_ud_kind;

/* How a lognormal was given. */
typedef enum { DCS_LN_MEAN_SD = 0, DCS_LN_MEDIAN_P95 = 1, DCS_LN_MEDIAN_P05 = 2 } dcs_ln_form;

/* A distribution of one input, its parameters in SI units as given. */
typedef struct dcs_udist {
    dcs_ud_kind kind;
    dcs_ln_form form; /* DCS_UD_LOGNORMAL */
    double a, b, c;   /* see dcs_ud_kind */
    double lo, hi;    /* normal, lognormal: the key's range they are truncated to (may be
                         infinite) */
    int nvalues;      /* DCS_UD_CHOICE, DCS_UD_EMPIRICAL */
    double values[DCS_UNC_MAX_VALUES];   /* SI; a choice among texts: 0, 1, ... */
    double weights[DCS_UNC_MAX_CHOICES]; /* DCS_UD_CHOICE: as given, >= 0, not all 0 */
} dcs_udist;

/* One uncertain input of a scenario. */
typedef struct dcs_uncertain {
    char path[128]; /* the key path, "failures[0].mtbf" */
    char unit[16];  /* the SI unit of value ("" for a plain number) */
    bool text;      /* a choice among texts (a catalog key, a name): value is the index */
    bool set;       /* the file gives a distribution, an override a plain value: value is it */
    dcs_udist d;
    char texts[DCS_UNC_MAX_CHOICES][DCS_UNC_TEXT_MAX]; /* DCS_UD_CHOICE: the values as written */
    double value; /* the value the scenario holds: drawn for a replication, else nominal */
} dcs_uncertain;

/* market.observed: a public monthly price series (scenarios/data/gpu-rental-monthly.csv), read
 * and checked by the loader, not used by the simulation: the hindcast compares the market's paths
 * with it. Rows of accelerators that are not types of the market are checked and left out. */
#define DCS_OBSERVED_MAX 480 /* 40 years of monthly rows of one type, or 5 years of 8 types */
typedef struct dcs_observed {
    int n;                            /* rows kept */
    char csv[DCS_TEXT_MAX];           /* the CSV file as opened */
    int type[DCS_OBSERVED_MAX];       /* index in market_types (0 without market.types) */
    int month[DCS_OBSERVED_MAX];      /* year * 12 + month - 1 */
    double price[DCS_OBSERVED_MAX];   /* USD per accelerator-hour, > 0 */
    bool published[DCS_OBSERVED_MAX]; /* fill = published (else derived or interpolated) */
} dcs_observed;

/* The rank correlation of uncertain inputs (uncertain.correlation): the
 * target Spearman correlation of each pair of the listed keys, imposed by
 * Iman and Conover's method (models/correlation.h). */
typedef struct dcs_correlation {
    int n;                                          /* keys listed; 0: none */
    char keys[DCS_MAX_UNCERTAIN][128];              /* their key paths */
    double m[DCS_MAX_UNCERTAIN][DCS_MAX_UNCERTAIN]; /* symmetric, unit diagonal, PSD */
} dcs_correlation;

typedef struct dcs_scenario {
    char name[DCS_NAME_MAX];        /* name */
    char description[DCS_TEXT_MAX]; /* description */
    char sources[2048];             /* sources: where the numbers come from (a string or a
                                       list of strings, kept one per line) */
    dcs_user_catalog catalog;       /* catalog: accelerators the scenario adds (a file's,
                                       or its own section's) */
    dcs_cluster_cfg cluster;
    dcs_job_cfg job;
    dcs_ckpt_cfg checkpoint;
    dcs_restart_cfg restart;
    int nfailures; /* number of failure classes, 0..DCS_MAX_FAILURE_CLS */
    dcs_failure_cfg failures[DCS_MAX_FAILURE_CLS];
    dcs_failure_total_cfg failure_total;
    dcs_power_cfg power;
    dcs_cooling_cfg cooling;
    dcs_weather_cfg weather;
    dcs_elec_cfg electricity;
    dcs_carbon_cfg carbon;
    dcs_market_cfg market; /* the job's market: the mapping itself, or, with market.types, a
                              copy of the cluster's accelerator's type (its shocks those that
                              hit it), so that the job's models read it as before */
    int nmarket_types;     /* 1 with a market and no market.types, 0 without a market */
    int market_job_type;   /* the index of the cluster's accelerator in market_types */
    bool market_listed;    /* market.types was given */
    dcs_substitution_cfg substitution;
    dcs_market_type_cfg market_types[DCS_MAX_MARKET_TYPES];
    dcs_observed observed; /* market.observed */
    dcs_procurement_cfg procurement;
    dcs_costs_cfg costs;
    dcs_targets_cfg targets;
    dcs_sim_cfg sim;
    int nuncertain; /* keys given as distributions, in file order */
    dcs_uncertain uncertain[DCS_MAX_UNCERTAIN];
    dcs_correlation correlation; /* uncertain.correlation */
} dcs_scenario;

#endif /* DCSIM_MODELS_CONFIG_H */
