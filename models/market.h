/*
 * market.h - a market for accelerator-hours, stepped on a fixed grid
 * (market.step, a day by default) beside the run model, one path per
 * replication.
 *
 * Equations (docs/scenarios.md states them for users). At step k, t = k h:
 *   demand      D = exp(g t + X) m_D(t), g = ln(1 + demand_growth) per year,  X an
 * Ornstein-Uhlenbeck process of stationary sd sigma and time scale tau, sampled exactly; supply S =
 * S_inst m_S(t); S_inst += arrivals - retirement r S_inst h; price       P = min(cap, max(floor,
 * P_ref (D / S)^(1 / elasticity))); orders      O = min(C m_C(t) h, max(0, D e^(g L) (P /
 * P_ref)^beta - S - pipeline)), arriving after a lead time L ~ lognormal(mean, sd) (fixed when sd =
 * 0), with manufacturing capacity C = c S_0 (1 + capacity_growth)^t per year; shortage    q =
 * max(0, 1 - S / D): the chance that capacity asked for is not there; a job waits
 * Exp(acquisition_time q / (1 - q)); purchase    B = B_ref (P / P_ref)^gamma. m_D, m_S and m_C are
 * the products of the shocks on demand, supply and manufacturing. The initial pipeline holds the
 * orders of a market that grew at g until now, so a market with no noise, no shocks and a balance
 * of 1 keeps S = D and a flat price.
 *
 * Random jumps (Merton): J_t = e^(-lambda (E[J] - 1) t) prod_{i <= N_t} J_i multiplies the
 * jump target (D, S, or P inside the floor and cap), N a Poisson process of rate lambda
 * (market.jump_rate), ln J_i ~ N(mu, s^2) (jump_log_mean, jump_log_sd), so E[J] = e^(mu + s^2 /
 * 2) and, the compensator -lambda (E[J] - 1) t taking out the jumps' own drift, E[J_t] = 1;
 * Var[ln J_t] = lambda t (mu^2 + s^2); P(N_t = 0) = e^(-lambda t). Each step draws N's increment
 * ~ Poisson(lambda h) and its sizes from the market's jump stream, which a market without jumps
 * never touches. A start price P_0 (market.start_price_usd_per_hour) sets X(0) = elasticity
 * ln(P_0 / P_ref) + ln(S(0) / (m_D(0))) in place of the stationary draw, so that the price of the
 * market alone is P_0 at t = 0; X then relaxes as the OU process does: E[X_t] = X(0) e^(-t /
 * tau), Var[X_t] = sigma^2 (1 - e^(-2 t / tau)).
 *
 * Several types (market.types), each such a market with its own streams, are linked by their
 * demand. With c_i = P_i / (F_i mfu_i) the price per effective FLOP of type i (F_i the catalog's
 * peak), how much dearer type i has become against type j since the reference prices is
 * ln[(c_i / c_j) / (c_i^ref / c_j^ref)] = r_i - r_j, r_i = ln(P_i / P_ref_i): buyers' choices at
 * the reference prices already weigh memory, software and supply, and what moves demand is a
 * change. z_i is r_i averaged exponentially over the substitution time scale tau (z_i(0) = r_i(0)
 * at the unlinked prices; z_i(k) = a z_i(k - 1) + (1 - a) r_i(k), a = e^(-h / tau)); a type sends
 * the share s_ij = (1 / (n - 1)) max(0, 1 - e^(-eta (z_i(k - 1) - z_j(k - 1)))) of its own demand
 * D_i to each type j that became cheaper, as the same effective FLOP/s, so that the demand each
 * type clears at is D_i^eff = D_i (1 - sum_j s_ij) + sum_j s_ji D_j (N_j F_j mfu_j) / (N_i F_i
 * mfu_i), N the demand_units: the price, the orders and the shortage of type i use D_i^eff in place
 * of D. With eta = 0 each type is exactly the single market above.
 *
 * The pure functions below (a state, init, step) are what the engine model
 * runs; tests drive them directly.
 */
#ifndef DCSIM_MODELS_MARKET_H
#define DCSIM_MODELS_MARKET_H

#ifndef DCS_LAYER_MODELS
#error "models/ is not visible from sim/"
#endif

#include "config.h"
#include "engine.h"

#include <gsl/gsl_rng.h>

/* Derived, read-only market parameters. */
typedef struct dcs_market_params {
    const dcs_market_cfg *cfg; /* borrowed */
    int on;
    double h;          /* step, s */
    double g_demand;   /* log growth of demand, per second */
    double g_capacity; /* log growth of manufacturing capacity, per second */
    size_t nring;      /* pipeline slots: the longest lead time, in steps, + 1 */
    uint32_t lead_steps_mean;
    double lead_mu, lead_sigma; /* lognormal parameters of the lead time in steps */
    double jump_per_step;       /* lambda h: the mean number of jumps in a step */
    double jump_drift;          /* -lambda (E[J] - 1) h: the compensator's log drift per step */
} dcs_market_params;

/* What the market says now. */
typedef struct dcs_market_now {
    double price;    /* accelerator-hour price, USD */
    double purchase; /* accelerator purchase price, USD */
    double shortage; /* q in [0, 1) */
    double demand;   /* D (index; 1 at the start of a market without noise) */
    double supply;   /* S, the supply available to the market, same index */
} dcs_market_now;

