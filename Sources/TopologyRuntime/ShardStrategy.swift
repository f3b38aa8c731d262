/// A rule that maps every shard key to one of a fixed number of shards.
///
/// Conforming types are immutable after construction, so lookups are lock-free and safe from any
/// thread; `shard(for:)` never allocates.
public protocol ShardStrategy: Sendable {
    /// The number of shards keys are spread over; every result of `shard(for:)` is in
    /// `0..<shardCount`.
    var shardCount: Int { get }

    /// The index of the shard that owns `key`.
    ///
    /// - Parameter key: The shard-key value.
    /// - Returns: A shard index in `0..<shardCount`.
    func shard<Key: ShardKey>(for key: Key) -> Int
}
