/*
 * test_sweep_parse.c - a sweep's base is parsed once: loading a sweep
 * parses YAML text a fixed number of times whatever its number of points,
 * and building a point's scenario (nominal or drawn, with or without its
 * resolved YAML) parses none. Every call of libyaml's yaml_parser_load is
 * counted by linking with --wrap=yaml_parser_load (CMakeLists.txt).
 */
#include "correlation.h"
#include "expect.h"

#include <criterion/new/assert.h>
#include <yaml.h>

int __real_yaml_parser_load(yaml_parser_t *parser, yaml_document_t *document);
int __wrap_yaml_parser_load(yaml_parser_t *parser, yaml_document_t *document);

static long nparse; /* calls of yaml_parser_load in this test's process */

int __wrap_yaml_parser_load(yaml_parser_t *parser, yaml_document_t *document)
{
    nparse++;
    return __real_yaml_parser_load(parser, document);
}

/* A grid of n checkpoint intervals (1 to n min) over the inline base. */
static char *sweep_text(int n)
{
    static char text[4096];
    char list[1024] = "";
    for (int i = 0; i < n; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%dmin", i > 0 ? ", " : "",
                 i + 1);
    const char *head = SWEEP_INLINE;
    snprintf(text, sizeof text, "%sdesign:\n  - grid:\n      checkpoint.interval: [%s]\n", head,
             list);
    return text;
}

/* The yaml_parser_load calls of loading a sweep of n points. */
static long parses_to_load(int n, const char *const *sets, size_t nsets)
{
    long before = nparse;
    dcs_sweep *s = expect_sweep_named(sweep_text(n), "sweep.yaml", sets, nsets);
    cr_assert_eq(dcs_sweep_npoints(s), (size_t)n);
    dcs_sweep_destroy(s);
    return nparse - before;
}

/* A sweep of three checkpoint intervals over the inline base with job.mfu
 * and the GPU's mtbf uncertain and rank-correlated. */
static char *corr_sweep_text(void)
{
    static char text[4096];
    const char *base = SWEEP_INLINE;
    const char *mfu = strstr(base, "    mfu: 0.4\n"), *mtbf = strstr(base, "      mtbf: 5y\n");
    cr_assert(mfu != NULL && mtbf != NULL && mfu < mtbf);
    snprintf(text, sizeof text,
             "%.*s    mfu: {dist: uniform, min: 0.3, max: 0.5}\n%.*s"
             "      mtbf: {dist: lognormal, median: 5y, p95: 9y}\n%s"
             "  uncertain:\n    correlation:\n      keys: [job.mfu, \"failures[0].mtbf\"]\n"
             "      matrix: [[1, 0.6], [0.6, 1]]\n"
             "design:\n  - grid:\n      checkpoint.interval: [1min, 2min, 3min]\n",
             (int)(mfu - base), base, (int)(mtbf - (mfu + strlen("    mfu: 0.4\n"))),
             mfu + strlen("    mfu: 0.4\n"), mtbf + strlen("      mtbf: 5y\n"));
    return text;
}

/* A point's replication drawn through a correlation cache is byte for byte
 * the one drawn without: one cache serves every point (the uniforms depend
 * on the seed, the block and the correlation, not on the point), in an
 * order that leaves a block of DCS_CORR_BLOCK and comes back to it, under
 * two seeds. */
