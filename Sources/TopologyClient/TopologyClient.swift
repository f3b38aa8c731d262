import Foundation
import Logging
import PostgresNIO
import TopologyRuntime

/// A PostgreSQL client for a deployment topoc generated: it writes through PgBouncer's
/// read-write pools and reads at the consistency level each call asks for.
///
/// - `strong` reads go to the leader (PgBouncer's read-write pool).
/// - `read-your-writes` and `causal` reads go to a replica only if that replica has replayed the
///   session's token: the health monitor's last view picks the candidate, and the client checks
///   `pg_last_wal_replay_lsn()` on the very connection it then reads on (waiting up to
///   ``ClientConfiguration/replayWait``), else the leader serves. A token from an older timeline
///   than the leader's is never trusted.
/// - `eventual` reads go to a replica whose data is at most `max_staleness` old as time (the
///   replay of the leader's position, or its last replayed commit's timestamp), else the leader.
/// - A cluster without per-member read-only frontends (Kubernetes: CloudNativePG's `-pooler-ro`
///   picks the replica) gets the same rules checked on the pool's connection, inside the read's
///   own transaction (``ReplicaCheck``), against the leader's position read over SQL.
///
/// After each write transaction the client records the commit position
/// (`pg_current_wal_insert_lsn()` right after COMMIT, with its timeline) in the session.
/// Call ``run()`` in a task for the client's lifetime (it runs the pools and the monitor).
public final class TopologyClient: Sendable {
    /// The deployment.
    public let topology: ClientTopology
    /// How it connects and routes.
    public let configuration: ClientConfiguration

    let monitor: HealthMonitor
    let leaderWatch: LeaderWatch
    /// The TLS of each kind of endpoint.
    public let tls: EndpointTLS
    let router: MemberRouter
    let pools: [String: DatabasePools]
    let spread = SpreadCounter()
    private let logger = Logger(label: "topoc.client")

    /// The pools of one database.
    struct DatabasePools: Sendable {
        var cluster: String
        var clusterIndex: Int
        var writer: PostgresClient
        var readOnlyPool: PostgresClient
        /// One per member (its read-only frontend), indexed like the cluster's `replicaReads`.
        var replicas: [PostgresClient]
        var memberNames: [String]
        /// Whether reads below `strong` go through `readOnlyPool` with a replica check.
        var checksReadOnlyPool: Bool
    }

    /// Creates a client (nothing connects until ``run()``).
    ///
    /// - Parameters:
    ///   - topology: The deployment (`routing.json`).
    ///   - configuration: Credentials, the CA and routing options.
    /// - Throws: ``TopologyClientError/missingCertificateAuthority(_:)`` when an endpoint is
    ///   `verify-full` and the configuration names no CA, or the TLS library's error for a CA
    ///   file it cannot load.
    public init(topology: ClientTopology, configuration: ClientConfiguration) throws {
        self.topology = topology
        self.configuration = configuration
        let tls = try EndpointTLS(modes: topology.tls, caFile: configuration.caFile)
        self.tls = tls
        monitor = HealthMonitor(clusters: topology.clusters, api: PatroniAPIClient(tls: tls.restAPI, timeout: .seconds(1)))
        let staleness =
            configuration.maxStaleness ?? topology.consistency?.maxStalenessMilliseconds.map { .milliseconds($0) } ?? .seconds(5)
        router = MemberRouter(maxStaleness: staleness)
        leaderWatch = LeaderWatch(clusterCount: topology.clusters.count)
        var pools: [String: DatabasePools] = [:]
        for (index, cluster) in topology.clusters.enumerated() {
            for database in cluster.databases ?? [] {
                let checked =
                    switch configuration.readPath {
                    case .routed: cluster.readsThroughCheckedPool(poolMode: topology.poolMode)
                    case .checkedReadOnlyPool: cluster.readOnlyPooler != nil && topology.poolMode != "statement"
                    case .readOnlyPool: false
                    }
                let members = checked ? [] : cluster.replicaReads ?? []
                pools[database.name] = DatabasePools(
                    cluster: cluster.name, clusterIndex: index,
                    writer: Self.client(
                        cluster.pooler ?? topology.pooler, database: database.pool, configuration, tls: tls.pool(.pooler),
                        readOnly: false),
                    // PgBouncer refuses startup parameters it does not know (ignore_startup_parameters),
                    // so the `_ro` pool gets none; its servers are replicas, which refuse writes anyway.
                    readOnlyPool: Self.client(
                        cluster.readOnlyPooler ?? cluster.pooler ?? topology.pooler,
                        database: database.readOnlyPool, configuration, tls: tls.pool(.pooler), readOnly: false),
                    replicas: members.map {
                        Self.client($0.readOnly, database: database.name, configuration, tls: tls.pool(.members), readOnly: true)
                    },
                    memberNames: members.map(\.member), checksReadOnlyPool: checked)
            }
        }
        self.pools = pools
    }

