import Testing

@testable import TopologyRuntime

/// `RingPlacement.balanced`: equal shares, movement only to an added shard, existing tokens kept.
@Suite("Balanced ring placement")
struct BalancedTokensTests {
    /// Each shard's share of the ring, from the arcs its tokens own, relative to the mean.
    static func shares(_ ring: HashRing) -> [Double] {
        var owned = [Double](repeating: 0, count: ring.shardCount)
        for (index, token) in ring.tokens.enumerated() {
            let previous = ring.tokens[(index + ring.tokens.count - 1) % ring.tokens.count].token
            let arc = UInt64(bitPattern: token.token &- previous)
            owned[token.shard] += arc == 0 ? 0x1p64 : Double(arc)
        }
        return owned.map { $0 / (0x1p64 / Double(ring.shardCount)) }
    }

    @Test("1,000,000 keys over 16 shards at 150 virtual nodes: the fullest within 1.05 of the mean")
    func keyBalance() throws {
        let ring = try HashRing(shards: (0..<16).map { "s\($0)" }, virtualNodes: 150, placement: .balanced)
        var counts = [Int](repeating: 0, count: 16)
        for key in Int64(0)..<1_000_000 { counts[ring.shard(for: key)] += 1 }
        let mean = 1_000_000.0 / 16
        let fullest = Double(counts.max() ?? 0) / mean
        #expect(fullest <= 1.05, "max/mean \(fullest)")
        #expect(Double(counts.min() ?? 0) / mean >= 0.95)
    }

    @Test("shares of the ring within 1% of the mean", arguments: [(2, 1), (3, 7), (16, 150), (17, 150), (100, 20), (333, 8)])
    func ringShares(shards: Int, virtualNodes: Int) throws {
        let ring = try HashRing(shards: (0..<shards).map { "s\($0)" }, virtualNodes: virtualNodes, placement: .balanced)
        let shares = Self.shares(ring)
        let limit = 1 + 1.0 / Double(virtualNodes) + 0.01
        #expect((shares.max() ?? 0) <= limit, "max share \(shares.max() ?? 0)")
        #expect((shares.min() ?? 0) >= 2 - limit, "min share \(shares.min() ?? 0)")
    }

    @Test("adding a shard keeps every token, so keys move only to it and only its share", arguments: [1, 15, 16, 63])
    func addingAShard(before: Int) throws {
        let old = try HashRing(shards: (0..<before).map { "s\($0)" }, virtualNodes: 150, placement: .balanced)
        let new = try HashRing(shards: (0...before).map { "s\($0)" }, virtualNodes: 150, placement: .balanced)
        #expect(Set(old.tokens).isSubset(of: Set(new.tokens)))
        #expect(new.tokens.count - old.tokens.count == 150)
        var moved = 0
        var elsewhere = 0
        for key in Int64(0)..<200_000 {
            let from = old.shard(for: key)
            let to = new.shard(for: key)
            if from != to {
                moved += 1
                if to != before { elsewhere += 1 }
            }
        }
        #expect(elsewhere == 0)
        let optimum = 200_000.0 / Double(before + 1)
        #expect(Double(moved) <= optimum * 1.05, "moved \(moved), optimum \(optimum)")
        #expect(Double(moved) >= optimum * 0.95, "moved \(moved), optimum \(optimum)")
    }

    @Test("every shard owns exactly its virtual nodes, at distinct positions, the same every time")
    func shape() throws {
        for (shards, nodes) in [(1, 1), (1, 5), (2, 1), (7, 3), (40, 150)] {
            let names = (0..<shards).map { "s\($0)" }
            let ring = try HashRing(shards: names, virtualNodes: nodes, placement: .balanced)
            #expect(ring.tokens.count == shards * nodes)
            #expect(Set(ring.tokens.map(\.token)).count == ring.tokens.count, "\(shards)x\(nodes): distinct positions")
            for shard in 0..<shards {
                #expect(ring.tokens.filter { $0.shard == shard }.count == nodes)
            }
            #expect(try HashRing(shards: names, virtualNodes: nodes, placement: .balanced) == ring)
            // What generated code embeds must come back as the same ring.
            let embedded = try HashRing(
                shardNames: names, virtualNodes: nodes, tokens: ring.tokens.map(\.token), owners: ring.tokens.map(\.shard))
            #expect(embedded == ring)
        }
    }

    /// Data is placed by these tokens: they must never change. Pinned for a small ring, and by a
    /// checksum of every token of a 64 x 150 ring.
    @Test("the tokens are a contract: pinned values")
    func pinned() throws {
        let small = try HashRing(shards: ["a", "b", "c"], virtualNodes: 4, placement: .balanced)
        let expected: [(Int64, Int)] = [
            (-9_223_372_036_854_775_808, 0), (-7_686_143_364_045_646_507, 2), (-6_917_529_027_641_081_857, 1),
            (-5_380_300_354_831_952_556, 2), (-4_611_686_018_427_387_905, 0), (-2_305_843_009_213_693_954, 1), (-2, 0),
            (2_305_843_009_213_693_949, 1), (4_611_686_018_427_387_901, 0), (6_148_914_691_236_517_202, 2),
            (6_917_529_027_641_081_852, 1), (8_454_757_700_450_211_153, 2),
        ]
        #expect(small.tokens.map(\.token) == expected.map(\.0))
        #expect(small.tokens.map(\.shard) == expected.map(\.1))
        let large = try HashRing(shards: (0..<64).map { "s\($0)" }, virtualNodes: 150, placement: .balanced)
        var checksum: UInt64 = 1_469_598_103_934_665_603
        for token in large.tokens {
            checksum = (checksum ^ UInt64(bitPattern: token.token)) &* 1_099_511_628_211
            checksum = (checksum ^ UInt64(token.shard)) &* 1_099_511_628_211
        }
        #expect(checksum == 3_463_527_649_003_756_774)
    }

    @Test(
        "the heaps place every token where the rule's plain searches do",
        arguments: [(1, 1), (2, 1), (3, 1), (5, 2), (7, 3), (16, 150), (17, 150), (40, 7), (100, 20), (257, 4), (333, 8), (64, 1)])
    func sameAsTheRule(shards: Int, virtualNodes: Int) {
        let placed = BalancedTokens.make(shardCount: shards, virtualNodes: virtualNodes)
        let reference = ReferenceBalancedTokens.make(shardCount: shards, virtualNodes: virtualNodes)
        let differ = placed.indices.first { $0 >= reference.count || placed[$0] != reference[$0] }
        #expect(placed.count == reference.count && differ == nil, "\(shards) x \(virtualNodes): first difference at \(differ ?? -1)")
    }

    @Test("the names do not matter, the count and the virtual nodes do; hashed rings are unchanged")
    func independentOfNames() throws {
        let a = try HashRing(shards: ["a", "b", "c"], virtualNodes: 10, placement: .balanced)
        let b = try HashRing(shards: ["x", "y", "z"], virtualNodes: 10, placement: .balanced)
        #expect(a.tokens == b.tokens)
        let hashed = try HashRing(shards: ["a", "b", "c"], virtualNodes: 10)
        #expect(hashed == (try HashRing(shards: ["a", "b", "c"], virtualNodes: 10, placement: .hashed)))
        #expect(hashed.tokens.contains { $0.shard == 0 && $0.token == HashRing.token(shardName: "a", virtualNode: 0) })
    }
}
