/// The TLS of a plan, resolved per component: each component's mode and its files, either
/// explicit paths from the topology or the target's default directory (``PlanTLS/Endpoint/usesDefaultDirectory``):
/// on the local target the run folder's `tls/`, which `topoc up` fills with a throwaway CA; under
/// compose `/etc/topoc/tls` in every container, mounted from the host (the generated README says
/// which files go there).
public struct PlanTLS: Sendable, Codable, Equatable {
    /// One component's TLS.
    public struct Endpoint: Sendable, Codable, Equatable {
        /// How strictly connections to and from the component are encrypted.
        public var mode: TLS.Mode
        /// Whether the files are `ca.crt`, `server.crt` and `server.key` of the target's default directory.
        public var usesDefaultDirectory: Bool
        /// The CA certificate (explicit files only; nil with the default directory or when not given).
        public var caFile: String?
        /// The certificate the component presents (explicit files only).
        public var certFile: String?
        /// Its key (explicit files only).
        public var keyFile: String?

        /// Whether the component speaks TLS at all.
        public var enabled: Bool { mode != .disable }
    }

    /// PostgreSQL: server TLS, and the sslmode of replication and Patroni's connections.
    public var postgres: Endpoint
    /// PgBouncer: client-facing and server-facing TLS.
    public var pgbouncer: Endpoint
    /// Patroni's REST API and its clients.
    public var patroni: Endpoint
    /// etcd's client and peer URLs, and Patroni's etcd3 client.
    public var etcd: Endpoint
    /// The lowest protocol version servers accept.
    public var minimumProtocol: TLSProtocolVersion

    /// A component's endpoint.
    public func endpoint(_ component: TLS.Component) -> Endpoint {
        switch component {
        case .postgres: postgres
        case .pgbouncer: pgbouncer
        case .patroni: patroni
        case .etcd: etcd
        }
    }

    /// Whether any component uses the target's default directory.
    public var usesDefaultDirectory: Bool {
        TLS.Component.allCases.contains { endpoint($0).enabled && endpoint($0).usesDefaultDirectory }
    }
}

extension TLS.Mode: Codable {}

extension PlanTLS {
    /// The plan's TLS from the topology's section, or nil when nothing is encrypted.
    static func resolve(_ tls: TLS?) -> PlanTLS? {
        guard let tls else { return nil }
        func endpoint(_ component: TLS.Component) -> Endpoint {
            let own = tls.overrides[component]?.files ?? TLS.Files()
            let shared = tls.files
            let mode = tls.mode(of: component).value
            if own.isEmpty && shared.isEmpty {
                return Endpoint(mode: mode, usesDefaultDirectory: true, caFile: nil, certFile: nil, keyFile: nil)
            }
            // The component's own setting, else a file of its own directory, else the section's.
            func file(_ path: KeyPath<TLS.Files, Located<String>?>, _ name: String) -> String? {
                own[keyPath: path]?.value ?? own.directory.map { "\($0.value)/\(name)" } ?? shared[keyPath: path]?.value
                    ?? shared.directory.map { "\($0.value)/\(name)" }
            }
            return Endpoint(
                mode: mode, usesDefaultDirectory: false, caFile: file(\.caFile, TLSFileNames.ca),
                certFile: file(\.certFile, TLSFileNames.certificate), keyFile: file(\.keyFile, TLSFileNames.key))
        }
        let plan = PlanTLS(
            postgres: endpoint(.postgres), pgbouncer: endpoint(.pgbouncer), patroni: endpoint(.patroni), etcd: endpoint(.etcd),
            minimumProtocol: tls.minimumProtocol.flatMap { TLSProtocolVersion(rawValue: $0.value) } ?? .tls12)
        guard TLS.Component.allCases.contains(where: { plan.endpoint($0).enabled }) else { return nil }
        return plan
    }
}
