import Foundation
import XCTest

@testable import TopologyClient

/// `withDeadline` bounds work that ignores cancellation, which a task group cannot.
final class DeadlineTests: XCTestCase {
    /// A continuation nobody resumes until the test releases it: work that never ends by itself.
    private final class Gate: @unchecked Sendable {
        private let lock = NSLock()
        private var waiter: CheckedContinuation<Void, Never>?
        private var opened = false

        func wait() async {
            await withCheckedContinuation { continuation in
                let open = lock.withLock {
                    if !opened { waiter = continuation }
                    return opened
                }
                if open { continuation.resume() }
            }
        }

        func open() {
            let waiter = lock.withLock {
                opened = true
                defer { self.waiter = nil }
                return self.waiter
            }
            waiter?.resume()
        }
    }

    func testAFastOperationReturnsItsResult() async throws {
        let value = try await withDeadline(.seconds(5), aborting: AttemptConnection()) { 42 }
        XCTAssertEqual(value, 42)
    }

    func testAnOperationsErrorIsRethrown() async {
        struct Refused: Error {}
        do {
            _ = try await withDeadline(.seconds(5), aborting: AttemptConnection()) { () async throws -> Int in throw Refused() }
            XCTFail("the error is rethrown")
        } catch {
            XCTAssertTrue(error is Refused, "\(error)")
        }
    }

    func testWorkThatIgnoresCancellationIsCutOffAtTheDeadline() async {
        let gate = Gate()
        defer { gate.open() }
        let started = ContinuousClock.now
        do {
            _ = try await withDeadline(.milliseconds(200), aborting: AttemptConnection()) { () async -> Int in
                await gate.wait()  // ignores cancellation, like a query on a server that stopped answering
                return 1
            }
            XCTFail("the deadline ends the call")
        } catch TopologyClientError.timedOut(let limit) {
            XCTAssertEqual(limit, .milliseconds(200))
        } catch {
            XCTFail("timedOut expected, got \(error)")
        }
        let elapsed = ContinuousClock.now - started
        XCTAssertLessThan(elapsed, .seconds(3), "returned at the deadline, not when the work ended")
    }

    func testCancellingTheCallerEndsTheCall() async {
        let gate = Gate()
        defer { gate.open() }
        let call = Task {
            try await withDeadline(.seconds(60), aborting: AttemptConnection()) { () async -> Int in
                await gate.wait()
                return 1
            }
        }
        try? await Task.sleep(for: .milliseconds(100))
        call.cancel()
        let started = ContinuousClock.now
        let result = await call.result
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(3))
        XCTAssertThrowsError(try result.get()) { XCTAssertTrue($0 is CancellationError, "\($0)") }
    }
}
