import Foundation
import Testing

@testable import TopologyCompiler

/// The topologies of issue #16 (`Corpus/Issue16/`): one or more per rule added or changed for it,
/// each with its expectation in its second line: `# expect: valid` (no error), `# expect: CODE @ needle`
/// (the diagnostic at the first occurrence of `needle` after the comment lines) or
/// `# expect: CODE line:column`. The valid ones are applied to PostgreSQL by the
/// PostgresIntegrationTests suite "issue 16 corpus on PostgreSQL".
@Suite("issue 16 corpus")
struct Issue16CorpusTests {
    /// The folder of the topologies.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Issue16")

    /// The file names, sorted.
    static let files: [String] = {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    /// What a file must produce.
    enum Expectation: Equatable {
        case valid
        case diagnostic(code: String, line: Int, column: Int)
    }

    /// Reads a file's expectation from its second line.
    static func expectation(of bytes: [UInt8]) -> Expectation? {
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.components(separatedBy: "\n")
        guard lines.count > 2, lines[1].hasPrefix("# expect: ") else { return nil }
        let spec = String(lines[1].dropFirst("# expect: ".count))
        if spec == "valid" { return .valid }
        let parts = spec.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        if parts[1].hasPrefix("@ ") {
            let needle = String(parts[1].dropFirst(2)).replacingOccurrences(of: "\\n", with: "\n")
            let commentLines = lines.prefix { $0.hasPrefix("#") }.count
            let body = lines.dropFirst(commentLines).joined(separator: "\n")
            guard let range = body.range(of: needle) else { return nil }
            let before = body[..<range.lowerBound]
            let line = commentLines + before.filter { $0 == "\n" }.count + 1
            let column = before.count - (before.lastIndex(of: "\n").map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0) + 1
            return .diagnostic(code: parts[0], line: line, column: column)
        }
        let position = parts[1].split(separator: ":").compactMap { Int($0) }
        guard position.count == 2 else { return nil }
        return .diagnostic(code: parts[0], line: position[0], column: position[1])
    }

    static func bytes(_ file: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent(file)))
    }

    @Test func thereAreAtLeastThirtyTopologies() {
        #expect(Self.files.count >= 30)
    }

    @Test(arguments: files)
    func topology(_ file: String) throws {
        let bytes = try Self.bytes(file)
        let expectation = try #require(Self.expectation(of: bytes), "\(file): no readable '# expect:' line")
        var found: [Diagnostic] = []
        for target in DeploymentTarget.validatedByDefault {
            found += CompilerDriver.compile(bytes: bytes, file: file, target: target).diagnostics
        }
        let rendered = found.map(\.rendered).joined(separator: "\n")
        switch expectation {
        case .valid:
            #expect(!found.hasErrors, "\(file) should validate:\n\(rendered)")
        case .diagnostic(let code, let line, let column):
            #expect(
                found.contains { $0.code.code == code && $0.location.line == line && $0.location.column == column },
                "\(file): expected \(code) at \(line):\(column), got:\n\(rendered)")
            #expect(found.allSatisfy { !$0.message.unicodeScalars.contains { $0.properties.generalCategory == .format } })
        }
    }
}
