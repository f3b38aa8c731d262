/// A validated, relative, `/`-separated path inside the output folder.
///
/// Equality, hashing and ordering are by the exact UTF-8 bytes (not by
/// Swift's Unicode canonical equivalence), which is how Linux file systems
/// name files and gives a platform-independent sort order.
///
/// A valid path:
/// - is not empty, not absolute, and has no empty component (`a//b`, `a/`);
/// - has no `.` or `..` component;
/// - contains no backslash and no control character (including NUL);
/// - has no component longer than 255 UTF-8 bytes;
/// - does not start with the manifest's name (``OutputWriter/manifestName``,
///   compared ignoring case) and has no component starting with the reserved
///   temporary-file prefix ``OutputWriter/temporaryPrefix``.
public struct ArtifactPath: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The path as given.
    public let string: String
    /// The path's components, in order (never empty).
    public let components: [String]
    /// The path's UTF-8 bytes; the identity used for equality and ordering.
    let bytes: [UInt8]

    /// The longest allowed component, in UTF-8 bytes (the usual `NAME_MAX`).
    public static let maxComponentBytes = 255

    /// Validates `string` as a path inside the output folder.
    /// - Throws: ``OutputError/invalidPath(path:reason:)`` or
    ///   ``OutputError/pathEscapes(path:reason:)`` describing the first problem.
    public init(_ string: String) throws(OutputError) {
        if string.isEmpty {
            throw .invalidPath(path: string, reason: "the path is empty")
        }
        if string.hasPrefix("/") {
            throw .pathEscapes(path: string, reason: "absolute paths are not allowed; use a path relative to the output folder")
        }
        for scalar in string.unicodeScalars {
            if scalar == "\\" {
                throw .invalidPath(path: string, reason: "backslashes are not allowed; separate components with '/'")
            }
            if ScalarClass.isControl(scalar) {
                throw .invalidPath(path: string, reason: "control characters (including NUL) are not allowed")
            }
        }
        let parts = string.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for part in parts {
            if part.isEmpty {
                throw .invalidPath(path: string, reason: "empty path components ('//', or a leading or trailing '/') are not allowed")
            }
            if part == ".." {
                throw .pathEscapes(path: string, reason: "'..' components are not allowed")
            }
            if part == "." {
                throw .invalidPath(path: string, reason: "'.' components are not allowed")
            }
            if part.utf8.count > Self.maxComponentBytes {
                throw .invalidPath(path: string, reason: "a component is longer than \(Self.maxComponentBytes) bytes")
            }
            if part.hasPrefix(OutputWriter.temporaryPrefix) {
                throw .invalidPath(
                    path: string, reason: "names starting with '\(OutputWriter.temporaryPrefix)' are reserved for topoc's temporary files")
            }
        }
        if let first = parts.first, first.lowercased() == OutputWriter.manifestName.lowercased() {
            throw .invalidPath(path: string, reason: "'\(OutputWriter.manifestName)' is reserved for topoc's manifest")
        }
        self.string = string
        self.components = parts
        self.bytes = Array(string.utf8)
    }

    /// Builds a path from components already known to be valid.
    private init(validComponents: [String]) {
        let joined = validComponents.joined(separator: "/")
        self.string = joined
        self.components = validComponents
        self.bytes = Array(joined.utf8)
    }

    /// The last component (the file or directory name).
    public var name: String {
        components[components.count - 1]
    }

    /// The parent directory's components (empty for a file at the top level).
    public var parentComponents: [String] {
        Array(components.dropLast())
    }

    /// Every proper ancestor directory, shallowest first (`a/b/c` gives `a`, `a/b`).
    public var ancestors: [ArtifactPath] {
        guard components.count > 1 else { return [] }
        return (1..<components.count).map { ArtifactPath(validComponents: Array(components[0..<$0])) }
    }

    /// The child `name` of this path, if `name` is a valid single component.
    func appending(_ name: String) -> ArtifactPath? {
        try? ArtifactPath(string + "/" + name)
    }

    /// A key under which paths that collide on case-insensitive (and
    /// normalization-insensitive) file systems such as macOS's are equal.
    /// Swift `String` equality already identifies canonically equivalent strings.
    var foldedKey: String {
        string.lowercased()
    }

    /// File names for `names`, in order, that stay apart on case-insensitive file systems: the
    /// first of the names that fold alike (`order`, `Order`) keeps its name, each later one gets
    /// the first free `-2`, `-3`, ... suffix. Names that fold apart are returned unchanged.
    ///
    /// - Parameter names: Names of one folder's files (table names for their pictures).
    /// - Returns: One file name per name, pairwise distinct under ``foldedKey``'s folding.
    static func caseDistinctNames(_ names: [String]) -> [String] {
        var taken = Set(names.map { $0.lowercased() })
        var used: Set<String> = []
        return names.map { name in
            let key = name.lowercased()
            guard used.contains(key) else {
                used.insert(key)
                return name
            }
            var number = 2
            while taken.contains("\(key)-\(number)") { number += 1 }
            taken.insert("\(key)-\(number)")
            used.insert("\(key)-\(number)")
            return "\(name)-\(number)"
        }
    }

    /// The path as given.
    public var description: String { string }

    /// Two paths are equal when their UTF-8 bytes are identical.
    public static func == (lhs: ArtifactPath, rhs: ArtifactPath) -> Bool {
        lhs.bytes == rhs.bytes
    }

    /// Hashes the path's UTF-8 bytes.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(bytes)
    }

    /// Orders paths by their UTF-8 bytes (equivalently, by Unicode code points).
    public static func < (lhs: ArtifactPath, rhs: ArtifactPath) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}
