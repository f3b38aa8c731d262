#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A new file written in pieces, with the SHA-256 and size of what it holds: how a file too large
/// to hold whole (a plan's JSON, tens of megabytes at the documented maxima) reaches the staging
/// folder (``OutputStaging/stage(_:producer:streaming:)``).
///
/// Every new file topoc writes goes through it (``OutputFileSystem/writeNewFile(_:named:in:flush:)``
/// writes bytes held whole with it): created exclusively (`O_EXCL`), never through a symbolic
/// link, and removed when the writer goes away before it is finished.
final class OutputFileWriter: JSONSink {
    private var fd: Int32
    private let name: String
    private let directory: Int32
    private var hasher = OutputSHA256.Hasher()
    /// The number of bytes written.
    private(set) var size = 0
    private var finished = false

    /// Creates the file `name` in `directory`; it must not exist.
    init(creating name: String, in directory: Int32) throws(OutputSystemError) {
        let fd = OutputFileSystem.retrying {
            openat(directory, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
        }
        if fd < 0 { throw OutputSystemError.current }
        self.fd = fd
        self.name = name
        self.directory = directory
    }

    deinit {
        if fd >= 0 { close(fd) }
        if !finished { unlinkat(directory, name, 0) }
    }

    /// Appends `bytes` to the file.
    func write(contentsOf bytes: [UInt8]) throws(OutputSystemError) {
        if let failure = bytes.withUnsafeBytes({ write($0) }) { throw failure }
    }

    /// Appends the UTF-8 bytes of `text` to the file, without copying them (a statement of a
    /// shard script is 16 MB at 4,096 shards).
    func write(utf8 text: String) throws(OutputSystemError) {
        var text = text
        if let failure = text.withUTF8({ write(UnsafeRawBufferPointer($0)) }) { throw failure }
    }

    /// Appends `raw` to the file and hashes it; returns the failure, if any.
    private func write(_ raw: UnsafeRawBufferPointer) -> OutputSystemError? {
        hasher.update(raw)
        var offset = 0
        while offset < raw.count {
            let written = writeBytes(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return OutputSystemError.current
            }
            offset += written
        }
        size += raw.count
        return nil
    }

    /// Appends the bytes of `piece` to the file, leaving `piece` empty (``JSONSink``).
    func write(_ piece: inout [UInt8]) throws(OutputSystemError) {
        try write(contentsOf: piece)
        piece.removeAll(keepingCapacity: true)
    }

    /// Empties the file, to write it again from the start.
    func restart() throws(OutputSystemError) {
        if ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0 { throw OutputSystemError.current }
        hasher = OutputSHA256.Hasher()
        size = 0
    }

    /// Closes the file (after `fsync` when `flush`) and keeps it.
    /// - Returns: The SHA-256 of the bytes written, in lowercase hexadecimal.
    func finish(flush: Bool) throws(OutputSystemError) -> String {
        if flush, OutputFileSystem.retrying({ fsync(fd) }) != 0 { throw OutputSystemError.current }
        let result = close(fd)
        fd = -1
        if result != 0 { throw OutputSystemError.current }
        finished = true
        return hasher.finishHex()
    }
}

/// The C library's `write(2)` (inside ``OutputFileWriter`` the name is the method's).
private func writeBytes(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, bytes, count)
}
