/// `CREATE INDEX` statements: every access method, composite and expression keys, covering
/// `INCLUDE` columns and partial `WHERE` predicates. Indexes of a partitioned table are created
/// on the parent, so PostgreSQL creates them on every partition, present and future.
enum IndexDDL {
    /// The indexes of every table of a schema.
    static func statements(_ scope: SchemaScope) -> SQLScript {
        var script = SQLScript()
        for table in scope.tables where !table.indexes.isEmpty {
            script.comment("indexes of \(table.name)")
            for index in table.indexes {
                script.add(createIndex(index, on: scope.schema.qualify(table.name)))
            }
        }
        return script
    }

    /// `CREATE [UNIQUE] INDEX IF NOT EXISTS "name" ON table USING method (keys) INCLUDE (...) WHERE ...`;
    /// `CONCURRENTLY` and `ON ONLY` (the parent of a partitioned table) for `topoc migrate`, and
    /// `named` to build the same index under another name (a partition's index).
    static func createIndex(
        _ index: PlanIndex, on table: String, concurrently: Bool = false, onlyParent: Bool = false, named: String? = nil
    ) -> String {
        let keys = index.keys.map(key).joined(separator: ", ")
        let name = SQLQuoting.identifier(named ?? index.name)
        var text = "CREATE \(index.unique ? "UNIQUE " : "")INDEX \(concurrently ? "CONCURRENTLY " : "")IF NOT EXISTS \(name)"
        text += " ON \(onlyParent ? "ONLY " : "")\(table)"
        text += " USING \(index.method.rawValue) (\(keys))"
        if !index.include.isEmpty {
            text += " INCLUDE (\(SQLQuoting.identifierList(index.include)))"
        }
        if let predicate = index.predicate {
            text += " WHERE \(predicate)"
        }
        return text
    }

    /// A key part: a quoted column, or a parenthesized expression as written.
    static func key(_ key: PlanIndexKey) -> String {
        if let column = key.column { return SQLQuoting.identifier(column) }
        return "(\(key.expression ?? "NULL"))"
    }
}
