/// Where a read was served and why.
public struct ReadReport: Sendable, Hashable {
    /// What served the read.
    public enum Server: Sendable, Hashable, CustomStringConvertible {
        /// The leader, through PgBouncer's read-write pool.
        case leader
        /// A replica, through its own read-only frontend.
        case replica(String)
        /// PgBouncer's `_ro` pool (HAProxy picks; no token check): the plain path.
        case readOnlyPool
        /// A replica the read-only pool handed out and the client checked, named by the address
        /// the server reports for itself (`host:port`).
        case checkedPool(String)

        public var description: String {
            switch self {
            case .leader: "leader"
            case .replica(let name): name
            case .readOnlyPool: "ro-pool"
            case .checkedPool(let server): "ro-pool@\(server)"
            }
        }
    }

    /// What served the read.
    public var server: Server
    /// How long the read waited for a replica to replay the session's token.
    public var waited: Duration
    /// The cluster's name.
    public var cluster: String
}
