/// A host and port to connect to.
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    /// The host name or address.
    public let host: String
    /// The TCP port.
    public let port: Int

    /// Creates an endpoint.
    ///
    /// - Parameters:
    ///   - host: The host name or address.
    ///   - port: The TCP port.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port`.
    public var description: String {
        "\(host):\(port)"
    }
}

/// A member of a physical cluster as deployed: its name, the role it starts in, and where to
/// reach it. Its live role comes from a health checker as a `MemberState`.
public struct ClusterMember: Sendable, Hashable {
    /// The member's name (Patroni `name`, compose service).
    public let name: String
    /// Whether it bootstraps the cluster as leader (Patroni elects the real one).
    public let isBootstrapLeader: Bool
    /// Whether Patroni may promote it.
    public let canBePromoted: Bool
    /// Its region, if the topology names one.
    public let region: String?
    /// Where PostgreSQL listens.
    public let endpoint: Endpoint

    /// Creates a member.
    ///
    /// - Parameters:
    ///   - name: The member's name.
    ///   - isBootstrapLeader: Whether it bootstraps the cluster.
    ///   - canBePromoted: Whether Patroni may promote it.
    ///   - region: Its region, if any.
    ///   - endpoint: Where PostgreSQL listens.
    public init(name: String, isBootstrapLeader: Bool, canBePromoted: Bool, region: String?, endpoint: Endpoint) {
        self.name = name
        self.isBootstrapLeader = isBootstrapLeader
        self.canBePromoted = canBePromoted
        self.region = region
        self.endpoint = endpoint
    }
}
