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
 * The parts: this file has the entry points and the --set path walk;
 * loader.h says where the rest is. The resolved YAML is emit.c's.
 */
#include "emit.h"
#include "loader.h"
#include "yaml_load.h"

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

/* A walk of an override's key path down the tree (apply_path). */
typedef struct walk {
    loader *L;
    const override_at *at;
    const char *set, *eq; /* the path and its end */
    const char *p;        /* the next segment */
    char full[PATH_LEN];  /* the whole path, for messages */
    char kp[PATH_LEN];    /* the path so far */
    int cur;              /* the node reached */
    ctx c, elem;          /* its section; the section of its items (a list) */
    int vid;              /* the value to put at the end */
    bool done;
} walk;

/* The error at the column of w's segment q. */
#define WALK_FAIL(w, q, path, ...)                                                                 \
    fail_pos((w)->L, (w)->at->file, (w)->at->line, (w)->at->path_col + (long)((q) - (w)->set),     \
             path, __VA_ARGS__)

/* A segment "[N]": the item N of the list reached, or its place for vid. */
static int step_index(walk *w)
{
    char *end = NULL;
    const char *p = w->p;
    if (!(p[1] >= '0' && p[1] <= '9'))
        return WALK_FAIL(w, p, w->full, "malformed key path; expected [N]");
    unsigned long ix = strtoul(p + 1, &end, 10);
    if (*end != ']')
        return WALK_FAIL(w, p, w->full, "malformed key path; expected [N]");
    size_t kl = strlen(w->kp);
    snprintf(w->kp + kl, sizeof w->kp - kl, "[%lu]", ix);
    yaml_node_t *sq = node_at(w->L, w->cur);
    if (sq->type != YAML_SEQUENCE_NODE)
        return WALK_FAIL(w, p, w->kp, "cannot index %s", type_name(sq));
    ptrdiff_t len = sq->data.sequence.items.top - sq->data.sequence.items.start;
    if (ix >= (unsigned long)len)
        return WALK_FAIL(w, p, w->kp, "index %lu is past the end of the list (length %td)", ix,
                         len);
    w->p = end + 1;
    if (w->p == w->eq) {
        sq->data.sequence.items.start[ix] = w->vid;
        w->done = true;
        return 0;
    }
    w->cur = sq->data.sequence.items.start[ix];
    w->c = w->elem;
    w->elem = DCS_SEC_NONE;
    return 0;
}

/* Adds key `name` (at column of segment q, ending at qe) to the mapping w reached: the value
 * itself when last, else an empty list or mapping to go on in; its id in *found. */
static int add_key(walk *w, const char *q, const char *qe, const char *name, bool last,
                   bool is_list, ctx cc, int *found)
{
    loader *L = w->L;
    const char *buf[KEYS_MAX];
    const char *const *known = keys_of(w->c, buf);
    long col = w->at->path_col + (long)(q - w->set);
    int rc;
    if (known == NULL || !in_list(known, name)) {
        char msg[256] = "unknown key";
        if (known != NULL)
            unknown_key_msg(msg, sizeof msg, known, name);
        return WALK_FAIL(w, q, w->kp, "%s", msg);
    }
    int kid = yaml_document_add_scalar(&L->doc, NULL, (const yaml_char_t *)name, -1,
                                       YAML_PLAIN_SCALAR_STYLE);
    if (kid == 0 || (rc = note_origin(L, kid, w->at->file, w->at->line, col)))
        return kid == 0 ? dcs_err_set(L->err, DCS_ENOMEM, "out of memory") : rc;
    if (last)
        *found = w->vid;
    else if (is_list)
        *found = yaml_document_add_sequence(&L->doc, NULL, YAML_BLOCK_SEQUENCE_STYLE);
    else if (cc != DCS_SEC_NONE)
        *found = yaml_document_add_mapping(&L->doc, NULL, YAML_BLOCK_MAPPING_STYLE);
    else
        return WALK_FAIL(w, qe, w->kp, "holds a single value, not keys or items");
    if (*found == 0 || (!last && (rc = note_origin(L, *found, w->at->file, w->at->line, col))))
        return *found == 0 ? dcs_err_set(L->err, DCS_ENOMEM, "out of memory") : rc;
    if (!yaml_document_append_mapping_pair(&L->doc, w->cur, kid, *found))
        return dcs_err_set(L->err, DCS_ENOMEM, "out of memory applying --set");
    return 0;
}

