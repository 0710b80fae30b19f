/*
 * test_market.c - validation of the accelerator market and the cost
 * ledger: the log-price of a market without supply response against the
 * exact law of its Ornstein-Uhlenbeck noise, shocks that raise the price
 * until supply arrives, a flat price when supply tracks demand, the
 * reserved price fixed at signing, the owned-cost formula, the wait for
 * capacity in a short market, and components that add up to the total.
 *
 * Monte Carlo checks use fixed seeds and a tolerance of 4 standard errors
 * (P(false failure) < 1e-4 per check); the others are identities.
 */
#include "market.h"
#include "reps.h"
#include "rng.h"
#include "scen.h"
#include "stats.h"
#include "streams.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdlib.h>

TestSuite(market, .timeout = 900);

#define DAY  86400.0
#define HOUR 3600.0
#define YEAR (365.25 * DAY)

static dcs_market_cfg base_market(void)
{
    dcs_market_cfg c;
    memset(&c, 0, sizeof c);
    c.on = true;
    c.step_s = DAY;
    c.ref_price = 2.385;
    c.floor_price = 0.0;
    c.cap_price = HUGE_VAL;
    c.elasticity = 0.7;
    c.balance = 1.0;
    c.demand_tau_s = 20.0 * DAY;
    c.lead_mean_s = 60.0 * DAY;
    c.capacity = HUGE_VAL;
    c.ref_purchase = 30000.0;
    return c;
}

/* Runs `paths` paths of `steps` steps and stores log P at every step. */
static double *log_prices(const dcs_market_cfg *c, int paths, int steps, uint64_t seed)
{
    dcs_market_params p;
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert_eq(dcs_market_params_init(&p, c, &err), 0, "%s", err.msg);
    gsl_rng *noise = dcs_rng_create(&err), *lead = dcs_rng_create(&err);
    cr_assert(noise != NULL && lead != NULL);
    double *lp = malloc((size_t)paths * (size_t)(steps + 1) * sizeof *lp);
    cr_assert_not_null(lp);
    dcs_market_state m;
    memset(&m, 0, sizeof m);
    for (int i = 0; i < paths; i++) {
        dcs_rng_key(noise, seed, (uint64_t)i, DCS_STREAM_MARKET);
        dcs_rng_key(lead, seed, (uint64_t)i, DCS_STREAM_MARKET_LEAD);
        cr_assert_eq(dcs_market_start(&m, &p, noise, &err), 0);
        lp[(size_t)i * (size_t)(steps + 1)] = log(m.now.price);
        for (int k = 1; k <= steps; k++) {
            dcs_market_step(&m, noise, lead, NULL);
            lp[(size_t)i * (size_t)(steps + 1) + (size_t)k] = log(m.now.price);
        }
    }
    dcs_market_free(&m);
    gsl_rng_free(noise);
    gsl_rng_free(lead);
    return lp;
}

/* With no supply response (no manufacturing capacity: supply stays at its
 * start), log P = log P_ref + (g t + X_t) / e, X stationary OU with sd s
 * and time scale tau. So at step k: mean log P_ref + g t / e, variance
 * s^2 / e^2, and the correlation of log P at steps j and k is
 * exp(-|k - j| h / tau): the exact transition of the process. */
