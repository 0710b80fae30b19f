/*
 * cmd_validate.c - `dcsim validate FILE.yaml [--set key.path=value]...`.
 *
 * Loads and checks a scenario exactly as `dcsim run` would, without running
 * it, or a sweep file (one with a top-level `base`) as `dcsim sweep` would,
 * every point included: the loader's checks (scenarios/runnable.h: the
 * model's limits, memory, progress) and the sweep's own (the points share
 * their columns, seed, count and targets), so that "ok" means it will run. On success it prints
 * "FILE: ok (<scenario name>)" (for a sweep, "FILE: ok (<sweep name>, N points)") on standard
 * output, or with --resolved the resolved YAML (every key with its effective value, defaults
 * included). On failure it prints the loader's message as "file:line:col: key.path: message" on
 * standard error, with no program prefix, so that editors and compilers' error parsers can jump to
 * the position; usage errors are prefixed "dcsim validate: ". Bad input and bad usage exit with 2,
 * other failures (I/O, memory) with 1.
 *
 * With --estimate it also prints the closed-form estimate of a scenario
 * (models/estimate.h): failure-free time, MTTI, the checkpoint interval,
 * Daly's expected makespan and the ledger at those hours, in about a
 * millisecond, so that the order of magnitude is known before a run; with
 * uncertain inputs, also the p5-p95 range of makespan and cost that they
 * alone imply (the estimate over 100 replications' draws, in about a
 * second). It warns when the training state does not fit and the scenario
 * offloads.
 */
#include "cmd.h"
#include "drawcheck.h"
#include "estimate.h"
#include "load.h"
#include "sweep.h"
#include "writer.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: dcsim validate FILE.yaml [--set key.path=value]... [--resolved] [--estimate]\n"
    "\n"
    "Checks a scenario file without running it: every key, type, unit and range;\n"
    "or a sweep file and every one of its points.\n"
    "  --set key.path=value  override a key before validation (repeatable; default: none),\n"
    "                        e.g. --set checkpoint.interval=2h --set failures[0].mtbf=5y\n"
    "  --resolved            print the resolved scenario (defaults filled in) as YAML\n"
    "  --estimate            also print the closed-form estimate of makespan and cost:\n"
    "                        Daly's model and the ledger at its hours, and with\n"
    "                        uncertain inputs their p5-p95 range over 100 draws\n"
    "                        (scenarios only; default: off)\n"
    "  -h, --help            show this help\n";

static void print_estimate(FILE *out, const dcs_scenario *sc, const dcs_estimate *e)
{
    static const char *const policy[] = {"none", "fixed", "young", "daly"};
    char a[64], b[64];
    fprintf(out, "closed-form estimate (exponential failures, Daly 2006; no waits for spares, "
                 "repairs or capacity; prices at the start):\n");
    fprintf(out, "  failure-free time     %s\n", dcs_cmd_duration(e->ts_s, a, sizeof a));
    if (isfinite(e->mtti_s))
        fprintf(out, "  MTTI                  %s (%.0f interruptions expected)\n",
                dcs_cmd_duration(e->mtti_s, a, sizeof a), e->interruptions);
    else
        fprintf(out, "  MTTI                  no failure classes\n");
    if (isfinite(e->tau_s))
        fprintf(out, "  checkpoint interval   %s (%s), stall %s\n",
                dcs_cmd_duration(e->tau_s, a, sizeof a), policy[sc->checkpoint.policy],
                dcs_cmd_duration(e->delta_s, b, sizeof b));
    else
        fprintf(out, "  checkpoint interval   none during the run (%s)\n",
                policy[sc->checkpoint.policy]);
    fprintf(out, "  restart               %s each\n", dcs_cmd_duration(e->restart_s, a, sizeof a));
    fprintf(out, "  makespan              %s (%+.1f %% over failure-free)\n",
            dcs_cmd_duration(e->makespan_s, a, sizeof a), 100.0 * (e->makespan_s / e->ts_s - 1.0));
    fprintf(out, "  accelerator-hours     %.4g held\n", e->held_accels * e->makespan_s / 3600.0);
    dcs_money(e->ledger.total, a, sizeof a);
    fprintf(out, "  cost                  %s\n", a);
    double lines[DCS_LEDGER_NLINES];
    dcs_ledger_lines(&e->ledger, lines);
    int in_rent = dcs_ledger_energy_billing(sc) == DCS_ENERGY_IN_RENT;
    for (int k = 0; k < DCS_LEDGER_NLINES; k++) {
        if (in_rent && (k == 1 || k == 2)) {
            fprintf(out, "    %-19s included in rent\n", dcs_ledger_line_names[k]);
            continue;
        }
        dcs_money(lines[k], a, sizeof a);
        fprintf(out, "    %-19s %s\n", dcs_ledger_line_names[k], a);
    }
    if (e->energy_it_j > 0.0)
        fprintf(out, "  energy                %.4g MWh (IT %.4g MWh)\n",
                (e->energy_it_j + e->energy_cool_j) / 3.6e9, e->energy_it_j / 3.6e9);
}

