import Testing

@testable import TopologyCompiler

enum RolesKeyCases {
    /// One case per role kind: the name given replaces that kind's default only.
    static let all: [GrammarKeyCase] = RoleKind.allCases.map { kind in
        GrammarKeyCase(.roles, kind.key, DecodeFixture.document("roles:\n  \(kind.key): named_\(kind.key)\n")) {
            let name = $0.topology.roles.names[kind]
            #expect(name?.value == "named_\(kind.key)")
            $0.expect(name?.location, at: "named_\(kind.key)")
            #expect($0.topology.roles.names.count == 1, "the other kinds keep their defaults")
        }
    }
}

@Suite("Decoding: roles")
struct RolesDecodingTests {
    @Test(arguments: RolesKeyCases.all)
    func key(_ keyCase: GrammarKeyCase) throws {
        try keyCase.run()
    }

    @Test func defaultsFollowTheApplicationRole() throws {
        let text = DecodeFixture.document("roles: { app: shop }\n")
        let plan = try #require(CompilerDriver.compile(bytes: Array(text.utf8), file: "t.yaml", target: .local).plan)
        #expect(plan.roles.application == "shop")
        #expect(plan.roles.owner == "shop_owner")
        #expect(plan.roles.readOnly == "shop_readonly")
        #expect(plan.roles.clients == "shop_clients")
        #expect(plan.roles.poolerAuth == "shop_pgbouncer_auth")
        #expect(plan.roles.superuser == "postgres")
    }

    /// The diagnostics of compiling `text` for the local target.
    private func diagnostics(_ text: String) -> [Diagnostic] {
        CompilerDriver.compile(bytes: Array(text.utf8), file: DecodeFixture.file, target: .local).diagnostics
    }

    @Test func aDefaultNameTooLongIsALocatedError() throws {
        let application = String(repeating: "a", count: 50)
        let text = DecodeFixture.document("roles: { app: \(application) }\n")
        let found = try #require(diagnostics(text).first { $0.code == .identifierTooLong })
        #expect(
            found.message.contains("the default pooler_auth role '\(application)_pgbouncer_auth' is longer than 63 bytes"),
            "\(found.message)")
        DecodeFixture.expect(found.location, at: "{ app:", in: text)
        #expect(CompilerDriver.compile(bytes: Array(text.utf8), file: DecodeFixture.file, target: .local).plan == nil)
    }

    @Test func theApplicationRoleNamedTwiceIsRefused() throws {
        let text = DecodeFixture.document(
            "roles: { app: shopkeeper }\ntenancy:\n  mode: shared-schema\n  column: tenant_id\n  app_role: store\n  tenants: [acme]\n")
        let found = try #require(diagnostics(text).first { $0.message.contains("named twice") })
        #expect(found.severity == .error)
        DecodeFixture.expect(found.location, at: "shopkeeper", in: text)
    }

    @Test func aRoleNameIsASQLName() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("roles:\n  owner: \"bad;name\"\n"), .invalidIdentifier, at: "\"bad;name\"", message: "role")
    }

    @Test func anUnknownRoleKindIsRefused() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("roles:\n  ownr: x\n"), .unknownKey, at: "ownr", message: "did you mean 'owner'?")
    }
}
