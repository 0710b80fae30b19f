/*
 * load.c - YAML scenario text to a validated dcs_scenario.
 *
 * The text is parsed with libyaml's document API, so that every node keeps
 * its start mark and every message can say file:line:column. The --set
 * overrides are applied to that node tree before anything is validated:
 * a new value becomes a new scalar node whose origin (which --set, which
 * column) is kept in a side table indexed by node id, so a bad value given
 * on the command line is reported at "--set:1:col" by the same code that
 * reports a bad value in the file. Overrides written in another file (a
 * sweep file's points) go through the same path walk, their origin being
 * that file's line and column; and the scenario may be the mapping under a
 * top-level key of a larger document (a sweep's inline base), so its own
 * nodes keep their real positions. Validation then walks the schema, not
 * the file: each mapping's keys are first checked against the known keys
 * of its section (unknown keys, duplicates), then each field is read with
 * its type, unit and range, defaults filled in for absent ones. The first
 * error wins and nothing is written to *out unless everything passed.
 * The resolved YAML is written by hand: every dimensioned value in its SI
 * unit with the shortest of "%.15g".."%.17g" that strtod reads back to the
 * same double, so loading the resolved text gives a bit-identical struct.
 */
#include "load.h"
#include "input_limits.h"
#include "runnable.h"

#include "../models/catalog.h"
#include "../models/checkpoint.h"
#include "../models/correlation.h"
#include "../models/estimate.h"
#include "../models/ledger.h"
#include "../models/power.h"
#include "../models/run.h"
#include "../models/uncertain.h"
#include "../sim/rng.h"
#include "schema.h"
#include "units.h"
#include "yamlnode.h"

#include <yaml.h>

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PATH_LEN 128

/* 1 y = 365.25 d, the year of the units table: an annual failure rate of
 * 1 means a mean time to failure of exactly "1y". */
#define YEAR_S (365.25 * 86400.0)

/* The sections of the schema and the keys each may hold: the key table
 * (schema.h, keys_*.c). */
typedef dcs_sec ctx;

/* Room for the key names of any section and their NULL. */
#define KEYS_MAX 48

/* The key names of section c, NULL-terminated, in buf; NULL for no section. */
static const char *const *keys_of(ctx c, const char **buf)
{
    if (dcs_schema_section_of(c) == NULL)
        return NULL;
    dcs_schema_names(c, buf, KEYS_MAX);
    return buf;
}

/* The section of the value under `key` in a mapping of section c. *is_list
 * is set when that value may be a list (of mappings of the returned section
 * for failures, of strings for sources). */
static ctx child_ctx(ctx c, const char *key, bool *is_list)
{
    const dcs_schema_key *k = dcs_schema_find(c, key);
    *is_list = k != NULL && (k->type == DCS_KT_LIST || (k->flags & DCS_KEY_LISTABLE));
    if (k == NULL || (k->type != DCS_KT_SECTION && k->type != DCS_KT_LIST))
        return DCS_SEC_NONE;
    return k->child;
}

/* Where a node came from: the document itself (file == NULL), or an
 * override written elsewhere: a --set argument ("--set", line 1) or another
 * file such as a sweep file. */
typedef struct origin {
    const char *file; /* borrowed; outlives the load */
    long line, col;
} origin;

typedef struct loader {
    yaml_document_t doc;
    const char *file;
    int root;     /* node id of the scenario mapping: 1, or the value of the root key */
    origin *orig; /* indexed by node id; [0] unused */
    size_t norig;
    dcs_err *err;
    double share[DCS_MAX_FAILURE_CLS]; /* failures[i].share, or 0 */
    const yaml_node_t *share_node[DCS_MAX_FAILURE_CLS];
    /* distributions (uncertain inputs) */
    char dpath[DCS_MAX_UNCERTAIN][PATH_LEN]; /* their key paths, in document order */
    int ndist;
    dcs_uncertain *unc; /* [ndist], in the scenario being read */
    bool draw;          /* a replication's own load: draw each value */
    uint64_t draw_seed, draw_rep;
    gsl_rng *rng;                 /* when draw */
    const dcs_correlation *corr;  /* uncertain.correlation, when it correlates anything */
    double cu[DCS_MAX_UNCERTAIN]; /* when draw: each correlated key's uniform (corr->keys) */
} loader;

static yaml_node_t *node_at(const loader *L, int id)
{
    if (id < 1 || L->doc.nodes.start + id > L->doc.nodes.top)
        return NULL;
    return L->doc.nodes.start + (id - 1);
}

static int node_id(const loader *L, const yaml_node_t *n)
{
    return (int)(n - L->doc.nodes.start) + 1;
}

static int note_origin(loader *L, int id, const char *file, long line, long col)
{
    if ((size_t)id >= L->norig) {
        size_t n = (size_t)id * 2 + 16;
        origin *o = realloc(L->orig, n * sizeof *o);
        if (o == NULL)
            return dcs_err_set(L->err, DCS_ENOMEM, "out of memory applying --set");
        memset(o + L->norig, 0, (n - L->norig) * sizeof *o);
        L->orig = o;
        L->norig = n;
    }
    L->orig[id].file = file;
    L->orig[id].line = line;
    L->orig[id].col = col;
    return 0;
}

static void where_node(loader *L, const yaml_node_t *n)
{
    int id = node_id(L, n);
    if ((size_t)id < L->norig && L->orig[id].file != NULL)
        dcs_err_where(L->err, L->orig[id].file, L->orig[id].line, L->orig[id].col);
    else
        dcs_err_where(L->err, L->file, (long)n->start_mark.line + 1,
                      (long)n->start_mark.column + 1);
}

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

static int fail_at(loader *L, const yaml_node_t *n, const char *path, const char *fmt, ...)
    PRINTF_LIKE(4, 5);

/* Records an input error about node n (its position) at key path `path`. */
static int fail_at(loader *L, const yaml_node_t *n, const char *path, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    dcs_err_set(L->err, DCS_EINPUT, "%s", msg);
    if (n != NULL)
        where_node(L, n);
    dcs_err_key(L->err, path);
    return DCS_EINPUT;
}

static int fail_pos(loader *L, const char *file, long line, long col, const char *path,
                    const char *fmt, ...) PRINTF_LIKE(6, 7);

/* Records an error at an explicit position: in a --set argument ("--set",
 * line 1, its column) or in the file an override was written in. */
static int fail_pos(loader *L, const char *file, long line, long col, const char *path,
                    const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    dcs_err_set(L->err, DCS_EINPUT, "%s", msg);
    dcs_err_where(L->err, file, line, col);
    dcs_err_key(L->err, path);
    return DCS_EINPUT;
}

static void join(char *dst, const char *parent, const char *key)
{
    /* Copied by hand: paths longer than PATH_LEN - 1 are cut, which only
     * shortens a message. */
    size_t n = 0;
    for (const char *p = parent; *p != '\0' && n < PATH_LEN - 1; p++)
        dst[n++] = *p;
    if (parent[0] != '\0' && n < PATH_LEN - 1)
        dst[n++] = '.';
    for (const char *p = key; *p != '\0' && n < PATH_LEN - 1; p++)
        dst[n++] = *p;
    dst[n] = '\0';
}

/* Levenshtein distance of two short strings; long ones count as far. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    size_t prev[64], cur[64];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            size_t best = sub < del ? sub : del;
            cur[j] = best < ins ? best : ins;
        }
        memcpy(prev, cur, (lb + 1) * sizeof prev[0]);
    }
    return prev[lb];
}

static bool in_list(const char *const *names, const char *s)
{
    for (; names != NULL && *names != NULL; names++)
        if (strcmp(*names, s) == 0)
            return true;
    return false;
}

/* Writes "a, b, c" into dst. */
static void list_names(char *dst, size_t n, const char *const *names)
{
    size_t used = 0;
    dst[0] = '\0';
    for (size_t i = 0; names[i] != NULL && used < n; i++)
        used += (size_t)snprintf(dst + used, n - used, "%s%s", i ? ", " : "", names[i]);
}

/* The message for an unknown key: a suggestion within edit distance 2, or
 * the list of known keys. */
static void unknown_key_msg(char *dst, size_t n, const char *const *known, const char *key)
{
    const char *best = NULL;
    size_t bestd = 3;
    for (size_t i = 0; known[i] != NULL; i++) {
        size_t d = edit_distance(key, known[i]);
        if (d < bestd) {
            bestd = d;
            best = known[i];
        }
    }
    if (best != NULL) {
        snprintf(dst, n, "unknown key; did you mean \"%s\"?", best);
    } else {
        char names[224];
        list_names(names, sizeof names, known);
        snprintf(dst, n, "unknown key; expected one of %s", names);
    }
}

static const char *type_name(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_MAPPING_NODE:
        return "a mapping";
    case YAML_SEQUENCE_NODE:
        return "a list";
    default:
        return "a scalar";
    }
}

/* The text of scalar n, or an error naming what was wanted. */
static int scalar_text(loader *L, const yaml_node_t *n, const char *path, const char *want,
                       const char **text)
{
    *text = "";
    if (n->type != YAML_SCALAR_NODE)
        return fail_at(L, n, path, "expected %s, got %s", want, type_name(n));
    if (dcs_yaml_is_null(n))
        return fail_at(L, n, path, "expected %s, got no value", want);
    const char *v = (const char *)n->data.scalar.value;
    if (strlen(v) != n->data.scalar.length)
        return fail_at(L, n, path, "contains a NUL character");
    *text = v;
    return 0;
}

/* ---- typed values --------------------------------------------------------------------------- */

typedef enum { R_ANY, R_GE0, R_GT0 } range;

static int check_range(loader *L, const yaml_node_t *n, const char *path, double v, range r)
{
    const char *text = (const char *)n->data.scalar.value;
    if (r == R_GT0 && !(v > 0.0))
        return fail_at(L, n, path, "must be > 0, got \"%.60s\"", text);
    if (r == R_GE0 && !(v >= 0.0))
        return fail_at(L, n, path, "must be >= 0, got \"%.60s\"", text);
    return 0;
}

/* Reads a whole decimal number (no unit, no hexadecimal, finite). */
static bool read_number(const char *text, double *out)
{
    if (text[0] == '\0' || strspn(text, "0123456789+-.eE") != strlen(text))
        return false;
    char *end = NULL;
    double v = strtod(text, &end);
    if (*end != '\0' || !isfinite(v))
        return false;
    *out = v;
    return true;
}

static int number_of(loader *L, const yaml_node_t *n, const char *path, range r, double *out)
{
    const char *text;
    int rc = scalar_text(L, n, path, "a number", &text);
    if (rc)
        return rc;
    double v;
    if (!read_number(text, &v) && strstr(path, "usd") != NULL)
        return fail_at(L, n, path,
                       "expected an amount in US dollars as a plain number (the key names the "
                       "currency), got \"%.60s\"",
                       text);
    if (!read_number(text, &v))
        return fail_at(L, n, path, "expected a number, got \"%.60s\"", text);
    rc = check_range(L, n, path, v, r);
    if (rc)
        return rc;
    *out = v;
    return 0;
}

static int quantity_of(loader *L, const yaml_node_t *n, const char *path, dcs_dim dim, range r,
                       double *out)
{
    const char *text, *why = "";
    int rc = scalar_text(L, n, path, dcs_units_dim_name(dim), &text);
    if (rc)
        return rc;
    double v = 0.0;
    if (dcs_units_parse(text, dim, &v, &why) != 0)
        return fail_at(L, n, path, "\"%.60s\" %s; use one of %s", text, why,
                       dcs_units_accepted(dim));
    rc = check_range(L, n, path, v, r);
    if (rc)
        return rc;
    *out = v;
    return 0;
}

/* Reads an integer written as optional sign and decimal digits. */
static int integer_of(loader *L, const yaml_node_t *n, const char *path, int64_t lo, int64_t *out)
{
    const char *text;
    int rc = scalar_text(L, n, path, "an integer", &text);
    if (rc)
        return rc;
    const char *digits = text + (text[0] == '+' || text[0] == '-');
    if (digits[0] == '\0' || strspn(digits, "0123456789") != strlen(digits))
        return fail_at(L, n, path, "expected an integer, got \"%.60s\"", text);
    errno = 0;
    long long v = strtoll(text, NULL, 10);
    if (errno == ERANGE)
        return fail_at(L, n, path, "\"%.60s\" is too large", text);
    if (v < lo)
        return fail_at(L, n, path, "must be >= %" PRId64 ", got \"%.60s\"", lo, text);
    *out = (int64_t)v;
    return 0;
}

static int unsigned_of(loader *L, const yaml_node_t *n, const char *path, uint64_t *out)
{
    const char *text;
    int rc = scalar_text(L, n, path, "an integer", &text);
    if (rc)
        return rc;
    const char *digits = text + (text[0] == '+' || text[0] == '-');
    if (digits[0] == '\0' || strspn(digits, "0123456789") != strlen(digits))
        return fail_at(L, n, path, "expected an integer, got \"%.60s\"", text);
    if (text[0] == '-' && strspn(digits, "0") != strlen(digits))
        return fail_at(L, n, path, "must be >= 0, got \"%.60s\"", text);
    errno = 0;
    unsigned long long v = strtoull(digits, NULL, 10);
    if (errno == ERANGE)
        return fail_at(L, n, path, "\"%.60s\" is too large", text);
    *out = (uint64_t)v;
    return 0;
}

static int bool_of(loader *L, const yaml_node_t *n, const char *path, bool *out)
{
    const char *text;
    int rc = scalar_text(L, n, path, "true or false", &text);
    if (rc)
        return rc;
    if (strcmp(text, "true") == 0)
        *out = true;
    else if (strcmp(text, "false") == 0)
        *out = false;
    else
        return fail_at(L, n, path, "expected true or false, got \"%.60s\"", text);
    return 0;
}

static int enum_of(loader *L, const yaml_node_t *n, const char *path, const char *const *names,
                   int *out)
{
    const char *text;
    char list[160];
    list_names(list, sizeof list, names);
    int rc = scalar_text(L, n, path, "one of these names", &text);
    if (rc)
        return rc;
    for (int i = 0; names[i] != NULL; i++) {
        if (strcmp(names[i], text) == 0) {
            *out = i;
            return 0;
        }
    }
    return fail_at(L, n, path, "unknown value \"%.60s\"; use one of %s", text, list);
}

static int string_of(loader *L, const yaml_node_t *n, const char *path, char *dst, size_t cap)
{
    const char *text;
    int rc = scalar_text(L, n, path, "a string", &text);
    if (rc)
        return rc;
    size_t len = strlen(text);
    if (len >= cap)
        return fail_at(L, n, path, "is too long (%zu characters; at most %zu)", len, cap - 1);
    memcpy(dst, text, len + 1);
    return 0;
}

/* ---- sections ------------------------------------------------------------------------------- */

typedef struct section {
    const yaml_node_t *map; /* the mapping, NULL when the section is absent */
    const yaml_node_t *pos; /* where a missing key is reported: map or an ancestor */
    char path[PATH_LEN];    /* "" at the top, "cluster", "failures[2]" */
    ctx c;
} section;

