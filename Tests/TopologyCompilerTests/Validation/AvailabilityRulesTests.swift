import Testing

@testable import TopologyCompiler

@Suite("Rules: availability and CAP")
struct AvailabilityRulesTests {
    typealias F = ClusterRuleFixture

    /// A topology with guarantees and one cluster `main` whose body is `cluster` (indented by four).
    static func topology(guarantees: String = "", cluster: String, extra: String = "") -> String {
        "topology: shop\n" + (guarantees.isEmpty ? "" : "guarantees: { \(guarantees) }\n") + "clusters:\n  main:\n" + cluster
            + (cluster.hasSuffix("\n") ? "" : "\n") + extra
    }

    static let suppress = "    suppress: [{ rule: CODE, reason: accepted }]\n"

    static func suppressing(_ code: DiagnosticCode) -> String {
        suppress.replacingOccurrences(of: "CODE", with: code.code)
    }

    // MARK: THA301 patroni-timing-invalid

    @Test func timingRuleRejectsLoopWaitPlusTwiceRetryAboveTTL() throws {
        let text = Self.topology(cluster: "    members: 3\n    failover: { ttl: 25s, loop_wait: 10s, retry_timeout: 10s }\n")
        let found = try F.expect(
            .patroniTimingInvalid, in: text, at: "25s",
            message: "loop_wait + 2 x retry_timeout = 10s + 2 x 10s = 30s exceeds ttl 25s (declared)")
        F.expectNote(found[0], at: "10s", in: text)
        F.expectNote(found[0], at: "10s", in: text, occurrence: 2)
    }

    @Test func timingRuleRejectsValuesBelowPatroniMinimums() throws {
        let text = Self.topology(cluster: "    members: 2\n    failover: { ttl: 10s, loop_wait: 2s, retry_timeout: 2s }\n")
        let found = try F.findings(.patroniTimingInvalid, text)
        #expect(found.count == 2)
        let ttl = try #require(found.first { $0.message.contains("ttl 10s") })
        #expect(ttl.message.contains("below Patroni's minimum of 20s"))
        F.expect(ttl.location, at: "10s", in: text)
        let retry = try #require(found.first { $0.message.contains("retry_timeout 2s") })
        #expect(retry.message.contains("minimum of 3s"))
        F.expect(retry.location, at: "2s", in: text, occurrence: 2)
    }

    @Test func timingDerivedFromTheRTOStaysWithinPatroniMinimums() throws {
        // No failover section: GuaranteeDecisions derives timing from a 20s RTO, clamped to ttl >= 20s.
        let text = Self.topology(guarantees: "rto: 20s", cluster: "    members: 2\n")
        let decided = GuaranteeDecisions.decide(
            for: try F.topology(text).clusters[0], guarantees: try F.topology(text).guarantees)
        #expect(decided.ttl == 20)
        #expect(decided.loopWait + 2 * decided.retryTimeout <= decided.ttl)
        #expect(decided.retryTimeout >= 3)
        try F.expectNothing(.patroniTimingInvalid, in: text)
        // The RTO itself cannot be met, which THA312 reports.
        try F.expect(.rtoBelowFailoverTime, in: text, at: "20s", message: "ttl 20s + loop_wait 4s = 24s")
    }

    @Test func timingRuleAcceptsDefaultsDeclaredValuesAndLongRTOs() throws {
        try F.expectNothing(.patroniTimingInvalid, in: Self.topology(cluster: "    members: 3\n"))
        try F.expectNothing(
            .patroniTimingInvalid,
            in: Self.topology(cluster: "    members: 3\n    failover: { ttl: 20s, loop_wait: 5s, retry_timeout: 5s }\n"))
        try F.expectNothing(.patroniTimingInvalid, in: Self.topology(guarantees: "rto: 30s", cluster: "    members: 3\n"))
        try F.expectNothing(.patroniTimingInvalid, in: Self.topology(guarantees: "rto: 5m", cluster: "    members: 3\n"))
    }

