import Foundation

/// The contents of `.topoc-manifest`: which files and directories in the output
/// folder topoc owns.
///
/// Serialized as pretty-printed JSON with sorted keys, entries sorted by path
/// bytes, and a trailing newline, so equal manifests are equal bytes:
///
/// ```json
/// {
///   "complete" : true,
///   "directories" : [
///     "sql"
///   ],
///   "files" : [
///     {
///       "path" : "sql/001_schema.sql",
///       "producer" : "plan",
///       "sha256" : "…64 hex digits…"
///     }
///   ],
///   "format" : 1,
///   "generator" : "topoc 1.0.0"
/// }
/// ```
///
/// `directories` lists the directories topoc created (and may remove again when
/// they become empty). `complete` is `false` in the provisional manifest written
/// before a build starts changing files: it already claims every path the build
/// may create, so a build killed half-way never leaves behind files that the
/// next build would consider foreign. Hashes in a provisional manifest are not
/// used to detect user edits.
public struct OutputManifest: Sendable, Hashable, Codable {
    /// One owned file.
    public struct Entry: Sendable, Hashable, Codable {
        /// The file's path relative to the output folder.
        public var path: String
        /// The backend that produced it.
        public var producer: String
        /// SHA-256 of the bytes topoc wrote, as 64 lowercase hex digits.
        public var sha256: String

        /// Creates an entry.
        public init(path: String, producer: String, sha256: String) {
            self.path = path
            self.producer = producer
            self.sha256 = sha256
        }
    }

    /// The manifest format this version of topoc reads and writes.
    public static let currentFormat = 1

    /// The manifest format number.
    public var format: Int
    /// The topoc version string that wrote the manifest.
    public var generator: String
    /// `false` while a build is in progress (see the type's documentation).
    public var complete: Bool
    /// Directories topoc created, relative to the output folder, sorted.
    public var directories: [String]
    /// Owned files, sorted by path.
    public var files: [Entry]

    /// Creates a manifest; entries and directories are sorted by path bytes.
    public init(generator: String, complete: Bool, directories: [String], files: [Entry]) {
        self.format = Self.currentFormat
        self.generator = generator
        self.complete = complete
        self.directories = directories.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        self.files = files.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// The manifest's canonical bytes (stable key order, pretty printed,
    /// trailing newline).
    public func encoded() -> [UInt8] {
        // Encoding strings, integers and booleans cannot fail.
        let data = (try? DeterministicJSON.data(self)) ?? Data()
        return Array(data) + [UInt8(ascii: "\n")]
    }

    /// Parses and validates manifest bytes.
    /// - Parameter displayPath: The manifest's filesystem path, for error messages.
    /// - Throws: ``OutputError/badManifest(path:reason:)`` if the bytes are not a
    ///   manifest this version understands, list an unsafe or duplicate path, or
    ///   carry a malformed hash.
    public static func decode(_ bytes: [UInt8], displayPath: String) throws(OutputError) -> OutputManifest {
        if bytes.isEmpty {
            throw .badManifest(path: displayPath, reason: "the file is empty")
        }
        let manifest: OutputManifest
        do {
            manifest = try JSONDecoder().decode(OutputManifest.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw .badManifest(path: displayPath, reason: describe(error))
        } catch {
            throw .badManifest(path: displayPath, reason: "it is not valid JSON")
        }
        if manifest.format != currentFormat {
            throw .badManifest(
                path: displayPath,
                reason: "it has format \(manifest.format) but this topoc understands only format \(currentFormat)")
        }
        var seen: Set<ArtifactPath> = []
        for entry in manifest.files {
            let path: ArtifactPath
            do {
                path = try ArtifactPath(entry.path)
            } catch {
                throw .badManifest(path: displayPath, reason: "it lists an unsafe file path: \(error)")
            }
            if !seen.insert(path).inserted {
                throw .badManifest(path: displayPath, reason: "it lists \(OutputError.quote(entry.path)) twice")
            }
            if !OutputSHA256.isHexDigest(entry.sha256) {
                throw .badManifest(
                    path: displayPath, reason: "the hash of \(OutputError.quote(entry.path)) is not 64 lowercase hex digits")
            }
        }
        for directory in manifest.directories {
            do {
                _ = try ArtifactPath(directory)
            } catch {
                throw .badManifest(path: displayPath, reason: "it lists an unsafe directory: \(error)")
            }
        }
        return manifest
    }

    /// A short explanation of a decoding failure.
    private static func describe(_ error: DecodingError) -> String {
        func location(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return path.isEmpty ? "at the top level" : "at \(path)"
        }
        switch error {
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "it is not valid JSON" : "invalid value \(location(context))"
        case .keyNotFound(let key, let context):
            return "missing field '\(key.stringValue)' \(location(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type \(location(context))"
        @unknown default:
            return "it is not a valid manifest"
        }
    }
}
