/*
 * sweep_sample.c - the sampled blocks of a sweep's design (sweep_priv.h):
 * lhs (a Latin hypercube on a Philox stream keyed by the block's seed),
 * sobol (GSL's Sobol sequence) and saltelli (the Sobol'-index design), each
 * value written in the unit of its range's low end with round-trip
 * precision.
 */
#include "sweep_priv.h"

#include "../sim/rng.h"

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* LHS draws come from stream 0 of replication 0 under the block's seed:
 * a design generator of its own, separate from any simulation stream. */
#define LHS_REPLICATION 0
#define LHS_STREAM      0

/* A range [low, high] of key path `path`: both ends numbers, percentages
 * or quantities of one kind, low <= high. Sets the ends, and lo/hi in the
 * unit of the low end, the unit's factor and where it starts in lo. */
static int read_range(parser *P, const yaml_node_t *n, const char *path, bkey *bk, double *lo,
                      double *hi, double *factor, size_t *unit)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return sw_fail(P, n, path, "expected a range [low, high], got %s", sw_what(n));
    if (sw_nitems(n) != 2)
        return sw_fail(P, n, path, "expected a range [low, high], got %zu values", sw_nitems(n));
    int kind[2];
    double si[2], f[2];
    size_t u[2];
    int rc;
    bk->sampled = true;
    for (int e = 0; e < 2; e++) {
        const yaml_node_t *end = sw_node_at(P, n->data.sequence.items.start[e]);
        const char *text;
        if ((rc = sw_scalar_text(P, end, path, "a number or a quantity", &text)) ||
            (rc = sw_sval_of_node(P, end, path, &bk->ends[e])))
            return rc;
        if (!sw_classify(text, &kind[e], &si[e], &f[e], &u[e]))
            return sw_fail(
                P, end, path,
                "expected a number or a quantity with its unit at each end of the range, "
                "got \"%.60s\"",
                text);
    }
    const char *lt = bk->ends[0].text, *ht = bk->ends[1].text;
    if (kind[0] != kind[1])
        return sw_fail(P, n, path,
                       "the ends of a range must be of one kind: \"%.40s\" is %s, \"%.40s\" is %s",
                       lt, sw_kind_name(kind[0]), ht, sw_kind_name(kind[1]));
    if (si[0] > si[1])
        return sw_fail(P, n, path, "the low end \"%.40s\" is above the high end \"%.40s\"", lt, ht);
    size_t nlen = u[0];
    while (nlen > 0 && lt[nlen - 1] == ' ')
        nlen--;
    sw_plain_number(lt, nlen, lo);
    *hi = si[1] / f[0];
    *factor = f[0];
    *unit = u[0];
    return 0;
}

/* Writes the sampled value lo + (hi - lo) t, in the unit of the low end,
 * into bk->vals[i]. */
static int put_sample(bkey *bk, size_t i, double lo, double hi, size_t unit, double t, dcs_err *err)
{
    double x = lo + (hi - lo) * t;
    /* Rounding may step past an end; a sampled value stays in [lo, hi]. */
    if (x > hi)
        x = hi;
    if (x < lo)
        x = lo;
    const char *suffix = bk->ends[0].text + unit;
    char num[40], text[96], shortv[40];
    sw_round_trip(num, sizeof num, x);
    snprintf(text, sizeof text, "%s%s", num, suffix);
    int rc = sw_sval_init(&bk->vals[i], text, false, bk->range_line, bk->range_col, err);
    if (rc)
        return rc;
    sw_short_num(shortv, sizeof shortv, x);
    snprintf(text, sizeof text, "%s%s", shortv, suffix);
    if ((bk->vals[i].label = strdup(text)) == NULL)
        return sw_oom(err);
    bk->nvals = i + 1;
    return 0;
}

/* The ranges of a sampled block: each key's ends in the unit of its low
 * end, where that unit starts in the low end's text, and room for one
 * vector of the sequence (dim coordinates). */
typedef struct ranges {
    double *lo, *hi, *x;
    size_t *unit;
} ranges;

static void ranges_fini(ranges *r)
{
    free(r->lo);
    free(r->hi);
    free(r->x);
    free(r->unit);
}

/* Reads the d ranges of mapping rn into b's keys (each with room for
 * b->nrows values) and r (a vector of dim coordinates). */
