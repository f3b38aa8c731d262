/// A plan's per-database objects by where they live; the first of each wins, as a search of the
/// plan's lists in order would find it.
struct DatabaseLookup: Sendable {
    /// A database in its cluster.
    struct Place: Hashable, Sendable {
        var cluster: String
        var database: String

        init(cluster: String, database: String) {
            self.cluster = cluster
            self.database = database
        }

        init(_ database: PlanDatabase) {
            self.init(cluster: database.cluster, database: database.name)
        }
    }

    var publications: [Place: PlanPublication] = [:]
    var slots: [Place: PlanSlot] = [:]
    /// By database name (audit tables are not per cluster).
    var auditTables: [String: PlanAuditTable] = [:]
    /// By shard index.
    var shards: [Int: PlanShard] = [:]
    /// By tenant name.
    var tenants: [String: PlanTenant] = [:]

    init(_ plan: Plan) {
        for publication in plan.replication.publications {
            let place = Place(cluster: publication.cluster, database: publication.database)
            if publications[place] == nil { publications[place] = publication }
        }
        for slot in plan.replication.slots {
            let place = Place(cluster: slot.cluster, database: slot.database)
            if slots[place] == nil { slots[place] = slot }
        }
        for audit in plan.replication.auditTables where auditTables[audit.database] == nil {
            auditTables[audit.database] = audit
        }
        for shard in plan.sharding?.shards ?? [] where shards[shard.index] == nil { shards[shard.index] = shard }
        for tenant in plan.tenancy?.tenants ?? [] where tenants[tenant.name] == nil { tenants[tenant.name] = tenant }
    }
}
