/*
 * sweep_design.c - a sweep file's own keys (name, description, sources,
 * base, set) and its design: the blocks grid, zip and variants read here,
 * lhs, sobol and saltelli in sweep_sample.c (sweep_priv.h).
 */
#include "sweep_priv.h"

#include "yamlnode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const block_names[] = {"grid",  "zip",      "variants", "lhs",
                                          "sobol", "saltelli", NULL};

/* grid / zip: a mapping of key paths to non-empty lists of values. */
static int read_lists(parser *P, dcs_sweep *s, const yaml_node_t *n, const char *bpath, block *b)
{
    if (n->type != YAML_MAPPING_NODE)
        return sw_fail(P, n, bpath, "expected a mapping of key paths to lists of values, got %s",
                       sw_what(n));
    if (sw_npairs(n) == 0)
        return sw_fail(P, n, bpath, "no key paths; give at least one with its list of values");
    int rc = sw_check_keys(P, n, bpath, NULL);
    if (rc)
        return rc;
    b->keys = calloc(sw_npairs(n), sizeof *b->keys);
    if (b->keys == NULL)
        return sw_oom(P->err);
    const yaml_node_t *first = NULL;
    for (const yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
         pr++) {
        const yaml_node_t *k = sw_node_at(P, pr->key), *list = sw_node_at(P, pr->value);
        const char *path = (const char *)k->data.scalar.value;
        bkey *bk = &b->keys[b->nkeys];
        if ((rc = sw_bkey_init(P, s, k, bk)))
            return rc;
        b->nkeys++;
        if (list->type != YAML_SEQUENCE_NODE)
            return sw_fail(P, list, path, "expected a list of values, got %s", sw_what(list));
        size_t len = sw_nitems(list);
        if (len == 0)
            return sw_fail(P, list, path, "an empty list; give at least one value");
        if (b->kind == B_ZIP && first != NULL && len != sw_nitems(first))
            return sw_fail(
                P, list, path,
                "has %zu values, but %s has %zu; the lists of a zip must have the same "
                "length",
                len,
                (const char *)sw_node_at(P, n->data.mapping.pairs.start->key)->data.scalar.value,
                sw_nitems(first));
        if (first == NULL)
            first = list;
        bk->vals = calloc(len, sizeof *bk->vals);
        if (bk->vals == NULL)
            return sw_oom(P->err);
        for (size_t i = 0; i < len; i++) {
            if ((rc = sw_sval_of_node(P, sw_node_at(P, list->data.sequence.items.start[i]), path,
                                      &bk->vals[i])))
                return rc;
            bk->nvals++;
        }
    }
    /* A grid's last key varies fastest; a zip takes every list in step. */
    b->nrows = b->kind == B_ZIP ? b->keys[0].nvals : 1;
    for (size_t j = b->nkeys; b->kind == B_GRID && j-- > 0;) {
        b->keys[j].stride = b->nrows;
        if ((rc = sw_grow_count(P, n, bpath, &b->nrows, b->keys[j].nvals)))
            return rc;
    }
    return 0;
}

/* A mapping of key paths to values (a variant's set, the sweep's set) into
 * var; kp is its own key path. */
