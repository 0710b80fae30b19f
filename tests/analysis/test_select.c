/*
 * test_select.c - constraints and multiple comparisons with the best
 * (analysis/select.h): the forms a constraint takes and its errors; known
 * answers for the three confidence bounds (Clopper-Pearson, Student's t,
 * the order statistic of a percentile), checked against scipy 1.10
 * (scipy.stats.beta.ppf, t.ppf, binom.cdf) where the closed form is not
 * obvious; the comparisons on common random numbers; and the coverage of
 * the contenders, which must hold the true best in at least 95 % of
 * repeated experiments.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "select.h"
#include "writer.h"

TestSuite(select, .timeout = 60);

Test(select, constraints_take_every_documented_form)
{
    dcs_constraint c;
    cr_assert_eq(dcs_constraint_parse("p_late <= 0.05", &c, NULL), 0);
    cr_assert_str_eq(c.metric, "makespan_h");
    cr_assert_eq(c.stat, DCS_SEL_P_OVER);
    cr_assert_eq(c.op, DCS_SEL_LE);
    cr_assert_eq(c.value, 0.05);
    cr_assert_eq(dcs_constraint_parse("p_over_budget<10%", &c, NULL), 0);
    cr_assert_str_eq(c.metric, "cost_usd");
    cr_assert_eq(c.op, DCS_SEL_LT);
    cr_assert(epsilon_eq(dbl, c.value, 0.10, 1e-15));
    cr_assert_eq(dcs_constraint_parse("makespan_h_p95 <= 1400", &c, NULL), 0);
    cr_assert_str_eq(c.metric, "makespan_h");
    cr_assert_eq(c.stat, DCS_SEL_QUANTILE);
    cr_assert_eq(c.q, 0.95);
    cr_assert_eq(dcs_constraint_parse("goodput_median >= 0.9", &c, NULL), 0);
    cr_assert_eq(c.q, 0.5);
    cr_assert_eq(c.op, DCS_SEL_GE);
    cr_assert_eq(dcs_constraint_parse("energy_mwh_mean > 2.385", &c, NULL), 0);
    cr_assert_str_eq(c.metric, "energy_mwh");
    cr_assert_eq(c.stat, DCS_SEL_MEAN);
    cr_assert_eq(dcs_constraint_parse("cost_usd <= 9.1e7", &c, NULL), 0);
    cr_assert_str_eq(c.metric, "cost_usd");
    cr_assert_eq(c.stat, DCS_SEL_MEAN);
    cr_assert_eq(dcs_constraint_parse("p_over_target:energy_mwh <= 0.2", &c, NULL), 0);
    cr_assert_str_eq(c.metric, "energy_mwh");
}

Test(select, malformed_constraints_are_input_errors)
{
    const char *bad[] = {"p_late",        "p_late <= ",     "<= 0.05",        "p_late <= soon",
                         "p_late <= 1.5", "cost_usd <= 5%", "p_late <= 0.05x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        dcs_constraint c;
        dcs_err err;
        dcs_err_clear(&err);
        cr_assert_eq(dcs_constraint_parse(bad[i], &c, &err), DCS_EINPUT, "%s", bad[i]);
        cr_assert(strstr(err.msg, "--subject-to") != NULL, "%s: %s", bad[i], err.msg);
    }
}

/* n values of which k are above 1 (the target): 2.0 above, 0.5 below. */
static void over(double *x, size_t n, size_t k)
{
    for (size_t i = 0; i < n; i++)
        x[i] = i < k ? 2.0 : 0.5;
}

Test(select, clopper_pearson_bounds)
{
    double x[100], b;
    int holds;
    dcs_constraint c;
    dcs_constraint_parse("p_late <= 0.05", &c, NULL);
    /* No value over: the bound is 1 - alpha^(1/n); 59 values are the least
     * that bring it below 5 % (0.049508), 58 are not enough. */
    over(x, 59, 0);
    cr_assert_eq(dcs_constraint_check(&c, x, 59, 1.0, 0.05, &b, &holds, NULL), 0);
    cr_assert(epsilon_eq(dbl, b, 1.0 - pow(0.05, 1.0 / 59.0), 1e-9));
    cr_assert_eq(holds, 1);
    over(x, 58, 0);
    dcs_constraint_check(&c, x, 58, 1.0, 0.05, &b, &holds, NULL);
    cr_assert_eq(holds, 0);
    /* 5 of 100: scipy.stats.beta.ppf(0.95, 6, 95) = 0.1022533776432745. */
    over(x, 100, 5);
    dcs_constraint_check(&c, x, 100, 1.0, 0.05, &b, &holds, NULL);
    cr_assert(epsilon_eq(dbl, b, 0.1022533776432745, 1e-9));
    cr_assert_eq(holds, 0);
    /* The lower bound for >=: scipy.stats.beta.ppf(0.05, 5, 96) = 0.019905563662171832. */
    dcs_constraint_parse("p_late >= 0.01", &c, NULL);
    dcs_constraint_check(&c, x, 100, 1.0, 0.05, &b, &holds, NULL);
    cr_assert(epsilon_eq(dbl, b, 0.019905563662171832, 1e-9));
    cr_assert_eq(holds, 1);
    /* Without a target there is nothing to compare with. */
    dcs_err err;
    dcs_err_clear(&err);
    cr_assert_eq(dcs_constraint_check(&c, x, 100, NAN, 0.05, &b, &holds, &err), DCS_EINPUT);
    cr_assert(strstr(err.msg, "sets no target") != NULL);
}

