import TopologyRuntime

extension TopologyDecoder {
    func decodeSharding(_ node: YAMLNode) -> Sharding? {
        context.mapping(node, section: .sharding, key: "sharding") { reader -> Sharding? in
            let key = reader.required("key").flatMap { context.name($0, key: "key", kind: .sql, what: "shard key column") }
            let keyType = reader.required("key_type").flatMap { context.choice($0, key: "key_type", as: ShardKeyType.self) }
            let strategy = reader.required("strategy").flatMap {
                context.choice($0, key: "strategy", as: ShardingStrategy.self)
            }
            let cluster = reader.required("cluster").flatMap {
                context.name($0, key: "cluster", kind: .service, what: "cluster")
            }
            let shards = reader.value("shards").flatMap { context.int($0, key: "shards", range: 1...Sharding.maximumShards) }
            let virtualNodes = reader.value("virtual_nodes").flatMap {
                context.int($0, key: "virtual_nodes", range: 1...4096)
            }
            let placement = reader.value("token_placement").flatMap {
                context.choice($0, key: "token_placement", as: RingPlacement.self)
            }
            let ranges = reader.value("ranges").map { decodeShardRanges($0, keyType: keyType?.value) } ?? []
            let regionKey = reader.value("region_key").flatMap {
                context.name($0, key: "region_key", kind: .sql, what: "region column")
            }
            let regions = reader.value("regions").map(decodeRegionShards) ?? []
            let within = reader.value("within").flatMap { context.choice($0, key: "within", as: ShardingStrategy.self) }
            let groups =
                reader.value("colocation").map { node in
                    context.namedEntries(node, key: "colocation", kind: .sql, what: "co-location group").map { name, value in
                        ColocationGroup(
                            name: name,
                            tables: context.names(value, key: name.value, kind: .sql, what: "table", atLeastOne: true))
                    }
                } ?? []
            let reference =
                reader.value("reference").map {
                    context.names($0, key: "reference", kind: .sql, what: "table", singleAllowed: true)
                } ?? []
            guard let key, let keyType, let strategy, let cluster else { return nil }
            checkStrategyKeys(
                strategy, reader: reader, shards: shards, ranges: ranges, regions: regions, within: within,
                at: node.location)
            checkRingSize(strategy: strategy, shards: shards, virtualNodes: virtualNodes, regions: regions, within: within)
            var sharding = Sharding(
                key: key, keyType: keyType, strategy: strategy, shardCount: shards, virtualNodes: virtualNodes,
                tokenPlacement: placement, cluster: cluster, ranges: ranges, regionKey: regionKey, regionShards: regions,
                withinRegion: within,
                colocationGroups: groups, referenceTables: reference, location: node.location)
            sharding.suppressions = decodeSuppressions(reader.value("suppress"))
            return sharding
        }
    }

    /// Reports a consistent-hash ring beyond ``RingLayout/maximumTokens`` (TPC050): the ring over
    /// every shard, or with composite sharding each region's.
    private func checkRingSize(
        strategy: Located<ShardingStrategy>, shards: Located<Int>?, virtualNodes: Located<Int>?,
        regions: [(region: Located<String>, shards: Located<Int>)], within: Located<ShardingStrategy>?
    ) {
        let perShard = virtualNodes?.value ?? RingLayout.defaultVirtualNodes
        var rings: [(count: Located<Int>, scope: String)] = []
        switch strategy.value {
        case .consistentHash:
            if let shards { rings.append((shards, "")) }
        case .composite where within?.value == .consistentHash:
            rings = regions.map { ($0.shards, " in region '\($0.region.value)'") }
        default:
            return
        }
        for ring in rings where ring.count.value * perShard > RingLayout.maximumTokens {
            let declared = virtualNodes == nil ? " (the default)" : ""
            let most = RingLayout.maximumTokens / ring.count.value
            context.report(
                .planLimit,
                "the consistent-hash ring of \(ring.count.value) shards\(ring.scope) with \(perShard) virtual nodes each\(declared) would hold \(ring.count.value * perShard) tokens; topoc builds rings of at most \(RingLayout.maximumTokens) tokens (\(Sharding.maximumShards) shards at the default \(RingLayout.defaultVirtualNodes) virtual nodes): declare at most \(most) virtual nodes per shard, or fewer shards",
                at: virtualNodes?.location ?? ring.count.location,
                notes: virtualNodes == nil ? [] : [.init("\(ring.count.value) shards are declared here", at: ring.count.location)])
        }
    }

