/// Range sharding: half-open key ranges `[lower, upper)` mapped to shards.
///
/// A `nil` lower bound stands for minus infinity and a `nil` upper bound for plus infinity.
/// `Int64` keys order numerically and `String` keys byte-wise by UTF-8 (`COLLATE "C"`), see
/// `RangeMapBound`. The map is validated once when built (no empty or overlapping ranges) and
/// reports the uncovered `gaps`; lookups are a binary search and never allocate.
public struct RangeMap<Bound: RangeMapBound>: Sendable, Hashable {
    /// One range of keys and the shard that owns it.
    public struct Entry: Sendable, Hashable {
        /// The first key of the range, or `nil` for minus infinity.
        public let lower: Bound?
        /// The first key after the range, or `nil` for plus infinity.
        public let upper: Bound?
        /// The index of the shard that owns the range.
        public let shard: Int

        /// Creates an entry for the keys in `[lower, upper)`.
        ///
        /// - Parameters:
        ///   - lower: The first key of the range, or `nil` for minus infinity.
        ///   - upper: The first key after the range, or `nil` for plus infinity.
        ///   - shard: The owning shard's index.
        public init(lower: Bound?, upper: Bound?, shard: Int) {
            self.lower = lower
            self.upper = upper
            self.shard = shard
        }
    }

    /// A range of keys `[lower, upper)` that no entry covers.
    public struct Gap: Sendable, Hashable {
        /// The first uncovered key, or `nil` for minus infinity.
        public let lower: Bound?
        /// The first covered key after the gap, or `nil` for plus infinity.
        public let upper: Bound?

        /// Creates a gap.
        ///
        /// - Parameters:
        ///   - lower: The first uncovered key, or `nil` for minus infinity.
        ///   - upper: The first covered key after the gap, or `nil` for plus infinity.
        public init(lower: Bound?, upper: Bound?) {
            self.lower = lower
            self.upper = upper
        }
    }

    /// The entries, sorted by lower bound.
    public let entries: [Entry]
    /// The uncovered ranges, in ascending order; keys in them have no shard.
    public let gaps: [Gap]

    /// Whether every key belongs to some entry.
    public var isComplete: Bool {
        gaps.isEmpty
    }

    /// Builds and validates a range map.
    ///
    /// - Parameters:
    ///   - entries: The ranges, in any order.
    ///   - allowGaps: Whether keys may be left uncovered; if `false`, any gap throws.
    /// - Throws: `RangeMapError` for an empty range (`lower >= upper`), a negative shard index,
    ///   overlapping ranges (reported by their input indices), or gaps when they are not allowed.
    public init(_ entries: [Entry], allowGaps: Bool = true) throws(RangeMapError<Bound>) {
        for (index, entry) in entries.enumerated() {
            if entry.shard < 0 {
                throw .negativeShard(index: index)
            }
            if let lower = entry.lower, let upper = entry.upper, !Bound.rangeMapPrecedes(lower, upper) {
                throw .emptyRange(index: index)
            }
        }
        let order = entries.indices.sorted { Self.lowerPrecedes(entries[$0].lower, entries[$1].lower) }
        var gaps: [Gap] = []
        if let first = order.first.map({ entries[$0] }) {
            if let lower = first.lower {
                gaps.append(Gap(lower: nil, upper: lower))
            }
        } else {
            gaps.append(Gap(lower: nil, upper: nil))
        }
        for (previousIndex, nextIndex) in zip(order, order.dropFirst()) {
            let previous = entries[previousIndex]
            let next = entries[nextIndex]
            guard let end = previous.upper, let start = next.lower, !Bound.rangeMapPrecedes(start, end) else {
                throw .overlap(Swift.min(previousIndex, nextIndex), Swift.max(previousIndex, nextIndex))
            }
            if Bound.rangeMapPrecedes(end, start) {
                gaps.append(Gap(lower: end, upper: start))
            }
        }
        if let last = order.last.map({ entries[$0] }), let upper = last.upper {
            gaps.append(Gap(lower: upper, upper: nil))
        }
        if !allowGaps && !gaps.isEmpty {
            throw .gaps(gaps)
        }
        self.entries = order.map { entries[$0] }
        self.gaps = gaps
    }

    /// The shard that owns `key`, or `nil` if `key` falls in a gap.
    ///
    /// - Parameter key: The key.
    /// - Returns: The owning shard's index, or `nil`.
    @inlinable
    public func shard(for key: Bound) -> Int? {
        // Find the first entry whose lower bound is above `key`; the one before it is the candidate.
        var low = 0
        var high = entries.count
        while low < high {
            let middle = low + (high - low) / 2
            if let lower = entries[middle].lower, Bound.rangeMapPrecedes(key, lower) {
                high = middle
            } else {
                low = middle + 1
            }
        }
        guard low > 0 else {
            return nil
        }
        let candidate = entries[low - 1]
        if let upper = candidate.upper, !Bound.rangeMapPrecedes(key, upper) {
            return nil
        }
        return candidate.shard
    }

    /// Whether lower bound `lhs` sorts before `rhs`, with `nil` as minus infinity.
    private static func lowerPrecedes(_ lhs: Bound?, _ rhs: Bound?) -> Bool {
        switch (lhs, rhs) {
        case (nil, nil), (.some, nil):
            false
        case (nil, .some):
            true
        case (.some(let left), .some(let right)):
            Bound.rangeMapPrecedes(left, right)
        }
    }
}

extension RangeMap where Bound == Int64 {
    /// The shard that owns an `integer` key, or `nil` if it falls in a gap.
    ///
    /// - Parameter key: The key.
    /// - Returns: The owning shard's index, or `nil`.
    @inlinable
    public func shard(for key: Int32) -> Int? {
        shard(for: Int64(key))
    }

    /// The shard that owns a `smallint` key, or `nil` if it falls in a gap.
    ///
    /// - Parameter key: The key.
    /// - Returns: The owning shard's index, or `nil`.
    @inlinable
    public func shard(for key: Int16) -> Int? {
        shard(for: Int64(key))
    }

    /// The shard that owns an `Int` key, or `nil` if it falls in a gap.
    ///
    /// - Parameter key: The key.
    /// - Returns: The owning shard's index, or `nil`.
    @inlinable
    public func shard(for key: Int) -> Int? {
        shard(for: Int64(key))
    }
}
