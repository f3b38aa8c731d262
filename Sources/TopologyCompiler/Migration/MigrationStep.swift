/// One step of a database's migration: recorded in the ledger under its id once it succeeded,
/// and skipped on a rerun of the same plan pair.
struct MigrationStep: Sendable {
    /// How a step runs.
    enum Mode: Sendable {
        /// In one transaction with the ledger row: all or nothing.
        case transaction
        /// Statement by statement outside a transaction (`CONCURRENTLY` cannot run in one); each
        /// statement is idempotent, so a step killed halfway is simply run again.
        case outsideTransaction
        /// The new plan's database script, which manages its own transaction.
        case script
    }

    /// The step's id, unique in its database's migration (`003-add-column-users-email`).
    var id: String
    /// What the step does, for the comment above it.
    var title: String
    /// How it runs.
    var mode: Mode
    /// Its SQL: statements, or psql lines for the invalid-index check.
    var body: SQLScript
    /// Whether the step runs as the owner role (`SET ROLE`); the converge script sets roles itself,
    /// and a step that revokes another role's privileges (`DROP OWNED BY`) runs as the superuser.
    var asOwner: Bool = true
}
