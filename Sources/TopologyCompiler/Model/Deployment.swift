/// Settings of the two deployment targets.
public struct Deployment: Sendable {
    /// The first port of the local target; members, REST APIs and pools count up from it.
    public var localBasePort: Located<Int>
    /// PgBouncer's port on the local target, or nil to count it up from ``localBasePort`` with
    /// the others (it then moves when a member or cluster is added before it).
    public var localPgBouncerPort: Located<Int>? = nil
    /// The folder, relative to the output folder's parent, that holds local data directories; a
    /// relative path of ``ValueGrammar/pathProblem(_:absolute:)``'s grammar (no shell or config
    /// syntax can hide in it).
    public var localRunDirectory: Located<String>
    /// The PostgreSQL binaries the local target runs (absolute), or nil for Debian's
    /// `/usr/lib/postgresql/<version>/bin`; an absolute path of ``ValueGrammar``'s path grammar.
    public var localPostgresBin: Located<String>?
    /// The host address compose publishes PgBouncer on (dotted IPv4), or nil to publish nothing.
    public var composePublishAddress: Located<String>?
    /// What only the kubernetes target reads: storage, resources and the backup object store.
    public var kubernetes = KubernetesDeployment()
}