    @Test func timingRuleIsSuppressedOnTheCluster() throws {
        let text = Self.topology(
            cluster: "    members: 3\n    failover: { ttl: 25s, loop_wait: 10s, retry_timeout: 10s }\n"
                + Self.suppressing(.patroniTimingInvalid))
        try F.expectNothing(.patroniTimingInvalid, in: text)
    }

    // MARK: THA302 strong-consistency-needs-synchronous

    @Test func strongConsistencyRejectsAsynchronousReplicas() throws {
        let text = Self.topology(
            guarantees: "consistency: strong", cluster: "    members: 3\n    replication: { mode: asynchronous }\n")
        let found = try F.expect(
            .strongConsistencyNeedsSynchronous, in: text, at: "strong",
            message: "strong consistency cannot be served by cluster 'main': its 2 replicas replicate asynchronously")
        F.expectNote(found[0], at: "asynchronous", in: text)
    }

    @Test func strongConsistencyAcceptsSynchronousOrSingleMember() throws {
        try F.expectNothing(
            .strongConsistencyNeedsSynchronous,
            in: Self.topology(
                guarantees: "consistency: strong", cluster: "    members: 3\n    replication: { mode: synchronous }\n"))
        try F.expectNothing(
            .strongConsistencyNeedsSynchronous, in: Self.topology(guarantees: "consistency: strong", cluster: "    members: 1\n"))
        try F.expectNothing(
            .strongConsistencyNeedsSynchronous,
            in: Self.topology(guarantees: "consistency: eventual", cluster: "    members: 3\n"))
    }

    @Test func strongConsistencyIsSuppressedOnTheCluster() throws {
        try F.expectNothing(
            .strongConsistencyNeedsSynchronous,
            in: Self.topology(
                guarantees: "consistency: strong",
                cluster: "    members: 2\n" + Self.suppressing(.strongConsistencyNeedsSynchronous)))
    }

    // MARK: THA303 session-consistency-across-async-failover

    @Test func readYourWritesWarnsAboutAsynchronousFailover() throws {
        let text = Self.topology(
            guarantees: "consistency: read-your-writes",
            cluster: "    members: 2\n    replication: { mode: asynchronous, max_lag_on_failover: 16MB }\n")
        let found = try F.expect(
            .sessionConsistencyAcrossAsyncFailover, in: text, at: "read-your-writes",
            message: "up to maximum_lag_on_failover 16MB")
        F.expectNote(found[0], at: "asynchronous", in: text)
        try F.expect(
            .sessionConsistencyAcrossAsyncFailover,
            in: Self.topology(guarantees: "consistency: causal", cluster: "    members: 2\n"), at: "causal",
            message: "causal consistency holds on cluster 'main' only while its leader lives")
    }

    @Test func readYourWritesIsFineWithSynchronousReplication() throws {
        try F.expectNothing(
            .sessionConsistencyAcrossAsyncFailover,
            in: Self.topology(
                guarantees: "consistency: read-your-writes", cluster: "    members: 2\n    replication: { mode: synchronous }\n"))
        try F.expectNothing(
            .sessionConsistencyAcrossAsyncFailover,
            in: Self.topology(guarantees: "consistency: read-your-writes", cluster: "    members: 1\n"))
    }

    @Test func readYourWritesWarningIsSuppressedOnTheCluster() throws {
        try F.expectNothing(
            .sessionConsistencyAcrossAsyncFailover,
            in: Self.topology(
                guarantees: "consistency: read-your-writes",
                cluster: "    members: 2\n" + Self.suppressing(.sessionConsistencyAcrossAsyncFailover)))
    }

    // MARK: THA304 rpo-zero-needs-strict-synchronous

