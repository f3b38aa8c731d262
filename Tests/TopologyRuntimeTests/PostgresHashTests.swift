import Testing
import TopologyRuntime

@Suite("PostgresHash")
struct PostgresHashTests {
    @Test("hashtextextended matches PostgreSQL 15 for every fixture key and seed")
    func textMatchesServer() throws {
        let fixture = try Fixture.load("hashtextextended.csv")
        let seeds = try fixture.integerColumns(from: 1)
        #expect(seeds.contains(0) && seeds.contains(PostgresHash.partitionSeed) && seeds.count >= 5)
        #expect(fixture.rows.count >= 300)
        var lengths = Set<Int>()
        for row in fixture.rows {
            let bytes = try parseHex(row[0])
            let text = try parseHexString(row[0])
            lengths.insert(bytes.count)
            for (column, seed) in seeds.enumerated() {
                let expected = try parseInt64(row[column + 1])
                #expect(PostgresHash.hashTextExtended(text, seed: seed) == expected, "\(row[0]) seed \(seed)")
                #expect(PostgresHash.hashTextExtended(text[...], seed: seed) == expected)
                #expect(PostgresHash.hashBytesExtended(bytes, seed: seed) == expected)
                let raw = bytes.withUnsafeBytes { PostgresHash.hashBytesExtended($0, seed: seed) }
                #expect(raw == expected)
                // A lazy map is not contiguous, so this takes the streaming path.
                #expect(PostgresHash.hashBytesExtended(bytes.lazy.map { $0 }, seed: seed) == expected)
            }
        }
        // The fixture must cover the empty key, every tail length, exact blocks and long keys.
        for length in [0, 1, 11, 12, 13, 23, 24, 25, 36, 1000] {
            #expect(lengths.contains(length), "no \(length)-byte key in the fixture")
        }
    }

    @Test("hashint8extended matches PostgreSQL 15")
    func int8MatchesServer() throws {
        let fixture = try Fixture.load("hashint8extended.csv")
        let seeds = try fixture.integerColumns(from: 1)
        #expect(fixture.rows.count >= 300)
        var keys = Set<Int64>()
        for row in fixture.rows {
            let key = try parseInt64(row[0])
            keys.insert(key)
            for (column, seed) in seeds.enumerated() {
                let expected = try parseInt64(row[column + 1])
                #expect(PostgresHash.hashInt8Extended(key, seed: seed) == expected, "\(key) seed \(seed)")
                #expect(key.pgHash(seed: seed) == expected)
            }
        }
        for key: Int64 in [0, -1, .min, .max, 1 << 31, -(1 << 31) - 1, Int64(Int32.min), Int64(Int32.max)] {
            #expect(keys.contains(key), "no \(key) in the fixture")
        }
    }

    @Test("hashint4extended matches PostgreSQL 15")
    func int4MatchesServer() throws {
        let fixture = try Fixture.load("hashint4extended.csv")
        let seeds = try fixture.integerColumns(from: 1)
        #expect(fixture.rows.count >= 200)
        for row in fixture.rows {
            let key = try #require(Int32(row[0]))
            for (column, seed) in seeds.enumerated() {
                let expected = try parseInt64(row[column + 1])
                #expect(PostgresHash.hashInt4Extended(key, seed: seed) == expected, "\(key) seed \(seed)")
                #expect(key.pgHash(seed: seed) == expected)
                // PostgreSQL keeps integer hashes compatible across widths.
                #expect(PostgresHash.hashInt8Extended(Int64(key), seed: seed) == expected)
            }
        }
    }

    @Test("hashint2extended matches PostgreSQL 15")
    func int2MatchesServer() throws {
        let fixture = try Fixture.load("hashint2extended.csv")
        let seeds = try fixture.integerColumns(from: 1)
        #expect(fixture.rows.count >= 60)
        for row in fixture.rows {
            let key = try #require(Int16(row[0]))
            for (column, seed) in seeds.enumerated() {
                let expected = try parseInt64(row[column + 1])
                #expect(PostgresHash.hashInt2Extended(key, seed: seed) == expected, "\(key) seed \(seed)")
                #expect(key.pgHash(seed: seed) == expected)
                #expect(PostgresHash.hashInt4Extended(Int32(key), seed: seed) == expected)
            }
        }
    }

    @Test("Known values, independent of the fixture files")
    func knownValues() {
        // select hashtextextended('', 0), hashtextextended('', 1), hashtextextended('abc', 0),
        //        hashtextextended('abcdefghijkl', 0), hashint8extended(1, 0), hashint4extended(1, 0)
        #expect(PostgresHash.hashTextExtended("", seed: 0) == -6_939_563_903_564_495_251)
        #expect(PostgresHash.hashTextExtended("", seed: 1) == -150_071_773_020_461_347)
        #expect(PostgresHash.hashTextExtended("abc", seed: 0) == -6_747_756_470_228_489_321)
        #expect(PostgresHash.hashTextExtended("abcdefghijkl", seed: 0) == -7_556_637_188_122_330_412)
        #expect(PostgresHash.hashInt8Extended(1, seed: 0) == -3_670_598_878_359_251_130)
        #expect(PostgresHash.hashInt4Extended(1, seed: 0) == -3_670_598_878_359_251_130)
        #expect(PostgresHash.hashUInt32Extended(1, seed: 0) == -3_670_598_878_359_251_130)
    }

    @Test("Seed zero skips the seeding step; other seeds change the hash")
    func seedHandling() {
        let unseeded = PostgresHash.hashTextExtended("key", seed: 0)
        #expect(PostgresHash.hashTextExtended("key", seed: 1) != unseeded)
        // Only the high half of the seed goes into `a`, only the low half into `b`.
        #expect(PostgresHash.hashTextExtended("key", seed: 1 << 32) != PostgresHash.hashTextExtended("key", seed: 1))
    }

    @Test("The word-wise tail gives the byte-by-byte answer for every length and alignment")
    func tailWordsEqualBytes() {
        // The streaming path (a lazy map is not contiguous) adds the tail byte by byte; the
        // contiguous path reads it in words. Each key sits at four alignments inside a larger
        // buffer whose other bytes differ, so a load outside the key would change the answer.
        var generator: UInt64 = 0x2545_F491_4F6C_DD1D
        func nextByte() -> UInt8 {
            generator = generator &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: generator >> 33)
        }
        for length in 0...40 {
            for _ in 0..<50 {
                let key = (0..<length).map { _ in nextByte() }
                let expected = PostgresHash.hashBytesExtended(key.lazy.map { $0 }, seed: 0)
                for alignment in 0..<4 {
                    let buffer = (0..<alignment).map { _ in nextByte() } + key + (0..<8).map { _ in nextByte() }
                    let hash = buffer.withUnsafeBytes {
                        PostgresHash.hashBytesExtended(UnsafeRawBufferPointer(rebasing: $0[alignment..<(alignment + length)]), seed: 0)
                    }
                    #expect(hash == expected, "length \(length), alignment \(alignment)")
                }
            }
        }
    }
}
