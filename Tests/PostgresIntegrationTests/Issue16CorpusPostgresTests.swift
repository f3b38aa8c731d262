import Foundation
import Testing
import TopologyCompiler

/// Every topology of the issue 16 corpus (`Tests/TopologyCompilerTests/Corpus/Issue16/`) that
/// validates, applied to PostgreSQL 15: each database's script applies without a message,
/// and the catalog then holds every object of the name registry.
@Suite("issue 16 corpus on PostgreSQL", .enabled(if: PostgresServer.shouldRun, PostgresServer.skipReason))
struct Issue16CorpusPostgresTests {
    static let folder = TestPlans.repository.appendingPathComponent("Tests/TopologyCompilerTests/Corpus/Issue16")

    /// The corpus files whose expectation is `valid`.
    static let cleanFiles: [String] = {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".yaml") }
        return names.sorted().filter { name in
            let text = (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
            return text.components(separatedBy: "\n").dropFirst().first == "# expect: valid"
        }
    }()

    @Test func thereAreCleanTopologies() {
        #expect(Self.cleanFiles.count >= 14)
    }

    @Test(arguments: cleanFiles)
    func applies(_ file: String) async throws {
        guard let port = PostgresServer.requirePort() else { return }
        let text = try String(contentsOf: Self.folder.appendingPathComponent(file), encoding: .utf8)
        guard let plan = TestPlans.plan(yaml: text, file: file) else { return }
        try await Deployment.with(plan, port: port) { deployment in
            for database in deployment.plan.databases {
                guard try await deployment.deploy(database) else { continue }
                try await RegistryCatalogCheck(deployment: deployment, database: database, actual: database.name).run()
            }
        }
    }

    /// What TTN606 prevents, shown: with the rule silenced, tenant 'pgbouncer' under the prefix
    /// `topoc_` gets no schema of its own. `CREATE SCHEMA IF NOT EXISTS` keeps topoc's schema of
    /// PgBouncer's lookup function, and the script stops when it creates the tenant's table there.
    @Test func aTenantSchemaNamedLikeTopocsOwnGetsNoSchemaOfItsOwn() async throws {
        guard let port = PostgresServer.requirePort() else { return }
        let text = try String(contentsOf: Self.folder.appendingPathComponent("34-tenant-schema-is-topocs.yaml"), encoding: .utf8)
        guard let plan = TestPlans.plan(yaml: text + "rules: { TTN606: off }\n", file: "34-silenced.yaml") else { return }
        try await Deployment.with(plan, port: port) { deployment in
            let database = try #require(deployment.plan.databases.first)
            try await deployment.createDatabase(database.name)
            let output = try await deployment.apply(database, to: database.name)
            #expect(output.status != 0)
            #expect(output.stderr.contains("permission denied for schema topoc_pgbouncer"), "\(output.stderr)")
            let tables = try await deployment.psql.check(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'topoc_pgbouncer' AND c.relkind = 'r'",
                database: database.name)
            #expect(tables.lines.isEmpty, "no tenant table: \(tables.lines)")
        }
    }
}
