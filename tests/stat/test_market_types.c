/*
 * test_market_types.c - several linked accelerator markets (market.types):
 * with no substitution each type's price path is, bit for bit, its path in
 * a scenario with that type alone; a supply shock on one type raises
 * another's price when demand can move and not when it cannot; a shock on
 * every type raises every price; the linked prices at the start are the
 * ones the equations of market.h give, computed here by hand; and the
 * demand a type sends is the demand the others receive (a property test
 * over random markets with a fixed seed). All checks are identities or
 * exact comparisons: nothing here is Monte Carlo.
 */
#include "load.h"
#include "market.h"
#include "rng.h"
#include "streams.h"
#include "world.h"

#include <criterion/criterion.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

TestSuite(market_types, .timeout = 900);

#define DAY 86400.0

/* A 16-H100 job of about 110 days (50 on B200s) (989e12 x 16 x 0.4 FLOP/s), no failures,
 * and the market given from line 8 on. */
#define SCEN(cluster, market)                                                                      \
    "name: t\ncluster: {accelerator: " cluster ", nodes: 2}\n"                                     \
    "job: {flops: 6e22, mfu: 0.4}\ncheckpoint: {policy: none}\n"                                   \
    "simulation: {replications: 3}\n"                                                              \
    "market:\n" market

/* The market keys of the two types: noise, random lead times, growth,
 * a supply response and a capacity, so that every stream is drawn. */
#define H100_KEYS                                                                                  \
    "reference_price_usd_per_hour: 2.35, elasticity: 0.6, lead_time: 20w, lead_time_sd: 4w, "      \
    "demand_growth: 0.5, demand_noise_sd: 0.2, demand_noise_timescale: 20d, "                      \
    "supply_response: 1, manufacturing_capacity: 1.2, initial_balance: 0.9"
#define B200_KEYS                                                                                  \
    "reference_price_usd_per_hour: 3.2, elasticity: 0.4, lead_time: 30w, lead_time_sd: 6w, "       \
    "demand_growth: 0.8, demand_noise_sd: 0.3, supply_response: 0.5, "                             \
    "manufacturing_capacity: 0.8"

static void load(const char *text, dcs_scenario *sc)
{
    dcs_err err;
    char buf[768];
    int rc = dcs_scenario_load_string(text, "t.yaml", NULL, 0, sc, NULL, &err);
    cr_assert_eq(rc, 0, "%s", dcs_err_format(&err, buf, sizeof buf));
}

/* The engine kind number of market_price. */
static uint16_t price_kind(void)
{
    for (size_t k = 0; k < dcs_world_nkinds(); k++) {
        const char *name, *doc;
        dcs_world_kind(k, &name, &doc);
        if (name != NULL && strcmp(name, "market_price") == 0)
            return (uint16_t)k;
    }
    cr_assert_fail("no market_price kind");
    return 0;
}

/* The price path of type `unit` in replication rep of sc (seed 11): its
 * market_price records, into path (room for cap); returns their number. */
static size_t price_path(const dcs_scenario *sc, uint64_t rep, uint32_t unit, double *path,
                         size_t cap)
{
    dcs_err err;
    dcs_world *w = dcs_world_create(sc, &err);
    cr_assert_not_null(w, "%s", err.msg);
    dcs_engine *eng = dcs_world_engine_create(w, &err);
    cr_assert_not_null(eng, "%s", err.msg);
    dcs_trace *tr = dcs_trace_create(dcs_world_sample_ncols(w), &err);
    cr_assert_not_null(tr);
    dcs_run_result r;
    cr_assert_eq(dcs_world_run_traced(w, eng, 11, rep, tr, &r, &err), 0, "%s", err.msg);
    uint16_t kind = price_kind();
    size_t n = 0;
    for (size_t k = 0; k < tr->nevents && n < cap; k++)
        if (tr->events[k].kind == kind && tr->events[k].unit == unit)
            path[n++] = tr->events[k].value;
    dcs_trace_destroy(tr);
    dcs_engine_destroy(eng);
    dcs_world_destroy(w);
    return n;
}

enum { CAP = 4096 };

/* Holds the first n of two paths equal bit for bit (and not flat, so that
 * equality says something); returns how many were compared. */
