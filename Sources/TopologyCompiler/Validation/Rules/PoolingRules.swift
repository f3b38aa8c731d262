extension RuleCatalog {
    /// The pooling rules (TPB5xx): what PgBouncer's pool mode breaks, and whether the pools fit
    /// the servers behind them.
    static let poolingRules: [Rule] = [
        Rule(.tenantSettingMustBeTransactionLocal) { PoolingChecks.tenantSetting($0) },
        Rule(.sessionFeatureUnderTransactionPooling) { PoolingChecks.sessionFeatures($0) },
        Rule(.preparedStatementsUnderTransactionPooling) { PoolingChecks.preparedStatements($0) },
        Rule(.poolsExceedMaxConnections) { PoolingChecks.connectionBudget($0) },
        Rule(.replicasWithoutReadOnlyPool) { PoolingChecks.readOnlyPool($0) },
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

    /// TPB503: prepared statements under transaction pooling.
    static func preparedStatements(_ context: RuleContext) {
        let pooling = context.topology.pooling
        guard sharesConnections(pooling) else { return }
        for feature in pooling.sessionFeatures where feature.value == .preparedStatements {
            context.report(
                "'prepared-statements' break under \(pooling.mode.value.rawValue) pooling: SQL PREPARE never works, and protocol-level prepared statements need PgBouncer 1.21 or later with max_prepared_statements set (Debian 12 ships 1.18); disable the driver's prepared statements or use 'mode: session'",
                at: feature.location, notes: [.init("the pool mode is chosen here", at: pooling.mode.location)])
        }
    }

    // MARK: TPB504

    /// TPB504: pooled connections per server against max_connections.
    static func connectionBudget(_ context: RuleContext) {
        let topology = context.topology
        let pooling = topology.pooling
        let layout = PhysicalClusterLayout(topology: topology)
        let reserved = ClusterFacts.superuserReservedConnections
        for template in topology.clusters {
            guard let physical = layout.clusters(of: template).max(by: { $0.databases.count < $1.databases.count }),
                !physical.databases.isEmpty
            else { continue }
            let databases = physical.databases.count
            let limit = template.settings.maxConnections?.value ?? ClusterFacts.defaultMaxConnections
            let limitText =
                template.settings.maxConnections == nil ? "the default max_connections \(limit)" : "max_connections \(limit)"
            let location = template.settings.maxConnections?.location ?? template.name.location
            let scope = "\(ClusterFacts.count(databases, "database")) on cluster '\(physical.name)'"
            let readWrite = pooling.readWrite.size.value + pooling.readWrite.reserve.value
            let leader = readWrite * databases + reserved
            if leader > limit {
                context.report(
                    "the leader of cluster '\(physical.name)' may receive \(leader) connections, more than \(limitText): read_write pool \(pooling.readWrite.size.value) + reserve \(pooling.readWrite.reserve.value) for each of the \(scope), plus \(reserved) superuser_reserved_connections",
                    at: location, notes: [.init("the read_write pool is sized here", at: pooling.readWrite.size.location)],
                    suppressions: template.suppressions)
            }
            // Every database also has a `<db>_ro` pool on the replicas, sized like the read_write
            // pool (without reserve) when no read_only pool is declared.
            guard ClusterFacts.replicas(of: template) > 0 else { continue }
            let readOnlySize = pooling.readOnly?.size ?? pooling.readWrite.size
            let readOnlyReserve = pooling.readOnly?.reserve.value ?? 0
            let replica = (readOnlySize.value + readOnlyReserve) * databases + reserved
            if replica > limit {
                let origin = pooling.readOnly == nil ? " (the read_write size: no read_only pool is declared)" : ""
                context.report(
                    "each replica of cluster '\(physical.name)' may receive \(replica) connections, more than \(limitText): read-only pool \(readOnlySize.value)\(origin) + reserve \(readOnlyReserve) for each of the \(scope), plus \(reserved) superuser_reserved_connections",
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
        let layout = PhysicalClusterLayout(topology: topology)
        for template in topology.clusters where ClusterFacts.replicas(of: template) > 0 {
            guard layout.clusters(of: template).contains(where: { !$0.databases.isEmpty }) else { continue }
            let decided = ClusterFacts.decisions(for: template, in: topology)
            guard decided.readPreference != .leader else { continue }
            context.report(
                "cluster '\(template.name.value)' has \(ClusterFacts.count(ClusterFacts.replicas(of: template), "replica")) that may serve reads (read_preference \(decided.readPreference.rawValue)), but no 'pooling.read_only' pool: PgBouncer cannot split reads from writes, so reads need the '<db>_ro' pools, which are then sized like the read_write pool (\(pooling.readWrite.size.value), no reserve) instead of for the read load",
                at: pooling.location ?? pooling.readWrite.size.location,
                notes: [.init("cluster '\(template.name.value)' has replicas", at: ClusterFacts.membersLocation(of: template))],
                suppressions: template.suppressions)
        }
    }
}
