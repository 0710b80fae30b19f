/*
 * test_user_catalog.c - a catalog of one's own (issue 17): a scenario's
 * `catalog:` section, or a file it names, adds accelerators to the built-in
 * catalog with the same checks (every figure given and in range, a source
 * for each figure), errors at file:line:column, a clash with the built-in
 * catalog refused naming both, and the resolved YAML carrying the entries so
 * that it runs again without the file.
 */
#include "expect.h"
#include "schema.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

#define DATA DCSIM_SOURCE_DIR "/tests/scenarios/data/catalog/"

TestSuite(user_catalog, .timeout = 30);

/* Lines 11-26: an inline catalog of one accelerator, after BASE. */
static const char *const entry[] = {
    "catalog:\n",
    "  accelerators:\n",
    "    - key: MY-CHIP-96\n",
    "      name: My chip 96 GB\n",
    "      format: BF16\n",
    "      peak_flops: 4.53e14\n",
    "      memory: 96GB\n",
    "      tdp: 615W\n",
    "      purchase_usd: 21345.5\n",
    "      rental_usd_per_hour: 2.15\n",
    "      sources:\n",
    "        peak_flops: \"vendor datasheet, 2025\"\n",
    "        memory: \"vendor datasheet, 2025\"\n",
    "        tdp: \"vendor datasheet, 2025\"\n",
    "        purchase_usd: \"assumption: a reseller quote\"\n",
    "        rental_usd_per_hour: \"assumption: a neocloud quote\"\n",
};
#define NENTRY (sizeof entry / sizeof entry[0])

/* BASE, then the entry with its line `line` (11..26) replaced by `with`
 * ("" removes it; line 0 replaces none), then `tail`. */
static char *with_entry(int line, const char *with, const char *tail)
{
    static char text[4096];
    snprintf(text, sizeof text, "%s", BASE);
    for (size_t i = 0; i < NENTRY; i++) {
        const char *l = (int)i + 11 == line ? with : entry[i];
        strncat(text, l, sizeof text - strlen(text) - 1);
    }
    strncat(text, tail, sizeof text - strlen(text) - 1);
    return text;
}

Test(user_catalog, a_scenario_runs_on_an_accelerator_of_its_own_catalog)
{
    dcs_scenario *s = calloc(1, sizeof *s);
    cr_assert_not_null(s);
    const char *set = "cluster.accelerator=my-chip-96";
    expect_ok_set(with_entry(0, "", ""), &set, 1, s);
    cr_assert_eq(s->catalog.naccels, 1);
    cr_assert_str_eq(s->cluster.accel.key, "MY-CHIP-96");
    cr_assert_str_eq(s->cluster.accel.name, "My chip 96 GB");
    cr_assert(s->cluster.accel.peak_flops == 4.53e14);
    cr_assert(s->cluster.accel.memory_bytes == 96e9);
    cr_assert(s->cluster.accel.tdp_w == 615.0);
    cr_assert(s->cluster.accel.purchase_usd == 21345.5);
    /* The entry's rental price is the price's default, as a built-in one's is. */
    cr_assert(s->cluster.price_usd_per_accel_h == 2.15);
    cr_assert_eq(s->catalog.accels[0].format, DCS_FORMAT_BF16);
    cr_assert_str_eq(s->catalog.accels[0].sources[3], "assumption: a reseller quote");
    cr_assert(strstr(s->cluster.accel.source, "purchase: assumption: a reseller quote") != NULL);
    free(s);
}

Test(user_catalog, a_built_in_accelerator_still_loads_beside_a_catalog)
{
    dcs_scenario *s = calloc(1, sizeof *s);
    cr_assert_not_null(s);
    expect_ok(with_entry(0, "", ""), s);
    cr_assert_str_eq(s->cluster.accel.key, "H100-SXM-80GB");
    cr_assert_eq(s->catalog.naccels, 1);
    free(s);
}

