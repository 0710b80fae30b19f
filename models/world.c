/*
 * world.c - scenario -> runnable world, and one replication -> one row.
 *
 * The /summary columns are fixed metrics plus one failure count per class,
 * named after the class (n_failures_<name>). Costs are the ledger's lines
 * (models/ledger.h), priced by the run model at the end of a replication.
 * The accelerator-hour categories are the run model's time categories
 * times the job's accelerators, so they add up to the job's hours held.
 * The loader applies the ledger's electricity rule (dcs_energy_needs_model):
 * billed electricity always has a power model here.
 */
#include "world.h"

#include "env.h"
#include "market.h"
#include "power.h"
#include "probe.h"
#include "streams.h"

#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECONDS_PER_HOUR 3600.0

/* Fixed metric columns, in order; failure counts per class follow them. */
enum col {
    C_POINT,
    C_REP,
    C_COMPLETED,
    C_ACQUIRED,
    C_MAKESPAN,
    C_AH_HELD,
    C_AH_PRODUCTIVE,
    C_AH_LOST,
    C_AH_CKPT,
    C_AH_RESTART,
    C_AH_WAITING,
    C_AH_SLOWED,
    C_AH_MAINT,
    C_AH_THROTTLED,
    C_AH_SPARE,
    C_GOODPUT,
    C_N_INTERRUPT,
    C_FIRST_INTERRUPT,
    C_N_CKPT,
    C_N_MEM_CKPT,
    C_N_CKPT_LOST,
    C_N_RESTART,
    C_N_MEM_RESTORE,
    C_MIN_SPARES,
    C_SPARE_EMPTY,
    C_MIN_NODES,
    C_REPAIR_QUEUE_PEAK,
    C_CKPT_INTERVAL,
    C_CKPT_STORED,
    C_ACQ_WAIT,
    C_PRICE_START,
    C_PRICE_PAID,
    C_COST,
    C_COST_COMPUTE,
    C_COST_ENERGY,
    C_COST_COOLING,
    C_COST_STORAGE,
    C_COST_DATA,
    C_COST_PROCESSING,
    C_COST_STAFF,
    C_COST_LICENCES,
    C_COST_OTHER,
    C_COMPUTE_HOURLY,
    C_COMPUTE_RESERVED,
    C_COMPUTE_OWNED,
    C_EVENTS,
    C_NFIXED
};

