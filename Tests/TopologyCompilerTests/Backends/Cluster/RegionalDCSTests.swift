import Foundation
import Testing

@testable import TopologyCompiler

/// A multi-primary topology whose clusters lead from two regions gets one etcd cluster per region
/// (issue 12 item 9): every Patroni member lists only its own region's etcd members, every etcd
/// member's `initial-cluster` names only its region's members, and the group's clusters run with
/// `failsafe_mode`. Read back with PyYAML, as Patroni and etcd's YAML reader see them.
struct RegionalDCSTests {
    @Test(arguments: [DeploymentTarget.compose, .local])
    func oneEtcdClusterPerRegion(target: DeploymentTarget) throws {
        let plan = try #require(try PlanTestSupport.plan(example: "multi-primary-ap.yaml", target: target))
        let artifacts = ClusterBackendSupport.artifacts(plan)
        let perRegion = target == .compose ? 3 : 1
        #expect(plan.etcd.count == 2 * perRegion)
        #expect(Set(plan.etcd.compactMap(\.region)) == ["us-east", "eu-west"])
        for cluster in plan.clusters {
            let region = try #require(cluster.members.first?.region)
            let own = plan.etcd.filter { $0.region == region }
            #expect(own.count == perRegion)
            for member in cluster.members {
                let text = try #require(artifacts[ClusterLayout.patroniPath(cluster: cluster.name, member: member.name)])
                guard let yaml = ClusterBackendSupport.pyyaml(text) else { continue }
                #expect(
                    ClusterBackendSupport.dig(yaml, "etcd3", "hosts") as? [String] == own.map { "\($0.host):\($0.clientPort)" },
                    "\(member.name) keeps its leader key in \(region)'s etcd only")
                #expect(ClusterBackendSupport.dig(yaml, "bootstrap", "dcs", "failsafe_mode") as? Bool == true)
            }
        }
        for member in plan.etcd {
            let text = try #require(artifacts[ClusterLayout.etcdPath(member: member.name)])
            guard let yaml = ClusterBackendSupport.pyyaml(text) else { continue }
            let peers = plan.etcd.filter { $0.region == member.region }.map { "\($0.name)=http://\($0.host):\($0.peerPort)" }
            #expect(ClusterBackendSupport.dig(yaml, "initial-cluster") as? String == peers.joined(separator: ","))
            #expect(ClusterBackendSupport.dig(yaml, "initial-cluster-token") as? String == "topoc-carts-\(member.region ?? "")")
        }
        if target == .compose {
            let compose = try #require(artifacts[ClusterLayout.composePath])
            guard let yaml = ClusterBackendSupport.pyyaml(compose) else { return }
            for cluster in plan.clusters {
                let region = cluster.members.first?.region
                for member in cluster.members {
                    let dependsOn = ClusterBackendSupport.dig(yaml, "services", member.name, "depends_on")
                    let names = (dependsOn as? [String]) ?? (dependsOn as? [String: Any]).map { Array($0.keys) } ?? []
                    #expect(
                        Set(names.filter { $0.hasPrefix("etcd") }) == Set(plan.etcd.filter { $0.region == region }.map(\.name)))
                }
            }
        }
    }

    /// Without a multi-primary group one etcd cluster serves everything and failsafe_mode stays off.
    @Test func oneEtcdClusterOtherwise() throws {
        let plan = try #require(ClusterBackendSupport.plan(target: .compose))
        #expect(plan.etcd.map(\.name) == ["etcd1", "etcd2", "etcd3"])
        #expect(plan.etcd.allSatisfy { $0.region == nil })
        let text = try #require(
            ClusterBackendSupport.artifacts(plan)[
                ClusterLayout.patroniPath(cluster: plan.clusters[0].name, member: plan.clusters[0].members[0].name)])
        guard let yaml = ClusterBackendSupport.pyyaml(text) else { return }
        #expect(ClusterBackendSupport.dig(yaml, "bootstrap", "dcs", "failsafe_mode") == nil)
    }
}
