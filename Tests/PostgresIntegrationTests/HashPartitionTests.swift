import Foundation
import Testing
import TopologyCompiler
import TopologyRuntime

/// Rows inserted into the generated hash-partitioned tables land in the partition that
/// `PostgresHash.hashPartition` (and so `HashModulo`) predicts, for 10,000 keys of every key type.
@Suite("hash partitions = Swift runtime", .enabled(if: PostgresServer.shouldRun, PostgresServer.skipReason))
struct HashPartitionTests {
    static let tables: [(name: String, type: String, modulus: Int)] = [
        ("h_small", "smallint", 7), ("h_int", "integer", 16), ("h_big", "bigint", 13), ("h_text", "text", 10),
    ]

    static var yaml: String {
        var text = TestTopologies.base(name: "hashparts") + "tables:\n"
        for table in tables {
            text += """
                  \(table.name):
                    columns:
                      k: \(table.type)
                      id: integer
                    primary_key: [k, id]
                    partitioning: { by: hash, key: k, modulus: \(table.modulus) }

                """
        }
        return text
    }

    @Test("rows land where the runtime predicts")
    func rowsLandAsPredicted() async throws {
        guard let port = PostgresServer.requirePort(), let plan = TestPlans.plan(yaml: Self.yaml) else { return }
        try await Deployment.with(plan, port: port) { deployment in
            guard let database = deployment.plan.databases.first, try await deployment.deploy(database) else { return }
            var generator = TestKeys(seed: 42)
            for table in Self.tables {
                let keys = generator.keys(table.type, count: 10_000)
                try await deployment.psql.check(
                    "INSERT INTO \(quoted(table.name)) (id, k) SELECT ord, k FROM unnest(\(sqlArray(keys, type: table.type))) WITH ORDINALITY AS u(k, ord)",
                    database: database.name)
                let rows = try await deployment.psql.check(
                    "SELECT id, tableoid::regclass FROM \(quoted(table.name)) ORDER BY id", database: database.name
                ).rows
                #expect(rows.count == keys.count)
                var mismatches = 0
                var used = Set<String>()
                for row in rows {
                    guard row.count == 2, let id = Int(row[0]), id >= 1, id <= keys.count else { continue }
                    let remainder = PostgresHash.hashPartition(remainderFor: keys[id - 1], modulus: table.modulus)
                    used.insert(row[1])
                    if row[1] != "\(table.name)_h\(remainder)" {
                        mismatches += 1
                        if mismatches <= 5 { Issue.record("\(table.name): \(keys[id - 1]) in \(row[1]), runtime says \(remainder)") }
                    }
                }
                #expect(mismatches == 0, "\(table.name): \(mismatches) rows in another partition than predicted")
                #expect(used.count == table.modulus, "\(table.name): every partition gets rows")
            }
        }
    }
}
