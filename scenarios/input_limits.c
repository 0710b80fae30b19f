/*
 * input_limits.c - refusals made before parsing: inputs that are not regular
 * files, and inputs above the size cap (input_limits.h).
 */
#include "input_limits.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

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
    return "not a regular file";
}

int dcs_input_check_size(const char *name, size_t len, dcs_err *err)
{
    if (len <= DCS_INPUT_MAX_BYTES)
        return 0;
    return dcs_err_set(err, DCS_EINPUT, "%s holds more than %zu MiB, the most dcsim reads", name,
                       DCS_INPUT_MAX_BYTES >> 20);
}

int dcs_input_read_file(const char *path, const char *what, char **text, size_t *len, dcs_err *err)
{
    *text = NULL;
    *len = 0;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused
     * below, as is anything that is not a regular file. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return dcs_err_set(err, DCS_EINPUT, "cannot open %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return dcs_err_set(err, DCS_EIO, "cannot read %s: %s", path, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return dcs_err_set(err, DCS_EINPUT, "%s is %s; give %s", path, kind_of(st.st_mode), what);
    }
    if ((unsigned long long)st.st_size > DCS_INPUT_MAX_BYTES) {
        close(fd);
        return dcs_input_check_size(path, (size_t)-1, err);
    }
    /* Read at most one byte past the cap: a file that grew is refused too. */
    size_t cap = (size_t)st.st_size + 1, used = 0;
    char *buf = malloc(cap + 1);
    int rc = 0;
    while (buf != NULL) {
        ssize_t n = read(fd, buf + used, cap - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = dcs_err_set(err, DCS_EIO, "cannot read %s: %s", path, strerror(errno));
            break;
        }
        used += (size_t)n;
        if (n == 0)
            break;
        if (used == cap) {
            if (cap > DCS_INPUT_MAX_BYTES) {
                rc = dcs_input_check_size(path, used, err);
                break;
            }
            size_t bigger = cap * 2 > DCS_INPUT_MAX_BYTES + 1 ? DCS_INPUT_MAX_BYTES + 1 : cap * 2;
            char *nb = realloc(buf, bigger + 1);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap = bigger;
        }
    }
    close(fd);
    if (buf == NULL)
        return dcs_err_set(err, DCS_ENOMEM, "out of memory reading %s", path);
    if (rc != 0) {
        free(buf);
        return rc;
    }
    buf[used] = '\0';
    *text = buf;
    *len = used;
    return 0;
}

int dcs_input_check_event(const yaml_event_t *ev, int *depth, const char *name, long line0,
                          long col0, dcs_err *err)
{
    const unsigned char *tag = NULL;
    int rc = 0;
    switch (ev->type) {
    case YAML_MAPPING_START_EVENT:
    case YAML_SEQUENCE_START_EVENT:
        tag = ev->type == YAML_MAPPING_START_EVENT ? ev->data.mapping_start.tag
                                                   : ev->data.sequence_start.tag;
        if (++*depth > DCS_INPUT_MAX_DEPTH)
            rc = dcs_err_set(err, DCS_EINPUT,
                             "nested more than %d levels deep, the most dcsim reads",
                             DCS_INPUT_MAX_DEPTH);
        break;
    case YAML_MAPPING_END_EVENT:
    case YAML_SEQUENCE_END_EVENT:
        --*depth;
        break;
    case YAML_SCALAR_EVENT:
        tag = ev->data.scalar.tag;
        break;
    default:
        break;
    }
    if (rc == 0 && tag != NULL)
        rc = dcs_err_set(err, DCS_EINPUT,
                         "YAML tags are not supported, got \"%.40s\"; write the value "
                         "without a tag",
                         (const char *)tag);
    if (rc != 0) {
        long line = (long)ev->start_mark.line + 1, col = (long)ev->start_mark.column + 1;
        dcs_err_where(err, name, line + line0, line == 1 ? col + col0 : col);
    }
    return rc;
}

int dcs_input_check_yaml(const char *text, size_t len, const char *name, long line0, long col0,
                         dcs_err *err)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return dcs_err_set(err, DCS_ENOMEM, "out of memory parsing YAML");
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    int depth = 0, rc = 0, done = 0;
    while (!done && rc == 0) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            if (p.error == YAML_MEMORY_ERROR)
                rc = dcs_err_set(err, DCS_ENOMEM, "out of memory parsing YAML");
            break; /* a syntax error: the loader reports it */
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        rc = dcs_input_check_event(&ev, &depth, name, line0, col0, err);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    return rc;
}