static size_t same_path(const double *a, size_t na, const double *b, size_t nb, const char *what)
{
    size_t n = na < nb ? na : nb;
    cr_assert_geq(n, 30, "%s: only %zu market steps", what, n);
    double lo = a[0], hi = a[0];
    for (size_t k = 0; k < n; k++) {
        cr_assert(memcmp(&a[k], &b[k], sizeof a[k]) == 0, "%s: step %zu: %.17g != %.17g", what, k,
                  a[k], b[k]);
        lo = fmin(lo, a[k]);
        hi = fmax(hi, a[k]);
    }
    cr_assert_gt(hi, lo * 1.01, "%s: the path is flat; the comparison shows nothing", what);
    return n;
}

Test(market_types, without_substitution_each_type_follows_its_single_market)
{
    static dcs_scenario two, a, b, linked;
    load(SCEN("H100-SXM-80GB", "  types:\n"
                               "    - {accelerator: H100-SXM-80GB, " H100_KEYS "}\n"
                               "    - {accelerator: B200, " B200_KEYS "}\n"
                               "  shocks:\n"
                               "    - {target: supply, factor: 0.6, start: 20d, types: [B200]}\n"),
         &two);
    load(SCEN("H100-SXM-80GB", "  types:\n"
                               "    - {accelerator: H100-SXM-80GB, " H100_KEYS "}\n"),
         &a);
    load(SCEN("B200", "  types:\n"
                      "    - {accelerator: B200, " B200_KEYS "}\n"
                      "  shocks:\n"
                      "    - {target: supply, factor: 0.6, start: 20d}\n"),
         &b);
    load(SCEN("H100-SXM-80GB", "  substitution: {elasticity: 0.8, timescale: 10d}\n"
                               "  types:\n"
                               "    - {accelerator: H100-SXM-80GB, " H100_KEYS "}\n"
                               "    - {accelerator: B200, " B200_KEYS "}\n"
                               "  shocks:\n"
                               "    - {target: supply, factor: 0.6, start: 20d, types: [B200]}\n"),
         &linked);
    double *p2 = malloc(CAP * sizeof *p2), *p1 = malloc(CAP * sizeof *p1);
    cr_assert(p2 != NULL && p1 != NULL);
    for (uint64_t rep = 0; rep < 3; rep++) {
        size_t n2 = price_path(&two, rep, 0, p2, CAP), n1 = price_path(&a, rep, 0, p1, CAP);
        same_path(p2, n2, p1, n1, "H100 beside B200 against H100 alone");
        n2 = price_path(&two, rep, 1, p2, CAP);
        n1 = price_path(&b, rep, 0, p1, CAP);
        same_path(p2, n2, p1, n1, "B200 beside H100 against B200 alone");
        /* Linked, the same streams give another H100 path: the link is
         * what the equality above switched off. */
        n2 = price_path(&linked, rep, 0, p2, CAP);
        n1 = price_path(&a, rep, 0, p1, CAP);
        size_t differ = 0;
        for (size_t k = 0; k < n1 && k < n2; k++)
            differ += p1[k] != p2[k];
        cr_assert_gt(differ, 10, "replication %llu: linking changed %zu steps only",
                     (unsigned long long)rep, differ);
    }
    free(p1);
    free(p2);
}

/* ---- noise-free markets, stepped directly -------------------------------------------------- */

/* Three types, no noise, fixed lead times: no random draw at all. */
#define CALM(eta, shock)                                                                           \
    SCEN("H100-SXM-80GB",                                                                          \
         "  elasticity: 0.5\n  lead_time: 12w\n  supply_response: 1\n"                             \
         "  manufacturing_capacity: 1.5\n  demand_growth: 0.3\n"                                   \
         "  substitution: {elasticity: " eta "}\n"                                                 \
         "  types:\n"                                                                              \
         "    - {accelerator: H100-SXM-80GB, mfu: 0.4, demand_units: 3e6}\n"                       \
         "    - {accelerator: H200-SXM-141GB, mfu: 0.42, demand_units: 1e6, "                      \
         "reference_price_usd_per_hour: 3.5}\n"                                                    \
         "    - {accelerator: A100-SXM-80GB, mfu: 0.5, demand_units: 2e6}\n" shock)

