/*
 * env.c - the energy model's state machine (env.h).
 *
 * Step k (at t = k step) holds, until the next: the outdoor temperature
 * T = base(t) + X with X an Ornstein-Uhlenbeck process sampled exactly,
 * X' = X e^(-step/tau) + sd sqrt(1 - e^(-2 step/tau)) N(0, 1); the cooling
 * power per W of IT at T; the electricity price (flat, the time-of-use
 * window of t, or mean (1 + a cos(seasonal)) exp(Y - sd^2 / 2) with Y an
 * OU process of stationary sd `sd`, so the mean price is the given one);
 * the carbon intensity; the throttle that the cooling capacity allows.
 */
#include "env.h"

#include "run.h"
#include "streams.h"

#include <gsl/gsl_randist.h>

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define KWH_J 3.6e6

/* Event kinds, then record-only kinds. */
enum kind {
    K_STEP,
    K_COOL_FAIL,
    K_COOL_BACK,
    R_THROTTLE_START,
    R_THROTTLE_CHANGE,
    R_THROTTLE_END,
    R_PRICE,
    NKINDS
};

typedef struct env_state {
    dcs_env_now now; /* first: the run model reads it */
    const dcs_env_cfg *cfg;
    uint16_t base;   /* the engine's number of K_STEP */
    double x, y;     /* weather and log-price noise */
    int64_t working; /* cooling units in service */
    int64_t min_working;
    uint64_t n_fail[DCS_MAX_FAILURE_CLS];
} env_state;

static int sched(dcs_engine *eng, const env_state *s, double t, int kind, uint32_t unit,
                 uint64_t arg, dcs_err *err)
{
    int rc = dcs_engine_schedule(eng, t, (uint16_t)(s->base + kind), unit, arg, NULL);
    if (rc != 0)
        return dcs_err_set(err, rc, "cannot schedule an energy event at t = %g s", t);
    return 0;
}

/* One exact step of an OU process of stationary sd `sd` and time scale tau. */
static double ou_step(double x, double sd, double tau, double dt, gsl_rng *r)
{
    if (!(sd > 0.0))
        return 0.0;
    double a = exp(-dt / tau);
    return x * a + sd * sqrt(-expm1(-2.0 * dt / tau)) * gsl_ran_ugaussian(r);
}

/* The throttle the working units allow at the current temperature. */
static double throttle_of(const env_state *s)
{
    const dcs_env_cfg *c = s->cfg;
    double cap = dcs_cooling_capacity_w(&c->sc->cooling, s->working, s->now.temp_c);
    if (cap >= c->train_load_w + c->spare_load_w)
        return 1.0;
    double f = (cap - c->spare_load_w) / c->train_load_w;
    return f > 0.0 ? f : 0.0;
}

static int rec(dcs_engine *eng, const env_state *s, int kind, uint32_t unit, double value,
               dcs_err *err)
{
    int rc = dcs_engine_trace(eng, (uint16_t)(s->base + kind), unit, value);
    if (rc != 0)
        return dcs_err_set(err, rc, "cannot record a trace event");
    return 0;
}

/* Makes the run charge up to t with the old values, then applies `next`. */
static int apply(dcs_engine *eng, env_state *s, const dcs_env_now *next, double t, dcs_err *err)
{
    int rc = dcs_engine_changing(eng, t, err);
    if (rc != 0)
        return rc;
    double was = s->now.throttle;
    int price_changed = next->usd_per_j != s->now.usd_per_j;
    s->now = *next;
    if (price_changed && (rc = rec(eng, s, R_PRICE, 0, next->usd_per_j * KWH_J, err)) != 0)
        return rc;
    if (next->throttle == was)
        return 0;
    int k = was == 1.0              ? R_THROTTLE_START
            : next->throttle == 1.0 ? R_THROTTLE_END
                                    : R_THROTTLE_CHANGE;
    if ((rc = rec(eng, s, k, 0, next->throttle, err)) != 0)
        return rc;
    return dcs_engine_changed(eng, t, err);
}

/* The values at t, drawing the noise of the step that begins. */
static void values_at(dcs_engine *eng, env_state *s, double t, double dt, dcs_env_now *v)
{
    const dcs_scenario *sc = s->cfg->sc;
    const dcs_weather_cfg *w = &sc->weather;
    const dcs_elec_cfg *e = &sc->electricity;
    if (dt > 0.0) {
        s->x =
            ou_step(s->x, w->noise_k, w->noise_tau_s, dt, dcs_engine_rng(eng, DCS_STREAM_WEATHER));
        if (e->model == DCS_PRICE_STOCHASTIC)
            s->y = ou_step(s->y, e->noise_sd, e->noise_tau_s, dt,
                           dcs_engine_rng(eng, DCS_STREAM_ENERGY_PRICE));
    }
    *v = s->now;
    v->temp_c = dcs_weather_base_c(w, sc->sim.start_s, t) + s->x;
    v->cool_per_w = dcs_cooling_per_w(&sc->cooling, v->temp_c);
    double price = dcs_tou_price(e, sc->sim.start_s, t);
    if (e->model == DCS_PRICE_STOCHASTIC) {
        double day, hour;
        int wday;
        dcs_calendar(sc->sim.start_s, t, &day, &hour, &wday);
        price *= (1.0 + e->seasonal * cos(6.283185307179586 * (day - e->peak_day) / 365.25)) *
                 exp(s->y - 0.5 * e->noise_sd * e->noise_sd);
    }
    v->usd_per_j = price / KWH_J;
    v->kg_per_j = dcs_carbon_at(&sc->carbon, sc->sim.start_s, t) / KWH_J;
}

