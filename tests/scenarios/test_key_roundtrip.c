/*
 * test_key_roundtrip.c - scenario -> resolved YAML -> scenario is exact for
 * every key of the table (scenarios/schema.h): each key, in turn, is set to
 * a value other than its default (the entry's `example`, or one derived
 * from its type and range), the scenario is written as resolved YAML and
 * read back, and the two structs are compared byte for byte. Each key that
 * may be a distribution is given as one too (an empirical distribution
 * over the resolved value and a second value), and must come back as a
 * distribution at the same path.
 */
#include "expect.h"
#include "schema.h"
#include "schema_base.h"

#include <math.h>
#include <stdio.h>
#include <yaml.h>

/* The scenarios are read as if from here: the CSV examples are its files. */
#define DATA DCSIM_SOURCE_DIR "/tests/scenarios/data/"

/* The bases: a key is set on the first base whose prefix its path starts
 * with. Each base reaches keys the first cannot (a form that excludes
 * another, a list with an item). */
static const char base_main[] = "name: rt\n" SCHEMA_BASE_BODY;

#define RT_HEAD                                                                                    \
    "name: rt\ncluster: {accelerator: H100-SXM-80GB, nodes: 16}\n"                                 \
    "checkpoint: {size: 1TB, write_bandwidth: 1TB/s}\n"
#define RT_JOB "job: {parameters: 1e9, tokens: 1e12, mfu: 0.4}\n"
#define RT_VISION                                                                                  \
    RT_HEAD "job: {kind: vision, parameters: 1e8, images: 1e9, flops_per_image: 1e10, mfu: 0.4}\n"
#define RT_SHARES                                                                                  \
    "failures: [{name: gpu, scope: accelerator, share: 0.5, repair_time: 2d},\n"                   \
    "           {name: host, scope: node, share: 0.5, repair_time: 2d}]\n"
#define RT_MAINT "failures: [{name: pm, scope: maintenance, every: 30d, duration: 4h}]\n"
#define RT_TYPES                                                                                   \
    "market:\n  types:\n"                                                                          \
    "    - {accelerator: H100-SXM-80GB, elasticity: 0.5, lead_time: 10w}\n"                        \
    "    - {accelerator: A100-SXM-80GB, elasticity: 0.5, lead_time: 10w}\n"

#define RT_TWO_TYPES                                                                               \
    RT_HEAD "job:\n  parameters: 1e9\n  tokens: 1e12\n  accelerators:\n"                           \
            "    - {type: H100-SXM-80GB, mfu: 0.4}\n"                                              \
            "    - {type: A100-SXM-80GB, mfu: 0.5}\n" RT_TYPES

