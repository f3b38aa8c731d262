import Testing

@testable import TopologyCompiler

enum PoolingKeyCases {
    static let all: [GrammarKeyCase] = [
        GrammarKeyCase(.pooling, "mode", DecodeFixture.document("pooling:\n  mode: statement\n")) {
            let pooling = $0.topology.pooling
            #expect(pooling.mode.value == .statement)
            $0.expect(pooling.mode.location, at: "statement")
            $0.expect(pooling.location, at: "mode:")
        },
        GrammarKeyCase(
            .pooling, "suppress", DecodeFixture.document("pooling:\n  suppress: [{ rule: TPB505, reason: reads go to the leader }]\n")
        ) {
            let suppressions = $0.topology.pooling.suppressions
            #expect(suppressions.map(\.code.value) == ["TPB505"])
            $0.expect(suppressions[0].code.location, at: "TPB505")
        },
        GrammarKeyCase(.pooling, "max_client_conn", DecodeFixture.document("pooling:\n  max_client_conn: 5000\n")) {
            let max = $0.topology.pooling.maxClientConnections
            #expect(max.value == 5000)
            $0.expect(max.location, at: "5000")
        },
        GrammarKeyCase(.pooling, "read_write", DecodeFixture.document("pooling:\n  read_write: { pool_size: 40, reserve: 10 }\n")) {
            let pool = $0.topology.pooling.readWrite
            #expect(pool.size.value == 40)
            #expect(pool.reserve.value == 10)
            #expect($0.topology.pooling.readOnly == nil)
        },
        GrammarKeyCase(.pooling, "read_only", DecodeFixture.document("pooling:\n  read_only: { pool_size: 30 }\n")) {
            let pool = try #require($0.topology.pooling.readOnly)
            #expect(pool.size.value == 30)
            #expect($0.topology.pooling.readWrite.size.value == 15)
        },
        GrammarKeyCase(
            .pooling, "session_features",
            DecodeFixture.document("pooling:\n  mode: session\n  session_features: [listen-notify, advisory-locks, temporary-tables]\n")
        ) {
            let features = $0.topology.pooling.sessionFeatures
            #expect(features.map(\.value) == [.listenNotify, .advisoryLocks, .temporaryTables])
            $0.expect(features[1].location, at: "advisory-locks")
        },
        GrammarKeyCase(.pooling, "pgbouncer_version", DecodeFixture.document("pooling:\n  pgbouncer_version: 1.21\n")) {
            let version = try #require($0.topology.pooling.declaredVersion)
            #expect(version.value == PgBouncerVersion(1, 21))
            #expect($0.topology.pooling.version >= .preparedStatementTracking)
            $0.expect(version.location, at: "1.21")
        },
        GrammarKeyCase(.pool, "pool_size", DecodeFixture.document("pooling:\n  read_write:\n    pool_size: 25\n")) {
            let pool = $0.topology.pooling.readWrite
            #expect(pool.size.value == 25)
            $0.expect(pool.size.location, at: "25")
            // Without 'reserve', the reserve is 0, located at the pool size.
            #expect(pool.reserve.value == 0)
            $0.expect(pool.reserve.location, at: "25")
        },
        GrammarKeyCase(.pool, "reserve", DecodeFixture.document("pooling:\n  read_only: { pool_size: 5, reserve: 3 }\n")) {
            let reserve = try #require($0.topology.pooling.readOnly).reserve
            #expect(reserve.value == 3)
            $0.expect(reserve.location, at: "3 }")
        },
    ]
}

@Suite("Decoding: pooling")
struct PoolingDecodingTests {
    @Test(arguments: PoolingKeyCases.all)
    func key(_ keyCase: GrammarKeyCase) throws {
        try keyCase.run()
    }

