/// The one place where names and values become SQL text.
///
/// Every identifier the DDL backend writes goes through ``identifier(_:)`` and every string
/// value through ``literal(_:)``; SQL fragments from the plan (defaults, expressions,
/// predicates, view queries) are emitted as written, since the decoder has refused the ones
/// that could end or hide part of a statement.
package enum SQLQuoting {
    /// A quoted identifier: double quotes around the name, inner double quotes doubled.
    ///
    /// Quoting every name keeps reserved words (`order`, `user`), mixed case (`Users`) and any
    /// other character exactly as written.
    package static func identifier(_ name: String) -> String {
        "\"" + ByteReplacement.replacing(UInt8(ascii: "\""), with: "\"\"", in: name) + "\""
    }

    /// A schema-qualified name: `"schema"."name"`.
    package static func qualified(_ schema: String, _ name: String) -> String {
        identifier(schema) + "." + identifier(name)
    }

    /// A standard string literal: single quotes around the text, inner single quotes doubled.
    ///
    /// The scripts set `standard_conforming_strings = on`, so backslashes are ordinary
    /// characters.
    package static func literal(_ text: String) -> String {
        "'" + ByteReplacement.replacing(UInt8(ascii: "'"), with: "''", in: text) + "'"
    }

    /// A comma-separated list of quoted identifiers.
    static func identifierList(_ names: [String]) -> String {
        names.map(identifier).joined(separator: ", ")
    }

    /// Whether `needle` occurs in `haystack`, compared as UTF-8 bytes. Written out because both
    /// alternatives are slow on large bodies: Foundation's `contains` bridges to NSString, and the
    /// standard library's generic `Collection.contains(_:)` on the UTF-8 views made a 518 MB build
    /// five times slower (`Benchmarks/build-scaling`, XL: 9 s against 46-53 s). The haystack is
    /// read in place.
    static func occurs(_ needle: String, in haystack: String) -> Bool {
        let pattern = Array(needle.utf8)
        var haystack = haystack
        return haystack.withUTF8 { occurs(pattern, in: $0) }
    }

    /// Whether `pattern` occurs in `bytes`.
    private static func occurs(_ pattern: [UInt8], in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = pattern.first else { return true }
        var text = bytes[...]
        while let start = text.firstIndex(of: first) {
            if text[start...].starts(with: pattern) { return true }
            text = text[(start + 1)...]
        }
        return false
    }

    /// Whether `needle` occurs in the text of `pieces` one after another (also across the
    /// pieces' boundaries), each piece read in place; a ring's literals are read a chunk at a time,
    /// or not at all where the needle cannot overlap them (``SQLPiece/cannotOverlap(_:)``).
    static func occurs(_ needle: String, inPieces pieces: [SQLPiece]) -> Bool {
        let pattern = Array(needle.utf8)
        let span = max(pattern.count - 1, 0)
        // The last `span` bytes before the current chunk: an occurrence that ends in a chunk and
        // starts before it lies within them and the chunk's first `span` bytes.
        var tail: [UInt8] = []
        var found = false
        func search(_ chunk: String) {
            guard !found else { return }
            if occurs(needle, in: chunk) {
                found = true
                return
            }
            let joint = tail + chunk.utf8.prefix(span)
            if joint.withUnsafeBufferPointer({ occurs(pattern, in: $0) }) {
                found = true
                return
            }
            tail = Array((tail + chunk.utf8.suffix(span)).suffix(span))
        }
        for piece in pieces {
            if piece.cannotOverlap(pattern) {
                tail = []
            } else {
                piece.forEachChunk(search)
            }
            if found { return true }
        }
        return false
    }

    /// A dollar-quoted body whose tag does not occur in the body (`$topoc$`, `$topoc1$`, ...),
    /// built in one buffer of its final size.
    static func dollarQuoted(_ body: String, tag: String = "topoc") -> String {
        let delimiter = delimiter(tag: tag) { occurs($0, in: body) }
        var quoted = ""
        quoted.reserveCapacity(body.utf8.count + 2 * delimiter.utf8.count)
        quoted += delimiter
        quoted += body
        quoted += delimiter
        return quoted
    }

    /// `prefix`, then a dollar-quoted body whose text is `pieces` one after another, as pieces
    /// (``dollarQuoted(_:tag:)``'s text when joined): the pieces are not copied, and a ring's
    /// literals (15 MB at 4,096 shards) are not made to look for the tag (``SQLPiece/cannotOverlap(_:)``).
    static func dollarQuoted(pieces: [SQLPiece], after prefix: String, tag: String = "topoc") -> [SQLPiece] {
        let delimiter = delimiter(tag: tag) { occurs($0, inPieces: pieces) }
        return [.text(prefix + delimiter)] + pieces + [.text(delimiter)]
    }

    /// The first of `$tag$`, `$tag1$`, `$tag2$`... for which `occursInBody` is `false`.
    private static func delimiter(tag: String, absentFrom occursInBody: (String) -> Bool) -> String {
        var candidate = "$\(tag)$"
        var counter = 0
        while occursInBody(candidate) {
            counter += 1
            candidate = "$\(tag)\(counter)$"
        }
        return candidate
    }

    /// Text safe inside a `--` comment: line breaks become spaces.
    static func comment(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
