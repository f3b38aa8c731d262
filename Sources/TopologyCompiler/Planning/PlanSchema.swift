/// The relational schema of one table, resolved for the backends: every name the DDL will
/// use is decided here (derived index and constraint names included).
public struct PlanTableSchema: Sendable, Codable, Equatable {
    /// The columns in order: declared ones, then counter and snapshot columns.
    public var columns: [PlanColumn]
    /// The primary key's columns.
    public var primaryKey: [String]
    /// Unique constraints.
    public var uniqueConstraints: [PlanUniqueConstraint]
    /// Foreign keys, with referenced columns resolved.
    public var foreignKeys: [PlanForeignKey]
    /// Indexes, with names resolved.
    public var indexes: [PlanIndex]
    /// Declarative partitioning, if any (the partitions are in ``PlanTable/partitions``).
    public var partitioning: PlanPartitioning?
    /// Counter columns and what they count.
    public var counters: [PlanCounter]
    /// Snapshot columns and where they copy from.
    public var snapshots: [PlanSnapshot]
    /// Vertical column groups stored in other databases.
    public var verticalGroups: [PlanVerticalGroup]
    /// Change data capture of the table, if any.
    public var capture: PlanCapture?
    /// Whether rows belong to a tenant (shared-schema tenancy, not a shared table).
    public var tenantScoped: Bool
}

/// A column.
public struct PlanColumn: Sendable, Codable, Equatable {
    public var name: String
    /// The SQL type, canonical spelling.
    public var type: String
    public var nullable: Bool
    /// The default, SQL as written (checked by the decoder).
    public var defaultExpression: String?
    /// Why topoc added the column, when it is derived (`counter`, `snapshot`).
    public var derived: DerivedColumnKind?
    /// The column's previous name (`renamed_from:`), read only by `topoc diff` and `topoc migrate`.
    public var renamedFrom: String? = nil
}

/// Why topoc added a column to a table; the raw values are the plan's spelling.
public enum DerivedColumnKind: String, Sendable, Codable, CaseIterable {
    /// A counter column, kept by triggers on the counted table.
    case counter
    /// A snapshot column, copied from another table when a row is written.
    case snapshot
}

/// A unique constraint.
public struct PlanUniqueConstraint: Sendable, Codable, Equatable {
    public var name: String
    public var columns: [String]
}

/// A foreign key.
public struct PlanForeignKey: Sendable, Codable, Equatable {
    public var name: String
    public var columns: [String]
    public var referencedTable: String
    public var referencedColumns: [String]
    /// `CASCADE`, `SET NULL`... (SQL spelling), nil for the default NO ACTION.
    public var onDelete: String?
}

/// An index.
public struct PlanIndex: Sendable, Codable, Equatable {
    public var name: String
    /// The index access method.
    public var method: IndexMethod
    public var keys: [PlanIndexKey]
    public var unique: Bool
    public var include: [String]
    public var predicate: String?
    /// The index's previous name (`renamed_from:`), read only by `topoc diff` and `topoc migrate`.
    public var renamedFrom: String? = nil
}

/// A key part of an index: a column or an expression.
public struct PlanIndexKey: Sendable, Codable, Equatable {
    public var column: String?
    public var expression: String?
}

/// How a table is partitioned.
public struct PlanPartitioning: Sendable, Codable, Equatable {
    /// Range, list or hash partitioning.
    public var method: PartitionMethod
    public var columns: [String]
    /// pg_partman's premake, when pg_partman maintains future partitions.
    public var partmanPremake: Int?
    /// pg_partman's retention, if any.
    public var partmanRetention: String?
    /// The interval of a generated series (`monthly`...), if any.
    public var interval: PartitionInterval?
}

/// A counter column.
public struct PlanCounter: Sendable, Codable, Equatable {
    public var column: String
    public var countedTable: String
    /// The counted table's column referencing this table's primary key.
    public var via: String
    /// This table's primary key column the counted rows reference.
    public var key: String
}

/// A snapshot column.
public struct PlanSnapshot: Sendable, Codable, Equatable {
    public var column: String
    public var sourceTable: String
    public var sourceColumn: String
    public var via: String
    /// The source table's primary key column `via` references.
    public var sourceKey: String
}

/// A vertical group.
public struct PlanVerticalGroup: Sendable, Codable, Equatable {
    public var name: String
    public var columns: [String]
    public var database: String
}

/// How a table's changes are captured.
public struct PlanCapture: Sendable, Codable, Equatable {
    /// `trigger` or `logical`.
    public var method: CaptureMethod
    /// `default` or `full`, for logical capture.
    public var replicaIdentity: ReplicaIdentity?
}

