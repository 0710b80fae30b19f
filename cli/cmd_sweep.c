/*
 * cmd_sweep.c - `dcsim sweep`: a sweep file in, one HDF5 file of every
 * point's replications and a table comparing the points out.
 *
 * The sweep is loaded and every point checked before the output file is
 * created, so bad input (exit 2) writes nothing: the loader validates each
 * point's scenario and makes its world (a scenario that loads but cannot
 * run), and a first pass here, shown that world (sweep.h), checks that the
 * points share their output columns, their seed, their replication count
 * and their targets; each point is built and its world made once. Then the points x replications
 * run as one pool of work items over all threads (study.h), each point's
 * world made when first needed and destroyed when its last replication is
 * written, so memory does not grow with the number of points.
 *
 * Replication r of every point is keyed by (seed, r): common random
 * numbers. -n and --seed override every point's simulation.replications
 * and simulation.seed; without them the points must agree (a point's seed
 * of its own would break the pairing between points).
 *
 * With --precision, replications are added in rounds: the first round runs
 * the first batch (-n or the scenario's replications) at every point; each
 * later round runs the next --batch replications of the points whose 95%
 * interval for the mean of the precision metric is still wider than the
 * target, until each point reaches it or --max-replications (with
 * --precision-for contenders, only the points that paired comparisons
 * cannot yet tell apart from the best, and none once one is left). The rows of a
 * round follow those of the round before, so /summary is point-major within
 * each round. The statistics use every row of a point.
 */
#include "cmd.h"
#include "correlation.h"

#include "drawcheck.h"
#include "h5out.h"
#include "progress.h"
#include "ranks.h"
#include "report.h"
#include "select.h"
#include "sensitivity.h"
#include "stats.h"
#include "study.h"
#include "sweep.h"
#include "world.h"

#include <limits.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Makes the worlds of the points, for the study's workers. */
typedef struct maker {
    const dcs_sweep *sw;
    double step_s;          /* time-series step of traced replications; 0: none */
    dcs_corr_cache *caches; /* one per OpenMP thread number below ncaches */
    int ncaches;
} maker;

static dcs_world *make_world(void *ctx, size_t p, dcs_err *err)
{
    const maker *m = ctx;
    dcs_scenario *sc = malloc(sizeof *sc); /* ~170 KB: not on a worker's stack */
    if (sc == NULL) {
        dcs_err_set(err, DCS_ENOMEM, "out of memory for the scenario of point %zu", p);
        return NULL;
    }
    dcs_world *w = NULL;
    if (dcs_sweep_point_scenario(m->sw, p, sc, NULL, err) == 0)
        w = dcs_world_create(sc, err);
    free(sc);
    if (w != NULL && m->step_s > 0.0 && dcs_world_set_sampling(w, m->step_s, err) != 0) {
        dcs_world_destroy(w);
        w = NULL;
    }
    return w;
}

/* Makes the world of one replication of a point with uncertain inputs. */
static dcs_world *make_rep_world(void *ctx, size_t p, uint64_t seed, uint64_t rep,
                                 const dcs_world *pw, dcs_err *err)
{
    (void)pw;
    const maker *m = ctx;
    dcs_scenario *sc = malloc(sizeof *sc);
    if (sc == NULL) {
        dcs_err_set(err, DCS_ENOMEM, "out of memory for the scenario of point %zu", p);
        return NULL;
    }
    dcs_world *w = NULL;
    int t = omp_get_thread_num();
    if (dcs_sweep_point_draw(m->sw, p, seed, rep, t < m->ncaches ? &m->caches[t] : NULL, sc, err) ==
        0)
        w = dcs_world_create(sc, err);
    free(sc);
    if (w != NULL && m->step_s > 0.0 && dcs_world_set_sampling(w, m->step_s, err) != 0) {
        dcs_world_destroy(w);
        w = NULL;
    }
    return w;
}

