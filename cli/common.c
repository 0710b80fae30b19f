/*
 * common.c - helpers shared by the subcommands: the options, output
 * attributes, signal flag and messages of the two commands that simulate
 * (`run` and `sweep`), status to exit status, and the one format every
 * error message takes on standard error.
 *
 * `run` is a study of one scenario and `sweep` a study of many; everything
 * about the command line and the output file that does not depend on how
 * many points there are lives here, so that the two cannot drift apart.
 */
#include "cmd.h"
#include "estimate.h"

#include "input_limits.h"
#include "load.h"
#include "ranks.h"
#include "report.h"
#include "runnable.h"
#include "runner.h"
#include "sweep.h"
#include "units.h"

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "revision.h"

volatile sig_atomic_t dcs_cmd_interrupted;

/* The command line, for the root attribute `command` (cli/ may hold state). */
static char command_line[4096];

void dcs_cmd_set_command_line(int argc, char **argv)
{
    size_t used = 0;
    command_line[0] = '\0';
    for (int i = 0; i < argc && used + 4 < sizeof command_line; i++) {
        const char *a = i == 0 ? "dcsim" : argv[i];
        int plain = a[0] != '\0' && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789-_./=:,+%@") == strlen(a);
        used += (size_t)snprintf(command_line + used, sizeof command_line - used, "%s%s%s%s",
                                 i ? " " : "", plain ? "" : "'", a, plain ? "" : "'");
    }
}

static struct sigaction old_int, old_term;

/* The temporary file of the output being written, removed at exit (cli/
 * may hold state). */
static char pending_tmp[4096];

/* The first SIGINT or SIGTERM asks the run to stop after the replications
 * in flight and to write its statistics (which can take a while on a large
 * file); a second one ends the process at once. Its temporary file is left
 * as it is, with what was written, and named as it is so that the next run
 * can tell it is stale (dcs_cmd_check_output mentions it). Only
 * async-signal-safe calls here. */
static void on_signal(int sig)
{
    (void)sig;
    if (dcs_cmd_interrupted) {
        static const char a[] = "\ndcsim: interrupted again: stopped at once";
        static const char b[] = "; what was written is left in ";
        ssize_t ignored = write(STDERR_FILENO, a, sizeof a - 1);
        if (pending_tmp[0] != '\0') {
            ignored = write(STDERR_FILENO, b, sizeof b - 1);
            ignored = write(STDERR_FILENO, pending_tmp, strlen(pending_tmp));
        }
        ignored = write(STDERR_FILENO, "\n", 1);
        (void)ignored;
        _exit(1);
    }
    dcs_cmd_interrupted = 1;
}

static int caught; /* the handlers are installed */

void dcs_cmd_catch_signals(void)
{
    if (caught)
        return;
    caught = 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
}

void dcs_cmd_restore_signals(void)
{
    if (!caught)
        return;
    caught = 0;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
}

static const char run_usage[] =
    "usage: dcsim run SCENARIO.yaml [-o OUT.h5] [-n REPLICATIONS] [-j THREADS] [--seed S]\n"
    "                 [--trace K] [--sample-every DURATION] [--set key.path=value]... "
    "[--force] [--quiet]\n"
    "                 [--shard I/K]\n";

static const char sweep_usage[] =
    "usage: dcsim sweep SWEEP.yaml [-o OUT.h5] [-n REPLICATIONS] [-j THREADS] [--seed S]\n"
    "                   [--trace K] [--sample-every DURATION] [--set key.path=value]... "
    "[--force]\n"
    "                   [--quiet] [--precision P] [--precision-metric COLUMN] [--max-replications "
    "N]\n"
    "                   [--batch B] [--precision-for all|contenders] [--shard I/K]\n";

