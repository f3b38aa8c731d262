import Testing

@testable import TopologyCompiler

@Suite("Naming rules")
struct NameRulesTests {
    static let sixtyThree = String(repeating: "a", count: 63)
    static let sixtyFour = String(repeating: "a", count: 64)

    @Test(arguments: ["users", "_x", "A1_b", "order_items_2025", "_", sixtyThree])
    func validSQLNames(_ name: String) {
        #expect(NameRules.problem(with: name, kind: .sql) == nil)
    }

    @Test(arguments: [
        ("", "a name cannot be empty"),
        ("1users", "must start with a letter or an underscore"),
        ("-x", "must start with a letter or an underscore"),
        ("a-b", "may contain only letters, digits and underscores"),
        ("a b", "may contain only letters, digits and underscores"),
        ("users; DROP TABLE x", "may contain only letters, digits and underscores"),
        ("na'me", "may contain only letters, digits and underscores"),
        ("na\"me", "may contain only letters, digits and underscores"),
        ("café", "may contain only letters, digits and underscores"),
        ("tab\tle", "may contain only letters, digits and underscores"),
        ("x$1", "may contain only letters, digits and underscores"),
        (sixtyFour, "is 64 bytes long; PostgreSQL keeps only 63"),
        (String(repeating: "é", count: 32), "is 64 bytes long; PostgreSQL keeps only 63"),
    ])
    func invalidSQLNames(_ name: String, _ problem: String) {
        #expect(NameRules.problem(with: name, kind: .sql) == problem)
    }

    @Test(arguments: ["main", "eu-west-1", "a", "shard0", String(repeating: "s", count: 63)])
    func validServiceNames(_ name: String) {
        #expect(NameRules.problem(with: name, kind: .service) == nil)
    }

    @Test(arguments: [
        ("", "a name cannot be empty"),
        ("Main", "must start with a lowercase letter"),
        ("1main", "must start with a lowercase letter"),
        ("-main", "must start with a lowercase letter"),
        ("main_db", "may contain only lowercase letters, digits and hyphens"),
        ("eu.west", "may contain only lowercase letters, digits and hyphens"),
        ("euWest", "may contain only lowercase letters, digits and hyphens"),
        ("edge-", "must not end with a hyphen"),
        (String(repeating: "s", count: 64), "is 64 bytes long; PostgreSQL keeps only 63"),
    ])
    func invalidServiceNames(_ name: String, _ problem: String) {
        #expect(NameRules.problem(with: name, kind: .service) == problem)
    }

    @Test(arguments: ["SHOP_PG_PASSWORD", "_X", "A1", "PGPASSWORD", String(repeating: "V", count: 200)])
    func validEnvironmentNames(_ name: String) {
        #expect(NameRules.problem(with: name, kind: .environment) == nil)
    }

    @Test(arguments: [
        ("", "a name cannot be empty"),
        ("shop", "must start with an uppercase letter or an underscore"),
        ("1A", "must start with an uppercase letter or an underscore"),
        ("A-B", "may contain only uppercase letters, digits and underscores"),
        ("Ab", "may contain only uppercase letters, digits and underscores"),
        ("A B", "may contain only uppercase letters, digits and underscores"),
        ("A=B", "may contain only uppercase letters, digits and underscores"),
    ])
    func invalidEnvironmentNames(_ name: String, _ problem: String) {
        #expect(NameRules.problem(with: name, kind: .environment) == problem)
    }

    @Test func maxIdentifierBytesIsPostgresNamedatalenMinusOne() {
        #expect(NameRules.maxIdentifierBytes == 63)
    }

    // MARK: How the decoder reports names

    @Test func tooLongNamesAreTPC021AndOtherProblemsTPC020() throws {
        let long = String(repeating: "t", count: 64)
        try DecodeFixture.expectError(
            DecodeFixture.document("tables:\n  \(long): { columns: { id: int } }\n"), .identifierTooLong, at: long,
            message: "table name \"\(long)\" is 64 bytes long; PostgreSQL keeps only 63")
        try DecodeFixture.expectError(
            DecodeFixture.document("tables:\n  9lives: { columns: { id: int } }\n"), .invalidIdentifier, at: "9lives",
            message: "table name \"9lives\" must start with a letter or an underscore")
        // A 63-byte name is fine.
        let fits = String(repeating: "t", count: 63)
        #expect(try DecodeFixture.decode(extra: "tables:\n  \(fits): { columns: { id: int } }\n").tables[0].name.value == fits)
    }

    @Test func longNamesAreShortenedInMessages() throws {
        let long = String(repeating: "x", count: 200)
        let diagnostic = try DecodeFixture.expectError(
            DecodeFixture.document("tables:\n  \(long): { columns: { id: int } }\n"), .identifierTooLong, at: long,
            message: "is 200 bytes long")
        #expect(diagnostic.message.contains(String(repeating: "x", count: 80) + "\""))
        #expect(!diagnostic.message.contains(String(repeating: "x", count: 81)))
    }

    @Test func environmentNameProblemsAreTPC031() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("secrets: { app: { env: app_password } }\n"), .invalidEnvironmentName, at: "app_password",
            message: "environment variable \"app_password\" must start with an uppercase letter or an underscore")
    }
}
