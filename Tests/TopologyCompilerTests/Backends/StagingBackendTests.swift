import Foundation
import Testing

@testable import TopologyCompiler

/// A staged build writes its largest files as it renders them (``StagingBackend``,
/// ``SwiftRouterBackend/stage(_:into:)``); what lands must be exactly the artifacts an in-memory
/// rendering makes, also where the streams cross their buffers' sizes.
@Suite("staging backends")
struct StagingBackendTests {
    /// Stages with `stage`, puts the files in place and returns each written file's bytes by path.
    private func staged(_ stage: (OutputStaging) -> Void) throws -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        try OutputTestKit.withScratch { out in
            let writer = OutputWriter(directory: out, generator: "t")
            let staging = try writer.makeStaging()
            stage(staging)
            for path in try writer.write(staged: staging).written {
                files[path] = FileManager.default.contents(atPath: out.appendingPathComponent(path).path).map { Array($0) }
            }
        }
        return files
    }

    /// 300 shards x 150 virtual nodes: a ring of 45,000 tokens, whose packed lines in the router
    /// (about 1 MB) cross the Swift writer's buffer several times and whose SQL array literal
    /// (about 1 MB, one statement) is written from its own storage.
    private func largeRing() throws -> Plan {
        try PlanTestSupport.shards(300)
    }

    @Test("the PostgreSQL backend staged in small batches writes exactly its artifacts")
    func postgresInBatches() throws {
        let plan = try largeRing()
        let artifacts = PostgresBackend().artifacts(for: plan)
        let shared = try #require(artifacts.first { $0.path.hasPrefix(SharedSchemaGroup.folder + "/") })
        #expect(shared.contents.count > 1 << 16, "the ring function is written past the script's buffer")
        for batchSize in [1, 4_096, PostgresBackend.batchSize] {
            let files = try staged { PostgresBackend().stage(plan, into: $0, batchSize: batchSize) }
            #expect(files.keys.sorted() == artifacts.map(\.path).sorted(), "batch \(batchSize)")
            for artifact in artifacts {
                #expect(files[artifact.path] == artifact.contents, "\(artifact.path), batch \(batchSize)")
            }
        }
    }

    @Test("the router staged as it is rendered is the router rendered in memory")
    func swiftStreamed() throws {
        let plan = try largeRing()
        let backend = SwiftRouterBackend()
        let artifact = try #require(backend.artifacts(for: plan).first)
        #expect(artifact.contents.count > 3 * SwiftSourceWriter.flushSize, "the file crosses the writer's buffer")
        let files = try staged { backend.stage([plan], into: $0) }
        #expect(files == [artifact.path: artifact.contents])
        #expect(try staged { backend.stage([], into: $0) }.isEmpty)
    }

    @Test("the compose file staged a service at a time is the compose file rendered in memory")
    func composeStreamed() throws {
        let plan = try largeRing()
        let artifacts = ComposeBackend().artifacts(for: plan)
        let compose = try #require(artifacts.first { $0.path == ClusterLayout.composePath })
        #expect(compose.contents.count > 4 << 16, "the file crosses the text buffer several times")
        let files = try staged { ComposeBackend().stage(plan, into: $0) }
        #expect(files.keys.sorted() == artifacts.map(\.path).sorted())
        for artifact in artifacts {
            #expect(files[artifact.path] == artifact.contents, "\(artifact.path)")
        }
        let local = try #require(try PlanTestSupport.plan(example: "ecommerce.yaml", target: .local))
        #expect(try staged { ComposeBackend().stage(local, into: $0) }.isEmpty)
    }

    @Test("a batch is handed on when it reaches its size, and what is left when flushed")
    func batches() {
        final class Deliveries: @unchecked Sendable { var sizes: [[Int]] = [] }
        let deliveries = Deliveries()
        var batch = ArtifactBatch(size: 10) { deliveries.sizes.append($0.map(\.contents.count)) }
        for size in [4, 5, 1, 12, 3] {
            batch.append(Artifact(path: "f\(size)", contents: [UInt8](repeating: 0, count: size), producer: "t"))
        }
        #expect(deliveries.sizes == [[4, 5, 1], [12]])
        batch.flush()
        batch.flush()
        #expect(deliveries.sizes == [[4, 5, 1], [12], [3]])
    }

    /// For the kubernetes target the PostgreSQL scripts feed the schema ConfigMaps, so they are
    /// rendered once in memory for both; for the others they are staged by the backend itself.
    /// global-composite's shards share a script, and the kubernetes target accepts it.
    @Test("a staged build writes what a gathered build writes, for every target", arguments: DeploymentTarget.allCases)
    func stagedEqualsGathered(_ target: DeploymentTarget) throws {
        let name = "global-composite.yaml"
        let text = try String(contentsOf: PlanTestSupport.exampleURL(name), encoding: .utf8)
        let compilation = CompilerDriver.compile(bytes: Array(text.utf8), file: name, target: target)
        let plan = try #require(compilation.plan, "\(target)")
        let gathered = SwiftRouterBuild.artifacts(plan: plan, only: [], fileName: nil) { compilation.plan(for: $0) }
        let files = try staged { staging in
            SwiftRouterBuild.stage(plan: plan, only: [], fileName: nil, into: staging) { compilation.plan(for: $0) }
        }
        #expect(files.keys.sorted() == gathered.map(\.path))
        for artifact in gathered {
            #expect(files[artifact.path] == artifact.contents, "\(artifact.path)")
        }
        #expect(gathered.contains { $0.path.hasPrefix("kubernetes/schema/") } == (target == .kubernetes))
        #expect(gathered.contains { $0.path.hasPrefix(SharedSchemaGroup.folder + "/") })
    }
}
