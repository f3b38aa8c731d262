/// Connection pooling through PgBouncer.
public struct Pooling: Sendable {
    /// Rules silenced for this section only, each with its reason.
    public var suppressions: [Suppression] = []
    /// When a server connection returns to the pool.
    public var mode: Located<PoolMode>
    /// The most client connections PgBouncer accepts.
    public var maxClientConnections: Located<Int>
    /// The pool for writes and strong reads (to the leader).
    public var readWrite: Pool
    /// The pool for replica reads, if any.
    public var readOnly: Pool?
    /// Session features the application uses, checked against the pool mode.
    public var sessionFeatures: [Located<SessionFeature>]
    /// The PgBouncer release the topology declares (`pgbouncer_version`), if any.
    public var declaredVersion: Located<PgBouncerVersion>?
    /// Whether the section was written (pooling defaults apply otherwise).
    public var location: SourceLocation?
}

extension Pooling {
    /// The PgBouncer release the deployment runs: the declared one, else
    /// ``PgBouncerVersion/deployed``. What the rules check and the ini may use.
    public var version: PgBouncerVersion { declaredVersion?.value ?? .deployed }
}

/// One PgBouncer pool.
public struct Pool: Sendable {
    /// Server connections per database and user.
    public var size: Located<Int>
    /// Extra connections allowed under load.
    public var reserve: Located<Int>
}

/// PgBouncer's pool_mode.
public enum PoolMode: String, Sendable, CaseIterable, Codable {
    case session
    case transaction
    case statement
}

/// A session-level feature that transaction pooling breaks.
public enum SessionFeature: String, Sendable, CaseIterable {
    case listenNotify = "listen-notify"
    case advisoryLocks = "advisory-locks"
    case preparedStatements = "prepared-statements"
    case withHoldCursors = "with-hold-cursors"
    case sessionSettings = "session-settings"
    case temporaryTables = "temporary-tables"
}

/// A PgBouncer release, `major.minor[.patch]`.
public struct PgBouncerVersion: Sendable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var patch: Int

    /// Creates a version.
    public init(_ major: Int, _ minor: Int, _ patch: Int = 0) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Parses `1.18`, `1.21.0`; nil for anything else.
    public init?(parsing text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isASCII) }),
            let major = Int(parts[0]), let minor = Int(parts[1]), major >= 1
        else { return nil }
        let patch = parts.count == 3 ? Int(parts[2]) : 0
        guard let patch, major >= 0, minor >= 0, patch >= 0 else { return nil }
        self.init(major, minor, patch)
    }

    public var description: String { patch == 0 ? "\(major).\(minor)" : "\(major).\(minor).\(patch)" }

    public static func < (lhs: PgBouncerVersion, rhs: PgBouncerVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }

    /// The version the artifacts install and the tests run: Debian 12's package (the compose
    /// image installs Debian's `pgbouncer`; `topoc up` runs the machine's). The one default.
    public static let deployed = PgBouncerVersion(1, 18)

    /// The first release that tracks protocol-level prepared statements in transaction and
    /// statement pooling (`max_prepared_statements`, 0 = off, its default until 1.24).
    public static let preparedStatementTracking = PgBouncerVersion(1, 21)
}
