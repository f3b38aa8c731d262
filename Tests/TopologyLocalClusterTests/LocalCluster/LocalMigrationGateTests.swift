import Foundation
import Testing

@testable import TopologyCompiler
@testable import TopologyLocalCluster

/// What `topoc up` refuses to apply to a running deployment, and what it lets through.
struct LocalMigrationGateTests {
    /// The refusal for the change from `text` to `text` with `edits`, nil when it is allowed.
    static func refusal(_ example: String, _ edits: [(String, String)], allowDestructive: Bool = false) throws -> LocalMigrationRefusal? {
        let text = try String(contentsOf: PlanTestSupport.exampleURL(example), encoding: .utf8)
        var new = text
        for (from, to) in edits {
            #expect(new.contains(from), "anchor missing: \(from)")
            new = new.replacingOccurrences(of: from, with: to)
        }
        let old = try #require(PlanTestSupport.plan(text, target: .local))
        let changed = try #require(PlanTestSupport.plan(new, target: .local))
        let changes = PlanDiff(old: old, new: changed).changeSet()
        do {
            try LocalMigrationGate.check(changes, old: old, new: changed, allowDestructive: allowDestructive)
            return nil
        } catch let refusal as LocalMigrationRefusal {
            return refusal
        }
    }

    @Test func aShardCountChangeIsRefusedNamingRebalance() throws {
        let refusal = try #require(try Self.refusal("ecommerce.yaml", [("  shards: 16\n", "  shards: 20\n")]))
        #expect(refusal.description.contains("topoc rebalance OLD NEW") && !refusal.destructive)
    }

    @Test func aMajorVersionChangeIsRefusedAsManual() throws {
        let refusal = try #require(try Self.refusal("single-node.yaml", [("postgres: 16", "postgres: 15")]))
        #expect(refusal.description.contains("PostgreSQL 16 -> 15") && refusal.description.contains("pg_upgrade"))
    }

    @Test func aDroppedColumnNeedsAllowDestructive() throws {
        let drop = [("      display_name: varchar(80)\n", "")]
        let refusal = try #require(try Self.refusal("single-node.yaml", drop))
        #expect(refusal.destructive && refusal.description.contains("--allow-destructive"))
        #expect(try Self.refusal("single-node.yaml", drop, allowDestructive: true) == nil)
    }

    @Test func columnsIndexesSettingsAndPoolsAreAllowed() throws {
        let refusal = try Self.refusal(
            "single-node.yaml",
            [
                ("      display_name: varchar(80)\n", "      display_name: varchar(80)\n      phone: text\n"),
                ("max_connections: 100", "max_connections: 150"), ("pool_size: 15, reserve: 2", "pool_size: 12, reserve: 2"),
            ])
        #expect(refusal == nil, "\(refusal?.description ?? "")")
    }
}
