extension RuleCatalog {
    /// The high-availability and CAP rules (THA3xx): Patroni's timing, replication against the
    /// declared guarantees, and multi-primary groups. Every rule reads the settings topoc decides
    /// (``GuaranteeDecisions``), not only what the file declares.
    static let availabilityRules: [Rule] = [
        Rule(.patroniTimingInvalid) { AvailabilityChecks.timing($0) },
        Rule(.strongConsistencyNeedsSynchronous) { AvailabilityChecks.strongConsistency($0) },
        Rule(.sessionConsistencyAcrossAsyncFailover) { AvailabilityChecks.sessionConsistency($0) },
        Rule(.rpoZeroNeedsStrictSynchronous) { AvailabilityChecks.rpoZero($0) },
        Rule(.strictSynchronousBlocksWrites) { AvailabilityChecks.strictBlocking($0) },
        Rule(.asynchronousFailoverNeedsRPO) { AvailabilityChecks.asynchronousWithoutRPO($0) },
        Rule(.synchronousCountExceedsStandbys) { AvailabilityChecks.synchronousCount($0) },
        Rule(.caRequiresSingleNode) { AvailabilityChecks.caChoice($0) },
        Rule(.multiPrimaryNeedsConflictPolicy) { AvailabilityChecks.conflictPolicy($0) },
        Rule(.lastWriteWinsContradictsStrong) { AvailabilityChecks.lastWriteWins($0) },
        Rule(.multiPrimaryExpectsAP) { AvailabilityChecks.multiPrimaryPartition($0) },
        Rule(.rtoBelowFailoverTime) { AvailabilityChecks.rto($0) },
        Rule(.synchronousAcrossRegions) { AvailabilityChecks.crossRegionSynchronous($0) },
    ]
}

/// The checks of the availability rules.
enum AvailabilityChecks {
    /// Patroni's smallest accepted ttl, in seconds.
    static let minimumTTL: Int64 = 20
    /// Patroni's smallest accepted loop_wait, in seconds.
    static let minimumLoopWait: Int64 = 1
    /// Patroni's smallest accepted retry_timeout, in seconds.
    static let minimumRetryTimeout: Int64 = 3

    // MARK: THA301

    /// THA301: the decided timing against Patroni's rule and minimums, per cluster.
    static func timing(_ context: RuleContext) {
        let topology = context.topology
        for cluster in topology.clusters {
            let decided = ClusterFacts.decisions(for: cluster, in: topology)
            let failover = cluster.failover
            let derivedFrom = failover.declared ? nil : topology.guarantees.rto
            let keptDefaults =
                decided.ttl == failover.ttl.value.wholeSecondsRoundedUp
                && decided.loopWait == failover.loopWait.value.wholeSecondsRoundedUp
                && decided.retryTimeout == failover.retryTimeout.value.wholeSecondsRoundedUp
            // Without a `failover` section and without timing derived from the RTO, Patroni's
            // defaults (30s, 10s, 10s) run, and they are valid.
            if !failover.declared && (derivedFrom == nil || keptDefaults) { continue }
            var notes: [Diagnostic.Note] = []
            let origin: String
            if let rto = derivedFrom {
                origin = "derived from rto \(rto.value)"
                notes.append(
                    .init(
                        "cluster '\(cluster.name.value)' has no 'failover' section, so topoc derives ttl \(decided.ttl)s, loop_wait \(decided.loopWait)s and retry_timeout \(decided.retryTimeout)s from the RTO",
                        at: cluster.name.location))
            } else {
                origin = "declared"
            }
            func place(_ value: Located<TimeSpan>) -> SourceLocation { derivedFrom?.location ?? value.location }
            let checks: [(value: Int64, minimum: Int64, name: String, located: Located<TimeSpan>)] = [
                (decided.ttl, minimumTTL, "ttl", failover.ttl),
                (decided.loopWait, minimumLoopWait, "loop_wait", failover.loopWait),
                (decided.retryTimeout, minimumRetryTimeout, "retry_timeout", failover.retryTimeout),
            ]
            for check in checks where check.value < check.minimum {
                context.report(
                    "\(check.name) \(check.value)s (\(origin)) of cluster '\(cluster.name.value)' is below Patroni's minimum of \(check.minimum)s; Patroni raises it, so the failover timing differs from the one planned",
                    at: place(check.located), notes: notes, suppressions: cluster.suppressions)
            }
            let needed = decided.loopWait + 2 * decided.retryTimeout
            if needed > decided.ttl {
                var ruleNotes = notes
                if derivedFrom == nil {
                    ruleNotes.append(.init("loop_wait \(decided.loopWait)s is set here", at: failover.loopWait.location))
                    ruleNotes.append(
                        .init("retry_timeout \(decided.retryTimeout)s is set here", at: failover.retryTimeout.location))
                }
                context.report(
                    "loop_wait + 2 x retry_timeout = \(decided.loopWait)s + 2 x \(decided.retryTimeout)s = \(needed)s exceeds ttl \(decided.ttl)s (\(origin)) of cluster '\(cluster.name.value)': Patroni requires loop_wait + 2 x retry_timeout <= ttl",
                    at: place(failover.ttl), notes: ruleNotes, suppressions: cluster.suppressions)
            }
        }
    }

