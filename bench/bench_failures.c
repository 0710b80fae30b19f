/*
 * bench_failures.c - cost of per-unit failure clocks at scale.
 *
 * A synchronous job on N accelerators (8 per node), each with its own
 * Weibull lifetime (shape 0.7, 50,000 h mean: the per-GPU figure of shared
 * refs 1.1), node swaps from a spare pool, Daly checkpoints. For N = 16,384
 * and 131,072 it reports the median over runs of the time per replication,
 * events per replication and nanoseconds per event. With a binary heap the
 * cost of an event grows with log2 of the pending clocks, so going from
 * 16,384 to 131,072 clocks should cost about log2(131072) / log2(16384) =
 * 17/14 = 1.21x per event, not 8x; the benchmark prints that ratio and
 * PASS when it stays below 2 (room for cache effects, far from linear).
 *
 *   bench_failures [--quick]
 */
#include "world.h"

#include "progress.h"

#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOUR 3600.0
#define RUNS 5

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static dcs_scenario scenario(int64_t accels)
{
    dcs_scenario sc;
    memset(&sc, 0, sizeof sc);
    snprintf(sc.name, sizeof sc.name, "bench");
    snprintf(sc.cluster.accel.key, sizeof sc.cluster.accel.key, "H100-SXM-80GB");
    sc.cluster.accel.peak_flops = 989e12;
    sc.cluster.nodes = accels / 8;
    sc.cluster.accels_per_node = 8;
    sc.cluster.spare_nodes = accels / 8 / 50;
    sc.cluster.swap_s = 600.0;
    sc.cluster.price_usd_per_accel_h = 2.99;
    sc.procurement.energy_included = true; /* rented on demand */
    sc.job.mfu = 0.4;
    /* Ten days of failure-free compute whatever the size. */
    sc.job.flops = 10.0 * 24.0 * HOUR * (double)accels * 989e12 * 0.4;
    sc.checkpoint.policy = DCS_CKPT_DALY;
    sc.checkpoint.write_overhead_s = 60.0;
    sc.checkpoint.final = true;
    sc.restart.overhead_s = 300.0;
    sc.sim.max_time_s = 1e9;
    dcs_failure_cfg *f = &sc.failures[sc.nfailures++];
    snprintf(f->name, sizeof f->name, "gpu");
    f->scope = DCS_SCOPE_ACCELERATOR;
    f->action = DCS_ACTION_SWAP;
    f->ttf = (dcs_dist){DCS_DIST_WEIBULL, 50000.0 * HOUR, 0.7};
    f->detect_s = 120.0;
    f->repair = (dcs_dist){DCS_DIST_LOGNORMAL, 48.0 * HOUR, 1.0};
    return sc;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    const int64_t sizes[2] = {16384, 131072};
    double ns_per_event[2];
    printf("per-unit Weibull failure clocks (k = 0.7), one synchronous job, median of %d\n", RUNS);
    printf("%10s %8s %14s %14s %14s\n", "clocks", "reps", "ms/rep", "events/rep", "ns/event");
    for (int s = 0; s < 2; s++) {
        dcs_scenario sc = scenario(sizes[s]);
        dcs_err err;
        dcs_err_clear(&err);
        dcs_world *w = dcs_world_create(&sc, &err);
        dcs_engine *eng = w ? dcs_world_engine_create(w, &err) : NULL;
        if (eng == NULL) {
            fprintf(stderr, "bench_failures: %s\n", err.msg);
            return 1;
        }
        int reps = quick ? 2 : (s == 0 ? 40 : 8);
        double per_rep[RUNS], per_ev[RUNS], events = 0.0;
        for (int run = 0; run < RUNS; run++) {
            uint64_t nev = 0;
            double t0 = dcs_progress_clock();
            for (int r = 0; r < reps; r++) {
                dcs_run_result res;
                if (dcs_world_run(w, eng, 1, (uint64_t)(run * reps + r), &res, &err) != 0) {
                    fprintf(stderr, "bench_failures: %s\n", err.msg);
                    return 1;
                }
                nev += res.events;
            }
            double dt = dcs_progress_clock() - t0;
            per_rep[run] = dt / reps;
            per_ev[run] = dt / (double)nev;
            events = (double)nev / reps;
        }
        qsort(per_rep, RUNS, sizeof *per_rep, cmp_double);
        qsort(per_ev, RUNS, sizeof *per_ev, cmp_double);
        ns_per_event[s] = per_ev[RUNS / 2] * 1e9;
        printf("%10lld %8d %14.2f %14.0f %14.1f\n", (long long)sizes[s], reps,
               per_rep[RUNS / 2] * 1e3, events, ns_per_event[s]);
        dcs_engine_destroy(eng);
        dcs_world_destroy(w);
    }
    double ratio = ns_per_event[1] / ns_per_event[0];
    printf("cost per event, 131,072 / 16,384 clocks: %.2fx (log2 ratio 1.21x, linear 8x)\n", ratio);
    printf("%s: cost per event stays logarithmic (ratio < 2)\n", ratio < 2.0 ? "PASS" : "FAIL");
    return ratio < 2.0 ? 0 : 1;
}
