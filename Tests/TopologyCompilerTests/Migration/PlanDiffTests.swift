import Foundation
import Testing

@testable import TopologyCompiler

/// `topoc diff` on the single-node example and edits of it: every change found and classified.
struct PlanDiffTests {
    static func example() throws -> String {
        try String(contentsOf: PlanTestSupport.exampleURL("single-node.yaml"), encoding: .utf8)
    }

    /// The change set from the example to the example with `edits` applied.
    static func changes(_ edits: [(String, String)]) throws -> ChangeSet? {
        let old = try example()
        var new = old
        for (from, to) in edits {
            #expect(new.contains(from), "anchor missing: \(from)")
            new = new.replacingOccurrences(of: from, with: to)
        }
        guard let before = PlanTestSupport.plan(old), let after = PlanTestSupport.plan(new) else { return nil }
        return PlanDiff(old: before, new: after).changeSet()
    }

    @Test func identicalPlansHaveNoChanges() throws {
        let set = try #require(try Self.changes([]))
        #expect(set.changes.isEmpty)
        #expect(set.oldPlanSHA256 == set.newPlanSHA256)
        #expect(set.oldPlanSHA256.count == 64)
        #expect(ChangeTextRenderer.render(set).contains("No changes."))
    }

    @Test func renamesComeOnlyFromRenamedFrom() throws {
        let renamed = try #require(
            try Self.changes([
                ("      display_name: varchar(80)\n", "      screen_name: { type: varchar(80), renamed_from: display_name }\n")
            ]))
        #expect(renamed.changes.filter { $0.object != "database objects" }.map(\.action) == [.alter])
        #expect(renamed.changes.first { $0.object == "column" }?.impact == .metadataOnly)
        #expect(!renamed.isDestructive)
        // Without renamed_from the same edit drops a column and adds another: destructive.
        let guessed = try #require(try Self.changes([("      display_name: varchar(80)\n", "      screen_name: varchar(80)\n")]))
        #expect(Set(guessed.changes.filter { $0.object != "database objects" }.map(\.action)) == [.create, .drop])
        #expect(guessed.isDestructive)
        #expect(guessed.changes.contains { $0.impact == .destructive && $0.name == "users.display_name" })
    }

    @Test func renamedTableRenamesItsDerivedNames() throws {
        let set = try #require(try Self.changes([("  sessions:\n    columns:\n", "  logins:\n    renamed_from: sessions\n    columns:\n")]))
        let names = Set(set.changes.map(\.name))
        #expect(names.contains("logins"))
        #expect(names.contains("logins.logins_pkey"))
        #expect(names.contains("logins_session_id_seq"))
        #expect(names.contains("logins.logins_user_id_fkey"))
        #expect(!set.isDestructive)
    }

    @Test func classifiesColumnIndexAndConstraintChanges() throws {
        let set = try #require(
            try Self.changes([
                ("      display_name: varchar(80)\n", "      display_name: { type: varchar(80), nullable: false }\n"),
                ("      token: { type: char(64), nullable: false }", "      token: { type: text, nullable: false }"),
                (
                    "      - { name: sessions_expiry, columns: expires_at }\n",
                    "      - { name: sessions_expiry, columns: expires_at }\n      - { columns: [user_id, expires_at] }\n"
                ),
                ("    primary_key: session_id\n", "    primary_key: session_id\n    unique: [token]\n"),
            ]))
        func impact(_ name: String) -> ChangeImpact? { set.changes.first { $0.name == name }?.impact }
        #expect(impact("users.display_name") == .online)
        #expect(impact("sessions.token") == .rewrite)
        #expect(impact("sessions.sessions_user_id_expires_at_idx") == .online)
        #expect(impact("sessions.sessions_token_key") == .online)
        #expect(set.changes.first { $0.name == "sessions.token" }?.lock?.contains("ACCESS EXCLUSIVE") == true)
    }

    @Test func classifiesSettingsAndPools() throws {
        let set = try #require(
            try Self.changes([
                ("max_connections: 100", "max_connections: 150"),
                ("      shared_buffers: 1GB\n", "      shared_buffers: 1GB\n      max_slot_wal_keep_size: 2GB\n"),
                ("pool_size: 15, reserve: 2", "pool_size: 12, reserve: 2"),
            ]))
        #expect(set.changes.first { $0.name == "max_connections" }?.impact == .configRestart)
        #expect(set.changes.first { $0.name == "max_slot_wal_keep_size" }?.impact == .configReload)
        #expect(set.changes.first { $0.object == "pgbouncer" }?.impact == .configReload)
        #expect(ChangeTextRenderer.summary(set).contains("1 config-restart"))
    }

    @Test func shardCountChangeIsDataMovement() throws {
        let text = try String(contentsOf: PlanTestSupport.exampleURL("ecommerce.yaml"), encoding: .utf8)
        #expect(text.contains("  shards: 16\n"))
        guard let before = PlanTestSupport.plan(text),
            let after = PlanTestSupport.plan(text.replacingOccurrences(of: "  shards: 16\n", with: "  shards: 20\n"))
        else { return }
        let set = PlanDiff(old: before, new: after).changeSet()
        #expect(set.changes.contains { $0.impact == .dataMovement && $0.detail.contains("topoc rebalance") })
    }

    @Test func primaryKeyAndMajorVersionChangesAreManualWithAPlan() throws {
        let set = try #require(
            try Self.changes([
                ("    primary_key: session_id\n", "    primary_key: [session_id, user_id]\n"), ("postgres: 16", "postgres: 15"),
            ]))
        let key = try #require(set.changes.first { $0.object == "primary key" })
        #expect(key.impact == .manual && key.action == .replace && key.name == "sessions_pkey")
        #expect(key.detail.contains("(session_id) -> (session_id, user_id)"))
        #expect(key.detail.contains("CREATE UNIQUE INDEX CONCURRENTLY") && key.detail.contains("USING INDEX"))
        let version = try #require(set.changes.first { $0.object == "postgres" })
        #expect(version.impact == .manual && version.name == "PostgreSQL 16 -> 15" && version.detail.contains("pg_upgrade"))
        #expect(ChangeTextRenderer.render(set).contains("-/+ primary key sessions_pkey  [manual]"))
    }

    @Test func partitioningMethodChangeIsManualWithAPlan() throws {
        let text = try String(contentsOf: PlanTestSupport.exampleURL("saas-schema-per-tenant.yaml"), encoding: .utf8)
        let list =
            "      by: list\n      key: doc_type\n      lists:\n        invoices: [invoice]\n        credit_notes: [credit_note]\n        quotes: quote # a single value needs no list\n      default: true # new document types land in documents_default until they get a partition\n"
        #expect(text.contains(list))
        guard let before = PlanTestSupport.plan(text),
            let after = PlanTestSupport.plan(
                text.replacingOccurrences(of: list, with: "      by: hash\n      key: doc_type\n      modulus: 4\n"))
        else { return }
        let set = PlanDiff(old: before, new: after).changeSet()
        let change = try #require(set.changes.first { $0.object == "partitioning" })
        #expect(change.impact == .manual && change.name == "documents")
        #expect(change.detail.hasPrefix("list (doc_type) -> hash (doc_type):"), "\(change.detail)")
        #expect(change.detail.contains("logical replication"))
    }

    @Test func jsonRoundTripsAndTextIsTerraformLike() throws {
        let set = try #require(try Self.changes([("      display_name: varchar(80)\n", "")]))
        let json = JSONChangeSet.encode(set)
        #expect(JSONChangeSet.decode(Array(json.utf8)) == set)
        let text = ChangeTextRenderer.render(set)
        #expect(text.contains("-   column users.display_name  [destructive"))
        #expect(text.contains("Plan: 0 to add, 1 to change, 0 to replace, 1 to destroy. (1 lock, 1 destructive)"))
        #expect(text.contains(set.oldPlanSHA256) && text.contains(set.newPlanSHA256))
    }

    @Test func destructiveStepsNeedPermission() throws {
        guard let before = PlanTestSupport.plan(try Self.example()),
            let after = PlanTestSupport.plan(try Self.example().replacingOccurrences(of: "      display_name: varchar(80)\n", with: ""))
        else { return }
        func script(_ allow: Bool) -> String {
            let files = MigrationArtifacts.artifacts(old: before, new: after, allowDestructive: allow)
            return files.first { $0.path == "sql/main/notes.sql" }.map { String(decoding: $0.contents, as: UTF8.self) } ?? ""
        }
        #expect(script(true).contains("DROP COLUMN IF EXISTS \"display_name\""))
        #expect(!script(false).contains("DROP COLUMN"))
    }

    @Test func partitionIndexNamesFollowPostgreSQL() {
        let index = PlanIndex(
            name: "t_idx", method: .btree,
            keys: [
                PlanIndexKey(column: "a", expression: nil), PlanIndexKey(column: nil, expression: "lower(b)"),
                PlanIndexKey(column: nil, expression: "upper(b)"),
            ],
            unique: false, include: ["c"], predicate: nil)
        #expect(PartitionIndexName.choose(partition: "t_p1", index: index) == "t_p1_a_expr_expr1_c_idx")
        let long = String(repeating: "x", count: 60)
        let name = PartitionIndexName.choose(partition: long, index: index)
        #expect(name.utf8.count == 63)
        #expect(name.hasSuffix("_idx"))
    }
}
