/// What a cluster member is doing right now, as far as routing cares.
public enum ReplicationRole: Sendable, Hashable {
    /// The member accepts writes (the Patroni leader).
    case leader
    /// The member streams from the leader and serves reads.
    case replica
    /// The member cannot serve anything (down, starting, or unreachable).
    case offline
}

/// The routing-relevant state of one member of a physical cluster, as a health checker last saw
/// it (for example from Patroni's `/cluster` endpoint or `pg_stat_replication`).
public struct MemberState: Sendable, Hashable {
    /// The member's current role.
    public var role: ReplicationRole
    /// The last WAL position the member has replayed (`pg_last_wal_replay_lsn()`); for the
    /// leader, its current WAL position (`pg_current_wal_lsn()`).
    public var replayLSN: LSN
    /// How far behind the leader the member's replay is in time (`replay_lag`); zero for the
    /// leader.
    public var lag: Duration

    /// Creates a member state.
    ///
    /// - Parameters:
    ///   - role: The member's current role.
    ///   - replayLSN: The last WAL position it has replayed.
    ///   - lag: How far its replay is behind the leader.
    public init(role: ReplicationRole, replayLSN: LSN, lag: Duration = .zero) {
        self.role = role
        self.replayLSN = replayLSN
        self.lag = lag
    }
}
