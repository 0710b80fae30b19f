/*
 * reps.h - run replications of a scenario in-process, single-threaded, and
 * collect their results; for model and statistical tests.
 */
#ifndef DCSIM_TESTS_REPS_H
#define DCSIM_TESTS_REPS_H

#include "world.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

/* Runs replications [0, n) with seed; returns a malloc'd array of n results. */
static inline dcs_run_result *reps_run(const dcs_scenario *sc, uint64_t seed, size_t n)
{
    dcs_err err;
    dcs_err_clear(&err);
    dcs_world *w = dcs_world_create(sc, &err);
    cr_assert_not_null(w, "world: %s", err.msg);
    dcs_engine *eng = dcs_world_engine_create(w, &err);
    cr_assert_not_null(eng, "engine: %s", err.msg);
    dcs_run_result *r = calloc(n, sizeof *r);
    cr_assert_not_null(r);
    for (size_t i = 0; i < n; i++) {
        int rc = dcs_world_run(w, eng, seed, i, &r[i], &err);
        cr_assert_eq(rc, 0, "replication %zu: %s", i, err.msg);
    }
    dcs_engine_destroy(eng);
    dcs_world_destroy(w);
    return r;
}

/* Mean and standard error of the makespans, s. */
static inline void reps_makespan(const dcs_run_result *r, size_t n, double *mean, double *se)
{
    double m = 0.0, q = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = r[i].makespan_s - m;
        m += d / (double)(i + 1);
        q += d * (r[i].makespan_s - m);
    }
    *mean = m;
    *se = sqrt(q / (double)(n - 1) / (double)n);
}

#endif /* DCSIM_TESTS_REPS_H */
