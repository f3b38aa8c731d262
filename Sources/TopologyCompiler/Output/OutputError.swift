/// Why ``OutputWriter/write(_:)`` refused or failed to write a set of artifacts.
///
/// Every case carries the path it is about and a human-readable explanation;
/// ``description`` renders a complete sentence suitable for a command-line
/// error message. Artifact-level cases carry the artifact's *relative* path;
/// ``io(path:message:)`` and ``badManifest(path:reason:)`` carry a full
/// filesystem path.
///
/// All cases except ``io(path:message:)`` are raised during the checking
/// phase, before anything has been written, created or removed.
public enum OutputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The artifact path is syntactically unacceptable (empty, empty or `.`
    /// component, backslash, control character, over-long component, or a name
    /// reserved by topoc).
    case invalidPath(path: String, reason: String)
    /// The artifact path would leave the output folder: it is absolute, has a
    /// `..` component, or an existing parent component on disk is a symbolic
    /// link or not a directory.
    case pathEscapes(path: String, reason: String)
    /// Two artifacts in one set name the same file (exactly, or equal when
    /// case is ignored), or one artifact needs as a directory what another
    /// names as a file.
    case duplicatePath(path: String, other: String)
    /// A file that topoc does not own (it is not in the manifest) already exists
    /// at the artifact's path with different contents.
    case notOwned(path: String)
    /// Something that is not a regular file (a directory that topoc cannot
    /// remove, a device, a socket, ...) occupies the artifact's path.
    case conflict(path: String, reason: String)
    /// The manifest at `path` (a full filesystem path) cannot be read or
    /// understood.
    case badManifest(path: String, reason: String)
    /// A filesystem operation on `path` (a full filesystem path) failed.
    case io(path: String, message: String)
    /// Writing the artifact `path` into the staging folder, at `stagedAt` (a full filesystem
    /// path), failed: the disk is full, a size limit was reached. Raised before anything in the
    /// output folder changes.
    case staging(path: String, stagedAt: String, message: String)

    /// The path the error is about (relative for artifact errors, full for
    /// ``io(path:message:)`` and ``badManifest(path:reason:)``).
    public var path: String {
        switch self {
        case .invalidPath(let path, _), .pathEscapes(let path, _), .duplicatePath(let path, _),
            .notOwned(let path), .conflict(let path, _), .badManifest(let path, _), .io(let path, _),
            .staging(let path, _, _):
            return path
        }
    }

    /// A complete, human-readable explanation of the error.
    public var description: String {
        switch self {
        case .invalidPath(let path, let reason):
            return "invalid output path \(Self.quote(path)): \(reason)"
        case .pathEscapes(let path, let reason):
            return "output path \(Self.quote(path)) would escape the output folder: \(reason)"
        case .duplicatePath(let path, let other):
            if path == other {
                return "output path \(Self.quote(path)) is produced more than once"
            }
            return "output paths \(Self.quote(path)) and \(Self.quote(other)) collide "
                + "(they are equal ignoring case, or one needs the other as a directory)"
        case .notOwned(let path):
            return "refusing to overwrite \(Self.quote(path)): a file that topoc did not create "
                + "already exists there; remove it or choose another output folder"
        case .conflict(let path, let reason):
            return "cannot write \(Self.quote(path)): \(reason); remove it or choose another output folder"
        case .badManifest(let path, let reason):
            return "the topoc manifest \(Self.quote(path)) is malformed: \(reason). "
                + "topoc uses it to know which files it owns; if the folder holds only topoc output, "
                + "delete the manifest and build again, otherwise choose another output folder"
        case .io(let path, let message):
            return "I/O error on \(Self.quote(path)): \(message)"
        case .staging(let path, let stagedAt, let message):
            return "cannot write \(Self.quote(path)): \(message) (writing it to \(Self.quote(stagedAt))); "
                + "the output folder was left as it was"
        }
    }

    /// Quotes a path for messages, escaping characters that would garble a
    /// terminal (control characters are shown as `\u{..}`).
    static func quote(_ path: String) -> String {
        var out = "'"
        for scalar in path.unicodeScalars {
            if ScalarClass.isControl(scalar) {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "'"
    }
}
