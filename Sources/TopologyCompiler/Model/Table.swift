/// A table and everything declared on it.
public struct Table: Sendable {
    /// The table's name, a SQL identifier.
    public var name: Located<String>
    /// The columns, in declaration order (counter and snapshot columns are listed separately).
    public var columns: [Column]
    /// The primary key's columns.
    public var primaryKey: [Located<String>]
    /// Where the primary key was declared.
    public var primaryKeyLocation: SourceLocation?
    /// Unique constraints.
    public var uniqueConstraints: [UniqueConstraint]
    /// Foreign keys.
    public var foreignKeys: [ForeignKey]
    /// Indexes.
    public var indexes: [Index]
    /// Declarative partitioning, if any.
    public var partitioning: Partitioning?
    /// The column that holds the shard key, when it differs from the sharding key's name.
    public var shardKey: Located<String>?
    /// Column groups stored in separate databases.
    public var verticalGroups: [VerticalGroup]
    /// Denormalized counters of rows in another table.
    public var counters: [CounterColumn]
    /// Denormalized copies of another table's column, taken at insert.
    public var snapshots: [SnapshotColumn]
    /// The expected write rate, which some rules weigh.
    public var writesPerSecond: Located<Int>?
    /// Rules silenced for this table.
    public var suppressions: [Suppression]
    /// The table's previous name (`renamed_from:`), which `topoc migrate` renames instead of dropping.
    public var renamedFrom: Located<String>? = nil

    /// The declared column with a name.
    public func column(named name: String) -> Column? { columns.first { $0.name.value == name } }
}

/// A column.
public struct Column: Sendable {
    /// The name.
    public var name: Located<String>
    /// The type.
    public var type: Located<ColumnType>
    /// Whether NULL is allowed (default true unless in the primary key).
    public var nullable: Bool
    /// The default expression, SQL as written.
    public var defaultExpression: Located<String>?
    /// The column's previous name (`renamed_from:`), which `topoc migrate` renames instead of dropping.
    public var renamedFrom: Located<String>? = nil
}

/// A unique constraint.
public struct UniqueConstraint: Sendable {
    /// The constraint's name, if given.
    public var name: Located<String>?
    /// Its columns.
    public var columns: [Located<String>]
    /// Where it was declared.
    public var location: SourceLocation
}

/// A foreign key.
public struct ForeignKey: Sendable {
    /// The constraint's name, if given.
    public var name: Located<String>?
    /// The referencing columns.
    public var columns: [Located<String>]
    /// The referenced table.
    public var referencedTable: Located<String>
    /// The referenced columns (the referenced table's primary key when omitted).
    public var referencedColumns: [Located<String>]
    /// What deleting a referenced row does.
    public var onDelete: Located<ReferentialAction>?
    /// Where it was declared.
    public var location: SourceLocation
}

/// A foreign key's action.
public enum ReferentialAction: String, Sendable, CaseIterable {
    case noAction = "no-action"
    case restrict
    case cascade
    case setNull = "set-null"
    case setDefault = "set-default"

    /// The SQL spelling.
    public var sql: String { rawValue.replacingOccurrences(of: "-", with: " ").uppercased() }
}

/// A vertical column group stored in its own database.
public struct VerticalGroup: Sendable {
    /// The group's name.
    public var name: Located<String>
    /// The columns moved to the group (the primary key is repeated there).
    public var columns: [Located<String>]
    /// The database that holds the group.
    public var database: Located<String>
    /// The cluster that hosts the database (the table's cluster when omitted).
    public var cluster: Located<String>?
}

/// A column counting rows of another table that reference this one.
public struct CounterColumn: Sendable {
    /// The counter column's name.
    public var name: Located<String>
    /// The counted table.
    public var countedTable: Located<String>
    /// The counted table's column referencing this table's primary key.
    public var via: Located<String>
}

/// A column copied from another table when a row is inserted.
public struct SnapshotColumn: Sendable {
    /// The snapshot column's name.
    public var name: Located<String>
    /// The source table.
    public var sourceTable: Located<String>
    /// The source column.
    public var sourceColumn: Located<String>
    /// This table's column that references the source table's primary key.
    public var via: Located<String>
}
