/*
 * cmd_report.c - `dcsim report OUT.h5 [--format table|csv|json]
 * [--sort COLUMN] [--best COLUMN] [--subject-to EXPR]... [--html PAGE]`.
 *
 * Parses the arguments and hands the file to dcs_report_print_opts, which
 * does all the reading and formatting; this file only maps the outcome to
 * an exit status. A missing or unreadable file is an I/O failure (1); a
 * usage error, an unknown format, a bad constraint, or a file that is not
 * dcsim output (no /stats table) is bad input (2), and so are --sort,
 * --best and --subject-to on a run's file, which apply to a sweep's table
 * of points. The report goes to standard output, messages to standard
 * error, so `dcsim report x.h5 --format csv > x.csv` stays clean.
 *
 * --html PAGE is written by dcsim's Python package (analysis/python,
 * `python3 -m dcsim_reader.plotcmd FILE --html PAGE`), which draws the
 * figures: the command first checks that the package imports (in
 * $DCSIM_PYTHON, or else python3 on PATH, then /usr/bin/python3) and says
 * how to install it when it does not (exit status 1: the set-up, not the input, is at fault). The
 * page's ranking comes back from this program (`dcsim report --format json`, through $DCSIM).
 */
#include "cmd.h"

#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"
#include "select.h"
#include "status.h"

extern char **environ;

#define MAX_CONSTRAINTS 16

static const char usage[] =
    "usage: dcsim report OUT.h5 [--format table|csv|json] [--sort COLUMN] [--best COLUMN]\n"
    "                           [--subject-to EXPR]... [--html PAGE [--force]]\n"
    "  -f, --format F     table (for people; the default), csv or json (for programs: every\n"
    "                     number as %.17g, NaN as nan or null)\n"
    "  --sort COLUMN      a sweep's points sorted by a column of the table (cost_usd_p95,\n"
    "                     p_cost_over_budget, label, ...) or the mean of a /stats metric;\n"
    "                     a leading '-' sorts descending (default: point order)\n"
    "  --best COLUMN      the /stats metric whose lowest mean marks a sweep's best point\n"
    "                     (highest with a leading '-'; default cost_usd); the points that\n"
    "                     cannot be told apart from it by paired comparisons are marked '='\n"
    "  --subject-to EXPR  only points that meet EXPR with 95% confidence can be best, e.g.\n"
    "                     'p_late <= 0.05', 'p_over_budget < 10%', 'makespan_h_p95 <= 1400',\n"
    "                     'goodput >= 0.9' (a metric's mean); repeatable (all must hold;\n"
    "                     default: none). Names: p_late, p_over_budget, p_over_target:METRIC,\n"
    "                     METRIC, METRIC_mean, METRIC_pNN, METRIC_median\n"
    "  --html PAGE        also write a self-contained HTML report (needs dcsim's Python\n"
    "                     package: pip install ./analysis/python; default: none)\n"
    "  --force            replace an existing PAGE (default: an existing page is kept and\n"
    "                     the command refuses before it prints anything)\n"
    "  -h, --help         this text\n";

/* The HTML page may be written: it is new, or a regular file other than
 * the file reported on and --force was given. Prints why not (exit
 * status 2: bad input, before anything is printed). */
static int check_page(const char *page, const char *h5, int force)
{
    struct stat p, f;
    if (lstat(page, &p) != 0)
        return 0; /* new (a missing folder is the Python side's message) */
    if (stat(h5, &f) == 0 && stat(page, &p) == 0 && p.st_dev == f.st_dev && p.st_ino == f.st_ino) {
        fprintf(stderr, "dcsim report: --html %s is the file reported on; give another page\n",
                page);
        return 2;
    }
    if (lstat(page, &p) == 0 && !S_ISREG(p.st_mode)) {
        fprintf(stderr,
                "dcsim report: --html %s is not a regular file; dcsim replaces only regular "
                "files: give another page\n",
                page);
        return 2;
    }
    if (!force) {
        fprintf(stderr,
                "dcsim report: %s exists; dcsim keeps an existing page: give --force to replace "
                "it, or another --html\n",
                page);
        return 2;
    }
    return 0;
}

static int fail(const dcs_err *err)
{
    char buf[700];
    fprintf(stderr, "dcsim report: %s\n", dcs_err_format(err, buf, sizeof buf));
    return err->code == DCS_EINPUT ? 2 : 1;
}

/* Runs argv (argv[0] looked up on PATH) with standard output and error
 * sent to /dev/null when quiet; returns its exit status, or -1 when it
 * could not start or was killed. */
static int run_child(char *const *argv, int quiet)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (quiet) {
        posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", 1 /* O_WRONLY */, 0);
        posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", 1 /* O_WRONLY */, 0);
    }
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return -1;
    int st;
    if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

/* The command line, for the page's provenance: words joined by spaces. */
static void join_args(int argc, char **argv, char *buf, size_t n)
{
    size_t used = (size_t)snprintf(buf, n, "dcsim");
    for (int i = 0; i < argc && used < n; i++)
        used += (size_t)snprintf(buf + used, n - used, " %s", argv[i]);
}

/* A command line for posix_spawnp, whose argv is not const: the words are
 * copied. */
typedef struct argvec {
    char *v[24 + 2 * MAX_CONSTRAINTS];
    size_t n;
    int oom;
} argvec;

