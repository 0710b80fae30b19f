/*
 * schema.h - the scenario schema as one table: every key a scenario file may
 * hold, declared once.
 *
 * Each section of a scenario (the top level, cluster, failures[], ...) is a
 * dcs_schema_section holding its keys in the order the loader lists them
 * in messages ("unknown key; expected one of ..."). Each key says its type
 * (with its unit dimension or its names), its range, its default and where
 * that default comes from (a public source, or "assumption:" and why),
 * where it lands in dcs_scenario (offsetof, relative to the list element
 * for the keys of a list), when it applies, whether it may one day be a
 * distribution, and its one-line documentation. The loader takes its key
 * lists and section structure from here; docs/scenarios.md's key tables
 * are generated from here (`cmake --build build --target scenario-doc`)
 * and a test fails when they differ.
 *
 * Rules that span keys are not in the table: the validators of validate.h
 * hold those on values (switch divisibility, an action against its scope,
 * ...), the loader those on which keys are given (one of mtbf /
 * annual_failure_rate / ...); the `applies` and `range_note` texts only
 * document them.
 */
#ifndef DCSIM_SCENARIOS_SCHEMA_H
#define DCSIM_SCENARIOS_SCHEMA_H

#include "../models/config.h"
#include "../sim/status.h"
#include "units.h"

#include <stdbool.h>
#include <stddef.h>

/* The sections, in the order of dcs_schema_sections[]. */
typedef enum {
    DCS_SEC_NONE = 0,
    DCS_SEC_TOP,
    DCS_SEC_CLUSTER,
    DCS_SEC_OVERRIDES,
    DCS_SEC_JOB,
    DCS_SEC_JOB_MEMORY,
    DCS_SEC_STAGE,
    DCS_SEC_JOB_TYPE, /* job.accelerators[] */
    DCS_SEC_SWITCH,   /* job.switch */
    DCS_SEC_CKPT,
    DCS_SEC_CKPT_MEMORY,
    DCS_SEC_RESTART,
    DCS_SEC_FAILURE,
    DCS_SEC_FAILURE_TOTAL,
    DCS_SEC_POWER,
    DCS_SEC_COOLING,
    DCS_SEC_WEATHER,
    DCS_SEC_ELECTRICITY,
    DCS_SEC_TOU,
    DCS_SEC_CARBON,
    DCS_SEC_MARKET,
    DCS_SEC_MARKET_TYPE,
    DCS_SEC_SUBSTITUTION,
    DCS_SEC_SHOCK,
    DCS_SEC_PROCUREMENT,
    DCS_SEC_COSTS,
    DCS_SEC_DATA,
    DCS_SEC_STAFF,
    DCS_SEC_PROCESSING,
    DCS_SEC_LICENCES,
    DCS_SEC_TARGETS,
    DCS_SEC_SIM,
    DCS_SEC_CATALOG,         /* catalog: a user catalog (a file holds the same mapping) */
    DCS_SEC_CATALOG_ACCEL,   /* catalog.accelerators[] */
    DCS_SEC_CATALOG_SOURCES, /* catalog.accelerators[].sources */
    DCS_SEC_UNCERTAIN,       /* uncertain: how the uncertain inputs are drawn together */
    DCS_SEC_CORRELATION,     /* uncertain.correlation */
    DCS_SEC_COUNT
} dcs_sec;

/* What a key's value is, and so how it is stored. */
typedef enum {
    DCS_KT_NUMBER,   /* a plain number: double */
    DCS_KT_QUANTITY, /* a number with a unit of `dim`, stored in SI: double */
    DCS_KT_INTEGER,  /* int64_t */
    DCS_KT_UNSIGNED, /* uint64_t */
    DCS_KT_BOOL,     /* bool */
    DCS_KT_ENUM,     /* one of `names`, stored as the C enum (an int) */
    DCS_KT_STRING,   /* char[size] */
    DCS_KT_SECTION,  /* a mapping of the keys of section `child` */
    DCS_KT_LIST,     /* a list (of mappings of section `child`, when it has one) */
    DCS_KT_SPECIAL   /* a form of its own (a date, hours, a percentage, a file): type_doc says */
} dcs_key_type;

