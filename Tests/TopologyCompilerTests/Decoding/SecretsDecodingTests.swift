import Testing

@testable import TopologyCompiler

enum SecretsKeyCases {
    static let all: [GrammarKeyCase] = [
        GrammarKeyCase(.secrets, "superuser", DecodeFixture.document("secrets:\n  superuser: { env: PG_SUPER }\n")) {
            let variable = $0.topology.secrets.superuser.environmentVariable
            #expect(variable.value == "PG_SUPER")
            $0.expect(variable.location, at: "PG_SUPER")
            // The other slots keep their default variables.
            #expect($0.topology.secrets.replication.environmentVariable.value == "TOPOC_REPLICATION_PASSWORD")
        },
        GrammarKeyCase(.secrets, "replication", DecodeFixture.document("secrets:\n  replication: { env: PG_REPL }\n")) {
            #expect($0.topology.secrets.replication.environmentVariable.value == "PG_REPL")
            #expect($0.topology.secrets.superuser.environmentVariable.value == "TOPOC_SUPERUSER_PASSWORD")
        },
        GrammarKeyCase(.secrets, "app", DecodeFixture.document("secrets:\n  app: { env: _APP_PW_2 }\n")) {
            #expect($0.topology.secrets.application.environmentVariable.value == "_APP_PW_2")
        },
        GrammarKeyCase(.secrets, "rest_api", DecodeFixture.document("secrets:\n  rest_api: { env: PATRONI_API }\n")) {
            #expect($0.topology.secrets.restAPI.environmentVariable.value == "PATRONI_API")
        },
        GrammarKeyCase(.secrets, "read_only", DecodeFixture.document("secrets:\n  read_only: { env: PG_RO }\n")) {
            #expect($0.topology.secrets.readOnly.environmentVariable.value == "PG_RO")
            #expect($0.topology.secrets.changeDataCapture.environmentVariable.value == "TOPOC_CDC_PASSWORD")
        },
        GrammarKeyCase(.secrets, "cdc", DecodeFixture.document("secrets:\n  cdc: { env: PG_CDC }\n")) {
            #expect($0.topology.secrets.changeDataCapture.environmentVariable.value == "PG_CDC")
        },
        GrammarKeyCase(.secrets, "pooler_auth", DecodeFixture.document("secrets:\n  pooler_auth: { env: PGB_AUTH }\n")) {
            #expect($0.topology.secrets.poolerAuth.environmentVariable.value == "PGB_AUTH")
        },
        GrammarKeyCase(.secrets, "pooler_admin", DecodeFixture.document("secrets:\n  pooler_admin: { env: PGB_ADMIN }\n")) {
            #expect($0.topology.secrets.poolerAdmin.environmentVariable.value == "PGB_ADMIN")
            #expect($0.topology.secrets.poolerAuth.environmentVariable.value == "TOPOC_POOLER_AUTH_PASSWORD")
        },
        GrammarKeyCase(.secrets, "rewind", DecodeFixture.document("secrets:\n  rewind: { env: PG_REWIND }\n")) {
            #expect($0.topology.secrets.rewind.environmentVariable.value == "PG_REWIND")
        },
        GrammarKeyCase(.secrets, "multi_primary", DecodeFixture.document("secrets:\n  multi_primary: { env: PG_LINK }\n")) {
            #expect($0.topology.secrets.multiPrimary.environmentVariable.value == "PG_LINK")
        },
        GrammarKeyCase(.secrets, "monitor", DecodeFixture.document("secrets:\n  monitor: { env: PG_MONITOR }\n")) {
            #expect($0.topology.secrets.monitor.environmentVariable.value == "PG_MONITOR")
            #expect($0.topology.secrets.multiPrimary.environmentVariable.value == "TOPOC_MULTI_PRIMARY_PASSWORD")
        },
        GrammarKeyCase(.secret, "env", DecodeFixture.document("secrets:\n  app:\n    env: SHOP_APP_PASSWORD\n")) {
            let variable = $0.topology.secrets.application.environmentVariable
            #expect(variable.value == "SHOP_APP_PASSWORD")
            $0.expect(variable.location, at: "SHOP_APP_PASSWORD")
        },
    ]
}

