/*
 * test_daly.c - statistical validation against Daly's closed form.
 *
 * Daly (2006) gives the expected wall-clock time of a job that checkpoints
 * every tau of compute, with exponential failures of mean M that can strike
 * during compute, checkpoint and restart:
 *     T = M e^(R/M) (e^((tau + delta)/M) - 1) Ts / tau,
 * exact when Ts / tau is a whole number and the last segment is also
 * checkpointed (checkpoint.final). A job-scope class with zero detection
 * time is exactly that model. Each regime runs n replications with a fixed
 * seed; the simulated mean must be within 3 standard errors of T (a false
 * failure has probability 0.27% per regime before the seed was fixed) and
 * within 0.5% of it.
 */
#include "checkpoint.h"
#include "reps.h"
#include "scen.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>

TestSuite(daly, .timeout = 900);

static const double TS_S = 500.0 * 3600.0; /* Daly's test case: Ts = 500 h */
static const double DELTA_S = 300.0;       /* delta = 5 min */
static const double RESTART_S = 600.0;     /* R = 10 min */

static dcs_scenario daly_scenario(double mtti_s, double tau_s)
{
    dcs_scenario sc = scen_basic(1, 1, TS_S);
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = tau_s;
    sc.checkpoint.write_overhead_s = DELTA_S;
    sc.checkpoint.final = true;
    sc.restart.overhead_s = RESTART_S;
    scen_add_failure(&sc, "interrupt", DCS_SCOPE_JOB, DCS_DIST_EXPONENTIAL, mtti_s, 0.0);
    return sc;
}

/* tau near Daly's optimum such that Ts / tau is a whole number. */
static double whole_tau(double mtti_s)
{
    double segments = round(TS_S / dcs_ckpt_daly(DELTA_S, mtti_s));
    return TS_S / segments;
}

static void check_regime(double mtti_s, size_t n, uint64_t seed)
{
    double tau = whole_tau(mtti_s);
    dcs_scenario sc = daly_scenario(mtti_s, tau);
    dcs_run_result *r = reps_run(&sc, seed, n);
    double mean, se;
    reps_makespan(r, n, &mean, &se);
    double want = dcs_ckpt_daly_walltime(TS_S, tau, DELTA_S, RESTART_S, mtti_s);
    cr_log_info("M = %.4g h, tau = %.3f min: simulated %.3f +- %.3f h, Daly %.3f h (%.2f SE)",
                mtti_s / 3600.0, tau / 60.0, mean / 3600.0, se / 3600.0, want / 3600.0,
                (mean - want) / se);
    cr_assert_lt(fabs(mean - want), 3.0 * se, "M = %g h: |%.4f - %.4f| h >= 3 SE (%.4f h)",
                 mtti_s / 3600.0, mean / 3600.0, want / 3600.0, se / 3600.0);
    cr_assert_lt(fabs(mean - want), 0.005 * want, "M = %g h: more than 0.5%% off", mtti_s / 3600.0);
    free(r);
}

/* M >> tau: failures are rare (about 23 per run). */
Test(daly, mean_makespan_matches_closed_form_when_failures_are_rare)
{
    check_regime(24.0 * 3600.0, 4000, 101);
}

/* M a few tau: the regime of large training runs. */
Test(daly, mean_makespan_matches_closed_form_when_m_is_a_few_tau)
{
    check_regime(6.0 * 3600.0, 2000, 102);
}

/* M < tau + delta: most segments fail at least once (overhead ~400%). */
Test(daly, mean_makespan_matches_closed_form_when_m_is_below_tau)
{
    check_regime(15.0 * 60.0, 1000, 103);
}

/* The interval that minimises the simulated mean makespan lies near
 * Daly's: over tau = Daly x {0.5, 0.71, 1, 1.41, 2}, run with common random
 * numbers, the minimum is at one of the three middle points and both ends
 * are worse than Daly's by more than 3 standard errors of the paired
 * difference. */
Test(daly, simulated_optimum_lies_near_dalys_interval)
{
    const double m = 6.0 * 3600.0;
    const double factors[5] = {0.5, 0.70710678118654752, 1.0, 1.41421356237309505, 2.0};
    const size_t n = 400;
    dcs_run_result *r[5];
    double mean[5], se[5];
    for (int k = 0; k < 5; k++) {
        dcs_scenario sc = daly_scenario(m, dcs_ckpt_daly(DELTA_S, m) * factors[k]);
        r[k] = reps_run(&sc, 7, n);
        reps_makespan(r[k], n, &mean[k], &se[k]);
    }
    int best = 0;
    for (int k = 1; k < 5; k++)
        if (mean[k] < mean[best])
            best = k;
    cr_assert(best >= 1 && best <= 3, "the minimum is at factor %g", factors[best]);
    for (int end = 0; end < 5; end += 4) {
        double d = 0.0, q = 0.0;
        for (size_t i = 0; i < n; i++) {
            double x = r[end][i].makespan_s - r[2][i].makespan_s;
            double dd = x - d;
            d += dd / (double)(i + 1);
            q += dd * (x - d);
        }
        double sed = sqrt(q / (double)(n - 1) / (double)n);
        cr_assert_gt(d, 3.0 * sed, "factor %g is not worse than Daly's: %.3f h (SE %.3f h)",
                     factors[end], d / 3600.0, sed / 3600.0);
    }
    for (int k = 0; k < 5; k++)
        free(r[k]);
}
