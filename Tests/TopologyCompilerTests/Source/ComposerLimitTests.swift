import Testing

@testable import TopologyCompiler

/// The composer's bounds on size, depth and alias expansion. The time limits guard against hangs;
/// they are not benchmarks.
@Suite("Composer limits")
struct ComposerLimitTests {
    static let header = "topology: shop\nclusters:\n  main: { members: 1 }\n"
    static let second = Duration.seconds(1)

    static func load(_ text: String, limits: ParseLimits = .default) -> (LoadResult, Duration) {
        ComposerKit.timed { TopologyLoader.load(text: text, file: ComposerKit.file, limits: limits) }
    }

    static func expectFirst(
        _ result: LoadResult, _ code: DiagnosticCode, line: Int, column: Int, message: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        #expect(result.topology == nil, sourceLocation: sourceLocation)
        guard let first = result.diagnostics.first else {
            Issue.record("no diagnostic", sourceLocation: sourceLocation)
            return
        }
        #expect(first.code == code, "\(first.rendered)", sourceLocation: sourceLocation)
        #expect(first.location.line == line && first.location.column == column, "\(first.rendered)", sourceLocation: sourceLocation)
        #expect(first.message.contains(message), "\(first.rendered)", sourceLocation: sourceLocation)
    }

    static let bombMessage = "the document expands to more than 1000000 nodes through aliases; refusing to read it (alias bomb?)"

    // MARK: Alias bombs

    @Test func billionLaughsIsRefusedQuickly() {
        let text = Self.header + ComposerKit.laughs()
        #expect(text.utf8.count < 600, "a few hundred bytes")
        let (result, elapsed) = Self.load(text)
        #expect(elapsed < Self.second)
        // Level 6 (line 10) is the first to cross a million: its eighth alias of level 5 (111,111 nodes each)
        // comes on top of the 123,473 nodes read before it.
        Self.expectFirst(result, .inputTooComplex, line: 10, column: 40, message: Self.bombMessage)
        #expect(result.diagnostics.count == 1)
    }

    @Test func billionLaughsUsedAsAMappingKeyIsRefusedQuickly() {
        // The whole bomb is written inside a mapping key: `? [&l1 [...], ..., &l9 [...]] : x`.
        var levels: [String] = []
        for level in 1...9 {
            levels.append("&l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ",") + "]")
        }
        let text = Self.header + "x-bomb:\n  ? [&l0 lol, " + levels.joined(separator: ", ") + "]\n  : x\n"
        let (result, elapsed) = Self.load(text)
        #expect(elapsed < Self.second)
        #expect(result.topology == nil)
        let first = result.diagnostics.first
        #expect(first?.code == .inputTooComplex)
        #expect(first?.location.line == 5)
        #expect(first?.message == Self.bombMessage)
    }

    @Test func billionLaughsAliasedAsAMappingKeyIsRefusedQuickly() {
        let text = Self.header + ComposerKit.laughs() + "x-bomb:\n  ? *l9\n  : x\n"
        let (result, elapsed) = Self.load(text)
        #expect(elapsed < Self.second)
        Self.expectFirst(result, .inputTooComplex, line: 10, column: 40, message: Self.bombMessage)
    }

    @Test func aBombUsedAsAMappingKeyIsNeverWalkedEvenWithoutAnExpansionLimit() {
        // With the expansion bound lifted, the composer still finishes at once: aliases share their
        // node and keys are never hashed or walked, so the only problem left is the non-scalar key.
        let unlimited = ParseLimits(maxBytes: 1 << 20, maxDepth: 64, maxExpandedNodes: .max)
        let text = Self.header + ComposerKit.laughs() + "x-bomb:\n  ? *l9\n  : x\n"
        let (result, elapsed) = Self.load(text, limits: unlimited)
        #expect(elapsed < Self.second)
        // An alias is the anchored node itself, so the key is located where `&l9` was written (line 13).
        Self.expectFirst(result, .wrongType, line: 13, column: 7, message: "mapping keys must be strings, found a list")
        #expect(result.diagnostics.count == 1)
    }