static const char run_help[] =
    "  FILE                  the scenario (run) or sweep (sweep) file; - reads it from\n"
    "                        standard input\n"
    "  -o, --output OUT.h5   the output file (default: the input's name with .h5 in the\n"
    "                        current folder; for standard input, the scenario's name)\n"
    "  -n, --replications N  replications (per point; default: simulation.replications of\n"
    "                        the scenario, whose own default is 100)\n"
    "  -j, --threads T       threads (default: OpenMP's, every core: %d here)\n"
    "  --seed S              master seed (default: simulation.seed, whose default is 1)\n"
    "  --trace K             record the events and time series of replications 0 to K-1\n"
    "                        (of every point; default 0: none)\n"
    "  --sample-every D      the time-series step, a duration with its unit (default:\n"
    "                        about 1/500 of the failure-free run, rounded; implies --trace 1)\n"
    "  --set key.path=value  override a scenario key (repeatable; default: none), e.g.\n"
    "                        --set checkpoint.interval=2h --set 'failures[0].mtbf=5y'\n"
    "  -f, --force           replace the output file if it exists (default: an existing\n"
    "                        result is kept and the command refuses to run); only a\n"
    "                        regular file that is not an input is ever replaced\n"
    "  -q, --quiet           no progress bar or messages (default: a progress bar when\n"
    "                        standard error is a terminal)\n"
    "  --shard I/K           run only the I-th of K interleaved shares of the work items\n"
    "                        (point, replication), I from 0 to K-1, and write them as a\n"
    "                        part for `dcsim merge` (a job array: one job per share;\n"
    "                        default: all of them, a complete result)\n"
    "  -h, --help            this text\n"
    "An option's value may also be attached: --output=OUT.h5, -j4, -n100.\n";

static const char sweep_help[] =
    "  --precision P         add replications in batches until the 95% CI of the mean of\n"
    "                        the precision metric is within P of the mean at every point\n"
    "                        (P as 1% or 0.01; default: none, -n at every point); -n (or\n"
    "                        the scenario's) is the first batch\n"
    "  --precision-metric C  the /summary column it applies to (default cost_usd)\n"
    "  --max-replications N  stop adding at N replications per point (default 10000)\n"
    "  --batch B             replications added per round (default 100)\n"
    "  --precision-for W     all (the default): every point gets replications until it\n"
    "                        reaches the precision; contenders: only the points that\n"
    "                        cannot yet be told apart from the best by paired comparisons\n"
    "                        on the precision metric (lowest mean is best), so that the\n"
    "                        replications go where the decision needs them\n";

static int usage_error(int sweep, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int usage_error(int sweep, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "dcsim %s: ", sweep ? "sweep" : "run");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n%s", sweep ? sweep_usage : run_usage);
    return 2;
}

static int parse_count(const char *s, long long lo, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < lo)
        return -1;
    *out = v;
    return 0;
}

/* "1%" -> 0.01, "0.01" -> 0.01; the fraction must be in (0, 1]. */
static int parse_precision(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || end == s)
        return -1;
    if (*end == '%') {
        v /= 100.0;
        end++;
    }
    if (*end != '\0' || !(v > 0.0) || !(v <= 1.0))
        return -1;
    *out = v;
    return 0;
}

