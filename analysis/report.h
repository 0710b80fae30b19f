/*
 * report.h - the cost and risk report of a finished dcsim output file, as
 * a readable table, CSV or JSON. `dcsim report` prints it, and `dcsim run`
 * prints the table form when a run ends.
 *
 * The report reads only the file: the root attributes (scenario_name,
 * seed, replications, replications_done, complete, ...) and the /stats
 * table that dcs_stats_write made. It opens the file read-only with the
 * HDF5 API and does not need the scenario.
 *
 * A sweep's file (one with /sweep/points) gets a table of its points
 * instead: one row per point with its label, the mean and p5/p50/p95 of
 * cost_usd and makespan_h, the risk figures (P(cost > budget), P(makespan
 * > deadline) where the scenario sets targets, the cost's es95 expected
 * shortfall), sorted as asked, with the best point for a chosen metric
 * marked and its 95% confidence interval given.
 */
#ifndef DCSIM_ANALYSIS_REPORT_H
#define DCSIM_ANALYSIS_REPORT_H

#include "status.h"

#include <stdint.h>
#include <stdio.h>

typedef enum {
    DCS_REPORT_TABLE = 0, /* aligned text for people, money as $1.23M */
    DCS_REPORT_CSV = 1,   /* header + one row per (point, metric), numbers as %.17g */
    DCS_REPORT_JSON = 2   /* {"file", "attributes", "metrics": [...]}; NaN as null */
} dcs_report_format;

/* Parses "table", "csv" or "json" into *fmt. Returns 0, or DCS_EINPUT
 * naming the accepted formats. */
int dcs_report_parse_format(const char *s, dcs_report_format *fmt, dcs_err *err);

/* Prints the report of the dcsim file at h5path to out. Returns 0;
 * DCS_EIO when the file cannot be opened ("cannot open X: ..."); DCS_EINPUT
 * when it is not a dcsim output file (not HDF5, or no /stats table);
 * DCS_EHDF5 when reading fails; DCS_EIO when writing to out fails. A
 * sweep's file gets the table of its points, in point order, with the
 * lowest mean cost_usd marked best. */
int dcs_report_print(const char *h5path, FILE *out, dcs_report_format fmt, dcs_err *err);

/* How to print a sweep's table of points. */
typedef struct dcs_report_opts {
    dcs_report_format fmt;
    /* The column of the points' table to sort by (as named in the CSV
     * header: cost_usd_p95, p_cost_over_budget, label, ...), or a /stats
     * metric, sorted by its mean; ascending, descending with a leading
     * '-'; ties and NaN (last) keep point order. NULL: point order. */
    const char *sort;
    /* The /stats metric whose lowest mean marks the best point (highest
     * with a leading '-'). NULL: cost_usd. */
    const char *best;
    /* Constraints "NAME OP VALUE" on the points (select.h): only the
     * points that meet all of them with 95% confidence can be best, and the
     * feasible points that cannot be told apart from the best are named. */
    const char *const *subject_to;
    size_t nsubject;
} dcs_report_opts;

/* dcs_report_print with sorting and the best point chosen. sort and best
 * apply to sweep files only: for a run's file they must be NULL
 * (DCS_EINPUT otherwise), and DCS_EINPUT when they name no column or
 * metric. */
int dcs_report_print_opts(const char *h5path, FILE *out, const dcs_report_opts *o, dcs_err *err);

/* /stats's records as their writer still holds them (dcs_h5_table_held):
 * nrows records packed in the compound type `type` (an hid_t). */
typedef struct {
    const void *rows; /* NULL: none held */
    size_t nrows;
    int64_t type;
} dcs_report_held;

/* dcs_report_print on a file that is open (hid, an hid_t: the last look
 * of dcs_h5_close_read), called name in the report and its messages. With
 * stats (may be NULL) holding /stats's records, they are taken instead of
 * reading the dataset back; the report is the same. */
int dcs_report_print_hid(int64_t hid, const char *name, FILE *out, dcs_report_format fmt,
                         const dcs_report_held *stats, dcs_err *err);

#endif /* DCSIM_ANALYSIS_REPORT_H */
