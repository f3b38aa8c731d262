import Foundation
import Testing

@testable import TopologyCompiler

/// Every fix-it topoc attaches to a diagnostic, applied to the topology that triggered it: the
/// result validates clean (no error, no warning) for every target `topoc validate` checks.
@Suite("fix-its")
struct FixItTests {
    /// The codes whose diagnostics may carry a fix-it; each has a case below.
    static let codesWithFixIts: Set<String> = [
        DiagnosticCode.unknownKey.code, DiagnosticCode.invalidValue.code, DiagnosticCode.unknownReference.code,
        DiagnosticCode.unknownColumnType.code, DiagnosticCode.keyTypeMismatch.code, DiagnosticCode.keyTypeDiffers.code,
    ]

    /// A topology that triggers a code whose diagnostic carries a fix-it.
    struct Case: Sendable, CustomTestStringConvertible {
        let code: String
        let text: String
        var testDescription: String { code }
    }

    static let header = "topology: shop\npostgres: 15\nclusters:\n  main: { members: 1 }\n"

    static let cases: [Case] = [
        Case(
            code: DiagnosticCode.unknownKey.code,
            text: header + "tables:\n  users:\n    colums: { id: bigint }\n    primary_key: id\n"),
        Case(
            code: DiagnosticCode.invalidValue.code,
            text: header
                + "tables:\n  users:\n    columns: { id: bigint, name: text }\n    primary_key: id\n"
                + "    indexes: [{ columns: name, method: btre }]\n"),
        Case(
            code: DiagnosticCode.unknownReference.code,
            text: header
                + "tables:\n  users:\n    columns: { id: bigint }\n    primary_key: id\n"
                + "  posts:\n    columns: { id: bigint, author: bigint }\n    primary_key: id\n"
                + "    foreign_keys: [{ columns: author, references: { table: user } }]\n    indexes: [{ columns: author }]\n"),
        Case(
            code: DiagnosticCode.unknownColumnType.code,
            text: header + "tables:\n  users:\n    columns: { id: bigint, born: timestmp }\n    primary_key: id\n"),
        Case(
            code: DiagnosticCode.keyTypeMismatch.code,
            text: header
                + "tables:\n  users:\n    columns: { id: bigserial }\n    primary_key: id\n"
                + "  posts:\n    columns: { id: bigint, author: uuid }\n    primary_key: id\n"
                + "    foreign_keys: [{ columns: author, references: { table: users } }]\n    indexes: [{ columns: author }]\n"),
        Case(
            code: DiagnosticCode.keyTypeDiffers.code,
            text: header
                + "tables:\n  users:\n    columns: { id: bigserial }\n    primary_key: id\n"
                + "  posts:\n    columns: { id: bigint, author: integer }\n    primary_key: id\n"
                + "    foreign_keys: [{ columns: author, references: { table: users } }]\n    indexes: [{ columns: author }]\n"),
    ]

    /// The diagnostics `topoc validate` reports for a text (every default target).
    static func validate(_ text: String) -> [Diagnostic] {
        var all: [Diagnostic] = []
        for target in DeploymentTarget.validatedByDefault {
            for diagnostic in CompilerDriver.compile(bytes: Array(text.utf8), file: "t.yaml", target: target).diagnostics
            where !all.contains(diagnostic) {
                all.append(diagnostic)
            }
        }
        return all
    }