int dcs_cmd_parse_opts(int argc, char **argv, int sweep, dcs_cmd_opts *o)
{
    memset(o, 0, sizeof *o);
    o->seed = -1;
    /* Ranks on one machine share its cores (ranks.h). */
    o->nthreads = omp_get_max_threads() / dcs_ranks_local_size();
    if (o->nthreads < 1)
        o->nthreads = 1;
    o->sample_s = -1.0;
    o->precision = NAN;
    o->precision_metric = "cost_usd";
    o->max_replications = 10000; /* a 1% target on a spread of 50% needs ~10^4 */
    o->batch = 100;
    int seen_sweep_opt = 0;
    const char *user_sets[DCS_CMD_MAX_SETS];
    size_t nuser = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(sweep ? sweep_usage : run_usage, stdout);
            printf(run_help, omp_get_max_threads());
            if (sweep)
                fputs(sweep_help, stdout);
            return 0;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (val == NULL)
                return usage_error(sweep, "%s needs a file name", a);
            o->out_path = val;
            i++;
        } else if (strcmp(a, "-n") == 0 || strcmp(a, "--replications") == 0) {
            if (val == NULL || parse_count(val, 1, &o->replications) != 0)
                return usage_error(sweep, "-n needs a whole number >= 1, got '%s'", val ? val : "");
            i++;
        } else if (strcmp(a, "-j") == 0 || strcmp(a, "--threads") == 0) {
            if (val == NULL || parse_count(val, 1, &o->nthreads) != 0)
                return usage_error(sweep, "-j needs a whole number of threads >= 1, got '%s'",
                                   val ? val : "");
            if (o->nthreads > DCS_CMD_MAX_THREADS)
                return usage_error(sweep, "-j %s is above %d, the most threads dcsim starts", val,
                                   DCS_CMD_MAX_THREADS);
            o->threads_given = 1;
            i++;
        } else if (strcmp(a, "--seed") == 0) {
            if (val == NULL || parse_count(val, 0, &o->seed) != 0)
                return usage_error(sweep, "--seed needs a whole number >= 0, got '%s'",
                                   val ? val : "");
            i++;
        } else if (strcmp(a, "--set") == 0) {
            if (val == NULL || strchr(val, '=') == NULL)
                return usage_error(sweep, "--set needs key.path=value, got '%s'", val ? val : "");
            if (nuser >= DCS_CMD_MAX_SETS)
                return usage_error(sweep, "%s", "too many --set options");
            user_sets[nuser++] = val;
            i++;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o->quiet = 1;
        } else if (strcmp(a, "-f") == 0 || strcmp(a, "--force") == 0) {
            o->force = 1;
        } else if (strcmp(a, "--trace") == 0) {
            if (val == NULL || parse_count(val, 0, &o->trace_k) != 0)
                return usage_error(sweep, "--trace needs a number of replications >= 0, got '%s'",
                                   val ? val : "");
            i++;
        } else if (strcmp(a, "--sample-every") == 0) {
            const char *why = NULL;
            if (val == NULL || dcs_units_parse(val, DCS_DIM_DURATION, &o->sample_s, &why) != 0 ||
                !(o->sample_s > 0.0))
                return usage_error(sweep,
                                   "--sample-every needs a duration > 0 with its unit (%s), got "
                                   "'%s'%s%s",
                                   dcs_units_accepted(DCS_DIM_DURATION), val ? val : "",
                                   why ? " which " : "", why ? why : "");
            i++;
        } else if (sweep && strcmp(a, "--precision") == 0) {
            if (val == NULL || parse_precision(val, &o->precision) != 0)
                return usage_error(sweep,
                                   "--precision needs a relative half-width above 0 and at most "
                                   "100%%, as 1%% or 0.01, got '%s'",
                                   val ? val : "");
            i++;
        } else if (sweep && strcmp(a, "--precision-metric") == 0) {
            if (val == NULL || val[0] == '\0')
                return usage_error(sweep, "%s", "--precision-metric needs a /summary column name");
            o->precision_metric = val;
            seen_sweep_opt = 1;
            i++;
        } else if (sweep && strcmp(a, "--max-replications") == 0) {
            if (val == NULL || parse_count(val, 1, &o->max_replications) != 0)
                return usage_error(sweep, "--max-replications needs a whole number >= 1, got '%s'",
                                   val ? val : "");
            seen_sweep_opt = 1;
            i++;
        } else if (sweep && strcmp(a, "--batch") == 0) {
            if (val == NULL || parse_count(val, 1, &o->batch) != 0)
                return usage_error(sweep, "--batch needs a whole number >= 1, got '%s'",
                                   val ? val : "");
            seen_sweep_opt = 1;
            i++;
        } else if (sweep && strcmp(a, "--precision-for") == 0) {
            if (val == NULL || (strcmp(val, "all") != 0 && strcmp(val, "contenders") != 0))
                return usage_error(sweep, "--precision-for takes all or contenders, got '%s'",
                                   val ? val : "");
            o->for_contenders = strcmp(val, "contenders") == 0;
            seen_sweep_opt = 1;
            i++;
        } else if (strcmp(a, "--shard") == 0) {
            char *end = NULL;
            errno = 0;
            long long si = val != NULL ? strtoll(val, &end, 10) : -1, sk = 0;
            if (end != NULL && end != val && *end == '/') {
                const char *k = end + 1;
                sk = strtoll(k, &end, 10);
                if (end == k || *end != '\0')
                    sk = 0;
            }
            if (val == NULL || errno != 0 || si < 0 || sk < 1 || si >= sk || sk > 1000000 ||
                val[0] == '-' || val[0] == '+')
                return usage_error(sweep,
                                   "--shard needs I/K with 0 <= I < K (the share I of K, counted "
                                   "from 0, as a job array's index), got '%s'",
                                   val ? val : "");
            o->shard_i = si;
            o->shard_k = sk;
            i++;
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error(sweep, "unknown option '%s'", a);
        } else if (o->input == NULL) {
            o->input = a;
        } else {
            return usage_error(sweep, "unexpected argument '%s'", a);
        }
    }
    if (o->input == NULL)
        return usage_error(sweep, "no %s file given", sweep ? "sweep" : "scenario");
    if (seen_sweep_opt && isnan(o->precision))
        return usage_error(sweep, "%s",
                           "--precision-metric, --max-replications, --batch and "
                           "--precision-for go with --precision");
    if (o->shard_k > 0 && !isnan(o->precision))
        return usage_error(sweep, "%s",
                           "--shard cannot go with --precision: each precision round decides on "
                           "every replication of a point so far, which no single part holds; "
                           "run the sweep whole, or over many machines with mpirun");
    if (!isnan(o->precision) && o->replications > o->max_replications)
        return usage_error(sweep, "-n %lld is above --max-replications %lld", o->replications,
                           o->max_replications);
    for (size_t k = 0; k < nuser; k++)
        o->sets[o->nsets++] = user_sets[k];
    if (o->replications > 0) {
        snprintf(o->n_set, sizeof o->n_set, "simulation.replications=%lld", o->replications);
        o->sets[o->nsets++] = o->n_set;
    }
    if (o->seed >= 0) {
        snprintf(o->seed_set, sizeof o->seed_set, "simulation.seed=%lld", o->seed);
        o->sets[o->nsets++] = o->seed_set;
    }
    return -1;
}

