/*
 * loader.h - what the parts of the scenario loader share (private to
 * scenarios/): the loader's state, a section of the document being read,
 * and the functions one part calls in another. load.c has the entry points
 * and the --set path walk; reader.c the positions, messages, typed values and
 * sections; read_core.c, read_energy.c and read_money.c the readers of the
 * scenario's sections; read_dist.c the uncertain inputs.
 */
#ifndef DCSIM_SCENARIOS_LOADER_H
#define DCSIM_SCENARIOS_LOADER_H

#include "emit.h"
#include "input_limits.h"
#include "load.h"
#include "runnable.h"
#include "validate.h"

#include "../models/catalog.h"
#include "../models/checkpoint.h"
#include "../models/correlation.h"
#include "../models/estimate.h"
#include "../models/ledger.h"
#include "../models/power.h"
#include "../models/run.h"
#include "../models/uncertain.h"
#include "../sim/rng.h"
#include "schema.h"
#include "units.h"
#include "yamlnode.h"

#include <yaml.h>

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PATH_LEN 128

/* 1 y = 365.25 d, the year of the units table: an annual failure rate of
 * 1 means a mean time to failure of exactly "1y". */
#define YEAR_S (365.25 * 86400.0)

/* The sections of the schema and the keys each may hold: the key table
 * (schema.h, keys_*.c). */
typedef dcs_sec ctx;

/* Room for the key names of any section and their NULL. */
#define KEYS_MAX 48

/* Where a node came from: the document itself (file == NULL), or an
 * override written elsewhere: a --set argument ("--set", line 1) or another
 * file such as a sweep file. */
typedef struct origin {
    const char *file; /* borrowed; outlives the load */
    long line, col;
} origin;

typedef struct loader {
    yaml_document_t doc;
    const char *file;
    int root;     /* node id of the scenario mapping: 1, or the value of the root key */
    origin *orig; /* indexed by node id; [0] unused */
    size_t norig;
    dcs_err *err;
    bool power_default; /* read an absent power section as `power: {}` (read_money.c) */
    double share[DCS_MAX_FAILURE_CLS]; /* failures[i].share, or 0 */
    const yaml_node_t *share_node[DCS_MAX_FAILURE_CLS];
    /* distributions (uncertain inputs) */
    char dpath[DCS_MAX_UNCERTAIN][PATH_LEN]; /* their key paths, in document order */
    int ndist;
    dcs_uncertain *unc; /* [ndist], in the scenario being read */
    bool draw;          /* a replication's own load: draw each value */
    uint64_t draw_seed, draw_rep;
    gsl_rng *rng;                 /* when draw */
    const dcs_correlation *corr;  /* uncertain.correlation, when it correlates anything */
    double cu[DCS_MAX_UNCERTAIN]; /* when draw: each correlated key's uniform (corr->keys) */
} loader;

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

#if defined(__GNUC__)
#define SENTINEL __attribute__((sentinel))
#else
#define SENTINEL
#endif

typedef enum { R_ANY, R_GE0, R_GT0 } range;

typedef struct section {
    const yaml_node_t *map; /* the mapping, NULL when the section is absent */
    const yaml_node_t *pos; /* where a missing key is reported: map or an ancestor */
    char path[PATH_LEN];    /* "" at the top, "cluster", "failures[2]" */
    ctx c;
} section;

/* A list of mappings (open_list, open_item) and the words of its messages. */
typedef struct list_spec {
    const char *what;  /* "expected a list of WHAT" */
    const char *many;  /* "at most MAX MANY", MAX the key's max_items in the table */
    bool counted;      /* and ", got N" */
    const char *empty; /* why an empty list is refused; NULL: allowed */
    bool null_list;    /* a list, or an item, with no value says "no value" (else "a scalar") */
    bool null_item;
} list_spec;

typedef struct list {
    const yaml_node_t *node; /* NULL when the key is absent */
    char path[PATH_LEN];
    int n;
    ctx c;                 /* the section of its items */
    const section *parent; /* the section it is a key of */
} item_list;

/* Reads item i of list l (a mapping, its keys checked) into arg. */
typedef int item_fn(loader *L, const section *item, int i, const item_list *l, void *arg);

/* reader.c */
const char *const *keys_of(ctx c, const char **buf);
ctx child_ctx(ctx c, const char *key, bool *is_list);
yaml_node_t *node_at(const loader *L, int id);
int node_id(const loader *L, const yaml_node_t *n);
int note_origin(loader *L, int id, const char *file, long line, long col);
void where_node(loader *L, const yaml_node_t *n);
int fail_at(loader *L, const yaml_node_t *n, const char *path, const char *fmt, ...)
    PRINTF_LIKE(4, 5);
int fail_pos(loader *L, const char *file, long line, long col, const char *path, const char *fmt,
             ...) PRINTF_LIKE(6, 7);
