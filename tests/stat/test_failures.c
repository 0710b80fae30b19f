/*
 * test_failures.c - statistical validation of the failure and repair model
 * against what it must reproduce by construction of the published rates.
 *
 * Each test runs a fixed seed and enough replications that the tolerance,
 * stated next to it, is a few Monte Carlo standard errors; with the seed
 * fixed the tests are deterministic, and the tolerances were chosen before
 * the seeds (a false failure would have had probability < 0.3% per check).
 */
#include "reps.h"
#include "scen.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sort.h>
#include <math.h>

TestSuite(failures, .timeout = 900);

#define HOUR 3600.0
#define DAY  86400.0

/* Llama 3's root-cause counts over the 54-day window (shared refs 1.1),
 * grouped as the shipped scenario groups them. */
static const struct {
    const char *name;
    dcs_scope scope;
    double count;
} llama[] = {
    {"gpu", DCS_SCOPE_ACCELERATOR, 148 + 19 + 17 + 6 + 6},
    {"hbm", DCS_SCOPE_HBM, 72},
    {"host", DCS_SCOPE_NODE, 53},
    {"network", DCS_SCOPE_SWITCH, 35},
    {"software", DCS_SCOPE_JOB, 63},
};
#define NLLAMA 5

/* With the Llama 3 scenario's rates on 16,384 accelerators over 54 days,
 * the mean number of unexpected interruptions matches rate x exposure (419)
 * within 3 standard errors, and each class's share of all failures matches
 * its configured share within 3 binomial standard errors. Detection, swap
 * and restart take no time, so every unit is exposed for the whole window;
 * the job is longer than the window and cut at max_time = 54 d. */
Test(failures, llama3_interruptions_match_rate_times_exposure)
{
    const double window = 54.0 * DAY;
    dcs_scenario sc = scen_basic(2048, 8, 10.0 * window);
    sc.cluster.spare_nodes = 1000;
    sc.cluster.nodes_per_switch = 16;
    sc.sim.max_time_s = window;
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = HOUR;
    sc.checkpoint.write_overhead_s = 30.0;
    double total = 0.0;
    for (int k = 0; k < NLLAMA; k++) {
        double units = llama[k].scope == DCS_SCOPE_ACCELERATOR || llama[k].scope == DCS_SCOPE_HBM
                           ? 16384.0
                       : llama[k].scope == DCS_SCOPE_NODE   ? 2048.0
                       : llama[k].scope == DCS_SCOPE_SWITCH ? 128.0
                                                            : 1.0;
        dcs_failure_cfg *f =
            scen_add_failure(&sc, llama[k].name, llama[k].scope, DCS_DIST_EXPONENTIAL,
                             units * window / llama[k].count, 0.0);
        f->repair = (dcs_dist){DCS_DIST_FIXED, 0.0, 0.0};
        total += llama[k].count;
    }
    const size_t n = 200;
    dcs_run_result *r = reps_run(&sc, 4242, n);
    double sum = 0.0, sumsq = 0.0, per[NLLAMA] = {0};
    for (size_t i = 0; i < n; i++) {
        double x = (double)r[i].n_interruptions;
        sum += x;
        sumsq += x * x;
        for (int k = 0; k < NLLAMA; k++)
            per[k] += (double)r[i].n_fail[k];
    }
    double mean = sum / (double)n;
    double se = sqrt((sumsq / (double)n - mean * mean) / (double)(n - 1));
    cr_log_info("interruptions in 54 d: %.2f +- %.2f (published 419)", mean, se);
    cr_assert_lt(fabs(mean - total), 3.0 * se, "mean %.2f, expected %.0f, SE %.2f", mean, total,
                 se);
    double all = 0.0;
    for (int k = 0; k < NLLAMA; k++)
        all += per[k];
    for (int k = 0; k < NLLAMA; k++) {
        double p = llama[k].count / total;
        double share = per[k] / all;
        double sep = sqrt(p * (1.0 - p) / all);
        cr_assert_lt(fabs(share - p), 3.0 * sep, "%s: share %.4f, configured %.4f (SE %.4f)",
                     llama[k].name, share, p, sep);
    }
    free(r);
}

/* Time to the first job failure for N nodes with a per-node rate r is
 * exponential with mean 1 / (N r): the sample mean is within 3 SE of it
 * (SE = mean / sqrt(n) for an exponential), and the fraction surviving past
 * the mean is within 3 binomial SE of e^-1, for N up to 16,384 nodes. */
