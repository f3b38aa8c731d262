import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Artifacts written to disk as a build makes them, before ``OutputWriter/write(staged:)`` puts
/// them in place, so a build does not hold its whole output in memory.
///
/// The staging folder is `.topoc-tmp-stage-<pid>-<random>` inside the output folder (one file
/// system, so putting a file in place is a rename). Each ``stage(_:)`` call writes its artifacts into
/// a subfolder of its own (calls from several threads create entries in different directories),
/// computes each file's SHA-256 as it goes, and keeps only the path, producer, digest and size. A
/// file whose destination already holds exactly its bytes (compared byte for byte, reached without
/// following symbolic links) is not staged, so rebuilding an unchanged topology writes nothing.
/// The first failure is kept and thrown by the writer; later calls then do nothing.
///
/// Nothing outside the staging folder changes until the writer's checks have passed, except that
/// a missing output folder is created; if the writer refuses (or the build stops, ``discard()``),
/// the staging folder and the output folders it created are removed again. A staging folder left
/// by a killed build is removed by the next build into the same folder.
public final class OutputStaging: @unchecked Sendable {
    /// One staged file.
    struct File: Sendable {
        /// The artifact's path as the backend gave it (validated by the writer).
        let path: String
        /// The producing backend's name.
        let producer: String
        /// The SHA-256 of the bytes, in lowercase hexadecimal.
        let sha256: String
        /// The number of bytes.
        let size: Int
        /// Where the bytes are.
        let location: Location
    }

    /// Where a staged file's bytes are.
    enum Location: Sendable {
        /// In the staging folder: the file `name` in the subfolder `subfolder`, open as
        /// `directory` (a descriptor owned by the staging).
        case staged(directory: Int32, subfolder: String, name: String)
        /// Not staged: the output folder already held exactly these bytes at the artifact's path
        /// (the writer checks the file on disk against ``File/sha256`` and ``File/size`` again).
        case alreadyInPlace
    }

    /// The prefix of a staging folder's name (a temporary name, reserved like every other).
    static let folderPrefix = OutputWriter.temporaryPrefix + "stage-"

    /// The output folder's descriptor (owned).
    let root: Int32
    /// The output folder's path, for messages.
    let rootPath: String
    /// The staging folder's name inside the output folder.
    let name: String
    /// The staging folder's descriptor (owned).
    private let folder: Int32
    /// Whether each file is flushed as it is written (where one `syncfs` cannot stand for them).
    private let flushEach: Bool
    /// Output folders created for this build (deepest first), removed again if it writes nothing.
    private var createdFolders: [String]

    private let lock = NSLock()
    private var files: [File] = []
    private var subfolders: [(name: String, fd: Int32)] = []
    private var failure: OutputError?
    private var closed = false