Test(market, log_price_without_supply_response_follows_the_ou_law)
{
    dcs_market_cfg c = base_market();
    c.capacity = 0.0;
    c.demand_growth = 0.4;
    c.demand_sd = 0.3;
    enum { PATHS = 20000, STEPS = 40 };
    double *lp = log_prices(&c, PATHS, STEPS, 2385);
    const int ks[] = {0, 10, 40};
    double sd_lp = c.demand_sd / c.elasticity;
    for (size_t t = 0; t < sizeof ks / sizeof ks[0]; t++) {
        int k = ks[t];
        double m = 0.0, q = 0.0;
        for (int i = 0; i < PATHS; i++) {
            double v = lp[(size_t)i * (STEPS + 1) + (size_t)k];
            m += v;
            q += v * v;
        }
        m /= PATHS;
        double var = q / PATHS - m * m;
        double want_m = log(c.ref_price) + log1p(c.demand_growth) * k * DAY / YEAR / c.elasticity;
        /* SE of the mean: sd / sqrt(n); of the variance: var sqrt(2 / n). */
        cr_assert_lt(fabs(m - want_m), 4.0 * sd_lp / sqrt(PATHS), "step %d: mean %.6f, want %.6f",
                     k, m, want_m);
        cr_assert_lt(fabs(var - sd_lp * sd_lp), 4.0 * sd_lp * sd_lp * sqrt(2.0 / PATHS),
                     "step %d: var %.6f, want %.6f", k, var, sd_lp * sd_lp);
    }
    /* Correlations between step 0 and steps 5 and 30: SE (1 - rho^2) / sqrt(n). */
    const int lags[] = {5, 30};
    for (size_t t = 0; t < 2; t++) {
        int k = lags[t];
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (int i = 0; i < PATHS; i++) {
            double x = lp[(size_t)i * (STEPS + 1)], y = lp[(size_t)i * (STEPS + 1) + (size_t)k];
            sx += x;
            sy += y;
            sxx += x * x;
            syy += y * y;
            sxy += x * y;
        }
        double n = PATHS;
        double rho = (sxy / n - sx * sy / n / n) /
                     sqrt((sxx / n - sx * sx / n / n) * (syy / n - sy * sy / n / n));
        double want = exp(-k * DAY / c.demand_tau_s);
        cr_assert_lt(fabs(rho - want), 4.0 * (1.0 - want * want) / sqrt(n),
                     "lag %d: correlation %.4f, want %.4f", k, rho, want);
    }
    free(lp);
}

/* No noise, no shocks, a balanced start and supply ordered to match demand
 * growth (fixed lead time, no capacity limit): the price stays at the
 * reference price, to rounding, for two years, however strongly supply
 * responds to the price. */
Test(market, with_supply_matching_demand_growth_the_price_stays_flat)
{
    dcs_market_cfg c = base_market();
    c.demand_growth = 0.8;
    c.response = 1.5;
    double *lp = log_prices(&c, 1, 730, 1);
    for (int k = 0; k <= 730; k++)
        cr_assert(epsilon_eq(dbl, lp[k], log(c.ref_price), 1e-9), "day %d: price %.12g", k,
                  exp(lp[k]));
    free(lp);
}

/* A shock on `target` from day 100, ramping over 10 days, for 300 days;
 * noise-free, supply responding to the price after a 60-day lead time.
 * Returns the price path, one value a day. */
static double *shocked(dcs_shock_target target, double factor)
{
    dcs_market_cfg c = base_market();
    c.demand_growth = 0.5;
    c.response = 1.0;
    c.nshocks = 1;
    c.shocks[0] = (dcs_shock_cfg){target, factor, 100.0 * DAY, 10.0 * DAY, 300.0 * DAY, 1u};
    double *lp = log_prices(&c, 1, 700, 1);
    for (int k = 0; k <= 700; k++)
        lp[k] = exp(lp[k]);
    return lp;
}

static double max_of(const double *p, int from, int to)
{
    double m = p[from];
    for (int k = from; k <= to; k++)
        m = fmax(m, p[k]);
    return m;
}

/* A demand surge raises the price at once; new orders land a lead time
 * later and the price falls back towards the reference while the shock
 * still holds; the same for a supply cut (an export ban). */
static void check_shock(dcs_shock_target target, double factor)
{
    double *p = shocked(target, factor);
    double ref = 2.385;
    cr_assert(epsilon_eq(dbl, p[99], ref, 1e-9), "flat before the shock: %.6f", p[99]);
    double peak = max_of(p, 100, 170);
    cr_assert_gt(peak, 1.3 * ref, "the shock raises the price: peak %.3f", peak);
    /* 60 days of lead time after the ramp, plus 60 for the orders placed
     * at the peak to land: well within the 300 days of the shock. */
    double later = max_of(p, 230, 400);
    cr_assert_lt(later - ref, 0.25 * (peak - ref),
                 "the effect decays once supply arrives: %.3f then %.3f", peak, later);
    free(p);
}

