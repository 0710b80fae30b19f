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
 * fixed group of slots) or beside them (the job's software, the storage).
 * A "swap" failure takes hardware out: a failed node's clocks are
 * cancelled and it goes to repair; a failed switch takes every node below
 * it out until the switch is repaired. After detection a free spare is
 * swapped into each emptied slot (fresh clocks start when it is in place),
 * or the slot waits for the next node back from repair. Repairs run on a
 * finite number of technicians when cluster.repair_capacity is set, and
 * queue when all are busy. A "restart" failure (software, storage, a GPU
 * reset) restarts the job on the same hardware; it counts only when it
 * strikes an active job. The job restarts when every failure has been
 * detected and every slot is filled. Per event the work is O(log n) in the
 * number of pending clocks, O(units per node) for a node swap.
 *
 * Time accounting: the job's wall time is charged to one category at a
 * time (account() at every state change); computing time is held as
 * "uncommitted" until a checkpoint makes it productive or a failure makes
 * it lost, so the categories add up to the makespan by construction. The
 * time from an interruption to the end of the restart is charged to the
 * class that caused it (downtime per cause), and so is the lost work.
 */
#include "run.h"

#include "checkpoint.h"
#include "streams.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum kind {
    K_FAIL,        /* unit = class, arg = unit index in the class */
    K_DETECT,      /* unit = class, arg = slot, switch (SWITCH_BIT | unit) or NO_SLOT */
    K_SWAP_DONE,   /* arg = slot */
    K_REPAIR_DONE, /* arg = nodes back | switch class << 24 | (switch unit + 1) << 32 */
    K_SEGMENT_END, /* compute reached the next checkpoint or the end of the work */
    K_CKPT_DONE,
    K_RESTART_DONE,
    NKINDS
};

enum phase { RUNNING, CHECKPOINTING, RECOVERING, RESTARTING, DONE };

/* Slot states: what the node position in the job holds. */
enum slot_state { IN_SERVICE, FAILED, WAITING, SWAPPING };

#define NO_SLOT    UINT64_MAX
#define SWITCH_BIT (UINT64_C(1) << 62)

typedef struct repair_job {
    double dur_s;     /* repair time once a technician starts, s */
    uint32_t nodes;   /* nodes that return to the spare pool when done (< 2^24) */
    uint32_t sw_cls;  /* class of the switch below */
    uint32_t sw_unit; /* switch unit + 1 whose clock restarts when done, or 0 */
} repair_job;

typedef struct run_state {
    const dcs_run_cfg *cfg;
    int phase;
    double t_last;        /* time of the last account(), s */
    double uncommitted_s; /* computing time since the last commit, s */
    double p_commit_s;    /* work saved in the last checkpoint, as compute time, s */
    double p_ckpt_s;      /* work being checkpointed, s */
    uint64_t job_ev;      /* id of the pending segment/checkpoint/restart event */
    int job_ev_pending;
    int pending_detect;   /* failures not yet detected */
    uint32_t empty_slots; /* slots not IN_SERVICE */
    uint32_t nwaiting;    /* slots waiting for a spare: the FIFO wait[] */
    int64_t spares_free;
    uint32_t *wait; /* [nslots] slots waiting for a spare, FIFO ring */
    uint32_t wait_head;
    uint8_t *slot;      /* [nslots] enum slot_state */
    double *repair_dur; /* [nslots + nclocks] repair times drawn at failure: per slot,
                           and per switch clock, s */
    repair_job *rq;     /* [rq_cap] repairs waiting for a technician, FIFO ring */
    uint32_t rq_head, rq_len, rq_cap;
    uint32_t repairs_busy;
    uint64_t *clock;   /* [nclocks] pending failure event ids */
    int cause;         /* class whose failure started the current outage */
    double down_since; /* start of the current outage, s */
    dcs_run_result res;
} run_state;

