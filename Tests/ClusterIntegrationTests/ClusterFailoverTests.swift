import Foundation
import TopologyCompiler
import TopologyLocalCluster
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// The cluster backends proven by running the cluster: `topoc up` on a primary and two replicas,
/// the decisions visible in the running servers, PgBouncer's pools, failovers under load and
/// `topoc down` leaving nothing behind. Run by scripts/test-cluster.sh.
final class ClusterFailoverTests: XCTestCase {
    /// rpo 0 (synchronous strict): a failover loses no acknowledged commit, either way the leader dies.
    func testSynchronousStrictClusterFailsOverWithoutLosingCommits() throws {
        try ClusterHarness.require()
        let yaml = TestTopologies.topology(name: "hasync", basePort: 31000, synchronous: true)
        for killPostmaster in [true, false] {
            let deployment = try ClusterHarness.up(yaml: yaml, name: "sync")
            defer { checkDown(deployment) }
            if killPostmaster { try checkRunningCluster(deployment, synchronous: true) }
            let result = try runFailover(deployment, killPostmaster: killPostmaster)
            report("sync strict", deployment, result, killPostmaster: killPostmaster)
            XCTAssertEqual(result.lost, [], "rpo 0: every acknowledged commit must survive the failover")
        }
    }

    /// Asynchronous replication: the failover is measured and the loss reported (through HAProxy,
    /// clients never reach the old primary once its Patroni is gone).
    func testAsynchronousClusterFailoverReportsLoss() throws {
        try ClusterHarness.require()
        let yaml = TestTopologies.topology(name: "haasync", basePort: 31100, synchronous: false)
        for killPostmaster in [false, true] {
            let deployment = try ClusterHarness.up(yaml: yaml, name: "async")
            defer { checkDown(deployment) }
            if !killPostmaster { try checkRunningCluster(deployment, synchronous: false) }
            let result = try runFailover(deployment, killPostmaster: killPostmaster)
            report("async", deployment, result, killPostmaster: killPostmaster)
            if !killPostmaster { try checkPartlyStopped(deployment, killed: result.oldLeader) }
        }
    }

    /// After the old leader's Patroni was killed (its PostgreSQL left running): `topoc status`
    /// shows the orphaned postmaster, and `topoc up` refuses to change the deployment before it
    /// does anything, instead of stopping halfway at the dead member's reload.
    private func checkPartlyStopped(_ deployment: ClusterHarness.Deployment, killed: String) throws {
        let member = try XCTUnwrap(deployment.state.members.first { $0.name == killed })
        let postmaster = try XCTUnwrap(ProcessSpawner.postmaster(of: member.dataDirectory ?? ""), "the orphaned postmaster")
        let status = ClusterHarness.status(deployment)
        let row = status.output.split(separator: "\n").first { $0.contains(" \(killed) ") && $0.contains("patroni") } ?? ""
        XCTAssertTrue(
            row.contains("NOT RUNNING (its PostgreSQL, pid \(postmaster.pid), still runs without it"), "status: \(status.output)")
        let file = deployment.folder.appendingPathComponent("changed.yaml")
        let changed = TestTopologies.topology(name: "haasync", basePort: 31100, synchronous: false)
            .replacingOccurrences(of: "max_connections: 100", with: "max_connections: 120")
        try changed.write(to: file, atomically: true, encoding: .utf8)
        let up = deployment.upAgain(file.path)
        XCTAssertNotEqual(up.status, 0, up.output)
        XCTAssertTrue(
            up.error.contains(
                "patroni \(killed) (pid \(member.process.pid)), whose PostgreSQL (pid \(postmaster.pid)) still runs without it")
                && up.error.contains("topoc up changed nothing"), up.output + up.error)
        XCTAssertFalse(up.output.contains("migration in"), up.output)
    }

    // MARK: Checks of a running cluster

