/*
 * run.c - the training-run model's state machine.
 *
 *   RUNNING --segment end--> CHECKPOINTING --done--> RUNNING ... --> DONE
 *      |                          |
 *      +------- failure ----------+--> RECOVERING --detected, slots filled-->
 *                                       RESTARTING --done--> RUNNING
 *
 * Every unit in service (accelerator, node, or the job itself for software
 * failures) has its own failure clock: one pending event, drawn from its
 * class's stream. A hardware failure takes its node out: the node's other
 * clocks are cancelled, the node goes to repair, and after detection a
 * free spare is swapped in (fresh clocks start when it is in place) or the
 * slot waits for the next repaired node. The job restarts only when every
 * failure has been detected and every slot is filled. Software (job-scope)
 * failures restart the job without a swap; they are counted only when they
 * strike an active job. Per event the work is O(log n) in the number of
 * pending clocks, and O(units per node) for a node swap.
 *
 * Time accounting: the job's wall time is charged to one category at a
 * time (account() at every state change); computing time is held as
 * "uncommitted" until a checkpoint makes it productive or a failure makes
 * it lost, so the categories add up to the makespan by construction.
 */
#include "run.h"

#include "checkpoint.h"
#include "streams.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum kind {
    K_FAIL,        /* unit = class, arg = unit index in the class */
    K_DETECT,      /* unit = class, arg = slot, or NO_SLOT for a job-scope failure */
    K_SWAP_DONE,   /* arg = slot */
    K_REPAIR_DONE, /* a node is back in the spare pool */
    K_SEGMENT_END, /* compute reached the next checkpoint or the end of the work */
    K_CKPT_DONE,
    K_RESTART_DONE,
    NKINDS
};

enum phase { RUNNING, CHECKPOINTING, RECOVERING, RESTARTING, DONE };

#define NO_SLOT UINT64_MAX

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
    uint32_t empty_slots; /* slots with no node in service (swaps in flight included) */
    uint32_t nwaiting;    /* slots waiting for a spare: the top of wait[] */
    int64_t spares_free;
    uint32_t *wait; /* [nslots] slots waiting for a spare, FIFO ring */
    uint32_t wait_head;
    uint64_t *clock; /* [nclocks] pending failure event ids */
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
    double ttf = dcs_sampler_draw(&c->ttf[cls],
                                  dcs_engine_rng(eng, DCS_STREAM_FAILURE_FIRST + (uint32_t)cls));
    return sched(eng, now + ttf, K_FAIL, (uint32_t)cls, unit, &s->clock[c->clock_off[cls] + unit],
                 err);
}

/* Starts (or stops) the clocks of every hardware unit in a slot. */
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