/* Points an error at the sweep file and the point, when the loader did not. */
static void blame_point(dcs_err *err, const char *path, size_t p)
{
    if (err->code == 0)
        err->code = DCS_EINPUT;
    if (err->where[0] == '\0')
        snprintf(err->where, sizeof err->where, "%s", path);
    size_t len = strlen(err->msg);
    if (strstr(err->msg, "(point ") == NULL && len + 16 < sizeof err->msg)
        snprintf(err->msg + len, sizeof err->msg - len, " (point %zu)", p);
}

static int differ_error(dcs_err *err, const char *path, const char *key, size_t p, const char *vp,
                        const char *v0, const char *option)
{
    dcs_err_set(err, DCS_EINPUT,
                "point %zu has %s, point 0 has %s: the points of a sweep share one seed and one "
                "replication count, so that replication r of every point draws the same random "
                "numbers; give %s to set it for every point, or take %s out of the design",
                p, vp, v0, option, key);
    snprintf(err->where, sizeof err->where, "%s", path);
    snprintf(err->key, sizeof err->key, "%s", key);
    return DCS_EINPUT;
}

/* Point p's world w agrees with point 0's (proto) on what the points must
 * share. */
static int agree(const dcs_world *proto, const dcs_world *w, size_t p, const char *path,
                 const dcs_cmd_opts *o, dcs_err *err)
{
    const dcs_scenario *sc = dcs_world_scenario(w), *sc0 = dcs_world_scenario(proto);
    char a[64], b[64];
    int rc = dcs_study_check_columns(proto, w, p, err);
    if (rc == 0 && o->seed < 0 && sc->sim.seed != sc0->sim.seed) {
        snprintf(a, sizeof a, "seed %llu", (unsigned long long)sc->sim.seed);
        snprintf(b, sizeof b, "%llu", (unsigned long long)sc0->sim.seed);
        rc = differ_error(err, path, "simulation.seed", p, a, b, "--seed");
    }
    if (rc == 0 && o->replications == 0 && sc->sim.replications != sc0->sim.replications) {
        snprintf(a, sizeof a, "%lld replications", (long long)sc->sim.replications);
        snprintf(b, sizeof b, "%lld", (long long)sc0->sim.replications);
        rc = differ_error(err, path, "simulation.replications", p, a, b, "-n");
    }
    if (rc == 0 && (sc->targets.budget_usd != sc0->targets.budget_usd ||
                    sc->targets.deadline_s != sc0->targets.deadline_s)) {
        rc = dcs_err_set(err, DCS_EINPUT,
                         "point %zu has other targets than point 0: the risk figures compare "
                         "every point with one budget and one deadline; set them in the "
                         "base, not in the design",
                         p);
        snprintf(err->where, sizeof err->where, "%s", path);
        snprintf(err->key, sizeof err->key, "targets");
    }
    if (rc != 0 && err->where[0] == '\0')
        snprintf(err->where, sizeof err->where, "%s", path);
    return rc;
}

/* The first pass, on the world of each point that the sweep's load makes
 * for its own check (sweep.h), so that each point is built and its world
 * made once: every point agrees with point 0, whose world is kept. The
 * first disagreement is kept and reported after the load, whose errors (at
 * any point) come first, as when this pass ran after it. */
typedef struct first_pass {
    const char *path;
    const dcs_cmd_opts *o;
    dcs_world *proto;  /* point 0's world */
    double most_bytes; /* the largest point's replication */
    int rc;
    dcs_err err;
} first_pass;

static int see_world(void *ctx, size_t p, dcs_world *w)
{
    first_pass *fp = ctx;
    if (fp->rc != 0)
        return 0;
    fp->most_bytes = fmax(fp->most_bytes, dcs_world_engine_bytes(w) + dcs_world_bytes(w));
    if (p == 0) {
        fp->proto = w;
        return 1;
    }
    fp->rc = agree(fp->proto, w, p, fp->path, fp->o, &fp->err);
    return 0;
}

