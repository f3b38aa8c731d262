/// Everything ``OutputWriter/write(staged:)`` will do, worked out by reading the
/// disk only (the output folder and the staged files). Building a plan performs every check that can fail for reasons
/// other than I/O errors, so a refused build has written nothing.
struct OutputPlan {
    /// What happens to one artifact.
    enum Action: Equatable {
        /// No file exists; write it.
        case create
        /// An owned file with different bytes (or a symlink) exists; replace it.
        case overwrite
        /// The file already has the right bytes.
        case keep
        /// An unowned file already has the right bytes; take ownership.
        case adopt
    }

    /// One artifact and its fate.
    struct Item {
        let path: ArtifactPath
        /// The artifact's staged file.
        let file: OutputStaging.File
        var sha256: String { file.sha256 }
        let action: Action
        /// The owned file on disk had been changed by the user.
        let editedByUser: Bool
    }

    /// A previously generated file that is no longer produced.
    struct StaleFile {
        let path: ArtifactPath
        /// The file on disk had been changed by the user.
        let editedByUser: Bool
    }

    /// The artifacts in sorted path order.
    private(set) var items: [Item] = []
    /// Stale owned files present on disk, sorted.
    private(set) var staleFiles: [StaleFile] = []
    /// Manifest entries of previously owned paths that are no longer produced.
    private(set) var staleEntries: [OutputManifest.Entry] = []
    /// Manifest entries of owned files that producers outside the build's own made (a build of
    /// some backends only): their files are left as they are and stay owned.
    private(set) var keptEntries: [OutputManifest.Entry] = []
    /// Directories topoc created earlier that no new artifact lives in,
    /// deepest first; each is removed if it is empty after stale files go.
    private(set) var removableDirectories: [ArtifactPath] = []
    /// Directories topoc created earlier that are still needed.
    private(set) var keptDirectories: Set<ArtifactPath> = []
    /// Directories that do not exist yet and will be created.
    private(set) var directoriesToCreate: Set<ArtifactPath> = []
    /// Directories that may hold stray temporary files.
    private(set) var directoriesToScan: Set<ArtifactPath> = []

    /// Whether executing the plan changes any file or directory.
    var changesFiles: Bool {
        !staleFiles.isEmpty || !directoriesToCreate.isEmpty
            || items.contains { $0.action == .create || $0.action == .overwrite }
    }

