extension PostgresHash {
    /// `HASH_PARTITION_SEED` (`0x7A5B22367996DCFD`): the seed PostgreSQL passes to every column's
    /// extended hash function when routing a row of a `PARTITION BY HASH` table.
    public static let partitionSeed: Int64 = 0x7A5B_2236_7996_DCFD

    /// `hash_combine64`: folds one column's hash into the row hash of a hash-partitioned table.
    ///
    /// PostgreSQL starts from a row hash of 0 and combines, in partition-key order, the
    /// `partitionSeed`-seeded hash of every non-NULL key column (NULL columns are skipped).
    ///
    /// - Parameters:
    ///   - rowHash: The row hash so far (0 before the first column).
    ///   - columnHash: The column's extended hash with seed `partitionSeed`, as SQL shows it.
    /// - Returns: The new row hash.
    public static func combinePartitionHash(_ rowHash: UInt64, with columnHash: Int64) -> UInt64 {
        let hash = UInt64(bitPattern: columnHash)
        return rowHash ^ (hash &+ 0x49A0_F4DD_15E5_A8E3 &+ (rowHash &<< 54) &+ (rowHash &>> 7))
    }

    /// The partition remainder of a row hash: `rowHash % modulus`, computed unsigned as
    /// PostgreSQL does.
    ///
    /// - Precondition: `modulus > 0`.
    /// - Parameters:
    ///   - rowHash: A row hash built with `combinePartitionHash(_:with:)`.
    ///   - modulus: The `MODULUS` of the hash partitions.
    /// - Returns: The `REMAINDER` of the partition the row belongs to, in `0..<modulus`.
    public static func partitionRemainder(rowHash: UInt64, modulus: Int) -> Int {
        precondition(modulus > 0, "hash partition modulus must be positive")
        return Int(truncatingIfNeeded: rowHash % UInt64(truncatingIfNeeded: modulus))
    }

    /// The `REMAINDER` of the partition that a single-column `PARTITION BY HASH (key)` table with
    /// `MODULUS modulus` routes `key` to.
    ///
    /// The key's type picks the hash function (`smallint`, `integer`, `bigint` or `text`), exactly
    /// as the column's type does in PostgreSQL. For multi-column keys use `PartitionHasher`.
    ///
    /// - Precondition: `modulus > 0`.
    /// - Parameters:
    ///   - key: The non-NULL partition-key value.
    ///   - modulus: The `MODULUS` of the hash partitions.
    /// - Returns: The remainder in `0..<modulus`.
    public static func hashPartition<Key: ShardKey>(remainderFor key: Key, modulus: Int) -> Int {
        let rowHash = combinePartitionHash(0, with: key.pgHash(seed: partitionSeed))
        return partitionRemainder(rowHash: rowHash, modulus: modulus)
    }
}
