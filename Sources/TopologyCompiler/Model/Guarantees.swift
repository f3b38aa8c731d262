/// The promises a deployment makes to its applications.
public struct Guarantees: Sendable {
    /// What a read may observe.
    public var consistency: Located<ConsistencyLevel>?
    /// What the system gives up when the network partitions.
    public var partition: Located<PartitionChoice>?
    /// The most committed data a failure may lose (recovery point objective); `0` means none.
    public var rpo: Located<TimeSpan>?
    /// The longest a failure may keep writes unavailable (recovery time objective).
    public var rto: Located<TimeSpan>?
    /// How far behind the primary a replica that serves reads may be.
    public var maxStaleness: Located<TimeSpan>?
    /// Where the section is.
    public var location: SourceLocation?
}

/// The consistency level reads are promised.
public enum ConsistencyLevel: String, Sendable, CaseIterable, Codable {
    /// Every read sees every acknowledged write.
    case strong
    /// A session sees its own writes.
    case readYourWrites = "read-your-writes"
    /// A session sees writes it causally depends on.
    case causal
    /// Reads converge eventually.
    case eventual

    /// The level of a topology that declares none: its replicas within the lag bound serve reads.
    /// The one source of that default, for the planner's read preference (and so HAProxy's
    /// read-only frontends) and for the generated router.
    public static let whenUndeclared: ConsistencyLevel = .eventual
}

/// The CAP choice under a network partition.
public enum PartitionChoice: String, Sendable, CaseIterable, Codable {
    /// Stay consistent, refuse writes where a quorum is lost.
    case cp = "CP"
    /// Stay available, accept divergence.
    case ap = "AP"
    /// No partition tolerance; only possible for a single node.
    case ca = "CA"
}
