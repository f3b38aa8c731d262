/// PostgreSQL's hard limits that a topology can reach (Appendix K, "PostgreSQL Limits"), beyond
/// the identifier length (TPG121) and the key columns (TPG105).
enum PostgresLimitRules {
    /// MaxHeapAttributeNumber: the most columns a table can have.
    static let maxTableColumns = 1600

    /// TPG126: a table has at most 1,600 columns, counting the counter and snapshot columns topoc
    /// adds. A vertically split table is checked per part (each part is its own table).
    static let tooManyColumns = Rule(.tooManyColumns) { context in
        for table in context.topology.tables {
            let added = table.counters.count + table.snapshots.count
            let parts: [(what: String, count: Int)]
            if table.verticalGroups.isEmpty {
                parts = [("table '\(table.name.value)'", table.columns.count + added)]
            } else {
                let split = Set(table.verticalGroups.flatMap { $0.columns.map(\.value) })
                let main = table.columns.filter { !split.contains($0.name.value) }.count + added
                parts =
                    [("table '\(table.name.value)'", main)]
                    + table.verticalGroups.map { group in
                        ("vertical part '\(group.name.value)'", group.columns.count + table.primaryKey.count)
                    }
            }
            for part in parts where part.count > maxTableColumns {
                context.report(
                    "\(part.what) has \(part.count) columns (with the counter and snapshot columns topoc adds); "
                        + "PostgreSQL allows at most \(maxTableColumns) per table: split it with 'vertical:' or into tables",
                    at: table.name.location, suppressions: table.suppressions)
            }
        }
    }
}
