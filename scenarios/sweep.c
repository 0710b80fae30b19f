/*
 * sweep.c - sweep files to expanded, validated points.
 *
 * The sweep file is parsed with libyaml's document API, so that every value
 * keeps its line and column. Its set and design are read into blocks, each
 * a list of rows of (key path, value) overrides: a grid's rows are the
 * combinations of its lists (mixed radix, last key fastest), a zip's the
 * positions of its lists, a variant block's its variants, a sampled block's
 * its points (Latin hypercube on a Philox stream keyed by the block's seed,
 * or GSL's Sobol sequence, each value written in the unit of the range's low
 * end with round-trip precision); the sweep's set is one unlabelled row.
 * Point p is one row of each block (mixed radix, last block fastest). Only
 * its label is stored: its overrides are recomputed from p, and its
 * scenario is loaded on demand from the base text by the scenario loader,
 * each override carrying its position in the sweep file so that a bad value
 * is reported there. Loading checks the sweep's own keys, the base with the
 * command's --set, every key path alone, both ends of every range alone,
 * then every point (naming it); the first error wins and nothing is kept.
 */
#include "sweep.h"

#include "../sim/rng.h"
#include "input_limits.h"
#include "load.h"
#include "units.h"
#include "yamlnode.h"

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <yaml.h>

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Key paths in messages; longer ones are cut (as in load.c). */
#define PATH_LEN 128

/* The kind of a value: text (a name, true/false), a plain number, or else
 * a quantity of the dcs_dim of that value. */
enum { KIND_TEXT = -2, KIND_NUMBER = -1 };

/* LHS draws come from stream 0 of replication 0 under the block's seed:
 * a design generator of its own, separate from any simulation stream. */
#define LHS_REPLICATION 0
#define LHS_STREAM      0

/* One value a block gives a key: as written in the file, or sampled. */
typedef struct sval {
    char *text;     /* as applied; owned */
    char *label;    /* shortened for labels (sampled values); owned, NULL: text */
    bool quoted;    /* written quoted */
    long line, col; /* 1-based position: the value, or the range it was drawn from */
    int kind;       /* KIND_TEXT, KIND_NUMBER or a dcs_dim */
    double si;      /* the value in SI units (a percentage as a fraction); NAN for text */
} sval;

/* A key path of a block with its values (a grid's or zip's list, one per
 * point of a sampled block, one for a variant). */
typedef struct bkey {
    size_t key;     /* index into the sweep's distinct keys */
    long line, col; /* 1-based position of the path's first character */
    sval *vals;     /* [nvals]; owned */
    size_t nvals;
    size_t stride;   /* row r uses vals[(r / stride) % nvals] */
    sval ends[2];    /* sampled blocks: the range's low and high ends */
    long range_line; /* sampled blocks: position of the range, */
    long range_col;  /* where a sampled value is reported */
    bool sampled;
} bkey;

typedef struct variant {
    char *label; /* owned */
    bkey *set;   /* [nset], one value each; owned */
    size_t nset;
} variant;

typedef enum { B_GRID, B_ZIP, B_VARIANTS, B_LHS, B_SOBOL, B_SALTELLI } bkind;

static const char *const block_names[] = {"grid",  "zip",      "variants", "lhs",
                                          "sobol", "saltelli", NULL};

typedef struct block {
    bkind kind;
    size_t nrows;
    size_t stride; /* point p uses row (p / stride) % nrows */
    bkey *keys;    /* grid, zip, lhs, sobol: [nkeys]; owned */
    size_t nkeys;
    variant *vars; /* variants: [nvars]; owned */
    size_t nvars;
} block;

struct dcs_sweep {
    char name[DCS_NAME_MAX];
    char *file;          /* the sweep file's name in messages */
    char *text;          /* the sweep file's text */
    char *base_name;     /* the base scenario's file name in messages */
    char *base_text;     /* the base's text (the sweep's text for an inline base) */
    size_t base_len;     /* bytes of base_text */
    const char *root;    /* "base" for an inline base, else NULL */
    char **sets;         /* the command's --set, copied */
    size_t nsets;        /* number of sets */
    char *base_resolved; /* resolved YAML of base + sets */
    dcs_parsed *parsed;  /* base + sets, parsed once: every point is built from it */
    char **keys;         /* distinct varied key paths, in order of first appearance */
    size_t nkeys, capkeys;
    block *blocks; /* [nblocks] */
    size_t nblocks;
    bool has_set;     /* blocks[0] is the sweep's set */
    size_t maxovr;    /* most overrides of one point */
    size_t npoints;   /* product of the blocks' rows */
    char *labels;     /* every point's label, NUL-terminated, back to back */
    size_t *label_at; /* [npoints]: offset of point p's label in labels */
};

/* ---- YAML helpers --------------------------------------------------------------------------- */

typedef struct parser {
    yaml_document_t doc;
    const char *file;
    dcs_err *err;
    bool in_design; /* reading the design's blocks (not the sweep's own set) */
} parser;

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

static const yaml_node_t *node_at(const parser *P, int id)
{
    if (id < 1 || P->doc.nodes.start + id > P->doc.nodes.top)
        return NULL;
    return P->doc.nodes.start + (id - 1);
}

static long line_of(const yaml_node_t *n)
{
    return (long)n->start_mark.line + 1;
}

static long col_of(const yaml_node_t *n)
{
    return (long)n->start_mark.column + 1;
}

static void keypath(char *dst, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* Formats a key path into dst (PATH_LEN bytes); a longer one is cut, which
 * only shortens a message. */
static void keypath(char *dst, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, PATH_LEN, fmt, ap);
    va_end(ap);
}

static int fail(parser *P, const yaml_node_t *n, const char *key, const char *fmt, ...)
    PRINTF_LIKE(4, 5);

/* Records an input error about node n of the sweep file, at key path key. */
static int fail(parser *P, const yaml_node_t *n, const char *key, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    dcs_err_set(P->err, DCS_EINPUT, "%s", msg);
    if (n != NULL)
        dcs_err_where(P->err, P->file, line_of(n), col_of(n));
    dcs_err_key(P->err, key);
    return DCS_EINPUT;
}

static int oom(dcs_err *err)
{
    return dcs_err_set(err, DCS_ENOMEM, "out of memory loading the sweep");
}

/* "a mapping", "a list", "a scalar" or "no value", for messages. */
static const char *what(const yaml_node_t *n)
{
    if (n->type == YAML_MAPPING_NODE)
        return "a mapping";
    if (n->type == YAML_SEQUENCE_NODE)
        return "a list";
    return dcs_yaml_is_null(n) ? "no value" : "a scalar";
}

