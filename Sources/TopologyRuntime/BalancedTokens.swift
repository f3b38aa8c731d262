/// The tokens of a ``RingPlacement/balanced`` ring, computed in integers so that every platform
/// places them alike.
///
/// Positions are offsets from `Int64.min` on the 2^64 ring; a token owns the arc from its
/// predecessor (exclusive) to itself (inclusive), as in every `HashRing`. Shard 0's tokens are
/// evenly spaced. Shard `k` (k >= 1) must own `2^64 / (k + 1)`; each of its tokens takes
/// `1 / virtualNodes` of that share from the shard that owns most above the new fair share (ties:
/// the lower shard index), cutting the start of that shard's longest arc (ties: the oldest token).
/// Existing tokens never move, so the ring of `n` shards is the ring of `n - 1` shards plus shard
/// `n - 1`'s tokens.
enum BalancedTokens {
    /// The tokens of `shardCount` shards with `virtualNodes` tokens each, unsorted.
    ///
    /// - Precondition: `shardCount > 0` and `virtualNodes > 0`.
    static func make(shardCount: Int, virtualNodes: Int) -> [HashRing.Token] {
        var ring = Placement(virtualNodes: virtualNodes, total: shardCount * virtualNodes)
        for shard in 1..<max(1, shardCount) {
            ring.add(shard: shard)
        }
        return ring.tokens
    }

    /// The ring while it is being built.
    private struct Placement {
        let virtualNodes: Int
        /// Each token's offset from `Int64.min`.
        var offsets: [UInt64] = []
        /// Each token's shard.
        var owners: [Int] = []
        /// Each token's predecessor on the ring (the token whose arc ends just before its own).
        var previous: [Int] = []
        /// Each shard's tokens.
        var tokensOf: [[Int]] = []
        /// Each shard's share of the ring in 2^-64 units (shard 0 alone: `UInt64.max`).
        var shares: [UInt64] = []

        init(virtualNodes: Int, total: Int) {
            self.virtualNodes = virtualNodes
            offsets.reserveCapacity(total)
            owners.reserveCapacity(total)
            previous.reserveCapacity(total)
            let step = UInt64.max / UInt64(virtualNodes)
            for node in 0..<virtualNodes {
                offsets.append(UInt64(node) &* step)
                owners.append(0)
                previous.append(node == 0 ? virtualNodes - 1 : node - 1)
            }
            tokensOf = [Array(0..<virtualNodes)]
            shares = [UInt64.max]
        }

        var tokens: [HashRing.Token] {
            zip(offsets, owners).map { HashRing.Token(token: Int64(bitPattern: $0.0 ^ (1 << 63)), shard: $0.1) }
        }

        /// The arc a token owns (a sole token owns the whole ring: `UInt64.max`).
        func arc(_ token: Int) -> UInt64 {
            let length = offsets[token] &- offsets[previous[token]]
            return length == 0 ? .max : length
        }

        mutating func add(shard: Int) {
            let fair = UInt64.max / UInt64(shard + 1)
            let piece = max(1, fair / UInt64(virtualNodes))
            var excess = MaxHeap()
            for (owner, share) in shares.enumerated() {
                excess.push(share > fair ? share - fair : 0, owner)
            }
            tokensOf.append([])
            shares.append(0)
            for _ in 0..<virtualNodes {
                let (surplus, donor) = excess.pop()
                var longest = tokensOf[donor][0]
                var longestArc = arc(longest)
                for token in tokensOf[donor].dropFirst() {
                    let length = arc(token)
                    if length > longestArc {
                        longest = token
                        longestArc = length
                    }
                }
                // Strictly inside the arc: never on its start, never on its end. The donor's longest
                // arc is at least its share over its tokens, about 2^64 / (2 x 4,096 x 4,096) at
                // the limits, so the arc always has room.
                let taken = max(1, min(piece, longestArc - 1))
                let start = previous[longest]
                let token = offsets.count
                offsets.append(offsets[start] &+ taken)
                owners.append(shard)
                previous.append(start)
                previous[longest] = token
                tokensOf[shard].append(token)
                shares[donor] -= taken
                shares[shard] += taken
                excess.push(surplus > taken ? surplus - taken : 0, donor)
            }
        }
    }

    /// A binary max-heap of (surplus, shard), ties to the lower shard index.
    private struct MaxHeap {
        private var items: [(surplus: UInt64, shard: Int)] = []

        private static func above(_ a: (surplus: UInt64, shard: Int), _ b: (surplus: UInt64, shard: Int)) -> Bool {
            a.surplus != b.surplus ? a.surplus > b.surplus : a.shard < b.shard
        }

        mutating func push(_ surplus: UInt64, _ shard: Int) {
            items.append((surplus, shard))
            var child = items.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard Self.above(items[child], items[parent]) else { break }
                items.swapAt(child, parent)
                child = parent
            }
        }

        /// The top item; the heap is never empty when called (one item per existing shard).
        mutating func pop() -> (surplus: UInt64, shard: Int) {
            let top = items[0]
            let last = items.removeLast()
            if !items.isEmpty {
                items[0] = last
                var parent = 0
                while true {
                    let left = 2 * parent + 1
                    let right = left + 1
                    var best = parent
                    if left < items.count && Self.above(items[left], items[best]) { best = left }
                    if right < items.count && Self.above(items[right], items[best]) { best = right }
                    if best == parent { break }
                    items.swapAt(parent, best)
                    parent = best
                }
            }
            return top
        }
    }
}
