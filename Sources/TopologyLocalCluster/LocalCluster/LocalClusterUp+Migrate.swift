import Foundation
import TopologyCompiler

/// `topoc up` on a run folder whose deployment runs: instead of refusing, it compares the plan the
/// deployment was brought up with (`RUN/generated/plan.json`) with the new one and applies the
/// migration `topoc migrate` writes (kept in `RUN/migrations/<old>-<new>/`): the databases'
/// ledger-guarded scripts on each leader, Patroni's dynamic configuration patched (members with a
/// pending restart restarted, replicas first), PgBouncer's configuration reloaded.
extension LocalClusterUp {
    /// The deployment running from the run folder and the plan it runs, nil when nothing runs there.
    ///
    /// When an earlier `topoc up` stopped while migrating the deployment (killed, or a step failed),
    /// the plan it migrated from (``LocalRunLayout/migratingFrom``) is the one returned: the
    /// generated artifacts already describe the new plan, but some databases may not have been
    /// migrated yet, and the ledger makes running the same migration again skip what succeeded.
    func runningDeployment() throws -> (state: LocalClusterState, plan: Plan)? {
        guard let previous = try? LocalClusterState.load(from: layout.state),
            previous.processes.contains(where: { ProcessSpawner.isRunning($0.process) })
        else { return nil }
        if FileManager.default.fileExists(atPath: layout.bringingUp.path) {
            throw LocalClusterError(
                "an earlier topoc up of \(layout.root.path) stopped before the deployment was up (interrupted or killed): some of its processes run, but its schema, backups or PgBouncer may be missing; stop them with topoc down --run-dir \(layout.root.path), then run topoc up again"
            )
        }
        if let data = FileManager.default.contents(atPath: layout.migratingFrom.path) {
            guard let unfinished = try? JSONDecoder().decode(Plan.self, from: data) else {
                throw LocalClusterError(
                    "an earlier topoc up stopped while migrating the deployment, and the plan it migrated from (\(layout.migratingFrom.path)) is unreadable; stop the deployment with topoc down --run-dir \(layout.root.path)"
                )
            }
            say("an earlier topoc up stopped before it finished migrating the deployment: resuming from the plan it ran before")
            return (previous, unfinished)
        }
        let url = layout.generated.appendingPathComponent(PlanJSONBackend.fileName)
        guard let data = FileManager.default.contents(atPath: url.path), let running = try? JSONDecoder().decode(Plan.self, from: data)
        else {
            throw LocalClusterError(
                "a deployment already runs from \(layout.root.path), but the plan it runs (\(url.path)) is missing or unreadable; stop it with topoc down --run-dir \(layout.root.path)"
            )
        }
        return (previous, running)
    }

