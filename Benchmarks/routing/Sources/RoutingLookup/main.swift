import Foundation
import MallocCounter
import PostgresLookup3
import TopologyRuntime

// Nanoseconds and heap allocations per lookup, per strategy, against the hash alone.
// Run in release: swift run -c release --package-path Benchmarks/routing RoutingLookup

let keyCount = 1_000_000
let rounds = 10

// Pseudo-random bigint keys and text keys, made before timing (so the loops allocate nothing).
var state: UInt64 = 0x9E37_79B9_7F4A_7C15
let keys: [Int64] = (0..<keyCount).map { _ in
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Int64(bitPattern: state >> 1)
}
let textKeys: [String] = (0..<keyCount).map { "user-\(UInt32(truncatingIfNeeded: keys[$0]))" }

/// The CPU time this thread has used, in nanoseconds. The machine is shared (other builds run
/// beside the benchmark), so rows are timed in the thread's CPU time rather than wall-clock time:
/// time spent waiting for a core does not count, time spent running does.
func threadNanoseconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) * 1e9 + Double(spec.tv_nsec)
}

/// Runs `body` over every key `rounds` times; prints ns/lookup (wall clock, as before; thread CPU
/// time, the mean of the rounds and the best round) and allocations/lookup, and returns the best
/// round's ns/lookup.
@discardableResult
func measure<Key>(_ name: String, _ keys: [Key], _ body: (Key) -> Int) -> Double {
    var sink = 0
    for key in keys.prefix(10_000) { sink &+= body(key) }  // warm up
    let mallocsBefore = malloc_counter_allocations()
    var total = 0.0
    var best = Double.infinity
    let wallStart = ContinuousClock.now
    for _ in 0..<rounds {
        let start = threadNanoseconds()
        for key in keys { sink &+= body(key) }
        let elapsed = threadNanoseconds() - start
        total += elapsed
        best = min(best, elapsed / Double(keys.count))
    }
    let wall = ContinuousClock.now - wallStart
    let mallocs = malloc_counter_allocations() &- mallocsBefore
    let lookups = Double(keyCount * rounds)
    let wallNanoseconds = Double(wall.components.seconds) * 1e9 + Double(wall.components.attoseconds) / 1e9
    let wallPerLookup = (wallNanoseconds / lookups * 10).rounded() / 10
    let perLookup = (total / lookups * 10).rounded() / 10
    let bestPerLookup = (best * 10).rounded() / 10
    let mallocText = mallocs == UInt64.max ? "n/a" : String(Double(mallocs) / lookups)
    let padded = name + String(repeating: " ", count: max(1, 52 - name.count))
    print(
        "\(padded)wall \(wallPerLookup) ns  cpu \(perLookup) ns  best \(bestPerLookup) ns   \(mallocText) mallocs/lookup   (checksum \(sink & 0xFFFF))"
    )
    return bestPerLookup
}

let names = (0..<16).map { "s\($0)" }
let ring: HashRing
let balancedRing: HashRing
let ranges: RangeMap<Int64>
do {
    ring = try HashRing(shards: names, virtualNodes: 150)
    balancedRing = try HashRing(shards: names, virtualNodes: 150, placement: .balanced)
    ranges = try RangeMap([
        .init(lower: nil, upper: Int64.min / 2, shard: 0), .init(lower: Int64.min / 2, upper: 0, shard: 1),
        .init(lower: 0, upper: Int64.max / 2, shard: 2), .init(lower: Int64.max / 2, upper: nil, shard: 3),
    ])
} catch {
    fatalError("setup: \(error)")
}
let embedded = HashRing.embedded(
    shardNames: names, virtualNodes: 150, tokens: ring.tokens.map(\.token), owners: ring.tokens.map(\.shard))
let jump = JumpHash(shards: 16)
let modulo = HashModulo(shards: 16)
let strategy = HashStrategy.ring(ring)
let regional = RegionalShards(
    shardsByRegion: [[0, 1, 2, 3], [4, 5], [6, 7]],
    strategies: [.jump(JumpHash(shards: 4)), .jump(JumpHash(shards: 2)), .jump(JumpHash(shards: 2))])
