extension RuleCatalog {
    /// The pooling rules (TPB5xx): what PgBouncer's pool mode breaks, and whether the pools fit
    /// the servers behind them.
    static let poolingRules: [Rule] = [
        Rule(.tenantSettingMustBeTransactionLocal) { PoolingChecks.tenantSetting($0) },
        Rule(.sessionFeatureUnderTransactionPooling) { PoolingChecks.sessionFeatures($0) },
        Rule(.preparedStatementsUnderTransactionPooling) { PoolingChecks.preparedStatements($0) },
        Rule(.poolsExceedMaxConnections) { PoolingChecks.connectionBudget($0) },
        Rule(.replicasWithoutReadOnlyPool) { PoolingChecks.readOnlyPool($0) },
        Rule(.poolNameCollision) { PoolingChecks.poolNames($0) },
    ]
}

/// The checks of the pooling rules.
enum PoolingChecks {
    /// Whether the pool mode hands server connections to other clients between transactions.
    static func sharesConnections(_ pooling: Pooling) -> Bool { pooling.mode.value != .session }

    /// What goes wrong with a session feature under transaction pooling, and the alternative.
    static func breakage(of feature: SessionFeature, tenancy: Tenancy?) -> String {
        switch feature {
        case .listenNotify:
            "LISTEN registers on the server connection, which serves other clients after the transaction, so notifications reach the wrong client or none"
        case .advisoryLocks:
            "a session-level advisory lock stays on the server connection after the transaction, where another client inherits it; use pg_advisory_xact_lock"
        case .withHoldCursors:
            "a WITH HOLD cursor outlives the transaction on a server connection that the next FETCH may not reach"
        case .sessionSettings:
            tenancy?.mode.value == .sharedSchema
                ? "a SET outlives the transaction on a server connection another client gets next; with shared-schema tenancy that client then runs as the previous tenant and row-level security shows it that tenant's rows; use SET LOCAL or set_config(..., true)"
                : "a SET outlives the transaction on a server connection another client gets next; use SET LOCAL or set_config(..., true)"
        case .temporaryTables:
            "a temporary table outlives the transaction on a server connection another client gets next; create it with ON COMMIT DROP"
        case .preparedStatements:
            "prepared statements are prepared on one server connection and executed on another"
        }
    }

    // MARK: TPB501

    /// TPB501: the tenant setting under transaction pooling.
    static func tenantSetting(_ context: RuleContext) {
        let topology = context.topology
        guard let tenancy = topology.tenancy, tenancy.mode.value == .sharedSchema, sharesConnections(topology.pooling) else {
            return
        }
        context.report(
            "under \(topology.pooling.mode.value.rawValue) pooling the tenant must be set per transaction: topoc's generated code uses set_config('app.tenant_id', $1, true), and hand-written code must too (or SET LOCAL), never a plain SET",
            at: topology.pooling.mode.location,
            notes: [.init("row-level security reads the tenant of shared-schema tenancy", at: tenancy.mode.location)])
    }

    // MARK: TPB502, TPB503

    /// TPB502: session features that transaction pooling breaks.
    static func sessionFeatures(_ context: RuleContext) {
        let pooling = context.topology.pooling
        guard sharesConnections(pooling) else { return }
        for feature in pooling.sessionFeatures where feature.value != .preparedStatements {
            context.report(
                "'\(feature.value.rawValue)' breaks under \(pooling.mode.value.rawValue) pooling: \(breakage(of: feature.value, tenancy: context.topology.tenancy)); use 'mode: session' or stop using it",
                at: feature.location, notes: [.init("the pool mode is chosen here", at: pooling.mode.location)])
        }
    }

