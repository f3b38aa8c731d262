/// The physical clusters a topology deploys and the databases each one hosts, derived the way
/// ``Planner`` derives them (`makeClusters`, `makeDatabases` and `makeReplication`), so that rules
/// can count per-server resources (replication slots, WAL senders, pooled connections) before a
/// plan exists. The validator runs before the planner, and the planner also enumerates ports,
/// partitions and ring tokens that these rules do not need.
struct PhysicalClusterLayout {
    /// One Patroni scope: a cluster template, or one shard of the sharding template.
    struct PhysicalCluster {
        /// The Patroni scope, such as `main` or `shard-s3`.
        var name: String
        /// The template the cluster is made from.
        var template: Cluster
        /// The shard's region for geographic and composite sharding.
        var shardRegion: String?
        /// The databases the cluster hosts.
        var databases: [HostedDatabase]
        /// Whether it is a multi-primary member after the group's first: change data capture of
        /// the group's database reads the first member only (as the planner places the slot).
        var mirrorsMultiPrimary = false

        /// The region of each member: its own, else the shard's (as the planner places members).
        var memberRegions: [String?] { template.members.map { $0.region?.value ?? shardRegion } }

        /// Whether it is a shard after the first: its copies of the reference tables are not
        /// published (the planner publishes a reference table in the first shard only).
        var copiesReferenceTables = false

        /// The databases that publish logically captured tables: each holds one logical slot
        /// when the topology declares a sink.
        func logicalSlotDatabases(capturing logical: Set<String>, reference: Set<String> = []) -> [HostedDatabase] {
            databases.filter { database in
                database.kind != .vertical && !(mirrorsMultiPrimary && database.kind == .main)
                    && database.tables.contains {
                        logical.contains($0) && !(copiesReferenceTables && database.kind == .shard && reference.contains($0))
                    }
            }
        }
    }

    /// A database on a physical cluster.
    struct HostedDatabase {
        /// The database's name.
        var name: String
        /// Why the database exists.
        var kind: DatabaseKind
        /// The tables it holds (`table.group` for vertical groups).
        var tables: [String]
    }

    /// Every physical cluster, in the planner's order.
    var clusters: [PhysicalCluster]

    /// Derives the layout of a topology.
    init(topology: Topology) {
        var clusters: [PhysicalCluster] = []
        let sharding = topology.sharding
        for cluster in topology.clusters {
            if let sharding, sharding.cluster.value == cluster.name.value {
                for (index, shard) in Self.shardDescriptors(sharding).enumerated() {
                    let database = "\(topology.name.value)_\(shard.suffix)".replacingOccurrences(of: "-", with: "_")
                    clusters.append(
                        PhysicalCluster(
                            name: "\(cluster.name.value)-\(shard.suffix)", template: cluster, shardRegion: shard.region,
                            databases: [
                                HostedDatabase(name: database, kind: .shard, tables: topology.tables.map(\.name.value))
                            ], copiesReferenceTables: index > 0))
                }
            } else {
                clusters.append(PhysicalCluster(name: cluster.name.value, template: cluster, shardRegion: nil, databases: []))
            }
        }
        let mainCluster = topology.clusters.first { $0.name.value != sharding?.cluster.value }?.name.value
        func add(_ database: HostedDatabase, to cluster: String) {
            guard let index = clusters.firstIndex(where: { $0.name == cluster }) else { return }
            clusters[index].databases.append(database)
        }
        let databaseName = topology.name.value.replacingOccurrences(of: "-", with: "_")
        if sharding == nil, let mainCluster {
            if let tenancy = topology.tenancy, tenancy.mode.value == .databasePerTenant {
                let shared = Set(tenancy.sharedTables.map(\.value))
                add(HostedDatabase(name: databaseName, kind: .main, tables: shared.sorted()), to: mainCluster)
                for tenant in tenancy.tenants {
                    add(
                        HostedDatabase(
                            name: (tenancy.namePrefix.value + tenant.value).replacingOccurrences(of: "-", with: "_"),
                            kind: .tenant, tables: topology.tables.map(\.name.value).filter { !shared.contains($0) }),
                        to: mainCluster)
                }
            } else {
                // Every cluster of a multi-primary group holds its own writable copy of the database.
                var holders = [mainCluster]
                for cluster in topology.multiPrimaryGroups.flatMap(\.clusters) where !holders.contains(cluster.value) {
                    holders.append(cluster.value)
                }
                for cluster in holders {
                    add(HostedDatabase(name: databaseName, kind: .main, tables: topology.tables.map(\.name.value)), to: cluster)
                }
            }
        }
        for table in topology.tables {
            for group in table.verticalGroups {
                guard let cluster = group.cluster?.value ?? mainCluster,
                    let index = clusters.firstIndex(where: { $0.name == cluster })
                else { continue }
                let part = "\(table.name.value).\(group.name.value)"
                if let existing = clusters[index].databases.firstIndex(where: { $0.name == group.database.value }) {
                    clusters[index].databases[existing].tables.append(part)
                } else {
                    clusters[index].databases.append(HostedDatabase(name: group.database.value, kind: .vertical, tables: [part]))
                }
            }
        }
        let mirrors = topology.multiPrimaryMirrors
        for index in clusters.indices where mirrors.contains(clusters[index].name) {
            clusters[index].mirrorsMultiPrimary = true
        }
        self.clusters = clusters
    }

    /// A shard's naming suffix and region, in shard order, as the planner names them.
    static func shardDescriptors(_ sharding: Sharding) -> [(suffix: String, region: String?)] {
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

    /// The physical clusters made from a template.
    func clusters(of template: Cluster) -> [PhysicalCluster] {
        clusters.filter { $0.template.name.value == template.name.value }
    }
}

/// Small facts about clusters and guarantees that several rule families share.
enum ClusterFacts {
    /// PostgreSQL's default `max_connections`.
    static let defaultMaxConnections = 100
    /// PostgreSQL's default `max_wal_senders`.
    static let defaultMaxWalSenders = 10
    /// PostgreSQL's default `max_replication_slots`.
    static let defaultMaxReplicationSlots = 10
    /// PostgreSQL's default `superuser_reserved_connections`.
    static let superuserReservedConnections = 3

    /// The standbys of a cluster: every member but the leader.
    static func replicas(of cluster: Cluster) -> Int { max(cluster.members.count - 1, 0) }

    /// The settings decided for a cluster under the topology's guarantees.
    static func decisions(for cluster: Cluster, in topology: Topology) -> GuaranteeDecisions {
        GuaranteeDecisions.decide(for: cluster, guarantees: topology.guarantees)
    }

    /// Where a cluster's member count is written: the `members` value, or the first member.
    static func membersLocation(of cluster: Cluster) -> SourceLocation {
        cluster.members.first?.location ?? cluster.name.location
    }

    /// "1 member", "3 members".
    static func count(_ value: Int, _ noun: String, plural: String? = nil) -> String {
        "\(value) \(value == 1 ? noun : plural ?? noun + "s")"
    }

    /// The tables captured by logical replication.
    static func logicallyCaptured(_ topology: Topology) -> Set<String> {
        Set(topology.cdc?.tables.filter { $0.method.value == .logical }.map(\.table.value) ?? [])
    }

    /// The reference tables (copied to every shard).
    static func referenceTables(_ topology: Topology) -> Set<String> {
        Set(topology.sharding?.referenceTables.map(\.value) ?? [])
    }
}
