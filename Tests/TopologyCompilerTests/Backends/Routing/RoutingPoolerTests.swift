import Foundation
import Testing

@testable import TopologyCompiler

/// Each cluster of `routing.json` names the pooler that serves its databases: PgBouncer on local
/// and compose, and on Kubernetes the cluster's own Pooler, which the manifests define (a client
/// that sent every database to the first cluster's Pooler reached no database of another shard).
@Suite("routing.json poolers")
struct RoutingPoolerTests {
    @Test(arguments: try PlanTestSupport.exampleNames())
    func everyClustersPoolerIsOneTheDeploymentRuns(_ example: String) throws {
        let text = try String(contentsOf: PlanTestSupport.exampleURL(example), encoding: .utf8)
        for target in [DeploymentTarget.local, .compose, .kubernetes] {
            guard let plan = CompilerDriver.compile(bytes: Array(text.utf8), file: example, target: target).plan else { continue }
            let spec = RoutingSpec(plan: plan)
            guard target == .kubernetes else {
                for cluster in spec.clusters {
                    #expect(cluster.pooler == spec.pooler && cluster.readOnlyPooler == spec.pooler, "\(example) \(target)")
                    #expect(cluster.databases?.allSatisfy { $0.readOnlyPool == $0.pool + "_ro" } != false)
                }
                continue
            }
            let manifests = try #require(try KubernetesSecretTests.manifests(example))
            let poolers = Dictionary(
                manifests.compactMap { manifest -> (String, (cluster: String, type: String))? in
                    guard KubernetesSecretTests.scalar(manifest.root, "kind") == "Pooler",
                        let name = KubernetesSecretTests.pairs(manifest.root).first(where: { $0.key == "metadata" })
                            .flatMap({ KubernetesSecretTests.scalar($0.value, "name") }),
                        let spec = KubernetesSecretTests.pairs(manifest.root).first(where: { $0.key == "spec" })?.value,
                        let type = KubernetesSecretTests.scalar(spec, "type"),
                        let cluster = KubernetesSecretTests.pairs(spec).first(where: { $0.key == "cluster" })
                            .flatMap({ KubernetesSecretTests.scalar($0.value, "name") })
                    else { return nil }
                    return (name, (cluster, type))
                }, uniquingKeysWith: { first, _ in first })
            let namespace = try #require(plan.namespace)
            for cluster in spec.clusters {
                let rw = try #require(cluster.pooler)
                let rwName = String(rw.host.dropLast(".\(namespace).svc".count))
                #expect(rw.host == "\(rwName).\(namespace).svc" && rw.port == 5432)
                #expect(
                    poolers[rwName]?.cluster == cluster.name && poolers[rwName]?.type == "rw", "\(example): \(cluster.name) -> \(rw.host)")
                if let ro = cluster.readOnlyPooler {
                    let roName = String(ro.host.dropLast(".\(namespace).svc".count))
                    #expect(poolers[roName]?.cluster == cluster.name && poolers[roName]?.type == "ro", "\(example): \(ro.host)")
                } else {
                    #expect(!poolers.values.contains { $0.cluster == cluster.name && $0.type == "ro" }, "\(example): \(cluster.name)")
                }
                #expect(cluster.databases?.allSatisfy { $0.readOnlyPool == $0.name && $0.pool == $0.name } != false)
            }
            if spec.clusters.count > 1 {
                #expect(Set(spec.clusters.compactMap(\.pooler?.host)).count == spec.clusters.count, "one Pooler per cluster")
            }
        }
    }
}
