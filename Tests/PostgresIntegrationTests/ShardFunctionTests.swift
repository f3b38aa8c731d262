import Foundation
import Testing
import TopologyCompiler
import TopologyRuntime

/// `topoc_shard_for` in PostgreSQL agrees with TopologyRuntime for every strategy, on 10,000
/// keys per case, computed in one query and compared in Swift.
@Suite("SQL shard function = Swift runtime", .enabled(if: PostgresServer.shouldRun, PostgresServer.skipReason))
struct ShardFunctionTests {
    /// A topology to check.
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var example: String?
        var yaml: String?
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(label: "consistent-hash bigint (ecommerce)", example: "ecommerce.yaml"),
        Case(
            label: "consistent-hash text",
            yaml: TestTopologies.sharded(
                name: "ringtext", keyType: "text", sharding: "  strategy: consistent-hash\n  shards: 5\n  virtual_nodes: 64")),
        Case(
            label: "consistent-hash bigint, balanced token placement",
            yaml: TestTopologies.sharded(
                name: "ringbalanced", keyType: "bigint",
                sharding: "  strategy: consistent-hash\n  shards: 9\n  virtual_nodes: 32\n  token_placement: balanced")),
        Case(
            label: "jump-hash bigint",
            yaml: TestTopologies.sharded(name: "jumpbig", keyType: "bigint", sharding: "  strategy: jump-hash\n  shards: 7")),
        Case(
            label: "jump-hash integer, 100 shards",
            yaml: TestTopologies.sharded(name: "jumpint", keyType: "integer", sharding: "  strategy: jump-hash\n  shards: 100")),
        Case(
            label: "jump-hash smallint",
            yaml: TestTopologies.sharded(name: "jumpsmall", keyType: "smallint", sharding: "  strategy: jump-hash\n  shards: 3")),
        Case(
            label: "jump-hash text",
            yaml: TestTopologies.sharded(name: "jumptext", keyType: "text", sharding: "  strategy: jump-hash\n  shards: 13")),
        Case(
            label: "hash-modulo smallint",
            yaml: TestTopologies.sharded(name: "modsmall", keyType: "smallint", sharding: "  strategy: hash-modulo\n  shards: 4")),
        Case(
            label: "hash-modulo integer",
            yaml: TestTopologies.sharded(name: "modint", keyType: "integer", sharding: "  strategy: hash-modulo\n  shards: 6")),
        Case(
            label: "hash-modulo bigint",
            yaml: TestTopologies.sharded(name: "modbig", keyType: "bigint", sharding: "  strategy: hash-modulo\n  shards: 16")),
        Case(
            label: "hash-modulo text",
            yaml: TestTopologies.sharded(name: "modtext", keyType: "text", sharding: "  strategy: hash-modulo\n  shards: 10")),
        Case(label: "range bigint (timeseries)", example: "timeseries-range.yaml"),
        Case(
            label: "range text",
            yaml: TestTopologies.sharded(
                name: "rangetext", keyType: "text",
                sharding: """
                      strategy: range
                      ranges:
                        - { to: "g" }
                        - { from: "g", to: "n" }
                        - { from: "n", to: "é" }
                        - { from: "é" }
                    """)),
        Case(label: "geographic (global-geo)", example: "global-geo.yaml"),
        Case(label: "composite, jump-hash within (global-composite)", example: "global-composite.yaml"),
        Case(
            label: "composite, consistent-hash within, text",
            yaml: TestTopologies.sharded(
                name: "comptext", keyType: "text",
                sharding: """
                      strategy: composite
                      region_key: region
                      regions: { us-east: 3, eu-west: 2 }
                      within: consistent-hash
                      virtual_nodes: 40
                    """, regions: ["us-east", "eu-west"])),
        Case(
            label: "composite, consistent-hash within, balanced, bigint",
            yaml: TestTopologies.sharded(
                name: "compbalanced", keyType: "bigint",
                sharding: """
                      strategy: composite
                      region_key: region
                      regions: { us-east: 4, eu-west: 3 }
                      within: consistent-hash
                      virtual_nodes: 20
                      token_placement: balanced
                    """, regions: ["us-east", "eu-west"])),
        Case(
            label: "composite, hash-modulo within, integer",
            yaml: TestTopologies.sharded(
                name: "compint", keyType: "integer",
                sharding: """
                      strategy: composite
                      region_key: region
                      regions: { us-east: 2, eu-west: 5 }
                      within: hash-modulo
                    """, regions: ["us-east", "eu-west"])),
    ]

    @Test("agrees on 10,000 keys", arguments: cases)
    func agrees(_ testCase: Case) async throws {
        guard let port = PostgresServer.requirePort() else { return }
        let loaded: Plan? =
            if let example = testCase.example { try TestPlans.plan(example: example) } else {
                TestPlans.plan(yaml: testCase.yaml ?? "", file: "\(testCase.label).yaml")
            }
        guard let plan = loaded, plan.sharding != nil else { return }
        try await Deployment.with(plan, port: port) { deployment in
            guard let sharding = deployment.plan.sharding,
                let database = deployment.plan.databases.first(where: { $0.kind == .shard }),
                try await deployment.deploy(database)
            else { return }
            var generator = TestKeys(seed: UInt64(truncatingIfNeeded: testCase.label.utf8.reduce(5381) { $0 &* 33 &+ Int($1) }))
            let keys = generator.keys(sharding.keyType.rawValue, count: 10_000)
            let regional = sharding.strategy.regional
            let regionNames = Self.regions(sharding).map(\.name) + ["nowhere"]
            let regions = keys.indices.map { regionNames[$0 % regionNames.count] }
            let sql: String
            if regional {
                sql = """
                    SELECT u.ord, topoc_shard_for(u.r, u.k), topoc_shard_name(u.r, u.k)
                    FROM unnest(ARRAY[\(regions.map(literal).joined(separator: ","))]::text[], \(sqlArray(keys, type: sharding.keyType.sqlType)))
                         WITH ORDINALITY AS u(r, k, ord) ORDER BY u.ord
                    """
            } else {
                sql = """
                    SELECT u.ord, topoc_shard_for(u.k), topoc_shard_name(u.k)
                    FROM unnest(\(sqlArray(keys, type: sharding.keyType.sqlType))) WITH ORDINALITY AS u(k, ord) ORDER BY u.ord
                    """
            }
            let output = try await deployment.psql.check(sql, database: database.name)
            let rows = output.rows
            #expect(rows.count == keys.count)
            let expected = try Self.expected(sharding, keys: keys, regions: regions)
            let names = sharding.shards.sorted { $0.index < $1.index }.map(\.database)
            var mismatches = 0
            for (index, row) in rows.enumerated() where row.count == 3 && index < expected.count {
                let actual = Int(row[1])
                if actual != expected[index] || row[2] != (actual.map { names[$0] } ?? "") {
                    mismatches += 1
                    if mismatches <= 5 {
                        Issue.record(
                            "key \(keys[index]) (\(regions[index])): SQL \(row[1]) \(row[2]), runtime \(String(describing: expected[index]))"
                        )
                    }
                }
            }
            #expect(mismatches == 0, "\(mismatches) of \(keys.count) keys differ")
            let placed = Set(expected.compactMap { $0 })
            #expect(placed.count > 1 || sharding.shards.count == 1, "keys spread over several shards")
        }
    }

    /// The regions and the global indices of their shards, in order.
    static func regions(_ sharding: PlanSharding) -> [GeoMap.Region] {
        var result: [GeoMap.Region] = []
        for shard in sharding.shards.sorted(by: { $0.index < $1.index }) {
            guard let region = shard.region else { continue }
            if let index = result.firstIndex(where: { $0.name == region }) {
                result[index] = GeoMap.Region(name: region, shards: result[index].shards + [shard.index])
            } else {
                result.append(GeoMap.Region(name: region, shards: [shard.index]))
            }
        }
        return result
    }

    /// The shard TopologyRuntime gives each key.
    static func expected(_ sharding: PlanSharding, keys: [ShardKeyValue], regions: [String]) throws -> [Int?] {
        let names = sharding.shards.sorted { $0.index < $1.index }.map(\.name)
        func kind(_ strategy: ShardingStrategy) -> HashStrategyKind {
            switch strategy {
            case .jumpHash: .jump
            case .hashModulo: .modulo
            case .consistentHash, .range, .geographic, .composite:
                .ring(virtualNodes: sharding.virtualNodes ?? 150, placement: sharding.tokenPlacement ?? .hashed)
            }
        }
        switch sharding.strategy {
        case .range:
            let shards = sharding.shards.sorted { $0.index < $1.index }
            if sharding.keyType == .text {
                let map = try RangeMap<String>(shards.map { RangeMap.Entry(lower: $0.rangeFrom, upper: $0.rangeTo, shard: $0.index) })
                return keys.map { $0.string.flatMap(map.shard(for:)) }
            }
            let map = try RangeMap<Int64>(
                shards.map {
                    RangeMap.Entry(lower: $0.rangeFrom.flatMap { Int64($0) }, upper: $0.rangeTo.flatMap { Int64($0) }, shard: $0.index)
                })
            return keys.map { $0.integer.flatMap(map.shard(for:)) }
        case .geographic:
            let byRegion = Dictionary(uniqueKeysWithValues: Self.regions(sharding).map { ($0.name, $0.shards[0]) })
            return regions.map { byRegion[$0] }
        case .composite:
            let map = try GeoMap(regions: Self.regions(sharding), strategy: kind(sharding.withinRegion ?? .hashModulo), shardNames: names)
            return zip(keys, regions).map { map.shard(for: $0, inRegion: $1) }
        case .hashModulo, .jumpHash, .consistentHash:
            let strategy = try HashStrategy(kind(sharding.strategy), shardNames: names)
            return keys.map { strategy.shard(for: $0) }
        }
    }
}
