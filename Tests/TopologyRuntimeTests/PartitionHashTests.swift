import Testing
import TopologyRuntime

@Suite("Hash partitioning")
struct PartitionHashTests {
    @Test("The partition seed is HASH_PARTITION_SEED")
    func seed() {
        #expect(PostgresHash.partitionSeed == 0x7A5B_2236_7996_DCFD)
        #expect(PostgresHash.partitionSeed == 8_816_678_312_871_386_365)
    }

    @Test("Combining into an empty row adds the constant")
    func combineFromZero() {
        let hash: Int64 = -3_670_598_878_359_251_130
        #expect(PostgresHash.combinePartitionHash(0, with: hash) == UInt64(bitPattern: hash) &+ 0x49A0_F4DD_15E5_A8E3)
        let row: UInt64 = 0x0123_4567_89AB_CDEF
        let expected = row ^ (UInt64(bitPattern: hash) &+ 0x49A0_F4DD_15E5_A8E3 &+ (row << 54) &+ (row >> 7))
        #expect(PostgresHash.combinePartitionHash(row, with: hash) == expected)
    }

    @Test("Remainders are unsigned")
    func unsignedRemainder() {
        #expect(PostgresHash.partitionRemainder(rowHash: .max, modulus: 10) == 5)
        #expect(PostgresHash.partitionRemainder(rowHash: 1 << 63, modulus: 3) == 2)
        #expect(PostgresHash.partitionRemainder(rowHash: 12_345, modulus: 1) == 0)
    }

    @Test("int8 keys land in the partition PostgreSQL 15 put them in")
    func int8Partitions() throws {
        let fixture = try Fixture.load("partition_int8.csv")
        let moduli = try fixture.integerColumns(from: 1).map(Int.init)
        #expect(moduli.first == 16)
        #expect(fixture.rows.count >= 500)
        for row in fixture.rows {
            let key = try parseInt64(row[0])
            for (column, modulus) in moduli.enumerated() {
                let expected = try #require(Int(row[column + 1]))
                #expect(
                    PostgresHash.hashPartition(remainderFor: key, modulus: modulus) == expected, "\(key) % \(modulus)")
                #expect(HashModulo(shards: modulus).shard(for: key) == expected)
                // An integer column with the same value routes identically.
                if let narrow = Int32(exactly: key) {
                    #expect(PostgresHash.hashPartition(remainderFor: narrow, modulus: modulus) == expected)
                }
            }
        }
    }

    @Test("text keys land in the partition PostgreSQL 15 put them in")
    func textPartitions() throws {
        let fixture = try Fixture.load("partition_text.csv")
        let moduli = try fixture.integerColumns(from: 1).map(Int.init)
        #expect(moduli.first == 16)
        #expect(fixture.rows.count >= 500)
        for row in fixture.rows {
            let key = try parseHexString(row[0])
            for (column, modulus) in moduli.enumerated() {
                let expected = try #require(Int(row[column + 1]))
                #expect(PostgresHash.hashPartition(remainderFor: key, modulus: modulus) == expected, "\(row[0])")
                #expect(HashModulo(shards: modulus).shard(for: key) == expected)
                #expect(HashModulo(shards: modulus).shard(for: ShardKeyValue.text(key)) == expected)
            }
        }
    }

    @Test("(int4, text, int8) keys with NULLs land where PostgreSQL 15 put them")
    func multiColumnPartitions() throws {
        let fixture = try Fixture.load("partition_multi.csv")
        #expect(fixture.header.prefix(3) == ["a", "b_hex", "c"])
        let moduli = try fixture.integerColumns(from: 3).map(Int.init)
        #expect(fixture.rows.count >= 300)
        var nulls = 0
        for row in fixture.rows {
            let a = row[0] == "NULL" ? nil : Int32(try parseInt64(row[0]))
            let b = row[1] == "NULL" ? nil : try parseHexString(row[1])
            let c = row[2] == "NULL" ? nil : try parseInt64(row[2])
            nulls += [a == nil, b == nil, c == nil].filter { $0 }.count
            var hasher = PartitionHasher()
            hasher.combine(a)
            hasher.combine(b)
            hasher.combine(c)
            for (column, modulus) in moduli.enumerated() {
                let expected = try #require(Int(row[column + 3]))
                #expect(hasher.remainder(modulus: modulus) == expected, "\(row)")
            }
        }
        #expect(nulls > 50)
    }

    @Test("An all-NULL key goes to remainder 0")
    func allNull() {
        var hasher = PartitionHasher()
        hasher.combine(Int64?.none)
        hasher.combine(String?.none)
        #expect(hasher.rowHash == 0)
        #expect(hasher.remainder(modulus: 7) == 0)
    }
}
