/*
 * cmd_catalog.c - `dcsim catalog [--format table|csv|json]`.
 *
 * Prints the built-in accelerator catalog (models/catalog.c) on standard
 * output in one of three formats. The table is for people: peak in TFLOP/s
 * with the numeric format it counts (BF16, FP16 for the V100), memory in GB,
 * prices as money is written everywhere, "n/a" where a figure was not found,
 * and the keys of the sources of each row, which docs/references.md lists.
 * CSV and JSON are for programs: SI units named in the column names
 * (peak_flops, memory_bytes, ...), every number printed so that the catalog's
 * decimal values come back exactly (writer.h: the fewest exact digits), an empty
 * CSV field or a JSON null where a figure is NAN, and the source string of
 * each entry. CSV follows RFC 4180 (fields with commas or quotes are
 * quoted, quotes doubled); JSON strings escape quotes, backslashes and
 * control characters and pass other UTF-8 bytes through.
 * Usage errors go to standard error with exit status 2.
 */
#include "cmd.h"

#include "catalog.h"
#include "load.h"
#include "schema.h"
#include "writer.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef enum { FORMAT_TABLE, FORMAT_CSV, FORMAT_JSON } format;

static const char usage[] =
    "usage: dcsim catalog [--format table|csv|json] [--catalog FILE]\n"
    "  lists the built-in accelerators: peak dense FLOP/s in the format named, memory,\n"
    "  TDP, purchase and rental price, and the source of every figure (n/a: not found)\n"
    "  --format F      table (for people; the default), csv or json (SI units, every\n"
    "                  figure exact, an empty field or null where none was found)\n"
    "  --catalog FILE  also list the accelerators of a catalog file of your own (what a\n"
    "                  scenario's `catalog:` names), after the built-in ones, checked as\n"
    "                  a scenario's are (default: the built-in catalog only)\n"
    "  -h, --help      this text\n";

/* One row: an accelerator, the format its peak counts, and where it is from. */
typedef struct row {
    const dcs_accel *a;
    const char *format;
    const char *origin; /* "built-in", or the catalog file */
} row;

/* The rows to print: the built-in catalog's, then the user catalog's. */
typedef struct rows {
    size_t n;
    row r[64 + DCS_MAX_USER_ACCELS];
} rows;

static void collect(rows *rs, const dcs_user_catalog *uc, const char *file)
{
    rs->n = 0;
    for (size_t i = 0; i < dcs_catalog_count() && rs->n < 64; i++)
        rs->r[rs->n++] =
            (row){dcs_catalog_at(i), dcs_catalog_format(dcs_catalog_at(i)), "built-in"};
    for (int i = 0; uc != NULL && i < uc->naccels; i++)
        rs->r[rs->n++] =
            (row){&uc->accels[i].accel, dcs_names_num_format[uc->accels[i].format], file};
}

/* The numeric columns shared by the CSV and JSON formats. */
typedef struct column {
    const char *name;
    double (*get)(const dcs_accel *a);
} column;

static double get_peak(const dcs_accel *a)
{
    return a->peak_flops;
}

static double get_memory(const dcs_accel *a)
{
    return a->memory_bytes;
}

static double get_tdp(const dcs_accel *a)
{
    return a->tdp_w;
}

static double get_purchase(const dcs_accel *a)
{
    return a->purchase_usd;
}

static double get_rental(const dcs_accel *a)
{
    return a->rental_usd_per_h;
}

static const column columns[] = {
    {"peak_flops", get_peak},       {"memory_bytes", get_memory},        {"tdp_w", get_tdp},
    {"purchase_usd", get_purchase}, {"rental_usd_per_hour", get_rental},
};
#define NCOLUMNS (sizeof columns / sizeof columns[0])

/* Formats v with `decimals` digits after the point into buf, or "n/a" when v is NAN. */
static const char *cell(char *buf, size_t n, int decimals, double v)
{
    if (isnan(v))
        snprintf(buf, n, "n/a");
    else
        snprintf(buf, n, "%.*f", decimals, v);
    return buf;
}

