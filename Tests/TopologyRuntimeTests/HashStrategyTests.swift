import Testing
import TopologyRuntime

@Suite("HashStrategy")
struct HashStrategyTests {
    @Test("Each kind builds the matching strategy")
    func kinds() throws {
        let names = ["a", "b", "c", "d"]
        let modulo = try HashStrategy(.modulo, shardNames: names)
        let ring = try HashStrategy(.ring(virtualNodes: 16), shardNames: names)
        let jump = try HashStrategy(.jump, shardNames: names)
        #expect(modulo == .modulo(HashModulo(shards: 4)))
        #expect(ring == .ring(try HashRing(shards: names, virtualNodes: 16)))
        #expect(jump == .jump(JumpHash(shards: 4)))
        let strategies: [any ShardStrategy] = [modulo, ring, jump]
        for key in ["", "x", "tenant-7", "日本語"] {
            #expect(modulo.shard(for: key) == HashModulo(shards: 4).shard(for: key))
            #expect(ring.shard(for: key) == (try HashRing(shards: names, virtualNodes: 16)).shard(for: key))
            #expect(jump.shard(for: key) == JumpHash(shards: 4).shard(for: key))
            for strategy in strategies {
                #expect(strategy.shardCount == 4)
                #expect((0..<4).contains(strategy.shard(for: key)))
            }
        }
        #expect(throws: HashRingError.noShards) { try HashStrategy(.jump, shardNames: []) }
    }
}
