/// The names topoc gives the objects a topology does not name, read from the model.
///
/// topoc emits every object with an explicit name, so the DDL, migrations and diagnostics agree on
/// it. The conventions live in ``PlanNames`` (which the planner and the DDL backend use); this
/// facade applies them to the decoded model so that the rules check exactly the names the DDL
/// will create, before there is a plan:
///
/// | object | name |
/// |---|---|
/// | index | `<table>_<key parts>_idx` (`_key` when unique); expression keys count as `expr`, `expr1`... |
/// | primary key | `<table>_pkey` |
/// | unique constraint | `<table>_<columns>_key` |
/// | foreign key | `<table>_<columns>_fkey` |
/// | counter trigger and function | `<table>_<counter column>_counter` |
/// | snapshot trigger and function | `<table>_<snapshot column>_snapshot` |
///
/// Unlike PostgreSQL, topoc neither truncates nor numbers derived names: a derived name longer than
/// 63 bytes is an error (TPG121), and so are two equal names (TPG122).
public enum DerivedNames {
    /// The name of an index without an explicit `name`.
    public static func index(table: String, keys: [IndexKey], unique: Bool) -> String {
        PlanNames.index(table: table, keys: keys.map(planKey), unique: unique)
    }

    /// The name of an index: its explicit name, or the derived one.
    public static func name(of index: Index, on table: String) -> String {
        index.name?.value ?? Self.index(table: table, keys: index.keys, unique: index.unique?.value == true)
    }

    /// The name of a table's primary key constraint (and of its index).
    public static func primaryKey(table: String) -> String { PlanNames.primaryKey(table: table) }

    /// The name of a unique constraint: its explicit name, or the derived one.
    public static func name(of constraint: UniqueConstraint, on table: String) -> String {
        constraint.name?.value ?? PlanNames.unique(table: table, columns: constraint.columns.map(\.value))
    }

    /// The name of a foreign key: its explicit name, or the derived one.
    public static func name(of key: ForeignKey, on table: String) -> String {
        key.name?.value ?? PlanNames.foreignKey(table: table, columns: key.columns.map(\.value))
    }

    /// The trigger (on the counted table) and trigger function that maintain a counter column.
    public static func counterTrigger(table: String, column: String) -> String {
        PlanNames.counterTrigger(table: table, column: column)
    }

    /// The BEFORE UPDATE trigger (on the counted table) that orders a counter's row locks.
    public static func counterLockTrigger(table: String, column: String) -> String {
        PlanNames.counterLockTrigger(table: table, column: column)
    }

    /// The sequence PostgreSQL creates for a serial column.
    public static func serialSequence(table: String, column: String) -> String {
        PlanNames.serialSequence(table: table, column: column)
    }

    /// The unique index of a materialized view (which `REFRESH ... CONCURRENTLY` needs).
    public static func viewUniqueIndex(view: String, columns: [String]) -> String {
        PlanNames.index(table: view, keys: columns.map { PlanIndexKey(column: $0, expression: nil) }, unique: true)
    }

    /// The function that refreshes a materialized view.
    public static func refreshFunction(view: String) -> String {
        PlanNames.refreshFunction(view: view)
    }

    /// The trigger and trigger function that fill a snapshot column.
    public static func snapshotTrigger(table: String, column: String) -> String {
        PlanNames.snapshotTrigger(table: table, column: column)
    }

    /// A model key part as the plan's.
    private static func planKey(_ key: IndexKey) -> PlanIndexKey {
        switch key {
        case .column(let name): PlanIndexKey(column: name.value, expression: nil)
        case .expression(let expression): PlanIndexKey(column: nil, expression: expression.value)
        }
    }
}