    @Test func rpoZeroRejectsSingleMemberAsynchronousAndNonStrict() throws {
        let single = Self.topology(guarantees: "rpo: 0", cluster: "    members: 1\n")
        let singleFound = try F.expect(
            .rpoZeroNeedsStrictSynchronous, in: single, at: "0", occurrence: 1,
            message: "a single member has no synchronous standby")
        F.expectNote(singleFound[0], at: "1\n", in: single)

        let async = Self.topology(guarantees: "rpo: 0", cluster: "    members: 3\n    replication: { mode: asynchronous }\n")
        try F.expect(.rpoZeroNeedsStrictSynchronous, in: async, at: "0", message: "it replicates asynchronously")

        let loose = Self.topology(
            guarantees: "rpo: 0", cluster: "    members: 3\n    replication: { mode: synchronous, strict: false }\n")
        let looseFound = try F.expect(
            .rpoZeroNeedsStrictSynchronous, in: loose, at: "false", message: "'strict: false' breaks rpo 0")
        F.expectNote(looseFound[0], at: "0", in: loose)
    }

    @Test func rpoZeroAcceptsStrictSynchronousReplication() throws {
        try F.expectNothing(
            .rpoZeroNeedsStrictSynchronous,
            in: Self.topology(guarantees: "rpo: 0", cluster: "    members: 3\n    replication: { mode: synchronous }\n"))
        try F.expectNothing(
            .rpoZeroNeedsStrictSynchronous,
            in: Self.topology(
                guarantees: "rpo: 0", cluster: "    members: 3\n    replication: { mode: synchronous, strict: true }\n"))
        try F.expectNothing(.rpoZeroNeedsStrictSynchronous, in: Self.topology(guarantees: "rpo: 5s", cluster: "    members: 1\n"))
    }

    @Test func rpoZeroIsSuppressedOnTheCluster() throws {
        try F.expectNothing(
            .rpoZeroNeedsStrictSynchronous,
            in: Self.topology(
                guarantees: "rpo: 0", cluster: "    members: 1\n" + Self.suppressing(.rpoZeroNeedsStrictSynchronous)))
    }

    // MARK: THA305 strict-synchronous-blocks-writes

    @Test func strictModeWithTwoMembersWarns() throws {
        let text = Self.topology(cluster: "    members: 2\n    replication: { mode: synchronous, strict: true }\n")
        let found = try F.expect(
            .strictSynchronousBlocksWrites, in: text, at: "true", message: "every write blocks until the standby returns")
        F.expectNote(found[0], at: "2\n", in: text)
        // rpo 0 turns strict mode on when `strict` is not written: reported at the mode.
        let derived = Self.topology(guarantees: "rpo: 0", cluster: "    members: 2\n    replication: { mode: synchronous }\n")
        try F.expect(.strictSynchronousBlocksWrites, in: derived, at: "synchronous", message: "(topoc sets it for rpo 0)")
    }

    @Test func strictModeWithThreeMembersOrNonStrictIsFine() throws {
        try F.expectNothing(
            .strictSynchronousBlocksWrites,
            in: Self.topology(cluster: "    members: 3\n    replication: { mode: synchronous, strict: true }\n"))
        try F.expectNothing(
            .strictSynchronousBlocksWrites, in: Self.topology(cluster: "    members: 2\n    replication: { mode: synchronous }\n")
        )
    }

    @Test func strictModeWarningIsSuppressedOnTheCluster() throws {
        try F.expectNothing(
            .strictSynchronousBlocksWrites,
            in: Self.topology(
                cluster: "    members: 2\n    replication: { mode: synchronous, strict: true }\n"
                    + Self.suppressing(.strictSynchronousBlocksWrites)))
    }

    // MARK: THA306 asynchronous-failover-needs-rpo

