/// The compact text form of the tables that generated routers embed: names, hosts, ports, flags
/// and enum cases, each table one `StaticString` literal read at first use.
///
/// The Swift compiler type-checks an array literal as one expression and emits code for every
/// element; for the router of 4,096 shards its 43 literal tables took most of a 13-15 s debug
/// compile, where the same tables as string literals take a fraction of a second
/// (docs/performance.md, "The generated router's tables as text").
///
/// A table is a sequence of tokens separated by spaces or line breaks, so it can be wrapped and
/// indented:
/// - a string is written percent-encoded: every byte outside `A-Z a-z 0-9 - . _ : / @ + = ,` is
///   `%` and two uppercase hexadecimal digits (a space is `%20`, a `%` is `%25`), and the empty
///   string is ``emptyToken``; an optional table writes `nil` as ``nilToken``;
/// - an integer in decimal, with a leading `-` when negative;
/// - a Boolean as `1` or `0`.
///
/// The text holds no `\` and no `"`, so it needs no escaping inside a Swift string literal. Every
/// reader takes the number of entries the table must have and checks it, so a table edited by
/// hand fails on first use instead of indexing past its end.
public enum PackedTable {
    /// The token of the empty string.
    public static let emptyToken = "%empty"
    /// The token of `nil` in a table of optional strings.
    public static let nilToken = "%nil"

    // MARK: - Writing

