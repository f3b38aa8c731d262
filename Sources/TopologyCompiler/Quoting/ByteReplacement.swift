/// Replacing one ASCII byte of a text by a string, byte-wise on UTF-8: the quoting functions'
/// escapes (`'` doubled for SQL and ini, `'\''` for the shell, `$$` for compose).
///
/// Written out because Foundation's `replacingOccurrences(of:with:)` bridges every text to
/// `NSString` and searches it, even when the byte does not occur (most names): at 4,096 shards it
/// was 4 % of a build's samples (perf). The byte is ASCII, so no multi-byte character is split.
enum ByteReplacement {
    /// `text` with every `byte` replaced by `replacement`; `text` itself when `byte` does not occur.
    ///
    /// - Precondition: `byte` is ASCII.
    static func replacing(_ byte: UInt8, with replacement: String, in text: String) -> String {
        precondition(byte < 0x80, "only an ASCII byte can be replaced byte-wise")
        guard text.utf8.contains(byte) else { return text }
        let inserted = Array(replacement.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + inserted.count * 2)
        for next in text.utf8 {
            if next == byte {
                bytes.append(contentsOf: inserted)
            } else {
                bytes.append(next)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text` with every occurrence of the ASCII `pattern` replaced by `replacement`, left to right
    /// without overlaps; `text` itself when `pattern` does not occur.
    ///
    /// - Precondition: `pattern` is non-empty ASCII.
    static func replacing(_ pattern: String, with replacement: String, in text: String) -> String {
        let needle = Array(pattern.utf8)
        precondition(!needle.isEmpty && needle.allSatisfy { $0 < 0x80 }, "only an ASCII pattern can be replaced byte-wise")
        guard let first = needle.first, text.utf8.contains(first) else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        var replaced = false
        while index < bytes.count {
            if bytes[index] == first, bytes.count - index >= needle.count,
                bytes[index..<index + needle.count].elementsEqual(needle)
            {
                out.append(contentsOf: replacement.utf8)
                index += needle.count
                replaced = true
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return replaced ? String(decoding: out, as: UTF8.self) : text
    }
}
