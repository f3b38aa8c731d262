import Foundation
import Testing

@testable import TopologyCompiler

@Suite("Kubernetes backend")
struct KubernetesBackendTests {
    /// A staged build takes the manifests in batches as they are made (4,096 shard clusters have
    /// 160 MB of them): the batches, in order, are exactly the whole.
    @Test("the manifests are handed on in batches of about the batch size that join to the whole")
    func batches() throws {
        let name = "global-composite.yaml"
        let text = try String(contentsOf: PlanTestSupport.exampleURL(name), encoding: .utf8)
        let plan = try #require(CompilerDriver.compile(bytes: Array(text.utf8), file: name, target: .kubernetes).plan)
        let input = PostgresBackend().artifacts(for: plan)
        let whole = KubernetesBackend().artifacts(for: plan, input: input)
        #expect(whole.first?.path == "kubernetes/namespace-\(KubernetesNames.namespace(topology: plan.topology)).yaml")
        for size in [1, 4_096, 1 << 20] {
            var batches: [[Artifact]] = []
            KubernetesBackend().render(for: plan, input: input, batchSize: size) { batches.append($0) }
            #expect(batches.joined().map(\.path) == whole.map(\.path), "\(size)")
            #expect(batches.joined().map(\.contents) == whole.map(\.contents), "\(size)")
            // A batch is handed on as soon as it reaches the size: what came before its last
            // artifact was below it.
            for batch in batches {
                #expect(batch.dropLast().map(\.contents.count).reduce(0, +) < size, "\(size)")
            }
            if size == 1 { #expect(batches.count == whole.count) }
            if size == 4_096 { #expect(batches.count > 1 && batches.count < whole.count) }
        }
        // Another target has no manifests, and nothing is handed on.
        var other = plan
        other.target = .compose
        var delivered = 0
        KubernetesBackend().render(for: other, input: input) { delivered += $0.count }
        #expect(delivered == 0)
    }
}
