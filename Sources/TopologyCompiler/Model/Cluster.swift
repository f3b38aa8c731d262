/// A cluster template: the members that serve one shard (or the whole database when unsharded).
public struct Cluster: Sendable {
    /// The name, a service name such as `main`.
    public var name: Located<String>
    /// The members, primary candidate first; at least one.
    public var members: [Member]
    /// How members replicate.
    public var replication: Replication
    /// Failure detection timing.
    public var failover: Failover
    /// PostgreSQL settings that other layers depend on.
    public var settings: PostgresSettings
    /// Rules silenced for this cluster.
    public var suppressions: [Suppression]

    /// The number of members.
    public var memberCount: Int { members.count }
}

/// One member of a cluster.
public struct Member: Sendable {
    /// The region the member runs in, if the topology has regions.
    public var region: Located<String>?
    /// Whether the member must never be promoted (Patroni's `nofailover` tag).
    public var noFailover: Bool
    /// Where the member was declared (the `members` key for the integer form).
    public var location: SourceLocation
}

/// Replication between the members of a cluster.
public struct Replication: Sendable {
    /// Synchronous or asynchronous.
    public var mode: Located<ReplicationMode>
    /// How many standbys must confirm a commit in synchronous mode.
    public var syncCount: Located<Int>?
    /// Whether commits block while no synchronous standby is available.
    public var strict: Located<Bool>?
    /// The most bytes a replica may lag and still be promoted.
    public var maximumLagOnFailover: Located<ByteSize>?
}

/// How a standby follows its primary.
public enum ReplicationMode: String, Sendable, CaseIterable, Codable {
    case synchronous
    case asynchronous
}

/// Patroni's failure-detection timing.
public struct Failover: Sendable {
    /// The leader key's time to live (Patroni's default 30s).
    public var ttl: Located<TimeSpan>
    /// The time between HA loop runs (default 10s).
    public var loopWait: Located<TimeSpan>
    /// How long DCS and PostgreSQL operations are retried (default 10s).
    public var retryTimeout: Located<TimeSpan>
    /// Whether Patroni uses a watchdog device.
    public var watchdog: Located<WatchdogMode>
    /// Whether the topology wrote a `failover` section (otherwise timing may be derived from the RTO).
    public var declared: Bool
}

/// Patroni's watchdog mode.
public enum WatchdogMode: String, Sendable, CaseIterable, Codable {
    case off
    case automatic
    case required
}

/// PostgreSQL settings that other layers of the topology depend on.
public struct PostgresSettings: Sendable {
    /// `max_connections` (default 100).
    public var maxConnections: Located<Int>?
    /// `max_wal_senders` (default 10).
    public var maxWalSenders: Located<Int>?
    /// `max_replication_slots` (default 10).
    public var maxReplicationSlots: Located<Int>?
    /// `shared_buffers`.
    public var sharedBuffers: Located<ByteSize>?
    /// `max_slot_wal_keep_size`: the most WAL a replication slot may hold back before PostgreSQL
    /// invalidates it (topoc's default when absent: ``SlotRetention/defaultMaxSlotWalKeepSize``).
    public var maxSlotWalKeepSize: Located<ByteSize>? = nil
    /// `max_locks_per_transaction`, pinned; derived from the DDL when absent (``LockBudget``).
    public var maxLocksPerTransaction: Located<Int>? = nil
}

/// Clusters that all accept writes and replicate to each other.
public struct MultiPrimaryGroup: Sendable {
    /// Rules silenced for this section only, each with its reason.
    public var suppressions: [Suppression] = []
    /// The group's name.
    public var name: Located<String>
    /// The member clusters.
    public var clusters: [Located<String>]
    /// How concurrent writes to one row are reconciled.
    public var conflictPolicy: Located<ConflictPolicy>?
    /// The column that orders versions for time-based policies.
    public var timestampColumn: Located<String>?
}

/// How a multi-primary group resolves conflicting writes.
public enum ConflictPolicy: String, Sendable, CaseIterable, Codable {
    case lastWriteWins = "last-write-wins"
    case firstWriteWins = "first-write-wins"
    case versionVector = "version-vector"
    case crdt
    case application
}
