import TopologyCompiler

/// What the live check compares: one kind of object, a key naming one object of that kind in
/// its place, and a value that stands for the properties compared.
///
/// The plan gives ``LiveExpectation``s, the running deployment ``LiveObservation``s of the same
/// facts; ``LiveComparison`` turns the differences into ``LiveDrift``.
public enum LiveFactKind: String, Sendable, Hashable, CaseIterable {
    case table
    case column
    case index
    case constraint
    case trigger
    case rowSecurity = "row security"
    case policy
    case publication
    case publicationTable = "publication table"
    case slot
    case role
    case grant
    case view
    case sequence
    case partition
    case defaultPrivilege = "default privilege"
    case setting
    case pendingRestart = "pending restart"
    case patroniConfig = "Patroni configuration"
    case pgbouncerSetting = "PgBouncer setting"
    case pgbouncerPool = "PgBouncer pool"
    case cronJob = "pg_cron job"
    case partmanConfig = "pg_partman configuration"
    case misroutedRows = "misrouted rows"

    /// The code a drift of this kind is reported with.
    public var code: DiagnosticCode {
        switch self {
        case .table: .liveTable
        case .column: .liveColumn
        case .index: .liveIndex
        case .constraint: .liveConstraint
        case .trigger: .liveTrigger
        case .rowSecurity, .policy: .liveRowSecurity
        case .publication, .publicationTable: .livePublication
        case .slot: .liveSlot
        case .role: .liveRole
        case .grant: .liveGrant
        case .view: .liveView
        case .sequence: .liveSequence
        case .partition: .livePartition
        case .defaultPrivilege: .liveDefaultPrivileges
        case .setting: .liveSetting
        case .pendingRestart: .livePendingRestart
        case .patroniConfig: .livePatroniConfig
        case .pgbouncerSetting: .livePgBouncerConfig
        case .pgbouncerPool: .livePgBouncerPool
        case .cronJob: .liveCronJob
        case .partmanConfig: .livePartmanConfig
        case .misroutedRows: .liveMisroutedRows
        }
    }
}

/// Where a fact lives: a cluster (and member), a database, or the pooler.
public struct LiveScope: Sendable, Hashable, CustomStringConvertible {
    /// The physical cluster, if any.
    public var cluster: String?
    /// The member, for facts of one server (settings).
    public var member: String?
    /// The database, if any.
    public var database: String?

    /// Creates a scope.
    public init(cluster: String? = nil, member: String? = nil, database: String? = nil) {
        self.cluster = cluster
        self.member = member
        self.database = database
    }

    /// `database d on cluster c`, `member m of cluster c`, ...
    public var description: String {
        var parts: [String] = []
        if let database { parts.append("database \(database)") }
        if let member { parts.append("member \(member)") }
        if let cluster { parts.append("\(parts.isEmpty ? "" : "of ")cluster \(cluster)") }
        return parts.isEmpty ? "the deployment" : parts.joined(separator: " ")
    }
}

/// One fact: a kind, a scope and a key unique within both.
public struct LiveFact: Sendable, Hashable {
    public var kind: LiveFactKind
    public var scope: LiveScope
    /// The object's name, such as `public.orders` or `public.orders.user_id`.
    public var key: String

    /// Creates a fact.
    public init(_ kind: LiveFactKind, _ scope: LiveScope, _ key: String) {
        self.kind = kind
        self.scope = scope
        self.key = key
    }
}

/// What the plan says a fact's value is, and which topology line declares it.
public struct LiveExpectation: Sendable {
    public var fact: LiveFact
    /// The value, in the same spelling the observation uses.
    public var value: String
    /// The declaration in the topology.
    public var location: SourceLocation

    /// Creates an expectation.
    public init(_ fact: LiveFact, _ value: String, at location: SourceLocation) {
        self.fact = fact
        self.value = value
        self.location = location
    }
}

/// What the running deployment shows for a fact.
public struct LiveObservation: Sendable, Hashable {
    public var fact: LiveFact
    public var value: String

    /// Creates an observation.
    public init(_ fact: LiveFact, _ value: String) {
        self.fact = fact
        self.value = value
    }
}

/// One difference between plan and deployment.
public struct LiveDrift: Sendable {
    /// How the two differ.
    public enum Difference: Sendable, Equatable {
        /// Planned, not running.
        case missing(expected: String)
        /// Running, not planned.
        case unexpected(observed: String)
        /// Running with another value.
        case changed(expected: String, observed: String)
    }

    public var fact: LiveFact
    public var difference: Difference
    /// The topology line of the object (for unexpected objects: the nearest declaration).
    public var location: SourceLocation
    /// The code, when not the kind's (an invalid index).
    public var code: DiagnosticCode

    /// Creates a drift with the kind's code unless another is given.
    public init(_ fact: LiveFact, _ difference: Difference, at location: SourceLocation, code: DiagnosticCode? = nil) {
        self.fact = fact
        self.difference = difference
        self.location = location
        self.code = code ?? fact.kind.code
    }

    /// The diagnostic the CLI prints.
    public var diagnostic: Diagnostic {
        let subject = "\(fact.kind.rawValue) \(fact.key) in \(fact.scope)"
        let message: String
        switch (fact.kind, difference) {
        case (.pendingRestart, _):
            message =
                "setting \(fact.key) in \(fact.scope) waits for a restart (pending_restart): the configuration holds a value the server does not run yet"
        case (.misroutedRows, .changed(_, let observed)):
            message = "table \(fact.key) in \(fact.scope) holds rows of other shards: \(observed)"
        default:
            message = Self.message(subject: subject, difference: difference)
        }
        return Diagnostic(code, message, at: location)
    }

    /// The message of a difference of `subject`.
    static func message(subject: String, difference: Difference) -> String {
        let message: String
        switch difference {
        case .missing(let expected):
            message = "\(subject) is missing (planned: \(expected))"
        case .unexpected(let observed):
            message = "\(subject) is not in the plan (running: \(observed))"
        case .changed(let expected, let observed):
            message = "\(subject) differs: planned \(expected), running \(observed)"
        }
        return message
    }
}
