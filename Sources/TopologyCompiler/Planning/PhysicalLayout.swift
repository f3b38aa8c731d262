/// The physical layout of a topology: the Patroni clusters it deploys, the shard each one serves
/// and the databases each one hosts.
///
/// This is the one derivation of the layout. ``Planner`` makes the plan's clusters, shards and
/// databases from it (adding members, ports, settings and ring tokens), and validation rules
/// count per-server resources on it (replication slots, WAL senders, pooled connections) before
/// a plan exists. It is pure and total: a topology that has not been validated yet (a negative
/// count, a vertical group without a cluster) gives a layout too, and the planner reports what
/// it cannot place.
struct PhysicalLayout {
    /// One Patroni scope: a cluster template, or one shard of the sharding template.
    struct PhysicalCluster {
        /// The Patroni scope, such as `main` or `shard-s3`.
        var name: String
        /// The template the cluster is made from.
        var template: Cluster
        /// The shard it serves, for the sharding template's clusters.
        var shard: Int?
        /// The shard's region for geographic and composite sharding.
        var shardRegion: String?
        /// The databases the cluster hosts, in ``PhysicalLayout/databases`` order.
        var databases: [Database] = []
        /// Whether it is a multi-primary member after the group's first: change data capture of
        /// the group's database reads the first member only.
        var mirrorsMultiPrimary = false

        /// The region of each member: its own, else the shard's.
        var memberRegions: [String?] { template.members.map { $0.region?.value ?? shardRegion } }

        /// Whether it is a shard after the first: its copies of the reference tables are not
        /// published (a reference table is published from the first shard only).
        var copiesReferenceTables: Bool { (shard ?? 0) > 0 }
    }

    /// One shard of the sharding template.
    struct Shard {
        /// Its position in shard order.
        var index: Int
        /// The naming suffix (`s3`, `eu`, `eu-s1`), also the shard's name in the plan.
        var suffix: String
        /// Its region for geographic and composite sharding.
        var region: String?
        /// The physical cluster that serves it.
        var cluster: String
        /// The database that holds its rows.
        var database: String
    }

    /// A database on a physical cluster.
    struct Database {
        /// The database's name.
        var name: String
        /// The physical cluster that hosts it.
        var cluster: String
        /// Why the database exists.
        var kind: DatabaseKind
        /// The shard it holds, if any.
        var shard: Int?
        /// The tenant it holds, if any.
        var tenant: String?
        /// The tables it holds (`table.group` for vertical groups), sorted.
        var tables: [String]
        /// Where the name it is derived from is written, for names topoc derives (a vertical
        /// group's database is named by the user and checked where it is declared).
        var derivedFrom: SourceLocation?
    }

    /// A vertical group that names no cluster in a topology whose every cluster is a sharding
    /// template: it has nowhere to go.
    struct UnplacedGroup {
        /// The group's name.
        var name: String
        /// Where it is declared.
        var location: SourceLocation
    }

    /// Every physical cluster, in topology order (a sharding template's shards in shard order).
    var clusters: [PhysicalCluster]
    /// The shards in shard order; empty without sharding.
    var shards: [Shard]
    /// Every database: the shards' (in shard order), else the main database on each cluster
    /// that holds it or the shared and tenant databases, then the vertical groups'.
    var databases: [Database]
    /// The first cluster that is not the sharding template: it holds the main database.
    var mainCluster: String?
    /// Vertical groups with no cluster to go to.
    var unplacedGroups: [UnplacedGroup]

