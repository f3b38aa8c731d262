@testable import TopologyRuntime

/// `BalancedTokens`' rule as its documentation states it, by plain searches (every shard's
/// surplus for each token, every token of the donor for its longest arc): quadratic, and the
/// reference the heaps of the real placement must agree with token for token.
enum ReferenceBalancedTokens {
    static func make(shardCount: Int, virtualNodes: Int) -> [HashRing.Token] {
        let step = UInt64.max / UInt64(virtualNodes)
        var offsets = (0..<virtualNodes).map { UInt64($0) &* step }
        var owners = [Int](repeating: 0, count: virtualNodes)
        var previous = (0..<virtualNodes).map { $0 == 0 ? virtualNodes - 1 : $0 - 1 }
        var tokensOf = [Array(0..<virtualNodes)]
        var shares: [UInt64] = [.max]
        func arc(_ token: Int) -> UInt64 {
            let length = offsets[token] &- offsets[previous[token]]
            return length == 0 ? .max : length
        }
        for shard in 1..<max(1, shardCount) {
            let fair = UInt64.max / UInt64(shard + 1)
            let piece = max(1, fair / UInt64(virtualNodes))
            tokensOf.append([])
            shares.append(0)
            for _ in 0..<virtualNodes {
                var donor = 0
                for candidate in 0..<shard {
                    let surplus = shares[candidate] > fair ? shares[candidate] - fair : 0
                    let best = shares[donor] > fair ? shares[donor] - fair : 0
                    if surplus > best { donor = candidate }
                }
                var longest = tokensOf[donor][0]
                for token in tokensOf[donor] where arc(token) > arc(longest) { longest = token }
                let taken = max(1, min(piece, arc(longest) - 1))
                let start = previous[longest]
                let token = offsets.count
                offsets.append(offsets[start] &+ taken)
                owners.append(shard)
                previous.append(start)
                previous[longest] = token
                tokensOf[shard].append(token)
                shares[donor] -= taken
                shares[shard] += taken
            }
        }
        return zip(offsets, owners).map { HashRing.Token(token: Int64(bitPattern: $0.0 ^ (1 << 63)), shard: $0.1) }
    }
}