static size_t nitems(const yaml_node_t *n)
{
    return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

static size_t npairs(const yaml_node_t *n)
{
    return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
}

/* The text of a scalar that is not null and holds no NUL character. */
static int scalar_text(parser *P, const yaml_node_t *n, const char *key, const char *want,
                       const char **text)
{
    *text = "";
    if (n->type != YAML_SCALAR_NODE || dcs_yaml_is_null(n))
        return fail(P, n, key, "expected %s, got %s", want, what(n));
    const char *v = (const char *)n->data.scalar.value;
    if (strlen(v) != n->data.scalar.length)
        return fail(P, n, key, "contains a NUL character");
    *text = v;
    return 0;
}

/* Checks that every key of mapping map is a scalar, known (when known is
 * not NULL) and given once; path is the mapping's own key path. */
static int check_keys(parser *P, const yaml_node_t *map, const char *path, const char *const *known)
{
    for (const yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        const yaml_node_t *k = node_at(P, p->key);
        if (k->type != YAML_SCALAR_NODE || dcs_yaml_is_null(k))
            return fail(P, k, path, "expected a key, got %s", what(k));
        const char *name = (const char *)k->data.scalar.value;
        char kp[PATH_LEN];
        keypath(kp, "%s%s%s", path, path[0] != '\0' ? "." : "", name);
        if (known != NULL) {
            bool ok = false;
            for (const char *const *q = known; *q != NULL && !ok; q++)
                ok = strcmp(*q, name) == 0;
            if (!ok) {
                char msg[256];
                dcs_scenario_suggest_key(msg, sizeof msg, known, name);
                return fail(P, k, kp, "%s", msg);
            }
        } else {
            keypath(kp, "%s", name);
        }
        for (const yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++) {
            const yaml_node_t *kq = node_at(P, q->key);
            if (strcmp((const char *)kq->data.scalar.value, name) == 0)
                return fail(P, k, kp, "duplicate key; first given at line %ld", line_of(kq));
        }
    }
    return 0;
}

static const yaml_node_t *lookup(const parser *P, const yaml_node_t *map, const char *key)
{
    for (const yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        const yaml_node_t *k = node_at(P, p->key);
        if (strcmp((const char *)k->data.scalar.value, key) == 0)
            return node_at(P, p->value);
    }
    return NULL;
}

/* A decimal integer >= lo, at most hi, written with digits only. */
static int count_of(parser *P, const yaml_node_t *n, const char *key, uint64_t lo, uint64_t hi,
                    const char *hi_why, uint64_t *out)
{
    const char *text;
    int rc = scalar_text(P, n, key, "an integer", &text);
    if (rc)
        return rc;
    const char *digits = text + (text[0] == '+' || text[0] == '-');
    if (digits[0] == '\0' || strspn(digits, "0123456789") != strlen(digits))
        return fail(P, n, key, "expected an integer, got \"%.60s\"", text);
    errno = 0;
    unsigned long long v = strtoull(digits, NULL, 10);
    bool neg = text[0] == '-' && v != 0;
    if (neg || v < lo)
        return fail(P, n, key, "must be >= %llu, got \"%.60s\"", (unsigned long long)lo, text);
    if (errno == ERANGE || v > hi)
        return fail(P, n, key, "\"%.60s\" is too large; %s", text, hi_why);
    *out = (uint64_t)v;
    return 0;
}

/* ---- values --------------------------------------------------------------------------------- */

/* Reads a whole decimal number: digits, signs, a point, an exponent. */
static bool plain_number(const char *text, size_t len, double *out)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf)
        return false;
    memcpy(buf, text, len);
    buf[len] = '\0';
    if (strspn(buf, "0123456789+-.eE") != len)
        return false;
    char *end = NULL;
    double v = strtod(buf, &end);
    if (*end != '\0' || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* Reads text as a number, a percentage or a quantity of some dimension:
 * sets *kind, *si (SI units; a percentage as a fraction), *factor (SI per
 * written unit) and *unit (where the unit starts in text; its end when
 * there is none). Returns false for anything else (text). */
static bool classify(const char *text, int *kind, double *si, double *factor, size_t *unit)
{
    size_t len = strlen(text);
    double v;
    if (plain_number(text, len, &v)) {
        *kind = KIND_NUMBER;
        *si = v;
        *factor = 1.0;
        *unit = len;
        return true;
    }
    if (len > 1 && text[len - 1] == '%') {
        size_t n = len - 1;
        while (n > 0 && text[n - 1] == ' ')
            n--;
        if (plain_number(text, n, &v)) {
            *kind = KIND_NUMBER;
            *si = v / 100.0;
            *factor = 0.01;
            *unit = len - 1;
            return true;
        }
        return false;
    }
    for (int d = DCS_DIM_DURATION; d <= DCS_DIM_TEMPERATURE; d++) {
        if (dcs_units_parse(text, (dcs_dim)d, &v, NULL) != 0)
            continue;
        /* The unit is the run of letters and slashes that ends the text,
         * as units.c splits it. */
        size_t u = len;
        while (u > 0 && (isalpha((unsigned char)text[u - 1]) || text[u - 1] == '/'))
            u--;
        char one[32];
        snprintf(one, sizeof one, "1%s", text + u);
        double f = 1.0;
        if (dcs_units_parse(one, (dcs_dim)d, &f, NULL) != 0)
            return false;
        *kind = d;
        *si = v;
        *factor = f;
        *unit = u;
        return true;
    }
    return false;
}

/* A phrase for a value's kind, for messages. */
static const char *kind_name(int kind)
{
    if (kind == KIND_NUMBER)
        return "a number";
    if (kind == KIND_TEXT)
        return "not a number";
    return dcs_units_dim_name((dcs_dim)kind);
}

/* Fills v from text and a position; v->text is a copy. */
static int sval_init(sval *v, const char *text, bool quoted, long line, long col, dcs_err *err)
{
    memset(v, 0, sizeof *v);
    v->text = strdup(text);
    if (v->text == NULL)
        return oom(err);
    v->quoted = quoted;
    v->line = line;
    v->col = col;
    double factor;
    size_t unit;
    if (!classify(text, &v->kind, &v->si, &factor, &unit)) {
        v->kind = KIND_TEXT;
        v->si = NAN;
    }
    return 0;
}

/* The value of a scalar node (a grid, zip or variant value). */
static int sval_of_node(parser *P, const yaml_node_t *n, const char *key, sval *v)
{
    if (n->type != YAML_SCALAR_NODE)
        return fail(P, n, key, "expected a value (a scalar), got %s", what(n));
    const char *text = (const char *)n->data.scalar.value;
    if (strlen(text) != n->data.scalar.length)
        return fail(P, n, key, "contains a NUL character");
    return sval_init(v, text, n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE, line_of(n),
                     col_of(n), P->err);
}

static void sval_fini(sval *v)
{
    free(v->text);
    free(v->label);
}

/* Writes v with the fewest of 15..17 significant digits that read back as v. */
static void round_trip(char *dst, size_t n, double v)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(dst, n, "%.*g", prec, v);
        if (strtod(dst, NULL) == v)
            return;
    }
}

/* Writes v shortened for a label: four significant digits, without an
 * exponent between 0.001 and 10^7 ("2346", "0.3712"). */
static void short_num(char *dst, size_t n, double v)
{
    double a = fabs(v);
    if (!(a >= 1e-3 && a < 1e7)) {
        snprintf(dst, n, "%.4g", v);
        return;
    }
    int dec = 3 - (int)floor(log10(a));
    snprintf(dst, n, "%.*f", dec > 0 ? dec : 0, v);
    if (strchr(dst, '.') != NULL) {
        size_t len = strlen(dst);
        while (len > 0 && dst[len - 1] == '0')
            dst[--len] = '\0';
        if (len > 0 && dst[len - 1] == '.')
            dst[--len] = '\0';
    }
}

/* ---- the sweep's keys and blocks ------------------------------------------------------------ */

/* The index of key path `path` among the distinct keys, added if new. */
static int key_index(dcs_sweep *s, const char *path, size_t *out, dcs_err *err)
{
    for (size_t k = 0; k < s->nkeys; k++) {
        if (strcmp(s->keys[k], path) == 0) {
            *out = k;
            return 0;
        }
    }
    if (s->nkeys == s->capkeys) {
        size_t cap = s->capkeys * 2 + 8;
        char **keys = realloc(s->keys, cap * sizeof *keys);
        if (keys == NULL)
            return oom(err);
        s->keys = keys;
        s->capkeys = cap;
    }
    s->keys[s->nkeys] = strdup(path);
    if (s->keys[s->nkeys] == NULL)
        return oom(err);
    *out = s->nkeys++;
    return 0;
}

