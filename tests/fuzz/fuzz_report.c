/*
 * fuzz_report.c - libFuzzer target of the `dcsim report` reader
 * (dcs_report_print_opts): any bytes as an output file. The bytes go to an
 * in-memory file (memfd) that HDF5 opens by its /proc/self/fd path, as it
 * would open a file on disk; the report goes to /dev/null in the three
 * formats. The reader must return 0 or an error value, never crash, leak or
 * hang. (HDF5 itself is not instrumented: only what it does to dcsim's
 * memory, or a crash, shows.)
 *
 * The bytes are written to one temporary file, in /dev/shm when there is
 * one (memory; HDF5 1.10 cannot open a memfd: it resolves the path's real
 * name), removed at exit.
 */
#define _GNU_SOURCE
#include "report.h"

#include <hdf5.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static int fd = -1;
static char path[128];
static FILE *devnull;

static void remove_file(void)
{
    unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setenv("HDF5_USE_FILE_LOCKING", "FALSE", 1);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(path, sizeof path, "%s/dcsim-fuzz-report-XXXXXX", dir);
    fd = mkstemp(path);
    devnull = fopen("/dev/null", "w");
    if (fd < 0 || devnull == NULL || atexit(remove_file) != 0) {
        perror("fuzz_report");
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    static const dcs_report_format fmts[] = {DCS_REPORT_TABLE, DCS_REPORT_CSV, DCS_REPORT_JSON};
    for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
        dcs_err err;
        dcs_err_clear(&err);
        dcs_report_opts o = {fmts[i], NULL, NULL, NULL, 0};
        int rc = dcs_report_print_opts(path, devnull, &o, &err);
        if (rc != 0) {
            if (err.code != rc || err.msg[0] == '\0') {
                fprintf(stderr, "fuzz_report: error %d without its message\n", rc);
                abort();
            }
            if (getenv("FUZZ_VERBOSE") != NULL) /* why each input is refused */
                fprintf(stderr, "fuzz_report: %s\n", err.msg);
            break; /* the other formats read the same file the same way */
        }
    }
    return 0;
}
