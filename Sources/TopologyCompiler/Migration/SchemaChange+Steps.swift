extension SchemaChange {
    /// The steps that carry out the change in one schema. `scope` is the new plan's view of the
    /// schema (where referenced tables live); the converge step is written by the caller.
    func steps(_ sql: MigrationStatements, scope: SchemaScope) -> [MigrationStep] {
        func transaction(_ slug: String, _ title: String, _ statements: [String]) -> [MigrationStep] {
            var body = SQLScript()
            for statement in statements { body.add(statement) }
            return [MigrationStep(id: slug, title: title, mode: .transaction, body: body)]
        }
        switch self {
        case .dropView(let view, let replaced):
            let kind = view.materialized ? "MATERIALIZED VIEW" : "VIEW"
            var statements = ["DROP \(kind) IF EXISTS \(sql.schema.qualify(view.name))"]
            if view.materialized && !replaced {
                statements.append("DROP FUNCTION IF EXISTS \(sql.schema.qualify(ViewDDL.refreshFunction(view.name)))()")
            }
            return transaction(
                "drop-view-\(view.name)", "drop view \(view.name) (created again by the converge step if kept)", statements)
        case .regrantView(let view):
            let roles = scope.database.clientRoles.map(SQLQuoting.identifier).joined(separator: ", ")
            var statements = ["REVOKE ALL ON \(sql.schema.qualify(view.name)) FROM \(roles)"]
            if !(view.materialized && scope.database.isSharedSchemaTenancy) {
                statements.append("GRANT SELECT ON \(sql.schema.qualify(view.name)) TO \(roles)")
            }
            return transaction("grant-view-\(view.name)", "privileges of view \(view.name) as a fresh build sets them", statements)
        case .renameTable(let from, let to):
            // Counter and snapshot functions name their tables: the new definitions (and their
            // triggers) commit with the rename, so no write runs a function naming `from`. Those
            // of a renamed holder are named after it: the old ones go with their triggers.
            let holder = scope.tables.first { $0.name == to && $0.group == nil }
            let formerFunctions =
                (holder?.source.schema.counters.map { PlanNames.counterTrigger(table: from, column: $0.column) } ?? [])
                + (holder?.source.schema.snapshots.map { PlanNames.snapshotTrigger(table: from, column: $0.column) } ?? [])
            let triggers = CounterDDL.statements(scope, naming: to).statements
            return transaction(
                "rename-table-\(from)-\(to)",
                "rename table \(from) to \(to)" + (triggers.isEmpty ? "" : ", with the counter and snapshot triggers that name it"),
                [
                    sql.guarded(
                        "\(sql.regclass(from)) IS NOT NULL AND \(sql.regclass(to)) IS NULL",
                        "ALTER TABLE \(sql.schema.qualify(from)) RENAME TO \(SQLQuoting.identifier(to))")
                ] + formerFunctions.map { "DROP FUNCTION IF EXISTS \(sql.schema.qualify($0))() CASCADE" } + triggers)
        case .renameColumn(let table, let from, let to):
            return transaction(
                "rename-column-\(table)-\(from)-\(to)", "rename column \(table).\(from) to \(to)",
                [
                    sql.guarded(
                        "\(sql.hasColumn(table, from)) AND NOT \(sql.hasColumn(table, to))",
                        "\(sql.alter(table)) RENAME COLUMN \(SQLQuoting.identifier(from)) TO \(SQLQuoting.identifier(to))")
                ])
        case .renameIndex(let table, let from, let to):
            return transaction(
                "rename-index-\(table)-\(from)-\(to)", "rename index \(from) to \(to)",
                [
                    sql.guarded(
                        "\(sql.regclass(from)) IS NOT NULL AND \(sql.regclass(to)) IS NULL",
                        "ALTER INDEX \(sql.schema.qualify(from)) RENAME TO \(SQLQuoting.identifier(to))")
                ])
        case .renameConstraint(let table, let from, let to):
            return transaction(
                "rename-constraint-\(table)-\(from)-\(to)", "rename constraint \(from) of \(table) to \(to)",
                [
                    sql.guarded(
                        "\(sql.hasConstraint(table, from)) AND NOT \(sql.hasConstraint(table, to))",
                        "\(sql.alter(table)) RENAME CONSTRAINT \(SQLQuoting.identifier(from)) TO \(SQLQuoting.identifier(to))")
                ])
        case .renameSequence(let from, let to):
            return transaction(
                "rename-sequence-\(from)-\(to)", "rename sequence \(from) to \(to)",
                [
                    sql.guarded(
                        "\(sql.regclass(from)) IS NOT NULL AND \(sql.regclass(to)) IS NULL",
                        "ALTER SEQUENCE \(sql.schema.qualify(from)) RENAME TO \(SQLQuoting.identifier(to))")
                ])
        case .createTable, .converge:
            return []
        case .addColumn(let table, let column):
            return transaction(
                "add-column-\(table)-\(column.name)", "add column \(table).\(column.name)",
                ["\(sql.alter(table)) ADD COLUMN IF NOT EXISTS \(TableDDL.columnDefinition(column))"])
        case .alterColumnType(let table, let column, _, let to):
            return transaction(
                "alter-type-\(table)-\(column)", "change the type of \(table).\(column) to \(to)",
                [
                    "\(sql.alter(table)) ALTER COLUMN \(SQLQuoting.identifier(column)) TYPE \(ColumnTypeSQL.spelling(ColumnTypeSQL.withoutSerial(to)))"
                ])
        case .alterDefault(let table, let column, let to):
            let action = to.map { "SET DEFAULT \($0)" } ?? "DROP DEFAULT"
            return transaction(
                "alter-default-\(table)-\(column)", "change the default of \(table).\(column)",
                ["\(sql.alter(table)) ALTER COLUMN \(SQLQuoting.identifier(column)) \(action)"])
        case .dropNotNull(let table, let column):
            return transaction(
                "drop-not-null-\(table)-\(column)", "allow NULL in \(table).\(column)",
                ["\(sql.alter(table)) ALTER COLUMN \(SQLQuoting.identifier(column)) DROP NOT NULL"])
        case .setNotNull(let table, let column):
            return setNotNull(sql, table: table, column: column)
        case .addPartition(let table, let partition):
            return addPartition(sql, table: table, partition: partition, roles: scope.database.clientRoles)
        case .createIndex(let table, let index):
            return createIndex(sql, table: table, index: index)
        case .replaceIndex(let table, let old, let new):
            return dropIndex(sql, table: table, index: old) + createIndex(sql, table: table, index: new)
        case .dropIndex(let table, let index):
            return dropIndex(sql, table: table, index: index)
        case .addUnique(let table, let constraint):
            return addUnique(sql, table: table, constraint: constraint)
        case .addForeignKey(let table, let key):
            return addForeignKey(sql, table: table, key: key, scope: scope)
        case .backfillCounter(let table, let counter):
            return backfillCounter(sql, table: table, counter: counter, scope: scope)
        case .changePrimaryKey, .changePartitioning:
            return []
        case .dropConstraint(let table, let name):
            return transaction(
                "drop-constraint-\(table)-\(name)", "drop constraint \(name) of \(table)",
                ["\(sql.alter(table)) DROP CONSTRAINT IF EXISTS \(SQLQuoting.identifier(name))"])
        case .dropPartition(let table, let partition):
            return dropPartition(sql, table: table, partition: partition)
        case .dropColumn(let table, let column):
            return transaction(
                "drop-column-\(table)-\(column)", "drop column \(table).\(column)",
                ["\(sql.alter(table)) DROP COLUMN IF EXISTS \(SQLQuoting.identifier(column))"])
        case .dropTable(let table):
            return transaction(
                "drop-table-\(table)", "drop table \(table)", ["DROP TABLE IF EXISTS \(sql.schema.qualify(table))"])
        case .dropAuditTrigger(let table):
            let trigger = PlanNames.auditTrigger(table: table)
            return transaction(
                "drop-audit-\(table)", "stop auditing \(table)",
                ["DROP TRIGGER IF EXISTS \(SQLQuoting.identifier(trigger)) ON \(sql.schema.qualify(table))"])
        case .dropCounter(let table, let column, let counted, let keepFunction):
            let name = PlanNames.counterTrigger(table: table, column: column)
            let lock = PlanNames.counterLockTrigger(table: table, column: column)
            var statements = [lock, name].map {
                "DROP TRIGGER IF EXISTS \(SQLQuoting.identifier($0)) ON \(sql.schema.qualify(counted))"
            }
            if !keepFunction { statements.append("DROP FUNCTION IF EXISTS \(sql.schema.qualify(name))()") }
            return transaction(
                "drop-counter-\(table)-\(column)", "stop counting \(counted) into \(table).\(column)", statements)
        case .dropSnapshot(let table, let oldTable, let column):
            let name = PlanNames.snapshotTrigger(table: oldTable, column: column)
            return transaction(
                "drop-snapshot-\(oldTable)-\(column)", "stop filling \(oldTable).\(column)",
                [
                    "DROP TRIGGER IF EXISTS \(SQLQuoting.identifier(name)) ON \(sql.schema.qualify(table))",
                    "DROP FUNCTION IF EXISTS \(sql.schema.qualify(name))()",
                ])
        case .resetReplicaIdentity(let table):
            return transaction(
                "replica-identity-\(table)", "replica identity of \(table) back to its primary key",
                ["\(sql.alter(table)) REPLICA IDENTITY DEFAULT"])
        case .dropFromPublication(let publication, let table):
            let condition = """
                EXISTS (SELECT FROM pg_catalog.pg_publication_rel r JOIN pg_catalog.pg_publication p ON p.oid = r.prpubid WHERE p.pubname = \(SQLQuoting.literal(publication)) AND r.prrelid = \(sql.regclass(table)))
                """
            return transaction(
                "publication-drop-\(table)", "stop publishing \(table)",
                [
                    sql.guarded(
                        condition,
                        "ALTER PUBLICATION \(SQLQuoting.identifier(publication)) DROP TABLE \(sql.schema.qualify(table))")
                ])
        }
    }
}
