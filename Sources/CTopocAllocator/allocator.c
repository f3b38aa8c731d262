//===----------------------------------------------------------------------===//
// mallopt(M_MMAP_THRESHOLD) for the topoc command; a no-op without glibc.
//===----------------------------------------------------------------------===//
#include "CTopocAllocator.h"

// Any C library header defines __GLIBC__ under glibc.
#include <stdlib.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int c_topoc_fix_mmap_threshold(int bytes) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, bytes);
#else
    (void)bytes;
    return 0;
#endif
}
