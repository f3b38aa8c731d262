import Foundation
import Testing
import TopologyRuntime

@testable import TopologyCompiler

/// `sharding.token_placement`: decoded, planned into plan.json and routing.json, measured by
/// TSH407, rendered by the SQL and Swift backends, and reported by `topoc rebalance`.
@Suite("token placement")
struct TokenPlacementTests {
    static func ring(shards: Int, virtualNodes: Int = 150, placement: String?) -> String {
        ShardingRulesTests.sharded(
            "  key: id\n  key_type: bigint\n  strategy: consistent-hash\n  shards: \(shards)\n  virtual_nodes: \(virtualNodes)\n"
                + (placement.map { "  token_placement: \($0)\n" } ?? "") + "  cluster: shard\n",
            tables: "  items:\n    columns: { id: bigint }\n    primary_key: id\n")
    }

    @Test("a balanced ring is planned with the runtime's balanced tokens and says so")
    func balancedPlan() throws {
        let plan = try #require(PlanTestSupport.plan(Self.ring(shards: 16, placement: "balanced")))
        let sharding = try #require(plan.sharding)
        #expect(sharding.tokenPlacement == .balanced)
        let runtime = try HashRing(shards: sharding.shards.map(\.name), virtualNodes: 150, placement: .balanced)
        #expect(sharding.ring?.map(\.token) == runtime.tokens.map(\.token))
        #expect(sharding.ring?.map(\.shard) == runtime.tokens.map(\.shard))
        let json = String(decoding: try DeterministicJSON.data(plan), as: UTF8.self)
        #expect(json.contains("\"tokenPlacement\" : \"balanced\""))
        #expect(PlanTextRenderer.render(plan).contains("150 virtual nodes per shard, balanced token placement"))
    }

    @Test("no key, or 'hashed', plans the ring of every earlier topology, and plan.json does not change")
    func hashedPlanUnchanged() throws {
        let absent = try #require(PlanTestSupport.plan(Self.ring(shards: 16, placement: nil)))
        let hashed = try #require(PlanTestSupport.plan(Self.ring(shards: 16, placement: "hashed")))
        #expect(absent.sharding?.tokenPlacement == nil)
        #expect(absent == hashed)
        let runtime = try HashRing(shards: (0..<16).map { "s\($0)" }, virtualNodes: 150)
        #expect(absent.sharding?.ring?.map(\.token) == runtime.tokens.map(\.token))
        #expect(!String(decoding: try DeterministicJSON.data(absent), as: UTF8.self).contains("tokenPlacement"))
    }

    @Test("version 2 of the language places rings balanced unless the topology says otherwise; version 1 keeps hashed")
    func languageVersionDefault() throws {
        let version2 = try #require(PlanTestSupport.plan("version: 2\n" + Self.ring(shards: 16, placement: nil)))
        let explicit = try #require(PlanTestSupport.plan(Self.ring(shards: 16, placement: "balanced")))
        #expect(version2.sharding?.tokenPlacement == .balanced)
        #expect(version2.sharding?.ring == explicit.sharding?.ring)
        let hashedInVersion2 = try #require(PlanTestSupport.plan("version: 2\n" + Self.ring(shards: 16, placement: "hashed")))
        let version1 = try #require(PlanTestSupport.plan("version: 1\n" + Self.ring(shards: 16, placement: nil)))
        #expect(hashedInVersion2.sharding?.tokenPlacement == nil)
        #expect(hashedInVersion2.sharding?.ring == version1.sharding?.ring)
        #expect(version1.sharding?.tokenPlacement == nil)
        // TSH407 measures the ring version 2 builds: 4 virtual nodes are balanced there.
        try ClusterRuleFixture.expectNothing(.ringImbalance, in: "version: 2\n" + Self.ring(shards: 16, virtualNodes: 4, placement: nil))
        let unknown = PlanTestSupport.diagnostics("version: 3\n" + Self.ring(shards: 4, placement: nil))
        let error = try #require(unknown.first { $0.severity == .error })
        #expect(error.message == "this topoc reads versions 1 and 2 of the topology language, not 3")
        #expect(error.location.line == 1)
        #expect(StarterTopology.text.contains("version: 2\n"))
    }

    @Test("an unknown placement and a placement for a strategy without a ring are located errors")
    func refused() throws {
        let unknown = PlanTestSupport.diagnostics(Self.ring(shards: 4, placement: "even"))
        let error = try #require(unknown.first { $0.severity == .error })
        #expect(error.message.contains("token_placement"), "\(error.rendered)")
        #expect(error.location.line == 10)
        let jump = ShardingRulesTests.sharded(
            "  key: id\n  key_type: bigint\n  strategy: jump-hash\n  shards: 4\n  token_placement: balanced\n  cluster: shard\n",
            tables: "  items:\n    columns: { id: bigint }\n    primary_key: id\n")
        let inapplicable = try #require(PlanTestSupport.diagnostics(jump).first { $0.code == .inapplicableKey })
        #expect(inapplicable.message == "'token_placement' does not apply to the 'jump-hash' strategy")
        #expect(inapplicable.location.line == 9)
    }

    @Test("TSH407 measures the ring the plan builds: 4 virtual nodes over 16 shards are balanced when placed so")
    func ringBalanceRule() throws {
        let hashed = try ClusterRuleFixture.findings(.ringImbalance, Self.ring(shards: 16, virtualNodes: 4, placement: nil))
        #expect(hashed.count == 1)
        #expect(hashed.first?.message.contains("or choose 'token_placement: balanced'") == true)
        try ClusterRuleFixture.expectNothing(.ringImbalance, in: Self.ring(shards: 16, virtualNodes: 4, placement: "balanced"))
    }

    @Test("the SQL shard function and the Swift router embed the balanced tokens")
    func backendsEmbedThePlannedRing() throws {
        let plan = try #require(PlanTestSupport.plan(Self.ring(shards: 5, virtualNodes: 3, placement: "balanced")))
        let tokens = try #require(plan.sharding?.ring)
        let artifacts = CompilerDriver.artifacts(for: plan, only: ["postgres", "swift"])
        let sql = artifacts.filter { $0.path.hasSuffix(".sql") }.map { String(decoding: $0.contents, as: UTF8.self) }.joined()
        #expect(tokens.count == 15 && tokens.allSatisfy { sql.contains(String($0.token)) })
        let swift = try #require(artifacts.first { $0.path.hasSuffix(".swift") })
        let source = String(decoding: swift.contents, as: UTF8.self)
        #expect(source.contains("placed so that every shard owns the same share (`RingPlacement.balanced`)"))
        #expect(!source.contains("hashtextextended(name || '#' || v, 0)"))
    }

    @Test("topoc rebalance: a shard added to a balanced ring moves its fair share, all of it to the new shard")
    func rebalance() throws {
        let old = try #require(PlanTestSupport.plan(Self.ring(shards: 16, placement: "balanced")))
        let new = try #require(PlanTestSupport.plan(Self.ring(shards: 17, placement: "balanced")))
        let report = try RebalanceReport(old: old, new: new)
        #expect(report.moves.allSatisfy { $0.to == "s16" })
        #expect(abs(report.fractionMoved - 1.0 / 17) < 0.001, "moved \(report.fractionMoved)")
        let hashed = try #require(PlanTestSupport.plan(Self.ring(shards: 16, placement: nil)))
        let switched = try RebalanceReport(old: hashed, new: old)
        #expect(switched.fractionMoved > 0.5, "switching the placement moves most keys: \(switched.fractionMoved)")
        #expect(switched.moves.allSatisfy { $0.from != $0.to })
    }
}
