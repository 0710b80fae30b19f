/*
 * run.c - the training-run model's state machine.
 *
 *   RUNNING --segment end--> CHECKPOINTING --done--> RUNNING ... --> DONE
 *      |                          |
 *      +------- failure ----------+--> RECOVERING --detected, slots filled-->
 *                                       RESTARTING --done--> RUNNING
 *
 * Every unit in service has its own failure clock: one pending event, drawn
 * from its class's stream. Units live in nodes (accelerator, HBM and host
 * classes: the job's node "slots"), above them (leaf switches, each over a
 * fixed group of slots) or beside them (the job's software, the storage,
 * planned maintenance). A "swap" failure takes hardware out: a failed
 * node's clocks are cancelled and it goes to repair; a failed switch takes
 * every node below it out until the switch is repaired. After detection a
 * free spare is swapped into each emptied slot (fresh clocks start when it
 * is in place); with none free the slot waits for the next node back from
 * repair, or, with cluster.on_no_spare shrink, is left out ("absent") and
 * the job goes on slower until a repaired node joins it. Repairs run on a
 * finite number of technicians when cluster.repair_capacity is set, and
 * queue when all are busy. A "restart" failure (software, storage, a GPU
 * reset) restarts the job on the same hardware; it counts only when it
 * strikes an active job. A "slow" failure leaves its node in service at a
 * fraction of its speed until it is found (the class's detection time);
 * then it is taken out like a failed node. The job restarts when every
 * failure has been detected, every slot is filled or absent, and no
 * maintenance window is open.
 *
 * Speed: the job progresses at (nodes present / nodes) x the speed of its
 * slowest node; `pos_s` is the work done, in seconds of full-speed compute.
 *
 * Checkpoints: blocking ones stop the job for their write. Asynchronous
 * ones stop it for a snapshot, then write in the background while it
 * computes; a failure before the write completes loses that checkpoint.
 * With an in-memory level, checkpoints come every mem_tau_s of compute and
 * every mem_per_persistent-th one goes to persistent storage; an in-memory
 * checkpoint survives restart-only failures and the loss of one node, not
 * the loss of two or more before the next one.
 *
 * Time accounting: the job's wall time is charged to one category at a
 * time (account() at every state change). Computing time is held in
 * buckets until its fate is known: `u` (since the last checkpoint of any
 * level) and `m` (covered by an in-memory checkpoint, or by an async write
 * still in flight). A persistent checkpoint makes them productive (and the
 * wall time beyond full speed "slowed"); a failure makes them lost. The
 * categories add up to the makespan by construction. The time from an
 * interruption to the end of the restart is charged to the class that
 * caused it (downtime per cause), and so is the lost work. Per event the
 * work is O(log n) in the number of pending clocks, O(units per node) for
 * a node swap, O(classes) for a change of speed.
 */
#include "run.h"

#include "checkpoint.h"
#include "env.h"
#include "ledger.h"
#include "market.h"
#include "rng.h"
#include "streams.h"

#include <gsl/gsl_randist.h>

#include <assert.h>

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Event kinds, then record-only kinds (trace records of moments that are
 * not events of their own). kind_docs below says what each record's unit
 * and value mean. */
enum kind {
    K_FAIL,        /* unit = class, arg = unit index in the class */
    K_DETECT,      /* unit = class, arg = slot, switch (SWITCH_BIT | unit) or NO_SLOT */
    K_SWAP_DONE,   /* arg = slot */
    K_REPAIR_DONE, /* arg = nodes back | switch class << 24 | (switch unit + 1) << 32 */
    K_SEGMENT_END, /* compute reached the next checkpoint or the end of the work */
    K_CKPT_DONE,   /* a blocking write, a snapshot or a maintenance save is done */
    K_RESTART_DONE,
    K_WRITE_DONE, /* an async checkpoint's background write is done */
    K_SLOW_FOUND, /* unit = class, arg = slot | slot generation << 32 */
    K_MAINT_END,  /* unit = class: a maintenance window closes */
    K_ACQUIRE,    /* the capacity asked for at t = 0 (pre_run) is there */
    K_TERM_END,   /* the reservation's term ends: its accelerators are billed by the hour */
    R_CKPT_START,
    R_CKPT_LOST,
    R_STOPPED,
    R_RESTART,
    R_WAIT,
    R_LEFT_OUT,
    R_REJOINED,
    R_REPAIR,
    R_MAINT,
    R_DONE,
    R_ACQUIRED,
    K_SWITCH_CHECK, /* job.switch: compare the types' prices */
    R_SWITCH,
    NKINDS
};

/* Checkpoint levels, the unit of checkpoint records. */
enum level { LV_PERSISTENT, LV_MEMORY, LV_ASYNC, LV_MAINT, LV_SWITCH };

enum phase { RUNNING, CHECKPOINTING, RECOVERING, RESTARTING, DONE, ACQUIRING };

/* What the current CHECKPOINTING phase is doing. */
enum ckpt_step {
    CK_WRITE,      /* a blocking persistent write */
    CK_MEM,        /* a blocking in-memory write */
    CK_SNAPSHOT,   /* the stall of an async checkpoint */
    CK_WAIT_WRITE, /* waiting for the previous background write (no event of its own) */
    CK_MAINT_SAVE, /* the save before a maintenance window */
    CK_SWITCH_SAVE /* the save before a move to another type */
};

/* Slot states: what the node position in the job holds. */
enum slot_state { IN_SERVICE, FAILED, WAITING, SWAPPING, ABSENT, JOINING };

#define NO_SLOT    UINT64_MAX
#define SWITCH_BIT (UINT64_C(1) << 62)
/* The arg of a superposed class's clock: the unit is drawn when it fires. */
#define SUP_UNIT UINT64_MAX

typedef struct repair_job {
    double dur_s;     /* repair time once a technician starts, s */
    uint32_t nodes;   /* nodes that return to the spare pool when done (< 2^24) */
    uint32_t sw_cls;  /* class of the switch below */
    uint32_t sw_unit; /* switch unit + 1 whose clock restarts when done, or 0 */
} repair_job;

/* Computing time whose fate is not known yet: its wall time, and the parts
 * of it lost to throttling and to slow or missing nodes. */
typedef struct bucket {
    double wall, thr, slow;
} bucket;

/* The job's own timers (its step: a segment end, a checkpoint step, a
 * restart; and an async checkpoint's background write). Outside a
 * fast-forward they are engine timers; during one (run_state.ff) the event
 * is kept here (t, kind, and the order it was started in) and
 * fast_forward() dispatches it itself. `queued`: the write's engine event
 * is still in the queue from before the fast-forward. */
typedef struct jtimer {
    dcs_timer tm;
    double t;
    int kind;
    int on, queued;
    uint64_t seq;
} jtimer;

typedef struct run_state {
    const dcs_run_cfg *cfg;
    uint16_t base; /* the engine's number of K_FAIL */
    int phase;
    int step;               /* enum ckpt_step while CHECKPOINTING */
    double t_last;          /* time of the last account(), s */
    double speed;           /* progress per second of wall time while computing: f_thr x f_nodes */
    double f_thr;           /* the energy model's throttle */
    double f_nodes;         /* slowest node x nodes present / nodes */
    const dcs_env_now *env; /* the energy model's values, or NULL */
    const dcs_market_now *mkt; /* the market's values, or NULL */
    int term_over;             /* the reservation's term has ended */
    double pos_s;              /* work done, s of full-speed compute */
    bucket u, m;
    double p_commit_s;    /* work saved persistently, s */
    double p_mem_s;       /* work in the in-memory checkpoint (>= p_commit_s), s */
    double p_target_s;    /* work at which the running segment ends / being saved, s */
    int target_persist;   /* the checkpoint at p_target_s is persistent */
    uint32_t mem_since;   /* in-memory checkpoints since the last persistent one */
    uint32_t mem_lost;    /* nodes lost since the in-memory checkpoint was taken */
    jtimer job;           /* the segment end, checkpoint step or restart under way */
    jtimer write;         /* async: the background write in flight */
    int ff;               /* a fast-forward is under way: job and write are kept here */
    double ff_now;        /* the time of the fast-forward's current step */
    uint64_t ff_seq;      /* job timers started in the fast-forward */
    double ff_h;          /* the fast-forward's horizon */
    int ff_regs;          /* its blocking cycles run in registers (ff_blocking) */
    int traced;           /* the replication is traced (set at init) */
    int chain;            /* engine fast, untraced: events may chain (try_restart, on_detect,
                             on_fail) */
    int det_on;           /* a failure's detection is kept here (sched_detect) */
    int det_cls;          /* its class, */
    uint64_t det_arg;     /* its K_DETECT arg, */
    double det_t;         /* and its time */
    double p_write_s;     /* async: work in the checkpoint being written */
    int maint_open;       /* maintenance windows open */
    int maint_cls;        /* class of the save in progress (CK_MAINT_SAVE) */
    int pending_detect;   /* failures not yet detected */
    uint32_t empty_slots; /* slots FAILED, WAITING or SWAPPING */
    uint32_t nwaiting;    /* slots waiting for a spare: the FIFO wait[] */
    uint32_t nabsent;     /* slots ABSENT or JOINING: the FIFO absent[] holds the ABSENT */
    uint32_t nabsent_q;
    int64_t spares_free;
    double spares_empty_since; /* when the spare pool last ran dry (while spares_free == 0), s */
    int held;                  /* the job's capacity is held (start_job has run) */
    uint32_t *wait;            /* [nslots] slots waiting for a spare, FIFO ring */
    uint32_t wait_head;
    uint32_t *absent; /* [nslots] slots left out, FIFO ring */
    uint32_t absent_head;
    uint8_t *slot; /* [nslots] enum slot_state */
    uint8_t *slow; /* [nslots] class + 1 of the slowest failure the node has, or 0 */
    uint32_t *gen; /* [nslots] times the slot was emptied: stale K_SLOW_FOUND check */
    uint32_t slow_count[DCS_MAX_FAILURE_CLS]; /* slow nodes per class */
    double *repair_dur; /* [nslots + nclocks] repair times drawn at failure: per slot,
                           and per switch clock, s */
    repair_job *rq;     /* [rq_cap] repairs waiting for a technician, FIFO ring */
    uint32_t rq_head, rq_len, rq_cap;
    uint32_t repairs_busy;
    dcs_timer *clock;                      /* [ntimers] per-unit failure clocks */
    uint64_t *armed;                       /* [armed_words] superposed classes: units in service */
    uint32_t n_armed[DCS_MAX_FAILURE_CLS]; /* superposed: units in service now */
    dcs_timer sup[DCS_MAX_FAILURE_CLS];    /* superposed: the class clock */
    double sup_t[DCS_MAX_FAILURE_CLS];     /* superposed: its time when last drawn */
    uint32_t lane_detect, lane_swap;       /* fast: the engine's lanes for detections and
                                              swaps, or 0 (the heap) */
    uint32_t lane_repair;                  /* fast: the lane for repairs done, or 0 */
    int cause;                             /* class whose failure started the current outage */
    double down_since;                     /* start of the current outage, s */
    double stored_bytes, stored_since;     /* retained checkpoints, and since when */
    int cur, next;    /* the type held (job.accelerators), and the one a switch moves to */
    double gap;       /* the price gap that started the switch */
    double acq_since; /* when the current wait for capacity began (0, or a switch's), s */
    int stage_next;   /* stage boundaries the work is past (cfg bound_s) */
    dcs_ledger_in stage_at[DCS_MAX_STAGES]; /* what had accumulated when it passed each one
                                               (the fields that grow with time) */
    dcs_run_result res;
} run_state;

/* An event of local kind `kind` at t that nothing will stop. */
static int sched(dcs_engine *eng, const run_state *s, double t, int kind, uint32_t unit,
                 uint64_t arg, dcs_err *err)
{
    int rc = dcs_engine_schedule(eng, t, (uint16_t)(s->base + kind), unit, arg, NULL);
    if (rc != 0)
        return dcs_err_set(err, rc, "cannot schedule a run event at t = %g s", t);
    return 0;
}

/* sched in lane `lane` of the engine (0: the heap). */
static int sched_in(dcs_engine *eng, const run_state *s, uint32_t lane, double t, int kind,
                    uint32_t unit, uint64_t arg, dcs_err *err)
{
    int rc = dcs_engine_schedule_in(eng, lane, t, (uint16_t)(s->base + kind), unit, arg);
    if (rc != 0)
        return dcs_err_set(err, rc, "cannot schedule a run event at t = %g s", t);
    return 0;
}

/* Starts timer tm (stopped first if pending) on an event of local kind
 * `kind` at t. */
static int start(dcs_engine *eng, const run_state *s, dcs_timer *tm, double t, int kind,
                 uint32_t unit, uint64_t arg, dcs_err *err)
{
    int rc = dcs_timer_start(eng, tm, t, (uint16_t)(s->base + kind), unit, arg);
    if (rc != 0)
        return dcs_err_set(err, rc, "cannot schedule a run event at t = %g s", t);
    return 0;
}

/* Starts job timer j on an event of local kind `kind` at t (kept in j
 * during a fast-forward). */
static int jt_start(dcs_engine *eng, run_state *s, jtimer *j, double t, int kind, dcs_err *err)
{
    j->t = t;
    j->kind = kind;
    if (!s->ff)
        return start(eng, s, &j->tm, t, kind, 0, 0, err);
    if (j->queued)
        dcs_timer_stop(eng, &j->tm);
    j->queued = 0;
    j->on = 1;
    j->seq = ++s->ff_seq;
    return 0;
}

static void jt_stop(dcs_engine *eng, run_state *s, jtimer *j)
{
    if (!s->ff || j->queued)
        dcs_timer_stop(eng, &j->tm);
    j->on = j->queued = 0;
}

static int jt_pending(const dcs_engine *eng, const run_state *s, const jtimer *j)
{
    return s->ff ? j->on : dcs_timer_pending(eng, &j->tm);
}

/* Records a trace event of local kind k. */
static int rec(dcs_engine *eng, const run_state *s, int k, uint32_t unit, double value,
               dcs_err *err)
{
    if (!s->traced)
        return 0;
    uint16_t kind = (uint16_t)(s->base + k);
    int rc = s->ff ? dcs_engine_trace_at(eng, s->ff_now, kind, unit, value)
                   : dcs_engine_trace(eng, kind, unit, value);
    if (rc != 0)
        return dcs_err_set(err, rc, "cannot record a trace event");
    return 0;
}

#define HOURS(t) ((t) / 3600.0)

/* IT power with the job's present nodes at w each, and idle spares, W. */
static double it_power_as(const run_state *s, double w)
{
    const dcs_run_cfg *c = s->cfg;
    double apn = c->accels_per_node * c->type_shape[s->cur];
    double present = (double)(c->nslots - s->nabsent - s->empty_slots) * apn;
    double spare = (double)s->spares_free * apn;
    return present * w + spare * c->idle_w;
}

/* IT power now: the job's present nodes in their state, and idle spares, W. */
static double it_power_w(const run_state *s)
{
    const dcs_run_cfg *c = s->cfg;
    double w = 0.0;
    switch (s->phase) {
    case RUNNING:
        w = c->training_w * s->f_thr;
        break;
    case CHECKPOINTING:
        w = c->ckpt_w;
        break;
    case RECOVERING:
        w = s->maint_open > 0 || s->nwaiting > 0 ? c->idle_w : c->restart_w;
        break;
    case RESTARTING:
        w = c->restart_w;
        break;
    default:
        break;
    }
    return it_power_as(s, w);
}

/* Adds dt of IT power `it` (W) to r's energy, cost and carbon. */
static void charge_it(const run_state *s, double it, double dt, dcs_run_result *r)
{
    const dcs_env_now *e = s->env;
    double cool = it * e->cool_per_w;
    r->e_it_j += it * dt;
    r->e_cool_j += cool * dt;
    r->cost_it_usd += it * dt * e->usd_per_j;
    r->cost_cool_usd += cool * dt * e->usd_per_j;
    r->co2_kg += (it + cool) * dt * e->kg_per_j;
    if (it + cool > r->peak_w && s->phase != DONE)
        r->peak_w = it + cool;
}

