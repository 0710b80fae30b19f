/*
 * read_energy.c - the readers of the energy model's sections: power,
 * cooling, weather (and its CSV series), electricity and carbon.
 */
#include "loader.h"
#include "series.h"

/* ---- the energy model ------------------------------------------------------------------------ */

#define CSV_LINE 256 /* a CSV series' longest line and its newline and NUL */

/* One line (lineno from 1, whole unless cut by the buffer) of a CSV
 * series: the header, a blank or comment line, or the row of hour *nrows
 * into out[]. On an error, sets L->err's message and the column *col. */
static int csv_line(loader *L, char *line, long lineno, bool whole, const char *what, double lo,
                    double *out, int *nrows, long *col)
{
    line[strcspn(line, "\r\n")] = '\0';
    char *comma = strchr(line, ',');
    double hour = 0.0, v = 0.0;
    if (!whole)
        return dcs_err_set(L->err, DCS_EINPUT, "the line is longer than %d characters",
                           CSV_LINE - 2);
    if (lineno == 1) {
        /* The header is not read, so a first row of data would be lost
         * without a word: refuse a first field that is a number. */
        if (comma != NULL)
            *comma = '\0';
        if (read_number(line, &hour))
            return dcs_err_set(L->err, DCS_EINPUT,
                               "expected a header line first (such as \"hour,value\"), got a row "
                               "of data");
        return 0;
    }
    if (line[0] == '\0' || line[0] == '#') /* blank lines and comments are skipped */
        return 0;
    if (comma == NULL)
        return dcs_err_set(L->err, DCS_EINPUT,
                           "expected two fields, the hour and %s, got \"%.60s\"", what, line);
    *comma = '\0';
    if (!read_number(line, &hour) || hour != (double)*nrows)
        return dcs_err_set(L->err, DCS_EINPUT,
                           "expected hour %d (rows are consecutive hours from 0), got \"%.60s\"",
                           *nrows, line);
    *col = (long)(comma - line) + 2;
    if (!read_number(comma + 1, &v) || v < lo)
        return dcs_err_set(L->err, DCS_EINPUT, "expected %s, got \"%.60s\"", what, comma + 1);
    if (*nrows == DCS_SERIES_MAX)
        return dcs_err_set(L->err, DCS_EINPUT, "more than %d hourly rows", DCS_SERIES_MAX);
    out[(*nrows)++] = v;
    return 0;
}

/* The rows of a CSV series "hour,value" from f into out[] (*count of
 * them); `path` names the file in messages. */
static int csv_rows(loader *L, FILE *f, const char *path, const char *key, const char *what,
                    double lo, double *out, int *count)
{
    char line[CSV_LINE];
    long lineno = 0;
    int nrows = 0, rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f) != NULL) {
        size_t len = strlen(line);
        bool whole = (len > 0 && line[len - 1] == '\n') || feof(f);
        long col = 1;
        if ((rc = csv_line(L, line, ++lineno, whole, what, lo, out, &nrows, &col))) {
            dcs_err_where(L->err, path, lineno, col);
            dcs_err_key(L->err, key);
        }
    }
    *count = nrows;
    return rc;
}

/* The whole of file f into a malloc'd *text of *len bytes; false when it
 * cannot be read or memory runs out. */
static bool slurp(FILE *f, char **text, size_t *len)
{
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap);
    while (buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        char *nb = n == cap ? realloc(buf, cap *= 2) : buf;
        if (nb == NULL)
            free(buf);
        buf = nb;
    }
    if (buf == NULL || ferror(f)) {
        free(buf);
        return false;
    }
    *text = buf;
    *len = n;
    return true;
}

/* Parses the file text (len bytes, read from path) into the shared series
 * store (series.h), unless the same text was read before (text is the
 * caller's, writable only because fmemopen wants it so). */
