extension SwiftRouterRenderer {
    /// `byIndex`, every case of `type` in raw-value order, and the initializers from a raw value
    /// (its position) and from a name, for an enum whose raw values are its cases' positions and
    /// whose names are in its `names` table.
    ///
    /// `init?(rawValue:)` is written out, not synthesized: the compiler's own is a `switch` with an
    /// integer pattern per case, and writing out `Shard`'s and `Cluster`'s took the router of
    /// 4,096 shards from 32 to 22 s in a debug compile and from 66 to 52 s in a release compile
    /// (docs/performance.md, "The generated router at 4,096 shards").
    ///
    /// - Parameters:
    ///   - type: The enum's name (`Shard`).
    ///   - noun: What a case is, for the doc comments (`shard`).
    ///   - cases: The case names, in raw-value order.
    func renderIndexedCases(_ out: inout SwiftSourceWriter, type: String, noun: String, cases: [String]) {
        out.doc("Every case, in raw-value order: a case's raw value is its position here.")
        out.arrayLiteral("static let byIndex: [\(type)] = ", cases.map { type + "." + $0 })
        out.line()
        out.doc("The \(noun) whose raw value (its position) is `rawValue`, or `nil`.", "", "- Parameter rawValue: A position.")
        out.block("public init?(rawValue: Int)") { out in
            out.block("guard Self.byIndex.indices.contains(rawValue) else") { out in
                out.line("return nil")
            }
            out.line("self = Self.byIndex[rawValue]")
        }
        out.line()
        out.doc("The \(noun) named `name`, or `nil`.", "", "- Parameter name: A \(noun) name.")
        out.block("public init?(name: String)") { out in
            out.block("guard let index = Self.names.firstIndex(of: name) else") { out in
                out.line("return nil")
            }
            out.line("self.init(rawValue: index)")
        }
    }

    /// The `Shard` enum: name, database, cluster and region of every shard.
    func renderShards(_ out: inout SwiftSourceWriter) {
        guard let sharding = plan.sharding else {
            return
        }
        let shards = sharding.shards
        let regional = !plan.regions.isEmpty && shards.allSatisfy { $0.region.flatMap(plan.regions.firstIndex(of:)) != nil }
        out.doc("The shards, by index. Each lives in its own database on its own cluster.")
        out.block("public enum Shard: Int, Sendable, CaseIterable") { out in
            for (position, shard) in shards.enumerated() {
                var summary = "Shard `\(shard.name)`: database `\(shard.database)` on cluster `\(shard.cluster)`"
                if let region = shard.region {
                    summary += ", region `\(region)`"
                }
                if sharding.strategy == .range {
                    summary += ", keys in [\(shard.rangeFrom ?? "-inf"), \(shard.rangeTo ?? "+inf"))"
                }
                out.doc(summary + ".")
                out.line("case \(shardCases[position]) = \(shard.index)")
            }
            out.line()
            renderIndexedCases(&out, type: "Shard", noun: "shard", cases: shardCases)
            out.line()
            out.doc("The shard's name.")
            out.line("public var name: String { Self.names[rawValue] }")
            out.doc("The database that holds the shard.")
            out.line("public var database: String { Self.databases[rawValue] }")
            out.doc("The cluster that serves the shard.")
            out.line("public var cluster: Cluster { Self.clusters[rawValue] }")
            if regional {
                out.doc("The region the shard lives in.")
                out.line("public var region: Region { Self.regions[rawValue] }")
            }
            out.line()
            out.packedTable("names", .strings(shards.map(\.name)))
            out.packedTable("databases", .strings(shards.map(\.database)))
            out.packedTable("clusters", .cases(shards.map { clusterPositions[$0.cluster] ?? 0 }, type: "Cluster"))
            if regional {
                let regions = shards.map { shard in shard.region.flatMap(plan.regions.firstIndex(of:)) ?? 0 }
                out.packedTable("regions", .cases(regions, type: "Region"))
            }
        }
    }