/* Adds dt of IT power in the current state to r's energy, cost and carbon. */
static void charge_energy(const run_state *s, double dt, dcs_run_result *r)
{
    charge_it(s, it_power_w(s), dt, r);
}

/* The price per accelerator-hour now, USD. */
static double price_now(const run_state *s)
{
    return s->mkt != NULL ? s->mkt->price : s->cfg->fixed_price;
}

/* Accelerators billed by the hour now. */
static double hourly_now(const run_state *s)
{
    const dcs_run_cfg *c = s->cfg;
    return (c->hourly_accels + (s->term_over ? c->reserved_accels : 0.0)) * c->type_shape[s->cur];
}

/* The run's accounts over the dt s after the last account(), at the rates
 * in force (constant between events), added to r: the hourly bill and,
 * with an energy model, the energy, its cost and carbon, the peak power.
 * account() charges s->res with it; the ledger and the probe extrapolate a
 * copy to now without charging. One formula for both. */
static void integrate(const run_state *s, double dt, dcs_run_result *r)
{
    double bill = hourly_now(s) * price_now(s) * dt / 3600.0;
    r->cost_hourly_usd += bill;
    r->type_hourly_usd[s->cur] += bill; /* the type held (job.accelerators) */
    r->type_held_s[s->cur] += dt;
    if (s->env != NULL)
        charge_energy(s, dt, r);
}

/* The retained checkpoints' byte-seconds up to t. */
static double byte_s_at(const run_state *s, double t)
{
    return s->res.ckpt_byte_s + s->stored_bytes * (t - s->stored_since);
}

/* What had accumulated when the work passed stage boundary k at time t, a
 * fraction f of the way from t0 (hourly, it and cool then) to now: every
 * accumulated cost grows linearly between two calls of account(), whose
 * rates change only at events. */
static void stage_passed(run_state *s, int k, double t, double f, double hourly0, double it0,
                         double cool0)
{
    dcs_ledger_in *in = &s->stage_at[k];
    in->elapsed_s = t;
    in->held_s = t - s->res.acquisition_wait_s;
    in->hourly_usd = hourly0 + f * (s->res.cost_hourly_usd - hourly0);
    in->it_usd = it0 + f * (s->res.cost_it_usd - it0);
    in->cool_usd = cool0 + f * (s->res.cost_cool_usd - cool0);
    in->ckpt_byte_s = byte_s_at(s, t);
}

/* Records the stage boundaries that the work passed while it went from p0
 * at t0 to s->pos_s at now (hourly0, it0, cool0: the costs at t0). */
static void pass_stages(run_state *s, double p0, double t0, double now, double hourly0, double it0,
                        double cool0)
{
    const dcs_run_cfg *c = s->cfg;
    while (s->stage_next < c->nbounds && s->pos_s >= c->bound_s[s->stage_next]) {
        double b = c->bound_s[s->stage_next];
        double f = s->pos_s > p0 ? fmin(1.0, fmax(0.0, (b - p0) / (s->pos_s - p0))) : 1.0;
        stage_passed(s, s->stage_next, t0 + f * (now - t0), f, hourly0, it0, cool0);
        s->stage_next++;
    }
}

/* Sets the work to p exactly (a segment's end, a rollback) at the time of
 * the last account(): boundaries passed on the way up are recorded then,
 * boundaries above p after a rollback are to be passed again. */
static void set_pos(run_state *s, double p)
{
    const dcs_run_cfg *c = s->cfg;
    double p0 = s->pos_s;
    s->pos_s = p;
    while (s->stage_next > 0 && c->bound_s[s->stage_next - 1] > p)
        s->stage_next--;
    pass_stages(s, p0, s->t_last, s->t_last, s->res.cost_hourly_usd, s->res.cost_it_usd,
                s->res.cost_cool_usd);
}

/* account() at the time of the last one (an event's second call, a
 * handler after another at the same time): every increment is a zero,
 * which leaves each account as it is, bit for bit; only the peak power
 * can change, with the state's power now (as charge_it does). */
static void account_instant(run_state *s)
{
    if (s->env == NULL)
        return;
    double it = it_power_w(s), cool = it * s->env->cool_per_w;
    if (it + cool > s->res.peak_w)
        s->res.peak_w = it + cool;
}

/* account() over dt = now - s->t_last, not zero (now != s->t_last: the
 * difference of two different doubles is never zero). */
static void account_dt(run_state *s, double now)
{
    double dt = now - s->t_last, t0 = s->t_last;
    s->t_last = now;
    if (s->phase == DONE || s->phase == ACQUIRING)
        return; /* nothing is held */
    double p0 = s->pos_s, hourly0 = s->res.cost_hourly_usd;
    double it0 = s->res.cost_it_usd, cool0 = s->res.cost_cool_usd;
    integrate(s, dt, &s->res);
    switch (s->phase) {
    case RUNNING:
        s->u.wall += dt;
        s->u.thr += dt * (1.0 - s->f_thr);
        s->u.slow += dt * s->f_thr * (1.0 - s->f_nodes);
        s->res.throttled_s += dt * (1.0 - s->f_thr);
        s->pos_s += dt * s->speed;
        break;
    case CHECKPOINTING:
        s->res.cat_s[DCS_ACC_CHECKPOINT] += dt;
        break;
    case RECOVERING:
        s->res.cat_s[s->maint_open > 0 ? DCS_ACC_MAINTENANCE
                     : s->nwaiting > 0 ? DCS_ACC_WAITING
                                       : DCS_ACC_RESTART] += dt;
        break;
    case RESTARTING:
        s->res.cat_s[DCS_ACC_RESTART] += dt;
        break;
    default:
        break;
    }
    if (s->phase == RUNNING && s->stage_next < s->cfg->nbounds)
        pass_stages(s, p0, t0, now, hourly0, it0, cool0);
}

/* Charges the accounts from the last account() to now. The second call at
 * the same time (half of the calls in the Daly job: a handler after another,
 * an event's second call) is inline: account_instant, or nothing when
 * nothing is held (now == s->t_last: setting it again changes nothing). */
static inline void account(run_state *s, double now)
{
    if (now != s->t_last) {
        account_dt(s, now);
        return;
    }
    if (s->phase != DONE && s->phase != ACQUIRING)
        account_instant(s);
}

/* Computing time that a checkpoint has made safe. */
static void keep(run_state *s, bucket *b)
{
    s->res.cat_s[DCS_ACC_PRODUCTIVE] += b->wall - b->thr - b->slow;
    s->res.cat_s[DCS_ACC_THROTTLED] += b->thr;
    s->res.cat_s[DCS_ACC_SLOWED] += b->slow;
    *b = (bucket){0.0, 0.0, 0.0};
}

/* Moves bucket b into bucket into. */
static void pour(bucket *into, bucket *b)
{
    into->wall += b->wall;
    into->thr += b->thr;
    into->slow += b->slow;
    *b = (bucket){0.0, 0.0, 0.0};
}

/* Computing time that a failure of class cls has thrown away. */
static void lose(run_state *s, bucket *b, int cls)
{
    s->res.cat_s[DCS_ACC_LOST] += b->wall;
    if (cls >= 0) /* -1: the restart after a switch */
        s->res.lost_s[cls] += b->wall;
    *b = (bucket){0.0, 0.0, 0.0};
}

/* Integrates the retained checkpoints up to now and sets what is kept. */
static void store(run_state *s, double now, double bytes)
{
    s->res.ckpt_byte_s = byte_s_at(s, now);
    s->stored_since = now;
    s->stored_bytes = bytes;
}

/* A persistent checkpoint of the work at p is complete. */
static void persisted(run_state *s, double now, double p)
{
    s->p_commit_s = p;
    if (s->p_mem_s < p)
        s->p_mem_s = p;
    s->mem_since = 0;
    s->res.n_checkpoints++;
    const dcs_run_cfg *c = s->cfg;
    uint64_t kept = s->res.n_checkpoints < c->retain ? s->res.n_checkpoints : c->retain;
    store(s, now, (double)kept * c->ckpt_bytes);
}

/* The spare pool gains (d = 1) or lends (d = -1) a node at now; the time
 * it spends empty is counted. */
static void spares_add(run_state *s, int64_t d, double now)
{
    if (s->spares_free == 0)
        s->res.spare_empty_s += now - s->spares_empty_since;
    s->spares_free += d;
    if (s->spares_free == 0)
        s->spares_empty_since = now;
}

/* Ends the count of the time the spare pool was empty at the end of the run. */
static void spares_close(run_state *s, double now)
{
    if (s->held && s->spares_free == 0)
        s->res.spare_empty_s += now - s->spares_empty_since;
}

static int finish(dcs_engine *eng, run_state *s, double now, dcs_err *err)
{
    account(s, now);
    spares_close(s, now);
    keep(s, &s->m);
    keep(s, &s->u);
    store(s, now, s->stored_bytes);
    s->phase = DONE;
    s->res.completed = 1;
    s->res.makespan_s = now;
    dcs_engine_stop(eng);
    return rec(eng, s, R_DONE, 0, HOURS(now), err);
}

static double nodes_factor(const run_state *s)
{
    const dcs_run_cfg *c = s->cfg;
    double v = 1.0;
    for (int k = 0; k < c->nclasses; k++)
        if (s->slow_count[k] > 0 && c->speed[k] < v)
            v = c->speed[k];
    return v * (double)(c->nslots - s->nabsent) / (double)c->nslots;
}

/* The segment end at the current speed; none while the job cannot move
 * (throttled to 0): it is scheduled again when the speed comes back. */
static int schedule_segment_end(dcs_engine *eng, run_state *s, double now, dcs_err *err)
{
    if (!(s->speed > 0.0)) {
        jt_stop(eng, s, &s->job);
        return 0;
    }
    double left = s->p_target_s - s->pos_s;
    return jt_start(eng, s, &s->job, now + (left > 0.0 ? left / s->speed : 0.0), K_SEGMENT_END,
                    err);
}

/* Recomputes the speed after a node turned slow, left or joined; a
 * computing job's next segment end moves accordingly. */
static int update_speed(dcs_engine *eng, run_state *s, double now, dcs_err *err)
{
    account(s, now);
    s->f_nodes = nodes_factor(s);
    s->f_thr = s->env != NULL ? s->env->throttle : 1.0;
    double v = s->f_thr * s->f_nodes * s->cfg->type_speed[s->cur];
    if (v == s->speed)
        return 0;
    s->speed = v;
    if (s->phase != RUNNING)
        return 0;
    return schedule_segment_end(eng, s, now, err);
}

/* Sets the target of a segment that starts computing now. */
static void set_target(run_state *s)
{
    const dcs_run_cfg *c = s->cfg;
    s->phase = RUNNING;
    double step = c->mem_tau_s > 0.0 ? c->mem_tau_s : c->tau_s;
    double target = s->pos_s + step < c->ts_s ? s->pos_s + step : c->ts_s; /* fmin, inline */
    s->p_target_s = target;
    s->target_persist =
        c->mem_tau_s <= 0.0 || target >= c->ts_s || s->mem_since + 1 >= c->mem_per_persistent;
}

static int segment_end(dcs_engine *eng, run_state *s, double now, dcs_err *err);
static int ckpt_done(dcs_engine *eng, run_state *s, double now, dcs_err *err);
static int ff_segment(dcs_engine *eng, run_state *s, double now, dcs_err *err);
static int ff_segment_end(dcs_engine *eng, run_state *s, double now, dcs_err *err);
static int write_done(dcs_engine *eng, run_state *s, double now, dcs_err *err);

/* The job timer a fast-forward dispatches next: the earliest, ties in the
 * order they were started (the engine's order); NULL when none is on. */
static jtimer *ff_next(run_state *s)
{
    jtimer *a = &s->write, *b = &s->job;
    if (!a->on)
        return b->on ? b : NULL;
    if (!b->on)
        return a;
    return b->t < a->t || (b->t == a->t && b->seq < a->seq) ? b : a;
}

/* Puts the job timers that are still on into the engine's queue, in the
 * order they were started, as the events would have put them there. */
static int ff_flush(dcs_engine *eng, run_state *s, dcs_err *err)
{
    s->ff = 0;
    jtimer *order[2] = {&s->write, &s->job};
    if (s->job.on && s->write.on && s->job.seq < s->write.seq) {
        order[0] = &s->job;
        order[1] = &s->write;
    }
    int rc = 0;
    for (int i = 0; i < 2; i++) {
        jtimer *j = order[i];
        if (j->on && !j->queued && rc == 0)
            rc = start(eng, s, &j->tm, j->t, j->kind, 0, 0, err);
        j->on = j->queued = 0;
    }
    return rc;
}

/* Fast-forward (engine fast): from the segment that starts computing at
 * now, the job's compute-and-checkpoint cycle (blocking writes, in-memory
 * levels, async snapshots and their background writes) is deterministic
 * until the next event of any other kind (the engine's horizon, leaving
 * out the job's own pending write). Its own events before it are
 * dispatched here, in the engine's order, by the very functions their
 * handlers call (segment_end, ckpt_done, write_done), which keep their
 * timers in the state and record through dcs_engine_trace_at: the
 * replication is the event-by-event one, trace included, without heap
 * events (to the last bit, but for untraced steady blocking cycles, which
 * ff_jump advances in closed form, to rounding). The final segment's end is left to the events (the
 * run ends there); what is still on goes into the queue at the end. */
/* The accounts a blocking cycle changes, in locals: ff_blocking works on
 * them and writes them back once, so that they stay in registers. */
typedef struct ff_acc {
    double t_last, pos, target, hourly, throttled, ckpt, prod, thr, slowed;
    double byte_s, since, bytes, e_it, e_cool, it_usd, cool_usd, co2, peak;
    uint64_t n;
    double type_usd, type_s; /* the type held: its bill and time held */
} ff_acc;

/* The energy of dt s at IT power `it`, as charge_it adds it. */
static void ff_energy(ff_acc *a, const dcs_env_now *e, double it, double cool, double dt)
{
    a->e_it += it * dt;
    a->e_cool += cool * dt;
    a->it_usd += it * dt * e->usd_per_j;
    a->cool_usd += cool * dt * e->usd_per_j;
    a->co2 += (it + cool) * dt * e->kg_per_j;
}

static void ff_load(const run_state *s, ff_acc *a);
static void ff_store(run_state *s, const ff_acc *a);

/* What a blocking cycle's accounts gain stays constant until h: the
 * hourly rate, speed, throttled and slowed fractions, the IT and cooling
 * power of each phase. */
typedef struct ff_cyc {
    double rate, v, thr, slow, it_run, it_ckpt, cool_run, cool_ckpt;
} ff_cyc;

/* ceil(x), the same to the bit: below 2^52 in magnitude by the conversion
 * to an integer (a few instructions where ceil, without SSE4.1, is a
 * dozen and more), else ceil itself (the large, the infinite, NaN). */
static double ceil_fast(double x)
{
    if (!(x < 0x1p52 && x > -0x1p52))
        return ceil(x);
    double i = (double)(int64_t)x; /* toward zero: ceil for x <= 0 */
    return i < x ? i + 1.0 : i;
}

/* The closed-form jump (issue 14): in the steady state (full segments,
 * `retain` checkpoints kept, so constant stored bytes) every cycle adds
 * the same to every account. Advances them by the k whole cycles that
 * end strictly before h with a target short of ts_s (both as the jump
 * computes them); the loop then decides the next cycle, and the stopping
 * conditions, as before. Counts are exact; real-valued accounts
 * differ from the cycle-by-cycle sums by rounding only. Untraced runs
 * only. Returns the end of the last cycle jumped (t when none). */