Test(market, a_demand_shock_raises_the_price_until_supply_arrives)
{
    check_shock(DCS_SHOCK_DEMAND, 1.5);
}

Test(market, a_supply_shock_raises_the_price_until_supply_arrives)
{
    check_shock(DCS_SHOCK_SUPPLY, 0.65);
}

/* A manufacturing outage cuts what can be ordered: in a market growing at
 * 100 % a year whose capacity (1.5 x the initial supply a year) keeps up,
 * cutting it to 30 % for 200 days leaves supply short and raises the
 * price, against the same market without the outage. */
Test(market, a_manufacturing_outage_raises_the_price)
{
    dcs_market_cfg c = base_market();
    c.demand_growth = 1.0;
    c.capacity = 1.5;
    double *calm = log_prices(&c, 1, 400, 1);
    c.nshocks = 1;
    c.shocks[0] = (dcs_shock_cfg){DCS_SHOCK_MANUFACTURING, 0.3, 50.0 * DAY, 0.0, 200.0 * DAY, 1u};
    double *hit = log_prices(&c, 1, 400, 1);
    cr_assert(epsilon_eq(dbl, exp(calm[250]), c.ref_price, 1e-6), "the calm market keeps up");
    cr_assert_eq(hit[40], calm[40], "identical before the outage");
    cr_assert_gt(exp(hit[250]), 1.2 * exp(calm[250]), "price %.3f", exp(hit[250]));
    free(calm);
    free(hit);
}

/* A run on `nodes` nodes for `compute_h` of failure-free compute, in a
 * noisy market. */
static dcs_scenario market_run(int64_t nodes, double compute_h)
{
    dcs_scenario sc = scen_basic(nodes, 8, compute_h * HOUR);
    sc.market = base_market();
    sc.market.demand_sd = 0.4;
    sc.market.demand_growth = 0.3;
    sc.market.response = 0.5;
    sc.market.lead_sd_s = 15.0 * DAY;
    return sc;
}

/* Reserved: the price is the market's at signing less the discount, for
 * the whole term, whatever the market does afterwards; a run shorter than
 * the term pays the rest of it too (idle reserved hours still cost). */
Test(market, the_reserved_price_never_moves_after_signing)
{
    dcs_scenario sc = market_run(4, 500.0);
    sc.procurement.mode = DCS_BUY_RESERVED;
    sc.procurement.discount = 0.35;
    sc.procurement.term_s = YEAR;
    dcs_run_result *r = reps_run(&sc, 31, 30);
    double prices = 0.0, first = r[0].price_start_usd;
    for (int i = 0; i < 30; i++) {
        double want = 32.0 * (1.0 - 0.35) * r[i].price_start_usd * YEAR / HOUR;
        cr_assert(epsilon_eq(dbl, r[i].ledger.compute, want, 1e-12 * want), "rep %d", i);
        cr_assert_eq(r[i].ledger.reserved, r[i].ledger.compute);
        cr_assert_eq(r[i].cost_hourly_usd, 0.0);
        prices += fabs(r[i].price_start_usd - first);
    }
    cr_assert_gt(prices, 0.0, "the market must move between replications for this to mean much");
    free(r);
}

/* Beyond the term, the reserved accelerators are billed by the hour at the
 * market price: a mixed run with a one-week term pays hourly after it. */
Test(market, after_the_term_reserved_accelerators_pay_the_market_price)
{
    dcs_scenario sc = market_run(4, 500.0);
    sc.procurement.mode = DCS_BUY_MIXED;
    sc.procurement.reserved_accels = 16;
    sc.procurement.discount = 0.3;
    sc.procurement.term_s = 7.0 * DAY;
    dcs_run_result *r = reps_run(&sc, 8, 10);
    for (int i = 0; i < 10; i++) {
        double prepaid = 16.0 * 0.7 * r[i].price_start_usd * 7.0 * 24.0;
        cr_assert(epsilon_eq(dbl, r[i].ledger.reserved, prepaid, 1e-12 * prepaid));
        /* Hourly: 16 accelerators from the start, 16 more after a week,
         * at prices near the reference: between the two bounds. */
        double h = r[i].makespan_s / HOUR;
        cr_assert_gt(r[i].cost_hourly_usd, 16.0 * h * 0.1);
        cr_assert_lt(r[i].cost_hourly_usd, 32.0 * h * 50.0);
        cr_assert(epsilon_eq(dbl, r[i].ledger.compute, r[i].cost_hourly_usd + prepaid,
                             1e-12 * r[i].ledger.compute));
    }
    free(r);
}

