/*
 * test_units.c - known answers and errors of dcs_units_parse.
 *
 * The known answers are the unit definitions themselves (1 min = 60 s,
 * 1 y = 365.25 d, 1 GiB = 2^30 B, 1 Wh = 3600 J), so each expected value
 * is exact in binary floating point unless noted.
 */
#include "units.h"

#include "status.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>

static double parse_ok(const char *text, dcs_dim dim)
{
    double v = -1.0;
    const char *why = NULL;
    int rc = dcs_units_parse(text, dim, &v, &why);
    cr_assert_eq(rc, 0, "\"%s\": %s", text, why ? why : "");
    return v;
}

static const char *parse_bad(const char *text, dcs_dim dim)
{
    double v = 2.385;
    const char *why = NULL;
    int rc = dcs_units_parse(text, dim, &v, &why);
    cr_assert_eq(rc, DCS_EINPUT, "\"%s\" should fail", text);
    cr_assert_eq(v, 2.385, "the output must be left alone on failure");
    cr_assert_not_null(why);
    return why;
}

Test(units, durations_convert_to_seconds)
{
    cr_assert_eq(parse_ok("90s", DCS_DIM_DURATION), 90.0);
    cr_assert_eq(parse_ok("30min", DCS_DIM_DURATION), 1800.0);
    cr_assert_eq(parse_ok("2.5h", DCS_DIM_DURATION), 9000.0);
    cr_assert_eq(parse_ok("54d", DCS_DIM_DURATION), 54.0 * 86400.0);
    cr_assert_eq(parse_ok("2w", DCS_DIM_DURATION), 14.0 * 86400.0);
    cr_assert_eq(parse_ok("1y", DCS_DIM_DURATION), 31557600.0);
    cr_assert_eq(parse_ok("3 y", DCS_DIM_DURATION), 3.0 * 31557600.0);
    cr_assert_eq(parse_ok("1e3s", DCS_DIM_DURATION), 1000.0);
    cr_assert_eq(parse_ok("-0.5h", DCS_DIM_DURATION), -1800.0);
}

Test(units, power_energy_and_temperature_convert_to_si)
{
    cr_assert_eq(parse_ok("700W", DCS_DIM_POWER), 700.0);
    cr_assert_eq(parse_ok("10.2kW", DCS_DIM_POWER), 10200.0);
    cr_assert_eq(parse_ok("30 MW", DCS_DIM_POWER), 30e6);
    cr_assert_eq(parse_ok("1Wh", DCS_DIM_ENERGY), 3600.0);
    cr_assert_eq(parse_ok("2kWh", DCS_DIM_ENERGY), 7.2e6);
    cr_assert_eq(parse_ok("1MWh", DCS_DIM_ENERGY), 3.6e9);
    cr_assert_eq(parse_ok("1GWh", DCS_DIM_ENERGY), 3.6e12);
    cr_assert_eq(parse_ok("5J", DCS_DIM_ENERGY), 5.0);
    cr_assert_eq(parse_ok("-5C", DCS_DIM_TEMPERATURE), -5.0);
    cr_assert_eq(parse_ok("35.5 C", DCS_DIM_TEMPERATURE), 35.5);
}

Test(units, data_decimal_and_binary_prefixes)
{
    cr_assert_eq(parse_ok("512B", DCS_DIM_DATA), 512.0);
    cr_assert_eq(parse_ok("1kB", DCS_DIM_DATA), 1e3);
    cr_assert_eq(parse_ok("1KB", DCS_DIM_DATA), 1e3);
    cr_assert_eq(parse_ok("80GB", DCS_DIM_DATA), 80e9);
    cr_assert_eq(parse_ok("1.5 TB", DCS_DIM_DATA), 1.5e12);
    cr_assert_eq(parse_ok("2PB", DCS_DIM_DATA), 2e15);
    cr_assert_eq(parse_ok("1KiB", DCS_DIM_DATA), 1024.0);
    cr_assert_eq(parse_ok("1MiB", DCS_DIM_DATA), 1048576.0);
    cr_assert_eq(parse_ok("1GiB", DCS_DIM_DATA), 1073741824.0);
    cr_assert_eq(parse_ok("1TiB", DCS_DIM_DATA), 1099511627776.0);
    cr_assert_eq(parse_ok("1PiB", DCS_DIM_DATA), 1125899906842624.0);
}

