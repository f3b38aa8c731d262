import Foundation
import Testing
import TopologyCompiler

/// Tenancy on a real server: row-level security keeps shared-schema tenants apart (the table
/// owner included), and schema-per-tenant onboarding creates a tenant's schema safely.
@Suite("tenancy on PostgreSQL", .enabled(if: PostgresServer.shouldRun, PostgresServer.skipReason))
struct TenancyTests {
    static let tenantA = "00000000-0000-0000-0000-00000000000a"
    static let tenantB = "00000000-0000-0000-0000-00000000000b"

    /// A transaction run as `role` for `tenant`.
    static func asTenant(_ role: String, _ tenant: String?, _ body: String) -> String {
        var text = "BEGIN;\nSET LOCAL ROLE \(quoted(role));\n"
        if let tenant { text += "SELECT set_config('app.tenant_id', \(literal(tenant)), true) \\g /dev/null\n" }
        return text + body + "\nCOMMIT;\n"
    }

    @Test("shared schema: a tenant sees and writes only its rows, also as the table owner (FORCE)")
    func sharedSchema() async throws {
        guard let port = PostgresServer.requirePort(), let plan = try TestPlans.plan(example: "saas-shared-schema.yaml") else {
            return
        }
        try await Deployment.with(plan, port: port) { deployment in
            guard let database = deployment.plan.databases.first, try await deployment.deploy(database),
                deployment.plan.tenancy != nil
            else { return }
            let app = deployment.plan.roles.application
            let psql = deployment.psql
            let db = database.name
            try await psql.check("INSERT INTO plans (plan_id, name, monthly_price) VALUES ('basic', 'Basic', 10)", database: db)
            for (tenant, project) in [(Self.tenantA, "alpha"), (Self.tenantB, "beta")] {
                try await psql.check(
                    Self.asTenant(
                        app, tenant,
                        """
                        INSERT INTO projects (tenant_id, name) VALUES (\(literal(tenant)), \(literal(project)));
                        INSERT INTO tasks (tenant_id, project_id, title) SELECT tenant_id, project_id, 'first' FROM projects;
                        INSERT INTO subscriptions (tenant_id, plan_id) VALUES (\(literal(tenant)), 'basic');
                        """), database: db)
            }
            let total = try await psql.check("SELECT count(*) FROM projects; SELECT count(*) FROM tasks", database: db)
            #expect(total.lines == ["2", "2"], "the superuser sees both tenants")
            let seenByA = try await psql.check(
                Self.asTenant(app, Self.tenantA, "SELECT name FROM projects; SELECT count(*) FROM tasks; SELECT count(*) FROM plans;"),
                database: db)
            #expect(seenByA.lines == ["alpha", "1", "1"])
            let foreign = try await psql.sql(
                Self.asTenant(app, Self.tenantA, "INSERT INTO projects (tenant_id, name) VALUES (\(literal(Self.tenantB)), 'intruder');"),
                database: db)
            #expect(foreign.status != 0 && foreign.stderr.contains("row-level security"), "\(foreign.stderr)")
            let moved = try await psql.sql(
                Self.asTenant(app, Self.tenantA, "UPDATE projects SET tenant_id = \(literal(Self.tenantB)) WHERE name = 'alpha';"),
                database: db)
            #expect(moved.status != 0 && moved.stderr.contains("row-level security"), "\(moved.stderr)")
            let untouched = try await psql.check(
                Self.asTenant(app, Self.tenantA, "UPDATE projects SET name = 'stolen' WHERE name = 'beta' RETURNING name;"), database: db)
            #expect(untouched.lines.isEmpty, "another tenant's rows cannot be updated")
            let unset = try await psql.check(Self.asTenant(app, nil, "SELECT count(*) FROM projects;"), database: db)
            #expect(unset.lines == ["0"], "no tenant set: no rows, and no error")
            let planWrite = try await psql.sql(Self.asTenant(app, Self.tenantA, "DELETE FROM plans;"), database: db)
            #expect(planWrite.status != 0 && planWrite.stderr.contains("permission denied"), "shared tables are read-only")

            let owner = "owner_\(deployment.suffix)"
            try await psql.check(
                """
                CREATE ROLE \(quoted(owner)) NOLOGIN;
                ALTER TABLE projects OWNER TO \(quoted(owner));
                GRANT SELECT ON plans TO \(quoted(owner));
                """, database: db)
            let seenByOwner = try await psql.check(Self.asTenant(owner, Self.tenantB, "SELECT name FROM projects;"), database: db)
            #expect(seenByOwner.lines == ["beta"], "FORCE ROW LEVEL SECURITY applies to the owner")
            let ownerForeign = try await psql.sql(
                Self.asTenant(owner, Self.tenantB, "INSERT INTO projects (tenant_id, name) VALUES (\(literal(Self.tenantA)), 'x');"),
                database: db)
            #expect(ownerForeign.status != 0 && ownerForeign.stderr.contains("row-level security"))
        }
    }

