/// An ordered list of statements and comments that renders to one SQL script.
///
/// Statements are kept apart from their text rendering so that the same statements can be
/// written into a script or wrapped, one `EXECUTE format(...)` each, into the tenant
/// onboarding function.
struct SQLScript: Sendable {
    /// One element of a script.
    enum Line: Sendable, Equatable {
        /// A `--` comment line.
        case comment(String)
        /// A section heading, rendered with a blank line before it.
        case section(String)
        /// A statement, rendered with a terminating semicolon.
        case statement(String)
        /// A psql meta-command line (`\gexec`...), rendered as written; never in function bodies.
        case meta(String)
    }

    /// The lines in order.
    private(set) var lines: [Line] = []

    /// Creates an empty script.
    init() {}

    /// Starts a section.
    mutating func section(_ title: String) {
        lines.append(.section(title))
    }

    /// Adds a comment line.
    mutating func comment(_ text: String) {
        lines.append(.comment(text))
    }

    /// Adds a statement (without its semicolon).
    mutating func add(_ statement: String) {
        lines.append(.statement(statement))
    }

    /// Adds a psql meta-command line.
    mutating func meta(_ line: String) {
        lines.append(.meta(line))
    }

    /// Appends another script's lines.
    mutating func append(_ other: SQLScript) {
        lines.append(contentsOf: other.lines)
    }

    /// Whether the script holds any statement.
    var hasStatements: Bool {
        lines.contains { if case .statement = $0 { true } else { false } }
    }

    /// The statements only, in order.
    var statements: [String] {
        lines.compactMap { if case .statement(let text) = $0 { text } else { nil } }
    }

    /// The script's text: one statement per paragraph, comments prefixed with `--`.
    func render() -> String {
        render(after: "")
    }

    /// `prefix` followed by ``render()``'s text, built in one buffer of its final size: a shard
    /// script's ring function is one statement of 15 MB at 4,096 shards, and each `a + b` of it
    /// (and each doubling of a growing buffer) was another copy held at once.
    func render(after prefix: String) -> String {
        var size = prefix.utf8.count
        for line in lines {
            switch line {
            case .comment(let text), .section(let text): size += text.utf8.count + 5
            case .statement(let text), .meta(let text): size += text.utf8.count + 2
            }
        }
        var text = prefix
        text.reserveCapacity(size)
        for line in lines {
            switch line {
            case .comment(let comment):
                text += "-- "
                text += SQLQuoting.comment(comment)
                text += "\n"
            case .section(let title):
                text += "\n-- "
                text += SQLQuoting.comment(title)
                text += "\n"
            case .statement(let statement):
                text += statement
                text += ";\n"
            case .meta(let meta):
                text += meta
                text += "\n"
            }
        }
        return text
    }
}
