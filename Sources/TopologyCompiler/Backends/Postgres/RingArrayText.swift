/// The two array literals a shard function passes to `topoc_ring_shard`: the ring's token
/// positions (`bigint[]`) and their owners (`integer[]`), ten elements a line:
/// `'{t0,...}'::bigint[],\n    '{o0,...}'::integer[]`.
///
/// A ring of 4,096 shards has 614,400 tokens, 15 MB of this text. It is not held: the value
/// keeps where the tokens are (the plan's own array, read in place) and makes the text a chunk of
/// about 64 KB at a time as a script is written (``forEachChunk(_:)``), and measures it without
/// making it (``utf8Count``).
struct RingArrayText: Sendable, Equatable {
    /// Where the tokens and their owners come from.
    private enum Source: Sendable, Equatable {
        /// The plan's tokens of one region (`nil`: of the whole ring), each owner given as its
        /// position among the function's shards; tokens of shards without a position are left out.
        case planned(tokens: [PlanRingToken], region: String?, positions: [Int: Int])
        /// Tokens and owners held (a plan without tokens, or tests).
        case held(tokens: [Int64], owners: [Int])
    }

    private let source: Source

    /// The literals of the plan's tokens of `region` (`nil`: of the whole ring), with each owner
    /// written as its position in `positions` (tokens of other shards are left out).
    ///
    /// - Parameters:
    ///   - tokens: The plan's tokens; the array is shared, not copied.
    ///   - region: The region whose tokens are written, `nil` for a ring without regions.
    ///   - positions: The position of each shard index among the function's shards.
    init(planned tokens: [PlanRingToken], region: String?, positions: [Int: Int]) {
        source = .planned(tokens: tokens, region: region, positions: positions)
    }

    /// The literals of `tokens`, owned by `owners` (the same count).
    init(tokens: [Int64], owners: [Int]) {
        source = .held(tokens: tokens, owners: owners)
    }

    /// The text's size in bytes, counted without making it.
    var utf8Count: Int {
        var size = Self.separator.utf8.count
        for type in [Self.tokenType, Self.ownerType] {
            size += Self.opening.utf8.count + Self.closing(type).utf8.count
        }
        var index = 0
        forEachToken { token, owner in
            if index > 0 { size += 2 * (index % 10 == 0 ? Self.lineBreak.utf8.count : 1) }
            size += Self.digitCount(token.magnitude) + (token < 0 ? 1 : 0) + Self.digitCount(owner.magnitude) + (owner < 0 ? 1 : 0)
            index += 1
        }
        return size
    }

    /// The whole text (for a statement read as one string, such as a migration's).
    var text: String {
        var text = ""
        text.reserveCapacity(utf8Count)
        forEachChunk { text += $0 }
        return text
    }

    /// Hands the text to `body` in order, about 64 KB at a time.
    func forEachChunk(_ body: (String) -> Void) {
        var chunk = Chunk()
        chunk.append(Self.opening)
        var index = 0
        forEachToken { token, _ in
            chunk.appendElement(token, at: index)
            index += 1
            if chunk.isFull { body(chunk.take()) }
        }
        chunk.append(Self.closing(Self.tokenType) + Self.separator + Self.opening)
        index = 0
        forEachToken { _, owner in
            chunk.appendElement(Int64(owner), at: index)
            index += 1
            if chunk.isFull { body(chunk.take()) }
        }
        chunk.append(Self.closing(Self.ownerType))
        body(chunk.take())
    }

    /// Calls `body` with each token and its owner's position, in ring order.
    private func forEachToken(_ body: (Int64, Int) -> Void) {
        switch source {
        case .planned(let tokens, let region, let positions):
            for token in tokens where token.region == region {
                if let owner = positions[token.shard] { body(token.token, owner) }
            }
        case .held(let tokens, let owners):
            for (token, owner) in zip(tokens, owners) { body(token, owner) }
        }
    }

    /// Every byte the text can hold: digits, signs, separators and the two type names.
    static let possibleBytes = Set("0123456789-,\n '{}:[]".utf8).union((tokenType + ownerType).utf8)
    /// Bytes every such text holds, whatever the tokens: the braces, quotes, casts and the comma
    /// between the two literals.
    static let certainBytes = Set("'{}:[],".utf8).union((tokenType + ownerType).utf8)

    private static let tokenType = "bigint"
    private static let ownerType = "integer"
    private static let opening = "'{"
    /// After a literal's last element: the closing brace and quote and the cast to `type`'s array.
    private static func closing(_ type: String) -> String { "}'::\(type)[]" }
    /// Between the two literals.
    private static let separator = ",\n    "
    /// Before every tenth element.
    private static let lineBreak = ",\n     "

    /// The text gathering in a byte buffer until it passes 64 KB.
    private struct Chunk {
        private var bytes: [UInt8] = []

        init() {
            bytes.reserveCapacity(Self.size + 64)
        }

        private static let size = 1 << 16

        /// Whether the chunk should be handed on.
        var isFull: Bool { bytes.count >= Self.size }

        mutating func append(_ text: String) {
            bytes.append(contentsOf: text.utf8)
        }

        /// Writes the separator before element `index` (none before the first), then `value`.
        mutating func appendElement(_ value: Int64, at index: Int) {
            if index > 0 {
                if index % 10 == 0 {
                    append(RingArrayText.lineBreak)
                } else {
                    bytes.append(UInt8(ascii: ","))
                }
            }
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            var magnitude = value.magnitude
            let digits = RingArrayText.digitCount(magnitude)
            let start = bytes.count
            bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
            for position in stride(from: start + digits - 1, through: start, by: -1) {
                bytes[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            }
        }

        /// The text gathered so far, leaving the chunk empty.
        mutating func take() -> String {
            let text = String(decoding: bytes, as: UTF8.self)
            bytes.removeAll(keepingCapacity: true)
            return text
        }
    }

    /// The decimal digits of `value` (1 for zero).
    private static func digitCount<Magnitude: BinaryInteger>(_ value: Magnitude) -> Int {
        var count = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            count += 1
        }
        return count
    }
}
