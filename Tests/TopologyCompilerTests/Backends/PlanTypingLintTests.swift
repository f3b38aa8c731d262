import Foundation
import Testing

/// Keeps the plan typed (#13 item 2): the plan's enum-like values are Swift enums, and the
/// backends switch over them instead of comparing strings. This lint scans every Swift file of
/// `Sources/TopologyCompiler/Backends` for string-literal comparisons (`== "…"`, `!= "…"`,
/// `"…" ==`, `case "…"`) and fails, with file and line, on any that is neither a comparison of
/// one character nor on the allow-list below.
@Suite("Plan typing lint")
struct PlanTypingLintTests {
    /// Comparisons with a string literal that are not plan values.
    struct Allowed {
        /// The file, relative to `Sources/TopologyCompiler/Backends`.
        let file: String
        /// The comparisons as the lint reports them (`== "…"`, `case "…"`).
        let comparisons: [String]
        /// Why they are not plan values.
        let reason: String
    }

    /// Every allowed comparison, with its reason. Keep it short: a plan value gets an enum.
    static let allowList: [Allowed] = [
        // Text of the scripts and files the backends write, not Swift logic over the plan.
        Allowed(
            file: "Backup/BackupScheduleUnits.swift", comparisons: [#"case "${1:-}""#],
            reason: "a shell `case` inside the generated backup script"),
        Allowed(
            file: "Compose/ComposeSchemaService.swift", comparisons: [#"case "$1""#],
            reason: "a shell `case` inside the generated schema script"),
        Allowed(
            file: "Patroni/PeerPassfileScript.swift", comparisons: [#"case "$\(variable)""#],
            reason: "a shell `case` inside the generated make-peer-pgpass.sh"),
        Allowed(
            file: "HAProxy/StalenessAgentScript.swift", comparisons: [#"== "__main__""#],
            reason: "Python inside the generated staleness agent"),
        Allowed(
            file: "Patroni/PatroniDynamicConfig.swift", comparisons: [#"== "  parameters:""#],
            reason: "a line of the YAML text the backend has just rendered"),
        Allowed(
            file: "Patroni/PatroniOverlay.swift", comparisons: [#"!= "{}""#],
            reason: "the rendered YAML of an empty mapping"),
        // Free text of the topology, which stays a String in the plan.
        Allowed(
            file: "Kubernetes/ClusterManifest.swift", comparisons: [#"case "kB""#, #"case "MB""#, #"case "GB""#, #"case "TB""#],
            reason: "PostgreSQL's memory units in a cluster setting's value (`shared_buffers`), which is free text"),
        Allowed(
            file: "Postgres/ColumnTypeSQL.swift",
            comparisons: [#"case "smallserial""#, #"case "serial""#, #"case "bigserial""#, #"== "citext""#],
            reason: "a column's SQL type as the topology writes it, which is free text"),
        // Names topoc itself chooses, not values of the plan.
        Allowed(
            file: "Postgres/CronDDL.swift", comparisons: [#"== "cron""#],
            reason: "the database pg_cron runs in, a database name"),
        Allowed(
            file: "Postgres/ExtensionDDL.swift", comparisons: [#"== "pg_partman""#],
            reason: "an extension name from ExtensionDDL's own list"),
    ]

    /// The backends' folder could not be read.
    struct LintError: Error, CustomStringConvertible {
        let description: String
    }

    /// `Sources/TopologyCompiler/Backends`, found from this file's place in `Tests/`.
    static let backends = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Backends
        .deletingLastPathComponent()  // TopologyCompilerTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the package
        .appendingPathComponent("Sources/TopologyCompiler/Backends", isDirectory: true)

    /// A string literal with its escapes: `"…"`.
    private static let literal = #""(?:[^"\\]|\\.)*""#

    /// `== "…"`, `!= "…"`, `"…" ==`, `"…" !=` and `case "…"`.
    static let comparisonPattern = #"(?:==|!=)\s*"# + literal + "|" + literal + #"\s*(?:==|!=)|\bcase\s+"# + literal

    /// The string-literal comparisons of a source text with their 1-based lines, comparisons of
    /// one character (or of the empty string) left out: those scan identifiers, quoting or
    /// text, and no plan value is a single character.
    static func comparisons(in text: String) throws -> [(line: Int, comparison: String)] {
        let comparison = try Regex(comparisonPattern)
        var found: [(line: Int, comparison: String)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            for match in line.matches(of: comparison) {
                let written = String(line[match.range])
                if !comparesOneCharacter(written) { found.append((index + 1, written)) }
            }
        }
        return found
    }

    /// Whether the literal of a comparison holds at most one character or one escape.
    static func comparesOneCharacter(_ comparison: String) -> Bool {
        guard let open = comparison.firstIndex(of: "\""), let close = comparison.lastIndex(of: "\""), open < close else {
            return false
        }
        let content = comparison[comparison.index(after: open)..<close]
        return content.count <= 1 || (content.count == 2 && content.first == "\\")
    }

    /// The comparisons of every backend file that the allow-list does not name, as `file:line: comparison`.
    static func violations() throws -> (violations: [String], seen: Set<String>) {
        guard let enumerator = FileManager.default.enumerator(at: backends, includingPropertiesForKeys: nil) else {
            throw LintError(description: "cannot list \(backends.path)")
        }
        var violations: [String] = []
        var seen = Set<String>()
        let prefix = backends.standardizedFileURL.path + "/"
        for case let url as URL in enumerator where url.pathExtension == "swift" {
            let file = String(url.standardizedFileURL.path.dropFirst(prefix.count))
            let text = try String(contentsOf: url, encoding: .utf8)
            for (line, written) in try comparisons(in: text) {
                if allowList.contains(where: { $0.file == file && $0.comparisons.contains(written) }) {
                    seen.insert("\(file) \(written)")
                } else {
                    violations.append("Sources/TopologyCompiler/Backends/\(file):\(line): \(written)")
                }
            }
        }
        return (violations.sorted(), seen)
    }

    @Test("No backend compares a plan value with a string literal")
    func backendsSwitchOverEnums() throws {
        #expect(FileManager.default.fileExists(atPath: Self.backends.path), "the backends are at \(Self.backends.path)")
        let (violations, _) = try Self.violations()
        #expect(
            violations.isEmpty,
            """
            string-literal comparisons in the backends: switch over the plan's enum instead, or, if the \
            value is not a plan value, add it to PlanTypingLintTests.allowList with the reason:
            \(violations.joined(separator: "\n"))
            """)
    }

    @Test("Every allow-list entry is still needed")
    func allowListIsCurrent() throws {
        let (_, seen) = try Self.violations()
        let stale = Self.allowList.flatMap { entry in
            entry.comparisons.filter { !seen.contains("\(entry.file) \($0)") }.map { "\(entry.file): \($0)" }
        }
        #expect(stale.isEmpty, "allow-list entries no backend has any more: \(stale.joined(separator: ", "))")
    }

    @Test("The lint finds comparisons with words and passes over single characters")
    func scannerFindsComparisons() throws {
        let source = """
            if sharding.strategy == "range" {
            guard tenancy.mode != "schema-per-tenant" else { return }
            case "consistent-hash":
            if "hash-modulo" == strategy {}
            let word = name.allSatisfy { $0 == "_" || $0 == "-" || $0 == "\\"" }
            """
        #expect(
            try Self.comparisons(in: source).map(\.comparison) == [
                #"== "range""#, #"!= "schema-per-tenant""#, #"case "consistent-hash""#, #""hash-modulo" =="#,
            ])
        #expect(try Self.comparisons(in: source).map(\.line) == [1, 2, 3, 4])
    }
}
