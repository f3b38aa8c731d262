/// Quoting for Mermaid flowchart labels, as mermaid.js 11 reads them.
///
/// topoc writes every label inside double quotes (`n0["label"]`, `-->|"label"|`,
/// `subgraph g0["label"]`), where the flowchart grammar ends the string at the next `"` and knows
/// no backslash escape. Mermaid replaces `#name;` and `#NNN;` by HTML entities before parsing
/// (`encodeEntities` in mermaidAPI), so a character is written as `#NNN;` (its decimal code) when
/// it would end the string (`"`), start an entity (`#`), be read as HTML (`<`, `>`, `&`), start
/// a Markdown string (a backtick), or start a directive (`%`: mermaid looks for `%%{...}%%`
/// anywhere in the text, not only at the start of a line). Two words are written with their first letter as an entity,
/// `style` and `classDef`, because mermaid's entity pass first rewrites lines that hold
/// `style...:...#...;` or `classDef...:...#...;`. Control characters, format characters (such as
/// bidirectional overrides) and line or paragraph separators are drawn as U+FFFD.
public enum MermaidQuoting {
    /// One line of `text` as it goes between the double quotes of a Mermaid label.
    public static func label(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"", "#", "<", ">", "&", "`", "%":
                out += "#\(scalar.value);"
            default:
                out.unicodeScalars.append(ScalarClass.isHidden(scalar) ? "\u{FFFD}" : scalar)
            }
        }
        // Byte by byte, as mermaid's regular expressions read the text: `style` followed by a
        // combining mark is one character to Swift and Foundation, and still the word to mermaid.
        let styles = ByteReplacement.replacing("style", with: "#115;tyle", in: out)
        return ByteReplacement.replacing("classDef", with: "#99;lassDef", in: styles)
    }
}
