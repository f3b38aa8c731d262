import Foundation
import Testing

@testable import TopologyCompiler

/// topoc's JSON encoder writes the bytes Foundation's `JSONEncoder` writes with the same options,
/// for every plan and routing table of the examples and for values chosen to reach every branch.
struct DeterministicJSONEncoderTests {
    /// Foundation's bytes for `value`, pretty-printed or compact.
    static func foundation(_ value: some Encodable, pretty: Bool) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    static func expectSameBytes(_ value: some Encodable, _ label: String) throws {
        for pretty in [true, false] {
            let ours = try DeterministicJSONEncoder(pretty: pretty).encode(value)
            let theirs = try foundation(value, pretty: pretty)
            if ours != theirs {
                let at = zip(ours, theirs).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(ours.count, theirs.count)
                let context = { (bytes: [UInt8]) in String(decoding: bytes[max(0, at - 80)..<min(bytes.count, at + 80)], as: UTF8.self) }
                Issue.record(
                    "\(label), pretty \(pretty): first difference at byte \(at)\nours:\n\(context(ours))\nFoundation:\n\(context(theirs))")
            }
        }
    }

    @Test("Every example's plan and routing table, for every target, as Foundation writes them")
    func examples() throws {
        for name in try PlanTestSupport.exampleNames() {
            for target in DeploymentTarget.allCases {
                let text = try String(contentsOf: PlanTestSupport.exampleURL(name), encoding: .utf8)
                let compiled = CompilerDriver.compile(bytes: Array(text.utf8), file: name, target: target)
                guard let plan = compiled.plan else { continue }
                try Self.expectSameBytes(plan, "\(name) plan (\(target))")
                try Self.expectSameBytes(RoutingSpec(plan: plan), "\(name) routing (\(target))")
            }
        }
    }

    /// A value that reaches every container kind and scalar type.
    struct Everything: Encodable {
        struct Inner: Encodable {
            var b = 1
            var a: String?
            var z: [Inner] = []
        }

