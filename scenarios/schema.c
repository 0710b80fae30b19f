/*
 * schema.c - lookups over the key table (keys_*.c) and the Markdown key
 * tables of docs/scenarios.md generated from it.
 */
#include "schema.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- enumerations ---------------------------------------------------------------------------- */

const char *const dcs_names_job_kind[] = {"pretraining", "fine_tuning", "continued_pretraining",
                                          "adapter",     "vision",      NULL};
const char *const dcs_names_shock_target[] = {"supply", "demand", "manufacturing", NULL};
const char *const dcs_names_jump_target[] = {"demand", "supply", "price", NULL};
const char *const dcs_names_buy_mode[] = {"on_demand", "reserved", "owned", "mixed", NULL};
const char *const dcs_names_cool_model[] = {"pue", "cop", NULL};
const char *const dcs_names_price_model[] = {"flat", "tou", "stochastic", NULL};
const char *const dcs_names_policy[] = {"none", "fixed", "young", "daly", NULL};
const char *const dcs_names_scope[] = {"accelerator", "node",        "job",     "hbm", "switch",
                                       "storage",     "maintenance", "cooling", NULL};
const char *const dcs_names_action[] = {"swap", "restart", "slow", "planned", NULL};
const char *const dcs_names_no_spare[] = {"wait", "shrink", NULL};
const char *const dcs_names_ckpt_mode[] = {"blocking", "async", NULL};
const char *const dcs_names_engine[] = {"fast", "reference", NULL};
const char *const dcs_names_choose[] = {"preference", "cheapest", NULL};
const char *const dcs_names_switch_policy[] = {"never", "price_gap", NULL};
const char *const dcs_names_ttf[] = {"exponential", "weibull", "lognormal", NULL};
const int dcs_values_ttf[] = {DCS_DIST_EXPONENTIAL, DCS_DIST_WEIBULL, DCS_DIST_LOGNORMAL};
const char *const dcs_names_dist[] = {"fixed", "exponential", "weibull", "lognormal", NULL};
const char *const dcs_names_num_format[] = {"BF16", "FP16", NULL};

/* ---- lookups --------------------------------------------------------------------------------- */

const dcs_schema_section *dcs_schema_section_of(dcs_sec id)
{
    const struct {
        const dcs_schema_section *s;
        size_t n;
    } parts[] = {{dcs_schema_core, dcs_schema_ncore},
                 {dcs_schema_failures, dcs_schema_nfailures},
                 {dcs_schema_energy, dcs_schema_nenergy},
                 {dcs_schema_money, dcs_schema_nmoney}};
    /* Each part lists its sections in id order, mostly without gaps: the
     * section id - first id is the one looked for where nothing is missing
     * before it (the loader asks for a section at every key it reads). */
    for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++) {
        if (parts[p].n == 0 || id < parts[p].s[0].id)
            continue;
        size_t j = (size_t)id - (size_t)parts[p].s[0].id;
        if (j < parts[p].n && parts[p].s[j].id == id)
            return &parts[p].s[j];
    }
    for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++)
        for (size_t i = 0; i < parts[p].n; i++)
            if (parts[p].s[i].id == id)
                return &parts[p].s[i];
    return NULL;
}

const dcs_schema_key *dcs_schema_find(dcs_sec id, const char *name)
{
    const dcs_schema_section *s = dcs_schema_section_of(id);
    for (size_t i = 0; s != NULL && i < s->nkeys; i++)
        if (s->keys[i].name[0] == name[0] && strcmp(s->keys[i].name, name) == 0)
            return &s->keys[i];
    return NULL;
}

const dcs_schema_key *dcs_schema_parent(dcs_sec id)
{
    for (int p = DCS_SEC_TOP; p < DCS_SEC_COUNT; p++) {
        const dcs_schema_section *s = dcs_schema_section_of((dcs_sec)p);
        for (size_t i = 0; s != NULL && i < s->nkeys; i++)
            if (s->keys[i].child == id &&
                (s->keys[i].type == DCS_KT_SECTION || s->keys[i].type == DCS_KT_LIST))
                return &s->keys[i];
    }
    return NULL;
}

size_t dcs_schema_names(dcs_sec id, const char **names, size_t cap)
{
    const dcs_schema_section *s = dcs_schema_section_of(id);
    size_t n = 0;
    for (size_t i = 0; s != NULL && i < s->nkeys && n + 1 < cap; i++)
        names[n++] = s->keys[i].name;
    if (cap > 0)
        names[n] = NULL;
    return n;
}

