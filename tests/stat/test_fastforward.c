/*
 * test_fastforward.c - the fast engine's fast-forward of deterministic
 * compute-and-checkpoint cycles against the reference engine's events.
 *
 * The engines also differ in their failure clocks (superposed in fast), so
 * that the two draw the same numbers every exponential class is made a
 * Weibull class of shape 1: the same law, and per-unit clocks in both
 * engines. What is left is fast-forward alone, which must change nothing:
 * with the same seed every /summary column but the count of dispatched
 * events is equal to 1e-9 relative (integer columns exactly: untraced
 * steady blocking cycles are jumped in closed form, which changes the
 * real-valued columns by rounding), and traces
 * (events and samples) are identical record for record.
 */
#include "load.h"
#include "reps.h"
#include "scen.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

TestSuite(fastforward, .timeout = 900);

#define HOUR 3600.0
#define LIB  DCSIM_SOURCE_DIR "/scenarios/lib/"

/* Per-unit clocks in both engines: exponential -> Weibull of shape 1. */
static void per_unit_clocks(dcs_scenario *sc)
{
    for (int k = 0; k < sc->nfailures; k++)
        if (sc->failures[k].ttf.kind == DCS_DIST_EXPONENTIAL) {
            sc->failures[k].ttf.kind = DCS_DIST_WEIBULL;
            sc->failures[k].ttf.shape = 1.0;
        }
}

/* a and b equal to 1e-9 of scale (at least of the larger of the two). */
static int close_enough(double a, double b, double scale)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    return a == b || fabs(a - b) <= 1e-9 * fmax(scale, fmax(fabs(a), fabs(b)));
}

/* The scale of column j of a row: the accelerator-hours lost are the time
 * from the last checkpoint to a failure, a difference of two times of the
 * run; the closed-form jump (ff_jump) moves those times by rounding, ~k
 * units in the last place of the time for k cycles jumped, so the
 * difference carries that absolute error (2e-7 s of 116 s, 1.8e-9
 * relative, in a replication of the two-type test with the ziggurat's
 * draws). Such a column is held to 1e-9 of the accelerator-hours held, the
 * scale of the times it is a difference of; every other column to 1e-9 of
 * itself. */
static double scale_of(const dcs_column *cols, size_t ncols, const dcs_cell *row, size_t j)
{
    if (strncmp(cols[j].name, "accelerator_hours_lost", 22) != 0)
        return 0.0;
    for (size_t k = 0; k < ncols; k++)
        if (strcmp(cols[k].name, "accelerator_hours_held") == 0)
            return fabs(row[k].f);
    cr_assert_fail("no accelerator_hours_held column");
    return 0.0;
}

/* Two /summary rows of replication i: every column but the count of
 * events the same, integers exactly, reals to 1e-9 relative (scale_of). */
static void expect_same_row(const char *what, size_t i, const dcs_column *cols, size_t ncols,
                            dcs_cell *const cells[2])
{
    for (size_t j = 0; j < ncols; j++) {
        if (strcmp(cols[j].name, "events") == 0)
            continue;
        if (cols[j].type == DCS_COL_I64)
            cr_expect_eq(cells[0][j].i, cells[1][j].i, "%s, replication %zu: %s %lld != %lld", what,
                         i, cols[j].name, (long long)cells[0][j].i, (long long)cells[1][j].i);
        else
            cr_expect(
                close_enough(cells[0][j].f, cells[1][j].f, scale_of(cols, ncols, cells[1], j)),
                "%s, replication %zu: %s %.17g != %.17g", what, i, cols[j].name, cells[0][j].f,
                cells[1][j].f);
    }
}

/* Runs n replications of sc under both engines (seed 7), traced or not,
 * and holds every cell and trace record of the two equal. Returns the
 * events the two dispatched in all, for the caller's check that
 * fast-forward did skip some. */
