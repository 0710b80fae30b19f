/*
 * test_market_jumps.c - validation of the market's random jumps (Merton's
 * compound Poisson process with lognormal sizes and its compensator) and
 * of a start price away from equilibrium relaxing as the Ornstein-Uhlenbeck
 * noise does (market.h states both).
 *
 * The market has no supply response (no manufacturing capacity: supply
 * stays at its start), no growth and no other noise unless said, so the
 * jumped quantity is exactly J_t times its start. Monte Carlo checks use
 * fixed seeds and a tolerance of 4 standard errors (P(false failure) <
 * 1e-4 per check), each standard error stated beside its check; the others
 * are identities.
 */
#include "market.h"
#include "rng.h"
#include "streams.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

TestSuite(market_jumps, .timeout = 900);

#define DAY  86400.0
#define YEAR (365.25 * DAY)

static dcs_market_cfg quiet_market(void)
{
    dcs_market_cfg c;
    memset(&c, 0, sizeof c);
    c.on = true;
    c.step_s = DAY;
    c.ref_price = 2.385;
    c.cap_price = HUGE_VAL;
    c.elasticity = 0.7;
    c.balance = 1.0;
    c.demand_tau_s = 20.0 * DAY;
    c.lead_mean_s = 60.0 * DAY;
    c.capacity = 0.0; /* no orders: supply stays at its start */
    c.ref_purchase = 30000.0;
    return c;
}

/* The jumped quantity of the market now, relative to its start of 1. */
static double jumped(const dcs_market_state *m)
{
    switch (m->p->cfg->jump_target) {
    case DCS_JUMP_DEMAND:
        return m->own;
    case DCS_JUMP_SUPPLY:
        return m->now.supply;
    default:
        return m->now.price / m->p->cfg->ref_price;
    }
}

typedef struct path_end {
    double level; /* the jumped quantity at the last step */
    uint64_t njumps;
} path_end;

/* Runs `paths` paths of `steps` steps; ends[i] is path i's last step. */
static void run_paths(const dcs_market_cfg *c, int paths, int steps, uint64_t seed, path_end *ends)
{
    dcs_market_params p;
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert_eq(dcs_market_params_init(&p, c, &err), 0, "%s", err.msg);
    gsl_rng *noise = dcs_rng_create(&err), *lead = dcs_rng_create(&err),
            *jump = dcs_rng_create(&err);
    cr_assert(noise != NULL && lead != NULL && jump != NULL);
    dcs_market_state m;
    memset(&m, 0, sizeof m);
    for (int i = 0; i < paths; i++) {
        dcs_rng_key(noise, seed, (uint64_t)i, DCS_STREAM_MARKET);
        dcs_rng_key(lead, seed, (uint64_t)i, DCS_STREAM_MARKET_LEAD);
        dcs_rng_key(jump, seed, (uint64_t)i, DCS_STREAM_MARKET_JUMPS);
        cr_assert_eq(dcs_market_start(&m, &p, noise, &err), 0, "%s", err.msg);
        cr_assert_eq(jumped(&m), 1.0, "the start has no jump");
        for (int k = 1; k <= steps; k++)
            dcs_market_step(&m, noise, lead, jump);
        ends[i].level = jumped(&m);
        ends[i].njumps = m.njumps;
    }
    dcs_market_free(&m);
    gsl_rng_free(noise);
    gsl_rng_free(lead);
    gsl_rng_free(jump);
}

/* After one year (365 daily steps, t = 365 d), on each target:
 *   E[J_t] = 1 (Merton's compensator), Var[J_t] = e^(lambda t E[(J - 1)^2]) - 1;
 *   E[ln J_t] = lambda t (mu - (E[J] - 1)), Var[ln J_t] = lambda t (mu^2 + s^2);
 *   P(N_t = 0) = e^(-lambda t). */