    /// TPB503: prepared statements under transaction pooling, against the PgBouncer release.
    static func preparedStatements(_ context: RuleContext) {
        let pooling = context.topology.pooling
        guard sharesConnections(pooling), pooling.version < .preparedStatementTracking else { return }
        let which =
            pooling.declaredVersion == nil
            ? "PgBouncer \(pooling.version) (the default 'pgbouncer_version': Debian 12's package, which the artifacts install)"
            : "PgBouncer \(pooling.version)"
        var notes: [Diagnostic.Note] = [.init("the pool mode is chosen here", at: pooling.mode.location)]
        if let declared = pooling.declaredVersion { notes.append(.init("the PgBouncer release is declared here", at: declared.location)) }
        for feature in pooling.sessionFeatures where feature.value == .preparedStatements {
            context.report(
                "'prepared-statements' break under \(pooling.mode.value.rawValue) pooling with \(which): before 1.21 PgBouncer does not track protocol-level prepared statements (a statement prepared on one server connection is executed on another, which answers 'prepared statement ... does not exist') and has no max_prepared_statements setting, and SQL PREPARE never works through a shared pool; disable the driver's prepared statements, use 'mode: session', or run PgBouncer 1.21 or later and declare it with 'pooling.pgbouncer_version'",
                at: feature.location, notes: notes)
        }
    }

    // MARK: TPB504

    /// The roles PgBouncer connects to a hosted database as: the auth_user, and the client roles
    /// with CONNECT there (the tenant's role in a tenant database; else the application and
    /// read-only roles, and every tenant's role where tenants have schemas in it). Mirrors
    /// ``PgBouncerBudget/users(of:in:)`` on the plan (a test keeps the two equal).
    static func pgbouncerUsers(of database: PhysicalLayout.Database, in topology: Topology) -> Int {
        if database.kind == .tenant { return 2 }
        var users = 3
        if let tenancy = topology.tenancy, tenancy.mode.value == .schemaPerTenant, database.kind != .vertical {
            let shared = Set(tenancy.sharedTables.map(\.value))
            if database.tables.contains(where: { !shared.contains($0) }) { users += tenancy.tenants.count }
        }
        return users
    }

    /// TPB504: the server connections PgBouncer may open on each member against max_connections,
    /// per (database, user) pool, as `max_db_connections` caps them.
    static func connectionBudget(_ context: RuleContext) {
        let topology = context.topology
        let pooling = topology.pooling
        let layout = PhysicalLayout(topology: topology)
        let reserved = ClusterFacts.superuserReservedConnections
        let readWrite = pooling.readWrite.size.value + pooling.readWrite.reserve.value
        let readOnlySize = pooling.readOnly?.size ?? pooling.readWrite.size
        let readOnly = readOnlySize.value + (pooling.readOnly?.reserve.value ?? 0)
        for template in topology.clusters {
            let physicals = layout.clusters(of: template).filter { !$0.databases.isEmpty }
            let counted = physicals.map { physical in
                (physical, physical.databases.reduce(0) { $0 + pgbouncerUsers(of: $1, in: topology) })
            }
            guard let (physical, users) = counted.max(by: { $0.1 < $1.1 }) else { continue }
            let limit = template.settings.maxConnections?.value ?? ClusterFacts.defaultMaxConnections
            let limitText =
                template.settings.maxConnections == nil ? "the default max_connections \(limit)" : "max_connections \(limit)"
            let location = template.settings.maxConnections?.location ?? template.name.location
            let scope =
                "\(ClusterFacts.count(physical.databases.count, "database")) on cluster '\(physical.name)', \(users) (database, user) pairs in all (each database's client roles and PgBouncer's auth_user)"
            // The read-only frontend reaches the leader too: it follows the leader (strong
            // consistency, a single member) or falls back to it when no replica qualifies.
            let leader = (readWrite + readOnly) * users + reserved
            if leader > limit {
                context.report(
                    "the leader of cluster '\(physical.name)' may receive \(leader) connections, more than \(limitText): per (database, user) pool the read_write pool \(pooling.readWrite.size.value) + reserve \(pooling.readWrite.reserve.value) and the read-only pool \(readOnlySize.value) + reserve \(pooling.readOnly?.reserve.value ?? 0) (whose frontend falls back to the leader), for \(scope), plus \(reserved) superuser_reserved_connections",
                    at: location, notes: [.init("the read_write pool is sized here", at: pooling.readWrite.size.location)],
                    suppressions: template.suppressions)
            }
            guard ClusterFacts.replicas(of: template) > 0,
                ClusterFacts.decisions(for: template, in: topology).readPreference != .leader
            else { continue }
            let replica = readOnly * users + reserved
            if replica > limit {
                let origin = pooling.readOnly == nil ? " (the read_write size: no read_only pool is declared)" : ""
                context.report(
                    "each replica of cluster '\(physical.name)' may receive \(replica) connections, more than \(limitText): per (database, user) pool the read-only pool \(readOnlySize.value)\(origin) + reserve \(pooling.readOnly?.reserve.value ?? 0), for \(scope), plus \(reserved) superuser_reserved_connections",
                    at: location, notes: [.init("the read-only pool is sized here", at: readOnlySize.location)],
                    suppressions: template.suppressions)
            }
        }
    }

