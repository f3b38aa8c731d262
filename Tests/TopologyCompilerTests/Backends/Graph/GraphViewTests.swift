import Foundation
import Testing
import TopologyRuntime

@testable import TopologyCompiler

/// The graph views draw what the plan holds: shards summarised, members and replication modes,
/// partitions and CDC, ring shares that add up, and unknown names refused with a suggestion.
/// scripts/check-graphs.sh renders every view of every example with mermaid.js and Graphviz.
@Suite("Backends: graph views")
struct GraphViewTests {
    static func ecommerce() throws -> Plan? { try PlanTestSupport.plan(example: "ecommerce.yaml") }

    /// A consistent-hash topology with `shards` shards of 3 members (the XL benchmark's shape).
    static func sharded(_ shards: Int) -> Plan? {
        PlanTestSupport.plan(
            """
            version: 1
            topology: bench
            postgres: 15
            guarantees: { consistency: read-your-writes, partition: CP, rpo: 0, rto: 30s }
            clusters:
              shard: { members: 3, replication: { mode: synchronous, sync_count: 1, strict: true } }
            sharding: { key: k, key_type: bigint, strategy: consistent-hash, shards: \(shards), cluster: shard }
            tables:
              items:
                columns: { k: bigint, id: bigint }
                primary_key: [k, id]
            """)
    }

    @Test func overviewSummarisesShardsInsteadOfDrawingEveryMember() throws {
        guard let plan = try Self.ecommerce() else { return }
        let graph = OverviewGraph.build(plan)
        #expect(graph.groups.map(\.title) == ["shard-s0 .. shard-s15, 3 members each"])
        #expect(graph.allNodes.count < 10)
        let lines = graph.allNodes.map { $0.lines.joined(separator: " | ") }
        #expect(lines.contains("leader x 16 | one per cluster | e.g. shard-s0-0"))
        #expect(lines.contains("replicas x 32 | 2 per cluster"))
        #expect(lines.contains { $0.hasPrefix("PgBouncer pgbouncer:6432 | pool_mode transaction | 32 pools") })
        #expect(lines.contains("etcd | etcd1 etcd1:2379 | etcd2 etcd2:2379 | etcd3 etcd3:2379"))
        let synchronous = graph.edges.filter { $0.style == .synchronous }
        #expect(synchronous.map(\.label) == ["synchronous, sync_count 1, strict"])
        #expect(graph.edges.contains { $0.label == "1 logical slot" })  // products is captured in shop_s0 only
    }

    @Test func overviewDrawsEachMemberOfASingleCluster() throws {
        guard let plan = try PlanTestSupport.plan(example: "multi-primary-ap.yaml") else { return }
        let graph = OverviewGraph.build(plan)
        let members = graph.allNodes.filter { $0.kind == .leader || $0.kind == .replica }
        #expect(members.count == plan.clusters.reduce(0) { $0 + $1.members.count })
        // Two clusters subscribing to each other: one two-headed edge between their leaders.
        let group = try #require(plan.multiPrimaryGroups.first)
        #expect(group.links.count == 2)
        let twoWay = graph.edges.filter { $0.style == .asynchronousBothWays }
        #expect(twoWay.map(\.label) == ["\(group.name): subscriptions both ways"])
        #expect(MermaidRenderer.render(graph).contains("<-.->|\"\(group.name): subscriptions both ways\"|"))
    }

