/*
 * cmd_catalog.c - `dcsim catalog [--format table|csv|json]`.
 *
 * Prints the built-in accelerator catalog (models/catalog.c) on standard
 * output in one of three formats. The table is for people: peak in TFLOP/s,
 * memory in GB, prices in dollars, and "n/a" where a figure was not found.
 * CSV and JSON are for programs: SI units named in the column names
 * (peak_flops, memory_bytes, ...), every number printed so that the catalog's
 * decimal values come back exactly (see print_number), an empty
 * CSV field or a JSON null where a figure is NAN, and the source string of
 * each entry. CSV follows RFC 4180 (fields with commas or quotes are
 * quoted, quotes doubled); JSON strings escape quotes, backslashes and
 * control characters and pass other UTF-8 bytes through.
 * Usage errors go to standard error with exit status 2.
 */
#include "cmd.h"

#include "catalog.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef enum { FORMAT_TABLE, FORMAT_CSV, FORMAT_JSON } format;

static const char usage[] = "usage: dcsim catalog [--format table|csv|json]\n";

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

/* Writes a finite number for CSV or JSON: whole numbers below 2^53 in full
 * (989000000000000, not 9.89e+14), others with 15 significant digits, which
 * give back every decimal literal of the catalog exactly. */
static void print_number(FILE *out, double v)
{
    if (v == floor(v) && fabs(v) < 9007199254740992.0) /* 2^53 */
        fprintf(out, "%.0f", v);
    else
        fprintf(out, "%.15g", v);
}

/* Seven table columns; a cell holds a catalog key or name (DCS_NAME_MAX) or a number. */
enum { NCOLS = 7, CELL = DCS_NAME_MAX };

/* Fills the table cells of one entry. */
static void table_row(const dcs_accel *a, char cells[NCOLS][CELL])
{
    snprintf(cells[0], CELL, "%s", a->key);
    snprintf(cells[1], CELL, "%s", a->name);
    cell(cells[2], CELL, 0, a->peak_flops / 1e12);
    cell(cells[3], CELL, 1, a->memory_bytes / 1e9);
    cell(cells[4], CELL, 0, a->tdp_w);
    cell(cells[5], CELL, 0, a->purchase_usd);
    cell(cells[6], CELL, 2, a->rental_usd_per_h);
}

/* Writes one table line; text columns align left, numbers right. */
static void table_line(FILE *out, const char *const cells[NCOLS], const int width[NCOLS])
{
    for (int c = 0; c < NCOLS; c++)
        fprintf(out, c < 2 ? "%-*s%s" : "%*s%s", width[c], cells[c], c + 1 < NCOLS ? "  " : "\n");
}

/* The human-readable table; column widths fit the longest cell. */
static void print_table(FILE *out)
{
    static const char *const heads[NCOLS] = {"key",         "name",  "peak TFLOP/s (BF16 dense)",
                                             "memory GB",   "TDP W", "purchase USD",
                                             "rental USD/h"};
    size_t n = dcs_catalog_count();
    int width[NCOLS];
    char cells[NCOLS][CELL];
    const char *row[NCOLS];

    for (int c = 0; c < NCOLS; c++)
        width[c] = (int)strlen(heads[c]);
    for (size_t i = 0; i < n; i++) {
        table_row(dcs_catalog_at(i), cells);
        for (int c = 0; c < NCOLS; c++) {
            int len = (int)strlen(cells[c]);
            if (len > width[c])
                width[c] = len;
        }
    }
    table_line(out, heads, width);
    for (int c = 0; c < NCOLS; c++)
        row[c] = cells[c];
    for (size_t i = 0; i < n; i++) {
        table_row(dcs_catalog_at(i), cells);
        table_line(out, row, width);
    }
}

/* Writes s as one CSV field, quoted only when it must be (RFC 4180). */
static void csv_field(FILE *out, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s != '\0'; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void print_csv(FILE *out)
{
    fputs("key,name", out);
    for (size_t c = 0; c < NCOLUMNS; c++)
        fprintf(out, ",%s", columns[c].name);
    fputs(",source\n", out);
    for (size_t i = 0; i < dcs_catalog_count(); i++) {
        const dcs_accel *a = dcs_catalog_at(i);
        csv_field(out, a->key);
        fputc(',', out);
        csv_field(out, a->name);
        for (size_t c = 0; c < NCOLUMNS; c++) {
            double v = columns[c].get(a);
            fputc(',', out);
            if (!isnan(v))
                print_number(out, v);
        }
        fputc(',', out);
        csv_field(out, a->source);
        fputc('\n', out);
    }
}

/* Writes s as a JSON string literal (RFC 8259 escapes). */
static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;
        switch (ch) {
        case '"':
            fputs("\\\"", out);
            break;
        case '\\':
            fputs("\\\\", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\r':
            fputs("\\r", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        default:
            if (ch < 0x20)
                fprintf(out, "\\u%04x", (unsigned)ch);
            else
                fputc(ch, out);
        }
    }
    fputc('"', out);
}

static void print_json(FILE *out)
{
    size_t n = dcs_catalog_count();
    fputs("[\n", out);
    for (size_t i = 0; i < n; i++) {
        const dcs_accel *a = dcs_catalog_at(i);
        fputs("  {\"key\": ", out);
        json_string(out, a->key);
        fputs(", \"name\": ", out);
        json_string(out, a->name);
        for (size_t c = 0; c < NCOLUMNS; c++) {
            double v = columns[c].get(a);
            fprintf(out, ", \"%s\": ", columns[c].name);
            if (isnan(v))
                fputs("null", out);
            else
                print_number(out, v);
        }
        fputs(", \"source\": ", out);
        json_string(out, a->source);
        fputs(i + 1 < n ? "},\n" : "}\n", out);
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
        } else if (strncmp(arg, "--format=", 9) == 0) {
            value = arg + 9;
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

    switch (f) {
    case FORMAT_CSV:
        print_csv(stdout);
        break;
    case FORMAT_JSON:
        print_json(stdout);
        break;
    case FORMAT_TABLE:
        print_table(stdout);
        break;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "dcsim: catalog: could not write to standard output\n");
        return 1;
    }
    return 0;
}