/* Standard input, read once when an input is "-" (cli/ may hold state). */
static char *stdin_text;
static size_t stdin_len;

static int is_stdin(const char *input)
{
    return strcmp(input, "-") == 0;
}

static dcs_err stdin_err; /* why reading it failed, for every later caller */

static int read_stdin_once(dcs_err *err);

static int read_stdin(dcs_err *err)
{
    if (stdin_text != NULL)
        return 0;
    if (stdin_err.code == 0 && read_stdin_once(&stdin_err) == 0)
        return 0;
    if (err != NULL)
        *err = stdin_err;
    return stdin_err.code;
}

static int read_stdin_once(dcs_err *err)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        n += fread(buf + n, 1, cap - n - 1, stdin);
        if (ferror(stdin)) {
            free(buf);
            return dcs_err_set(err, DCS_EIO, "cannot read standard input: %s", strerror(errno));
        }
        if (n > DCS_INPUT_MAX_BYTES) {
            free(buf);
            return dcs_input_check_size("<stdin>", n, err);
        }
        if (feof(stdin))
            break;
        char *bigger = n + 1 >= cap ? realloc(buf, cap *= 2) : buf;
        if (bigger == NULL)
            free(buf);
        buf = bigger;
    }
    if (buf == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory reading standard input");
    buf[n] = '\0';
    stdin_text = buf;
    stdin_len = n;
    return 0;
}

/* Keeps the world that the loader's runnable check made (an on_world of load.h). */
static int keep_world(void *ctx, struct dcs_world *w)
{
    *(struct dcs_world **)ctx = w;
    return 1;
}

int dcs_cmd_load_scenario_world(const char *input, const char *const *sets, size_t nsets,
                                dcs_scenario *sc, char **resolved, dcs_world **world, dcs_err *err)
{
    if (world != NULL)
        *world = NULL;
    if (resolved != NULL)
        *resolved = NULL;
    dcs_err_clear(err);
    char *owned = NULL;
    dcs_scenario_input in = {.name = is_stdin(input) ? "<stdin>" : input,
                             .sets = sets,
                             .nsets = nsets,
                             .on_world = world != NULL ? keep_world : NULL,
                             .on_world_ctx = world};
    int rc = dcs_cmd_scenario_text(input, &owned, &in.text, &in.len, err);
    if (rc == 0)
        rc = dcs_scenario_load_input(&in, sc, resolved, err);
    free(owned);
    return rc;
}

int dcs_cmd_load_scenario(const char *input, const char *const *sets, size_t nsets,
                          dcs_scenario *sc, char **resolved, dcs_err *err)
{
    return dcs_cmd_load_scenario_world(input, sets, nsets, sc, resolved, NULL, err);
}

int dcs_cmd_scenario_text(const char *input, char **owned, const char **text, size_t *len,
                          dcs_err *err)
{
    *owned = NULL;
    if (is_stdin(input)) {
        int rc = read_stdin(err);
        *text = stdin_text;
        *len = stdin_len;
        return rc;
    }
    int rc = dcs_scenario_read_file(input, owned, len, err);
    *text = *owned;
    return rc;
}

dcs_scenario_base *dcs_cmd_scenario_base(const char *input, const char *const *sets, size_t nsets,
                                         char **owned, dcs_err *err)
{
    dcs_scenario_input in = {.name = input, .sets = sets, .nsets = nsets};
    if (dcs_cmd_scenario_text(input, owned, &in.text, &in.len, err) != 0)
        return NULL;
    return dcs_scenario_base_create(&in, err);
}

int dcs_cmd_load_sweep(const char *input, const char *const *sets, size_t nsets, dcs_sweep **sw,
                       dcs_err *err)
{
    return dcs_cmd_load_sweep_with(input, sets, nsets, NULL, NULL, sw, err);
}

