import TopologyRuntime

/// What changing a topology's shard count moves: for a consistent-hash ring, the token ranges
/// that change owner; for jump hash and hash-modulo, the share of keys that change shard.
public struct RebalanceReport: Sendable, Codable, Equatable {
    /// One arc of the ring whose keys move, with the shards named.
    public struct Move: Sendable, Codable, Equatable {
        /// The position just before the arc (`startExclusive < position`).
        public var startExclusive: Int64
        /// The last position of the arc.
        public var endInclusive: Int64
        /// The shard that owns the arc before the change.
        public var from: String
        /// The shard that owns it after.
        public var to: String
        /// The arc's share of the ring (of all keys, for uniformly hashed keys).
        public var fraction: Double
    }

    /// The total share moving between two shards.
    public struct Flow: Sendable, Codable, Equatable {
        /// The shard keys leave.
        public var from: String
        /// The shard keys go to.
        public var to: String
        /// Their share of all keys.
        public var fraction: Double
        /// The number of arcs.
        public var ranges: Int
    }

    /// The topology's name (the new file's).
    public var topology: String
    /// The sharding strategy.
    public var strategy: ShardingStrategy
    /// The shard names before.
    public var oldShards: [String]
    /// The shard names after.
    public var newShards: [String]
    /// The share of keys that change shard.
    public var fractionMoved: Double
    /// The least share any placement must move: added or removed shards' fair share,
    /// `|new - old| / max(old, new)`.
    public var optimalFraction: Double
    /// How the fraction was found: `exact` (ring arcs) or `sampled` (keys counted).
    public var method: String
    /// The keys sampled, for `sampled`.
    public var sampledKeys: Int?
    /// The moving arcs, for consistent hashing, in ring order.
    public var moves: [Move]
    /// The moves summed per pair of shards, largest first.
    public var flows: [Flow]
}

/// Why two topologies cannot be compared.
public struct RebalanceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message.
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}

extension RebalanceReport {
    /// The number of keys hashed for strategies without ring arcs.
    public static let defaultSampleSize = 1_000_000

    /// Compares the sharding of two plans of the same topology.
    ///
    /// - Parameters:
    ///   - old: The plan before the change.
    ///   - new: The plan after it.
    ///   - sampleSize: The keys to hash for jump hash and hash-modulo.
    /// - Throws: `RebalanceError` if either plan is not sharded, or the strategies differ or are
    ///   not hash strategies.
    public init(old: Plan, new: Plan, sampleSize: Int = defaultSampleSize) throws(RebalanceError) {
        guard let before = old.sharding, let after = new.sharding else {
            throw RebalanceError("both topologies must be sharded")
        }
        guard before.strategy == after.strategy else {
            throw RebalanceError("the strategy changes from \(before.strategy.rawValue) to \(after.strategy.rawValue): every key may move")
        }
        let oldNames = before.shards.map(\.name)
        let newNames = after.shards.map(\.name)
        let larger = max(oldNames.count, newNames.count)
        let changed = Set(oldNames).symmetricDifference(newNames).count
        self.topology = new.topology
        self.strategy = after.strategy
        self.oldShards = oldNames
        self.newShards = newNames
        self.optimalFraction = larger == 0 ? 0 : Double(abs(newNames.count - oldNames.count)) / Double(larger)
        if changed == 0 && oldNames.count == newNames.count && before.virtualNodes == after.virtualNodes {
            self.optimalFraction = 0
        }
        switch after.strategy {
        case .consistentHash:
            let oldRing = try Self.ring(before)
            let newRing = try Self.ring(after)
            moves = ringMovement(from: oldRing, to: newRing).compactMap { move in
                let from = oldNames[move.fromShard]
                let to = newNames[move.toShard]
                guard from != to else {
                    return nil
                }
                return Move(
                    startExclusive: move.startExclusive, endInclusive: move.endInclusive, from: from, to: to,
                    fraction: move.fraction)
            }
            fractionMoved = moves.reduce(0) { $0 + $1.fraction }
            method = "exact"
            sampledKeys = nil
        case .jumpHash, .hashModulo:
            let sample = max(1, sampleSize)
            let kind: HashStrategyKind = after.strategy == .jumpHash ? .jump : .modulo
            let oldStrategy: HashStrategy
            let newStrategy: HashStrategy
            do {
                oldStrategy = try HashStrategy(kind, shardNames: oldNames)
                newStrategy = try HashStrategy(kind, shardNames: newNames)
            } catch {
                throw RebalanceError("a topology has no shards")
            }
            var moved = 0
            for index in 0..<sample {
                let key = Int64(index)
                if oldNames[oldStrategy.shard(for: key)] != newNames[newStrategy.shard(for: key)] {
                    moved += 1
                }
            }
            moves = []
            fractionMoved = Double(moved) / Double(sample)
            method = "sampled"
            sampledKeys = sample
        case .range, .geographic, .composite:
            throw RebalanceError(
                "rebalance compares hash strategies; \(after.strategy.rawValue) moves keys by editing its ranges or regions")
        }
        flows = Self.flows(moves)
    }

    /// The ring of a plan's sharding, from its embedded tokens.
    private static func ring(_ sharding: PlanSharding) throws(RebalanceError) -> HashRing {
        guard let tokens = sharding.ring, let virtualNodes = sharding.virtualNodes else {
            throw RebalanceError("the plan has no ring tokens")
        }
        do {
            return try HashRing(
                shardNames: sharding.shards.map(\.name), virtualNodes: virtualNodes, tokens: tokens.map(\.token),
                owners: tokens.map(\.shard))
        } catch {
            throw RebalanceError("the plan's ring is inconsistent: \(error)")
        }
    }

    /// Moves summed per (from, to), largest share first.
    private static func flows(_ moves: [Move]) -> [Flow] {
        var totals: [String: Flow] = [:]
        for move in moves {
            let key = move.from + "\u{0}" + move.to
            var flow = totals[key] ?? Flow(from: move.from, to: move.to, fraction: 0, ranges: 0)
            flow.fraction += move.fraction
            flow.ranges += 1
            totals[key] = flow
        }
        return totals.values.sorted { ($0.fraction, $1.from, $1.to) > ($1.fraction, $0.from, $0.to) }
    }
}
