/// The changes of one table present in both plans (under the same name or renamed).
struct TableDiff {
    /// The table in the old plan.
    let old: TableShape
    /// The table in the new plan.
    let new: TableShape
    /// Tables renamed in this schema, old name to new name.
    var renamedTables: [String: String] = [:]

    /// The old name of each new column: itself, or its `renamed_from:`.
    private var previousName: [String: String] {
        var names: [String: String] = [:]
        let oldColumns = Set(old.columns.map(\.name))
        for column in new.columns {
            if oldColumns.contains(column.name) {
                names[column.name] = column.name
            } else if let previous = column.renamedFrom, oldColumns.contains(previous) {
                names[column.name] = previous
            }
        }
        return names
    }

    /// Old column names mapped to their new names.
    private var renamedColumns: [String: String] {
        var names: [String: String] = [:]
        for (new, old) in previousName { names[old] = new }
        return names
    }

    /// Renames that follow from `renamed_from:`: columns, then the derived names of keys,
    /// indexes and serial sequences.
    func renames() -> [SchemaChange] {
        var changes: [SchemaChange] = []
        for column in new.columns {
            if let previous = previousName[column.name], previous != column.name {
                changes.append(.renameColumn(table: new.name, from: previous, to: column.name))
            }
        }
        if old.name != new.name, !old.primaryKey.isEmpty, !new.primaryKey.isEmpty {
            let from = PlanNames.primaryKey(table: old.name)
            let to = PlanNames.primaryKey(table: new.name)
            if from != to { changes.append(.renameConstraint(table: new.name, from: from, to: to)) }
        }
        for column in new.columns where PlanNames.serialTypes.contains(column.type) {
            guard let previous = previousName[column.name] else { continue }
            let from = PlanNames.serialSequence(table: old.name, column: previous)
            let to = PlanNames.serialSequence(table: new.name, column: column.name)
            if from != to { changes.append(.renameSequence(from: from, to: to)) }
        }
        for (from, to) in uniquePairs() where from.name != to.name {
            changes.append(.renameConstraint(table: new.name, from: from.name, to: to.name))
        }
        for (from, to) in foreignKeyPairs() where from.name != to.name {
            changes.append(.renameConstraint(table: new.name, from: from.name, to: to.name))
        }
        for (from, to) in indexPairs() where from.name != to.name {
            changes.append(.renameIndex(table: new.name, from: from.name, to: to.name))
        }
        return changes
    }

    /// Columns added and changed (types, defaults, nullability).
    func columnChanges() -> [SchemaChange] {
        var changes: [SchemaChange] = []
        for column in new.columns {
            guard let previous = previousName[column.name], let before = old.column(previous) else {
                changes.append(.addColumn(table: new.name, column: column))
                continue
            }
            if ColumnTypeSQL.withoutSerial(before.type) != ColumnTypeSQL.withoutSerial(column.type) {
                changes.append(
                    .alterColumnType(table: new.name, column: column.name, from: before.type, to: column.type))
            }
            if before.defaultExpression != column.defaultExpression, !PlanNames.serialTypes.contains(column.type) {
                changes.append(.alterDefault(table: new.name, column: column.name, to: column.defaultExpression))
            }
            if before.nullable && !column.nullable {
                changes.append(.setNotNull(table: new.name, column: column.name))
            } else if !before.nullable && column.nullable {
                changes.append(.dropNotNull(table: new.name, column: column.name))
            }
        }
        if old.primaryKey.map({ renamedColumns[$0] ?? $0 }) != new.primaryKey {
            changes.append(.changePrimaryKey(table: new.name, from: old.primaryKey, to: new.primaryKey))
        }
        return changes
    }

    /// A table's partitioning as a plan shows it: `range (created_at)`, or `not partitioned`.
    static func describe(_ partitioning: PlanPartitioning?) -> String {
        partitioning.map { "\($0.method.rawValue) (\($0.columns.joined(separator: ", ")))" } ?? "not partitioned"
    }

    /// New partitions of a table partitioned the same way.
    func partitionChanges() -> [SchemaChange] {
        let changed = SchemaChange.changePartitioning(
            table: new.name, from: Self.describe(old.partitioning), to: Self.describe(new.partitioning))
        guard let before = old.partitioning, let after = new.partitioning else {
            return old.partitioning == nil && new.partitioning == nil ? [] : [changed]
        }
        if before.method != after.method || before.columns.map({ renamedColumns[$0] ?? $0 }) != after.columns {
            return [changed]
        }
        let existing = Set(old.partitions.map(\.name))
        let managed = after.partmanPremake != nil
        return new.partitions.filter { !existing.contains($0.name) && !(managed && $0.kind == .default) }.map {
            .addPartition(table: new, partition: $0)
        }
    }

