/*
 * test_trace.c - event traces and time series of traced replications.
 *
 * The scenarios exercise every kind the models record: hardware and
 * software failures, fail-slow nodes, switches, spares running out (wait
 * and shrink), asynchronous and in-memory checkpoints, planned
 * maintenance, cooling-unit failures and throttling. Each property is an
 * identity between the trace and the replication's own counters, checked
 * on every replication: these are not statistical tests.
 */
#include "probe.h"
#include "reps.h"
#include "scen.h"
#include "world.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <string.h>

TestSuite(trace, .timeout = 120);

#define HOUR 3600.0

/* Kind number of the record named `name`. */
static uint16_t kind_of(const char *name)
{
    for (size_t k = 0; k < dcs_world_nkinds(); k++) {
        const char *n, *d;
        dcs_world_kind(k, &n, &d);
        if (strcmp(n, name) == 0)
            return (uint16_t)k;
    }
    cr_fatal("no kind %s", name);
    return 0;
}

static size_t count(const dcs_trace *tr, const char *name, long unit)
{
    uint16_t k = kind_of(name);
    size_t n = 0;
    for (size_t i = 0; i < tr->nevents; i++)
        if (tr->events[i].kind == k && (unit < 0 || tr->events[i].unit == (uint32_t)unit))
            n++;
    return n;
}

/* Every failure mode at once on a small cluster, for 10 days of compute. */
static dcs_scenario busy(int async, int shrink)
{
    dcs_scenario sc = scen_basic(16, 4, 10.0 * 86400.0);
    sc.cluster.spare_nodes = 1;
    sc.cluster.swap_s = 600.0;
    sc.cluster.nodes_per_switch = 4;
    sc.cluster.repair_capacity = 2;
    if (shrink) {
        sc.cluster.on_no_spare = DCS_NO_SPARE_SHRINK;
        sc.cluster.min_nodes = 12;
    }
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 2.0 * HOUR;
    sc.checkpoint.write_overhead_s = 300.0;
    sc.checkpoint.retain = 2;
    if (async) {
        sc.checkpoint.mode = DCS_CKPT_ASYNC;
        sc.checkpoint.snapshot_s = 30.0;
    } else {
        sc.checkpoint.mem_interval_s = 0.5 * HOUR;
        sc.checkpoint.mem_overhead_s = 20.0;
    }
    sc.restart.overhead_s = 900.0;
    dcs_failure_cfg *f =
        scen_add_failure(&sc, "gpu", DCS_SCOPE_ACCELERATOR, DCS_DIST_WEIBULL, 400.0 * 86400.0, 0.8);
    f->detect_s = 120.0;
    f->repair = (dcs_dist){DCS_DIST_EXPONENTIAL, 2.0 * 86400.0, 0.0};
    scen_add_failure(&sc, "software", DCS_SCOPE_JOB, DCS_DIST_EXPONENTIAL, 30.0 * HOUR, 0.0);
    f = scen_add_failure(&sc, "slow", DCS_SCOPE_NODE, DCS_DIST_EXPONENTIAL, 60.0 * 86400.0, 0.0);
    f->action = DCS_ACTION_SLOW;
    f->speed = 0.5;
    f->detect_s = 6.0 * HOUR;
    f->repair = (dcs_dist){DCS_DIST_FIXED, 12.0 * HOUR, 0.0};
    f = scen_add_failure(&sc, "leaf", DCS_SCOPE_SWITCH, DCS_DIST_EXPONENTIAL, 40.0 * 86400.0, 0.0);
    f->repair = (dcs_dist){DCS_DIST_FIXED, 8.0 * HOUR, 0.0};
    f = scen_add_failure(&sc, "patch", DCS_SCOPE_MAINTENANCE, DCS_DIST_FIXED, 4.0 * 86400.0, 0.0);
    f->action = DCS_ACTION_PLANNED;
    f->first_s = 1.5 * 86400.0;
    f->repair.mean_s = 4.0 * HOUR;
    /* Energy: a cooling plant of two units that is too small on hot
     * afternoons, with a unit that fails. */
    sc.power = (dcs_power_cfg){true, 1000.0, 500.0, 300.0, 250.0, HOUR, 0.0, 0.0};
    sc.cooling.model = DCS_COOL_PUE;
    sc.cooling.pue = 1.2;
    sc.cooling.units = 2;
    sc.cooling.unit_w = 0.55 * 68 * 1000.0;
    sc.cooling.design_c = 25.0;
    sc.cooling.derate_per_k = 0.03;
    sc.weather.mean_c = 24.0;
    sc.weather.daily_k = 8.0;
    sc.weather.hottest_hour = 15.0;
    sc.electricity.model = DCS_PRICE_TOU;
    sc.electricity.usd_per_kwh = 0.06;
    sc.electricity.ntou = 1;
    sc.electricity.tou[0] = (dcs_tou_cfg){8, 20, 0x3e, 0.14};
    f = scen_add_failure(&sc, "crah", DCS_SCOPE_COOLING, DCS_DIST_EXPONENTIAL, 5.0 * 86400.0, 0.0);
    f->repair = (dcs_dist){DCS_DIST_EXPONENTIAL, 10.0 * HOUR, 0.0};
    return sc;
}