Test(user_catalog, n_a_figures_are_nan_and_need_what_they_would_give)
{
    dcs_scenario *s = calloc(1, sizeof *s);
    cr_assert_not_null(s);
    const char *set = "cluster.accelerator=MY-CHIP-96";
    /* Without a rental price, the scenario must give its own price. */
    char *text = with_entry(20, "      rental_usd_per_hour: n/a\n", "");
    expect_err_set(text, &set, 1,
                   "t.yaml:3:3: cluster.price_usd_per_accelerator_hour: missing required key; the "
                   "catalog has no rental price for this accelerator");
    const char *sets[] = {"cluster.accelerator=MY-CHIP-96",
                          "cluster.price_usd_per_accelerator_hour=1.95"};
    expect_ok_set(text, sets, 2, s);
    cr_assert(isnan(s->catalog.accels[0].accel.rental_usd_per_h));
    cr_assert(s->cluster.price_usd_per_accel_h == 1.95);
    free(s);
}

Test(user_catalog, a_missing_figure_is_refused_at_its_entry)
{
    expect_err(with_entry(17, "", ""),
               "t.yaml:13:7: catalog.accelerators[0].memory: missing required key; every entry "
               "gives this figure");
    expect_err(with_entry(18, "", ""),
               "t.yaml:13:7: catalog.accelerators[0].tdp: missing required key; give the figure, "
               "or n/a with a source that says why");
    expect_err(with_entry(15, "", ""),
               "t.yaml:13:7: catalog.accelerators[0].format: missing required key; BF16, or FP16 "
               "for a part without BF16");
    expect_err(with_entry(16, "      peak_flops: n/a\n", ""),
               "t.yaml:16:19: catalog.accelerators[0].peak_flops: cannot be n/a: the simulation "
               "needs this figure");
}

Test(user_catalog, a_figure_out_of_range_is_refused_at_its_value)
{
    expect_err(with_entry(18, "      tdp: 615kW\n", ""),
               "t.yaml:18:12: catalog.accelerators[0].tdp: must be > 0W and <= 100000W, got "
               "\"615kW\"");
    expect_err(with_entry(16, "      peak_flops: 0\n", ""),
               "t.yaml:16:19: catalog.accelerators[0].peak_flops: must be > 0 and <= 1e+17, got "
               "\"0\"");
    expect_err(with_entry(16, "      peak_flops: 1.01e17\n", ""),
               "t.yaml:16:19: catalog.accelerators[0].peak_flops: must be > 0 and <= 1e+17, got "
               "\"1.01e17\"");
    dcs_scenario *s = calloc(1, sizeof *s);
    cr_assert_not_null(s);
    expect_ok(with_entry(16, "      peak_flops: 1e17\n", ""), s);
    free(s);
    expect_err(with_entry(19, "      purchase_usd: -1\n", ""),
               "t.yaml:19:21: catalog.accelerators[0].purchase_usd: must be >= 0 and <= 1e+07, "
               "got \"-1\"");
    expect_err(with_entry(17, "      memory: 96\n", ""),
               "t.yaml:17:15: catalog.accelerators[0].memory: \"96\" has no unit; use one of B, "
               "kB, KB, MB, GB, TB, PB, KiB, MiB, GiB, TiB, PiB");
    expect_err(with_entry(15, "      format: FP8\n", ""),
               "t.yaml:15:15: catalog.accelerators[0].format: unknown value \"FP8\"; use one of "
               "BF16, FP16");
}

Test(user_catalog, a_missing_or_empty_source_is_refused)
{
    expect_err(with_entry(24, "", ""),
               "t.yaml:22:9: catalog.accelerators[0].sources.tdp: missing required key; every "
               "figure names its public source, or \"assumption:\" and why");
    expect_err(with_entry(25, "        purchase_usd: \"  \"\n", ""),
               "t.yaml:25:23: catalog.accelerators[0].sources.purchase_usd: must not be empty: "
               "every figure names its public source, or \"assumption:\" and why");
    /* The entry without its sources (lines 21-26). */
    char text[4096];
    snprintf(text, sizeof text, "%s", BASE);
    for (size_t i = 0; i < 10; i++)
        strncat(text, entry[i], sizeof text - strlen(text) - 1);
    expect_err(text, "t.yaml:13:7: catalog.accelerators[0].sources: missing required key");
}

Test(user_catalog, a_clash_with_the_built_in_catalog_names_both)
{
    expect_err(with_entry(13, "    - key: h100-sxm-80gb\n", ""),
               "t.yaml:13:12: catalog.accelerators[0].key: \"h100-sxm-80gb\" clashes with the "
               "built-in catalog's \"H100-SXM-80GB\" (NVIDIA H100 SXM5 80 GB): a catalog of your "
               "own adds accelerators and replaces none; choose another key, or change figures "
               "with cluster.accelerator_overrides");
}

