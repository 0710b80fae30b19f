/*
 * observed.c - the observed price series of market.observed (observed.h says the format).
 */
#include "observed.h"

#include "../models/catalog.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NFIELDS   5
#define LINE_MAX_ 4096
#define NKEYS     32 /* distinct accelerators in one file */

static const char header[] = "month,accelerator,price_usd_per_hour,fill,source";
static const char *const fills[] = {"published", "derived", "interpolated", NULL};

/* One CSV line split into fields (quotes removed in place); col[i] is where field i starts. */
typedef struct fields {
    int n;
    char *f[NFIELDS + 1];
    long col[NFIELDS + 1];
} fields;

/* The state of a read: where errors point, and each accelerator's last month. */
typedef struct reader {
    const char *path, *key;
    dcs_err *err;
    long line;
    int nkeys;
    const dcs_accel *accel[NKEYS];
    int last[NKEYS];
} reader;

static int fail(reader *r, long col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int fail(reader *r, long col, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    dcs_err_set(r->err, DCS_EINPUT, "%s", msg);
    dcs_err_where(r->err, r->path, r->line, col);
    dcs_err_key(r->err, r->key);
    return DCS_EINPUT;
}

/* Splits line into at most NFIELDS + 1 fields; returns 0, or -1 for an unclosed quote. */
static int split(char *line, fields *fs)
{
    char *w = line, *p = line;
    fs->n = 0;
    for (;;) {
        if (fs->n == NFIELDS + 1)
            return 0;
        fs->f[fs->n] = w;
        fs->col[fs->n++] = (long)(p - line) + 1;
        if (*p == '"') {
            for (p++;; p++) {
                if (*p == '\0')
                    return -1;
                if (*p == '"' && p[1] == '"')
                    *w++ = *p++;
                else if (*p == '"')
                    break;
                else
                    *w++ = *p;
            }
            p++;
        } else {
            while (*p != ',' && *p != '\0')
                *w++ = *p++;
        }
        if (*p != ',') {
            *w = '\0';
            return *p == '\0' ? 0 : -1;
        }
        *w++ = '\0';
        p++;
    }
}

static bool parse_month(const char *t, int *month)
{
    char *end;
    errno = 0;
    long y = strtol(t, &end, 10);
    if (end != t + 4 || *end != '-' || y < 1900 || y > 2200)
        return false;
    const char *m = end + 1;
    long mo = strtol(m, &end, 10);
    if (end != m + 2 || *end != '\0' || mo < 1 || mo > 12)
        return false;
    *month = (int)(y * 12 + mo - 1);
    return true;
}

static void month_text(int month, char *buf, size_t n)
{
    snprintf(buf, n, "%04d-%02d", month / 12, month % 12 + 1);
}

/* The catalog entry named by t: the scenario's own catalog's, else the built-in one's. */
static const dcs_accel *find(const dcs_scenario *s, const char *t)
{
    for (int j = 0; j < s->catalog.naccels; j++)
        if (strcasecmp(s->catalog.accels[j].accel.key, t) == 0)
            return &s->catalog.accels[j].accel;
    return dcs_catalog_find(t);
}

/* The index of a in the market's types, or -1. */
static int market_type(const dcs_scenario *s, const dcs_accel *a)
{
    for (int i = 0; i < s->nmarket_types; i++)
        if (strcasecmp(s->market_types[i].accel, a->key) == 0)
            return i;
    return -1;
}

/* Checks that month follows accelerator a's last month by one. */
static int check_order(reader *r, const fields *fs, const dcs_accel *a, int month)
{
    int k = 0;
    while (k < r->nkeys && r->accel[k] != a)
        k++;
    if (k == r->nkeys) {
        if (k == NKEYS)
            return fail(r, fs->col[1], "more than %d accelerators", NKEYS);
        r->accel[r->nkeys++] = a;
        r->last[k] = month;
        return 0;
    }
    char was[16], want[16];
    month_text(r->last[k], was, sizeof was);
    month_text(r->last[k] + 1, want, sizeof want);
    if (month <= r->last[k])
        return fail(r, fs->col[0],
                    "months must increase for each accelerator: this row comes after %s, "
                    "expected %s",
                    was, want);
    if (month != r->last[k] + 1)
        return fail(r, fs->col[0],
                    "a gap: no row for %s (after %s); give every month, marking one with no "
                    "public figure as interpolated",
                    want, was);
    r->last[k] = month;
    return 0;
}

/* Reads one data row into s->observed. */
static int read_row(reader *r, char *line, dcs_scenario *s)
{
    fields fs;
    if (split(line, &fs) != 0)
        return fail(r, 1, "a quote is not closed, or text follows a closing quote");
    if (fs.n != NFIELDS) {
        return fail(r, fs.col[fs.n - 1], "expected %d fields (%s), got %s%d", NFIELDS, header,
                    fs.n > NFIELDS ? "more than " : "", fs.n > NFIELDS ? NFIELDS : fs.n);
    }
    int month, fill = 0;
    if (!parse_month(fs.f[0], &month))
        return fail(r, fs.col[0], "expected a month YYYY-MM, got \"%.40s\"", fs.f[0]);
    const dcs_accel *a = find(s, fs.f[1]);
    if (a == NULL)
        return fail(r, fs.col[1],
                    "unknown accelerator \"%.60s\"; run `dcsim catalog` to list the known ones",
                    fs.f[1]);
    char *end;
    double price = strtod(fs.f[2], &end);
    if (end == fs.f[2] || *end != '\0' || !(price > 0.0) || price > 1e4)
        return fail(r, fs.col[2], "expected a price in USD per hour, > 0, got \"%.40s\"", fs.f[2]);
    while (fills[fill] != NULL && strcmp(fills[fill], fs.f[3]) != 0)
        fill++;
    if (fills[fill] == NULL)
        return fail(r, fs.col[3], "expected published, derived or interpolated, got \"%.40s\"",
                    fs.f[3]);
    if (fs.f[4][0] == '\0')
        return fail(r, fs.col[4],
                    "every row names its source (an interpolated one, its neighbours)");
    int rc = check_order(r, &fs, a, month);
    int t = market_type(s, a);
    if (rc != 0 || t < 0)
        return rc;
    dcs_observed *o = &s->observed;
    if (o->n == DCS_OBSERVED_MAX)
        return fail(r, 1, "more than %d rows of the market's types", DCS_OBSERVED_MAX);
    o->type[o->n] = t;
    o->month[o->n] = month;
    o->price[o->n] = price;
    o->published[o->n++] = fill == 0;
    return 0;
}

static int read_lines(reader *r, FILE *f, dcs_scenario *s)
{
    char line[LINE_MAX_];
    bool seen_header = false;
    while (fgets(line, sizeof line, f) != NULL) {
        r->line++;
        size_t len = strlen(line);
        if (!(len > 0 && line[len - 1] == '\n') && !feof(f))
            return fail(r, 1, "the line is longer than %d characters", LINE_MAX_ - 2);
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0' || line[0] == '#')
            continue;
        if (!seen_header) {
            if (strcmp(line, header) != 0)
                return fail(r, 1, "expected the header \"%s\", got \"%.60s\"", header, line);
            seen_header = true;
            continue;
        }
        int rc = read_row(r, line, s);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int dcs_observed_read(const char *path, const char *key, dcs_scenario *s, dcs_err *err)
{
    memset(&s->observed, 0, sizeof s->observed);
    snprintf(s->observed.csv, sizeof s->observed.csv, "%s", path);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return dcs_err_set(err, DCS_EINPUT, "cannot read \"%.200s\": %s", path, strerror(errno));
    reader r = {.path = path, .key = key, .err = err};
    int rc = read_lines(&r, f, s);
    if (rc == 0 && ferror(f))
        rc = dcs_err_set(err, DCS_EINPUT, "cannot read \"%.200s\"", path);
    fclose(f);
    if (rc == 0 && s->observed.n == 0)
        rc = dcs_err_set(err, DCS_EINPUT,
                         "\"%.200s\" has no rows of the market's accelerator types", path);
    return rc;
}
