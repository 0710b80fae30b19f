/*
 * alloc_fail.c - allocation-failure injection over `dcsim run` (or `dcsim
 * sweep`): load, run (two replications) and write of a small scenario (or
 * sweep), with the n-th allocation made to fail, for n = 1, 2, ... until a
 * run makes fewer than n allocations (and so succeeds).
 *
 * The executable holds the dcsim command's own code (cli/, with the
 * libraries) and is linked with -Wl,--wrap=malloc,--wrap=calloc,
 * --wrap=realloc,--wrap=strdup: every call to those in dcsim's object code
 * goes through the wrappers below, while HDF5, libyaml, GSL and the C
 * library keep their own (only dcsim's DCS_ENOMEM paths are under test).
 *
 * Each failing run must: return exit status 1 (a failure of the machine,
 * never 2 for bad input, never 0), say so in one line on standard error
 * naming memory, leave no temporary file and no HDF5 object open, and leak
 * nothing (LeakSanitizer, checked after every run in the sanitizer pass).
 * It must not crash or abort: that ends the test with the signal.
 *
 * Usage: alloc_fail WORKDIR run|sweep INPUT [FIRST [STEP]] (FIRST, STEP: the
 * n to start from and the stride, 1 and 1 by default, for a quicker look).
 * $ALLOC_FAIL_TRACE set: the stack of each failing call and each run's
 * message.
 */
#include "cmd.h"

#include <dirent.h>
#include <errno.h>
#include <execinfo.h>
#include <gsl/gsl_errno.h>
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_LSAN 1
#endif
#endif
#ifdef HAVE_LSAN
#include <sanitizer/lsan_interface.h>
#endif

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);

static long fail_at; /* the call that fails (1-based); 0: none */
static long calls;   /* calls counted since the last reset */

static int trace; /* $ALLOC_FAIL_TRACE set: the stack of each failing call */

/* Whether this call is the one to fail. Threads may allocate at once. */
static int fail_now(void)
{
    long k = __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
    if (fail_at > 0 && k == fail_at && trace) {
        void *frames[32];
        backtrace_symbols_fd(frames, backtrace(frames, 32), STDERR_FILENO);
    }
    return fail_at > 0 && k == fail_at;
}

void *__wrap_malloc(size_t n)
{
    return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t k, size_t n)
{
    return fail_now() ? NULL : __real_calloc(k, n);
}

void *__wrap_realloc(void *p, size_t n)
{
    return fail_now() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    if (fail_now()) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_strdup(s);
}

/* Files in dir whose name holds ".tmp": a temporary output left behind. */
static int temp_files(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;)
        n += strstr(e->d_name, ".tmp") != NULL;
    if (d != NULL)
        closedir(d);
    return n;
}

/* The text of file path (at most n - 1 bytes) into buf. */
static void slurp(const char *path, char *buf, size_t n)
{
    FILE *f = fopen(path, "r");
    size_t len = f != NULL ? fread(buf, 1, n - 1, f) : 0;
    buf[len] = '\0';
    if (f != NULL)
        fclose(f);
}

int main(int argc, char **argv)
{
    if (argc < 4 || (strcmp(argv[2], "run") != 0 && strcmp(argv[2], "sweep") != 0)) {
        fprintf(stderr, "usage: alloc_fail WORKDIR run|sweep INPUT [FIRST [STEP]]\n");
        return 2;
    }
    const char *dir = argv[1];
    int (*command)(int, char **) = strcmp(argv[2], "run") == 0 ? dcs_cmd_run : dcs_cmd_sweep;
    long first = argc > 4 ? atol(argv[4]) : 1, step = argc > 5 ? atol(argv[5]) : 1;
    if (first < 1 || step < 1) {
        fprintf(stderr, "alloc_fail: FIRST and STEP are positive\n");
        return 2;
    }
    trace = getenv("ALLOC_FAIL_TRACE") != NULL;
    H5dont_atexit();
    gsl_set_error_handler_off();
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    char out[4096], errpath[4096], msg[4096];
    snprintf(out, sizeof out, "%s/alloc.h5", dir);
    snprintf(errpath, sizeof errpath, "%s/alloc.stderr", dir);
    char a_n[] = "-n", a_2[] = "2", a_j[] = "-j", a_1[] = "1", a_q[] = "-q", a_o[] = "-o";
    char *args[] = {argv[2], argv[3], a_n, a_2, a_j, a_1, a_q, a_o, out, NULL};
    const int nargs = (int)(sizeof args / sizeof args[0]) - 1;
    dcs_cmd_set_command_line(nargs, args);

    /* Standard output (the report) is not looked at; standard error goes
     * to a file per run. */
    if (freopen("/dev/null", "w", stdout) == NULL)
        return 1;
    int saved_err = dup(STDERR_FILENO);
    FILE *log = fdopen(saved_err, "w");
    if (log == NULL)
        return 1;
    setvbuf(log, NULL, _IOLBF, 0);

    long failures = 0, bad = 0, n;
    for (n = first;; n += step) {
        remove(out);
        if (freopen(errpath, "w", stderr) == NULL)
            return 1;
        calls = 0;
        fail_at = n;
        int status = command(nargs, args);
        fail_at = 0;
        long made = calls;
        fflush(stderr);
        slurp(errpath, msg, sizeof msg);
        int injected = made >= n;
        const char *why = NULL;
        if (!injected && status != 0)
            why = "failed with no allocation failing";
        else if (injected && status != 1)
            why = status == 0 ? "succeeded although an allocation failed"
                              : "exit status is not 1 (a failure of the machine)";
        else if (injected && strstr(msg, "memory") == NULL && strstr(msg, "allocate") == NULL)
            why = "the message does not say memory ran out";
        else if (temp_files(dir) != 0)
            why = "a temporary file is left";
        else if (H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL) != 0)
            why = "HDF5 objects are left open";
#ifdef HAVE_LSAN
        else if (__lsan_do_recoverable_leak_check() != 0)
            why = "memory leaked (see LeakSanitizer's report above)";
#endif
        if (trace)
            fprintf(log, "alloc_fail: allocation %ld of %ld: exit status %d: %s", n, made, status,
                    msg);
        if (why != NULL) {
            fprintf(log, "alloc_fail: allocation %ld of %ld: %s (exit status %d):\n%s", n, made,
                    why, status, msg);
            bad++;
            if (bad >= 20)
                break;
        }
        if (!injected)
            break;
        failures++;
        /* Clear what a failed run may have left for the next. */
        if (temp_files(dir) != 0) {
            char cmd[8192];
            snprintf(cmd, sizeof cmd, "rm -f '%s'/*.tmp*", dir);
            if (system(cmd) != 0)
                return 1;
        }
    }
    remove(out);
    remove(errpath);
    fprintf(log, "alloc_fail: %ld runs with an allocation failing (n = %ld, %ld, ...), %ld bad\n",
            failures, first, step, bad);
    H5close();
    return bad != 0;
}
