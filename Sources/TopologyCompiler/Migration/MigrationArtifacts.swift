/// `topoc migrate`: the files that carry a change set out. Per database `sql/<cluster>/<database>.sql`
/// (ledger-guarded steps), `sql/<cluster>/create-databases.sql` where a cluster gets databases,
/// Patroni's dynamic configuration patch per changed cluster, PgBouncer's configuration with the
/// `RELOAD` it needs, `changes.json` (the change set with both plans' hashes) and `MIGRATION.md`
/// (the order to apply them in).
public enum MigrationArtifacts {
    /// The saved change set's path.
    public static let changesPath = "changes.json"
    /// The producer name in the output manifest.
    static let producer = "migrate"

    /// Every file of the migration from `old` to `new`. Destructive steps are written only when
    /// `allowDestructive` is set.
    public static func artifacts(old: Plan, new: Plan, allowDestructive: Bool) -> [Artifact] {
        let diff = PlanDiff(old: old, new: new)
        let changes = diff.changeSet()
        var artifacts: [Artifact] = []
        var order: [String] = []
        let created = Set(PostgresBackend().artifacts(for: new).map(\.path))
        let newDatabases = Set(
            new.databases.filter { database in
                !old.databases.contains { $0.name == database.name && $0.cluster == database.cluster }
            }.map(\.cluster))
        for cluster in newDatabases.sorted() {
            let path = PostgresBackend.createDatabasesPath(cluster)
            if created.contains(path), let file = PostgresBackend().artifacts(for: new).first(where: { $0.path == path }) {
                artifacts.append(Artifact(path: path, contents: file.contents, producer: producer))
                order.append("psql -X -v ON_ERROR_STOP=1 -d postgres -f \(path)   (on cluster \(cluster)'s leader)")
            }
        }
        for migration in diff.databaseMigrations() {
            let steps = MigrationScript.numbered(migration.steps(allowDestructive: allowDestructive))
            guard !steps.isEmpty else { continue }
            let path = MigrationScript.path(migration.new.database)
            artifacts.append(
                Artifact(
                    path: path,
                    contents: MigrationScript.render(
                        migration: migration, steps: steps, from: changes.oldPlanSHA256, to: changes.newPlanSHA256),
                    producer: producer))
            order.append(
                "psql -X -v ON_ERROR_STOP=1 -d \(migration.new.database.name) -f \(path)   (on cluster \(migration.new.cluster)'s leader, \(steps.count) steps)"
            )
        }
        for cluster in new.clusters {
            guard let before = old.clusters.first(where: { $0.name == cluster.name }),
                PatroniDynamicConfig.json(cluster: before, plan: old) != PatroniDynamicConfig.json(cluster: cluster, plan: new)
            else { continue }
            artifacts += PatroniPatch.artifacts(before: before, after: cluster, old: old, new: new)
            order.append(
                "patronictl -c <member>.yml edit-config --apply \(PatroniPatch.yamlPath(cluster.name)) --force \(cluster.name)   (restart: \(PatroniPatch.restartSettings(before: before, after: cluster, old: old, new: new).joined(separator: ", ").nonEmpty ?? "none"))"
            )
        }
        // After Patroni's change: a first job needs pg_cron in shared_preload_libraries (a restart).
        for cron in cronScripts(old: old, new: new) {
            artifacts.append(Artifact(path: cron.path, contents: cron.contents, producer: producer))
            order.append(
                "psql -X -v ON_ERROR_STOP=1 -d \(CronDDL.cronDatabase) -f \(cron.path)   (on cluster \(cron.cluster)'s leader, after its Patroni change: the pg_cron jobs as declared, stale ones unscheduled)"
            )
        }
        if PgBouncerConfig.text(plan: old) != PgBouncerConfig.text(plan: new)
            || PgBouncerHBA.text(plan: old) != PgBouncerHBA.text(plan: new)
        {
            artifacts.append(Artifact(path: "pgbouncer/pgbouncer.ini", contents: PgBouncerConfig.text(plan: new), producer: producer))
            artifacts.append(Artifact(path: "pgbouncer/pg_hba.conf", contents: PgBouncerHBA.text(plan: new), producer: producer))
            artifacts.append(
                Artifact(
                    path: "pgbouncer/reload.sql",
                    contents:
                        "-- Run on PgBouncer's admin console after installing pgbouncer.ini and pg_hba.conf:\n--   psql -X -h \(new.pooler.host) -p \(new.pooler.port) -U \(new.roles.poolerAdmin) -d pgbouncer -f pgbouncer/reload.sql\nRELOAD;\n",
                    producer: producer))
            order.append("install pgbouncer/pgbouncer.ini and pgbouncer/pg_hba.conf, then RELOAD (pgbouncer/reload.sql)")
        }
        artifacts.append(Artifact(path: changesPath, contents: DeterministicJSON.text(changes), producer: producer))
        artifacts.append(Artifact(path: "MIGRATION.md", contents: readme(changes, order: order), producer: producer))
        return artifacts
    }

    /// `cron.sql` of each cluster whose pg_cron jobs change, from NEW (run after the databases'
    /// scripts, which create the functions the jobs call, and after Patroni's restart, which
    /// loads pg_cron where the cluster had no job before): it schedules the new jobs, alters the
    /// changed ones and unschedules those of dropped views. A cluster left without jobs gets a
    /// script that only unschedules.
    package static func cronScripts(old: Plan, new: Plan) -> [CronScript] {
        let shared = SharedRendering()
        let scopes = new.databases.map { DatabaseScope(plan: new, database: $0, shared: shared) }
        var scripts: [CronScript] = []
        for cluster in PostgresBackend.clusters(of: scopes) {
            guard CronDDL.jobs(cluster: cluster, in: old) != CronDDL.jobs(cluster: cluster, in: new),
                let contents = CronDDL.render(cluster: cluster, databases: scopes, plan: new, evenWithoutJobs: true)
            else { continue }
            scripts.append(
                CronScript(
                    cluster: cluster, path: "sql/\(cluster)/\(CronDDL.fileName(cluster: cluster, databases: scopes))",
                    contents: contents))
        }
        return scripts
    }

    /// A cluster's `cron.sql` in a migration.
    package struct CronScript {
        /// The cluster whose leader runs it.
        package var cluster: String
        /// Its path in the output folder.
        package var path: String
        /// The script.
        var contents: String
    }

    /// The order of application, for the operator.
    static func readme(_ changes: ChangeSet, order: [String]) -> String {
        var text = """
            # Migration

            Generated by topoc \(TopocVersion.current). From plan `\(changes.oldPlanSHA256)`
            to plan `\(changes.newPlanSHA256)`; `changes.json` lists every change (`topoc diff`).

            Apply in this order. Every SQL script is safe to run again: its ledger
            (`\(MigrationLedger.schema).\(MigrationLedger.table)`) skips the steps that succeeded, so a run stopped
            by a lock timeout or killed halfway is resumed by running it again.


            """
        for (index, line) in order.enumerated() {
            text += "\(index + 1). `\(line)`\n"
        }
        return text
    }
}

extension String {
    /// The string, or nil when it is empty.
    package var nonEmpty: String? { isEmpty ? nil : self }
}
