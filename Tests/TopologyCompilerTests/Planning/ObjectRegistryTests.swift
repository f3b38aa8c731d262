import Foundation
import Testing

@testable import TopologyCompiler

/// ObjectRegistry: every name the DDL creates, and TPG122 over the plan for the collisions the
/// validator's model-level check cannot see.
@Suite("object registry")
struct ObjectRegistryTests {
    /// Plans `text` for the local target and returns its TPG122 findings.
    static func collisions(_ text: String) -> [Diagnostic] {
        CompilerDriver.compile(bytes: Array(text.utf8), file: "t.yaml", target: .local).diagnostics
            .filter { $0.code.code == "TPG122" }
    }

    /// The line and column of the first `needle` in `text`.
    static func position(of needle: String, in text: String) -> (line: Int, column: Int)? {
        guard let range = text.range(of: needle) else { return nil }
        let before = text[..<range.lowerBound]
        let line = before.filter { $0 == "\n" }.count + 1
        let column = before.count - (before.lastIndex(of: "\n").map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0) + 1
        return (line, column)
    }

    /// Expects one TPG122 at `needle` whose message contains `message`, and none once `fixed`.
    static func expectCollision(
        _ text: String, at needle: String, message: String, fixed: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        let found = collisions(text)
        let spot = try #require(Self.position(of: needle, in: text), sourceLocation: sourceLocation)
        #expect(
            found.contains {
                $0.location.line == spot.line && $0.location.column == spot.column && $0.message.contains(message)
            },
            "expected TPG122 at \(spot) containing \"\(message)\", got:\n\(found.map(\.rendered).joined(separator: "\n"))",
            sourceLocation: sourceLocation)
        let after = CompilerDriver.compile(bytes: Array(fixed.utf8), file: "t.yaml", target: .local)
        #expect(
            after.plan != nil && !after.diagnostics.contains { $0.code.code == "TPG122" },
            "the fixed topology still fails:\n\(after.diagnostics.map(\.rendered).joined(separator: "\n"))",
            sourceLocation: sourceLocation)
    }

    @Test func examplesHaveNoCollisionsAndRegisterTheirImplicitObjects() throws {
        for example in try PlanTestSupport.exampleNames() {
            let plan = try #require(try PlanTestSupport.plan(example: example, target: .local))
            let registry = ObjectRegistry(plan: plan)
            #expect(registry.collisions.isEmpty, "\(example): \(registry.collisions)")
            #expect(!registry.entries.isEmpty)
        }
        let plan = try #require(try PlanTestSupport.plan(example: "ecommerce.yaml", target: .local))
        let names = Set(ObjectRegistry(plan: plan).entries.map { "\($0.kind.rawValue) \($0.name)" })
        for expected in [
            "materialized view daily_sales", "index daily_sales_day_key", "function topoc_refresh_daily_sales",
            "table topoc_cdc_heartbeat", "publication shop_products", "slot shop_products_debezium_shop_s0",
        ] {
            #expect(names.contains(expected), "\(expected) not registered")
        }
    }

    static let header = "topology: shop\npostgres: 15\nclusters:\n  main: { members: 1 }\n"

    /// A user table named like the Debezium heartbeat table: the heartbeat's IF NOT EXISTS would skip it.
    @Test func heartbeatTable() throws {
        func text(_ name: String) -> String {
            Self.header + """
                tables:
                  products:
                    columns: { id: bigint, name: text }
                    primary_key: id
                  \(name):
                    columns: { id: integer, note: text }
                    primary_key: id
                cdc:
                  publication: shop_products
                  slot: shop_products_debezium
                  sink: { topic_prefix: shop }
                  tables:
                    products: { method: logical }

                """
        }
        try Self.expectCollision(
            text("topoc_cdc_heartbeat"), at: "topoc_cdc_heartbeat:", message: "change data capture",
            fixed: text("heartbeats"))
    }

    /// A user table named like a partition of a generated series (not checked by the model-level rule).
    @Test func generatedPartition() throws {
        func text(_ name: String) -> String {
            Self.header + """
                tables:
                  events:
                    columns: { id: bigint, at: timestamptz }
                    primary_key: [id, at]
                    partitioning: { by: range, key: at, interval: monthly, from: 2026-01-01, to: 2026-04-01 }
                  \(name):
                    columns: { id: bigint }
                    primary_key: id

                """
        }
        try Self.expectCollision(
            text("events_p2026_02"), at: "events_p2026_02:", message: "a partition of 'events'", fixed: text("events_archive"))
    }

    /// A tenant whose role (`<app role>_<tenant>`) is the name of a configured role.
    @Test func tenantRole() throws {
        func text(_ tenant: String) -> String {
            "topology: shop\npostgres: 15\nclusters:\n  main: { members: 1, settings: { max_connections: 300 } }\n" + """
                tenancy:
                  mode: database-per-tenant
                  app_role: clinic_app
                  tenants: [north, \(tenant)]
                tables:
                  visits:
                    columns: { id: bigint }
                    primary_key: id

                """
        }
        try Self.expectCollision(text("owner"), at: "owner]", message: "the role of tenant 'owner'", fixed: text("south"))
    }

    /// A user index named like the CDC audit table's primary key.
    @Test func auditPrimaryKey() throws {
        func text(_ index: String) -> String {
            Self.header + """
                tables:
                  subscriptions:
                    columns: { id: bigint, plan: text }
                    primary_key: id
                    indexes: [{ name: \(index), columns: plan }]
                cdc:
                  audit_table: billing_audit
                  tables:
                    subscriptions: trigger

                """
        }
        try Self.expectCollision(
            text("billing_audit_pkey"), at: "billing_audit_pkey", message: "change data capture",
            fixed: text("subscriptions_by_plan"))
    }
}