/* Starts bkey bk for the key node k (a key path) of a block. */
static int bkey_init(parser *P, dcs_sweep *s, const yaml_node_t *k, bkey *bk)
{
    memset(bk, 0, sizeof *bk);
    const char *path = (const char *)k->data.scalar.value;
    if (strlen(path) != k->data.scalar.length)
        return fail(P, k, "", "the key path contains a NUL character");
    if (path[0] == '\0')
        return fail(P, k, "", "expected a key path, got an empty key");
    /* Replication r of every point draws the same random numbers (common
     * random numbers) only if the points share the seed and the count. */
    if (P->in_design &&
        (strcmp(path, "simulation.seed") == 0 || strcmp(path, "simulation.replications") == 0))
        return fail(P, k, path,
                    "the points of a sweep share one seed and one replication count, so that "
                    "replication r of every point draws the same random numbers; set it in the "
                    "base or the sweep's set (or give %s), not in the design",
                    path[11] == 's' ? "--seed" : "-n");
    bk->line = line_of(k);
    /* A quoted path starts one column after its quote. */
    bk->col = col_of(k) + (k->data.scalar.style != YAML_PLAIN_SCALAR_STYLE);
    bk->stride = 1;
    return key_index(s, path, &bk->key, P->err);
}

static void bkey_fini(bkey *bk)
{
    for (size_t i = 0; i < bk->nvals; i++)
        sval_fini(&bk->vals[i]);
    free(bk->vals);
    if (bk->sampled) {
        sval_fini(&bk->ends[0]);
        sval_fini(&bk->ends[1]);
    }
}

static void block_fini(block *b)
{
    for (size_t j = 0; j < b->nkeys; j++)
        bkey_fini(&b->keys[j]);
    free(b->keys);
    for (size_t i = 0; i < b->nvars; i++) {
        for (size_t j = 0; j < b->vars[i].nset; j++)
            bkey_fini(&b->vars[i].set[j]);
        free(b->vars[i].set);
        free(b->vars[i].label);
    }
    free(b->vars);
}

/* Multiplies *n by m, refusing more than DCS_SWEEP_MAX_POINTS points. */
static int grow_count(parser *P, const yaml_node_t *n, const char *key, size_t *count, size_t m)
{
    if (m != 0 && *count > DCS_SWEEP_MAX_POINTS / m)
        return fail(P, n, key,
                    "gives more than %d points; a sweep has at most %d (each is validated before "
                    "anything runs)",
                    DCS_SWEEP_MAX_POINTS, DCS_SWEEP_MAX_POINTS);
    *count *= m;
    return 0;
}

/* grid / zip: a mapping of key paths to non-empty lists of values. */
static int read_lists(parser *P, dcs_sweep *s, const yaml_node_t *n, const char *bpath, block *b)
{
    if (n->type != YAML_MAPPING_NODE)
        return fail(P, n, bpath, "expected a mapping of key paths to lists of values, got %s",
                    what(n));
    if (npairs(n) == 0)
        return fail(P, n, bpath, "no key paths; give at least one with its list of values");
    int rc = check_keys(P, n, bpath, NULL);
    if (rc)
        return rc;
    b->keys = calloc(npairs(n), sizeof *b->keys);
    if (b->keys == NULL)
        return oom(P->err);
    const yaml_node_t *first = NULL;
    for (const yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
         pr++) {
        const yaml_node_t *k = node_at(P, pr->key), *list = node_at(P, pr->value);
        const char *path = (const char *)k->data.scalar.value;
        bkey *bk = &b->keys[b->nkeys];
        if ((rc = bkey_init(P, s, k, bk)))
            return rc;
        b->nkeys++;
        if (list->type != YAML_SEQUENCE_NODE)
            return fail(P, list, path, "expected a list of values, got %s", what(list));
        size_t len = nitems(list);
        if (len == 0)
            return fail(P, list, path, "an empty list; give at least one value");
        if (b->kind == B_ZIP && first != NULL && len != nitems(first))
            return fail(
                P, list, path,
                "has %zu values, but %s has %zu; the lists of a zip must have the same "
                "length",
                len, (const char *)node_at(P, n->data.mapping.pairs.start->key)->data.scalar.value,
                nitems(first));
        if (first == NULL)
            first = list;
        bk->vals = calloc(len, sizeof *bk->vals);
        if (bk->vals == NULL)
            return oom(P->err);
        for (size_t i = 0; i < len; i++) {
            if ((rc = sval_of_node(P, node_at(P, list->data.sequence.items.start[i]), path,
                                   &bk->vals[i])))
                return rc;
            bk->nvals++;
        }
    }
    /* A grid's last key varies fastest; a zip takes every list in step. */
    b->nrows = b->kind == B_ZIP ? b->keys[0].nvals : 1;
    for (size_t j = b->nkeys; b->kind == B_GRID && j-- > 0;) {
        b->keys[j].stride = b->nrows;
        if ((rc = grow_count(P, n, bpath, &b->nrows, b->keys[j].nvals)))
            return rc;
    }
    return 0;
}

/* A mapping of key paths to values (a variant's set, the sweep's set) into
 * var; kp is its own key path. */
static int read_set(parser *P, dcs_sweep *s, const yaml_node_t *set, const char *kp, variant *var)
{
    if (set->type != YAML_MAPPING_NODE)
        return fail(P, set, kp, "expected a mapping of key paths to values, got %s", what(set));
    int rc = check_keys(P, set, kp, NULL);
    if (rc)
        return rc;
    var->set = calloc(npairs(set) + 1, sizeof *var->set);
    if (var->set == NULL)
        return oom(P->err);
    for (const yaml_node_pair_t *pr = set->data.mapping.pairs.start;
         pr < set->data.mapping.pairs.top; pr++) {
        const yaml_node_t *k = node_at(P, pr->key);
        bkey *bk = &var->set[var->nset];
        if ((rc = bkey_init(P, s, k, bk)))
            return rc;
        var->nset++;
        if ((bk->vals = calloc(1, sizeof *bk->vals)) == NULL)
            return oom(P->err);
        if ((rc = sval_of_node(P, node_at(P, pr->value), (const char *)k->data.scalar.value,
                               &bk->vals[0])))
            return rc;
        bk->nvals = 1;
    }
    return 0;
}

/* variants: a list of {label, set: {key path: value}}. */
static int read_variants(parser *P, dcs_sweep *s, const yaml_node_t *n, const char *bpath, block *b)
{
    static const char *const variant_keys[] = {"label", "set", NULL};
    if (n->type != YAML_SEQUENCE_NODE)
        return fail(P, n, bpath, "expected a list of variants, got %s", what(n));
    if (nitems(n) == 0)
        return fail(P, n, bpath, "an empty list; give at least one variant");
    b->vars = calloc(nitems(n), sizeof *b->vars);
    if (b->vars == NULL)
        return oom(P->err);
    int rc;
    for (size_t i = 0; i < nitems(n); i++) {
        const yaml_node_t *v = node_at(P, n->data.sequence.items.start[i]);
        variant *var = &b->vars[b->nvars++];
        char vpath[PATH_LEN], kp[PATH_LEN];
        keypath(vpath, "%s[%zu]", bpath, i);
        if (v->type != YAML_MAPPING_NODE)
            return fail(P, v, vpath, "expected a mapping with a label and a set, got %s", what(v));
        if ((rc = check_keys(P, v, vpath, variant_keys)))
            return rc;
        const yaml_node_t *ln = lookup(P, v, "label"), *set = lookup(P, v, "set");
        const char *label;
        keypath(kp, "%s.label", vpath);
        if (ln == NULL)
            return fail(P, v, kp, "missing required key");
        if ((rc = scalar_text(P, ln, kp, "a label", &label)))
            return rc;
        if (label[0] == '\0')
            return fail(P, ln, kp, "must not be empty");
        for (size_t j = 0; j < i; j++)
            if (strcmp(b->vars[j].label, label) == 0)
                return fail(P, ln, kp, "\"%.60s\" is already the label of %s[%zu]", label, bpath,
                            j);
        if ((var->label = strdup(label)) == NULL)
            return oom(P->err);
        keypath(kp, "%s.set", vpath);
        if (set != NULL && (rc = read_set(P, s, set, kp, var)))
            return rc;
    }
    b->nrows = b->nvars;
    return 0;
}

