import Testing

@testable import TopologyRuntime

@Suite("Packed tables")
struct PackedTableTests {
    /// Runs a decoder over `text`'s UTF-8 bytes.
    private func decode<Value>(
        _ text: String, _ decoder: (UnsafeBufferPointer<UInt8>) throws(PackedTableError) -> Value
    ) throws(PackedTableError) -> Value {
        let bytes = Array(text.utf8)
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(PackedTableError) in try decoder(buffer) }
        }
        return try result.get()
    }

    /// Packs `values` the way the Swift backend does: tokens wrapped into lines.
    private func packed(_ tokens: [String], width: Int = 40) -> String {
        PackedTable.lines(tokens, width: width).joined(separator: "\n")
    }

    /// Strings that must survive the round trip: every byte that a Swift string literal, a line
    /// break or the token syntax would otherwise read differently.
    static let hostile: [String] = [
        "", " ", "  leading and trailing  ", "a b", "line\nbreak", "cr\r\nlf", "tab\there", "quote\"", "\"\"\"",
        "back\\slash", "\\(interpolation)", "#\"raw\"#", "%", "%25", "%nil", "%empty", "100%", "%2", "%zz", "nul\u{0}byte",
        "ünïcødé", "emoji 🐘", "/*", "*/", "shard-s0", "127.0.0.1", "a.b-c_d:e/f@g+h=i,j", "\u{FEFF}bom", "\u{7F}",
    ]

    @Test("Hostile strings round-trip, and their text holds only the token alphabet")
    func hostileStringsRoundTrip() throws {
        let tokens = Self.hostile.map { PackedTable.token($0) }
        for (value, token) in zip(Self.hostile, tokens) {
            #expect(!token.isEmpty, "\(value.debugDescription)")
            let allowed = token.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || "-._:/@+=,%".utf8.contains(byte)
            }
            #expect(allowed, "\(value.debugDescription) -> \(token)")
        }
        let text = packed(tokens)
        #expect(!text.contains("\\") && !text.contains("\""), "nothing a Swift string literal would read as an escape or delimiter")
        let decoded = try decode(text) { bytes throws(PackedTableError) in try PackedTable.decodeStrings(bytes, count: tokens.count) }
        #expect(decoded == Self.hostile)
    }

    @Test("Tokens: plain bytes stay, others are %XX, the empty string and nil have words of their own")
    func tokens() {
        #expect(PackedTable.token("shard-s0") == "shard-s0")
        #expect(PackedTable.token("a b%") == "a%20b%25")
        #expect(PackedTable.token("é") == "%C3%A9")
        #expect(PackedTable.token("") == PackedTable.emptyToken)
        #expect(PackedTable.token(nil as String?) == PackedTable.nilToken)
        #expect(PackedTable.token("%nil") == "%25nil", "a value spelled like the nil token is not nil")
        #expect(PackedTable.token(-42) == "-42")
        #expect(PackedTable.token(true) == "1" && PackedTable.token(false) == "0")
    }

    @Test("Optional strings keep nil apart from the empty string and from '%nil'")
    func optionalStrings() throws {
        let values: [String?] = [nil, "", "%nil", "eu-west", nil]
        let text = packed(values.map { PackedTable.token($0) })
        let decoded = try decode(text) { bytes throws(PackedTableError) in
            try PackedTable.decodeOptionalStrings(bytes, count: values.count)
        }
        #expect(decoded == values)
        #expect(throws: PackedTableError.unexpectedNil(offset: 2)) {
            try decode("a %nil") { bytes throws(PackedTableError) in try PackedTable.decodeStrings(bytes, count: 2) }
        }
    }

    @Test("Integers and Booleans round-trip, wrapped and indented")
    func integersAndBooleans() throws {
        let integers = [0, 5432, -1, Int.max, Int.min, 3]
        let text = packed(integers.map { PackedTable.token($0) }, width: 12)
        #expect(text.contains("\n"), "wrapped")
        let decodedIntegers = try decode("  " + text.split(separator: "\n").joined(separator: "\n    ") + "\n") {
            bytes throws(PackedTableError) in try PackedTable.decodeIntegers(bytes, count: integers.count)
        }
        #expect(decodedIntegers == integers)
        let booleans = [true, false, false, true]
        let decodedBooleans = try decode(packed(booleans.map { PackedTable.token($0) })) { bytes throws(PackedTableError) in
            try PackedTable.decodeBooleans(bytes, count: booleans.count)
        }
        #expect(decodedBooleans == booleans)
    }

    @Test("Empty tables, and a table of one empty string, are told apart by their text")
    func emptyTables() throws {
        #expect(try decode("") { bytes throws(PackedTableError) in try PackedTable.decodeStrings(bytes, count: 0) } == [])
        #expect(
            try decode(packed([PackedTable.token("")])) { bytes throws(PackedTableError) in
                try PackedTable.decodeStrings(bytes, count: 1)
            } == [""])
    }

    @Test("Malformed text and a wrong count are errors, each at its place")
    func malformed() {
        func strings(_ text: String, count: Int) throws(PackedTableError) -> [String] {
            try decode(text) { bytes throws(PackedTableError) in try PackedTable.decodeStrings(bytes, count: count) }
        }
        #expect(throws: PackedTableError.wrongCount(found: 2, expected: 3)) { try strings("a b", count: 3) }
        #expect(throws: PackedTableError.wrongCount(found: 2, expected: 1)) { try strings("a b", count: 1) }
        #expect(throws: PackedTableError.invalidToken(offset: 3)) { try strings("a b\"c", count: 2) }
        #expect(throws: PackedTableError.invalidToken(offset: 3)) { try strings("ok %zz", count: 2) }
        #expect(throws: PackedTableError.invalidToken(offset: 0)) { try strings("%4", count: 1) }
        #expect(throws: PackedTableError.invalidToken(offset: 0)) { try strings("%ff", count: 1) }
        #expect(throws: PackedTableError.invalidToken(offset: 0)) { try strings("%FF", count: 1) }
        #expect(throws: PackedTableError.invalidToken(offset: 2)) {
            try decode("1 x") { bytes throws(PackedTableError) in try PackedTable.decodeIntegers(bytes, count: 2) }
        }
        #expect(throws: PackedTableError.invalidToken(offset: 0)) {
            try decode("2") { bytes throws(PackedTableError) in try PackedTable.decodeBooleans(bytes, count: 1) }
        }
        #expect(throws: PackedTableError.invalidToken(offset: 0)) {
            try decode("99999999999999999999") { bytes throws(PackedTableError) in try PackedTable.decodeIntegers(bytes, count: 1) }
        }
    }

    @Test("Embedded tables: StaticString literals as the generated router writes them, enum cases by position")
    func embedded() {
        let names = PackedTable.strings(
            count: 3,
            """
            shard-s0 a%20b
            %empty
            """)
        #expect(names == ["shard-s0", "a b", ""])
        #expect(PackedTable.optionalStrings(count: 2, "%nil eu") == [nil, "eu"])
        #expect(PackedTable.integers(count: 3, "5432 6432\n-1") == [5432, 6432, -1])
        #expect(PackedTable.booleans(count: 3, "1 0 1") == [true, false, true])
        #expect(PackedTable.elements(count: 4, of: ["x", "y", "z"], "2 0 0 1") == ["z", "x", "x", "y"])
        #expect(throws: PackedTableError.positionOutOfRange(3, count: 3)) {
            try decode("0 3") { bytes throws(PackedTableError) in try PackedTable.decodeElements(bytes, count: 2, of: ["x", "y", "z"]) }
        }
        #expect(throws: PackedTableError.invalidToken(offset: 0)) {
            try decode("-1") { bytes throws(PackedTableError) in try PackedTable.decodeElements(bytes, count: 1, of: ["x"]) }
        }
    }

    @Test("Range maps from packed text: one range per line, %nil unbounded, text bounds percent-encoded")
    func rangeMaps() {
        let integers = RangeMap<Int64>.embedded(
            count: 2,
            """
            %nil -5 0
            -5 %nil 1
            """)
        #expect(integers.entries == [.init(lower: nil, upper: -5, shard: 0), .init(lower: -5, upper: nil, shard: 1)])
        #expect(integers.shard(for: Int64(-6)) == 0 && integers.shard(for: Int64(-5)) == 1)
        let bound = "m \"q\"\n%"
        let text = [
            [PackedTable.token(nil as String?), PackedTable.token(bound), "0"].joined(separator: " "),
            [PackedTable.token(bound), PackedTable.token(nil as String?), "1"].joined(separator: " "),
        ]
        #expect(text == ["%nil m%20%22q%22%0A%25 0", "m%20%22q%22%0A%25 %nil 1"])
        let strings = RangeMap<String>.embedded(
            count: 2,
            """
            %nil m%20%22q%22%0A%25 0
            m%20%22q%22%0A%25 %nil 1
            """)
        #expect(strings.entries == [.init(lower: nil, upper: bound, shard: 0), .init(lower: bound, upper: nil, shard: 1)])
    }

    @Test("Lines wrap near the width, and a token longer than it gets a line of its own")
    func lines() {
        #expect(PackedTable.lines(["aa", "bb", "cc"], width: 5) == ["aa bb", "cc"])
        #expect(PackedTable.lines(["a", "longer-than-width", "b"], width: 5) == ["a", "longer-than-width", "b"])
        #expect(PackedTable.lines([], width: 5) == [])
    }
}
