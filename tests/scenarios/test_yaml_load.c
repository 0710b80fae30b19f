/*
 * test_yaml_load.c - dcs_yaml_load_checked (scenarios/yaml_load.c) gives what
 * the two passes it replaced gave: dcs_input_check_yaml, then
 * yaml_parser_load of the first document and of a second. The same first
 * error (a limit with its message and position, or libyaml's problem,
 * context and mark) and, when there is none, the same tree: node by node
 * the type, tag, value, style, items, pairs and marks.
 */
#include "input_limits.h"
#include "yaml_load.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

/* What one way of loading gave. */
typedef struct outcome {
    int rc; /* 0; a check's DCS_E*; DCS_YAML_FAILED: libyaml's error in p */
    dcs_err err;
    yaml_parser_t p;
    yaml_document_t doc;
    bool second;
    yaml_mark_t second_mark;
} outcome;

static void start(outcome *o, const char *text)
{
    memset(o, 0, sizeof *o);
    cr_assert(yaml_parser_initialize(&o->p));
    yaml_parser_set_input_string(&o->p, (const unsigned char *)text, strlen(text));
}

/* The two passes, as scenarios/load.c made them before. */
static void two_passes(outcome *o, const char *text)
{
    start(o, text);
    o->rc = dcs_input_check_yaml(text, strlen(text), "t.yaml", 0, 0, &o->err);
    if (o->rc != 0)
        return;
    if (!yaml_parser_load(&o->p, &o->doc)) {
        o->rc = DCS_YAML_FAILED;
        return;
    }
    yaml_document_t extra;
    if (!yaml_parser_load(&o->p, &extra)) {
        o->rc = DCS_YAML_FAILED;
        yaml_document_delete(&o->doc);
        memset(&o->doc, 0, sizeof o->doc);
        return;
    }
    const yaml_node_t *r = yaml_document_get_root_node(&extra);
    if (r != NULL) {
        o->second = true;
        o->second_mark = r->start_mark;
    }
    yaml_document_delete(&extra);
}

static void one_pass(outcome *o, const char *text)
{
    start(o, text);
    o->rc = dcs_yaml_load_checked(&o->p, &o->doc, &o->second, &o->second_mark, "t.yaml", &o->err);
}

static void same_mark(yaml_mark_t a, yaml_mark_t b, const char *what, int i)
{
    cr_assert(a.index == b.index && a.line == b.line && a.column == b.column,
              "%s of node %d: %zu:%zu against %zu:%zu", what, i, a.line, a.column, b.line,
              b.column);
}

static void same_node(const yaml_node_t *a, const yaml_node_t *b, int i)
{
    cr_assert_eq(a->type, b->type, "node %d", i);
    cr_assert_str_eq((const char *)a->tag, (const char *)b->tag, "node %d", i);
    same_mark(a->start_mark, b->start_mark, "start", i);
    same_mark(a->end_mark, b->end_mark, "end", i);
    if (a->type == YAML_SCALAR_NODE) {
        cr_assert_eq(a->data.scalar.length, b->data.scalar.length, "node %d", i);
        cr_assert(memcmp(a->data.scalar.value, b->data.scalar.value, a->data.scalar.length) == 0);
        cr_assert_eq(a->data.scalar.style, b->data.scalar.style, "node %d", i);
    } else if (a->type == YAML_SEQUENCE_NODE) {
        ptrdiff_t n = a->data.sequence.items.top - a->data.sequence.items.start;
        cr_assert_eq(n, b->data.sequence.items.top - b->data.sequence.items.start);
        cr_assert(memcmp(a->data.sequence.items.start, b->data.sequence.items.start,
                         (size_t)n * sizeof(yaml_node_item_t)) == 0);
        cr_assert_eq(a->data.sequence.style, b->data.sequence.style);
    } else {
        ptrdiff_t n = a->data.mapping.pairs.top - a->data.mapping.pairs.start;
        cr_assert_eq(n, b->data.mapping.pairs.top - b->data.mapping.pairs.start);
        cr_assert(memcmp(a->data.mapping.pairs.start, b->data.mapping.pairs.start,
                         (size_t)n * sizeof(yaml_node_pair_t)) == 0);
        cr_assert_eq(a->data.mapping.style, b->data.mapping.style);
    }
}

static void same_tree(const yaml_document_t *a, const yaml_document_t *b)
{
    ptrdiff_t n = a->nodes.top - a->nodes.start;
    cr_assert_eq(n, b->nodes.top - b->nodes.start);
    for (int i = 0; i < (int)n; i++)
        same_node(&a->nodes.start[i], &b->nodes.start[i], i + 1);
    same_mark(a->start_mark, b->start_mark, "the document's start", 0);
    same_mark(a->end_mark, b->end_mark, "the document's end", 0);
    cr_assert_eq(a->start_implicit, b->start_implicit);
    cr_assert_eq(a->end_implicit, b->end_implicit);
    cr_assert_eq(a->version_directive != NULL, b->version_directive != NULL);
    cr_assert_eq(a->tag_directives.end - a->tag_directives.start,
                 b->tag_directives.end - b->tag_directives.start);
}

