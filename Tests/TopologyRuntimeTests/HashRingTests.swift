import Testing
import TopologyRuntime

@Suite("HashRing")
struct HashRingTests {
    /// The owner of `position` by a linear scan: the first token >= position, else the first.
    private func referenceOwner(_ ring: HashRing, _ position: Int64) -> Int {
        ring.tokens.first { $0.token >= position }?.shard ?? ring.tokens[0].shard
    }

    @Test("Tokens are hashtextextended(name#v, 0), sorted, shards.count * virtualNodes of them")
    func tokens() throws {
        let ring = HashRing(shards: 4, virtualNodes: 150)
        #expect(ring.shardNames == ["shard0", "shard1", "shard2", "shard3"])
        #expect(ring.tokens.count == 600)
        #expect(zip(ring.tokens, ring.tokens.dropFirst()).allSatisfy { ($0.token, $0.shard) <= ($1.token, $1.shard) })
        for shard in 0..<4 {
            #expect(ring.tokens.filter { $0.shard == shard }.count == 150)
        }
        // select hashtextextended('shard0#0', 0), hashtextextended('shard1#149', 0), ...
        #expect(HashRing.token(shardName: "shard0", virtualNode: 0) == 4_776_365_367_989_176_068)
        #expect(HashRing.token(shardName: "shard1", virtualNode: 149) == 5_855_213_654_104_830_112)
        #expect(HashRing.token(shardName: "eu-west-1", virtualNode: 7) == -4_321_467_660_396_721_894)
        #expect(ring.tokens.contains(HashRing.Token(token: 4_776_365_367_989_176_068, shard: 0)))
        #expect(ring.tokens.contains(HashRing.Token(token: 5_855_213_654_104_830_112, shard: 1)))
    }

