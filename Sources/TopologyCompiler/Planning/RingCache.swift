import Foundation
import TopologyRuntime

/// The consistent-hash rings of one compilation, each placed once.
///
/// The validator measures a ring's balance (TSH407) and the planner writes the same ring into the
/// plan of every deployment target a build renders; at the largest ring (4,096 shards x 150
/// virtual nodes) each placement costs a few hundred milliseconds, so the validator, the planner
/// and ``CompilerDriver/Compilation/plan(for:)`` share one cache per compilation
/// (docs/performance.md). Safe to use from several threads.
final class RingCache: @unchecked Sendable {
    private struct Key: Hashable {
        var shardNames: [String]
        var virtualNodes: Int
        var placement: RingPlacement
    }

    private let lock = NSLock()
    private var rings: [Key: [HashRing.Token]] = [:]
    private var planRings: [Key: [PlanRingToken]] = [:]
    private var placed = 0
    private var asked = 0

    /// How many rings this cache has placed (each distinct ring once, unless two threads asked for
    /// a new one at the same moment).
    var placements: Int { lock.withLock { placed } }
    /// How many times a ring was asked for.
    var lookups: Int { lock.withLock { asked } }

    /// The ring's tokens sorted by signed 64-bit token (``HashRing/tokens``), or `nil` when
    /// `HashRing` refuses the shape (no shards, no virtual nodes, a name twice). Once a plan holds
    /// the ring, they are made from the plan's tokens, without placing the ring again.
    func tokens(shardNames: [String], virtualNodes: Int, placement: RingPlacement) -> [HashRing.Token]? {
        let key = Key(shardNames: shardNames, virtualNodes: virtualNodes, placement: placement)
        let cached = lock.withLock {
            asked += 1
            return rings[key] ?? planRings[key].map { $0.map { HashRing.Token(token: $0.token, shard: $0.shard) } }
        }
        if let cached { return cached }
        // Placed outside the lock: two threads asking for one new ring both place it, alike.
        guard let tokens = try? HashRing.tokens(shards: shardNames, virtualNodes: virtualNodes, placement: placement) else {
            return nil
        }
        lock.withLock {
            rings[key] = tokens
            placed += 1
        }
        return tokens
    }

    /// The ring as a plan records it: one array for every plan of the compilation (the plans of
    /// several deployment targets share its storage; at 4,096 shards x 150 virtual nodes each copy
    /// is 20 MB). Empty when `HashRing` refuses the shape.
    func planTokens(shardNames: [String], virtualNodes: Int, placement: RingPlacement) -> [PlanRingToken] {
        let key = Key(shardNames: shardNames, virtualNodes: virtualNodes, placement: placement)
        let cached = lock.withLock {
            let cached = planRings[key]
            if cached != nil { asked += 1 }
            return cached
        }
        if let cached { return cached }
        guard let tokens = tokens(shardNames: shardNames, virtualNodes: virtualNodes, placement: placement) else { return [] }
        let planned = tokens.map { PlanRingToken(token: $0.token, shard: $0.shard) }
        return lock.withLock {
            if let first = planRings[key] { return first }
            planRings[key] = planned
            // The plan's copy answers ``tokens(shardNames:virtualNodes:placement:)`` from now on:
            // at 4,096 shards x 150 virtual nodes the runtime's copy was 10 MB held for the rest
            // of the build.
            rings[key] = nil
            return planned
        }
    }
}
