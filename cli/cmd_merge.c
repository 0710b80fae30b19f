/*
 * cmd_merge.c - `dcsim merge PART.h5... -o OUT.h5`: the parts of a run or
 * sweep sharded with --shard I/K into the file the whole run writes.
 *
 * A part holds the work items g (point-major: g = point x replications +
 * replication) with g % K = I, in order, and the attributes part_index (I),
 * part_count (K) and part_digest (a hash of what ran: the resolved scenario,
 * or the sweep and its resolved base, the replications, the traced
 * replications and the time-series step). Before anything is written, the
 * parts must agree on the dcsim build (version, revision, format), K, the
 * seed and the digest, each must be complete, and every index 0..K-1 must
 * be given exactly once: otherwise exit status 2 and a message naming the
 * part.
 *
 * The rows are then written in item order: item g's /summary row is the
 * next row of part g % K (checked: it must be item g's point and
 * replication), and a traced item's /events and /timeseries rows are the
 * next rows of that part with its point and replication. The tables are
 * created with the columns, units, descriptions and storage of part 0's, so
 * the datasets are those of the unsharded run, value for value. /stats is
 * computed from the merged /summary as a run computes it, and a sweep's
 * /sweep/points gets each point's replications and confidence interval
 * from the merged rows. Every part is read a chunk of rows at a time:
 * memory grows with K, not with the replications.
 */
#include "cmd.h"

#include "h5in.h"
#include "h5out.h"
#include "sensitivity.h"
#include "stats.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char merge_usage[] = "usage: dcsim merge PART.h5... -o OUT.h5 [--force] [--quiet]\n";

static const char merge_help[] =
    "  PART.h5...            the parts written by `dcsim run|sweep --shard I/K`, every I\n"
    "                        from 0 to K-1 once, in any order\n"
    "  -o, --output OUT.h5   the merged file (required: no default): the same datasets as\n"
    "                        the run or sweep without --shard; /stats recomputed from all\n"
    "                        the rows\n"
    "  -f, --force           replace OUT.h5 if it exists (default: an existing result is\n"
    "                        kept and merge refuses); only a regular file that is not a\n"
    "                        part is ever replaced\n"
    "  -q, --quiet           no message when done (the report is still printed)\n"
    "  -h, --help            this text\n"
    "\n"
    "The parts must come from one dcsim build, one input (the same scenario or sweep,\n"
    "-n, --set, --trace and --sample-every), one seed and one K; each must be complete.\n"
    "Otherwise nothing is written and the exit status is 2.\n";

typedef struct part {
    const char *path;
    dcs_h5in *in;
    int64_t index, count, seed, done, complete, format;
    char *version, *revision, *digest;
    dcs_h5rows *rows; /* the table being merged */
    dcs_cell *cells;  /* its next row, when have */
    int have;
} part;

static int merge_usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "dcsim merge: %s%s%s%s\n%s", msg, arg ? " '" : "", arg ? arg : "",
            arg ? "'" : "", merge_usage);
    return 2;
}