    /// The `Region` enum, with each region's shards for geographic and composite sharding.
    func renderRegions(_ out: inout SwiftSourceWriter) {
        let shardLists = regionShardLists
        out.doc("The regions, in declaration order.")
        out.block("public enum Region: Int, Sendable, CaseIterable") { out in
            for (index, region) in plan.regions.enumerated() {
                let count = shardLists?[index].count
                out.doc("`\(region)`" + (count.map { ": \($0) shard\($0 == 1 ? "" : "s")." } ?? "."))
                out.line("case \(regionCases[index]) = \(index)")
            }
            out.line()
            renderIndexedCases(&out, type: "Region", noun: "region", cases: regionCases)
            out.line()
            out.doc("The region's name.")
            out.line("public var name: String { Self.names[rawValue] }")
            out.line()
            out.packedTable("names", .strings(plan.regions))
            if let shardLists {
                out.line()
                out.doc("The shards that live in the region, in within-region order.")
                out.line("public var shards: [Shard] { Self.shardLists[rawValue] }")
                out.line()
                out.line("private static let shardLists: [[Shard]] = [")
                for list in shardLists {
                    out.line("    [" + list.map { "Shard." + shardCases[$0] }.joined(separator: ", ") + "],")
                }
                out.line("]")
            }
        }
    }

    /// For geographic and composite sharding, the shard positions of each region of
    /// `plan.regions`, in shard order; `nil` otherwise.
    var regionShardLists: [[Int]]? {
        guard let sharding = plan.sharding, sharding.strategy.regional else {
            return nil
        }
        return plan.regions.map { region in
            sharding.shards.indices.filter { sharding.shards[$0].region == region }
        }
    }

    /// The `Tenant` enum: name, schema or database, and cluster of every tenant.
    func renderTenants(_ out: inout SwiftSourceWriter) {
        guard let tenancy = plan.tenancy else {
            return
        }
        let mainDatabase = plan.databases.first { $0.kind == .main }
        let byName = Dictionary(plan.databases.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let databases = tenancy.tenants.map { tenant -> PlanDatabase? in
            if let name = tenant.database {
                return byName[name] ?? mainDatabase
            }
            return mainDatabase
        }
        let complete = databases.allSatisfy { $0 != nil }
        let hasSchemas = tenancy.tenants.allSatisfy { $0.schema != nil }
        out.doc("The tenants (`tenancy.mode: \(tenancy.mode.rawValue)`).")
        out.block("public enum Tenant: Int, Sendable, CaseIterable") { out in
            for (index, tenant) in tenancy.tenants.enumerated() {
                var summary = "`\(tenant.name)`"
                if let schema = tenant.schema {
                    summary += ": schema `\(schema)`"
                }
                if let database = databases[index] {
                    summary += (tenant.schema == nil ? ": " : " in ") + "database `\(database.name)` on cluster `\(database.cluster)`"
                }
                out.doc(summary + ".")
                out.line("case \(tenantCases[index]) = \(index)")
            }
            out.line()
            renderIndexedCases(&out, type: "Tenant", noun: "tenant", cases: tenantCases)
            out.line()
            out.doc("The tenant's name.")
            out.line("public var name: String { Self.names[rawValue] }")
            if hasSchemas {
                out.doc("The schema that holds the tenant's tables (set it as `search_path`).")
                out.line("public var schema: String { Self.schemas[rawValue] }")
            }
            if complete {
                out.doc("The database that holds the tenant's rows.")
                out.line("public var database: String { Self.databases[rawValue] }")
                out.doc("The cluster that serves the tenant.")
                out.line("public var cluster: Cluster { Self.clusters[rawValue] }")
            }
            out.line()
            out.packedTable("names", .strings(tenancy.tenants.map(\.name)))
            if hasSchemas {
                out.packedTable("schemas", .strings(tenancy.tenants.compactMap(\.schema)))
            }
            if complete {
                let found = databases.compactMap { $0 }
                out.packedTable("databases", .strings(found.map(\.name)))
                out.packedTable("clusters", .cases(found.map { clusterPositions[$0.cluster] ?? 0 }, type: "Cluster"))
            }
        }
    }
}