static double ff_jump(ff_acc *a, const ff_cyc *y, const dcs_run_cfg *c, const dcs_env_now *e,
                      double t, double h)
{
    double seg = (a->target - a->pos) / y->v, d = seg + c->delta_s;
    double kd = ceil_fast((h - t) / d) - 1.0;
    kd = kd < 0x1p52 ? kd : 0x1p52;
    if (!(a->pos + c->tau_s * kd < c->ts_s)) { /* the work's end comes first */
        double by_ts = ceil((c->ts_s - a->pos) / c->tau_s) - 1.0;
        kd = kd < by_ts ? kd : by_ts;
    }
    int ok = 0; /* the ratios' rounding: the k-th cycle as this jump sets it */
    for (int i = 0; i < 4 && kd >= 1.0 && !ok; i++)
        if (!(ok = t + d * kd < h && a->pos + c->tau_s * kd < c->ts_s))
            kd -= 1.0;
    if (!ok)
        return t;
    uint64_t k = (uint64_t)kd;
    double bill = y->rate * d / 3600.0 * kd;
    a->hourly += bill;
    a->type_usd += bill;
    a->type_s += d * kd;
    if (e != NULL) {
        ff_energy(a, e, y->it_run, y->cool_run, seg * kd);
        ff_energy(a, e, y->it_ckpt, y->cool_ckpt, c->delta_s * kd);
    }
    a->throttled += seg * y->thr * kd;
    a->prod += (seg - seg * y->thr - seg * y->slow) * kd;
    a->thr += seg * y->thr * kd;
    a->slowed += seg * y->slow * kd;
    a->ckpt += c->delta_s * kd;
    a->n += k;
    a->byte_s += a->bytes * d * kd;
    a->pos += c->tau_s * kd;
    double next = a->pos + c->tau_s;
    a->target = next < c->ts_s ? next : c->ts_s;
    a->t_last = a->since = t + d * kd;
    return a->t_last;
}

/* Whether the segment that starts computing at t (not at_end) begins a
 * steady cycle, which ff_jump can take with those after it: accounted up
 * to t, a full segment short of ts_s, nothing computed since the last
 * checkpoint, `retain` checkpoints kept. The stored bytes are then
 * integrated up to t (so the jump's cycles start there). Saves the first
 * cycle's step by step after a restart (rounding only moves). */
static int ff_steady(ff_acc *a, const run_state *s, const dcs_run_cfg *c, double t, int at_end)
{
    if (at_end || !(s->speed > 0.0) || a->t_last != t || a->n < c->retain ||
        a->target != a->pos + c->tau_s || !(a->target < c->ts_s) ||
        a->bytes != (double)c->retain * c->ckpt_bytes || s->u.wall != 0.0 || s->u.thr != 0.0 ||
        s->u.slow != 0.0)
        return 0;
    a->byte_s += a->bytes * (t - a->since);
    a->since = t;
    return 1;
}

/* Whether no blocking cycle from t ends strictly before h: the first one's
 * end, as the step ((t + seg) + delta) and the jump (t + (seg + delta))
 * round it, is not before h, or no cycle is to come. ff_blocking then
 * returns at once (a third of its calls in the Daly job: a restart's
 * segment with the repair's end as the horizon). */
static int ff_no_cycle(const run_state *s, double t, double h, int at_end)
{
    const dcs_run_cfg *c = s->cfg;
    const double v = s->speed, left = s->p_target_s - s->pos_s;
    if (!(s->p_target_s < c->ts_s && v > 0.0))
        return 1;
    if (at_end)
        return !(t + c->delta_s < h);
    const double seg = left > 0.0 ? left / v : 0.0;
    return !(t + seg + c->delta_s < h) && !(t + (seg + c->delta_s) < h);
}

/* The blocking cycle, untraced, without stage boundaries: whole cycles
 * strictly before h, with the operations segment_end and ckpt_done do
 * (account and its integrate, set_pos, keep, persisted, set_target) in the
 * same order on the same values, so the same results to the bit, but for
 * the steady cycles ff_jump advances at once (the same to rounding). What
 * stays constant until h (the hourly rate, throttle, speed, the IT power
 * of each phase) is read once; the bucket m is empty (blocking) and stays
 * so. Most of a replication's cycles go through here. With at_end, the
 * first segment ends at t itself (the job's segment end, dispatched now).
 * Returns the end of the last cycle done. */
static double ff_blocking(run_state *s, double t, double h, int at_end)
{
    if (ff_no_cycle(s, t, h, at_end))
        return t;
    const dcs_run_cfg *c = s->cfg;
    const dcs_env_now *e = s->env;
    const double rate = hourly_now(s) * price_now(s), v = s->speed;
    const double thr = 1.0 - s->f_thr, f_thr = s->f_thr, nodes = 1.0 - s->f_nodes;
    double it_run = 0.0, it_ckpt = 0.0;
    if (e != NULL) {
        it_run = it_power_w(s);
        it_ckpt = it_power_as(s, c->ckpt_w);
    }
    const double cool_run = it_run * (e != NULL ? e->cool_per_w : 0.0);
    const double cool_ckpt = it_ckpt * (e != NULL ? e->cool_per_w : 0.0);
    const ff_cyc y = {rate, v, thr, f_thr * nodes, it_run, it_ckpt, cool_run, cool_ckpt};
    ff_acc a;
    ff_load(s, &a);
    const uint64_t n0 = a.n;
    int jump = ff_steady(&a, s, c, t, at_end), jumped = 0;
    while (a.target < c->ts_s && v > 0.0) {
        if (jump) { /* one call site: ff_jump stays inlined */
            jump = 0;
            jumped = 1;
            t = ff_jump(&a, &y, c, e, t, h);
            continue;
        }
        double left = a.target - a.pos;
        double t_seg = at_end ? t : t + (left > 0.0 ? left / v : 0.0);
        double t_done = t_seg + c->delta_s;
        at_end = 0;
        if (!(t_done < h))
            break;
        /* account(t_seg), computing; set_pos */
        double dt = t_seg - a.t_last;
        double bill = rate * dt / 3600.0;
        a.hourly += bill;
        a.type_usd += bill;
        a.type_s += dt;
        if (e != NULL)
            ff_energy(&a, e, it_run, cool_run, dt);
        double u_wall = s->u.wall + dt, u_thr = s->u.thr + dt * thr;
        double u_slow = s->u.slow + dt * f_thr * nodes;
        s->u = (bucket){0.0, 0.0, 0.0};
        a.throttled += dt * thr;
        a.pos = a.target;
        /* account(t_done), checkpointing */
        dt = t_done - t_seg;
        bill = rate * dt / 3600.0;
        a.hourly += bill;
        a.type_usd += bill;
        a.type_s += dt;
        if (e != NULL)
            ff_energy(&a, e, it_ckpt, cool_ckpt, dt);
        a.ckpt += dt;
        /* keep(u); persisted(t_done); set_target */
        a.prod += u_wall - u_thr - u_slow;
        a.thr += u_thr;
        a.slowed += u_slow;
        a.n++;
        uint64_t kept = a.n < c->retain ? a.n : c->retain;
        a.byte_s = a.byte_s + a.bytes * (t_done - a.since);
        a.since = t_done;
        a.bytes = (double)kept * c->ckpt_bytes;
        double next = a.pos + c->tau_s;
        a.target = next < c->ts_s ? next : c->ts_s;
        a.t_last = t = t_done;
        jump = !jumped && a.n >= c->retain && next < c->ts_s;
    }
    if (a.n == n0)
        return t; /* no cycle done: nothing changed */
    if (e != NULL) {
        double peak =
            it_run + cool_run > it_ckpt + cool_ckpt ? it_run + cool_run : it_ckpt + cool_ckpt;
        if (peak > a.peak)
            a.peak = peak;
    }
    ff_store(s, &a);
    return t;
}

static void ff_load(const run_state *s, ff_acc *a)
{
    const dcs_run_result *r = &s->res;
    *a = (ff_acc){s->t_last,
                  s->pos_s,
                  s->p_target_s,
                  r->cost_hourly_usd,
                  r->throttled_s,
                  r->cat_s[DCS_ACC_CHECKPOINT],
                  r->cat_s[DCS_ACC_PRODUCTIVE],
                  r->cat_s[DCS_ACC_THROTTLED],
                  r->cat_s[DCS_ACC_SLOWED],
                  r->ckpt_byte_s,
                  s->stored_since,
                  s->stored_bytes,
                  r->e_it_j,
                  r->e_cool_j,
                  r->cost_it_usd,
                  r->cost_cool_usd,
                  r->co2_kg,
                  r->peak_w,
                  r->n_checkpoints,
                  r->type_hourly_usd[s->cur],
                  r->type_held_s[s->cur]};
}

/* Writes back what whole cycles did, the last ending at a->t_last: the
 * checkpoint at a->pos is persistent and the next segment's target set. */
static void ff_store(run_state *s, const ff_acc *a)
{
    dcs_run_result *r = &s->res;
    s->t_last = a->t_last;
    s->pos_s = a->pos;
    s->p_commit_s = a->pos;
    if (s->p_mem_s < a->pos)
        s->p_mem_s = a->pos;
    s->mem_since = 0;
    s->p_target_s = a->target;
    s->target_persist = 1;
    s->step = CK_WRITE;
    r->cost_hourly_usd = a->hourly;
    r->throttled_s = a->throttled;
    r->cat_s[DCS_ACC_CHECKPOINT] = a->ckpt;
    r->cat_s[DCS_ACC_PRODUCTIVE] = a->prod;
    r->cat_s[DCS_ACC_THROTTLED] = a->thr;
    r->cat_s[DCS_ACC_SLOWED] = a->slowed;
    r->ckpt_byte_s = a->byte_s;
    s->stored_since = a->since;
    s->stored_bytes = a->bytes;
    r->e_it_j = a->e_it;
    r->e_cool_j = a->e_cool;
    r->cost_it_usd = a->it_usd;
    r->cost_cool_usd = a->cool_usd;
    r->co2_kg = a->co2;
    r->peak_w = a->peak;
    r->n_checkpoints = a->n;
    r->type_hourly_usd[s->cur] = a->type_usd;
    r->type_held_s[s->cur] = a->type_s;
}

/* Whether the fast-forward's blocking cycles may run in registers
 * (ff_blocking): untraced, blocking persistent checkpoints only, no stage
 * boundary. */
static int ff_regs_ok(dcs_engine *eng, const run_state *s)
{
    const dcs_run_cfg *c = s->cfg;
    return !c->async && !(c->mem_tau_s > 0.0) && c->nbounds == 0 &&
           dcs_engine_trace_of(eng) == NULL;
}

/* Runs a fast-forward that begins at now with `entry`: a segment that
 * starts computing (K_SEGMENT_START), or the job's own event of kind
 * entry that the engine dispatches now (its handler's work is then the
 * fast-forward's first step, so the checkpoint that follows a segment end
 * is done here, not as an event of its own). */
#define K_SEGMENT_START     (-1)
#define K_SEGMENT_RESUME    (-2) /* a segment start or end whose blocking cycles are done */
#define K_SEGMENT_END_EVENT (-3) /* a segment end whose checkpoint is left to its event */
static int ff_regs_now(const run_state *s);
static int ff_events(dcs_engine *eng, run_state *s, double now, int entry, double t, dcs_err *err);

/* After ff_blocking in the common case (untraced blocking cycles, entered
 * at a segment start or end): the segment end that follows goes straight into
 * the queue when it comes at or after the horizon or ends the work, as the
 * fast-forward's loop and ff_flush would put it there (the same timer, in
 * the same order); returns 1 then, with *rc, and 0 when the fast-forward's
 * loop is to dispatch it. */
static int ff_plain_end(dcs_engine *eng, run_state *s, double t, int *rc, dcs_err *err)
{
    jtimer *j = &s->job;
    j->on = j->queued = 0;
    s->write.on = s->write.queued = 0;
    *rc = 0;
    if (!(s->speed > 0.0))
        return 1; /* no segment end (schedule_segment_end) */
    double left = s->p_target_s - s->pos_s;
    double end = t + (left > 0.0 ? left / s->speed : 0.0);
    if (end < s->ff_h && s->p_target_s < s->cfg->ts_s)
        return 0;
    j->t = end;
    j->kind = K_SEGMENT_END;
    *rc = start(eng, s, &j->tm, end, K_SEGMENT_END, 0, 0, err);
    return 1;
}

static int fast_forward(dcs_engine *eng, run_state *s, double now, int entry, dcs_err *err)
{
    s->ff_h = dcs_engine_horizon_except(eng, &s->write.tm);
    s->ff_regs = ff_regs_ok(eng, s);
    double t = now;
    if ((entry == K_SEGMENT_START || entry == K_SEGMENT_END) && ff_regs_now(s)) {
        uint64_t n0 = s->res.n_checkpoints;
        t = ff_blocking(s, now, s->ff_h, entry == K_SEGMENT_END);
        int rc;
        if (entry == K_SEGMENT_END && s->res.n_checkpoints == n0)
            entry = K_SEGMENT_END_EVENT; /* no cycle: segment_end() as its handler */
        else if (ff_plain_end(eng, s, t, &rc, err))
            return rc;
        else
            entry = K_SEGMENT_RESUME;
    }
    return ff_events(eng, s, now, entry, t, err);
}

/* The fast-forward's event loop, from its entry at now (t: where the blocking
 * cycles done in registers ended, with K_SEGMENT_RESUME). */
static int ff_events(dcs_engine *eng, run_state *s, double now, int entry, double t, dcs_err *err)
{
    s->ff = 1;
    s->ff_seq = 0;
    s->job.on = s->job.queued = 0;
    s->write.queued = s->write.on = s->cfg->async && dcs_timer_pending(eng, &s->write.tm);
    s->write.seq = 0;
    s->ff_now = now;
    int rc = entry == K_SEGMENT_END         ? ff_segment_end(eng, s, now, err)
             : entry == K_SEGMENT_RESUME    ? schedule_segment_end(eng, s, t, err)
             : entry == K_SEGMENT_END_EVENT ? segment_end(eng, s, now, err)
                                            : ff_segment(eng, s, now, err);
    for (jtimer *j; rc == 0 && (j = ff_next(s)) != NULL && j->t < s->ff_h;) {
        if (j->kind == K_SEGMENT_END && s->p_target_s >= s->cfg->ts_s)
            break;
        if (j->queued)
            dcs_timer_stop(eng, &j->tm);
        j->on = j->queued = 0;
        s->ff_now = j->t;
        rc = j == &s->write           ? write_done(eng, s, j->t, err)
             : j->kind == K_CKPT_DONE ? ckpt_done(eng, s, j->t, err)
                                      : segment_end(eng, s, j->t, err);
    }
    int rc2 = ff_flush(eng, s, err);
    return rc != 0 ? rc : rc2;
}

static int ff_regs_now(const run_state *s)
{
    return s->ff_regs && s->m.wall == 0.0 && s->m.thr == 0.0 && s->m.slow == 0.0;
}

/* A segment starts computing at now during a fast-forward: the blocking
 * cycles that end before the horizon in registers, then its segment end. */
static int ff_segment(dcs_engine *eng, run_state *s, double now, dcs_err *err)
{
    if (ff_regs_now(s))
        now = ff_blocking(s, now, s->ff_h, 0);
    return schedule_segment_end(eng, s, now, err);
}

/* The job's segment end at now begins a fast-forward: when its checkpoint
 * completes before the horizon, the cycle it ends and those after it run
 * in registers; else segment_end() leaves the checkpoint to its event. */
static int ff_segment_end(dcs_engine *eng, run_state *s, double now, dcs_err *err)
{
    uint64_t n0 = s->res.n_checkpoints;
    double t = ff_regs_now(s) ? ff_blocking(s, now, s->ff_h, 1) : now;
    if (s->res.n_checkpoints == n0)
        return segment_end(eng, s, now, err);
    return schedule_segment_end(eng, s, t, err);
}

/* At the end of another event's handler at now (a repair's) that leaves the
 * job computing (engine fast, untraced blocking cycles): when the job's
 * pending segment end and its checkpoint both come before the next other
 * event, the fast-forward resumes there at once, as that segment end's
 * event would begin it (the same cycles on the same values), and the event
 * is not dispatched. Else nothing changes. */
