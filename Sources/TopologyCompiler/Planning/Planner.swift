import Foundation

/// Resolves a ``Topology`` into the ``Plan`` of one deployment target.
///
/// The planner decides names (clusters, members, databases, partitions), hosts and ports, and
/// enumerates shards and partitions. It reports what it cannot resolve as diagnostics.
public struct Planner {
    /// The most partitions topoc generates for one table.
    public static let maxPartitionsPerTable = 5000

    let topology: Topology
    let target: DeploymentTarget
    let context = DecodingContext()
    /// The clusters, shards and databases, derived once (the rules count on the same layout).
    let layout: PhysicalLayout
    private var ports: PortAllocator
    /// The compilation's rings, placed once for the validator and every target's plan.
    let rings: RingCache

    /// Creates a planner for a target.
    public init(topology: Topology, target: DeploymentTarget) {
        self.init(topology: topology, target: target, rings: RingCache())
    }

    /// Creates a planner for a target that takes its rings from `rings`.
    init(topology: Topology, target: DeploymentTarget, rings: RingCache) {
        self.topology = topology
        self.target = target
        self.layout = PhysicalLayout(topology: topology)
        self.ports = PortAllocator(base: topology.deployment.localBasePort.value, target: target)
        self.rings = rings
    }

    /// The plan, or nil with diagnostics when it cannot be made.
    public mutating func makePlan() -> (plan: Plan?, diagnostics: [Diagnostic]) {
        let etcd = makeEtcd()
        let clusters = makeClusters()
        let sharding = makeSharding()
        let databases = makeDatabases(sharding: sharding)
        let tables = makeTables(sharding: sharding, databases: databases)
        let pooler = makePooler(clusters: clusters)
        let roles = makeRoles()
        let tenancy = makeTenancy(databases: databases, roles: roles)
        let views = topology.views.map { view in
            PlanView(
                name: view.name.value, materialized: view.materialized.value, query: view.query.value,
                uniqueKey: view.uniqueKey.map(\.value),
                refreshSchedule: view.refreshSchedule?.value.expression,
                refreshConcurrently: view.refreshConcurrently?.value ?? false,
                databases: dataDatabases(databases))
        }
        let replication = makeReplication(tables: tables, databases: databases)
        guard ports.ok else {
            context.report(
                .planLimit,
                "the local target needs ports up to \(ports.next - 1), above 65535; lower 'deployment.local.base_port' or the member count",
                at: topology.deployment.localBasePort.location)
            return (nil, context.diagnostics)
        }
        if target == .local, let pinned = topology.deployment.localPgBouncerPort,
            (topology.deployment.localBasePort.value..<ports.next).contains(pinned.value)
        {
            context.report(
                .invalidValue,
                "'pgbouncer_port' \(pinned.value) is one of the ports the local target counts up from 'base_port' (\(topology.deployment.localBasePort.value)-\(ports.next - 1)); choose a port outside them",
                at: pinned.location)
            return (nil, context.diagnostics)
        }
        let backup = makeBackup()
        let plan = Plan(
            topology: topology.name.value, generator: TopocVersion.current,
            postgresVersion: topology.postgresVersion.value, target: target,
            localPostgresBin: target == .local ? topology.deployment.localPostgresBin?.value : nil,
            regions: topology.regions.map(\.name.value),
            guarantees: PlanGuarantees(
                consistency: topology.guarantees.consistency?.value,
                partition: topology.guarantees.partition?.value,
                rpo: topology.guarantees.rpo?.value.description, rto: topology.guarantees.rto?.value.description,
                maxStaleness: topology.guarantees.maxStaleness?.value.description),
            secrets: PlanSecrets(
                superuser: topology.secrets.superuser.environmentVariable.value,
                replication: topology.secrets.replication.environmentVariable.value,
                app: topology.secrets.application.environmentVariable.value,
                restAPI: topology.secrets.restAPI.environmentVariable.value,
                readOnly: topology.secrets.readOnly.environmentVariable.value,
                changeDataCapture: topology.secrets.changeDataCapture.environmentVariable.value,
                poolerAuth: topology.secrets.poolerAuth.environmentVariable.value,
                poolerAdmin: topology.secrets.poolerAdmin.environmentVariable.value,
                rewind: topology.secrets.rewind.environmentVariable.value,
                multiPrimary: topology.secrets.multiPrimary.environmentVariable.value,
                monitor: topology.secrets.monitor.environmentVariable.value),
            roles: roles,
            etcd: etcd, clusters: clusters, pooler: pooler, databases: databases, sharding: sharding, tables: tables,
            tenancy: tenancy, views: views, replication: replication,
            multiPrimaryGroups: Self.multiPrimaryGroups(topology, databases: databases),
            namespace: target == .kubernetes ? KubernetesNames.namespace(topology: topology.name.value) : nil,
            tls: PlanTLS.resolve(topology.tls), backup: backup, kubernetes: makeKubernetes(backup: backup))
        checkComposeTarget(plan)
        checkKubernetesTarget(plan)
        checkNames(plan)
        let budgeted = budgetLocks(plan)
        if context.diagnostics.hasErrors { return (nil, context.diagnostics) }
        return (budgeted, context.diagnostics)
    }

