import Testing

@testable import TopologyCompiler

/// TTN609 foreign-key-without-tenant, and TPG110 for the composite keys it asks for.
@Suite("tenant-safe foreign keys")
struct TenantForeignKeyRuleTests {
    typealias F = RuleFixture

    /// Shared-schema tenancy with tenant tables `projects` (keyed by a generated id, plus
    /// `parentUnique` lines) and `tasks` (with `foreignKey` and a key to the shared `plans`).
    static func board(foreignKey: String, parentUnique: String = "", projectKey: String = "project_id", suppress: String = "")
        -> String
    {
        TenancyRulesTests.sharedSchema(
            """
              projects:
                columns:
                  project_id: { type: uuid, default: gen_random_uuid() }
                  tenant_id: { type: uuid, nullable: false }
                  name: { type: text, nullable: false }
                primary_key: \(projectKey)
            \(parentUnique)
              tasks:
                columns:
                  task_id: { type: uuid, default: gen_random_uuid() }
                  tenant_id: { type: uuid, nullable: false }
                  project_id: { type: uuid, nullable: false }
                  parent_task: uuid
                  plan_id: text
                primary_key: task_id
                foreign_keys:
                  - \(foreignKey)
                  - { columns: plan_id, references: { table: plans } }

            """ + suppress)
    }

    static let tenantUnique = "    unique: [[tenant_id, project_id]]"
    static let composite =
        "{ columns: [tenant_id, project_id], references: { table: projects, columns: [tenant_id, project_id] } }"

    @Test func aForeignKeyBetweenTenantTablesWithoutTheTenantIsAnError() throws {
        let body = Self.board(foreignKey: "{ columns: project_id, references: { table: projects } }")
        let found = try F.expectReport(
            "TTN609", in: body, at: "{ columns: project_id",
            message: "the foreign key from tenant table 'tasks' to tenant table 'projects' does not pair 'tenant_id' "
                + "with 'tenant_id': foreign-key checks bypass row-level security")
        #expect(found.severity == .error)
        #expect(found.message.contains("did you mean '\(Self.composite)'?"), "\(found.message)")
        #expect(found.message.contains("'projects' then needs 'unique: [[tenant_id, project_id]]'"), "\(found.message)")
        F.expectNote(found, in: body, at: "tenant_id\n")
        F.expectNote(found, in: body, at: "projects:")
        #expect(try F.diagnostics("TTN609", body).count == 1, "the key to the shared table 'plans' is fine")
    }

    @Test func theFixNamesNoUniqueConstraintTheParentAlreadyHas() throws {
        let body = Self.board(
            foreignKey: "{ columns: project_id, references: { table: projects } }", parentUnique: Self.tenantUnique)
        let found = try F.expectReport("TTN609", in: body, at: "{ columns: project_id", message: "did you mean")
        #expect(!found.message.contains("then needs"), "\(found.message)")
    }

    @Test func theCompositeKeyWithTheTenantInTheSamePositionIsClean() throws {
        let fixed = Self.board(foreignKey: Self.composite, parentUnique: Self.tenantUnique)
        try F.expectClean("TTN609", fixed)
        try F.expectClean("TPG110", fixed)
        let byPrimaryKey = Self.board(
            foreignKey: "{ columns: [project_id, tenant_id], references: { table: projects } }",
            projectKey: "[project_id, tenant_id]")
        try F.expectClean("TTN609", byPrimaryKey)
    }

    @Test func aCompositeKeyWithoutAUniqueParentKeyIsReportedByTPG110() throws {
        let body = Self.board(foreignKey: Self.composite)
        try F.expectClean("TTN609", body)
        try F.expectReport(
            "TPG110", in: body, at: "tenant_id, project_id] } }",
            message: "(tenant_id, project_id) is not the primary key or a unique key of 'projects'")
    }

    @Test func theTenantColumnMustBePairedWithItself() throws {
        let swapped = Self.board(
            foreignKey:
                "{ columns: [tenant_id, project_id], references: { table: projects, columns: [project_id, tenant_id] } }",
            parentUnique: Self.tenantUnique)
        let found = try F.expectReport(
            "TTN609", in: swapped, at: "{ columns: [tenant_id", message: "does not pair 'tenant_id' with 'tenant_id'")
        #expect(found.message.contains("did you mean '\(Self.composite)'?"), "\(found.message)")
        let lopsided = Self.board(
            foreignKey: "{ columns: [tenant_id, project_id], references: { table: projects, columns: [project_id, name] } }"
        )
        try F.expectReport(
            "TTN609", in: lopsided, at: "{ columns: [tenant_id",
            message: "add 'tenant_id' to the referencing and the referenced columns, in the same position")
    }

    @Test func aSelfReferenceIsATenantForeignKeyToo() throws {
        let body = Self.board(
            foreignKey: "{ columns: parent_task, references: { table: tasks } }", parentUnique: Self.tenantUnique)
        try F.expectReport(
            "TTN609", in: body, at: "{ columns: parent_task",
            message: "did you mean '{ columns: [tenant_id, parent_task], references: { table: tasks, "
                + "columns: [tenant_id, task_id] } }'? 'tasks' then needs 'unique: [[tenant_id, task_id]]'")
    }

    @Test func theRuleIsSuppressedOnTheTableAndSilentInOtherModes() throws {
        let loose = "{ columns: project_id, references: { table: projects } }"
        try F.expectClean("TTN609", Self.board(foreignKey: loose, suppress: F.suppress("TTN609")))
        let perSchema = Self.board(foreignKey: loose).replacingOccurrences(
            of: "  mode: shared-schema\n  column: tenant_id\n  column_type: uuid\n", with: "  mode: schema-per-tenant\n")
        #expect(perSchema.contains("schema-per-tenant"))
        try F.expectClean("TTN609", perSchema)
    }
}
