import Testing
import TopologyRuntime

@testable import TopologyCompiler

@Suite("Rules: sharding")
struct ShardingRulesTests {
    typealias F = ClusterRuleFixture

    /// A sharded topology: `sharding` is the body of the section (indented by two), `tables` of
    /// the tables section (indented by two).
    static func sharded(_ sharding: String, tables: String, regions: String = "") -> String {
        "topology: shop\n" + regions + "clusters:\n  shard: { members: 1 }\nsharding:\n" + sharding
            + (sharding.hasSuffix("\n") ? "" : "\n") + "tables:\n" + tables + (tables.hasSuffix("\n") ? "" : "\n")
    }

    static let hashSharding = "  key: user_id\n  key_type: bigint\n  strategy: jump-hash\n  shards: 4\n  cluster: shard\n"

    // MARK: TSH401 unique-key-without-shard-key

    @Test func primaryKeyWithoutTheShardKeyIsAnError() throws {
        let text = Self.sharded(
            Self.hashSharding, tables: "  users:\n    columns: { user_id: bigint, email: text }\n    primary_key: [email]\n")
        let found = try F.expect(
            .uniqueKeyWithoutShardKey, in: text, at: "[email]",
            message: "the primary key of sharded table 'users' does not include its shard key 'user_id'")
        F.expectNote(found[0], at: "user_id", in: text)
    }

    @Test func uniqueConstraintsAndUniqueIndexesWithoutTheShardKeyAreErrors() throws {
        let text = Self.sharded(
            Self.hashSharding,
            tables: """
                  users:
                    columns: { user_id: bigint, email: text, handle: text }
                    primary_key: [user_id]
                    unique: [[email]]
                    indexes:
                      - { name: users_handle, columns: [handle], unique: true }
                """)
        let found = try F.findings(.uniqueKeyWithoutShardKey, text)
        #expect(found.count == 2)
        let constraint = try #require(found.first { $0.message.contains("unique constraint (email)") })
        F.expect(constraint.location, at: "[email]", in: text)
        let index = try #require(found.first { $0.message.contains("unique index 'users_handle'") })
        F.expect(index.location, at: "true", in: text)
    }

    @Test func keysWithTheShardKeyAndReferenceTablesAreFine() throws {
        let text = Self.sharded(
            Self.hashSharding + "  reference: [plans]\n",
            tables: """
                  users:
                    columns: { user_id: bigint, email: text }
                    primary_key: [user_id]
                    unique: [[user_id, email]]
                  plans:
                    columns: { code: text }
                    primary_key: code
                """)
        try F.expectNothing(.uniqueKeyWithoutShardKey, in: text)
    }

    @Test func uniqueKeyRuleIsSuppressedOnTheTableOrIndex() throws {
        let table = Self.sharded(
            Self.hashSharding,
            tables: "  users:\n    columns: { user_id: bigint, email: text }\n    primary_key: [email]\n"
                + "    suppress: [{ rule: TSH401, reason: emails are claimed in a global registry first }]\n")
        try F.expectNothing(.uniqueKeyWithoutShardKey, in: table)
        let index = Self.sharded(
            Self.hashSharding,
            tables: """
                  users:
                    columns: { user_id: bigint, email: text }
                    primary_key: [user_id]
                    indexes:
                      - name: users_email
                        columns: [email]
                        unique: true
                        suppress: [{ rule: TSH401, reason: per-shard uniqueness is enough }]
                """)
        try F.expectNothing(.uniqueKeyWithoutShardKey, in: index)
    }

    // MARK: TSH402 foreign-key-across-shards

    static func orders(colocation: String, foreignKey: String, extraTables: String = "", reference: String = "") -> String {
        sharded(
            hashSharding + colocation + reference,
            tables: """
                  users:
                    columns: { user_id: bigint, name: text }
                    primary_key: [user_id]
                  orders:
                    columns: { user_id: bigint, order_id: bigint, buyer_id: bigint }
                    primary_key: [user_id, order_id]
                    foreign_keys:
                      - \(foreignKey)
                """ + extraTables)
    }

