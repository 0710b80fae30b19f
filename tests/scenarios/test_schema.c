/*
 * test_schema.c - the key table (scenarios/schema.h) against the docs and
 * the loader: docs/scenarios.md's key tables are the ones generated from
 * the table; every entry's field lies inside the struct it names; every
 * fixed default in the table is the value the loader fills in when the key
 * is left out; every range in the table is the one the loader enforces (a
 * value just outside is refused at that key, a closed bound is accepted).
 */
#include "expect.h"
#include "schema.h"
#include "schema_base.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s is missing", path);
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

Test(schema, docs_key_tables_are_generated_from_the_table)
{
    char *doc = read_text(DCSIM_SOURCE_DIR "/docs/scenarios.md");
    char *gen = NULL;
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert_eq(dcs_schema_doc_update(doc, &gen, &err), 0, "%s: %s", err.where, err.msg);
    cr_assert(strstr(doc, "<!-- keys: failures[] -->") != NULL,
              "the failures table is not generated");
    if (strcmp(doc, gen) != 0) {
        long line = 1;
        size_t i = 0;
        for (; doc[i] != '\0' && doc[i] == gen[i]; i++)
            line += doc[i] == '\n';
        cr_assert_fail(
            "docs/scenarios.md differs from the key table from line %ld: run `cmake --build "
            "build --target scenario-doc`",
            line);
    }
    free(gen);
    free(doc);
}

/* "failures[]" + "mtbf" -> "failures[0].mtbf": a path in --set syntax. */
static void full_path(char *dst, size_t n, const dcs_schema_section *s, const dcs_schema_key *k)
{
    char pattern[160];
    snprintf(pattern, sizeof pattern, "%s%s%s", s->path, s->path[0] != '\0' ? "." : "", k->name);
    schema_first_item(dst, n, pattern, sizeof pattern);
}

/* The start of the struct that holds the fields of section s in sc: the
 * scenario, or the first item of a list; NULL for a list without items. */
static const char *base_of(const dcs_scenario *sc, const dcs_schema_section *s)
{
    for (const dcs_schema_section *t = s; t->id != DCS_SEC_TOP;) {
        const dcs_schema_key *pk = dcs_schema_parent(t->id);
        cr_assert_not_null(pk, "section %s has no parent key", t->path);
        if (pk->type == DCS_KT_LIST) {
            int count;
            memcpy(&count, (const char *)sc + pk->count_offset, sizeof count);
            return count > 0 ? (const char *)sc + pk->offset : NULL;
        }
        const dcs_schema_key *found = NULL;
        for (int id = DCS_SEC_TOP; id < DCS_SEC_COUNT && found == NULL; id++) {
            const dcs_schema_section *u = dcs_schema_section_of((dcs_sec)id);
            if (u != NULL && pk >= u->keys && pk < u->keys + u->nkeys) {
                t = u;
                found = pk;
            }
        }
        cr_assert_not_null(found);
    }
    return (const char *)sc;
}

Test(schema, every_field_lies_inside_its_struct)
{
    size_t nkeys = 0;
    for (int id = DCS_SEC_TOP; id < DCS_SEC_COUNT; id++) {
        const dcs_schema_section *s = dcs_schema_section_of((dcs_sec)id);
        cr_assert_not_null(s, "section %d is not in the table", id);
        const dcs_schema_key *pk = dcs_schema_parent(s->id);
        size_t room = pk != NULL && pk->type == DCS_KT_LIST ? pk->size : sizeof(dcs_scenario);
        for (size_t i = 0; i < s->nkeys; i++) {
            const dcs_schema_key *k = &s->keys[i];
            nkeys++;
            cr_expect_not_null(k->doc, "%s.%s has no doc", s->path, k->name);
            if (k->type == DCS_KT_SECTION || k->type == DCS_KT_LIST)
                cr_expect_not_null(dcs_schema_section_of(k->child), "%s.%s has no section", s->path,
                                   k->name);
            if (k->offset == DCS_NO_OFFSET)
                continue;
            cr_expect_leq(k->offset + k->size, room, "%s.%s lies outside its struct", s->path,
                          k->name);
            if (k->type == DCS_KT_NUMBER || k->type == DCS_KT_QUANTITY)
                cr_expect_eq(k->size, sizeof(double), "%s.%s is not a double", s->path, k->name);
            if (k->type == DCS_KT_ENUM)
                cr_expect_eq(k->size, sizeof(int), "%s.%s is not an enum", s->path, k->name);
            if (k->type == DCS_KT_LIST)
                cr_expect_leq(k->offset + k->size * (size_t)k->max_items, sizeof(dcs_scenario));
        }
    }
    cr_expect_geq(nkeys, 190, "the table lost keys: %zu", nkeys);
}

