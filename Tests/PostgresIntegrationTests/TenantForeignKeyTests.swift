import Foundation
import Testing
import TopologyCompiler

/// Foreign keys between shared-schema tenant tables on a real server (TTN609): foreign-key
/// checks bypass row-level security, so only a key that pairs the tenant columns keeps one
/// tenant from referencing, and probing for, another tenant's rows.
///
/// The tests rely on the foreign-key behaviour only: they connect as the superuser, switch to
/// the plan's application role, and create and grant that role themselves if the DDL does not.
@Suite("tenant-safe foreign keys on PostgreSQL", .enabled(if: PostgresServer.shouldRun, PostgresServer.skipReason))
struct TenantForeignKeyTests {
    static let tenantA = TenancyTests.tenantA
    static let tenantB = TenancyTests.tenantB
    /// A project id that no tenant has.
    static let unknownProject = "00000000-0000-0000-0000-0000000000ff"

    /// SQL that makes sure `role` exists and may read and insert into `tables`.
    static func grants(_ role: String, on tables: [String]) -> String {
        """
        DO $$ BEGIN
            IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = \(literal(role))) THEN
                EXECUTE format('CREATE ROLE %I NOLOGIN', \(literal(role)));
            END IF;
        END $$;
        GRANT USAGE ON SCHEMA public TO \(quoted(role));
        GRANT SELECT, INSERT ON \(tables.map(quoted).joined(separator: ", ")) TO \(quoted(role));
        """
    }

    /// As tenant B, inserts a task into `project` (an id literal); returns psql's output.
    static func insertTask(_ app: String, project: String, psql: PSQL, database: String) async throws -> PSQLOutput {
        try await psql.sql(
            TenancyTests.asTenant(
                app, tenantB,
                "INSERT INTO tasks (tenant_id, project_id, title) VALUES (\(literal(tenantB)), \(literal(project)), 'probe');"),
            database: database)
    }

    /// psql's error text without the scratch file's name and with the project id replaced.
    static func message(_ stderr: String, id: String) -> String {
        stderr.replacingOccurrences(of: #"psql:[^\n]*?:[0-9]+: "#, with: "", options: .regularExpression)
            .replacingOccurrences(of: id, with: "ID")
    }

    @Test("saas-shared-schema: tenant B cannot point a task at tenant A's project, nor tell it from a missing one")
    func crossTenantReferenceFails() async throws {
        guard let port = PostgresServer.requirePort(), let plan = try TestPlans.plan(example: "saas-shared-schema.yaml") else {
            return
        }
        let key = plan.tables.first { $0.name == "tasks" }?.schema.foreignKeys.first { $0.referencedTable == "projects" }
        #expect(key?.columns == ["tenant_id", "project_id"] && key?.referencedColumns == ["tenant_id", "project_id"])
        try await Deployment.with(plan, port: port) { deployment in
            guard let database = deployment.plan.databases.first, try await deployment.deploy(database),
                deployment.plan.tenancy != nil
            else { return }
            let app = deployment.plan.roles.application
            let psql = deployment.psql
            let db = database.name
            try await psql.check(Self.grants(app, on: ["projects", "tasks"]), database: db)
            try await psql.check(
                "INSERT INTO projects (tenant_id, name) VALUES (\(literal(Self.tenantA)), 'alpha'), (\(literal(Self.tenantB)), 'beta')",
                database: db)
            let ids = try await psql.check("SELECT project_id FROM projects ORDER BY name", database: db).lines
            guard ids.count == 2 else {
                Issue.record("expected two projects, got \(ids)")
                return
            }
            let (alpha, beta) = (ids[0], ids[1])

            let foreign = try await Self.insertTask(app, project: alpha, psql: psql, database: db)
            #expect(foreign.status != 0 && foreign.stderr.contains("violates foreign key constraint"), "\(foreign.stderr)")
            let unknown = try await Self.insertTask(app, project: Self.unknownProject, psql: psql, database: db)
            #expect(unknown.status != 0)
            #expect(
                Self.message(foreign.stderr, id: alpha) == Self.message(unknown.stderr, id: Self.unknownProject),
                "another tenant's id fails exactly like an unknown one: \(foreign.stderr) / \(unknown.stderr)")

            let own = try await Self.insertTask(app, project: beta, psql: psql, database: db)
            #expect(own.status == 0, "\(own.stderr)")
            let tasks = try await psql.check("SELECT tenant_id || ' ' || project_id FROM tasks", database: db)
            #expect(tasks.lines == ["\(Self.tenantB) \(beta)"], "only B's task in B's project exists")
        }
    }

    /// A shared-schema topology whose `tasks` reference `projects` by `foreignKey`.
    static func board(foreignKey: String, suppress: String) -> String {
        TestTopologies.base(name: "board") + """
            tenancy:
              mode: shared-schema
              column: tenant_id
              column_type: uuid
              app_role: board_app
              tenants: [acme, globex]
            tables:
              projects:
                columns:
                  project_id: { type: uuid, default: gen_random_uuid() }
                  tenant_id: { type: uuid, nullable: false }
                primary_key: project_id
                unique: [[tenant_id, project_id]]
              tasks:
                columns:
                  task_id: { type: uuid, default: gen_random_uuid() }
                  tenant_id: { type: uuid, nullable: false }
                  project_id: { type: uuid, nullable: false }
                  title: text
                primary_key: task_id
                foreign_keys:
                  - \(foreignKey)
            \(suppress)
            """
    }

    @Test("what TTN609 prevents: a key on the id alone accepts a reference to another tenant's row")
    func singleColumnKeyCrossesTenants() async throws {
        let loose = Self.board(
            foreignKey: "{ columns: project_id, references: { table: projects } }",
            suppress: "    suppress: [{ rule: TTN609, reason: the hazard this test shows }]")
        let safe = Self.board(
            foreignKey:
                "{ columns: [tenant_id, project_id], references: { table: projects, columns: [tenant_id, project_id] } }",
            suppress: "")
        guard let port = PostgresServer.requirePort(), let loosePlan = TestPlans.plan(yaml: loose, file: "loose.yaml"),
            let safePlan = TestPlans.plan(yaml: safe, file: "safe.yaml")
        else { return }
        for (plan, crosses) in [(loosePlan, true), (safePlan, false)] {
            try await Deployment.with(plan, port: port) { deployment in
                guard let database = deployment.plan.databases.first, try await deployment.deploy(database),
                    deployment.plan.tenancy != nil
                else { return }
                let app = deployment.plan.roles.application
                let psql = deployment.psql
                try await psql.check(Self.grants(app, on: ["projects", "tasks"]), database: database.name)
                let alpha = try await psql.check(
                    "INSERT INTO projects (tenant_id) VALUES (\(literal(Self.tenantA))) RETURNING project_id", database: database.name
                ).lines.first
                let insert = try await Self.insertTask(app, project: alpha ?? "", psql: psql, database: database.name)
                #expect((insert.status == 0) == crosses, "crosses tenants: \(crosses); \(insert.stderr)")
            }
        }
    }
}