    /// Takes ownership of `root`; creates the staging folder in it.
    init(root: Int32, rootPath: String, createdFolders: [String]) throws(OutputError) {
        self.root = root
        self.rootPath = rootPath
        self.createdFolders = createdFolders
        flushEach = !OutputFileSystem.syncsWholeFileSystems
        var made: (name: String, fd: Int32)?
        var lastError = OutputSystemError(code: EEXIST)
        for _ in 0..<100 {
            let candidate =
                Self.folderPrefix + String(getpid()) + "-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            do {
                try OutputFileSystem.makeDirectory(candidate, in: root)
                made = (candidate, try OutputFileSystem.openDirectory(candidate, in: root))
                break
            } catch {
                lastError = error
                if error.code != EEXIST { break }
            }
        }
        guard let made else {
            OutputFileSystem.closeQuietly(root)
            Self.removeFolders(createdFolders)
            throw .io(path: rootPath, message: "cannot create a staging folder: \(lastError.message)")
        }
        name = made.name
        folder = made.fd
    }

    deinit {
        discard()
    }

    /// Writes `artifacts` into a new staging subfolder and records them. Safe to call from
    /// several threads at once. After a failure (kept for ``OutputWriter/write(staged:)``), or
    /// once the staging is closed, it does nothing.
    ///
    /// - Parameter artifacts: Artifacts of one rendering job; their bytes are not kept.
    public func stage(_ artifacts: [Artifact]) {
        guard !artifacts.isEmpty, let subfolder = makeSubfolder() else { return }
        var made: [File] = []
        made.reserveCapacity(artifacts.count)
        let destinations = OutputDestinations(root: root)
        defer { destinations.close() }
        for (index, artifact) in artifacts.enumerated() {
            if destinations.holdsExactly(artifact.contents, at: artifact.path) {
                made.append(
                    File(
                        path: artifact.path, producer: artifact.producer, sha256: OutputSHA256.hex(artifact.contents),
                        size: artifact.contents.count, location: .alreadyInPlace))
                continue
            }
            let fileName = String(index)
            let sha256: String
            do throws(OutputSystemError) {
                // Hashed as it is written.
                sha256 = try OutputFileSystem.writeNewFile(artifact.contents, named: fileName, in: subfolder.fd, flush: flushEach)
            } catch {
                record(.staging(path: artifact.path, stagedAt: displayPath(subfolder.name + "/" + fileName), message: error.message))
                return
            }
            made.append(
                File(
                    path: artifact.path, producer: artifact.producer, sha256: sha256, size: artifact.contents.count,
                    location: .staged(directory: subfolder.fd, subfolder: subfolder.name, name: fileName)))
        }
        lock.lock()
        files.append(contentsOf: made)
        lock.unlock()
    }

    /// Writes the file `path` into a new staging subfolder as `write` produces it, piece by
    /// piece, and records it, as ``stage(_:)`` records an artifact: a file too large to hold
    /// whole (plan.json) is never in memory at once. Safe to call from several threads at once;
    /// after a failure, or once the staging is closed, it does nothing.
    ///
    /// - Parameters:
    ///   - path: The file's path inside the output folder (validated by the writer).
    ///   - producer: The producing backend's name.
    ///   - write: Writes the file's bytes to the sink it is given.
    func stage(
        _ path: String, producer: String, streaming write: (OutputFileWriter) throws(OutputSystemError) -> Void
    ) {
        guard let subfolder = makeSubfolder() else { return }
        let fileName = "0"
        let sha256: String
        let size: Int
        do throws(OutputSystemError) {
            let writer = try OutputFileWriter(creating: fileName, in: subfolder.fd)
            try write(writer)
            sha256 = try writer.finish(flush: flushEach)
            size = writer.size
        } catch {
            record(.staging(path: path, stagedAt: displayPath(subfolder.name + "/" + fileName), message: error.message))
            return
        }
        let destinations = OutputDestinations(root: root)
        defer { destinations.close() }
        var file = File(
            path: path, producer: producer, sha256: sha256, size: size,
            location: .staged(directory: subfolder.fd, subfolder: subfolder.name, name: fileName))
        if destinations.holdsSameBytes(as: fileName, in: subfolder.fd, size: size, at: path) {
            OutputFileSystem.removeQuietly(fileName, in: subfolder.fd)
            file = File(path: path, producer: producer, sha256: sha256, size: size, location: .alreadyInPlace)
        }
        lock.lock()
        files.append(file)
        lock.unlock()
    }

    /// A new subfolder of the staging folder for one call, or `nil` after a failure (then
    /// recorded) or once the staging is closed.
    private func makeSubfolder() -> (name: String, fd: Int32)? {
        lock.lock()
        defer { lock.unlock() }
        if failure != nil || closed { return nil }
        let subfolderName = String(subfolders.count)
        do throws(OutputSystemError) {
            try OutputFileSystem.makeDirectory(subfolderName, in: folder)
            let subfolder = (name: subfolderName, fd: try OutputFileSystem.openDirectory(subfolderName, in: folder))
            subfolders.append(subfolder)
            return subfolder
        } catch {
            failure = .io(path: displayPath(subfolderName), message: error.message)
            return nil
        }
    }

    /// Removes the staging folder and whatever is left in it, and the output folders created for
    /// this build if they are empty. Call it when a build stops before
    /// ``OutputWriter/write(staged:)`` (which removes the staging itself); calling it again does
    /// nothing.
    public func discard() {
        finish(keepingFolders: false)
    }

    /// Every staged file and the first failure, if any.
    func contents() -> (files: [File], failure: OutputError?) {
        lock.lock()
        defer { lock.unlock() }
        return (files, failure)
    }

    /// Whether a staged file holds the same bytes as the regular file `name` in `directory`,
    /// compared in pieces (`nil` for a file that was not staged).
    ///
    /// - Throws: ``OutputError/io(path:message:)`` naming the staged file; `failedAt` names the
    ///   other one for its errors.
    func holdsSameBytes(
        _ file: File, as name: String, in directory: Int32, failedAt otherPath: String
    ) throws(OutputError) -> Bool? {
        guard case .staged(let stagedDirectory, let subfolder, let stagedName) = file.location else { return nil }
        do {
            return try OutputFileSystem.sameContents(stagedName, in: stagedDirectory, as: name, in: directory)
        } catch {
            // Which of the two failed: the staged file is checked on its own.
            if OutputFileSystem.regularFileSize(stagedName, in: stagedDirectory) == nil {
                throw .io(path: displayPath(subfolder + "/" + stagedName), message: error.message)
            }
            throw .io(path: otherPath, message: error.message)
        }
    }

    /// Moves a staged file to `destination` in the directory `parent`.
    /// - Throws: ``OutputSystemError``; `ENOENT` for a file that was not staged.
    func move(_ file: File, to destination: String, in parent: Int32) throws(OutputSystemError) {
        guard case .staged(let directory, _, let name) = file.location else { throw OutputSystemError(code: ENOENT) }
        try OutputFileSystem.move(name, from: directory, to: destination, in: parent)
    }

    /// Closes the staging: removes the staging folder, and unless `keepingFolders`, the output
    /// folders created for the build (each only if empty).
    func finish(keepingFolders: Bool) {
        lock.lock()
        defer { lock.unlock() }
        if closed { return }
        closed = true
        for subfolder in subfolders { OutputFileSystem.closeQuietly(subfolder.fd) }
        OutputFileSystem.closeQuietly(folder)
        OutputFileSystem.removeTreeQuietly(name, in: root)
        OutputFileSystem.closeQuietly(root)
        if !keepingFolders { Self.removeFolders(createdFolders) }
        files = []
    }

    /// Keeps `error` unless an earlier failure was recorded.
    private func record(_ error: OutputError) {
        lock.lock()
        if failure == nil { failure = error }
        lock.unlock()
    }

    /// A path inside the staging folder, for messages.
    private func displayPath(_ relative: String) -> String {
        rootPath + "/" + name + "/" + relative
    }

    /// Removes each of `paths` (deepest first) while they are empty directories.
    private static func removeFolders(_ paths: [String]) {
        for path in paths where rmdir(path) != 0 { return }
    }
}