/* The price of every type after `days` days. */
static void prices_after(const char *text, int days, double *out)
{
    static dcs_scenario sc;
    load(text, &sc);
    dcs_market_links p;
    dcs_err err;
    cr_assert_eq(dcs_market_links_init(&p, &sc, &err), 0, "%s", err.msg);
    gsl_rng *r[DCS_MAX_MARKET_TYPES];
    for (int i = 0; i < p.n; i++) {
        r[i] = dcs_rng_create(&err);
        cr_assert_not_null(r[i]);
        dcs_rng_key(r[i], 1, 0, p.s_noise[i]);
    }
    dcs_market_set s;
    memset(&s, 0, sizeof s);
    cr_assert_eq(dcs_market_set_start(&s, &p, r, &err), 0);
    for (int k = 0; k < days; k++)
        dcs_market_set_step(&s, r, r, r);
    for (int i = 0; i < p.n; i++) {
        out[i] = s.m[i].now.price;
        gsl_rng_free(r[i]);
    }
    dcs_market_set_free(&s);
}

#define ON_H100                                                                                    \
    "  shocks:\n    - {target: supply, factor: 0.5, start: 10d, types: [H100-SXM-80GB]}\n"
#define ON_ALL "  shocks:\n    - {target: manufacturing, factor: 0, start: 0d}\n"

Test(market_types, a_supply_shock_on_one_type_raises_the_others_only_when_demand_moves)
{
    double calm[3], hit[3];
    /* Not linked: the H100 shock leaves the others' prices as they were,
     * to the last bit. */
    prices_after(CALM("0", ""), 60, calm);
    prices_after(CALM("0", ON_H100), 60, hit);
    cr_assert_gt(hit[0], calm[0] * 1.2, "the H100 price rises: %g -> %g", calm[0], hit[0]);
    for (int i = 1; i < 3; i++)
        cr_assert(memcmp(&hit[i], &calm[i], sizeof hit[i]) == 0,
                  "type %d moved without substitution: %.17g -> %.17g", i, calm[i], hit[i]);
    /* Linked: H100 buyers move to the H200 and the A100, whose prices rise. */
    prices_after(CALM("0.7", ""), 60, calm);
    prices_after(CALM("0.7", ON_H100), 60, hit);
    cr_assert_gt(hit[0], calm[0] * 1.1, "the H100 price rises: %g -> %g", calm[0], hit[0]);
    for (int i = 1; i < 3; i++)
        cr_assert_gt(hit[i], calm[i] * 1.005, "type %d: %.6g -> %.6g", i, calm[i], hit[i]);
}

Test(market_types, a_shock_on_every_type_raises_every_price)
{
    double calm[3], hit[3];
    prices_after(CALM("0.7", ""), 120, calm);
    prices_after(CALM("0.7", ON_ALL), 120, hit);
    for (int i = 0; i < 3; i++)
        cr_assert_gt(hit[i], calm[i] * 1.01, "type %d: %.6g -> %.6g", i, calm[i], hit[i]);
}

/* At the start, with supply short for the H100 only: the prices the
 * equations give, by hand. Own prices P_i = P_ref_i (1 / b_i)^(1 / e_i);
 * z_i = ln(P_i / P_ref_i); the dearer type sends (1 - e^(-eta dz)) / (n -
 * 1) of its demand, which the other receives as effective FLOP/s; the
 * prices are then P_ref_i (D_i^eff / b_i)^(1 / e_i). */
