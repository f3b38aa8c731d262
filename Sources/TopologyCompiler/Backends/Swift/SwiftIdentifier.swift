/// Turns topology names (`us-east-s0`, `order_items`) into Swift identifiers.
enum SwiftIdentifier {
    /// Swift keywords that need backticks as identifiers.
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows",
        "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default",
        "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch",
        "where", "while", "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws", "true",
        "try", "async", "some", "any", "consume", "copy", "borrowing", "consuming", "Type", "Protocol",
    ]

    /// The words of a name: runs of ASCII letters and digits.
    static func words(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        for scalar in name.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty {
            words.append(current)
        }
        return words
    }

    /// `UpperCamelCase` of a name (`shop` -> `Shop`, `global-geo` -> `GlobalGeo`); `fallback` if
    /// the name has no letters or digits. A leading digit gets an underscore.
    static func upperCamel(_ name: String, fallback: String = "Topology") -> String {
        let joined = words(name).map(capitalized).joined()
        guard let first = joined.unicodeScalars.first else {
            return fallback
        }
        return ("0"..."9").contains(first) ? "_" + joined : joined
    }

    /// `lowerCamelCase` of a name, escaped for use as an identifier (`us-east` -> `usEast`,
    /// `default` -> `` `default` ``).
    static func lowerCamel(_ name: String, fallback: String = "value") -> String {
        let parts = words(name)
        guard let head = parts.first else {
            return fallback
        }
        let joined = head.prefix(1).lowercased() + head.dropFirst() + parts.dropFirst().map(capitalized).joined()
        if let first = joined.unicodeScalars.first, ("0"..."9").contains(first) {
            return "_" + joined
        }
        return keywords.contains(joined) ? "`\(joined)`" : joined
    }

    /// Unique `lowerCamel` identifiers for `names`, in order: a clash with an earlier name or with
    /// `reserved` gets a numeric suffix.
    static func uniqueLowerCamel(_ names: [String], reserved: Set<String> = []) -> [String] {
        var taken = reserved
        return names.map { name in
            let base = lowerCamel(name)
            var candidate = base
            var suffix = 2
            while taken.contains(candidate.trimmingBackticks) {
                candidate = base.trimmingBackticks + String(suffix)
                suffix += 1
            }
            taken.insert(candidate.trimmingBackticks)
            return candidate
        }
    }

    /// A Swift string literal for `text`.
    static func stringLiteral(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// Text safe inside a `///` comment line (no line breaks).
    static func comment(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }

    private static func capitalized(_ word: String) -> String {
        word.prefix(1).uppercased() + word.dropFirst()
    }
}

extension String {
    /// The string without surrounding backticks.
    fileprivate var trimmingBackticks: String {
        hasPrefix("`") && hasSuffix("`") && count >= 2 ? String(dropFirst().dropLast()) : self
    }
}
