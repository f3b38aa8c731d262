/// Why a `GeoMap` could not be built.
public enum GeoMapError: Error, Hashable {
    /// The map was given no regions.
    case noRegions
    /// Two regions share this name.
    case duplicateRegion(String)
    /// This region lists no shards.
    case emptyRegion(String)
    /// This region lists a negative shard index.
    case negativeShard(region: String, shard: Int)
    /// This shard is listed more than once, in the same region or in two regions.
    case duplicateShard(Int)
    /// `shardNames` was given but has no name for this shard index.
    case missingShardName(Int)
    /// The within-region strategy could not be built for this region.
    case invalidRegionStrategy(region: String, HashRingError)
}
