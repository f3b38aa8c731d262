import Foundation
import TopologyCompiler
import XCTest

/// pg_cron under `topoc up`: Patroni preloads pg_cron with `cron.database_name = postgres` and
/// background workers, `cron.sql` schedules the refresh, and the job really runs, as the writer
/// role, in its database, through the SECURITY DEFINER refresh function (issue 12, item 1).
final class ClusterCronTests: XCTestCase {
    func testAScheduledRefreshRunsOnTheLocalCluster() throws {
        try ClusterHarness.require()
        let deployment = try ClusterHarness.up(yaml: TestTopologies.scheduled(name: "cronrun", basePort: 31400), name: "cron")
        defer { checkDown(deployment) }
        let database = deployment.plan.databases[0].name
        let leader = try XCTUnwrap(deployment.view()?.leader)
        let cron = deployment.direct(port: leader.port, database: "postgres")
        let settings = try ClusterHarness.rows(
            cron, "SELECT current_setting('cron.database_name'), current_setting('cron.use_background_workers')")
        XCTAssertEqual(settings, [["postgres", "on"]], "Patroni set pg_cron up for cron.sql")

        // A row to count, written through PgBouncer as the application role.
        _ = try ClusterHarness.rows(deployment.pgbouncer(database: database), "INSERT INTO readings VALUES (1, 42)")
        let job = "\(database).refresh_reading_totals"
        let jobs = try ClusterHarness.rows(
            cron, "SELECT username, database, schedule FROM cron.job WHERE jobname = '\(job)'")
        XCTAssertEqual(jobs, [[deployment.plan.roles.application, database, "* * * * *"]], "cron.sql scheduled the job as the writer role")

        let started = Date()
        let run = ClusterHarness.poll(seconds: 80, interval: 2) { () -> [[String]]? in
            let rows = try? ClusterHarness.rows(
                cron,
                "SELECT d.status, coalesce(d.return_message, '') FROM cron.job_run_details d JOIN cron.job j USING (jobid) WHERE j.jobname = '\(job)' ORDER BY d.runid DESC LIMIT 1"
            )
            return rows?.isEmpty == false && rows?[0][0] != "running" && rows?[0][0] != "starting" ? rows : nil
        }
        XCTAssertEqual(run?.first?.first, "succeeded", "the refresh job ran: \(String(describing: run))")
        let counted = try ClusterHarness.rows(deployment.pgbouncer(database: database), "SELECT readings::text FROM reading_totals")
        XCTAssertEqual(counted, [["1"]], "the materialized view holds the row written before the job ran")
        print(
            "CLUSTER-RESULT cron: \(job) ran under topoc up (\(run?.first?.first ?? "no run")) \(Int(Date().timeIntervalSince(started)))s after scheduling; the view counts the row"
        )
    }
}
