/// Lamping and Veach's jump consistent hash over the key's PostgreSQL hash.
///
/// The 64-bit input to the jump function is `UInt64(bitPattern: key.pgHash(seed: 0))`, i.e. the
/// unseeded `hashint8extended` / `hashint4extended` / `hashtextextended` of the key, so the same
/// placement can be computed inside PostgreSQL. Growing from `n` to `n + 1` shards moves only
/// about `1 / (n + 1)` of the keys, all of them to the new shard. Shards can only be added or
/// removed at the end.
public struct JumpHash: ShardStrategy, Hashable {
    /// The number of shards (buckets).
    public let shardCount: Int

    /// Creates the strategy for `shards` shards.
    ///
    /// - Precondition: `0 < shards <= Int32.max`.
    /// - Parameter shards: The number of shards.
    public init(shards: Int) {
        precondition(shards > 0 && shards <= Int(Int32.max), "JumpHash needs 1...Int32.max shards")
        shardCount = shards
    }

    /// The shard that owns `key`.
    ///
    /// - Parameter key: The shard-key value.
    /// - Returns: A shard index in `0..<shardCount`.
    public func shard<Key: ShardKey>(for key: Key) -> Int {
        Self.bucket(for: UInt64(bitPattern: key.pgHash(seed: 0)), buckets: shardCount)
    }

    /// The jump consistent hash function itself (`JumpConsistentHash(key, num_buckets)`).
    ///
    /// - Precondition: `buckets > 0`.
    /// - Parameters:
    ///   - key: A 64-bit key.
    ///   - buckets: The number of buckets.
    /// - Returns: The bucket in `0..<buckets`.
    public static func bucket(for key: UInt64, buckets: Int) -> Int {
        precondition(buckets > 0, "jump hash needs at least one bucket")
        let count = Int64(buckets)
        var state = key
        var bucket: Int64 = -1
        var next: Int64 = 0
        while next < count {
            bucket = next
            state = state &* 2_862_933_555_777_941_757 &+ 1
            next = Int64(Double(bucket + 1) * (Double(Int64(1) << 31) / Double((state &>> 33) + 1)))
        }
        return Int(bucket)
    }
}
