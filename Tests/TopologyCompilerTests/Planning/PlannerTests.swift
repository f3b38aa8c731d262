import Foundation
import Testing
import TopologyRuntime

@testable import TopologyCompiler

@Suite("planner")
struct PlannerTests {
    static let minimal = """
        topology: app
        clusters:
          main: { members: 3 }

        """

    @Test func ecommerceHasSixteenShardClustersOfThreeMembers() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "ecommerce.yaml"))
        #expect(plan.clusters.count == 16)
        for (index, cluster) in plan.clusters.enumerated() {
            #expect(cluster.name == "shard-s\(index)")
            #expect(cluster.shard == index)
            #expect(cluster.members.map(\.role) == [.leader, .replica, .replica])
            #expect(cluster.failover == PlanFailover(ttl: 20, loopWait: 5, retryTimeout: 5, watchdog: .off))
        }
        let sharding = try #require(plan.sharding)
        #expect(sharding.shards.map(\.database) == (0..<16).map { "shop_s\($0)" })
        #expect(plan.databases.filter { $0.kind == .shard }.count == 16)
        let orders = try #require(plan.tables.first { $0.name == "orders" })
        #expect(orders.placement == .sharded)
        #expect(orders.colocationGroup == "by_user")
        #expect(plan.tables.first { $0.name == "users" }?.colocationGroup == "by_user")
        #expect(plan.tables.first { $0.name == "products" }?.placement == .reference)
    }

    @Test func ringTokensAreTheRuntimeRingAndRouteKeysIdentically() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "ecommerce.yaml"))
        let sharding = try #require(plan.sharding)
        let ring = try #require(sharding.ring)
        #expect(ring.count == 16 * 150)
        #expect(zip(ring, ring.dropFirst()).allSatisfy { $0.token <= $1.token })
        let runtime = try HashRing(shards: sharding.shards.map(\.name), virtualNodes: 150)
        #expect(ring.map(\.token) == runtime.tokens.map(\.token))
        #expect(sharding.hashFunction == "hashint8extended")
        #expect(sharding.seed == 0)
        // Route keys with the plan's tokens only, as another language would from routing.json.
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let key = Int64.random(in: .min ... .max, using: &random)
            let position = PostgresHash.hashInt8Extended(key, seed: 0)
            let owner = ring.first { $0.token >= position }?.shard ?? ring[0].shard
            #expect(owner == runtime.shard(for: key))
        }
    }

    @Test func monthlySeriesIsEnumeratedWithDefaultLast() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "ecommerce.yaml"))
        let partitions = try #require(plan.tables.first { $0.name == "orders" }?.partitions)
        #expect(partitions.count == 25)
        #expect(partitions.first == PlanPartition(name: "orders_p2025_01", kind: .range, from: "2025-01-01", to: "2025-02-01"))
        #expect(partitions[23] == PlanPartition(name: "orders_p2026_12", kind: .range, from: "2026-12-01", to: "2027-01-01"))
        #expect(partitions.last?.kind == .default)
        // Consecutive and gapless.
        for (lower, upper) in zip(partitions.dropLast(), partitions.dropLast().dropFirst()) {
            #expect(lower.to == upper.from)
        }
    }

    @Test func otherIntervalsAlignAndName() throws {
        func series(_ interval: String, _ from: String, _ to: String) -> [PlanPartition] {
            let text =
                Self.minimal + """
                    tables:
                      events:
                        columns: { at: timestamptz }
                        partitioning: { by: range, key: at, interval: \(interval), from: \(from), to: \(to) }
                    """
            return PlanTestSupport.plan(text)?.tables.first?.partitions ?? []
        }
        let weekly = series("weekly", "2025-01-06", "2025-01-27")
        #expect(weekly.map(\.name) == ["events_p20250106", "events_p20250113", "events_p20250120"])
        let quarterly = series("quarterly", "2025-01-01", "2026-01-01")
        #expect(quarterly.map(\.name) == ["events_p2025q1", "events_p2025q2", "events_p2025q3", "events_p2025q4"])
        #expect(quarterly.last?.to == "2026-01-01")
        let yearly = series("yearly", "2024-01-01", "2026-01-01")
        #expect(yearly.map(\.to) == ["2025-01-01", "2026-01-01"])
        let daily = series("daily", "2024-02-27", "2024-03-02")
        #expect(daily.map(\.from) == ["2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01"])
    }

    @Test func unalignedSeriesStartWarnsAndAligns() throws {
        let text =
            Self.minimal + """
                tables:
                  events:
                    columns: { at: timestamptz }
                    partitioning: { by: range, key: at, interval: weekly, from: 2025-01-08, to: 2025-01-20 }
                """
        let diagnostics = PlanTestSupport.diagnostics(text)
        let warning = try #require(diagnostics.first { $0.code == .invalidValue })
        #expect(warning.severity == .warning)
        #expect(warning.message.contains("series starts at 2025-01-06"))
        #expect(warning.location.line == 7)
        #expect(PlanTestSupport.plan(text)?.tables.first?.partitions.first?.from == "2025-01-06")
    }

    @Test func listAndHashPartitionsAreEnumerated() throws {
        let text =
            Self.minimal + """
                tables:
                  accounts:
                    columns: { id: bigint, country: text }
                    partitioning: { by: list, key: country, lists: { eu: [de, fr], us: [us] }, default: true }
                  sessions:
                    columns: { id: bigint }
                    partitioning: { by: hash, key: id, modulus: 4 }
                """
        let plan = try #require(PlanTestSupport.plan(text))
        let lists = try #require(plan.tables.first { $0.name == "accounts" }?.partitions)
        #expect(lists.map(\.name) == ["accounts_eu", "accounts_us", "accounts_default"])
        #expect(lists.first?.values == ["de", "fr"])
        let hashes = try #require(plan.tables.first { $0.name == "sessions" }?.partitions)
        #expect(hashes.map(\.remainder) == [0, 1, 2, 3])
        #expect(hashes.allSatisfy { $0.modulus == 4 })
    }

    @Test func localTargetGivesDistinctPortsAndDataDirectories() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "ecommerce.yaml", target: .local))
        var ports = plan.etcd.flatMap { [$0.clientPort, $0.peerPort] } + [plan.pooler.port]
        ports += plan.clusters.flatMap { $0.members.flatMap { [$0.port, $0.restPort] } }
        ports += plan.pooler.frontends.flatMap { [$0.readWritePort, $0.readOnlyPort] }
        #expect(Set(ports).count == ports.count)
        #expect(ports.allSatisfy { (1024...65535).contains($0) })
        let members = plan.clusters.flatMap(\.members)
        #expect(members.allSatisfy { $0.host == "127.0.0.1" })
        #expect(Set(members.map(\.dataDirectory)).count == members.count)
        #expect(plan.etcd.count == 1)
    }

    @Test func composeTargetUsesServiceNamesAndStandardPorts() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "ecommerce.yaml", target: .compose))
        let members = plan.clusters.flatMap(\.members)
        #expect(Set(members.map(\.host)).count == members.count)
        #expect(members.allSatisfy { $0.port == 5432 && $0.restPort == 8008 && $0.host == $0.name })
        #expect(plan.etcd.map(\.name) == ["etcd1", "etcd2", "etcd3"])
        #expect(plan.pooler.host == "pgbouncer" && plan.pooler.port == 6432)
    }

    @Test func portsBeyondTheRangeAreAPlanError() throws {
        let text = """
            topology: big
            deployment: { local: { base_port: 60000 } }
            clusters:
              shard: { members: 16 }
            sharding: { key: id, key_type: bigint, strategy: jump-hash, shards: 400, cluster: shard }
            tables:
              t: { columns: { id: bigint } }
            """
        let diagnostics = PlanTestSupport.diagnostics(text, target: .local)
        #expect(diagnostics.contains { $0.code == .planLimit && $0.location.line == 2 })
        #expect(!PlanTestSupport.diagnostics(text, target: .compose).hasErrors)
    }

    /// Ports count up in order, so a member added before PgBouncer moves its port; a fixed
    /// `pgbouncer_port` stays, and one inside the counted range is refused at its line.
    @Test func aFixedPgBouncerPortDoesNotMoveWhenAMemberIsAdded() throws {
        func topology(members: Int, pgbouncer: String) -> String {
            """
            topology: pinned
            deployment: { local: { base_port: 30000\(pgbouncer) } }
            clusters:
              main: { members: \(members) }
            tables:
              t: { columns: { id: bigint } }
            """
        }
        let counted = try #require(PlanTestSupport.plan(topology(members: 2, pgbouncer: ""), target: .local))
        let grown = try #require(PlanTestSupport.plan(topology(members: 3, pgbouncer: ""), target: .local))
        #expect(counted.pooler.port != grown.pooler.port, "without the key, PgBouncer's port moves")
        let pinned = try #require(PlanTestSupport.plan(topology(members: 2, pgbouncer: ", pgbouncer_port: 6543"), target: .local))
        let pinnedGrown = try #require(PlanTestSupport.plan(topology(members: 3, pgbouncer: ", pgbouncer_port: 6543"), target: .local))
        #expect(pinned.pooler.port == 6543 && pinnedGrown.pooler.port == 6543)
        let ports = pinnedGrown.clusters.flatMap { $0.members.flatMap { [$0.port, $0.restPort] } }
        #expect(!ports.contains(6543))
        // The compose target keeps its own port.
        let compose = try #require(PlanTestSupport.plan(topology(members: 2, pgbouncer: ", pgbouncer_port: 6543"), target: .compose))
        #expect(compose.pooler.port == 6432)

        let inside = PlanTestSupport.diagnostics(topology(members: 2, pgbouncer: ", pgbouncer_port: 30003"), target: .local)
        let error = try #require(inside.first { $0.code == .invalidValue })
        #expect(error.location.line == 2)
        #expect(error.message.contains("'pgbouncer_port' 30003 is one of the ports the local target counts up from 'base_port'"))
    }

    @Test func longDerivedNamesAreReported() throws {
        let name = String(repeating: "t", count: 55)
        let text =
            Self.minimal + """
                tables:
                  \(name):
                    columns: { at: date }
                    partitioning: { by: range, key: at, interval: monthly, from: 2025-01-01, to: 2025-03-01 }
                """
        let diagnostics = PlanTestSupport.diagnostics(text)
        #expect(diagnostics.contains { $0.code == .identifierTooLong && $0.message.contains("\(name)_p2025_01") })
    }

    @Test func rangeShardsCarryTheirBounds() throws {
        let text = """
            topology: ts
            clusters:
              shard: { members: 1 }
            sharding:
              key: id
              key_type: bigint
              strategy: range
              cluster: shard
              ranges: [{ to: 1000 }, { from: 1000, to: 5000 }, { from: 5000 }]
            tables:
              t: { columns: { id: bigint } }
            """
        let plan = try #require(PlanTestSupport.plan(text))
        let shards = try #require(plan.sharding?.shards)
        #expect(shards.map(\.rangeFrom) == [nil, "1000", "5000"])
        #expect(shards.map(\.rangeTo) == ["1000", "5000", nil])
        #expect(plan.sharding?.hashFunction == nil)
    }

    @Test func tenancyResolvesSchemasAndDatabases() throws {
        let schemas = try #require(
            PlanTestSupport.plan(
                Self.minimal + """
                    tenancy: { mode: schema-per-tenant, tenants: [acme, globex] }
                    pooling: { read_write: { pool_size: 5 } }
                    tables:
                      notes: { columns: { id: bigint } }
                    """))
        #expect(schemas.tenancy?.tenants.map(\.schema) == ["tenant_acme", "tenant_globex"])
        let databases = try #require(
            PlanTestSupport.plan(
                Self.minimal + """
                    tenancy: { mode: database-per-tenant, prefix: t_, tenants: [acme, globex], shared_tables: [plans] }
                    pooling: { read_write: { pool_size: 5 } }
                    tables:
                      plans: { columns: { id: bigint } }
                      notes: { columns: { id: bigint } }
                    """))
        #expect(databases.databases.map(\.name) == ["app", "t_acme", "t_globex"])
        #expect(databases.databases.first?.tables == ["plans"])
        #expect(databases.databases.last?.tables == ["notes"])
        #expect(databases.tenancy?.tenants.map(\.database) == ["t_acme", "t_globex"])
    }

    @Test func cdcResolvesPublicationsSlotsAndAuditTables() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "ecommerce.yaml"))
        // products is a reference table (copied to all 16 shards): published in the first shard only.
        #expect(plan.replication.publications.count == 1)
        #expect(plan.replication.publications.allSatisfy { $0.tables == ["products"] && !$0.publishViaPartitionRoot })
        #expect(plan.replication.slots.map(\.name) == ["shop_products_debezium_shop_s0"])
        let single = try #require(
            PlanTestSupport.plan(
                Self.minimal + """
                    tables:
                      orders:
                        columns: { id: bigint, at: date }
                        primary_key: [id, at]
                        partitioning: { by: range, key: at, interval: yearly, from: 2025-01-01, to: 2026-01-01, default: true }
                      notes: { columns: { id: bigint } }
                    cdc:
                      slot: app_slot
                      sink: { topic_prefix: app }
                      tables: { orders: logical, notes: trigger }
                    """))
        #expect(single.replication.publications.first?.publishViaPartitionRoot == true)
        #expect(single.replication.slots.map(\.name) == ["app_slot"])
        // Without a sink no consumer is declared: the publication, and no slot.
        let unread = try #require(
            PlanTestSupport.plan(
                Self.minimal + """
                    tables:
                      notes: { columns: { id: bigint }, primary_key: id }
                    cdc:
                      slot: app_slot
                      tables: { notes: logical }
                    """))
        #expect(unread.replication.publications.map(\.name) == ["topoc_publication"])
        #expect(unread.replication.slots.isEmpty)
        #expect(single.replication.auditTables.first?.tables == ["notes"])
    }
}
