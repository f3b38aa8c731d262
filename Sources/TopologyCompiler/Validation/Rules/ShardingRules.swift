import TopologyRuntime

extension RuleCatalog {
    /// The sharding rules (TSH4xx): keys and constraints that must stay within one shard, range
    /// coverage, region maps and ring balance.
    static let shardingRules: [Rule] = [
        Rule(.uniqueKeyWithoutShardKey) { ShardingChecks.uniqueKeys($0) },
        Rule(.foreignKeyAcrossShards) { ShardingChecks.foreignKeys($0) },
        Rule(.shardKeyTypeMismatch) { ShardingChecks.keyTypes($0) },
        Rule(.rangeShardsIncomplete) { ShardingChecks.rangeCoverage($0) },
        Rule(.regionWithoutShard) { ShardingChecks.regionCoverage($0) },
        Rule(.shardMembersPinnedToRegion) { ShardingChecks.pinnedMembers($0) },
        Rule(.ringImbalance) { ShardingChecks.ringBalance($0) },
        Rule(.hashModuloResharding) { ShardingChecks.hashModulo($0) },
    ]
}

/// The checks of the sharding rules.
enum ShardingChecks {
    /// The largest accepted ratio of the fullest shard's ring share to the mean share.
    static let maximumRingImbalance = 1.25
    /// From this many virtual nodes per shard the ring is not measured: a shard's share deviates
    /// from the mean by about 1/sqrt(virtual_nodes), so the fullest of at most 4096 shards (the
    /// language's limit) expects about 1 + sqrt(2 ln 4096 / 512) = 1.18 times the mean, and
    /// building rings of millions of tokens would make validation slow.
    static let unmeasuredVirtualNodes = 512

    /// How a table is placed in a sharded topology, as the planner places it.
    enum Placement: Equatable {
        /// Rows spread over shards by the key column.
        case sharded(key: String)
        /// Copied to every shard (a reference table or a tenancy shared table).
        case reference
    }

    /// The placement of a table, or nil when the topology is not sharded.
    static func placement(of table: Table, in topology: Topology) -> Placement? {
        guard let sharding = topology.sharding else { return nil }
        let name = table.name.value
        if sharding.referenceTables.contains(where: { $0.value == name })
            || topology.tenancy?.sharedTables.contains(where: { $0.value == name }) == true
        {
            return .reference
        }
        return .sharded(key: (table.shardKey ?? sharding.key).value)
    }

    /// The located name of a table's shard key (its `shard_key`, else the sharding key).
    static func shardKey(of table: Table, _ sharding: Sharding) -> Located<String> { table.shardKey ?? sharding.key }

    /// The co-location group of a sharded table: its declared group, else the table alone.
    static func colocationGroup(of table: String, _ sharding: Sharding) -> String {
        sharding.colocationGroups.first { $0.tables.contains { $0.value == table } }?.name.value ?? table
    }

    // MARK: TSH401

    /// TSH401: primary keys, unique constraints and unique indexes without the shard key.
    static func uniqueKeys(_ context: RuleContext) {
        let topology = context.topology
        guard let sharding = topology.sharding else { return }
        for table in topology.tables {
            guard case .sharded(let key) = placement(of: table, in: topology) else { continue }
            let keyNote = Diagnostic.Note(
                "the shard key of '\(table.name.value)' is '\(key)'", at: shardKey(of: table, sharding).location)
            let name = table.name.value
            if !table.primaryKey.isEmpty, !table.primaryKey.contains(where: { $0.value == key }) {
                context.report(
                    "the primary key of sharded table '\(name)' does not include its shard key '\(key)': each shard checks it only over its own rows, so two shards can hold the same key; add '\(key)' to the primary key",
                    at: table.primaryKeyLocation ?? table.name.location, notes: [keyNote], suppressions: table.suppressions)
            }
            for unique in table.uniqueConstraints where !unique.columns.contains(where: { $0.value == key }) {
                let columns = unique.columns.map(\.value).joined(separator: ", ")
                context.report(
                    "unique constraint (\(columns)) of sharded table '\(name)' does not include its shard key '\(key)': it is only unique within each shard; add '\(key)' to it",
                    at: unique.location, notes: [keyNote], suppressions: table.suppressions)
            }
            for index in table.indexes where index.unique?.value == true {
                let includesKey = index.keys.contains {
                    if case .column(let column) = $0 { return column.value == key }
                    return false
                }
                guard !includesKey else { continue }
                let label = index.name.map { "unique index '\($0.value)'" } ?? "a unique index"
                context.report(
                    "\(label) of sharded table '\(name)' does not include its shard key '\(key)': it is only unique within each shard; add '\(key)' to its columns",
                    at: index.unique?.location ?? index.location, notes: [keyNote],
                    suppressions: index.suppressions + table.suppressions)
            }
        }
    }

