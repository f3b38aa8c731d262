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
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            // Scalar by scalar, as mermaid's regular expressions read the text: `style` followed by
            // a combining mark is one character to Swift, and still the word to mermaid.
            if let (word, first) = brokenWords.first(where: { starts(scalars, at: index, with: $0.word) }) {
                out.append(contentsOf: "#\(first);".unicodeScalars)
                out.append(contentsOf: word.unicodeScalars.dropFirst())
                index += word.unicodeScalars.count
                continue
            }
            let scalar = scalars[index]
            switch scalar {
            case "\"", "#", "<", ">", "&", "`", "%":
                out.append(contentsOf: "#\(scalar.value);".unicodeScalars)
            default:
                out.append(isHidden(scalar) ? "\u{FFFD}" : scalar)
            }
            index += 1
        }
        return String(out)
    }

    /// The words written with their first letter as an entity, with that letter's code.
    private static let brokenWords: [(word: String, first: UInt32)] = [("style", 115), ("classDef", 99)]

    /// Whether `scalars` hold `word` at `index`.
    private static func starts(_ scalars: [Unicode.Scalar], at index: Int, with word: String) -> Bool {
        var position = index
        for scalar in word.unicodeScalars {
            guard position < scalars.count, scalars[position] == scalar else { return false }
            position += 1
        }
        return true
    }

    /// Control and format characters and line or paragraph separators.
    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned, .privateUse: true
        default: false
        }
    }
}