Test(select, mean_and_percentile_bounds)
{
    dcs_constraint c;
    double b;
    int holds;
    /* 1..5: mean 3, sd sqrt(2.5); scipy.stats.t.ppf(0.95, 4) gives the
     * upper bound 4.507443315533606. */
    const double five[] = {1, 2, 3, 4, 5};
    dcs_constraint_parse("x <= 4.6", &c, NULL);
    dcs_constraint_check(&c, five, 5, NAN, 0.05, &b, &holds, NULL);
    cr_assert(epsilon_eq(dbl, b, 4.507443315533606, 1e-8)); /* GSL inverts t to ~1e-9 */
    cr_assert_eq(holds, 1);
    dcs_constraint_parse("x <= 4.5", &c, NULL);
    dcs_constraint_check(&c, five, 5, NAN, 0.05, &b, &holds, NULL);
    cr_assert_eq(holds, 0);
    /* The median of 1..100: P(Binomial(100, 0.5) <= 58) = 0.9557 >= 0.95
     * and P(<= 57) = 0.9334 < 0.95 (scipy.stats.binom.cdf), so the upper
     * bound is the 59th smallest value, 59. */
    double x[100];
    for (int i = 0; i < 100; i++)
        x[i] = 100 - i; /* unsorted on purpose */
    dcs_constraint_parse("x_median <= 59", &c, NULL);
    dcs_constraint_check(&c, x, 100, NAN, 0.05, &b, &holds, NULL);
    cr_assert_eq(b, 59.0);
    cr_assert_eq(holds, 1);
    /* p95 of 58 values: no order statistic bounds it at 95 %. */
    dcs_constraint_parse("x_p95 <= 1e9", &c, NULL);
    dcs_constraint_check(&c, x, 58, NAN, 0.05, &b, &holds, NULL);
    cr_assert(isinf(b));
    cr_assert_eq(holds, 0);
}

/* k points of n replications: x_i(r) = mu_i + z_r + e_ir with z common to
 * every point in replication r (sd common_sd) and e its own (sd own_sd). */
static void make_points(gsl_rng *g, const double *mu, size_t k, size_t n, double common_sd,
                        double own_sd, double *x, int64_t *rep, dcs_sel_sample *s)
{
    for (size_t r = 0; r < n; r++) {
        double z = gsl_ran_gaussian(g, common_sd);
        for (size_t i = 0; i < k; i++)
            x[i * n + r] = mu[i] + z + gsl_ran_gaussian(g, own_sd);
    }
    for (size_t r = 0; r < n; r++)
        rep[r] = (int64_t)r;
    for (size_t i = 0; i < k; i++)
        s[i] = (dcs_sel_sample){x + i * n, rep, n};
}

/* The sample sd of a[r] - b[r], r < n. */
static double paired_sd(const double *a, const double *b, size_t n)
{
    double m = 0, ss = 0;
    for (size_t r = 0; r < n; r++)
        m += (a[r] - b[r]) / (double)n;
    for (size_t r = 0; r < n; r++)
        ss += (a[r] - b[r] - m) * (a[r] - b[r] - m);
    return sqrt(ss / (double)(n - 1));
}

static size_t lowest_mean(const dcs_sel_sample *s, size_t k)
{
    size_t b = 0;
    double best = INFINITY;
    for (size_t i = 0; i < k; i++) {
        double m = 0;
        for (size_t r = 0; r < s[i].n; r++)
            m += s[i].x[r];
        if (m < best) {
            best = m;
            b = i;
        }
    }
    return b;
}

