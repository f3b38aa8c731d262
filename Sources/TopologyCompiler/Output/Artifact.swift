/// One generated file: where it goes inside the output folder, its exact bytes,
/// and which backend produced it.
///
/// The path is not validated here; ``OutputWriter/write(_:)`` validates every
/// path of a set (see ``ArtifactPath``) before writing anything.
public struct Artifact: Sendable, Hashable {
    /// The file's location relative to the output folder, with `/` separators
    /// (for example `"sql/001_schema.sql"`).
    public var path: String
    /// The exact bytes of the file.
    public var contents: [UInt8]
    /// The name of the backend that produced the file (for example `"plan"` or
    /// `"routing"`); recorded in the manifest and used in error messages.
    public var producer: String

    /// Creates an artifact from raw bytes.
    /// - Parameters:
    ///   - path: Relative, `/`-separated path inside the output folder.
    ///   - contents: The file's bytes.
    ///   - producer: The producing backend's name.
    public init(path: String, contents: [UInt8], producer: String) {
        self.path = path
        self.contents = contents
        self.producer = producer
    }

    /// Creates an artifact whose contents are the UTF-8 encoding of a string.
    /// - Parameters:
    ///   - path: Relative, `/`-separated path inside the output folder.
    ///   - contents: The file's text, stored as UTF-8 (no byte-order mark).
    ///   - producer: The producing backend's name.
    public init(path: String, contents: String, producer: String) {
        self.init(path: path, contents: Array(contents.utf8), producer: producer)
    }
}
