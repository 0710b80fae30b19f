/*
 * read_money.c - the readers of the market (its types and shocks),
 * procurement and costs.
 */
#include "loader.h"
#include "observed.h"

/* ---- money: market, procurement, costs ------------------------------------------------------ */

#define NO_DATE                                                                                    \
    (-1e300) /* a shock start given as a date, resolved once simulation.start is known */

/* market.shocks[i].start: a date, or a duration after simulation.start
 * (negative: a shock already under way). Dates are kept as epoch seconds
 * in *date_s until the run's start is known. */
static int shock_start(loader *L, const yaml_node_t *n, const char *path, double *rel_s,
                       double *date_s)
{
    const char *text;
    int rc = scalar_text(L, n, path, "a date or a duration", &text);
    if (rc)
        return rc;
    *date_s = NO_DATE;
    if (parse_date(text, date_s))
        return 0;
    const char *why = "";
    if (dcs_units_parse(text, DCS_DIM_DURATION, rel_s, &why) != 0)
        return fail_at(L, n, path,
                       "expected a date YYYY-MM-DD or a duration after simulation.start; \"%.60s\" "
                       "%s (units %s)",
                       text, why, dcs_units_accepted(DCS_DIM_DURATION));
    return 0;
}

static int shock_types(loader *L, const yaml_node_t *n, const char *path, const dcs_scenario *s,
                       uint32_t *mask);

/* market.shocks[i]: what it hits, when, by what factor, for how long. */
/* What read_shock writes: the scenario, and the shocks' dates. */
typedef struct shock_out {
    dcs_scenario *s;
    double *dates;
} shock_out;

static int read_shock(loader *L, const section *sh, int i, const item_list *l, void *arg)
{
    dcs_scenario *s = ((shock_out *)arg)->s;
    double *dates = ((shock_out *)arg)->dates;
    (void)l;
    dcs_shock_cfg *k = &s->market.shocks[i];
    char path[PATH_LEN];
    int rc;
    const yaml_node_t *st;
    if ((rc = f_need(L, sh, "target", "supply, demand or manufacturing", k)) ||
        (rc = need(L, sh, "start", "a date, or a duration after simulation.start", path, &st)) ||
        (rc = shock_start(L, st, path, &k->start_s, &dates[i])) ||
        (rc = f_keys(L, sh, k, "factor", "ramp", "duration", NULL)))
        return rc;
    k->types = (1u << s->nmarket_types) - 1u; /* every type by default */
    const yaml_node_t *ty = get(L, sh, "types", path);
    /* Without market.types there is one type: validate.c refuses the key. */
    return ty != NULL && s->market_listed ? shock_types(L, ty, path, s, &k->types) : 0;
}

/* market.shocks: a list of shocks; their dates are resolved later. */
static int read_shocks(loader *L, const section *mk, dcs_scenario *s, double *dates)
{
    static const list_spec spec = {.what = "shocks", .many = "shocks"};
    item_list l;
    shock_out out = {s, dates};
    return read_list(L, mk, "shocks", &spec, read_shock, &out, &l, &s->market.nshocks);
}

/* The section that holds `key` for a type: the type's own mapping, else the
 * market's (whose keys are every type's defaults), else the type's (for the
 * default or the missing-key message). */
static const section *from(const loader *L, const section *sec, const section *parent,
                           const char *key)
{
    if (parent != NULL && lookup(L, sec->map, key) == NULL && lookup(L, parent->map, key) != NULL)
        return parent;
    return sec;
}

/* The keys of one market (the market mapping itself, or one of its types,
 * whose defaults are then the market mapping's keys: parent). ref_price
 * and purchase are the defaults of the reference prices, nodes the
 * cluster's. */
/* Reads the keys named (then NULL) by their entries in sec's section of the
 * table into base, each from sec, or from parent where sec leaves it out. */
static int market_keys(loader *L, const section *sec, const section *parent, void *base, ...)
{
    va_list ap;
    va_start(ap, base);
    int rc = 0;
    for (const char *key = va_arg(ap, const char *); rc == 0 && key != NULL;
         key = va_arg(ap, const char *)) {
        const dcs_schema_key *k = dcs_schema_find(sec->c, key);
        rc = read_key(L, from(L, sec, parent, key), k, (k->flags & DCS_KEY_REQUIRED) != 0, base);
    }
    va_end(ap);
    return rc;
}

