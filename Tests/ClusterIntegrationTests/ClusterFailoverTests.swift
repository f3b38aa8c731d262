import Foundation
import TopologyCompiler
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
        }
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

        let decidedSync = ClusterLayout.decision("synchronous_mode", of: cluster) == "true"
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
        XCTAssertEqual(commit, ClusterLayout.decision("synchronous_commit", of: cluster))
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

    // MARK: Failover

    struct FailoverResult {
        var oldLeader: String
        var newLeader: String
        /// Seconds from the kill to the first commit acknowledged by another member.
        var failoverSeconds: Double
        var acknowledged: Int
        var lost: [Int64]
        var failures: Int
        var unknown: Int
        /// Acknowledged commits on the old leader after the kill.
        var ackedOnOldAfterKill: Int
        var slotOnNewLeader: Bool
        var lastError: String
    }

    /// Kills the leader's Patroni (and its postmaster) with SIGKILL while a writer commits through PgBouncer.
    private func runFailover(_ deployment: ClusterHarness.Deployment, killPostmaster: Bool) throws -> FailoverResult {
        let database = deployment.plan.databases[0].name
        let cluster = deployment.plan.clusters[0]
        let leader = try XCTUnwrap(deployment.view()?.leader)
        // failover_probe is a table of the topology: the generated grants let the application role write it.
        let streaming = ClusterHarness.poll(seconds: 30) { () -> Int? in
            let count = ClusterHarness.value(
                deployment.direct(port: leader.port, database: "postgres"),
                "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")
            return count == "2" ? 2 : nil
        }
        XCTAssertEqual(streaming, 2, "both replicas stream before the kill")
        let member = try XCTUnwrap(deployment.state.members.first { $0.name == leader.name })
        let postmaster = try XCTUnwrap(ProcessSpawner.postmaster(of: member.dataDirectory ?? ""), "the leader's postmaster")

        let writer = FailoverWriter(conninfo: deployment.pgbouncer(database: database), table: "failover_probe")
        writer.start()
        let warmed = ClusterHarness.poll(seconds: 20) { writer.acknowledged.count >= 100 ? true : nil }
        XCTAssertNotNil(warmed, "the writer commits through PgBouncer before the kill")

        let killedAt = Date()
        kill(member.process.pid, SIGKILL)
        if killPostmaster { kill(postmaster.pid, SIGKILL) }
        let rto = Double(deployment.plan.guarantees.rto.flatMap { Int($0.dropLast()) } ?? 30)
        let firstNew = ClusterHarness.poll(seconds: rto + 30) {
            writer.acknowledged.first { $0.at > killedAt && $0.port != leader.port }
        }
        usleep(2_000_000)
        writer.stop()
        let acks = writer.acknowledged
        let otherPorts = cluster.members.filter { $0.name != leader.name }.map(\.restPort)
        let newLeader = ClusterProbe.view(restPorts: otherPorts)?.leader
        var lost: [Int64] = []
        var slotFound = false
        if let newLeader {
            let present = ClusterHarness.poll(seconds: 20) {
                try? ClusterHarness.rows(deployment.direct(port: newLeader.port, database: database), "SELECT id FROM failover_probe")
            }
            let ids = Set((present ?? []).compactMap { Int64($0.first ?? "") })
            lost = acks.map(\.id).filter { !ids.contains($0) }
            let slot = deployment.plan.replication.slots[0].name
            slotFound =
                ClusterHarness.poll(seconds: 30) {
                    ClusterHarness.value(
                        deployment.direct(port: newLeader.port, database: "postgres"),
                        "SELECT 1 FROM pg_replication_slots WHERE slot_name = '\(slot)' AND slot_type = 'logical'")
                } != nil
        }
        let result = FailoverResult(
            oldLeader: leader.name, newLeader: newLeader?.name ?? "none",
            failoverSeconds: firstNew.map { $0.at.timeIntervalSince(killedAt) } ?? -1, acknowledged: acks.count, lost: lost,
            failures: writer.failureCount, unknown: writer.unknownCount,
            ackedOnOldAfterKill: acks.filter { $0.at > killedAt && $0.port == leader.port }.count, slotOnNewLeader: slotFound,
            lastError: writer.lastError)

        XCTAssertNotNil(newLeader, "a new leader is elected")
        XCTAssertNotEqual(newLeader?.name, leader.name)
        XCTAssertNotNil(firstNew, "the new leader accepts writes through PgBouncer")
        XCTAssertLessThanOrEqual(result.failoverSeconds, rto, "writes resume within the declared RTO of \(Int(rto))s")
        XCTAssertTrue(slotFound, "the CDC slot exists on the new leader")
        if let firstNew {
            // The routing path is the guard against split brain: once another member has
            // acknowledged a commit, the old leader acknowledges none (HAProxy marked it down
            // and shut its sessions long before the promotion).
            let late = acks.filter { $0.port == leader.port && $0.at > firstNew.at }
            XCTAssertEqual(
                late.count, 0, "commits acknowledged by the old leader after the new one took writes: \(late.prefix(5).map(\.id))")
        }
        return result
    }

    private func report(_ label: String, _ deployment: ClusterHarness.Deployment, _ result: FailoverResult, killPostmaster: Bool) {
        let how = killPostmaster ? "kill -9 Patroni + postmaster" : "kill -9 Patroni only"
        print(
            "CLUSTER-RESULT failover \(label) (\(how)): \(result.oldLeader) -> \(result.newLeader) in "
                + String(format: "%.1f", result.failoverSeconds)
                + "s; \(result.acknowledged) commits acknowledged, \(result.lost.count) lost, "
                + "\(result.ackedOnOldAfterKill) acknowledged by the old leader after the kill, "
                + "\(result.failures) failed statements (\(result.unknown) of unknown outcome); slot on new leader: \(result.slotOnNewLeader); last client error: \(result.lastError)"
        )
    }
}
