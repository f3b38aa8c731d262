/// A type whose values can bound the ranges of a `RangeMap`.
///
/// `Int64` orders numerically. `String` orders byte-wise by UTF-8 (the order of Unicode scalar
/// values, and PostgreSQL's `COLLATE "C"` order), not by Swift's `<`.
public protocol RangeMapBound: Sendable, Hashable {
    /// Whether `lhs` sorts strictly before `rhs` in range-map order.
    ///
    /// - Parameters:
    ///   - lhs: A value.
    ///   - rhs: Another value.
    /// - Returns: `true` if `lhs < rhs` in range-map order.
    static func rangeMapPrecedes(_ lhs: Self, _ rhs: Self) -> Bool
}

extension Int64: RangeMapBound {
    /// Numeric order.
    ///
    /// - Parameters:
    ///   - lhs: A value.
    ///   - rhs: Another value.
    /// - Returns: `lhs < rhs`.
    public static func rangeMapPrecedes(_ lhs: Int64, _ rhs: Int64) -> Bool {
        lhs < rhs
    }
}

extension String: RangeMapBound {
    /// Byte-wise lexical order of the UTF-8 encodings (a proper prefix sorts first), as
    /// PostgreSQL's `COLLATE "C"`; allocation-free.
    ///
    /// - Parameters:
    ///   - lhs: A string.
    ///   - rhs: Another string.
    /// - Returns: `true` if `lhs`'s UTF-8 bytes sort before `rhs`'s.
    public static func rangeMapPrecedes(_ lhs: String, _ rhs: String) -> Bool {
        let fast = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in
                bytesPrecede(left, right)
            }
        }
        if let fast, let result = fast {
            return result
        }
        return lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    /// `memcmp`-then-length comparison of two byte buffers.
    private static func bytesPrecede(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        let common = Swift.min(left.count, right.count)
        var index = 0
        while index < common {
            let l = left[index]
            let r = right[index]
            if l != r {
                return l < r
            }
            index += 1
        }
        return left.count < right.count
    }
}
