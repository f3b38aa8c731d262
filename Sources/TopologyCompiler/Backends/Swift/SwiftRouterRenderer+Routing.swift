import TopologyRuntime

extension SwiftRouterRenderer {
    /// How `shard(for:)` is shaped for the topology's strategy.
    enum ShardFunction {
        /// `shard(for: key) -> Shard`, or `Shard?` when ranges leave gaps.
        case byKey(optional: Bool)
        /// `shard(in: region) -> Shard` (geographic), `Shard?` when a region has no shard.
        case byRegion(optional: Bool)
        /// `shard(for: key, in: region) -> Shard` (composite), `Shard?` when a region has no shard.
        case byKeyInRegion(optional: Bool)
    }

    /// The shape of the routing functions, or `nil` without sharding.
    var shardFunction: ShardFunction? {
        guard let sharding = plan.sharding else {
            return nil
        }
        let regionsComplete = regionShardLists?.allSatisfy { !$0.isEmpty } ?? true
        switch sharding.strategy {
        case .geographic:
            return .byRegion(optional: !regionsComplete)
        case .composite:
            return .byKeyInRegion(optional: !regionsComplete)
        case .range:
            return .byKey(optional: !rangeCoverage.complete)
        case .hashModulo, .consistentHash, .jumpHash:
            return .byKey(optional: false)
        }
    }

    /// The ranges as lines of packed text (lower bound, upper bound, shard: ``PackedTable``
    /// tokens, one range per line) and whether they cover every key.
    var rangeCoverage: (lines: [String], complete: Bool) {
        guard let sharding = plan.sharding, sharding.strategy == .range else {
            return ([], true)
        }
        let lines = sharding.shards.map { shard in
            [PackedTable.token(shard.rangeFrom), PackedTable.token(shard.rangeTo), PackedTable.token(shard.index)].joined(separator: " ")
        }
        if sharding.keyType == .text {
            let entries = sharding.shards.map { RangeMap<String>.Entry(lower: $0.rangeFrom, upper: $0.rangeTo, shard: $0.index) }
            return (lines, (try? RangeMap(entries))?.isComplete ?? false)
        }
        let entries = sharding.shards.map {
            RangeMap<Int64>.Entry(lower: $0.rangeFrom.flatMap { Int64($0) }, upper: $0.rangeTo.flatMap { Int64($0) }, shard: $0.index)
        }
        return (lines, (try? RangeMap(entries))?.isComplete ?? false)
    }

    /// The `Routing` enum: the plan's routing data as literals and the lookups over it.
    func renderRouting(_ out: inout SwiftSourceWriter) {
        guard let sharding = plan.sharding, let keyType, let function = shardFunction else {
            return
        }
        out.doc(
            "The routing data of the plan, embedded as literals (the same data as `routing.json`), and",
            "the lookups over it. Nothing is re-derived from names at run time.")
        out.block("public enum Routing") { out in
            out.doc("The sharding strategy.")
            out.line("public static let strategy = \(SwiftIdentifier.stringLiteral(sharding.strategy.rawValue))")
            out.doc("The shard key's column.")
            out.line("public static let shardKey = \(SwiftIdentifier.stringLiteral(sharding.key))")
            out.doc("The shard key's PostgreSQL type (`\(keyType)` in Swift).")
            out.line("public static let keyType = \(SwiftIdentifier.stringLiteral(sharding.keyType.rawValue))")
            if let hash = sharding.hashFunction {
                out.doc("The PostgreSQL hash function keys go through.")
                out.line("public static let hashFunction = \(SwiftIdentifier.stringLiteral(hash))")
            }
            if let seed = sharding.seed {
                out.doc("The seed passed to it.")
                out.line("public static let seed: Int64 = \(seed)")
            }
            out.line()
            switch sharding.strategy {
            case .consistentHash:
                renderRing(&out, sharding: sharding)
            case .jumpHash:
                out.doc("Jump consistent hash over the \(sharding.shards.count) shards.")
                out.line("public static let jump = JumpHash(shards: \(sharding.shards.count))")
                out.line()
                renderKeyLookup(&out, keyType: keyType, body: "Shard.byIndex[jump.shard(for: key)]")
            case .hashModulo:
                out.doc("PostgreSQL hash-partition routing: `MODULUS \(sharding.shards.count)`, the shard is the `REMAINDER`.")
                out.line("public static let modulo = HashModulo(shards: \(sharding.shards.count))")
                out.line()
                renderKeyLookup(&out, keyType: keyType, body: "Shard.byIndex[modulo.shard(for: key)]")
            case .range:
                renderRanges(&out, sharding: sharding, keyType: keyType)
            case .geographic:
                renderGeographic(&out, optional: { if case .byRegion(true) = function { true } else { false } }())
            case .composite:
                renderComposite(
                    &out, sharding: sharding, keyType: keyType,
                    optional: { if case .byKeyInRegion(true) = function { true } else { false } }())
            }
        }
    }