static int sched(dcs_engine *eng, double t, int kind, uint32_t unit, uint64_t arg, uint64_t *id,
                 dcs_err *err)
{
    /* The run model is the first model added (see world.c), so its kinds
     * start at 0. */
    int rc = dcs_engine_schedule(eng, t, (uint16_t)kind, unit, arg, id);
    if (rc != 0)
        return dcs_err_set(err, rc, "cannot schedule a run event at t = %g s", t);
    return 0;
}

static void account(run_state *s, double now)
{
    double dt = now - s->t_last;
    s->t_last = now;
    switch (s->phase) {
    case RUNNING:
        s->uncommitted_s += dt;
        break;
    case CHECKPOINTING:
        s->res.cat_s[DCS_ACC_CHECKPOINT] += dt;
        break;
    case RECOVERING:
        s->res.cat_s[s->nwaiting > 0 ? DCS_ACC_WAITING : DCS_ACC_RESTART] += dt;
        break;
    case RESTARTING:
        s->res.cat_s[DCS_ACC_RESTART] += dt;
        break;
    default:
        break;
    }
}

static void finish(dcs_engine *eng, run_state *s, double now)
{
    account(s, now);
    s->res.cat_s[DCS_ACC_PRODUCTIVE] += s->uncommitted_s;
    s->uncommitted_s = 0.0;
    s->phase = DONE;
    s->res.completed = 1;
    s->res.makespan_s = now;
    dcs_engine_stop(eng);
}

/* Starts computing from the last checkpoint until the next one is due. */
static int start_segment(dcs_engine *eng, run_state *s, double now, dcs_err *err)
{
    const dcs_run_cfg *c = s->cfg;
    s->phase = RUNNING;
    double target = fmin(s->p_commit_s + c->tau_s, c->ts_s);
    s->p_ckpt_s = target;
    s->job_ev_pending = 1;
    return sched(eng, now + (target - s->p_commit_s), K_SEGMENT_END, 0, 0, &s->job_ev, err);
}

static int start_clock(dcs_engine *eng, run_state *s, int cls, uint32_t unit, double now,
                       dcs_err *err)
{
    const dcs_run_cfg *c = s->cfg;
    gsl_rng *r = dcs_engine_rng(eng, DCS_STREAM_FAILURE_FIRST + (uint32_t)cls);
    double ttf = dcs_sampler_draw(&c->ttf[cls], r);
    return sched(eng, now + ttf, K_FAIL, (uint32_t)cls, unit, &s->clock[c->clock_off[cls] + unit],
                 err);
}

/* Starts, or cancels, the clocks of every unit that lives in a slot's node;
 * the clock of (except_cls, except_unit) has just fired and is left alone. */
static int slot_clocks(dcs_engine *eng, run_state *s, uint32_t slot, int start, int except_cls,
                       uint32_t except_unit, double now, dcs_err *err)
{
    const dcs_run_cfg *c = s->cfg;
    for (int k = 0; k < c->nclasses; k++) {
        uint32_t per = c->units_per_slot[k];
        for (uint32_t u = slot * per; u < (slot + 1) * per; u++) {
            if (start) {
                int rc = start_clock(eng, s, k, u, now, err);
                if (rc != 0)
                    return rc;
            } else if (!(k == except_cls && u == except_unit)) {
                int rc = dcs_engine_cancel(eng, s->clock[c->clock_off[k] + u]);
                if (rc != 0)
                    return dcs_err_set(err, rc, "cannot cancel a failure clock");
            }
        }
    }
    return 0;
}

