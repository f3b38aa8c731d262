#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Open descriptors for directories below the output folder, each reached one
/// component at a time with `O_NOFOLLOW`, so no symbolic link (or file swapped
/// in for a directory) inside the output folder is ever traversed.
///
/// Not thread-safe; lives only for the duration of one ``OutputWriter/write(_:)``.
final class OutputDirectoryTree {
    /// The result of looking up a directory that may not exist.
    enum Lookup {
        /// The directory exists; its descriptor (owned by the tree).
        case directory(Int32)
        /// `missing` (a directory path) and everything below it do not exist.
        case missing(ArtifactPath?)
        /// `blocker` exists but is not a directory (or is a symbolic link).
        case blocked(ArtifactPath, OutputEntryKind)
    }

    /// The output folder's path, for messages.
    let rootPath: String
    /// The output folder's descriptor (owned by the tree).
    let root: Int32
    /// Open descriptors keyed by the directory path's UTF-8 bytes.
    private var cache: [[UInt8]: Int32] = [:]

    /// Takes ownership of `root`.
    init(root: Int32, rootPath: String) {
        self.root = root
        self.rootPath = rootPath
    }

    deinit {
        for fd in cache.values { OutputFileSystem.closeQuietly(fd) }
        OutputFileSystem.closeQuietly(root)
    }

    /// Closes every cached descriptor except the root's. Call after removing
    /// directories so that no descriptor of a deleted directory is reused.
    func reset() {
        for fd in cache.values { OutputFileSystem.closeQuietly(fd) }
        cache.removeAll()
    }

    /// The full filesystem path of a relative path, for messages.
    func displayPath(_ relative: String) -> String {
        relative.isEmpty ? rootPath : rootPath + "/" + relative
    }

    /// Looks up the directory named by `components` (empty for the root)
    /// without creating anything.
    func existing(_ components: [String]) throws(OutputError) -> Lookup {
        var fd = root
        for index in components.indices {
            let prefix = Array(components[...index])
            let key = Array(prefix.joined(separator: "/").utf8)
            if let cached = cache[key] {
                fd = cached
                continue
            }
            let prefixPath = Self.path(prefix)
            do {
                let opened = try OutputFileSystem.openDirectory(components[index], in: fd)
                cache[key] = opened
                fd = opened
            } catch {
                switch error.code {
                case ENOENT:
                    return .missing(prefixPath)
                case ELOOP, ENOTDIR:
                    let kind: OutputEntryKind
                    do {
                        kind = try OutputFileSystem.kind(of: components[index], in: fd)
                    } catch {
                        throw .io(path: displayPath(prefix.joined(separator: "/")), message: error.message)
                    }
                    if kind == .missing { return .missing(prefixPath) }
                    if let prefixPath {
                        return .blocked(prefixPath, kind == .directory ? .other : kind)
                    }
                    throw .io(path: displayPath(prefix.joined(separator: "/")), message: error.message)
                default:
                    throw .io(path: displayPath(prefix.joined(separator: "/")), message: error.message)
                }
            }
        }
        return .directory(fd)
    }

    /// Opens the directory named by `components`, creating missing ones.
    /// - Parameters:
    ///   - artifact: The artifact being written, for error messages.
    ///   - created: Receives every directory this call created.
    func ensure(
        _ components: [String], for artifact: String, created: inout [ArtifactPath]
    ) throws(OutputError) -> Int32 {
        var fd = root
        for index in components.indices {
            let prefix = Array(components[...index])
            let joined = prefix.joined(separator: "/")
            let key = Array(joined.utf8)
            if let cached = cache[key] {
                fd = cached
                continue
            }
            var didCreate = false
            while true {
                do {
                    let opened = try OutputFileSystem.openDirectory(components[index], in: fd)
                    cache[key] = opened
                    fd = opened
                    break
                } catch {
                    switch error.code {
                    case ENOENT where !didCreate:
                        do {
                            try OutputFileSystem.makeDirectory(components[index], in: fd)
                            if let path = Self.path(prefix) { created.append(path) }
                        } catch {
                            if error.code != EEXIST { throw .io(path: displayPath(joined), message: error.message) }
                        }
                        didCreate = true
                    case ELOOP, ENOTDIR:
                        throw .pathEscapes(
                            path: artifact,
                            reason: "\(OutputError.quote(joined)) is a symbolic link or not a directory")
                    default:
                        throw .io(path: displayPath(joined), message: error.message)
                    }
                }
            }
        }
        return fd
    }

    /// The path of already-validated components.
    private static func path(_ components: [String]) -> ArtifactPath? {
        try? ArtifactPath(components.joined(separator: "/"))
    }
}
