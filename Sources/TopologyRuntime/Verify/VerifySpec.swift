/// What `topoc verify consistency` hands `topoc-verify`: the deployment, credentials, the
/// members' processes for fault injection, and the run's shape. (Kept in TopologyRuntime, which
/// has no dependencies, so that topoc writes it without linking the PostgreSQL driver.)
public struct VerifySpec: Sendable, Codable {
    /// Where the run's reads below `strong` go.
    public enum ReadPath: String, Sendable, Codable, CaseIterable {
        /// TopologyClient as the deployment's `routing.json` leads it (each member's read-only
        /// frontend, chosen by the health monitor).
        case routed
        /// PgBouncer's `_ro` pools, no token check: the control, which must find violations.
        case readOnlyPool = "ro-pool"
        /// TopologyClient through the `_ro` pools with the replica checked in the read's own
        /// transaction: the path it takes on Kubernetes, run here on a local deployment.
        case checkedReadOnlyPool = "checked-ro-pool"
    }

    /// A member of the running deployment.
    public struct Member: Sendable, Codable {
        public var cluster: String
        public var name: String
        public var port: Int
        public var restPort: Int
        public var patroniPID: Int32
        public var dataDirectory: String

        public init(cluster: String, name: String, port: Int, restPort: Int, patroniPID: Int32, dataDirectory: String) {
            self.cluster = cluster
            self.name = name
            self.port = port
            self.restPort = restPort
            self.patroniPID = patroniPID
            self.dataDirectory = dataDirectory
        }
    }

    /// `routing.json` of the deployment.
    public var routing: String
    /// The application role and its password (the load runs as it).
    public var username: String
    public var password: String
    /// The superuser's password: setup (the check's table) and fault injection only.
    public var superuserPassword: String
    /// Patroni's REST API user and password: maintenance mode while replay is paused (Patroni
    /// resumes a paused replay at every loop otherwise).
    public var restUser: String
    public var restPassword: String
    public var members: [Member]
    /// How long the load runs.
    public var seconds: Double
    /// Where reads go.
    public var readPath: ReadPath
    /// Whether to pause replay on the replicas for a while.
    public var pauseReplay: Bool
    /// Whether to kill the first cluster's leader (Patroni and postmaster, SIGKILL).
    public var killLeader: Bool
    /// The CA certificate that `verify-full` endpoints are verified against (a deployment with TLS).
    public var caFile: String?

    public init(
        routing: String, username: String, password: String, superuserPassword: String, restUser: String, restPassword: String,
        members: [Member], seconds: Double,
        readPath: ReadPath, pauseReplay: Bool, killLeader: Bool, caFile: String? = nil
    ) {
        self.routing = routing
        self.username = username
        self.password = password
        self.superuserPassword = superuserPassword
        self.restUser = restUser
        self.restPassword = restPassword
        self.members = members
        self.seconds = seconds
        self.readPath = readPath
        self.pauseReplay = pauseReplay
        self.killLeader = killLeader
        self.caFile = caFile
    }
}
