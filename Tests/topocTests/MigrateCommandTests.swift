import Foundation
import Testing

/// `topoc diff` and `topoc migrate` as an operator runs them: exit statuses, the destructive
/// gate, and a saved change set refused against other plans.
struct MigrateCommandTests {
    /// OLD (the single-node example) and NEW (with `edit` applied) in a fresh folder.
    static func pair(_ from: String, _ to: String) throws -> URL {
        let folder = try TopocProcess.temporaryDirectory()
        let old = try String(
            contentsOf: TopocProcess.repository.appendingPathComponent("examples/single-node.yaml"), encoding: .utf8)
        #expect(old.contains(from))
        try old.write(to: folder.appendingPathComponent("old.yaml"), atomically: true, encoding: .utf8)
        try old.replacingOccurrences(of: from, with: to).write(
            to: folder.appendingPathComponent("new.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    @Test func diffPrintsHashesAndSummary() throws {
        let folder = try Self.pair("max_connections: 100", "max_connections: 150")
        let result = try TopocProcess.run(["diff", "old.yaml", "new.yaml"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("old plan sha256: "))
        #expect(result.stdout.contains("~   setting max_connections  [config-restart]"))
        #expect(result.stdout.contains("Plan: 0 to add, 1 to change, 0 to replace, 0 to destroy. (1 config-restart)"))
    }

    @Test func destructiveChangesNeedAllowDestructive() throws {
        let folder = try Self.pair("      display_name: varchar(80)\n", "")
        #expect(try TopocProcess.run(["diff", "old.yaml", "new.yaml"], in: folder).status == 3)
        #expect(try TopocProcess.run(["diff", "--allow-destructive", "old.yaml", "new.yaml"], in: folder).status == 0)
        let refused = try TopocProcess.run(["migrate", "old.yaml", "new.yaml", "-o", "m"], in: folder)
        #expect(refused.status == 3)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("m").path))
        let allowed = try TopocProcess.run(["migrate", "--allow-destructive", "old.yaml", "new.yaml", "-o", "m"], in: folder)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        let script = try String(contentsOf: folder.appendingPathComponent("m/sql/main/notes.sql"), encoding: .utf8)
        #expect(script.contains("ALTER TABLE \"public\".\"users\" DROP COLUMN IF EXISTS \"display_name\""))
    }

    /// A shard added: `migrate` would switch every shard's placement while the rows stay, so it
    /// refuses (exit 3, nothing written) until `--allow-data-movement`, and MIGRATION.md then says
    /// which rows to copy and when.
    @Test func rowsMovingBetweenShardsNeedAllowDataMovement() throws {
        let folder = try TopocProcess.temporaryDirectory()
        let old = try String(
            contentsOf: TopocProcess.repository.appendingPathComponent("examples/ecommerce.yaml"), encoding: .utf8)
        #expect(old.contains("  shards: 16\n"))
        try old.write(to: folder.appendingPathComponent("old.yaml"), atomically: true, encoding: .utf8)
        try old.replacingOccurrences(of: "  shards: 16\n", with: "  shards: 17\n").write(
            to: folder.appendingPathComponent("new.yaml"), atomically: true, encoding: .utf8)
        let refused = try TopocProcess.run(["migrate", "old.yaml", "new.yaml", "-o", "m"], in: folder)
        #expect(refused.status == 3, "\(refused.stderr)")
        #expect(refused.stderr.contains("rows move between shards"))
        #expect(refused.stderr.contains("topoc rebalance OLD NEW"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("m").path))

        let allowed = try TopocProcess.run(["migrate", "--allow-data-movement", "old.yaml", "new.yaml", "-o", "m"], in: folder)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        let readme = try String(contentsOf: folder.appendingPathComponent("m/MIGRATION.md"), encoding: .utf8)
        #expect(readme.contains("**Rows move between shards, and nothing here moves them.**"))
        #expect(readme.contains("- sharding user_id: consistent-hash, 16 shards -> consistent-hash, 17 shards: rows move between shards"))
        #expect(!readme.contains(" 1 steps)"))
    }

    @Test func savedPlanIsRefusedAgainstOtherPlans() throws {
        let folder = try Self.pair("      display_name: varchar(80)\n", "      display_name: varchar(80)\n      phone: text\n")
        let json = try TopocProcess.run(["diff", "--format", "json", "old.yaml", "new.yaml"], in: folder)
        #expect(json.status == 0)
        try json.stdout.write(to: folder.appendingPathComponent("reviewed.json"), atomically: true, encoding: .utf8)
        let accepted = try TopocProcess.run(["migrate", "--plan", "reviewed.json", "old.yaml", "new.yaml", "-o", "m"], in: folder)
        #expect(accepted.status == 0, "\(accepted.stderr)")
        for file in ["m/sql/main/notes.sql", "m/changes.json", "m/MIGRATION.md"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), "\(file)")
        }
        // NEW changed after the review: the saved change set no longer matches.
        let changed = try String(contentsOf: folder.appendingPathComponent("new.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "      phone: text\n", with: "      phone: varchar(20)\n")
        try changed.write(to: folder.appendingPathComponent("new.yaml"), atomically: true, encoding: .utf8)
        let refused = try TopocProcess.run(["migrate", "--plan", "reviewed.json", "old.yaml", "new.yaml", "-o", "m2"], in: folder)
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("was made for plans"))
    }

    @Test func patroniAndPgBouncerPatches() throws {
        let folder = try Self.pair("max_connections: 100", "max_connections: 150")
        let result = try TopocProcess.run(["migrate", "old.yaml", "new.yaml", "-o", "m"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let patch = try String(contentsOf: folder.appendingPathComponent("m/patroni/main/edit-config.yml"), encoding: .utf8)
        #expect(patch.contains("# Changed settings that need a restart: max_connections."))
        #expect(patch.contains("max_connections: \"150\"  # restart"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("m/sql/main/notes.sql").path))
    }
}
