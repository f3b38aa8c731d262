import Foundation
import Testing

@testable import TopologyCompiler

@Suite("concurrentMap")
struct ConcurrentMapTests {
    @Test("results in index order, whichever call finishes first", arguments: [0, 1, 2, 7, 1_000])
    func indexOrder(count: Int) {
        let results = concurrentMap(count) { index in
            if index < 8 { usleep(UInt32(8 - index) * 2_000) }
            return "r\(index)"
        }
        #expect(results == (0..<count).map { "r\($0)" })
    }

    @Test("every call runs exactly once")
    func eachIndexOnce() {
        let counter = CallCounter()
        let results = concurrentMap(500) { index in
            counter.record(index)
            return index * 2
        }
        #expect(results == (0..<500).map { $0 * 2 })
        #expect(counter.calls == (0..<500).map { _ in 1 })
    }

    /// Counts calls per index (the calls run on several threads).
    private final class CallCounter: @unchecked Sendable {
        private let lock = NSLock()
        private var counts = [Int](repeating: 0, count: 500)

        func record(_ index: Int) { lock.withLock { counts[index] += 1 } }

        var calls: [Int] { lock.withLock { counts } }
    }
}
