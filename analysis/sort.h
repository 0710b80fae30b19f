/*
 * sort.h - ascending sort of finite doubles, to the very array gsl_sort
 * gives, in O(n).
 *
 * Finite doubles that compare equal have the same bits, except -0.0 and
 * +0.0; so every correct sort of values without -0.0 gives the same array,
 * bit for bit, and the statistics taken from it (the mean and standard
 * deviation are sums in that order) stay what they were with gsl_sort. With
 * a -0.0 among the values, the order of the zeros is gsl_sort's, so it sorts
 * them.
 */
#ifndef DCSIM_ANALYSIS_SORT_H
#define DCSIM_ANALYSIS_SORT_H

#include <stddef.h>
#include <stdint.h>

/* Sorts the finite values x[0..n) ascending; ws has room for 2 n values. An
 * array already in order is only read. */
void dcs_sort_f64(double *x, size_t n, uint64_t *ws);

#endif /* DCSIM_ANALYSIS_SORT_H */
