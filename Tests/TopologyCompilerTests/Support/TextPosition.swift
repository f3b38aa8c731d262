/// Where a piece of text occurs in a fixture, as the diagnostics count it.
enum TextPosition {
    /// The 1-based line and column (in Unicode scalars) of the `occurrence`-th `needle` in `text`.
    static func of(_ needle: String, in text: String, occurrence: Int = 1) -> (line: Int, column: Int)? {
        let haystack = Array(text.unicodeScalars)
        let pattern = Array(needle.unicodeScalars)
        guard !pattern.isEmpty, haystack.count >= pattern.count else { return nil }
        var seen = 0
        var line = 1
        var column = 1
        for start in 0...(haystack.count - pattern.count) {
            if Array(haystack[start..<start + pattern.count]) == pattern {
                seen += 1
                if seen == occurrence { return (line, column) }
            }
            if haystack[start] == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return nil
    }
}
