/// Why a `HashRing` could not be built.
public enum HashRingError: Error, Hashable {
    /// The ring was given no shards.
    case noShards
    /// The number of virtual nodes per shard was not positive.
    case invalidVirtualNodeCount(Int)
    /// Two shards share this name, so their tokens would coincide.
    case duplicateShardName(String)
}
