/*
 * test_uncertain.c - the distributions of uncertain inputs
 * (models/uncertain.h): moments of every kind against their analytic
 * values, supports, and the per-key streams behind common random numbers.
 *
 * Moments: N = 40000 draws per kind from one fixed stream (seed 2385,
 * replications 0..N-1 of the key's stream, as the loader draws them). The
 * sample mean is held to the analytic mean within 4 standard errors,
 * sqrt(var / N); the sample variance to the analytic variance within 4 of
 * its standard errors, sqrt((m4 - var^2) / N), m4 the analytic fourth
 * central moment estimated by the sample's (consistent; a 4-SE band fails
 * by chance with probability 6e-5 per check, 16 checks).
 */
#include "uncertain.h"

#include "rng.h"
#include "streams.h"

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#define N 40000

static void check_moments(const char *what, const dcs_udist *d)
{
    dcs_err err;
    gsl_rng *r = dcs_rng_create(&err);
    cr_assert_not_null(r);
    static double x[N];
    double mean = 0.0, lo, hi;
    dcs_udist_support(d, &lo, &hi);
    for (int i = 0; i < N; i++) {
        x[i] = dcs_uncertain_draw(d, what, r, 2385, (uint64_t)i);
        cr_assert(x[i] >= lo && x[i] <= hi, "%s: draw %g outside its support [%g, %g]", what, x[i],
                  lo, hi);
        mean += x[i];
    }
    gsl_rng_free(r);
    mean /= N;
    double m2 = 0.0, m4 = 0.0;
    for (int i = 0; i < N; i++) {
        double e = x[i] - mean;
        m2 += e * e;
        m4 += e * e * e * e;
    }
    m2 /= N - 1;
    m4 /= N;
    double am = dcs_udist_mean(d), av = dcs_udist_variance(d);
    double se_m = sqrt(av / N), se_v = sqrt(fmax(m4 - m2 * m2, 0.0) / N);
    cr_expect(fabs(mean - am) <= 4.0 * se_m, "%s: mean %.6g, analytic %.6g (4 SE = %.3g)", what,
              mean, am, 4.0 * se_m);
    cr_expect(fabs(m2 - av) <= 4.0 * se_v, "%s: variance %.6g, analytic %.6g (4 SE = %.3g)", what,
              m2, av, 4.0 * se_v);
}

static dcs_udist ud(dcs_ud_kind kind, double a, double b, double c)
{
    dcs_udist d;
    memset(&d, 0, sizeof d);
    d.kind = kind;
    d.a = a;
    d.b = b;
    d.c = c;
    return d;
}

Test(uncertain, uniform_moments)
{
    dcs_udist d = ud(DCS_UD_UNIFORM, 0.35, 0, 0.45);
    cr_assert_float_eq(dcs_udist_mean(&d), 0.4, 1e-15);
    cr_assert_float_eq(dcs_udist_variance(&d), 0.01 / 12.0, 1e-15);
    check_moments("job.mfu", &d);
}

Test(uncertain, triangular_moments)
{
    dcs_udist d = ud(DCS_UD_TRIANGULAR, 1e12, 2e12, 4e12);
    cr_assert_float_eq(dcs_udist_mean(&d), 7e12 / 3.0, 1e-3);
    check_moments("checkpoint.write_bandwidth", &d);
}

Test(uncertain, pert_moments)
{
    dcs_udist d = ud(DCS_UD_PERT, 0.3, 0.8, 2.0);
    /* Vose: mean (min + 4 mode + max) / 6 */
    cr_assert_float_eq(dcs_udist_mean(&d), (0.3 + 3.2 + 2.0) / 6.0, 1e-12);
    check_moments("market.elasticity", &d);
}

Test(uncertain, normal_truncated_moments)
{
    dcs_udist d = ud(DCS_UD_NORMAL, 0.9, 0.2, 0);
    d.lo = 0.0;
    d.hi = 1.0; /* a mean near the top of [0, 1]: the truncation moves the mean down */
    cr_assert(dcs_udist_mean(&d) < 0.9);
    check_moments("job.mfu", &d);
    dcs_udist u = ud(DCS_UD_NORMAL, 10.0, 2.0, 0);
    u.lo = -INFINITY;
    u.hi = INFINITY;
    cr_assert_float_eq(dcs_udist_mean(&u), 10.0, 1e-12);
    cr_assert_float_eq(dcs_udist_variance(&u), 4.0, 1e-12);
    check_moments("x.normal", &u);
}

