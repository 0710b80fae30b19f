/*
 * test_switch.c - jobs that can switch accelerator types (job.accelerators,
 * job.choose, job.switch).
 *
 * - A job that switches when it costs nothing never pays more than the same
 *   job locked to its first type: paired, replication by replication (the
 *   same seed gives both the same market paths: the run model draws nothing
 *   here). The two types compute at the same rate (H100 and H200: the same
 *   989 TFLOP/s peak, the same MFU), so both jobs do the same work at the
 *   same times, and the switching one, checked every market step right after
 *   the step, always holds a type at most as dear per FLOP as the first:
 *   its cost is at most the locked one's in every replication, a property
 *   of each path, not a mean, so no Monte Carlo tolerance enters (1e-12
 *   relative, for rounding only).
 * - The rule triggers at the stated threshold: a market without noise whose
 *   first type's demand steps up by 1.25 at 9.5 days (elasticity 1: its
 *   price 2 -> 2.5, the gap 1 - 2 / 2.5 = 0.2) moves the job at the check
 *   of day 10 with threshold 0.2 (1 - 1e-9), and not with 0.2 (1 + 1e-9).
 * - job.choose: `cheapest` takes the cheaper type, `preference` the first.
 * - A list of one type gives the same replications, bit for bit, as the
 *   single-type form; the per-type columns add up to the totals.
 * - Failures during the saves, waits and restarts of switches keep the
 *   accounts; a reservation is signed on the type chosen, at its price.
 */
#include "load.h"
#include "world.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

TestSuite(switch_types, .timeout = 900);

#define DAY 86400.0

/* Two nodes of H100 or H200 at MFU 0.4 (6.33e15 FLOP/s), a 55-day job, no
 * failures, and nothing that costs time at a switch: a checkpoint write of
 * 1e-15 s (below the rounding of times of days), no
 * restart overhead, no wait for capacity. */
#define FREE_HEAD                                                                                  \
    "name: sw\n"                                                                                   \
    "cluster: {accelerator: H100-SXM-80GB, nodes: 2}\n"                                            \
    "job:\n"                                                                                       \
    "  flops: 3e22\n"                                                                              \
    "  accelerators:\n"                                                                            \
    "    - {type: H100-SXM-80GB, mfu: 0.4}\n"                                                      \
    "    - {type: H200-SXM-141GB, mfu: 0.4}\n"                                                     \
    "checkpoint: {policy: none, size: 1B, write_bandwidth: 1PB/s, final: false}\n"                 \
    "restart: {overhead: 0s}\n"

/* Two noisy markets, linked. */
static const char noisy[] = FREE_HEAD "market:\n"
                                      "  elasticity: 0.6\n"
                                      "  demand_noise_sd: 0.3\n"
                                      "  demand_noise_timescale: 10d\n"
                                      "  lead_time: 10w\n"
                                      "  acquisition_time: 0s\n"
                                      "  substitution: {elasticity: 0.5}\n"
                                      "  types:\n"
                                      "    - {accelerator: H100-SXM-80GB, "
                                      "reference_price_usd_per_hour: 2.35}\n"
                                      "    - {accelerator: H200-SXM-141GB, "
                                      "reference_price_usd_per_hour: 2.6}\n";

/* Two markets without noise or supply change; the H100's demand steps up
 * by 1.25 at 9.5 days. */
static const char stepped[] = FREE_HEAD "market:\n"
                                        "  elasticity: 1\n"
                                        "  lead_time: 10w\n"
                                        "  manufacturing_capacity: 0\n"
                                        "  acquisition_time: 0s\n"
                                        "  types:\n"
                                        "    - {accelerator: H100-SXM-80GB, "
                                        "reference_price_usd_per_hour: 2}\n"
                                        "    - {accelerator: H200-SXM-141GB, "
                                        "reference_price_usd_per_hour: 2}\n"
                                        "  shocks:\n"
                                        "    - {target: demand, factor: 1.25, start: 9.5d, "
                                        "types: [H100-SXM-80GB]}\n";