Test(market_types, the_linked_prices_at_the_start_are_the_equations)
{
    static dcs_scenario sc;
    load(SCEN("H100-SXM-80GB", "  lead_time: 12w\n  substitution: {elasticity: 0.9}\n"
                               "  types:\n"
                               "    - {accelerator: H100-SXM-80GB, mfu: 0.4, demand_units: 3e6, "
                               "elasticity: 0.5, initial_balance: 0.8}\n"
                               "    - {accelerator: A100-SXM-80GB, mfu: 0.5, demand_units: 2e6, "
                               "elasticity: 0.7, reference_price_usd_per_hour: 1.2}\n"),
         &sc);
    dcs_market_links p;
    dcs_err err;
    cr_assert_eq(dcs_market_links_init(&p, &sc, &err), 0, "%s", err.msg);
    gsl_rng *r[2] = {dcs_rng_create(&err), dcs_rng_create(&err)};
    dcs_market_set s;
    memset(&s, 0, sizeof s);
    cr_assert_eq(dcs_market_set_start(&s, &p, r, &err), 0);
    double ref[2] = {sc.cluster.price_usd_per_accel_h, 1.2}, e[2] = {0.5, 0.7}, b[2] = {0.8, 1.0};
    double fm[2] = {989e12 * 0.4, 312e12 * 0.5}, n[2] = {3e6, 2e6}, z[2], d[2] = {1.0, 1.0};
    for (int i = 0; i < 2; i++)
        z[i] = log(pow(1.0 / b[i], 1.0 / e[i]));
    int hi = z[0] > z[1] ? 0 : 1, lo = 1 - hi;
    double moved = 1.0 - exp(-0.9 * (z[hi] - z[lo])); /* n - 1 = 1 */
    d[hi] -= moved;
    d[lo] += moved * n[hi] * fm[hi] / (n[lo] * fm[lo]);
    for (int i = 0; i < 2; i++) {
        double want = ref[i] * pow(d[i] / b[i], 1.0 / e[i]);
        cr_assert_lt(fabs(s.m[i].now.price - want), 1e-12 * want, "type %d: %.17g, want %.17g", i,
                     s.m[i].now.price, want);
        cr_assert_lt(fabs(s.m[i].now.demand - d[i]), 1e-12, "type %d: demand %.17g, want %.17g", i,
                     s.m[i].now.demand, d[i]);
    }
    cr_assert_gt(moved, 0.01, "the example moves demand");
    dcs_market_set_free(&s);
    gsl_rng_free(r[0]);
    gsl_rng_free(r[1]);
}

/* Random markets (fixed seed): the effective FLOP/s of demand a type sends
 * is what the others receive, to rounding (1e-12 of the total); demand
 * stays positive; only types dearer than another send and only types
 * cheaper than another receive; eta = 0 moves nothing, exactly. */
Test(market_types, demand_moved_is_demand_received)
{
    dcs_err err;
    gsl_rng *r = dcs_rng_create(&err);
    cr_assert_not_null(r);
    dcs_rng_key(r, 2026, 0, 0);
    for (int t = 0; t < 20000; t++) {
        int n = 2 + (int)gsl_rng_uniform_int(r, DCS_MAX_MARKET_TYPES - 1);
        double d[DCS_MAX_MARKET_TYPES], z[DCS_MAX_MARKET_TYPES], nfm[DCS_MAX_MARKET_TYPES];
        double out[DCS_MAX_MARKET_TYPES];
        double eta = t % 10 == 0 ? 0.0 : 5.0 * gsl_rng_uniform(r);
        double before = 0.0, after = 0.0;
        for (int i = 0; i < n; i++) {
            d[i] = exp(4.0 * gsl_rng_uniform(r) - 2.0);
            z[i] = 6.0 * gsl_rng_uniform(r) - 3.0;
            if (i > 0 && gsl_rng_uniform(r) < 0.1)
                z[i] = z[i - 1]; /* ties move nothing */
            nfm[i] = 1e15 * exp(8.0 * gsl_rng_uniform(r) - 4.0);
            before += nfm[i] * d[i];
        }
        dcs_market_flows(n, d, z, nfm, eta, out);
        double zmin = z[0], zmax = z[0];
        for (int i = 0; i < n; i++) {
            zmin = fmin(zmin, z[i]);
            zmax = fmax(zmax, z[i]);
        }
        for (int i = 0; i < n; i++) {
            after += nfm[i] * out[i];
            cr_assert_gt(out[i], 0.0, "case %d: type %d's demand %.17g", t, i, out[i]);
            if (eta == 0.0)
                cr_assert(out[i] == d[i], "case %d: eta 0 moved type %d's demand", t, i);
            if (z[i] == zmin)
                cr_assert_geq(out[i], d[i], "case %d: the cheapest type %d lost demand", t, i);
            if (z[i] == zmax)
                cr_assert_leq(out[i], d[i], "case %d: the dearest type %d gained demand", t, i);
        }
        cr_assert_lt(fabs(after - before), 1e-12 * before, "case %d: sent %.17g != received %.17g",
                     t, before, after);
    }
    gsl_rng_free(r);
}
