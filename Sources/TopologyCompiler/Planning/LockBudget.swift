/// How many entries of PostgreSQL's shared lock table the DDL of one database takes, and the
/// `max_locks_per_transaction` that makes room for it.
///
/// Each database's script runs in one transaction, and every relation it creates (table,
/// partition, TOAST table and its index, index, sequence, view) stays locked until COMMIT. The
/// lock table holds `max_locks_per_transaction x (max_connections + other backends)` entries for
/// the whole server, so a script that creates a few thousand relations fails with "out of shared
/// memory" on a default server (64 x 100). The estimate here is an upper bound: the PostgreSQL
/// suite applies every example's scripts and compares it with the locks held before COMMIT.
public enum LockBudget {
    /// PostgreSQL's default `max_locks_per_transaction`.
    public static let defaultMaxLocksPerTransaction = 64

    /// The factor of room left for the other sessions of the server while a script runs.
    static let headroom = 2

    /// Locks every script takes beyond its relations: its transaction and virtual transaction,
    /// the schemas, extensions and catalogs it touches.
    public static let baseLocks = 32

    /// An upper bound of the lock-table entries the script of `database` holds before COMMIT.
    ///
    /// - Parameters:
    ///   - database: A database of the plan.
    ///   - plan: The plan holding it.
    /// - Returns: The number of locks.
    public static func locks(of database: PlanDatabase, in plan: Plan) -> Int {
        locksByDatabase(in: plan)[database.name] ?? baseLocks
    }

    /// ``locks(of:in:)`` of every database of the plan, by database name, in one pass over the
    /// tables, views and audit tables (asking per database would be quadratic in the shards).
    ///
    /// - Parameter plan: The plan.
    /// - Returns: The number of locks of each database's script.
    public static func locksByDatabase(in plan: Plan) -> [String: Int] {
        let shared = Set(plan.tenancy?.sharedTables ?? [])
        var schemaCopies: [String: Int] = [:]
        var locks: [String: Int] = [:]
        for database in plan.databases where locks[database.name] == nil {
            schemaCopies[database.name] = tenantSchemas(in: database, plan: plan)
            locks[database.name] = baseLocks
        }
        for table in plan.tables {
            let relations = relations(of: table)
            for name in Set(table.databases) where locks[name] != nil {
                let copies = schemaCopies[name, default: 0]
                locks[name, default: baseLocks] += (copies > 0 && !shared.contains(table.name) ? copies : 1) * relations
            }
        }
        for view in plan.views {
            // A view is one relation; a materialized view has storage, TOAST and its unique index.
            let perCopy = view.materialized ? 3 + (view.uniqueKey.isEmpty ? 0 : 1) : 1
            for name in Set(view.databases) where locks[name] != nil {
                locks[name, default: baseLocks] += max(1, schemaCopies[name, default: 0]) * perCopy
            }
        }
        for name in Set(plan.replication.auditTables.map(\.database)) where locks[name] != nil {
            locks[name, default: baseLocks] += 5  // the audit table, its TOAST table and index, its primary key, its sequence
        }
        return locks
    }

    /// The `max_locks_per_transaction` a cluster needs for its largest script, or `nil` when
    /// PostgreSQL's default leaves room for it.
    ///
    /// - Parameters:
    ///   - locks: The locks of the cluster's largest script.
    ///   - maxConnections: The cluster's `max_connections`.
    /// - Returns: The setting, or `nil`.
    public static func requiredMaxLocksPerTransaction(locks: Int, maxConnections: Int) -> Int? {
        let needed = (locks * headroom + maxConnections - 1) / max(1, maxConnections)
        return needed > defaultMaxLocksPerTransaction ? needed : nil
    }

    /// The relations one copy of a table creates: the table and each partition with their
    /// indexes, TOAST table and TOAST index, the children pg_partman makes for its premake window
    /// (and its template table), and the sequences of serial columns. pg_partman's catch-up from
    /// the end of the planned series to the day the script runs is not counted: it depends on
    /// that day.
    public static func relations(of table: PlanTable) -> Int {
        var tables = 1 + table.partitions.count
        if let premake = table.schema.partitioning?.partmanPremake {
            tables += 2 * premake + 3
        }
        let sequences = table.schema.columns.filter { PlanNames.serialTypes.contains($0.type) }.count
        return tables * relations(ofPartitionOf: table) + sequences
    }

    /// The relations of one table or partition of `table`: itself, its TOAST table and TOAST
    /// index, and one per index (the primary key, unique constraints and indexes).
    public static func relations(ofPartitionOf table: PlanTable) -> Int {
        let schema = table.schema
        return 3 + (schema.primaryKey.isEmpty ? 0 : 1) + schema.uniqueConstraints.count + schema.indexes.count
    }

    /// The number of tenant schemas a schema-per-tenant database holds (0 for any other database).
    static func tenantSchemas(in database: PlanDatabase, plan: Plan) -> Int {
        guard let tenancy = plan.tenancy, tenancy.mode == .schemaPerTenant else { return 0 }
        return tenancy.tenants.filter { $0.schema != nil && ($0.database == nil || $0.database == database.name) }.count
    }
}
