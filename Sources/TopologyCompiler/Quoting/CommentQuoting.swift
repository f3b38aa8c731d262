/// Text written into a one-line comment (`# ...` in shell, YAML, HAProxy and compose files,
/// `;; ...` in ini files): the one place a value is kept from ending its comment line.
public enum CommentQuoting {
    /// `text` with every character that any of the readers could take as the end of a line
    /// (line feed, carriage return, vertical tab, form feed, NEL, which YAML 1.1 readers such as
    /// PyYAML break on, and the Unicode line and paragraph separators) and every other control
    /// character written as a visible `\u{XXXX}` escape, so a value can never start a line of
    /// its own after the comment marker.
    public static func line(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029 {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
