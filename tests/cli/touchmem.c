/*
 * touchmem.c - touchmem MIB: allocates MIB mebibytes, writes one byte in
 * every page of them, and exits 0. The memory load of tests/cli/harness.sh,
 * which checks that bench/cputime reports a child's peak resident set: that
 * of this program grows by MIB MiB, its pages all resident at once.
 */
#include <stdio.h>
#include <stdlib.h>

#define PAGE_BYTES 4096 /* the smallest page of the machines we run on; a write a page */

int main(int argc, char **argv)
{
    char *end;
    long mib = argc == 2 ? strtol(argv[1], &end, 10) : -1;
    if (argc != 2 || *end != '\0' || mib < 0 || mib > 4096) {
        fprintf(stderr, "usage: touchmem MIB (0 to 4096)\n");
        return 2;
    }
    size_t bytes = (size_t)mib << 20;
    char *buf = malloc(bytes > 0 ? bytes : 1);
    /* volatile: the writes are the point, so the compiler must keep them. */
    volatile char *p = buf;
    if (buf == NULL) {
        fprintf(stderr, "touchmem: cannot allocate %ld MiB\n", mib);
        return 1;
    }
    for (size_t i = 0; i < bytes; i += PAGE_BYTES)
        p[i] = 1;
    free(buf);
    return 0;
}
