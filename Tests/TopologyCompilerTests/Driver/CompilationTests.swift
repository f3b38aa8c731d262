import Foundation
import Testing
import TopologyRuntime

@testable import TopologyCompiler

/// `Compilation.plan(for:)` (the other targets' plans `topoc build` needs for the Swift router)
/// runs only the planner again: its plans are exactly those of compiling the file for that target.
@Suite("compilation")
struct CompilationTests {
    @Test("another target's plan equals a compile for that target", arguments: try PlanTestSupport.exampleNames())
    func otherTargetsPlanEqualsAFreshCompile(_ name: String) throws {
        let bytes = Array(try String(contentsOf: PlanTestSupport.exampleURL(name), encoding: .utf8).utf8)
        let local = CompilerDriver.compile(bytes: bytes, file: "examples/\(name)", target: .local)
        #expect(local.plan != nil, "\(name) compiles for local")
        for target in DeploymentTarget.allCases {
            let fresh = CompilerDriver.compile(bytes: bytes, file: "examples/\(name)", target: target).plan
            #expect(local.plan(for: target) == fresh, "\(name) for \(target.rawValue)")
        }
    }

    @Test("a topology with errors has no plan for any target")
    func refusedHasNoPlans() {
        let compiled = CompilerDriver.compile(bytes: Array("version: 1\ntopology: x\n".utf8), file: "t.yaml", target: .local)
        #expect(compiled.plan == nil)
        for target in DeploymentTarget.allCases { #expect(compiled.plan(for: target) == nil) }
    }

    @Test(
        "the validator and every target's plan share the compilation's rings: each placed once",
        arguments: [("ecommerce.yaml", 1), ("global-composite.yaml", 3)])
    func ringsPlacedOnce(_ name: String, rings: Int) throws {
        // global-composite shards by jump hash in each region; by ring here, one ring per region.
        let text = try String(contentsOf: PlanTestSupport.exampleURL(name), encoding: .utf8)
            .replacingOccurrences(of: "within: jump-hash", with: "within: consistent-hash")
        let compiled = CompilerDriver.compile(bytes: Array(text.utf8), file: "examples/\(name)", target: .local)
        let cache = try #require(compiled.rings)
        let planned = try #require(compiled.plan?.sharding?.ring)
        #expect(!planned.isEmpty)
        #expect(cache.placements == rings, "\(name): one placement per ring")
        let others = DeploymentTarget.allCases.filter { $0 != .local }.compactMap { compiled.plan(for: $0) }
        #expect(!others.isEmpty)
        #expect(others.allSatisfy { $0.sharding?.ring == planned })
        if name != "global-composite.yaml" {
            // One array for every plan: the other targets' plans share the local plan's storage.
            let storage = planned.withUnsafeBufferPointer { $0.baseAddress }
            #expect(others.allSatisfy { $0.sharding?.ring?.withUnsafeBufferPointer { $0.baseAddress } == storage })
        }
        #expect(cache.placements == rings, "\(name): the other targets' plans placed none again")
        // Each ring asked for by TSH407, the local plan and each other target's planner (whether or
        // not that target's plan is refused later).
        #expect(cache.lookups == rings * (1 + DeploymentTarget.allCases.count), "\(name): every ring came from the cache")
        if name == "ecommerce.yaml", let sharding = compiled.plan?.sharding {
            // Once the plan holds the ring, the cache answers from the plan's tokens: no copy of its
            // own is kept, and none is placed again.
            let names = sharding.shards.map(\.name)
            let virtualNodes = try #require(sharding.virtualNodes)
            let tokens = try #require(cache.tokens(shardNames: names, virtualNodes: virtualNodes, placement: .hashed))
            #expect(tokens == (try HashRing(shards: names, virtualNodes: virtualNodes)).tokens)
            #expect(cache.placements == rings)
        }
    }
}
