/// The key rules of the PostgreSQL family: unique keys of partitioned tables (TPG101), foreign
/// keys and the implicit references of counter and snapshot columns (TPG110-TPG114).
enum PostgresKeyRules {
    /// TPG101: unique keys of a partitioned table contain the partition key.
    static let uniqueIncludesPartitionKey = Rule(.uniqueIncludesPartitionKey) { context in
        for table in context.topology.tables {
            guard let partitioning = table.partitioning else { continue }
            func check(_ columns: [String], _ what: String, at location: SourceLocation, _ suppressions: [Suppression]) {
                let missing = partitioning.columns.filter { !columns.contains($0.value) }
                guard let first = missing.first else { return }
                let names = PostgresRuleSupport.quoted(missing.map(\.value))
                context.report(
                    "the \(what) of partitioned table '\(table.name.value)' must include its partition key: "
                        + "add \(names)",
                    at: location,
                    notes: [.init("'\(table.name.value)' is partitioned by '\(first.value)' here", at: first.location)],
                    suppressions: suppressions)
            }
            if !table.primaryKey.isEmpty {
                check(
                    table.primaryKey.map(\.value), "primary key", at: table.primaryKeyLocation ?? table.name.location,
                    table.suppressions)
            }
            for constraint in table.uniqueConstraints {
                check(constraint.columns.map(\.value), "unique constraint", at: constraint.location, table.suppressions)
            }
            for index in table.indexes {
                guard let unique = index.unique, unique.value else { continue }
                check(
                    PostgresRuleSupport.columnNames(of: index), "unique index", at: unique.location,
                    PostgresRuleSupport.suppressions(of: index, on: table))
            }
        }
    }

    /// TPG110: a foreign key references a primary key or unique key.
    static let foreignKeyTargetNotUnique = Rule(.foreignKeyTargetNotUnique) { context in
        let topology = context.topology
        for table in topology.tables {
            for key in table.foreignKeys where !key.referencedColumns.isEmpty {
                guard let target = topology.table(named: key.referencedTable.value) else { continue }
                let wanted = key.referencedColumns.map(\.value)
                guard !uniqueKeys(of: target).contains(where: { Set($0) == Set(wanted) && $0.count == wanted.count })
                else { continue }
                let primary =
                    target.primaryKey.isEmpty
                    ? "it has no primary key"
                    : "its primary key is (\(target.primaryKey.map(\.value).joined(separator: ", ")))"
                context.report(
                    "(\(wanted.joined(separator: ", "))) is not the primary key or a unique key of "
                        + "'\(target.name.value)'; a foreign key must reference one (\(primary))",
                    at: key.referencedColumns[0].location,
                    notes: [.init("'\(target.name.value)' is declared here", at: target.name.location)],
                    suppressions: table.suppressions)
            }
        }
    }

    /// The column lists a foreign key can reference: the primary key, unique constraints, and
    /// unique B-tree indexes on plain columns without WHERE.
    static func uniqueKeys(of table: Table) -> [[String]] {
        var keys = [table.primaryKey.map(\.value)] + table.uniqueConstraints.map { $0.columns.map(\.value) }
        for index in table.indexes where index.unique?.value == true && index.method.value == .btree {
            guard index.predicate == nil, let columns = PostgresRuleSupport.plainColumns(of: index) else { continue }
            keys.append(columns.map(\.value))
        }
        return keys.filter { !$0.isEmpty }
    }

    /// A column that references a key column of another table, explicitly (foreign keys) or
    /// implicitly (the `via` of counters and snapshots).
    struct KeyReference {
        /// The referencing column, where it is written.
        var column: Located<String>
        /// Its type.
        var type: ColumnType
        /// Where its type is declared.
        var typeLocation: SourceLocation
        /// `table.column` of the referenced column.
        var referenced: String
        /// The referenced column's type, where it is declared.
        var referencedType: Located<ColumnType>
        /// The suppressions of the object that declares the reference.
        var suppressions: [Suppression]
    }

    /// Every key reference of the topology whose both types are known.
    static func keyReferences(in topology: Topology) -> [KeyReference] {
        var references: [KeyReference] = []
        func add(_ column: Located<String>, of table: Table, to key: String, of target: Table, _ owner: Table) {
            guard let type = PostgresRuleSupport.type(of: column.value, in: table, topology: topology),
                let referencedType = PostgresRuleSupport.type(of: key, in: target, topology: topology)
            else { return }
            references.append(
                KeyReference(
                    column: column, type: type.value, typeLocation: type.location, referenced: "\(target.name.value).\(key)",
                    referencedType: referencedType, suppressions: owner.suppressions))
        }
        for table in topology.tables {
            for key in table.foreignKeys {
                guard let target = topology.table(named: key.referencedTable.value) else { continue }
                let referenced = key.referencedColumns.isEmpty ? target.primaryKey : key.referencedColumns
                for (column, targetColumn) in zip(key.columns, referenced) {
                    add(column, of: table, to: targetColumn.value, of: target, table)
                }
            }
            for counter in table.counters {
                guard table.primaryKey.count == 1, let counted = topology.table(named: counter.countedTable.value)
                else { continue }
                add(counter.via, of: counted, to: table.primaryKey[0].value, of: table, table)
            }
            for snapshot in table.snapshots {
                guard let source = topology.table(named: snapshot.sourceTable.value), source.primaryKey.count == 1
                else { continue }
                add(snapshot.via, of: table, to: source.primaryKey[0].value, of: source, table)
            }
        }
        return references
    }