/* The keys of one market (the market mapping itself, or one of its types,
 * whose defaults are then the market mapping's keys: parent) into m, which
 * lies in base (the scenario, or the type) as sec's table entries say.
 * ref_price and purchase are the defaults of the reference prices, nodes
 * the cluster's. */
static int read_market_keys(loader *L, const section *sec, const section *parent, void *base,
                            dcs_market_cfg *m, double ref_price, double purchase, int64_t nodes)
{
    int rc;
    /* Derived defaults: the reference prices from the catalog, the cap a
     * multiple of the reference; one node is found sooner than a cluster
     * (assumption: capacity freed at a steady rate, so 1 / nodes of the
     * cluster's wait). */
    m->ref_price = ref_price;
    m->ref_purchase = purchase;
    if ((rc = market_keys(L, sec, parent, base, "reference_price_usd_per_hour",
                          "price_floor_usd_per_hour", NULL)))
        return rc;
    m->cap_price = DCS_MARKET_CAP_MULTIPLE * m->ref_price;
    if ((rc = market_keys(L, sec, parent, base, "price_cap_usd_per_hour", "elasticity",
                          "initial_balance", "demand_growth", "demand_noise_sd",
                          "demand_noise_timescale", "start_price_usd_per_hour", "jump_rate",
                          "jump_target", "jump_log_mean", "jump_log_sd", "lead_time",
                          "lead_time_sd", "supply_response", "manufacturing_capacity",
                          "capacity_growth", "retirement", "reference_purchase_usd",
                          "purchase_response", "acquisition_time", NULL)))
        return rc;
    m->replace_s = nodes > 0 ? m->acquisition_s / (double)nodes : m->acquisition_s;
    return market_keys(L, sec, parent, base, "replacement_time", NULL);
}

/* The catalog entry named by n (the scenario's own catalog's, else the
 * built-in one's), with a suggestion when there is none. *index numbers
 * its random streams: a built-in entry's position, or for entry j of the
 * scenario's catalog DCS_MARKET_TYPE_STREAMS - 1 - j, from the top. */
static int catalog_type(loader *L, const yaml_node_t *n, const char *path, const dcs_scenario *s,
                        const dcs_accel **out, int *index)
{
    const char *key;
    int rc = scalar_text(L, n, path, "a catalog key", &key);
    if (rc)
        return rc;
    const dcs_user_catalog *uc = &s->catalog;
    size_t nc = dcs_catalog_count(), bestd = 99;
    const char *best = NULL;
    for (int j = 0; j < uc->naccels; j++) {
        const dcs_accel *a = &uc->accels[j].accel;
        if (strcasecmp(a->key, key) == 0) {
            *out = a;
            *index = DCS_MARKET_TYPE_STREAMS - 1 - j;
            if (*index < (int)nc)
                return fail_at(L, n, path,
                               "a market type of the scenario's catalog must be among its first "
                               "%d entries (random streams)",
                               DCS_MARKET_TYPE_STREAMS - (int)nc);
            return 0;
        }
        size_t d = edit_distance(key, a->key);
        if (d < bestd) {
            bestd = d;
            best = a->key;
        }
    }
    for (size_t i = 0; i < nc; i++) {
        const dcs_accel *a = dcs_catalog_at(i);
        if (dcs_catalog_find(key) == a) {
            *out = a;
            *index = (int)i;
            return 0;
        }
        size_t d = edit_distance(key, a->key);
        if (d < bestd) {
            bestd = d;
            best = a->key;
        }
    }
    if (bestd <= 4)
        return fail_at(L, n, path, "unknown accelerator \"%.60s\"; did you mean \"%s\"?", key,
                       best);
    return fail_at(L, n, path,
                   "unknown accelerator \"%.60s\"; run `dcsim catalog` to list the known ones",
                   key);
}