Test(uncertain, lognormal_moments_each_form)
{
    dcs_udist d = ud(DCS_UD_LOGNORMAL, 100.0, 30.0, 0);
    d.form = DCS_LN_MEAN_SD;
    d.hi = INFINITY; /* not truncated (lo 0) */
    cr_assert_float_eq(dcs_udist_mean(&d), 100.0, 1e-9);
    cr_assert_float_eq(dcs_udist_variance(&d), 900.0, 1e-7);
    check_moments("failures[0].repair_time", &d);
    dcs_udist m = ud(DCS_UD_LOGNORMAL, 3.6e8, 1.08e9, 0);
    m.form = DCS_LN_MEDIAN_P95;
    m.hi = INFINITY;
    cr_assert_float_eq(dcs_udist_quantile(&m, 0.5), 3.6e8, 1.0);
    cr_assert_float_eq(dcs_udist_quantile(&m, 0.95), 1.08e9, 1e3);
    check_moments("failures[0].mtbf", &m);
    dcs_udist p = ud(DCS_UD_LOGNORMAL, 50.0, 20.0, 0);
    p.form = DCS_LN_MEDIAN_P05;
    p.hi = INFINITY;
    cr_assert_float_eq(dcs_udist_quantile(&p, 0.05), 20.0, 1e-9);
    check_moments("x.p05", &p);
}

Test(uncertain, lognormal_truncated_to_the_key_range)
{
    /* median 0.4, p95 0.8: about 4 % of the mass above 1, cut off */
    dcs_udist d = ud(DCS_UD_LOGNORMAL, 0.4, 0.8, 0);
    d.form = DCS_LN_MEDIAN_P95;
    d.lo = 0.0;
    d.hi = 1.0;
    cr_assert(dcs_udist_mean(&d) < 0.4 * exp(0.5 * pow(log(2.0) / 1.6448536269514722, 2)));
    check_moments("job.mfu", &d);
    dcs_udist m = ud(DCS_UD_LOGNORMAL, 10.0, 30.0, 0);
    m.form = DCS_LN_MEDIAN_P95;
    m.lo = 1.0; /* an mtbf of at least 1 s */
    m.hi = INFINITY;
    check_moments("failures[0].mtbf", &m);
}

Test(uncertain, choice_and_empirical_moments)
{
    dcs_udist c = ud(DCS_UD_CHOICE, 0, 0, 0);
    c.nvalues = 3;
    c.values[0] = 1.0, c.values[1] = 2.0, c.values[2] = 5.0;
    c.weights[0] = 0.7, c.weights[1] = 0.0, c.weights[2] = 0.3;
    cr_assert_float_eq(dcs_udist_mean(&c), 0.7 + 1.5, 1e-12);
    check_moments("cluster.accelerator", &c);
    dcs_udist e = ud(DCS_UD_EMPIRICAL, 0, 0, 0);
    e.nvalues = 5;
    for (int i = 0; i < 5; i++)
        e.values[i] = (double)(i * i);
    cr_assert_float_eq(dcs_udist_mean(&e), 6.0, 1e-12);
    cr_assert_float_eq(dcs_udist_nominal(&e), 4.0, 0.0);
    check_moments("x.empirical", &e);
}

Test(uncertain, fixed_and_zero_width_draw_their_value)
{
    dcs_err err;
    gsl_rng *r = dcs_rng_create(&err);
    const dcs_udist ds[] = {ud(DCS_UD_FIXED, 0.41, 0, 0), ud(DCS_UD_UNIFORM, 0.41, 0, 0.41),
                            ud(DCS_UD_TRIANGULAR, 0.41, 0.41, 0.41),
                            ud(DCS_UD_PERT, 0.41, 0.41, 0.41)};
    for (size_t k = 0; k < sizeof ds / sizeof ds[0]; k++)
        for (uint64_t i = 0; i < 100; i++)
            cr_assert(dcs_uncertain_draw(&ds[k], "job.mfu", r, 7, i) == 0.41,
                      "kind %d: not exactly 0.41", (int)ds[k].kind);
    gsl_rng_free(r);
}

Test(uncertain, each_key_has_its_own_stream)
{
    /* Streams depend on the path alone, above every fixed stream id. */
    uint32_t a = dcs_uncertain_stream("job.mfu"), b = dcs_uncertain_stream("job.mfu");
    uint32_t c = dcs_uncertain_stream("checkpoint.write_bandwidth");
    cr_assert_eq(a, b);
    cr_assert_neq(a, c);
    cr_assert(a >= DCS_STREAM_INPUT_FIRST && c >= DCS_STREAM_INPUT_FIRST);
    /* Replication r's draw of a key does not depend on what else was drawn. */
    dcs_err err;
    gsl_rng *r = dcs_rng_create(&err);
    dcs_udist d = ud(DCS_UD_UNIFORM, 0.0, 0, 1.0);
    double x1 = dcs_uncertain_draw(&d, "job.mfu", r, 11, 5);
    (void)dcs_uncertain_draw(&d, "costs.staff.loaded_usd_per_year", r, 11, 5);
    double x2 = dcs_uncertain_draw(&d, "job.mfu", r, 11, 5);
    cr_assert(x1 == x2);
    cr_assert(dcs_uncertain_draw(&d, "job.mfu", r, 11, 6) != x1);
    gsl_rng_free(r);
}
