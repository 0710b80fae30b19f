/*
 * heap.c - the process's heap in transparent huge pages (heap.h).
 *
 * glibc's main arena grows the heap with brk and carves blocks from its
 * top in order. So: a filler block (kept, never touched) takes the heap up
 * to the next 2 MiB boundary; a block of 8 MiB allocated there and freed
 * again leaves the heap's top at the boundary with 8 MiB of address space
 * under it (main's M_TRIM_THRESHOLD keeps it mapped); madvise marks those
 * 8 MiB MADV_HUGEPAGE, so that the first write to each 2 MiB of them takes
 * one fault for a whole huge page, and every block allocated after it is
 * in them.
 */
#define _DEFAULT_SOURCE
#include "heap.h"

#include <stdint.h>
#include <stdlib.h>

#if defined(__GLIBC__) && !defined(DCSIM_SANITIZED)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#if __GLIBC_PREREQ(2, 33) && defined(MADV_HUGEPAGE)
#define HUGE_HEAP 1
#endif
#endif

#ifdef HUGE_HEAP
enum { HUGE_BYTES = 2 << 20, RESERVE_BYTES = 8 << 20 };

/* The filler below the boundary: owned here for the process's life. */
static void *filler;

void dcs_heap_huge_pages(void)
{
    const uintptr_t huge = HUGE_BYTES;
    /* The top chunk ends at the break; keepcost is its size. */
    uintptr_t end = (uintptr_t)sbrk(0), top = end - mallinfo2().keepcost;
    /* 64 KiB above the top at least, so that the filler is a heap block
     * (glibc's header and alignment take a few bytes of it). */
    uintptr_t boundary = (top + 64 * 1024 + huge - 1) & ~(huge - 1);
    if (end == (uintptr_t)-1 || top > end || filler != NULL)
        return;
    filler = malloc(boundary - top - 32);
    char *p = malloc(RESERVE_BYTES);
    if (p == NULL)
        return;
    uintptr_t lo = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    uintptr_t hi = ((uintptr_t)p + RESERVE_BYTES) & ~(huge - 1);
    if (hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE); /* a hint */
    free(p);
}
#else
void dcs_heap_huge_pages(void)
{
}
#endif