    @Test func foreignKeyBetweenTablesOfDifferentGroupsIsAnError() throws {
        let text = Self.orders(colocation: "", foreignKey: "{ columns: user_id, references: { table: users } }")
        let found = try F.expect(
            .foreignKeyAcrossShards, in: text, at: "{ columns: user_id",
            message: "the foreign key from 'orders' to 'users' crosses shards: the tables are not in one co-location group")
        F.expectNote(found[0], at: "users:", in: text)
    }

    @Test func foreignKeyBetweenCoLocatedTablesMustUseTheShardKeys() throws {
        let text = Self.orders(
            colocation: "  colocation: { by_user: [users, orders] }\n",
            foreignKey: "{ columns: buyer_id, references: { table: users } }")
        try F.expect(
            .foreignKeyAcrossShards, in: text, at: "{ columns: buyer_id",
            message: "does not map shard key 'user_id' to 'user_id'")
    }

    /// `orders` with a composite key to `carts`, keyed `[user_id, cart_id]` and co-located.
    static func ordersToCarts(_ columns: String) -> String {
        orders(
            colocation: "  colocation: { by_user: [users, orders, carts] }\n",
            foreignKey: "{ columns: \(columns), references: { table: carts } }",
            extraTables: """

                  carts:
                    columns: { user_id: bigint, cart_id: bigint }
                    primary_key: [user_id, cart_id]
                """)
    }

    @Test func aCompositeForeignKeyMustPairTheShardKeys() throws {
        try F.expect(
            .foreignKeyAcrossShards, in: Self.ordersToCarts("[buyer_id, user_id]"), at: "{ columns: [buyer_id",
            message: "does not map shard key 'user_id' to 'user_id'")
        try F.expectNothing(.foreignKeyAcrossShards, in: Self.ordersToCarts("[user_id, buyer_id]"))
    }

    @Test func referenceTableCannotReferenceAShardedTable() throws {
        let text = Self.orders(
            colocation: "  colocation: { by_user: [users, orders] }\n",
            foreignKey: "{ columns: user_id, references: { table: users } }",
            extraTables: """

                  coupons:
                    columns: { code: text, owner_id: bigint }
                    primary_key: code
                    foreign_keys:
                      - { columns: owner_id, references: { table: users } }
                """,
            reference: "  reference: [coupons]\n")
        let found = try F.expect(
            .foreignKeyAcrossShards, in: text, at: "{ columns: owner_id",
            message: "reference table 'coupons' is copied to every shard, but 'users' is sharded")
        F.expectNote(found[0], at: "users:", in: text)
    }

    @Test func coLocatedForeignKeysOnTheShardKeyAndReferencesToReferenceTablesAreFine() throws {
        let text = Self.orders(
            colocation: "  colocation: { by_user: [users, orders] }\n",
            foreignKey: "{ columns: user_id, references: { table: users } }",
            extraTables: """

                  plans:
                    columns: { code: text }
                    primary_key: code
                  subscriptions:
                    columns: { user_id: bigint, plan: text }
                    primary_key: [user_id, plan]
                    foreign_keys:
                      - { columns: plan, references: { table: plans } }
                """,
            reference: "  reference: [plans]\n")
        try F.expectNothing(.foreignKeyAcrossShards, in: text)
    }

    @Test func foreignKeyRuleIsSuppressedOnTheTable() throws {
        let text =
            Self.orders(colocation: "", foreignKey: "{ columns: user_id, references: { table: users } }")
            + "    suppress: [{ rule: TSH402, reason: checked by the order service }]\n"
        try F.expectNothing(.foreignKeyAcrossShards, in: text)
    }

    // MARK: TSH403 shard-key-type-mismatch

    @Test func shardKeyColumnOfAnotherTypeIsAnError() throws {
        let text = Self.sharded(
            Self.hashSharding,
            tables: """
                  users:
                    columns: { user_id: integer }
                    primary_key: user_id
                  events:
                    columns: { user_id: jsonb, at: timestamptz }
                """)
        let found = try F.findings(.shardKeyTypeMismatch, text)
        #expect(found.count == 2)
        let integer = try #require(found.first { $0.message.contains("'users.user_id' has type integer") })
        #expect(integer.message.contains("hashes differently from the sharding key_type bigint"))
        F.expect(integer.location, at: "integer", in: text)
        F.expectNote(integer, at: "bigint", in: text)
        let json = try #require(found.first { $0.message.contains("'events.user_id' has type jsonb") })
        #expect(json.message.contains("cannot be a shard key"))
    }

