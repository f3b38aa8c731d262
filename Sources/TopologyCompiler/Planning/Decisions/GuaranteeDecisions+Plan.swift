/// The names of the settings the planner decides from the guarantees, as `plan.json`, Patroni
/// and PostgreSQL spell them: the one source for the planner that writes them
/// (``GuaranteeDecisions/decide(for:guarantees:)``) and for ``PlanCluster/decided``, which reads them back.
public enum DecisionName: String, Sendable, CaseIterable {
    case synchronousMode = "synchronous_mode"
    case synchronousModeStrict = "synchronous_mode_strict"
    case synchronousNodeCount = "synchronous_node_count"
    case synchronousCommit = "synchronous_commit"
    case maximumLagOnFailover = "maximum_lag_on_failover"
    case ttl
    case loopWait = "loop_wait"
    case retryTimeout = "retry_timeout"
    case readPreference = "read_preference"
}

extension GuaranteeDecisions {
    /// The decisions read back from a planned cluster's named settings (what `plan.json` keeps,
    /// with their reasons). A setting the plan lacks falls back to the cluster's own value or
    /// the most conservative one: asynchronous, reads on the leader.
    init(reading settings: [Setting], failover: PlanFailover, replication: PlanReplicationSettings) {
        func value(_ name: DecisionName) -> String? { settings.first { $0.name == name.rawValue }?.value }
        let synchronous = value(.synchronousMode) == "true"
        let maximumLag =
            value(.maximumLagOnFailover).flatMap { Int64($0) } ?? replication.maximumLagOnFailoverBytes
            ?? Self.defaultMaximumLagOnFailover
        self.init(
            synchronousMode: synchronous, synchronousModeStrict: value(.synchronousModeStrict) == "true",
            synchronousNodeCount: value(.synchronousNodeCount).flatMap { Int($0) } ?? (synchronous ? 1 : 0),
            synchronousCommit: value(.synchronousCommit) ?? "on", maximumLagOnFailover: maximumLag,
            ttl: value(.ttl).flatMap { Int64($0) } ?? failover.ttl,
            loopWait: value(.loopWait).flatMap { Int64($0) } ?? failover.loopWait,
            retryTimeout: value(.retryTimeout).flatMap { Int64($0) } ?? failover.retryTimeout,
            readPreference: value(.readPreference).flatMap(ReadPreference.init(rawValue:)) ?? .leader,
            replicaLagBound: maximumLag, settings: settings)
    }
}

extension PlanCluster {
    /// The decisions, typed, read from ``decisions``: backends read these instead of looking a
    /// setting up by its name.
    public var decided: GuaranteeDecisions {
        GuaranteeDecisions(reading: decisions, failover: failover, replication: replication)
    }
}
