import Foundation
import PostgresNIO
import TopologyRuntime

extension TopologyClient {
    /// A read below `strong` through the cluster's read-only pool, which picks the replica itself:
    /// in one read-only transaction (so that PgBouncer keeps one server for it) the client asks
    /// the server what it has replayed and runs `body` there only if ``ReplicaCheck`` admits it,
    /// waiting up to ``ClientConfiguration/replayWait`` for a token-bound read; otherwise it
    /// returns `nil` and the caller reads on the leader.
    ///
    /// The transaction is `READ COMMITTED`: each of `body`'s statements takes its snapshot after
    /// the check, so it sees at least what the check saw replayed.
    func checkedRead<Result: Sendable>(
        _ pools: DatabasePools, consistency: ConsistencyLevel, token: SessionToken,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async -> (Result, ReadReport.Server)? {
        let needsToken = (consistency == .readYourWrites || consistency == .causal) && !token.isEmpty
        let wait = needsToken ? configuration.replayWait : .zero
        let leader = leaderWatch.position(of: pools.clusterIndex)
        let maxStaleness = router.maxStaleness
        // A pool that does not answer within the wait and two seconds gives way to the leader.
        return try? await onConnection(pools.readOnlyPool, limit: wait + .seconds(2)) { connection -> (Result, ReadReport.Server)? in
            let logger = connection.logger
            try await connection.query("BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY", logger: logger)
            do {
                let deadline = ContinuousClock.now + wait
                var server = ""
                while true {
                    let sample: ReplicaCheck.Sample
                    (sample, server) = try await Self.sample(connection)
                    let now = Date().timeIntervalSince1970
                    if ReplicaCheck.admits(
                        sample, level: consistency, token: token, leader: leader, now: now, maxStaleness: maxStaleness)
                    {
                        break
                    }
                    // Only a token-bound read on a standby waits, for replay on this same server.
                    guard needsToken, sample.inRecovery, ContinuousClock.now < deadline else {
                        _ = try? await connection.query("ROLLBACK", logger: logger)
                        return nil
                    }
                    try await Task.sleep(for: .milliseconds(10))
                }
                let result = try await body(connection)
                try await connection.query("COMMIT", logger: logger)
                return (result, .checkedPool(server))
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// What the server behind `connection` has replayed, and its address (`host:port` as the
    /// server sees its own end of the connection).
    static func sample(_ connection: PostgresConnection) async throws -> (ReplicaCheck.Sample, String) {
        let rows = try await connection.query(
            """
            SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text, (SELECT timeline_id FROM pg_control_checkpoint()),
                   extract(epoch FROM pg_last_xact_replay_timestamp())::float8,
                   coalesce(host(inet_server_addr()), 'local') || ':' || coalesce(inet_server_port()::text, '')
            """, logger: connection.logger)
        for try await (inRecovery, replayText, timeline, replayedAt, server) in rows.decode((Bool, String?, Int32, Double?, String).self) {
            let sample = ReplicaCheck.Sample(
                inRecovery: inRecovery, replayLSN: replayText.flatMap(LSN.init), checkpointTimeline: UInt32(clamping: timeline),
                replayedAt: replayedAt)
            return (sample, server)
        }
        throw TopologyClientError.unexpectedAnswer("no row from the replica check")
    }

    /// Reads each checked cluster's leader position through its read-write pool every `interval`
    /// until the task is cancelled.
    func watchLeaders(interval: Duration) async {
        let watched = Dictionary(pools.values.filter(\.checksReadOnlyPool).map { ($0.clusterIndex, $0.writer) }) { first, _ in first }
        guard !watched.isEmpty else { return }
        while !Task.isCancelled {
            await withTaskGroup(of: Void.self) { group in
                for (index, writer) in watched {
                    group.addTask {
                        let observedAt = Date().timeIntervalSince1970
                        if let position = try? await self.onConnection(writer, limit: .seconds(1), Self.leaderPosition) {
                            self.leaderWatch.record(
                                ReplicaCheck.LeaderPosition(lsn: LSN(position.lsn), timeline: position.timeline, observedAt: observedAt),
                                of: index)
                        }
                    }
                }
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// The leader's current WAL position and timeline.
    @Sendable static func leaderPosition(_ connection: PostgresConnection) async throws -> (lsn: UInt64, timeline: UInt32) {
        guard
            let position = try await walPosition("SELECT pg_current_wal_lsn()::text, pg_walfile_name(pg_current_wal_lsn())", on: connection)
        else { throw TopologyClientError.unexpectedAnswer("no WAL position from the leader") }
        return position
    }
}