    /// Sets `max_locks_per_transaction` on every cluster whose largest database script needs more
    /// lock-table room than PostgreSQL's default gives (``LockBudget``); a pinned value that is too
    /// small is an error at the setting.
    private mutating func budgetLocks(_ plan: Plan) -> Plan {
        var plan = plan
        let locksOf = LockBudget.locksByDatabase(in: plan)
        var largest: [String: Int] = [:]
        for database in plan.databases {
            largest[database.cluster] = max(largest[database.cluster] ?? 0, locksOf[database.name] ?? 0)
        }
        for index in plan.clusters.indices {
            let cluster = plan.clusters[index]
            let locks = largest[cluster.name] ?? 0
            let connections = cluster.settings["max_connections"].flatMap { Int($0) } ?? 100
            let required = LockBudget.requiredMaxLocksPerTransaction(locks: locks, maxConnections: connections)
            let pinned = topology.clusters.first { $0.name.value == cluster.template }?.settings.maxLocksPerTransaction
            if let pinned {
                plan.clusters[index].settings["max_locks_per_transaction"] = String(pinned.value)
                if let required, pinned.value < required {
                    context.report(
                        .planLimit,
                        "cluster '\(cluster.name)': a database script holds up to \(locks) locks until it commits, which needs "
                            + "max_locks_per_transaction \(required) with max_connections \(connections); raise it or remove the "
                            + "setting (topoc then derives it)",
                        at: pinned.location)
                }
            } else if let required {
                plan.clusters[index].settings["max_locks_per_transaction"] = String(required)
            }
        }
        return plan
    }

    // MARK: etcd and clusters

    /// One etcd cluster for the deployment, or one per region for a multi-primary topology
    /// (``dcsRegions(_:)``): three members each under compose, one on loopback.
    private mutating func makeEtcd() -> [PlanEtcdMember] {
        let regions = Self.dcsRegions(topology)
        var members: [PlanEtcdMember] = []
        for region in regions.isEmpty ? [nil] : regions.map(Optional.some) {
            let prefix = region.map { "etcd-\($0)-" } ?? "etcd"
            switch target {
            case .compose:
                members += (1...3).map {
                    PlanEtcdMember(name: "\(prefix)\($0)", host: "\(prefix)\($0)", clientPort: 2379, peerPort: 2380, region: region)
                }
            case .local:
                let client = ports.take()
                let peer = ports.take()
                members.append(PlanEtcdMember(name: "\(prefix)1", host: "127.0.0.1", clientPort: client, peerPort: peer, region: region))
            case .kubernetes:
                // CloudNativePG keeps each cluster's state in the Kubernetes API: no etcd.
                break
            }
        }
        return members
    }

