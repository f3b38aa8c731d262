import Foundation

extension SchemaChange {
    /// The change as the diff lists it: action, object, impact and lock.
    var classification: PlanChange {
        switch self {
        case .dropView(let view, let replaced):
            let kind = view.materialized ? "materialized view" : "view"
            return PlanChange(
                replaced ? .replace : .drop, kind, view.name, impact: .lock, lock: "brief ACCESS EXCLUSIVE on the view",
                detail: replaced
                    ? "dropped and created again with the new definition\(view.materialized ? " (repopulated: reads wait for the query)" : "")"
                    : "dropped")
        case .renameTable(let from, let to):
            return PlanChange(
                .alter, "table", to, impact: .metadataOnly, lock: "brief ACCESS EXCLUSIVE",
                detail: "renamed from \(from) (renamed_from); applications must use the new name")
        case .renameColumn(let table, let from, let to):
            return PlanChange(
                .alter, "column", "\(table).\(to)", impact: .metadataOnly, lock: "brief ACCESS EXCLUSIVE",
                detail: "renamed from \(from) (renamed_from)")
        case .renameIndex(let table, let from, let to):
            return PlanChange(
                .alter, "index", "\(table).\(to)", impact: .metadataOnly, lock: "brief SHARE UPDATE EXCLUSIVE",
                detail: "renamed from \(from)")
        case .renameConstraint(let table, let from, let to):
            return PlanChange(
                .alter, "constraint", "\(table).\(to)", impact: .metadataOnly, lock: "brief ACCESS EXCLUSIVE",
                detail: "renamed from \(from), following its table or column")
        case .renameSequence(let from, let to):
            return PlanChange(
                .alter, "sequence", to, impact: .metadataOnly, lock: "brief ACCESS EXCLUSIVE on the sequence",
                detail: "renamed from \(from), following its serial column")
        case .createTable(let table):
            let references = table.foreignKeys.map(\.referencedTable).filter { $0 != table.name }
            return PlanChange(
                .create, "table", table.name, impact: .online,
                lock: references.isEmpty ? nil : "brief SHARE ROW EXCLUSIVE on \(references.joined(separator: ", ")) (foreign keys)",
                detail:
                    "\(table.columns.count) columns, \(table.indexes.count) indexes\(table.partitions.isEmpty ? "" : ", \(table.partitions.count) partitions"); empty, so its indexes build at once"
            )
        case .addColumn(let table, let column):
            return addColumnClassification(table: table, column: column)
        case .alterColumnType(let table, let column, let from, let to):
            let cheap = Self.isMetadataOnlyTypeChange(from: from, to: to)
            return PlanChange(
                .alter, "column", "\(table).\(column)", impact: cheap ? .metadataOnly : .rewrite,
                lock: cheap ? "brief ACCESS EXCLUSIVE" : "ACCESS EXCLUSIVE for the whole rewrite (table size unknown)",
                detail: "type \(from) -> \(to)\(cheap ? " (binary coercible: no rewrite)" : "; indexes on it are rebuilt")")
        case .alterDefault(let table, let column, let to):
            return PlanChange(
                .alter, "column", "\(table).\(column)", impact: .metadataOnly, lock: "brief ACCESS EXCLUSIVE",
                detail: to.map { "default \($0) (new rows only)" } ?? "default dropped")
        case .setNotNull(let table, let column):
            return PlanChange(
                .alter, "column", "\(table).\(column)", impact: .online,
                lock: "SHARE UPDATE EXCLUSIVE while validating, then brief ACCESS EXCLUSIVE",
                detail: "NOT NULL through a CHECK added NOT VALID and validated; fails if a row holds NULL")
        case .dropNotNull(let table, let column):
            return PlanChange(
                .alter, "column", "\(table).\(column)", impact: .metadataOnly, lock: "brief ACCESS EXCLUSIVE",
                detail: "NULL allowed")
        case .addPartition(let table, let partition):
            let scan =
                table.partitions.contains { $0.kind == .default } ? "; the default partition is scanned for rows of the new bound" : ""
            return PlanChange(
                .create, "partition", "\(table.name).\(partition.name)", impact: .online,
                lock: "brief SHARE UPDATE EXCLUSIVE on \(table.name)",
                detail: "created standalone with a CHECK of its bound, then attached\(scan)")
        case .createIndex(let table, let index):
            return PlanChange(
                .create, index.unique ? "unique index" : "index", "\(table.name).\(index.name)", impact: .online,
                lock: table.partitioning == nil
                    ? "SHARE UPDATE EXCLUSIVE (writes go on)" : "brief SHARE on the parent, then SHARE UPDATE EXCLUSIVE per partition",
                detail: table.partitioning == nil
                    ? "\(index.method.rawValue) index built CONCURRENTLY; an invalid index left by a failed build is rebuilt"
                    : "ON ONLY the parent, CONCURRENTLY on each of \(table.partitions.count) partitions, then attached")
        case .replaceIndex(let table, let old, let new):
            return PlanChange(
                .replace, "index", "\(table.name).\(new.name)", impact: .online,
                lock: "SHARE UPDATE EXCLUSIVE (writes go on)",
                detail: "definition changed: dropped CONCURRENTLY and built CONCURRENTLY (queries run without \(old.name) meanwhile)")
        case .addUnique(let table, let constraint):
            return PlanChange(
                .create, "unique constraint", "\(table).\(constraint.name)", impact: .online,
                lock: "SHARE UPDATE EXCLUSIVE while the index builds, then brief ACCESS EXCLUSIVE",
                detail: "unique index built CONCURRENTLY, then ADD CONSTRAINT ... USING INDEX; fails if duplicates exist")
        case .addForeignKey(let table, let key):
            return PlanChange(
                .create, "foreign key", "\(table).\(key.name)", impact: .online,
                lock: "brief SHARE ROW EXCLUSIVE on \(table) and \(key.referencedTable), then SHARE UPDATE EXCLUSIVE while validating",
                detail: "added NOT VALID, then VALIDATE CONSTRAINT")
        case .backfillCounter(let table, let counter):
            return PlanChange(
                .alter, "counter", "\(table.name).\(counter.column)", impact: .online, lock: "row locks, 1000 rows a transaction",
                detail: "trigger first, then every row recounted from \(counter.countedTable) in batches")
        case .converge:
            return PlanChange(
                .alter, "database objects", "functions, triggers, policies, grants, publication", impact: .lock,
                lock: "brief locks (up to ACCESS EXCLUSIVE for triggers, row-level security, replica identity) for one transaction",
                detail: "the new plan's idempotent database script creates what is missing")
        case .regrantView(let view):
            return PlanChange(
                .create, view.materialized ? "materialized view" : "view", view.name, impact: .online,
                lock: view.materialized ? "none while it is populated (a new relation)" : nil,
                detail: "created by the converge step, granted SELECT as a fresh build grants it")
        case .changePrimaryKey(let table, let from, let to):
            return PlanChange(
                .replace, "primary key", "\(table)_pkey", impact: .manual,
                detail:
                    "(\(from.joined(separator: ", "))) -> (\(to.joined(separator: ", "))): not carried out by topoc migrate or topoc up. By hand: "
                    + "SET NOT NULL on the new key's columns (through a validated CHECK), CREATE UNIQUE INDEX CONCURRENTLY \(table)_pkey_new ON \(table) (\(to.joined(separator: ", "))), "
                    + "then in one transaction drop the foreign keys that reference the old key, ALTER TABLE \(table) DROP CONSTRAINT \(table)_pkey, "
                    + "ADD CONSTRAINT \(table)_pkey PRIMARY KEY USING INDEX \(table)_pkey_new (brief ACCESS EXCLUSIVE), and add those foreign keys again NOT VALID, then VALIDATE"
            )
        case .changePartitioning(let table, let from, let to):
            return PlanChange(
                .replace, "partitioning", table, impact: .manual,
                detail:
                    "\(from) -> \(to): PostgreSQL cannot change a table's partitioning in place, and rows move; not carried out by topoc migrate or topoc up. By hand: "
                    + "create the new table beside \(table) (\(to)), copy the rows in batches or through logical replication, switch the writers in a short window, "
                    + "then rename the tables; or dump and restore \(table) in a maintenance window")
        case .dropIndex(let table, let index):
            return PlanChange(
                .drop, "index", "\(table.name).\(index.name)", impact: .online,
                lock: table.partitioning == nil
                    ? "SHARE UPDATE EXCLUSIVE (DROP INDEX CONCURRENTLY)" : "brief ACCESS EXCLUSIVE (partitioned index)",
                detail: "dropped")
        case .dropConstraint(let table, let name):
            return PlanChange(
                .drop, "constraint", "\(table).\(name)", impact: .metadataOnly, lock: "brief ACCESS EXCLUSIVE", detail: "dropped")
        case .dropPartition(let table, let partition):
            return PlanChange(
                .drop, "partition", "\(table.name).\(partition)", impact: .destructive,
                lock: "SHARE UPDATE EXCLUSIVE (DETACH CONCURRENTLY)",
                detail: "detached and dropped with its rows")
        case .dropColumn(let table, let column):
            return PlanChange(
                .drop, "column", "\(table).\(column)", impact: .destructive, lock: "brief ACCESS EXCLUSIVE",
                detail: "dropped with its values (no rewrite)")
        case .dropTable(let table):
            return PlanChange(.drop, "table", table, impact: .destructive, lock: "brief ACCESS EXCLUSIVE", detail: "dropped with its rows")
        case .dropAuditTrigger(let table):
            return PlanChange(
                .drop, "audit trigger", "\(table).\(PlanNames.auditTrigger(table: table))", impact: .metadataOnly,
                lock: "brief SHARE ROW EXCLUSIVE", detail: "changes are no longer written to the audit table")
        case .dropCounter(let table, let column, let counted, _):
            return PlanChange(
                .drop, "counter", "\(table).\(column)", impact: .metadataOnly, lock: "brief SHARE ROW EXCLUSIVE on \(counted)",
                detail: "its triggers on \(counted) dropped: writes to \(counted) no longer update \(table).\(column)")
        case .dropSnapshot(let table, let oldTable, let column):
            return PlanChange(
                .drop, "snapshot", "\(oldTable).\(column)", impact: .metadataOnly, lock: "brief SHARE ROW EXCLUSIVE on \(table)",
                detail: "its trigger dropped: new rows of \(table) no longer copy the value")
        case .resetReplicaIdentity(let table):
            return PlanChange(
                .alter, "replica identity", table, impact: .metadataOnly, lock: "brief ACCESS EXCLUSIVE",
                detail: "FULL -> DEFAULT (the primary key)")
        case .dropFromPublication(let publication, let table):
            return PlanChange(
                .drop, "publication member", "\(publication).\(table)", impact: .metadataOnly, lock: nil,
                detail: "no longer published; consumers stop receiving its changes")
        }
    }

