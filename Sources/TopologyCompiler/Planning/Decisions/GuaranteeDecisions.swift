/// What the declared guarantees mean concretely for one cluster template: the Patroni and
/// PostgreSQL settings, each with the reason it was chosen. Decided here, in one place;
/// backends read the decisions from the plan.
public struct GuaranteeDecisions: Sendable, Equatable {
    /// One decided setting.
    public struct Setting: Sendable, Codable, Equatable {
        /// The setting's name as Patroni or PostgreSQL spells it.
        public var name: String
        /// Its value as it will be written.
        public var value: String
        /// Why this value.
        public var reason: String
    }

    /// Patroni's `synchronous_mode`.
    public var synchronousMode: Bool
    /// Patroni's `synchronous_mode_strict`.
    public var synchronousModeStrict: Bool
    /// Patroni's `synchronous_node_count`.
    public var synchronousNodeCount: Int
    /// PostgreSQL's `synchronous_commit`.
    public var synchronousCommit: String
    /// Patroni's `maximum_lag_on_failover`, in bytes.
    public var maximumLagOnFailover: Int64
    /// Patroni's timing, in seconds.
    public var ttl: Int64
    public var loopWait: Int64
    public var retryTimeout: Int64
    /// Where reads may go for the declared consistency level.
    public var readPreference: ReadPreference
    /// The replica lag bound, in bytes, for reads from replicas (HAProxy `/replica?lag=`).
    public var replicaLagBound: Int64
    /// Every setting with its reason, in a stable order, for `topoc plan`.
    public var settings: [Setting]

    /// Patroni's default `maximum_lag_on_failover` (1 MiB).
    public static let defaultMaximumLagOnFailover: Int64 = 1_048_576

    /// Decides the settings of a cluster under the topology's guarantees.
    public static func decide(for cluster: Cluster, guarantees: Guarantees) -> GuaranteeDecisions {
        var settings: [Setting] = []
        let replicas = cluster.members.count - 1
        let replication = cluster.replication
        let rpoZero = guarantees.rpo?.value.milliseconds == 0
        let consistency = guarantees.consistency?.value ?? .whenUndeclared

        let synchronous = replication.mode.value == .synchronous && replicas > 0
        settings.append(
            Setting(
                name: DecisionName.synchronousMode.rawValue, value: synchronous ? "true" : "false",
                reason: replicas == 0
                    ? "a single member has no standby to wait for"
                    : "replication mode is \(replication.mode.value.rawValue)"))

        let strict = synchronous && (replication.strict?.value ?? rpoZero)
        let strictReason: String
        if !synchronous {
            strictReason = "only meaningful with synchronous replication"
        } else if let declared = replication.strict {
            strictReason = "declared strict: \(declared.value)"
        } else {
            strictReason =
                rpoZero
                ? "rpo 0: commits must wait for a standby even when none is available"
                : "rpo above 0: without a standby the primary may commit alone"
        }
        settings.append(Setting(name: DecisionName.synchronousModeStrict.rawValue, value: strict ? "true" : "false", reason: strictReason))

        let nodeCount = synchronous ? min(max(replication.syncCount?.value ?? 1, 1), max(replicas, 1)) : 0
        if synchronous {
            settings.append(
                Setting(
                    name: DecisionName.synchronousNodeCount.rawValue, value: String(nodeCount),
                    reason: replication.syncCount == nil
                        ? "one synchronous standby unless sync_count says otherwise"
                        : "declared sync_count \(replication.syncCount?.value ?? 1)"))
        }

        let readPreference = ReadPreference.decide(consistency: consistency)
        // Every strong read goes to the leader (`_ro` follows the leader, like `_rw`), so no
        // commit needs to wait for a standby to replay it: remote_apply would only add latency.
        let synchronousCommit = "on"
        let commitReason =
            synchronous
            ? "commits wait until the synchronous standby has flushed the WAL (no read is served by a standby that must have replayed it: strong reads go to the leader)"
            : "asynchronous replication: commits wait for the local WAL flush only"
        settings.append(Setting(name: DecisionName.synchronousCommit.rawValue, value: synchronousCommit, reason: commitReason))

        let maximumLag = replication.maximumLagOnFailover?.value.bytes ?? defaultMaximumLagOnFailover
        settings.append(
            Setting(
                name: DecisionName.maximumLagOnFailover.rawValue, value: String(maximumLag),
                reason: replication.maximumLagOnFailover == nil
                    ? "Patroni's default: a replica further behind is not promoted; an asynchronous failover can lose up to this much"
                    : "declared max_lag_on_failover"))

        let timing = Timing.decide(failover: cluster.failover, rto: guarantees.rto?.value)
        settings.append(Setting(name: DecisionName.ttl.rawValue, value: String(timing.ttl), reason: timing.reason))
        settings.append(Setting(name: DecisionName.loopWait.rawValue, value: String(timing.loopWait), reason: timing.reason))
        settings.append(Setting(name: DecisionName.retryTimeout.rawValue, value: String(timing.retryTimeout), reason: timing.reason))
        settings.append(
            Setting(
                name: DecisionName.readPreference.rawValue, value: readPreference.rawValue, reason: readPreference.reason(for: consistency))
        )

        return GuaranteeDecisions(
            synchronousMode: synchronous, synchronousModeStrict: strict, synchronousNodeCount: nodeCount,
            synchronousCommit: synchronousCommit, maximumLagOnFailover: maximumLag, ttl: timing.ttl,
            loopWait: timing.loopWait, retryTimeout: timing.retryTimeout, readPreference: readPreference,
            replicaLagBound: maximumLag, settings: settings)
    }
}