Test(market_jumps, one_year_of_jumps_meets_mertons_closed_forms)
{
    enum { PATHS = 40000, STEPS = 365 };
    const dcs_jump_target targets[] = {DCS_JUMP_DEMAND, DCS_JUMP_SUPPLY, DCS_JUMP_PRICE};
    path_end *ends = malloc(PATHS * sizeof *ends);
    cr_assert_not_null(ends);
    for (size_t g = 0; g < sizeof targets / sizeof targets[0]; g++) {
        dcs_market_cfg c = quiet_market();
        c.jump_rate = 2.0;
        c.jump_target = targets[g];
        c.jump_log_mean = -0.1;
        c.jump_log_sd = 0.3;
        run_paths(&c, PATHS, STEPS, 1300 + g, ends);
        double lt = c.jump_rate * STEPS * DAY / YEAR; /* lambda t */
        double mu = c.jump_log_mean, s2 = c.jump_log_sd * c.jump_log_sd;
        double ej = exp(mu + 0.5 * s2), ej2 = exp(2.0 * mu + 2.0 * s2);
        double var_level = expm1(lt * (ej2 - 2.0 * ej + 1.0));
        double mean_log = lt * (mu - (ej - 1.0)), var_log = lt * (mu * mu + s2);
        double p0 = exp(-lt);

        double sum = 0.0, slog = 0.0, none = 0.0;
        for (int i = 0; i < PATHS; i++) {
            sum += ends[i].level;
            slog += log(ends[i].level);
            none += ends[i].njumps == 0;
        }
        double mean = sum / PATHS, mlog = slog / PATHS, pn = none / PATHS;
        double q2 = 0.0, q4 = 0.0;
        for (int i = 0; i < PATHS; i++) {
            double d = log(ends[i].level) - mlog;
            q2 += d * d;
            q4 += d * d * d * d;
        }
        double vlog = q2 / PATHS, m4 = q4 / PATHS;
        const char *name = targets[g] == DCS_JUMP_DEMAND   ? "demand"
                           : targets[g] == DCS_JUMP_SUPPLY ? "supply"
                                                           : "price";
        /* SE of a mean: sd / sqrt(n), with the exact sd. */
        cr_assert_lt(fabs(mean - 1.0), 4.0 * sqrt(var_level / PATHS),
                     "%s: E[S_1] %.5f, want 1 (sd %.4f)", name, mean, sqrt(var_level));
        cr_assert_lt(fabs(mlog - mean_log), 4.0 * sqrt(var_log / PATHS),
                     "%s: E[ln S_1] %.5f, want %.5f", name, mlog, mean_log);
        /* SE of a sample variance: sqrt((m4 - var^2) / n), the log not being
         * normal (a Poisson mixture of normals), m4 its fourth central moment. */
        cr_assert_lt(fabs(vlog - var_log), 4.0 * sqrt((m4 - vlog * vlog) / PATHS),
                     "%s: Var[ln S_1] %.5f, want %.5f", name, vlog, var_log);
        /* SE of a proportion: sqrt(p (1 - p) / n). */
        cr_assert_lt(fabs(pn - p0), 4.0 * sqrt(p0 * (1.0 - p0) / PATHS),
                     "%s: P(no jump) %.5f, want %.5f", name, pn, p0);
    }
    free(ends);
}

/* Jumps draw only from their own stream: the demand noise of a market with
 * jumps is, draw for draw, the noise of the same market without. */
Test(market_jumps, jumps_leave_the_noise_stream_alone)
{
    dcs_market_cfg c = quiet_market(), cj;
    c.demand_sd = 0.3;
    c.capacity = HUGE_VAL;
    c.lead_sd_s = 10.0 * DAY;
    cj = c;
    cj.jump_rate = 12.0;
    cj.jump_log_mean = 0.2;
    cj.jump_log_sd = 0.4;
    dcs_market_params p, pj;
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert_eq(dcs_market_params_init(&p, &c, &err), 0);
    cr_assert_eq(dcs_market_params_init(&pj, &cj, &err), 0);
    gsl_rng *r[5];
    for (int i = 0; i < 5; i++)
        cr_assert_not_null(r[i] = dcs_rng_create(&err));
    dcs_rng_key(r[0], 77, 0, DCS_STREAM_MARKET);
    dcs_rng_key(r[1], 77, 0, DCS_STREAM_MARKET_LEAD);
    dcs_rng_key(r[2], 77, 0, DCS_STREAM_MARKET);
    dcs_rng_key(r[3], 77, 0, DCS_STREAM_MARKET_LEAD);
    dcs_rng_key(r[4], 77, 0, DCS_STREAM_MARKET_JUMPS);
    dcs_market_state a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    cr_assert_eq(dcs_market_start(&a, &p, r[0], &err), 0);
    cr_assert_eq(dcs_market_start(&b, &pj, r[2], &err), 0);
    for (int k = 0; k < 400; k++) {
        cr_assert_eq(memcmp(&a.x, &b.x, sizeof a.x), 0, "step %d: the noise differs", k);
        dcs_market_step(&a, r[0], r[1], NULL);
        dcs_market_step(&b, r[2], r[3], r[4]);
    }
    cr_assert_gt(b.njumps, 0, "the market with jumps jumped");
    cr_assert_eq(a.njumps, 0);
    dcs_market_free(&a);
    dcs_market_free(&b);
    for (int i = 0; i < 5; i++)
        gsl_rng_free(r[i]);
}

