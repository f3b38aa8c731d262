/// Finds the bytes of a file that are not text, and says where they are as `line:column`.
///
/// Columns count characters (Unicode scalars), as libyaml's marks do, so a location here agrees
/// with the locations of every other diagnostic.
enum SourceBytes {
    /// The offset of the first NUL byte, if any.
    static func firstNUL(in bytes: [UInt8]) -> Int? {
        bytes.firstIndex(of: 0)
    }

    /// The offset of the first byte that does not start a well-formed UTF-8 character (an invalid
    /// lead byte, a bad or missing continuation, an overlong form or a surrogate), if any.
    static func firstInvalidUTF8(in bytes: [UInt8]) -> Int? {
        var offset = 0
        while offset < bytes.count {
            let lead = bytes[offset]
            let length: Int
            switch lead {
            case 0x00..<0x80:
                offset += 1
                continue
            case 0xC2..<0xE0: length = 2
            case 0xE0..<0xF0: length = 3
            case 0xF0..<0xF5: length = 4
            default: return offset
            }
            guard offset + length <= bytes.count, String(validating: bytes[offset..<offset + length], as: UTF8.self) != nil else {
                return offset
            }
            offset += length
        }
        return nil
    }

    /// The line and column of the byte at `offset`; the bytes before it must be valid UTF-8.
    static func location(ofByte offset: Int, in bytes: [UInt8], file: String) -> SourceLocation {
        var line = 1
        var lineStart = 0
        for index in 0..<offset where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        let characters = bytes[lineStart..<offset].filter { $0 & 0xC0 != 0x80 }.count
        return SourceLocation(file: file, line: line, column: characters + 1)
    }
}