/* Sets err to an input error about part `path` (and attribute `key`). */
static int part_error(dcs_err *err, const char *path, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int part_error(dcs_err *err, const char *path, const char *key, const char *fmt, ...)
{
    dcs_err_clear(err);
    err->code = DCS_EINPUT;
    snprintf(err->where, sizeof err->where, "%s", path);
    snprintf(err->key, sizeof err->key, "%s", key != NULL ? key : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return DCS_EINPUT;
}

/* Reads what the checks need of one part. */
static int read_part(part *p, dcs_err *err)
{
    p->in = dcs_h5in_open(p->path, err);
    if (p->in == NULL) {
        err->code = DCS_EINPUT; /* a part that is not there is bad input, as a scenario is */
        return err->code;
    }
    if (!dcs_h5in_has_attr(p->in, "/", "part_index"))
        return part_error(err, p->path, NULL,
                          "not a part of a sharded run (no part_index attribute): only files "
                          "written with --shard I/K can be merged");
    int rc = dcs_h5in_attr_i64(p->in, "/", "part_index", &p->index, err);
    if (rc == 0)
        rc = dcs_h5in_attr_i64(p->in, "/", "part_count", &p->count, err);
    if (rc == 0)
        rc = dcs_h5in_attr_i64(p->in, "/", "seed", &p->seed, err);
    if (rc == 0)
        rc = dcs_h5in_attr_i64(p->in, "/", "replications_done", &p->done, err);
    if (rc == 0)
        rc = dcs_h5in_attr_i64(p->in, "/", "complete", &p->complete, err);
    if (rc == 0)
        rc = dcs_h5in_attr_i64(p->in, "/", "format_version", &p->format, err);
    if (rc == 0)
        rc = dcs_h5in_attr_str(p->in, "/", "dcsim_version", &p->version, err);
    if (rc == 0)
        rc = dcs_h5in_attr_str(p->in, "/", "dcsim_revision", &p->revision, err);
    if (rc == 0)
        rc = dcs_h5in_attr_str(p->in, "/", "part_digest", &p->digest, err);
    if (rc != 0 && err->where[0] == '\0')
        snprintf(err->where, sizeof err->where, "%s", p->path);
    return rc;
}

/* The parts agree with part 0 and cover 0..K-1 once each; *nitems is the
 * items of the whole run (points x replications). */
static int check_parts(part *ps, size_t n, uint64_t *npoints, uint64_t *count, dcs_err *err)
{
    const part *a = &ps[0];
    for (size_t i = 1; i < n; i++) {
        const part *b = &ps[i];
        if (strcmp(a->version, b->version) != 0 || strcmp(a->revision, b->revision) != 0 ||
            a->format != b->format)
            return part_error(err, b->path, "dcsim_version",
                              "made by dcsim %s (revision %s, format %lld), %s by %s (%s, "
                              "format %lld): merge parts of one dcsim build",
                              b->version, b->revision, (long long)b->format, a->path, a->version,
                              a->revision, (long long)a->format);
        if (b->count != a->count)
            return part_error(err, b->path, "part_count",
                              "is one of %lld parts, %s one of %lld: merge the parts of one "
                              "--shard I/K with one K",
                              (long long)b->count, a->path, (long long)a->count);
        if (b->seed != a->seed)
            return part_error(err, b->path, "seed",
                              "has seed %lld, %s has seed %lld: the parts of one run share its "
                              "seed",
                              (long long)b->seed, a->path, (long long)a->seed);
        if (strcmp(a->digest, b->digest) != 0)
            return part_error(err, b->path, "part_digest",
                              "comes from another run than %s (another scenario or sweep, or "
                              "other -n, --set, --trace or --sample-every)",
                              a->path);
    }
    int64_t k = a->count;
    if (k < 1 || k > 1000000)
        return part_error(err, a->path, "part_count", "%lld is not a number of parts",
                          (long long)k);
    for (size_t i = 0; i < n; i++) {
        if (ps[i].index < 0 || ps[i].index >= k)
            return part_error(err, ps[i].path, "part_index", "%lld is not a part of %lld",
                              (long long)ps[i].index, (long long)k);
        for (size_t j = 0; j < i; j++)
            if (ps[j].index == ps[i].index)
                return part_error(err, ps[i].path, "part_index",
                                  "is part %lld of %lld, and so is %s: give each part once",
                                  (long long)ps[i].index, (long long)k, ps[j].path);
    }
    if ((int64_t)n < k) {
        /* The parts are distinct and in range: find the first one not given. */
        for (int64_t idx = 0; idx < k; idx++) {
            size_t j = 0;
            while (j < n && ps[j].index != idx)
                j++;
            if (j == n) {
                dcs_err_clear(err);
                return dcs_err_set(err, DCS_EINPUT,
                                   "part %lld of %lld (--shard %lld/%lld) is missing: %zu of "
                                   "the %lld parts given",
                                   (long long)idx, (long long)k, (long long)idx, (long long)k, n,
                                   (long long)k);
            }
        }
    }
    int64_t rep = 0, points = 1;
    int rc = dcs_h5in_attr_i64(ps[0].in, "/", "replications", &rep, err);
    if (rc == 0 && dcs_h5in_has_attr(ps[0].in, "/", "points"))
        rc = dcs_h5in_attr_i64(ps[0].in, "/", "points", &points, err);
    if (rc != 0)
        return rc;
    if (rep < 1 || points < 1)
        return part_error(err, ps[0].path, "replications", "no replications to merge");
    *npoints = (uint64_t)points;
    *count = (uint64_t)rep;
    uint64_t nitems = *npoints * *count;
    for (size_t i = 0; i < n; i++) {
        uint64_t want = nitems > (uint64_t)ps[i].index
                            ? (nitems - (uint64_t)ps[i].index + (uint64_t)k - 1) / (uint64_t)k
                            : 0;
        if (!ps[i].complete || (uint64_t)ps[i].done != want)
            return part_error(err, ps[i].path, "complete",
                              "is incomplete (interrupted: %lld of its %llu replications): run "
                              "--shard %lld/%lld again",
                              (long long)ps[i].done, (unsigned long long)want,
                              (long long)ps[i].index, (long long)k);
    }
    return 0;
}

/* Opens table `name` in every part and creates it in f like part 0's. */
static dcs_h5table *open_table(part *ps, size_t n, dcs_h5file *f, const char *name, long *cp,
                               long *cr, dcs_err *err)
{
    size_t ncols0 = 0;
    const dcs_column *c0 = NULL;
    for (size_t i = 0; i < n; i++) {
        ps[i].rows = dcs_h5rows_open(ps[i].in, name, err);
        if (ps[i].rows == NULL)
            return NULL;
        size_t nc;
        const dcs_column *c = dcs_h5rows_cols(ps[i].rows, &nc);
        if (i == 0) {
            c0 = c;
            ncols0 = nc;
        }
        int same = nc == ncols0;
        for (size_t j = 0; same && j < nc; j++)
            same = strcmp(c[j].name, c0[j].name) == 0 && c[j].type == c0[j].type;
        if (!same) {
            part_error(err, ps[i].path, name, "has other columns than in %s", ps[0].path);
            return NULL;
        }
        free(ps[i].cells);
        ps[i].cells = calloc(nc, sizeof *ps[i].cells);
        ps[i].have = 0;
        if (ps[i].cells == NULL) {
            dcs_err_set(err, DCS_ENOMEM, "out of memory merging /%s", name);
            return NULL;
        }
    }
    *cp = *cr = -1;
    for (size_t j = 0; j < ncols0; j++) {
        if (strcmp(c0[j].name, "point") == 0)
            *cp = (long)j;
        if (strcmp(c0[j].name, "replication") == 0)
            *cr = (long)j;
    }
    if (*cr < 0) {
        part_error(err, ps[0].path, name, "has no replication column");
        return NULL;
    }
    /* The whole run's chunks: a part's table may have been given chunks of
     * its own (fewer) rows. */
    dcs_h5table_opts o = *dcs_h5rows_opts(ps[0].rows);
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        size_t c = dcs_h5rows_opts(ps[i].rows)->chunk_rows;
        o.chunk_rows = c > o.chunk_rows ? c : o.chunk_rows;
        total += dcs_h5rows_count(ps[i].rows);
    }
    if (dcs_h5_chunk_rows(total) > o.chunk_rows)
        o.chunk_rows = dcs_h5_chunk_rows(total);
    dcs_h5table *t =
        dcs_h5_table_create_opts(f, name, dcs_h5rows_description(ps[0].rows), c0, ncols0, &o, err);
    if (t == NULL)
        return NULL;
    static const char *const copied[] = {"kinds", "kind_descriptions", "precision_metric"};
    for (size_t a = 0; a < sizeof copied / sizeof copied[0]; a++) {
        const char *const *v;
        size_t nv;
        dcs_err ignored;
        if (dcs_h5rows_attr_strs(ps[0].rows, copied[a], &v, &nv, &ignored) == 0 &&
            dcs_h5_table_attr_strs(t, copied[a], v, nv, err) != 0)
            return NULL;
    }
    return t;
}

/* Reads the next row of part p into its cells, if it has one. */
static int peek(part *p, dcs_err *err)
{
    if (p->have)
        return 0;
    int rc = dcs_h5rows_next(p->rows, p->cells, err);
    if (rc < 0)
        return rc;
    p->have = rc;
    return 0;
}

static int is_item(const part *p, long cp, long cr, uint64_t point, uint64_t rep)
{
    return p->have && (cp < 0 ? 0 : p->cells[cp].i) == (int64_t)point &&
           p->cells[cr].i == (int64_t)rep;
}

/* Writes table `name` (`traced`: only the first trace_k replications of
 * each point have rows, any number each) in item order. Counts /summary's
 * rows per point into per_point when not NULL. */
static int merge_table(part *ps, size_t n, dcs_h5file *f, const char *name, uint64_t npoints,
                       uint64_t count, uint64_t trace_k, uint64_t *per_point, dcs_h5table **out,
                       dcs_err *err)
{
    long cp, cr;
    dcs_h5table *t = open_table(ps, n, f, name, &cp, &cr, err);
    if (t == NULL)
        return err->code ? err->code : DCS_EHDF5;
    /* The part of index k. */
    part **by = calloc((size_t)ps[0].count, sizeof *by);
    if (by == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory merging %zu parts", n);
    for (size_t i = 0; i < n; i++)
        by[ps[i].index] = &ps[i];
    uint64_t k = (uint64_t)ps[0].count;
    int rc = 0;
    int traced = per_point == NULL;
    for (uint64_t pt = 0; pt < npoints && rc == 0; pt++) {
        uint64_t reps = traced ? (trace_k < count ? trace_k : count) : count;
        for (uint64_t r = 0; r < reps && rc == 0; r++) {
            if (dcs_cmd_interrupted) {
                rc = dcs_err_set(err, DCS_EINTR, "interrupted: nothing written");
                break;
            }
            part *p = by[(pt * count + r) % k];
            uint64_t rows = 0;
            while ((rc = peek(p, err)) == 0 && is_item(p, cp, cr, pt, r)) {
                rc = dcs_h5_table_append(t, p->cells, err);
                p->have = 0;
                rows++;
                if (rc != 0 || !traced)
                    break;
            }
            if (rc == 0 && !traced && rows != 1)
                rc = part_error(err, p->path, name,
                                "has no row for point %llu, replication %llu, which its index "
                                "gives it",
                                (unsigned long long)pt, (unsigned long long)r);
            if (rc == 0 && per_point != NULL)
                per_point[pt] += rows;
        }
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = peek(&ps[i], err);
        if (rc == 0 && ps[i].have)
            rc = part_error(err, ps[i].path, name, "has rows that belong to no item of its share");
    }
    free(by);
    *out = t;
    return rc;
}

/* /sweep/points: part 0's rows, with each point's replications and
 * confidence interval from the merged /summary. */
static int merge_points(part *ps, dcs_h5file *f, dcs_h5table *summary, uint64_t npoints,
                        const uint64_t *per_point, dcs_err *err)
{
    dcs_h5table *t = NULL;
    dcs_h5rows *src = dcs_h5rows_open(ps[0].in, "sweep/points", err);
    if (src == NULL)
        return err->code;
    size_t nc;
    const dcs_column *c = dcs_h5rows_cols(src, &nc);
    t = dcs_h5_table_create_opts(f, "sweep/points", dcs_h5rows_description(src), c, nc,
                                 dcs_h5rows_opts(src), err);
    if (t == NULL)
        return err->code;
    const char *const *mv;
    size_t nm;
    int rc = dcs_h5rows_attr_strs(src, "precision_metric", &mv, &nm, err);
    if (rc == 0 && nm != 1)
        rc = part_error(err, ps[0].path, "precision_metric", "is not one column name");
    if (rc == 0)
        rc = dcs_h5_table_attr_strs(t, "precision_metric", mv, nm, err);
    if (rc != 0)
        return rc;
    long cp = -1, cn = -1, ch = -1, cl = -1;
    for (size_t j = 0; j < nc; j++) {
        cp = strcmp(c[j].name, "point") == 0 ? (long)j : cp;
        cn = strcmp(c[j].name, "replications") == 0 ? (long)j : cn;
        ch = strcmp(c[j].name, "ci95_halfwidth") == 0 ? (long)j : ch;
        cl = strcmp(c[j].name, "ci95_rel_halfwidth") == 0 ? (long)j : cl;
    }
    if (cp < 0 || cn < 0 || ch < 0 || cl < 0)
        return part_error(err, ps[0].path, "sweep/points",
                          "lacks point, replications or ci95 columns");
    dcs_stat_row *st = calloc(npoints, sizeof *st);
    dcs_cell *cells = calloc(nc, sizeof *cells);
    if (st == NULL || cells == NULL)
        rc = dcs_err_set(err, DCS_ENOMEM, "out of memory for %llu points",
                         (unsigned long long)npoints);
    if (rc == 0)
        rc = dcs_stats_by_point(summary, mv[0], npoints, NULL, (double)NAN, st, err);
    int got;
    uint64_t seen = 0;
    while (rc == 0 && (got = dcs_h5rows_next(src, cells, err)) != 0) {
        if (got < 0) {
            rc = got;
            break;
        }
        int64_t p = cells[cp].i;
        if (p < 0 || (uint64_t)p >= npoints) {
            rc = part_error(err, ps[0].path, "sweep/points", "has a point out of range");
            break;
        }
        /* As `dcsim sweep` computes them (cmd_sweep.c, evaluate). */
        double half = st[p].ci95_high - st[p].mean;
        cells[cn].i = (int64_t)per_point[p];
        cells[ch].f = half;
        cells[cl].f = half == 0.0 ? 0.0 : half / fabs(st[p].mean);
        rc = dcs_h5_table_append(t, cells, err);
        seen++;
    }
    if (rc == 0 && seen != npoints)
        rc = part_error(err, ps[0].path, "sweep/points", "has %llu rows for %llu points",
                        (unsigned long long)seen, (unsigned long long)npoints);
    if (rc == 0)
        rc = dcs_h5_table_flush(t, err);
    free(st);
    free(cells);
    return rc;
}

/* The root attributes: part 0's, for the whole run. */
static int write_root(part *p0, dcs_h5file *f, uint64_t done, dcs_err *err)
{
    dcs_h5in *in = p0->in;
    char *name = NULL, *scenario = NULL, *billing = NULL, *sweep = NULL, *sweep_name = NULL;
    int64_t rep = 0, points = 0;
    int rc = dcs_h5in_attr_str(in, "/", "scenario_name", &name, err);
    if (rc == 0)
        rc = dcs_h5in_attr_str(in, "/", "scenario", &scenario, err);
    if (rc == 0)
        rc = dcs_h5in_attr_i64(in, "/", "replications", &rep, err);
    if (rc == 0 && dcs_h5in_has_attr(in, "/", "energy_billing"))
        rc = dcs_h5in_attr_str(in, "/", "energy_billing", &billing, err);
    int is_sweep = dcs_h5in_has_attr(in, "/", "sweep");
    if (rc == 0 && is_sweep) {
        rc = dcs_h5in_attr_str(in, "/", "sweep", &sweep, err);
        if (rc == 0)
            rc = dcs_h5in_attr_str(in, "/", "sweep_name", &sweep_name, err);
        if (rc == 0)
            rc = dcs_h5in_attr_i64(in, "/", "points", &points, err);
    }
    dcs_cmd_root root = {name, (uint64_t)p0->seed, rep, done, 1, scenario, billing};
    if (rc == 0)
        rc = dcs_cmd_write_root(f, &root, err);
    if (rc == 0 && is_sweep) {
        rc = dcs_h5_attr_str(f, "/", "sweep", sweep, err);
        if (rc == 0)
            rc = dcs_h5_attr_str(f, "/", "sweep_name", sweep_name, err);
        if (rc == 0)
            rc = dcs_h5_attr_i64(f, "/", "points", points, err);
    }
    free(name);
    free(scenario);
    free(billing);
    free(sweep);
    free(sweep_name);
    return rc;
}

int dcs_cmd_merge(int argc, char **argv)
{
    const char *out_path = NULL;
    int force = 0, quiet = 0;
    size_t n = 0;
    part *ps = calloc((size_t)argc + 1, sizeof *ps);
    if (ps == NULL) {
        fputs("dcsim: out of memory\n", stderr);
        return 1;
    }
    int status = -1;
    for (int i = 1; i < argc && status < 0; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(merge_usage, stdout);
            fputs(merge_help, stdout);
            status = 0;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (i + 1 >= argc)
                status = merge_usage_error("-o needs a file name", NULL);
            else
                out_path = argv[++i];
        } else if (strcmp(a, "-f") == 0 || strcmp(a, "--force") == 0) {
            force = 1;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            status = merge_usage_error("unknown option", a);
        } else {
            ps[n++].path = a;
        }
    }
    if (status < 0 && n == 0)
        status = merge_usage_error("no parts given", NULL);
    if (status < 0 && out_path == NULL)
        status = merge_usage_error("-o OUT.h5 is required", NULL);
    if (status >= 0) {
        free(ps);
        return status;
    }

    dcs_err err;
    dcs_err_clear(&err);
    dcs_h5file *f = NULL;
    dcs_cmd_input *inputs = calloc(n, sizeof *inputs);
    uint64_t *per_point = NULL;
    uint64_t npoints = 0, count = 0;
    int rc = inputs == NULL ? dcs_err_set(&err, DCS_ENOMEM, "out of memory") : 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = read_part(&ps[i], &err);
    if (rc == 0)
        rc = check_parts(ps, n, &npoints, &count, &err);
    for (size_t i = 0; i < n && rc == 0; i++)
        inputs[i] = (dcs_cmd_input){ps[i].path, "one of the parts"};
    if (rc == 0)
        rc = dcs_cmd_check_output(out_path, inputs, n, force, &err);
    if (rc == 0 && (per_point = calloc(npoints, sizeof *per_point)) == NULL)
        rc = dcs_err_set(&err, DCS_ENOMEM, "out of memory for %llu points",
                         (unsigned long long)npoints);
    if (rc != 0)
        goto fail;

    dcs_cmd_catch_signals();
    f = dcs_cmd_create_output(out_path, &err);
    if (f == NULL)
        goto fail;
    dcs_h5table *summary = NULL, *other = NULL;
    rc = merge_table(ps, n, f, "summary", npoints, count, 0, per_point, &summary, &err);
    uint64_t trace_k = 0;
    if (rc == 0 && dcs_h5in_has(ps[0].in, "events")) {
        int64_t tk = 0;
        rc = dcs_h5in_attr_i64(ps[0].in, "/", "part_trace_k", &tk, &err);
        trace_k = (uint64_t)tk;
        if (rc == 0)
            rc = merge_table(ps, n, f, "events", npoints, count, trace_k, NULL, &other, &err);
        if (rc == 0 && dcs_h5in_has(ps[0].in, "timeseries"))
            rc = merge_table(ps, n, f, "timeseries", npoints, count, trace_k, NULL, &other, &err);
    }
    double budget = NAN, deadline_h = NAN;
    if (rc == 0)
        rc = dcs_h5in_attr_f64(ps[0].in, "/", "part_budget_usd", &budget, &err);
    if (rc == 0)
        rc = dcs_h5in_attr_f64(ps[0].in, "/", "part_deadline_h", &deadline_h, &err);
    if (rc == 0)
        rc = dcs_stats_write(f, summary, budget, deadline_h, &err);
    if (rc == 0)
        rc = dcs_sensitivity_write(f, summary, &err);
    if (rc == 0 && dcs_h5in_has(ps[0].in, "sweep/points"))
        rc = merge_points(ps, f, summary, npoints, per_point, &err);
    if (rc == 0)
        rc = write_root(&ps[0], f, npoints * count, &err);
    if (rc != 0)
        goto fail;
    rc = dcs_cmd_close_output(f, 1, &err);
    dcs_cmd_restore_signals();
    f = NULL;
    if (rc != 0)
        goto fail;
    status = dcs_cmd_finish(out_path, 1, npoints * count, npoints * count, quiet);
    goto out;
fail:
    if (err.code == DCS_EINTR)
        err.code = DCS_EIO; /* exit status 1 */
    status = dcs_cmd_abandon(f, &err);
out:
    for (size_t i = 0; i < n; i++) {
        dcs_h5in_close(ps[i].in);
        free(ps[i].version);
        free(ps[i].revision);
        free(ps[i].digest);
        free(ps[i].cells);
    }
    free(ps);
    free(inputs);
    free(per_point);
    return status;
}
