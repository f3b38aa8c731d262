import Testing

@testable import TopologyCompiler

@Suite("Did-you-mean suggestions")
struct SuggestionsTests {
    @Test(arguments: [
        ("kitten", "sitting", 3), ("", "abc", 3), ("abc", "", 3), ("", "", 0), ("same", "same", 0), ("café", "cafe", 1),
        ("tabels", "tables", 2), ("colums", "columns", 1), ("flaw", "lawn", 2),
    ])
    func editDistance(_ lhs: String, _ rhs: String, _ distance: Int) {
        #expect(Suggestions.editDistance(lhs, rhs) == distance)
        #expect(Suggestions.editDistance(rhs, lhs) == distance)
    }

    @Test func editDistanceLooksAtTheFirst64ScalarsOnly() {
        let prefix = String(repeating: "a", count: 64)
        #expect(Suggestions.editDistance(prefix + "xyz", prefix + "abc") == 0)
        #expect(Suggestions.editDistance(String(repeating: "b", count: 200), "") == 64)
    }

    @Test(arguments: [
        ("tabels", GrammarSection.topology, "tables"),
        ("clusterz", .topology, "clusters"),
        ("colums", .table, "columns"),
        ("nullabel", .column, "nullable"),
        ("metod", .index, "method"),
        ("stratgy", .sharding, "strategy"),
        ("TABLES", .topology, "tables"),
        ("virtual-nodes", .sharding, "virtual_nodes"),
    ])
    func closestGrammarKey(_ word: String, _ section: GrammarSection, _ expected: String) {
        #expect(Suggestions.closest(to: word, in: section.keys) == expected)
        #expect(Suggestions.hint(for: word, in: section.keys) == "; did you mean '\(expected)'?")
    }

    @Test(arguments: [
        ("xyz", ["tables", "views"]),
        ("ab", ["abcd"]),
        ("emial", ["email"]),
        ("anything", [] as [String]),
        ("consistent-hashingxx", ["consistent-hash"]),
    ])
    func noSuggestionWhenNothingIsClose(_ word: String, _ candidates: [String]) {
        #expect(Suggestions.closest(to: word, in: candidates) == nil)
        #expect(Suggestions.hint(for: word, in: candidates) == "")
    }

    @Test func allowedDistanceGrowsWithTheWordUpToThree() {
        // One edit for words up to five letters, a third of the length after that, never more than three.
        #expect(Suggestions.closest(to: "ab", in: ["ac"]) == "ac")
        #expect(Suggestions.closest(to: "abcdef", in: ["abcxyf"]) == "abcxyf")
        #expect(Suggestions.closest(to: "abcdef", in: ["axyzef"]) == nil)
        #expect(Suggestions.closest(to: "consistent-hashing", in: ["consistent-hash"]) == "consistent-hash")
        #expect(Suggestions.closest(to: "abcdefghijklmnop", in: ["abcdefghijklwxyz"]) == nil)
    }

    @Test func theFirstOfEquallyCloseCandidatesWins() {
        #expect(Suggestions.closest(to: "cat", in: ["bat", "hat"]) == "bat")
        #expect(Suggestions.closest(to: "cat", in: ["hat", "bat"]) == "hat")
    }

    @Test func suggestionsReachTheDiagnostics() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("tabels:\n  users: { columns: { id: int } }\n"), .unknownKey, at: "tabels",
            message: "unknown key 'tabels' in the topology; did you mean 'tables'?")
        try DecodeFixture.expectError(
            DecodeFixture.document("tables:\n  users: { colums: { id: int } }\n"), .unknownKey, at: "colums",
            message: "unknown key 'colums' in `table`; did you mean 'columns'?")
        try DecodeFixture.expectError(
            DecodeFixture.document("tables:\n  users: { columns: { id: intger } }\n"), .unknownColumnType, at: "intger",
            message: "unknown column type 'intger'; did you mean 'integer'?")
        let noHint = try DecodeFixture.expectError(
            DecodeFixture.document("zzz: 1\n"), .unknownKey, at: "zzz", message: "unknown key 'zzz' in the topology")
        #expect(!noHint.message.contains("did you mean"))
    }
}
