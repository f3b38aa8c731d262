import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a set of artifacts into an output folder without ever losing data.
///
/// A call to ``write(_:)`` makes the folder hold exactly the given artifacts
/// (plus whatever the user keeps there) and records what topoc owns in the
/// manifest ``manifestName``:
///
/// 1. **Checks first.** Every path is validated (see ``ArtifactPath``), the set
///    is checked for duplicates (also ignoring case), the old manifest is read,
///    and the disk is inspected: no parent component may be a symbolic link or
///    a non-directory, and no file topoc does not own may be in the way (unless
///    its bytes are already identical, in which case it is adopted). Any
///    violation throws before anything is written, created or removed.
/// 2. **Provisional manifest.** If files will change, a manifest marked
///    incomplete that claims both the old and new files is written first, so a
///    build killed part-way leaves nothing the next build would treat as foreign.
/// 3. **Cleanup.** Stray `.topoc-tmp-*` files from a killed build are deleted,
///    stale owned files are deleted, then directories topoc created that are now
///    empty are deleted (deepest first; never if non-empty).
/// 4. **Writes**, only where the bytes differ. Each file is written to a
///    `.topoc-tmp-*` file in the same directory (the files of different
///    directories on several threads); once all are
///    written they are flushed to disk (on Linux one `syncfs` per file system,
///    elsewhere an `fsync` per file), and only then each is renamed over its
///    destination, so each file is always entirely old or entirely new.
///    Unchanged files are not touched (their mtime is kept).
///    Replaced files get fresh default permissions; nothing of the old file
///    (mode, owner, extended attributes, hard links) is preserved.
/// 5. **Final manifest**, written atomically last, only if its bytes change.
///
/// Symbolic links inside the output folder are never followed — not when
/// writing, reading or removing (every operation goes through directory
/// descriptors opened with `O_NOFOLLOW`). The output folder itself, however, may
/// be a symbolic link: it is resolved once, when opened, and everything happens
/// inside its target (that is the user's choice); ``OutputReport/directory``
/// gives the resolved location. Missing folders on the way to it are created.
///
/// Concurrent builds into the same folder are not coordinated.
public struct OutputWriter: Sendable {
    /// The manifest's file name inside the output folder.
    public static let manifestName = ".topoc-manifest"
    /// The prefix of topoc's temporary files; names with it are reserved.
    public static let temporaryPrefix = ".topoc-tmp-"

    /// The output folder.
    public let directory: URL
    /// The topoc version string recorded in the manifest.
    public let generator: String

    /// Test hook: simulate the process dying after this many file renames.
    var simulatedCrashAfterWrites: Int?

    /// Creates a writer for an output folder.
    /// - Parameters:
    ///   - directory: A file URL of the output folder; created if missing.
    ///   - generator: The topoc version string recorded in the manifest
    ///     (for example `"topoc 0.3.0"`).
    public init(directory: URL, generator: String = "topoc") {
        self.directory = directory
        self.generator = generator
    }