/* market.types[i]: a catalog type, not given before, and its market. */
static int read_market_type(loader *L, const section *ty, int i, const item_list *l, void *arg)
{
    dcs_scenario *s = arg;
    const section *mk = l->parent;
    dcs_market_type_cfg *t = &s->market_types[i];
    char path[PATH_LEN];
    const yaml_node_t *an;
    const dcs_accel *a;
    int rc;
    if ((rc = need(L, ty, "accelerator", "a catalog key", path, &an)) ||
        (rc = catalog_type(L, an, path, s, &a, &t->catalog_index)))
        return rc;
    snprintf(t->accel, sizeof t->accel, "%s", a->key);
    bool is_job = strcasecmp(a->key, s->cluster.accel.key) == 0;
    t->peak_flops = is_job ? s->cluster.accel.peak_flops : a->peak_flops;
    if (is_job)
        s->market_job_type = i;
    if (!(t->peak_flops > 0.0))
        return fail_at(L, an, path, "the catalog has no peak FLOP/s for %s", a->key);
    /* The cluster's type keeps the cluster's prices (and their
     * overrides); the others take the catalog's. */
    double price = is_job ? s->cluster.price_usd_per_accel_h : a->rental_usd_per_h;
    double purchase = is_job ? s->cluster.accel.purchase_usd : a->purchase_usd;
    if (!(price > 0.0) && get(L, ty, "reference_price_usd_per_hour", path) == NULL &&
        get(L, mk, "reference_price_usd_per_hour", path) == NULL)
        return missing(L, ty, "reference_price_usd_per_hour",
                       "the catalog has no rental price for this accelerator");
    if ((rc = f_keys(L, ty, t, "mfu", "demand_units", NULL)) ||
        (rc = read_market_keys(L, ty, mk, t, &t->m, price, purchase, s->cluster.nodes)))
        return rc;
    t->m.on = true;
    t->m.step_s = s->market.step_s;
    return 0;
}

/* market.types: one market per accelerator type, each with the market
 * mapping's keys as its defaults. */
static int read_market_types(loader *L, const section *mk, dcs_scenario *s)
{
    item_list l;
    s->market_job_type = -1; /* the cluster's type not listed: validate.c refuses it */
    return read_list(L, mk, "types", &type_list, read_market_type, s, &l, &s->nmarket_types);
}

/* market.shocks[i].types: the types a shock hits, as a bit per index. */
static int shock_types(loader *L, const yaml_node_t *n, const char *path, const dcs_scenario *s,
                       uint32_t *mask)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return fail_at(L, n, path, "expected a list of accelerator types, got %s", type_name(n));
    *mask = 0;
    int j = 0;
    for (const yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++, j++) {
        const yaml_node_t *v = node_at(L, *it);
        char ipath[PATH_LEN + 16];
        snprintf(ipath, sizeof ipath, "%s[%d]", path, j);
        const dcs_accel *a;
        int index, rc = catalog_type(L, v, ipath, s, &a, &index);
        if (rc)
            return rc;
        int k = 0;
        while (k < s->nmarket_types && s->market_types[k].catalog_index != index)
            k++;
        if (k == s->nmarket_types)
            return fail_at(L, v, ipath, "%s is not one of market.types", a->key);
        *mask |= 1u << k;
    }
    if (*mask == 0)
        return fail_at(L, n, path, "an empty list: leave types out to hit every type");
    return 0;
}

/* market.observed: a price series (observed.h), its path relative to the scenario's folder. */
static int read_observed(loader *L, const section *mk, dcs_scenario *s)
{
    char path[PATH_LEN], file[1024];
    memset(&s->observed, 0, sizeof s->observed);
    const yaml_node_t *n = get(L, mk, "observed", path);
    if (n == NULL)
        return 0;
    int rc = file_of(L, n, path, "a file path", file, sizeof file);
    if (rc)
        return rc;
    if (strlen(file) >= sizeof s->observed.csv)
        return fail_at(L, n, path, "the path is too long (at most %zu characters)",
                       sizeof s->observed.csv - 1);
    rc = dcs_observed_read(file, path, s, L->err);
    if (rc != 0 && L->err->where[0] == '\0') {
        where_node(L, n);
        dcs_err_key(L->err, path);
    }
    return rc;
}