Test(user_catalog, an_entry_given_twice_and_bad_keys_are_refused)
{
    char text[4096];
    snprintf(text, sizeof text, "%s", with_entry(0, "", ""));
    /* The same entry again, from line 27, with its key in other case. */
    for (size_t i = 2; i < NENTRY; i++)
        strncat(text, i == 2 ? "    - key: my-chip-96\n" : entry[i],
                sizeof text - strlen(text) - 1);
    expect_err(text, "t.yaml:27:12: catalog.accelerators[1].key: \"my-chip-96\" is given twice "
                     "(also catalog.accelerators[0], \"MY-CHIP-96\")");
    expect_err(with_entry(13, "    - key: my chip\n", ""),
               "t.yaml:13:12: catalog.accelerators[0].key: must be 1 to 63 of A-Z a-z 0-9 - _ ., "
               "got \"my chip\"");
    expect_err(with_entry(14, "      nmae: x\n", ""),
               "t.yaml:14:7: catalog.accelerators[0].nmae: unknown key; did you mean \"name\"?");
    expect_err(BASE "catalog:\n  accelerators: []\n",
               "t.yaml:12:17: catalog.accelerators: an empty list: give at least one accelerator");
    expect_err(BASE "catalog: {}\n", "t.yaml:11:10: catalog.accelerators: missing required key");
    expect_err(BASE "catalog: [a]\n",
               "t.yaml:11:10: catalog: expected a catalog file name or a mapping, got a list");
}

Test(user_catalog, an_unknown_accelerator_points_at_a_catalog_of_ones_own)
{
    const char *set = "cluster.accelerator=MY-CHIP-97";
    expect_err_set(with_entry(0, "", ""), &set, 1,
                   "--set:1:21: cluster.accelerator: unknown accelerator \"MY-CHIP-97\"; run "
                   "`dcsim catalog` to list the known ones, or add it in a catalog of your own "
                   "(`catalog:`)");
}

Test(user_catalog, the_resolved_yaml_carries_the_entries_and_round_trips)
{
    expect_round_trip(with_entry(0, "", ""));
    expect_round_trip(with_entry(20, "      rental_usd_per_hour: n/a\n", ""));
    /* The cluster on the entry, with overrides on top: the resolved text
     * gives the overrides against the entry's figures. */
    char text[4096];
    snprintf(text, sizeof text, "%s",
             with_entry(0, "",
                        "cluster:\n  accelerator: MY-CHIP-96\n  nodes: 3\n"
                        "  accelerator_overrides:\n    tdp: 640W\n"));
    char *c = strstr(text, "cluster:\n  accelerator: H100-SXM-80GB\n  nodes: 2\n");
    cr_assert_not_null(c);
    /* Drop BASE's cluster (lines 2-4): the tail gives the cluster. */
    memmove(c, c + strlen("cluster:\n  accelerator: H100-SXM-80GB\n  nodes: 2\n"),
            strlen(c + strlen("cluster:\n  accelerator: H100-SXM-80GB\n  nodes: 2\n")) + 1);
    dcs_scenario *s = calloc(1, sizeof *s);
    cr_assert_not_null(s);
    char *y = NULL;
    dcs_err err;
    char buf[768];
    cr_assert_eq(dcs_scenario_load_string(text, "t.yaml", NULL, 0, s, &y, &err), 0, "%s",
                 dcs_err_format(&err, buf, sizeof buf));
    cr_assert(s->cluster.accel.tdp_w == 640.0);
    cr_assert(s->catalog.accels[0].accel.tdp_w == 615.0);
    cr_assert(strstr(y, "  accelerator_overrides:\n    tdp: 640W\n  nodes: 3\n") != NULL, "%s", y);
    free(y);
    free(s);
    expect_round_trip(text);
}

