import Testing

@testable import TopologyCompiler

enum ClusterKeyCases {
    static func cluster(_ body: String, extra: String = "") -> String {
        DecodeFixture.document(extra, clusters: "  main:\n" + body)
    }

    static let all: [GrammarKeyCase] = [
        GrammarKeyCase(.cluster, "members", cluster("    members: 3\n")) {
            let cluster = $0.topology.clusters[0]
            #expect(cluster.memberCount == 3)
            #expect(cluster.members.allSatisfy { $0.region == nil && !$0.noFailover })
            for member in cluster.members { $0.expect(member.location, at: "3") }
        },
        GrammarKeyCase(.cluster, "region", cluster("    members: 2\n    region: eu\n", extra: "regions: [eu]\n")) {
            let members = $0.topology.clusters[0].members
            #expect(members.map(\.region?.value) == ["eu", "eu"])
            $0.expect(members[1].region?.location, at: "eu\n")
        },
        GrammarKeyCase(.cluster, "replication", cluster("    members: 2\n    replication: { mode: synchronous }\n")) {
            let replication = $0.topology.clusters[0].replication
            #expect(replication.mode.value == .synchronous)
            #expect(replication.syncCount == nil)
            #expect(replication.strict == nil)
            #expect(replication.maximumLagOnFailover == nil)
            $0.expect(replication.mode.location, at: "synchronous")
        },
        GrammarKeyCase(.cluster, "failover", cluster("    members: 1\n    failover: { ttl: 40s }\n")) {
            let failover = $0.topology.clusters[0].failover
            #expect(failover.ttl.value == .seconds(40))
            // Keys not written keep Patroni's defaults, located at the cluster's name.
            #expect(failover.loopWait.value == .seconds(10))
            #expect(failover.retryTimeout.value == .seconds(10))
            #expect(failover.watchdog.value == .off)
            $0.expect(failover.loopWait.location, at: "main")
        },
        GrammarKeyCase(.cluster, "settings", cluster("    members: 1\n    settings: { max_connections: 300 }\n")) {
            let settings = $0.topology.clusters[0].settings
            #expect(settings.maxConnections?.value == 300)
            #expect(settings.maxWalSenders == nil)
            #expect(settings.maxReplicationSlots == nil)
            #expect(settings.sharedBuffers == nil)
        },
        GrammarKeyCase(
            .cluster, "suppress",
            cluster("    members: 1\n    suppress: [{ rule: TPG120, reason: lab }, { rule: TPG121, reason: lab too }]\n")
        ) {
            let suppressions = $0.topology.clusters[0].suppressions
            #expect(suppressions.map(\.code.value) == ["TPG120", "TPG121"])
            #expect(suppressions.map(\.reason.value) == ["lab", "lab too"])
        },
        GrammarKeyCase(
            .member, "region",
            cluster("    members:\n      - { region: eu }\n      - { region: us }\n", extra: "regions: [eu, us]\n")
        ) {
            let members = $0.topology.clusters[0].members
            #expect(members.map(\.region?.value) == ["eu", "us"])
            $0.expect(members[0].location, at: "{ region: eu")
            $0.expect(members[1].region?.location, at: "us }")
        },
        GrammarKeyCase(
            .member, "nofailover",
            cluster("    members:\n      - {}\n      - { nofailover: true }\n      - { nofailover: false }\n")
        ) {
            let members = $0.topology.clusters[0].members
            #expect(members.map(\.noFailover) == [false, true, false])
            $0.expect(members[1].location, at: "{ nofailover: true")
        },
        GrammarKeyCase(.replication, "mode", cluster("    members: 2\n    replication:\n      mode: asynchronous\n")) {
            let mode = $0.topology.clusters[0].replication.mode
            #expect(mode.value == .asynchronous)
            $0.expect(mode.location, at: "asynchronous")
        },
        GrammarKeyCase(
            .replication, "sync_count", cluster("    members: 3\n    replication: { mode: synchronous, sync_count: 2 }\n")
        ) {
            let count = try #require($0.topology.clusters[0].replication.syncCount)
            #expect(count.value == 2)
            $0.expect(count.location, at: "2 }")
        },
        GrammarKeyCase(.replication, "strict", cluster("    members: 2\n    replication: { mode: synchronous, strict: true }\n")) {
            let strict = try #require($0.topology.clusters[0].replication.strict)
            #expect(strict.value)
            $0.expect(strict.location, at: "true")
        },
        GrammarKeyCase(
            .replication, "max_lag_on_failover",
            cluster("    members: 2\n    replication: { mode: asynchronous, max_lag_on_failover: 1MB }\n")
        ) {
            let lag = try #require($0.topology.clusters[0].replication.maximumLagOnFailover)
            #expect(lag.value == ByteSize(bytes: 1 << 20))
            $0.expect(lag.location, at: "1MB")
        },
        GrammarKeyCase(.failover, "ttl", cluster("    members: 1\n    failover:\n      ttl: 25s\n")) {
            let ttl = $0.topology.clusters[0].failover.ttl
            #expect(ttl.value == .seconds(25))
            $0.expect(ttl.location, at: "25s")
        },
        GrammarKeyCase(.failover, "loop_wait", cluster("    members: 1\n    failover: { loop_wait: 500ms }\n")) {
            let wait = $0.topology.clusters[0].failover.loopWait
            #expect(wait.value.milliseconds == 500)
            $0.expect(wait.location, at: "500ms")
        },
        GrammarKeyCase(.failover, "retry_timeout", cluster("    members: 1\n    failover: { retry_timeout: 1m }\n")) {
            let retry = $0.topology.clusters[0].failover.retryTimeout
            #expect(retry.value == .seconds(60))
            $0.expect(retry.location, at: "1m")
        },
        GrammarKeyCase(.failover, "watchdog", cluster("    members: 1\n    failover: { watchdog: required }\n")) {
            let watchdog = $0.topology.clusters[0].failover.watchdog
            #expect(watchdog.value == .required)
            $0.expect(watchdog.location, at: "required")
        },
        GrammarKeyCase(.settings, "max_connections", cluster("    members: 1\n    settings: { max_connections: 262143 }\n")) {
            let value = try #require($0.topology.clusters[0].settings.maxConnections)
            #expect(value.value == 262_143)
            $0.expect(value.location, at: "262143")
        },
        GrammarKeyCase(.settings, "max_wal_senders", cluster("    members: 1\n    settings: { max_wal_senders: 0 }\n")) {
            #expect($0.topology.clusters[0].settings.maxWalSenders?.value == 0)
        },
        GrammarKeyCase(.settings, "max_replication_slots", cluster("    members: 1\n    settings: { max_replication_slots: 12 }\n")) {
            let slots = try #require($0.topology.clusters[0].settings.maxReplicationSlots)
            #expect(slots.value == 12)
            $0.expect(slots.location, at: "12")
        },
        GrammarKeyCase(.settings, "shared_buffers", cluster("    members: 1\n    settings: { shared_buffers: 2GB }\n")) {
            #expect($0.topology.clusters[0].settings.sharedBuffers?.value == ByteSize(bytes: 2 << 30))
        },
        GrammarKeyCase(.settings, "max_slot_wal_keep_size", cluster("    members: 1\n    settings: { max_slot_wal_keep_size: 8GB }\n")) {
            let size = try #require($0.topology.clusters[0].settings.maxSlotWalKeepSize)
            #expect(size.value == ByteSize(bytes: 8 << 30))
            $0.expect(size.location, at: "8GB")
        },
        GrammarKeyCase(
            .settings, "max_locks_per_transaction", cluster("    members: 1\n    settings: { max_locks_per_transaction: 256 }\n")
        ) {
            let locks = try #require($0.topology.clusters[0].settings.maxLocksPerTransaction)
            #expect(locks.value == 256)
            $0.expect(locks.location, at: "256")
        },
        GrammarKeyCase(
            .multiPrimaryGroup, "clusters",
            DecodeFixture.document("multi_primary:\n  pair: { clusters: [b, a] }\n", clusters: "  a: { members: 1 }\n  b: { members: 1 }\n")
        ) {
            let group = $0.topology.multiPrimaryGroups[0]
            #expect(group.name.value == "pair")
            #expect(group.clusters.map(\.value) == ["b", "a"])
            #expect(group.conflictPolicy == nil)
            #expect(group.timestampColumn == nil)
            $0.expect(group.clusters[0].location, at: "b, a")
        },
        GrammarKeyCase(
            .multiPrimaryGroup, "conflict",
            DecodeFixture.document(
                "multi_primary:\n  pair: { clusters: [a, b], conflict: last-write-wins }\n",
                clusters: "  a: { members: 1 }\n  b: { members: 1 }\n")
        ) {
            let conflict = try #require($0.topology.multiPrimaryGroups[0].conflictPolicy)
            #expect(conflict.value == .lastWriteWins)
            $0.expect(conflict.location, at: "last-write-wins")
        },
        GrammarKeyCase(
            .multiPrimaryGroup, "timestamp_column",
            DecodeFixture.document(
                "multi_primary:\n  pair: { clusters: [a, b], timestamp_column: updated_at }\n",
                clusters: "  a: { members: 1 }\n  b: { members: 1 }\n")
        ) {
            #expect($0.topology.multiPrimaryGroups[0].timestampColumn?.value == "updated_at")
        },
        GrammarKeyCase(
            .multiPrimaryGroup, "suppress",
            DecodeFixture.document(
                "multi_primary:\n  pair: { clusters: [a, b], suppress: [{ rule: THA315, reason: keys never collide }] }\n",
                clusters: "  a: { members: 1 }\n  b: { members: 1 }\n")
        ) {
            let suppressions = $0.topology.multiPrimaryGroups[0].suppressions
            #expect(suppressions.map(\.code.value) == ["THA315"])
            #expect(suppressions.map(\.reason.value) == ["keys never collide"])
            $0.expect(suppressions[0].code.location, at: "THA315")
        },
    ]
}

