import Foundation
import Testing
import TopologyCompiler
import TopologyLocalCluster

/// The table of parameters that need a restart (``PostmasterSettings``), which marks them in
/// each cluster's dynamic-config.yml, is exactly the `pg_settings` rows of context `postmaster`
/// of real PostgreSQL 15 and 16 servers; pg_cron's two parameters topoc sets are postmaster
/// parameters where pg_cron is loaded.
struct PostmasterSettingsTests {
    static let query = "SELECT name FROM pg_settings WHERE context = 'postmaster' ORDER BY name"

    @Test(.enabled(if: PostgresServer.shouldRun, PostgresServer.skipReason))
    func postgres15() async throws {
        guard let port = PostgresServer.requirePort() else { return }
        let psql = PSQL(port: port)
        let names = try await psql.check(Self.query, database: "postgres").lines
        #expect(Set(names.filter { !$0.contains(".") }) == PostmasterSettings.core(postgresVersion: 15))
        #expect(names.count(where: { $0.hasPrefix("cron.") }) > 0, "the test server loads pg_cron")
        for name in ["cron.database_name", "cron.use_background_workers"] {
            #expect(names.contains(name))
            #expect(PostmasterSettings.needsRestart(name, postgresVersion: 15))
        }
        #expect(!PostmasterSettings.needsRestart("work_mem", postgresVersion: 15))
    }

    @Test(.enabled(if: Postgres16Server.shouldRun, "TOPOC_PG16_BIN is not set (scripts/install-deps.sh prepares it)"))
    func postgres16() throws {
        guard let bin = Postgres16Server.binDirectory else {
            Issue.record("TOPOC_PG16_BIN is not set, but CI requires it")
            return
        }
        let port = try #require((47_000..<47_400).first { LoopbackHTTP.isFree(port: $0) })
        let server = try Postgres16Server(bin: bin, port: port, name: "postmaster-settings")
        defer { server.stop() }
        let names = server.psql("postgres", sql: Self.query).split(separator: "\n").map(String.init)
        #expect(Set(names.filter { !$0.contains(".") }) == PostmasterSettings.core(postgresVersion: 16))
    }
}