Test(sweep_parse, a_draw_through_a_correlation_cache_is_the_draw_without)
{
    dcs_sweep *s = expect_sweep(corr_sweep_text());
    cr_assert_eq(dcs_sweep_npoints(s), 3);
    dcs_scenario *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    dcs_corr_cache *cache = dcs_corr_caches_create(1);
    cr_assert(a != NULL && b != NULL && cache != NULL);
    static const uint64_t reps[] = {250, 255, 256, 300, 3, 251, 511, 512, 0};
    dcs_err err;
    for (uint64_t seed = 5; seed <= 6; seed++)
        for (size_t k = 0; k < sizeof reps / sizeof reps[0]; k++)
            for (size_t p = 0; p < 3; p++) {
                memset(a, 0xA5, sizeof *a);
                memset(b, 0x5A, sizeof *b);
                cr_assert_eq(dcs_sweep_point_draw(s, p, seed, reps[k], NULL, a, &err), 0, "%s",
                             err.msg);
                cr_assert_eq(dcs_sweep_point_draw(s, p, seed, reps[k], cache, b, &err), 0, "%s",
                             err.msg);
                cr_assert_eq(a->correlation.n, 2, "the base's correlation is drawn");
                cr_expect(memcmp(a, b, sizeof *a) == 0,
                          "seed %d, point %zu, replication %d: the cached draw differs", (int)seed,
                          p, (int)reps[k]);
            }
    free(cache);
    free(a);
    free(b);
    dcs_sweep_destroy(s);
}

Test(sweep_parse, loading_parses_as_often_for_2_points_as_for_60)
{
    static const char *const sets[] = {"checkpoint.size=2TB", "cluster.spare_nodes=2"};
    long two = parses_to_load(2, NULL, 0), sixty = parses_to_load(60, NULL, 0);
    cr_assert_gt(two, 0, "the counter sees the sweep file's own parse");
    cr_assert_eq(sixty, two, "%ld parses for 60 points, %ld for 2", sixty, two);
    /* The command's --set values are parsed once too, not once per point. */
    long two_set = parses_to_load(2, sets, 2), sixty_set = parses_to_load(60, sets, 2);
    cr_assert_eq(sixty_set, two_set, "%ld parses for 60 points with --set, %ld for 2", sixty_set,
                 two_set);
}

Test(sweep_parse, a_point_scenario_parses_no_yaml)
{
    dcs_sweep *s = expect_sweep(sweep_text(30));
    dcs_scenario *sc = malloc(sizeof *sc);
    cr_assert_not_null(sc);
    dcs_err err;
    long before = nparse;
    for (size_t p = 0; p < dcs_sweep_npoints(s); p++) {
        char *resolved = NULL;
        cr_assert_eq(dcs_sweep_point_scenario(s, p, sc, &resolved, &err), 0);
        cr_assert_eq(sc->checkpoint.interval_s, 60.0 * (double)(p + 1), "point %zu", p);
        free(resolved);
    }
    cr_assert_eq(nparse - before, 0, "%ld parses for 30 points", nparse - before);
    free(sc);
    dcs_sweep_destroy(s);
}

Test(sweep_parse, a_drawn_replication_parses_no_yaml)
{
    /* The base's job.mfu is a distribution: each replication draws it. */
    char *text = sweep_text(3);
    char *at = strstr(text, "    mfu: 0.4\n");
    cr_assert_not_null(at);
    char buf[4096];
    snprintf(buf, sizeof buf, "%.*s    mfu: {dist: uniform, min: 0.3, max: 0.5}\n%s",
             (int)(at - text), text, at + strlen("    mfu: 0.4\n"));
    dcs_sweep *s = expect_sweep(buf);
    cr_assert_eq(dcs_sweep_uncertain(s), 1);
    dcs_scenario *sc = malloc(sizeof *sc);
    cr_assert_not_null(sc);
    dcs_err err;
    long before = nparse;
    double first = 0.0;
    bool differ = false;
    for (uint64_t r = 0; r < 20; r++) {
        cr_assert_eq(dcs_sweep_point_draw(s, 1, 7, r, NULL, sc, &err), 0);
        cr_assert(sc->job.mfu >= 0.3 && sc->job.mfu <= 0.5);
        differ = differ || (r > 0 && sc->job.mfu != first);
        first = r == 0 ? sc->job.mfu : first;
    }
    cr_assert(differ, "the replications draw the distribution");
    cr_assert_eq(nparse - before, 0, "%ld parses for 20 replications", nparse - before);
    free(sc);
    dcs_sweep_destroy(s);
}
