import Foundation
import Testing
import TopologyCompiler

/// The migration corpus on PostgreSQL: for each OLD/NEW pair, A is built from OLD, killed halfway
/// through its migration, migrated to the end, migrated again (every step skipped), and compared
/// with B built fresh from NEW.
@Suite(.enabled(if: PostgresServer.shouldRun, PostgresServer.skipReason))
struct MigrationCorpusTests {
    @Test func corpusIsLargeEnough() {
        #expect(MigrationCorpus.all.count >= 40)
        #expect(Set(MigrationCorpus.all.map(\.testDescription)).count == MigrationCorpus.all.count)
    }

    @Test(arguments: MigrationCorpus.all)
    func migratedEqualsFresh(_ pair: MigrationCase) async throws {
        guard let port = PostgresServer.requirePort(), var newText = try pair.newText(), var oldText = try pair.oldText() else {
            return
        }
        // A server without contrib (PostgreSQL 16 from scripts/pg16.sh has plpgsql only): citext
        // columns become text; pairs that need pg_partman or btree_gist are not run there.
        let available = try await PSQL(port: port).sql("SELECT name FROM pg_available_extensions", database: "postgres").stdout
            .split(separator: "\n").map(String.init)
        if !available.contains("citext") {
            oldText = oldText.replacingOccurrences(of: "citext", with: "text")
            newText = newText.replacingOccurrences(of: "citext", with: "text")
        }
        if !available.contains("pg_partman") && (oldText + newText).contains("partman:") {
            print("MIGRATION-CORPUS \(pair.name): not run, the server has no pg_partman")
            return
        }
        if !available.contains("btree_gist") && (oldText + newText).contains("method: gist") {
            print("MIGRATION-CORPUS \(pair.name): not run, the server has no btree_gist")
            return
        }
        guard let old = TestPlans.plan(yaml: oldText, file: "examples/\(pair.example)"),
            let new = TestPlans.plan(yaml: newText, file: "new/\(pair.example)")
        else { return }
        let changes = PlanDiff(old: old, new: new).changeSet()
        #expect(!changes.changes.isEmpty, "\(pair.name): the mutation changed nothing")
        let harness = MigrationHarness(old: old, new: new, port: port)
        defer { Task { await harness.cleanUp() } }
        guard try await harness.deploy(harness.oldA) else { return }
        let files = harness.migrationFiles()
        // Killed halfway: whatever ran is either committed (and in the ledger) or rolled back.
        _ = try await harness.migrate(files, cut: 0.5)
        for (database, output) in try await harness.migrate(files) {
            #expect(output.status == 0, "\(pair.name): migrating \(database): \(output.stderr)")
        }
        let again = try await harness.migrate(files)
        for (database, output) in again {
            #expect(output.status == 0 && output.stderr.isEmpty, "\(pair.name): second run of \(database): \(output.stderr)")
        }
        guard try await harness.deploy(harness.newB) else { return }
        try await harness.expectSame(pair.name)
        await harness.cleanUp()
    }
}