static int start_unit(dcs_engine *eng, env_state *s, int i, uint32_t unit, double now, dcs_err *err)
{
    gsl_rng *r = dcs_engine_rng(eng, DCS_STREAM_FAILURE_FIRST + (uint32_t)s->cfg->cool_cls[i]);
    return sched(eng, s, now + dcs_sampler_draw(&s->cfg->ttf[i], r), K_COOL_FAIL, (uint32_t)i, unit,
                 err);
}

static int init(dcs_engine *eng, void *state, const void *config, dcs_err *err)
{
    env_state *s = state;
    const dcs_env_cfg *c = config;
    s->cfg = c;
    s->base = dcs_engine_kind_base(eng);
    if (!c->on)
        return 0;
    s->working = c->sc->cooling.units;
    s->min_working = s->working;
    /* The stationary noise at t = 0, so the start is not special. */
    if (c->sc->weather.noise_k > 0.0)
        s->x = c->sc->weather.noise_k * gsl_ran_ugaussian(dcs_engine_rng(eng, DCS_STREAM_WEATHER));
    if (c->sc->electricity.model == DCS_PRICE_STOCHASTIC)
        s->y = c->sc->electricity.noise_sd *
               gsl_ran_ugaussian(dcs_engine_rng(eng, DCS_STREAM_ENERGY_PRICE));
    s->now.throttle = 1.0;
    dcs_env_now v;
    values_at(eng, s, 0.0, 0.0, &v);
    s->now = v; /* nothing to charge yet */
    s->now.throttle = 1.0;
    v.throttle = throttle_of(s);
    int rc = rec(eng, s, R_PRICE, 0, v.usd_per_j * KWH_J, err);
    if (rc == 0)
        rc = apply(eng, s, &v, 0.0, err);
    for (int i = 0; i < c->ncool && rc == 0; i++)
        for (uint32_t u = 0; u < (uint32_t)c->sc->cooling.units && rc == 0; u++)
            rc = start_unit(eng, s, i, u, 0.0, err);
    if (rc == 0 && c->stepped && (rc = dcs_engine_every(eng, s->base + K_STEP, c->step_s, 1)) != 0)
        return dcs_err_set(err, rc, "cannot schedule the energy steps");
    return rc;
}

static int on_step(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    env_state *s = state;
    dcs_env_now v;
    values_at(eng, s, ev->t, s->cfg->step_s, &v);
    /* The throttle follows the new temperature. */
    dcs_env_now keep = s->now;
    s->now.temp_c = v.temp_c;
    v.throttle = throttle_of(s);
    s->now = keep;
    return apply(eng, s, &v, ev->t, err); /* the engine schedules the next step */
}

static int set_working(dcs_engine *eng, env_state *s, int64_t working, double t, dcs_err *err)
{
    s->working = working;
    if (working < s->min_working)
        s->min_working = working;
    dcs_env_now v = s->now;
    v.throttle = throttle_of(s);
    return apply(eng, s, &v, t, err);
}

static int on_cool_fail(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    env_state *s = state;
    int i = (int)ev->unit;
    s->n_fail[s->cfg->cool_cls[i]]++;
    /* The repair starts at detection, as for the run model's hardware. */
    double detect = s->cfg->sc->failures[s->cfg->cool_cls[i]].detect_s;
    double rep = dcs_sampler_draw(&s->cfg->repair[i], dcs_engine_rng(eng, DCS_STREAM_REPAIR));
    int rc = rec(eng, s, K_COOL_FAIL, (uint32_t)s->cfg->cool_cls[i], (double)(s->working - 1), err);
    if (rc == 0)
        rc = set_working(eng, s, s->working - 1, ev->t, err);
    return rc != 0 ? rc : sched(eng, s, ev->t + detect + rep, K_COOL_BACK, ev->unit, ev->arg, err);
}

static int on_cool_back(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    env_state *s = state;
    int rc = rec(eng, s, K_COOL_BACK, (uint32_t)s->cfg->cool_cls[ev->unit],
                 (double)(s->working + 1), err);
    if (rc == 0)
        rc = set_working(eng, s, s->working + 1, ev->t, err);
    return rc != 0 ? rc : start_unit(eng, s, (int)ev->unit, (uint32_t)ev->arg, ev->t, err);
}

