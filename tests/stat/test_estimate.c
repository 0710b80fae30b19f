/*
 * test_estimate.c - the closed-form estimate of `dcsim validate --estimate`
 * (models/estimate.c) against its own formulas and against the simulation.
 *
 * Where Daly's model is exact (a job-scope class of exponential failures,
 * no detection time, a fixed interval that divides the job, the last
 * segment checkpointed), the estimate is Daly's expected time to the last
 * bit, its ledger is the price at those hours, and the simulated mean lies
 * within 3 standard errors of it. On the default scenario, which the model
 * only approximates (hardware classes, spares, repairs), the estimate is
 * within 3 % of the simulated mean makespan and cost.
 */
#include "checkpoint.h"
#include "estimate.h"
#include "load.h"
#include "reps.h"
#include "scen.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>

TestSuite(estimate, .timeout = 900);

#define HOUR 3600.0

/* Daly's validation case (domain reference 2.2): Ts = 500 h, delta = 5 min,
 * R = 10 min, M = 6 h, tau = 500 h / 529 segments (56.71 min, Daly's
 * optimum rounded to a whole number of segments). */
Test(estimate, equals_dalys_closed_form_where_it_is_exact_and_the_simulation_agrees)
{
    const double ts = 500.0 * HOUR, m = 6.0 * HOUR, delta = 300.0, r = 600.0;
    const double tau = ts / round(ts / dcs_ckpt_daly(delta, m));
    dcs_scenario sc = scen_basic(1, 1, ts);
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = tau;
    sc.checkpoint.write_overhead_s = delta;
    sc.checkpoint.final = true;
    sc.restart.overhead_s = r;
    scen_add_failure(&sc, "interrupt", DCS_SCOPE_JOB, DCS_DIST_EXPONENTIAL, m, 0.0);

    dcs_estimate e;
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert_eq(dcs_estimate_make(&sc, &e, &err), 0, "%s", err.msg);
    double want = dcs_ckpt_daly_walltime(ts, tau, delta, r, m);
    cr_assert(epsilon_eq(dbl, e.makespan_s, want, 1e-12 * want));
    cr_assert_eq(e.ts_s, ts);
    cr_assert_eq(e.mtti_s, m);
    /* The ledger at those hours: one accelerator on demand at the fixed
     * price (1e-12: products of the same doubles). */
    double compute = sc.cluster.price_usd_per_accel_h * e.makespan_s / HOUR;
    cr_assert(epsilon_eq(dbl, e.ledger.compute, compute, 1e-12 * compute));
    double lines[DCS_LEDGER_NLINES], sum = 0.0;
    dcs_ledger_lines(&e.ledger, lines);
    for (int k = 0; k < DCS_LEDGER_NLINES; k++)
        sum += lines[k];
    cr_assert_eq(sum, e.ledger.total);

    /* The simulation: the mean of 2,000 replications (seed 20 fixed in
     * advance) within 3 SE of the estimate (a false failure has probability
     * 0.27 %). */
    const size_t n = 2000;
    dcs_run_result *res = reps_run(&sc, 20, n);
    double mean, se;
    reps_makespan(res, n, &mean, &se);
    cr_log_info("estimate %.3f h, simulated %.3f +- %.3f h", e.makespan_s / HOUR, mean / HOUR,
                se / HOUR);
    cr_assert_lt(fabs(mean - e.makespan_s), 3.0 * se);
    free(res);
}

/* The default scenario: hardware classes with spares and repairs, which the
 * closed form leaves out (it assumes a spare is always free). The bound, 3 %
 * of the simulated means, is the approximation's own error, not Monte Carlo
 * noise: 40 replications give the mean makespan to about 0.05 % (SE). */
Test(estimate, is_within_three_percent_of_the_default_scenarios_simulation)
{
    char path[512];
    snprintf(path, sizeof path, "%s/scenarios/lib/llama3-405b.yaml", DCSIM_SOURCE_DIR);
    dcs_scenario *sc = malloc(sizeof *sc);
    cr_assert_not_null(sc);
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert_eq(dcs_scenario_load(path, NULL, 0, sc, NULL, &err), 0, "%s", err.msg);
    dcs_estimate e;
    cr_assert_eq(dcs_estimate_make(sc, &e, &err), 0, "%s", err.msg);
    const size_t n = 40;
    dcs_run_result *r = reps_run(sc, sc->sim.seed, n);
    double mk = 0.0, cost = 0.0;
    for (size_t i = 0; i < n; i++) {
        mk += r[i].makespan_s / (double)n;
        cost += r[i].ledger.total / (double)n;
    }
    cr_log_info("llama3-405b: estimate %.2f d, $%.4gM; simulated %.2f d, $%.4gM",
                e.makespan_s / 86400.0, e.ledger.total / 1e6, mk / 86400.0, cost / 1e6);
    cr_assert_lt(fabs(e.makespan_s / mk - 1.0), 0.03);
    cr_assert_lt(fabs(e.ledger.total / cost - 1.0), 0.03);
    free(r);
    free(sc);
}

/* A range from a low and a high scenario: ordered by cost, each the
 * estimate of its own scenario. */
Test(estimate, a_range_orders_a_low_and_a_high_scenario)
{
    dcs_scenario lo = scen_basic(2, 4, 100.0 * HOUR), hi = lo;
    hi.job.mfu = 0.5; /* twice the compute time */
    dcs_estimate a, b, one;
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert_eq(dcs_estimate_range(&hi, &lo, &a, &b, &err), 0);
    cr_assert_lt(a.ledger.total, b.ledger.total);
    cr_assert_eq(dcs_estimate_make(&lo, &one, &err), 0);
    cr_assert_eq(a.makespan_s, one.makespan_s);
    cr_assert(epsilon_eq(dbl, b.makespan_s, 2.0 * a.makespan_s, 1e-12 * b.makespan_s));
}
