/*
 * sweep_yaml.c - the sweep file's YAML for the sweep loader (sweep_priv.h):
 * nodes and their positions, messages, typed scalars, values as written
 * (a number, a percentage, a quantity, text) and the blocks' key paths.
 */
#include "sweep_priv.h"

#include "units.h"
#include "yamlnode.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- YAML helpers --------------------------------------------------------------------------- */

const yaml_node_t *sw_node_at(const parser *P, int id)
{
    if (id < 1 || P->doc.nodes.start + id > P->doc.nodes.top)
        return NULL;
    return P->doc.nodes.start + (id - 1);
}

long sw_line_of(const yaml_node_t *n)
{
    return (long)n->start_mark.line + 1;
}

long sw_col_of(const yaml_node_t *n)
{
    return (long)n->start_mark.column + 1;
}

/* Formats a key path into dst (PATH_LEN bytes); a longer one is cut, which
 * only shortens a message. */
void sw_keypath(char *dst, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, PATH_LEN, fmt, ap);
    va_end(ap);
}

/* Records an input error about node n of the sweep file, at key path key. */
int sw_fail(parser *P, const yaml_node_t *n, const char *key, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    dcs_err_set(P->err, DCS_EINPUT, "%s", msg);
    if (n != NULL)
        dcs_err_where(P->err, P->file, sw_line_of(n), sw_col_of(n));
    dcs_err_key(P->err, key);
    return DCS_EINPUT;
}

int sw_oom(dcs_err *err)
{
    return dcs_err_set(err, DCS_ENOMEM, "out of memory loading the sweep");
}

/* "a mapping", "a list", "a scalar" or "no value", for messages. */
const char *sw_what(const yaml_node_t *n)
{
    if (n->type == YAML_MAPPING_NODE)
        return "a mapping";
    if (n->type == YAML_SEQUENCE_NODE)
        return "a list";
    return dcs_yaml_is_null(n) ? "no value" : "a scalar";
}

size_t sw_nitems(const yaml_node_t *n)
{
    return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

size_t sw_npairs(const yaml_node_t *n)
{
    return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
}

/* The text of a scalar that is not null and holds no NUL character. */
int sw_scalar_text(parser *P, const yaml_node_t *n, const char *key, const char *want,
                   const char **text)
{
    *text = "";
    if (n->type != YAML_SCALAR_NODE || dcs_yaml_is_null(n))
        return sw_fail(P, n, key, "expected %s, got %s", want, sw_what(n));
    const char *v = (const char *)n->data.scalar.value;
    if (strlen(v) != n->data.scalar.length)
        return sw_fail(P, n, key, "contains a NUL character");
    *text = v;
    return 0;
}

/* Checks that every key of mapping map is a scalar, known (when known is
 * not NULL) and given once; path is the mapping's own key path. */
int sw_check_keys(parser *P, const yaml_node_t *map, const char *path, const char *const *known)
{
    for (const yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        const yaml_node_t *k = sw_node_at(P, p->key);
        if (k->type != YAML_SCALAR_NODE || dcs_yaml_is_null(k))
            return sw_fail(P, k, path, "expected a key, got %s", sw_what(k));
        const char *name = (const char *)k->data.scalar.value;
        char kp[PATH_LEN];
        sw_keypath(kp, "%s%s%s", path, path[0] != '\0' ? "." : "", name);
        if (known != NULL) {
            bool ok = false;
            for (const char *const *q = known; *q != NULL && !ok; q++)
                ok = strcmp(*q, name) == 0;
            if (!ok) {
                char msg[256];
                dcs_scenario_suggest_key(msg, sizeof msg, known, name);
                return sw_fail(P, k, kp, "%s", msg);
            }
        } else {
            sw_keypath(kp, "%s", name);
        }
        for (const yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++) {
            const yaml_node_t *kq = sw_node_at(P, q->key);
            if (strcmp((const char *)kq->data.scalar.value, name) == 0)
                return sw_fail(P, k, kp, "duplicate key; first given at line %ld", sw_line_of(kq));
        }
    }
    return 0;
}

const yaml_node_t *sw_lookup(const parser *P, const yaml_node_t *map, const char *key)
{
    for (const yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        const yaml_node_t *k = sw_node_at(P, p->key);
        if (strcmp((const char *)k->data.scalar.value, key) == 0)
            return sw_node_at(P, p->value);
    }
    return NULL;
}

/* A decimal integer >= lo, at most hi, written with digits only. */
int sw_count_of(parser *P, const yaml_node_t *n, const char *key, uint64_t lo, uint64_t hi,
                const char *hi_why, uint64_t *out)
{
    const char *text;
    int rc = sw_scalar_text(P, n, key, "an integer", &text);
    if (rc)
        return rc;
    const char *digits = text + (text[0] == '+' || text[0] == '-');
    if (digits[0] == '\0' || strspn(digits, "0123456789") != strlen(digits))
        return sw_fail(P, n, key, "expected an integer, got \"%.60s\"", text);
    errno = 0;
    unsigned long long v = strtoull(digits, NULL, 10);
    bool neg = text[0] == '-' && v != 0;
    if (neg || v < lo)
        return sw_fail(P, n, key, "must be >= %llu, got \"%.60s\"", (unsigned long long)lo, text);
    if (errno == ERANGE || v > hi)
        return sw_fail(P, n, key, "\"%.60s\" is too large; %s", text, hi_why);
    *out = (uint64_t)v;
    return 0;
}

/* ---- values --------------------------------------------------------------------------------- */

/* Reads a whole decimal number: digits, signs, a point, an exponent. */
bool sw_plain_number(const char *text, size_t len, double *out)
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
bool sw_classify(const char *text, int *kind, double *si, double *factor, size_t *unit)
{
    size_t len = strlen(text);
    double v;
    if (sw_plain_number(text, len, &v)) {
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
        if (sw_plain_number(text, n, &v)) {
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
const char *sw_kind_name(int kind)
{
    if (kind == KIND_NUMBER)
        return "a number";
    if (kind == KIND_TEXT)
        return "not a number";
    return dcs_units_dim_name((dcs_dim)kind);
}

/* Fills v from text and a position; v->text is a copy. */
int sw_sval_init(sval *v, const char *text, bool quoted, long line, long col, dcs_err *err)
{
    memset(v, 0, sizeof *v);
    v->text = strdup(text);
    if (v->text == NULL)
        return sw_oom(err);
    v->quoted = quoted;
    v->line = line;
    v->col = col;
    double factor;
    size_t unit;
    if (!sw_classify(text, &v->kind, &v->si, &factor, &unit)) {
        v->kind = KIND_TEXT;
        v->si = NAN;
    }
    return 0;
}

/* The value of a scalar node (a grid, zip or variant value). */
int sw_sval_of_node(parser *P, const yaml_node_t *n, const char *key, sval *v)
{
    if (n->type != YAML_SCALAR_NODE)
        return sw_fail(P, n, key, "expected a value (a scalar), got %s", sw_what(n));
    const char *text = (const char *)n->data.scalar.value;
    if (strlen(text) != n->data.scalar.length)
        return sw_fail(P, n, key, "contains a NUL character");
    return sw_sval_init(v, text, n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE, sw_line_of(n),
                        sw_col_of(n), P->err);
}

void sw_sval_fini(sval *v)
{
    free(v->text);
    free(v->label);
}

/* Writes v with the fewest of 15..17 significant digits that read back as v. */
void sw_round_trip(char *dst, size_t n, double v)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(dst, n, "%.*g", prec, v);
        if (strtod(dst, NULL) == v)
            return;
    }
}

/* Writes v shortened for a label: four significant digits, without an
 * exponent between 0.001 and 10^7 ("2346", "0.3712"). */
void sw_short_num(char *dst, size_t n, double v)
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
int sw_key_index(dcs_sweep *s, const char *path, size_t *out, dcs_err *err)
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
            return sw_oom(err);
        s->keys = keys;
        s->capkeys = cap;
    }
    s->keys[s->nkeys] = strdup(path);
    if (s->keys[s->nkeys] == NULL)
        return sw_oom(err);
    *out = s->nkeys++;
    return 0;
}

