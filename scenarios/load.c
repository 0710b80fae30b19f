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
    if ((rc = check_keys(L, &top)) ||
        (rc = f_string(L, &top, "name", true, s->name, sizeof s->name)))
        return rc;
    if (s->name[0] == '\0' && (nm = get(L, &top, "name", path)) != NULL)
        return fail_at(L, nm, path, "must not be empty");
    if ((rc = f_string(L, &top, "description", false, s->description, sizeof s->description)) ||
        (rc = read_sources(L, &top, s)) || (rc = read_catalog(L, &top, s)) ||
        (rc = read_cluster(L, &top, s)) || (rc = validate_after(L, s, DCS_SEC_CLUSTER)) ||
        (rc = read_job(L, &top, s)) || (rc = read_checkpoint(L, &top, s)) ||
        (rc = validate_after(L, s, DCS_SEC_CKPT)) || (rc = read_job_memory(L, &top, s)))
        return rc;
    /* Default restart overhead 5 min: reschedule and warm-up (docs/scenarios.md). */
    if ((rc = open_section(L, &top, "restart", DCS_SEC_RESTART, false, &rs)) ||
        (rc = f_quantity(L, &rs, "overhead", DCS_DIM_DURATION, false, R_GE0, 300.0,
                         &s->restart.overhead_s)) ||
        (rc = f_quantity(L, &rs, "warmup", DCS_DIM_DURATION, false, R_GE0, 0.0,
                         &s->restart.warmup_s)) ||
        (rc = read_energy(L, &top, s)) || (rc = validate_after(L, s, DCS_SEC_COOLING)) ||
        (rc = read_failures(L, &top, s)) || (rc = validate_after(L, s, DCS_SEC_FAILURE)) ||
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

/* ---- a scenario parsed once ------------------------------------------------------------------
 *
 * A load has two halves. The first parses the text, applies the overrides,
 * finds the distributions and reads the correlation: a base, the same for
 * every replication. The second resolves the distributions (nominal or
 * drawn) and reads the scenario from a copy of the base's document (the
 * resolution writes into the document). dcs_scenario_load_input does both
 * once; a run, a validation or a draw check makes the base once and loads
 * each replication from it, without parsing the text again. */

struct dcs_scenario_base {
    loader L;             /* after the overrides; L.err is set per call */
    bool have_doc;        /* L.doc was parsed */
    dcs_correlation corr; /* uncertain.correlation */
};

/* Parses in's text into L->doc (the scenario at in->root_key, if given). */
static int parse_doc(loader *L, const dcs_scenario_input *in, bool *have_doc)
{
    int rc = dcs_input_check_yaml(in->text, in->len, in->name, 0, 0, L->err);
    if (rc != 0)
        return rc;
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return dcs_err_set(L->err, DCS_ENOMEM, "out of memory parsing YAML");
    yaml_parser_set_input_string(&p, (const unsigned char *)in->text, in->len);
    if (!yaml_parser_load(&p, &L->doc)) {
        rc = yaml_fail(L, &p);
        yaml_parser_delete(&p);
        return rc;
    }
    *have_doc = true;
    /* A second document in the same file is refused rather than ignored. */
    yaml_document_t extra;
    if (!yaml_parser_load(&p, &extra))
        rc = yaml_fail(L, &p);
    const yaml_node_t *xr = rc == 0 ? yaml_document_get_root_node(&extra) : NULL;
    if (xr != NULL) {
        rc = dcs_err_set(L->err, DCS_EINPUT, "the file holds more than one YAML document");
        dcs_err_where(L->err, in->name, (long)xr->start_mark.line + 1,
                      (long)xr->start_mark.column + 1);
    }
    if (rc == 0 || xr != NULL)
        yaml_document_delete(&extra);
    yaml_parser_delete(&p);
    if (rc || in->root_key == NULL)
        return rc;
    /* An inline scenario: the value of a top-level key of another file. */
    const yaml_node_t *top = node_at(L, 1);
    const yaml_node_t *r = lookup(L, top, in->root_key);
    if (r == NULL) {
        rc = fail_at(L, top, in->root_key, "missing required key");
        dcs_err_where(L->err, in->name, 1, 1);
        return rc;
    }
    L->root = node_id(L, r);
    return 0;
}

/* Finds the distributions of the document, then applies in's overrides. */
static int apply_overrides(loader *L, const dcs_scenario_input *in)
{
    /* A file that is not a mapping is the file's fault, not an override's
     * (-n and --seed are overrides too, given or not by --set). */
    const yaml_node_t *r0 = node_at(L, L->root);
    if (r0 != NULL && r0->type != YAML_MAPPING_NODE && (in->nsets > 0 || in->noverrides > 0))
        return fail_at(L, r0, "", "expected a mapping of scenario keys, got %s",
                       dcs_yaml_is_null(r0) ? "no value" : type_name(r0));
    int rc = 0;
    if (r0 != NULL && r0->type == YAML_MAPPING_NODE &&
        (rc = walk_leaves(L, L->root, DCS_SEC_TOP, "", collect_dist)))
        return rc;
    for (size_t i = 0; i < in->nsets && node_at(L, L->root) != NULL; i++)
        if ((rc = apply_set(L, in->sets[i])))
            return rc;
    for (size_t i = 0; i < in->noverrides && node_at(L, L->root) != NULL; i++)
        if ((rc = apply_override(L, &in->overrides[i])))
            return rc;
    return 0;
}

/* The first half of a load into b (its L.err: err). */
static int base_init(dcs_scenario_base *b, const dcs_scenario_input *in, dcs_err *err)
{
    memset(b, 0, sizeof *b);
    b->L.file = in->name;
    b->L.root = 1;
    b->L.err = err;
    int rc = parse_doc(&b->L, in, &b->have_doc);
    if (rc == 0)
        rc = apply_overrides(&b->L, in);
    if (rc == 0 && !in->paths_only)
        rc = read_correlation(&b->L, &b->corr);
    return rc;
}

static void base_fini(dcs_scenario_base *b)
{
    if (b->have_doc)
        yaml_document_delete(&b->L.doc);
    free(b->L.orig);
}

/* Frees what doc_copy gave L beyond the base's n nodes: the nodes it added,
 * the mappings' pairs, the node array and the origins. */
static void doc_free(loader *L, size_t n)
{
    yaml_node_t *nodes = L->doc.nodes.start;
    for (yaml_node_t *x = nodes; x != NULL && x < L->doc.nodes.top; x++) {
        if ((size_t)(x - nodes) >= n && x->type == YAML_SCALAR_NODE) {
            free(x->tag);
            free(x->data.scalar.value);
        } else if ((size_t)(x - nodes) < n && x->type == YAML_MAPPING_NODE) {
            free(x->data.mapping.pairs.start);
        }
    }
    free(nodes);
    free(L->orig);
}

/* L's document and origins become copies of base's that L may change (its
 * scalars and sequences shared, read only): its node array with room for a
 * node per distribution, and each mapping's pairs. */
static int doc_copy(loader *L, const loader *base)
{
    const yaml_document_t *d = &base->doc;
    size_t n = (size_t)(d->nodes.top - d->nodes.start), cap = n + DCS_MAX_UNCERTAIN + 1;
    yaml_node_t *nodes = malloc(cap * sizeof *nodes);
    L->orig = base->norig > 0 ? malloc(base->norig * sizeof *L->orig) : NULL;
    L->doc.nodes.start = L->doc.nodes.top = nodes;
    if (nodes == NULL || (base->norig > 0 && L->orig == NULL))
        return dcs_err_set(L->err, DCS_ENOMEM, "out of memory loading a replication");
    if (base->norig > 0)
        memcpy(L->orig, base->orig, base->norig * sizeof *L->orig);
    memcpy(nodes, d->nodes.start, n * sizeof *nodes);
    L->doc.nodes.top = nodes + n;
    L->doc.nodes.end = nodes + cap;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (nodes[i].type != YAML_MAPPING_NODE)
            continue;
        yaml_node_pair_t *p0 = d->nodes.start[i].data.mapping.pairs.start;
        size_t np = (size_t)(d->nodes.start[i].data.mapping.pairs.top - p0);
        yaml_node_pair_t *p = rc == 0 ? malloc((np > 0 ? np : 1) * sizeof *p) : NULL;
        if (p == NULL && rc == 0)
            rc = dcs_err_set(L->err, DCS_ENOMEM, "out of memory loading a replication");
        if (p != NULL && np > 0)
            memcpy(p, p0, np * sizeof *p);
        nodes[i].data.mapping.pairs.start = p;
        nodes[i].data.mapping.pairs.top = p != NULL ? p + np : NULL;
        nodes[i].data.mapping.pairs.end = p != NULL ? p + np : NULL;
    }
    return rc;
}