static int csv_store(loader *L, const yaml_node_t *n, const char *path, const char *key,
                     const char *what, double lo, char *text, size_t len, const double **out,
                     int *count)
{
    if ((*out = dcs_series_find(text, len, lo, count)) != NULL)
        return 0;
    double *v = malloc(DCS_SERIES_MAX * sizeof *v);
    FILE *f = len > 0 ? fmemopen(text, len, "r") : NULL;
    int rc = 0;
    if (v == NULL || (len > 0 && f == NULL))
        rc = dcs_err_set(L->err, DCS_ENOMEM, "out of memory reading \"%.200s\"", path);
    else if (f != NULL)
        rc = csv_rows(L, f, path, key, what, lo, v, count);
    else
        *count = 0;
    if (f != NULL)
        fclose(f);
    if (rc == 0 && *count == 0)
        rc = fail_at(L, n, key, "\"%.200s\" has no rows after its header", path);
    if (rc == 0 && (*out = dcs_series_put(text, len, lo, v, *count)) == NULL)
        rc = dcs_err_set(L->err, DCS_ENOMEM, "out of memory reading \"%.200s\"", path);
    free(v);
    return rc;
}

/* A CSV series "hour,value" (a header line, then one row per hour from 0,
 * consecutive) into *out, shared by every load of the same file text
 * (series.h); path relative to the scenario file. Errors name the CSV
 * file's line and column and the YAML key. */
static int read_csv_series(loader *L, const yaml_node_t *n, const char *key, const char *what,
                           double lo, const double **out, int *count, char *opened, size_t cap)
{
    char path[1024];
    int rc = file_of(L, n, key, "a file path", path, sizeof path);
    if (rc)
        return rc;
    if (strlen(path) >= cap)
        return fail_at(L, n, key, "the path is too long (at most %zu characters)", cap - 1);
    snprintf(opened, cap, "%s", path);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return fail_at(L, n, key, "cannot read \"%.200s\": %s", path, strerror(errno));
    char *text = NULL;
    size_t len = 0;
    bool ok = slurp(f, &text, &len);
    fclose(f);
    if (!ok)
        return fail_at(L, n, key, "cannot read \"%.200s\"", path);
    rc = csv_store(L, n, path, key, what, lo, text, len, out, count);
    free(text);
    return rc;
}

/* A number that is a fraction of `whole`, or a quantity of dim in SI. */
static int fraction_or_quantity(loader *L, const section *sec, const char *key, dcs_dim dim,
                                double whole, double dflt, double *out)
{
    char path[PATH_LEN];
    const yaml_node_t *n = get(L, sec, key, path);
    if (n == NULL) {
        *out = dflt;
        return 0;
    }
    const char *text;
    int rc = scalar_text(L, n, path, "a number or a quantity", &text);
    double v;
    if (rc == 0 && read_number(text, &v)) {
        if (!(v > 0.0))
            return fail_at(L, n, path, "must be > 0, got \"%.60s\"", text);
        *out = v * whole;
        return 0;
    }
    return rc ? rc : quantity_of(L, n, path, dim, R_GT0, out);
}

/* power: IT power per accelerator by state. */
static int read_power(loader *L, const section *top, dcs_scenario *s)
{
    section pw;
    dcs_power_cfg *p = &s->power;
    int rc = open_section(L, top, "power", DCS_SEC_POWER, false, &pw);
    if (rc || (pw.map == NULL && !L->power_default))
        return rc;
    p->on = true;
    /* Epoch AI's energy model (shared refs 3.4; models/power.c): server
     * power per chip TDP by accelerator (H100 1.8214, A100 2.03, ...), and
     * the share of it drawn while training (0.75 for GPUs, 0.43 for TPUs). */
    const char *key = s->cluster.accel.key;
    p->server_ratio = dcs_power_server_ratio(key); /* derived: by accelerator */
    if ((rc = f_key(L, &pw, "server_to_chip_ratio", s)))
        return rc;
    double server_w = p->server_ratio * s->cluster.accel.tdp_w;
    char path[PATH_LEN];
    const yaml_node_t *tn = get(L, &pw, "training", path);
    if (!(server_w > 0.0)) {
        /* No TDP in the catalog (TPU v5p): neither the default nor a
         * fraction of the server power can be computed. */
        double v;
        if (tn == NULL)
            return missing(L, &pw, "training", "the accelerator has no TDP in the catalog");
        if (tn->type == YAML_SCALAR_NODE && read_number((const char *)tn->data.scalar.value, &v))
            return fail_at(L, tn, path,
                           "a fraction of the server power needs the accelerator's TDP, which the "
                           "catalog lacks; give a power such as 700W");
    }
    if ((rc = fraction_or_quantity(L, &pw, "training", DCS_DIM_POWER, server_w,
                                   dcs_power_training_fraction(key) * server_w, &p->training_w)))
        return rc;
    /* Assumptions (no public figure in the references): while writing a
     * checkpoint the accelerators wait on I/O (0.5 of training power);
     * restarting and idle nodes draw 0.3 of it. */
    if ((rc = fraction_or_quantity(L, &pw, "checkpointing", DCS_DIM_POWER, p->training_w,
                                   0.5 * p->training_w, &p->ckpt_w)) ||
        (rc = fraction_or_quantity(L, &pw, "restarting", DCS_DIM_POWER, p->training_w,
                                   0.3 * p->training_w, &p->restart_w)) ||
        (rc = fraction_or_quantity(L, &pw, "idle", DCS_DIM_POWER, p->training_w,
                                   0.3 * p->training_w, &p->idle_w)) ||
        (rc = f_keys(L, &pw, s, "step", "wue", NULL)))
        return rc;
    return 0;
}

