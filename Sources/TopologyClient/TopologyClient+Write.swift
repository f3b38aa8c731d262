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

    /// The attempt's phase, and whether the caller gave up on it (then COMMIT is never sent).
    private final class PhaseBox: @unchecked Sendable {
        private let lock = NSLock()
        private var phase = Phase.open
        private var abandoned = false

        func set(_ phase: Phase) { lock.withLock { self.phase = phase } }

        /// Moves to `committing` unless the attempt was abandoned; returns whether it did.
        func beginCommit() -> Bool {
            lock.withLock {
                guard !abandoned else { return false }
                phase = .committing
                return true
            }
        }

        /// Marks the attempt abandoned and returns the phase it reached.
        func abandon() -> Phase {
            lock.withLock {
                abandoned = true
                return phase
            }
        }
    }

    /// Runs `body` in a transaction on the leader of `database`'s cluster (PgBouncer's read-write
    /// pool), commits, and raises the session's token to the commit's position.
    ///
    /// A failover during the transaction retries it (the body runs again) when it certainly did
    /// not commit: the connection failed or the attempt timed out before COMMIT was sent (COMMIT
    /// is then never sent), or the server refused a statement. A connection lost or an attempt
    /// timed out while COMMIT was in flight throws
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
        return try await withRetries(database: database) {
            let box = PhaseBox()
            do {
                let (result, position) = try await onConnection(pools.writer) { connection in
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
                switch box.abandon() {
                case .committing, .committed:
                    throw TopologyClientError.commitOutcomeUnknown(database: database, underlying: "\(error)")
                case .open:
                    throw error
                }
            }
        }
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
        guard box.beginCommit() else {
            // The caller gave up on this attempt (its deadline passed) and may retry it.
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw CancellationError()
        }
        do {
            try await connection.query("COMMIT", logger: logger)
        } catch let error as PSQLError where Self.rolledBack(error) {
            // PostgreSQL answered COMMIT with an ERROR: the transaction was rolled back.
            box.set(.open)
            throw error
        }
        box.set(.committed)
        return (result, try? await commitPosition(connection))
    }

    /// Whether an error answering COMMIT means the transaction was rolled back: an `ERROR` from
    /// the server. A `FATAL` is not: PgBouncer's `server conn crashed?` (08P01) comes after COMMIT
    /// reached a leader that then died, and a shutdown's 57P01 can end a session whose commit is
    /// already local and waiting for its synchronous standby. Both leave the outcome unknown.
    static func rolledBack(_ error: PSQLError) -> Bool {
        guard error.code == .server, let info = error.serverInfo else { return false }
        return (info[.severity] ?? info[.localizedSeverity]) == "ERROR"
    }

    /// The leader's WAL insert position and timeline, read right after a COMMIT on the same
    /// connection: at or past the commit record, so a replica that has replayed it holds the commit.
    static func commitPosition(_ connection: PostgresConnection) async throws -> (lsn: UInt64, timeline: UInt32)? {
        try await walPosition(
            "SELECT pg_current_wal_insert_lsn()::text, pg_walfile_name(pg_current_wal_insert_lsn())", on: connection)
    }

    /// A WAL position and its timeline (from the WAL file's name) as `query` returns them, or
    /// `nil` when the answer cannot be read.
    static func walPosition(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> (lsn: UInt64, timeline: UInt32)? {
        let rows = try await connection.query(query, logger: connection.logger)
        for try await (lsnText, walFile) in rows.decode((String, String).self) {
            guard let lsn = LSN(lsnText), let timeline = UInt32(walFile.prefix(8), radix: 16) else { return nil }
            return (lsn.rawValue, timeline)
        }
        return nil
    }
}