    // MARK: THA302, THA303

    /// THA302: strong consistency over asynchronous replicas.
    static func strongConsistency(_ context: RuleContext) {
        let topology = context.topology
        guard let consistency = topology.guarantees.consistency, consistency.value == .strong else { return }
        for cluster in topology.clusters where ClusterFacts.replicas(of: cluster) > 0 {
            let decided = ClusterFacts.decisions(for: cluster, in: topology)
            guard !decided.synchronousMode else { continue }
            context.report(
                "strong consistency cannot be served by cluster '\(cluster.name.value)': its \(ClusterFacts.count(ClusterFacts.replicas(of: cluster), "replica")) replicate asynchronously, so topoc reads only from the leader and a failover may promote a replica that lacks acknowledged commits; use 'mode: synchronous'",
                at: consistency.location,
                notes: [
                    .init("cluster '\(cluster.name.value)' replicates asynchronously", at: cluster.replication.mode.location)
                ],
                suppressions: cluster.suppressions)
        }
    }

    /// THA303: read-your-writes or causal consistency over asynchronous replicas.
    static func sessionConsistency(_ context: RuleContext) {
        let topology = context.topology
        guard let consistency = topology.guarantees.consistency,
            consistency.value == .readYourWrites || consistency.value == .causal
        else { return }
        for cluster in topology.clusters where ClusterFacts.replicas(of: cluster) > 0 {
            let decided = ClusterFacts.decisions(for: cluster, in: topology)
            guard !decided.synchronousMode else { continue }
            let bound = ByteSize(bytes: decided.maximumLagOnFailover)
            context.report(
                "\(consistency.value.rawValue) consistency holds on cluster '\(cluster.name.value)' only while its leader lives: it replicates asynchronously, and a failover may promote a replica without a session's last acknowledged commits (up to maximum_lag_on_failover \(bound) plus the writes of the last ttl), which the session then no longer reads",
                at: consistency.location,
                notes: [
                    .init("cluster '\(cluster.name.value)' replicates asynchronously", at: cluster.replication.mode.location)
                ],
                suppressions: cluster.suppressions)
        }
    }

    // MARK: THA304, THA305, THA306, THA307

