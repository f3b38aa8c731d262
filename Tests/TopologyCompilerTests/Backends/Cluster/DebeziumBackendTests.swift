import Foundation
import Testing

@testable import TopologyCompiler

/// The Debezium connectors: every property and value checked against the pinned release's table,
/// one topic prefix per connector, a reference table captured once, the heartbeat, and the compose
/// images of the same release.
@Suite("Backends: Debezium")
struct DebeziumBackendTests {
    static let examples = [
        "ecommerce.yaml", "global-composite.yaml", "multi-primary-ap.yaml", "saas-database-per-tenant.yaml",
        "saas-shared-schema.yaml",
    ]

    /// The connectors of an example, decoded from the artifacts.
    static func connectors(_ plan: Plan) throws -> [[String: Any]] {
        try DebeziumBackend().artifacts(for: plan).map {
            try #require(JSONSerialization.jsonObject(with: Data($0.contents)) as? [String: Any])
        }
    }

    @Test(arguments: examples)
    func everyPropertyAndValueExistsInThePinnedRelease(_ example: String) throws {
        let plan = try #require(try PlanTestSupport.plan(example: example))
        for connector in try Self.connectors(plan) {
            let config = try #require(connector["config"] as? [String: String])
            for (key, value) in config {
                let property = try #require(DebeziumProperty(rawValue: key), "\(key) is not in DebeziumCatalog's table")
                #expect(property.support.accepted(by: DebeziumCatalog.pinned), "\(key) with Debezium \(DebeziumCatalog.pinned)")
                #expect(!value.isEmpty, "\(key) is empty")
            }
            // The TLS properties only when PostgreSQL speaks TLS (sslrootcert only under verify-full).
            var expected = Set(DebeziumProperty.allCases.map(\.rawValue))
            if plan.tls == nil { expected.subtract([DebeziumProperty.databaseSSLMode.rawValue]) }
            if plan.tls?.postgres.mode != .verifyFull { expected.remove(DebeziumProperty.databaseSSLRootCert.rawValue) }
            #expect(Set(config.keys) == expected, "every property of the table is written")
            let mode = try #require(config["snapshot.mode"].flatMap(SnapshotMode.init(rawValue:)))
            #expect(DebeziumCatalog.support(mode).accepted(by: DebeziumCatalog.pinned))
            let plugin = try #require(config["plugin.name"].flatMap(DecodingPlugin.init(rawValue:)))
            #expect(DebeziumCatalog.support(plugin).accepted(by: DebeziumCatalog.pinned))
            #expect(config["publication.autocreate.mode"] == "disabled")
            #expect(config["heartbeat.interval.ms"] == String(DebeziumCatalog.heartbeatIntervalMilliseconds))
            #expect(config["heartbeat.action.query"] == DebeziumCatalog.heartbeatQuery)
            #expect(config["table.include.list"]?.split(separator: ",").contains("public.\(DebeziumCatalog.heartbeatTable)") == true)
        }
    }

    @Test func theTableKnowsWhatEachReleaseAccepts() {
        let v25 = DebeziumVersion(major: 2, minor: 5)
        #expect(!DebeziumCatalog.support(.noData).accepted(by: v25), "no_data arrived in 2.6")
        #expect(DebeziumCatalog.support(.noData).accepted(by: DebeziumCatalog.pinned))
        #expect(DebeziumCatalog.support(.never).deprecated(in: DebeziumCatalog.pinned))
        #expect(!DebeziumCatalog.support(.never).deprecated(in: v25))
        #expect(!DebeziumCatalog.support(.wal2json).accepted(by: DebeziumCatalog.pinned), "wal2json was removed in 2.0")
        #expect(!DebeziumProperty.topicPrefix.support.accepted(by: DebeziumVersion(major: 1, minor: 9)))
    }

    /// Every connector has its own topic prefix (Debezium keys offsets and topics by it).
    @Test(arguments: examples)
    func topicPrefixesAreDistinct(_ example: String) throws {
        let plan = try #require(try PlanTestSupport.plan(example: example))
        let prefixes = try Self.connectors(plan).compactMap { ($0["config"] as? [String: String])?["topic.prefix"] }
        #expect(Set(prefixes).count == prefixes.count, "\(prefixes)")
        let names = try Self.connectors(plan).compactMap { $0["name"] as? String }
        #expect(Set(names).count == names.count)
    }

