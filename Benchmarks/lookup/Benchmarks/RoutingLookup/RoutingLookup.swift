import Benchmark
import TopologyRuntime

/// ns and mallocs per lookup for each strategy, side by side with the hash function alone.
/// Each benchmark iteration routes 1,000 keys; divide the reported figures by 1,000.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        maxDuration: .seconds(2),
        maxIterations: 1_000_000
    )
    let keys: [Int64] = (0..<1000).map { Int64(bitPattern: UInt64($0) &* 0x9E37_79B9_7F4A_7C15) }
    let textKeys: [String] = (0..<1000).map { "user-\($0 &* 7919)" }
    let names = (0..<16).map { "s\($0)" }
    guard let ring = try? HashRing(shards: names, virtualNodes: 150) else { fatalError("ring") }
    let jump = JumpHash(shards: 16)
    let modulo = HashModulo(shards: 16)
    let bounds: [RangeMap<Int64>.Entry] = (0..<16).map { index in
        RangeMap<Int64>.Entry(
            lower: index == 0 ? nil : Int64(index) << 59 &- (8 << 59),
            upper: index == 15 ? nil : Int64(index + 1) << 59 &- (8 << 59), shard: index)
    }
    guard let ranges = try? RangeMap(bounds) else { fatalError("ranges") }

    Benchmark("hash alone: hashint8extended (1,000 keys)") { benchmark in
        for _ in benchmark.scaledIterations {
            for key in keys { blackHole(PostgresHash.hashInt8Extended(key, seed: 0)) }
        }
    }
    Benchmark("hash alone: hashtextextended (1,000 keys)") { benchmark in
        for _ in benchmark.scaledIterations {
            for key in textKeys { blackHole(PostgresHash.hashTextExtended(key, seed: 0)) }
        }
    }
    Benchmark("hash-modulo, 16 shards (1,000 keys)") { benchmark in
        for _ in benchmark.scaledIterations {
            for key in keys { blackHole(modulo.shard(for: key)) }
        }
    }
    Benchmark("consistent-hash ring, 16 x 150 (1,000 keys)") { benchmark in
        for _ in benchmark.scaledIterations {
            for key in keys { blackHole(ring.shard(for: key)) }
        }
    }
    Benchmark("consistent-hash ring, text keys (1,000 keys)") { benchmark in
        for _ in benchmark.scaledIterations {
            for key in textKeys { blackHole(ring.shard(for: key)) }
        }
    }
    Benchmark("jump hash, 16 shards (1,000 keys)") { benchmark in
        for _ in benchmark.scaledIterations {
            for key in keys { blackHole(jump.shard(for: key)) }
        }
    }
    Benchmark("range map, 16 ranges (1,000 keys)") { benchmark in
        for _ in benchmark.scaledIterations {
            for key in keys { blackHole(ranges.shard(for: key)) }
        }
    }
}