/* A range [low, high] of key path `path`: both ends numbers, percentages
 * or quantities of one kind, low <= high. Sets the ends, and lo/hi in the
 * unit of the low end, the unit's factor and where it starts in lo. */
static int read_range(parser *P, const yaml_node_t *n, const char *path, bkey *bk, double *lo,
                      double *hi, double *factor, size_t *unit)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return fail(P, n, path, "expected a range [low, high], got %s", what(n));
    if (nitems(n) != 2)
        return fail(P, n, path, "expected a range [low, high], got %zu values", nitems(n));
    int kind[2];
    double si[2], f[2];
    size_t u[2];
    int rc;
    bk->sampled = true;
    for (int e = 0; e < 2; e++) {
        const yaml_node_t *end = node_at(P, n->data.sequence.items.start[e]);
        const char *text;
        if ((rc = scalar_text(P, end, path, "a number or a quantity", &text)) ||
            (rc = sval_of_node(P, end, path, &bk->ends[e])))
            return rc;
        if (!classify(text, &kind[e], &si[e], &f[e], &u[e]))
            return fail(P, end, path,
                        "expected a number or a quantity with its unit at each end of the range, "
                        "got \"%.60s\"",
                        text);
    }
    const char *lt = bk->ends[0].text, *ht = bk->ends[1].text;
    if (kind[0] != kind[1])
        return fail(P, n, path,
                    "the ends of a range must be of one kind: \"%.40s\" is %s, \"%.40s\" is %s", lt,
                    kind_name(kind[0]), ht, kind_name(kind[1]));
    if (si[0] > si[1])
        return fail(P, n, path, "the low end \"%.40s\" is above the high end \"%.40s\"", lt, ht);
    size_t nlen = u[0];
    while (nlen > 0 && lt[nlen - 1] == ' ')
        nlen--;
    plain_number(lt, nlen, lo);
    *hi = si[1] / f[0];
    *factor = f[0];
    *unit = u[0];
    return 0;
}

/* Writes the sampled value lo + (hi - lo) t, in the unit of the low end,
 * into bk->vals[i]. */
static int put_sample(bkey *bk, size_t i, double lo, double hi, size_t unit, double t, dcs_err *err)
{
    double x = lo + (hi - lo) * t;
    /* Rounding may step past an end; a sampled value stays in [lo, hi]. */
    if (x > hi)
        x = hi;
    if (x < lo)
        x = lo;
    const char *suffix = bk->ends[0].text + unit;
    char num[40], text[96], shortv[40];
    round_trip(num, sizeof num, x);
    snprintf(text, sizeof text, "%s%s", num, suffix);
    int rc = sval_init(&bk->vals[i], text, false, bk->range_line, bk->range_col, err);
    if (rc)
        return rc;
    short_num(shortv, sizeof shortv, x);
    snprintf(text, sizeof text, "%s%s", shortv, suffix);
    if ((bk->vals[i].label = strdup(text)) == NULL)
        return oom(err);
    bk->nvals = i + 1;
    return 0;
}

/* saltelli: {points: N, ranges: {key path: [low, high]}}, the design that
 * Sobol' sensitivity indices are estimated from (Saltelli et al. 2010,
 * "Variance based sensitivity analysis of model output", Comput. Phys.
 * Commun. 181: 259-270). Base sample j is the j-th vector of GSL's Sobol
 * sequence of dimension 2d after its first (the centre): its first d
 * coordinates are row A_j, its last d row B_j. The block's rows are N
 * groups of d + 2, in the order A_j, AB_j^(1) ... AB_j^(d) (A_j with
 * coordinate i taken from B_j), B_j, so that N (d + 2) points run and the
 * reader (analysis/python/dcsim_reader/sensitivity.py) finds the groups by
 * position. It refuses more than DCS_SWEEP_SOBOL_MAX_DIM / 2 ranges. */
static int read_saltelli(parser *P, dcs_sweep *s, const yaml_node_t *n, const char *kp_points,
                         const char *bpath, block *b)
{
    const yaml_node_t *pn = lookup(P, n, "points"), *rn = lookup(P, n, "ranges");
    char kp[PATH_LEN], why[128];
    uint64_t base = 0;
    int rc;
    if (pn == NULL)
        return fail(P, n, kp_points, "missing required key");
    keypath(kp, "%s.ranges", bpath);
    if (rn == NULL)
        return fail(P, n, kp, "missing required key");
    if (rn->type != YAML_MAPPING_NODE)
        return fail(P, rn, kp, "expected a mapping of key paths to ranges [low, high], got %s",
                    what(rn));
    size_t d = npairs(rn);
    if (d == 0)
        return fail(P, rn, kp, "no ranges; give at least one key path with its [low, high]");
    if (2 * d > DCS_SWEEP_SOBOL_MAX_DIM)
        return fail(P, rn, kp,
                    "%zu ranges; a Saltelli design draws 2 x %zu dimensions from GSL's Sobol "
                    "sequence, which has at most %d",
                    d, d, DCS_SWEEP_SOBOL_MAX_DIM);
    snprintf(why, sizeof why,
             "the design runs points x (ranges + 2) = points x %zu, and a sweep "
             "has at most %d points",
             d + 2, DCS_SWEEP_MAX_POINTS);
    if ((rc = count_of(P, pn, kp_points, 2, DCS_SWEEP_MAX_POINTS / (d + 2), why, &base)))
        return rc;
    if ((rc = check_keys(P, rn, kp, NULL)))
        return rc;
    b->nrows = (size_t)base * (d + 2);
    b->keys = calloc(d, sizeof *b->keys);
    double *lo = calloc(d, sizeof *lo), *hi = calloc(d, sizeof *hi), *x = calloc(2 * d, sizeof *x);
    size_t *unit = calloc(d, sizeof *unit);
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * d));
    if (b->keys == NULL || lo == NULL || hi == NULL || x == NULL || unit == NULL || q == NULL) {
        rc = oom(P->err);
        goto done;
    }
    for (size_t j = 0; j < d; j++) {
        const yaml_node_pair_t *pr = &rn->data.mapping.pairs.start[j];
        const yaml_node_t *k = node_at(P, pr->key);
        bkey *bk = &b->keys[j];
        double factor;
        if ((rc = bkey_init(P, s, k, bk)))
            goto done;
        b->nkeys++;
        if ((rc = read_range(P, node_at(P, pr->value), (const char *)k->data.scalar.value, bk,
                             &lo[j], &hi[j], &factor, &unit[j])))
            goto done;
        bk->range_line = line_of(node_at(P, pr->value));
        bk->range_col = col_of(node_at(P, pr->value));
        if ((bk->vals = calloc(b->nrows, sizeof *bk->vals)) == NULL) {
            rc = oom(P->err);
            goto done;
        }
    }
    gsl_qrng_get(q, x); /* the centre: every coordinate 0.5, the same in A and B */
    for (size_t g = 0; g < (size_t)base && rc == 0; g++) {
        gsl_qrng_get(q, x);
        for (size_t r = 0; r < d + 2 && rc == 0; r++) {
            /* Row r of the group: 0 is A, 1..d take coordinate r - 1 from B, d + 1 is B. */
            for (size_t j = 0; j < d && rc == 0; j++) {
                int from_b = r == d + 1 || r == j + 1;
                rc = put_sample(&b->keys[j], g * (d + 2) + r, lo[j], hi[j], unit[j],
                                x[from_b ? d + j : j], P->err);
            }
        }
    }
done:
    gsl_qrng_free(q);
    free(lo);
    free(hi);
    free(x);
    free(unit);
    return rc;
}

