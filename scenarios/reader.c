/*
 * reader.c - the loader's primitives: where a node came from, messages at
 * file:line:column, typed values (numbers, quantities, integers, names,
 * strings), sections (a mapping's keys checked against the key table),
 * lists of mappings, and keys read by their entries in the key table (type,
 * range and its words, default, required): read_key, f_key, f_keys.
 */
#include "loader.h"
#include "when.h"

/* The key names of section c, NULL-terminated, in buf; NULL for no section. */
const char *const *keys_of(ctx c, const char **buf)
{
    if (dcs_schema_section_of(c) == NULL)
        return NULL;
    dcs_schema_names(c, buf, KEYS_MAX);
    return buf;
}

/* The section of the value under `key` in a mapping of section c. *is_list
 * is set when that value may be a list (of mappings of the returned section
 * for failures, of strings for sources). */
ctx child_ctx(ctx c, const char *key, bool *is_list)
{
    const dcs_schema_key *k = dcs_schema_find(c, key);
    *is_list = k != NULL && (k->type == DCS_KT_LIST || (k->flags & DCS_KEY_LISTABLE));
    if (k == NULL || (k->type != DCS_KT_SECTION && k->type != DCS_KT_LIST))
        return DCS_SEC_NONE;
    return k->child;
}

yaml_node_t *node_at(const loader *L, int id)
{
    if (id < 1 || L->doc.nodes.start == NULL || id > L->doc.nodes.top - L->doc.nodes.start)
        return NULL;
    return L->doc.nodes.start + (id - 1);
}

int node_id(const loader *L, const yaml_node_t *n)
{
    return (int)(n - L->doc.nodes.start) + 1;
}

int note_origin(loader *L, int id, const char *file, long line, long col)
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

void where_node(loader *L, const yaml_node_t *n)
{
    int id = node_id(L, n);
    if ((size_t)id < L->norig && L->orig[id].file != NULL)
        dcs_err_where(L->err, L->orig[id].file, L->orig[id].line, L->orig[id].col);
    else
        dcs_err_where(L->err, L->file, (long)n->start_mark.line + 1,
                      (long)n->start_mark.column + 1);
}

/* Records an input error about node n (its position) at key path `path`. */
/* Sets L's error to the input error fmt, ap (the caller adds where and the key). */
PRINTF_LIKE(2, 0) static void set_input_error(loader *L, const char *fmt, va_list ap)
{
    char msg[256];
    vsnprintf(msg, sizeof msg, fmt, ap);
    dcs_err_set(L->err, DCS_EINPUT, "%s", msg);
}

int fail_at(loader *L, const yaml_node_t *n, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_input_error(L, fmt, ap);
    va_end(ap);
    if (n != NULL)
        where_node(L, n);
    dcs_err_key(L->err, path);
    return DCS_EINPUT;
}

/* Records an error at an explicit position: in a --set argument ("--set",
 * line 1, its column) or in the file an override was written in. */
int fail_pos(loader *L, const char *file, long line, long col, const char *path, const char *fmt,
             ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_input_error(L, fmt, ap);
    va_end(ap);
    dcs_err_where(L->err, file, line, col);
    dcs_err_key(L->err, path);
    return DCS_EINPUT;
}

void join(char *dst, const char *parent, const char *key)
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
size_t edit_distance(const char *a, const char *b)
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

bool in_list(const char *const *names, const char *s)
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
void unknown_key_msg(char *dst, size_t n, const char *const *known, const char *key)
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

