import Foundation
import Testing

@testable import TopologyCompiler

/// Backends run concurrently (``ConcurrentRendering``); what a build sees must not depend on it.
@Suite("concurrent rendering")
struct ConcurrentRenderingTests {
    @Test("template errors reach the caller in job order, whichever job finishes first")
    func errorsInJobOrder() {
        let jobs: [ConcurrentRendering.Job] = (0..<8).map { index in
            {
                // The first jobs finish last.
                usleep(UInt32(8 - index) * 3_000)
                TemplateSet.log(TemplateError(.templateUnknown, "job \(index)", file: "t.mustache", line: 1, column: 1))
                return [Artifact(path: "j\(7 - index)", contents: "\(index)", producer: "test")]
            }
        }
        let (artifacts, errors) = TemplateSet.bundled.collectingErrors { ConcurrentRendering.artifacts(of: jobs) }
        #expect(errors.map(\.diagnostic.message) == (0..<8).map { "job \($0)" })
        #expect(artifacts.map(\.path) == (0..<8).map { "j\($0)" })
    }

    @Test("every example's artifacts equal those of the backends run one after another", arguments: try PlanTestSupport.exampleNames())
    func sameAsSequential(_ name: String) throws {
        let plan = try #require(try PlanTestSupport.plan(example: name, target: .compose))
        let sequential = BackendRegistry.all.flatMap { $0.artifacts(for: plan) }.sorted { $0.path < $1.path }
        let concurrent = CompilerDriver.artifacts(for: plan, only: [])
        #expect(concurrent.map(\.path) == sequential.map(\.path))
        #expect(concurrent.map(\.contents) == sequential.map(\.contents))
    }
}
