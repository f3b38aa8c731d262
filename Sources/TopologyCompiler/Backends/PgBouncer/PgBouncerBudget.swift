/// The server connections PgBouncer may open, counted the way PgBouncer pools them: one pool
/// per (database, user) pair, each of `pool_size` connections plus `reserve_pool_size` under
/// load. A PgBouncer database (`<db>` or `<db>_ro`) is capped at the sum of its users' pools
/// with `max_db_connections`, so a login role the topology does not know (one created later
/// in the clients group) cannot push the server past what TPB504 counted.
enum PgBouncerBudget {
    /// The roles PgBouncer opens server connections as in a database: its auth_user (auth_query
    /// runs in the client's database, through a pool of its own) and every member of the clients
    /// group with CONNECT there. The CDC and multi-primary roles connect directly, not through
    /// PgBouncer (the lookup function refuses replication roles), and so does the monitoring role
    /// (not a member of the clients group).
    static func users(of database: PlanDatabase, in plan: Plan, shared: SharedRendering = SharedRendering()) -> [String] {
        let direct: Set = [plan.roles.changeDataCapture, plan.roles.multiPrimary, plan.roles.monitor]
        return RoleDDL.connectingRoles(DatabaseScope(plan: plan, database: database, shared: shared)).map(\.role).filter {
            !direct.contains($0)
        }
    }

    /// The roles of each of `pools` (of ``PgBouncerPool/pools(of:)``), worked out once per database:
    /// a database's read-write and read-only pools have the same.
    static func users(of pools: [PgBouncerPool], in plan: Plan) -> [[String]] {
        struct DatabaseKey: Hashable {
            var cluster: String
            var name: String
        }
        let shared = SharedRendering()
        let databases = Dictionary(
            plan.databases.map { (DatabaseKey(cluster: $0.cluster, name: $0.name), $0) }, uniquingKeysWith: { first, _ in first })
        var found: [DatabaseKey: [String]] = [:]
        return pools.map { pool in
            let key = DatabaseKey(cluster: pool.cluster, name: pool.database)
            if let users = found[key] { return users }
            let users = databases[key].map { Self.users(of: $0, in: plan, shared: shared) } ?? []
            found[key] = users
            return users
        }
    }

    /// The most server connections of one PgBouncer database: every user's pool full, reserve included.
    static func cap(poolSize: Int, reserve: Int, users: Int) -> Int {
        (poolSize + reserve) * users
    }
}
