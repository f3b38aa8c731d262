import Foundation
import TopologyCompiler
import TopologyLocalCluster
import XCTest

/// A change to the topology reaches a running `topoc up` cluster through the dynamic
/// configuration patch `topoc build` writes (issue 12 item 10): the topology's
/// max_slot_wal_keep_size goes from topoc's default 4GB to 2GB (a reloadable parameter) and
/// max_connections from 100 to 120 (a postmaster parameter). The rebuilt
/// `dynamic-config.json` is sent as `PATCH /config` to one member's REST API, as the REST API user
/// the artifacts configure. max_slot_wal_keep_size is then live on every member; max_connections is
/// not, and every member reports `pending_restart` until it is restarted through `POST /restart`
/// (replicas first), after which 120 is live everywhere. A further change is applied with
/// `patronictl edit-config --apply dynamic-config.yml`. Ports from 31900 + the offset.
final class ClusterDynamicConfigTests: XCTestCase {
    func testAPatchedParameterIsReloadedOrPendingRestart() throws {
        try ClusterHarness.require()
        let yaml = TestTopologies.topology(name: "dyncfg", basePort: 31900, synchronous: true)
        let deployment = try ClusterHarness.up(yaml: yaml, name: "dyncfg")
        defer { checkDown(deployment) }
        let cluster = deployment.plan.clusters[0]
        let password = deployment.secrets.values[deployment.plan.secrets.restAPI] ?? ""
        func show(_ member: PlanMember, _ name: String) -> String? {
            ClusterHarness.value(deployment.direct(port: member.port, database: "postgres"), "SHOW \(name)")
        }
        func pendingRestart(_ member: PlanMember) -> Bool {
            guard let body = LoopbackHTTP.get(port: member.restPort, path: "/patroni")?.body,
                let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
            else { return false }
            return object["pending_restart"] as? Bool == true
        }
        for member in cluster.members {
            XCTAssertEqual(show(member, "max_slot_wal_keep_size"), "4GB")
            XCTAssertEqual(show(member, "max_connections"), "100")
        }

        // The changed topology, rebuilt.
        let changed =
            yaml
            .replacingOccurrences(
                of: "settings: { max_connections: 100 }", with: "settings: { max_connections: 120, max_slot_wal_keep_size: 2GB }")
        XCTAssertNotEqual(changed, yaml)
        let file = deployment.folder.appendingPathComponent("changed.yaml")
        try changed.write(to: file, atomically: true, encoding: .utf8)
        let output = deployment.folder.appendingPathComponent("rebuilt")
        let build = Subprocess.run(
            [ClusterHarness.topoc, "build", file.path, "--target", "local", "-o", output.path],
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"], directory: deployment.folder, timeout: 120)
        XCTAssertEqual(build.status, 0, build.output + build.error)
        let patch = output.appendingPathComponent(PatroniDynamicConfig.jsonPath(cluster: cluster.name))
        let marked = try String(
            contentsOf: output.appendingPathComponent(PatroniDynamicConfig.yamlPath(cluster: cluster.name)), encoding: .utf8)
        XCTAssertTrue(marked.contains("max_connections: \"120\"  # restart"), marked)
        XCTAssertTrue(marked.contains("max_slot_wal_keep_size: \"2GB\"\n"), marked)
        XCTAssertTrue(
            marked.contains("#   PATRONI_RESTAPI_PASSWORD=\"$\(deployment.plan.secrets.restAPI)\" patronictl -c <member>.yml edit-config"),
            "the comment names the variable patronictl needs")

        // PATCH /config: refused without the REST API user, accepted as it.
        let url = "http://127.0.0.1:\(cluster.members[0].restPort)/config"
        let anonymous = curl(["-X", "PATCH", url, "-H", "Content-Type: application/json", "--data-binary", "@\(patch.path)"])
        XCTAssertEqual(anonymous, "401", "PATCH /config needs the REST API user")
        let patched = curl([
            "-u", "\(ClusterLayout.restAPIUser):\(password)", "-X", "PATCH", url, "-H", "Content-Type: application/json", "--data-binary",
            "@\(patch.path)",
        ])
        XCTAssertEqual(patched, "200")

        // The reloadable parameter is live on every member; the restart parameter is pending.
        let reloaded = ClusterHarness.poll(seconds: 30) {
            cluster.members.allSatisfy { show($0, "max_slot_wal_keep_size") == "2GB" && pendingRestart($0) } ? true : nil
        }
        XCTAssertNotNil(
            reloaded,
            "max_slot_wal_keep_size \(cluster.members.map { show($0, "max_slot_wal_keep_size") ?? "?" }), pending_restart \(cluster.members.map(pendingRestart))"
        )
        for member in cluster.members {
            XCTAssertEqual(show(member, "max_connections"), "100", "\(member.name) runs the old value until restarted")
        }

        // Restart every member through Patroni's REST API, replicas first.
        let leader = deployment.view(cluster)?.leader?.name
        for member in cluster.members.sorted(by: { ($0.name == leader ? 1 : 0) < ($1.name == leader ? 1 : 0) }) {
            let restarted = curl(
                [
                    "-u", "\(ClusterLayout.restAPIUser):\(password)", "-X", "POST", "http://127.0.0.1:\(member.restPort)/restart", "-H",
                    "Content-Type: application/json", "-d", "{}",
                ], timeout: 90)
            XCTAssertEqual(restarted, "200", "POST /restart on \(member.name)")
        }
        let live = ClusterHarness.poll(seconds: 60) {
            cluster.members.allSatisfy { show($0, "max_connections") == "120" && !pendingRestart($0) } ? true : nil
        }
        XCTAssertNotNil(live, "max_connections \(cluster.members.map { show($0, "max_connections") ?? "?" }) after the restarts")

        // The other path the generated comment names: the next change (max_slot_wal_keep_size
        // 2GB -> 1GB) rebuilt and applied with `patronictl -c <member>.yml edit-config --apply
        // dynamic-config.yml --force <cluster>`, the member's own generated configuration
        // naming etcd.
        let next = changed.replacingOccurrences(of: "max_slot_wal_keep_size: 2GB", with: "max_slot_wal_keep_size: 1GB")
        XCTAssertNotEqual(next, changed)
        try next.write(to: file, atomically: true, encoding: .utf8)
        let rebuilt = Subprocess.run(
            [ClusterHarness.topoc, "build", file.path, "--target", "local", "-o", output.path],
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"], directory: deployment.folder, timeout: 120)
        XCTAssertEqual(rebuilt.status, 0, rebuilt.output + rebuilt.error)
        let memberConfig = deployment.runDirectory.appendingPathComponent("generated")
            .appendingPathComponent(ClusterLayout.patroniPath(cluster: cluster.name, member: cluster.members[0].name))
        let edited = Subprocess.run(
            [
                "/usr/bin/patronictl", "-c", memberConfig.path, "edit-config", "--apply",
                output.appendingPathComponent(PatroniDynamicConfig.yamlPath(cluster: cluster.name)).path, "--force", cluster.name,
            ],
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "PATRONI_RESTAPI_PASSWORD": password],
            directory: deployment.folder, timeout: 60)
        XCTAssertEqual(edited.status, 0, edited.output + edited.error)
        XCTAssertTrue(edited.output.contains("max_slot_wal_keep_size: 1GB"), "patronictl shows the change it applies: \(edited.output)")
        let applied = ClusterHarness.poll(seconds: 30) {
            cluster.members.allSatisfy { show($0, "max_slot_wal_keep_size") == "1GB" && !pendingRestart($0) } ? true : nil
        }
        XCTAssertNotNil(
            applied, "max_slot_wal_keep_size \(cluster.members.map { show($0, "max_slot_wal_keep_size") ?? "?" }) after edit-config")
        print(
            "CLUSTER-RESULT dynamic-config: max_slot_wal_keep_size reloaded on \(cluster.members.count) members; max_connections pending_restart until POST /restart, then 120 everywhere; "
                + "patronictl edit-config --apply of the next rebuild: 1GB live on every member, no restart pending"
        )
    }

    /// Runs curl and returns the HTTP status code it printed.
    private func curl(_ arguments: [String], timeout: Double = 20) -> String {
        let result = Subprocess.run(
            ["/usr/bin/curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", String(Int(timeout))] + arguments,
            environment: ["PATH": "/usr/bin:/bin"], timeout: timeout + 5)
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
