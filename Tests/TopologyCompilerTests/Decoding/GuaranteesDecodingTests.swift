import Testing

@testable import TopologyCompiler

enum GuaranteesKeyCases {
    static let all: [GrammarKeyCase] = [
        GrammarKeyCase(.guarantees, "consistency", DecodeFixture.document("guarantees:\n  consistency: read-your-writes\n")) {
            let consistency = try #require($0.topology.guarantees.consistency)
            #expect(consistency.value == .readYourWrites)
            $0.expect(consistency.location, at: "read-your-writes")
            $0.expect($0.topology.guarantees.location, at: "consistency:")
        },
        GrammarKeyCase(.guarantees, "partition", DecodeFixture.document("guarantees:\n  partition: AP\n")) {
            let partition = try #require($0.topology.guarantees.partition)
            #expect(partition.value == .ap)
            $0.expect(partition.location, at: "AP")
        },
        GrammarKeyCase(.guarantees, "rpo", DecodeFixture.document("guarantees:\n  rpo: 0\n")) {
            let rpo = try #require($0.topology.guarantees.rpo)
            #expect(rpo.value == TimeSpan(milliseconds: 0))
            $0.expect(rpo.location, at: "0", occurrence: 1)
        },
        GrammarKeyCase(.guarantees, "rto", DecodeFixture.document("guarantees:\n  rto: 30s\n")) {
            let rto = try #require($0.topology.guarantees.rto)
            #expect(rto.value == .seconds(30))
            $0.expect(rto.location, at: "30s")
        },
        GrammarKeyCase(.guarantees, "max_staleness", DecodeFixture.document("guarantees:\n  max_staleness: 1500ms\n")) {
            let staleness = try #require($0.topology.guarantees.maxStaleness)
            #expect(staleness.value.milliseconds == 1500)
            $0.expect(staleness.location, at: "1500ms")
        },
    ]
}

@Suite("Decoding: guarantees")
struct GuaranteesDecodingTests {
    @Test(arguments: GuaranteesKeyCases.all)
    func key(_ keyCase: GrammarKeyCase) throws {
        try keyCase.run()
    }

    @Test func absentSectionLeavesEverythingUnset() throws {
        let guarantees = try DecodeFixture.decode(extra: "").guarantees
        #expect(guarantees.consistency == nil)
        #expect(guarantees.partition == nil)
        #expect(guarantees.rpo == nil)
        #expect(guarantees.rto == nil)
        #expect(guarantees.maxStaleness == nil)
        #expect(guarantees.location == nil)
    }

    @Test func allFieldsTogether() throws {
        let guarantees = try DecodeFixture.decode(
            extra: """
                guarantees: { consistency: causal, partition: CP, rpo: 5m, rto: 2h, max_staleness: 1d }

                """
        ).guarantees
        #expect(guarantees.consistency?.value == .causal)
        #expect(guarantees.partition?.value == .cp)
        #expect(guarantees.rpo?.value == TimeSpan(milliseconds: 300_000))
        #expect(guarantees.rto?.value == TimeSpan(milliseconds: 7_200_000))
        #expect(guarantees.maxStaleness?.value == TimeSpan(milliseconds: 86_400_000))
    }

    @Test(arguments: ConsistencyLevel.allCases)
    func everyConsistencyLevel(_ level: ConsistencyLevel) throws {
        let topology = try DecodeFixture.decode(extra: "guarantees: { consistency: \(level.rawValue) }\n")
        #expect(topology.guarantees.consistency?.value == level)
    }

    @Test func misspeltConsistencySuggestsTheClosestLevel() throws {
        let text = DecodeFixture.document("guarantees:\n  consistency: strongg\n")
        try DecodeFixture.expectError(
            text, .invalidValue, at: "strongg",
            message:
                "'strongg' is not a valid 'consistency'; did you mean 'strong'? (expected one of: strong, read-your-writes, causal, eventual)"
        )
    }

    @Test func partitionChoiceIsCaseSensitiveButSuggested() throws {
        let text = DecodeFixture.document("guarantees:\n  partition: cp\n")
        try DecodeFixture.expectError(text, .invalidValue, at: "cp\n", message: "did you mean 'CP'?")
    }

    @Test func durationWithoutUnitSuggestsOne() throws {
        let text = DecodeFixture.document("guarantees:\n  rto: 45\n")
        try DecodeFixture.expectError(text, .invalidQuantity, at: "45", message: "add a unit, for example 45s")
    }

    @Test func durationAsAListIsAWrongType() throws {
        let text = DecodeFixture.document("guarantees:\n  rpo: [1s]\n")
        try DecodeFixture.expectError(text, .wrongType, at: "[1s]", message: "'rpo' expects a duration such as 10s, found a list")
    }

    @Test func sectionMustBeAMapping() throws {
        let text = DecodeFixture.document("guarantees: strong\n")
        try DecodeFixture.expectError(
            text, .wrongType, at: "strong", message: "'guarantees' expects a mapping (`guarantees`), found a string")
    }

    @Test func unknownKeyIsReportedWithSuggestion() throws {
        let text = DecodeFixture.document("guarantees:\n  max_stalenes: 2s\n")
        try DecodeFixture.expectError(
            text, .unknownKey, at: "max_stalenes", message: "unknown key 'max_stalenes' in `guarantees`; did you mean 'max_staleness'?")
    }
}
