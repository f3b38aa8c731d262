import Foundation
import TopologyCompiler
import TopologyLocalCluster
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// The failover under load that ClusterFailoverTests and ClusterTLSTests run: kill the leader
/// while a writer commits through PgBouncer, measure until another member acknowledges a commit.
extension XCTestCase {
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
    func runFailover(_ deployment: ClusterHarness.Deployment, killPostmaster: Bool) throws -> FailoverResult {
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
        let newLeader = ClusterProbe.view(restPorts: otherPorts, tls: deployment.state.restTLS)?.leader
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

    func report(_ label: String, _ deployment: ClusterHarness.Deployment, _ result: FailoverResult, killPostmaster: Bool) {
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
