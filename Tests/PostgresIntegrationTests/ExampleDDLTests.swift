import Foundation
import Testing
import TopologyCompiler

/// Every example's DDL on a real PostgreSQL 15: it applies with no error, warning or notice,
/// applies again to the same database as a no-op (no error or warning), applies to a second
/// fresh database without even a notice at `client_min_messages = notice`, and the catalog then
/// matches the plan and holds every object of the name registry (``RegistryCatalogCheck``).
@Suite("example DDL on PostgreSQL", .enabled(if: PostgresServer.shouldRun, PostgresServer.skipReason))
struct ExampleDDLTests {
    @Test("applies cleanly, twice, and the catalog matches the plan", arguments: TestPlans.exampleNames)
    func example(_ name: String) async throws {
        guard let port = PostgresServer.requirePort(), let plan = try TestPlans.plan(example: name) else { return }
        try await Deployment.with(plan, port: port) { deployment in
            var used = Set<String>()
            for (index, database) in deployment.plan.databases.enumerated() {
                // Multi-primary clusters hold databases of the same name: one server needs two names.
                let name = used.insert(database.name).inserted ? database.name : "c\(index)_\(database.name)"
                try await deployment.createDatabase(name)
                let first = try await deployment.apply(database, to: name)
                #expect(first.status == 0 && first.stderr.isEmpty, "apply to \(name): \(first.stderr)")
                guard first.status == 0 else { continue }
                let again = try await deployment.apply(database, to: name)
                #expect(again.status == 0 && again.stderr.isEmpty, "second apply to \(name): \(again.stderr)")
                let copy = "b_\(name)"
                try await deployment.createDatabase(copy)
                let fresh = try await deployment.apply(database, to: copy, noticeLevel: true)
                #expect(fresh.status == 0 && fresh.stderr.isEmpty, "apply to a fresh database, notices shown: \(fresh.stderr)")
                try await CatalogCheck(deployment: deployment, database: database, actual: name).run()
                try await RegistryCatalogCheck(deployment: deployment, database: database, actual: name).run()
            }
        }
    }

    @Test("create-databases.sql creates the cluster's databases once, then skips them")
    func createDatabases() async throws {
        guard let port = PostgresServer.requirePort(), let plan = try TestPlans.plan(example: "saas-database-per-tenant.yaml")
        else { return }
        try await Deployment.with(plan, port: port) { deployment in
            let clusters = Set(deployment.plan.databases.map(\.cluster))
            for cluster in clusters.sorted() {
                let file = try deployment.scratchCopy(of: "sql/\(cluster)/create-databases.sql")
                defer { try? FileManager.default.removeItem(at: file) }
                for _ in 0..<2 {
                    let output = try await deployment.psql.run(file: file, database: "postgres")
                    #expect(output.status == 0 && output.stderr.isEmpty, "\(output.stderr)")
                }
            }
            let rows = try await deployment.psql.check(
                "SELECT datname FROM pg_database WHERE datname LIKE \(literal("%\(deployment.suffix)"))", database: "postgres")
            #expect(Set(rows.lines) == Set(deployment.plan.databases.map(\.name)))
        }
    }

    @Test("sql/placement.json lists every script in order, each once")
    func placement() async throws {
        guard let port = PostgresServer.requirePort(), let plan = try TestPlans.plan(example: "primary-replicas.yaml") else { return }
        let deployment = Deployment(plan: plan, port: port)
        let data = Data((deployment.files["sql/placement.json"] ?? "").utf8)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let steps = object?["steps"] as? [[String: Any]] ?? []
        let scripts = steps.compactMap { $0["script"] as? String }
        for database in deployment.plan.databases {
            #expect(scripts.contains("sql/\(database.cluster)/\(database.name).sql"))
        }
        #expect(Set(scripts).count == scripts.count)
        let orders: [Int] = steps.compactMap { $0["order"] as? Int }
        #expect(orders == Array(1...max(1, steps.count)))
        #expect(scripts.allSatisfy { deployment.files[$0] != nil })
    }
}
