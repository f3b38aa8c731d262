import Foundation

/// How diagnostics are printed.
public enum DiagnosticFormat: String, Sendable, CaseIterable {
    /// `path:line:col: error: message [CODE]`, the form swiftc prints.
    case text
    /// A JSON document with one object per diagnostic.
    case json
    /// SARIF 2.1.0, for code-scanning systems.
    case sarif
}

/// Renders diagnostics in one of the ``DiagnosticFormat``s.
public enum DiagnosticRenderer {
    /// The rendered diagnostics, ending with a newline when not empty.
    public static func render(_ diagnostics: [Diagnostic], as format: DiagnosticFormat, files: [String]) -> String {
        switch format {
        case .text:
            return diagnostics.map { $0.rendered + "\n" }.joined()
        case .json:
            return DeterministicJSON.text(JSONReport(diagnostics: diagnostics.map(JSONDiagnostic.init)))
        case .sarif:
            return DeterministicJSON.text(SARIFLog(diagnostics: diagnostics))
        }
    }

}

private struct JSONReport: Encodable {
    var diagnostics: [JSONDiagnostic]
    var errorCount: Int { diagnostics.filter { $0.severity == "error" }.count }
    var warningCount: Int { diagnostics.filter { $0.severity == "warning" }.count }

    enum CodingKeys: String, CodingKey {
        case diagnostics
        case errorCount = "errors"
        case warningCount = "warnings"
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(diagnostics, forKey: .diagnostics)
        try container.encode(errorCount, forKey: .errorCount)
        try container.encode(warningCount, forKey: .warningCount)
    }
}

private struct JSONLocation: Encodable {
    var file: String
    var line: Int
    var column: Int

    init(_ location: SourceLocation) {
        file = location.file
        line = location.line
        column = location.column
    }
}

private struct JSONNote: Encodable {
    var message: String
    var location: JSONLocation
}

/// A fix-it: replace the text from `start` up to `end` (exclusive, same line) with `replacement`.
private struct JSONFixIt: Encodable {
    var start: JSONLocation
    var end: JSONLocation
    var replacement: String

    init?(_ fixIt: FixIt?) {
        guard let fixIt, let end = fixIt.end else { return nil }
        start = JSONLocation(fixIt.location)
        self.end = JSONLocation(end)
        replacement = fixIt.replacement
    }
}

private struct JSONDiagnostic: Encodable {
    var severity: String
    var code: String
    var slug: String
    var message: String
    var location: JSONLocation
    var notes: [JSONNote]
    var fixIt: JSONFixIt?

    init(_ diagnostic: Diagnostic) {
        severity = diagnostic.severity.rawValue
        code = diagnostic.code.code
        slug = diagnostic.code.slug
        message = diagnostic.message
        location = JSONLocation(diagnostic.location)
        notes = diagnostic.notes.map { JSONNote(message: $0.message, location: JSONLocation($0.location)) }
        fixIt = JSONFixIt(diagnostic.fixIt)
    }
}

/// A minimal SARIF 2.1.0 log: one run, the rules used with their metadata, and the results.
private struct SARIFLog: Encodable {
    struct Message: Encodable { var text: String }
    struct Region: Encodable {
        var startLine: Int
        var startColumn: Int
        var endLine: Int?
        var endColumn: Int?
    }
    struct ArtifactLocation: Encodable { var uri: String }
    struct PhysicalLocation: Encodable {
        var artifactLocation: ArtifactLocation
        var region: Region
    }
    struct Location: Encodable {
        var physicalLocation: PhysicalLocation
        var message: Message?
    }
    struct Result: Encodable {
        var ruleId: String
        var ruleIndex: Int
        var level: String
        var message: Message
        var locations: [Location]
        var relatedLocations: [Location]?
        var fixes: [Fix]?
    }
    struct Replacement: Encodable {
        var deletedRegion: Region
        var insertedContent: Content
    }
    struct Content: Encodable { var text: String }
    struct ArtifactChange: Encodable {
        var artifactLocation: ArtifactLocation
        var replacements: [Replacement]
    }
    struct Fix: Encodable {
        var description: Message
        var artifactChanges: [ArtifactChange]
    }
    struct Rule: Encodable {
        var id: String
        var name: String
        var shortDescription: Message
        var fullDescription: Message
        var helpUri: String?
        var defaultConfiguration: [String: String]
    }
    struct Driver: Encodable {
        var name: String
        var version: String
        var rules: [Rule]
    }
    struct Tool: Encodable { var driver: Driver }
    struct Run: Encodable {
        var tool: Tool
        /// Columns count Unicode scalars (SARIF's default is UTF-16 code units).
        var columnKind = "unicodeCodePoints"
        var results: [Result]
    }

    var version = "2.1.0"
    var schema = "https://json.schemastore.org/sarif-2.1.0.json"
    var runs: [Run]

    enum CodingKeys: String, CodingKey {
        case version
        case schema = "$schema"
        case runs
    }

    init(diagnostics: [Diagnostic]) {
        var codes: [DiagnosticCode] = []
        for diagnostic in diagnostics where !codes.contains(diagnostic.code) { codes.append(diagnostic.code) }
        codes.sort { $0.code < $1.code }
        let rules = codes.map { code in
            Rule(
                id: code.code, name: code.slug, shortDescription: Message(text: code.summary),
                fullDescription: Message(text: code.explanation), helpUri: code.source,
                defaultConfiguration: ["level": SARIFLog.level(code.defaultSeverity)])
        }
        func location(_ location: SourceLocation, message: String? = nil) -> Location {
            Location(
                physicalLocation: PhysicalLocation(
                    artifactLocation: ArtifactLocation(uri: location.file),
                    region: Region(startLine: location.line, startColumn: location.column)),
                message: message.map(Message.init))
        }
        let results = diagnostics.map { diagnostic in
            Result(
                ruleId: diagnostic.code.code, ruleIndex: codes.firstIndex(of: diagnostic.code) ?? 0,
                level: SARIFLog.level(diagnostic.severity), message: Message(text: diagnostic.message),
                locations: [location(diagnostic.location)],
                relatedLocations: diagnostic.notes.isEmpty
                    ? nil : diagnostic.notes.map { location($0.location, message: $0.message) },
                fixes: SARIFLog.fixes(diagnostic.fixIt))
        }
        runs = [
            Run(
                tool: Tool(
                    driver: Driver(
                        name: "topoc", version: TopocVersion.current,
                        rules: rules)),
                results: results)
        ]
    }

    /// A resolved fix-it as one SARIF fix (a single replacement).
    static func fixes(_ fixIt: FixIt?) -> [Fix]? {
        guard let fixIt, let end = fixIt.end else { return nil }
        let region = Region(
            startLine: fixIt.location.line, startColumn: fixIt.location.column, endLine: end.line, endColumn: end.column)
        return [
            Fix(
                description: Message(text: "replace with '\(fixIt.replacement)'"),
                artifactChanges: [
                    ArtifactChange(
                        artifactLocation: ArtifactLocation(uri: fixIt.location.file),
                        replacements: [Replacement(deletedRegion: region, insertedContent: Content(text: fixIt.replacement))])
                ])
        ]
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "note"
        }
    }
}