/* Owned: purchase x (1 - residual) x the used share of the lifetime, plus
 * hosting for the hours held, exactly. */
Test(market, owned_cost_is_amortized_purchase_plus_hosting)
{
    dcs_scenario sc = scen_basic(4, 8, 300.0 * HOUR);
    sc.cluster.spare_nodes = 1;
    sc.cluster.accel.purchase_usd = 31905.0;
    sc.procurement.mode = DCS_BUY_OWNED;
    sc.procurement.lifetime_s = 5.0 * YEAR;
    sc.procurement.residual = 0.15;
    sc.procurement.hosting_usd_per_h = 0.42;
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 10.0 * HOUR;
    sc.checkpoint.write_overhead_s = 120.0;
    scen_add_failure(&sc, "software", DCS_SCOPE_JOB, DCS_DIST_EXPONENTIAL, 50.0 * HOUR, 0.0);
    dcs_run_result *r = reps_run(&sc, 5, 20);
    for (int i = 0; i < 20; i++) {
        double n = 40.0, held = r[i].makespan_s;
        double used = fmin(1.0, held / (5.0 * YEAR));
        double want = n * 31905.0 * (1.0 - 0.15) * used + n * 0.42 * held / HOUR;
        cr_assert(epsilon_eq(dbl, r[i].ledger.compute, want, 1e-12 * want),
                  "rep %d: %.10g vs %.10g", i, r[i].ledger.compute, want);
        cr_assert_eq(r[i].cost_hourly_usd, 0.0);
    }
    free(r);
}

/* Components add up to the total, exactly, in every replication of a run
 * that has all of them. */
Test(market, ledger_components_add_up_to_the_total)
{
    dcs_scenario sc = market_run(4, 200.0);
    sc.procurement.mode = DCS_BUY_MIXED;
    sc.procurement.reserved_accels = 8;
    sc.procurement.discount = 0.3;
    sc.procurement.term_s = 4.0 * DAY;
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 5.0 * HOUR;
    sc.checkpoint.size_bytes = 2e12;
    sc.checkpoint.write_bps = 1e10;
    sc.checkpoint.retain = 3;
    scen_add_failure(&sc, "software", DCS_SCOPE_JOB, DCS_DIST_EXPONENTIAL, 30.0 * HOUR, 0.0);
    sc.costs = (dcs_costs_cfg){.storage_usd_per_tb_month = 23.0,
                               .data_usd = 1.5e5,
                               .labels = 2e4,
                               .usd_per_label = 0.85,
                               .label_sd = 0.3,
                               .data_bytes = 40e12,
                               .team = 6.0,
                               .usd_per_person_year = 3.1e5,
                               .research_usd = 2e5,
                               .processed_bytes = 3e15,
                               .processing_usd_per_tb = 5.68,
                               .licence_seats = 6.0,
                               .usd_per_seat_year = 600.0,
                               .licence_usd_per_accel_h = 1.0,
                               .other_usd = 1.2e4};
    dcs_run_result *r = reps_run(&sc, 12, 40);
    double labels = 0.0, q = 0.0;
    for (int i = 0; i < 40; i++) {
        const dcs_ledger *l = &r[i].ledger;
        double lines[DCS_LEDGER_NLINES], sum = 0.0;
        dcs_ledger_lines(l, lines);
        for (int k = 0; k < DCS_LEDGER_NLINES; k++)
            sum += lines[k];
        cr_assert_eq(sum, l->total, "rep %d", i);
        cr_assert_gt(l->storage, 0.0);
        cr_assert_gt(l->staff, 2e5);
        cr_assert(epsilon_eq(dbl, l->processing, 3e3 * 5.68, 1e-12 * 3e3 * 5.68));
        cr_assert_gt(l->licences, 0.0);
        labels += r[i].label_factor;
        q += r[i].label_factor * r[i].label_factor;
    }
    /* The price per label is lognormal with mean 1 and relative sd 0.3:
     * 4 SE of the mean of 40 draws = 4 x 0.3 / sqrt(40). */
    cr_assert_lt(fabs(labels / 40.0 - 1.0), 4.0 * 0.3 / sqrt(40.0));
    free(r);
}