Test(failures, time_to_first_failure_is_exponential_with_mean_1_over_n_r)
{
    const double per_node_mtbf = 1000.0 * DAY / 6.5; /* RSC-1: 6.5 per 1,000 node-days [KOK] */
    const int64_t ns[4] = {1, 64, 2048, 16384};
    const size_t reps[4] = {4000, 4000, 2000, 1000};
    for (int t = 0; t < 4; t++) {
        double want = per_node_mtbf / (double)ns[t];
        dcs_scenario sc = scen_basic(ns[t], 1, 50.0 * want);
        sc.cluster.spare_nodes = 1;
        sc.sim.max_time_s = 40.0 * want;
        sc.checkpoint.policy = DCS_CKPT_NONE;
        dcs_failure_cfg *f =
            scen_add_failure(&sc, "node", DCS_SCOPE_NODE, DCS_DIST_EXPONENTIAL, per_node_mtbf, 0.0);
        f->repair = (dcs_dist){DCS_DIST_FIXED, 0.0, 0.0};
        size_t n = reps[t];
        dcs_run_result *r = reps_run(&sc, 77 + (uint64_t)t, n);
        double sum = 0.0, surv = 0.0;
        for (size_t i = 0; i < n; i++) {
            cr_assert(isfinite(r[i].first_interrupt_s), "N = %lld: no failure in rep %zu",
                      (long long)ns[t], i);
            sum += r[i].first_interrupt_s;
            surv += r[i].first_interrupt_s > want;
        }
        double mean = sum / (double)n;
        double se = want / sqrt((double)n);
        double p = surv / (double)n, e1 = exp(-1.0);
        double sep = sqrt(e1 * (1.0 - e1) / (double)n);
        cr_log_info("N = %5lld: mean %.5g h (1/(N r) = %.5g h), S(mean) = %.4f", (long long)ns[t],
                    mean / HOUR, want / HOUR, p);
        cr_assert_lt(fabs(mean - want), 3.0 * se, "N = %lld", (long long)ns[t]);
        cr_assert_lt(fabs(p - e1), 3.0 * sep, "N = %lld: S(mean) = %.4f", (long long)ns[t], p);
        free(r);
    }
}

/* Kolmogorov-Smirnov statistic of a sample against a CDF. */
static double ks_stat(double *x, size_t n, double (*cdf)(double, const void *), const void *arg)
{
    gsl_sort(x, 1, n);
    double d = 0.0;
    for (size_t i = 0; i < n; i++) {
        double f = cdf(x[i], arg);
        double lo = f - (double)i / (double)n, hi = (double)(i + 1) / (double)n - f;
        d = fmax(d, fmax(lo, hi));
    }
    return d;
}

typedef struct weib {
    double scale, shape, units;
} weib;

/* CDF of the first of `units` independent Weibull lifetimes. */
static double min_weibull_cdf(double x, const void *arg)
{
    const weib *w = arg;
    return 1.0 - pow(gsl_cdf_weibull_Q(x, w->scale, w->shape), w->units);
}

/* Weibull lifetimes: the simulated time to the first failure of one unit,
 * and of the first among 8, follow the Weibull law the scenario gives
 * (shape 0.7, mean 1,000 h). Kolmogorov-Smirnov at the 0.1% level: the
 * statistic D must stay below 1.949 / sqrt(n) (asymptotic critical value). */
Test(failures, weibull_lifetimes_pass_a_kolmogorov_smirnov_test)
{
    const double mean = 1000.0 * HOUR, k = 0.7;
    const int64_t units[2] = {1, 8};
    for (int t = 0; t < 2; t++) {
        dcs_scenario sc = scen_basic(units[t], 1, 1e6 * HOUR);
        sc.cluster.spare_nodes = 1;
        sc.sim.max_time_s = 1e5 * HOUR;
        sc.checkpoint.policy = DCS_CKPT_NONE;
        dcs_failure_cfg *f =
            scen_add_failure(&sc, "node", DCS_SCOPE_NODE, DCS_DIST_WEIBULL, mean, k);
        f->repair = (dcs_dist){DCS_DIST_FIXED, 0.0, 0.0};
        const size_t n = 3000;
        dcs_run_result *r = reps_run(&sc, 9 + (uint64_t)t, n);
        double *x = malloc(n * sizeof *x);
        for (size_t i = 0; i < n; i++)
            x[i] = r[i].first_interrupt_s;
        weib w = {mean / gsl_sf_gamma(1.0 + 1.0 / k), k, (double)units[t]};
        double d = ks_stat(x, n, min_weibull_cdf, &w);
        cr_log_info("Weibull k = 0.7, %lld unit(s): KS D = %.4f (critical %.4f)",
                    (long long)units[t], d, 1.949 / sqrt((double)n));
        cr_assert_lt(d, 1.949 / sqrt((double)n));
        /* The test has power: the same sample is far from an exponential. */
        weib e = {mean / (double)units[t], 1.0, 1.0};
        cr_assert_gt(ks_stat(x, n, min_weibull_cdf, &e), 1.949 / sqrt((double)n));
        free(x);
        free(r);
    }
}