void join(char *dst, const char *parent, const char *key);
size_t edit_distance(const char *a, const char *b);
bool in_list(const char *const *names, const char *s);
void unknown_key_msg(char *dst, size_t n, const char *const *known, const char *key);
const char *type_name(const yaml_node_t *n);
int scalar_text(loader *L, const yaml_node_t *n, const char *path, const char *want,
                const char **text);
int file_of(loader *L, const yaml_node_t *n, const char *path, const char *want, char *file,
            size_t cap);
bool read_number(const char *text, double *out);
int number_of(loader *L, const yaml_node_t *n, const char *path, range r, double *out);
int quantity_of(loader *L, const yaml_node_t *n, const char *path, dcs_dim dim, range r,
                double *out);
int unsigned_of(loader *L, const yaml_node_t *n, const char *path, uint64_t *out);
int enum_of(loader *L, const yaml_node_t *n, const char *path, const char *const *names, int *out);
int string_of(loader *L, const yaml_node_t *n, const char *path, char *dst, size_t cap);
const yaml_node_t *lookup(const loader *L, const yaml_node_t *map, const char *key);
const yaml_node_t *get(const loader *L, const section *sec, const char *key, char *path);
int missing(loader *L, const section *sec, const char *key, const char *hint);
int need(loader *L, const section *sec, const char *key, const char *hint, char *path,
         const yaml_node_t **n);
int check_keys(loader *L, const section *sec);
int open_section(loader *L, const section *parent, const char *key, ctx c, bool required,
                 section *out);
int at_most(loader *L, const section *s, const char *key, int64_t v, int64_t hi, const char *why);
int f_forbid(loader *L, const section *s, const char *key, const char *why);
/* Refuses each key given in s whose table entry has a refusal and whose
 * clause (given_if, else when; when.h) is false for the struct at base:
 * the table's refusal at the key's position (its "%s" the value of the
 * enumeration the clause names). Call it once the keys the
 * clauses name are read, before the keys they refuse. */
int f_refuse(loader *L, const section *s, const void *base);
int read_sources(loader *L, const section *top, dcs_scenario *s);
int read_key(loader *L, const section *s, const dcs_schema_key *k, bool req, void *base);
/* Key `key` of s read by its entry in the table, into base + its offset
 * (read_key says how); f_key_if with "required" given; f_keys several,
 * then NULL. */
int open_list(loader *L, const section *parent, const char *key, const list_spec *spec,
              item_list *out);
int open_item(loader *L, const item_list *l, int i, const list_spec *spec, section *out);
extern const list_spec type_list;
int read_list(loader *L, const section *parent, const char *key, const list_spec *spec, item_fn *fn,
              void *arg, item_list *l, int *count);
int f_key(loader *L, const section *s, const char *key, void *base);
int f_key_if(loader *L, const section *s, const char *key, bool req, void *base);
/* f_key of a key that must be given here, missing with hint. */
int f_need(loader *L, const section *s, const char *key, const char *hint, void *base);
int f_keys(loader *L, const section *s, void *base, ...) SENTINEL;

/* read_core.c */
int read_catalog(loader *L, const section *top, dcs_scenario *s);
int read_cluster(loader *L, const section *top, dcs_scenario *s);
int read_job(loader *L, const section *top, dcs_scenario *s);
int check_job_types(loader *L, const section *top, dcs_scenario *s);
int read_job_memory(loader *L, const section *top, dcs_scenario *s);
int read_checkpoint(loader *L, const section *top, dcs_scenario *s);
int read_failures(loader *L, const section *top, dcs_scenario *s);
int resolve_shares(loader *L, const section *top, dcs_scenario *s);

/* read_energy.c */
int read_energy(loader *L, const section *top, dcs_scenario *s);
bool parse_date(const char *text, double *epoch_s);
int read_start(loader *L, const section *sim, double *start_s);

/* read_money.c */
int read_money(loader *L, const section *top, dcs_scenario *s);

/* read_dist.c */
/* dst = rel read beside the scenario file: rel itself when it is absolute
 * or the file has no directory. */
void beside_file(const loader *L, const char *rel, char *dst, size_t n);
typedef int leaf_fn(loader *L, yaml_node_pair_t *pr, const dcs_schema_key *k, const char *path,
                    ctx c);
int collect_dist(loader *L, yaml_node_pair_t *pr, const dcs_schema_key *k, const char *path, ctx c);
int resolve_dist(loader *L, yaml_node_pair_t *pr, const dcs_schema_key *k, const char *path, ctx c);
int walk_leaves(loader *L, int map_id, ctx c, const char *path, leaf_fn *fn);
int read_correlation(loader *L, dcs_correlation *c);

/* load.c */
int yaml_fail(loader *L, const yaml_parser_t *p);

#endif /* DCSIM_SCENARIOS_LOADER_H */