        var empty: [Int] = []
        var emptyObject: [String: Int] = [:]
        var nested: [[Int]] = [[], [1], [2, 3]]
        var doubles: [Double] = [
            2, 0.1, 1e21, 1.5e-7, -0.0, 123_456.789, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1e15, 1e16, 1e17,
        ]
        var floats: [Float] = [0.1, 3, 1e-9, .greatestFiniteMagnitude]
        var integers: [Int64] = [0, -1, .min, .max]
        var unsigned: [UInt64] = [0, .max]
        var small: [Int8] = [.min, .max]
        var flags = [true, false]
        var optionals: [Int?] = [1, nil, 3]
        var keys: [String: Int] = [
            "s10": 1, "s9": 2, "S1": 3, "a": 4, "B": 5, "_x": 6, "é": 7, "f\u{301}": 8, "z": 9, "aa": 10, "a_": 11, "a0": 12,
            "😀": 13, "\u{7f}": 14, "": 15, "a b": 16, "ä": 17, "Z": 18, "\u{ffff}": 19,
        ]
        var integerKeys: [Int: String] = [10: "x", 9: "y", -1: "z"]
        var inner = Inner(b: 1, a: nil, z: [Inner(b: 2, a: "x"), Inner()])
        var missing: Inner?
        var data = Data([0, 1, 2, 254, 255])
        var url = URL(string: "https://example.com/a/b?c=d&e=%20")
        var date = Date(timeIntervalSinceReferenceDate: 12.5)
        var decimal = Decimal(string: "3.14159")
        var hostile = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }.joined() + "é😀\u{2028}\u{2029}\u{feff}</script>"
    }

    @Test("Strings with escapes at either end, side by side, alone and in long runs, as Foundation writes them")
    func escapedStrings() throws {
        let controls = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }
        var strings = ["", "\"", "\\", "a\"", "\"a", "\\\"\n", "é\u{1}ü", "\u{7f}\u{2028}", controls.joined()] + controls
        strings += controls.map { "x" + $0 + "y" }
        strings.append(String(repeating: "run of plain text, then a quote \" and a tab \t; ", count: 400))
        strings.append(String(repeating: "é", count: 5_000) + "\u{1f}")
        try Self.expectSameBytes(strings, "escaped strings")
        try Self.expectSameBytes(
            Dictionary(uniqueKeysWithValues: strings.enumerated().map { ("k\($0.offset)\($0.element)", $0.element) }), "keys")
    }

    @Test("Scalars, keys and containers of every kind")
    func everything() throws {
        try Self.expectSameBytes(Everything(), "everything")
        try Self.expectSameBytes([Everything(), Everything()], "array of everything")
        try Self.expectSameBytes(["only": [[String: [Int]]]()], "nested empties")
        try Self.expectSameBytes("top-level string", "top-level string")
        try Self.expectSameBytes(42, "top-level integer")
        try Self.expectSameBytes([Int?.none], "top-level null in an array")
    }

    /// Nested containers and super-encoders, which synthesized conformances never use.
    struct Handwritten: Encodable {
        enum Keys: String, CodingKey { case outer, list, parent, zeta }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var nested = container.nestedContainer(keyedBy: Keys.self, forKey: .outer)
            try nested.encode([1, 2], forKey: .list)
            try nested.encode("deep", forKey: .zeta)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode(1)
            var inner = list.nestedContainer(keyedBy: Keys.self)
            try inner.encode(["x": [true]], forKey: .zeta)
            var innerList = list.nestedUnkeyedContainer()
            try innerList.encode(Everything.Inner())
            try Everything.Inner(b: 7).encode(to: container.superEncoder(forKey: .parent))
            try container.encode(0.5, forKey: .zeta)
        }
    }

    /// The same keys encoded twice into one container: the later value wins.
    struct Repeated: Encodable {
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        var count: Int

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            for round in 0..<2 {
                for index in 0..<count { try container.encode(round * 1_000 + index, forKey: Key(stringValue: "k\(index)")) }
            }
        }
    }

    /// Ring tokens take ``JSONFlatObject``'s path: with and without a region (one that needs
    /// escaping too), at both ends of the token range, alone, in a list, and in a plan's ring.
    @Test("Ring tokens written straight into the array, as Foundation writes them")
    func flatObjects() throws {
        let tokens = [
            PlanRingToken(token: .min, shard: 0), PlanRingToken(token: .max, shard: 4_095), PlanRingToken(token: 0, shard: 7),
            PlanRingToken(token: -1, shard: 12, region: "eu-west"), PlanRingToken(token: 42, shard: 3, region: "a\"b\\c\n/é\u{1}"),
        ]
        try Self.expectSameBytes(tokens, "tokens")
        try Self.expectSameBytes([tokens, []], "nested lists of tokens")
        try Self.expectSameBytes(["ring": tokens], "tokens under a key")
        for token in tokens { try Self.expectSameBytes(token, "one token, at the top") }
        var generator = SystemRandomNumberGenerator()
        let random = (0..<2_000).map { _ in
            PlanRingToken(token: Int64.random(in: .min ... .max, using: &generator), shard: Int.random(in: 0..<4_096, using: &generator))
        }
        try Self.expectSameBytes(random, "2,000 random tokens")
    }

    /// The manifest's files take the same path: paths that need escaping, and a whole manifest.
    @Test("Manifest entries written straight into the array, as Foundation writes them")
    func manifestEntries() throws {
        let entries = [
            OutputManifest.Entry(path: "sql/shared/shard.sql", producer: "postgres", sha256: String(repeating: "a", count: 64)),
            OutputManifest.Entry(path: "a\"b\\c\n/é\u{1}.txt", producer: "p\u{7f}\t", sha256: ""),
        ]
        try Self.expectSameBytes(entries, "entries")
        for entry in entries { try Self.expectSameBytes(entry, "one entry, at the top") }
        let manifest = OutputManifest(generator: "topoc test", complete: true, directories: ["sql", "sql/shared"], files: entries)
        try Self.expectSameBytes(manifest, "a manifest")
        #expect(manifest.encoded() == (try Self.foundation(manifest, pretty: true)) + [UInt8(ascii: "\n")])
    }

    /// A list of strings takes the encoder's direct path: empty, alone, nested, under a key, in a
    /// dictionary, optional, with names that need escaping, and as long as a plan's shard lists.
    struct Names: Encodable {
        var databases: [String] = ["shard_0", "shard_1"]
        var none: [String] = []
        var maybe: [String]? = ["x"]
        var absent: [String]?
        var deep: [[String]] = [[], ["a"], ["b", "c"]]
        var byCluster: [String: [String]] = ["one": ["a\"b\\c\n/é\u{1}"], "two": []]
        var inner = [Everything.Inner(b: 2, a: "y")]
    }

    @Test("Lists of strings written straight into their container, as Foundation writes them")
    func stringLists() throws {
        try Self.expectSameBytes(Names(), "names")
        try Self.expectSameBytes([Names(), Names(none: ["z"], absent: [])], "a list of names")
        try Self.expectSameBytes([String](), "an empty list at the top")
        try Self.expectSameBytes(["only"], "one name at the top")
        try Self.expectSameBytes([[String]()], "an empty list in a list")
        try Self.expectSameBytes((0..<5_000).map { "shard_\($0)" }, "5,000 names")
    }

    /// A sink that keeps each piece it is handed, and fails on the piece `failOn` when given. It
    /// starts with bytes of its own, which only ``restart()`` drops.
    struct RecordingSink: JSONSink {
        struct Failed: Error, Equatable { var piece: Int }
        typealias Failure = Failed

        var pieces: [[UInt8]] = [Array("junk".utf8)]
        var restarts = 0
        /// The bytes held when ``restart()`` was last called.
        var droppedAtRestart = 0
        var failOn: Int?

        mutating func write(_ piece: inout [UInt8]) throws(Failed) {
            if let failOn, pieces.count - 1 == failOn { throw Failed(piece: failOn) }
            pieces.append(piece)
            piece.removeAll()
        }

        mutating func restart() {
            restarts += 1
            droppedAtRestart = pieces.reduce(0) { $0 + $1.count }
            pieces = []
        }
    }

    /// An object of forty members of 100 KB: 4 MB of text, handed on in pieces.
    static let large = Dictionary(uniqueKeysWithValues: (0..<40).map { ("m\($0)", String(repeating: "\($0 % 10)", count: 100_000)) })

    /// Lists of 200,000 names two levels down, beside small members: 6 MB of text.
    static let nested: [String: [String: [String]]] = [
        "a": ["small": ["x"]],
        "m": ["names": (0..<200_000).map { "name \($0)" }, "more": (0..<100_000).map { "other \($0)" }],
        "z": ["small": []],
    ]

    @Test("Streamed text is the same bytes, handed on in pieces of about a megabyte however deep it was made")
    func streamed() throws {
        var sink = RecordingSink()
        try DeterministicJSON.write(Self.large, to: &sink)
        let whole = DeterministicJSON.bytes(Self.large)
        #expect(Array(sink.pieces.joined()) == Array("junk".utf8) + whole)
        #expect(whole == (try Self.foundation(Self.large, pretty: true)) + [UInt8(ascii: "\n")])

        // The nested lists' text is cut where it is made and passed up by its pieces: no piece is
        // much larger than JSONText.pieceSize, so the text is never one buffer, nor copied whole.
        var deep = RecordingSink(pieces: [])
        try DeterministicJSON.write(Self.nested, to: &deep)
        #expect(Array(deep.pieces.joined()) == (try Self.foundation(Self.nested, pretty: true)) + [UInt8(ascii: "\n")])
        #expect(deep.pieces.count >= 6, "\(deep.pieces.map(\.count))")
        #expect(deep.pieces.allSatisfy { $0.count < JSONText.pieceSize + 100 }, "\(deep.pieces.map(\.count))")
        // Small values: the same bytes as in memory.
        for value in [["a": "b"], [:]] {
            var small = RecordingSink(pieces: [])
            try DeterministicJSON.write(value, to: &small)
            #expect(Array(small.pieces.joined()) == DeterministicJSON.bytes(value))
        }
    }

    /// How many bytes a sink has been handed so far, shared with the values being encoded.
    final class Received: @unchecked Sendable {
        var bytes = 0
        /// What ``Probe`` saw, by name.
        var seen: [String: Int] = [:]
    }

    /// A sink that counts what it is handed into ``Received``.
    struct CountingSink: JSONSink {
        let received: Received
        var pieces: [[UInt8]] = []

        mutating func write(_ piece: inout [UInt8]) {
            received.bytes += piece.count
            pieces.append(piece)
            piece.removeAll()
        }

        mutating func restart() {
            received.bytes = 0
            pieces = []
        }
    }

    /// A value that notes, when it is encoded, how much of the text the sink already holds.
    struct Probe: Encodable {
        let name: String
        let received: Received

        func encode(to encoder: any Encoder) throws {
            received.seen[name] = received.bytes
            var container = encoder.singleValueContainer()
            try container.encode(name)
        }
    }

    /// Members sorted after a large one, at the top and nested: when each is encoded, the text
    /// before it has been handed on, so no more than about a megabyte of text is held at once.
    @Test("Streamed members are encoded when the layout reaches them, after the text before them was handed on")
    func streamedMembersEncodedInTurn() throws {
        struct Document: Encodable {
            struct Inner: Encodable {
                var ring: [PlanRingToken]
                var zeta: Probe
            }

            var a: Inner
            var b: Probe
        }
        let received = Received()
        let tokens = (0..<100_000).map { PlanRingToken(token: Int64($0) * 92_233_720_368, shard: $0 % 4_096) }
        let document = Document(
            a: .init(ring: tokens, zeta: Probe(name: "nested", received: received)), b: Probe(name: "top", received: received))
        var sink = CountingSink(received: received)
        DeterministicJSON.write(document, to: &sink)
        let seen = received.seen  // before Foundation encodes the probes again
        let whole = Array(sink.pieces.joined())
        #expect(whole == (try Self.foundation(document, pretty: true)) + [UInt8(ascii: "\n")])
        let ringText = try Self.foundation(tokens, pretty: true).count
        #expect(ringText > 4 * DeterministicJSONEncoder.drainSize)
        for name in ["nested", "top"] {
            let handedOn = try #require(seen[name])
            #expect(handedOn >= ringText - DeterministicJSONEncoder.drainSize - 100_000, "\(name): \(handedOn) of \(whole.count)")
        }
        #expect(sink.pieces.allSatisfy { $0.count < JSONText.pieceSize + 100 })
    }

    @Test("A sink's failure stops the stream and reaches the caller; a value that cannot be encoded becomes {}")
    func streamFailures() throws {
        var failing = RecordingSink(failOn: 1)
        #expect(throws: RecordingSink.Failed(piece: 1)) { try DeterministicJSON.write(Self.large, to: &failing) }
        #expect(failing.pieces.count == 2)

        var unencodable = RecordingSink()
        var bad = Self.large.mapValues { _ in 0.0 }
        bad["zz"] = .nan
        try DeterministicJSON.write(bad, to: &unencodable)
        #expect(unencodable.restarts == 1)
        #expect(Array(unencodable.pieces.joined()) == Array("{}\n".utf8))
        #expect(DeterministicJSON.bytes(bad) == Array("{}\n".utf8))

        // A member that fails after megabytes were handed on: the sink starts again with {}.
        struct LateFailure: Encodable {
            var a = DeterministicJSONEncoderTests.large
            var z = [Double.nan]  // a list: encoded when the layout reaches it, after `a`
        }
        var late = RecordingSink()
        try DeterministicJSON.write(LateFailure(), to: &late)
        #expect(late.restarts == 1)
        #expect(late.droppedAtRestart > DeterministicJSONEncoder.drainSize, "\(late.droppedAtRestart)")
        #expect(Array(late.pieces.joined()) == Array("{}\n".utf8))
        #expect(throws: EncodingError.self) { try DeterministicJSONEncoder(pretty: true).encode(LateFailure()) }
    }

    @Test("A key encoded again replaces its value, in small and large objects")
    func repeatedKeys() throws {
        try Self.expectSameBytes(Repeated(count: 3), "3 keys twice")
        try Self.expectSameBytes(Repeated(count: 40), "40 keys twice")
        let large = Dictionary(uniqueKeysWithValues: (0..<5_000).map { ("shard\($0)", $0) })
        try Self.expectSameBytes(large, "5,000 keys")
    }

    @Test("Nested containers and super-encoders")
    func handwritten() throws {
        try Self.expectSameBytes(Handwritten(), "handwritten")
        try Self.expectSameBytes(["a": [Handwritten()]], "handwritten, nested twice")
    }

    @Test("Random doubles print as Foundation prints them")
    func doubles() throws {
        var generator = SystemRandomNumberGenerator()
        let values = (0..<2_000).map { _ in
            Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF) * (Bool.random() ? 1 : -1)
        }
        try Self.expectSameBytes(values, "random doubles")
        try Self.expectSameBytes((0..<2_000).map { _ in Double.random(in: -1e6...1e6) }, "random doubles in range")
    }

    @Test("A non-finite number is refused, as Foundation refuses it")
    func nonFinite() {
        for value in [Double.nan, .infinity, -.infinity] {
            #expect(throws: EncodingError.self) { try DeterministicJSONEncoder(pretty: true).encode(["x": value]) }
            #expect(throws: EncodingError.self) { try Self.foundation(["x": value], pretty: true) }
        }
        #expect(DeterministicJSON.compact(["x": Double.nan]) == nil)
        #expect(DeterministicJSON.text(["x": Double.nan]) == "{}\n")
    }
}