/* Spare pool, zero repair time: even with no spare the job never waits. */
Test(failures, zero_repair_time_never_waits)
{
    dcs_scenario sc = scen_basic(32, 8, 30.0 * DAY);
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = HOUR;
    sc.checkpoint.write_overhead_s = 30.0;
    dcs_failure_cfg *f =
        scen_add_failure(&sc, "node", DCS_SCOPE_NODE, DCS_DIST_EXPONENTIAL, 32.0 * 2.0 * DAY, 0.0);
    f->repair = (dcs_dist){DCS_DIST_FIXED, 0.0, 0.0};
    dcs_run_result *r = reps_run(&sc, 31, 200);
    uint64_t failures = 0;
    for (int i = 0; i < 200; i++) {
        cr_assert_eq(r[i].cat_s[DCS_ACC_WAITING], 0.0);
        failures += r[i].n_fail[0];
    }
    cr_assert_gt(failures, 1000);
    free(r);
}

typedef struct lnorm {
    double zeta, sigma;
} lnorm;

static double lognormal_cdf(double x, const void *arg)
{
    const lnorm *l = arg;
    return gsl_cdf_lognormal_P(x, l->zeta, l->sigma);
}

/* Spare pool, no spares and long repairs: on a one-node job nothing else
 * can fail while the node is away, so each failure waits exactly one
 * repair. The waiting time per failure has the repair distribution's mean
 * (within 3 SE, SE = sd / sqrt(failures)), and in replications with a
 * single failure the waiting time passes a KS test against the lognormal
 * repair distribution (0.1% level). */
Test(failures, with_no_spares_waiting_follows_the_repair_distribution)
{
    const double mean = 2.0 * DAY, sigma = 0.8;
    dcs_scenario sc = scen_basic(1, 8, 60.0 * DAY);
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 4.0 * HOUR;
    sc.checkpoint.write_overhead_s = 60.0;
    dcs_failure_cfg *f =
        scen_add_failure(&sc, "node", DCS_SCOPE_NODE, DCS_DIST_EXPONENTIAL, 40.0 * DAY, 0.0);
    f->repair = (dcs_dist){DCS_DIST_LOGNORMAL, mean, sigma};
    const size_t n = 4000;
    dcs_run_result *r = reps_run(&sc, 5150, n);
    double wait = 0.0, nf = 0.0;
    double *single = malloc(n * sizeof *single);
    size_t ns = 0;
    for (size_t i = 0; i < n; i++) {
        wait += r[i].cat_s[DCS_ACC_WAITING];
        nf += (double)r[i].n_fail[0];
        if (r[i].n_fail[0] == 1)
            single[ns++] = r[i].cat_s[DCS_ACC_WAITING];
    }
    double sd = mean * sqrt(expm1(sigma * sigma));
    double per = wait / nf;
    cr_log_info("waiting per failure %.4f d (repair mean %.4f d, SE %.4f d, %g failures)",
                per / DAY, mean / DAY, sd / sqrt(nf) / DAY, nf);
    cr_assert_lt(fabs(per - mean), 3.0 * sd / sqrt(nf));
    lnorm l = {log(mean) - 0.5 * sigma * sigma, sigma};
    cr_assert_gt(ns, 500);
    double d = ks_stat(single, ns, lognormal_cdf, &l);
    cr_assert_lt(d, 1.949 / sqrt((double)ns), "KS D = %.4f over %zu", d, ns);
    free(single);
    free(r);
}

/* A finite repair capacity makes repairs queue: with one technician and
 * many simultaneous failures the queue builds, the job waits longer than
 * with unlimited capacity, and with unlimited capacity nothing queues. */
Test(failures, finite_repair_capacity_queues_repairs)
{
    dcs_scenario sc = scen_basic(64, 8, 20.0 * DAY);
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = HOUR;
    sc.checkpoint.write_overhead_s = 30.0;
    sc.cluster.spare_nodes = 2;
    dcs_failure_cfg *f =
        scen_add_failure(&sc, "node", DCS_SCOPE_NODE, DCS_DIST_EXPONENTIAL, 64.0 * DAY, 0.0);
    f->repair = (dcs_dist){DCS_DIST_EXPONENTIAL, 2.0 * DAY, 0.0};
    dcs_run_result *a = reps_run(&sc, 8, 100);
    sc.cluster.repair_capacity = 1;
    dcs_run_result *b = reps_run(&sc, 8, 100);
    double wa = 0.0, wb = 0.0;
    uint64_t peak = 0;
    for (int i = 0; i < 100; i++) {
        cr_assert_eq(a[i].repair_queue_peak, 0);
        wa += a[i].cat_s[DCS_ACC_WAITING];
        wb += b[i].cat_s[DCS_ACC_WAITING];
        peak = b[i].repair_queue_peak > peak ? b[i].repair_queue_peak : peak;
    }
    cr_assert_gt(peak, 0);
    cr_assert_gt(wb, 1.5 * wa, "one technician: %.1f h waited, unlimited: %.1f h", wb / HOUR,
                 wa / HOUR);
    free(a);
    free(b);
}