    @Test func asynchronousReplicasWithoutRPOWarnWithTheByteBound() throws {
        let text = Self.topology(
            guarantees: "consistency: eventual",
            cluster: "    members: 2\n    replication: { mode: asynchronous, max_lag_on_failover: 4MB }\n")
        let found = try F.expect(
            .asynchronousFailoverNeedsRPO, in: text, at: "asynchronous",
            message: "up to maximum_lag_on_failover 4MB (4194304 bytes)")
        F.expectNote(found[0], at: "4MB", in: text)
        F.expectNote(found[0], at: "{ consistency", in: text)
        // Without replication settings the default 1 MiB bound applies, reported at the cluster.
        let defaults = Self.topology(cluster: "    members: 2\n")
        try F.expect(.asynchronousFailoverNeedsRPO, in: defaults, at: "main:", message: "(1048576 bytes)")
    }

    @Test func asynchronousReplicasWithAnRPOAreFine() throws {
        try F.expectNothing(.asynchronousFailoverNeedsRPO, in: Self.topology(guarantees: "rpo: 10s", cluster: "    members: 2\n"))
        try F.expectNothing(.asynchronousFailoverNeedsRPO, in: Self.topology(cluster: "    members: 1\n"))
        try F.expectNothing(
            .asynchronousFailoverNeedsRPO, in: Self.topology(cluster: "    members: 3\n    replication: { mode: synchronous }\n"))
    }

    @Test func asynchronousFailoverWarningIsSuppressedOnTheCluster() throws {
        try F.expectNothing(
            .asynchronousFailoverNeedsRPO,
            in: Self.topology(cluster: "    members: 2\n" + Self.suppressing(.asynchronousFailoverNeedsRPO)))
    }

    // MARK: THA307 synchronous-count-exceeds-standbys

    @Test func syncCountAboveStandbysIsAnError() throws {
        let text = Self.topology(cluster: "    members: 2\n    replication: { mode: synchronous, sync_count: 2 }\n")
        let found = try F.expect(
            .synchronousCountExceedsStandbys, in: text, at: "2 }",
            message:
                "sync_count 2 exceeds the 1 standby of cluster 'main' (members - 1); topoc would run synchronous_node_count 1")
        F.expectNote(found[0], at: "2\n", in: text)
    }

    @Test func syncCountCountsNoFailoverMembersAsStandbys() throws {
        let text = Self.topology(
            cluster:
                "    members:\n      - {}\n      - {}\n      - { nofailover: true }\n    replication: { mode: synchronous, sync_count: 2 }\n"
        )
        try F.expectNothing(.synchronousCountExceedsStandbys, in: text)
    }

    @Test func syncCountRuleIsSuppressedOnTheCluster() throws {
        try F.expectNothing(
            .synchronousCountExceedsStandbys,
            in: Self.topology(
                cluster: "    members: 2\n    replication: { mode: synchronous, sync_count: 3 }\n"
                    + Self.suppressing(.synchronousCountExceedsStandbys)))
    }

    // MARK: THA308 ca-requires-single-node

    @Test func caIsRejectedForReplicatedClusters() throws {
        let text = Self.topology(guarantees: "partition: CA", cluster: "    members: 2\n")
        let found = try F.expect(
            .caRequiresSingleNode, in: text, at: "CA", message: "partition choice CA is impossible for cluster 'main'")
        F.expectNote(found[0], at: "2\n", in: text)
    }

    @Test func caIsRejectedForShardedTopologies() throws {
        let text = """
            topology: shop
            guarantees: { partition: CA }
            clusters:
              shard: { members: 1 }
            sharding: { key: id, key_type: bigint, strategy: jump-hash, shards: 2, cluster: shard }
            tables:
              items:
                columns: { id: bigint }
                primary_key: id

            """
        let found = try F.expect(.caRequiresSingleNode, in: text, at: "CA", message: "impossible for a sharded topology")
        F.expectNote(found[0], at: "jump-hash", in: text)
    }

    @Test func caIsFineForASingleServer() throws {
        try F.expectNothing(.caRequiresSingleNode, in: Self.topology(guarantees: "partition: CA", cluster: "    members: 1\n"))
        try F.expectNothing(.caRequiresSingleNode, in: Self.topology(guarantees: "partition: CP", cluster: "    members: 3\n"))
    }

