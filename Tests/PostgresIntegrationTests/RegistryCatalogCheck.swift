import Foundation
import Testing
import TopologyCompiler

/// Compares a database's catalog after an apply with ``ObjectRegistry``: every object the
/// registry says the database's script creates must exist under its name, as the right kind of
/// object (a serial sequence must be its column's). An object an `IF NOT EXISTS` skipped because
/// something else already had the name is reported here.
struct RegistryCatalogCheck {
    let deployment: Deployment
    let database: PlanDatabase
    /// The database checked (a copy may have another name than the plan's).
    let actual: String

    /// The entries missing from the catalog, as `kind schema.relation.name` lines.
    func missing() async throws -> [String] {
        let entries = ObjectRegistry(plan: deployment.plan).entries(cluster: database.cluster, database: database.name)
        guard !entries.isEmpty else { return [] }
        let rows = entries.map { entry in
            "("
                + [entry.kind.rawValue, entry.schema ?? "", entry.relation ?? "", entry.name, entry.column ?? ""]
                .map(literal).joined(separator: ", ") + ")"
        }
        let relation = { (kinds: String, partition: String) in
            """
            EXISTS (SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = e.schema AND c.relname = e.name AND c.relkind IN (\(kinds))\(partition))
            """
        }
        let owned = """
            EXISTS (SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = e.schema AND c.relname = e.relation AND c.relkind IN ('r', 'p'))
            """
        let sql = """
            SELECT e.kind || ' ' || e.schema || '.' || e.relation || '.' || e.name
            FROM (VALUES \(rows.joined(separator: ",\n    "))) AS e(kind, schema, relation, name, col)
            WHERE NOT CASE e.kind
                WHEN 'table' THEN \(relation("'r', 'p'", " AND NOT c.relispartition"))
                WHEN 'partition' THEN \(relation("'r', 'p'", " AND c.relispartition"))
                WHEN 'index' THEN \(relation("'i', 'I'", ""))
                WHEN 'view' THEN \(relation("'v'", ""))
                WHEN 'materialized view' THEN \(relation("'m'", ""))
                WHEN 'sequence' THEN \(relation("'S'", "")) AND \(owned)
                    AND pg_get_serial_sequence(quote_ident(e.schema) || '.' || quote_ident(e.relation), e.col)
                        = quote_ident(e.schema) || '.' || quote_ident(e.name)
                WHEN 'constraint' THEN EXISTS (SELECT FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
                    JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = e.schema AND c.relname = e.relation AND k.conname = e.name)
                WHEN 'trigger' THEN EXISTS (SELECT FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                    JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = e.schema AND c.relname = e.relation AND t.tgname = e.name AND NOT t.tgisinternal)
                WHEN 'function' THEN EXISTS (SELECT FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE n.nspname = e.schema AND p.proname = e.name)
                WHEN 'policy' THEN EXISTS (SELECT FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
                    JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = e.schema AND c.relname = e.relation AND p.polname = e.name)
                WHEN 'publication' THEN EXISTS (SELECT FROM pg_publication WHERE pubname = e.name)
                WHEN 'event trigger' THEN EXISTS (SELECT FROM pg_event_trigger WHERE evtname = e.name)
                ELSE false
            END
            ORDER BY 1
            """
        let output = try await deployment.psql.sql(sql, database: actual)
        #expect(output.status == 0 && output.stderr.isEmpty, "registry query on \(actual): \(output.stderr)")
        return output.stdout.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    /// Expects nothing missing.
    func run(sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        let missing = try await missing()
        #expect(
            missing.isEmpty,
            "objects of the name registry missing from \(actual) after the apply:\n\(missing.joined(separator: "\n"))",
            sourceLocation: sourceLocation)
    }
}
