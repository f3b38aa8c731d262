import Testing

@testable import TopologyRuntime

@Suite("Packed ring tokens")
struct PackedRingTokensTests {
    private func decode(_ text: String, shardCount: Int) throws(PackedRingTokensError) -> (tokens: [Int64], owners: [Int]) {
        let bytes = Array(text.utf8)
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(PackedRingTokensError) in try PackedRingTokens.decode(buffer, shardCount: shardCount) }
        }
        return try result.get()
    }

    @Test("Owner width grows with the largest shard index, in hexadecimal digits")
    func ownerDigits() {
        #expect(PackedRingTokens.ownerDigits(shardCount: 0) == 1)
        #expect(PackedRingTokens.ownerDigits(shardCount: 1) == 1)
        #expect(PackedRingTokens.ownerDigits(shardCount: 16) == 1)
        #expect(PackedRingTokens.ownerDigits(shardCount: 17) == 2)
        #expect(PackedRingTokens.ownerDigits(shardCount: 256) == 2)
        #expect(PackedRingTokens.ownerDigits(shardCount: 257) == 3)
        #expect(PackedRingTokens.ownerDigits(shardCount: 4096) == 3)
        #expect(PackedRingTokens.ownerDigits(shardCount: 4097) == 4)
    }

    @Test("A token is its two's-complement bits in 16 lowercase digits, then its owner")
    func layout() throws {
        let tokens = [
            HashRing.Token(token: Int64.min, shard: 0), HashRing.Token(token: -1, shard: 10),
            HashRing.Token(token: 0, shard: 16), HashRing.Token(token: Int64.max, shard: 255),
        ]
        let lines = PackedRingTokens.lines(tokens, shardCount: 256, tokensPerLine: 3)
        #expect(
            lines == [
                "800000000000000000 ffffffffffffffff0a 000000000000000010",
                "7fffffffffffffffff",
            ])
        let decoded = try decode(lines.joined(separator: "\n"), shardCount: 256)
        #expect(decoded.tokens == tokens.map(\.token))
        #expect(decoded.owners == tokens.map(\.shard))
    }

    @Test("A real ring survives packing, wrapping and indentation, and embeds as the same ring")
    func roundTrip() throws {
        for (shards, virtualNodes) in [(1, 1), (16, 150), (17, 7), (300, 3)] {
            let ring = try HashRing(shards: (0..<shards).map { "shard-s\($0)" }, virtualNodes: virtualNodes)
            let lines = PackedRingTokens.lines(ring.tokens, shardCount: shards)
            #expect(lines.allSatisfy { $0.utf8.count <= 6 * (17 + PackedRingTokens.ownerDigits(shardCount: shards)) - 1 })
            let text = lines.map { "        " + $0 }.joined(separator: "\n")
            let decoded = try decode(text, shardCount: shards)
            #expect(decoded.tokens == ring.tokens.map(\.token))
            #expect(decoded.owners == ring.tokens.map(\.shard))
            let embedded = try HashRing(
                shardNames: ring.shardNames, virtualNodes: virtualNodes, tokens: decoded.tokens, owners: decoded.owners)
            #expect(embedded == ring)
        }
    }

    @Test("The embedded constructor reads a StaticString literal as generated routers write it")
    func staticString() throws {
        // PostgreSQL 15: hashtextextended of 'b#1', 'a#0', 'a#1', 'b#0' (seed 0) in signed order are
        // b3bcfa1130091d18, c917591e0c67fdb9, 143c968576af4beb, 64a548afd11d615c (to_hex).
        let packed: StaticString = """
                b3bcfa1130091d181 c917591e0c67fdb90
                143c968576af4beb0 64a548afd11d615c1
            """
        let embedded = HashRing.embedded(shardNames: ["a", "b"], virtualNodes: 2, packed: packed)
        #expect(embedded == (try HashRing(shards: ["a", "b"], virtualNodes: 2)))
        #expect(embedded.tokens.map(\.shard) == [1, 0, 0, 1])
        #expect(embedded.tokens.first?.token == Int64(bitPattern: 0xb3bc_fa11_3009_1d18))
    }

    @Test("Anything but lowercase hexadecimal digits, spaces and line breaks is refused, with its offset")
    func hostile() {
        let token = "0123456789abcdef"
        #expect(throws: PackedRingTokensError.invalidCharacter(offset: 10)) { try decode("0123456789ABCDEF0", shardCount: 2) }
        #expect(throws: PackedRingTokensError.invalidCharacter(offset: 16)) { try decode(token + "\t0", shardCount: 2) }
        #expect(throws: PackedRingTokensError.invalidCharacter(offset: 0)) { try decode("-" + token + "0", shardCount: 2) }
        #expect(throws: PackedRingTokensError.invalidCharacter(offset: 2)) { try decode("01\"", shardCount: 2) }
        #expect(throws: PackedRingTokensError.partialToken(digits: 16, expected: 17)) { try decode(token, shardCount: 2) }
        #expect(throws: PackedRingTokensError.partialToken(digits: 1, expected: 18)) {
            try decode(token + "00" + "7", shardCount: 17)
        }
    }

    @Test("Empty text is an empty ring's text")
    func empty() throws {
        let decoded = try decode(" \n ", shardCount: 4)
        #expect(decoded.tokens.isEmpty && decoded.owners.isEmpty)
    }
}
