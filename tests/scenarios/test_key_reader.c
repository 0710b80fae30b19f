/*
 * test_key_reader.c - the loader reads a key by its entry in the key table
 * (scenarios/reader.c, read_key): a value outside the range is refused at
 * the key's path in the words the table gives (bound_msg), or, for an
 * interval without words of its own, "must be in (lo, hi]"; the default of
 * a key left out is its entry's; a key given where its table clause is
 * false is refused in the table's words (f_refuse).
 */
#include "expect.h"
#include "schema.h"
#include "schema_base.h"

#include <stdio.h>

static const char base_yaml[] = "name: key-reader\n" SCHEMA_BASE_BODY;

/* "failures[]" + "mtbf" -> "failures[0].mtbf". */
static void key_path(char *dst, size_t n, const dcs_schema_section *s, const dcs_schema_key *k)
{
    char pattern[160];
    snprintf(pattern, sizeof pattern, "%s%s%s", s->path, s->path[0] != '\0' ? "." : "", k->name);
    schema_first_item(dst, n, pattern, sizeof pattern);
}

/* Loads the base with k's needs (";"-separated --set overrides) and
 * path = value. */
static int load_with(const dcs_schema_key *k, const char *path, const char *value, dcs_err *err)
{
    char buf[5][320];
    const char *sets[5];
    size_t n = 0;
    for (const char *p = k->needs; p != NULL && *p != '\0' && n < 4;) {
        size_t len = strcspn(p, ";");
        schema_first_item(buf[n], sizeof buf[n], p, len);
        sets[n] = buf[n];
        n++;
        p += len + (p[len] == ';');
    }
    snprintf(buf[n], sizeof buf[n], "%s=%s", path, value);
    sets[n] = buf[n];
    dcs_scenario *sc = malloc(sizeof *sc);
    cr_assert_not_null(sc);
    int rc = dcs_scenario_load_string(base_yaml, "base.yaml", sets, n + 1, sc, NULL, err);
    free(sc);
    return rc;
}

/* A value just outside the end of k's range that its words speak of: the
 * upper end where there is one, else the lower. */
static void outside(const dcs_schema_key *k, char *dst, size_t n)
{
    bool hi = (k->range & DCS_RANGE_HI) != 0;
    bool open = (k->range & (hi ? DCS_RANGE_HI_OPEN : DCS_RANGE_LO_OPEN)) != 0;
    double bound = hi ? k->hi : k->lo, v = open ? bound : bound + (hi ? 1.0 : -1.0);
    if (k->type == DCS_KT_INTEGER)
        snprintf(dst, n, "%.0f", v);
    else if (k->type == DCS_KT_QUANTITY && k->dim == DCS_DIM_TEMPERATURE)
        snprintf(dst, n, "%.17gC", v);
    else
        snprintf(dst, n, "%.17g", v);
}

/* Whether key k of section s is read by its entry and reached by the base:
 * not in a list the base has no item of, not a failure class's share (the
 * base's class gives an mtbf, which excludes it), not its other rate forms
 * (one mean time to failure, checked as such whatever form gave it). */
static bool in_base(const dcs_schema_section *s, const dcs_schema_key *k)
{
    if (s->id == DCS_SEC_FAILURE &&
        (strcmp(k->name, "share") == 0 || strcmp(k->name, "failures_per_1000_unit_days") == 0))
        return false;
    return s->id != DCS_SEC_MARKET_TYPE && s->id != DCS_SEC_JOB_TYPE && s->id != DCS_SEC_STAGE &&
           s->id != DCS_SEC_TOU && s->id != DCS_SEC_CATALOG_ACCEL;
}

