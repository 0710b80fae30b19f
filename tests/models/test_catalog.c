/*
 * test_catalog.c - the built-in accelerator catalog (models/catalog.c).
 *
 * Checks the properties the rest of dcsim relies on: every entry cites its
 * sources, keys are unique and found case-insensitively but exactly, the
 * H100 figures match NVIDIA's datasheet as quoted by the Epoch chip
 * database, the accelerators DESIGN.md names are all present, and a figure
 * that was not found is NAN (never 0, which would silently make a run free
 * or its power nil), with "not found" written in the entry's source.
 * Known answers are literals from the domain reference, section 5, so an
 * exact comparison is the right one: the table stores the same literals.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "catalog.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

TestSuite(catalog, .timeout = 10);

/* The keys DESIGN.md section 3 and the project brief require. */
static const char *const required_keys[] = {"V100-SXM2-32GB", "A100-SXM-40GB", "A100-SXM-80GB",
                                            "H100-SXM-80GB",  "H800-SXM-80GB", "H200-SXM-141GB",
                                            "B200",           "MI300X",        "TPU-v4",
                                            "TPU-v5e",        "TPU-v5p"};

static double figure(const dcs_accel *a, int i)
{
    switch (i) {
    case 0:
        return a->peak_flops;
    case 1:
        return a->memory_bytes;
    case 2:
        return a->tdp_w;
    case 3:
        return a->purchase_usd;
    default:
        return a->rental_usd_per_h;
    }
}

#define NFIGURES 5

Test(catalog, every_entry_has_a_key_a_name_and_a_source)
{
    cr_assert(gt(sz, dcs_catalog_count(), 0));
    for (size_t i = 0; i < dcs_catalog_count(); i++) {
        const dcs_accel *a = dcs_catalog_at(i);
        cr_assert(a != NULL);
        cr_assert(gt(sz, strlen(a->key), 0), "entry %zu has no key", i);
        cr_assert(gt(sz, strlen(a->name), 0), "%s has no name", a->key);
        /* A source names at least one source key in brackets, e.g. [EPOCH-DB]. */
        cr_assert(strchr(a->source, '[') != NULL, "%s cites no source key", a->key);
        cr_assert(lt(sz, strlen(a->source), sizeof a->source), "%s: source not terminated", a->key);
    }
}

Test(catalog, at_is_null_out_of_range)
{
    cr_assert(dcs_catalog_at(dcs_catalog_count()) == NULL);
    cr_assert(dcs_catalog_at((size_t)-1) == NULL);
}

Test(catalog, keys_are_unique_ignoring_case)
{
    size_t n = dcs_catalog_count();
    for (size_t i = 0; i < n; i++) {
        const dcs_accel *a = dcs_catalog_at(i);
        /* find returns the first match, so a duplicate later in the table is caught. */
        cr_assert(dcs_catalog_find(a->key) == a, "key %s is not unique", a->key);
    }
}

Test(catalog, required_accelerators_are_present)
{
    for (size_t i = 0; i < sizeof required_keys / sizeof required_keys[0]; i++) {
        const dcs_accel *a = dcs_catalog_find(required_keys[i]);
        cr_assert(a != NULL, "missing %s", required_keys[i]);
        cr_assert(strcmp(a->key, required_keys[i]) == 0);
    }
}

Test(catalog, find_is_case_insensitive_and_exact)
{
    const dcs_accel *h100 = dcs_catalog_find("H100-SXM-80GB");
    cr_assert(h100 != NULL);
    cr_assert(dcs_catalog_find("h100-sxm-80gb") == h100);
    cr_assert(dcs_catalog_find("H100-Sxm-80gB") == h100);
    /* Prefixes, extensions, padding and the empty string do not match. */
    cr_assert(dcs_catalog_find("H100") == NULL);
    cr_assert(dcs_catalog_find("H100-SXM-80GB-X") == NULL);
    cr_assert(dcs_catalog_find(" H100-SXM-80GB") == NULL);
    cr_assert(dcs_catalog_find("H100-SXM-80GB ") == NULL);
    cr_assert(dcs_catalog_find("") == NULL);
    cr_assert(dcs_catalog_find("no-such-chip") == NULL);
    cr_assert(dcs_catalog_find(NULL) == NULL);
}

/* NVIDIA H100 SXM5 datasheet via [EPOCH-DB]: 989 TFLOP/s dense BF16, 80 GB HBM3,
 * 700 W TDP (domain reference section 5). */
Test(catalog, h100_figures_match_the_datasheet)
{
    const dcs_accel *a = dcs_catalog_find("H100-SXM-80GB");
    cr_assert(a != NULL);
    cr_assert(eq(dbl, a->peak_flops, 989e12));
    cr_assert(eq(dbl, a->memory_bytes, 80e9));
    cr_assert(eq(dbl, a->tdp_w, 700.0));
    cr_assert(gt(dbl, a->purchase_usd, 0.0));
    cr_assert(gt(dbl, a->rental_usd_per_h, 0.0));
}

