import Testing

@testable import TopologyCompiler

/// A migration of shard databases whose scripts include their group's shared script: the shared
/// script (ring included) is written once into the migration, and each database's converge step
/// includes it, so a change to a sharded table costs output linear in the shards, not quadratic.
/// The corpus case "add nullable column to a sharded table" (`MigrationCorpusTests`) applies such
/// a migration on PostgreSQL and compares the result with a fresh build.
struct MigrationSharedScriptTests {
    static func files(shards: Int) throws -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: MigrationArtifacts.artifacts(
                old: try PlanTestSupport.shards(shards), new: try PlanTestSupport.shards(shards, note: true), allowDestructive: false
            ).map { ($0.path, String(decoding: $0.contents, as: UTF8.self)) })
    }

    @Test func theSharedScriptIsWrittenOnceAndIncluded() throws {
        let files = try Self.files(shards: 8)
        let shared = try #require(files["sql/shared/shard.sql"])
        #expect(shared.contains("\"note\" text"))
        #expect(shared.contains("topoc_ring_shard"))
        #expect(files.keys.filter { $0.hasPrefix("sql/shared/") }.count == 1)
        for index in 0..<8 {
            let script = try #require(files["sql/shard-s\(index)/scale_s\(index).sql"], "\(files.keys.sorted())")
            #expect(script.contains("\\ir ../shared/shard.sql\n"))
            #expect(!script.contains("topoc_ring_shard"))
            #expect(script.contains("SELECT \(index)\n"))  // its own identity: topoc_this_shard()
        }
    }

    /// Twice the shards, at most 2.3x the migration's bytes (3.5x when each shard's converge step
    /// carried the whole ring, checked by reverting the include).
    @Test func migrationOutputIsLinear() throws {
        let small = try Self.files(shards: 16).values.map(\.utf8.count).reduce(0, +)
        let large = try Self.files(shards: 32).values.map(\.utf8.count).reduce(0, +)
        #expect(Double(large) / Double(small) < 2.3, "\(small) -> \(large) bytes")
    }
}
