/*
 * test_compare.c - the paired comparison of two runs: known answers for
 * dcs_compare_pairs, computed by hand from the definitions in compare.h
 * (sample sd with divisor n - 1, Student's t for the interval, GSL's
 * quantiles), and the skipping of pairs with a non-finite value.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <math.h>

#include "compare.h"

TestSuite(compare, .timeout = 30);

/* x = 1, 2, 3, 4; y = 2, 4, 5, 9: d = 1, 2, 2, 5, mean 2.5, sum of squares
 * 9, sd sqrt(3); t(0.975, 3) = 3.182446305284263. */
Test(compare, known_answers_for_four_pairs)
{
    const double x[] = {1, 2, 3, 4}, y[] = {2, 4, 5, 9};
    dcs_compare_row r;
    cr_assert_eq(dcs_compare_pairs(x, y, 4, &r, NULL), 0);
    cr_assert_eq(r.n, 4);
    cr_assert_eq(r.mean_a, 2.5);
    cr_assert_eq(r.mean_b, 5.0);
    cr_assert_eq(r.mean_diff, 2.5);
    cr_assert(epsilon_eq(dbl, r.sd_diff, sqrt(3.0), 1e-12));
    cr_assert(epsilon_eq(dbl, r.se_paired, sqrt(3.0) / 2.0, 1e-12));
    double half = 3.182446305284263 * sqrt(3.0) / 2.0;
    cr_assert(epsilon_eq(dbl, r.ci95_low, 2.5 - half, 1e-9));
    cr_assert(epsilon_eq(dbl, r.ci95_high, 2.5 + half, 1e-9));
    /* var x = 5/3, var y = 26/3: se = sqrt((5/3 + 26/3) / 4). */
    cr_assert(epsilon_eq(dbl, r.se_unpaired, sqrt(31.0 / 12.0), 1e-12));
    /* Quantiles of d sorted 1, 2, 2, 5: p50 at 1.5 -> 2; p95 at 2.85 -> 2 + 0.85 x 3. */
    cr_assert_eq(r.p50, 2.0);
    cr_assert(epsilon_eq(dbl, r.p95, 4.55, 1e-12));
    cr_assert(epsilon_eq(dbl, r.p5, 1.15, 1e-12));
    cr_assert_gt(r.correlation, 0.9);
}

/* Strongly correlated pairs (common random numbers): the paired standard
 * error is far below the independent one. */
Test(compare, correlated_pairs_have_a_smaller_paired_error)
{
    double x[200], y[200];
    for (int i = 0; i < 200; i++) {
        x[i] = 100.0 + 10.0 * sin(i * 2.385);
        y[i] = x[i] + 1.0 + 0.1 * cos(i * 1.7);
    }
    dcs_compare_row r;
    cr_assert_eq(dcs_compare_pairs(x, y, 200, &r, NULL), 0);
    cr_assert_lt(r.se_paired * 20.0, r.se_unpaired);
    cr_assert(epsilon_eq(dbl, r.mean_diff, 1.0, 0.02));
}

Test(compare, pairs_with_a_nan_are_skipped)
{
    const double x[] = {1, NAN, 3, 4}, y[] = {2, 4, 5, INFINITY};
    dcs_compare_row r;
    cr_assert_eq(dcs_compare_pairs(x, y, 4, &r, NULL), 0);
    cr_assert_eq(r.n, 2);
    cr_assert_eq(r.mean_diff, 1.5);
    cr_assert_eq(dcs_compare_pairs(x, y, 0, &r, NULL), 0);
    cr_assert_eq(r.n, 0);
    cr_assert(isnan(r.mean_diff));
}
