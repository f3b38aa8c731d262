import Foundation
import Testing

@testable import TopologyCompiler

/// The decisions a backend reads from the plan (`PlanCluster.decided`) are exactly what the
/// planner decided, for every cluster of every example, and every decision name is one the
/// planner writes.
@Suite("decisions read from the plan")
struct GuaranteeDecisionsPlanTests {
    @Test func theDecisionsReadBackEqualTheDecisionsOfEveryExample() throws {
        for name in try PlanTestSupport.exampleNames() {
            let text = try String(contentsOf: PlanTestSupport.exampleURL(name), encoding: .utf8)
            let topology = try #require(TopologyLoader.load(bytes: Array(text.utf8), file: name).topology, "\(name) loads")
            let plan = try #require(try PlanTestSupport.plan(example: name))
            for cluster in plan.clusters {
                let template = try #require(topology.clusters.first { $0.name.value == cluster.template }, "\(cluster.template)")
                #expect(
                    cluster.decided == GuaranteeDecisions.decide(for: template, guarantees: topology.guarantees),
                    "\(name) \(cluster.name)")
            }
        }
    }

    @Test func aPlanWithoutDecisionsReadsAsTheConservativeChoice() throws {
        var cluster = try #require(try PlanTestSupport.plan(example: "ecommerce.yaml")?.clusters.first)
        cluster.decisions = []
        let decided = cluster.decided
        #expect(!decided.synchronousMode)
        #expect(decided.synchronousNodeCount == 0)
        #expect(decided.readPreference == .leader)
        #expect(decided.ttl == cluster.failover.ttl)
    }

    @Test func everyDecisionNameIsWrittenByThePlanner() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "ecommerce.yaml"))
        let written = Set(plan.clusters.flatMap { $0.decisions.map(\.name) })
        let synchronous = plan.clusters.contains { $0.decided.synchronousMode }
        for name in DecisionName.allCases where name != .synchronousNodeCount || synchronous {
            #expect(written.contains(name.rawValue), "\(name.rawValue) is decided")
        }
        #expect(written.isSubset(of: Set(DecisionName.allCases.map(\.rawValue))), "every written name is a DecisionName")
    }
}
