import Foundation
import PostgresNIO

/// The connection an attempt works on, so that a deadline can abort it.
///
/// A query that waits on a server which stopped answering (a PgBouncer pool waiting for a
/// leader that is gone, a member frozen mid-failover) does not end when its task is cancelled:
/// postgres-nio only cancels the wait for a lease. Closing the connection fails the query at
/// once; the pool then replaces the connection.
final class AttemptConnection: @unchecked Sendable {
    private let lock = NSLock()
    private var connection: PostgresConnection?
    private var aborted = false

    /// Records the leased connection; throws if the attempt was aborted before it got one.
    func hold(_ connection: PostgresConnection) throws {
        try lock.withLock {
            if aborted { throw CancellationError() }
            self.connection = connection
        }
    }

    /// The attempt is done with its connection (about to go back to the pool): an abort from now
    /// on must not close it under another lease.
    func release() {
        lock.withLock { connection = nil }
    }

    /// Marks the attempt aborted and closes its connection, if it still holds one.
    func abort() {
        let connection = lock.withLock {
            aborted = true
            return self.connection
        }
        if let connection { Task { try? await connection.close() } }
    }
}

/// The outcome of a race between an operation and its deadline, resumed exactly once.
private final class DeadlineRace<Result: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Result, any Error>?

    init(_ continuation: CheckedContinuation<Result, any Error>) { self.continuation = continuation }

    /// Resumes the waiter if nobody did yet; returns whether this call did.
    @discardableResult
    func finish(_ result: Swift.Result<Result, any Error>) -> Bool {
        let waiter = lock.withLock {
            defer { continuation = nil }
            return continuation
        }
        waiter?.resume(with: result)
        return waiter != nil
    }
}

/// Runs `operation` and returns its result, or throws ``TopologyClientError/timedOut(after:)``
/// once `limit` has passed, whether or not the operation honours cancellation.
///
/// On the deadline the operation's task is cancelled and `attempt` is aborted (its connection
/// closed), so the abandoned work ends soon after; the caller does not wait for it. A structured
/// task group cannot give this bound: it waits for every child, including one stuck in a query.
///
/// - Parameters:
///   - limit: How long the operation may take.
///   - attempt: The connection holder the operation records its lease in.
///   - operation: The work.
func withDeadline<Result: Sendable>(
    _ limit: Duration, aborting attempt: AttemptConnection,
    _ operation: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    let tasks = RaceTasks()
    defer { tasks.cancel() }
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
            let race = DeadlineRace(continuation)
            tasks.set(
                work: Task {
                    do {
                        race.finish(.success(try await operation()))
                    } catch {
                        race.finish(.failure(error))
                    }
                },
                timer: Task {
                    try? await Task.sleep(for: limit)
                    guard !Task.isCancelled, race.finish(.failure(TopologyClientError.timedOut(after: limit))) else { return }
                    tasks.cancel()
                    attempt.abort()
                },
                race: { race.finish(.failure(CancellationError())) })
        }
    } onCancel: {
        tasks.failWithCancellation()
        attempt.abort()
    }
}

/// The two racing tasks, cancelled once the race is decided (or the caller is cancelled).
private final class RaceTasks: @unchecked Sendable {
    private let lock = NSLock()
    private var tasks: [Task<Void, Never>] = []
    private var cancelRace: (@Sendable () -> Void)?
    private var cancelled = false

    func set(work: Task<Void, Never>, timer: Task<Void, Never>, race: @escaping @Sendable () -> Void) {
        let alreadyCancelled = lock.withLock {
            tasks = [work, timer]
            cancelRace = race
            return cancelled
        }
        if alreadyCancelled { failWithCancellation() }
    }

    func cancel() {
        for task in lock.withLock({ tasks }) { task.cancel() }
    }

    /// The caller was cancelled: end the race with `CancellationError` and stop both tasks.
    func failWithCancellation() {
        let race = lock.withLock {
            cancelled = true
            return cancelRace
        }
        race?()
        cancel()
    }
}
