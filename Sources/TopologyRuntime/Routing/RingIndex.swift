/// The lookup structure of a `HashRing`: the tokens as two flat arrays and a bucket index over
/// them, so that finding a position's owner costs one bucket read and, for most positions, no
/// comparison at all, instead of a binary search over every token.
///
/// The 2^64 ring positions are cut into `2^bits` equal buckets (`bits` chosen so that there are at
/// least four times as many buckets as tokens, up to 2^22 buckets). A bucket that holds no token
/// stores its answer directly: the owner of the first token after it. A bucket that holds tokens
/// stores the index of its first token, and the lookup steps from there to the first token not
/// below the position. The answer is exactly the binary search's.
public struct RingIndex: Sendable, Hashable {
    /// The tokens' positions, ascending.
    @usableFromInline let positions: [Int64]
    /// The owning shard of each token.
    @usableFromInline let owners: [Int32]
    /// Per bucket: `emptyFlag | owner` when no token falls inside the bucket, otherwise the index of
    /// the bucket's first token.
    @usableFromInline let buckets: [UInt32]
    /// `64 - bits`: a position's bucket is its offset from `Int64.min` shifted right by this.
    @usableFromInline let shift: UInt64

    /// Marks a bucket entry that holds an owner rather than a token index.
    @usableFromInline static let emptyFlag: UInt32 = 0x8000_0000

    /// Indexes sorted tokens.
    ///
    /// - Parameter tokens: The ring's tokens, ascending by position.
    init(_ tokens: [HashRing.Token]) {
        let positions = tokens.map(\.token)
        let owners = tokens.map { Int32(truncatingIfNeeded: $0.shard) }
        self.positions = positions
        self.owners = owners
        var bits: UInt64 = 1
        while (1 << bits) < 4 * max(1, tokens.count) && bits < 22 { bits += 1 }
        let shift = 64 - bits
        self.shift = shift
        let bucketCount = 1 << Int(bits)
        var entries = [UInt32](repeating: 0, count: bucketCount)
        var token = 0
        for bucket in 0..<bucketCount {
            // The first token at or after the bucket's start, and whether it is inside the bucket.
            let start = Int64(bitPattern: (UInt64(bucket) << shift) ^ (1 << 63))
            while token < positions.count && positions[token] < start { token += 1 }
            let next = bucket + 1 < bucketCount ? Int64(bitPattern: (UInt64(bucket + 1) << shift) ^ (1 << 63)) : nil
            let inside = token < positions.count && (next == nil || positions[token] < next ?? .max)
            if inside {
                entries[bucket] = UInt32(token)
            } else {
                let owner = token < positions.count ? owners[token] : owners[0]
                entries[bucket] = Self.emptyFlag | UInt32(owner)
            }
        }
        buckets = entries
    }

    /// The index of the token that owns `position`: the first token at or after it, or the first
    /// token of the ring when there is none.
    @inlinable
    public func tokenIndex(forPosition position: Int64) -> Int {
        let bucket = Int(truncatingIfNeeded: (UInt64(bitPattern: position) ^ (1 << 63)) >> shift)
        let entry = buckets[bucket]
        if entry & Self.emptyFlag != 0 { return lowerBound(position) }
        return scan(from: Int(entry), position: position)
    }

    /// The first token not below `position` by binary search, wrapping to 0 past the last token.
    @usableFromInline
    func lowerBound(_ position: Int64) -> Int {
        var low = 0
        var high = positions.count
        while low < high {
            let middle = low + (high - low) / 2
            if positions[middle] < position { low = middle + 1 } else { high = middle }
        }
        return low == positions.count ? 0 : low
    }

    /// The shard that owns `position`.
    @inlinable
    public func shard(forPosition position: Int64) -> Int {
        let bucket = Int(truncatingIfNeeded: (UInt64(bitPattern: position) ^ (1 << 63)) >> shift)
        let entry = buckets[bucket]
        if entry & Self.emptyFlag != 0 { return Int(entry & ~Self.emptyFlag) }
        return Int(owners[scan(from: Int(entry), position: position)])
    }

    /// The first token index at or after `index` whose position is not below `position`, wrapping
    /// to 0 past the last token.
    @inlinable
    func scan(from index: Int, position: Int64) -> Int {
        var index = index
        while index < positions.count && positions[index] < position { index += 1 }
        return index == positions.count ? 0 : index
    }

}
