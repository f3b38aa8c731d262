import Foundation

/// Checks SQL fragments written in a topology (defaults, expressions, predicates, queries).
///
/// Fragments are emitted as written, so the check refuses anything that could end the
/// surrounding statement or hide part of it.
enum SQLFragment {
    /// Why a fragment is unsafe, or nil when it is acceptable.
    static func problem(with text: String) -> String? {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return "the SQL fragment is empty" }
        var depth = 0
        var quote: Unicode.Scalar?
        var previous: Unicode.Scalar = " "
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            defer {
                previous = scalar
                index += 1
            }
            if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" && scalar != "\r" || scalar.value == 0x7F {
                return "control character U+\(String(scalar.value, radix: 16, uppercase: true)) in SQL"
            }
            if let open = quote {
                if scalar == open { quote = nil }
                continue
            }
            switch scalar {
            case "'", "\"":
                if scalar == "'" && (previous == "E" || previous == "e") {
                    return "escape strings (E'...') are not allowed"
                }
                quote = scalar
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth < 0 { return "unbalanced ')'" }
            case ";": return "a semicolon would end the generated statement"
            case "-" where previous == "-": return "SQL comments ('--') are not allowed"
            case "*" where previous == "/": return "SQL comments ('/*') are not allowed"
            case "$": return "dollar quoting and parameters are not allowed"
            case "\\": return "a backslash outside quotes is not allowed (psql would read it as a meta-command)"
            default: break
            }
        }
        if quote != nil { return "unterminated quoted string" }
        if depth != 0 { return "unbalanced '('" }
        return nil
    }
}
