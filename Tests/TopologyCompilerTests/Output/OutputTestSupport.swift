import Foundation
import Testing

@testable import TopologyCompiler

/// Helpers for the output-writer tests (namespaced to avoid clashing with other test files).
enum OutputTestKit {
    /// A fresh, empty scratch directory, deleted afterwards.
    static func withScratch(_ body: (URL) throws -> Void) throws {
        let base = FileManager.default.temporaryDirectory
            .appendingPathComponent("topoc-output-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        try body(base)
    }

    /// Runs a write and returns its error, or `nil` if it succeeded.
    static func writeError(_ writer: OutputWriter, _ artifacts: [Artifact]) -> OutputError? {
        do {
            _ = try writer.write(artifacts)
            return nil
        } catch {
            return error
        }
    }

    /// A text artifact.
    static func art(_ path: String, _ text: String, producer: String = "plan") -> Artifact {
        Artifact(path: path, contents: text, producer: producer)
    }

    /// The text of a file below `base`, or `nil` if it cannot be read.
    static func text(_ base: URL, _ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: base.appendingPathComponent(path).path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes a text file below `base`, creating parents.
    static func put(_ base: URL, _ path: String, _ contents: String) throws {
        let url = base.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
    }

    /// Whether something (including a dangling symlink) exists at `path` below `base`.
    static func exists(_ base: URL, _ path: String) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: base.appendingPathComponent(path).path)) != nil
    }

    /// Every entry below `base`, relative, sorted (does not follow symlinks).
    static func listing(_ base: URL) -> [String] {
        guard let names = try? FileManager.default.subpathsOfDirectory(atPath: base.path) else { return [] }
        return names.sorted()
    }

    /// The modification date of a file below `base`.
    static func mtime(_ base: URL, _ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: base.appendingPathComponent(path).path))?[.modificationDate] as? Date
    }

    /// Sets the modification date of a file below `base` to a fixed past instant.
    static func backdate(_ base: URL, _ path: String) throws {
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: 1_000_000_000)],
            ofItemAtPath: base.appendingPathComponent(path).path)
    }

    /// The manifest's bytes in `base`.
    static func manifestBytes(_ base: URL) -> [UInt8]? {
        FileManager.default.contents(atPath: base.appendingPathComponent(OutputWriter.manifestName).path).map { Array($0) }
    }
}