/* The base of the default and range tests (schema_base.h). */
static const char base_yaml[] = "name: schema-base\n" SCHEMA_BASE_BODY;

/* Splits k's needs ("a=1;b=2", list paths with "[]") into sets[]. */
static size_t needs_of(const dcs_schema_key *k, char (*buf)[128], const char **sets, size_t cap)
{
    size_t n = 0;
    for (const char *p = k->needs; p != NULL && *p != '\0' && n < cap;) {
        size_t len = strcspn(p, ";"), j = 0;
        for (size_t i = 0; i < len && j + 3 < sizeof buf[n]; i++) {
            if (p[i] == '[' && p[i + 1] == ']') {
                memcpy(buf[n] + j, "[0]", 3);
                j += 3;
                i++;
            } else {
                buf[n][j++] = p[i];
            }
        }
        buf[n][j] = '\0';
        sets[n] = buf[n];
        n++;
        p += len + (p[len] == ';');
    }
    return n;
}

Test(schema, fixed_defaults_are_the_loaders)
{
    dcs_scenario *sc = malloc(sizeof *sc);
    cr_assert_not_null(sc);
    size_t checked = 0;
    for (int id = DCS_SEC_TOP; id < DCS_SEC_COUNT; id++) {
        const dcs_schema_section *s = dcs_schema_section_of((dcs_sec)id);
        for (size_t i = 0; i < s->nkeys; i++) {
            const dcs_schema_key *k = &s->keys[i];
            if (!(k->flags & DCS_KEY_DEFAULT) || k->offset == DCS_NO_OFFSET)
                continue;
            char buf[4][128];
            const char *sets[4];
            size_t n = needs_of(k, buf, sets, 4);
            char path[160];
            full_path(path, sizeof path, s, k);
            dcs_err err;
            int rc = dcs_scenario_load_string(base_yaml, "base.yaml", sets, n, sc, NULL, &err);
            cr_assert_eq(rc, 0, "%s: %s: %s", path, err.key, err.msg);
            const char *base = base_of(sc, s);
            cr_assert_not_null(base, "%s: the base has no item", path);
            double v = dcs_schema_value(base, k);
            cr_expect(v == k->dflt, "%s: the table's default is %.17g, the loader's %.17g", path,
                      k->dflt, v);
            checked++;
        }
    }
    /* Every section's fixed defaults are reached: a count that drops means
     * a default lost its flag. */
    cr_expect_geq(checked, 70, "only %zu defaults were checked", checked);
    free(sc);
}

/* The unit a quantity of dim is written with in SI. */
static const char *si_unit(dcs_dim d)
{
    switch (d) {
    case DCS_DIM_DURATION:
        return "s";
    case DCS_DIM_POWER:
        return "W";
    case DCS_DIM_ENERGY:
        return "J";
    case DCS_DIM_DATA:
        return "B";
    case DCS_DIM_BANDWIDTH:
        return "B/s";
    case DCS_DIM_TEMPERATURE:
        return "C";
    }
    return "";
}

/* Loads the base with k's needs and k = v; returns the loader's status. */
static int load_with(const dcs_schema_section *s, const dcs_schema_key *k, double v,
                     dcs_scenario *sc, dcs_err *err, char *path, size_t pn)
{
    char buf[5][128];
    const char *sets[5];
    size_t n = needs_of(k, buf, sets, 4);
    full_path(path, pn, s, k);
    const char *unit = k->type == DCS_KT_QUANTITY ? si_unit(k->dim) : "";
    if (k->type == DCS_KT_INTEGER || k->type == DCS_KT_UNSIGNED)
        snprintf(buf[n], sizeof buf[n], "%s=%.0f", path, v);
    else
        snprintf(buf[n], sizeof buf[n], "%s=%.17g%s", path, v, unit);
    sets[n] = buf[n];
    return dcs_scenario_load_string(base_yaml, "base.yaml", sets, n + 1, sc, NULL, err);
}