static int ff_resume(dcs_engine *eng, run_state *s, dcs_err *err)
{
    const dcs_run_cfg *c = s->cfg;
    if (!c->fast_forward || s->ff || s->phase != RUNNING || !(s->p_target_s < c->ts_s) ||
        s->job.kind != K_SEGMENT_END || !dcs_timer_pending(eng, &s->job.tm))
        return 0;
    s->ff_regs = ff_regs_ok(eng, s);
    double te = s->job.t, h = dcs_engine_horizon_except(eng, &s->job.tm);
    if (!ff_regs_now(s) || !(te + c->delta_s < h))
        return 0;
    s->ff_h = h;
    uint64_t n0 = s->res.n_checkpoints;
    double t = ff_blocking(s, te, h, 1);
    if (s->res.n_checkpoints == n0)
        return 0;
    dcs_timer_stop(eng, &s->job.tm);
    int rc;
    if (ff_plain_end(eng, s, t, &rc, err))
        return rc;
    return ff_events(eng, s, te, K_SEGMENT_RESUME, t, err);
}

/* Starts computing from the current position until the next checkpoint. */
static int start_segment(dcs_engine *eng, run_state *s, double now, dcs_err *err)
{
    set_target(s);
    if (!s->cfg->fast_forward)
        return schedule_segment_end(eng, s, now, err);
    return s->ff ? ff_segment(eng, s, now, err) : fast_forward(eng, s, now, K_SEGMENT_START, err);
}

static int start_clock_at(dcs_engine *eng, run_state *s, int cls, uint32_t unit, double t,
                          dcs_err *err)
{
    return start(eng, s, &s->clock[s->cfg->timer_off[cls] + unit], t, K_FAIL, (uint32_t)cls, unit,
                 err);
}

/* Superposed classes, by thinning. The units of an exponential class in
 * service are independent clocks of rate 1 / MTBF whose residual times are
 * independent of the past (memorylessness). One class clock runs at the
 * rate of all N units of the class, N / MTBF, whichever are in service;
 * when it fires, a unit is drawn uniformly among the N and fails if it is
 * in service, else nothing happens (a candidate thinned out). Each unit in
 * service then fails at rate (N / MTBF) (1 / N) = 1 / MTBF, whatever the
 * others do, as its own clock would make it: thinning of a Poisson process
 * by a mark that depends only on the past is exact. A node swapped in or
 * out changes only the bitmap of units in service, not the clock; the
 * clock stops while no unit is in service and is drawn afresh when one
 * comes back (memorylessness again). docs/design-notes.md gives the
 * argument in full. */

static int is_armed(const run_state *s, int cls, uint32_t unit)
{
    return (int)(s->armed[s->cfg->armed_off[cls] + unit / 64] >> (unit % 64) & 1);
}

static void set_armed(run_state *s, int cls, uint32_t unit, int on)
{
    uint64_t *w = &s->armed[s->cfg->armed_off[cls] + unit / 64];
    uint64_t bit = UINT64_C(1) << (unit % 64);
    if (on && !(*w & bit)) {
        *w |= bit;
        s->n_armed[cls]++;
    } else if (!on && (*w & bit)) {
        *w &= ~bit;
        s->n_armed[cls]--;
    }
}

/* The set bits of x (SWAR: without -mpopcnt, __builtin_popcountll is a
 * call into libgcc's table, slower than these few operations). */
static inline uint32_t popcount64(uint64_t x)
{
    x -= x >> 1 & UINT64_C(0x5555555555555555);
    x = (x & UINT64_C(0x3333333333333333)) + (x >> 2 & UINT64_C(0x3333333333333333));
    x = (x + (x >> 4)) & UINT64_C(0x0F0F0F0F0F0F0F0F);
    return (uint32_t)((x * UINT64_C(0x0101010101010101)) >> 56);
}

/* set_armed for units lo to hi - 1, a word at a time (one for a node's units
 * when their number divides 64): the bits that change are flipped and
 * counted. Returns whether the class's units in service went to or came
 * from none. */
static int set_armed_range(run_state *s, int cls, uint32_t lo, uint32_t hi, int on)
{
    uint64_t *w = s->armed + s->cfg->armed_off[cls];
    uint32_t was = s->n_armed[cls], d = 0;
    for (uint32_t u = lo; u < hi;) {
        uint32_t b = u % 64, n = hi - u < 64 - b ? hi - u : 64 - b;
        uint64_t mask = ((UINT64_C(2) << (n - 1)) - 1) << b; /* n bits, 1 <= n <= 64 */
        uint64_t *x = &w[u / 64];
        uint64_t flip = mask & (on ? ~*x : *x);
        *x ^= flip;
        d += popcount64(flip);
        u += n;
    }
    s->n_armed[cls] = on ? was + d : was - d;
    return (was == 0) != (s->n_armed[cls] == 0);
}

/* A repair time of class cls. A lognormal one is exp(mu + sigma Z), Z from
 * GSL's ziggurat (one 32-bit draw most of the time, no logarithm or square
 * root; 24 bits of resolution within its strip), not GSL's polar method
 * (two uniforms or more, a logarithm, a square root, one of its two
 * normals thrown away); an exponential one from dcsim's ziggurat
 * (dcs_rng_exponential), not gsl_ran_exponential's -mean log1p(-U): the
 * same laws, other draws, in both engines, which must draw alike
 * (tests/stat/test_fastforward.c). */
static double repair_draw(dcs_engine *eng, const run_state *s, int cls)
{
    const dcs_sampler *d = &s->cfg->repair[cls];
    gsl_rng *r = dcs_engine_rng(eng, DCS_STREAM_REPAIR);
    if (d->kind == DCS_DIST_LOGNORMAL)
        return exp(d->a + d->b * gsl_ran_gaussian_ziggurat(r, 1.0));
    if (d->kind == DCS_DIST_EXPONENTIAL)
        return dcs_rng_exponential(r, d->a);
    return dcs_sampler_draw(d, r);
}

/* Brings the class clock of superposed class cls in line with the units in
 * service: on (drawn afresh if it was not) while there is one, stopped
 * while there is none. */
static int sup_sync(dcs_engine *eng, run_state *s, int cls, double now, dcs_err *err)
{
    int pending = dcs_timer_pending(eng, &s->sup[cls]);
    if (s->n_armed[cls] == 0) {
        if (pending)
            dcs_timer_stop(eng, &s->sup[cls]);
        return 0;
    }
    if (pending)
        return 0;
    gsl_rng *r = dcs_engine_rng(eng, DCS_STREAM_FAILURE_FIRST + (uint32_t)cls);
    double t = now + dcs_rng_exponential(r, s->cfg->ttf[cls].a / (double)s->cfg->units[cls]);
    s->sup_t[cls] = t;
    return start(eng, s, &s->sup[cls], t, K_FAIL, (uint32_t)cls, SUP_UNIT, err);
}

/* The candidate unit of superposed class cls whose clock fired: uniform
 * among all the class's units, in service or not. */
static uint32_t sup_draw_unit(dcs_engine *eng, const run_state *s, int cls)
{
    uint32_t units = s->cfg->units[cls];
    if (units == 1)
        return 0;
    gsl_rng *r = dcs_engine_rng(eng, DCS_STREAM_FAILURE_FIRST + (uint32_t)cls);
    return (uint32_t)gsl_rng_uniform_int(r, units);
}

/* Starts unit's failure clock of class cls at now. A per-unit clock (the
 * reference engine's, a planned class's, a class that is not exponential)
 * draws through dcs_sampler_draw, gsl_ran_exponential for an exponential
 * class: the reference engine's ~36,000 clocks a Llama-3 replication draw
 * as before the ziggurat, the yardstick of issue 14's 15x (design notes,
 * "Speed: exponential draws by a ziggurat"). */
static int start_clock(dcs_engine *eng, run_state *s, int cls, uint32_t unit, double now,
                       dcs_err *err)
{
    if (s->cfg->superposed[cls]) {
        set_armed(s, cls, unit, 1);
        return sup_sync(eng, s, cls, now, err);
    }
    gsl_rng *r = dcs_engine_rng(eng, DCS_STREAM_FAILURE_FIRST + (uint32_t)cls);
    return start_clock_at(eng, s, cls, unit, now + dcs_sampler_draw(&s->cfg->ttf[cls], r), err);
}

/* Starts, or cancels, the clocks of every unit that lives in a slot's node.
 * A superposed class's clock changes only when its units in service go to
 * or come from none (a clock that has just fired is drawn again by
 * on_fail, after the failure). */
static int slot_clocks(dcs_engine *eng, run_state *s, uint32_t slot, int on, double now,
                       dcs_err *err)
{
    const dcs_run_cfg *c = s->cfg;
    for (int k = 0; k < c->nclasses; k++) {
        uint32_t per = c->units_per_slot[k];
        if (per == 0)
            continue; /* a switch's, the job's: not in a node */
        if (c->superposed[k]) {
            int rc = set_armed_range(s, k, slot * per, (slot + 1) * per, on)
                         ? sup_sync(eng, s, k, now, err)
                         : 0;
            if (rc != 0)
                return rc;
            continue;
        }
        for (uint32_t u = slot * per; u < (slot + 1) * per; u++) {
            if (!on) {
                dcs_timer_stop(eng, &s->clock[c->timer_off[k] + u]);
                continue;
            }
            int rc = start_clock(eng, s, k, u, now, err);
            if (rc != 0)
                return rc;
        }
    }
    return 0;
}

static int start_repair(dcs_engine *eng, run_state *s, repair_job j, double now, dcs_err *err)
{
    s->repairs_busy++;
    int rc = rec(eng, s, R_REPAIR, j.nodes, HOURS(j.dur_s), err);
    if (rc != 0)
        return rc;
    uint64_t arg = (uint64_t)j.nodes | (uint64_t)j.sw_cls << 24 | (uint64_t)j.sw_unit << 32;
    return sched_in(eng, s, s->lane_repair, now + j.dur_s, K_REPAIR_DONE, 0, arg, err);
}

/* Sends hardware to repair, or to the queue when every technician is busy. */
static int request_repair(dcs_engine *eng, run_state *s, repair_job j, double now, dcs_err *err)
{
    uint32_t cap = s->cfg->repair_capacity;
    if (cap == 0 || s->repairs_busy < cap)
        return start_repair(eng, s, j, now, err);
    s->rq[(s->rq_head + s->rq_len) % s->rq_cap] = j;
    s->rq_len++;
    if (s->rq_len > s->res.repair_queue_peak)
        s->res.repair_queue_peak = s->rq_len;
    return 0;
}

/* The job's hardware is in service from now: failure clocks start (planned
 * maintenance counts from here), and so does the work. */
static int start_job(dcs_engine *eng, run_state *s, double now, dcs_err *err)
{
    const dcs_run_cfg *c = s->cfg;
    s->t_last = now;
    s->held = 1;
    s->spares_empty_since = now;
    for (int k = 0; k < c->nclasses; k++) {
        if (c->superposed[k]) {
            uint32_t n = c->units[k];
            uint64_t *w = s->armed + c->armed_off[k];
            memset(w, 0xFF, (size_t)(n / 64) * sizeof *w);
            if (n % 64 != 0)
                w[n / 64] = (UINT64_C(1) << (n % 64)) - 1;
            s->n_armed[k] = n;
            int rc = sup_sync(eng, s, k, now, err);
            if (rc != 0)
                return rc;
            continue;
        }
        for (uint32_t u = 0; u < c->units[k]; u++) {
            int rc = c->action[k] == DCS_ACTION_PLANNED && !c->random_planned[k]
                         ? start_clock_at(eng, s, k, u, now + c->first_s[k], err)
                         : start_clock(eng, s, k, u, now, err);
            if (rc != 0)
                return rc;
        }
    }
    return start_segment(eng, s, now, err);
}

/* The wait for capacity the market's shortage q means now: exponential
 * with mean base_s q / (1 - q) (base_s: the acquisition time of the
 * cluster, or the replacement time of one node), 0 when there is no
 * shortage. */
static double acquisition_delay(dcs_engine *eng, const run_state *s, double base_s)
{
    double q = s->mkt != NULL ? s->mkt->shortage : 0.0;
    if (!(q > 0.0) || !(base_s > 0.0))
        return 0.0;
    double mean = q < 1.0 ? base_s * q / (1.0 - q) : HUGE_VAL;
    return dcs_rng_exponential(dcs_engine_rng(eng, DCS_STREAM_ACQUIRE), mean);
}

static int on_change(dcs_engine *eng, void *state, double t, int phase, dcs_err *err);

/* The timers restarted most often keep their events out of the engine's
 * heap: the job's step (restarted every cycle the fast-forward leaves to
 * the events, stopped at every interruption), the async write, and the
 * superposed class clocks (restarted at every candidate). The fast engine
 * also puts the events that come at a fixed delay after now (detections,
 * slow nodes found, swaps) and the repairs in lanes, FIFOs beside the heap
 * (a repair earlier than the lane's latest, or any event past the places
 * there are, goes to the heap). The order of events is the same either
 * way; the reference engine keeps them in its heap. */
static void set_apart(dcs_engine *eng, run_state *s)
{
    const dcs_run_cfg *c = s->cfg;
    (void)dcs_timer_apart(eng, &s->job.tm);
    if (c->async)
        (void)dcs_timer_apart(eng, &s->write.tm);
    for (int k = 0; k < c->nclasses; k++)
        if (c->superposed[k])
            (void)dcs_timer_apart(eng, &s->sup[k]);
    if (c->fast_forward) {
        s->lane_detect = dcs_engine_lane(eng);
        s->lane_swap = dcs_engine_lane(eng);
        s->lane_repair = dcs_engine_lane(eng);
    }
}

/* The next array of n elements of `size` bytes in the block at *at,
 * aligned for any type; with b NULL, only counts the bytes. */
static void *carve(unsigned char *b, size_t *at, size_t n, size_t size)
{
    size_t a = _Alignof(max_align_t), off = (*at + a - 1) / a * a;
    *at = off + (n ? n : 1) * size;
    return b != NULL ? b + off : NULL;
}

/* The replication's arrays, in one block the engine keeps from one
 * replication to the next (dcs_engine_scratch): the clocks, the set of
 * armed units and the slots' states and counters zeroed, the queues
 * not (their heads and lengths say what they hold). */
static int carve_arrays(dcs_engine *eng, run_state *s, size_t nrep)
{
    const dcs_run_cfg *c = s->cfg;
    size_t ns = c->nslots, bytes = 0;
    unsigned char *b = NULL;
    for (int pass = 0; pass < 2; pass++) {
        size_t at = 0;
        s->clock = carve(b, &at, c->ntimers, sizeof *s->clock);
        s->armed = carve(b, &at, c->armed_words, sizeof *s->armed);
        s->slot = carve(b, &at, ns, sizeof *s->slot);
        s->slow = carve(b, &at, ns, sizeof *s->slow);
        s->gen = carve(b, &at, ns, sizeof *s->gen);
        bytes = at; /* the zeroed ones end here */
        s->wait = carve(b, &at, ns, sizeof *s->wait);
        s->absent = carve(b, &at, ns, sizeof *s->absent);
        s->repair_dur = carve(b, &at, nrep, sizeof *s->repair_dur);
        s->rq = carve(b, &at, nrep, sizeof *s->rq);
        if (pass == 0 && (b = dcs_engine_scratch(eng, at)) == NULL)
            return DCS_ENOMEM;
    }
    memset(b, 0, bytes);
    return 0;
}

