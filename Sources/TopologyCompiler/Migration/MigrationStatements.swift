/// The SQL of each schema change, written with the DDL backend's emitters and quoting.
struct MigrationStatements {
    /// The schema the changes apply to.
    let schema: SchemaTarget

    /// `to_regclass('schema.name')`: NULL when the relation does not exist.
    func regclass(_ name: String) -> String {
        "pg_catalog.to_regclass(\(SQLQuoting.literal(schema.qualify(name))))"
    }

    /// A `DO` block running `statement` only when `condition` holds.
    func guarded(_ condition: String, _ statement: String) -> String {
        let body = """

            BEGIN
                IF \(condition) THEN
                    \(statement);
                END IF;
            END

            """
        return "DO " + SQLQuoting.dollarQuoted(body)
    }

    /// The condition that a table has a constraint.
    func hasConstraint(_ table: String, _ name: String) -> String {
        "EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conrelid = \(regclass(table)) AND conname = \(SQLQuoting.literal(name)))"
    }

    /// The condition that a table has a column.
    func hasColumn(_ table: String, _ column: String) -> String {
        "EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = \(regclass(table)) AND attname = \(SQLQuoting.literal(column)) AND NOT attisdropped)"
    }

    /// `ALTER TABLE "schema"."table"`.
    func alter(_ table: String) -> String {
        "ALTER TABLE \(schema.qualify(table))"
    }

    /// The check constraint that proves a column has no NULL before `SET NOT NULL`.
    static func notNullCheck(table: String, column: String) -> String {
        PlanNames.bounded("\(table)_\(column)_not_null", fallback: "topoc_not_null", seed: "\(table).\(column)")
    }

    /// The check constraint a standalone partition carries until it is attached.
    static func boundCheck(partition: String) -> String {
        PlanNames.bounded("\(partition)_bound", fallback: "topoc_bound", seed: partition)
    }

    /// The check expression of a partition's bound, or nil when none helps (hash, default).
    func boundExpression(_ partition: PlanPartition, columns: [String]) -> String? {
        guard let column = columns.first.map(SQLQuoting.identifier) else { return nil }
        switch partition.kind {
        case .range where columns.count == 1:
            var parts = ["\(column) IS NOT NULL"]
            if let from = partition.from { parts.append("\(column) >= \(SQLQuoting.literal(from))") }
            if let to = partition.to { parts.append("\(column) < \(SQLQuoting.literal(to))") }
            return parts.joined(separator: " AND ")
        case .list where columns.count == 1:
            let values = (partition.values ?? []).map(SQLQuoting.literal).joined(separator: ", ")
            return "\(column) IS NOT NULL AND \(column) IN (\(values))"
        case .range, .list, .hash, .default:
            return nil
        }
    }
}
