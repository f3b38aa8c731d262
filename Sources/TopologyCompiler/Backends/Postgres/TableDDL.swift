/// `CREATE TABLE` statements: columns, defaults, primary keys, unique constraints and foreign
/// keys, in an order where every referenced table exists first.
enum TableDDL {
    /// The tables of a schema in dependency order, each `CREATE TABLE IF NOT EXISTS`, then the
    /// foreign keys that close a cycle, added by guarded `ALTER TABLE`s.
    static func statements(_ scope: SchemaScope) -> SQLScript {
        var script = SQLScript()
        let (ordered, deferred) = order(scope.tables, in: scope)
        for table in ordered {
            script.comment(describe(table))
            let cut = Set(deferred.filter { $0.table == table.name }.map(\.key.name))
            script.add(createTable(table, scope: scope, omitting: cut, notes: &script))
        }
        for item in deferred {
            guard let table = scope.tables.first(where: { $0.name == item.table }) else { continue }
            script.comment("\(item.key.name) closes a cycle of foreign keys: added after both tables exist")
            script.add(addForeignKey(item.key, to: table, scope: scope))
        }
        return script
    }

    /// A one-line description of a table's role.
    private static func describe(_ table: TableShape) -> String {
        if let group = table.group {
            return
                "\(table.name): vertical group '\(group.name)' of \(table.source.name) (primary key and \(group.columns.joined(separator: ", ")))"
        }
        switch table.source.placement {
        case .single: return "\(table.name)"
        case .reference: return "\(table.name): reference table, the same rows in every shard database"
        case .sharded:
            let key = table.source.shardKey.map { " by \($0)" } ?? ""
            let group = table.source.colocationGroup.map { ", co-located group \($0)" } ?? ""
            return "\(table.name): sharded\(key)\(group)"
        }
    }

    /// The `CREATE TABLE IF NOT EXISTS` statement of a table.
    static func createTable(
        _ table: TableShape, scope: SchemaScope, omitting omitted: Set<String>, notes: inout SQLScript
    ) -> String {
        var parts = table.columns.map(columnDefinition)
        if !table.primaryKey.isEmpty {
            parts.append(
                "CONSTRAINT \(SQLQuoting.identifier(PlanNames.primaryKey(table: table.name))) PRIMARY KEY (\(SQLQuoting.identifierList(table.primaryKey)))"
            )
        }
        for unique in table.uniqueConstraints {
            parts.append("CONSTRAINT \(SQLQuoting.identifier(unique.name)) UNIQUE (\(SQLQuoting.identifierList(unique.columns)))")
        }
        for key in table.foreignKeys where !omitted.contains(key.name) {
            if let clause = foreignKeyClause(key, scope: scope) {
                parts.append("CONSTRAINT \(SQLQuoting.identifier(key.name)) \(clause)")
            } else {
                notes.comment("foreign key \(key.name) to \(key.referencedTable) omitted: that table is in another database")
            }
        }
        if table.group != nil, !table.primaryKey.isEmpty, let referenced = scope.location(of: table.source.name) {
            let name = PlanNames.foreignKey(table: table.name, columns: table.primaryKey)
            let keys = SQLQuoting.identifierList(table.primaryKey)
            parts.append(
                "CONSTRAINT \(SQLQuoting.identifier(name)) FOREIGN KEY (\(keys)) REFERENCES \(referenced.qualify(table.source.name)) (\(keys)) ON DELETE CASCADE"
            )
        }
        var statement = "CREATE TABLE IF NOT EXISTS \(scope.schema.qualify(table.name)) (\n    "
        statement += parts.joined(separator: ",\n    ")
        statement += "\n)"
        if let partitioning = table.partitioning {
            statement += " " + PartitionDDL.partitionByClause(partitioning)
        }
        return statement
    }

    /// `"name" type DEFAULT expression NOT NULL`.
    static func columnDefinition(_ column: PlanColumn) -> String {
        var text = "\(SQLQuoting.identifier(column.name)) \(ColumnTypeSQL.spelling(column.type))"
        if let expression = column.defaultExpression {
            text += " DEFAULT \(expression)"
        }
        if !column.nullable {
            text += " NOT NULL"
        }
        return text
    }

    /// `FOREIGN KEY (...) REFERENCES schema.table (...) ON DELETE ...`, or nil when the
    /// referenced table is in another database or its key is unknown.
    static func foreignKeyClause(_ key: PlanForeignKey, scope: SchemaScope) -> String? {
        guard let schema = scope.location(of: key.referencedTable), !key.referencedColumns.isEmpty else { return nil }
        var text =
            "FOREIGN KEY (\(SQLQuoting.identifierList(key.columns))) REFERENCES \(schema.qualify(key.referencedTable)) (\(SQLQuoting.identifierList(key.referencedColumns)))"
        if let onDelete = key.onDelete {
            text += " ON DELETE \(onDelete)"
        }
        return text
    }

    /// A guarded `ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY`.
    private static func addForeignKey(_ key: PlanForeignKey, to table: TableShape, scope: SchemaScope) -> String {
        guard let clause = foreignKeyClause(key, scope: scope) else {
            return "SELECT 1 WHERE false"
        }
        let body = """

            BEGIN
                IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conrelid = \(scope.schema.regclass(table.name)) AND conname = \(SQLQuoting.literal(key.name))) THEN
                    ALTER TABLE \(scope.schema.qualify(table.name)) ADD CONSTRAINT \(SQLQuoting.identifier(key.name)) \(clause);
                END IF;
            END

            """
        return "DO " + SQLQuoting.dollarQuoted(body)
    }

    /// A foreign key left out of `CREATE TABLE` because it closes a cycle.
    struct DeferredKey {
        /// The table that holds the key.
        var table: String
        /// The key.
        var key: PlanForeignKey
    }

    /// The tables in an order where referenced tables come first (plan order otherwise), and
    /// the keys that had to be deferred to break cycles.
    static func order(_ tables: [TableShape], in scope: SchemaScope) -> ([TableShape], [DeferredKey]) {
        let names = Set(tables.filter { $0.group == nil }.map(\.name))
        func dependencies(_ table: TableShape) -> [PlanForeignKey] {
            table.foreignKeys.filter { names.contains($0.referencedTable) && $0.referencedTable != table.name }
        }
        // Each step takes the first table left (in declaration order) whose references all
        // exist, else the first table left, deferring its open references. Taken tables are
        // marked rather than removed: removing from the front of an array of tables moved every
        // other table each time (quadratic in the table count).
        var taken = [Bool](repeating: false, count: tables.count)
        var first = 0
        var done = Set<String>()
        var ordered: [TableShape] = []
        ordered.reserveCapacity(tables.count)
        var deferred: [DeferredKey] = []
        while ordered.count < tables.count {
            while taken[first] { first += 1 }
            var index = first
            while index < tables.count,
                taken[index] || !dependencies(tables[index]).allSatisfy({ done.contains($0.referencedTable) })
            {
                index += 1
            }
            if index == tables.count { index = first }
            taken[index] = true
            let table = tables[index]
            for key in dependencies(table) where !done.contains(key.referencedTable) {
                deferred.append(DeferredKey(table: table.name, key: key))
            }
            if table.group == nil { done.insert(table.name) }
            ordered.append(table)
        }
        return (ordered, deferred)
    }
}