/* A segment ".name" (or the first "name"): the key of the mapping reached, added when the
 * schema knows it and the file does not give it. */
static int step_key(walk *w)
{
    const char *p = w->p;
    if (p != w->set) {
        if (*p != '.')
            return WALK_FAIL(w, p, w->full, "malformed key path; expected . or [");
        p++;
    }
    const char *q = p;
    while (q < w->eq && (*q == '_' || (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
                         (*q >= '0' && *q <= '9')))
        q++;
    if (q == p || q - p >= DCS_NAME_MAX)
        return WALK_FAIL(w, p, w->full, "malformed key path; expected a key name");
    char name[DCS_NAME_MAX], parent[PATH_LEN];
    snprintf(name, sizeof name, "%.*s", (int)(q - p), p);
    snprintf(parent, sizeof parent, "%s", w->kp);
    join(w->kp, parent, name);
    bool last = q == w->eq, is_list = false;
    ctx cc = child_ctx(w->c, name, &is_list);
    yaml_node_t *mp = node_at(w->L, w->cur);
    if (mp->type != YAML_MAPPING_NODE)
        return WALK_FAIL(w, p, w->kp, "cannot set a key inside %s", type_name(mp));
    int found = 0;
    for (yaml_node_pair_t *pr = mp->data.mapping.pairs.start; pr < mp->data.mapping.pairs.top;
         pr++) {
        const yaml_node_t *k = node_at(w->L, pr->key);
        if (k->type == YAML_SCALAR_NODE && strcmp((const char *)k->data.scalar.value, name) == 0) {
            if (last)
                pr->value = w->vid;
            found = pr->value;
            break;
        }
    }
    int rc = found == 0 ? add_key(w, p, q, name, last, is_list, cc, &found) : 0;
    w->done = last;
    w->cur = found;
    w->elem = is_list ? cc : DCS_SEC_NONE;
    w->c = is_list ? DCS_SEC_NONE : cc;
    w->p = q;
    return rc;
}

/* Puts node vid at key path `set` (its first plen characters): replaces the
 * value at the path, or adds a key the schema knows (creating the mappings
 * above it). Errors in the path are reported at `at`. */
static int apply_path(loader *L, const override_at *at, const char *set, size_t plen, int vid)
{
    walk w = {.L = L, .at = at, .set = set, .eq = set + plen, .p = set, .cur = L->root};
    w.c = DCS_SEC_TOP;
    w.elem = DCS_SEC_NONE;
    w.vid = vid;
    snprintf(w.full, sizeof w.full, "%.*s", (int)plen, set);
    int rc = 0;
    while (rc == 0 && !w.done && w.p < w.eq)
        rc = *w.p == '[' ? step_index(&w) : step_key(&w);
    return rc;
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

/* ---- the scenario -----------------------------------------------------------------------------
 */

/* The node at key path `path` ("failures[2].mtbf"), or where the path
 * leaves the document, the nearest section or list item above it that is
 * there (the scenario itself at worst); *whole: the path was there whole. */
static const yaml_node_t *node_of_key(const loader *L, const char *path, bool *whole)
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
    *whole = n != NULL;
    return found;
}

/* Places an error at the key path `path` (node_of_key). */
static void where_key(loader *L, const char *path)
{
    bool whole;
    const yaml_node_t *found = node_of_key(L, path, &whole);
    if (found != NULL)
        where_node(L, found);
    else
        dcs_err_where(L->err, L->file, 1, 1);
}

/* Whether the scenario gave key path `path` (the validators' dcs_check). */
static bool key_given(void *state, const char *path)
{
    bool whole;
    node_of_key(state, path, &whole);
    return whole;
}

/* Runs the validators that follow section sec (validate.h), placing a
 * refusal at the key it names. */
static int validate_after(loader *L, const dcs_scenario *s, dcs_sec sec)
{
    dcs_check check = {s, L->err, key_given, L};
    int rc = dcs_scenario_validate_after(sec, &check);
    if (rc)
        where_key(L, L->err->key);
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
    if ((rc = check_keys(L, &top)) || (rc = f_key(L, &top, "name", s)))
        return rc;
    if (s->name[0] == '\0' && (nm = get(L, &top, "name", path)) != NULL)
        return fail_at(L, nm, path, "must not be empty");
    if ((rc = f_key(L, &top, "description", s)) || (rc = read_sources(L, &top, s)) ||
        (rc = read_catalog(L, &top, s)) || (rc = read_cluster(L, &top, s)) ||
        (rc = validate_after(L, s, DCS_SEC_CLUSTER)) || (rc = read_job(L, &top, s)) ||
        (rc = read_checkpoint(L, &top, s)) || (rc = validate_after(L, s, DCS_SEC_CKPT)) ||
        (rc = read_job_memory(L, &top, s)))
        return rc;
    if ((rc = open_section(L, &top, "restart", DCS_SEC_RESTART, false, &rs)) ||
        (rc = f_keys(L, &rs, s, "overhead", "warmup", NULL)) || (rc = read_energy(L, &top, s)) ||
        (rc = validate_after(L, s, DCS_SEC_COOLING)) || (rc = read_failures(L, &top, s)) ||
        (rc = validate_after(L, s, DCS_SEC_FAILURE)) || (rc = resolve_shares(L, &top, s)))
        return rc;
    if ((rc = open_section(L, &top, "targets", DCS_SEC_TARGETS, false, &tg)) ||
        (rc = f_keys(L, &tg, s, "budget_usd", "deadline", NULL)))
        return rc;
    if ((rc = open_section(L, &top, "simulation", DCS_SEC_SIM, false, &sim)))
        return rc;
    if ((rc = f_keys(L, &sim, s, "seed", "replications", "max_time", NULL)) ||
        (rc = read_start(L, &sim, &s->sim.start_s)) ||
        (rc = f_keys(L, &sim, s, "engine", "allow_no_progress", NULL)))
        return rc;
    if ((rc = read_money(L, &top, s)) || (rc = validate_after(L, s, DCS_SEC_MARKET)))
        return rc;
    return check_job_types(L, &top, s);
}

/* ---- entry points --------------------------------------------------------------------------- */

int yaml_fail(loader *L, const yaml_parser_t *p)
{
    if (p->error == YAML_MEMORY_ERROR)
        return dcs_err_set(L->err, DCS_ENOMEM, "out of memory parsing YAML");
    dcs_err_set(L->err, DCS_EINPUT, "%s%s%s", p->problem ? p->problem : "invalid YAML",
                p->context ? " " : "", p->context ? p->context : "");
    dcs_err_where(L->err, L->file, (long)p->problem_mark.line + 1,
                  (long)p->problem_mark.column + 1);
    return DCS_EINPUT;
}

/* ---- the parsed text: parsed once, built into scenarios many times ----------------------------
 */

/* The text parsed, its --set applied and its distributions found: the loader's state before the
 * overrides, which each build starts from on a copy of the tree. */
struct dcs_parsed {
    yaml_document_t doc; /* the tree with the --set applied */
    int nbase;           /* nodes in doc: a copy shares their strings */
    char *name;          /* the file name in messages; owned */
    int root;            /* node id of the scenario mapping */
    origin *orig;        /* [norig]: the --set values' origins */
    size_t norig;
    char dpath[DCS_MAX_UNCERTAIN][PATH_LEN]; /* collect_dist's key paths */
    int ndist;
};

/* A file that is not a mapping is the file's fault, not an override's
 * (-n and --seed are overrides too, given or not by --set). */
static int check_mapping(loader *L)
{
    const yaml_node_t *r0 = node_at(L, L->root);
    if (r0 != NULL && r0->type != YAML_MAPPING_NODE)
        return fail_at(L, r0, "", "expected a mapping of scenario keys, got %s",
                       dcs_yaml_is_null(r0) ? "no value" : type_name(r0));
    return 0;
}

/* Parses in->text into L->doc and finds the scenario's root; a second
 * document in the same file is refused rather than ignored. */
static int parse_doc(loader *L, const dcs_scenario_input *in)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return dcs_err_set(L->err, DCS_ENOMEM, "out of memory parsing YAML");
    yaml_parser_set_input_string(&p, (const unsigned char *)in->text, in->len);
    bool second = false;
    yaml_mark_t at;
    int rc = dcs_yaml_load_checked(&p, &L->doc, &second, &at, in->name, L->err);
    if (rc == DCS_YAML_FAILED) {
        rc = yaml_fail(L, &p);
    } else if (rc == 0 && second) {
        dcs_err_set(L->err, DCS_EINPUT, "the file holds more than one YAML document");
        dcs_err_where(L->err, in->name, (long)at.line + 1, (long)at.column + 1);
        rc = DCS_EINPUT;
    }
    yaml_parser_delete(&p);
    if (rc == 0 && in->root_key != NULL) {
        /* An inline scenario: the value of a top-level key of another file. */
        const yaml_node_t *top = node_at(L, 1);
        const yaml_node_t *r = lookup(L, top, in->root_key);
        if (r == NULL) {
            rc = fail_at(L, top, in->root_key, "missing required key");
            dcs_err_where(L->err, in->name, 1, 1);
        } else {
            L->root = node_id(L, r);
        }
    }
    return rc;
}

