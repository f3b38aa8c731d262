/// A PostgreSQL write-ahead-log position (`pg_lsn`): the consistency token of a session.
///
/// An LSN is a 64-bit byte position in the WAL. PostgreSQL prints it as two hexadecimal halves,
/// `X/Y` (high and low 32 bits, upper case, no leading zeros), as `pg_current_wal_lsn()` and
/// `pg_last_wal_replay_lsn()` return it; `init?(_:)` parses that form and `description` prints it.
/// LSNs order by position, so a replica whose replay LSN is at or after a commit's LSN has
/// applied that commit.
public struct LSN: RawRepresentable, Sendable, Hashable, Comparable, LosslessStringConvertible {
    /// The WAL position as a 64-bit number.
    public var rawValue: UInt64

    /// The zero LSN (`0/0`, PostgreSQL's `InvalidXLogRecPtr`): before any WAL.
    public static let zero = LSN(rawValue: 0)

    /// Creates an LSN from its 64-bit position.
    ///
    /// - Parameter rawValue: The WAL position.
    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// Creates an LSN from its 64-bit position.
    ///
    /// - Parameter position: The WAL position.
    public init(_ position: UInt64) {
        self.rawValue = position
    }

    /// Parses PostgreSQL's text form `X/Y`: one to eight hexadecimal digits (either case) on each
    /// side of a slash, with nothing else around them.
    ///
    /// - Parameter text: The text, for example `"16/B374D848"`.
    /// - Returns: The LSN, or `nil` if `text` is not in that form.
    public init?(_ text: String) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var highDigits = 0
        var lowDigits = 0
        var sawSlash = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: "/") {
                guard !sawSlash else {
                    return nil
                }
                sawSlash = true
                continue
            }
            guard let digit = Self.hexValue(byte) else {
                return nil
            }
            if sawSlash {
                lowDigits += 1
                guard lowDigits <= 8 else {
                    return nil
                }
                low = low << 4 | UInt64(digit)
            } else {
                highDigits += 1
                guard highDigits <= 8 else {
                    return nil
                }
                high = high << 4 | UInt64(digit)
            }
        }
        guard sawSlash, highDigits > 0, lowDigits > 0 else {
            return nil
        }
        self.rawValue = high << 32 | low
    }

    /// The text form PostgreSQL prints: `X/Y` in upper-case hexadecimal without leading zeros.
    public var description: String {
        let high = String(rawValue >> 32, radix: 16, uppercase: true)
        let low = String(rawValue & 0xFFFF_FFFF, radix: 16, uppercase: true)
        return high + "/" + low
    }

    /// The number of WAL bytes from `earlier` to this LSN, or 0 if `earlier` is not before it
    /// (`pg_wal_lsn_diff` clamped at zero): how far a replica at `earlier` lags behind.
    ///
    /// - Parameter earlier: The older position.
    /// - Returns: The distance in bytes.
    public func bytes(after earlier: LSN) -> UInt64 {
        rawValue > earlier.rawValue ? rawValue - earlier.rawValue : 0
    }

    /// Orders LSNs by WAL position.
    ///
    /// - Parameters:
    ///   - lhs: An LSN.
    ///   - rhs: Another LSN.
    /// - Returns: `true` if `lhs` is an earlier position than `rhs`.
    public static func < (lhs: LSN, rhs: LSN) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// The value of one ASCII hexadecimal digit, or `nil`.
    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"):
            byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"):
            byte - UInt8(ascii: "A") + 10
        default:
            nil
        }
    }
}
