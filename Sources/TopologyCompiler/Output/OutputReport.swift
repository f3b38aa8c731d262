import Foundation

/// What ``OutputWriter/write(_:)`` did. Every list holds paths relative to the
/// output folder, sorted by their UTF-8 bytes; the manifest itself is never
/// listed.
public struct OutputReport: Sendable, Hashable {
    /// The output folder actually written, with symbolic links resolved.
    public var directory: URL
    /// Files written because they were new or their bytes changed.
    public var written: [String]
    /// Files whose bytes were already correct and were left alone (their
    /// modification time is preserved). Includes ``adopted`` files.
    public var unchanged: [String]
    /// Previously generated files that are no longer produced and were deleted.
    public var removed: [String]
    /// Directories topoc had created that became empty and were deleted.
    public var removedDirectories: [String]
    /// Generated files the user had changed since the last build (their bytes
    /// differed from the manifest's hash, or they had been replaced by a
    /// symbolic link) and that were overwritten or, if no longer produced,
    /// removed. Each also appears in ``written`` or ``removed``.
    public var overwrittenEdits: [String]
    /// Files not previously owned by topoc whose bytes were already identical
    /// to the artifact, and which topoc now owns.
    public var adopted: [String]

    /// Creates a report.
    public init(
        directory: URL, written: [String] = [], unchanged: [String] = [], removed: [String] = [],
        removedDirectories: [String] = [], overwrittenEdits: [String] = [], adopted: [String] = []
    ) {
        self.directory = directory
        self.written = written
        self.unchanged = unchanged
        self.removed = removed
        self.removedDirectories = removedDirectories
        self.overwrittenEdits = overwrittenEdits
        self.adopted = adopted
    }

    /// Whether the build changed any file or directory (other than the manifest
    /// and stray temporary files).
    public var changedAnything: Bool {
        !written.isEmpty || !removed.isEmpty || !removedDirectories.isEmpty
    }
}