/* Money the one way (writer.h), or "n/a" when the figure was not found. */
static const char *money_cell(char *buf, size_t n, double v)
{
    if (isnan(v))
        snprintf(buf, n, "n/a");
    else
        dcs_money(v, buf, n);
    return buf;
}

/* Nine table columns; a cell holds a catalog key or name (DCS_NAME_MAX), a number, or
 * the sources of a user entry (DCS_TEXT_MAX and the file's name). */
enum { NCOLS = 9, CELL = DCS_TEXT_MAX + 128 };

/* The source keys a source string cites, "[EPOCH-DB] [S-L40S]", each once,
 * in order: the table shows them; docs/references.md resolves them. */
static void source_keys(const char *src, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (const char *p = strchr(src, '['); p != NULL; p = strchr(p + 1, '[')) {
        const char *e = strchr(p, ']');
        if (e == NULL)
            break;
        char key[64];
        size_t len = (size_t)(e - p + 1) < sizeof key ? (size_t)(e - p + 1) : sizeof key - 1;
        memcpy(key, p, len);
        key[len] = '\0';
        if (strstr(buf, key) == NULL && used + len + 2 < n)
            used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? " " : "", key);
    }
}

/* Fills the table cells of one row. A built-in entry shows the keys of its
 * sources, which docs/references.md resolves; an entry of the user's own
 * shows its file and its sources in full, which are in no reference list. */
static void table_row(const row *r, char cells[NCOLS][CELL])
{
    const dcs_accel *a = r->a;
    snprintf(cells[0], CELL, "%s", a->key);
    snprintf(cells[1], CELL, "%s", a->name);
    cell(cells[2], CELL, 0, a->peak_flops / 1e12);
    snprintf(cells[3], CELL, "%s", r->format);
    cell(cells[4], CELL, 1, a->memory_bytes / 1e9);
    cell(cells[5], CELL, 0, a->tdp_w);
    money_cell(cells[6], CELL, a->purchase_usd);
    money_cell(cells[7], CELL, a->rental_usd_per_h);
    if (strcmp(r->origin, "built-in") == 0)
        source_keys(a->source, cells[8], CELL);
    else
        snprintf(cells[8], CELL, "%.100s: %s", r->origin, a->source);
}

/* Writes one table line; text columns align left, numbers right. */
static void table_line(FILE *out, const char *const cells[NCOLS], const int width[NCOLS])
{
    for (int c = 0; c < NCOLS; c++)
        if (c + 1 == NCOLS)
            fprintf(out, "%s\n", cells[c]); /* the last column: no padding */
        else
            fprintf(out, c < 2 || c == 3 ? "%-*s  " : "%*s  ", width[c], cells[c]);
}

/* The human-readable table; column widths fit the longest cell. */
static void print_table(FILE *out, const rows *rs)
{
    static const char *const heads[NCOLS] = {
        "key",      "name",      "peak TFLOP/s (dense)",        "format", "memory GB", "TDP W",
        "purchase", "rental /h", "sources (docs/references.md)"};
    static char cells[NCOLS][CELL]; /* cli/ only: one table at a time */
    int width[NCOLS];
    const char *line[NCOLS];

    for (int c = 0; c < NCOLS; c++)
        width[c] = (int)strlen(heads[c]);
    for (size_t i = 0; i < rs->n; i++) {
        table_row(&rs->r[i], cells);
        for (int c = 0; c < NCOLS; c++) {
            int len = (int)strlen(cells[c]);
            if (len > width[c])
                width[c] = len;
        }
    }
    table_line(out, heads, width);
    for (int c = 0; c < NCOLS; c++)
        line[c] = cells[c];
    for (size_t i = 0; i < rs->n; i++) {
        table_row(&rs->r[i], cells);
        table_line(out, line, width);
    }
}

