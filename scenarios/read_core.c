/*
 * read_core.c - the readers of a scenario's catalog, cluster, job,
 * checkpoint, restart and failure sections.
 */
#include "loader.h"

/* ---- a user catalog ------------------------------------------------------------------------- */

/* The figures of an entry, in the order of dcs_user_accel.sources, and
 * their labels in the joined source string. */
static const char *const figure_keys[DCS_ACCEL_FIGURES] = {"peak_flops", "memory", "tdp",
                                                           "purchase_usd", "rental_usd_per_hour"};
static const char *const figure_labels[DCS_ACCEL_FIGURES] = {"peak", "memory", "TDP", "purchase",
                                                             "rental"};

static double *figure_field(dcs_accel *a, int f)
{
    switch (f) {
    case 0:
        return &a->peak_flops;
    case 1:
        return &a->memory_bytes;
    case 2:
        return &a->tdp_w;
    case 3:
        return &a->purchase_usd;
    default:
        return &a->rental_usd_per_h;
    }
}

/* Writes k's range as the message says it: "> 0W and <= 100000W". */
static void range_words(char *dst, size_t n, const dcs_schema_key *k)
{
    size_t used = 0;
    const char *u = k->type == DCS_KT_QUANTITY ? dcs_units_si_symbol(k->dim) : "";
    dst[0] = '\0';
    if (k->range & DCS_RANGE_LO)
        used += (size_t)snprintf(dst, n, "%s %g%s",
                                 (k->range & DCS_RANGE_LO_OPEN) ? ">" : ">=", k->lo, u);
    if ((k->range & DCS_RANGE_HI) && used < n)
        snprintf(dst + used, n - used, "%s%s %g%s", used ? " and " : "",
                 (k->range & DCS_RANGE_HI_OPEN) ? "<" : "<=", k->hi, u);
}

/* One figure of entry `it`: a number in the key's range (SI units for a
 * quantity), or "n/a" (NAN) where the table allows it. */
static int read_figure(loader *L, const section *it, int f, double *out)
{
    const dcs_schema_key *k = dcs_schema_find(DCS_SEC_CATALOG_ACCEL, figure_keys[f]);
    bool na_ok = f >= 2; /* tdp and the prices may be unpublished; peak and memory may not */
    char path[PATH_LEN];
    const yaml_node_t *n = get(L, it, k->name, path);
    if (n == NULL)
        return missing(L, it, k->name,
                       na_ok ? "give the figure, or n/a with a source that says why"
                             : "every entry gives this figure");
    if (n->type == YAML_SCALAR_NODE && strcmp((const char *)n->data.scalar.value, "n/a") == 0) {
        if (!na_ok)
            return fail_at(L, n, path, "cannot be n/a: the simulation needs this figure");
        *out = NAN;
        return 0;
    }
    double v = 0.0;
    int rc = k->type == DCS_KT_QUANTITY ? quantity_of(L, n, path, k->dim, R_ANY, &v)
                                        : number_of(L, n, path, R_ANY, &v);
    if (rc)
        return rc;
    if (!dcs_schema_in_range(k, v)) {
        char words[64];
        range_words(words, sizeof words, k);
        return fail_at(L, n, path, "must be %s, got \"%.60s\"", words,
                       (const char *)n->data.scalar.value);
    }
    *out = v;
    return 0;
}

/* Joins an entry's sources into accel.source ("peak: ...; memory: ..."), cut
 * with "..." where it is longer than the field: the whole sources are kept
 * in u->sources, this string is for display. */
static void join_sources(dcs_user_accel *u)
{
    char *dst = u->accel.source;
    size_t cap = sizeof u->accel.source, used = 0;
    dst[0] = '\0';
    for (int f = 0; f < DCS_ACCEL_FIGURES && used < cap; f++)
        used += (size_t)snprintf(dst + used, cap - used, "%s%s: %s", f ? "; " : "",
                                 figure_labels[f], u->sources[f]);
    if (used >= cap)
        memcpy(dst + cap - 4, "...", 4);
}

/* The key "name" of sec into its field at base (name), which must be
 * [a-z0-9_]+ ("VERB [a-z0-9_]+" says so); *n and path its node, for the
 * caller's own checks. */
static int snake_name(loader *L, const section *sec, void *base, const char *name, const char *verb,
                      const yaml_node_t **n, char *path)
{
    int rc = f_key(L, sec, "name", base);
    *n = get(L, sec, "name", path);
    if (rc == 0 &&
        (name[0] == '\0' || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(name)))
        rc = fail_at(L, *n, path, "%s [a-z0-9_]+, got \"%.60s\"", verb, name);
    return rc;
}

/* Whether text holds something other than blanks. */
static bool blank(const char *text)
{
    return text[strspn(text, " \t\r\n")] == '\0';
}

/* One entry of a user catalog. `seen` are the entries before it. */
static int read_user_accel(loader *L, const section *it, int i, const item_list *l, void *arg)
{
    const dcs_user_catalog *seen = arg;
    dcs_user_accel *u = &((dcs_user_catalog *)arg)->accels[i];
    const char *lpath = l->path;
    char path[PATH_LEN];
    int rc;
    memset(u, 0, sizeof *u);
    const yaml_node_t *kn;
    if ((rc = need(L, it, "key", NULL, path, &kn)) || (rc = f_key(L, it, "key", u)))
        return rc;
    const char *key = u->accel.key;
    if (key[0] == '\0' ||
        strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") !=
            strlen(key))
        return fail_at(L, kn, path, "must be 1 to 63 of A-Z a-z 0-9 - _ ., got \"%.60s\"", key);
    const dcs_accel *builtin = dcs_catalog_find(key);
    if (builtin != NULL)
        return fail_at(L, kn, path,
                       "\"%s\" clashes with the built-in catalog's \"%s\" (%s): a catalog of your "
                       "own adds accelerators and replaces none; choose another key, or change "
                       "figures with cluster.accelerator_overrides",
                       key, builtin->key, builtin->name);
    for (int j = 0; j < i; j++)
        if (strcasecmp(seen->accels[j].accel.key, key) == 0)
            return fail_at(L, kn, path, "\"%s\" is given twice (also %s[%d], \"%s\")", key, lpath,
                           j, seen->accels[j].accel.key);
    if ((rc = f_key(L, it, "name", u)))
        return rc;
    if (blank(u->accel.name))
        return fail_at(L, get(L, it, "name", path), path, "must not be empty");
    if ((rc = f_need(L, it, "format", "BF16, or FP16 for a part without BF16", u)))
        return rc;
    for (int f = 0; f < DCS_ACCEL_FIGURES; f++)
        if ((rc = read_figure(L, it, f, figure_field(&u->accel, f))))
            return rc;
    section src;
    if ((rc = open_section(L, it, "sources", DCS_SEC_CATALOG_SOURCES, true, &src)))
        return rc;
    for (int f = 0; f < DCS_ACCEL_FIGURES; f++) {
        const char *hint = "every figure names its public source, or \"assumption:\" and why";
        if (get(L, &src, figure_keys[f], path) == NULL)
            return missing(L, &src, figure_keys[f], hint);
        if ((rc = f_key(L, &src, figure_keys[f], u)))
            return rc;
        if (blank(u->sources[f]))
            return fail_at(L, get(L, &src, figure_keys[f], path), path, "must not be empty: %s",
                           hint);
    }
    join_sources(u);
    return 0;
}

