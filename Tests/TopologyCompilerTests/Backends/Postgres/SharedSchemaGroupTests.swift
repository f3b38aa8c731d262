import Foundation
import Testing

@testable import TopologyCompiler

@Suite("Shared schema scripts (sql/shared)")
struct SharedSchemaGroupTests {
    /// The SQL of a script: every line but comments and blank lines.
    static func statements(_ text: String) -> [Substring] {
        text.split(separator: "\n").filter { !$0.hasPrefix("--") }
    }

    /// A script with every `\ir` line replaced by the file it names.
    static func expanded(_ path: String, in files: [String: String]) -> String? {
        guard let text = files[path] else { return nil }
        let folder = path.split(separator: "/").dropLast()
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.hasPrefix("\\ir ") else { return String(line) }
            var components = Array(folder.map(String.init))
            for part in line.dropFirst(4).split(separator: "/") {
                if part == ".." { _ = components.popLast() } else { components.append(String(part)) }
            }
            return files[components.joined(separator: "/")].map { String($0.dropLast()) } ?? String(line)
        }.joined(separator: "\n")
    }

    @Test(
        "every member's body is its group's, and its script with the include expanded is its self-contained script",
        arguments: try PlanTestSupport.exampleNames())
    func exact(_ name: String) throws {
        guard let plan = try PlanTestSupport.plan(example: name) else { return }
        let shared = SharedRendering()
        let databases = plan.databases.map { DatabaseScope(plan: plan, database: $0, shared: shared) }
        let files = PostgresBackendTests.sql(plan)
        for group in SharedSchemaGroup.groups(databases) {
            let body = try #require(group.members.first.map { DatabaseScript.body($0).render() })
            let sharedText = try #require(files[group.path])
            #expect(sharedText.hasSuffix(body))
            for member in group.members {
                #expect(DatabaseScript.body(member).render() == body, "\(member.database.name) on \(member.cluster)")
                let path = DatabaseScript.path(member.database)
                let script = try #require(files[path])
                let include = "\\ir " + DatabaseScript.relativeInclude(from: path, to: group.path)
                #expect(script.components(separatedBy: "\n").filter { $0 == include }.count == 1)
                let expanded = script.replacingOccurrences(of: include + "\n", with: sharedText)
                #expect(Self.statements(expanded) == Self.statements(DatabaseScript.render(member)))
                #expect(script.utf8.count < 4096, "a member's own script holds only its identity")
            }
        }
    }

    @Test("the shards of ecommerce share one script that carries the ring once; each shard script holds its topoc_this_shard()")
    func ecommerce() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "ecommerce.yaml"))
        let files = PostgresBackendTests.sql(plan)
        #expect(files.keys.filter { $0.hasPrefix("sql/shared/") } == ["sql/shared/shard.sql"])
        let sharedText = try #require(files["sql/shared/shard.sql"])
        #expect(sharedText.contains("topoc_ring_shard"))
        #expect(!sharedText.contains("FUNCTION \"public\".\"topoc_this_shard\""))
        for shard in plan.databases where shard.kind == .shard {
            let script = try #require(files[DatabaseScript.path(shard)])
            #expect(script.contains("AS $topoc$\nSELECT \(shard.shard ?? -1)\n$topoc$;"))
            if shard.shard == 0 {
                // shard 0 holds the publication Debezium reads: a script of its own.
                #expect(!script.contains("\\ir ") && script.contains("topoc_ring_shard"))
            } else {
                #expect(script.contains("\n\\ir ../shared/shard.sql\n"))
                #expect(!script.contains("topoc_ring_shard"))
            }
        }
        let placement = try #require(files[PostgresBackend.placementPath])
        #expect(placement.contains("\"includes\""))
    }

    @Test("the shards of global-composite, each publishing posts to its own connector, share one script that creates the publication")
    func capturingShardsShare() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "global-composite.yaml"))
        let shards = plan.databases.filter { $0.kind == .shard }
        // Every shard database publishes and has a connector's slot of its own name.
        #expect(Set(plan.replication.publications.map(\.database)) == Set(shards.map(\.name)))
        #expect(Set(plan.replication.slots.map(\.name)).count == shards.count)
        let files = PostgresBackendTests.sql(plan)
        #expect(files.keys.filter { $0.hasPrefix("sql/shared/") } == ["sql/shared/shard.sql"])
        let sharedText = try #require(files["sql/shared/shard.sql"])
        #expect(sharedText.contains("CREATE PUBLICATION \"social_posts\""))
        #expect(sharedText.contains("topoc_cdc_heartbeat"))
        for slot in plan.replication.slots { #expect(!sharedText.contains(slot.name), "the slot \(slot.name) is Patroni's") }
        for shard in shards {
            let script = try #require(files[DatabaseScript.path(shard)])
            #expect(script.contains("\n\\ir ../shared/shard.sql\n"))
            #expect(!script.contains("PUBLICATION"))
        }
    }

    /// The bytes of the SQL of global-composite with rings of `perRegion` shards in each region.
    static func compositeSQLBytes(perRegion: Int) throws -> Int {
        let text = try String(contentsOf: PlanTestSupport.exampleURL("global-composite.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "within: jump-hash", with: "within: consistent-hash")
            .replacingOccurrences(
                of: "regions: { us-east: 4, eu-west: 2, ap-south: 2 }",
                with: "regions: { us-east: \(perRegion), eu-west: \(perRegion), ap-south: \(perRegion) }")
        let plan = try #require(PlanTestSupport.plan(text))
        #expect(plan.databases.filter { $0.kind == .shard }.count == 3 * perRegion)
        return PostgresBackend().artifacts(for: plan).reduce(0) { $0 + $1.contents.count }
    }

    @Test("the SQL of a topology that captures a sharded table grows linearly with the shards (the ring is written once)")
    func captureOutputIsLinear() throws {
        let small = try Self.compositeSQLBytes(perRegion: 16)
        let large = try Self.compositeSQLBytes(perRegion: 32)
        // A ring in every shard's script made this ratio about 4 (shards^2 x virtual nodes).
        #expect(Double(large) / Double(small) < 2.3, "\(small) -> \(large) bytes")
    }

    @Test("relative include paths")
    func relative() {
        #expect(
            DatabaseScript.relativeInclude(from: "sql/shard-s0/shop.sql", to: "sql/shared/shard-shop.sql") == "../shared/shard-shop.sql")
        #expect(DatabaseScript.relativeInclude(from: "sql/shared/a.sql", to: "sql/shared/b.sql") == "b.sql")
    }
}
