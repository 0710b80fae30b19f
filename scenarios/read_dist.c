/*
 * read_dist.c - uncertain inputs: keys given as distributions, found by a
 * walk of the document along the key table, checked, and replaced by their
 * nominal or drawn value before the readers run; and their correlation.
 */
#include "loader.h"

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

/* Calls fn on every pair of a scalar key, in document order, along the key
 * table from the mapping map_id of section c at `path`. */
int walk_leaves(loader *L, int map_id, ctx c, const char *path, leaf_fn *fn)
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
int collect_dist(loader *L, yaml_node_pair_t *pr, const dcs_schema_key *k, const char *path, ctx c)
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
    vmode m = VM_NUMBER; /* param_value sets it; quiets -Wmaybe-uninitialized */
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

/* The weights of a choice among u->d.nvalues values (1 each when not given). */
static int choice_weights(loader *L, const yaml_node_t *v, const char *path, dcs_uncertain *u)
{
    char kp[PATH_LEN];
    long n = u->d.nvalues;
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
    return choice_weights(L, v, path, u);
}

/* (loader.h) */
void beside_file(const loader *L, const char *rel, char *dst, size_t n)
{
    const char *slash = strrchr(L->file, '/');
    if (rel[0] != '/' && slash != NULL)
        snprintf(dst, n, "%.*s/%s", (int)(slash - L->file), L->file, rel);
    else
        snprintf(dst, n, "%s", rel);
}