/* The value under key in mapping map, or NULL. */
static const yaml_node_t *lookup(const loader *L, const yaml_node_t *map, const char *key)
{
    if (map == NULL || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (const yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        const yaml_node_t *k = node_at(L, p->key);
        if (k != NULL && k->type == YAML_SCALAR_NODE &&
            strcmp((const char *)k->data.scalar.value, key) == 0)
            return node_at(L, p->value);
    }
    return NULL;
}

/* The value of sec's key, or NULL; writes the key's path. */
static const yaml_node_t *get(const loader *L, const section *sec, const char *key, char *path)
{
    join(path, sec->path, key);
    return lookup(L, sec->map, key);
}

static int missing(loader *L, const section *sec, const char *key, const char *hint)
{
    char path[PATH_LEN];
    join(path, sec->path, key);
    if (hint != NULL)
        return fail_at(L, sec->pos, path, "missing required key; %s", hint);
    return fail_at(L, sec->pos, path, "missing required key");
}

/* Checks that every key of sec's mapping is known and given once. */
static int check_keys(loader *L, const section *sec)
{
    const char *buf[KEYS_MAX];
    const char *const *known = keys_of(sec->c, buf);
    const yaml_node_pair_t *start = sec->map->data.mapping.pairs.start;
    const yaml_node_pair_t *top = sec->map->data.mapping.pairs.top;
    for (const yaml_node_pair_t *p = start; p < top; p++) {
        const yaml_node_t *k = node_at(L, p->key);
        if (k->type != YAML_SCALAR_NODE)
            return fail_at(L, k, sec->path, "expected a key name, got %s", type_name(k));
        const char *name = (const char *)k->data.scalar.value;
        char path[PATH_LEN];
        join(path, sec->path, name);
        if (!in_list(known, name)) {
            char msg[256];
            unknown_key_msg(msg, sizeof msg, known, name);
            return fail_at(L, k, path, "%s", msg);
        }
        for (const yaml_node_pair_t *q = start; q < p; q++) {
            const yaml_node_t *kq = node_at(L, q->key);
            if (kq->type == YAML_SCALAR_NODE &&
                strcmp((const char *)kq->data.scalar.value, name) == 0)
                return fail_at(L, k, path, "duplicate key; first given at line %lu",
                               (unsigned long)kq->start_mark.line + 1);
        }
    }
    return 0;
}

/* Opens the sub-section under key (a mapping) of parent. */
static int open_section(loader *L, const section *parent, const char *key, ctx c, bool required,
                        section *out)
{
    const yaml_node_t *n = get(L, parent, key, out->path);
    out->c = c;
    out->map = NULL;
    out->pos = parent->pos;
    if (n == NULL)
        return required ? missing(L, parent, key, NULL) : 0;
    if (n->type != YAML_MAPPING_NODE) {
        if (dcs_yaml_is_null(n))
            return fail_at(L, n, out->path, "expected a mapping, got no value");
        return fail_at(L, n, out->path, "expected a mapping, got %s", type_name(n));
    }
    out->map = n;
    out->pos = n;
    return check_keys(L, out);
}

/* Field readers: absent and optional -> the default; absent and required -> error. */
static int f_number(loader *L, const section *s, const char *key, bool req, range r, double dflt,
                    double *out)
{
    char path[PATH_LEN];
    const yaml_node_t *n = get(L, s, key, path);
    if (n == NULL) {
        if (req)
            return missing(L, s, key, NULL);
        *out = dflt;
        return 0;
    }
    return number_of(L, n, path, r, out);
}

static int f_quantity(loader *L, const section *s, const char *key, dcs_dim dim, bool req, range r,
                      double dflt, double *out)
{
    char path[PATH_LEN];
    const yaml_node_t *n = get(L, s, key, path);
    if (n == NULL) {
        if (req)
            return missing(L, s, key, NULL);
        *out = dflt;
        return 0;
    }
    return quantity_of(L, n, path, dim, r, out);
}

static int f_integer(loader *L, const section *s, const char *key, bool req, int64_t lo,
                     int64_t dflt, int64_t *out)
{
    char path[PATH_LEN];
    const yaml_node_t *n = get(L, s, key, path);
    if (n == NULL) {
        if (req)
            return missing(L, s, key, NULL);
        *out = dflt;
        return 0;
    }
    return integer_of(L, n, path, lo, out);
}

/* Refuses an integer key above hi (when given), saying why. */
static int at_most(loader *L, const section *s, const char *key, int64_t v, int64_t hi,
                   const char *why)
{
    char path[PATH_LEN];
    const yaml_node_t *n = get(L, s, key, path);
    if (n == NULL || v <= hi)
        return 0;
    return fail_at(L, n, path, "must be <= %" PRId64 " (%s), got %" PRId64, hi, why, v);
}

static int f_bool(loader *L, const section *s, const char *key, bool dflt, bool *out)
{
    char path[PATH_LEN];
    const yaml_node_t *n = get(L, s, key, path);
    if (n == NULL) {
        *out = dflt;
        return 0;
    }
    return bool_of(L, n, path, out);
}

static int f_enum(loader *L, const section *s, const char *key, const char *const *names, int dflt,
                  int *out)
{
    char path[PATH_LEN];
    const yaml_node_t *n = get(L, s, key, path);
    if (n == NULL) {
        *out = dflt;
        return 0;
    }
    return enum_of(L, n, path, names, out);
}

static int f_string(loader *L, const section *s, const char *key, bool req, char *dst, size_t cap)
{
    char path[PATH_LEN];
    const yaml_node_t *n = get(L, s, key, path);
    if (n == NULL)
        return req ? missing(L, s, key, NULL) : 0;
    return string_of(L, n, path, dst, cap);
}

/* A key that must not be given in this context. */
static int f_forbid(loader *L, const section *s, const char *key, const char *why)
{
    char path[PATH_LEN];
    const yaml_node_t *n = get(L, s, key, path);
    if (n == NULL)
        return 0;
    return fail_at(L, n, path, "%s", why);
}

/* ---- the schema ----------------------------------------------------------------------------- */

static int read_sources(loader *L, const section *top, dcs_scenario *s)
{
    char path[PATH_LEN];
    const yaml_node_t *n = get(L, top, "sources", path);
    if (n == NULL)
        return 0;
    if (n->type != YAML_SEQUENCE_NODE)
        return string_of(L, n, path, s->sources, sizeof s->sources);
    size_t used = 0;
    int i = 0;
    for (const yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++, i++) {
        char ipath[PATH_LEN];
        snprintf(ipath, sizeof ipath, "sources[%d]", i);
        const yaml_node_t *item = node_at(L, *it);
        const char *text;
        int rc = scalar_text(L, item, ipath, "a string", &text);
        if (rc)
            return rc;
        size_t len = strlen(text);
        if (used + len + (i > 0) >= sizeof s->sources)
            return fail_at(L, item, ipath, "the sources are too long (at most %zu characters)",
                           sizeof s->sources - 1);
        if (i > 0)
            s->sources[used++] = '\n';
        memcpy(s->sources + used, text, len + 1);
        used += len;
    }
    return 0;
}

/* ---- a user catalog ------------------------------------------------------------------------- */

/* The figures of an entry, in the order of dcs_user_accel.sources, and
 * their labels in the joined source string. */
static const char *const figure_keys[DCS_ACCEL_FIGURES] = {"peak_flops", "memory", "tdp",
                                                           "purchase_usd", "rental_usd_per_hour"};
static const char *const figure_labels[DCS_ACCEL_FIGURES] = {"peak", "memory", "TDP", "purchase",
                                                             "rental"};

static double *figure_field(dcs_accel *a, int f)
{
    switch (f) {
    case 0:
        return &a->peak_flops;
    case 1:
        return &a->memory_bytes;
    case 2:
        return &a->tdp_w;
    case 3:
        return &a->purchase_usd;
    default:
        return &a->rental_usd_per_h;
    }
}

/* Writes k's range as the message says it: "> 0W and <= 100000W". */
static void range_words(char *dst, size_t n, const dcs_schema_key *k)
{
    size_t used = 0;
    const char *u = k->type == DCS_KT_QUANTITY ? dcs_units_si_symbol(k->dim) : "";
    dst[0] = '\0';
    if (k->range & DCS_RANGE_LO)
        used += (size_t)snprintf(dst, n, "%s %g%s",
                                 (k->range & DCS_RANGE_LO_OPEN) ? ">" : ">=", k->lo, u);
    if ((k->range & DCS_RANGE_HI) && used < n)
        snprintf(dst + used, n - used, "%s%s %g%s", used ? " and " : "",
                 (k->range & DCS_RANGE_HI_OPEN) ? "<" : "<=", k->hi, u);
}

/* One figure of entry `it`: a number in the key's range (SI units for a
 * quantity), or "n/a" (NAN) where the table allows it. */
static int read_figure(loader *L, const section *it, int f, double *out)
{
    const dcs_schema_key *k = dcs_schema_find(DCS_SEC_CATALOG_ACCEL, figure_keys[f]);
    bool na_ok = f >= 2; /* tdp and the prices may be unpublished; peak and memory may not */
    char path[PATH_LEN];
    const yaml_node_t *n = get(L, it, k->name, path);
    if (n == NULL)
        return missing(L, it, k->name,
                       na_ok ? "give the figure, or n/a with a source that says why"
                             : "every entry gives this figure");
    if (n->type == YAML_SCALAR_NODE && strcmp((const char *)n->data.scalar.value, "n/a") == 0) {
        if (!na_ok)
            return fail_at(L, n, path, "cannot be n/a: the simulation needs this figure");
        *out = NAN;
        return 0;
    }
    double v = 0.0;
    int rc = k->type == DCS_KT_QUANTITY ? quantity_of(L, n, path, k->dim, R_ANY, &v)
                                        : number_of(L, n, path, R_ANY, &v);
    if (rc)
        return rc;
    if (!dcs_schema_in_range(k, v)) {
        char words[64];
        range_words(words, sizeof words, k);
        return fail_at(L, n, path, "must be %s, got \"%.60s\"", words,
                       (const char *)n->data.scalar.value);
    }
    *out = v;
    return 0;
}

/* Joins an entry's sources into accel.source ("peak: ...; memory: ..."), cut
 * with "..." where it is longer than the field: the whole sources are kept
 * in u->sources, this string is for display. */
static void join_sources(dcs_user_accel *u)
{
    char *dst = u->accel.source;
    size_t cap = sizeof u->accel.source, used = 0;
    dst[0] = '\0';
    for (int f = 0; f < DCS_ACCEL_FIGURES && used < cap; f++)
        used += (size_t)snprintf(dst + used, cap - used, "%s%s: %s", f ? "; " : "",
                                 figure_labels[f], u->sources[f]);
    if (used >= cap)
        memcpy(dst + cap - 4, "...", 4);
}

/* Whether text holds something other than blanks. */
static bool blank(const char *text)
{
    return text[strspn(text, " \t\r\n")] == '\0';
}

/* One entry of a user catalog. `seen` are the entries before it. */
static int read_user_accel(loader *L, const section *it, const dcs_user_catalog *seen, int i,
                           const char *lpath, dcs_user_accel *u)
{
    char path[PATH_LEN];
    memset(u, 0, sizeof *u);
    int rc = check_keys(L, it);
    if (rc)
        return rc;
    const yaml_node_t *kn = get(L, it, "key", path);
    if (kn == NULL)
        return missing(L, it, "key", NULL);
    if ((rc = string_of(L, kn, path, u->accel.key, sizeof u->accel.key)))
        return rc;
    const char *key = u->accel.key;
    if (key[0] == '\0' ||
        strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") !=
            strlen(key))
        return fail_at(L, kn, path, "must be 1 to 63 of A-Z a-z 0-9 - _ ., got \"%.60s\"", key);
    const dcs_accel *builtin = dcs_catalog_find(key);
    if (builtin != NULL)
        return fail_at(L, kn, path,
                       "\"%s\" clashes with the built-in catalog's \"%s\" (%s): a catalog of your "
                       "own adds accelerators and replaces none; choose another key, or change "
                       "figures with cluster.accelerator_overrides",
                       key, builtin->key, builtin->name);
    for (int j = 0; j < i; j++)
        if (strcasecmp(seen->accels[j].accel.key, key) == 0)
            return fail_at(L, kn, path, "\"%s\" is given twice (also %s[%d], \"%s\")", key, lpath,
                           j, seen->accels[j].accel.key);
    if ((rc = f_string(L, it, "name", true, u->accel.name, sizeof u->accel.name)))
        return rc;
    if (blank(u->accel.name))
        return fail_at(L, get(L, it, "name", path), path, "must not be empty");
    int format = 0;
    if (get(L, it, "format", path) == NULL)
        return missing(L, it, "format", "BF16, or FP16 for a part without BF16");
    if ((rc = f_enum(L, it, "format", dcs_names_num_format, 0, &format)))
        return rc;
    u->format = (dcs_num_format)format;
    for (int f = 0; f < DCS_ACCEL_FIGURES; f++)
        if ((rc = read_figure(L, it, f, figure_field(&u->accel, f))))
            return rc;
    section src;
    if ((rc = open_section(L, it, "sources", DCS_SEC_CATALOG_SOURCES, true, &src)))
        return rc;
    for (int f = 0; f < DCS_ACCEL_FIGURES; f++) {
        const char *hint = "every figure names its public source, or \"assumption:\" and why";
        if (get(L, &src, figure_keys[f], path) == NULL)
            return missing(L, &src, figure_keys[f], hint);
        if ((rc = f_string(L, &src, figure_keys[f], true, u->sources[f], sizeof u->sources[f])))
            return rc;
        if (blank(u->sources[f]))
            return fail_at(L, get(L, &src, figure_keys[f], path), path, "must not be empty: %s",
                           hint);
    }
    join_sources(u);
    return 0;
}

/* The mapping of a user catalog (a scenario's catalog section, or the top
 * level of a catalog file) into *uc. */
static int read_catalog_map(loader *L, const section *cat, dcs_user_catalog *uc)
{
    char lpath[PATH_LEN];
    memset(uc, 0, sizeof *uc);
    const yaml_node_t *list = get(L, cat, "accelerators", lpath);
    if (list == NULL)
        return missing(L, cat, "accelerators", NULL);
    if (list->type != YAML_SEQUENCE_NODE)
        return fail_at(L, list, lpath, "expected a list of accelerators, got %s",
                       dcs_yaml_is_null(list) ? "no value" : type_name(list));
    int n = (int)(list->data.sequence.items.top - list->data.sequence.items.start);
    if (n == 0)
        return fail_at(L, list, lpath, "an empty list: give at least one accelerator");
    if (n > DCS_MAX_USER_ACCELS)
        return fail_at(L, list, lpath, "at most %d accelerators, got %d", DCS_MAX_USER_ACCELS, n);
    for (int i = 0; i < n; i++) {
        const yaml_node_t *item = node_at(L, list->data.sequence.items.start[i]);
        section it = {item, item, "", DCS_SEC_CATALOG_ACCEL};
        if (cat->path[0] != '\0')
            snprintf(it.path, sizeof it.path, "catalog.accelerators[%d]", i);
        else
            snprintf(it.path, sizeof it.path, "accelerators[%d]", i);
        if (item->type != YAML_MAPPING_NODE)
            return fail_at(L, item, it.path, "expected a mapping, got %s", type_name(item));
        int rc = read_user_accel(L, &it, uc, i, lpath, &uc->accels[i]);
        if (rc)
            return rc;
        uc->naccels = i + 1;
    }
    return 0;
}

static int yaml_error(loader *L, const yaml_parser_t *p);

/* Loads the catalog file at path (its top level is the mapping of the
 * scenario's catalog section). Errors are reported in that file. */
static int load_catalog_file(const char *path, dcs_user_catalog *uc, dcs_err *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc = dcs_input_read_file(path, "a catalog file", &text, &len, err);
    if (rc)
        return rc;
    if ((rc = dcs_input_check_yaml(text, len, path, 0, 0, err))) {
        free(text);
        return rc;
    }
    loader L;
    memset(&L, 0, sizeof L);
    L.file = path;
    L.root = 1;
    L.err = err;
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        free(text);
        return dcs_err_set(err, DCS_ENOMEM, "out of memory parsing YAML");
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    if (!yaml_parser_load(&p, &L.doc)) {
        rc = yaml_error(&L, &p);
        yaml_parser_delete(&p);
        free(text);
        return rc;
    }
    const yaml_node_t *root = node_at(&L, 1);
    if (root == NULL || root->type != YAML_MAPPING_NODE) {
        rc = dcs_err_set(err, DCS_EINPUT, "expected a mapping with the key accelerators, got %s",
                         root == NULL || dcs_yaml_is_null(root) ? "no value" : type_name(root));
        dcs_err_where(err, path, root != NULL ? (long)root->start_mark.line + 1 : 1,
                      root != NULL ? (long)root->start_mark.column + 1 : 1);
    } else {
        section top = {root, root, "", DCS_SEC_CATALOG};
        rc = check_keys(&L, &top);
        if (rc == 0)
            rc = read_catalog_map(&L, &top, uc);
    }
    yaml_document_delete(&L.doc);
    yaml_parser_delete(&p);
    free(text);
    return rc;
}

/* The scenario's catalog: a file name relative to the scenario's folder, or
 * an inline section. */
static int read_catalog(loader *L, const section *top, dcs_scenario *s)
{
    char path[PATH_LEN];
    const yaml_node_t *n = get(L, top, "catalog", path);
    if (n == NULL)
        return 0;
    if (n->type == YAML_MAPPING_NODE) {
        section cat = {n, n, "", DCS_SEC_CATALOG};
        snprintf(cat.path, sizeof cat.path, "%s", path);
        int rc = check_keys(L, &cat);
        return rc ? rc : read_catalog_map(L, &cat, &s->catalog);
    }
    const char *rel;
    int rc = scalar_text(L, n, path, "a catalog file name or a mapping", &rel);
    if (rc)
        return rc;
    char file[1024];
    const char *slash = strrchr(L->file, '/');
    if (rel[0] != '/' && slash != NULL)
        snprintf(file, sizeof file, "%.*s/%s", (int)(slash - L->file), L->file, rel);
    else
        snprintf(file, sizeof file, "%s", rel);
    rc = load_catalog_file(file, &s->catalog, L->err);
    if (rc != 0 && L->err->where[0] == '\0') {
        /* The file could not be read at all: say which key named it. */
        where_node(L, n);
        dcs_err_key(L->err, path);
    }
    return rc;
}

/* The accelerator `key` names: the scenario's own catalog's, else the
 * built-in catalog's (case-insensitive), or NULL. */
static const dcs_accel *find_accel(const dcs_user_catalog *uc, const char *key)
{
    for (int i = 0; i < uc->naccels; i++)
        if (strcasecmp(uc->accels[i].accel.key, key) == 0)
            return &uc->accels[i].accel;
    return dcs_catalog_find(key);
}

int dcs_user_catalog_load(const char *path, dcs_user_catalog *out, dcs_err *err)
{
    dcs_err_clear(err);
    dcs_user_catalog *uc = calloc(1, sizeof *uc);
    if (uc == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory");
    int rc = load_catalog_file(path, uc, err);
    if (rc == 0)
        memcpy(out, uc, sizeof *uc);
    free(uc);
    return rc;
}

static int read_cluster(loader *L, const section *top, dcs_scenario *s)
{
    section cl, ov;
    dcs_cluster_cfg *c = &s->cluster;
    int rc = open_section(L, top, "cluster", DCS_SEC_CLUSTER, true, &cl);
    if (rc)
        return rc;
    char path[PATH_LEN];
    const yaml_node_t *n = get(L, &cl, "accelerator", path);
    if (n == NULL)
        return missing(L, &cl, "accelerator", NULL);
    const char *key;
    rc = scalar_text(L, n, path, "a catalog key", &key);
    if (rc)
        return rc;
    const dcs_accel *a = find_accel(&s->catalog, key);
    if (a == NULL)
        return fail_at(L, n, path,
                       "unknown accelerator \"%.60s\"; run `dcsim catalog` to list the known ones, "
                       "or add it in a catalog of your own (`catalog:`)",
                       key);
    memcpy(&c->accel, a, sizeof c->accel);
    dcs_accel *ac = &c->accel;
    if ((rc = open_section(L, &cl, "accelerator_overrides", DCS_SEC_OVERRIDES, false, &ov)) ||
        (rc = f_number(L, &ov, "peak_flops", false, R_GT0, ac->peak_flops, &ac->peak_flops)) ||
        (rc = f_quantity(L, &ov, "memory", DCS_DIM_DATA, false, R_GT0, ac->memory_bytes,
                         &ac->memory_bytes)) ||
        (rc = f_quantity(L, &ov, "tdp", DCS_DIM_POWER, false, R_GT0, ac->tdp_w, &ac->tdp_w)) ||
        (rc =
             f_number(L, &ov, "purchase_usd", false, R_GE0, ac->purchase_usd, &ac->purchase_usd)) ||
        (rc = f_number(L, &ov, "rental_usd_per_hour", false, R_GE0, ac->rental_usd_per_h,
                       &ac->rental_usd_per_h)))
        return rc;
    /* Default 8 accelerators per node: HGX/DGX-class servers (domain refs).
     * The most the model holds (models/run.h) is checked here, before
     * anything multiplies the counts. */
    if ((rc = f_integer(L, &cl, "nodes", true, 1, 0, &c->nodes)) ||
        (rc = at_most(L, &cl, "nodes", c->nodes, DCS_RUN_MAX_NODES,
                      "the most the model holds: each node may have four events pending and the "
                      "engine holds 2^24 - 1")) ||
        (rc = f_integer(L, &cl, "accelerators_per_node", false, 1, 8, &c->accels_per_node)) ||
        (rc = at_most(L, &cl, "accelerators_per_node", c->accels_per_node,
                      DCS_RUN_MAX_ACCELS_PER_NODE, "far above any server")) ||
        (rc = f_integer(L, &cl, "spare_nodes", false, 0, 0, &c->spare_nodes)) ||
        (rc = at_most(L, &cl, "spare_nodes", c->spare_nodes, DCS_RUN_MAX_NODES,
                      "the most nodes the model holds")))
        return rc;
    if (get(L, &cl, "price_usd_per_accelerator_hour", path) == NULL && isnan(ac->rental_usd_per_h))
        return missing(L, &cl, "price_usd_per_accelerator_hour",
                       "the catalog has no rental price for this accelerator");
    /* Default: 10 min to put a spare node in place (docs/scenarios.md). */
    if ((rc = f_number(L, &cl, "price_usd_per_accelerator_hour", false, R_GE0, ac->rental_usd_per_h,
                       &c->price_usd_per_accel_h)) ||
        (rc = f_bool(L, &cl, "bill_spares", true, &c->bill_spares)) ||
        (rc = f_quantity(L, &cl, "swap_time", DCS_DIM_DURATION, false, R_GE0, 600.0, &c->swap_s)) ||
        (rc = f_integer(L, &cl, "nodes_per_switch", false, 1, 0, &c->nodes_per_switch)) ||
        (rc = f_integer(L, &cl, "repair_capacity", false, 0, 0, &c->repair_capacity)) ||
        (rc = at_most(L, &cl, "repair_capacity", c->repair_capacity, UINT32_MAX, "a 32-bit count")))
        return rc;
    int ns = DCS_NO_SPARE_WAIT;
    if ((rc = f_enum(L, &cl, "on_no_spare", dcs_names_no_spare, DCS_NO_SPARE_WAIT, &ns)))
        return rc;
    c->on_no_spare = (dcs_no_spare)ns;
    if (c->on_no_spare == DCS_NO_SPARE_SHRINK) {
        if ((rc = f_integer(L, &cl, "min_nodes", false, 1, 1, &c->min_nodes)))
            return rc;
        if (c->min_nodes > c->nodes)
            return fail_at(L, get(L, &cl, "min_nodes", path), path,
                           "%" PRId64 " is more than the job's %" PRId64 " nodes", c->min_nodes,
                           c->nodes);
    } else {
        c->min_nodes = c->nodes;
        if ((rc = f_forbid(L, &cl, "min_nodes", "is only used with on_no_spare shrink")))
            return rc;
    }
    if (c->nodes_per_switch > 0 && c->nodes % c->nodes_per_switch != 0)
        return fail_at(L, get(L, &cl, "nodes_per_switch", path), path,
                       "%" PRId64 " nodes do not divide into switches of %" PRId64
                       " nodes; nodes must be a multiple of nodes_per_switch",
                       c->nodes, c->nodes_per_switch);
    return 0;
}

/* FLOPs per token per active parameter of a kind's training step: 2
 * forward, 2 backward through the activations, and 2 more for the weight
 * gradients of the trainable share f (f = 1 but for adapters). */
static double flops_per_token(const dcs_job_cfg *j)
{
    return j->kind == DCS_JOB_ADAPTER ? 4.0 + 2.0 * j->trainable_fraction : 6.0;
}

/* job.stages: a list of {name, tokens | flops | accelerator_hours, mfu}. */
static int read_stages(loader *L, const section *jb, const yaml_node_t *list, const char *lpath,
                       dcs_job_cfg *j)
{
    if (list->type != YAML_SEQUENCE_NODE)
        return fail_at(L, list, lpath, "expected a list of stages, got %s", type_name(list));
    int n = (int)(list->data.sequence.items.top - list->data.sequence.items.start);
    if (n == 0)
        return fail_at(L, list, lpath,
                       "an empty list: give at least one stage, or leave stages out");
    if (n > DCS_MAX_STAGES)
        return fail_at(L, list, lpath, "at most %d stages, got %d", DCS_MAX_STAGES, n);
    (void)jb;
    j->flops = 0.0;
    for (int i = 0; i < n; i++) {
        const yaml_node_t *item = node_at(L, list->data.sequence.items.start[i]);
        section st = {item, item, "", DCS_SEC_STAGE};
        snprintf(st.path, sizeof st.path, "job.stages[%d]", i);
        if (item->type != YAML_MAPPING_NODE)
            return fail_at(L, item, st.path, "expected a mapping, got %s", type_name(item));
        int rc = check_keys(L, &st);
        if (rc)
            return rc;
        dcs_stage_cfg *g = &j->stages[i];
        memset(g, 0, sizeof *g);
        char path[PATH_LEN], tpath[PATH_LEN], fpath[PATH_LEN], hpath[PATH_LEN];
        const yaml_node_t *nm = get(L, &st, "name", path);
        if (nm == NULL)
            return missing(L, &st, "name", NULL);
        if ((rc = string_of(L, nm, path, g->name, sizeof g->name)))
            return rc;
        if (g->name[0] == '\0' ||
            strspn(g->name, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(g->name))
            return fail_at(L, nm, path, "must be [a-z0-9_]+, got \"%.60s\"", g->name);
        for (int k = 0; k < i; k++)
            if (strcmp(j->stages[k].name, g->name) == 0)
                return fail_at(L, nm, path, "stage \"%s\" is given twice (also job.stages[%d])",
                               g->name, k);
        const yaml_node_t *to = get(L, &st, "tokens", tpath);
        const yaml_node_t *fl = get(L, &st, "flops", fpath);
        const yaml_node_t *ah = get(L, &st, "accelerator_hours", hpath);
        if ((to != NULL) + (fl != NULL) + (ah != NULL) != 1) {
            if (to == NULL && fl == NULL && ah == NULL)
                return missing(L, &st, "tokens", "give one of tokens, flops and accelerator_hours");
            const yaml_node_t *second = fl != NULL && to != NULL ? fl : ah;
            return fail_at(L, second, second == fl ? fpath : hpath,
                           "give one of tokens, flops and accelerator_hours, not several");
        }
        if (to != NULL) {
            if (j->kind == DCS_JOB_VISION)
                return fail_at(L, to, tpath,
                               "a vision job's stages take flops or "
                               "accelerator_hours, not tokens");
            if (!(j->active_parameters > 0.0))
                return fail_at(L, to, tpath, "tokens needs job.parameters");
            if ((rc = number_of(L, to, tpath, R_GT0, &g->tokens)))
                return rc;
            g->flops = flops_per_token(j) * j->active_parameters * g->tokens;
        } else if (fl != NULL && (rc = number_of(L, fl, fpath, R_GT0, &g->flops))) {
            return rc;
        } else if (ah != NULL && (rc = number_of(L, ah, hpath, R_GT0, &g->accel_hours))) {
            return rc;
        }
        const yaml_node_t *m = get(L, &st, "mfu", path);
        g->mfu = j->mfu;
        if (m == NULL && ah == NULL && !(j->mfu > 0.0))
            return missing(L, &st, "mfu", "or give job.mfu for every stage");
        if (m != NULL) {
            if (ah != NULL)
                return fail_at(L, m, path,
                               "is not used with accelerator_hours (they are "
                               "already hours of the cluster)");
            if ((rc = number_of(L, m, path, R_ANY, &g->mfu)))
                return rc;
            if (!(g->mfu > 0.0 && g->mfu <= 1.0))
                return fail_at(L, m, path, "must be in (0, 1], got \"%.60s\"",
                               (const char *)m->data.scalar.value);
        }
        j->flops += g->flops;
    }
    j->nstages = n;
    return 0;
}

/* job.accelerators: the types a job can run on, the first the cluster's. */
static int read_job_type(loader *L, const yaml_node_t *item, int i, dcs_scenario *s)
{
    section it = {item, item, "", DCS_SEC_JOB_TYPE};
    snprintf(it.path, sizeof it.path, "job.accelerators[%d]", i);
    if (item->type != YAML_MAPPING_NODE)
        return fail_at(L, item, it.path, "expected a mapping, got %s", type_name(item));
    int rc = check_keys(L, &it);
    if (rc)
        return rc;
    dcs_job_type_cfg *t = &s->job.types[i];
    char path[PATH_LEN];
    const yaml_node_t *tn = get(L, &it, "type", path);
    const char *key;
    if (tn == NULL)
        return missing(L, &it, "type", "a catalog key");
    if ((rc = scalar_text(L, tn, path, "a catalog key", &key)))
        return rc;
    const dcs_accel *a = find_accel(&s->catalog, key);
    if (a == NULL)
        return fail_at(L, tn, path,
                       "unknown accelerator \"%.60s\"; run `dcsim catalog` to list "
                       "the known ones",
                       key);
    for (int k = 0; k < i; k++)
        if (strcasecmp(s->job.types[k].accel, a->key) == 0)
            return fail_at(L, tn, path, "%s is given twice (also job.accelerators[%d])", a->key, k);
    if (i == 0 && strcasecmp(a->key, s->cluster.accel.key) != 0)
        return fail_at(L, tn, path, "the first type is the cluster's accelerator, %s, not %s",
                       s->cluster.accel.key, a->key);
    snprintf(t->accel, sizeof t->accel, "%s", a->key);
    t->peak_flops = i == 0 ? s->cluster.accel.peak_flops : a->peak_flops;
    if (!(t->peak_flops > 0.0))
        return fail_at(L, tn, path, "the catalog has no peak FLOP/s for %s", a->key);
    int64_t apn = s->cluster.accels_per_node;
    if ((rc = f_number(L, &it, "mfu", true, R_GT0, 0.0, &t->mfu)) ||
        (rc = f_integer(L, &it, "accelerators_per_node", false, 1, apn, &t->accels_per_node)) ||
        (rc = at_most(L, &it, "accelerators_per_node", t->accels_per_node,
                      DCS_RUN_MAX_ACCELS_PER_NODE, "far above any server")))
        return rc;
    if (t->mfu > 1.0)
        return fail_at(L, get(L, &it, "mfu", path), path, "must be in (0, 1], got %g", t->mfu);
    if (i == 0 && t->accels_per_node != apn)
        return fail_at(L, get(L, &it, "accelerators_per_node", path), path,
                       "the first type's node shape is cluster.accelerators_per_node (%" PRId64 ")",
                       apn);
    return 0;
}

/* job.accelerators, job.choose and job.switch (job.switch.check_every and
 * the types' markets are resolved with the market: check_job_types). */
static int read_job_types(loader *L, const section *jb, dcs_scenario *s)
{
    dcs_job_cfg *j = &s->job;
    char path[PATH_LEN];
    section sw;
    int choose = DCS_CHOOSE_PREFERENCE, policy = DCS_SWITCH_NEVER;
    int rc;
    if ((rc = f_enum(L, jb, "choose", dcs_names_choose, DCS_CHOOSE_PREFERENCE, &choose)) ||
        (rc = open_section(L, jb, "switch", DCS_SEC_SWITCH, false, &sw)) ||
        (rc = f_enum(L, &sw, "policy", dcs_names_switch_policy, DCS_SWITCH_NEVER, &policy)) ||
        (rc = f_number(L, &sw, "threshold", false, R_GE0, 0.2, &j->sw.threshold)) ||
        (rc = f_quantity(L, &sw, "check_every", DCS_DIM_DURATION, false, R_GT0, 0.0,
                         &j->sw.check_s)))
        return rc;
    j->choose = (dcs_choose)choose;
    j->sw.policy = (dcs_switch_policy)policy;
    const yaml_node_t *list = get(L, jb, "accelerators", path);
    if (list == NULL)
        return 0;
    if (list->type != YAML_SEQUENCE_NODE)
        return fail_at(L, list, path, "expected a list of accelerator types, got %s",
                       type_name(list));
    int n = (int)(list->data.sequence.items.top - list->data.sequence.items.start);
    if (n == 0)
        return fail_at(L, list, path, "an empty list: give at least the cluster's accelerator");
    if (n > DCS_MAX_JOB_TYPES)
        return fail_at(L, list, path, "at most %d types, got %d", DCS_MAX_JOB_TYPES, n);
    for (int i = 0; i < n; i++)
        if ((rc = read_job_type(L, node_at(L, list->data.sequence.items.start[i]), i, s)))
            return rc;
    j->ntypes = n;
    j->mfu = j->types[0].mfu;
    return 0;
}

/* The node of job.<key>[.sub] (item i of a list key), and its path. */
static const yaml_node_t *job_node(const loader *L, const section *top, const char *key, int i,
                                   const char *sub, char *path)
{
    const yaml_node_t *n = lookup(L, lookup(L, top->map, "job"), key);
    if (i >= 0 && n != NULL && n->type == YAML_SEQUENCE_NODE)
        n = node_at(L, n->data.sequence.items.start[i]);
    if (i >= 0)
        snprintf(path, PATH_LEN, "job.%s[%d].%s", key, i, sub);
    else
        snprintf(path, PATH_LEN, "job.%s.%s", key, sub);
    return lookup(L, n, sub);
}

/* After the market: each type of job.accelerators is one of market.types,
 * a switching job rents on demand, check_every defaults to the market's
 * step. A single type is the single-type form exactly (same struct, same
 * resolved YAML, same bytes). */
static int check_job_types(loader *L, const section *top, dcs_scenario *s)
{
    dcs_job_cfg *j = &s->job;
    char path[PATH_LEN];
    if (j->ntypes < 2) {
        memset(j->types, 0, sizeof j->types);
        j->ntypes = 0;
        j->choose = DCS_CHOOSE_PREFERENCE;
        j->sw = (dcs_switch_cfg){DCS_SWITCH_NEVER, 0.2, 0.0};
        return 0;
    }
    for (int i = 0; i < j->ntypes; i++) {
        dcs_job_type_cfg *t = &j->types[i];
        int k = 0;
        while (s->market_listed && k < s->nmarket_types &&
               strcasecmp(s->market_types[k].accel, t->accel) != 0)
            k++;
        if (i > 0 && (!s->market_listed || k == s->nmarket_types))
            return fail_at(L, job_node(L, top, "accelerators", i, "type", path), path,
                           "%s is not in the market: a job's types are bought in market.types",
                           t->accel);
        t->market_type = s->market_listed ? k : 0;
    }
    if (j->sw.policy == DCS_SWITCH_PRICE_GAP && s->procurement.mode != DCS_BUY_ON_DEMAND)
        return fail_at(L, job_node(L, top, "switch", -1, "policy", path), path,
                       "price_gap moves capacity rented on demand; procurement.mode is %s",
                       dcs_names_buy_mode[s->procurement.mode]);
    if (!(j->sw.check_s > 0.0))
        j->sw.check_s = s->market.step_s;
    return 0;
}

static int read_job(loader *L, const section *top, dcs_scenario *s)
{
    section jb;
    dcs_job_cfg *j = &s->job;
    int rc = open_section(L, top, "job", DCS_SEC_JOB, true, &jb);
    if (rc)
        return rc;
    memset(j, 0, sizeof *j);
    int kind = DCS_JOB_PRETRAINING;
    if ((rc = f_enum(L, &jb, "kind", dcs_names_job_kind, DCS_JOB_PRETRAINING, &kind)))
        return rc;
    j->kind = (dcs_job_kind)kind;
    const char *kname = dcs_names_job_kind[kind];
    char path[PATH_LEN], ppath[PATH_LEN], tpath[PATH_LEN], spath[PATH_LEN];
    const yaml_node_t *m = get(L, &jb, "mfu", path);
    if ((rc = read_job_types(L, &jb, s)))
        return rc;
    if (j->ntypes > 0 && m != NULL)
        return fail_at(L, m, path, "is given per type with job.accelerators (their mfu)");
    /* With stages, job.mfu is only the default of the stages that give
     * none: it may be left out when every stage has its own, or is given
     * in accelerator-hours (read_stages then needs none). */
    if (m == NULL && j->ntypes == 0 && get(L, &jb, "stages", spath) == NULL)
        return missing(L, &jb, "mfu", NULL);
    if (m != NULL && (rc = number_of(L, m, path, R_ANY, &j->mfu)))
        return rc;
    if (m != NULL && !(j->mfu > 0.0 && j->mfu <= 1.0))
        return fail_at(L, m, path, "must be in (0, 1], got \"%.60s\"",
                       (const char *)m->data.scalar.value);
    /* The trainable share: adapters need it; a vision job may give it for
     * its checkpoint size; full training trains everything. */
    const yaml_node_t *tf = get(L, &jb, "trainable_fraction", path);
    j->trainable_fraction = 1.0;
    if (tf != NULL) {
        if (j->kind != DCS_JOB_ADAPTER && j->kind != DCS_JOB_VISION)
            return fail_at(L, tf, path,
                           "is only used with kind adapter or vision (kind %s "
                           "trains every weight)",
                           kname);
        if ((rc = number_of(L, tf, path, R_ANY, &j->trainable_fraction)))
            return rc;
        if (!(j->trainable_fraction > 0.0 && j->trainable_fraction <= 1.0))
            return fail_at(L, tf, path, "must be in (0, 1], got \"%.60s\"",
                           (const char *)tf->data.scalar.value);
    } else if (j->kind == DCS_JOB_ADAPTER) {
        return missing(L, &jb, "trainable_fraction",
                       "an adapter job trains a fraction of the weights, in (0, 1]");
    }
    const yaml_node_t *fl = get(L, &jb, "flops", path);
    const yaml_node_t *pa = get(L, &jb, "parameters", ppath);
    const yaml_node_t *to = get(L, &jb, "tokens", tpath);
    const yaml_node_t *sg = get(L, &jb, "stages", spath);
    if (fl != NULL && (pa != NULL || to != NULL))
        return fail_at(L, fl, path, "give either flops or parameters and tokens, not both");
    if (pa != NULL && (rc = number_of(L, pa, ppath, R_GT0, &j->parameters)))
        return rc;
    if ((rc = f_number(L, &jb, "active_parameters", false, R_GT0, j->parameters,
                       &j->active_parameters)))
        return rc;
    if (pa == NULL && (rc = f_forbid(L, &jb, "active_parameters", "needs parameters")))
        return rc;
    if (j->active_parameters > j->parameters)
        return fail_at(L, get(L, &jb, "active_parameters", path), path,
                       "must be at most parameters (%g)", j->parameters);
    if ((rc = f_number(L, &jb, "epochs", false, R_GT0, 1.0, &j->epochs)))
        return rc;
    static const char only_vision[] = "is only used with kind vision";
    if (j->kind != DCS_JOB_VISION && ((rc = f_forbid(L, &jb, "images", only_vision)) ||
                                      (rc = f_forbid(L, &jb, "flops_per_image", only_vision))))
        return rc;
    if (sg != NULL) {
        static const char why[] = "is not used with stages: each stage gives its own work";
        if ((rc = f_forbid(L, &jb, "flops", why)) || (rc = f_forbid(L, &jb, "tokens", why)) ||
            (rc = f_forbid(L, &jb, "epochs", why)) || (rc = f_forbid(L, &jb, "images", why)) ||
            (rc = f_forbid(L, &jb, "flops_per_image", why)))
            return rc;
        return read_stages(L, &jb, sg, spath, j);
    }
    if (fl != NULL) {
        if ((rc = f_forbid(L, &jb, "epochs", "is not used with flops (give the total)")) ||
            (rc = number_of(L, fl, path, R_GT0, &j->flops)))
            return rc;
        j->parameters = j->active_parameters = 0.0;
        return 0;
    }
    if (j->kind == DCS_JOB_VISION) {
        char ipath[PATH_LEN], fpath[PATH_LEN];
        const yaml_node_t *im = get(L, &jb, "images", ipath);
        const yaml_node_t *fp = get(L, &jb, "flops_per_image", fpath);
        if (to != NULL)
            return fail_at(L, to, tpath, "a vision job counts images, not tokens");
        if (im == NULL)
            return missing(L, &jb, "images", "give flops, or images and flops_per_image");
        if (fp == NULL)
            return missing(L, &jb, "flops_per_image",
                           "training FLOPs per image (forward and backward)");
        if ((rc = number_of(L, im, ipath, R_GT0, &j->images)) ||
            (rc = number_of(L, fp, fpath, R_GT0, &j->flops_per_image)))
            return rc;
        j->flops = j->flops_per_image * j->images * j->epochs;
        return 0;
    }
    if (pa == NULL && to == NULL)
        return missing(L, &jb, "flops", "give flops, or parameters and tokens");
    if (pa == NULL)
        return missing(L, &jb, "parameters", "tokens needs parameters");
    if (to == NULL)
        return missing(L, &jb, "tokens", "parameters needs tokens");
    if ((rc = number_of(L, to, tpath, R_GT0, &j->tokens)))
        return rc;
    /* 6 N D per epoch for dense training (2 forward, 4 backward); (4 + 2f)
     * N D for adapters; N the active parameters. */
    j->flops = flops_per_token(j) * j->active_parameters * j->tokens * j->epochs;
    if (!isfinite(j->flops))
        return fail_at(L, to, tpath, "parameters x tokens is too large");
    return 0;
}

/* The checkpoint size a job implies: its trainable weights and their
 * optimizer state, bytes_per_parameter each. */
static double derived_ckpt_size(const dcs_scenario *s)
{
    return s->job.trainable_fraction * s->job.parameters * s->checkpoint.bytes_per_param;
}

/* job.memory, then the check that the training state fits (models/estimate.h):
 * refused with the keys that set it, unless the scenario offloads. */
static int read_job_memory(loader *L, const section *top, dcs_scenario *s)
{
    section jb, me;
    dcs_job_cfg *j = &s->job;
    int64_t accels = s->cluster.nodes * s->cluster.accels_per_node;
    char path[PATH_LEN];
    int rc = open_section(L, top, "job", DCS_SEC_JOB, true, &jb);
    if (rc == 0)
        rc = open_section(L, &jb, "memory", DCS_SEC_JOB_MEMORY, false, &me);
    if (rc || (rc = f_integer(L, &me, "sharded_over", false, 1, 0, &j->shard_accels)) ||
        (rc = f_quantity(L, &me, "activations", DCS_DIM_DATA, false, R_GE0, 0.0,
                         &j->activation_bytes)) ||
        (rc = f_bool(L, &me, "offload", false, &j->offload)))
        return rc;
    if (j->shard_accels > accels)
        return fail_at(L, get(L, &me, "sharded_over", path), path,
                       "is more than the job's %" PRId64 " accelerators", accels);
    dcs_memory_need m;
    if (dcs_memory_need_of(s, &m) || j->offload)
        return 0;
    const yaml_node_t *n = get(L, &jb, "parameters", path);
    return fail_at(L, n != NULL ? n : jb.pos, "job.parameters",
                   "does not fit: %.4g x %g B (checkpoint.bytes_per_parameter) / %.0f "
                   "(job.memory.sharded_over) + %.3g GB (job.memory.activations) = %.3g GB per "
                   "accelerator > %.3g GB (cluster.accelerator); shard wider or set "
                   "job.memory.offload",
                   j->parameters, s->checkpoint.bytes_per_param, m.shards, m.activation_bytes / 1e9,
                   m.need_bytes / 1e9, m.have_bytes / 1e9);
}

static int read_checkpoint(loader *L, const section *top, dcs_scenario *s)
{
    section ck;
    dcs_ckpt_cfg *k = &s->checkpoint;
    int rc = open_section(L, top, "checkpoint", DCS_SEC_CKPT, false, &ck);
    if (rc)
        return rc;
    int policy = DCS_CKPT_DALY;
    if ((rc = f_enum(L, &ck, "policy", dcs_names_policy, DCS_CKPT_DALY, &policy)))
        return rc;
    k->policy = (dcs_ckpt_policy)policy;
    if (k->policy == DCS_CKPT_FIXED) {
        rc = f_quantity(L, &ck, "interval", DCS_DIM_DURATION, true, R_GT0, 0.0, &k->interval_s);
    } else {
        char why[96];
        snprintf(why, sizeof why, "is only used with policy fixed (the policy is %s)",
                 dcs_names_policy[policy]);
        rc = f_forbid(L, &ck, "interval", why);
    }
    if (rc)
        return rc;
    /* Default 16 bytes per parameter: BF16 weights and gradients plus FP32
     * Adam moments and master weights (docs/scenarios.md). */
    if ((rc = f_number(L, &ck, "bytes_per_parameter", false, R_GT0, 16.0, &k->bytes_per_param)))
        return rc;
    double derived = derived_ckpt_size(s);
    if ((rc = f_quantity(L, &ck, "size", DCS_DIM_DATA, false, R_GT0, derived, &k->size_bytes)))
        return rc;
    bool needed = k->policy != DCS_CKPT_NONE;
    if (needed && !(k->size_bytes > 0.0))
        return missing(L, &ck, "size", "give size, or job.parameters to derive it");
    if ((rc = f_quantity(L, &ck, "write_bandwidth", DCS_DIM_BANDWIDTH, needed, R_GT0, 0.0,
                         &k->write_bps)) ||
        (rc = f_quantity(L, &ck, "read_bandwidth", DCS_DIM_BANDWIDTH, false, R_GT0, k->write_bps,
                         &k->read_bps)) ||
        (rc = f_quantity(L, &ck, "overhead", DCS_DIM_DURATION, false, R_GE0, 0.0,
                         &k->write_overhead_s)) ||
        (rc = f_bool(L, &ck, "final", true, &k->final)))
        return rc;
    int mode = DCS_CKPT_BLOCKING;
    if ((rc = f_enum(L, &ck, "mode", dcs_names_ckpt_mode, DCS_CKPT_BLOCKING, &mode)))
        return rc;
    k->mode = (dcs_ckpt_mode)mode;
    /* No public default for the snapshot stall of an async checkpoint was
     * found: it is required (docs/scenarios.md). */
    if (k->mode == DCS_CKPT_ASYNC)
        rc =
            f_quantity(L, &ck, "snapshot_time", DCS_DIM_DURATION, true, R_GE0, 0.0, &k->snapshot_s);
    else
        rc = f_forbid(L, &ck, "snapshot_time", "is only used with mode async");
    if (rc || (rc = f_integer(L, &ck, "retain", false, 1, 1, &k->retain)))
        return rc;
    section mem;
    if ((rc = open_section(L, &ck, "memory", DCS_SEC_CKPT_MEMORY, false, &mem)))
        return rc;
    k->mem_interval_s = 0.0;
    k->mem_write_bps = 0.0;
    k->mem_read_bps = 0.0;
    k->mem_overhead_s = 0.0;
    if (mem.map == NULL)
        return 0;
    if (k->mode == DCS_CKPT_ASYNC)
        return fail_at(L, mem.map, mem.path,
                       "an in-memory level cannot be combined with mode async (an async "
                       "checkpoint already snapshots into memory)");
    return (rc = f_quantity(L, &mem, "interval", DCS_DIM_DURATION, true, R_GT0, 0.0,
                            &k->mem_interval_s)) ||
                   (rc = f_quantity(L, &mem, "write_bandwidth", DCS_DIM_BANDWIDTH, false, R_GT0,
                                    0.0, &k->mem_write_bps)) ||
                   (rc = f_quantity(L, &mem, "read_bandwidth", DCS_DIM_BANDWIDTH, false, R_GT0,
                                    k->mem_write_bps, &k->mem_read_bps)) ||
                   (rc = f_quantity(L, &mem, "overhead", DCS_DIM_DURATION, false, R_GE0, 0.0,
                                    &k->mem_overhead_s))
               ? rc
               : 0;
}

/* annual_failure_rate: a number of failures per unit per year, or a
 * percentage ("6.1%"). Mean time to failure = 1 y / AFR. */
static int afr_of(loader *L, const yaml_node_t *n, const char *path, double *mean_s)
{
    const char *text;
    int rc = scalar_text(L, n, path, "a number or a percentage", &text);
    if (rc)
        return rc;
    char num[64];
    size_t len = strlen(text);
    double v = 0.0, scale = 1.0;
    bool ok = len < sizeof num;
    if (ok) {
        memcpy(num, text, len + 1);
        if (len > 0 && num[len - 1] == '%') {
            num[--len] = '\0';
            while (len > 0 && num[len - 1] == ' ')
                num[--len] = '\0';
            scale = 0.01;
        }
        ok = read_number(num, &v);
    }
    if (!ok)
        return fail_at(L, n, path,
                       "expected a number or a percentage such as \"6.1%%\", got \"%.60s\"", text);
    v *= scale;
    if (!(v > 0.0))
        return fail_at(L, n, path, "must be > 0, got \"%.60s\"", text);
    *mean_s = YEAR_S / v;
    if (!isfinite(*mean_s))
        return fail_at(L, n, path, "\"%.60s\" is too small", text);
    return 0;
}

/* The least mean time to failure of one unit, s (the schema's range of
 * failures[].mtbf): no unit fails once a second, so a smaller mean is a
 * mistaken unit ("1e-300s", "5ms" for "5y"), and its failures would
 * outnumber anything a run can finish. */
#define MIN_MTBF_S 1.0

/* Refuses a mean time to failure below MIN_MTBF_S, at node n (the rate as
 * it was given). */
static int check_mtbf(loader *L, const yaml_node_t *n, const char *path, double mean_s)
{
    if (mean_s >= MIN_MTBF_S)
        return 0;
    return fail_at(L, n, path,
                   "gives a mean time to failure of %.3g s per unit, below 1 s, the least dcsim "
                   "takes (no unit fails that often: check the unit)",
                   mean_s);
}

/* shape / repair_shape: required for Weibull and lognormal, refused otherwise. */
static int read_shape(loader *L, const section *f, const char *key, dcs_dist_kind kind,
                      const char *distkey, double *shape)
{
    *shape = 0.0;
    if (kind == DCS_DIST_WEIBULL || kind == DCS_DIST_LOGNORMAL)
        return f_number(L, f, key, true, R_GT0, 0.0, shape);
    char why[96];
    snprintf(why, sizeof why, "is not used with %s %s", distkey, dcs_names_dist[kind]);
    return f_forbid(L, f, key, why);
}

/* Planned maintenance: a window of `duration` every `every`, the first at
 * `first` (default: every); or windows that arrive at random, `mtbf` apart
 * on average (exponential: a rate, as run reports count planned
 * interruptions). Nothing to repair. */
static int read_maintenance(loader *L, const section *f, dcs_failure_cfg *fc)
{
    static const char *const unused[] = {"distribution",
                                         "annual_failure_rate",
                                         "failures_per_1000_unit_days",
                                         "share",
                                         "shape",
                                         "speed",
                                         "detection",
                                         "repair_time",
                                         "repair_distribution",
                                         "repair_shape",
                                         NULL};
    int rc, action = DCS_ACTION_PLANNED;
    char path[PATH_LEN];
    for (const char *const *k = unused; *k != NULL; k++)
        if ((rc = f_forbid(L, f, *k,
                           "is not used with scope maintenance (give every or mtbf, duration, "
                           "first)")))
            return rc;
    if ((rc = f_enum(L, f, "action", dcs_names_action, DCS_ACTION_PLANNED, &action)))
        return rc;
    if (action != DCS_ACTION_PLANNED)
        return fail_at(L, get(L, f, "action", path), path,
                       "scope maintenance takes action planned (the job saves, stops for the "
                       "window and restarts)");
    fc->action = DCS_ACTION_PLANNED;
    fc->ttf = (dcs_dist){DCS_DIST_FIXED, 0.0, 0.0};
    fc->repair = (dcs_dist){DCS_DIST_FIXED, 0.0, 0.0};
    fc->detect_s = 0.0;
    fc->speed = 1.0;
    char mpath[PATH_LEN];
    const yaml_node_t *every = get(L, f, "every", path);
    const yaml_node_t *mtbf = get(L, f, "mtbf", mpath);
    if (every != NULL && mtbf != NULL)
        return fail_at(L, mtbf, mpath,
                       "give one of every (a fixed schedule) and mtbf (windows at random)");
    if (mtbf != NULL) {
        /* Random arrivals: a Poisson process of planned interruptions. */
        fc->ttf.kind = DCS_DIST_EXPONENTIAL;
        if ((rc = quantity_of(L, mtbf, mpath, DCS_DIM_DURATION, R_GT0, &fc->ttf.mean_s)) ||
            (rc = check_mtbf(L, mtbf, mpath, fc->ttf.mean_s)) ||
            (rc = f_forbid(L, f, "first", "is only used with every (a fixed schedule)")) ||
            (rc = f_quantity(L, f, "duration", DCS_DIM_DURATION, true, R_GT0, 0.0,
                             &fc->repair.mean_s)))
            return rc;
        fc->first_s = 0.0;
        return f_string(L, f, "source", false, fc->source, sizeof fc->source);
    }
    if (every == NULL)
        return missing(L, f, "every", "a fixed schedule (or mtbf: windows at random)");
    if ((rc = f_quantity(L, f, "every", DCS_DIM_DURATION, true, R_GT0, 0.0, &fc->ttf.mean_s)) ||
        (rc = f_quantity(L, f, "duration", DCS_DIM_DURATION, true, R_GT0, 0.0,
                         &fc->repair.mean_s)) ||
        (rc = f_quantity(L, f, "first", DCS_DIM_DURATION, false, R_GE0, fc->ttf.mean_s,
                         &fc->first_s)))
        return rc;
    if (fc->repair.mean_s >= fc->ttf.mean_s)
        return fail_at(L, get(L, f, "duration", path), path,
                       "a window as long as the time between windows leaves no time to train");
    return f_string(L, f, "source", false, fc->source, sizeof fc->source);
}

static int read_failure(loader *L, const yaml_node_t *item, int i, dcs_scenario *s)
{
    dcs_failure_cfg *fc = &s->failures[i];
    section f = {item, item, "", DCS_SEC_FAILURE};
    snprintf(f.path, sizeof f.path, "failures[%d]", i);
    int rc;
    char path[PATH_LEN];
    if (item->type != YAML_MAPPING_NODE)
        return fail_at(L, item, f.path, "expected a mapping, got %s",
                       dcs_yaml_is_null(item) ? "no value" : type_name(item));
    if ((rc = check_keys(L, &f)) || (rc = f_string(L, &f, "name", true, fc->name, sizeof fc->name)))
        return rc;
    const yaml_node_t *nn = get(L, &f, "name", path);
    if (fc->name[0] == '\0' ||
        strspn(fc->name, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(fc->name))
        return fail_at(L, nn, path, "must match [a-z0-9_]+, got \"%.60s\"", fc->name);
    for (int j = 0; j < i; j++)
        if (strcmp(s->failures[j].name, fc->name) == 0)
            return fail_at(L, nn, path, "\"%s\" is already the name of failures[%d]", fc->name, j);
    int scope = 0, dist = 0;
    const yaml_node_t *sn = get(L, &f, "scope", path);
    if (sn == NULL)
        return missing(L, &f, "scope", NULL);
    if ((rc = enum_of(L, sn, path, dcs_names_scope, &scope)) ||
        (rc = f_enum(L, &f, "distribution", dcs_names_ttf, 0, &dist)))
        return rc;
    fc->scope = (dcs_scope)scope;
    fc->ttf.kind = (dcs_dist_kind)dcs_values_ttf[dist];
    if (fc->scope == DCS_SCOPE_MAINTENANCE)
        return read_maintenance(L, &f, fc);
    static const char not_maint[] = "is only used with scope maintenance";
    if ((rc = f_forbid(L, &f, "every", not_maint)) || (rc = f_forbid(L, &f, "first", not_maint)) ||
        (rc = f_forbid(L, &f, "duration", not_maint)))
        return rc;
    if (fc->scope == DCS_SCOPE_SWITCH && s->cluster.nodes_per_switch == 0)
        return fail_at(L, sn, path, "scope switch needs a topology: set cluster.nodes_per_switch");
    if (fc->scope == DCS_SCOPE_COOLING && s->cooling.units <= 0)
        return fail_at(L, sn, path, "scope cooling needs cooling units: set cooling.units");
    bool hardware = fc->scope != DCS_SCOPE_JOB && fc->scope != DCS_SCOPE_STORAGE;
    int action = hardware ? DCS_ACTION_SWAP : DCS_ACTION_RESTART;
    if ((rc = f_enum(L, &f, "action", dcs_names_action, action, &action)))
        return rc;
    fc->action = (dcs_action)action;
    /* A cooling unit's failure takes its capacity away until it is
     * repaired (env.c); it never interrupts the job, so it has neither
     * another action nor a share of the job's interruptions. */
    if (fc->scope == DCS_SCOPE_COOLING && fc->action != DCS_ACTION_SWAP)
        return fail_at(L, get(L, &f, "action", path), path,
                       "scope cooling takes action swap only: a failed cooling unit is out until "
                       "repaired, and the job does not stop");
    if (fc->scope == DCS_SCOPE_COOLING &&
        (rc = f_forbid(L, &f, "share",
                       "is not used with scope cooling: its failures do not interrupt the job, "
                       "so they have no share of failure_total")))
        return rc;
    if (!hardware && fc->action == DCS_ACTION_SWAP) {
        const yaml_node_t *an = get(L, &f, "action", path);
        return fail_at(L, an, path, "scope %s has no hardware to swap; use action restart",
                       dcs_names_scope[fc->scope]);
    }
    if (fc->action == DCS_ACTION_PLANNED) {
        const yaml_node_t *an = get(L, &f, "action", path);
        return fail_at(L, an, path, "action planned is for scope maintenance");
    }
    bool in_node = fc->scope == DCS_SCOPE_ACCELERATOR || fc->scope == DCS_SCOPE_HBM ||
                   fc->scope == DCS_SCOPE_NODE;
    if (fc->action == DCS_ACTION_SLOW && !in_node) {
        const yaml_node_t *an = get(L, &f, "action", path);
        return fail_at(L, an, path,
                       "action slow is for units inside a node (accelerator, hbm, node), not "
                       "scope %s",
                       dcs_names_scope[fc->scope]);
    }
    fc->speed = 1.0;
    if (fc->action == DCS_ACTION_SLOW) {
        const yaml_node_t *sp = get(L, &f, "speed", path);
        if (sp == NULL)
            return missing(L, &f, "speed", "a slow unit runs at this fraction of its speed");
        if ((rc = number_of(L, sp, path, R_ANY, &fc->speed)))
            return rc;
        if (!(fc->speed > 0.0 && fc->speed < 1.0))
            return fail_at(L, sp, path, "must be in (0, 1), got \"%.60s\"",
                           (const char *)sp->data.scalar.value);
    } else if ((rc = f_forbid(L, &f, "speed", "is only used with action slow"))) {
        return rc;
    }

    char apath[PATH_LEN], kpath[PATH_LEN];
    const yaml_node_t *mt = get(L, &f, "mtbf", path);
    const yaml_node_t *af = get(L, &f, "annual_failure_rate", apath);
    const yaml_node_t *kd = get(L, &f, "failures_per_1000_unit_days", kpath);
    char shpath[PATH_LEN];
    const yaml_node_t *sh = get(L, &f, "share", shpath);
    const yaml_node_t *given[4] = {mt, af, kd, sh};
    const char *given_path[4] = {path, apath, kpath, shpath};
    int nrates = 0;
    for (int g = 0; g < 4; g++) {
        if (given[g] != NULL && nrates++ > 0)
            return fail_at(L, given[g], given_path[g],
                           "give one of mtbf, annual_failure_rate, failures_per_1000_unit_days "
                           "and share");
    }
    if (nrates == 0)
        return missing(L, &f, "mtbf",
                       "give mtbf, annual_failure_rate, failures_per_1000_unit_days or share");
    L->share[i] = 0.0;
    L->share_node[i] = sh;
    if (sh != NULL) {
        /* Resolved against failure_total once every class is read. */
        rc = number_of(L, sh, shpath, R_ANY, &L->share[i]);
        if (rc == 0 && !(L->share[i] > 0.0 && L->share[i] <= 1.0))
            return fail_at(L, sh, shpath, "must be in (0, 1], got \"%.60s\"",
                           (const char *)sh->data.scalar.value);
        fc->ttf.mean_s = 0.0;
    } else if (mt != NULL) {
        rc = quantity_of(L, mt, path, DCS_DIM_DURATION, R_GT0, &fc->ttf.mean_s);
    } else if (af != NULL) {
        rc = afr_of(L, af, apath, &fc->ttf.mean_s);
    } else {
        /* Failures per 1,000 unit-days, as cluster studies report them: the
         * mean time to failure of one unit is 1,000 days / rate. */
        double per_kd = 0.0;
        rc = number_of(L, kd, kpath, R_GT0, &per_kd);
        if (rc == 0)
            fc->ttf.mean_s = 1000.0 * 86400.0 / per_kd;
    }
    if (rc == 0 && sh == NULL)
        rc = mt != NULL   ? check_mtbf(L, mt, path, fc->ttf.mean_s)
             : af != NULL ? check_mtbf(L, af, apath, fc->ttf.mean_s)
                          : check_mtbf(L, kd, kpath, fc->ttf.mean_s);
    if (rc || (rc = read_shape(L, &f, "shape", fc->ttf.kind, "distribution", &fc->ttf.shape)) ||
        (rc = f_quantity(L, &f, "detection", DCS_DIM_DURATION, false, R_GE0, 0.0, &fc->detect_s)))
        return rc;

    if (fc->action == DCS_ACTION_RESTART) {
        static const char why[] = "is not used with action restart (nothing goes to repair)";
        if ((rc = f_forbid(L, &f, "repair_time", why)) ||
            (rc = f_forbid(L, &f, "repair_distribution", why)) ||
            (rc = f_forbid(L, &f, "repair_shape", why)))
            return rc;
        fc->repair.kind = DCS_DIST_FIXED;
        fc->repair.mean_s = 0.0;
        fc->repair.shape = 0.0;
    } else {
        int rk = DCS_DIST_EXPONENTIAL;
        if ((rc = f_enum(L, &f, "repair_distribution", dcs_names_dist, DCS_DIST_EXPONENTIAL, &rk)))
            return rc;
        fc->repair.kind = (dcs_dist_kind)rk;
        /* A fixed repair may be instant (0s); a random one needs a positive mean. */
        range r = fc->repair.kind == DCS_DIST_FIXED ? R_GE0 : R_GT0;
        if ((rc = f_quantity(L, &f, "repair_time", DCS_DIM_DURATION, true, r, 0.0,
                             &fc->repair.mean_s)) ||
            (rc = read_shape(L, &f, "repair_shape", fc->repair.kind, "repair_distribution",
                             &fc->repair.shape)))
            return rc;
    }
    return f_string(L, &f, "source", false, fc->source, sizeof fc->source);
}

static int read_failures(loader *L, const section *top, dcs_scenario *s)
{
    char path[PATH_LEN];
    const yaml_node_t *n = get(L, top, "failures", path);
    s->nfailures = 0;
    if (n == NULL)
        return 0;
    if (n->type != YAML_SEQUENCE_NODE)
        return fail_at(L, n, path, "expected a list of failure classes, got %s",
                       dcs_yaml_is_null(n) ? "no value" : type_name(n));
    ptrdiff_t count = n->data.sequence.items.top - n->data.sequence.items.start;
    if (count > DCS_MAX_FAILURE_CLS)
        return fail_at(L, n, path, "at most %d failure classes are allowed, got %td",
                       DCS_MAX_FAILURE_CLS, count);
    for (int i = 0; i < (int)count; i++) {
        int rc = read_failure(L, node_at(L, n->data.sequence.items.start[i]), i, s);
        if (rc)
            return rc;
    }
    s->nfailures = (int)count;
    return 0;
}

/* failure_total: the job's rate of unexpected interruptions, which the
 * classes given as a share divide between them (a root-cause table). */
static int resolve_shares(loader *L, const section *top, dcs_scenario *s)
{
    section ft;
    char path[PATH_LEN], ppath[PATH_LEN];
    int rc = open_section(L, top, "failure_total", DCS_SEC_FAILURE_TOTAL, false, &ft);
    if (rc)
        return rc;
    int first = -1;
    double sum = 0.0;
    for (int i = 0; i < s->nfailures; i++)
        if (L->share_node[i] != NULL) {
            if (first < 0)
                first = i;
            sum += L->share[i];
        }
    if (ft.map == NULL) {
        if (first < 0)
            return 0;
        snprintf(path, sizeof path, "failures[%d].share", first);
        return fail_at(L, L->share_node[first], path,
                       "a share of what? give failure_total (interruptions_per_day or mtti)");
    }
    if (first < 0)
        return fail_at(L, ft.map, ft.path,
                       "is only used with failure classes given as a share; no class has one");
    const yaml_node_t *pd = get(L, &ft, "interruptions_per_day", ppath);
    const yaml_node_t *mt = get(L, &ft, "mtti", path);
    double rate_per_s = 0.0, v = 0.0;
    if (pd != NULL && mt != NULL)
        return fail_at(L, mt, path, "give interruptions_per_day or mtti, not both");
    if (pd != NULL) {
        if ((rc = number_of(L, pd, ppath, R_GT0, &v)))
            return rc;
        rate_per_s = v / 86400.0;
        s->failure_total.per_day = v;
    } else if (mt != NULL) {
        if ((rc = quantity_of(L, mt, path, DCS_DIM_DURATION, R_GT0, &v)))
            return rc;
        rate_per_s = 1.0 / v;
        s->failure_total.mtti_s = v;
    } else {
        return missing(L, &ft, "interruptions_per_day", "or mtti");
    }
    if ((rc = f_string(L, &ft, "source", false, s->failure_total.source,
                       sizeof s->failure_total.source)))
        return rc;
    /* Published root-cause tables print percentages to 0.1 %: 0.005 leaves
     * room for their rounding, not for a missing class. */
    if (fabs(sum - 1.0) > 0.005) {
        const yaml_node_t *fl = get(L, top, "failures", path);
        return fail_at(L, fl, path,
                       "the shares of the failure classes add up to %.4g; they must add up to 1 "
                       "(within 0.005)",
                       sum);
    }
    for (int i = 0; i < s->nfailures; i++) {
        if (L->share_node[i] == NULL)
            continue;
        dcs_failure_cfg *fc = &s->failures[i];
        fc->share = L->share[i];
        double units = dcs_ckpt_units_exposed(s, fc);
        fc->ttf.mean_s = units / (L->share[i] / sum * rate_per_s);
        snprintf(path, sizeof path, "failures[%d].share", i);
        if (!(fc->ttf.mean_s > 0.0) || !isfinite(fc->ttf.mean_s))
            return fail_at(L, L->share_node[i], path, "gives no usable rate for %g units", units);
        int rc2 = check_mtbf(L, L->share_node[i], path, fc->ttf.mean_s);
        if (rc2)
            return rc2;
    }
    return 0;
}

/* ---- the energy model ------------------------------------------------------------------------ */

/* A CSV series "hour,value" (a header line, then one row per hour from 0,
 * consecutive) into out[]; path relative to the scenario file. Errors name
 * the CSV file's line and column and the YAML key. */
static int read_csv_series(loader *L, const yaml_node_t *n, const char *key, const char *what,
                           double lo, double *out, int *count, char *opened, size_t cap)
{
    const char *rel;
    int rc = scalar_text(L, n, key, "a file path", &rel);
    if (rc)
        return rc;
    char path[1024];
    const char *slash = strrchr(L->file, '/');
    if (rel[0] != '/' && slash != NULL)
        snprintf(path, sizeof path, "%.*s/%s", (int)(slash - L->file), L->file, rel);
    else
        snprintf(path, sizeof path, "%s", rel);
    if (strlen(path) >= cap)
        return fail_at(L, n, key, "the path is too long (at most %zu characters)", cap - 1);
    snprintf(opened, cap, "%s", path);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return fail_at(L, n, key, "cannot read \"%.200s\": %s", path, strerror(errno));
    char line[256];
    long lineno = 0;
    int nrows = 0;
    rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f) != NULL) {
        lineno++;
        size_t len = strlen(line);
        bool whole = (len > 0 && line[len - 1] == '\n') || feof(f);
        line[strcspn(line, "\r\n")] = '\0';
        char *comma = strchr(line, ',');
        double hour = 0.0, v = 0.0;
        long col = 1;
        if (!whole) {
            rc = DCS_EINPUT;
            dcs_err_set(L->err, DCS_EINPUT, "the line is longer than %d characters",
                        (int)sizeof line - 2);
        } else if (lineno == 1) {
            /* The header is not read, so a first row of data would be lost
             * without a word: refuse a first field that is a number. */
            if (comma != NULL)
                *comma = '\0';
            if (read_number(line, &hour)) {
                rc = DCS_EINPUT;
                dcs_err_set(L->err, DCS_EINPUT,
                            "expected a header line first (such as \"hour,value\"), got a row of "
                            "data");
            }
        } else if (line[0] != '\0' && line[0] != '#') { /* blank lines and comments are skipped */
            if (comma == NULL) {
                rc = DCS_EINPUT;
                dcs_err_set(L->err, DCS_EINPUT,
                            "expected two fields, the hour and %s, got \"%.60s\"", what, line);
            } else {
                *comma = '\0';
                if (!read_number(line, &hour) || hour != (double)nrows) {
                    rc = DCS_EINPUT;
                    dcs_err_set(L->err, DCS_EINPUT,
                                "expected hour %d (rows are consecutive hours from 0), got "
                                "\"%.60s\"",
                                nrows, line);
                } else if (col = (long)(comma - line) + 2, !read_number(comma + 1, &v) || v < lo) {
                    rc = DCS_EINPUT;
                    dcs_err_set(L->err, DCS_EINPUT, "expected %s, got \"%.60s\"", what, comma + 1);
                } else if (nrows == DCS_SERIES_MAX) {
                    rc = DCS_EINPUT;
                    dcs_err_set(L->err, DCS_EINPUT, "more than %d hourly rows", DCS_SERIES_MAX);
                } else {
                    out[nrows++] = v;
                }
            }
        }
        if (rc != 0) {
            dcs_err_where(L->err, path, lineno, col);
            dcs_err_key(L->err, key);
        }
    }
    if (rc == 0 && ferror(f))
        rc = fail_at(L, n, key, "cannot read \"%.200s\"", path);
    fclose(f);
    if (rc == 0 && nrows == 0)
        return fail_at(L, n, key, "\"%.200s\" has no rows after its header", path);
    *count = nrows;
    return rc;
}

/* A number that is a fraction of `whole`, or a quantity of dim in SI. */
static int fraction_or_quantity(loader *L, const section *sec, const char *key, dcs_dim dim,
                                double whole, double dflt, double *out)
{
    char path[PATH_LEN];
    const yaml_node_t *n = get(L, sec, key, path);
    if (n == NULL) {
        *out = dflt;
        return 0;
    }
    const char *text;
    int rc = scalar_text(L, n, path, "a number or a quantity", &text);
    double v;
    if (rc == 0 && read_number(text, &v)) {
        if (!(v > 0.0))
            return fail_at(L, n, path, "must be > 0, got \"%.60s\"", text);
        *out = v * whole;
        return 0;
    }
    return rc ? rc : quantity_of(L, n, path, dim, R_GT0, out);
}

/* power: IT power per accelerator by state. */
static int read_power(loader *L, const section *top, dcs_scenario *s)
{
    section pw;
    dcs_power_cfg *p = &s->power;
    int rc = open_section(L, top, "power", DCS_SEC_POWER, false, &pw);
    if (rc || pw.map == NULL)
        return rc;
    p->on = true;
    /* Epoch AI's energy model (shared refs 3.4; models/power.c): server
     * power per chip TDP by accelerator (H100 1.8214, A100 2.03, ...), and
     * the share of it drawn while training (0.75 for GPUs, 0.43 for TPUs). */
    const char *key = s->cluster.accel.key;
    double ratio = 0.0;
    if ((rc = f_number(L, &pw, "server_to_chip_ratio", false, R_GT0, dcs_power_server_ratio(key),
                       &ratio)))
        return rc;
    p->server_ratio = ratio;
    double server_w = ratio * s->cluster.accel.tdp_w;
    char path[PATH_LEN];
    const yaml_node_t *tn = get(L, &pw, "training", path);
    if (!(server_w > 0.0)) {
        /* No TDP in the catalog (TPU v5p): neither the default nor a
         * fraction of the server power can be computed. */
        double v;
        if (tn == NULL)
            return missing(L, &pw, "training", "the accelerator has no TDP in the catalog");
        if (tn->type == YAML_SCALAR_NODE && read_number((const char *)tn->data.scalar.value, &v))
            return fail_at(L, tn, path,
                           "a fraction of the server power needs the accelerator's TDP, which the "
                           "catalog lacks; give a power such as 700W");
    }
    if ((rc = fraction_or_quantity(L, &pw, "training", DCS_DIM_POWER, server_w,
                                   dcs_power_training_fraction(key) * server_w, &p->training_w)))
        return rc;
    /* Assumptions (no public figure in the references): while writing a
     * checkpoint the accelerators wait on I/O (0.5 of training power);
     * restarting and idle nodes draw 0.3 of it. */
    if ((rc = fraction_or_quantity(L, &pw, "checkpointing", DCS_DIM_POWER, p->training_w,
                                   0.5 * p->training_w, &p->ckpt_w)) ||
        (rc = fraction_or_quantity(L, &pw, "restarting", DCS_DIM_POWER, p->training_w,
                                   0.3 * p->training_w, &p->restart_w)) ||
        (rc = fraction_or_quantity(L, &pw, "idle", DCS_DIM_POWER, p->training_w,
                                   0.3 * p->training_w, &p->idle_w)) ||
        /* Step 1 h (an assumption): the resolution of hourly weather,
         * tariff and grid-intensity data. */
        (rc = f_quantity(L, &pw, "step", DCS_DIM_DURATION, false, R_GT0, 3600.0, &p->step_s)) ||
        (rc = f_number(L, &pw, "wue", false, R_GE0, 0.0, &p->wue_l_per_kwh)))
        return rc;
    return 0;
}

static int read_cooling(loader *L, const section *top, dcs_scenario *s)
{
    section co;
    dcs_cooling_cfg *c = &s->cooling;
    int rc = open_section(L, top, "cooling", DCS_SEC_COOLING, false, &co);
    if (rc)
        return rc;
    int model = DCS_COOL_PUE;
    char path[PATH_LEN];
    if ((rc = f_enum(L, &co, "model", dcs_names_cool_model, DCS_COOL_PUE, &model)))
        return rc;
    c->model = (dcs_cool_model)model;
    static const char only_pue[] = "is only used with model pue";
    static const char only_cop[] = "is only used with model cop";
    static const char *const cop_keys[] = {
        "chiller_efficiency",    "supply_temperature", "approach", "free_cooling_below",
        "free_cooling_fraction", "facility_overhead",  NULL};
    if (c->model == DCS_COOL_PUE) {
        /* Default 1.25: Epoch AI's cost model for non-hyperscale data
         * centres (shared refs 3.3). */
        const yaml_node_t *n = get(L, &co, "pue", path);
        c->pue = 1.25;
        if (n != NULL && (rc = number_of(L, n, path, R_ANY, &c->pue)))
            return rc;
        if (n != NULL && !(c->pue >= 1.0))
            return fail_at(L, n, path, "must be >= 1 (facility energy / IT energy), got \"%.60s\"",
                           (const char *)n->data.scalar.value);
        for (const char *const *k = cop_keys; *k != NULL; k++)
            if ((rc = f_forbid(L, &co, *k, only_cop)))
                return rc;
    } else {
        if ((rc = f_forbid(L, &co, "pue", only_pue)))
            return rc;
        c->pue = 0.0;
        /* Carnot fraction 0.4 (air-source machines, oemof-thermal, shared
         * refs 3.5); free-cooling fans and pumps 0.05 W per W (economizer
         * PUEs 1.05-1.10, refs 3.5); supply 18 C, approach 5 K, free
         * cooling below 13 C and facility overhead 0.05 are assumptions. */
        if ((rc = f_number(L, &co, "chiller_efficiency", false, R_GT0, 0.4, &c->eta)) ||
            (rc = f_quantity(L, &co, "supply_temperature", DCS_DIM_TEMPERATURE, false, R_ANY, 18.0,
                             &c->supply_c)) ||
            (rc = f_number(L, &co, "approach", false, R_GE0, 5.0, &c->approach_k)) ||
            (rc = f_quantity(L, &co, "free_cooling_below", DCS_DIM_TEMPERATURE, false, R_ANY, 13.0,
                             &c->free_below_c)) ||
            (rc = f_number(L, &co, "free_cooling_fraction", false, R_GE0, 0.05,
                           &c->free_fraction)) ||
            (rc = f_number(L, &co, "facility_overhead", false, R_GE0, 0.05, &c->facility_frac)))
            return rc;
        if (c->eta > 1.0)
            return fail_at(L, get(L, &co, "chiller_efficiency", path), path,
                           "is a fraction of the Carnot COP: at most 1, got %g", c->eta);
        /* COP = eta (T_s + 273.15) / (T + approach - T_s) is used from
         * free_cooling_below up: it is positive there only if T_s is above
         * absolute zero and free_cooling_below is at least T_s - approach
         * (eta > 0 is checked above). At T = T_s - approach the lift is
         * zero and so is the chiller's power (power.c). */
        if (!(c->supply_c > -273.15))
            return fail_at(L, get(L, &co, "supply_temperature", path), path,
                           "must be above absolute zero (-273.15 C), got %g C", c->supply_c);
        double floor_c = c->supply_c - c->approach_k;
        if (c->free_below_c < floor_c) {
            const yaml_node_t *n = get(L, &co, "free_cooling_below", path);
            if (n == NULL)
                n = co.pos;
            join(path, co.path, "free_cooling_below");
            return fail_at(L, n, path,
                           "the chiller's COP is negative from %g C up to %g C "
                           "(supply_temperature - approach), where free cooling is off; "
                           "free_cooling_below must be at least %g C",
                           c->free_below_c, floor_c, floor_c);
        }
    }
    if ((rc = f_integer(L, &co, "units", false, 0, 0, &c->units)))
        return rc;
    if (c->units > 0) {
        /* Design 35 C: AHRI Standard 550/590 rates air-cooled chillers at
         * 95 F (35 C) entering air (Table 1). The 2 %/K derating above it
         * is an assumption. */
        if ((rc = f_quantity(L, &co, "unit_capacity", DCS_DIM_POWER, true, R_GT0, 0.0,
                             &c->unit_w)) ||
            (rc = f_quantity(L, &co, "design_temperature", DCS_DIM_TEMPERATURE, false, R_ANY, 35.0,
                             &c->design_c)) ||
            (rc = f_number(L, &co, "derate_per_kelvin", false, R_GE0, 0.02, &c->derate_per_k)))
            return rc;
    } else {
        static const char why[] = "is only used with units (a finite cooling capacity)";
        if ((rc = f_forbid(L, &co, "unit_capacity", why)) ||
            (rc = f_forbid(L, &co, "design_temperature", why)) ||
            (rc = f_forbid(L, &co, "derate_per_kelvin", why)))
            return rc;
    }
    return 0;
}

static int read_weather(loader *L, const section *top, dcs_scenario *s)
{
    section we;
    dcs_weather_cfg *w = &s->weather;
    int rc = open_section(L, top, "weather", DCS_SEC_WEATHER, false, &we);
    if (rc)
        return rc;
    char path[PATH_LEN];
    const yaml_node_t *csv = get(L, &we, "csv", path);
    w->nseries = 0;
    if (csv != NULL) {
        static const char why[] = "is not used with csv (the series gives the temperature)";
        static const char *const others[] = {
            "mean",         "seasonal_amplitude", "daily_amplitude", "hottest_day",
            "hottest_hour", "noise_sd",           "noise_timescale", NULL};
        for (const char *const *k = others; *k != NULL; k++)
            if ((rc = f_forbid(L, &we, *k, why)))
                return rc;
        return read_csv_series(L, csv, path, "a temperature in C", -HUGE_VAL, w->series,
                               &w->nseries, w->csv, sizeof w->csv);
    }
    /* Default: a constant 15 C (the 1976 standard atmosphere at sea level
     * is 15 C; an assumption for an unnamed site). Assumptions too, for a
     * northern mid-latitude site: the year's peak on day 200 (20 July),
     * the day's at 15:00, and weather systems that last about 2 days. */
    if ((rc = f_quantity(L, &we, "mean", DCS_DIM_TEMPERATURE, false, R_ANY, 15.0, &w->mean_c)) ||
        (rc = f_number(L, &we, "seasonal_amplitude", false, R_GE0, 0.0, &w->seasonal_k)) ||
        (rc = f_number(L, &we, "daily_amplitude", false, R_GE0, 0.0, &w->daily_k)) ||
        (rc = f_number(L, &we, "hottest_day", false, R_GE0, 200.0, &w->hottest_day)) ||
        (rc = f_number(L, &we, "hottest_hour", false, R_GE0, 15.0, &w->hottest_hour)) ||
        (rc = f_number(L, &we, "noise_sd", false, R_GE0, 0.0, &w->noise_k)) ||
        (rc = f_quantity(L, &we, "noise_timescale", DCS_DIM_DURATION, false, R_GT0, 2.0 * 86400.0,
                         &w->noise_tau_s)))
        return rc;
    if (w->hottest_day >= 366.0)
        return fail_at(L, get(L, &we, "hottest_day", path), path,
                       "must be a day of the year, 0 to 365");
    if (w->hottest_hour >= 24.0)
        return fail_at(L, get(L, &we, "hottest_hour", path), path, "must be an hour, 0 to 23.99");
    return 0;
}

static const char *const day_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL};

/* tou[i].days: all | weekdays | weekends | a list of mon..sun. */
static int tou_days(loader *L, const yaml_node_t *n, const char *path, int *mask)
{
    if (n == NULL) {
        *mask = 0x7f;
        return 0;
    }
    if (n->type == YAML_SEQUENCE_NODE) {
        *mask = 0;
        int j = 0;
        for (const yaml_node_item_t *it = n->data.sequence.items.start;
             it < n->data.sequence.items.top; it++, j++) {
            char ipath[PATH_LEN + 16];
            snprintf(ipath, sizeof ipath, "%s[%d]", path, j);
            int d;
            int rc = enum_of(L, node_at(L, *it), ipath, day_names, &d);
            if (rc)
                return rc;
            *mask |= 1 << d;
        }
        if (*mask == 0)
            return fail_at(L, n, path, "an empty list of days");
        return 0;
    }
    static const char *const sets[] = {"all", "weekdays", "weekends", NULL};
    static const int masks[] = {0x7f, 0x3e, 0x41};
    int k;
    int rc = enum_of(L, n, path, sets, &k);
    if (rc == 0)
        *mask = masks[k];
    return rc;
}

static int read_tou(loader *L, const yaml_node_t *list, const char *lpath, dcs_elec_cfg *e)
{
    if (list->type != YAML_SEQUENCE_NODE)
        return fail_at(L, list, lpath, "expected a list of time-of-use windows, got %s",
                       type_name(list));
    e->ntou = 0;
    int i = 0;
    for (const yaml_node_item_t *it = list->data.sequence.items.start;
         it < list->data.sequence.items.top; it++, i++) {
        if (i == DCS_TOU_MAX)
            return fail_at(L, list, lpath, "at most %d windows", DCS_TOU_MAX);
        const yaml_node_t *item = node_at(L, *it);
        section w = {item, item, "", DCS_SEC_TOU};
        snprintf(w.path, sizeof w.path, "electricity.tou[%d]", i);
        if (item->type != YAML_MAPPING_NODE)
            return fail_at(L, item, w.path, "expected a mapping, got %s", type_name(item));
        int rc = check_keys(L, &w);
        if (rc)
            return rc;
        dcs_tou_cfg *t = &e->tou[i];
        char path[PATH_LEN];
        const yaml_node_t *h = get(L, &w, "hours", path);
        if (h == NULL)
            return missing(L, &w, "hours", "a range of hours such as 8-20");
        const char *text;
        int from = -1, to = -1, used = 0;
        if ((rc = scalar_text(L, h, path, "a range of hours such as 8-20", &text)))
            return rc;
        if (sscanf(text, "%d-%d%n", &from, &to, &used) != 2 || text[used] != '\0' || from < 0 ||
            to > 24 || from >= to)
            return fail_at(L, h, path,
                           "expected a range of hours FROM-TO with 0 <= FROM < TO <= 24, got "
                           "\"%.60s\"",
                           text);
        t->from_h = from;
        t->to_h = to;
        if ((rc = tou_days(L, get(L, &w, "days", path), path, &t->days)) ||
            (rc = f_number(L, &w, "usd_per_kwh", true, R_GE0, 0.0, &t->usd_per_kwh)))
            return rc;
        for (int j = 0; j < i; j++) {
            const dcs_tou_cfg *o = &e->tou[j];
            int common = o->days & t->days;
            if (common == 0 || o->to_h <= t->from_h || t->to_h <= o->from_h)
                continue;
            int d = 0;
            while (!(common >> d & 1))
                d++;
            join(path, w.path, "hours");
            return fail_at(L, h, path, "overlaps %s[%d] on %s from %d:00 to %d:00", lpath, j,
                           day_names[d], t->from_h > o->from_h ? t->from_h : o->from_h,
                           t->to_h < o->to_h ? t->to_h : o->to_h);
        }
        e->ntou = i + 1;
    }
    return 0;
}

static int read_electricity(loader *L, const section *top, dcs_scenario *s)
{
    section el;
    dcs_elec_cfg *e = &s->electricity;
    int rc = open_section(L, top, "electricity", DCS_SEC_ELECTRICITY, false, &el);
    if (rc)
        return rc;
    int model = DCS_PRICE_FLAT;
    char path[PATH_LEN];
    if ((rc = f_enum(L, &el, "model", dcs_names_price_model, DCS_PRICE_FLAT, &model)))
        return rc;
    e->model = (dcs_price_model)model;
    /* Default: US industrial average 2025, $0.0826/kWh (EIA via Epoch AI,
     * shared refs 3.8). */
    if ((rc = f_number(L, &el, "usd_per_kwh", false, R_GE0, 0.0826, &e->usd_per_kwh)))
        return rc;
    const yaml_node_t *tou = get(L, &el, "tou", path);
    e->ntou = 0;
    if (e->model == DCS_PRICE_TOU) {
        if (tou == NULL)
            return missing(L, &el, "tou", "model tou needs its windows");
        if ((rc = read_tou(L, tou, path, e)))
            return rc;
    } else if (tou != NULL) {
        return fail_at(L, tou, path, "is only used with model tou");
    }
    static const char *const sto[] = {"seasonal_amplitude", "peak_day", "noise_sd",
                                      "noise_timescale", NULL};
    if (e->model != DCS_PRICE_STOCHASTIC) {
        for (const char *const *k = sto; *k != NULL; k++)
            if ((rc = f_forbid(L, &el, *k, "is only used with model stochastic")))
                return rc;
        return 0;
    }
    /* Assumptions: a summer peak on day 200 like the weather's (cooling
     * demand), and price shocks that last about a week. */
    if ((rc = f_number(L, &el, "seasonal_amplitude", false, R_GE0, 0.0, &e->seasonal)) ||
        (rc = f_number(L, &el, "peak_day", false, R_GE0, 200.0, &e->peak_day)) ||
        (rc = f_number(L, &el, "noise_sd", false, R_GE0, 0.0, &e->noise_sd)) ||
        (rc = f_quantity(L, &el, "noise_timescale", DCS_DIM_DURATION, false, R_GT0, 7.0 * 86400.0,
                         &e->noise_tau_s)))
        return rc;
    if (e->seasonal >= 1.0)
        return fail_at(L, get(L, &el, "seasonal_amplitude", path), path,
                       "must be below 1, or the price would turn negative");
    if (e->peak_day >= 366.0)
        return fail_at(L, get(L, &el, "peak_day", path), path,
                       "must be a day of the year, 0 to 365");
    return 0;
}

static int read_carbon(loader *L, const section *top, dcs_scenario *s)
{
    section ca;
    dcs_carbon_cfg *c = &s->carbon;
    int rc = open_section(L, top, "carbon", DCS_SEC_CARBON, false, &ca);
    if (rc)
        return rc;
    char path[PATH_LEN], hpath[PATH_LEN], cpath[PATH_LEN];
    const yaml_node_t *k = get(L, &ca, "kg_per_kwh", path);
    const yaml_node_t *h = get(L, &ca, "hourly", hpath);
    const yaml_node_t *f = get(L, &ca, "csv", cpath);
    if ((k != NULL) + (h != NULL) + (f != NULL) > 1)
        return fail_at(L, f != NULL ? f : h, f != NULL ? cpath : hpath,
                       "give one of kg_per_kwh, hourly and csv");
    c->nhourly = 0;
    c->nseries = 0;
    /* Default: the US grid average, 0.429 kg CO2e/kWh (Patterson et al.
     * 2021, shared refs 3.1). */
    c->kg_per_kwh = 0.429;
    if (k != NULL)
        return number_of(L, k, path, R_GE0, &c->kg_per_kwh);
    if (f != NULL)
        return read_csv_series(L, f, cpath, "an intensity in kg CO2e/kWh (>= 0)", 0.0, c->series,
                               &c->nseries, c->csv, sizeof c->csv);
    if (h == NULL)
        return 0;
    if (h->type != YAML_SEQUENCE_NODE ||
        h->data.sequence.items.top - h->data.sequence.items.start != 24)
        return fail_at(L, h, hpath, "expected a list of 24 intensities, one per hour of the day");
    for (int i = 0; i < 24; i++) {
        char ipath[PATH_LEN];
        snprintf(ipath, sizeof ipath, "carbon.hourly[%d]", i);
        if ((rc = number_of(L, node_at(L, h->data.sequence.items.start[i]), ipath, R_GE0,
                            &c->hourly[i])))
            return rc;
    }
    c->nhourly = 24;
    return 0;
}

/* power, cooling, weather, electricity, carbon: the energy model, on when
 * power is given. */
static int read_energy(loader *L, const section *top, dcs_scenario *s)
{
    memset(&s->power, 0, sizeof s->power);
    memset(&s->cooling, 0, sizeof s->cooling);
    memset(&s->weather, 0, sizeof s->weather);
    memset(&s->electricity, 0, sizeof s->electricity);
    memset(&s->carbon, 0, sizeof s->carbon);
    int rc = read_power(L, top, s);
    if (rc)
        return rc;
    static const char *const parts[] = {"cooling", "weather", "electricity", "carbon", NULL};
    if (!s->power.on) {
        char path[PATH_LEN];
        for (const char *const *p = parts; *p != NULL; p++) {
            const yaml_node_t *n = get(L, top, *p, path);
            if (n != NULL)
                return fail_at(L, n, path,
                               "needs a power section: without one the energy model is off");
        }
        return 0;
    }
    if ((rc = read_cooling(L, top, s)) || (rc = read_weather(L, top, s)) ||
        (rc = read_electricity(L, top, s)) || (rc = read_carbon(L, top, s)))
        return rc;
    return 0;
}

/* A date YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC) into seconds since 1970. */
static bool parse_date(const char *text, double *epoch_s)
{
    /* The shape first (digits where digits belong), so that sscanf's
     * leniency (signs, spaces) lets nothing else through. */
    static const char shape[] = "0000-00-00T00:00";
    size_t len = strlen(text);
    bool ok = len == 10 || len == 16;
    for (size_t i = 0; ok && i < len; i++)
        ok = shape[i] == '0' ? text[i] >= '0' && text[i] <= '9' : text[i] == shape[i];
    int y = 0, mo = 0, d = 0, h = 0, mi = 0;
    if (ok)
        ok = sscanf(text, "%4d-%2d-%2d", &y, &mo, &d) == 3 &&
             (len == 10 || sscanf(text + 10, "T%2d:%2d", &h, &mi) == 2);
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    ok = ok && mo >= 1 && mo <= 12 && d >= 1 && d <= mdays[mo - 1] &&
         (mo != 2 || d <= 28 || leap) && h < 24 && mi < 60;
    if (ok)
        *epoch_s = dcs_epoch_s(y, mo, d, h, mi);
    return ok;
}

/* simulation.start: YYYY-MM-DD or YYYY-MM-DDTHH:MM, UTC. */
static int read_start(loader *L, const section *sim, double *start_s)
{
    char path[PATH_LEN];
    const yaml_node_t *n = get(L, sim, "start", path);
    /* Default 2025-01-01T00:00 (an assumption): the year of the default
     * electricity price. */
    *start_s = dcs_epoch_s(2025, 1, 1, 0, 0);
    if (n == NULL)
        return 0;
    const char *text;
    int rc = scalar_text(L, n, path, "a date", &text);
    if (rc)
        return rc;
    if (!parse_date(text, start_s))
        return fail_at(L, n, path,
                       "expected a date YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC), got \"%.60s\"", text);
    return 0;
}

/* ---- money: market, procurement, costs ------------------------------------------------------ */

#define NO_DATE                                                                                    \
    (-1e300) /* a shock start given as a date, resolved once simulation.start is known */

/* market.shocks[i].start: a date, or a duration after simulation.start
 * (negative: a shock already under way). Dates are kept as epoch seconds
 * in *date_s until the run's start is known. */
static int shock_start(loader *L, const yaml_node_t *n, const char *path, double *rel_s,
                       double *date_s)
{
    const char *text;
    int rc = scalar_text(L, n, path, "a date or a duration", &text);
    if (rc)
        return rc;
    *date_s = NO_DATE;
    if (parse_date(text, date_s))
        return 0;
    const char *why = "";
    if (dcs_units_parse(text, DCS_DIM_DURATION, rel_s, &why) != 0)
        return fail_at(L, n, path,
                       "expected a date YYYY-MM-DD or a duration after simulation.start; \"%.60s\" "
                       "%s (units %s)",
                       text, why, dcs_units_accepted(DCS_DIM_DURATION));
    return 0;
}

static int shock_types(loader *L, const yaml_node_t *n, const char *path, const dcs_scenario *s,
                       uint32_t *mask);

static int read_shocks(loader *L, const yaml_node_t *list, const char *lpath, dcs_scenario *s,
                       double *dates)
{
    dcs_market_cfg *m = &s->market;
    if (list->type != YAML_SEQUENCE_NODE)
        return fail_at(L, list, lpath, "expected a list of shocks, got %s", type_name(list));
    int i = 0;
    for (const yaml_node_item_t *it = list->data.sequence.items.start;
         it < list->data.sequence.items.top; it++, i++) {
        if (i == DCS_MAX_SHOCKS)
            return fail_at(L, list, lpath, "at most %d shocks", DCS_MAX_SHOCKS);
        const yaml_node_t *item = node_at(L, *it);
        section sh = {item, item, "", DCS_SEC_SHOCK};
        snprintf(sh.path, sizeof sh.path, "market.shocks[%d]", i);
        if (item->type != YAML_MAPPING_NODE)
            return fail_at(L, item, sh.path, "expected a mapping, got %s", type_name(item));
        int rc = check_keys(L, &sh);
        if (rc)
            return rc;
        dcs_shock_cfg *k = &m->shocks[i];
        char path[PATH_LEN];
        const yaml_node_t *tg = get(L, &sh, "target", path);
        if (tg == NULL)
            return missing(L, &sh, "target", "supply, demand or manufacturing");
        int t;
        if ((rc = enum_of(L, tg, path, dcs_names_shock_target, &t)))
            return rc;
        k->target = (dcs_shock_target)t;
        const yaml_node_t *st = get(L, &sh, "start", path);
        if (st == NULL)
            return missing(L, &sh, "start", "a date, or a duration after simulation.start");
        if ((rc = shock_start(L, st, path, &k->start_s, &dates[i])) ||
            (rc = f_number(L, &sh, "factor", true, R_GE0, 1.0, &k->factor)) ||
            (rc = f_quantity(L, &sh, "ramp", DCS_DIM_DURATION, false, R_GE0, 0.0, &k->ramp_s)) ||
            (rc = f_quantity(L, &sh, "duration", DCS_DIM_DURATION, false, R_GE0, HUGE_VAL,
                             &k->duration_s)))
            return rc;
        k->types = (1u << s->nmarket_types) - 1u; /* every type by default */
        const yaml_node_t *ty = get(L, &sh, "types", path);
        if (ty != NULL && (rc = shock_types(L, ty, path, s, &k->types)))
            return rc;
        m->nshocks = i + 1;
    }
    return 0;
}

/* Growth written as a relative rate per year (0.8: +80 % a year). */
static int f_growth(loader *L, const section *sec, const char *key, double *out)
{
    char path[PATH_LEN];
    int rc = f_number(L, sec, key, false, R_ANY, 0.0, out);
    if (rc)
        return rc;
    if (!(*out > -1.0))
        return fail_at(L, get(L, sec, key, path), path,
                       "is a relative change per year and must be above -1, got %g", *out);
    return 0;
}

/* The section that holds `key` for a type: the type's own mapping, else the
 * market's (whose keys are every type's defaults), else the type's (for the
 * default or the missing-key message). */
static const section *from(const loader *L, const section *sec, const section *parent,
                           const char *key)
{
    if (parent != NULL && lookup(L, sec->map, key) == NULL && lookup(L, parent->map, key) != NULL)
        return parent;
    return sec;
}

/* The keys of one market (the market mapping itself, or one of its types,
 * whose defaults are then the market mapping's keys: parent). ref_price
 * and purchase are the defaults of the reference prices, nodes the
 * cluster's. */
static int read_market_keys(loader *L, const section *sec, const section *parent, dcs_market_cfg *m,
                            double ref_price, double purchase, int64_t nodes)
{
    int rc;
    char path[PATH_LEN];
#define F(key) from(L, sec, parent, key)
    /* No published price elasticity of demand for AI accelerators was found
     * (shared refs 6.2), nor a lead time that holds across years (40 weeks
     * in 2023, 8-12 in 2024): both must be given. */
    if ((rc = f_number(L, F("reference_price_usd_per_hour"), "reference_price_usd_per_hour", false,
                       R_GT0, ref_price, &m->ref_price)) ||
        (rc = f_number(L, F("price_floor_usd_per_hour"), "price_floor_usd_per_hour", false, R_GE0,
                       0.0, &m->floor_price)) ||
        (rc = f_number(L, F("price_cap_usd_per_hour"), "price_cap_usd_per_hour", false, R_GT0,
                       DCS_MARKET_CAP_MULTIPLE * m->ref_price, &m->cap_price)) ||
        (rc = f_number(L, F("elasticity"), "elasticity", true, R_GT0, 0.0, &m->elasticity)) ||
        (rc = f_number(L, F("initial_balance"), "initial_balance", false, R_GT0, 1.0,
                       &m->balance)) ||
        (rc = f_growth(L, F("demand_growth"), "demand_growth", &m->demand_growth)) ||
        (rc = f_number(L, F("demand_noise_sd"), "demand_noise_sd", false, R_GE0, 0.0,
                       &m->demand_sd)) ||
        (rc = f_quantity(L, F("demand_noise_timescale"), "demand_noise_timescale", DCS_DIM_DURATION,
                         false, R_GT0, 30.0 * 86400.0, &m->demand_tau_s)) ||
        (rc = f_number(L, F("start_price_usd_per_hour"), "start_price_usd_per_hour", false, R_GE0,
                       0.0, &m->start_price)) ||
        (rc = f_number(L, F("jump_rate"), "jump_rate", false, R_GE0, 0.0, &m->jump_rate)) ||
        (rc = f_enum(L, F("jump_target"), "jump_target", dcs_names_jump_target, DCS_JUMP_DEMAND,
                     &m->jump_target)) ||
        (rc = f_number(L, F("jump_log_mean"), "jump_log_mean", false, R_ANY, 0.0,
                       &m->jump_log_mean)) ||
        (rc = f_number(L, F("jump_log_sd"), "jump_log_sd", false, R_GE0, 0.0, &m->jump_log_sd)) ||
        (rc = f_quantity(L, F("lead_time"), "lead_time", DCS_DIM_DURATION, true, R_GE0, 0.0,
                         &m->lead_mean_s)) ||
        (rc = f_quantity(L, F("lead_time_sd"), "lead_time_sd", DCS_DIM_DURATION, false, R_GE0, 0.0,
                         &m->lead_sd_s)) ||
        (rc = f_number(L, F("supply_response"), "supply_response", false, R_GE0, 0.0,
                       &m->response)) ||
        (rc = f_number(L, F("manufacturing_capacity"), "manufacturing_capacity", false, R_GE0,
                       HUGE_VAL, &m->capacity)) ||
        (rc = f_growth(L, F("capacity_growth"), "capacity_growth", &m->capacity_growth)) ||
        (rc = f_number(L, F("retirement"), "retirement", false, R_GE0, 0.0, &m->retirement)) ||
        (rc = f_number(L, F("reference_purchase_usd"), "reference_purchase_usd", false, R_GT0,
                       purchase, &m->ref_purchase)) ||
        (rc = f_number(L, F("purchase_response"), "purchase_response", false, R_GE0, 0.0,
                       &m->purchase_response)) ||
        (rc = f_quantity(L, F("acquisition_time"), "acquisition_time", DCS_DIM_DURATION, false,
                         R_GE0, 0.0, &m->acquisition_s)) ||
        /* One node is found sooner than a cluster: assumption, capacity
         * freed at a steady rate, so 1 / nodes of the cluster's wait. */
        (rc = f_quantity(L, F("replacement_time"), "replacement_time", DCS_DIM_DURATION, false,
                         R_GE0, nodes > 0 ? m->acquisition_s / (double)nodes : m->acquisition_s,
                         &m->replace_s)))
        return rc;
    if (m->cap_price <= m->floor_price &&
        get(L, F("price_cap_usd_per_hour"), "price_cap_usd_per_hour", path) == NULL)
        return fail_at(L, get(L, F("price_floor_usd_per_hour"), "price_floor_usd_per_hour", path),
                       path,
                       "must be below the default price cap, %g x reference_price_usd_per_hour "
                       "= %g: give price_cap_usd_per_hour",
                       DCS_MARKET_CAP_MULTIPLE, m->cap_price);
    if (m->cap_price <= m->floor_price)
        return fail_at(L, get(L, F("price_cap_usd_per_hour"), "price_cap_usd_per_hour", path), path,
                       "must be above price_floor_usd_per_hour (%g)", m->floor_price);
    if (m->lead_sd_s > 0.0 && !(m->lead_mean_s > 0.0))
        return fail_at(L, get(L, F("lead_time_sd"), "lead_time_sd", path), path,
                       "needs a lead_time > 0 (lead times are lognormal around it)");
    if (m->retirement >= 1.0)
        return fail_at(L, get(L, F("retirement"), "retirement", path), path,
                       "is a fraction of supply retired per year, below 1");
    /* The compensator needs E[J] = e^(mu + sd^2 / 2). */
    if (m->jump_rate > 0.0 &&
        !isfinite(exp(m->jump_log_mean + 0.5 * m->jump_log_sd * m->jump_log_sd))) {
        const yaml_node_t *n = get(L, F("jump_log_sd"), "jump_log_sd", path);
        if (n == NULL)
            n = get(L, F("jump_log_mean"), "jump_log_mean", path);
        return fail_at(L, n, path,
                       "gives jumps of infinite mean size e^(jump_log_mean + jump_log_sd^2 / 2)");
    }
#undef F
    return 0;
}

/* The catalog entry named by n (the scenario's own catalog's, else the
 * built-in one's), with a suggestion when there is none. *index numbers
 * its random streams: a built-in entry's position, or for entry j of the
 * scenario's catalog DCS_MARKET_TYPE_STREAMS - 1 - j, from the top. */
static int catalog_type(loader *L, const yaml_node_t *n, const char *path, const dcs_scenario *s,
                        const dcs_accel **out, int *index)
{
    const char *key;
    int rc = scalar_text(L, n, path, "a catalog key", &key);
    if (rc)
        return rc;
    const dcs_user_catalog *uc = &s->catalog;
    size_t nc = dcs_catalog_count(), bestd = 99;
    const char *best = NULL;
    for (int j = 0; j < uc->naccels; j++) {
        const dcs_accel *a = &uc->accels[j].accel;
        if (strcasecmp(a->key, key) == 0) {
            *out = a;
            *index = DCS_MARKET_TYPE_STREAMS - 1 - j;
            if (*index < (int)nc)
                return fail_at(L, n, path,
                               "a market type of the scenario's catalog must be among its first "
                               "%d entries (random streams)",
                               DCS_MARKET_TYPE_STREAMS - (int)nc);
            return 0;
        }
        size_t d = edit_distance(key, a->key);
        if (d < bestd) {
            bestd = d;
            best = a->key;
        }
    }
    for (size_t i = 0; i < nc; i++) {
        const dcs_accel *a = dcs_catalog_at(i);
        if (dcs_catalog_find(key) == a) {
            *out = a;
            *index = (int)i;
            return 0;
        }
        size_t d = edit_distance(key, a->key);
        if (d < bestd) {
            bestd = d;
            best = a->key;
        }
    }
    if (bestd <= 4)
        return fail_at(L, n, path, "unknown accelerator \"%.60s\"; did you mean \"%s\"?", key,
                       best);
    return fail_at(L, n, path,
                   "unknown accelerator \"%.60s\"; run `dcsim catalog` to list the known ones",
                   key);
}

/* market.types: one market per accelerator type, each with the market
 * mapping's keys as its defaults. */
static int read_market_types(loader *L, const section *mk, const yaml_node_t *list,
                             const char *lpath, dcs_scenario *s)
{
    if (list->type != YAML_SEQUENCE_NODE)
        return fail_at(L, list, lpath, "expected a list of accelerator types, got %s",
                       type_name(list));
    int n = (int)(list->data.sequence.items.top - list->data.sequence.items.start);
    if (n == 0)
        return fail_at(L, list, lpath, "an empty list: give at least the cluster's accelerator");
    if (n > DCS_MAX_MARKET_TYPES)
        return fail_at(L, list, lpath, "at most %d types, got %d", DCS_MAX_MARKET_TYPES, n);
    s->market_job_type = -1;
    for (int i = 0; i < n; i++) {
        const yaml_node_t *item = node_at(L, list->data.sequence.items.start[i]);
        section ty = {item, item, "", DCS_SEC_MARKET_TYPE};
        snprintf(ty.path, sizeof ty.path, "market.types[%d]", i);
        if (item->type != YAML_MAPPING_NODE)
            return fail_at(L, item, ty.path, "expected a mapping, got %s", type_name(item));
        int rc = check_keys(L, &ty);
        if (rc)
            return rc;
        dcs_market_type_cfg *t = &s->market_types[i];
        char path[PATH_LEN];
        const yaml_node_t *an = get(L, &ty, "accelerator", path);
        if (an == NULL)
            return missing(L, &ty, "accelerator", "a catalog key");
        const dcs_accel *a;
        if ((rc = catalog_type(L, an, path, s, &a, &t->catalog_index)))
            return rc;
        for (int k = 0; k < i; k++)
            if (s->market_types[k].catalog_index == t->catalog_index)
                return fail_at(L, an, path, "%s is given twice (also market.types[%d])", a->key, k);
        snprintf(t->accel, sizeof t->accel, "%s", a->key);
        bool is_job = strcasecmp(a->key, s->cluster.accel.key) == 0;
        t->peak_flops = is_job ? s->cluster.accel.peak_flops : a->peak_flops;
        if (is_job)
            s->market_job_type = i;
        if (!(t->peak_flops > 0.0))
            return fail_at(L, an, path, "the catalog has no peak FLOP/s for %s", a->key);
        /* The cluster's type keeps the cluster's prices (and their
         * overrides); the others take the catalog's. */
        double price = is_job ? s->cluster.price_usd_per_accel_h : a->rental_usd_per_h;
        double purchase = is_job ? s->cluster.accel.purchase_usd : a->purchase_usd;
        if (!(price > 0.0) && get(L, &ty, "reference_price_usd_per_hour", path) == NULL &&
            get(L, mk, "reference_price_usd_per_hour", path) == NULL)
            return missing(L, &ty, "reference_price_usd_per_hour",
                           "the catalog has no rental price for this accelerator");
        if ((rc = f_number(L, &ty, "mfu", false, R_GT0, 1.0, &t->mfu)) ||
            (rc = f_number(L, &ty, "demand_units", false, R_GT0, 1.0, &t->demand_units)) ||
            (rc = read_market_keys(L, &ty, mk, &t->m, price, purchase, s->cluster.nodes)))
            return rc;
        if (t->mfu > 1.0)
            return fail_at(L, get(L, &ty, "mfu", path), path, "is a fraction of peak, at most 1");
        t->m.on = true;
        t->m.step_s = s->market.step_s;
        s->nmarket_types = i + 1;
    }
    if (s->market_job_type < 0)
        return fail_at(L, list, lpath,
                       "the cluster's accelerator %s is not in it: the job rents from its market",
                       s->cluster.accel.key);
    return 0;
}

/* market.shocks[i].types: the types a shock hits, as a bit per index. */
static int shock_types(loader *L, const yaml_node_t *n, const char *path, const dcs_scenario *s,
                       uint32_t *mask)
{
    if (!s->market_listed)
        return fail_at(L, n, path, "needs market.types (without it the market has one type)");
    if (n->type != YAML_SEQUENCE_NODE)
        return fail_at(L, n, path, "expected a list of accelerator types, got %s", type_name(n));
    *mask = 0;
    int j = 0;
    for (const yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++, j++) {
        const yaml_node_t *v = node_at(L, *it);
        char ipath[PATH_LEN + 16];
        snprintf(ipath, sizeof ipath, "%s[%d]", path, j);
        const dcs_accel *a;
        int index, rc = catalog_type(L, v, ipath, s, &a, &index);
        if (rc)
            return rc;
        int k = 0;
        while (k < s->nmarket_types && s->market_types[k].catalog_index != index)
            k++;
        if (k == s->nmarket_types)
            return fail_at(L, v, ipath, "%s is not one of market.types", a->key);
        *mask |= 1u << k;
    }
    if (*mask == 0)
        return fail_at(L, n, path, "an empty list: leave types out to hit every type");
    return 0;
}

static int read_market(loader *L, const section *top, dcs_scenario *s, double *dates)
{
    section mk, su;
    dcs_market_cfg *m = &s->market;
    memset(m, 0, sizeof *m);
    s->nmarket_types = 0;
    s->market_job_type = 0;
    s->market_listed = false;
    memset(&s->substitution, 0, sizeof s->substitution);
    memset(s->market_types, 0, sizeof s->market_types);
    int rc = open_section(L, top, "market", DCS_SEC_MARKET, false, &mk);
    if (rc || mk.map == NULL)
        return rc;
    m->on = true;
    char path[PATH_LEN];
    if ((rc = f_quantity(L, &mk, "step", DCS_DIM_DURATION, false, R_GT0, 86400.0, &m->step_s)))
        return rc;
    const yaml_node_t *types = get(L, &mk, "types", path);
    /* Buyers re-plan monthly: assumption, the default noise time scale. */
    if ((rc = open_section(L, &mk, "substitution", DCS_SEC_SUBSTITUTION, false, &su)) ||
        (rc = f_number(L, &su, "elasticity", false, R_GE0, 0.0, &s->substitution.elasticity)) ||
        (rc = f_quantity(L, &su, "timescale", DCS_DIM_DURATION, false, R_GT0, 30.0 * 86400.0,
                         &s->substitution.tau_s)))
        return rc;
    if (types == NULL) {
        if ((rc = read_market_keys(L, &mk, NULL, m, s->cluster.price_usd_per_accel_h,
                                   s->cluster.accel.purchase_usd, s->cluster.nodes)))
            return rc;
        s->nmarket_types = 1;
        dcs_market_type_cfg *t = &s->market_types[0];
        snprintf(t->accel, sizeof t->accel, "%s", s->cluster.accel.key);
        t->mfu = 1.0;
        t->demand_units = 1.0;
        t->peak_flops = s->cluster.accel.peak_flops;
        t->catalog_index = -1;
    } else {
        s->market_listed = true;
        if ((rc = read_market_types(L, &mk, types, path, s)))
            return rc;
        dcs_market_cfg *job = &s->market_types[s->market_job_type].m;
        memcpy(m, job, offsetof(dcs_market_cfg, nshocks));
        m->on = true;
    }
    const yaml_node_t *sh = get(L, &mk, "shocks", path);
    m->nshocks = 0;
    if (sh != NULL && (rc = read_shocks(L, sh, path, s, dates)))
        return rc;
    return 0;
}

/* With market.types: each type's own copy of the shocks that hit it, and
 * the job's market the cluster's type (dates resolved). Without: type 0
 * is the market itself. */
static void spread_shocks(dcs_scenario *s)
{
    dcs_market_cfg *m = &s->market;
    if (!m->on)
        return;
    if (!s->market_listed) {
        s->market_types[0].m = *m;
        return;
    }
    for (int i = 0; i < s->nmarket_types; i++) {
        dcs_market_cfg *t = &s->market_types[i].m;
        t->nshocks = 0;
        memset(t->shocks, 0, sizeof t->shocks);
        for (int k = 0; k < m->nshocks; k++)
            if (m->shocks[k].types & (1u << i))
                t->shocks[t->nshocks++] = m->shocks[k];
    }
}

static int read_procurement(loader *L, const section *top, dcs_scenario *s)
{
    section pr;
    dcs_procurement_cfg *p = &s->procurement;
    memset(p, 0, sizeof *p);
    int rc = open_section(L, top, "procurement", DCS_SEC_PROCUREMENT, false, &pr);
    if (rc)
        return rc;
    int mode = DCS_BUY_ON_DEMAND;
    if ((rc = f_enum(L, &pr, "mode", dcs_names_buy_mode, DCS_BUY_ON_DEMAND, &mode)))
        return rc;
    p->mode = (dcs_buy_mode)mode;
    char why[96];
    bool reserving = p->mode == DCS_BUY_RESERVED || p->mode == DCS_BUY_MIXED;
    bool owned = p->mode == DCS_BUY_OWNED;
    if (p->mode == DCS_BUY_MIXED) {
        if ((rc = f_integer(L, &pr, "reserved_accelerators", true, 1, 0, &p->reserved_accels)))
            return rc;
    } else {
        snprintf(why, sizeof why, "is only used with mode mixed (the mode is %s)",
                 dcs_names_buy_mode[mode]);
        if ((rc = f_forbid(L, &pr, "reserved_accelerators", why)))
            return rc;
    }
    if (reserving) {
        /* Defaults: a 1-year term at AWS p3's 1-year price against
         * on-demand, 1 - $1.99 / $3.06 = 0.3497 off (shared refs 5). */
        if ((rc = f_number(L, &pr, "discount", false, R_GE0, 1.0 - 1.99 / 3.06, &p->discount)) ||
            (rc = f_quantity(L, &pr, "term", DCS_DIM_DURATION, false, R_GT0, 365.25 * 86400.0,
                             &p->term_s)))
            return rc;
        char path[PATH_LEN];
        if (p->discount >= 1.0)
            return fail_at(L, get(L, &pr, "discount", path), path,
                           "is a fraction off the price at signing, below 1");
    } else {
        snprintf(why, sizeof why, "is only used with mode reserved or mixed (the mode is %s)",
                 dcs_names_buy_mode[mode]);
        if ((rc = f_forbid(L, &pr, "discount", why)) || (rc = f_forbid(L, &pr, "term", why)))
            return rc;
    }
    if (owned) {
        /* Default lifetime 5 y: Epoch AI's server lifetime for hardware from
         * 2023 on (shared refs 4.5); residual value and hosting 0 unless
         * given (no public figure in the references). Or Epoch's own
         * amortization: a share of the price per year (0.14 orders of
         * magnitude of price-performance a year x ln 10 = 0.3224). The
         * cluster's network is 19 % of the hardware cost (Epoch,
         * CLUSTER_INTERCONNECT_COST_FRACTION). */
        char dpath[PATH_LEN];
        const yaml_node_t *dep = get(L, &pr, "depreciation_per_year", dpath);
        if (dep != NULL) {
            static const char by_rate[] = "is replaced by depreciation_per_year";
            if ((rc = f_forbid(L, &pr, "lifetime", by_rate)) ||
                (rc = f_forbid(L, &pr, "residual", by_rate)))
                return rc;
        }
        if ((rc = f_number(L, &pr, "depreciation_per_year", false, R_GT0, 0.0,
                           &p->depreciation_per_year)) ||
            (rc = f_number(L, &pr, "interconnect_share", false, R_GE0, 0.19,
                           &p->interconnect_share)))
            return rc;
        if (p->interconnect_share >= 1.0)
            return fail_at(L, get(L, &pr, "interconnect_share", dpath), dpath,
                           "is a share of the whole hardware cost, below 1");
        if ((rc = f_quantity(L, &pr, "lifetime", DCS_DIM_DURATION, false, R_GT0,
                             5.0 * 365.25 * 86400.0, &p->lifetime_s)) ||
            (rc = f_number(L, &pr, "residual", false, R_GE0, 0.0, &p->residual)) ||
            (rc = f_number(L, &pr, "hosting_usd_per_accelerator_hour", false, R_GE0, 0.0,
                           &p->hosting_usd_per_h)) ||
            (rc = f_number(L, &pr, "purchase_usd", false, R_GT0, 0.0, &p->purchase_usd)))
            return rc;
        char path[PATH_LEN];
        if (p->residual > 1.0)
            return fail_at(L, get(L, &pr, "residual", path), path,
                           "is a share of the purchase price, at most 1");
        if (!(dcs_ledger_purchase_usd(s, NAN) > 0.0) && !s->market.on)
            return missing(L, &pr, "purchase_usd",
                           "the catalog has no purchase price for this accelerator");
    } else {
        snprintf(why, sizeof why, "is only used with mode owned (the mode is %s)",
                 dcs_names_buy_mode[mode]);
        static const char *const own_keys[] = {"lifetime",
                                               "residual",
                                               "hosting_usd_per_accelerator_hour",
                                               "purchase_usd",
                                               "depreciation_per_year",
                                               "interconnect_share",
                                               NULL};
        for (const char *const *k = own_keys; *k != NULL; k++)
            if ((rc = f_forbid(L, &pr, *k, why)))
                return rc;
    }
    /* One rule (models/power.h, dcs_energy_rule): rent includes the
     * electricity, owned hardware pays its own. */
    return f_bool(L, &pr, "energy_included", !owned, &p->energy_included);
}

static int read_costs(loader *L, const section *top, dcs_scenario *s)
{
    section co, da, st, pc, li;
    dcs_costs_cfg *c = &s->costs;
    memset(c, 0, sizeof *c);
    int rc = open_section(L, top, "costs", DCS_SEC_COSTS, false, &co);
    if (rc)
        return rc;
    char path[PATH_LEN];
    if ((rc = f_number(L, &co, "storage_usd_per_tb_month", false, R_GE0, 0.0,
                       &c->storage_usd_per_tb_month)) ||
        (rc = f_number(L, &co, "energy_usd_per_accelerator_hour", false, R_GE0, 0.0,
                       &c->energy_usd_per_accel_h)) ||
        (rc = f_number(L, &co, "other_usd", false, R_GE0, 0.0, &c->other_usd)))
        return rc;
    const yaml_node_t *e = get(L, &co, "energy_usd_per_accelerator_hour", path);
    if (e != NULL && s->power.on)
        return fail_at(L, e, path,
                       "is a flat energy price for scenarios without a power section; this one "
                       "has one, which prices the electricity itself");
    if (e != NULL && s->procurement.energy_included)
        return fail_at(L, e, path,
                       "would be charged on top of a rental price that includes electricity: "
                       "set procurement.energy_included: false");
    if ((rc = open_section(L, &co, "data", DCS_SEC_DATA, false, &da)) ||
        (rc = f_number(L, &da, "acquisition_usd", false, R_GE0, 0.0, &c->data_usd)) ||
        (rc = f_number(L, &da, "labels", false, R_GE0, 0.0, &c->labels)) ||
        (rc = f_number(L, &da, "usd_per_label", c->labels > 0.0, R_GE0, 0.0, &c->usd_per_label)) ||
        (rc = f_number(L, &da, "usd_per_label_sd", false, R_GE0, 0.0, &c->label_sd)) ||
        (rc = f_quantity(L, &da, "storage", DCS_DIM_DATA, false, R_GE0, 0.0, &c->data_bytes)))
        return rc;
    if ((rc = open_section(L, &co, "staff", DCS_SEC_STAFF, false, &st)) ||
        (rc = f_number(L, &st, "team_size", false, R_GE0, 0.0, &c->team)) ||
        (rc = f_number(L, &st, "loaded_usd_per_year", c->team > 0.0, R_GE0, 0.0,
                       &c->usd_per_person_year)) ||
        (rc = f_number(L, &st, "research_usd", false, R_GE0, 0.0, &c->research_usd)))
        return rc;
    if ((rc = open_section(L, &co, "processing", DCS_SEC_PROCESSING, false, &pc)) ||
        (rc = f_quantity(L, &pc, "data", DCS_DIM_DATA, false, R_GE0, 0.0, &c->processed_bytes)) ||
        (rc = f_number(L, &pc, "usd_per_tb", c->processed_bytes > 0.0, R_GE0, 0.0,
                       &c->processing_usd_per_tb)) ||
        (rc = open_section(L, &co, "licences", DCS_SEC_LICENCES, false, &li)) ||
        (rc = f_number(L, &li, "seats", false, R_GE0, 0.0, &c->licence_seats)) ||
        (rc = f_number(L, &li, "usd_per_seat_year", c->licence_seats > 0.0, R_GE0, 0.0,
                       &c->usd_per_seat_year)) ||
        (rc = f_number(L, &li, "usd_per_accelerator_hour", false, R_GE0, 0.0,
                       &c->licence_usd_per_accel_h)))
        return rc;
    /* Billed electricity without a power section or a flat price: the
     * default power model (dcs_energy_rule), never a silent $0. */
    if (dcs_energy_rule(s) < 0) {
        const yaml_node_t *n = get(L, top, "procurement", path);
        return fail_at(L, n != NULL ? n : top->pos, "procurement",
                       "the electricity is billed (owned hardware, or energy_included: false) and "
                       "the accelerator has no TDP for the default power model: give "
                       "power.training, or costs.energy_usd_per_accelerator_hour");
    }
    return 0;
}

/* market, procurement, costs; shock dates become times after the start. */
static int read_money(loader *L, const section *top, dcs_scenario *s)
{
    double dates[DCS_MAX_SHOCKS];
    for (int i = 0; i < DCS_MAX_SHOCKS; i++)
        dates[i] = NO_DATE;
    int rc = read_market(L, top, s, dates);
    if (rc == 0)
        rc = read_procurement(L, top, s);
    if (rc == 0)
        rc = read_costs(L, top, s);
    for (int i = 0; rc == 0 && i < s->market.nshocks; i++)
        if (dates[i] != NO_DATE)
            s->market.shocks[i].start_s = dates[i] - s->sim.start_s;
    if (rc == 0)
        spread_shocks(s);
    return rc;
}

static int read_scenario(loader *L, dcs_scenario *s)
{
    const yaml_node_t *root = node_at(L, L->root);
    if (root == NULL) {
        dcs_err_set(L->err, DCS_EINPUT, "the file holds no scenario");
        dcs_err_where(L->err, L->file, 1, 1);
        return DCS_EINPUT;
    }
    if (root->type != YAML_MAPPING_NODE)
        return fail_at(L, root, "", "expected a mapping of scenario keys, got %s",
                       dcs_yaml_is_null(root) ? "no value" : type_name(root));
    section top = {root, root, "", DCS_SEC_TOP};
    section tg, sim, rs;
    int rc;
    const yaml_node_t *nm;
    char path[PATH_LEN];
    if ((rc = check_keys(L, &top)) ||
        (rc = f_string(L, &top, "name", true, s->name, sizeof s->name)))
        return rc;
    if (s->name[0] == '\0' && (nm = get(L, &top, "name", path)) != NULL)
        return fail_at(L, nm, path, "must not be empty");
    if ((rc = f_string(L, &top, "description", false, s->description, sizeof s->description)) ||
        (rc = read_sources(L, &top, s)) || (rc = read_catalog(L, &top, s)) ||
        (rc = read_cluster(L, &top, s)) || (rc = read_job(L, &top, s)) ||
        (rc = read_checkpoint(L, &top, s)) || (rc = read_job_memory(L, &top, s)))
        return rc;
    /* Default restart overhead 5 min: reschedule and warm-up (docs/scenarios.md). */
    if ((rc = open_section(L, &top, "restart", DCS_SEC_RESTART, false, &rs)) ||
        (rc = f_quantity(L, &rs, "overhead", DCS_DIM_DURATION, false, R_GE0, 300.0,
                         &s->restart.overhead_s)) ||
        (rc = f_quantity(L, &rs, "warmup", DCS_DIM_DURATION, false, R_GE0, 0.0,
                         &s->restart.warmup_s)) ||
        (rc = read_energy(L, &top, s)) || (rc = read_failures(L, &top, s)) ||
        (rc = resolve_shares(L, &top, s)))
        return rc;
    if ((rc = open_section(L, &top, "targets", DCS_SEC_TARGETS, false, &tg)) ||
        (rc = f_number(L, &tg, "budget_usd", false, R_GT0, 0.0, &s->targets.budget_usd)) ||
        (rc = f_quantity(L, &tg, "deadline", DCS_DIM_DURATION, false, R_GT0, 0.0,
                         &s->targets.deadline_s)))
        return rc;
    if ((rc = open_section(L, &top, "simulation", DCS_SEC_SIM, false, &sim)))
        return rc;
    const yaml_node_t *sd = get(L, &sim, "seed", path);
    s->sim.seed = 1;
    if (sd != NULL && (rc = unsigned_of(L, sd, path, &s->sim.seed)))
        return rc;
    /* Default 100 replications: enough for a mean and a 90 % interval at a glance;
     * default max_time 20 y: far beyond any real run, so only a stuck one stops. */
    if ((rc = f_integer(L, &sim, "replications", false, 1, 100, &s->sim.replications)) ||
        (rc = f_quantity(L, &sim, "max_time", DCS_DIM_DURATION, false, R_GT0, 20.0 * YEAR_S,
                         &s->sim.max_time_s)) ||
        (rc = read_start(L, &sim, &s->sim.start_s)))
        return rc;
    int engine = DCS_ENGINE_FAST;
    if ((rc = f_enum(L, &sim, "engine", dcs_names_engine, DCS_ENGINE_FAST, &engine)))
        return rc;
    s->sim.engine = (dcs_engine_mode)engine;
    if ((rc = f_bool(L, &sim, "allow_no_progress", false, &s->sim.allow_no_progress)))
        return rc;
    if ((rc = read_money(L, &top, s)))
        return rc;
    return check_job_types(L, &top, s);
}

/* ---- distributions: uncertain inputs ----------------------------------------------------------
 *
 * One rule over the key table, not a change to every reader: before the
 * readers run, a walk of the document along the table finds every key
 * whose value is a mapping with a `dist` key, checks it (its kind, its
 * parameters with their units, its support against the key's range), and
 * puts in its place a plain scalar: the distribution's nominal value, or,
 * for a replication's own load (dcs_scenario_input.draw), the value drawn
 * from the key's stream. The readers then read it like any value, so every
 * default and conversion that depends on it is derived again. The keys are
 * found in the document before the overrides are applied, so that a point
 * of a sweep that sets such a key to a plain value keeps its input column
 * (marked `set`), and an override may change a distribution's parameters
 * ("job.mfu.max=0.5"). */

/* Whether node v is a distribution: a mapping with a `dist` key. */
static bool is_dist(const loader *L, const yaml_node_t *v)
{
    return v != NULL && v->type == YAML_MAPPING_NODE && lookup(L, v, "dist") != NULL;
}

/* dst = parent + "[i]" (cut at PATH_LEN - 1, which only shortens a message). */
static void index_path(char *dst, const char *parent, long i)
{
    char num[24];
    snprintf(num, sizeof num, "[%ld]", i);
    size_t n = 0;
    for (const char *p = parent; *p != '\0' && n < PATH_LEN - 1; p++)
        dst[n++] = *p;
    for (const char *p = num; *p != '\0' && n < PATH_LEN - 1; p++)
        dst[n++] = *p;
    dst[n] = '\0';
}

typedef int leaf_fn(loader *L, yaml_node_pair_t *pr, const dcs_schema_key *k, const char *path,
                    ctx c);

/* Calls fn on every pair of a scalar key, in document order, along the key
 * table from the mapping map_id of section c at `path`. */
static int walk_leaves(loader *L, int map_id, ctx c, const char *path, leaf_fn *fn)
{
    /* By index: fn may add nodes, which may move the node array. */
    const yaml_node_t *m0 = node_at(L, map_id);
    if (m0 == NULL || m0->type != YAML_MAPPING_NODE)
        return 0;
    ptrdiff_t npairs = m0->data.mapping.pairs.top - m0->data.mapping.pairs.start;
    for (ptrdiff_t j = 0; j < npairs; j++) {
        yaml_node_pair_t *pr = node_at(L, map_id)->data.mapping.pairs.start + j;
        const yaml_node_t *kn = node_at(L, pr->key);
        const yaml_node_t *v = node_at(L, pr->value);
        if (kn == NULL || v == NULL || kn->type != YAML_SCALAR_NODE)
            continue;
        const dcs_schema_key *k = dcs_schema_find(c, (const char *)kn->data.scalar.value);
        if (k == NULL)
            continue;
        char kp[PATH_LEN];
        join(kp, path, k->name);
        int rc = 0, vid = pr->value;
        if (k->type == DCS_KT_SECTION) {
            rc = walk_leaves(L, vid, k->child, kp, fn);
        } else if (k->type == DCS_KT_LIST && k->child != DCS_SEC_NONE) {
            if (v->type != YAML_SEQUENCE_NODE)
                continue;
            ptrdiff_t nitems = v->data.sequence.items.top - v->data.sequence.items.start;
            for (ptrdiff_t i = 0; rc == 0 && i < nitems; i++) {
                char ip[PATH_LEN];
                index_path(ip, kp, (long)i);
                rc =
                    walk_leaves(L, node_at(L, vid)->data.sequence.items.start[i], k->child, ip, fn);
            }
        } else if (k->type != DCS_KT_LIST) {
            rc = fn(L, pr, k, kp, c);
        }
        if (rc)
            return rc;
    }
    return 0;
}

/* Whether key k may be a choice among listed values: a key that may be a
 * distribution, a count or a name of an enumeration (outside simulation),
 * or the accelerator. */
static bool choice_allowed(const dcs_schema_key *k, ctx c)
{
    if (k->flags & DCS_KEY_DIST)
        return true;
    if (c == DCS_SEC_SIM || c == DCS_SEC_TOP)
        return false;
    if (k->type == DCS_KT_INTEGER || k->type == DCS_KT_UNSIGNED || k->type == DCS_KT_ENUM)
        return true;
    return c == DCS_SEC_CLUSTER && strcmp(k->name, "accelerator") == 0;
}

/* The kind of distribution node v, or an error (unknown, with a suggestion). */
static int dist_kind(loader *L, const yaml_node_t *v, const char *path, dcs_ud_kind *kind)
{
    char kp[PATH_LEN];
    join(kp, path, "dist");
    const yaml_node_t *kn = lookup(L, v, "dist");
    const char *text;
    int rc = scalar_text(L, kn, kp, "the name of a distribution", &text);
    if (rc)
        return rc;
    for (int i = 0; dcs_ud_names[i] != NULL; i++)
        if (strcmp(dcs_ud_names[i], text) == 0) {
            *kind = (dcs_ud_kind)i;
            return 0;
        }
    char msg[256];
    unknown_key_msg(msg, sizeof msg, dcs_ud_names, text);
    /* "unknown key; ..." -> "unknown distribution "x"; ..." */
    return fail_at(L, kn, kp, "unknown distribution \"%.40s\"%s", text,
                   msg + strlen("unknown key"));
}

/* Phase 1 (before the overrides): records the path of every distribution,
 * refusing one on a key that takes a fixed value. */
static int collect_dist(loader *L, yaml_node_pair_t *pr, const dcs_schema_key *k, const char *path,
                        ctx c)
{
    const yaml_node_t *v = node_at(L, pr->value);
    if (!is_dist(L, v))
        return 0;
    dcs_ud_kind kind;
    int rc = dist_kind(L, v, path, &kind);
    if (rc)
        return rc;
    if (!choice_allowed(k, c))
        return fail_at(L, v, path,
                       "a distribution is not allowed here: this key takes one fixed value");
    if (!(k->flags & DCS_KEY_DIST) && kind != DCS_UD_CHOICE)
        return fail_at(L, v, path,
                       "only a choice among listed values is allowed here ({dist: choice, "
                       "values: [...]}), not a %s distribution",
                       dcs_ud_names[kind]);
    if (L->ndist == DCS_MAX_UNCERTAIN)
        return fail_at(L, v, path, "too many distributions (at most %d per scenario)",
                       DCS_MAX_UNCERTAIN);
    snprintf(L->dpath[L->ndist++], PATH_LEN, "%s", path);
    return 0;
}

/* How the values of a key are written. */
typedef enum { VM_NUMBER, VM_QUANTITY, VM_TEXT } vmode;

/* The value of one parameter of a distribution on key k, in SI; *mode says
 * how it was written (a plain number or a quantity). */
static int param_value(loader *L, const yaml_node_t *n, const char *path, const dcs_schema_key *k,
                       vmode *mode, double *out)
{
    const char *text, *why = "";
    bool special = k->type == DCS_KT_SPECIAL;
    int rc = scalar_text(
        L, n, path, k->type == DCS_KT_QUANTITY ? dcs_units_dim_name(k->dim) : "a number", &text);
    if (rc)
        return rc;
    if (k->type == DCS_KT_QUANTITY) {
        if (dcs_units_parse(text, k->dim, out, &why) != 0)
            return fail_at(L, n, path, "\"%.60s\" %s; use one of %s", text, why,
                           dcs_units_accepted(k->dim));
        *mode = VM_QUANTITY;
        return 0;
    }
    if (read_number(text, out)) {
        *mode = VM_NUMBER;
        return 0;
    }
    size_t len = strlen(text);
    char num[64];
    if (special && len > 1 && len < sizeof num && text[len - 1] == '%') {
        memcpy(num, text, len - 1);
        num[len - 1] = '\0';
        if (read_number(num, out)) {
            *out *= 0.01;
            *mode = VM_NUMBER;
            return 0;
        }
    }
    if (special && dcs_units_parse(text, k->dim, out, &why) == 0) {
        *mode = VM_QUANTITY;
        return 0;
    }
    return fail_at(L, n, path, "expected a number%s, got \"%.60s\"",
                   special ? ", a percentage or a quantity" : "", text);
}

/* The support [lo, hi] of key k's range, for a normal's truncation. */
static void key_bounds(const dcs_schema_key *k, double *lo, double *hi)
{
    *lo = (k->range & DCS_RANGE_LO) ? k->lo : -(double)INFINITY;
    *hi = (k->range & DCS_RANGE_HI) ? k->hi : (double)INFINITY;
}

/* "[0, 1]", "> 0", ... : key k's range, for messages. */
static void range_text(const dcs_schema_key *k, char *dst, size_t n)
{
    unsigned r = k->range;
    if ((r & DCS_RANGE_LO) && (r & DCS_RANGE_HI))
        snprintf(dst, n, "%s%g, %g%s", (r & DCS_RANGE_LO_OPEN) ? "(" : "[", k->lo, k->hi,
                 (r & DCS_RANGE_HI_OPEN) ? ")" : "]");
    else if (r & DCS_RANGE_LO)
        snprintf(dst, n, "%s %g", (r & DCS_RANGE_LO_OPEN) ? ">" : ">=", k->lo);
    else if (r & DCS_RANGE_HI)
        snprintf(dst, n, "%s %g", (r & DCS_RANGE_HI_OPEN) ? "<" : "<=", k->hi);
    else
        snprintf(dst, n, "any value");
}

/* Checks that every key of distribution mapping v is one of `known`. */
static int dist_keys(loader *L, const yaml_node_t *v, const char *path, const char *const *known)
{
    for (const yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top;
         p++) {
        const yaml_node_t *kn = node_at(L, p->key);
        if (kn->type != YAML_SCALAR_NODE)
            return fail_at(L, kn, path, "expected a key name, got %s", type_name(kn));
        const char *name = (const char *)kn->data.scalar.value;
        char kp[PATH_LEN];
        join(kp, path, name);
        if (!in_list(known, name)) {
            char msg[256];
            unknown_key_msg(msg, sizeof msg, known, name);
            return fail_at(L, kn, kp, "%s", msg);
        }
        for (const yaml_node_pair_t *q = v->data.mapping.pairs.start; q < p; q++) {
            const yaml_node_t *kq = node_at(L, q->key);
            if (kq->type == YAML_SCALAR_NODE &&
                strcmp((const char *)kq->data.scalar.value, name) == 0)
                return fail_at(L, kn, kp, "duplicate key; first given at line %lu",
                               (unsigned long)kq->start_mark.line + 1);
        }
    }
    return 0;
}

/* One parameter `name` of distribution v (required), checked in mode with
 * the others: every parameter of one distribution is written alike. */
static int dist_param(loader *L, const yaml_node_t *v, const char *path, const dcs_schema_key *k,
                      const char *name, vmode *mode, bool *have_mode, double *out)
{
    char kp[PATH_LEN];
    join(kp, path, name);
    const yaml_node_t *n = lookup(L, v, name);
    if (n == NULL)
        return fail_at(L, v, kp, "missing required key");
    vmode m;
    int rc = param_value(L, n, kp, k, &m, out);
    if (rc)
        return rc;
    if (*have_mode && m != *mode)
        return fail_at(L, n, kp,
                       "every parameter of a distribution must be written alike (all with a unit, "
                       "or all plain numbers)");
    *mode = m;
    *have_mode = true;
    return 0;
}

/* A value of key k outside its range, as an error at node n. */
static int out_of_range(loader *L, const yaml_node_t *n, const char *path, const dcs_schema_key *k,
                        const char *what, double v)
{
    char r[64];
    range_text(k, r, sizeof r);
    return fail_at(L, n, path, "%s %g is outside the key's range %s", what, v, r);
}

/* The values of a choice, each checked as a value of key k would be. */
static int choice_values(loader *L, const yaml_node_t *v, const char *path, const dcs_schema_key *k,
                         dcs_uncertain *u, vmode *mode)
{
    char kp[PATH_LEN];
    join(kp, path, "values");
    const yaml_node_t *vs = lookup(L, v, "values");
    if (vs == NULL)
        return fail_at(L, v, kp, "missing required key");
    if (vs->type != YAML_SEQUENCE_NODE)
        return fail_at(L, vs, kp, "expected a list of values, got %s", type_name(vs));
    long n = vs->data.sequence.items.top - vs->data.sequence.items.start;
    if (n < 1 || n > DCS_UNC_MAX_CHOICES)
        return fail_at(L, vs, kp, "expected 1 to %d values, got %ld", DCS_UNC_MAX_CHOICES, n);
    bool text = k->type == DCS_KT_ENUM || k->type == DCS_KT_STRING ||
                (k->type == DCS_KT_SPECIAL && !(k->flags & DCS_KEY_DIST));
    bool have = false;
    *mode = text ? VM_TEXT : VM_NUMBER;
    for (long i = 0; i < n; i++) {
        char ip[PATH_LEN];
        index_path(ip, kp, i);
        const yaml_node_t *item = node_at(L, vs->data.sequence.items.start[i]);
        const char *t;
        int rc = scalar_text(L, item, ip, "a value", &t);
        if (rc)
            return rc;
        if (strlen(t) >= DCS_UNC_TEXT_MAX)
            return fail_at(L, item, ip, "is too long (at most %d characters)",
                           DCS_UNC_TEXT_MAX - 1);
        snprintf(u->texts[i], DCS_UNC_TEXT_MAX, "%s", t);
        u->d.values[i] = (double)i;
        if (k->type == DCS_KT_ENUM) {
            int e;
            if ((rc = enum_of(L, item, ip, k->names, &e)))
                return rc;
        } else if (k->type == DCS_KT_SPECIAL && text) {
            if (dcs_catalog_find(t) == NULL)
                return fail_at(L, item, ip,
                               "unknown catalog key \"%.60s\"; `dcsim catalog` lists them", t);
        } else if (k->type == DCS_KT_STRING) {
            if (strlen(t) >= k->size)
                return fail_at(L, item, ip, "is too long (at most %zu characters)", k->size - 1);
        } else {
            vmode m;
            double x;
            if ((rc = param_value(L, item, ip, k, &m, &x)))
                return rc;
            if (have && m != *mode)
                return fail_at(L, item, ip,
                               "every value of a choice must be written alike (all with a unit, "
                               "or all plain numbers)");
            if ((k->type == DCS_KT_INTEGER || k->type == DCS_KT_UNSIGNED) &&
                (x != floor(x) || (k->type == DCS_KT_UNSIGNED && x < 0.0)))
                return fail_at(L, item, ip, "expected an integer, got \"%.60s\"", t);
            if (!dcs_schema_in_range(k, x))
                return out_of_range(L, item, ip, k, "the value", x);
            *mode = m;
            have = true;
            u->d.values[i] = x;
        }
    }
    u->d.nvalues = (int)n;
    u->text = text;
    join(kp, path, "weights");
    const yaml_node_t *ws = lookup(L, v, "weights");
    double total = 0.0;
    for (long i = 0; i < n; i++)
        u->d.weights[i] = 1.0;
    if (ws == NULL)
        return 0;
    if (ws->type != YAML_SEQUENCE_NODE)
        return fail_at(L, ws, kp, "expected a list of weights, got %s", type_name(ws));
    long nw = ws->data.sequence.items.top - ws->data.sequence.items.start;
    if (nw != n)
        return fail_at(L, ws, kp, "expected one weight per value (%ld), got %ld", n, nw);
    for (long i = 0; i < n; i++) {
        char ip[PATH_LEN];
        index_path(ip, kp, i);
        int rc =
            number_of(L, node_at(L, ws->data.sequence.items.start[i]), ip, R_GE0, &u->d.weights[i]);
        if (rc)
            return rc;
        total += u->d.weights[i];
    }
    if (!(total > 0.0))
        return fail_at(L, ws, kp, "the weights must not all be 0");
    return 0;
}

/* The values of an empirical distribution: a list, or a column of a CSV
 * file (relative to the scenario file) with a header line naming the
 * columns; `unit` gives the unit of a CSV column of plain numbers. */
static int empirical_values(loader *L, const yaml_node_t *v, const char *path,
                            const dcs_schema_key *k, dcs_uncertain *u, vmode *mode)
{
    char kp[PATH_LEN];
    const yaml_node_t *vs = lookup(L, v, "values"), *fn = lookup(L, v, "file");
    const yaml_node_t *cn = lookup(L, v, "column"), *un = lookup(L, v, "unit");
    bool have = false;
    int n = 0, rc;
    if ((vs == NULL) == (fn == NULL))
        return fail_at(L, v, path, "give either values (a list) or file and column");
    if (vs != NULL) {
        join(kp, path, "values");
        if (cn != NULL || un != NULL)
            return fail_at(L, cn != NULL ? cn : un, kp,
                           "column and unit go with file, not with values");
        if (vs->type != YAML_SEQUENCE_NODE)
            return fail_at(L, vs, kp, "expected a list of values, got %s", type_name(vs));
        for (const yaml_node_item_t *it = vs->data.sequence.items.start;
             it < vs->data.sequence.items.top; it++, n++) {
            char ip[PATH_LEN];
            index_path(ip, kp, n);
            const yaml_node_t *item = node_at(L, *it);
            if (n == DCS_UNC_MAX_VALUES)
                return fail_at(L, item, ip, "more than %d values", DCS_UNC_MAX_VALUES);
            vmode m;
            if ((rc = param_value(L, item, ip, k, &m, &u->d.values[n])))
                return rc;
            if (have && m != *mode)
                return fail_at(L, item, ip, "every value must be written alike");
            if (!dcs_schema_in_range(k, u->d.values[n]))
                return out_of_range(L, item, ip, k, "the value", u->d.values[n]);
            *mode = m;
            have = true;
        }
        if (n == 0)
            return fail_at(L, vs, kp, "expected at least one value");
        u->d.nvalues = n;
        return 0;
    }
    join(kp, path, "column");
    if (cn == NULL)
        return fail_at(L, v, kp, "missing required key");
    const char *col, *unit = "", *rel;
    if ((rc = scalar_text(L, cn, kp, "a column name", &col)))
        return rc;
    join(kp, path, "unit");
    if (un != NULL && (rc = scalar_text(L, un, kp, "a unit", &unit)))
        return rc;
    join(kp, path, "file");
    if ((rc = scalar_text(L, fn, kp, "a file path", &rel)))
        return rc;
    char file[1024];
    const char *slash = strrchr(L->file, '/');
    if (rel[0] != '/' && slash != NULL)
        snprintf(file, sizeof file, "%.*s/%s", (int)(slash - L->file), L->file, rel);
    else
        snprintf(file, sizeof file, "%s", rel);
    FILE *f = fopen(file, "r");
    if (f == NULL)
        return fail_at(L, fn, kp, "cannot read \"%.200s\": %s", file, strerror(errno));
    char line[1024];
    long lineno = 0;
    int ci = -1;
    rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f) != NULL) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0' || line[0] == '#')
            continue;
        /* the field of column ci (or find ci in the header) */
        char *field = line, *next;
        int i = 0;
        long fcol = 1;
        for (;; i++) {
            next = strchr(field, ',');
            if (next != NULL)
                *next = '\0';
            if (ci < 0 ? strcmp(field, col) == 0 : i == ci)
                break;
            if (next == NULL) {
                field = NULL;
                break;
            }
            field = next + 1;
            fcol = (long)(field - line) + 1;
        }
        if (ci < 0) {
            if (field == NULL) {
                rc = fail_at(L, cn, path, "%.200s has no column \"%.60s\" in its header line", file,
                             col);
                break;
            }
            ci = i;
            continue;
        }
        char cell[160];
        double x = 0.0;
        const char *why = "";
        bool ok =
            field != NULL && snprintf(cell, sizeof cell, "%s%s", field, unit) < (int)sizeof cell;
        ok = ok && (k->type == DCS_KT_QUANTITY ? dcs_units_parse(cell, k->dim, &x, &why) == 0
                                               : read_number(cell, &x));
        if (!ok) {
            dcs_err_set(L->err, DCS_EINPUT, "expected %s, got \"%.60s\"",
                        k->type == DCS_KT_QUANTITY ? dcs_units_dim_name(k->dim) : "a number",
                        field != NULL ? field : "no field");
            rc = DCS_EINPUT;
        } else if (!dcs_schema_in_range(k, x)) {
            char r[64];
            range_text(k, r, sizeof r);
            dcs_err_set(L->err, DCS_EINPUT, "the value %g is outside the key's range %s", x, r);
            rc = DCS_EINPUT;
        } else if (n == DCS_UNC_MAX_VALUES) {
            dcs_err_set(L->err, DCS_EINPUT, "more than %d values", DCS_UNC_MAX_VALUES);
            rc = DCS_EINPUT;
        } else {
            u->d.values[n++] = x;
        }
        if (rc != 0) {
            dcs_err_where(L->err, file, lineno, fcol);
            dcs_err_key(L->err, path);
        }
    }
    fclose(f);
    if (rc == 0 && ci < 0)
        rc = fail_at(L, fn, kp, "\"%.200s\" has no header line", file);
    if (rc == 0 && n == 0)
        rc = fail_at(L, fn, kp, "\"%.200s\" has no values in column \"%.60s\"", file, col);
    *mode = k->type == DCS_KT_QUANTITY ? VM_QUANTITY : VM_NUMBER;
    u->d.nvalues = n;
    return rc;
}

