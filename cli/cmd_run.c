/*
 * cmd_run.c - `dcsim run`: scenario in, HDF5 file and cost report out.
 *
 * Order matters for "no partial output": the arguments, the scenario and
 * the derived model are all checked before the output file is created, so
 * bad input (exit 2) writes nothing. The file is written under a temporary
 * name and renamed when complete. SIGINT and SIGTERM raise a flag that the
 * runner and the engines poll: replications already finished are kept, the
 * statistics cover them, the file is marked complete = 0 and still
 * renamed into place, and the exit status is 1.
 *
 * -n and --seed are applied as overrides of simulation.replications and
 * simulation.seed, so the resolved scenario stored in the file is exactly
 * what ran and the file alone reproduces the run. The options, the root
 * attributes, the signal flag and the closing messages are shared with
 * `dcsim sweep` (common.c); a run is a study of one point (study.h).
 */
#include "cmd.h"

#include "correlation.h"
#include "drawcheck.h"
#include "h5out.h"
#include "ledger.h"
#include "load.h"
#include "progress.h"
#include "ranks.h"
#include "sensitivity.h"
#include "stats.h"
#include "study.h"
#include "world.h"

#include <limits.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* What makes the world of one replication with uncertain inputs: the
 * scenario parsed once, loaded again with the draws. */
typedef struct rep_maker {
    dcs_scenario_base *base;
    dcs_corr_cache *caches; /* one per OpenMP thread number below ncaches */
    int ncaches;
    double step_s; /* time-series step of traced replications; 0: none */
} rep_maker;

/* Loads the scenario with replication rep's draws, or its nominal values
 * (drawcheck.h). */
static int load_rep(void *ctx, size_t p, bool draw, uint64_t seed, uint64_t rep,
                    struct dcs_corr_cache *cache, dcs_scenario *out, dcs_err *err)
{
    (void)p;
    const rep_maker *m = ctx;
    return dcs_scenario_base_load(m->base, draw, seed, rep, cache, out, err);
}

static dcs_world *make_rep_world(void *ctx, size_t p, uint64_t seed, uint64_t rep,
                                 const dcs_world *pw, dcs_err *err)
{
    (void)pw;
    dcs_scenario *sc = malloc(sizeof *sc);
    if (sc == NULL) {
        dcs_err_set(err, DCS_ENOMEM, "out of memory for the scenario of replication %llu",
                    (unsigned long long)rep);
        return NULL;
    }
    dcs_world *w = NULL;
    const rep_maker *m = ctx;
    int t = omp_get_thread_num();
    if (load_rep(ctx, p, true, seed, rep, t < m->ncaches ? &m->caches[t] : NULL, sc, err) == 0)
        w = dcs_world_create(sc, err);
    free(sc);
    if (w != NULL && m->step_s > 0.0 && dcs_world_set_sampling(w, m->step_s, err) != 0) {
        dcs_world_destroy(w);
        w = NULL;
    }
    return w;
}

/* m's base (the scenario file's text, in *text, with o's --set) and a cache
 * for each thread that may make a replication's world. */