/* Parses, finds the distributions and applies the --set: the loader's state in L (its doc to be
 * deleted by the caller, also on failure). */
static int parse_text(loader *L, const dcs_scenario_input *in)
{
    L->file = in->name;
    L->root = 1;
    int rc = parse_doc(L, in);
    if (rc == 0 && (in->nsets > 0 || in->noverrides > 0))
        rc = check_mapping(L);
    const yaml_node_t *r0 = node_at(L, L->root);
    if (rc == 0 && r0 != NULL && r0->type == YAML_MAPPING_NODE)
        rc = walk_leaves(L, L->root, DCS_SEC_TOP, "", collect_dist);
    for (size_t i = 0; rc == 0 && i < in->nsets && node_at(L, L->root) != NULL; i++)
        rc = apply_set(L, in->sets[i]);
    return rc;
}

int dcs_scenario_parse(const dcs_scenario_input *in, dcs_parsed **out, dcs_err *err)
{
    *out = NULL;
    dcs_err_clear(err);
    loader L;
    memset(&L, 0, sizeof L);
    L.err = err;
    dcs_parsed *b = calloc(1, sizeof *b);
    if (b == NULL || (b->name = strdup(in->name)) == NULL) {
        free(b);
        return dcs_err_set(err, DCS_ENOMEM, "out of memory");
    }
    int rc = parse_text(&L, in);
    b->doc = L.doc; /* deleted with b, also on failure */
    if (rc != 0) {
        free(L.orig);
        dcs_parsed_free(b);
        return rc;
    }
    b->nbase = (int)(L.doc.nodes.top - L.doc.nodes.start);
    b->root = L.root;
    b->orig = L.orig;
    b->norig = L.norig;
    memcpy(b->dpath, L.dpath, sizeof b->dpath);
    b->ndist = L.ndist;
    *out = b;
    return 0;
}