/* Reads distribution v of key k into u and checks its support against the
 * key's range. */
static int read_udist(loader *L, const yaml_node_t *v, const char *path, const dcs_schema_key *k,
                      dcs_uncertain *u, vmode *mode)
{
    static const char *const keys[DCS_UD_NKINDS][7] = {
        {"dist", "value", NULL},
        {"dist", "min", "max", NULL},
        {"dist", "min", "mode", "max", NULL},
        {"dist", "min", "mode", "max", NULL},
        {"dist", "mean", "sd", NULL},
        {"dist", "mean", "sd", "median", "p95", "p05", NULL},
        {"dist", "values", "weights", NULL},
        {"dist", "values", "file", "column", "unit", NULL},
    };
    dcs_ud_kind kind;
    int rc = dist_kind(L, v, path, &kind);
    if (rc || (rc = dist_keys(L, v, path, keys[kind])))
        return rc;
    dcs_udist *d = &u->d;
    d->kind = kind;
    bool have = false;
    *mode = VM_NUMBER;
    const yaml_node_t *at = v;
    switch (kind) {
    case DCS_UD_FIXED:
        rc = dist_param(L, v, path, k, "value", mode, &have, &d->a);
        break;
    case DCS_UD_UNIFORM:
        if ((rc = dist_param(L, v, path, k, "min", mode, &have, &d->a)) ||
            (rc = dist_param(L, v, path, k, "max", mode, &have, &d->c)))
            break;
        if (d->a > d->c)
            return fail_at(L, lookup(L, v, "min"), path, "min (%g) is above max (%g)", d->a, d->c);
        break;
    case DCS_UD_TRIANGULAR:
    case DCS_UD_PERT:
        if ((rc = dist_param(L, v, path, k, "min", mode, &have, &d->a)) ||
            (rc = dist_param(L, v, path, k, "mode", mode, &have, &d->b)) ||
            (rc = dist_param(L, v, path, k, "max", mode, &have, &d->c)))
            break;
        if (!(d->a <= d->b && d->b <= d->c))
            return fail_at(L, lookup(L, v, "min"), path,
                           "expected min <= mode <= max, got %g, %g, %g", d->a, d->b, d->c);
        break;
    case DCS_UD_NORMAL:
        if ((rc = dist_param(L, v, path, k, "mean", mode, &have, &d->a)) ||
            (rc = dist_param(L, v, path, k, "sd", mode, &have, &d->b)))
            break;
        at = lookup(L, v, "sd");
        if (!(d->b >= 0.0))
            return fail_at(L, at, path, "sd must be >= 0, got %g", d->b);
        at = lookup(L, v, "mean");
        if (!dcs_schema_in_range(k, d->a))
            return out_of_range(L, at, path, k, "the mean", d->a);
        key_bounds(k, &d->lo, &d->hi); /* truncated to the key's range */
        break;
    case DCS_UD_LOGNORMAL: {
        const char *second = lookup(L, v, "sd") != NULL    ? "sd"
                             : lookup(L, v, "p95") != NULL ? "p95"
                                                           : "p05";
        bool by_mean = lookup(L, v, "mean") != NULL;
        int given = (lookup(L, v, "mean") != NULL) + (lookup(L, v, "median") != NULL) +
                    (lookup(L, v, "sd") != NULL) + (lookup(L, v, "p95") != NULL) +
                    (lookup(L, v, "p05") != NULL);
        if (given != 2 || (by_mean && strcmp(second, "sd") != 0) ||
            (!by_mean && strcmp(second, "sd") == 0))
            return fail_at(L, v, path,
                           "a lognormal takes mean and sd, or median and p95, or median and p05");
        d->form = by_mean                      ? DCS_LN_MEAN_SD
                  : strcmp(second, "p95") == 0 ? DCS_LN_MEDIAN_P95
                                               : DCS_LN_MEDIAN_P05;
        if ((rc = dist_param(L, v, path, k, by_mean ? "mean" : "median", mode, &have, &d->a)) ||
            (rc = dist_param(L, v, path, k, second, mode, &have, &d->b)))
            break;
        at = lookup(L, v, by_mean ? "mean" : "median");
        if (!(d->a > 0.0))
            return fail_at(L, at, path, "the %s of a lognormal must be > 0, got %g",
                           by_mean ? "mean" : "median", d->a);
        at = lookup(L, v, second);
        if (d->form == DCS_LN_MEAN_SD && !(d->b > 0.0))
            return fail_at(L, at, path, "sd must be > 0, got %g", d->b);
        if (d->form == DCS_LN_MEDIAN_P95 && !(d->b > d->a))
            return fail_at(L, at, path, "p95 (%g) must be above the median (%g)", d->b, d->a);
        if (d->form == DCS_LN_MEDIAN_P05 && !(d->b > 0.0 && d->b < d->a))
            return fail_at(L, at, path, "p05 (%g) must be in (0, median %g)", d->b, d->a);
        key_bounds(k, &d->lo, &d->hi); /* truncated to the key's range */
        {
            double mu, sigma;
            dcs_udist_lognormal(d, &mu, &sigma);
            if (!dcs_schema_in_range(k, exp(mu)))
                return out_of_range(L, lookup(L, v, by_mean ? "mean" : "median"), path, k,
                                    "the median", exp(mu));
        }
        break;
    }
    case DCS_UD_CHOICE:
        rc = choice_values(L, v, path, k, u, mode);
        break;
    case DCS_UD_EMPIRICAL:
        rc = empirical_values(L, v, path, k, u, mode);
        break;
    case DCS_UD_NKINDS:
        break;
    }
    if (rc)
        return rc;
    if (kind == DCS_UD_FIXED || kind == DCS_UD_UNIFORM || kind == DCS_UD_TRIANGULAR ||
        kind == DCS_UD_PERT) {
        const char *lo_key = kind == DCS_UD_FIXED ? "value" : "min";
        const char *hi_key = kind == DCS_UD_FIXED ? "value" : "max";
        if (!dcs_schema_in_range(k, d->a))
            return out_of_range(L, lookup(L, v, lo_key), path, k,
                                kind == DCS_UD_FIXED ? "the value" : "min", d->a);
        if (!dcs_schema_in_range(k, d->c) && kind != DCS_UD_FIXED)
            return out_of_range(L, lookup(L, v, hi_key), path, k, "max", d->c);
    }
    return 0;
}

