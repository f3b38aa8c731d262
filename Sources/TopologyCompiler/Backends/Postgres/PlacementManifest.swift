/// `sql/placement.json`: which script runs on which cluster and database, in which order,
/// and what the servers need for them.
struct PlacementManifest: Sendable, Codable, Equatable {
    /// One script to run.
    struct Step: Sendable, Codable, Equatable {
        /// The position in the order (from 1).
        var order: Int
        /// The physical cluster (Patroni scope) whose leader runs it.
        var cluster: String
        /// The database to connect to.
        var database: String
        /// The script, relative to the output folder.
        var script: String
        /// What it does.
        var purpose: String
        /// Scripts it includes with psql's `\ir` (relative to the output folder), which must sit
        /// beside it as in the output folder; absent when it includes none.
        var includes: [String]? = nil
    }

    /// The format version of this file.
    var format: Int
    /// The topology's name.
    var topology: String
    /// The version of topoc that wrote it.
    var generator: String
    /// How to run one step.
    var apply: String
    /// Server settings the scripts rely on.
    var serverSettings: [String: String]
    /// The scripts in order.
    var steps: [Step]
    /// Scripts run when needed (tenant onboarding), not at deployment.
    var onDemand: [Step]
    /// What the scripts do not do.
    var notes: [String]

    /// The manifest of a plan's scripts.
    /// - Parameter includes: The shared script each database script includes, by script path.
    init(plan: Plan, databases: [DatabaseScope], cronScripts: [String: String], includes: [String: String] = [:]) {
        format = 1
        topology = plan.topology
        generator = "topoc \(TopocVersion.current)"
        apply = "psql -X -v ON_ERROR_STOP=1 -d <database> -f <script>"
        var settings: [String: String] = [:]
        if databases.contains(where: { $0.extensions.contains("pg_partman") }) {
            // pg_partman's maintenance computes new partition bounds in the server's time zone.
            settings["timezone"] = "UTC"
        }
        if !cronScripts.isEmpty {
            for setting in CronDDL.serverSettings { settings[setting.name] = setting.value }
        }
        if !plan.replication.publications.isEmpty || !plan.multiPrimaryGroups.isEmpty {
            settings["wal_level"] = "logical"
        }
        // A slot's consumer may stall: the bound on the WAL it holds back (the smallest of the
        // clusters' values when they differ; SlotRetention).
        let slotHosts = plan.clusters.filter { !ClusterLayout.slots(of: $0, in: plan).isEmpty }
        if let bound = slotHosts.compactMap({ $0.settings["max_slot_wal_keep_size"] }).min(by: {
            (ByteSize(parsing: $0)?.bytes ?? 0) < (ByteSize(parsing: $1)?.bytes ?? 0)
        }) {
            settings["max_slot_wal_keep_size"] = bound
        }
        serverSettings = settings
        var steps: [Step] = []
        var onDemand: [Step] = []
        // Grouped once: searching every database for each cluster copied each scope (and its
        // plan) shards^2 times, a sixth of a 4,096-shard build's CPU.
        let byCluster = Dictionary(grouping: databases.indices, by: { databases[$0].cluster })
        for cluster in PostgresBackend.clusters(of: databases) {
            steps.append(
                Step(
                    order: steps.count + 1, cluster: cluster, database: CronDDL.cronDatabase,
                    script: PostgresBackend.createDatabasesPath(cluster),
                    purpose: "create the cluster's databases (psql \\gexec)"))
            for index in byCluster[cluster] ?? [] {
                let database = databases[index]
                steps.append(
                    Step(
                        order: steps.count + 1, cluster: cluster, database: database.database.name,
                        script: DatabaseScript.path(database.database), purpose: Self.purpose(database),
                        includes: includes[DatabaseScript.path(database.database)].map { [$0] }))
                if database.hasTenantSchemas {
                    onDemand.append(
                        Step(
                            order: onDemand.count + 1, cluster: cluster, database: database.database.name,
                            script: PostgresBackend.onboardPath(cluster),
                            purpose: "onboard a tenant: psql -v tenant=<name> (calls topoc_onboard_tenant)"))
                }
            }
            if let cron = cronScripts[cluster] {
                steps.append(
                    Step(
                        order: steps.count + 1, cluster: cluster, database: CronDDL.cronDatabase, script: cron,
                        purpose: "pg_cron jobs (run in cron.database_name)"))
            }
        }
        // Subscriptions last: every member's publication must exist before a peer subscribes.
        for cluster in PostgresBackend.clusters(of: databases) {
            guard let subscriptions = MultiPrimaryDDL.subscriptionScript(cluster: cluster, plan: plan) else { continue }
            steps.append(
                Step(
                    order: steps.count + 1, cluster: cluster, database: subscriptions.database,
                    script: MultiPrimaryDDL.subscriptionsPath(cluster),
                    purpose: "multi-primary subscriptions to the group's other clusters (psql \\gexec)"))
        }
        self.steps = steps
        self.onDemand = onDemand
        var notes = [
            "Set the application role's password at deploy time (ALTER ROLE ... PASSWORD); the scripts never hold one.",
            "Logical replication slots are created by Patroni from plan.json, not by these scripts.",
            "Foreign keys, counters and snapshots that would cross databases are left out and named in comments.",
            "The scripts need a superuser: they create extensions, roles and (for partitioned tables with REPLICA IDENTITY FULL) an event trigger.",
        ]
        if databases.contains(where: { $0.extensions.contains("pg_partman") }) {
            notes.append(
                "pg_partman retention drops expired partitions (retention_keep_table = false); run_maintenance is scheduled hourly in cron.sql."
            )
        }
        if !plan.multiPrimaryGroups.isEmpty {
            notes.append(
                "Multi-primary subscriptions read \(ClusterLayout.peerPassfileName) next to each member's data directory (make-peer-pgpass.sh writes it) and start from the slot's creation: tables are not copied (copy_data = false), so load data after the subscriptions exist."
            )
        }
        if plan.tenancy?.mode == .schemaPerTenant {
            notes.append("A tenant onboarded later gets no pg_cron refresh job until cron.sql is regenerated with it.")
        }
        self.notes = notes
    }

    /// What a database's script sets up.
    private static func purpose(_ database: DatabaseScope) -> String {
        switch database.database.kind {
        case .main: "schema of the main database"
        case .shard: "schema of shard \(database.database.shard ?? 0), with topoc_shard_for()"
        case .vertical: "vertical group tables"
        case .tenant: "schema of tenant \(database.database.tenant ?? "")"
        }
    }
}
