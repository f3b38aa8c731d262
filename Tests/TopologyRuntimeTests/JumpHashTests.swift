import Testing
import TopologyRuntime

@Suite("JumpHash")
struct JumpHashTests {
    @Test("Published test vectors of JumpConsistentHash")
    func knownVectors() {
        let vectors: [(key: UInt64, buckets: Int, bucket: Int)] = [
            (1, 1, 0), (42, 57, 43), (256, 1024, 520), (0xDEAD_10CC, 1, 0), (0xDEAD_10CC, 666, 361),
            (16_045_690_984_833_335_023, 255, 237), (0, 60, 0), (1, 60, 55), (2, 60, 46),
        ]
        for vector in vectors {
            #expect(JumpHash.bucket(for: vector.key, buckets: vector.buckets) == vector.bucket, "\(vector)")
        }
    }

    @Test("Keys are hashed with their unseeded PostgreSQL hash first")
    func usesPostgresHash() {
        let strategy = JumpHash(shards: 13)
        #expect(strategy.shardCount == 13)
        for key in Int64(-50)..<50 {
            let expected = JumpHash.bucket(
                for: UInt64(bitPattern: PostgresHash.hashInt8Extended(key, seed: 0)), buckets: 13)
            #expect(strategy.shard(for: key) == expected)
        }
        let text = "tenant-42"
        #expect(
            strategy.shard(for: text)
                == JumpHash.bucket(for: UInt64(bitPattern: PostgresHash.hashTextExtended(text, seed: 0)), buckets: 13))
    }

    @Test("Results are in range and balanced")
    func rangeAndBalance() {
        for shards in [1, 2, 3, 10, 1_000] {
            let strategy = JumpHash(shards: shards)
            for key in Int64(0)..<2_000 {
                #expect((0..<shards).contains(strategy.shard(for: key)))
            }
        }
        let strategy = JumpHash(shards: 10)
        var counts = [Int](repeating: 0, count: 10)
        for key in Int64(0)..<100_000 {
            counts[strategy.shard(for: key)] += 1
        }
        for count in counts {
            #expect(abs(count - 10_000) < 500, "\(counts)")
        }
    }

    @Test("Growing from n to n + 1 shards moves about 1/(n + 1) of the keys, only to the new shard")
    func monotone() {
        var generator = SplitMix64(seed: 3)
        let keys = (0..<50_000).map { _ in generator.next() }
        for shards in [1, 4, 9, 31] {
            var moved = 0
            for key in keys {
                let old = JumpHash.bucket(for: key, buckets: shards)
                let new = JumpHash.bucket(for: key, buckets: shards + 1)
                if old != new {
                    moved += 1
                    #expect(new == shards)
                }
            }
            let expected = 1.0 / Double(shards + 1)
            #expect(abs(Double(moved) / Double(keys.count) - expected) < expected * 0.1, "\(shards): \(moved)")
        }
    }
}
