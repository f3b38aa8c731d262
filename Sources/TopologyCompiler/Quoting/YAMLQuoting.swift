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
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                    || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF
                {
                    out += "\\u" + hex4(scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
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

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