    /// New and changed indexes.
    func indexChanges() -> [SchemaChange] {
        let pairs = indexPairs()
        var changes: [SchemaChange] = []
        for index in new.indexes {
            if let pair = pairs.first(where: { $0.1.name == index.name }) {
                if !sameDefinition(pair.0, index) {
                    changes.append(.replaceIndex(table: new, old: pair.0, new: index))
                }
            } else {
                changes.append(.createIndex(table: new, index: index))
            }
        }
        return changes
    }

    /// New unique constraints and foreign keys (after the converge step, so that a key may
    /// reference a new table).
    func constraintChanges() -> [SchemaChange] {
        var changes: [SchemaChange] = []
        let uniques = Set(uniquePairs().map(\.1.name))
        for unique in new.uniqueConstraints where !uniques.contains(unique.name) {
            changes.append(.addUnique(table: new.name, constraint: unique))
        }
        let keys = Set(foreignKeyPairs().map(\.1.name))
        for key in new.foreignKeys where !keys.contains(key.name) {
            changes.append(.addForeignKey(table: new.name, key: key))
        }
        return changes
    }

    /// Counter columns the old table lacked: filled once their triggers exist.
    func counterBackfills() -> [SchemaChange] {
        let existing = Set(old.source.schema.counters.map(\.column))
        return new.source.schema.counters.filter { !existing.contains($0.column) && new.column($0.column) != nil }.map {
            .backfillCounter(table: new, counter: $0)
        }
    }

    /// Indexes, constraints, partitions and columns the new plan no longer has.
    func drops() -> [SchemaChange] {
        var changes = triggerDrops()
        let keptIndexes = Set(indexPairs().map(\.0.name))
        for index in old.indexes where !keptIndexes.contains(index.name) {
            changes.append(.dropIndex(table: new, index: index))
        }
        let keptUniques = Set(uniquePairs().map(\.0.name))
        for unique in old.uniqueConstraints where !keptUniques.contains(unique.name) {
            changes.append(.dropConstraint(table: new.name, name: unique.name))
        }
        let keptKeys = Set(foreignKeyPairs().map(\.0.name))
        for key in old.foreignKeys where !keptKeys.contains(key.name) {
            changes.append(.dropConstraint(table: new.name, name: key.name))
        }
        if old.partitioning?.method == new.partitioning?.method {
            let kept = Set(new.partitions.map(\.name))
            for partition in old.partitions where !kept.contains(partition.name) {
                changes.append(.dropPartition(table: new, partition: partition.name))
            }
        }
        let before = old.source.schema.capture
        let after = new.source.schema.capture
        if before?.method == .trigger && after?.method != .trigger {
            changes.append(.dropAuditTrigger(table: new.name))
        }
        if before?.replicaIdentity == .full && after?.replicaIdentity != .full {
            changes.append(.resetReplicaIdentity(table: new.name))
        }
        let kept = Set(previousName.values)
        for column in old.columns where !kept.contains(column.name) {
            changes.append(.dropColumn(table: new.name, column: column.name))
        }
        return changes
    }

    /// The triggers of counters and snapshots the new plan no longer has under the same names
    /// (gone, their table renamed, or a counter now counting another table), dropped before any
    /// column they write is.
    func triggerDrops() -> [SchemaChange] {
        guard old.group == nil else { return [] }
        var changes: [SchemaChange] = []
        let newCounters = new.group == nil ? new.source.schema.counters : []
        for counter in old.source.schema.counters where old.column(counter.column) != nil {
            let counted = renamedTables[counter.countedTable] ?? counter.countedTable
            let sameName = old.name == new.name && newCounters.contains { $0.column == counter.column }
            if sameName && newCounters.contains(where: { $0.column == counter.column && $0.countedTable == counted }) { continue }
            changes.append(.dropCounter(table: old.name, column: counter.column, countedTable: counted, keepFunction: sameName))
        }
        let newSnapshots = new.group == nil ? new.source.schema.snapshots : []
        for snapshot in old.source.schema.snapshots where old.column(snapshot.column) != nil {
            if old.name == new.name && newSnapshots.contains(where: { $0.column == snapshot.column }) { continue }
            changes.append(.dropSnapshot(table: new.name, oldTable: old.name, column: snapshot.column))
        }
        return changes
    }