static int read_market(loader *L, const section *top, dcs_scenario *s, double *dates)
{
    section mk, su;
    dcs_market_cfg *m = &s->market;
    memset(m, 0, sizeof *m);
    s->nmarket_types = 0;
    s->market_job_type = 0;
    s->market_listed = false;
    memset(&s->substitution, 0, sizeof s->substitution);
    memset(s->market_types, 0, sizeof s->market_types);
    int rc = open_section(L, top, "market", DCS_SEC_MARKET, false, &mk);
    if (rc || mk.map == NULL)
        return rc;
    m->on = true;
    char path[PATH_LEN];
    if ((rc = f_key(L, &mk, "step", s)))
        return rc;
    const yaml_node_t *types = get(L, &mk, "types", path);
    if ((rc = open_section(L, &mk, "substitution", DCS_SEC_SUBSTITUTION, false, &su)) ||
        (rc = f_keys(L, &su, s, "elasticity", "timescale", NULL)))
        return rc;
    if (types == NULL) {
        if ((rc = read_market_keys(L, &mk, NULL, s, m, s->cluster.price_usd_per_accel_h,
                                   s->cluster.accel.purchase_usd, s->cluster.nodes)))
            return rc;
        s->nmarket_types = 1;
        dcs_market_type_cfg *t = &s->market_types[0];
        snprintf(t->accel, sizeof t->accel, "%s", s->cluster.accel.key);
        t->mfu = 1.0;
        t->demand_units = 1.0;
        t->peak_flops = s->cluster.accel.peak_flops;
        t->catalog_index = -1;
    } else {
        s->market_listed = true;
        if ((rc = read_market_types(L, &mk, s)))
            return rc;
        if (s->market_job_type >= 0)
            memcpy(m, &s->market_types[s->market_job_type].m, offsetof(dcs_market_cfg, nshocks));
        m->on = true;
    }
    if ((rc = read_shocks(L, &mk, s, dates)))
        return rc;
    return read_observed(L, &mk, s);
}

/* With market.types: each type's own copy of the shocks that hit it, and
 * the job's market the cluster's type (dates resolved). Without: type 0
 * is the market itself. */
static void spread_shocks(dcs_scenario *s)
{
    dcs_market_cfg *m = &s->market;
    if (!m->on)
        return;
    if (!s->market_listed) {
        s->market_types[0].m = *m;
        return;
    }
    for (int i = 0; i < s->nmarket_types; i++) {
        dcs_market_cfg *t = &s->market_types[i].m;
        t->nshocks = 0;
        memset(t->shocks, 0, sizeof t->shocks);
        for (int k = 0; k < m->nshocks; k++)
            if (m->shocks[k].types & (1u << i))
                t->shocks[t->nshocks++] = m->shocks[k];
    }
}

/* procurement.reserved_accelerators (mode mixed), discount and term
 * (reserved or mixed); the table refuses them in the other modes. */
static int procurement_reserved(loader *L, const section *pr, dcs_scenario *s)
{
    dcs_procurement_cfg *p = &s->procurement;
    int rc;
    if (p->mode == DCS_BUY_MIXED && (rc = f_key(L, pr, "reserved_accelerators", s)))
        return rc;
    if (p->mode == DCS_BUY_RESERVED || p->mode == DCS_BUY_MIXED)
        return f_keys(L, pr, s, "discount", "term", NULL);
    return 0;
}

/* The keys of owned hardware: a lifetime and residual value, or Epoch's
 * amortization (depreciation_per_year, which replaces both); the
 * interconnect's share, hosting and the purchase price. */
static int procurement_owned(loader *L, const section *pr, dcs_scenario *s)
{
    char path[PATH_LEN];
    int rc = 0;
    if (s->procurement.mode != DCS_BUY_OWNED)
        return 0; /* its keys refused by the table (f_refuse) */
    if (get(L, pr, "depreciation_per_year", path) != NULL) {
        /* f_forbid: the table refuses these keys by mode, with another message */
        static const char by_rate[] = "is replaced by depreciation_per_year";
        if ((rc = f_forbid(L, pr, "lifetime", by_rate)) ||
            (rc = f_forbid(L, pr, "residual", by_rate)))
            return rc;
    }
    if ((rc = f_keys(L, pr, s, "depreciation_per_year", "interconnect_share", "lifetime",
                     "residual", "hosting_usd_per_accelerator_hour", "purchase_usd", NULL)))
        return rc;
    if (!(dcs_ledger_purchase_usd(s, NAN) > 0.0) && !s->market.on)
        return missing(L, pr, "purchase_usd",
                       "the catalog has no purchase price for this accelerator");
    return 0;
}

static int read_procurement(loader *L, const section *top, dcs_scenario *s)
{
    section pr;
    dcs_procurement_cfg *p = &s->procurement;
    memset(p, 0, sizeof *p);
    int rc = open_section(L, top, "procurement", DCS_SEC_PROCUREMENT, false, &pr);
    if (rc || (rc = f_key(L, &pr, "mode", s)) || (rc = f_refuse(L, &pr, s)) ||
        (rc = procurement_reserved(L, &pr, s)) || (rc = procurement_owned(L, &pr, s)))
        return rc;
    /* One rule (models/power.h, dcs_energy_needs_model): rent includes the
     * electricity, owned hardware pays its own (a derived default). */
    p->energy_included = p->mode != DCS_BUY_OWNED;
    return f_key(L, &pr, "energy_included", s);
}

