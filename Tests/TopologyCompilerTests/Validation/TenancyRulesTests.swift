import Testing

@testable import TopologyCompiler

@Suite("tenancy rules")
struct TenancyRulesTests {
    typealias F = RuleFixture

    /// Shared-schema tenancy on `tenant_id`, a shared table `plans` (its body replaceable) and `tables`.
    static func sharedSchema(
        _ tables: String, columnType: String? = "uuid",
        plans: String = "  plans:\n    columns:\n      plan_id: text\n    primary_key: plan_id\n"
    ) -> String {
        "tenancy:\n  mode: shared-schema\n  column: tenant_id\n"
            + (columnType.map { "  column_type: \($0)\n" } ?? "")
            + "  app_role: shop_app\n  tenants: [acme, globex]\n  shared_tables: [plans]\n"
            + "tables:\n" + plans + tables
    }

    static let tenantColumn = "      tenant_id: { type: uuid, nullable: false }\n"

    // MARK: TTN601 tenant-column-missing

    static func projects(withTenant: Bool, suppress: String = "") -> String {
        "  projects:\n    columns:\n      project_id: uuid\n" + (withTenant ? tenantColumn : "")
            + "      name: text\n    primary_key: project_id\n" + suppress
    }

    @Test func tenantTablesCarryTheTenantColumn() throws {
        let body = Self.sharedSchema(Self.projects(withTenant: false))
        let found = try F.expectReport(
            "TTN601", in: body, at: "projects:", message: "tenant table 'projects' has no tenant column 'tenant_id'")
        F.expectNote(found, in: body, at: "tenant_id")
        #expect(try F.diagnostics("TTN601", body).count == 1, "the shared table 'plans' needs no tenant column")
        try F.expectClean("TTN601", Self.sharedSchema(Self.projects(withTenant: true)))
        try F.expectClean("TTN601", Self.sharedSchema(Self.projects(withTenant: false, suppress: F.suppress("TTN601"))))
    }

    @Test func otherModesHaveNoTenantColumn() throws {
        let body =
            "tenancy:\n  mode: schema-per-tenant\n  tenants: [acme]\ntables:\n" + Self.projects(withTenant: false)
        try F.expectClean("TTN601", body)
    }

    // MARK: TTN602 unique-key-without-tenant

    static func keyed(primaryKey: String, unique: String, index: String, suppress: String = "") -> String {
        sharedSchema(
            "  projects:\n    columns:\n      project_id: uuid\n" + tenantColumn
                + "      code: text\n      name: text\n    primary_key: \(primaryKey)\n    unique: \(unique)\n"
                + "    indexes:\n      - { columns: \(index), unique: true }\n" + suppress)
    }

    @Test func uniqueKeysOfTenantTablesIncludeTheTenant() throws {
        let body = Self.keyed(primaryKey: "[code]", unique: "[[name]]", index: "[name, code]")
        let found = try F.expectReport(
            "TTN602", in: body, at: "[code]",
            message: "the primary key of tenant table 'projects' does not include 'tenant_id'")
        F.expectNote(found, in: body, at: "tenant_id")
        try F.expectReport(
            "TTN602", in: body, at: "[name]]", message: "the unique constraint of tenant table 'projects'")
        try F.expectReport("TTN602", in: body, at: "true }", message: "the unique index of tenant table 'projects'")
        try F.expectClean(
            "TTN602",
            Self.keyed(primaryKey: "[tenant_id, code]", unique: "[[tenant_id, name]]", index: "[tenant_id, code]"))
        try F.expectClean(
            "TTN602",
            Self.keyed(primaryKey: "[code]", unique: "[[name]]", index: "[name]", suppress: F.suppress("TTN602")))
    }

    @Test func generatedPrimaryKeysAreExempt() throws {
        try F.expectClean(
            "TTN602", Self.keyed(primaryKey: "project_id", unique: "[[tenant_id, name]]", index: "[tenant_id]"))
        let serial = Self.sharedSchema(
            "  tasks:\n    columns:\n      task_id: bigserial\n" + Self.tenantColumn + "    primary_key: task_id\n")
        try F.expectClean("TTN602", serial)
    }

    // MARK: TTN603 tenant-column-type, TTN604 tenant-column-nullable