const char *type_name(const yaml_node_t *n)
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
int scalar_text(loader *L, const yaml_node_t *n, const char *path, const char *want,
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

/* The file scalar n names (want: what the message asks for), relative to
 * the scenario's folder unless absolute, into file[cap]. */
int file_of(loader *L, const yaml_node_t *n, const char *path, const char *want, char *file,
            size_t cap)
{
    const char *rel;
    int rc = scalar_text(L, n, path, want, &rel);
    if (rc)
        return rc;
    beside_file(L, rel, file, cap);
    return 0;
}

/* ---- typed values --------------------------------------------------------------------------- */

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
bool read_number(const char *text, double *out)
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

int number_of(loader *L, const yaml_node_t *n, const char *path, range r, double *out)
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

int quantity_of(loader *L, const yaml_node_t *n, const char *path, dcs_dim dim, range r,
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

/* The text of an integer written as optional sign and decimal digits,
 * and its digits. */
static int digits_of(loader *L, const yaml_node_t *n, const char *path, const char **text,
                     const char **digits)
{
    int rc = scalar_text(L, n, path, "an integer", text);
    if (rc)
        return rc;
    *digits = *text + ((*text)[0] == '+' || (*text)[0] == '-');
    if ((*digits)[0] == '\0' || strspn(*digits, "0123456789") != strlen(*digits))
        return fail_at(L, n, path, "expected an integer, got \"%.60s\"", *text);
    return 0;
}

static int integer_of(loader *L, const yaml_node_t *n, const char *path, int64_t lo, int64_t *out)
{
    const char *text, *digits;
    int rc = digits_of(L, n, path, &text, &digits);
    if (rc)
        return rc;
    errno = 0;
    long long v = strtoll(text, NULL, 10);
    if (errno == ERANGE)
        return fail_at(L, n, path, "\"%.60s\" is too large", text);
    if (v < lo)
        return fail_at(L, n, path, "must be >= %" PRId64 ", got \"%.60s\"", lo, text);
    *out = (int64_t)v;
    return 0;
}

int unsigned_of(loader *L, const yaml_node_t *n, const char *path, uint64_t *out)
{
    const char *text, *digits;
    int rc = digits_of(L, n, path, &text, &digits);
    if (rc)
        return rc;
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

int enum_of(loader *L, const yaml_node_t *n, const char *path, const char *const *names, int *out)
{
    const char *text;
    int rc = scalar_text(L, n, path, "one of these names", &text);
    if (rc)
        return rc;
    for (int i = 0; names[i] != NULL; i++) {
        if (strcmp(names[i], text) == 0) {
            *out = i;
            return 0;
        }
    }
    char list[160]; /* written only for the message: it cost a tenth of a sweep point's load */
    list_names(list, sizeof list, names);
    return fail_at(L, n, path, "unknown value \"%.60s\"; use one of %s", text, list);
}

int string_of(loader *L, const yaml_node_t *n, const char *path, char *dst, size_t cap)
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

/* The value under key in mapping map, or NULL. */
const yaml_node_t *lookup(const loader *L, const yaml_node_t *map, const char *key)
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
const yaml_node_t *get(const loader *L, const section *sec, const char *key, char *path)
{
    join(path, sec->path, key);
    return lookup(L, sec->map, key);
}

int missing(loader *L, const section *sec, const char *key, const char *hint)
{
    char path[PATH_LEN];
    join(path, sec->path, key);
    if (hint != NULL)
        return fail_at(L, sec->pos, path, "missing required key; %s", hint);
    return fail_at(L, sec->pos, path, "missing required key");
}

/* The node of a key that must be given (*n, and its path), or the
 * missing-key error with hint. */
int need(loader *L, const section *sec, const char *key, const char *hint, char *path,
         const yaml_node_t **n)
{
    *n = get(L, sec, key, path);
    return *n != NULL ? 0 : missing(L, sec, key, hint);
}

/* Checks that every key of sec's mapping is known and given once. */
int check_keys(loader *L, const section *sec)
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
int open_section(loader *L, const section *parent, const char *key, ctx c, bool required,
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

/* The words of a list of accelerator types (job.accelerators, market.types). */
const list_spec type_list = {.what = "accelerator types",
                             .many = "types",
                             .counted = true,
                             .empty = "give at least the cluster's accelerator"};

/* The list of mappings under key of parent: absent, out->node is NULL
 * and out->n 0; else a list of at most the key's max_items in the table,
 * not empty when spec->empty says why. Its items are of the key's child
 * section. */
int open_list(loader *L, const section *parent, const char *key, const list_spec *spec,
              item_list *out)
{
    const dcs_schema_key *k = dcs_schema_find(parent->c, key);
    const yaml_node_t *n = get(L, parent, key, out->path);
    int max = k != NULL ? k->max_items : 0;
    out->node = n;
    out->n = 0;
    out->c = k != NULL ? k->child : DCS_SEC_NONE;
    out->parent = parent;
    if (n == NULL)
        return 0;
    if (n->type != YAML_SEQUENCE_NODE)
        return fail_at(L, n, out->path, "expected a list of %s, got %s", spec->what,
                       spec->null_list && dcs_yaml_is_null(n) ? "no value" : type_name(n));
    int count = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (count == 0 && spec->empty != NULL)
        return fail_at(L, n, out->path, "an empty list: %s", spec->empty);
    if (count > max && spec->counted)
        return fail_at(L, n, out->path, "at most %d %s, got %d", max, spec->many, count);
    if (count > max)
        return fail_at(L, n, out->path, "at most %d %s", max, spec->many);
    out->n = count;
    return 0;
}

/* Item i of list l, a mapping whose keys are checked, as the section
 * "path[i]". */
int open_item(loader *L, const item_list *l, int i, const list_spec *spec, section *out)
{
    const yaml_node_t *item = node_at(L, l->node->data.sequence.items.start[i]);
    out->map = out->pos = item;
    out->c = l->c;
    snprintf(out->path, sizeof out->path, "%.110s[%d]", l->path, i);
    if (item->type != YAML_MAPPING_NODE)
        return fail_at(L, item, out->path, "expected a mapping, got %s",
                       spec->null_item && dcs_yaml_is_null(item) ? "no value" : type_name(item));
    return check_keys(L, out);
}

/* Reads the list under key of parent (open_list), each item (open_item)
 * by fn into arg, *count the items read so far. l->node is NULL when the
 * key is absent. */
int read_list(loader *L, const section *parent, const char *key, const list_spec *spec, item_fn *fn,
              void *arg, item_list *l, int *count)
{
    int rc = open_list(L, parent, key, spec, l);
    *count = 0;
    for (int i = 0; rc == 0 && i < l->n; i++) {
        section it;
        if ((rc = open_item(L, l, i, spec, &it)) == 0 && (rc = fn(L, &it, i, l, arg)) == 0)
            *count = i + 1;
    }
    return rc;
}

/* Refuses an integer key above hi (when given), saying why. */
int at_most(loader *L, const section *s, const char *key, int64_t v, int64_t hi, const char *why)
{
    char path[PATH_LEN];
    const yaml_node_t *n = get(L, s, key, path);
    if (n == NULL || v <= hi)
        return 0;
    return fail_at(L, n, path, "must be <= %" PRId64 " (%s), got %" PRId64, hi, why, v);
}

/* A key that must not be given in this context. */
int f_forbid(loader *L, const section *s, const char *key, const char *why)
{
    char path[PATH_LEN];
    const yaml_node_t *n = get(L, s, key, path);
    if (n == NULL)
        return 0;
    return fail_at(L, n, path, "%s", why);
}

/* A section of the text, for the when.h callbacks. */
typedef struct loader_at {
    const loader *L;
    const section *s;
} loader_at;

/* The when.h callbacks: a sibling is present when it is given in the text. */
static bool given(const void *arg, dcs_sec sec, const dcs_schema_key *o, const char *base,
                  const char *path)
{
    (void)sec, (void)base, (void)path;
    const loader_at *at = arg;
    char p[PATH_LEN];
    return get(at->L, at->s, o->name, p) != NULL;
}

/* k's refusal at n, its "%s" the name of the enumeration its clause names. */
static int refuse(loader *L, const yaml_node_t *n, const char *path, const dcs_schema_key *k,
                  const char *name)
{
    const char *pc = strstr(k->refusal, "%s");
    if (pc == NULL)
        return fail_at(L, n, path, "%s", k->refusal);
    return fail_at(L, n, path, "%.*s%s%s", (int)(pc - k->refusal), k->refusal,
                   name != NULL ? name : "?", pc + 2);
}

int f_refuse(loader *L, const section *s, const void *base)
{
    const dcs_schema_section *t = dcs_schema_section_of(s->c);
    loader_at at = {L, s};
    dcs_when_env env = {.present = given, .dist = NULL, .arg = &at};
    for (size_t i = 0; t != NULL && i < t->nkeys; i++) {
        const dcs_schema_key *k = &t->keys[i];
        char path[PATH_LEN];
        const yaml_node_t *n = k->refusal != NULL ? get(L, s, k->name, path) : NULL;
        const char *when = k->given_if != NULL ? k->given_if : k->when;
        if (n != NULL && !dcs_when_holds(when, s->c, k, base, path, &env))
            return refuse(L, n, path, k, dcs_when_enum(when, s->c, base));
    }
    return 0;
}

/* ---- keys read by the table ---------------------------------------------------------------- */

/* Writes k's bound_msg into dst: %s the value as written, %v as read
 * (vs), %h k's upper bound. */
static void bound_words(char *dst, size_t n, const dcs_schema_key *k, const char *text,
                        const char *vs)
{
    bool whole = k->type == DCS_KT_INTEGER;
    size_t used = 0;
    dst[0] = '\0';
    for (const char *p = k->bound_msg; *p != '\0' && used + 1 < n; p++) {
        char part[96] = {p[0], '\0'};
        if (p[0] == '%' && p[1] == 's')
            snprintf(part, sizeof part, "%.60s", text);
        else if (p[0] == '%' && p[1] == 'v')
            snprintf(part, sizeof part, "%s", vs);
        else if (p[0] == '%' && p[1] == 'h')
            snprintf(part, sizeof part, whole ? "%.0f" : "%g", k->hi);
        p += p[0] == '%' && p[1] != '\0';
        used += (size_t)snprintf(dst + used, n - used, "%s", part);
    }
}

/* Refuses v (vs: an integer's own digits, or NULL), read from n, outside
 * k's range: a lower bound of 0 in check_range's words (unless an
 * interval with no message of its own says both ends), the rest in k's
 * bound_msg or the plain words. */
static int key_range(loader *L, const yaml_node_t *n, const char *path, const dcs_schema_key *k,
                     double v, const char *vs)
{
    if (dcs_schema_in_range(k, v))
        return 0;
    char vbuf[32];
    snprintf(vbuf, sizeof vbuf, "%g", v);
    const char *text = (const char *)n->data.scalar.value;
    bool open = (k->range & DCS_RANGE_LO_OPEN) != 0;
    bool low = (k->range & DCS_RANGE_LO) && !(open ? v > k->lo : v >= k->lo);
    bool interval = k->bound_msg == NULL && (k->range & DCS_RANGE_HI);
    if (low && k->lo == 0.0 && !interval)
        return check_range(L, n, path, v, open ? R_GT0 : R_GE0);
    if (k->bound_msg != NULL) {
        char msg[224];
        bound_words(msg, sizeof msg, k, text, vs != NULL ? vs : vbuf);
        return fail_at(L, n, path, "%s", msg);
    }
    if (interval)
        return fail_at(L, n, path, "must be in %c%g, %g%c, got \"%.60s\"", open ? '(' : '[', k->lo,
                       k->hi, (k->range & DCS_RANGE_HI_OPEN) ? ')' : ']', text);
    return fail_at(L, n, path, "must be %s %g, got \"%.60s\"", open ? ">" : ">=", k->lo, text);
}

/* Reads node n as k's type into field, checked against k's range. */
static int key_value(loader *L, const yaml_node_t *n, const char *path, const dcs_schema_key *k,
                     void *field)
{
    double d = 0.0;
    int64_t i = 0;
    uint64_t u = 0;
    bool b = false;
    int e = 0, rc;
    char is[32];
    switch (k->type) {
    case DCS_KT_NUMBER:
    case DCS_KT_QUANTITY:
        rc = k->type == DCS_KT_NUMBER ? number_of(L, n, path, R_ANY, &d)
                                      : quantity_of(L, n, path, k->dim, R_ANY, &d);
        if (rc == 0 && (rc = key_range(L, n, path, k, d, NULL)) == 0)
            memcpy(field, &d, sizeof d);
        return rc;
    case DCS_KT_INTEGER:
        rc = integer_of(L, n, path, (k->range & DCS_RANGE_LO) ? (int64_t)k->lo : INT64_MIN, &i);
        snprintf(is, sizeof is, "%" PRId64, i);
        if (rc == 0 && (rc = key_range(L, n, path, k, (double)i, is)) == 0)
            memcpy(field, &i, sizeof i);
        return rc;
    case DCS_KT_UNSIGNED:
        if ((rc = unsigned_of(L, n, path, &u)) == 0)
            memcpy(field, &u, sizeof u);
        return rc;
    case DCS_KT_BOOL:
        if ((rc = bool_of(L, n, path, &b)) == 0)
            memcpy(field, &b, sizeof b);
        return rc;
    case DCS_KT_ENUM:
        if ((rc = enum_of(L, n, path, k->names, &e)) == 0) {
            e = k->values != NULL ? k->values[e] : e;
            memcpy(field, &e, sizeof e);
        }
        return rc;
    case DCS_KT_STRING:
        return string_of(L, n, path, field, k->size);
    default:
        return fail_at(L, n, path, "has a form of its own: no reader by type");
    }
}

/* Writes k's default (DCS_KEY_DEFAULT) into field. */
static void key_default(const dcs_schema_key *k, void *field)
{
    /* Each conversion only for its own type: a number's default may be
     * infinite ("no cap"), which no integer holds. */
    if (k->type == DCS_KT_NUMBER || k->type == DCS_KT_QUANTITY) {
        double d = k->dflt;
        memcpy(field, &d, sizeof d);
    } else if (k->type == DCS_KT_INTEGER) {
        int64_t i = (int64_t)k->dflt;
        memcpy(field, &i, sizeof i);
    } else if (k->type == DCS_KT_UNSIGNED) {
        uint64_t u = (uint64_t)k->dflt;
        memcpy(field, &u, sizeof u);
    } else if (k->type == DCS_KT_BOOL) {
        bool b = k->dflt != 0.0;
        memcpy(field, &b, sizeof b);
    } else if (k->type == DCS_KT_ENUM) {
        int e = (int)k->dflt;
        memcpy(field, &e, sizeof e);
    }
}

/* Reads key k of section s into its field at base (the scenario, or a
 * list's element): given, by its type and range; left out, an error when
 * req, else its default (DCS_KEY_DEFAULT), else the field is left as it is
 * (a derived default the caller wrote there first, or "not given"). */
int read_key(loader *L, const section *s, const dcs_schema_key *k, bool req, void *base)
{
    char path[PATH_LEN];
    const yaml_node_t *n = get(L, s, k->name, path);
    void *field = (char *)base + k->offset;
    if (n == NULL && req)
        return missing(L, s, k->name, NULL);
    if (n == NULL && (k->flags & DCS_KEY_DEFAULT))
        key_default(k, field);
    return n == NULL ? 0 : key_value(L, n, path, k, field);
}

/* The entry of key in s's section of the table. */
static const dcs_schema_key *entry(loader *L, const section *s, const char *key)
{
    const dcs_schema_key *k = dcs_schema_find(s->c, key);
    if (k == NULL || k->offset == DCS_NO_OFFSET)
        dcs_err_set(L->err, DCS_ESTATE, "%s.%s: no field in the key table", s->path, key);
    return k != NULL && k->offset != DCS_NO_OFFSET ? k : NULL;
}

int f_key(loader *L, const section *s, const char *key, void *base)
{
    const dcs_schema_key *k = entry(L, s, key);
    return k == NULL ? DCS_ESTATE : read_key(L, s, k, (k->flags & DCS_KEY_REQUIRED) != 0, base);
}

int f_key_if(loader *L, const section *s, const char *key, bool req, void *base)
{
    const dcs_schema_key *k = entry(L, s, key);
    return k == NULL ? DCS_ESTATE : read_key(L, s, k, req, base);
}

int f_need(loader *L, const section *s, const char *key, const char *hint, void *base)
{
    char path[PATH_LEN];
    if (get(L, s, key, path) == NULL)
        return missing(L, s, key, hint);
    return f_key(L, s, key, base);
}

int f_keys(loader *L, const section *s, void *base, ...)
{
    va_list ap;
    va_start(ap, base);
    int rc = 0;
    for (const char *key = va_arg(ap, const char *); rc == 0 && key != NULL;
         key = va_arg(ap, const char *))
        rc = f_key(L, s, key, base);
    va_end(ap);
    return rc;
}

/* ---- the schema ----------------------------------------------------------------------------- */

int read_sources(loader *L, const section *top, dcs_scenario *s)
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
