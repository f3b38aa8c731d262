import Testing
import TopologyRuntime

@Suite("RangeMap")
struct RangeMapTests {
    typealias IntMap = RangeMap<Int64>
    typealias TextMap = RangeMap<String>

    private func intMap() throws -> IntMap {
        try IntMap([
            .init(lower: 300, upper: nil, shard: 3),
            .init(lower: nil, upper: 0, shard: 0),
            .init(lower: 100, upper: 200, shard: 2),
            .init(lower: 0, upper: 100, shard: 1),
        ])
    }

    @Test("Ranges are half-open, unbounded ends are infinite, gaps have no shard")
    func int64Lookups() throws {
        let map = try intMap()
        let expectations: [(Int64, Int?)] = [
            (.min, 0), (-1, 0), (0, 1), (99, 1), (100, 2), (199, 2), (200, nil), (250, nil), (299, nil),
            (300, 3), (.max, 3),
        ]
        for (key, shard) in expectations {
            #expect(map.shard(for: key) == shard, "\(key)")
        }
        #expect(map.shard(for: Int32(150)) == 2)
        #expect(map.shard(for: Int16(-5)) == 0)
        #expect(map.shard(for: 100 as Int) == 2)
        #expect(map.entries.map(\.shard) == [0, 1, 2, 3])
        #expect(map.gaps == [IntMap.Gap(lower: 200, upper: 300)])
        #expect(!map.isComplete)
    }

    @Test("Gaps at either end and complete maps")
    func gaps() throws {
        let bounded = try IntMap([.init(lower: 10, upper: 20, shard: 0), .init(lower: 20, upper: 30, shard: 1)])
        #expect(bounded.gaps == [.init(lower: nil, upper: 10), .init(lower: 30, upper: nil)])
        #expect(bounded.shard(for: 9) == nil && bounded.shard(for: 10) == 0 && bounded.shard(for: 20) == 1)
        #expect(bounded.shard(for: 30) == nil)
        let complete = try IntMap(
            [.init(lower: nil, upper: 5, shard: 0), .init(lower: 5, upper: nil, shard: 1)],
            allowGaps: false)
        #expect(complete.isComplete)
        #expect(complete.shard(for: 4) == 0 && complete.shard(for: 5) == 1)
        let empty = try IntMap([])
        #expect(empty.gaps == [.init(lower: nil, upper: nil)])
        #expect(empty.shard(for: 0) == nil)
        #expect(throws: RangeMapError<Int64>.gaps([.init(lower: 200, upper: 300)])) {
            try IntMap(try intMap().entries, allowGaps: false)
        }
    }

    @Test("Overlapping, empty and negative-shard entries are rejected")
    func validation() {
        #expect(throws: RangeMapError<Int64>.overlap(0, 1)) {
            try IntMap([.init(lower: 0, upper: 10, shard: 0), .init(lower: 5, upper: 15, shard: 1)])
        }
        #expect(throws: RangeMapError<Int64>.overlap(1, 2)) {
            try IntMap([
                .init(lower: 100, upper: 110, shard: 0), .init(lower: 0, upper: nil, shard: 1),
                .init(lower: 10, upper: 20, shard: 2),
            ])
        }
        #expect(throws: RangeMapError<Int64>.overlap(0, 1)) {
            try IntMap([.init(lower: nil, upper: 1, shard: 0), .init(lower: nil, upper: 2, shard: 1)])
        }
        #expect(throws: RangeMapError<Int64>.overlap(0, 1)) {
            try IntMap([.init(lower: 3, upper: 4, shard: 0), .init(lower: 3, upper: 9, shard: 1)])
        }
        #expect(throws: RangeMapError<Int64>.emptyRange(index: 1)) {
            try IntMap([.init(lower: 0, upper: 1, shard: 0), .init(lower: 5, upper: 5, shard: 1)])
        }
        #expect(throws: RangeMapError<Int64>.emptyRange(index: 0)) {
            try IntMap([.init(lower: 6, upper: 5, shard: 0)])
        }
        #expect(throws: RangeMapError<Int64>.negativeShard(index: 0)) {
            try IntMap([.init(lower: 0, upper: 5, shard: -1)])
        }
    }

    @Test("Lookups agree with a linear scan on random maps")
    func randomMaps() throws {
        var generator = SplitMix64(seed: 11)
        for _ in 0..<50 {
            var bounds = Set<Int64>()
            while bounds.count < 12 {
                bounds.insert(Int64.random(in: -1_000...1_000, using: &generator))
            }
            let sorted = bounds.sorted()
            var entries: [IntMap.Entry] = []
            var index = 0
            while index + 1 < sorted.count {
                if Bool.random(using: &generator) {
                    entries.append(.init(lower: sorted[index], upper: sorted[index + 1], shard: entries.count))
                }
                index += 1 + Int.random(in: 0...1, using: &generator)
            }
            entries.shuffle(using: &generator)
            let map = try IntMap(entries)
            for key in Int64(-1_010)...1_010 {
                let expected = entries.first { entry in
                    entry.lower.map { $0 <= key } ?? true && entry.upper.map { key < $0 } ?? true
                }?.shard
                #expect(map.shard(for: key) == expected)
            }
        }
    }

    @Test("String ranges compare UTF-8 bytes, like COLLATE \"C\"")
    func strings() throws {
        let map = try TextMap([
            .init(lower: nil, upper: "M", shard: 0),
            .init(lower: "M", upper: "m", shard: 1),
            .init(lower: "m", upper: "é", shard: 2),
            .init(lower: "é", upper: nil, shard: 3),
        ])
        let expectations: [(String, Int)] = [
            ("", 0), ("Apple", 0), ("L~~~", 0), ("M", 1), ("Zebra", 1), ("apple", 1), ("lz", 1), ("m", 2),
            ("zzz", 2), ("e\u{301}", 1), ("é", 3), ("éa", 3), ("日本", 3), ("🎉", 3),
        ]
        for (key, shard) in expectations {
            #expect(map.shard(for: key) == shard, "\(key)")
        }
        #expect(map.isComplete)
        // Swift's String < treats canonically equivalent strings as equal; byte order does not.
        #expect("e\u{301}" == "é")
        #expect(String.rangeMapPrecedes("e\u{301}", "é"))
        #expect(!String.rangeMapPrecedes("é", "e\u{301}"))
        #expect(String.rangeMapPrecedes("ab", "abc") && !String.rangeMapPrecedes("abc", "ab"))
        #expect(!String.rangeMapPrecedes("same", "same"))
        let prefixed = try TextMap([.init(lower: "user-", upper: "user.", shard: 0)])
        #expect(prefixed.shard(for: "user-123") == 0 && prefixed.shard(for: "user") == nil)
        #expect(prefixed.shard(for: "user.") == nil)
    }

    @Test("String byte order agrees with comparing UTF-8 arrays")
    func stringOrder() {
        var generator = SplitMix64(seed: 5)
        let alphabet: [Character] = ["a", "b", "Z", "é", "e", "\u{301}", "日", "🎉", "ß", " "]
        for _ in 0..<2_000 {
            let left = String(
                (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                    alphabet.randomElement(using: &generator) ?? "a"
                })
            let right = String(
                (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                    alphabet.randomElement(using: &generator) ?? "a"
                })
            #expect(
                String.rangeMapPrecedes(left, right) == Array(left.utf8).lexicographicallyPrecedes(Array(right.utf8)))
        }
    }
}
