import TopologyCompiler

/// Compares what the plan expects with what the deployment shows.
public enum LiveComparison {
    /// The drift between expectations and observations of the kinds in `kinds`.
    ///
    /// - Parameters:
    ///   - observedScopes: the scopes that were read; expectations elsewhere are not compared
    ///     (their part was reported as unchecked).
    ///   - extras: the kinds where an observed object the plan does not declare is drift.
    ///   - locate: the nearest declaration of an unexpected object.
    public static func drift(
        expected: [LiveExpectation], observed: [LiveObservation], observedScopes: Set<LiveScope>, extras: Set<LiveFactKind>,
        locate: (LiveObservation) -> SourceLocation
    ) -> [LiveDrift] {
        var running: [LiveFact: String] = [:]
        for observation in observed { running[observation.fact] = observation.value }
        var planned: Set<LiveFact> = []
        var drifts: [LiveDrift] = []
        for expectation in expected where observedScopes.contains(expectation.fact.scope) {
            planned.insert(expectation.fact)
            guard let value = running[expectation.fact] else {
                drifts.append(LiveDrift(expectation.fact, .missing(expected: expectation.value), at: expectation.location))
                continue
            }
            guard value != expectation.value else { continue }
            let invalid = expectation.fact.kind == .index && value == expectation.value.replacingOccurrences(of: " valid", with: " invalid")
            drifts.append(
                LiveDrift(
                    expectation.fact, .changed(expected: expectation.value, observed: value), at: expectation.location,
                    code: invalid ? .liveInvalidIndex : nil))
        }
        for observation in observed.sorted(by: { ($0.fact.kind.rawValue, $0.fact.key) < ($1.fact.kind.rawValue, $1.fact.key) })
        where extras.contains(observation.fact.kind) && !planned.contains(observation.fact) {
            drifts.append(LiveDrift(observation.fact, .unexpected(observed: observation.value), at: locate(observation)))
        }
        return drifts
    }
}