/* Draws for the range the uncertain inputs alone imply. */
#define ESTIMATE_DRAWS 100

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The 5th and 95th percentiles of the closed-form estimate over
 * ESTIMATE_DRAWS replications' draws of the uncertain inputs (replications
 * 0, 1, ... of the scenario's seed, as a run draws them): the spread the
 * inputs alone imply, without the simulation's own noise. */
static int print_estimate_range(FILE *out, const char *file, const char *const *sets, size_t nsets,
                                const dcs_scenario *sc, dcs_err *err)
{
    char *owned = NULL;
    dcs_scenario_base *base = dcs_cmd_scenario_base(file, sets, nsets, &owned, err);
    int rc = base != NULL ? 0 : err->code;
    dcs_scenario *d = malloc(sizeof *d);
    double mk[ESTIMATE_DRAWS], cost[ESTIMATE_DRAWS];
    if (rc == 0 && d == NULL)
        rc = dcs_err_set(err, DCS_ENOMEM, "out of memory");
    for (int r = 0; rc == 0 && r < ESTIMATE_DRAWS; r++) {
        dcs_estimate e;
        rc = dcs_scenario_base_load(base, true, sc->sim.seed, (uint64_t)r, NULL, d, err);
        if (rc == 0)
            rc = dcs_estimate_make(d, &e, err);
        mk[r] = e.makespan_s;
        cost[r] = e.ledger.total;
    }
    if (rc == 0) {
        qsort(mk, ESTIMATE_DRAWS, sizeof mk[0], cmp_double);
        qsort(cost, ESTIMATE_DRAWS, sizeof cost[0], cmp_double);
        int lo = ESTIMATE_DRAWS * 5 / 100, hi = ESTIMATE_DRAWS * 95 / 100 - 1;
        char a[64], b[64];
        fprintf(out,
                "  uncertain inputs      %d keys; over %d draws (the inputs alone, closed form), "
                "p5 to p95:\n",
                sc->nuncertain, ESTIMATE_DRAWS);
        fprintf(out, "    makespan            %s to ", dcs_cmd_duration(mk[lo], a, sizeof a));
        fprintf(out, "%s\n", dcs_cmd_duration(mk[hi], b, sizeof b));
        dcs_money(cost[lo], a, sizeof a);
        dcs_money(cost[hi], b, sizeof b);
        fprintf(out, "    cost                %s to %s\n", a, b);
    }
    free(d);
    dcs_scenario_base_destroy(base);
    free(owned);
    return rc;
}

/* Loads replication rep of the base ctx with its draws (drawcheck.h). */
static int load_draw(void *ctx, size_t p, bool draw, uint64_t seed, uint64_t rep,
                     struct dcs_corr_cache *cache, dcs_scenario *out, dcs_err *err)
{
    (void)p;
    return dcs_scenario_base_load(ctx, draw, seed, rep, cache, out, err);
}

/* Every replication a run would draw passes the loader's checks
 * (drawcheck.h): each loaded from the text parsed once. */
