import Testing
import TopologyRuntime

@Suite("Ring movement")
struct RingMovementTests {
    @Test("Identical rings move nothing")
    func noChange() {
        let ring = HashRing(shards: 3, virtualNodes: 50)
        #expect(ringMovement(from: ring, to: ring).isEmpty)
    }

    @Test("Moves predict exactly which keys change shard when a shard is added")
    func addShard() {
        let before = HashRing(shards: 4, virtualNodes: 100)
        let after = HashRing(shards: 5, virtualNodes: 100)
        let moves = ringMovement(from: before, to: after)
        #expect(!moves.isEmpty)
        #expect(moves.allSatisfy { $0.toShard == 4 && $0.fromShard < 4 })
        let total = moves.reduce(0) { $0 + $1.fraction }
        #expect(total > 0.2 * 0.6 && total < 0.2 * 1.4, "\(total)")
        // Ascending, non-overlapping arcs.
        for (first, second) in zip(moves, moves.dropFirst()) {
            #expect(first.endInclusive <= second.startExclusive)
        }
        var generator = SplitMix64(seed: 99)
        var moved = 0
        let samples = 20_000
        for _ in 0..<samples {
            let position = Int64(bitPattern: generator.next())
            let changes = before.shard(forPosition: position) != after.shard(forPosition: position)
            let covering = moves.filter { $0.contains(position) }
            #expect(covering.count == (changes ? 1 : 0), "\(position)")
            if let move = covering.first {
                #expect(move.fromShard == before.shard(forPosition: position))
                #expect(move.toShard == after.shard(forPosition: position))
                moved += 1
            }
        }
        #expect(abs(Double(moved) / Double(samples) - total) < 0.02)
        // Token positions themselves are arc ends and belong to the arc they end.
        for token in after.tokens {
            let changes = before.shard(forPosition: token.token) != after.shard(forPosition: token.token)
            #expect(moves.contains { $0.contains(token.token) } == changes)
        }
    }

    @Test("Removing a shard moves its arcs to the survivors")
    func removeShard() throws {
        let before = try HashRing(shards: ["a", "b", "c"], virtualNodes: 40)
        let after = try HashRing(shards: ["a", "b"], virtualNodes: 40)
        let moves = ringMovement(from: before, to: after)
        #expect(moves.allSatisfy { $0.fromShard == 2 && $0.toShard != 2 })
        let owned = before.tokens.filter { $0.shard == 2 }.count
        #expect(!moves.isEmpty && moves.count <= owned)
    }

    @Test("A one-token ring gaining a shard moves one arc; wrapping arcs and whole-ring moves")
    func wrapping() throws {
        let before = try HashRing(shards: ["a"], virtualNodes: 1)
        let after = try HashRing(shards: ["a", "b"], virtualNodes: 1)
        let moves = ringMovement(from: before, to: after)
        #expect(moves.count == 1)
        let tokenA = HashRing.token(shardName: "a", virtualNode: 0)
        let tokenB = HashRing.token(shardName: "b", virtualNode: 0)
        #expect(moves.first == TokenRangeMove(startExclusive: tokenA, endInclusive: tokenB, fromShard: 0, toShard: 1))
        let expected = Double(UInt64(bitPattern: tokenB &- tokenA)) / 18_446_744_073_709_551_616.0
        #expect(abs((moves.first?.fraction ?? 0) - expected) < 1e-12)

        let wrap = TokenRangeMove(startExclusive: .max - 1, endInclusive: .min + 1, fromShard: 0, toShard: 1)
        #expect(wrap.positionCount == 3)
        #expect(wrap.contains(.max) && wrap.contains(.min) && wrap.contains(.min + 1))
        #expect(!wrap.contains(.max - 1) && !wrap.contains(.min + 2) && !wrap.contains(0))

        let whole = TokenRangeMove(startExclusive: 5, endInclusive: 5, fromShard: 0, toShard: 1)
        #expect(whole.positionCount == nil)
        #expect(whole.fraction == 1)
        #expect(whole.contains(5) && whole.contains(.min))
    }

    @Test("Swapping two shards' indices moves the whole ring")
    func swap() throws {
        let before = try HashRing(shards: ["x", "y"], virtualNodes: 1)
        let after = try HashRing(shards: ["y", "x"], virtualNodes: 1)
        let moves = ringMovement(from: before, to: after)
        #expect(moves.count == 2)
        #expect(Set(moves.map { [$0.fromShard, $0.toShard] }) == [[0, 1], [1, 0]])
        #expect(abs(moves.reduce(0) { $0 + $1.fraction } - 1) < 1e-12)
        let sizes = moves.compactMap(\.positionCount)
        #expect(sizes.count == 2 && sizes[0] &+ sizes[1] == 0)  // the two arcs add up to 2^64
        let many = ringMovement(
            from: try HashRing(shards: ["x", "y"], virtualNodes: 30),
            to: try HashRing(shards: ["y", "x"], virtualNodes: 30))
        #expect(abs(many.reduce(0) { $0 + $1.fraction } - 1) < 1e-9)
        // Adjacent arcs with the same move are merged, so consecutive moves always differ.
        for (first, second) in zip(many, many.dropFirst()) where first.endInclusive == second.startExclusive {
            #expect(first.fromShard != second.fromShard)
        }
    }
}
