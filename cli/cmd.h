/*
 * cmd.h - the dcsim subcommands. Each takes the arguments after its name
 * (argv[0] is the subcommand name) and returns the process exit status:
 * 0 success, 2 bad input or usage, 1 any other failure. Messages go to
 * standard error; results (reports, tables) to standard output.
 *
 * Below the subcommands are the helpers they share (common.c): the options
 * of the two commands that simulate (`run` and `sweep`), the output file's
 * root attributes, the SIGINT/SIGTERM flag, and the error and exit-status
 * conventions.
 */
#ifndef DCSIM_CLI_CMD_H
#define DCSIM_CLI_CMD_H

#include "h5out.h"
#include "load.h"
#include "status.h"
#include "sweep.h"
#include "world.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int dcs_cmd_run(int argc, char **argv);
int dcs_cmd_sweep(int argc, char **argv);
int dcs_cmd_validate(int argc, char **argv);
int dcs_cmd_report(int argc, char **argv);
int dcs_cmd_catalog(int argc, char **argv);
int dcs_cmd_compare(int argc, char **argv);
int dcs_cmd_hindcast(int argc, char **argv);

/* The version of the output file's layout, written as the root attribute
 * format_version: DCSIM_FORMAT_VERSION of the top-level CMakeLists.txt,
 * which the Python reader reads too; bump it there when the layout changes
 * (3: /sweep/points; 4: the ledger's processing and licences lines, the
 * energy_billing attribute; 5: the ranks attribute; 6: spare_pool_empty_h; 7: the stage_*
 * columns of staged jobs). */
#define DCS_CMD_FORMAT_VERSION DCSIM_FORMAT_VERSION

/* At most this many threads (-j). */
#define DCS_CMD_MAX_THREADS 4096

/* At most this many samples in the time series of one traced replication
 * (--sample-every against the failure-free time): about 1 GB in memory per
 * traced replication in flight, and far more rows than a plot can show (a
 * 4K screen is 3,840 pixels wide; the default step gives about 500). */
#define DCS_CMD_MAX_SAMPLES 10000000

/* At most this many --set options on one command line. */
#define DCS_CMD_MAX_SETS 256

/* The options of `run` and `sweep`. -n and --seed are also turned into
 * the overrides simulation.replications=N and simulation.seed=S at the end
 * of sets, so the resolved scenario stored in the file is what ran. */
typedef struct dcs_cmd_opts {
    const char *input;                      /* the scenario or sweep file */
    const char *out_path;                   /* -o; NULL: the input's name with .h5 */
    const char *sets[DCS_CMD_MAX_SETS + 2]; /* --set, then -n and --seed as overrides */
    size_t nsets;
    long long replications; /* -n; 0 when not given */
    long long seed;         /* --seed; -1 when not given */
    long long nthreads;     /* -j; default omp_get_max_threads() */
    int threads_given;      /* -j was given (else nthreads may shrink to fit memory) */
    long long trace_k;      /* --trace: replications traced (per point) */
    double sample_s;        /* --sample-every, s; -1 when not given */
    int quiet;
    int force; /* --force: replace an existing result file */
    /* --shard I/K: the I-th (from 0) of K interleaved shares of the work
     * items, written as a part for `dcsim merge`; shard_k 0: none */
    long long shard_i, shard_k;
    /* sweep only */
    double precision;             /* --precision as a fraction (0.01 for 1%); NAN: none */
    const char *precision_metric; /* --precision-metric; default cost_usd */
    long long max_replications;   /* --max-replications, per point */
    long long batch;              /* --batch: replications added per round */
    int for_contenders;           /* --precision-for contenders: only points that cannot be
                                     told apart from the best get more replications */
    char n_set[64], seed_set[64]; /* storage of the -n and --seed overrides */
} dcs_cmd_opts;

/* Parses the arguments of `run` (sweep = 0) or `sweep` (sweep = 1) into
 * *o. Returns -1 to go on, or the exit status to return at once: 0 after
 * --help (usage on standard output), 2 after a usage error (the message
 * and the usage on standard error). */
int dcs_cmd_parse_opts(int argc, char **argv, int sweep, dcs_cmd_opts *o);

/* "lib/llama3-405b.yaml" -> "llama3-405b.h5", in the current directory. */
void dcs_cmd_default_output(const char *input_path, char *out, size_t n);

/* An input named "-" is read from standard input (once; messages name it
 * "<stdin>", relative CSV paths resolve from the current folder). These
 * load a scenario or a sweep from a file or from standard input, as
 * dcs_scenario_load and dcs_sweep_load do, and tell which of the two an
 * input holds (a sweep has a top-level `base`). */
int dcs_cmd_load_scenario(const char *input, const char *const *sets, size_t nsets,
                          dcs_scenario *sc, char **resolved, dcs_err *err);
/* dcs_cmd_load_scenario that also hands over the world its runnable check made (runnable.h):
 * *world, the caller's to destroy (also when the load failed after the check), so that a
 * command which runs the scenario does not make it a second time; world NULL: none kept. */
int dcs_cmd_load_scenario_world(const char *input, const char *const *sets, size_t nsets,
                                dcs_scenario *sc, char **resolved, dcs_world **world, dcs_err *err);