    /// Reports keys that do not apply to the strategy and keys the strategy needs.
    private func checkStrategyKeys(
        _ strategy: Located<ShardingStrategy>, reader: MappingReader, shards: Located<Int>?, ranges: [ShardRange],
        regions: [(region: Located<String>, shards: Located<Int>)], within: Located<ShardingStrategy>?,
        at location: SourceLocation
    ) {
        let applicable: [ShardingStrategy: Set<String>] = [
            .hashModulo: ["shards"], .consistentHash: ["shards", "virtual_nodes", "token_placement"], .jumpHash: ["shards"],
            .range: ["ranges"], .geographic: ["region_key", "regions"],
            .composite: ["region_key", "regions", "within", "virtual_nodes", "token_placement"],
        ]
        let strategyKeys: Set<String> = [
            "shards", "virtual_nodes", "token_placement", "ranges", "region_key", "regions", "within",
        ]
        for key in strategyKeys.sorted() where !(applicable[strategy.value]?.contains(key) ?? false) {
            if let keyLocation = reader.keyLocation(key) {
                context.report(
                    .inapplicableKey, "'\(key)' does not apply to the '\(strategy.value.rawValue)' strategy",
                    at: keyLocation, notes: [.init("strategy chosen here", at: strategy.location)])
            }
        }
        func need(_ key: String, _ present: Bool) {
            if !present, reader.keyLocation(key) == nil {
                context.report(.missingKey, "the '\(strategy.value.rawValue)' strategy needs '\(key)'", at: strategy.location)
            }
        }
        switch strategy.value {
        case .hashModulo, .consistentHash, .jumpHash: need("shards", shards != nil)
        case .range: need("ranges", !ranges.isEmpty)
        case .geographic:
            need("region_key", reader.keyLocation("region_key") != nil)
            need("regions", !regions.isEmpty)
            for entry in regions where entry.shards.value != 1 {
                context.report(
                    .invalidValue,
                    "geographic sharding gives each region one shard; use the 'composite' strategy for \(entry.shards.value) shards in '\(entry.region.value)'",
                    at: entry.shards.location)
            }
        case .composite:
            need("region_key", reader.keyLocation("region_key") != nil)
            need("regions", !regions.isEmpty)
            need("within", within != nil)
            if let within, !within.value.hashes {
                context.report(
                    .invalidValue, "'within' takes a hash strategy: hash-modulo, consistent-hash or jump-hash", at: within.location)
            }
        }
    }

    func decodeShardRanges(_ node: YAMLNode, keyType: ShardKeyType?) -> [ShardRange] {
        guard let items = context.list(node, key: "ranges") else { return [] }
        if items.isEmpty { context.report(.invalidValue, "'ranges' needs at least one range", at: node.location) }
        return items.compactMap { item in
            context.mapping(item, section: .shardRange, key: "ranges") { reader in
                ShardRange(
                    lower: reader.value("from").flatMap { shardBound($0, key: "from", keyType: keyType) },
                    upper: reader.value("to").flatMap { shardBound($0, key: "to", keyType: keyType) },
                    location: item.location)
            }
        }
    }

    func shardBound(_ node: YAMLNode, key: String, keyType: ShardKeyType?) -> Located<ShardBound>? {
        switch keyType {
        case .text:
            return context.string(node, key: key).map { Located(.text($0.value), at: $0.location) }
        case .smallint, .integer, .bigint, nil:
            guard case .scalar(let text, .plain) = node.content, let value = Int64(text) else {
                context.wrongType(node, expected: "an integer bound", key: key)
                return nil
            }
            let limits: ClosedRange<Int64> =
                switch keyType {
                case .smallint: Int64(Int16.min)...Int64(Int16.max)
                case .integer: Int64(Int32.min)...Int64(Int32.max)
                default: Int64.min...Int64.max
                }
            guard limits.contains(value) else {
                context.report(
                    .invalidValue, "'\(key)' \(value) is outside the range of \(keyType?.rawValue ?? "the key type")",
                    at: node.location)
                return nil
            }
            return Located(.integer(value), at: node.location)
        }
    }

    func decodeRegionShards(_ node: YAMLNode) -> [(region: Located<String>, shards: Located<Int>)] {
        let isEmpty: Bool
        switch node.content {
        case .sequence(let items): isEmpty = items.isEmpty
        case .mapping(let pairs): isEmpty = pairs.isEmpty
        case .scalar: isEmpty = false
        }
        if isEmpty {
            context.report(.invalidValue, "'regions' needs at least one region", at: node.location)
            return []
        }
        if case .sequence = node.content {
            return context.names(node, key: "regions", kind: .service, what: "region").map {
                (region: $0, shards: Located(1, at: $0.location))
            }
        }
        return context.namedEntries(node, key: "regions", kind: .service, what: "region").compactMap { region, value in
            context.int(value, key: region.value, range: 1...Sharding.maximumShards).map { (region: region, shards: $0) }
        }
    }
}