/* Loads the sweep at path with its first pass; on success fp->proto holds
 * point 0's world. */
static int load_checked(const char *path, const char *const *sets, size_t nsets, first_pass *fp,
                        dcs_sweep **sw, dcs_err *err)
{
    fp->path = path;
    dcs_err_clear(&fp->err);
    int rc = dcs_cmd_load_sweep_with(path, sets, nsets, see_world, fp, sw, err);
    if (rc == 0 && fp->rc != 0) {
        *err = fp->err;
        rc = fp->rc;
    }
    return rc;
}

/* Loads point p's scenario with replication rep's draws, or its nominal
 * values (drawcheck.h). */
static int load_point(void *ctx, size_t p, bool draw, uint64_t seed, uint64_t rep,
                      struct dcs_corr_cache *cache, dcs_scenario *out, dcs_err *err)
{
    const dcs_sweep *sw = ctx;
    return draw ? dcs_sweep_point_draw(sw, p, seed, rep, cache, out, err)
                : dcs_sweep_point_scenario(sw, p, out, NULL, err);
}

/* Every point's replications 0 .. nreps - 1 drawn and checked before
 * anything runs. */
static int check_draws(const dcs_sweep *sw, const char *path, uint64_t seed, uint64_t nreps,
                       int nthreads, dcs_err *err)
{
    if (!dcs_sweep_uncertain(sw))
        return 0; /* nothing is drawn: each point's nominal scenario was checked at its load */
    dcs_scenario *sc = malloc(sizeof *sc);
    int rc = sc != NULL ? 0 : dcs_err_set(err, DCS_ENOMEM, "out of memory");
    for (size_t p = 0; rc == 0 && p < dcs_sweep_npoints(sw); p++) {
        rc = dcs_sweep_point_scenario(sw, p, sc, NULL, err);
        if (rc == 0)
            rc =
                dcs_drawcheck(load_point, (void *)(uintptr_t)sw, p, sc, seed, nreps, nthreads, err);
        if (rc != 0)
            blame_point(err, path, p);
    }
    free(sc);
    return rc;
}

int dcs_cmd_sweep_load_checked(const char *path, const char *const *sets, size_t nsets,
                               dcs_sweep **sw, dcs_err *err)
{
    dcs_cmd_opts o;
    memset(&o, 0, sizeof o);
    o.seed = -1;
    first_pass fp = {.o = &o};
    int rc = load_checked(path, sets, nsets, &fp, sw, err);
    if (rc == 0) {
        const dcs_scenario *sc0 = dcs_world_scenario(fp.proto);
        rc = check_draws(*sw, path, sc0->sim.seed, (uint64_t)sc0->sim.replications, 0, err);
    }
    dcs_world_destroy(fp.proto);
    return rc;
}

/* Checks that `metric` is a numeric column of the points' /summary. */
static int check_metric(const dcs_world *proto, const char *metric, dcs_err *err)
{
    const dcs_column *c = dcs_world_cols(proto);
    for (size_t j = 0; j < dcs_world_ncols(proto); j++)
        if (strcmp(c[j].name, metric) == 0 && c[j].type != DCS_COL_STR &&
            strcmp(metric, "point") != 0 && strcmp(metric, "replication") != 0)
            return 0;
    return dcs_err_set(err, DCS_EINPUT,
                       "--precision-metric: /summary has no numeric column '%s' (try cost_usd, "
                       "makespan_h or goodput)",
                       metric);
}

/* What a point has reached so far. */
typedef struct point_state {
    uint64_t n;          /* replications written */
    double half;         /* half-width of the 95% CI of the metric's mean, metric units */
    double rel;          /* half / |mean|; 0 when half is 0 */
    signed char reached; /* rel <= target */
} point_state;

/* Updates half, rel and reached of the points marked in want (all when
 * NULL) from the rows written so far. */
