import Foundation
import Testing

@testable import TopologyCompiler

/// The typed view the backends read equals what the planner decided, for every cluster of every
/// example, and every decision name is one the planner writes.
@Suite("decided settings")
struct DecidedSettingsTests {
    @Test func theTypedViewMatchesTheDecisionsOfEveryExample() throws {
        for name in try PlanTestSupport.exampleNames() {
            let topologyText = try String(contentsOf: PlanTestSupport.exampleURL(name), encoding: .utf8)
            let loaded = TopologyLoader.load(bytes: Array(topologyText.utf8), file: name)
            let topology = try #require(loaded.topology, "\(name) loads")
            let plan = try #require(try PlanTestSupport.plan(example: name))
            for cluster in plan.clusters {
                let template = try #require(topology.clusters.first { $0.name.value == cluster.template }, "\(cluster.template)")
                let decided = GuaranteeDecisions.decide(for: template, guarantees: topology.guarantees)
                let view = cluster.decided
                #expect(view.synchronousMode == decided.synchronousMode, "\(name) \(cluster.name)")
                #expect(view.synchronousModeStrict == decided.synchronousModeStrict, "\(name) \(cluster.name)")
                #expect(view.synchronousNodeCount == (decided.synchronousMode ? decided.synchronousNodeCount : nil))
                #expect(view.synchronousCommit == decided.synchronousCommit)
                #expect(view.maximumLagOnFailover == decided.maximumLagOnFailover)
                #expect(view.readPreference == decided.readPreference)
            }
        }
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