static const dcs_column fixed_cols[C_NFIXED] = {
    {"point", "", DCS_COL_I64, "sweep point index (0 for a single scenario)"},
    {"replication", "", DCS_COL_I64, "replication index"},
    {"completed", "", DCS_COL_I64, "1 if the job finished before simulation.max_time"},
    {"acquired", "", DCS_COL_I64,
     "1 if the job's capacity was there before simulation.max_time; 0: it waited for a short "
     "market until then, and its cost columns are NaN (left out of the cost statistics)"},
    {"makespan_h", "h", DCS_COL_F64, "wall-clock time from start to finish"},
    {"accelerator_hours_held", "accelerator-h", DCS_COL_F64,
     "accelerator-hours held: job nodes plus billed spares, from the start (once capacity is "
     "acquired) to the end"},
    {"accelerator_hours_productive", "accelerator-h", DCS_COL_F64, "computing work that was kept"},
    {"accelerator_hours_lost", "accelerator-h", DCS_COL_F64,
     "computing work thrown away by failures"},
    {"accelerator_hours_checkpointing", "accelerator-h", DCS_COL_F64, "writing checkpoints"},
    {"accelerator_hours_restarting", "accelerator-h", DCS_COL_F64,
     "detection, spare swap and restart"},
    {"accelerator_hours_waiting", "accelerator-h", DCS_COL_F64,
     "waiting for a repaired node (no spare free)"},
    {"accelerator_hours_slowed", "accelerator-h", DCS_COL_F64,
     "computing time beyond full speed: slow nodes, nodes missing from a shrunk job"},
    {"accelerator_hours_maintenance", "accelerator-h", DCS_COL_F64,
     "down for planned maintenance windows"},
    {"accelerator_hours_throttled", "accelerator-h", DCS_COL_F64,
     "computing time lost to thermal throttling (cooling capacity short), on kept work"},
    {"accelerator_hours_spare", "accelerator-h", DCS_COL_F64, "billed spare nodes"},
    {"goodput", "1", DCS_COL_F64, "productive share of the job's accelerator-hours"},
    {"n_interruptions", "", DCS_COL_I64,
     "failures that stopped the job, and maintenance windows at random (mtbf) that did"},
    {"time_to_first_interruption_h", "h", DCS_COL_F64,
     "time of the first failure that stopped the job (NaN: none)"},
    {"n_checkpoints", "", DCS_COL_I64, "persistent checkpoints completed"},
    {"n_memory_checkpoints", "", DCS_COL_I64, "in-memory checkpoints completed"},
    {"n_checkpoints_lost", "", DCS_COL_I64,
     "checkpoints begun but cut short by a failure or maintenance (async: write not done)"},
    {"n_restarts", "", DCS_COL_I64, "restarts begun"},
    {"n_memory_restores", "", DCS_COL_I64, "restarts from an in-memory checkpoint"},
    {"min_spares_free", "nodes", DCS_COL_I64, "fewest spare nodes free at any time"},
    {"spare_pool_empty_h", "h", DCS_COL_F64,
     "hours during which no spare node was free (the whole run when there are no spares)"},
    {"min_nodes", "nodes", DCS_COL_I64,
     "fewest nodes the job ran on (below cluster.nodes only with on_no_spare shrink)"},
    {"repair_queue_peak", "repairs", DCS_COL_I64,
     "most repairs waiting for a technician at once (cluster.repair_capacity)"},
    {"checkpoint_interval_h", "h", DCS_COL_F64, "compute time between persistent checkpoints"},
    {"checkpoint_storage_tb_h", "TB-h", DCS_COL_F64,
     "retained persistent checkpoints (checkpoint.retain) integrated over the run"},
    {"acquisition_wait_h", "h", DCS_COL_F64,
     "waiting for on-demand capacity from a short market before the start (not held)"},
    {"accelerator_price_start_usd_per_hour", "USD/accelerator-h", DCS_COL_F64,
     "accelerator-hour price at the start (the market's, or the fixed price)"},
    {"accelerator_price_paid_usd_per_hour", "USD/accelerator-h", DCS_COL_F64,
     "compute cost / accelerator-hours held"},
    {"cost_usd", "USD", DCS_COL_F64, "total cost: the sum of the cost_*_usd components"},
    {"cost_compute_usd", "USD", DCS_COL_F64,
     "accelerators: hourly rent, reserved term, or amortization and hosting"},
    {"cost_energy_usd", "USD", DCS_COL_F64,
     "electricity of the IT load (0 when the rental price includes it)"},
    {"cost_cooling_usd", "USD", DCS_COL_F64,
     "electricity of cooling and facility overhead (0 when the rental price includes it)"},
    {"cost_storage_usd", "USD", DCS_COL_F64, "retained checkpoints and the dataset, per TB-month"},
    {"cost_data_usd", "USD", DCS_COL_F64, "data acquisition and annotation"},
    {"cost_processing_usd", "USD", DCS_COL_F64,
     "the data pipeline (filtering, deduplication, tokenizing): TB processed x price per TB"},
    {"cost_staff_usd", "USD", DCS_COL_F64, "team x loaded cost x duration, plus research effort"},
    {"cost_licences_usd", "USD", DCS_COL_F64,
     "software licences: seats x price per seat-year x duration, plus accelerator-hours held x "
     "price per accelerator-hour"},
    {"cost_other_usd", "USD", DCS_COL_F64, "other fixed costs"},
    {"compute_hourly_usd", "USD", DCS_COL_F64,
     "of cost_compute_usd: accelerator-hours billed by the hour x their price"},
    {"compute_reserved_usd", "USD", DCS_COL_F64,
     "of cost_compute_usd: the reservation's term, prepaid at signing"},
    {"compute_owned_usd", "USD", DCS_COL_F64,
     "of cost_compute_usd: amortization and hosting of owned accelerators"},
    {"events", "", DCS_COL_I64, "events the engine dispatched"},
};

