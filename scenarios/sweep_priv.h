/*
 * sweep_priv.h - what the parts of the sweep loader share (private to
 * scenarios/): the blocks of a design, the sweep itself, and the reading of
 * the sweep file's YAML. sweep_yaml.c has the YAML helpers, the values and
 * the blocks' keys; sweep_design.c reads the file's keys and design blocks
 * (sweep_sample.c the sampled ones); sweep.c expands and checks the points
 * and has the entry points (sweep.h).
 */
#ifndef DCSIM_SCENARIOS_SWEEP_PRIV_H
#define DCSIM_SCENARIOS_SWEEP_PRIV_H

#include "load.h"
#include "sweep.h"

#include <yaml.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Key paths in messages; longer ones are cut (as in load.c). */
#define PATH_LEN 128

/* The kind of a value: text (a name, true/false), a plain number, or else
 * a quantity of the dcs_dim of that value. */
enum { KIND_TEXT = -2, KIND_NUMBER = -1 };

/* One value a block gives a key: as written in the file, or sampled. */
typedef struct sval {
    char *text;     /* as applied; owned */
    char *label;    /* shortened for labels (sampled values); owned, NULL: text */
    bool quoted;    /* written quoted */
    long line, col; /* 1-based position: the value, or the range it was drawn from */
    int kind;       /* KIND_TEXT, KIND_NUMBER or a dcs_dim */
    double si;      /* the value in SI units (a percentage as a fraction); NAN for text */
} sval;

/* A key path of a block with its values (a grid's or zip's list, one per
 * point of a sampled block, one for a variant). */
typedef struct bkey {
    size_t key;     /* index into the sweep's distinct keys */
    long line, col; /* 1-based position of the path's first character */
    sval *vals;     /* [nvals]; owned */
    size_t nvals;
    size_t stride;   /* row r uses vals[(r / stride) % nvals] */
    sval ends[2];    /* sampled blocks: the range's low and high ends */
    long range_line; /* sampled blocks: position of the range, */
    long range_col;  /* where a sampled value is reported */
    bool sampled;
} bkey;

typedef struct variant {
    char *label; /* owned */
    bkey *set;   /* [nset], one value each; owned */
    size_t nset;
} variant;

typedef enum { B_GRID, B_ZIP, B_VARIANTS, B_LHS, B_SOBOL, B_SALTELLI } bkind;

typedef struct block {
    bkind kind;
    size_t nrows;
    size_t stride; /* point p uses row (p / stride) % nrows */
    bkey *keys;    /* grid, zip, lhs, sobol: [nkeys]; owned */
    size_t nkeys;
    variant *vars; /* variants: [nvars]; owned */
    size_t nvars;
} block;

struct dcs_sweep {
    char name[DCS_NAME_MAX];
    char *file;          /* the sweep file's name in messages */
    char *text;          /* the sweep file's text */
    char *base_name;     /* the base scenario's file name in messages */
    char *base_text;     /* the base's text (the sweep's text for an inline base) */
    size_t base_len;     /* bytes of base_text */
    const char *root;    /* "base" for an inline base, else NULL */
    char **sets;         /* the command's --set, copied */
    size_t nsets;        /* number of sets */
    char *base_resolved; /* resolved YAML of base + sets */
    dcs_parsed *parsed;  /* base + sets, parsed once: every point is built from it */
    char **keys;         /* distinct varied key paths, in order of first appearance */
    size_t nkeys, capkeys;
    block *blocks; /* [nblocks] */
    size_t nblocks;
    bool has_set;     /* blocks[0] is the sweep's set */
    size_t maxovr;    /* most overrides of one point */
    size_t npoints;   /* product of the blocks' rows */
    char *labels;     /* every point's label, NUL-terminated, back to back */
    size_t *label_at; /* [npoints]: offset of point p's label in labels */
    bool checked;     /* every point passed the loader's checks (the load succeeded) */
    /* during the load: shown each point's world (dcs_sweep_load_with); else NULL */
    dcs_sweep_world_fn *on_world;
    void *on_world_ctx;
};

/* The sweep file being read: its tree, its name in messages, where errors go. */
typedef struct parser {
    yaml_document_t doc;
    const char *file;
    dcs_err *err;
    bool in_design; /* reading the design's blocks (not the sweep's own set) */
} parser;

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

/* sweep_yaml.c */
const yaml_node_t *sw_node_at(const parser *P, int id);
long sw_line_of(const yaml_node_t *n);
long sw_col_of(const yaml_node_t *n);
void sw_keypath(char *dst, const char *fmt, ...) PRINTF_LIKE(2, 3);
int sw_fail(parser *P, const yaml_node_t *n, const char *key, const char *fmt, ...)
    PRINTF_LIKE(4, 5);
int sw_oom(dcs_err *err);
const char *sw_what(const yaml_node_t *n);
size_t sw_nitems(const yaml_node_t *n);
size_t sw_npairs(const yaml_node_t *n);
int sw_scalar_text(parser *P, const yaml_node_t *n, const char *key, const char *want,
                   const char **text);
int sw_check_keys(parser *P, const yaml_node_t *map, const char *path, const char *const *known);
const yaml_node_t *sw_lookup(const parser *P, const yaml_node_t *map, const char *key);
int sw_count_of(parser *P, const yaml_node_t *n, const char *key, uint64_t lo, uint64_t hi,
                const char *hi_why, uint64_t *out);
bool sw_plain_number(const char *text, size_t len, double *out);
bool sw_classify(const char *text, int *kind, double *si, double *factor, size_t *unit);
const char *sw_kind_name(int kind);
int sw_sval_init(sval *v, const char *text, bool quoted, long line, long col, dcs_err *err);
int sw_sval_of_node(parser *P, const yaml_node_t *n, const char *key, sval *v);
void sw_sval_fini(sval *v);
void sw_round_trip(char *dst, size_t n, double v);
void sw_short_num(char *dst, size_t n, double v);
int sw_key_index(dcs_sweep *s, const char *path, size_t *out, dcs_err *err);
int sw_bkey_init(parser *P, dcs_sweep *s, const yaml_node_t *k, bkey *bk);
void sw_bkey_fini(bkey *bk);
void sw_block_fini(block *b);
int sw_grow_count(parser *P, const yaml_node_t *n, const char *key, size_t *count, size_t m);

/* sweep_design.c */
int sw_read_sweep(parser *P, dcs_sweep *s);

/* sweep_sample.c */
int sw_read_sampled(parser *P, dcs_sweep *s, const yaml_node_t *n, const char *bpath, block *b);

#endif /* DCSIM_SCENARIOS_SWEEP_PRIV_H */