    @Test func defaultsWhenThereIsNoPoolingSection() throws {
        let pooling = try DecodeFixture.decode(extra: "").pooling
        #expect(pooling.mode.value == .transaction)
        #expect(pooling.maxClientConnections.value == 1000)
        // 15: with a read-only pool of the same size and three users per database (auth_user,
        // application, read-only), (15 + 15) x 3 + 3 fits the default max_connections 100 (TPB504).
        #expect(pooling.readWrite.size.value == 15)
        #expect(pooling.readWrite.reserve.value == 0)
        #expect(pooling.version == .deployed)
        #expect(pooling.readOnly == nil)
        #expect(pooling.sessionFeatures.isEmpty)
        #expect(pooling.location == nil)
    }

    @Test func anEmptySectionKeepsTheDefaultsButRecordsItsLocation() throws {
        let text = DecodeFixture.document("pooling: {}\n")
        let pooling = try DecodeFixture.decode(text).pooling
        #expect(pooling.mode.value == .transaction)
        #expect(pooling.maxClientConnections.value == 1000)
        DecodeFixture.expect(pooling.location, at: "{}", in: text)
    }

    @Test(arguments: SessionFeature.allCases)
    func everySessionFeature(_ feature: SessionFeature) throws {
        let pooling = try DecodeFixture.decode(extra: "pooling: { session_features: [\(feature.rawValue)] }\n").pooling
        #expect(pooling.sessionFeatures.map(\.value) == [feature])
    }

    @Test func poolSizeIsRequired() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("pooling:\n  read_only: { reserve: 2 }\n"), .missingKey, at: "{ reserve",
            message: "`pool` needs 'pool_size'")
    }

    @Test func valuesAreRangeCheckedIntegers() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("pooling:\n  max_client_conn: \"2000\"\n"), .wrongType, at: "\"2000\"",
            message: "'max_client_conn' expects an integer, found a string")
        try DecodeFixture.expectError(
            DecodeFixture.document("pooling:\n  read_write: { pool_size: 0 }\n"), .invalidValue, at: "0 }",
            message: "'pool_size' must be between 1 and 10000, found 0")
        try DecodeFixture.expectError(
            DecodeFixture.document("pooling:\n  read_write: { pool_size: 5, reserve: -1 }\n"), .invalidValue, at: "-1",
            message: "'reserve' must be between 0 and 10000, found -1")
    }

    @Test func pgbouncerVersionIsAReleaseNumber() throws {
        #expect(try DecodeFixture.decode(extra: "pooling: { pgbouncer_version: 1.21.0 }\n").pooling.version == PgBouncerVersion(1, 21))
        #expect(try DecodeFixture.decode(extra: "pooling: { pgbouncer_version: \"1.18\" }\n").pooling.version == .deployed)
        // Unset: Debian 12's release, which the artifacts install.
        #expect(try DecodeFixture.decode(extra: "pooling: { mode: session }\n").pooling.declaredVersion == nil)
        #expect(PgBouncerVersion.deployed.description == "1.18")
        for bad in ["latest", "v1.21", "1.x", "1.21.0.1", "-1.2"] {
            try DecodeFixture.expectError(
                DecodeFixture.document("pooling:\n  pgbouncer_version: \(bad)\n"), .invalidValue, at: bad,
                message: "'pgbouncer_version' must be a PgBouncer release such as 1.18 or 1.21.0, found '\(bad)'")
        }
    }

    @Test func modeAndFeaturesAreChoices() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("pooling:\n  mode: transactions\n"), .invalidValue, at: "transactions",
            message: "'transactions' is not a valid 'mode'; did you mean 'transaction'? (expected one of: session, transaction, statement)")
        try DecodeFixture.expectError(
            DecodeFixture.document("pooling:\n  session_features: [prepared-statement]\n"), .invalidValue, at: "prepared-statement",
            message: "did you mean 'prepared-statements'?")
        try DecodeFixture.expectError(
            DecodeFixture.document("pooling:\n  session_features: listen-notify\n"), .wrongType, at: "listen-notify",
            message: "'session_features' expects a list, found a string")
    }

    @Test func poolMustBeAMapping() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("pooling:\n  read_write: 20\n"), .wrongType, at: "20",
            message: "'read_write' expects a mapping (`pool`), found an integer")
    }
}
