import Testing

@testable import TopologyCompiler

enum ShardingKeyCases {
    /// A sharding section over cluster `main`, with the given strategy-specific lines (indented by two).
    static func sharding(_ lines: String, extra: String = "", keyType: String = "bigint") -> String {
        DecodeFixture.document(
            "sharding:\n  key: user_id\n  key_type: \(keyType)\n  cluster: main\n" + lines + extra)
    }

    static let all: [GrammarKeyCase] = [
        GrammarKeyCase(.sharding, "key", sharding("  strategy: hash-modulo\n  shards: 4\n")) {
            let sharding = try #require($0.topology.sharding)
            #expect(sharding.key.value == "user_id")
            $0.expect(sharding.key.location, at: "user_id")
            $0.expect(sharding.location, at: "key:")
        },
        GrammarKeyCase(
            .sharding, "suppress",
            sharding("  strategy: hash-modulo\n  shards: 4\n  suppress: [{ rule: TSH408, reason: the shard count is fixed }]\n")
        ) {
            let suppressions = try #require($0.topology.sharding).suppressions
            #expect(suppressions.map(\.code.value) == ["TSH408"])
            $0.expect(suppressions[0].code.location, at: "TSH408")
        },
        GrammarKeyCase(.sharding, "key_type", sharding("  strategy: hash-modulo\n  shards: 4\n", keyType: "text")) {
            let keyType = try #require($0.topology.sharding).keyType
            #expect(keyType.value == .text)
            #expect(keyType.value.sqlType == "text")
            $0.expect(keyType.location, at: "text")
        },
        GrammarKeyCase(.sharding, "strategy", sharding("  strategy: consistent-hash\n  shards: 8\n")) {
            let strategy = try #require($0.topology.sharding).strategy
            #expect(strategy.value == .consistentHash)
            #expect(strategy.value.hashes)
            $0.expect(strategy.location, at: "consistent-hash")
        },
        GrammarKeyCase(.sharding, "shards", sharding("  strategy: jump-hash\n  shards: 4096\n")) {
            let shards = try #require($0.topology.sharding?.shardCount)
            #expect(shards.value == 4096)
            $0.expect(shards.location, at: "4096")
        },
        GrammarKeyCase(.sharding, "virtual_nodes", sharding("  strategy: consistent-hash\n  shards: 16\n  virtual_nodes: 150\n")) {
            let nodes = try #require($0.topology.sharding?.virtualNodes)
            #expect(nodes.value == 150)
            $0.expect(nodes.location, at: "150")
        },
        GrammarKeyCase(
            .sharding, "token_placement", sharding("  strategy: consistent-hash\n  shards: 16\n  token_placement: balanced\n")
        ) {
            let placement = try #require($0.topology.sharding?.tokenPlacement)
            #expect(placement.value == .balanced)
            $0.expect(placement.location, at: "balanced")
        },
        GrammarKeyCase(.sharding, "cluster", sharding("  strategy: hash-modulo\n  shards: 2\n")) {
            let cluster = try #require($0.topology.sharding).cluster
            #expect(cluster.value == "main")
            $0.expect(cluster.location, at: "main", occurrence: 2)
        },
        GrammarKeyCase(
            .sharding, "ranges",
            sharding("  strategy: range\n  ranges:\n    - { to: 1000 }\n    - { from: 1000, to: 5000 }\n    - { from: 5000 }\n")
        ) {
            let ranges = try #require($0.topology.sharding).ranges
            #expect(ranges.map { $0.lower?.value } == [nil, .integer(1000), .integer(5000)])
            #expect(ranges.map { $0.upper?.value } == [.integer(1000), .integer(5000), nil])
            $0.expect(ranges[1].location, at: "{ from: 1000")
        },
        GrammarKeyCase(
            .sharding, "region_key",
            sharding("  strategy: geographic\n  region_key: home_region\n  regions: [eu, us]\n", extra: "regions: [eu, us]\n")
        ) {
            let key = try #require($0.topology.sharding?.regionKey)
            #expect(key.value == "home_region")
            $0.expect(key.location, at: "home_region")
        },
        GrammarKeyCase(
            .sharding, "regions",
            sharding("  strategy: geographic\n  region_key: home_region\n  regions: [eu, us]\n", extra: "regions: [eu, us]\n")
        ) {
            let regions = try #require($0.topology.sharding).regionShards
            #expect(regions.map(\.region.value) == ["eu", "us"])
            #expect(regions.map(\.shards.value) == [1, 1])
            $0.expect(regions[0].region.location, at: "eu", occurrence: 1)
        },
        GrammarKeyCase(
            .sharding, "within",
            sharding(
                "  strategy: composite\n  region_key: home_region\n  regions: { eu: 4, us: 2 }\n  within: consistent-hash\n  virtual_nodes: 64\n",
                extra: "regions: [eu, us]\n")
        ) {
            let sharding = try #require($0.topology.sharding)
            #expect(sharding.withinRegion?.value == .consistentHash)
            #expect(sharding.regionShards.map(\.shards.value) == [4, 2])
            #expect(sharding.virtualNodes?.value == 64)
            $0.expect(sharding.withinRegion?.location, at: "consistent-hash")
            $0.expect(sharding.regionShards[1].shards.location, at: "2 }")
        },
        GrammarKeyCase(
            .sharding, "colocation",
            sharding(
                "  strategy: hash-modulo\n  shards: 4\n  colocation:\n    by_user: [users, orders]\n",
                extra: "tables:\n  users: { columns: { user_id: bigint } }\n  orders: { columns: { user_id: bigint } }\n")
        ) {
            let groups = try #require($0.topology.sharding).colocationGroups
            #expect(groups.map(\.name.value) == ["by_user"])
            #expect(groups[0].tables.map(\.value) == ["users", "orders"])
            $0.expect(groups[0].tables[1].location, at: "orders]")
        },
        GrammarKeyCase(
            .sharding, "reference",
            sharding(
                "  strategy: hash-modulo\n  shards: 4\n  reference: countries\n",
                extra: "tables:\n  countries: { columns: { code: text } }\n")
        ) {
            // A single name is accepted as a list of one, and reference tables need no shard key column.
            let reference = try #require($0.topology.sharding).referenceTables
            #expect(reference.map(\.value) == ["countries"])
            $0.expect(reference[0].location, at: "countries")
        },
        GrammarKeyCase(
            .shardRange, "from",
            sharding("  strategy: range\n  ranges:\n    - to: m\n    - from: m\n", keyType: "text")
        ) {
            let ranges = try #require($0.topology.sharding).ranges
            #expect(ranges[1].lower?.value == .text("m"))
            #expect(ranges[1].upper == nil)
            $0.expect(ranges[1].lower?.location, at: "m\n", occurrence: 2)
        },
        GrammarKeyCase(
            .shardRange, "to",
            sharding("  strategy: range\n  ranges:\n    - { to: -5 }\n    - { from: -5 }\n")
        ) {
            let ranges = try #require($0.topology.sharding).ranges
            #expect(ranges[0].upper?.value == .integer(-5))
            #expect(ranges[0].lower == nil)
            #expect(ranges[0].upper?.value.description == "-5")
            $0.expect(ranges[0].upper?.location, at: "-5")
        },
    ]
}

