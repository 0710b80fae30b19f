/*
 * cmd_compare.c - `dcsim compare A.h5 B.h5 [--metric M]... [--format F]`.
 *
 * The paired comparison of two runs, replication by replication (see
 * analysis/compare.h): what changing a scenario (a shock, a policy, a spare
 * pool) adds to its cost and makespan, with the noise of the random numbers
 * the two runs share taken out. Exit status 2 for usage errors and files
 * that are not dcsim output or share no replication, 1 for I/O failures.
 */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "report.h"

#define MAX_METRICS 64

static const char usage[] =
    "usage: dcsim compare A.h5 B.h5 [--metric COLUMN]... [--format table|csv|json]\n"
    "                     [--pair-anyway]\n"
    "  compares B - A pair by pair (same point and replication): runs of one seed share\n"
    "  their random numbers, so the paired difference carries far less noise\n"
    "  -m, --metric COLUMN  a /summary column to compare (repeatable; default: cost_usd\n"
    "                       and makespan_h)\n"
    "  -f, --format F       table (default), csv or json\n"
    "  --pair-anyway        compare files that are not from comparable runs (another\n"
    "                       seed, replication count or set of points): by default they\n"
    "                       are refused, since their pairs share no random numbers\n"
    "  -h, --help           this text\n";

int dcs_cmd_compare(int argc, char **argv)
{
    const char *files[2] = {NULL, NULL}, *format = "table";
    const char *metrics[MAX_METRICS];
    size_t nmetrics = 0, nfiles = 0;
    int pair_anyway = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(a, "--format") == 0 || strcmp(a, "-f") == 0) {
            if (val == NULL) {
                fprintf(stderr, "dcsim compare: %s needs a value\n%s", a, usage);
                return 2;
            }
            format = val;
            i++;
        } else if (strcmp(a, "--metric") == 0 || strcmp(a, "-m") == 0) {
            if (val == NULL || nmetrics == MAX_METRICS) {
                fprintf(stderr, "dcsim compare: %s needs a column name\n%s", a, usage);
                return 2;
            }
            metrics[nmetrics++] = val;
            i++;
        } else if (strcmp(a, "--pair-anyway") == 0) {
            pair_anyway = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "dcsim compare: unknown option %s\n%s", a, usage);
            return 2;
        } else if (nfiles < 2) {
            files[nfiles++] = a;
        } else {
            fprintf(stderr, "dcsim compare: two files, not more (got %s)\n%s", a, usage);
            return 2;
        }
    }
    if (nfiles != 2) {
        fprintf(stderr, "dcsim compare: give two files, A and B\n%s", usage);
        return 2;
    }
    dcs_err err;
    dcs_err_clear(&err);
    dcs_report_format fmt;
    int rc = dcs_report_parse_format(format, &fmt, &err);
    if (rc == 0 && !pair_anyway)
        rc = dcs_compare_check(files[0], files[1], &err);
    if (rc == 0)
        rc = dcs_compare_print(files[0], files[1], metrics, nmetrics, fmt, stdout, &err);
    if (rc != 0) {
        char buf[700];
        fprintf(stderr, "dcsim compare: %s\n", dcs_err_format(&err, buf, sizeof buf));
        return dcs_cmd_exit_status(rc);
    }
    return 0;
}
