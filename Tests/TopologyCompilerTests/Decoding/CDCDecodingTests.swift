import Testing

@testable import TopologyCompiler

enum CDCKeyCases {
    /// Tables `products` and `orders`, then `cdc:` with the given lines (indent by two).
    static func cdc(_ lines: String) -> String {
        DecodeFixture.document(
            "tables:\n  products: { columns: { id: bigint } }\n  orders: { columns: { id: bigint } }\ncdc:\n" + lines)
    }

    static let all: [GrammarKeyCase] = [
        GrammarKeyCase(.cdc, "publication", cdc("  publication: shop_pub\n  tables: { products: logical }\n")) {
            let cdc = try #require($0.topology.cdc)
            #expect(cdc.publication.value == "shop_pub")
            $0.expect(cdc.publication.location, at: "shop_pub")
            $0.expect(cdc.location, at: "publication:")
        },
        GrammarKeyCase(.cdc, "slot", cdc("  slot: shop_slot_1\n  tables: { products: logical }\n")) {
            let slot = try #require($0.topology.cdc).slot
            #expect(slot.value == "shop_slot_1")
            $0.expect(slot.location, at: "shop_slot_1")
        },
        GrammarKeyCase(.cdc, "plugin", cdc("  plugin: wal2json\n  tables: { products: logical }\n")) {
            let plugin = try #require($0.topology.cdc).plugin
            #expect(plugin.value == .wal2json)
            $0.expect(plugin.location, at: "wal2json")
        },
        GrammarKeyCase(.cdc, "sink", cdc("  sink: { topic_prefix: shop }\n  tables: { products: logical }\n")) {
            let sink = try #require($0.topology.cdc?.sink)
            #expect(sink.topicPrefix.value == "shop")
            // Debezium's default snapshot mode, located at the sink.
            #expect(sink.snapshotMode.value == .initial)
            #expect(sink.bootstrapServers == nil)
            $0.expect(sink.snapshotMode.location, at: "{ topic_prefix")
            $0.expect(sink.location, at: "{ topic_prefix")
        },
        GrammarKeyCase(.cdc, "audit_table", cdc("  audit_table: change_log\n  tables: { orders: trigger }\n")) {
            let audit = try #require($0.topology.cdc).auditTable
            #expect(audit.value == "change_log")
            $0.expect(audit.location, at: "change_log")
        },
        GrammarKeyCase(.cdc, "tables", cdc("  tables:\n    products: logical\n    orders: trigger\n")) {
            let tables = try #require($0.topology.cdc).tables
            #expect(tables.map(\.table.value) == ["products", "orders"])
            #expect(tables.map(\.method.value) == [.logical, .trigger])
            #expect(tables.allSatisfy { $0.replicaIdentity == nil && $0.suppressions.isEmpty })
            $0.expect(tables[1].table.location, at: "orders:", occurrence: 2)
            $0.expect(tables[1].method.location, at: "trigger")
        },
        GrammarKeyCase(.capturedTable, "method", cdc("  tables:\n    products: { method: logical }\n")) {
            let table = try #require($0.topology.cdc?.tables.first)
            #expect(table.method.value == .logical)
            $0.expect(table.method.location, at: "logical")
        },
        GrammarKeyCase(
            .capturedTable, "replica_identity", cdc("  tables:\n    products: { method: logical, replica_identity: full }\n")
        ) {
            let identity = try #require($0.topology.cdc?.tables.first?.replicaIdentity)
            #expect(identity.value == .full)
            $0.expect(identity.location, at: "full")
        },
        GrammarKeyCase(
            .capturedTable, "suppress",
            cdc("  tables:\n    orders: { method: trigger, suppress: [{ rule: TPG501, reason: low volume }] }\n")
        ) {
            let table = try #require($0.topology.cdc?.tables.first)
            #expect(table.suppressions.map(\.code.value) == ["TPG501"])
            #expect(table.suppressions.map(\.reason.value) == ["low volume"])
        },
        GrammarKeyCase(.sink, "topic_prefix", cdc("  sink:\n    topic_prefix: shop.events-v1\n  tables: { products: logical }\n")) {
            let prefix = try #require($0.topology.cdc?.sink).topicPrefix
            #expect(prefix.value == "shop.events-v1")
            $0.expect(prefix.location, at: "shop.events-v1")
        },
        GrammarKeyCase(
            .sink, "snapshot_mode", cdc("  sink: { topic_prefix: shop, snapshot_mode: no_data }\n  tables: { products: logical }\n")
        ) {
            let mode = try #require($0.topology.cdc?.sink).snapshotMode
            #expect(mode.value == .noData)
            $0.expect(mode.location, at: "no_data")
        },
        GrammarKeyCase(
            .sink, "bootstrap_servers",
            cdc("  sink: { topic_prefix: shop, bootstrap_servers: \"kafka-1:9092,kafka-2:9092\" }\n  tables: { products: logical }\n")
        ) {
            let servers = try #require($0.topology.cdc?.sink?.bootstrapServers)
            #expect(servers.value == "kafka-1:9092,kafka-2:9092")
            $0.expect(servers.location, at: "\"kafka-1")
        },
    ]
}

