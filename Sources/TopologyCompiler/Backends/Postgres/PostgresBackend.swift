/// Writes the PostgreSQL DDL: one ordered, idempotent script per database of the plan
/// (`sql/<cluster>/<database>.sql`; databases alike but for their identity, such as the shards,
/// include one shared script `sql/shared/<kind>.sql` with psql's `\ir`), a script creating each cluster's databases, the pg_cron
/// jobs of each cluster (`cron.sql`), the tenant onboarding script of schema-per-tenant
/// databases, the subscriptions of multi-primary groups (`multi-primary-subscriptions.sql`), and
/// `sql/placement.json` saying what runs where and in which order.
public struct PostgresBackend: Backend {
    /// The manifest's path.
    public static let placementPath = "sql/placement.json"

    /// Creates the backend.
    public init() {}

    /// `postgres`, for `topoc build --only postgres`.
    public var name: String { "postgres" }
    /// What the backend writes.
    public var summary: String {
        "sql/<cluster>/<database>.sql: tables, partitions, indexes, tenancy, triggers, views, CDC, shard functions"
    }

    /// Every script of the plan and `sql/placement.json`, in a fixed order.
    public func artifacts(for plan: Plan) -> [Artifact] {
        let shared = SharedRendering()
        let databases = plan.databases.map { DatabaseScope(plan: plan, database: $0, shared: shared) }
        var artifacts: [Artifact] = []
        var cronScripts: [String: String] = [:]
        let groups = SharedSchemaGroup.groups(databases)
        var includes: [String: String] = [:]
        for group in groups {
            artifacts.append(Artifact(path: group.path, contents: group.render(), producer: name))
            for member in group.members { includes[DatabaseScript.path(member.database)] = group.path }
        }
        // Grouped once: filtering every database for each cluster is quadratic in the shard count.
        let byCluster = Dictionary(grouping: databases, by: \.cluster)
        for cluster in Self.clusters(of: databases) {
            let held = byCluster[cluster] ?? []
            artifacts.append(
                Artifact(path: Self.createDatabasesPath(cluster), contents: createDatabases(cluster, held, plan), producer: name))
            for database in held {
                let path = DatabaseScript.path(database.database)
                let script =
                    includes[path].map { DatabaseScript.includingScript(database, shared: $0) } ?? DatabaseScript.render(database)
                artifacts.append(Artifact(path: path, contents: script, producer: name))
                if database.hasTenantSchemas {
                    artifacts.append(
                        Artifact(
                            path: Self.onboardPath(cluster),
                            contents: TenancyDDL.onboardScript(database, header: header(plan, "tenant onboarding")),
                            producer: name))
                }
            }
            if let subscriptions = MultiPrimaryDDL.subscriptionScript(cluster: cluster, plan: plan) {
                artifacts.append(
                    Artifact(path: MultiPrimaryDDL.subscriptionsPath(cluster), contents: subscriptions.text, producer: name))
            }
            if let cron = CronDDL.render(cluster: cluster, databases: held, plan: plan) {
                let path = "sql/\(cluster)/\(CronDDL.fileName(cluster: cluster, databases: held))"
                cronScripts[cluster] = path
                artifacts.append(Artifact(path: path, contents: cron, producer: name))
            }
        }
        let manifest = PlacementManifest(plan: plan, databases: databases, cronScripts: cronScripts, includes: includes)
        artifacts.append(Artifact(path: Self.placementPath, contents: DeterministicJSON.bytes(manifest), producer: name))
        return artifacts
    }

    /// The shared script each database script of `plan` includes (psql `\ir`), by script path
    /// (`sql/<cluster>/<database>.sql` -> `sql/shared/...`); databases with a self-contained
    /// script are absent.
    static func includes(_ plan: Plan) -> [String: String] {
        let shared = SharedRendering()
        return includes(plan.databases.map { DatabaseScope(plan: plan, database: $0, shared: shared) })
    }

    /// ``includes(_:)-(Plan)`` for the scopes of a plan's databases, in plan order.
    static func includes(_ databases: [DatabaseScope]) -> [String: String] {
        var includes: [String: String] = [:]
        for group in SharedSchemaGroup.groups(databases) {
            for member in group.members { includes[DatabaseScript.path(member.database)] = group.path }
        }
        return includes
    }

    /// The clusters that hold databases, in plan order.
    static func clusters(of databases: [DatabaseScope]) -> [String] {
        var seen = Set<String>()
        var order: [String] = []
        for database in databases where seen.insert(database.cluster).inserted {
            order.append(database.cluster)
        }
        return order
    }

    /// `sql/<cluster>/create-databases.sql`.
    package static func createDatabasesPath(_ cluster: String) -> String {
        "sql/\(cluster)/create-databases.sql"
    }

    /// `sql/<cluster>/onboard-tenant.sql`.
    static func onboardPath(_ cluster: String) -> String {
        "sql/\(cluster)/onboard-tenant.sql"
    }

    /// A short header for the cluster-level scripts.
    private func header(_ plan: Plan, _ what: String) -> String {
        "-- Generated by topoc \(TopocVersion.current) from topology \"\(SQLQuoting.comment(plan.topology))\": \(what). Do not edit.\n"
    }

    /// The script creating the cluster's databases that do not exist yet (psql's `\gexec`:
    /// `CREATE DATABASE` cannot run in a transaction block or a function).
    private func createDatabases(_ cluster: String, _ databases: [DatabaseScope], _ plan: Plan) -> String {
        var script = SQLScript()
        script.comment("Run in the cluster's \(CronDDL.cronDatabase) database with psql; skips databases that exist.")
        script.add("SET client_min_messages = warning")
        for database in databases {
            let name = database.database.name
            script.meta(
                "SELECT \(SQLQuoting.literal("CREATE DATABASE " + SQLQuoting.identifier(name))) WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_database WHERE datname = \(SQLQuoting.literal(name)))\\gexec"
            )
        }
        return header(plan, "databases of cluster \"\(cluster)\"") + script.render()
    }
}
