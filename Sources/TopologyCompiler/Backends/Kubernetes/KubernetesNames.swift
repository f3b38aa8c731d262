/// The names of the Kubernetes objects of a deployment, derived from the plan's names.
///
/// Kubernetes names are DNS labels (RFC 1123: lowercase letters, digits and `-`, starting and
/// ending with a letter or digit, at most 63 characters). topoc's names may hold `_`, which
/// becomes `-`; the kubernetes target refuses names that still are not labels (TKS001).
public enum KubernetesNames {
    /// CloudNativePG's data directory inside an instance pod.
    public static let dataDirectory = "/var/lib/postgresql/data/pgdata"

    /// The longest cluster name that leaves room for CloudNativePG's derived names
    /// (`<cluster>-pooler-rw`, `<cluster>-topoc-schema`, pod and PVC names with an ordinal).
    public static let maxClusterNameLength = 40

    /// The namespace of a topology.
    public static func namespace(topology: String) -> String { label(topology) }

    /// The pod of a cluster's instance (CloudNativePG numbers instances from 1).
    public static func pod(cluster: String, ordinal: Int) -> String { "\(cluster)-\(ordinal)" }

    /// A service's in-cluster DNS name.
    public static func serviceHost(_ service: String, namespace: String) -> String { "\(service).\(namespace).svc" }

    /// The `Pooler` (and its service) of a cluster's read-write or read-only pool.
    public static func pooler(cluster: String, readOnly: Bool) -> String { "\(cluster)-pooler-\(readOnly ? "ro" : "rw")" }

    /// The `Secret` holding the password of a topology secret variable: the variable in
    /// lowercase with `_` as `-` (`APP_PG_PASSWORD` -> `app-pg-password`).
    public static func secret(variable: String) -> String { label(variable) }

    /// The `Database` object of a database on a cluster.
    public static func database(cluster: String, database: String) -> String { label("\(cluster)-\(database)") }

    /// The `Publication` object of a publication in a database on a cluster.
    public static func publication(cluster: String, database: String, publication: String) -> String {
        label("\(cluster)-\(database)-\(publication)")
    }

    /// The `Subscription` object of a subscription on a cluster.
    public static func subscription(cluster: String, subscription: String) -> String { label("\(cluster)-\(subscription)") }

    /// The `Job` that applies a cluster's schema, and the first `ConfigMap` of its scripts.
    public static func schema(cluster: String) -> String { "\(cluster)-topoc-schema" }

    /// The first `ConfigMap` of a shared schema script (`sql/shared/<stem>.sql`), which every
    /// cluster including it mounts: written once per namespace, not once per cluster.
    public static func sharedSchema(stem: String) -> String { "topoc-shared-\(stem)" }

    /// The `ConfigMap` number `index` (from 1) of a set whose first is `first`: `first`, then
    /// `<first>-part-2`, ... (``ConfigMapPacking`` fills each with what the API server and
    /// `kubectl apply` accept).
    public static func configMap(_ first: String, index: Int) -> String { index == 1 ? first : "\(first)-part-\(index)" }

    /// `text` in lowercase with `_` as `-`.
    static func label(_ text: String) -> String { text.lowercased().replacingOccurrences(of: "_", with: "-") }

    /// Whether `text` is an RFC 1123 DNS label of at most `maxLength` characters.
    public static func isLabel(_ text: String, maxLength: Int = 63) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= maxLength else { return false }
        func alphanumeric(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) }
        guard let first = bytes.first, let last = bytes.last, alphanumeric(first), alphanumeric(last) else { return false }
        return bytes.allSatisfy { alphanumeric($0) || $0 == 0x2D }
    }
}
