import Foundation

/// The part of a deployment's `routing.json` (written by `topoc build`/`topoc up`) that the
/// client needs: per cluster its shard, databases with their PgBouncer pools, and each member's
/// read-only frontend and Patroni REST API; the PgBouncer endpoint; the declared consistency.
public struct ClientTopology: Sendable, Codable, Equatable {
    /// The topology's name.
    public var topology: String
    /// The clusters.
    public var clusters: [Cluster]
    /// PgBouncer.
    public var pooler: Endpoint
    /// The poolers' pool mode (`session`, `transaction` or `statement`; absent in files written
    /// before it was recorded).
    public var poolMode: String?
    /// The declared guarantees.
    public var consistency: Consistency?
    /// How each kind of endpoint speaks TLS (absent: plain TCP and HTTP everywhere).
    public var tls: TLS?

    /// A host and port.
    public struct Endpoint: Sendable, Codable, Equatable {
        public var host: String
        public var port: Int
    }

    /// A physical cluster.
    public struct Cluster: Sendable, Codable, Equatable {
        public var name: String
        public var shard: Int?
        /// HAProxy's read-write frontend (the leader).
        public var readWrite: Endpoint?
        /// The pooler that serves the cluster's databases (absent in files written before it was
        /// recorded: the top-level `pooler`).
        public var pooler: Endpoint?
        /// Where the databases' read-only pools connect (absent: the cluster's pooler).
        public var readOnlyPooler: Endpoint?
        /// The members' PostgreSQL endpoints (their count tells whether the cluster has replicas).
        public var members: [Endpoint]?
        public var databases: [Database]?
        public var replicaReads: [MemberRead]?

        /// Whether reads below `strong` go through the read-only pool, checked on the connection
        /// (``ReplicaCheck``), rather than to a member chosen by the health monitor: the cluster
        /// has replicas and a read-only pool but no per-member read-only frontends (CloudNativePG's
        /// `-pooler-ro`), and the pool mode lets a check and a read share a transaction.
        func readsThroughCheckedPool(poolMode: String?) -> Bool {
            (replicaReads ?? []).isEmpty && readOnlyPooler != nil && (members?.count ?? 0) > 1 && poolMode != "statement"
        }
    }

    /// A database and its pools.
    public struct Database: Sendable, Codable, Equatable {
        public var name: String
        public var pool: String
        public var readOnlyPool: String
    }

    /// A member's read-only frontend and REST API.
    public struct MemberRead: Sendable, Codable, Equatable {
        public var member: String
        public var readOnly: Endpoint
        public var rest: Endpoint
    }

    /// A component's TLS mode, as the topology's `tls:` section sets it.
    public enum TLSMode: String, Sendable, Codable, Equatable {
        /// Plain TCP (HTTP for the REST API).
        case disable
        /// TLS when the client asks (the client asks, without verifying).
        case prefer
        /// TLS, the certificate not verified.
        case require
        /// TLS, the certificate verified against the deployment's CA, its address included.
        case verifyFull = "verify-full"
    }

    /// The TLS modes of the endpoints a client connects to.
    public struct TLS: Sendable, Codable, Equatable {
        /// PgBouncer.
        public var pooler: TLSMode
        /// PostgreSQL behind each member's read-only frontend (HAProxy passes TCP through).
        public var members: TLSMode
        /// Patroni's REST API (HTTPS unless `disable`).
        public var restAPI: TLSMode
    }

    /// `guarantees` as routing.json records it.
    public struct Consistency: Sendable, Codable, Equatable {
        public var level: String?
        public var maxStalenessMilliseconds: Int64?
        public var rpo: String?
    }

    /// Reads `routing.json`.
    ///
    /// - Parameter url: The file.
    /// - Returns: The topology.
    /// - Throws: When the file cannot be read or decoded.
    public static func load(from url: URL) throws -> ClientTopology {
        try JSONDecoder().decode(ClientTopology.self, from: Data(contentsOf: url))
    }

    /// The cluster that holds `database`.
    public func cluster(holding database: String) -> Cluster? {
        clusters.first { $0.databases?.contains { $0.name == database } == true }
    }
}
