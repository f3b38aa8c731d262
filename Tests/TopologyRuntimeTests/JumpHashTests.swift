import Testing

@testable import TopologyRuntime

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
    /// Lamping and Veach's loop as the paper writes it: the answers `JumpHash` must keep.
    static func referenceBucket(for key: UInt64, buckets: Int) -> Int {
        var key = key
        var bucket: Int64 = -1
        var next: Int64 = 0
        while next < Int64(buckets) {
            bucket = next
            key = key &* 2_862_933_555_777_941_757 &+ 1
            next = Int64(Double(bucket + 1) * (Double(Int64(1) << 31) / Double((key >> 33) + 1)))
        }
        return Int(bucket)
    }

    /// Keys whose chain, followed past the buckets without a cap, would pass `Int64.max` within
    /// the unconditional steps (its conversion to `Int64` would trap). Found by choosing the
    /// generator's first state below `2^33` (a first jump of `2^31`) and inverting the generator.
    static let chainsPastInt64: [UInt64] = [
        1_163_058_954_138_415_448, 6_636_318_879_224_270_492, 6_593_863_311_444_377_273,
        13_203_695_325_581_598_749, 16_391_993_598_546_056_152, 767_323_798_287_237_641,
    ]

    @Test("Every bucket count from 1 to 300 and large ones answer as the reference loop")
    func sameAsReferenceLoop() {
        var generator = SplitMix64(seed: 17)
        let keys = (0..<2_000).map { _ in generator.next() } + [0, 1, UInt64.max, 1 << 63] + Self.chainsPastInt64
        let counts = Array(1...300) + [511, 512, 513, 1_000, 4_096, 65_536, 1 << 20, Int(Int32.max)]
        var mismatches = 0
        var firstMismatches: [String] = []
        for buckets in counts {
            for key in keys where JumpHash.bucket(for: key, buckets: buckets) != Self.referenceBucket(for: key, buckets: buckets) {
                mismatches += 1
                if firstMismatches.count < 10 { firstMismatches.append("\(key) over \(buckets)") }
            }
        }
        #expect(mismatches == 0, "\(firstMismatches)")
    }

    @Test("A million keys over 16 buckets answer as the reference loop")
    func millionKeysAtSixteen() {
        var generator = SplitMix64(seed: 29)
        var mismatches = 0
        for _ in 0..<1_000_000 {
            let key = generator.next()
            if JumpHash.bucket(for: key, buckets: 16) != Self.referenceBucket(for: key, buckets: 16) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test("A chain that would pass Int64.max past the buckets is capped, not trapped")
    func chainPastInt64IsCapped() {
        let buckets = 1 << 20
        for key in Self.chainsPastInt64 {
            var state = key
            var next = 0.0
            for _ in 0..<JumpHash.unconditionalSteps(buckets: buckets) {
                state = state &* 2_862_933_555_777_941_757 &+ 1
                next = ((next + 1) * (Double(Int64(1) << 31) / Double((state >> 33) + 1))).rounded(.down)
            }
            #expect(next >= 0x1p63, "\(key) no longer reaches Int64.max uncapped")
            #expect(JumpHash.bucket(for: key, buckets: buckets) == Self.referenceBucket(for: key, buckets: buckets))
            // Over 16 buckets the five unconditional steps stop short of the cap: the same keys,
            // checked where the chain is not capped.
            #expect(JumpHash.bucket(for: key, buckets: 16) == Self.referenceBucket(for: key, buckets: 16))
        }
    }

    @Test("The unconditional steps follow the bucket count's logarithm, from 3 to 16")
    func unconditionalSteps() {
        let steps = [1, 2, 4, 8, 9, 16, 17, 64, 128, 1 << 20, Int(Int32.max)].map(JumpHash.unconditionalSteps(buckets:))
        #expect(steps == [3, 3, 3, 4, 5, 5, 6, 7, 8, 16, 16])
    }
}