static void same_outcome(const char *text)
{
    outcome a, b;
    two_passes(&a, text);
    one_pass(&b, text);
    cr_assert_eq(a.rc, b.rc, "%s", text);
    if (a.rc < 0) {
        cr_assert_str_eq(a.err.msg, b.err.msg);
        cr_assert_str_eq(a.err.where, b.err.where);
    } else if (a.rc == DCS_YAML_FAILED) {
        cr_assert_eq(a.p.error, b.p.error, "%s", text);
        cr_assert_str_eq(a.p.problem, b.p.problem, "%s", text);
        cr_assert_eq(a.p.context == NULL, b.p.context == NULL, "%s", text);
        if (a.p.context != NULL)
            cr_assert_str_eq(a.p.context, b.p.context, "%s", text);
        same_mark(a.p.problem_mark, b.p.problem_mark, "the problem", 0);
    } else {
        same_tree(&a.doc, &b.doc);
        cr_assert_eq(a.second, b.second, "%s", text);
        if (a.second)
            same_mark(a.second_mark, b.second_mark, "the second document", 0);
    }
    yaml_document_delete(&a.doc);
    yaml_document_delete(&b.doc);
    yaml_parser_delete(&a.p);
    yaml_parser_delete(&b.p);
}

/* Valid text: mappings, lists, flow collections, every scalar style, anchors and aliases,
 * directives, complex keys, empty values and documents. */
Test(yaml_load, the_same_tree)
{
    static const char *const texts[] = {
        "",
        "# a comment only\n",
        "---\n",
        "--- \n...\n",
        "name: small\ncluster:\n  nodes: 4\n  spare_nodes: 1\nfailures:\n  - name: gpu\n"
        "    mtbf: 2000h\n  - {name: node, mtbf: 1e4 h}\n",
        "a: 'single'\nb: \"double \\x41 \\u00e9 \\0\"\nc: |\n  literal\n  text\nd: >\n  folded\n"
        "  text\ne:\nf: [1, [2, [3, {g: h}]]]\n",
        "a: &x 1\nb: *x\nc: &m {k: v}\nd:\n  <<: *m\n  e: *x\n",
        "- &x a\n- *x\n- [*x, *x]\n",
        "%YAML 1.1\n%TAG !e! tag:example.com,2000:\n---\na: 1\n",
        "? [a, b]\n: c\n? d\n",
        "a: 1\n---\nb: 2\n",
        "a: &q 1\n---\nb: &q 2\n",
        "a: 1\n---\n",
        "a: 1\n---\nb: 2\n---\nc: [3\n",
        "[1, 2]\n",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        same_outcome(texts[i]);
}

/* Each error alone, and errors of each kind in both orders: a limit before the first syntax
 * error wins over any error of a load, a load's first error over a later syntax error. */
Test(yaml_load, the_same_first_error)
{
    static const char *const texts[] = {
        "a: !!str b\n",                     /* a tag */
        "a: !foo b\n",                      /* a local tag */
        "!t [1]\n",                         /* a list's tag */
        "a: *nope\n",                       /* an undefined alias */
        "a: &d 1\nb: &d 2\n",               /* a duplicate anchor */
        "a: b\n c: d\n",                    /* a syntax error */
        "a: [1, 2\nb: !foo x\n",            /* a syntax error, then a tag */
        "a: !foo x\nb: [1, 2\n",            /* a tag, then a syntax error */
        "a: *nope\nb: !bar y\n",            /* an alias's error, then a tag */
        "a: *nope\nb: [1, 2\n",             /* an alias's error, then a syntax error */
        "a: &d 1\nb: &d 2\nc: !t 3\n",      /* a duplicate anchor, then a tag */
        "a: 1\n---\nb: *two\n",             /* the second document's alias */
        "a: 1\n---\nb: [two\n",             /* the second document's syntax */
        "a: 1\n---\nb: 2\n---\nc: !t 3\n",  /* a tag in a third document */
        "a: 1\n---\nb: 2\n---\nc: *nope\n", /* a third document is never composed */
        "a: &a 1\n---\nb: *a\n",            /* anchors end with their document */
        "a: \xff\n",                        /* not UTF-8 */
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        same_outcome(texts[i]);
}

/* Nesting: 64 levels pass, the 65th is refused where it opens, also after an alias's error. */
Test(yaml_load, the_same_depth_limit)
{
    for (int levels = DCS_INPUT_MAX_DEPTH - 1; levels <= DCS_INPUT_MAX_DEPTH + 1; levels++) {
        char text[512] = "a: ", after[512] = "a: *nope\nb: ";
        for (int k = 0; k < levels - 1; k++) { /* the mapping is the first level */
            strcat(text, "[");
            strcat(after, "[");
        }
        for (int k = 0; k < levels - 1; k++)
            strcat(text, "]");
        strcat(text, "\n");
        strcat(after, "\n");
        same_outcome(text);
        same_outcome(after);
    }
}