    /// Applies the change from `old` to this plan to the running deployment.
    func migrate(from old: Plan, state previous: LocalClusterState) throws -> LocalClusterState {
        try refusePartlyStopped(previous, running: old)
        let changes = PlanDiff(old: old, new: plan).changeSet()
        // Refused before the changes are shown: "No changes" followed by a refusal contradicts itself.
        if changes.changes.isEmpty { try refuseReturnToUnfinishedOrigin() }
        say("a deployment runs from \(layout.root.path); its plan and the topology's:")
        progress(ChangeTextRenderer.render(changes))
        guard !changes.changes.isEmpty else {
            try? FileManager.default.removeItem(at: layout.migratingFrom)
            try restoreEditedArtifacts(state: previous)
            say("no changes: the deployment runs this topology")
            return previous
        }
        try LocalMigrationGate.check(changes, old: old, new: plan, allowDestructive: allowDestructive)
        let tools = try LocalTools.find(plan: plan)
        let secrets = try LocalSecrets.loadOrCreate(at: layout.secrets, plan: plan)
        let psql = PSQL(plan: plan, password: secrets.values[plan.secrets.superuser] ?? "")

        let folder = layout.root.appendingPathComponent(
            "migrations/\(changes.oldPlanSHA256.prefix(12))-\(changes.newPlanSHA256.prefix(12))")
        let artifacts = MigrationArtifacts.artifacts(old: old, new: plan, allowDestructive: allowDestructive)
        do {
            _ = try OutputWriter(directory: folder, generator: "topoc \(TopocVersion.current)").write(artifacts)
        } catch {
            throw LocalClusterError("cannot write the migration: \(error)")
        }
        say("migration in \(folder.path) (\(artifacts.count) files)")
        let byPath = Dictionary(
            artifacts.map { ($0.path, String(decoding: $0.contents, as: UTF8.self)) }, uniquingKeysWith: { first, _ in first })

        // The new artifacts replace the old ones: member configurations, PgBouncer's ini, plan.json.
        // Until every step below has run, the old plan stays the one a rerun migrates from.
        try recordMigrationUnderWay(from: old)
        // Backups added: the folders archive_command writes to exist before the restart turns it on.
        let backupsAdded = old.backup == nil && plan.backup != nil
        if backupsAdded { try LocalBackup.prepareFolders(plan: plan) }
        try writeArtifacts()
        try reloadChangedMembers(old: old, secrets: secrets)
        try applyMigrationSQL(old: old, paths: Set(byPath.keys), folder: folder, psql: psql)
        try setNewLoginPasswords(old: old, secrets: secrets, psql: psql)
        try patchPatroni(old: old, byPath: byPath, secrets: secrets, folder: folder, psql: psql, state: previous)
        try applyCronSQL(old: old, paths: Set(byPath.keys), folder: folder, psql: psql)
        if backupsAdded {
            // Archiving is on since Patroni's restart; it works once pgBackRest's role and the stanza exist.
            try run(
                plan.clusters.map { (cluster: $0.name, database: CronDDL.cronDatabase, path: MigrationArtifacts.backupRolePath($0.name)) },
                folder: folder, psql: psql)
            let backup = LocalBackup(layout: layout, progress: say)
            for cluster in plan.clusters { try backup.initialize(cluster: cluster.name) }
        }
        var state = previous
        if PgBouncerConfig.text(plan: old) != PgBouncerConfig.text(plan: plan)
            || PgBouncerHBA.text(plan: old) != PgBouncerHBA.text(plan: plan)
            || LocalSecrets.variables(of: old) != LocalSecrets.variables(of: plan)
        {
            try reloadPgBouncer(tools: tools, secrets: secrets, state: state)
        }
        try applyDropSQL(paths: Set(byPath.keys), folder: folder, psql: psql)
        state.pools = PgBouncerPool.pools(of: plan).map(\.name)
        try state.save(to: layout.state)
        try? FileManager.default.removeItem(at: layout.migratingFrom)
        say("migrated: the deployment runs plan \(changes.newPlanSHA256)")
        return state
    }

    /// A deployment with a process that no longer runs (a killed Patroni member, a crashed
    /// PgBouncer) is not changed: a migration would stop halfway at the first step that needs the
    /// process (a member's reload), leaving the rest unchanged. Refused before anything is done.
    private func refusePartlyStopped(_ state: LocalClusterState, running: Plan) throws {
        let dead = state.notRunning
        guard !dead.isEmpty else { return }
        let list = dead.map { entry in
            "\(entry.process.kind) \(entry.process.name) (pid \(entry.process.process.pid))"
                + (entry.orphanedPostmaster.map { ", whose PostgreSQL (pid \($0.pid)) still runs without it" } ?? "")
        }
        throw LocalClusterError(
            "part of the deployment in \(layout.root.path) is not running: \(list.joined(separator: "; ")). topoc up changed nothing: it changes only a deployment whose processes all run. Restart it first: topoc down --keep-data --run-dir \(layout.root.path), then topoc up with the topology it runs (\(running.topology)) --run-dir \(layout.root.path), then topoc up with this one"
        )
    }

    /// A migration that stopped halfway left some databases on the plan it migrated to: going
    /// back to the plan it came from is not "no changes". Refused: finish that migration first.
    private func refuseReturnToUnfinishedOrigin() throws {
        guard FileManager.default.fileExists(atPath: layout.migratingFrom.path) else { return }
        let url = layout.generated.appendingPathComponent(PlanJSONBackend.fileName)
        guard let data = FileManager.default.contents(atPath: url.path),
            let target = try? JSONDecoder().decode(Plan.self, from: data),
            !PlanDiff(old: target, new: plan).changeSet().changes.isEmpty
        else { return }
        throw LocalClusterError(
            "an earlier topoc up stopped halfway through migrating the deployment from this topology to another one (its plan is \(url.path)): some databases may already run the other one, so this topology is not \"no changes\" and is refused. Finish that migration first: run topoc up with the other topology (corrected, if a step of it failed), then with this one"
        )
    }