    static func typed(_ column: String, columnType: String? = "uuid", suppress: String = "") -> String {
        sharedSchema(
            "  projects:\n    columns:\n      project_id: bigint\n      tenant_id: \(column)\n"
                + "    primary_key: project_id\n"
                + suppress, columnType: columnType)
    }

    @Test func theTenantColumnHasTheTenancyType() throws {
        let body = Self.typed("{ type: text, nullable: false }")
        let found = try F.expectReport(
            "TTN603", in: body, at: "text, nullable",
            message: "tenant column 'tenant_id' of 'projects' is text, but the tenancy's column type is uuid")
        F.expectNote(found, in: body, at: "uuid")
        let defaulted = Self.typed("{ type: uuid, nullable: false }", columnType: nil)
        try F.expectReport("TTN603", in: defaulted, at: "uuid, nullable", message: "set 'column_type: uuid'")
        try F.expectClean("TTN603", Self.typed("{ type: uuid, nullable: false }"))
        try F.expectClean("TTN603", Self.typed("{ type: text, nullable: false }", suppress: F.suppress("TTN603")))
    }

    @Test func theTenantColumnIsNotNull() throws {
        let body = Self.typed("uuid")
        let found = try F.expectReport("TTN604", in: body, at: "tenant_id: uuid", message: "allows NULL")
        #expect(found.severity == .warning)
        try F.expectClean("TTN604", Self.typed("{ type: uuid, nullable: false }"))
        try F.expectClean("TTN604", Self.typed("uuid", suppress: F.suppress("TTN604")))
    }

    // MARK: TTN610 materialized-view-under-shared-schema

    static func stats(materialized: Bool, suppress: String = "") -> String {
        "views:\n  plan_stats:\n    materialized: \(materialized)\n    query: SELECT plan_id FROM plans\n" + suppress
    }

    @Test func sharedSchemaTenancyRefusesMaterializedViews() throws {
        let body = Self.sharedSchema(Self.projects(withTenant: true)) + Self.stats(materialized: true)
        let found = try F.expectReport(
            "TTN610", in: body, at: "true\n    query",
            message: "materialized view 'plan_stats' cannot be read by any tenant: row-level security does not filter")
        F.expectNote(found, in: body, at: "shared-schema")
        try F.expectClean("TTN610", Self.sharedSchema(Self.projects(withTenant: true)) + Self.stats(materialized: false))
        try F.expectClean(
            "TTN610",
            Self.sharedSchema(Self.projects(withTenant: true))
                + Self.stats(materialized: true, suppress: F.suppress("TTN610")))
        // Schema and database per tenant: each tenant's materialized view reads only that tenant's tables.
        try F.expectClean(
            "TTN610",
            Self.perTenant("schema-per-tenant", prefix: "t_", tenants: "[acme]") + "tables:\n"
                + Self.projects(withTenant: false) + Self.stats(materialized: true))
    }

    // MARK: TTN605 tenant-name-too-long, TTN606 tenant-name-collision

    static func perTenant(_ mode: String, prefix: String, tenants: String) -> String {
        "tenancy:\n  mode: \(mode)\n  prefix: \"\(prefix)\"\n  app_role: shop_app\n  tenants: \(tenants)\n"
    }

    @Test func tenantSchemaNamesFitIn63Bytes() throws {
        let prefix = "tenant_schema_for_the_customer_named_"
        let tenant = "a_customer_with_a_really_long_name_x"
        let body = Self.perTenant("schema-per-tenant", prefix: prefix, tenants: "[acme, \(tenant)]")
        let found = try F.expectReport(
            "TTN605", in: body, at: tenant, message: "gets the schema name '\(prefix)\(tenant)', 73 bytes")
        F.expectNote(found, in: body, at: "\"\(prefix)\"")
        let database = Self.perTenant("database-per-tenant", prefix: prefix, tenants: "[\(tenant)]")
        try F.expectReport("TTN605", in: database, at: tenant, message: "gets the database name")
        try F.expectClean("TTN605", Self.perTenant("schema-per-tenant", prefix: "t_", tenants: "[acme, \(tenant)]"))
    }