    /// The physical clusters of the layout, with members, ports and settings.
    private mutating func makeClusters() -> [PlanCluster] {
        layout.clusters.map { physicalCluster($0.template, name: $0.name, shard: $0.shard, region: $0.shardRegion) }
    }

    private mutating func physicalCluster(_ cluster: Cluster, name: String, shard: Int?, region: String?) -> PlanCluster {
        var members: [PlanMember] = []
        for (index, member) in cluster.members.enumerated() {
            let memberName = "\(name)-\(index)"
            let role: MemberRole = index == 0 ? .leader : member.noFailover ? .replicaNoFailover : .replica
            let host: String
            let port: Int
            let restPort: Int
            let dataDirectory: String
            switch target {
            case .compose:
                host = memberName
                port = 5432
                restPort = 8008
                dataDirectory = "/var/lib/postgresql/data"
            case .local:
                host = "127.0.0.1"
                port = ports.take()
                restPort = ports.take()
                dataDirectory = "\(topology.deployment.localRunDirectory.value)/\(memberName)"
            case .kubernetes:
                // CloudNativePG names a cluster's pods <cluster>-1, -2, ...; its instance manager
                // serves status on 8000 and PGDATA is fixed.
                host = KubernetesNames.pod(cluster: name, ordinal: index + 1)
                port = 5432
                restPort = 8000
                dataDirectory = KubernetesNames.dataDirectory
            }
            members.append(
                PlanMember(
                    name: memberName, role: role, region: member.region?.value ?? region, host: host, port: port,
                    restPort: restPort, dataDirectory: dataDirectory, noFailover: member.noFailover))
            if memberName.utf8.count > NameRules.maxIdentifierBytes {
                context.report(
                    .planLimit, "member name '\(memberName)' is longer than 63 bytes; shorten the cluster or region name",
                    at: cluster.name.location)
            }
        }
        let settings = cluster.settings
        var parameters: [String: String] = [:]
        if let value = settings.maxConnections { parameters["max_connections"] = String(value.value) }
        if let value = settings.maxWalSenders { parameters["max_wal_senders"] = String(value.value) }
        if let value = settings.maxReplicationSlots { parameters["max_replication_slots"] = String(value.value) }
        if let value = settings.sharedBuffers { parameters["shared_buffers"] = value.value.description }
        parameters["max_slot_wal_keep_size"] = SlotRetention.parameter(settings)
        let decisions = GuaranteeDecisions.decide(for: cluster, guarantees: topology.guarantees)
        return PlanCluster(
            name: name, template: cluster.name.value, shard: shard, members: members,
            replication: PlanReplicationSettings(
                mode: cluster.replication.mode.value, syncCount: cluster.replication.syncCount?.value,
                strict: cluster.replication.strict?.value,
                maximumLagOnFailoverBytes: cluster.replication.maximumLagOnFailover?.value.bytes),
            failover: PlanFailover(
                ttl: decisions.ttl, loopWait: decisions.loopWait, retryTimeout: decisions.retryTimeout,
                watchdog: cluster.failover.watchdog.value),
            settings: parameters, decisions: decisions.settings)
    }

    // MARK: Sharding