typedef struct traced {
    dcs_run_result r;
    dcs_trace *tr;
} traced;

/* Runs replications [0, n) traced, sampling every `step` s. */
static traced *run_traced(const dcs_scenario *sc, uint64_t seed, size_t n, double step)
{
    dcs_err err;
    dcs_err_clear(&err);
    dcs_world *w = dcs_world_create(sc, &err);
    cr_assert_not_null(w, "world: %s", err.msg);
    cr_assert_eq(dcs_world_set_sampling(w, step, &err), 0);
    dcs_engine *eng = dcs_world_engine_create(w, &err);
    cr_assert_not_null(eng, "engine: %s", err.msg);
    traced *t = calloc(n, sizeof *t);
    cr_assert_not_null(t);
    for (size_t i = 0; i < n; i++) {
        t[i].tr = dcs_trace_create(dcs_world_sample_ncols(w), &err);
        cr_assert_not_null(t[i].tr);
        int rc = dcs_world_run_traced(w, eng, seed, i, t[i].tr, &t[i].r, &err);
        cr_assert_eq(rc, 0, "replication %zu: %s", i, err.msg);
    }
    dcs_engine_destroy(eng);
    dcs_world_destroy(w);
    return t;
}

static void free_traced(traced *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dcs_trace_destroy(t[i].tr);
    free(t);
}

static void check_invariants(const dcs_scenario *sc, const traced *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const dcs_trace *tr = t[i].tr;
        const dcs_run_result *r = &t[i].r;
        cr_assert_gt(tr->nevents, 0);
        for (size_t e = 1; e < tr->nevents; e++)
            cr_assert_geq(tr->events[e].t, tr->events[e - 1].t, "rep %zu: event %zu goes back", i,
                          e);
        /* One failure record per failure counted, per class. */
        for (int k = 0; k < sc->nfailures; k++) {
            const char *kind = sc->failures[k].scope == DCS_SCOPE_MAINTENANCE
                                   ? "maintenance_started"
                               : sc->failures[k].scope == DCS_SCOPE_COOLING ? "cooling_unit_failure"
                                                                            : "failure";
            cr_assert_eq(count(tr, kind, k), r->n_fail[k],
                         "rep %zu, class %s: %zu records, %llu "
                         "counted",
                         i, sc->failures[k].name, count(tr, kind, k),
                         (unsigned long long)r->n_fail[k]);
        }
        /* Every checkpoint begun completes or is lost, exactly once. */
        size_t started = count(tr, "checkpoint_started", -1);
        size_t done = count(tr, "checkpoint_done", -1);
        size_t lost = count(tr, "checkpoint_lost", -1);
        cr_assert_eq(started, done + lost, "rep %zu: %zu started, %zu done, %zu lost", i, started,
                     done, lost);
        cr_assert_eq(done, r->n_checkpoints + r->n_mem_checkpoints);
        cr_assert_eq(lost, r->n_ckpt_lost);
        cr_assert_eq(count(tr, "restart_started", -1), r->n_restarts);
        cr_assert_eq(count(tr, "job_done", -1), (size_t)r->completed);
        /* The time series ends with the work done, at the makespan. */
        cr_assert_gt(tr->nsamples, 1);
        const double *last = tr->samples + (tr->nsamples - 1) * tr->ncols;
        cr_assert(epsilon_eq(dbl, last[0], r->makespan_s / HOUR, 1e-12));
        if (r->completed)
            cr_assert_eq(last[1], 1.0, "rep %zu: last progress %.17g", i, last[1]);
        for (size_t k = 1; k < tr->nsamples; k++)
            cr_assert_gt(tr->samples[k * tr->ncols], tr->samples[(k - 1) * tr->ncols]);
    }
}

