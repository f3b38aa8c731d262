import Foundation
import Testing
import TopologyCompiler

/// cron.sql schedules the refresh and pg_partman jobs in the cron database, once however often
/// it runs, and the jobs run in their databases through background workers.
@Suite("pg_cron jobs", .enabled(if: PostgresServer.shouldRun, PostgresServer.skipReason))
struct CronTests {
    @Test("cron.sql schedules each job once, in its database", .serialized, arguments: ["ecommerce.yaml", "timeseries-range.yaml"])
    func schedules(_ example: String) async throws {
        guard let port = PostgresServer.requirePort(), let plan = try TestPlans.plan(example: example) else { return }
        try await Deployment.with(plan, port: port) { deployment in
            guard let database = deployment.plan.databases.first, try await deployment.deploy(database) else { return }
            let psql = deployment.psql
            let file = try deployment.scratchCopy(of: "sql/\(database.cluster)/cron.sql")
            defer { try? FileManager.default.removeItem(at: file) }
            for _ in 0..<2 {
                let output = try await CronGate.shared.run { try await psql.run(file: file, database: "postgres") }
                #expect(output.status == 0 && output.stderr.isEmpty, "\(output.stderr)")
            }
            let jobs = try await psql.check(
                "SELECT jobname, schedule, database, active FROM cron.job WHERE database = \(literal(database.name)) ORDER BY jobname",
                database: "postgres"
            ).rows
            var expected: [[String]] = []
            for view in deployment.plan.views where view.materialized && view.databases.contains(database.name) {
                if let schedule = view.refreshSchedule {
                    expected.append(["\(database.name).refresh_\(view.name)", schedule, database.name, "t"])
                }
            }
            if deployment.plan.tables.contains(where: { $0.schema.partitioning?.partmanPremake != nil }) {
                expected.append(["\(database.name).partman_maintenance", "@hourly", database.name, "t"])
            }
            #expect(jobs == expected.sorted { $0[0] < $1[0] })
            let commands = try await psql.check(
                "SELECT command FROM cron.job WHERE database = \(literal(database.name)) ORDER BY jobname", database: "postgres")
            for command in commands.lines {
                try await psql.check(command, database: database.name)
            }
        }
    }

    @Test("a scheduled refresh really runs in its database (cron.use_background_workers)")
    func jobRuns() async throws {
        guard let port = PostgresServer.requirePort(), let plan = try TestPlans.plan(example: "primary-replicas.yaml") else {
            return
        }
        try await Deployment.with(plan, port: port) { deployment in
            guard let database = deployment.plan.databases.first(where: { $0.kind == .main }), try await deployment.deploy(database)
            else { return }
            let psql = deployment.psql
            let file = try deployment.scratchCopy(of: "sql/\(database.cluster)/cron.sql")
            defer { try? FileManager.default.removeItem(at: file) }
            let output = try await CronGate.shared.run { try await psql.run(file: file, database: "postgres") }
            #expect(output.status == 0 && output.stderr.isEmpty, "\(output.stderr)")
            let job =
                try await psql.check(
                    """
                    SELECT jobid FROM cron.job WHERE jobname = \(literal("\(database.name).refresh_popular_articles"));
                    SELECT cron.alter_job(jobid, schedule := '* * * * *') FROM cron.job WHERE jobname = \(literal("\(database.name).refresh_popular_articles"));
                    """, database: "postgres"
                ).lines.first ?? "0"
            var status = ""
            let clock = ContinuousClock()
            // Two schedule ticks plus slack: on a loaded machine (the whole suite runs in parallel)
            // pg_cron's minute tick and its background worker can each start late (one CI run saw
            // no finished run within 75 s).
            let deadline = clock.now + .seconds(150)
            while clock.now < deadline {
                status =
                    try await psql.check(
                        "SELECT status || ':' || coalesce(return_message, '') FROM cron.job_run_details WHERE jobid = \(job) AND status IN ('succeeded', 'failed') ORDER BY runid DESC LIMIT 1",
                        database: "postgres"
                    ).lines.first ?? ""
                if !status.isEmpty { break }
                try await Task.sleep(for: .seconds(2))
            }
            #expect(status.hasPrefix("succeeded"), "job run: \(status)")
        }
    }
}

/// Runs one cron.sql at a time: two concurrent first `CREATE EXTENSION pg_cron` would race.
actor CronGate {
    static let shared = CronGate()
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        }
        busy = true
        defer {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
        return try await body()
    }
}
