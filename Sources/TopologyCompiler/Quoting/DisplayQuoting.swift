/// Makes text safe to show to a person: in a terminal, an editor's problem list or a JSON/SARIF
/// viewer.
///
/// Diagnostics echo names from the topology. A control character can move the cursor or rewrite
/// the line in a terminal, and a zero-width or bidirectional control character (U+200B, U+202E,
/// U+2066...) makes a name look like another one (the "Trojan Source" trick). Every such
/// character is shown as its code point, `\u{202E}` (the form CommentQuoting writes), in every output format; a newline stays.
public enum DisplayQuoting {
    /// `text` with every control, format (zero-width, bidirectional), line-separator,
    /// paragraph-separator, private-use and unassigned character replaced by `\u{XXXX}`.
    ///
    /// - Parameter text: Text that may contain values from a topology.
    /// - Returns: The same text when nothing needs escaping, otherwise the escaped text.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar != "\n" && ScalarClass.isHidden(scalar)
    }
}