/* The second half of a load: resolves b's distributions (drawn, with draw)
 * in a copy of its document and reads the scenario into *out. */
static int base_read(const dcs_scenario_base *b, const dcs_scenario_input *in, dcs_scenario *out,
                     char **resolved_yaml, dcs_err *err)
{
    loader L = b->L;
    L.err = err;
    size_t n = (size_t)(b->L.doc.nodes.top - b->L.doc.nodes.start);
    dcs_scenario *s = calloc(1, sizeof *s);
    int rc = doc_copy(&L, &b->L);
    if (rc == 0 && s == NULL)
        rc = dcs_err_set(err, DCS_ENOMEM, "out of memory");
    if (rc)
        goto done;
    s->correlation = b->corr;
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
            (rc = in->corr_cache != NULL
                      ? dcs_corr_uniforms_cached(L.corr, in->corr_cache, L.rng, L.draw_seed,
                                                 L.draw_rep, L.cu, err)
                      : dcs_corr_uniforms(L.corr, L.rng, L.draw_seed, L.draw_rep, L.cu, err)))
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
    if (resolved_yaml != NULL && (rc = dcs_emit_resolved(s, resolved_yaml, err)))
        goto done;
    if (out != NULL)
        memcpy(out, s, sizeof *s);
done:
    if (L.rng != NULL)
        gsl_rng_free(L.rng);
    free(s);
    doc_free(&L, n);
    return rc;
}