/* Energy columns, present when the scenario has a power section. */
enum ecol { E_IT, E_COOL, E_TOTAL, E_PEAK, E_PUE, E_CO2, E_WATER, E_THROTTLED, E_MIN_COOL, E_N };

static const dcs_column energy_cols[E_N] = {
    {"energy_it_mwh", "MWh", DCS_COL_F64, "IT energy: the job's nodes and the spares"},
    {"energy_cooling_mwh", "MWh", DCS_COL_F64, "cooling and facility overhead energy"},
    {"energy_mwh", "MWh", DCS_COL_F64, "facility energy: IT plus cooling and overhead"},
    {"peak_power_mw", "MW", DCS_COL_F64, "highest facility power"},
    {"pue", "1", DCS_COL_F64, "average power usage effectiveness: facility / IT energy"},
    {"emissions_t_co2e", "t CO2e", DCS_COL_F64, "emissions of the facility energy"},
    {"water_m3", "m3", DCS_COL_F64, "water: power.wue x IT energy (0 without a wue)"},
    {"throttled_hours", "h", DCS_COL_F64,
     "computing time x (1 - throttle), kept or lost: how much throttling cost"},
    {"min_cooling_units", "units", DCS_COL_I64, "fewest cooling units working"},
};

/* Columns per failure class: failures, downtime, lost accelerator-hours. */
#define PER_CLASS 3

/* Columns per job stage (job.stages): hours, accelerator-hours held, cost. */
#define PER_STAGE 3

/* Columns of a job of several types (job.accelerators): the switches, then
 * per type hours held, accelerator-hours held, compute cost. */
#define PER_TYPE 3

struct dcs_world {
    dcs_scenario sc;
    dcs_run_cfg run;
    dcs_env_cfg env;
    dcs_market_links market;
    dcs_probe_cfg probe;
    dcs_column ts_cols[2 + DCS_PROBE_NQ]; /* /timeseries: point, replication, samples */
    size_t nenergy;                       /* E_N or 0 */
    size_t ncols;
    size_t ntypes; /* job.accelerators, when it lists several; else 0 */
    dcs_column cols[C_NFIXED + E_N + PER_CLASS * DCS_MAX_FAILURE_CLS + PER_STAGE * DCS_MAX_STAGES +
                    1 + PER_TYPE * DCS_MAX_JOB_TYPES + DCS_MAX_UNCERTAIN];
    char names[PER_CLASS * DCS_MAX_FAILURE_CLS][DCS_NAME_MAX + 32];
    char descs[PER_CLASS * DCS_MAX_FAILURE_CLS][DCS_NAME_MAX + 64];
    char stage_names[PER_STAGE * DCS_MAX_STAGES][DCS_NAME_MAX + 32];
    char stage_descs[PER_STAGE * DCS_MAX_STAGES][DCS_NAME_MAX + 96];
    char type_names[PER_TYPE * DCS_MAX_JOB_TYPES][DCS_NAME_MAX + 32];
    char type_descs[PER_TYPE * DCS_MAX_JOB_TYPES][DCS_NAME_MAX + 96];
    char input_names[DCS_MAX_UNCERTAIN][sizeof "input." + 128];
};

/* The columns of a job of several types: n_switches, then type_h_<key>,
 * type_accelerator_hours_<key>, type_cost_usd_<key> (catalog keys). */
static void add_type_cols(dcs_world *w)
{
    static const struct {
        const char *prefix, *units, *desc;
    } per_type[PER_TYPE] = {
        {"type_h_", "h", "hours the job held capacity of type"},
        {"type_accelerator_hours_", "accelerator-h", "accelerator-hours held of type"},
        {"type_cost_usd_", "USD", "compute cost on type"},
    };
    const dcs_job_cfg *j = &w->sc.job;
    if (j->ntypes < 2)
        return;
    w->ntypes = (size_t)j->ntypes;
    w->cols[w->ncols++] = (dcs_column){"n_switches", "", DCS_COL_I64,
                                       "moves to another accelerator type mid-run (job.switch)"};
    for (int p = 0; p < PER_TYPE; p++)
        for (int k = 0; k < j->ntypes; k++) {
            int i = p * j->ntypes + k;
            snprintf(w->type_names[i], sizeof w->type_names[i], "%s%s", per_type[p].prefix,
                     j->types[k].accel);
            snprintf(w->type_descs[i], sizeof w->type_descs[i], "%s %s", per_type[p].desc,
                     j->types[k].accel);
            w->cols[w->ncols++] =
                (dcs_column){w->type_names[i], per_type[p].units, DCS_COL_F64, w->type_descs[i]};
        }
}

