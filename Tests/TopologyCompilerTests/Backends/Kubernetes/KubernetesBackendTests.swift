import Foundation
import Testing

@testable import TopologyCompiler

@Suite("Kubernetes backend")
struct KubernetesBackendTests {
    private func plan(_ name: String) throws -> Plan {
        let text = try String(contentsOf: PlanTestSupport.exampleURL(name), encoding: .utf8)
        return try #require(CompilerDriver.compile(bytes: Array(text.utf8), file: name, target: .kubernetes).plan)
    }

    /// A staged build takes the manifests in batches as they are made (4,096 shard clusters have
    /// 160 MB of them), and the PostgreSQL scripts they carry as that backend hands them on: the
    /// batches, in order, are exactly the two backends' artifacts.
    @Test("the manifests and the scripts are handed on in batches of about the batch size that join to each whole")
    func batches() throws {
        let plan = try plan("global-composite.yaml")
        let whole = KubernetesBackend().artifacts(for: plan)
        let scripts = PostgresBackend().artifacts(for: plan)
        #expect(whole.first?.path == "kubernetes/namespace-\(KubernetesNames.namespace(topology: plan.topology)).yaml")
        for size in [1, 4_096, 1 << 20] {
            var batches: [[Artifact]] = []
            var inputBatches: [[Artifact]] = []
            KubernetesBackend().render(
                for: plan, batchSize: size, deliverInput: { inputBatches.append($0) }, deliver: { batches.append($0) })
            #expect(batches.joined().map(\.path) == whole.map(\.path), "\(size)")
            #expect(batches.joined().map(\.contents) == whole.map(\.contents), "\(size)")
            #expect(inputBatches.joined().map(\.path) == scripts.map(\.path), "\(size)")
            #expect(inputBatches.joined().map(\.contents) == scripts.map(\.contents), "\(size)")
            // A batch is handed on as soon as it reaches the size: what came before its last
            // artifact was below it.
            for batch in batches + inputBatches {
                #expect(batch.dropLast().map(\.contents.count).reduce(0, +) < size, "\(size)")
            }
            if size == 1 { #expect(batches.count == whole.count) }
            if size == 4_096 { #expect(batches.count > 1 && batches.count < whole.count) }
        }
        // Another target has no manifests, and nothing is handed on.
        var other = plan
        other.target = .compose
        var delivered = 0
        KubernetesBackend().render(for: other, deliverInput: { delivered += $0.count }, deliver: { delivered += $0.count })
        #expect(delivered == 0)
    }

    /// What the kubernetes job holds does not grow with the scripts: each cluster's manifests,
    /// its schema Job and ConfigMaps with them, are handed on before the next cluster's scripts
    /// are made, and the shared scripts' ConfigMaps before any cluster's.
    @Test("each cluster's manifests are handed on before the next cluster's scripts are made")
    func clusterByCluster() throws {
        let plan = try plan("global-composite.yaml")
        enum Event: Equatable {
            case script(String)
            case manifest(String)
        }
        var events: [Event] = []
        KubernetesBackend().render(
            for: plan, batchSize: 1, deliverInput: { events += $0.map { .script($0.path) } },
            deliver: { events += $0.map { .manifest($0.path) } })
        let databasesByCluster = ClusterLayout.databasesByCluster(plan)
        let clusters = plan.clusters.filter { !(databasesByCluster[$0.name] ?? []).isEmpty }
        #expect(clusters.count > 2)
        var previousJob: Int?
        for cluster in clusters {
            let scripts = (databasesByCluster[cluster.name] ?? []).map { DatabaseScript.path($0) }
            let positions = scripts.compactMap { events.firstIndex(of: .script($0)) }
            let job = events.firstIndex(of: .manifest("kubernetes/schema/job-\(KubernetesNames.schema(cluster: cluster.name)).yaml"))
            #expect(positions.count == scripts.count, "\(cluster.name)")
            let jobPosition = try #require(job, "\(cluster.name)")
            // Its Job after its scripts, and the previous cluster's Job before them.
            #expect(positions.allSatisfy { $0 < jobPosition }, "\(cluster.name)")
            if let previousJob { #expect(positions.allSatisfy { $0 > previousJob }, "\(cluster.name)") }
            previousJob = jobPosition
        }
        let sharedConfigMaps = events.indices.filter {
            if case .manifest(let path) = events[$0] {
                return path.hasPrefix("kubernetes/schema/configmap-\(KubernetesNames.sharedSchema(stem: ""))")
            }
            return false
        }
        let firstCluster = events.firstIndex {
            if case .manifest(let path) = $0 { return path.hasPrefix("kubernetes/clusters/") }
            return false
        }
        #expect(!sharedConfigMaps.isEmpty)
        #expect(sharedConfigMaps.allSatisfy { $0 < (firstCluster ?? 0) })
    }
}