    // MARK: TSH402

    /// TSH402: foreign keys whose referenced row may live on another shard.
    static func foreignKeys(_ context: RuleContext) {
        let topology = context.topology
        guard let sharding = topology.sharding else { return }
        for table in topology.tables {
            guard let source = placement(of: table, in: topology) else { continue }
            for foreignKey in table.foreignKeys {
                guard let target = topology.table(named: foreignKey.referencedTable.value),
                    case .sharded(let targetKey) = placement(of: target, in: topology)
                else { continue }
                let targetNote = Diagnostic.Note(
                    "'\(target.name.value)' is sharded by '\(targetKey)'", at: target.name.location)
                guard case .sharded(let sourceKey) = source else {
                    context.report(
                        "reference table '\(table.name.value)' is copied to every shard, but '\(target.name.value)' is sharded: each referenced row exists on one shard, so the foreign key fails on every other; reference it from a sharded table instead",
                        at: foreignKey.location, notes: [targetNote], suppressions: table.suppressions)
                    continue
                }
                let sourceGroup = colocationGroup(of: table.name.value, sharding)
                let targetGroup = colocationGroup(of: target.name.value, sharding)
                guard sourceGroup == targetGroup else {
                    context.report(
                        "the foreign key from '\(table.name.value)' to '\(target.name.value)' crosses shards: the tables are not in one co-location group, so the referenced row may live on another shard; list both under one 'sharding.colocation' group",
                        at: foreignKey.location, notes: [targetNote], suppressions: table.suppressions)
                    continue
                }
                let referenced = foreignKey.referencedColumns.isEmpty ? target.primaryKey : foreignKey.referencedColumns
                let pairs = zip(foreignKey.columns.map(\.value), referenced.map(\.value))
                guard !pairs.contains(where: { $0.0 == sourceKey && $0.1 == targetKey }) else { continue }
                context.report(
                    "the foreign key from '\(table.name.value)' to co-located '\(target.name.value)' does not map shard key '\(sourceKey)' to '\(targetKey)', so the referenced row may live on another shard; include the shard keys in the foreign key",
                    at: foreignKey.location, notes: [targetNote], suppressions: table.suppressions)
            }
        }
    }

    // MARK: TSH403

    /// TSH403: shard key columns whose type is not the sharding key_type.
    static func keyTypes(_ context: RuleContext) {
        let topology = context.topology
        guard let sharding = topology.sharding else { return }
        let wanted = sharding.keyType.value
        for table in topology.tables {
            guard case .sharded(let key) = placement(of: table, in: topology), let column = table.column(named: key) else {
                continue
            }
            let type = column.type.value
            guard type.shardKeyType != wanted else { continue }
            let problem =
                type.shardKeyType == nil
                ? "cannot be a shard key (shard keys are smallint, integer, bigint or text)"
                : "hashes differently from the sharding key_type \(wanted.rawValue), so equal keys land on different shards"
            context.report(
                "shard key column '\(table.name.value).\(key)' has type \(type), which \(problem)",
                at: column.type.location,
                notes: [.init("the sharding key_type is \(wanted.rawValue)", at: sharding.keyType.location)],
                suppressions: table.suppressions)
        }
    }

    // MARK: TSH404

    /// TSH404: range shards that leave gaps or overlap.
    static func rangeCoverage(_ context: RuleContext) {
        guard let sharding = context.topology.sharding, sharding.strategy.value == .range else { return }
        switch sharding.keyType.value {
        case .text:
            checkRanges(context, sharding, domain: (lower: "", upper: nil)) { bound -> String? in
                if case .text(let text) = bound { return text }
                return nil
            }
        case .smallint, .integer, .bigint:
            let limits: (Int64, Int64) =
                switch sharding.keyType.value {
                case .smallint: (Int64(Int16.min), Int64(Int16.max))
                case .integer: (Int64(Int32.min), Int64(Int32.max))
                default: (Int64.min, Int64.max)
                }
            checkRanges(context, sharding, domain: (lower: limits.0, upper: limits.1)) { bound -> Int64? in
                if case .integer(let value) = bound { return value }
                return nil
            }
        }
    }

