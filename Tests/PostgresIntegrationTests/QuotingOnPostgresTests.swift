import Foundation
import Testing
import TopologyCompiler

/// Escapes that PostgreSQL and libpq read back, for the values where a combining mark follows the
/// character to escape (one character to Swift and Foundation, a quote or percent byte to the
/// server and to libpq).
@Suite("quoting read back by PostgreSQL and libpq", .enabled(if: PostgresServer.shouldRun, PostgresServer.skipReason))
struct QuotingOnPostgresTests {
    /// A tenant template's `%` doubled before `format()` fills in the schema: the formatted
    /// statement is the template with the schema named, and runs.
    @Test func formatTemplatesKeepPercentSigns() async throws {
        guard let port = PostgresServer.requirePort() else { return }
        let psql = PSQL(port: port)
        let schema = SchemaTarget.tenantTemplate
        let statement = "SELECT \(schema.literal) || \(SQLQuoting.literal("a%\u{301}b %s %%")) AS v"
        let template = SchemaTarget.formatTemplate(statement)
        let formatted = try await psql.check(
            "SELECT format(\(SQLQuoting.literal(template)), 'tenant_a', 'role_a');", database: "postgres")
        #expect(formatted.stdout == "SELECT 'tenant_a' || 'a%\u{301}b %s %%' AS v\n")
        let value = try await psql.check(formatted.stdout, database: "postgres")
        #expect(value.stdout == "tenant_aa%\u{301}b %s %%\n")
    }

    /// A database whose name holds a quote before a combining mark and a backslash, named by a
    /// libpq connection string value (what multi-primary subscriptions connect with): libpq
    /// connects to exactly that database.
    @Test func conninfoValuesNameTheirDatabase() async throws {
        guard let port = PostgresServer.requirePort() else { return }
        let psql = PSQL(port: port)
        let name = "it'\u{301}s \\ db \(UInt32.random(in: 0...UInt32.max))"
        try await psql.check("CREATE DATABASE \(SQLQuoting.identifier(name));", database: "postgres")
        let connected = try await psql.sql(
            "SELECT current_database();", database: "dbname=\(MultiPrimaryDDL.conninfoValue(name))")
        try await psql.check("DROP DATABASE \(SQLQuoting.identifier(name));", database: "postgres")
        #expect(connected.status == 0, "\(connected.stderr)")
        #expect(connected.stdout == name + "\n")
    }
}