Test(user_catalog, a_catalog_file_beside_the_scenario_runs_without_it_once_resolved)
{
    dcs_scenario *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    cr_assert(a != NULL && b != NULL);
    char *y1 = NULL, *y2 = NULL;
    dcs_err err;
    char buf[768];
    int rc = dcs_scenario_load(DATA "uses-file.yaml", NULL, 0, a, &y1, &err);
    cr_assert_eq(rc, 0, "%s", dcs_err_format(&err, buf, sizeof buf));
    cr_assert_str_eq(a->cluster.accel.key, "L40S-48GB-TEST");
    cr_assert(a->cluster.accel.peak_flops == 362.05e12);
    cr_assert(isnan(a->cluster.accel.rental_usd_per_h));
    cr_assert(strstr(y1, "catalog:\n  accelerators:\n    - key: \"L40S-48GB-TEST\"\n") != NULL,
              "%s", y1);
    cr_assert(strstr(y1, "my-accelerators.yaml") == NULL, "the resolved YAML names the file");
    /* Loaded from elsewhere (no catalog file beside it): the same struct. */
    rc = dcs_scenario_load_string(y1, "/nonexistent/resolved.yaml", NULL, 0, b, &y2, &err);
    cr_assert_eq(rc, 0, "%s", dcs_err_format(&err, buf, sizeof buf));
    cr_assert_eq(memcmp(a, b, sizeof *a), 0, "the reloaded struct differs:\n%s", y1);
    cr_assert_str_eq(y1, y2);
    free(y1);
    free(y2);
    free(a);
    free(b);
}

/* Writes text to a fresh file named `name` in a new temporary folder; the
 * path goes in path. */
static void write_temp(const char *name, const char *text, char *path, size_t n)
{
    char dir[] = "/tmp/dcsim-usercat-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, n, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

static void remove_temp(const char *path)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s", path);
    *strrchr(dir, '/') = '\0';
    unlink(path);
    rmdir(dir);
}

Test(user_catalog, errors_in_a_catalog_file_are_reported_in_that_file)
{
    char cat[512], scen[512], want[1024], buf[768];
    write_temp("cat.yaml",
               "accelerators:\n"
               "  - key: BAD-1\n"
               "    name: bad\n"
               "    format: FP16\n"
               "    peak_flops: 1e14\n"
               "    memory: 16GB\n"
               "    tdp: 2MW\n",
               cat, sizeof cat);
    dcs_user_catalog *uc = calloc(1, sizeof *uc);
    cr_assert_not_null(uc);
    dcs_err err;
    int rc = dcs_user_catalog_load(cat, uc, &err);
    cr_assert_eq(rc, DCS_EINPUT);
    snprintf(want, sizeof want,
             "%s:7:10: accelerators[0].tdp: must be > 0W and <= 100000W, got \"2MW\"", cat);
    cr_assert_str_eq(dcs_err_format(&err, buf, sizeof buf), want);
    /* The same through a scenario that names the file by its relative name. */
    snprintf(scen, sizeof scen, "%s", cat);
    strcpy(strrchr(scen, '/') + 1, "s.yaml");
    FILE *f = fopen(scen, "w");
    cr_assert_not_null(f);
    fputs("name: s\ncatalog: cat.yaml\n", f);
    fclose(f);
    dcs_scenario *s = calloc(1, sizeof *s);
    cr_assert_not_null(s);
    rc = dcs_scenario_load(scen, NULL, 0, s, NULL, &err);
    cr_assert_eq(rc, DCS_EINPUT);
    cr_assert_str_eq(dcs_err_format(&err, buf, sizeof buf), want);
    unlink(scen);
    /* A catalog file that is not there: reported at the scenario's key. */
    remove_temp(cat);
    rc = dcs_user_catalog_load(cat, uc, &err);
    cr_assert_eq(rc, DCS_EINPUT);
    const char *set = "catalog=no-such-catalog.yaml";
    rc = dcs_scenario_load_string("name: s\n", "t.yaml", &set, 1, s, NULL, &err);
    cr_assert_eq(rc, DCS_EINPUT);
    cr_assert_str_eq(dcs_err_format(&err, buf, sizeof buf),
                     "--set:1:9: catalog: cannot open no-such-catalog.yaml: No such file or "
                     "directory");
    /* The input limits apply: no directory, no device. */
    set = "catalog=" DCSIM_SOURCE_DIR "/tests";
    rc = dcs_scenario_load_string("name: s\n", "t.yaml", &set, 1, s, NULL, &err);
    cr_assert_eq(rc, DCS_EINPUT);
    cr_assert(strstr(dcs_err_format(&err, buf, sizeof buf),
                     "--set:1:9: catalog: " DCSIM_SOURCE_DIR
                     "/tests is a directory; give a catalog file") != NULL,
              "%s", buf);
    set = "catalog=/dev/zero";
    rc = dcs_scenario_load_string("name: s\n", "t.yaml", &set, 1, s, NULL, &err);
    cr_assert_eq(rc, DCS_EINPUT);
    cr_assert_str_eq(dcs_err_format(&err, buf, sizeof buf),
                     "--set:1:9: catalog: /dev/zero is a character device; give a catalog file");
    free(uc);
    free(s);
}

