import Foundation
import Testing

@testable import TopologyCompiler

private typealias K = OutputTestKit

/// `topoc build --only`: a build that ran some backends leaves the other backends' files alone.
@Suite("OutputWriter: a build of some producers only")
struct OutputWriterOnlyProducersTests {
    /// Writes `artifacts` as a build that ran only `producers`.
    private static func write(_ writer: OutputWriter, _ artifacts: [Artifact], only producers: Set<String>) throws -> OutputReport {
        let staging = try writer.makeStaging()
        staging.stage(artifacts)
        return try writer.write(staged: staging, onlyProducers: producers)
    }

    private static func manifest(_ out: URL) throws -> OutputManifest {
        try OutputManifest.decode(try #require(K.manifestBytes(out)), displayPath: "m")
    }

    @Test("the other producers' files stay, unchanged and owned; the build's own stale files go")
    func otherProducersKept() throws {
        try K.withScratch { out in
            let writer = OutputWriter(directory: out, generator: "t")
            _ = try writer.write([
                K.art("plan.json", "P1"), K.art("sql/a.sql", "A1"), K.art("sql/old.sql", "O1", producer: "postgres"),
                K.art("graph/g.mmd", "G1", producer: "graph"),
            ])
            try K.backdate(out, "plan.json")
            let planTime = K.mtime(out, "plan.json")
            let before = try Self.manifest(out)

            let report = try Self.write(
                writer, [K.art("graph/g.mmd", "G2", producer: "graph"), K.art("graph/h.mmd", "H2", producer: "graph")], only: ["graph"])
            #expect(report.written == ["graph/g.mmd", "graph/h.mmd"])
            #expect(report.removed.isEmpty)
            #expect(K.text(out, "plan.json") == "P1")
            #expect(K.mtime(out, "plan.json") == planTime)
            #expect(K.text(out, "sql/a.sql") == "A1")
            #expect(K.text(out, "sql/old.sql") == "O1")
            let after = try Self.manifest(out)
            #expect(after.complete)
            #expect(after.files.map(\.path) == ["graph/g.mmd", "graph/h.mmd", "plan.json", "sql/a.sql", "sql/old.sql"])
            #expect(after.files.filter { !$0.path.hasPrefix("graph/") } == before.files.filter { !$0.path.hasPrefix("graph/") })
            #expect(after.directories == ["graph", "sql"])

            // Its own files that it no longer makes are stale, as in a whole build.
            let again = try Self.write(writer, [K.art("graph/h.mmd", "H2", producer: "graph")], only: ["graph"])
            #expect(again.removed == ["graph/g.mmd"])
            #expect(K.exists(out, "sql/old.sql"))

            // A whole build that no longer makes a file removes it, whoever made it.
            let whole = try writer.write([K.art("plan.json", "P1"), K.art("graph/h.mmd", "H2", producer: "graph")])
            #expect(whole.removed == ["sql/a.sql", "sql/old.sql"])
            #expect(whole.removedDirectories == ["sql"])
            #expect(whole.overwrittenEdits.isEmpty)
        }
    }

    @Test("a file another producer made is replaced by the build's artifact of the same path, which it then owns")
    func samePathReplaced() throws {
        try K.withScratch { out in
            let writer = OutputWriter(directory: out, generator: "t")
            _ = try writer.write([K.art("cluster/README.md", "R1", producer: "compose"), K.art("plan.json", "P1")])
            let report = try Self.write(writer, [K.art("cluster/README.md", "R2", producer: "deploy")], only: ["deploy"])
            #expect(report.written == ["cluster/README.md"])
            #expect(K.text(out, "cluster/README.md") == "R2")
            #expect(K.text(out, "plan.json") == "P1")
            let entries = try Self.manifest(out).files
            #expect(entries.map(\.producer) == ["deploy", "plan"])
        }
    }

    @Test("after a killed build, a kept file is recorded with its own digest, and one never written is dropped")
    func keptAfterAKilledBuild() throws {
        try K.withScratch { out in
            let writer = OutputWriter(directory: out, generator: "t")
            _ = try writer.write([K.art("plan.json", "P1"), K.art("graph/g.mmd", "G1", producer: "graph")])
            var dying = writer
            dying.simulatedCrashAfterWrites = 0
            // Dies after the provisional manifest, which lists the digests of G2 and N2, before any
            // file is written.
            let error = K.writeError(
                dying,
                [K.art("plan.json", "P2"), K.art("graph/g.mmd", "G2", producer: "graph"), K.art("graph/n.mmd", "N2", producer: "graph")])
            #expect(error != nil)
            #expect(try !Self.manifest(out).complete)
            #expect(K.text(out, "graph/g.mmd") == "G1")
            #expect(!K.exists(out, "graph/n.mmd"))

            _ = try Self.write(writer, [K.art("plan.json", "P3")], only: ["plan"])
            let manifest = try Self.manifest(out)
            #expect(manifest.complete)
            #expect(manifest.files.map(\.path) == ["graph/g.mmd", "plan.json"])
            #expect(manifest.files.first?.sha256 == OutputSHA256.hex(Array("G1".utf8)))

            // So a whole build that drops the file does not take G1 for a hand edit.
            let whole = try writer.write([K.art("plan.json", "P3")])
            #expect(whole.removed == ["graph/g.mmd"])
            #expect(whole.overwrittenEdits.isEmpty)
        }
    }
}