/* The shortest of %.15g .. %.17g that reads back as v. */
static void shortest(char *dst, size_t n, double v)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(dst, n, "%.*g", prec, v);
        if (strtod(dst, NULL) == v)
            return;
    }
}

/* Phase 2 (after the overrides): reads each distribution found in phase 1
 * and puts its value (nominal, or drawn) in its place; a key an override
 * set to a plain value is recorded as set. */
static int resolve_dist(loader *L, yaml_node_pair_t *pr, const dcs_schema_key *k, const char *path,
                        ctx c)
{
    (void)c;
    int i = 0;
    while (i < L->ndist && strcmp(L->dpath[i], path) != 0)
        i++;
    if (i == L->ndist)
        return 0;
    dcs_uncertain *u = &L->unc[i];
    memset(u, 0, sizeof *u);
    snprintf(u->path, sizeof u->path, "%s", path);
    u->value = (double)NAN;
    const yaml_node_t *v = node_at(L, pr->value);
    if (!is_dist(L, v)) {
        /* set by an override: its plain value, when it is a number */
        vmode m = VM_NUMBER;
        u->set = true;
        u->d.kind = DCS_UD_FIXED;
        if (k->type == DCS_KT_QUANTITY || k->type == DCS_KT_NUMBER ||
            (k->type == DCS_KT_SPECIAL && (k->flags & DCS_KEY_DIST)) || k->type == DCS_KT_INTEGER ||
            k->type == DCS_KT_UNSIGNED) {
            double x;
            dcs_err scratch;
            dcs_err *keep = L->err;
            L->err = &scratch; /* the reader reports a bad value where it is */
            if (v->type == YAML_SCALAR_NODE && param_value(L, v, path, k, &m, &x) == 0)
                u->value = u->d.a = x;
            L->err = keep;
        } else {
            u->text = true;
        }
        if (m == VM_QUANTITY)
            snprintf(u->unit, sizeof u->unit, "%s", dcs_units_si_symbol(k->dim));
        return 0;
    }
    vmode mode;
    int rc = read_udist(L, v, path, k, u, &mode);
    if (rc)
        return rc;
    if (mode == VM_QUANTITY)
        snprintf(u->unit, sizeof u->unit, "%s", dcs_units_si_symbol(k->dim));
    double x = dcs_udist_nominal(&u->d);
    int ci = 0; /* its place in the correlation's keys */
    while (L->corr != NULL && ci < L->corr->n && strcmp(L->corr->keys[ci], path) != 0)
        ci++;
    if (L->draw)
        x = L->corr != NULL && ci < L->corr->n
                ? dcs_udist_quantile(&u->d, L->cu[ci])
                : dcs_uncertain_draw(&u->d, path, L->rng, L->draw_seed, L->draw_rep);
    u->value = x;
    char text[64];
    if (u->d.kind == DCS_UD_CHOICE) {
        int j = 0;
        while (j + 1 < u->d.nvalues && u->d.values[j] != x)
            j++;
        snprintf(text, sizeof text, "%s", u->texts[j]);
    } else {
        shortest(text, sizeof text, x);
        if (mode == VM_QUANTITY) {
            size_t len = strlen(text);
            snprintf(text + len, sizeof text - len, "%s", dcs_units_si_symbol(k->dim));
        }
    }
    int vid = yaml_document_add_scalar(&L->doc, NULL, (const yaml_char_t *)text, -1,
                                       YAML_PLAIN_SCALAR_STYLE);
    if (vid == 0)
        return dcs_err_set(L->err, DCS_ENOMEM, "out of memory");
    v = node_at(L, pr->value); /* adding a node may move the node array */
    int vorig = pr->value;
    if ((size_t)vorig < L->norig && L->orig[vorig].file != NULL)
        rc = note_origin(L, vid, L->orig[vorig].file, L->orig[vorig].line, L->orig[vorig].col);
    else
        rc = note_origin(L, vid, L->file, (long)v->start_mark.line + 1,
                         (long)v->start_mark.column + 1);
    if (rc)
        return rc;
    pr->value = vid;
    return 0;
}

