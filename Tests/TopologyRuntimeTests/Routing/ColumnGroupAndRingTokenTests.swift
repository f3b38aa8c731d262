import Testing
import TopologyRuntime

@Suite("Embedded routing data")
struct EmbeddedRoutingTests {
    @Test("Vertical column groups route to their database, other columns to the home database")
    func columnGroups() {
        let router = ColumnGroupRouter(
            homeDatabase: "news",
            groups: [.init(name: "body", columns: ["body", "summary"], database: "news_articles_body")])
        #expect(router.database(forColumn: "body") == "news_articles_body")
        #expect(router.database(forColumn: "summary") == "news_articles_body")
        #expect(router.database(forColumn: "title") == "news")
        #expect(router.group(named: "body")?.columns == ["body", "summary"])
        #expect(router.isHomeOnly(["id", "title"]))
        #expect(!router.isHomeOnly(["id", "summary"]))
    }

    @Test("A ring built from its own tokens routes exactly like the ring built from names")
    func ringFromTokens() throws {
        let names = (0..<7).map { "s\($0)" }
        let built = try HashRing(shards: names, virtualNodes: 40)
        let embedded = try HashRing(
            shardNames: names, virtualNodes: 40, tokens: built.tokens.map(\.token), owners: built.tokens.map(\.shard))
        #expect(embedded == built)
        for key in Int64(-5_000)..<5_000 {
            #expect(embedded.shard(for: key) == built.shard(for: key))
        }
    }

    @Test("Inconsistent embedded tokens are rejected")
    func badTokens() throws {
        let built = try HashRing(shards: ["a", "b"], virtualNodes: 3)
        let tokens = built.tokens.map(\.token)
        let owners = built.tokens.map(\.shard)
        #expect(throws: EmbeddedRingError.lengthMismatch(tokens: 6, owners: 5)) {
            try HashRing(shardNames: ["a", "b"], virtualNodes: 3, tokens: tokens, owners: Array(owners.dropLast()))
        }
        #expect(throws: EmbeddedRingError.wrongTokenCount(expected: 8, actual: 6)) {
            try HashRing(shardNames: ["a", "b"], virtualNodes: 4, tokens: tokens, owners: owners)
        }
        #expect(throws: EmbeddedRingError.unsorted(index: 1)) {
            try HashRing(shardNames: ["a", "b"], virtualNodes: 3, tokens: [tokens[1], tokens[0]] + tokens[2...], owners: owners)
        }
        #expect(throws: EmbeddedRingError.ownerOutOfRange(index: 0, owner: 2)) {
            try HashRing(shardNames: ["a", "b"], virtualNodes: 3, tokens: tokens, owners: [2] + owners.dropFirst())
        }
        let allZero = [Int](repeating: 0, count: 6)
        #expect(throws: EmbeddedRingError.wrongVirtualNodeCount(shard: 0, count: 6)) {
            try HashRing(shardNames: ["a", "b"], virtualNodes: 3, tokens: tokens, owners: allZero)
        }
    }

    @Test("Regional shards route like GeoMap for the same regions")
    func regional() throws {
        let regions = [GeoMap.Region(name: "us", shards: [0, 1, 2, 3]), GeoMap.Region(name: "eu", shards: [4, 5])]
        let geo = try GeoMap(regions: regions, strategy: .jump)
        let regional = RegionalShards(
            shardsByRegion: regions.map(\.shards), strategies: [.jump(JumpHash(shards: 4)), .jump(JumpHash(shards: 2))])
        for key in Int64(0)..<2_000 {
            #expect(regional.shard(for: key, region: 0) == geo.shard(for: key, regionIndex: 0))
            #expect(regional.shard(for: key, region: 1) == geo.shard(for: key, regionIndex: 1))
        }
    }
}
