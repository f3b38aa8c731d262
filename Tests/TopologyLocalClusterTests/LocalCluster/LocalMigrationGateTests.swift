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

    /// A guarantee that changes only where HAProxy sends reads is a change of its own: `topoc
    /// diff` lists it, `topoc migrate` writes the new haproxy.cfg, and `topoc up` refuses it in
    /// place (it said "No changes" and left HAProxy routing reads as before).
    @Test func aStalenessBoundChangeIsAnHAProxyChange() throws {
        let text = try String(contentsOf: PlanTestSupport.exampleURL("primary-replicas.yaml"), encoding: .utf8)
        let strong = text.replacingOccurrences(of: "  max_staleness: 5s\n", with: "")
        let old = try #require(PlanTestSupport.plan(text, target: .local))
        let new = try #require(PlanTestSupport.plan(strong, target: .local))
        let changes = PlanDiff(old: old, new: new).changeSet()
        let haproxy = try #require(changes.changes.first { $0.object == "haproxy" }, "\(changes.changes.map(\.object))")
        #expect(haproxy.detail.hasPrefix("haproxy.cfg changes (its frontends, servers or health checks); the staleness agent stops"))
        #expect(changes.changes.count == 1, "\(changes.changes.map(\.object))")
        let files = MigrationArtifacts.artifacts(old: old, new: new, allowDestructive: false)
        let cfg = try #require(files.first { $0.path == "haproxy/haproxy.cfg" })
        #expect(cfg.contents == Array(HAProxyBackend.text(plan: new).utf8))
        let refusal = try #require(try Self.refusal("primary-replicas.yaml", [("  max_staleness: 5s\n", "")]))
        #expect(refusal.description.contains("HAProxy: its configuration changes"))
        // Nothing changes HAProxy when the topology does not.
        #expect(!PlanDiff(old: old, new: old).changeSet().changes.contains { $0.object == "haproxy" })
    }

    /// A renamed role would be created anew while the old one kept its access: a manual change
    /// (`ALTER ROLE ... RENAME TO`), refused in place; before, nothing listed it and the old role
    /// kept reading through PgBouncer.
    @Test func aRenamedRoleIsAManualChange() throws {
        let text = try String(contentsOf: PlanTestSupport.exampleURL("single-node.yaml"), encoding: .utf8)
        let renamed = text + "roles: { read_only: reporting }\n"
        let old = try #require(PlanTestSupport.plan(text, target: .local))
        let new = try #require(PlanTestSupport.plan(renamed, target: .local))
        let change = try #require(PlanDiff(old: old, new: new).changeSet().changes.first { $0.object == "role" })
        #expect(change.name == "read-only \(old.roles.readOnly) -> reporting" && change.impact == .manual)
        #expect(change.detail.contains("ALTER ROLE \"\(old.roles.readOnly)\" RENAME TO \"reporting\""))
        let changes = PlanDiff(old: old, new: new).changeSet()
        #expect(throws: LocalMigrationRefusal.self) {
            try LocalMigrationGate.check(changes, old: old, new: new, allowDestructive: true)
        }
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