    /// Derives the layout of a topology.
    init(topology: Topology) {
        let sharding = topology.sharding
        let allTables = topology.tables.map(\.name.value).sorted()
        var clusters: [PhysicalCluster] = []
        var shards: [Shard] = []
        var databases: [Database] = []
        for cluster in topology.clusters {
            guard let sharding, sharding.cluster.value == cluster.name.value else {
                clusters.append(PhysicalCluster(name: cluster.name.value, template: cluster))
                continue
            }
            for (index, shard) in Self.shardDescriptors(sharding).enumerated() {
                let name = "\(cluster.name.value)-\(shard.suffix)"
                let database = Self.databaseName("\(topology.name.value)_\(shard.suffix)")
                clusters.append(PhysicalCluster(name: name, template: cluster, shard: index, shardRegion: shard.region))
                shards.append(Shard(index: index, suffix: shard.suffix, region: shard.region, cluster: name, database: database))
                databases.append(
                    Database(
                        name: database, cluster: name, kind: .shard, shard: index, tables: allTables,
                        derivedFrom: sharding.location))
            }
        }
        let mainCluster = topology.clusters.first { $0.name.value != sharding?.cluster.value }?.name.value
        if sharding == nil, let mainCluster {
            let name = Self.databaseName(topology.name.value)
            if let tenancy = topology.tenancy, tenancy.mode.value == .databasePerTenant {
                let shared = Set(tenancy.sharedTables.map(\.value))
                databases.append(
                    Database(
                        name: name, cluster: mainCluster, kind: .main, tables: shared.sorted(),
                        derivedFrom: topology.name.location))
                for tenant in tenancy.tenants {
                    databases.append(
                        Database(
                            name: Self.databaseName(tenancy.namePrefix.value + tenant.value), cluster: mainCluster,
                            kind: .tenant, tenant: tenant.value, tables: allTables.filter { !shared.contains($0) },
                            derivedFrom: tenant.location))
                }
            } else {
                // Every cluster of a multi-primary group holds its own writable copy of the database.
                var holders = [mainCluster]
                for cluster in topology.multiPrimaryGroups.flatMap(\.clusters) where !holders.contains(cluster.value) {
                    holders.append(cluster.value)
                }
                for cluster in holders {
                    databases.append(
                        Database(
                            name: name, cluster: cluster, kind: .main, tables: allTables, derivedFrom: topology.name.location))
                }
            }
        }
        var unplaced: [UnplacedGroup] = []
        for table in topology.tables {
            for group in table.verticalGroups {
                guard let cluster = group.cluster?.value ?? mainCluster else {
                    unplaced.append(UnplacedGroup(name: group.name.value, location: group.name.location))
                    continue
                }
                let part = "\(table.name.value).\(group.name.value)"
                if let index = databases.firstIndex(where: { $0.name == group.database.value && $0.cluster == cluster }) {
                    databases[index].tables.append(part)
                    databases[index].tables.sort()
                } else {
                    databases.append(Database(name: group.database.value, cluster: cluster, kind: .vertical, tables: [part]))
                }
            }
        }
        let byCluster = Dictionary(grouping: databases, by: \.cluster)
        let mirrors = topology.multiPrimaryMirrors
        for index in clusters.indices {
            clusters[index].databases = byCluster[clusters[index].name] ?? []
            clusters[index].mirrorsMultiPrimary = mirrors.contains(clusters[index].name)
        }
        self.clusters = clusters
        self.shards = shards
        self.databases = databases
        self.mainCluster = mainCluster
        self.unplacedGroups = unplaced
    }

    /// The physical clusters made from a template.
    func clusters(of template: Cluster) -> [PhysicalCluster] {
        clusters.filter { $0.template.name.value == template.name.value }
    }

    /// A database name derived from a topology, shard or tenant name: PostgreSQL identifiers
    /// that topoc derives use `_` where the names use `-`.
    static func databaseName(_ name: String) -> String {
        name.replacingOccurrences(of: "-", with: "_")
    }

    /// A shard's naming suffix and region, in shard order.
    private static func shardDescriptors(_ sharding: Sharding) -> [(suffix: String, region: String?)] {
        switch sharding.strategy.value {
        case .hashModulo, .consistentHash, .jumpHash:
            return (0..<max(sharding.shardCount?.value ?? 0, 0)).map { ("s\($0)", nil) }
        case .range:
            return sharding.ranges.indices.map { ("s\($0)", nil) }
        case .geographic:
            return sharding.regionShards.map { ($0.region.value, $0.region.value) }
        case .composite:
            return sharding.regionShards.flatMap { entry in
                (0..<max(entry.shards.value, 0)).map { ("\(entry.region.value)-s\($0)", entry.region.value) }
            }
        }
    }
}
