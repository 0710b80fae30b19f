/*
 * expect.h - helpers shared by the scenario tests: a valid base scenario
 * and checks that a scenario or sweep text loads, or fails with one exact
 * message.
 */
#ifndef DCSIM_TESTS_SCENARIOS_EXPECT_H
#define DCSIM_TESTS_SCENARIOS_EXPECT_H

#include "load.h"
#include "sweep.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

/* Lines 1-10 of a valid scenario with every required key; tests append
 * their section from line 11 on. */
#define BASE                                                                                       \
    "name: x\n"                                                                                    \
    "cluster:\n"                                                                                   \
    "  accelerator: H100-SXM-80GB\n"                                                               \
    "  nodes: 2\n"                                                                                 \
    "job:\n"                                                                                       \
    "  flops: 1e24\n"                                                                              \
    "  mfu: 0.4\n"                                                                                 \
    "checkpoint:\n"                                                                                \
    "  size: 1TB\n"                                                                                \
    "  write_bandwidth: 1TB/s\n"

/* Loads text as "t.yaml" with the given overrides; asserts success. */
static inline void expect_ok_set(const char *text, const char *const *sets, size_t nsets,
                                 dcs_scenario *out)
{
    dcs_err err;
    int rc = dcs_scenario_load_string(text, "t.yaml", sets, nsets, out, NULL, &err);
    char buf[768];
    cr_assert_eq(rc, 0, "unexpected error: %s", dcs_err_format(&err, buf, sizeof buf));
}

static inline void expect_ok(const char *text, dcs_scenario *out)
{
    expect_ok_set(text, NULL, 0, out);
}

/* Loads text as "t.yaml" with the given overrides; asserts DCS_EINPUT with
 * exactly the formatted message `want`, and that *out is left alone. */
static inline void expect_err_set(const char *text, const char *const *sets, size_t nsets,
                                  const char *want)
{
    dcs_err err;
    dcs_scenario *s = malloc(sizeof *s);
    cr_assert_not_null(s);
    memset(s, 0x5a, sizeof *s);
    int rc = dcs_scenario_load_string(text, "t.yaml", sets, nsets, s, NULL, &err);
    char buf[768];
    dcs_err_format(&err, buf, sizeof buf);
    cr_assert_eq(rc, DCS_EINPUT, "expected an input error, got %d (%s)", rc, buf);
    cr_assert_eq(err.code, DCS_EINPUT);
    cr_assert_str_eq(buf, want);
    for (size_t i = 0; i < sizeof *s; i++)
        cr_assert_eq(((unsigned char *)s)[i], 0x5a, "the output was written on failure");
    free(s);
}

static inline void expect_err(const char *text, const char *want)
{
    expect_err_set(text, NULL, 0, want);
}

/* Loads text, writes its resolved YAML, loads that: the two structs are
 * bit-identical and emitting again gives the same text. */
static inline void expect_round_trip(const char *text)
{
    dcs_scenario *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    cr_assert(a != NULL && b != NULL);
    char *y1 = NULL, *y2 = NULL;
    dcs_err err;
    char buf[768];
    int rc = dcs_scenario_load_string(text, "t.yaml", NULL, 0, a, &y1, &err);
    cr_assert_eq(rc, 0, "%s", dcs_err_format(&err, buf, sizeof buf));
    rc = dcs_scenario_load_string(y1, "resolved.yaml", NULL, 0, b, &y2, &err);
    cr_assert_eq(rc, 0, "the resolved YAML does not load: %s\n%s",
                 dcs_err_format(&err, buf, sizeof buf), y1);
    cr_assert_eq(memcmp(a, b, sizeof *a), 0, "the reloaded struct differs:\n%s", y1);
    cr_assert_str_eq(y1, y2, "emitting twice gives the same text");
    free(y1);
    free(y2);
    free(a);
    free(b);
}

/* Lines 1-19 of a sweep with an inline base. */
#define SWEEP_INLINE                                                                               \
    "name: s\n"                                                                                    \
    "base:\n"                                                                                      \
    "  name: b\n"                                                                                  \
    "  cluster:\n"                                                                                 \
    "    accelerator: H100-SXM-80GB\n"                                                             \
    "    nodes: 16\n"                                                                              \
    "  job:\n"                                                                                     \
    "    flops: 1e24\n"                                                                            \
    "    mfu: 0.4\n"                                                                               \
    "  checkpoint:\n"                                                                              \
    "    policy: fixed\n"                                                                          \
    "    interval: 1h\n"                                                                           \
    "    size: 1TB\n"                                                                              \
    "    write_bandwidth: 1TB/s\n"                                                                 \
    "  failures:\n"                                                                                \
    "    - name: gpu\n"                                                                            \
    "      scope: accelerator\n"                                                                   \
    "      mtbf: 5y\n"                                                                             \
    "      repair_time: 2d\n"

/* Lines 1-20: tests append their design blocks from line 21 on. */
#define SWEEP_HEAD SWEEP_INLINE "design:\n"

/* Loads a sweep from text named `name`; asserts success. */
static inline dcs_sweep *expect_sweep_named(const char *text, const char *name,
                                            const char *const *sets, size_t nsets)
{
    dcs_err err;
    dcs_sweep *s = NULL;
    int rc = dcs_sweep_load_string(text, name, sets, nsets, &s, &err);
    char buf[768];
    cr_assert_eq(rc, 0, "unexpected error: %s", dcs_err_format(&err, buf, sizeof buf));
    cr_assert_not_null(s);
    return s;
}

static inline dcs_sweep *expect_sweep(const char *text)
{
    return expect_sweep_named(text, "sweep.yaml", NULL, 0);
}

/* Loads a sweep from text named "sweep.yaml"; asserts DCS_EINPUT with
 * exactly the formatted message `want`, and no sweep. */
static inline void expect_sweep_err_set(const char *text, const char *const *sets, size_t nsets,
                                        const char *want)
{
    dcs_err err;
    dcs_sweep *s = (dcs_sweep *)&err; /* must come back NULL */
    int rc = dcs_sweep_load_string(text, "sweep.yaml", sets, nsets, &s, &err);
    char buf[768];
    dcs_err_format(&err, buf, sizeof buf);
    cr_assert_eq(rc, DCS_EINPUT, "expected an input error, got %d (%s)", rc, buf);
    cr_assert_eq(err.code, DCS_EINPUT);
    cr_assert_null(s);
    cr_assert_str_eq(buf, want);
}

static inline void expect_sweep_err(const char *text, const char *want)
{
    expect_sweep_err_set(text, NULL, 0, want);
}

#endif /* DCSIM_TESTS_SCENARIOS_EXPECT_H */