    /// Keeps the plan the deployment ran before this migration in ``LocalRunLayout/migratingFrom``
    /// (unless a resumed migration's is already there), written atomically.
    private func recordMigrationUnderWay(from old: Plan) throws {
        guard !FileManager.default.fileExists(atPath: layout.migratingFrom.path) else { return }
        do {
            try DeterministicJSON.data(old).write(to: layout.migratingFrom, options: .atomic)
        } catch {
            throw LocalClusterError("cannot record the migration under way in \(layout.migratingFrom.path): \(error)")
        }
    }

    /// The plans agree, but files of `RUN/generated` may have been edited by hand (drift that
    /// `topoc check --live` reports): they are written back, and the processes that read them are
    /// told: PgBouncer reloads its configuration, a Patroni member rereads its YAML. Any other
    /// file written back is named, with what it takes for its process to read it again.
    private func restoreEditedArtifacts(state: LocalClusterState) throws {
        let report = try writeArtifacts()
        guard !report.written.isEmpty else { return }
        say("written back (edited by hand): \(report.written.joined(separator: ", "))")
        let written = Set(report.written)
        let secrets = try LocalSecrets.loadOrCreate(at: layout.secrets, plan: plan)
        let request = restRequest(secrets)
        for cluster in plan.clusters {
            for member in cluster.members where written.contains(ClusterLayout.patroniPath(cluster: cluster.name, member: member.name)) {
                let result = request.send("POST", "/reload", json: nil, port: member.restPort)
                guard result.status / 100 == 2 else {
                    throw LocalClusterError("POST /reload on \(member.name) answered \(result.status): \(result.body)")
                }
                say("patroni \(member.name): configuration reloaded")
            }
        }
        if written.contains(ClusterLayout.pgbouncerPath) || written.contains(ClusterLayout.pgbouncerHBAPath) {
            try reloadPgBouncer(tools: try LocalTools.find(plan: plan), secrets: secrets, state: state)
        }
        let readAtStart = Set([ClusterLayout.haproxyPath] + plan.etcd.map { ClusterLayout.etcdPath(member: $0.name) })
        let restart = report.written.filter(readAtStart.contains)
        if !restart.isEmpty {
            say("\(restart.joined(separator: ", ")): read only at start; run topoc down and topoc up for the running processes to use them")
        }
    }

    /// A member's local configuration (its Patroni YAML: pg_hba, parameters) changed: Patroni
    /// rereads it on `POST /reload`.
    private func reloadChangedMembers(old: Plan, secrets: LocalSecrets) throws {
        let request = restRequest(secrets)
        for cluster in plan.clusters {
            guard let before = old.clusters.first(where: { $0.name == cluster.name }) else { continue }
            for member in cluster.members {
                guard let previous = before.members.first(where: { $0.name == member.name }),
                    PatroniConfig.text(member: previous, cluster: before, plan: old)
                        != PatroniConfig.text(member: member, cluster: cluster, plan: plan)
                else { continue }
                let result = request.send("POST", "/reload", json: nil, port: member.restPort)
                guard result.status / 100 == 2 else {
                    throw LocalClusterError("POST /reload on \(member.name) answered \(result.status): \(result.body)")
                }
                say("patroni \(member.name): local configuration reloaded")
            }
        }
    }

    /// `create-databases.sql` of each cluster that gets databases, then every database's script,
    /// each on its cluster's leader, as the bootstrap superuser (as `topoc up` applies the DDL).
    private func applyMigrationSQL(old: Plan, paths: Set<String>, folder: URL, psql: PSQL) throws {
        var steps: [(cluster: String, database: String, path: String)] = []
        for cluster in plan.clusters where paths.contains(PostgresBackend.createDatabasesPath(cluster.name)) {
            steps.append((cluster.name, CronDDL.cronDatabase, PostgresBackend.createDatabasesPath(cluster.name)))
        }
        for database in plan.databases where paths.contains(MigrationScript.path(database)) {
            steps.append((database.cluster, database.name, MigrationScript.path(database)))
        }
        try run(steps, folder: folder, psql: psql)
    }

