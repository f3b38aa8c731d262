/// How a `HashRing` places its shards' tokens. The tokens decide where every key's data lives, so
/// a ring's placement never changes once data is placed by it.
public enum RingPlacement: String, Sendable, Hashable, CaseIterable, Codable {
    /// Each token at the PostgreSQL hash of its shard's name and virtual node number
    /// (`hashtextextended(name || '#' || v, 0)`): independent of the other shards and of their
    /// order. At 150 virtual nodes over 16 shards the fullest shard holds about 1.19 times the
    /// mean (docs/performance-routing.md). The placement of every ring made before `balanced`
    /// existed, and of every topology that does not choose one.
    case hashed
    /// Tokens placed in shard order so that every shard owns the same share of the ring, within
    /// one token's share: the first shard's tokens evenly spaced, then each next shard's tokens
    /// cut from the arcs of the shards that own most, so that it takes exactly its fair share
    /// (``BalancedTokens``). Adding a shard at the end keeps every existing token, so only keys
    /// that move to the new shard move; removing the last shard gives back the previous ring.
    /// The positions depend on the shard count and the virtual nodes, not on the shards' names.
    case balanced
}