/* Flags of a key. */
enum {
    DCS_KEY_REQUIRED = 1 << 0, /* must be given (where it applies) */
    DCS_KEY_DIST = 1 << 1,     /* may be given as a distribution (uncertain inputs) */
    DCS_KEY_DERIVED = 1 << 2,  /* its default is computed from other keys: dflt is unused */
    DCS_KEY_DEFAULT = 1 << 3,  /* dflt is its value when left out (where it applies) */
    DCS_KEY_NO_FIELD = 1 << 4, /* lands in no field of its own (converted, or a share) */
    DCS_KEY_LISTABLE = 1 << 5  /* a scalar that may also be written as a list (sources) */
};

/* Which ends of [lo, hi] bound a key's value. */
enum {
    DCS_RANGE_LO = 1 << 0,      /* value >= lo */
    DCS_RANGE_LO_OPEN = 1 << 1, /* value > lo (with DCS_RANGE_LO) */
    DCS_RANGE_HI = 1 << 2,      /* value <= hi */
    DCS_RANGE_HI_OPEN = 1 << 3  /* value < hi (with DCS_RANGE_HI) */
};

/* How the resolved YAML (emit.c) writes a key its type alone does not say
 * how to write, or when. */
typedef enum {
    DCS_EMIT_PLAIN = 0,   /* by its type */
    DCS_EMIT_LINES,       /* a string kept one item per line, written as a list (sources) */
    DCS_EMIT_TEXT,        /* a string field, quoted (a catalog key, a CSV file) */
    DCS_EMIT_QUANTITY,    /* a double in the SI unit of `dim` (a key with other forms) */
    DCS_EMIT_DATE,        /* seconds since the epoch, as YYYY-MM-DDTHH:MM */
    DCS_EMIT_HOURS,       /* electricity.tou[].hours: FROM-TO */
    DCS_EMIT_DAYS,        /* electricity.tou[].days: a bit mask, as a list of days */
    DCS_EMIT_HOURLY,      /* carbon.hourly: 24 numbers, when given */
    DCS_EMIT_SHOCK_TYPES, /* market.shocks[].types: a bit mask of market.types, when not all */
    DCS_EMIT_FIGURE,      /* a catalog figure: n/a when NAN */
    DCS_EMIT_OVERRIDES,   /* cluster.accelerator_overrides: what differs from the catalog */
    DCS_EMIT_CORRELATION, /* uncertain: the correlation of the uncertain inputs, when given */
    DCS_EMIT_IF_POWER,    /* a section written only with the energy model on */
    DCS_EMIT_IF_MARKET,   /* market: only with a market */
    DCS_EMIT_IF_LISTED,   /* market.types: only when given */
    DCS_EMIT_CKPT_SIZE,   /* checkpoint.size: left out where the loader derives it */
    DCS_EMIT_TRAINING     /* power.training: a power, left out where the ratio derives it */
} dcs_emit_hook;

#define DCS_NO_OFFSET ((size_t)-1)

typedef struct dcs_schema_key {
    const char *name;         /* the key within its section: "interval" */
    dcs_key_type type;        /* what the value is */
    dcs_dim dim;              /* DCS_KT_QUANTITY: the unit dimension */
    const char *const *names; /* DCS_KT_ENUM: the names, NULL-terminated, in enum order */
    const int *values;        /* DCS_KT_ENUM: the enum value of each name; NULL: its index */
    double lo, hi;            /* the range, where `range` says it is bounded */
    unsigned range;           /* DCS_RANGE_* */
    double dflt;              /* DCS_KEY_DEFAULT: the default in SI units (an enum's value) */
    const char *dflt_doc;     /* the default as the docs say it ("10min", "required", ...) */
    const char *why;          /* where the default comes from, or "assumption: ..." */
    size_t offset;            /* offsetof in dcs_scenario (in the element for a list's keys),
                                 or DCS_NO_OFFSET */
    size_t size;              /* sizeof the field (a string's capacity; a list's element) */
    size_t count_offset;      /* DCS_KT_LIST: offsetof of its int count in dcs_scenario */
    int max_items;            /* DCS_KT_LIST: most items */
    dcs_sec child;            /* DCS_KT_SECTION / DCS_KT_LIST: the section of its items */
    const char *applies;      /* when the key may be given, NULL: always ("policy fixed") */
    const char *needs;        /* --set overrides (";"-separated) under which it applies */
    const char *example;      /* a valid value other than the default, for tests */
    const char *type_doc;     /* the docs' type column, when more than the type says */
    const char *range_note;   /* what the docs' range column adds to lo and hi */
    const char *bound_msg;    /* the loader's message for a value outside the range where the
                                 plain one ("must be in (0, 1], got ...") does not say why: %s
                                 the value as written, %v as read, %h the upper bound; a lower
                                 bound of 0 keeps "must be > 0" / ">= 0" */
    const char *doc;          /* one line: what the key means */
    const char *doc_table;    /* NULL, or the name of a separate docs table it is listed in */
    unsigned flags;           /* DCS_KEY_* */
    const char *when;         /* resolved YAML: when the key is written (emit.c says the
                                 clauses), NULL: whenever its value is one */
    dcs_emit_hook emit;       /* resolved YAML: a writer of its own */
    const char *refusal;      /* the reader's message for the key given where it does not
                                 apply (given_if, else when, is false; reader.c f_refuse):
                                 %s the value of the enumeration the clauses name; NULL:
                                 the reader says (or never refuses it) */
    const char *given_if;     /* when.h clauses under which it may be given, where they
                                 differ from `when`; NULL: `when` */
} dcs_schema_key;