static int evaluate(dcs_h5table *summary, const char *metric, double target, size_t npoints,
                    const unsigned char *want, point_state *ps, dcs_err *err)
{
    dcs_stat_row *rows = calloc(npoints, sizeof *rows);
    if (rows == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory for the statistics of %zu points",
                           npoints);
    int rc = dcs_stats_by_point(summary, metric, npoints, want, (double)NAN, rows, err);
    for (size_t p = 0; rc == 0 && p < npoints; p++) {
        if (want != NULL && !want[p])
            continue;
        double half = rows[p].ci95_high - rows[p].mean;
        ps[p].half = half;
        ps[p].rel = half == 0.0 ? 0.0 : half / fabs(rows[p].mean);
        ps[p].reached = isfinite(target) && ps[p].rel <= target; /* NaN: not reached */
    }
    free(rows);
    return rc;
}

/* Marks in cont the points that cannot be told apart from the best (the
 * lowest mean of the metric) by paired comparisons on the rows written so
 * far (select.h); --precision-for contenders gives replications only to
 * them. */
static int find_contenders(dcs_h5table *summary, const char *metric, size_t npoints, int *cont,
                           dcs_err *err)
{
    size_t n = (size_t)dcs_h5_table_rows(summary);
    long cp = dcs_h5_table_find(summary, "point"), cr = dcs_h5_table_find(summary, "replication");
    long cm = dcs_h5_table_find(summary, metric);
    double *pt = malloc((n + 1) * sizeof *pt), *rp = malloc((n + 1) * sizeof *rp);
    double *x = malloc((n + 1) * sizeof *x);
    size_t best;
    int rc = 0;
    if (pt == NULL || rp == NULL || x == NULL)
        rc = dcs_err_set(err, DCS_ENOMEM, "out of memory comparing %zu points", npoints);
    else if (cp < 0 || cr < 0 || cm < 0)
        rc =
            dcs_err_set(err, DCS_EINPUT, "/summary has no column point, replication or %s", metric);
    if (rc == 0 && ((rc = dcs_h5_table_read_f64(summary, (size_t)cp, pt, n, err)) != 0 ||
                    (rc = dcs_h5_table_read_f64(summary, (size_t)cr, rp, n, err)) != 0 ||
                    (rc = dcs_h5_table_read_f64(summary, (size_t)cm, x, n, err)) != 0))
        goto done;
    if (rc == 0)
        rc = dcs_select_mcb_rows(pt, rp, x, n, npoints, 0, 0.05, cont, &best, err);
done:
    free(pt);
    free(rp);
    free(x);
    return rc;
}