/* The values of an empirical distribution given as the list vs. */
static int empirical_list(loader *L, const yaml_node_t *vs, const char *kp, const dcs_schema_key *k,
                          dcs_uncertain *u, vmode *mode)
{
    if (vs->type != YAML_SEQUENCE_NODE)
        return fail_at(L, vs, kp, "expected a list of values, got %s", type_name(vs));
    bool have = false;
    int n = 0;
    for (const yaml_node_item_t *it = vs->data.sequence.items.start;
         it < vs->data.sequence.items.top; it++, n++) {
        char ip[PATH_LEN];
        index_path(ip, kp, n);
        const yaml_node_t *item = node_at(L, *it);
        if (n == DCS_UNC_MAX_VALUES)
            return fail_at(L, item, ip, "more than %d values", DCS_UNC_MAX_VALUES);
        vmode m;
        int rc = param_value(L, item, ip, k, &m, &u->d.values[n]);
        if (rc)
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

/* The field of column ci of CSV line `line` (cut in place), or NULL; with
 * ci < 0 finds the column named col instead, its index in *ci. *col1: the
 * field's 1-based column in the line. */
static char *csv_field(char *line, const char *col, int *ci, long *col1)
{
    char *field = line;
    *col1 = 1;
    for (int i = 0;; i++) {
        char *next = strchr(field, ',');
        if (next != NULL)
            *next = '\0';
        if (*ci < 0 ? strcmp(field, col) == 0 : i == *ci) {
            if (*ci < 0)
                *ci = i;
            return field;
        }
        if (next == NULL)
            return NULL;
        field = next + 1;
        *col1 = (long)(field - line) + 1;
    }
}

/* One cell of an empirical CSV column (field, NULL when the row lacks it)
 * into u's next value, in the unit `unit` when given; an error is left in
 * L->err without its position. */
static int csv_cell(loader *L, const char *field, const char *unit, const dcs_schema_key *k,
                    dcs_uncertain *u)
{
    char cell[160];
    double x = 0.0;
    const char *why = "";
    bool ok = field != NULL && snprintf(cell, sizeof cell, "%s%s", field, unit) < (int)sizeof cell;
    ok = ok && (k->type == DCS_KT_QUANTITY ? dcs_units_parse(cell, k->dim, &x, &why) == 0
                                           : read_number(cell, &x));
    if (!ok)
        return dcs_err_set(L->err, DCS_EINPUT, "expected %s, got \"%.60s\"",
                           k->type == DCS_KT_QUANTITY ? dcs_units_dim_name(k->dim) : "a number",
                           field != NULL ? field : "no field");
    if (!dcs_schema_in_range(k, x)) {
        char r[64];
        range_text(k, r, sizeof r);
        return dcs_err_set(L->err, DCS_EINPUT, "the value %g is outside the key's range %s", x, r);
    }
    if (u->d.nvalues == DCS_UNC_MAX_VALUES)
        return dcs_err_set(L->err, DCS_EINPUT, "more than %d values", DCS_UNC_MAX_VALUES);
    u->d.values[u->d.nvalues++] = x;
    return 0;
}

/* Column col of CSV file `file` (opened) into u's values: errors at the
 * file's line and column, cn being the `column` node. Returns the column's
 * index in the header, or -1 without a header line; *rc: 0 or the error. */
static int csv_column(loader *L, FILE *f, const char *file, const yaml_node_t *cn, const char *col,
                      const char *unit, const char *path, const dcs_schema_key *k, dcs_uncertain *u,
                      int *rc)
{
    char line[1024];
    long lineno = 0;
    int ci = -1;
    *rc = 0;
    while (*rc == 0 && fgets(line, sizeof line, f) != NULL) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0' || line[0] == '#')
            continue;
        bool header = ci < 0;
        long fcol;
        char *field = csv_field(line, col, &ci, &fcol);
        if (header && field == NULL)
            *rc = fail_at(L, cn, path, "%.200s has no column \"%.60s\" in its header line", file,
                          col);
        else if (!header && (*rc = csv_cell(L, field, unit, k, u)) != 0) {
            dcs_err_where(L->err, file, lineno, fcol);
            dcs_err_key(L->err, path);
        }
    }
    return ci;
}

/* The values of an empirical distribution given as a column of a CSV file
 * (relative to the scenario file) with a header line naming the columns;
 * `unit` gives the unit of a CSV column of plain numbers. */
static int empirical_file(loader *L, const yaml_node_t *v, const char *path,
                          const dcs_schema_key *k, dcs_uncertain *u, vmode *mode)
{
    char kp[PATH_LEN];
    const yaml_node_t *fn = lookup(L, v, "file"), *cn = lookup(L, v, "column");
    const yaml_node_t *un = lookup(L, v, "unit");
    const char *col, *unit = "", *rel;
    int rc;
    join(kp, path, "column");
    if (cn == NULL)
        return fail_at(L, v, kp, "missing required key");
    if ((rc = scalar_text(L, cn, kp, "a column name", &col)))
        return rc;
    join(kp, path, "unit");
    if (un != NULL && (rc = scalar_text(L, un, kp, "a unit", &unit)))
        return rc;
    join(kp, path, "file");
    if ((rc = scalar_text(L, fn, kp, "a file path", &rel)))
        return rc;
    char file[1024];
    beside_file(L, rel, file, sizeof file);
    FILE *f = fopen(file, "r");
    if (f == NULL)
        return fail_at(L, fn, kp, "cannot read \"%.200s\": %s", file, strerror(errno));
    u->d.nvalues = 0;
    int ci = csv_column(L, f, file, cn, col, unit, path, k, u, &rc);
    fclose(f);
    if (rc == 0 && ci < 0)
        rc = fail_at(L, fn, kp, "\"%.200s\" has no header line", file);
    if (rc == 0 && u->d.nvalues == 0)
        rc = fail_at(L, fn, kp, "\"%.200s\" has no values in column \"%.60s\"", file, col);
    *mode = k->type == DCS_KT_QUANTITY ? VM_QUANTITY : VM_NUMBER;
    return rc;
}

/* The values of an empirical distribution: a list (values), or a column of
 * a CSV file (file, column and unit). */
static int empirical_values(loader *L, const yaml_node_t *v, const char *path,
                            const dcs_schema_key *k, dcs_uncertain *u, vmode *mode)
{
    const yaml_node_t *vs = lookup(L, v, "values"), *fn = lookup(L, v, "file");
    const yaml_node_t *cn = lookup(L, v, "column"), *un = lookup(L, v, "unit");
    if ((vs == NULL) == (fn == NULL))
        return fail_at(L, v, path, "give either values (a list) or file and column");
    if (vs == NULL)
        return empirical_file(L, v, path, k, u, mode);
    char kp[PATH_LEN];
    join(kp, path, "values");
    if (cn != NULL || un != NULL)
        return fail_at(L, cn != NULL ? cn : un, kp,
                       "column and unit go with file, not with values");
    return empirical_list(L, vs, kp, k, u, mode);
}

/* The parameters of a uniform (min, max), triangular or PERT (min, mode,
 * max) distribution on key k, in order, and its support in k's range. */
static int udist_bounded(loader *L, const yaml_node_t *v, const char *path, const dcs_schema_key *k,
                         dcs_udist *d, vmode *mode)
{
    bool have = false, three = d->kind != DCS_UD_UNIFORM;
    int rc;
    if ((rc = dist_param(L, v, path, k, "min", mode, &have, &d->a)) ||
        (three && (rc = dist_param(L, v, path, k, "mode", mode, &have, &d->b))) ||
        (rc = dist_param(L, v, path, k, "max", mode, &have, &d->c)))
        return rc;
    if (!three && d->a > d->c)
        return fail_at(L, lookup(L, v, "min"), path, "min (%g) is above max (%g)", d->a, d->c);
    if (three && !(d->a <= d->b && d->b <= d->c))
        return fail_at(L, lookup(L, v, "min"), path, "expected min <= mode <= max, got %g, %g, %g",
                       d->a, d->b, d->c);
    if (!dcs_schema_in_range(k, d->a))
        return out_of_range(L, lookup(L, v, "min"), path, k, "min", d->a);
    if (!dcs_schema_in_range(k, d->c))
        return out_of_range(L, lookup(L, v, "max"), path, k, "max", d->c);
    return 0;
}

/* A normal (mean, sd), truncated to key k's range. */
static int udist_normal(loader *L, const yaml_node_t *v, const char *path, const dcs_schema_key *k,
                        dcs_udist *d, vmode *mode)
{
    bool have = false;
    int rc;
    if ((rc = dist_param(L, v, path, k, "mean", mode, &have, &d->a)) ||
        (rc = dist_param(L, v, path, k, "sd", mode, &have, &d->b)))
        return rc;
    if (!(d->b >= 0.0))
        return fail_at(L, lookup(L, v, "sd"), path, "sd must be >= 0, got %g", d->b);
    if (!dcs_schema_in_range(k, d->a))
        return out_of_range(L, lookup(L, v, "mean"), path, k, "the mean", d->a);
    key_bounds(k, &d->lo, &d->hi);
    return 0;
}

/* Which pair of parameters lognormal v is given by into d->form, and the
 * names of the two: mean and sd, median and p95, or median and p05. */
static int lognormal_form(loader *L, const yaml_node_t *v, const char *path, dcs_udist *d,
                          const char **first, const char **second)
{
    *second = lookup(L, v, "sd") != NULL ? "sd" : lookup(L, v, "p95") != NULL ? "p95" : "p05";
    bool by_mean = lookup(L, v, "mean") != NULL;
    int given = (lookup(L, v, "mean") != NULL) + (lookup(L, v, "median") != NULL) +
                (lookup(L, v, "sd") != NULL) + (lookup(L, v, "p95") != NULL) +
                (lookup(L, v, "p05") != NULL);
    if (given != 2 || by_mean != (strcmp(*second, "sd") == 0))
        return fail_at(L, v, path,
                       "a lognormal takes mean and sd, or median and p95, or median and p05");
    *first = by_mean ? "mean" : "median";
    d->form = by_mean                       ? DCS_LN_MEAN_SD
              : strcmp(*second, "p95") == 0 ? DCS_LN_MEDIAN_P95
                                            : DCS_LN_MEDIAN_P05;
    return 0;
}

/* A lognormal, truncated to key k's range, whose median is in that range. */
static int udist_lognormal(loader *L, const yaml_node_t *v, const char *path,
                           const dcs_schema_key *k, dcs_udist *d, vmode *mode)
{
    const char *first = "mean", *second = "sd";
    bool have = false;
    int rc;
    if ((rc = lognormal_form(L, v, path, d, &first, &second)) ||
        (rc = dist_param(L, v, path, k, first, mode, &have, &d->a)) ||
        (rc = dist_param(L, v, path, k, second, mode, &have, &d->b)))
        return rc;
    const yaml_node_t *at = lookup(L, v, first), *at2 = lookup(L, v, second);
    if (!(d->a > 0.0))
        return fail_at(L, at, path, "the %s of a lognormal must be > 0, got %g", first, d->a);
    if (d->form == DCS_LN_MEAN_SD && !(d->b > 0.0))
        return fail_at(L, at2, path, "sd must be > 0, got %g", d->b);
    if (d->form == DCS_LN_MEDIAN_P95 && !(d->b > d->a))
        return fail_at(L, at2, path, "p95 (%g) must be above the median (%g)", d->b, d->a);
    if (d->form == DCS_LN_MEDIAN_P05 && !(d->b > 0.0 && d->b < d->a))
        return fail_at(L, at2, path, "p05 (%g) must be in (0, median %g)", d->b, d->a);
    key_bounds(k, &d->lo, &d->hi);
    double mu, sigma;
    dcs_udist_lognormal(d, &mu, &sigma);
    if (!dcs_schema_in_range(k, exp(mu)))
        return out_of_range(L, at, path, k, "the median", exp(mu));
    return 0;
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
    *mode = VM_NUMBER;
    bool have = false;
    switch (kind) {
    case DCS_UD_FIXED:
        if ((rc = dist_param(L, v, path, k, "value", mode, &have, &d->a)) == 0 &&
            !dcs_schema_in_range(k, d->a))
            rc = out_of_range(L, lookup(L, v, "value"), path, k, "the value", d->a);
        return rc;
    case DCS_UD_UNIFORM:
    case DCS_UD_TRIANGULAR:
    case DCS_UD_PERT:
        return udist_bounded(L, v, path, k, d, mode);
    case DCS_UD_NORMAL:
        return udist_normal(L, v, path, k, d, mode);
    case DCS_UD_LOGNORMAL:
        return udist_lognormal(L, v, path, k, d, mode);
    case DCS_UD_CHOICE:
        return choice_values(L, v, path, k, u, mode);
    case DCS_UD_EMPIRICAL:
        return empirical_values(L, v, path, k, u, mode);
    case DCS_UD_NKINDS:
        break;
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
int resolve_dist(loader *L, yaml_node_pair_t *pr, const dcs_schema_key *k, const char *path, ctx c)
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
int read_correlation(loader *L, dcs_correlation *c)
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
