/// The routing spec: everything a router in any language needs to send a key to its shard.
///
/// `routing.json` holds it. The algorithm it names is the one ``TopologyRuntime`` implements
/// and the DDL's SQL shard function computes.
public struct RoutingSpec: Sendable, Codable, Equatable {
    /// The format version of this file.
    public var format: Int
    /// The topology's name.
    public var topology: String
    /// The version of topoc that wrote it.
    public var generator: String
    /// The deployment target the endpoints are for.
    public var target: DeploymentTarget
    /// The sharding, if any.
    public var sharding: PlanSharding?
    /// Which tables are sharded and by which column.
    public var tables: [RoutingTable]
    /// The endpoints of each cluster.
    public var clusters: [RoutingCluster]
    /// The PgBouncer endpoint (on Kubernetes the first cluster's Pooler: use each cluster's own).
    public var pooler: RoutingEndpoint
    /// The poolers' pool mode: a client can check a replica and read on it in one transaction
    /// (TopologyClient's checked reads through a read-only pool) unless it is `statement`.
    public var poolMode: PoolMode? = nil
    /// The topology's declared read consistency and staleness bound (what TopologyClient routes by).
    public var consistency: RoutingConsistency?
    /// How each kind of endpoint speaks TLS (absent without a `tls:` section: plain TCP and HTTP).
    public var tls: RoutingTLS? = nil

    /// Builds the spec from a plan.
    public init(plan: Plan) {
        format = 1
        topology = plan.topology
        generator = plan.generator
        target = plan.target
        sharding = plan.sharding
        tables = plan.tables.map {
            RoutingTable(name: $0.name, placement: $0.placement, shardKey: $0.shardKey, colocationGroup: $0.colocationGroup)
        }
        // Once for the plan: each pool's budget reads every database's tables.
        let writePools = Dictionary(grouping: PgBouncerPool.pools(of: plan).filter { !$0.readOnly }, by: \.cluster)
        let frontends = Dictionary(plan.pooler.frontends.map { ($0.cluster, $0) }, uniquingKeysWith: { first, _ in first })
        clusters = plan.clusters.map { cluster in
            let frontend = frontends[cluster.name]
            // PgBouncer serves every cluster on local and compose (`<pool>_ro` for reads); on
            // Kubernetes each cluster has its own Poolers, reached with the database's name.
            let kubernetes = plan.target == .kubernetes
            let pooler = plan.pooler(of: cluster)
            let readOnlyPooler = plan.readOnlyPooler(of: cluster)
            return RoutingCluster(
                name: cluster.name, shard: cluster.shard,
                readWrite: frontend.map { RoutingEndpoint(host: $0.host, port: $0.readWritePort) },
                readOnly: frontend.map { RoutingEndpoint(host: $0.readOnlyEndpointHost, port: $0.readOnlyPort) },
                members: cluster.members.map { RoutingEndpoint(host: $0.host, port: $0.port) },
                pooler: RoutingEndpoint(host: pooler.host, port: pooler.port),
                readOnlyPooler: readOnlyPooler.map { RoutingEndpoint(host: $0.host, port: $0.port) },
                databases: (writePools[cluster.name] ?? []).map {
                    kubernetes
                        ? RoutingDatabase(name: $0.database, pool: $0.database, readOnlyPool: $0.database)
                        : RoutingDatabase(name: $0.database, pool: $0.name, readOnlyPool: $0.name + PgBouncerPool.readOnlySuffix)
                },
                replicaReads: frontend?.memberReadOnly.map { ports in
                    ports.compactMap { entry in
                        cluster.members.first { $0.name == entry.member }.map {
                            RoutingMemberRead(
                                member: $0.name, readOnly: RoutingEndpoint(host: frontend?.host ?? $0.host, port: entry.port),
                                rest: RoutingEndpoint(host: $0.host, port: $0.restPort))
                        }
                    }
                })
        }
        pooler = RoutingEndpoint(host: plan.pooler.host, port: plan.pooler.port)
        poolMode = plan.pooler.mode
        consistency = RoutingConsistency(
            level: plan.guarantees.consistency,
            maxStalenessMilliseconds: plan.guarantees.maxStaleness.flatMap(TimeSpan.init(parsing:))?.milliseconds,
            rpo: plan.guarantees.rpo)
        tls = plan.tls.map { _ in
            RoutingTLS(
                pooler: ClusterLayout.tlsMode(of: .pgbouncer, in: plan), members: ClusterLayout.tlsMode(of: .postgres, in: plan),
                restAPI: ClusterLayout.tlsMode(of: .patroni, in: plan))
        }
    }
}

