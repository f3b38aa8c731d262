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
        /// A statement whose text is its pieces one after another, rendered with a terminating
        /// semicolon: the ring function of 4,096 shards holds its 15 MB of array literals as a
        /// piece made as it is written (``SQLPiece/ringArrays(_:)``).
        case pieces([SQLPiece])
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

    /// Adds a statement (without its semicolon) whose text is `pieces` one after another.
    mutating func add(pieces: [SQLPiece]) {
        lines.append(.pieces(pieces))
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
        lines.contains {
            switch $0 {
            case .statement, .pieces: true
            case .comment, .section, .meta: false
            }
        }
    }

    /// The statements only, in order.
    var statements: [String] {
        lines.compactMap {
            switch $0 {
            case .statement(let text): text
            case .pieces(let pieces): pieces.map(\.string).joined()
            case .comment, .section, .meta: nil
            }
        }
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
        forEachPiece { size += $0.utf8Count }
        var text = prefix
        text.reserveCapacity(size)
        forEachPiece { $0.forEachChunk { text += $0 } }
        return text
    }

    /// The UTF-8 bytes of `prefix` followed by ``render()``'s text, made in one buffer of their
    /// final size: what an artifact holds, without a `String` of the same size made first.
    func bytes(after prefix: String) -> [UInt8] {
        var size = prefix.utf8.count
        forEachPiece { size += $0.utf8Count }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size)
        bytes += prefix.utf8
        forEachPiece { $0.forEachChunk { bytes += $0.utf8 } }
        return bytes
    }

    /// Writes `prefix` followed by ``render()``'s text to `file` without holding the text: small
    /// pieces gather in a buffer, a large statement is written from its own storage
    /// (``OutputTextBuffer``), and a ring's literals are made a chunk at a time as they are written.
    ///
    /// - Parameters:
    ///   - prefix: What comes before the script (a header).
    ///   - file: The file to write.
    /// - Throws: The first failure to write to the file.
    func write(after prefix: String, to file: OutputFileWriter) throws(OutputSystemError) {
        var buffer = OutputTextBuffer(file: file)
        buffer.append(prefix)
        forEachPiece { $0.forEachChunk { buffer.append($0) } }
        try buffer.finish()
    }

    /// Hands the script's text to `body` piece by piece, in order; a statement is one piece, as
    /// it is held.
    private func forEachPiece(_ body: (SQLPiece) -> Void) {
        for line in lines {
            switch line {
            case .comment(let comment):
                body(.text("-- "))
                body(.text(SQLQuoting.comment(comment)))
                body(.text("\n"))
            case .section(let title):
                body(.text("\n-- "))
                body(.text(SQLQuoting.comment(title)))
                body(.text("\n"))
            case .statement(let statement):
                body(.text(statement))
                body(.text(";\n"))
            case .pieces(let pieces):
                for piece in pieces { body(piece) }
                body(.text(";\n"))
            case .meta(let meta):
                body(.text(meta))
                body(.text("\n"))
            }
        }
    }
}
