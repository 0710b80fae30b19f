/*
 * yaml_load.h - YAML text to libyaml's document tree in one pass over the
 * parser's events, with dcs_input_check_yaml's limits checked on the way
 * (input_limits.h): what that check followed by yaml_parser_load gave, the
 * same tree and the same first error, for one parse of the text rather than
 * two.
 */
#ifndef DCSIM_SCENARIOS_YAML_LOAD_H
#define DCSIM_SCENARIOS_YAML_LOAD_H

#include "status.h"

#include <stdbool.h>

#include <yaml.h>

/* dcs_yaml_load_checked's return where libyaml failed: positive, unlike every DCS_E*. */
#define DCS_YAML_FAILED 1

/* Loads the first document of p's input (set) into *doc, as yaml_parser_load does, and reads
 * the second as a further yaml_parser_load would (to refuse it): *second is whether it has a
 * root node, *second_mark that root's start. Every event of the stream up to the first syntax
 * error passes dcs_input_check_event (positions in name). Returns 0; DCS_EINPUT or DCS_ENOMEM
 * from the check, with err filled; or DCS_YAML_FAILED where a yaml_parser_load would have
 * failed: p's error, problem, problem_mark and context then say what it would have said. *doc
 * is always left to yaml_document_delete (empty on failure). */
int dcs_yaml_load_checked(yaml_parser_t *p, yaml_document_t *doc, bool *second,
                          yaml_mark_t *second_mark, const char *name, dcs_err *err);

#endif /* DCSIM_SCENARIOS_YAML_LOAD_H */
