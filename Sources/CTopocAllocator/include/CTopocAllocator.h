//===----------------------------------------------------------------------===//
// The C library allocator's settings for the topoc command (glibc's mallopt is
// not visible to Swift). See docs/performance.md, "Large buffers returned to
// the system".
//===----------------------------------------------------------------------===//
#ifndef C_TOPOC_ALLOCATOR_H
#define C_TOPOC_ALLOCATOR_H

/// Serves every allocation of at least `bytes` bytes with its own mapping, returned to the
/// system when freed, instead of glibc's dynamic threshold (which rises to the size of the
/// largest mapped block freed, after which such blocks stay in the heap once freed).
/// Returns 1 when the setting took effect, 0 when it did not or on another C library.
int c_topoc_fix_mmap_threshold(int bytes);

#endif
