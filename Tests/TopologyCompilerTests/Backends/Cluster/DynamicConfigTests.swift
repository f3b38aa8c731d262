import Foundation
import Testing

@testable import TopologyCompiler

/// Each cluster's dynamic-config.json and dynamic-config.yml (issue 12 item 10) carry exactly the
/// `bootstrap.dcs` of its members' Patroni files, read back with a JSON parser and PyYAML, and the
/// YAML marks exactly the parameters of ``PostmasterSettings`` with `# restart`. That a running
/// cluster takes the patch is ClusterDynamicConfigTests' part.
struct DynamicConfigTests {
    @Test(arguments: [DeploymentTarget.compose, .local])
    func thePatchIsTheBootstrapDCS(target: DeploymentTarget) throws {
        let plan = try #require(ClusterBackendSupport.plan(target: target))
        let artifacts = ClusterBackendSupport.artifacts(plan)
        for cluster in plan.clusters {
            let member = try #require(artifacts[ClusterLayout.patroniPath(cluster: cluster.name, member: cluster.members[0].name)])
            let json = try #require(artifacts[PatroniDynamicConfig.jsonPath(cluster: cluster.name)])
            let yamlText = try #require(artifacts[PatroniDynamicConfig.yamlPath(cluster: cluster.name)])
            let body = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? NSDictionary
            guard let config = ClusterBackendSupport.pyyaml(member), let yaml = ClusterBackendSupport.pyyaml(yamlText) as? NSDictionary
            else { continue }
            let bootstrap = try #require(ClusterBackendSupport.dig(config, "bootstrap", "dcs") as? NSDictionary)
            #expect(body == bootstrap, "the PATCH body is bootstrap.dcs")
            #expect(yaml == bootstrap, "the patronictl patch is bootstrap.dcs")
            let parameters = try #require(ClusterBackendSupport.dig(bootstrap, "postgresql", "parameters") as? [String: Any])
            let marked = Set(
                yamlText.split(separator: "\n").filter { $0.hasSuffix("  # restart") }.map {
                    String($0.trimmingCharacters(in: .whitespaces).split(separator: ":")[0])
                })
            let expected = Set(parameters.keys.filter { PostmasterSettings.needsRestart($0, postgresVersion: plan.postgresVersion) })
            #expect(marked == expected)
            #expect(marked.isSuperset(of: ["max_connections", "wal_level", "cron.use_background_workers"]), "\(marked)")
            #expect(!marked.contains("password_encryption"))
        }
    }
}