    /// Leader and streaming replicas, sync settings as decided, wal_level, the permanent slot,
    /// and PgBouncer's rw pool on the leader and ro pool on a replica.
    private func checkRunningCluster(_ deployment: ClusterHarness.Deployment, synchronous: Bool) throws {
        let cluster = deployment.plan.clusters[0]
        let database = deployment.plan.databases[0].name
        let view = try XCTUnwrap(deployment.view(), "Patroni's REST API answers")
        let leader = try XCTUnwrap(view.leader, "a leader")
        let streaming = try ClusterHarness.rows(
            deployment.direct(port: leader.port, database: "postgres"),
            "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming' ORDER BY 1")
        XCTAssertEqual(streaming.count, 2, "both replicas stream from \(leader.name)")
        print(
            "CLUSTER-RESULT ready \(deployment.plan.topology): \(String(format: "%.1f", deployment.readySeconds))s from topoc up to ready")

        let decidedSync = cluster.decided.synchronousMode
        XCTAssertEqual(decidedSync, synchronous)
        let standbyNames = ClusterHarness.value(
            deployment.direct(port: leader.port, database: "postgres"), "SHOW synchronous_standby_names")
        if synchronous {
            // Patroni names its synchronous standby within a loop or two of the leader's start.
            let sync = ClusterHarness.poll(seconds: 15) { () -> [String]? in
                let names = deployment.view()?.syncStandbys.map(\.name) ?? []
                return names.count == 1 ? names : nil
            }
            let syncNames = try XCTUnwrap(sync, "Patroni reports one synchronous standby (synchronous_node_count 1)")
            let shown = ClusterHarness.poll(seconds: 10) { () -> String? in
                let value = ClusterHarness.value(
                    deployment.direct(port: leader.port, database: "postgres"), "SHOW synchronous_standby_names")
                return value.flatMap { $0.contains(syncNames[0]) ? $0 : nil }
            }
            XCTAssertNotNil(shown, "synchronous_standby_names names Patroni's sync standby \(syncNames[0]); was \(standbyNames ?? "nil")")
            let config = try XCTUnwrap(LoopbackHTTP.get(port: cluster.members[0].restPort, path: "/config")?.text)
            XCTAssertTrue(config.contains("\"synchronous_mode_strict\": true"), config)
            XCTAssertTrue(config.contains("\"synchronous_node_count\": 1"), config)
        } else {
            XCTAssertEqual(standbyNames, "", "asynchronous: no synchronous standby")
            XCTAssertEqual(deployment.view()?.syncStandbys.count, 0)
        }
        let commit = ClusterHarness.value(deployment.direct(port: leader.port, database: "postgres"), "SHOW synchronous_commit")
        XCTAssertEqual(commit, cluster.decided.synchronousCommit)
        XCTAssertEqual(ClusterHarness.value(deployment.direct(port: leader.port, database: "postgres"), "SHOW wal_level"), "logical")

        let slot = try XCTUnwrap(deployment.plan.replication.slots.first)
        let found = ClusterHarness.poll(seconds: 20) {
            ClusterHarness.value(
                deployment.direct(port: leader.port, database: "postgres"),
                "SELECT plugin || '/' || database FROM pg_replication_slots WHERE slot_name = '\(slot.name)' AND slot_type = 'logical'")
        }
        XCTAssertEqual(found, "\(slot.plugin)/\(slot.database)", "Patroni created the permanent slot")

        let rw = ClusterHarness.value(
            deployment.pgbouncer(database: database), "SELECT pg_is_in_recovery()::text || ':' || inet_server_port()")
        XCTAssertEqual(rw, "false:\(leader.port)", "the rw pool reaches the leader")
        let ro = ClusterHarness.poll(seconds: 5) {
            ClusterHarness.value(deployment.pgbouncer(database: database + "_ro"), "SELECT pg_is_in_recovery()::text")
        }
        XCTAssertEqual(ro, "true", "the ro pool reaches a replica")

        let status = ClusterHarness.status(deployment)
        XCTAssertEqual(status.status, 0, status.error)
        XCTAssertTrue(status.output.contains("leader \(leader.name)"), status.output)
        XCTAssertTrue(status.output.contains("pg_stat_replication: streaming"), status.output)
    }
}