    @Test func tenantSchemaNamesAreUniqueAndNotReserved() throws {
        let body = Self.perTenant("schema-per-tenant", prefix: "", tenants: "[acme, ACME, public, pg_x]")
        let twice = try F.expectReport("TTN606", in: body, at: "ACME", message: "which tenant 'acme' has too")
        F.expectNote(twice, in: body, at: "acme")
        try F.expectReport("TTN606", in: body, at: "public", message: "'public' holds the shared tables")
        try F.expectReport("TTN606", in: body, at: "pg_x", message: "starting with 'pg_' are reserved")
        try F.expectClean("TTN606", Self.perTenant("schema-per-tenant", prefix: "t_", tenants: "[acme, public, pg_x]"))
    }

    @Test func tenantNameRulesAreSilencedForTheProject() throws {
        let body =
            Self.perTenant("schema-per-tenant", prefix: "", tenants: "[acme, ACME]") + "rules:\n  TTN606: off\n"
        #expect(try F.diagnostics("TTN606", body).count == 1)
        #expect(try F.projectDiagnostics("TTN606", body).isEmpty)
    }

    @Test func tenantDatabaseNamesAvoidTheMainAndSystemDatabases() throws {
        let body = Self.perTenant("database-per-tenant", prefix: "", tenants: "[shop, postgres, north]")
        let main = try F.expectReport(
            "TTN606", in: body, at: "shop,", message: "which the topology already uses for another database")
        F.expectNote(main, in: body, at: "shop")
        try F.expectReport("TTN606", in: body, at: "postgres", message: "already has a database 'postgres'")
        #expect(try F.diagnostics("TTN606", body).count == 2)
        try F.expectClean(
            "TTN606", Self.perTenant("database-per-tenant", prefix: "shop_", tenants: "[shop, postgres, north]"))
    }

    // MARK: TTN607 shared-table-depends-on-tenant-table

    static func sharedReferencing(suppress: String = "") -> String {
        sharedSchema(
            Self.projects(withTenant: true),
            plans: "  plans:\n    columns:\n      plan_id: text\n      pilot: uuid\n    primary_key: plan_id\n"
                + "    foreign_keys:\n      - { columns: pilot, references: { table: projects } }\n" + suppress)
    }

    @Test func sharedTablesDoNotReferenceTenantTables() throws {
        let body = Self.sharedReferencing()
        let found = try F.expectReport(
            "TTN607", in: body, at: "projects }",
            message: "a foreign key of shared table 'plans' depends on tenant table 'projects'")
        F.expectNote(found, in: body, at: "projects:")
        let tenantToShared = Self.sharedSchema(
            "  projects:\n    columns:\n      project_id: uuid\n" + Self.tenantColumn + "      plan_id: text\n"
                + "    primary_key: project_id\n    foreign_keys:\n"
                + "      - { columns: plan_id, references: { table: plans } }\n"
        )
        try F.expectClean("TTN607", tenantToShared)
        try F.expectClean("TTN607", Self.sharedReferencing(suppress: F.suppress("TTN607")))
    }

    // MARK: TTN608 cross-database-reference

    static func clinics(mode: String, suppress: String = "") -> String {
        """
        tenancy:
          mode: \(mode)
          app_role: clinic_app
          tenants: [north]
          shared_tables: [codes]
        tables:
          codes:
            columns:
              code: text
            primary_key: code
          visits:
            columns:
              visit_id: bigint
              code: text
            primary_key: visit_id
            foreign_keys:
              - { columns: code, references: { table: codes } }

        """ + suppress
    }

    @Test func tenantDatabasesCannotReferenceTheMainDatabase() throws {
        let body = Self.clinics(mode: "database-per-tenant")
        let found = try F.expectReport(
            "TTN608", in: body, at: "codes }",
            message: "a foreign key of tenant table 'visits' depends on shared table 'codes'")
        F.expectNote(found, in: body, at: "codes]")
        try F.expectClean("TTN608", Self.clinics(mode: "schema-per-tenant"))
        try F.expectClean("TTN608", Self.clinics(mode: "database-per-tenant", suppress: F.suppress("TTN608")))
    }

    // MARK: Catalog

    @Test func everyRuleIsInTheCatalogWithARealSource() {
        let codes = RuleCatalog.tenancyRules.map(\.code)
        #expect(codes.map(\.code) == (601...610).map { "TTN\($0)" })
        for code in codes {
            #expect(RuleCatalog.rule(code.code)?.code == code)
            #expect(code.source?.hasPrefix("https://www.postgresql.org/docs/15/") == true, "\(code.code)")
        }
    }
}
