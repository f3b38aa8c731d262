import Foundation
import PostgresNIO
import TopologyRuntime

extension TopologyClient {
    /// Where a write transaction was when it failed.
    private enum Phase: Sendable {
        /// Before COMMIT was sent: nothing can have committed.
        case open
        /// COMMIT was sent and no answer came: the outcome is unknown.
        case committing
        /// COMMIT was answered.
        case committed
    }

    private final class PhaseBox: @unchecked Sendable {
        var phase = Phase.open
    }

    /// Runs `body` in a transaction on the leader of `database`'s cluster (PgBouncer's read-write
    /// pool), commits, and raises the session's token to the commit's position.
    ///
    /// A failover during the transaction retries it (the body runs again) when it certainly did
    /// not commit; a connection lost during COMMIT throws
    /// ``TopologyClientError/commitOutcomeUnknown(database:underlying:)`` and is never retried.
    ///
    /// - Parameters:
    ///   - database: The database (for a sharded table, the shard's database the generated router names).
    ///   - session: The session whose token the commit raises.
    ///   - body: The transaction's statements.
    /// - Returns: The body's result.
    public func write<Result: Sendable>(
        database: String, session: ClientSession, _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let pools = try pools(of: database)
        var lastError = ""
        for attempt in 1...configuration.retry.attempts {
            if attempt > 1 { try await Task.sleep(for: configuration.retry.pause(before: attempt - 1)) }
            let box = PhaseBox()
            do {
                let (result, position) = try await pools.writer.withConnection { connection in
                    try await Self.transaction(connection, box: box, body)
                }
                if let position {
                    session.observe(cluster: pools.cluster, lsn: position.lsn, timeline: position.timeline)
                } else {
                    // Committed, but its position is unknown: pin the session to the leader on
                    // every timeline up to this one (no replica can have replayed UInt64.max).
                    session.observe(cluster: pools.cluster, lsn: UInt64.max, timeline: UInt32.max - 1)
                }
                return result
            } catch {
                switch box.phase {
                case .committing:
                    throw TopologyClientError.commitOutcomeUnknown(database: database, underlying: "\(error)")
                case .open, .committed:
                    guard Self.isRetryable(error) else { throw error }
                    lastError = "\(String(reflecting: error))"
                }
            }
        }
        throw TopologyClientError.retriesExhausted(database: database, attempts: configuration.retry.attempts, last: lastError)
    }

    /// BEGIN, body, COMMIT on one connection; then the position after the commit.
    private static func transaction<Result: Sendable>(
        _ connection: PostgresConnection, box: PhaseBox, _ body: @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> (Result, (lsn: UInt64, timeline: UInt32)?) {
        let logger = connection.logger
        try await connection.query("BEGIN", logger: logger)
        let result: Result
        do {
            result = try await body(connection)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
        box.phase = .committing
        do {
            try await connection.query("COMMIT", logger: logger)
        } catch let error as PSQLError where error.code == .server {
            // The server answered: the transaction did not commit.
            box.phase = .open
            throw error
        }
        box.phase = .committed
        return (result, try? await commitPosition(connection))
    }

    /// The leader's WAL insert position and timeline, read right after a COMMIT on the same
    /// connection: at or past the commit record, so a replica that has replayed it holds the commit.
    static func commitPosition(_ connection: PostgresConnection) async throws -> (lsn: UInt64, timeline: UInt32)? {
        let rows = try await connection.query(
            "SELECT pg_current_wal_insert_lsn()::text, pg_walfile_name(pg_current_wal_insert_lsn())", logger: connection.logger)
        for try await (lsnText, walFile) in rows.decode((String, String).self) {
            guard let lsn = LSN(lsnText), let timeline = UInt32(walFile.prefix(8), radix: 16) else { return nil }
            return (lsn.rawValue, timeline)
        }
        return nil
    }

    /// Whether `error` leaves nothing committed and another attempt may succeed: a connection
    /// that could not be made or broke outside COMMIT, or a server refusal listed in
    /// ``RetryPolicy/retryableStates``.
    static func isRetryable(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else {
            return !(error is TopologyClientError) && !(error is CancellationError)
        }
        switch error.code {
        case .server:
            return error.serverInfo?[.sqlState].map { RetryPolicy.retryableStates.contains($0) } ?? false
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            return true
        default:
            return false
        }
    }
}
