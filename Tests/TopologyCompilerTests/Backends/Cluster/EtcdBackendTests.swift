import Foundation
import Testing

@testable import TopologyCompiler

/// The etcd configuration files, read back with PyYAML: every member bounds its history
/// (issue 12 item 5), with the types etcd 3.4's config-file decoder accepts (it decodes the YAML
/// as JSON into Go fields: `auto-compaction-retention` is a string, `quota-backend-bytes` an int64,
/// and a number where a string belongs stops etcd at start-up).
struct EtcdBackendTests {
    @Test(arguments: [DeploymentTarget.compose, .local])
    func everyMemberCompactsPeriodicallyAndStatesItsQuota(target: DeploymentTarget) throws {
        let plan = try #require(ClusterBackendSupport.plan(target: target))
        let artifacts = ClusterBackendSupport.artifacts(plan)
        #expect(plan.etcd.count == (target == .compose ? 3 : 1))
        for member in plan.etcd {
            let text = try #require(artifacts[ClusterLayout.etcdPath(member: member.name)])
            guard let yaml = ClusterBackendSupport.pyyaml(text) else { continue }
            #expect(ClusterBackendSupport.dig(yaml, "name") as? String == member.name)
            #expect(ClusterBackendSupport.dig(yaml, "auto-compaction-mode") as? String == "periodic")
            #expect(ClusterBackendSupport.dig(yaml, "auto-compaction-retention") as? String == "1h", "a string: etcd refuses a number")
            #expect(ClusterBackendSupport.dig(yaml, "quota-backend-bytes") as? Int == 2_147_483_648, "an integer, 2 GiB")
            #expect(ClusterBackendSupport.dig(yaml, "enable-grpc-gateway") as? Bool == true)
        }
    }

    @Test func theDeployedBackendUsesThePatroniHistory() throws {
        let backend = try #require(BackendRegistry.backend(named: "etcd") as? EtcdBackend)
        #expect(backend.history == .patroni)
        #expect(EtcdBackend.History.patroni.compactionRetention == "1h")
        #expect(EtcdBackend.History.patroni.quotaBackendBytes == 2 << 30)
    }

    /// etcd's docs write the retention as a bare number of hours ("1"); it must still reach etcd
    /// as a string, and another quota as the integer given.
    @Test(arguments: [("1", Int64(8) << 30), ("2s", Int64(1) << 30), ("0", Int64(0))])
    func anotherHistoryIsWrittenWithEtcdsTypes(retention: String, quota: Int64) throws {
        let plan = try #require(ClusterBackendSupport.plan(target: .local))
        let backend = EtcdBackend(history: .init(compactionRetention: retention, quotaBackendBytes: quota))
        let text = try #require(backend.artifacts(for: plan).first.map { String(decoding: $0.contents, as: UTF8.self) })
        guard let yaml = ClusterBackendSupport.pyyaml(text) else { return }
        #expect(ClusterBackendSupport.dig(yaml, "auto-compaction-mode") as? String == "periodic")
        #expect(ClusterBackendSupport.dig(yaml, "auto-compaction-retention") as? String == retention)
        #expect(ClusterBackendSupport.dig(yaml, "quota-backend-bytes") as? Int == Int(quota))
    }
}