int dcs_cmd_load_sweep_with(const char *input, const char *const *sets, size_t nsets,
                            dcs_sweep_world_fn *fn, void *ctx, dcs_sweep **sw, dcs_err *err)
{
    if (!is_stdin(input))
        return dcs_sweep_load_with(input, NULL, sets, nsets, fn, ctx, sw, err);
    int rc = read_stdin(err);
    if (rc != 0)
        return rc;
    return dcs_sweep_load_with("<stdin>", stdin_text, sets, nsets, fn, ctx, sw, err);
}

int dcs_cmd_input_is_sweep(const char *input)
{
    if (!is_stdin(input))
        return dcs_sweep_file_is_sweep(input);
    dcs_err ignored;
    if (read_stdin(&ignored) != 0)
        return 0;
    /* A sweep is a mapping with a top-level `base` key. */
    for (const char *p = stdin_text; p != NULL && *p != '\0'; p = strchr(p, '\n')) {
        p += *p == '\n';
        if (strncmp(p, "base:", 5) == 0)
            return 1;
    }
    return 0;
}

void dcs_cmd_output_for(const char *input, const char *name, char *out, size_t n)
{
    if (is_stdin(input))
        snprintf(out, n, "%s.h5", name != NULL && name[0] != '\0' ? name : "stdin");
    else
        dcs_cmd_default_output(input, out, n);
}

void dcs_cmd_part_output(const dcs_cmd_opts *o, char *out, size_t n)
{
    size_t len = strlen(out);
    if (o->shard_k < 1 || len < 3 || strcmp(out + len - 3, ".h5") != 0)
        return;
    snprintf(out + len - 3, n - (len - 3), "-part-%lld.h5", o->shard_i);
}

void dcs_cmd_default_output(const char *input_path, char *out, size_t n)
{
    const char *base = strrchr(input_path, '/');
    base = base ? base + 1 : input_path;
    size_t len = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot != NULL && dot != base)
        len = (size_t)(dot - base);
    snprintf(out, n, "%.*s.h5", (int)len, base);
}

const char *dcs_cmd_duration(double s, char *buf, size_t n)
{
    if (s >= 2.0 * 86400.0)
        snprintf(buf, n, "%.1f d", s / 86400.0);
    else if (s >= 2.0 * 3600.0)
        snprintf(buf, n, "%.2f h", s / 3600.0);
    else if (s >= 120.0)
        snprintf(buf, n, "%.1f min", s / 60.0);
    else
        snprintf(buf, n, "%.3g s", s);
    return buf;
}

void dcs_cmd_describe(FILE *out, const dcs_world *w)
{
    const dcs_scenario *sc = dcs_world_scenario(w);
    const dcs_run_cfg *rc = dcs_world_run_cfg(w);
    static const char *const policy[] = {"none", "fixed", "young", "daly"};
    char a[32], b[32];
    fprintf(out, "%lld x %s; failure-free %s",
            (long long)(sc->cluster.nodes * sc->cluster.accels_per_node), sc->cluster.accel.key,
            dcs_cmd_duration(rc->ts_s, a, sizeof a));
    if (isfinite(rc->mtti_s))
        fprintf(out, "; MTTI %s", dcs_cmd_duration(rc->mtti_s, a, sizeof a));
    if (isfinite(rc->tau_s))
        fprintf(out, "; checkpoint every %s (%s), write %s",
                dcs_cmd_duration(rc->tau_s, a, sizeof a), policy[sc->checkpoint.policy],
                dcs_cmd_duration(rc->delta_s, b, sizeof b));
}

int dcs_cmd_tracing(dcs_world *w, const dcs_cmd_opts *o, int64_t replications, int64_t *trace_k,
                    double *step_s, dcs_err *err)
{
    int64_t k = o->trace_k;
    if (o->sample_s > 0.0 && k == 0)
        k = 1; /* --sample-every alone samples the first replication */
    if (k > replications)
        k = replications;
    *trace_k = k;
    *step_s = 0.0;
    if (k == 0)
        return 0;
    *step_s = o->sample_s > 0.0 ? o->sample_s : dcs_cmd_default_sample_s(w);
    /* Any replication that finishes runs its failure-free time at least
     * (or stops at max_time): that many samples are certain. */
    const dcs_run_cfg *rc = dcs_world_run_cfg(w);
    double horizon = fmin(rc->ts_s, rc->max_time_s);
    double n = horizon / *step_s;
    if (n > DCS_CMD_MAX_SAMPLES) {
        char a[32], b[32], c[32];
        return dcs_err_set(err, DCS_EINPUT,
                           "--sample-every %s: the failure-free run alone (%s) takes %.3g samples "
                           "per traced replication, more than %d, the most dcsim records; give a "
                           "step of at least %s",
                           dcs_cmd_duration(*step_s, a, sizeof a),
                           dcs_cmd_duration(horizon, b, sizeof b), n, DCS_CMD_MAX_SAMPLES,
                           dcs_cmd_duration(horizon / DCS_CMD_MAX_SAMPLES, c, sizeof c));
    }
    return dcs_world_set_sampling(w, *step_s, err);
}