/* In a short market (supply / demand = 0.6 at the start) an on-demand job
 * waits for its capacity: exponential with mean acquisition_time x q /
 * (1 - q), q = 1 - S / D. Over 400 replications the mean wait is within 4
 * SE (the sd of an exponential is its mean) of that, the wait is not held
 * (no accelerator-hours, no cost), and reserved capacity never waits. */
Test(market, an_on_demand_job_waits_for_capacity_in_a_short_market)
{
    dcs_scenario sc = market_run(2, 100.0);
    sc.market.demand_sd = 0.0;
    sc.market.balance = 0.6;
    sc.market.acquisition_s = 10.0 * DAY;
    dcs_run_result *r = reps_run(&sc, 77, 400);
    double mean = 0.0;
    for (int i = 0; i < 400; i++)
        mean += r[i].acquisition_wait_s / 400.0;
    double want = 10.0 * DAY * 0.4 / 0.6;
    cr_assert_lt(fabs(mean - want), 4.0 * want / sqrt(400.0), "mean wait %.3f d, want %.3f d",
                 mean / DAY, want / DAY);
    for (int i = 0; i < 400; i++) {
        double sum = 0.0;
        for (int k = 0; k < DCS_ACC_NCAT; k++)
            sum += r[i].cat_s[k];
        cr_assert(
            epsilon_eq(dbl, sum, r[i].makespan_s - r[i].acquisition_wait_s, 1e-9 * r[i].makespan_s),
            "the time categories cover the held time only");
    }
    free(r);
    sc.procurement.mode = DCS_BUY_RESERVED;
    sc.procurement.term_s = YEAR;
    r = reps_run(&sc, 77, 20);
    for (int i = 0; i < 20; i++)
        cr_assert_eq(r[i].acquisition_wait_s, 0.0);
    free(r);
}

/* A market that stays short by q = 0.5 (no noise, no growth, no
 * manufacturing): the wait for the job's capacity is exponential with mean
 * acquisition_time x q / (1 - q) = 40 d, so with simulation.max_time 60 d a
 * share exp(-60 / 40) = 0.223 of the replications never acquires. Over 400
 * replications that share is within 4 binomial SE (sqrt(p (1 - p) / 400) =
 * 0.021) of it; each such replication is flagged (acquired 0, not
 * completed, its wait is the whole max_time), and its /summary cost columns
 * are NaN, so that the cost statistics hold the others only; the others
 * have finite costs. */
