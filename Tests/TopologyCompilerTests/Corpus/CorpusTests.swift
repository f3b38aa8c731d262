import Foundation
import Testing

@testable import TopologyCompiler

/// Loads every hostile or malformed input and checks the diagnostics listed in ``CorpusExpectations``.
@Suite("Hostile and malformed corpus")
struct CorpusTests {
    /// The `Inputs` folder next to this file.
    static let inputs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Inputs")

    /// The bytes of a case: read from `Inputs/`, or written to a temporary file and read back.
    static func bytes(of corpusCase: CorpusCase) throws -> [UInt8] {
        guard let generated = corpusCase.generated else {
            let url = inputs.appendingPathComponent(corpusCase.file)
            return Array(try Data(contentsOf: url))
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("topoc-corpus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent(corpusCase.file)
        try Data(generated).write(to: url)
        return Array(try Data(contentsOf: url))
    }

    static func matches(_ diagnostic: Diagnostic, _ expected: ExpectedCorpusDiagnostic) -> Bool {
        guard diagnostic.code.code == expected.code, diagnostic.location.line == expected.line,
            diagnostic.location.column == expected.column, diagnostic.message.contains(expected.message)
        else { return false }
        if let line = expected.noteLine, let column = expected.noteColumn {
            return diagnostic.notes.contains { $0.location.line == line && $0.location.column == column }
        }
        return true
    }

    @Test(arguments: CorpusExpectations.all)
    func input(_ corpusCase: CorpusCase) throws {
        let bytes = try Self.bytes(of: corpusCase)
        let clock = ContinuousClock()
        var result: LoadResult?
        let elapsed = clock.measure { result = TopologyLoader.load(bytes: bytes, file: corpusCase.file) }
        let loaded = try #require(result)
        let rendered = loaded.diagnostics.map(\.rendered).joined(separator: "\n")

        #expect(loaded.topology == nil, "the input must be rejected")
        #expect(elapsed < .seconds(1), "a guard against hangs")
        #expect(loaded.diagnostics.allSatisfy { $0.location.file == corpusCase.file && $0.severity == .error }, "\(rendered)")

        let first = try #require(loaded.diagnostics.first, "no diagnostic")
        let expectedFirst = try #require(corpusCase.expected.first)
        #expect(Self.matches(first, expectedFirst), "first diagnostic should be \(expectedFirst), got:\n\(rendered)")
        for expected in corpusCase.expected.dropFirst() {
            #expect(loaded.diagnostics.contains { Self.matches($0, expected) }, "missing \(expected), got:\n\(rendered)")
        }
        if corpusCase.complete {
            #expect(loaded.diagnostics.count == corpusCase.expected.count, "unexpected diagnostics:\n\(rendered)")
        }
    }

    @Test func everyInputFileHasExactlyOneExpectation() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.inputs.path).filter { $0.hasSuffix(".yaml") }
        let expected = CorpusExpectations.files.map(\.file)
        #expect(
            Set(files) == Set(expected),
            "files without expectation: \(Set(files).subtracting(expected)); expectations without file: \(Set(expected).subtracting(files))"
        )
        #expect(expected.count == Set(expected).count, "a file is listed twice")
        #expect(files.count >= 45)
    }

    @Test func theCorpusCoversTheReadingAndDecodingCodes() {
        let codes = Set(CorpusExpectations.all.flatMap { $0.expected.map(\.code) })
        let decoding: [DiagnosticCode] = [
            .yamlSyntax, .duplicateKey, .inputTooComplex, .documentShape, .encoding, .unknownKey, .wrongType, .missingKey,
            .invalidValue, .invalidQuantity, .inapplicableKey, .invalidIdentifier, .identifierTooLong, .duplicateName,
            .unknownReference, .unsafeSQLFragment, .unknownColumnType, .literalSecret, .invalidEnvironmentName,
        ]
        let missing = decoding.map(\.code).filter { !codes.contains($0) }
        #expect(missing.isEmpty, "codes without a corpus input: \(missing)")
    }

    @Test func severalErrorsAreReportedInOneRun() {
        let several = CorpusExpectations.files.filter { $0.expected.count >= 4 }
        #expect(several.count >= 3)
    }

    @Test func representativeInputsAreAcceptedOnceTheOffendingLineIsFixed() throws {
        // Guards that the corpus inputs fail for the reason listed and not for an unrelated one.
        let fixes: [(file: String, from: String, to: String)] = [
            ("012-unknown-top-level-key.yaml", "tabels:", "tables:"),
            ("022-yes-for-boolean.yaml", "nullable: yes", "nullable: true"),
            ("024-merge-duplicate-vs-override.yaml", "  ttl: 25s\n", ""),
            ("031-duration-without-unit.yaml", "rto: 10", "rto: 10s"),
            ("037-sql-injection-table-name.yaml", "\"users; DROP TABLE x\":", "users:"),
            ("053-fk-to-missing-table.yaml", "table: user }", "table: users }"),
            ("058-virtual-nodes-with-jump-hash.yaml", "jump-hash", "consistent-hash"),
            ("083-several-unknown-references.yaml", "[countries]", "[]"),
        ]
        for fix in fixes {
            let text = try String(contentsOf: Self.inputs.appendingPathComponent(fix.file), encoding: .utf8)
            #expect(text.contains(fix.from), "\(fix.file)")
            let fixed = text.replacingOccurrences(of: fix.from, with: fix.to)
            let result = TopologyLoader.load(text: fixed, file: fix.file)
            if fix.file.hasPrefix("083") {
                // The other three unknown references remain.
                #expect(result.diagnostics.count == 3, "\(result.diagnostics.map(\.rendered))")
                continue
            }
            #expect(result.diagnostics.isEmpty, "\(fix.file): \(result.diagnostics.map(\.rendered))")
            #expect(result.topology != nil, "\(fix.file)")
        }
    }

    @Test func theBillionLaughsLevelsBelowTheLimitAreAccepted() throws {
        // Lines 1-9 hold the header and levels 0-5 (about 123,000 nodes): below the bound.
        let text = try String(contentsOf: Self.inputs.appendingPathComponent("063-billion-laughs.yaml"), encoding: .utf8)
        let prefix = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(9).joined(separator: "\n") + "\n"
        #expect(prefix.contains("x-lol5:") && !prefix.contains("x-lol6:"))
        let result = TopologyLoader.load(text: prefix, file: "063-prefix.yaml")
        #expect(result.diagnostics.isEmpty)
        #expect(result.topology != nil)
    }
}
