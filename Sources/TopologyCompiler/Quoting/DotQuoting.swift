/// Quoting for Graphviz DOT strings, as `dot` (Graphviz 2.42 and later) reads them.
///
/// topoc writes every label as a double-quoted DOT string, whose only escape is a backslash
/// before `"`; a backslash before anything else stays in the label, where Graphviz reads its own
/// escapes (`\n`, `\l`, `\N`, `\G`, ...), and a backslash before a line break joins lines. So a
/// backslash is doubled and a quote is escaped. Graphviz also decodes HTML entities (`&amp;`,
/// `&#60;`) in labels, so `&` is written `&amp;`. Control characters, format characters (such
/// as bidirectional overrides) and line or paragraph separators are drawn as U+FFFD.
public enum DotQuoting {
    /// `text` as a double-quoted DOT string, quotes included.
    public static func string(_ text: String) -> String {
        "\"" + escaped(text) + "\""
    }

    /// `lines` as one double-quoted DOT label, the lines centred and joined with `\n`.
    public static func label(lines: [String]) -> String {
        "\"" + lines.map(escaped).joined(separator: "\\n") + "\""
    }

    /// The inside of a double-quoted DOT string for `text`.
    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "&": out += "&amp;"
            default: out.unicodeScalars.append(ScalarClass.isHidden(scalar) ? "\u{FFFD}" : scalar)
            }
        }
        return out
    }
}
