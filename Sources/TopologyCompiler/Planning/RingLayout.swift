import TopologyRuntime

/// The hash functions and ring layout the plan records, taken from ``TopologyRuntime`` so that
/// the plan, routing.json, the SQL shard function and the Swift router describe one algorithm.
enum RingLayout {
    /// Virtual nodes per shard when the topology does not say.
    static let defaultVirtualNodes = 150

    /// The most tokens one consistent-hash ring may hold (shards x virtual nodes; with composite
    /// sharding, each region's ring): the largest shard count at the default virtual nodes, 4,096 x
    /// 150. The ring is written whole into `plan.json`, `routing.json`, the SQL shard function and
    /// the Swift router; docs/performance.md measures a build at this size, and 4,096 x 4,096
    /// (16.8 million tokens) did not finish within 14 GB. Beyond it the decoder reports TPC050.
    static let maximumTokens = Sharding.maximumShards * defaultVirtualNodes

    /// The ring's tokens sorted by signed 64-bit token, placed once per compilation by `rings` (and
    /// one array for every plan of it).
    static func tokens(shardNames: [String], virtualNodes: Int, placement: RingPlacement, rings: RingCache) -> [PlanRingToken] {
        rings.planTokens(shardNames: shardNames, virtualNodes: virtualNodes, placement: placement)
    }

    /// The PostgreSQL function a key goes through for a strategy.
    static func hashFunction(for keyType: ShardKeyType, strategy: ShardingStrategy) -> String {
        let base: String
        switch keyType {
        case .smallint: base = "hashint2extended"
        case .integer: base = "hashint4extended"
        case .bigint: base = "hashint8extended"
        case .text: base = "hashtextextended"
        }
        return strategy == .hashModulo ? "\(base)+hash-partition-combine" : base
    }

    /// The seed passed to the hash function.
    static func seed(strategy: ShardingStrategy) -> Int64 {
        strategy == .hashModulo ? Int64(bitPattern: 0x7A5B_2236_7996_DCFD) : 0
    }
}
