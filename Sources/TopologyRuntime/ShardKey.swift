/// A value that can be a shard or partition key, hashed with the PostgreSQL extended hash
/// function of its column type.
///
/// The standard library conformances map Swift types to PostgreSQL types as follows:
///
/// | Swift                 | PostgreSQL | hash function       |
/// |-----------------------|------------|---------------------|
/// | `Int16`               | `smallint` | `hashint2extended`  |
/// | `Int32`               | `integer`  | `hashint4extended`  |
/// | `Int64`, `Int`        | `bigint`   | `hashint8extended`  |
/// | `String`, `Substring` | `text`     | `hashtextextended`  |
///
/// PostgreSQL's integer hashes agree across widths for every value that fits the narrower type,
/// so an `Int32` key and the same number as an `Int64` always hash alike.
public protocol ShardKey: Sendable {
    /// The key's PostgreSQL extended hash with `seed`, as the signed `bigint` SQL shows.
    ///
    /// - Parameter seed: The hash seed (0 for plain hashing, `PostgresHash.partitionSeed` for
    ///   hash-partition routing).
    /// - Returns: The hash.
    func pgHash(seed: Int64) -> Int64
}

extension Int16: ShardKey {
    /// `hashint2extended(self, seed)`.
    ///
    /// - Parameter seed: The hash seed.
    /// - Returns: The hash.
    public func pgHash(seed: Int64) -> Int64 {
        PostgresHash.hashInt2Extended(self, seed: seed)
    }
}

extension Int32: ShardKey {
    /// `hashint4extended(self, seed)`.
    ///
    /// - Parameter seed: The hash seed.
    /// - Returns: The hash.
    public func pgHash(seed: Int64) -> Int64 {
        PostgresHash.hashInt4Extended(self, seed: seed)
    }
}

extension Int64: ShardKey {
    /// `hashint8extended(self, seed)`.
    ///
    /// - Parameter seed: The hash seed.
    /// - Returns: The hash.
    public func pgHash(seed: Int64) -> Int64 {
        PostgresHash.hashInt8Extended(self, seed: seed)
    }
}

extension Int: ShardKey {
    /// `hashint8extended(self, seed)`: `Int` is treated as `bigint`.
    ///
    /// - Parameter seed: The hash seed.
    /// - Returns: The hash.
    public func pgHash(seed: Int64) -> Int64 {
        PostgresHash.hashInt8Extended(Int64(self), seed: seed)
    }
}

extension String: ShardKey {
    /// `hashtextextended(self, seed)` over the string's UTF-8 bytes.
    ///
    /// - Parameter seed: The hash seed.
    /// - Returns: The hash.
    public func pgHash(seed: Int64) -> Int64 {
        PostgresHash.hashTextExtended(self, seed: seed)
    }
}

extension Substring: ShardKey {
    /// `hashtextextended(self, seed)` over the substring's UTF-8 bytes.
    ///
    /// - Parameter seed: The hash seed.
    /// - Returns: The hash.
    public func pgHash(seed: Int64) -> Int64 {
        PostgresHash.hashTextExtended(self, seed: seed)
    }
}
