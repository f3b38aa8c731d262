/// The PostgreSQL roles of a deployment, as the topology names them (`roles:`).
///
/// Every role has a default derived from the application role, so a topology needs no
/// `roles:` section; what the section names replaces the default. Which privileges each role
/// holds is fixed by topoc (docs/roles.md), not declared: a topology cannot ask for a role
/// that needs the superuser at run time.
public struct Roles: Sendable {
    /// The names the topology gives, by kind.
    public var names: [RoleKind: Located<String>]
    /// Where the section is, if the topology has one.
    public var location: SourceLocation?

    /// Creates the role names of a topology.
    public init(names: [RoleKind: Located<String>] = [:], location: SourceLocation? = nil) {
        self.names = names
        self.location = location
    }
}

/// The roles topoc creates besides the superuser and Patroni's replication role.
public enum RoleKind: String, Sendable, CaseIterable, Hashable {
    /// NOLOGIN: owns every schema object and every SECURITY DEFINER trigger function.
    case owner
    /// The application's login role (`tenancy.app_role` names it too).
    case application = "app"
    /// A login role that may only read (reporting, analytics).
    case readOnly = "read_only"
    /// NOLOGIN: the group of the login roles the application uses; PgBouncer serves its members.
    case clients
    /// A login role with REPLICATION that Debezium and other logical consumers use.
    case changeDataCapture = "cdc"
    /// PgBouncer's `auth_user`: may only call the lookup function of `auth_query`.
    case poolerAuth = "pooler_auth"
    /// PgBouncer's admin console user (`admin_users`, `stats_users`); exists only in PgBouncer.
    case poolerAdmin = "pooler_admin"
    /// Patroni's `pg_rewind` and slot-copy role.
    case rewind
    /// The role multi-primary subscriptions connect to their peers as (REPLICATION).
    case multiPrimary = "multi_primary"
    /// The role `topoc check --live` reads a running deployment as: catalogs, all settings,
    /// pg_cron's jobs and pg_partman's configuration; no table.
    case monitor
    /// The role pgBackRest starts and stops backups as: EXECUTE on the backup functions and
    /// pg_read_all_settings, reached over the socket by peer authentication only.
    case backup

    /// The YAML key under `roles:`.
    public var key: String { rawValue }

    /// The role's name when the topology gives none, for an application role `application`.
    public func defaultName(application: String) -> String {
        switch self {
        case .owner: "\(application)_owner"
        case .application: application
        case .readOnly: "\(application)_readonly"
        case .clients: "\(application)_clients"
        case .changeDataCapture: "\(application)_cdc"
        case .poolerAuth: "\(application)_pgbouncer_auth"
        case .poolerAdmin: "pgbouncer_admin"
        case .rewind: "rewind_user"
        case .multiPrimary: "\(application)_link"
        case .monitor: "\(application)_monitor"
        case .backup: "pgbackrest"
        }
    }
}