dcs_world *dcs_world_create(const dcs_scenario *sc, dcs_err *err)
{
    dcs_world *w = malloc(sizeof *w);
    if (w == NULL) {
        dcs_err_set(err, DCS_ENOMEM, "cannot allocate a world");
        return NULL;
    }
    /* The scenario (most of the world) is copied, the rest zeroed: not all of it twice. */
    w->sc = *sc;
    memset(&w->run, 0, sizeof *w - offsetof(dcs_world, run));
    assert(!dcs_energy_needs_model(sc)); /* the loader's rule (read_money.c) */
    if (dcs_run_cfg_init(&w->run, &w->sc, err) != 0 ||
        dcs_env_cfg_init(&w->env, &w->sc, err) != 0 ||
        dcs_market_links_init(&w->market, &w->sc, err) != 0) {
        free(w);
        return NULL;
    }
    /* Every model's pending events fit in the engine's queue: the run
     * model's at most, a cooling unit's clock and repair each, and a few
     * steps of the energy model, the market and the probe. */
    uint64_t pending = dcs_run_cfg_max_pending(&w->run) +
                       2 * (uint64_t)w->env.ncool * (uint64_t)w->sc.cooling.units + 16;
    if (pending > DCS_QUEUE_MAX_PENDING) {
        dcs_err_key(err,
                    w->sc.cooling.units > w->sc.cluster.nodes ? "cooling.units" : "cluster.nodes");
        dcs_err_set(err, DCS_EINPUT,
                    "a replication may have %llu events pending at once (failure clocks, and "
                    "a detection, a swap, a slow-node check and a repair per node), more than "
                    "the engine's queue holds (%lu)",
                    (unsigned long long)pending, (unsigned long)DCS_QUEUE_MAX_PENDING);
        free(w);
        return NULL;
    }
    dcs_probe_cfg_init(&w->probe, &w->sc, 0.0);
    w->ts_cols[0] = fixed_cols[C_POINT];
    w->ts_cols[1] = fixed_cols[C_REP];
    for (int j = 0; j < w->probe.ncols; j++)
        w->ts_cols[2 + j] = *dcs_probe_column(w->probe.q[j]);
    memcpy(w->cols, fixed_cols, sizeof fixed_cols);
    w->ncols = C_NFIXED;
    if (w->sc.power.on) {
        memcpy(w->cols + w->ncols, energy_cols, sizeof energy_cols);
        w->nenergy = E_N;
        w->ncols += E_N;
    }
    size_t first_class_col = w->ncols;
    static const struct {
        const char *prefix, *units, *desc;
        dcs_col_type type;
    } per[PER_CLASS] = {
        {"n_failures_", "", "failures of class", DCS_COL_I64},
        {"downtime_h_", "h", "job down (failure to restart done) because of class", DCS_COL_F64},
        {"accelerator_hours_lost_to_", "accelerator-h", "computing thrown away because of class",
         DCS_COL_F64},
    };
    for (int j = 0; j < PER_CLASS; j++)
        for (int k = 0; k < sc->nfailures; k++) {
            size_t i = w->ncols - first_class_col;
            snprintf(w->names[i], sizeof w->names[i], "%s%s", per[j].prefix, sc->failures[k].name);
            snprintf(w->descs[i], sizeof w->descs[i], "%s %s", per[j].desc, sc->failures[k].name);
            w->cols[w->ncols++] = (dcs_column){w->names[i], per[j].units, per[j].type, w->descs[i]};
        }
    static const struct {
        const char *prefix, *units, *desc;
    } per_stage[PER_STAGE] = {
        {"stage_h_", "h", "wall-clock hours of stage"},
        {"stage_accelerator_hours_", "accelerator-h", "accelerator-hours held during stage"},
        {"stage_cost_usd_", "USD", "cost accrued during stage"},
    };
    for (int j = 0; j < PER_STAGE; j++)
        for (int k = 0; k < sc->job.nstages; k++) {
            int i = j * sc->job.nstages + k;
            snprintf(w->stage_names[i], sizeof w->stage_names[i], "%s%s", per_stage[j].prefix,
                     sc->job.stages[k].name);
            snprintf(w->stage_descs[i], sizeof w->stage_descs[i], "%s %s", per_stage[j].desc,
                     sc->job.stages[k].name);
            w->cols[w->ncols++] =
                (dcs_column){w->stage_names[i], per_stage[j].units, DCS_COL_F64, w->stage_descs[i]};
        }
    add_type_cols(w);
    /* One column per uncertain input: the value its replication drew. */
    for (int i = 0; i < w->sc.nuncertain; i++) {
        const dcs_uncertain *u = &w->sc.uncertain[i];
        snprintf(w->input_names[i], sizeof w->input_names[i], "input.%s", u->path);
        w->cols[w->ncols++] =
            (dcs_column){w->input_names[i], u->unit, DCS_COL_F64,
                         u->text ? "uncertain input: the index of the value drawn among the "
                                   "choice's values (NaN: set to a plain value)"
                                 : "uncertain input: the value drawn for this replication, in SI "
                                   "units (a point that sets the key: its value)"};
    }
    return w;
}

