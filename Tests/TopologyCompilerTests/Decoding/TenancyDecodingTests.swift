import Testing

@testable import TopologyCompiler

enum TenancyKeyCases {
    static let all: [GrammarKeyCase] = [
        GrammarKeyCase(
            .tenancy, "suppress",
            DecodeFixture.document("tenancy:\n  mode: schema-per-tenant\n  suppress: [{ rule: TTN605, reason: short names only }]\n")
        ) {
            let suppressions = try #require($0.topology.tenancy).suppressions
            #expect(suppressions.map(\.code.value) == ["TTN605"])
            $0.expect(suppressions[0].code.location, at: "TTN605")
        },
        GrammarKeyCase(.tenancy, "mode", DecodeFixture.document("tenancy:\n  mode: schema-per-tenant\n")) {
            let tenancy = try #require($0.topology.tenancy)
            #expect(tenancy.mode.value == .schemaPerTenant)
            #expect(tenancy.column == nil)
            #expect(tenancy.columnType == nil)
            $0.expect(tenancy.mode.location, at: "schema-per-tenant")
            $0.expect(tenancy.location, at: "mode:")
        },
        GrammarKeyCase(.tenancy, "column", DecodeFixture.document("tenancy:\n  mode: shared-schema\n  column: org_id\n")) {
            let tenancy = try #require($0.topology.tenancy)
            #expect(tenancy.column?.value == "org_id")
            // Without 'column_type', the tenant column is text, located at the column.
            #expect(tenancy.columnType?.value == ColumnType(base: "text"))
            $0.expect(tenancy.column?.location, at: "org_id")
            $0.expect(tenancy.columnType?.location, at: "org_id")
        },
        GrammarKeyCase(
            .tenancy, "column_type", DecodeFixture.document("tenancy:\n  mode: shared-schema\n  column: org_id\n  column_type: uuid\n")
        ) {
            let type = try #require($0.topology.tenancy?.columnType)
            #expect(type.value == ColumnType(base: "uuid"))
            $0.expect(type.location, at: "uuid")
        },
        GrammarKeyCase(.tenancy, "app_role", DecodeFixture.document("tenancy:\n  mode: database-per-tenant\n  app_role: web_app\n")) {
            let role = try #require($0.topology.tenancy).applicationRole
            #expect(role.value == "web_app")
            $0.expect(role.location, at: "web_app")
        },
        GrammarKeyCase(.tenancy, "tenants", DecodeFixture.document("tenancy:\n  mode: schema-per-tenant\n  tenants: [acme, globex]\n")) {
            let tenants = try #require($0.topology.tenancy).tenants
            #expect(tenants.map(\.value) == ["acme", "globex"])
            $0.expect(tenants[1].location, at: "globex")
        },
        GrammarKeyCase(.tenancy, "prefix", DecodeFixture.document("tenancy:\n  mode: schema-per-tenant\n  prefix: org_\n")) {
            let prefix = try #require($0.topology.tenancy).namePrefix
            #expect(prefix.value == "org_")
            $0.expect(prefix.location, at: "org_")
        },
        GrammarKeyCase(
            .tenancy, "shared_tables",
            DecodeFixture.document(
                "tenancy:\n  mode: shared-schema\n  column: tenant_id\n  shared_tables: [plans]\ntables:\n  plans: { columns: { id: bigint } }\n"
            )
        ) {
            let shared = try #require($0.topology.tenancy).sharedTables
            #expect(shared.map(\.value) == ["plans"])
            $0.expect(shared[0].location, at: "plans]")
        },
    ]
}

@Suite("Decoding: tenancy")
struct TenancyDecodingTests {
    @Test(arguments: TenancyKeyCases.all)
    func key(_ keyCase: GrammarKeyCase) throws {
        try keyCase.run()
    }