/* cooling.pue, or the keys of a chiller whose COP follows the outdoor
 * temperature (model cop). */
static int cooling_model(loader *L, const section *co, dcs_scenario *s)
{
    static const char *const cop_keys[] = {
        "chiller_efficiency",    "supply_temperature", "approach", "free_cooling_below",
        "free_cooling_fraction", "facility_overhead",  NULL};
    int rc = f_refuse(L, co, s); /* pue with model cop, the COP's keys with model pue */
    if (rc)
        return rc;
    if (s->cooling.model == DCS_COOL_PUE)
        return f_key(L, co, "pue", s);
    s->cooling.pue = 0.0;
    /* The COP's supply temperature is above absolute zero (its range); the
     * free-cooling threshold against it is the validator
     * cooling.free_cooling_below (validate.c). */
    for (const char *const *k = cop_keys; rc == 0 && *k != NULL; k++)
        rc = f_key(L, co, *k, s);
    return rc;
}

static int read_cooling(loader *L, const section *top, dcs_scenario *s)
{
    section co;
    int rc = open_section(L, top, "cooling", DCS_SEC_COOLING, false, &co);
    if (rc || (rc = f_key(L, &co, "model", s)) || (rc = cooling_model(L, &co, s)) ||
        (rc = f_key(L, &co, "units", s)))
        return rc;
    if (s->cooling.units > 0)
        return f_keys(L, &co, s, "unit_capacity", "design_temperature", "derate_per_kelvin", NULL);
    /* f_forbid: on units' value (> 0), which no table clause on a sibling says */
    static const char why[] = "is only used with units (a finite cooling capacity)";
    if ((rc = f_forbid(L, &co, "unit_capacity", why)) ||
        (rc = f_forbid(L, &co, "design_temperature", why)))
        return rc;
    return f_forbid(L, &co, "derate_per_kelvin", why);
}

static int read_weather(loader *L, const section *top, dcs_scenario *s)
{
    section we;
    dcs_weather_cfg *w = &s->weather;
    int rc = open_section(L, top, "weather", DCS_SEC_WEATHER, false, &we);
    if (rc)
        return rc;
    char path[PATH_LEN];
    const yaml_node_t *csv = get(L, &we, "csv", path);
    w->nseries = 0;
    if (csv != NULL) {
        if ((rc = f_refuse(L, &we, s))) /* the keys the series replaces */
            return rc;
        return read_csv_series(L, csv, path, "a temperature in C", -HUGE_VAL, &w->series,
                               &w->nseries, w->csv, sizeof w->csv);
    }
    return f_keys(L, &we, s, "mean", "seasonal_amplitude", "daily_amplitude", "hottest_day",
                  "hottest_hour", "noise_sd", "noise_timescale", NULL);
}

static const char *const day_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL};

/* tou[i].days: all | weekdays | weekends | a list of mon..sun. */
static int tou_days(loader *L, const yaml_node_t *n, const char *path, int *mask)
{
    if (n == NULL) {
        *mask = 0x7f;
        return 0;
    }
    if (n->type == YAML_SEQUENCE_NODE) {
        *mask = 0;
        int j = 0;
        for (const yaml_node_item_t *it = n->data.sequence.items.start;
             it < n->data.sequence.items.top; it++, j++) {
            char ipath[PATH_LEN + 16];
            snprintf(ipath, sizeof ipath, "%s[%d]", path, j);
            int d;
            int rc = enum_of(L, node_at(L, *it), ipath, day_names, &d);
            if (rc)
                return rc;
            *mask |= 1 << d;
        }
        if (*mask == 0)
            return fail_at(L, n, path, "an empty list of days");
        return 0;
    }
    static const char *const sets[] = {"all", "weekdays", "weekends", NULL};
    static const int masks[] = {0x7f, 0x3e, 0x41};
    int k;
    int rc = enum_of(L, n, path, sets, &k);
    if (rc == 0)
        *mask = masks[k];
    return rc;
}

