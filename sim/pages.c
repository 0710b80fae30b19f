/*
 * pages.c - memory apart from the heap, in small pages (pages.h).
 */
/* MAP_ANONYMOUS beside POSIX. */
#define _DEFAULT_SOURCE

#include "pages.h"

#include <stdlib.h>
#include <sys/mman.h>

void *dcs_pages_alloc(size_t bytes)
{
    if (bytes == 0)
        bytes = 1;
#ifdef DCSIM_SANITIZED
    return calloc(1, bytes);
#else
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
#endif
}

void dcs_pages_free(void *p, size_t bytes)
{
    if (bytes == 0)
        bytes = 1;
#ifdef DCSIM_SANITIZED
    (void)bytes;
    free(p);
#else
    if (p != NULL)
        (void)munmap(p, bytes);
#endif
}
