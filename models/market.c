/*
 * market.c - the accelerator market (market.h): one path per replication.
 *
 * The state is the log-demand noise, the installed supply and a ring of
 * arrivals by step: slot (k + j) mod nring holds what arrives j steps from
 * now, so placing an order and taking a step are O(1). Lead times are
 * drawn per step's order from their own stream, and rounded to whole steps
 * (at least one); the longest is cut at mean + 8 sd (a lognormal tail that
 * far out is below 1e-6 for the shapes that matter here), which bounds the
 * ring.
 *
 * The engine model holds one state, steps it every market.step of
 * simulated time, and makes the run model charge its accelerator-hours up
 * to the step at the old price before the price changes, as the energy
 * model does for electricity: every cost is an exact integral of a
 * piecewise constant price.
 */
#include "market.h"

#include "streams.h"

#include <gsl/gsl_randist.h>

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define YEAR_S (365.25 * 86400.0)

int dcs_market_params_init(dcs_market_params *p, const dcs_market_cfg *c, dcs_err *err)
{
    (void)err;
    memset(p, 0, sizeof *p);
    p->cfg = c;
    if (!c->on)
        return 0;
    p->on = 1;
    p->h = c->step_s;
    p->g_demand = log1p(c->demand_growth) / YEAR_S;
    p->g_capacity = log1p(c->capacity_growth) / YEAR_S;
    /* The table's ranges of market.step, elasticity and
     * reference_price_usd_per_hour, and the validator market.lead_time
     * (scenarios/validate.c). */
    assert(p->h > 0.0 && c->elasticity > 0.0 && c->ref_price > 0.0);
    double mean = c->lead_mean_s / p->h, sd = c->lead_sd_s / p->h;
    double longest = ceil(mean + 8.0 * sd) + 1.0;
    assert(longest <= 1e6);
    p->nring = (size_t)longest + 1;
    p->lead_steps_mean = (uint32_t)fmax(1.0, round(mean));
    if (sd > 0.0) {
        /* Lognormal with this mean and sd, in steps. */
        p->lead_sigma = sqrt(log1p(sd * sd / (mean * mean)));
        p->lead_mu = log(mean) - 0.5 * p->lead_sigma * p->lead_sigma;
    }
    if (c->jump_rate > 0.0) {
        double rate = c->jump_rate / YEAR_S; /* per second */
        double ej = exp(c->jump_log_mean + 0.5 * c->jump_log_sd * c->jump_log_sd);
        assert(c->jump_log_sd >= 0.0 && isfinite(ej)); /* the loader's (read_money.c) */
        p->jump_per_step = rate * p->h;
        p->jump_drift = -rate * (ej - 1.0) * p->h;
    }
    return 0;
}

double dcs_market_shock(const dcs_market_cfg *c, dcs_shock_target target, double t)
{
    double m = 1.0;
    for (int i = 0; i < c->nshocks; i++) {
        const dcs_shock_cfg *s = &c->shocks[i];
        if (s->target != target || t <= s->start_s)
            continue;
        double u = t - s->start_s, w; /* w: strength in [0, 1] */
        double up = s->ramp_s, hold = s->duration_s;
        if (u < up)
            w = u / up;
        else if (u < up + hold)
            w = 1.0;
        else if (u < 2.0 * up + hold)
            w = 1.0 - (u - up - hold) / up;
        else
            w = 0.0;
        m *= 1.0 + w * (s->factor - 1.0);
    }
    return m;
}

/* The trend of demand without noise or shocks. */
static double trend(const dcs_market_params *p, double t)
{
    return exp(p->g_demand * t);
}

/* Own demand and the supply at time t. */
static void observe(dcs_market_state *m, double t)
{
    const dcs_market_cfg *c = m->p->cfg;
    m->own = exp(m->p->g_demand * t + m->x) * dcs_market_shock(c, DCS_SHOCK_DEMAND, t);
    m->now.supply = m->s_inst * dcs_market_shock(c, DCS_SHOCK_SUPPLY, t);
    if (m->lj != 0.0 && c->jump_target == DCS_JUMP_DEMAND)
        m->own *= exp(m->lj);
    else if (m->lj != 0.0 && c->jump_target == DCS_JUMP_SUPPLY)
        m->now.supply *= exp(m->lj);
}