/* lhs / sobol: {points, seed (lhs), ranges: {key path: [low, high]}}. */
static int read_sampled(parser *P, dcs_sweep *s, const yaml_node_t *n, const char *bpath, block *b)
{
    static const char *const lhs_keys[] = {"points", "seed", "ranges", NULL};
    bool sobol = b->kind == B_SOBOL || b->kind == B_SALTELLI;
    char kp[PATH_LEN];
    if (n->type != YAML_MAPPING_NODE)
        return fail(P, n, bpath, "expected a mapping with points and ranges, got %s", what(n));
    /* The keys of lhs are checked for both, so that a seed in a sobol
     * block gets its own message. */
    int rc = check_keys(P, n, bpath, lhs_keys);
    if (rc)
        return rc;
    const yaml_node_t *sd = lookup(P, n, "seed");
    if (sobol && sd != NULL) {
        keypath(kp, "%s.seed", bpath);
        return fail(P, sd, kp, "is only used with lhs (GSL's Sobol sequence has no seed)");
    }
    if (b->kind == B_SALTELLI) {
        keypath(kp, "%s.points", bpath);
        return read_saltelli(P, s, n, kp, bpath, b);
    }
    const yaml_node_t *pn = lookup(P, n, "points"), *rn = lookup(P, n, "ranges");
    uint64_t points = 0, seed = 1;
    keypath(kp, "%s.points", bpath);
    if (pn == NULL)
        return fail(P, n, kp, "missing required key");
    char why[96];
    snprintf(why, sizeof why, "a sweep has at most %d points", DCS_SWEEP_MAX_POINTS);
    if ((rc = count_of(P, pn, kp, 1, DCS_SWEEP_MAX_POINTS, why, &points)))
        return rc;
    keypath(kp, "%s.seed", bpath);
    if (sd != NULL && (rc = count_of(P, sd, kp, 0, UINT64_MAX, "use 0 to 2^64 - 1", &seed)))
        return rc;
    keypath(kp, "%s.ranges", bpath);
    if (rn == NULL)
        return fail(P, n, kp, "missing required key");
    if (rn->type != YAML_MAPPING_NODE)
        return fail(P, rn, kp, "expected a mapping of key paths to ranges [low, high], got %s",
                    what(rn));
    size_t d = npairs(rn);
    if (d == 0)
        return fail(P, rn, kp, "no ranges; give at least one key path with its [low, high]");
    if (sobol && d > DCS_SWEEP_SOBOL_MAX_DIM)
        return fail(P, rn, kp, "%zu ranges; GSL's Sobol sequence has at most %d dimensions", d,
                    DCS_SWEEP_SOBOL_MAX_DIM);
    if ((rc = check_keys(P, rn, kp, NULL)))
        return rc;
    b->nrows = (size_t)points;
    b->keys = calloc(d, sizeof *b->keys);
    double *lo = calloc(d, sizeof *lo), *hi = calloc(d, sizeof *hi), *x = calloc(d, sizeof *x);
    size_t *unit = calloc(d, sizeof *unit), *perm = calloc(b->nrows, sizeof *perm);
    gsl_rng *rng = NULL;
    gsl_qrng *q = NULL;
    if (b->keys == NULL || lo == NULL || hi == NULL || x == NULL || unit == NULL || perm == NULL) {
        rc = oom(P->err);
        goto done;
    }
    for (size_t j = 0; j < d; j++) {
        const yaml_node_pair_t *pr = &rn->data.mapping.pairs.start[j];
        const yaml_node_t *k = node_at(P, pr->key);
        bkey *bk = &b->keys[j];
        double factor;
        if ((rc = bkey_init(P, s, k, bk)))
            goto done;
        b->nkeys++;
        if ((rc = read_range(P, node_at(P, pr->value), (const char *)k->data.scalar.value, bk,
                             &lo[j], &hi[j], &factor, &unit[j])))
            goto done;
        /* A sampled value is reported at its range. */
        bk->range_line = line_of(node_at(P, pr->value));
        bk->range_col = col_of(node_at(P, pr->value));
        if ((bk->vals = calloc(b->nrows, sizeof *bk->vals)) == NULL) {
            rc = oom(P->err);
            goto done;
        }
    }
    if (sobol) {
        /* Point i is the i-th vector of GSL's Sobol sequence (the first is
         * (0.5, ..., 0.5); the origin is not returned). */
        q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)d);
        if (q == NULL) {
            rc = oom(P->err);
            goto done;
        }
        for (size_t i = 0; i < b->nrows; i++) {
            gsl_qrng_get(q, x);
            for (size_t j = 0; j < d && rc == 0; j++)
                rc = put_sample(&b->keys[j], i, lo[j], hi[j], unit[j], x[j], P->err);
            if (rc)
                goto done;
        }
    } else {
        /* Latin hypercube: in each dimension a random permutation puts
         * point i in stratum perm[i] of n equal strata, at a uniform
         * position inside it. */
        if ((rng = dcs_rng_create(P->err)) == NULL) {
            rc = DCS_ENOMEM;
            goto done;
        }
        dcs_rng_key(rng, seed, LHS_REPLICATION, LHS_STREAM);
        for (size_t j = 0; j < d; j++) {
            for (size_t i = 0; i < b->nrows; i++)
                perm[i] = i;
            gsl_ran_shuffle(rng, perm, b->nrows, sizeof *perm);
            for (size_t i = 0; i < b->nrows && rc == 0; i++) {
                double t = ((double)perm[i] + gsl_rng_uniform(rng)) / (double)b->nrows;
                rc = put_sample(&b->keys[j], i, lo[j], hi[j], unit[j], t, P->err);
            }
            if (rc)
                goto done;
        }
    }
done:
    gsl_qrng_free(q);
    gsl_rng_free(rng);
    free(lo);
    free(hi);
    free(x);
    free(unit);
    free(perm);
    return rc;
}

/* design: a non-empty list of blocks, each a mapping with one key; the
 * sweep's set, when given, becomes a first block of one unlabelled row. */
static int read_design(parser *P, dcs_sweep *s, const yaml_node_t *dn, const yaml_node_t *set)
{
    if (dn->type != YAML_SEQUENCE_NODE)
        return fail(P, dn, "design", "expected a list of design blocks, got %s", what(dn));
    if (nitems(dn) == 0)
        return fail(P, dn, "design",
                    "an empty list; give at least one design block (grid, zip, variants, lhs, "
                    "sobol or saltelli)");
    s->blocks = calloc(nitems(dn) + 1, sizeof *s->blocks);
    if (s->blocks == NULL)
        return oom(P->err);
    int rc;
    if (set != NULL) {
        s->has_set = true;
        block *b = &s->blocks[s->nblocks++];
        b->kind = B_VARIANTS;
        b->nrows = 1;
        if ((b->vars = calloc(1, sizeof *b->vars)) == NULL)
            return oom(P->err);
        b->nvars = 1;
        if ((rc = read_set(P, s, set, "set", &b->vars[0])))
            return rc;
    }
    P->in_design = true;
    for (size_t i = 0; i < nitems(dn); i++) {
        const yaml_node_t *item = node_at(P, dn->data.sequence.items.start[i]);
        block *b = &s->blocks[s->nblocks++];
        char bpath[PATH_LEN], kp[PATH_LEN];
        keypath(bpath, "design[%zu]", i);
        if (item->type != YAML_MAPPING_NODE)
            return fail(
                P, item, bpath,
                "expected a mapping holding one of grid, zip, variants, lhs, sobol, saltelli, got "
                "%s",
                what(item));
        if (npairs(item) == 0)
            return fail(P, item, bpath,
                        "an empty block; give one of grid, zip, variants, lhs, sobol, saltelli");
        if ((rc = check_keys(P, item, bpath, block_names)))
            return rc;
        const yaml_node_t *k = node_at(P, item->data.mapping.pairs.start[0].key);
        const char *kind = (const char *)k->data.scalar.value;
        if (npairs(item) > 1) {
            const yaml_node_t *k2 = node_at(P, item->data.mapping.pairs.start[1].key);
            keypath(kp, "%s.%s", bpath, (const char *)k2->data.scalar.value);
            return fail(P, k2, kp,
                        "a design block holds one design and this one already holds %s; start "
                        "a new list item (\"- \") for this one",
                        kind);
        }
        keypath(kp, "%s.%s", bpath, kind);
        for (int j = 0; block_names[j] != NULL; j++)
            if (strcmp(block_names[j], kind) == 0)
                b->kind = (bkind)j;
        const yaml_node_t *v = node_at(P, item->data.mapping.pairs.start[0].value);
        if (b->kind == B_GRID || b->kind == B_ZIP)
            rc = read_lists(P, s, v, kp, b);
        else if (b->kind == B_VARIANTS)
            rc = read_variants(P, s, v, kp, b);
        else
            rc = read_sampled(P, s, v, kp, b);
        if (rc)
            return rc;
    }
    /* The last block varies fastest. */
    s->npoints = 1;
    for (size_t b = s->nblocks; b-- > 0;) {
        s->blocks[b].stride = s->npoints;
        if ((rc = grow_count(P, dn, "design", &s->npoints, s->blocks[b].nrows)))
            return rc;
    }
    for (size_t b = 0; b < s->nblocks; b++) {
        const block *bl = &s->blocks[b];
        size_t most = bl->nkeys;
        for (size_t i = 0; i < bl->nvars; i++)
            if (bl->vars[i].nset > most)
                most = bl->vars[i].nset;
        s->maxovr += most;
    }
    return 0;
}