static void load(const char *text, const char *const *sets, size_t n, dcs_scenario *sc)
{
    dcs_err err;
    char buf[768];
    int rc = dcs_scenario_load_string(text, "t.yaml", sets, n, sc, NULL, &err);
    cr_assert_eq(rc, 0, "%s", dcs_err_format(&err, buf, sizeof buf));
}

/* Runs replications 0..n-1 of sc with seed 2385 into r[]. */
static void run(const dcs_scenario *sc, int n, dcs_run_result *r)
{
    dcs_err err;
    dcs_world *w = dcs_world_create(sc, &err);
    cr_assert_not_null(w, "%s", err.msg);
    dcs_engine *eng = dcs_world_engine_create(w, &err);
    cr_assert_not_null(eng, "%s", err.msg);
    for (int i = 0; i < n; i++)
        cr_assert_eq(dcs_world_run(w, eng, 2385, (uint64_t)i, &r[i], &err), 0, "%s", err.msg);
    dcs_engine_destroy(eng);
    dcs_world_destroy(w);
}

enum { NREP = 200 };

Test(switch_types, a_free_switch_never_costs_more_than_the_first_type)
{
    static dcs_scenario sw, locked;
    static const char *const sw_sets[] = {"job.choose=cheapest", "job.switch.policy=price_gap",
                                          "job.switch.threshold=0"};
    load(noisy, sw_sets, 3, &sw);
    load(noisy, NULL, 0, &locked);
    static dcs_run_result a[NREP], b[NREP];
    run(&sw, NREP, a);
    run(&locked, NREP, b);
    int moved = 0, cheaper = 0;
    for (int i = 0; i < NREP; i++) {
        cr_assert(a[i].completed && b[i].completed, "replication %d did not finish", i);
        cr_assert_eq(b[i].n_switches, 0);
        cr_assert_eq(b[i].type_held_s[1], 0.0, "the locked job held the second type");
        cr_assert_eq(a[i].makespan_s, b[i].makespan_s,
                     "replication %d: the same work, the same "
                     "time",
                     i);
        cr_assert_leq(a[i].ledger.compute, b[i].ledger.compute * (1.0 + 1e-12),
                      "replication %d: the switching job paid %.17g, the locked one %.17g", i,
                      a[i].ledger.compute, b[i].ledger.compute);
        moved += a[i].n_switches > 0;
        cheaper += a[i].ledger.compute < b[i].ledger.compute * (1.0 - 1e-3);
    }
    /* The comparison is not empty: most paths cross (the linked markets
     * move apart and back within the run), and switching saves on many. */
    cr_assert_geq(moved, NREP / 2, "only %d of %d replications switched", moved, NREP);
    cr_assert_geq(cheaper, NREP / 4, "only %d of %d replications saved 0.1 %%", cheaper, NREP);
}

/* The result of one replication of the stepped market with the threshold
 * at 0.2 x factor. */
static dcs_run_result stepped_run(double factor)
{
    static dcs_scenario sc;
    char th[64];
    snprintf(th, sizeof th, "job.switch.threshold=%.17g", 0.2 * factor);
    const char *sets[] = {"job.switch.policy=price_gap", th};
    load(stepped, sets, 2, &sc);
    dcs_run_result r;
    run(&sc, 1, &r);
    return r;
}

Test(switch_types, the_rule_triggers_at_the_threshold)
{
    dcs_run_result below = stepped_run(1.0 - 1e-9), above = stepped_run(1.0 + 1e-9);
    cr_assert_eq(below.n_switches, 1, "a gap of 0.2 above the threshold: one switch, got %llu",
                 (unsigned long long)below.n_switches);
    cr_assert_eq(below.type_held_s[0], 10.0 * DAY, "moved at the check of day 10, held %.17g s",
                 below.type_held_s[0]);
    cr_assert_gt(below.type_held_s[1], 0.0);
    cr_assert_eq(above.n_switches, 0, "a gap of 0.2 below the threshold: no switch");
    cr_assert_eq(above.type_held_s[1], 0.0);
    /* From day 10 on the H200 costs 2 and the H100 2.5 an hour. */
    double accels = 16.0, h1 = below.type_held_s[0] / 3600.0, h2 = below.type_held_s[1] / 3600.0;
    cr_assert_float_eq(below.type_hourly_usd[0], accels * 2.0 * h1, 1e-9 * accels * h1);
    cr_assert_float_eq(below.type_hourly_usd[1], accels * 2.0 * h2, 1e-9 * accels * h2);
}

