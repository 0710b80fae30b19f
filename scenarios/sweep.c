/*
 * sweep.c - sweep files to expanded, validated points: the points and the
 * entry points (reading the file: sweep_priv.h).
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
 * scenario is built on demand by the scenario loader from the base parsed
 * once (dcs_scenario_parse, with the command's --set), each override a new
 * node carrying its position in the sweep file so that a bad value is
 * reported there: no point parses YAML text. Loading checks the sweep's own keys, the base with the
 * command's --set, every key path alone, both ends of every range alone,
 * then every point (naming it); the first error wins and nothing is kept.
 */
#include "sweep_priv.h"

#include "input_limits.h"
#include "units.h"
#include "yamlnode.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The replication whose uncertain inputs a load draws (load_point_draw),
 * and the caller's correlation cache (NULL: none). */
typedef struct draw_of {
    uint64_t seed, rep;
    struct dcs_corr_cache *cache;
} draw_of;

/* A point's world on its way to the sweep's watcher (dcs_sweep_load_with). */
typedef struct world_to {
    const dcs_sweep *s;
    size_t p;
} world_to;

static int show_world(void *ctx, struct dcs_world *w)
{
    const world_to *t = ctx;
    return t->s->on_world(t->s->on_world_ctx, t->p, w);
}

/* Builds the base (parsed once, with the command's --set) with the
 * overrides o[0..n), drawing the uncertain inputs of replication dr (NULL:
 * their nominal values), reading into scratch when it is not NULL. p is the
 * point whose load check this is (its world is shown to the sweep's
 * watcher), or SIZE_MAX. */
static int load_point_draw(const dcs_sweep *s, size_t p, const dcs_override *o, size_t n,
                           bool paths_only, const draw_of *dr, dcs_scenario *scratch,
                           dcs_scenario *sc, char **resolved, dcs_err *err)
{
    bool checked = dr == NULL && s->checked;
    world_to to = {s, p};
    dcs_scenario_input in = {.overrides = o,
                             .noverrides = n,
                             .paths_only = paths_only,
                             .draw = dr != NULL,
                             .draw_seed = dr != NULL ? dr->seed : 0,
                             .draw_rep = dr != NULL ? dr->rep : 0,
                             .corr_cache = dr != NULL ? dr->cache : NULL,
                             .scratch = scratch,
                             /* A point's nominal scenario was checked at the sweep's load. */
                             .checked = checked,
                             .on_world = p != SIZE_MAX && s->on_world != NULL ? show_world : NULL,
                             .on_world_ctx = &to};
    return dcs_scenario_build(s->parsed, &in, sc, resolved, err);
}

