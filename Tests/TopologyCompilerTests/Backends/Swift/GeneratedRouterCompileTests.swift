import Foundation
import Testing
import TopologyRuntime

@testable import TopologyCompiler

/// Builds the generated router of examples in a real SwiftPM package (Swift 6 mode, warnings as
/// errors), routes 100,000 keys through it and compares with TopologyRuntime's strategy built
/// from routing.json's data. Slow: three examples by default, every example with
/// `TOPOC_SLOW_TESTS=1`.
@Suite("Generated Swift router compiles and routes like routing.json", .serialized)
struct GeneratedRouterCompileTests {
    /// The examples to build: a ring, a composite (with rings in its regions), a range topology,
    /// one whose compose plan lacks a frontend (optional endpoints) and one whose tenants are
    /// named after the enums' members, or all of them.
    static var examples: [String] {
        if ProcessInfo.processInfo.environment["TOPOC_SLOW_TESTS"] == "1" {
            return ((try? PlanTestSupport.exampleNames()) ?? []) + [
                "global-composite.yaml#ring", "primary-replicas.yaml#no-frontend", "saas-schema-per-tenant.yaml#member-names",
            ]
        }
        return [
            "ecommerce.yaml", "global-composite.yaml#ring", "timeseries-range.yaml", "primary-replicas.yaml#no-frontend",
            "saas-schema-per-tenant.yaml#member-names",
        ]
    }

    @Test("Each example's generated file builds warning-free and routes every key as the runtime does")
    func buildAndRoute() throws {
        let package = try GeneratedRouterPackage.make(examples: Self.examples)
        defer { package.remove() }
        let build = try package.build()
        try #require(build.status == 0, "swift build failed:\n\(build.output)")
        // Hostile strings in packed tables, as swiftc and PackedTable read them back.
        let packed = try package.run(target: GeneratedRouterPackage.packedTablesTarget)
        #expect(packed.map(String.init) == GeneratedRouterPackage.packedTablesExpected)
        for member in package.members {
            let lines = try package.run(member)
            let plan = try #require(member.plans.first)
            let shardLines = plan.sharding == nil ? 0 : GeneratedRouterPackage.keyCount
            let shards = plan.sharding?.shards ?? []
            let tenants = plan.tenancy?.tenants ?? []
            try #require(
                lines.count == shardLines + plan.clusters.count + shards.count + tenants.count,
                "\(member.example): \(lines.count) lines")
            let specs = try member.plans.map(decodedRoutingSpec)
            for (offset, cluster) in plan.clusters.enumerated() {
                // Per target, as routing.json of that target names them.
                let routed = specs.map { spec in spec.clusters.first { $0.name == cluster.name } }
                // Each member as the plan of that target has it: name, endpoint, region, and whether
                // it is the bootstrap leader (L) and can be promoted (P).
                let members = member.plans.map { target in
                    (target.clusters.first { $0.name == cluster.name }?.members ?? []).map { member in
                        let flags = (member.role == .leader ? "L" : "-") + (member.noFailover ? "-" : "P")
                        return "\(member.name)@\(member.host):\(member.port)/\(member.region ?? "-")/\(flags)"
                    }.joined(separator: ";")
                }
                let poolers = try routed.map { try #require($0?.pooler) }
                #expect(
                    lines[shardLines + offset]
                        == "cluster \(cluster.name) \(members.joined(separator: "|")) \(Self.text(poolers))"
                        + " \(Self.text(routed.map { $0?.readWrite })) \(Self.text(routed.map { $0?.readOnly }))")
            }
            if member.example.hasSuffix("#no-frontend") {
                // The compose plan's last cluster has no frontend: its endpoints print as nil.
                #expect(lines[shardLines + plan.clusters.count - 1].contains(" nil,"), "\(member.example)")
            }
            for (offset, shard) in shards.enumerated() {
                #expect(lines[shardLines + plan.clusters.count + offset] == "shard \(shard.name) \(shard.database) \(shard.cluster)")
            }
            for (offset, tenant) in tenants.enumerated() {
                #expect(lines[shardLines + plan.clusters.count + shards.count + offset] == "tenant \(tenant.name)")
            }
            guard plan.sharding != nil else {
                continue
            }
            let expected = try ExpectedRouting(spec: decodedRoutingSpec(plan), regions: plan.regions)
            var mismatches = 0
            for index in 0..<GeneratedRouterPackage.keyCount where lines[index] != Substring(String(expected.shard(keyIndex: index))) {
                mismatches += 1
            }
            #expect(mismatches == 0, "\(member.example): \(mismatches) keys routed differently")
        }
    }

    /// Endpoints as the generated main prints them: `host:port` or `nil`, joined by commas.
    private static func text(_ endpoints: [RoutingEndpoint?]) -> String {
        endpoints.map { endpoint in endpoint.map { "\($0.host):\($0.port)" } ?? "nil" }.joined(separator: ",")
    }

    /// `routing.json` for the plan, as written and read back.
    private func decodedRoutingSpec(_ plan: Plan) throws -> RoutingSpec {
        let json = DeterministicJSON.text(RoutingSpec(plan: plan))
        return try JSONDecoder().decode(RoutingSpec.self, from: Data(json.utf8))
    }
}