/* The memory one traced replication's records take, bytes: the time
 * series over the expected makespan (at most max_time), and about four
 * records per checkpoint and a dozen per interruption (the closed-form
 * estimate's counts). */
static double trace_bytes(const dcs_world *w, double step_s)
{
    const dcs_scenario *sc = dcs_world_scenario(w);
    const dcs_run_cfg *rc = dcs_world_run_cfg(w);
    dcs_estimate e;
    dcs_err ignored;
    dcs_err_clear(&ignored);
    double span = rc->ts_s, records = 64.0;
    if (dcs_estimate_make(sc, &e, &ignored) == 0 && isfinite(e.makespan_s)) {
        span = e.makespan_s;
        if (isfinite(e.tau_s) && e.tau_s > 0.0)
            records += 4.0 * e.makespan_s / e.tau_s;
        records += 12.0 * e.interruptions;
    }
    span = fmin(span, rc->max_time_s);
    double samples = step_s > 0.0 ? span / step_s + 2.0 : 0.0;
    return samples * 8.0 * (double)(dcs_world_sample_ncols(w) + 1) +
           records * (double)sizeof(dcs_trace_event);
}

int dcs_cmd_fit_memory(dcs_cmd_opts *o, const dcs_world *w, double replication_bytes,
                       size_t nworlds, int64_t trace_k, double step_s, FILE *out, dcs_err *err)
{
    /* Ranks on one machine share its memory, as they share its cores. */
    double have = dcs_machine_memory_bytes() / dcs_ranks_local_size();
    double world = dcs_world_bytes(w);
    double engine = replication_bytes > 0.0 ? replication_bytes - world : dcs_world_engine_bytes(w);
    double trace = trace_k > 0 ? trace_bytes(w, step_s) : 0.0;
    const double per_thread = DCS_RUNNER_WINDOW_PER_THREAD + 1; /* traces in flight */
    long long t = o->nthreads;
    double need = 0.0;
    for (;; t--) {
        double traced = fmin((double)trace_k, per_thread * (double)t) * trace;
        need = (double)t * (engine + world) + (double)nworlds * world + traced;
        if (need <= have || t <= 1 || o->threads_given)
            break;
    }
    char a[32], b[32], c[32], d[32];
    if (need > have) {
        double traced = fmin((double)trace_k, per_thread * (double)t) * trace;
        return dcs_err_set(err, DCS_EINPUT,
                           "%s%lld thread%s x %s (a replication each) + %s of traces in flight "
                           "(--trace, --sample-every) need %s, more than the %s this process may "
                           "use",
                           o->threads_given ? "-j: " : "", t, t == 1 ? "" : "s",
                           dcs_bytes_text(engine + world, a, sizeof a),
                           dcs_bytes_text(traced, b, sizeof b), dcs_bytes_text(need, c, sizeof c),
                           dcs_bytes_text(have, d, sizeof d));
    }
    if (t < o->nthreads) {
        if (!o->quiet)
            fprintf(out,
                    "dcsim: %lld threads, not %lld: more would not fit in the %s this "
                    "process may use (%s a replication)\n",
                    t, o->nthreads, dcs_bytes_text(have, a, sizeof a),
                    dcs_bytes_text(engine + world, b, sizeof b));
        o->nthreads = t;
    }
    return 0;
}

/* Days since 1970-01-01 to the proleptic Gregorian date: H. Hinnant's civil_from_days ("chrono-
 * Compatible Low-Level Date Algorithms", public domain), eras of 400 years from 0000-03-01. */
static void civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;                                      /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                    /* March = 0 */
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

void dcs_cmd_utc_text(int64_t t, char *buf, size_t n)
{
    int64_t days = t / 86400, sec = t % 86400, y;
    if (sec < 0) {
        sec += 86400;
        days--;
    }
    int m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(buf, n, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y, m, d, (int)(sec / 3600),
             (int)(sec / 60 % 60), (int)(sec % 60));
}