    @Test("Placement matches the same ring computed in SQL")
    func matchesSQL() {
        // with tokens as (select s shard, hashtextextended('shard'||s||'#'||v, 0) token
        //                 from generate_series(0,3) s, generate_series(0,9) v)
        // select coalesce((select shard from tokens where token >= hashint8extended(k, 0)
        //                  order by token, shard limit 1), <first token's shard>) ...
        let ring = HashRing(shards: 4, virtualNodes: 10)
        let intOwners = [2, 3, 1, 3, 1, 2, 2, 1, 2, 2, 3, 1, 2, 1, 3, 0, 3, 3, 1, 0, 0, 1, 1, 2]
        #expect((1...24).map { ring.shard(for: Int64($0)) } == intOwners)
        // Same, keyed by hashtextextended(k, 0).
        let names = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "日本", "🎉"]
        #expect(names.map { ring.shard(for: $0) } == [0, 1, 0, 3, 1, 1, 1, 1, 1, 3])
    }

    @Test("Lookup agrees with a linear scan, including exact tokens and both ends")
    func lookupMatchesScan() {
        let ring = HashRing(shards: 5, virtualNodes: 20)
        var positions: [Int64] = [.min, .max, 0, -1, 1]
        for token in ring.tokens {
            positions += [token.token, token.token &- 1, token.token &+ 1]
        }
        var generator = SplitMix64(seed: 1)
        for _ in 0..<2_000 {
            positions.append(Int64(bitPattern: generator.next()))
        }
        for position in positions {
            #expect(ring.shard(forPosition: position) == referenceOwner(ring, position), "\(position)")
        }
        // Beyond the last token the ring wraps to the first.
        if let last = ring.tokens.last, last.token < .max {
            #expect(ring.tokenIndex(forPosition: last.token + 1) == 0)
        }
        #expect(ring.shard(for: "key") == ring.shard(forPosition: PostgresHash.hashTextExtended("key", seed: 0)))
        #expect(ring.shard(for: Int32(5)) == ring.shard(forPosition: PostgresHash.hashInt4Extended(5, seed: 0)))
    }

    @Test("Rings are deterministic")
    func deterministic() throws {
        let names = ["pg-a", "pg-b", "pg-c"]
        let first = try HashRing(shards: names, virtualNodes: 64)
        let second = try HashRing(shards: names, virtualNodes: 64)
        #expect(first == second)
        #expect(first.tokens == second.tokens)
        #expect(first.shardCount == 3)
        #expect(first.virtualNodes == 64)
    }

    @Test("150 virtual nodes balance 100k keys within 25% of the mean")
    func balance() {
        let ring = HashRing(shards: 8, virtualNodes: 150)
        var counts = [Int](repeating: 0, count: 8)
        for key in Int64(0)..<100_000 {
            counts[ring.shard(for: key)] += 1
        }
        let mean = 100_000.0 / 8
        for count in counts {
            #expect(abs(Double(count) - mean) / mean < 0.25, "\(counts)")
        }
    }

    @Test("Adding a ninth shard moves about 1/9 of the keys, all to the new shard")
    func addingShardMovesFewKeys() {
        let before = HashRing(shards: 8, virtualNodes: 150)
        let after = HashRing(shards: 9, virtualNodes: 150)
        var moved = 0
        for index in 0..<100_000 {
            let key = "user-\(index)"
            let old = before.shard(for: key)
            let new = after.shard(for: key)
            if old != new {
                moved += 1
                #expect(new == 8)
            }
        }
        let fraction = Double(moved) / 100_000
        #expect(fraction > 1.0 / 9 * 0.6 && fraction < 1.0 / 9 * 1.4, "moved \(fraction)")
    }

    @Test("Invalid rings are rejected")
    func errors() {
        #expect(throws: HashRingError.noShards) { try HashRing(shards: [], virtualNodes: 10) }
        #expect(throws: HashRingError.invalidVirtualNodeCount(0)) { try HashRing(shards: ["a"], virtualNodes: 0) }
        #expect(throws: HashRingError.duplicateShardName("b")) {
            try HashRing(shards: ["a", "b", "b"], virtualNodes: 1)
        }
    }

    /// The bucket index answers exactly as a binary search over the tokens: for random positions,
    /// for every token and its neighbours, and at both ends of the ring, on rings of every shape.
    @Test(
        "The bucket index gives the binary search's owner for every position", arguments: [(1, 1), (3, 1), (16, 150), (100, 7), (5, 1000)])
    func bucketIndexMatchesBinarySearch(shards: Int, virtualNodes: Int) {
        let ring = HashRing(shards: shards, virtualNodes: virtualNodes)
        var positions: [Int64] = [.min, .min + 1, -1, 0, 1, .max - 1, .max]
        for token in ring.tokens {
            positions += [token.token, token.token &- 1, token.token &+ 1]
        }
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        for _ in 0..<100_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            positions.append(Int64(bitPattern: state))
        }
        var mismatches = 0
        for position in positions {
            let searched = ring.tokenIndexBySearch(forPosition: position)
            if ring.tokenIndex(forPosition: position) != searched || ring.shard(forPosition: position) != ring.tokens[searched].shard {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
        #expect(ring.shard(forPosition: .max) == referenceOwner(ring, .max))
    }

    /// Tokens at the ends of the ring and several in one bucket: the index's sentinel (past the
    /// last token) must neither hide a token at `Int64.max` nor stop a step inside a bucket.
    @Test("The bucket index at the ends of the ring and with several tokens in one bucket")
    func bucketIndexAtTheEdges() throws {
        let ring = try HashRing(
            shardNames: ["a", "b", "c", "d", "e"], virtualNodes: 1, tokens: [.min, -5, -4, -3, .max], owners: [0, 1, 2, 3, 4])
        let expected: [(Int64, Int)] = [
            (.min, 0), (.min + 1, 1), (-6, 1), (-5, 1), (-4, 2), (-3, 3), (-2, 4), (0, 4), (.max - 1, 4), (.max, 4),
        ]
        for (position, owner) in expected {
            #expect(ring.shard(forPosition: position) == owner, "position \(position)")
            #expect(ring.tokenIndex(forPosition: position) == ring.tokenIndexBySearch(forPosition: position), "position \(position)")
        }
        let wrapping = try HashRing(shardNames: ["a", "b"], virtualNodes: 1, tokens: [-10, 10], owners: [1, 0])
        #expect(wrapping.shard(forPosition: 11) == 1)
        #expect(wrapping.shard(forPosition: .max) == 1)
        #expect(wrapping.tokenIndex(forPosition: .max) == 0)
    }
}
