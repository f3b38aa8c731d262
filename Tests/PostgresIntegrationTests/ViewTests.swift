import Foundation
import Testing
import TopologyCompiler

/// Materialized views refresh through their generated functions, concurrently while read.
@Suite("materialized views on PostgreSQL", .enabled(if: PostgresServer.shouldRun, PostgresServer.skipReason))
struct ViewTests {
    @Test("a concurrent refresh completes while another session reads the view, and both succeed")
    func concurrentRefreshWhileReading() async throws {
        guard let port = PostgresServer.requirePort(), let plan = try TestPlans.plan(example: "primary-replicas.yaml") else {
            return
        }
        try await Deployment.with(plan, port: port) { deployment in
            guard let database = deployment.plan.databases.first(where: { $0.kind == .main }),
                try await deployment.deploy(database)
            else { return }
            let psql = deployment.psql
            let db = database.name
            try await psql.check(
                """
                INSERT INTO readers (email, display_name) VALUES ('a@example.org', 'Ada');
                INSERT INTO articles (author_id, slug, title, body, status) SELECT reader_id, 'one', 'One', 'text', 'published' FROM readers;
                INSERT INTO page_views (article_id) SELECT article_id FROM articles;
                SELECT topoc_refresh_popular_articles();
                """, database: db)
            let reader = try PSQLSession(psql: psql, database: db)
            let before = try await reader.run(
                "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT views_7d FROM popular_articles;")
            #expect(before.split(separator: "\n") == ["1"])
            try await psql.check("INSERT INTO page_views (article_id) SELECT article_id FROM articles", database: db)
            let refresh = try await psql.sql(
                "SET lock_timeout = '10s'; SELECT topoc_refresh_popular_articles(); SELECT views_7d FROM popular_articles;", database: db)
            #expect(refresh.status == 0 && refresh.stderr.isEmpty, "refresh while read: \(refresh.stderr)")
            #expect(refresh.lines.last == "2", "the refresh sees the new row")
            let during = try await reader.run("SELECT views_7d FROM popular_articles; COMMIT;")
            #expect(during.split(separator: "\n") == ["1"], "the reader keeps its snapshot")
            let errors = reader.errors()
            #expect(await reader.close() == 0)
            #expect(errors.isEmpty, "reader: \(errors)")
        }
    }

    @Test("every refresh function of the examples runs", arguments: ["ecommerce.yaml", "timeseries-range.yaml", "primary-replicas.yaml"])
    func refreshFunctionsRun(_ example: String) async throws {
        guard let port = PostgresServer.requirePort(), let plan = try TestPlans.plan(example: example) else { return }
        try await Deployment.with(plan, port: port) { deployment in
            guard let database = deployment.plan.databases.first(where: { $0.kind != .vertical }),
                try await deployment.deploy(database)
            else { return }
            for view in deployment.plan.views where view.materialized && view.databases.contains(database.name) {
                let output = try await deployment.psql.check("SELECT topoc_refresh_\(view.name)()", database: database.name)
                #expect(output.status == 0)
            }
        }
    }
}