/* electricity.tou[i]: its hours, days and price, overlapping no earlier
 * window (the list is at lpath). */
static int read_tou_window(loader *L, const section *w, int i, const item_list *l, void *arg)
{
    dcs_tou_cfg *t = &((dcs_elec_cfg *)arg)->tou[i];
    const dcs_tou_cfg *earlier = ((dcs_elec_cfg *)arg)->tou;
    char path[PATH_LEN];
    const yaml_node_t *h;
    const char *text;
    int from = -1, to = -1, used = 0, rc;
    if ((rc = need(L, w, "hours", "a range of hours such as 8-20", path, &h)) ||
        (rc = scalar_text(L, h, path, "a range of hours such as 8-20", &text)))
        return rc;
    if (sscanf(text, "%d-%d%n", &from, &to, &used) != 2 || text[used] != '\0' || from < 0 ||
        to > 24 || from >= to)
        return fail_at(L, h, path,
                       "expected a range of hours FROM-TO with 0 <= FROM < TO <= 24, got "
                       "\"%.60s\"",
                       text);
    t->from_h = from;
    t->to_h = to;
    if ((rc = tou_days(L, get(L, w, "days", path), path, &t->days)) ||
        (rc = f_key(L, w, "usd_per_kwh", t)))
        return rc;
    for (int j = 0; j < i; j++) {
        const dcs_tou_cfg *o = &earlier[j];
        int common = o->days & t->days;
        if (common == 0 || o->to_h <= t->from_h || t->to_h <= o->from_h)
            continue;
        int d = 0;
        while (!(common >> d & 1))
            d++;
        join(path, w->path, "hours");
        return fail_at(L, h, path, "overlaps %s[%d] on %s from %d:00 to %d:00", l->path, j,
                       day_names[d], t->from_h > o->from_h ? t->from_h : o->from_h,
                       t->to_h < o->to_h ? t->to_h : o->to_h);
    }
    return 0;
}

/* electricity.tou: the windows of a time-of-use tariff. */
static int read_tou(loader *L, const section *el, dcs_elec_cfg *e)
{
    static const list_spec spec = {.what = "time-of-use windows", .many = "windows"};
    item_list l;
    return read_list(L, el, "tou", &spec, read_tou_window, e, &l, &e->ntou);
}

static int read_electricity(loader *L, const section *top, dcs_scenario *s)
{
    section el;
    dcs_elec_cfg *e = &s->electricity;
    int rc = open_section(L, top, "electricity", DCS_SEC_ELECTRICITY, false, &el);
    if (rc)
        return rc;
    char path[PATH_LEN];
    if ((rc = f_keys(L, &el, s, "model", "usd_per_kwh", NULL)))
        return rc;
    const yaml_node_t *tou = get(L, &el, "tou", path);
    e->ntou = 0;
    if (e->model == DCS_PRICE_TOU) {
        if (tou == NULL)
            return missing(L, &el, "tou", "model tou needs its windows");
        if ((rc = read_tou(L, &el, e)))
            return rc;
    } else if (tou != NULL) {
        return fail_at(L, tou, path, "is only used with model tou");
    }
    if (e->model != DCS_PRICE_STOCHASTIC)
        return f_refuse(L, &el, s); /* the stochastic model's keys */
    return f_keys(L, &el, s, "seasonal_amplitude", "peak_day", "noise_sd", "noise_timescale", NULL);
}