static void same_runs(const char *what, const dcs_scenario *base, size_t n, int traced,
                      uint64_t events[2])
{
    dcs_scenario sc[2] = {*base, *base};
    sc[0].sim.engine = DCS_ENGINE_FAST;
    sc[1].sim.engine = DCS_ENGINE_REFERENCE;
    dcs_err err;
    dcs_err_clear(&err);
    dcs_world *w[2];
    dcs_engine *eng[2];
    dcs_trace *tr[2] = {NULL, NULL};
    for (int e = 0; e < 2; e++) {
        per_unit_clocks(&sc[e]);
        w[e] = dcs_world_create(&sc[e], &err);
        cr_assert_not_null(w[e], "%s: %s", what, err.msg);
        if (traced)
            cr_assert_eq(dcs_world_set_sampling(w[e], 6.0 * HOUR, &err), 0);
        eng[e] = dcs_world_engine_create(w[e], &err);
        cr_assert_not_null(eng[e], "%s: %s", what, err.msg);
        if (traced) {
            tr[e] = dcs_trace_create(dcs_world_sample_ncols(w[e]), &err);
            cr_assert_not_null(tr[e]);
        }
        events[e] = 0;
    }
    size_t ncols = dcs_world_ncols(w[0]);
    const dcs_column *cols = dcs_world_cols(w[0]);
    dcs_cell *cells[2] = {calloc(ncols, sizeof(dcs_cell)), calloc(ncols, sizeof(dcs_cell))};
    cr_assert(cells[0] != NULL && cells[1] != NULL);
    for (size_t i = 0; i < n; i++) {
        for (int e = 0; e < 2; e++) {
            dcs_run_result r;
            cr_assert_eq(dcs_world_run_traced(w[e], eng[e], 7, i, tr[e], &r, &err), 0, "%s: %s",
                         what, err.msg);
            dcs_world_row(w[e], 0, (int64_t)i, &r, cells[e]);
            events[e] += r.events;
        }
        expect_same_row(what, i, cols, ncols, cells);
        if (!traced)
            continue;
        cr_assert_eq(tr[0]->nevents, tr[1]->nevents, "%s, replication %zu: trace lengths", what, i);
        for (size_t k = 0; k < tr[0]->nevents; k++) {
            const dcs_trace_event *a = &tr[0]->events[k], *b = &tr[1]->events[k];
            cr_assert(a->t == b->t && a->kind == b->kind && a->unit == b->unit &&
                          (a->value == b->value || (isnan(a->value) && isnan(b->value))),
                      "%s, replication %zu: trace record %zu differs (t %.17g / %.17g, kind %u / "
                      "%u)",
                      what, i, k, a->t, b->t, a->kind, b->kind);
        }
        cr_assert_eq(tr[0]->nsamples, tr[1]->nsamples, "%s: samples", what);
        size_t nv = tr[0]->nsamples * tr[0]->ncols;
        for (size_t k = 0; k < nv; k++)
            cr_assert(tr[0]->samples[k] == tr[1]->samples[k] ||
                          (isnan(tr[0]->samples[k]) && isnan(tr[1]->samples[k])),
                      "%s, replication %zu: sample value %zu differs", what, i, k);
    }
    free(cells[0]);
    free(cells[1]);
    for (int e = 0; e < 2; e++) {
        dcs_trace_destroy(tr[e]);
        dcs_engine_destroy(eng[e]);
        dcs_world_destroy(w[e]);
    }
    cr_log_info("%s: %llu events fast, %llu reference", what, (unsigned long long)events[0],
                (unsigned long long)events[1]);
}

static void load(const char *file, dcs_scenario *sc)
{
    dcs_err err;
    dcs_err_clear(&err);
    char path[512];
    snprintf(path, sizeof path, "%s%s", LIB, file);
    cr_assert_eq(dcs_scenario_load(path, NULL, 0, sc, NULL, &err), 0, "%s: %s", file, err.msg);
}

/* Every shipped scenario: markets, hourly energy and carbon, cooling units
 * that throttle, maintenance windows. Traced replications too. */
Test(fastforward, shipped_scenarios_equal_event_by_event)
{
    static const char *const files[] = {"deepseek-v3.yaml",     "demand-shock.yaml",
                                        "gpt3-v100.yaml",       "h100-cycle.yaml",
                                        "hot-climate.yaml",     "llama3-405b-rented.yaml",
                                        "llama3-405b.yaml",     "lora-small.yaml",
                                        "sft-small.yaml",       "supply-shock.yaml",
                                        "vision-transfer.yaml", "patterson/t5.yaml",
                                        "patterson/meena.yaml", "patterson/gshard-600b.yaml",
                                        "patterson/switch.yaml"};
    uint64_t fast = 0, ref = 0;
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        dcs_scenario sc;
        load(files[f], &sc);
        uint64_t ev[2];
        same_runs(files[f], &sc, 4, 0, ev);
        fast += ev[0];
        ref += ev[1];
        same_runs(files[f], &sc, 2, 1, ev);
    }
    /* Fast-forward did skip events (it has something to do). */
    cr_assert_lt(fast, ref / 2, "fast %llu events, reference %llu", (unsigned long long)fast,
                 (unsigned long long)ref);
}

