import Foundation
import TopologyCompiler
import TopologyLocalCluster
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// What a failover does to a CDC stream on an asynchronous cluster (PostgreSQL 15, Patroni
/// 3.0.2), as TCD208, TCD215 and the generated README state it: Patroni keeps the permanent slot
/// on every member and moves the standbys' copies to the position the leader publishes; after a
/// failover the slot is on the new leader at that position; a commit the consumer read that the
/// new leader never received is lost, and a consumer resuming from the position it confirmed on
/// the old leader skips the new leader's commits below that position. The consumer is the CDC
/// role reading the slot with pgoutput through the SQL functions (Kafka Connect is not run here);
/// resuming from a stored offset is `pg_replication_slot_advance` to it, which is what
/// `START_REPLICATION` at that position does to the commits before it. Ports 31500-31519.
final class ClusterCDCFailoverTests: XCTestCase {
    func testAsynchronousFailoverKeepsTheSlotAndSkipsReusedPositions() throws {
        try ClusterHarness.require()
        let yaml = TestTopologies.topology(name: "cdcfail", basePort: 31500, synchronous: false)
        let deployment = try ClusterHarness.up(yaml: yaml, name: "cdcfail")
        defer { checkDown(deployment) }
        let plan = deployment.plan
        let slot = try XCTUnwrap(plan.replication.slots.first)
        let publication = try XCTUnwrap(plan.replication.publications.first)
        let cluster = plan.clusters[0]
        let leader = try XCTUnwrap(deployment.view()?.leader)
        let cdcPassword = deployment.secrets.values[plan.secrets.changeDataCapture] ?? ""
        func consumer(_ port: Int) -> String {
            "host=127.0.0.1 port=\(port) dbname=\(slot.database) user=\(plan.roles.changeDataCapture) password=\(cdcPassword) connect_timeout=2 sslmode=disable"
        }
        func direct(_ port: Int, _ database: String = "postgres") -> String { deployment.direct(port: port, database: database) }
        let slotRow = "FROM pg_replication_slots WHERE slot_name = '\(slot.name)' AND slot_type = 'logical'"
        /// The Insert messages of `events` a consumer receives from the slot (and confirms).
        let inserts =
            "SELECT count(*) FROM pg_logical_slot_get_binary_changes('\(slot.name)', NULL, NULL, 'proto_version', '1', "
            + "'publication_names', '\(publication.name)') WHERE get_byte(data, 0) = 73"

        // Patroni keeps the permanent slot on the leader and copies it to both standbys.
        for member in cluster.members {
            let found = ClusterHarness.poll(seconds: 90, interval: 1) { ClusterHarness.value(direct(member.port), "SELECT 1 \(slotRow)") }
            XCTAssertNotNil(found, "the permanent slot exists on \(member.name)")
        }

        // The consumer reads five commits and confirms them (L1); Patroni moves the standbys'
        // copies there within a few loop_waits.
        _ = try ClusterHarness.rows(
            direct(leader.port, slot.database), "INSERT INTO events (event_id, body) SELECT g, 'A' FROM generate_series(1, 5) g")
        XCTAssertEqual(try ClusterHarness.rows(consumer(leader.port), inserts), [["5"]], "the consumer reads the first five commits")
        let confirmed = try XCTUnwrap(ClusterHarness.value(direct(leader.port), "SELECT confirmed_flush_lsn::text \(slotRow)"))
        let copied = Date()
        let standbys = cluster.members.filter { $0.name != leader.name }
        for standby in standbys {
            let moved = ClusterHarness.poll(seconds: 30, interval: 0.5) {
                ClusterHarness.value(direct(standby.port), "SELECT (confirmed_flush_lsn >= '\(confirmed)')::text \(slotRow)") == "true"
                    ? true : nil
            }
            XCTAssertNotNil(moved, "Patroni moves \(standby.name)'s copy of the slot to the confirmed position \(confirmed)")
        }
        let copySeconds = Date().timeIntervalSince(copied)

        // Asynchronous replication falls behind (the leader's WAL senders are stopped): the
        // consumer reads a transaction of a thousand rows (up to L2) that no standby receives.
        let senders = try ClusterHarness.rows(direct(leader.port), "SELECT pid FROM pg_stat_replication").compactMap { Int32($0[0]) }
        XCTAssertEqual(senders.count, 2, "a WAL sender per standby")
        for pid in senders { kill(pid, SIGSTOP) }
        _ = try ClusterHarness.rows(
            direct(leader.port, slot.database),
            "INSERT INTO events (event_id, body) SELECT g, repeat('C', 100) FROM generate_series(100001, 101000) g")
        XCTAssertEqual(try ClusterHarness.rows(consumer(leader.port), inserts), [["1000"]], "the consumer reads the thousand rows")
        let stored = try XCTUnwrap(ClusterHarness.value(direct(leader.port), "SELECT confirmed_flush_lsn::text \(slotRow)"))
        for standby in standbys {
            let behind = ClusterHarness.value(direct(standby.port), "SELECT (pg_last_wal_receive_lsn() < '\(stored)')::text")
            XCTAssertEqual(behind, "true", "\(standby.name) has not received what the consumer read")
        }

        // The leader dies (Patroni, the postmaster and the stopped senders).
        let member = try XCTUnwrap(deployment.state.members.first { $0.name == leader.name })
        let postmaster = try XCTUnwrap(ProcessSpawner.postmaster(of: member.dataDirectory ?? ""))
        kill(member.process.pid, SIGKILL)
        kill(postmaster.pid, SIGKILL)
        for pid in senders { kill(pid, SIGKILL) }
        let promoted = ClusterHarness.poll(seconds: 60, interval: 0.5) { () -> PatroniClusterView.Member? in
            guard let view = ClusterProbe.view(restPorts: standbys.map(\.restPort)), let next = view.leader, next.name != leader.name,
                ClusterHarness.value(direct(next.port), "SELECT pg_is_in_recovery()::text") == "false"
            else { return nil }
            return next
        }
        let newLeader = try XCTUnwrap(promoted, "a standby is promoted")

        // The slot is on the new leader, at or after L1 and before L2; the rows read after L1
        // are lost.
        let position = ClusterHarness.poll(seconds: 30, interval: 0.5) {
            ClusterHarness.value(direct(newLeader.port), "SELECT confirmed_flush_lsn::text \(slotRow)")
        }
        let resumed = try XCTUnwrap(position, "the slot exists on the new leader \(newLeader.name)")
        XCTAssertEqual(
            ClusterHarness.value(
                direct(newLeader.port), "SELECT ('\(resumed)'::pg_lsn >= '\(confirmed)' AND '\(resumed)'::pg_lsn < '\(stored)')::text"),
            "true", "the new leader's slot is between the last copied position \(confirmed) and the consumer's \(stored)")
        XCTAssertEqual(
            try ClusterHarness.rows(
                direct(newLeader.port, slot.database),
                "SELECT count(*) FILTER (WHERE event_id <= 5), count(*) FILTER (WHERE event_id > 100000) FROM events"),
            [["5", "0"]], "the first five commits survive, the thousand rows read after them are lost")
        let restPort = try XCTUnwrap(cluster.members.first { $0.name == newLeader.name }?.restPort)
        // Patroni writes the timeline history to the DCS a loop or two after the promotion.
        var history = ""
        let fork = ClusterHarness.poll(seconds: 30, interval: 1) { () -> UInt64? in
            history = LoopbackHTTP.get(port: restPort, path: "/history")?.text ?? ""
            let entries = (try? JSONSerialization.jsonObject(with: Data(history.utf8))) as? [[Any]]
            return entries?.last.flatMap { $0.count > 1 ? ($0[1] as? NSNumber)?.uint64Value : nil }
        }
        let forkLSN = try XCTUnwrap(fork, "Patroni's /history names the fork position: \(history)")
        let storedLSN = try XCTUnwrap(Self.lsn(stored))
        XCTAssertLessThan(forkLSN, storedLSN, "the consumer's stored position is beyond the fork: the README's check finds the gap")

        // The new leader's commits reuse the positions up to L2 and beyond.
        var commits: [(id: Int, end: UInt64)] = []
        let writer = try XCTUnwrap(LibPQ.shared).connect(direct(newLeader.port, slot.database))
        var id = 200_001
        while commits.count < 5 || (commits.last?.end ?? 0) <= storedLSN + 2048, commits.count < 5000 {
            _ = try writer.query("INSERT INTO events (event_id, body) VALUES (\(id), 'D')")
            let end = try XCTUnwrap(writer.value("SELECT pg_current_wal_insert_lsn()::text").flatMap(Self.lsn))
            commits.append((id, end))
            id += 1
        }
        let belowStored = commits.filter { $0.end <= storedLSN }.count
        XCTAssertGreaterThan(belowStored, 0, "some new commits land below the consumer's stored position")

        // Read from the slot's own position, every new commit is there.
        let peek =
            "SELECT count(*) FROM pg_logical_slot_peek_binary_changes('\(slot.name)', NULL, NULL, 'proto_version', '1', "
            + "'publication_names', '\(publication.name)') WHERE get_byte(data, 0) = 73"
        XCTAssertEqual(
            try ClusterHarness.rows(consumer(newLeader.port), peek), [[String(commits.count)]], "the slot holds every new commit")
        // Resumed from the position it confirmed on the old leader, the consumer skips the new
        // commits below it, without an error.
        _ = try ClusterHarness.rows(consumer(newLeader.port), "SELECT pg_replication_slot_advance('\(slot.name)', '\(stored)')")
        let delivered = try XCTUnwrap(Int(try ClusterHarness.rows(consumer(newLeader.port), inserts).first?.first ?? ""))
        XCTAssertLessThan(delivered, commits.count, "the consumer misses new commits")
        XCTAssertLessThanOrEqual(
            abs(delivered - (commits.count - belowStored)), 1, "the commits it misses are those below its stored position")
        print(
            "CLUSTER-RESULT cdc failover (asynchronous): standbys' slot copies reached the confirmed position in "
                + String(format: "%.1f", copySeconds)
                + "s; consumer confirmed \(stored) on \(leader.name), standbys had less; new leader \(newLeader.name) forked at "
                + "\(Self.text(forkLSN)), its slot at \(resumed); 1000 rows read by the consumer lost; \(commits.count) new commits, "
                + "\(belowStored) below the consumer's position: resumed from it, the consumer receives \(delivered) of \(commits.count)")
    }

    /// A `pg_lsn` text (`16/B374D848`) as a number.
    static func lsn(_ text: String) -> UInt64? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let high = UInt64(parts[0], radix: 16), let low = UInt64(parts[1], radix: 16) else { return nil }
        return high << 32 | low
    }

    /// A number as `pg_lsn` text.
    static func text(_ lsn: UInt64) -> String {
        String(lsn >> 32, radix: 16, uppercase: true) + "/" + String(lsn & 0xFFFF_FFFF, radix: 16, uppercase: true)
    }
}