static int load_point(const dcs_sweep *s, const dcs_override *o, size_t n, bool paths_only,
                      dcs_scenario *sc, char **resolved, dcs_err *err)
{
    return load_point_draw(s, SIZE_MAX, o, n, paths_only, NULL, NULL, sc, resolved, err);
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
                    return sw_oom(err);
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
            return sw_oom(err);
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
        return sw_oom(err);
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
        if ((rc = load_point_draw(s, p, o, n, false, NULL, sc, NULL, NULL, err))) {
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

static int load_string(const char *text, const char *name, const char *const *sets, size_t nsets,
                       dcs_sweep_world_fn *fn, void *ctx, dcs_sweep **out, dcs_err *err)
{
    *out = NULL;
    dcs_err_clear(err);
    dcs_sweep *s = calloc(1, sizeof *s);
    if (s == NULL)
        return sw_oom(err);
    parser P;
    memset(&P, 0, sizeof P);
    P.err = err;
    int rc = 0;
    bool parsed = false;
    s->file = strdup(name);
    s->text = strdup(text);
    s->sets = calloc(nsets + 1, sizeof *s->sets);
    if (s->file == NULL || s->text == NULL || s->sets == NULL) {
        rc = sw_oom(err);
        goto done;
    }
    for (; s->nsets < nsets; s->nsets++)
        if ((s->sets[s->nsets] = strdup(sets[s->nsets])) == NULL) {
            rc = sw_oom(err);
            goto done;
        }
    P.file = s->file;
    if ((rc = dcs_input_check_yaml(s->text, strlen(s->text), s->file, 0, 0, err)))
        goto done;
    yaml_parser_t yp;
    if (!yaml_parser_initialize(&yp)) {
        rc = sw_oom(err);
        goto done;
    }
    yaml_parser_set_input_string(&yp, (const unsigned char *)s->text, strlen(s->text));
    yaml_document_t extra;
    parsed = yaml_parser_load(&yp, &P.doc) != 0;
    if (parsed && yaml_parser_load(&yp, &extra)) {
        const yaml_node_t *xr = yaml_document_get_root_node(&extra);
        if (xr != NULL)
            rc = sw_fail(&P, xr, "", "the file holds more than one YAML document");
        yaml_document_delete(&extra);
    } else if (yp.error == YAML_MEMORY_ERROR) {
        rc = sw_oom(err);
    } else {
        dcs_err_set(err, DCS_EINPUT, "%s%s%s", yp.problem ? yp.problem : "invalid YAML",
                    yp.context ? " " : "", yp.context ? yp.context : "");
        dcs_err_where(err, s->file, (long)yp.problem_mark.line + 1,
                      (long)yp.problem_mark.column + 1);
        rc = DCS_EINPUT;
    }
    yaml_parser_delete(&yp);
    if (rc == 0)
        rc = sw_read_sweep(&P, s);
    s->on_world = fn;
    s->on_world_ctx = ctx;
    if (rc == 0)
        rc = check_points(s, err);
    s->on_world = NULL;
    s->checked = rc == 0;
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

int dcs_sweep_load_string(const char *text, const char *name, const char *const *sets, size_t nsets,
                          dcs_sweep **out, dcs_err *err)
{
    return load_string(text, name, sets, nsets, NULL, NULL, out, err);
}

int dcs_sweep_load(const char *path, const char *const *sets, size_t nsets, dcs_sweep **out,
                   dcs_err *err)
{
    return dcs_sweep_load_with(path, NULL, sets, nsets, NULL, NULL, out, err);
}

int dcs_sweep_load_with(const char *path, const char *text_, const char *const *sets, size_t nsets,
                        dcs_sweep_world_fn *fn, void *ctx, dcs_sweep **out, dcs_err *err)
{
    if (text_ != NULL)
        return load_string(text_, path, sets, nsets, fn, ctx, out, err);
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
        rc = load_string(text, path, sets, nsets, fn, ctx, out, err);
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
        sw_block_fini(&s->blocks[b]);
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

/* Room for point p's overrides (the caller frees it), or NULL with err set
 * and *rc its status: p out of range, or no memory. */
static dcs_override *point_room(const dcs_sweep *s, size_t p, int *rc, dcs_err *err)
{
    *rc = 0;
    if (p >= s->npoints) {
        *rc = dcs_err_set(err, DCS_EINPUT, "point %zu is out of range (the sweep has %zu points)",
                          p, s->npoints);
        return NULL;
    }
    dcs_override *o = calloc(s->maxovr + 1, sizeof *o);
    if (o == NULL)
        *rc = sw_oom(err);
    return o;
}

int dcs_sweep_point_scenario(const dcs_sweep *s, size_t p, dcs_scenario *sc, char **resolved,
                             dcs_err *err)
{
    dcs_err_clear(err);
    if (resolved != NULL)
        *resolved = NULL;
    int rc;
    dcs_override *o = point_room(s, p, &rc, err);
    if (o == NULL)
        return rc;
    rc = load_point(s, o, point_overrides(s, p, o), false, sc, resolved, err);
    free(o);
    return rc;
}

int dcs_sweep_uncertain(const dcs_sweep *s)
{
    return dcs_parsed_ndist(s->parsed) > 0;
}

int dcs_sweep_point_draw(const dcs_sweep *s, size_t p, uint64_t seed, uint64_t rep,
                         struct dcs_corr_cache *cache, dcs_scenario *sc, dcs_err *err)
{
    dcs_err_clear(err);
    int rc;
    dcs_override *o = point_room(s, p, &rc, err);
    if (o == NULL)
        return rc;
    draw_of dr = {seed, rep, cache};
    rc = load_point_draw(s, SIZE_MAX, o, point_overrides(s, p, o), false, &dr, NULL, sc, NULL, err);
    free(o);
    return rc;
}