static const struct {
    const char *prefix; /* a key path, "failures[].every", or a section's "job.stages[]." */
    const char *text;
} bases[] = {
    {"job.accelerators[].", RT_TWO_TYPES},
    {"job.choose", RT_TWO_TYPES},
    {"job.switch.", RT_TWO_TYPES},
    {"job.flops_per_image", RT_VISION},
    {"job.flops", RT_HEAD "job: {flops: 1e22, mfu: 0.4}\n"},
    {"job.images", RT_VISION},
    {"job.stages[].flops", RT_HEAD "job:\n  parameters: 1e9\n  stages:\n"
                                   "    - {name: pre, flops: 1e21, mfu: 0.4}\n"},
    {"job.stages[].accelerator_hours", RT_HEAD "job:\n  parameters: 1e9\n  stages:\n"
                                               "    - {name: pre, accelerator_hours: 1000}\n"},
    {"job.stages[].", RT_HEAD "job:\n  parameters: 1e9\n  stages:\n"
                              "    - {name: pre, tokens: 1e12, mfu: 0.4}\n"},
    {"failures[].annual_failure_rate",
     RT_HEAD RT_JOB "failures: [{name: gpu, scope: accelerator, annual_failure_rate: 2%, "
                    "repair_time: 2d}]\n"},
    {"failures[].failures_per_1000_unit_days",
     RT_HEAD RT_JOB "failures: [{name: gpu, scope: node, failures_per_1000_unit_days: 6.5, "
                    "repair_time: 2d}]\n"},
    {"failures[].share", RT_HEAD RT_JOB "failure_total: {mtti: 10h}\n" RT_SHARES},
    {"failure_total.mtti", RT_HEAD RT_JOB "failure_total: {mtti: 10h}\n" RT_SHARES},
    {"failure_total.", RT_HEAD RT_JOB "failure_total: {interruptions_per_day: 2}\n" RT_SHARES},
    {"failures[].every", RT_HEAD RT_JOB RT_MAINT},
    {"failures[].first", RT_HEAD RT_JOB RT_MAINT},
    {"failures[].duration", RT_HEAD RT_JOB RT_MAINT},
    {"power.server_to_chip_ratio", RT_HEAD RT_JOB "power: {server_to_chip_ratio: 1.3}\n"},
    {"electricity.tou[].",
     RT_HEAD RT_JOB "power: {}\nelectricity:\n  model: tou\n  tou:\n"
                    "    - {hours: 8-20, days: [mon, tue], usd_per_kwh: 0.2}\n"},
    {"carbon.hourly", RT_HEAD RT_JOB "power: {}\ncarbon: {hourly: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, "
                                     "0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, "
                                     "0.5, 0.5, 0.5, 0.5, 0.5, 0.5]}\n"},
    {"market.types[].accelerator",
     RT_HEAD RT_JOB "market:\n  types:\n"
                    "    - {accelerator: A100-SXM-80GB, elasticity: 0.5, lead_time: 10w}\n"
                    "    - {accelerator: H100-SXM-80GB, elasticity: 0.5, lead_time: 10w}\n"},
    {"market.types[].", RT_HEAD RT_JOB RT_TYPES},
    {"market.substitution.", RT_HEAD RT_JOB RT_TYPES},
    {"market.shocks[].types", RT_HEAD RT_JOB RT_TYPES
     "  shocks:\n"
     "    - {target: demand, factor: 2, start: 30d, types: [H100-SXM-80GB]}\n"},
    {"costs.energy_usd_per_accelerator_hour", RT_HEAD RT_JOB},
    {"uncertain.correlation.",
     RT_HEAD RT_JOB "restart: {overhead: {dist: uniform, min: 1min, max: 5min},\n"
                    "          warmup: {dist: uniform, min: 1min, max: 2min}}\n"
                    "uncertain: {correlation: {keys: [restart.overhead, restart.warmup],\n"
                    "                          matrix: [[1, 0.5], [0.5, 1]]}}\n"},
};

static const char *base_for(const char *pattern)
{
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++)
        if (strncmp(pattern, bases[i].prefix, strlen(bases[i].prefix)) == 0)
            return bases[i].text;
    return base_main;
}

/* "failures[]" + "mtbf" -> "failures[0].mtbf"; *pattern keeps the "[]". */
static void key_path(char *dst, size_t n, char *pattern, size_t pn, const dcs_schema_section *s,
                     const dcs_schema_key *k)
{
    snprintf(pattern, pn, "%s%s%s", s->path, s->path[0] != '\0' ? "." : "", k->name);
    size_t j = 0;
    for (const char *p = pattern; *p != '\0' && j + 4 < n; p++) {
        if (p[0] == '[' && p[1] == ']') {
            memcpy(dst + j, "[0]", 3);
            j += 3;
            p++;
        } else {
            dst[j++] = *p;
        }
    }
    dst[j] = '\0';
}

static const char *si_unit(dcs_dim d)
{
    static const char *const units[] = {
        [DCS_DIM_DURATION] = "s", [DCS_DIM_POWER] = "W",       [DCS_DIM_ENERGY] = "J",
        [DCS_DIM_DATA] = "B",     [DCS_DIM_BANDWIDTH] = "B/s", [DCS_DIM_TEMPERATURE] = "C"};
    return units[d];
}

/* A value of k's type inside its range, other than its default: 1.5 times
 * the default, or a point inside the range. */
