/*
 * report.h - the cost and risk report of a finished dcsim output file, as
 * a readable table, CSV or JSON. `dcsim report` prints it, and `dcsim run`
 * prints the table form when a run ends.
 *
 * The report reads only the file: the root attributes (scenario_name,
 * seed, replications, replications_done, complete, ...) and the /stats
 * table that dcs_stats_write made. It opens the file read-only with the
 * HDF5 API and does not need the scenario.
 */
#ifndef DCSIM_ANALYSIS_REPORT_H
#define DCSIM_ANALYSIS_REPORT_H

#include "status.h"

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
 * DCS_EHDF5 when reading fails; DCS_EIO when writing to out fails. */
int dcs_report_print(const char *h5path, FILE *out, dcs_report_format fmt, dcs_err *err);

#endif /* DCSIM_ANALYSIS_REPORT_H */
