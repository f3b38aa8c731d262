import Foundation

/// A CSV fixture written by `scripts/gen-hash-fixtures.sh` from a real PostgreSQL 15 server.
struct Fixture {
    /// The header's column names.
    let header: [String]
    /// The data rows, split into fields.
    let rows: [[String]]

    /// The directory holding the fixtures, found relative to this source file.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures", isDirectory: true)

    /// Loads `Fixtures/<name>`, checking that every row has as many fields as the header.
    static func load(_ name: String) throws -> Fixture {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" {
            lines.removeLast()
        }
        guard let headerLine = lines.first else {
            throw FixtureError.malformed("\(name) is empty")
        }
        let header = headerLine.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let rows = lines.dropFirst().map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        for (index, row) in rows.enumerated() where row.count != header.count {
            throw FixtureError.malformed("\(name) row \(index + 1) has \(row.count) fields")
        }
        return Fixture(header: header, rows: rows)
    }

    /// The header's columns from `index` on, parsed as integers (seeds or moduli).
    func integerColumns(from index: Int) throws -> [Int64] {
        try header.dropFirst(index).map { try parseInt64($0) }
    }
}

/// A fixture that cannot be read.
enum FixtureError: Error {
    /// The fixture's content is not what the tests expect.
    case malformed(String)
}

/// Parses a decimal `Int64` field.
func parseInt64(_ field: String) throws -> Int64 {
    guard let value = Int64(field) else {
        throw FixtureError.malformed("not an integer: \(field)")
    }
    return value
}

/// Decodes a lowercase or uppercase hex field into bytes.
func parseHex(_ field: String) throws -> [UInt8] {
    let digits = Array(field.utf8)
    guard digits.count % 2 == 0 else {
        throw FixtureError.malformed("odd hex length: \(field)")
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(digits.count / 2)
    var index = 0
    while index < digits.count {
        guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else {
            throw FixtureError.malformed("not hex: \(field)")
        }
        bytes.append(high << 4 | low)
        index += 2
    }
    return bytes
}

/// Decodes hex-encoded UTF-8 into a string, failing on invalid UTF-8.
func parseHexString(_ field: String) throws -> String {
    let bytes = try parseHex(field)
    let string = String(decoding: bytes, as: UTF8.self)
    guard Array(string.utf8) == bytes else {
        throw FixtureError.malformed("not UTF-8: \(field)")
    }
    return string
}

private func hexValue(_ digit: UInt8) -> UInt8? {
    switch digit {
    case UInt8(ascii: "0")...UInt8(ascii: "9"):
        digit - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"):
        digit - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"):
        digit - UInt8(ascii: "A") + 10
    default:
        nil
    }
}

/// A fast deterministic generator for test inputs (SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z &>> 31)
    }
}
