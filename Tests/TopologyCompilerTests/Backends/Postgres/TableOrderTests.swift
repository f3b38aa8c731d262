import Testing

@testable import TopologyCompiler

/// `TableDDL.order` (tables in an order where referenced tables come first, cycles broken by
/// deferred keys) on random schemas: exactly the order and deferred keys of the algorithm it
/// replaced, which removed each taken table from the front of an array (quadratic).
@Suite("Table order")
struct TableOrderTests {
    /// The previous implementation, kept here as the reference.
    static func reference(_ tables: [TableShape]) -> ([String], [String]) {
        let names = Set(tables.filter { $0.group == nil }.map(\.name))
        func dependencies(_ table: TableShape) -> [PlanForeignKey] {
            table.foreignKeys.filter { names.contains($0.referencedTable) && $0.referencedTable != table.name }
        }
        var remaining = tables
        var done = Set<String>()
        var ordered: [String] = []
        var deferred: [String] = []
        while !remaining.isEmpty {
            let index =
                remaining.firstIndex { table in dependencies(table).allSatisfy { done.contains($0.referencedTable) } } ?? 0
            let table = remaining.remove(at: index)
            for key in dependencies(table) where !done.contains(key.referencedTable) { deferred.append("\(table.name).\(key.name)") }
            if table.group == nil { done.insert(table.name) }
            ordered.append(table.name)
        }
        return (ordered, deferred)
    }

    /// A topology of `count` tables, each with up to three foreign keys to random tables (itself,
    /// earlier or later ones: cycles included), from a seeded generator.
    static func topology(count: Int, seed: UInt64) -> String {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var lines = [
            "version: 1", "topology: order", "postgres: 15", "guarantees: { consistency: eventual, partition: CP }",
            "clusters:", "  main: { members: 1 }", "tables:",
        ]
        for table in 0..<count {
            lines += ["  t\(table):", "    columns:", "      id: bigint"]
            let keys = next(4)
            for key in 0..<keys { lines.append("      r\(key): bigint") }
            lines.append("    primary_key: [id]")
            if keys > 0 {
                lines.append("    foreign_keys:")
                for key in 0..<keys { lines.append("      - { columns: [r\(key)], references: { table: t\(next(count)) } }") }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("the same order and deferred keys as the previous algorithm", arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func sameAsBefore(_ seed: UInt64) throws {
        let plan = try #require(PlanTestSupport.plan(Self.topology(count: 60, seed: seed)))
        let shapes = plan.tables.map { TableShape(table: $0) }
        let database = DatabaseScope(plan: plan, database: try #require(plan.databases.first), shared: SharedRendering())
        let (ordered, deferred) = TableDDL.order(shapes, in: SchemaScope(database: database, schema: .publicSchema, tables: shapes))
        let expected = Self.reference(shapes)
        #expect(ordered.map(\.name) == expected.0)
        #expect(deferred.map { "\($0.table).\($0.key.name)" } == expected.1)
        #expect(!expected.1.isEmpty, "the random schema includes a cycle")
    }
}