let members = [
    MemberState(role: .leader, replayLSN: LSN(0x4000)),
    MemberState(role: .replica, replayLSN: LSN(0x2000), lag: .milliseconds(300)),
    MemberState(role: .replica, replayLSN: LSN(0x3800), lag: .milliseconds(100)),
]
let router = MemberRouter(maxStaleness: .seconds(2), preference: .first)

print("\(keyCount * rounds) lookups each, 16 shards (release build recommended)")
let hashAlone = measure("hash alone (hashint8extended)", keys) { Int(truncatingIfNeeded: $0.pgHash(seed: 0)) }
let ringStart = ContinuousClock.now
let ringBest = measure("ring, 150 virtual nodes (2400 tokens)", keys) { ring.shard(for: $0) }
let ringElapsed = ContinuousClock.now - ringStart
let ringWall = (Double(ringElapsed.components.seconds) * 1e9 + Double(ringElapsed.components.attoseconds) / 1e9) / Double(keyCount * rounds)
measure("ring by binary search (before the index)", keys) { ring.tokens[ring.tokenIndexBySearch(forPosition: $0.pgHash(seed: 0))].shard }
measure("ring from embedded tokens", keys) { embedded.shard(for: $0) }
measure("ring, 150 virtual nodes, balanced placement", keys) { balancedRing.shard(for: $0) }
measure("ring through HashStrategy enum", keys) { strategy.shard(for: $0) }
let jumpBest = measure("jump hash", keys) { jump.shard(for: $0) }
/// Lamping and Veach's loop as the paper writes it, which `JumpHash.bucket` ran until it took its
/// first steps without testing for the end (2026-12-07); the answers must stay the same. Not
/// inlined, like `JumpHash.bucket` (not `@inlinable`, so called across the module boundary): both
/// rows pay one call per lookup.
@inline(never)
func paperJumpBucket(_ key: UInt64, _ buckets: Int) -> Int {
    var state = key
    var bucket: Int64 = -1
    var next: Int64 = 0
    while next < Int64(buckets) {
        bucket = next
        state = state &* 2_862_933_555_777_941_757 &+ 1
        next = Int64(Double(bucket + 1) * (Double(Int64(1) << 31) / Double((state >> 33) + 1)))
    }
    return Int(bucket)
}
/// `JumpHash.bucket`'s steps with their divisions paired: a step's quotient depends only on the
/// generator's state, not on the chain, so two steps' quotients are one SSE2 `divpd`. Kept here to
/// show it is no faster (2026-12-07): the chain's conversions and multiply bound a step, not the
/// division.
@inline(never)
func pairedDivisionJumpBucket(_ key: UInt64, _ buckets: Int) -> Int {
    let multiplier: UInt64 = 2_862_933_555_777_941_757
    let count = Int64(buckets)
    var state = key
    var bucket: Int64 = 0
    var next: Int64 = 0
    var remaining = min(16, max(3, Int.bitWidth - (buckets - 1).leadingZeroBitCount + 1))
    while remaining > 0 {
        let first = state &* multiplier &+ 1
        let second = first &* multiplier &+ 1
        state = second
        let quotients =
            SIMD2<Double>(repeating: 0x1p31) / SIMD2<Double>(Double((first &>> 33) + 1), Double((second &>> 33) + 1))
        for lane in 0..<2 {
            let jump = Double(next &+ 1) * quotients[lane]
            next = Int64(jump < 0x1p62 ? jump : 0x1p62)
            bucket = next < count ? next : bucket
        }
        remaining -= 2
    }
    while next < count {
        bucket = next
        state = state &* multiplier &+ 1
        next = Int64(Double(bucket &+ 1) * (0x1p31 / Double((state &>> 33) + 1)))
    }
    return Int(bucket)
}
// The jump function alone over the keys' hashes, by bucket count, beside the paper's loop.
let hashedKeys = keys.map { UInt64(bitPattern: $0.pgHash(seed: 0)) }
for buckets in [2, 8, 16, 64, 256, 4_096, 65_536] {
    let paper = bestRound(hashedKeys, rounds: 5) { paperJumpBucket($0, buckets) }
    let current = bestRound(hashedKeys, rounds: 5) { JumpHash.bucket(for: $0, buckets: buckets) }
    let paired = bestRound(hashedKeys, rounds: 5) { pairedDivisionJumpBucket($0, buckets) }
    let name = "jump function alone, \(buckets) buckets"
    print(
        "\(name + String(repeating: " ", count: max(1, 52 - name.count)))paper's loop \((paper.best * 10).rounded() / 10) ns, "
            + "JumpHash \((current.best * 10).rounded() / 10) ns (\((paper.best / current.best * 100).rounded() / 100)x faster), "
            + "divisions paired \((paired.best * 10).rounded() / 10) ns, "
            + "checksums \(paper.sink & 0xFFFF) / \(current.sink & 0xFFFF) / \(paired.sink & 0xFFFF)")
}
measure("hash-modulo (partition hash)", keys) { modulo.shard(for: $0) }
measure("range map, 4 ranges", keys) { ranges.shard(for: $0) ?? -1 }
measure("composite: region, then jump", keys) { regional.shard(for: $0, region: Int(UInt64(bitPattern: $0) % 3)) }
let textHashAlone = measure("hash alone, text key (hashtextextended)", textKeys) { Int(truncatingIfNeeded: $0.pgHash(seed: 0)) }
// The text hash over the keys' bytes laid end to end, as PostgreSQL reads a `text` value: topoc's
// Swift lookup3 beside PostgreSQL's own C (PostgresLookup3, clang -O2 or more): the floor under any
// lookup that places text keys by `hashtextextended`, whatever the language.
var textBytes: [UInt8] = []
let textSpans: [Range<Int>] = textKeys.map { key in
    let start = textBytes.count
    textBytes.append(contentsOf: key.utf8)
    return start..<textBytes.count
}
let (textSwiftBytes, textCBytes) = textBytes.withUnsafeBytes { bytes in
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { fatalError("no text keys") }
    let swift = measure("hash alone, text bytes (Swift lookup3)", textSpans) { span in
        Int(truncatingIfNeeded: PostgresHash.hashBytesExtended(UnsafeRawBufferPointer(rebasing: bytes[span]), seed: 0))
    }
    let c = measure("hash alone, text bytes (PostgreSQL's C lookup3)", textSpans) { span in
        Int(truncatingIfNeeded: postgres_hash_bytes_extended(base + span.lowerBound, span.count, 0))
    }
    for span in textSpans.prefix(100_000) {
        let piece = UnsafeRawBufferPointer(rebasing: bytes[span])
        guard
            PostgresHash.hashBytesExtended(piece, seed: 0)
                == Int64(bitPattern: postgres_hash_bytes_extended(base + span.lowerBound, span.count, 0))
        else { fatalError("the Swift and C text hashes differ") }
    }
    return (swift, c)
}
let textRingStart = ContinuousClock.now
let textRing = measure("ring, text key", textKeys) { ring.shard(for: $0) }
let textRingElapsed = ContinuousClock.now - textRingStart
let textRingWall =
    (Double(textRingElapsed.components.seconds) * 1e9 + Double(textRingElapsed.components.attoseconds) / 1e9) / Double(keyCount * rounds)