    private func makeSharding() -> PlanSharding? {
        guard let sharding = topology.sharding else { return nil }
        var shards: [PlanShard] = []
        for descriptor in layout.shards {
            var shard = PlanShard(
                index: descriptor.index, name: descriptor.suffix, cluster: descriptor.cluster, database: descriptor.database,
                region: descriptor.region, rangeFrom: nil, rangeTo: nil)
            if sharding.strategy.value == .range {
                shard.rangeFrom = sharding.ranges[descriptor.index].lower?.value.description
                shard.rangeTo = sharding.ranges[descriptor.index].upper?.value.description
            }
            shards.append(shard)
        }
        let hashing = sharding.strategy.value.hashes || sharding.strategy.value == .composite
        var ring: [PlanRingToken]?
        let virtualNodes = sharding.virtualNodes?.value ?? RingLayout.defaultVirtualNodes
        let placement = sharding.tokenPlacement?.value ?? .hashed
        if sharding.strategy.value == .consistentHash {
            ring = RingLayout.tokens(shardNames: shards.map(\.name), virtualNodes: virtualNodes, placement: placement, rings: rings)
        } else if sharding.strategy.value == .composite, uses(sharding, .consistentHash) {
            // One ring per region over that region's shards; tokens carry global shard indices.
            ring = []
            for entry in sharding.regionShards {
                let regional = shards.filter { $0.region == entry.region.value }
                let tokens = RingLayout.tokens(
                    shardNames: regional.map(\.name), virtualNodes: virtualNodes, placement: placement, rings: rings)
                ring?.append(
                    contentsOf: tokens.map {
                        PlanRingToken(token: $0.token, shard: regional[$0.shard].index, region: entry.region.value)
                    })
            }
        }
        return PlanSharding(
            strategy: sharding.strategy.value, key: sharding.key.value, keyType: sharding.keyType.value,
            hashFunction: hashing ? RingLayout.hashFunction(for: sharding.keyType.value, strategy: effectiveHash(sharding)) : nil,
            seed: hashing ? RingLayout.seed(strategy: effectiveHash(sharding)) : nil,
            virtualNodes: uses(sharding, .consistentHash) ? sharding.virtualNodes?.value ?? RingLayout.defaultVirtualNodes : nil,
            tokenPlacement: uses(sharding, .consistentHash) && placement != .hashed ? placement : nil,
            regionKey: sharding.regionKey?.value, withinRegion: sharding.withinRegion?.value,
            shards: shards, ring: ring)
    }

    private func effectiveHash(_ sharding: Sharding) -> ShardingStrategy {
        sharding.strategy.value == .composite ? sharding.withinRegion?.value ?? .hashModulo : sharding.strategy.value
    }

    private func uses(_ sharding: Sharding, _ strategy: ShardingStrategy) -> Bool {
        effectiveHash(sharding) == strategy
    }

    // MARK: Databases and tables

    /// The layout's databases; reports the names topoc derives that PostgreSQL would truncate,
    /// vertical groups with nowhere to go, and a topology that places no database.
    private func makeDatabases(sharding: PlanSharding?) -> [PlanDatabase] {
        if let tenancy = topology.tenancy, tenancy.mode.value != .sharedSchema, sharding != nil {
            context.report(
                .inapplicableKey,
                "\(tenancy.mode.value.rawValue) tenancy already places each tenant; it cannot be combined with 'sharding' in language version 1",
                at: tenancy.mode.location)
        }
        for database in layout.databases {
            guard let location = database.derivedFrom, database.name.utf8.count > NameRules.maxIdentifierBytes else { continue }
            // A tenant's database name is refused earlier, at the tenant (TTN605).
            context.report(
                .identifierTooLong, "derived database name '\(database.name)' is longer than 63 bytes; shorten the topology name",
                at: location)
        }
        for group in layout.unplacedGroups {
            context.report(.missingKey, "vertical group '\(group.name)' needs 'cluster' in a sharded topology", at: group.location)
        }
        if layout.databases.isEmpty {
            context.report(
                .missingKey, "the topology places no database: declare a cluster that is not the sharding template",
                at: topology.name.location)
        }
        return layout.databases.map {
            PlanDatabase(name: $0.name, cluster: $0.cluster, kind: $0.kind, shard: $0.shard, tenant: $0.tenant, tables: $0.tables)
        }
    }

    /// The databases that hold application tables (not vertical-only ones).
    private func dataDatabases(_ databases: [PlanDatabase]) -> [String] {
        databases.filter { $0.kind != .vertical }.map(\.name)
    }