/* Other datasheet figures from the domain reference, section 5. */
Test(catalog, other_figures_match_the_reference)
{
    const dcs_accel *v100 = dcs_catalog_find("V100-SXM2-32GB");
    const dcs_accel *a100 = dcs_catalog_find("A100-SXM-80GB");
    const dcs_accel *h200 = dcs_catalog_find("H200-SXM-141GB");
    const dcs_accel *b200 = dcs_catalog_find("B200");
    const dcs_accel *tpu4 = dcs_catalog_find("TPU-v4");
    cr_assert(eq(dbl, v100->peak_flops, 125e12));
    cr_assert(eq(dbl, v100->tdp_w, 300.0));
    cr_assert(eq(dbl, a100->peak_flops, 312e12));
    cr_assert(eq(dbl, a100->tdp_w, 400.0));
    cr_assert(eq(dbl, h200->memory_bytes, 141e9));
    cr_assert(eq(dbl, b200->peak_flops, 2250e12));
    /* TPU v4 memory is 32 GiB, not 32 GB. */
    cr_assert(eq(dbl, tpu4->memory_bytes, 32.0 * 1024 * 1024 * 1024));
}

Test(catalog, unknown_figures_are_nan_not_zero)
{
    const dcs_accel *v5p = dcs_catalog_find("TPU-v5p");
    cr_assert(v5p != NULL);
    cr_assert(isnan(v5p->tdp_w), "TPU v5p TDP was not found and must be NAN");
    cr_assert(isnan(v5p->rental_usd_per_h), "TPU v5p rental was not found and must be NAN");
    /* Every figure of every entry is either NAN or a positive finite number. */
    for (size_t i = 0; i < dcs_catalog_count(); i++) {
        const dcs_accel *a = dcs_catalog_at(i);
        for (int f = 0; f < NFIGURES; f++) {
            double v = figure(a, f);
            cr_assert(isnan(v) || (isfinite(v) && v > 0.0), "%s: figure %d is %g", a->key, f, v);
        }
        /* The compute figures are always known: a job cannot run without them. */
        cr_assert(isfinite(a->peak_flops) && isfinite(a->memory_bytes), "%s", a->key);
    }
}

Test(catalog, every_nan_figure_says_not_found_in_its_source)
{
    for (size_t i = 0; i < dcs_catalog_count(); i++) {
        const dcs_accel *a = dcs_catalog_at(i);
        int unknown = 0;
        for (int f = 0; f < NFIGURES; f++)
            unknown += isnan(figure(a, f));
        if (unknown > 0)
            cr_assert(strstr(a->source, "not found") != NULL,
                      "%s has NAN figures but its source does not say \"not found\"", a->key);
    }
}

/* Reads a whole file into a malloc'd string (NULL when it cannot). */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s != NULL && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s != NULL)
        s[n] = '\0';
    fclose(f);
    return s;
}

Test(catalog, every_source_key_resolves_in_docs_references)
{
    char *refs = slurp(DCSIM_SOURCE_DIR "/docs/references.md");
    cr_assert(refs != NULL, "docs/references.md is missing");
    size_t keys = 0;
    for (size_t i = 0; i < dcs_catalog_count(); i++) {
        const dcs_accel *a = dcs_catalog_at(i);
        for (const char *p = strchr(a->source, '['); p != NULL; p = strchr(p + 1, '[')) {
            const char *e = strchr(p, ']');
            cr_assert(e != NULL, "%s: unclosed source key", a->key);
            /* Listed as a table cell: `[KEY]` in backquotes. */
            char want[80];
            snprintf(want, sizeof want, "`%.*s`", (int)(e - p + 1), p);
            cr_assert(strstr(refs, want) != NULL, "%s cites %s, which docs/references.md lacks",
                      a->key, want);
            keys++;
        }
    }
    cr_assert(keys >= dcs_catalog_count());
    free(refs);
}

Test(catalog, peak_formats_name_what_each_part_computes)
{
    /* The V100 has no BF16: its 125 TFLOP/s are FP16 tensor FLOP/s. */
    cr_assert_str_eq(dcs_catalog_format(dcs_catalog_find("V100-SXM2-32GB")), "FP16");
    cr_assert_str_eq(dcs_catalog_format(dcs_catalog_find("H100-SXM-80GB")), "BF16");
    cr_assert_str_eq(dcs_catalog_format(dcs_catalog_find("TPU-v3")), "BF16");
}

Test(catalog, the_parts_planners_ask_for_are_listed)
{
    /* Issue 17's list; a figure not found is NAN and its source says so. */
    const char *keys[] = {"L40S",   "H200-SXM-141GB", "GH200-96GB", "GB200",    "B300",
                          "MI325X", "Gaudi3",         "TPU-v6e",    "Trainium2"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const dcs_accel *a = dcs_catalog_find(keys[i]);
        cr_assert(a != NULL, "%s is missing", keys[i]);
        cr_assert(a->peak_flops > 0.0, "%s has no peak", keys[i]);
        int missing = isnan(a->tdp_w) || isnan(a->purchase_usd) || isnan(a->rental_usd_per_h);
        int says_why = strstr(a->source, "not found") != NULL || strstr(a->source, "n/a") != NULL ||
                       strstr(a->source, "not sold") != NULL;
        cr_assert(missing == 0 || says_why, "%s: a figure is n/a but its source does not say why",
                  keys[i]);
    }
}