/// The names topoc derives for indexes and constraints: one place, so the DDL, the rules and
/// the docs agree. PostgreSQL's own conventions are followed (`_pkey`, `_key`, `_fkey`, `_idx`).
public enum PlanNames {
    /// The login role of one tenant (schema- and database-per-tenant): `<application>_<tenant>`.
    public static func tenantRole(application: String, tenant: String) -> String {
        "\(application)_\(tenant)"
    }

    /// The environment variable of a tenant role's password: the application's variable,
    /// `_` and the tenant's name in capitals.
    public static func tenantPasswordVariable(application: String, tenant: String) -> String {
        "\(application)_\(tenant.uppercased())"
    }

    /// The publication of a multi-primary group.
    public static func multiPrimaryPublication(group: String) -> String {
        bounded("topoc_mp_\(sqlToken(group))", fallback: "topoc_mp", seed: group)
    }

    /// The subscription on `subscriber` to `publisher` in a multi-primary group.
    public static func multiPrimarySubscription(group: String, publisher: String, subscriber: String) -> String {
        bounded(
            "topoc_mp_\(sqlToken(group))_from_\(sqlToken(publisher))", fallback: "topoc_mp_sub",
            seed: "\(group)/\(publisher)/\(subscriber)")
    }

    /// The slot on `publisher` that `subscriber` reads in a multi-primary group.
    public static func multiPrimarySlot(group: String, publisher: String, subscriber: String) -> String {
        bounded(
            "topoc_mp_\(sqlToken(group))_to_\(sqlToken(subscriber))", fallback: "topoc_mp_slot",
            seed: "\(group)/\(publisher)/\(subscriber)")
    }

    /// Service names (`a-z`, digits, `-`) as SQL name parts: `-` becomes `_`.
    static func sqlToken(_ name: String) -> String {
        String(name.lowercased().map { $0 == "-" ? "_" : $0 })
    }

    /// `name` when it fits PostgreSQL's 63 bytes, else `fallback_<stable hash of seed>`.
    static func bounded(_ name: String, fallback: String, seed: String) -> String {
        guard name.utf8.count > 63 else { return name }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in seed.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return "\(fallback)_\(String(hash, radix: 16))"
    }

    /// `<table>_pkey`.
    public static func primaryKey(table: String) -> String { "\(table)_pkey" }

    /// `<table>_<columns>_key`.
    public static func unique(table: String, columns: [String]) -> String {
        "\(table)_\(columns.joined(separator: "_"))_key"
    }

    /// `<table>_<columns>_fkey`.
    public static func foreignKey(table: String, columns: [String]) -> String {
        "\(table)_\(columns.joined(separator: "_"))_fkey"
    }

    /// `<table>_<keys>_idx` (`_key` for unique indexes); expression keys count as `expr`,
    /// and a second expression as `expr1`, ... as PostgreSQL does.
    public static func index(table: String, keys: [PlanIndexKey], unique: Bool) -> String {
        var expressionCount = 0
        let parts = keys.map { key -> String in
            if let column = key.column { return column }
            defer { expressionCount += 1 }
            return expressionCount == 0 ? "expr" : "expr\(expressionCount)"
        }
        return "\(table)_\(parts.joined(separator: "_"))_\(unique ? "key" : "idx")"
    }

    /// The trigger function and trigger that maintain a counter.
    public static func counterTrigger(table: String, column: String) -> String { "\(table)_\(column)_counter" }

    /// The BEFORE UPDATE trigger of a counter that locks the old and new parent rows in key order.
    public static func counterLockTrigger(table: String, column: String) -> String { "\(table)_\(column)_counter_lock" }

    /// The trigger function and trigger that fill a snapshot column.
    public static func snapshotTrigger(table: String, column: String) -> String { "\(table)_\(column)_snapshot" }

    /// The serial pseudo-types: a column of one of them gets a sequence of its own.
    public static let serialTypes: Set<String> = ["smallserial", "serial", "bigserial"]

    /// The sequence PostgreSQL names for a serial column (`<table>_<column>_seq`, when free).
    public static func serialSequence(table: String, column: String) -> String { "\(table)_\(column)_seq" }

    /// The function that refreshes a materialized view (SECURITY DEFINER, called by pg_cron and the writer).
    public static func refreshFunction(view: String) -> String { "topoc_refresh_\(view)" }

    /// The audit trigger of a table.
    public static func auditTrigger(table: String) -> String { "\(table)_audit" }
}
