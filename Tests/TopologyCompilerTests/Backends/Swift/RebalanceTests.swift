import Foundation
import Testing
import TopologyRuntime

@testable import TopologyCompiler

@Suite("Rebalance report")
struct RebalanceTests {
    /// The e-commerce example with its shard count (and strategy) replaced.
    private func plan(shards: Int, strategy: String = "consistent-hash") throws -> Plan {
        var text = try String(contentsOf: PlanTestSupport.exampleURL("ecommerce.yaml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "  shards: 16\n", with: "  shards: \(shards)\n")
        if strategy != "consistent-hash" {
            text = text.replacingOccurrences(of: "strategy: consistent-hash", with: "strategy: \(strategy)")
            text = text.replacingOccurrences(of: "  virtual_nodes: 150\n", with: "")
        }
        return try #require(PlanTestSupport.plan(text))
    }

    @Test("16 -> 17 ring shards: every moving range goes to the new shard, and the ranges are the keys that move")
    func ringGrowth() throws {
        let old = try plan(shards: 16)
        let new = try plan(shards: 17)
        let report = try RebalanceReport(old: old, new: new)
        #expect(report.method == "exact")
        #expect(report.oldShards.count == 16 && report.newShards.count == 17)
        #expect(report.moves.allSatisfy { $0.to == "s16" })
        #expect(abs(report.optimalFraction - 1.0 / 17) < 1e-12)
        #expect(report.fractionMoved > 0.04 && report.fractionMoved < 0.09)
        #expect(abs(report.flows.reduce(0) { $0 + $1.fraction } - report.fractionMoved) < 1e-12)
        // Count keys that really move between the two rings and check each lies in a reported range.
        let oldRing = try HashRing(shards: report.oldShards, virtualNodes: 150)
        let newRing = try HashRing(shards: report.newShards, virtualNodes: 150)
        var moved = 0
        let sample = 50_000
        for key in Int64(0)..<Int64(sample) {
            let from = oldRing.shard(for: key)
            let to = newRing.shard(for: key)
            let position = key.pgHash(seed: 0)
            let arc = report.moves.first {
                TokenRangeMove(startExclusive: $0.startExclusive, endInclusive: $0.endInclusive, fromShard: 0, toShard: 0)
                    .contains(position)
            }
            if from != to {
                moved += 1
                #expect(arc?.from == report.oldShards[from] && arc?.to == report.newShards[to])
            } else {
                #expect(arc == nil)
            }
        }
        #expect(abs(Double(moved) / Double(sample) - report.fractionMoved) < 0.01)
    }

    @Test("Jump hash 16 -> 17 moves about 1/17 of the keys, counted")
    func jumpGrowth() throws {
        let report = try RebalanceReport(
            old: plan(shards: 16, strategy: "jump-hash"), new: plan(shards: 17, strategy: "jump-hash"), sampleSize: 200_000)
        #expect(report.method == "sampled")
        #expect(report.sampledKeys == 200_000)
        #expect(report.moves.isEmpty)
        #expect(abs(report.fractionMoved - 1.0 / 17) < 0.003)
    }

    @Test("No change moves nothing; a strategy change or a missing sharding is refused")
    func edges() throws {
        let same = try RebalanceReport(old: plan(shards: 16), new: plan(shards: 16))
        #expect(same.fractionMoved == 0 && same.moves.isEmpty && same.optimalFraction == 0)
        #expect(throws: RebalanceError.self) {
            try RebalanceReport(old: plan(shards: 16), new: plan(shards: 16, strategy: "jump-hash"))
        }
        let single = try #require(try PlanTestSupport.plan(example: "single-node.yaml"))
        #expect(throws: RebalanceError.self) {
            try RebalanceReport(old: single, new: single)
        }
    }

    @Test("Text and JSON renderings carry the same figures")
    func rendering() throws {
        let report = try RebalanceReport(old: plan(shards: 4), new: plan(shards: 5))
        let text = RebalanceTextRenderer.render(report)
        #expect(text.hasPrefix("rebalance shop: consistent-hash, 4 -> 5 shards\n"))
        #expect(text.contains("(optimum 20.000%)"))
        #expect(text.contains("-> s4:"))
        #expect(RebalanceTextRenderer.percent(0.058823) == "5.882%")
        let json = try JSONEncoder().encode(report)
        #expect(try JSONDecoder().decode(RebalanceReport.self, from: json) == report)
    }
}
