import TopologyRuntime

/// Deterministic pseudo-random keys (SplitMix64), with the edge values every key type has.
struct TestKeys {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` keys of a SQL key type, as runtime values.
    mutating func keys(_ keyType: String, count: Int) -> [ShardKeyValue] {
        switch keyType {
        case "smallint":
            let edges: [Int16] = [0, 1, -1, .min, .max]
            return edges.map { .int2($0) } + (0..<count - edges.count).map { _ in .int2(Int16(truncatingIfNeeded: next())) }
        case "integer":
            let edges: [Int32] = [0, 1, -1, .min, .max]
            return edges.map { .int4($0) }
                + (0..<count - edges.count).map { index in
                    let value = next()
                    return .int4(index % 3 == 0 ? Int32(truncatingIfNeeded: value % 100_000) : Int32(truncatingIfNeeded: value))
                }
        case "text":
            return ["", "a", "é", "日本語", "🙂"].map { .text($0) } + (0..<count - 5).map { _ in .text(text()) }
        default:
            let edges: [Int64] = [0, 1, -1, .min, .max, 249_999, 250_000, 499_999, 500_000, 750_000]
            return edges.map { .int8($0) }
                + (0..<count - edges.count).map { index in
                    let value = next()
                    return .int8(index % 2 == 0 ? Int64(value % 1_000_000) : Int64(bitPattern: value))
                }
        }
    }

    /// A random string of 0 to 40 characters, ASCII and multi-byte.
    mutating func text() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.:/'\"\\éßøñ日本語中文🙂👍")
        let length = Int(next() % 41)
        return String((0..<length).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] })
    }
}

extension ShardKeyValue {
    /// The value as a SQL literal.
    var sqlLiteral: String {
        switch self {
        case .int2(let value): String(value)
        case .int4(let value): String(value)
        case .int8(let value): String(value)
        case .text(let value): literal(value)
        }
    }

    /// The value as an Int64, for integer keys.
    var integer: Int64? {
        switch self {
        case .int2(let value): Int64(value)
        case .int4(let value): Int64(value)
        case .int8(let value): value
        case .text: nil
        }
    }

    /// The value as a String, for text keys.
    var string: String? {
        if case .text(let value) = self { return value }
        return nil
    }
}

/// `ARRAY[...]::type[]` of keys.
func sqlArray(_ keys: [ShardKeyValue], type: String) -> String {
    "ARRAY[" + keys.map(\.sqlLiteral).joined(separator: ",") + "]::\(type)[]"
}