static void arg(argvec *a, const char *s)
{
    char *d = strdup(s);
    a->oom |= d == NULL;
    a->v[a->n++] = d;
    a->v[a->n] = NULL;
}

static void argvec_fini(argvec *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i]);
}

/* Writes the HTML page through the Python package. */
static int write_html(const char *path, const char *page, const char *best, const char *const *cons,
                      size_t ncons, int force, int argc, char **argv)
{
    /* $DCSIM_PYTHON, else python3 on PATH, else Debian's own (where the
     * set-up installs the package, when PATH finds another python3 first). */
    const char *env = getenv("DCSIM_PYTHON");
    const char *candidates[] = {env != NULL && env[0] != '\0' ? env : "python3",
                                env != NULL && env[0] != '\0' ? NULL : "/usr/bin/python3"};
    const char *py = candidates[0];
    int ok = 0;
    for (size_t c = 0; !ok && c < 2 && candidates[c] != NULL; c++) {
        argvec probe = {.n = 0};
        arg(&probe, candidates[c]);
        arg(&probe, "-c");
        arg(&probe, "import dcsim_reader.html");
        ok = !probe.oom && run_child(probe.v, 1) == 0;
        argvec_fini(&probe);
        if (ok)
            py = candidates[c];
    }
    if (!ok) {
        fprintf(stderr,
                "dcsim report: --html needs dcsim's Python package, which %s cannot import: "
                "install it with `pip install ./analysis/python` (tools/deps.sh does), or name "
                "another interpreter in DCSIM_PYTHON; nothing was written\n",
                py);
        return 1;
    }
    char self[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len > 0) {
        self[len] = '\0';
        setenv("DCSIM", self, 1);
    }
    char cmdline[2048];
    join_args(argc, argv, cmdline, sizeof cmdline);
    argvec a = {.n = 0};
    const char *head[] = {py, "-m", "dcsim_reader.plotcmd", path, "--html", page, "--best", best};
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        arg(&a, head[i]);
    for (size_t c = 0; c < ncons; c++) {
        arg(&a, "--subject-to");
        arg(&a, cons[c]);
    }
    if (force)
        arg(&a, "--force");
    arg(&a, "--command");
    arg(&a, cmdline);
    fflush(stdout);
    int rc = a.oom ? -1 : run_child(a.v, 0);
    argvec_fini(&a);
    if (rc != 0) {
        fprintf(stderr, "dcsim report: the HTML report of %s failed (%s exit status %d)\n", path,
                py, rc);
        return rc == 2 ? 2 : 1;
    }
    return 0;
}

int dcs_cmd_report(int argc, char **argv)
{
    const char *path = NULL, *format = "table", *sort = NULL, *best = NULL, *html = NULL;
    const char *cons[MAX_CONSTRAINTS];
    size_t ncons = 0;
    int force = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(a, "--format") == 0 || strcmp(a, "-f") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "dcsim report: %s needs a value\n%s", a, usage);
                return 2;
            }
            format = argv[++i];
        } else if (strcmp(a, "--sort") == 0 || strcmp(a, "--best") == 0) {
            if (i + 1 >= argc || argv[i + 1][0] == '\0') {
                fprintf(stderr, "dcsim report: %s needs a column name\n%s", a, usage);
                return 2;
            }
            *(a[2] == 's' ? &sort : &best) = argv[++i];
        } else if (strcmp(a, "--subject-to") == 0) {
            if (i + 1 >= argc || argv[i + 1][0] == '\0') {
                fprintf(stderr, "dcsim report: %s needs a constraint, e.g. 'p_late <= 0.05'\n%s", a,
                        usage);
                return 2;
            }
            if (ncons == MAX_CONSTRAINTS) {
                fprintf(stderr, "dcsim report: at most %d --subject-to\n", MAX_CONSTRAINTS);
                return 2;
            }
            cons[ncons++] = argv[++i];
        } else if (strcmp(a, "--html") == 0) {
            if (i + 1 >= argc || argv[i + 1][0] == '\0') {
                fprintf(stderr, "dcsim report: --html needs a file name\n%s", usage);
                return 2;
            }
            html = argv[++i];
        } else if (strcmp(a, "--force") == 0) {
            force = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "dcsim report: unknown option %s\n%s", a, usage);
            return 2;
        } else if (path == NULL) {
            path = a;
        } else {
            fprintf(stderr, "dcsim report: one file at a time (got %s and %s)\n%s", path, a, usage);
            return 2;
        }
    }
    if (path == NULL) {
        fprintf(stderr, "dcsim report: no file given\n%s", usage);
        return 2;
    }
    if (force && html == NULL) {
        fprintf(stderr, "dcsim report: --force goes with --html (report writes no other file)\n%s",
                usage);
        return 2;
    }
    if (html != NULL) {
        int rc = check_page(html, path, force);
        if (rc != 0)
            return rc;
    }
    dcs_err err;
    dcs_err_clear(&err);
    dcs_report_opts o = {DCS_REPORT_TABLE, sort, best, cons, ncons};
    if (dcs_report_parse_format(format, &o.fmt, &err) != 0)
        return fail(&err);
    if (dcs_report_print_opts(path, stdout, &o, &err) != 0)
        return fail(&err);
    if (html != NULL)
        return write_html(path, html, best != NULL ? best : "cost_usd", cons, ncons, force, argc,
                          argv);
    return 0;
}