/// The routing of routing.json's data through TopologyRuntime, independent of the generated file.
struct ExpectedRouting {
    let sharding: PlanSharding
    let regions: [String]
    let strategy: HashStrategy?
    let ranges: RangeMap<Int64>?
    let geo: GeoMap?

    init(spec: RoutingSpec, regions: [String]) throws {
        let sharding = try #require(spec.sharding)
        self.sharding = sharding
        self.regions = regions
        let names = sharding.shards.map(\.name)
        switch sharding.strategy {
        case .consistentHash:
            let ring = try #require(sharding.ring)
            let fromTokens = try HashRing(
                shardNames: names, virtualNodes: sharding.virtualNodes ?? 0, tokens: ring.map(\.token), owners: ring.map(\.shard))
            let fromNames = try HashRing(
                shards: names, virtualNodes: sharding.virtualNodes ?? 0, placement: sharding.tokenPlacement ?? .hashed)
            #expect(fromTokens == fromNames, "routing.json's ring is the ring of the shard names")
            strategy = .ring(fromTokens)
        case .jumpHash:
            strategy = .jump(JumpHash(shards: names.count))
        case .hashModulo:
            strategy = .modulo(HashModulo(shards: names.count))
        case .range, .geographic, .composite:
            strategy = nil
        }
        if sharding.strategy == .range {
            ranges = try RangeMap(
                sharding.shards.map {
                    .init(lower: $0.rangeFrom.flatMap { Int64($0) }, upper: $0.rangeTo.flatMap { Int64($0) }, shard: $0.index)
                })
        } else {
            ranges = nil
        }
        if sharding.strategy.regional {
            let kind: HashStrategyKind =
                switch sharding.withinRegion ?? .hashModulo {
                case .jumpHash: .jump
                case .consistentHash:
                    .ring(virtualNodes: sharding.virtualNodes ?? 150, placement: sharding.tokenPlacement ?? .hashed)
                case .hashModulo, .range, .geographic, .composite: .modulo
                }
            let geoRegions = regions.map { region in
                GeoMap.Region(name: region, shards: sharding.shards.filter { $0.region == region }.map(\.index))
            }
            geo = try GeoMap(regions: geoRegions, strategy: kind, shardNames: names)
        } else {
            geo = nil
        }
    }

    /// The shard of the `index`th key of the generated main (or -1 for none).
    func shard(keyIndex index: Int) -> Int {
        let key = GeneratedRouterPackage.key(index, keyType: sharding.keyType)
        if let strategy {
            return strategy.shard(for: key)
        }
        if let ranges, case .int8(let value) = key {
            return ranges.shard(for: value) ?? -1
        }
        if let geo {
            let region = regions[index % regions.count]
            if sharding.strategy == .geographic {
                return geo.shards(inRegion: region)?.first ?? -1
            }
            return geo.shard(for: key, inRegion: region) ?? -1
        }
        return -1
    }
}