@Suite("Decoding: clusters")
struct ClusterDecodingTests {
    @Test(arguments: ClusterKeyCases.all)
    func key(_ keyCase: GrammarKeyCase) throws {
        try keyCase.run()
    }

    @Test func defaultsOfAClusterWithOnlyMembers() throws {
        let cluster = try DecodeFixture.decode(extra: "").clusters[0]
        #expect(cluster.replication.mode.value == .asynchronous)
        #expect(cluster.failover.ttl.value == .seconds(30))
        #expect(cluster.failover.loopWait.value == .seconds(10))
        #expect(cluster.failover.retryTimeout.value == .seconds(10))
        #expect(cluster.failover.watchdog.value == .off)
        #expect(cluster.suppressions.isEmpty)
    }

    @Test func clustersKeepFileOrder() throws {
        let topology = try DecodeFixture.decode(
            DecodeFixture.document("", clusters: "  zeta: { members: 1 }\n  alpha: { members: 2 }\n  mid-1: { members: 3 }\n"))
        #expect(topology.clusters.map(\.name.value) == ["zeta", "alpha", "mid-1"])
        #expect(topology.clusters.map(\.memberCount) == [1, 2, 3])
    }

    @Test func memberRegionOverridesTheClusterRegion() throws {
        let topology = try DecodeFixture.decode(
            ClusterKeyCases.cluster("    region: eu\n    members:\n      - {}\n      - { region: us }\n", extra: "regions: [eu, us]\n"))
        #expect(topology.clusters[0].members.map(\.region?.value) == ["eu", "us"])
    }