@Suite("Decoding: secrets")
struct SecretsDecodingTests {
    @Test(arguments: SecretsKeyCases.all)
    func key(_ keyCase: GrammarKeyCase) throws {
        try keyCase.run()
    }

    @Test func defaultVariablesWhenThereIsNoSection() throws {
        let text = DecodeFixture.document()
        let secrets = try DecodeFixture.decode(text).secrets
        #expect(secrets.superuser.environmentVariable.value == "TOPOC_SUPERUSER_PASSWORD")
        #expect(secrets.replication.environmentVariable.value == "TOPOC_REPLICATION_PASSWORD")
        #expect(secrets.application.environmentVariable.value == "TOPOC_APP_PASSWORD")
        #expect(secrets.restAPI.environmentVariable.value == "TOPOC_REST_API_PASSWORD")
        #expect(secrets.superuser.environmentVariable.location == SourceLocation(file: DecodeFixture.file, line: 1, column: 1))
        #expect(Secrets.slots.map(\.key) == GrammarSection.secrets.keys)
    }

    @Test func defaultsOfUnwrittenSlotsAreLocatedAtTheSection() throws {
        let text = DecodeFixture.document("secrets:\n  app: { env: A }\n")
        let secrets = try DecodeFixture.decode(text).secrets
        DecodeFixture.expect(secrets.restAPI.environmentVariable.location, at: "app:", in: text)
    }

    @Test func environmentVariableNamesAreNotLimitedTo63Bytes() throws {
        let name = String(repeating: "V", count: 100)
        let secrets = try DecodeFixture.decode(extra: "secrets: { app: { env: \(name) } }\n").secrets
        #expect(secrets.application.environmentVariable.value == name)
    }

    @Test(arguments: ["hunter2", "\"hunter2\"", "''", "12345"])
    func aLiteralValueIsALiteralSecret(_ value: String) throws {
        let text = DecodeFixture.document("secrets:\n  app: \(value)\n")
        try DecodeFixture.expectError(
            text, .literalSecret, at: value,
            message: "'app' takes { env: VARIABLE }: secrets are referenced by environment variable, never written here")
    }

    @Test func aPasswordKeyAnywhereIsALiteralSecret() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("secrets:\n  app: { env: APP, password: hunter2 }\n"), .literalSecret, at: "password",
            message: "'password': passwords are never written in a topology; declare the secret under `secrets:` as { env: VARIABLE }")
        try DecodeFixture.expectError(
            DecodeFixture.document("Password: hunter2\n"), .literalSecret, at: "Password",
            message: "'Password': passwords are never written")
        try DecodeFixture.expectError(
            DecodeFixture.document("pooling: { secret: s3cr3t }\n"), .literalSecret, at: "secret",
            message: "'secret': passwords are never written")
    }

    @Test(arguments: [
        ("shop_password", "must start with an uppercase letter or an underscore"),
        ("1PASSWORD", "must start with an uppercase letter or an underscore"),
        ("SHOP-PASSWORD", "may contain only uppercase letters, digits and underscores"),
        ("SHOP PASSWORD", "may contain only uppercase letters, digits and underscores"),
    ])
    func invalidEnvironmentVariableNames(_ name: String, _ problem: String) throws {
        let text = DecodeFixture.document("secrets:\n  app: { env: \"\(name)\" }\n")
        try DecodeFixture.expectError(
            text, .invalidEnvironmentName, at: "\"\(name)\"", message: "environment variable \"\(name)\" \(problem)")
    }

    @Test func envIsRequiredAndSlotsAreKnown() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("secrets:\n  app: {}\n"), .missingKey, at: "{}", message: "`secret` needs 'env'")
        try DecodeFixture.expectError(
            DecodeFixture.document("secrets:\n  ap: { env: APP }\n"), .unknownKey, at: "ap:",
            message: "unknown key 'ap' in `secrets`; did you mean 'app'?")
        try DecodeFixture.expectError(
            DecodeFixture.document("secrets:\n  app: [APP]\n"), .wrongType, at: "[APP]",
            message: "'app' expects a mapping (`secret`), found a list")
    }
}