/* One market path. `pipe` is owned (nring slots of arrivals by step). */
typedef struct dcs_market_state {
    const dcs_market_params *p;
    uint64_t k;         /* steps taken */
    double own;         /* its own demand D (before any moves to or from other types) */
    double x;           /* log-demand noise */
    double s_inst;      /* installed supply, before the supply shock */
    double *pipe;       /* arrivals in k + 1 .. k + nring - 1, ring indexed by step */
    double outstanding; /* sum of pipe */
    double lj;          /* ln of the compensated jump factor J_t */
    uint64_t njumps;    /* jumps so far, N_t */
    dcs_market_now now;
} dcs_market_state;

/* Derives p from c (which must stay alive); p->on is false without a
 * market section. c is a loaded scenario's: the loader's ranges and
 * validators hold it (a config that breaks them is a programming error,
 * asserted), so this returns 0; err stays for the models' common form. */
int dcs_market_params_init(dcs_market_params *p, const dcs_market_cfg *c, dcs_err *err);

/* Starts a path at t = 0: the noise from its stationary law (from r_noise),
 * or at the value that gives the start price, the installed supply, the
 * initial pipeline. Returns 0, DCS_ENOMEM, or DCS_EINPUT (a start price
 * with no demand or supply at t = 0). */
int dcs_market_start(dcs_market_state *m, const dcs_market_params *p, gsl_rng *r_noise,
                     dcs_err *err);

/* Frees the pipeline. */
void dcs_market_free(dcs_market_state *m);

/* Takes one step (to t = (k + 1) h): noise, jumps, arrivals, price, orders.
 * r_jump may be NULL when the market has no jumps. */
void dcs_market_step(dcs_market_state *m, gsl_rng *r_noise, gsl_rng *r_lead, gsl_rng *r_jump);

/* The product of the shocks on `target` at time t, s. */
double dcs_market_shock(const dcs_market_cfg *c, dcs_shock_target target, double t);

/* ---- several linked markets (market.types) ------------------------------------------------- */

/* Derived parameters of every type of a scenario's market: one without
 * market.types. */
typedef struct dcs_market_links {
    int on;
    int n;                           /* types */
    int job;                         /* the cluster's type */
    double eta;                      /* substitution elasticity */
    double keep;                     /* e^(-h / tau): the old smoothed cost's weight at each step */
    double fm[DCS_MAX_MARKET_TYPES]; /* effective FLOP/s of one accelerator: peak x mfu */
    double nfm[DCS_MAX_MARKET_TYPES]; /* of demand index 1: demand_units x fm */
    uint32_t s_noise[DCS_MAX_MARKET_TYPES], s_lead[DCS_MAX_MARKET_TYPES]; /* streams */
    uint32_t s_jump[DCS_MAX_MARKET_TYPES];
    dcs_market_params t[DCS_MAX_MARKET_TYPES];
} dcs_market_links;

/* Derives p from sc (which must stay alive). Returns 0 or DCS_EINPUT. */
int dcs_market_links_init(dcs_market_links *p, const dcs_scenario *sc, dcs_err *err);

/* The paths of every type, and each type's smoothed log price against
 * its reference, z. */
typedef struct dcs_market_set {
    const dcs_market_links *p;
    dcs_market_state m[DCS_MAX_MARKET_TYPES];
    double z[DCS_MAX_MARKET_TYPES]; /* smoothed ln(P / P_ref) */
} dcs_market_set;

/* Starts every type (r_noise[i]: type i's noise stream), then moves
 * demand at the start's prices. Returns 0 or DCS_ENOMEM. */
int dcs_market_set_start(dcs_market_set *s, const dcs_market_links *p, gsl_rng *const *r_noise,
                         dcs_err *err);

/* Steps every type, then moves demand by the smoothed costs of the step
 * before and clears each type at its effective demand. */
void dcs_market_set_step(dcs_market_set *s, gsl_rng *const *r_noise, gsl_rng *const *r_lead,
                         gsl_rng *const *r_jump);

void dcs_market_set_free(dcs_market_set *s);

/* The effective demand of n types: d own demands, z smoothed log prices
 * against the reference, nfm effective FLOP/s of each type's demand index 1,
 * eta the substitution elasticity. Type i sends the share (1 / (n - 1))
 * (1 - e^(-eta (z_i - z_j))) of its own demand to every cheaper type j,
 * which receives it as the same effective FLOP/s: d_i nfm_i / nfm_j. So
 * sum_i nfm_i d_eff_i = sum_i nfm_i d_i, and eta = 0 (or n = 1) gives
 * d_eff = d exactly. */
void dcs_market_flows(int n, const double *d, const double *z, const double *nfm, double eta,
                      double *d_eff);

/* The engine model; config is a const dcs_market_links *. */
extern const dcs_model dcs_market_model;

/* The market's current values, or NULL when the engine's market is off.
 * Valid from t = 0 (the model sets them in its init). */
const dcs_market_now *dcs_market_now_of(dcs_engine *eng);

/* The current values of market type i (an index in market.types; 0
 * without it), or NULL when the engine's market is off. Valid from t = 0. */
const dcs_market_now *dcs_market_type_now(dcs_engine *eng, int i);

/* The price and purchase price of type i at t = 0 (NAN when off). */
double dcs_market_type_price_at_start(dcs_engine *eng, int i);
double dcs_market_type_purchase_at_start(dcs_engine *eng, int i);

/* The price at t = 0 of this replication's path (NAN when off). */
double dcs_market_price_at_start(dcs_engine *eng);
double dcs_market_purchase_at_start(dcs_engine *eng);

#endif /* DCSIM_MODELS_MARKET_H */
