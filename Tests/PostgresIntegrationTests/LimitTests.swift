import Foundation
import Testing
import TopologyCompiler

/// PostgreSQL's limits as rules (TPG126): the validator's bound is PostgreSQL's own.
@Suite("PostgreSQL limits", .enabled(if: PostgresServer.shouldRun, PostgresServer.skipReason))
struct LimitTests {
    /// A topology with one table of `columns` integer columns.
    static func wide(columns: Int) -> String {
        let list = (1...columns).map { "          c\($0): integer" }.joined(separator: "\n")
        return TestTopologies.base(name: "wide") + """
            tables:
              wide:
                columns:
            \(list)
                primary_key: c1

            """
    }

    @Test("1,600 columns validate and apply; 1,601 are refused by TPG126 and by PostgreSQL alike")
    func columnsPerTable() async throws {
        let refused = CompilerDriver.compile(bytes: Array(Self.wide(columns: 1601).utf8), file: "wide.yaml", target: .local)
        #expect(refused.plan == nil)
        #expect(refused.diagnostics.contains { $0.code.code == "TPG126" && $0.message.contains("has 1601 columns") })

        guard let port = PostgresServer.requirePort(), let plan = TestPlans.plan(yaml: Self.wide(columns: 1600)) else { return }
        try await Deployment.with(plan, port: port) { deployment in
            guard let database = deployment.plan.databases.first, try await deployment.deploy(database) else { return }
            let psql = deployment.psql
            let count = try await psql.check(
                "SELECT count(*) FROM pg_attribute WHERE attrelid = 'wide'::regclass AND attnum > 0 AND NOT attisdropped",
                database: database.name)
            #expect(count.lines == ["1600"])
            let columns = (1...1601).map { "c\($0) integer" }.joined(separator: ", ")
            let url = PSQL.scratchFile("sql")
            defer { try? FileManager.default.removeItem(at: url) }
            try "CREATE TABLE too_wide (\(columns));\n".write(to: url, atomically: true, encoding: .utf8)
            let output = try await psql.run(file: url, database: database.name, quietNotices: true)
            #expect(output.stderr.contains("tables can have at most 1600 columns"), "\(output.stderr)")
        }
    }
}