static int init(dcs_engine *eng, void *state, const void *config, dcs_err *err)
{
    run_state *s = state;
    const dcs_run_cfg *c = config;
    s->cfg = c;
    s->clock = malloc((c->nclocks ? c->nclocks : 1) * sizeof *s->clock);
    s->wait = malloc((c->nslots ? c->nslots : 1) * sizeof *s->wait);
    if (s->clock == NULL || s->wait == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "cannot allocate %u failure clocks", c->nclocks);
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
    s->clock = NULL;
    s->wait = NULL;
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

/* A failure stops an active job: its uncommitted work is lost. */
static int interrupt(dcs_engine *eng, run_state *s, double now, dcs_err *err)
{
    account(s, now);
    if (s->job_ev_pending) {
        int rc = dcs_engine_cancel(eng, s->job_ev);
        if (rc != 0)
            return dcs_err_set(err, rc, "cannot cancel the job's pending event");
        s->job_ev_pending = 0;
    }
    s->res.cat_s[DCS_ACC_LOST] += s->uncommitted_s;
    s->uncommitted_s = 0.0;
    s->res.n_interruptions++;
    s->phase = RECOVERING;
    return 0;
}

static int on_fail(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    run_state *s = state;
    const dcs_run_cfg *c = s->cfg;
    int cls = (int)ev->unit;
    double now = ev->t;
    int active = s->phase == RUNNING || s->phase == CHECKPOINTING || s->phase == RESTARTING;
    int rc;

    if (c->units_per_slot[cls] == 0) {
        /* Software: the job restarts; the clock renews. A job that is
         * already down cannot fail in software. */
        if ((rc = start_clock(eng, s, cls, (uint32_t)ev->arg, now, err)) != 0)
            return rc;
        if (!active)
            return 0;
        s->res.n_fail[cls]++;
        if ((rc = interrupt(eng, s, now, err)) != 0)
            return rc;
        s->pending_detect++;
        return sched(eng, now + c->detect_s[cls], K_DETECT, (uint32_t)cls, NO_SLOT, NULL, err);
    }

    uint32_t slot = (uint32_t)ev->arg / c->units_per_slot[cls];
    s->res.n_fail[cls]++;
    if ((rc = slot_clocks(eng, s, slot, 0, cls, (uint32_t)ev->arg, now, err)) != 0)
        return rc;
    if (active && (rc = interrupt(eng, s, now, err)) != 0)
        return rc;
    s->empty_slots++;
    s->pending_detect++;
    double repair = dcs_sampler_draw(&c->repair[cls], dcs_engine_rng(eng, DCS_STREAM_REPAIR));
    if ((rc = sched(eng, now + c->detect_s[cls] + repair, K_REPAIR_DONE, 0, 0, NULL, err)) != 0)
        return rc;
    return sched(eng, now + c->detect_s[cls], K_DETECT, (uint32_t)cls, slot, NULL, err);
}

static int on_detect(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    run_state *s = state;
    double now = ev->t;
    s->pending_detect--;
    if (ev->arg != NO_SLOT) {
        uint32_t slot = (uint32_t)ev->arg;
        if (s->spares_free > 0) {
            s->spares_free--;
            if (s->spares_free < s->res.min_spares_free)
                s->res.min_spares_free = s->spares_free;
            int rc = sched(eng, now + s->cfg->swap_s, K_SWAP_DONE, 0, slot, NULL, err);
            if (rc != 0)
                return rc;
        } else {
            account(s, now); /* the category may turn to waiting */
            s->wait[(s->wait_head + s->nwaiting) % s->cfg->nslots] = slot;
            s->nwaiting++;
        }
    }
    return try_restart(eng, s, now, err);
}

static int on_swap_done(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    run_state *s = state;
    int rc = slot_clocks(eng, s, (uint32_t)ev->arg, 1, -1, 0, ev->t, err);
    if (rc != 0)
        return rc;
    s->empty_slots--;
    return try_restart(eng, s, ev->t, err);
}

static int on_repair_done(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    run_state *s = state;
    if (s->nwaiting == 0) {
        s->spares_free++;
        return 0;
    }
    account(s, ev->t);
    uint32_t slot = s->wait[s->wait_head];
    s->wait_head = (s->wait_head + 1) % s->cfg->nslots;
    s->nwaiting--;
    return sched(eng, ev->t + s->cfg->swap_s, K_SWAP_DONE, 0, slot, NULL, err);
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
    rc->restart_s = sc->restart.overhead_s;
    rc->max_time_s = sc->sim.max_time_s > 0.0 ? sc->sim.max_time_s : HUGE_VAL;
    if (cl->nodes > (int64_t)UINT32_MAX / 64)
        return dcs_err_set(err, DCS_EINPUT, "too many nodes (%lld)", (long long)cl->nodes);
    rc->nslots = (uint32_t)cl->nodes;
    rc->nclasses = sc->nfailures;
    uint64_t off = 0;
    for (int k = 0; k < sc->nfailures; k++) {
        const dcs_failure_cfg *f = &sc->failures[k];
        rc->units_per_slot[k] = f->scope == DCS_SCOPE_ACCELERATOR ? (uint32_t)cl->accels_per_node
                                : f->scope == DCS_SCOPE_NODE      ? 1u
                                                                  : 0u;
        rc->units[k] = rc->units_per_slot[k] ? rc->units_per_slot[k] * rc->nslots : 1u;
        rc->clock_off[k] = (uint32_t)off;
        off += rc->units[k];
        rc->detect_s[k] = f->detect_s;
        if (dcs_sampler_init(&rc->ttf[k], &f->ttf) != 0 ||
            (rc->units_per_slot[k] && dcs_sampler_init(&rc->repair[k], &f->repair) != 0)) {
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
    }
    s->res.events = dcs_engine_events(eng);
    *out = s->res;
}
