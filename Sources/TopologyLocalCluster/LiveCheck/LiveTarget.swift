import Foundation
import TopologyCompiler

/// What the live check may reach of a deployment, per cluster: its leader and members, the
/// connection for pg_cron and pg_partman (locally all as the monitoring role), the leader as the
/// read-only role for the shard sample, Patroni's REST API, and PgBouncer's admin console.
public struct LiveTarget: Sendable {
    /// How one cluster is reached.
    public struct ClusterAccess: Sendable {
        /// The leader (catalog, slots).
        public var leader: LiveConnection?
        /// The leader as a role that reads the tables, for the shard sample (locally the read-only
        /// role: the monitoring role reads no table).
        public var reader: LiveConnection?
        /// Every member that answers (settings), by member name.
        public var members: [(name: String, connection: LiveConnection)]
        /// The connection that reads `cron.job` and `partman.part_config`.
        public var jobs: LiveConnection?
        /// Patroni's REST ports.
        public var restPorts: [Int]

        /// Creates a cluster's access.
        public init(
            leader: LiveConnection?, reader: LiveConnection? = nil, members: [(name: String, connection: LiveConnection)],
            jobs: LiveConnection?, restPorts: [Int]
        ) {
            self.leader = leader
            self.reader = reader ?? leader
            self.members = members
            self.jobs = jobs
            self.restPorts = restPorts
        }
    }

    /// By cluster name.
    public var clusters: [String: ClusterAccess]
    /// PgBouncer's admin console, as the stats user the deployment configures.
    public var pgbouncer: LiveConnection?
    /// Why parts cannot be reached, with the scope.
    public var unreachable: [(scope: LiveScope, reason: String)]
    /// How Patroni's REST API is reached when the deployment runs it over HTTPS (its `tls:`).
    public var restTLS: LoopbackTLS? = nil
    /// Whether the clusters are reached through connection strings (`--dsn`), which reach
    /// PostgreSQL only: Patroni and PgBouncer are then not checked.
    public var reachesPostgreSQLOnly = false

    /// Creates a target.
    public init(
        clusters: [String: ClusterAccess], pgbouncer: LiveConnection? = nil, unreachable: [(scope: LiveScope, reason: String)] = []
    ) {
        self.clusters = clusters
        self.pgbouncer = pgbouncer
        self.unreachable = unreachable
    }

    /// The local deployment `topoc up` runs from a run folder.
    public static func local(plan: Plan, layout: LocalRunLayout) throws -> LiveTarget {
        let state = try LocalClusterState.load(from: layout.state)
        guard state.topology == plan.topology else {
            throw LocalClusterError("\(layout.root.path) runs topology '\(state.topology)', not '\(plan.topology)'")
        }
        guard let secrets = LocalSecrets.load(from: layout.secrets) else {
            throw LocalClusterError("\(layout.secrets.path) is missing: the check needs the deployment's passwords")
        }
        let program = PSQL(plan: plan, password: "").program
        func login(_ role: String, variable: String, port: Int) -> LiveConnection {
            LiveConnection(.loopback(port: port, user: role, password: secrets.values[variable] ?? ""), program: program)
        }
        var target = LiveTarget(clusters: [:], pgbouncer: nil, unreachable: [])
        target.restTLS = state.restTLS
        for cluster in plan.clusters {
            let restPorts = cluster.members.map(\.restPort)
            var access = ClusterAccess(leader: nil, members: [], jobs: nil, restPorts: restPorts)
            let view = ClusterProbe.view(restPorts: restPorts, tls: state.restTLS)
            if view == nil {
                target.unreachable.append((LiveScope(cluster: cluster.name), "no member's REST API answers"))
            }
            for member in cluster.members {
                let running = view?.members.first { $0.name == member.name }
                guard running == nil || running?.state == "running" || running?.state == "streaming" else {
                    target.unreachable.append(
                        (LiveScope(cluster: cluster.name, member: member.name), "Patroni reports it \(running?.state ?? "?")"))
                    continue
                }
                access.members.append((member.name, login(plan.roles.monitor, variable: plan.secrets.monitor, port: member.port)))
            }
            if let leader = view?.leader, let member = cluster.members.first(where: { $0.name == leader.name }) {
                access.leader = login(plan.roles.monitor, variable: plan.secrets.monitor, port: member.port)
                access.jobs = access.leader
                access.reader = login(plan.roles.readOnly, variable: plan.secrets.readOnly, port: member.port)
            } else if view != nil {
                target.unreachable.append((LiveScope(cluster: cluster.name), "the cluster has no leader"))
            }
            target.clusters[cluster.name] = access
        }
        target.pgbouncer = login(plan.roles.poolerAdmin, variable: plan.secrets.poolerAdmin, port: plan.pooler.port)
        return target
    }

    /// Clusters reached through connection strings (`--dsn CLUSTER=CONNINFO`): the catalog,
    /// settings, pg_cron, pg_partman and shard checks run on each as the role the string names;
    /// Patroni and PgBouncer are not checked (their addresses are not in a connection string).
    public static func connections(plan: Plan, dsns: [String: String]) -> LiveTarget {
        var target = LiveTarget(clusters: [:], pgbouncer: nil, unreachable: [])
        target.reachesPostgreSQLOnly = true
        for cluster in plan.clusters {
            guard let conninfo = dsns[cluster.name] else {
                target.unreachable.append((LiveScope(cluster: cluster.name), "no --dsn names this cluster"))
                continue
            }
            let connection = LiveConnection(.conninfo(conninfo))
            target.clusters[cluster.name] = ClusterAccess(
                leader: connection, members: [("(--dsn)", connection)], jobs: connection, restPorts: [])
        }
        return target
    }
}
