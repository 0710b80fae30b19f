/*
 * units.c - parsing quantities such as "30min", "2 TB" or "5GB/s".
 *
 * A quantity is split at the end: the unit is the longest run of letters
 * and slashes that closes the text, the number is what comes before it
 * (one optional run of spaces between them is allowed). The number must be
 * read in full by strtod and be finite; only decimal digits, signs, a point
 * and an exponent are allowed in it, so that hexadecimal floats, "inf" and
 * "nan" are refused rather than half-parsed. Units are matched exactly
 * (case matters: "MB" is megabytes, "mb" is refused), from one table per
 * dimension whose factors convert to SI. Decimal prefixes are powers of
 * 1000, binary ones (KiB..PiB) powers of 1024, and a year is 365.25 days
 * (the Julian year, so that an annual failure rate and a duration in years
 * agree).
 */
#include "units.h"

#include "../sim/status.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct unit_def {
    const char *sym;
    double factor; /* SI units per one of this unit */
} unit_def;

/* 1 y = 365.25 d: the Julian year, as in the AFR definition (docs/scenarios.md). */
static const unit_def duration_units[] = {
    {"s", 1.0},           {"min", 60.0},           {"h", 3600.0}, {"d", 86400.0},
    {"w", 7.0 * 86400.0}, {"y", 365.25 * 86400.0}, {NULL, 0.0}};

static const unit_def power_units[] = {{"W", 1.0}, {"kW", 1e3}, {"MW", 1e6}, {NULL, 0.0}};

/* 1 Wh = 3600 J. */
static const unit_def energy_units[] = {{"J", 1.0},     {"Wh", 3600.0},  {"kWh", 3.6e6},
                                        {"MWh", 3.6e9}, {"GWh", 3.6e12}, {NULL, 0.0}};

static const unit_def data_units[] = {{"B", 1.0},
                                      {"kB", 1e3},
                                      {"KB", 1e3},
                                      {"MB", 1e6},
                                      {"GB", 1e9},
                                      {"TB", 1e12},
                                      {"PB", 1e15},
                                      {"KiB", 1024.0},
                                      {"MiB", 1048576.0},
                                      {"GiB", 1073741824.0},
                                      {"TiB", 1099511627776.0},
                                      {"PiB", 1125899906842624.0},
                                      {NULL, 0.0}};

static const unit_def temperature_units[] = {{"C", 1.0}, {NULL, 0.0}};

static const unit_def *table_for(dcs_dim dim)
{
    switch (dim) {
    case DCS_DIM_DURATION:
        return duration_units;
    case DCS_DIM_POWER:
        return power_units;
    case DCS_DIM_ENERGY:
        return energy_units;
    case DCS_DIM_DATA:
    case DCS_DIM_BANDWIDTH:
        return data_units;
    case DCS_DIM_TEMPERATURE:
        return temperature_units;
    }
    return NULL;
}

static int is_unit_char(char c)
{
    return isalpha((unsigned char)c) || c == '/';
}

static int is_number_char(char c)
{
    return isdigit((unsigned char)c) || c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E';
}

/* Looks up `unit` (length n) for `dim`; bandwidth units are data units
 * followed by "/s". Returns 1 and sets *factor when found. */
static int find_unit(dcs_dim dim, const char *unit, size_t n, double *factor)
{
    if (dim == DCS_DIM_BANDWIDTH) {
        if (n < 3 || strncmp(unit + n - 2, "/s", 2) != 0)
            return 0;
        n -= 2;
    }
    for (const unit_def *u = table_for(dim); u != NULL && u->sym != NULL; u++) {
        if (strlen(u->sym) == n && strncmp(u->sym, unit, n) == 0) {
            *factor = u->factor;
            return 1;
        }
    }
    return 0;
}

int dcs_units_parse(const char *text, dcs_dim dim, double *out_si, const char **why)
{
    const char *dummy;
    if (why == NULL)
        why = &dummy;
    size_t len = strlen(text);
    size_t ustart = len;
    /* Digits are not unit characters, so the exponent of "405e9" stays with
     * the number and "405e9" alone has no unit. */
    while (ustart > 0 && is_unit_char(text[ustart - 1]))
        ustart--;
    size_t nend = ustart;
    while (nend > 0 && text[nend - 1] == ' ')
        nend--;
    if (ustart == len) {
        *why = "has no unit";
        return DCS_EINPUT;
    }
    if (nend == 0) {
        *why = "does not start with a number";
        return DCS_EINPUT;
    }
    char num[64];
    if (nend >= sizeof num) {
        *why = "does not start with a number";
        return DCS_EINPUT;
    }
    for (size_t i = 0; i < nend; i++) {
        if (!is_number_char(text[i])) {
            *why = "does not start with a number";
            return DCS_EINPUT;
        }
        num[i] = text[i];
    }
    num[nend] = '\0';
    char *end = NULL;
    double v = strtod(num, &end);
    if (end == num || *end != '\0') {
        *why = "does not start with a number";
        return DCS_EINPUT;
    }
    if (!isfinite(v)) {
        *why = "is not finite";
        return DCS_EINPUT;
    }
    double factor = 0.0;
    if (!find_unit(dim, text + ustart, len - ustart, &factor)) {
        *why = "has an unknown unit";
        return DCS_EINPUT;
    }
    double si = v * factor;
    if (!isfinite(si)) {
        *why = "is not finite";
        return DCS_EINPUT;
    }
    *out_si = si;
    return 0;
}

const char *dcs_units_accepted(dcs_dim dim)
{
    switch (dim) {
    case DCS_DIM_DURATION:
        return "s, min, h, d, w, y";
    case DCS_DIM_POWER:
        return "W, kW, MW";
    case DCS_DIM_ENERGY:
        return "J, Wh, kWh, MWh, GWh";
    case DCS_DIM_DATA:
        return "B, kB, KB, MB, GB, TB, PB, KiB, MiB, GiB, TiB, PiB";
    case DCS_DIM_BANDWIDTH:
        return "B/s, kB/s, KB/s, MB/s, GB/s, TB/s, PB/s, KiB/s, MiB/s, GiB/s, TiB/s, PiB/s";
    case DCS_DIM_TEMPERATURE:
        return "C";
    }
    return "";
}

const char *dcs_units_si_symbol(dcs_dim dim)
{
    switch (dim) {
    case DCS_DIM_DURATION:
        return "s";
    case DCS_DIM_POWER:
        return "W";
    case DCS_DIM_ENERGY:
        return "J";
    case DCS_DIM_DATA:
        return "B";
    case DCS_DIM_BANDWIDTH:
        return "B/s";
    case DCS_DIM_TEMPERATURE:
        return "C";
    }
    return "";
}

const char *dcs_units_dim_name(dcs_dim dim)
{
    switch (dim) {
    case DCS_DIM_DURATION:
        return "a duration";
    case DCS_DIM_POWER:
        return "a power";
    case DCS_DIM_ENERGY:
        return "an energy";
    case DCS_DIM_DATA:
        return "a data size";
    case DCS_DIM_BANDWIDTH:
        return "a bandwidth";
    case DCS_DIM_TEMPERATURE:
        return "a temperature";
    }
    return "a quantity";
}
