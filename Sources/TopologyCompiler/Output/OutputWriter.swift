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
/// A build stages its artifacts as it makes them (``makeStaging()``, then
/// ``OutputStaging/stage(_:)`` from any thread), so it never holds its whole
/// output; ``write(staged:)`` then makes the folder hold exactly the staged
/// artifacts (plus whatever the user keeps there) and records what topoc owns
/// in the manifest ``manifestName``. ``write(_:)`` does both for artifacts in
/// memory.
///
/// 1. **Staging.** Each artifact is written, as it is made, to a file in a
///    staging folder inside the output folder (`.topoc-tmp-stage-*`, see
///    ``OutputStaging``), with its SHA-256; only paths, digests and sizes stay
///    in memory.
/// 2. **Checks.** Every path is validated (see ``ArtifactPath``), the set
///    is checked for duplicates (also ignoring case), the old manifest is read,
///    and the disk is inspected: no parent component may be a symbolic link or
///    a non-directory, and no file topoc does not own may be in the way (unless
///    its bytes are already identical, in which case it is adopted). Any
///    violation throws, after removing the staging folder (and the output
///    folder, if it was created for this build), before anything else is
///    written, created or removed.
/// 3. **Provisional manifest.** If files will change, a manifest marked
///    incomplete that claims both the old and new files is written first, so a
///    build killed part-way leaves nothing the next build would treat as foreign.
/// 4. **Cleanup.** Stray `.topoc-tmp-*` files and staging folders from a killed
///    build are deleted, stale owned files are deleted, then directories topoc
///    created that are now empty are deleted (deepest first; never if non-empty).
/// 5. **Moves**, only where the bytes differ (compared exactly, byte for byte).
///    The staged files are flushed to disk (on Linux one `syncfs` per file
///    system, elsewhere an `fsync` per file as it is staged), and only then
///    each is renamed over its destination, so each file is always entirely
///    old or entirely new. Unchanged files are not touched (their mtime is
///    kept). Replaced files get fresh default permissions; nothing of the old
///    file (mode, owner, extended attributes, hard links) is preserved.
/// 6. **Final manifest**, written atomically last, only if its bytes change;
///    the staging folder is removed.
///
/// Symbolic links inside the output folder are never followed — not when
/// writing, reading or removing (every operation goes through directory
/// descriptors opened with `O_NOFOLLOW`). The output folder itself, however, may
/// be a symbolic link: it is resolved once, when opened, and everything happens
/// inside its target (that is the user's choice); ``OutputReport/directory``
/// gives the resolved location. Missing folders on the way to it are created.
/// Folders inside it must be on its file system (a file is put in place by a
/// rename from the staging folder).
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
    /// documentation for the guarantees): stages them, then ``write(staged:)``.
    /// - Returns: What was written, left unchanged and removed.
    /// - Throws: ``OutputError``; every error other than
    ///   ``OutputError/io(path:message:)`` is raised before anything changes.
    public func write(_ artifacts: [Artifact]) throws(OutputError) -> OutputReport {
        let staging = try makeStaging()
        staging.stage(artifacts)
        return try write(staged: staging)
    }

    /// Opens a staging folder in the output folder (creating the output folder if it is missing)
    /// for a build to stage its artifacts in as it makes them.
    /// - Returns: The staging; pass it to ``write(staged:)``, or ``OutputStaging/discard()`` it.
    /// - Throws: ``OutputError/io(path:message:)`` if the folder cannot be opened or created.
    public func makeStaging() throws(OutputError) -> OutputStaging {
        let rootPath = try rootPathString()
        var created: [String] = []
        var fd: Int32
        do {
            fd = try OutputFileSystem.openDirectory(atPath: rootPath)
        } catch {
            guard error.code == ENOENT else { throw Self.openError(error, path: rootPath) }
            created = Self.missingFolders(rootPath)
            do {
                try FileManager.default.createDirectory(atPath: rootPath, withIntermediateDirectories: true)
            } catch {
                throw .io(path: rootPath, message: "cannot create the output folder: \(error.localizedDescription)")
            }
            do {
                fd = try OutputFileSystem.openDirectory(atPath: rootPath)
            } catch {
                throw Self.openError(error, path: rootPath)
            }
        }
        return try OutputStaging(root: fd, rootPath: rootPath, createdFolders: created)
    }

    /// Makes the output folder hold exactly the artifacts staged in `staging` (see the type's
    /// documentation for the guarantees) and removes the staging folder.
    /// - Parameters:
    ///   - staging: A staging made by ``makeStaging()`` of a writer for this folder.
    ///   - onlyProducers: The producers the build ran, when it ran only some (`topoc build
    ///     --only`): owned files that other producers made, and that no staged artifact
    ///     replaces, are then neither removed nor changed, and stay owned. `nil`: every owned
    ///     file not staged again is stale.
    /// - Returns: What was written, left unchanged and removed.
    /// - Throws: The staging's first failure, or ``OutputError``; every error other than
    ///   ``OutputError/io(path:message:)`` is raised before anything changes (a staging made for
    ///   another folder is refused with an I/O error, also before anything changes).
    public func write(staged staging: OutputStaging, onlyProducers: Set<String>? = nil) throws(OutputError) -> OutputReport {
        var succeeded = false
        defer { staging.finish(keepingFolders: succeeded) }
        let rootPath = try rootPathString()
        guard staging.rootPath == rootPath else {
            throw .io(path: rootPath, message: "the artifacts were staged for another output folder, \(staging.rootPath)")
        }
        let report = try place(staging, onlyProducers: onlyProducers)
        succeeded = true
        return report
    }

    /// Checks the staged artifacts against the output folder and moves them into place.
    private func place(_ staging: OutputStaging, onlyProducers: Set<String>?) throws(OutputError) -> OutputReport {
        let (files, failure) = staging.contents()
        if let failure { throw failure }
        let validated = try Self.validate(files)
        let duplicate = dup(staging.root)
        if duplicate < 0 { throw .io(path: staging.rootPath, message: OutputSystemError.current.message) }
        let root = OutputDirectoryTree(root: duplicate, rootPath: staging.rootPath)

        let oldManifestBytes = try readManifest(root)
        var oldManifest: OutputManifest?
        if let bytes = oldManifestBytes {
            oldManifest = try OutputManifest.decode(bytes, displayPath: root.displayPath(Self.manifestName))
        }

        let plan = try OutputPlan(files: validated, manifest: oldManifest, tree: root, staging: staging, onlyProducers: onlyProducers)

        // ---- Nothing has been changed on disk up to this point (but the staging folder). ----
        var report = OutputReport(
            directory: URL(fileURLWithPath: OutputFileSystem.realPath(staging.rootPath) ?? staging.rootPath, isDirectory: true))

        try removeStrayTemporaries(in: plan.directoriesToScan, tree: root, keeping: staging.name)

        if plan.changesFiles {
            let provisional = OutputManifest(
                generator: generator, complete: false,
                directories: (Set(oldManifest?.directories ?? []).union(plan.directoriesToCreate.map(\.string))).sorted(),
                files: plan.items.map(Self.entry) + plan.staleEntries + plan.keptEntries)
            try writeManifest(provisional, tree: root, failureNote: "no generated file was written or removed")
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

        // Files, in sorted path order: the directories made one after another, the staged files
        // flushed to disk (one syncfs per file system on Linux, not one fsync per file), then each
        // renamed from the staging folder over its destination.
        var created: [ArtifactPath] = []
        var touched: [[UInt8]: Int32] = [:]
        var pending: [(item: OutputPlan.Item, parent: Int32)] = []
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
        if OutputFileSystem.syncsWholeFileSystems && !pending.isEmpty {
            do {
                try OutputFileSystem.syncFileSystems(of: [root.root] + touched.values)
            } catch {
                throw .io(path: root.displayPath("."), message: error.message)
            }
        }
        for (index, entry) in pending.enumerated() {
            do {
                // The plan has no create or overwrite of a file that was not staged.
                try staging.move(entry.item.file, to: entry.item.path.name, in: entry.parent)
            } catch {
                throw .io(path: root.displayPath(entry.item.path.string), message: error.message)
            }
            report.written.append(entry.item.path.string)
            if entry.item.editedByUser { report.overwrittenEdits.append(entry.item.path.string) }
            try checkSimulatedCrash(after: index + 1)
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
            files: plan.items.map(Self.entry) + plan.keptEntries)
        if final.encoded() != oldManifestBytes || plan.changesFiles {
            try writeManifest(
                final, tree: root,
                failureNote: plan.changesFiles
                    ? "every generated file is in place, but the manifest still marks the build unfinished; build again to finish it"
                    : "no generated file was written or removed")
        }

        report.overwrittenEdits.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        report.removed.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        report.removedDirectories.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return report
    }

    // MARK: - Steps

    /// Validates every path and checks the set for collisions; returns the
    /// staged files sorted by path.
    static func validate(_ staged: [OutputStaging.File]) throws(OutputError) -> [(path: ArtifactPath, file: OutputStaging.File)] {
        var result: [(path: ArtifactPath, file: OutputStaging.File)] = []
        for file in staged.sorted(by: { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }) {
            result.append((try ArtifactPath(file.path), file))
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

    /// The error for an output folder that cannot be opened.
    private static func openError(_ error: OutputSystemError, path: String) -> OutputError {
        if error.code == ENOTDIR { return .io(path: path, message: "the output folder exists and is not a directory") }
        return .io(path: path, message: error.message)
    }

    /// The folders on the way to `path` (itself included) that do not exist, deepest first.
    private static func missingFolders(_ path: String) -> [String] {
        var missing: [String] = []
        var current = path
        var info = stat()
        while !current.isEmpty && current != "/" && current != "." && stat(current, &info) != 0 && errno == ENOENT {
            missing.append(current)
            guard let slash = current.lastIndex(of: "/") else { break }
            current = slash == current.startIndex ? "/" : String(current[..<slash])
        }
        return missing
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

    /// Atomically replaces the manifest and flushes the output folder's entries. A failure is an
    /// I/O error on the manifest: when the new manifest could not be put in place, its message is
    /// followed by `failureNote` (what that failure left as it was); when only the flush after it
    /// failed, by a note saying the manifest was replaced.
    private func writeManifest(
        _ manifest: OutputManifest, tree: OutputDirectoryTree, failureNote: String? = nil
    ) throws(OutputError) {
        let path = tree.displayPath(Self.manifestName)
        do {
            try OutputFileSystem.writeAtomically(
                manifest.encoded(), to: Self.manifestName, in: tree.root, temporaryPrefix: Self.temporaryPrefix)
        } catch {
            throw .io(path: path, message: error.message + (failureNote.map { "; " + $0 } ?? ""))
        }
        do {
            try OutputFileSystem.sync(tree.root)
        } catch {
            throw .io(
                path: path, message: error.message + "; the manifest was replaced, but the output folder could not be flushed to disk")
        }
    }

    /// Deletes `.topoc-tmp-*` entries left by a killed build in the output folder and in
    /// `directories`: files, and in the output folder staging folders other than `keeping` (with
    /// what they hold; symbolic links in them are removed, not followed). Other directories with
    /// the prefix are left alone.
    private func removeStrayTemporaries(
        in directories: Set<ArtifactPath>, tree: OutputDirectoryTree, keeping staging: String
    ) throws(OutputError) {
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
                    } else if relative.isEmpty && name.hasPrefix(OutputStaging.folderPrefix) && name != staging {
                        OutputFileSystem.removeTreeQuietly(name, in: fd)
                    }
                } catch {
                    if error.code != ENOENT { throw .io(path: display, message: error.message) }
                }
            }
        }
    }

    /// The manifest entry for a planned artifact.
    private static func entry(_ item: OutputPlan.Item) -> OutputManifest.Entry {
        OutputManifest.Entry(path: item.path.string, producer: item.file.producer, sha256: item.sha256)
    }

    /// Throws if the test hook says the simulated process dies now.
    private func checkSimulatedCrash(after writes: Int) throws(OutputError) {
        if let limit = simulatedCrashAfterWrites, writes >= limit {
            throw .io(path: "<simulated crash>", message: "simulated crash after \(writes) file write(s)")
        }
    }
}