    @Test("schema per tenant: onboarding creates the schema and tables, idempotently, and refuses bad names")
    func schemaPerTenant() async throws {
        guard let port = PostgresServer.requirePort(), let plan = try TestPlans.plan(example: "saas-schema-per-tenant.yaml")
        else { return }
        try await Deployment.with(plan, port: port) { deployment in
            guard let database = deployment.plan.databases.first, try await deployment.deploy(database),
                let tenancy = deployment.plan.tenancy
            else { return }
            let psql = deployment.psql
            let db = database.name
            let tenantTables = deployment.plan.tables.map(\.name).filter { !tenancy.sharedTables.contains($0) }.sorted()
            func tables(in schema: String) async throws -> [String] {
                try await psql.check(
                    "SELECT tablename FROM pg_tables WHERE schemaname = \(literal(schema)) AND tablename = ANY(\(sqlTextArray(tenantTables))) ORDER BY 1",
                    database: db
                ).lines
            }
            for tenant in tenancy.tenants {
                #expect(try await tables(in: tenant.schema ?? "") == tenantTables)
            }
            // The function alone refuses a tenant whose role does not exist: onboard-tenant.sql makes it.
            let roleless = try await psql.sql("SELECT topoc_onboard_tenant('newco')", database: db)
            #expect(roleless.status != 0 && roleless.stderr.contains("does not exist"), "\(roleless.stderr)")
            let file = try deployment.scratchCopy(of: "sql/\(database.cluster)/onboard-tenant.sql")
            defer { try? FileManager.default.removeItem(at: file) }
            for _ in 1...2 {
                let script = try await psql.run(file: file, database: db, variables: ["tenant": "newco"])
                #expect(script.status == 0 && script.stderr.isEmpty, "onboard-tenant.sql, idempotently: \(script.stderr)")
            }
            #expect(try await tables(in: "\(tenancy.prefix)newco") == tenantTables)
            let owners = try await psql.check(
                "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = \(literal("\(tenancy.prefix)newco"))", database: db)
            #expect(owners.lines == [deployment.plan.roles.owner], "the tenant's objects belong to the owner role")

            for hostile in ["bad name", "x\"; DROP TABLE currencies; --", "1abc", ""] {
                let refused = try await psql.sql("SELECT topoc_onboard_tenant(\(literal(hostile)))", database: db)
                #expect(refused.status != 0 && refused.stderr.contains("invalid tenant name"), "\(hostile): \(refused.stderr)")
            }
            let shared = try await psql.check(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'currencies'", database: db)
            #expect(shared.lines == ["1"])

            // The new tenant's own role works in its schema; the application role does not reach it.
            let newco = PlanNames.tenantRole(application: deployment.plan.roles.application, tenant: "newco")
            let foreign = try await psql.sql(
                "SET ROLE \(quoted(deployment.plan.roles.application)); SELECT count(*) FROM \(quoted("\(tenancy.prefix)newco")).customers",
                database: db)
            #expect(foreign.status != 0 && foreign.stderr.contains("permission denied"), "\(foreign.stderr)")
            let write = try await psql.check(
                """
                INSERT INTO currencies (code, name) VALUES ('EUR', 'Euro');
                BEGIN;
                SET LOCAL ROLE \(quoted(newco));
                SET LOCAL search_path = \(quoted("\(tenancy.prefix)newco")), public;
                INSERT INTO customers (legal_name, billing_email) VALUES ('Newco', 'a@newco.example');
                INSERT INTO documents (doc_type, customer_id, number) SELECT 'invoice', customer_id, 'N-1' FROM customers;
                SELECT (SELECT relnamespace::regnamespace::text || '.' || relname FROM pg_class WHERE oid = d.tableoid) FROM documents d;
                COMMIT;
                """, database: db)
            #expect(write.lines == ["\(tenancy.prefix)newco.documents_invoices"])

            // Logged in as a tenant's role (the way PgBouncer serves it), unqualified names reach its
            // own schema first and the shared tables of public: the role's search_path in this
            // database, set by the database script for the listed tenants and by onboard-tenant.sql.
            for tenant in tenancy.tenants.map(\.name) + ["newco"] {
                let role = PlanNames.tenantRole(application: deployment.plan.roles.application, tenant: tenant)
                let session = try await psql.sql(
                    "SELECT current_schemas(false)::text, (SELECT count(*) FROM customers) >= 0, (SELECT count(*) FROM currencies) >= 0",
                    database: db, user: role)
                #expect(session.status == 0, "\(tenant): \(session.stderr)")
                #expect(session.lines == ["{\(tenancy.prefix)\(tenant),public}|t|t"], "\(tenant)")
            }
            let application = try await psql.sql("SHOW search_path", database: db, user: deployment.plan.roles.application)
            #expect(application.lines == ["\"$user\", public"], "the application role keeps PostgreSQL's default")
        }
    }
}

/// `ARRAY['a', 'b']::text[]`.
func sqlTextArray(_ values: [String]) -> String {
    "ARRAY[" + values.map(literal).joined(separator: ", ") + "]::text[]"
}