int dcs_cmd_load_sweep(const char *input, const char *const *sets, size_t nsets, dcs_sweep **sw,
                       dcs_err *err);
/* dcs_cmd_load_sweep showing each point's world to fn (dcs_sweep_load_with). */
int dcs_cmd_load_sweep_with(const char *input, const char *const *sets, size_t nsets,
                            dcs_sweep_world_fn *fn, void *ctx, dcs_sweep **sw, dcs_err *err);
int dcs_cmd_input_is_sweep(const char *input);

/* The text of a scenario input, to load again (one replication's draws of
 * its uncertain inputs): standard input's, as read by
 * dcs_cmd_load_scenario (*owned NULL), or the file's, read into a malloc'd
 * *owned that the caller frees. */
int dcs_cmd_scenario_text(const char *input, char **owned, const char **text, size_t *len,
                          dcs_err *err);

/* The base of a scenario input with its --set (load.h), to load each
 * replication's draws from: its text in *owned as dcs_cmd_scenario_text
 * gives it, freed by the caller after the base. NULL with err filled. */
dcs_scenario_base *dcs_cmd_scenario_base(const char *input, const char *const *sets, size_t nsets,
                                         char **owned, dcs_err *err);

/* The default output of an input: dcs_cmd_default_output, or for standard
 * input "<name>.h5" from the scenario's or sweep's own name. */
void dcs_cmd_output_for(const char *input, const char *name, char *out, size_t n);

/* Under --shard I/K, turns the default output "NAME.h5" into
 * "NAME-part-I.h5"; otherwise leaves it alone. */
void dcs_cmd_part_output(const dcs_cmd_opts *o, char *out, size_t n);

/* Prints what a world will run on one line, without a newline: "16384 x
 * H100-SXM-80GB; failure-free 66.2 d; MTTI 3.09 h; checkpoint every ...". */
void dcs_cmd_describe(FILE *out, const dcs_world *w);

/* Prints a warning when sc's training state does not fit in the
 * accelerators' memory (the loader lets that through only when the scenario
 * offloads: job.memory.offload). */
void dcs_cmd_warn_memory(FILE *out, const char *file, const dcs_scenario *sc);

/* A duration in the unit that reads best: "66.1 d", "3.09 h", "4.4 min",
 * "3.24 s". Returns buf. */
const char *dcs_cmd_duration(double s, char *buf, size_t n);

/* Sets up tracing on w for o's --trace and --sample-every, with at most
 * `replications` traced: *trace_k (replications traced per point) and
 * *step_s (the time-series step; 0 when nothing is traced) are set, and
 * the step is applied to w. Returns 0 or DCS_EINPUT. */
int dcs_cmd_tracing(dcs_world *w, const dcs_cmd_opts *o, int64_t replications, int64_t *trace_k,
                    double *step_s, dcs_err *err);

/* Checks that o->nthreads threads running w's replications fit in the
 * memory this process may use (shared by the ranks on this machine): an
 * engine and a world per thread (replication_bytes each, or w's when 0),
 * nworlds more worlds, and the traces in flight (trace_k replications
 * traced with samples every step_s). Without -j the thread count shrinks
 * to what fits, with a note on out unless quiet; with -j, or when one
 * thread does not fit, returns DCS_EINPUT with the figures. */
int dcs_cmd_fit_memory(dcs_cmd_opts *o, const dcs_world *w, double replication_bytes,
                       size_t nworlds, int64_t trace_k, double step_s, FILE *out, dcs_err *err);

/* Loads the sweep at path (dcs_cmd_load_sweep) with the checks `sweep`
 * makes beyond the loader's, as `validate` runs them: every point's world
 * can be made (made once per point, by the loader's check), the points
 * share their /summary columns, seed, replication count and targets, and
 * their drawn replications load. Returns 0 with *sw the sweep, or
 * DCS_EINPUT / DCS_ENOMEM with err filled. */
int dcs_cmd_sweep_load_checked(const char *path, const char *const *sets, size_t nsets,
                               dcs_sweep **sw, dcs_err *err);

/* The root attributes every output file has. */
typedef struct dcs_cmd_root {
    const char *name;           /* scenario_name: the scenario's (or the sweep's) name */
    uint64_t seed;              /* the master seed */
    int64_t replications;       /* replications asked for (per point; a sweep's first batch) */
    uint64_t done;              /* replications_done: rows of /summary */
    int complete;               /* 0 when interrupted */
    const char *scenario;       /* the resolved scenario YAML (a sweep's base) */
    const char *energy_billing; /* how the ledger bills electricity (dcs_ledger_energy_note);
                                   NULL: not written (a sweep, whose points may differ) */
} dcs_cmd_root;

/* Remembers the command line (main calls it first) for the root attribute
 * `command`: the words joined by spaces, quoted where a shell needs it. */
void dcs_cmd_set_command_line(int argc, char **argv);

