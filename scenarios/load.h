/*
 * load.h - YAML scenario files to validated dcs_scenario structs.
 *
 * Every problem is reported as "file:line:column: key.path: message" through
 * err (code DCS_EINPUT): bad YAML, an unknown key, a wrong type, a bare
 * number where a unit is required (the message names the accepted units),
 * an out-of-range value, a missing required field, an unknown catalog key.
 * Positions are 1-based and point at the offending node (the value, or the
 * key for an unknown key). Defaults are filled in for every optional key.
 */
#ifndef DCSIM_SCENARIOS_LOAD_H
#define DCSIM_SCENARIOS_LOAD_H

#include "../models/config.h"
#include "../sim/status.h"

#include <stdbool.h>
#include <stddef.h>

struct dcs_corr_cache; /* models/correlation.h */

/* Loads and validates the scenario in file `path`. `sets` holds nsets
 * overrides "key.path=value" (from --set), applied to the YAML tree before
 * validation; a bad override is reported as "--set:1:col: key.path: ...".
 * On success fills *out and, if resolved_yaml is not NULL, sets
 * *resolved_yaml to a malloc'd YAML text of the resolved scenario (every key
 * with its effective value, defaults included) that loads back to the same
 * struct; the caller frees it. Returns 0, or DCS_EINPUT / DCS_EIO /
 * DCS_ENOMEM with err filled. */
int dcs_scenario_load(const char *path, const char *const *sets, size_t nsets, dcs_scenario *out,
                      char **resolved_yaml, dcs_err *err);

/* The same, from a string in memory; `name` stands for the file in
 * messages. */
int dcs_scenario_load_string(const char *text, const char *name, const char *const *sets,
                             size_t nsets, dcs_scenario *out, char **resolved_yaml, dcs_err *err);

/* An override written in another file (a sweep file) rather than on the
 * command line: the value of one key path, with the position of the path
 * and of the value in that file, so that an error in either is reported
 * there ("sweep.yaml:9:27: checkpoint.interval: ...") by the same code that
 * reports errors in the scenario file. All pointers are borrowed and must
 * outlive the load. */
typedef struct dcs_override {
    const char *path;  /* key path in --set syntax: "failures[0].mtbf" */
    const char *value; /* the value: the text of one YAML scalar, already unquoted */
    bool quoted;       /* written quoted: a string, never a null */
    const char *file;  /* the file the override was written in, for messages */
    long line, col;    /* 1-based position of the value */
    long path_line;    /* 1-based line of the path */
    long path_col;     /* 1-based column of the path's first character */
} dcs_override;

/* What to load: a scenario's text and the overrides to apply to it. */
struct dcs_world;

typedef struct dcs_scenario_input {
    const char *text; /* YAML text; borrowed */
    size_t len;       /* bytes of text */
    const char *name; /* the file name in messages; relative CSV paths resolve from its folder */
    const char *root_key;          /* NULL: the document is the scenario; else the scenario
                                      is the mapping under this top-level key (an inline
                                      scenario inside another file: errors give their real
                                      line and column, key paths are the scenario's own) */
    const char *const *sets;       /* --set "key.path=value" overrides, applied first */
    size_t nsets;                  /* number of sets */
    const dcs_override *overrides; /* then these, in order (a later one wins) */
    size_t noverrides;             /* number of overrides */
    bool paths_only;               /* apply the overrides and stop: checks their key paths
                                      (unknown key, index past the end), not the scenario */
    bool draw;                     /* a replication's own scenario: each distribution
                                      (uncertain input) is replaced by the value replication
                                      draw_rep draws from its key's stream under draw_seed,
                                      rather than by its nominal value */
    uint64_t draw_seed, draw_rep;
    /* with draw: the calling thread's block of correlated uniforms (correlation.h), kept
     * between its loads; borrowed; NULL: none */
    struct dcs_corr_cache *corr_cache;
    /* room the loader reads the scenario into before copying it to the output (one that is
     * reused saves a fresh 157 KB per load, page faults included); borrowed; NULL: allocated */
    dcs_scenario *scratch;
    bool checked; /* this very input passed dcs_scenario_check_runnable before (a sweep's point
                     after the sweep's load): skip that check, which makes a world */
    /* unless checked: shown the world the runnable check makes (runnable.h); NULL: nobody */
    int (*on_world)(void *ctx, struct dcs_world *w);
    void *on_world_ctx;
} dcs_scenario_input;