/* The /sweep/points table: one row per point. */
static int write_points(dcs_h5file *f, const dcs_sweep *sw, const char *metric, const char *munits,
                        double target, const point_state *ps, dcs_err *err)
{
    size_t n = dcs_sweep_npoints(sw), nk = dcs_sweep_nkeys(sw);
    size_t ncols = nk + 6, str_len = 2;
    dcs_column *cols = calloc(ncols, sizeof *cols);
    dcs_cell *cells = calloc(ncols, sizeof *cells);
    char(*desc)[160] = calloc(nk + 3, sizeof *desc);
    int rc = 0;
    if (cols == NULL || cells == NULL || desc == NULL) {
        rc = dcs_err_set(err, DCS_ENOMEM, "out of memory writing /sweep/points");
        goto done;
    }
    /* String cells are as long as the longest label or value, so none is cut. */
    for (size_t p = 0; p < n; p++) {
        size_t l = strlen(dcs_sweep_label(sw, p)) + 1;
        str_len = l > str_len ? l : str_len;
        for (size_t k = 0; k < nk; k++) {
            l = strlen(dcs_sweep_value_text(sw, p, k)) + 1;
            str_len = l > str_len ? l : str_len;
        }
    }
    str_len = str_len < DCS_H5_STR_MAX ? str_len : DCS_H5_STR_MAX;
    cols[0] = (dcs_column){"point", "", DCS_COL_I64, "sweep point index, as in /summary"};
    cols[1] = (dcs_column){"label", "", DCS_COL_STR, "the point's readable label"};
    for (size_t k = 0; k < nk; k++) {
        const char *u = dcs_sweep_key_units(sw, k);
        if (u != NULL)
            snprintf(desc[k], sizeof desc[k],
                     "value of %s at the point, in SI units (NaN: not set at this point)",
                     dcs_sweep_key(sw, k));
        else
            snprintf(desc[k], sizeof desc[k],
                     "value of %s at the point, as written (empty: not set at this point)",
                     dcs_sweep_key(sw, k));
        cols[2 + k] = (dcs_column){dcs_sweep_key(sw, k), u != NULL ? u : "",
                                   u != NULL ? DCS_COL_F64 : DCS_COL_STR, desc[k]};
    }
    snprintf(desc[nk], sizeof desc[nk], "half-width of the 95%% CI of the mean of %s", metric);
    snprintf(desc[nk + 1], sizeof desc[nk + 1],
             "ci95_halfwidth / |mean of %s| (0 when the half-width is 0)", metric);
    snprintf(desc[nk + 2], sizeof desc[nk + 2],
             "1 if ci95_rel_halfwidth <= the precision target, 0 if not (stopped at "
             "--max-replications, or interrupted); -1 without a target");
    cols[nk + 2] = (dcs_column){"replications", "", DCS_COL_I64, "replications run at the point"};
    cols[nk + 3] = (dcs_column){"ci95_halfwidth", munits, DCS_COL_F64, desc[nk]};
    cols[nk + 4] = (dcs_column){"ci95_rel_halfwidth", "1", DCS_COL_F64, desc[nk + 1]};
    cols[nk + 5] = (dcs_column){"precision_reached", "", DCS_COL_I64, desc[nk + 2]};
    dcs_h5table_opts to = dcs_h5table_defaults;
    to.str_len = str_len;
    to.chunk_rows = dcs_h5_chunk_rows(n);
    dcs_h5table *t = dcs_h5_table_create_opts(
        f, "sweep/points", "one row per sweep point: its label and the value of each varied key",
        cols, ncols, &to, err);
    if (t == NULL) {
        rc = err->code ? err->code : DCS_EHDF5;
        goto done;
    }
    rc = dcs_h5_table_attr_strs(t, "precision_metric", &metric, 1, err);
    for (size_t p = 0; p < n && rc == 0; p++) {
        cells[0].i = (int64_t)p;
        cells[1].s = dcs_sweep_label(sw, p);
        for (size_t k = 0; k < nk; k++) {
            if (cols[2 + k].type == DCS_COL_F64)
                cells[2 + k].f = dcs_sweep_value_si(sw, p, k, NULL);
            else
                cells[2 + k].s = dcs_sweep_value_text(sw, p, k);
        }
        cells[nk + 2].i = (int64_t)ps[p].n;
        cells[nk + 3].f = ps[p].half;
        cells[nk + 4].f = ps[p].rel;
        cells[nk + 5].i = isfinite(target) ? ps[p].reached : -1;
        rc = dcs_h5_table_append(t, cells, err);
    }
    if (rc == 0)
        rc = dcs_h5_table_flush(t, err);
done:
    free(cols);
    free(cells);
    free(desc);
    return rc;
}