int dcs_parsed_ndist(const dcs_parsed *b)
{
    return b->ndist;
}

void dcs_parsed_free(dcs_parsed *b)
{
    if (b == NULL)
        return;
    yaml_document_delete(&b->doc);
    free(b->orig);
    free(b->name);
    free(b);
}

/* A copy of the stack [start, top) of capacity end - start, whose elements are sz bytes, into
 * *start etc.; all NULL when out of memory. */
#define COPY_STACK(dst, src, sz)                                                                   \
    do {                                                                                           \
        size_t cap_ = (size_t)((const char *)(src).end - (const char *)(src).start);               \
        size_t len_ = (size_t)((const char *)(src).top - (const char *)(src).start);               \
        void *a_ = malloc(cap_ > (sz) ? cap_ : (sz));                                              \
        (dst).start = (dst).top = (dst).end = a_;                                                  \
        if (a_ != NULL) {                                                                          \
            memcpy(a_, (src).start, len_);                                                         \
            (dst).top = (dst).start + ((src).top - (src).start);                                   \
            (dst).end = (dst).start + ((src).end - (src).start);                                   \
        }                                                                                          \
    } while (0)

/* Frees a copy made by copy_tree: its own arrays, and the strings of the nodes added to it (past
 * the first nbase, which it shares with the parsed tree). */
