import Foundation
import PostgresNIO
import TopologyRuntime

extension TopologyClient {
    /// Runs `body` (read-only statements) where `consistency` allows, and returns its result with
    /// where it ran. Connection failures are retried per the retry policy.
    ///
    /// On a cluster read through its checked read-only pool (``ClientConfiguration/ReadPath``),
    /// `body` runs inside the `READ COMMITTED READ ONLY` transaction that holds the replica check:
    /// it must not end that transaction itself.
    ///
    /// - Parameters:
    ///   - database: The database.
    ///   - consistency: The level this read needs.
    ///   - session: The session (its token decides read-your-writes and causal reads).
    ///   - body: The statements.
    /// - Returns: The result and where it was served.
    public func read<Result: Sendable>(
        database: String, consistency: ConsistencyLevel, session: ClientSession,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> (Result, ReadReport) {
        let pools = try pools(of: database)
        return try await withRetries(database: database) {
            try await readOnce(pools, consistency: consistency, session: session, body)
        }
    }

    private func readOnce<Result: Sendable>(
        _ pools: DatabasePools, consistency: ConsistencyLevel, session: ClientSession,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> (Result, ReadReport) {
        func report(_ server: ReadReport.Server, _ waited: Duration = .zero) -> ReadReport {
            ReadReport(server: server, waited: waited, cluster: pools.cluster)
        }
        if consistency == .strong {
            return (try await onConnection(pools.writer, body), report(.leader))
        }
        if configuration.readPath == .readOnlyPool {
            return (try await onConnection(pools.readOnlyPool, body), report(.readOnlyPool))
        }
        let token = session.token(on: pools.cluster)
        if pools.checksReadOnlyPool {
            let started = ContinuousClock.now
            if let (result, server) = await checkedRead(pools, consistency: consistency, token: token, body) {
                return (result, report(server, ContinuousClock.now - started))
            }
            return (try await onConnection(pools.writer, body), report(.leader))
        }
        let counter = spread.next()
        let now = Date().timeIntervalSince1970
        let (decision, freshest) = monitor.withHealth(of: pools.clusterIndex) { health in
            (health.route(consistency, token: token, now: now, spread: counter, router: router), health.freshestReplica())
        }
        let needsToken = (consistency == .readYourWrites || consistency == .causal) && !token.isEmpty
        var candidate: Int?
        switch decision {
        case .replica(let member):
            candidate = member
        case .leader(member: _, reason: .noEligibleReplica) where needsToken:
            // No replica had replayed the token at the last poll: wait on the freshest one.
            candidate = freshest
        default:
            candidate = nil
        }
        if let member = candidate, member < pools.replicas.count {
            let started = ContinuousClock.now
            let wait = needsToken ? configuration.replayWait : .zero
            // A replica that does not answer within the wait and two seconds gives way to the leader.
            let served = try? await onConnection(pools.replicas[member], limit: wait + .seconds(2)) { connection -> Result? in
                if needsToken {
                    guard try await Self.replayed(token.token.lastCommit, on: connection, within: wait) else { return nil }
                }
                return try await body(connection)
            }
            if let result = served {
                return (result, report(.replica(pools.memberNames[member]), ContinuousClock.now - started))
            }
        }
        return (try await onConnection(pools.writer, body), report(.leader))
    }

    /// Whether the server behind `connection` has replayed `lsn`, polling for up to `wait`.
    static func replayed(_ lsn: LSN, on connection: PostgresConnection, within wait: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + wait
        while true {
            let rows = try await connection.query(
                "SELECT coalesce(pg_last_wal_replay_lsn() >= \(lsn.description)::pg_lsn, false)", logger: connection.logger)
            var caughtUp = false
            for try await value in rows.decode(Bool.self) { caughtUp = value }
            if caughtUp { return true }
            if ContinuousClock.now >= deadline { return false }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