    // MARK: TPB505

    /// TPB505: readable replicas without a declared read-only pool.
    static func readOnlyPool(_ context: RuleContext) {
        let topology = context.topology
        let pooling = topology.pooling
        guard pooling.readOnly == nil else { return }
        let layout = PhysicalLayout(topology: topology)
        for template in topology.clusters where ClusterFacts.replicas(of: template) > 0 {
            guard layout.clusters(of: template).contains(where: { !$0.databases.isEmpty }) else { continue }
            let decided = ClusterFacts.decisions(for: template, in: topology)
            guard decided.readPreference != .leader else { continue }
            context.report(
                "cluster '\(template.name.value)' has \(ClusterFacts.count(ClusterFacts.replicas(of: template), "replica")) that may serve reads (read_preference \(decided.readPreference.rawValue)), but no 'pooling.read_only' pool: PgBouncer cannot split reads from writes, so reads need the '<db>_ro' pools, which are then sized like the read_write pool (\(pooling.readWrite.size.value), no reserve) instead of for the read load",
                at: pooling.location ?? ClusterFacts.membersLocation(of: template),
                notes: pooling.location == nil
                    ? [] : [.init("cluster '\(template.name.value)' has replicas", at: ClusterFacts.membersLocation(of: template))],
                suppressions: template.suppressions)
        }
    }

    // MARK: TPB506

    /// TPB506: every pool has its own name, and none is PgBouncer's admin console. The names are
    /// ``PgBouncerPool/poolNames(of:)``'s, over the databases the plan will have.
    static func poolNames(_ context: RuleContext) {
        let topology = context.topology
        let databases = PhysicalLayout(topology: topology).databases
        let names = PgBouncerPool.poolNames(of: databases.map { ($0.name, $0.cluster) })
        var seen: [String: PhysicalLayout.Database] = [:]
        for (database, pair) in zip(databases, names) {
            for (name, readOnly) in [(pair.readWrite, false), (pair.readOnly, true)] {
                let what = "the \(readOnly ? "read-only" : "read-write") pool of database '\(database.name)'"
                if name == PgBouncerPool.adminConsoleDatabase {
                    context.report(
                        "\(what) would be named '\(name)', the database name of PgBouncer's admin console: PgBouncer refuses "
                            + "to start with such a pool ('database name \"\(name)\" is reserved'); rename the database",
                        at: location(of: database, in: topology))
                } else if let other = seen[name] {
                    context.report(
                        "\(what) would be named '\(name)', which is already the name of a pool of database '\(other.name)': "
                            + "pgbouncer.ini would list the name twice and PgBouncer keep one entry without a word, so clients of one database "
                            + "would reach the other; "
                            + "rename one of the databases",
                        at: location(of: database, in: topology),
                        notes: [.init("database '\(other.name)' comes from here", at: location(of: other, in: topology))])
                } else {
                    seen[name] = database
                }
            }
        }
    }

    /// Where the name a database is made from is written.
    private static func location(of database: PhysicalLayout.Database, in topology: Topology) -> SourceLocation {
        if let derived = database.derivedFrom { return derived }
        let groups = topology.tables.flatMap(\.verticalGroups)
        return groups.first { $0.database.value == database.name }?.database.location ?? topology.name.location
    }
}
