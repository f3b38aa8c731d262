/// Renders a plan for people: `topoc plan FILE`.
public enum PlanTextRenderer {
    /// The plan as indented text.
    public static func render(_ plan: Plan) -> String {
        var lines: [String] = []
        func add(_ text: String) { lines.append(text) }
        add("topology \(plan.topology) (PostgreSQL \(plan.postgresVersion), target \(plan.target.rawValue))")
        if !plan.regions.isEmpty { add("regions: \(plan.regions.joined(separator: ", "))") }
        let g = plan.guarantees
        let guarantees = [
            g.consistency.map { "consistency \($0.rawValue)" }, g.partition.map { "partition \($0.rawValue)" }, g.rpo.map { "rpo \($0)" },
            g.rto.map { "rto \($0)" }, g.maxStaleness.map { "max staleness \($0)" },
        ].compactMap { $0 }
        if !guarantees.isEmpty { add("guarantees: \(guarantees.joined(separator: ", "))") }
        add("")
        add("etcd:")
        for member in plan.etcd { add("  \(member.name)  \(member.host):\(member.clientPort) (peer \(member.peerPort))") }
        add("")
        add("clusters (\(plan.clusters.count)):")
        for cluster in plan.clusters {
            var header = "  \(cluster.name)"
            if let shard = cluster.shard { header += "  shard \(shard)" }
            let r = cluster.replication
            header += "  \(r.mode.rawValue)"
            if let count = r.syncCount { header += " sync_count=\(count)" }
            if r.strict == true { header += " strict" }
            header +=
                "  ttl=\(cluster.failover.ttl)s loop_wait=\(cluster.failover.loopWait)s retry_timeout=\(cluster.failover.retryTimeout)s"
            add(header)
            for member in cluster.members {
                let region = member.region.map { "  [\($0)]" } ?? ""
                add("    \(member.name)  \(member.role.rawValue)  \(member.host):\(member.port) rest \(member.restPort)\(region)")
            }
        }
        var shownTemplates: Set<String> = []
        for cluster in plan.clusters where shownTemplates.insert(cluster.template).inserted {
            add("")
            add("decided settings for \(cluster.template):")
            for setting in cluster.decisions {
                add("  \(setting.name) = \(setting.value)  (\(setting.reason))")
            }
        }
        add("")
        add(
            "pooler: pgbouncer \(plan.pooler.host):\(plan.pooler.port) mode=\(plan.pooler.mode.rawValue) rw pool \(plan.pooler.readWritePoolSize)"
                + (plan.pooler.readOnlyPoolSize.map { ", ro pool \($0)" } ?? ""))
        add("")
        add("databases (\(plan.databases.count)):")
        for database in plan.databases {
            add("  \(database.name) on \(database.cluster)  \(database.kind.rawValue)  tables: \(database.tables.joined(separator: ", "))")
        }
        if let sharding = plan.sharding {
            add("")
            var header = "sharding: \(sharding.strategy.rawValue) on \(sharding.key) (\(sharding.keyType.rawValue))"
            if let function = sharding.hashFunction { header += " via \(function) seed \(sharding.seed ?? 0)" }
            if let nodes = sharding.virtualNodes { header += ", \(nodes) virtual nodes per shard" }
            if let placement = sharding.tokenPlacement { header += ", \(placement.rawValue) token placement" }
            add(header)
            for shard in sharding.shards {
                var line = "  \(shard.index) \(shard.name) -> \(shard.cluster) / \(shard.database)"
                if let region = shard.region { line += " [\(region)]" }
                if sharding.strategy == .range {
                    line += "  [\(shard.rangeFrom ?? "-inf"), \(shard.rangeTo ?? "+inf"))"
                }
                if let ring = sharding.ring {
                    line += "  \(ring.filter { $0.shard == shard.index }.count) tokens"
                }
                add(line)
            }
        }
        add("")
        add("tables (\(plan.tables.count)):")
        for table in plan.tables {
            var line = "  \(table.name)  \(table.placement.rawValue)"
            if let key = table.shardKey { line += " by \(key)" }
            if let group = table.colocationGroup, group != table.name { line += " (co-located: \(group))" }
            add(line)
            if let first = table.partitions.first, let last = table.partitions.last {
                add("    \(table.partitions.count) partitions: \(first.name) ... \(last.name)")
            }
        }
        if let tenancy = plan.tenancy {
            add("")
            add("tenancy: \(tenancy.mode.rawValue), role \(plan.roles.application)" + (tenancy.column.map { ", column \($0)" } ?? ""))
            for tenant in tenancy.tenants {
                add(
                    "  \(tenant.name)" + (tenant.schema.map { "  schema \($0)" } ?? "") + (tenant.database.map { "  database \($0)" } ?? "")
                )
            }
        }
        if !plan.views.isEmpty {
            add("")
            add("views:")
            for view in plan.views {
                add(
                    "  \(view.name)\(view.materialized ? " (materialized)" : "")" + (view.refreshSchedule.map { " refresh '\($0)'" } ?? "")
                        + (view.refreshConcurrently ? " concurrently" : ""))
            }
        }
        let replication = plan.replication
        if !replication.publications.isEmpty || !replication.auditTables.isEmpty {
            add("")
            add("change data capture:")
            for publication in replication.publications {
                add(
                    "  publication \(publication.name) in \(publication.database): \(publication.tables.joined(separator: ", "))"
                        + (publication.publishViaPartitionRoot ? " (via partition root)" : ""))
            }
            for slot in replication.slots { add("  slot \(slot.name) in \(slot.database) (\(slot.plugin.rawValue)) on \(slot.cluster)") }
            for audit in replication.auditTables {
                add("  audit log \(audit.name) in \(audit.database): \(audit.tables.joined(separator: ", "))")
            }
        }
        if !plan.multiPrimaryGroups.isEmpty {
            add("")
            for group in plan.multiPrimaryGroups {
                add(
                    "multi-primary \(group.name): \(group.clusters.joined(separator: ", "))"
                        + (group.conflictPolicy.map { ", conflicts: \($0.rawValue)" } ?? ""))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