Test(trace, records_match_the_replications_counters_blocking_and_memory_levels)
{
    dcs_scenario sc = busy(0, 0);
    traced *t = run_traced(&sc, 2385, 12, HOUR);
    check_invariants(&sc, t, 12);
    size_t waits = 0, swaps = 0, mem = 0, slow = 0, throttle = 0;
    for (size_t i = 0; i < 12; i++) {
        waits += count(t[i].tr, "waiting_for_node", -1);
        swaps += count(t[i].tr, "spare_swapped", -1);
        mem += count(t[i].tr, "checkpoint_done", 1);
        slow += count(t[i].tr, "slow_node_found", -1);
        throttle += count(t[i].tr, "throttle_started", -1);
    }
    /* The scenario does reach every case it was built for. */
    cr_assert_gt(waits, 0);
    cr_assert_gt(swaps, 0);
    cr_assert_gt(mem, 0);
    cr_assert_gt(slow, 0);
    cr_assert_gt(throttle, 0);
    free_traced(t, 12);
}

Test(trace, records_match_the_replications_counters_async_and_shrinking)
{
    dcs_scenario sc = busy(1, 1);
    traced *t = run_traced(&sc, 77, 12, 2.0 * HOUR);
    check_invariants(&sc, t, 12);
    size_t left = 0, async_lost = 0;
    for (size_t i = 0; i < 12; i++) {
        left += count(t[i].tr, "node_left_out", -1);
        async_lost += count(t[i].tr, "checkpoint_lost", 2);
    }
    cr_assert_gt(left, 0);
    cr_assert_gt(async_lost, 0);
    free_traced(t, 12);
}

/* Tracing reads the models and never changes them: every measurement of a
 * traced replication is bit-identical to the untraced one. */
Test(trace, tracing_does_not_change_the_results)
{
    dcs_scenario sc = busy(0, 1);
    traced *t = run_traced(&sc, 91, 8, 1800.0);
    dcs_run_result *u = reps_run(&sc, 91, 8);
    for (size_t i = 0; i < 8; i++) {
        t[i].r.events = u[i].events = 0; /* samples are events of their own */
        cr_assert_eq(memcmp(&t[i].r, &u[i], sizeof u[i]), 0, "replication %zu differs", i);
    }
    free(u);
    free_traced(t, 8);
}

/* Samples fall on the step grid, then one at the end; the cost so far
 * grows and ends at the replication's cost (rental + electricity). */
Test(trace, samples_are_on_the_step_grid_and_cost_ends_at_the_total)
{
    dcs_scenario sc = busy(0, 0);
    sc.procurement.energy_included = false; /* the rent leaves the electricity out */
    traced *t = run_traced(&sc, 5, 3, 3.0 * HOUR);
    for (size_t i = 0; i < 3; i++) {
        const dcs_trace *tr = t[i].tr;
        size_t nc = tr->ncols;
        for (size_t k = 0; k + 1 < tr->nsamples; k++)
            cr_assert(epsilon_eq(dbl, tr->samples[k * nc], 3.0 * (double)k, 1e-9));
        size_t cost = nc - 1;
        for (size_t k = 1; k < tr->nsamples; k++)
            cr_assert_geq(tr->samples[k * nc + cost], tr->samples[(k - 1) * nc + cost]);
        const dcs_run_result *r = &t[i].r;
        double held = (double)((sc.cluster.nodes + sc.cluster.spare_nodes) * 4);
        double want = held * r->makespan_s / HOUR * sc.cluster.price_usd_per_accel_h +
                      r->cost_it_usd + r->cost_cool_usd;
        cr_assert(epsilon_eq(dbl, tr->samples[(tr->nsamples - 1) * nc + cost], want, 1e-9 * want));
    }
    free_traced(t, 3);
}

/* Without a power section, the time series has no power, weather or
 * electricity columns (absent, not zero-filled). */
Test(trace, columns_of_models_that_are_off_are_absent)
{
    dcs_scenario sc = scen_basic(2, 8, 10.0 * HOUR);
    dcs_err err;
    dcs_err_clear(&err);
    dcs_world *w = dcs_world_create(&sc, &err);
    cr_assert_not_null(w);
    size_t n;
    const dcs_column *c = dcs_world_ts_cols(w, &n);
    cr_assert_eq(n, 2 + 4);
    const char *want[] = {"point",    "replication",          "t_h",
                          "progress", "accelerators_working", "cost_usd"};
    for (size_t j = 0; j < n; j++)
        cr_assert_str_eq(c[j].name, want[j]);
    dcs_world_destroy(w);
}

/* Record-only kinds cannot be scheduled, and every kind has a doc. */
Test(trace, every_kind_is_named_documented_and_unique)
{
    size_t n = dcs_world_nkinds();
    cr_assert_gt(n, 20);
    for (size_t k = 0; k < n; k++) {
        const char *a, *da;
        dcs_world_kind(k, &a, &da);
        cr_assert_not_null(a);
        cr_assert_gt(strlen(da), 10, "kind %s has no description", a);
        for (size_t j = 0; j < k; j++) {
            const char *b, *db;
            dcs_world_kind(j, &b, &db);
            cr_assert_str_neq(a, b);
        }
    }
}
