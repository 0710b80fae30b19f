/*
 * test_superposed.c - the fast engine's superposed failure clocks (one per
 * exponential class) against the reference engine's per-unit clocks.
 *
 * The two engines draw differently, so they are compared in law, each on
 * its own seed (independent samples): a mean differs by less than
 * Z_TOL = 4 standard errors of the difference, sqrt(se_fast^2 + se_ref^2),
 * from the replications' own spread. Two-sided, a false failure has
 * probability 6.3e-5 per check, < 2e-3 over the ~25 checks here. The
 * Kolmogorov-Smirnov tests are at the 0.1 % level (asymptotic critical
 * values 1.949 sqrt(1/n) and 1.949 sqrt(2/n)). Seeds and tolerances were
 * fixed before the first run.
 */
#include "reps.h"
#include "scen.h"

#include <criterion/criterion.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

TestSuite(superposed, .timeout = 900);

#define HOUR   3600.0
#define Z_TOL  4.0
#define KS_001 1.949

/* A 512-accelerator job where nodes keep going out and coming back (two
 * spares, repairs of 12 h on average): every exponential scope, a slow
 * class, a switch, and waits for repaired nodes change the units in
 * service while the class clocks run. */
static dcs_scenario busy_cluster(dcs_engine_mode engine)
{
    dcs_scenario sc = scen_basic(64, 8, 300.0 * HOUR);
    sc.sim.engine = engine;
    sc.cluster.spare_nodes = 2;
    sc.cluster.nodes_per_switch = 4;
    sc.cluster.swap_s = 600.0;
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = HOUR;
    sc.checkpoint.write_overhead_s = 60.0;
    sc.restart.overhead_s = 300.0;
    const dcs_dist repair = {DCS_DIST_LOGNORMAL, 12.0 * HOUR, 1.0};
    dcs_failure_cfg *f = scen_add_failure(&sc, "gpu", DCS_SCOPE_ACCELERATOR, DCS_DIST_EXPONENTIAL,
                                          512 * 40 * HOUR, 0);
    f->repair = repair;
    f->detect_s = 300.0;
    f = scen_add_failure(&sc, "hbm", DCS_SCOPE_HBM, DCS_DIST_EXPONENTIAL, 512 * 120 * HOUR, 0);
    f->repair = repair;
    f = scen_add_failure(&sc, "host", DCS_SCOPE_NODE, DCS_DIST_EXPONENTIAL, 64 * 60 * HOUR, 0);
    f->repair = repair;
    f = scen_add_failure(&sc, "network", DCS_SCOPE_SWITCH, DCS_DIST_EXPONENTIAL, 16 * 200 * HOUR,
                         0);
    f->repair = repair;
    f = scen_add_failure(&sc, "software", DCS_SCOPE_JOB, DCS_DIST_EXPONENTIAL, 50 * HOUR, 0);
    f->detect_s = 120.0;
    f = scen_add_failure(&sc, "slow", DCS_SCOPE_NODE, DCS_DIST_EXPONENTIAL, 64 * 80 * HOUR, 0);
    f->action = DCS_ACTION_SLOW;
    f->speed = 0.5;
    f->detect_s = 2.0 * HOUR;
    f->repair = repair;
    return sc;
}

/* A shrinking job on 16 nodes with no spares and long repairs: most nodes
 * are out most of the time, so the failing unit is drawn among few (the
 * fast engine's scan of the bitmap, not its rejection). */
static dcs_scenario shrinking(dcs_engine_mode engine)
{
    dcs_scenario sc = scen_basic(16, 2, 100.0 * HOUR);
    sc.sim.engine = engine;
    sc.cluster.on_no_spare = DCS_NO_SPARE_SHRINK;
    sc.cluster.min_nodes = 1;
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 2.0 * HOUR;
    sc.checkpoint.write_overhead_s = 60.0;
    dcs_failure_cfg *f =
        scen_add_failure(&sc, "gpu", DCS_SCOPE_ACCELERATOR, DCS_DIST_EXPONENTIAL, 64.0 * HOUR, 0);
    f->repair = (dcs_dist){DCS_DIST_FIXED, 400.0 * HOUR, 0.0};
    return sc;
}

typedef double metric_fn(const dcs_run_result *r, int k);

static double m_fail(const dcs_run_result *r, int k)
{
    return (double)r->n_fail[k];
}
static double m_first(const dcs_run_result *r, int k)
{
    (void)k;
    return r->first_interrupt_s;
}
static double m_makespan(const dcs_run_result *r, int k)
{
    (void)k;
    return r->makespan_s;
}
static double m_cost(const dcs_run_result *r, int k)
{
    (void)k;
    return r->ledger.total;
}
static double m_interruptions(const dcs_run_result *r, int k)
{
    (void)k;
    return (double)r->n_interruptions;
}
static double m_lost(const dcs_run_result *r, int k)
{
    (void)k;
    return r->cat_s[DCS_ACC_LOST];
}

