import Foundation
import Testing

@testable import TopologyCompiler

/// `topoc migrate`'s files: cron.sql where the pg_cron jobs change, and only there; what leaves a
/// cluster (a tenant's schema, database and role) dropped only with `--allow-destructive`.
struct MigrationArtifactsTests {
    static let schedule = "    refresh: { schedule: \"@hourly\" }\n"

    static func plans(_ edit: (String) -> String) throws -> (old: Plan, new: Plan) {
        let text = try String(contentsOf: PlanTestSupport.exampleURL("timeseries-range.yaml"), encoding: .utf8)
        #expect(text.contains(schedule))
        let old = try #require(PlanTestSupport.plan(text))
        let new = try #require(PlanTestSupport.plan(edit(text)))
        return (old, new)
    }

    static func paths(_ old: Plan, _ new: Plan) -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: MigrationArtifacts.artifacts(old: old, new: new, allowDestructive: false).map {
                ($0.path, String(decoding: $0.contents, as: UTF8.self))
            })
    }

    @Test func aDroppedScheduleWritesCronSQLThatKeepsTheOtherJobs() throws {
        let (old, new) = try Self.plans { $0.replacingOccurrences(of: Self.schedule, with: "") }
        let files = Self.paths(old, new)
        let cluster = try #require(new.databases.first?.cluster)
        let cron = try #require(files["sql/\(cluster)/cron.sql"], "\(files.keys.sorted())")
        #expect(!cron.contains("refresh_device_last_day"), "the dropped job is not scheduled again")
        #expect(cron.contains("partman_maintenance"), "pg_partman's job is kept")
        #expect(cron.contains("PERFORM cron.unschedule(stale.jobid)"))
        #expect(files["MIGRATION.md"]?.contains("-f sql/\(cluster)/cron.sql") == true)
    }

    @Test func aChangedScheduleWritesCronSQLAndNoChangeWritesNone() throws {
        let (old, new) = try Self.plans {
            $0.replacingOccurrences(of: Self.schedule, with: "    refresh: { schedule: \"*/5 * * * *\" }\n")
        }
        #expect(Self.paths(old, new).keys.contains { $0.hasSuffix("/cron.sql") })
        let (same, again) = try Self.plans { $0 }
        #expect(!Self.paths(same, again).keys.contains { $0.hasSuffix("/cron.sql") })
    }

    /// A cluster left without jobs gets a script that only unschedules (no `CREATE EXTENSION`,
    /// nothing done where pg_cron is not installed).
    @Test func noJobLeftGivesAnUnscheduleOnlyScript() throws {
        let text = try String(contentsOf: PlanTestSupport.exampleURL("primary-replicas.yaml"), encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.contains("refresh: { schedule:") })
        let old = try #require(PlanTestSupport.plan(text))
        let new = try #require(PlanTestSupport.plan(text.replacingOccurrences(of: line + "\n", with: "")))
        let scripts = MigrationArtifacts.cronScripts(old: old, new: new)
        #expect(scripts.count == 1)
        let script = try #require(scripts.first?.contents)
        #expect(!script.contains("CREATE EXTENSION"))
        #expect(!script.contains("cron.schedule_in_database"))
        #expect(script.contains("IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN"))
    }

    static func files(_ old: Plan, _ new: Plan, allowDestructive: Bool) -> [(path: String, text: String)] {
        MigrationArtifacts.artifacts(old: old, new: new, allowDestructive: allowDestructive).map {
            ($0.path, String(decoding: $0.contents, as: UTF8.self))
        }
    }

    /// The plans of an example and of the example with one edit.
    static func edited(_ example: String, _ anchor: String, _ replacement: String, base: (String, String)? = nil) throws -> (
        old: Plan, new: Plan
    ) {
        var text = try String(contentsOf: PlanTestSupport.exampleURL(example), encoding: .utf8)
        if let base {
            #expect(text.contains(base.0))
            text = text.replacingOccurrences(of: base.0, with: base.1)
        }
        #expect(text.contains(anchor))
        let old = try #require(PlanTestSupport.plan(text))
        let new = try #require(PlanTestSupport.plan(text.replacingOccurrences(of: anchor, with: replacement)))
        return (old, new)
    }

    /// A table added to change data capture: the publication gains it in each database's script,
    /// and the Debezium connectors that read those databases get the new `table.include.list`
    /// through Kafka Connect's REST API, after the scripts; the change set says so.
    @Test func aNewlyCapturedTableReconfiguresTheConnectors() throws {
        let posts = "  tables:\n    posts:\n"
        let (old, new) = try Self.edited(
            "global-composite.yaml", posts, "  tables:\n    follows: { method: logical, replica_identity: full }\n    posts:\n")
        let changes = PlanDiff(old: old, new: new).changeSet()
        let altered = changes.changes.filter { $0.object == "connector" }
        let connectors = DebeziumBackend.connectors(new).map(\.connector)
        #expect(!connectors.isEmpty)
        #expect(altered.map(\.name) == connectors.map(\.name))
        #expect(altered.allSatisfy { $0.action == .alter && $0.impact == .configReload })
        #expect(altered.first?.detail.hasPrefix("table.include.list change") == true, "\(altered.first?.detail ?? "")")
        #expect(altered.first?.detail.contains("public.follows sends its changes from then on") == true)
        #expect(altered.first?.detail.contains("resumes from its stored offset") == true)

        let files = Self.files(old, new, allowDestructive: false)
        let first = try #require(connectors.first)
        let config = try #require(files.first { $0.path == "debezium/\(first.name).json" }?.text)
        #expect(config == DeterministicJSON.text(first.config))
        #expect(first.config["table.include.list"]?.contains("public.follows") == true)
        let readme = try #require(files.first { $0.path == "MIGRATION.md" }?.text)
        let steps = readme.split(separator: "\n").filter { $0.first?.isNumber == true }
        let put = try #require(steps.firstIndex { $0.contains("/connectors/\(first.name)/config < debezium/\(first.name).json") })
        #expect(steps[put].contains("docker-compose exec -T connect curl -fsS -X PUT"))
        let script = try #require(steps.lastIndex { $0.contains("psql") && $0.contains(".sql") })
        #expect(script < put, "the publication gains the table before the connector asks for it")
        // Unchanged capture: no connector step.
        let same = Self.files(old, old, allowDestructive: false)
        #expect(!same.contains { $0.path.hasPrefix("debezium/") })
    }

    /// A view is dropped and created again only when the relation changes: not when a shard is
    /// added (the databases that hold it change) and not when a materialized view's refresh
    /// schedule changes (cron.sql changes the job; the rows are not computed again).
    @Test func viewsAreRecreatedOnlyWhenTheirRelationChanges() throws {
        func viewChanges(_ old: Plan, _ new: Plan) -> [PlanChange] {
            PlanDiff(old: old, new: new).changeSet().changes.filter { $0.object.hasSuffix("view") }
        }
        let sharded = try Self.edited("ecommerce.yaml", "  shards: 16\n", "  shards: 17\n")
        #expect(viewChanges(sharded.old, sharded.new).allSatisfy { $0.action == .create }, "\(viewChanges(sharded.old, sharded.new))")
        let scheduled = try Self.edited("ecommerce.yaml", "schedule: \"0 * * * *\"", "schedule: \"*/30 * * * *\"")
        #expect(viewChanges(scheduled.old, scheduled.new).isEmpty)
        let jobs = PlanDiff(old: scheduled.old, new: scheduled.new).changeSet().changes.filter { $0.object == "job" }
        #expect(jobs.map(\.name) == (0..<16).map { "shop_s\($0).refresh_daily_sales" })
        #expect(jobs.allSatisfy { $0.action == .alter && $0.detail.hasPrefix("schedule '0 * * * *' -> '*/30 * * * *'") })
        #expect(Self.files(scheduled.old, scheduled.new, allowDestructive: false).contains { $0.path.hasSuffix("/cron.sql") })
        let requeried = try Self.edited("ecommerce.yaml", "count(*) AS orders", "count(*) AS order_count")
        #expect(viewChanges(requeried.old, requeried.new).map(\.action).contains(.replace))
    }

    /// Backups added to a deployment: a change of its own, and the migration carries the backup
    /// role (post-bootstrap.sh made it only at a bootstrap with backups), each cluster's
    /// pgbackrest.conf, and the stanza, check and first full backup after Patroni's restart.
    @Test func backupsAddedCarryTheirRoleStanzaAndFirstBackup() throws {
        let text = """
            topology: bk
            clusters:
              main: { members: 2, replication: { mode: synchronous } }
            guarantees: { rpo: 0 }

            """
        let old = try #require(PlanTestSupport.plan(text, target: .local))
        let new = try #require(PlanTestSupport.plan(text + "backup: {}\n", target: .local))
        let change = try #require(PlanDiff(old: old, new: new).changeSet().changes.first { $0.object == "backup" })
        #expect(change.action == .create && change.impact == .configRestart)
        let files = Self.files(old, new, allowDestructive: false)
        let role = try #require(files.first { $0.path == MigrationArtifacts.backupRolePath("main") }?.text)
        #expect(role.contains("CREATE ROLE \"\(new.roles.backup)\" LOGIN"))
        #expect(role.contains("GRANT pg_read_all_settings TO \"\(new.roles.backup)\""))
        #expect(files.contains { $0.path == "pgbackrest/main/pgbackrest.conf" })
        let readme = try #require(files.first { $0.path == "MIGRATION.md" }?.text)
        let steps = readme.split(separator: "\n").filter { $0.first?.isNumber == true }
        let patroni = try #require(steps.firstIndex { $0.contains("patronictl") })
        let stanza = try #require(steps.firstIndex { $0.contains("stanza-create") && $0.contains("--type=full") })
        #expect(patroni < stanza, "archiving is on (the restart) before the stanza is made")
        #expect(steps[stanza].contains("-f \(MigrationArtifacts.backupRolePath("main"))"))
        // Removed: archiving stops; no stanza step.
        let removed = PlanDiff(old: new, new: old).changeSet().changes.first { $0.object == "backup" }
        #expect(removed?.action == .drop)
        #expect(!Self.files(new, old, allowDestructive: false).contains { $0.text.contains("stanza-create") })
    }

    /// A second slot makes each connector's topic prefix carry its cluster: Debezium keys its
    /// offsets by the prefix, so the change says the connector starts over into new topics.
    @Test func aChangedTopicPrefixSaysTheConnectorStartsOver() throws {
        let products = "    products: { method: logical, replica_identity: full }\n"
        let (old, new) = try Self.edited(
            "ecommerce.yaml", products, products + "    users: { method: logical, replica_identity: full }\n")
        let changes = PlanDiff(old: old, new: new).changeSet().changes.filter { $0.object == "connector" }
        let altered = try #require(changes.first { $0.action == .alter })
        #expect(altered.detail.hasPrefix("table.include.list, topic.prefix change"))
        #expect(altered.detail.contains("it finds no offset under the new one: it starts over (snapshot.mode initial) into new topics"))
        #expect(!altered.detail.contains("resumes from its stored offset"))
        #expect(changes.filter { $0.action == .create }.count == DebeziumBackend.connectors(new).count - 1)
    }

    /// A tenant dropped from schema-per-tenant tenancy: its schema dropped after the converge step
    /// and its role's grants revoked there, both as the superuser (the owner may not revoke
    /// another role's grants), then the role dropped by the cluster's drop.sql, last. Without
    /// `--allow-destructive`, none of it.
    @Test func aDroppedTenantSchemaAndItsRoleAreDroppedOnlyWhenAllowed() throws {
        let (old, new) = try Self.edited(
            "saas-schema-per-tenant.yaml", "tenants: [acme, globex, umbrella]", "tenants: [acme, umbrella]")
        let database = try #require(new.databases.first)
        let role = try #require(old.tenancy?.tenants.first { $0.name == "globex" }?.role)
        let files = Self.files(old, new, allowDestructive: true)
        let script = try #require(files.first { $0.path == MigrationScript.path(database) }?.text)
        let step = try #require(script.range(of: "DROP SCHEMA IF EXISTS \"t_globex\" CASCADE"))
        let converge = try #require(script.range(of: "-- step 001-converge"), "\(script)")
        #expect(converge.upperBound < step.lowerBound, "dropped after the converge step")
        let start = try #require(script[..<step.lowerBound].range(of: "-- step ", options: .backwards))
        let section = String(script[start.lowerBound...]).components(separatedBy: "COMMIT")[0]
        #expect(section.contains("DROP OWNED BY \"\(role)\""))
        #expect(!section.contains("SET LOCAL ROLE"), "runs as the superuser")
        #expect(!script.contains("t_acme\" CASCADE") && !script.contains("t_umbrella\" CASCADE"))
        let drop = try #require(files.first { $0.path == MigrationArtifacts.dropPath(database.cluster) }?.text)
        #expect(drop.contains("DROP ROLE IF EXISTS \"\(role)\""))
        #expect(!drop.contains("DROP DATABASE"))
        let readme = try #require(files.first { $0.path == "MIGRATION.md" }?.text)
        let steps = readme.split(separator: "\n").filter { $0.first?.isNumber == true }
        #expect(steps.last?.contains("-f \(MigrationArtifacts.dropPath(database.cluster))") == true, "drop.sql runs last")

        let refused = Self.files(old, new, allowDestructive: false)
        #expect(!refused.contains { $0.text.contains("DROP SCHEMA") || $0.text.contains("DROP OWNED") })
        #expect(!refused.contains { $0.path.hasSuffix("/drop.sql") })
    }

    /// A tenant dropped from database-per-tenant tenancy: drop.sql drops its database, then its
    /// role, and the cluster's cron.sql unschedules the jobs topoc
    /// named for the database that left (pg_cron lives in `postgres` and would run them against a
    /// database that no longer exists).
    @Test func aDroppedTenantDatabaseLeavesNoJobRoleOrDatabase() throws {
        let view = """
            views:
              patient_count:
                materialized: true
                query: SELECT count(*) AS patients FROM patients
                refresh: { schedule: "@hourly" }

            cdc:
            """
        let (old, new) = try Self.edited(
            "saas-database-per-tenant.yaml", "tenants: [northside, riverside, lakeview]", "tenants: [northside, lakeview]",
            base: ("cdc:\n", view + "\n"))
        let gone = try #require(old.tenancy?.tenants.first { $0.name == "riverside" })
        let database = try #require(gone.database)
        let role = try #require(gone.role)
        let cluster = try #require(old.databases.first { $0.name == database }?.cluster)
        #expect(CronDDL.jobs(cluster: cluster, in: old).contains { $0.database == database }, "the base edit gives the database a job")
        let files = Self.files(old, new, allowDestructive: true)
        let drop = try #require(files.first { $0.path == MigrationArtifacts.dropPath(cluster) }?.text)
        let dropped = try #require(drop.range(of: "DROP DATABASE IF EXISTS \"\(database)\" WITH (FORCE)"))
        let roleDropped = try #require(drop.range(of: "DROP ROLE IF EXISTS \"\(role)\""))
        #expect(dropped.upperBound < roleDropped.lowerBound, "the role once nothing of it is left")
        #expect(drop.components(separatedBy: "DROP DATABASE").count == 2, "no kept database is dropped")
        let cron = try #require(files.first { $0.path == "sql/\(cluster)/cron.sql" }?.text)
        #expect(cron.contains("'\(database)'"), "the unschedule condition names the database that left")
        #expect(!cron.contains("cron.schedule_in_database('\(database).refresh"), "and schedules nothing in it")
        let change = PlanDiff(old: old, new: new).changeSet().changes.first { $0.object == "database" && $0.name == database }
        #expect(change?.impact == .destructive)
        #expect(change?.detail.contains(MigrationArtifacts.dropPath(cluster)) == true)
        #expect(!Self.files(old, new, allowDestructive: false).contains { $0.text.contains("DROP DATABASE") })
    }
}