static int read_set(parser *P, dcs_sweep *s, const yaml_node_t *set, const char *kp, variant *var)
{
    if (set->type != YAML_MAPPING_NODE)
        return sw_fail(P, set, kp, "expected a mapping of key paths to values, got %s",
                       sw_what(set));
    int rc = sw_check_keys(P, set, kp, NULL);
    if (rc)
        return rc;
    var->set = calloc(sw_npairs(set) + 1, sizeof *var->set);
    if (var->set == NULL)
        return sw_oom(P->err);
    for (const yaml_node_pair_t *pr = set->data.mapping.pairs.start;
         pr < set->data.mapping.pairs.top; pr++) {
        const yaml_node_t *k = sw_node_at(P, pr->key);
        bkey *bk = &var->set[var->nset];
        if ((rc = sw_bkey_init(P, s, k, bk)))
            return rc;
        var->nset++;
        if ((bk->vals = calloc(1, sizeof *bk->vals)) == NULL)
            return sw_oom(P->err);
        if ((rc = sw_sval_of_node(P, sw_node_at(P, pr->value), (const char *)k->data.scalar.value,
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
        return sw_fail(P, n, bpath, "expected a list of variants, got %s", sw_what(n));
    if (sw_nitems(n) == 0)
        return sw_fail(P, n, bpath, "an empty list; give at least one variant");
    b->vars = calloc(sw_nitems(n), sizeof *b->vars);
    if (b->vars == NULL)
        return sw_oom(P->err);
    int rc;
    for (size_t i = 0; i < sw_nitems(n); i++) {
        const yaml_node_t *v = sw_node_at(P, n->data.sequence.items.start[i]);
        variant *var = &b->vars[b->nvars++];
        char vpath[PATH_LEN], kp[PATH_LEN];
        sw_keypath(vpath, "%s[%zu]", bpath, i);
        if (v->type != YAML_MAPPING_NODE)
            return sw_fail(P, v, vpath, "expected a mapping with a label and a set, got %s",
                           sw_what(v));
        if ((rc = sw_check_keys(P, v, vpath, variant_keys)))
            return rc;
        const yaml_node_t *ln = sw_lookup(P, v, "label"), *set = sw_lookup(P, v, "set");
        const char *label;
        sw_keypath(kp, "%s.label", vpath);
        if (ln == NULL)
            return sw_fail(P, v, kp, "missing required key");
        if ((rc = sw_scalar_text(P, ln, kp, "a label", &label)))
            return rc;
        if (label[0] == '\0')
            return sw_fail(P, ln, kp, "must not be empty");
        for (size_t j = 0; j < i; j++)
            if (strcmp(b->vars[j].label, label) == 0)
                return sw_fail(P, ln, kp, "\"%.60s\" is already the label of %s[%zu]", label, bpath,
                               j);
        if ((var->label = strdup(label)) == NULL)
            return sw_oom(P->err);
        sw_keypath(kp, "%s.set", vpath);
        if (set != NULL && (rc = read_set(P, s, set, kp, var)))
            return rc;
    }
    b->nrows = b->nvars;
    return 0;
}

/* design: a non-empty list of blocks, each a mapping with one key; the
 * sweep's set, when given, becomes a first block of one unlabelled row. */
static int read_design(parser *P, dcs_sweep *s, const yaml_node_t *dn, const yaml_node_t *set)
{
    if (dn->type != YAML_SEQUENCE_NODE)
        return sw_fail(P, dn, "design", "expected a list of design blocks, got %s", sw_what(dn));
    if (sw_nitems(dn) == 0)
        return sw_fail(P, dn, "design",
                       "an empty list; give at least one design block (grid, zip, variants, lhs, "
                       "sobol or saltelli)");
    s->blocks = calloc(sw_nitems(dn) + 1, sizeof *s->blocks);
    if (s->blocks == NULL)
        return sw_oom(P->err);
    int rc;
    if (set != NULL) {
        s->has_set = true;
        block *b = &s->blocks[s->nblocks++];
        b->kind = B_VARIANTS;
        b->nrows = 1;
        if ((b->vars = calloc(1, sizeof *b->vars)) == NULL)
            return sw_oom(P->err);
        b->nvars = 1;
        if ((rc = read_set(P, s, set, "set", &b->vars[0])))
            return rc;
    }
    P->in_design = true;
    for (size_t i = 0; i < sw_nitems(dn); i++) {
        const yaml_node_t *item = sw_node_at(P, dn->data.sequence.items.start[i]);
        block *b = &s->blocks[s->nblocks++];
        char bpath[PATH_LEN], kp[PATH_LEN];
        sw_keypath(bpath, "design[%zu]", i);
        if (item->type != YAML_MAPPING_NODE)
            return sw_fail(
                P, item, bpath,
                "expected a mapping holding one of grid, zip, variants, lhs, sobol, saltelli, got "
                "%s",
                sw_what(item));
        if (sw_npairs(item) == 0)
            return sw_fail(P, item, bpath,
                           "an empty block; give one of grid, zip, variants, lhs, sobol, saltelli");
        if ((rc = sw_check_keys(P, item, bpath, block_names)))
            return rc;
        const yaml_node_t *k = sw_node_at(P, item->data.mapping.pairs.start[0].key);
        const char *kind = (const char *)k->data.scalar.value;
        if (sw_npairs(item) > 1) {
            const yaml_node_t *k2 = sw_node_at(P, item->data.mapping.pairs.start[1].key);
            sw_keypath(kp, "%s.%s", bpath, (const char *)k2->data.scalar.value);
            return sw_fail(P, k2, kp,
                           "a design block holds one design and this one already holds %s; start "
                           "a new list item (\"- \") for this one",
                           kind);
        }
        sw_keypath(kp, "%s.%s", bpath, kind);
        for (int j = 0; block_names[j] != NULL; j++)
            if (strcmp(block_names[j], kind) == 0)
                b->kind = (bkind)j;
        const yaml_node_t *v = sw_node_at(P, item->data.mapping.pairs.start[0].value);
        if (b->kind == B_GRID || b->kind == B_ZIP)
            rc = read_lists(P, s, v, kp, b);
        else if (b->kind == B_VARIANTS)
            rc = read_variants(P, s, v, kp, b);
        else
            rc = sw_read_sampled(P, s, v, kp, b);
        if (rc)
            return rc;
    }
    /* The last block varies fastest. */
    s->npoints = 1;
    for (size_t b = s->nblocks; b-- > 0;) {
        s->blocks[b].stride = s->npoints;
        if ((rc = sw_grow_count(P, dn, "design", &s->npoints, s->blocks[b].nrows)))
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
        return s->base_name == NULL ? sw_oom(P->err) : 0;
    }
    const char *rel;
    if (bn->type != YAML_SCALAR_NODE || dcs_yaml_is_null(bn))
        return sw_fail(P, bn, "base",
                       "expected a scenario file path or a mapping holding a scenario, got %s",
                       sw_what(bn));
    int rc = sw_scalar_text(P, bn, "base", "a scenario file path", &rel);
    if (rc)
        return rc;
    const char *slash = strrchr(s->file, '/');
    size_t dir = rel[0] != '/' && slash != NULL ? (size_t)(slash - s->file) + 1 : 0;
    size_t n = dir + strlen(rel) + 1;
    if ((s->base_name = malloc(n)) == NULL)
        return sw_oom(P->err);
    snprintf(s->base_name, n, "%.*s%s", (int)dir, s->file, rel);
    char *text = NULL;
    if ((rc = dcs_scenario_read_file(s->base_name, &text, &s->base_len, P->err))) {
        dcs_err_where(P->err, P->file, sw_line_of(bn), sw_col_of(bn));
        dcs_err_key(P->err, "base");
        return rc;
    }
    s->base_text = text;
    return 0;
}

/* The sweep's top level: name, description, sources, base, design. */
int sw_read_sweep(parser *P, dcs_sweep *s)
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
        return sw_fail(P, root, "", "expected a mapping of sweep keys, got %s", sw_what(root));
    int rc = sw_check_keys(P, root, "", sweep_keys);
    if (rc)
        return rc;
    const yaml_node_t *nm = sw_lookup(P, root, "name"), *ds = sw_lookup(P, root, "description");
    const yaml_node_t *so = sw_lookup(P, root, "sources"), *bn = sw_lookup(P, root, "base");
    const yaml_node_t *dn = sw_lookup(P, root, "design");
    const char *text;
    if (nm == NULL)
        return sw_fail(P, root, "name", "missing required key");
    if ((rc = sw_scalar_text(P, nm, "name", "a string", &text)))
        return rc;
    if (text[0] == '\0')
        return sw_fail(P, nm, "name", "must not be empty");
    if (strlen(text) >= sizeof s->name)
        return sw_fail(P, nm, "name", "is too long (%zu characters; at most %zu)", strlen(text),
                       sizeof s->name - 1);
    memcpy(s->name, text, strlen(text) + 1);
    if (ds != NULL && (rc = sw_scalar_text(P, ds, "description", "a string", &text)))
        return rc;
    if (so != NULL && so->type == YAML_SEQUENCE_NODE) {
        for (size_t i = 0; i < sw_nitems(so); i++) {
            char kp[PATH_LEN];
            sw_keypath(kp, "sources[%zu]", i);
            if ((rc = sw_scalar_text(P, sw_node_at(P, so->data.sequence.items.start[i]), kp,
                                     "a string", &text)))
                return rc;
        }
    } else if (so != NULL &&
               (rc = sw_scalar_text(P, so, "sources", "a string or a list of strings", &text))) {
        return rc;
    }
    if (bn == NULL)
        return sw_fail(P, root, "base", "missing required key");
    if (dn == NULL)
        return sw_fail(P, root, "design", "missing required key");
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
    return read_design(P, s, dn, sw_lookup(P, root, "set"));
}
