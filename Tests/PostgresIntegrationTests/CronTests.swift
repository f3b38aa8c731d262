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
            while true {
                status =
                    try await psql.check(
                        "SELECT status || ':' || coalesce(return_message, '') FROM cron.job_run_details WHERE jobid = \(job) AND status IN ('succeeded', 'failed') ORDER BY runid DESC LIMIT 1",
                        database: "postgres"
                    ).lines.first ?? ""
                if !status.isEmpty || clock.now >= deadline { break }
                try await Task.sleep(for: .seconds(2))
            }
            #expect(status.hasPrefix("succeeded"), "job run: \(status)")
        }
    }
}

extension CronTests {
    /// A migration whose topology drops a refresh schedule: its cron.sql, run twice on the old
    /// deployment's server, unschedules that job and leaves the others (pg_partman's, and jobs
    /// an operator added, even one named after the database) as they were. On
    /// `primary-replicas.yaml` the cluster is left without jobs and the script only unschedules.
    @Test(
        "a migration's cron.sql unschedules a dropped schedule's job and nothing else", .serialized,
        arguments: ["timeseries-range.yaml", "primary-replicas.yaml"])
    func migrationUnschedules(_ example: String) async throws {
        guard let port = PostgresServer.requirePort(), let original = try TestPlans.plan(example: example) else { return }
        let text = try String(contentsOf: TestPlans.repository.appendingPathComponent("examples/\(example)"), encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.contains("refresh: { schedule:") })
        let changed = try #require(TestPlans.plan(yaml: text.replacingOccurrences(of: line + "\n", with: "")))
        try await Deployment.with(original, port: port) { deployment in
            guard let database = deployment.plan.databases.first(where: { $0.kind != .vertical }),
                try await deployment.deploy(database)
            else { return }
            let psql = deployment.psql
            let file = try deployment.scratchCopy(of: "sql/\(database.cluster)/cron.sql")
            defer { try? FileManager.default.removeItem(at: file) }
            let first = try await CronGate.shared.run { try await psql.run(file: file, database: "postgres") }
            #expect(first.status == 0 && first.stderr.isEmpty, "\(first.stderr)")
            // The operator's jobs: not named the way topoc names its own.
            let operatorJobs = [
                "\(database.name).nightly_report", "\(database.name)_archive.refresh_old", "\(database.name).a.b.refresh_c",
            ]
            for job in operatorJobs {
                try await psql.check("SELECT cron.schedule(\(literal(job)), '@daily', 'SELECT 1')", database: "postgres")
            }
            func jobs() async throws -> [String] { try await Self.jobs(of: deployment) }
            let before = try await jobs()
            let dropped = before.filter { $0.hasPrefix("\(database.name).refresh_") }
            #expect(dropped.count == 1, "\(before)")

            let new = TestPlans.renamed(changed, suffix: deployment.suffix)
            let migration = MigrationArtifacts.artifacts(old: deployment.plan, new: new, allowDestructive: false)
            let cron = try #require(migration.first { $0.path == "sql/\(database.cluster)/cron.sql" })
            let migrated = PSQL.scratchFile("sql")
            defer { try? FileManager.default.removeItem(at: migrated) }
            try Data(cron.contents).write(to: migrated)
            for _ in 0..<2 {
                let output = try await CronGate.shared.run { try await psql.run(file: migrated, database: "postgres") }
                #expect(output.status == 0 && output.stderr.isEmpty, "\(output.stderr)")
            }
            #expect(try await jobs() == before.filter { !dropped.contains($0) }, "before: \(before)")
        }
    }

    /// The pg_cron jobs of a deployment's databases (named with its suffix), sorted.
    static func jobs(of deployment: Deployment) async throws -> [String] {
        try await deployment.psql.check(
            "SELECT jobname FROM cron.job WHERE jobname LIKE \(literal("%\(deployment.suffix)%")) ORDER BY jobname",
            database: "postgres"
        ).lines
    }

    /// Polls `condition` every 100 ms for up to 10 s.
    static func poll(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<100 {
            if try await condition() { return true }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        return false
    }

    /// A tenant's database that leaves a database-per-tenant plan, with a scheduled refresh in
    /// every tenant database: the migration's cron.sql unschedules the dropped database's job
    /// (an operator's job named after that database stays), and drop.sql drops the database (past
    /// a logical slot in it and a session connected to it) and the tenant's role, the other
    /// tenants untouched; both scripts run twice.
    @Test("a dropped tenant database's job, database and role go; the rest stays")
    func droppedTenantDatabase() async throws {
        guard let port = PostgresServer.requirePort() else { return }
        let view = """
            views:
              patient_count:
                materialized: true
                query: SELECT count(*) AS patients FROM patients
                refresh: { schedule: "@hourly" }

            cdc:

            """
        let text = try String(
            contentsOf: TestPlans.repository.appendingPathComponent("examples/saas-database-per-tenant.yaml"), encoding: .utf8
        ).replacingOccurrences(of: "cdc:\n", with: view)
        let tenants = "tenants: [northside, riverside, lakeview]"
        #expect(text.contains(tenants) && text.contains("patient_count"))
        let original = try #require(TestPlans.plan(yaml: text))
        let changed = try #require(TestPlans.plan(yaml: text.replacingOccurrences(of: tenants, with: "tenants: [northside, lakeview]")))
        try await Deployment.with(original, port: port) { deployment in
            for database in deployment.plan.databases {
                guard try await deployment.deploy(database) else { return }
            }
            let psql = deployment.psql
            let tenant = try #require(deployment.plan.tenancy?.tenants.first { $0.name == "riverside" })
            let gone = try #require(tenant.database)
            let role = try #require(tenant.role)
            let cluster = try #require(deployment.plan.databases.first?.cluster)
            let file = try deployment.scratchCopy(of: "sql/\(cluster)/cron.sql")
            defer { try? FileManager.default.removeItem(at: file) }
            let first = try await CronGate.shared.run { try await psql.run(file: file, database: "postgres") }
            #expect(first.status == 0 && first.stderr.isEmpty, "\(first.stderr)")
            try await psql.check("SELECT cron.schedule(\(literal("\(gone).nightly_report")), '@daily', 'SELECT 1')", database: "postgres")
            func jobs() async throws -> [String] { try await Self.jobs(of: deployment) }
            let before = try await jobs()
            #expect(before.contains("\(gone).refresh_patient_count"), "\(before)")
            #expect(before.filter { $0.hasSuffix(".refresh_patient_count") }.count == 3, "one refresh per tenant: \(before)")

            // What drop.sql must get past: a logical slot in the database (DROP DATABASE refuses to
            // leave one) and a session connected to it (WITH (FORCE) ends it).
            try await psql.check(
                "SELECT 1 FROM pg_create_logical_replication_slot(\(literal("\(gone)_leftover")), 'pgoutput')", database: gone)
            let session = Task { try await psql.sql("SELECT pg_sleep(120)", database: gone, user: role) }
            let connected = try await Self.poll {
                try await psql.check("SELECT count(*) FROM pg_stat_activity WHERE datname = \(literal(gone))", database: "postgres")
                    .lines == ["1"]
            }
            #expect(connected, "a session is connected to \(gone)")

            let new = TestPlans.renamed(changed, suffix: deployment.suffix)
            let migration = MigrationArtifacts.artifacts(old: deployment.plan, new: new, allowDestructive: true)
            for path in ["sql/\(cluster)/cron.sql", MigrationArtifacts.dropPath(cluster)] {
                let artifact = try #require(migration.first { $0.path == path }, "\(migration.map(\.path))")
                let script = PSQL.scratchFile("sql")
                defer { try? FileManager.default.removeItem(at: script) }
                try Data(artifact.contents).write(to: script)
                for _ in 0..<2 {
                    let output = try await CronGate.shared.run { try await psql.run(file: script, database: "postgres") }
                    #expect(output.status == 0 && output.stderr.isEmpty, "\(path): \(output.stderr)")
                }
            }
            #expect(try await jobs() == before.filter { $0 != "\(gone).refresh_patient_count" }, "before: \(before)")
            let ended = try await session.value
            #expect(ended.status != 0, "the session was ended by DROP DATABASE ... WITH (FORCE): \(ended.stderr)")
            let slots = try await psql.check(
                "SELECT count(*) FROM pg_replication_slots WHERE database = \(literal(gone))", database: "postgres")
            #expect(slots.lines == ["0"], "the database's slot")
            let databases = try await psql.check(
                "SELECT datname FROM pg_database WHERE datname LIKE \(literal("%\(deployment.suffix)%")) ORDER BY datname",
                database: "postgres"
            ).lines
            #expect(databases == new.databases.map(\.name).sorted())
            let roles = try await psql.check("SELECT count(*) FROM pg_roles WHERE rolname = \(literal(role))", database: "postgres").lines
            #expect(roles == ["0"], "the dropped tenant's role")
            let kept = try #require(new.tenancy?.tenants.first { $0.name == "lakeview" }?.role)
            let others = try await psql.check("SELECT count(*) FROM pg_roles WHERE rolname = \(literal(kept))", database: "postgres").lines
            #expect(others == ["1"], "another tenant's role")
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