    /// THA304: an RPO of zero without a strict synchronous standby.
    static func rpoZero(_ context: RuleContext) {
        let topology = context.topology
        guard let rpo = topology.guarantees.rpo, rpo.value.milliseconds == 0 else { return }
        for cluster in topology.clusters {
            let decided = ClusterFacts.decisions(for: cluster, in: topology)
            let name = cluster.name.value
            if ClusterFacts.replicas(of: cluster) == 0 {
                context.report(
                    "rpo 0 cannot be met by cluster '\(name)': a single member has no synchronous standby, so losing it loses every commit since the last backup; add a member and use 'mode: synchronous'",
                    at: rpo.location,
                    notes: [.init("cluster '\(name)' has one member", at: ClusterFacts.membersLocation(of: cluster))],
                    suppressions: cluster.suppressions)
            } else if !decided.synchronousMode {
                context.report(
                    "rpo 0 cannot be met by cluster '\(name)': it replicates asynchronously, so a failover can lose up to maximum_lag_on_failover \(ByteSize(bytes: decided.maximumLagOnFailover)) of acknowledged commits; use 'mode: synchronous'",
                    at: rpo.location,
                    notes: [.init("cluster '\(name)' replicates asynchronously", at: cluster.replication.mode.location)],
                    suppressions: cluster.suppressions)
            } else if !decided.synchronousModeStrict, let strict = cluster.replication.strict {
                context.report(
                    "'strict: false' breaks rpo 0 on cluster '\(name)': without synchronous_mode_strict Patroni lets the primary commit alone while no synchronous standby is available, and those commits are lost if it then fails; remove 'strict' or set it to true",
                    at: strict.location, notes: [.init("rpo 0 is declared here", at: rpo.location)],
                    suppressions: cluster.suppressions)
            }
        }
    }

    /// THA305: strict synchronous mode without a spare standby.
    static func strictBlocking(_ context: RuleContext) {
        let topology = context.topology
        for cluster in topology.clusters {
            let decided = ClusterFacts.decisions(for: cluster, in: topology)
            let members = cluster.members.count
            guard decided.synchronousModeStrict, members < 3 else { continue }
            let location = cluster.replication.strict?.location ?? cluster.replication.mode.location
            let origin = cluster.replication.strict == nil ? " (topoc sets it for rpo 0)" : ""
            context.report(
                "cluster '\(cluster.name.value)' runs synchronous_mode_strict\(origin) with \(ClusterFacts.count(members, "member")): when its only standby is down, every write blocks until the standby returns; add a third member",
                at: location,
                notes: [
                    .init(
                        "cluster '\(cluster.name.value)' has \(ClusterFacts.count(members, "member"))",
                        at: ClusterFacts.membersLocation(of: cluster))
                ],
                suppressions: cluster.suppressions)
        }
    }

    /// THA306: asynchronous replicas while the topology declares no RPO.
    static func asynchronousWithoutRPO(_ context: RuleContext) {
        let topology = context.topology
        guard topology.guarantees.rpo == nil else { return }
        for cluster in topology.clusters where ClusterFacts.replicas(of: cluster) > 0 {
            let decided = ClusterFacts.decisions(for: cluster, in: topology)
            guard !decided.synchronousMode else { continue }
            var notes: [Diagnostic.Note] = []
            if let lag = cluster.replication.maximumLagOnFailover {
                notes.append(.init("maximum_lag_on_failover is set here", at: lag.location))
            }
            if let section = topology.guarantees.location {
                notes.append(.init("declare 'rpo' in the guarantees", at: section))
            }
            context.report(
                "cluster '\(cluster.name.value)' replicates asynchronously, so a failover can lose up to maximum_lag_on_failover \(ByteSize(bytes: decided.maximumLagOnFailover)) (\(decided.maximumLagOnFailover) bytes) of acknowledged commits plus the writes of the last ttl \(decided.ttl)s, but the topology declares no 'guarantees.rpo'",
                at: cluster.replication.mode.location, notes: notes, suppressions: cluster.suppressions)
        }
    }

