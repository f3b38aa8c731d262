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
    /// Whether the section was written (pooling defaults apply otherwise).
    public var location: SourceLocation?
}

/// One PgBouncer pool.
public struct Pool: Sendable {
    /// Server connections per database and user.
    public var size: Located<Int>
    /// Extra connections allowed under load.
    public var reserve: Located<Int>
}

/// PgBouncer's pool_mode.
public enum PoolMode: String, Sendable, CaseIterable {
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