    private func makeTables(sharding: PlanSharding?, databases: [PlanDatabase]) -> [PlanTable] {
        let reference = Set(topology.sharding?.referenceTables.map(\.value) ?? [])
        let shared = Set(topology.tenancy?.sharedTables.map(\.value) ?? [])
        var groupOf: [String: String] = [:]
        for group in topology.sharding?.colocationGroups ?? [] {
            for table in group.tables { groupOf[table.value] = group.name.value }
        }
        // The databases holding each table, in database order: one pass over the databases
        // (a filter per table was quadratic in the table count), one lookup per database and
        // table it holds (a sharded table is in every shard database).
        var position: [String: Int] = [:]
        for (index, table) in topology.tables.enumerated() where position[table.name.value] == nil {
            position[table.name.value] = index
        }
        var holdersOf = [[String]](repeating: [], count: topology.tables.count)
        // The last database that added itself to each table: a table listed twice is held once.
        var heldBy = [Int](repeating: -1, count: topology.tables.count)
        for (number, database) in databases.enumerated() where database.kind != .vertical {
            for table in database.tables {
                guard let index = position[table], heldBy[index] != number else { continue }
                heldBy[index] = number
                holdersOf[index].append(database.name)
            }
        }
        return topology.tables.map { table in
            let placement: TablePlacement =
                sharding == nil
                ? .single : reference.contains(table.name.value) || shared.contains(table.name.value) ? .reference : .sharded
            let holders = position[table.name.value].map { holdersOf[$0] } ?? []
            return PlanTable(
                name: table.name.value, placement: placement,
                shardKey: placement == .sharded ? (table.shardKey ?? topology.sharding?.key)?.value : nil,
                colocationGroup: placement == .sharded ? groupOf[table.name.value] ?? table.name.value : nil,
                databases: holders, partitions: table.partitioning.map { partitions(of: table, $0) } ?? [],
                schema: schema(of: table), renamedFrom: table.renamedFrom?.value)
        }
    }

    // MARK: Pooling and tenancy

    private mutating func makePooler(clusters: [PlanCluster]) -> PlanPooler {
        let pooling = topology.pooling
        let namespace = KubernetesNames.namespace(topology: topology.name.value)
        let host: String
        let port: Int
        switch target {
        case .compose:
            (host, port) = ("pgbouncer", 6432)
        case .local:
            (host, port) = ("127.0.0.1", topology.deployment.localPgBouncerPort?.value ?? ports.take())
        case .kubernetes:
            // One Pooler per cluster and pool; the plan's single pooler endpoint is the first
            // cluster's read-write Pooler (docs/kubernetes.md).
            let first = clusters.first?.name ?? topology.name.value
            (host, port) = (
                KubernetesNames.serviceHost(KubernetesNames.pooler(cluster: first, readOnly: false), namespace: namespace), 5432
            )
        }
        var frontends: [PlanFrontend] = []
        for cluster in clusters {
            switch target {
            case .compose:
                frontends.append(
                    PlanFrontend(
                        cluster: cluster.name, host: "haproxy", readWritePort: 5000 + 2 * frontends.count,
                        readOnlyPort: 5001 + 2 * frontends.count))
            case .local:
                let rw = ports.take()
                let ro = ports.take()
                frontends.append(PlanFrontend(cluster: cluster.name, host: "127.0.0.1", readWritePort: rw, readOnlyPort: ro))
            case .kubernetes:
                frontends.append(
                    PlanFrontend(
                        cluster: cluster.name, host: KubernetesNames.serviceHost("\(cluster.name)-rw", namespace: namespace),
                        readWritePort: 5432, readOnlyPort: 5432,
                        readOnlyHost: KubernetesNames.serviceHost("\(cluster.name)-ro", namespace: namespace)))
            }
        }
        let stalenessAgentPort = target == .local && topology.guarantees.maxStaleness != nil ? ports.take() : nil
        // Per-member read-only frontends, taken after every other port so that adding them moved
        // no existing endpoint.
        var composeMemberPort = 5500
        // One frontend per cluster, in the clusters' order.
        for (index, cluster) in zip(frontends.indices, clusters) {
            guard target != .kubernetes, cluster.members.count > 1 else { continue }
            frontends[index].memberReadOnly = cluster.members.map { member in
                let port: Int
                if target == .local {
                    port = ports.take()
                } else {
                    port = composeMemberPort
                    composeMemberPort += 1
                }
                return PlanMemberPort(member: member.name, port: port)
            }
        }
        return PlanPooler(
            host: host, port: port, mode: pooling.mode.value,
            maxClientConnections: pooling.maxClientConnections.value, readWritePoolSize: pooling.readWrite.size.value,
            readWriteReserve: pooling.readWrite.reserve.value, readOnlyPoolSize: pooling.readOnly?.size.value,
            readOnlyReserve: pooling.readOnly?.reserve.value, frontends: frontends,
            publishAddress: target == .compose ? topology.deployment.composePublishAddress?.value : nil,
            version: pooling.version.description, maxPreparedStatements: PlanPooler.maxPreparedStatements(pooling),
            stalenessAgentPort: stalenessAgentPort)
    }

