import Foundation
import Testing
import TopologyCompiler

/// Names that are valid in a topology but dangerous unquoted (reserved words, mixed case)
/// create exactly the relations they name, and the triggers on them work.
@Suite("hostile names on PostgreSQL", .enabled(if: PostgresServer.shouldRun, PostgresServer.skipReason))
struct HostileNameTests {
    static let yaml =
        TestTopologies.base(name: "hostile") + """
            tables:
              user:
                columns:
                  select: bigint
                  from: { type: text, nullable: false }
                  Where: text
                primary_key: [select]
                unique: [[from]]
                counters:
                  order_count: { counts: order, via: user }
              order:
                columns:
                  table: bigint
                  user: bigint
                  group: text
                  Select: text
                primary_key: [table]
                foreign_keys:
                  - { columns: [user], references: { table: user } }
                snapshots:
                  From: { from: user.from, via: user }
                indexes:
                  - { columns: [group], where: "\\"group\\" <> 'x'" }
                  - { columns: [{ expression: "lower(\\"Select\\")" }] }
              Users:
                columns:
                  id: bigint
                  limit: integer
                primary_key: [id, limit]
                partitioning:
                  by: list
                  key: limit
                  lists:
                    check: [1]
                    column: [2]
                  default: true
            views:
              union:
                query: SELECT "select", "from" FROM "user"
              Default:
                materialized: true
                query: SELECT "table", "user" FROM "order"
                unique_key: [table]
                refresh: { schedule: "@hourly", concurrently: true }
            """

    @Test("reserved words and mixed case become exactly the relations they name")
    func exactRelations() async throws {
        guard let port = PostgresServer.requirePort(), let plan = TestPlans.plan(yaml: Self.yaml) else { return }
        #expect(Set(plan.tables.map(\.name)) == ["user", "order", "Users"])
        try await Deployment.with(plan, port: port) { deployment in
            guard let database = deployment.plan.databases.first, try await deployment.deploy(database) else { return }
            let again = try await deployment.apply(database, to: database.name)
            #expect(again.status == 0 && again.stderr.isEmpty, "\(again.stderr)")
            let psql = deployment.psql
            let db = database.name
            let relations = try await psql.check(
                "SELECT relname || ':' || relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' ORDER BY 1",
                database: db)
            let expected: Set<String> = [
                "user:r", "user_pkey:i", "user_from_key:i",
                "order:r", "order_pkey:i", "order_group_idx:i", "order_expr_idx:i",
                "Users:p", "Users_pkey:I", "Users_check:r", "Users_check_pkey:i", "Users_column:r", "Users_column_pkey:i",
                "Users_default:r", "Users_default_pkey:i",
                "union:v", "Default:m", "Default_table_key:i",
            ]
            #expect(Set(relations.lines) == expected)
            try await CatalogCheck(deployment: deployment, database: database, actual: db).run()
            let behaviour = try await psql.check(
                """
                INSERT INTO "user" ("select", "from") VALUES (1, 'one'), (2, 'two');
                INSERT INTO "order" ("table", "user", "group", "Select") VALUES (10, 1, 'g', 'MiXed'), (11, 1, 'x', NULL), (12, 2, NULL, NULL);
                UPDATE "order" SET "user" = 2 WHERE "table" = 11;
                SELECT "select", order_count FROM "user" ORDER BY 1;
                SELECT "table", "From" FROM "order" ORDER BY 1;
                INSERT INTO "Users" (id, "limit") VALUES (1, 1), (2, 2), (3, 3);
                SELECT tableoid::regclass FROM "Users" ORDER BY id;
                SELECT "topoc_refresh_Default"();
                """, database: db)
            #expect(
                behaviour.lines == [
                    "1|1", "2|2", "10|one", "11|two", "12|two", "\"Users_check\"", "\"Users_column\"", "\"Users_default\"",
                ])
        }
    }
}