/* The general form of the loaders above: loads and validates in->text with
 * its overrides. out may be NULL when only the check or the resolved text
 * is wanted. Returns 0, or DCS_EINPUT / DCS_ENOMEM with err filled. */
int dcs_scenario_load_input(const dcs_scenario_input *in, dcs_scenario *out, char **resolved_yaml,
                            dcs_err *err);

/* A scenario's text parsed once, with its --set applied: what
 * dcs_scenario_build makes scenarios from, each with overrides of its own
 * (a sweep's points, a replication's draws), without parsing the text
 * again. Read-only once made: several threads may build from one at once. */
typedef struct dcs_parsed dcs_parsed;

/* Parses in->text (name, root_key) and applies in->sets; in->noverrides > 0
 * says overrides will follow (a file that is not a mapping is then refused
 * here, as dcs_scenario_load_input does). On success *out owns a new parsed
 * text (free with dcs_parsed_free). Returns 0, or DCS_EINPUT / DCS_ENOMEM
 * with err filled and *out NULL. */
int dcs_scenario_parse(const dcs_scenario_input *in, dcs_parsed **out, dcs_err *err);

/* What dcs_scenario_load_input does after parsing: applies in->overrides
 * (in order) to a copy of b's tree, then unless in->paths_only reads and
 * checks the scenario, drawing the uncertain inputs when in->draw. The text,
 * name, root and sets of in are not used (b holds them). Returns as
 * dcs_scenario_load_input. */
int dcs_scenario_build(const dcs_parsed *b, const dcs_scenario_input *in, dcs_scenario *out,
                       char **resolved_yaml, dcs_err *err);

/* The number of distributions (uncertain inputs) in b: 0 means no build
 * from it has any, since an override is a single value. */
int dcs_parsed_ndist(const dcs_parsed *b);

/* Frees b; NULL is a no-op. */
void dcs_parsed_free(dcs_parsed *b);
/* A scenario's text parsed once, its overrides applied, its distributions
 * found and its correlation read: what every replication of it loads again
 * with its own draws, without parsing the text again. Read only once
 * made, so that several threads may load from one base at once. */
typedef struct dcs_scenario_base dcs_scenario_base;

/* The base of in (in->draw, its seed and replication, and in->paths_only
 * are not used): NULL with err filled on any error the first half of
 * dcs_scenario_load_input would give. in's text, names and overrides are
 * borrowed and must outlive the base. */
dcs_scenario_base *dcs_scenario_base_create(const dcs_scenario_input *in, dcs_err *err);

/* What dcs_scenario_load_input(in) gives into *out, for in with .draw =
 * draw, .draw_seed = seed, .draw_rep = rep and .corr_cache = cache, the
 * rest as given to the base. out may be NULL. Returns 0, or DCS_EINPUT /
 * DCS_ENOMEM with err filled. */
int dcs_scenario_base_load(const dcs_scenario_base *b, bool draw, uint64_t seed, uint64_t rep,
                           struct dcs_corr_cache *cache, dcs_scenario *out, dcs_err *err);

/* Frees b; NULL is a no-op. */
void dcs_scenario_base_destroy(dcs_scenario_base *b);

/* Reads the whole file `path` into a malloc'd, NUL-terminated *text of *len
 * bytes (the caller frees it). Returns 0; DCS_EINPUT ("cannot open PATH:
 * reason") when it cannot be opened; DCS_EIO or DCS_ENOMEM. */
int dcs_scenario_read_file(const char *path, char **text, size_t *len, dcs_err *err);

/* Loads a catalog file of one's own (what a scenario's `catalog:` names; its
 * top level is `accelerators:`, a list of entries with every figure and
 * the source of each) into *out, with the checks a scenario's catalog gets:
 * errors are "path:line:column: accelerators[i].key: message". Returns 0, or
 * DCS_EINPUT / DCS_EIO / DCS_ENOMEM with err filled. */
int dcs_user_catalog_load(const char *path, dcs_user_catalog *out, dcs_err *err);

/* Writes into dst (size n) the loader's message for an unknown key `key`
 * among the NULL-terminated `known`: "unknown key; did you mean "x"?" when a
 * known key is within two edits, else "unknown key; expected one of ...". */
void dcs_scenario_suggest_key(char *dst, size_t n, const char *const *known, const char *key);

#endif /* DCSIM_SCENARIOS_LOAD_H */
