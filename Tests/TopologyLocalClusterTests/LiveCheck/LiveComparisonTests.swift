import Testing

@testable import TopologyCompiler
@testable import TopologyLocalCluster

/// Expectations against observations: missing, changed, unexpected, invalid indexes, and scopes
/// that were not read.
@Suite("live check: comparison")
struct LiveComparisonTests {
    let scope = LiveScope(cluster: "main", database: "shop")
    let here = SourceLocation(file: "t.yaml", line: 7, column: 5)
    let elsewhere = SourceLocation(file: "t.yaml", line: 1, column: 1)

    func expectation(_ kind: LiveFactKind, _ key: String, _ value: String) -> LiveExpectation {
        LiveExpectation(LiveFact(kind, scope, key), value, at: here)
    }

    func observation(_ kind: LiveFactKind, _ key: String, _ value: String) -> LiveObservation {
        LiveObservation(LiveFact(kind, scope, key), value)
    }

    @Test("every difference once, with the kind's code at the declaration")
    func differences() {
        let drifts = LiveComparison.drift(
            expected: [
                expectation(.index, "public.a_idx", "on a btree valid"), expectation(.index, "public.b_idx", "on b btree valid"),
                expectation(.index, "public.c_idx", "on c btree valid"), expectation(.grant, "public.a to app", "SELECT"),
                expectation(.column, "public.a.id", "bigint not null"),
            ],
            observed: [
                observation(.index, "public.b_idx", "on b btree invalid"), observation(.index, "public.c_idx", "on c hash valid"),
                observation(.grant, "public.a to app", "INSERT, SELECT"), observation(.column, "public.a.id", "bigint not null"),
                observation(.column, "public.a.note", "text"), observation(.trigger, "public.a.t", "trigger"),
            ],
            observedScopes: [scope], extras: [.column], locate: { _ in elsewhere })
        let found = drifts.map { "\($0.code.code) \($0.fact.key) \($0.location.line)" }
        #expect(
            found == [
                "TLV103 public.a_idx 7", "TLV104 public.b_idx 7", "TLV103 public.c_idx 7", "TLV111 public.a to app 7",
                "TLV102 public.a.note 1",
            ])
        #expect(
            drifts[0].diagnostic.message == "index public.a_idx in database shop of cluster main is missing (planned: on a btree valid)")
        #expect(
            drifts[3].diagnostic.message
                == "grant public.a to app in database shop of cluster main differs: planned SELECT, running INSERT, SELECT")
        #expect(drifts[4].diagnostic.message.hasSuffix("is not in the plan (running: text)"))
    }

    @Test("a scope that was not read is not compared")
    func unreadScope() {
        let drifts = LiveComparison.drift(
            expected: [expectation(.table, "public.a", "table")], observed: [], observedScopes: [LiveScope(cluster: "other")],
            extras: [], locate: { _ in elsewhere })
        #expect(drifts.isEmpty)
    }

    @Test("exit status: drift 1, unchecked only 2, nothing 0; a lowered drift does not count")
    func exitStatus() {
        let drift = Diagnostic(.liveIndex, "x", at: here)
        let unchecked = Diagnostic(.liveUnchecked, "y", at: here)
        #expect(LiveCheck.exitStatus([]) == 0)
        #expect(LiveCheck.exitStatus([unchecked]) == 2)
        #expect(LiveCheck.exitStatus([drift, unchecked]) == 1)
        #expect(LiveCheck.exitStatus([Diagnostic(.liveIndex, "x", at: here, severity: .warning)]) == 0)
    }
}
