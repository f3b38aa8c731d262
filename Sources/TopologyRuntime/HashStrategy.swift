/// Which hash strategy to use, before the shard set is known.
public enum HashStrategyKind: Sendable, Hashable {
    /// `HashModulo`: PostgreSQL hash-partition remainders.
    case modulo
    /// `HashRing` with this many virtual nodes per shard, placed as `placement` says.
    case ring(virtualNodes: Int, placement: RingPlacement = .hashed)
    /// `JumpHash`.
    case jump
}

/// One of the hash strategies, chosen at run time without existential boxing.
public enum HashStrategy: ShardStrategy, Hashable {
    /// A `HashModulo` strategy.
    case modulo(HashModulo)
    /// A `HashRing` strategy.
    case ring(HashRing)
    /// A `JumpHash` strategy.
    case jump(JumpHash)

    /// Builds the strategy of `kind` over shards with the given names (a shard's index is its
    /// position in `shardNames`; only rings use the names).
    ///
    /// - Parameters:
    ///   - kind: The strategy to build.
    ///   - shardNames: The shards' names.
    /// - Throws: `HashRingError` if there are no shards, or a ring's virtual node count or shard
    ///   names are invalid.
    public init(_ kind: HashStrategyKind, shardNames: [String]) throws(HashRingError) {
        guard !shardNames.isEmpty else {
            throw .noShards
        }
        switch kind {
        case .modulo:
            self = .modulo(HashModulo(shards: shardNames.count))
        case .ring(let virtualNodes, let placement):
            self = .ring(try HashRing(shards: shardNames, virtualNodes: virtualNodes, placement: placement))
        case .jump:
            self = .jump(JumpHash(shards: shardNames.count))
        }
    }

    /// The number of shards.
    public var shardCount: Int {
        switch self {
        case .modulo(let strategy):
            strategy.shardCount
        case .ring(let strategy):
            strategy.shardCount
        case .jump(let strategy):
            strategy.shardCount
        }
    }

    /// The shard that owns `key` under the wrapped strategy.
    ///
    /// - Parameter key: The shard-key value.
    /// - Returns: A shard index in `0..<shardCount`.
    public func shard<Key: ShardKey>(for key: Key) -> Int {
        switch self {
        case .modulo(let strategy):
            strategy.shard(for: key)
        case .ring(let strategy):
            strategy.shard(for: key)
        case .jump(let strategy):
            strategy.shard(for: key)
        }
    }
}