/* Sets the price, purchase price and shortage from demand d and supply. */
static void settle(dcs_market_state *m, double d)
{
    const dcs_market_cfg *c = m->p->cfg;
    double s = m->now.supply;
    double price = d > 0.0 && s > 0.0 ? c->ref_price * pow(d / s, 1.0 / c->elasticity)
                   : d > 0.0          ? HUGE_VAL
                                      : 0.0;
    if (m->lj != 0.0 && c->jump_target == DCS_JUMP_PRICE)
        price *= exp(m->lj);
    price = fmin(c->cap_price, fmax(c->floor_price, price));
    m->now.demand = d;
    m->now.price = price;
    m->now.purchase = c->ref_purchase * pow(price / c->ref_price, c->purchase_response);
    m->now.shortage = d > s ? 1.0 - s / d : 0.0;
}

static void clear_market(dcs_market_state *m, double t)
{
    observe(m, t);
    settle(m, m->own);
}

/* Orders placed at time t for delivery after a lead time. */
static void place_orders(dcs_market_state *m, double t, gsl_rng *r_lead)
{
    const dcs_market_params *p = m->p;
    const dcs_market_cfg *c = p->cfg;
    double lead_s = c->lead_mean_s;
    double target =
        m->now.demand * exp(p->g_demand * lead_s) * pow(m->now.price / c->ref_price, c->response);
    double have = m->now.supply + m->outstanding;
    double cap = c->capacity * c->balance * exp(p->g_capacity * t) *
                 dcs_market_shock(c, DCS_SHOCK_MANUFACTURING, t) * p->h / YEAR_S;
    double order = fmin(cap, target - have);
    if (!(order > 0.0))
        return;
    uint32_t n = p->lead_steps_mean;
    if (p->lead_sigma > 0.0) {
        double draw = round(gsl_ran_lognormal(r_lead, p->lead_mu, p->lead_sigma));
        n = draw < 1.0                      ? 1u
            : draw > (double)(p->nring - 1) ? (uint32_t)(p->nring - 1)
                                            : (uint32_t)draw;
    }
    m->pipe[(m->k + n) % p->nring] += order;
    m->outstanding += order;
}

int dcs_market_start(dcs_market_state *m, const dcs_market_params *p, gsl_rng *r_noise,
                     dcs_err *err)
{
    const dcs_market_cfg *c = p->cfg;
    double *pipe = m->pipe;
    memset(m, 0, sizeof *m);
    m->p = p;
    if (!p->on)
        return 0;
    m->pipe = pipe != NULL ? pipe : calloc(p->nring, sizeof *m->pipe);
    if (m->pipe == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "cannot allocate the market's pipeline");
    memset(m->pipe, 0, p->nring * sizeof *m->pipe);
    if (c->demand_sd > 0.0 && !(c->start_price > 0.0))
        m->x = c->demand_sd * gsl_ran_ugaussian(r_noise);
    m->s_inst = c->balance;
    /* The orders of a market that grew at g until now, arriving over the
     * mean lead time: in step j, what the trend adds between j - 1 and j,
     * within the manufacturing capacity of the time. */
    for (uint32_t j = 1; j < p->lead_steps_mean && j < p->nring; j++) {
        double a = c->balance * (trend(p, (double)j * p->h) - trend(p, (double)(j - 1) * p->h));
        a = fmin(a, c->capacity * c->balance * p->h / YEAR_S);
        m->pipe[j % p->nring] += a;
        m->outstanding += a;
    }
    if (c->start_price > 0.0) {
        /* X(0) such that P_ref (e^X m_D(0) / S(0))^(1 / elasticity) = P_0:
         * observe with X = 0 gives own = m_D(0). */
        observe(m, 0.0);
        m->x = c->elasticity * log(c->start_price / c->ref_price) + log(m->now.supply / m->own);
        if (!isfinite(m->x)) {
            dcs_err_key(err, "market.start_price_usd_per_hour");
            return dcs_err_set(err, DCS_EINPUT,
                               "no demand or no supply at the start to give that price");
        }
    }
    clear_market(m, 0.0);
    return 0;
}

void dcs_market_free(dcs_market_state *m)
{
    free(m->pipe);
    m->pipe = NULL;
}

/* The jumps of one step and the compensator (market.h). */
static void jump(dcs_market_state *m, gsl_rng *r_jump)
{
    const dcs_market_params *p = m->p;
    const dcs_market_cfg *c = p->cfg;
    unsigned n = gsl_ran_poisson(r_jump, p->jump_per_step);
    for (unsigned i = 0; i < n; i++)
        m->lj += c->jump_log_sd > 0.0
                     ? c->jump_log_mean + c->jump_log_sd * gsl_ran_ugaussian(r_jump)
                     : c->jump_log_mean;
    m->njumps += n;
    m->lj += p->jump_drift;
}

