/// Consistent hashing on the signed 64-bit ring of PostgreSQL hash values.
///
/// Every shard owns `virtualNodes` tokens, placed as its ``RingPlacement`` says: with `hashed`
/// (the default) the token of virtual node `v` of the shard named `name` is
/// `hashtextextended(name || '#' || v, 0)`, so SQL can compute the tokens too; with `balanced`
/// they are cut so that every shard owns the same share. Tokens are sorted by signed value (ties
/// broken by shard index). A key's position is its unseeded PostgreSQL hash
/// (`key.pgHash(seed: 0)`), and the key belongs to the owner of the first token at or after its
/// position, wrapping around to the first token.
///
/// The ring is built once, with a bucket index over its tokens (``RingIndex``): a lookup reads one
/// bucket and compares, on average, less than one token, and never allocates.
public struct HashRing: ShardStrategy, Hashable {
    /// One virtual node on the ring.
    public struct Token: Sendable, Hashable {
        /// The token's position on the ring.
        public let token: Int64
        /// The index of the shard that owns the token.
        public let shard: Int

        /// Creates a token.
        ///
        /// - Parameters:
        ///   - token: The position on the ring.
        ///   - shard: The owning shard's index.
        public init(token: Int64, shard: Int) {
            self.token = token
            self.shard = shard
        }
    }

    /// The shards' names, indexed by shard index.
    public let shardNames: [String]
    /// The number of tokens each shard owns.
    public let virtualNodes: Int
    /// Every token on the ring, in ascending signed order (ties by shard index).
    public let tokens: [Token]
    /// The lookup index over `tokens`.
    public let index: RingIndex

    /// The number of shards on the ring.
    public var shardCount: Int {
        shardNames.count
    }

    /// The tokens of the ring ``init(shards:virtualNodes:placement:)`` builds, sorted as in
    /// ``tokens``, without the lookup index: for callers that read the ring (a compiler writing it
    /// out, a check measuring its arcs) but never route a key through it.
    ///
    /// - Throws: `HashRingError` under the same conditions as the initializer.
    public static func tokens(shards: [String], virtualNodes: Int, placement: RingPlacement = .hashed) throws(HashRingError) -> [Token] {
        guard !shards.isEmpty else {
            throw .noShards
        }
        guard virtualNodes > 0 else {
            throw .invalidVirtualNodeCount(virtualNodes)
        }
        var seen = Set<String>()
        for name in shards where !seen.insert(name).inserted {
            throw .duplicateShardName(name)
        }
        var tokens: [Token] = []
        switch placement {
        case .hashed:
            tokens.reserveCapacity(shards.count * virtualNodes)
            for (shard, name) in shards.enumerated() {
                for node in 0..<virtualNodes {
                    tokens.append(Token(token: Self.token(shardName: name, virtualNode: node), shard: shard))
                }
            }
        case .balanced:
            tokens = BalancedTokens.make(shardCount: shards.count, virtualNodes: virtualNodes)
        }
        tokens.sort { ($0.token, $0.shard) < ($1.token, $1.shard) }
        return tokens
    }

    /// Builds the ring for named shards.
    ///
    /// - Parameters:
    ///   - shards: The shards' names; a shard's index is its position in this array.
    ///   - virtualNodes: The number of tokens per shard.
    ///   - placement: Where the tokens go (``RingPlacement``); `hashed` unless the topology chose.
    /// - Throws: `HashRingError` if there are no shards, `virtualNodes` is not positive, or two
    ///   shards share a name.
    public init(shards: [String], virtualNodes: Int, placement: RingPlacement = .hashed) throws(HashRingError) {
        let tokens = try Self.tokens(shards: shards, virtualNodes: virtualNodes, placement: placement)
        self.shardNames = shards
        self.virtualNodes = virtualNodes
        self.tokens = tokens
        self.index = RingIndex(tokens)
    }

    /// Builds the ring for `shards` shards named by `defaultShardName(_:)` (`"shard0"`, ...).
    ///
    /// - Precondition: `shards > 0` and `virtualNodes > 0`.
    /// - Parameters:
    ///   - shards: The number of shards.
    ///   - virtualNodes: The number of tokens per shard.
    public init(shards: Int, virtualNodes: Int) {
        precondition(shards > 0, "HashRing needs at least one shard")
        precondition(virtualNodes > 0, "HashRing needs at least one virtual node per shard")
        do {
            try self.init(shards: (0..<shards).map(Self.defaultShardName), virtualNodes: virtualNodes)
        } catch {
            preconditionFailure("default shard names are unique and non-empty: \(error)")
        }
    }

    /// The name `init(shards:virtualNodes:)` gives shard `index` when only a count is given:
    /// `"shard\(index)"`.
    ///
    /// - Parameter index: The shard index.
    /// - Returns: The shard's name.
    public static func defaultShardName(_ index: Int) -> String {
        "shard\(index)"
    }

    /// The token of virtual node `virtualNode` of the shard named `shardName`:
    /// `hashtextextended(shardName || '#' || virtualNode, 0)`.
    ///
    /// - Parameters:
    ///   - shardName: The shard's name.
    ///   - virtualNode: The virtual node's number, from 0.
    /// - Returns: The token's position on the ring.
    public static func token(shardName: String, virtualNode: Int) -> Int64 {
        PostgresHash.hashTextExtended("\(shardName)#\(virtualNode)", seed: 0)
    }

    /// The shard that owns `key`.
    ///
    /// - Parameter key: The shard-key value.
    /// - Returns: A shard index in `0..<shardCount`.
    @inlinable
    public func shard<Key: ShardKey>(for key: Key) -> Int {
        index.shard(forPosition: key.pgHash(seed: 0))
    }

    /// The shard that owns ring position `position`: the owner of the first token `>= position`,
    /// or of the first token if there is none.
    ///
    /// - Parameter position: A position on the ring (a key's unseeded PostgreSQL hash).
    /// - Returns: A shard index in `0..<shardCount`.
    @inlinable
    public func shard(forPosition position: Int64) -> Int {
        index.shard(forPosition: position)
    }

    /// The index in `tokens` of the token that owns `position`.
    ///
    /// - Parameter position: A position on the ring.
    /// - Returns: An index into `tokens`.
    @inlinable
    public func tokenIndex(forPosition position: Int64) -> Int {
        index.tokenIndex(forPosition: position)
    }

    /// The index of the token that owns `position`, by binary search over `tokens` (the reference
    /// the bucket index is tested against).
    ///
    /// - Parameter position: A position on the ring.
    /// - Returns: An index into `tokens`.
    public func tokenIndexBySearch(forPosition position: Int64) -> Int {
        var low = 0
        var high = tokens.count
        while low < high {
            let middle = low + (high - low) / 2
            if tokens[middle].token < position {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low == tokens.count ? 0 : low
    }
}