/// Where reads go for a consistency level.
public enum ReadPreference: String, Sendable, Codable, Equatable {
    /// Every read goes to the leader.
    case leader
    /// Reads go to a replica whose replay LSN has reached the session's last commit, else the leader.
    case replicaAtSessionLSN = "replica-at-session-lsn"
    /// Reads go to any replica within the staleness bound.
    case replicaWithinLag = "replica-within-lag"

    static func decide(consistency: ConsistencyLevel) -> ReadPreference {
        switch consistency {
        case .strong: return .leader
        case .readYourWrites, .causal: return .replicaAtSessionLSN
        case .eventual: return .replicaWithinLag
        }
    }

    func reason(for consistency: ConsistencyLevel) -> String {
        switch self {
        case .leader:
            "\(consistency.rawValue) consistency: only the leader is sure to hold every acknowledged write (a synchronous standby has flushed it, not necessarily replayed it, and HAProxy learns of a change of synchronous standby only at its next check), so the ro frontend follows the leader too"
        case .replicaAtSessionLSN:
            "\(consistency.rawValue) consistency: a replica may serve a session once its replay LSN reaches the session's last commit LSN"
        case .replicaWithinLag: "eventual consistency: any replica within the staleness bound"
        }
    }
}

/// Patroni's timing: declared, or derived from the RTO when the topology gives no `failover`.
struct Timing {
    var ttl: Int64
    var loopWait: Int64
    var retryTimeout: Int64
    var reason: String

    static func decide(failover: Failover, rto: TimeSpan?) -> Timing {
        let declared = Timing(
            ttl: failover.ttl.value.wholeSecondsRoundedUp, loopWait: failover.loopWait.value.wholeSecondsRoundedUp,
            retryTimeout: failover.retryTimeout.value.wholeSecondsRoundedUp,
            reason: failover.declared ? "declared in failover" : "Patroni's defaults")
        guard !failover.declared, let rto else { return declared }
        // A failover takes up to ttl (the leader key expires) plus loop_wait (a replica notices).
        let budget = rto.milliseconds / 1000
        guard budget < declared.ttl + declared.loopWait else { return declared }
        // Patroni's minimums: ttl 20, loop_wait 1, retry_timeout 3.
        let ttl = max(20, budget * 2 / 3)
        let loopWait = max(1, min(10, ttl / 5))
        let retry = max(3, (ttl - loopWait) / 2)
        return Timing(
            ttl: ttl, loopWait: loopWait, retryTimeout: retry,
            reason: "derived from rto \(rto): ttl + loop_wait within the RTO, loop_wait + 2 x retry_timeout <= ttl")
    }
}
