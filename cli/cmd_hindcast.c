/*
 * cmd_hindcast.c - `dcsim hindcast FILE.yaml [-n N] [--seed S] [--set key=value]... [-o OUT.csv]`.
 *
 * Compares the market's simulated paths with the scenario's observed price series
 * (market.observed; analysis/hindcast.h): prints, month by month, the observed price, the
 * median and the 5-95 % band of the simulated monthly mean price, then the two figures of fit
 * over the published months. -o writes the same table as CSV (for analysis/notebooks/
 * hindcast.ipynb). -n and --seed are simulation.replications and simulation.seed, as in `run`:
 * replication r is replication r of `dcsim run` with the same seed. Bad input or usage: exit
 * status 2 before anything is computed, and no file.
 */
#include "cmd.h"
#include "hindcast.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: dcsim hindcast FILE.yaml [-n N] [--seed S] [--set key.path=value]... [-o OUT.csv]\n"
    "                      [--force]\n"
    "\n"
    "Compares the market's simulated price paths with the scenario's observed series\n"
    "(market.observed): per month the observed price, the median and the 5-95 % band of the\n"
    "simulated monthly mean price; then the median absolute log error of the median path and\n"
    "the share of published prices inside the band.\n"
    "  -n N          replications (default: simulation.replications)\n"
    "  --seed S      master seed (default: simulation.seed); replication r is run's r\n"
    "  --set k=v     override a key (repeatable; default: none)\n"
    "  -o OUT.csv    also write the table as CSV (default: none)\n"
    "  --force       replace an existing OUT.csv\n"
    "  -h, --help    show this help\n";

typedef struct args {
    const char *file, *out;
    const char **sets;
    size_t nsets;
    int force;
    char n_set[64], seed_set[64];
} args;

/* Returns -1 to go on, else the exit status. */
static int parse(int argc, char **argv, args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(s, "--force") == 0) {
            a->force = 1;
        } else if ((strcmp(s, "-n") == 0 || strcmp(s, "--seed") == 0 || strcmp(s, "--set") == 0 ||
                    strcmp(s, "-o") == 0) &&
                   v == NULL) {
            fprintf(stderr, "dcsim hindcast: %s needs a value\n%s", s, usage);
            return 2;
        } else if (strcmp(s, "-n") == 0) {
            snprintf(a->n_set, sizeof a->n_set, "simulation.replications=%s", argv[++i]);
            a->sets[a->nsets++] = a->n_set;
        } else if (strcmp(s, "--seed") == 0) {
            snprintf(a->seed_set, sizeof a->seed_set, "simulation.seed=%s", argv[++i]);
            a->sets[a->nsets++] = a->seed_set;
        } else if (strcmp(s, "--set") == 0) {
            a->sets[a->nsets++] = argv[++i];
        } else if (strcmp(s, "-o") == 0) {
            a->out = argv[++i];
        } else if (s[0] == '-' && s[1] != '\0') {
            fprintf(stderr, "dcsim hindcast: unknown option %s\n%s", s, usage);
            return 2;
        } else if (a->file != NULL) {
            fprintf(stderr, "dcsim hindcast: more than one file given (%s, %s)\n%s", a->file, s,
                    usage);
            return 2;
        } else {
            a->file = s;
        }
    }
    if (a->file == NULL) {
        fprintf(stderr, "dcsim hindcast: no scenario file given\n%s", usage);
        return 2;
    }
    return -1;
}

static void month_text(int month, char *buf, size_t n)
{
    snprintf(buf, n, "%04d-%02d", month / 12, month % 12 + 1);
}

static const char *const fill_names[] = {"filled", "published"};

static void print_table(FILE *f, const dcs_scenario *s, const dcs_hindcast *h)
{
    fprintf(f, "%-8s %-16s %9s %-10s %9s %9s %9s %s\n", "month", "accelerator", "observed", "fill",
            "p5", "median", "p95", "inside");
    for (int r = 0; r < h->nrows; r++) {
        const dcs_hindcast_row *w = &h->rows[r];
        char m[16];
        month_text(w->month, m, sizeof m);
        if (!w->simulated)
            continue;
        fprintf(f, "%-8s %-16s %9.2f %-10s %9.2f %9.2f %9.2f %s\n", m,
                s->market_types[w->type].accel, w->observed, fill_names[w->published], w->p05,
                w->median, w->p95, w->p05 <= w->observed && w->observed <= w->p95 ? "yes" : "no");
    }
    fprintf(f,
            "\n%d published months: median absolute log error of the median path %.3f "
            "(x%.2f); inside the 90 %% band %.2f\n",
            h->npublished, h->median_abs_log_error, exp(h->median_abs_log_error), h->coverage);
}

static int write_csv(const char *path, const dcs_scenario *s, const dcs_hindcast *h, dcs_err *err)
{
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (f == NULL)
        return dcs_err_set(err, DCS_EIO, "cannot write %s: %s", tmp, strerror(errno));
    fprintf(f, "month,accelerator,observed_usd_per_hour,published,p05,median,p95\n");
    for (int r = 0; r < h->nrows; r++) {
        const dcs_hindcast_row *w = &h->rows[r];
        char m[16];
        month_text(w->month, m, sizeof m);
        if (w->simulated)
            fprintf(f, "%s,%s,%.6g,%d,%.6g,%.6g,%.6g\n", m, s->market_types[w->type].accel,
                    w->observed, (int)w->published, w->p05, w->median, w->p95);
    }
    int bad = ferror(f);
    if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
        remove(tmp);
        return dcs_err_set(err, DCS_EIO, "cannot write %s", path);
    }
    return 0;
}

static int hindcast(const args *a, dcs_scenario *s, dcs_hindcast *h, dcs_err *err)
{
    int rc = dcs_cmd_load_scenario(a->file, a->sets, a->nsets, s, NULL, err);
    if (rc == 0 && a->out != NULL) {
        const dcs_cmd_input in[] = {{a->file, "the scenario"},
                                    {s->observed.csv, "market.observed"}};
        rc = dcs_cmd_check_output(a->out, in, 2, a->force, err);
    }
    if (rc == 0)
        rc = dcs_hindcast_run(s, s->sim.seed, s->sim.replications, h, err);
    if (rc == 0)
        print_table(stdout, s, h);
    if (rc == 0 && a->out != NULL)
        rc = write_csv(a->out, s, h, err);
    return rc;
}

int dcs_cmd_hindcast(int argc, char **argv)
{
    args a = {0};
    a.sets = calloc((size_t)(argc > 0 ? argc : 1), sizeof *a.sets);
    if (a.sets == NULL) {
        fprintf(stderr, "dcsim hindcast: out of memory\n");
        return 1;
    }
    int status = parse(argc, argv, &a);
    if (status < 0) {
        dcs_scenario *s = malloc(sizeof *s);
        dcs_hindcast *h = malloc(sizeof *h);
        dcs_err err;
        dcs_err_clear(&err);
        int rc = s == NULL || h == NULL ? dcs_err_set(&err, DCS_ENOMEM, "out of memory")
                                        : hindcast(&a, s, h, &err);
        if (rc != 0)
            dcs_cmd_print_err(&err);
        status = rc == 0 ? 0 : dcs_cmd_exit_status(rc);
        free(h);
        free(s);
    }
    free(a.sets);
    return status;
}
