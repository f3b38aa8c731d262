/// One change to the objects of one schema of one database, typed so that the diff classifies it
/// and the migration writes its statements from the same value.
enum SchemaChange: Sendable {
    /// A view or materialized view dropped before the tables change (and created again by the
    /// converge step when it is still in the plan).
    case dropView(PlanView, replaced: Bool)
    /// A table renamed (`renamed_from:`).
    case renameTable(from: String, to: String)
    /// A column renamed (`renamed_from:`).
    case renameColumn(table: String, from: String, to: String)
    /// An index renamed (`renamed_from:`, or a derived name that follows a table or column rename).
    case renameIndex(table: String, from: String, to: String)
    /// A constraint renamed (a derived name that follows a table or column rename).
    case renameConstraint(table: String, from: String, to: String)
    /// A serial column's sequence renamed with its table or column, as PostgreSQL would name it.
    case renameSequence(from: String, to: String)
    /// A new table, created by the converge step with everything on it.
    case createTable(TableShape)
    /// A column added to an existing table.
    case addColumn(table: String, column: PlanColumn)
    /// A column's type changed.
    case alterColumnType(table: String, column: String, from: String, to: String)
    /// A column's default changed or removed.
    case alterDefault(table: String, column: String, to: String?)
    /// A nullable column becomes NOT NULL (through a validated check).
    case setNotNull(table: String, column: String)
    /// A NOT NULL column becomes nullable.
    case dropNotNull(table: String, column: String)
    /// A new partition of an existing partitioned table: created standalone, checked, attached.
    case addPartition(table: TableShape, partition: PlanPartition)
    /// A new index on an existing table.
    case createIndex(table: TableShape, index: PlanIndex)
    /// An index whose definition changed: dropped and built again.
    case replaceIndex(table: TableShape, old: PlanIndex, new: PlanIndex)
    /// A new unique constraint on an existing table.
    case addUnique(table: String, constraint: PlanUniqueConstraint)
    /// A new foreign key on an existing table.
    case addForeignKey(table: String, key: PlanForeignKey)
    /// The converge step: the new plan's idempotent database script, which creates every object
    /// still missing (new tables, functions, triggers, views, policies, grants, publication members).
    case converge
    /// A counter column added to an existing table, counted once its trigger exists (batched).
    case backfillCounter(table: TableShape, counter: PlanCounter)
    /// A view the converge step created in a database that already had `ALTER DEFAULT
    /// PRIVILEGES`: its privileges set to what a fresh build grants (SELECT only).
    case regrantView(PlanView)
    /// A primary key whose columns changed: not migrated automatically.
    case changePrimaryKey(table: String, from: [String], to: [String])
    /// A table's partitioning changed: not migrated automatically.
    case changePartitioning(table: String, from: String, to: String)
    /// An index dropped.
    case dropIndex(table: TableShape, index: PlanIndex)
    /// A unique constraint or foreign key dropped.
    case dropConstraint(table: String, name: String)
    /// A partition dropped (detached concurrently, then dropped).
    case dropPartition(table: TableShape, partition: String)
    /// A column dropped.
    case dropColumn(table: String, column: String)
    /// A table dropped.
    case dropTable(String)
    /// A table no longer captured by triggers: its audit trigger dropped.
    case dropAuditTrigger(table: String)
    /// A counter gone from the new plan (or renamed with its table, or counting another table):
    /// the old counter's triggers on the counted table (`countedTable`, by its name in the new
    /// plan) dropped, and its function unless the new plan's converge step made it again
    /// (`keepFunction`). Left in place, the old trigger would keep updating a dropped column or a
    /// renamed table, and every write to the counted table would fail.
    case dropCounter(table: String, column: String, countedTable: String, keepFunction: Bool)
    /// A snapshot gone from the new plan (or renamed with its table): its trigger on the table
    /// (`table`, by its name in the new plan) and its function (`oldTable`'s name) dropped.
    case dropSnapshot(table: String, oldTable: String, column: String)
    /// A table no longer captured with `REPLICA IDENTITY FULL`: back to the default identity.
    case resetReplicaIdentity(table: String)
    /// A table no longer captured: removed from the database's publication.
    case dropFromPublication(publication: String, table: String)
}
