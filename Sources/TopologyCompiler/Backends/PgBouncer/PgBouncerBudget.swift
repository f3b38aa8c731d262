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

    /// The most server connections of one PgBouncer database: every user's pool full, reserve included.
    static func cap(poolSize: Int, reserve: Int, users: Int) -> Int {
        (poolSize + reserve) * users
    }
}