/* A small job with every kind of event the run model has: a shrinking
 * cluster, a slow class, switches, maintenance, repairs on a few
 * technicians. */
static dcs_scenario busy(void)
{
    dcs_scenario sc = scen_basic(16, 8, 400.0 * HOUR);
    sc.cluster.spare_nodes = 1;
    sc.cluster.nodes_per_switch = 4;
    sc.cluster.on_no_spare = DCS_NO_SPARE_SHRINK;
    sc.cluster.min_nodes = 8;
    sc.cluster.repair_capacity = 2;
    sc.cluster.swap_s = 600.0;
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 0.5 * HOUR;
    sc.checkpoint.write_overhead_s = 90.0;
    sc.checkpoint.retain = 3;
    sc.checkpoint.size_bytes = 1e12;
    sc.restart.overhead_s = 300.0;
    const dcs_dist repair = {DCS_DIST_LOGNORMAL, 24.0 * HOUR, 1.0};
    dcs_failure_cfg *f = scen_add_failure(&sc, "gpu", DCS_SCOPE_ACCELERATOR, DCS_DIST_EXPONENTIAL,
                                          128 * 60 * HOUR, 0);
    f->repair = repair;
    f->detect_s = 300.0;
    f = scen_add_failure(&sc, "net", DCS_SCOPE_SWITCH, DCS_DIST_EXPONENTIAL, 4 * 300 * HOUR, 0);
    f->repair = repair;
    f = scen_add_failure(&sc, "sw", DCS_SCOPE_JOB, DCS_DIST_EXPONENTIAL, 40 * HOUR, 0);
    f = scen_add_failure(&sc, "slow", DCS_SCOPE_NODE, DCS_DIST_EXPONENTIAL, 16 * 150 * HOUR, 0);
    f->action = DCS_ACTION_SLOW;
    f->speed = 0.6;
    f->detect_s = 3.0 * HOUR;
    f->repair = repair;
    f = scen_add_failure(&sc, "maint", DCS_SCOPE_MAINTENANCE, DCS_DIST_FIXED, 7 * 24 * HOUR, 0);
    f->action = DCS_ACTION_PLANNED;
    f->first_s = 50.0 * HOUR;
    f->repair = (dcs_dist){DCS_DIST_FIXED, 4.0 * HOUR, 0.0};
    return sc;
}

Test(fastforward, every_kind_of_event_equal_event_by_event)
{
    dcs_scenario sc = busy();
    uint64_t ev[2];
    same_runs("busy", &sc, 30, 0, ev);
    cr_assert_lt(ev[0], ev[1], "fast-forward skipped nothing");
    same_runs("busy, traced", &sc, 5, 1, ev);
}

/* The checkpoint variants fast-forward runs through: async snapshots with
 * background writes, an in-memory level (k memory checkpoints, then a
 * persistent one), both. */
static void variant(dcs_scenario *sc, int v)
{
    if (v & 1) {
        sc->checkpoint.mode = DCS_CKPT_ASYNC;
        sc->checkpoint.snapshot_s = 20.0;
    }
    if (v & 2) {
        sc->checkpoint.mem_interval_s =
            sc->checkpoint.policy == DCS_CKPT_FIXED ? sc->checkpoint.interval_s / 4.0 : 0.5 * HOUR;
        sc->checkpoint.mem_overhead_s = 5.0;
    }
}

static const char *const variant_name[4] = {"", "async", "in-memory level", "async + in-memory"};

/* Async checkpoints and in-memory levels are fast-forwarded too: the same
 * replications as event by event (traces included), with fewer events. */
Test(fastforward, async_and_memory_levels_equal_event_by_event)
{
    for (int v = 1; v < 4; v++) {
        uint64_t ev[2];
        dcs_scenario sc = busy();
        variant(&sc, v);
        same_runs(variant_name[v], &sc, 20, 0, ev);
        cr_assert_lt(ev[0], ev[1], "%s: fast-forward skipped nothing", variant_name[v]);
        same_runs(variant_name[v], &sc, 5, 1, ev);
    }
}