/* Starts bkey bk for the key node k (a key path) of a block. */
int sw_bkey_init(parser *P, dcs_sweep *s, const yaml_node_t *k, bkey *bk)
{
    memset(bk, 0, sizeof *bk);
    const char *path = (const char *)k->data.scalar.value;
    if (strlen(path) != k->data.scalar.length)
        return sw_fail(P, k, "", "the key path contains a NUL character");
    if (path[0] == '\0')
        return sw_fail(P, k, "", "expected a key path, got an empty key");
    /* Replication r of every point draws the same random numbers (common
     * random numbers) only if the points share the seed and the count. */
    if (P->in_design &&
        (strcmp(path, "simulation.seed") == 0 || strcmp(path, "simulation.replications") == 0))
        return sw_fail(P, k, path,
                       "the points of a sweep share one seed and one replication count, so that "
                       "replication r of every point draws the same random numbers; set it in the "
                       "base or the sweep's set (or give %s), not in the design",
                       path[11] == 's' ? "--seed" : "-n");
    bk->line = sw_line_of(k);
    /* A quoted path starts one column after its quote. */
    bk->col = sw_col_of(k) + (k->data.scalar.style != YAML_PLAIN_SCALAR_STYLE);
    bk->stride = 1;
    return sw_key_index(s, path, &bk->key, P->err);
}

void sw_bkey_fini(bkey *bk)
{
    for (size_t i = 0; i < bk->nvals; i++)
        sw_sval_fini(&bk->vals[i]);
    free(bk->vals);
    if (bk->sampled) {
        sw_sval_fini(&bk->ends[0]);
        sw_sval_fini(&bk->ends[1]);
    }
}

void sw_block_fini(block *b)
{
    for (size_t j = 0; j < b->nkeys; j++)
        sw_bkey_fini(&b->keys[j]);
    free(b->keys);
    for (size_t i = 0; i < b->nvars; i++) {
        for (size_t j = 0; j < b->vars[i].nset; j++)
            sw_bkey_fini(&b->vars[i].set[j]);
        free(b->vars[i].set);
        free(b->vars[i].label);
    }
    free(b->vars);
}

/* Multiplies *n by m, refusing more than DCS_SWEEP_MAX_POINTS points. */
int sw_grow_count(parser *P, const yaml_node_t *n, const char *key, size_t *count, size_t m)
{
    if (m != 0 && *count > DCS_SWEEP_MAX_POINTS / m)
        return sw_fail(
            P, n, key,
            "gives more than %d points; a sweep has at most %d (each is validated before "
            "anything runs)",
            DCS_SWEEP_MAX_POINTS, DCS_SWEEP_MAX_POINTS);
    *count *= m;
    return 0;
}
