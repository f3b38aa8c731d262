import Foundation
import Testing

@testable import TopologyCompiler

/// Hostile strings and the real programs that read quoted output back.
enum QuotingTestSupport {
    /// Values that break out of an unquoted or naively quoted context: command substitution,
    /// variables, backquotes, both quotes, comment and ini syntax, globbing, line breaks, every
    /// ASCII control character except NUL, Unicode line separators, and quotes and dollars followed
    /// by a combining mark (one character to Swift and Foundation, which then do not find the
    /// quote in it, but a quote byte to every program that reads it).
    static let hostile: [String] =
        [
            "x$(touch pwned)", "$HOME", "${SECRET}", "${SECRET:?x}", "$$", "$", "`touch pwned`", "it's", "'", "''", "\"quoted\"",
            "back\\slash",
            "a;b&c|d", "a > b < c", "*", "?[x]{y}", "~root", "!1", "# not a comment", "; not a comment", "run\nauth_type = trust",
            "\nlisten_addr = 0.0.0.0\n", "tab\there", "cr\rhere", "line\u{2028}sep", "para\u{2029}sep", "nel\u{85}here",
            "caf\u{E9} \u{1F600}",
            " lead", "trail ", "", "-n", "--help", "it'\u{301}s; touch pwned", "$\u{301}{SECRET}", "q\"\u{301}q",
        ] + (1..<0x20).map { "c\(String(UnicodeScalar(UInt8($0))))c" } + ["del\u{7F}del"]

    /// The program at `path`, or nil when it is not installed (then a failure under CI, where
    /// scripts/install-deps.sh installs it, and a skip elsewhere).
    static func program(_ path: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String? {
        if FileManager.default.isExecutableFile(atPath: path) { return path }
        if ProcessInfo.processInfo.environment["CI"] != nil {
            Issue.record("\(path) is missing under CI (scripts/install-deps.sh installs it)", sourceLocation: sourceLocation)
        }
        return nil
    }

    /// A fresh folder that every user may read and enter.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("topoc-quoting-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        return url
    }
}