/* Whether `path` ("failures[0].mtbf") names a scalar key of the table. */
static bool key_path_known(const char *path)
{
    ctx c = DCS_SEC_TOP;
    const dcs_schema_key *k = NULL;
    for (const char *p = path; *p != '\0';) {
        char seg[PATH_LEN];
        size_t len = strcspn(p, ".[");
        if (len == 0 || len >= sizeof seg || c == DCS_SEC_NONE)
            return false;
        snprintf(seg, sizeof seg, "%.*s", (int)len, p);
        if ((k = dcs_schema_find(c, seg)) == NULL)
            return false;
        c = k->type == DCS_KT_SECTION || k->type == DCS_KT_LIST ? k->child : DCS_SEC_NONE;
        p += len;
        if (*p == '[')
            p += strcspn(p, "]") + (p[strcspn(p, "]")] == ']');
        if (*p == '.')
            p++;
    }
    return k != NULL && c == DCS_SEC_NONE;
}

/* uncertain.correlation.keys[i], t: one of the file's uncertain inputs. */
static int corr_key(loader *L, const yaml_node_t *n, const char *path, const char *t)
{
    const char *known[DCS_MAX_UNCERTAIN + 1];
    char list[200] = "";
    for (int i = 0; i < L->ndist; i++) {
        known[i] = L->dpath[i];
        if (strcmp(L->dpath[i], t) == 0)
            return 0;
        size_t len = strlen(list);
        if (len + strlen(L->dpath[i]) + 7 < 120)
            snprintf(list + len, sizeof list - len, "%s%s", i > 0 ? ", " : "", L->dpath[i]);
        else if (strstr(list, ", ...") == NULL)
            snprintf(list + len, sizeof list - len, ", ...");
    }
    known[L->ndist] = NULL;
    if (key_path_known(t))
        return fail_at(L, n, path,
                       "%.100s is not an uncertain input: only keys given as a distribution "
                       "({dist: ...}) in the file may be correlated (here: %s)",
                       t, L->ndist > 0 ? list : "none");
    char msg[256];
    unknown_key_msg(msg, sizeof msg, known, t);
    return fail_at(L, n, path, "\"%.100s\" is not a key path of a scenario%s", t,
                   L->ndist > 0 ? msg + strlen("unknown key") : "");
}