    /// ecommerce captures only the reference table `products`, copied to all 16 shards: one
    /// connector, on the first shard, reads it, with the declared prefix.
    @Test func aReferenceTableIsCapturedOnce() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "ecommerce.yaml"))
        #expect(plan.clusters.count == 16)
        #expect(plan.replication.publications.map(\.database) == ["shop_s0"])
        #expect(plan.replication.slots.map(\.cluster) == ["shard-s0"])
        let config = try #require(try Self.connectors(plan).first?["config"] as? [String: String])
        #expect(config["topic.prefix"] == "shop")
        #expect(config["table.include.list"] == "public.products,public.\(DebeziumCatalog.heartbeatTable)")
    }

    /// Several connectors: each prefix names its cluster (and database when a cluster holds several).
    @Test func severalConnectorsAppendTheirClusterAndDatabase() {
        let slots = [
            PlanSlot(name: "s_a", database: "a", cluster: "c1", plugin: .pgoutput),
            PlanSlot(name: "s_b", database: "b", cluster: "c1", plugin: .pgoutput),
            PlanSlot(name: "s", database: "a", cluster: "c2", plugin: .pgoutput),
        ]
        #expect(DebeziumBackend.topicPrefix("p", slot: slots[0], connectors: 3, inCluster: 2) == "p.c1.a")
        #expect(DebeziumBackend.topicPrefix("p", slot: slots[1], connectors: 3, inCluster: 2) == "p.c1.b")
        #expect(DebeziumBackend.topicPrefix("p", slot: slots[2], connectors: 3, inCluster: 1) == "p.c2")
        #expect(DebeziumBackend.topicPrefix("p", slot: slots[2], connectors: 1, inCluster: 1) == "p")
    }

    /// The compose file runs the release the connectors are written for.
    @Test func composeImagesArePinnedToTheSameRelease() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "ecommerce.yaml"))
        let compose = try #require(ClusterBackendSupport.artifacts(plan)[ClusterLayout.composePath])
        #expect(compose.contains("quay.io/debezium/connect:\(DebeziumCatalog.imageTag)"))
        #expect(DebeziumCatalog.imageTag == "2.7.3.Final")
        #expect(!compose.contains("debezium/connect:2.5"))
    }

    /// No sink, no slot: saas-database-per-tenant publishes in every tenant database but creates
    /// no slot, so Patroni keeps none on the leader or the replicas.
    @Test func noSlotWithoutADeclaredConsumer() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "saas-database-per-tenant.yaml"))
        #expect(!plan.replication.publications.isEmpty)
        #expect(plan.replication.slots.isEmpty)
        let artifacts = ClusterBackendSupport.artifacts(plan)
        for cluster in plan.clusters {
            let patroni = try #require(artifacts[ClusterLayout.patroniPath(cluster: cluster.name, member: cluster.members[0].name)])
            let document = try #require(ClusterBackendSupport.pyyaml(patroni))
            #expect(ClusterBackendSupport.dig(document, "bootstrap", "dcs", "slots") == nil, "no permanent slot")
            let parameters = ClusterBackendSupport.dig(document, "bootstrap", "dcs", "postgresql", "parameters") as? [String: Any]
            #expect(parameters?["wal_level"] as? String == "logical", "the publication still needs logical WAL")
        }
        #expect(artifacts.keys.filter { $0.hasPrefix("cluster/debezium/") }.isEmpty)
    }

    /// Every cluster bounds the WAL its slots may hold: topoc's default, or the declared size.
    @Test func everyClusterBoundsSlotRetention() throws {
        for example in Self.examples {
            let plan = try #require(try PlanTestSupport.plan(example: example))
            for cluster in plan.clusters {
                let parameters = Dictionary(
                    uniqueKeysWithValues: PatroniConfig.parameters(cluster: cluster, plan: plan).map { ($0.key, $0.value) })
                #expect(parameters["max_slot_wal_keep_size"] == "4GB", "\(example): \(cluster.name)")
            }
        }
        let text = ClusterBackendSupport.topology().replacingOccurrences(
            of: "settings: {", with: "settings: { max_slot_wal_keep_size: 1536MB,")
        let plan = try #require(PlanTestSupport.plan(text))
        #expect(plan.clusters[0].settings["max_slot_wal_keep_size"] == "1536MB")
    }
}