    /// TPG111: referencing and referenced columns have comparable types.
    static let keyTypeMismatch = Rule(.keyTypeMismatch) { context in
        for reference in keyReferences(in: context.topology)
        where PostgresTypes.match(reference.type, reference.referencedType.value) == .incompatible {
            context.report(
                "'\(reference.column.value)' (\(reference.type)) cannot reference '\(reference.referenced)' "
                    + "(\(reference.referencedType.value)): the types are incompatible; declare it "
                    + PostgresTypes.referencingType(for: reference.referencedType.value),
                at: reference.column.location,
                notes: [
                    .init(
                        "'\(reference.referenced)' is declared \(reference.referencedType.value) here",
                        at: reference.referencedType.location)
                ],
                suppressions: reference.suppressions,
                fixIt: FixIt(
                    at: reference.typeLocation,
                    replaceWith: PostgresTypes.referencingType(for: reference.referencedType.value)))
        }
    }

    /// TPG112: referencing and referenced columns have the same type.
    static let keyTypeDiffers = Rule(.keyTypeDiffers) { context in
        for reference in keyReferences(in: context.topology)
        where PostgresTypes.match(reference.type, reference.referencedType.value) == .related {
            context.report(
                "'\(reference.column.value)' is \(reference.type) but references '\(reference.referenced)' of type "
                    + "\(reference.referencedType.value); declare it \(PostgresTypes.referencingType(for: reference.referencedType.value))",
                at: reference.column.location,
                notes: [
                    .init(
                        "'\(reference.referenced)' is declared \(reference.referencedType.value) here",
                        at: reference.referencedType.location)
                ],
                suppressions: reference.suppressions,
                fixIt: FixIt(
                    at: reference.typeLocation,
                    replaceWith: PostgresTypes.referencingType(for: reference.referencedType.value)))
        }
    }

    /// TPG113: SET NULL and SET DEFAULT only on columns that can take NULL or have a default.
    static let foreignKeyActionViolatesNotNull = Rule(.foreignKeyActionViolatesNotNull) { context in
        for table in context.topology.tables {
            for key in table.foreignKeys {
                guard let action = key.onDelete, [.setNull, .setDefault].contains(action.value) else { continue }
                for name in key.columns {
                    guard let column = table.column(named: name.value), !column.nullable else { continue }
                    if action.value == .setDefault && column.defaultExpression != nil { continue }
                    // PostgreSQL sets every referencing column, the tenant column of a composite key too.
                    let effect: String
                    switch (action.value == .setNull, key.columns.count == 1) {
                    case (true, true): effect = "sets it to NULL"
                    case (true, false): effect = "sets every column of the foreign key to NULL"
                    case (false, true): effect = "sets it to its default, NULL"
                    case (false, false): effect = "sets every column of the foreign key to its default, NULL for '\(name.value)'"
                    }
                    context.report(
                        "ON DELETE \(action.value.sql) \(effect), but '\(name.value)' is NOT NULL: every delete of a "
                            + "referenced row would fail",
                        at: action.location,
                        notes: [.init("'\(name.value)' is declared here", at: column.name.location)],
                        suppressions: table.suppressions)
                }
            }
        }
    }

    /// TPG114: counters and snapshots follow a foreign key.
    static let derivedColumnWithoutForeignKey = Rule(.derivedColumnWithoutForeignKey) { context in
        let topology = context.topology
        for table in topology.tables {
            for counter in table.counters {
                guard let counted = topology.table(named: counter.countedTable.value),
                    !hasForeignKey(in: counted, on: counter.via.value, to: table)
                else { continue }
                context.report(
                    "counter '\(counter.name.value)' follows '\(counted.name.value).\(counter.via.value)', which has "
                        + "no foreign key to '\(table.name.value)'; declare one so that no counted row points nowhere",
                    at: counter.via.location,
                    notes: [.init("'\(counted.name.value)' is declared here", at: counted.name.location)],
                    suppressions: table.suppressions)
            }
            for snapshot in table.snapshots {
                guard let source = topology.table(named: snapshot.sourceTable.value),
                    !hasForeignKey(in: table, on: snapshot.via.value, to: source)
                else { continue }
                context.report(
                    "snapshot '\(snapshot.name.value)' follows '\(snapshot.via.value)', which has no foreign key to "
                        + "'\(source.name.value)'; declare one so that the copied value always exists",
                    at: snapshot.via.location,
                    notes: [.init("'\(source.name.value)' is declared here", at: source.name.location)],
                    suppressions: table.suppressions)
            }
        }
    }

    /// Whether a foreign key of `table` checks every non-NULL `column` against the one-column
    /// primary key of `target`: the key pairs `column` with that key column, alone or in a
    /// composite key (such as a tenant-safe `(tenant_id, project_id) -> (tenant_id, project_id)`)
    /// whose other referencing columns are NOT NULL, as a NULL in any of them skips the check.
    private static func hasForeignKey(in table: Table, on column: String, to target: Table) -> Bool {
        guard target.primaryKey.count == 1 else { return false }
        let primaryKey = target.primaryKey[0].value
        return table.foreignKeys.contains { key in
            guard key.referencedTable.value == target.name.value else { return false }
            let referenced = key.referencedColumns.isEmpty ? target.primaryKey : key.referencedColumns
            let pairs = zip(key.columns.map(\.value), referenced.map(\.value))
            guard pairs.contains(where: { $0 == column && $1 == primaryKey }) else { return false }
            return key.columns.allSatisfy { other in
                other.value == column || table.column(named: other.value)?.nullable == false
            }
        }
    }
}
