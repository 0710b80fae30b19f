/*
 * test_utc.c - dcs_cmd_utc_text (cli/common.c) writes the created_utc text
 * that gmtime_r and strftime wrote before it.
 */
#include "cmd.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <time.h>

/* The C library's text of t, as dcs_cmd_write_root made it before. */
static void libc_text(int64_t t, char *buf, size_t n)
{
    time_t tt = (time_t)t;
    struct tm tm;
    cr_assert_not_null(gmtime_r(&tt, &tm));
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void same_text(int64_t t)
{
    char a[64], b[64];
    dcs_cmd_utc_text(t, a, sizeof a);
    libc_text(t, b, sizeof b);
    cr_assert_str_eq(a, b, "t = %lld", (long long)t);
}

/* The days from first to last (seconds since 1970 of their midnights) by step days, each at
 * its first and last second and at a second that moves with the day, so that every hour,
 * minute and second is met. */
static void days(int64_t first, int64_t last, int64_t step)
{
    for (int64_t day = first; day <= last; day += step * 86400) {
        int64_t k = (day - first) / 86400;
        same_text(day);
        same_text(day + (k * 7919) % 86400);
        same_text(day + 86399);
    }
}

/* Every day from 1600-01-01 to 2499-12-31; every 97th from 1000-01-01 to 9999-12-31. */
Test(utc, every_day_1600_to_2499_and_years_1000_to_9999)
{
    days(-11676096000LL, 16725139200LL, 1);   /* 1600-01-01 .. 2499-12-31 */
    days(-30610224000LL, 253402214400LL, 97); /* 1000-01-01 .. 9999-12-31 */
}

/* Leap days and the turns of centuries (1900 and 2100 are not leap years,
 * 2000 and 2400 are). */
Test(utc, leap_days_and_centuries)
{
    static const char *const want[] = {"1900-02-28T23:59:59Z", "1900-03-01T00:00:00Z",
                                       "1970-01-01T00:00:00Z", "2000-02-29T12:00:00Z",
                                       "2026-12-07T13:05:00Z", "2100-03-01T00:00:00Z"};
    static const int64_t t[] = {-2203891201LL, -2203891200LL, 0,
                                951825600LL,   1796648700LL,  4107542400LL};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char a[64];
        dcs_cmd_utc_text(t[i], a, sizeof a);
        cr_assert_str_eq(a, want[i]);
        same_text(t[i]);
    }
}