static void mean_se(const dcs_run_result *r, size_t n, metric_fn *f, int k, double *mean,
                    double *se)
{
    double m = 0.0, q = 0.0;
    for (size_t i = 0; i < n; i++) {
        double x = f(&r[i], k);
        double d = x - m;
        m += d / (double)(i + 1);
        q += d * (x - m);
    }
    *mean = m;
    *se = sqrt(q / (double)(n - 1) / (double)n);
}

/* The means of f agree within Z_TOL standard errors of the difference. */
static void same_mean(const char *what, const dcs_run_result *a, const dcs_run_result *b, size_t n,
                      metric_fn *f, int k)
{
    double ma, sa, mb, sb;
    mean_se(a, n, f, k, &ma, &sa);
    mean_se(b, n, f, k, &mb, &sb);
    double tol = Z_TOL * sqrt(sa * sa + sb * sb);
    cr_log_info("%s: fast %.6g +- %.3g, reference %.6g +- %.3g, |diff| %.3g < %.3g", what, ma, sa,
                mb, sb, fabs(ma - mb), tol);
    cr_expect_lt(fabs(ma - mb), tol, "%s: fast %g, reference %g (tolerance %g)", what, ma, mb, tol);
}

/* Two-sample Kolmogorov-Smirnov statistic (x and y are sorted in place). */
static double ks2(double *x, size_t n, double *y, size_t m)
{
    gsl_sort(x, 1, n);
    gsl_sort(y, 1, m);
    size_t i = 0, j = 0;
    double d = 0.0;
    while (i < n && j < m) {
        double t = fmin(x[i], y[j]);
        while (i < n && x[i] <= t)
            i++;
        while (j < m && y[j] <= t)
            j++;
        d = fmax(d, fabs((double)i / (double)n - (double)j / (double)m));
    }
    return d;
}

Test(superposed, busy_cluster_same_law_as_per_unit_clocks)
{
    const size_t n = 1500;
    dcs_scenario fa = busy_cluster(DCS_ENGINE_FAST), re = busy_cluster(DCS_ENGINE_REFERENCE);
    dcs_run_result *a = reps_run(&fa, 101, n);
    dcs_run_result *b = reps_run(&re, 202, n);
    /* The scenario does what it is meant to: nodes wait for repairs, and
     * every class fails. */
    uint64_t waits = 0;
    for (size_t i = 0; i < n; i++)
        waits += a[i].cat_s[DCS_ACC_WAITING] > 0.0 && b[i].cat_s[DCS_ACC_WAITING] > 0.0;
    cr_assert_gt(waits, n / 10, "too few replications wait for a repaired node");
    for (int k = 0; k < fa.nfailures; k++) {
        char what[sizeof "failures of " + DCS_NAME_MAX];
        snprintf(what, sizeof what, "failures of %s", fa.failures[k].name);
        same_mean(what, a, b, n, m_fail, k);
    }
    same_mean("interruptions", a, b, n, m_interruptions, 0);
    same_mean("time to first interruption", a, b, n, m_first, 0);
    same_mean("makespan", a, b, n, m_makespan, 0);
    same_mean("cost", a, b, n, m_cost, 0);
    same_mean("lost compute", a, b, n, m_lost, 0);
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    cr_assert(x != NULL && y != NULL);
    for (size_t i = 0; i < n; i++) {
        x[i] = a[i].first_interrupt_s;
        y[i] = b[i].first_interrupt_s;
        cr_assert(isfinite(x[i]) && isfinite(y[i]), "replication %zu was never interrupted", i);
    }
    double d = ks2(x, n, y, n), crit = KS_001 * sqrt(2.0 / (double)n);
    cr_log_info("time to first interruption: two-sample KS D = %.4f (critical %.4f)", d, crit);
    cr_expect_lt(d, crit);
    for (size_t i = 0; i < n; i++) {
        x[i] = a[i].makespan_s;
        y[i] = b[i].makespan_s;
    }
    d = ks2(x, n, y, n);
    cr_log_info("makespan: two-sample KS D = %.4f (critical %.4f)", d, crit);
    cr_expect_lt(d, crit);
    free(x);
    free(y);
    free(a);
    free(b);
}

/* The times of every class's first failure, from traces: the fast engine
 * against the reference one (two-sample KS), and the first failure of any
 * class against its exact law, exponential of rate sum(units / MTBF), in
 * both (one-sample KS). */
