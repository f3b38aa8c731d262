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
    ///
    /// Two heaps replace the searches the rule describes, with the same answers
    /// (`BalancedTokensTests` compares them with the searches):
    /// - the shards by share: the shard that owns most above the fair share is the one that owns
    ///   most, because one always owns more than the fair share while shard `k` is added (the
    ///   others' surplus adds up to `2^64 - 1 - k x fair >= fair` before its first token, and each
    ///   token takes at most `piece`, with `virtualNodes x piece <= fair`);
    /// - each shard's tokens by arc: a cut changes only the arc of the token cut, since the new
    ///   token belongs to the shard being added, which gives nothing while it is added.
    ///
    /// Adding a shard costs `O(virtualNodes x log(tokens))`, not a pass over every shard and every
    /// donor's tokens for each token.
    private struct Placement {
        let virtualNodes: Int
        /// Each token's offset from `Int64.min`.
        var offsets: [UInt64] = []
        /// Each token's shard.
        var owners: [Int] = []
        /// Each shard's tokens as a max-heap by arc, ties to the older token: shard `s` holds
        /// `arcs[s * virtualNodes ..< (s + 1) * virtualNodes]`. Each entry carries the token's
        /// offset (where its arc ends), so a cut reads only its donor's heap.
        var arcs: [Arc] = []
        /// Each shard's share of the ring in 2^-64 units (shard 0 alone: `UInt64.max`).
        var shares: [UInt64] = []
        /// The shards placed so far as a max-heap by share, ties to the lower index.
        var byShare: [Int] = []
        /// Each shard's place in `byShare`.
        var place: [Int] = []

        init(virtualNodes: Int, total: Int) {
            self.virtualNodes = virtualNodes
            offsets.reserveCapacity(total)
            owners.reserveCapacity(total)
            arcs.reserveCapacity(total)
            let step = UInt64.max / UInt64(virtualNodes)
            for node in 0..<virtualNodes {
                offsets.append(UInt64(node) &* step)
                owners.append(0)
            }
            for node in 0..<virtualNodes {
                // Each token's arc starts after its predecessor's offset; the first token's
                // predecessor is the last, across the wrap.
                let length = offsets[node] &- offsets[node == 0 ? virtualNodes - 1 : node - 1]
                arcs.append(Arc(length: length == 0 ? .max : length, end: offsets[node], token: node))
            }
            heapify(shard: 0)
            shares = [UInt64.max]
            byShare = [0]
            place = [0]
        }

        var tokens: [HashRing.Token] {
            zip(offsets, owners).map { HashRing.Token(token: Int64(bitPattern: $0.0 ^ (1 << 63)), shard: $0.1) }
        }

        mutating func add(shard: Int) {
            let fair = UInt64.max / UInt64(shard + 1)
            let piece = max(1, fair / UInt64(virtualNodes))
            shares.append(0)
            for _ in 0..<virtualNodes {
                let donor = byShare[0]
                let root = donor * virtualNodes
                let longest = arcs[root]
                // Strictly inside the arc: never on its start, never on its end. The donor's longest
                // arc is at least its share over its tokens, about 2^64 / (2 x 4,096 x 4,096) at
                // the limits, so the arc always has room.
                let taken = max(1, min(piece, longest.length - 1))
                // Where the arc starts: its predecessor's offset (a sole token is its own).
                let start = longest.length == .max ? longest.end : longest.end &- longest.length
                let offset = start &+ taken
                arcs.append(Arc(length: taken, end: offset, token: offsets.count))
                offsets.append(offset)
                owners.append(shard)
                arcs[root].length = longest.end &- offset
                siftDownArc(shard: donor, from: 0)
                shares[donor] -= taken
                shares[shard] += taken
                siftDownShare(from: place[donor])
            }
            heapify(shard: shard)
            place.append(byShare.count)
            byShare.append(shard)
            siftUpShare(from: byShare.count - 1)
        }

        // MARK: Tokens by arc

        private func longer(_ a: Arc, _ b: Arc) -> Bool {
            a.length != b.length ? a.length > b.length : a.token < b.token
        }

        private mutating func heapify(shard: Int) {
            for node in stride(from: virtualNodes / 2 - 1, through: 0, by: -1) {
                siftDownArc(shard: shard, from: node)
            }
        }

        private mutating func siftDownArc(shard: Int, from node: Int) {
            let base = shard * virtualNodes
            var parent = node
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var best = parent
                if left < virtualNodes && longer(arcs[base + left], arcs[base + best]) { best = left }
                if right < virtualNodes && longer(arcs[base + right], arcs[base + best]) { best = right }
                if best == parent { return }
                arcs.swapAt(base + parent, base + best)
                parent = best
            }
        }

        // MARK: Shards by share

        private func richer(_ a: Int, _ b: Int) -> Bool {
            shares[a] != shares[b] ? shares[a] > shares[b] : a < b
        }

        private mutating func swapShares(_ i: Int, _ j: Int) {
            byShare.swapAt(i, j)
            place[byShare[i]] = i
            place[byShare[j]] = j
        }

        private mutating func siftUpShare(from node: Int) {
            var child = node
            while child > 0 {
                let parent = (child - 1) / 2
                guard richer(byShare[child], byShare[parent]) else { return }
                swapShares(child, parent)
                child = parent
            }
        }

        private mutating func siftDownShare(from node: Int) {
            var parent = node
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var best = parent
                if left < byShare.count && richer(byShare[left], byShare[best]) { best = left }
                if right < byShare.count && richer(byShare[right], byShare[best]) { best = right }
                if best == parent { return }
                swapShares(parent, best)
                parent = best
            }
        }
    }

    /// A token's arc: its length (`UInt64.max` for a sole token, which owns the whole ring), the
    /// offset where it ends (the token's own), and the token.
    private struct Arc {
        var length: UInt64
        let end: UInt64
        let token: Int
    }
}
