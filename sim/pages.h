/*
 * pages.h - memory apart from the heap, in small pages.
 *
 * The dcsim command keeps its heap in 2 MiB transparent huge pages
 * (cli/heap.c): the kernel clears each one whole when it is first touched,
 * and where none is free it compacts memory first (a stall of several
 * milliseconds, seen in about one run in fifteen here). A large buffer
 * that is filled only in part, or only as the run goes, does better apart:
 * a private anonymous mapping, whose 4 KiB pages are each cleared when
 * first written, and which holds zeros until then. In the sanitizer
 * builds, calloc instead, so that ASan checks the bounds and the
 * allocation failure tests reach it.
 *
 * Data that would make memory grow with a run's size (a sort's columns of
 * a million replications) goes to a spill file instead.
 */
#ifndef DCSIM_SIM_PAGES_H
#define DCSIM_SIM_PAGES_H

#include <stddef.h>

/* bytes (at least 1) of zeros apart from the heap, or NULL when out of
 * memory. Freed with dcs_pages_free(p, bytes). */
void *dcs_pages_alloc(size_t bytes);

/* Frees p, from dcs_pages_alloc(bytes); NULL is ignored. */
void dcs_pages_free(void *p, size_t bytes);

/* Pages on disk: a new empty file in the folder of the file `beside`
 * (which need not exist yet), read and written by its descriptor and
 * gone when that is closed (an O_TMPFILE, or a file unlinked at once
 * where the file system has none). Returns the descriptor, or -1 with
 * errno set. */
int dcs_pages_spill(const char *beside);

#endif