/* Row i of uncertain.correlation.matrix: n entries in [-1, 1], 1 on the
 * diagonal, each equal to its mirror in the rows before. */
static int corr_row(loader *L, const yaml_node_t *row, const char *path, int i, dcs_correlation *c)
{
    char rp[PATH_LEN];
    index_path(rp, path, i);
    if (row->type != YAML_SEQUENCE_NODE)
        return fail_at(L, row, rp, "expected a row (a list of %d numbers), got %s", c->n,
                       type_name(row));
    long len = row->data.sequence.items.top - row->data.sequence.items.start;
    if (len != c->n)
        return fail_at(L, row, rp, "expected %d entries (one per key), got %ld", c->n, len);
    for (int j = 0; j < c->n; j++) {
        char ep[PATH_LEN];
        index_path(ep, rp, j);
        const yaml_node_t *e = node_at(L, row->data.sequence.items.start[j]);
        double x;
        int rc = number_of(L, e, ep, R_ANY, &x);
        if (rc)
            return rc;
        if (!(x >= -1.0 && x <= 1.0))
            return fail_at(L, e, ep, "a rank correlation must be in [-1, 1], got %g", x);
        if (i == j && x != 1.0)
            return fail_at(L, e, ep,
                           "the diagonal must be 1 (a key's correlation with itself), "
                           "got %g",
                           x);
        if (j < i && x != c->m[j][i])
            return fail_at(L, e, ep, "the matrix must be symmetric: %g here, %g at [%d][%d]", x,
                           c->m[j][i], j, i);
        c->m[i][j] = x;
    }
    return 0;
}

