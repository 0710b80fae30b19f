/*
 * when.c - the key table's clauses (when.h says them).
 */
#include "when.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define NAME_LEN 64
#define PATH_LEN 128

const char *dcs_enum_name(const dcs_schema_key *k, int v)
{
    for (int i = 0; k->names[i] != NULL; i++)
        if ((k->values != NULL ? k->values[i] : i) == v)
            return k->names[i];
    return NULL;
}

/* Whether `word` is among the '|'-separated names (n characters). */
static bool among(const char *names, size_t n, const char *word)
{
    size_t wl = strlen(word);
    for (const char *p = names; p < names + n;) {
        size_t l = strcspn(p, "|");
        if (l > (size_t)(names + n - p))
            l = (size_t)(names + n - p);
        if (l == wl && strncmp(p, word, l) == 0)
            return true;
        p += l + 1;
    }
    return false;
}

/* Whether sibling `name` (len characters) of section sec is present. */
static bool sibling_present(const dcs_when_env *env, dcs_sec sec, const char *name, size_t len,
                            const char *base, const char *parent)
{
    char nm[NAME_LEN], path[PATH_LEN];
    snprintf(nm, sizeof nm, "%.*s", (int)len, name);
    const dcs_schema_key *o = dcs_schema_find(sec, nm);
    if (o == NULL)
        return false;
    snprintf(path, sizeof path, "%.60s%s%.60s", parent, parent[0] != '\0' ? "." : "", nm);
    return env->present(env->arg, sec, o, base, path);
}

/* Whether one of the '|'-separated siblings in c (n characters) is present. */
static bool any_present(const dcs_when_env *env, dcs_sec sec, const char *c, size_t n,
                        const char *base, const char *path)
{
    const char *dot = strrchr(path, '.');
    char parent[PATH_LEN];
    snprintf(parent, sizeof parent, "%.*s", dot != NULL ? (int)(dot - path) : 0, path);
    for (const char *p = c; p < c + n;) {
        size_t l = strcspn(p, "|");
        if (l > (size_t)(c + n - p))
            l = (size_t)(c + n - p);
        if (sibling_present(env, sec, p, l, base, parent))
            return true;
        p += l + 1;
    }
    return false;
}

/* Whether k's value differs from sibling `name`'s (len characters). */
static bool differs(dcs_sec sec, const dcs_schema_key *k, const char *base, const char *name,
                    size_t len)
{
    char nm[NAME_LEN];
    snprintf(nm, sizeof nm, "%.*s", (int)len, name);
    const dcs_schema_key *o = dcs_schema_find(sec, nm);
    double a = dcs_schema_value(base, k), b = o != NULL ? dcs_schema_value(base, o) : (double)NAN;
    return memcmp(&a, &b, sizeof a) != 0;
}

/* Whether sibling enumeration `c` (up to '=') has one of the names after it. */
static bool enum_is(dcs_sec sec, const char *base, const char *c, const char *eq, size_t n)
{
    char nm[NAME_LEN];
    snprintf(nm, sizeof nm, "%.*s", (int)(eq - c), c);
    const dcs_schema_key *o = dcs_schema_find(sec, nm);
    const char *name = o != NULL && o->type == DCS_KT_ENUM
                           ? dcs_enum_name(o, (int)dcs_schema_value(base, o))
                           : NULL;
    return name != NULL && among(eq + 1, (size_t)(c + n - eq - 1), name);
}

/* One clause c (n characters, no "!") of key k. */
static bool clause(const dcs_when_env *env, dcs_sec sec, const dcs_schema_key *k, const char *base,
                   const char *path, const char *c, size_t n)
{
    if (n == 2 && strncmp(c, ">0", 2) == 0)
        return dcs_schema_value(base, k) > 0.0;
    if (n == 4 && strncmp(c, "dist", 4) == 0)
        return env->dist != NULL && env->dist(env->arg, path);
    if (n > 2 && strncmp(c, "<>", 2) == 0)
        return differs(sec, k, base, c + 2, n - 2);
    const char *eq = memchr(c, '=', n);
    if (eq != NULL)
        return enum_is(sec, base, c, eq, n);
    return any_present(env, sec, c, n, base, path);
}

const char *dcs_when_enum(const char *when, dcs_sec sec, const char *base)
{
    for (const char *c = when; c != NULL && *c != '\0';) {
        size_t n = strcspn(c, ",");
        const char *eq = memchr(c, '=', n);
        if (eq != NULL) {
            char nm[NAME_LEN];
            c += *c == '!';
            snprintf(nm, sizeof nm, "%.*s", (int)(eq - c), c);
            const dcs_schema_key *o = dcs_schema_find(sec, nm);
            if (o != NULL && o->type == DCS_KT_ENUM)
                return dcs_enum_name(o, (int)dcs_schema_value(base, o));
        }
        c += n + (c[n] == ',');
    }
    return NULL;
}

bool dcs_when_holds(const char *when, dcs_sec sec, const dcs_schema_key *k, const char *base,
                    const char *path, const dcs_when_env *env)
{
    for (const char *c = when; c != NULL && *c != '\0';) {
        size_t n = strcspn(c, ",");
        bool neg = *c == '!';
        if (n > 0 && clause(env, sec, k, base, path, c + neg, n - neg) == neg)
            return false;
        c += n + (c[n] == ',');
    }
    return true;
}
