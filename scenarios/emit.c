/*
 * emit.c - the resolved YAML: a scenario written back as text, by one walk
 * over the key table (schema.h). Each key's field is found by its offset
 * and written by its type (a number in its SI unit, an integer, a name of
 * its enumeration, a quoted string); a key given as a distribution (the
 * scenario's uncertain list) is written as that distribution in its place.
 *
 * Whether a key is written at all:
 *  - a key given as a distribution always is;
 *  - its `when` clauses must hold (when.h says them; the evaluator is
 *    shared with the reader): "key=a|b" (a sibling enumeration has one of
 *    those names), "key" or "a|b" (a sibling key is written), ">0" (its
 *    value is above 0), "dist" (it was given as a distribution), "<>key"
 *    (its value differs from a sibling's);
 *  - a number outside its range (a sentinel: 0 for "not given", infinity
 *    for "no cap") or NAN is left out, as is an empty string;
 *  - a section is written when one of its keys is; a section inside
 *    another only when one of its keys is not its default; a list when it
 *    has items.
 * Keys whose form the type does not give (a date, a list kept as lines,
 * the figures that differ from the catalog, ...) name a writer of their own
 * in `emit` (dcs_emit_hook); keep them few.
 */
#include "emit.h"

#include "../models/catalog.h"
#include "../models/power.h"
#include "../models/uncertain.h"
#include "schema.h"
#include "when.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PATH_LEN 128

typedef struct emitter {
    char *p;
    size_t len, cap;
    bool oom;
    bool dash; /* the next line starts a list item */
    const dcs_scenario *s;
} emitter;

/* Room for n more bytes and the terminating NUL: false (and b->oom) when
 * the buffer cannot grow. */
