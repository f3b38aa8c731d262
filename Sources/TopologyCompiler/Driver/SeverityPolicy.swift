/// Applies a project's severity overrides (`rules:`) and per-object suppressions to diagnostics.
///
/// Language codes (`TPC`) that make a file unreadable cannot be lowered: a topology that does
/// not decode has no plan to build.
package struct SeverityPolicy {
    let topology: Topology

    /// A policy with the overrides and suppressions of `topology`.
    package init(topology: Topology) { self.topology = topology }

    /// The diagnostics with the project's severity overrides applied; those of codes set to `off` are left out.
    package func apply(to diagnostics: [Diagnostic]) -> [Diagnostic] {
        var levels: [String: RuleLevel] = [:]
        for override in topology.ruleSeverities { levels[override.code.value] = override.level.value }
        return diagnostics.compactMap { diagnostic in
            guard !diagnostic.code.code.hasPrefix("TPC"), let level = levels[diagnostic.code.code] else {
                return diagnostic
            }
            var changed = diagnostic
            switch level {
            case .off: return nil
            case .error: changed.severity = .error
            case .warning: changed.severity = .warning
            case .note: changed.severity = .note
            }
            return changed
        }
    }
}