static void free_tree(yaml_document_t *d, int nbase)
{
    for (yaml_node_t *n = d->nodes.start; n != NULL && n < d->nodes.top; n++) {
        if (n->type == YAML_SEQUENCE_NODE)
            free(n->data.sequence.items.start);
        else if (n->type == YAML_MAPPING_NODE)
            free(n->data.mapping.pairs.start);
        if (n - d->nodes.start >= nbase) {
            free(n->tag);
            if (n->type == YAML_SCALAR_NODE)
                free(n->data.scalar.value);
        }
    }
    free(d->nodes.start);
    memset(d, 0, sizeof *d);
}

/* A copy of the parsed tree that overrides and distributions may change: its own node array and
 * the item and pair arrays of its lists and mappings (which change), the strings shared (which
 * do not; a new value is a new node). No text is parsed. */
static int copy_tree(yaml_document_t *d, const dcs_parsed *b, dcs_err *err)
{
    const yaml_document_t *s = &b->doc;
    memset(d, 0, sizeof *d);
    d->start_mark = s->start_mark;
    d->end_mark = s->end_mark;
    COPY_STACK(d->nodes, s->nodes, sizeof(yaml_node_t));
    if (d->nodes.start == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory");
    bool ok = true;
    for (yaml_node_t *n = d->nodes.start; n < d->nodes.top; n++) {
        const yaml_node_t *o = s->nodes.start + (n - d->nodes.start);
        if (n->type == YAML_SEQUENCE_NODE) {
            COPY_STACK(n->data.sequence.items, o->data.sequence.items, sizeof(yaml_node_item_t));
            ok = ok && n->data.sequence.items.start != NULL;
        } else if (n->type == YAML_MAPPING_NODE) {
            COPY_STACK(n->data.mapping.pairs, o->data.mapping.pairs, sizeof(yaml_node_pair_t));
            ok = ok && n->data.mapping.pairs.start != NULL;
        }
    }
    if (!ok) {
        free_tree(d, b->nbase);
        return dcs_err_set(err, DCS_ENOMEM, "out of memory");
    }
    return 0;
}

/* Draws or resolves the distributions, reads and checks the scenario in L's tree into s. */
static int read_all(loader *L, const dcs_scenario_input *in, dcs_scenario *s)
{
    int rc = read_correlation(L, &s->correlation);
    if (rc == 0 && L->ndist > 0) {
        L->unc = s->uncertain;
        L->draw = in->draw;
        L->draw_seed = in->draw_seed;
        L->draw_rep = in->draw_rep;
        if (L->draw && (L->rng = dcs_rng_create(L->err)) == NULL)
            return L->err->code;
        L->corr = dcs_corr_active(&s->correlation) ? &s->correlation : NULL;
        if (L->draw && L->corr != NULL)
            rc = in->corr_cache != NULL
                     ? dcs_corr_uniforms_cached(L->corr, in->corr_cache, L->rng, L->draw_seed,
                                                L->draw_rep, L->cu, L->err)
                     : dcs_corr_uniforms(L->corr, L->rng, L->draw_seed, L->draw_rep, L->cu, L->err);
        if (rc == 0)
            rc = walk_leaves(L, L->root, DCS_SEC_TOP, "", resolve_dist);
    }
    if (rc == 0)
        rc = read_scenario(L, s);
    s->nuncertain = L->ndist;
    if (rc == 0 && !in->checked &&
        (rc = dcs_scenario_check_runnable_with(s, in->on_world, in->on_world_ctx, L->err)))
        where_key(L, L->err->key);
    return rc;
}

/* The first half of a build: L's tree a copy of b's with in's overrides applied. */
static int build_front(loader *L, const dcs_parsed *b, const dcs_scenario_input *in)
{
    L->file = b->name;
    L->root = b->root;
    memcpy(L->dpath, b->dpath, sizeof L->dpath);
    L->ndist = b->ndist;
    int rc = copy_tree(&L->doc, b, L->err);
    if (rc == 0 && b->norig > 0) {
        if ((L->orig = malloc(b->norig * sizeof *L->orig)) == NULL)
            return dcs_err_set(L->err, DCS_ENOMEM, "out of memory");
        memcpy(L->orig, b->orig, b->norig * sizeof *L->orig);
        L->norig = b->norig;
    }
    if (rc == 0 && in->noverrides > 0)
        rc = check_mapping(L);
    for (size_t i = 0; rc == 0 && i < in->noverrides && node_at(L, L->root) != NULL; i++)
        rc = apply_override(L, &in->overrides[i]);
    return rc;
}

/* Applies in's overrides to a copy of b's tree and, unless in->paths_only, reads the scenario. */
static int build(loader *L, const dcs_parsed *b, const dcs_scenario_input *in, dcs_scenario *out,
                 char **resolved_yaml)
{
    int rc = build_front(L, b, in);
    if (rc != 0 || in->paths_only)
        return rc;
    /* *out is written only when everything passed. */
    dcs_scenario *s = in->scratch != NULL ? in->scratch : malloc(sizeof *s);
    if (s == NULL)
        return dcs_err_set(L->err, DCS_ENOMEM, "out of memory");
    memset(s, 0, sizeof *s);
    rc = read_all(L, in, s);
    if (rc == 0 && resolved_yaml != NULL)
        rc = dcs_emit_resolved(s, resolved_yaml, L->err);
    if (rc == 0 && out != NULL)
        memcpy(out, s, sizeof *s);
    if (s != in->scratch)
        free(s);
    return rc;
}

int dcs_scenario_build(const dcs_parsed *b, const dcs_scenario_input *in, dcs_scenario *out,
                       char **resolved_yaml, dcs_err *err)
{
    dcs_err_clear(err);
    if (resolved_yaml != NULL)
        *resolved_yaml = NULL;
    loader L;
    memset(&L, 0, sizeof L);
    L.err = err;
    int rc = build(&L, b, in, out, resolved_yaml);
    if (L.rng != NULL)
        gsl_rng_free(L.rng);
    free(L.orig);
    free_tree(&L.doc, b->nbase);
    return rc;
}

/* ---- a base: the parsed text and the overrides of every replication of a run ---------------- */

struct dcs_scenario_base {
    dcs_parsed *parsed;    /* the text with its --set */
    dcs_scenario_input in; /* as given (its overrides borrowed), applied at each load */
};

dcs_scenario_base *dcs_scenario_base_create(const dcs_scenario_input *in, dcs_err *err)
{
    dcs_err_clear(err);
    dcs_scenario_base *b = calloc(1, sizeof *b);
    if (b == NULL) {
        dcs_err_set(err, DCS_ENOMEM, "out of memory");
        return NULL;
    }
    b->in = *in;
    b->in.paths_only = false;
    b->in.scratch = NULL;
    b->in.checked = false;
    int rc = dcs_scenario_parse(&b->in, &b->parsed, err);
    if (rc == 0) {
        /* Refuse here what the first half of a load refuses: the overrides and the
         * correlation (uncertain.correlation). */
        loader L;
        memset(&L, 0, sizeof L);
        L.err = err;
        dcs_correlation *corr = malloc(sizeof *corr);
        rc = corr == NULL ? dcs_err_set(err, DCS_ENOMEM, "out of memory")
                          : build_front(&L, b->parsed, &b->in);
        if (rc == 0)
            rc = read_correlation(&L, corr);
        free(corr);
        free(L.orig);
        free_tree(&L.doc, b->parsed->nbase);
    }
    if (rc != 0) {
        dcs_scenario_base_destroy(b);
        return NULL;
    }
    return b;
}

int dcs_scenario_base_load(const dcs_scenario_base *b, bool draw, uint64_t seed, uint64_t rep,
                           struct dcs_corr_cache *cache, dcs_scenario *out, dcs_err *err)
{
    dcs_scenario_input in = b->in;
    in.draw = draw;
    in.draw_seed = seed;
    in.draw_rep = rep;
    in.corr_cache = cache;
    return dcs_scenario_build(b->parsed, &in, out, NULL, err);
}

void dcs_scenario_base_destroy(dcs_scenario_base *b)
{
    if (b == NULL)
        return;
    dcs_parsed_free(b->parsed);
    free(b);
}

static int load_text(const dcs_scenario_input *in, dcs_scenario *out, char **resolved_yaml,
                     dcs_err *err)
{
    dcs_parsed *b = NULL;
    int rc = dcs_scenario_parse(in, &b, err);
    if (rc == 0)
        rc = dcs_scenario_build(b, in, out, resolved_yaml, err);
    else if (resolved_yaml != NULL)
        *resolved_yaml = NULL;
    dcs_parsed_free(b);
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