Test(user_catalog, a_catalog_file_holds_at_most_eight_entries_and_one_mapping)
{
    char cat[512], buf[768], want[1024];
    char text[8192] = "accelerators:\n";
    for (int i = 0; i <= DCS_MAX_USER_ACCELS; i++) {
        char e[512];
        snprintf(e, sizeof e,
                 "  - {key: C%d, name: c, format: BF16, peak_flops: 1e14, memory: 8GB, tdp: 100W, "
                 "purchase_usd: n/a, rental_usd_per_hour: n/a, sources: {peak_flops: a, memory: "
                 "a, tdp: a, purchase_usd: a, rental_usd_per_hour: a}}\n",
                 i);
        strncat(text, e, sizeof text - strlen(text) - 1);
    }
    write_temp("cat.yaml", text, cat, sizeof cat);
    dcs_user_catalog *uc = calloc(1, sizeof *uc);
    cr_assert_not_null(uc);
    dcs_err err;
    cr_assert_eq(dcs_user_catalog_load(cat, uc, &err), DCS_EINPUT);
    snprintf(want, sizeof want, "%s:2:3: accelerators: at most 8 accelerators, got 9", cat);
    cr_assert_str_eq(dcs_err_format(&err, buf, sizeof buf), want);
    remove_temp(cat);
    write_temp("cat.yaml", "- a\n", cat, sizeof cat);
    cr_assert_eq(dcs_user_catalog_load(cat, uc, &err), DCS_EINPUT);
    snprintf(want, sizeof want, "%s:1:1: expected a mapping with the key accelerators, got a list",
             cat);
    cr_assert_str_eq(dcs_err_format(&err, buf, sizeof buf), want);
    remove_temp(cat);
    /* The shipped test catalog loads as the catalog command reads it. */
    cr_assert_eq(dcs_user_catalog_load(DATA "my-accelerators.yaml", uc, &err), 0, "%s",
                 dcs_err_format(&err, buf, sizeof buf));
    cr_assert_eq(uc->naccels, 1);
    free(uc);
}

/* A market type may be an entry of the scenario's own catalog: it keeps
 * its figures, and its random streams are numbered from the top (31 for
 * the first entry), apart from the built-in entries'. */
Test(user_catalog, a_market_type_may_come_from_the_scenarios_catalog)
{
    dcs_scenario *s = calloc(1, sizeof *s);
    cr_assert_not_null(s);
    expect_ok(with_entry(0, "",
                         "market:\n  elasticity: 0.5\n  lead_time: 10w\n  types:\n"
                         "    - {accelerator: H100-SXM-80GB}\n    - {accelerator: my-chip-96}\n"),
              s);
    cr_assert_eq(s->nmarket_types, 2);
    const dcs_market_type_cfg *t = &s->market_types[1];
    cr_assert_str_eq(t->accel, "MY-CHIP-96");
    cr_assert_eq(t->peak_flops, 4.53e14);
    cr_assert_eq(t->m.ref_price, 2.15, "its catalog rental price");
    cr_assert_eq(t->catalog_index, DCS_MARKET_TYPE_STREAMS - 1);
    cr_assert_lt(s->market_types[0].catalog_index, DCS_MARKET_TYPE_STREAMS - 1);
    expect_round_trip(with_entry(0, "",
                                 "market:\n  elasticity: 0.5\n  lead_time: 10w\n  types:\n"
                                 "    - {accelerator: H100-SXM-80GB}\n"
                                 "    - {accelerator: MY-CHIP-96, mfu: 0.3}\n"));
    free(s);
}