/* The mapping of a user catalog (a scenario's catalog section, or the top
 * level of a catalog file) into *uc. */
static int read_catalog_map(loader *L, const section *cat, dcs_user_catalog *uc)
{
    static const list_spec spec = {.what = "accelerators",
                                   .many = "accelerators",
                                   .counted = true,
                                   .empty = "give at least one accelerator",
                                   .null_list = true};
    item_list l;
    memset(uc, 0, sizeof *uc);
    int rc = read_list(L, cat, "accelerators", &spec, read_user_accel, uc, &l, &uc->naccels);
    if (rc == 0 && l.node == NULL)
        return missing(L, cat, "accelerators", NULL);
    return rc;
}

/* Loads the catalog file at path (its top level is the mapping of the
 * scenario's catalog section). Errors are reported in that file. */
static int load_catalog_file(const char *path, dcs_user_catalog *uc, dcs_err *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc = dcs_input_read_file(path, "a catalog file", &text, &len, err);
    if (rc)
        return rc;
    if ((rc = dcs_input_check_yaml(text, len, path, 0, 0, err))) {
        free(text);
        return rc;
    }
    loader L;
    memset(&L, 0, sizeof L);
    L.file = path;
    L.root = 1;
    L.err = err;
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        free(text);
        return dcs_err_set(err, DCS_ENOMEM, "out of memory parsing YAML");
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    if (!yaml_parser_load(&p, &L.doc)) {
        rc = yaml_fail(&L, &p);
        yaml_parser_delete(&p);
        free(text);
        return rc;
    }
    const yaml_node_t *root = node_at(&L, 1);
    if (root == NULL || root->type != YAML_MAPPING_NODE) {
        rc = dcs_err_set(err, DCS_EINPUT, "expected a mapping with the key accelerators, got %s",
                         root == NULL || dcs_yaml_is_null(root) ? "no value" : type_name(root));
        dcs_err_where(err, path, root != NULL ? (long)root->start_mark.line + 1 : 1,
                      root != NULL ? (long)root->start_mark.column + 1 : 1);
    } else {
        section top = {root, root, "", DCS_SEC_CATALOG};
        rc = check_keys(&L, &top);
        if (rc == 0)
            rc = read_catalog_map(&L, &top, uc);
    }
    yaml_document_delete(&L.doc);
    yaml_parser_delete(&p);
    free(text);
    return rc;
}

/* The scenario's catalog: a file name relative to the scenario's folder, or
 * an inline section. */
int read_catalog(loader *L, const section *top, dcs_scenario *s)
{
    char path[PATH_LEN];
    const yaml_node_t *n = get(L, top, "catalog", path);
    if (n == NULL)
        return 0;
    if (n->type == YAML_MAPPING_NODE) {
        section cat = {n, n, "", DCS_SEC_CATALOG};
        snprintf(cat.path, sizeof cat.path, "%s", path);
        int rc = check_keys(L, &cat);
        return rc ? rc : read_catalog_map(L, &cat, &s->catalog);
    }
    char file[1024];
    int rc = file_of(L, n, path, "a catalog file name or a mapping", file, sizeof file);
    if (rc)
        return rc;
    rc = load_catalog_file(file, &s->catalog, L->err);
    if (rc != 0 && L->err->where[0] == '\0') {
        /* The file could not be read at all: say which key named it. */
        where_node(L, n);
        dcs_err_key(L->err, path);
    }
    return rc;
}

/* The accelerator `key` names: the scenario's own catalog's, else the
 * built-in catalog's (case-insensitive), or NULL. */
static const dcs_accel *find_accel(const dcs_user_catalog *uc, const char *key)
{
    for (int i = 0; i < uc->naccels; i++)
        if (strcasecmp(uc->accels[i].accel.key, key) == 0)
            return &uc->accels[i].accel;
    return dcs_catalog_find(key);
}

