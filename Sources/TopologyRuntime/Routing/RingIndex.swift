/// The lookup structure of a `HashRing`: the tokens as two flat arrays and a bucket index over
/// them, so that finding a position's owner costs one bucket read and, for most positions, one
/// comparison, instead of a binary search over every token.
///
/// The 2^64 ring positions are cut into `2^bits` equal buckets (`bits` chosen so that there are at
/// least four times as many buckets as tokens, up to 2^22 buckets). Each bucket stores the index
/// of the first token at or after its start; the arrays end with a sentinel (position `Int64.max`,
/// owned by the first token's shard) that stands for wrapping around. A lookup starts at its
/// bucket's token and steps past tokens below the position: with four buckets per token, a
/// bucket holds at most one token for almost every position, so the first step is a conditional
/// move rather than a branch the processor must guess, and the loop after it almost never runs.
/// The answer is exactly the binary search's.
public struct RingIndex: Sendable, Hashable {
    /// The tokens' positions, ascending, then the sentinel `Int64.max`.
    @usableFromInline let positions: [Int64]
    /// The owning shard of each token, then the first token's owner (the sentinel's).
    @usableFromInline let owners: [Int32]
    /// Per bucket: the index of the first token at or after the bucket's start (the sentinel's
    /// index when there is none).
    @usableFromInline let buckets: [UInt32]
    /// `64 - bits`: a position's bucket is its offset from `Int64.min` shifted right by this.
    @usableFromInline let shift: UInt64

    /// Indexes sorted tokens.
    ///
    /// - Parameter tokens: The ring's tokens, ascending by position.
    init(_ tokens: [HashRing.Token]) {
        let count = tokens.count
        positions = tokens.map(\.token) + [.max]
        owners = tokens.map { Int32(truncatingIfNeeded: $0.shard) } + [Int32(truncatingIfNeeded: tokens.first?.shard ?? 0)]
        var bits: UInt64 = 1
        while (1 << bits) < 4 * max(1, count) && bits < 22 { bits += 1 }
        let shift = 64 - bits
        self.shift = shift
        let bucketCount = 1 << Int(bits)
        var entries = [UInt32](repeating: 0, count: bucketCount)
        var token = 0
        for bucket in 0..<bucketCount {
            let start = Int64(bitPattern: (UInt64(bucket) << shift) ^ (1 << 63))
            while token < count && positions[token] < start { token += 1 }
            entries[bucket] = UInt32(token)
        }
        buckets = entries
    }

    /// The index of the token that owns `position`: the first token at or after it, or the first
    /// token of the ring when there is none.
    ///
    /// - Parameter position: A position on the ring.
    /// - Returns: An index of a token (never the sentinel's).
    @inlinable
    public func tokenIndex(forPosition position: Int64) -> Int {
        let index = sentinelIndex(forPosition: position)
        return index == positions.count - 1 ? 0 : index
    }

    /// The shard that owns `position`.
    ///
    /// - Parameter position: A position on the ring.
    /// - Returns: A shard index.
    @inlinable
    public func shard(forPosition position: Int64) -> Int {
        Int(owners.withUnsafeBufferPointer { $0[sentinelIndex(forPosition: position)] })
    }

    /// The first index at or after the bucket's token whose position is not below `position`:
    /// a token's, or the sentinel's past the last token.
    @inlinable
    func sentinelIndex(forPosition position: Int64) -> Int {
        let bucket = Int(truncatingIfNeeded: (UInt64(bitPattern: position) ^ (1 << 63)) >> shift)
        return positions.withUnsafeBufferPointer { positions in
            var index = Int(buckets.withUnsafeBufferPointer { $0[bucket] })
            // The sentinel (Int64.max) is never below a position, so neither step runs past it.
            index &+= positions[index] < position ? 1 : 0
            while positions[index] < position { index &+= 1 }
            return index
        }
    }
}
