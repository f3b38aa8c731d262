import Foundation
import TopologyCompiler
import TopologyLocalCluster
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// Measurements for docs/performance-cluster.md, run on demand (TOPOC_CLUSTER_MEASURE=1):
/// time from `topoc up` to ready for one and two clusters, failover time with Patroni's default
/// timing against the tight one, and PgBouncer's overhead under `pgbench -S`.
final class ClusterMeasurementTests: XCTestCase {
    override func setUpWithError() throws {
        try ClusterHarness.require()
        guard ProcessInfo.processInfo.environment["TOPOC_CLUSTER_MEASURE"] == "1" else {
            throw XCTSkip("measurements: set TOPOC_CLUSTER_MEASURE=1")
        }
    }

    func testReadyTimeForOneAndTwoClusters() throws {
        for clusters in [["main"], ["main", "side"]] {
            let yaml = TestTopologies.topology(name: "hameasure", basePort: 32000, synchronous: true, clusters: clusters)
            let deployment = try ClusterHarness.up(yaml: yaml, name: "measure")
            print("CLUSTER-MEASURE ready \(clusters.count) cluster(s) of 3 members: \(String(format: "%.1f", deployment.readySeconds))s")
            ClusterHarness.down(deployment)
        }
    }

    func testFailoverTimeDefaultAgainstTightTiming() throws {
        for tight in [true, false] {
            let yaml = TestTopologies.topology(name: "hafail", basePort: 32100, synchronous: false, tight: tight)
            let deployment = try ClusterHarness.up(yaml: yaml, name: "failtime")
            defer { ClusterHarness.down(deployment) }
            let leader = try XCTUnwrap(deployment.view()?.leader)
            let member = try XCTUnwrap(deployment.state.members.first { $0.name == leader.name })
            let postmaster = try XCTUnwrap(ProcessSpawner.postmaster(of: member.dataDirectory ?? ""))
            let database = deployment.plan.databases[0].name
            usleep(1_000_000)
            let writer = FailoverWriter(conninfo: deployment.pgbouncer(database: database), table: "failover_probe")
            writer.start()
            _ = ClusterHarness.poll(seconds: 20) { writer.acknowledged.count >= 50 ? true : nil }
            let killed = Date()
            kill(member.process.pid, SIGKILL)
            kill(postmaster.pid, SIGKILL)
            let first = ClusterHarness.poll(seconds: 90) { writer.acknowledged.first { $0.at > killed && $0.port != leader.port } }
            writer.stop()
            let timing = deployment.plan.clusters[0].failover
            print(
                "CLUSTER-MEASURE failover (kill -9 Patroni + postmaster, ttl \(timing.ttl) / loop_wait \(timing.loopWait) / retry_timeout \(timing.retryTimeout)): "
                    + (first.map { String(format: "%.1f", $0.at.timeIntervalSince(killed)) + "s" } ?? "no new leader within 90s"))
        }
    }

    func testPgBouncerOverheadUnderPgbenchSelectOnly() throws {
        let yaml = TestTopologies.topology(name: "habench", basePort: 32200, synchronous: false)
        let deployment = try ClusterHarness.up(yaml: yaml, name: "bench")
        defer { ClusterHarness.down(deployment) }
        let leader = try XCTUnwrap(deployment.view()?.leader)
        let frontend = try XCTUnwrap(deployment.plan.pooler.frontends.first)
        let database = deployment.plan.databases[0].name
        let environment = ["PATH": "/usr/bin:/bin", "PGPASSWORD": deployment.superuserPassword, "LANG": "C.UTF-8"]
        let initialized = Subprocess.run(
            ["/usr/bin/pgbench", "-i", "-q", "-s", "10", "-h", "127.0.0.1", "-p", String(leader.port), "-U", "postgres", database],
            environment: environment, timeout: 300)
        XCTAssertEqual(initialized.status, 0, initialized.error)
        var results: [(String, Double)] = []
        for (label, port, db) in [
            ("direct to the leader", leader.port, database), ("through HAProxy rw", frontend.readWritePort, database),
            ("through PgBouncer (transaction pool) and HAProxy", deployment.plan.pooler.port, database),
        ] {
            let run = Subprocess.run(
                [
                    "/usr/bin/pgbench", "-S", "-n", "-c", "8", "-j", "2", "-T", "20", "-h", "127.0.0.1", "-p", String(port), "-U",
                    "postgres", db,
                ],
                environment: environment, timeout: 120)
            XCTAssertEqual(run.status, 0, run.error)
            let tps =
                run.output.split(separator: "\n").first { $0.hasPrefix("tps = ") }
                .flatMap { Double($0.dropFirst(6).prefix { $0 != " " }) } ?? 0
            results.append((label, tps))
            print("CLUSTER-MEASURE pgbench -S -c 8 -j 2 -T 20 \(label): \(String(format: "%.0f", tps)) tps")
        }
        if let direct = results.first?.1, direct > 0, let pooled = results.last?.1 {
            print("CLUSTER-MEASURE PgBouncer+HAProxy / direct: \(String(format: "%.2f", pooled / direct))")
        }
    }
}