double dcs_world_engine_bytes(const dcs_world *w)
{
    /* The engine's own tables are a few kilobytes: 64 KiB covers them and
     * the small models; the cooling units and the market's pipeline are
     * counted. */
    double pipes = 0.0;
    for (int i = 0; i < w->market.n; i++)
        pipes += 8.0 * (double)w->market.t[i].nring;
    return dcs_run_cfg_bytes(&w->run) + 65536.0 +
           64.0 * (double)w->env.ncool * (double)w->sc.cooling.units + pipes;
}

double dcs_world_bytes(const dcs_world *w)
{
    return (double)sizeof *w;
}

void dcs_world_destroy(dcs_world *w)
{
    free(w);
}

const dcs_scenario *dcs_world_scenario(const dcs_world *w)
{
    return &w->sc;
}

const dcs_run_cfg *dcs_world_run_cfg(const dcs_world *w)
{
    return &w->run;
}

/* Every engine holds every model, in this order, each idle when the
 * scenario does not use it: kind numbers (and so the /events enumeration)
 * are the same for every scenario, and an engine can run any world. The
 * run model comes first so that its final hook writes the result record
 * before the energy model adds its part. */
static const dcs_model *const models[] = {&dcs_run_model, &dcs_env_model, &dcs_market_model,
                                          &dcs_probe_model};
#define NMODELS (sizeof models / sizeof models[0])

static const void *config_of(const dcs_world *w, size_t i)
{
    switch (i) {
    case 0:
        return &w->run;
    case 1:
        return &w->env;
    case 2:
        return &w->market;
    default:
        return &w->probe;
    }
}

dcs_engine *dcs_world_engine_create(const dcs_world *w, dcs_err *err)
{
    dcs_engine *eng = dcs_engine_create(DCS_STREAM_COUNT, err);
    if (eng == NULL)
        return NULL;
    uint16_t base, want = 0;
    for (size_t i = 0; i < NMODELS; i++) {
        if (dcs_engine_add_model(eng, models[i], config_of(w, i), &base, err) != 0) {
            dcs_engine_destroy(eng);
            return NULL;
        }
        if (base != want) {
            dcs_engine_destroy(eng);
            dcs_err_set(err, DCS_ESTATE, "model %s got kinds from %u, not %u", models[i]->name,
                        base, want);
            return NULL;
        }
        want = (uint16_t)(want + models[i]->nkinds);
    }
    return eng;
}

