import TopologyRuntime

// Distribution and movement of 1,000,000 keys over 16 shards, and the keys that move at 16 -> 17.
// Keys are the bigint ids 0..<1,000,000 (hashed with hashint8extended like any shard key);
// shards are named s0, s1, ... as the planner names them. Run in release:
//   swift run -c release --package-path Benchmarks/routing RoutingDistribution

let keyCount = 1_000_000
let shardCount = 16
let topologyDefaultVirtualNodes = 150  // RingLayout.defaultVirtualNodes: a topology without virtual_nodes gets 150

func names(_ count: Int) -> [String] {
    (0..<count).map { "s\($0)" }
}

func ring(_ count: Int, virtualNodes: Int, placement: RingPlacement = .hashed) -> HashStrategy {
    do {
        return .ring(try HashRing(shards: names(count), virtualNodes: virtualNodes, placement: placement))
    } catch {
        fatalError("ring: \(error)")
    }
}

func formatted(_ value: Double, digits: Int = 3) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = String(rounded)
    if let dot = text.firstIndex(of: ".") {
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
    }
    return text
}

func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

print("Distribution of \(keyCount) keys over \(shardCount) shards (load relative to the mean \(keyCount / shardCount))")
print(pad("strategy", 34) + pad("max/mean", 10) + pad("min/mean", 10) + "stddev/mean")
let strategies: [(String, HashStrategy)] = [
    ("ring, 150 virtual nodes (default)", ring(shardCount, virtualNodes: topologyDefaultVirtualNodes)),
    ("ring, 16 virtual nodes", ring(shardCount, virtualNodes: 16)),
    ("ring, 1 virtual node", ring(shardCount, virtualNodes: 1)),
    ("ring, 500 virtual nodes", ring(shardCount, virtualNodes: 500)),
    ("ring, 150, balanced placement", ring(shardCount, virtualNodes: 150, placement: .balanced)),
    ("jump hash", .jump(JumpHash(shards: shardCount))),
    ("hash-modulo (PostgreSQL partitions)", .modulo(HashModulo(shards: shardCount))),
]
for (name, strategy) in strategies {
    var loads = [Int](repeating: 0, count: shardCount)
    for key in 0..<Int64(keyCount) {
        loads[strategy.shard(for: key)] += 1
    }
    let mean = Double(keyCount) / Double(shardCount)
    let maximum = Double(loads.max() ?? 0) / mean
    let minimum = Double(loads.min() ?? 0) / mean
    let variance = loads.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(shardCount)
    print(pad(name, 34) + pad(formatted(maximum), 10) + pad(formatted(minimum), 10) + formatted(variance.squareRoot() / mean))
}

print("")
print(
    "Keys moved when adding a shard: \(shardCount) -> \(shardCount + 1) (optimum 1/\(shardCount + 1) = \(formatted(1.0 / Double(shardCount + 1), digits: 4)))"
)
print(pad("strategy", 34) + pad("moved", 10) + pad("/optimum", 10) + "all to the new shard")
let growth: [(String, HashStrategy, HashStrategy)] = [
    ("ring, 150 virtual nodes (default)", ring(shardCount, virtualNodes: 150), ring(shardCount + 1, virtualNodes: 150)),
    ("ring, 16 virtual nodes", ring(shardCount, virtualNodes: 16), ring(shardCount + 1, virtualNodes: 16)),
    (
        "ring, 150, balanced placement", ring(shardCount, virtualNodes: 150, placement: .balanced),
        ring(shardCount + 1, virtualNodes: 150, placement: .balanced)
    ),
    ("jump hash", .jump(JumpHash(shards: shardCount)), .jump(JumpHash(shards: shardCount + 1))),
    ("hash-modulo (PostgreSQL partitions)", .modulo(HashModulo(shards: shardCount)), .modulo(HashModulo(shards: shardCount + 1))),
]
let optimum = 1.0 / Double(shardCount + 1)
for (name, before, after) in growth {
    var moved = 0
    var toNew = 0
    for key in 0..<Int64(keyCount) {
        let from = before.shard(for: key)
        let to = after.shard(for: key)
        if from != to {
            moved += 1
            if to == shardCount { toNew += 1 }
        }
    }
    let fraction = Double(moved) / Double(keyCount)
    print(
        pad(name, 34) + pad(formatted(fraction, digits: 4), 10) + pad(formatted(fraction / optimum, digits: 2), 10)
            + (moved == toNew ? "yes" : "no"))
}
if case .ring(let old) = growth[0].1, case .ring(let new) = growth[0].2 {
    let exact = ringMovement(from: old, to: new).reduce(0.0) { $0 + $1.fraction }
    print("ring, 150 virtual nodes: exact share of the ring that moves (ringMovement): \(formatted(exact, digits: 4))")
}