/* The same variants on shipped scenarios: an hourly energy model that
 * throttles (hot-climate), maintenance windows and an hourly price
 * (llama3-405b), a market whose steps price the hours and delay capacity
 * (supply-shock). Fast-forward must stop at every one of their events. */
Test(fastforward, async_and_memory_levels_on_shipped_scenarios)
{
    static const char *const files[] = {"hot-climate.yaml", "llama3-405b.yaml",
                                        "supply-shock.yaml"};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++)
        for (int v = 1; v < 4; v++) {
            dcs_scenario sc;
            load(files[f], &sc);
            variant(&sc, v);
            char what[128];
            snprintf(what, sizeof what, "%s, %s", files[f], variant_name[v]);
            uint64_t ev[2];
            same_runs(what, &sc, 3, 0, ev);
            cr_assert_lt(ev[0], ev[1], "%s: fast-forward skipped nothing", what);
            same_runs(what, &sc, 1, 1, ev);
        }
}

/* A job of two accelerator types that moves to the cheaper (job.switch),
 * on a market: every cycle is billed to the type held. */
Test(fastforward, several_accelerator_types_equal_event_by_event)
{
    dcs_err err;
    dcs_err_clear(&err);
    dcs_scenario sc;
    cr_assert_eq(
        dcs_scenario_load(DCSIM_SOURCE_DIR "/tests/cli/data/switch.yaml", NULL, 0, &sc, NULL, &err),
        0, "%s", err.msg);
    sc.checkpoint.interval_s = 0.5 * HOUR;
    uint64_t ev[2];
    same_runs("two types", &sc, 6, 0, ev);
    cr_assert_lt(ev[0], ev[1], "fast-forward skipped nothing");
    same_runs("two types, traced", &sc, 2, 1, ev);
}

/* A long job of short cycles and rare failures: between two failures tens
 * of thousands of steady blocking cycles, which the untraced fast engine
 * advances in closed form (ff_jump, issue 14). That jump changes the
 * real-valued columns by rounding only (the sums of k equal increments
 * taken as one product), so same_runs holds them to 1e-9 relative and the
 * counts, the number of checkpoints among them, exactly. */
Test(fastforward, closed_form_jump_of_many_cycles)
{
    dcs_scenario sc = scen_basic(4, 8, 2000.0 * HOUR);
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 120.0;
    sc.checkpoint.write_overhead_s = 10.0;
    sc.checkpoint.retain = 2;
    sc.checkpoint.size_bytes = 1e12;
    sc.restart.overhead_s = 300.0;
    scen_add_failure(&sc, "sw", DCS_SCOPE_JOB, DCS_DIST_EXPONENTIAL, 500.0 * HOUR, 0);
    uint64_t ev[2];
    same_runs("many cycles", &sc, 4, 0, ev);
    /* The reference dispatches two events a cycle: 60,000 cycles in all,
     * so tens of thousands between failures (mean 500 h / 130 s). */
    cr_assert_gt(ev[1], 4 * 2 * 50000ull, "reference: %llu events", (unsigned long long)ev[1]);
    cr_assert_lt(ev[0], ev[1] / 1000, "fast %llu events", (unsigned long long)ev[0]);
    same_runs("many cycles, traced", &sc, 1, 1, ev);
}

/* The horizon (the next failure) inside a cycle (every 100.3 h, fixed) and
 * exactly at a cycle's end (the first failure of a class at 50 cycles of
 * 1,800 + 90 s, in exact binary): the jump leaves the last cycles to the
 * loop, which stops strictly before the horizon as the events do. */
Test(fastforward, closed_form_jump_stops_at_the_horizon)
{
    dcs_scenario sc = scen_basic(4, 8, 1000.0 * HOUR);
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 1800.0;
    sc.checkpoint.write_overhead_s = 90.0;
    sc.checkpoint.retain = 3;
    sc.checkpoint.size_bytes = 1e12;
    sc.restart.overhead_s = 300.0;
    scen_add_failure(&sc, "inside", DCS_SCOPE_JOB, DCS_DIST_FIXED, 100.3 * HOUR, 0);
    scen_add_failure(&sc, "at-end", DCS_SCOPE_JOB, DCS_DIST_FIXED, 50.0 * 1890.0, 0);
    uint64_t ev[2];
    same_runs("horizon in a cycle", &sc, 2, 0, ev);
    cr_assert_lt(ev[0], ev[1], "fast-forward skipped nothing");
    same_runs("horizon in a cycle, traced", &sc, 1, 1, ev);
}

