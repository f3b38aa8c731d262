/// Quoting for the YAML files topoc writes (Patroni, etcd, docker-compose), read by YAML 1.1
/// readers (PyYAML for Patroni and docker-compose 1.x, Go's yaml for etcd) and YAML 1.2 ones.
public enum YAMLQuoting {
    /// `text` as a scalar or mapping key: plain when no YAML 1.1 or 1.2 reader could take it for
    /// anything but the same string, otherwise double-quoted with escapes.
    ///
    /// Plain only for `[A-Za-z_/][A-Za-z0-9_./-]*` that is not a word YAML turns into a boolean
    /// or null (so `on`, `no`, `1:30`, `0.0.0.0:8008` and `${VAR}` are quoted). Inside double
    /// quotes `"` and `\` are escaped, and line breaks, control characters, NEL, the Unicode line
    /// and paragraph separators and the byte order mark are written as escapes, so no value can
    /// end its line or its scalar.
    public static func scalar(_ text: String) -> String {
        if isPlainSafe(text) { return text }
        // Byte by byte over UTF-8 (a schema ConfigMap's value is a whole script): every character
        // to escape is ASCII or one of four multi-byte sequences, so the rest is copied as is.
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 16 + 2)
        out.append(UInt8(ascii: "\""))
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0..<0x20, 0x7F: appendEscape(UInt32(byte), to: &out)
            case 0xC2 where index + 1 < bytes.count && (0x80...0x9F).contains(bytes[index + 1]):
                // C1 controls, U+0080-U+009F (NEL among them).
                appendEscape(UInt32(bytes[index + 1]), to: &out)
                index += 1
            case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                // U+2028 and U+2029, the line and paragraph separators.
                appendEscape(bytes[index + 2] == 0xA8 ? 0x2028 : 0x2029, to: &out)
                index += 2
            case 0xEF where index + 2 < bytes.count && bytes[index + 1] == 0xBB && bytes[index + 2] == 0xBF:
                // U+FEFF, the byte order mark.
                appendEscape(0xFEFF, to: &out)
                index += 2
            default: out.append(byte)
            }
            index += 1
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `\uXXXX` for a code point below U+10000.
    private static func appendEscape(_ value: UInt32, to out: inout [UInt8]) {
        let digits = Array("0123456789ABCDEF".utf8)
        out += [UInt8(ascii: "\\"), UInt8(ascii: "u")]
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(digits[Int((value >> UInt32(shift)) & 0xF)])
        }
    }

    /// Words that YAML 1.1 or 1.2 readers turn into booleans or null.
    private static let reservedWords: Set<String> = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~",
    ]

    private static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first else { return false }
        guard isLetter(first) || first == "_" || first == "/" else { return false }
        guard !reservedWords.contains(text.lowercased()) else { return false }
        return text.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) || "_./-".unicodeScalars.contains($0) }
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }
}