int dcs_world_run_traced(const dcs_world *w, dcs_engine *eng, uint64_t seed, uint64_t rep,
                         dcs_trace *tr, dcs_run_result *out, dcs_err *err)
{
    /* eng may have run another world of the same models (a sweep point). */
    int rc = 0;
    for (size_t i = 0; i < NMODELS && rc == 0; i++)
        rc = dcs_engine_rebind(eng, models[i], config_of(w, i));
    if (rc != 0)
        return dcs_err_set(err, rc, "the engine was not made by dcs_world_engine_create");
    if (tr != NULL) {
        dcs_trace_clear(tr);
        if (tr->ncols != (size_t)w->probe.ncols)
            return dcs_err_set(err, DCS_ESTATE, "the trace has %zu sample columns, not %d",
                               tr->ncols, w->probe.ncols);
    }
    dcs_engine_set_trace(eng, tr);
    rc = dcs_engine_reset(eng, seed, rep, err);
    if (rc == 0)
        rc = dcs_engine_run(eng, w->run.max_time_s, err);
    if (rc == 0)
        rc = dcs_engine_finish(eng, out, err); /* every model writes its part of out */
    dcs_engine_set_trace(eng, NULL);
    return rc;
}

int dcs_world_run(const dcs_world *w, dcs_engine *eng, uint64_t seed, uint64_t rep,
                  dcs_run_result *out, dcs_err *err)
{
    return dcs_world_run_traced(w, eng, seed, rep, NULL, out, err);
}

int dcs_world_set_sampling(dcs_world *w, double step_s, dcs_err *err)
{
    if (!(step_s >= 0.0) || !isfinite(step_s))
        return dcs_err_set(err, DCS_EINPUT, "the sampling step must be >= 0, got %g s", step_s);
    w->probe.step_s = step_s;
    return 0;
}

size_t dcs_world_sample_ncols(const dcs_world *w)
{
    return (size_t)w->probe.ncols;
}

const dcs_column *dcs_world_ts_cols(const dcs_world *w, size_t *ncols)
{
    *ncols = 2 + (size_t)w->probe.ncols;
    return w->ts_cols;
}

size_t dcs_world_nkinds(void)
{
    size_t n = 0;
    for (size_t i = 0; i < NMODELS; i++)
        n += models[i]->nkinds;
    return n;
}

void dcs_world_kind(size_t k, const char **name, const char **doc)
{
    *name = *doc = NULL;
    for (size_t i = 0; i < NMODELS; i++) {
        if (k < models[i]->nkinds) {
            *name = models[i]->kind_names[k];
            *doc = models[i]->kind_docs != NULL ? models[i]->kind_docs[k] : "";
            return;
        }
        k -= models[i]->nkinds;
    }
}

size_t dcs_world_ncols(const dcs_world *w)
{
    return w->ncols;
}

const dcs_column *dcs_world_cols(const dcs_world *w)
{
    return w->cols;
}

/* The node shape over the time held / the cluster's: 1 but for a job of
 * several types whose shapes differ. */
static double mean_shape(const dcs_world *w, const dcs_run_result *r)
{
    double held = 0.0, shaped = 0.0;
    for (size_t i = 0; i < w->ntypes; i++) {
        held += r->type_held_s[i];
        shaped += r->type_held_s[i] * w->run.type_shape[i];
    }
    return held > 0.0 ? shaped / held : 1.0;
}

/* n_switches and the per-type columns at c (add_type_cols). */
static void type_row(const dcs_world *w, const dcs_run_result *r, dcs_cell *c)
{
    const dcs_cluster_cfg *cl = &w->sc.cluster;
    double node_accels =
        (double)(cl->nodes + (cl->bill_spares ? cl->spare_nodes : 0)) * (double)cl->accels_per_node;
    const dcs_ledger *l = &r->ledger;
    size_t n = w->ntypes;
    c[0].i = (int64_t)r->n_switches;
    for (size_t k = 0; k < n; k++) {
        double h = r->type_held_s[k] / SECONDS_PER_HOUR;
        double fixed = (int64_t)k == r->type_start ? l->reserved + l->owned : 0.0;
        c[1 + k].f = h;
        c[1 + n + k].f = node_accels * w->run.type_shape[k] * h;
        c[1 + 2 * n + k].f = r->acquired ? r->type_hourly_usd[k] + fixed : (double)NAN;
    }
}