static int init(dcs_engine *eng, void *state, const void *config, dcs_err *err)
{
    run_state *s = state;
    const dcs_run_cfg *c = config;
    s->cfg = c;
    s->base = dcs_engine_kind_base(eng);
    /* Repairs outstanding: at most every node (job and spares) plus every
     * switch; repair times are kept per slot and per switch clock. */
    size_t nrep = (size_t)c->nslots + (size_t)c->sc->cluster.spare_nodes + c->nclocks + 1;
    if (carve_arrays(eng, s, nrep) != 0)
        return dcs_err_set(err, DCS_ENOMEM, "cannot allocate %u failure clocks", c->nclocks);
    s->rq_cap = (uint32_t)nrep;
    s->speed = s->f_thr = s->f_nodes = 1.0;
    s->env = dcs_env_now_of(eng);
    s->mkt = dcs_market_now_of(eng);
    s->traced = dcs_engine_trace_of(eng) != NULL;
    s->chain = c->fast_forward && !s->traced;
    dcs_engine_watch(eng, on_change, s);
    set_apart(eng, s);
    s->res.first_interrupt_s = NAN;
    s->res.price_start_usd = NAN;
    s->res.purchase_start_usd = NAN;
    s->res.label_factor = 1.0;
    double sd = c->sc->costs.label_sd;
    if (sd > 0.0) {
        /* Lognormal with mean 1 and relative sd `sd`. */
        double sigma = sqrt(log1p(sd * sd));
        s->res.label_factor = gsl_ran_lognormal(dcs_engine_rng(eng, DCS_STREAM_DATA_COST),
                                                -0.5 * sigma * sigma, sigma);
    }
    s->spares_free = c->sc->cluster.spare_nodes;
    s->res.min_spares_free = s->spares_free;
    s->res.min_nodes_seen = c->nslots;
    int rc = 0;
    if (c->reserved_accels > 0.0 && isfinite(c->term_s) && c->term_s < c->max_time_s)
        rc = sched(eng, s, c->term_s, K_TERM_END, 0, 0, err);
    if (rc != 0)
        return rc;
    if (c->acquire || c->ntypes > 1) {
        s->phase = ACQUIRING; /* the market is asked (and a type chosen) in pre_run */
        return 0;
    }
    s->res.acquired = 1;
    return start_job(eng, s, 0.0, err);
}

/* The capacity is there at now: the job starts. */
static int acquired(dcs_engine *eng, run_state *s, double now, dcs_err *err)
{
    s->res.acquisition_wait_s += now - s->acq_since;
    s->res.acquired = 1;
    s->res.type_start = s->cur;
    s->phase = RUNNING;
    int rc = rec(eng, s, R_ACQUIRED, (uint32_t)s->cur, HOURS(now - s->acq_since), err);
    if (rc == 0 && s->cfg->switching) {
        /* The checks are the engine's periodic events: the k-th at exactly
         * k check_every, from the first after now (no drift). */
        uint64_t k0 = (uint64_t)floor(now / s->cfg->check_s) + 1;
        rc = dcs_engine_every(eng, (uint16_t)(s->base + K_SWITCH_CHECK), s->cfg->check_s, k0);
        if (rc != 0)
            rc = dcs_err_set(err, rc, "cannot start the switch checks every %g s", s->cfg->check_s);
    }
    return rc != 0 ? rc : start_job(eng, s, now, err);
}

static void set_type(dcs_engine *eng, run_state *s, int i);
static int choose_type(dcs_engine *eng, const run_state *s);

/* After every model's init: a job that acquires its capacity asks the
 * market now (t = 0) and waits for it, or starts. */
static int pre_run(dcs_engine *eng, void *state, dcs_err *err)
{
    run_state *s = state;
    const dcs_run_cfg *c = s->cfg;
    if (s->phase != ACQUIRING)
        return 0;
    if (c->ntypes > 1)
        set_type(eng, s, choose_type(eng, s));
    double d = acquisition_delay(eng, s, c->acquire ? c->type_acq_s[s->cur] : 0.0);
    if (d > 0.0)
        return sched(eng, s, d, K_ACQUIRE, 0, 0, err);
    return acquired(eng, s, 0.0, err);
}

/* The arrays are the engine's (carve_arrays): forgotten, not freed. */
static void fini(void *state)
{
    run_state *s = state;
    s->clock = NULL;
    s->armed = NULL;
    s->wait = NULL;
    s->absent = NULL;
    s->slot = NULL;
    s->slow = NULL;
    s->gen = NULL;
    s->repair_dur = NULL;
    s->rq = NULL;
}

static int restart_done(dcs_engine *eng, run_state *s, double now, dcs_err *err);

static int try_restart(dcs_engine *eng, run_state *s, double now, dcs_err *err)
{
    if (s->phase != RECOVERING || s->pending_detect > 0 || s->empty_slots > 0 || s->maint_open > 0)
        return 0;
    const dcs_run_cfg *c = s->cfg;
    account(s, now);
    /* The in-memory checkpoint is gone if two or more nodes were lost since
     * it was taken: fall back to the persistent one. */
    if (s->p_mem_s > s->p_commit_s && s->mem_lost > 1) {
        lose(s, &s->m, s->cause);
        s->p_mem_s = s->p_commit_s;
        s->mem_since = 0;
    }
    double read = 0.0;
    int from_mem = s->p_mem_s > s->p_commit_s;
    if (from_mem) {
        read = c->mem_read_s;
        s->res.n_mem_restores++;
    } else if (s->p_commit_s > 0.0) {
        read = c->read_s;
    }
    set_pos(s, s->p_mem_s);
    s->phase = RESTARTING;
    s->res.n_restarts++;
    int rc = rec(eng, s, R_RESTART, (uint32_t)from_mem, HOURS(c->restart_s + read), err);
    double t = now + c->restart_s + read;
    if (rc != 0 || !s->chain || !(t < dcs_engine_horizon(eng)))
        return rc != 0 ? rc : jt_start(eng, s, &s->job, t, K_RESTART_DONE, err);
    /* Every handler ends with try_restart: when every other event comes
     * strictly after the restart's end (engine fast, untraced), its event
     * would be the next, so it is done now, at its time t. */
    s->job.t = t;
    s->job.kind = K_RESTART_DONE;
    return restart_done(eng, s, t, err);
}

/* The level of the checkpoint a CHECKPOINTING step writes. */
static uint32_t step_level(int step)
{
    switch (step) {
    case CK_MEM:
        return LV_MEMORY;
    case CK_SNAPSHOT:
        return LV_ASYNC;
    case CK_MAINT_SAVE:
        return LV_MAINT;
    case CK_SWITCH_SAVE:
        return LV_SWITCH;
    default:
        return LV_PERSISTENT;
    }
}

/* A checkpoint of work p, begun at some level, will never complete. */
static int ckpt_lost(dcs_engine *eng, run_state *s, uint32_t level, double p, dcs_err *err)
{
    s->res.n_ckpt_lost++;
    return rec(eng, s, R_CKPT_LOST, level, HOURS(p), err);
}

/* Stops an active job: the work since its last checkpoint is lost (and an
 * async write in flight with it), and the outage that begins is charged to
 * cls. A maintenance save that is cut short still opens its window. */
static int stop_job(dcs_engine *eng, run_state *s, int cls, double now, dcs_err *err)
{
    int rc;
    account(s, now);
    jt_stop(eng, s, &s->job);
    if (s->phase == CHECKPOINTING && s->step != CK_WAIT_WRITE &&
        (rc = ckpt_lost(eng, s, step_level(s->step), s->p_target_s, err)) != 0)
        return rc;
    double lost_s = s->u.wall;
    if (jt_pending(eng, s, &s->write)) {
        jt_stop(eng, s, &s->write);
        if ((rc = ckpt_lost(eng, s, LV_ASYNC, s->p_write_s, err)) != 0)
            return rc;
        lost_s += s->m.wall;
        lose(s, &s->m, cls);
    }
    if ((rc = rec(eng, s, R_STOPPED, (uint32_t)cls, HOURS(lost_s), err)) != 0)
        return rc;
    if (s->phase == RESTARTING && s->cause >= 0)
        s->res.downtime_s[s->cause] += now - s->down_since;
    if (s->phase == CHECKPOINTING && s->step == CK_MAINT_SAVE) {
        int mc = s->maint_cls;
        rc = sched(eng, s, now + s->cfg->sc->failures[mc].repair.mean_s, K_MAINT_END, (uint32_t)mc,
                   0, err);
        if (rc != 0)
            return rc;
    }
    s->cause = cls;
    s->down_since = now;
    lose(s, &s->u, cls);
    set_pos(s, s->p_mem_s);
    s->phase = RECOVERING;
    return 0;
}

/* An unexpected failure of class cls stops an active job. */
static int interrupt(dcs_engine *eng, run_state *s, int cls, double now, dcs_err *err)
{
    if (s->res.n_interruptions++ == 0)
        s->res.first_interrupt_s = now;
    return stop_job(eng, s, cls, now, err);
}

/* Takes the node in a slot out of service (its clocks stop, it is no
 * longer slow) and counts it against the in-memory checkpoint. */
static int empty_slot(dcs_engine *eng, run_state *s, uint32_t slot, double now, dcs_err *err)
{
    int rc = slot_clocks(eng, s, slot, 0, now, err);
    s->slot[slot] = FAILED;
    s->gen[slot]++;
    s->empty_slots++;
    s->mem_lost++;
    if (s->slow[slot] != 0) {
        s->slow_count[s->slow[slot] - 1]--;
        s->slow[slot] = 0;
        if (rc == 0)
            rc = update_speed(eng, s, now, err);
    }
    return rc;
}

static int is_active(const run_state *s)
{
    return s->phase == RUNNING || s->phase == CHECKPOINTING || s->phase == RESTARTING;
}

/* A node turns slow: the job runs at the speed of its slowest node until
 * the slow one is found. */
static int on_slow(dcs_engine *eng, run_state *s, int cls, uint32_t unit, double now, dcs_err *err)
{
    const dcs_run_cfg *c = s->cfg;
    uint32_t sl = unit / c->units_per_slot[cls];
    s->res.n_fail[cls]++;
    int rc = rec(eng, s, K_FAIL, (uint32_t)cls, unit, err);
    if (rc != 0)
        return rc;
    int old = s->slow[sl];
    if (old == 0 || c->speed[cls] < c->speed[old - 1]) {
        if (old != 0)
            s->slow_count[old - 1]--;
        s->slow_count[cls]++;
        s->slow[sl] = (uint8_t)(cls + 1);
        if ((rc = update_speed(eng, s, now, err)) != 0)
            return rc;
    }
    return sched_in(eng, s, s->lane_detect, now + c->detect_s[cls], K_SLOW_FOUND, (uint32_t)cls,
                    (uint64_t)sl | (uint64_t)s->gen[sl] << 32, err);
}

/* A maintenance window begins: a computing or checkpointing job saves its
 * work first (a blocking persistent write), then stops for the window. */
static int on_maintenance(dcs_engine *eng, run_state *s, int cls, uint32_t unit, double now,
                          dcs_err *err)
{
    const dcs_run_cfg *c = s->cfg;
    int rc = start_clock(eng, s, cls, unit, now, err);
    if (rc != 0 || s->phase == DONE)
        return rc;
    account(s, now);
    s->res.n_fail[cls]++;
    /* A window at random is an interruption, as run reports count planned
     * ones, when it stops an active job (not one already saving for another
     * window); a fixed schedule is not. */
    int saving_now = s->phase == CHECKPOINTING && s->step == CK_MAINT_SAVE;
    if (c->random_planned[cls] && is_active(s) && !saving_now && s->res.n_interruptions++ == 0)
        s->res.first_interrupt_s = now;
    s->maint_open++;
    double window = c->sc->failures[cls].repair.mean_s;
    if ((rc = rec(eng, s, R_MAINT, (uint32_t)cls, HOURS(window), err)) != 0)
        return rc;
    int saving = s->phase == CHECKPOINTING && s->step == CK_MAINT_SAVE;
    if ((s->phase == RUNNING || s->phase == CHECKPOINTING) && !saving) {
        jt_stop(eng, s, &s->job);
        if (s->phase == CHECKPOINTING && s->step != CK_WAIT_WRITE &&
            (rc = ckpt_lost(eng, s, step_level(s->step), s->p_target_s, err)) != 0)
            return rc;
        s->phase = CHECKPOINTING;
        s->step = CK_MAINT_SAVE;
        s->maint_cls = cls;
        s->p_target_s = s->pos_s;
        if ((rc = rec(eng, s, R_CKPT_START, LV_MAINT, HOURS(s->pos_s), err)) != 0)
            return rc;
        return jt_start(eng, s, &s->job, now + c->delta_s, K_CKPT_DONE, err);
    }
    /* A job that is down (or already saving for another window) keeps its
     * state; this window runs beside whatever it waits for. */
    if (s->phase == RESTARTING && (rc = stop_job(eng, s, cls, now, err)) != 0)
        return rc;
    return sched(eng, s, now + window, K_MAINT_END, (uint32_t)cls, 0, err);
}

/* The detection of a failure of class cls at `where` (K_DETECT's arg), due
 * detect_s after now: queued, or (engine fast, untraced) kept for the end
 * of the failure's handler (detect_kept): nothing is queued after it there
 * but the failure's class clock. */
static int sched_detect(dcs_engine *eng, run_state *s, int cls, uint64_t where, double now,
                        dcs_err *err)
{
    double t = now + s->cfg->detect_s[cls];
    if (s->chain && !s->det_on) {
        s->det_on = 1;
        s->det_cls = cls;
        s->det_arg = where;
        s->det_t = t;
        return 0;
    }
    return sched_in(eng, s, s->lane_detect, t, K_DETECT, (uint32_t)cls, where, err);
}

/* Unit `unit` of class cls fails now (its clock has fired and is gone). */
static int fail_unit(dcs_engine *eng, run_state *s, int cls, uint32_t unit, double now,
                     dcs_err *err)
{
    const dcs_run_cfg *c = s->cfg;
    int active = is_active(s);
    int rc;

    switch (c->action[cls]) {
    case DCS_ACTION_SLOW:
        return on_slow(eng, s, cls, unit, now, err);
    case DCS_ACTION_PLANNED:
        return on_maintenance(eng, s, cls, unit, now, err);
    case DCS_ACTION_RESTART:
        /* Software, storage or a reset: the unit's clock renews and the job
         * restarts on the same hardware. A job that is already down cannot
         * be stopped again. */
        if ((rc = start_clock(eng, s, cls, unit, now, err)) != 0)
            return rc;
        if (!active)
            return 0;
        s->res.n_fail[cls]++;
        if ((rc = rec(eng, s, K_FAIL, (uint32_t)cls, unit, err)) != 0 ||
            (rc = interrupt(eng, s, cls, now, err)) != 0)
            return rc;
        s->pending_detect++;
        return sched_detect(eng, s, cls, NO_SLOT, now, err);
    case DCS_ACTION_SWAP:
        break;
    }

    s->res.n_fail[cls]++;
    if ((rc = rec(eng, s, K_FAIL, (uint32_t)cls, unit, err)) != 0)
        return rc;
    uint64_t where;
    int hit = 0;
    if (c->slots_per_unit[cls] > 0) {
        /* A switch: every node below it that is in service goes out, and
         * comes back when the switch is repaired. */
        uint32_t first = unit * c->slots_per_unit[cls];
        for (uint32_t sl = first; sl < first + c->slots_per_unit[cls]; sl++) {
            if (s->slot[sl] != IN_SERVICE)
                continue;
            if ((rc = empty_slot(eng, s, sl, now, err)) != 0)
                return rc;
            hit++;
        }
        s->repair_dur[c->nslots + c->clock_off[cls] + unit] = repair_draw(eng, s, cls);
        where = SWITCH_BIT | unit;
    } else {
        uint32_t sl = unit / c->units_per_slot[cls];
        if ((rc = empty_slot(eng, s, sl, now, err)) != 0)
            return rc;
        hit = 1;
        s->repair_dur[sl] = repair_draw(eng, s, cls);
        where = sl;
    }
    if (active && hit > 0 && (rc = interrupt(eng, s, cls, now, err)) != 0)
        return rc;
    s->pending_detect++;
    return sched_detect(eng, s, cls, where, now, err);
}

static int detect_at(dcs_engine *eng, run_state *s, int cls, uint64_t arg, double now,
                     dcs_err *err);

/* The detection that sched_detect kept, at the end of the failure's handler:
 * done now, at its time t, when every pending event comes strictly after
 * it; else queued now, later than its event would have been, which changes
 * no order (the events that come before it in time do either way, and so
 * do those at t queued before it), but for the clock of superposed class
 * sup (or -1) that the handler drew since: at t exactly, its event would
 * have come after the detection's, and it is queued again after it. */
