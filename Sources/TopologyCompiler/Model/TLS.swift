/// The `tls:` section: whether and how connections between the deployment's components and from
/// clients are encrypted, and where the certificates and keys are. No certificate or key is ever
/// written into the output folder: the generated configurations name these paths.
public struct TLS: Sendable {
    /// How strictly a connection is encrypted.
    public enum Mode: String, Sendable, CaseIterable, Comparable {
        /// Plain TCP only (the servers do not offer TLS).
        case disable
        /// TLS offered and used when the client asks; plaintext still accepted.
        case prefer
        /// TLS required on every network connection; certificates are not verified by clients.
        case require
        /// TLS required, and every client between components verifies the server's certificate
        /// against the CA and its host name (libpq `sslmode=verify-full`).
        case verifyFull = "verify-full"

        /// The order of strictness.
        var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

        public static func < (lhs: Mode, rhs: Mode) -> Bool { lhs.rank < rhs.rank }

        /// Whether plaintext connections are refused.
        public var requiresTLS: Bool { self >= .require }
    }

    /// The components whose TLS can differ from the section's defaults.
    public enum Component: String, Sendable, CaseIterable {
        case postgres
        case pgbouncer
        case patroni
        case etcd
    }

    /// Where a component's certificate, key and CA are: explicit files, else files of fixed
    /// names in a directory (``TLSFileNames``).
    public struct Files: Sendable {
        /// A directory holding `ca.crt`, `server.crt` and `server.key`.
        public var directory: Located<String>?
        /// The CA certificate clients and servers verify against.
        public var caFile: Located<String>?
        /// The certificate the component presents (as server, and as client to etcd).
        public var certFile: Located<String>?
        /// The certificate's private key.
        public var keyFile: Located<String>?

        public init(
            directory: Located<String>? = nil, caFile: Located<String>? = nil, certFile: Located<String>? = nil,
            keyFile: Located<String>? = nil
        ) {
            self.directory = directory
            self.caFile = caFile
            self.certFile = certFile
            self.keyFile = keyFile
        }

        /// Whether nothing is set.
        public var isEmpty: Bool { directory == nil && caFile == nil && certFile == nil && keyFile == nil }
    }

    /// One component's overrides.
    public struct Override: Sendable {
        /// The component's mode, when it differs from the section's.
        public var mode: Located<Mode>?
        /// The component's files, each falling back to the section's.
        public var files: Files
        /// Where the override is written.
        public var location: SourceLocation
    }

    /// The mode of every component without its own.
    public var mode: Located<Mode>
    /// The files of every component without its own.
    public var files: Files
    /// `ssl_min_protocol_version` and its equivalents (`TLSv1.2` or `TLSv1.3`).
    public var minimumProtocol: Located<String>?
    /// Per-component overrides.
    public var overrides: [Component: Override]
    /// Where the section is written, or nil when the topology has none.
    public var location: SourceLocation?

    /// No TLS: what a topology without a `tls:` section gets.
    public static func disabled(at location: SourceLocation) -> TLS {
        TLS(mode: Located(.disable, at: location), files: Files(), minimumProtocol: nil, overrides: [:], location: nil)
    }

    /// The mode a component runs with.
    public func mode(of component: Component) -> Located<Mode> {
        overrides[component]?.mode ?? mode
    }

    /// The protocol versions the section accepts as its minimum.
    public static let protocolVersions = TLSProtocolVersion.allCases.map(\.rawValue)
}

/// The file names expected in a TLS directory, and those `topoc up` generates.
public enum TLSFileNames {
    /// The CA certificate.
    public static let ca = "ca.crt"
    /// The server certificate (also used as the client certificate between components).
    public static let certificate = "server.crt"
    /// The server certificate's key.
    public static let key = "server.key"
    /// A client certificate signed by the CA, for operators and tests (not used by the servers).
    public static let clientCertificate = "client.crt"
    /// The client certificate's key.
    public static let clientKey = "client.key"
}

/// A TLS protocol version, spelled as PostgreSQL's `ssl_min_protocol_version` spells it.
public enum TLSProtocolVersion: String, Sendable, Codable, CaseIterable {
    /// TLS 1.2.
    case tls12 = "TLSv1.2"
    /// TLS 1.3.
    case tls13 = "TLSv1.3"
}