    /// `shard(for:)` for strategies that never miss.
    private func renderKeyLookup(_ out: inout SwiftSourceWriter, keyType: String, body: String) {
        out.doc("The shard that owns `key`.", "", "- Parameter key: The shard-key value.", "- Returns: The shard.")
        out.block("public static func shard(for key: \(keyType)) -> Shard") { out in
            out.line(body)
        }
    }

    /// The consistent-hash ring from the plan's tokens.
    private func renderRing(_ out: inout SwiftSourceWriter, sharding: PlanSharding) {
        let ring = sharding.ring ?? []
        let virtualNodes = sharding.virtualNodes ?? (sharding.shards.isEmpty ? 0 : ring.count / sharding.shards.count)
        out.doc("Tokens per shard on the ring.")
        out.line("public static let virtualNodes = \(virtualNodes)")
        let placement =
            sharding.tokenPlacement == .balanced
            ? "placed so that every shard owns the same share (`RingPlacement.balanced`)"
            : "(`hashtextextended(name || '#' || v, 0)`)"
        out.doc(
            "The ring's token positions \(placement), ascending in signed order, each with",
            "the index of the shard that owns it, packed as text (`PackedRingTokens`).")
        packedRing(
            &out, name: "packedRing", tokens: ring.lazy.map { HashRing.Token(token: $0.token, shard: $0.shard) },
            shardCount: sharding.shards.count)
        out.doc("The ring, built from the embedded tokens (no shard name is hashed at run time).")
        out.line("public static let ring = HashRing.embedded(")
        out.line("    shardNames: Shard.byIndex.map(\\.name), virtualNodes: virtualNodes, packed: packedRing)")
        out.line()
        renderKeyLookup(
            &out, keyType: SwiftRouterRenderer.swiftType(forKeyType: sharding.keyType), body: "Shard.byIndex[ring.shard(for: key)]")
    }

    /// A ring's tokens as a `StaticString` literal of ``PackedRingTokens`` lines.
    private func packedRing(
        _ out: inout SwiftSourceWriter, name: String, tokens: some Sequence<HashRing.Token>, shardCount: Int
    ) {
        out.line("static let \(name): StaticString = \"\"\"")
        out.indented { out in
            PackedRingTokens.forEachLine(tokens, shardCount: shardCount) { out.line(utf8: $0) }
            out.line("\"\"\"")
        }
    }

    /// The range map.
    private func renderRanges(_ out: inout SwiftSourceWriter, sharding: PlanSharding, keyType: String) {
        let coverage = rangeCoverage
        let bound: String =
            switch sharding.keyType {
            case .text: "String"
            case .smallint, .integer, .bigint: "Int64"
            }
        out.doc(
            "The shards' half-open key ranges `[lower, upper)`, one per line: lower bound, upper bound",
            "(`%nil` where unbounded) and the shard's index, packed as text (`PackedTable`).")
        out.line("public static let ranges = RangeMap<\(bound)>.embedded(")
        out.line("    count: \(coverage.lines.count),")
        out.line("    \"\"\"")
        for line in coverage.lines {
            out.line("    " + line)
        }
        out.line("    \"\"\")")
        out.line()
        if coverage.complete {
            renderKeyLookup(&out, keyType: keyType, body: "Shard.byIndex[ranges.shard(for: key) ?? 0]")
        } else {
            out.doc(
                "The shard that owns `key`, or `nil` if no range covers it.", "", "- Parameter key: The shard-key value.",
                "- Returns: The shard, or `nil`.")
            out.block("public static func shard(for key: \(keyType)) -> Shard?") { out in
                out.line("ranges.shard(for: key).map { Shard.byIndex[$0] }")
            }
        }
    }

    /// Geographic sharding: one shard per region.
    private func renderGeographic(_ out: inout SwiftSourceWriter, optional: Bool) {
        let lists = regionShardLists ?? []
        out.doc("The shard of each region, by region raw value.")
        if optional {
            out.arrayLiteral("public static let regionShards: [Int?] = ", lists.map { $0.first.map(String.init) ?? "nil" })
            out.line()
            out.doc("The shard of `region`, or `nil` if it has none.", "", "- Parameter region: The row's region.", "- Returns: The shard.")
            out.block("public static func shard(in region: Region) -> Shard?") { out in
                out.line("regionShards[region.rawValue].map { Shard.byIndex[$0] }")
            }
        } else {
            out.arrayLiteral("public static let regionShards: [Int] = ", lists.map { String($0.first ?? 0) })
            out.line()
            out.doc("The shard of `region`.", "", "- Parameter region: The row's region.", "- Returns: The shard.")
            out.block("public static func shard(in region: Region) -> Shard") { out in
                out.line("Shard.byIndex[regionShards[region.rawValue]]")
            }
        }
    }

