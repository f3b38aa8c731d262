import TopologyRuntime

/// How rows are spread over shards.
public struct Sharding: Sendable {
    /// The most shards a topology may declare (`shards`, and each region's count).
    public static let maximumShards = 4_096

    /// Rules silenced for this section only, each with its reason.
    public var suppressions: [Suppression] = []
    /// The shard key's column name (tables may name their own column of the same type).
    public var key: Located<String>
    /// The shard key's type.
    public var keyType: Located<ShardKeyType>
    /// The strategy.
    public var strategy: Located<ShardingStrategy>
    /// The shard count, for hash strategies.
    public var shardCount: Located<Int>?
    /// Virtual nodes per shard on a consistent-hash ring.
    public var virtualNodes: Located<Int>?
    /// Where a consistent-hash ring's tokens go (`token_placement`); `nil` is `hashed`, the
    /// placement of every ring made before `balanced` existed.
    public var tokenPlacement: Located<RingPlacement>? = nil
    /// The cluster template every shard runs on.
    public var cluster: Located<String>
    /// Range shards, one per half-open range, in order.
    public var ranges: [ShardRange]
    /// The column holding a row's region, for geographic and composite sharding.
    public var regionKey: Located<String>?
    /// Shards per region, for geographic (one each) and composite sharding.
    public var regionShards: [(region: Located<String>, shards: Located<Int>)]
    /// The strategy used inside a region for composite sharding.
    public var withinRegion: Located<ShardingStrategy>?
    /// Co-location groups: tables whose rows with the same key live on the same shard.
    public var colocationGroups: [ColocationGroup]
    /// Tables copied to every shard.
    public var referenceTables: [Located<String>]
    /// Where the section is.
    public var location: SourceLocation
}

/// The type of a shard key; it decides the PostgreSQL hash function.
public enum ShardKeyType: String, Sendable, CaseIterable, Codable {
    case smallint
    case integer
    case bigint
    case text

    /// The PostgreSQL type name.
    public var sqlType: String { rawValue }
}

/// A sharding strategy.
public enum ShardingStrategy: String, Sendable, CaseIterable, Codable {
    /// PostgreSQL's hash-partition hash, modulo the shard count.
    case hashModulo = "hash-modulo"
    /// A consistent-hash ring with virtual nodes.
    case consistentHash = "consistent-hash"
    /// Jump consistent hash.
    case jumpHash = "jump-hash"
    /// Half-open key ranges.
    case range
    /// One shard per region.
    case geographic
    /// Region first, then a hash strategy inside the region.
    case composite

    /// Whether the strategy hashes the key.
    public var hashes: Bool { [.hashModulo, .consistentHash, .jumpHash].contains(self) }

    /// Whether the strategy places rows by region first (geographic and composite).
    public var regional: Bool {
        switch self {
        case .geographic, .composite: true
        case .hashModulo, .consistentHash, .jumpHash, .range: false
        }
    }
}

/// A range shard: keys in [lower, upper).
public struct ShardRange: Sendable {
    /// The inclusive lower bound; nil is unbounded below.
    public var lower: Located<ShardBound>?
    /// The exclusive upper bound; nil is unbounded above.
    public var upper: Located<ShardBound>?
    /// Where the range was declared.
    public var location: SourceLocation
}

/// A bound of a range shard.
public enum ShardBound: Sendable, Hashable, CustomStringConvertible {
    case integer(Int64)
    case text(String)

    public var description: String {
        switch self {
        case .integer(let value): String(value)
        case .text(let value): value
        }
    }
}

/// Tables that are sharded together.
public struct ColocationGroup: Sendable {
    /// The group's name.
    public var name: Located<String>
    /// The member tables.
    public var tables: [Located<String>]
}