    /// A string as one token.
    ///
    /// - Parameter value: Any string.
    /// - Returns: Its token: only the bytes listed in the type's description, and `%`.
    public static func token(_ value: String) -> String {
        guard !value.isEmpty else { return emptyToken }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            if isPlain(byte) {
                bytes.append(byte)
            } else {
                bytes.append(UInt8(ascii: "%"))
                bytes.append(hexDigit(byte >> 4))
                bytes.append(hexDigit(byte & 0xF))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// An optional string as one token (``nilToken`` for `nil`).
    ///
    /// - Parameter value: Any string, or `nil`.
    /// - Returns: Its token.
    public static func token(_ value: String?) -> String {
        value.map { token($0) } ?? nilToken
    }

    /// An integer as one token.
    ///
    /// - Parameter value: Any integer.
    /// - Returns: Its decimal digits.
    public static func token(_ value: Int) -> String {
        String(value)
    }

    /// A Boolean as one token.
    ///
    /// - Parameter value: Any Boolean.
    /// - Returns: `1` or `0`.
    public static func token(_ value: Bool) -> String {
        value ? "1" : "0"
    }

    /// Tokens as lines of about `width` characters, the tokens of a line separated by a space.
    ///
    /// - Parameters:
    ///   - tokens: The tokens, in table order.
    ///   - width: The length a line should not pass (a longer token gets a line of its own).
    /// - Returns: The lines, without line breaks.
    public static func lines(_ tokens: [String], width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for token in tokens {
            if !current.isEmpty && current.utf8.count + 1 + token.utf8.count > width {
                lines.append(current)
                current = token
            } else {
                current = current.isEmpty ? token : current + " " + token
            }
        }
        if !current.isEmpty {
            lines.append(current)
        }
        return lines
    }

    // MARK: - Reading embedded tables

    /// The strings of an embedded table, stopping the program if the text is malformed or does
    /// not hold `count` entries: that means the generated file was edited by hand.
    ///
    /// - Parameters:
    ///   - count: The number of entries the table has.
    ///   - text: The packed text.
    /// - Returns: The strings, in table order.
    public static func strings(count: Int, _ text: StaticString) -> [String] {
        embedded(text) { bytes throws(PackedTableError) in try decodeStrings(bytes, count: count) }
    }

    /// The optional strings of an embedded table (``nilToken`` is `nil`); see
    /// ``strings(count:_:)``.
    ///
    /// - Parameters:
    ///   - count: The number of entries the table has.
    ///   - text: The packed text.
    /// - Returns: The strings, in table order.
    public static func optionalStrings(count: Int, _ text: StaticString) -> [String?] {
        embedded(text) { bytes throws(PackedTableError) in try decodeOptionalStrings(bytes, count: count) }
    }

    /// The integers of an embedded table; see ``strings(count:_:)``.
    ///
    /// - Parameters:
    ///   - count: The number of entries the table has.
    ///   - text: The packed text.
    /// - Returns: The integers, in table order.
    public static func integers(count: Int, _ text: StaticString) -> [Int] {
        embedded(text) { bytes throws(PackedTableError) in try decodeIntegers(bytes, count: count) }
    }

    /// The Booleans of an embedded table; see ``strings(count:_:)``.
    ///
    /// - Parameters:
    ///   - count: The number of entries the table has.
    ///   - text: The packed text.
    /// - Returns: The Booleans, in table order.
    public static func booleans(count: Int, _ text: StaticString) -> [Bool] {
        embedded(text) { bytes throws(PackedTableError) in try decodeBooleans(bytes, count: count) }
    }

    /// The elements of `all` at the positions an embedded table of integers lists (an enum's
    /// cases by raw value); see ``strings(count:_:)``. A position outside `all` stops the program.
    ///
    /// - Parameters:
    ///   - count: The number of entries the table has.
    ///   - all: The elements the positions index (`Cluster.byIndex`).
    ///   - text: The packed text.
    /// - Returns: The elements, in table order.
    public static func elements<Element>(count: Int, of all: [Element], _ text: StaticString) -> [Element] {
        embedded(text) { bytes throws(PackedTableError) in try decodeElements(bytes, count: count, of: all) }
    }

    // MARK: - Decoding

    /// Reads a table of strings.
    ///
    /// - Parameters:
    ///   - text: The packed text's UTF-8 bytes.
    ///   - count: The number of entries the table must have.
    /// - Returns: The strings.
    /// - Throws: ``PackedTableError`` on a malformed token or a wrong count.
    public static func decodeStrings(_ text: UnsafeBufferPointer<UInt8>, count: Int) throws(PackedTableError) -> [String] {
        try decode(text, count: count) { token throws(PackedTableError) in
            guard !equals(token, nilToken, in: text) else { throw .unexpectedNil(offset: token.startIndex) }
            return try string(token, text: text)
        }
    }

    /// Reads a table of optional strings.
    ///
    /// - Parameters:
    ///   - text: The packed text's UTF-8 bytes.
    ///   - count: The number of entries the table must have.
    /// - Returns: The strings, `nil` where the text has ``nilToken``.
    /// - Throws: ``PackedTableError`` on a malformed token or a wrong count.
    public static func decodeOptionalStrings(
        _ text: UnsafeBufferPointer<UInt8>, count: Int
    ) throws(PackedTableError) -> [String?] {
        try decode(text, count: count) { token throws(PackedTableError) in
            equals(token, nilToken, in: text) ? nil : try string(token, text: text)
        }
    }

    /// Reads a table of integers.
    ///
    /// - Parameters:
    ///   - text: The packed text's UTF-8 bytes.
    ///   - count: The number of entries the table must have.
    /// - Returns: The integers.
    /// - Throws: ``PackedTableError`` on a token that is not a decimal `Int` or a wrong count.
    public static func decodeIntegers(_ text: UnsafeBufferPointer<UInt8>, count: Int) throws(PackedTableError) -> [Int] {
        try decode(text, count: count) { token throws(PackedTableError) in try integer(token, text: text) }
    }

    /// Reads a table of positions and returns the elements of `all` at them.
    ///
    /// - Parameters:
    ///   - text: The packed text's UTF-8 bytes.
    ///   - count: The number of entries the table must have.
    ///   - all: The elements the positions index.
    /// - Returns: The elements.
    /// - Throws: ``PackedTableError`` on a token that is not a decimal `Int`, a negative position
    ///   (an invalid token: positions have no sign), a position past the end of `all`, or a wrong count.
    public static func decodeElements<Element>(
        _ text: UnsafeBufferPointer<UInt8>, count: Int, of all: [Element]
    ) throws(PackedTableError) -> [Element] {
        try decode(text, count: count) { token throws(PackedTableError) in
            guard text[token.startIndex] != UInt8(ascii: "-") else { throw .invalidToken(offset: token.startIndex) }
            let position = try integer(token, text: text)
            guard position < all.count else { throw .positionOutOfRange(position, count: all.count) }
            return all[position]
        }
    }

    /// Reads a table of Booleans.
    ///
    /// - Parameters:
    ///   - text: The packed text's UTF-8 bytes.
    ///   - count: The number of entries the table must have.
    /// - Returns: The Booleans.
    /// - Throws: ``PackedTableError`` on a token other than `1` and `0` or a wrong count.
    public static func decodeBooleans(_ text: UnsafeBufferPointer<UInt8>, count: Int) throws(PackedTableError) -> [Bool] {
        try decode(text, count: count) { token throws(PackedTableError) in
            guard token.count == 1, text[token.startIndex] == UInt8(ascii: "0") || text[token.startIndex] == UInt8(ascii: "1")
            else { throw .invalidToken(offset: token.startIndex) }
            return text[token.startIndex] == UInt8(ascii: "1")
        }
    }

    // MARK: - Helpers

    /// Runs a decoder over an embedded literal, stopping the program on an error.
    private static func embedded<Value>(
        _ text: StaticString, _ decode: (UnsafeBufferPointer<UInt8>) throws(PackedTableError) -> [Value]
    ) -> [Value] {
        let decoded = text.withUTF8Buffer { bytes in
            Result { () throws(PackedTableError) in try decode(bytes) }
        }
        switch decoded {
        case .success(let values): return values
        case .failure(let error): preconditionFailure("an embedded table is malformed (was the generated file edited?): \(error)")
        }
    }

    /// Splits `text` into tokens at spaces and line breaks, reads each, and checks the count.
    private static func decode<Value>(
        _ text: UnsafeBufferPointer<UInt8>, count: Int, _ read: (Range<Int>) throws(PackedTableError) -> Value
    ) throws(PackedTableError) -> [Value] {
        var values: [Value] = []
        values.reserveCapacity(count)
        var start: Int?
        for offset in 0...text.count {
            let separator = offset == text.count || text[offset] == UInt8(ascii: " ") || text[offset] == UInt8(ascii: "\n")
            if separator {
                if let first = start {
                    values.append(try read(first..<offset))
                    start = nil
                }
            } else if start == nil {
                start = offset
            }
        }
        guard values.count == count else { throw .wrongCount(found: values.count, expected: count) }
        return values
    }

    /// Decodes one integer token (decimal, optionally signed).
    private static func integer(_ token: Range<Int>, text: UnsafeBufferPointer<UInt8>) throws(PackedTableError) -> Int {
        guard let value = Int(String(decoding: UnsafeBufferPointer(rebasing: text[token]), as: UTF8.self)) else {
            throw .invalidToken(offset: token.startIndex)
        }
        return value
    }

    /// Decodes one string token.
    private static func string(_ token: Range<Int>, text: UnsafeBufferPointer<UInt8>) throws(PackedTableError) -> String {
        if equals(token, emptyToken, in: text) { return "" }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(token.count)
        var offset = token.lowerBound
        while offset < token.upperBound {
            let byte = text[offset]
            if byte == UInt8(ascii: "%") {
                guard offset + 2 < token.upperBound, let high = hexValue(text[offset + 1]), let low = hexValue(text[offset + 2]) else {
                    throw .invalidToken(offset: offset)
                }
                bytes.append(high << 4 | low)
                offset += 3
            } else {
                guard isPlain(byte) else { throw .invalidToken(offset: offset) }
                bytes.append(byte)
                offset += 1
            }
        }
        guard let value = String(validating: bytes, as: UTF8.self) else { throw .invalidToken(offset: token.lowerBound) }
        return value
    }

    /// Whether `text[token]` is exactly `literal`.
    private static func equals(_ token: Range<Int>, _ literal: String, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        token.count == literal.utf8.count && zip(token, literal.utf8).allSatisfy { text[$0] == $1 }
    }

    /// Whether a byte stands for itself in a string token.
    private static func isPlain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "@"),
            UInt8(ascii: "+"), UInt8(ascii: "="), UInt8(ascii: ","):
            true
        default:
            false
        }
    }

    /// The uppercase hexadecimal digit of a nibble.
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10
    }

    /// The value of an uppercase hexadecimal digit.
    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Why a packed table could not be read.
public enum PackedTableError: Error, Hashable {
    /// The token at this offset is not a valid entry of the table's kind.
    case invalidToken(offset: Int)
    /// A table of strings holds ``PackedTable/nilToken`` at this offset.
    case unexpectedNil(offset: Int)
    /// The table holds `found` entries where `expected` were declared.
    case wrongCount(found: Int, expected: Int)
    /// A position is outside the `count` elements it indexes.
    case positionOutOfRange(Int, count: Int)
}