Test(switch_types, choose_takes_the_cheapest_or_the_first)
{
    static dcs_scenario sc;
    static const char *const cheap[] = {"market.types[1].reference_price_usd_per_hour=1.8",
                                        "job.choose=cheapest"};
    dcs_run_result r;
    load(stepped, cheap, 2, &sc);
    run(&sc, 1, &r);
    cr_assert_eq(r.type_start, 1, "cheapest: the H200 at 1.8 against 2");
    cr_assert_eq(r.type_held_s[0], 0.0);
    load(stepped, cheap, 1, &sc);
    run(&sc, 1, &r);
    cr_assert_eq(r.type_start, 0, "preference: the first");
    cr_assert_eq(r.type_held_s[1], 0.0);
}

Test(switch_types, the_type_columns_add_up)
{
    static dcs_scenario sc;
    static const char *const sets[] = {"job.choose=cheapest",       "job.switch.policy=price_gap",
                                       "job.switch.threshold=0.05", "market.acquisition_time=3d",
                                       "checkpoint.policy=fixed",   "checkpoint.interval=1d"};
    load(noisy, sets, 6, &sc);
    static dcs_run_result r[20];
    run(&sc, 20, r);
    int moved = 0;
    for (int i = 0; i < 20; i++) {
        double held = r[i].makespan_s - r[i].acquisition_wait_s;
        double hsum = r[i].type_held_s[0] + r[i].type_held_s[1];
        double usum = r[i].type_hourly_usd[0] + r[i].type_hourly_usd[1];
        cr_assert_float_eq(hsum, held, 1e-9 * held, "replication %d: hours", i);
        cr_assert_float_eq(usum, r[i].ledger.compute, 1e-9 * r[i].ledger.compute,
                           "replication %d: cost", i);
        moved += r[i].n_switches > 0;
    }
    cr_assert_geq(moved, 5, "too few switches (%d of 20) for the sums to say anything", moved);
}

Test(switch_types, one_type_gives_the_single_type_replications)
{
    static const char plain[] =
        "name: one\n"
        "cluster: {accelerator: H100-SXM-80GB, nodes: 2}\n"
        "job: {flops: 3e22, mfu: 0.4}\n"
        "checkpoint: {policy: fixed, interval: 1d, size: 100GB, write_bandwidth: 10GB/s}\n"
        "failures:\n"
        "  - {name: gpu, scope: accelerator, mtbf: 5000h, repair_time: 1d}\n"
        "market: {elasticity: 0.6, demand_noise_sd: 0.3, demand_noise_timescale: 20d,\n"
        "         acquisition_time: 2d, lead_time: 10w}\n";
    static const char listed[] =
        "name: one\n"
        "cluster: {accelerator: H100-SXM-80GB, nodes: 2}\n"
        "job: {flops: 3e22, accelerators: [{type: H100-SXM-80GB, mfu: 0.4}],\n"
        "      choose: cheapest, switch: {policy: price_gap}}\n"
        "checkpoint: {policy: fixed, interval: 1d, size: 100GB, write_bandwidth: 10GB/s}\n"
        "failures:\n"
        "  - {name: gpu, scope: accelerator, mtbf: 5000h, repair_time: 1d}\n"
        "market: {elasticity: 0.6, demand_noise_sd: 0.3, demand_noise_timescale: 20d,\n"
        "         acquisition_time: 2d, lead_time: 10w}\n";
    static dcs_scenario a, b;
    load(plain, NULL, 0, &a);
    load(listed, NULL, 0, &b);
    static dcs_run_result ra[10], rb[10];
    memset(ra, 0, sizeof ra);
    memset(rb, 0, sizeof rb);
    run(&a, 10, ra);
    run(&b, 10, rb);
    int waited = 0;
    for (int i = 0; i < 10; i++) {
        cr_assert_eq(memcmp(&ra[i], &rb[i], sizeof ra[i]), 0, "replication %d differs", i);
        waited += ra[i].acquisition_wait_s > 0.0;
    }
    cr_assert_geq(waited, 1, "no replication waited for the market: the test shows little");
}

