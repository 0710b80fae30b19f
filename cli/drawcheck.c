/*
 * drawcheck.c - every replication's draws checked before anything runs
 * (drawcheck.h).
 */
#include "drawcheck.h"

#include "correlation.h"
#include "rng.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Writes input u's value v into dst: its text for a choice among names,
 * else the number and its unit. */
static void value_text(char *dst, size_t n, const dcs_uncertain *u, double v)
{
    if (u->text && v >= 0.0 && v < (double)DCS_UNC_MAX_CHOICES)
        snprintf(dst, n, "%s", u->texts[(int)v]);
    else
        snprintf(dst, n, "%.6g%s%s", v, u->unit[0] != '\0' ? " " : "", u->unit);
}

/* Writes "K = V, ..." of every input drawn into dst, as many as fit in 100
 * characters. */
static void list_values(char *dst, size_t n, const dcs_scenario *s, const double *v)
{
    for (int i = 0; i < s->nuncertain; i++) {
        if (s->uncertain[i].set)
            continue;
        char val[64], one[224];
        value_text(val, sizeof val, &s->uncertain[i], v[i]);
        snprintf(one, sizeof one, "%s = %s", s->uncertain[i].path, val);
        size_t len = strlen(dst);
        if (len + strlen(one) + 2 > 100) {
            snprintf(dst + len, n - len, "%s...", len > 0 ? ", " : "");
            return;
        }
        snprintf(dst + len, n - len, "%s%s", len > 0 ? ", " : "", one);
    }
}

/* Rewrites err's message as "replication R draws V: message" when the key
 * the loader names is an input drawn, else as "replication R draws K = V,
 * ...: message" with every input drawn (as many as fit in 100 characters). */
static int explain(const dcs_scenario *s, uint64_t seed, uint64_t rep, dcs_err *err)
{
    double v[DCS_MAX_UNCERTAIN];
    dcs_err scratch;
    gsl_rng *r = dcs_rng_create(&scratch);
    int rc = r != NULL ? dcs_uncertain_values(s, r, seed, rep, v, &scratch) : DCS_ENOMEM;
    if (r != NULL)
        gsl_rng_free(r);
    if (rc != 0)
        return err->code; /* the loader's message alone */
    char list[160] = "";
    int named = -1;
    for (int i = 0; i < s->nuncertain; i++)
        if (!s->uncertain[i].set && strcmp(s->uncertain[i].path, err->key) == 0)
            named = i;
    if (named >= 0)
        value_text(list, sizeof list, &s->uncertain[named], v[named]);
    else
        list_values(list, sizeof list, s, v);
    char msg[sizeof list + sizeof err->msg + 64];
    snprintf(msg, sizeof msg, "replication %llu draws %s: %s", (unsigned long long)rep, list,
             err->msg);
    size_t n = strlen(msg); /* cut to the message's room */
    n = n < sizeof err->msg ? n : sizeof err->msg - 1;
    memcpy(err->msg, msg, n);
    err->msg[n] = '\0';
    return err->code;
}

int dcs_drawcheck(dcs_drawcheck_fn *load, void *ctx, size_t p, const dcs_scenario *nominal,
                  uint64_t seed, uint64_t nreps, int nthreads, dcs_err *err)
{
    int drawn = 0; /* inputs not set to a plain value */
    for (int i = 0; i < nominal->nuncertain; i++)
        drawn += !nominal->uncertain[i].set;
    if (drawn == 0 || nreps == 0)
        return 0;
    uint64_t first = UINT64_MAX; /* the first failing replication */
    dcs_err first_err;
    dcs_err_clear(&first_err);
    int nt = nthreads > 0 ? nthreads : omp_get_max_threads();
#pragma omp parallel num_threads(nt)
    {
        dcs_scenario *sc = malloc(sizeof *sc);
        dcs_corr_cache *cache = malloc(sizeof *cache); /* this thread's; NULL: none */
        if (cache != NULL)
            dcs_corr_cache_init(cache);
        dcs_err e;
#pragma omp for schedule(dynamic, 8)
        for (int64_t i = 0; i < (int64_t)nreps; i++) {
            uint64_t rep = (uint64_t)i, known;
#pragma omp atomic read
            known = first;
            if (rep > known)
                continue;
            int rc = sc != NULL ? load(ctx, p, true, seed, rep, cache, sc, &e)
                                : dcs_err_set(&e, DCS_ENOMEM, "out of memory");
            if (rc != 0) {
#pragma omp critical(dcs_drawcheck)
                if (rep < first) {
#pragma omp atomic write
                    first = rep;
                    first_err = e;
                }
            }
        }
        free(cache);
        free(sc);
    }
    if (first == UINT64_MAX)
        return 0;
    *err = first_err;
    return err->code == DCS_EINPUT ? explain(nominal, seed, first, err) : err->code;
}