    /// Makes the output folder hold exactly `artifacts` (see the type's
    /// documentation for the guarantees).
    /// - Returns: What was written, left unchanged and removed.
    /// - Throws: ``OutputError``; every error other than
    ///   ``OutputError/io(path:message:)`` is raised before anything changes.
    public func write(_ artifacts: [Artifact]) throws(OutputError) -> OutputReport {
        let validated = try Self.validate(artifacts)
        let rootPath = try rootPathString()
        let tree = try openRoot(rootPath, create: false)

        var oldManifestBytes: [UInt8]?
        var oldManifest: OutputManifest?
        if let tree {
            oldManifestBytes = try readManifest(tree)
            if let bytes = oldManifestBytes {
                oldManifest = try OutputManifest.decode(bytes, displayPath: tree.displayPath(Self.manifestName))
            }
        }

        let plan = try OutputPlan(artifacts: validated, manifest: oldManifest, tree: tree)

        // ---- Nothing has been changed on disk up to this point. ----
        let root: OutputDirectoryTree
        if let tree {
            root = tree
        } else {
            guard let created = try openRoot(rootPath, create: true) else {
                throw .io(path: rootPath, message: "could not create the output folder")
            }
            root = created
        }
        var report = OutputReport(directory: URL(fileURLWithPath: OutputFileSystem.realPath(rootPath) ?? rootPath, isDirectory: true))

        try removeStrayTemporaries(in: plan.directoriesToScan, tree: root)

        if plan.changesFiles {
            let provisional = OutputManifest(
                generator: generator, complete: false,
                directories: (Set(oldManifest?.directories ?? []).union(plan.directoriesToCreate.map(\.string))).sorted(),
                files: plan.items.map(Self.entry) + plan.staleEntries)
            try writeManifest(provisional, tree: root)
            try checkSimulatedCrash(after: 0)
        }

        // Stale files, then the directories they leave empty.
        for stale in plan.staleFiles {
            guard case .directory(let parent) = try root.existing(stale.path.parentComponents) else { continue }
            do {
                try OutputFileSystem.removeFile(stale.path.name, in: parent)
                report.removed.append(stale.path.string)
                if stale.editedByUser { report.overwrittenEdits.append(stale.path.string) }
            } catch {
                // Already gone, or replaced by a directory topoc will not delete
                // (Linux reports EISDIR, other systems EPERM).
                let isDirectory = (try? OutputFileSystem.kind(of: stale.path.name, in: parent)) == .directory
                if error.code != ENOENT && error.code != EISDIR && !(error.code == EPERM && isDirectory) {
                    throw .io(path: root.displayPath(stale.path.string), message: error.message)
                }
            }
        }
        var ownedDirectories = plan.keptDirectories
        for directory in plan.removableDirectories {
            guard case .directory(let parent) = try root.existing(directory.parentComponents) else { continue }
            do {
                try OutputFileSystem.removeDirectory(directory.name, in: parent)
                report.removedDirectories.append(directory.string)
            } catch {
                // Not empty (the user keeps something there): still ours, retry next time.
                // Missing or no longer a directory: no longer ours.
                if error.code != ENOENT && error.code != ENOTDIR { ownedDirectories.insert(directory) }
            }
        }
        root.reset()

        // Files, in sorted path order: every new file written beside its destination first (the
        // directories made one after another, then the files written by directory on every core),
        // then flushed to disk (one syncfs per file system on Linux, not one fsync per file), then
        // each renamed over its destination.
        var created: [ArtifactPath] = []
        var touched: [[UInt8]: Int32] = [:]
        var pending: [(item: OutputPlan.Item, parent: Int32)] = []
        let flushEach = !OutputFileSystem.syncsWholeFileSystems
        for item in plan.items {
            switch item.action {
            case .keep:
                report.unchanged.append(item.path.string)
            case .adopt:
                report.unchanged.append(item.path.string)
                report.adopted.append(item.path.string)
            case .create, .overwrite:
                let parent = try root.ensure(item.path.parentComponents, for: item.path.string, created: &created)
                pending.append((item, parent))
                touched[Array(item.path.parentComponents.joined(separator: "/").utf8)] = parent
            }
        }
        let staged: [(item: OutputPlan.Item, parent: Int32, temporary: String)]
        switch Self.writeTemporaries(pending, flush: flushEach) {
        case .success(let written):
            staged = written
        case .failure(let failure):
            throw .io(path: root.displayPath(failure.item.path.string), message: failure.error.message)
        }
        func removeStaged(from index: Int) {
            for entry in staged[index...] { OutputFileSystem.removeQuietly(entry.temporary, in: entry.parent) }
        }
        if !flushEach && !staged.isEmpty {
            do {
                try OutputFileSystem.syncFileSystems(of: [root.root] + touched.values)
            } catch {
                removeStaged(from: 0)
                throw .io(path: root.displayPath("."), message: error.message)
            }
        }
        for (index, entry) in staged.enumerated() {
            do {
                try OutputFileSystem.rename(entry.temporary, to: entry.item.path.name, in: entry.parent)
            } catch {
                removeStaged(from: index + 1)
                throw .io(path: root.displayPath(entry.item.path.string), message: error.message)
            }
            report.written.append(entry.item.path.string)
            if entry.item.editedByUser { report.overwrittenEdits.append(entry.item.path.string) }
            do {
                try checkSimulatedCrash(after: index + 1)
            } catch {
                removeStaged(from: index + 1)
                throw error
            }
        }
        for (key, fd) in touched.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            do {
                try OutputFileSystem.sync(fd)
            } catch {
                throw .io(path: root.displayPath(String(decoding: key, as: UTF8.self)), message: error.message)
            }
        }
        ownedDirectories.formUnion(created)