/* Failures strike during the saves, waits and restarts of switches too
 * (a node every ~2 days, a job-wide restart every ~3): the time categories
 * still add up to the hours held, every checkpoint begun completes or is
 * lost, and the per-type hours add up (identities, per replication). */
Test(switch_types, switching_through_failures_keeps_the_accounts)
{
    static dcs_scenario sc;
    static const char *const sets[] = {"job.choose=cheapest",
                                       "job.switch.policy=price_gap",
                                       "job.switch.threshold=0.02",
                                       "job.switch.check_every=6h",
                                       "market.acquisition_time=1d",
                                       "checkpoint.policy=fixed",
                                       "checkpoint.interval=12h",
                                       "checkpoint.size=10TB",
                                       "checkpoint.write_bandwidth=10GB/s",
                                       "restart.overhead=30min",
                                       "cluster.spare_nodes=1"};
    static const char text[] =
        FREE_HEAD "failures:\n"
                  "  - {name: host, scope: node, mtbf: 4d, repair_time: 1d}\n"
                  "  - {name: sw, scope: job, mtbf: 3d}\n"
                  "market:\n"
                  "  elasticity: 0.6\n"
                  "  demand_noise_sd: 0.3\n"
                  "  demand_noise_timescale: 5d\n"
                  "  lead_time: 10w\n"
                  "  types:\n"
                  "    - {accelerator: H100-SXM-80GB, "
                  "reference_price_usd_per_hour: 2.35}\n"
                  "    - {accelerator: H200-SXM-141GB, "
                  "reference_price_usd_per_hour: 2.6}\n";
    load(text, sets, sizeof sets / sizeof sets[0], &sc);
    enum { N = 40 };
    static dcs_run_result r[N];
    run(&sc, N, r);
    uint64_t switches = 0, lost = 0;
    for (int i = 0; i < N; i++) {
        double held = r[i].makespan_s - r[i].acquisition_wait_s, cats = 0.0;
        for (int k = 0; k < DCS_ACC_NCAT; k++)
            cats += r[i].cat_s[k];
        cr_assert_float_eq(cats, held, 1e-9 * held, "replication %d: categories %.17g, held %.17g",
                           i, cats, held);
        cr_assert_float_eq(r[i].type_held_s[0] + r[i].type_held_s[1], held, 1e-9 * held,
                           "replication %d: per-type hours", i);
        cr_assert(r[i].completed, "replication %d did not finish", i);
        switches += r[i].n_switches;
        lost += r[i].n_ckpt_lost;
    }
    cr_assert_geq(switches, 2 * N, "only %llu switches in %d replications",
                  (unsigned long long)switches, N);
    cr_assert_gt(lost, 0, "no checkpoint was cut short: the failures never met a save");
}

/* Procurement keeps its meaning on the type chosen: a reservation is signed
 * at the chosen type's price at the start (the H200 at 1.8), for every
 * accelerator held, over its term. */
Test(switch_types, a_reservation_is_signed_on_the_type_chosen)
{
    static dcs_scenario sc;
    static const char *const sets[] = {"market.types[1].reference_price_usd_per_hour=1.8",
                                       "job.choose=cheapest", "procurement.mode=reserved"};
    load(stepped, sets, 3, &sc);
    dcs_run_result r;
    run(&sc, 1, &r);
    cr_assert_eq(r.type_start, 1);
    cr_assert_eq(r.type_held_s[0], 0.0);
    cr_assert_eq(r.price_start_usd, 1.8);
    double want = 16.0 * (1.0 - sc.procurement.discount) * 1.8 * sc.procurement.term_s / 3600.0;
    cr_assert_float_eq(r.ledger.reserved, want, 1e-12 * want, "reserved %.17g, want %.17g",
                       r.ledger.reserved, want);
}
