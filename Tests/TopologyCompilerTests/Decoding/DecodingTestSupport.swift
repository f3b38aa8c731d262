import Testing

@testable import TopologyCompiler

/// Builds minimal topologies for the decoder tests and decodes them.
enum DecodeFixture {
    /// The file name the fixtures are loaded as.
    static let file = "decode-test.yaml"

    /// The three lines every fixture starts with (unless `clusters` replaces the cluster block).
    static let header = "topology: shop\nclusters:\n  main: { members: 1 }\n"

    /// A minimal valid topology (name `shop`, one cluster `main` of one member) followed by `extra`.
    /// When `clusters` is given it replaces the body of the `clusters:` key (indent it by two).
    static func document(_ extra: String = "", clusters: String? = nil) -> String {
        guard let clusters else { return header + extra }
        return "topology: shop\nclusters:\n" + clusters + (clusters.hasSuffix("\n") ? "" : "\n") + extra
    }

    /// Loads a text as the fixture file.
    static func load(_ text: String) -> LoadResult {
        TopologyLoader.load(text: text, file: file)
    }

    /// The diagnostics, one rendered per line.
    static func rendered(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(\.rendered).joined(separator: "\n")
    }

    /// Thrown after an issue has been recorded, to stop the test.
    struct Failure: Error {}

    /// Decodes a text that must be valid: no diagnostic at all. Records the diagnostics otherwise.
    static func decode(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Topology {
        let result = load(text)
        guard let topology = result.topology, result.diagnostics.isEmpty else {
            Issue.record(
                "expected a valid topology, got:\n\(rendered(result.diagnostics))\n--- input ---\n\(text)",
                sourceLocation: sourceLocation)
            throw Failure()
        }
        return topology
    }

    /// Decodes `document(extra)`.
    static func decode(extra: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Topology {
        try decode(document(extra), sourceLocation: sourceLocation)
    }

    /// The diagnostics of a text that must be rejected (topology nil, at least one error).
    static func rejected(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [Diagnostic] {
        let result = load(text)
        #expect(result.topology == nil, "the topology should be rejected:\n\(text)", sourceLocation: sourceLocation)
        #expect(result.diagnostics.hasErrors, sourceLocation: sourceLocation)
        return result.diagnostics
    }

    /// Expects that `text` is rejected with a diagnostic of `code` at the first occurrence of `needle`
    /// (line and column), whose message contains `message`. Returns that diagnostic.
    @discardableResult
    static func expectError(
        _ text: String, _ code: DiagnosticCode, at needle: String, occurrence: Int = 1, message: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> Diagnostic {
        let diagnostics = rejected(text, sourceLocation: sourceLocation)
        guard let position = position(of: needle, in: text, occurrence: occurrence) else {
            Issue.record("'\(needle)' does not occur \(occurrence) time(s) in:\n\(text)", sourceLocation: sourceLocation)
            throw Failure()
        }
        let found = diagnostics.first {
            $0.code == code && $0.location.line == position.line && $0.location.column == position.column
                && $0.message.contains(message) && $0.location.file == file
        }
        return try #require(
            found,
            "expected \(code.code) at \(position.line):\(position.column) containing \"\(message)\", got:\n\(rendered(diagnostics))",
            sourceLocation: sourceLocation)
    }

    /// The 1-based line and column (in Unicode scalars) of the `occurrence`-th `needle` in `text`.
    static func position(of needle: String, in text: String, occurrence: Int = 1) -> (line: Int, column: Int)? {
        TextPosition.of(needle, in: text, occurrence: occurrence)
    }

    /// Expects `location` to be exactly at the `occurrence`-th `needle` of `text`.
    static func expect(
        _ location: TopologyCompiler.SourceLocation?, at needle: String, in text: String, occurrence: Int = 1,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        guard let location else {
            Issue.record("no location (expected at \(needle))", sourceLocation: sourceLocation)
            return
        }
        guard let position = position(of: needle, in: text, occurrence: occurrence) else {
            Issue.record("'\(needle)' does not occur \(occurrence) time(s) in the fixture", sourceLocation: sourceLocation)
            return
        }
        #expect(location.file == file, sourceLocation: sourceLocation)
        #expect(
            location.line == position.line && location.column == position.column,
            "located at \(location.line):\(location.column), expected \(position.line):\(position.column) ('\(needle)')",
            sourceLocation: sourceLocation)
    }
}

/// A decoded grammar-key fixture, handed to a ``GrammarKeyCase``'s check.
struct DecodedFixture {
    /// The decoded topology.
    let topology: Topology
    /// The whole YAML text that was decoded.
    let text: String

    /// Expects `location` at the `occurrence`-th `needle` of the fixture.
    func expect(
        _ location: TopologyCompiler.SourceLocation?, at needle: String, occurrence: Int = 1,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        DecodeFixture.expect(location, at: needle, in: text, occurrence: occurrence, sourceLocation: sourceLocation)
    }
}

/// One key of one ``GrammarSection`` written in a minimal valid topology, with the assertions
/// on the decoded model. Every suite lists its cases; ``GrammarKeyRegistry`` collects them so
/// that a grammar key without a test fails the suite.
struct GrammarKeyCase: Sendable, CustomTestStringConvertible {
    /// The section the key belongs to.
    let section: GrammarSection
    /// The key.
    let key: String
    /// The complete YAML document.
    let yaml: String
    /// Assertions on the decoded topology.
    let check: @Sendable (DecodedFixture) throws -> Void

    init(
        _ section: GrammarSection, _ key: String, _ yaml: String,
        check: @escaping @Sendable (DecodedFixture) throws -> Void
    ) {
        self.section = section
        self.key = key
        self.yaml = yaml
        self.check = check
    }

    var testDescription: String { "\(section.rawValue).\(key)" }

    /// Decodes the fixture (it must be valid) and runs the check.
    func run(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let topology = try DecodeFixture.decode(yaml, sourceLocation: sourceLocation)
        try check(DecodedFixture(topology: topology, text: yaml))
    }
}