static bool reserve(emitter *b, size_t n)
{
    if (n < b->cap - b->len)
        return true;
    size_t cap = (b->len + n + 1) * 2;
    char *p = realloc(b->p, cap);
    if (p == NULL) {
        b->oom = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

/* Appends the n bytes at s. */
static void put_raw(emitter *b, const char *s, size_t n)
{
    if (b->oom || !reserve(b, n))
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

/* Appends n blanks. */
static void put_blanks(emitter *b, int n)
{
    static const char blanks[] = "                                ";
    for (int k; n > 0; n -= k) {
        k = n < (int)sizeof blanks - 1 ? n : (int)sizeof blanks - 1;
        put_raw(b, blanks, (size_t)k);
    }
}

/* Appends the string s. */
static void put_s(emitter *b, const char *s)
{
    put_raw(b, s, strlen(s));
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
put(emitter *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    if (strchr(fmt, '%') == NULL) { /* text alone: no printf */
        put_s(b, fmt);
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = true;
        return;
    }
    if ((size_t)n >= b->cap - b->len) {
        if (!reserve(b, (size_t)n))
            return;
        va_start(ap, fmt);
        vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

/* Writes `s` as a YAML double-quoted scalar. */
static void put_str(emitter *b, const char *s)
{
    put(b, "\"");
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\')
            put(b, "\\%c", *c);
        else if (*c == '\n')
            put(b, "\\n");
        else if (*c == '\t')
            put(b, "\\t");
        else if (*c < 0x20 || *c == 0x7f)
            put(b, "\\x%02x", *c);
        else
            put_raw(b, (const char *)c, 1);
    }
    put(b, "\"");
}

/* Writes v in the shortest of %.15g, %.16g, %.17g that reads back as v
 * (so 2.99 stays "2.99"), then `unit`. */
static void put_num(emitter *b, double v, const char *unit)
{
    char num[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(num, sizeof num, "%.*g", prec, v);
        if (strtod(num, NULL) == v)
            break;
    }
    put_s(b, num);
    put_s(b, unit);
}

/* Starts a line at indentation `ind` ("- " in its last two columns when it
 * starts a list item) with "key: ". */
static void put_key(emitter *b, int ind, const char *key)
{
    if (b->dash) {
        put_blanks(b, ind - 2);
        put_s(b, "- ");
        b->dash = false;
    } else {
        put_blanks(b, ind);
    }
    put_s(b, key);
    put_s(b, ":");
}

static const char *si_unit(const dcs_schema_key *k)
{
    static const char *const units[] = {
        [DCS_DIM_DURATION] = "s", [DCS_DIM_POWER] = "W",       [DCS_DIM_ENERGY] = "J",
        [DCS_DIM_DATA] = "B",     [DCS_DIM_BANDWIDTH] = "B/s", [DCS_DIM_TEMPERATURE] = "C"};
    return units[k->dim];
}

/* Writes u's distribution as a YAML flow mapping. */
static void put_udist(emitter *b, const dcs_uncertain *u)
{
    const dcs_udist *d = &u->d;
    const char *un = u->unit;
    static const char *const two[][2] = {
        [DCS_UD_UNIFORM] = {"min", "max"},
        [DCS_UD_NORMAL] = {"mean", "sd"},
    };
    put(b, "{dist: %s", dcs_ud_names[d->kind]);
    switch (d->kind) {
    case DCS_UD_FIXED:
        put(b, ", value: ");
        put_num(b, d->a, un);
        break;
    case DCS_UD_UNIFORM:
    case DCS_UD_NORMAL:
        put(b, ", %s: ", two[d->kind][0]);
        put_num(b, d->a, un);
        put(b, ", %s: ", two[d->kind][1]);
        put_num(b, d->kind == DCS_UD_UNIFORM ? d->c : d->b, un);
        break;
    case DCS_UD_TRIANGULAR:
    case DCS_UD_PERT:
        put(b, ", min: ");
        put_num(b, d->a, un);
        put(b, ", mode: ");
        put_num(b, d->b, un);
        put(b, ", max: ");
        put_num(b, d->c, un);
        break;
    case DCS_UD_LOGNORMAL:
        put(b, d->form == DCS_LN_MEAN_SD ? ", mean: " : ", median: ");
        put_num(b, d->a, un);
        put(b, d->form == DCS_LN_MEAN_SD      ? ", sd: "
               : d->form == DCS_LN_MEDIAN_P95 ? ", p95: "
                                              : ", p05: ");
        put_num(b, d->b, un);
        break;
    case DCS_UD_CHOICE:
        put(b, ", values: [");
        for (int i = 0; i < d->nvalues; i++) {
            put(b, "%s", i ? ", " : "");
            put_str(b, u->texts[i]);
        }
        put(b, "], weights: [");
        for (int i = 0; i < d->nvalues; i++) {
            put(b, "%s", i ? ", " : "");
            put_num(b, d->weights[i], "");
        }
        put(b, "]");
        break;
    case DCS_UD_EMPIRICAL:
        put(b, ", values: [");
        for (int i = 0; i < d->nvalues; i++) {
            put(b, "%s", i ? ", " : "");
            put_num(b, d->values[i], un);
        }
        put(b, "]");
        break;
    case DCS_UD_NKINDS:
        break;
    }
    put(b, "}");
}

/* ---- what a field holds -----------------------------------------------------------------------
 */

static double num_at(const char *base, const dcs_schema_key *k)
{
    double v;
    memcpy(&v, base + k->offset, sizeof v);
    return v;
}

/* The distribution the scenario was given at `path`, or NULL. */
static const dcs_uncertain *uncertain_at(const dcs_scenario *s, const char *path)
{
    for (int i = 0; i < s->nuncertain; i++)
        if (!s->uncertain[i].set && strcmp(s->uncertain[i].path, path) == 0)
            return &s->uncertain[i];
    return NULL;
}

static void join(char *dst, const char *parent, const char *key)
{
    snprintf(dst, PATH_LEN, "%.60s%s%.60s", parent, parent[0] != '\0' ? "." : "", key);
}

/* ---- whether a key is written -----------------------------------------------------------------
 */

static bool present(const emitter *E, dcs_sec sec, const dcs_schema_key *k, const char *base,
                    const char *path);

/* The when.h callbacks: a sibling is present when it is written. */
static bool env_present(const void *arg, dcs_sec sec, const dcs_schema_key *o, const char *base,
                        const char *path)
{
    return present(arg, sec, o, base, path);
}

static bool env_dist(const void *arg, const char *path)
{
    return uncertain_at(((const emitter *)arg)->s, path) != NULL;
}

static bool when_holds(const emitter *E, dcs_sec sec, const dcs_schema_key *k, const char *base,
                       const char *path)
{
    dcs_when_env env = {.present = env_present, .dist = env_dist, .arg = E};
    return dcs_when_holds(k->when, sec, k, base, path, &env);
}

/* What a hook adds to whether its key is written. */
static bool hook_allows(const emitter *E, const dcs_schema_key *k, const char *base)
{
    const dcs_scenario *s = E->s;
    switch (k->emit) {
    case DCS_EMIT_IF_POWER:
        return s->power.on;
    case DCS_EMIT_IF_MARKET:
        return s->market.on;
    case DCS_EMIT_IF_LISTED:
        return s->market_listed;
    case DCS_EMIT_CKPT_SIZE: {
        double derived =
            s->job.trainable_fraction * s->job.parameters * s->checkpoint.bytes_per_param;
        return memcmp(&derived, &s->checkpoint.size_bytes, sizeof derived) != 0;
    }
    case DCS_EMIT_TRAINING: {
        const dcs_power_cfg *p = &s->power;
        double derived = dcs_power_training_fraction(s->cluster.accel.key) *
                         (p->server_ratio * s->cluster.accel.tdp_w);
        return !(p->server_ratio > 0.0) || memcmp(&derived, &p->training_w, sizeof derived) != 0;
    }
    case DCS_EMIT_HOURLY:
        return s->carbon.nhourly == 24;
    case DCS_EMIT_SHOCK_TYPES: {
        unsigned types;
        memcpy(&types, base + k->offset, sizeof types);
        return s->market_listed && types != (1u << s->nmarket_types) - 1u;
    }
    case DCS_EMIT_CORRELATION:
        return s->correlation.n > 0;
    case DCS_EMIT_FIGURE:
    case DCS_EMIT_DAYS:
    case DCS_EMIT_HOURS:
    case DCS_EMIT_DATE:
        return true;
    default:
        return false;
    }
}

/* Whether the value itself is one to write (not a sentinel). */
static bool value_allows(const dcs_schema_key *k, const char *base)
{
    switch (k->type) {
    case DCS_KT_NUMBER:
    case DCS_KT_QUANTITY:
    case DCS_KT_INTEGER:
    case DCS_KT_UNSIGNED: {
        double v = dcs_schema_value(base, k);
        return isfinite(v) && (k->range == 0 || dcs_schema_in_range(k, v));
    }
    case DCS_KT_STRING:
        return base[k->offset] != '\0';
    case DCS_KT_SPECIAL:
        if (k->emit == DCS_EMIT_TEXT || k->emit == DCS_EMIT_LINES)
            return base[k->offset] != '\0';
        if (k->emit == DCS_EMIT_QUANTITY) {
            double v = num_at(base, k);
            return isfinite(v) && (k->range == 0 || dcs_schema_in_range(k, v));
        }
        return true;
    default:
        return true;
    }
}

static bool present(const emitter *E, dcs_sec sec, const dcs_schema_key *k, const char *base,
                    const char *path)
{
    if (uncertain_at(E->s, path) != NULL)
        return true;
    if (!when_holds(E, sec, k, base, path))
        return false;
    bool hooked = k->emit != DCS_EMIT_PLAIN && k->emit != DCS_EMIT_TEXT &&
                  k->emit != DCS_EMIT_LINES && k->emit != DCS_EMIT_QUANTITY &&
                  k->emit != DCS_EMIT_OVERRIDES;
    if (hooked && !hook_allows(E, k, base))
        return false;
    if (k->type == DCS_KT_LIST) {
        int count;
        memcpy(&count, (const char *)E->s + k->count_offset, sizeof count);
        return count > 0;
    }
    if (k->type == DCS_KT_SECTION)
        return true;
    if (k->emit == DCS_EMIT_FIGURE)
        return true;
    return value_allows(k, base);
}

/* ---- writing ----------------------------------------------------------------------------------
 */

static const char *const day_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

/* The value of a key whose form is its own (after "key:"). */
static void put_special(emitter *E, const dcs_schema_key *k, const char *base, int ind)
{
    const dcs_scenario *s = E->s;
    const char *p = base + k->offset;
    switch (k->emit) {
    case DCS_EMIT_LINES:
        put(E, "\n");
        for (const char *l = p;;) {
            size_t n = strcspn(l, "\n");
            char line[2048];
            snprintf(line, sizeof line, "%.*s", (int)n, l);
            put(E, "%*s- ", ind + 2, "");
            put_str(E, line);
            put(E, "\n");
            if (l[n] == '\0')
                return;
            l += n + 1;
        }
    case DCS_EMIT_TEXT:
        put(E, " ");
        put_str(E, p);
        break;
    case DCS_EMIT_FIGURE:
        if (isnan(num_at(base, k)))
            put(E, " n/a");
        else {
            put(E, " ");
            put_num(E, num_at(base, k), k->type == DCS_KT_QUANTITY ? si_unit(k) : "");
        }
        break;
    case DCS_EMIT_DATE: {
        int y, mo, d, h, mi;
        dcs_civil(num_at(base, k), &y, &mo, &d, &h, &mi);
        put(E, " %04d-%02d-%02dT%02d:%02d", y, mo, d, h, mi);
        break;
    }
    case DCS_EMIT_HOURS: {
        const dcs_tou_cfg *t = (const dcs_tou_cfg *)(const void *)base;
        put(E, " %d-%d", t->from_h, t->to_h);
        break;
    }
    case DCS_EMIT_DAYS: {
        int mask;
        memcpy(&mask, p, sizeof mask);
        put(E, " [");
        const char *sep = "";
        for (int d = 0; d < 7; d++)
            if (mask >> d & 1) {
                put(E, "%s%s", sep, day_names[d]);
                sep = ", ";
            }
        put(E, "]");
        break;
    }
    case DCS_EMIT_HOURLY:
        put(E, " [");
        for (int i = 0; i < 24; i++)
            put(E, "%s%.17g", i == 0 ? "" : ", ", s->carbon.hourly[i]);
        put(E, "]");
        break;
    case DCS_EMIT_SHOCK_TYPES: {
        unsigned types;
        memcpy(&types, p, sizeof types);
        put(E, "\n");
        for (int j = 0; j < s->nmarket_types; j++)
            if (types & (1u << j)) {
                put(E, "%*s- ", ind + 2, "");
                put_str(E, s->market_types[j].accel);
                put(E, "\n");
            }
        return;
    }
    default: /* DCS_EMIT_QUANTITY, and the power hook's training */
        put(E, " ");
        put_num(E, num_at(base, k), si_unit(k));
        break;
    }
    put(E, "\n");
}

/* The value of a key of plain type k (after "key:"). */
static void put_scalar(emitter *E, const dcs_schema_key *k, const char *base)
{
    const char *p = base + k->offset;
    int64_t i;
    uint64_t u;
    bool b;
    int e;
    put(E, " ");
    switch (k->type) {
    case DCS_KT_INTEGER:
        memcpy(&i, p, sizeof i);
        put(E, "%" PRId64, i);
        break;
    case DCS_KT_UNSIGNED:
        memcpy(&u, p, sizeof u);
        put(E, "%" PRIu64, u);
        break;
    case DCS_KT_BOOL:
        memcpy(&b, p, sizeof b);
        put_s(E, b ? "true" : "false");
        break;
    case DCS_KT_ENUM:
        memcpy(&e, p, sizeof e);
        put_s(E, dcs_enum_name(k, e) != NULL ? dcs_enum_name(k, e) : "?");
        break;
    case DCS_KT_STRING:
        put_str(E, p);
        break;
    default:
        put_num(E, num_at(base, k), k->type == DCS_KT_QUANTITY ? si_unit(k) : "");
        break;
    }
    put(E, "\n");
}

/* Whether k's value is its table default. */
static bool is_default(const dcs_schema_key *k, const char *base)
{
    if (!(k->flags & DCS_KEY_DEFAULT) || k->offset == DCS_NO_OFFSET)
        return false;
    if (k->type == DCS_KT_STRING || k->type == DCS_KT_SPECIAL)
        return false;
    return dcs_schema_value(base, k) == k->dflt;
}

static int emit_keys(emitter *E, dcs_sec sec, const char *base, const char *path, int ind,
                     bool nested);

/* cluster.accelerator_overrides: the figures that differ from the catalog
 * entry of cluster.accelerator. Returns the keys written. */
static int emit_overrides(emitter *E, const dcs_schema_key *k, int ind)
{
    const dcs_scenario *s = E->s;
    const dcs_accel *cat = NULL;
    for (int i = 0; i < s->catalog.naccels && cat == NULL; i++)
        if (strcasecmp(s->catalog.accels[i].accel.key, s->cluster.accel.key) == 0)
            cat = &s->catalog.accels[i].accel;
    if (cat == NULL)
        cat = dcs_catalog_find(s->cluster.accel.key);
    const dcs_schema_section *sub = dcs_schema_section_of(k->child);
    if (cat == NULL || sub == NULL)
        return 0;
    size_t at = E->len;
    int n = 0;
    put_key(E, ind, k->name);
    put(E, "\n");
    for (size_t i = 0; i < sub->nkeys; i++) {
        const dcs_schema_key *f = &sub->keys[i];
        size_t in_accel = f->offset - offsetof(dcs_scenario, cluster.accel);
        double mine = num_at((const char *)s, f), theirs;
        memcpy(&theirs, (const char *)cat + in_accel, sizeof theirs);
        char path[PATH_LEN];
        join(path, "cluster.accelerator_overrides", f->name);
        const dcs_uncertain *u = uncertain_at(s, path);
        if (u == NULL && memcmp(&mine, &theirs, sizeof mine) == 0)
            continue;
        put_key(E, ind + 2, f->name);
        if (u != NULL) {
            put(E, " ");
            put_udist(E, u);
            put(E, "\n");
        } else {
            put_scalar(E, f, (const char *)s);
        }
        n++;
    }
    if (n == 0)
        E->len = at;
    return n;
}

/* uncertain.correlation: its keys and matrix. */
static void emit_correlation(emitter *E, const dcs_schema_key *k, int ind)
{
    const dcs_correlation *c = &E->s->correlation;
    put_key(E, ind, k->name);
    put(E, "\n%*scorrelation:\n%*skeys: [", ind + 2, "", ind + 4, "");
    for (int i = 0; i < c->n; i++)
        put(E, "%s\"%s\"", i > 0 ? ", " : "", c->keys[i]);
    put(E, "]\n%*smatrix:\n", ind + 4, "");
    for (int i = 0; i < c->n; i++) {
        put(E, "%*s- [", ind + 6, "");
        for (int j = 0; j < c->n; j++) {
            put(E, "%s", j > 0 ? ", " : "");
            put_num(E, c->m[i][j], "");
        }
        put(E, "]\n");
    }
}

/* A list's items, each a mapping of section k->child. Returns the items. */
static int emit_list(emitter *E, const dcs_schema_key *k, const char *path, int ind)
{
    int count;
    memcpy(&count, (const char *)E->s + k->count_offset, sizeof count);
    if (count == 0)
        return 0;
    put_key(E, ind, k->name);
    put(E, "\n");
    for (int i = 0; i < count; i++) {
        char ip[PATH_LEN + 16]; /* the path, "[", an int and "]" */
        snprintf(ip, sizeof ip, "%s[%d]", path, i);
        E->dash = true;
        emit_keys(E, k->child, (const char *)E->s + k->offset + (size_t)i * k->size, ip, ind + 4,
                  false);
        E->dash = false;
    }
    return count;
}

/* A section: its header and its keys, or nothing when none is written (a
 * nested one: when all are their defaults). Returns whether it wrote. */
static bool emit_section(emitter *E, const dcs_schema_key *k, const char *base, const char *path,
                         int ind, bool nested)
{
    size_t at = E->len;
    bool dash = E->dash;
    put_key(E, ind, k->name);
    put(E, "\n");
    size_t head = E->len;
    if (emit_keys(E, k->child, base, path, ind + 2, true) > 0 || (!nested && E->len > head))
        return true;
    E->len = at;
    E->dash = dash;
    return false;
}

/* Writes key k at `path`; returns 1 when it wrote a value other than the
 * default, else 0. */
static int emit_key(emitter *E, dcs_sec sec, const dcs_schema_key *k, const char *base,
                    const char *path, int ind, bool nested)
{
    if (!present(E, sec, k, base, path))
        return 0;
    const dcs_uncertain *u = uncertain_at(E->s, path);
    if (u != NULL) {
        put_key(E, ind, k->name);
        put(E, " ");
        put_udist(E, u);
        put(E, "\n");
        return 1;
    }
    if (k->emit == DCS_EMIT_OVERRIDES)
        return emit_overrides(E, k, ind) > 0;
    if (k->emit == DCS_EMIT_CORRELATION) {
        emit_correlation(E, k, ind);
        return 1;
    }
    if (k->type == DCS_KT_LIST)
        return emit_list(E, k, path, ind) > 0;
    if (k->type == DCS_KT_SECTION)
        return emit_section(E, k, base, path, ind, nested);
    put_key(E, ind, k->name);
    if (k->type == DCS_KT_SPECIAL || k->emit != DCS_EMIT_PLAIN)
        put_special(E, k, base, ind);
    else
        put_scalar(E, k, base);
    return !is_default(k, base);
}

/* The keys of section sec whose fields are at base. Returns how many were
 * written with a value other than their default. */
static int emit_keys(emitter *E, dcs_sec sec, const char *base, const char *path, int ind,
                     bool nested)
{
    const dcs_schema_section *s = dcs_schema_section_of(sec);
    int n = 0;
    for (size_t i = 0; s != NULL && i < s->nkeys; i++) {
        char kp[PATH_LEN];
        join(kp, path, s->keys[i].name);
        n += emit_key(E, sec, &s->keys[i], base, kp, ind, nested);
    }
    return n;
}

int dcs_emit_resolved(const dcs_scenario *s, char **text, dcs_err *err)
{
    emitter E = {malloc(8192), 0, 8192, false, false, s};
    if (E.p == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory writing the resolved scenario");
    E.p[0] = '\0';
    const dcs_schema_section *top = dcs_schema_section_of(DCS_SEC_TOP);
    for (size_t i = 0; i < top->nkeys; i++) {
        const dcs_schema_key *k = &top->keys[i];
        emit_key(&E, DCS_SEC_TOP, k, (const char *)s, k->name, 0, false);
    }
    if (E.oom) {
        free(E.p);
        return dcs_err_set(err, DCS_ENOMEM, "out of memory writing the resolved scenario");
    }
    *text = E.p;
    return 0;
}