/* base: a path relative to the sweep file, or an inline scenario. */
static int read_base(parser *P, dcs_sweep *s, const yaml_node_t *bn)
{
    if (bn->type == YAML_MAPPING_NODE) {
        s->root = "base";
        s->base_name = strdup(s->file);
        s->base_text = s->text;
        s->base_len = strlen(s->text);
        return s->base_name == NULL ? oom(P->err) : 0;
    }
    const char *rel;
    if (bn->type != YAML_SCALAR_NODE || dcs_yaml_is_null(bn))
        return fail(P, bn, "base",
                    "expected a scenario file path or a mapping holding a scenario, got %s",
                    what(bn));
    int rc = scalar_text(P, bn, "base", "a scenario file path", &rel);
    if (rc)
        return rc;
    const char *slash = strrchr(s->file, '/');
    size_t dir = rel[0] != '/' && slash != NULL ? (size_t)(slash - s->file) + 1 : 0;
    size_t n = dir + strlen(rel) + 1;
    if ((s->base_name = malloc(n)) == NULL)
        return oom(P->err);
    snprintf(s->base_name, n, "%.*s%s", (int)dir, s->file, rel);
    char *text = NULL;
    if ((rc = dcs_scenario_read_file(s->base_name, &text, &s->base_len, P->err))) {
        dcs_err_where(P->err, P->file, line_of(bn), col_of(bn));
        dcs_err_key(P->err, "base");
        return rc;
    }
    s->base_text = text;
    return 0;
}

/* The sweep's top level: name, description, sources, base, design. */
static int read_sweep(parser *P, dcs_sweep *s)
{
    static const char *const sweep_keys[] = {"name", "description", "sources", "base",
                                             "set",  "design",      NULL};
    const yaml_node_t *root = yaml_document_get_root_node(&P->doc);
    if (root == NULL) {
        dcs_err_set(P->err, DCS_EINPUT, "the file holds no sweep");
        dcs_err_where(P->err, P->file, 1, 1);
        return DCS_EINPUT;
    }
    if (root->type != YAML_MAPPING_NODE)
        return fail(P, root, "", "expected a mapping of sweep keys, got %s", what(root));
    int rc = check_keys(P, root, "", sweep_keys);
    if (rc)
        return rc;
    const yaml_node_t *nm = lookup(P, root, "name"), *ds = lookup(P, root, "description");
    const yaml_node_t *so = lookup(P, root, "sources"), *bn = lookup(P, root, "base");
    const yaml_node_t *dn = lookup(P, root, "design");
    const char *text;
    if (nm == NULL)
        return fail(P, root, "name", "missing required key");
    if ((rc = scalar_text(P, nm, "name", "a string", &text)))
        return rc;
    if (text[0] == '\0')
        return fail(P, nm, "name", "must not be empty");
    if (strlen(text) >= sizeof s->name)
        return fail(P, nm, "name", "is too long (%zu characters; at most %zu)", strlen(text),
                    sizeof s->name - 1);
    memcpy(s->name, text, strlen(text) + 1);
    if (ds != NULL && (rc = scalar_text(P, ds, "description", "a string", &text)))
        return rc;
    if (so != NULL && so->type == YAML_SEQUENCE_NODE) {
        for (size_t i = 0; i < nitems(so); i++) {
            char kp[PATH_LEN];
            keypath(kp, "sources[%zu]", i);
            if ((rc = scalar_text(P, node_at(P, so->data.sequence.items.start[i]), kp, "a string",
                                  &text)))
                return rc;
        }
    } else if (so != NULL &&
               (rc = scalar_text(P, so, "sources", "a string or a list of strings", &text))) {
        return rc;
    }
    if (bn == NULL)
        return fail(P, root, "base", "missing required key");
    if (dn == NULL)
        return fail(P, root, "design", "missing required key");
    if ((rc = read_base(P, s, bn)))
        return rc;
    /* The base must be a valid scenario on its own (with the command's --set). */
    dcs_scenario_input in = {.text = s->base_text,
                             .len = s->base_len,
                             .name = s->base_name,
                             .root_key = s->root,
                             .sets = (const char *const *)s->sets,
                             .nsets = s->nsets};
    if ((rc = dcs_scenario_parse(&in, &s->parsed, P->err)) ||
        (rc = dcs_scenario_build(s->parsed, &in, NULL, &s->base_resolved, P->err)))
        return rc;
    return read_design(P, s, dn, lookup(P, root, "set"));
}

/* ---- points --------------------------------------------------------------------------------- */

static size_t row_of(const block *b, size_t p)
{
    return (p / b->stride) % b->nrows;
}

static const sval *value_at(const bkey *bk, size_t row)
{
    return &bk->vals[(row / bk->stride) % bk->nvals];
}

/* The override that sets bk's key to v. */
static dcs_override override_of(const dcs_sweep *s, const bkey *bk, const sval *v)
{
    dcs_override o = {.path = s->keys[bk->key],
                      .value = v->text,
                      .quoted = v->quoted,
                      .file = s->file,
                      .line = v->line,
                      .col = v->col,
                      .path_line = bk->line,
                      .path_col = bk->col};
    return o;
}

/* The keys block b sets at row r. */
static const bkey *row_keys(const block *b, size_t r, size_t *n)
{
    if (b->kind == B_VARIANTS) {
        *n = b->vars[r].nset;
        return b->vars[r].set;
    }
    *n = b->nkeys;
    return b->keys;
}

/* Writes point p's overrides into o (room for s->maxovr); returns their
 * number. */
static size_t point_overrides(const dcs_sweep *s, size_t p, dcs_override *o)
{
    size_t n = 0;
    for (size_t b = 0; b < s->nblocks; b++) {
        size_t r = row_of(&s->blocks[b], p), nk;
        const bkey *keys = row_keys(&s->blocks[b], r, &nk);
        for (size_t j = 0; j < nk; j++)
            o[n++] = override_of(s, &keys[j], value_at(&keys[j], r));
    }
    return n;
}

