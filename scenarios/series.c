/*
 * series.c - the store of hourly CSV series (series.h): a list of
 * (file text, lower bound, values) under one mutex, searched by a hash of
 * the text. A scenario names a handful of files at most, so a list is
 * enough; the file text is kept so that an edited file is read again.
 */
#include "series.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
    struct entry *next;
    uint64_t hash; /* FNV-1a of the text */
    char *text;    /* the file as read; owned */
    size_t len;
    double lo;
    double *v; /* [n]; owned, never changed */
    int n;
} entry;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static entry *head; /* reachable until the process ends */

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* The entry of (text, lo), or NULL; the caller holds the lock. */
static entry *find(uint64_t h, const char *text, size_t len, double lo)
{
    for (entry *e = head; e != NULL; e = e->next)
        if (e->hash == h && e->len == len && e->lo == lo && memcmp(e->text, text, len) == 0)
            return e;
    return NULL;
}

const double *dcs_series_find(const char *text, size_t len, double lo, int *count)
{
    uint64_t h = fnv1a(text, len);
    pthread_mutex_lock(&lock);
    const entry *e = find(h, text, len, lo);
    pthread_mutex_unlock(&lock);
    if (e == NULL)
        return NULL;
    *count = e->n;
    return e->v;
}

const double *dcs_series_put(const char *text, size_t len, double lo, const double *v, int n)
{
    uint64_t h = fnv1a(text, len);
    pthread_mutex_lock(&lock);
    entry *e = find(h, text, len, lo);
    if (e == NULL && (e = calloc(1, sizeof *e)) != NULL) {
        e->text = malloc(len + 1);
        e->v = malloc((size_t)(n > 0 ? n : 1) * sizeof *e->v);
        if (e->text == NULL || e->v == NULL) {
            free(e->text);
            free(e->v);
            free(e);
            e = NULL;
        } else {
            memcpy(e->text, text, len);
            e->text[len] = '\0';
            memcpy(e->v, v, (size_t)n * sizeof *v);
            e->hash = h;
            e->len = len;
            e->lo = lo;
            e->n = n;
            e->next = head;
            head = e;
        }
    }
    pthread_mutex_unlock(&lock);
    return e != NULL ? e->v : NULL;
}
