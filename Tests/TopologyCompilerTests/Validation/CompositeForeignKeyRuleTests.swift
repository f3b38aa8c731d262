import Testing

@testable import TopologyCompiler

/// The PostgreSQL key rules over composite foreign keys such as the tenant-safe
/// `(tenant_id, project_id) -> (tenant_id, project_id)` that TTN609 asks for.
@Suite("composite foreign keys")
struct CompositeForeignKeyRuleTests {
    typealias F = RuleFixture

    /// `projects` (one-column key, unique `(tenant_id, project_id)`, a counter of tasks) and
    /// `tasks` (a snapshot of the project's name) joined by the foreign key `foreignKey`.
    static func board(tenant: String = "{ type: uuid, nullable: false }", foreignKey: String) -> String {
        """
        tables:
          projects:
            columns:
              project_id: bigint
              tenant_id: { type: uuid, nullable: false }
              name: text
            primary_key: project_id
            unique: [[tenant_id, project_id]]
            counters:
              task_count: { counts: tasks, via: project_id }
          tasks:
            columns:
              task_id: bigint
              tenant_id: \(tenant)
              project_id: bigint
            primary_key: task_id
            snapshots:
              project_name: { from: projects.name, via: project_id }
            foreign_keys:
              - \(foreignKey)

        """
    }

    static let tenantSafe =
        "{ columns: [tenant_id, project_id], references: { table: projects, columns: [tenant_id, project_id] } }"

    // MARK: TPG114 derived-column-without-foreign-key

    @Test func aCompositeKeyBacksCountersAndSnapshots() throws {
        try F.expectClean("TPG114", Self.board(foreignKey: Self.tenantSafe))
        try F.expectClean(
            "TPG114", Self.board(foreignKey: "{ columns: project_id, references: { table: projects } }"))
    }

    @Test func aCompositeKeyWithANullableColumnChecksNothingForNullRows() throws {
        let body = Self.board(tenant: "uuid", foreignKey: Self.tenantSafe)
        try F.expectReport(
            "TPG114", in: body, at: "project_id }", message: "counter 'task_count' follows 'tasks.project_id'")
        try F.expectReport(
            "TPG114", in: body, at: "project_id }", occurrence: 2, message: "snapshot 'project_name' follows 'project_id'")
    }

    @Test func theViaColumnMustBePairedWithThePrimaryKey() throws {
        let body = Self.board(
            foreignKey:
                "{ columns: [tenant_id, project_id], references: { table: projects, columns: [project_id, tenant_id] } }")
        #expect(try F.diagnostics("TPG114", body).count == 2)
    }

    // MARK: TPG113 fk-action-violates-not-null

    @Test func setNullOnACompositeKeyNullsTheTenantColumnToo() throws {
        let body = Self.board(
            foreignKey: Self.tenantSafe.replacingOccurrences(of: "] } }", with: "] }, on_delete: set-null }"))
        let found = try F.expectReport(
            "TPG113", in: body, at: "set-null",
            message: "ON DELETE SET NULL sets every column of the foreign key to NULL, but 'tenant_id' is NOT NULL")
        F.expectNote(found, in: body, at: "tenant_id: {", occurrence: 2)
        #expect(try F.diagnostics("TPG113", body).count == 1, "project_id is nullable")
    }

    // MARK: TPG111 key-type-mismatch

    @Test func everyPairOfACompositeKeyIsTypeChecked() throws {
        let body = Self.board(tenant: "{ type: bigint, nullable: false }", foreignKey: Self.tenantSafe)
        try F.expectReport(
            "TPG111", in: body, at: "tenant_id, project_id], references",
            message: "'tenant_id' (bigint) cannot reference 'projects.tenant_id' (uuid)")
        try F.expectClean("TPG111", Self.board(foreignKey: Self.tenantSafe))
    }
}
