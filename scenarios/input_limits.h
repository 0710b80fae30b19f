/*
 * input_limits.h - what the loaders refuse before they parse (issue 16): inputs
 * that are not regular files, and inputs larger than a cap. Kept apart from
 * the loaders themselves so that every loader (scenario, sweep, CSV series,
 * standard input) calls the same entry points.
 */
#ifndef DCSIM_SCENARIOS_INPUT_LIMITS_H
#define DCSIM_SCENARIOS_INPUT_LIMITS_H

#include "status.h"

#include <stddef.h>

#include <yaml.h>

/* The largest scenario, sweep or standard input read: 16 MiB. The largest
 * shipped file is under 20 KB; a scenario of this size is a mistake (or
 * /dev/zero), and reading it must not take the machine's memory. */
#define DCS_INPUT_MAX_BYTES ((size_t)16 << 20)

/* Reads the whole file at path into *text (NUL-terminated, *len bytes; free
 * with free()). Refuses with DCS_EINPUT a path that cannot be opened, that
 * is not a regular file (a directory, FIFO, device: "dd is a directory;
 * give a scenario file"), or that holds more than DCS_INPUT_MAX_BYTES; a
 * read error is DCS_EIO. `what` names the file's role in messages ("a
 * scenario file"). */
int dcs_input_read_file(const char *path, const char *what, char **text, size_t *len, dcs_err *err);

/* DCS_EINPUT when len is above DCS_INPUT_MAX_BYTES ("<stdin> holds more
 * than 16 MiB ..."), else 0. */
int dcs_input_check_size(const char *name, size_t len, dcs_err *err);

/* The deepest nesting of mappings and lists a YAML input may have. A
 * scenario nests 4 levels, a sweep with an inline base 7; libyaml's time
 * grows with the square of the depth (20,000 levels took 7 s). */
#define DCS_INPUT_MAX_DEPTH 64

/* A pass over YAML text, event by event, made before it is loaded: refuses
 * (DCS_EINPUT, "name:line:column: ...") nesting deeper than
 * DCS_INPUT_MAX_DEPTH, found while parsing, so that a deep file costs no
 * more than its first DCS_INPUT_MAX_DEPTH levels; and a YAML tag (!!binary,
 * !foo), which dcsim would otherwise ignore. Text that is not valid YAML
 * passes: the loader that follows says where and why. `line0` and `col0`
 * shift positions for text that starts inside a line of another input (a
 * --set value); 0 for a file. */
int dcs_input_check_yaml(const char *text, size_t len, const char *name, long line0, long col0,
                         dcs_err *err);

/* dcs_input_check_yaml's check of one event: depth, the nesting before it (updated); 0, or
 * DCS_EINPUT with err's message and position. */
int dcs_input_check_event(const yaml_event_t *ev, int *depth, const char *name, long line0,
                          long col0, dcs_err *err);

#endif /* DCSIM_SCENARIOS_INPUT_LIMITS_H */
