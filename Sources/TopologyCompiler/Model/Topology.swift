/// A decoded topology: everything one topology file declares, with the location of each part.
///
/// The model is what the file says, checked for shape and references. What it means for a
/// deployment (members, ports, shards, partitions) is resolved into a ``Plan``.
public struct Topology: Sendable {
    /// The file the topology came from.
    public var file: String
    /// The topology's name: a lowercase SQL identifier, used in database and service names.
    public var name: Located<String>
    /// The PostgreSQL major version the deployment runs.
    public var postgresVersion: Located<Int>
    /// The declared regions, in file order.
    public var regions: [Region]
    /// The promises the deployment makes.
    public var guarantees: Guarantees
    /// The secrets, referenced by environment variable.
    public var secrets: Secrets
    /// The PostgreSQL roles the topology names (every one has a default).
    public var roles: Roles = Roles()

    /// The application role: `roles.app`, else `tenancy.app_role`, else `app`.
    public var applicationRole: Located<String> {
        roles.names[.application] ?? tenancy?.applicationRole ?? Located("app", at: roles.location ?? name.location)
    }
    /// The cluster templates, in file order.
    public var clusters: [Cluster]
    /// Groups of clusters that all accept writes.
    public var multiPrimaryGroups: [MultiPrimaryGroup]

    /// The clusters of multi-primary groups after each group's first: they hold the group's
    /// database too, but change data capture reads the first member only.
    public var multiPrimaryMirrors: Set<String> {
        Set(multiPrimaryGroups.flatMap { $0.clusters.dropFirst().map(\.value) })
    }
    /// How rows are spread over shards, if they are.
    public var sharding: Sharding?
    /// Connection pooling.
    public var pooling: Pooling
    /// Multi-tenancy, if any.
    public var tenancy: Tenancy?
    /// The tables, in file order.
    public var tables: [Table]
    /// The views, in file order.
    public var views: [View]
    /// Change data capture.
    public var cdc: ChangeDataCapture?
    /// Backups (pgBackRest), if the topology has a `backup:` section.
    public var backup: Backup?
    /// Settings of the deployment targets.
    public var deployment: Deployment
    /// Encryption of the deployment's connections; nil when the topology has no `tls:` section
    /// (nothing is encrypted).
    public var tls: TLS? = nil
    /// Per-project severity overrides for diagnostic codes.
    public var ruleSeverities: [RuleSeverity]

    /// The table with a name, if declared.
    public func table(named name: String) -> Table? { tables.first { $0.name.value == name } }

    /// The cluster with a name, if declared.
    public func cluster(named name: String) -> Cluster? { clusters.first { $0.name.value == name } }
}

/// A region where members run.
public struct Region: Sendable {
    /// The region's name, a service name such as `eu-west`.
    public var name: Located<String>
    /// Round-trip times to other regions, for commit-latency estimates.
    public var roundTrips: [(region: Located<String>, time: Located<TimeSpan>)]
}

/// A per-project change of a diagnostic code's severity.
public struct RuleSeverity: Sendable {
    /// The code, such as `TPG101`.
    public var code: Located<String>
    /// The new level; `off` silences the code.
    public var level: Located<RuleLevel>
}

/// The severity a project gives a code.
public enum RuleLevel: String, Sendable, CaseIterable {
    case error
    case warning
    case note
    case off
}

/// A rule silenced for one object, with the reason the team accepts the risk.
public struct Suppression: Sendable {
    /// The code silenced, such as `TPG101`.
    public var code: Located<String>
    /// Why; required.
    public var reason: Located<String>
}
