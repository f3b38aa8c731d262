/// A check of the rule catalog: a stable code with its rationale, and the function that
/// finds topologies breaking it.
public struct Rule: Sendable {
    /// The rule's code, slug, default severity, rationale and source.
    public let code: DiagnosticCode
    /// Reports every violation through the context.
    public let check: @Sendable (RuleContext) -> Void

    /// Creates a rule.
    public init(_ code: DiagnosticCode, check: @escaping @Sendable (RuleContext) -> Void) {
        self.code = code
        self.check = check
    }
}

/// What a rule sees and how it reports: the topology, plus suppression handling.
public final class RuleContext {
    /// The topology under validation.
    public let topology: Topology
    /// The rule being run.
    let rule: DiagnosticCode
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var usedSuppressions: Set<SourceLocation> = []

    init(topology: Topology, rule: DiagnosticCode) {
        self.topology = topology
        self.rule = rule
    }

    /// Reports a violation of the running rule at `location`, unless one of `suppressions`
    /// (those of the object the violation belongs to) silences the rule.
    public func report(
        _ message: String, at location: SourceLocation, notes: [Diagnostic.Note] = [],
        suppressions: [Suppression] = []
    ) {
        if let suppression = suppressions.first(where: { $0.code.value == rule.code }) {
            usedSuppressions.insert(suppression.code.location)
            return
        }
        diagnostics.append(Diagnostic(rule, message, at: location, notes: notes))
    }

    /// Convenience: the table with a name.
    public func table(_ name: String) -> Table? { topology.table(named: name) }
}
