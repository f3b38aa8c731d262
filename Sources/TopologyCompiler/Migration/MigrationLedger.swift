/// The ledger of applied migration steps, one table in every target database: a row per step that
/// succeeded, keyed by both plans' hashes and the step's id, so a rerun skips it. Owned by the
/// owner role; PUBLIC has no privilege on the schema or the table.
enum MigrationLedger {
    /// The ledger's schema.
    static let schema = "topoc_migrations"
    /// The ledger table.
    static let table = "ledger"

    /// `"topoc_migrations"."ledger"`.
    static var qualified: String { SQLQuoting.qualified(schema, table) }

    /// The statements creating the ledger (as the superuser, then as the owner).
    static func create(owner: String) -> SQLScript {
        var script = SQLScript()
        let role = SQLQuoting.identifier(owner)
        script.add("CREATE SCHEMA IF NOT EXISTS \(SQLQuoting.identifier(schema)) AUTHORIZATION \(role)")
        script.add("REVOKE ALL ON SCHEMA \(SQLQuoting.identifier(schema)) FROM PUBLIC")
        script.add("SET ROLE \(role)")
        script.add(
            """
            CREATE TABLE IF NOT EXISTS \(qualified) (
                "from_plan" text NOT NULL,
                "to_plan" text NOT NULL,
                "step" text NOT NULL,
                "applied_at" timestamp with time zone DEFAULT now() NOT NULL,
                CONSTRAINT "ledger_pkey" PRIMARY KEY ("from_plan", "to_plan", "step")
            )
            """)
        script.add("REVOKE ALL ON \(qualified) FROM PUBLIC")
        script.add("RESET ROLE")
        return script
    }

    /// The condition that a step has not been applied.
    static func pending(from: String, to: String, step: String) -> String {
        "NOT EXISTS (SELECT FROM \(qualified) WHERE \"from_plan\" = \(SQLQuoting.literal(from)) AND \"to_plan\" = \(SQLQuoting.literal(to)) AND \"step\" = \(SQLQuoting.literal(step)))"
    }

    /// The statement recording a step.
    static func record(from: String, to: String, step: String) -> String {
        "INSERT INTO \(qualified) (\"from_plan\", \"to_plan\", \"step\") VALUES (\(SQLQuoting.literal(from)), \(SQLQuoting.literal(to)), \(SQLQuoting.literal(step))) ON CONFLICT DO NOTHING"
    }
}
