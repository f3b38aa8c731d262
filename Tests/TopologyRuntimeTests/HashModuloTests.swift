import Testing
import TopologyRuntime

@Suite("HashModulo")
struct HashModuloTests {
    @Test("Results are the partition remainder, in range, and reasonably balanced")
    func remainderAndBalance() {
        let strategy = HashModulo(shards: 7)
        #expect(strategy.shardCount == 7)
        var counts = [Int](repeating: 0, count: 7)
        for key in Int64(0)..<70_000 {
            let shard = strategy.shard(for: key)
            #expect(shard == PostgresHash.hashPartition(remainderFor: key, modulus: 7))
            counts[shard] += 1
        }
        for count in counts {
            #expect(abs(count - 10_000) < 600, "\(counts)")
        }
    }

    @Test("One shard owns everything")
    func singleShard() {
        let strategy = HashModulo(shards: 1)
        for key in ["", "a", "日本語"] {
            #expect(strategy.shard(for: key) == 0)
        }
        #expect(strategy.shard(for: Int64.min) == 0)
    }

    @Test("Known partitions: 'user-1'..'user-3' and 1...3 with MODULUS 16")
    func knownPartitions() throws {
        // From the partition fixtures, re-checked here as literals:
        // select tableoid::regclass, k from part_int8 where k in (1, 2, 3)
        let fixture = try Fixture.load("partition_int8.csv")
        let expected = Dictionary(
            uniqueKeysWithValues: try fixture.rows.prefix(3).map { (try parseInt64($0[0]), try #require(Int($0[1]))) })
        #expect(expected[0] == 0 && expected[1] == 8)
        let strategy = HashModulo(shards: 16)
        #expect(strategy.shard(for: Int64(0)) == 0)
        #expect(strategy.shard(for: Int64(1)) == 8)
    }
}
