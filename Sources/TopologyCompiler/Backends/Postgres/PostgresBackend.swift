/// Writes the PostgreSQL DDL: one ordered, idempotent script per database of the plan
/// (`sql/<cluster>/<database>.sql`; databases alike but for their identity, such as the shards,
/// include one shared script `sql/shared/<kind>.sql` with psql's `\ir`), a script creating each cluster's databases, the pg_cron
/// jobs of each cluster (`cron.sql`), the tenant onboarding script of schema-per-tenant
/// databases, the subscriptions of multi-primary groups (`multi-primary-subscriptions.sql`), and
/// `sql/placement.json` saying what runs where and in which order.
public struct PostgresBackend: StagingBackend {
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

    /// How many bytes of scripts a staged build gathers before it hands them on
    /// (``stage(_:into:)``): the 4,096 databases of 4,096 shards are handed on in a few batches,
    /// not held together.
    static let batchSize = 1 << 20

    /// Every script of the plan and `sql/placement.json`, in a fixed order.
    public func artifacts(for plan: Plan) -> [Artifact] {
        var artifacts: [Artifact] = []
        render(
            plan, batchSize: Self.batchSize,
            shared: { artifacts.append(Artifact(path: $0.path, contents: $0.contents(), producer: name)) },
            deliver: { artifacts += $0 })
        return artifacts
    }

    /// Writes ``artifacts(for:)`` into `staging`: each shared script piece by piece as it is
    /// rendered (``SharedSchemaGroup/write(to:)``), the other scripts in batches of about
    /// ``batchSize`` bytes.
    func stage(_ plan: Plan, into staging: OutputStaging) {
        stage(plan, into: staging, batchSize: Self.batchSize)
    }

    /// ``stage(_:into:)`` in batches of about `batchSize` bytes.
    func stage(_ plan: Plan, into staging: OutputStaging, batchSize: Int) {
        render(
            plan, batchSize: batchSize,
            shared: { group in
                staging.stage(group.path, producer: name) { (file) throws(OutputSystemError) in try group.write(to: file) }
            },
            deliver: staging.stage)
    }

    /// Hands ``artifacts(for:)`` to `deliver` as they are made, for a backend that reads them as
    /// well (the kubernetes target's schema `ConfigMap`s carry the scripts): each shared script's
    /// bytes first to `shared`, with the paths of the scripts that include it, then as an artifact
    /// to `deliver`, before any cluster; then each cluster's database scripts, also to `cluster`
    /// once that cluster's are made. No more than one cluster's scripts and one batch are held for
    /// the reader.
    ///
    /// - Parameters:
    ///   - plan: The plan.
    ///   - batchSize: How many bytes of scripts gather before they are handed on.
    ///   - deliver: Receives every artifact: each shared script alone, the others in batches of
    ///     about `batchSize` bytes.
    ///   - shared: Receives each shared script's path and UTF-8 bytes and the paths of the
    ///     scripts that include it (`\ir`).
    ///   - cluster: Receives a cluster's name and its databases' scripts, once per cluster that
    ///     holds databases, in plan order.
    func render(
        _ plan: Plan, batchSize: Int = PostgresBackend.batchSize, deliver: @escaping ([Artifact]) -> Void,
        shared: (_ path: String, _ contents: [UInt8], _ includedBy: [String]) -> Void,
        cluster: (_ name: String, _ scripts: [Artifact]) -> Void
    ) {
        render(
            plan, batchSize: batchSize,
            shared: { group in
                // One copy of the text, read by both.
                let contents = group.contents()
                shared(group.path, contents, group.members.map { DatabaseScript.path($0.database) })
                deliver([Artifact(path: group.path, contents: contents, producer: name)])
            },
            deliver: deliver, cluster: cluster)
    }

    /// Renders every artifact of the plan in ``artifacts(for:)``'s order: hands each shared
    /// script's group to `shared`, the other artifacts to `deliver` in batches, and each
    /// cluster's database scripts to `cluster` once they are made.
    private func render(
        _ plan: Plan, batchSize: Int, shared sharedScript: (SharedSchemaGroup) -> Void, deliver: @escaping ([Artifact]) -> Void,
        cluster clusterScripts: (_ name: String, _ scripts: [Artifact]) -> Void = { _, _ in }
    ) {
        let shared = SharedRendering()
        let databases = plan.databases.map { DatabaseScope(plan: plan, database: $0, shared: shared) }
        var batch = ArtifactBatch(size: batchSize, deliver: deliver)
        var cronScripts: [String: String] = [:]
        let groups = SharedSchemaGroup.groups(databases)
        var includes: [String: String] = [:]
        for group in groups {
            sharedScript(group)
            for member in group.members { includes[DatabaseScript.path(member.database)] = group.path }
        }
        // Grouped once: filtering every database for each cluster is quadratic in the shard count.
        // By position, not by copy: a scope was 1.6 KB when it held the plan inline, and copies of
        // 4,096 of them were 6.6 MB (now 120 bytes: the plan is shared, `PlanStorage`).
        let byCluster = Dictionary(grouping: databases.indices, by: { databases[$0].cluster })
        for cluster in Self.clusters(of: databases) {
            let held = (byCluster[cluster] ?? []).map { databases[$0] }
            batch.append(
                Artifact(path: Self.createDatabasesPath(cluster), contents: createDatabases(cluster, held, plan), producer: name))
            var scripts: [Artifact] = []
            for database in held {
                let path = DatabaseScript.path(database.database)
                let script =
                    includes[path].map { DatabaseScript.includingScript(database, shared: $0) } ?? DatabaseScript.render(database)
                let artifact = Artifact(path: path, contents: script, producer: name)
                scripts.append(artifact)
                batch.append(artifact)
                if database.hasTenantSchemas {
                    batch.append(
                        Artifact(
                            path: Self.onboardPath(cluster),
                            contents: TenancyDDL.onboardScript(database, header: header(plan, "tenant onboarding")),
                            producer: name))
                }
            }
            if let subscriptions = MultiPrimaryDDL.subscriptionScript(cluster: cluster, plan: plan) {
                batch.append(
                    Artifact(path: MultiPrimaryDDL.subscriptionsPath(cluster), contents: subscriptions.text, producer: name))
            }
            if let cron = CronDDL.render(cluster: cluster, databases: held, plan: plan) {
                let path = "sql/\(cluster)/\(CronDDL.fileName(cluster: cluster, databases: held))"
                cronScripts[cluster] = path
                batch.append(Artifact(path: path, contents: cron, producer: name))
            }
            clusterScripts(cluster, scripts)
        }
        let manifest = PlacementManifest(plan: plan, databases: databases, cronScripts: cronScripts, includes: includes)
        batch.append(Artifact(path: Self.placementPath, contents: DeterministicJSON.bytes(manifest), producer: name))
        batch.flush()
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