    @Test func billionLaughsAsAMergeSourceIsRefusedQuickly() {
        let text = Self.header + ComposerKit.mappingLaughs() + "x-victim:\n  <<: *m9\n"
        let (result, elapsed) = Self.load(text)
        #expect(elapsed < Self.second)
        #expect(result.topology == nil)
        #expect(result.diagnostics.first?.code == .inputTooComplex)
        #expect(result.diagnostics.first?.message == Self.bombMessage)
    }

    @Test func aMergeThatCrossesTheLimitIsRefusedAtTheMerge() {
        // Levels 0-4 stay below the limit (about 247,000 nodes); the fourth merge of level 4 (222,221 nodes each)
        // crosses it.
        let text = Self.header + ComposerKit.mappingLaughs(levels: 4) + "x-victim:\n  <<: [*m4, *m4, *m4, *m4, *m4]\n"
        let (result, elapsed) = Self.load(text)
        #expect(elapsed < Self.second)
        Self.expectFirst(result, .inputTooComplex, line: 10, column: 23, message: Self.bombMessage)
    }

    @Test func aMergedBombIsNotWalkedEvenWithoutAnExpansionLimit() {
        let unlimited = ParseLimits(maxBytes: 1 << 20, maxDepth: 64, maxExpandedNodes: .max)
        let text =
            "topology: shop\n" + ComposerKit.mappingLaughs()
            + "clusters:\n  main:\n    members: 1\n    failover:\n      <<: *m9\n"
        let (result, elapsed) = Self.load(text, limits: unlimited)
        #expect(elapsed < Self.second)
        #expect(result.topology == nil)
        // The ten merged keys (written on line 11, in the anchor) are unknown to `failover`; their
        // values (the bomb) are never read.
        #expect(result.diagnostics.count == 10)
        #expect(result.diagnostics.allSatisfy { $0.code == .unknownKey && $0.location.line == 11 })
        #expect(result.diagnostics.first?.message == "unknown key 'k0' in `failover`")
    }

    @Test func manySmallAliasesAreAccepted() throws {
        let aliases = Array(repeating: "*a", count: 5000).joined(separator: ", ")
        let text = Self.header + "x-one: &a 1\nx-many: [\(aliases)]\n"
        let (result, elapsed) = Self.load(text)
        #expect(elapsed < Self.second)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.rendered))")
        #expect(result.topology?.name.value == "shop")
    }

    @Test func manyAliasesOfAMediumAnchorAreAcceptedBelowTheLimit() throws {
        // 1,000 aliases of a 101-node list expand to about 101,000 nodes: well below the bound.
        let anchor = "[" + Array(repeating: "x", count: 100).joined(separator: ", ") + "]"
        let aliases = Array(repeating: "*a", count: 1000).joined(separator: ", ")
        let (result, _) = Self.load(Self.header + "x-one: &a \(anchor)\nx-many: [\(aliases)]\n")
        #expect(result.diagnostics.isEmpty)
        #expect(result.topology != nil)
    }

    @Test func theExpansionBoundIsExact() {
        // root mapping, "a", the list and its two items, "b", then the alias counting the list's 3 nodes: 9 nodes.
        let text = "a: &x [1, 2]\nb: *x\n"
        let exact = ComposerKit.compose(text, limits: ParseLimits(maxBytes: 1000, maxDepth: 64, maxExpandedNodes: 9))
        #expect(exact.root != nil)
        #expect(exact.diagnostics.isEmpty)
        let below = ComposerKit.compose(text, limits: ParseLimits(maxBytes: 1000, maxDepth: 64, maxExpandedNodes: 8))
        #expect(below.root == nil)
        #expect(below.diagnostics.map(\.code) == [.inputTooComplex])
        #expect(below.diagnostics.first?.location == SourceLocation(file: ComposerKit.file, line: 2, column: 4))
        #expect(below.diagnostics.first?.message.contains("more than 8 nodes") == true)
    }

    // MARK: Depth

    @Test func tenThousandOpenBracketsAreRefusedWithoutOverflowingTheStack() {
        // Refused at once, with a single error and no crash. (Which code: see deepFlowNestingIsInputTooComplex.)
        let text = Self.header + "x-deep: " + String(repeating: "[", count: 10_000) + "\n"
        let (result, elapsed) = Self.load(text)
        #expect(elapsed < Self.second)
        #expect(result.topology == nil)
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.allSatisfy { $0.severity == .error })