/* A start price P_0: the price at t = 0 is P_0, and X relaxes by the OU
 * transition law from X(0) = elasticity ln(P_0 / P_ref) (supply 1, no
 * shock): E[X_t] = X(0) e^(-t / tau), Var[X_t] = sigma^2 (1 - e^(-2 t / tau)). */
Test(market_jumps, a_start_price_relaxes_by_the_ou_transition_law)
{
    enum { PATHS = 20000, STEPS = 60 };
    dcs_market_cfg c = quiet_market();
    c.start_price = 8.0; /* the 2023 peak */
    c.demand_sd = 0.3;
    double x0 = c.elasticity * log(c.start_price / c.ref_price);
    const int ks[] = {5, 20, 60};
    double sx[3] = {0}, sxx[3] = {0};
    dcs_market_params p;
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert_eq(dcs_market_params_init(&p, &c, &err), 0);
    gsl_rng *noise = dcs_rng_create(&err), *lead = dcs_rng_create(&err);
    cr_assert(noise != NULL && lead != NULL);
    dcs_market_state m;
    memset(&m, 0, sizeof m);
    for (int i = 0; i < PATHS; i++) {
        dcs_rng_key(noise, 2023, (uint64_t)i, DCS_STREAM_MARKET);
        dcs_rng_key(lead, 2023, (uint64_t)i, DCS_STREAM_MARKET_LEAD);
        cr_assert_eq(dcs_market_start(&m, &p, noise, &err), 0);
        cr_assert_lt(fabs(m.now.price - c.start_price), 1e-12 * c.start_price,
                     "path %d starts at %.15g", i, m.now.price);
        for (int k = 1, j = 0; k <= STEPS; k++) {
            dcs_market_step(&m, noise, lead, NULL);
            if (k == ks[j]) {
                sx[j] += m.x;
                sxx[j] += m.x * m.x;
                j++;
            }
        }
    }
    for (int j = 0; j < 3; j++) {
        double t = ks[j] * DAY;
        double want_m = x0 * exp(-t / c.demand_tau_s);
        double want_v = c.demand_sd * c.demand_sd * -expm1(-2.0 * t / c.demand_tau_s);
        double mean = sx[j] / PATHS, var = sxx[j] / PATHS - mean * mean;
        /* X_t is normal: SE of the mean sqrt(var / n), of the variance
         * var sqrt(2 / n). */
        cr_assert_lt(fabs(mean - want_m), 4.0 * sqrt(want_v / PATHS),
                     "step %d: E[X] %.5f, want %.5f", ks[j], mean, want_m);
        cr_assert_lt(fabs(var - want_v), 4.0 * want_v * sqrt(2.0 / PATHS),
                     "step %d: Var[X] %.5f, want %.5f", ks[j], var, want_v);
    }
    /* Without noise the relaxation is the mean itself, exactly. */
    c.demand_sd = 0.0;
    cr_assert_eq(dcs_market_params_init(&p, &c, &err), 0);
    cr_assert_eq(dcs_market_start(&m, &p, noise, &err), 0);
    for (int k = 1; k <= STEPS; k++) {
        dcs_market_step(&m, noise, lead, NULL);
        double want = x0 * exp(-k * DAY / c.demand_tau_s);
        cr_assert_lt(fabs(m.x - want), 1e-12 * fabs(x0), "step %d: X %.15g, want %.15g", k, m.x,
                     want);
        cr_assert_lt(fabs(log(m.now.price / c.ref_price) - want / c.elasticity), 1e-12,
                     "step %d: the price follows X", k);
    }
    dcs_market_free(&m);
    gsl_rng_free(noise);
    gsl_rng_free(lead);
}
