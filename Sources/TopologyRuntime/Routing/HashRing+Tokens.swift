extension HashRing {
    /// Builds a ring from tokens computed ahead of time (for example embedded in generated code or
    /// read from `routing.json`), without hashing any shard name.
    ///
    /// `tokens[i]` is owned by shard `owners[i]`. The result is the ring
    /// `init(shards:virtualNodes:)` builds when the tokens are the ones it would compute; the
    /// tokens are checked, not recomputed.
    ///
    /// - Parameters:
    ///   - shardNames: The shards' names, indexed by shard index.
    ///   - virtualNodes: The number of tokens per shard.
    ///   - tokens: The token positions, in ascending signed order (ties by owner).
    ///   - owners: The owning shard index of each token, parallel to `tokens`.
    /// - Throws: `EmbeddedRingError` if the arrays disagree in length, a shard does not own exactly
    ///   `virtualNodes` tokens, an owner is out of range, or the tokens are not sorted.
    public init(
        shardNames: [String],
        virtualNodes: Int,
        tokens: [Int64],
        owners: [Int]
    ) throws(EmbeddedRingError) {
        guard !shardNames.isEmpty, virtualNodes > 0 else {
            throw .noShards
        }
        guard tokens.count == owners.count else {
            throw .lengthMismatch(tokens: tokens.count, owners: owners.count)
        }
        guard tokens.count == shardNames.count * virtualNodes else {
            throw .wrongTokenCount(expected: shardNames.count * virtualNodes, actual: tokens.count)
        }
        var perShard = [Int](repeating: 0, count: shardNames.count)
        var ring: [Token] = []
        ring.reserveCapacity(tokens.count)
        for (index, (token, owner)) in zip(tokens, owners).enumerated() {
            guard owner >= 0, owner < shardNames.count else {
                throw .ownerOutOfRange(index: index, owner: owner)
            }
            if let previous = ring.last, (previous.token, previous.shard) >= (token, owner) {
                throw .unsorted(index: index)
            }
            perShard[owner] += 1
            ring.append(Token(token: token, shard: owner))
        }
        if let shard = perShard.firstIndex(where: { $0 != virtualNodes }) {
            throw .wrongVirtualNodeCount(shard: shard, count: perShard[shard])
        }
        self.shardNames = shardNames
        self.virtualNodes = virtualNodes
        self.tokens = ring
        self.index = RingIndex(ring)
    }
}

/// Why a `HashRing` could not be built from precomputed tokens.
public enum EmbeddedRingError: Error, Hashable {
    /// No shard names, or a virtual node count below one.
    case noShards
    /// The token and owner arrays have different lengths.
    case lengthMismatch(tokens: Int, owners: Int)
    /// There should be `shards * virtualNodes` tokens.
    case wrongTokenCount(expected: Int, actual: Int)
    /// The token at this index names a shard that does not exist.
    case ownerOutOfRange(index: Int, owner: Int)
    /// The token at this index does not sort after the one before it.
    case unsorted(index: Int)
    /// This shard owns this many tokens instead of `virtualNodes`.
    case wrongVirtualNodeCount(shard: Int, count: Int)
}
