import Testing

@testable import TopologyCompiler

/// The ring's array literals, made a chunk at a time and measured without being made, equal the
/// text built the plain way, element by element, for every line-break position and extreme value.
@Suite("Ring array literals")
struct RingArrayTextTests {
    /// The literal built with ordinary string operations.
    static func plain<Value: BinaryInteger>(_ values: [Value], type: String) -> String {
        var text = "'{"
        for (index, value) in values.enumerated() {
            if index > 0 { text += index % 10 == 0 ? ",\n     " : "," }
            text += String(value)
        }
        return text + "}'::\(type)[]"
    }

    /// Both literals, the plain way.
    static func plainPair(_ tokens: [Int64], _ owners: [Int]) -> String {
        Self.plain(tokens, type: "bigint") + ",\n    " + Self.plain(owners, type: "integer")
    }

    /// The chunks `arrays` hands on, in order.
    private func chunks(_ arrays: RingArrayText) -> [String] {
        var chunks: [String] = []
        arrays.forEachChunk { chunks.append($0) }
        return chunks
    }

    @Test("Equal to the plain text for 0 to 32 elements, extremes and zero included")
    func equalsPlainText() {
        let samples: [Int64] = [0, -1, 1, .min, .max, 9, 10, -10, 99, 100, 1_234_567_890_123, -9_876_543_210]
        for count in 0...32 {
            let tokens = (0..<count).map { samples[$0 % samples.count] &* Int64($0 + 1) }
            let owners = (0..<count).map { ($0 * 7919) % 4096 }
            let arrays = RingArrayText(tokens: tokens, owners: owners)
            #expect(arrays.text == Self.plainPair(tokens, owners), "\(count) elements")
            #expect(arrays.utf8Count == arrays.text.utf8.count, "\(count) elements")
            #expect(chunks(arrays) == [arrays.text], "one chunk below 64 KB")
        }
        #expect(RingArrayText(tokens: [Int64.min], owners: [0]).text == "'{-9223372036854775808}'::bigint[],\n    '{0}'::integer[]")
    }

    @Test("A ring larger than a chunk is handed on in chunks of about 64 KB that join to the plain text")
    func largeRingInChunks() {
        var generator = SeededRandom(seed: 20_000)
        let tokens = (0..<20_000).map { _ in Int64.random(in: .min ... .max, using: &generator) }
        let owners = (0..<20_000).map { $0 % 4_096 }
        let arrays = RingArrayText(tokens: tokens, owners: owners)
        let pieces = chunks(arrays)
        let expected = Self.plainPair(tokens, owners)
        #expect(pieces.joined() == expected)
        #expect(arrays.utf8Count == expected.utf8.count)
        #expect(pieces.count > 5, "\(expected.utf8.count) bytes in \(pieces.count) chunks")
        // A chunk is handed on as soon as it passes 64 KB: it never holds more than one element past it.
        #expect(pieces.allSatisfy { $0.utf8.count < (1 << 16) + 32 }, "\(pieces.map(\.utf8.count).max() ?? 0)")
        // A needle across each joint between two chunks is found, read chunk by chunk; one that is
        // not in the text is not.
        let ring = SQLPiece.ringArrays(arrays)
        var joint = 0
        for piece in pieces.dropLast() {
            joint += piece.utf8.count
            let bytes = Array(expected.utf8)
            let needle = String(decoding: bytes[(joint - 4)..<(joint + 4)], as: UTF8.self)
            #expect(!ring.cannotOverlap(Array(needle.utf8)))
            #expect(SQLQuoting.occurs(needle, inPieces: [ring]), "\(needle.debugDescription) at \(joint)")
        }
        #expect(!SQLQuoting.occurs("1,$2", inPieces: [.text("x"), ring, .text("y")]))
    }

    @Test("The plan's tokens are read in place: one region's, owners as positions, tokens of other shards left out")
    func plannedTokens() {
        let planned: [PlanRingToken] = [
            .init(token: -5, shard: 3, region: "eu"), .init(token: 7, shard: 1, region: "us"),
            .init(token: 9, shard: 4, region: "eu"), .init(token: 11, shard: 9, region: "eu"),
            .init(token: 20, shard: 3, region: "eu"), .init(token: 30, shard: 0, region: nil),
        ]
        let arrays = RingArrayText(planned: planned, region: "eu", positions: [3: 0, 4: 1])
        #expect(arrays.text == Self.plainPair([-5, 9, 20], [0, 1, 0]))
        #expect(arrays.utf8Count == arrays.text.utf8.count)
        let whole = RingArrayText(planned: planned, region: nil, positions: [0: 0])
        #expect(whole.text == Self.plainPair([30], [0]))
    }

    @Test("A needle is looked for across a ring's literals unless it cannot overlap them")
    func occursAroundRingLiterals() {
        let ring = SQLPiece.ringArrays(RingArrayText(tokens: [-12, 34, 5_678], owners: [0, 1, 0]))
        // `$topoc$`: no `$` in the literals, and they hold bytes the tag lacks.
        #expect(ring.cannotOverlap(Array("$topoc$".utf8)))
        #expect(!SQLQuoting.occurs("$topoc$", inPieces: [.text("a$top"), ring, .text("oc$")]))
        #expect(SQLQuoting.occurs("$topoc$", inPieces: [.text("a$top"), .text("oc$"), ring]))
        // Needles that can start, end or lie in the literals are searched in them.
        #expect(!ring.cannotOverlap(Array("$'{".utf8)))
        #expect(SQLQuoting.occurs("$'{", inPieces: [.text("x$"), ring]))
        #expect(SQLQuoting.occurs("34,5678", inPieces: [.text("x"), ring]))
        #expect(SQLQuoting.occurs("]x", inPieces: [ring, .text("x")]))
        #expect(!SQLQuoting.occurs("]y", inPieces: [ring, .text("x")]))
        // A needle that holds the whole literals between two `$`: it starts and ends outside them
        // and holds every byte they hold, so they must be read.
        let spanning = "$" + ring.string + "$"
        #expect(!ring.cannotOverlap(Array(spanning.utf8)))
        #expect(SQLQuoting.occurs(spanning, inPieces: [.text("$"), ring, .text("$")]))
        #expect(!SQLQuoting.occurs(spanning, inPieces: [.text("$"), ring, .text("x")]))
        // Random needles over the literals' bytes and `$`: the same answer as a search of the joined text.
        var generator = SeededRandom(seed: 3_000)
        let alphabet = Array("$x{}'0123456789-,:[]bigntr \n".utf8)
        let pieces: [SQLPiece] = [.text("$x'"), ring, .text("}$"), ring, .text("x")]
        let joined = Array(pieces.map(\.string).joined().utf8)
        for _ in 0..<3_000 {
            let length = Int.random(in: 1...6, using: &generator)
            let needle = (0..<length).map { _ in alphabet.randomElement(using: &generator) ?? 0 }
            let expected = (0...(joined.count - needle.count)).contains { Array(joined[$0..<($0 + needle.count)]) == needle }
            let text = String(decoding: needle, as: UTF8.self)
            #expect(SQLQuoting.occurs(text, inPieces: pieces) == expected, "\(text.debugDescription)")
        }
    }
}
