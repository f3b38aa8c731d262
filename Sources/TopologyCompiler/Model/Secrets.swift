/// The secrets a deployment needs, each named by the environment variable that holds it.
///
/// No field of the language accepts a literal password.
public struct Secrets: Sendable {
    /// One secret reference.
    public struct Reference: Sendable, Hashable {
        /// The environment variable's name.
        public var environmentVariable: Located<String>
    }

    /// The PostgreSQL superuser's password.
    public var superuser: Reference
    /// The replication user's password.
    public var replication: Reference
    /// The application role's password.
    public var application: Reference
    /// The password of Patroni's REST API.
    public var restAPI: Reference
    /// The read-only role's password.
    public var readOnly: Reference
    /// The change-data-capture role's password.
    public var changeDataCapture: Reference
    /// The password of PgBouncer's `auth_user`.
    public var poolerAuth: Reference
    /// The password of PgBouncer's admin console user.
    public var poolerAdmin: Reference
    /// The password of Patroni's rewind role.
    public var rewind: Reference
    /// The password of the role multi-primary subscriptions connect as.
    public var multiPrimary: Reference
    /// The password of the role `topoc check --live` reads as.
    public var monitor: Reference

    /// The secret slots, with the key that names each in YAML and its default variable.
    public static let slots: [(key: String, defaultVariable: String)] = [
        ("superuser", "TOPOC_SUPERUSER_PASSWORD"),
        ("replication", "TOPOC_REPLICATION_PASSWORD"),
        ("app", "TOPOC_APP_PASSWORD"),
        ("rest_api", "TOPOC_REST_API_PASSWORD"),
        ("read_only", "TOPOC_READ_ONLY_PASSWORD"),
        ("cdc", "TOPOC_CDC_PASSWORD"),
        ("pooler_auth", "TOPOC_POOLER_AUTH_PASSWORD"),
        ("pooler_admin", "TOPOC_POOLER_ADMIN_PASSWORD"),
        ("rewind", "TOPOC_REWIND_PASSWORD"),
        ("multi_primary", "TOPOC_MULTI_PRIMARY_PASSWORD"),
        ("monitor", "TOPOC_MONITOR_PASSWORD"),
    ]
}
