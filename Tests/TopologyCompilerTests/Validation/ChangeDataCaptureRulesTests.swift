import Foundation
import Testing

@testable import TopologyCompiler

@Suite("Rules: change data capture")
struct ChangeDataCaptureRulesTests {
    typealias F = ClusterRuleFixture

    /// A topology with one cluster `main` (body `cluster`, indented by four), tables `events`
    /// (with a primary key) and `logs` (without), and a cdc section whose body is `cdc`
    /// (indented by two).
    static func topology(cluster: String = "    members: 3\n", cdc: String, extra: String = "") -> String {
        """
        topology: shop
        clusters:
          main:
        \(cluster)tables:
          events:
            columns: { id: bigint, at: timestamptz }
            primary_key: id
          logs:
            columns: { line: text }
        \(extra)cdc:
        \(cdc)
        """
    }

    static let logicalEvents = "  publication: shop_pub\n  slot: shop_slot\n  tables:\n    events: logical\n"

    // MARK: TCD201 logical-capture-sets-wal-level

    @Test func logicalCaptureNotesWalLevel() throws {
        let text = Self.topology(cdc: Self.logicalEvents)
        let found = try F.expect(
            .logicalCaptureSetsWalLevel, in: text, at: "shop_pub",
            message: "publication 'shop_pub' needs wal_level=logical: topoc sets it on cluster 'main'")
        F.expectNote(found[0], at: "main:", in: text)
    }

    @Test func triggerCaptureNeedsNoWalLevel() throws {
        try F.expectNothing(.logicalCaptureSetsWalLevel, in: Self.topology(cdc: "  tables:\n    events: trigger\n"))
    }

    @Test func walLevelNoteIsSuppressedOnTheCluster() throws {
        let text = Self.topology(
            cluster: "    members: 3\n    suppress: [{ rule: TCD201, reason: wal_level is already logical }]\n",
            cdc: Self.logicalEvents)
        try F.expectNothing(.logicalCaptureSetsWalLevel, in: text)
    }

    // MARK: TCD202, TCD203 slot and sender capacity

    @Test func slotsBeyondMaxReplicationSlotsAreAnError() throws {
        let text = Self.topology(
            cluster: "    members: 3\n    settings: { max_replication_slots: 2, max_wal_senders: 2 }\n", cdc: Self.logicalEvents)
        let slots = try F.expect(
            .replicationSlotsExhausted, in: text, at: "2,",
            message:
                "cluster 'main' needs 3 replication slots (1 logical slot for CDC + 2 physical for Patroni's standbys), more than max_replication_slots 2"
        )
        F.expectNote(slots[0], at: "shop_slot", in: text)
        let senders = try F.expect(
            .walSendersExhausted, in: text, at: "2 }",
            message: "cluster 'main' needs 3 WAL senders (2 standbys + 1 logical consumer), more than max_wal_senders 2")
        F.expectNote(senders[0], at: "shop_slot", in: text)
    }

    /// Database-per-tenant: one logical slot per tenant database that publishes tables.
    static func tenants(_ count: Int, settings: String = "") -> String {
        let names = (0..<count).map { "t\($0)" }.joined(separator: ", ")
        return topology(
            cluster: "    members: 3\n" + settings, cdc: Self.logicalEvents,
            extra: "tenancy: { mode: database-per-tenant, tenants: [\(names)], shared_tables: [logs] }\n")
    }

    @Test func everyTenantDatabaseHoldsASlot() throws {
        try F.expect(
            .replicationSlotsExhausted, in: Self.tenants(9), at: "main:",
            message:
                "needs 11 replication slots (9 logical slots for CDC + 2 physical for Patroni's standbys), more than the default max_replication_slots 10"
        )
        try F.expect(
            .walSendersExhausted, in: Self.tenants(9), at: "main:",
            message: "needs 11 WAL senders (2 standbys + 9 logical consumers), more than the default max_wal_senders 10")
        try F.expectNothing(.replicationSlotsExhausted, in: Self.tenants(8))
        try F.expectNothing(.walSendersExhausted, in: Self.tenants(8))
        try F.expectNothing(
            .replicationSlotsExhausted,
            in: Self.tenants(9, settings: "    settings: { max_replication_slots: 12, max_wal_senders: 12 }\n"))
    }