double dcs_schema_value(const void *base, const dcs_schema_key *k)
{
    const char *p = (const char *)base + k->offset;
    double d;
    int64_t i;
    uint64_t u;
    bool b;
    int e;
    switch (k->type) {
    case DCS_KT_INTEGER:
        memcpy(&i, p, sizeof i);
        return (double)i;
    case DCS_KT_UNSIGNED:
        memcpy(&u, p, sizeof u);
        return (double)u;
    case DCS_KT_BOOL:
        memcpy(&b, p, sizeof b);
        return b;
    case DCS_KT_ENUM:
        memcpy(&e, p, sizeof e);
        return e;
    default:
        memcpy(&d, p, sizeof d);
        return d;
    }
}

bool dcs_schema_in_range(const dcs_schema_key *k, double v)
{
    if (k->range & DCS_RANGE_LO) {
        if ((k->range & DCS_RANGE_LO_OPEN) ? !(v > k->lo) : !(v >= k->lo))
            return false;
    }
    if (k->range & DCS_RANGE_HI) {
        if ((k->range & DCS_RANGE_HI_OPEN) ? !(v < k->hi) : !(v <= k->hi))
            return false;
    }
    return !isnan(v);
}

/* ---- Markdown -------------------------------------------------------------------------------- */

typedef struct mdbuf {
    char *p;
    size_t len, cap;
    bool oom;
} mdbuf;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
md(mdbuf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = true;
        return;
    }
    size_t need = b->len + (size_t)n + 1;
    if (need > b->cap) {
        char *q = realloc(b->p, need * 2);
        if (q == NULL) {
            b->oom = true;
            return;
        }
        b->p = q;
        b->cap = need * 2;
    }
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

static const char *dim_word(dcs_dim d)
{
    switch (d) {
    case DCS_DIM_DURATION:
        return "duration";
    case DCS_DIM_POWER:
        return "power";
    case DCS_DIM_ENERGY:
        return "energy";
    case DCS_DIM_DATA:
        return "data";
    case DCS_DIM_BANDWIDTH:
        return "bandwidth";
    case DCS_DIM_TEMPERATURE:
        return "temperature";
    }
    return "quantity";
}

static void type_cell_plain(mdbuf *b, const dcs_schema_key *k);

/* The type, and whether a distribution may stand for the value. */
static void type_cell(mdbuf *b, const dcs_schema_key *k)
{
    type_cell_plain(b, k);
    if (k->flags & DCS_KEY_DIST)
        md(b, " or distribution");
}

static void type_cell_plain(mdbuf *b, const dcs_schema_key *k)
{
    if (k->type_doc != NULL) {
        md(b, "%s", k->type_doc);
        return;
    }
    switch (k->type) {
    case DCS_KT_NUMBER:
        md(b, "number");
        break;
    case DCS_KT_QUANTITY:
        md(b, "%s", dim_word(k->dim));
        break;
    case DCS_KT_INTEGER:
    case DCS_KT_UNSIGNED:
        md(b, "integer");
        break;
    case DCS_KT_BOOL:
        md(b, "boolean");
        break;
    case DCS_KT_ENUM:
        for (size_t i = 0; k->names[i] != NULL; i++)
            md(b, "%s`%s`", i ? " \\| " : "", k->names[i]);
        break;
    case DCS_KT_STRING:
        md(b, "string");
        break;
    case DCS_KT_SECTION:
        md(b, "mapping");
        break;
    case DCS_KT_LIST:
        md(b, "list");
        break;
    case DCS_KT_SPECIAL:
        md(b, "value");
        break;
    }
}

static void range_cell(mdbuf *b, const dcs_schema_key *k)
{
    const char *sep = "";
    unsigned r = k->range;
    if ((r & DCS_RANGE_LO) && (r & DCS_RANGE_HI)) {
        md(b, "%s%g, %g%s", (r & DCS_RANGE_LO_OPEN) ? "(" : "[", k->lo, k->hi,
           (r & DCS_RANGE_HI_OPEN) ? ")" : "]");
        sep = "; ";
    } else if (r & DCS_RANGE_LO) {
        md(b, "%s %g", (r & DCS_RANGE_LO_OPEN) ? ">" : ">=", k->lo);
        sep = "; ";
    } else if (r & DCS_RANGE_HI) {
        md(b, "%s %g", (r & DCS_RANGE_HI_OPEN) ? "<" : "<=", k->hi);
        sep = "; ";
    }
    if (k->range_note != NULL) {
        md(b, "%s%s", sep, k->range_note);
        sep = "; ";
    }
    if (k->applies != NULL)
        md(b, "%sonly with %s", sep, k->applies);
}