static int read_carbon(loader *L, const section *top, dcs_scenario *s)
{
    section ca;
    dcs_carbon_cfg *c = &s->carbon;
    int rc = open_section(L, top, "carbon", DCS_SEC_CARBON, false, &ca);
    if (rc)
        return rc;
    char path[PATH_LEN], hpath[PATH_LEN], cpath[PATH_LEN];
    const yaml_node_t *k = get(L, &ca, "kg_per_kwh", path);
    const yaml_node_t *h = get(L, &ca, "hourly", hpath);
    const yaml_node_t *f = get(L, &ca, "csv", cpath);
    if ((k != NULL) + (h != NULL) + (f != NULL) > 1)
        return fail_at(L, f != NULL ? f : h, f != NULL ? cpath : hpath,
                       "give one of kg_per_kwh, hourly and csv");
    c->nhourly = 0;
    c->nseries = 0;
    /* The default intensity stays with hourly and csv too. */
    if ((rc = f_key(L, &ca, "kg_per_kwh", s)) || k != NULL)
        return rc;
    if (f != NULL)
        return read_csv_series(L, f, cpath, "an intensity in kg CO2e/kWh (>= 0)", 0.0, &c->series,
                               &c->nseries, c->csv, sizeof c->csv);
    if (h == NULL)
        return 0;
    if (h->type != YAML_SEQUENCE_NODE ||
        h->data.sequence.items.top - h->data.sequence.items.start != 24)
        return fail_at(L, h, hpath, "expected a list of 24 intensities, one per hour of the day");
    for (int i = 0; i < 24; i++) {
        char ipath[PATH_LEN];
        snprintf(ipath, sizeof ipath, "carbon.hourly[%d]", i);
        if ((rc = number_of(L, node_at(L, h->data.sequence.items.start[i]), ipath, R_GE0,
                            &c->hourly[i])))
            return rc;
    }
    c->nhourly = 24;
    return 0;
}

/* power, cooling, weather, electricity, carbon: the energy model, on when
 * power is given. */
int read_energy(loader *L, const section *top, dcs_scenario *s)
{
    memset(&s->power, 0, sizeof s->power);
    memset(&s->cooling, 0, sizeof s->cooling);
    memset(&s->weather, 0, sizeof s->weather);
    memset(&s->electricity, 0, sizeof s->electricity);
    memset(&s->carbon, 0, sizeof s->carbon);
    int rc = read_power(L, top, s);
    if (rc)
        return rc;
    static const char *const parts[] = {"cooling", "weather", "electricity", "carbon", NULL};
    if (!s->power.on) {
        char path[PATH_LEN];
        for (const char *const *p = parts; *p != NULL; p++) {
            const yaml_node_t *n = get(L, top, *p, path);
            if (n != NULL)
                return fail_at(L, n, path,
                               "needs a power section: without one the energy model is off");
        }
        return 0;
    }
    if ((rc = read_cooling(L, top, s)) || (rc = read_weather(L, top, s)) ||
        (rc = read_electricity(L, top, s)) || (rc = read_carbon(L, top, s)))
        return rc;
    return 0;
}

/* A date YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC) into seconds since 1970. */
bool parse_date(const char *text, double *epoch_s)
{
    /* The shape first (digits where digits belong), so that sscanf's
     * leniency (signs, spaces) lets nothing else through. */
    static const char shape[] = "0000-00-00T00:00";
    size_t len = strlen(text);
    bool ok = len == 10 || len == 16;
    for (size_t i = 0; ok && i < len; i++)
        ok = shape[i] == '0' ? text[i] >= '0' && text[i] <= '9' : text[i] == shape[i];
    int y = 0, mo = 0, d = 0, h = 0, mi = 0;
    if (ok)
        ok = sscanf(text, "%4d-%2d-%2d", &y, &mo, &d) == 3 &&
             (len == 10 || sscanf(text + 10, "T%2d:%2d", &h, &mi) == 2);
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    ok = ok && mo >= 1 && mo <= 12 && d >= 1 && d <= mdays[mo - 1] &&
         (mo != 2 || d <= 28 || leap) && h < 24 && mi < 60;
    if (ok)
        *epoch_s = dcs_epoch_s(y, mo, d, h, mi);
    return ok;
}

/* simulation.start: YYYY-MM-DD or YYYY-MM-DDTHH:MM, UTC. */
int read_start(loader *L, const section *sim, double *start_s)
{
    char path[PATH_LEN];
    const yaml_node_t *n = get(L, sim, "start", path);
    /* Default 2025-01-01T00:00 (an assumption): the year of the default
     * electricity price. */
    *start_s = dcs_epoch_s(2025, 1, 1, 0, 0);
    if (n == NULL)
        return 0;
    const char *text;
    int rc = scalar_text(L, n, path, "a date", &text);
    if (rc)
        return rc;
    if (!parse_date(text, start_s))
        return fail_at(L, n, path,
                       "expected a date YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC), got \"%.60s\"", text);
    return 0;
}