    /// Composite sharding: region first, then a hash strategy over the region's shards.
    private func renderComposite(_ out: inout SwiftSourceWriter, sharding: PlanSharding, keyType: String, optional: Bool) {
        let lists = regionShardLists ?? []
        let routed = lists.enumerated().filter { !$0.element.isEmpty }
        let within = sharding.withinRegion ?? .hashModulo
        var strategies: [String] = []
        for (region, list) in routed {
            switch within {
            case .jumpHash:
                strategies.append(".jump(JumpHash(shards: \(list.count)))")
            case .consistentHash:
                let names = list.map { sharding.shards[$0].name }
                let virtualNodes = sharding.virtualNodes ?? 150
                let tokens = regionRing(sharding, region: plan.regions[region], shards: list)
                let prefix = regionCases[region].replacingOccurrences(of: "`", with: "")
                out.doc(
                    "The ring inside `\(plan.regions[region])`: token positions, ascending (from the plan), each with its",
                    "owner's within-region shard position (0-based in the region's shard list), packed as text.")
                packedRing(&out, name: "\(prefix)PackedRing", tokens: tokens, shardCount: list.count)
                strategies.append(
                    ".ring(HashRing.embedded(shardNames: \(arrayText(names.map(SwiftIdentifier.stringLiteral))), "
                        + "virtualNodes: \(virtualNodes), packed: \(prefix)PackedRing))")
            // Only hash strategies are valid inside a region (the validator refuses the others).
            case .hashModulo, .range, .geographic, .composite:
                strategies.append(".modulo(HashModulo(shards: \(list.count)))")
            }
        }
        out.doc("Each region's shards (global indices) and the `\(within.rawValue)` strategy among them.")
        out.line("public static let regional = RegionalShards(")
        out.line("    shardsByRegion: [" + routed.map { arrayText($0.element.map(String.init)) }.joined(separator: ", ") + "],")
        out.line("    strategies: [")
        for strategy in strategies {
            out.line("        \(strategy),")
        }
        out.line("    ])")
        out.line()
        if optional {
            var slots: [String] = []
            var next = 0
            for list in lists {
                slots.append(list.isEmpty ? "nil" : String(next))
                next += list.isEmpty ? 0 : 1
            }
            out.doc("The position in `regional` of each region, by region raw value (`nil`: no shard).")
            out.arrayLiteral("private static let slots: [Int?] = ", slots)
            out.line()
            out.doc(
                "The shard that owns `key` in `region`, or `nil` if the region has no shard.", "",
                "- Parameters:", "  - key: The shard-key value.", "  - region: The row's region.", "- Returns: The shard.")
            out.block("public static func shard(for key: \(keyType), in region: Region) -> Shard?") { out in
                out.line("slots[region.rawValue].map { Shard.byIndex[regional.shard(for: key, region: $0)] }")
            }
        } else {
            out.doc(
                "The shard that owns `key` in `region`.", "", "- Parameters:", "  - key: The shard-key value.",
                "  - region: The row's region.", "- Returns: The shard.")
            out.block("public static func shard(for key: \(keyType), in region: Region) -> Shard") { out in
                out.line("Shard.byIndex[regional.shard(for: key, region: region.rawValue)]")
            }
        }
    }

    /// The ring of one region of a composite topology: the plan's tokens for the region with
    /// owners as positions in the region's shard list, or (for a plan without them) the ring of
    /// the region's shard names.
    private func regionRing(_ sharding: PlanSharding, region: String, shards list: [Int]) -> [HashRing.Token] {
        let planned = (sharding.ring ?? []).filter { $0.region == region }
        if !planned.isEmpty {
            // A region's ring has shards x virtual nodes tokens: look owners up, not search the list.
            var position: [Int: Int] = [:]
            for (offset, shard) in list.enumerated() where position[shard] == nil { position[shard] = offset }
            return planned.compactMap { token in
                position[token.shard].map { HashRing.Token(token: token.token, shard: $0) }
            }
        }
        let names = list.map { sharding.shards[$0].name }
        let ring = try? HashRing(
            shards: names, virtualNodes: sharding.virtualNodes ?? 150, placement: sharding.tokenPlacement ?? .hashed)
        return ring?.tokens ?? []
    }

    /// `[a, b, c]`.
    func arrayText(_ elements: [String]) -> String {
        "[" + elements.joined(separator: ", ") + "]"
    }
}
