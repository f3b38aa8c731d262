/// The names of the settings the planner decides from the guarantees, as `plan.json`, Patroni
/// and PostgreSQL spell them: the one source for the planner that writes them
/// (``GuaranteeDecisions``) and for the typed view the backends read (``DecidedSettings``).
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

/// A planned cluster's decided settings, typed.
///
/// `plan.json` keeps the decisions as named settings with their reasons (for `topoc plan` and
/// reviewers); backends read them through this view instead of comparing strings.
public struct DecidedSettings: Sendable, Equatable {
    /// Patroni's `synchronous_mode`.
    public var synchronousMode: Bool
    /// Patroni's `synchronous_mode_strict`.
    public var synchronousModeStrict: Bool
    /// Patroni's `synchronous_node_count`; `nil` when not decided (asynchronous clusters).
    public var synchronousNodeCount: Int?
    /// PostgreSQL's `synchronous_commit`, when decided.
    public var synchronousCommit: String?
    /// Patroni's `maximum_lag_on_failover` in bytes, when decided.
    public var maximumLagOnFailover: Int64?
    /// Where reads that need the latest data go.
    public var readPreference: ReadPreference?

    /// Reads the view from a cluster's decided settings.
    public init(_ settings: [GuaranteeDecisions.Setting]) {
        func value(_ name: DecisionName) -> String? { settings.first { $0.name == name.rawValue }?.value }
        synchronousMode = value(.synchronousMode) == "true"
        synchronousModeStrict = value(.synchronousModeStrict) == "true"
        synchronousNodeCount = value(.synchronousNodeCount).flatMap { Int($0) }
        synchronousCommit = value(.synchronousCommit)
        maximumLagOnFailover = value(.maximumLagOnFailover).flatMap { Int64($0) }
        readPreference = value(.readPreference).flatMap(ReadPreference.init(rawValue:))
    }
}

extension PlanCluster {
    /// The decided settings, typed (read from ``decisions``).
    public var decided: DecidedSettings { DecidedSettings(decisions) }
}
