import Foundation
import Testing

@testable import TopologyCompiler

/// Loads and plans topologies for tests.
enum PlanTestSupport {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func exampleURL(_ name: String) -> URL {
        repository.appendingPathComponent("examples/\(name)")
    }

    /// Every example topology, by file name.
    static func exampleNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: repository.appendingPathComponent("examples").path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
    }

    /// Plans a topology text; records the diagnostics as a test issue when it fails.
    static func plan(_ text: String, target: DeploymentTarget = .compose, file: String = "test.yaml") -> Plan? {
        let compiled = CompilerDriver.compile(bytes: Array(text.utf8), file: file, target: target)
        if compiled.plan == nil {
            Issue.record("no plan:\n\(compiled.diagnostics.map(\.rendered).joined(separator: "\n"))")
        }
        return compiled.plan
    }

    /// A consistent-hash topology of `shards` single-member shard clusters with one table,
    /// `items`; `note` adds a column to it.
    static func shards(_ shards: Int, note: Bool = false) throws -> Plan {
        let text = """
            version: 1
            topology: scale
            postgres: 15
            guarantees: { consistency: eventual, partition: CP }
            clusters:
              shard: { members: 1 }
            sharding:
              key: id
              key_type: bigint
              strategy: consistent-hash
              shards: \(shards)
              cluster: shard
            tables:
              items:
                columns: { id: bigint, body: text\(note ? ", note: text" : "") }
                primary_key: [id]

            """
        return try #require(plan(text))
    }

    /// Plans an example file.
    static func plan(example name: String, target: DeploymentTarget = .compose) throws -> Plan? {
        let text = try String(contentsOf: exampleURL(name), encoding: .utf8)
        return plan(text, target: target, file: "examples/\(name)")
    }

    /// The diagnostics of planning a text.
    static func diagnostics(_ text: String, target: DeploymentTarget = .compose) -> [Diagnostic] {
        CompilerDriver.compile(bytes: Array(text.utf8), file: "test.yaml", target: target).diagnostics
    }
}
