/*
 * heap.h - the process's heap in transparent huge pages.
 *
 * A run that writes an HDF5 file touches ~1.5 MB of fresh heap at once:
 * HDF5 zeroes ~1 MB for the metadata cache of every file it creates or
 * opens, and the scenario, the world and the runner take the rest. In
 * 4 KiB pages that is ~370 page faults, ~1.2 us each on the machines
 * measured (docs/design-notes.md, "Speed: the fixed cost of a run, third
 * round"); in a 2 MiB page, one.
 */
#ifndef DCSIM_CLI_HEAP_H
#define DCSIM_CLI_HEAP_H

/* Asks the kernel for huge pages under the heap's next 8 MiB: grows the
 * heap to a 2 MiB boundary (the pages below it are never touched), then
 * marks the 8 MiB above it MADV_HUGEPAGE. A hint: where the kernel gives no
 * huge pages, or off glibc, or in a sanitizer build (whose allocator is not
 * glibc's), it does nothing, and the heap is in small pages as before.
 * Call it once, at the start of main, before any thread starts. */
void dcs_heap_huge_pages(void);

#endif
