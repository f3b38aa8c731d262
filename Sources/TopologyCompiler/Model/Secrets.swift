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

    /// The secret slots, with the key that names each in YAML and its default variable.
    public static let slots: [(key: String, defaultVariable: String)] = [
        ("superuser", "TOPOC_SUPERUSER_PASSWORD"),
        ("replication", "TOPOC_REPLICATION_PASSWORD"),
        ("app", "TOPOC_APP_PASSWORD"),
        ("rest_api", "TOPOC_REST_API_PASSWORD"),
    ]
}