/* uncertain.correlation (before the distributions are resolved, which it
 * steers): its keys, each an uncertain input of the file and listed once,
 * and its matrix, square of their number and positive semi-definite. */
static int read_correlation(loader *L, dcs_correlation *c)
{
    const yaml_node_t *root = node_at(L, L->root);
    section top = {root, root, "", DCS_SEC_TOP}, un, co;
    char path[PATH_LEN];
    int rc;
    if (root == NULL || root->type != YAML_MAPPING_NODE)
        return 0; /* read_scenario says what is wrong */
    if ((rc = open_section(L, &top, "uncertain", DCS_SEC_UNCERTAIN, false, &un)) ||
        un.map == NULL ||
        (rc = open_section(L, &un, "correlation", DCS_SEC_CORRELATION, false, &co)) ||
        co.map == NULL)
        return rc;
    const yaml_node_t *ks = get(L, &co, "keys", path), *mx;
    if (ks == NULL)
        return missing(L, &co, "keys", NULL);
    long n = ks->type == YAML_SEQUENCE_NODE
                 ? ks->data.sequence.items.top - ks->data.sequence.items.start
                 : 0;
    if (ks->type != YAML_SEQUENCE_NODE || n < 2 || n > DCS_MAX_UNCERTAIN)
        return fail_at(L, ks, path, "expected a list of 2 to %d key paths, got %s",
                       DCS_MAX_UNCERTAIN, ks->type == YAML_SEQUENCE_NODE ? "fewer" : type_name(ks));
    c->n = (int)n;
    for (int i = 0; i < c->n; i++) {
        char ip[PATH_LEN];
        const char *t;
        const yaml_node_t *it = node_at(L, ks->data.sequence.items.start[i]);
        index_path(ip, path, i);
        if ((rc = scalar_text(L, it, ip, "a key path", &t)) || (rc = corr_key(L, it, ip, t)))
            return rc;
        for (int j = 0; j < i; j++)
            if (strcmp(c->keys[j], t) == 0)
                return fail_at(L, it, ip, "%.100s is listed twice (also keys[%d])", t, j);
        snprintf(c->keys[i], sizeof c->keys[i], "%s", t);
    }
    if ((mx = get(L, &co, "matrix", path)) == NULL)
        return missing(L, &co, "matrix", NULL);
    if (mx->type != YAML_SEQUENCE_NODE)
        return fail_at(L, mx, path, "expected a list of rows, got %s", type_name(mx));
    long rows = mx->data.sequence.items.top - mx->data.sequence.items.start;
    if (rows != c->n)
        return fail_at(L, mx, path, "expected %d rows (one per key), got %ld", c->n, rows);
    for (int i = 0; i < c->n; i++)
        if ((rc = corr_row(L, node_at(L, mx->data.sequence.items.start[i]), path, i, c)))
            return rc;
    double ev = dcs_corr_min_eigenvalue(c);
    if (isnan(ev))
        return dcs_err_set(L->err, DCS_ENOMEM, "out of memory");
    if (ev < -1e-9)
        return fail_at(L, mx, path,
                       "is not positive semi-definite (its smallest eigenvalue is %.3g): no "
                       "inputs can have these rank correlations together",
                       ev);
    return 0;
}

/* ---- overrides: --set and other files ------------------------------------------------------- */

/* Where an override was written: a --set argument ("--set", line 1) or a
 * node of another file. Path errors are reported at the column of the
 * offending path segment, counted from path_col. */
typedef struct override_at {
    const char *file;
    long line;     /* of the path */
    long path_col; /* column of the path's first character */
} override_at;

/* Parses the value of a --set as one YAML scalar and adds it to the tree;
 * returns its node id in *vid. */
static int set_value(loader *L, const char *path, const char *text, long col, int *vid)
{
    yaml_parser_t p;
    yaml_document_t vd;
    if (!yaml_parser_initialize(&p))
        return dcs_err_set(L->err, DCS_ENOMEM, "out of memory parsing --set");
    yaml_parser_set_input_string(&p, (const unsigned char *)text, strlen(text));
    if (!yaml_parser_load(&p, &vd)) {
        int rc = fail_pos(L, "--set", 1, col + (long)p.problem_mark.column, path,
                          "the value is not valid YAML: %s", p.problem ? p.problem : "unknown");
        yaml_parser_delete(&p);
        return rc;
    }
    yaml_parser_delete(&p);
    const yaml_node_t *r = yaml_document_get_root_node(&vd);
    int rc = 0;
    if (r != NULL && r->type != YAML_SCALAR_NODE) {
        rc = fail_pos(L, "--set", 1, col, path, "the value must be a single YAML scalar, got %s",
                      type_name(r));
    } else {
        const yaml_char_t *v = r != NULL ? r->data.scalar.value : (const yaml_char_t *)"";
        int len = r != NULL ? (int)r->data.scalar.length : 0;
        yaml_scalar_style_t style = r != NULL ? r->data.scalar.style : YAML_PLAIN_SCALAR_STYLE;
        *vid = yaml_document_add_scalar(&L->doc, NULL, v, len, style);
        if (*vid == 0)
            rc = dcs_err_set(L->err, DCS_ENOMEM, "out of memory applying --set");
        else
            rc = note_origin(L, *vid, "--set", 1, col);
    }
    yaml_document_delete(&vd);
    return rc;
}

/* Puts node vid at key path `set` (its first plen characters): replaces the
 * value at the path, or adds a key the schema knows (creating the mappings
 * above it). Errors in the path are reported at `at`. */
static int apply_path(loader *L, const override_at *at, const char *set, size_t plen, int vid)
{
    const char *eq = set + plen;
    char full[PATH_LEN];
    snprintf(full, sizeof full, "%.*s", (int)plen, set);
    char kp[PATH_LEN] = "";
    int cur = L->root, rc;
    ctx c = DCS_SEC_TOP, elem = DCS_SEC_NONE;
    const char *p = set;
    while (p < eq) {
        long col = at->path_col + (long)(p - set);
        if (*p == '[') {
            char *end = NULL;
            if (!(p[1] >= '0' && p[1] <= '9'))
                return fail_pos(L, at->file, at->line, col, full,
                                "malformed key path; expected [N]");
            unsigned long ix = strtoul(p + 1, &end, 10);
            if (*end != ']')
                return fail_pos(L, at->file, at->line, col, full,
                                "malformed key path; expected [N]");
            size_t kl = strlen(kp);
            snprintf(kp + kl, sizeof kp - kl, "[%lu]", ix);
            yaml_node_t *sq = node_at(L, cur);
            if (sq->type != YAML_SEQUENCE_NODE)
                return fail_pos(L, at->file, at->line, col, kp, "cannot index %s", type_name(sq));
            ptrdiff_t len = sq->data.sequence.items.top - sq->data.sequence.items.start;
            if (ix >= (unsigned long)len)
                return fail_pos(L, at->file, at->line, col, kp,
                                "index %lu is past the end of the list (length %td)", ix, len);
            p = end + 1;
            if (p == eq) {
                sq->data.sequence.items.start[ix] = vid;
                return 0;
            }
            cur = sq->data.sequence.items.start[ix];
            c = elem;
            elem = DCS_SEC_NONE;
            continue;
        }
        if (p != set) {
            if (*p != '.')
                return fail_pos(L, at->file, at->line, col, full,
                                "malformed key path; expected . or [");
            p++;
            col++;
        }
        const char *q = p;
        while (q < eq && (*q == '_' || (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
                          (*q >= '0' && *q <= '9')))
            q++;
        if (q == p || q - p >= DCS_NAME_MAX)
            return fail_pos(L, at->file, at->line, col, full,
                            "malformed key path; expected a key name");
        char name[DCS_NAME_MAX];
        snprintf(name, sizeof name, "%.*s", (int)(q - p), p);
        char parent[PATH_LEN];
        snprintf(parent, sizeof parent, "%s", kp);
        join(kp, parent, name);
        bool last = q == eq, is_list = false;
        ctx cc = child_ctx(c, name, &is_list);
        yaml_node_t *mp = node_at(L, cur);
        if (mp->type != YAML_MAPPING_NODE)
            return fail_pos(L, at->file, at->line, col, kp, "cannot set a key inside %s",
                            type_name(mp));
        int found = 0;
        for (yaml_node_pair_t *pr = mp->data.mapping.pairs.start; pr < mp->data.mapping.pairs.top;
             pr++) {
            const yaml_node_t *k = node_at(L, pr->key);
            if (k->type == YAML_SCALAR_NODE &&
                strcmp((const char *)k->data.scalar.value, name) == 0) {
                if (last)
                    pr->value = vid;
                found = pr->value;
                break;
            }
        }
        if (found == 0) {
            const char *buf[KEYS_MAX];
            const char *const *known = keys_of(c, buf);
            if (known == NULL || !in_list(known, name)) {
                char msg[256] = "unknown key";
                if (known != NULL)
                    unknown_key_msg(msg, sizeof msg, known, name);
                return fail_pos(L, at->file, at->line, col, kp, "%s", msg);
            }
            int kid = yaml_document_add_scalar(&L->doc, NULL, (const yaml_char_t *)name, -1,
                                               YAML_PLAIN_SCALAR_STYLE);
            if (kid == 0 || (rc = note_origin(L, kid, at->file, at->line, col)))
                return kid == 0 ? dcs_err_set(L->err, DCS_ENOMEM, "out of memory") : rc;
            if (last) {
                found = vid;
            } else if (is_list) {
                found = yaml_document_add_sequence(&L->doc, NULL, YAML_BLOCK_SEQUENCE_STYLE);
            } else if (cc != DCS_SEC_NONE) {
                found = yaml_document_add_mapping(&L->doc, NULL, YAML_BLOCK_MAPPING_STYLE);
            } else {
                return fail_pos(L, at->file, at->line, at->path_col + (long)(q - set), kp,
                                "holds a single value, not keys or items");
            }
            if (found == 0 || (!last && (rc = note_origin(L, found, at->file, at->line, col))))
                return found == 0 ? dcs_err_set(L->err, DCS_ENOMEM, "out of memory") : rc;
            if (!yaml_document_append_mapping_pair(&L->doc, cur, kid, found))
                return dcs_err_set(L->err, DCS_ENOMEM, "out of memory applying --set");
        }
        if (last)
            return 0;
        cur = found;
        elem = is_list ? cc : DCS_SEC_NONE;
        c = is_list ? DCS_SEC_NONE : cc;
        p = q;
    }
    return 0;
}

/* Applies one --set "key.path=value" to the tree. */
static int apply_set(loader *L, const char *set)
{
    const char *eq = strchr(set, '=');
    if (eq == NULL || eq == set)
        return fail_pos(L, "--set", 1, 1, "", "expected key.path=value, got \"%.60s\"", set);
    char full[PATH_LEN];
    snprintf(full, sizeof full, "%.*s", (int)(eq - set), set);
    int vid = 0;
    int rc = set_value(L, full, eq + 1, (long)(eq - set) + 2, &vid);
    if (rc)
        return rc;
    override_at at = {"--set", 1, 1};
    return apply_path(L, &at, set, (size_t)(eq - set), vid);
}

/* Applies an override written in another file: its value becomes a new
 * scalar node whose origin is the value's position in that file. */
static int apply_override(loader *L, const dcs_override *o)
{
    if (o->path[0] == '\0')
        return fail_pos(L, o->file, o->path_line, o->path_col, "",
                        "malformed key path; expected a key name");
    yaml_scalar_style_t style =
        o->quoted ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_PLAIN_SCALAR_STYLE;
    int vid = yaml_document_add_scalar(&L->doc, NULL, (const yaml_char_t *)o->value, -1, style);
    if (vid == 0)
        return dcs_err_set(L->err, DCS_ENOMEM, "out of memory applying an override");
    int rc = note_origin(L, vid, o->file, o->line, o->col);
    if (rc)
        return rc;
    override_at at = {o->file, o->path_line, o->path_col};
    return apply_path(L, &at, o->path, strlen(o->path), vid);
}

/* ---- resolved YAML -------------------------------------------------------------------------- */

typedef struct outbuf {
    char *p;
    size_t len, cap;
    bool oom;
} outbuf;

static void put(outbuf *b, const char *fmt, ...) PRINTF_LIKE(2, 3);

static void put(outbuf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = true;
        return;
    }
    if ((size_t)n >= b->cap - b->len) {
        size_t cap = (b->len + (size_t)n + 1) * 2;
        char *p = realloc(b->p, cap);
        if (p == NULL) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
        va_start(ap, fmt);
        vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

/* Writes `s` as a YAML double-quoted scalar. */
static void put_str(outbuf *b, const char *s)
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
            put(b, "%c", *c);
    }
    put(b, "\"");
}

static bool same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* Writes `pre`, the shortest of %.15g, %.16g, %.17g that reads back as v
 * (so 2.99 stays "2.99"), `unit` and a newline. */
static void put_num(outbuf *b, const char *pre, double v, const char *unit)
{
    char num[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(num, sizeof num, "%.*g", prec, v);
        if (strtod(num, NULL) == v)
            break;
    }
    put(b, "%s%s%s\n", pre, num, unit);
}

/* Distribution d as its kind, `mean` (its mean, or the share it derives
 * from) with `unit`, and its shape where it has one. */
static void put_dist(outbuf *b, const char *kindkey, const char *meankey, const char *shapekey,
                     const dcs_dist *d, double mean, const char *unit)
{
    put(b, "    %s: %s\n", kindkey, dcs_names_dist[d->kind]);
    char pre[64];
    snprintf(pre, sizeof pre, "    %s: ", meankey);
    put_num(b, pre, mean, unit);
    if (d->kind == DCS_DIST_WEIBULL || d->kind == DCS_DIST_LOGNORMAL) {
        snprintf(pre, sizeof pre, "    %s: ", shapekey);
        put_num(b, pre, d->shape, "");
    }
}

/* The job in the form that derives its FLOPs again. */
static void emit_job(outbuf *b, const dcs_job_cfg *j)
{
    put(b, "job:\n  kind: %s\n", dcs_names_job_kind[j->kind]);
    if (j->mfu > 0.0 && j->ntypes == 0)
        put_num(b, "  mfu: ", j->mfu, "");
    if (j->ntypes > 0) {
        put(b, "  accelerators:\n");
        for (int i = 0; i < j->ntypes; i++) {
            put(b, "    - type: ");
            put_str(b, j->types[i].accel);
            put_num(b, "\n      mfu: ", j->types[i].mfu, "");
            put(b, "      accelerators_per_node: %" PRId64 "\n", j->types[i].accels_per_node);
        }
        put(b, "  choose: %s\n  switch:\n    policy: %s\n", dcs_names_choose[j->choose],
            dcs_names_switch_policy[j->sw.policy]);
        put_num(b, "    threshold: ", j->sw.threshold, "");
        put_num(b, "    check_every: ", j->sw.check_s, "s");
    }
    if (j->kind == DCS_JOB_ADAPTER || (j->kind == DCS_JOB_VISION && j->trainable_fraction != 1.0))
        put_num(b, "  trainable_fraction: ", j->trainable_fraction, "");
    if (j->shard_accels > 0 || j->activation_bytes > 0.0 || j->offload) {
        put(b, "  memory:\n");
        if (j->shard_accels > 0)
            put(b, "    sharded_over: %" PRId64 "\n", j->shard_accels);
        put_num(b, "    activations: ", j->activation_bytes, "B");
        put(b, "    offload: %s\n", j->offload ? "true" : "false");
    }
    if (j->parameters > 0.0) {
        put_num(b, "  parameters: ", j->parameters, "");
        if (!same_bits(j->active_parameters, j->parameters))
            put_num(b, "  active_parameters: ", j->active_parameters, "");
    }
    if (j->nstages > 0) {
        put(b, "  stages:\n");
        for (int i = 0; i < j->nstages; i++) {
            const dcs_stage_cfg *g = &j->stages[i];
            put(b, "    - name: ");
            put_str(b, g->name);
            put(b, "\n");
            if (g->accel_hours > 0.0) {
                put_num(b, "      accelerator_hours: ", g->accel_hours, "");
                continue;
            }
            if (g->tokens > 0.0)
                put_num(b, "      tokens: ", g->tokens, "");
            else
                put_num(b, "      flops: ", g->flops, "");
            put_num(b, "      mfu: ", g->mfu, "");
        }
        return;
    }
    if (j->kind == DCS_JOB_VISION && j->images > 0.0) {
        put_num(b, "  images: ", j->images, "");
        put_num(b, "  flops_per_image: ", j->flops_per_image, "");
        put_num(b, "  epochs: ", j->epochs, "");
    } else if (j->tokens > 0.0) {
        put_num(b, "  tokens: ", j->tokens, "");
        put_num(b, "  epochs: ", j->epochs, "");
    } else {
        put_num(b, "  flops: ", j->flops, "");
    }
}

/* The keys of one market, each line after `ind`. */
static void emit_market_keys(outbuf *b, const dcs_market_cfg *m, const char *ind)
{
    char pre[64];
#define K(key, v, unit)                                                                            \
    do {                                                                                           \
        snprintf(pre, sizeof pre, "%s" key ": ", ind);                                             \
        put_num(b, pre, v, unit);                                                                  \
    } while (0)
    K("reference_price_usd_per_hour", m->ref_price, "");
    K("price_floor_usd_per_hour", m->floor_price, "");
    if (isfinite(m->cap_price))
        K("price_cap_usd_per_hour", m->cap_price, "");
    K("elasticity", m->elasticity, "");
    K("initial_balance", m->balance, "");
    K("demand_growth", m->demand_growth, "");
    K("demand_noise_sd", m->demand_sd, "");
    K("demand_noise_timescale", m->demand_tau_s, "s");
    if (m->start_price > 0.0)
        K("start_price_usd_per_hour", m->start_price, "");
    K("jump_rate", m->jump_rate, "");
    put(b, "%sjump_target: %s\n", ind, dcs_names_jump_target[m->jump_target]);
    K("jump_log_mean", m->jump_log_mean, "");
    K("jump_log_sd", m->jump_log_sd, "");
    K("lead_time", m->lead_mean_s, "s");
    K("lead_time_sd", m->lead_sd_s, "s");
    K("supply_response", m->response, "");
    if (isfinite(m->capacity))
        K("manufacturing_capacity", m->capacity, "");
    K("capacity_growth", m->capacity_growth, "");
    K("retirement", m->retirement, "");
    if (m->ref_purchase > 0.0)
        K("reference_purchase_usd", m->ref_purchase, "");
    K("purchase_response", m->purchase_response, "");
    K("acquisition_time", m->acquisition_s, "s");
    K("replacement_time", m->replace_s, "s");
#undef K
}

/* market, procurement and costs, resolved. Shock starts are written as
 * durations after the start. */
static void emit_money(outbuf *b, const dcs_scenario *s)
{
    const dcs_market_cfg *m = &s->market;
    if (m->on) {
        put_num(b, "market:\n  step: ", m->step_s, "s");
        if (s->market_listed) {
            put_num(b, "  substitution:\n    elasticity: ", s->substitution.elasticity, "");
            put_num(b, "    timescale: ", s->substitution.tau_s, "s");
            put(b, "  types:\n");
            for (int i = 0; i < s->nmarket_types; i++) {
                const dcs_market_type_cfg *t = &s->market_types[i];
                put(b, "    - accelerator: ");
                put_str(b, t->accel);
                put(b, "\n");
                put_num(b, "      mfu: ", t->mfu, "");
                put_num(b, "      demand_units: ", t->demand_units, "");
                emit_market_keys(b, &t->m, "      ");
            }
        } else {
            emit_market_keys(b, m, "  ");
        }
        if (m->nshocks > 0)
            put(b, "  shocks:\n");
        for (int i = 0; i < m->nshocks; i++) {
            const dcs_shock_cfg *k = &m->shocks[i];
            put(b, "    - target: %s\n", dcs_names_shock_target[k->target]);
            put_num(b, "      factor: ", k->factor, "");
            put_num(b, "      start: ", k->start_s, "s");
            put_num(b, "      ramp: ", k->ramp_s, "s");
            if (isfinite(k->duration_s))
                put_num(b, "      duration: ", k->duration_s, "s");
            if (s->market_listed && k->types != (1u << s->nmarket_types) - 1u) {
                put(b, "      types:\n");
                for (int j = 0; j < s->nmarket_types; j++)
                    if (k->types & (1u << j)) {
                        put(b, "        - ");
                        put_str(b, s->market_types[j].accel);
                        put(b, "\n");
                    }
            }
        }
    }
    const dcs_procurement_cfg *p = &s->procurement;
    put(b, "procurement:\n  mode: %s\n", dcs_names_buy_mode[p->mode]);
    if (p->mode == DCS_BUY_MIXED)
        put(b, "  reserved_accelerators: %" PRId64 "\n", p->reserved_accels);
    if (p->mode == DCS_BUY_RESERVED || p->mode == DCS_BUY_MIXED) {
        put_num(b, "  discount: ", p->discount, "");
        put_num(b, "  term: ", p->term_s, "s");
    }
    if (p->mode == DCS_BUY_OWNED && p->depreciation_per_year > 0.0)
        put_num(b, "  depreciation_per_year: ", p->depreciation_per_year, "");
    if (p->mode == DCS_BUY_OWNED && !(p->depreciation_per_year > 0.0)) {
        put_num(b, "  lifetime: ", p->lifetime_s, "s");
        put_num(b, "  residual: ", p->residual, "");
    }
    if (p->mode == DCS_BUY_OWNED) {
        put_num(b, "  hosting_usd_per_accelerator_hour: ", p->hosting_usd_per_h, "");
        if (p->purchase_usd > 0.0)
            put_num(b, "  purchase_usd: ", p->purchase_usd, "");
        put_num(b, "  interconnect_share: ", p->interconnect_share, "");
    }
    put(b, "  energy_included: %s\n", p->energy_included ? "true" : "false");
    const dcs_costs_cfg *c = &s->costs;
    put_num(b, "costs:\n  storage_usd_per_tb_month: ", c->storage_usd_per_tb_month, "");
    if (c->energy_usd_per_accel_h > 0.0)
        put_num(b, "  energy_usd_per_accelerator_hour: ", c->energy_usd_per_accel_h, "");
    put_num(b, "  other_usd: ", c->other_usd, "");
    put_num(b, "  data:\n    acquisition_usd: ", c->data_usd, "");
    put_num(b, "    labels: ", c->labels, "");
    put_num(b, "    usd_per_label: ", c->usd_per_label, "");
    put_num(b, "    usd_per_label_sd: ", c->label_sd, "");
    put_num(b, "    storage: ", c->data_bytes, "B");
    put_num(b, "  staff:\n    team_size: ", c->team, "");
    put_num(b, "    loaded_usd_per_year: ", c->usd_per_person_year, "");
    put_num(b, "    research_usd: ", c->research_usd, "");
    put_num(b, "  processing:\n    data: ", c->processed_bytes, "B");
    put_num(b, "    usd_per_tb: ", c->processing_usd_per_tb, "");
    put_num(b, "  licences:\n    seats: ", c->licence_seats, "");
    put_num(b, "    usd_per_seat_year: ", c->usd_per_seat_year, "");
    put_num(b, "    usd_per_accelerator_hour: ", c->licence_usd_per_accel_h, "");
}

