import Foundation
import Testing
import TopologyCompiler

/// A renamed table that a counter counts: the rename's step commits the counter's new function
/// and triggers with it, so a write to the table right after the rename (before the converge
/// step) is counted. Before, the old function still named the table by its old name and every
/// such write failed ("relation "public.notes" does not exist").
@Suite(.enabled(if: PostgresServer.shouldRun, PostgresServer.skipReason))
struct MigrationRenameTests {
    @Test func writesBetweenTheRenameAndTheConvergeStepAreCounted() async throws {
        guard let port = PostgresServer.requirePort() else { return }
        let pair = try #require(MigrationCorpus.all.first { $0.name == "rename counted table" })
        guard let oldText = try pair.oldText(), let newText = try pair.newText(),
            let old = TestPlans.plan(yaml: oldText, file: "old.yaml"), let new = TestPlans.plan(yaml: newText, file: "new.yaml")
        else { return }
        let harness = MigrationHarness(old: old, new: new, port: port)
        defer { Task { await harness.cleanUp() } }
        guard try await harness.deploy(harness.oldA) else { return }
        let database = try #require(harness.oldA.databases.first).name
        try await harness.psql.check(
            "INSERT INTO users (email) VALUES ('ann@example.com'); INSERT INTO notes (user_id, title) VALUES (1, 'a'), (1, 'b')",
            database: database)

        // The migration up to the end of its first step, the rename: a run that stopped there.
        let script = try #require(harness.migrationFiles()["sql/\(harness.newA.databases[0].cluster)/\(database).sql"])
        let lines = script.split(separator: "\n", omittingEmptySubsequences: false)
        let second = try #require(lines.firstIndex { $0.hasPrefix("-- step 002-") }, "the rename is followed by other steps")
        #expect(lines[..<second].contains { $0.hasPrefix("-- step 001-rename-table-notes-memos") })
        let output = try await harness.run(lines[..<second].joined(separator: "\n") + "\n", database: database)
        #expect(output.status == 0, "\(output.stderr)")

        let write = try await harness.psql.sql(
            "INSERT INTO memos (user_id, title) VALUES (1, 'c'); DELETE FROM memos WHERE title = 'a'; INSERT INTO memos (user_id, title) VALUES (1, 'd')",
            database: database)
        #expect(write.status == 0, "a write right after the rename: \(write.stderr)")
        let count = try await harness.psql.check("SELECT note_count FROM users WHERE user_id = 1", database: database)
        #expect(count.lines == ["3"])
        await harness.cleanUp()
    }
}
