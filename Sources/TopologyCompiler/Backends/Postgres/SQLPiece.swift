/// A piece of a statement's text (``SQLScript/Line/pieces(_:)``): text held, or a ring's array
/// literals, made as they are written.
enum SQLPiece: Sendable, Equatable {
    /// Text held.
    case text(String)
    /// A ring's array literals, made a chunk at a time as they are written (15 MB at 4,096
    /// shards): a staged build never holds them whole; a script rendered in memory (the
    /// kubernetes target's, for its ConfigMaps) holds them as part of its text.
    case ringArrays(RingArrayText)

    /// The text's size in bytes.
    var utf8Count: Int {
        switch self {
        case .text(let text): text.utf8.count
        case .ringArrays(let arrays): arrays.utf8Count
        }
    }

    /// The whole text.
    var string: String {
        switch self {
        case .text(let text): text
        case .ringArrays(let arrays): arrays.text
        }
    }

    /// Hands the text to `body` in order: held text at once, a ring's literals about 64 KB at a
    /// time.
    func forEachChunk(_ body: (String) -> Void) {
        switch self {
        case .text(let text): body(text)
        case .ringArrays(let arrays): arrays.forEachChunk(body)
        }
    }

    /// Whether no occurrence of `needle` in a text made of pieces can overlap this piece, known
    /// without reading it (``SQLQuoting/occurs(_:inPieces:)`` then skips it). For a ring's
    /// literals: they cannot hold the needle's first or last byte (so no occurrence starts or ends
    /// in them), and they hold a byte the needle lacks (so no occurrence spans them whole). A
    /// dollar-quoting tag, `$` at both ends and no `{`, is such a needle.
    func cannotOverlap(_ needle: [UInt8]) -> Bool {
        guard case .ringArrays = self, let first = needle.first, let last = needle.last else { return false }
        return !RingArrayText.possibleBytes.contains(first) && !RingArrayText.possibleBytes.contains(last)
            && !RingArrayText.certainBytes.isSubset(of: Set(needle))
    }
}