static int read_costs(loader *L, const section *top, dcs_scenario *s)
{
    section co, da, st, pc, li;
    dcs_costs_cfg *c = &s->costs;
    memset(c, 0, sizeof *c);
    int rc = open_section(L, top, "costs", DCS_SEC_COSTS, false, &co);
    if (rc)
        return rc;
    char path[PATH_LEN];
    if ((rc = f_keys(L, &co, s, "storage_usd_per_tb_month", "energy_usd_per_accelerator_hour",
                     "other_usd", NULL)))
        return rc;
    const yaml_node_t *e = get(L, &co, "energy_usd_per_accelerator_hour", path);
    if (e != NULL && s->power.on)
        return fail_at(L, e, path,
                       "is a flat energy price for scenarios without a power section; this one "
                       "has one, which prices the electricity itself");
    if (e != NULL && s->procurement.energy_included)
        return fail_at(L, e, path,
                       "would be charged on top of a rental price that includes electricity: "
                       "set procurement.energy_included: false");
    /* A price per unit is required where units are given. */
    if ((rc = open_section(L, &co, "data", DCS_SEC_DATA, false, &da)) ||
        (rc = f_keys(L, &da, s, "acquisition_usd", "labels", NULL)) ||
        (rc = f_key_if(L, &da, "usd_per_label", c->labels > 0.0, s)) ||
        (rc = f_keys(L, &da, s, "usd_per_label_sd", "storage", NULL)) ||
        (rc = open_section(L, &co, "staff", DCS_SEC_STAFF, false, &st)) ||
        (rc = f_key(L, &st, "team_size", s)) ||
        (rc = f_key_if(L, &st, "loaded_usd_per_year", c->team > 0.0, s)) ||
        (rc = f_key(L, &st, "research_usd", s)) ||
        (rc = open_section(L, &co, "processing", DCS_SEC_PROCESSING, false, &pc)) ||
        (rc = f_key(L, &pc, "data", s)) ||
        (rc = f_key_if(L, &pc, "usd_per_tb", c->processed_bytes > 0.0, s)) ||
        (rc = open_section(L, &co, "licences", DCS_SEC_LICENCES, false, &li)) ||
        (rc = f_key(L, &li, "seats", s)) ||
        (rc = f_key_if(L, &li, "usd_per_seat_year", c->licence_seats > 0.0, s)) ||
        (rc = f_key(L, &li, "usd_per_accelerator_hour", s)))
        return rc;
    /* Billed electricity without a power section or a flat price
     * (dcs_energy_needs_model): the power model of an empty `power: {}`,
     * read by the same readers from the key table's defaults, never a
     * silent $0; without a TDP it has no training power. */
    if (!dcs_energy_needs_model(s))
        return 0;
    if (!(dcs_power_server_ratio(s->cluster.accel.key) * s->cluster.accel.tdp_w > 0.0)) {
        const yaml_node_t *n = get(L, top, "procurement", path);
        return fail_at(L, n != NULL ? n : top->pos, "procurement",
                       "the electricity is billed (owned hardware, or energy_included: false) and "
                       "the accelerator has no TDP for the default power model: give "
                       "power.training, or costs.energy_usd_per_accelerator_hour");
    }
    L->power_default = true;
    return read_energy(L, top, s);
}

/* market, procurement, costs; shock dates become times after the start. */
int read_money(loader *L, const section *top, dcs_scenario *s)
{
    double dates[DCS_MAX_SHOCKS];
    for (int i = 0; i < DCS_MAX_SHOCKS; i++)
        dates[i] = NO_DATE;
    int rc = read_market(L, top, s, dates);
    if (rc == 0)
        rc = read_procurement(L, top, s);
    if (rc == 0)
        rc = read_costs(L, top, s);
    for (int i = 0; rc == 0 && i < s->market.nshocks; i++)
        if (dates[i] != NO_DATE)
            s->market.shocks[i].start_s = dates[i] - s->sim.start_s;
    if (rc == 0)
        spread_shocks(s);
    return rc;
}