    // MARK: Matching

    /// Old and new indexes that are the same index: by name, by `renamed_from:`, or by the same
    /// definition under names both derived by topoc (a table or column rename renames them).
    func indexPairs() -> [(PlanIndex, PlanIndex)] {
        var pairs: [(PlanIndex, PlanIndex)] = []
        var taken = Set<String>()
        for index in new.indexes {
            if let same = old.indexes.first(where: { $0.name == index.name }) {
                pairs.append((same, index))
                taken.insert(same.name)
            } else if let previous = index.renamedFrom, let renamed = old.indexes.first(where: { $0.name == previous }) {
                pairs.append((renamed, index))
                taken.insert(renamed.name)
            }
        }
        for index in new.indexes where !pairs.contains(where: { $0.1.name == index.name }) {
            guard index.name == PlanNames.index(table: new.name, keys: index.keys, unique: index.unique) else { continue }
            if let derived = old.indexes.first(where: {
                !taken.contains($0.name) && $0.name == PlanNames.index(table: old.name, keys: $0.keys, unique: $0.unique)
                    && sameDefinition($0, index)
            }) {
                pairs.append((derived, index))
                taken.insert(derived.name)
            }
        }
        return pairs
    }

    /// Unique constraints that are the same: by name, or by columns under derived names.
    func uniquePairs() -> [(PlanUniqueConstraint, PlanUniqueConstraint)] {
        pairs(
            old.uniqueConstraints, new.uniqueConstraints, name: \.name,
            same: { $0.columns.map(mapped) == $1.columns },
            derived: { table, unique, columns in unique.name == PlanNames.unique(table: table, columns: columns(unique.columns)) },
            columns: \.columns)
    }

    /// Foreign keys that are the same: by name, or by columns and target under derived names.
    func foreignKeyPairs() -> [(PlanForeignKey, PlanForeignKey)] {
        pairs(
            old.foreignKeys, new.foreignKeys, name: \.name,
            same: {
                $0.columns.map(mapped) == $1.columns && $0.referencedColumns == $1.referencedColumns
                    && $0.onDelete == $1.onDelete
                    && ($0.referencedTable == $1.referencedTable || $1.referencedTable == renamedReference($0.referencedTable))
            },
            derived: { table, key, columns in key.name == PlanNames.foreignKey(table: table, columns: columns(key.columns)) },
            columns: \.columns)
    }

    /// Matches objects by name (and the same definition), then by definition under derived names.
    private func pairs<T>(
        _ before: [T], _ after: [T], name: KeyPath<T, String>, same: (T, T) -> Bool,
        derived: (String, T, ([String]) -> [String]) -> Bool, columns: KeyPath<T, [String]>
    ) -> [(T, T)] {
        var result: [(T, T)] = []
        var taken = Set<String>()
        for item in after {
            if let match = before.first(where: { $0[keyPath: name] == item[keyPath: name] && same($0, item) }) {
                result.append((match, item))
                taken.insert(match[keyPath: name])
            }
        }
        for item in after where !result.contains(where: { $0.1[keyPath: name] == item[keyPath: name] }) {
            guard derived(new.name, item, { $0 }) else { continue }
            if let match = before.first(where: {
                !taken.contains($0[keyPath: name]) && derived(old.name, $0, { $0 }) && same($0, item)
            }) {
                result.append((match, item))
                taken.insert(match[keyPath: name])
            }
        }
        return result
    }

    /// An old column name as the new table calls it.
    private func mapped(_ column: String) -> String {
        renamedColumns[column] ?? column
    }

    /// The new name of a referenced table when it is this table renamed (self references).
    private func renamedReference(_ table: String) -> String? {
        renamedTables[table]
    }

    /// Whether two indexes build the same structure (columns compared through renames).
    func sameDefinition(_ before: PlanIndex, _ after: PlanIndex) -> Bool {
        let keys = before.keys.map { PlanIndexKey(column: $0.column.map(mapped), expression: $0.expression) }
        return keys == after.keys && before.method == after.method && before.unique == after.unique
            && before.include.map(mapped) == after.include && before.predicate == after.predicate
    }
}
