import TopologyCompiler

/// What one part of the live check found.
public struct LiveCheckPart: Sendable {
    /// The part's name, such as `catalog` or `PgBouncer`.
    public var name: String
    /// The drift found.
    public var drifts: [LiveDrift] = []
    /// What could not be checked, with why and the nearest declaration.
    public var unchecked: [(scope: LiveScope, reason: String, location: SourceLocation)] = []
    /// How many facts were compared.
    public var compared = 0
    /// Facts the checking role may not see (superuser-only settings), per scope.
    public var hidden: [String] = []
    /// What the summary says instead of "N compared, M drifted", for a part that compares no
    /// facts: how many clusters were reached, or why the part was not run.
    public var headline: String?

    /// Creates an empty part.
    public init(name: String) { self.name = name }

    /// Adds the comparison of expectations with observations.
    mutating func compare(
        _ expected: [LiveExpectation], _ observed: [LiveObservation], scopes: Set<LiveScope>, extras: Set<LiveFactKind> = [],
        locate: (LiveObservation) -> SourceLocation
    ) {
        compared += expected.filter { scopes.contains($0.fact.scope) }.count
        drifts += LiveComparison.drift(expected: expected, observed: observed, observedScopes: scopes, extras: extras, locate: locate)
    }

    /// Records a part that could not be read.
    mutating func skip(_ scope: LiveScope, _ reason: String, at location: SourceLocation) {
        unchecked.append((scope, reason, location))
    }
}

/// The outcome of `topoc check --live`.
public struct LiveCheckReport: Sendable {
    /// The parts, in check order.
    public var parts: [LiveCheckPart]

    /// Every drift as a diagnostic, then every unchecked part as a warning (TLV001).
    public var diagnostics: [Diagnostic] {
        let drifts = parts.flatMap { $0.drifts.map(\.diagnostic) }
        let unchecked = parts.flatMap { part in
            part.unchecked.map { Diagnostic(.liveUnchecked, "\(part.name) of \($0.scope) was not checked: \($0.reason)", at: $0.location) }
        }
        return drifts + unchecked
    }

    /// Whether anything drifted.
    public var drifted: Bool { parts.contains { !$0.drifts.isEmpty } }

    /// Whether some part could not be checked.
    public var incomplete: Bool { parts.contains { !$0.unchecked.isEmpty } }

    /// One line per part: what was compared and found.
    public var summary: String {
        parts.map { part in
            "\(part.name): \(part.headline ?? "\(part.compared) compared, \(part.drifts.count) drifted")"
                + (part.unchecked.isEmpty ? "" : ", \(part.unchecked.count) not checked")
                + part.hidden.map { "\n  not visible to the checking role: \($0)" }.joined()
        }.joined(separator: "\n") + "\n"
    }
}