    @Test func memberCountIsBetweenOneAndSixteen() throws {
        try DecodeFixture.expectError(
            ClusterKeyCases.cluster("    members: 0\n"), .invalidValue, at: "0", message: "'members' must be between 1 and 16, found 0")
        try DecodeFixture.expectError(
            ClusterKeyCases.cluster("    members: 17\n"), .invalidValue, at: "17", message: "'members' must be between 1 and 16, found 17")
        let seventeen = String(repeating: "      - {}\n", count: 17)
        try DecodeFixture.expectError(
            ClusterKeyCases.cluster("    members:\n" + seventeen), .invalidValue, at: "- {}",
            message: "'members' must be between 1 and 16, found 17")
        try DecodeFixture.expectError(
            ClusterKeyCases.cluster("    members: []\n"), .invalidValue, at: "[]", message: "a cluster needs at least one member")
    }

    @Test func membersIsRequired() throws {
        try DecodeFixture.expectError(
            ClusterKeyCases.cluster("    region: eu\n", extra: "regions: [eu]\n"), .missingKey, at: "region",
            message: "`cluster` needs 'members'")
    }

    @Test func memberEntriesMustBeMappings() throws {
        try DecodeFixture.expectError(
            ClusterKeyCases.cluster("    members: [eu]\n"), .wrongType, at: "eu",
            message: "'members' expects a mapping (`member`), found a string")
        try DecodeFixture.expectError(
            ClusterKeyCases.cluster("    members: { region: eu }\n"), .wrongType, at: "{ region",
            message: "'members' expects a list, found a mapping")
    }

    @Test func nofailoverRefusesYAML11Booleans() throws {
        try DecodeFixture.expectError(
            ClusterKeyCases.cluster("    members: [{ nofailover: on }]\n"), .wrongType, at: "on }",
            message: "'nofailover' expects a boolean; write true or false, not 'on'")
        try DecodeFixture.expectError(
            ClusterKeyCases.cluster("    members: [{ nofailover: \"true\" }]\n"), .wrongType, at: "\"true\"",
            message: "'nofailover' expects a boolean (true or false), found a string")
    }

