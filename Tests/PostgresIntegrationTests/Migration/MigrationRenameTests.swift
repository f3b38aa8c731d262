import Foundation
import Testing
import TopologyCompiler

/// A renamed table that a counter counts, that holds the counter, or that a snapshot copies from:
/// the rename's step commits the new functions and triggers with it (and drops those named after
/// a renamed holder), so a write right after the rename (before the converge step) is counted or
/// copied. Before, the old function still named the table by its old name and every such write
/// failed ("relation "public.notes" does not exist", then "relation "public.users" does not
/// exist" for the holder).
@Suite(.enabled(if: PostgresServer.shouldRun, PostgresServer.skipReason))
struct MigrationRenameTests {
    /// A corpus pair, the rename that is its first step, the writes made right after that step,
    /// and a query with its expected answer.
    struct Case: Sendable, CustomTestStringConvertible {
        var pair: String
        var step: String
        var write: String
        var check: String
        var expected: [String]
        var testDescription: String { pair }
    }

    static let setup =
        "INSERT INTO users (email) VALUES ('ann@example.com'); INSERT INTO notes (user_id, title) VALUES (1, 'a'), (1, 'b')"

    static let cases: [Case] = [
        Case(
            pair: "rename counted table", step: "001-rename-table-notes-memos",
            write:
                "INSERT INTO memos (user_id, title) VALUES (1, 'c'); DELETE FROM memos WHERE title = 'a'; INSERT INTO memos (user_id, title) VALUES (1, 'd')",
            check: "SELECT note_count FROM users WHERE user_id = 1", expected: ["3"]),
        Case(
            pair: "rename counter-holding table", step: "001-rename-table-users-accounts",
            write:
                "INSERT INTO notes (user_id, title) VALUES (1, 'c'); DELETE FROM notes WHERE title = 'a'; INSERT INTO notes (user_id, title) VALUES (1, 'd')",
            check: "SELECT note_count FROM accounts WHERE user_id = 1", expected: ["3"]),
        Case(
            pair: "rename snapshot source table", step: "001-rename-table-users-accounts",
            write: "INSERT INTO notes (user_id, title) VALUES (1, 'c')",
            check: "SELECT author_email FROM notes WHERE title = 'c'", expected: ["ann@example.com"]),
        Case(
            pair: "rename snapshot-holding table", step: "001-rename-table-notes-memos",
            write: "INSERT INTO memos (user_id, title) VALUES (1, 'c')",
            check: "SELECT author_email FROM memos WHERE title = 'c'", expected: ["ann@example.com"]),
    ]

    @Test(arguments: cases)
    func writesRightAfterTheRenameStep(_ rename: Case) async throws {
        guard let port = PostgresServer.requirePort() else { return }
        let pair = try #require(MigrationCorpus.all.first { $0.name == rename.pair })
        guard let oldText = try pair.oldText(), let newText = try pair.newText(),
            let old = TestPlans.plan(yaml: oldText, file: "old.yaml"), let new = TestPlans.plan(yaml: newText, file: "new.yaml")
        else { return }
        let harness = MigrationHarness(old: old, new: new, port: port)
        defer { Task { await harness.cleanUp() } }
        guard try await harness.deploy(harness.oldA) else { return }
        let database = try #require(harness.oldA.databases.first).name
        try await harness.psql.check(Self.setup, database: database)

        // The migration up to the end of its first step, the rename: a run that stopped there.
        let script = try #require(harness.migrationFiles()["sql/\(harness.newA.databases[0].cluster)/\(database).sql"])
        let lines = script.split(separator: "\n", omittingEmptySubsequences: false)
        let second = try #require(lines.firstIndex { $0.hasPrefix("-- step 002-") }, "the rename is followed by other steps")
        #expect(lines[..<second].contains { $0.hasPrefix("-- step \(rename.step)") })
        let output = try await harness.run(lines[..<second].joined(separator: "\n") + "\n", database: database)
        #expect(output.status == 0, "\(output.stderr)")

        let write = try await harness.psql.sql(rename.write, database: database)
        #expect(write.status == 0, "a write right after the rename: \(write.stderr)")
        let answer = try await harness.psql.check(rename.check, database: database)
        #expect(answer.lines == rename.expected)
        await harness.cleanUp()
    }
}
