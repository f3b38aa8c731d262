import Foundation
import TopologyCompiler
import XCTest

/// pg_cron under `topoc up` of `examples/timeseries-range.yaml`, the example with both kinds of
/// scheduled job (a materialized-view refresh and pg_partman's maintenance) on four shard
/// clusters: Patroni preloads pg_cron with `cron.database_name = postgres` and background
/// workers, `cron.sql` schedules the jobs, and every job really runs on every cluster, the
/// refresh as the writer role through its SECURITY DEFINER function (issue 12, item 1).
final class ClusterCronTests: XCTestCase {
    /// The example's own ports moved to this suite's base (31400 + TOPOC_TEST_PORT_OFFSET).
    static let basePort = 31400 + ClusterHarness.portOffset

    func testEveryScheduledJobOfTheTimeseriesExampleRunsOnEveryCluster() throws {
        try ClusterHarness.require()
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/timeseries-range.yaml")
        let source = try String(contentsOf: example, encoding: .utf8)
        XCTAssertTrue(source.contains("base_port: 26800"), "the example's local port base moved; update this test")
        let yaml = source.replacingOccurrences(of: "base_port: 26800", with: "base_port: \(Self.basePort)")
        Self.waitPastTheHourIfClose()
        let deployment = try ClusterHarness.up(yaml: yaml, name: "cron")
        defer { checkDown(deployment) }
        XCTAssertGreaterThan(deployment.plan.clusters.count, 1, "the example is sharded over several clusters")

        var checks: [(cluster: PlanCluster, database: String, cron: String, data: String, dropped: String, expired: Int)] = []
        for cluster in deployment.plan.clusters {
            let database = try XCTUnwrap(deployment.plan.databases.first { $0.cluster == cluster.name }).name
            let leader = try XCTUnwrap(deployment.view(cluster)?.leader, "\(cluster.name) has a leader")
            let cron = deployment.direct(port: leader.port, database: "postgres")
            let data = deployment.direct(port: leader.port, database: database)
            let settings = try ClusterHarness.rows(
                cron, "SELECT current_setting('cron.database_name'), current_setting('cron.use_background_workers')")
            XCTAssertEqual(settings, [["postgres", "on"]], "Patroni set pg_cron up for cron.sql on \(cluster.name)")
            let jobs = try ClusterHarness.rows(cron, "SELECT jobname, username, database, schedule FROM cron.job ORDER BY jobname")
            XCTAssertEqual(
                jobs,
                [
                    ["\(database).partman_maintenance", "postgres", database, "@hourly"],
                    ["\(database).refresh_device_last_day", deployment.plan.roles.application, database, "@hourly"],
                ], "cron.sql scheduled both jobs of \(cluster.name), the refresh as the writer role")

            // Evidence for each job: a reading the refreshed view must count, the newest
            // premade partition dropped (maintenance premakes past the newest again) and the partitions past
            // the 90-day retention (maintenance drops them).
            _ = try ClusterHarness.rows(
                deployment.pgbouncer(database: database),
                "INSERT INTO metric_types VALUES (1, 'temperature', 'C') ON CONFLICT DO NOTHING; "
                    + "INSERT INTO readings VALUES (\(cluster.shard ?? 0) * 250000 + 1, now(), 1, 21.5)")
            let newest = try XCTUnwrap(
                ClusterHarness.rows(
                    data,
                    Self.newestPartition
                ).first?.first)
            _ = try ClusterHarness.rows(data, "DROP TABLE public.\"\(newest)\"")
            let expired = try ClusterHarness.rows(data, Self.expiredPartitions)
            XCTAssertGreaterThan(Int(expired.first?.first ?? "") ?? 0, 0, "the example's static partitions include expired ones")
            // Every minute instead of hourly, so the test sees the jobs run.
            _ = try ClusterHarness.rows(cron, "SELECT cron.alter_job(jobid, schedule := '* * * * *') FROM cron.job")
            checks.append((cluster, database, cron, data, newest, Int(expired.first?.first ?? "") ?? 0))
        }

        let started = Date()
        for check in checks {
            let runs = ClusterHarness.poll(seconds: 130, interval: 2) { () -> [[String]]? in
                let rows = try? ClusterHarness.rows(
                    check.cron,
                    "SELECT DISTINCT ON (j.jobname) j.jobname, d.status, coalesce(d.return_message, '') "
                        + "FROM cron.job j JOIN cron.job_run_details d USING (jobid) "
                        + "WHERE d.status NOT IN ('starting', 'running') ORDER BY j.jobname, d.runid DESC")
                return rows?.count == 2 ? rows : nil
            }
            XCTAssertEqual(
                runs?.map { $0[1] }, ["succeeded", "succeeded"], "both jobs of \(check.cluster.name) ran: \(String(describing: runs))")
            let data = check.data
            // pg_partman premakes past the newest partition (it does not fill gaps), so the newest
            // one is again at least as late as the dropped one.
            let newest = try ClusterHarness.rows(data, Self.newestPartition).first?.first ?? ""
            XCTAssertGreaterThanOrEqual(newest, check.dropped, "pg_partman's maintenance premade partitions again on \(check.cluster.name)")
            XCTAssertEqual(try ClusterHarness.rows(data, Self.expiredPartitions), [["0"]], "maintenance dropped the expired partitions")
            let counted = try ClusterHarness.rows(
                deployment.pgbouncer(database: check.database), "SELECT count(*)::text FROM device_last_day")
            XCTAssertEqual(counted, [["1"]], "the refreshed view of \(check.cluster.name) holds the reading written before the job ran")
        }
        print(
            "CLUSTER-RESULT cron: timeseries-range under topoc up: \(checks.count * 2) jobs on \(checks.count) clusters ran "
                + "(refresh counted the reading; maintenance premade the dropped partition and dropped "
                + "\(checks.map(\.expired).reduce(0, +)) expired ones) within \(Int(Date().timeIntervalSince(started)))s of scheduling")
    }

    /// Waits until just past the next full hour (UTC, pg_cron's default `cron.timezone`) when it
    /// is less than three minutes away. The example's jobs are `@hourly`: one that fires between
    /// `topoc up` and the switch to every minute below runs maintenance before the evidence is
    /// set up (a run started at 15:59:09 found no expired partition left, and the partition it
    /// then dropped was not premade again). Costs at most three minutes, in one run of twenty.
    static func waitPastTheHourIfClose() {
        let intoTheHour = Date().timeIntervalSince1970.truncatingRemainder(dividingBy: 3600)
        let untilTheHour = 3600 - intoTheHour
        guard untilTheHour < 180 else { return }
        print("ClusterCronTests: the example's @hourly jobs fire in \(Int(untilTheHour)) s; waiting past the hour")
        Thread.sleep(forTimeInterval: untilTheHour + 10)
    }

    /// The newest daily partition of `readings` (names sort by date).
    static let newestPartition = """
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'public.readings'::regclass AND c.relname ~ '^readings_p[0-9]{8}$'
        ORDER BY c.relname DESC LIMIT 1
        """

    /// The number of `readings` partitions wholly older than the example's 90-day retention.
    static let expiredPartitions = """
        SELECT count(*)::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'public.readings'::regclass AND c.relname ~ '^readings_p[0-9]{8}$'
          AND to_date(substr(c.relname, 11), 'YYYYMMDD') < current_date - 91
        """
}
