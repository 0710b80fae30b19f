/*
 * test_validate.c - the validators of scenarios/validate.c against the
 * cases of tests/cli/data/rules.txt, which tests/cli/validators.sh feeds to
 * `dcsim validate` and `dcsim run`: every validator of the table has a case
 * (so a rule added without one fails here), every case names a validator,
 * and each case, loaded through the library, is refused with exactly its
 * message. A validator's rule is also the reader's where it decides which
 * keys are read: dcs_action_fits_scope is checked against the loader for
 * every scope and action.
 */
#include "expect.h"
#include "schema.h"
#include "validate.h"

#include <stdio.h>

#define DATA      DCSIM_SOURCE_DIR "/tests/cli/data/"
#define RULES     DATA "rules.txt"
#define BASE_FILE DATA "rules.yaml"

#define MAX_CASES 32
#define MAX_SETS  8

typedef struct rule_case {
    char name[64];
    char want[512];
    char sets_text[512];
    const char *sets[MAX_SETS];
    size_t nsets;
    char base[256]; /* rules.yaml, or the case's base=FILE beside it */
} rule_case;

static void chomp(char *s)
{
    s[strcspn(s, "\n")] = '\0';
}

/* Splits c->sets_text at spaces into c->sets, after a first base=FILE. */
static void split_sets(rule_case *c)
{
    c->nsets = 0;
    snprintf(c->base, sizeof c->base, "%s", BASE_FILE);
    for (char *t = strtok(c->sets_text, " "); t != NULL; t = strtok(NULL, " ")) {
        if (c->nsets == 0 && strncmp(t, "base=", 5) == 0) {
            snprintf(c->base, sizeof c->base, DATA "%s", t + 5);
            continue;
        }
        cr_assert_lt(c->nsets, MAX_SETS);
        c->sets[c->nsets++] = t;
    }
}

/* Reads the cases of rules.txt: blocks of name, message and --set line. */
static size_t read_cases(rule_case *cases)
{
    FILE *f = fopen(RULES, "r");
    cr_assert_not_null(f, "cannot open %s", RULES);
    char line[1024];
    size_t n = 0;
    int field = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        chomp(line);
        if (line[0] == '#')
            continue;
        if (line[0] == '\0') {
            cr_assert(field == 0 || field == 3, "a case of %zu lines in %s", (size_t)field, RULES);
            field = 0;
            continue;
        }
        cr_assert_lt(n, MAX_CASES);
        rule_case *c = &cases[n];
        char *dst = field == 0 ? c->name : field == 1 ? c->want : c->sets_text;
        size_t cap = field == 0   ? sizeof c->name
                     : field == 1 ? sizeof c->want
                                  : sizeof c->sets_text;
        cr_assert_lt(strlen(line), cap);
        memcpy(dst, line, strlen(line) + 1);
        if (++field == 3) {
            split_sets(c);
            n++;
        }
    }
    fclose(f);
    cr_assert(field == 0 || field == 3);
    return n;
}

static const rule_case *find_case(const rule_case *cases, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(cases[i].name, name) == 0)
            return &cases[i];
    return NULL;
}

static bool is_validator(const char *name)
{
    for (size_t i = 0; i < dcs_nvalidators; i++)
        if (strcmp(dcs_validators[i].name, name) == 0)
            return true;
    return false;
}

Test(validate, every_validator_has_a_case_and_every_case_a_validator)
{
    static rule_case cases[MAX_CASES];
    size_t n = read_cases(cases);
    cr_assert_gt(dcs_nvalidators, 0);
    for (size_t i = 0; i < dcs_nvalidators; i++) {
        cr_assert_not_null(find_case(cases, n, dcs_validators[i].name),
                           "validator %s has no case in %s", dcs_validators[i].name, RULES);
        for (size_t j = 0; j < i; j++)
            cr_assert_str_neq(dcs_validators[i].name, dcs_validators[j].name);
    }
    for (size_t i = 0; i < n; i++)
        cr_assert(is_validator(cases[i].name), "%s: no validator of that name", cases[i].name);
}

Test(validate, each_case_is_refused_with_its_message_and_the_base_loads)
{
    static rule_case cases[MAX_CASES];
    size_t n = read_cases(cases);
    dcs_scenario *s = malloc(sizeof *s);
    cr_assert_not_null(s);
    dcs_err err;
    char buf[768];
    int rc = dcs_scenario_load(BASE_FILE, NULL, 0, s, NULL, &err);
    cr_assert_eq(rc, 0, "%s", dcs_err_format(&err, buf, sizeof buf));
    for (size_t i = 0; i < n; i++) {
        rc = dcs_scenario_load(cases[i].base, NULL, 0, s, NULL, &err);
        cr_assert_eq(rc, 0, "%s: %s", cases[i].base, dcs_err_format(&err, buf, sizeof buf));
        rc = dcs_scenario_load(cases[i].base, cases[i].sets, cases[i].nsets, s, NULL, &err);
        cr_assert_eq(rc, DCS_EINPUT, "%s: loaded", cases[i].name);
        /* A position in a base file reads with the file's name alone. */
        const char *msg = dcs_err_format(&err, buf, sizeof buf);
        if (strncmp(msg, DATA, strlen(DATA)) == 0)
            msg += strlen(DATA);
        cr_assert_str_eq(msg, cases[i].want);
    }
    free(s);
}