    @Test func caRuleIsSuppressedOnTheCluster() throws {
        try F.expectNothing(
            .caRequiresSingleNode,
            in: Self.topology(guarantees: "partition: CA", cluster: "    members: 2\n" + Self.suppressing(.caRequiresSingleNode)))
    }

    // MARK: THA309..THA311 multi-primary groups

    static func multiPrimary(guarantees: String, conflict: String?) -> String {
        """
        topology: carts
        regions: [us-east, eu-west]
        guarantees: { \(guarantees) }
        clusters:
          us: { members: 1, region: us-east }
          eu: { members: 1, region: eu-west }
        multi_primary:
          global:
            clusters: [us, eu]
        \(conflict.map { "    conflict: \($0)\n    timestamp_column: updated_at" } ?? "")

        """
    }

    @Test func multiPrimaryGroupWithoutConflictPolicyIsAnError() throws {
        let text = Self.multiPrimary(guarantees: "partition: AP", conflict: nil)
        try F.expect(.multiPrimaryNeedsConflictPolicy, in: text, at: "global:", message: "declares no 'conflict' policy")
        try F.expectNothing(
            .multiPrimaryNeedsConflictPolicy, in: Self.multiPrimary(guarantees: "partition: AP", conflict: "crdt"))
    }

    @Test func lastWriteWinsIsRejectedForStrongConsistency() throws {
        let text = Self.multiPrimary(guarantees: "consistency: strong, partition: AP", conflict: "last-write-wins")
        let found = try F.expect(
            .lastWriteWinsContradictsStrong, in: text, at: "last-write-wins", message: "discards acknowledged writes")
        F.expectNote(found[0], at: "strong", in: text)
        try F.expectNothing(
            .lastWriteWinsContradictsStrong,
            in: Self.multiPrimary(guarantees: "consistency: eventual, partition: AP", conflict: "last-write-wins"))
        try F.expectNothing(
            .lastWriteWinsContradictsStrong,
            in: Self.multiPrimary(guarantees: "consistency: strong, partition: AP", conflict: "application"))
    }

    @Test func multiPrimaryWithCPWarns() throws {
        let text = Self.multiPrimary(guarantees: "partition: CP", conflict: "crdt")
        let found = try F.expect(.multiPrimaryExpectsAP, in: text, at: "CP", message: "which is the AP choice")
        F.expectNote(found[0], at: "global:", in: text)
        try F.expectNothing(.multiPrimaryExpectsAP, in: Self.multiPrimary(guarantees: "partition: AP", conflict: "crdt"))
        try F.expect(
            .multiPrimaryExpectsAP, in: Self.multiPrimary(guarantees: "rpo: 1s", conflict: "crdt"), at: "global:",
            message: "declare 'guarantees.partition: AP'")
    }

    // MARK: THA312 rto-below-failover-time

    @Test func rtoBelowTTLPlusLoopWaitIsAnError() throws {
        let text = Self.topology(
            guarantees: "rto: 30s", cluster: "    members: 3\n    failover: { ttl: 30s, loop_wait: 10s, retry_timeout: 10s }\n")
        let found = try F.expect(
            .rtoBelowFailoverTime, in: text, at: "30s",
            message: "rto 30s is shorter than the worst-case failure detection of cluster 'main': ttl 30s + loop_wait 10s = 40s")
        F.expectNote(found[0], at: "30s", in: text, occurrence: 2)
        // Derived timing cannot go below Patroni's minimum ttl 20s (+ loop_wait 4s).
        try F.expect(
            .rtoBelowFailoverTime, in: Self.topology(guarantees: "rto: 5s", cluster: "    members: 2\n"), at: "5s",
            message: "ttl 20s + loop_wait 4s = 24s")
    }

