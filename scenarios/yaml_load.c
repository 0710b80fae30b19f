/*
 * yaml_load.c - YAML text to libyaml's document tree in one pass (yaml_load.h).
 *
 * The loader used to parse each scenario twice: dcs_input_check_yaml's pass
 * over the events (the depth and tag limits), then yaml_parser_load's, which
 * parses the text again to compose the tree. Here one pass does both: each
 * event is checked, then composed as libyaml 0.2.5's loader (loader.c)
 * composes it, into nodes made by libyaml's own document functions (the
 * default tags, the same ids, styles and marks, anchors per document, the
 * same composer errors). The first error is the one the two passes gave: a
 * limit met before the first syntax error, in any document; else the first
 * error of the first document's load, then of the second's (a third
 * document is only checked, as yaml_parser_load never read it).
 */
#include "yaml_load.h"

#include "input_limits.h"

#include <stdlib.h>
#include <string.h>

/* An anchor of the document being composed: its name, node and position. */
typedef struct anchor_at {
    char *name;
    int id;
    yaml_mark_t mark;
} anchor_at;

/* A load's error as libyaml's parser holds it (what yaml_fail reads). */
typedef struct load_error {
    yaml_error_type_t error;
    const char *problem, *context;
    yaml_mark_t problem_mark, context_mark;
} load_error;

/* One document's composition. */
typedef struct composer {
    yaml_document_t *doc;
    int open[DCS_INPUT_MAX_DEPTH + 1]; /* the open collections, outermost first */
    int key[DCS_INPUT_MAX_DEPTH + 1];  /* an open mapping's key awaiting its value; 0: none */
    int nopen;
    anchor_at *anchors;
    size_t nanchors, cap;
    load_error e; /* the first error; e.error == YAML_NO_ERROR: none */
} composer;

static int no_memory(composer *c)
{
    c->e.error = YAML_MEMORY_ERROR;
    return 0;
}

/* libyaml's yaml_parser_set_composer_error(_context): 0. */
static int composer_error(composer *c, const char *context, yaml_mark_t cmark, const char *problem,
                          yaml_mark_t pmark)
{
    c->e = (load_error){YAML_COMPOSER_ERROR, problem, context, pmark, cmark};
    return 0;
}

static void forget_anchors(composer *c)
{
    for (size_t i = 0; i < c->nanchors; i++)
        free(c->anchors[i].name);
    c->nanchors = 0;
}

/* Node id under its parent, the open collection: a list's next item, a mapping's key or the
 * value of the key before it. The root has no parent. */
static int add_to_parent(composer *c, int id)
{
    if (c->nopen == 0)
        return 1;
    int parent = c->open[c->nopen - 1], *key = &c->key[c->nopen - 1];
    if (c->doc->nodes.start[parent - 1].type == YAML_SEQUENCE_NODE)
        return yaml_document_append_sequence_item(c->doc, parent, id) ? 1 : no_memory(c);
    if (*key == 0) {
        *key = id;
        return 1;
    }
    int ok = yaml_document_append_mapping_pair(c->doc, parent, *key, id);
    *key = 0;
    return ok ? 1 : no_memory(c);
}

static int register_anchor(composer *c, const yaml_char_t *anchor, int id)
{
    if (anchor == NULL)
        return 1;
    yaml_mark_t mark = c->doc->nodes.start[id - 1].start_mark;
    for (size_t i = 0; i < c->nanchors; i++)
        if (strcmp(c->anchors[i].name, (const char *)anchor) == 0)
            return composer_error(c, "found duplicate anchor; first occurrence", c->anchors[i].mark,
                                  "second occurrence", mark);
    if (c->nanchors == c->cap) {
        size_t cap = c->cap == 0 ? 16 : 2 * c->cap;
        anchor_at *a = realloc(c->anchors, cap * sizeof *a);
        if (a == NULL)
            return no_memory(c);
        c->anchors = a;
        c->cap = cap;
    }
    char *name = strdup((const char *)anchor);
    if (name == NULL)
        return no_memory(c);
    c->anchors[c->nanchors++] = (anchor_at){name, id, mark};
    return 1;
}

static int compose_alias(composer *c, const yaml_event_t *ev)
{
    for (size_t i = 0; i < c->nanchors; i++)
        if (strcmp(c->anchors[i].name, (const char *)ev->data.alias.anchor) == 0)
            return add_to_parent(c, c->anchors[i].id);
    return composer_error(c, NULL, ev->start_mark, "found undefined alias", ev->start_mark);
}

