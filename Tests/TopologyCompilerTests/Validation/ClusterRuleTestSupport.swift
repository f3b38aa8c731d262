import Foundation
import Testing

@testable import TopologyCompiler

/// Loads small topologies and runs single rules over them, for the availability, sharding,
/// change-data-capture and pooling rule suites.
enum ClusterRuleFixture {
    /// The file name fixtures are loaded as.
    static let file = "rule-test.yaml"

    /// Thrown after an issue has been recorded, to stop the test.
    struct Failure: Error {}

    /// Loads a text that must decode without errors.
    static func topology(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Topology {
        let result = TopologyLoader.load(text: text, file: file)
        guard let topology = result.topology else {
            Issue.record(
                "the fixture does not load:\n\(result.diagnostics.map(\.rendered).joined(separator: "\n"))\n--- input ---\n\(text)",
                sourceLocation: sourceLocation)
            throw Failure()
        }
        return topology
    }

    /// Every diagnostic of running the rule with `code` alone over `text` (unused-suppression
    /// warnings included, so that a test can see a suppression that silenced nothing).
    static func run(_ code: DiagnosticCode, _ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws
        -> [Diagnostic]
    {
        let topology = try topology(text, sourceLocation: sourceLocation)
        let rule = try #require(RuleCatalog.rule(code.code), "\(code.code) is not in the catalog", sourceLocation: sourceLocation)
        return Validator(topology: topology, rules: [rule]).run()
    }

    /// The diagnostics of the rule with `code` over `text`.
    static func findings(_ code: DiagnosticCode, _ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation)
        throws -> [Diagnostic]
    {
        try run(code, text, sourceLocation: sourceLocation).filter { $0.code == code }
    }

    /// Expects exactly `count` diagnostics of `code` (default one), the first at the `occurrence`-th
    /// `needle` of the text (line and column), with the code's default severity and a message
    /// containing `message`. Returns the diagnostics.
    @discardableResult
    static func expect(
        _ code: DiagnosticCode, in text: String, at needle: String, occurrence: Int = 1, count: Int = 1,
        message: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> [Diagnostic] {
        let found = try findings(code, text, sourceLocation: sourceLocation)
        #expect(
            found.count == count, "expected \(count) \(code.code), got:\n\(rendered(found))", sourceLocation: sourceLocation)
        let first = try #require(found.first, sourceLocation: sourceLocation)
        expect(first.location, at: needle, in: text, occurrence: occurrence, sourceLocation: sourceLocation)
        #expect(first.severity == code.defaultSeverity, sourceLocation: sourceLocation)
        #expect(
            first.message.contains(message), "message \"\(first.message)\" lacks \"\(message)\"",
            sourceLocation: sourceLocation)
        return found
    }

    /// Expects the rule to find nothing in `text`, and every suppression in it to be used.
    static func expectNothing(_ code: DiagnosticCode, in text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation)
        throws
    {
        let diagnostics = try run(code, text, sourceLocation: sourceLocation)
        #expect(diagnostics.isEmpty, "expected no diagnostic, got:\n\(rendered(diagnostics))", sourceLocation: sourceLocation)
    }

    /// Expects a diagnostic's note at the `occurrence`-th `needle`.
    static func expectNote(
        _ diagnostic: Diagnostic, at needle: String, in text: String, occurrence: Int = 1,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        guard let position = position(of: needle, in: text, occurrence: occurrence) else {
            Issue.record("'\(needle)' does not occur \(occurrence) time(s) in the fixture", sourceLocation: sourceLocation)
            return
        }
        #expect(
            diagnostic.notes.contains { $0.location.line == position.line && $0.location.column == position.column },
            "no note at \(position.line):\(position.column) ('\(needle)'): \(diagnostic.rendered)", sourceLocation: sourceLocation
        )
    }

    /// Expects `location` at the `occurrence`-th `needle` of `text`.
    static func expect(
        _ location: TopologyCompiler.SourceLocation, at needle: String, in text: String, occurrence: Int = 1,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
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

    /// The 1-based line and column (in Unicode scalars) of the `occurrence`-th `needle`.
    static func position(of needle: String, in text: String, occurrence: Int = 1) -> (line: Int, column: Int)? {
        TextPosition.of(needle, in: text, occurrence: occurrence)
    }

    /// The diagnostics, one rendered per line.
    static func rendered(_ diagnostics: [Diagnostic]) -> String { diagnostics.map(\.rendered).joined(separator: "\n") }

    /// The repository's `examples/` folder.
    static let examplesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples")

    /// Every example topology, by file name, loaded (nil when it does not load).
    static func examples() throws -> [(name: String, topology: Topology?)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: examplesDirectory.path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        return try names.map { name in
            let data = try Data(contentsOf: examplesDirectory.appendingPathComponent(name))
            return (name, TopologyLoader.load(bytes: Array(data), file: name).topology)
        }
    }
}
