/// Geographic sharding: each key is first placed in a region, then on one of that region's
/// shards by a within-region hash strategy.
///
/// Shard indices are global (shared with the rest of the topology); each region lists the shards
/// that live in it, and a shard lives in exactly one region. Within a region the strategy sees
/// the region's shards as local shards `0..<count` in the listed order, and the result is mapped
/// back to the global index. A ring within a region names its shards by their global names
/// (`shardNames[global]`, or `HashRing.defaultShardName(global)`).
///
/// Lookups (a dictionary probe by region name, or none by region index, then the strategy)
/// never allocate.
public struct GeoMap: Sendable {
    /// A region and the global indices of its shards.
    public struct Region: Sendable, Hashable {
        /// The region's name.
        public let name: String
        /// The global indices of the region's shards, in within-region order.
        public let shards: [Int]

        /// Creates a region.
        ///
        /// - Parameters:
        ///   - name: The region's name.
        ///   - shards: The global indices of its shards, in within-region order.
        public init(name: String, shards: [Int]) {
            self.name = name
            self.shards = shards
        }
    }

    /// The regions, in the order given.
    public let regions: [Region]
    /// The strategy used within every region.
    public let strategyKind: HashStrategyKind
    /// The within-region strategy of each region, parallel to `regions`.
    private let strategies: [HashStrategy]
    /// Region indices by name.
    private let regionIndices: [String: Int]

    /// Builds a geo map.
    ///
    /// - Parameters:
    ///   - regions: The regions; each lists the global indices of its shards.
    ///   - strategy: The strategy that places keys among a region's shards.
    ///   - shardNames: Global shard names, used by ring strategies; `nil` uses
    ///     `HashRing.defaultShardName(_:)`.
    /// - Throws: `GeoMapError` for no regions, duplicate region names, empty regions, negative or
    ///   repeated shard indices, missing shard names, or an invalid within-region ring.
    public init(regions: [Region], strategy: HashStrategyKind, shardNames: [String]? = nil) throws(GeoMapError) {
        guard !regions.isEmpty else {
            throw .noRegions
        }
        var regionIndices: [String: Int] = [:]
        var seenShards = Set<Int>()
        var strategies: [HashStrategy] = []
        for (index, region) in regions.enumerated() {
            guard regionIndices.updateValue(index, forKey: region.name) == nil else {
                throw .duplicateRegion(region.name)
            }
            guard !region.shards.isEmpty else {
                throw .emptyRegion(region.name)
            }
            var names: [String] = []
            for shard in region.shards {
                guard shard >= 0 else {
                    throw .negativeShard(region: region.name, shard: shard)
                }
                guard seenShards.insert(shard).inserted else {
                    throw .duplicateShard(shard)
                }
                if let shardNames {
                    guard shard < shardNames.count else {
                        throw .missingShardName(shard)
                    }
                    names.append(shardNames[shard])
                } else {
                    names.append(HashRing.defaultShardName(shard))
                }
            }
            do {
                strategies.append(try HashStrategy(strategy, shardNames: names))
            } catch {
                throw .invalidRegionStrategy(region: region.name, error)
            }
        }
        self.regions = regions
        self.strategyKind = strategy
        self.strategies = strategies
        self.regionIndices = regionIndices
    }

    /// The index in `regions` of the region named `name`, or `nil` if there is none.
    ///
    /// - Parameter name: A region name.
    /// - Returns: The region's index, or `nil`.
    public func regionIndex(named name: String) -> Int? {
        regionIndices[name]
    }

    /// The global shard indices of the region named `name`, or `nil` if there is no such region.
    ///
    /// - Parameter name: A region name.
    /// - Returns: The region's shards, or `nil`.
    public func shards(inRegion name: String) -> [Int]? {
        regionIndices[name].map { regions[$0].shards }
    }

    /// The global index of the shard that owns `key` within the region named `region`, or `nil`
    /// if there is no such region.
    ///
    /// - Parameters:
    ///   - key: The shard-key value.
    ///   - region: The region's name.
    /// - Returns: A global shard index from the region's shards, or `nil`.
    public func shard<Key: ShardKey>(for key: Key, inRegion region: String) -> Int? {
        guard let index = regionIndices[region] else {
            return nil
        }
        return shard(for: key, regionIndex: index)
    }

    /// The global index of the shard that owns `key` within the region at `regionIndex`.
    ///
    /// - Precondition: `regionIndex` is a valid index of `regions`.
    /// - Parameters:
    ///   - key: The shard-key value.
    ///   - regionIndex: The region's index in `regions`.
    /// - Returns: A global shard index from the region's shards.
    public func shard<Key: ShardKey>(for key: Key, regionIndex: Int) -> Int {
        regions[regionIndex].shards[strategies[regionIndex].shard(for: key)]
    }
}