/* Planned interruptions at random (failures[i].mtbf with scope maintenance)
 * at Llama 3's published rate, 47 in 54 days (shared refs 1.1), beside a
 * fixed weekly window. The windows are a Poisson process of rate
 * lambda = 1 / mtbf in wall-clock time, so by Wald's identity (optional
 * stopping of N(t) - lambda t at the makespan T) E[N] = lambda E[T], and
 * the windows that strike an active job, the interruptions, satisfy
 * E[N_active] = lambda E[A], with A the time the job is active. With no
 * other failures, checkpoint policy none and no final save, the job is
 * inactive exactly while a window is open (accelerator_hours_maintenance)
 * or it saves for one (the only checkpointing), so A = T - maintenance -
 * checkpointing. Each check is on the per-replication differences
 * N - lambda T and N_active - lambda A, whose mean must be 0: tolerance
 * 4 SE of that mean (n = 400, P(false fail) < 1e-4 per check). */
Test(failures, planned_interruptions_at_random_arrive_at_their_rate)
{
    const double mtbf = 54.0 * DAY / 47.0;
    dcs_scenario sc = scen_basic(64, 8, 30.0 * DAY);
    sc.checkpoint.policy = DCS_CKPT_NONE;
    sc.checkpoint.final = false;
    sc.checkpoint.write_overhead_s = 300.0;
    sc.restart.overhead_s = 600.0;
    dcs_failure_cfg *p =
        scen_add_failure(&sc, "planned", DCS_SCOPE_MAINTENANCE, DCS_DIST_EXPONENTIAL, mtbf, 0.0);
    p->action = DCS_ACTION_PLANNED;
    p->repair = (dcs_dist){DCS_DIST_FIXED, 1.5 * HOUR, 0.0};
    dcs_failure_cfg *w =
        scen_add_failure(&sc, "weekly", DCS_SCOPE_MAINTENANCE, DCS_DIST_FIXED, 7.0 * DAY, 0.0);
    w->action = DCS_ACTION_PLANNED;
    w->first_s = 7.0 * DAY;
    w->repair = (dcs_dist){DCS_DIST_FIXED, 4.0 * HOUR, 0.0};
    const size_t n = 400;
    dcs_run_result *r = reps_run(&sc, 4747, n);
    double s1 = 0.0, q1 = 0.0, s2 = 0.0, q2 = 0.0, windows = 0.0, weekly = 0.0;
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(r[i].completed, 1);
        double t = r[i].makespan_s;
        double active = t - r[i].cat_s[DCS_ACC_MAINTENANCE] - r[i].cat_s[DCS_ACC_CHECKPOINT];
        double d1 = (double)r[i].n_fail[0] - t / mtbf;
        double d2 = (double)r[i].n_interruptions - active / mtbf;
        s1 += d1;
        q1 += d1 * d1;
        s2 += d2;
        q2 += d2 * d2;
        windows += (double)r[i].n_fail[0];
        weekly += (double)r[i].n_fail[1];
        cr_assert_leq(r[i].n_interruptions, r[i].n_fail[0],
                      "only windows at random are interruptions");
    }
    double m1 = s1 / (double)n, m2 = s2 / (double)n;
    double se1 = sqrt((q1 / (double)n - m1 * m1) / (double)(n - 1));
    double se2 = sqrt((q2 / (double)n - m2 * m2) / (double)(n - 1));
    cr_log_info("windows at random per run %.2f, N - lambda T %.3f +- %.3f, "
                "N_active - lambda A %.3f +- %.3f",
                windows / (double)n, m1, se1, m2, se2);
    cr_assert_gt(windows / (double)n, 20.0, "about 26 windows in 30 days");
    cr_assert_gt(weekly, 0.0, "the weekly window must open");
    cr_assert_lt(fabs(m1), 4.0 * se1, "mean %.3f, SE %.3f", m1, se1);
    cr_assert_lt(fabs(m2), 4.0 * se2, "mean %.3f, SE %.3f", m2, se2);
    free(r);
}
