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
    /// The PgBouncer endpoint.
    public var pooler: RoutingEndpoint

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
        clusters = plan.clusters.map { cluster in
            let frontend = plan.pooler.frontends.first { $0.cluster == cluster.name }
            return RoutingCluster(
                name: cluster.name, shard: cluster.shard,
                readWrite: frontend.map { RoutingEndpoint(host: $0.host, port: $0.readWritePort) },
                readOnly: frontend.map { RoutingEndpoint(host: $0.readOnlyEndpointHost, port: $0.readOnlyPort) },
                members: cluster.members.map { RoutingEndpoint(host: $0.host, port: $0.port) })
        }
        pooler = RoutingEndpoint(host: plan.pooler.host, port: plan.pooler.port)
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
}

/// A host and port.
public struct RoutingEndpoint: Sendable, Codable, Equatable {
    public var host: String
    public var port: Int
}