void dcs_market_step(dcs_market_state *m, gsl_rng *r_noise, gsl_rng *r_lead, gsl_rng *r_jump)
{
    const dcs_market_params *p = m->p;
    const dcs_market_cfg *c = p->cfg;
    /* Orders placed now, at the end of step k, for arrival later. */
    place_orders(m, (double)m->k * p->h, r_lead);
    m->k++;
    double t = (double)m->k * p->h;
    if (c->demand_sd > 0.0) {
        double a = exp(-p->h / c->demand_tau_s);
        m->x = m->x * a + c->demand_sd * sqrt(-expm1(-2.0 * p->h / c->demand_tau_s)) *
                              gsl_ran_ugaussian(r_noise);
    } else if (m->x != 0.0) {
        m->x *= exp(-p->h / c->demand_tau_s); /* a start price relaxing without noise */
    }
    if (p->jump_per_step > 0.0)
        jump(m, r_jump);
    double *slot = &m->pipe[m->k % p->nring];
    m->s_inst = m->s_inst * (1.0 - c->retirement * p->h / YEAR_S) + *slot;
    m->outstanding -= *slot;
    *slot = 0.0;
    if (m->outstanding < 0.0)
        m->outstanding = 0.0; /* rounding */
    clear_market(m, t);
}

/* ---- several linked markets ------------------------------------------------------------------ */

int dcs_market_links_init(dcs_market_links *p, const dcs_scenario *sc, dcs_err *err)
{
    memset(p, 0, sizeof *p);
    if (!sc->market.on)
        return 0;
    p->on = 1;
    p->n = sc->market_listed ? sc->nmarket_types : 1;
    p->job = sc->market_listed ? sc->market_job_type : 0;
    p->eta = p->n > 1 ? sc->substitution.elasticity : 0.0;
    p->keep = exp(-sc->market.step_s / sc->substitution.tau_s);
    for (int i = 0; i < p->n; i++) {
        const dcs_market_type_cfg *t = &sc->market_types[i];
        /* Without market.types, the market mapping itself (which is what
         * a change to the scenario after loading changes). */
        int rc = dcs_market_params_init(&p->t[i], sc->market_listed ? &t->m : &sc->market, err);
        if (rc != 0)
            return rc;
        p->fm[i] = t->peak_flops * t->mfu;
        p->nfm[i] = t->demand_units * p->fm[i];
        if (!sc->market_listed) {
            p->s_noise[i] = DCS_STREAM_MARKET;
            p->s_lead[i] = DCS_STREAM_MARKET_LEAD;
            p->s_jump[i] = DCS_STREAM_MARKET_JUMPS;
        } else {
            /* The loader numbers each type's streams (read_money.c). */
            assert(t->catalog_index >= 0 && t->catalog_index < DCS_MARKET_TYPE_STREAMS);
            p->s_noise[i] = DCS_STREAM_MARKET_TYPE_FIRST + 2u * (uint32_t)t->catalog_index;
            p->s_lead[i] = p->s_noise[i] + 1u;
            p->s_jump[i] = DCS_STREAM_MARKET_JUMP_TYPE_FIRST + (uint32_t)t->catalog_index;
        }
        /* demand_units, mfu and the catalog's peak FLOP/s are > 0 (the key
         * table's ranges; read_money.c refuses a type without peak FLOP/s). */
        assert(!(p->eta > 0.0) || p->nfm[i] > 0.0);
    }
    return 0;
}

void dcs_market_flows(int n, const double *d, const double *z, const double *nfm, double eta,
                      double *d_eff)
{
    for (int i = 0; i < n; i++)
        d_eff[i] = d[i];
    if (n < 2 || !(eta > 0.0))
        return;
    double w = 1.0 / (double)(n - 1);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            if (!(z[i] > z[j]))
                continue;
            double moved = w * -expm1(-eta * (z[i] - z[j])) * d[i];
            d_eff[i] -= moved;
            d_eff[j] += moved * (nfm[i] / nfm[j]);
        }
}

