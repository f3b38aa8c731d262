import TopologyCompiler

/// The scheduled-work part of the live check: pg_cron's `cron.job` of every cluster that runs
/// pg_cron against the jobs `cron.sql` schedules (a job named the way topoc names the cluster's
/// jobs that the plan does not declare is drift too; other jobs are the operator's), and
/// pg_partman's `part_config` of every database with pg_partman tables against the plan.
struct LiveJobsCheck {
    let plan: Plan
    let locator: LiveLocator
    let target: LiveTarget

    func run() -> LiveCheckPart {
        var part = LiveCheckPart(name: "pg_cron and pg_partman")
        let shared = SharedRendering()
        let scopes = plan.databases.map { DatabaseScope(plan: plan, database: $0, shared: shared) }
        for cluster in plan.clusters where ClusterLayout.runsCron(cluster, in: plan) {
            cron(cluster, scopes: scopes, into: &part)
        }
        for database in plan.databases {
            partman(database, into: &part)
        }
        return part
    }

    /// The value of a job fact.
    static func jobValue(schedule: String, command: String, database: String, username: String, active: Bool) -> String {
        "\(schedule) in \(database) as \(username)\(active ? "" : " (inactive)"): \(command)"
    }

    private func cron(_ cluster: PlanCluster, scopes: [DatabaseScope], into part: inout LiveCheckPart) {
        let scope = LiveScope(cluster: cluster.name, database: CronDDL.cronDatabase)
        guard let connection = target.clusters[cluster.name]?.jobs else {
            part.skip(scope, "its leader is not reachable", at: locator.cluster(cluster.template))
            return
        }
        let jobs = CronDDL.jobs(cluster: cluster.name, databases: scopes)
        let named = CronDDL.namedByTopoc("jobname", databases: plan.databases.filter { $0.cluster == cluster.name }.map(\.name))
        let result = connection.query(
            database: CronDDL.cronDatabase,
            sql: "SELECT jobname, schedule, command, database, username, active::text FROM cron.job WHERE jobname IS NOT NULL AND \(named)")
        guard result.status == 0 else {
            part.skip(scope, "\(connection.label): \(LiveCatalogCheck.firstLine(result.error))", at: locator.cluster(cluster.template))
            return
        }
        let expected = jobs.map { job in
            LiveExpectation(
                LiveFact(.cronJob, scope, job.name),
                Self.jobValue(
                    schedule: job.schedule, command: job.command, database: job.database, username: job.username ?? ClusterLayout.superuser,
                    active: true),
                at: location(of: job))
        }
        let observed = result.rows.filter { $0.count == 6 }.map { row in
            LiveObservation(
                LiveFact(.cronJob, scope, row[0]),
                Self.jobValue(schedule: row[1], command: row[2], database: row[3], username: row[4], active: row[5] == "true"))
        }
        part.compare(expected, observed, scopes: [scope], extras: [.cronJob]) { _ in locator.cluster(cluster.template) }
    }

    /// A job's declaration: the view whose refresh it runs, or the pg_partman table's partitioning.
    private func location(of job: CronDDL.Job) -> SourceLocation {
        if let view = plan.views.first(where: { job.name.hasSuffix(".refresh_\($0.name)") }) { return locator.refresh(view: view.name) }
        let partitioned = plan.tables.first { $0.schema.partitioning?.partmanPremake != nil }
        return partitioned.map { locator.partitioning($0.name) } ?? locator.whole
    }

    /// The value of a part_config fact.
    static func partmanValue(premake: String, retention: String) -> String {
        "premake \(premake), retention \(retention.isEmpty ? "none" : retention)"
    }

    private func partman(_ database: PlanDatabase, into part: inout LiveCheckPart) {
        let layout = LiveDatabaseLayout(plan: plan, database: database)
        var expected: [LiveExpectation] = []
        let scope = LiveScope(cluster: database.cluster, database: database.name)
        for schema in layout.schemas {
            for table in schema.tables {
                guard let partitioning = table.partitioning, let premake = partitioning.partmanPremake,
                    partitioning.method == .range, partitioning.interval != nil,
                    !table.partitions.contains(where: { $0.kind == .range && $0.to == nil })
                else { continue }
                expected.append(
                    LiveExpectation(
                        LiveFact(.partmanConfig, scope, "\(schema.schema).\(table.name)"),
                        Self.partmanValue(premake: String(premake), retention: partitioning.partmanRetention ?? ""),
                        at: locator.partitioning(table.source.name)))
            }
        }
        guard !expected.isEmpty else { return }
        guard let connection = target.clusters[database.cluster]?.jobs else {
            part.skip(scope, "its cluster's leader is not reachable", at: expected[0].location)
            return
        }
        let result = connection.query(
            database: database.name, sql: "SELECT parent_table, premake::text, coalesce(retention, '') FROM partman.part_config")
        guard result.status == 0 else {
            part.skip(scope, "\(connection.label): \(LiveCatalogCheck.firstLine(result.error))", at: expected[0].location)
            return
        }
        let observed = result.rows.filter { $0.count == 3 }.map {
            LiveObservation(LiveFact(.partmanConfig, scope, $0[0]), Self.partmanValue(premake: $0[1], retention: $0[2]))
        }
        part.compare(expected, observed, scopes: [scope]) { _ in expected[0].location }
    }
}
