import Foundation
import Testing

@testable import TopologyCompiler
@testable import TopologyLocalCluster

/// Drift is located at the declaration of what drifted.
@Suite("live check: locations")
struct LiveLocatorTests {
    @Test("tables, columns, indexes, keys, settings, slots and schedules of the e-commerce example")
    func ecommerce() throws {
        let text = try String(contentsOf: PlanTestSupport.exampleURL("ecommerce.yaml"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func line(_ needle: String, after: String? = nil) -> Int {
            let start = after.flatMap { marker in lines.firstIndex { $0.contains(marker) } } ?? 0
            return (lines[start...].firstIndex { $0.contains(needle) } ?? -2) + 1
        }
        let input = LiveCheck.input(bytes: Array(text.utf8), file: "examples/ecommerce.yaml")
        let topology = try #require(input.topology)
        #expect(input.plan != nil)
        let locator = LiveLocator(topology: topology)
        #expect(locator.table("orders").line == line("  orders:"))
        #expect(locator.column("users", "email").line == line("email:", after: "  users:"))
        #expect(locator.column("users", "order_count").line == line("order_count:"))
        #expect(locator.index("products", position: 0).line == line("products_attributes_gin"))
        #expect(locator.index("orders", position: 1).line == line("where: \"status"))
        #expect(locator.constraint("orders", kind: "p", position: 0).line == line("primary_key: [user_id, order_id"))
        #expect(locator.constraint("orders", kind: "f", position: 1).line == line("references: { table: products }"))
        #expect(locator.setting("shard", "max_connections").line == line("max_connections: 200"))
        #expect(locator.setting("shard", "wal_level").line == line("  shard:"))
        #expect(locator.slot("shop_products_debezium_shop_s0").line == line("slot: shop_products_debezium"))
        #expect(locator.refresh(view: "daily_sales").line == line("refresh: {"))
        #expect(locator.table("nope") == locator.whole)
    }
}