/// A table as routing sees it.
public struct RoutingTable: Sendable, Codable, Equatable {
    public var name: String
    public var placement: TablePlacement
    public var shardKey: String?
    public var colocationGroup: String?
}

/// A cluster's endpoints.
public struct RoutingCluster: Sendable, Codable, Equatable {
    public var name: String
    public var shard: Int?
    public var readWrite: RoutingEndpoint?
    public var readOnly: RoutingEndpoint?
    public var members: [RoutingEndpoint]
    /// The pooler that serves the cluster's databases: PgBouncer on local and compose (the same
    /// as the top-level `pooler`), the cluster's own `-pooler-rw` Pooler on Kubernetes.
    public var pooler: RoutingEndpoint? = nil
    /// Where the databases' `readOnlyPool` names connect: PgBouncer, or the cluster's
    /// `-pooler-ro` Pooler on Kubernetes (absent when the cluster has none).
    public var readOnlyPooler: RoutingEndpoint? = nil
    /// The cluster's databases and their PgBouncer pools.
    public var databases: [RoutingDatabase]? = nil
    /// Each member's own read-only frontend and its Patroni REST API (clusters of several members).
    public var replicaReads: [RoutingMemberRead]? = nil
}

/// A database and the PgBouncer pools that serve it.
public struct RoutingDatabase: Sendable, Codable, Equatable {
    /// The database's name.
    public var name: String
    /// The read-write pool (the leader).
    public var pool: String
    /// The read-only pool (HAProxy's `_ro` frontend).
    public var readOnlyPool: String
}

/// A member's read-only path: its own HAProxy frontend (open only while it is a replica) and its
/// Patroni REST API (where a health monitor reads its role, timeline and replay position).
public struct RoutingMemberRead: Sendable, Codable, Equatable {
    /// The member's name.
    public var member: String
    /// Its read-only frontend.
    public var readOnly: RoutingEndpoint
    /// Its Patroni REST API.
    public var rest: RoutingEndpoint
}

/// The declared read guarantees.
public struct RoutingConsistency: Sendable, Codable, Equatable {
    /// `guarantees.consistency`, if declared.
    public var level: ConsistencyLevel?
    /// `guarantees.max_staleness` in milliseconds, if declared.
    public var maxStalenessMilliseconds: Int64?
    /// `guarantees.rpo`, if declared.
    public var rpo: String?
}

/// The TLS mode of each kind of endpoint a client of the deployment connects to. A client
/// verifies a `verify-full` endpoint's certificate and address against the deployment's CA,
/// which it gets from its operator (the CA is never in the output folder).
public struct RoutingTLS: Sendable, Codable, Equatable {
    /// PgBouncer (`pooler`).
    public var pooler: TLS.Mode
    /// PostgreSQL, which each member's read-only frontend passes through to (HAProxy forwards
    /// TCP: the TLS session is the member's).
    public var members: TLS.Mode
    /// Patroni's REST API (HTTPS unless `disable`).
    public var restAPI: TLS.Mode
}

/// A host and port.
public struct RoutingEndpoint: Sendable, Codable, Equatable {
    public var host: String
    public var port: Int
}