    private func makeTenancy(databases: [PlanDatabase], roles: PlanRoles) -> PlanTenancy? {
        guard let tenancy = topology.tenancy else { return nil }
        let tenants = tenancy.tenants.map { tenant -> PlanTenant in
            let role = PlanNames.tenantRole(application: roles.application, tenant: tenant.value)
            let variable = PlanNames.tenantPasswordVariable(
                application: topology.secrets.application.environmentVariable.value, tenant: tenant.value)
            if tenancy.mode.value != .sharedSchema, role.utf8.count > NameRules.maxIdentifierBytes {
                context.report(
                    .identifierTooLong, "tenant role name '\(role)' (the application role, '_' and the tenant) is longer than 63 bytes",
                    at: tenant.location)
            }
            switch tenancy.mode.value {
            case .sharedSchema:
                return PlanTenant(name: tenant.value, schema: nil, database: nil)
            case .schemaPerTenant:
                let schema = tenancy.namePrefix.value + tenant.value
                if schema.utf8.count > NameRules.maxIdentifierBytes {
                    context.report(.identifierTooLong, "tenant schema name '\(schema)' is longer than 63 bytes", at: tenant.location)
                }
                return PlanTenant(name: tenant.value, schema: schema, database: nil, role: role, passwordVariable: variable)
            case .databasePerTenant:
                return PlanTenant(
                    name: tenant.value, schema: nil, database: databases.first { $0.tenant == tenant.value }?.name, role: role,
                    passwordVariable: variable)
            }
        }
        return PlanTenancy(
            mode: tenancy.mode.value, column: tenancy.column?.value,
            columnType: tenancy.mode.value == .sharedSchema ? tenancy.columnType?.value.description : nil,
            prefix: tenancy.namePrefix.value, sharedTables: tenancy.sharedTables.map(\.value), tenants: tenants)
    }

    /// The roles: the names the topology gives, else each kind's default (docs/roles.md).
    private func makeRoles() -> PlanRoles {
        let declared = topology.roles.names
        if let named = declared[.application], let tenancy = topology.tenancy, tenancy.applicationRole.value != named.value,
            tenancy.applicationRole.location != tenancy.location
        {
            context.report(
                .invalidValue,
                "the application role is named twice: roles.app '\(named.value)' and tenancy.app_role '\(tenancy.applicationRole.value)'; keep one",
                at: named.location)
        }
        let application = topology.applicationRole.value
        func name(_ kind: RoleKind) -> String {
            let name = declared[kind]?.value ?? kind.defaultName(application: application)
            if declared[kind] == nil, name.utf8.count > NameRules.maxIdentifierBytes {
                context.report(
                    .identifierTooLong,
                    "the default \(kind.key) role '\(name)' is longer than 63 bytes; name it under roles.\(kind.key) or shorten the application role",
                    at: topology.roles.location ?? topology.name.location)
            }
            return name
        }
        return PlanRoles(
            superuser: ClusterLayout.superuser, replication: ClusterLayout.replicationUser, rewind: name(.rewind),
            owner: name(.owner), application: application, readOnly: name(.readOnly), clients: name(.clients),
            changeDataCapture: name(.changeDataCapture), poolerAuth: name(.poolerAuth), poolerAdmin: name(.poolerAdmin),
            multiPrimary: name(.multiPrimary), monitor: name(.monitor), backup: name(.backup))
    }

