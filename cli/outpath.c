/*
 * outpath.c - the checks on an output path, made before the first
 * replication runs (issue 16).
 *
 * The writer (sim/h5out.c) writes under a temporary name and renames it
 * onto the path at the end; rename() replaces whatever is there, so the
 * path is looked at first: only an existing regular file is ever replaced,
 * never an input of the run, and only with --force (issue 17: an existing
 * result is kept). A folder that cannot take the file is found here too,
 * not after the simulation. All of these are the user's to fix: DCS_EINPUT,
 * exit status 2. The writer checks the path once more just before its
 * rename, against a FIFO or link made while the run ran.
 */
#include "cmd.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a file that is not a regular one is, for messages. */
static const char *kind_of(mode_t m)
{
    if (S_ISDIR(m))
        return "a directory";
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
    if (S_ISSOCK(m))
        return "a socket";
    if (S_ISLNK(m))
        return "a symbolic link";
    return "not a regular file";
}

/* The input that is the file st describes, or NULL. */
static const dcs_cmd_input *input_at(const struct stat *st, const dcs_cmd_input *in, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct stat s;
        if (in[i].path == NULL || in[i].path[0] == '\0' || strcmp(in[i].path, "-") == 0)
            continue;
        if (stat(in[i].path, &s) == 0 && s.st_dev == st->st_dev && s.st_ino == st->st_ino)
            return &in[i];
    }
    return NULL;
}

/* Mentions the temporary files of earlier runs at this output whose process
 * is gone (killed, or stopped by a second interrupt): OUT.tmp.PID. They are
 * never used or removed by dcsim; the user decides. */
static void mention_stale(const char *out, const char *dir)
{
    const char *slash = strrchr(out, '/');
    const char *base = slash != NULL ? slash + 1 : out;
    size_t n = strlen(base);
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *name = e->d_name;
        if (strncmp(name, base, n) != 0 || strncmp(name + n, ".tmp.", 5) != 0)
            continue;
        char *end;
        long pid = strtol(name + n + 5, &end, 10);
        if (*end != '\0' || pid <= 0 || end == name + n + 5)
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue; /* a run still writing it */
        fprintf(stderr,
                "dcsim: note: %s%s%s is left from a run that did not finish (process %ld is "
                "gone); dcsim does not use it: remove it when it is not wanted\n",
                slash != NULL ? dir : "", slash != NULL && strcmp(dir, "/") != 0 ? "/" : "", name,
                pid);
    }
    closedir(d);
}

/* The folder the output goes to must exist, be a folder and be writable. */
static int check_folder(const char *out, dcs_err *err)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(out, '/');
    if (slash == NULL)
        snprintf(dir, sizeof dir, ".");
    else if (slash == out)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - out), out);
    struct stat st;
    if (stat(dir, &st) != 0)
        return dcs_err_set(err, DCS_EINPUT, "cannot write %s: folder %s: %s", out, dir,
                           strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return dcs_err_set(err, DCS_EINPUT, "cannot write %s: %s is not a folder", out, dir);
    if (access(dir, W_OK | X_OK) != 0)
        return dcs_err_set(err, DCS_EINPUT, "cannot write %s: folder %s: %s", out, dir,
                           strerror(errno));
    mention_stale(out, dir);
    return 0;
}

int dcs_cmd_check_output(const char *out, const dcs_cmd_input *inputs, size_t ninputs, int force,
                         dcs_err *err)
{
    if (out == NULL || out[0] == '\0')
        return dcs_err_set(err, DCS_EINPUT, "the output path is empty");
    size_t len = strlen(out);
    if (out[len - 1] == '/')
        return dcs_err_set(err, DCS_EINPUT, "-o %s names a folder; give a file name", out);
    struct stat st;
    if (lstat(out, &st) != 0) {
        if (errno != ENOENT && errno != ENOTDIR)
            return dcs_err_set(err, DCS_EINPUT, "cannot write %s: %s", out, strerror(errno));
        return check_folder(out, err);
    }
    if (S_ISLNK(st.st_mode)) {
        struct stat to;
        const char *target = "nothing";
        if (stat(out, &to) == 0)
            target = S_ISREG(to.st_mode) ? "a regular file" : kind_of(to.st_mode);
        return dcs_err_set(err, DCS_EINPUT,
                           "%s is a symbolic link (to %s); dcsim replaces only regular files: "
                           "give another -o",
                           out, target);
    }
    if (S_ISDIR(st.st_mode))
        return dcs_err_set(err, DCS_EINPUT,
                           "%s is a directory; -o names the output file: give a file name", out);
    if (!S_ISREG(st.st_mode))
        return dcs_err_set(err, DCS_EINPUT,
                           "%s is %s; dcsim replaces only regular files: give another -o", out,
                           kind_of(st.st_mode));
    const dcs_cmd_input *in = input_at(&st, inputs, ninputs);
    if (in != NULL)
        return dcs_err_set(err, DCS_EINPUT,
                           "%s is %s (%s), an input of this command: give another -o", out,
                           in->what, in->path);
    if (!force)
        return dcs_err_set(err, DCS_EINPUT,
                           "%s exists; dcsim keeps an existing result: give --force to replace "
                           "it, or another -o",
                           out);
    return check_folder(out, err);
}
