import Foundation
import TopologyCompiler

/// The shard part of the live check: on every shard database, a sample of each sharded table's
/// rows is run through the shard's own `topoc_shard_for(...)` (the function `TopologyRuntime`
/// and the router agree with) and compared with `topoc_this_shard()`.
struct LiveShardSampleCheck {
    let plan: Plan
    let locator: LiveLocator
    let target: LiveTarget
    /// Rows sampled per table and shard.
    let sampleSize: Int

    func run() -> LiveCheckPart {
        var part = LiveCheckPart(name: "shard placement")
        guard let sharding = plan.sharding else { return part }
        for database in plan.databases where database.kind == .shard && database.shard != nil {
            let scope = LiveScope(cluster: database.cluster, database: database.name)
            let layout = LiveDatabaseLayout(plan: plan, database: database)
            var relations: [(relation: String, name: String, table: PlanTable)] = []
            for schema in layout.schemas {
                for shape in schema.tables where shape.group == nil && shape.source.placement == .sharded {
                    relations.append((SQLQuoting.qualified(schema.schema, shape.name), "\(schema.schema).\(shape.name)", shape.source))
                }
            }
            guard !relations.isEmpty else { continue }
            guard let leader = target.clusters[database.cluster]?.reader else {
                part.skip(scope, "its cluster's leader is not reachable", at: locator.table(relations[0].table.name))
                continue
            }
            let sizes = leader.query(
                database: database.name,
                sql: relations.map {
                    "SELECT \(SQLQuoting.literal($0.relation)), reltuples::bigint FROM pg_catalog.pg_class WHERE oid = \(SQLQuoting.literal($0.relation))::regclass"
                }
                .joined(separator: " UNION ALL "))
            var estimates: [String: Int64] = [:]
            for row in sizes.rows where row.count == 2 { estimates[row[0]] = Int64(row[1]) }
            for (relation, name, table) in relations {
                let fact = LiveFact(.misroutedRows, scope, name)
                let location = locator.table(table.name)
                let sql = Self.query(
                    relation: relation, key: table.shardKey ?? sharding.key,
                    regionKey: Self.isRegional(sharding) ? sharding.regionKey : nil,
                    sampleSize: sampleSize, estimate: estimates[relation] ?? -1)
                let result = leader.query(database: database.name, sql: sql)
                guard result.status == 0, let row = result.rows.first, row.count == 3 else {
                    part.skip(scope, "\(leader.label): \(LiveCatalogCheck.firstLine(result.error))", at: location)
                    continue
                }
                let observed = row[1] == "0" ? Self.clean : "\(row[1]) of \(row[0]) sampled rows belong to other shards (key \(row[2]))"
                part.compare([LiveExpectation(fact, Self.clean, at: location)], [LiveObservation(fact, observed)], scopes: [scope]) { _ in
                    location
                }
            }
        }
        return part
    }

    /// The value of a shard fact without misrouted rows.
    static let clean = "no sampled row belongs to another shard"

    /// Whether the shard function takes the region too.
    static func isRegional(_ sharding: PlanSharding) -> Bool {
        sharding.strategy.regional
    }

    /// Sampled rows, misrouted rows and one misrouted key. Small tables are read whole (up to the
    /// sample size); larger ones through `TABLESAMPLE BERNOULLI` at a rate that yields about
    /// twice the sample size.
    static func query(relation: String, key: String, regionKey: String?, sampleSize: Int, estimate: Int64) -> String {
        let keyColumn = SQLQuoting.identifier(key)
        let arguments = regionKey.map { "\(SQLQuoting.identifier($0)), \(keyColumn)" } ?? keyColumn
        var source = relation
        if estimate > Int64(sampleSize) {
            let percent = min(100, 200.0 * Double(sampleSize) / Double(estimate))
            source += " TABLESAMPLE BERNOULLI (\(String(format: "%.6f", percent)))"
        }
        return """
            SELECT count(*), count(*) FILTER (WHERE s.misrouted), coalesce(min(s.k) FILTER (WHERE s.misrouted), '')
            FROM (SELECT \(keyColumn)::text AS k,
                         public.topoc_shard_for(\(arguments)) IS DISTINCT FROM public.topoc_this_shard() AS misrouted
                  FROM \(source) LIMIT \(sampleSize)) s
            """
    }
}