static double derived_number(const dcs_schema_key *k)
{
    double lo = (k->range & DCS_RANGE_LO) ? k->lo : 0.0;
    double hi = (k->range & DCS_RANGE_HI) ? k->hi : (double)INFINITY;
    double v = (k->flags & DCS_KEY_DEFAULT) && k->dflt != 0.0 ? k->dflt * 1.5 : lo + 1.5;
    if (!(v < hi) || !(v > lo))
        v = isfinite(hi) ? lo + (hi - lo) * 0.375 : lo + 1.5;
    bool integral = k->type == DCS_KT_INTEGER || k->type == DCS_KT_UNSIGNED;
    if (integral) {
        v = floor(v) + 1.0;
        if (isfinite(hi) && v > hi)
            v = hi;
    }
    return v;
}

/* The --set value of k (written into dst), and extra overrides the
 * example needs (after a ';' in `example`, written into *more). */
static bool example_of(const dcs_schema_key *k, char *dst, size_t n, const char **more)
{
    *more = NULL;
    if (k->example != NULL) {
        size_t len = strcspn(k->example, ";");
        snprintf(dst, n, "%.*s", (int)len, k->example);
        if (k->example[len] == ';')
            *more = k->example + len + 1;
        return true;
    }
    switch (k->type) {
    case DCS_KT_NUMBER:
    case DCS_KT_INTEGER:
    case DCS_KT_UNSIGNED:
        snprintf(dst, n, "%.17g", derived_number(k));
        return true;
    case DCS_KT_QUANTITY:
        snprintf(dst, n, "%.17g%s", derived_number(k), si_unit(k->dim));
        return true;
    case DCS_KT_BOOL:
        snprintf(dst, n, "%s", (k->flags & DCS_KEY_DEFAULT) && k->dflt != 0.0 ? "false" : "true");
        return true;
    case DCS_KT_ENUM: {
        int count = 0;
        while (k->names[count] != NULL)
            count++;
        int dflt = (k->flags & DCS_KEY_DEFAULT) ? (int)k->dflt : -1, pick = 0;
        for (int i = 0; i < count; i++)
            if ((k->values != NULL ? k->values[i] : i) != dflt) {
                pick = i;
                break;
            }
        snprintf(dst, n, "%s", k->names[pick]);
        return true;
    }
    case DCS_KT_STRING:
        snprintf(dst, n, "rt_example");
        return true;
    default:
        return false;
    }
}

/* Splits "a=1;b=2" (list paths with "[]") into sets[] from *n on. */
static void split_sets(const char *list, char (*buf)[448], const char **sets, size_t *n, size_t cap)
{
    for (const char *p = list; p != NULL && *p != '\0' && *n < cap;) {
        size_t len = strcspn(p, ";"), j = 0;
        for (size_t i = 0; i < len && j + 4 < sizeof buf[*n]; i++) {
            if (p[i] == '[' && p[i + 1] == ']') {
                memcpy(buf[*n] + j, "[0]", 3);
                j += 3;
                i++;
            } else {
                buf[*n][j++] = p[i];
            }
        }
        buf[*n][j] = '\0';
        sets[*n] = buf[*n];
        (*n)++;
        p += len + (p[len] == ';');
    }
}

/* Loads text (with sets) into *a and its resolved YAML into *y; loads *y
 * into b and checks that a and b are the same bytes. Returns whether the
 * first load succeeded (a failed check fails the test). */
static bool round_trip(const char *path, const char *text, const char *const *sets, size_t nsets,
                       dcs_scenario *a, dcs_scenario *b, char **y)
{
    dcs_err err;
    char buf[768];
    memset(a, 0, sizeof *a);
    memset(b, 0, sizeof *b);
    int rc = dcs_scenario_load_string(text, DATA "rt.yaml", sets, nsets, a, y, &err);
    cr_expect_eq(rc, 0, "%s: the example does not load: %s", path,
                 dcs_err_format(&err, buf, sizeof buf));
    if (rc != 0)
        return false;
    char *y2 = NULL;
    rc = dcs_scenario_load_string(*y, "resolved.yaml", NULL, 0, b, &y2, &err);
    cr_expect_eq(rc, 0, "%s: the resolved YAML does not load: %s\n%s", path,
                 dcs_err_format(&err, buf, sizeof buf), *y);
    if (rc == 0) {
        cr_expect_eq(memcmp(a, b, sizeof *a), 0, "%s: the reloaded struct differs:\n%s", path, *y);
        cr_expect_str_eq(*y, y2, "%s: emitting twice gives other text", path);
    }
    free(y2);
    return true;
}