    @Test func replicationNeedsAValidMode() throws {
        try DecodeFixture.expectError(
            ClusterKeyCases.cluster("    members: 2\n    replication: { sync_count: 1 }\n"), .missingKey, at: "{ sync_count",
            message: "`replication` needs 'mode'")
        try DecodeFixture.expectError(
            ClusterKeyCases.cluster("    members: 2\n    replication: { mode: sync }\n"), .invalidValue, at: "sync }",
            message: "'sync' is not a valid 'mode' (expected one of: synchronous, asynchronous)")
        try DecodeFixture.expectError(
            ClusterKeyCases.cluster("    members: 2\n    replication: { mode: synchronous, sync_count: 16 }\n"), .invalidValue,
            at: "16", message: "'sync_count' must be between 1 and 15, found 16")
    }

    @Test func failoverValuesAreDurationsAndWatchdogIsAChoice() throws {
        try DecodeFixture.expectError(
            ClusterKeyCases.cluster("    members: 1\n    failover: { ttl: 30 }\n"), .invalidQuantity, at: "30",
            message: "'30' is not a duration (use ms, s, m, h or d, as in 10s); add a unit, for example 30s")
        try DecodeFixture.expectError(
            ClusterKeyCases.cluster("    members: 1\n    failover: { watchdog: automatc }\n"), .invalidValue, at: "automatc",
            message: "did you mean 'automatic'?")
        try DecodeFixture.expectError(
            ClusterKeyCases.cluster("    members: 1\n    failover: { ttl: 10 sec }\n"), .invalidQuantity, at: "10 sec",
            message: "'10 sec' is not a duration")
    }

    @Test func settingsAreRangeCheckedIntegersAndSizes() throws {
        try DecodeFixture.expectError(
            ClusterKeyCases.cluster("    members: 1\n    settings: { max_connections: 0 }\n"), .invalidValue, at: "0 }",
            message: "'max_connections' must be between 1 and 262143, found 0")
        try DecodeFixture.expectError(
            ClusterKeyCases.cluster("    members: 1\n    settings: { shared_buffers: 128mb }\n"), .invalidQuantity, at: "128mb",
            message: "'128mb' is not a size (use B, kB, MB, GB or TB, as in 16MB)")
        try DecodeFixture.expectError(
            ClusterKeyCases.cluster("    members: 1\n    settings: { max_wal_senders: 1e3 }\n"), .wrongType, at: "1e3",
            message: "'max_wal_senders' expects an integer, found a number")
    }

    @Test func literalPasswordInSettingsIsALiteralSecret() throws {
        try DecodeFixture.expectError(
            ClusterKeyCases.cluster("    members: 1\n    settings: { superuser_password: x }\n"), .literalSecret,
            at: "superuser_password", message: "passwords are never written in a topology")
    }

    @Test func clusterNamesAreServiceNames() throws {
        let topology = DecodeFixture.document("", clusters: "  main: { members: 1 }\n  Main2: { members: 1 }\n")
        try DecodeFixture.expectError(
            topology, .invalidIdentifier, at: "Main2", message: "cluster name \"Main2\" must start with a lowercase letter")
        let hyphen = DecodeFixture.document("", clusters: "  main: { members: 1 }\n  edge-: { members: 1 }\n")
        try DecodeFixture.expectError(hyphen, .invalidIdentifier, at: "edge-", message: "must not end with a hyphen")
    }

    @Test func memberRegionMustBeDeclared() throws {
        try DecodeFixture.expectError(
            ClusterKeyCases.cluster("    members: 1\n    region: eu\n"), .unknownReference, at: "eu",
            message: "region 'eu' is used but the topology declares no 'regions'")
    }

    @Test func multiPrimaryGroupReferencesDeclaredClusters() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("multi_primary:\n  pair: { clusters: [main, mian2] }\n"), .unknownReference, at: "mian2",
            message: "unknown cluster 'mian2'")
        try DecodeFixture.expectError(
            DecodeFixture.document("multi_primary:\n  pair: { conflict: crdt }\n"), .missingKey, at: "{ conflict",
            message: "a multi-primary group needs 'clusters'")
        try DecodeFixture.expectError(
            DecodeFixture.document("multi_primary:\n  pair: { clusters: [main], conflict: newest }\n"), .invalidValue, at: "newest",
            message: "expected one of: last-write-wins, first-write-wins, version-vector, crdt, application")
    }
}
