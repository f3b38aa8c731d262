/// JSON text being laid out by ``DeterministicJSONEncoder``: pieces of finished text in order,
/// then the piece still growing (``tail``, where scalars are written).
///
/// A large text is appended to another by its pieces, never copied, and the tail is cut into a
/// piece once it reaches ``pieceSize``, so a value's text is held once, in pieces of about a
/// megabyte, however deep it is nested and however large it grows (the ring of a 4,096-shard
/// plan, 45 MB, was copied at each level of nesting, and its buffer doubled as it grew).
struct JSONText {
    /// The size at which the tail becomes a piece.
    static let pieceSize = 1 << 20
    /// Texts at least this large are appended by their pieces; smaller ones are copied.
    static let movedSize = 1 << 14

    /// The finished pieces, in order.
    private var pieces: [[UInt8]] = []
    /// The number of bytes in ``pieces``.
    private var piecesCount = 0
    /// The piece still growing.
    var tail: [UInt8] = []

    /// An empty text.
    init() {}

    /// A text of `bytes`.
    init(_ bytes: [UInt8]) {
        tail = bytes
    }

    /// The number of bytes.
    var count: Int { piecesCount + tail.count }

    /// Appends one byte.
    mutating func append(_ byte: UInt8) {
        tail.append(byte)
    }

    /// Appends `bytes`.
    mutating func append(contentsOf bytes: some Collection<UInt8>) {
        tail.append(contentsOf: bytes)
    }

    /// Appends `other`: by its pieces when it is large, by copying its bytes when it is small.
    mutating func append(_ other: JSONText) {
        guard other.count >= Self.movedSize else {
            for piece in other.pieces { tail.append(contentsOf: piece) }
            tail.append(contentsOf: other.tail)
            return
        }
        // Its pieces and tail are shared, never written again: this text starts a new tail.
        finishTail()
        pieces.append(contentsOf: other.pieces)
        piecesCount += other.piecesCount
        if !other.tail.isEmpty {
            pieces.append(other.tail)
            piecesCount += other.tail.count
        }
    }

    /// Makes the tail a piece once it reaches ``pieceSize``; called between values, so a piece
    /// ends at a value's end.
    mutating func cut() {
        if tail.count >= Self.pieceSize { finishTail() }
    }

    /// Hands every piece and the tail to `body` in order, leaving the text empty.
    mutating func handOn(_ body: (inout [UInt8]) throws -> Void) rethrows {
        finishTail()
        var all = pieces
        pieces = []
        piecesCount = 0
        for index in all.indices {
            var piece = all[index]
            all[index] = []  // released once handed on
            try body(&piece)
        }
    }

    /// The bytes in one array (the only piece, without a copy, when there is one).
    consuming func joined() -> [UInt8] {
        if pieces.isEmpty { return tail }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        for piece in pieces { bytes.append(contentsOf: piece) }
        bytes.append(contentsOf: tail)
        return bytes
    }

    private mutating func finishTail() {
        guard !tail.isEmpty else { return }
        piecesCount += tail.count
        pieces.append(tail)
        tail = []
    }
}