        let balanced = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let (closed, closedElapsed) = Self.load(balanced)
        #expect(closedElapsed < Self.second)
        #expect(closed.topology == nil)
        #expect(closed.diagnostics.count == 1)
    }

    @Test func deepFlowNestingIsInputTooComplex() {
        // 900 levels: deep enough to be absurd, below the point where libyaml gives up on its own.
        let text = Self.header + "x-deep: " + String(repeating: "[", count: 900) + "\n"
        let (result, elapsed) = Self.load(text)
        #expect(elapsed < Self.second)
        // The root mapping is level 1; the 64th bracket opens level 65.
        Self.expectFirst(result, .inputTooComplex, line: 4, column: 9 + 63, message: "nesting deeper than 64 levels")
        #expect(result.diagnostics.count == 1)

        let braces = String(repeating: "{a: ", count: 900) + "1" + String(repeating: "}", count: 900)
        let (nested, nestedElapsed) = Self.load(braces)
        #expect(nestedElapsed < Self.second)
        Self.expectFirst(nested, .inputTooComplex, line: 1, column: 1 + 4 * 64, message: "nesting deeper than 64 levels")
    }

    @Test func theDepthBoundIsExact() {
        let limits = ParseLimits(maxBytes: 1 << 20, maxDepth: 64, maxExpandedNodes: 1_000_000)
        let deepest = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(ComposerKit.compose(deepest, limits: limits).diagnostics.isEmpty)
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        let result = ComposerKit.compose(tooDeep, limits: limits)
        #expect(result.root == nil)
        #expect(result.diagnostics.map(\.code) == [.inputTooComplex])
        #expect(result.diagnostics.first?.location.column == 65)
    }

    @Test func blockNestingIsBoundedToo() {
        var text = ""
        for level in 0..<70 {
            text += String(repeating: " ", count: level) + "k\(level):\n"
        }
        let (result, _) = Self.load(text)
        Self.expectFirst(result, .inputTooComplex, line: 65, column: 65, message: "nesting deeper than 64 levels")
    }

    // MARK: Size

    @Test func seventeenMebibytesAreRefusedBeforeParsing() {
        var bytes = Array(Self.header.utf8)
        bytes += Array(repeating: UInt8(ascii: "#"), count: 17 << 20)
        bytes.append(UInt8(ascii: "\n"))
        let (result, elapsed) = ComposerKit.timed { TopologyLoader.load(bytes: bytes, file: ComposerKit.file) }
        // A guard against a hang only: the whole input is scanned for NUL bytes and UTF-8 before its size is checked.
        #expect(elapsed < .seconds(10))
        Self.expectFirst(
            result, .inputTooComplex, line: 1, column: 1,
            message: "the file is \(bytes.count) bytes; topoc reads at most 16777216 bytes")
        #expect(result.diagnostics.count == 1)
    }

    @Test func theSizeBoundIsExact() {
        let text = Self.header
        let size = text.utf8.count
        let (fits, _) = Self.load(text, limits: ParseLimits(maxBytes: size, maxDepth: 64, maxExpandedNodes: 1000))
        #expect(fits.topology != nil)
        let (over, _) = Self.load(text, limits: ParseLimits(maxBytes: size - 1, maxDepth: 64, maxExpandedNodes: 1000))
        Self.expectFirst(
            over, .inputTooComplex, line: 1, column: 1, message: "the file is \(size) bytes; topoc reads at most \(size - 1) bytes")
    }

    @Test func defaultLimits() {
        #expect(ParseLimits.default == ParseLimits(maxBytes: 16 << 20, maxDepth: 64, maxExpandedNodes: 1_000_000))
    }

    @Test func aRealisticTopologyStaysFarBelowTheLimits() throws {
        // A realistic topology: 40 tables of 10 columns composes with a tiny fraction of the bounds.
        var text = Self.header + "tables:\n"
        for table in 0..<40 {
            text += "  t\(table):\n    columns:\n"
            for column in 0..<10 { text += "      c\(column): bigint\n" }
            text += "    primary_key: [c0]\n"
        }
        let strict = ParseLimits(maxBytes: 64 << 10, maxDepth: 8, maxExpandedNodes: 2000)
        let (result, _) = Self.load(text, limits: strict)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.rendered))")
        #expect(result.topology?.tables.count == 40)
    }
}
