/*
 * status.c - the status-code table and the error record.
 *
 * The names and texts come from the one X-macro in status.h, so that the
 * enum, the names and the texts cannot drift apart. An error record keeps
 * its first message: the deepest caller knows best what went wrong, and
 * callers higher up only add where (a file position) and which key.
 */
#include "status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *dcs_status_name(int code)
{
    switch (code) {
#define X(name, value, text)                                                                       \
    case value:                                                                                    \
        return #name;
        DCS_STATUS_MAP(X)
#undef X
    }
    return "UNKNOWN";
}

const char *dcs_status_text(int code)
{
    switch (code) {
#define X(name, value, text)                                                                       \
    case value:                                                                                    \
        return text;
        DCS_STATUS_MAP(X)
#undef X
    }
    return "unknown status";
}

void dcs_err_clear(dcs_err *err)
{
    if (err == NULL)
        return;
    err->code = 0;
    err->where[0] = '\0';
    err->key[0] = '\0';
    err->msg[0] = '\0';
}

int dcs_err_set(dcs_err *err, int code, const char *fmt, ...)
{
    if (err == NULL || err->msg[0] != '\0')
        return code;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

void dcs_err_where(dcs_err *err, const char *file, long line, long col)
{
    if (err == NULL || err->where[0] != '\0')
        return;
    snprintf(err->where, sizeof err->where, "%s:%ld:%ld", file, line, col);
}

void dcs_err_key(dcs_err *err, const char *key)
{
    if (err == NULL || err->key[0] != '\0' || key == NULL)
        return;
    snprintf(err->key, sizeof err->key, "%s", key);
}

const char *dcs_err_format(const dcs_err *err, char *buf, size_t n)
{
    if (n == 0)
        return buf;
    buf[0] = '\0';
    size_t used = 0;
    if (err->where[0] != '\0')
        used += (size_t)snprintf(buf + used, n - used, "%s: ", err->where);
    if (used < n && err->key[0] != '\0')
        used += (size_t)snprintf(buf + used, n - used, "%s: ", err->key);
    if (used < n)
        snprintf(buf + used, n - used, "%s",
                 err->msg[0] != '\0' ? err->msg : dcs_status_text(err->code));
    return buf;
}
