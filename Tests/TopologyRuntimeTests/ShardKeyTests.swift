import Testing
import TopologyRuntime

@Suite("ShardKey")
struct ShardKeyTests {
    @Test("Each key type uses its PostgreSQL type's hash function")
    func typeMapping() {
        for seed: Int64 in [0, 42, PostgresHash.partitionSeed] {
            #expect(Int16(-7).pgHash(seed: seed) == PostgresHash.hashInt2Extended(-7, seed: seed))
            #expect(Int32(123_456).pgHash(seed: seed) == PostgresHash.hashInt4Extended(123_456, seed: seed))
            #expect(Int64.min.pgHash(seed: seed) == PostgresHash.hashInt8Extended(.min, seed: seed))
            #expect(Int.max.pgHash(seed: seed) == PostgresHash.hashInt8Extended(.max, seed: seed))
            #expect("héllo".pgHash(seed: seed) == PostgresHash.hashTextExtended("héllo", seed: seed))
            let sentence = "say héllo world"
            let word = sentence.dropFirst(4).prefix(5)
            #expect(word.pgHash(seed: seed) == "héllo".pgHash(seed: seed))
        }
    }

    @Test("ShardKeyValue hashes like the value it wraps")
    func dynamicValues() {
        let cases: [(ShardKeyValue, Int64)] = [
            (.int2(-32_768), PostgresHash.hashInt2Extended(-32_768, seed: 9)),
            (.int4(.max), PostgresHash.hashInt4Extended(.max, seed: 9)),
            (.int8(1 << 40), PostgresHash.hashInt8Extended(1 << 40, seed: 9)),
            (.text("日本語"), PostgresHash.hashTextExtended("日本語", seed: 9)),
        ]
        for (value, expected) in cases {
            #expect(value.pgHash(seed: 9) == expected)
        }
    }

    @Test("Integer widths agree for values that fit, and differ beyond")
    func crossWidth() {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<1_000 {
            let value = Int32(truncatingIfNeeded: generator.next())
            #expect(value.pgHash(seed: 0) == Int64(value).pgHash(seed: 0))
            #expect(
                Int16(truncatingIfNeeded: value).pgHash(seed: 3)
                    == Int64(Int16(truncatingIfNeeded: value)).pgHash(seed: 3))
        }
        // bigint folds its high half into the low word, so these collide by design.
        #expect(Int64(1 << 32).pgHash(seed: 0) == Int64(1).pgHash(seed: 0))
        #expect(Int64(1 << 32 | 1).pgHash(seed: 0) == Int64(0).pgHash(seed: 0))
    }
}