/// The fastest of `rounds` rounds over every key, in ns per lookup: the round least disturbed by
/// other work on the machine (noise only ever adds time).
func bestRound<Key>(_ keys: [Key], rounds: Int, _ body: (Key) -> Int) -> (best: Double, sink: Int) {
    var sink = 0
    var best = Double.infinity
    for _ in 0..<rounds {
        let start = threadNanoseconds()
        for key in keys { sink &+= body(key) }
        best = min(best, (threadNanoseconds() - start) / Double(keys.count))
    }
    return (best, sink)
}
measure("member router, read-your-writes", keys) { key in
    let token = ConsistencyToken(lastCommit: LSN(UInt64(bitPattern: key) & 0x3FFF))
    return router.routeRead(.readYourWrites, token: token, members: members).member ?? -1
}
measure("member router, eventual", keys) { _ in router.routeRead(.eventual, members: members).member ?? -1 }
// TopologyClient's whole decision: the monitor's state (time lag refreshed in place), a
// timeline-checked session token, a spread over eligible replicas.
var replicaState = ReplicaRoutingState(memberCount: 3)
replicaState.apply(
    [
        .init(isLeader: true, isReplica: false, timeline: 2, location: 0x4000),
        .init(isLeader: false, isReplica: true, timeline: 2, replayedLocation: 0x2000, replayedAt: 999.7),
        .init(isLeader: false, isReplica: true, timeline: 2, replayedLocation: 0x3800, replayedAt: 999.9),
    ], polledAt: 1000)