/* Clears every type at its effective demand, from the smoothed costs. */
static void link(dcs_market_set *s)
{
    const dcs_market_links *p = s->p;
    double d[DCS_MAX_MARKET_TYPES] = {0}, d_eff[DCS_MAX_MARKET_TYPES];
    for (int i = 0; i < p->n; i++)
        d[i] = s->m[i].own;
    dcs_market_flows(p->n, d, s->z, p->nfm, p->eta, d_eff);
    for (int i = 0; i < p->n; i++)
        settle(&s->m[i], d_eff[i]);
}

int dcs_market_set_start(dcs_market_set *s, const dcs_market_links *p, gsl_rng *const *r_noise,
                         dcs_err *err)
{
    s->p = p;
    if (!p->on)
        return 0;
    for (int i = 0; i < p->n; i++) {
        int rc = dcs_market_start(&s->m[i], &p->t[i], r_noise[i], err);
        if (rc != 0)
            return rc;
    }
    if (p->eta > 0.0) {
        for (int i = 0; i < p->n; i++)
            s->z[i] = log(s->m[i].now.price / p->t[i].cfg->ref_price);
        link(s);
    }
    return 0;
}

void dcs_market_set_step(dcs_market_set *s, gsl_rng *const *r_noise, gsl_rng *const *r_lead,
                         gsl_rng *const *r_jump)
{
    const dcs_market_links *p = s->p;
    for (int i = 0; i < p->n; i++)
        dcs_market_step(&s->m[i], r_noise[i], r_lead[i], r_jump != NULL ? r_jump[i] : NULL);
    if (p->eta > 0.0) {
        link(s);
        for (int i = 0; i < p->n; i++)
            s->z[i] = p->keep * s->z[i] +
                      (1.0 - p->keep) * log(s->m[i].now.price / p->t[i].cfg->ref_price);
    }
}

void dcs_market_set_free(dcs_market_set *s)
{
    for (int i = 0; i < DCS_MAX_MARKET_TYPES; i++)
        dcs_market_free(&s->m[i]);
}

/* ---- the engine model ---------------------------------------------------------------------- */

enum kind { K_STEP, R_PRICE, R_SHORT, NKINDS };

typedef struct market_engine_state {
    dcs_market_set set;
    const dcs_market_links *p;
    uint16_t base;            /* the engine's number of K_STEP */
    double price0, purchase0; /* the job's type's at the start */
    double price0_of[DCS_MAX_MARKET_TYPES], purchase0_of[DCS_MAX_MARKET_TYPES]; /* every type's */
} market_engine_state;

static int rec(dcs_engine *eng, const market_engine_state *s, int kind, int unit, double value,
               dcs_err *err)
{
    int rc = dcs_engine_trace(eng, (uint16_t)(s->base + kind), (uint32_t)unit, value);
    if (rc != 0)
        return dcs_err_set(err, rc, "cannot record a trace event");
    return 0;
}

/* The streams of every type. */
static void streams(dcs_engine *eng, const dcs_market_links *p, gsl_rng **noise, gsl_rng **lead,
                    gsl_rng **jumps)
{
    for (int i = 0; i < p->n; i++) {
        noise[i] = dcs_engine_rng(eng, p->s_noise[i]);
        lead[i] = dcs_engine_rng(eng, p->s_lead[i]);
        jumps[i] = dcs_engine_rng(eng, p->s_jump[i]);
    }
}

static int init(dcs_engine *eng, void *state, const void *config, dcs_err *err)
{
    market_engine_state *s = state;
    const dcs_market_links *p = config;
    s->p = p;
    s->base = dcs_engine_kind_base(eng);
    if (!p->on)
        return 0;
    gsl_rng *noise[DCS_MAX_MARKET_TYPES], *lead[DCS_MAX_MARKET_TYPES], *jumps[DCS_MAX_MARKET_TYPES];
    streams(eng, p, noise, lead, jumps);
    int rc = dcs_market_set_start(&s->set, p, noise, err);
    if (rc != 0)
        return rc;
    s->price0 = s->set.m[p->job].now.price;
    s->purchase0 = s->set.m[p->job].now.purchase;
    for (int i = 0; i < p->n; i++) {
        s->price0_of[i] = s->set.m[i].now.price;
        s->purchase0_of[i] = s->set.m[i].now.purchase;
    }
    for (int i = 0; i < p->n; i++)
        if ((rc = rec(eng, s, R_PRICE, i, s->set.m[i].now.price, err)) != 0 ||
            (rc = rec(eng, s, R_SHORT, i, s->set.m[i].now.shortage, err)) != 0)
            return rc;
    /* Step k at k h: the engine re-arms it, without drift. */
    if ((rc = dcs_engine_every(eng, (uint16_t)(s->base + K_STEP), p->t[0].h, 1)) != 0)
        return dcs_err_set(err, rc, "cannot schedule the market steps");
    return 0;
}