static int read_ranges(parser *P, dcs_sweep *s, const yaml_node_t *rn, size_t d, size_t dim,
                       block *b, ranges *r)
{
    b->keys = calloc(d, sizeof *b->keys);
    r->lo = calloc(d, sizeof *r->lo);
    r->hi = calloc(d, sizeof *r->hi);
    r->x = calloc(dim, sizeof *r->x);
    r->unit = calloc(d, sizeof *r->unit);
    if (b->keys == NULL || r->lo == NULL || r->hi == NULL || r->x == NULL || r->unit == NULL)
        return sw_oom(P->err);
    for (size_t j = 0; j < d; j++) {
        const yaml_node_pair_t *pr = &rn->data.mapping.pairs.start[j];
        const yaml_node_t *k = sw_node_at(P, pr->key), *v = sw_node_at(P, pr->value);
        bkey *bk = &b->keys[j];
        double factor;
        int rc = sw_bkey_init(P, s, k, bk);
        if (rc)
            return rc;
        b->nkeys++;
        if ((rc = read_range(P, v, (const char *)k->data.scalar.value, bk, &r->lo[j], &r->hi[j],
                             &factor, &r->unit[j])))
            return rc;
        /* A sampled value is reported at its range. */
        bk->range_line = sw_line_of(v);
        bk->range_col = sw_col_of(v);
        if ((bk->vals = calloc(b->nrows, sizeof *bk->vals)) == NULL)
            return sw_oom(P->err);
    }
    return 0;
}

/* The ranges mapping at bpath.ranges of block n: present, a mapping, not
 * empty; *d is its number of keys. */
static int ranges_node(parser *P, const yaml_node_t *n, const char *bpath, const yaml_node_t **rn,
                       size_t *d)
{
    char kp[PATH_LEN];
    sw_keypath(kp, "%s.ranges", bpath);
    *rn = sw_lookup(P, n, "ranges");
    if (*rn == NULL)
        return sw_fail(P, n, kp, "missing required key");
    if ((*rn)->type != YAML_MAPPING_NODE)
        return sw_fail(P, *rn, kp, "expected a mapping of key paths to ranges [low, high], got %s",
                       sw_what(*rn));
    *d = sw_npairs(*rn);
    if (*d == 0)
        return sw_fail(P, *rn, kp, "no ranges; give at least one key path with its [low, high]");
    return 0;
}

/* saltelli: {points: N, ranges: {key path: [low, high]}}, the design that
 * Sobol' sensitivity indices are estimated from (Saltelli et al. 2010,
 * "Variance based sensitivity analysis of model output", Comput. Phys.
 * Commun. 181: 259-270). Base sample j is the j-th vector of GSL's Sobol
 * sequence of dimension 2d after its first (the centre): its first d
 * coordinates are row A_j, its last d row B_j. The block's rows are N
 * groups of d + 2, in the order A_j, AB_j^(1) ... AB_j^(d) (A_j with
 * coordinate i taken from B_j), B_j, so that N (d + 2) points run and the
 * reader (analysis/python/dcsim_reader/sensitivity.py) finds the groups by
 * position. It refuses more than DCS_SWEEP_SOBOL_MAX_DIM / 2 ranges. */
static int read_saltelli(parser *P, dcs_sweep *s, const yaml_node_t *n, const char *kp_points,
                         const char *bpath, block *b)
{
    const yaml_node_t *pn = sw_lookup(P, n, "points"), *rn;
    char kp[PATH_LEN], why[128];
    uint64_t base = 0;
    size_t d;
    if (pn == NULL)
        return sw_fail(P, n, kp_points, "missing required key");
    int rc = ranges_node(P, n, bpath, &rn, &d);
    if (rc)
        return rc;
    sw_keypath(kp, "%s.ranges", bpath);
    if (2 * d > DCS_SWEEP_SOBOL_MAX_DIM)
        return sw_fail(P, rn, kp,
                       "%zu ranges; a Saltelli design draws 2 x %zu dimensions from GSL's Sobol "
                       "sequence, which has at most %d",
                       d, d, DCS_SWEEP_SOBOL_MAX_DIM);
    snprintf(why, sizeof why,
             "the design runs points x (ranges + 2) = points x %zu, and a sweep "
             "has at most %d points",
             d + 2, DCS_SWEEP_MAX_POINTS);
    if ((rc = sw_count_of(P, pn, kp_points, 2, DCS_SWEEP_MAX_POINTS / (d + 2), why, &base)) ||
        (rc = sw_check_keys(P, rn, kp, NULL)))
        return rc;
    b->nrows = (size_t)base * (d + 2);
    ranges r = {0};
    gsl_qrng *q = NULL;
    if ((rc = read_ranges(P, s, rn, d, 2 * d, b, &r)) == 0 &&
        (q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * d))) == NULL)
        rc = sw_oom(P->err);
    if (rc == 0)
        gsl_qrng_get(q, r.x); /* the centre: every coordinate 0.5, the same in A and B */
    for (size_t g = 0; g < (size_t)base && rc == 0; g++) {
        gsl_qrng_get(q, r.x);
        for (size_t row = 0; row < d + 2 && rc == 0; row++) {
            /* Row 0 of the group is A, 1..d take coordinate row - 1 from B, d + 1 is B. */
            for (size_t j = 0; j < d && rc == 0; j++) {
                int from_b = row == d + 1 || row == j + 1;
                rc = put_sample(&b->keys[j], g * (d + 2) + row, r.lo[j], r.hi[j], r.unit[j],
                                r.x[from_b ? d + j : j], P->err);
            }
        }
    }
    gsl_qrng_free(q);
    ranges_fini(&r);
    return rc;
}

