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

static int read_shocks(loader *L, const yaml_node_t *list, const char *lpath, dcs_scenario *s,
                       double *dates)
{
    dcs_market_cfg *m = &s->market;
    if (list->type != YAML_SEQUENCE_NODE)
        return fail_at(L, list, lpath, "expected a list of shocks, got %s", type_name(list));
    int i = 0;
    for (const yaml_node_item_t *it = list->data.sequence.items.start;
         it < list->data.sequence.items.top; it++, i++) {
        if (i == DCS_MAX_SHOCKS)
            return fail_at(L, list, lpath, "at most %d shocks", DCS_MAX_SHOCKS);
        const yaml_node_t *item = node_at(L, *it);
        section sh = {item, item, "", DCS_SEC_SHOCK};
        snprintf(sh.path, sizeof sh.path, "market.shocks[%d]", i);
        if (item->type != YAML_MAPPING_NODE)
            return fail_at(L, item, sh.path, "expected a mapping, got %s", type_name(item));
        int rc = check_keys(L, &sh);
        if (rc)
            return rc;
        dcs_shock_cfg *k = &m->shocks[i];
        char path[PATH_LEN];
        const yaml_node_t *tg = get(L, &sh, "target", path);
        if (tg == NULL)
            return missing(L, &sh, "target", "supply, demand or manufacturing");
        int t;
        if ((rc = enum_of(L, tg, path, dcs_names_shock_target, &t)))
            return rc;
        k->target = (dcs_shock_target)t;
        const yaml_node_t *st = get(L, &sh, "start", path);
        if (st == NULL)
            return missing(L, &sh, "start", "a date, or a duration after simulation.start");
        if ((rc = shock_start(L, st, path, &k->start_s, &dates[i])) ||
            (rc = f_number(L, &sh, "factor", true, R_GE0, 1.0, &k->factor)) ||
            (rc = f_quantity(L, &sh, "ramp", DCS_DIM_DURATION, false, R_GE0, 0.0, &k->ramp_s)) ||
            (rc = f_quantity(L, &sh, "duration", DCS_DIM_DURATION, false, R_GE0, HUGE_VAL,
                             &k->duration_s)))
            return rc;
        k->types = (1u << s->nmarket_types) - 1u; /* every type by default */
        const yaml_node_t *ty = get(L, &sh, "types", path);
        if (ty != NULL && (rc = shock_types(L, ty, path, s, &k->types)))
            return rc;
        m->nshocks = i + 1;
    }
    return 0;
}