/// Looks up the files already at artifacts' paths in the output folder, one component at a time
/// with `O_NOFOLLOW` (a path through a symbolic link or a non-directory holds nothing). Used by one
/// ``OutputStaging/stage(_:)`` or ``OutputStaging/stage(_:producer:streaming:)`` call on one thread.
private final class OutputDestinations {
    private let root: Int32
    private var directories: [Substring: Int32?] = [:]

    init(root: Int32) {
        self.root = root
    }

    /// Whether the regular file at `path` holds exactly `bytes`.
    func holdsExactly(_ bytes: [UInt8], at path: String) -> Bool {
        guard let (parent, name) = regularFile(at: path, size: bytes.count) else { return false }
        return (try? OutputFileSystem.fileHolds(bytes, name: name, in: parent)) ?? false
    }

    /// Whether the regular file at `path` holds exactly the bytes of the file `stagedName` in
    /// `directory`, which holds `size` bytes.
    func holdsSameBytes(as stagedName: String, in directory: Int32, size: Int, at path: String) -> Bool {
        guard let (parent, name) = regularFile(at: path, size: size) else { return false }
        return (try? OutputFileSystem.sameContents(stagedName, in: directory, as: name, in: parent)) ?? false
    }

    /// The directory and name of the regular file of `size` bytes at `path`, or `nil` when there
    /// is none of that size.
    private func regularFile(at path: String, size: Int) -> (parent: Int32, name: String)? {
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard let name = components.last, !name.isEmpty, name != ".", name != ".." else { return nil }
        var parent = root
        if components.count > 1 {
            let key = path[..<(path.lastIndex(of: "/") ?? path.startIndex)]
            if let cached = directories[key] {
                guard let cached else { return nil }
                parent = cached
            } else {
                let opened = open(components.dropLast())
                directories[key] = opened
                guard let opened else { return nil }
                parent = opened
            }
        }
        guard OutputFileSystem.regularFileSize(String(name), in: parent) == size else { return nil }
        return (parent, String(name))
    }

    /// Closes every directory opened.
    func close() {
        for case let fd? in directories.values { OutputFileSystem.closeQuietly(fd) }
        directories = [:]
    }

    /// Opens the directory of `components` below the root, or `nil`.
    private func open(_ components: ArraySlice<Substring>) -> Int32? {
        var fd = root
        var opened: [Int32] = []
        defer { for descriptor in opened.dropLast() { OutputFileSystem.closeQuietly(descriptor) } }
        for component in components {
            guard !component.isEmpty, component != ".", component != "..",
                let next = try? OutputFileSystem.openDirectory(String(component), in: fd)
            else {
                if let last = opened.last { OutputFileSystem.closeQuietly(last) }
                return nil
            }
            opened.append(next)
            fd = next
        }
        return opened.last
    }
}
