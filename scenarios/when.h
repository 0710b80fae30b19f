/*
 * when.h - the key table's clauses (schema.h `when`, `given_if`): whether a
 * key applies, said in words the struct can answer. One evaluator for both
 * users: the resolved YAML (emit.c: whether a key is written) and the
 * reader (reader.c f_refuse: whether a key given in the text is refused).
 *
 * A clause list is comma-separated; each clause may start with "!" to
 * negate it, and all must hold:
 *  - "key=a|b": sibling enumeration `key` has one of those names;
 *  - "key" or "a|b": one of those siblings is present (the caller says
 *    what present means: written, or given in the text);
 *  - ">0": the key's own value is above 0;
 *  - "dist": the key was given as a distribution (the caller says);
 *  - "<>key": the key's value differs from sibling key's.
 */
#ifndef DCS_WHEN_H
#define DCS_WHEN_H

#include "schema.h"

#include <stdbool.h>

/* What a clause asks of its caller. */
typedef struct dcs_when_env {
    /* whether sibling o (of section sec, at path) is present */
    bool (*present)(const void *arg, dcs_sec sec, const dcs_schema_key *o, const char *base,
                    const char *path);
    /* whether the key at path was given as a distribution; NULL: never */
    bool (*dist)(const void *arg, const char *path);
    const void *arg;
} dcs_when_env;

/* Whether every clause of `when` (NULL or "": none) holds for key k of
 * section sec, its field in the struct at base, its path "a.b.k". */
bool dcs_when_holds(const char *when, dcs_sec sec, const dcs_schema_key *k, const char *base,
                    const char *path, const dcs_when_env *env);

/* The name of the value of the first enumeration a "key=a|b" clause of
 * `when` names, in the struct at base, or NULL. */
const char *dcs_when_enum(const char *when, dcs_sec sec, const char *base);

/* The name of enum k's value v, or NULL. */
const char *dcs_enum_name(const dcs_schema_key *k, int v);

#endif