        let final = OutputManifest(
            generator: generator, complete: true, directories: ownedDirectories.map(\.string),
            files: plan.items.map(Self.entry))
        if final.encoded() != oldManifestBytes || plan.changesFiles {
            try writeManifest(final, tree: root)
        }

        report.overwrittenEdits.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        report.removed.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        report.removedDirectories.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return report
    }

    // MARK: - Steps

    /// A file whose temporary could not be written.
    struct StagingFailure: Error {
        var item: OutputPlan.Item
        var error: OutputSystemError
    }

    /// Writes each pending file's bytes to a temporary file beside its destination, the files of
    /// one directory after another on one thread and the directories on every core (a file
    /// system creates entries of different directories in parallel, those of one directory under
    /// its lock).
    ///
    /// - Returns: Each file with its temporary's name, in the order given; or, if any failed, the
    ///   first failure in that order, after every temporary written has been removed again.
    static func writeTemporaries(
        _ pending: [(item: OutputPlan.Item, parent: Int32)], flush: Bool
    ) -> Result<[(item: OutputPlan.Item, parent: Int32, temporary: String)], StagingFailure> {
        var byDirectory: [Int32: [Int]] = [:]
        var directories: [Int32] = []
        for (index, entry) in pending.enumerated() {
            if byDirectory[entry.parent] == nil { directories.append(entry.parent) }
            byDirectory[entry.parent, default: []].append(index)
        }
        let groups = directories.map { byDirectory[$0] ?? [] }
        let written = concurrentMap(groups.count) { group in
            groups[group].map { index -> (index: Int, outcome: Result<String, OutputSystemError>) in
                let entry = pending[index]
                do throws(OutputSystemError) {
                    let temporary = try OutputFileSystem.writeTemporary(
                        entry.item.artifact.contents, in: entry.parent, temporaryPrefix: temporaryPrefix, flush: flush)
                    return (index, .success(temporary))
                } catch {
                    return (index, .failure(error))
                }
            }
        }
        var staged: [(item: OutputPlan.Item, parent: Int32, temporary: String)] = []
        var firstFailure: StagingFailure?
        for (index, outcome) in written.joined().sorted(by: { $0.index < $1.index }) {
            switch outcome {
            case .success(let temporary):
                staged.append((pending[index].item, pending[index].parent, temporary))
            case .failure(let error):
                if firstFailure == nil { firstFailure = StagingFailure(item: pending[index].item, error: error) }
            }
        }
        if let firstFailure {
            for entry in staged { OutputFileSystem.removeQuietly(entry.temporary, in: entry.parent) }
            return .failure(firstFailure)
        }
        return .success(staged)
    }

    /// Validates every path and checks the set for collisions; returns the
    /// artifacts sorted by path.
    static func validate(_ artifacts: [Artifact]) throws(OutputError) -> [(path: ArtifactPath, artifact: Artifact)] {
        var result: [(path: ArtifactPath, artifact: Artifact)] = []
        for artifact in artifacts.sorted(by: { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }) {
            result.append((try ArtifactPath(artifact.path), artifact))
        }
        var files: [String: ArtifactPath] = [:]
        var directories: [String: ArtifactPath] = [:]
        for (path, _) in result {
            if let other = files[path.foldedKey] {
                throw .duplicatePath(path: path.string, other: other.string)
            }
            files[path.foldedKey] = path
            for ancestor in path.ancestors where directories[ancestor.foldedKey] == nil {
                directories[ancestor.foldedKey] = path
            }
        }
        for (path, _) in result {
            if let other = directories[path.foldedKey] {
                throw .duplicatePath(path: path.string, other: other.string)
            }
        }
        return result
    }

    /// The output folder's filesystem path.
    private func rootPathString() throws(OutputError) -> String {
        guard directory.isFileURL else {
            throw .io(path: directory.absoluteString, message: "the output folder must be a local file path")
        }
        let path = directory.withUnsafeFileSystemRepresentation { $0.map { String(cString: $0) } } ?? ""
        if path.isEmpty { throw .io(path: directory.absoluteString, message: "the output folder path is empty") }
        return path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// Opens the output folder (following a symlink to it), optionally
    /// creating it; `nil` if it does not exist and `create` is false.
    private func openRoot(_ path: String, create: Bool) throws(OutputError) -> OutputDirectoryTree? {
        if create {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw .io(path: path, message: "cannot create the output folder: \(error.localizedDescription)")
            }
        }
        do {
            return OutputDirectoryTree(root: try OutputFileSystem.openDirectory(atPath: path), rootPath: path)
        } catch {
            if error.code == ENOENT && !create { return nil }
            if error.code == ENOTDIR { throw .io(path: path, message: "the output folder exists and is not a directory") }
            throw .io(path: path, message: error.message)
        }
    }

    /// The manifest's bytes, or `nil` if there is none.
    private func readManifest(_ tree: OutputDirectoryTree) throws(OutputError) -> [UInt8]? {
        let display = tree.displayPath(Self.manifestName)
        let kind: OutputEntryKind
        do {
            kind = try OutputFileSystem.kind(of: Self.manifestName, in: tree.root)
        } catch {
            throw .io(path: display, message: error.message)
        }
        switch kind {
        case .missing:
            return nil
        case .regular:
            do {
                return try OutputFileSystem.readFile(Self.manifestName, in: tree.root)
            } catch {
                throw .io(path: display, message: error.message)
            }
        case .symlink:
            throw .badManifest(path: display, reason: "it is a symbolic link")
        case .directory, .other:
            throw .badManifest(path: display, reason: "it is not a regular file")
        }
    }

    /// Atomically replaces the manifest and flushes the output folder's entries.
    private func writeManifest(_ manifest: OutputManifest, tree: OutputDirectoryTree) throws(OutputError) {
        do {
            try OutputFileSystem.writeAtomically(
                manifest.encoded(), to: Self.manifestName, in: tree.root, temporaryPrefix: Self.temporaryPrefix)
            try OutputFileSystem.sync(tree.root)
        } catch {
            throw .io(path: tree.displayPath(Self.manifestName), message: error.message)
        }
    }

    /// Deletes `.topoc-tmp-*` entries (never directories) left by a killed
    /// build in the output folder and in `directories`.
    private func removeStrayTemporaries(in directories: Set<ArtifactPath>, tree: OutputDirectoryTree) throws(OutputError) {
        var scanned: [(String, [String])] = [("", [])]
        for directory in directories.sorted() { scanned.append((directory.string, directory.components)) }
        for (relative, components) in scanned {
            guard case .directory(let fd) = try tree.existing(components) else { continue }
            let names: [String]
            do {
                names = try OutputFileSystem.entries(of: fd)
            } catch {
                throw .io(path: tree.displayPath(relative), message: error.message)
            }
            for name in names.sorted() where name.hasPrefix(Self.temporaryPrefix) {
                let display = tree.displayPath(relative.isEmpty ? name : relative + "/" + name)
                do {
                    if try OutputFileSystem.kind(of: name, in: fd) != .directory {
                        try OutputFileSystem.removeFile(name, in: fd)
                    }
                } catch {
                    if error.code != ENOENT { throw .io(path: display, message: error.message) }
                }
            }
        }
    }

    /// The manifest entry for a planned artifact.
    private static func entry(_ item: OutputPlan.Item) -> OutputManifest.Entry {
        OutputManifest.Entry(path: item.path.string, producer: item.artifact.producer, sha256: item.sha256)
    }

    /// Throws if the test hook says the simulated process dies now.
    private func checkSimulatedCrash(after writes: Int) throws(OutputError) {
        if let limit = simulatedCrashAfterWrites, writes >= limit {
            throw .io(path: "<simulated crash>", message: "simulated crash after \(writes) file write(s)")
        }
    }
}