    /// `cron.sql` of each cluster whose pg_cron jobs change, after Patroni's restart (which loads
    /// pg_cron where the cluster had no job before) and the databases' scripts (which create the
    /// functions the jobs call).
    private func applyCronSQL(old: Plan, paths: Set<String>, folder: URL, psql: PSQL) throws {
        let steps = MigrationArtifacts.cronScripts(old: old, new: plan).filter { paths.contains($0.path) }.map {
            (cluster: $0.cluster, database: CronDDL.cronDatabase, path: $0.path)
        }
        try run(steps, folder: folder, psql: psql)
    }

    /// `drop.sql` of each cluster that loses databases or tenant roles (written only with
    /// `--allow-destructive`), last: after PgBouncer no longer pools them.
    private func applyDropSQL(paths: Set<String>, folder: URL, psql: PSQL) throws {
        let steps = plan.clusters.map {
            (cluster: $0.name, database: CronDDL.cronDatabase, path: MigrationArtifacts.dropPath($0.name))
        }.filter { paths.contains($0.path) }
        try run(steps, folder: folder, psql: psql)
    }

    /// Runs migration scripts in order, each on its cluster's leader.
    private func run(_ steps: [(cluster: String, database: String, path: String)], folder: URL, psql: PSQL) throws {
        for step in steps {
            let leader = try leaderPort(of: step.cluster)
            let result = psql.run(
                port: leader.port, database: step.database, file: folder.appendingPathComponent(step.path).path, timeout: 3600)
            guard result.status == 0 else {
                throw LocalClusterError(
                    "\(step.path) failed on \(leader.name): \(result.error)\nthe ledger keeps what succeeded: run topoc up again to resume")
            }
            say("SQL: applied \(step.path) to \(step.cluster)/\(step.database) on leader \(leader.name)")
        }
    }

    /// Login roles new in this plan get their password (post_bootstrap set the others' at bootstrap).
    private func setNewLoginPasswords(old: Plan, secrets: LocalSecrets, psql: PSQL) throws {
        let before = Set(ClusterLayout.loginSecrets(old).map(\.role))
        let added = ClusterLayout.loginSecrets(plan).filter { !before.contains($0.role) }
        guard !added.isEmpty else { return }
        for cluster in plan.clusters {
            let leader = try leaderPort(of: cluster.name)
            for secret in added {
                let sql =
                    "ALTER ROLE \(SQLQuoting.identifier(secret.role)) PASSWORD \(SQLQuoting.literal(secrets.values[secret.variable] ?? ""))"
                let result = psql.run(port: leader.port, database: CronDDL.cronDatabase, sql: sql)
                guard result.status == 0 else {
                    throw LocalClusterError("cannot set the password of \(secret.role) on \(leader.name): \(result.error)")
                }
            }
        }
        say("passwords set for \(added.map(\.role).joined(separator: ", "))")
    }

    /// `PATCH /config` with the new dynamic configuration (removed settings patched to null),
    /// waits until every member runs the reloadable settings, then restarts the members with a
    /// pending restart, replicas first, and waits until the clusters are ready again.
    private func patchPatroni(
        old: Plan, byPath: [String: String], secrets: LocalSecrets, folder: URL, psql: PSQL, state: LocalClusterState
    ) throws {
        let request = restRequest(secrets)
        var restarted = false
        for cluster in plan.clusters {
            guard let before = old.clusters.first(where: { $0.name == cluster.name }),
                let patch = byPath[PatroniPatch.jsonPath(cluster.name)]
            else { continue }
            let leader = try leaderPort(of: cluster.name)
            guard let member = cluster.members.first(where: { $0.name == leader.name }) else { continue }
            for body in [patch, byPath[PatroniPatch.removalPath(cluster.name)]].compactMap({ $0 }) {
                let result = request.send("PATCH", "/config", json: body, port: member.restPort)
                guard result.status == 200 else {
                    throw LocalClusterError("PATCH /config on \(member.name) answered \(result.status): \(result.body)")
                }
            }
            let restart = PatroniPatch.restartSettings(before: before, after: cluster, old: old, new: plan)
            say(
                "patroni \(cluster.name): dynamic configuration patched (restart needed for: \(restart.joined(separator: ", ").nonEmpty ?? "none"))"
            )
            let parameters = PatroniConfig.parameters(cluster: cluster, plan: plan)
            let oldParameters = Dictionary(PatroniConfig.parameters(cluster: before, plan: old), uniquingKeysWith: { a, _ in a })
            let changed = parameters.filter { oldParameters[$0.key] != $0.value }
            try waitUntil("every member of \(cluster.name) runs the new settings", seconds: 60, state: state) {
                cluster.members.allSatisfy { settingsApplied(changed, restart: Set(restart), port: $0.port, psql: psql) }
            }
            guard !restart.isEmpty else { continue }
            let replicasFirst = cluster.members.sorted { ($0.name == leader.name ? 1 : 0) < ($1.name == leader.name ? 1 : 0) }
            for member in replicasFirst {
                let pending = psql.run(port: member.port, sql: "SELECT bool_or(pending_restart) FROM pg_settings", timeout: 5)
                guard pending.output.trimmingCharacters(in: .whitespacesAndNewlines) == "t" else { continue }
                let result = request.send("POST", "/restart", json: "{}", port: member.restPort, timeout: 120)
                guard result.status / 100 == 2 else {
                    throw LocalClusterError("POST /restart on \(member.name) answered \(result.status): \(result.body)")
                }
                say("patroni \(member.name): restarted for \(restart.joined(separator: ", "))")
                restarted = true
            }
        }
        if restarted { try waitForClusters(state: state, psql: psql) }
    }

