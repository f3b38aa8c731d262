/// The two array literals a shard function passes to `topoc_ring_shard`: the ring's token
/// positions (`bigint[]`) and their owners (`integer[]`), ten elements a line.
///
/// A ring of 4,096 shards has 614,400 tokens, 15 MB of text. The text is measured first and then
/// written digit by digit straight into a string of exactly that size: building it in a growing
/// byte array and decoding that into a string held the text up to three times at once.
enum RingArrayText {
    /// `'{t0,...}'::bigint[],\n    '{o0,...}'::integer[]`.
    static func pair<Tokens: Collection, Owners: Collection>(_ tokens: Tokens, _ owners: Owners) -> String
    where Tokens.Element == Int64, Owners.Element == Int {
        let separator = Array(",\n    ".utf8)
        let size = length(tokens, type: "bigint") + separator.count + length(owners, type: "integer")
        return String(unsafeUninitializedCapacity: size) { buffer in
            var offset = 0
            write(tokens, type: "bigint", into: buffer, at: &offset)
            for byte in separator { put(byte, into: buffer, at: &offset) }
            write(owners, type: "integer", into: buffer, at: &offset)
            return offset
        }
    }

    /// The bytes ``write(_:type:into:at:)`` writes for `values`.
    static func length<Values: Collection>(_ values: Values, type: String) -> Int where Values.Element: BinaryInteger {
        var size = 2 + 4 + type.utf8.count + 2  // '{ ... }'::type[]
        for (index, value) in values.enumerated() {
            if index > 0 { size += index % 10 == 0 ? 7 : 1 }
            size += digitCount(value.magnitude) + (value < 0 ? 1 : 0)
        }
        return size
    }

    /// Writes `'{v0,v1,...}'::type[]`, a line break and five spaces before every tenth element.
    private static func write<Values: Collection>(
        _ values: Values, type: String, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: inout Int
    ) where Values.Element: BinaryInteger {
        for byte in "'{".utf8 { put(byte, into: buffer, at: &offset) }
        for (index, value) in values.enumerated() {
            if index > 0 {
                for byte in (index % 10 == 0 ? ",\n     " : ",").utf8 { put(byte, into: buffer, at: &offset) }
            }
            if value < 0 { put(UInt8(ascii: "-"), into: buffer, at: &offset) }
            var magnitude = value.magnitude
            let digits = digitCount(magnitude)
            for position in stride(from: offset + digits - 1, through: offset, by: -1) {
                buffer[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            }
            offset += digits
        }
        for byte in "}'::\(type)[]".utf8 { put(byte, into: buffer, at: &offset) }
    }

    @inline(__always)
    private static func put(_ byte: UInt8, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: inout Int) {
        buffer[offset] = byte
        offset += 1
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