static int start_repair(dcs_engine *eng, run_state *s, repair_job j, double now, dcs_err *err)
{
    s->repairs_busy++;
    uint64_t arg = (uint64_t)j.nodes | (uint64_t)j.sw_cls << 24 | (uint64_t)j.sw_unit << 32;
    return sched(eng, now + j.dur_s, K_REPAIR_DONE, 0, arg, NULL, err);
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

static int init(dcs_engine *eng, void *state, const void *config, dcs_err *err)
{
    run_state *s = state;
    const dcs_run_cfg *c = config;
    s->cfg = c;
    /* Repairs outstanding: at most every node (job and spares) plus every
     * switch; repair times are kept per slot and per switch clock. */
    size_t nrep = (size_t)c->nslots + (size_t)c->sc->cluster.spare_nodes + c->nclocks + 1;
    s->clock = malloc((c->nclocks ? c->nclocks : 1) * sizeof *s->clock);
    s->wait = malloc((c->nslots ? c->nslots : 1) * sizeof *s->wait);
    s->slot = calloc(c->nslots ? c->nslots : 1, sizeof *s->slot);
    s->repair_dur = malloc(nrep * sizeof *s->repair_dur);
    s->rq = malloc(nrep * sizeof *s->rq);
    if (s->clock == NULL || s->wait == NULL || s->slot == NULL || s->repair_dur == NULL ||
        s->rq == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "cannot allocate %u failure clocks", c->nclocks);
    s->rq_cap = (uint32_t)nrep;
    s->res.first_interrupt_s = NAN;
    s->spares_free = c->sc->cluster.spare_nodes;
    s->res.min_spares_free = s->spares_free;
    for (int k = 0; k < c->nclasses; k++)
        for (uint32_t u = 0; u < c->units[k]; u++) {
            int rc = start_clock(eng, s, k, u, 0.0, err);
            if (rc != 0)
                return rc;
        }
    return start_segment(eng, s, 0.0, err);
}

static void fini(void *state)
{
    run_state *s = state;
    free(s->clock);
    free(s->wait);
    free(s->slot);
    free(s->repair_dur);
    free(s->rq);
    s->clock = NULL;
    s->wait = NULL;
    s->slot = NULL;
    s->repair_dur = NULL;
    s->rq = NULL;
}

static int try_restart(dcs_engine *eng, run_state *s, double now, dcs_err *err)
{
    if (s->phase != RECOVERING || s->pending_detect > 0 || s->empty_slots > 0)
        return 0;
    account(s, now);
    s->phase = RESTARTING;
    s->res.n_restarts++;
    double t = s->cfg->restart_s + (s->p_commit_s > 0.0 ? s->cfg->read_s : 0.0);
    s->job_ev_pending = 1;
    return sched(eng, now + t, K_RESTART_DONE, 0, 0, &s->job_ev, err);
}

/* A failure of class cls stops an active job: its uncommitted work is lost,
 * and the outage that begins is charged to cls. */
static int interrupt(dcs_engine *eng, run_state *s, int cls, double now, dcs_err *err)
{
    account(s, now);
    if (s->job_ev_pending) {
        int rc = dcs_engine_cancel(eng, s->job_ev);
        if (rc != 0)
            return dcs_err_set(err, rc, "cannot cancel the job's pending event");
        s->job_ev_pending = 0;
    }
    if (s->phase == RESTARTING)
        s->res.downtime_s[s->cause] += now - s->down_since;
    s->cause = cls;
    s->down_since = now;
    s->res.cat_s[DCS_ACC_LOST] += s->uncommitted_s;
    s->res.lost_s[cls] += s->uncommitted_s;
    s->uncommitted_s = 0.0;
    if (s->res.n_interruptions++ == 0)
        s->res.first_interrupt_s = now;
    s->phase = RECOVERING;
    return 0;
}

/* Takes the node in a slot out of service (its clocks stop). */
static int empty_slot(dcs_engine *eng, run_state *s, uint32_t slot, int except_cls,
                      uint32_t except_unit, double now, dcs_err *err)
{
    int rc = slot_clocks(eng, s, slot, 0, except_cls, except_unit, now, err);
    s->slot[slot] = FAILED;
    s->empty_slots++;
    return rc;
}

static int on_fail(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    run_state *s = state;
    const dcs_run_cfg *c = s->cfg;
    int cls = (int)ev->unit;
    uint32_t unit = (uint32_t)ev->arg;
    double now = ev->t;
    int active = s->phase == RUNNING || s->phase == CHECKPOINTING || s->phase == RESTARTING;
    int rc;

    if (c->action[cls] == DCS_ACTION_RESTART) {
        /* Software, storage or a reset: the unit's clock renews and the job
         * restarts on the same hardware. A job that is already down cannot
         * be stopped again. */
        if ((rc = start_clock(eng, s, cls, unit, now, err)) != 0)
            return rc;
        if (!active)
            return 0;
        s->res.n_fail[cls]++;
        if ((rc = interrupt(eng, s, cls, now, err)) != 0)
            return rc;
        s->pending_detect++;
        return sched(eng, now + c->detect_s[cls], K_DETECT, (uint32_t)cls, NO_SLOT, NULL, err);
    }

    s->res.n_fail[cls]++;
    gsl_rng *rr = dcs_engine_rng(eng, DCS_STREAM_REPAIR);
    uint64_t where;
    int hit = 0;
    if (c->slots_per_unit[cls] > 0) {
        /* A switch: every node below it that is in service goes out, and
         * comes back when the switch is repaired. */
        uint32_t first = unit * c->slots_per_unit[cls];
        for (uint32_t sl = first; sl < first + c->slots_per_unit[cls]; sl++) {
            if (s->slot[sl] != IN_SERVICE)
                continue;
            if ((rc = empty_slot(eng, s, sl, -1, 0, now, err)) != 0)
                return rc;
            hit++;
        }
        s->repair_dur[c->nslots + c->clock_off[cls] + unit] = dcs_sampler_draw(&c->repair[cls], rr);
        where = SWITCH_BIT | unit;
    } else {
        uint32_t sl = unit / c->units_per_slot[cls];
        if ((rc = empty_slot(eng, s, sl, cls, unit, now, err)) != 0)
            return rc;
        hit = 1;
        s->repair_dur[sl] = dcs_sampler_draw(&c->repair[cls], rr);
        where = sl;
    }
    if (active && hit > 0 && (rc = interrupt(eng, s, cls, now, err)) != 0)
        return rc;
    s->pending_detect++;
    return sched(eng, now + c->detect_s[cls], K_DETECT, (uint32_t)cls, where, NULL, err);
}

/* A detected, emptied slot gets a spare, or joins the wait for one. */
static int refill(dcs_engine *eng, run_state *s, uint32_t sl, double now, dcs_err *err)
{
    if (s->spares_free > 0) {
        s->spares_free--;
        if (s->spares_free < s->res.min_spares_free)
            s->res.min_spares_free = s->spares_free;
        s->slot[sl] = SWAPPING;
        return sched(eng, now + s->cfg->swap_s, K_SWAP_DONE, 0, sl, NULL, err);
    }
    account(s, now); /* the category may turn to waiting */
    s->slot[sl] = WAITING;
    s->wait[(s->wait_head + s->nwaiting) % s->cfg->nslots] = sl;
    s->nwaiting++;
    return 0;
}

static int on_detect(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    run_state *s = state;
    const dcs_run_cfg *c = s->cfg;
    double now = ev->t;
    int rc = 0;
    s->pending_detect--;
    if (ev->arg == NO_SLOT)
        return try_restart(eng, s, now, err);
    if (ev->arg & SWITCH_BIT) {
        int cls = (int)ev->unit;
        uint32_t unit = (uint32_t)(ev->arg & ~SWITCH_BIT);
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
        uint32_t sl = (uint32_t)ev->arg;
        repair_job j = {s->repair_dur[sl], 1, 0, 0};
        if ((rc = refill(eng, s, sl, now, err)) == 0)
            rc = request_repair(eng, s, j, now, err);
    }
    return rc != 0 ? rc : try_restart(eng, s, now, err);
}

static int on_swap_done(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    run_state *s = state;
    uint32_t sl = (uint32_t)ev->arg;
    int rc = slot_clocks(eng, s, sl, 1, -1, 0, ev->t, err);
    if (rc != 0)
        return rc;
    s->slot[sl] = IN_SERVICE;
    s->empty_slots--;
    return try_restart(eng, s, ev->t, err);
}

static int on_repair_done(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    run_state *s = state;
    const dcs_run_cfg *c = s->cfg;
    double now = ev->t;
    uint32_t nodes = (uint32_t)(ev->arg & 0xFFFFFF);
    int sw_cls = (int)(ev->arg >> 24 & 0xFF);
    uint32_t sw = (uint32_t)(ev->arg >> 32);
    int rc = 0;
    s->repairs_busy--;
    for (uint32_t i = 0; i < nodes && rc == 0; i++) {
        if (s->nwaiting == 0) {
            s->spares_free++;
            continue;
        }
        account(s, now);
        uint32_t sl = s->wait[s->wait_head];
        s->wait_head = (s->wait_head + 1) % c->nslots;
        s->nwaiting--;
        s->slot[sl] = SWAPPING;
        rc = sched(eng, now + c->swap_s, K_SWAP_DONE, 0, sl, NULL, err);
    }
    if (rc == 0 && sw > 0) /* the switch is back in service: its clock runs again */
        rc = start_clock(eng, s, sw_cls, sw - 1, now, err);
    if (rc == 0 && s->rq_len > 0) {
        repair_job j = s->rq[s->rq_head];
        s->rq_head = (s->rq_head + 1) % s->rq_cap;
        s->rq_len--;
        rc = start_repair(eng, s, j, now, err);
    }
    return rc;
}
static int on_segment_end(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    run_state *s = state;
    const dcs_run_cfg *c = s->cfg;
    s->job_ev_pending = 0;
    int end_of_work = s->p_ckpt_s >= c->ts_s;
    if (end_of_work && !c->sc->checkpoint.final) {
        finish(eng, s, ev->t);
        return 0;
    }
    account(s, ev->t);
    s->phase = CHECKPOINTING;
    s->job_ev_pending = 1;
    return sched(eng, ev->t + c->delta_s, K_CKPT_DONE, 0, 0, &s->job_ev, err);
}

static int on_ckpt_done(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    run_state *s = state;
    s->job_ev_pending = 0;
    account(s, ev->t);
    s->res.cat_s[DCS_ACC_PRODUCTIVE] += s->uncommitted_s;
    s->uncommitted_s = 0.0;
    s->p_commit_s = s->p_ckpt_s;
    s->res.n_checkpoints++;
    if (s->p_commit_s >= s->cfg->ts_s) {
        finish(eng, s, ev->t);
        return 0;
    }
    return start_segment(eng, s, ev->t, err);
}

static int on_restart_done(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    run_state *s = state;
    s->job_ev_pending = 0;
    account(s, ev->t);
    s->res.downtime_s[s->cause] += ev->t - s->down_since;
    return start_segment(eng, s, ev->t, err);
}

static const char *const kind_names[NKINDS] = {
    "failure",         "failure_detected", "spare_swapped", "repair_done", "checkpoint_started",
    "checkpoint_done", "restart_done",
};

static dcs_handler_fn *const handlers[NKINDS] = {
    on_fail, on_detect, on_swap_done, on_repair_done, on_segment_end, on_ckpt_done, on_restart_done,
};

const dcs_model dcs_run_model = {
    .name = "run",
    .state_size = sizeof(run_state),
    .init = init,
    .fini = fini,
    .nkinds = NKINDS,
    .kind_names = kind_names,
    .handlers = handlers,
};

int dcs_run_cfg_init(dcs_run_cfg *rc, const dcs_scenario *sc, dcs_err *err)
{
    memset(rc, 0, sizeof *rc);
    rc->sc = sc;
    const dcs_cluster_cfg *cl = &sc->cluster;
    double accels = (double)(cl->nodes * cl->accels_per_node);
    double rate = accels * cl->accel.peak_flops * sc->job.mfu;
    if (!(rate > 0.0) || !isfinite(rate))
        return dcs_err_set(
            err, DCS_EINPUT,
            "the cluster computes at %g FLOP/s: peak FLOP/s and mfu must be positive", rate);
    rc->ts_s = sc->job.flops / rate;
    rc->delta_s = dcs_ckpt_write_s(&sc->checkpoint);
    rc->read_s = dcs_ckpt_read_s(&sc->checkpoint);
    rc->mtti_s = dcs_ckpt_mtti_s(sc);
    rc->tau_s = dcs_ckpt_interval_s(sc);
    if (!(rc->tau_s > 0.0)) {
        dcs_err_key(err, "checkpoint.policy");
        return dcs_err_set(err, DCS_EINPUT,
                           "the checkpoint interval comes out as %g s: give the checkpoint a "
                           "write time (size and write_bandwidth, or overhead)",
                           rc->tau_s);
    }
    rc->swap_s = cl->swap_s;
    rc->restart_s = sc->restart.overhead_s + sc->restart.warmup_s;
    if (cl->repair_capacity > (int64_t)UINT32_MAX)
        return dcs_err_set(err, DCS_EINPUT, "repair capacity too large");
    rc->repair_capacity = (uint32_t)cl->repair_capacity;
    rc->max_time_s = sc->sim.max_time_s > 0.0 ? sc->sim.max_time_s : HUGE_VAL;
    if (cl->nodes > (int64_t)UINT32_MAX / 64)
        return dcs_err_set(err, DCS_EINPUT, "too many nodes (%lld)", (long long)cl->nodes);
    rc->nslots = (uint32_t)cl->nodes;
    rc->nclasses = sc->nfailures;
    uint64_t off = 0;
    for (int k = 0; k < sc->nfailures; k++) {
        const dcs_failure_cfg *f = &sc->failures[k];
        rc->action[k] = f->action;
        switch (f->scope) {
        case DCS_SCOPE_ACCELERATOR:
        case DCS_SCOPE_HBM:
            rc->units_per_slot[k] = (uint32_t)cl->accels_per_node;
            break;
        case DCS_SCOPE_NODE:
            rc->units_per_slot[k] = 1;
            break;
        case DCS_SCOPE_SWITCH:
            if (cl->nodes_per_switch <= 0 || cl->nodes % cl->nodes_per_switch != 0)
                return dcs_err_set(err, DCS_EINPUT,
                                   "failure class %s has scope switch, but the nodes do not "
                                   "divide into switches of cluster.nodes_per_switch",
                                   f->name);
            rc->slots_per_unit[k] = (uint32_t)cl->nodes_per_switch;
            break;
        case DCS_SCOPE_JOB:
        case DCS_SCOPE_STORAGE:
            if (f->action == DCS_ACTION_SWAP)
                return dcs_err_set(err, DCS_EINPUT, "failure class %s has nothing to swap",
                                   f->name);
            break;
        }
        if (rc->units_per_slot[k] > 0)
            rc->units[k] = rc->units_per_slot[k] * rc->nslots;
        else if (rc->slots_per_unit[k] > 0)
            rc->units[k] = rc->nslots / rc->slots_per_unit[k];
        else
            rc->units[k] = 1;
        rc->clock_off[k] = (uint32_t)off;
        off += rc->units[k];
        rc->detect_s[k] = f->detect_s;
        if (dcs_sampler_init(&rc->ttf[k], &f->ttf) != 0 ||
            (f->action == DCS_ACTION_SWAP && dcs_sampler_init(&rc->repair[k], &f->repair) != 0)) {
            return dcs_err_set(err, DCS_EINPUT, "failure class %s has an invalid distribution",
                               f->name);
        }
    }
    if (off > UINT32_MAX / 2)
        return dcs_err_set(err, DCS_EINPUT, "too many failure clocks (%llu)",
                           (unsigned long long)off);
    rc->nclocks = (uint32_t)off;
    return 0;
}

void dcs_run_collect(dcs_engine *eng, dcs_run_result *out)
{
    run_state *s = dcs_engine_state(eng, &dcs_run_model);
    if (s->phase != DONE) {
        /* Gave up at max_time: charge the time so far, keep nothing. */
        account(s, dcs_engine_now(eng));
        s->res.cat_s[DCS_ACC_LOST] += s->uncommitted_s;
        s->uncommitted_s = 0.0;
        s->res.completed = 0;
        s->res.makespan_s = dcs_engine_now(eng);
        if (s->phase == RECOVERING || s->phase == RESTARTING)
            s->res.downtime_s[s->cause] += dcs_engine_now(eng) - s->down_since;
    }
    s->res.events = dcs_engine_events(eng);
    *out = s->res;
}