    @Test func rtoThatTheTimingMeetsIsFine() throws {
        try F.expectNothing(.rtoBelowFailoverTime, in: Self.topology(guarantees: "rto: 1m", cluster: "    members: 3\n"))
        try F.expectNothing(.rtoBelowFailoverTime, in: Self.topology(guarantees: "rto: 30s", cluster: "    members: 3\n"))
        // Nothing to fail over to: a single member, or only nofailover standbys.
        try F.expectNothing(.rtoBelowFailoverTime, in: Self.topology(guarantees: "rto: 5s", cluster: "    members: 1\n"))
        try F.expectNothing(
            .rtoBelowFailoverTime,
            in: Self.topology(guarantees: "rto: 5s", cluster: "    members:\n      - {}\n      - { nofailover: true }\n"))
    }

    @Test func rtoRuleIsSuppressedOnTheCluster() throws {
        try F.expectNothing(
            .rtoBelowFailoverTime,
            in: Self.topology(guarantees: "rto: 5s", cluster: "    members: 2\n" + Self.suppressing(.rtoBelowFailoverTime)))
    }

    // MARK: THA313 synchronous-across-regions

    static func regional(rtt: Bool, mode: String, suppress: Bool = false) -> String {
        """
        topology: shop
        regions:
          us-east:\(rtt ? " { rtt: { eu-west: 75ms } }" : "")
          eu-west:
        clusters:
          main:
            region: us-east
            members:
              - {}
              - {}
              - { region: eu-west }
            replication: { mode: \(mode) }
        \(suppress ? "    suppress: [{ rule: THA313, reason: accepted }]" : "")

        """
    }

    @Test func synchronousReplicationAcrossRegionsWarnsWithTheRoundTrip() throws {
        let text = Self.regional(rtt: true, mode: "synchronous")
        let found = try F.expect(
            .synchronousAcrossRegions, in: text, at: "synchronous",
            message:
                "replicates synchronously between regions us-east, eu-west: a commit waits for a standby in another region, adding up to 75ms"
        )
        F.expectNote(found[0], at: "eu-west }", in: text)
        try F.expect(
            .synchronousAcrossRegions, in: Self.regional(rtt: false, mode: "synchronous"), at: "synchronous",
            message: "adding an unknown round-trip time")
    }

    @Test func asynchronousOrSingleRegionReplicationIsFine() throws {
        try F.expectNothing(.synchronousAcrossRegions, in: Self.regional(rtt: true, mode: "asynchronous"))
        let geo = """
            topology: shop
            regions: [us-east, eu-west]
            clusters:
              shard:
                members: 3
                replication: { mode: synchronous }
            sharding:
              key: id
              key_type: bigint
              strategy: geographic
              region_key: region
              regions: [us-east, eu-west]
              cluster: shard
            tables:
              items:
                columns: { id: bigint, region: text }
                primary_key: id

            """
        // Shard members take their shard's region: every shard cluster stays in one region.
        try F.expectNothing(.synchronousAcrossRegions, in: geo)
    }

    @Test func crossRegionWarningIsSuppressedOnTheCluster() throws {
        try F.expectNothing(.synchronousAcrossRegions, in: Self.regional(rtt: true, mode: "synchronous", suppress: true))
    }

    // MARK: Examples

    @Test func examplesRaiseNoErrorsFromTheseFamilies() throws {
        let families = ["TCD", "THA", "TSH", "TPB"]
        let rules = RuleCatalog.all.filter { rule in families.contains { rule.code.code.hasPrefix($0) } }
        #expect(rules.count == 46)
        let examples = try F.examples()
        #expect(examples.count >= 10)
        for example in examples {
            let topology = try #require(example.topology, "\(example.name) does not load")
            // The project's `rules:` overrides apply, as in `topoc validate`.
            let errors = SeverityPolicy(topology: topology).apply(to: Validator(topology: topology, rules: rules).run())
                .filter { $0.severity == .error && $0.code.code != "TPC040" }
            #expect(errors.isEmpty, "\(example.name):\n\(F.rendered(errors))")
        }
    }
}