/* Growth written as a relative rate per year (0.8: +80 % a year). */
static int f_growth(loader *L, const section *sec, const char *key, double *out)
{
    char path[PATH_LEN];
    int rc = f_number(L, sec, key, false, R_ANY, 0.0, out);
    if (rc)
        return rc;
    if (!(*out > -1.0))
        return fail_at(L, get(L, sec, key, path), path,
                       "is a relative change per year and must be above -1, got %g", *out);
    return 0;
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
static int read_market_keys(loader *L, const section *sec, const section *parent, dcs_market_cfg *m,
                            double ref_price, double purchase, int64_t nodes)
{
    int rc;
    char path[PATH_LEN];
#define F(key) from(L, sec, parent, key)
    /* No published price elasticity of demand for AI accelerators was found
     * (shared refs 6.2), nor a lead time that holds across years (40 weeks
     * in 2023, 8-12 in 2024): both must be given. */
    if ((rc = f_number(L, F("reference_price_usd_per_hour"), "reference_price_usd_per_hour", false,
                       R_GT0, ref_price, &m->ref_price)) ||
        (rc = f_number(L, F("price_floor_usd_per_hour"), "price_floor_usd_per_hour", false, R_GE0,
                       0.0, &m->floor_price)) ||
        (rc = f_number(L, F("price_cap_usd_per_hour"), "price_cap_usd_per_hour", false, R_GT0,
                       DCS_MARKET_CAP_MULTIPLE * m->ref_price, &m->cap_price)) ||
        (rc = f_number(L, F("elasticity"), "elasticity", true, R_GT0, 0.0, &m->elasticity)) ||
        (rc = f_number(L, F("initial_balance"), "initial_balance", false, R_GT0, 1.0,
                       &m->balance)) ||
        (rc = f_growth(L, F("demand_growth"), "demand_growth", &m->demand_growth)) ||
        (rc = f_number(L, F("demand_noise_sd"), "demand_noise_sd", false, R_GE0, 0.0,
                       &m->demand_sd)) ||
        (rc = f_quantity(L, F("demand_noise_timescale"), "demand_noise_timescale", DCS_DIM_DURATION,
                         false, R_GT0, 30.0 * 86400.0, &m->demand_tau_s)) ||
        (rc = f_number(L, F("start_price_usd_per_hour"), "start_price_usd_per_hour", false, R_GE0,
                       0.0, &m->start_price)) ||
        (rc = f_number(L, F("jump_rate"), "jump_rate", false, R_GE0, 0.0, &m->jump_rate)) ||
        (rc = f_enum(L, F("jump_target"), "jump_target", dcs_names_jump_target, DCS_JUMP_DEMAND,
                     &m->jump_target)) ||
        (rc = f_number(L, F("jump_log_mean"), "jump_log_mean", false, R_ANY, 0.0,
                       &m->jump_log_mean)) ||
        (rc = f_number(L, F("jump_log_sd"), "jump_log_sd", false, R_GE0, 0.0, &m->jump_log_sd)) ||
        (rc = f_quantity(L, F("lead_time"), "lead_time", DCS_DIM_DURATION, true, R_GE0, 0.0,
                         &m->lead_mean_s)) ||
        (rc = f_quantity(L, F("lead_time_sd"), "lead_time_sd", DCS_DIM_DURATION, false, R_GE0, 0.0,
                         &m->lead_sd_s)) ||
        (rc = f_number(L, F("supply_response"), "supply_response", false, R_GE0, 0.0,
                       &m->response)) ||
        (rc = f_number(L, F("manufacturing_capacity"), "manufacturing_capacity", false, R_GE0,
                       HUGE_VAL, &m->capacity)) ||
        (rc = f_growth(L, F("capacity_growth"), "capacity_growth", &m->capacity_growth)) ||
        (rc = f_number(L, F("retirement"), "retirement", false, R_GE0, 0.0, &m->retirement)) ||
        (rc = f_number(L, F("reference_purchase_usd"), "reference_purchase_usd", false, R_GT0,
                       purchase, &m->ref_purchase)) ||
        (rc = f_number(L, F("purchase_response"), "purchase_response", false, R_GE0, 0.0,
                       &m->purchase_response)) ||
        (rc = f_quantity(L, F("acquisition_time"), "acquisition_time", DCS_DIM_DURATION, false,
                         R_GE0, 0.0, &m->acquisition_s)) ||
        /* One node is found sooner than a cluster: assumption, capacity
         * freed at a steady rate, so 1 / nodes of the cluster's wait. */
        (rc = f_quantity(L, F("replacement_time"), "replacement_time", DCS_DIM_DURATION, false,
                         R_GE0, nodes > 0 ? m->acquisition_s / (double)nodes : m->acquisition_s,
                         &m->replace_s)))
        return rc;
    if (m->cap_price <= m->floor_price &&
        get(L, F("price_cap_usd_per_hour"), "price_cap_usd_per_hour", path) == NULL)
        return fail_at(L, get(L, F("price_floor_usd_per_hour"), "price_floor_usd_per_hour", path),
                       path,
                       "must be below the default price cap, %g x reference_price_usd_per_hour "
                       "= %g: give price_cap_usd_per_hour",
                       DCS_MARKET_CAP_MULTIPLE, m->cap_price);
    if (m->cap_price <= m->floor_price)
        return fail_at(L, get(L, F("price_cap_usd_per_hour"), "price_cap_usd_per_hour", path), path,
                       "must be above price_floor_usd_per_hour (%g)", m->floor_price);
    if (m->lead_sd_s > 0.0 && !(m->lead_mean_s > 0.0))
        return fail_at(L, get(L, F("lead_time_sd"), "lead_time_sd", path), path,
                       "needs a lead_time > 0 (lead times are lognormal around it)");
    if (m->retirement >= 1.0)
        return fail_at(L, get(L, F("retirement"), "retirement", path), path,
                       "is a fraction of supply retired per year, below 1");
    /* The compensator needs E[J] = e^(mu + sd^2 / 2). */
    if (m->jump_rate > 0.0 &&
        !isfinite(exp(m->jump_log_mean + 0.5 * m->jump_log_sd * m->jump_log_sd))) {
        const yaml_node_t *n = get(L, F("jump_log_sd"), "jump_log_sd", path);
        if (n == NULL)
            n = get(L, F("jump_log_mean"), "jump_log_mean", path);
        return fail_at(L, n, path,
                       "gives jumps of infinite mean size e^(jump_log_mean + jump_log_sd^2 / 2)");
    }
#undef F
    return 0;
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

/* market.types: one market per accelerator type, each with the market
 * mapping's keys as its defaults. */
static int read_market_types(loader *L, const section *mk, const yaml_node_t *list,
                             const char *lpath, dcs_scenario *s)
{
    if (list->type != YAML_SEQUENCE_NODE)
        return fail_at(L, list, lpath, "expected a list of accelerator types, got %s",
                       type_name(list));
    int n = (int)(list->data.sequence.items.top - list->data.sequence.items.start);
    if (n == 0)
        return fail_at(L, list, lpath, "an empty list: give at least the cluster's accelerator");
    if (n > DCS_MAX_MARKET_TYPES)
        return fail_at(L, list, lpath, "at most %d types, got %d", DCS_MAX_MARKET_TYPES, n);
    s->market_job_type = -1;
    for (int i = 0; i < n; i++) {
        const yaml_node_t *item = node_at(L, list->data.sequence.items.start[i]);
        section ty = {item, item, "", DCS_SEC_MARKET_TYPE};
        snprintf(ty.path, sizeof ty.path, "market.types[%d]", i);
        if (item->type != YAML_MAPPING_NODE)
            return fail_at(L, item, ty.path, "expected a mapping, got %s", type_name(item));
        int rc = check_keys(L, &ty);
        if (rc)
            return rc;
        dcs_market_type_cfg *t = &s->market_types[i];
        char path[PATH_LEN];
        const yaml_node_t *an = get(L, &ty, "accelerator", path);
        if (an == NULL)
            return missing(L, &ty, "accelerator", "a catalog key");
        const dcs_accel *a;
        if ((rc = catalog_type(L, an, path, s, &a, &t->catalog_index)))
            return rc;
        for (int k = 0; k < i; k++)
            if (s->market_types[k].catalog_index == t->catalog_index)
                return fail_at(L, an, path, "%s is given twice (also market.types[%d])", a->key, k);
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
        if (!(price > 0.0) && get(L, &ty, "reference_price_usd_per_hour", path) == NULL &&
            get(L, mk, "reference_price_usd_per_hour", path) == NULL)
            return missing(L, &ty, "reference_price_usd_per_hour",
                           "the catalog has no rental price for this accelerator");
        if ((rc = f_number(L, &ty, "mfu", false, R_GT0, 1.0, &t->mfu)) ||
            (rc = f_number(L, &ty, "demand_units", false, R_GT0, 1.0, &t->demand_units)) ||
            (rc = read_market_keys(L, &ty, mk, &t->m, price, purchase, s->cluster.nodes)))
            return rc;
        if (t->mfu > 1.0)
            return fail_at(L, get(L, &ty, "mfu", path), path, "is a fraction of peak, at most 1");
        t->m.on = true;
        t->m.step_s = s->market.step_s;
        s->nmarket_types = i + 1;
    }
    if (s->market_job_type < 0)
        return fail_at(L, list, lpath,
                       "the cluster's accelerator %s is not in it: the job rents from its market",
                       s->cluster.accel.key);
    return 0;
}

/* market.shocks[i].types: the types a shock hits, as a bit per index. */
static int shock_types(loader *L, const yaml_node_t *n, const char *path, const dcs_scenario *s,
                       uint32_t *mask)
{
    if (!s->market_listed)
        return fail_at(L, n, path, "needs market.types (without it the market has one type)");
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
    const char *rel;
    int rc = scalar_text(L, n, path, "a file path", &rel);
    if (rc)
        return rc;
    beside_file(L, rel, file, sizeof file);
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
    if ((rc = f_quantity(L, &mk, "step", DCS_DIM_DURATION, false, R_GT0, 86400.0, &m->step_s)))
        return rc;
    const yaml_node_t *types = get(L, &mk, "types", path);
    /* Buyers re-plan monthly: assumption, the default noise time scale. */
    if ((rc = open_section(L, &mk, "substitution", DCS_SEC_SUBSTITUTION, false, &su)) ||
        (rc = f_number(L, &su, "elasticity", false, R_GE0, 0.0, &s->substitution.elasticity)) ||
        (rc = f_quantity(L, &su, "timescale", DCS_DIM_DURATION, false, R_GT0, 30.0 * 86400.0,
                         &s->substitution.tau_s)))
        return rc;
    if (types == NULL) {
        if ((rc = read_market_keys(L, &mk, NULL, m, s->cluster.price_usd_per_accel_h,
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
        if ((rc = read_market_types(L, &mk, types, path, s)))
            return rc;
        dcs_market_cfg *job = &s->market_types[s->market_job_type].m;
        memcpy(m, job, offsetof(dcs_market_cfg, nshocks));
        m->on = true;
    }
    const yaml_node_t *sh = get(L, &mk, "shocks", path);
    m->nshocks = 0;
    if (sh != NULL && (rc = read_shocks(L, sh, path, s, dates)))
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

static int read_procurement(loader *L, const section *top, dcs_scenario *s)
{
    section pr;
    dcs_procurement_cfg *p = &s->procurement;
    memset(p, 0, sizeof *p);
    int rc = open_section(L, top, "procurement", DCS_SEC_PROCUREMENT, false, &pr);
    if (rc)
        return rc;
    int mode = DCS_BUY_ON_DEMAND;
    if ((rc = f_enum(L, &pr, "mode", dcs_names_buy_mode, DCS_BUY_ON_DEMAND, &mode)))
        return rc;
    p->mode = (dcs_buy_mode)mode;
    char why[96];
    bool reserving = p->mode == DCS_BUY_RESERVED || p->mode == DCS_BUY_MIXED;
    bool owned = p->mode == DCS_BUY_OWNED;
    if (p->mode == DCS_BUY_MIXED) {
        if ((rc = f_integer(L, &pr, "reserved_accelerators", true, 1, 0, &p->reserved_accels)))
            return rc;
    } else {
        snprintf(why, sizeof why, "is only used with mode mixed (the mode is %s)",
                 dcs_names_buy_mode[mode]);
        if ((rc = f_forbid(L, &pr, "reserved_accelerators", why)))
            return rc;
    }
    if (reserving) {
        /* Defaults: a 1-year term at AWS p3's 1-year price against
         * on-demand, 1 - $1.99 / $3.06 = 0.3497 off (shared refs 5). */
        if ((rc = f_number(L, &pr, "discount", false, R_GE0, 1.0 - 1.99 / 3.06, &p->discount)) ||
            (rc = f_quantity(L, &pr, "term", DCS_DIM_DURATION, false, R_GT0, 365.25 * 86400.0,
                             &p->term_s)))
            return rc;
        char path[PATH_LEN];
        if (p->discount >= 1.0)
            return fail_at(L, get(L, &pr, "discount", path), path,
                           "is a fraction off the price at signing, below 1");
    } else {
        snprintf(why, sizeof why, "is only used with mode reserved or mixed (the mode is %s)",
                 dcs_names_buy_mode[mode]);
        if ((rc = f_forbid(L, &pr, "discount", why)) || (rc = f_forbid(L, &pr, "term", why)))
            return rc;
    }
    if (owned) {
        /* Default lifetime 5 y: Epoch AI's server lifetime for hardware from
         * 2023 on (shared refs 4.5); residual value and hosting 0 unless
         * given (no public figure in the references). Or Epoch's own
         * amortization: a share of the price per year (0.14 orders of
         * magnitude of price-performance a year x ln 10 = 0.3224). The
         * cluster's network is 19 % of the hardware cost (Epoch,
         * CLUSTER_INTERCONNECT_COST_FRACTION). */
        char dpath[PATH_LEN];
        const yaml_node_t *dep = get(L, &pr, "depreciation_per_year", dpath);
        if (dep != NULL) {
            static const char by_rate[] = "is replaced by depreciation_per_year";
            if ((rc = f_forbid(L, &pr, "lifetime", by_rate)) ||
                (rc = f_forbid(L, &pr, "residual", by_rate)))
                return rc;
        }
        if ((rc = f_number(L, &pr, "depreciation_per_year", false, R_GT0, 0.0,
                           &p->depreciation_per_year)) ||
            (rc = f_number(L, &pr, "interconnect_share", false, R_GE0, 0.19,
                           &p->interconnect_share)))
            return rc;
        if (p->interconnect_share >= 1.0)
            return fail_at(L, get(L, &pr, "interconnect_share", dpath), dpath,
                           "is a share of the whole hardware cost, below 1");
        if ((rc = f_quantity(L, &pr, "lifetime", DCS_DIM_DURATION, false, R_GT0,
                             5.0 * 365.25 * 86400.0, &p->lifetime_s)) ||
            (rc = f_number(L, &pr, "residual", false, R_GE0, 0.0, &p->residual)) ||
            (rc = f_number(L, &pr, "hosting_usd_per_accelerator_hour", false, R_GE0, 0.0,
                           &p->hosting_usd_per_h)) ||
            (rc = f_number(L, &pr, "purchase_usd", false, R_GT0, 0.0, &p->purchase_usd)))
            return rc;
        char path[PATH_LEN];
        if (p->residual > 1.0)
            return fail_at(L, get(L, &pr, "residual", path), path,
                           "is a share of the purchase price, at most 1");
        if (!(dcs_ledger_purchase_usd(s, NAN) > 0.0) && !s->market.on)
            return missing(L, &pr, "purchase_usd",
                           "the catalog has no purchase price for this accelerator");
    } else {
        snprintf(why, sizeof why, "is only used with mode owned (the mode is %s)",
                 dcs_names_buy_mode[mode]);
        static const char *const own_keys[] = {"lifetime",
                                               "residual",
                                               "hosting_usd_per_accelerator_hour",
                                               "purchase_usd",
                                               "depreciation_per_year",
                                               "interconnect_share",
                                               NULL};
        for (const char *const *k = own_keys; *k != NULL; k++)
            if ((rc = f_forbid(L, &pr, *k, why)))
                return rc;
    }
    /* One rule (models/power.h, dcs_energy_needs_model): rent includes the
     * electricity, owned hardware pays its own. */
    return f_bool(L, &pr, "energy_included", !owned, &p->energy_included);
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
    if ((rc = f_number(L, &co, "storage_usd_per_tb_month", false, R_GE0, 0.0,
                       &c->storage_usd_per_tb_month)) ||
        (rc = f_number(L, &co, "energy_usd_per_accelerator_hour", false, R_GE0, 0.0,
                       &c->energy_usd_per_accel_h)) ||
        (rc = f_number(L, &co, "other_usd", false, R_GE0, 0.0, &c->other_usd)))
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
    if ((rc = open_section(L, &co, "data", DCS_SEC_DATA, false, &da)) ||
        (rc = f_number(L, &da, "acquisition_usd", false, R_GE0, 0.0, &c->data_usd)) ||
        (rc = f_number(L, &da, "labels", false, R_GE0, 0.0, &c->labels)) ||
        (rc = f_number(L, &da, "usd_per_label", c->labels > 0.0, R_GE0, 0.0, &c->usd_per_label)) ||
        (rc = f_number(L, &da, "usd_per_label_sd", false, R_GE0, 0.0, &c->label_sd)) ||
        (rc = f_quantity(L, &da, "storage", DCS_DIM_DATA, false, R_GE0, 0.0, &c->data_bytes)))
        return rc;
    if ((rc = open_section(L, &co, "staff", DCS_SEC_STAFF, false, &st)) ||
        (rc = f_number(L, &st, "team_size", false, R_GE0, 0.0, &c->team)) ||
        (rc = f_number(L, &st, "loaded_usd_per_year", c->team > 0.0, R_GE0, 0.0,
                       &c->usd_per_person_year)) ||
        (rc = f_number(L, &st, "research_usd", false, R_GE0, 0.0, &c->research_usd)))
        return rc;
    if ((rc = open_section(L, &co, "processing", DCS_SEC_PROCESSING, false, &pc)) ||
        (rc = f_quantity(L, &pc, "data", DCS_DIM_DATA, false, R_GE0, 0.0, &c->processed_bytes)) ||
        (rc = f_number(L, &pc, "usd_per_tb", c->processed_bytes > 0.0, R_GE0, 0.0,
                       &c->processing_usd_per_tb)) ||
        (rc = open_section(L, &co, "licences", DCS_SEC_LICENCES, false, &li)) ||
        (rc = f_number(L, &li, "seats", false, R_GE0, 0.0, &c->licence_seats)) ||
        (rc = f_number(L, &li, "usd_per_seat_year", c->licence_seats > 0.0, R_GE0, 0.0,
                       &c->usd_per_seat_year)) ||
        (rc = f_number(L, &li, "usd_per_accelerator_hour", false, R_GE0, 0.0,
                       &c->licence_usd_per_accel_h)))
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
