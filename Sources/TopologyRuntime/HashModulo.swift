/// Hash-modulo sharding that agrees exactly with PostgreSQL's declarative hash partitioning.
///
/// `shard(for: key)` is the `REMAINDER` of the partition that a table declared
/// `PARTITION BY HASH (key)` with partitions `FOR VALUES WITH (MODULUS shardCount, REMAINDER r)`
/// would route `key` to: the key is hashed with its type's extended hash function and
/// `HASH_PARTITION_SEED`, combined into a row hash starting from 0, and reduced unsigned modulo
/// the shard count. Shard `r` can therefore be backed by the partition with remainder `r`, and
/// `satisfies_hash_partition(parent, shardCount, r, key)` is true exactly for
/// `r == shard(for: key)`.
///
/// Changing the shard count moves most keys; prefer `HashRing` or `JumpHash` where shards are
/// added over time.
public struct HashModulo: ShardStrategy, Hashable {
    /// The number of shards (the partition `MODULUS`).
    public let shardCount: Int

    /// Creates the strategy for `shards` shards.
    ///
    /// - Precondition: `shards > 0`.
    /// - Parameter shards: The number of shards (the partition `MODULUS`).
    public init(shards: Int) {
        precondition(shards > 0, "HashModulo needs at least one shard")
        shardCount = shards
    }

    /// The shard (partition remainder) that owns `key`.
    ///
    /// - Parameter key: The shard-key value.
    /// - Returns: A shard index in `0..<shardCount`.
    public func shard<Key: ShardKey>(for key: Key) -> Int {
        PostgresHash.hashPartition(remainderFor: key, modulus: shardCount)
    }
}