/* Loads rules-types.yaml (two market types) with sets; the message. */
static const char *load_types(const char **sets, size_t n, char *buf, size_t len)
{
    dcs_scenario *s = malloc(sizeof *s);
    cr_assert_not_null(s);
    dcs_err err;
    int rc = dcs_scenario_load(DATA "rules-types.yaml", sets, n, s, NULL, &err);
    free(s);
    cr_assert_eq(rc, DCS_EINPUT, "loaded");
    return dcs_err_format(&err, buf, len);
}

/* A market type takes each key from its own mapping, else from market's
 * (every type's default): a market rule blames the key where it was given,
 * as the reader did when it checked them (the same messages, compared with
 * the reader's before the rules moved). */
Test(validate, a_market_rule_blames_a_type_key_where_it_was_given)
{
    char buf[768];
    const char *own_cap[] = {"market.types[1].price_cap_usd_per_hour=0.5",
                             "market.price_floor_usd_per_hour=1"};
    cr_assert_str_eq(load_types(own_cap, 2, buf, sizeof buf),
                     "--set:1:40: market.types[1].price_cap_usd_per_hour: must be above "
                     "price_floor_usd_per_hour (1)");
    const char *own_floor[] = {"market.types[1].price_floor_usd_per_hour=30"};
    cr_assert_str_eq(load_types(own_floor, 1, buf, sizeof buf),
                     "--set:1:42: market.types[1].price_floor_usd_per_hour: must be below the "
                     "default price cap, 5 x reference_price_usd_per_hour = 16: give "
                     "price_cap_usd_per_hour");
    const char *shared_floor[] = {"market.price_floor_usd_per_hour=30"};
    cr_assert_str_eq(load_types(shared_floor, 1, buf, sizeof buf),
                     "--set:1:33: market.price_floor_usd_per_hour: must be below the default "
                     "price cap, 5 x reference_price_usd_per_hour = 14.95: give "
                     "price_cap_usd_per_hour");
    const char *shared_sd[] = {"market.types[1].lead_time=0s", "market.lead_time_sd=1w"};
    cr_assert_str_eq(load_types(shared_sd, 2, buf, sizeof buf),
                     "--set:1:21: market.lead_time_sd: needs a lead_time > 0 (lead times are "
                     "lognormal around it)");
    const char *own_mean[] = {"market.jump_rate=1", "market.types[0].jump_log_mean=800"};
    cr_assert_str_eq(load_types(own_mean, 2, buf, sizeof buf),
                     "--set:1:31: market.types[0].jump_log_mean: gives jumps of infinite mean "
                     "size e^(jump_log_mean + jump_log_sd^2 / 2)");
}

/* Loads BASE with failures[0] of scope sc and action a given; returns the
 * status and leaves the message in buf. */
static int load_class(dcs_scope sc, dcs_action a, char *buf, size_t n)
{
    char text[1024];
    bool maint = sc == DCS_SCOPE_MAINTENANCE;
    snprintf(text, sizeof text,
             BASE "power: {}\ncooling: {units: 2, unit_capacity: 1MW}\n"
                  "failures:\n  - name: c\n    scope: %s\n    action: %s\n%s",
             dcs_names_scope[sc], dcs_names_action[a],
             maint                     ? "    every: 30d\n    duration: 4h\n"
             : a == DCS_ACTION_RESTART ? "    mtbf: 5y\n"
             : a == DCS_ACTION_SLOW    ? "    mtbf: 5y\n    speed: 0.5\n    repair_time: 1d\n"
                                       : "    mtbf: 5y\n    repair_time: 1d\n");
    const char *sets[] = {"cluster.nodes_per_switch=2"};
    dcs_scenario *s = malloc(sizeof *s);
    cr_assert_not_null(s);
    dcs_err err;
    int rc = dcs_scenario_load_string(text, "t.yaml", sets, 1, s, NULL, &err);
    dcs_err_format(&err, buf, n);
    free(s);
    return rc;
}

Test(validate, an_action_loads_exactly_where_it_fits_its_scope)
{
    char buf[768];
    int fits = 0;
    for (int sc = 0; dcs_names_scope[sc] != NULL; sc++)
        for (int a = 0; dcs_names_action[a] != NULL; a++) {
            bool ok = dcs_action_fits_scope((dcs_action)a, (dcs_scope)sc);
            int rc = load_class((dcs_scope)sc, (dcs_action)a, buf, sizeof buf);
            fits += ok;
            if (ok)
                cr_assert_eq(rc, 0, "%s with %s: %s", dcs_names_scope[sc], dcs_names_action[a],
                             buf);
            else
                cr_assert(rc == DCS_EINPUT && strstr(buf, "t.yaml:16:13: failures[0].action: "),
                          "%s with %s: %s", dcs_names_scope[sc], dcs_names_action[a], buf);
        }
    /* accelerator, hbm, node: swap, restart, slow; switch: swap, restart;
     * job, storage: restart; cooling: swap; maintenance: planned. */
    cr_assert_eq(fits, 9 + 2 + 2 + 1 + 1);
}
