/// The shard map: the key and strategy, then each shard with its cluster, database and region,
/// and its share of the hash ring (consistent hashing), its range (range sharding) or its equal
/// share of the hash values (hash-modulo, jump hash). Past 32 shards in a region, consecutive
/// shards are drawn in blocks of 16 with the smallest and largest share in the block, so 256
/// shards make 16 boxes.
enum RoutingGraph {
    /// Shards drawn one box each up to this many per region.
    static let shardsDrawnSingly = 32
    /// Shards per box beyond that.
    static let blockSize = 16

    static func build(_ plan: Plan) -> Graph {
        var graph = GraphBuilder(title: "topology \(plan.topology): routing", direction: .leftToRight)
        guard let sharding = plan.sharding else {
            let note = graph.node(["not sharded", "every key goes to the one database of its kind"], kind: .note)
            for database in plan.databases.prefix(12) {
                graph.edge(note, graph.node(["\(database.name) on \(database.cluster)", database.kind.rawValue], kind: .storage))
            }
            return graph.build()
        }
        var keyLines = ["shard key \(sharding.key) (\(sharding.keyType.rawValue))", sharding.strategy.rawValue]
        if let function = sharding.hashFunction { keyLines.append("hash \(function), seed \(sharding.seed ?? 0)") }
        if let nodes = sharding.virtualNodes { keyLines.append("\(nodes) virtual nodes per shard") }
        if let placement = sharding.tokenPlacement { keyLines.append("\(placement.rawValue) token placement") }
        if let regionKey = sharding.regionKey { keyLines.append("region from \(regionKey)") }
        let key = graph.node(keyLines, kind: .client)
        let shares = shareOfShard(sharding)
        if let shares, !shares.isEmpty {
            let values = shares.values.sorted()
            let low = values.first ?? 0
            let high = values.last ?? 0
            let mean = values.reduce(0, +) / Double(values.count)
            graph.node(
                [
                    "ring share per shard", "smallest \(GraphText.percent(low)), largest \(GraphText.percent(high))",
                    "largest / mean = \(ratio(high, mean))",
                ], kind: .note)
        }
        var regions: [String?] = []
        for shard in sharding.shards where !regions.contains(shard.region) { regions.append(shard.region) }
        for region in regions {
            let shards = sharding.shards.filter { $0.region == region }
            let title = region.map { "region \($0): \(GraphText.count(shards.count, "shard"))" } ?? GraphText.count(shards.count, "shard")
            var nodes: [String] = []
            graph.group(title) { graph in
                if shards.count <= shardsDrawnSingly {
                    for shard in shards {
                        nodes.append(
                            graph.node(shardLines(shard, sharding: sharding, shares: shares, regionSize: shards.count), kind: .storage))
                    }
                } else {
                    var start = 0
                    while start < shards.count {
                        let block = Array(shards[start..<min(start + blockSize, shards.count)])
                        nodes.append(graph.node(blockLines(block, shares: shares, strategy: sharding.strategy), kind: .summary))
                        start += blockSize
                    }
                }
            }
            for node in nodes { graph.edge(key, node, region) }
        }
        return graph.build()
    }

    /// One shard's box.
    static func shardLines(_ shard: PlanShard, sharding: PlanSharding, shares: [Int: Double]?, regionSize: Int) -> [String] {
        var lines = ["\(shard.name) → \(shard.cluster) / \(shard.database)"]
        if let share = shares?[shard.index] {
            lines.append("\(GraphText.percent(share)) of the ring")
        } else if sharding.strategy == .range || shard.rangeFrom != nil || shard.rangeTo != nil {
            lines.append("[\(shard.rangeFrom ?? "-inf"), \(shard.rangeTo ?? "+inf"))")
        } else {
            switch sharding.strategy {
            case .hashModulo, .jumpHash: lines.append("1/\(regionSize) of the hash values")
            case .consistentHash, .range, .geographic, .composite: break
            }
        }
        return lines
    }

    /// A block of consecutive shards as one box.
    static func blockLines(_ block: [PlanShard], shares: [Int: Double]?, strategy: ShardingStrategy) -> [String] {
        var lines = [
            "\(GraphText.range(block.map(\.name)))", "→ \(GraphText.range(block.map(\.cluster)))",
        ]
        if let shares {
            let values = block.compactMap { shares[$0.index] }
            if let low = values.min(), let high = values.max() {
                lines.append("ring share \(GraphText.percent(low))-\(GraphText.percent(high)) each")
                lines.append("\(GraphText.percent(values.reduce(0, +))) together")
            }
        } else if strategy == .range, let first = block.first, let last = block.last {
            lines.append("[\(first.rangeFrom ?? "-inf"), \(last.rangeTo ?? "+inf"))")
        }
        return lines
    }

    /// Each shard's share of its ring (consistent-hash and composite), or nil for other strategies.
    ///
    /// A token owns the positions after the previous token up to itself, the first token also the
    /// positions after the last (``HashRing``); a composite topology has one ring per region.
    static func shareOfShard(_ sharding: PlanSharding) -> [Int: Double]? {
        guard let ring = sharding.ring, !ring.isEmpty else { return nil }
        var shares: [Int: Double] = [:]
        // Each region's ring is a run of consecutive tokens, read in place: a copy of the 614,400
        // tokens of 4,096 shards was 20 MB, grown by doubling to 50 MB at once.
        var start = ring.startIndex
        while start < ring.endIndex {
            var end = start + 1
            while end < ring.endIndex, ring[end].region == ring[start].region { end += 1 }
            let tokens = ring[start..<end]
            for index in tokens.indices {
                let previous = ring[index == start ? end - 1 : index - 1].token
                let width = UInt64(bitPattern: ring[index].token &- previous)
                let fraction = tokens.count == 1 ? 1 : Double(width) / 18_446_744_073_709_551_616.0
                shares[ring[index].shard, default: 0] += fraction
            }
            start = end
        }
        return shares
    }

    /// `high / mean` with two decimals.
    static func ratio(_ high: Double, _ mean: Double) -> String {
        guard mean > 0 else { return "-" }
        let hundredths = Int((high / mean * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }
}