/* One fast replication of sc (seed 7, replication 0). */
static dcs_run_result fast_run(const dcs_scenario *base)
{
    dcs_scenario sc = *base;
    sc.sim.engine = DCS_ENGINE_FAST;
    dcs_err err;
    dcs_err_clear(&err);
    dcs_world *w = dcs_world_create(&sc, &err);
    cr_assert_not_null(w, "%s", err.msg);
    dcs_engine *eng = dcs_world_engine_create(w, &err);
    cr_assert_not_null(eng, "%s", err.msg);
    dcs_run_result r;
    cr_assert_eq(dcs_world_run_traced(w, eng, 7, 0, NULL, &r, &err), 0, "%s", err.msg);
    dcs_engine_destroy(eng);
    dcs_world_destroy(w);
    return r;
}

/* A job of one node and a spare; the node fails every 10.05 h of service
 * (fixed), and its repair (3.1 h from detection) ends while the job
 * computes on the spare, in the middle of a segment. */
static dcs_scenario repair_mid_segment(void)
{
    dcs_scenario sc = scen_basic(1, 8, 400.0 * HOUR);
    sc.cluster.spare_nodes = 1;
    sc.cluster.swap_s = 600.0;
    sc.checkpoint.policy = DCS_CKPT_FIXED;
    sc.checkpoint.interval_s = 1800.0;
    sc.checkpoint.write_overhead_s = 90.0;
    sc.checkpoint.retain = 2;
    sc.checkpoint.size_bytes = 1e12;
    sc.restart.overhead_s = 300.0;
    dcs_failure_cfg *f =
        scen_add_failure(&sc, "host", DCS_SCOPE_NODE, DCS_DIST_FIXED, 10.05 * HOUR, 0);
    f->detect_s = 300.0;
    f->repair = (dcs_dist){DCS_DIST_FIXED, 3.1 * HOUR, 0.0};
    return sc;
}

/* repair_mid_segment: the fast-forward stops where the repair ends. The
 * segment end that follows starts the next fast-forward at once, with its
 * checkpoint and the cycles after it in registers; the results stay those
 * of the events. The bound below, six events a failure (failure,
 * detection, swap, restart, repair, that segment end), predates the
 * events kept for a handler's end; a_failure_costs_two_events holds the
 * exact count. */
Test(fastforward, segment_end_after_another_event_goes_on_in_registers)
{
    dcs_scenario sc = repair_mid_segment();
    uint64_t ev[2];
    same_runs("repair while computing", &sc, 1, 0, ev);
    same_runs("repair while computing, traced", &sc, 1, 1, ev);
    dcs_run_result r = fast_run(&sc);
    cr_log_info("%llu failures, %llu events", (unsigned long long)r.n_fail[0],
                (unsigned long long)r.events);
    cr_assert_gt(r.n_fail[0], 30, "failures: %llu", (unsigned long long)r.n_fail[0]);
    /* Six a failure, and at most 4 more: the start, the last segment end,
     * its checkpoint, and a checkpoint left pending by a repair that
     * ended during its write. */
    cr_assert_leq(r.events, 6 * r.n_fail[0] + 4, "%llu events for %llu failures",
                  (unsigned long long)r.events, (unsigned long long)r.n_fail[0]);
}

/* The fast engine's events for a failure of a node while computing, with a
 * spare free and nothing else pending: its failure and its repair's end.
 * The detection is done at the end of the failure's handler (detect_kept),
 * and the swap it begins and the restart that follows in the detection's
 * (swap_chains, try_restart), as their events would be the next; the
 * segment end that a repair ending mid-segment leaves pending, with the
 * cycles after it, is done in the repair's (ff_resume). Without these a
 * failure costs 3 to 5 events. */
