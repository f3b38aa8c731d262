import Foundation
import Testing

@testable import TopologyCompiler

private typealias K = OutputTestKit

@Suite("OutputWriter: killed builds and bad manifests")
struct OutputRecoveryTests {
    @Test("leftovers of a killed write are cleaned up and old files stay intact")
    func killedWriteLeftoversCleaned() throws {
        try K.withScratch { out in
            let writer = OutputWriter(directory: out, generator: "t")
            let v1 = [K.art("a.sql", "A1"), K.art("sub/b.sql", "B1")]
            _ = try writer.write(v1)
            // What a build killed mid-write leaves: complete and half-written temporaries.
            try K.put(out, ".topoc-tmp-4242-abc", "A2 complete")
            try K.put(out, "sub/.topoc-tmp-4242-def", "B2 half")
            try K.put(out, ".topoc-tmp-4242-ghi", "")
            try FileManager.default.createDirectory(
                at: out.appendingPathComponent(".topoc-tmp-dir-user"), withIntermediateDirectories: false)

            let report = try writer.write(v1)
            #expect(report.written.isEmpty)
            #expect(report.unchanged == ["a.sql", "sub/b.sql"])
            #expect(K.text(out, "a.sql") == "A1")
            #expect(K.text(out, "sub/b.sql") == "B1")
            // Temporary files are gone; a directory with the prefix is not topoc's and stays.
            #expect(K.listing(out) == [".topoc-manifest", ".topoc-tmp-dir-user", "a.sql", "sub", "sub/b.sql"])

            try K.put(out, "sub/.topoc-tmp-1-x", "half")
            let next = try writer.write([K.art("a.sql", "A2"), K.art("sub/b.sql", "B2")])
            #expect(next.written == ["a.sql", "sub/b.sql"])
            #expect(K.text(out, "sub/b.sql") == "B2")
            #expect(!K.exists(out, "sub/.topoc-tmp-1-x"))
        }
    }

    @Test("a build that dies part-way leaves whole files, and the next build completes without conflicts")
    func crashMidBuildRecovers() throws {
        try K.withScratch { out in
            let writer = OutputWriter(directory: out, generator: "t")
            _ = try writer.write([K.art("a.sql", "A1"), K.art("b.sql", "B1"), K.art("gone.sql", "G")])

            var dying = writer
            dying.simulatedCrashAfterWrites = 2
            // Sorted order: a.sql, b.sql, new/c.sql: dies after a.sql and b.sql.
            let error = K.writeError(dying, [K.art("a.sql", "A2"), K.art("b.sql", "B2"), K.art("new/c.sql", "C2")])
            #expect(error != nil)
            #expect(K.text(out, "a.sql") == "A2")
            #expect(K.text(out, "b.sql") == "B2")
            #expect(!K.exists(out, "new/c.sql"))
            #expect(!K.exists(out, "gone.sql"))
            #expect(!K.listing(out).contains { $0.contains(".topoc-tmp-") })
            let provisional = try OutputManifest.decode(try #require(K.manifestBytes(out)), displayPath: "m")
            #expect(!provisional.complete)

            // Dies right after writing a brand-new file ...
            dying.simulatedCrashAfterWrites = 1
            #expect(K.writeError(dying, [K.art("a.sql", "A2"), K.art("b.sql", "B2"), K.art("fresh/n.sql", "N1")]) != nil)
            #expect(K.text(out, "fresh/n.sql") == "N1")
            // ... and a later build with different contents still owns it (no "not owned" refusal),
            // and does not mistake half-finished work for user edits.
            let report = try writer.write([K.art("fresh/n.sql", "N2"), K.art("a.sql", "A2")])
            #expect(report.written == ["fresh/n.sql"])
            #expect(report.unchanged == ["a.sql"])
            #expect(report.removed == ["b.sql"])
            #expect(report.overwrittenEdits.isEmpty)
            #expect(K.listing(out) == [".topoc-manifest", "a.sql", "fresh", "fresh/n.sql"])
            let manifest = try OutputManifest.decode(try #require(K.manifestBytes(out)), displayPath: "m")
            #expect(manifest.complete)
            #expect(manifest.files.map(\.path) == ["a.sql", "fresh/n.sql"])
            #expect(manifest.directories == ["fresh"])
        }
    }

    @Test(
        "a malformed manifest is a clear error and nothing is changed",
        arguments: [
            "", "not json", "{}", "[]", #"{"format":1}"#,
            #"{"format":99,"generator":"x","complete":true,"directories":[],"files":[]}"#,
            #"{"format":1,"generator":"x","complete":true,"directories":[],"files":[{"path":"../etc/passwd","producer":"p","sha256":"\#(String(repeating: "0", count: 64))"}]}"#,
            #"{"format":1,"generator":"x","complete":true,"directories":["/tmp"],"files":[]}"#,
            #"{"format":1,"generator":"x","complete":true,"directories":[],"files":[{"path":"a","producer":"p","sha256":"xyz"}]}"#,
            #"{"format":1,"generator":"x","complete":true,"directories":[],"files":[{"path":"a","producer":"p","sha256":"\#(String(repeating: "0", count: 64))"},{"path":"a","producer":"p","sha256":"\#(String(repeating: "0", count: 64))"}]}"#,
        ])
    func badManifestRejected(_ contents: String) throws {
        try K.withScratch { out in
            try K.put(out, OutputWriter.manifestName, contents)
            try K.put(out, "a", "old")
            let error = K.writeError(OutputWriter(directory: out, generator: "t"), [K.art("a", "new"), K.art("b", "B")])
            guard case .badManifest(let path, let reason) = error else {
                Issue.record("expected badManifest, got \(String(describing: error))")
                return
            }
            #expect(path.hasSuffix("/.topoc-manifest"))
            #expect(!reason.isEmpty)
            #expect(error?.description.contains("malformed") == true)
            #expect(K.text(out, "a") == "old")
            #expect(K.text(out, OutputWriter.manifestName) == contents)
            #expect(K.listing(out) == [".topoc-manifest", "a"])
        }
    }

    @Test("a manifest that is a directory or a symlink is rejected")
    func manifestOfWrongKind() throws {
        try K.withScratch { out in
            try FileManager.default.createDirectory(
                at: out.appendingPathComponent(OutputWriter.manifestName), withIntermediateDirectories: true)
            guard case .badManifest = K.writeError(OutputWriter(directory: out), [K.art("a", "A")]) else {
                Issue.record("expected badManifest for a directory")
                return
            }
        }
        try K.withScratch { base in
            let out = base.appendingPathComponent("out")
            _ = try OutputWriter(directory: base.appendingPathComponent("other")).write([])
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(
                at: out.appendingPathComponent(OutputWriter.manifestName),
                withDestinationURL: base.appendingPathComponent("other/.topoc-manifest"))
            guard case .badManifest = K.writeError(OutputWriter(directory: out), [K.art("a", "A")]) else {
                Issue.record("expected badManifest for a symlink")
                return
            }
        }
    }
}