/* The value point p gives key k (the last block's that sets it), or NULL. */
static const sval *point_value(const dcs_sweep *s, size_t p, size_t k)
{
    for (size_t b = s->nblocks; b-- > 0;) {
        size_t r = row_of(&s->blocks[b], p), nk;
        const bkey *keys = row_keys(&s->blocks[b], r, &nk);
        for (size_t j = 0; j < nk; j++)
            if (keys[j].key == k)
                return value_at(&keys[j], r);
    }
    return NULL;
}

/* The replication whose uncertain inputs a load draws (load_point_draw). */
typedef struct draw_of {
    uint64_t seed, rep;
} draw_of;

/* Loads the base with the command's --set and the overrides o[0..n), drawing
 * the uncertain inputs of replication dr (NULL: their nominal values). */
static int load_point_draw(const dcs_sweep *s, const dcs_override *o, size_t n, bool paths_only,
                           const draw_of *dr, dcs_scenario *sc, char **resolved, dcs_err *err)
{
    dcs_scenario_input in = {.overrides = o,
                             .noverrides = n,
                             .paths_only = paths_only,
                             .draw = dr != NULL,
                             .draw_seed = dr != NULL ? dr->seed : 0,
                             .draw_rep = dr != NULL ? dr->rep : 0};
    return dcs_scenario_build(s->parsed, &in, sc, resolved, err);
}

static int load_point(const dcs_sweep *s, const dcs_override *o, size_t n, bool paths_only,
                      dcs_scenario *sc, char **resolved, dcs_err *err)
{
    return load_point_draw(s, o, n, paths_only, NULL, sc, resolved, err);
}

/* Appends " (what)" to the message of an input error. */
static void add_context(dcs_err *err, const char *what_)
{
    if (err->code != DCS_EINPUT)
        return;
    char tail[64];
    snprintf(tail, sizeof tail, " (%s)", what_);
    size_t len = strlen(err->msg), tl = strlen(tail);
    if (len + tl >= sizeof err->msg)
        len = sizeof err->msg - 1 - tl;
    memcpy(err->msg + len, tail, tl + 1);
}

/* Appends point p's label to the label buffer. */
static int add_label(dcs_sweep *s, size_t p, size_t *used, size_t *cap, dcs_err *err)
{
    s->label_at[p] = *used;
    for (size_t b = 0; b < s->nblocks; b++) {
        const block *bl = &s->blocks[b];
        size_t r = row_of(bl, p), nk;
        const bkey *keys = row_keys(bl, r, &nk);
        for (size_t j = 0; j <= nk; j++) {
            char part[256];
            if (j == nk && bl->kind != B_VARIANTS)
                break;
            if (j == nk && bl->vars[r].label == NULL)
                break; /* the sweep's set: the same at every point */
            if (j == nk) {
                snprintf(part, sizeof part, "%s", bl->vars[r].label);
            } else if (bl->kind == B_VARIANTS) {
                continue;
            } else {
                const sval *v = value_at(&keys[j], r);
                /* A value that a later block replaces is left out. */
                if (point_value(s, p, keys[j].key) != v)
                    continue;
                snprintf(part, sizeof part, "%s=%s", s->keys[keys[j].key],
                         v->label != NULL ? v->label : v->text);
            }
            size_t need = strlen(part) + 2;
            if (*cap - *used < need) {
                size_t nc = (*cap + need) * 2;
                char *nl = realloc(s->labels, nc);
                if (nl == NULL)
                    return oom(err);
                s->labels = nl;
                *cap = nc;
            }
            *used += (size_t)snprintf(s->labels + *used, *cap - *used, "%s%s",
                                      *used > s->label_at[p] ? " " : "", part);
        }
    }
    if (*cap == *used) {
        char *nl = realloc(s->labels, *cap + 1);
        if (nl == NULL)
            return oom(err);
        s->labels = nl;
        (*cap)++;
    }
    s->labels[(*used)++] = '\0';
    return 0;
}

/* Checks every key path on its own, both ends of every range, then every
 * point (writing its label); the first error wins. */
static int check_points(dcs_sweep *s, dcs_err *err)
{
    dcs_override *o = calloc(s->maxovr + 1, sizeof *o);
    s->label_at = calloc(s->npoints, sizeof *s->label_at);
    /* One scenario read into at every point: a fresh one each time costs
     * more in page faults than the reading itself. */
    dcs_scenario *sc = malloc(sizeof *sc);
    if (o == NULL || s->label_at == NULL || sc == NULL) {
        free(o);
        free(sc);
        return oom(err);
    }
    int rc = 0;
    for (size_t b = 0; b < s->nblocks && rc == 0; b++) {
        const block *bl = &s->blocks[b];
        for (size_t r = 0; r < (bl->kind == B_VARIANTS ? bl->nrows : 1) && rc == 0; r++) {
            size_t nk;
            const bkey *keys = row_keys(bl, r, &nk);
            for (size_t j = 0; j < nk && rc == 0; j++) {
                o[0] = override_of(s, &keys[j], &keys[j].vals[0]);
                rc = load_point(s, o, 1, true, NULL, NULL, err);
            }
        }
    }
    /* A range's ends are applied after the sweep's set, which every point
     * has (it may turn on the section the range's key belongs to). */
    size_t nset = 0;
    const bkey *set = s->has_set ? row_keys(&s->blocks[0], 0, &nset) : NULL;
    for (size_t j = 0; j < nset; j++)
        o[j] = override_of(s, &set[j], &set[j].vals[0]);
    for (size_t b = 0; b < s->nblocks && rc == 0; b++) {
        const block *bl = &s->blocks[b];
        for (size_t j = 0; j < bl->nkeys && rc == 0 && bl->keys[j].sampled; j++) {
            for (int e = 0; e < 2 && rc == 0; e++) {
                o[nset] = override_of(s, &bl->keys[j], &bl->keys[j].ends[e]);
                if ((rc = load_point(s, o, nset + 1, false, NULL, NULL, err)))
                    add_context(err, e == 0 ? "the low end of the range"
                                            : "the high end of the "
                                              "range");
            }
        }
    }
    size_t used = 0, cap = 0;
    for (size_t p = 0; p < s->npoints && rc == 0; p++) {
        size_t n = point_overrides(s, p, o);
        if ((rc = load_point(s, o, n, false, sc, NULL, err))) {
            char what_[48];
            snprintf(what_, sizeof what_, "point %zu", p);
            add_context(err, what_);
        } else {
            rc = add_label(s, p, &used, &cap, err);
        }
    }
    free(o);
    free(sc);
    return rc;
}

/* ---- entry points --------------------------------------------------------------------------- */

int dcs_sweep_load_string(const char *text, const char *name, const char *const *sets, size_t nsets,
                          dcs_sweep **out, dcs_err *err)
{
    *out = NULL;
    dcs_err_clear(err);
    dcs_sweep *s = calloc(1, sizeof *s);
    if (s == NULL)
        return oom(err);
    parser P;
    memset(&P, 0, sizeof P);
    P.err = err;
    int rc = 0;
    bool parsed = false;
    s->file = strdup(name);
    s->text = strdup(text);
    s->sets = calloc(nsets + 1, sizeof *s->sets);
    if (s->file == NULL || s->text == NULL || s->sets == NULL) {
        rc = oom(err);
        goto done;
    }
    for (; s->nsets < nsets; s->nsets++)
        if ((s->sets[s->nsets] = strdup(sets[s->nsets])) == NULL) {
            rc = oom(err);
            goto done;
        }
    P.file = s->file;
    if ((rc = dcs_input_check_yaml(s->text, strlen(s->text), s->file, 0, 0, err)))
        goto done;
    yaml_parser_t yp;
    if (!yaml_parser_initialize(&yp)) {
        rc = oom(err);
        goto done;
    }
    yaml_parser_set_input_string(&yp, (const unsigned char *)s->text, strlen(s->text));
    yaml_document_t extra;
    parsed = yaml_parser_load(&yp, &P.doc) != 0;
    if (parsed && yaml_parser_load(&yp, &extra)) {
        const yaml_node_t *xr = yaml_document_get_root_node(&extra);
        if (xr != NULL)
            rc = fail(&P, xr, "", "the file holds more than one YAML document");
        yaml_document_delete(&extra);
    } else if (yp.error == YAML_MEMORY_ERROR) {
        rc = oom(err);
    } else {
        dcs_err_set(err, DCS_EINPUT, "%s%s%s", yp.problem ? yp.problem : "invalid YAML",
                    yp.context ? " " : "", yp.context ? yp.context : "");
        dcs_err_where(err, s->file, (long)yp.problem_mark.line + 1,
                      (long)yp.problem_mark.column + 1);
        rc = DCS_EINPUT;
    }
    yaml_parser_delete(&yp);
    if (rc == 0)
        rc = read_sweep(&P, s);
    if (rc == 0)
        rc = check_points(s, err);
done:
    if (parsed)
        yaml_document_delete(&P.doc);
    if (rc != 0) {
        dcs_sweep_destroy(s);
        return rc;
    }
    *out = s;
    return 0;
}