static int write_sweep_attrs(dcs_h5file *f, const dcs_sweep *sw, const dcs_cmd_opts *o,
                             dcs_err *err)
{
    int rc = dcs_h5_attr_str(f, "/", "sweep", dcs_sweep_text(sw), err);
    if (rc == 0)
        rc = dcs_h5_attr_str(f, "/", "sweep_name", dcs_sweep_name(sw), err);
    if (rc == 0)
        rc = dcs_h5_attr_i64(f, "/", "points", (int64_t)dcs_sweep_npoints(sw), err);
    if (rc == 0 && !isnan(o->precision)) {
        rc = dcs_h5_attr_f64(f, "/", "precision_target", o->precision, err);
        if (rc == 0)
            rc = dcs_h5_attr_str(f, "/", "precision_metric", o->precision_metric, err);
        if (rc == 0)
            rc = dcs_h5_attr_i64(f, "/", "max_replications", o->max_replications, err);
        if (rc == 0)
            rc = dcs_h5_attr_i64(f, "/", "batch", o->batch, err);
    }
    return rc;
}

int dcs_cmd_sweep(int argc, char **argv)
{
    dcs_cmd_opts o;
    int status = dcs_cmd_parse_opts(argc, argv, 1, &o);
    if (status >= 0)
        return status;
    if ((status = dcs_cmd_check_ranks(&o)) >= 0)
        return status;

    dcs_err err;
    dcs_err_clear(&err);
    dcs_sweep *sw = NULL;
    dcs_scenario *sc0 = NULL;
    dcs_world *proto = NULL;
    dcs_h5file *f = NULL;
    dcs_study *study = NULL;
    size_t *active = NULL;
    point_state *ps = NULL;
    unsigned char *want = NULL;
    int *cont = NULL;
    maker mk = {NULL, 0.0, NULL, 0};
    first_pass fp = {.o = &o};
    int rc = load_checked(o.input, o.sets, o.nsets, &fp, &sw, &err);
    proto = fp.proto;
    if (rc != 0)
        goto fail;
    size_t npoints = dcs_sweep_npoints(sw);
    sc0 = malloc(sizeof *sc0);
    active = malloc(npoints * sizeof *active);
    ps = calloc(npoints, sizeof *ps);
    want = calloc(npoints, 1);
    cont = calloc(npoints, sizeof *cont);
    if (sc0 == NULL || active == NULL || ps == NULL || want == NULL || cont == NULL) {
        rc = dcs_err_set(&err, DCS_ENOMEM, "out of memory for a sweep of %zu points", npoints);
        goto fail;
    }
    rc = dcs_sweep_point_scenario(sw, 0, sc0, NULL, &err);
    if (rc != 0) {
        blame_point(&err, o.input, 0);
        goto fail;
    }
    double most_bytes = fp.most_bytes; /* the largest point's replication */
    if (rc == 0 && !isnan(o.precision))
        rc = check_metric(proto, o.precision_metric, &err);
    if (rc != 0)
        goto fail;
    /* --seed is the base's override, which a point's own value would beat. */
    const uint64_t seed = o.seed >= 0 ? (uint64_t)o.seed : sc0->sim.seed;
    const uint64_t first_batch =
        o.replications > 0 ? (uint64_t)o.replications : (uint64_t)sc0->sim.replications;
    const int precise = !isnan(o.precision);
    if (precise && first_batch > (uint64_t)o.max_replications) {
        rc = dcs_err_set(&err, DCS_EINPUT,
                         "the first batch, simulation.replications = %llu, is above "
                         "--max-replications %lld; give a smaller -n",
                         (unsigned long long)first_batch, o.max_replications);
        goto fail;
    }
    rc = check_draws(sw, o.input, seed, precise ? (uint64_t)o.max_replications : first_batch,
                     (int)o.nthreads, &err);
    if (rc != 0)
        goto fail;
    int64_t trace_k;
    mk.sw = sw;
    /* A correlation cache for each thread that may draw a replication. */
    mk.ncaches = omp_get_max_threads() > (int)o.nthreads ? omp_get_max_threads() : (int)o.nthreads;
    if ((mk.caches = dcs_corr_caches_create(mk.ncaches)) == NULL) {
        rc = dcs_err_set(&err, DCS_ENOMEM, "out of memory for the correlation caches");
        goto fail;
    }
    rc = dcs_cmd_tracing(proto, &o, (int64_t)first_batch, &trace_k, &mk.step_s, &err);
    /* The study keeps about threads + 2 worlds (study.h); each thread is
     * counted at the largest point's replication. */
    if (rc == 0)
        rc = dcs_cmd_fit_memory(&o, proto, most_bytes, 2, trace_k, mk.step_s, stderr, &err);
    if (rc != 0)
        goto fail;
    char default_out[PATH_MAX];
    const char *out_path = o.out_path;
    if (out_path == NULL) {
        dcs_cmd_output_for(o.input, dcs_sweep_name(sw), default_out, sizeof default_out);
        dcs_cmd_part_output(&o, default_out, sizeof default_out);
        out_path = default_out;
    }
    const dcs_cmd_input inputs[] = {{o.input, "the sweep"},
                                    {dcs_sweep_base_file(sw), "the sweep's base"},
                                    {sc0->weather.csv, "weather.csv"},
                                    {sc0->carbon.csv, "carbon.csv"}};
    if (dcs_cmd_check_output(out_path, inputs, sizeof inputs / sizeof inputs[0], o.force, &err) !=
        0)
        goto fail;
    dcs_study_opts so = {.seed = seed,
                         .nthreads = (int)o.nthreads,
                         .trace_k = trace_k,
                         .interrupt = &dcs_cmd_interrupted,
                         .shard_i = (uint64_t)o.shard_i,
                         .shard_k = (uint64_t)o.shard_k};
    if (!precise)
        so.rows = dcs_study_shard_items(&so, (uint64_t)npoints * first_batch);
    dcs_ranks_part();
    if (dcs_ranks_rank() != 0) {
        /* A rank that computes for rank 0, which writes. */
        study = dcs_study_create(NULL, proto, npoints, make_world, &mk, &so, &err);
        if (study != NULL)
            dcs_study_set_rep_maker(study, make_rep_world, &mk);
        status = study != NULL ? dcs_cmd_follow(study) : dcs_cmd_exit_status(err.code);
        goto out;
    }
    if (!o.quiet) {
        fprintf(stderr, "sweep %s: %zu point%s x %llu replications on %s", dcs_sweep_name(sw),
                npoints, npoints == 1 ? "" : "s", (unsigned long long)first_batch,
                dcs_cmd_threads_text(&o));
        if (precise)
            fprintf(stderr,
                    ", then batches of %lld up to %lld until the 95%% CI of %s is within "
                    "%.3g%% of its mean",
                    o.batch, o.max_replications, o.precision_metric, 100.0 * o.precision);
        fputs("\npoint 0: ", stderr);
        dcs_cmd_describe(stderr, proto);
        fputc('\n', stderr);
    }

    /* The handlers are in place before the temporary file exists: a
     * signal from then on is an interrupt, not the end of the process. */
    dcs_cmd_catch_signals();
    f = dcs_cmd_create_output(out_path, &err);
    if (f == NULL)
        goto fail;
    study = dcs_study_create(f, proto, npoints, make_world, &mk, &so, &err);
    if (study == NULL)
        goto fail;
    dcs_study_set_rep_maker(study, make_rep_world, &mk);
    dcs_h5table *summary = dcs_study_summary(study);

    dcs_progress progress;
    dcs_progress_init(&progress, stderr, !o.quiet && isatty(STDERR_FILENO),
                      dcs_study_shard_items(&so, (uint64_t)npoints * first_batch), "replications");
    dcs_progress_groups(&progress, 0, npoints, "points");
    size_t nactive = npoints;
    for (size_t p = 0; p < npoints; p++)
        active[p] = p;
    uint64_t first = 0, count = first_batch, done_all = 0;
    for (;;) {
        int final = !precise || first + count >= (uint64_t)o.max_replications;
        uint64_t done = 0;
        rc = dcs_study_run(study, active, nactive, first, count, final, &progress, &done, &err);
        done_all += done;
        for (size_t j = 0; j < nactive; j++)
            ps[active[j]].n += dcs_study_point_rows(&so, j, count, done);
        if (rc != 0 || !precise)
            break;
        memset(want, 0, npoints);
        for (size_t j = 0; j < nactive; j++)
            want[active[j]] = 1;
        rc = evaluate(summary, o.precision_metric, o.precision, npoints, want, ps, &err);
        if (rc == 0 && o.for_contenders)
            rc = find_contenders(summary, o.precision_metric, npoints, cont, &err);
        if (rc != 0)
            break;
        size_t still = 0, reached = 0, ncont = 0;
        for (size_t p = 0; o.for_contenders && p < npoints; p++)
            ncont += cont[p] != 0;
        for (size_t j = 0; j < nactive; j++) {
            size_t p = active[j];
            reached += ps[p].reached != 0;
            /* With --precision-for contenders, a point told apart from the
             * best gets no more, and one contender alone is the answer. */
            int wanted = !o.for_contenders || (cont[p] && ncont > 1);
            if (!ps[p].reached && ps[p].n < (uint64_t)o.max_replications && wanted)
                active[still++] = p;
        }
        if (!final)
            dcs_progress_groups(&progress, progress.groups_done + reached, npoints, NULL);
        nactive = still;
        if (nactive == 0)
            break;
        first += count;
        count = (uint64_t)o.batch;
        if (first + count > (uint64_t)o.max_replications)
            count = (uint64_t)o.max_replications - first;
        dcs_progress_next(&progress, (uint64_t)nactive * count);
    }
    uint64_t planned = progress.total;
    dcs_progress_finish(&progress);
    if (rc != 0 && rc != DCS_EINTR)
        goto fail;
    int complete = rc == 0;
    dcs_err_clear(&err);

    const double budget = sc0->targets.budget_usd > 0.0 ? sc0->targets.budget_usd : (double)NAN;
    const double deadline_h =
        sc0->targets.deadline_s > 0.0 ? sc0->targets.deadline_s / 3600.0 : (double)NAN;
    const char *metric = o.precision_metric;
    long mcol = dcs_h5_table_find(summary, metric);
    const char *munits = mcol >= 0 ? dcs_h5_table_col(summary, (size_t)mcol)->units : "";
    dcs_cmd_root root = {sc0->name, seed,     (int64_t)first_batch,
                         done_all,  complete, dcs_sweep_base_resolved(sw),
                         NULL};
    const dcs_cmd_part part = {"sweep",
                               dcs_sweep_text(sw),
                               dcs_sweep_base_resolved(sw),
                               (int64_t)first_batch,
                               trace_k,
                               mk.step_s,
                               budget,
                               deadline_h};
    if (evaluate(summary, metric, o.precision, npoints, NULL, ps, &err) != 0 ||
        dcs_stats_write_threads(f, summary, budget, deadline_h, (int)o.nthreads, &err) != 0 ||
        dcs_sensitivity_write(f, summary, &err) != 0 ||
        write_points(f, sw, metric, munits, o.precision, ps, &err) != 0 ||
        dcs_cmd_write_root(f, &root, &err) != 0 || write_sweep_attrs(f, sw, &o, &err) != 0 ||
        dcs_cmd_write_part(f, &o, &part, &err) != 0)
        goto fail;
    rc = dcs_cmd_close_output(f, 1, &err);
    dcs_cmd_restore_signals(); /* after the file is in place: see common.c */
    f = NULL;
    if (rc != 0)
        goto fail;
    status = dcs_cmd_finish(out_path, complete, done_all, planned, o.quiet);
    goto out;

fail:
    status = dcs_cmd_abandon(f, &err);
out:
    dcs_study_destroy(study);
    dcs_world_destroy(proto);
    dcs_sweep_destroy(sw);
    free(sc0);
    free(active);
    free(ps);
    free(want);
    free(cont);
    free(mk.caches);
    return status;
}