    @Test func shardKeyColumnsOfTheKeyTypeAreFine() throws {
        let text = Self.sharded(
            "  key: user_id\n  key_type: text\n  strategy: hash-modulo\n  shards: 2\n  cluster: shard\n",
            tables: """
                  users:
                    columns: { user_id: varchar(40) }
                    primary_key: user_id
                  posts:
                    columns: { author: text, post_id: bigserial }
                    primary_key: [author, post_id]
                    shard_key: author
                """)
        try F.expectNothing(.shardKeyTypeMismatch, in: text)
        let serial = Self.sharded(
            Self.hashSharding, tables: "  users:\n    columns: { user_id: bigserial }\n    primary_key: user_id\n")
        try F.expectNothing(.shardKeyTypeMismatch, in: serial)
    }

    @Test func shardKeyTypeRuleIsSuppressedOnTheTable() throws {
        let text = Self.sharded(
            Self.hashSharding,
            tables: "  users:\n    columns: { user_id: integer }\n    primary_key: user_id\n"
                + "    suppress: [{ rule: TSH403, reason: migrated to bigint next release }]\n")
        try F.expectNothing(.shardKeyTypeMismatch, in: text)
    }

    // MARK: TSH404 range-shards-incomplete

    static func ranged(_ keyType: String, _ ranges: String) -> String {
        sharded(
            "  key: id\n  key_type: \(keyType)\n  strategy: range\n  cluster: shard\n  ranges:\n" + ranges,
            tables: "  items:\n    columns: { id: \(keyType) }\n    primary_key: id\n")
    }

    @Test func gapBetweenRangesIsAnError() throws {
        let text = Self.ranged("bigint", "    - { to: 100 }\n    - { from: 200 }\n")
        let found = try F.expect(
            .rangeShardsIncomplete, in: text, at: "200",
            message: "keys in [100, 200) have no range shard, so inserting one fails; range shard s1 should start")
        F.expectNote(found[0], at: "100", in: text)
    }

    @Test func gapsAtTheEndsAreErrors() throws {
        let text = Self.ranged("bigint", "    - { from: 0, to: 100 }\n")
        let found = try F.findings(.rangeShardsIncomplete, text)
        #expect(found.count == 2)
        let below = try #require(found.first { $0.message.contains("[minus infinity, 0)") })
        F.expect(below.location, at: "0,", in: text)
        let above = try #require(found.first { $0.message.contains("[100, plus infinity)") })
        #expect(above.message.contains("leave the last range without 'to'"))
        F.expect(above.location, at: "100", in: text)
    }

    @Test func overlappingAndEmptyRangesAreErrors() throws {
        let text = Self.ranged(
            "bigint", "    - { to: 100 }\n    - { from: 100, to: 300 }\n    - { from: 250 }\n    - { from: 7, to: 7 }\n")
        let found = try F.findings(.rangeShardsIncomplete, text)
        // Gaps left by dropping the overlapping range are not reported.
        #expect(found.count == 2, "\(F.rendered(found))")
        let overlap = try #require(found.first { $0.message.contains("overlaps") })
        #expect(overlap.message.contains("range shard s2 [250, plus infinity) overlaps range shard s1 [100, 300)"))
        F.expect(overlap.location, at: "{ from: 250", in: text)
        F.expectNote(overlap, at: "{ from: 100", in: text)
        let empty = try #require(found.first { $0.message.contains("covers no key") })
        F.expect(empty.location, at: "{ from: 7", in: text)
    }

