/// Where one statement of a session goes, as an index into the member states it was routed over.
public enum RouteDecision: Sendable, Hashable {
    /// Send it to the leader at this index.
    case leader(member: Int, reason: LeaderReason)
    /// Send it to the replica at this index.
    case replica(member: Int)
    /// No member can serve it: there is no leader, and (for a read) no eligible replica.
    case unavailable

    /// Why a statement goes to the leader.
    public enum LeaderReason: Sendable, Hashable {
        /// It writes.
        case write
        /// It reads at `strong` consistency.
        case strongRead
        /// It reads at a weaker level, but no replica is eligible (too stale, or behind the
        /// session's token), so the leader serves it.
        case noEligibleReplica
    }

    /// The index of the member to use, or `nil` if the statement cannot be served.
    public var member: Int? {
        switch self {
        case .leader(let member, _), .replica(let member):
            member
        case .unavailable:
            nil
        }
    }

    /// Whether a replica serves the statement.
    public var isReplica: Bool {
        if case .replica = self {
            return true
        }
        return false
    }
}

/// Which of several eligible replicas to choose.
public enum ReplicaPreference: Sendable, Hashable {
    /// The first eligible replica in member order.
    case first
    /// The eligible replica at `value % count` among the eligible ones (pass a counter or a hash
    /// to spread reads evenly).
    case spread(UInt64)
    /// The eligible replica with the latest replay LSN (ties: the first).
    case freshest
}