static int detect_kept(dcs_engine *eng, run_state *s, int sup, dcs_err *err)
{
    if (!s->det_on)
        return 0;
    s->det_on = 0;
    double t = s->det_t;
    if (t < dcs_engine_horizon(eng))
        return detect_at(eng, s, s->det_cls, s->det_arg, t, err);
    int rc = sched_in(eng, s, s->lane_detect, t, K_DETECT, (uint32_t)s->det_cls, s->det_arg, err);
    if (rc == 0 && sup >= 0 && dcs_timer_pending(eng, &s->sup[sup]) && s->sup_t[sup] == t)
        rc = start(eng, s, &s->sup[sup], t, K_FAIL, (uint32_t)sup, SUP_UNIT, err);
    return rc;
}

static int on_fail(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    run_state *s = state;
    int cls = (int)ev->unit;
    int rc = 0;
    if (ev->arg != SUP_UNIT) {
        account(s, ev->t); /* power changes with the nodes in place */
        rc = fail_unit(eng, s, cls, (uint32_t)ev->arg, ev->t, err);
        return rc != 0 ? rc : detect_kept(eng, s, -1, err);
    }
    /* A superposed class's clock: the candidate fails if it is in service. */
    uint32_t unit = sup_draw_unit(eng, s, cls);
    if (is_armed(s, cls, unit)) {
        account(s, ev->t);
        set_armed(s, cls, unit, 0);
        rc = fail_unit(eng, s, cls, unit, ev->t, err);
    }
    if (rc == 0)
        rc = sup_sync(eng, s, cls, ev->t, err);
    return rc != 0 ? rc : detect_kept(eng, s, cls, err);
}

/* A detected, emptied slot gets a spare, waits for one, or is left out. */
/* A spare free goes to slot sl at now (its swap begins). */
static void take_spare(run_state *s, uint32_t sl, double now)
{
    spares_add(s, -1, now);
    if (s->spares_free < s->res.min_spares_free)
        s->res.min_spares_free = s->spares_free;
    s->slot[sl] = SWAPPING;
}

static int refill(dcs_engine *eng, run_state *s, uint32_t sl, double now, dcs_err *err)
{
    const dcs_run_cfg *c = s->cfg;
    if (s->spares_free > 0) {
        take_spare(s, sl, now);
        return sched_in(eng, s, s->lane_swap, now + c->swap_s, K_SWAP_DONE, 0, sl, err);
    }
    account(s, now); /* the category may turn to waiting */
    if (c->shrink && c->nslots - s->nabsent - 1 >= c->min_nodes) {
        s->slot[sl] = ABSENT;
        s->empty_slots--;
        s->nabsent++;
        s->absent[(s->absent_head + s->nabsent_q) % c->nslots] = sl;
        s->nabsent_q++;
        int64_t present = (int64_t)(c->nslots - s->nabsent);
        if (present < s->res.min_nodes_seen)
            s->res.min_nodes_seen = present;
        int rc = rec(eng, s, R_LEFT_OUT, sl, (double)present, err);
        return rc != 0 ? rc : update_speed(eng, s, now, err);
    }
    s->slot[sl] = WAITING;
    s->wait[(s->wait_head + s->nwaiting) % c->nslots] = sl;
    s->nwaiting++;
    return rec(eng, s, R_WAIT, sl, (double)s->nwaiting, err);
}

static int swap_done(dcs_engine *eng, run_state *s, uint32_t sl, double now, dcs_err *err);

/* Whether the swap that a detection at now begins with a spare free may be
 * done at once, at its end t, in the detection's handler (engine fast,
 * untraced): every other event comes strictly after t, but for the repair
 * of duration dur that the detection starts, whose event comes after the
 * swap's in either case when it comes at t. */
static int swap_chains(dcs_engine *eng, const run_state *s, double now, double dur)
{
    const dcs_run_cfg *c = s->cfg;
    double t = now + c->swap_s;
    int repair_now = c->repair_capacity == 0 || s->repairs_busy < c->repair_capacity;
    return s->chain && s->spares_free > 0 && !(repair_now && now + dur < t) &&
           t < dcs_engine_horizon(eng);
}

/* The failure of class cls at arg (K_DETECT's) is detected at now. */
static int detect_at(dcs_engine *eng, run_state *s, int cls, uint64_t arg, double now, dcs_err *err)
{
    account(s, now); /* power changes with the nodes in place */
    const dcs_run_cfg *c = s->cfg;
    s->pending_detect--;
    double where = arg == NO_SLOT            ? -1.0
                   : (arg & SWITCH_BIT) != 0 ? (double)(arg & ~SWITCH_BIT)
                                             : (double)arg;
    int rc = rec(eng, s, K_DETECT, (uint32_t)cls, where, err);
    if (rc != 0)
        return rc;
    if (arg == NO_SLOT)
        return try_restart(eng, s, now, err);
    if (arg & SWITCH_BIT) {
        uint32_t unit = (uint32_t)(arg & ~SWITCH_BIT);
        uint32_t first = unit * c->slots_per_unit[cls], nodes = 0;
        for (uint32_t sl = first; sl < first + c->slots_per_unit[cls] && rc == 0; sl++) {
            if (s->slot[sl] != FAILED)
                continue;
            nodes++;
            rc = refill(eng, s, sl, now, err);
        }
        repair_job j = {s->repair_dur[c->nslots + c->clock_off[cls] + unit], nodes, (uint32_t)cls,
                        unit + 1};
        if (rc == 0)
            rc = request_repair(eng, s, j, now, err);
    } else {
        uint32_t sl = (uint32_t)arg;
        repair_job j = {s->repair_dur[sl], 1, 0, 0};
        int chain = swap_chains(eng, s, now, j.dur_s);
        if (chain)
            take_spare(s, sl, now); /* its event would come next: done below */
        else
            rc = refill(eng, s, sl, now, err);
        /* With no spare free, an on-demand job also waits for the market:
         * a short market delays the replacement. */
        if (rc == 0 && c->replace_s > 0.0 && s->slot[sl] == WAITING)
            j.dur_s += acquisition_delay(eng, s, c->replace_s);
        if (rc == 0)
            rc = request_repair(eng, s, j, now, err);
        if (rc == 0)
            rc = try_restart(eng, s, now, err);
        return rc != 0 || !chain ? rc : swap_done(eng, s, sl, now + c->swap_s, err);
    }
    return rc != 0 ? rc : try_restart(eng, s, now, err);
}

static int on_detect(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    return detect_at(eng, state, (int)ev->unit, ev->arg, ev->t, err);
}

/* A slow node has been found: it leaves like a failed one (the job stops,
 * a spare replaces it, it goes to repair). */
static int on_slow_found(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    run_state *s = state;
    account(s, ev->t); /* power changes with the nodes in place */
    int cls = (int)ev->unit;
    uint32_t sl = (uint32_t)(ev->arg & UINT32_MAX);
    double now = ev->t;
    if ((uint32_t)(ev->arg >> 32) != s->gen[sl])
        return 0; /* that node has left already */
    int active = is_active(s);
    int rc = rec(eng, s, K_SLOW_FOUND, (uint32_t)cls, sl, err);
    if (rc == 0)
        rc = empty_slot(eng, s, sl, now, err);
    if (rc == 0 && active)
        rc = interrupt(eng, s, cls, now, err);
    if (rc != 0)
        return rc;
    repair_job j = {repair_draw(eng, s, cls), 1, 0, 0};
    if ((rc = refill(eng, s, sl, now, err)) == 0)
        rc = request_repair(eng, s, j, now, err);
    return rc != 0 ? rc : try_restart(eng, s, now, err);
}

/* The swap (or the rejoining) of slot sl's node ends at now. */
static int swap_done(dcs_engine *eng, run_state *s, uint32_t sl, double now, dcs_err *err)
{
    account(s, now); /* power changes with the nodes in place */
    int rc = slot_clocks(eng, s, sl, 1, now, err);
    if (rc != 0)
        return rc;
    if (s->slot[sl] == JOINING) {
        /* A repaired node rejoins a shrunk job where it stands. */
        s->slot[sl] = IN_SERVICE;
        s->nabsent--;
        rc = rec(eng, s, R_REJOINED, sl, (double)(s->cfg->nslots - s->nabsent), err);
        return rc != 0 ? rc : update_speed(eng, s, now, err);
    }
    s->slot[sl] = IN_SERVICE;
    s->empty_slots--;
    rc = rec(eng, s, K_SWAP_DONE, sl, (double)s->spares_free, err);
    return rc != 0 ? rc : try_restart(eng, s, now, err);
}

static int on_swap_done(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    return swap_done(eng, state, (uint32_t)ev->arg, ev->t, err);
}

static int on_repair_done(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    run_state *s = state;
    account(s, ev->t); /* power changes with the nodes in place */
    const dcs_run_cfg *c = s->cfg;
    double now = ev->t;
    uint32_t nodes = (uint32_t)(ev->arg & 0xFFFFFF);
    int sw_cls = (int)(ev->arg >> 24 & 0xFF);
    uint32_t sw = (uint32_t)(ev->arg >> 32);
    int rc = 0;
    s->repairs_busy--;
    for (uint32_t i = 0; i < nodes && rc == 0; i++) {
        uint32_t sl;
        if (s->nwaiting > 0) {
            account(s, now);
            sl = s->wait[s->wait_head];
            s->wait_head = (s->wait_head + 1) % c->nslots;
            s->nwaiting--;
            s->slot[sl] = SWAPPING;
        } else if (s->nabsent_q > 0) {
            sl = s->absent[s->absent_head];
            s->absent_head = (s->absent_head + 1) % c->nslots;
            s->nabsent_q--;
            s->slot[sl] = JOINING;
        } else {
            spares_add(s, 1, now);
            continue;
        }
        rc = sched_in(eng, s, s->lane_swap, now + c->swap_s, K_SWAP_DONE, 0, sl, err);
    }
    if (rc == 0 && sw > 0) /* the switch is back in service: its clock runs again */
        rc = start_clock(eng, s, sw_cls, sw - 1, now, err);
    if (rc == 0)
        rc = rec(eng, s, K_REPAIR_DONE, nodes, (double)s->spares_free, err);
    if (rc == 0 && s->rq_len > 0) {
        repair_job j = s->rq[s->rq_head];
        s->rq_head = (s->rq_head + 1) % s->rq_cap;
        s->rq_len--;
        rc = start_repair(eng, s, j, now, err);
    }
    return rc != 0 ? rc : ff_resume(eng, s, err);
}

/* ---- several types (job.accelerators) ---------------------------------------------------- */

/* Type i's price per effective FLOP now: price / (peak x mfu). */
static double flop_cost(dcs_engine *eng, const run_state *s, int i)
{
    const dcs_market_now *m = dcs_market_type_now(eng, s->cfg->type_market[i]);
    return (m != NULL ? m->price : s->cfg->fixed_price) / s->cfg->type_fm[i];
}

/* Whether type i can be acquired: its market is not wholly short. */
static int can_acquire(dcs_engine *eng, const run_state *s, int i)
{
    const dcs_market_now *m = dcs_market_type_now(eng, s->cfg->type_market[i]);
    return m == NULL || m->shortage < 1.0;
}

/* The type other than `skip` with the lowest price per effective FLOP
 * among those that can be acquired (the first of equals), or -1. */
static int cheapest_type(dcs_engine *eng, const run_state *s, int skip)
{
    int best = -1;
    for (int i = 0; i < s->cfg->ntypes; i++)
        if (i != skip && can_acquire(eng, s, i) &&
            (best < 0 || flop_cost(eng, s, i) < flop_cost(eng, s, best)))
            best = i;
    return best;
}

/* The type taken at the start (job.choose): the first of the list, or
 * the cheapest, that can be acquired; the first when none can. */
static int choose_type(dcs_engine *eng, const run_state *s)
{
    int best = -1;
    if (s->cfg->cheapest)
        best = cheapest_type(eng, s, -1);
    for (int i = 0; best < 0 && i < s->cfg->ntypes; i++)
        if (can_acquire(eng, s, i))
            best = i;
    return best < 0 ? 0 : best;
}

static void set_type(dcs_engine *eng, run_state *s, int i)
{
    s->cur = i;
    s->mkt = dcs_market_type_now(eng, s->cfg->type_market[i]);
}

/* A switch begins: the computing job saves its work (a blocking
 * persistent write, billed on the old type). */
static int begin_switch(dcs_engine *eng, run_state *s, int to, double gap, double now, dcs_err *err)
{
    account(s, now);
    s->phase = CHECKPOINTING;
    s->step = CK_SWITCH_SAVE;
    s->next = to;
    s->gap = gap;
    s->p_target_s = s->pos_s;
    int rc = rec(eng, s, R_CKPT_START, LV_SWITCH, HOURS(s->pos_s), err);
    return rc != 0 ? rc : jt_start(eng, s, &s->job, now + s->cfg->delta_s, K_CKPT_DONE, err);
}

/* The save before a switch is done: the old type is given back and the
 * new one is asked for (its market's wait at its shortage now). */
/* A blocking save (before a maintenance window or a switch, recorded at
 * level lv) is done: everything up to here is saved, and a background
 * write in flight is superseded, so that checkpoint never completes. */
static int blocking_save_done(dcs_engine *eng, run_state *s, double now, uint32_t lv, dcs_err *err)
{
    int rc;
    if (jt_pending(eng, s, &s->write)) {
        jt_stop(eng, s, &s->write);
        if ((rc = ckpt_lost(eng, s, LV_ASYNC, s->p_write_s, err)) != 0)
            return rc;
    }
    keep(s, &s->m);
    keep(s, &s->u);
    persisted(s, now, s->p_target_s);
    return rec(eng, s, K_CKPT_DONE, lv, HOURS(s->p_target_s), err);
}

static int switch_saved(dcs_engine *eng, run_state *s, double now, dcs_err *err)
{
    int rc;
    if ((rc = blocking_save_done(eng, s, now, LV_SWITCH, err)) != 0)
        return rc;
    s->res.n_switches++;
    set_type(eng, s, s->next);
    if ((rc = rec(eng, s, R_SWITCH, (uint32_t)s->cur, s->gap, err)) != 0)
        return rc;
    s->phase = ACQUIRING;
    s->acq_since = now;
    double d = acquisition_delay(eng, s, s->cfg->type_acq_s[s->cur]);
    return sched(eng, s, now + d, K_ACQUIRE, 0, 2, err);
}

/* The new type is there: the job restarts on it from the checkpoint (an
 * outage of no failure class: cause -1). */
static int switch_acquired(dcs_engine *eng, run_state *s, double now, dcs_err *err)
{
    account(s, now);
    s->res.acquisition_wait_s += now - s->acq_since;
    s->phase = RECOVERING;
    s->cause = -1;
    s->down_since = now;
    s->speed = s->f_thr * s->f_nodes * s->cfg->type_speed[s->cur];
    int rc = rec(eng, s, R_ACQUIRED, (uint32_t)s->cur, HOURS(now - s->acq_since), err);
    return rc != 0 ? rc : try_restart(eng, s, now, err);
}

/* Takes the async snapshot of the work at p_target_s. */
static int snapshot(dcs_engine *eng, run_state *s, double now, dcs_err *err)
{
    s->step = CK_SNAPSHOT;
    int rc = rec(eng, s, R_CKPT_START, LV_ASYNC, HOURS(s->p_target_s), err);
    if (rc != 0)
        return rc;
    return jt_start(eng, s, &s->job, now + s->cfg->snap_s, K_CKPT_DONE, err);
}

/* Compute reached the segment's target at now. */
static int segment_end(dcs_engine *eng, run_state *s, double now, dcs_err *err)
{
    const dcs_run_cfg *c = s->cfg;
    account(s, now);
    set_pos(s, s->p_target_s); /* exactly, despite rounding in pos += dt * speed */
    int end_of_work = s->p_target_s >= c->ts_s;
    if (end_of_work && !c->sc->checkpoint.final) {
        return finish(eng, s, now, err);
    }
    s->phase = CHECKPOINTING;
    int rc;
    if (!s->target_persist) {
        s->step = CK_MEM;
        if ((rc = rec(eng, s, R_CKPT_START, LV_MEMORY, HOURS(s->p_target_s), err)) != 0)
            return rc;
        return jt_start(eng, s, &s->job, now + c->mem_write_s, K_CKPT_DONE, err);
    }
    if (c->async) {
        s->step = CK_WAIT_WRITE;
        return jt_pending(eng, s, &s->write) ? 0 : snapshot(eng, s, now, err);
    }
    s->step = CK_WRITE;
    if ((rc = rec(eng, s, R_CKPT_START, LV_PERSISTENT, HOURS(s->p_target_s), err)) != 0)
        return rc;
    return jt_start(eng, s, &s->job, now + c->delta_s, K_CKPT_DONE, err);
}