int dcs_sweep_load(const char *path, const char *const *sets, size_t nsets, dcs_sweep **out,
                   dcs_err *err)
{
    *out = NULL;
    dcs_err_clear(err);
    char *text = NULL;
    size_t len = 0;
    int rc = dcs_input_read_file(path, "a sweep file", &text, &len, err);
    if (rc == 0 && strlen(text) != len) {
        dcs_err_set(err, DCS_EINPUT, "the file contains a NUL character");
        dcs_err_where(err, path, 1, 1);
        rc = DCS_EINPUT;
    }
    if (rc == 0)
        rc = dcs_sweep_load_string(text, path, sets, nsets, out, err);
    free(text);
    return rc;
}

int dcs_sweep_file_is_sweep(const char *path)
{
    char *text = NULL;
    size_t len = 0;
    dcs_err err;
    dcs_err_clear(&err);
    if (dcs_scenario_read_file(path, &text, &len, &err) != 0)
        return 0;
    if (dcs_input_check_yaml(text, len, path, 0, 0, &err) != 0) {
        free(text); /* the scenario loader says why */
        return 0;
    }
    yaml_parser_t p;
    yaml_document_t doc;
    int found = 0;
    if (yaml_parser_initialize(&p)) {
        yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
        if (yaml_parser_load(&p, &doc)) {
            const yaml_node_t *root = yaml_document_get_root_node(&doc);
            if (root != NULL && root->type == YAML_MAPPING_NODE)
                for (const yaml_node_pair_t *q = root->data.mapping.pairs.start;
                     q < root->data.mapping.pairs.top && !found; q++) {
                    const yaml_node_t *k = yaml_document_get_node(&doc, q->key);
                    found = k != NULL && k->type == YAML_SCALAR_NODE &&
                            strcmp((const char *)k->data.scalar.value, "base") == 0;
                }
            yaml_document_delete(&doc);
        }
        yaml_parser_delete(&p);
    }
    free(text);
    return found;
}

void dcs_sweep_destroy(dcs_sweep *s)
{
    if (s == NULL)
        return;
    for (size_t b = 0; b < s->nblocks; b++)
        block_fini(&s->blocks[b]);
    free(s->blocks);
    for (size_t k = 0; k < s->nkeys; k++)
        free(s->keys[k]);
    free(s->keys);
    for (size_t i = 0; i < s->nsets; i++)
        free(s->sets[i]);
    free(s->sets);
    if (s->base_text != s->text)
        free(s->base_text);
    free(s->text);
    free(s->file);
    free(s->base_name);
    free(s->base_resolved);
    dcs_parsed_free(s->parsed);
    free(s->labels);
    free(s->label_at);
    free(s);
}

const char *dcs_sweep_name(const dcs_sweep *s)
{
    return s->name;
}

const char *dcs_sweep_text(const dcs_sweep *s)
{
    return s->text;
}

const char *dcs_sweep_base_resolved(const dcs_sweep *s)
{
    return s->base_resolved;
}

const char *dcs_sweep_base_file(const dcs_sweep *s)
{
    return s->base_name;
}

size_t dcs_sweep_npoints(const dcs_sweep *s)
{
    return s->npoints;
}

size_t dcs_sweep_nkeys(const dcs_sweep *s)
{
    return s->nkeys;
}

const char *dcs_sweep_key(const dcs_sweep *s, size_t k)
{
    assert(k < s->nkeys);
    return s->keys[k];
}

const char *dcs_sweep_key_units(const dcs_sweep *s, size_t k)
{
    assert(k < s->nkeys);
    int kind = KIND_TEXT - 1; /* none seen yet */
    for (size_t b = 0; b < s->nblocks; b++) {
        const block *bl = &s->blocks[b];
        for (size_t r = 0; r < (bl->kind == B_VARIANTS ? bl->nrows : 1); r++) {
            size_t nk;
            const bkey *keys = row_keys(bl, r, &nk);
            for (size_t j = 0; j < nk; j++) {
                for (size_t i = 0; keys[j].key == k && i < keys[j].nvals; i++) {
                    int vk = keys[j].vals[i].kind;
                    if (kind != KIND_TEXT - 1 && kind != vk)
                        return NULL;
                    kind = vk;
                }
            }
        }
    }
    if (kind == KIND_NUMBER)
        return "";
    return kind >= 0 ? dcs_units_si_symbol((dcs_dim)kind) : NULL;
}

const char *dcs_sweep_label(const dcs_sweep *s, size_t p)
{
    assert(p < s->npoints);
    return s->labels + s->label_at[p];
}

const char *dcs_sweep_value_text(const dcs_sweep *s, size_t p, size_t k)
{
    assert(p < s->npoints && k < s->nkeys);
    const sval *v = point_value(s, p, k);
    return v != NULL ? v->text : "";
}

double dcs_sweep_value_si(const dcs_sweep *s, size_t p, size_t k, const char **units)
{
    assert(p < s->npoints && k < s->nkeys);
    const sval *v = point_value(s, p, k);
    const char *u = "";
    double si = NAN;
    if (v != NULL && v->kind != KIND_TEXT) {
        si = v->si;
        u = v->kind == KIND_NUMBER ? "" : dcs_units_si_symbol((dcs_dim)v->kind);
    }
    if (units != NULL)
        *units = u;
    return si;
}

int dcs_sweep_point_scenario(const dcs_sweep *s, size_t p, dcs_scenario *sc, char **resolved,
                             dcs_err *err)
{
    dcs_err_clear(err);
    if (resolved != NULL)
        *resolved = NULL;
    if (p >= s->npoints)
        return dcs_err_set(err, DCS_EINPUT, "point %zu is out of range (the sweep has %zu points)",
                           p, s->npoints);
    dcs_override *o = calloc(s->maxovr + 1, sizeof *o);
    if (o == NULL)
        return oom(err);
    int rc = load_point(s, o, point_overrides(s, p, o), false, sc, resolved, err);
    free(o);
    return rc;
}

int dcs_sweep_point_draw(const dcs_sweep *s, size_t p, uint64_t seed, uint64_t rep,
                         dcs_scenario *sc, dcs_err *err)
{
    dcs_err_clear(err);
    if (p >= s->npoints)
        return dcs_err_set(err, DCS_EINPUT, "point %zu is out of range (the sweep has %zu points)",
                           p, s->npoints);
    dcs_override *o = calloc(s->maxovr + 1, sizeof *o);
    if (o == NULL)
        return oom(err);
    draw_of dr = {seed, rep};
    int rc = load_point_draw(s, o, point_overrides(s, p, o), false, &dr, sc, NULL, err);
    free(o);
    return rc;
}