    // MARK: Replication

    private func makeReplication(tables: [PlanTable], databases: [PlanDatabase]) -> PlanReplication {
        guard let cdc = topology.cdc else {
            return PlanReplication(sink: nil, publications: [], slots: [], auditTables: [])
        }
        let logical = cdc.tables.filter { $0.method.value == .logical }.map(\.table.value)
        let trigger = cdc.tables.filter { $0.method.value == .trigger }.map(\.table.value)
        var publications: [PlanPublication] = []
        var slots: [PlanSlot] = []
        var audits: [PlanAuditTable] = []
        let partitioned = Set(topology.tables.filter { $0.partitioning != nil }.map(\.name.value))
        // A multi-primary group's members all hold every change (their own and the ones they
        // apply), so a consumer on each would see each change once per member: the consumer's
        // slot lives on the group's first cluster only.
        let mirrors = topology.multiPrimaryMirrors
        // A reference table is copied to every shard, so its changes happen once per shard: it
        // is published in the first shard database that holds it only, and captured once.
        let reference = Set(tables.filter { $0.placement == .reference }.map(\.name))
        var referenceHome: [String: String] = [:]
        for database in databases where database.kind == .shard {
            for table in database.tables where reference.contains(table) && referenceHome[table] == nil {
                referenceHome[table] = database.name
            }
        }
        let captured = databases.filter { $0.kind != .vertical }.count
        for database in databases where database.kind != .vertical {
            let published = logical.filter {
                database.tables.contains($0) && (referenceHome[$0] == nil || referenceHome[$0] == database.name)
            }
            if !published.isEmpty {
                publications.append(
                    PlanPublication(
                        name: cdc.publication.value, database: database.name, cluster: database.cluster,
                        tables: published, publishViaPartitionRoot: published.contains(where: partitioned.contains)))
                let slot = captured == 1 ? cdc.slot.value : "\(cdc.slot.value)_\(database.name)"
                if slot.utf8.count > NameRules.maxIdentifierBytes {
                    context.report(.identifierTooLong, "derived slot name '\(slot)' is longer than 63 bytes", at: cdc.slot.location)
                }
                // A slot only for a consumer the topology declares (the Debezium sink): a slot
                // nobody reads holds back WAL on the leader and, as a Patroni permanent slot, on
                // every replica.
                if cdc.sink != nil && !(database.kind == .main && mirrors.contains(database.cluster)) {
                    slots.append(
                        PlanSlot(name: slot, database: database.name, cluster: database.cluster, plugin: cdc.plugin.value))
                }
            }
            let audited = trigger.filter(database.tables.contains)
            if !audited.isEmpty {
                audits.append(PlanAuditTable(name: cdc.auditTable.value, database: database.name, tables: audited))
            }
        }
        let sink = cdc.sink.map {
            PlanSink(
                topicPrefix: $0.topicPrefix.value, snapshotMode: $0.snapshotMode.value,
                bootstrapServers: $0.bootstrapServers?.value)
        }
        return PlanReplication(sink: sink, publications: publications, slots: slots, auditTables: audits)
    }
}

/// Hands out consecutive local ports and remembers whether they stayed in range.
struct PortAllocator {
    private(set) var next: Int
    let target: DeploymentTarget

    init(base: Int, target: DeploymentTarget) {
        self.next = base
        self.target = target
    }

    var ok: Bool { next <= 65536 }

    mutating func take() -> Int {
        defer { next += 1 }
        return next
    }
}
