#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A regular file read in fixed-size pieces, so comparing or fingerprinting a file of any size
/// holds one piece of it, not the whole file (a plan's JSON is tens of megabytes at the
/// documented maxima).
///
/// Opened the way ``OutputFileSystem/readFile(_:in:)`` opens: without following a symbolic link
/// (`ELOOP`), and only a regular file (`EINVAL` otherwise).
struct OutputFileReader: ~Copyable {
    /// The size of each piece.
    static let chunkSize = 65_536

    private let fd: Int32
    /// The file's size when it was opened.
    let size: Int

    /// Opens the regular file `name` in `directory`.
    init(_ name: String, in directory: Int32) throws(OutputSystemError) {
        let fd = OutputFileSystem.retrying { openat(directory, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK) }
        if fd < 0 { throw OutputSystemError.current }
        var info = stat()
        if fstat(fd, &info) != 0 {
            let error = OutputSystemError.current
            close(fd)
            throw error
        }
        if info.st_mode & S_IFMT != S_IFREG {
            close(fd)
            throw OutputSystemError(code: EINVAL)
        }
        self.fd = fd
        size = Int(info.st_size)
    }

    deinit {
        close(fd)
    }

    /// Fills `buffer` from the file's next bytes; returns how many were read, fewer than the
    /// buffer holds only at the end of the file.
    func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(OutputSystemError) -> Int {
        var filled = 0
        while filled < buffer.count {
            let count = read(fd, buffer.baseAddress.map { $0 + filled }, buffer.count - filled)
            if count < 0 {
                if errno == EINTR { continue }
                throw OutputSystemError.current
            }
            if count == 0 { break }
            filled += count
        }
        return filled
    }

    /// Calls `body` with each piece of the rest of the file, in order, until the end of the
    /// file or until `body` returns `false`.
    func forEachChunk(_ body: (UnsafeRawBufferPointer) -> Bool) throws(OutputSystemError) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try fill(buffer)
            if count == 0 || !body(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) { return }
            if count < buffer.count { return }
        }
    }
}

extension OutputFileSystem {
    /// The SHA-256 of the regular file `name` in `directory`, in lowercase hexadecimal, read in
    /// pieces.
    static func sha256Hex(ofFile name: String, in directory: Int32) throws(OutputSystemError) -> String {
        let reader = try OutputFileReader(name, in: directory)
        var hasher = OutputSHA256.Hasher()
        try reader.forEachChunk { chunk in
            hasher.update(chunk)
            return true
        }
        return hasher.finishHex()
    }

    /// Whether the regular file `name` in `directory` holds exactly `bytes`, read in pieces and
    /// stopping at the first difference.
    static func fileHolds(_ bytes: [UInt8], name: String, in directory: Int32) throws(OutputSystemError) -> Bool {
        let reader = try OutputFileReader(name, in: directory)
        guard reader.size == bytes.count else { return false }
        var offset = 0
        var same = true
        try reader.forEachChunk { chunk in
            same = bytes.withUnsafeBytes { expected in
                offset + chunk.count <= expected.count
                    && equalBytes(chunk, UnsafeRawBufferPointer(rebasing: expected[offset..<offset + chunk.count]))
            }
            offset += chunk.count
            return same
        }
        return same && offset == bytes.count
    }

    /// Whether the regular files `name` in `directory` and `otherName` in `otherDirectory` hold
    /// the same bytes, read in pieces side by side and stopping at the first difference.
    static func sameContents(
        _ name: String, in directory: Int32, as otherName: String, in otherDirectory: Int32
    ) throws(OutputSystemError) -> Bool {
        let reader = try OutputFileReader(name, in: directory)
        let other = try OutputFileReader(otherName, in: otherDirectory)
        guard reader.size == other.size else { return false }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: OutputFileReader.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        let otherBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: OutputFileReader.chunkSize, alignment: 16)
        defer { otherBuffer.deallocate() }
        while true {
            let count = try reader.fill(buffer)
            let otherCount = try other.fill(otherBuffer)
            guard
                count == otherCount,
                equalBytes(
                    UnsafeRawBufferPointer(rebasing: buffer[0..<count]), UnsafeRawBufferPointer(rebasing: otherBuffer[0..<count]))
            else { return false }
            if count < buffer.count { return true }
        }
    }
}

/// Whether two buffers hold the same bytes.
private func equalBytes(_ one: UnsafeRawBufferPointer, _ other: UnsafeRawBufferPointer) -> Bool {
    guard one.count == other.count else { return false }
    guard let first = one.baseAddress, let second = other.baseAddress else { return true }  // both empty
    return memcmp(first, second, one.count) == 0
}