measure("client decision, read-your-writes (timeline token)", keys) { key in
    let token = SessionToken(token: ConsistencyToken(lastCommit: LSN(UInt64(bitPattern: key) & 0x3FFF)), timeline: 2)
    return replicaState.route(.readYourWrites, token: token, now: 1000.5, spread: UInt64(bitPattern: key), router: router).member ?? -1
}
measure("client decision, eventual (time lag)", keys) { key in
    replicaState.route(.eventual, token: .none, now: 1000.5, spread: UInt64(bitPattern: key), router: router).member ?? -1
}
// The baseline in the same run: the design guide's ring (MD5, sorted points, bisect) in Python
// (Baseline/guide_ring.py), over the same kind of text keys, and over integer user ids routed as
// the guide routes them (`get_shard(str(user_id))`) beside topoc's ring on bigint keys.
/// Runs the guide's ring over keys of `kind` (`text` or `int`) between two best rounds of
/// topoc's ring over `keys`, and prints both with their ratio.
@discardableResult
func compareWithGuide<Key>(_ kind: String, _ keys: [Key], topocWall: Double, _ body: (Key) -> Int) throws -> Double {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Baseline/guide_ring.py")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    // Interleaved: topoc's best round before and after the guide's, so both see the same load.
    let before = bestRound(keys, rounds: 5, body)
    process.arguments = [script.path, "300000", "10", kind]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let after = bestRound(keys, rounds: 5, body)
    let fields = output.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
    guard process.terminationStatus == 0, fields.count == 4 else {
        fatalError("guide_ring.py failed: \(output)")
    }
    let (guide, guideBest, guideWall) = (fields[0], fields[2], fields[3])
    let topocBest = (min(before.best, after.best) * 10).rounded() / 10
    let keyName = kind == "text" ? "text key" : "integer key"
    let name = "guide's ring (Python, MD5, bisect), \(keyName)"
    print(
        "\(name + String(repeating: " ", count: max(1, 52 - name.count)))wall \(guideWall) ns  cpu \(guide) ns  best \(guideBest) ns   (300,000 lookups)"
    )
    print(
        "as before (wall-clock means): topoc's ring, \(keyName), is \(Int((guideWall / topocWall).rounded()))x faster than the guide's ring"
    )
    print(
        "best rounds, interleaved: topoc's ring, \(keyName) \(topocBest) ns (checksum \((before.sink &+ after.sink) & 0xFFFF)), "
            + "the guide's ring \(guideBest) ns: \(Int((guideBest / topocBest).rounded()))x")
    return guideBest
}
let guideTextBest = try compareWithGuide("text", textKeys, topocWall: textRingWall) { ring.shard(for: $0) }
print(
    "the text hash alone against the guide's ring: Swift \((guideTextBest / textSwiftBytes).rounded())x, "
        + "PostgreSQL's C \((guideTextBest / textCBytes).rounded())x (no ring placing text keys by hashtextextended can beat this)"
)
try compareWithGuide("int", keys, topocWall: ringWall) { ring.shard(for: $0) }
print(
    "ratios to the hash alone (best rounds): jump hash \((jumpBest / hashAlone * 100).rounded() / 100)x, ring \((ringBest / hashAlone * 100).rounded() / 100)x, ring text key \((textRing / textHashAlone * 100).rounded() / 100)x"
)
do {
    let before = malloc_counter_allocations()
    let array = [Int](repeating: 1, count: 1000)
    let after = malloc_counter_allocations()
    print("control: allocating a 1000-element array counted \(after &- before) malloc(s) (sum \(array.count))")
}
