/// Region-first sharding from precomputed data: a key's region picks a list of shards, and a hash
/// strategy picks one of them.
///
/// This is the run-time form of geographic sharding (one shard per region, `strategy == nil`)
/// and composite sharding (several shards per region and a within-region `HashStrategy`). It
/// routes exactly as `GeoMap` does for the same regions, but takes already-built strategies (for
/// example rings from embedded tokens) instead of building them from names. Lookups are two array
/// reads and the strategy's lookup; they never allocate.
public struct RegionalShards: Sendable, Hashable {
    /// The global shard indices of each region, in within-region order.
    public let shardsByRegion: [[Int]]
    /// The within-region strategy of each region, parallel to `shardsByRegion`.
    public let strategies: [HashStrategy]

    /// Creates the map.
    ///
    /// - Precondition: `shardsByRegion` and `strategies` have the same length, and each strategy's
    ///   shard count equals its region's shard count.
    /// - Parameters:
    ///   - shardsByRegion: The global shard indices of each region.
    ///   - strategies: Each region's strategy over its local shards `0..<count`.
    public init(shardsByRegion: [[Int]], strategies: [HashStrategy]) {
        precondition(shardsByRegion.count == strategies.count, "one strategy per region")
        for (shards, strategy) in zip(shardsByRegion, strategies) {
            precondition(shards.count == strategy.shardCount, "a region's strategy spans its shards")
        }
        self.shardsByRegion = shardsByRegion
        self.strategies = strategies
    }

    /// The global shard that owns `key` in the region at `region`.
    ///
    /// - Precondition: `region` is a valid region index.
    /// - Parameters:
    ///   - key: The shard-key value.
    ///   - region: The region's index.
    /// - Returns: A global shard index.
    public func shard<Key: ShardKey>(for key: Key, region: Int) -> Int {
        let shards = shardsByRegion[region]
        return shards.count == 1 ? shards[0] : shards[strategies[region].shard(for: key)]
    }
}
