import CTopocAllocator
import Testing

/// `topoc` fixes glibc's mmap threshold at start (`TopocMain.mmapThreshold`); the setting must
/// reach glibc (a version that tested for glibc before including any C library header compiled
/// to a no-op, and the builds' peaks did not move).
@Suite("allocator settings")
struct AllocatorTests {
    @Test("the mmap threshold is set under glibc")
    func mmapThresholdTakesEffect() {
        #if canImport(Glibc)
            #expect(c_topoc_fix_mmap_threshold(128 << 10) == 1)
        #else
            #expect(c_topoc_fix_mmap_threshold(128 << 10) == 0)
        #endif
    }
}