/* Point i of a sobol block is the i-th vector of GSL's Sobol sequence (the
 * first is (0.5, ..., 0.5); the origin is not returned). */
static int sample_sobol(parser *P, block *b, size_t d, ranges *r)
{
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)d);
    int rc = q != NULL ? 0 : sw_oom(P->err);
    for (size_t i = 0; i < b->nrows && rc == 0; i++) {
        gsl_qrng_get(q, r->x);
        for (size_t j = 0; j < d && rc == 0; j++)
            rc = put_sample(&b->keys[j], i, r->lo[j], r->hi[j], r->unit[j], r->x[j], P->err);
    }
    gsl_qrng_free(q);
    return rc;
}

/* Latin hypercube: in each dimension a random permutation puts point i in
 * stratum perm[i] of n equal strata, at a uniform position inside it. */
static int sample_lhs(parser *P, block *b, size_t d, uint64_t seed, ranges *r)
{
    size_t *perm = calloc(b->nrows, sizeof *perm);
    gsl_rng *rng = perm != NULL ? dcs_rng_create(P->err) : NULL;
    int rc = perm == NULL ? sw_oom(P->err) : rng == NULL ? DCS_ENOMEM : 0;
    if (rc == 0)
        dcs_rng_key(rng, seed, LHS_REPLICATION, LHS_STREAM);
    for (size_t j = 0; j < d && rc == 0; j++) {
        for (size_t i = 0; i < b->nrows; i++)
            perm[i] = i;
        gsl_ran_shuffle(rng, perm, b->nrows, sizeof *perm);
        for (size_t i = 0; i < b->nrows && rc == 0; i++) {
            double t = ((double)perm[i] + gsl_rng_uniform(rng)) / (double)b->nrows;
            rc = put_sample(&b->keys[j], i, r->lo[j], r->hi[j], r->unit[j], t, P->err);
        }
    }
    gsl_rng_free(rng);
    free(perm);
    return rc;
}

/* lhs / sobol: {points, seed (lhs), ranges: {key path: [low, high]}}. */
int sw_read_sampled(parser *P, dcs_sweep *s, const yaml_node_t *n, const char *bpath, block *b)
{
    static const char *const lhs_keys[] = {"points", "seed", "ranges", NULL};
    bool sobol = b->kind == B_SOBOL || b->kind == B_SALTELLI;
    char kp[PATH_LEN];
    if (n->type != YAML_MAPPING_NODE)
        return sw_fail(P, n, bpath, "expected a mapping with points and ranges, got %s",
                       sw_what(n));
    /* The keys of lhs are checked for both, so that a seed in a sobol
     * block gets its own message. */
    int rc = sw_check_keys(P, n, bpath, lhs_keys);
    if (rc)
        return rc;
    const yaml_node_t *sd = sw_lookup(P, n, "seed");
    if (sobol && sd != NULL) {
        sw_keypath(kp, "%s.seed", bpath);
        return sw_fail(P, sd, kp, "is only used with lhs (GSL's Sobol sequence has no seed)");
    }
    sw_keypath(kp, "%s.points", bpath);
    if (b->kind == B_SALTELLI)
        return read_saltelli(P, s, n, kp, bpath, b);
    const yaml_node_t *pn = sw_lookup(P, n, "points"), *rn;
    uint64_t points = 0, seed = 1;
    if (pn == NULL)
        return sw_fail(P, n, kp, "missing required key");
    char why[96];
    snprintf(why, sizeof why, "a sweep has at most %d points", DCS_SWEEP_MAX_POINTS);
    if ((rc = sw_count_of(P, pn, kp, 1, DCS_SWEEP_MAX_POINTS, why, &points)))
        return rc;
    sw_keypath(kp, "%s.seed", bpath);
    if (sd != NULL && (rc = sw_count_of(P, sd, kp, 0, UINT64_MAX, "use 0 to 2^64 - 1", &seed)))
        return rc;
    size_t d;
    if ((rc = ranges_node(P, n, bpath, &rn, &d)))
        return rc;
    sw_keypath(kp, "%s.ranges", bpath);
    if (sobol && d > DCS_SWEEP_SOBOL_MAX_DIM)
        return sw_fail(P, rn, kp, "%zu ranges; GSL's Sobol sequence has at most %d dimensions", d,
                       DCS_SWEEP_SOBOL_MAX_DIM);
    if ((rc = sw_check_keys(P, rn, kp, NULL)))
        return rc;
    b->nrows = (size_t)points;
    ranges r = {0};
    if ((rc = read_ranges(P, s, rn, d, d, b, &r)) == 0)
        rc = sobol ? sample_sobol(P, b, d, &r) : sample_lhs(P, b, d, seed, &r);
    ranges_fini(&r);
    return rc;
}
