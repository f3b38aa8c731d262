/// Small facts about clusters and guarantees that several rule families share.
enum ClusterFacts {
    /// PostgreSQL's default `max_connections`.
    static let defaultMaxConnections = 100
    /// PostgreSQL's default `max_wal_senders`.
    static let defaultMaxWalSenders = 10
    /// PostgreSQL's default `max_replication_slots`.
    static let defaultMaxReplicationSlots = 10
    /// PostgreSQL's default `superuser_reserved_connections`.
    static let superuserReservedConnections = 3

    /// The standbys of a cluster: every member but the leader.
    static func replicas(of cluster: Cluster) -> Int { max(cluster.members.count - 1, 0) }

    /// The settings decided for a cluster under the topology's guarantees.
    static func decisions(for cluster: Cluster, in topology: Topology) -> GuaranteeDecisions {
        GuaranteeDecisions.decide(for: cluster, guarantees: topology.guarantees)
    }

    /// Where a cluster's member count is written: the `members` value, or the first member.
    static func membersLocation(of cluster: Cluster) -> SourceLocation {
        cluster.members.first?.location ?? cluster.name.location
    }

    /// "1 member", "3 members".
    static func count(_ value: Int, _ noun: String, plural: String? = nil) -> String {
        "\(value) \(value == 1 ? noun : plural ?? noun + "s")"
    }

    /// The tables captured by logical replication.
    static func logicallyCaptured(_ topology: Topology) -> Set<String> {
        Set(topology.cdc?.tables.filter { $0.method.value == .logical }.map(\.table.value) ?? [])
    }

    /// The reference tables (copied to every shard).
    static func referenceTables(_ topology: Topology) -> Set<String> {
        Set(topology.sharding?.referenceTables.map(\.value) ?? [])
    }
}
