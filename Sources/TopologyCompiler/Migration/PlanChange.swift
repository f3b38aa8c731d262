/// What a change does to an object: the columns of a Terraform-style plan.
public enum ChangeAction: String, Sendable, Codable, CaseIterable {
    /// A new object.
    case create = "+"
    /// An object removed.
    case drop = "-"
    /// An object changed in place.
    case alter = "~"
    /// An object dropped and created again.
    case replace = "-/+"
}

/// How a change reaches the running deployment, from harmless to data-losing.
public enum ChangeImpact: String, Sendable, Codable, CaseIterable {
    /// Only the catalog changes; no scan, no rewrite (a brief lock may still be taken).
    case metadataOnly = "metadata-only"
    /// Built while reads and writes go on (`CONCURRENTLY`, `NOT VALID` then `VALIDATE`).
    case online
    /// Takes a lock that blocks writers (or readers) for a while: see ``PlanChange/lock``.
    case lock
    /// Rewrites the table under an `ACCESS EXCLUSIVE` lock for the whole rewrite.
    case rewrite
    /// Loses data (a dropped table, column, partition, database or tenant).
    case destructive
    /// A configuration change that a reload applies.
    case configReload = "config-reload"
    /// A configuration change that needs a restart.
    case configRestart = "config-restart"
    /// Rows move between shards: `topoc rebalance`, not DDL.
    case dataMovement = "data-movement"
    /// Not carried out by `topoc migrate`: the change says what to do by hand.
    case manual
}

/// One classified change between two plans.
public struct PlanChange: Sendable, Codable, Equatable {
    /// What happens to the object.
    public var action: ChangeAction
    /// The kind of object (`table`, `column`, `index`, `setting`, ...).
    public var object: String
    /// The object's name, qualified by its table where that helps (`users.email`).
    public var name: String
    /// How the change reaches the deployment.
    public var impact: ChangeImpact
    /// The lock the change takes and for how long, when it takes one (`brief ACCESS EXCLUSIVE`).
    public var lock: String?
    /// What changes, in words.
    public var detail: String
    /// Where: the clusters, databases or schemas concerned.
    public var scope: [String]

    /// Creates a change.
    public init(
        _ action: ChangeAction, _ object: String, _ name: String, impact: ChangeImpact, lock: String? = nil, detail: String,
        scope: [String] = []
    ) {
        self.action = action
        self.object = object
        self.name = name
        self.impact = impact
        self.lock = lock
        self.detail = detail
        self.scope = scope
    }
}

/// Every change between two plans, with the hashes that bind it to them.
public struct ChangeSet: Sendable, Codable, Equatable {
    /// The SHA-256 of the old plan's JSON.
    public var oldPlanSHA256: String
    /// The SHA-256 of the new plan's JSON.
    public var newPlanSHA256: String
    /// The changes, in the order the migration carries them out.
    public var changes: [PlanChange]

    /// Whether any change loses data.
    public var isDestructive: Bool { changes.contains { $0.impact == .destructive } }

    /// Whether rows move between shards (the shard count, strategy or ranges change), which no
    /// generated script carries out.
    public var movesRows: Bool { changes.contains { $0.impact == .dataMovement } }

    /// The number of changes of each action.
    public func count(_ action: ChangeAction) -> Int { changes.filter { $0.action == action }.count }

    /// The number of changes of each impact.
    public func count(_ impact: ChangeImpact) -> Int { changes.filter { $0.impact == impact }.count }
}
