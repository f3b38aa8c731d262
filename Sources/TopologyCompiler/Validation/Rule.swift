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

    /// The suppressions of the section the rule's family is about: `tenancy` for TTN rules,
    /// `sharding` for TSH, `pooling` for TPB. A section has one instance per topology, so its
    /// `suppress` silences the rule wherever the family reports it.
    private let sectionSuppressions: [Suppression]

    /// The compilation's rings (TSH407 measures the ring the plan will hold).
    let rings: RingCache

    init(topology: Topology, rule: DiagnosticCode, rings: RingCache) {
        self.topology = topology
        self.rule = rule
        self.rings = rings
        sectionSuppressions =
            switch rule.code.prefix(3) {
            case "TTN": topology.tenancy?.suppressions ?? []
            case "TSH": topology.sharding?.suppressions ?? []
            case "TPB": topology.pooling.suppressions
            default: []
            }
    }

    /// Reports a violation of the running rule at `location`, unless one of `suppressions`
    /// (those of the object the violation belongs to) silences the rule.
    public func report(
        _ message: String, at location: SourceLocation, notes: [Diagnostic.Note] = [],
        suppressions: [Suppression] = [], fixIt: FixIt? = nil
    ) {
        if let suppression = (suppressions + sectionSuppressions).first(where: { $0.code.value == rule.code }) {
            usedSuppressions.insert(suppression.code.location)
            return
        }
        diagnostics.append(Diagnostic(rule, message, at: location, notes: notes, fixIt: fixIt))
    }

    /// Convenience: the table with a name.
    public func table(_ name: String) -> Table? { topology.table(named: name) }
}