int dcs_user_catalog_load(const char *path, dcs_user_catalog *out, dcs_err *err)
{
    dcs_err_clear(err);
    dcs_user_catalog *uc = calloc(1, sizeof *uc);
    if (uc == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory");
    int rc = load_catalog_file(path, uc, err);
    if (rc == 0)
        memcpy(out, uc, sizeof *uc);
    free(uc);
    return rc;
}

int read_cluster(loader *L, const section *top, dcs_scenario *s)
{
    section cl, ov;
    dcs_cluster_cfg *c = &s->cluster;
    int rc = open_section(L, top, "cluster", DCS_SEC_CLUSTER, true, &cl);
    if (rc)
        return rc;
    char path[PATH_LEN];
    const yaml_node_t *n;
    const char *key;
    if ((rc = need(L, &cl, "accelerator", NULL, path, &n)) ||
        (rc = scalar_text(L, n, path, "a catalog key", &key)))
        return rc;
    const dcs_accel *a = find_accel(&s->catalog, key);
    if (a == NULL)
        return fail_at(L, n, path,
                       "unknown accelerator \"%.60s\"; run `dcsim catalog` to list the known ones, "
                       "or add it in a catalog of your own (`catalog:`)",
                       key);
    memcpy(&c->accel, a, sizeof c->accel);
    /* The overrides' defaults are the catalog's figures, already in place.
     * The most nodes the model holds (models/run.h) is checked here, before
     * anything multiplies the counts. */
    if ((rc = open_section(L, &cl, "accelerator_overrides", DCS_SEC_OVERRIDES, false, &ov)) ||
        (rc = f_keys(L, &ov, s, "peak_flops", "memory", "tdp", "purchase_usd",
                     "rental_usd_per_hour", NULL)) ||
        (rc = f_key(L, &cl, "nodes", s)) ||
        (rc = at_most(L, &cl, "nodes", c->nodes, DCS_RUN_MAX_NODES,
                      "the most the model holds: each node may have four events pending and the "
                      "engine holds 2^24 - 1")) ||
        (rc = f_keys(L, &cl, s, "accelerators_per_node", "spare_nodes", NULL)) ||
        (rc = at_most(L, &cl, "spare_nodes", c->spare_nodes, DCS_RUN_MAX_NODES,
                      "the most nodes the model holds")))
        return rc;
    if (get(L, &cl, "price_usd_per_accelerator_hour", path) == NULL &&
        isnan(c->accel.rental_usd_per_h))
        return missing(L, &cl, "price_usd_per_accelerator_hour",
                       "the catalog has no rental price for this accelerator");
    c->price_usd_per_accel_h = c->accel.rental_usd_per_h; /* derived: the catalog's price */
    if ((rc = f_keys(L, &cl, s, "price_usd_per_accelerator_hour", "bill_spares", "swap_time",
                     "nodes_per_switch", "repair_capacity", "on_no_spare", NULL)) ||
        (rc = f_refuse(L, &cl, s)))
        return rc;
    /* At most nodes: the validator cluster.min_nodes (validate.c). */
    if (c->on_no_spare == DCS_NO_SPARE_SHRINK)
        return f_key(L, &cl, "min_nodes", s);
    c->min_nodes = c->nodes;
    return 0;
}

/* FLOPs per token per active parameter of a kind's training step: 2
 * forward, 2 backward through the activations, and 2 more for the weight
 * gradients of the trainable share f (f = 1 but for adapters). */
static double flops_per_token(const dcs_job_cfg *j)
{
    return j->kind == DCS_JOB_ADAPTER ? 4.0 + 2.0 * j->trainable_fraction : 6.0;
}

/* Stage i of job.stages: {name, tokens | flops | accelerator_hours, mfu}. */
static int read_stage(loader *L, const section *st, int i, const item_list *l, void *arg)
{
    dcs_job_cfg *j = arg;
    (void)l;
    dcs_stage_cfg *g = &j->stages[i];
    int rc;
    memset(g, 0, sizeof *g);
    char path[PATH_LEN], tpath[PATH_LEN], fpath[PATH_LEN], hpath[PATH_LEN];
    const yaml_node_t *nm;
    if ((rc = snake_name(L, st, g, g->name, "must be", &nm, path)))
        return rc;
    for (int k = 0; k < i; k++)
        if (strcmp(j->stages[k].name, g->name) == 0)
            return fail_at(L, nm, path, "stage \"%s\" is given twice (also job.stages[%d])",
                           g->name, k);
    const yaml_node_t *to = get(L, st, "tokens", tpath);
    const yaml_node_t *fl = get(L, st, "flops", fpath);
    const yaml_node_t *ah = get(L, st, "accelerator_hours", hpath);
    if ((to != NULL) + (fl != NULL) + (ah != NULL) != 1) {
        if (to == NULL && fl == NULL && ah == NULL)
            return missing(L, st, "tokens", "give one of tokens, flops and accelerator_hours");
        const yaml_node_t *second = fl != NULL && to != NULL ? fl : ah;
        return fail_at(L, second, second == fl ? fpath : hpath,
                       "give one of tokens, flops and accelerator_hours, not several");
    }
    if (to != NULL) {
        if (j->kind == DCS_JOB_VISION)
            return fail_at(L, to, tpath,
                           "a vision job's stages take flops or "
                           "accelerator_hours, not tokens");
        if (!(j->active_parameters > 0.0))
            return fail_at(L, to, tpath, "tokens needs job.parameters");
        if ((rc = f_key(L, st, "tokens", g)))
            return rc;
        g->flops = flops_per_token(j) * j->active_parameters * g->tokens;
    } else if ((rc = f_keys(L, st, g, "flops", "accelerator_hours", NULL))) {
        return rc;
    }
    const yaml_node_t *m = get(L, st, "mfu", path);
    g->mfu = j->mfu;
    if (m == NULL && ah == NULL && !(j->mfu > 0.0))
        return missing(L, st, "mfu", "or give job.mfu for every stage");
    if (m != NULL) {
        if (ah != NULL)
            return fail_at(L, m, path,
                           "is not used with accelerator_hours (they are "
                           "already hours of the cluster)");
        if ((rc = f_key(L, st, "mfu", g))) /* derived: job.mfu */
            return rc;
    }
    j->flops += g->flops;
    return 0;
}

/* job.stages: a list of stages, the job's work their sum. */
static int read_stages(loader *L, const section *jb, dcs_job_cfg *j)
{
    static const list_spec spec = {.what = "stages",
                                   .many = "stages",
                                   .counted = true,
                                   .empty = "give at least one stage, or leave stages out"};
    item_list l;
    j->flops = 0.0;
    return read_list(L, jb, "stages", &spec, read_stage, j, &l, &j->nstages);
}

/* job.accelerators: the types a job can run on, the first the cluster's. */
static int read_job_type(loader *L, const section *it, int i, const item_list *l, void *arg)
{
    dcs_scenario *s = arg;
    (void)l;
    int rc;
    dcs_job_type_cfg *t = &s->job.types[i];
    char path[PATH_LEN];
    const yaml_node_t *tn;
    const char *key;
    if ((rc = need(L, it, "type", "a catalog key", path, &tn)) ||
        (rc = scalar_text(L, tn, path, "a catalog key", &key)))
        return rc;
    const dcs_accel *a = find_accel(&s->catalog, key);
    if (a == NULL)
        return fail_at(L, tn, path,
                       "unknown accelerator \"%.60s\"; run `dcsim catalog` to list "
                       "the known ones",
                       key);
    for (int k = 0; k < i; k++)
        if (strcasecmp(s->job.types[k].accel, a->key) == 0)
            return fail_at(L, tn, path, "%s is given twice (also job.accelerators[%d])", a->key, k);
    if (i == 0 && strcasecmp(a->key, s->cluster.accel.key) != 0)
        return fail_at(L, tn, path, "the first type is the cluster's accelerator, %s, not %s",
                       s->cluster.accel.key, a->key);
    snprintf(t->accel, sizeof t->accel, "%s", a->key);
    t->peak_flops = i == 0 ? s->cluster.accel.peak_flops : a->peak_flops;
    if (!(t->peak_flops > 0.0))
        return fail_at(L, tn, path, "the catalog has no peak FLOP/s for %s", a->key);
    int64_t apn = s->cluster.accels_per_node;
    t->accels_per_node = apn; /* derived: the cluster's node */
    if ((rc = f_keys(L, it, t, "mfu", "accelerators_per_node", NULL)))
        return rc;
    if (i == 0 && t->accels_per_node != apn)
        return fail_at(L, get(L, it, "accelerators_per_node", path), path,
                       "the first type's node shape is cluster.accelerators_per_node (%" PRId64 ")",
                       apn);
    return 0;
}

/* job.accelerators, job.choose and job.switch (job.switch.check_every and
 * the types' markets are resolved with the market: check_job_types). */
static int read_job_types(loader *L, const section *jb, dcs_scenario *s)
{
    dcs_job_cfg *j = &s->job;
    section sw;
    int rc;
    /* check_every's derived default (the market's step) waits for the
     * market: check_job_types. */
    if ((rc = f_key(L, jb, "choose", s)) ||
        (rc = open_section(L, jb, "switch", DCS_SEC_SWITCH, false, &sw)) ||
        (rc = f_keys(L, &sw, s, "policy", "threshold", "check_every", NULL)))
        return rc;
    item_list l;
    if ((rc = read_list(L, jb, "accelerators", &type_list, read_job_type, s, &l, &j->ntypes)) ||
        l.node == NULL)
        return rc;
    j->mfu = j->types[0].mfu;
    return 0;
}

/* The node of job.<key>[.sub] (item i of a list key), and its path. */
static const yaml_node_t *job_node(const loader *L, const section *top, const char *key, int i,
                                   const char *sub, char *path)
{
    const yaml_node_t *n = lookup(L, lookup(L, top->map, "job"), key);
    if (i >= 0 && n != NULL && n->type == YAML_SEQUENCE_NODE)
        n = node_at(L, n->data.sequence.items.start[i]);
    if (i >= 0)
        snprintf(path, PATH_LEN, "job.%s[%d].%s", key, i, sub);
    else
        snprintf(path, PATH_LEN, "job.%s.%s", key, sub);
    return lookup(L, n, sub);
}

/* After the market: each type of job.accelerators is one of market.types,
 * a switching job rents on demand, check_every defaults to the market's
 * step. A single type is the single-type form exactly (same struct, same
 * resolved YAML, same bytes). */
int check_job_types(loader *L, const section *top, dcs_scenario *s)
{
    dcs_job_cfg *j = &s->job;
    char path[PATH_LEN];
    if (j->ntypes < 2) {
        memset(j->types, 0, sizeof j->types);
        j->ntypes = 0;
        j->choose = DCS_CHOOSE_PREFERENCE;
        j->sw = (dcs_switch_cfg){DCS_SWITCH_NEVER, 0.2, 0.0};
        return 0;
    }
    for (int i = 0; i < j->ntypes; i++) {
        dcs_job_type_cfg *t = &j->types[i];
        int k = 0;
        while (s->market_listed && k < s->nmarket_types &&
               strcasecmp(s->market_types[k].accel, t->accel) != 0)
            k++;
        if (i > 0 && (!s->market_listed || k == s->nmarket_types))
            return fail_at(L, job_node(L, top, "accelerators", i, "type", path), path,
                           "%s is not in the market: a job's types are bought in market.types",
                           t->accel);
        t->market_type = s->market_listed ? k : 0;
    }
    if (j->sw.policy == DCS_SWITCH_PRICE_GAP && s->procurement.mode != DCS_BUY_ON_DEMAND)
        return fail_at(L, job_node(L, top, "switch", -1, "policy", path), path,
                       "price_gap moves capacity rented on demand; procurement.mode is %s",
                       dcs_names_buy_mode[s->procurement.mode]);
    if (!(j->sw.check_s > 0.0))
        j->sw.check_s = s->market.step_s;
    return 0;
}

/* job.mfu (per type with job.accelerators) and job.trainable_fraction. */
static int job_mfu(loader *L, const section *jb, dcs_scenario *s)
{
    dcs_job_cfg *j = &s->job;
    char path[PATH_LEN], spath[PATH_LEN];
    const yaml_node_t *m = get(L, jb, "mfu", path);
    int rc = read_job_types(L, jb, s);
    if (rc)
        return rc;
    if (j->ntypes > 0 && m != NULL)
        return fail_at(L, m, path, "is given per type with job.accelerators (their mfu)");
    /* With stages, job.mfu is only the default of the stages that give
     * none: it may be left out when every stage has its own, or is given
     * in accelerator-hours (read_stages then needs none). */
    if (m == NULL && j->ntypes == 0 && get(L, jb, "stages", spath) == NULL)
        return missing(L, jb, "mfu", NULL);
    if ((rc = f_key(L, jb, "mfu", s)))
        return rc;
    /* The trainable share: adapters need it; a vision job may give it for
     * its checkpoint size; full training trains everything. */
    const yaml_node_t *tf = get(L, jb, "trainable_fraction", path);
    j->trainable_fraction = 1.0;
    if (tf == NULL && j->kind == DCS_JOB_ADAPTER)
        return missing(L, jb, "trainable_fraction",
                       "an adapter job trains a fraction of the weights, in (0, 1]");
    if (tf != NULL && j->kind != DCS_JOB_ADAPTER && j->kind != DCS_JOB_VISION)
        return fail_at(L, tf, path,
                       "is only used with kind adapter or vision (kind %s "
                       "trains every weight)",
                       dcs_names_job_kind[j->kind]);
    return f_key(L, jb, "trainable_fraction", s);
}

/* The job's work without stages: flops, or images x flops_per_image for
 * a vision job, or parameters x tokens. */
static int job_work(loader *L, const section *jb, dcs_scenario *s)
{
    dcs_job_cfg *j = &s->job;
    char path[PATH_LEN], tpath[PATH_LEN];
    const yaml_node_t *pa = get(L, jb, "parameters", path);
    const yaml_node_t *to = get(L, jb, "tokens", tpath);
    int rc;
    if (get(L, jb, "flops", path) != NULL) {
        /* f_forbid: epochs has another refusal (with stages) in the table. */
        if ((rc = f_forbid(L, jb, "epochs", "is not used with flops (give the total)")) ||
            (rc = f_key(L, jb, "flops", s)))
            return rc;
        j->parameters = j->active_parameters = 0.0;
        return 0;
    }
    if (j->kind == DCS_JOB_VISION) {
        if (to != NULL)
            return fail_at(L, to, tpath, "a vision job counts images, not tokens");
        if (get(L, jb, "images", path) == NULL)
            return missing(L, jb, "images", "give flops, or images and flops_per_image");
        if (get(L, jb, "flops_per_image", path) == NULL)
            return missing(L, jb, "flops_per_image",
                           "training FLOPs per image (forward and backward)");
        if ((rc = f_keys(L, jb, s, "images", "flops_per_image", NULL)))
            return rc;
        j->flops = j->flops_per_image * j->images * j->epochs;
        return 0;
    }
    if (pa == NULL && to == NULL)
        return missing(L, jb, "flops", "give flops, or parameters and tokens");
    if (pa == NULL)
        return missing(L, jb, "parameters", "tokens needs parameters");
    if (to == NULL)
        return missing(L, jb, "tokens", "parameters needs tokens");
    if ((rc = f_key(L, jb, "tokens", s)))
        return rc;
    /* 6 N D per epoch for dense training (2 forward, 4 backward); (4 + 2f)
     * N D for adapters; N the active parameters. */
    j->flops = flops_per_token(j) * j->active_parameters * j->tokens * j->epochs;
    if (!isfinite(j->flops))
        return fail_at(L, to, tpath, "parameters x tokens is too large");
    return 0;
}

int read_job(loader *L, const section *top, dcs_scenario *s)
{
    section jb;
    dcs_job_cfg *j = &s->job;
    memset(j, 0, sizeof *j);
    int rc = open_section(L, top, "job", DCS_SEC_JOB, true, &jb);
    if (rc || (rc = f_key(L, &jb, "kind", s)) || (rc = job_mfu(L, &jb, s)))
        return rc;
    char path[PATH_LEN], ppath[PATH_LEN], tpath[PATH_LEN];
    const yaml_node_t *fl = get(L, &jb, "flops", path);
    const yaml_node_t *pa = get(L, &jb, "parameters", ppath);
    const yaml_node_t *to = get(L, &jb, "tokens", tpath);
    if (fl != NULL && (pa != NULL || to != NULL))
        return fail_at(L, fl, path, "give either flops or parameters and tokens, not both");
    if ((rc = f_key(L, &jb, "parameters", s)))
        return rc;
    j->active_parameters = j->parameters; /* derived: every parameter is active */
    if ((rc = f_key(L, &jb, "active_parameters", s)))
        return rc;
    if ((rc = f_refuse(L, &jb, s)))
        return rc;
    if (j->active_parameters > j->parameters)
        return fail_at(L, get(L, &jb, "active_parameters", path), path,
                       "must be at most parameters (%g)", j->parameters);
    if ((rc = f_key(L, &jb, "epochs", s)))
        return rc;
    if (get(L, &jb, "stages", path) == NULL)
        return job_work(L, &jb, s);
    /* f_forbid: the table's refusals of images and epochs say other things. */
    static const char why[] = "is not used with stages: each stage gives its own work";
    if ((rc = f_forbid(L, &jb, "flops", why)) || (rc = f_forbid(L, &jb, "tokens", why)) ||
        (rc = f_forbid(L, &jb, "epochs", why)) || (rc = f_forbid(L, &jb, "images", why)) ||
        (rc = f_forbid(L, &jb, "flops_per_image", why)))
        return rc;
    return read_stages(L, &jb, j);
}

/* The checkpoint size a job implies: its trainable weights and their
 * optimizer state, bytes_per_parameter each. */
static double derived_ckpt_size(const dcs_scenario *s)
{
    return s->job.trainable_fraction * s->job.parameters * s->checkpoint.bytes_per_param;
}

/* job.memory, then the check that the training state fits (models/estimate.h):
 * refused with the keys that set it, unless the scenario offloads. */
int read_job_memory(loader *L, const section *top, dcs_scenario *s)
{
    section jb, me;
    dcs_job_cfg *j = &s->job;
    int64_t accels = s->cluster.nodes * s->cluster.accels_per_node;
    char path[PATH_LEN];
    int rc = open_section(L, top, "job", DCS_SEC_JOB, true, &jb);
    if (rc == 0)
        rc = open_section(L, &jb, "memory", DCS_SEC_JOB_MEMORY, false, &me);
    if (rc || (rc = f_keys(L, &me, s, "sharded_over", "activations", "offload", NULL)))
        return rc;
    if (j->shard_accels > accels)
        return fail_at(L, get(L, &me, "sharded_over", path), path,
                       "is more than the job's %" PRId64 " accelerators", accels);
    dcs_memory_need m;
    if (dcs_memory_need_of(s, &m) || j->offload)
        return 0;
    const yaml_node_t *n = get(L, &jb, "parameters", path);
    return fail_at(L, n != NULL ? n : jb.pos, "job.parameters",
                   "does not fit: %.4g x %g B (checkpoint.bytes_per_parameter) / %.0f "
                   "(job.memory.sharded_over) + %.3g GB (job.memory.activations) = %.3g GB per "
                   "accelerator > %.3g GB (cluster.accelerator); shard wider or set "
                   "job.memory.offload",
                   j->parameters, s->checkpoint.bytes_per_param, m.shards, m.activation_bytes / 1e9,
                   m.need_bytes / 1e9, m.have_bytes / 1e9);
}

int read_checkpoint(loader *L, const section *top, dcs_scenario *s)
{
    section ck;
    dcs_ckpt_cfg *k = &s->checkpoint;
    int rc = open_section(L, top, "checkpoint", DCS_SEC_CKPT, false, &ck);
    if (rc || (rc = f_key(L, &ck, "policy", s)))
        return rc;
    /* interval is refused by the table (f_refuse, below) with another policy */
    if (k->policy == DCS_CKPT_FIXED)
        rc = f_key(L, &ck, "interval", s);
    if (rc || (rc = f_key(L, &ck, "bytes_per_parameter", s)))
        return rc;
    k->size_bytes = derived_ckpt_size(s); /* derived: the job's weights and optimizer state */
    if ((rc = f_key(L, &ck, "size", s)))
        return rc;
    bool needed = k->policy != DCS_CKPT_NONE;
    if (needed && !(k->size_bytes > 0.0))
        return missing(L, &ck, "size", "give size, or job.parameters to derive it");
    if ((rc = f_key_if(L, &ck, "write_bandwidth", needed, s)))
        return rc;
    k->read_bps = k->write_bps; /* derived: reads as fast as writes */
    if ((rc = f_keys(L, &ck, s, "read_bandwidth", "overhead", "final", "mode", NULL)) ||
        (rc = f_refuse(L, &ck, s)))
        return rc;
    if (k->mode == DCS_CKPT_ASYNC && (rc = f_key(L, &ck, "snapshot_time", s)))
        return rc;
    if ((rc = f_key(L, &ck, "retain", s)))
        return rc;
    section mem;
    if ((rc = open_section(L, &ck, "memory", DCS_SEC_CKPT_MEMORY, false, &mem)))
        return rc;
    k->mem_interval_s = 0.0;
    k->mem_write_bps = 0.0;
    k->mem_read_bps = 0.0;
    k->mem_overhead_s = 0.0;
    /* An in-memory level with mode async: the validator checkpoint.memory. */
    if (mem.map == NULL || k->mode == DCS_CKPT_ASYNC)
        return 0;
    if ((rc = f_keys(L, &mem, s, "interval", "write_bandwidth", NULL)))
        return rc;
    k->mem_read_bps = k->mem_write_bps; /* derived: reads as fast as writes */
    return f_keys(L, &mem, s, "read_bandwidth", "overhead", NULL);
}

/* annual_failure_rate: a number of failures per unit per year, or a
 * percentage ("6.1%"). Mean time to failure = 1 y / AFR. */
static int afr_of(loader *L, const yaml_node_t *n, const char *path, double *mean_s)
{
    const char *text;
    int rc = scalar_text(L, n, path, "a number or a percentage", &text);
    if (rc)
        return rc;
    char num[64];
    size_t len = strlen(text);
    double v = 0.0, scale = 1.0;
    bool ok = len < sizeof num;
    if (ok) {
        memcpy(num, text, len + 1);
        if (len > 0 && num[len - 1] == '%') {
            num[--len] = '\0';
            while (len > 0 && num[len - 1] == ' ')
                num[--len] = '\0';
            scale = 0.01;
        }
        ok = read_number(num, &v);
    }
    if (!ok)
        return fail_at(L, n, path,
                       "expected a number or a percentage such as \"6.1%%\", got \"%.60s\"", text);
    v *= scale;
    if (!(v > 0.0))
        return fail_at(L, n, path, "must be > 0, got \"%.60s\"", text);
    *mean_s = YEAR_S / v;
    if (!isfinite(*mean_s))
        return fail_at(L, n, path, "\"%.60s\" is too small", text);
    return 0;
}

/* The least mean time to failure of one unit, s (the schema's range of
 * failures[].mtbf): no unit fails once a second, so a smaller mean is a
 * mistaken unit ("1e-300s", "5ms" for "5y"), and its failures would
 * outnumber anything a run can finish. */
#define MIN_MTBF_S 1.0

/* Refuses a mean time to failure below MIN_MTBF_S, at node n (the rate as
 * it was given). */
static int check_mtbf(loader *L, const yaml_node_t *n, const char *path, double mean_s)
{
    if (mean_s >= MIN_MTBF_S)
        return 0;
    return fail_at(L, n, path,
                   "gives a mean time to failure of %.3g s per unit, below 1 s, the least dcsim "
                   "takes (no unit fails that often: check the unit)",
                   mean_s);
}

/* shape / repair_shape: required for Weibull and lognormal, refused otherwise. */
static int read_shape(loader *L, const section *f, const char *key, dcs_dist_kind kind,
                      const char *distkey, dcs_failure_cfg *fc)
{
    if (kind == DCS_DIST_WEIBULL || kind == DCS_DIST_LOGNORMAL)
        return f_key_if(L, f, key, true, fc);
    char why[96];
    snprintf(why, sizeof why, "is not used with %s %s", distkey, dcs_names_dist[kind]);
    return f_forbid(L, f, key, why); /* the message names the distribution */
}

/* Planned maintenance: a window of `duration` every `every`, the first at
 * `first` (default: every); or windows that arrive at random, `mtbf` apart
 * on average (exponential: a rate, as run reports count planned
 * interruptions). Nothing to repair. */
static int read_maintenance(loader *L, const section *f, dcs_failure_cfg *fc)
{
    static const char *const unused[] = {"distribution",
                                         "annual_failure_rate",
                                         "failures_per_1000_unit_days",
                                         "share",
                                         "shape",
                                         "speed",
                                         "detection",
                                         "repair_time",
                                         "repair_distribution",
                                         "repair_shape",
                                         NULL};
    int rc;
    char path[PATH_LEN];
    /* f_forbid: these keys' refusals in the table say other things. */
    for (const char *const *k = unused; *k != NULL; k++)
        if ((rc = f_forbid(L, f, *k,
                           "is not used with scope maintenance (give every or mtbf, duration, "
                           "first)")))
            return rc;
    fc->action = DCS_ACTION_PLANNED; /* derived: the only action of maintenance */
    if ((rc = f_key(L, f, "action", fc)))
        return rc;
    if (!dcs_action_fits_scope(fc->action, fc->scope))
        return 0; /* refused by the validator failures.action */
    fc->ttf = (dcs_dist){DCS_DIST_FIXED, 0.0, 0.0};
    fc->repair = (dcs_dist){DCS_DIST_FIXED, 0.0, 0.0};
    fc->detect_s = 0.0;
    fc->speed = 1.0;
    char mpath[PATH_LEN];
    const yaml_node_t *every = get(L, f, "every", path);
    const yaml_node_t *mtbf = get(L, f, "mtbf", mpath);
    if (every != NULL && mtbf != NULL)
        return fail_at(L, mtbf, mpath,
                       "give one of every (a fixed schedule) and mtbf (windows at random)");
    if (mtbf != NULL) {
        /* Random arrivals: a Poisson process of planned interruptions. */
        fc->ttf.kind = DCS_DIST_EXPONENTIAL;
        if ((rc = quantity_of(L, mtbf, mpath, DCS_DIM_DURATION, R_GT0, &fc->ttf.mean_s)) ||
            (rc = check_mtbf(L, mtbf, mpath, fc->ttf.mean_s)) ||
            /* f_forbid: on the text's form (mtbf), and first's table refusal is another */
            (rc = f_forbid(L, f, "first", "is only used with every (a fixed schedule)")) ||
            (rc = f_key(L, f, "duration", fc)))
            return rc;
        fc->first_s = 0.0;
        return f_key(L, f, "source", fc);
    }
    if (every == NULL)
        return missing(L, f, "every", "a fixed schedule (or mtbf: windows at random)");
    if ((rc = f_keys(L, f, fc, "every", "duration", NULL)))
        return rc;
    fc->first_s = fc->ttf.mean_s; /* derived: the first window after one period */
    if ((rc = f_key(L, f, "first", fc)))
        return rc;
    return f_key(L, f, "source", fc);
}

/* failures[i].name: [a-z0-9_]+, and no earlier class's. */
static int failure_name(loader *L, const section *f, int i, dcs_scenario *s)
{
    dcs_failure_cfg *fc = &s->failures[i];
    char path[PATH_LEN];
    const yaml_node_t *nn;
    int rc = snake_name(L, f, fc, fc->name, "must match", &nn, path);
    if (rc)
        return rc;
    for (int j = 0; j < i; j++)
        if (strcmp(s->failures[j].name, fc->name) == 0)
            return fail_at(L, nn, path, "\"%s\" is already the name of failures[%d]", fc->name, j);
    return 0;
}

/* The speed of a slow unit (refused with the other actions by the table).
 * The table also refuses the share of a cooling unit: its failure takes
 * its capacity away until it is repaired (env.c) and never interrupts the
 * job, so it has no share of the job's interruptions. */
static int failure_speed(loader *L, const section *f, dcs_failure_cfg *fc)
{
    fc->speed = 1.0;
    if (fc->action != DCS_ACTION_SLOW)
        return 0; /* refused by the table (f_refuse) */
    return f_need(L, f, "speed", "a slow unit runs at this fraction of its speed", fc);
}

/* failures[i]'s rate: one of mtbf, annual_failure_rate,
 * failures_per_1000_unit_days and share (resolved against failure_total
 * once every class is read). The first three are one mean time to failure,
 * checked as such (check_mtbf) whatever form gave it, so they are read
 * here rather than by their table entries. */
static int failure_rate(loader *L, const section *f, int i, dcs_failure_cfg *fc)
{
    char path[PATH_LEN], apath[PATH_LEN], kpath[PATH_LEN], shpath[PATH_LEN];
    const yaml_node_t *mt = get(L, f, "mtbf", path);
    const yaml_node_t *af = get(L, f, "annual_failure_rate", apath);
    const yaml_node_t *kd = get(L, f, "failures_per_1000_unit_days", kpath);
    const yaml_node_t *sh = get(L, f, "share", shpath);
    const yaml_node_t *given[4] = {mt, af, kd, sh};
    const char *given_path[4] = {path, apath, kpath, shpath};
    int nrates = 0, rc;
    for (int g = 0; g < 4; g++) {
        if (given[g] != NULL && nrates++ > 0)
            return fail_at(L, given[g], given_path[g],
                           "give one of mtbf, annual_failure_rate, failures_per_1000_unit_days "
                           "and share");
    }
    if (nrates == 0)
        return missing(L, f, "mtbf",
                       "give mtbf, annual_failure_rate, failures_per_1000_unit_days or share");
    L->share[i] = 0.0;
    L->share_node[i] = sh;
    if (sh != NULL) {
        rc = f_key(L, f, "share", fc);
        L->share[i] = fc->share;
        fc->ttf.mean_s = 0.0;
        return rc;
    }
    if (mt != NULL) {
        rc = quantity_of(L, mt, path, DCS_DIM_DURATION, R_GT0, &fc->ttf.mean_s);
    } else if (af != NULL) {
        rc = afr_of(L, af, apath, &fc->ttf.mean_s);
    } else {
        /* Failures per 1,000 unit-days, as cluster studies report them: the
         * mean time to failure of one unit is 1,000 days / rate. */
        double per_kd = 0.0;
        rc = number_of(L, kd, kpath, R_GT0, &per_kd);
        if (rc == 0)
            fc->ttf.mean_s = 1000.0 * 86400.0 / per_kd;
    }
    if (rc)
        return rc;
    return mt != NULL   ? check_mtbf(L, mt, path, fc->ttf.mean_s)
           : af != NULL ? check_mtbf(L, af, apath, fc->ttf.mean_s)
                        : check_mtbf(L, kd, kpath, fc->ttf.mean_s);
}

/* failures[i]'s repair: none with action restart, else repair_time drawn
 * from repair_distribution. */
static int failure_repair(loader *L, const section *f, dcs_failure_cfg *fc)
{
    int rc;
    if (fc->action == DCS_ACTION_RESTART) {
        fc->repair = (dcs_dist){DCS_DIST_FIXED, 0.0, 0.0};
        return 0; /* its keys refused by the table (f_refuse) */
    }
    if ((rc = f_key(L, f, "repair_distribution", fc)))
        return rc;
    /* A fixed repair may be instant (0s), a random one needs a positive
     * mean: the range depends on the distribution, so not the table's. */
    char path[PATH_LEN];
    const yaml_node_t *n;
    if ((rc = need(L, f, "repair_time", NULL, path, &n)))
        return rc;
    range r = fc->repair.kind == DCS_DIST_FIXED ? R_GE0 : R_GT0;
    if ((rc = quantity_of(L, n, path, DCS_DIM_DURATION, r, &fc->repair.mean_s)))
        return rc;
    return read_shape(L, f, "repair_shape", fc->repair.kind, "repair_distribution", fc);
}

static int read_failure(loader *L, const section *f, int i, const item_list *l, void *arg)
{
    dcs_scenario *s = arg;
    (void)l;
    dcs_failure_cfg *fc = &s->failures[i];
    int rc;
    if ((rc = failure_name(L, f, i, s)) || (rc = f_keys(L, f, fc, "scope", "distribution", NULL)))
        return rc;
    if (fc->scope == DCS_SCOPE_MAINTENANCE)
        return read_maintenance(L, f, fc);
    bool hardware = fc->scope != DCS_SCOPE_JOB && fc->scope != DCS_SCOPE_STORAGE;
    fc->action = hardware ? DCS_ACTION_SWAP : DCS_ACTION_RESTART; /* derived: by scope */
    if ((rc = f_key(L, f, "action", fc)))
        return rc;
    /* The keys that depend on the action are read only where it fits the
     * scope: the validator failures.action refuses the rest (validate.c). */
    if (!dcs_action_fits_scope(fc->action, fc->scope))
        return 0;
    if ((rc = f_refuse(L, f, fc)) || (rc = failure_speed(L, f, fc)) ||
        (rc = failure_rate(L, f, i, fc)) ||
        (rc = read_shape(L, f, "shape", fc->ttf.kind, "distribution", fc)) ||
        (rc = f_key(L, f, "detection", fc)) || (rc = failure_repair(L, f, fc)))
        return rc;
    return f_key(L, f, "source", fc);
}

int read_failures(loader *L, const section *top, dcs_scenario *s)
{
    static const list_spec spec = {.what = "failure classes",
                                   .many = "failure classes are allowed",
                                   .counted = true,
                                   .null_list = true,
                                   .null_item = true};
    item_list l;
    return read_list(L, top, "failures", &spec, read_failure, s, &l, &s->nfailures);
}

/* failure_total: the job's rate of unexpected interruptions, which the
 * classes given as a share divide between them (a root-cause table). */
int resolve_shares(loader *L, const section *top, dcs_scenario *s)
{
    section ft;
    char path[PATH_LEN], ppath[PATH_LEN];
    int rc = open_section(L, top, "failure_total", DCS_SEC_FAILURE_TOTAL, false, &ft);
    if (rc)
        return rc;
    int first = -1;
    double sum = 0.0;
    for (int i = 0; i < s->nfailures; i++)
        if (L->share_node[i] != NULL) {
            if (first < 0)
                first = i;
            sum += L->share[i];
        }
    if (ft.map == NULL) {
        if (first < 0)
            return 0;
        snprintf(path, sizeof path, "failures[%d].share", first);
        return fail_at(L, L->share_node[first], path,
                       "a share of what? give failure_total (interruptions_per_day or mtti)");
    }
    if (first < 0)
        return fail_at(L, ft.map, ft.path,
                       "is only used with failure classes given as a share; no class has one");
    const yaml_node_t *pd = get(L, &ft, "interruptions_per_day", ppath);
    const yaml_node_t *mt = get(L, &ft, "mtti", path);
    if (pd != NULL && mt != NULL)
        return fail_at(L, mt, path, "give interruptions_per_day or mtti, not both");
    if (pd == NULL && mt == NULL)
        return missing(L, &ft, "interruptions_per_day", "or mtti");
    if ((rc = f_keys(L, &ft, s, "interruptions_per_day", "mtti", "source", NULL)))
        return rc;
    double rate_per_s =
        pd != NULL ? s->failure_total.per_day / 86400.0 : 1.0 / s->failure_total.mtti_s;
    /* Published root-cause tables print percentages to 0.1 %: 0.005 leaves
     * room for their rounding, not for a missing class. */
    if (fabs(sum - 1.0) > 0.005) {
        const yaml_node_t *fl = get(L, top, "failures", path);
        return fail_at(L, fl, path,
                       "the shares of the failure classes add up to %.4g; they must add up to 1 "
                       "(within 0.005)",
                       sum);
    }
    for (int i = 0; i < s->nfailures; i++) {
        if (L->share_node[i] == NULL)
            continue;
        dcs_failure_cfg *fc = &s->failures[i];
        fc->share = L->share[i];
        double units = dcs_ckpt_units_exposed(s, fc);
        fc->ttf.mean_s = units / (L->share[i] / sum * rate_per_s);
        snprintf(path, sizeof path, "failures[%d].share", i);
        if (!(fc->ttf.mean_s > 0.0) || !isfinite(fc->ttf.mean_s))
            return fail_at(L, L->share_node[i], path, "gives no usable rate for %g units", units);
        int rc2 = check_mtbf(L, L->share_node[i], path, fc->ttf.mean_s);
        if (rc2)
            return rc2;
    }
    return 0;
}
