/// How many entries of PostgreSQL's shared lock table the DDL of one database takes, and the
/// `max_locks_per_transaction` that makes room for it.
///
/// Each database's script runs in one transaction, and every relation it creates (table,
/// partition, TOAST table and its index, index, sequence, view) stays locked until COMMIT. The
/// lock table holds `max_locks_per_transaction x (max_connections + other backends)` entries for
/// the whole server, so a script that creates a few thousand relations fails with "out of shared
/// memory" on a default server (64 x 100). The estimate here is an upper bound: the PostgreSQL
/// suite applies every example's scripts and compares it with every lock held before COMMIT,
/// fast-path locks included (a backend keeps up to 16 weak relation locks outside the table, but
/// they move into it as soon as another backend takes a strong lock in the same hash partition).
public enum LockBudget {
    /// PostgreSQL's default `max_locks_per_transaction`.
    public static let defaultMaxLocksPerTransaction = 64

    /// The factor of room left for the other sessions of the server while a script runs.
    static let headroom = 2

    /// Locks every script takes beyond the objects it names: its transaction and virtual
    /// transaction (2), and the system catalogs and catalog indexes it reads (64; at most 54
    /// measured, by the schema-per-tenant script with pg_partman and a publication). The catalogs
    /// are a fixed set, so this part does not grow with the script.
    public static let baseLocks = 66

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
        // Databases by position: a sharded table is in every shard database, so the loops below
        // visit shards x tables pairs, and each pair costs one lookup of the database's name.
        var position: [String: Int] = [:]
        var names: [String] = []
        for database in plan.databases where position[database.name] == nil {
            position[database.name] = names.count
            names.append(database.name)
        }
        let tenants = TenantCount(plan)
        let copies = names.map { tenants.schemas(in: $0) }
        // Each script also locks, against a concurrent DROP, every role it grants to or creates
        // and every schema it creates or uses: `public`, pg_partman's and each tenant's.
        let fixedSchemas = 2
        var locks = names.indices.map { index in
            baseLocks + plan.roles.all.count + tenants.roles(in: names[index]) + fixedSchemas + copies[index]
        }
        // The last table or view that counted each database: a name listed twice counts once.
        var countedFor = [Int](repeating: -1, count: names.count)
        var item = 0
        /// Adds `amount(copies)` to each database of `databases` once.
        func add(to databases: [String], _ amount: (Int) -> Int) {
            for name in databases {
                guard let index = position[name], countedFor[index] != item else { continue }
                countedFor[index] = item
                locks[index] += amount(copies[index])
            }
            item += 1
        }
        let shared = Set(plan.tenancy?.sharedTables ?? [])
        for table in plan.tables {
            let relations = relations(of: table)
            let perSchema = !shared.contains(table.name)
            add(to: table.databases) { copies in (copies > 0 && perSchema ? copies : 1) * relations }
        }
        for view in plan.views {
            // A view is one relation; a materialized view has storage, TOAST and its unique index.
            let perCopy = view.materialized ? 3 + (view.uniqueKey.isEmpty ? 0 : 1) : 1
            add(to: view.databases) { copies in max(1, copies) * perCopy }
        }
        // A publication, locked like a role.
        for publication in plan.replication.publications {
            add(to: [publication.database]) { _ in 1 }
        }
        for group in plan.multiPrimaryGroups {
            add(to: [group.database]) { _ in 1 }
        }
        // The audit table, its TOAST table and index, its primary key, its sequence.
        add(to: plan.replication.auditTables.map(\.database)) { _ in 5 }
        return Dictionary(uniqueKeysWithValues: zip(names, locks))
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
            tables += partmanWindow(premake: premake) + 1
        }
        let sequences = table.schema.columns.filter { PlanNames.serialTypes.contains($0.type) }.count
        return tables * relations(ofPartitionOf: table) + sequences
    }

    /// The children pg_partman's `create_parent` may make around the current interval with
    /// `premake` (before it and after it, the current one and one more at a boundary), not
    /// counting its catch-up from the end of the planned series to the day the script runs.
    ///
    /// - Parameter premake: The table's `partman.premake`.
    /// - Returns: The number of children.
    public static func partmanWindow(premake: Int) -> Int {
        2 * premake + 2
    }

    /// The relations of one table or partition of `table`: itself, its TOAST table and TOAST
    /// index, and one per index (the primary key, unique constraints and indexes).
    public static func relations(ofPartitionOf table: PlanTable) -> Int {
        let schema = table.schema
        return 3 + (schema.primaryKey.isEmpty ? 0 : 1) + schema.uniqueConstraints.count + schema.indexes.count
    }

    /// The tenant schemas of schema-per-tenant tenancy and the tenants' own login roles, by
    /// database, counted once: a tenant without a database of its own has its schema and role in
    /// every database.
    private struct TenantCount {
        var schemasEverywhere = 0
        var schemasByDatabase: [String: Int] = [:]
        var rolesEverywhere = 0
        var rolesByDatabase: [String: Int] = [:]

        init(_ plan: Plan) {
            guard let tenancy = plan.tenancy else { return }
            for tenant in tenancy.tenants {
                if tenancy.mode == .schemaPerTenant, tenant.schema != nil {
                    if let database = tenant.database {
                        schemasByDatabase[database, default: 0] += 1
                    } else {
                        schemasEverywhere += 1
                    }
                }
                if tenant.role != nil {
                    if let database = tenant.database {
                        rolesByDatabase[database, default: 0] += 1
                    } else {
                        rolesEverywhere += 1
                    }
                }
            }
        }

        /// The number of tenant schemas the database named `database` holds.
        func schemas(in database: String) -> Int {
            schemasEverywhere + schemasByDatabase[database, default: 0]
        }

        /// The number of tenant login roles the script of the database named `database` grants to.
        func roles(in database: String) -> Int {
            rolesEverywhere + rolesByDatabase[database, default: 0]
        }
    }
}
