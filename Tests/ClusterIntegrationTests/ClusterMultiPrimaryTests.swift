import Foundation
import TopologyCompiler
import TopologyLocalCluster
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// A multi-primary group run by `topoc up`: two Patroni clusters of PostgreSQL 16 (the binaries of
/// `TOPOC_PG16_BIN`, through `deployment.local.postgres_bin`), each subscribed to the other through
/// its HAProxy frontend. Writes on either side reach the other, and they keep doing so after one
/// side's leader is killed: the subscriptions' slots are Patroni's permanent slots and their
/// connections follow the leader. Then the regions are partitioned and each keeps its primary.
final class ClusterMultiPrimaryTests: XCTestCase {
    func testMultiPrimaryGroupReplicatesBothWaysAcrossAFailover() throws {
        try ClusterHarness.require()
        guard let bin = ProcessInfo.processInfo.environment["TOPOC_PG16_BIN"] else {
            if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail("TOPOC_PG16_BIN is not set (scripts/pg16.sh)") }
            throw XCTSkip("TOPOC_PG16_BIN is not set (scripts/pg16.sh prepares PostgreSQL 16)")
        }
        let deployment = try ClusterHarness.up(
            yaml: TestTopologies.multiPrimary(name: "mpcluster", basePort: 31300, bin: bin), name: "multiprimary")
        defer { checkDown(deployment) }
        let group = try XCTUnwrap(deployment.plan.multiPrimaryGroups.first)
        let pools = Dictionary(
            uniqueKeysWithValues: PgBouncerPool.pools(of: deployment.plan).filter { !$0.readOnly && $0.database == group.database }.map {
                ($0.cluster, $0.name)
            })
        XCTAssertEqual(Set(pools.keys), Set(group.clusters))
        func write(_ cluster: String, _ sql: String) throws {
            _ = try ClusterHarness.rows(deployment.pgbouncer(database: pools[cluster] ?? ""), sql)
        }
        func read(_ cluster: String, _ sql: String) -> String? {
            ClusterHarness.value(deployment.pgbouncer(database: pools[cluster] ?? ""), sql)
        }
        func converged(_ expected: String, seconds: Double = 30) -> Bool {
            ClusterHarness.poll(seconds: seconds) {
                group.clusters.allSatisfy { read($0, "SELECT count(*) FROM notes") == expected } ? true : nil
            } != nil
        }

        try write("east", "INSERT INTO notes (note_id, body) SELECT g, 'east' FROM generate_series(1, 100) g")
        try write("west", "INSERT INTO notes (note_id, body) SELECT g, 'west' FROM generate_series(101, 200) g")
        XCTAssertTrue(
            converged("200"),
            "both clusters hold each other's rows: \(group.clusters.map { read($0, "SELECT count(*) FROM notes") ?? "?" })")
        let status = ClusterHarness.status(deployment)
        for link in group.links {
            XCTAssertTrue(
                status.output.contains("subscription \(link.subscription): running"),
                "topoc status shows \(link.subscription):\n\(status.output)")
        }

        // Kill east's leader (Patroni and postmaster); a replica takes over.
        let east = try XCTUnwrap(deployment.plan.clusters.first { $0.name == "east" })
        let leader = try XCTUnwrap(deployment.view(east)?.leader)
        let member = try XCTUnwrap(deployment.state.members.first { $0.name == leader.name })
        let postmaster = try XCTUnwrap(ProcessSpawner.postmaster(of: member.dataDirectory ?? ""))
        kill(member.process.pid, SIGKILL)
        kill(postmaster.pid, SIGKILL)
        let newLeader = ClusterHarness.poll(seconds: 60) { () -> PatroniClusterView.Member? in
            guard let next = ClusterProbe.view(restPorts: east.members.filter { $0.name != leader.name }.map(\.restPort))?.leader,
                next.name != leader.name
            else { return nil }
            return next
        }
        XCTAssertNotNil(newLeader, "east elects a new leader")
        let accepted = ClusterHarness.poll(seconds: 30) {
            (try? write("east", "INSERT INTO notes VALUES (201, 'east after failover')")).map { true }
        }
        XCTAssertNotNil(accepted, "east's new leader takes writes through PgBouncer")
        try write("west", "INSERT INTO notes VALUES (202, 'west after failover')")
        // The peer's apply worker retries every wal_retrieve_retry_interval (5 s) while east has no
        // leader, but PostgreSQL 16's launcher can miss the exit of a worker that fails at once and
        // then sleeps its full cycle (three minutes): seen in CI, retries at 5 s intervals, then
        // 180 s of nothing. Hence 200 s here as after the partition.
        XCTAssertTrue(
            converged("202", seconds: 200),
            "after the failover both directions run: \(group.clusters.map { read($0, "SELECT count(*) FROM notes") ?? "?" })")
        for cluster in group.clusters {
            XCTAssertEqual(
                read(cluster, "SELECT string_agg(body, ',' ORDER BY note_id) FROM notes WHERE note_id > 200"),
                "east after failover,west after failover")
        }
        // Then the regions are partitioned (ClusterMultiPrimaryTests+Partition.swift).
        try checkPartitionKeepsBothPrimaries(deployment, group: group, write: write, read: read)
        print(
            "CLUSTER-RESULT multi-primary: east and west (PostgreSQL 16) converged on 202 rows across a failover of east (\(leader.name) -> \(newLeader?.name ?? "none"))"
        )
    }
}