    @Test func defaultsOfRoleAndPrefixAreLocatedAtTheSection() throws {
        let text = DecodeFixture.document("tenancy: { mode: database-per-tenant }\n")
        let tenancy = try #require(try DecodeFixture.decode(text).tenancy)
        #expect(tenancy.applicationRole.value == "app")
        #expect(tenancy.namePrefix.value == "tenant_")
        #expect(tenancy.tenants.isEmpty)
        #expect(tenancy.sharedTables.isEmpty)
        DecodeFixture.expect(tenancy.applicationRole.location, at: "{ mode", in: text)
        DecodeFixture.expect(tenancy.namePrefix.location, at: "{ mode", in: text)
    }

    @Test func anEmptyPrefixIsAllowed() throws {
        let tenancy = try #require(try DecodeFixture.decode(extra: "tenancy: { mode: schema-per-tenant, prefix: \"\" }\n").tenancy)
        #expect(tenancy.namePrefix.value == "")
    }

    @Test func sharedSchemaNeedsATenantColumn() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("tenancy:\n  mode: shared-schema\n"), .missingKey, at: "shared-schema",
            message: "shared-schema tenancy needs 'column', the tenant column")
    }

    @Test func columnKeysApplyOnlyToSharedSchema() throws {
        let text = DecodeFixture.document("tenancy:\n  mode: schema-per-tenant\n  column: tenant_id\n")
        let diagnostic = try DecodeFixture.expectError(
            text, .inapplicableKey, at: "column", message: "'column' applies only to shared-schema tenancy")
        #expect(diagnostic.notes.map(\.message) == ["mode chosen here"])
        DecodeFixture.expect(diagnostic.notes.first?.location, at: "schema-per-tenant", in: text)
        try DecodeFixture.expectError(
            DecodeFixture.document("tenancy:\n  mode: database-per-tenant\n  column_type: uuid\n"), .inapplicableKey,
            at: "column_type", message: "'column_type' applies only to shared-schema tenancy")
    }

    @Test func modeIsRequiredAndAChoice() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("tenancy:\n  tenants: [a]\n"), .missingKey, at: "tenants", message: "`tenancy` needs 'mode'")
        try DecodeFixture.expectError(
            DecodeFixture.document("tenancy:\n  mode: schema-per-tennant\n"), .invalidValue, at: "schema-per-tennant",
            message: "did you mean 'schema-per-tenant'?")
    }

    @Test func namesAreChecked() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("tenancy:\n  mode: schema-per-tenant\n  prefix: 9x_\n"), .invalidIdentifier, at: "9x_",
            message: "prefix \"9x_\" must start with a letter or an underscore")
        try DecodeFixture.expectError(
            DecodeFixture.document("tenancy:\n  mode: schema-per-tenant\n  tenants: [acme, acme-corp]\n"), .invalidIdentifier,
            at: "acme-corp", message: "tenant \"acme-corp\" may contain only letters, digits and underscores")
        try DecodeFixture.expectError(
            DecodeFixture.document("tenancy:\n  mode: schema-per-tenant\n  tenants: [acme, acme]\n"), .duplicateName,
            at: "acme]", message: "tenant 'acme' is listed twice")
        try DecodeFixture.expectError(
            DecodeFixture.document("tenancy:\n  mode: database-per-tenant\n  app_role: \"app; DROP ROLE x\"\n"), .invalidIdentifier,
            at: "\"app;", message: "role \"app; DROP ROLE x\" may contain only letters, digits and underscores")
    }

    @Test func tenantColumnTypeMustBeKnown() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("tenancy:\n  mode: shared-schema\n  column: t\n  column_type: uuuid\n"), .unknownColumnType,
            at: "uuuid", message: "unknown column type 'uuuid'; did you mean 'uuid'?")
    }

    @Test func sharedTablesMustBeDeclared() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document(
                "tenancy:\n  mode: shared-schema\n  column: t\n  shared_tables: [plan]\ntables:\n  plans: { columns: { id: bigint } }\n"),
            .unknownReference, at: "plan]", message: "unknown table 'plan'; did you mean 'plans'?")
    }
}