static int load_text(const dcs_scenario_input *in, dcs_scenario *out, char **resolved_yaml,
                     dcs_err *err)
{
    dcs_err_clear(err);
    if (resolved_yaml != NULL)
        *resolved_yaml = NULL;
    dcs_scenario_base *b = malloc(sizeof *b);
    if (b == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory");
    int rc = base_init(b, in, err);
    if (rc == 0 && !in->paths_only)
        rc = base_read(b, in, out, resolved_yaml, err);
    base_fini(b);
    free(b);
    return rc;
}

dcs_scenario_base *dcs_scenario_base_create(const dcs_scenario_input *in, dcs_err *err)
{
    dcs_err_clear(err);
    dcs_scenario_base *b = malloc(sizeof *b);
    if (b == NULL) {
        dcs_err_set(err, DCS_ENOMEM, "out of memory");
        return NULL;
    }
    dcs_scenario_input whole = *in;
    whole.paths_only = false;
    if (base_init(b, &whole, err) != 0) {
        dcs_scenario_base_destroy(b);
        return NULL;
    }
    return b;
}

int dcs_scenario_base_load(const dcs_scenario_base *b, bool draw, uint64_t seed, uint64_t rep,
                           struct dcs_corr_cache *cache, dcs_scenario *out, dcs_err *err)
{
    dcs_err_clear(err);
    dcs_scenario_input in = {.draw = draw, .draw_seed = seed, .draw_rep = rep, .corr_cache = cache};
    return base_read(b, &in, out, NULL, err);
}

void dcs_scenario_base_destroy(dcs_scenario_base *b)
{
    if (b == NULL)
        return;
    base_fini(b);
    free(b);
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