Test(select, common_random_numbers_tell_close_points_apart)
{
    /* Means 10, 10.05, 12 under a common noise of sd 5 and an own noise of
     * sd 0.01: the paired differences have sd 0.014, so 0.05 is about 25
     * of their standard errors (n = 50): point 1 is beaten, though its
     * mean lies well inside point 0's own 95 % interval (+-1.4). */
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 20170711);
    const double mu[] = {10.0, 10.05, 12.0};
    double x[3 * 50];
    int64_t rep[50];
    dcs_sel_sample s[3];
    int cont[3];
    double gap;
    make_points(g, mu, 3, 50, 5.0, 0.01, x, rep, s);
    size_t b = lowest_mean(s, 3);
    cr_assert_eq(b, 0);
    cr_assert_eq(dcs_select_mcb(s, 3, b, 0, 0.05, cont, &gap, NULL), 0);
    cr_assert_eq(cont[0], 1);
    cr_assert_eq(cont[1], 0);
    cr_assert_eq(cont[2], 0);
    cr_assert(gap >= 0.0 && gap < 0.01, "gap %g", gap);
    /* What made it possible: the paired differences. With the same noise
     * drawn independently for each point, their sd is 5 sqrt(2) = 7.07
     * instead of 0.014, and 0.05 would be lost in it. (Sample sds of 50
     * values are within 30 % of the truth with probability > 0.99: chi-square
     * with 49 degrees of freedom.) */
    double sd_crn = paired_sd(s[0].x, s[1].x, 50);
    make_points(g, mu, 3, 50, 0.0, 5.0, x, rep, s);
    double sd_ind = paired_sd(s[0].x, s[1].x, 50);
    cr_assert(sd_crn < 0.0141 * 1.3 && sd_ind > 7.07 * 0.7, "%g %g", sd_crn, sd_ind);
    /* To maximize, the roles turn: the highest mean is best. */
    make_points(g, mu, 3, 50, 5.0, 0.01, x, rep, s);
    dcs_select_mcb(s, 3, 2, 1, 0.05, cont, &gap, NULL);
    cr_assert_eq(cont[2], 1);
    cr_assert_eq(cont[0] + cont[1], 0);
    gsl_rng_free(g);
}

Test(select, pairs_are_matched_by_replication_not_position)
{
    /* Point 1 lacks replication 0 and holds 10 extra ones at the end: a
     * positional pairing would compare replication r with r + 1. */
    double a[5] = {1, 2, 3, 4, 5}, bb[5] = {2.001, 3.001, 4.001, 5.001, 99};
    int64_t ra[5] = {0, 1, 2, 3, 4}, rb[5] = {1, 2, 3, 4, 7};
    dcs_sel_sample s[2] = {{a, ra, 5}, {bb, rb, 5}};
    int cont[2];
    double gap;
    /* Paired over replications 1-4 the difference is 1.001 - 1 = 0.001
     * every time (sd 0), so point 1 (mean 22.6) is beaten by point 0. */
    dcs_select_mcb(s, 2, 0, 0, 0.05, cont, &gap, NULL);
    cr_assert_eq(cont[1], 0);
}

Test(select, contenders_hold_the_true_best_in_95_percent_of_experiments)
{
    /* 600 experiments of 5 points, two of them tied for best (the least
     * favourable case of a subset selection), 30 replications each, common
     * noise sd 2 and own noise sd 1. The contenders must hold a true best
     * with probability >= 0.95: with 600 experiments the standard error
     * of the observed share is sqrt(0.95 x 0.05 / 600) = 0.0089, so the
     * share must be at least 0.95 - 3 x 0.0089 = 0.923 (a false failure
     * has probability < 0.2 %). Seed fixed in advance. */
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 4242);
    const double mu[] = {1.0, 1.0, 1.3, 1.6, 2.0};
    double x[5 * 30];
    int64_t rep[30];
    dcs_sel_sample s[5];
    int cont[5];
    double gap;
    int held = 0;
    for (int e = 0; e < 600; e++) {
        make_points(g, mu, 5, 30, 2.0, 1.0, x, rep, s);
        size_t b = lowest_mean(s, 5);
        dcs_select_mcb(s, 5, b, 0, 0.05, cont, &gap, NULL);
        held += cont[0] || cont[1];
    }
    gsl_rng_free(g);
    cr_assert(held >= 0.923 * 600, "held %d of 600", held);
}

Test(writer, numbers_are_exact_in_the_fewest_digits)
{
    char buf[40];
    dcs_write_exact(buf, sizeof buf, 2.29);
    cr_assert_str_eq(buf, "2.29");
    dcs_write_exact(buf, sizeof buf, 989e12);
    cr_assert_str_eq(buf, "989000000000000");
    dcs_write_exact(buf, sizeof buf, 0.1 + 0.2);
    cr_assert_str_eq(buf, "0.30000000000000004");
    dcs_write_exact(buf, sizeof buf, 1.0 / 3.0);
    cr_assert_eq(strtod(buf, NULL), 1.0 / 3.0);
}

Test(writer, money_is_written_one_way)
{
    const double v[] = {0, 47.294, 999.996, 43912, 999960, 87.81e6, 1.5e9, 2e12, -3.4e6};
    const char *want[] = {"$0.00",   "$47.29", "$1.0k",  "$43.9k", "$1.00M",
                          "$87.81M", "$1.50B", "$2.00T", "-$3.40M"};
    char buf[32];
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        dcs_money(v[i], buf, sizeof buf);
        cr_assert_str_eq(buf, want[i]);
    }
    dcs_money(NAN, buf, sizeof buf);
    cr_assert_str_eq(buf, "-");
}