    /// THA307: a sync_count above the standbys of the cluster.
    static func synchronousCount(_ context: RuleContext) {
        for cluster in context.topology.clusters {
            guard cluster.replication.mode.value == .synchronous, let count = cluster.replication.syncCount else { continue }
            let standbys = ClusterFacts.replicas(of: cluster)
            guard count.value > standbys else { continue }
            context.report(
                "sync_count \(count.value) exceeds the \(ClusterFacts.count(standbys, "standby", plural: "standbys")) of cluster '\(cluster.name.value)' (members - 1); topoc would run synchronous_node_count \(ClusterFacts.decisions(for: cluster, in: context.topology).synchronousNodeCount)",
                at: count.location,
                notes: [
                    .init(
                        "cluster '\(cluster.name.value)' has \(ClusterFacts.count(cluster.members.count, "member"))",
                        at: ClusterFacts.membersLocation(of: cluster))
                ],
                suppressions: cluster.suppressions)
        }
    }

    // MARK: THA308

    /// THA308: CA with replicas, shards or multiple primaries.
    static func caChoice(_ context: RuleContext) {
        let topology = context.topology
        guard let partition = topology.guarantees.partition, partition.value == .ca else { return }
        for cluster in topology.clusters where cluster.members.count > 1 {
            context.report(
                "partition choice CA is impossible for cluster '\(cluster.name.value)': its \(ClusterFacts.count(cluster.members.count, "member")) can be partitioned from each other; declare CP (Patroni demotes a leader cut off from the DCS quorum) or AP",
                at: partition.location,
                notes: [.init("cluster '\(cluster.name.value)' is replicated", at: ClusterFacts.membersLocation(of: cluster))],
                suppressions: cluster.suppressions)
        }
        if let sharding = topology.sharding {
            context.report(
                "partition choice CA is impossible for a sharded topology: shards run on separate servers that can be partitioned from each other; declare CP or AP",
                at: partition.location, notes: [.init("the topology is sharded here", at: sharding.strategy.location)])
        }
        for group in topology.multiPrimaryGroups {
            context.report(
                "partition choice CA is impossible with multi-primary group '\(group.name.value)': its primaries keep accepting writes on both sides of a partition, which is AP",
                at: partition.location, notes: [.init("multi-primary group declared here", at: group.name.location)],
                suppressions: group.suppressions)
        }
    }

    // MARK: THA309, THA310, THA311

    /// THA309: multi-primary groups without a conflict policy.
    static func conflictPolicy(_ context: RuleContext) {
        for group in context.topology.multiPrimaryGroups where group.conflictPolicy == nil {
            context.report(
                "multi-primary group '\(group.name.value)' declares no 'conflict' policy: concurrent writes to one row on two primaries have no resolution (logical replication stops on the conflict)",
                at: group.name.location, suppressions: group.suppressions)
        }
    }

    /// THA310: last-write-wins under strong consistency.
    static func lastWriteWins(_ context: RuleContext) {
        let topology = context.topology
        guard let consistency = topology.guarantees.consistency, consistency.value == .strong else { return }
        for group in topology.multiPrimaryGroups {
            guard let policy = group.conflictPolicy, policy.value == .lastWriteWins else { continue }
            context.report(
                "last-write-wins in multi-primary group '\(group.name.value)' discards acknowledged writes when two primaries change a row concurrently, which strong consistency forbids",
                at: policy.location, notes: [.init("strong consistency is promised here", at: consistency.location)],
                suppressions: group.suppressions)
        }
    }

    /// THA311: multi-primary groups without the AP choice.
    static func multiPrimaryPartition(_ context: RuleContext) {
        let topology = context.topology
        for group in topology.multiPrimaryGroups {
            if let partition = topology.guarantees.partition {
                guard partition.value == .cp else { continue }
                context.report(
                    "multi-primary group '\(group.name.value)' keeps accepting writes on both sides of a partition, which is the AP choice, but the topology declares CP",
                    at: partition.location, notes: [.init("multi-primary group declared here", at: group.name.location)],
                    suppressions: group.suppressions)
            } else {
                context.report(
                    "multi-primary group '\(group.name.value)' keeps accepting writes on both sides of a partition; declare 'guarantees.partition: AP'",
                    at: group.name.location, suppressions: group.suppressions)
            }
        }
    }