    /// Whether a member runs `changed` settings: reloadable ones with their new value, restart
    /// ones either with it or with a pending restart (or, for an extension's, not yet known).
    private func settingsApplied(_ changed: [(key: String, value: String)], restart: Set<String>, port: Int, psql: PSQL) -> Bool {
        guard !changed.isEmpty else { return true }
        let names = changed.map { SQLQuoting.literal($0.key) }.joined(separator: ", ")
        let result = psql.run(
            port: port, sql: "SELECT name, setting, coalesce(unit, ''), vartype, pending_restart FROM pg_settings WHERE name IN (\(names))",
            timeout: 5)
        guard result.status == 0 else { return false }
        var running: [String: [String]] = [:]
        for row in result.rows where row.count == 5 { running[row[0]] = row }
        return changed.allSatisfy { key, value in
            // An extension's setting (`cron.database_name`) is not in pg_settings until its
            // library is loaded, which takes the restart that shared_preload_libraries waits for.
            guard let row = running[key] else { return restart.contains(key) && key.contains(".") }
            if restart.contains(key) && row[4] == "t" { return true }
            return LiveSettingValue.matches(planned: value, setting: row[1], unit: row[2], vartype: row[3])
        }
    }

    /// Rewrites PgBouncer's auth file, then `RELOAD` on the admin console, and waits until the pools
    /// reach their servers again.
    private func reloadPgBouncer(tools: LocalTools, secrets: LocalSecrets, state: LocalClusterState) throws {
        let made = Subprocess.run(
            ProcessSpawner.asServerUser([tools.shell, ClusterLayout.userlistScriptPath]),
            environment: LocalTools.serverEnvironment(secrets.userlistEnvironment(plan)), directory: layout.generated)
        guard made.status == 0 else { throw LocalClusterError("make-userlist.sh failed: \(made.error)") }
        var console = PSQL(plan: plan, password: secrets.values[plan.secrets.poolerAdmin] ?? "")
        console.user = plan.roles.poolerAdmin
        let result = console.run(port: plan.pooler.port, database: "pgbouncer", sql: "RELOAD")
        guard result.status == 0 else { throw LocalClusterError("RELOAD on PgBouncer's admin console failed: \(result.error)") }
        say("pgbouncer: configuration reloaded")
        try waitForPools(state: state, secrets: secrets)
    }

    /// The leader of a cluster, by Patroni's REST API.
    private func leaderPort(of cluster: String) throws -> PatroniClusterView.Member {
        guard let planned = plan.clusters.first(where: { $0.name == cluster }),
            let leader = ClusterProbe.view(restPorts: planned.members.map(\.restPort), tls: LoopbackTLS.towards(.patroni, in: plan))?.leader
        else { throw LocalClusterError("cluster \(cluster) has no leader") }
        return leader
    }

    private func restRequest(_ secrets: LocalSecrets) -> PatroniRESTRequest {
        PatroniRESTRequest(
            password: secrets.values[plan.secrets.restAPI] ?? "", tls: LoopbackTLS.towards(.patroni, in: plan), folder: layout.root)
    }
}
