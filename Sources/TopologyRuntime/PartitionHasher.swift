/// Computes PostgreSQL's hash-partition routing for a multi-column partition key, one column at a
/// time, without allocating.
///
/// Combine the columns in the order they appear in `PARTITION BY HASH (...)`, passing `nil` for
/// NULL values, then ask for the remainder:
///
/// ```swift
/// var hasher = PartitionHasher()
/// hasher.combine(tenantID as Int32?)
/// hasher.combine(region as String?)
/// let remainder = hasher.remainder(modulus: 16)
/// ```
public struct PartitionHasher: Sendable, Hashable {
    /// The row hash so far (0 until a non-NULL column is combined).
    public private(set) var rowHash: UInt64

    /// Creates a hasher for a row with no columns combined yet.
    public init() {
        rowHash = 0
    }

    /// Combines the next partition-key column; a `nil` (NULL) value is skipped, as in PostgreSQL.
    ///
    /// - Parameter value: The column value, or `nil` for NULL.
    public mutating func combine<Key: ShardKey>(_ value: Key?) {
        if let value {
            rowHash = PostgresHash.combinePartitionHash(rowHash, with: value.pgHash(seed: PostgresHash.partitionSeed))
        }
    }

    /// The `REMAINDER` of the partition the row belongs to.
    ///
    /// - Precondition: `modulus > 0`.
    /// - Parameter modulus: The `MODULUS` of the hash partitions.
    /// - Returns: The remainder in `0..<modulus`.
    public func remainder(modulus: Int) -> Int {
        PostgresHash.partitionRemainder(rowHash: rowHash, modulus: modulus)
    }
}