/* The value node at key path `path` ("failures[0].mtbf") of doc, or NULL. */
static yaml_node_t *value_at(yaml_document_t *doc, const char *path)
{
    yaml_node_t *n = yaml_document_get_root_node(doc);
    for (const char *p = path; n != NULL && *p != '\0';) {
        if (*p == '.')
            p++;
        if (*p == '[') {
            long ix = strtol(p + 1, NULL, 10);
            p = strchr(p, ']') + 1;
            bool ok = n->type == YAML_SEQUENCE_NODE &&
                      ix < n->data.sequence.items.top - n->data.sequence.items.start;
            n = ok ? yaml_document_get_node(doc, n->data.sequence.items.start[ix]) : NULL;
            continue;
        }
        size_t len = strcspn(p, ".[");
        yaml_node_t *next = NULL;
        if (n->type == YAML_MAPPING_NODE)
            for (yaml_node_pair_t *pr = n->data.mapping.pairs.start;
                 pr < n->data.mapping.pairs.top && next == NULL; pr++) {
                yaml_node_t *kn = yaml_document_get_node(doc, pr->key);
                if (kn->data.scalar.length == len &&
                    strncmp((const char *)kn->data.scalar.value, p, len) == 0)
                    next = yaml_document_get_node(doc, pr->value);
            }
        n = next;
        p += len;
    }
    return n;
}

/* Text y with the value at `path` replaced by `value` (malloc'd), or NULL
 * when y does not hold the path as a scalar or a sequence. */
static char *splice(const char *y, const char *path, const char *value)
{
    yaml_parser_t p;
    yaml_document_t doc;
    cr_assert(yaml_parser_initialize(&p));
    yaml_parser_set_input_string(&p, (const unsigned char *)y, strlen(y));
    cr_assert(yaml_parser_load(&p, &doc));
    char *out = NULL;
    yaml_node_t *v = value_at(&doc, path);
    if (v != NULL && v->type != YAML_MAPPING_NODE) {
        size_t from = v->start_mark.index, to = v->end_mark.index, len = strlen(y) + strlen(value);
        out = malloc(len + 1);
        cr_assert_not_null(out);
        snprintf(out, len + 1, "%.*s%s%s", (int)from, y, value, y + to);
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&p);
    return out;
}

/* The scalar at `path` of text y (into dst), or "" when there is none. */
static void scalar_at(const char *y, const char *path, char *dst, size_t n)
{
    yaml_parser_t p;
    yaml_document_t doc;
    cr_assert(yaml_parser_initialize(&p));
    yaml_parser_set_input_string(&p, (const unsigned char *)y, strlen(y));
    cr_assert(yaml_parser_load(&p, &doc));
    yaml_node_t *v = value_at(&doc, path);
    dst[0] = '\0';
    if (v != NULL && v->type == YAML_SCALAR_NODE)
        snprintf(dst, n, "%.*s", (int)v->data.scalar.length, (const char *)v->data.scalar.value);
    yaml_document_delete(&doc);
    yaml_parser_delete(&p);
}

/* Whether text y holds a distribution at `path`. */
static bool has_distribution(const char *y, const char *path)
{
    yaml_parser_t p;
    yaml_document_t doc;
    cr_assert(yaml_parser_initialize(&p));
    yaml_parser_set_input_string(&p, (const unsigned char *)y, strlen(y));
    cr_assert(yaml_parser_load(&p, &doc));
    yaml_node_t *v = value_at(&doc, path);
    bool dist = v != NULL && v->type == YAML_MAPPING_NODE;
    yaml_document_delete(&doc);
    yaml_parser_delete(&p);
    return dist;
}

