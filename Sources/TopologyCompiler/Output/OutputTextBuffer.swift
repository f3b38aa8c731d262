/// Text written to a file being staged (``OutputStaging/stage(_:producer:streaming:)``) through a
/// buffer: small pieces gather and are written together, a piece as large as the buffer is
/// written from its own storage. The first failure is kept; nothing is written after it, and
/// ``finish()`` throws it, so a renderer can hand its pieces on without handling errors.
struct OutputTextBuffer {
    private let file: OutputFileWriter
    private let size: Int
    private var buffer = ""
    private var failure: OutputSystemError?

    /// A buffer of `size` bytes in front of `file`.
    init(file: OutputFileWriter, size: Int = 1 << 16) {
        self.file = file
        self.size = size
        buffer.reserveCapacity(size)
    }

    /// Appends `text` to the file.
    mutating func append(_ text: String) {
        if text.utf8.count >= size {
            flush()
            write(text)
        } else {
            buffer += text
            if buffer.utf8.count >= size { flush() }
        }
    }

    /// Writes what has gathered; throws the first failure to write.
    mutating func finish() throws(OutputSystemError) {
        flush()
        if let failure { throw failure }
    }

    private mutating func flush() {
        write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private mutating func write(_ text: String) {
        guard failure == nil, !text.isEmpty else { return }
        do throws(OutputSystemError) {
            try file.write(utf8: text)
        } catch {
            failure = error
        }
    }
}