    @Test func clusterViewShowsMembersTimingDecisionsAndSlots() throws {
        guard let plan = try Self.ecommerce() else { return }
        let graph = try GraphViews.graph(.cluster("shard-s0"), plan: plan)
        let lines = graph.allNodes.map { $0.lines.joined(separator: " | ") }
        #expect(lines.contains("shard-s0-0 | leader | shard-s0-0:5432 (REST 8008)"))
        #expect(
            lines.contains(
                "Patroni | ttl 20s, loop_wait 5s, retry_timeout 5s | watchdog off | replication: synchronous, sync_count 1, strict"))
        let decisions = try #require(graph.allNodes.first { $0.lines.first == "decided from the guarantees" })
        #expect(decisions.lines.dropFirst() == plan.clusters[0].decisions.map { "\($0.name) = \($0.value)" }[...])
        #expect(lines.contains { $0.hasPrefix("slot shop_products_debezium_shop_s0 | pgoutput in shop_s0") })
        #expect(graph.edges.contains { $0.label == "connector (through rw)" })
        #expect(graph.edges.filter { $0.style == .synchronous }.count == 2)
        let template = try GraphViews.graph(.cluster("shard"), plan: plan)
        #expect(template.title.contains("cluster shard-s0 (template shard)"))
        #expect(template.nodes.first?.lines.first == "template shard: 16 clusters")
    }

    @Test func clusterViewSummarisesManyDatabasesAndSlots() throws {
        let text = try String(contentsOf: PlanTestSupport.exampleURL("saas-database-per-tenant.yaml"), encoding: .utf8)
            .replacingOccurrences(
                of: "tenants: [northside, riverside, lakeview]",
                with: "tenants: [" + (0..<40).map { "t\($0)" }.joined(separator: ", ") + "]"
            )
            .replacingOccurrences(of: "max_connections: 600", with: "max_connections: 3000")
            .replacingOccurrences(
                of: "  publication: clinic_integration\n", with: "  publication: clinic_integration\n  sink: { topic_prefix: clinics }\n"
            )
            .replacingOccurrences(of: "max_wal_senders: 16", with: "max_wal_senders: 50")
            .replacingOccurrences(of: "max_replication_slots: 16", with: "max_replication_slots: 50")
        guard let plan = PlanTestSupport.plan(text) else { return }
        let graph = try GraphViews.graph(.cluster("main"), plan: plan)
        let databases = graph.allNodes.filter { $0.kind == .storage }
        #expect(databases.count == ClusterGraph.drawnEach)
        #expect(graph.allNodes.contains { $0.lines == ["and 33 more databases:", "clinic_t7 .. clinic_t39"] })
        #expect(graph.allNodes.contains { $0.lines.first == "and 32 more logical slots:" })
        #expect(graph.allNodes.count < 30)
    }

    @Test func asynchronousClusterEdgesAreDashedWithTheLagBound() throws {
        guard let plan = try PlanTestSupport.plan(example: "timeseries-range.yaml") else { return }
        let graph = try GraphViews.graph(.cluster("metrics"), plan: plan)
        let replication = graph.edges.filter { $0.label?.hasPrefix("asynchronous") == true }
        #expect(!replication.isEmpty)
        #expect(replication.allSatisfy { $0.style == .asynchronous && $0.label == "asynchronous, failover lag <= 16777216 B" })
    }

    @Test func tableViewShowsPlacementPartitionsIndexesAndCapture() throws {
        guard let plan = try Self.ecommerce() else { return }
        let graph = try GraphViews.graph(.table("orders"), plan: plan)
        let lines = graph.allNodes.map { $0.lines.joined(separator: " | ") }
        #expect(
            lines.contains("table orders | sharded by user_id | consistent-hash, 16 shards | primary key (user_id, order_id, created_at)"))
        #expect(lines.contains("in 16 databases: shop_s0 .. shop_s15 | on 16 clusters: shard-s0 .. shard-s15"))
        let partitions = try #require(graph.allNodes.first { $0.lines.first?.hasPrefix("partitioned by") == true })
        #expect(partitions.lines.contains("first: orders_p2025_01 [2025-01-01, 2025-02-01)"))
        #expect(partitions.lines.contains("last: orders_p2026_12 [2026-12-01, 2027-01-01)"))
        #expect(partitions.lines.contains("default: orders_default"))
        #expect(graph.groups.map(\.title) == ["co-location group by_user"])
        #expect(lines.contains("materialized view daily_sales | refresh 0 * * * * concurrently"))
        #expect(Set(graph.allNodes.map { $0.lines.joined() }).count == graph.allNodes.count, "a table drawn twice")
        let products = try GraphViews.graph(.table("products"), plan: plan)
        let capture = try #require(products.allNodes.first { $0.lines.first == "change data capture" })
        #expect(capture.lines.contains { $0.hasPrefix("publication shop_products in 1 database") })
        #expect(products.allNodes.contains { $0.lines.first == "Debezium" })
        let reference = try GraphViews.graph(.table("users"), plan: plan)
        #expect(reference.edges.first?.label == "rows live in")
    }

    @Test func routingSharesAddUpAndMatchTheRing() throws {
        guard let plan = try Self.ecommerce(), let sharding = plan.sharding else { return }
        let shares = try #require(RoutingGraph.shareOfShard(sharding))
        #expect(shares.count == 16)
        #expect(abs(shares.values.reduce(0, +) - 1) < 1e-9)
        // Keys spread over the ring land on shards in proportion to their share.
        let ring = try HashRing(shards: sharding.shards.map(\.name), virtualNodes: sharding.virtualNodes ?? 150)
        #expect(ring.tokens.map(\.token) == sharding.ring?.map(\.token))
        var counts = [Int](repeating: 0, count: 16)
        let samples = 64_000
        for step in 0..<samples {
            let position = Int64.min &+ Int64(bitPattern: UInt64(step) &* (UInt64.max / UInt64(samples)))
            counts[ring.shard(forPosition: position)] += 1
        }
        for shard in 0..<16 {
            #expect(abs(Double(counts[shard]) / Double(samples) - (shares[shard] ?? 0)) < 0.005, "shard \(shard)")
        }
    }

    /// A composite topology has one ring per region, consecutive in the plan's ring: each
    /// region's shards share all of their ring.
    @Test func compositeSharesAddUpPerRegion() throws {
        let text = try String(contentsOf: PlanTestSupport.exampleURL("global-composite.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "within: jump-hash", with: "within: consistent-hash")
        let plan = try #require(PlanTestSupport.plan(text))
        let sharding = try #require(plan.sharding)
        let shares = try #require(RoutingGraph.shareOfShard(sharding))
        let regions = Set(sharding.shards.compactMap(\.region))
        #expect(regions.count == 3)
        for region in regions {
            let shards = sharding.shards.filter { $0.region == region }
            #expect(abs(shards.map { shares[$0.index] ?? 0 }.reduce(0, +) - 1) < 1e-9, "\(region)")
            #expect(shards.allSatisfy { (shares[$0.index] ?? 0) > 0 }, "\(region)")
        }
    }

    @Test func routingStaysReadableAt256Shards() throws {
        guard let plan = Self.sharded(256) else { return }
        let graph = RoutingGraph.build(plan)
        #expect(graph.groups.count == 1)
        #expect(graph.groups[0].nodes.count == 16)
        #expect(graph.groups[0].nodes[0].lines.prefix(2) == ["s0 .. s15", "→ shard-s0 .. shard-s15"])
        let overview = OverviewGraph.build(plan)
        #expect(overview.allNodes.count < 10)
        #expect(overview.groups.map(\.title) == ["shard-s0 .. shard-s255, 3 members each"])
        // Mermaid refuses diagrams over 50,000 characters (maxTextSize) by default.
        #expect(MermaidRenderer.render(graph).utf8.count < 50_000)
        #expect(MermaidRenderer.render(overview).utf8.count < 50_000)
    }

    @Test func rangeRoutingShowsEachRange() throws {
        guard let plan = try PlanTestSupport.plan(example: "timeseries-range.yaml") else { return }
        let lines = RoutingGraph.build(plan).allNodes.map { $0.lines.joined(separator: " | ") }
        #expect(lines.contains("s0 → metrics-s0 / metrics_s0 | [-inf, 250000)"))
        #expect(lines.contains("s3 → metrics-s3 / metrics_s3 | [750000, +inf)"))
    }

    @Test func unknownNamesAreRefusedWithASuggestion() throws {
        guard let plan = try Self.ecommerce() else { return }
        #expect(throws: GraphViewError.self) { try GraphViews.graph(.table("order"), plan: plan) }
        do {
            _ = try GraphViews.graph(.table("order"), plan: plan)
        } catch {
            #expect(error.message == "unknown table 'order'; did you mean 'orders'? (tables: users, products, orders)")
        }
        do {
            _ = try GraphViews.graph(.cluster("shardd"), plan: plan)
        } catch {
            #expect(error.message.hasPrefix("unknown cluster 'shardd'; did you mean 'shard'? (clusters: shard-s0, shard-s1,"))
        }
    }

    @Test func sameInputSameBytes() throws {
        guard let first = try Self.ecommerce(), let second = try Self.ecommerce() else { return }
        for view in GraphBackend.views(of: first).map(\.view) {
            for format in GraphFormat.allCases {
                #expect(try GraphViews.render(view, plan: first, format: format) == GraphViews.render(view, plan: second, format: format))
            }
        }
        #expect(GraphBackend().artifacts(for: first) == GraphBackend().artifacts(for: second))
    }

    @Test func backendWritesEveryViewInBothLanguages() throws {
        guard let plan = try Self.ecommerce() else { return }
        let paths = GraphBackend().artifacts(for: plan).map(\.path)
        #expect(
            paths == [
                "graph/overview.mmd", "graph/overview.dot", "graph/routing.mmd", "graph/routing.dot", "graph/clusters/shard.mmd",
                "graph/clusters/shard.dot", "graph/tables/users.mmd", "graph/tables/users.dot", "graph/tables/products.mmd",
                "graph/tables/products.dot", "graph/tables/orders.mmd", "graph/tables/orders.dot",
            ])
        #expect(BackendRegistry.backend(named: "graph") != nil)
    }

    /// Tables `order` and `Order` (names keep their case) get pictures that a case-insensitive file
    /// system keeps apart, and the writer, which refuses paths that fold alike, writes them.
    @Test func tablesWhoseNamesDifferInCaseGetTheirOwnFiles() throws {
        let text = """
            topology: shop
            clusters:
              main: { members: 1 }
            tables:
              order:
                columns: { id: bigint }
                primary_key: id
              Order:
                columns: { id: bigint }
                primary_key: id
              order_2:
                columns: { id: bigint }
                primary_key: id

            """
        let plan = try #require(PlanTestSupport.plan(text))
        let paths = GraphBackend().artifacts(for: plan).map(\.path).filter { $0.hasPrefix("graph/tables/") }
        #expect(
            paths == [
                "graph/tables/order.mmd", "graph/tables/order.dot", "graph/tables/Order-2.mmd", "graph/tables/Order-2.dot",
                "graph/tables/order_2.mmd", "graph/tables/order_2.dot",
            ])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graph-case-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = try OutputWriter(directory: folder, generator: "test").write(GraphBackend().artifacts(for: plan))
        #expect(report.written.count == GraphBackend().artifacts(for: plan).count)
    }

    @Test func caseDistinctNamesSkipTakenSuffixes() {
        #expect(ArtifactPath.caseDistinctNames(["a", "A", "a-2", "B", "b", "b"]) == ["a", "A-3", "a-2", "B", "b-2", "b-3"])
        #expect(ArtifactPath.caseDistinctNames(["x", "y"]) == ["x", "y"])
    }
}
