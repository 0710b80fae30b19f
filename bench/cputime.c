/*
 * cputime.c - cputime OUT CMD [ARG...]: runs CMD and writes
 * "cpu_s wall_s max_rss_kB" to the file OUT, then exits with CMD's status.
 *
 * The timing harness of the bench scripts. CPU is CMD's user + system time
 * from getrusage(RUSAGE_CHILDREN) after it is reaped, to the microsecond
 * (GNU time rounds it to 10 ms, too coarse for a run of a few
 * milliseconds); wall is CLOCK_MONOTONIC from just before the spawn to just
 * after the reap; max_rss_kB is CMD's peak resident set. It is written in C
 * and starts CMD by posix_spawnp because a child inherits the peak memory
 * and the fork-to-exec CPU of whatever starts it: Linux keeps the pre-exec
 * address space's high-water mark in the task's maxrss, so a child of a
 * Python harness reported Python's ~14 MB as its own floor, and the copy of
 * a Python process between fork and exec cost it 0.1-0.3 ms of CPU. From
 * this ~1 MB program both are about what /bin/true costs alone
 * (docs/design-notes.md, "Speed: the benchmark harness").
 *
 * CMD's stdin, stdout and stderr are this program's, untouched. Exit status:
 * CMD's; 128 + the signal number if a signal ended it (as a shell says);
 * 127 if CMD cannot be started (as a shell says; OUT is then not written);
 * 2 for a usage error; 1 if OUT cannot be written.
 */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>

#define EXIT_USAGE    2   /* a usage error, as the dcsim command says one */
#define EXIT_NOSTART  127 /* command not found or not executable: a shell's status */
#define EXIT_SIGNAL_0 128 /* a shell's status base for a child ended by a signal */

extern char **environ;

static double monotonic_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double timeval_s(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
}

/* The shell's exit status for a wait status: the exit code, or 128 + signal. */
static int shell_status(int wstatus)
{
    if (WIFEXITED(wstatus))
        return WEXITSTATUS(wstatus);
    if (WIFSIGNALED(wstatus))
        return EXIT_SIGNAL_0 + WTERMSIG(wstatus);
    return 1;
}

/* Writes "cpu_s wall_s max_rss_kB" of the reaped children to OUT; 0 or -1. */
static int write_times(const char *out, double wall_s)
{
    struct rusage ru;
    if (getrusage(RUSAGE_CHILDREN, &ru) != 0)
        return -1;
    FILE *f = fopen(out, "w");
    if (f == NULL)
        return -1;
    int n = fprintf(f, "%.6f %.6f %ld\n", timeval_s(ru.ru_utime) + timeval_s(ru.ru_stime), wall_s,
                    (long)ru.ru_maxrss);
    return (fclose(f) == 0 && n > 0) ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: cputime OUT CMD [ARG...]\n");
        return EXIT_USAGE;
    }
    pid_t pid;
    double start = monotonic_s();
    int rc = posix_spawnp(&pid, argv[2], NULL, NULL, argv + 2, environ);
    if (rc != 0) {
        fprintf(stderr, "cputime: %s: %s\n", argv[2], strerror(rc));
        return EXIT_NOSTART;
    }
    int wstatus;
    while (waitpid(pid, &wstatus, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "cputime: waitpid: %s\n", strerror(errno));
            return 1;
        }
    }
    double wall_s = monotonic_s() - start;
    if (write_times(argv[1], wall_s) != 0) {
        fprintf(stderr, "cputime: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    return shell_status(wstatus);
}
