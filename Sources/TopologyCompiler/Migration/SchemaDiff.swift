/// Compares the tables of one schema in the old and the new plan and lists the changes in the
/// order a migration carries them out. Renames come only from `renamed_from:`; the derived names
/// of keys, indexes and sequences follow a renamed table or column as PostgreSQL names them.
struct SchemaDiff {
    /// The old schema's tables.
    let old: [TableShape]
    /// The new schema's tables.
    let new: [TableShape]
    /// The old database's views in this schema.
    let oldViews: [PlanView]
    /// The new database's views in this schema.
    let newViews: [PlanView]
    /// The old and new publication members of this schema.
    let oldPublished: Set<String>
    /// The new publication's tables.
    let newPublished: Set<String>
    /// The publication's name, when the new plan has one.
    let publication: String?

    /// The changes, in migration order.
    func changes() -> [SchemaChange] {
        var changes: [SchemaChange] = []
        for view in oldViews {
            if let kept = newViews.first(where: { $0.name == view.name }) {
                if !kept.definesTheSameRelation(as: view) { changes.append(.dropView(view, replaced: true)) }
            } else {
                changes.append(.dropView(view, replaced: false))
            }
        }
        var matched: [(TableShape, TableShape)] = []
        var oldNames = Set(old.map(\.name))
        for table in new {
            let previous = table.group == nil ? table.source.renamedFrom : nil
            if let same = old.first(where: { $0.name == table.name }) {
                matched.append((same, table))
                oldNames.remove(same.name)
            } else if let previous, let renamed = old.first(where: { $0.name == previous && $0.group == nil }) {
                matched.append((renamed, table))
                oldNames.remove(renamed.name)
                changes.append(.renameTable(from: previous, to: table.name))
            } else {
                changes.append(.createTable(table))
            }
        }
        var later: [SchemaChange] = []
        var last: [SchemaChange] = []
        var renamedTables: [String: String] = [:]
        for (before, after) in matched where before.name != after.name { renamedTables[before.name] = after.name }
        for (before, after) in matched {
            let table = TableDiff(old: before, new: after, renamedTables: renamedTables)
            changes += table.renames()
            changes += table.columnChanges()
            changes += table.partitionChanges()
            changes += table.indexChanges()
            later += table.constraintChanges()
            later += table.counterBackfills()
            last += table.drops()
        }
        changes.append(.converge)
        for view in newViews where !(oldViews.first { $0.name == view.name }?.definesTheSameRelation(as: view) ?? false) {
            changes.append(.regrantView(view))
        }
        changes += later
        if let publication {
            for table in oldPublished.subtracting(newPublished).sorted() where !oldNames.contains(table) {
                last.append(.dropFromPublication(publication: publication, table: table))
            }
        }
        changes += last
        for name in old.map(\.name) where oldNames.contains(name) {
            changes.append(.dropTable(name))
        }
        return changes
    }
}

extension PlanView {
    /// Whether `other` creates the same relation: the same kind, query and unique index. The
    /// databases that hold it are not part of it (a view is diffed per database), and neither
    /// is its refresh schedule or mode, which the converge step's `CREATE OR REPLACE` of the
    /// refresh function and the cluster's cron.sql change without dropping the view (and, for a
    /// materialized view, without computing its rows again).
    func definesTheSameRelation(as other: PlanView) -> Bool {
        name == other.name && materialized == other.materialized && query == other.query && uniqueKey == other.uniqueKey
    }
}
