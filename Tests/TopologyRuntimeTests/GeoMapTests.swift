import Testing
import TopologyRuntime

@Suite("GeoMap")
struct GeoMapTests {
    private let regions = [
        GeoMap.Region(name: "eu", shards: [0, 1, 2]),
        GeoMap.Region(name: "us", shards: [5, 3]),
        GeoMap.Region(name: "ap", shards: [4]),
    ]

    @Test("Modulo within a region routes like HashModulo over the region's shards")
    func modulo() throws {
        let map = try GeoMap(regions: regions, strategy: .modulo)
        #expect(map.strategyKind == .modulo)
        #expect(map.shards(inRegion: "us") == [5, 3])
        #expect(map.regionIndex(named: "ap") == 2)
        let eu = HashModulo(shards: 3)
        let us = HashModulo(shards: 2)
        for key in Int64(0)..<1_000 {
            #expect(map.shard(for: key, inRegion: "eu") == [0, 1, 2][eu.shard(for: key)])
            #expect(map.shard(for: key, inRegion: "us") == [5, 3][us.shard(for: key)])
            #expect(map.shard(for: key, inRegion: "ap") == 4)
            #expect(map.shard(for: key, regionIndex: 1) == map.shard(for: key, inRegion: "us"))
        }
        #expect(map.shard(for: "k", inRegion: "mars") == nil)
        #expect(map.shards(inRegion: "mars") == nil)
        #expect(map.regionIndex(named: "mars") == nil)
    }

    @Test("Rings within a region use the global shard names")
    func ring() throws {
        let names = ["eu-a", "eu-b", "eu-c", "us-b", "ap-a", "us-a"]
        let map = try GeoMap(regions: regions, strategy: .ring(virtualNodes: 32), shardNames: names)
        let usRing = try HashRing(shards: ["us-a", "us-b"], virtualNodes: 32)
        let defaultMap = try GeoMap(regions: regions, strategy: .ring(virtualNodes: 32))
        let euDefault = try HashRing(shards: ["shard0", "shard1", "shard2"], virtualNodes: 32)
        var seen = Set<Int>()
        for index in 0..<2_000 {
            let key = "customer-\(index)"
            let shard = try #require(map.shard(for: key, inRegion: "us"))
            #expect(shard == [5, 3][usRing.shard(for: key)])
            #expect(defaultMap.shard(for: key, inRegion: "eu") == euDefault.shard(for: key))
            seen.insert(shard)
        }
        #expect(seen == [3, 5])
    }

    @Test("Jump hash within a region")
    func jump() throws {
        let map = try GeoMap(regions: regions, strategy: .jump)
        let eu = JumpHash(shards: 3)
        var counts = [0: 0, 1: 0, 2: 0]
        for key in Int32(0)..<3_000 {
            let shard = try #require(map.shard(for: key, inRegion: "eu"))
            #expect(shard == eu.shard(for: key))
            counts[shard, default: 0] += 1
        }
        #expect(counts.count == 3 && counts.values.allSatisfy { $0 > 800 })
    }

    @Test("Invalid maps are rejected")
    func errors() {
        #expect(throws: GeoMapError.noRegions) { try GeoMap(regions: [], strategy: .modulo) }
        #expect(throws: GeoMapError.duplicateRegion("eu")) {
            try GeoMap(regions: [.init(name: "eu", shards: [0]), .init(name: "eu", shards: [1])], strategy: .modulo)
        }
        #expect(throws: GeoMapError.emptyRegion("us")) {
            try GeoMap(regions: [.init(name: "eu", shards: [0]), .init(name: "us", shards: [])], strategy: .jump)
        }
        #expect(throws: GeoMapError.negativeShard(region: "eu", shard: -1)) {
            try GeoMap(regions: [.init(name: "eu", shards: [0, -1])], strategy: .modulo)
        }
        #expect(throws: GeoMapError.duplicateShard(0)) {
            try GeoMap(regions: [.init(name: "eu", shards: [0, 0])], strategy: .modulo)
        }
        #expect(throws: GeoMapError.duplicateShard(1)) {
            try GeoMap(
                regions: [.init(name: "eu", shards: [0, 1]), .init(name: "us", shards: [1])], strategy: .modulo)
        }
        #expect(throws: GeoMapError.missingShardName(2)) {
            try GeoMap(regions: [.init(name: "eu", shards: [0, 2])], strategy: .modulo, shardNames: ["a", "b"])
        }
        #expect(throws: GeoMapError.invalidRegionStrategy(region: "eu", .invalidVirtualNodeCount(0))) {
            try GeoMap(regions: [.init(name: "eu", shards: [0])], strategy: .ring(virtualNodes: 0))
        }
        #expect(throws: GeoMapError.invalidRegionStrategy(region: "eu", .duplicateShardName("x"))) {
            try GeoMap(
                regions: [.init(name: "eu", shards: [0, 1])], strategy: .ring(virtualNodes: 2), shardNames: ["x", "x"])
        }
    }
}