    /// Plans writing the staged `files` (validated, sorted) over the state described
    /// by `manifest` and found through `tree`.
    ///
    /// Files on disk are compared and fingerprinted in pieces (``OutputFileReader``), never held
    /// whole.
    ///
    /// - Parameters:
    ///   - staging: Where the staged files are, to compare them exactly with files on disk of the
    ///     same size.
    ///   - onlyProducers: The producers the build ran, when it ran only some; owned files of the
    ///     others that no artifact replaces are kept (see ``keptEntries``), not stale.
    init(
        files artifacts: [(path: ArtifactPath, file: OutputStaging.File)], manifest: OutputManifest?,
        tree: OutputDirectoryTree?, staging: OutputStaging, onlyProducers: Set<String>? = nil
    ) throws(OutputError) {
        var owned: [ArtifactPath: OutputManifest.Entry] = [:]
        var ownedDirectories: Set<ArtifactPath> = []
        for entry in manifest?.files ?? [] {
            if let path = try? ArtifactPath(entry.path) { owned[path] = entry }
        }
        for directory in manifest?.directories ?? [] {
            if let path = try? ArtifactPath(directory) { ownedDirectories.insert(path) }
        }
        // Hashes in a provisional manifest describe the intended, not the actual, bytes.
        let trustHashes = manifest?.complete ?? false

        let newPaths = Set(artifacts.map(\.path))
        var neededDirectories: Set<ArtifactPath> = []
        for (path, _) in artifacts { neededDirectories.formUnion(path.ancestors) }

        // Files of producers this build did not run stay as they are, and stay owned.
        if let onlyProducers {
            for path in owned.keys.sorted() where !newPaths.contains(path) {
                guard var entry = owned[path], !onlyProducers.contains(entry.producer) else { continue }
                owned[path] = nil
                if !trustHashes {
                    // The digest may be of bytes that were never written: take the file's own,
                    // and drop a file that is no longer there.
                    guard let tree, case .directory(let parent) = try tree.existing(path.parentComponents),
                        try Self.kind(of: path, in: parent, tree: tree) == .regular
                    else { continue }
                    entry.sha256 = try Self.sha256(of: path, in: parent, tree: tree)
                }
                keptEntries.append(entry)
                neededDirectories.formUnion(path.ancestors)
            }
        }

        for path in owned.keys { directoriesToScan.formUnion(path.ancestors) }
        directoriesToScan.formUnion(ownedDirectories)
        directoriesToScan.formUnion(neededDirectories)

        // Stale files: owned before, not produced now.
        for path in owned.keys.sorted() where !newPaths.contains(path) {
            guard let entry = owned[path] else { continue }
            staleEntries.append(entry)
            guard let tree, case .directory(let parent) = try tree.existing(path.parentComponents) else { continue }
            switch try Self.kind(of: path, in: parent, tree: tree) {
            case .regular:
                var edited = false
                if trustHashes { edited = try Self.sha256(of: path, in: parent, tree: tree) != entry.sha256 }
                staleFiles.append(StaleFile(path: path, editedByUser: edited))
            case .symlink:
                staleFiles.append(StaleFile(path: path, editedByUser: true))
            case .missing, .directory, .other:
                // Gone, or replaced by something topoc will not delete.
                continue
            }
        }
        let stale = Set(staleFiles.map(\.path))

        keptDirectories = ownedDirectories.intersection(neededDirectories)
        removableDirectories = ownedDirectories.subtracting(neededDirectories).sorted {
            $0.components.count != $1.components.count ? $0.components.count > $1.components.count : $1 < $0
        }
        let removable = Set(removableDirectories)

        // The digests were computed as the files were staged (on the rendering jobs' threads).
        for (path, file) in artifacts {
            let entry = owned[path]
            var action = Action.create
            var edited = false

            let parentLookup = try tree?.existing(path.parentComponents) ?? .missing(path.ancestors.first)
            switch parentLookup {
            case .missing(let first):
                if let first { directoriesToCreate.formUnion(path.ancestors.filter { $0.components.count >= first.components.count }) }
            case .blocked(let blocker, let kind):
                if kind == .regular && stale.contains(blocker) {
                    // A stale generated file becomes a directory: it is removed first.
                    directoriesToCreate.formUnion(path.ancestors.filter { $0.components.count >= blocker.components.count })
                } else if kind == .symlink {
                    throw .pathEscapes(
                        path: path.string,
                        reason: "\(OutputError.quote(blocker.string)) in the output folder is a symbolic link; "
                            + "topoc never writes through symbolic links")
                } else {
                    throw .pathEscapes(
                        path: path.string,
                        reason: "\(OutputError.quote(blocker.string)) in the output folder exists and is not a directory")
                }
            case .directory(let parent):
                guard let tree else { break }
                switch try Self.kind(of: path, in: parent, tree: tree) {
                case .missing:
                    action = .create
                case .regular:
                    // The file's digest, read at most once (it answers both questions below).
                    var diskDigest: String?
                    var same = OutputFileSystem.regularFileSize(path.name, in: parent) == file.size
                    if same {
                        // A file not staged held these bytes when it was staged; its digest tells
                        // whether it still does.
                        let displayPath = tree.displayPath(path.string)
                        if let identical = try staging.holdsSameBytes(file, as: path.name, in: parent, failedAt: displayPath) {
                            same = identical
                        } else {
                            let digest = try Self.sha256(of: path, in: parent, tree: tree)
                            diskDigest = digest
                            same = digest == file.sha256
                        }
                    }
                    if let entry {
                        if same {
                            action = .keep
                        } else {
                            action = .overwrite
                            if trustHashes {
                                if diskDigest == nil { diskDigest = try Self.sha256(of: path, in: parent, tree: tree) }
                                edited = diskDigest != entry.sha256
                            }
                        }
                    } else if same {
                        action = .adopt
                    } else {
                        throw .notOwned(path: path.string)
                    }
                case .symlink:
                    guard entry != nil else { throw .notOwned(path: path.string) }
                    action = .overwrite
                    edited = true
                case .directory:
                    guard removable.contains(path), try Self.willBeEmptied(path, tree: tree, stale: stale, removable: removable)
                    else {
                        throw .conflict(path: path.string, reason: "a directory that topoc will not remove is in the way")
                    }
                    action = .create
                case .other:
                    throw .conflict(path: path.string, reason: "something that is not a regular file is in the way")
                }
            }
            if case .alreadyInPlace = file.location, action == .create || action == .overwrite {
                throw .io(
                    path: tree?.displayPath(path.string) ?? path.string,
                    message: "the file changed while topoc was building; build again")
            }
            items.append(Item(path: path, file: file, action: action, editedByUser: edited))
        }
    }

    /// Whether removing the stale files and then the removable empty
    /// directories will make the directory `path` disappear.
    private static func willBeEmptied(
        _ path: ArtifactPath, tree: OutputDirectoryTree, stale: Set<ArtifactPath>, removable: Set<ArtifactPath>
    ) throws(OutputError) -> Bool {
        guard removable.contains(path), case .directory(let fd) = try tree.existing(path.components) else { return false }
        let names: [String]
        do {
            names = try OutputFileSystem.entries(of: fd)
        } catch {
            throw .io(path: tree.displayPath(path.string), message: error.message)
        }
        for name in names {
            if name.hasPrefix(OutputWriter.temporaryPrefix) { continue }
            guard let child = path.appending(name) else { return false }
            switch try kind(of: child, in: fd, tree: tree) {
            case .missing:
                continue
            case .regular, .symlink:
                if !stale.contains(child) { return false }
            case .directory:
                if try !willBeEmptied(child, tree: tree, stale: stale, removable: removable) { return false }
            case .other:
                return false
            }
        }
        return true
    }

    /// The kind of `path`'s entry in its parent directory `parent`.
    static func kind(of path: ArtifactPath, in parent: Int32, tree: OutputDirectoryTree) throws(OutputError) -> OutputEntryKind {
        do {
            return try OutputFileSystem.kind(of: path.name, in: parent)
        } catch {
            throw .io(path: tree.displayPath(path.string), message: error.message)
        }
    }

    /// The SHA-256 of the regular file `path` in its parent directory `parent`, read in pieces.
    static func sha256(of path: ArtifactPath, in parent: Int32, tree: OutputDirectoryTree) throws(OutputError) -> String {
        do {
            return try OutputFileSystem.sha256Hex(ofFile: path.name, in: parent)
        } catch {
            throw .io(path: tree.displayPath(path.string), message: error.message)
        }
    }
}