    private static func client(
        _ endpoint: ClientTopology.Endpoint, database: String, _ configuration: ClientConfiguration,
        tls: PostgresClient.Configuration.TLS, readOnly: Bool
    ) -> PostgresClient {
        var config = PostgresClient.Configuration(
            host: endpoint.host, port: endpoint.port, username: configuration.username, password: configuration.password,
            database: database, tls: tls)
        config.options.maximumConnections = configuration.connectionsPerEndpoint
        config.options.connectTimeout = .seconds(2)
        config.options.keepAliveBehavior = nil
        if readOnly {
            // Belt and braces: the member frontends reach replicas only, which refuse writes anyway.
            config.options.additionalStartupParameters = [("default_transaction_read_only", "on")]
        }
        return PostgresClient(configuration: config)
    }

    /// The staleness bound of `eventual` reads.
    public var maxStaleness: Duration { router.maxStaleness }

    /// Runs the connection pools and the health monitor until the task is cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            for database in self.pools.values {
                for client in [database.writer, database.readOnlyPool] + database.replicas {
                    group.addTask { await client.run() }
                }
            }
            group.addTask { [monitor, configuration] in await monitor.run(interval: configuration.pollInterval) }
            group.addTask { [configuration] in await self.watchLeaders(interval: configuration.pollInterval) }
        }
    }

    /// Polls the deployment once (the monitor polls on its own while ``run()`` runs).
    public func refreshHealth() async {
        await monitor.pollOnce()
    }

    /// The clusters' member names and roles as last seen, for reports.
    public func memberRoles(cluster: String) -> [(member: String, role: ReplicationRole, timeline: UInt32)] {
        guard let index = topology.clusters.firstIndex(where: { $0.name == cluster }) else { return [] }
        let names = topology.clusters[index].replicaReads?.map(\.member) ?? []
        return monitor.withHealth(of: index) { health in
            zip(names, zip(health.members, health.timelines)).map { (member: $0, role: $1.0.role, timeline: $1.1) }
        }
    }

    func pools(of database: String) throws -> DatabasePools {
        guard let pools = pools[database] else { throw TopologyClientError.unknownDatabase(database) }
        return pools
    }

    /// The routing decision for a read (`consistency` non-nil) or write, as the client would make
    /// it now: pure arithmetic over the monitor's last view, without allocating.
    public func decide(_ consistency: ConsistencyLevel?, database: String, session: ClientSession) throws -> RouteDecision {
        let pools = try pools(of: database)
        let token = session.token(on: pools.cluster)
        let now = Date().timeIntervalSince1970
        let counter = spread.next()
        return monitor.withHealth(of: pools.clusterIndex) { $0.route(consistency, token: token, now: now, spread: counter, router: router) }
    }
}

/// A counter that spreads reads over eligible replicas.
final class SpreadCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value: UInt64 = 0

    func next() -> UInt64 {
        lock.withLock {
            value &+= 1
            return value
        }
    }
}