static void fini(void *state)
{
    market_engine_state *s = state;
    dcs_market_set_free(&s->set);
}

static int on_step(dcs_engine *eng, void *state, const dcs_event *ev, dcs_err *err)
{
    market_engine_state *s = state;
    const dcs_market_links *p = s->p;
    int rc = dcs_engine_changing(eng, ev->t, err); /* charge at the old price first */
    if (rc != 0)
        return rc;
    double was_short[DCS_MAX_MARKET_TYPES];
    for (int i = 0; i < p->n; i++)
        was_short[i] = s->set.m[i].now.shortage;
    gsl_rng *noise[DCS_MAX_MARKET_TYPES], *lead[DCS_MAX_MARKET_TYPES], *jumps[DCS_MAX_MARKET_TYPES];
    streams(eng, p, noise, lead, jumps);
    dcs_market_set_step(&s->set, noise, lead, jumps);
    for (int i = 0; i < p->n; i++) {
        const dcs_market_now *now = &s->set.m[i].now;
        if ((rc = rec(eng, s, R_PRICE, i, now->price, err)) != 0)
            return rc;
        if (now->shortage != was_short[i] &&
            (rc = rec(eng, s, R_SHORT, i, now->shortage, err)) != 0)
            return rc;
    }
    return 0; /* the engine schedules the next step */
}

static const char *const kind_names[NKINDS] = {
    [K_STEP] = "market_step",
    [R_PRICE] = "market_price",
    [R_SHORT] = "market_shortage",
};

static const char *const kind_docs[NKINDS] = {
    [K_STEP] = "internal: a market step (not recorded)",
    [R_PRICE] = "the accelerator-hour price of a market step; unit: the type's index in "
                "market.types (0 without it); value: USD per accelerator-hour",
    [R_SHORT] = "the market's shortage changed; unit: the type's index in market.types (0 "
                "without it); value: 1 - supply / demand, or 0",
};

static dcs_handler_fn *const handlers[NKINDS] = {[K_STEP] = on_step};

const dcs_model dcs_market_model = {
    .name = "market",
    .state_size = sizeof(market_engine_state),
    .init = init,
    .fini = fini,
    .nkinds = NKINDS,
    .kind_names = kind_names,
    .handlers = handlers,
    .kind_docs = kind_docs,
};

const dcs_market_now *dcs_market_now_of(dcs_engine *eng)
{
    /* The config, not the state: the run model asks before the market's
     * init has run. */
    const dcs_market_links *p = dcs_engine_config(eng, &dcs_market_model);
    if (p == NULL || !p->on)
        return NULL;
    const market_engine_state *s = dcs_engine_state(eng, &dcs_market_model);
    return &s->set.m[p->job].now;
}

double dcs_market_price_at_start(dcs_engine *eng)
{
    const market_engine_state *s = dcs_engine_state(eng, &dcs_market_model);
    return s != NULL && s->p != NULL && s->p->on ? s->price0 : (double)NAN;
}

double dcs_market_purchase_at_start(dcs_engine *eng)
{
    const market_engine_state *s = dcs_engine_state(eng, &dcs_market_model);
    return s != NULL && s->p != NULL && s->p->on ? s->purchase0 : (double)NAN;
}

const dcs_market_now *dcs_market_type_now(dcs_engine *eng, int i)
{
    const dcs_market_links *p = dcs_engine_config(eng, &dcs_market_model);
    if (p == NULL || !p->on || i < 0 || i >= p->n)
        return NULL;
    const market_engine_state *s = dcs_engine_state(eng, &dcs_market_model);
    return &s->set.m[i].now;
}

double dcs_market_type_price_at_start(dcs_engine *eng, int i)
{
    const market_engine_state *s = dcs_engine_state(eng, &dcs_market_model);
    return s != NULL && s->p != NULL && s->p->on && i >= 0 && i < s->p->n ? s->price0_of[i]
                                                                          : (double)NAN;
}

double dcs_market_type_purchase_at_start(dcs_engine *eng, int i)
{
    const market_engine_state *s = dcs_engine_state(eng, &dcs_market_model);
    return s != NULL && s->p != NULL && s->p->on && i >= 0 && i < s->p->n ? s->purchase0_of[i]
                                                                          : (double)NAN;
}