/* The run is over: the cooling classes' failures and the fewest cooling
 * units that worked go into the replication's result. */
static int final(dcs_engine *eng, void *state, void *out, dcs_err *err)
{
    (void)eng;
    (void)err;
    const env_state *s = state;
    dcs_run_result *r = out;
    if (!s->cfg->on)
        return 0;
    for (int i = 0; i < s->cfg->ncool; i++)
        r->n_fail[s->cfg->cool_cls[i]] = s->n_fail[s->cfg->cool_cls[i]];
    r->min_cooling_units = s->min_working;
    return 0;
}

static const char *const kind_names[NKINDS] = {
    [K_STEP] = "energy_step",
    [K_COOL_FAIL] = "cooling_unit_failure",
    [K_COOL_BACK] = "cooling_unit_repaired",
    [R_THROTTLE_START] = "throttle_started",
    [R_THROTTLE_CHANGE] = "throttle_changed",
    [R_THROTTLE_END] = "throttle_ended",
    [R_PRICE] = "electricity_price",
};

static const char *const kind_docs[NKINDS] = {
    [K_STEP] = "internal: the weather, price and carbon step (not recorded)",
    [K_COOL_FAIL] = "a cooling unit failed; unit: failure class; value: units still working",
    [K_COOL_BACK] = "a cooling unit was repaired; unit: failure class; value: units working",
    [R_THROTTLE_START] = "the accelerators begin to throttle (heat above cooling capacity); "
                         "unit: 0; value: speed and training power factor, in [0, 1)",
    [R_THROTTLE_CHANGE] = "the throttle changed; unit: 0; value: the factor, in [0, 1)",
    [R_THROTTLE_END] = "throttling ends; unit: 0; value: 1",
    [R_PRICE] = "the electricity price changed; unit: 0; value: USD/kWh",
};

static dcs_handler_fn *const handlers[NKINDS] = {
    [K_STEP] = on_step, [K_COOL_FAIL] = on_cool_fail, [K_COOL_BACK] = on_cool_back};

const dcs_model dcs_env_model = {
    .name = "energy",
    .state_size = sizeof(env_state),
    .init = init,
    .final = final,
    .nkinds = NKINDS,
    .kind_names = kind_names,
    .handlers = handlers,
    .kind_docs = kind_docs,
};

int dcs_env_cfg_init(dcs_env_cfg *ec, const dcs_scenario *sc, dcs_err *err)
{
    memset(ec, 0, sizeof *ec);
    ec->sc = sc;
    if (!sc->power.on)
        return 0;
    ec->on = 1;
    const dcs_cluster_cfg *cl = &sc->cluster;
    ec->step_s = sc->power.step_s;
    ec->train_load_w = (double)(cl->nodes * cl->accels_per_node) * sc->power.training_w;
    ec->spare_load_w = (double)(cl->spare_nodes * cl->accels_per_node) * sc->power.idle_w;
    for (int k = 0; k < sc->nfailures; k++) {
        const dcs_failure_cfg *f = &sc->failures[k];
        if (f->scope != DCS_SCOPE_COOLING)
            continue;
        int i = ec->ncool++;
        ec->cool_cls[i] = k;
        if (dcs_sampler_init(&ec->ttf[i], &f->ttf) != 0 ||
            dcs_sampler_init(&ec->repair[i], &f->repair) != 0) {
            char key[64];
            snprintf(key, sizeof key, "failures[%d]", k);
            dcs_err_key(err, key);
            return dcs_err_set(err, DCS_EINPUT, "failure class %s has an invalid distribution",
                               f->name);
        }
    }
    const dcs_weather_cfg *w = &sc->weather;
    int weather_varies =
        w->nseries > 0 || w->seasonal_k != 0.0 || w->daily_k != 0.0 || w->noise_k > 0.0;
    int weather_used = sc->cooling.model == DCS_COOL_COP || sc->cooling.units > 0;
    ec->stepped = (weather_varies && weather_used) || sc->electricity.model != DCS_PRICE_FLAT ||
                  sc->carbon.nhourly > 0 || sc->carbon.nseries > 0;
    /* Only the power section turns the other energy sections on, and its
     * step is > 0 (the key table's range). */
    assert(!ec->stepped || ec->step_s > 0.0);
    return 0;
}

const dcs_env_now *dcs_env_now_of(dcs_engine *eng)
{
    /* The config, not the state: the run model asks before the energy
     * model's init has run. */
    const dcs_env_cfg *c = dcs_engine_config(eng, &dcs_env_model);
    if (c == NULL || !c->on)
        return NULL;
    const env_state *s = dcs_engine_state(eng, &dcs_env_model);
    return &s->now;
}