static int make_base(const dcs_cmd_opts *o, char **text, rep_maker *m, dcs_err *err)
{
    if ((m->base = dcs_cmd_scenario_base(o->input, o->sets, o->nsets, text, err)) == NULL)
        return err->code;
    int n = omp_get_max_threads();
    n = (int)o->nthreads > n ? (int)o->nthreads : n;
    if ((m->caches = malloc((size_t)n * sizeof *m->caches)) == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory for the correlation caches");
    for (int i = 0; i < n; i++)
        dcs_corr_cache_init(&m->caches[i]);
    m->ncaches = n;
    return 0;
}

int dcs_cmd_run(int argc, char **argv)
{
    dcs_cmd_opts o;
    int status = dcs_cmd_parse_opts(argc, argv, 0, &o);
    if (status >= 0)
        return status;
    if ((status = dcs_cmd_check_ranks(&o)) >= 0)
        return status;

    dcs_err err;
    dcs_err_clear(&err);
    dcs_scenario *sc = malloc(sizeof *sc); /* ~170 KB: not on the stack */
    char *resolved = NULL;
    dcs_world *world = NULL;
    dcs_h5file *f = NULL;
    dcs_study *study = NULL;
    char *scenario_text = NULL; /* the file's text, when a replication loads it again */
    rep_maker rm = {NULL, NULL, 0, 0.0};
    if (sc == NULL) {
        dcs_err_set(&err, DCS_ENOMEM, "out of memory loading %s", o.input);
        goto fail;
    }
    /* The world comes from the loader's runnable check, made once. */
    int rc = dcs_cmd_load_scenario_world(o.input, o.sets, o.nsets, sc, &resolved, &world, &err);
    if (rc != 0)
        goto fail;
    /* Every replication's draws pass the loader's checks before anything runs. */
    if (sc->nuncertain > 0 &&
        (make_base(&o, &scenario_text, &rm, &err) != 0 ||
         dcs_drawcheck(load_rep, &rm, 0, sc, sc->sim.seed, (uint64_t)sc->sim.replications,
                       (int)o.nthreads, &err) != 0))
        goto fail;
    dcs_cmd_warn_memory(stderr, o.input, sc);
    if (world == NULL)
        world = dcs_world_create(sc, &err);
    if (world == NULL) {
        if (err.where[0] == '\0')
            snprintf(err.where, sizeof err.where, "%s", o.input);
        if (err.code == 0)
            err.code = DCS_EINPUT;
        goto fail;
    }
    int64_t trace_k;
    double step_s;
    if (dcs_cmd_tracing(world, &o, sc->sim.replications, &trace_k, &step_s, &err) != 0 ||
        dcs_cmd_fit_memory(&o, world, 0.0, 1, trace_k, step_s, stderr, &err) != 0)
        goto fail;
    char default_out[PATH_MAX];
    const char *out_path = o.out_path;
    if (out_path == NULL) {
        dcs_cmd_output_for(o.input, sc->name, default_out, sizeof default_out);
        dcs_cmd_part_output(&o, default_out, sizeof default_out);
        out_path = default_out;
    }
    const dcs_cmd_input inputs[] = {{o.input, "the scenario"},
                                    {sc->weather.csv, "weather.csv"},
                                    {sc->carbon.csv, "carbon.csv"}};
    if (dcs_cmd_check_output(out_path, inputs, sizeof inputs / sizeof inputs[0], o.force, &err) !=
        0)
        goto fail;
    rm.step_s = step_s;
    dcs_study_opts so = {.seed = sc->sim.seed,
                         .nthreads = (int)o.nthreads,
                         .trace_k = trace_k,
                         .interrupt = &dcs_cmd_interrupted,
                         .shard_i = (uint64_t)o.shard_i,
                         .shard_k = (uint64_t)o.shard_k};
    so.rows = dcs_study_shard_items(&so, (uint64_t)sc->sim.replications);
    dcs_ranks_part();
    if (dcs_ranks_rank() != 0) {
        /* A rank that computes for rank 0, which writes. */
        study = dcs_study_create(NULL, world, 1, NULL, NULL, &so, &err);
        if (study != NULL)
            dcs_study_set_rep_maker(study, make_rep_world, &rm);
        status = study != NULL ? dcs_cmd_follow(study) : dcs_cmd_exit_status(err.code);
        goto out;
    }
    if (!o.quiet) {
        fprintf(stderr, "%s: %lld replications on %s; ", sc->name, (long long)sc->sim.replications,
                dcs_cmd_threads_text(&o));
        dcs_cmd_describe(stderr, world);
        fputc('\n', stderr);
    }

    /* The handlers are in place before the temporary file exists: a
     * signal from then on is an interrupt, not the end of the process. */
    dcs_cmd_catch_signals();
    f = dcs_cmd_create_output(out_path, &err);
    if (f == NULL)
        goto fail;
    study = dcs_study_create(f, world, 1, NULL, NULL, &so, &err);
    if (study == NULL)
        goto fail;
    dcs_study_set_rep_maker(study, make_rep_world, &rm);

    const uint64_t planned = so.rows;
    dcs_progress progress;
    dcs_progress_init(&progress, stderr, !o.quiet && isatty(STDERR_FILENO), planned,
                      "replications");
    const size_t point0 = 0;
    uint64_t done = 0;
    rc = dcs_study_run(study, &point0, 1, 0, (uint64_t)sc->sim.replications, 1, &progress, &done,
                       &err);
    dcs_progress_finish(&progress);
    if (rc != 0 && rc != DCS_EINTR)
        goto fail;
    int complete = rc == 0;
    dcs_err_clear(&err);
    dcs_cmd_root root = {sc->name,
                         sc->sim.seed,
                         sc->sim.replications,
                         done,
                         complete,
                         resolved,
                         dcs_ledger_energy_note(dcs_world_scenario(world))};
    const double budget = sc->targets.budget_usd > 0.0 ? sc->targets.budget_usd : (double)NAN;
    const double deadline_h =
        sc->targets.deadline_s > 0.0 ? sc->targets.deadline_s / 3600.0 : (double)NAN;
    const dcs_cmd_part part = {"run",   resolved, NULL,   sc->sim.replications,
                               trace_k, step_s,   budget, deadline_h};
    if (dcs_stats_write_threads(f, dcs_study_summary(study), budget, deadline_h, (int)o.nthreads,
                                &err) != 0 ||
        dcs_sensitivity_write(f, dcs_study_summary(study), &err) != 0 ||
        dcs_cmd_write_root(f, &root, &err) != 0 || dcs_cmd_write_part(f, &o, &part, &err) != 0)
        goto fail;
    rc = dcs_cmd_close_output(f, 1, &err);
    dcs_cmd_restore_signals(); /* after the file is in place: see common.c */
    f = NULL;
    if (rc != 0)
        goto fail;
    status = dcs_cmd_finish(out_path, complete, done, planned, o.quiet);
    goto out;

fail:
    status = dcs_cmd_abandon(f, &err);
out:
    dcs_study_destroy(study);
    dcs_world_destroy(world);
    free(resolved);
    dcs_scenario_base_destroy(rm.base);
    free(rm.caches);
    free(scenario_text);
    free(sc);
    return status;
}
