import Foundation
import Testing
import TopologyCompiler

/// Plans the topologies these tests run against (the compiler tests' helper of the same name is
/// in another test target, which this one cannot import).
enum PlanTestSupport {
    /// An example topology of the repository's `examples/`.
    static func exampleURL(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/\(name)")
    }

    /// Plans a topology text for a target, recording its diagnostics as an issue when no plan results.
    static func plan(_ text: String, target: DeploymentTarget, file: String = "test.yaml") -> Plan? {
        let compiled = CompilerDriver.compile(bytes: Array(text.utf8), file: file, target: target)
        if compiled.plan == nil { Issue.record("no plan:\n\(compiled.diagnostics.map(\.rendered).joined(separator: "\n"))") }
        return compiled.plan
    }

    /// Plans an example topology for a target.
    static func plan(example name: String, target: DeploymentTarget) throws -> Plan? {
        plan(try String(contentsOf: exampleURL(name), encoding: .utf8), target: target, file: "examples/\(name)")
    }
}