static void print_csv(FILE *out, const rows *rs)
{
    fputs("key,name", out);
    for (size_t c = 0; c < NCOLUMNS; c++)
        fprintf(out, ",%s", columns[c].name);
    fputs(",peak_format,source,origin\n", out);
    for (size_t i = 0; i < rs->n; i++) {
        const dcs_accel *a = rs->r[i].a;
        dcs_write_str(out, DCS_WRITE_CSV, a->key);
        fputc(',', out);
        dcs_write_str(out, DCS_WRITE_CSV, a->name);
        for (size_t c = 0; c < NCOLUMNS; c++) {
            double v = columns[c].get(a);
            fputc(',', out);
            if (!isnan(v))
                dcs_write_num(out, DCS_WRITE_CSV, v);
        }
        fputc(',', out);
        dcs_write_str(out, DCS_WRITE_CSV, rs->r[i].format);
        fputc(',', out);
        dcs_write_str(out, DCS_WRITE_CSV, a->source);
        fputc(',', out);
        dcs_write_str(out, DCS_WRITE_CSV, rs->r[i].origin);
        fputc('\n', out);
    }
}

static void print_json(FILE *out, const rows *rs)
{
    fputs("[\n", out);
    for (size_t i = 0; i < rs->n; i++) {
        const dcs_accel *a = rs->r[i].a;
        fputs("  {\"key\": ", out);
        dcs_write_str(out, DCS_WRITE_JSON, a->key);
        fputs(", \"name\": ", out);
        dcs_write_str(out, DCS_WRITE_JSON, a->name);
        for (size_t c = 0; c < NCOLUMNS; c++) {
            double v = columns[c].get(a);
            fprintf(out, ", \"%s\": ", columns[c].name);
            dcs_write_num(out, DCS_WRITE_JSON, v);
        }
        fputs(", \"peak_format\": ", out);
        dcs_write_str(out, DCS_WRITE_JSON, rs->r[i].format);
        fputs(", \"source\": ", out);
        dcs_write_str(out, DCS_WRITE_JSON, a->source);
        fputs(", \"origin\": ", out);
        dcs_write_str(out, DCS_WRITE_JSON, rs->r[i].origin);
        fputs(i + 1 < rs->n ? "},\n" : "}\n", out);
    }
    fputs("]\n", out);
}

/* Parses a --format value into *f; returns 0, or -1 when it is unknown. */
static int parse_format(const char *s, format *f)
{
    if (strcmp(s, "table") == 0)
        *f = FORMAT_TABLE;
    else if (strcmp(s, "csv") == 0)
        *f = FORMAT_CSV;
    else if (strcmp(s, "json") == 0)
        *f = FORMAT_JSON;
    else
        return -1;
    return 0;
}

int dcs_cmd_catalog(int argc, char **argv)
{
    format f = FORMAT_TABLE;
    const char *file = NULL;

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = NULL;
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(arg, "--format") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "dcsim: catalog: --format needs a value (table, csv or json)\n%s",
                        usage);
                return 2;
            }
            value = argv[++i];
        } else if (strcmp(arg, "--catalog") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "dcsim: catalog: --catalog needs a file\n%s", usage);
                return 2;
            } else {
                file = argv[++i];
            }
            continue;
        } else {
            fprintf(stderr, "dcsim: catalog: unknown argument '%s'\n%s", arg, usage);
            return 2;
        }
        if (parse_format(value, &f) != 0) {
            fprintf(stderr, "dcsim: catalog: unknown format '%s' (expected table, csv or json)\n%s",
                    value, usage);
            return 2;
        }
    }

    static dcs_user_catalog uc; /* cli/ only: too large for the stack */
    static rows rs;
    if (file != NULL) {
        dcs_err err;
        int rc = dcs_user_catalog_load(file, &uc, &err);
        if (rc != 0) {
            dcs_cmd_print_err(&err);
            return dcs_cmd_exit_status(rc);
        }
    }
    collect(&rs, file != NULL ? &uc : NULL, file);
    switch (f) {
    case FORMAT_CSV:
        print_csv(stdout, &rs);
        break;
    case FORMAT_JSON:
        print_json(stdout, &rs);
        break;
    case FORMAT_TABLE:
        print_table(stdout, &rs);
        break;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "dcsim: catalog: could not write to standard output\n");
        return 1;
    }
    return 0;
}