/* Gives k, at `path`, as a distribution over its example and the value
 * text y (or, for a key y holds in another form, the base) holds there:
 * the distribution must load, come back exact, and stay a distribution at
 * the same path in the resolved YAML. Returns whether it was checked. */
static bool check_distribution(const dcs_schema_key *k, const char *path, const char *value,
                               const char *y, const char *base, dcs_scenario *a, dcs_scenario *b)
{
    char now[128], dist[448];
    const char *from = y;
    scalar_at(y, path, now, sizeof now);
    if (now[0] == '\0') {
        from = base;
        scalar_at(base, path, now, sizeof now);
    }
    cr_expect(now[0] != '\0', "%s: neither the resolved YAML nor the base holds the key:\n%s", path,
              y);
    if (now[0] == '\0')
        return false;
    bool texts = k->type == DCS_KT_STRING || k->type == DCS_KT_SPECIAL || k->type == DCS_KT_ENUM;
    if (texts)
        snprintf(dist, sizeof dist, "{dist: choice, values: [%s, %s]}", now, value);
    else
        snprintf(dist, sizeof dist, "{dist: empirical, values: [%s, %s]}", now, value);
    char *d = splice(from, path, dist), *y2 = NULL;
    cr_assert_not_null(d);
    bool ok = round_trip(path, d, NULL, 0, a, b, &y2);
    if (ok)
        cr_expect(has_distribution(y2, path),
                  "%s: the distribution is lost in the resolved YAML:\n%s", path, y2);
    free(y2);
    free(d);
    return ok;
}

Test(key_roundtrip, every_key_set_to_its_example_comes_back_exact)
{
    dcs_scenario *a = malloc(sizeof *a), *b = malloc(sizeof *b), *base = malloc(sizeof *base);
    cr_assert(a != NULL && b != NULL && base != NULL);
    size_t checked = 0, dists = 0;
    for (int id = DCS_SEC_TOP; id < DCS_SEC_COUNT; id++) {
        const dcs_schema_section *s = dcs_schema_section_of((dcs_sec)id);
        for (size_t i = 0; i < s->nkeys; i++) {
            const dcs_schema_key *k = &s->keys[i];
            if (k->type == DCS_KT_SECTION || k->type == DCS_KT_LIST)
                continue;
            char path[160], pattern[160], value[256], buf[8][448];
            const char *sets[8], *more;
            key_path(path, sizeof path, pattern, sizeof pattern, s, k);
            cr_expect(example_of(k, value, sizeof value, &more), "%s has no example", pattern);
            size_t n = 0;
            split_sets(k->needs, buf, sets, &n, 6);
            split_sets(more, buf, sets, &n, 6);
            const char *text = base_for(pattern);
            /* A list is no --set value: it goes into the base's text. */
            char *spliced = value[0] == '[' ? splice(text, path, value) : NULL;
            if (value[0] == '[')
                cr_assert_not_null(spliced, "%s: the base does not hold the key", path);
            else {
                snprintf(buf[n], sizeof buf[n], "%s=%s", path, value);
                sets[n] = buf[n];
                n++;
            }
            char *y = NULL;
            if (round_trip(path, spliced != NULL ? spliced : text, sets, n, a, b, &y)) {
                dcs_err err;
                cr_assert_eq(
                    dcs_scenario_load_string(text, DATA "rt.yaml", NULL, 0, base, NULL, &err), 0,
                    "%s: the base does not load: %s", pattern, err.msg);
                cr_expect_neq(memcmp(a, base, sizeof *a), 0,
                              "%s = %s leaves the scenario as it was", path, value);
                checked++;
                if ((k->flags & DCS_KEY_DIST) && value[0] != '[' &&
                    check_distribution(k, path, value, y, text, a, b))
                    dists++;
            }
            free(y);
            free(spliced);
        }
    }
    cr_expect_geq(checked, 190, "only %zu keys were checked", checked);
    cr_expect_geq(dists, 40, "only %zu distributions were checked", dists);
    free(base);
    free(a);
    free(b);
}
