/*
 * pages.c - memory apart from the heap, in small pages (pages.h).
 */
/* MAP_ANONYMOUS and O_TMPFILE beside POSIX. */
#define _GNU_SOURCE

#include "pages.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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

int dcs_pages_spill(const char *beside)
{
    const char *slash = beside != NULL ? strrchr(beside, '/') : NULL;
    char dir[4096];
    int len = slash == NULL ? snprintf(dir, sizeof dir, ".")
                            : snprintf(dir, sizeof dir, "%.*s", (int)(slash - beside + 1), beside);
    if (len < 0 || (size_t)len + sizeof "/.dcsim-spill-XXXXXX" > sizeof dir) {
        errno = ENAMETOOLONG;
        return -1;
    }
#ifdef O_TMPFILE
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
        return fd;
#endif
    strcat(dir, "/.dcsim-spill-XXXXXX");
    int tmp = mkostemp(dir, O_CLOEXEC);
    if (tmp >= 0)
        (void)unlink(dir);
    return tmp;
}
