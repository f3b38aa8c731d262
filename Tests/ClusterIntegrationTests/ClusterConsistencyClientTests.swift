import Foundation
import TopologyCompiler
import TopologyLocalCluster
import XCTest

/// TopologyClient and `topoc verify consistency` on a running sharded deployment (issue 20):
/// two shards, each a leader and two replicas (synchronous, rpo 0). The members' own read-only
/// frontends admit replicas only; the checker finds read-your-writes violations when reads go
/// through the plain `_ro` pools while replay is paused, and none through the client across the
/// same lag injection and a leader kill, nor through the `_ro` pools with each replica checked
/// (the client's Kubernetes path). Ports: base 32500 (plus `ClusterHarness.portOffset`).
final class ClusterConsistencyClientTests: XCTestCase {
    static func topology(name: String, basePort: Int) -> String {
        """
        version: 1
        topology: \(name)
        postgres: 15
        guarantees:
          consistency: read-your-writes
          partition: CP
          rpo: 0
          rto: 30s
          max_staleness: 3s
        \(TestTopologies.secrets(name))
        clusters:
          shard:
            members: 3
            replication: { mode: synchronous, sync_count: 1, strict: true }
            failover: { ttl: 10s, loop_wait: 2s, retry_timeout: 4s, watchdog: off }
            settings: { max_connections: 100 }
        \(TestTopologies.tightTimingSuppression)
        sharding:
          key: user_id
          key_type: bigint
          strategy: hash-modulo
          shards: 2
          cluster: shard
        pooling:
          mode: transaction
          max_client_conn: 200
          read_write: { pool_size: 10, reserve: 2 }
          read_only: { pool_size: 10 }
        tables:
          users:
            columns:
              user_id: bigint
              name: text
            primary_key: [user_id]
        deployment:
          local:
            base_port: \(basePort + ClusterHarness.portOffset)

        """
    }

    /// Runs `topoc verify consistency` on the deployment.
    private func verify(_ deployment: ClusterHarness.Deployment, _ arguments: [String]) -> PSQL.Result {
        let file = deployment.folder.appendingPathComponent("topology.yaml")
        let result = Subprocess.run(
            [ClusterHarness.topoc, "verify", "consistency", file.path, "--run-dir", deployment.runDirectory.path] + arguments,
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "LANG": "C.UTF-8"],
            directory: deployment.folder, timeout: 300)
        print(result.output)
        print(result.error)
        return result
    }

    func testTheClientKeepsReadYourWritesWhereThePlainReadOnlyPoolBreaksIt() throws {
        try ClusterHarness.require()
        let deployment = try ClusterHarness.up(yaml: Self.topology(name: "ryw", basePort: 32500), name: "ryw")
        defer { checkDown(deployment) }
        XCTAssertGreaterThanOrEqual(deployment.plan.clusters.count, 2, "two shards, two clusters")

        // The members' own read-only frontends: a replica answers (in recovery), the leader's refuses.
        for cluster in deployment.plan.clusters {
            let leader = try XCTUnwrap(deployment.view(cluster)?.leader, "\(cluster.name) has a leader")
            let frontend = try XCTUnwrap(deployment.plan.pooler.frontends.first { $0.cluster == cluster.name })
            let ports = try XCTUnwrap(frontend.memberReadOnly)
            XCTAssertEqual(ports.count, 3)
            let database = try XCTUnwrap(deployment.plan.databases.first { $0.cluster == cluster.name }).name
            for entry in ports {
                let conninfo =
                    "host=127.0.0.1 port=\(entry.port) dbname=\(database) user=\(deployment.plan.roles.application) password=\(deployment.appPassword) connect_timeout=2 sslmode=disable"
                let answer = ClusterHarness.poll(seconds: 15) { () -> String? in
                    (try? ClusterHarness.rows(conninfo, "SELECT pg_is_in_recovery()::text"))?.first?.first
                }
                if entry.member == leader.name {
                    XCTAssertNil(
                        try? ClusterHarness.rows(conninfo, "SELECT 1"),
                        "the leader \(entry.member) is not reachable on its read-only frontend")
                } else {
                    XCTAssertEqual(answer, "true", "\(entry.member)'s frontend reaches a replica")
                    XCTAssertThrowsError(
                        try ClusterHarness.rows(conninfo, "CREATE TEMP TABLE t (x int)"), "a replica refuses writes")
                }
            }
        }

        // The control: reads through the `_ro` pools while replay is paused miss the session's writes.
        let control = verify(deployment, ["--read-path", "ro-pool", "--no-kill", "--seconds", "10"])
        XCTAssertEqual(control.status, 1, "the checker reports the plain path's violations")
        XCTAssertTrue(control.output.contains("read-your-writes: session"), "read-your-writes violations are listed")
        XCTAssertFalse(control.output.contains("\n0 violations"))

        // The client: the same load, lag injection and a leader kill, no violation.
        let routed = verify(deployment, ["--seconds", "30"])
        XCTAssertEqual(routed.status, 0, "no violation through TopologyClient")
        XCTAssertTrue(routed.output.contains("\n0 violations"))
        XCTAssertTrue(routed.output.contains("lost-write check: on (rpo 0)"))
        XCTAssertTrue(routed.output.contains("leader kill:"), "the leader was killed")
        // Reads really go to replicas when they may: some eventual and read-your-writes reads are off the leader.
        for level in ["read-your-writes", "eventual"] {
            let line = routed.output.split(separator: "\n").first { $0.hasPrefix("  \(level):") }.map(String.init) ?? ""
            XCTAssertFalse(line.isEmpty, "\(level) reads reported")
            XCTAssertFalse(line.contains(" 0 % off the leader"), "\(level) reads reach replicas: \(line)")
        }

        // The path the client takes on Kubernetes (a read-only pool that picks the replica itself),
        // run here through the `_ro` pools on the deployment the leader kill left behind (shard-s0
        // on a new timeline): each replica is checked in the read's own transaction, replay paused.
        let checked = verify(deployment, ["--read-path", "checked-ro-pool", "--no-kill", "--seconds", "15"])
        XCTAssertEqual(checked.status, 0, "no violation through the checked read-only pools")
        XCTAssertTrue(checked.output.contains("\n0 violations"))
        for level in ["read-your-writes", "eventual"] {
            let line = checked.output.split(separator: "\n").first { $0.hasPrefix("  \(level):") }.map(String.init) ?? ""
            XCTAssertTrue(line.contains("ro-pool@"), "\(level) reads served by checked replicas: \(line)")
            XCTAssertFalse(line.contains(" 0 % off the leader"), "\(level) reads reach replicas: \(line)")
        }
    }
}
