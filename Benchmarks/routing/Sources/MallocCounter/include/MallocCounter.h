#ifndef MALLOC_COUNTER_H
#define MALLOC_COUNTER_H

#include <stdint.h>

/// The number of allocation calls (malloc, calloc, realloc, posix_memalign, aligned_alloc,
/// memalign) the process has made since it started, counted by this library's interposers.
/// Returns UINT64_MAX where interposition is not available (not glibc).
uint64_t malloc_counter_allocations(void);

#endif