    @Test func capacityRulesAreSuppressedOnTheCluster() throws {
        let settings = "    settings: { max_replication_slots: 1, max_wal_senders: 1 }\n"
        try F.expectNothing(
            .replicationSlotsExhausted,
            in: Self.topology(
                cluster: "    members: 3\n" + settings + "    suppress: [{ rule: TCD202, reason: x }]\n", cdc: Self.logicalEvents)
        )
        try F.expectNothing(
            .walSendersExhausted,
            in: Self.topology(
                cluster: "    members: 3\n" + settings + "    suppress: [{ rule: TCD203, reason: x }]\n", cdc: Self.logicalEvents)
        )
    }

    /// The slots derived for the rules are the planner's: one per database that publishes (a
    /// reference table in the first shard only), on its cluster, for every example with a sink.
    @Test func derivedSlotsMatchThePlanForEveryExample() throws {
        for example in try F.examples() {
            let topology = try #require(example.topology, "\(example.name) does not load")
            var planner = Planner(topology: topology, target: .compose)
            guard let plan = planner.makePlan().plan else { continue }
            let logical = ClusterFacts.logicallyCaptured(topology)
            let layout = PhysicalLayout(topology: topology)
            var derived: [String: Int] = [:]
            for cluster in layout.clusters {
                let count = cluster.logicalSlotDatabases(capturing: logical, reference: ClusterFacts.referenceTables(topology)).count
                if count > 0 { derived[cluster.name] = count }
            }
            // Slots exist only for a declared consumer (the sink).
            if topology.cdc?.sink == nil { derived = [:] }
            let planned = Dictionary(grouping: plan.replication.slots, by: \.cluster).mapValues(\.count)
            #expect(derived == planned, "\(example.name)")
            #expect(layout.clusters.map(\.name) == plan.clusters.map(\.name), "\(example.name)")
            for cluster in plan.clusters {
                let databases = plan.databases.filter { $0.cluster == cluster.name }.count
                #expect(
                    layout.clusters.first { $0.name == cluster.name }?.databases.count == databases,
                    "\(example.name): \(cluster.name)")
            }
        }
    }

    // MARK: TCD204 published-table-without-identity

    @Test func publishedTableWithoutPrimaryKeyIsAnError() throws {
        let text = Self.topology(cdc: "  tables:\n    logs: logical\n")
        let found = try F.expect(
            .publishedTableWithoutIdentity, in: text, at: "logs: logical",
            message:
                "table 'logs' is published without a primary key or REPLICA IDENTITY FULL: PostgreSQL will reject every UPDATE and DELETE on it"
        )
        F.expectNote(found[0], at: "logs:", in: text)
        try F.expect(
            .publishedTableWithoutIdentity,
            in: Self.topology(cdc: "  tables:\n    logs: { method: logical, replica_identity: default }\n"),
            at: "default", message: "table 'logs'")
    }

    @Test func primaryKeyOrFullIdentityOrTriggerCaptureIsFine() throws {
        try F.expectNothing(.publishedTableWithoutIdentity, in: Self.topology(cdc: "  tables:\n    events: logical\n"))
        try F.expectNothing(
            .publishedTableWithoutIdentity,
            in: Self.topology(cdc: "  tables:\n    logs: { method: logical, replica_identity: full }\n"))
        try F.expectNothing(.publishedTableWithoutIdentity, in: Self.topology(cdc: "  tables:\n    logs: trigger\n"))
    }

    @Test func identityRuleIsSuppressedOnTheCapture() throws {
        let text = Self.topology(
            cdc: "  tables:\n    logs:\n      method: logical\n      suppress: [{ rule: TCD204, reason: logs are insert-only }]\n"
        )
        try F.expectNothing(.publishedTableWithoutIdentity, in: text)
    }

    // MARK: TCD205 debezium-before-image-incomplete

    static let sink = "  sink: { topic_prefix: shop, bootstrap_servers: 'kafka:9092' }\n"

    @Test func debeziumWithoutFullIdentityWarns() throws {
        let text = Self.topology(cdc: Self.sink + "  tables:\n    events: { method: logical, replica_identity: default }\n")
        let found = try F.expect(
            .debeziumBeforeImageIncomplete, in: text, at: "default",
            message: "Debezium events for 'events' carry no complete before-image")
        F.expectNote(found[0], at: "{ topic_prefix", in: text)
        try F.expect(
            .debeziumBeforeImageIncomplete, in: Self.topology(cdc: Self.sink + "  tables:\n    events: logical\n"),
            at: "events: logical",
            message: "set 'replica_identity: full'")
    }

    @Test func fullIdentityOrNoSinkIsFine() throws {
        try F.expectNothing(
            .debeziumBeforeImageIncomplete,
            in: Self.topology(cdc: Self.sink + "  tables:\n    events: { method: logical, replica_identity: full }\n"))
        try F.expectNothing(.debeziumBeforeImageIncomplete, in: Self.topology(cdc: "  tables:\n    events: logical\n"))
    }

    @Test func beforeImageWarningIsSuppressedOnTheCapture() throws {
        let text = Self.topology(
            cdc: Self.sink
                + "  tables:\n    events:\n      method: logical\n      suppress: [{ rule: TCD205, reason: consumers read new rows only }]\n"
        )
        try F.expectNothing(.debeziumBeforeImageIncomplete, in: text)
    }

    // MARK: TCD206 partitioned-table-published-via-root

    static let partitioned = """
        tables:
          readings:
            columns: { id: bigint, at: timestamptz }
            primary_key: [id, at]
            partitioning: { by: range, key: at, interval: monthly, from: 2026-01-01, to: 2026-04-01 }

        """

    static func partitionedTopology(_ cdc: String, sink: Bool = false) -> String {
        "topology: shop\nclusters:\n  main: { members: 2 }\n" + partitioned + "cdc:\n" + (sink ? Self.sink : "") + cdc
    }

    @Test func partitionedTableCapturedLogicallyWarns() throws {
        let text = Self.partitionedTopology("  tables:\n    readings: logical\n", sink: true)
        let found = try F.expect(
            .partitionedTablePublishedViaRoot, in: text, at: "readings: logical",
            message: "changes to every partition are reported as changes of 'readings', and Debezium writes one topic for it")
        F.expectNote(found[0], at: "{ by: range", in: text)
    }

    @Test func triggerCaptureOfAPartitionedTableHasNoRootNote() throws {
        try F.expectNothing(.partitionedTablePublishedViaRoot, in: Self.partitionedTopology("  tables:\n    readings: trigger\n"))
        try F.expectNothing(.partitionedTablePublishedViaRoot, in: Self.topology(cdc: Self.logicalEvents))
    }

    @Test func partitionRootWarningIsSuppressedOnTheCapture() throws {
        let text = Self.partitionedTopology(
            "  tables:\n    readings:\n      method: logical\n      suppress: [{ rule: TCD206, reason: one topic is wanted }]\n")
        try F.expectNothing(.partitionedTablePublishedViaRoot, in: text)
    }

    // MARK: TCD207 logical-slot-on-one-node

    @Test func slotOnASingleMemberClusterWarns() throws {
        let text = Self.topology(cluster: "    members: 1\n", cdc: Self.logicalEvents)
        let found = try F.expect(
            .logicalSlotOnOneNode, in: text, at: "1\n",
            message: "the logical slot on cluster 'main' lives on one node: it has a single member")
        F.expectNote(found[0], at: "shop_slot", in: text)
    }

    @Test func slotOnAClusterWithOnlyNoFailoverStandbysWarns() throws {
        let text = Self.topology(cluster: "    members:\n      - {}\n      - { nofailover: true }\n", cdc: Self.logicalEvents)
        try F.expect(
            .logicalSlotOnOneNode, in: text, at: "{ nofailover", message: "its standbys are all tagged nofailover")
    }

    @Test func slotWithAPromotableStandbyIsFine() throws {
        try F.expectNothing(.logicalSlotOnOneNode, in: Self.topology(cluster: "    members: 2\n", cdc: Self.logicalEvents))
        try F.expectNothing(
            .logicalSlotOnOneNode, in: Self.topology(cluster: "    members: 1\n", cdc: "  tables:\n    events: trigger\n"))
    }

    @Test func singleNodeSlotWarningIsSuppressedOnTheCluster() throws {
        let text = Self.topology(
            cluster: "    members: 1\n    suppress: [{ rule: TCD207, reason: consumers re-snapshot after a restore }]\n",
            cdc: Self.logicalEvents)
        try F.expectNothing(.logicalSlotOnOneNode, in: text)
    }

    // MARK: TCD208 logical-slot-consumed-on-leader

    @Test func debeziumSinkNotesThatTheSlotIsReadOnTheLeader() throws {
        let text = Self.topology(cdc: Self.sink + Self.logicalEvents)
        let found = try F.expect(
            .logicalSlotConsumedOnLeader, in: text, at: "{ topic_prefix",
            message:
                "Debezium reads slot 'shop_slot' on the leader, through the read-write endpoint; after a failover the new leader's copy of the slot is at the position the old leader last published"
        )
        F.expectNote(found[0], at: "shop_slot", in: text)
    }

    @Test func noSinkOrNoLogicalCaptureHasNoLeaderNote() throws {
        try F.expectNothing(.logicalSlotConsumedOnLeader, in: Self.topology(cdc: Self.logicalEvents))
        try F.expectNothing(.logicalSlotConsumedOnLeader, in: Self.topology(cdc: Self.sink + "  tables:\n    events: trigger\n"))
    }

    // MARK: TCD209 trigger-capture-on-hot-table

    static func hot(_ rate: Int, suppress: Bool = false) -> String {
        """
        topology: shop
        clusters:
          main: { members: 2 }
        tables:
          events:
            columns: { id: bigint }
            primary_key: id
            writes_per_second: \(rate)
        cdc:
          audit_table: audit
          tables:
            events:
              method: trigger
        \(suppress ? "      suppress: [{ rule: TCD209, reason: the audit trail must be transactional }]" : "")

        """
    }

    @Test func triggerCaptureOfAHotTableWarns() throws {
        let text = Self.hot(5000)
        let found = try F.expect(
            .triggerCaptureOnHotTable, in: text, at: "trigger",
            message:
                "trigger-based capture of 'events' doubles its 5000 writes per second (the threshold is 1000): every change also inserts a row into 'audit'"
        )
        F.expectNote(found[0], at: "5000", in: text)
        try F.expect(.triggerCaptureOnHotTable, in: Self.hot(1000), at: "trigger", message: "1000 writes per second")
    }

    @Test func triggerCaptureOfAQuietTableIsFine() throws {
        try F.expectNothing(.triggerCaptureOnHotTable, in: Self.hot(999))
        try F.expectNothing(.triggerCaptureOnHotTable, in: Self.topology(cdc: "  tables:\n    events: trigger\n"))
    }

    @Test func hotTriggerWarningIsSuppressedOnTheCapture() throws {
        try F.expectNothing(.triggerCaptureOnHotTable, in: Self.hot(5000, suppress: true))
    }

    // MARK: TCD210, TCD211 slot WAL retention

    @Test func slotRetentionIsNotedWithTheDefault() throws {
        let text = Self.topology(cdc: Self.sink + Self.logicalEvents)
        try F.expect(
            .slotWalRetentionBounded, in: text, at: "main:",
            message: "cluster 'main' holds logical slots: max_slot_wal_keep_size = 4GB (topoc's default")
        let declared = Self.topology(
            cluster: "    members: 3\n    settings: { max_slot_wal_keep_size: 16GB }\n", cdc: Self.sink + Self.logicalEvents)
        try F.expect(.slotWalRetentionBounded, in: declared, at: "16GB", message: "max_slot_wal_keep_size = 16GB bounds")
        try F.expectNothing(.slotWalRetentionBounded, in: Self.topology(cdc: Self.logicalEvents))
    }

    @Test func aRetentionBelowOneCheckpointCycleWarns() throws {
        let small = Self.topology(cluster: "    members: 3\n    settings: { max_slot_wal_keep_size: 64MB }\n", cdc: Self.logicalEvents)
        try F.expect(
            .slotWalRetentionTooSmall, in: small, at: "64MB",
            message: "max_slot_wal_keep_size 64MB on cluster 'main' is below 1GB")
        try F.expectNothing(
            .slotWalRetentionTooSmall,
            in: Self.topology(cluster: "    members: 3\n    settings: { max_slot_wal_keep_size: 1GB }\n", cdc: Self.logicalEvents))
    }

    // MARK: TCD212, TCD213 the pinned Debezium release

    @Test func valuesThePinnedReleaseRefusesAreErrors() throws {
        let wal2json = Self.topology(cdc: Self.sink + "  plugin: wal2json\n  tables:\n    events: logical\n")
        try F.expect(
            .debeziumValueUnsupported, in: wal2json, at: "wal2json",
            message: "plugin 'wal2json' was removed in Debezium 2.0; topoc's connectors are for Debezium 2.7")
        let noData = Self.topology(cdc: "  sink: { topic_prefix: shop, snapshot_mode: no_data }\n  tables:\n    events: logical\n")
        try F.expectNothing(.debeziumValueUnsupported, in: noData)
        try F.expectNothing(.debeziumValueUnsupported, in: Self.topology(cdc: "  plugin: wal2json\n  tables:\n    events: logical\n"))
    }

    @Test func deprecatedValuesWarn() throws {
        let never = Self.topology(cdc: "  sink: { topic_prefix: shop, snapshot_mode: never }\n  tables:\n    events: logical\n")
        try F.expect(
            .debeziumValueDeprecated, in: never, at: "never", message: "snapshot_mode 'never' is deprecated since Debezium 2.6")
        try F.expectNothing(.debeziumValueDeprecated, in: Self.topology(cdc: Self.sink + Self.logicalEvents))
    }

    // MARK: TCD214 logical-capture-without-consumer

    @Test func logicalCaptureWithoutSinkCreatesNoSlot() throws {
        try F.expect(
            .logicalCaptureWithoutConsumer, in: Self.topology(cdc: Self.logicalEvents), at: "shop_slot",
            message: "no consumer is declared for publication 'shop_pub' (no 'sink'): topoc creates the publication but no replication slot"
        )
        try F.expectNothing(.logicalCaptureWithoutConsumer, in: Self.topology(cdc: Self.sink + Self.logicalEvents))
        try F.expectNothing(.logicalCaptureWithoutConsumer, in: Self.topology(cdc: "  tables:\n    events: trigger\n"))
    }

    // MARK: TCD215 capture-across-asynchronous-failover

    @Test func debeziumOnAnAsynchronousClusterWarns() throws {
        let text = Self.topology(
            cluster: "    members: 3\n    replication: { mode: asynchronous }\n", cdc: Self.sink + Self.logicalEvents)
        let found = try F.expect(
            .captureAcrossAsynchronousFailover, in: text, at: "asynchronous",
            message: "the Debezium slot on cluster 'main' survives a failover only as far as the promoted standby received")
        F.expectNote(found[0], at: "{ topic_prefix", in: text)
        let synchronous = Self.topology(
            cluster: "    members: 3\n    replication: { mode: synchronous, sync_count: 1 }\n", cdc: Self.sink + Self.logicalEvents)
        try F.expectNothing(.captureAcrossAsynchronousFailover, in: synchronous)
        try F.expectNothing(
            .captureAcrossAsynchronousFailover,
            in: Self.topology(cluster: "    members: 3\n    replication: { mode: asynchronous }\n", cdc: Self.logicalEvents))
    }

    @Test func theMultiPrimaryExampleIsTheWorstCase() throws {
        let url = F.examplesDirectory.appendingPathComponent("multi-primary-ap.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        let found = try F.findings(.captureAcrossAsynchronousFailover, text)
        #expect(found.count == 1, "\(F.rendered(found))")
        #expect(found.first?.message.contains("cluster 'carts-us'") == true)
        #expect(found.first?.message.contains("multi-primary group 'carts-global'") == true)
    }
}
