import Testing

@testable import TopologyCompiler

/// Duplicate keys, merge keys, aliases and node kinds as the composer builds them.
@Suite("Composer semantics")
struct ComposerSemanticsTests {
    // MARK: Duplicate keys

    static func expectDuplicate(
        _ text: String, key: String, at location: (Int, Int), first: (Int, Int),
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        let result = ComposerKit.compose(text)
        let duplicates = result.diagnostics.filter { $0.code == .duplicateKey }
        #expect(duplicates.count == 1, "\(result.diagnostics.map(\.rendered))", sourceLocation: sourceLocation)
        guard let diagnostic = duplicates.first else { return }
        #expect(diagnostic.message == "duplicate key '\(key)'", sourceLocation: sourceLocation)
        #expect(diagnostic.location.line == location.0 && diagnostic.location.column == location.1, sourceLocation: sourceLocation)
        #expect(diagnostic.notes.count == 1, sourceLocation: sourceLocation)
        #expect(diagnostic.notes.first?.message == "'\(key)' first defined here", sourceLocation: sourceLocation)
        #expect(
            diagnostic.notes.first?.location.line == first.0 && diagnostic.notes.first?.location.column == first.1,
            sourceLocation: sourceLocation)
    }

    @Test func duplicateIsReportedAtTheDuplicateWithANoteAtTheFirst() {
        Self.expectDuplicate("a: 1\nb: 2\na: 3\n", key: "a", at: (3, 1), first: (1, 1))
    }

    @Test func quotingStylesDoNotHideDuplicates() {
        Self.expectDuplicate("\"a\": 1\na: 2\n", key: "a", at: (2, 1), first: (1, 1))
        Self.expectDuplicate("a: 1\n'a': 2\n", key: "a", at: (2, 1), first: (1, 1))
        Self.expectDuplicate("{ x: 1, \"x\": 2 }\n", key: "x", at: (1, 9), first: (1, 3))
    }

    @Test func escapedAndFoldedSpellingsOfTheSameKeyAreDuplicates() {
        Self.expectDuplicate("\"\\u0061pp\": 1\napp: 2\n", key: "app", at: (2, 1), first: (1, 1))
        Self.expectDuplicate("? |-\n  block\n: 1\nblock: 2\n", key: "block", at: (4, 1), first: (1, 3))
        Self.expectDuplicate("? two\n  words\n: 1\ntwo words: 2\n", key: "two words", at: (4, 1), first: (1, 3))
    }

    @Test func keysThatDifferAreNotDuplicates() {
        let result = ComposerKit.compose("a: 1\nA: 2\n\"a \": 3\nab: 4\n")
        #expect(result.diagnostics.isEmpty)
        #expect(ComposerKit.keys(result.root) == ["a", "A", "a ", "ab"])
    }

    @Test func duplicatesAreReportedInNestedMappingsAndAllInOneRun() {
        let text = "outer:\n  inner:\n    k: 1\n    k: 2\n  inner2: { x: 1, x: 2 }\nlist:\n  - { y: 1, y: 2 }\n"
        let result = ComposerKit.compose(text)
        #expect(result.root != nil)
        let duplicates = result.diagnostics.filter { $0.code == .duplicateKey }
        #expect(duplicates.map(\.location.line) == [4, 5, 7])
        #expect(duplicates.map(\.message) == ["duplicate key 'k'", "duplicate key 'x'", "duplicate key 'y'"])
    }

    @Test func theFirstValueIsKeptForADuplicate() {
        let result = ComposerKit.compose("a: first\na: second\n")
        #expect(ComposerKit.value(result.root, "a")?.scalar == "first")
        #expect(ComposerKit.keys(result.root) == ["a"])
    }

    @Test func nonScalarKeysAreRefused() {
        let result = ComposerKit.compose("? [a, b]\n: 1\n? { c: d }\n: 2\nok: 3\n")
        #expect(result.diagnostics.map(\.code) == [.wrongType, .wrongType])
        #expect(
            result.diagnostics.map(\.message) == [
                "mapping keys must be strings, found a list", "mapping keys must be strings, found a mapping",
            ])
        #expect(result.diagnostics.map(\.location.line) == [1, 3])
        #expect(ComposerKit.keys(result.root) == ["ok"])
    }

    @Test func duplicateKeysThroughTheLoaderFailTheTopology() {
        let text = "topology: shop\nclusters:\n  main: { members: 1 }\n  main: { members: 2 }\n"
        let result = TopologyLoader.load(text: text, file: ComposerKit.file)
        #expect(result.topology == nil)
        #expect(result.diagnostics.map(\.code) == [.duplicateKey])
        #expect(
            result.diagnostics.first?.rendered == """
                compose-test.yaml:4:3: error: duplicate key 'main' [TPC002]
                compose-test.yaml:3:3: note: 'main' first defined here
                """)
    }

    // MARK: Merge keys

    @Test func explicitKeysWinOverMergedOnesWhereverTheMergeIsWritten() {
        let before = ComposerKit.compose("base: &b { x: 1, y: 2 }\nuse:\n  <<: *b\n  x: 10\n")
        let after = ComposerKit.compose("base: &b { x: 1, y: 2 }\nuse:\n  x: 10\n  <<: *b\n")
        for result in [before, after] {
            #expect(result.diagnostics.isEmpty)
            let use = ComposerKit.value(result.root, "use")
            #expect(ComposerKit.value(use, "x")?.scalar == "10")
            #expect(ComposerKit.value(use, "y")?.scalar == "2")
            #expect(Set(ComposerKit.keys(use)) == ["x", "y"])
        }
    }

    @Test func earlierMergeSourcesWinOverLaterOnes() {
        let text = "a: &a { k: from-a, only-a: 1 }\nb: &b { k: from-b, only-b: 2 }\nuse:\n  <<: [*a, *b]\n"
        let result = ComposerKit.compose(text)
        #expect(result.diagnostics.isEmpty)
        let use = ComposerKit.value(result.root, "use")
        #expect(ComposerKit.value(use, "k")?.scalar == "from-a")
        #expect(ComposerKit.value(use, "only-a")?.scalar == "1")
        #expect(ComposerKit.value(use, "only-b")?.scalar == "2")
        let reversed = ComposerKit.compose(text.replacingOccurrences(of: "[*a, *b]", with: "[*b, *a]"))
        #expect(ComposerKit.value(ComposerKit.value(reversed.root, "use"), "k")?.scalar == "from-b")
    }

    @Test func mergedValuesKeepTheLocationWhereTheyWereWritten() throws {
        let text = "defaults: &d\n  ttl: 20s\n  loop_wait: 5s\nuse:\n  <<: *d\n  loop_wait: 2s\n"
        let result = ComposerKit.compose(text)
        let use = ComposerKit.value(result.root, "use")
        let ttl = try #require(ComposerKit.value(use, "ttl"))
        #expect(ttl.location.line == 2)
        #expect(ttl.location.column == 8)
        let wait = try #require(ComposerKit.value(use, "loop_wait"))
        #expect(wait.scalar == "2s")
        #expect(wait.location.line == 6)
    }

    @Test func mergedValuesKeepTheirLocationThroughTheDecoder() throws {
        let text = """
            topology: shop
            x-timing: &timing
              ttl: 20s
              retry_timeout: 7s
            clusters:
              main:
                members: 1
                failover:
                  <<: *timing
                  retry_timeout: 3s

            """
        let topology = try DecodeFixture.decode(text)
        let failover = topology.clusters[0].failover
        #expect(failover.ttl.value == .seconds(20))
        #expect(failover.ttl.location.line == 3)
        #expect(failover.retryTimeout.value == .seconds(3))
        #expect(failover.retryTimeout.location.line == 10)
    }

    @Test func diagnosticsAboutMergedValuesPointIntoTheAnchor() throws {
        let text = "topology: shop\nx-t: &t { ttl: 10 }\nclusters:\n  main:\n    members: 1\n    failover: { <<: *t }\n"
        try DecodeFixture.expectError(text, .invalidQuantity, at: "10 }", message: "'10' is not a duration")
    }

    @Test func aDuplicateInsideAMergeSourceIsAnErrorButAnOverrideIsNot() {
        let text = "src: &s\n  k: 1\n  k: 2\nuse:\n  <<: *s\n  k: 3\n"
        let result = ComposerKit.compose(text)
        #expect(result.diagnostics.map(\.code) == [.duplicateKey])
        #expect(result.diagnostics.first?.location.line == 3)
        #expect(ComposerKit.value(ComposerKit.value(result.root, "use"), "k")?.scalar == "3")
    }

    @Test func mergesAreTransitive() {
        let text = "a: &a { x: 1 }\nb: &b { <<: *a, y: 2 }\nc:\n  <<: *b\n  z: 3\n"
        let result = ComposerKit.compose(text)
        #expect(result.diagnostics.isEmpty)
        let c = ComposerKit.value(result.root, "c")
        #expect(Set(ComposerKit.keys(c)) == ["x", "y", "z"])
        #expect(ComposerKit.value(c, "x")?.location.line == 1)
    }

    @Test func mergeTakesOnlyMappings() {
        let scalar = ComposerKit.compose("a: &a 5\nuse: { <<: *a }\n")
        #expect(scalar.root == nil)
        #expect(scalar.diagnostics.map(\.code) == [.wrongType])
        #expect(scalar.diagnostics.first?.message == "a merge key (<<) takes a mapping or a list of mappings, found an integer")
        let mixed = ComposerKit.compose("a: &a { x: 1 }\nuse:\n  <<: [*a, [1]]\n")
        #expect(mixed.root == nil)
        #expect(mixed.diagnostics.first?.message == "a merge key (<<) takes a mapping or a list of mappings, found a list")
        #expect(mixed.diagnostics.first?.location == SourceLocation(file: ComposerKit.file, line: 3, column: 12))
    }

    @Test func aQuotedMergeKeyIsAnOrdinaryKey() {
        let result = ComposerKit.compose("use:\n  \"<<\": { x: 1 }\n")
        #expect(result.diagnostics.isEmpty)
        #expect(ComposerKit.keys(ComposerKit.value(result.root, "use")) == ["<<"])
        let loaded = TopologyLoader.load(
            text: "topology: shop\nclusters:\n  main:\n    members: 1\n    failover: { \"<<\": { ttl: 5s } }\n", file: ComposerKit.file)
        #expect(loaded.topology == nil)
        #expect(loaded.diagnostics.map(\.code) == [.unknownKey])
        #expect(loaded.diagnostics.first?.message == "unknown key '<<' in `failover`")
    }

    // MARK: Aliases and documents

    @Test func aliasesShareTheAnchoredNode() {
        let result = ComposerKit.compose("a: &x { k: v }\nb: *x\n")
        let b = ComposerKit.value(result.root, "b")
        #expect(ComposerKit.value(b, "k")?.scalar == "v")
        // The alias resolves to the anchored node itself, located where the anchor was written.
        #expect(b?.location.line == 1)
    }

    @Test func anAliasMustFollowItsAnchor() {
        let forward = ComposerKit.compose("a: *x\nb: &x 1\n")
        #expect(forward.root == nil)
        #expect(
            forward.diagnostics.map(\.rendered) == [
                "compose-test.yaml:1:4: error: alias *x refers to no anchor defined before it [TPC001]"
            ])
        let recursive = ComposerKit.compose("a: &x [1, *x]\n")
        #expect(recursive.diagnostics.map(\.code) == [.yamlSyntax])
    }

    @Test func aRedefinedAnchorIsUsedFromThereOn() {
        let result = ComposerKit.compose("a: &x 1\nb: *x\nc: &x 2\nd: *x\n")
        #expect(result.diagnostics.isEmpty)
        #expect(ComposerKit.value(result.root, "b")?.scalar == "1")
        #expect(ComposerKit.value(result.root, "d")?.scalar == "2")
    }

    @Test func explicitDocumentMarkersAroundOneDocumentAreFine() {
        let result = ComposerKit.compose("---\na: 1\n...\n")
        #expect(result.diagnostics.isEmpty)
        #expect(ComposerKit.value(result.root, "a")?.scalar == "1")
        let two = ComposerKit.compose("a: 1\n---\n")
        #expect(two.root == nil)
        #expect(two.diagnostics.map(\.code) == [.documentShape])
        #expect(two.diagnostics.first?.location.line == 2)
    }

    @Test func locationsAreOneBasedAndCountUnicodeScalars() {
        let result = ComposerKit.compose("é: [ü, x]\n")
        let list = ComposerKit.value(result.root, "é")
        guard case .sequence(let items)? = list?.content else {
            Issue.record("expected a list")
            return
        }
        #expect(list?.location == SourceLocation(file: ComposerKit.file, line: 1, column: 4))
        #expect(items.map(\.location.column) == [5, 8])
    }

    // MARK: Node kinds

    @Test(arguments: [
        ("a: ", true), ("a: ~", true), ("a: null", true), ("a: Null", true), ("a: NULL", true), ("a: \"\"", false),
        ("a: 'null'", false), ("a: !!str null", false), ("a: nil", false), ("a: none", false),
    ])
    func nullSpellings(_ text: String, _ isNull: Bool) {
        let value = ComposerKit.value(ComposerKit.compose(text).root, "a")
        #expect(value?.isNull == isNull)
    }

    @Test(arguments: [
        ("a: 1", "an integer"), ("a: -7", "an integer"), ("a: 1.5", "a number"), ("a: true", "a boolean"),
        ("a: False", "a boolean"), ("a: yes", "a string"), ("a: \"1\"", "a string"), ("a: '1'", "a string"),
        ("a: x", "a string"), ("a: ~", "null"), ("a: [1]", "a list"), ("a: { b: 1 }", "a mapping"), ("a: |\n  1\n", "a string"),
    ])
    func kindDescriptions(_ text: String, _ kind: String) {
        let value = ComposerKit.value(ComposerKit.compose(text).root, "a")
        #expect(value?.kindDescription == kind)
    }

    @Test func scalarStylesAndTagsAreKept() {
        let root = ComposerKit.compose("p: x\ns: 'x'\nd: \"x\"\nl: |\n  x\nf: >\n  x\nt: !!str 5\n").root
        #expect(ComposerKit.value(root, "p")?.content.style == .plain)
        #expect(ComposerKit.value(root, "s")?.content.style == .singleQuoted)
        #expect(ComposerKit.value(root, "d")?.content.style == .doubleQuoted)
        #expect(ComposerKit.value(root, "l")?.content.style == .literal)
        #expect(ComposerKit.value(root, "f")?.content.style == .folded)
        #expect(ComposerKit.value(root, "l")?.scalar == "x\n")
        #expect(ComposerKit.value(root, "t")?.tag == "tag:yaml.org,2002:str")
        #expect(ComposerKit.value(root, "p")?.tag == nil)
    }
}

extension YAMLNode.Content {
    /// The scalar style, for the composer tests.
    fileprivate var style: YAMLNode.ScalarStyle? {
        if case .scalar(_, let style) = self { return style }
        return nil
    }
}
