/*
 * cmd_report.c - `dcsim report OUT.h5 [--format table|csv|json]
 * [--sort COLUMN] [--best COLUMN]`.
 *
 * Parses the arguments and hands the file to dcs_report_print, which does
 * all the reading and formatting; this file only maps the outcome to an
 * exit status. A missing or unreadable file is an I/O failure (1); a usage
 * error, an unknown format, or a file that is not dcsim output (no /stats
 * table) is bad input (2), and so are --sort and --best on a run's file,
 * which apply to a sweep's table of points. The report goes to standard output, messages to
 * standard error, so `dcsim report x.h5 --format csv > x.csv` stays clean.
 * The mapping is done here rather than with the shared helpers of cmd.h so
 * that this command builds and is tested on its own.
 */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

#include "report.h"
#include "status.h"

static const char usage[] =
    "usage: dcsim report OUT.h5 [--format table|csv|json] [--sort COLUMN] [--best COLUMN]\n"
    "  --sort COLUMN  a sweep's points sorted by a column of the table (cost_usd_p95,\n"
    "                 p_cost_over_budget, label, ...) or the mean of a /stats metric;\n"
    "                 a leading '-' sorts descending (default: point order)\n"
    "  --best COLUMN  mark the point with the lowest mean of this /stats metric\n"
    "                 (highest with a leading '-'; default cost_usd)\n";

static int fail(const dcs_err *err)
{
    char buf[700];
    fprintf(stderr, "dcsim report: %s\n", dcs_err_format(err, buf, sizeof buf));
    return err->code == DCS_EINPUT ? 2 : 1;
}

int dcs_cmd_report(int argc, char **argv)
{
    const char *path = NULL, *format = "table", *sort = NULL, *best = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(a, "--format") == 0 || strcmp(a, "-f") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "dcsim report: %s needs a value\n%s", a, usage);
                return 2;
            }
            format = argv[++i];
        } else if (strncmp(a, "--format=", 9) == 0) {
            format = a + 9;
        } else if (strcmp(a, "--sort") == 0 || strcmp(a, "--best") == 0) {
            if (i + 1 >= argc || argv[i + 1][0] == '\0') {
                fprintf(stderr, "dcsim report: %s needs a column name\n%s", a, usage);
                return 2;
            }
            *(a[2] == 's' ? &sort : &best) = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "dcsim report: unknown option %s\n%s", a, usage);
            return 2;
        } else if (path == NULL) {
            path = a;
        } else {
            fprintf(stderr, "dcsim report: one file at a time (got %s and %s)\n%s", path, a, usage);
            return 2;
        }
    }
    if (path == NULL) {
        fprintf(stderr, "dcsim report: no file given\n%s", usage);
        return 2;
    }
    dcs_err err;
    dcs_err_clear(&err);
    dcs_report_opts o = {DCS_REPORT_TABLE, sort, best};
    if (dcs_report_parse_format(format, &o.fmt, &err) != 0)
        return fail(&err);
    if (dcs_report_print_opts(path, stdout, &o, &err) != 0)
        return fail(&err);
    return 0;
}
