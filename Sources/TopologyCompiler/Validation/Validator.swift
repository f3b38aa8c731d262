/// Runs the rule catalog over a topology.
public struct Validator {
    /// The topology to check.
    public let topology: Topology
    /// The rules to run (all by default).
    public let rules: [Rule]
    /// The compilation's rings, placed once for the validator and the planner.
    let rings: RingCache

    /// Creates a validator.
    public init(topology: Topology, rules: [Rule] = RuleCatalog.all) {
        self.init(topology: topology, rules: rules, rings: RingCache())
    }

    /// Creates a validator that takes the rings it measures from `rings`.
    init(topology: Topology, rules: [Rule] = RuleCatalog.all, rings: RingCache) {
        self.topology = topology
        self.rules = rules
        self.rings = rings
    }

    /// Every violation, plus a warning for each suppression that silenced nothing or names
    /// no known rule.
    public func run() -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var used: Set<SourceLocation> = []
        for rule in rules {
            let context = RuleContext(topology: topology, rule: rule.code, rings: rings)
            rule.check(context)
            diagnostics += context.diagnostics
            used.formUnion(context.usedSuppressions)
        }
        let known = Set(RuleCatalog.all.map(\.code.code))
        for suppression in allSuppressions() where !used.contains(suppression.code.location) {
            if !known.contains(suppression.code.value) {
                diagnostics.append(
                    Diagnostic(
                        .unusedSuppression, "'\(suppression.code.value)' is not a rule code; `topoc explain --all` lists them",
                        at: suppression.code.location))
            } else {
                diagnostics.append(
                    Diagnostic(
                        .unusedSuppression, "this suppression of \(suppression.code.value) silences nothing; remove it",
                        at: suppression.code.location))
            }
        }
        for override in topology.ruleSeverities where !known.contains(override.code.value) {
            diagnostics.append(
                Diagnostic(
                    .unusedSuppression, "'\(override.code.value)' is not a rule code; `topoc explain --all` lists them",
                    at: override.code.location))
        }
        return diagnostics
    }

    private func allSuppressions() -> [Suppression] {
        var result = topology.clusters.flatMap(\.suppressions)
        for table in topology.tables {
            result += table.suppressions
            result += table.indexes.flatMap(\.suppressions)
        }
        result += topology.views.flatMap(\.suppressions)
        result += topology.cdc?.tables.flatMap(\.suppressions) ?? []
        result += topology.tenancy?.suppressions ?? []
        result += topology.sharding?.suppressions ?? []
        result += topology.pooling.suppressions
        result += topology.multiPrimaryGroups.flatMap(\.suppressions)
        return result
    }
}

extension DiagnosticCode {
    /// A suppression or severity override that does nothing.
    public static let unusedSuppression = DiagnosticCode(
        code: "TPC040", slug: "unused-suppression", defaultSeverity: .warning,
        summary: "A suppression or severity override names no rule or silences nothing.",
        explanation: """
            Suppressions (`suppress: [{ rule: CODE, reason: ... }]`) and `rules:` overrides must name \
            a rule of the catalog (`topoc explain --all`). A suppression that silences nothing is \
            stale: the problem it accepted is gone, so remove it before it hides a new one.
            """)
}