void dcs_world_row(const dcs_world *w, int64_t point, int64_t rep, const dcs_run_result *r,
                   dcs_cell *cells)
{
    const dcs_cluster_cfg *cl = &w->sc.cluster;
    double shape = mean_shape(w, r);
    double job_accels = (double)(cl->nodes * cl->accels_per_node) * shape;
    double spare_accels =
        cl->bill_spares ? (double)(cl->spare_nodes * cl->accels_per_node) * shape : 0.0;
    double span_h = r->makespan_s / SECONDS_PER_HOUR;
    double held_h = (r->makespan_s - r->acquisition_wait_s) / SECONDS_PER_HOUR;
    double held = (job_accels + spare_accels) * held_h;
    double job_held = job_accels * held_h;
    const dcs_ledger *l = &r->ledger;

    cells[C_POINT].i = point;
    cells[C_REP].i = rep;
    cells[C_COMPLETED].i = r->completed;
    cells[C_ACQUIRED].i = r->acquired;
    cells[C_MAKESPAN].f = span_h;
    cells[C_AH_HELD].f = held;
    cells[C_AH_PRODUCTIVE].f = job_accels * r->cat_s[DCS_ACC_PRODUCTIVE] / SECONDS_PER_HOUR;
    cells[C_AH_LOST].f = job_accels * r->cat_s[DCS_ACC_LOST] / SECONDS_PER_HOUR;
    cells[C_AH_CKPT].f = job_accels * r->cat_s[DCS_ACC_CHECKPOINT] / SECONDS_PER_HOUR;
    cells[C_AH_RESTART].f = job_accels * r->cat_s[DCS_ACC_RESTART] / SECONDS_PER_HOUR;
    cells[C_AH_WAITING].f = job_accels * r->cat_s[DCS_ACC_WAITING] / SECONDS_PER_HOUR;
    cells[C_AH_SLOWED].f = job_accels * r->cat_s[DCS_ACC_SLOWED] / SECONDS_PER_HOUR;
    cells[C_AH_MAINT].f = job_accels * r->cat_s[DCS_ACC_MAINTENANCE] / SECONDS_PER_HOUR;
    cells[C_AH_THROTTLED].f = job_accels * r->cat_s[DCS_ACC_THROTTLED] / SECONDS_PER_HOUR;
    cells[C_AH_SPARE].f = spare_accels * held_h;
    cells[C_GOODPUT].f = job_held > 0.0 ? cells[C_AH_PRODUCTIVE].f / job_held : (double)NAN;
    cells[C_N_INTERRUPT].i = (int64_t)r->n_interruptions;
    cells[C_FIRST_INTERRUPT].f = r->first_interrupt_s / SECONDS_PER_HOUR;
    cells[C_N_CKPT].i = (int64_t)r->n_checkpoints;
    cells[C_N_MEM_CKPT].i = (int64_t)r->n_mem_checkpoints;
    cells[C_N_CKPT_LOST].i = (int64_t)r->n_ckpt_lost;
    cells[C_N_RESTART].i = (int64_t)r->n_restarts;
    cells[C_N_MEM_RESTORE].i = (int64_t)r->n_mem_restores;
    cells[C_MIN_SPARES].i = r->min_spares_free;
    cells[C_SPARE_EMPTY].f = r->spare_empty_s / SECONDS_PER_HOUR;
    cells[C_MIN_NODES].i = r->min_nodes_seen;
    cells[C_REPAIR_QUEUE_PEAK].i = (int64_t)r->repair_queue_peak;
    cells[C_CKPT_INTERVAL].f =
        isfinite(w->run.tau_s) ? w->run.tau_s / SECONDS_PER_HOUR : (double)NAN;
    cells[C_CKPT_STORED].f = r->ckpt_byte_s / 1e12 / SECONDS_PER_HOUR;
    cells[C_ACQ_WAIT].f = r->acquisition_wait_s / SECONDS_PER_HOUR;
    cells[C_PRICE_START].f = r->price_start_usd;
    cells[C_PRICE_PAID].f = held > 0.0 ? l->compute / held : (double)NAN;
    cells[C_COST].f = l->total;
    cells[C_COST_COMPUTE].f = l->compute;
    cells[C_COST_ENERGY].f = l->energy;
    cells[C_COST_COOLING].f = l->cooling;
    cells[C_COST_STORAGE].f = l->storage;
    cells[C_COST_DATA].f = l->data;
    cells[C_COST_PROCESSING].f = l->processing;
    cells[C_COST_STAFF].f = l->staff;
    cells[C_COST_LICENCES].f = l->licences;
    cells[C_COST_OTHER].f = l->other;
    cells[C_COMPUTE_HOURLY].f = l->compute - l->reserved - l->owned;
    cells[C_COMPUTE_RESERVED].f = l->reserved;
    cells[C_COMPUTE_OWNED].f = l->owned;
    cells[C_EVENTS].i = (int64_t)r->events;
    /* A replication that never got its capacity has no cost to speak of:
     * NaN, which the statistics leave out (it is counted by acquired). */
    if (!r->acquired)
        for (int k = C_PRICE_PAID; k <= C_COMPUTE_OWNED; k++)
            cells[k].f = (double)NAN;
    dcs_cell *e = cells + C_NFIXED;
    if (w->nenergy > 0) {
        const double mwh = 3.6e9;
        e[E_IT].f = r->e_it_j / mwh;
        e[E_COOL].f = r->e_cool_j / mwh;
        e[E_TOTAL].f = (r->e_it_j + r->e_cool_j) / mwh;
        e[E_PEAK].f = r->peak_w / 1e6;
        e[E_PUE].f = r->e_it_j > 0.0 ? (r->e_it_j + r->e_cool_j) / r->e_it_j : (double)NAN;
        e[E_CO2].f = r->co2_kg / 1000.0;
        e[E_WATER].f = w->sc.power.wue_l_per_kwh * r->e_it_j / 3.6e6 / 1000.0;
        e[E_THROTTLED].f = r->throttled_s / SECONDS_PER_HOUR;
        e[E_MIN_COOL].i = r->min_cooling_units;
    }
    dcs_cell *pc = e + w->nenergy;
    int nf = w->sc.nfailures;
    for (int k = 0; k < nf; k++) {
        pc[k].i = (int64_t)r->n_fail[k];
        pc[nf + k].f = r->downtime_s[k] / SECONDS_PER_HOUR;
        pc[2 * nf + k].f = job_accels * r->lost_s[k] / SECONDS_PER_HOUR;
    }
    /* Each stage from the end of the one before (the start for the first)
     * to its own end (the makespan, the hours held and the total for the
     * last): the stages' columns add up to makespan_h,
     * accelerator_hours_held and cost_usd. Costs fixed at the start (data,
     * a prepaid term) fall in the first stage. */
    dcs_cell *ps = pc + PER_CLASS * nf;
    int ns = w->sc.job.nstages;
    double t0 = 0.0, h0 = 0.0, c0 = 0.0;
    for (int k = 0; k < ns; k++) {
        int last = k + 1 == ns;
        double t1 = last ? r->makespan_s : r->stage_end_s[k];
        double h1 =
            last ? r->makespan_s - r->acquisition_wait_s : fmax(0.0, r->stage_end_held_s[k]);
        double c1 = last ? l->total : r->stage_end_usd[k];
        ps[k].f = (t1 - t0) / SECONDS_PER_HOUR;
        ps[ns + k].f = (job_accels + spare_accels) * (h1 - h0) / SECONDS_PER_HOUR;
        ps[2 * ns + k].f = r->acquired ? c1 - c0 : (double)NAN;
        t0 = t1;
        h0 = h1;
        c0 = c1;
    }
    dcs_cell *pt = ps + PER_STAGE * ns;
    if (w->ntypes > 0)
        type_row(w, r, pt);
    dcs_cell *in = pt + (w->ntypes > 0 ? 1 + PER_TYPE * w->ntypes : 0);
    for (int i = 0; i < w->sc.nuncertain; i++)
        in[i].f = w->sc.uncertain[i].value;
}
