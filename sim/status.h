/*
 * status.h - status codes and the error record every fallible call fills.
 *
 * Fallible functions return int: 0 on success, a negative DCS_E* code on
 * failure, and take a dcs_err *err as their last argument. The first failure
 * writes the message; callers on the way up may add the input position
 * (`where`) and the scenario key path (`key`) but never overwrite the root
 * message. Only cli/main.c turns a code into an exit status: DCS_EINPUT is
 * 2 (bad input or usage), anything else is 1.
 */
#ifndef DCSIM_SIM_STATUS_H
#define DCSIM_SIM_STATUS_H

#include <stddef.h>

#define DCS_STATUS_MAP(X)                                                                          \
    X(OK, 0, "success")                                                                            \
    X(EINPUT, -1, "invalid input")                                                                 \
    X(ENOMEM, -2, "out of memory")                                                                 \
    X(EIO, -3, "I/O error")                                                                        \
    X(EHDF5, -4, "HDF5 call failed")                                                               \
    X(EGSL, -5, "GSL call failed")                                                                 \
    X(ESTATE, -6, "invalid engine state")                                                          \
    X(EINTR, -7, "interrupted")

typedef enum {
#define X(name, value, text) DCS_##name = value,
    DCS_STATUS_MAP(X)
#undef X
} dcs_status;

typedef struct dcs_err {
    int code;        /* negative DCS_E* value; 0 when clear */
    char where[256]; /* "file:line:col", empty when not about input */
    char key[128];   /* scenario key path, e.g. "checkpoint.interval" */
    char msg[256];   /* one sentence, no trailing newline */
} dcs_err;

/* Returns the symbolic name of a status code ("EINPUT"), or "UNKNOWN". */
const char *dcs_status_name(int code);

/* Returns the one-line description of a status code ("invalid input"). */
const char *dcs_status_text(int code);

/* Clears err (code 0, empty strings). err may be NULL. */
void dcs_err_clear(dcs_err *err);

/* Records a failure: sets code and formats msg, unless a message is already
 * set (the root cause wins). Returns code, so that `return dcs_err_set(...)`
 * reads naturally. err may be NULL. */
int dcs_err_set(dcs_err *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Adds the input position ("file:line:col") unless one is already set. */
void dcs_err_where(dcs_err *err, const char *file, long line, long col);

/* Adds the key path unless one is already set. */
void dcs_err_key(dcs_err *err, const char *key);

/* Formats err as "where: key: msg" (parts that are empty are left out) into
 * buf of size n. Returns buf. */
const char *dcs_err_format(const dcs_err *err, char *buf, size_t n);

#endif /* DCSIM_SIM_STATUS_H */