static int check_draws(const char *file, const char *const *sets, size_t nsets,
                       const dcs_scenario *sc, dcs_err *err)
{
    char *owned = NULL;
    dcs_scenario_base *b = dcs_cmd_scenario_base(file, sets, nsets, &owned, err);
    int rc = b != NULL ? 0 : err->code;
    if (rc == 0)
        rc = dcs_drawcheck(load_draw, b, 0, sc, sc->sim.seed, (uint64_t)sc->sim.replications, 0,
                           err);
    dcs_scenario_base_destroy(b);
    free(owned);
    return rc;
}

int dcs_cmd_validate(int argc, char **argv)
{
    const char *file = NULL;
    bool resolved = false, estimate = false;
    const char **sets = calloc((size_t)(argc > 0 ? argc : 1), sizeof *sets);
    size_t nsets = 0;
    int status = 2;
    if (sets == NULL) {
        fprintf(stderr, "dcsim validate: out of memory\n");
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            status = 0;
            goto done;
        } else if (strcmp(a, "--resolved") == 0) {
            resolved = true;
        } else if (strcmp(a, "--estimate") == 0) {
            estimate = true;
        } else if (strcmp(a, "--set") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "dcsim validate: --set needs key.path=value\n%s", usage);
                goto done;
            }
            sets[nsets++] = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "dcsim validate: unknown option %s\n%s", a, usage);
            goto done;
        } else if (file != NULL) {
            fprintf(stderr, "dcsim validate: more than one file given (%s, %s)\n%s", file, a,
                    usage);
            goto done;
        } else {
            file = a;
        }
    }
    if (file == NULL) {
        fprintf(stderr, "dcsim validate: no scenario file given\n%s", usage);
        goto done;
    }

    if (estimate && resolved) {
        fprintf(stderr, "dcsim validate: --estimate and --resolved do not go together\n%s", usage);
        goto done;
    }
    int sweep = dcs_cmd_input_is_sweep(file); /* parses the file: once */
    if (sweep && estimate) {
        fprintf(stderr,
                "dcsim validate: --estimate takes a scenario file, not a sweep (%s); estimate "
                "its base with --set on the scenario\n",
                file);
        goto done;
    }
    if (sweep) {
        dcs_err err;
        dcs_err_clear(&err);
        dcs_sweep *sw = NULL;
        int rc = dcs_cmd_sweep_load_checked(file, sets, nsets, &sw, &err);
        if (rc != 0) {
            dcs_cmd_print_err(&err);
            status = dcs_cmd_exit_status(rc);
        } else {
            if (resolved)
                fputs(dcs_sweep_base_resolved(sw), stdout);
            else
                printf("%s: ok (%s, %zu points)\n", file, dcs_sweep_name(sw),
                       dcs_sweep_npoints(sw));
            status = 0;
        }
        dcs_sweep_destroy(sw);
        goto done;
    }
    dcs_scenario *s = malloc(sizeof *s);
    if (s == NULL) {
        fprintf(stderr, "dcsim validate: out of memory\n");
        status = 1;
        goto done;
    }
    dcs_err err;
    dcs_err_clear(&err);
    char *text = NULL;
    int rc = dcs_cmd_load_scenario(file, sets, nsets, s, resolved ? &text : NULL, &err);
    if (rc == 0 && s->nuncertain > 0)
        rc = check_draws(file, sets, nsets, s, &err);
    if (rc != 0) {
        dcs_cmd_print_err(&err);
        status = dcs_cmd_exit_status(rc);
    } else {
        if (resolved)
            fputs(text, stdout);
        else
            printf("%s: ok (%s)\n", file, s->name);
        dcs_cmd_warn_memory(stderr, file, s);
        status = 0;
        if (estimate) {
            dcs_estimate e;
            dcs_err_clear(&err);
            if (dcs_estimate_make(s, &e, &err) != 0) {
                dcs_cmd_print_err(&err);
                status = dcs_cmd_exit_status(err.code);
            } else {
                print_estimate(stdout, s, &e);
                if (s->nuncertain > 0 &&
                    print_estimate_range(stdout, file, sets, nsets, s, &err) != 0) {
                    dcs_cmd_print_err(&err);
                    status = dcs_cmd_exit_status(err.code);
                }
            }
        }
    }
    free(text);
    free(s);
done:
    free(sets);
    return status;
}