    @Test func completeRangesAreFine() throws {
        try F.expectNothing(
            .rangeShardsIncomplete,
            in: Self.ranged("bigint", "    - { to: 100 }\n    - { from: 100, to: 200 }\n    - { from: 200 }\n"))
        // The type's own limits close the key space: smallint keys start at -32768, text at ''.
        try F.expectNothing(
            .rangeShardsIncomplete, in: Self.ranged("smallint", "    - { from: -32768, to: 0 }\n    - { from: 0 }\n"))
        try F.expectNothing(.rangeShardsIncomplete, in: Self.ranged("text", "    - { from: '', to: m }\n    - { from: m }\n"))
        try F.expect(
            .rangeShardsIncomplete,
            in: Self.ranged("integer", "    - { from: -2147483648, to: 0 }\n    - { from: 0, to: 2147483647 }\n"),
            at: "2147483647", message: "keys in [2147483647, plus infinity)")
    }

    // MARK: TSH405 region-without-shard

    static let threeRegions = "regions: [us-east, eu-west, ap-south]\n"

    static func geographic(_ regions: String, strategy: String = "geographic", within: String = "") -> String {
        sharded(
            "  key: id\n  key_type: bigint\n  strategy: \(strategy)\n  region_key: region\n  regions: \(regions)\n\(within)  cluster: shard\n",
            tables: "  items:\n    columns: { id: bigint, region: text }\n    primary_key: id\n", regions: threeRegions)
    }

    @Test func declaredRegionWithoutAShardIsAnError() throws {
        let text = Self.geographic("[us-east, eu-west]")
        let found = try F.expect(
            .regionWithoutShard, in: text, at: "ap-south",
            message: "region 'ap-south' has no shard: rows whose 'region' is 'ap-south' cannot be placed")
        F.expectNote(found[0], at: "us-east", in: text, occurrence: 2)
        try F.expect(
            .regionWithoutShard, in: Self.geographic("{ us-east: 2 }", strategy: "composite", within: "  within: jump-hash\n"),
            at: "eu-west", count: 2, message: "region 'eu-west' has no shard")
    }

    @Test func everyRegionWithAShardIsFine() throws {
        try F.expectNothing(.regionWithoutShard, in: Self.geographic("[us-east, eu-west, ap-south]"))
    }

    // MARK: TSH406 shard-members-pinned-to-region

    @Test func shardTemplateMembersPinnedToARegionWarn() throws {
        let text = """
            topology: shop
            regions: [us-east, eu-west]
            clusters:
              shard:
                members:
                  - {}
                  - { region: us-east }
            sharding: { key: id, key_type: bigint, strategy: geographic, region_key: region, regions: [us-east, eu-west], cluster: shard }
            tables:
              items:
                columns: { id: bigint, region: text }
                primary_key: id

            """
        let found = try F.expect(
            .shardMembersPinnedToRegion, in: text, at: "us-east }",
            message: "a member of shard template 'shard' is pinned to region 'us-east'")
        F.expectNote(found[0], at: "geographic", in: text)
        let suppressed = text.replacingOccurrences(
            of: "      - { region: us-east }\n",
            with: "      - { region: us-east }\n    suppress: [{ rule: TSH406, reason: a reporting copy in us-east }]\n")
        try F.expectNothing(.shardMembersPinnedToRegion, in: suppressed)
        try F.expectNothing(.shardMembersPinnedToRegion, in: text.replacingOccurrences(of: "{ region: us-east }", with: "{}"))
    }

    // MARK: TSH407 ring-imbalance

    /// The fullest shard's share of the ring of the named shards over the mean, computed
    /// independently of the rule.
    static func imbalance(names: [String], virtualNodes: Int) throws -> Double {
        let ring = try HashRing(shards: names, virtualNodes: virtualNodes)
        var shares = [Double](repeating: 0, count: names.count)
        for (index, token) in ring.tokens.enumerated() {
            let previous = ring.tokens[(index + ring.tokens.count - 1) % ring.tokens.count].token
            shares[token.shard] += Double(UInt64(bitPattern: token.token &- previous))
        }
        return (shares.max() ?? 0) / (18_446_744_073_709_551_616.0 / Double(names.count))
    }

    static func imbalance(shards: Int, virtualNodes: Int) throws -> Double {
        try imbalance(names: (0..<shards).map { "s\($0)" }, virtualNodes: virtualNodes)
    }