Test(units, bandwidth_is_a_data_unit_per_second)
{
    cr_assert_eq(parse_ok("2TB/s", DCS_DIM_BANDWIDTH), 2e12);
    cr_assert_eq(parse_ok("5 GB/s", DCS_DIM_BANDWIDTH), 5e9);
    cr_assert_eq(parse_ok("1GiB/s", DCS_DIM_BANDWIDTH), 1073741824.0);
    cr_assert_eq(parse_ok("3.25B/s", DCS_DIM_BANDWIDTH), 3.25);
    cr_assert_str_eq(parse_bad("5GB", DCS_DIM_BANDWIDTH), "has an unknown unit");
    cr_assert_str_eq(parse_bad("5GB/", DCS_DIM_BANDWIDTH), "has an unknown unit");
    cr_assert_str_eq(parse_bad("5GB/s", DCS_DIM_DATA), "has an unknown unit");
}

Test(units, si_symbol_parses_back_exactly)
{
    /* "%.17g" round-trips every double; the SI symbol has factor 1. */
    const double v = 2.3851234567890123e13;
    for (int d = DCS_DIM_DURATION; d <= DCS_DIM_TEMPERATURE; d++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%.17g%s", v, dcs_units_si_symbol((dcs_dim)d));
        cr_assert_eq(parse_ok(buf, (dcs_dim)d), v, "%s", buf);
    }
}

Test(units, bare_number_has_no_unit)
{
    cr_assert_str_eq(parse_bad("30", DCS_DIM_DURATION), "has no unit");
    cr_assert_str_eq(parse_bad("405e9", DCS_DIM_DATA), "has no unit");
    cr_assert_str_eq(parse_bad("", DCS_DIM_DURATION), "has no unit");
}

Test(units, unknown_or_wrong_dimension_unit_is_refused)
{
    cr_assert_str_eq(parse_bad("30 parsecs", DCS_DIM_DURATION), "has an unknown unit");
    cr_assert_str_eq(parse_bad("5GB", DCS_DIM_DURATION), "has an unknown unit");
    cr_assert_str_eq(parse_bad("5mb", DCS_DIM_DATA), "has an unknown unit");
    cr_assert_str_eq(parse_bad("3 hours", DCS_DIM_DURATION), "has an unknown unit");
}

Test(units, malformed_numbers_are_refused)
{
    cr_assert_str_eq(parse_bad("abc", DCS_DIM_DURATION), "does not start with a number");
    cr_assert_str_eq(parse_bad("h", DCS_DIM_DURATION), "does not start with a number");
    cr_assert_str_eq(parse_bad("0x10s", DCS_DIM_DURATION), "does not start with a number");
    cr_assert_str_eq(parse_bad("nan s", DCS_DIM_DURATION), "does not start with a number");
    cr_assert_str_eq(parse_bad("1.2.3s", DCS_DIM_DURATION), "does not start with a number");
    cr_assert_str_eq(parse_bad("5es", DCS_DIM_DURATION), "has an unknown unit");
    cr_assert_str_eq(parse_bad("1e999s", DCS_DIM_DURATION), "is not finite");
    cr_assert_str_eq(parse_bad("1e303y", DCS_DIM_DURATION), "is not finite");
}

Test(units, accepted_lists_name_every_unit)
{
    cr_assert_str_eq(dcs_units_accepted(DCS_DIM_DURATION), "s, min, h, d, w, y");
    cr_assert_str_eq(dcs_units_accepted(DCS_DIM_POWER), "W, kW, MW");
    cr_assert_str_eq(dcs_units_dim_name(DCS_DIM_BANDWIDTH), "a bandwidth");
    cr_assert_str_eq(dcs_units_si_symbol(DCS_DIM_BANDWIDTH), "B/s");
}
