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
 * what ran and the file alone reproduces the run.
 */
#include "cmd.h"

#include "h5out.h"
#include "load.h"
#include "progress.h"
#include "report.h"
#include "stats.h"
#include "study.h"
#include "units.h"
#include "world.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <omp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_SETS       256
#define FORMAT_VERSION 2 /* bump when the layout of the output file changes */

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("dcsim run: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nusage: dcsim run SCENARIO.yaml [-o OUT.h5] [-n REPLICATIONS] [-j THREADS] "
          "[--seed S] [--trace K] [--sample-every DURATION] [--set key.path=value]... "
          "[--quiet]\n",
          stderr);
    return 2;
}

static int parse_count(const char *s, long long lo, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < lo)
        return -1;
    *out = v;
    return 0;
}

/* "llama3-405b.yaml" -> "llama3-405b.h5" in the current directory. */
static void default_output(const char *scenario_path, char *out, size_t n)
{
    const char *base = strrchr(scenario_path, '/');
    base = base ? base + 1 : scenario_path;
    size_t len = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot != NULL && dot != base)
        len = (size_t)(dot - base);
    snprintf(out, n, "%.*s.h5", (int)len, base);
}

static int write_root_attrs(dcs_h5file *f, const dcs_scenario *sc, const char *resolved,
                            uint64_t done, int complete, dcs_err *err)
{
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    int rc = 0;
    if (rc == 0)
        rc = dcs_h5_attr_str(f, "/", "dcsim_version", DCSIM_VERSION, err);
    if (rc == 0)
        rc = dcs_h5_attr_i64(f, "/", "format_version", FORMAT_VERSION, err);
    if (rc == 0)
        rc = dcs_h5_attr_str(f, "/", "created_utc", when, err);
    if (rc == 0)
        rc = dcs_h5_attr_i64(f, "/", "seed", (int64_t)sc->sim.seed, err);
    if (rc == 0)
        rc = dcs_h5_attr_i64(f, "/", "replications", sc->sim.replications, err);
    if (rc == 0)
        rc = dcs_h5_attr_i64(f, "/", "replications_done", (int64_t)done, err);
    if (rc == 0)
        rc = dcs_h5_attr_i64(f, "/", "complete", complete, err);
    if (rc == 0)
        rc = dcs_h5_attr_str(f, "/", "scenario_name", sc->name, err);
    if (rc == 0)
        rc = dcs_h5_attr_str(f, "/", "scenario", resolved ? resolved : "", err);
    return rc;
}

static void describe(FILE *out, const dcs_world *w, int nthreads)
{
    const dcs_scenario *sc = dcs_world_scenario(w);
    const dcs_run_cfg *rc = dcs_world_run_cfg(w);
    static const char *const policy[] = {"none", "fixed", "young", "daly"};
    fprintf(out, "%s: %lld replications on %d thread%s; %lld x %s; failure-free %.1f d", sc->name,
            (long long)sc->sim.replications, nthreads, nthreads == 1 ? "" : "s",
            (long long)(sc->cluster.nodes * sc->cluster.accels_per_node), sc->cluster.accel.key,
            rc->ts_s / 86400.0);
    if (isfinite(rc->mtti_s))
        fprintf(out, "; MTTI %.2f h", rc->mtti_s / 3600.0);
    if (isfinite(rc->tau_s))
        fprintf(out, "; checkpoint every %.1f min (%s), write %.0f s", rc->tau_s / 60.0,
                policy[sc->checkpoint.policy], rc->delta_s);
    fputc('\n', out);
}