/* The checkpoint step under way is done at now. */
static int ckpt_done(dcs_engine *eng, run_state *s, double now, dcs_err *err)
{
    const dcs_run_cfg *c = s->cfg;
    account(s, now);
    int rc;
    switch (s->step) {
    case CK_MEM:
        pour(&s->m, &s->u);
        s->p_mem_s = s->p_target_s;
        s->mem_since++;
        s->mem_lost = 0;
        s->res.n_mem_checkpoints++;
        if ((rc = rec(eng, s, K_CKPT_DONE, LV_MEMORY, HOURS(s->p_target_s), err)) != 0)
            return rc;
        break;
    case CK_SNAPSHOT:
        /* The background write of the snapshot starts; the job goes on. */
        pour(&s->m, &s->u);
        s->p_write_s = s->p_target_s;
        if (s->p_target_s >= c->ts_s) {
            s->step = CK_WAIT_WRITE; /* the run ends when the model is saved */
            return jt_start(eng, s, &s->write, now + c->delta_s, K_WRITE_DONE, err);
        }
        rc = jt_start(eng, s, &s->write, now + c->delta_s, K_WRITE_DONE, err);
        return rc != 0 ? rc : start_segment(eng, s, now, err);
    case CK_MAINT_SAVE: {
        /* The save is done; the window opens. */
        if ((rc = blocking_save_done(eng, s, now, LV_MAINT, err)) != 0)
            return rc;
        s->phase = RECOVERING;
        s->cause = s->maint_cls;
        s->down_since = now;
        double window = c->sc->failures[s->maint_cls].repair.mean_s;
        return sched(eng, s, now + window, K_MAINT_END, (uint32_t)s->maint_cls, 0, err);
    }
    case CK_SWITCH_SAVE:
        return switch_saved(eng, s, now, err);
    default: /* CK_WRITE */
        keep(s, &s->m);
        keep(s, &s->u);
        persisted(s, now, s->p_target_s);
        if ((rc = rec(eng, s, K_CKPT_DONE, LV_PERSISTENT, HOURS(s->p_target_s), err)) != 0)
            return rc;
        break;
    }
    if (s->p_target_s >= c->ts_s) {
        return finish(eng, s, now, err);
    }
    return start_segment(eng, s, now, err);
}

/* The background write is done at now. */
static int write_done(dcs_engine *eng, run_state *s, double now, dcs_err *err)
{
    account(s, now);
    keep(s, &s->m);
    persisted(s, now, s->p_write_s);
    int rc = rec(eng, s, K_CKPT_DONE, LV_ASYNC, HOURS(s->p_write_s), err);
    if (rc != 0 || s->phase != CHECKPOINTING || s->step != CK_WAIT_WRITE)
        return rc;
    if (s->p_commit_s >= s->cfg->ts_s) {
        return finish(eng, s, now, err);
    }
    return snapshot(eng, s, now, err); /* the job was waiting to take its next one */
}

static int on_segment_end(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    run_state *s = state;
    if (s->cfg->fast_forward && s->p_target_s < s->cfg->ts_s) /* the last is left to events */
        return fast_forward(eng, s, ev->t, K_SEGMENT_END, err);
    return segment_end(eng, s, ev->t, err);
}

static int on_ckpt_done(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    return ckpt_done(eng, state, ev->t, err);
}

static int on_write_done(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    return write_done(eng, state, ev->t, err);
}

static int restart_done(dcs_engine *eng, run_state *s, double now, dcs_err *err)
{
    account(s, now);
    if (s->cause >= 0)
        s->res.downtime_s[s->cause] += now - s->down_since;
    int rc = rec(eng, s, K_RESTART_DONE, (uint32_t)s->cause, HOURS(now - s->down_since), err);
    return rc != 0 ? rc : start_segment(eng, s, now, err);
}

static int on_restart_done(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    return restart_done(eng, state, ev->t, err);
}

static int on_maint_end(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    run_state *s = state;
    account(s, ev->t);
    s->maint_open--;
    int rc = rec(eng, s, K_MAINT_END, ev->unit, 0.0, err);
    return rc != 0 ? rc : try_restart(eng, s, ev->t, err);
}

static int on_acquire(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    if (ev->arg == 2)
        return switch_acquired(eng, state, ev->t, err);
    return acquired(eng, state, ev->t, err);
}

/* Every check_every (the engine's periodic event, from the acquisition
 * on): a computing job moves to the type with the lowest
 * price per effective FLOP when the gap to its own passes the threshold. */
static int on_switch_check(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    run_state *s = state;
    const dcs_run_cfg *c = s->cfg;
    if (s->phase != RUNNING)
        return 0;
    int best = cheapest_type(eng, s, s->cur);
    double gap = best >= 0 ? 1.0 - flop_cost(eng, s, best) / flop_cost(eng, s, s->cur) : 0.0;
    if (!(gap > c->threshold))
        return 0;
    return begin_switch(eng, s, best, gap, ev->t, err);
}

static int on_term_end(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    (void)eng;
    (void)err;
    run_state *s = state;
    account(s, ev->t);
    s->term_over = 1;
    return 0;
}

static const char *const kind_names[NKINDS] = {
    [K_FAIL] = "failure",
    [K_DETECT] = "failure_detected",
    [K_SWAP_DONE] = "spare_swapped",
    [K_REPAIR_DONE] = "repair_done",
    [K_SEGMENT_END] = "segment_end",
    [K_CKPT_DONE] = "checkpoint_done",
    [K_RESTART_DONE] = "restart_done",
    [K_WRITE_DONE] = "background_write_done",
    [K_SLOW_FOUND] = "slow_node_found",
    [K_MAINT_END] = "maintenance_done",
    [K_ACQUIRE] = "acquire",
    [K_TERM_END] = "reservation_ended",
    [R_CKPT_START] = "checkpoint_started",
    [R_CKPT_LOST] = "checkpoint_lost",
    [R_STOPPED] = "job_stopped",
    [R_RESTART] = "restart_started",
    [R_WAIT] = "waiting_for_node",
    [R_LEFT_OUT] = "node_left_out",
    [R_REJOINED] = "node_rejoined",
    [R_REPAIR] = "repair_started",
    [R_MAINT] = "maintenance_started",
    [R_DONE] = "job_done",
    [R_ACQUIRED] = "capacity_acquired",
    [K_SWITCH_CHECK] = "switch_check",
    [R_SWITCH] = "accelerator_switched",
};

/* What each trace record holds. Levels: 0 persistent (blocking), 1 in
 * memory, 2 asynchronous, 3 the save before a maintenance window. */
static const char *const kind_docs[NKINDS] = {
    [K_FAIL] = "a failure that hit the job or its nodes; unit: failure class; value: the unit "
               "index within the class (accelerator, node, switch, or 0)",
    [K_DETECT] = "the job noticed a failure; unit: failure class; value: node slot, switch "
                 "index, or -1 for a job-wide failure",
    [K_SWAP_DONE] = "a spare node is in place; unit: node slot; value: spare nodes free",
    [K_REPAIR_DONE] = "a repair finished; unit: nodes returned; value: spare nodes free",
    [K_SEGMENT_END] = "internal: compute reached a checkpoint (not recorded)",
    [K_CKPT_DONE] = "a checkpoint completed; unit: level (0 persistent, 1 memory, 2 async, 3 "
                    "maintenance save, 4 the save before a switch); value: work it holds, h of "
                    "failure-free compute on the first type",
    [K_RESTART_DONE] = "the job computes again; unit: failure class that stopped it "
                       "(4294967295 after a switch); value: the outage, h",
    [K_WRITE_DONE] = "internal: an async write finished (recorded as checkpoint_done)",
    [K_SLOW_FOUND] = "a slow node was found and leaves; unit: failure class; value: node slot",
    [K_MAINT_END] = "a maintenance window closed; unit: failure class; value: 0",
    [K_ACQUIRE] = "internal: the job asks the market for capacity (not recorded)",
    [K_TERM_END] = "internal: the reservation's term ended (not recorded)",
    [R_CKPT_START] = "a checkpoint began; unit: level; value: work it will hold, h",
    [R_CKPT_LOST] = "a checkpoint begun will never complete; unit: level; value: work it held, h",
    [R_STOPPED] = "the job stopped: an interruption (counted in n_interruptions), or a "
                  "maintenance window that began during a restart (unit is then the "
                  "maintenance class, counted only for windows at random); unit: failure "
                  "class; value: compute wall time lost, h",
    [R_RESTART] = "a restart began; unit: 1 from an in-memory checkpoint, else 0; value: its "
                  "length, h",
    [R_WAIT] = "a failed node found no spare and waits for a repair; unit: node slot; value: "
               "slots waiting",
    [R_LEFT_OUT] = "a failed node found no spare and the job goes on without it; unit: node "
                   "slot; value: nodes present",
    [R_REJOINED] = "a repaired node rejoined a shrunk job; unit: node slot; value: nodes present",
    [R_REPAIR] = "a repair began; unit: nodes in it; value: its length, h",
    [R_MAINT] = "a planned maintenance window began; unit: failure class; value: its length, h",
    [R_DONE] = "the job finished; unit: 0; value: makespan, h",
    [R_ACQUIRED] = "the market delivered the job's on-demand capacity; unit: its type's index in "
                   "job.accelerators (0 without it); value: the wait, h",
    [K_SWITCH_CHECK] = "internal: job.switch compares the types' prices (not recorded)",
    [R_SWITCH] = "the job gave its type back after the save before a switch; unit: the new "
                 "type's index in job.accelerators; value: the gap 1 - c_new / c_old of prices "
                 "per effective FLOP that started it",
};

static dcs_handler_fn *const handlers[NKINDS] = {
    [K_FAIL] = on_fail,
    [K_DETECT] = on_detect,
    [K_SWAP_DONE] = on_swap_done,
    [K_REPAIR_DONE] = on_repair_done,
    [K_SEGMENT_END] = on_segment_end,
    [K_CKPT_DONE] = on_ckpt_done,
    [K_RESTART_DONE] = on_restart_done,
    [K_WRITE_DONE] = on_write_done,
    [K_SLOW_FOUND] = on_slow_found,
    [K_MAINT_END] = on_maint_end,
    [K_ACQUIRE] = on_acquire,
    [K_TERM_END] = on_term_end,
    [K_SWITCH_CHECK] = on_switch_check,
};

static int final(dcs_engine *eng, void *state, void *out, dcs_err *err);

const dcs_model dcs_run_model = {
    .name = "run",
    .state_size = sizeof(run_state),
    .init = init,
    .fini = fini,
    .pre_run = pre_run,
    .final = final,
    .nkinds = NKINDS,
    .kind_names = kind_names,
    .handlers = handlers,
    .kind_docs = kind_docs,
};

/* Units of a class, and where they live. */
static int class_layout(dcs_run_cfg *rc, const dcs_scenario *sc, int k, dcs_err *err)
{
    const dcs_cluster_cfg *cl = &sc->cluster;
    const dcs_failure_cfg *f = &sc->failures[k];
    switch (f->scope) {
    case DCS_SCOPE_ACCELERATOR:
    case DCS_SCOPE_HBM:
        rc->units_per_slot[k] = (uint32_t)cl->accels_per_node;
        break;
    case DCS_SCOPE_NODE:
        rc->units_per_slot[k] = 1;
        break;
    case DCS_SCOPE_SWITCH:
        /* The loader's validators failures.scope and cluster.nodes_per_switch. */
        assert(cl->nodes_per_switch > 0 && cl->nodes % cl->nodes_per_switch == 0);
        rc->slots_per_unit[k] = (uint32_t)cl->nodes_per_switch;
        break;
    case DCS_SCOPE_JOB:
    case DCS_SCOPE_STORAGE:
    case DCS_SCOPE_MAINTENANCE:
        break;
    case DCS_SCOPE_COOLING:
        rc->units[k] = 0; /* the energy model's clocks (env.c) */
        return 0;
    }
    if ((uint64_t)rc->units_per_slot[k] * rc->nslots > DCS_RUN_MAX_CLOCKS) {
        dcs_err_key(err, "cluster.accelerators_per_node");
        return dcs_err_set(err, DCS_EINPUT,
                           "%llu accelerators (cluster.nodes x accelerators_per_node): the model "
                           "holds at most %lu",
                           (unsigned long long)rc->units_per_slot[k] * rc->nslots,
                           (unsigned long)DCS_RUN_MAX_CLOCKS);
    }
    int in_nodes = rc->units_per_slot[k] > 0;
    /* The loader's validator failures.action (scenarios/validate.c). */
    assert(!(f->action == DCS_ACTION_SWAP && !in_nodes && rc->slots_per_unit[k] == 0) &&
           !(f->action == DCS_ACTION_SLOW && !in_nodes) &&
           (f->action == DCS_ACTION_PLANNED) == (f->scope == DCS_SCOPE_MAINTENANCE));
    if (in_nodes)
        rc->units[k] = rc->units_per_slot[k] * rc->nslots; /* < 2^24 x 2^16 (dcs_run_cfg_init) */
    else if (rc->slots_per_unit[k] > 0)
        rc->units[k] = rc->nslots / rc->slots_per_unit[k];
    else
        rc->units[k] = 1;
    return 0;
}

/* The types of job.accelerators, relative to the first (the cluster's):
 * one type of speed and shape 1 without it. */
static void types_init(dcs_run_cfg *rc, const dcs_scenario *sc)
{
    const dcs_job_cfg *j = &sc->job;
    rc->ntypes = j->ntypes > 1 ? j->ntypes : 1;
    rc->type_speed[0] = rc->type_shape[0] = 1.0;
    rc->type_fm[0] = sc->cluster.accel.peak_flops * j->mfu;
    rc->type_acq_s[0] = rc->acquisition_s;
    if (j->ntypes < 2)
        return;
    const dcs_job_type_cfg *t0 = &j->types[0];
    double rate0 = (double)t0->accels_per_node * t0->peak_flops * t0->mfu;
    for (int i = 0; i < j->ntypes; i++) {
        const dcs_job_type_cfg *t = &j->types[i];
        rc->type_fm[i] = t->peak_flops * t->mfu;
        rc->type_speed[i] = (double)t->accels_per_node * rc->type_fm[i] / rate0;
        rc->type_shape[i] = (double)t->accels_per_node / (double)t0->accels_per_node;
        rc->type_market[i] = t->market_type;
        rc->type_acq_s[i] = sc->market_types[t->market_type].m.acquisition_s;
    }
    rc->type_speed[0] = 1.0;
    rc->cheapest = j->choose == DCS_CHOOSE_CHEAPEST;
    rc->switching = j->sw.policy == DCS_SWITCH_PRICE_GAP;
    rc->threshold = j->sw.threshold;
    rc->check_s = j->sw.check_s;
}