    /// Builds the range map, reporting empty and overlapping ranges (dropping them and building
    /// again), then the gaps that hold keys of the key type's domain (`upper` inclusive). Gaps are
    /// only reported when no range overlapped: dropping an overlapping range can open a gap that
    /// fixing the overlap closes.
    private static func checkRanges<Bound: RangeMapBound & CustomStringConvertible>(
        _ context: RuleContext, _ sharding: Sharding, domain: (lower: Bound, upper: Bound?),
        bound convert: (ShardBound) -> Bound?
    ) {
        let ranges = sharding.ranges
        var kept = Array(ranges.indices)
        var overlapped = false
        func entries() -> [RangeMap<Bound>.Entry] {
            kept.map { index in
                RangeMap.Entry(
                    lower: ranges[index].lower.flatMap { convert($0.value) },
                    upper: ranges[index].upper.flatMap { convert($0.value) }, shard: index)
            }
        }
        func describe(_ index: Int) -> String {
            let range = ranges[index]
            return "[\(range.lower?.value.description ?? "minus infinity"), \(range.upper?.value.description ?? "plus infinity"))"
        }
        while !kept.isEmpty {
            do throws(RangeMapError<Bound>) {
                let map = try RangeMap(entries())
                guard !overlapped else { return }
                for gap in map.gaps where holdsKeys(gap, domain: domain) {
                    reportGap(context, gap, ranges: ranges, map: map)
                }
                return
            } catch .emptyRange(let position) {
                let index = kept[position]
                context.report(
                    "range shard s\(index) \(describe(index)) covers no key: its 'from' is not below its 'to'",
                    at: ranges[index].location)
                kept.remove(at: position)
            } catch .overlap(let first, let second) {
                let earlier = kept[first]
                let later = kept[second]
                context.report(
                    "range shard s\(later) \(describe(later)) overlaps range shard s\(earlier) \(describe(earlier)): keys in both would have two shards",
                    at: ranges[later].location,
                    notes: [.init("range shard s\(earlier) is declared here", at: ranges[earlier].location)])
                kept.remove(at: second)
                overlapped = true
            } catch {
                return
            }
        }
    }

    /// Whether a gap contains a key of the domain [lower, upper].
    private static func holdsKeys<Bound: RangeMapBound>(_ gap: RangeMap<Bound>.Gap, domain: (lower: Bound, upper: Bound?)) -> Bool {
        if let upper = gap.upper, !Bound.rangeMapPrecedes(domain.lower, upper) { return false }
        if let lower = gap.lower, let maximum = domain.upper, Bound.rangeMapPrecedes(maximum, lower) { return false }
        return true
    }

    /// Reports a gap at the range that starts where it ends (else the one that ends where it
    /// starts).
    private static func reportGap<Bound: RangeMapBound & CustomStringConvertible>(
        _ context: RuleContext, _ gap: RangeMap<Bound>.Gap, ranges: [ShardRange], map: RangeMap<Bound>
    ) {
        let text = "[\(gap.lower?.description ?? "minus infinity"), \(gap.upper?.description ?? "plus infinity"))"
        let next = map.entries.first { entry in entry.lower != nil && entry.lower == gap.upper }
        let previous = map.entries.last { entry in entry.upper != nil && entry.upper == gap.lower }
        if let next {
            let range = ranges[next.shard]
            var notes: [Diagnostic.Note] = []
            if let previous {
                notes.append(
                    .init(
                        "range shard s\(previous.shard) ends here",
                        at: ranges[previous.shard].upper?.location ?? ranges[previous.shard].location))
            }
            context.report(
                "keys in \(text) have no range shard, so inserting one fails; range shard s\(next.shard) should start where the previous range ends",
                at: range.lower?.location ?? range.location, notes: notes)
        } else if let previous {
            let range = ranges[previous.shard]
            context.report(
                "keys in \(text) have no range shard, so inserting one fails; leave the last range without 'to'",
                at: range.upper?.location ?? range.location)
        }
    }

    // MARK: TSH405, TSH406

    /// TSH405: declared regions without a shard.
    static func regionCoverage(_ context: RuleContext) {
        let topology = context.topology
        guard let sharding = topology.sharding, [.geographic, .composite].contains(sharding.strategy.value) else { return }
        let mapped = Set(sharding.regionShards.map(\.region.value))
        let mapLocation = sharding.regionShards.first?.region.location ?? sharding.strategy.location
        for region in topology.regions where !mapped.contains(region.name.value) {
            context.report(
                "region '\(region.name.value)' has no shard: rows whose '\(sharding.regionKey?.value ?? "region")' is '\(region.name.value)' cannot be placed; add it to 'sharding.regions'",
                at: region.name.location,
                notes: [.init("the \(sharding.strategy.value.rawValue) sharding map is here", at: mapLocation)])
        }
    }

    /// TSH406: shard template members pinned to a region.
    static func pinnedMembers(_ context: RuleContext) {
        let topology = context.topology
        guard let sharding = topology.sharding, [.geographic, .composite].contains(sharding.strategy.value),
            let template = topology.cluster(named: sharding.cluster.value)
        else { return }
        var reported: Set<SourceLocation> = []
        for member in template.members {
            guard let region = member.region, reported.insert(region.location).inserted else { continue }
            context.report(
                "a member of shard template '\(template.name.value)' is pinned to region '\(region.value)': it runs there for every shard, so each shard's data is copied to '\(region.value)' whatever the shard's region; remove the member's region so that it takes the shard's",
                at: region.location,
                notes: [
                    .init(
                        "the topology shards by region (\(sharding.strategy.value.rawValue)) here", at: sharding.strategy.location
                    )
                ],
                suppressions: template.suppressions)
        }
    }

