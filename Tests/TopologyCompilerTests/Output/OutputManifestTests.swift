import Foundation
import Testing

@testable import TopologyCompiler

private typealias K = OutputTestKit

@Suite("OutputManifest and determinism")
struct OutputManifestTests {
    static let artifacts: [Artifact] = [
        K.art("sql/002_index.sql", "CREATE INDEX i;\n"),
        K.art("sql/001_schema.sql", "CREATE TABLE t();\n"),
        K.art("routing/shards.yaml", "shards: 4\n", producer: "routing"),
        K.art("Z-upper.json", "{}\n", producer: "json"),
        K.art("a-lower.json", "[]\n", producer: "json"),
        K.art("swift/Über.swift", "struct U {}\n", producer: "swift"),
        K.art("swift/A.swift", "struct A {}\n", producer: "swift"),
    ]

    @Test("writes of shuffled artifact orders give identical manifest bytes")
    func deterministicManifest() throws {
        try K.withScratch { base in
            var generator = SeededRandom(seed: 42)
            var manifests: [[UInt8]] = []
            var reports: [[String]] = []
            for round in 0..<4 {
                let out = base.appendingPathComponent("out\(round)")
                let report = try OutputWriter(directory: out, generator: "topoc 1.2.3")
                    .write(Self.artifacts.shuffled(using: &generator))
                manifests.append(try #require(K.manifestBytes(out)))
                reports.append(report.written)
            }
            #expect(Set(manifests).count == 1)
            #expect(Set(reports).count == 1)
            #expect(reports[0] == reports[0].sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            #expect(reports[0].first == "Z-upper.json")

            // Rewriting the same folder in another order changes nothing.
            let again = try OutputWriter(directory: base.appendingPathComponent("out0"), generator: "topoc 1.2.3")
                .write(Self.artifacts.reversed())
            #expect(again.written.isEmpty)
            #expect(K.manifestBytes(base.appendingPathComponent("out0")) == manifests[0])
        }
    }

    @Test("the manifest is pretty-printed JSON with sorted keys and a trailing newline")
    func manifestLayout() throws {
        let manifest = OutputManifest(
            generator: "topoc 1.0", complete: true, directories: ["sql"],
            files: [OutputManifest.Entry(path: "sql/a.sql", producer: "plan", sha256: OutputSHA256.hex([]))])
        let text = String(decoding: manifest.encoded(), as: UTF8.self)
        let expected = """
            {
              "complete" : true,
              "directories" : [
                "sql"
              ],
              "files" : [
                {
                  "path" : "sql/a.sql",
                  "producer" : "plan",
                  "sha256" : "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
                }
              ],
              "format" : 1,
              "generator" : "topoc 1.0"
            }

            """
        #expect(text == expected)
        #expect(try OutputManifest.decode(manifest.encoded(), displayPath: "m") == manifest)
    }

    @Test("the manifest records the generator, and a new generator rewrites only the manifest")
    func generatorChange() throws {
        try K.withScratch { out in
            _ = try OutputWriter(directory: out, generator: "topoc 1").write([K.art("a", "A")])
            try K.backdate(out, "a")
            let time = K.mtime(out, "a")
            let report = try OutputWriter(directory: out, generator: "topoc 2").write([K.art("a", "A")])
            #expect(report.unchanged == ["a"])
            #expect(K.mtime(out, "a") == time)
            let manifest = try OutputManifest.decode(try #require(K.manifestBytes(out)), displayPath: "m")
            #expect(manifest.generator == "topoc 2")
        }
    }

    @Test("error descriptions name the path and escape control characters")
    func errorDescriptions() {
        #expect(OutputError.notOwned(path: "x.sql").description.contains("'x.sql'"))
        #expect(OutputError.invalidPath(path: "a\u{0}b", reason: "r").description.contains("'a\\u{0}b'"))
        #expect(OutputError.duplicatePath(path: "a", other: "a").description.contains("more than once"))
    }
}
