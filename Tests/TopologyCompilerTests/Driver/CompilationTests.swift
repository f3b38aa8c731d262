import Foundation
import Testing

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
}