int dcs_run_cfg_init(dcs_run_cfg *rc, const dcs_scenario *sc, dcs_err *err)
{
    memset(rc, 0, sizeof *rc);
    rc->sc = sc;
    const dcs_cluster_cfg *cl = &sc->cluster;
    const dcs_ckpt_cfg *ck = &sc->checkpoint;
    /* Counts first, before anything multiplies them: a node is a 32-bit
     * slot and an accelerator a 32-bit unit of its class. The loader's
     * ranges of cluster.nodes, accelerators_per_node and spare_nodes hold
     * them (read_core.c, at_most). */
    assert(cl->nodes >= 1 && cl->nodes <= DCS_RUN_MAX_NODES);
    assert(cl->accels_per_node >= 1 && cl->accels_per_node <= DCS_RUN_MAX_ACCELS_PER_NODE);
    assert(cl->spare_nodes >= 0 && cl->spare_nodes <= DCS_RUN_MAX_NODES);
    double accels = (double)(cl->nodes * cl->accels_per_node);
    double rate = accels * cl->accel.peak_flops * sc->job.mfu;
    if (sc->job.nstages == 0 && (!(rate > 0.0) || !isfinite(rate)))
        return dcs_err_set(
            err, DCS_EINPUT,
            "the cluster computes at %g FLOP/s: peak FLOP/s and mfu must be positive", rate);
    if (!(accels * cl->accel.peak_flops > 0.0))
        return dcs_err_set(err, DCS_EINPUT, "the accelerator's peak FLOP/s must be positive");
    if (sc->job.nstages == 0) {
        rc->ts_s = sc->job.flops / rate;
    } else {
        rc->ts_s = 0.0;
        for (int i = 0; i < sc->job.nstages; i++) {
            const dcs_stage_cfg *st = &sc->job.stages[i];
            rc->ts_s += st->accel_hours > 0.0
                            ? st->accel_hours * 3600.0 / accels
                            : st->flops / (accels * cl->accel.peak_flops * st->mfu);
            if (i + 1 < sc->job.nstages)
                rc->bound_s[rc->nbounds++] = rc->ts_s;
        }
    }
    if (!(rc->ts_s > 0.0) || !isfinite(rc->ts_s)) {
        dcs_err_key(err, "job");
        return dcs_err_set(err, DCS_EINPUT, "the job's failure-free time comes out as %g s",
                           rc->ts_s);
    }
    rc->delta_s = dcs_ckpt_write_s(ck);
    rc->read_s = dcs_ckpt_read_s(ck);
    rc->mtti_s = dcs_ckpt_mtti_s(sc);
    rc->tau_s = dcs_ckpt_interval_s(sc);
    if (!(rc->tau_s > 0.0)) {
        dcs_err_key(err, "checkpoint.policy");
        return dcs_err_set(err, DCS_EINPUT,
                           "the checkpoint interval comes out as %g s: give the checkpoint a "
                           "write time (size and write_bandwidth, or overhead)",
                           rc->tau_s);
    }
    rc->async = ck->mode == DCS_CKPT_ASYNC;
    rc->snap_s = ck->snapshot_s;
    rc->mem_tau_s = ck->mem_interval_s;
    rc->mem_write_s =
        ck->mem_overhead_s + (ck->mem_write_bps > 0.0 ? ck->size_bytes / ck->mem_write_bps : 0.0);
    rc->mem_read_s = ck->mem_read_bps > 0.0 ? ck->size_bytes / ck->mem_read_bps : 0.0;
    if (rc->mem_tau_s > 0.0) {
        double per = round(rc->tau_s / rc->mem_tau_s);
        rc->mem_per_persistent = per >= (double)UINT32_MAX ? UINT32_MAX
                                 : per < 1.0               ? 1
                                                           : (uint32_t)per;
    }
    rc->ckpt_bytes = ck->size_bytes;
    rc->retain = ck->retain > 0 && ck->retain < (int64_t)UINT32_MAX ? (uint32_t)ck->retain : 1;
    rc->swap_s = cl->swap_s;
    const dcs_procurement_cfg *pr = &sc->procurement;
    double spares = cl->bill_spares ? (double)cl->spare_nodes : 0.0;
    rc->held_accels = ((double)cl->nodes + spares) * (double)cl->accels_per_node;
    rc->fixed_price = cl->price_usd_per_accel_h;
    switch (pr->mode) {
    case DCS_BUY_ON_DEMAND:
        rc->hourly_accels = rc->held_accels;
        break;
    case DCS_BUY_RESERVED:
        rc->reserved_accels = rc->held_accels;
        break;
    case DCS_BUY_MIXED:
        rc->reserved_accels = fmin((double)pr->reserved_accels, rc->held_accels);
        rc->hourly_accels = rc->held_accels - rc->reserved_accels;
        break;
    case DCS_BUY_OWNED:
        break;
    }
    rc->term_s = rc->reserved_accels > 0.0 ? pr->term_s : HUGE_VAL;
    rc->acquisition_s = sc->market.on ? sc->market.acquisition_s : 0.0;
    types_init(rc, sc);
    double acq_s = 0.0;
    for (int i = 0; i < rc->ntypes; i++)
        acq_s = fmax(acq_s, rc->type_acq_s[i]);
    rc->acquire = sc->market.on && rc->hourly_accels > 0.0 && acq_s > 0.0;
    rc->replace_s = sc->market.on && rc->hourly_accels > 0.0 ? sc->market.replace_s : 0.0;
    rc->restart_s = sc->restart.overhead_s + sc->restart.warmup_s;
    assert(cl->repair_capacity >= 0 && cl->repair_capacity <= (int64_t)UINT32_MAX); /* loader */
    rc->repair_capacity = (uint32_t)cl->repair_capacity;
    rc->max_time_s = sc->sim.max_time_s > 0.0 ? sc->sim.max_time_s : HUGE_VAL;
    rc->nslots = (uint32_t)cl->nodes;
    rc->accels_per_node = (double)cl->accels_per_node;
    if (sc->power.on) {
        rc->training_w = sc->power.training_w;
        rc->ckpt_w = sc->power.ckpt_w;
        rc->restart_w = sc->power.restart_w;
        rc->idle_w = sc->power.idle_w;
    }
    rc->shrink = cl->on_no_spare == DCS_NO_SPARE_SHRINK;
    rc->min_nodes = cl->min_nodes > 0 ? (uint32_t)cl->min_nodes : 1;
    rc->nclasses = sc->nfailures;
    uint64_t off = 0;
    for (int k = 0; k < sc->nfailures; k++) {
        const dcs_failure_cfg *f = &sc->failures[k];
        rc->action[k] = f->action;
        rc->speed[k] = f->speed;
        rc->first_s[k] = f->first_s;
        rc->random_planned[k] = f->action == DCS_ACTION_PLANNED && f->ttf.kind != DCS_DIST_FIXED;
        int e = class_layout(rc, sc, k, err);
        if (e != 0)
            return e;
        rc->clock_off[k] = (uint32_t)off;
        off += rc->units[k];
        rc->detect_s[k] = f->detect_s;
        int has_repair = f->action == DCS_ACTION_SWAP || f->action == DCS_ACTION_SLOW;
        if (dcs_sampler_init(&rc->ttf[k], &f->ttf) != 0 ||
            (has_repair && dcs_sampler_init(&rc->repair[k], &f->repair) != 0)) {
            char key[64];
            snprintf(key, sizeof key, "failures[%d]", k);
            dcs_err_key(err, key);
            return dcs_err_set(err, DCS_EINPUT, "failure class %s has an invalid distribution",
                               f->name);
        }
    }
    if (off > DCS_RUN_MAX_CLOCKS) {
        dcs_err_key(err, "cluster.accelerators_per_node");
        return dcs_err_set(err, DCS_EINPUT,
                           "the failure classes have %llu units in all (one failure clock each): "
                           "the model holds at most %lu",
                           (unsigned long long)off, (unsigned long)DCS_RUN_MAX_CLOCKS);
    }
    rc->nclocks = (uint32_t)off;
    uint64_t words = 0;
    for (int k = 0; k < sc->nfailures; k++) {
        rc->superposed[k] = sc->sim.engine == DCS_ENGINE_FAST &&
                            rc->ttf[k].kind == DCS_DIST_EXPONENTIAL &&
                            rc->action[k] != DCS_ACTION_PLANNED && rc->units[k] > 0;
        rc->armed_off[k] = (uint32_t)words;
        if (rc->superposed[k])
            words += (rc->units[k] + 63) / 64;
        rc->timer_off[k] = rc->ntimers;
        if (!rc->superposed[k])
            rc->ntimers += rc->units[k];
    }
    rc->armed_words = (uint32_t)words;
    rc->fast_forward = sc->sim.engine == DCS_ENGINE_FAST;
    return 0;
}

uint64_t dcs_run_cfg_max_pending(const dcs_run_cfg *rc)
{
    uint64_t n = 8; /* the job's event, a background write, the term's end, acquiring, a
                       switch check */
    uint64_t spares = rc->sc != NULL ? (uint64_t)rc->sc->cluster.spare_nodes : 0;
    for (int k = 0; k < rc->nclasses; k++) {
        /* A clock per unit or one for the class, a maintenance window's
         * end, a job-scope detection; a switch's detection and repair. */
        n += (rc->superposed[k] ? 1 : rc->units[k]) + 2;
        if (rc->slots_per_unit[k] > 0)
            n += 2 * (uint64_t)rc->units[k];
    }
    return n + 4 * ((uint64_t)rc->nslots + spares);
}

double dcs_run_cfg_bytes(const dcs_run_cfg *rc)
{
    /* init(): per slot wait, absent (4 bytes each), slot, slow (1), gen
     * (4); per repair (every node, job and spare, and clock) a repair time
     * and a repair_job; per clock its event id; the bitmaps. The queue
     * keeps a 16-byte key, a slot and a free-list entry per pending event,
     * and grows by doubling (up to twice what it holds). */
    double spares = rc->sc != NULL ? (double)rc->sc->cluster.spare_nodes : 0.0;
    double nrep = (double)rc->nslots + spares + (double)rc->nclocks + 1.0;
    double per_event = (double)(sizeof(dcs_qkey) + sizeof(dcs_qslot) + sizeof(uint32_t));
    return sizeof(run_state) + 14.0 * rc->nslots +
           nrep * (double)(sizeof(double) + sizeof(repair_job)) + 8.0 * rc->nclocks +
           8.0 * rc->armed_words + 2.0 * per_event * (double)dcs_run_cfg_max_pending(rc);
}

static void ledger_in(dcs_engine *eng, const run_state *s, dcs_ledger_in *in);

/* The prices at signing (t = 0) of the type acquired first. */
static double price_at_start(dcs_engine *eng, const run_state *s)
{
    if (s->cfg->ntypes < 2)
        return dcs_market_price_at_start(eng);
    return dcs_market_type_price_at_start(eng, s->cfg->type_market[s->res.type_start]);
}

static double purchase_at_start(dcs_engine *eng, const run_state *s)
{
    if (s->cfg->ntypes < 2)
        return dcs_market_purchase_at_start(eng);
    return dcs_market_type_purchase_at_start(eng, s->cfg->type_market[s->res.type_start]);
}

/* The accelerators of a job of several types, whose node shapes may
 * differ: those held on average over the time held (r: the accounts up to
 * now), so that held x hours is the accelerator-hours of every type; a
 * reservation is on the type acquired first (a switching job rents on
 * demand). */
static void shape_ledger_in(const run_state *s, const dcs_run_result *r, dcs_ledger_in *in)
{
    const dcs_run_cfg *c = s->cfg;
    double held = 0.0, shaped = 0.0;
    for (int i = 0; i < c->ntypes; i++) {
        held += r->type_held_s[i];
        shaped += r->type_held_s[i] * c->type_shape[i];
    }
    in->held_accels *= held > 0.0 ? shaped / held : c->type_shape[s->cur];
    in->reserved_accels *= c->type_shape[s->res.type_start];
}

/* The run is over (done, or given up at max_time): charges up to the end,
 * prices the ledger and the stages, and copies the result into out. */
static int final(dcs_engine *eng, void *state, void *out, dcs_err *err)
{
    (void)err;
    run_state *s = state;
    if (s->mkt != NULL) {
        s->res.price_start_usd = price_at_start(eng, s);
        s->res.purchase_start_usd = purchase_at_start(eng, s);
    } else {
        s->res.price_start_usd = s->cfg->fixed_price;
    }
    if (s->phase != DONE) {
        /* Gave up at max_time: charge the time so far, keep nothing. */
        double now = dcs_engine_now(eng);
        if (s->phase == ACQUIRING)
            s->res.acquisition_wait_s += now - s->acq_since;
        account(s, now);
        s->res.cat_s[DCS_ACC_LOST] += s->u.wall + s->m.wall;
        s->u = s->m = (bucket){0.0, 0.0, 0.0};
        store(s, now, s->stored_bytes);
        spares_close(s, now);
        s->res.completed = 0;
        s->res.makespan_s = now;
        if ((s->phase == RECOVERING || s->phase == RESTARTING) && s->cause >= 0)
            s->res.downtime_s[s->cause] += now - s->down_since;
    }
    s->res.events = dcs_engine_events(eng);
    dcs_ledger_in in;
    ledger_in(eng, s, &in);
    dcs_ledger_compute(s->cfg->sc, &in, &s->res.ledger);
    /* The stages' ends: what had accumulated when the work passed each
     * boundary, priced as the total is; a boundary the work is not past at
     * the end (a run that gave up) ends its stage at the end. */
    for (int k = 0; k < s->cfg->nbounds; k++) {
        dcs_ledger_in at = in;
        if (k < s->stage_next) {
            const dcs_ledger_in *p = &s->stage_at[k];
            at.elapsed_s = p->elapsed_s;
            at.held_s = p->held_s;
            at.hourly_usd = p->hourly_usd;
            at.it_usd = p->it_usd;
            at.cool_usd = p->cool_usd;
            at.ckpt_byte_s = p->ckpt_byte_s;
        }
        dcs_ledger l;
        dcs_ledger_compute(s->cfg->sc, &at, &l);
        s->res.stage_end_s[k] = at.elapsed_s;
        s->res.stage_end_held_s[k] = at.held_s;
        s->res.stage_end_usd[k] = l.total;
    }
    *(dcs_run_result *)out = s->res;
    return 0;
}

/* The watcher of shared values (the energy model's prices and throttle,
 * the market's price): before a change, charge up to t at the old values;
 * after it, follow a new throttle. */
static int on_change(dcs_engine *eng, void *state, double t, int phase, dcs_err *err)
{
    run_state *s = state;
    if (phase == 0) {
        account(s, t);
        return 0;
    }
    return update_speed(eng, s, t, err);
}

/* What the ledger needs, integrated up to now (the makespan once done)
 * without charging anything. */
static void ledger_in(dcs_engine *eng, const run_state *s, dcs_ledger_in *in)
{
    double now = s->phase == DONE ? s->res.makespan_s : dcs_engine_now(eng);
    double dt = s->phase == DONE || s->phase == ACQUIRING ? 0.0 : now - s->t_last;
    dcs_run_result r = s->res;
    if (dt > 0.0)
        integrate(s, dt, &r);
    in->elapsed_s = now;
    in->held_s = (s->phase == ACQUIRING ? s->acq_since : now) - s->res.acquisition_wait_s;
    in->hourly_usd = r.cost_hourly_usd;
    in->it_usd = r.cost_it_usd;
    in->cool_usd = r.cost_cool_usd;
    in->ckpt_byte_s = byte_s_at(s, now);
    in->price_start = s->mkt != NULL ? price_at_start(eng, s) : s->cfg->fixed_price;
    in->purchase_start = s->mkt != NULL ? purchase_at_start(eng, s) : (double)NAN;
    in->label_factor = s->res.label_factor;
    in->held_accels = s->cfg->held_accels;
    in->reserved_accels = s->cfg->reserved_accels;
    if (s->cfg->ntypes > 1)
        shape_ledger_in(s, &r, in);
}

void dcs_run_peek(dcs_engine *eng, dcs_run_probe *p)
{
    const run_state *s = dcs_engine_state(eng, &dcs_run_model);
    const dcs_run_cfg *c = s->cfg;
    double now = dcs_engine_now(eng);
    double dt = s->phase == RUNNING ? now - s->t_last : 0.0;
    double pos = s->pos_s + dt * s->speed;
    p->progress = c->ts_s > 0.0 ? fmin(1.0, pos / c->ts_s) : 1.0;
    p->working = s->phase == RUNNING ? (double)(c->nslots - s->nabsent - s->empty_slots) *
                                           c->accels_per_node * c->type_shape[s->cur]
                                     : 0.0;
    p->it_w = p->cool_w = 0.0;
    if (s->env != NULL && s->phase != DONE && s->phase != ACQUIRING) {
        p->it_w = it_power_w(s);
        p->cool_w = p->it_w * s->env->cool_per_w;
    }
    p->price = price_now(s);
    dcs_ledger_in in;
    ledger_in(eng, s, &in);
    dcs_ledger l;
    dcs_ledger_compute(c->sc, &in, &l);
    p->cost_usd = l.total;
}