@Suite("Decoding: sharding")
struct ShardingDecodingTests {
    @Test(arguments: ShardingKeyCases.all)
    func key(_ keyCase: GrammarKeyCase) throws {
        try keyCase.run()
    }

    @Test(arguments: ShardingStrategy.allCases)
    func everyStrategyDecodesWithItsRequiredKeys(_ strategy: ShardingStrategy) throws {
        let lines: String
        switch strategy {
        case .hashModulo, .consistentHash, .jumpHash: lines = "  shards: 3\n"
        case .range: lines = "  ranges: [{ to: 10 }, { from: 10 }]\n"
        case .geographic: lines = "  region_key: r\n  regions: [eu]\n"
        case .composite: lines = "  region_key: r\n  regions: { eu: 2 }\n  within: jump-hash\n"
        }
        let text = ShardingKeyCases.sharding("  strategy: \(strategy.rawValue)\n" + lines, extra: "regions: [eu]\n")
        let sharding = try #require(try DecodeFixture.decode(text).sharding)
        #expect(sharding.strategy.value == strategy)
        #expect(sharding.strategy.value.hashes == [.hashModulo, .consistentHash, .jumpHash].contains(strategy))
    }

    @Test func misspeltStrategySuggestsTheClosest() throws {
        try DecodeFixture.expectError(
            ShardingKeyCases.sharding("  strategy: consistent-hashing\n  shards: 4\n"), .invalidValue, at: "consistent-hashing",
            message: "'consistent-hashing' is not a valid 'strategy'; did you mean 'consistent-hash'?")
    }

    @Test func requiredKeysAreReportedAtTheSection() throws {
        let text = DecodeFixture.document("sharding:\n  key_type: bigint\n  strategy: hash-modulo\n  shards: 4\n  cluster: main\n")
        try DecodeFixture.expectError(text, .missingKey, at: "key_type", message: "`sharding` needs 'key'")
        let noCluster = DecodeFixture.document("sharding:\n  key: id\n  key_type: bigint\n  strategy: hash-modulo\n  shards: 4\n")
        try DecodeFixture.expectError(noCluster, .missingKey, at: "key:", message: "`sharding` needs 'cluster'")
    }

