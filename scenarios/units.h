/*
 * units.h - quantities written with their unit ("30min", "2 TB", "5GB/s").
 *
 * Scenario and sweep files give every dimensioned value as a string: a
 * number (anything strtod reads in full, finite) then, after an optional
 * space, a unit of the expected dimension. Parsing returns the value in
 * the SI unit the engine uses (seconds, watts, joules, bytes, bytes per
 * second, degrees Celsius). A bare number is an error: the caller names the
 * accepted units (dcs_units_accepted) so that the user can fix the file.
 */
#ifndef DCSIM_SCENARIOS_UNITS_H
#define DCSIM_SCENARIOS_UNITS_H

#include <stddef.h>

/* The dimensions a scenario value can have. */
typedef enum {
    DCS_DIM_DURATION = 0,   /* s, min, h, d, w, y (y = 365.25 d); SI: s */
    DCS_DIM_POWER = 1,      /* W, kW, MW; SI: W */
    DCS_DIM_ENERGY = 2,     /* J, Wh, kWh, MWh, GWh; SI: J */
    DCS_DIM_DATA = 3,       /* B, kB (= KB), MB, GB, TB, PB, KiB .. PiB; SI: B */
    DCS_DIM_BANDWIDTH = 4,  /* a data unit followed by "/s"; SI: B/s */
    DCS_DIM_TEMPERATURE = 5 /* C (degrees Celsius, kept as is) */
} dcs_dim;

/* Parses `text` as a quantity of dimension `dim` and stores it in SI units
 * in *out_si. Returns 0, or DCS_EINPUT with *why set (if why is not NULL) to
 * a static phrase that completes the sentence `"<text>" ...`: "has no
 * unit", "has an unknown unit", "does not start with a number", "is not
 * finite". *out_si is left alone on failure. */
int dcs_units_parse(const char *text, dcs_dim dim, double *out_si, const char **why);

/* The units accepted for `dim`, comma separated ("s, min, h, d, w, y"). */
const char *dcs_units_accepted(dcs_dim dim);

/* The symbol of the SI unit parse returns for `dim` ("s", "B/s"); always
 * one of the accepted units, so "<%.17g><symbol>" parses back exactly. */
const char *dcs_units_si_symbol(dcs_dim dim);

/* A noun phrase for `dim` ("a duration", "a bandwidth"), for messages. */
const char *dcs_units_dim_name(dcs_dim dim);

#endif /* DCSIM_SCENARIOS_UNITS_H */