/* Writes the time t (seconds since 1970-01-01 UTC) as "YYYY-MM-DDTHH:MM:SSZ", the text of
 * gmtime_r and strftime("%Y-%m-%dT%H:%M:%SZ") for the years 1000 to 9999, into buf (size n;
 * 21 bytes hold it), without the C library's time zone set-up (a read of /etc/localtime). */
void dcs_cmd_utc_text(int64_t t, char *buf, size_t n);

/* Writes dcsim_version, dcsim_revision, format_version, created_utc, seed,
 * replications, replications_done, complete, scenario_name, scenario,
 * command and energy_billing on "/". */
int dcs_cmd_write_root(dcs_h5file *f, const dcs_cmd_root *r, dcs_err *err);

/* Set by SIGINT and SIGTERM between dcs_cmd_catch_signals and
 * dcs_cmd_restore_signals; the runner and the engines poll it. */
extern volatile sig_atomic_t dcs_cmd_interrupted;
void dcs_cmd_catch_signals(void);
void dcs_cmd_restore_signals(void);

/* dcs_h5_create and dcs_h5_close, and while the file is open its
 * temporary name is removed by an exit handler: a run that ends through
 * exit() from below (OpenMP's runtime exits when it cannot start a thread)
 * leaves no temporary file either. A commit also reads the file's report
 * just before HDF5 closes it, for dcs_cmd_finish to print. */
dcs_h5file *dcs_cmd_create_output(const char *path, dcs_err *err);
int dcs_cmd_close_output(dcs_h5file *f, int commit, dcs_err *err);

/* Closes a file that failed: prints err, removes the temporary file (f
 * may be NULL) and returns the exit status (2 for DCS_EINPUT, else 1). */
int dcs_cmd_abandon(dcs_h5file *f, const dcs_err *err);

/* The last words of a simulating command once its file is in place:
 * "wrote OUT" (unless quiet) or, when not complete, "dcsim: interrupted:
 * DONE of PLANNED replications written to OUT"; then the file's report on
 * standard output (a sweep's file gets its table of points). Returns the
 * exit status: 0, or 1 when interrupted or the report fails. */
int dcs_cmd_finish(const char *out_path, int complete, uint64_t done, uint64_t planned, int quiet);

/* The time-series step when --trace is given without --sample-every: a
 * round duration near 1/500 of the failure-free run time, s. */
double dcs_cmd_default_sample_s(const dcs_world *w);

/* One input of a command, which its output must not replace. */
typedef struct dcs_cmd_input {
    const char *path; /* as opened; NULL, "" or "-" (standard input): none */
    const char *what; /* "the scenario", "the sweep's base", "weather.csv" */
} dcs_cmd_input;

/* Checks the output path of a command that writes a file, before anything
 * runs (outpath.c). Refuses, with DCS_EINPUT (exit status 2) and one
 * sentence in err: an empty path; a path that exists and is not a regular
 * file (a directory, FIFO, device, socket or symbolic link: dcsim replaces
 * only regular files); a path that is one of the inputs (the same file,
 * whatever its name); an existing regular file unless `force`; a folder
 * that does not exist, is not a folder or is not writable. Every command
 * that writes an output file calls it with all its inputs. */
int dcs_cmd_check_output(const char *out_path, const dcs_cmd_input *inputs, size_t ninputs,
                         int force, dcs_err *err);

/* What a part of a sharded study (--shard) is part of: every part of one
 * study has the same digest. kind is "run" or "sweep"; texts are the
 * resolved scenario (a run) or the sweep's text and its resolved base. */
typedef struct dcs_cmd_part {
    const char *kind;
    const char *text1, *text2; /* text2 may be NULL */
    int64_t replications, trace_k;
    double step_s;
    double budget_usd, deadline_h; /* the targets (NaN: none), for the merged /stats */
} dcs_cmd_part;

/* Writes the attributes that mark f as part I of K of o's shard:
 * part_index, part_count, part_digest, part_budget_usd, part_deadline_h,
 * part_trace_k. A no-op without --shard. */
int dcs_cmd_write_part(dcs_h5file *f, const dcs_cmd_opts *o, const dcs_cmd_part *p, dcs_err *err);

/* `dcsim merge` (cmd_merge.c). */
int dcs_cmd_merge(int argc, char **argv);

/* Maps a status code to an exit status: DCS_EINPUT -> 2, other errors -> 1. */
int dcs_cmd_exit_status(int code);

/* Prints "<where>: <key>: <message>" on standard error, or "dcsim:
 * <message>" for an error that is not about a place in the input. */
void dcs_cmd_print_err(const dcs_err *err);

/* Under MPI (ranks.h, cmd_ranks.c): returns -1 to go on, or the exit
 * status 2 when o asks for what the ranks cannot share (standard input). */
int dcs_cmd_check_ranks(const dcs_cmd_opts *o);

/* "2 threads", or "4 ranks x 2 threads" under MPI (a static buffer). */
const char *dcs_cmd_threads_text(const dcs_cmd_opts *o);

/* A rank other than 0: computes for rank 0 until it ends (SIGINT and
 * SIGTERM caught meanwhile). Returns 0, or 1 when MPI failed. */
struct dcs_study;
int dcs_cmd_follow(struct dcs_study *st);

#endif /* DCSIM_CLI_CMD_H */