/* "cluster" -> "`cluster` key"; "failures[]" -> "`failures[i]` key". */
static void header_cell(mdbuf *b, const char *path)
{
    if (path[0] == '\0') {
        md(b, "key");
        return;
    }
    md(b, "`");
    for (const char *p = path; *p != '\0'; p++)
        md(b, p[0] == '[' && p[1] == ']' ? "[i" : "%c", *p);
    md(b, "` key");
}

static void table(mdbuf *b, const dcs_schema_section *s, const char *tab)
{
    md(b, "| ");
    header_cell(b, s->path);
    md(b, " | type | default | range | meaning |\n|-----|------|---------|-------|---------|\n");
    for (size_t i = 0; i < s->nkeys; i++) {
        const dcs_schema_key *k = &s->keys[i];
        bool mine = tab == NULL ? k->doc_table == NULL
                                : k->doc_table != NULL && strcmp(k->doc_table, tab) == 0;
        if (!mine)
            continue;
        md(b, "| `%s` | ", k->name);
        type_cell(b, k);
        md(b, " | %s", k->dflt_doc != NULL ? k->dflt_doc : "");
        if (k->why != NULL && strncmp(k->why, "off unless given", 16) != 0)
            md(b, "%s%s", k->dflt_doc != NULL ? " — " : "", k->why);
        md(b, " | ");
        range_cell(b, k);
        md(b, " | %s |\n", k->doc);
    }
}

int dcs_schema_doc_table(dcs_sec id, const char *tab, char **out)
{
    mdbuf b = {NULL, 0, 0, false};
    const dcs_schema_section *s = dcs_schema_section_of(id);
    *out = NULL;
    if (s != NULL)
        table(&b, s, tab);
    md(&b, "%s", "");
    if (b.oom) {
        free(b.p);
        return DCS_ENOMEM;
    }
    *out = b.p;
    return 0;
}

static const dcs_schema_section *section_named(const char *name, size_t len)
{
    for (int id = DCS_SEC_TOP; id < DCS_SEC_COUNT; id++) {
        const dcs_schema_section *s = dcs_schema_section_of((dcs_sec)id);
        const char *path = s == NULL ? NULL : s->path[0] == '\0' ? "top" : s->path;
        if (path != NULL && strlen(path) == len && strncmp(path, name, len) == 0)
            return s;
    }
    return NULL;
}

int dcs_schema_doc_update(const char *text, char **out, dcs_err *err)
{
    static const char open[] = "<!-- keys: ", close[] = "<!-- end keys -->";
    mdbuf b = {NULL, 0, 0, false};
    const char *p = text;
    long lineno = 0;
    bool skipping = false;
    *out = NULL;
    while (*p != '\0') {
        size_t n = strcspn(p, "\n");
        lineno++;
        if (skipping && n >= sizeof close - 1 && strncmp(p, close, sizeof close - 1) == 0)
            skipping = false;
        if (!skipping)
            md(&b, "%.*s%s", (int)n, p, p[n] == '\n' ? "\n" : "");
        if (!skipping && strncmp(p, open, sizeof open - 1) == 0) {
            const char *name = p + sizeof open - 1;
            size_t len = strcspn(name, " \n");
            const char *tab = name + len;
            size_t tlen = 0;
            if (*tab == ' ' && strncmp(tab, " -->", 4) != 0) {
                tab++;
                tlen = strcspn(tab, " \n");
            }
            const dcs_schema_section *s = section_named(name, len);
            if (s == NULL) {
                free(b.p);
                dcs_err_set(err, DCS_EINPUT, "\"%.*s\" names no section of the key table", (int)len,
                            name);
                dcs_err_where(err, "docs/scenarios.md", lineno, (long)(name - p) + 1);
                return DCS_EINPUT;
            }
            char tname[64];
            snprintf(tname, sizeof tname, "%.*s", (int)tlen, tab);
            table(&b, s, tlen > 0 ? tname : NULL);
            skipping = true;
        }
        p += n + (p[n] == '\n');
    }
    if (skipping) {
        free(b.p);
        dcs_err_set(err, DCS_EINPUT, "a generated key table has no \"%s\" line", close);
        dcs_err_where(err, "docs/scenarios.md", lineno, 1);
        return DCS_EINPUT;
    }
    md(&b, "%s", "");
    if (b.oom) {
        free(b.p);
        return dcs_err_set(err, DCS_ENOMEM, "out of memory writing the key tables");
    }
    *out = b.p;
    return 0;
}
