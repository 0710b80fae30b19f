/*
 * writer.h - the one writer of the values in dcsim's CSV and JSON output
 * (`dcsim report`, `dcsim compare`, `dcsim catalog`) and the one format of
 * money for people (every table, and the Python figures, which follow the
 * same rules: dcsim_reader.plots.money).
 *
 * CSV follows RFC 4180: a field is quoted when it holds a comma, a quote or
 * a line break, quotes doubled. JSON strings escape quotes, backslashes and
 * control characters and pass other UTF-8 through (RFC 8259). A number is
 * written with the fewest significant digits (15 to 17) that read back to
 * the same double, so 2.29 is "2.29" and every value is exact; NaN and
 * infinities are nan / inf / -inf in CSV, null in JSON (which has none).
 *
 * Money for people: $1.23T, $1.23B, $1.23M, $1.2k, $12.34 (two decimals
 * from a million up, one for thousands, cents below); a minus sign before
 * the dollar sign; "-" for NaN.
 */
#ifndef DCSIM_ANALYSIS_WRITER_H
#define DCSIM_ANALYSIS_WRITER_H

#include <stddef.h>
#include <stdio.h>

/* The two output formats for programs. */
typedef enum { DCS_WRITE_CSV = 1, DCS_WRITE_JSON = 2 } dcs_write_fmt;

/* A text value: a CSV field or a JSON string. */
void dcs_write_str(FILE *out, dcs_write_fmt fmt, const char *s);

/* A number, exact in the fewest digits (see above). */
void dcs_write_num(FILE *out, dcs_write_fmt fmt, double v);

/* A whole number. */
void dcs_write_int(FILE *out, dcs_write_fmt fmt, long long v);

/* The shortest text of v that reads back to v (%.15g to %.17g) into buf. */
void dcs_write_exact(char *buf, size_t n, double v);

/* Money for people into buf: "$87.81M" (see above). */
void dcs_money(double usd, char *buf, size_t n);

#endif /* DCSIM_ANALYSIS_WRITER_H */