    /// A new column: metadata only when nullable or with a non-volatile default (PostgreSQL 11+);
    /// a volatile default (`random()`, a sequence) rewrites the table.
    private func addColumnClassification(table: String, column: PlanColumn) -> PlanChange {
        let expression = column.defaultExpression?.lowercased() ?? ""
        let volatile =
            PlanNames.serialTypes.contains(column.type)
            || ["random(", "gen_random_uuid(", "uuid_generate", "clock_timestamp(", "nextval(", "timeofday("].contains {
                expression.contains($0)
            }
        if volatile {
            return PlanChange(
                .create, "column", "\(table).\(column.name)", impact: .rewrite,
                lock: "ACCESS EXCLUSIVE for the whole rewrite (table size unknown)",
                detail: "\(column.type) with a volatile default: every row is rewritten")
        }
        if !column.nullable && column.defaultExpression == nil {
            return PlanChange(
                .create, "column", "\(table).\(column.name)", impact: .metadataOnly, lock: "brief ACCESS EXCLUSIVE",
                detail: "\(column.type) NOT NULL without a default: fails unless the table is empty")
        }
        return PlanChange(
            .create, column.derived.map { "\($0.rawValue) column" } ?? "column", "\(table).\(column.name)",
            impact: .metadataOnly, lock: "brief ACCESS EXCLUSIVE",
            detail:
                "\(column.type)\(column.nullable ? "" : " NOT NULL")\(column.defaultExpression.map { " DEFAULT \($0)" } ?? "") (no rewrite)"
        )
    }

    /// Type changes PostgreSQL makes without a rewrite: a longer `varchar`, `varchar` to `text`,
    /// a wider `numeric` precision with the same scale.
    static func isMetadataOnlyTypeChange(from: String, to: String) -> Bool {
        func parts(_ type: String) -> (String, [Int]) {
            let base = ColumnTypeSQL.base(type)
            let inside = type.drop { $0 != "(" }.dropFirst().prefix { $0 != ")" }
            return (base, inside.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) })
        }
        let (fromBase, fromArgs) = parts(from)
        let (toBase, toArgs) = parts(to)
        let varchar: Set<String> = ["varchar", "character varying"]
        if varchar.contains(fromBase) && toBase == "text" { return true }
        if varchar.contains(fromBase) && varchar.contains(toBase) {
            return toArgs.isEmpty || (fromArgs.first.map { $0 <= toArgs[0] } ?? false)
        }
        if fromBase == "numeric" && toBase == "numeric", fromArgs.count == 2, toArgs.count == 2 {
            return toArgs[0] >= fromArgs[0] && toArgs[1] == fromArgs[1]
        }
        return false
    }
}