    // MARK: TSH407, TSH408

    /// TSH407: consistent-hash rings whose fullest shard owns too much: the ring over every shard,
    /// or with composite sharding the ring of each region, as the plan builds them.
    static func ringBalance(_ context: RuleContext) {
        guard let sharding = context.topology.sharding else { return }
        let virtualNodes = sharding.virtualNodes?.value ?? RingLayout.defaultVirtualNodes
        guard virtualNodes < unmeasuredVirtualNodes else { return }
        var rings: [(shardNames: [String], scope: String, count: Located<Int>, location: SourceLocation)] = []
        switch sharding.strategy.value {
        case .consistentHash:
            guard let shards = sharding.shardCount else { return }
            rings.append(((0..<shards.value).map { "s\($0)" }, "", shards, sharding.strategy.location))
        case .composite:
            guard let within = sharding.withinRegion, within.value == .consistentHash else { return }
            for entry in sharding.regionShards {
                let names = (0..<entry.shards.value).map { "\(entry.region.value)-s\($0)" }
                rings.append((names, " in region '\(entry.region.value)'", entry.shards, within.location))
            }
        default:
            return
        }
        let declared = sharding.virtualNodes == nil ? " (the default)" : ""
        let placement = sharding.tokenPlacement?.value ?? .hashed
        for ring in rings {
            guard
                let imbalance = ringImbalance(
                    shardNames: ring.shardNames, virtualNodes: virtualNodes, placement: placement, rings: context.rings),
                imbalance.ratio > maximumRingImbalance
            else { continue }
            let ratio = (imbalance.ratio * 100).rounded() / 100
            context.report(
                "the consistent-hash ring of \(ring.shardNames.count) shards\(ring.scope) with \(virtualNodes) virtual nodes each\(declared) is unbalanced: shard \(imbalance.fullest) owns \(ratio) times the mean share of keys (the limit is \(maximumRingImbalance)); raise 'virtual_nodes', or choose 'token_placement: balanced' while the ring holds no data (it places every token anew)",
                at: sharding.virtualNodes?.location ?? ring.location,
                notes: [.init("\(ring.shardNames.count) shards are declared here", at: ring.count.location)])
        }
    }

    /// The fullest shard's share of a ring over the mean share, and that shard's name, for the
    /// ring of the named shards (the plan names them s0, s1, ..., or <region>-s0, ... by region).
    static func ringImbalance(
        shardNames: [String], virtualNodes: Int, placement: RingPlacement, rings: RingCache
    ) -> (ratio: Double, fullest: String)? {
        guard shardNames.count > 1,
            let tokens = rings.tokens(shardNames: shardNames, virtualNodes: virtualNodes, placement: placement),
            let last = tokens.last
        else { return nil }
        var owned = [Double](repeating: 0, count: shardNames.count)
        var previous = last.token
        for token in tokens {
            // A token owns the positions after the previous token up to itself, wrapping around.
            let arc = UInt64(bitPattern: token.token &- previous)
            owned[token.shard] += Double(arc)
            previous = token.token
        }
        guard let fullest = owned.indices.max(by: { owned[$0] < owned[$1] }) else { return nil }
        let mean = 18_446_744_073_709_551_616.0 / Double(shardNames.count)
        return (owned[fullest] / mean, shardNames[fullest])
    }

    /// TSH408: hash-modulo resharding moves most keys.
    static func hashModulo(_ context: RuleContext) {
        guard let sharding = context.topology.sharding else { return }
        let location: SourceLocation
        let counts: [Int]
        if sharding.strategy.value == .hashModulo {
            location = sharding.strategy.location
            counts = [sharding.shardCount?.value ?? 0]
        } else if sharding.strategy.value == .composite, let within = sharding.withinRegion, within.value == .hashModulo {
            location = within.location
            counts = sharding.regionShards.map(\.shards.value)
        } else {
            return
        }
        guard let shards = counts.max(), shards > 0 else { return }
        let moved = Int((Double(shards) / Double(shards + 1) * 100).rounded())
        let scope = counts.count > 1 ? " in a region" : ""
        context.report(
            "hash-modulo resharding moves most keys: growing from \(shards) to \(shards + 1) shards\(scope) moves about \(shards)/\(shards + 1) (\(moved)%) of them; jump-hash or consistent-hash would move about 1/\(shards + 1)",
            at: location)
    }
}
