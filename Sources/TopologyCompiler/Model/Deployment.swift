/// Settings of the two deployment targets.
public struct Deployment: Sendable {
    /// The first port of the local target; members, REST APIs and pools count up from it.
    public var localBasePort: Located<Int>
    /// The folder, relative to the output folder's parent, that holds local data directories.
    public var localRunDirectory: Located<String>
    /// The PostgreSQL binaries the local target runs (absolute), or nil for Debian's
    /// `/usr/lib/postgresql/<version>/bin`.
    public var localPostgresBin: Located<String>?
    /// The host address compose publishes PgBouncer on, or nil to publish nothing.
    public var composePublishAddress: Located<String>?
}