int dcs_cmd_run(int argc, char **argv)
{
    const char *scenario_path = NULL;
    const char *out_path = NULL;
    const char *sets[MAX_SETS + 2];
    size_t nsets = 0;
    char n_set[64], seed_set[64];
    long long nthreads = omp_get_max_threads();
    long long trace_k = 0;
    double sample_s = -1.0; /* not given */
    int quiet = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        long long v;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage_error("%s", "help");
            return 0;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (val == NULL)
                return usage_error("%s needs a file name", a);
            out_path = val;
            i++;
        } else if (strcmp(a, "-n") == 0 || strcmp(a, "--replications") == 0) {
            if (val == NULL || parse_count(val, 1, &v) != 0)
                return usage_error("-n needs a whole number >= 1, got '%s'", val ? val : "");
            snprintf(n_set, sizeof n_set, "simulation.replications=%lld", v);
            sets[nsets++] = n_set;
            i++;
        } else if (strcmp(a, "-j") == 0 || strcmp(a, "--threads") == 0) {
            if (val == NULL || parse_count(val, 1, &nthreads) != 0 || nthreads > 4096)
                return usage_error("-j needs a whole number of threads >= 1, got '%s'",
                                   val ? val : "");
            i++;
        } else if (strcmp(a, "--seed") == 0) {
            if (val == NULL || parse_count(val, 0, &v) != 0)
                return usage_error("--seed needs a whole number >= 0, got '%s'", val ? val : "");
            snprintf(seed_set, sizeof seed_set, "simulation.seed=%lld", v);
            sets[nsets++] = seed_set;
            i++;
        } else if (strcmp(a, "--set") == 0) {
            if (val == NULL || strchr(val, '=') == NULL)
                return usage_error("--set needs key.path=value, got '%s'", val ? val : "");
            if (nsets >= MAX_SETS)
                return usage_error("%s", "too many --set options");
            sets[nsets++] = val;
            i++;
        } else if (strncmp(a, "--set=", 6) == 0) {
            if (nsets >= MAX_SETS)
                return usage_error("%s", "too many --set options");
            sets[nsets++] = a + 6;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (strcmp(a, "--trace") == 0) {
            if (val == NULL || parse_count(val, 0, &trace_k) != 0)
                return usage_error("--trace needs a number of replications >= 0, got '%s'",
                                   val ? val : "");
            i++;
        } else if (strcmp(a, "--sample-every") == 0) {
            const char *why = NULL;
            if (val == NULL || dcs_units_parse(val, DCS_DIM_DURATION, &sample_s, &why) != 0 ||
                !(sample_s > 0.0))
                return usage_error("--sample-every needs a duration > 0 with its unit (%s), got "
                                   "'%s'%s%s",
                                   dcs_units_accepted(DCS_DIM_DURATION), val ? val : "",
                                   why ? " which " : "", why ? why : "");
            i++;
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error("unknown option '%s'", a);
        } else if (scenario_path == NULL) {
            scenario_path = a;
        } else {
            return usage_error("unexpected argument '%s'", a);
        }
    }
    if (scenario_path == NULL)
        return usage_error("%s", "no scenario file given");

    dcs_err err;
    dcs_err_clear(&err);
    dcs_scenario sc;
    char *resolved = NULL;
    int rc = dcs_scenario_load(scenario_path, sets, nsets, &sc, &resolved, &err);
    if (rc != 0) {
        dcs_cmd_print_err(&err);
        return dcs_cmd_exit_status(rc);
    }
    dcs_world *world = dcs_world_create(&sc, &err);
    if (world == NULL) {
        if (err.where[0] == '\0')
            snprintf(err.where, sizeof err.where, "%s", scenario_path);
        dcs_cmd_print_err(&err);
        free(resolved);
        return dcs_cmd_exit_status(err.code ? err.code : DCS_EINPUT);
    }
    if (sample_s > 0.0 && trace_k == 0)
        trace_k = 1; /* --sample-every alone samples the first replication */
    if (trace_k > sc.sim.replications)
        trace_k = sc.sim.replications;
    if (trace_k > 0) {
        double step = sample_s > 0.0 ? sample_s : dcs_cmd_default_sample_s(world);
        if (dcs_world_set_sampling(world, step, &err) != 0) {
            dcs_cmd_print_err(&err);
            free(resolved);
            dcs_world_destroy(world);
            return 2;
        }
    }
    char default_out[PATH_MAX];
    if (out_path == NULL) {
        default_output(scenario_path, default_out, sizeof default_out);
        out_path = default_out;
    }
    if (!quiet)
        describe(stderr, world, (int)nthreads);

    dcs_h5file *f = dcs_h5_create(out_path, &err);
    dcs_study *study = NULL;
    uint64_t done = 0;
    if (f == NULL)
        goto fail;
    const dcs_world *worlds[1] = {world};
    dcs_study_opts so = {.seed = sc.sim.seed,
                         .nthreads = (int)nthreads,
                         .trace_k = trace_k,
                         .interrupt = &interrupted};
    study = dcs_study_create(f, worlds, 1, &so, &err);
    if (study == NULL)
        goto fail;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    struct sigaction old_int, old_term;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);

    dcs_progress progress;
    dcs_progress_init(&progress, stderr, !quiet && isatty(STDERR_FILENO),
                      (uint64_t)sc.sim.replications, "replications");
    const size_t point0 = 0;
    rc = dcs_study_run(study, &point0, 1, 0, (uint64_t)sc.sim.replications, &progress, &done, &err);
    dcs_progress_finish(&progress);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (rc != 0 && rc != DCS_EINTR)
        goto fail;
    int complete = rc == 0;
    dcs_err serr;
    dcs_err_clear(&serr);
    if (dcs_stats_write(f, dcs_study_summary(study),
                        sc.targets.budget_usd > 0.0 ? sc.targets.budget_usd : (double)NAN,
                        sc.targets.deadline_s > 0.0 ? sc.targets.deadline_s / 3600.0 : (double)NAN,
                        &serr) != 0 ||
        write_root_attrs(f, &sc, resolved, done, complete, &serr) != 0) {
        err = serr;
        goto fail;
    }
    if (dcs_h5_close(f, 1, &err) != 0) {
        f = NULL;
        goto fail;
    }
    f = NULL;
    dcs_study_destroy(study);
    free(resolved);
    dcs_world_destroy(world);

    if (!complete)
        fprintf(stderr, "dcsim: interrupted: %llu of %lld replications written to %s\n",
                (unsigned long long)done, (long long)sc.sim.replications, out_path);
    else if (!quiet)
        fprintf(stderr, "wrote %s\n", out_path);
    dcs_err_clear(&err);
    rc = dcs_report_print(out_path, stdout, DCS_REPORT_TABLE, &err);
    if (rc != 0) {
        dcs_cmd_print_err(&err);
        return 1;
    }
    return complete ? 0 : 1;

fail:
    dcs_cmd_print_err(&err);
    if (f != NULL) {
        dcs_err ignored;
        dcs_err_clear(&ignored);
        dcs_h5_close(f, 0, &ignored);
    }
    dcs_study_destroy(study);
    free(resolved);
    dcs_world_destroy(world);
    return dcs_cmd_exit_status(err.code ? err.code : 1) == 2 ? 2 : 1;
}