    @Test func inapplicableKeysPointAtTheKeyWithANoteAtTheStrategy() throws {
        let text = ShardingKeyCases.sharding("  strategy: jump-hash\n  shards: 8\n  virtual_nodes: 150\n")
        let diagnostic = try DecodeFixture.expectError(
            text, .inapplicableKey, at: "virtual_nodes", message: "'virtual_nodes' does not apply to the 'jump-hash' strategy")
        let note = try #require(diagnostic.notes.first)
        #expect(note.message == "strategy chosen here")
        DecodeFixture.expect(note.location, at: "jump-hash", in: text)

        try DecodeFixture.expectError(
            ShardingKeyCases.sharding("  strategy: range\n  shards: 2\n  ranges: [{ to: 1 }, { from: 1 }]\n"), .inapplicableKey,
            at: "shards", message: "'shards' does not apply to the 'range' strategy")
        try DecodeFixture.expectError(
            ShardingKeyCases.sharding("  strategy: hash-modulo\n  shards: 2\n  within: jump-hash\n"), .inapplicableKey,
            at: "within", message: "'within' does not apply to the 'hash-modulo' strategy")
    }

    @Test func strategiesReportTheKeysTheyNeed() throws {
        try DecodeFixture.expectError(
            ShardingKeyCases.sharding("  strategy: consistent-hash\n"), .missingKey, at: "consistent-hash",
            message: "the 'consistent-hash' strategy needs 'shards'")
        try DecodeFixture.expectError(
            ShardingKeyCases.sharding("  strategy: range\n"), .missingKey, at: "range", message: "the 'range' strategy needs 'ranges'")
        try DecodeFixture.expectError(
            ShardingKeyCases.sharding("  strategy: geographic\n  regions: [eu]\n", extra: "regions: [eu]\n"), .missingKey,
            at: "geographic", message: "the 'geographic' strategy needs 'region_key'")
        try DecodeFixture.expectError(
            ShardingKeyCases.sharding("  strategy: composite\n  region_key: r\n  regions: { eu: 2 }\n", extra: "regions: [eu]\n"),
            .missingKey, at: "composite", message: "the 'composite' strategy needs 'within'")
    }

    @Test func geographicGivesOneShardPerRegion() throws {
        try DecodeFixture.expectError(
            ShardingKeyCases.sharding("  strategy: geographic\n  region_key: r\n  regions: { eu: 3 }\n", extra: "regions: [eu]\n"),
            .invalidValue, at: "3", message: "use the 'composite' strategy for 3 shards in 'eu'")
    }

    @Test func compositeNeedsAHashStrategyWithinRegions() throws {
        try DecodeFixture.expectError(
            ShardingKeyCases.sharding(
                "  strategy: composite\n  region_key: r\n  regions: { eu: 2 }\n  within: geographic\n", extra: "regions: [eu]\n"),
            .invalidValue, at: "geographic", message: "'within' takes a hash strategy")
    }

    @Test func shardCountsAreRangeChecked() throws {
        try DecodeFixture.expectError(
            ShardingKeyCases.sharding("  strategy: hash-modulo\n  shards: 0\n"), .invalidValue, at: "0\n",
            message: "'shards' must be between 1 and 4096, found 0")
        try DecodeFixture.expectError(
            ShardingKeyCases.sharding("  strategy: consistent-hash\n  shards: 2\n  virtual_nodes: 5000\n"), .invalidValue, at: "5000",
            message: "'virtual_nodes' must be between 1 and 4096, found 5000")
    }

    @Test("A consistent-hash ring holds at most 4096 x 150 tokens (TPC050), each region's ring with composite sharding")
    func ringSizeIsLimited() throws {
        let limit = RingLayout.maximumTokens
        #expect(limit == 614_400)
        // At the limit, declared or by default: accepted.
        _ = try DecodeFixture.decode(ShardingKeyCases.sharding("  strategy: consistent-hash\n  shards: 4096\n"))
        _ = try DecodeFixture.decode(ShardingKeyCases.sharding("  strategy: consistent-hash\n  shards: 4096\n  virtual_nodes: 150\n"))
        _ = try DecodeFixture.decode(ShardingKeyCases.sharding("  strategy: consistent-hash\n  shards: 150\n  virtual_nodes: 4096\n"))
        // One token over: refused at the virtual node count, with a note at the shard count.
        let over = ShardingKeyCases.sharding("  strategy: consistent-hash\n  shards: 4096\n  virtual_nodes: 151\n")
        let diagnostic = try DecodeFixture.expectError(
            over, .planLimit, at: "151",
            message:
                "the consistent-hash ring of 4096 shards with 151 virtual nodes each would hold 618496 tokens; topoc builds rings of at most 614400 tokens"
        )
        #expect(diagnostic.message.hasSuffix("declare at most 150 virtual nodes per shard, or fewer shards"))
        let note = try #require(diagnostic.notes.first)
        DecodeFixture.expect(note.location, at: "4096", in: over)
        try DecodeFixture.expectError(
            ShardingKeyCases.sharding("  strategy: consistent-hash\n  shards: 4096\n  virtual_nodes: 4096\n"), .planLimit,
            at: "4096\n", occurrence: 2, message: "would hold 16777216 tokens")
        // Composite: each region's ring (the default virtual nodes never exceed it: 4096 shards at most).
        try DecodeFixture.expectError(
            ShardingKeyCases.sharding(
                "  strategy: composite\n  region_key: r\n  regions: { eu: 2, us: 4096 }\n  within: consistent-hash\n  virtual_nodes: 200\n",
                extra: "regions: [eu, us]\n"),
            .planLimit, at: "200",
            message: "the consistent-hash ring of 4096 shards in region 'us' with 200 virtual nodes each would hold 819200 tokens")
        _ = try DecodeFixture.decode(
            ShardingKeyCases.sharding(
                "  strategy: composite\n  region_key: r\n  regions: { eu: 4096, us: 4096 }\n  within: jump-hash\n",
                extra: "regions: [eu, us]\n"))
    }

