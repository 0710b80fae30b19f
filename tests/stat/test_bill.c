/*
 * test_bill.c - the whole bill of every shipped scenario: the ledger's lines
 * add up to the total in every replication, and every shipped training and
 * fine-tuning scenario prices every line that applies to it.
 *
 * Which lines apply is a table below, one row per file of scenarios/lib,
 * with the reason for each line left out; the test also fails when a file
 * of scenarios/lib is missing from the table, or when a line the table
 * leaves out is not 0 (so the table cannot drift from the files). Energy
 * and cooling apply exactly when the ledger bills electricity: owned
 * hardware by default; rented hardware includes it in the rent, and then
 * both lines are 0 and the billing note says "included in rent".
 *
 * The checks are exact (sums of doubles in the ledger's own order, and
 * strict positivity), so a few replications of each file suffice; each
 * replication is checked on its own.
 */
#include "ledger.h"
#include "load.h"
#include "reps.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>

TestSuite(bill, .timeout = 900);

/* Ledger lines, as bits, in dcs_ledger_lines order. */
enum { C = 1, E = 2, K = 4, S = 8, D = 16, P = 32, T = 64, L = 128, O = 256 };

static const struct {
    const char *file;
    unsigned lines;      /* the lines that apply and must be > 0 */
    const char *why_not; /* why the others do not apply */
} shipped[] = {
    {"llama3-405b.yaml", C | E | K | S | P | T,
     "data: pre-training on web text, no labels, no purchase published; licences: Meta's own "
     "open-source stack"},
    {"llama3-405b-uncertain.yaml", C | E | K | S | P | T, "as llama3-405b"},
    {"llama3-405b-rented.yaml", C | S | P | T,
     "energy and cooling: in the rent; data and licences: as llama3-405b"},
    {"gpt3-v100.yaml", C | S | P | T,
     "energy and cooling: in the rent (Microsoft's cloud); data: web text, no labels; licences: "
     "none published"},
    {"deepseek-v3.yaml", C | S | D | P | T,
     "energy and cooling: in the rent of the published accounting basis; licences: DeepSeek's "
     "own stack"},
    {"sft-small.yaml", C | S | D | T,
     "energy and cooling: in the rent; processing: generated examples, no pipeline; licences: "
     "open-source stack"},
    {"lora-small.yaml", C | S | D | T, "as sft-small"},
    {"vision-transfer.yaml", C | S | D | T,
     "energy and cooling: in the rent; processing: 1,000 images need no pipeline; licences: "
     "none"},
    {"hot-climate.yaml", C | E | K | S | P | T | L, "data: pre-training on web text, no labels"},
    {"h100-cycle.yaml", C | S | P | T,
     "energy and cooling: in the rent; data: web text, no labels; licences: none for a rented "
     "cluster"},
    {"supply-shock.yaml", C | S | P | T, "as h100-cycle"},
    {"demand-shock.yaml", C | S | P | T, "as h100-cycle"},
    {"market-squeeze.yaml", C | S | P | T, "as h100-cycle"},
    {"hindcast-2023.yaml", C | S | P | T, "as h100-cycle"},
    {"whatif-export-ban.yaml", C | S | P | T, "as h100-cycle"},
    {"whatif-fab-outage.yaml", C | S | P | T, "as h100-cycle"},
    {"whatif-inference-surge.yaml", C | S | P | T, "as h100-cycle"},
};
#define NSHIPPED (sizeof shipped / sizeof shipped[0])

/* The Patterson set reproduces published energy accounting, not a bill:
 * only the sums are checked there. */
static const char *const patterson[] = {"gpt3.yaml", "gshard-600b.yaml", "meena.yaml",
                                        "switch.yaml", "t5.yaml"};
#define NPATTERSON (sizeof patterson / sizeof patterson[0])

static dcs_scenario *load(const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/scenarios/lib/%s", DCSIM_SOURCE_DIR, rel);
    dcs_scenario *sc = malloc(sizeof *sc);
    cr_assert_not_null(sc);
    dcs_err err;
    dcs_err_clear(&err);
    char buf[768];
    cr_assert_eq(dcs_scenario_load(path, NULL, 0, sc, NULL, &err), 0, "%s",
                 dcs_err_format(&err, buf, sizeof buf));
    return sc;
}

/* Replications of sc: the ledger adds up exactly in each, in its order. */
static dcs_run_result *run_and_sum(const dcs_scenario *sc, const char *file, size_t n)
{
    dcs_run_result *r = reps_run(sc, sc->sim.seed, n);
    for (size_t i = 0; i < n; i++) {
        double lines[DCS_LEDGER_NLINES], sum = 0.0;
        dcs_ledger_lines(&r[i].ledger, lines);
        for (int k = 0; k < DCS_LEDGER_NLINES; k++)
            sum += lines[k];
        cr_assert_eq(sum, r[i].ledger.total,
                     "%s, replication %zu: lines add up to %.17g, total %.17g", file, i, sum,
                     r[i].ledger.total);
    }
    return r;
}

Test(bill, every_file_of_the_library_is_in_the_table)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/scenarios/lib", DCSIM_SOURCE_DIR);
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "cannot open %s", dir);
    size_t seen = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 5, ".yaml") != 0)
            continue;
        int found = 0;
        for (size_t i = 0; i < NSHIPPED; i++)
            found |= strcmp(shipped[i].file, e->d_name) == 0;
        cr_assert(found, "scenarios/lib/%s is not in test_bill.c's table of applicable lines",
                  e->d_name);
        seen++;
    }
    closedir(d);
    cr_assert_eq(seen, NSHIPPED, "the table names files that are not in scenarios/lib");
}

Test(bill, every_shipped_scenario_prices_every_line_that_applies)
{
    for (size_t f = 0; f < NSHIPPED; f++) {
        dcs_scenario *sc = load(shipped[f].file);
        /* The electricity rule: energy and cooling apply exactly when they
         * are billed, and then the power model prices them. */
        int billed = (shipped[f].lines & (E | K)) != 0;
        cr_assert_eq(dcs_ledger_energy_billing(sc) != DCS_ENERGY_IN_RENT, billed,
                     "%s: energy billing is \"%s\"", shipped[f].file, dcs_ledger_energy_note(sc));
        const size_t n = 3;
        dcs_run_result *r = run_and_sum(sc, shipped[f].file, n);
        for (size_t i = 0; i < n; i++) {
            double lines[DCS_LEDGER_NLINES];
            dcs_ledger_lines(&r[i].ledger, lines);
            for (int k = 0; k < DCS_LEDGER_NLINES; k++) {
                if (shipped[f].lines & (1u << k))
                    cr_assert_gt(lines[k], 0.0, "%s, replication %zu: %s is $0 but applies",
                                 shipped[f].file, i, dcs_ledger_line_names[k]);
                else
                    cr_assert_eq(lines[k], 0.0,
                                 "%s, replication %zu: %s is $%g but the table says it does not "
                                 "apply (%s)",
                                 shipped[f].file, i, dcs_ledger_line_names[k], lines[k],
                                 shipped[f].why_not);
            }
        }
        free(r);
        free(sc);
    }
}

Test(bill, the_patterson_set_adds_up_too)
{
    for (size_t f = 0; f < NPATTERSON; f++) {
        char rel[64];
        snprintf(rel, sizeof rel, "patterson/%s", patterson[f]);
        dcs_scenario *sc = load(rel);
        free(run_and_sum(sc, rel, 1));
        free(sc);
    }
}
