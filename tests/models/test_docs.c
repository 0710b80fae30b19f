/*
 * test_docs.c - the output reference (docs/output.md) against the code's
 * own tables: every /summary and /timeseries column a scenario with every
 * model on can have, and every trace kind, must be documented there, so a
 * column or kind added to the code without a word in the reference fails
 * the suite.
 */
#include "scen.h"
#include "world.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_doc(void)
{
    FILE *f = fopen(DCSIM_SOURCE_DIR "/docs/output.md", "rb");
    cr_assert_not_null(f, "docs/output.md is missing");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    cr_assert_not_null(s);
    cr_assert_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

/* "| `name` |" or "| name |": a table row that names it. */
static int documented(const char *doc, const char *name)
{
    if (strncmp(name, "input.", 6) == 0) /* one row for every uncertain input */
        name = "input.<key path>";
    char a[128], b[128];
    snprintf(a, sizeof a, "| `%s` |", name);
    snprintf(b, sizeof b, "| %s |", name);
    return strstr(doc, a) != NULL || strstr(doc, b) != NULL;
}

Test(docs, every_output_column_is_in_the_output_reference)
{
    dcs_scenario sc = scen_basic(2, 8, 3600.0);
    sc.power = (dcs_power_cfg){true, 700.0, 350.0, 210.0, 210.0, 3600.0, 0.0, 0.0};
    sc.cooling.pue = 1.2;
    sc.market.on = true;
    sc.market.step_s = 86400.0;
    sc.market.elasticity = 0.5;
    sc.market.ref_price = 2.0;
    sc.market.cap_price = 1e9;
    sc.market.capacity = 1e9;
    sc.nuncertain = 1; /* an uncertain input: its column */
    snprintf(sc.uncertain[0].path, sizeof sc.uncertain[0].path, "job.mfu");
    dcs_err err;
    dcs_err_clear(&err);
    dcs_world *w = dcs_world_create(&sc, &err);
    cr_assert_not_null(w, "%s", err.msg);
    char *doc = read_doc();
    const dcs_column *c = dcs_world_cols(w);
    for (size_t j = 0; j < dcs_world_ncols(w); j++)
        cr_expect(documented(doc, c[j].name), "/summary column %s is not in docs/output.md",
                  c[j].name);
    size_t n;
    c = dcs_world_ts_cols(w, &n);
    for (size_t j = 0; j < n; j++)
        cr_expect(documented(doc, c[j].name), "/timeseries column %s is not in docs/output.md",
                  c[j].name);
    for (size_t k = 0; k < dcs_world_nkinds(); k++) {
        const char *name, *what;
        dcs_world_kind(k, &name, &what);
        cr_expect(documented(doc, name), "trace kind %s is not in docs/output.md", name);
    }
    free(doc);
    dcs_world_destroy(w);
}

/* The columns named after a job's stages are documented by their pattern,
 * "stage_h_<name>" and so on, as a table row. */
Test(docs, every_stage_column_is_in_the_output_reference)
{
    dcs_scenario sc = scen_basic(2, 8, 3600.0);
    sc.job.nstages = 2;
    snprintf(sc.job.stages[0].name, DCS_NAME_MAX, "pretraining");
    sc.job.stages[0].accel_hours = 16.0;
    sc.job.stages[0].mfu = 1.0;
    snprintf(sc.job.stages[1].name, DCS_NAME_MAX, "post");
    sc.job.stages[1].accel_hours = 8.0;
    sc.job.stages[1].mfu = 1.0;
    dcs_err err;
    dcs_err_clear(&err);
    dcs_world *w = dcs_world_create(&sc, &err);
    cr_assert_not_null(w, "%s", err.msg);
    char *doc = read_doc();
    const dcs_column *c = dcs_world_cols(w);
    size_t staged = 0;
    for (size_t j = 0; j < dcs_world_ncols(w); j++) {
        const char *name = c[j].name;
        if (strncmp(name, "stage_", 6) != 0)
            continue;
        const char *tail = strstr(name, "_pretraining");
        if (tail == NULL)
            tail = strstr(name, "_post");
        cr_assert_not_null(tail, "%s names no stage", name);
        char pattern[96];
        snprintf(pattern, sizeof pattern, "%.*s_<name>", (int)(tail - name), name);
        cr_expect(documented(doc, pattern), "/summary column %s is not in docs/output.md as %s",
                  name, pattern);
        staged++;
    }
    cr_assert_eq(staged, 6, "three columns per stage");
    free(doc);
    dcs_world_destroy(w);
}
