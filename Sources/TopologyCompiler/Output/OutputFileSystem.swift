#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed system call, identified by its `errno` value.
struct OutputSystemError: Error {
    /// The `errno` value.
    let code: Int32

    /// Captures the current `errno`.
    static var current: OutputSystemError { OutputSystemError(code: errno) }

    /// The C library's message for the error.
    var message: String { String(cString: strerror(code)) }
}

/// What a directory entry is, examined without following symbolic links.
enum OutputEntryKind: Equatable {
    case missing
    case regular
    case directory
    case symlink
    /// A device, socket, FIFO or anything else topoc will not touch.
    case other
}

/// Thin wrappers over the `*at` POSIX calls. Every call names an entry by a
/// single component relative to an open directory descriptor and never follows
/// a symbolic link in that component, so nothing here can be redirected out of
/// the directory it was given.
enum OutputFileSystem {
    /// Retries a system call interrupted by a signal.
    static func retrying(_ call: () -> Int32) -> Int32 {
        while true {
            let result = call()
            if result != -1 || errno != EINTR { return result }
        }
    }

    /// The kind of the entry `name` in `directory` (`lstat` semantics).
    static func kind(of name: String, in directory: Int32) throws(OutputSystemError) -> OutputEntryKind {
        var info = stat()
        if fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) != 0 {
            let error = OutputSystemError.current
            if error.code == ENOENT { return .missing }
            throw error
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    /// The size of the entry `name` in `directory` if it is a regular file (`lstat` semantics),
    /// otherwise (or on any error) `nil`.
    static func regularFileSize(_ name: String, in directory: Int32) -> Int? {
        var info = stat()
        guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    /// Opens the directory `name` in `directory` without following a symlink.
    /// Fails with `ELOOP` for a symlink, `ENOTDIR` for a non-directory and
    /// `ENOENT` when missing.
    static func openDirectory(_ name: String, in directory: Int32) throws(OutputSystemError) -> Int32 {
        let fd = retrying { openat(directory, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
        if fd < 0 { throw OutputSystemError.current }
        return fd
    }

    /// Opens a directory by absolute or working-directory-relative path,
    /// following symbolic links (used once, for the output folder itself).
    static func openDirectory(atPath path: String) throws(OutputSystemError) -> Int32 {
        let fd = retrying { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        if fd < 0 { throw OutputSystemError.current }
        return fd
    }

    /// Reads the whole regular file `name` in `directory`. Fails with `ELOOP`
    /// for a symlink and `EINVAL` for anything that is not a regular file.
    static func readFile(_ name: String, in directory: Int32) throws(OutputSystemError) -> [UInt8] {
        let reader = try OutputFileReader(name, in: directory)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(reader.size)
        try reader.forEachChunk { chunk in
            bytes.append(contentsOf: chunk)
            return true
        }
        return bytes
    }

    /// Writes `bytes` to a new temporary file in `directory` (named with
    /// `temporaryPrefix`), flushes it to disk, and renames it over `name`.
    /// Readers — and a build killed at any moment — see either the old file or
    /// the complete new one. The temporary file is removed on failure.
    static func writeAtomically(
        _ bytes: [UInt8], to name: String, in directory: Int32, temporaryPrefix: String
    ) throws(OutputSystemError) {
        let temporary = try writeTemporary(bytes, in: directory, temporaryPrefix: temporaryPrefix, flush: true)
        try rename(temporary, to: name, in: directory)
    }

    /// Writes `bytes` to a new temporary file in `directory` (named with `temporaryPrefix`) and
    /// returns its name; with `flush`, its data is on disk when this returns (otherwise call
    /// ``syncFileSystems(of:)`` before renaming it over anything). The file is removed on failure.
    static func writeTemporary(
        _ bytes: [UInt8], in directory: Int32, temporaryPrefix: String, flush: Bool
    ) throws(OutputSystemError) -> String {
        var lastError = OutputSystemError(code: EEXIST)
        for _ in 0..<100 {
            let temporary = temporaryPrefix + String(getpid()) + "-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            do {
                try writeNewFile(bytes, named: temporary, in: directory, flush: flush)
                return temporary
            } catch {
                lastError = error
                if error.code != EEXIST { break }
            }
        }
        throw lastError
    }

    /// Creates the file `name` in `directory` (failing with `EEXIST` if anything is there) and
    /// writes `bytes` to it (with ``OutputFileWriter``); with `flush`, its data is on disk when
    /// this returns. The file is removed on failure.
    /// - Returns: The SHA-256 of `bytes`, in lowercase hexadecimal, computed as they are written.
    @discardableResult
    static func writeNewFile(
        _ bytes: [UInt8], named name: String, in directory: Int32, flush: Bool
    ) throws(OutputSystemError) -> String {
        let writer = try OutputFileWriter(creating: name, in: directory)
        try writer.write(contentsOf: bytes)
        return try writer.finish(flush: flush)
    }

    /// Renames the entry `name` of `source` over `destinationName` in `destination` (one atomic
    /// step on one file system; `EXDEV` across file systems).
    static func move(
        _ name: String, from source: Int32, to destinationName: String, in destination: Int32
    ) throws(OutputSystemError) {
        if renameat(source, name, destination, destinationName) != 0 { throw OutputSystemError.current }
    }

    /// Removes the entry `name` of `directory` and, if it is a directory, everything in it,
    /// ignoring errors. Symbolic links are removed, never followed.
    static func removeTreeQuietly(_ name: String, in directory: Int32) {
        guard (try? kind(of: name, in: directory)) == .directory else {
            _ = unlinkat(directory, name, 0)
            return
        }
        guard let fd = try? openDirectory(name, in: directory) else { return }
        for entry in (try? entries(of: fd)) ?? [] { removeTreeQuietly(entry, in: fd) }
        close(fd)
        _ = unlinkat(directory, name, AT_REMOVEDIR)
    }

    /// Renames `temporary` over `name` in `directory`.
    static func rename(_ temporary: String, to name: String, in directory: Int32) throws(OutputSystemError) {
        if renameat(directory, temporary, directory, name) != 0 {
            let error = OutputSystemError.current
            unlinkat(directory, temporary, 0)
            throw error
        }
    }

    /// Removes a temporary file, ignoring errors (a failed build's cleanup).
    static func removeQuietly(_ name: String, in directory: Int32) {
        _ = unlinkat(directory, name, 0)
    }

    /// Whether ``syncFileSystems(of:)`` can stand for one `fsync` per file: on Linux, one
    /// `syncfs` per file system flushes every file written there (and reports writeback errors
    /// since Linux 5.8); elsewhere, or if the C library lacks it, each file is flushed as it is
    /// written.
    static var syncsWholeFileSystems: Bool {
        syncfsFunction != nil
    }

    /// glibc's `syncfs`, which Swift's Glibc module does not declare (it needs `_GNU_SOURCE`).
    private static let syncfsFunction: (@convention(c) (Int32) -> Int32)? = {
        #if os(Linux)
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") else { return nil }
            return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
        #else
            return nil
        #endif
    }()

    /// Flushes to disk everything written on the file systems that hold `directories` (once per
    /// file system, `syncfs`). Only where ``syncsWholeFileSystems``.
    static func syncFileSystems(of directories: [Int32]) throws(OutputSystemError) {
        guard let syncfs = syncfsFunction else { return }
        var devices = Set<UInt64>()
        for fd in directories {
            var info = stat()
            if fstat(fd, &info) != 0 { throw OutputSystemError.current }
            guard devices.insert(UInt64(info.st_dev)).inserted else { continue }
            if retrying({ syncfs(fd) }) != 0 { throw OutputSystemError.current }
        }
    }

    /// The names in `directory`, excluding `.` and `..`.
    static func entries(of directory: Int32) throws(OutputSystemError) -> [String] {
        let copy = dup(directory)
        if copy < 0 { throw OutputSystemError.current }
        guard let stream = fdopendir(copy) else {
            let error = OutputSystemError.current
            close(copy)
            throw error
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                if errno != 0 { throw OutputSystemError.current }
                return names
            }
            guard let field = UnsafePointer(entry).pointer(to: \.d_name) else { continue }
            let name = UnsafeRawPointer(field).withMemoryRebound(
                to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)
            ) { String(cString: $0) }
            if name != "." && name != ".." { names.append(name) }
        }
    }

    /// Removes the non-directory entry `name` (a symlink itself, never its target).
    static func removeFile(_ name: String, in directory: Int32) throws(OutputSystemError) {
        if unlinkat(directory, name, 0) != 0 { throw OutputSystemError.current }
    }

    /// Removes the directory `name` if it is empty (`ENOTEMPTY`/`EEXIST` otherwise,
    /// `ENOTDIR` for a symlink or file).
    static func removeDirectory(_ name: String, in directory: Int32) throws(OutputSystemError) {
        if unlinkat(directory, name, AT_REMOVEDIR) != 0 { throw OutputSystemError.current }
    }

    /// Creates the directory `name` (mode 0777 minus the umask).
    static func makeDirectory(_ name: String, in directory: Int32) throws(OutputSystemError) {
        if mkdirat(directory, name, 0o777) != 0 { throw OutputSystemError.current }
    }

    /// Flushes a directory's entries (new names, renames) to disk.
    static func sync(_ fd: Int32) throws(OutputSystemError) {
        if retrying({ fsync(fd) }) != 0 {
            let error = OutputSystemError.current
            // Some file systems cannot fsync directories; that is not a failure of the write.
            if error.code == EINVAL || error.code == EBADF { return }
            throw error
        }
    }

    /// Closes a descriptor, ignoring errors.
    static func closeQuietly(_ fd: Int32) {
        _ = close(fd)
    }

    /// The canonical absolute path of `path` (symlinks resolved), if it exists.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