Test(key_reader, a_value_outside_the_range_is_refused_in_the_tables_words)
{
    size_t worded = 0, intervals = 0;
    for (int id = DCS_SEC_TOP; id < DCS_SEC_COUNT; id++) {
        const dcs_schema_section *s = dcs_schema_section_of((dcs_sec)id);
        for (size_t i = 0; i < s->nkeys; i++) {
            const dcs_schema_key *k = &s->keys[i];
            bool interval =
                (k->range & DCS_RANGE_LO) && (k->range & DCS_RANGE_HI) && k->type == DCS_KT_NUMBER;
            if (!in_base(s, k) || (k->bound_msg == NULL && !interval))
                continue;
            char path[160], value[64], want[160];
            key_path(path, sizeof path, s, k);
            outside(k, value, sizeof value);
            if (k->bound_msg != NULL)
                snprintf(want, sizeof want, "%.*s", (int)strcspn(k->bound_msg, "%"), k->bound_msg);
            else
                snprintf(want, sizeof want, "must be in %c%g, %g%c, got \"%s\"",
                         (k->range & DCS_RANGE_LO_OPEN) ? '(' : '[', k->lo, k->hi,
                         (k->range & DCS_RANGE_HI_OPEN) ? ')' : ']', value);
            dcs_err err;
            int rc = load_with(k, path, value, &err);
            cr_expect_eq(rc, DCS_EINPUT, "%s = %s is outside the table's range but loads", path,
                         value);
            if (rc != DCS_EINPUT)
                continue;
            cr_expect_str_eq(err.key, path, "%s = %s: refused at %s", path, value, err.key);
            cr_expect(strncmp(err.msg, want, strlen(want)) == 0,
                      "%s = %s: \"%s\" does not start with the table's \"%s\"", path, value,
                      err.msg, want);
            if (k->bound_msg != NULL)
                worded++;
            else
                intervals++;
        }
    }
    /* The energy, market, procurement and cluster keys with words of their
     * own, and the intervals of job, failures and the catalog's figures. */
    cr_expect_geq(worded, 12, "only %zu keys with words of their own were checked", worded);
    cr_expect_geq(intervals, 3, "only %zu intervals were checked", intervals);
}

Test(key_reader, a_bound_message_names_the_value_and_the_bound)
{
    dcs_err err;
    const dcs_schema_key *k = dcs_schema_find(DCS_SEC_CLUSTER, "repair_capacity");
    cr_assert_not_null(k);
    cr_assert_eq(load_with(k, "cluster.repair_capacity", "9007199254740993", &err), DCS_EINPUT);
    /* An integer's own digits, not a double's nearest 9007199254740992. */
    cr_expect_str_eq(err.msg, "must be <= 4294967295 (a 32-bit count), got 9007199254740993");
    k = dcs_schema_find(DCS_SEC_COOLING, "chiller_efficiency");
    cr_assert_not_null(k);
    cr_assert_eq(load_with(k, "cooling.chiller_efficiency", "1.5", &err), DCS_EINPUT);
    cr_expect_str_eq(err.msg, "is a fraction of the Carnot COP: at most 1, got 1.5");
}

/* Whether key k of section s is refused by the table (reader.c f_refuse)
 * where its needs do not hold: it has a refusal under its `when` (not a
 * given_if of its own), needs that say where it applies, and the base
 * reaches it. */
static bool refused_without_needs(const dcs_schema_section *s, const dcs_schema_key *k)
{
    return k->refusal != NULL && k->given_if == NULL && k->needs != NULL && in_base(s, k);
}

/* The value given is "1" whatever the key's type: the refusal comes before
 * the value is read. That the key loads with its needs is the round trip's
 * test (test_key_roundtrip.c). */
Test(key_reader, a_key_given_where_its_clause_is_false_is_refused_in_the_tables_words)
{
    size_t checked = 0;
    for (int id = DCS_SEC_TOP; id < DCS_SEC_COUNT; id++) {
        const dcs_schema_section *s = dcs_schema_section_of((dcs_sec)id);
        for (size_t i = 0; i < s->nkeys; i++) {
            const dcs_schema_key *k = &s->keys[i];
            if (!refused_without_needs(s, k))
                continue;
            char path[160];
            key_path(path, sizeof path, s, k);
            dcs_schema_key bare = *k;
            bare.needs = NULL; /* the base as it is: the clause false */
            dcs_err err;
            int rc = load_with(&bare, path, "1", &err);
            cr_expect_eq(rc, DCS_EINPUT, "%s = 1 without %s loads", path, k->needs);
            if (rc != DCS_EINPUT)
                continue;
            cr_expect_str_eq(err.key, path, "%s: refused at %s (%s)", path, err.key, err.msg);
            /* a "%s" in the refusal is the value of the enumeration its clause names */
            size_t pre = strcspn(k->refusal, "%"), ml = strlen(err.msg);
            const char *post = k->refusal[pre] != '\0' ? k->refusal + pre + 2 : "";
            cr_expect(strncmp(err.msg, k->refusal, pre) == 0 && ml >= pre + strlen(post) &&
                          strcmp(err.msg + ml - strlen(post), post) == 0,
                      "%s: refused as \"%s\", not as \"%s\"", path, err.msg, k->refusal);
            checked++;
        }
    }
    /* min_nodes, interval, snapshot_time, speed, the COP's six keys, the
     * stochastic price's four, procurement's seven (not lifetime and
     * residual: a given_if of their own). */
    cr_expect_geq(checked, 21, "only %zu refusals were checked", checked);
}