@Suite("Decoding: change data capture")
struct CDCDecodingTests {
    @Test(arguments: CDCKeyCases.all)
    func key(_ keyCase: GrammarKeyCase) throws {
        try keyCase.run()
    }

    @Test func defaultsAreLocatedAtTheSection() throws {
        let text = CDCKeyCases.cdc("  tables: { products: logical }\n")
        let cdc = try #require(try DecodeFixture.decode(text).cdc)
        #expect(cdc.publication.value == "topoc_publication")
        #expect(cdc.slot.value == "topoc_slot")
        #expect(cdc.plugin.value == .pgoutput)
        #expect(cdc.auditTable.value == "audit_log")
        #expect(cdc.sink == nil)
        for location in [cdc.publication.location, cdc.slot.location, cdc.plugin.location, cdc.auditTable.location] {
            DecodeFixture.expect(location, at: "tables: { products", in: text)
        }
    }

    @Test(arguments: SnapshotMode.allCases)
    func everySnapshotMode(_ mode: SnapshotMode) throws {
        let text = CDCKeyCases.cdc("  sink: { topic_prefix: p, snapshot_mode: \(mode.rawValue) }\n  tables: { products: logical }\n")
        #expect(try DecodeFixture.decode(text).cdc?.sink?.snapshotMode.value == mode)
    }

    @Test func tablesAreRequiredAndDeclared() throws {
        try DecodeFixture.expectError(
            CDCKeyCases.cdc("  publication: p\n"), .missingKey, at: "publication", message: "`cdc` needs 'tables'")
        try DecodeFixture.expectError(
            CDCKeyCases.cdc("  tables: { product: logical }\n"), .unknownReference, at: "product:",
            message: "unknown table 'product'; did you mean 'products'?")
    }

    @Test func captureMethodIsAChoice() throws {
        try DecodeFixture.expectError(
            CDCKeyCases.cdc("  tables: { products: logicl }\n"), .invalidValue, at: "logicl",
            message: "'logicl' is not a valid 'products'; did you mean 'logical'? (expected one of: trigger, logical)")
        try DecodeFixture.expectError(
            CDCKeyCases.cdc("  tables: { products: { replica_identity: full } }\n"), .missingKey, at: "{ replica_identity",
            message: "a captured table needs 'method'")
    }

    @Test func replicaIdentityAppliesOnlyToLogicalCapture() throws {
        try DecodeFixture.expectError(
            CDCKeyCases.cdc("  tables: { orders: { method: trigger, replica_identity: full } }\n"), .inapplicableKey, at: "full",
            message: "'replica_identity' applies only to logical capture")
    }

    @Test func slotNamesAreLowercase() throws {
        try DecodeFixture.expectError(
            CDCKeyCases.cdc("  slot: Shop_Slot\n  tables: { products: logical }\n"), .invalidIdentifier, at: "Shop_Slot",
            message: "replication slot names use lowercase letters, digits and underscores only")
        try DecodeFixture.expectError(
            CDCKeyCases.cdc("  publication: shop-pub\n  tables: { products: logical }\n"), .invalidIdentifier, at: "shop-pub",
            message: "publication \"shop-pub\" may contain only letters, digits and underscores")
    }

    @Test func topicPrefixIsRequiredAndKafkaSafe() throws {
        try DecodeFixture.expectError(
            CDCKeyCases.cdc("  sink: { snapshot_mode: never }\n  tables: { products: logical }\n"), .missingKey, at: "{ snapshot_mode",
            message: "`sink` needs 'topic_prefix'")
        try DecodeFixture.expectError(
            CDCKeyCases.cdc("  sink: { topic_prefix: \"shop events\" }\n  tables: { products: logical }\n"), .unsafeValue,
            at: "\"shop events\"", message: "'topic_prefix' is not a Kafka topic prefix: 1 to 200 letters, digits, '.', '_' and '-'")
        let long = String(repeating: "p", count: 201)
        try DecodeFixture.expectError(
            CDCKeyCases.cdc("  sink: { topic_prefix: \(long) }\n  tables: { products: logical }\n"), .unsafeValue, at: long,
            message: "'topic_prefix' is not a Kafka topic prefix")
        try DecodeFixture.expectError(
            CDCKeyCases.cdc("  sink: { topic-prefix: shop }\n  tables: { products: logical }\n"), .unknownKey, at: "topic-prefix",
            message: "unknown key 'topic-prefix' in `sink`; did you mean 'topic_prefix'?")
    }

    @Test func aSecretInTheSinkIsALiteralSecret() throws {
        try DecodeFixture.expectError(
            CDCKeyCases.cdc("  sink: { topic_prefix: shop, sasl_password: x }\n  tables: { products: logical }\n"), .literalSecret,
            at: "sasl_password", message: "'sasl_password': passwords are never written in a topology")
    }
}
