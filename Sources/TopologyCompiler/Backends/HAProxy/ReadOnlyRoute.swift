/// Where a cluster's read-only frontend (`<cluster>_ro`) sends connections, decided from the
/// cluster's read preference, its members and the topology's `max_staleness`.
package enum ReadOnlyRoute: Equatable {
    /// The current leader only, checked like the read-write frontend (`GET /primary`).
    case leader(LeaderReason)
    /// The replicas that pass `check`; when none does, the current leader (a `backup` server per
    /// member that tracks the member's state in the read-write frontend).
    case replicas(ReplicaCheck)

    /// Why the read-only frontend follows the leader.
    package enum LeaderReason: Equatable {
        /// `consistency: strong`: only the leader is sure to hold every acknowledged write.
        case strongConsistency
        /// A single member: there is no replica.
        case noReplica
    }

    /// How a replica is checked.
    package enum ReplicaCheck: Equatable {
        /// Patroni's `GET /replica?lag=<bytes>`: running, a replica, replay within the bytes.
        case lagBytes(Int64)
        /// `staleness-agent.py`: Patroni's byte check, and the replica has replayed everything the
        /// leader has written or its last replayed commit is at most this old.
        case staleness(lagBytes: Int64, milliseconds: Int64)
    }

    /// The route of a cluster's read-only frontend.
    package static func of(_ cluster: PlanCluster, in plan: Plan) -> ReadOnlyRoute {
        if cluster.decided.readPreference == .leader {
            return .leader(.strongConsistency)
        }
        guard cluster.members.count > 1 else { return .leader(.noReplica) }
        let bytes = ClusterLayout.replicaLagBound(of: cluster)
        if let staleness = plan.guarantees.maxStaleness.flatMap(TimeSpan.init(parsing:)) {
            return .replicas(.staleness(lagBytes: bytes, milliseconds: staleness.milliseconds))
        }
        return .replicas(.lagBytes(bytes))
    }
}
