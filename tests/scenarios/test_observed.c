/*
 * test_observed.c - market.observed: an observed monthly price series (scenarios/observed.h)
 * is read row by row, and every bad row is refused with the CSV's own line and column and the
 * key, before anything runs.
 */
#include "expect.h"

#define DATA        DCSIM_SOURCE_DIR "/tests/scenarios/data/"
#define MARKET(csv) BASE "market:\n  elasticity: 0.5\n  lead_time: 10w\n  observed: " DATA csv "\n"

Test(observed, reads_rows_skips_comments_and_keeps_the_market_types_only)
{
    dcs_scenario *s = malloc(sizeof *s);
    cr_assert_not_null(s);
    expect_ok(MARKET("observed-ok.csv"), s);
    const dcs_observed *o = &s->observed;
    /* The B200 rows are checked but left out: the market has one type, the H100. */
    cr_assert_eq(o->n, 3);
    cr_assert_eq(o->month[0], 2023 * 12 + 0);
    cr_assert_eq(o->month[2], 2023 * 12 + 2);
    cr_assert_eq(o->price[1], 5.0);
    cr_assert(o->published[0] && !o->published[1] && o->published[2]);
    cr_assert_eq(o->type[0], 0);
    cr_assert_str_eq(o->csv, DATA "observed-ok.csv");
    free(s);
}

Test(observed, with_market_types_rows_of_each_type_are_kept)
{
    dcs_scenario *s = malloc(sizeof *s);
    cr_assert_not_null(s);
    expect_ok(BASE "market:\n  elasticity: 0.5\n  lead_time: 10w\n  observed: " DATA
                   "observed-ok.csv\n  types:\n    - accelerator: H100-SXM-80GB\n"
                   "    - accelerator: B200\n",
              s);
    cr_assert_eq(s->observed.n, 5);
    cr_assert_eq(s->observed.type[3], 1, "B200 is type 1");
    cr_assert(!s->observed.published[4], "derived is not published");
    free(s);
}

Test(observed, a_gap_is_refused)
{
    expect_err(MARKET("observed-gap.csv"),
               DATA "observed-gap.csv:3:1: market.observed: a gap: no row for 2023-02 (after "
                    "2023-01); give every month, marking one with no public figure as "
                    "interpolated");
}

Test(observed, a_month_that_goes_back_is_refused)
{
    expect_err(MARKET("observed-order.csv"),
               DATA "observed-order.csv:3:1: market.observed: months must increase for each "
                    "accelerator: this row comes after 2023-02, expected 2023-03");
}

Test(observed, a_negative_price_is_refused)
{
    expect_err(MARKET("observed-negative.csv"),
               DATA "observed-negative.csv:3:23: market.observed: expected a price in USD per "
                    "hour, > 0, got \"-1\"");
}

Test(observed, malformed_rows_are_refused)
{
    expect_err(MARKET("observed-short-row.csv"),
               DATA "observed-short-row.csv:2:28: market.observed: expected 5 fields "
                    "(month,accelerator,price_usd_per_hour,fill,source), got 4");
    expect_err(MARKET("observed-bad-month.csv"),
               DATA "observed-bad-month.csv:2:1: market.observed: expected a month YYYY-MM, got "
                    "\"2023-13\"");
    expect_err(MARKET("observed-bad-fill.csv"),
               DATA "observed-bad-fill.csv:2:28: market.observed: expected published, derived or "
                    "interpolated, got \"guessed\"");
    expect_err(MARKET("observed-no-source.csv"),
               DATA "observed-no-source.csv:2:38: market.observed: every row names its source "
                    "(an interpolated one, its neighbours)");
    expect_err(MARKET("observed-unknown.csv"),
               DATA "observed-unknown.csv:2:9: market.observed: unknown accelerator "
                    "\"H100-SXN-80GB\"; run `dcsim catalog` to list the known ones");
    expect_err(MARKET("observed-header.csv"),
               DATA "observed-header.csv:1:1: market.observed: expected the header "
                    "\"month,accelerator,price_usd_per_hour,fill,source\", got \"month,price\"");
}

Test(observed, a_series_without_the_market_types_is_refused)
{
    expect_err(MARKET("observed-no-rows.csv"),
               "t.yaml:14:13: market.observed: \"" DATA
               "observed-no-rows.csv\" has no rows of the market's accelerator types");
    expect_err(BASE "market:\n  elasticity: 0.5\n  lead_time: 10w\n  observed: no-such.csv\n",
               "t.yaml:14:13: market.observed: cannot read \"no-such.csv\": No such file or "
               "directory");
}

/* The shipped series loads, and its H100 months run without a gap from January 2023. */
Test(observed, the_shipped_series_loads)
{
    dcs_scenario *s = malloc(sizeof *s);
    cr_assert_not_null(s);
    expect_ok(BASE "market:\n  elasticity: 0.5\n  lead_time: 10w\n  observed: " DCSIM_SOURCE_DIR
                   "/scenarios/data/gpu-rental-monthly.csv\n",
              s);
    cr_assert_geq(s->observed.n, 36, "three years of months at least");
    cr_assert_eq(s->observed.month[0], 2023 * 12);
    int published = 0;
    for (int i = 0; i < s->observed.n; i++)
        published += s->observed.published[i];
    cr_assert_geq(published, 10);
    free(s);
}