/* Keys whose range the base cannot reach: another form of the same value
 * is given there (flops, the other rate forms of a failure class), the
 * form needs a scope or kind the base's other keys refuse (maintenance,
 * vision), the key needs what the base has not (a flat energy price needs
 * no power section, a share needs failure_total), or the list has no item
 * in the base (stages, tou). A rental price of 0 is in range but the
 * base's market refuses it (its default price cap, 5 x the reference
 * price, would be 0, not above the floor). A catalog entry's peak_flops is
 * bounded at 1e17, where the test's step of 1 is below a double's spacing
 * (test_user_catalog.c checks that bound). The keys of market.types[]
 * need a list the base's single market has not (test_money_keys.c checks
 * the bounds of mfu), and so do those of job.accelerators[] (test_switch.c). */
static bool unreachable(const dcs_schema_section *s, const dcs_schema_key *k)
{
    static const char *const skip[] = {"job.flops",
                                       "job.images",
                                       "job.flops_per_image",
                                       "failures[].annual_failure_rate",
                                       "failures[].failures_per_1000_unit_days",
                                       "failures[].share",
                                       "failures[].every",
                                       "failures[].duration",
                                       "failures[].first",
                                       "costs.energy_usd_per_accelerator_hour",
                                       "cluster.price_usd_per_accelerator_hour",
                                       "cluster.accelerator_overrides.rental_usd_per_hour",
                                       "catalog.accelerators[].peak_flops",
                                       NULL};
    char path[160];
    snprintf(path, sizeof path, "%s.%s", s->path, k->name);
    for (const char *const *p = skip; *p != NULL; p++)
        if (strcmp(*p, path) == 0)
            return true;
    return s->id == DCS_SEC_STAGE || s->id == DCS_SEC_TOU || s->id == DCS_SEC_FAILURE_TOTAL ||
           s->id == DCS_SEC_MARKET_TYPE || s->id == DCS_SEC_JOB_TYPE;
}

Test(schema, ranges_are_the_loaders)
{
    dcs_scenario *sc = malloc(sizeof *sc);
    cr_assert_not_null(sc);
    size_t checked = 0;
    for (int id = DCS_SEC_TOP; id < DCS_SEC_COUNT; id++) {
        const dcs_schema_section *s = dcs_schema_section_of((dcs_sec)id);
        for (size_t i = 0; i < s->nkeys; i++) {
            const dcs_schema_key *k = &s->keys[i];
            bool typed = k->type == DCS_KT_NUMBER || k->type == DCS_KT_QUANTITY ||
                         k->type == DCS_KT_INTEGER || k->type == DCS_KT_UNSIGNED;
            if (!typed || k->range == 0 || unreachable(s, k))
                continue;
            char path[160];
            dcs_err err;
            struct {
                unsigned has, open;
                double bound, step;
            } ends[2] = {{DCS_RANGE_LO, DCS_RANGE_LO_OPEN, k->lo, -1.0},
                         {DCS_RANGE_HI, DCS_RANGE_HI_OPEN, k->hi, 1.0}};
            for (int e = 0; e < 2; e++) {
                if (!(k->range & ends[e].has))
                    continue;
                bool open = (k->range & ends[e].open) != 0;
                double out = open ? ends[e].bound : ends[e].bound + ends[e].step;
                int rc = load_with(s, k, out, sc, &err, path, sizeof path);
                cr_expect_eq(rc, DCS_EINPUT, "%s = %g is outside the table's range but loads", path,
                             out);
                if (rc == DCS_EINPUT)
                    cr_expect_str_eq(err.key, path, "%s = %g: refused at %s: %s", path, out,
                                     err.key, err.msg);
                if (!open) {
                    rc = load_with(s, k, ends[e].bound, sc, &err, path, sizeof path);
                    cr_expect_eq(rc, 0, "%s = %g is inside the table's range: %s: %s", path,
                                 ends[e].bound, err.key, err.msg);
                }
                checked++;
            }
        }
    }
    cr_expect_geq(checked, 80, "only %zu bounds were checked", checked);
    free(sc);
}