Test(superposed, times_to_failure_pass_kolmogorov_smirnov_tests)
{
    const size_t n = 1500;
    double *first[2][DCS_MAX_FAILURE_CLS], *any[2];
    int ncls = 0;
    double rate = 0.0;
    for (int e = 0; e < 2; e++) {
        dcs_scenario sc = busy_cluster(e == 0 ? DCS_ENGINE_FAST : DCS_ENGINE_REFERENCE);
        ncls = sc.nfailures;
        dcs_err err;
        dcs_err_clear(&err);
        dcs_world *w = dcs_world_create(&sc, &err);
        cr_assert_not_null(w, "%s", err.msg);
        if (e == 0) {
            const dcs_run_cfg *c = dcs_world_run_cfg(w);
            for (int k = 0; k < ncls; k++)
                rate += (double)c->units[k] / sc.failures[k].ttf.mean_s;
        }
        dcs_engine *eng = dcs_world_engine_create(w, &err);
        cr_assert_not_null(eng, "%s", err.msg);
        dcs_trace *tr = dcs_trace_create(dcs_world_sample_ncols(w), &err);
        cr_assert_not_null(tr);
        uint16_t k_fail = UINT16_MAX;
        for (size_t k = 0; k < dcs_world_nkinds(); k++) {
            const char *name, *doc;
            dcs_world_kind(k, &name, &doc);
            if (strcmp(name, "failure") == 0)
                k_fail = (uint16_t)k;
        }
        cr_assert_neq(k_fail, UINT16_MAX);
        for (int k = 0; k < ncls; k++)
            first[e][k] = malloc(n * sizeof(double));
        any[e] = malloc(n * sizeof(double));
        for (size_t i = 0; i < n; i++) {
            dcs_run_result r;
            cr_assert_eq(dcs_world_run_traced(w, eng, 300 + (uint64_t)e, i, tr, &r, &err), 0, "%s",
                         err.msg);
            for (int k = 0; k < ncls; k++)
                first[e][k][i] = HUGE_VAL;
            any[e][i] = HUGE_VAL;
            for (size_t j = 0; j < tr->nevents; j++) {
                const dcs_trace_event *ev = &tr->events[j];
                if (ev->kind != k_fail || first[e][ev->unit][i] < HUGE_VAL)
                    continue;
                first[e][ev->unit][i] = ev->t;
                any[e][i] = fmin(any[e][i], ev->t);
            }
        }
        dcs_trace_destroy(tr);
        dcs_engine_destroy(eng);
        dcs_world_destroy(w);
    }
    double crit2 = KS_001 * sqrt(2.0 / (double)n), crit1 = KS_001 / sqrt((double)n);
    for (int k = 0; k < ncls; k++) {
        /* A class that never failed in a replication sorts last (HUGE_VAL)
         * in both samples alike. */
        double d = ks2(first[0][k], n, first[1][k], n);
        cr_log_info("class %d: first failure, two-sample KS D = %.4f (critical %.4f)", k, d, crit2);
        cr_expect_lt(d, crit2, "class %d", k);
        free(first[0][k]);
        free(first[1][k]);
    }
    for (int e = 0; e < 2; e++) {
        gsl_sort(any[e], 1, n);
        double d = 0.0;
        for (size_t i = 0; i < n; i++) {
            double f = -expm1(-rate * any[e][i]);
            d = fmax(d, fmax(f - (double)i / (double)n, (double)(i + 1) / (double)n - f));
        }
        cr_log_info("%s: first failure vs exponential, KS D = %.4f (critical %.4f)",
                    e == 0 ? "fast" : "reference", d, crit1);
        cr_expect_lt(d, crit1);
        free(any[e]);
    }
}

Test(superposed, few_units_in_service_same_law)
{
    const size_t n = 2000;
    dcs_scenario fa = shrinking(DCS_ENGINE_FAST), re = shrinking(DCS_ENGINE_REFERENCE);
    dcs_run_result *a = reps_run(&fa, 11, n);
    dcs_run_result *b = reps_run(&re, 22, n);
    /* Most of the job is gone at some point: the draw is among few units. */
    double low = 0.0;
    for (size_t i = 0; i < n; i++)
        low += a[i].min_nodes_seen < 4;
    cr_assert_gt(low, 0.5 * (double)n, "the job rarely shrinks below a quarter");
    same_mean("failures", a, b, n, m_fail, 0);
    same_mean("makespan", a, b, n, m_makespan, 0);
    same_mean("lost compute", a, b, n, m_lost, 0);
    free(a);
    free(b);
}

/* The reference engine is the model as written: one clock per unit. The
 * fast engine keeps per-unit clocks where lifetimes are not exponential,
 * so both give the same replications there, draw for draw. */
Test(superposed, weibull_classes_are_the_same_in_both_engines)
{
    dcs_scenario fa = scen_basic(8, 8, 100.0 * HOUR);
    fa.checkpoint.policy = DCS_CKPT_FIXED;
    fa.checkpoint.interval_s = HOUR;
    fa.checkpoint.write_overhead_s = 30.0;
    fa.cluster.spare_nodes = 1;
    scen_add_failure(&fa, "gpu", DCS_SCOPE_ACCELERATOR, DCS_DIST_WEIBULL, 64 * 20 * HOUR, 0.8);
    dcs_scenario re = fa;
    re.sim.engine = DCS_ENGINE_REFERENCE;
    const size_t n = 50;
    dcs_run_result *a = reps_run(&fa, 5, n);
    dcs_run_result *b = reps_run(&re, 5, n);
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(a[i].makespan_s, b[i].makespan_s, "replication %zu", i);
        cr_assert_eq(a[i].n_fail[0], b[i].n_fail[0], "replication %zu", i);
    }
    free(a);
    free(b);
}
