/// An arc of the hash ring whose keys change owner between two rings.
///
/// The arc holds the positions `p` with `startExclusive < p <= endInclusive`, read around the
/// ring: when `startExclusive >= endInclusive` the arc wraps past `Int64.max` to `Int64.min`, and
/// when they are equal it is the whole ring.
public struct TokenRangeMove: Sendable, Hashable {
    /// The position just before the arc.
    public let startExclusive: Int64
    /// The last position of the arc.
    public let endInclusive: Int64
    /// The shard that owns the arc in the old ring.
    public let fromShard: Int
    /// The shard that owns the arc in the new ring.
    public let toShard: Int

    /// Creates a move.
    ///
    /// - Parameters:
    ///   - startExclusive: The position just before the arc.
    ///   - endInclusive: The last position of the arc.
    ///   - fromShard: The old owner.
    ///   - toShard: The new owner.
    public init(startExclusive: Int64, endInclusive: Int64, fromShard: Int, toShard: Int) {
        self.startExclusive = startExclusive
        self.endInclusive = endInclusive
        self.fromShard = fromShard
        self.toShard = toShard
    }

    /// The number of positions on the arc, or `nil` for the whole ring (2^64 positions).
    public var positionCount: UInt64? {
        let count = UInt64(bitPattern: endInclusive &- startExclusive)
        return count == 0 ? nil : count
    }

    /// The arc's share of the 2^64 positions of the ring, in `(0, 1]`.
    public var fraction: Double {
        guard let count = positionCount else {
            return 1
        }
        return Double(count) / 18_446_744_073_709_551_616.0
    }

    /// Whether ring position `position` lies on the arc.
    ///
    /// - Parameter position: A ring position.
    /// - Returns: `true` if the key at `position` moves with this arc.
    public func contains(_ position: Int64) -> Bool {
        let offset = UInt64(bitPattern: position &- startExclusive)
        guard let count = positionCount else {
            return true
        }
        return offset != 0 && offset <= count
    }
}

/// The arcs of the ring whose owner differs between `old` and `new`, in ascending order of their
/// end position, with adjacent arcs of the same move merged.
///
/// Shard indices are compared as they are: the two rings must index the same shards alike (for
/// example `new` lists `old`'s shards in the same order, then added ones).
///
/// - Parameters:
///   - old: The ring before the change.
///   - new: The ring after the change.
/// - Returns: The moves; their `fraction`s add up to the share of keys that change shard.
public func ringMovement(from old: HashRing, to new: HashRing) -> [TokenRangeMove] {
    var points = old.tokens.map(\.token) + new.tokens.map(\.token)
    points.sort()
    var unique: [Int64] = []
    unique.reserveCapacity(points.count)
    for point in points where unique.last != point {
        unique.append(point)
    }
    guard let lastPoint = unique.last else {
        return []
    }
    var moves: [TokenRangeMove] = []
    var previous = lastPoint
    for point in unique {
        // Every position in (previous, point] has the same owner in both rings: that of `point`.
        let from = old.shard(forPosition: point)
        let to = new.shard(forPosition: point)
        if from != to {
            if let last = moves.last, last.endInclusive == previous, last.fromShard == from, last.toShard == to {
                moves[moves.count - 1] = TokenRangeMove(
                    startExclusive: last.startExclusive, endInclusive: point, fromShard: from, toShard: to)
            } else {
                moves.append(
                    TokenRangeMove(startExclusive: previous, endInclusive: point, fromShard: from, toShard: to))
            }
        }
        previous = point
    }
    // The first arc wraps around from the last point; join it to the last arc if they continue.
    if moves.count > 1, let first = moves.first, let last = moves.last, last.endInclusive == first.startExclusive,
        first.fromShard == last.fromShard, first.toShard == last.toShard
    {
        moves[0] = TokenRangeMove(
            startExclusive: last.startExclusive, endInclusive: first.endInclusive,
            fromShard: first.fromShard, toShard: first.toShard)
        moves.removeLast()
    }
    return moves
}