/* A node event: its node added (tags are refused before, so every tag is the default). */
static int compose_node(composer *c, const yaml_event_t *ev)
{
    yaml_document_t *d = c->doc;
    const yaml_char_t *anchor;
    int id;
    if (ev->type == YAML_SCALAR_EVENT) {
        anchor = ev->data.scalar.anchor;
        id = yaml_document_add_scalar(d, NULL, ev->data.scalar.value, (int)ev->data.scalar.length,
                                      ev->data.scalar.style);
    } else if (ev->type == YAML_SEQUENCE_START_EVENT) {
        anchor = ev->data.sequence_start.anchor;
        id = yaml_document_add_sequence(d, NULL, ev->data.sequence_start.style);
    } else {
        anchor = ev->data.mapping_start.anchor;
        id = yaml_document_add_mapping(d, NULL, ev->data.mapping_start.style);
    }
    if (id == 0)
        return no_memory(c);
    d->nodes.start[id - 1].start_mark = ev->start_mark;
    d->nodes.start[id - 1].end_mark = ev->end_mark;
    if (!register_anchor(c, anchor, id) || !add_to_parent(c, id))
        return 0;
    if (ev->type != YAML_SCALAR_EVENT) {
        c->open[c->nopen] = id;
        c->key[c->nopen++] = 0;
    }
    return 1;
}

/* A document's start: its directives (taken from the event), implicitness and mark. */
static void compose_start(composer *c, yaml_event_t *ev)
{
    yaml_document_t *d = c->doc;
    d->version_directive = ev->data.document_start.version_directive;
    d->tag_directives.start = ev->data.document_start.tag_directives.start;
    d->tag_directives.end = ev->data.document_start.tag_directives.end;
    ev->data.document_start.version_directive = NULL;
    ev->data.document_start.tag_directives.start = ev->data.document_start.tag_directives.end =
        NULL;
    d->start_implicit = ev->data.document_start.implicit;
    d->start_mark = ev->start_mark;
}

/* Composes event ev into c's document; 0 with c->e on an error. */
static int compose(composer *c, yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        compose_start(c, ev);
        return 1;
    case YAML_DOCUMENT_END_EVENT:
        c->doc->end_implicit = ev->data.document_end.implicit;
        c->doc->end_mark = ev->end_mark;
        forget_anchors(c);
        return 1;
    case YAML_ALIAS_EVENT:
        return compose_alias(c, ev);
    case YAML_SCALAR_EVENT:
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        return compose_node(c, ev);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        c->doc->nodes.start[c->open[--c->nopen] - 1].end_mark = ev->end_mark;
        return 1;
    default:
        return 1;
    }
}

/* An empty document, as yaml_parser_load starts one. */
static int empty_doc(yaml_document_t *d)
{
    return yaml_document_initialize(d, NULL, NULL, NULL, 0, 0);
}

/* The pass: every event checked until the stream's end or a syntax error, and the first two
 * documents composed until the first error, into c->doc and then extra. */
static int pass(yaml_parser_t *p, composer *c, yaml_document_t *extra, const char *name,
                dcs_err *err)
{
    yaml_document_t *const docs[2] = {c->doc, extra};
    int depth = 0, ndone = 0; /* documents ended */
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(p, &ev)) {
            /* A syntax error is the loads' where they read that far and met no error before;
             * running out of memory is always the error. */
            if (p->error == YAML_MEMORY_ERROR || (ndone < 2 && c->e.error == YAML_NO_ERROR))
                c->e = (load_error){p->error, p->problem, p->context, p->problem_mark,
                                    p->context_mark};
            return 0;
        }
        int rc = dcs_input_check_event(&ev, &depth, name, 0, 0, err);
        if (rc == 0 && ndone < 2 && c->e.error == YAML_NO_ERROR) {
            c->doc = docs[ndone];
            compose(c, &ev);
        }
        ndone += ev.type == YAML_DOCUMENT_END_EVENT;
        bool end = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        if (rc != 0 || c->e.error == YAML_MEMORY_ERROR)
            return rc;
        if (end)
            return 0;
    }
}

int dcs_yaml_load_checked(yaml_parser_t *p, yaml_document_t *doc, bool *second,
                          yaml_mark_t *second_mark, const char *name, dcs_err *err)
{
    yaml_document_t extra;
    *second = false;
    memset(doc, 0, sizeof *doc);
    memset(&extra, 0, sizeof extra);
    if (!empty_doc(doc) || !empty_doc(&extra)) {
        yaml_document_delete(doc);
        p->error = YAML_MEMORY_ERROR;
        return DCS_YAML_FAILED;
    }
    composer c = {.doc = doc};
    int rc = pass(p, &c, &extra, name, err);
    forget_anchors(&c);
    free(c.anchors);
    if (rc == 0 && c.e.error != YAML_NO_ERROR) {
        p->error = c.e.error;
        p->problem = c.e.problem;
        p->context = c.e.context;
        p->problem_mark = c.e.problem_mark;
        p->context_mark = c.e.context_mark;
        rc = DCS_YAML_FAILED;
    }
    const yaml_node_t *root = yaml_document_get_root_node(&extra);
    if (rc == 0 && root != NULL) {
        *second = true;
        *second_mark = root->start_mark;
    }
    if (rc != 0)
        yaml_document_delete(doc);
    yaml_document_delete(&extra);
    return rc;
}
