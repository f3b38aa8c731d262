import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive lock on a run folder, held by one `topoc up` or `topoc down` at a time: two of them
/// on one deployment would start, migrate or stop its processes against each other.
///
/// The lock is `flock(2)` on `RUN/.topoc-lock`, so it is released when the process ends, however it
/// ends; the file holds the holder's PID for the message of the one refused.
final class RunFolderLock {
    /// The locked file's descriptor.
    private let descriptor: Int32

    /// The lock file of a run folder.
    static func path(_ layout: LocalRunLayout) -> URL { layout.root.appendingPathComponent(".topoc-lock") }

    /// Takes the lock, creating the run folder if needed, or throws naming the process that holds it.
    ///
    /// - Parameters:
    ///   - layout: The run folder.
    ///   - command: What is taking it (`topoc up`), for the refusal's message.
    init(_ layout: LocalRunLayout, command: String) throws {
        try FileManager.default.createDirectory(at: layout.root, withIntermediateDirectories: true)
        let path = Self.path(layout).path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw LocalClusterError("cannot open \(path) to lock the run folder: \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(descriptor)
            throw LocalClusterError(
                "another topoc up or topoc down is running on \(layout.root.path)\(holder.map { $0.isEmpty ? "" : " (\($0))" } ?? ""); wait for it to finish, then run \(command) again"
            )
        }
        let note = Array("pid \(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = note.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
