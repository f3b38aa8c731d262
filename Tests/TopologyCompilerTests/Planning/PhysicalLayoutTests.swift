import Foundation
import Testing

@testable import TopologyCompiler

private typealias F = ClusterRuleFixture

/// The one derivation of clusters, shards and databases that the planner and the rules share.
@Suite struct PhysicalLayoutTests {
    /// For every example and target, the plan's clusters, shards and databases are the layout's,
    /// name for name and table for table.
    @Test func theLayoutIsThePlansForEveryExample() throws {
        for example in try F.examples() {
            let topology = try #require(example.topology, "\(example.name) does not load")
            for target in [DeploymentTarget.local, .compose, .kubernetes] {
                var planner = Planner(topology: topology, target: target)
                guard let plan = planner.makePlan().plan else { continue }
                let layout = PhysicalLayout(topology: topology)
                #expect(layout.clusters.map(\.name) == plan.clusters.map(\.name), "\(example.name) \(target)")
                #expect(layout.clusters.map(\.shard) == plan.clusters.map(\.shard), "\(example.name) \(target)")
                #expect(
                    layout.shards.map { "\($0.index) \($0.suffix) \($0.cluster) \($0.database) \($0.region ?? "-")" }
                        == (plan.sharding?.shards ?? []).map { "\($0.index) \($0.name) \($0.cluster) \($0.database) \($0.region ?? "-")" },
                    "\(example.name) \(target)")
                #expect(
                    layout.databases.map { "\($0.name)@\($0.cluster) \($0.kind) \($0.tables)" }
                        == plan.databases.map { "\($0.name)@\($0.cluster) \($0.kind) \($0.tables)" }, "\(example.name) \(target)")
                for cluster in layout.clusters {
                    #expect(cluster.databases.map(\.name) == plan.databases.filter { $0.cluster == cluster.name }.map(\.name))
                }
            }
        }
    }

    @Test func verticalGroupsJoinTheirDatabaseOnTheirCluster() throws {
        let (_, topology) = try #require(try F.examples().first { $0.name == "primary-replicas.yaml" })
        let layout = PhysicalLayout(topology: try #require(topology))
        let vertical = layout.databases.filter { $0.kind == .vertical }
        #expect(vertical.map { "\($0.name)@\($0.cluster)" } == ["news_auth@vault", "news_profiles@\(layout.mainCluster ?? "?")"])
        #expect(vertical.first?.tables == ["readers.auth"])
        #expect(vertical.allSatisfy { $0.derivedFrom == nil }, "a group's database is named by the user, not derived")
    }

    @Test func multiPrimaryClustersEachHoldTheDatabaseAndLaterOnesMirror() throws {
        let (_, topology) = try #require(try F.examples().first { $0.name == "multi-primary-ap.yaml" })
        let layout = PhysicalLayout(topology: try #require(topology))
        let holders = layout.clusters.filter { $0.databases.contains { $0.kind == .main } }
        #expect(holders.map(\.name).contains("carts-us") && holders.map(\.name).contains("carts-eu"))
        #expect(layout.clusters.filter(\.mirrorsMultiPrimary).map(\.name) == ["carts-eu"])
    }

    @Test func shardsAfterTheFirstCopyReferenceTablesAndRegionsReachMembers() throws {
        let text = ShardingRulesTests.sharded(
            "  key: id\n  key_type: bigint\n  strategy: composite\n  region_key: region\n  regions: { us-east: 2, eu-west: 1 }\n  within: jump-hash\n  cluster: shard\n",
            tables: "  items:\n    columns: { id: bigint, region: text }\n    primary_key: id\n",
            regions: "regions: [us-east, eu-west]\n")
        let layout = PhysicalLayout(topology: try F.topology(text))
        #expect(layout.clusters.map(\.name) == ["shard-us-east-s0", "shard-us-east-s1", "shard-eu-west-s0"])
        #expect(layout.clusters.map(\.copiesReferenceTables) == [false, true, true])
        #expect(layout.clusters.map(\.memberRegions) == [["us-east"], ["us-east"], ["eu-west"]])
        #expect(layout.shards.map(\.database) == ["shop_us_east_s0", "shop_us_east_s1", "shop_eu_west_s0"])
        #expect(layout.mainCluster == nil)
    }

    /// The layout is total: the rules derive it before anything is validated, so a vertical group
    /// that has nowhere to go is recorded for the planner to report, not dropped or trapped on.
    @Test func aGroupWithNowhereToGoIsRecordedAndThePlannerReportsIt() throws {
        let text = ShardingRulesTests.sharded(
            ShardingRulesTests.hashSharding,
            tables:
                "  users:\n    columns: { user_id: bigint, secret: text }\n    primary_key: user_id\n    vertical:\n      vault: { columns: [secret], database: vaultdb }\n"
        )
        let topology = try F.topology(text)
        let layout = PhysicalLayout(topology: topology)
        #expect(layout.unplacedGroups.map(\.name) == ["vault"])
        #expect(layout.databases.map(\.kind) == [.shard, .shard, .shard, .shard])
        var planner = Planner(topology: topology, target: .compose)
        let diagnostics = planner.makePlan().diagnostics
        #expect(
            diagnostics.contains { $0.message == "vertical group 'vault' needs 'cluster' in a sharded topology" },
            "\(diagnostics.map(\.rendered))")
    }
}
