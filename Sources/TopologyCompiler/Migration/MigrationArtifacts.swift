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
        // The new plan's scripts, rendered once (not once per cluster that gets databases: that
        // made a migration from 64 to 128 shards 4x the time of one from 32 to 64).
        let created = Dictionary(PostgresBackend().artifacts(for: new).map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let existing = Set(old.databases.map { DatabaseKey(cluster: $0.cluster, name: $0.name) })
        let newDatabases = Set(
            new.databases.filter { !existing.contains(DatabaseKey(cluster: $0.cluster, name: $0.name)) }.map(\.cluster))
        for cluster in newDatabases.sorted() {
            let path = PostgresBackend.createDatabasesPath(cluster)
            if let file = created[path] {
                artifacts.append(Artifact(path: path, contents: file.contents, producer: producer))
                order.append("psql -X -v ON_ERROR_STOP=1 -d postgres -f \(path)   (on cluster \(cluster)'s leader)")
            }
        }
        var sharedWritten = Set<String>()
        for migration in diff.databaseMigrations() {
            let steps = MigrationScript.numbered(migration.steps(allowDestructive: allowDestructive))
            guard !steps.isEmpty else { continue }
            // A converge step that includes its group's shared script: the script, written once,
            // where the `\ir` finds it (sql/shared/, as in a build).
            if let shared = migration.newShared, steps.contains(where: { $0.id.hasSuffix("-converge") }),
                sharedWritten.insert(shared).inserted, let file = created[shared]
            {
                artifacts.append(Artifact(path: shared, contents: file.contents, producer: producer))
            }
            let path = MigrationScript.path(migration.new.database)
            artifacts.append(
                Artifact(
                    path: path,
                    contents: MigrationScript.render(
                        migration: migration, steps: steps, from: changes.oldPlanSHA256, to: changes.newPlanSHA256),
                    producer: producer))
            order.append(
                "psql -X -v ON_ERROR_STOP=1 -d \(migration.new.database.name) -f \(path)   (on cluster \(migration.new.cluster)'s leader, \(steps.count) \(steps.count == 1 ? "step" : "steps"))"
            )
        }
        let oldClusters = Dictionary(old.clusters.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for cluster in new.clusters {
            guard let before = oldClusters[cluster.name],
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
                        "-- Run on PgBouncer's admin console after installing pgbouncer.ini and pg_hba.conf:\n--   psql -X -h \(new.pooler.host) -p \(new.pooler.port) -U \(new.roles.poolerAdmin) -d \(PgBouncerPool.adminConsoleDatabase) -f pgbouncer/reload.sql\nRELOAD;\n",
                    producer: producer))
            order.append("install pgbouncer/pgbouncer.ini and pgbouncer/pg_hba.conf, then RELOAD (pgbouncer/reload.sql)")
        }
        if changes.changes.contains(where: { $0.object == "haproxy" }) {
            artifacts.append(Artifact(path: "haproxy/haproxy.cfg", contents: HAProxyBackend.text(plan: new), producer: producer))
            var step = "install haproxy/haproxy.cfg and reload HAProxy (haproxy -sf, or its service's reload)"
            if HAProxyBackend.usesStalenessAgent(new) {
                artifacts.append(
                    Artifact(path: "haproxy/staleness-agent.py", contents: StalenessAgentScript.text(plan: new), producer: producer))
                step = "install haproxy/staleness-agent.py and (re)start it beside HAProxy, then " + step
            }
            order.append(step)
        }
        backupSteps(changes, new: new, artifacts: &artifacts, order: &order)
        connectorSteps(changes, new: new, artifacts: &artifacts, order: &order)
        if allowDestructive {
            let roles = droppedTenantRoles(old: old, new: new)
            let databases = droppedDatabases(old: old, new: new)
            let dropped = Dictionary(databases.map { ($0.cluster, $0.databases) }, uniquingKeysWith: { first, _ in first })
            for cluster in new.clusters where oldClusters[cluster.name] != nil {
                let names = dropped[cluster.name] ?? []
                guard !names.isEmpty || !roles.isEmpty else { continue }
                let path = dropPath(cluster.name)
                artifacts.append(
                    Artifact(
                        path: path, contents: drop(databases: names, roles: roles, cluster: cluster.name, plan: new), producer: producer))
                let what = (names.map { "database " + $0 } + roles.map { "role " + $0 }).joined(separator: ", ")
                order.append(
                    "psql -X -v ON_ERROR_STOP=1 -d \(CronDDL.cronDatabase) -f \(path)   (on cluster \(cluster.name)'s leader, last, after PgBouncer's reload: drops \(what))"
                )
            }
        }
        artifacts.append(Artifact(path: changesPath, contents: DeterministicJSON.text(changes), producer: producer))
        artifacts.append(Artifact(path: "MIGRATION.md", contents: readme(changes, order: order), producer: producer))
        return artifacts
    }

    /// Backups added or reconfigured: each cluster's pgbackrest.conf and, when backups are new,
    /// the commands that make them work, after Patroni's restart has turned archiving on.
    private static func backupSteps(_ changes: ChangeSet, new: Plan, artifacts: inout [Artifact], order: inout [String]) {
        guard let change = changes.changes.first(where: { $0.object == "backup" }), change.action != .drop else { return }
        guard let backup = new.backup else { return }
        for cluster in new.clusters {
            let path = "pgbackrest/\(cluster.name)/pgbackrest.conf"
            artifacts.append(
                Artifact(path: path, contents: PgBackRestConfig.text(cluster: cluster, backup: backup, plan: new), producer: producer))
            let install =
                "install \(path) as \(BackupLayout.configAbsolute(cluster: cluster.name, plan: new)) for every member of \(cluster.name)"
            guard change.action == .create else {
                order.append(install)
                continue
            }
            let role = backupRolePath(cluster.name)
            var script = SQLScript()
            script.comment("The backup role pgBackRest logs in as, and what it may do (docs/roles.md); roles are cluster-wide.")
            script.add("SET client_min_messages = warning")
            script.append(RoleDDL.backupRoleScript(new))
            artifacts.append(Artifact(path: role, contents: script.render(), producer: producer))
            let command = [
                BackupLayout.executable, "--config=" + BackupLayout.configAbsolute(cluster: cluster.name, plan: new),
                "--stanza=" + BackupLayout.stanza(cluster),
            ].map(ShellQuoting.word).joined(separator: " ")
            order.append(
                "psql -X -v ON_ERROR_STOP=1 -d \(CronDDL.cronDatabase) -f \(role)   (on cluster \(cluster.name)'s leader: the backup role), \(install), then as the server user, after Patroni's restart: \(command) stanza-create && \(command) check && \(BackupLayout.backupCommand(cluster: cluster, type: BackupType.full.rawValue, plan: new))"
            )
        }
    }

    /// `sql/<cluster>/backup-role.sql`: the backup role of a cluster that gets backups.
    package static func backupRolePath(_ cluster: String) -> String {
        "sql/\(cluster)/backup-role.sql"
    }

    /// The Debezium connectors that are added or reconfigured, each as the configuration object
    /// Kafka Connect's `PUT /connectors/<name>/config` takes (`debezium/<name>.json`), and those
    /// removed, with the REST calls that apply them: after the databases' scripts (the publication
    /// lists the new tables) and Patroni's change (the slot exists).
    private static func connectorSteps(_ changes: ChangeSet, new: Plan, artifacts: inout [Artifact], order: inout [String]) {
        let connectors = Dictionary(DebeziumBackend.connectors(new).map { ($0.connector.name, $0.connector) }) { first, _ in first }
        // On the compose target Kafka Connect runs in the `connect` service; elsewhere it is the
        // operator's, at $KAFKA_CONNECT_URL.
        let compose = new.target == .compose
        func call(_ method: String, _ name: String, file: String? = nil) -> String {
            let data =
                file.map {
                    compose ? " -H 'Content-Type: application/json' --data @-" : " -H 'Content-Type: application/json' --data @\($0)"
                } ?? ""
            let url = "\(compose ? "http://localhost:8083" : "\"$KAFKA_CONNECT_URL\"")/connectors/\(name)\(file == nil ? "" : "/config")"
            let curl = "curl -fsS -X \(method)\(data) \(url)"
            guard compose else { return curl }
            return "docker-compose exec -T connect " + curl + (file.map { " < \($0)" } ?? "")
        }
        for change in changes.changes where change.object == "connector" {
            switch change.action {
            case .create, .alter, .replace:
                guard let connector = connectors[change.name] else { continue }
                let path = "debezium/\(connector.name).json"
                artifacts.append(Artifact(path: path, contents: DeterministicJSON.text(connector.config), producer: producer))
                order.append(
                    "\(call("PUT", connector.name, file: path))   (Kafka Connect \(change.action == .create ? "creates" : "reconfigures and restarts") connector \(connector.name))"
                )
            case .drop:
                order.append("\(call("DELETE", change.name))   (Kafka Connect removes connector \(change.name); its slot stays)")
            }
        }
    }

    /// `sql/<cluster>/drop.sql`: what leaves the cluster, dropped last.
    package static func dropPath(_ cluster: String) -> String {
        "sql/\(cluster)/drop.sql"
    }

    /// The databases of OLD that NEW no longer has, per cluster that NEW still has (a dropped
    /// cluster's databases go with it), in OLD's order.
    package static func droppedDatabases(old: Plan, new: Plan) -> [(cluster: String, databases: [String])] {
        let kept = Set(new.databases.map { DatabaseKey(cluster: $0.cluster, name: $0.name) })
        var dropped: [String: [String]] = [:]
        for database in old.databases where !kept.contains(DatabaseKey(cluster: database.cluster, name: database.name)) {
            dropped[database.cluster, default: []].append(database.name)
        }
        return new.clusters.compactMap { cluster in dropped[cluster.name].map { (cluster.name, $0) } }
    }

    /// A database by cluster and name.
    private struct DatabaseKey: Hashable {
        let cluster: String
        let name: String
    }

    /// The roles of OLD's tenants that no tenant of NEW uses, in OLD's order: dropped on every
    /// cluster (`DROP ROLE IF EXISTS`): post-bootstrap creates every tenant's role on every
    /// cluster, a tenant added later gets it from its own database's script.
    package static func droppedTenantRoles(old: Plan, new: Plan) -> [String] {
        let kept = Set((new.tenancy?.tenants ?? []).compactMap(\.role))
        let reserved = new.roles.all
        return (old.tenancy?.tenants ?? []).compactMap(\.role).filter { !kept.contains($0) && !reserved.contains($0) }
    }

    /// The script that drops what leaves a cluster, run in its `postgres` database after every
    /// other step: each dropped database, its sessions ended (`WITH (FORCE)`; PostgreSQL drops the
    /// database's inactive logical slots with it and refuses while a consumer reads one), then the
    /// dropped tenants' roles (their privileges went with their schema's step or their database).
    /// Safe to run again.
    static func drop(databases: [String], roles: [String], cluster: String, plan: Plan) -> String {
        var script = SQLScript()
        script.comment("Run in the cluster's \(CronDDL.cronDatabase) database with psql, after every other step of the migration.")
        script.add("SET client_min_messages = warning")
        script.add("SET lock_timeout = '10s'")
        script.add("SET statement_timeout = '10min'")
        for name in databases {
            script.comment("database \(name), with every table and inactive logical slot in it; its sessions are ended")
            script.add("DROP DATABASE IF EXISTS \(SQLQuoting.identifier(name)) WITH (FORCE)")
        }
        for role in roles {
            script.comment("role \(role): a dropped tenant's")
            script.add("DROP ROLE IF EXISTS \(SQLQuoting.identifier(role))")
        }
        return
            "-- Generated by topoc \(TopocVersion.current) from topology \"\(SQLQuoting.comment(plan.topology))\": what leaves cluster \"\(SQLQuoting.comment(cluster))\". Do not edit.\n"
            + script.render()
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
        let dropped = Dictionary(
            droppedDatabases(old: old, new: new).map { ($0.cluster, $0.databases) }, uniquingKeysWith: { first, _ in first })
        for cluster in PostgresBackend.clusters(of: scopes) {
            let former = dropped[cluster] ?? []
            guard CronDDL.jobs(cluster: cluster, in: old) != CronDDL.jobs(cluster: cluster, in: new),
                let contents = CronDDL.render(
                    cluster: cluster, databases: scopes, plan: new, evenWithoutJobs: true, formerDatabases: former)
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
        if changes.movesRows {
            let moves = changes.changes.filter { $0.impact == .dataMovement }.map { "\($0.object) \($0.name): \($0.detail)" }
            text += """
                **Rows move between shards, and nothing here moves them.** The steps below create the
                new shard databases empty (reference tables included) and give every shard the new
                placement (`topoc_shard_for`); each row stays where the old placement put it. Until the
                rows are copied, the new placement's reads miss them and its writes land on shards that
                do not hold the rest of their data. After the steps, copy the key ranges
                `topoc rebalance OLD NEW` lists to their new shards and the reference tables' rows into
                each new shard database, then switch the application to NEW's router, then delete the
                copied rows from their old shards.


                """
            text += moves.map { "- \($0)\n" }.joined() + "\n"
        }
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