Test(fastforward, a_failure_costs_two_events)
{
    dcs_scenario sc = repair_mid_segment();
    uint64_t ev[2];
    same_runs("chained swap and restart", &sc, 1, 0, ev);
    dcs_run_result r = fast_run(&sc);
    cr_assert_gt(r.n_fail[0], 30, "failures: %llu", (unsigned long long)r.n_fail[0]);
    /* Failures come 10.05 h after a node's swap, so every repair ends
     * while the job computes, 2.85 h after its restart, with nothing else
     * pending. Three more events: the first segment end (the run's first
     * segment starts in the engine's reset, without a horizon to
     * fast-forward to), the last one and its checkpoint. */
    cr_assert_eq(r.events, 2 * r.n_fail[0] + 3, "%llu events for %llu failures",
                 (unsigned long long)r.events, (unsigned long long)r.n_fail[0]);
    /* Ties: four nodes that fail at the same instants, detected and swapped
     * at once (0 s), one spare fewer than them; and an exponential class
     * whose detection ties with the failure. Each event kept for a
     * handler's end is done there only when it comes first, as its event
     * would: the same results as the reference engine's events. */
    sc.cluster.nodes = 4;
    sc.cluster.spare_nodes = 3;
    sc.cluster.swap_s = 0.0;
    sc.failures[0].detect_s = 0.0; /* the host class of repair_mid_segment */
    dcs_failure_cfg *g =
        scen_add_failure(&sc, "gpu", DCS_SCOPE_ACCELERATOR, DCS_DIST_EXPONENTIAL, 2000.0 * HOUR, 0);
    g->detect_s = 0.0;
    g->repair = (dcs_dist){DCS_DIST_FIXED, 0.5 * HOUR, 0.0};
    same_runs("ties", &sc, 3, 0, ev);
    same_runs("ties, traced", &sc, 3, 1, ev);
}

/* The fast engine untraced (its events kept for a handler's end where they
 * would come next: detect_kept, swap_chains, try_restart) against itself
 * traced (every event queued and dispatched), with its superposed class
 * clocks: the same results, every /summary column but the count of events
 * to 1e-9 relative and integers exactly (the closed-form jump, untraced
 * only, moves real values by rounding). Both draw alike. */
static void chained_as_queued(const char *what, const dcs_scenario *base, size_t n)
{
    dcs_scenario sc = *base;
    sc.sim.engine = DCS_ENGINE_FAST;
    dcs_err err;
    dcs_err_clear(&err);
    dcs_world *w = dcs_world_create(&sc, &err);
    cr_assert_not_null(w, "%s: %s", what, err.msg);
    cr_assert_eq(dcs_world_set_sampling(w, 6.0 * HOUR, &err), 0);
    dcs_engine *eng = dcs_world_engine_create(w, &err);
    cr_assert_not_null(eng, "%s: %s", what, err.msg);
    dcs_trace *tr = dcs_trace_create(dcs_world_sample_ncols(w), &err);
    cr_assert_not_null(tr);
    size_t ncols = dcs_world_ncols(w);
    const dcs_column *cols = dcs_world_cols(w);
    dcs_cell *cells[2] = {calloc(ncols, sizeof(dcs_cell)), calloc(ncols, sizeof(dcs_cell))};
    cr_assert(cells[0] != NULL && cells[1] != NULL);
    uint64_t events[2] = {0, 0};
    for (size_t i = 0; i < n; i++) {
        for (int e = 0; e < 2; e++) {
            dcs_run_result r;
            cr_assert_eq(dcs_world_run_traced(w, eng, 7, i, e ? tr : NULL, &r, &err), 0, "%s: %s",
                         what, err.msg);
            dcs_world_row(w, 0, (int64_t)i, &r, cells[e]);
            events[e] += r.events;
        }
        expect_same_row(what, i, cols, ncols, cells);
    }
    /* Events were kept (a failure costs fewer of them untraced). */
    cr_assert_lt(events[0], events[1], "%s: %llu events untraced, %llu traced", what,
                 (unsigned long long)events[0], (unsigned long long)events[1]);
    free(cells[0]);
    free(cells[1]);
    dcs_trace_destroy(tr);
    dcs_engine_destroy(eng);
    dcs_world_destroy(w);
}

Test(fastforward, events_kept_for_a_handlers_end_change_nothing)
{
    static const char *const files[] = {"llama3-405b.yaml", "deepseek-v3.yaml", "gpt3-v100.yaml"};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        dcs_scenario sc;
        load(files[f], &sc);
        chained_as_queued(files[f], &sc, 3);
    }
    /* Every kind of event the run model has (busy), detections and swaps
     * at once (0 s): a detection then ties with its failure, a swap with
     * its detection. */
    dcs_scenario sc = busy();
    for (int k = 0; k < sc.nfailures; k++)
        sc.failures[k].detect_s = 0.0;
    sc.cluster.swap_s = 0.0;
    chained_as_queued("busy, at once", &sc, 5);
}
