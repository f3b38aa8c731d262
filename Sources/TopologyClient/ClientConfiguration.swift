import TopologyRuntime

/// How a ``TopologyClient`` connects and routes.
public struct ClientConfiguration: Sendable {
    /// Where non-strong reads go.
    public enum ReadPath: Sendable, Hashable {
        /// Routed by consistency level and session token over each member's read-only frontend;
        /// where a cluster has none (CloudNativePG), checked on the read-only pool's connection
        /// (``checkedReadOnlyPool``).
        case routed
        /// Every cluster's read-only pool, the replica it hands out checked inside the read's own
        /// transaction (``ReplicaCheck``; the leader serves when the check fails): the path
        /// `routed` takes on Kubernetes, selectable elsewhere to exercise it.
        case checkedReadOnlyPool
        /// PgBouncer's `<db>_ro` pool, whatever the level (HAProxy picks a replica within the
        /// byte/time bound; no token is checked): the plain path, kept as the checker's control.
        case readOnlyPool
    }

    /// The application role.
    public var username: String
    /// Its password.
    public var password: String
    /// The CA certificate (PEM file) that `verify-full` endpoints are verified against: the
    /// deployment's CA (`<run>/tls/ca.crt` for `topoc up`; the operator's for compose). Needed
    /// when `routing.json` names any endpoint `verify-full`.
    public var caFile: String?
    /// Where non-strong reads go.
    public var readPath: ReadPath = .routed
    /// How often the health monitor polls Patroni.
    public var pollInterval: Duration = .milliseconds(200)
    /// How long a read-your-writes or causal read waits for a replica to replay the session's
    /// token before it goes to the leader.
    public var replayWait: Duration = .milliseconds(200)
    /// The staleness bound of `eventual` reads (default: the topology's `max_staleness`, else 5 s).
    public var maxStaleness: Duration?
    /// How long one attempt (lease, statements, COMMIT) may take before its connection is closed
    /// and the attempt counts as failed. Keeps a call from hanging on a pool that waits for a
    /// leader that is gone (PgBouncer holds such a query for its `query_wait_timeout`).
    public var attemptTimeout: Duration = .seconds(8)
    /// The failover retry policy.
    public var retry: RetryPolicy = RetryPolicy()
    /// Connections per endpoint and database.
    public var connectionsPerEndpoint: Int = 4

    /// Creates a configuration.
    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }
}