    static func ring(shards: Int, virtualNodes: Int?) -> String {
        sharded(
            "  key: id\n  key_type: bigint\n  strategy: consistent-hash\n  shards: \(shards)\n"
                + (virtualNodes.map { "  virtual_nodes: \($0)\n" } ?? "") + "  cluster: shard\n",
            tables: "  items:\n    columns: { id: bigint }\n    primary_key: id\n")
    }

    @Test func ringWithFewVirtualNodesWarnsWithTheComputedImbalance() throws {
        let expected = try Self.imbalance(shards: 16, virtualNodes: 4)
        #expect(expected > 1.25)
        let rounded = (expected * 100).rounded() / 100
        let text = Self.ring(shards: 16, virtualNodes: 4)
        let found = try F.expect(
            .ringImbalance, in: text, at: "4\n",
            message: "the consistent-hash ring of 16 shards with 4 virtual nodes each is unbalanced")
        #expect(found[0].message.contains("owns \(rounded) times the mean share"), "\(found[0].message)")
        F.expectNote(found[0], at: "16", in: text)
    }

    @Test func compositeRingsAreMeasuredPerRegion() throws {
        let expected = try Self.imbalance(names: (0..<8).map { "us-east-s\($0)" }, virtualNodes: 4)
        #expect(expected > 1.25)
        let rounded = (expected * 100).rounded() / 100
        let text = Self.geographic(
            "{ us-east: 8, eu-west: 1, ap-south: 1 }", strategy: "composite",
            within: "  within: consistent-hash\n  virtual_nodes: 4\n")
        let found = try F.expect(
            .ringImbalance, in: text, at: "4\n",
            message: "the consistent-hash ring of 8 shards in region 'us-east' with 4 virtual nodes each is unbalanced")
        #expect(found[0].message.contains("owns \(rounded) times the mean share"), "\(found[0].message)")
        F.expectNote(found[0], at: "8", in: text)
        try F.expectNothing(
            .ringImbalance,
            in: Self.geographic(
                "{ us-east: 8, eu-west: 1, ap-south: 1 }", strategy: "composite", within: "  within: consistent-hash\n"))
    }

    @Test func ringWithEnoughVirtualNodesIsFine() throws {
        #expect(try Self.imbalance(shards: 16, virtualNodes: 150) <= 1.25)
        try F.expectNothing(.ringImbalance, in: Self.ring(shards: 16, virtualNodes: 150))
        try F.expectNothing(.ringImbalance, in: Self.ring(shards: 8, virtualNodes: nil))
        try F.expectNothing(.ringImbalance, in: Self.ring(shards: 1, virtualNodes: 1))
        // From 512 virtual nodes the ring is not built: the expected imbalance is below 1.2.
        // (4096 shards x 512 would exceed the largest ring, TPC050.)
        try F.expectNothing(.ringImbalance, in: Self.ring(shards: 1024, virtualNodes: 512))
    }

    // MARK: TSH408 hash-modulo-resharding

    @Test func hashModuloNotesThatReshardingMovesMostKeys() throws {
        let text = Self.sharded(
            "  key: id\n  key_type: text\n  strategy: hash-modulo\n  shards: 4\n  cluster: shard\n",
            tables: "  items:\n    columns: { id: text }\n    primary_key: id\n")
        try F.expect(
            .hashModuloResharding, in: text, at: "hash-modulo",
            message: "growing from 4 to 5 shards moves about 4/5 (80%) of them")
        let composite = Self.geographic(
            "{ us-east: 3, eu-west: 1, ap-south: 1 }", strategy: "composite", within: "  within: hash-modulo\n")
        try F.expect(
            .hashModuloResharding, in: composite, at: "hash-modulo",
            message: "from 3 to 4 shards in a region moves about 3/4 (75%)")
    }

    @Test func otherStrategiesHaveNoReshardingNote() throws {
        try F.expectNothing(
            .hashModuloResharding, in: Self.sharded(Self.hashSharding, tables: "  users:\n    columns: { user_id: bigint }\n"))
        try F.expectNothing(
            .hashModuloResharding,
            in: Self.geographic("{ us-east: 3, eu-west: 1, ap-south: 1 }", strategy: "composite", within: "  within: jump-hash\n")
        )
    }
}