int dcs_cmd_write_root(dcs_h5file *f, const dcs_cmd_root *r, dcs_err *err)
{
    char when[32];
    dcs_cmd_utc_text((int64_t)time(NULL), when, sizeof when);
    int rc = 0;
    if (rc == 0)
        rc = dcs_h5_attr_str(f, "/", "dcsim_version", DCSIM_VERSION, err);
    if (rc == 0)
        rc = dcs_h5_attr_str(f, "/", "dcsim_revision", DCSIM_REVISION, err);
    if (rc == 0)
        rc = dcs_h5_attr_i64(f, "/", "format_version", DCS_CMD_FORMAT_VERSION, err);
    if (rc == 0)
        rc = dcs_h5_attr_str(f, "/", "created_utc", when, err);
    if (rc == 0)
        rc = dcs_h5_attr_i64(f, "/", "seed", (int64_t)r->seed, err);
    if (rc == 0)
        rc = dcs_h5_attr_i64(f, "/", "replications", r->replications, err);
    if (rc == 0)
        rc = dcs_h5_attr_i64(f, "/", "replications_done", (int64_t)r->done, err);
    if (rc == 0)
        rc = dcs_h5_attr_i64(f, "/", "complete", r->complete, err);
    if (rc == 0)
        rc = dcs_h5_attr_str(f, "/", "scenario_name", r->name ? r->name : "", err);
    if (rc == 0)
        rc = dcs_h5_attr_str(f, "/", "scenario", r->scenario ? r->scenario : "", err);
    if (rc == 0)
        rc = dcs_h5_attr_str(f, "/", "command", command_line, err);
    if (rc == 0)
        rc = dcs_h5_attr_i64(f, "/", "ranks", dcs_ranks_size(), err);
    if (rc == 0 && r->energy_billing != NULL)
        rc = dcs_h5_attr_str(f, "/", "energy_billing", r->energy_billing, err);
    return rc;
}

/* FNV-1a, 64 bits, of a string and its terminating NUL (so that "ab","c"
 * and "a","bc" differ). */
static uint64_t fnv1a(uint64_t h, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
    do {
        h ^= *p;
        h *= 0x100000001b3ULL;
    } while (*p++ != '\0');
    return h;
}

int dcs_cmd_write_part(dcs_h5file *f, const dcs_cmd_opts *o, const dcs_cmd_part *p, dcs_err *err)
{
    if (o->shard_k < 1)
        return 0;
    char num[96];
    uint64_t h = 0xcbf29ce484222325ULL;
    h = fnv1a(h, p->kind);
    h = fnv1a(h, p->text1);
    h = fnv1a(h, p->text2);
    snprintf(num, sizeof num, "%lld %lld %a", (long long)p->replications, (long long)p->trace_k,
             p->step_s);
    h = fnv1a(h, num);
    char digest[32];
    snprintf(digest, sizeof digest, "fnv1a64:%016llx", (unsigned long long)h);
    int rc = dcs_h5_attr_i64(f, "/", "part_index", o->shard_i, err);
    if (rc == 0)
        rc = dcs_h5_attr_i64(f, "/", "part_count", o->shard_k, err);
    if (rc == 0)
        rc = dcs_h5_attr_str(f, "/", "part_digest", digest, err);
    if (rc == 0)
        rc = dcs_h5_attr_f64(f, "/", "part_budget_usd", p->budget_usd, err);
    if (rc == 0)
        rc = dcs_h5_attr_f64(f, "/", "part_deadline_h", p->deadline_h, err);
    if (rc == 0)
        rc = dcs_h5_attr_i64(f, "/", "part_trace_k", p->trace_k, err);
    return rc;
}

static void remove_pending(void)
{
    if (pending_tmp[0] != '\0')
        remove(pending_tmp);
}

/* The report of the output file, read from the file at its close, before
 * HDF5 closes it (a second open costs ~0.3 ms, mostly HDF5's metadata cache
 * made anew), and printed by dcs_cmd_finish once the file is in place. */
static struct {
    char path[4096]; /* the output's final path, as the report names it */
    char *text;      /* the report, when rendered */
    size_t len;
    int rendered, rc;
    dcs_err err;
} g_report;

static void report_free(void)
{
    free(g_report.text);
    g_report.text = NULL;
    g_report.len = 0;
    g_report.rendered = 0;
}