    @Test func integerRangeBoundsMustBeUnquotedIntegers() throws {
        try DecodeFixture.expectError(
            ShardingKeyCases.sharding("  strategy: range\n  ranges: [{ to: \"100\" }, { from: \"100\" }]\n"), .wrongType, at: "\"100\"",
            message: "'to' expects an integer bound, found a string")
        try DecodeFixture.expectError(
            ShardingKeyCases.sharding("  strategy: range\n  ranges: [{ to: 1, form: 0 }, { from: 1 }]\n"), .unknownKey, at: "form",
            message: "unknown key 'form' in a shard range")
    }

    @Test func keyTypeIsAChoice() throws {
        try DecodeFixture.expectError(
            ShardingKeyCases.sharding("  strategy: hash-modulo\n  shards: 2\n", keyType: "uuid"), .invalidValue, at: "uuid",
            message: "'uuid' is not a valid 'key_type' (expected one of: smallint, integer, bigint, text)")
    }

    @Test func referencesAreChecked() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("sharding: { key: id, key_type: bigint, strategy: jump-hash, shards: 2, cluster: maim }\n"),
            .unknownReference, at: "maim", message: "unknown cluster 'maim'; did you mean 'main'?")
        try DecodeFixture.expectError(
            ShardingKeyCases.sharding("  strategy: hash-modulo\n  shards: 2\n  reference: [countries]\n"), .unknownReference,
            at: "countries", message: "unknown table 'countries'")
        try DecodeFixture.expectError(
            ShardingKeyCases.sharding("  strategy: geographic\n  region_key: r\n  regions: [eu, ap]\n", extra: "regions: [eu]\n"),
            .unknownReference, at: "ap]", message: "unknown region 'ap'")
    }

    @Test func shardedTablesNeedTheShardKeyColumn() throws {
        let text = ShardingKeyCases.sharding(
            "  strategy: hash-modulo\n  shards: 2\n", extra: "tables:\n  events:\n    columns: { id: bigint }\n")
        let diagnostic = try DecodeFixture.expectError(
            text, .unknownReference, at: "events",
            message:
                "sharded table 'events' has no column 'user_id' (the sharding key); add it, set 'shard_key', or list the table under 'sharding.reference'"
        )
        DecodeFixture.expect(diagnostic.notes.first?.location, at: "user_id", in: text)
    }

    @Test func aTableMayNameItsOwnShardKeyColumn() throws {
        let topology = try DecodeFixture.decode(
            ShardingKeyCases.sharding(
                "  strategy: hash-modulo\n  shards: 2\n",
                extra: "tables:\n  events:\n    columns: { owner: bigint }\n    shard_key: owner\n"))
        #expect(topology.tables[0].shardKey?.value == "owner")
        let wrong = ShardingKeyCases.sharding(
            "  strategy: hash-modulo\n  shards: 2\n",
            extra: "tables:\n  events:\n    columns: { owner: bigint }\n    shard_key: ownr\n")
        try DecodeFixture.expectError(wrong, .unknownReference, at: "ownr", message: "unknown column of 'events' 'ownr'")
    }

    @Test func tablesSharedByTenancyNeedNoShardKey() throws {
        let text = ShardingKeyCases.sharding(
            "  strategy: hash-modulo\n  shards: 2\n",
            extra:
                "tenancy: { mode: shared-schema, column: tenant_id, shared_tables: [plans] }\ntables:\n  plans: { columns: { id: bigint } }\n"
        )
        #expect(try DecodeFixture.decode(text).tables.count == 1)
    }
}
