/*
 * probe.c - the time-series sampler (probe.h).
 *
 * One periodic event (the engine's): the sample at k step for k = 0, 1, ...
 * The row
 * is assembled from dcs_run_peek (which extrapolates the run's integrals to
 * now without charging them) and the energy model's current values. The
 * probe's own events change no other model's state or random stream, so
 * adding them leaves the replication's results as they were.
 */
#include "probe.h"

#include "env.h"
#include "run.h"

#include <math.h>

enum kind { K_SAMPLE, NKINDS };

typedef struct probe_state {
    const dcs_probe_cfg *cfg;
    double last_t; /* time of the last row, s (NAN: none yet) */
} probe_state;

static const dcs_column columns[DCS_PROBE_NQ] = {
    [DCS_PROBE_T] = {"t_h", "h", DCS_COL_F64, "time since the start of the run"},
    [DCS_PROBE_PROGRESS] = {"progress", "1", DCS_COL_F64,
                            "work done (saved or not) / work of the job; drops when a failure "
                            "throws work away"},
    [DCS_PROBE_WORKING] = {"accelerators_working", "accelerators", DCS_COL_F64,
                           "accelerators computing (0 while the job checkpoints, restarts or "
                           "waits, and in the last row, once it is done)"},
    [DCS_PROBE_IT] = {"it_power_kw", "kW", DCS_COL_F64,
                      "IT power: job nodes and spares (0 in the last row, once the job is done)"},
    [DCS_PROBE_COOL] = {"cooling_kw", "kW", DCS_COL_F64, "cooling and facility overhead power"},
    [DCS_PROBE_OUTDOOR] = {"outdoor_c", "C", DCS_COL_F64, "outdoor temperature"},
    [DCS_PROBE_THROTTLE] = {"throttle", "1", DCS_COL_F64,
                            "speed and training power factor the cooling capacity allows"},
    [DCS_PROBE_EPRICE] = {"energy_price_usd_per_kwh", "USD/kWh", DCS_COL_F64, "electricity price"},
    [DCS_PROBE_APRICE] = {"accelerator_price_usd_per_hour", "USD/accelerator-h", DCS_COL_F64,
                          "the market's accelerator-hour price"},
    [DCS_PROBE_COST] = {"cost_usd", "USD", DCS_COL_F64, "cost so far (cumulative)"},
};

const dcs_column *dcs_probe_column(dcs_probe_q q)
{
    return q < DCS_PROBE_NQ ? &columns[q] : NULL;
}

void dcs_probe_cfg_init(dcs_probe_cfg *pc, const dcs_scenario *sc, double step_s)
{
    pc->step_s = step_s > 0.0 ? step_s : 0.0;
    pc->ncols = 0;
    pc->q[pc->ncols++] = DCS_PROBE_T;
    pc->q[pc->ncols++] = DCS_PROBE_PROGRESS;
    pc->q[pc->ncols++] = DCS_PROBE_WORKING;
    if (sc->power.on) {
        pc->q[pc->ncols++] = DCS_PROBE_IT;
        pc->q[pc->ncols++] = DCS_PROBE_COOL;
        pc->q[pc->ncols++] = DCS_PROBE_OUTDOOR;
        pc->q[pc->ncols++] = DCS_PROBE_THROTTLE;
        pc->q[pc->ncols++] = DCS_PROBE_EPRICE;
    }
    if (sc->market.on)
        pc->q[pc->ncols++] = DCS_PROBE_APRICE;
    pc->q[pc->ncols++] = DCS_PROBE_COST;
}

/* Appends the row at the current time. */
static int sample(dcs_engine *eng, probe_state *s, dcs_err *err)
{
    dcs_trace *tr = dcs_engine_trace_of(eng);
    const dcs_probe_cfg *c = s->cfg;
    if (tr == NULL || !(c->step_s > 0.0))
        return 0;
    double now = dcs_engine_now(eng);
    dcs_run_probe p;
    dcs_run_peek(eng, &p);
    const dcs_env_now *e = dcs_env_now_of(eng);
    double row[DCS_PROBE_NQ];
    for (int j = 0; j < c->ncols; j++) {
        double v = NAN;
        switch (c->q[j]) {
        case DCS_PROBE_T:
            v = now / 3600.0;
            break;
        case DCS_PROBE_PROGRESS:
            v = p.progress;
            break;
        case DCS_PROBE_WORKING:
            v = p.working;
            break;
        case DCS_PROBE_IT:
            v = p.it_w / 1000.0;
            break;
        case DCS_PROBE_COOL:
            v = p.cool_w / 1000.0;
            break;
        case DCS_PROBE_OUTDOOR:
            v = e != NULL ? e->temp_c : (double)NAN;
            break;
        case DCS_PROBE_THROTTLE:
            v = e != NULL ? e->throttle : (double)NAN;
            break;
        case DCS_PROBE_EPRICE:
            v = e != NULL ? e->usd_per_j * 3.6e6 : (double)NAN;
            break;
        case DCS_PROBE_APRICE:
            v = p.price;
            break;
        case DCS_PROBE_COST:
            v = p.cost_usd;
            break;
        case DCS_PROBE_NQ:
            break;
        }
        row[j] = v;
    }
    /* dcs_world_run_traced checked that the trace's rows are this wide. */
    if (dcs_trace_sample_add(tr, row) != 0)
        return dcs_err_set(err, DCS_ENOMEM, "cannot record a sample");
    s->last_t = now;
    return 0;
}

static int init(dcs_engine *eng, void *state, const void *config, dcs_err *err)
{
    probe_state *s = state;
    s->cfg = config;
    s->last_t = NAN;
    if (dcs_engine_trace_of(eng) == NULL || !(s->cfg->step_s > 0.0))
        return 0;
    int rc =
        dcs_engine_every(eng, (uint16_t)(dcs_engine_kind_base(eng) + K_SAMPLE), s->cfg->step_s, 0);
    return rc != 0 ? dcs_err_set(err, rc, "cannot schedule the samples") : 0;
}

static int on_sample(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    (void)ev;
    return sample(eng, state, err); /* the engine schedules the next one */
}

/* The run is over: the last row, at the end, unless one is there. */
static int final(dcs_engine *eng, void *state, void *out, dcs_err *err)
{
    (void)out;
    probe_state *s = state;
    if (s->cfg == NULL || s->last_t == dcs_engine_now(eng))
        return 0;
    return sample(eng, s, err);
}

static const char *const kind_names[NKINDS] = {"sample"};
static const char *const kind_docs[NKINDS] = {"internal: a time-series sample (not recorded)"};
static dcs_handler_fn *const handlers[NKINDS] = {on_sample};

const dcs_model dcs_probe_model = {
    .name = "probe",
    .state_size = sizeof(probe_state),
    .init = init,
    .final = final,
    .nkinds = NKINDS,
    .kind_names = kind_names,
    .handlers = handlers,
    .kind_docs = kind_docs,
};
