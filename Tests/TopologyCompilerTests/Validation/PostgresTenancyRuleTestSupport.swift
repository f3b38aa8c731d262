import Foundation
import Testing

@testable import TopologyCompiler

/// Decodes small topologies and runs single rules of the PostgreSQL and tenancy families.
///
/// A fixture is the body of a topology: it is appended to ``header`` (topology `shop`, one cluster
/// `main`), so line numbers count from the header's first line. Expected locations are given as a
/// needle: the line and column of its `occurrence`-th appearance in the whole text.
enum RuleFixture {
    /// The file name fixtures are loaded as.
    static let file = "rule-test.yaml"

    /// The lines every fixture starts with.
    static let header = "topology: shop\nclusters:\n  main: { members: 1 }\n"

    /// Thrown after an issue has been recorded, to stop the test.
    struct Failure: Error {}

    /// Decodes `header + body`, which must decode without any diagnostic.
    static func topology(_ body: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Topology {
        let text = header + body
        let result = TopologyLoader.load(text: text, file: file)
        guard let topology = result.topology, result.diagnostics.isEmpty else {
            let rendered = result.diagnostics.map(\.rendered).joined(separator: "\n")
            Issue.record(
                "the fixture does not decode cleanly:\n\(rendered)\n--- input ---\n\(text)",
                sourceLocation: sourceLocation)
            throw Failure()
        }
        return topology
    }

    /// What the validator reports when it runs only the rule `code` over `header + body`
    /// (findings of the rule, plus TPC040 for suppressions it leaves unused).
    static func diagnostics(
        _ code: String, _ body: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> [Diagnostic] {
        let rule = try #require(
            RuleCatalog.rule(code), "no rule \(code) in the catalog", sourceLocation: sourceLocation)
        let topology = try topology(body, sourceLocation: sourceLocation)
        return Validator(topology: topology, rules: [rule]).run()
    }

    /// Expects the rule `code` to report at the `occurrence`-th `needle` (line and column), with a
    /// message containing `message`; returns that diagnostic.
    @discardableResult
    static func expectReport(
        _ code: String, in body: String, at needle: String, occurrence: Int = 1, message: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> Diagnostic {
        let found = try diagnostics(code, body, sourceLocation: sourceLocation)
        let position = try #require(
            self.position(of: needle, in: header + body, occurrence: occurrence),
            "'\(needle)' does not occur \(occurrence) time(s) in the fixture", sourceLocation: sourceLocation)
        let match = found.first {
            $0.code.code == code && $0.location.file == file && $0.location.line == position.line
                && $0.location.column == position.column && $0.message.contains(message)
        }
        let rendered = found.map(\.rendered).joined(separator: "\n")
        return try #require(
            match,
            "expected \(code) at \(position.line):\(position.column) containing \"\(message)\", got:\n\(rendered)",
            sourceLocation: sourceLocation)
    }

    /// Expects the rule `code` to report nothing at all over `header + body`: no finding and no
    /// unused suppression.
    static func expectClean(_ code: String, _ body: String, sourceLocation: Testing.SourceLocation = #_sourceLocation)
        throws
    {
        let found = try diagnostics(code, body, sourceLocation: sourceLocation)
        #expect(
            found.isEmpty, "expected nothing, got:\n\(found.map(\.rendered).joined(separator: "\n"))",
            sourceLocation: sourceLocation)
    }

    /// What the project sees of rule `code` over `header + body`: the validator's diagnostics after
    /// the topology's `rules:` severity overrides (the way to silence rules on objects that take
    /// no `suppress`, such as the tenancy section).
    static func projectDiagnostics(
        _ code: String, _ body: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> [Diagnostic] {
        let topology = try topology(body, sourceLocation: sourceLocation)
        return SeverityPolicy(topology: topology).apply(to: try diagnostics(code, body, sourceLocation: sourceLocation))
    }

    /// Expects the note of a diagnostic to point at the `occurrence`-th `needle` of the fixture.
    static func expectNote(
        _ diagnostic: Diagnostic, in body: String, at needle: String, occurrence: Int = 1,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        guard let position = position(of: needle, in: header + body, occurrence: occurrence) else {
            Issue.record("'\(needle)' does not occur in the fixture", sourceLocation: sourceLocation)
            return
        }
        #expect(
            diagnostic.notes.contains { $0.location.line == position.line && $0.location.column == position.column },
            "no note at \(position.line):\(position.column); notes: \(diagnostic.notes.map { "\($0.location)" })",
            sourceLocation: sourceLocation)
    }

    /// A suppression list item for `code`, indented for a table (`indent` spaces before `suppress`).
    static func suppress(_ code: String, indent: Int = 4) -> String {
        let pad = String(repeating: " ", count: indent)
        return "\(pad)suppress:\n\(pad)  - { rule: \(code), reason: \"accepted in this test\" }\n"
    }

    /// The 1-based line and column (in Unicode scalars) of the `occurrence`-th `needle` in `text`.
    static func position(of needle: String, in text: String, occurrence: Int = 1) -> (line: Int, column: Int)? {
        TextPosition.of(needle, in: text, occurrence: occurrence)
    }

    /// The topologies of the `examples` folder, by file name.
    static func examples() throws -> [(name: String, text: String)] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        return try names.sorted().map { name in
            (name, try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8))
        }
    }
}