typedef struct dcs_schema_section {
    dcs_sec id;
    const char *path; /* "cluster", "failures[]", "" for the top level */
    const dcs_schema_key *keys;
    size_t nkeys;
} dcs_schema_section;

/* The value of k's field in the struct at base (the scenario, or a list's
 * element), as a double: an integer's, an enum's value, a boolean's 0 or 1. */
double dcs_schema_value(const void *base, const dcs_schema_key *k);

/* Whether v is in k's range. */
bool dcs_schema_in_range(const dcs_schema_key *k, double v);

/* The section `id` (DCS_SEC_TOP .. DCS_SEC_COUNT - 1), or NULL. */
const dcs_schema_section *dcs_schema_section_of(dcs_sec id);

/* The key `name` of section id, or NULL. */
const dcs_schema_key *dcs_schema_find(dcs_sec id, const char *name);

/* The key (of another section) whose value is section id, or NULL for the
 * top level. */
const dcs_schema_key *dcs_schema_parent(dcs_sec id);

/* Writes into names[] (room for cap - 1 names and a NULL) the key names of
 * section id, in table order. Returns their number. */
size_t dcs_schema_names(dcs_sec id, const char **names, size_t cap);

/* Writes the docs' key table of section id (its entries whose doc_table is
 * `table`, NULL for the main one) as Markdown into a malloc'd *out. Returns
 * 0 or DCS_ENOMEM. */
int dcs_schema_doc_table(dcs_sec id, const char *table, char **out);

/* Rewrites every generated block of a Markdown text (between
 * "<!-- keys: SECTION[ TABLE] -->" and "<!-- end keys -->") from the table
 * into a malloc'd *out. Returns 0, DCS_EINPUT (a block names no section;
 * err says which line) or DCS_ENOMEM. */
int dcs_schema_doc_update(const char *text, char **out, dcs_err *err);

/* Enumeration names, in the order of their C enum values. */
extern const char *const dcs_names_job_kind[];
extern const char *const dcs_names_shock_target[];
extern const char *const dcs_names_jump_target[];
extern const char *const dcs_names_buy_mode[];
extern const char *const dcs_names_cool_model[];
extern const char *const dcs_names_price_model[];
extern const char *const dcs_names_policy[];
extern const char *const dcs_names_scope[];
extern const char *const dcs_names_action[];
extern const char *const dcs_names_no_spare[];
extern const char *const dcs_names_ckpt_mode[];
extern const char *const dcs_names_engine[];
extern const char *const dcs_names_choose[];
extern const char *const dcs_names_switch_policy[];
extern const char *const dcs_names_ttf[]; /* failures[].distribution: no "fixed" */
extern const int dcs_values_ttf[];        /* their dcs_dist_kind */
extern const char *const dcs_names_dist[];
extern const char *const dcs_names_num_format[]; /* catalog.accelerators[].format */

/* The sections of each part of the table (keys_*.c). */
extern const dcs_schema_section dcs_schema_core[];
extern const size_t dcs_schema_ncore;
extern const dcs_schema_section dcs_schema_failures[];
extern const size_t dcs_schema_nfailures;
extern const dcs_schema_section dcs_schema_energy[];
extern const size_t dcs_schema_nenergy;
extern const dcs_schema_section dcs_schema_money[];
extern const size_t dcs_schema_nmoney;

#endif /* DCSIM_SCENARIOS_SCHEMA_H */