/* dcs_h5_close_read's last look: renders the report into g_report. */
static void render_report(void *ctx, int64_t hid)
{
    dcs_err_clear(&g_report.err);
    FILE *m = open_memstream(&g_report.text, &g_report.len);
    if (m == NULL)
        return; /* dcs_cmd_finish reads the file instead */
    /* /stats from the rows the writer holds, when it holds them all (ctx: the file) */
    dcs_report_held st = {NULL, 0, -1};
    st.rows = dcs_h5_table_held(ctx, "stats", &st.nrows, &st.type);
    g_report.rc = dcs_report_print_hid(hid, g_report.path, m, DCS_REPORT_TABLE, &st, &g_report.err);
    g_report.rendered = fclose(m) == 0;
    if (!g_report.rendered)
        report_free();
}

dcs_h5file *dcs_cmd_create_output(const char *path, dcs_err *err)
{
    static int registered;
    if (!registered)
        registered = atexit(remove_pending) == 0;
    dcs_h5file *f = dcs_h5_create(path, err);
    if (f != NULL)
        snprintf(pending_tmp, sizeof pending_tmp, "%s", dcs_h5_temp_path(f));
    report_free();
    if (strlen(path) < sizeof g_report.path)
        memcpy(g_report.path, path, strlen(path) + 1);
    else
        g_report.path[0] = '\0';
    return f;
}

int dcs_cmd_close_output(dcs_h5file *f, int commit, dcs_err *err)
{
    int read = commit && g_report.path[0] != '\0';
    int rc = dcs_h5_close_read(f, commit, read ? render_report : NULL, f, err);
    pending_tmp[0] = '\0';
    if (rc != 0)
        report_free();
    return rc;
}

int dcs_cmd_abandon(dcs_h5file *f, const dcs_err *err)
{
    dcs_cmd_restore_signals();
    dcs_cmd_print_err(err);
    if (f != NULL) {
        dcs_err ignored;
        dcs_err_clear(&ignored);
        dcs_cmd_close_output(f, 0, &ignored);
    }
    return dcs_cmd_exit_status(err->code ? err->code : 1);
}

int dcs_cmd_finish(const char *out_path, int complete, uint64_t done, uint64_t planned, int quiet)
{
    int status = 0;
    if (!complete) {
        fprintf(stderr, "dcsim: interrupted: %llu of %llu replications written to %s\n",
                (unsigned long long)done, (unsigned long long)planned, out_path);
        status = 1;
    } else if (!quiet) {
        fprintf(stderr, "wrote %s\n", out_path);
    }
    dcs_err err;
    dcs_err_clear(&err);
    int rc;
    if (g_report.rendered && strcmp(g_report.path, out_path) == 0) {
        rc = g_report.rc;
        err = g_report.err;
        if (g_report.len > 0)
            fwrite(g_report.text, 1, g_report.len, stdout);
        if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout)))
            rc = dcs_err_set(&err, DCS_EIO, "cannot write the report: %s", strerror(errno));
        report_free();
    } else {
        rc = dcs_report_print(out_path, stdout, DCS_REPORT_TABLE, &err);
    }
    if (rc != 0) {
        dcs_cmd_print_err(&err);
        return 1;
    }
    return status;
}

double dcs_cmd_default_sample_s(const dcs_world *w)
{
    /* Round steps from a second to a day: samples land on whole minutes
     * and hours, which is what a plot's axis wants. */
    static const double steps[] = {1,    5,    10,   30,    60,    300,   600,   900,
                                   1800, 3600, 7200, 21600, 43200, 86400, 604800};
    double want = dcs_world_run_cfg(w)->ts_s / 500.0;
    double best = steps[0];
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (steps[i] <= want)
            best = steps[i];
    return best;
}

int dcs_cmd_exit_status(int code)
{
    if (code == 0)
        return 0;
    return code == DCS_EINPUT ? 2 : 1;
}

void dcs_cmd_print_err(const dcs_err *err)
{
    char buf[768];
    /* Input errors start with their position, as compilers print them, so
     * that editors and scripts can jump to it; others name the program. */
    fprintf(stderr, "%s%s\n",
            err->where[0] != '\0' ? "" : "dcsim: ", dcs_err_format(err, buf, sizeof buf));
}

void dcs_cmd_warn_memory(FILE *out, const char *file, const dcs_scenario *sc)
{
    dcs_memory_need m;
    if (dcs_memory_need_of(sc, &m))
        return;
    fprintf(out,
            "%s: warning: the training state does not fit: %.3g GB per accelerator (job.parameters "
            "x checkpoint.bytes_per_parameter over job.memory.sharded_over, plus "
            "job.memory.activations) against %.3g GB; the job offloads the rest "
            "(job.memory.offload), which dcsim does not slow down\n",
            file, m.need_bytes / 1e9, m.have_bytes / 1e9);
}
