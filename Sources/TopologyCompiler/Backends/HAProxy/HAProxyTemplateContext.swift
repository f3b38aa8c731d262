/// The context of the `haproxy.cfg` template (docs/templates.md). Every string is already
/// written for HAProxy's configuration: comment text through ``CommentQuoting``, names through
/// ``ClusterLayout/token(_:)``.
public struct HAProxyTemplateContext: Encodable, Sendable {
    /// The version of this contract; it changes when a field is renamed or removed.
    public var contextVersion = 1
    /// The topology's name (comment text).
    public var topology: String
    /// The deployment target (`compose` or `local`).
    public var target: String
    /// `maxconn` of the global section.
    public var maxconn: Int
    /// Whether servers are resolved through the containers' resolver (the compose target).
    public var compose: Bool
    /// One entry per cluster with a frontend.
    public var clusters: [Cluster]

    /// A cluster's two frontends.
    public struct Cluster: Encodable, Sendable {
        /// The cluster's name (comment text).
        public var name: String
        /// The section name prefix (`<section>_rw`, `<section>_ro`).
        public var section: String
        /// The read-write frontend.
        public var readWrite: Frontend
        /// The read-only frontend.
        public var readOnly: Frontend
        /// One read-only frontend per member, open only while that member is a running replica
        /// (for TopologyClient's reads by replay position).
        public var memberReadOnly: [MemberFrontend]
    }

    /// A member's own read-only frontend.
    public struct MemberFrontend: Encodable, Sendable {
        /// The full section name (`<cluster>_ro_<member>`).
        public var section: String
        /// The section itself.
        public var frontend: Frontend
    }

    /// One `listen` section.
    public struct Frontend: Encodable, Sendable {
        /// Comment lines above the section (without `# `).
        public var comments: [String]
        /// `bind` address and port.
        public var bind: String
        /// The `default-server` options.
        public var defaultServer: String
        /// Option lines (health check, balance), in order.
        public var options: [String]
        /// `server` lines without the keyword.
        public var servers: [String]
    }
}

extension HAProxyTemplateContext {
    /// The context of a plan.
    init(plan: Plan) {
        let compose = plan.target == .compose
        topology = CommentQuoting.line(plan.topology)
        target = plan.target.rawValue
        maxconn = max(4096, plan.pooler.maxClientConnections * 2)
        self.compose = compose
        let frontends = ClusterLayout.frontends(of: plan)
        clusters = plan.clusters.compactMap { cluster in
            guard let frontend = frontends[cluster.name] else { return nil }
            let bindHost = compose ? "*" : frontend.host
            let section = ClusterLayout.token(cluster.name)
            let readWrite = Frontend(
                comments: [], bind: "\(bindHost):\(frontend.readWritePort)",
                defaultServer: HAProxyBackend.defaultServer(cluster, compose: compose),
                options: ["option httpchk GET /primary", "http-check expect status 200"],
                servers: HAProxyBackend.servers(cluster, plan: plan))
            let readOnly = HAProxyBackend.readOnly(
                cluster, section: section, bind: "\(bindHost):\(frontend.readOnlyPort)", plan: plan)
            return Cluster(
                name: CommentQuoting.line(cluster.name), section: section, readWrite: readWrite, readOnly: readOnly,
                memberReadOnly: HAProxyBackend.memberReadOnly(cluster, frontend: frontend, bindHost: bindHost, plan: plan))
        }
    }
}