    /// `text` with the fix-it's range, as the compiler resolved it, replaced (columns count
    /// Unicode scalars). `nil` when the compiler left it unresolved or it is not in `text`.
    static func apply(_ fixIt: FixIt, to text: String) -> String? {
        guard let end = fixIt.end, end.line == fixIt.location.line, end.column > fixIt.location.column else { return nil }
        var lines = text.components(separatedBy: "\n")
        let index = fixIt.location.line - 1
        guard lines.indices.contains(index) else { return nil }
        let line = Array(lines[index].unicodeScalars)
        let start = fixIt.location.column - 1
        let finish = end.column - 1
        guard start < line.count, finish <= line.count else { return nil }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: line[..<start])
        scalars.append(contentsOf: fixIt.replacement.unicodeScalars)
        scalars.append(contentsOf: line[finish...])
        lines[index] = String(scalars)
        return lines.joined(separator: "\n")
    }

    /// Where a fix-it's scalar ends, for each way YAML writes a scalar on one line.
    @Test(arguments: [
        ("  colums: { id: bigint }", 3, 9),  // a plain key, before ': '
        ("    columns: { id: bigint, born: timestmp }", 34, 42),  // a plain value before a flow indicator
        ("  x: btre   # note", 6, 10),  // trailing blanks and a comment
        ("  x: a#b", 6, 9),  // '#' inside a plain scalar is text
        ("  x: \"ti\\\"me\" # c", 6, 14),  // double-quoted with an escaped quote
        ("  x: 'it''s' }", 6, 13),  // single-quoted with a doubled quote
        ("  é: 'ü'", 6, 9),  // columns count Unicode scalars
        ("  x: timestmp", 6, 14),  // to the end of the line
    ])
    func theEndOfTheScalarIsResolved(line: String, column: Int, end: Int) {
        let fixIt = FixIt(at: SourceLocation(file: "t.yaml", line: 2, column: column), replaceWith: "y")
            .resolved(in: ["first", Substring(line)])
        #expect(fixIt.end == SourceLocation(file: "t.yaml", line: 2, column: end))
    }

    @Test func aFixItOutsideTheSourceStaysUnresolved() {
        let fixIt = FixIt(at: SourceLocation(file: "t.yaml", line: 9, column: 1), replaceWith: "y").resolved(in: ["a"])
        #expect(fixIt.end == nil)
    }

    @Test(arguments: cases)
    func theFixValidatesClean(_ fixture: Case) throws {
        let found = Self.validate(fixture.text)
        let fixable = found.filter { $0.code.code == fixture.code && $0.fixIt != nil }
        #expect(!fixable.isEmpty, "no \(fixture.code) with a fix-it:\n\(found.map(\.rendered).joined(separator: "\n"))")
        var text = fixture.text
        // Last location first, so earlier locations stay valid.
        for diagnostic in fixable.sorted(by: { $0.location > $1.location }) {
            let fixIt = try #require(diagnostic.fixIt)
            text = try #require(Self.apply(fixIt, to: text), "cannot apply \(fixIt) to:\n\(text)")
        }
        let after = Self.validate(text)
        #expect(after.isEmpty, "after the fix-its:\n\(text)\n\(after.map(\.rendered).joined(separator: "\n"))")
    }

    /// Every fix-it seen over the cases, the malformed corpus and the examples is of a listed code,
    /// every listed code has a case, and a corpus fix-it removes its diagnostic.
    @Test func everyCodeWithAFixItHasACase() throws {
        #expect(Set(Self.cases.map(\.code)) == Self.codesWithFixIts)
        var seen = Set<String>()
        var texts = Self.cases.map(\.text)
        let inputs = CorpusTests.inputs
        for file in try FileManager.default.contentsOfDirectory(atPath: inputs.path) where file.hasSuffix(".yaml") {
            let data = try Data(contentsOf: inputs.appendingPathComponent(file))
            if let text = String(data: data, encoding: .utf8), data.count < 100_000 { texts.append(text) }
        }
        for text in texts {
            for diagnostic in Self.validate(text) {
                guard let fixIt = diagnostic.fixIt else { continue }
                seen.insert(diagnostic.code.code)
                guard let fixed = Self.apply(fixIt, to: text) else {
                    Issue.record("cannot apply \(fixIt) of \(diagnostic.rendered)")
                    continue
                }
                let still = Self.validate(fixed).filter { $0.code == diagnostic.code && $0.location == diagnostic.location }
                #expect(still.isEmpty, "\(diagnostic.rendered) remains after its fix-it:\n\(fixed)")
            }
        }
        #expect(seen.isSubset(of: Self.codesWithFixIts), "codes with a fix-it but no case: \(seen.subtracting(Self.codesWithFixIts))")
    }
}