Test(market, replications_that_never_acquire_are_flagged_and_left_out_of_the_costs)
{
    dcs_scenario sc = market_run(2, 100.0);
    sc.market.demand_sd = 0.0;
    sc.market.demand_growth = 0.0;
    sc.market.capacity = 0.0;
    sc.market.balance = 0.5;
    sc.market.acquisition_s = 40.0 * DAY;
    sc.sim.max_time_s = 60.0 * DAY;
    enum { N = 400 };
    dcs_run_result *r = reps_run(&sc, 5, N);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_world *w = dcs_world_create(&sc, &err);
    cr_assert_not_null(w, "%s", err.msg);
    size_t ncols = dcs_world_ncols(w);
    const dcs_column *cols = dcs_world_cols(w);
    dcs_cell *cells = calloc(ncols, sizeof *cells);
    cr_assert_not_null(cells);
    size_t c_acq = ncols, c_cost = ncols;
    for (size_t k = 0; k < ncols; k++) {
        if (strcmp(cols[k].name, "acquired") == 0)
            c_acq = k;
        if (strcmp(cols[k].name, "cost_usd") == 0)
            c_cost = k;
    }
    cr_assert(c_acq < ncols && c_cost < ncols);
    int never = 0;
    double costs[N];
    for (int i = 0; i < N; i++) {
        dcs_world_row(w, 0, i, &r[i], cells);
        cr_assert_eq(cells[c_acq].i, r[i].acquired);
        costs[i] = cells[c_cost].f;
        if (r[i].acquired) {
            cr_assert_lt(r[i].acquisition_wait_s, sc.sim.max_time_s);
            cr_assert(isfinite(cells[c_cost].f), "rep %d", i);
            continue;
        }
        never++;
        cr_assert_eq(r[i].completed, 0);
        cr_assert_eq(r[i].acquisition_wait_s, sc.sim.max_time_s);
        for (size_t k = 0; k < ncols; k++)
            if (strncmp(cols[k].name, "cost_", 5) == 0 ||
                strncmp(cols[k].name, "compute_", 8) == 0 ||
                strcmp(cols[k].name, "accelerator_price_paid_usd_per_hour") == 0)
                cr_assert(isnan(cells[k].f), "rep %d: %s", i, cols[k].name);
    }
    double p = exp(-60.0 / 40.0), share = (double)never / N;
    cr_assert_lt(fabs(share - p), 4.0 * sqrt(p * (1.0 - p) / N), "share %.3f, want %.3f", share, p);
    dcs_stat_row st;
    cr_assert_eq(dcs_stats_summarize(costs, N, NAN, &st, &err), 0);
    cr_assert_eq(st.n, (int64_t)(N - never), "the cost statistics hold the acquired only");
    free(cells);
    dcs_world_destroy(w);
    free(r);
}

/* A node that fails with no spare free waits for a replacement from the
 * short market (q = 0.4 for ever): exponential with mean
 * replacement_time x q / (1 - q) = 2 d x 2 / 3, on top of its fixed 1 d
 * repair. One node, no spare, no detection or restart time: each
 * interruption's downtime is the repair plus that wait. Over the
 * replications' interruptions (about 700) the mean extra wait is within 4
 * SE (the sd of an exponential is its mean) of it. With replacement_time 0
 * and a long acquisition_time, the job waits at the start and its
 * replacements do not: the two parameters are separate. */
Test(market, a_replacement_node_waits_replacement_time_not_the_clusters)
{
    dcs_scenario sc = scen_basic(1, 8, 2000.0 * HOUR);
    sc.market = base_market();
    sc.market.capacity = 0.0;
    sc.market.balance = 0.6;
    sc.market.replace_s = 2.0 * DAY;
    dcs_failure_cfg *f =
        scen_add_failure(&sc, "host", DCS_SCOPE_NODE, DCS_DIST_EXPONENTIAL, 200.0 * HOUR, 0.0);
    f->repair.mean_s = DAY;
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 10.0 * HOUR;
    sc.checkpoint.write_overhead_s = 60.0;
    enum { N = 70 };
    dcs_run_result *r = reps_run(&sc, 9, N);
    double extra = 0.0;
    uint64_t n = 0;
    for (int i = 0; i < N; i++) {
        cr_assert_eq(r[i].completed, 1);
        cr_assert_eq(r[i].acquisition_wait_s, 0.0, "acquisition_time 0: no wait at the start");
        extra += r[i].downtime_s[0] - (double)r[i].n_interruptions * DAY;
        n += r[i].n_interruptions;
    }
    cr_assert_gt(n, 400u);
    double want = 2.0 * DAY * 0.4 / 0.6, mean = extra / (double)n;
    cr_assert_lt(fabs(mean - want), 4.0 * want / sqrt((double)n), "mean wait %.3f d, want %.3f d",
                 mean / DAY, want / DAY);
    free(r);
    sc.market.replace_s = 0.0;
    sc.market.acquisition_s = 30.0 * DAY;
    r = reps_run(&sc, 9, N);
    double waited = 0.0;
    for (int i = 0; i < N; i++) {
        cr_assert_eq(r[i].completed, 1);
        cr_assert(epsilon_eq(dbl, r[i].downtime_s[0], (double)r[i].n_interruptions * DAY,
                             1e-9 * r[i].makespan_s),
                  "rep %d: replacements do not wait", i);
        waited += r[i].acquisition_wait_s;
    }
    cr_assert_gt(waited, 0.0, "the job waits at the start");
    free(r);
}