/* The energy model's sections, resolved (powers in W, temperatures in C). */
static void emit_energy(outbuf *b, const dcs_scenario *s)
{
    const dcs_power_cfg *p = &s->power;
    if (!p->on)
        return;
    /* training is left out where the ratio derives it, so that a ratio
     * given as a distribution still moves it. */
    put(b, "power:\n");
    const char *key = s->cluster.accel.key;
    double derived = dcs_power_training_fraction(key) * (p->server_ratio * s->cluster.accel.tdp_w);
    if (!(p->server_ratio > 0.0) || !same_bits(derived, p->training_w))
        put_num(b, "  training: ", p->training_w, "W");
    if (p->server_ratio > 0.0)
        put_num(b, "  server_to_chip_ratio: ", p->server_ratio, "");
    put_num(b, "  checkpointing: ", p->ckpt_w, "W");
    put_num(b, "  restarting: ", p->restart_w, "W");
    put_num(b, "  idle: ", p->idle_w, "W");
    put_num(b, "  step: ", p->step_s, "s");
    put_num(b, "  wue: ", p->wue_l_per_kwh, "");
    const dcs_cooling_cfg *c = &s->cooling;
    put(b, "cooling:\n  model: %s\n", dcs_names_cool_model[c->model]);
    if (c->model == DCS_COOL_PUE) {
        put_num(b, "  pue: ", c->pue, "");
    } else {
        put_num(b, "  chiller_efficiency: ", c->eta, "");
        put_num(b, "  supply_temperature: ", c->supply_c, "C");
        put_num(b, "  approach: ", c->approach_k, "");
        put_num(b, "  free_cooling_below: ", c->free_below_c, "C");
        put_num(b, "  free_cooling_fraction: ", c->free_fraction, "");
        put_num(b, "  facility_overhead: ", c->facility_frac, "");
    }
    put(b, "  units: %" PRId64 "\n", c->units);
    if (c->units > 0) {
        put_num(b, "  unit_capacity: ", c->unit_w, "W");
        put_num(b, "  design_temperature: ", c->design_c, "C");
        put_num(b, "  derate_per_kelvin: ", c->derate_per_k, "");
    }
    const dcs_weather_cfg *w = &s->weather;
    put(b, "weather:\n");
    if (w->nseries > 0) {
        put(b, "  csv: ");
        put_str(b, w->csv);
        put(b, "\n");
    } else {
        put_num(b, "  mean: ", w->mean_c, "C");
        put_num(b, "  seasonal_amplitude: ", w->seasonal_k, "");
        put_num(b, "  daily_amplitude: ", w->daily_k, "");
        put_num(b, "  hottest_day: ", w->hottest_day, "");
        put_num(b, "  hottest_hour: ", w->hottest_hour, "");
        put_num(b, "  noise_sd: ", w->noise_k, "");
        put_num(b, "  noise_timescale: ", w->noise_tau_s, "s");
    }
    const dcs_elec_cfg *e = &s->electricity;
    put(b, "electricity:\n  model: %s\n", dcs_names_price_model[e->model]);
    put_num(b, "  usd_per_kwh: ", e->usd_per_kwh, "");
    if (e->model == DCS_PRICE_TOU) {
        put(b, "  tou:\n");
        for (int i = 0; i < e->ntou; i++) {
            const dcs_tou_cfg *t = &e->tou[i];
            put(b, "    - hours: %d-%d\n      days: [", t->from_h, t->to_h);
            const char *sep = "";
            for (int d = 0; d < 7; d++)
                if (t->days >> d & 1) {
                    put(b, "%s%s", sep, day_names[d]);
                    sep = ", ";
                }
            put_num(b, "]\n      usd_per_kwh: ", t->usd_per_kwh, "");
        }
    } else if (e->model == DCS_PRICE_STOCHASTIC) {
        put_num(b, "  seasonal_amplitude: ", e->seasonal, "");
        put_num(b, "  peak_day: ", e->peak_day, "");
        put_num(b, "  noise_sd: ", e->noise_sd, "");
        put_num(b, "  noise_timescale: ", e->noise_tau_s, "s");
    }
    const dcs_carbon_cfg *ca = &s->carbon;
    put(b, "carbon:\n");
    if (ca->nseries > 0) {
        put(b, "  csv: ");
        put_str(b, ca->csv);
        put(b, "\n");
    } else if (ca->nhourly == 24) {
        put(b, "  hourly: [");
        for (int i = 0; i < 24; i++)
            put(b, "%s%.17g", i == 0 ? "" : ", ", ca->hourly[i]);
        put(b, "]\n");
    } else {
        put_num(b, "  kg_per_kwh: ", ca->kg_per_kwh, "");
    }
}

/* The scenario's own catalog, whole and inline (a file's entries too), so
 * that the resolved text alone runs again. */
static void emit_catalog(outbuf *b, const dcs_user_catalog *uc)
{
    if (uc->naccels == 0)
        return;
    static const char *const units[DCS_ACCEL_FIGURES] = {"", "B", "W", "", ""};
    put(b, "catalog:\n  accelerators:\n");
    for (int i = 0; i < uc->naccels; i++) {
        const dcs_user_accel *u = &uc->accels[i];
        put(b, "    - key: ");
        put_str(b, u->accel.key);
        put(b, "\n      name: ");
        put_str(b, u->accel.name);
        put(b, "\n      format: %s\n", dcs_names_num_format[u->format]);
        dcs_accel a = u->accel;
        for (int f = 0; f < DCS_ACCEL_FIGURES; f++) {
            char pre[64];
            snprintf(pre, sizeof pre, "      %s: ", figure_keys[f]);
            double v = *figure_field(&a, f);
            if (isnan(v))
                put(b, "%sn/a\n", pre);
            else
                put_num(b, pre, v, units[f]);
        }
        put(b, "      sources:\n");
        for (int f = 0; f < DCS_ACCEL_FIGURES; f++) {
            put(b, "        %s: ", figure_keys[f]);
            put_str(b, u->sources[f]);
            put(b, "\n");
        }
    }
}

static int emit(const dcs_scenario *s, char **text, dcs_err *err)
{
    outbuf b = {malloc(4096), 0, 4096, false};
    if (b.p == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory writing the resolved scenario");
    b.p[0] = '\0';
    put(&b, "name: ");
    put_str(&b, s->name);
    if (s->description[0] != '\0') {
        put(&b, "\ndescription: ");
        put_str(&b, s->description);
    }
    if (s->sources[0] != '\0') {
        put(&b, "\nsources:\n");
        char line[sizeof s->sources];
        for (const char *p = s->sources;;) {
            size_t n = strcspn(p, "\n");
            snprintf(line, sizeof line, "%.*s", (int)n, p);
            put(&b, "  - ");
            put_str(&b, line);
            put(&b, "\n");
            if (p[n] == '\0')
                break;
            p += n + 1;
        }
    } else {
        put(&b, "\n");
    }
    emit_catalog(&b, &s->catalog);
    const dcs_cluster_cfg *c = &s->cluster;
    const dcs_accel *cat = find_accel(&s->catalog, c->accel.key);
    put(&b, "cluster:\n  accelerator: ");
    put_str(&b, c->accel.key);
    put(&b, "\n");
    if (cat != NULL) {
        bool any = !same_bits(cat->peak_flops, c->accel.peak_flops) ||
                   !same_bits(cat->memory_bytes, c->accel.memory_bytes) ||
                   !same_bits(cat->tdp_w, c->accel.tdp_w) ||
                   !same_bits(cat->purchase_usd, c->accel.purchase_usd) ||
                   !same_bits(cat->rental_usd_per_h, c->accel.rental_usd_per_h);
        if (any)
            put(&b, "  accelerator_overrides:\n");
        if (!same_bits(cat->peak_flops, c->accel.peak_flops))
            put_num(&b, "    peak_flops: ", c->accel.peak_flops, "");
        if (!same_bits(cat->memory_bytes, c->accel.memory_bytes))
            put_num(&b, "    memory: ", c->accel.memory_bytes, "B");
        if (!same_bits(cat->tdp_w, c->accel.tdp_w))
            put_num(&b, "    tdp: ", c->accel.tdp_w, "W");
        if (!same_bits(cat->purchase_usd, c->accel.purchase_usd))
            put_num(&b, "    purchase_usd: ", c->accel.purchase_usd, "");
        if (!same_bits(cat->rental_usd_per_h, c->accel.rental_usd_per_h))
            put_num(&b, "    rental_usd_per_hour: ", c->accel.rental_usd_per_h, "");
    }
    put(&b,
        "  nodes: %" PRId64 "\n  accelerators_per_node: %" PRId64 "\n  spare_nodes: %" PRId64 "\n",
        c->nodes, c->accels_per_node, c->spare_nodes);
    put_num(&b, "  price_usd_per_accelerator_hour: ", c->price_usd_per_accel_h, "");
    put(&b, "  bill_spares: %s\n", c->bill_spares ? "true" : "false");
    put_num(&b, "  swap_time: ", c->swap_s, "s");
    if (c->nodes_per_switch > 0)
        put(&b, "  nodes_per_switch: %" PRId64 "\n", c->nodes_per_switch);
    put(&b, "  repair_capacity: %" PRId64 "\n", c->repair_capacity);
    put(&b, "  on_no_spare: %s\n", dcs_names_no_spare[c->on_no_spare]);
    if (c->on_no_spare == DCS_NO_SPARE_SHRINK)
        put(&b, "  min_nodes: %" PRId64 "\n", c->min_nodes);

    emit_job(&b, &s->job);

    const dcs_ckpt_cfg *k = &s->checkpoint;
    put(&b, "checkpoint:\n  policy: %s\n", dcs_names_policy[k->policy]);
    if (k->policy == DCS_CKPT_FIXED)
        put_num(&b, "  interval: ", k->interval_s, "s");
    if (k->size_bytes > 0.0 && !same_bits(k->size_bytes, derived_ckpt_size(s)))
        put_num(&b, "  size: ", k->size_bytes, "B");
    put_num(&b, "  bytes_per_parameter: ", k->bytes_per_param, "");
    if (k->write_bps > 0.0)
        put_num(&b, "  write_bandwidth: ", k->write_bps, "B/s");
    if (k->read_bps > 0.0)
        put_num(&b, "  read_bandwidth: ", k->read_bps, "B/s");
    put_num(&b, "  overhead: ", k->write_overhead_s, "s");
    put(&b, "  final: %s\n  mode: %s\n", k->final ? "true" : "false", dcs_names_ckpt_mode[k->mode]);
    if (k->mode == DCS_CKPT_ASYNC)
        put_num(&b, "  snapshot_time: ", k->snapshot_s, "s");
    put(&b, "  retain: %" PRId64 "\n", k->retain);
    if (k->mem_interval_s > 0.0) {
        put_num(&b, "  memory:\n    interval: ", k->mem_interval_s, "s");
        if (k->mem_write_bps > 0.0)
            put_num(&b, "    write_bandwidth: ", k->mem_write_bps, "B/s");
        if (k->mem_read_bps > 0.0)
            put_num(&b, "    read_bandwidth: ", k->mem_read_bps, "B/s");
        put_num(&b, "    overhead: ", k->mem_overhead_s, "s");
    }
    put(&b, "restart:\n");
    put_num(&b, "  overhead: ", s->restart.overhead_s, "s");
    put_num(&b, "  warmup: ", s->restart.warmup_s, "s");

    put(&b, "failures:%s\n", s->nfailures == 0 ? " []" : "");
    for (int i = 0; i < s->nfailures; i++) {
        const dcs_failure_cfg *f = &s->failures[i];
        put(&b, "  - name: ");
        put_str(&b, f->name);
        put(&b, "\n    scope: %s\n    action: %s\n", dcs_names_scope[f->scope],
            dcs_names_action[f->action]);
        if (f->action == DCS_ACTION_PLANNED && f->ttf.kind == DCS_DIST_EXPONENTIAL) {
            put_num(&b, "    mtbf: ", f->ttf.mean_s, "s");
            put_num(&b, "    duration: ", f->repair.mean_s, "s");
        } else if (f->action == DCS_ACTION_PLANNED) {
            put_num(&b, "    every: ", f->ttf.mean_s, "s");
            put_num(&b, "    first: ", f->first_s, "s");
            put_num(&b, "    duration: ", f->repair.mean_s, "s");
        } else {
            put_dist(&b, "distribution", f->share > 0.0 ? "share" : "mtbf", "shape", &f->ttf,
                     f->share > 0.0 ? f->share : f->ttf.mean_s, f->share > 0.0 ? "" : "s");
            put_num(&b, "    detection: ", f->detect_s, "s");
        }
        if (f->action == DCS_ACTION_SLOW)
            put_num(&b, "    speed: ", f->speed, "");
        if (f->action == DCS_ACTION_SWAP || f->action == DCS_ACTION_SLOW)
            put_dist(&b, "repair_distribution", "repair_time", "repair_shape", &f->repair,
                     f->repair.mean_s, "s");
        if (f->source[0] != '\0') {
            put(&b, "    source: ");
            put_str(&b, f->source);
            put(&b, "\n");
        }
    }
    const dcs_failure_total_cfg *ft = &s->failure_total;
    if (ft->per_day > 0.0)
        put_num(&b, "failure_total:\n  interruptions_per_day: ", ft->per_day, "");
    else if (ft->mtti_s > 0.0)
        put_num(&b, "failure_total:\n  mtti: ", ft->mtti_s, "s");
    if ((ft->per_day > 0.0 || ft->mtti_s > 0.0) && ft->source[0] != '\0') {
        put(&b, "  source: ");
        put_str(&b, ft->source);
        put(&b, "\n");
    }
    emit_energy(&b, s);
    emit_money(&b, s);
    if (s->targets.budget_usd > 0.0 || s->targets.deadline_s > 0.0) {
        put(&b, "targets:\n");
        if (s->targets.budget_usd > 0.0)
            put_num(&b, "  budget_usd: ", s->targets.budget_usd, "");
        if (s->targets.deadline_s > 0.0)
            put_num(&b, "  deadline: ", s->targets.deadline_s, "s");
    }
    put(&b, "simulation:\n  seed: %" PRIu64 "\n  replications: %" PRId64 "\n", s->sim.seed,
        s->sim.replications);
    put_num(&b, "  max_time: ", s->sim.max_time_s, "s");
    int y, mo, d, h, mi;
    dcs_civil(s->sim.start_s, &y, &mo, &d, &h, &mi);
    put(&b, "  start: %04d-%02d-%02dT%02d:%02d\n", y, mo, d, h, mi);
    put(&b, "  engine: %s\n", dcs_names_engine[s->sim.engine]);
    if (s->sim.allow_no_progress)
        put(&b, "  allow_no_progress: true\n");
    if (b.oom) {
        free(b.p);
        return dcs_err_set(err, DCS_ENOMEM, "out of memory writing the resolved scenario");
    }
    *text = b.p;
    return 0;
}

/* ---- resolved YAML: distributions ------------------------------------------------------------ */

/* Writes number v (shortest form) and its unit. */
static void put_value(outbuf *b, double v, const char *unit)
{
    char num[40];
    shortest(num, sizeof num, v);
    put(b, "%s%s", num, unit);
}

/* Writes u's distribution as a YAML flow mapping. */
static void put_udist(outbuf *b, const dcs_uncertain *u)
{
    const dcs_udist *d = &u->d;
    const char *un = u->unit;
    put(b, "{dist: %s", dcs_ud_names[d->kind]);
    switch (d->kind) {
    case DCS_UD_FIXED:
        put(b, ", value: ");
        put_value(b, d->a, un);
        break;
    case DCS_UD_UNIFORM:
        put(b, ", min: ");
        put_value(b, d->a, un);
        put(b, ", max: ");
        put_value(b, d->c, un);
        break;
    case DCS_UD_TRIANGULAR:
    case DCS_UD_PERT:
        put(b, ", min: ");
        put_value(b, d->a, un);
        put(b, ", mode: ");
        put_value(b, d->b, un);
        put(b, ", max: ");
        put_value(b, d->c, un);
        break;
    case DCS_UD_NORMAL:
        put(b, ", mean: ");
        put_value(b, d->a, un);
        put(b, ", sd: ");
        put_value(b, d->b, un);
        break;
    case DCS_UD_LOGNORMAL:
        put(b, d->form == DCS_LN_MEAN_SD ? ", mean: " : ", median: ");
        put_value(b, d->a, un);
        put(b, d->form == DCS_LN_MEAN_SD      ? ", sd: "
               : d->form == DCS_LN_MEDIAN_P95 ? ", p95: "
                                              : ", p05: ");
        put_value(b, d->b, un);
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
            put_value(b, d->weights[i], "");
        }
        put(b, "]");
        break;
    case DCS_UD_EMPIRICAL:
        put(b, ", values: [");
        for (int i = 0; i < d->nvalues; i++) {
            put(b, "%s", i ? ", " : "");
            put_value(b, d->values[i], un);
        }
        put(b, "]");
        break;
    case DCS_UD_NKINDS:
        break;
    }
    put(b, "}");
}

/* The node at key path `path` ("failures[1].mtbf") under mapping `root` of
 * document doc, or NULL; *key_node is the key of its pair. */
static yaml_node_t *node_by_path(yaml_document_t *doc, int root, const char *path,
                                 yaml_node_t **key_node)
{
    yaml_node_t *n = yaml_document_get_node(doc, root);
    const char *p = path;
    *key_node = NULL;
    while (n != NULL && *p != '\0') {
        if (*p == '[') {
            char *end = NULL;
            long ix = strtol(p + 1, &end, 10);
            if (n->type != YAML_SEQUENCE_NODE || *end != ']' || ix < 0 ||
                ix >= n->data.sequence.items.top - n->data.sequence.items.start)
                return NULL;
            n = yaml_document_get_node(doc, n->data.sequence.items.start[ix]);
            p = end + 1;
            continue;
        }
        if (*p == '.')
            p++;
        size_t len = strcspn(p, ".[");
        if (n->type != YAML_MAPPING_NODE)
            return NULL;
        yaml_node_t *next = NULL;
        for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
             pr++) {
            yaml_node_t *k = yaml_document_get_node(doc, pr->key);
            if (k != NULL && k->type == YAML_SCALAR_NODE && k->data.scalar.length == len &&
                strncmp((const char *)k->data.scalar.value, p, len) == 0) {
                next = yaml_document_get_node(doc, pr->value);
                *key_node = k;
                break;
            }
        }
        n = next;
        p += len;
    }
    return n;
}

typedef struct splice {
    size_t from, to; /* the span of the emitted text replaced */
    const dcs_uncertain *u;
    const char *key; /* NULL: the value only; else "key: " is written before it */
} splice;

/* Puts every distribution of s in the place of its nominal value in the
 * resolved text *text (emit's): a key the text holds in another form
 * (annual_failure_rate and failures_per_1000_unit_days, written as mtbf)
 * replaces that form. A key the text does not hold at all keeps its nominal
 * value there. */
static int emit_dists(const dcs_scenario *s, char **text, dcs_err *err)
{
    yaml_parser_t p;
    yaml_document_t doc;
    splice sp[DCS_MAX_UNCERTAIN];
    int nsp = 0;
    if (!yaml_parser_initialize(&p))
        return dcs_err_set(err, DCS_ENOMEM, "out of memory writing the resolved scenario");
    yaml_parser_set_input_string(&p, (const unsigned char *)*text, strlen(*text));
    if (!yaml_parser_load(&p, &doc)) {
        yaml_parser_delete(&p);
        return dcs_err_set(err, DCS_ESTATE, "the resolved scenario does not parse");
    }
    for (int i = 0; i < s->nuncertain; i++) {
        const dcs_uncertain *u = &s->uncertain[i];
        if (u->set)
            continue;
        yaml_node_t *k = NULL, *v = node_by_path(&doc, 1, u->path, &k);
        const char *leaf = strrchr(u->path, '.');
        leaf = leaf != NULL ? leaf + 1 : u->path;
        if (v == NULL && (strcmp(leaf, "annual_failure_rate") == 0 ||
                          strcmp(leaf, "failures_per_1000_unit_days") == 0)) {
            char mp[PATH_LEN];
            snprintf(mp, sizeof mp, "%.*s.mtbf", (int)(leaf - 1 - u->path), u->path);
            v = node_by_path(&doc, 1, mp, &k);
            if (v != NULL && k != NULL)
                sp[nsp++] = (splice){k->start_mark.index, v->end_mark.index, u, leaf};
            continue;
        }
        if (v != NULL && v->type == YAML_SCALAR_NODE)
            sp[nsp++] = (splice){v->start_mark.index, v->end_mark.index, u, NULL};
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&p);
    /* in text order */
    for (int i = 1; i < nsp; i++)
        for (int j = i; j > 0 && sp[j - 1].from > sp[j].from; j--) {
            splice t = sp[j];
            sp[j] = sp[j - 1];
            sp[j - 1] = t;
        }
    outbuf b = {malloc(4096), 0, 4096, false};
    if (b.p == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory writing the resolved scenario");
    b.p[0] = '\0';
    size_t at = 0;
    for (int i = 0; i < nsp; i++) {
        put(&b, "%.*s", (int)(sp[i].from - at), *text + at);
        if (sp[i].key != NULL)
            put(&b, "%s: ", sp[i].key);
        put_udist(&b, sp[i].u);
        at = sp[i].to;
    }
    put(&b, "%s", *text + at);
    if (b.oom) {
        free(b.p);
        return dcs_err_set(err, DCS_ENOMEM, "out of memory writing the resolved scenario");
    }
    free(*text);
    *text = b.p;
    return 0;
}

/* Appends uncertain.correlation to the resolved text *text (a top-level
 * key of its own, so it is written whatever the emitter above wrote). */
static int emit_correlation(const dcs_correlation *c, char **text, dcs_err *err)
{
    outbuf b = {malloc(4096), 0, 4096, false};
    if (b.p == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory writing the resolved scenario");
    b.p[0] = '\0';
    put(&b, "%suncertain:\n  correlation:\n    keys: [", *text);
    for (int i = 0; i < c->n; i++)
        put(&b, "%s\"%s\"", i > 0 ? ", " : "", c->keys[i]);
    put(&b, "]\n    matrix:\n");
    for (int i = 0; i < c->n; i++) {
        put(&b, "      - [");
        for (int j = 0; j < c->n; j++) {
            char num[32];
            shortest(num, sizeof num, c->m[i][j]);
            put(&b, "%s%s", j > 0 ? ", " : "", num);
        }
        put(&b, "]\n");
    }
    if (b.oom) {
        free(b.p);
        return dcs_err_set(err, DCS_ENOMEM, "out of memory writing the resolved scenario");
    }
    free(*text);
    *text = b.p;
    return 0;
}

/* ---- entry points --------------------------------------------------------------------------- */

/* Places an error at the key path `path` ("failures[2].mtbf"): its value,
 * or where the path leaves the document, the nearest section or list item
 * above it that is there (the scenario itself at worst). */
static void where_key(loader *L, const char *path)
{
    const yaml_node_t *n = node_at(L, L->root), *found = n;
    const char *p = path;
    while (n != NULL && *p != '\0') {
        if (*p == '.') {
            p++;
            continue;
        }
        if (*p == '[') {
            char *end;
            long i = strtol(p + 1, &end, 10);
            p = *end == ']' ? end + 1 : end;
            ptrdiff_t count = n->type == YAML_SEQUENCE_NODE
                                  ? n->data.sequence.items.top - n->data.sequence.items.start
                                  : 0;
            n = i >= 0 && i < count ? node_at(L, n->data.sequence.items.start[i]) : NULL;
        } else {
            char seg[PATH_LEN];
            size_t len = strcspn(p, ".[");
            snprintf(seg, sizeof seg, "%.*s", (int)len, p);
            p += len;
            n = n->type == YAML_MAPPING_NODE ? lookup(L, n, seg) : NULL;
        }
        if (n != NULL)
            found = n;
    }
    if (found != NULL)
        where_node(L, found);
    else
        dcs_err_where(L->err, L->file, 1, 1);
}

static int yaml_error(loader *L, const yaml_parser_t *p)
{
    if (p->error == YAML_MEMORY_ERROR)
        return dcs_err_set(L->err, DCS_ENOMEM, "out of memory parsing YAML");
    dcs_err_set(L->err, DCS_EINPUT, "%s%s%s", p->problem ? p->problem : "invalid YAML",
                p->context ? " " : "", p->context ? p->context : "");
    dcs_err_where(L->err, L->file, (long)p->problem_mark.line + 1,
                  (long)p->problem_mark.column + 1);
    return DCS_EINPUT;
}

static int load_text(const dcs_scenario_input *in, dcs_scenario *out, char **resolved_yaml,
                     dcs_err *err)
{
    loader L;
    memset(&L, 0, sizeof L);
    L.file = in->name;
    L.root = 1;
    L.err = err;
    dcs_err_clear(err);
    if (resolved_yaml != NULL)
        *resolved_yaml = NULL;
    int rc0 = dcs_input_check_yaml(in->text, in->len, in->name, 0, 0, err);
    if (rc0 != 0)
        return rc0;
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return dcs_err_set(err, DCS_ENOMEM, "out of memory parsing YAML");
    yaml_parser_set_input_string(&p, (const unsigned char *)in->text, in->len);
    if (!yaml_parser_load(&p, &L.doc)) {
        int rc = yaml_error(&L, &p);
        yaml_parser_delete(&p);
        return rc;
    }
    int rc = 0;
    dcs_scenario *s = NULL;
    /* A second document in the same file is refused rather than ignored. */
    yaml_document_t extra;
    if (!yaml_parser_load(&p, &extra)) {
        rc = yaml_error(&L, &p);
        goto done;
    }
    const yaml_node_t *xr = yaml_document_get_root_node(&extra);
    if (xr != NULL) {
        dcs_err_set(err, DCS_EINPUT, "the file holds more than one YAML document");
        dcs_err_where(err, in->name, (long)xr->start_mark.line + 1,
                      (long)xr->start_mark.column + 1);
        rc = DCS_EINPUT;
    }
    yaml_document_delete(&extra);
    if (rc)
        goto done;
    if (in->root_key != NULL) {
        /* An inline scenario: the value of a top-level key of another file. */
        const yaml_node_t *top = node_at(&L, 1);
        const yaml_node_t *r = lookup(&L, top, in->root_key);
        if (r == NULL) {
            rc = fail_at(&L, top, in->root_key, "missing required key");
            dcs_err_where(err, in->name, 1, 1);
            goto done;
        }
        L.root = node_id(&L, r);
    }
    /* A file that is not a mapping is the file's fault, not an override's
     * (-n and --seed are overrides too, given or not by --set). */
    const yaml_node_t *r0 = node_at(&L, L.root);
    if (r0 != NULL && r0->type != YAML_MAPPING_NODE && (in->nsets > 0 || in->noverrides > 0)) {
        rc = fail_at(&L, r0, "", "expected a mapping of scenario keys, got %s",
                     dcs_yaml_is_null(r0) ? "no value" : type_name(r0));
        goto done;
    }
    if (r0 != NULL && r0->type == YAML_MAPPING_NODE &&
        (rc = walk_leaves(&L, L.root, DCS_SEC_TOP, "", collect_dist)))
        goto done;
    for (size_t i = 0; i < in->nsets && node_at(&L, L.root) != NULL; i++)
        if ((rc = apply_set(&L, in->sets[i])))
            goto done;
    for (size_t i = 0; i < in->noverrides && node_at(&L, L.root) != NULL; i++)
        if ((rc = apply_override(&L, &in->overrides[i])))
            goto done;
    if (in->paths_only)
        goto done;
    s = calloc(1, sizeof *s);
    if (s == NULL) {
        rc = dcs_err_set(err, DCS_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = read_correlation(&L, &s->correlation)))
        goto done;
    if (L.ndist > 0) {
        L.unc = s->uncertain;
        L.draw = in->draw;
        L.draw_seed = in->draw_seed;
        L.draw_rep = in->draw_rep;
        if (L.draw && (L.rng = dcs_rng_create(err)) == NULL) {
            rc = err->code;
            goto done;
        }
        L.corr = dcs_corr_active(&s->correlation) ? &s->correlation : NULL;
        if (L.draw && L.corr != NULL &&
            (rc = dcs_corr_uniforms(L.corr, L.rng, L.draw_seed, L.draw_rep, L.cu, err)))
            goto done;
        if ((rc = walk_leaves(&L, L.root, DCS_SEC_TOP, "", resolve_dist)))
            goto done;
    }
    if ((rc = read_scenario(&L, s)))
        goto done;
    s->nuncertain = L.ndist;
    if ((rc = dcs_scenario_check_runnable(s, err))) {
        where_key(&L, err->key);
        goto done;
    }
    if (resolved_yaml != NULL && (rc = emit(s, resolved_yaml, err)))
        goto done;
    if (resolved_yaml != NULL && s->nuncertain > 0 && (rc = emit_dists(s, resolved_yaml, err)))
        goto done;
    if (resolved_yaml != NULL && s->correlation.n > 0 &&
        (rc = emit_correlation(&s->correlation, resolved_yaml, err)))
        goto done;
    if (out != NULL)
        memcpy(out, s, sizeof *s);
done:
    if (L.rng != NULL)
        gsl_rng_free(L.rng);
    free(s);
    free(L.orig);
    yaml_document_delete(&L.doc);
    yaml_parser_delete(&p);
    return rc;
}

int dcs_scenario_load_input(const dcs_scenario_input *in, dcs_scenario *out, char **resolved_yaml,
                            dcs_err *err)
{
    return load_text(in, out, resolved_yaml, err);
}

int dcs_scenario_load_string(const char *text, const char *name, const char *const *sets,
                             size_t nsets, dcs_scenario *out, char **resolved_yaml, dcs_err *err)
{
    dcs_scenario_input in = {
        .text = text, .len = strlen(text), .name = name, .sets = sets, .nsets = nsets};
    return load_text(&in, out, resolved_yaml, err);
}

int dcs_scenario_read_file(const char *path, char **text, size_t *len, dcs_err *err)
{
    return dcs_input_read_file(path, "a scenario file", text, len, err);
}

int dcs_scenario_load(const char *path, const char *const *sets, size_t nsets, dcs_scenario *out,
                      char **resolved_yaml, dcs_err *err)
{
    dcs_err_clear(err);
    if (resolved_yaml != NULL)
        *resolved_yaml = NULL;
    char *buf = NULL;
    size_t len = 0;
    int rc = dcs_scenario_read_file(path, &buf, &len, err);
    if (rc == 0) {
        dcs_scenario_input in = {
            .text = buf, .len = len, .name = path, .sets = sets, .nsets = nsets};
        rc = load_text(&in, out, resolved_yaml, err);
    }
    free(buf);
    return rc;
}

void dcs_scenario_suggest_key(char *dst, size_t n, const char *const *known, const char *key)
{
    unknown_key_msg(dst, n, known, key);
}
