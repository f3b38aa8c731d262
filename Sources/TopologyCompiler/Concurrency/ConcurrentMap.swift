import Dispatch

/// `(0..<count).map(body)` with the calls spread over every core (`DispatchQueue.concurrentPerform`
/// hands out indices in order to one thread per core); the results come back in index order.
///
/// `body` runs on threads other than the caller's: it must only read what it shares, or lock it,
/// and it does not see the caller's task-local values (see ``ConcurrentRendering``). Each call
/// writes only its own result, so the results need no lock.
///
/// - Parameters:
///   - count: The number of calls.
///   - body: The work for one index.
/// - Returns: `body`'s result for each index, in index order.
func concurrentMap<Result>(_ count: Int, _ body: @Sendable (Int) -> Result) -> [Result] {
    guard count > 1 else { return (0..<count).map(body) }
    let results = ResultSlots<Result>(count: count)
    defer { results.release() }
    DispatchQueue.concurrentPerform(iterations: count) { index in
        results.store(body(index), at: index)
    }
    return results.collected()
}

/// One slot per call of ``concurrentMap(_:_:)``; each index is written by exactly one call, and
/// read only after `concurrentPerform` has returned, so no slot is shared between threads.
private final class ResultSlots<Result>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Result?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    func store(_ result: Result, at index: Int) {
        slots[index] = result
    }

    func collected() -> [Result] {
        slots.map { result in
            guard let result else { preconditionFailure("concurrentPerform skipped an index") }
            return result
        }
    }

    func release() {
        _ = slots.deinitialize()
        slots.deallocate()
    }
}
