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
}
