/*
 * yamlnode.h - what the scenario loader and the sweep loader both ask of a
 * libyaml node. Private to scenarios/ (the only code that sees libyaml).
 */
#ifndef DCSIM_SCENARIOS_YAMLNODE_H
#define DCSIM_SCENARIOS_YAMLNODE_H

#include <stdbool.h>
#include <string.h>
#include <yaml.h>

/* A plain scalar that YAML reads as null: empty, ~, null, Null or NULL.
 * Every key refuses it: leaving a key out is how one asks for its default. */
static inline bool dcs_yaml_is_null(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *v = (const char *)n->data.scalar.value;
    return v[0] == '\0' || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
           strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

#endif /* DCSIM_SCENARIOS_YAMLNODE_H */
