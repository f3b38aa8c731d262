/// The compact text form of a ring's tokens that generated routers embed.
///
/// An array literal of tens of thousands of integers costs the Swift compiler seconds to minutes
/// (the 38,400 tokens of 256 shards x 150 virtual nodes: 26 s and 280 MB with `-O`, see
/// docs/performance.md), a string literal of the same tokens a fraction of a second. Each token is
/// written as 16 lowercase hexadecimal digits (the two's-complement bits of its signed position)
/// followed by its owner's shard index in ``ownerDigits(shardCount:)`` lowercase hexadecimal
/// digits. Spaces and line breaks between digits are ignored, so the text can be wrapped and
/// indented; anything else is an error.
public enum PackedRingTokens {
    /// The hexadecimal digits of one token's position.
    public static let tokenDigits = 16

    /// The hexadecimal digits of one owner index on a ring of `shardCount` shards (at least one).
    ///
    /// - Parameter shardCount: The number of shards on the ring.
    /// - Returns: The number of digits that writes the largest shard index.
    public static func ownerDigits(shardCount: Int) -> Int {
        var digits = 1
        var rest = max(shardCount - 1, 0) >> 4
        while rest > 0 {
            digits += 1
            rest >>= 4
        }
        return digits
    }

    /// The tokens as lines of packed text, `tokensPerLine` tokens each, separated by a space.
    ///
    /// - Parameters:
    ///   - tokens: The ring's tokens, in ring order.
    ///   - shardCount: The number of shards on the ring (it sets the owners' width).
    ///   - tokensPerLine: How many tokens each line holds.
    /// - Returns: The lines, without line breaks.
    public static func lines(_ tokens: [HashRing.Token], shardCount: Int, tokensPerLine: Int = 6) -> [String] {
        var lines: [String] = []
        lines.reserveCapacity((tokens.count + max(tokensPerLine, 1) - 1) / max(tokensPerLine, 1))
        forEachLine(tokens, shardCount: shardCount, tokensPerLine: tokensPerLine) { lines.append(String(decoding: $0, as: UTF8.self)) }
        return lines
    }

    /// Hands each line of ``lines(_:shardCount:tokensPerLine:)`` to `body` as UTF-8 bytes, in one
    /// reused buffer: a generator writes the 102,400 lines of a 614,400-token ring without a
    /// string per line.
    ///
    /// - Parameters:
    ///   - tokens: The ring's tokens, in ring order.
    ///   - shardCount: The number of shards on the ring (it sets the owners' width).
    ///   - tokensPerLine: How many tokens each line holds.
    ///   - body: Receives each line's bytes, without a line break; valid only during the call.
    public static func forEachLine<Tokens: Sequence<HashRing.Token>>(
        _ tokens: Tokens, shardCount: Int, tokensPerLine: Int = 6, _ body: (UnsafeBufferPointer<UInt8>) -> Void
    ) {
        let width = ownerDigits(shardCount: shardCount)
        let perLine = max(tokensPerLine, 1)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(perLine * (tokenDigits + width + 1))
        var onLine = 0
        for token in tokens {
            if onLine == perLine {
                bytes.withUnsafeBufferPointer(body)
                bytes.removeAll(keepingCapacity: true)
                onLine = 0
            }
            if onLine > 0 { bytes.append(UInt8(ascii: " ")) }
            appendHex(UInt64(bitPattern: token.token), digits: tokenDigits, to: &bytes)
            appendHex(UInt64(token.shard), digits: width, to: &bytes)
            onLine += 1
        }
        if onLine > 0 { bytes.withUnsafeBufferPointer(body) }
    }

    /// Reads packed text back into token positions and owners.
    ///
    /// - Parameters:
    ///   - text: The packed text's UTF-8 bytes.
    ///   - shardCount: The number of shards on the ring (it sets the owners' width).
    /// - Returns: The positions and each one's owner, in the order written.
    /// - Throws: ``PackedRingTokensError`` on a character that is not a lowercase hexadecimal digit,
    ///   a space or a line break, or when the digits do not end on a whole token.
    public static func decode(
        _ text: UnsafeBufferPointer<UInt8>, shardCount: Int
    ) throws(PackedRingTokensError) -> (tokens: [Int64], owners: [Int]) {
        let width = ownerDigits(shardCount: shardCount)
        let record = tokenDigits + width
        var tokens: [Int64] = []
        var owners: [Int] = []
        tokens.reserveCapacity(text.count / record)
        owners.reserveCapacity(text.count / record)
        var value: UInt64 = 0
        var digits = 0
        for (offset, byte) in text.enumerated() {
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: " "), UInt8(ascii: "\n"): continue
            default: throw .invalidCharacter(offset: offset)
            }
            value = value << 4 | UInt64(nibble)
            digits += 1
            if digits == tokenDigits {
                tokens.append(Int64(bitPattern: value))
                value = 0
            } else if digits == record {
                owners.append(Int(truncatingIfNeeded: value))
                value = 0
                digits = 0
            }
        }
        guard digits == 0 else { throw .partialToken(digits: digits, expected: record) }
        return (tokens, owners)
    }

    /// Appends `value`'s lowest `digits` hexadecimal digits, most significant first.
    private static func appendHex(_ value: UInt64, digits: Int, to bytes: inout [UInt8]) {
        var shift = (digits - 1) * 4
        while shift >= 0 {
            let nibble = UInt8(truncatingIfNeeded: value >> UInt64(shift)) & 0xF
            bytes.append(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10)
            shift -= 4
        }
    }
}

/// Why packed ring text could not be read.
public enum PackedRingTokensError: Error, Hashable {
    /// The byte at this offset is not a lowercase hexadecimal digit, a space or a line break.
    case invalidCharacter(offset: Int)
    /// The text ends inside a token: `digits` of the `expected` digits of a token and its owner.
    case partialToken(digits: Int, expected: Int)
}
