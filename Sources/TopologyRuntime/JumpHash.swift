/// Lamping and Veach's jump consistent hash over the key's PostgreSQL hash.
///
/// The 64-bit input to the jump function is `UInt64(bitPattern: key.pgHash(seed: 0))`, i.e. the
/// unseeded `hashint8extended` / `hashint4extended` / `hashtextextended` of the key, so the same
/// placement can be computed inside PostgreSQL. Growing from `n` to `n + 1` shards moves only
/// about `1 / (n + 1)` of the keys, all of them to the new shard. Shards can only be added or
/// removed at the end.
public struct JumpHash: ShardStrategy, Hashable {
    /// The number of shards (buckets).
    public let shardCount: Int

    /// Creates the strategy for `shards` shards.
    ///
    /// - Precondition: `0 < shards <= Int32.max`.
    /// - Parameter shards: The number of shards.
    public init(shards: Int) {
        precondition(shards > 0 && shards <= Int(Int32.max), "JumpHash needs 1...Int32.max shards")
        shardCount = shards
    }

    /// The shard that owns `key`.
    ///
    /// - Parameter key: The shard-key value.
    /// - Returns: A shard index in `0..<shardCount`.
    public func shard<Key: ShardKey>(for key: Key) -> Int {
        Self.bucket(for: UInt64(bitPattern: key.pgHash(seed: 0)), buckets: shardCount)
    }

    /// The jump consistent hash function itself (`JumpConsistentHash(key, num_buckets)`).
    ///
    /// The answer is exactly that of Lamping and Veach's loop in double precision (data is placed
    /// by it). The loop walks a chain of buckets that grows with every step and stops at the first
    /// one past the last bucket, a stop no branch predictor can guess. So the first steps, about
    /// as many as a key usually needs (``unconditionalSteps(buckets:)``), are taken whatever the
    /// chain does, keeping the last bucket below the count with a conditional move; the loop goes
    /// on only for a chain still below the count after them. Steps past the count change nothing:
    /// the chain only grows, and it is capped far below `Int64.max` so its conversion never traps.
    ///
    /// - Precondition: `0 < buckets <= Int32.max`, as for ``init(shards:)`` (the cap above is
    ///   past every such count).
    /// - Parameters:
    ///   - key: A 64-bit key.
    ///   - buckets: The number of buckets.
    /// - Returns: The bucket in `0..<buckets`.
    public static func bucket(for key: UInt64, buckets: Int) -> Int {
        precondition(buckets > 0 && buckets <= Int(Int32.max), "jump hash needs 1...Int32.max buckets")
        let count = Int64(buckets)
        var state = key
        var bucket: Int64 = 0
        var next: Int64 = 0
        for _ in 0..<unconditionalSteps(buckets: buckets) {
            state = state &* multiplier &+ 1
            let jump = Double(next &+ 1) * quotient(state)
            next = Int64(jump < chainCap ? jump : chainCap)
            bucket = next < count ? next : bucket
        }
        // The `if` before the `while` is not redundant in the code it compiles to: without it the
        // lookup over 256 buckets took 44 ns instead of 33.5 (RoutingLookup, 2026-12-07).
        if next < count {
            while next < count {
                bucket = next
                state = state &* multiplier &+ 1
                next = Int64(Double(bucket &+ 1) * quotient(state))
            }
        }
        return Int(bucket)
    }

    /// How many steps ``bucket(for:buckets:)`` takes before it tests for the end of the chain:
    /// one more than the bucket count's base-2 logarithm rounded up, between 3 and 16. A chain visits bucket
    /// `b` with probability `1 / (b + 1)`, about `ln(buckets) + 1` steps, so these cover most
    /// chains; chosen by measurement (`RoutingLookup`'s "jump function alone" rows: fewer steps
    /// leave more chains to the loop's unpredictable exit, more cost more than they save).
    ///
    /// - Parameter buckets: The number of buckets.
    /// - Returns: The number of steps.
    static func unconditionalSteps(buckets: Int) -> Int {
        min(16, max(3, Int.bitWidth - (buckets - 1).leadingZeroBitCount + 1))
    }

    /// The linear congruential generator's multiplier of Lamping and Veach.
    private static let multiplier: UInt64 = 2_862_933_555_777_941_757

    /// `2^62`: a chain that went past the buckets stays past them when capped here, and a step from
    /// it (at most `2^62 * 2^31`) is still a finite double.
    private static let chainCap = 0x1p62

    /// The step's factor, `2^31 / ((state >> 33) + 1)`, in double precision as in the paper.
    @inline(__always)
    private static func quotient(_ state: UInt64) -> Double {
        Double(Int64(1) << 31) / Double((state &>> 33) + 1)
    }
}