    // MARK: THA312

    /// THA312: an RTO below ttl + loop_wait of the decided timing.
    static func rto(_ context: RuleContext) {
        let topology = context.topology
        guard let rto = topology.guarantees.rto else { return }
        for cluster in topology.clusters {
            // A cluster with no promotable standby has no failover to time.
            guard cluster.members.dropFirst().contains(where: { !$0.noFailover }) else { continue }
            let decided = ClusterFacts.decisions(for: cluster, in: topology)
            let detection = decided.ttl + decided.loopWait
            guard rto.value.milliseconds < detection * 1000 else { continue }
            let timing =
                cluster.failover.declared
                ? Diagnostic.Note(
                    "ttl \(decided.ttl)s and loop_wait \(decided.loopWait)s are declared here", at: cluster.failover.ttl.location)
                : Diagnostic.Note(
                    "cluster '\(cluster.name.value)' runs ttl \(decided.ttl)s and loop_wait \(decided.loopWait)s (no 'failover' section)",
                    at: cluster.name.location)
            context.report(
                "rto \(rto.value) is shorter than the worst-case failure detection of cluster '\(cluster.name.value)': ttl \(decided.ttl)s + loop_wait \(decided.loopWait)s = \(detection)s before promotion even starts",
                at: rto.location, notes: [timing], suppressions: cluster.suppressions)
        }
    }

    // MARK: THA313

    /// THA313: synchronous replication between members in different regions.
    static func crossRegionSynchronous(_ context: RuleContext) {
        let topology = context.topology
        let layout = PhysicalLayout(topology: topology)
        for cluster in topology.clusters {
            let decided = ClusterFacts.decisions(for: cluster, in: topology)
            guard decided.synchronousMode else { continue }
            // Every physical cluster of a template spans the same regions unless shards place
            // members; report the first physical cluster that spans several.
            for physical in layout.clusters(of: cluster) {
                let regions = physical.memberRegions
                let distinct = regions.compactMap { $0 }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
                guard distinct.count > 1 else { continue }
                let leaderRegion = regions.first.flatMap { $0 } ?? distinct[0]
                let remote = regions.firstIndex { $0 != nil && $0 != leaderRegion } ?? 0
                let latency = worstRoundTrip(between: distinct, in: topology)
                let figure =
                    latency.map { "adding up to \($0) (the declared round-trip time) to every commit" }
                    ?? "adding an unknown round-trip time to every commit (declare 'regions.<name>.rtt')"
                let scope = physical.name == cluster.name.value ? "" : " (shard cluster '\(physical.name)')"
                context.report(
                    "cluster '\(cluster.name.value)'\(scope) replicates synchronously between regions \(distinct.joined(separator: ", ")): a commit waits for a standby in another region, \(figure)",
                    at: cluster.replication.mode.location,
                    notes: [
                        .init(
                            "this member runs in \(regions[remote] ?? "another region")",
                            at: cluster.members[remote].region?.location ?? cluster.members[remote].location)
                    ],
                    suppressions: cluster.suppressions)
                break
            }
        }
    }

    /// The largest declared round-trip time between any two of the regions, or nil when some
    /// pair has none declared.
    static func worstRoundTrip(between regions: [String], in topology: Topology) -> TimeSpan? {
        var worst = TimeSpan(milliseconds: 0)
        for (index, first) in regions.enumerated() {
            for second in regions[(index + 1)...] {
                guard let time = roundTrip(first, second, in: topology) else { return nil }
                worst = max(worst, time)
            }
        }
        return worst
    }

    /// The declared round-trip time between two regions, in either direction.
    static func roundTrip(_ first: String, _ second: String, in topology: Topology) -> TimeSpan? {
        func declared(_ from: String, _ to: String) -> TimeSpan? {
            topology.regions.first { $0.name.value == from }?.roundTrips.first { $0.region.value == to }?.time.value
        }
        return declared(first, second) ?? declared(second, first)
    }
}
