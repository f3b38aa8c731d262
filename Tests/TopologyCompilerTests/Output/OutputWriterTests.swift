import Foundation
import Testing

@testable import TopologyCompiler

private typealias K = OutputTestKit

@Suite("OutputWriter: writing, skipping, removing")
struct OutputWriterTests {
    @Test("writes new files, creating the output folder and subfolders")
    func writesNewFiles() throws {
        try K.withScratch { base in
            let out = base.appendingPathComponent("deep/out")
            let writer = OutputWriter(directory: out, generator: "topoc 9.9")
            let report = try writer.write([
                K.art("sql/001_schema.sql", "CREATE TABLE t();\n"),
                K.art("routing.yaml", "shards: 2\n", producer: "routing"),
                Artifact(path: "bin/blob", contents: [0, 1, 2, 255], producer: "plan"),
            ])
            #expect(report.written == ["bin/blob", "routing.yaml", "sql/001_schema.sql"])
            #expect(report.unchanged.isEmpty && report.removed.isEmpty && report.overwrittenEdits.isEmpty)
            #expect(K.text(out, "sql/001_schema.sql") == "CREATE TABLE t();\n")
            #expect(K.text(out, "routing.yaml") == "shards: 2\n")
            #expect(FileManager.default.contents(atPath: out.appendingPathComponent("bin/blob").path) == Data([0, 1, 2, 255]))
            #expect(K.listing(out) == [".topoc-manifest", "bin", "bin/blob", "routing.yaml", "sql", "sql/001_schema.sql"])

            let bytes = try #require(K.manifestBytes(out))
            #expect(bytes.last == UInt8(ascii: "\n"))
            let manifest = try OutputManifest.decode(bytes, displayPath: "m")
            #expect(manifest.complete)
            #expect(manifest.generator == "topoc 9.9")
            #expect(manifest.directories == ["bin", "sql"])
            #expect(manifest.files.map(\.path) == ["bin/blob", "routing.yaml", "sql/001_schema.sql"])
            #expect(manifest.files.map(\.producer) == ["plan", "routing", "plan"])
            #expect(manifest.files[1].sha256 == OutputSHA256.hex(Array("shards: 2\n".utf8)))
        }
    }

    @Test("a second identical write changes nothing and keeps modification times")
    func identicalWriteIsNoOp() throws {
        try K.withScratch { out in
            let writer = OutputWriter(directory: out, generator: "t")
            let artifacts = [K.art("a.sql", "A"), K.art("d/b.sql", "B")]
            _ = try writer.write(artifacts)
            for path in ["a.sql", "d/b.sql", OutputWriter.manifestName] { try K.backdate(out, path) }
            let before = ["a.sql", "d/b.sql", OutputWriter.manifestName].map { K.mtime(out, $0) }
            let manifest = K.manifestBytes(out)

            let report = try writer.write(artifacts)
            #expect(report.written.isEmpty)
            #expect(report.unchanged == ["a.sql", "d/b.sql"])
            #expect(!report.changedAnything)
            #expect(["a.sql", "d/b.sql", OutputWriter.manifestName].map { K.mtime(out, $0) } == before)
            #expect(K.manifestBytes(out) == manifest)
        }
    }

    @Test("changed bytes are rewritten, others left alone")
    func changedBytesRewritten() throws {
        try K.withScratch { out in
            let writer = OutputWriter(directory: out, generator: "t")
            _ = try writer.write([K.art("a.sql", "A1"), K.art("b.sql", "B")])
            try K.backdate(out, "b.sql")
            let bTime = K.mtime(out, "b.sql")
            let report = try writer.write([K.art("a.sql", "A2"), K.art("b.sql", "B")])
            #expect(report.written == ["a.sql"])
            #expect(report.unchanged == ["b.sql"])
            #expect(report.overwrittenEdits.isEmpty)
            #expect(K.text(out, "a.sql") == "A2")
            #expect(K.mtime(out, "b.sql") == bTime)
            let manifest = try OutputManifest.decode(try #require(K.manifestBytes(out)), displayPath: "m")
            #expect(manifest.files.first?.sha256 == OutputSHA256.hex(Array("A2".utf8)))
        }
    }

    @Test("a stale owned file is removed, then its empty directory")
    func staleFileAndDirectoryRemoved() throws {
        try K.withScratch { out in
            let writer = OutputWriter(directory: out, generator: "t")
            _ = try writer.write([K.art("keep.sql", "K"), K.art("old/deeper/x.sql", "X"), K.art("mixed/y.sql", "Y")])
            try K.put(out, "mixed/user-notes.txt", "mine")

            let report = try writer.write([K.art("keep.sql", "K")])
            #expect(report.removed == ["mixed/y.sql", "old/deeper/x.sql"])
            #expect(report.removedDirectories == ["old", "old/deeper"])
            #expect(report.unchanged == ["keep.sql"])
            #expect(!K.exists(out, "old"))
            // A directory holding a user file stays, with the user file.
            #expect(K.text(out, "mixed/user-notes.txt") == "mine")
            #expect(K.listing(out) == [".topoc-manifest", "keep.sql", "mixed", "mixed/user-notes.txt"])
            // It is still recorded as topoc's and removed once it is empty.
            let manifest = try OutputManifest.decode(try #require(K.manifestBytes(out)), displayPath: "m")
            #expect(manifest.directories == ["mixed"])
            try FileManager.default.removeItem(at: out.appendingPathComponent("mixed/user-notes.txt"))
            let again = try writer.write([K.art("keep.sql", "K")])
            #expect(again.removedDirectories == ["mixed"])
            #expect(K.listing(out) == [".topoc-manifest", "keep.sql"])
        }
    }

    @Test("unowned user files next to outputs are never touched")
    func unownedFilesUntouched() throws {
        try K.withScratch { out in
            try K.put(out, "README.md", "user readme")
            try K.put(out, "sql/local.sql", "user sql")
            try K.backdate(out, "README.md")
            let readmeTime = K.mtime(out, "README.md")
            let writer = OutputWriter(directory: out, generator: "t")
            _ = try writer.write([K.art("sql/gen.sql", "G"), K.art("gen.yaml", "Y")])
            _ = try writer.write([K.art("sql/gen.sql", "G2")])
            _ = try writer.write([])
            #expect(K.text(out, "README.md") == "user readme")
            #expect(K.mtime(out, "README.md") == readmeTime)
            #expect(K.text(out, "sql/local.sql") == "user sql")
            #expect(K.listing(out) == [".topoc-manifest", "README.md", "sql", "sql/local.sql"])
        }
    }

    @Test("a collision with an unowned file is refused and nothing is written")
    func collisionWithUnownedFileRefused() throws {
        try K.withScratch { out in
            try K.put(out, "b/x.sql", "hand written")
            let writer = OutputWriter(directory: out, generator: "t")
            let error = K.writeError(writer, [K.art("a.sql", "A"), K.art("b/x.sql", "generated"), K.art("c/z.sql", "Z")])
            #expect(error == .notOwned(path: "b/x.sql"))
            let message = try #require(error?.description)
            #expect(message.contains("'b/x.sql'"))
            #expect(message.contains("remove it or choose another output folder"))
            #expect(K.text(out, "b/x.sql") == "hand written")
            #expect(K.listing(out) == ["b", "b/x.sql"])
        }
    }

    @Test("an unowned file with identical bytes is adopted, then owned")
    func identicalUnownedFileAdopted() throws {
        try K.withScratch { out in
            try K.put(out, "x.sql", "same")
            try K.backdate(out, "x.sql")
            let time = K.mtime(out, "x.sql")
            let writer = OutputWriter(directory: out, generator: "t")
            let report = try writer.write([K.art("x.sql", "same")])
            #expect(report.adopted == ["x.sql"])
            #expect(report.unchanged == ["x.sql"])
            #expect(K.mtime(out, "x.sql") == time)
            // Now owned: may be changed and removed.
            #expect(try writer.write([K.art("x.sql", "new")]).written == ["x.sql"])
            #expect(try writer.write([]).removed == ["x.sql"])
        }
    }

    @Test("a generated file edited by the user is overwritten and reported")
    func userEditOverwrittenAndReported() throws {
        try K.withScratch { out in
            let writer = OutputWriter(directory: out, generator: "t")
            _ = try writer.write([K.art("a.sql", "A"), K.art("b.sql", "B"), K.art("c.sql", "C")])
            try K.put(out, "a.sql", "user edit")
            try K.put(out, "c.sql", "user edit")
            let report = try writer.write([K.art("a.sql", "A"), K.art("b.sql", "B2")])
            #expect(report.written == ["a.sql", "b.sql"])
            #expect(report.removed == ["c.sql"])
            #expect(report.overwrittenEdits == ["a.sql", "c.sql"])
            #expect(K.text(out, "a.sql") == "A")
            #expect(!K.exists(out, "c.sql"))
        }
    }

    @Test("a generated file may become a directory and back")
    func fileDirectoryTransitions() throws {
        try K.withScratch { out in
            let writer = OutputWriter(directory: out, generator: "t")
            _ = try writer.write([K.art("routing", "flat")])
            let toDir = try writer.write([K.art("routing/shard1.yaml", "s1")])
            #expect(toDir.removed == ["routing"])
            #expect(K.text(out, "routing/shard1.yaml") == "s1")
            let toFile = try writer.write([K.art("routing", "flat again")])
            #expect(toFile.removed == ["routing/shard1.yaml"])
            #expect(toFile.removedDirectories == ["routing"])
            #expect(K.text(out, "routing") == "flat again")
        }
    }

    @Test("a directory topoc does not own in the way of a file is a conflict")
    func foreignDirectoryInTheWay() throws {
        try K.withScratch { out in
            try FileManager.default.createDirectory(
                at: out.appendingPathComponent("x.sql"), withIntermediateDirectories: true)
            let error = K.writeError(OutputWriter(directory: out, generator: "t"), [K.art("a", "A"), K.art("x.sql", "X")])
            guard case .conflict(let path, _) = error else {
                Issue.record("expected conflict, got \(String(describing: error))")
                return
            }
            #expect(path == "x.sql")
            #expect(K.listing(out) == ["x.sql"])
        }
    }

    @Test("a stale generated file the user replaced by a directory is left alone")
    func staleReplacedByDirectoryKept() throws {
        try K.withScratch { out in
            let writer = OutputWriter(directory: out, generator: "t")
            _ = try writer.write([K.art("a.sql", "A"), K.art("b", "B")])
            try FileManager.default.removeItem(at: out.appendingPathComponent("b"))
            try K.put(out, "b/user.txt", "mine")
            let report = try writer.write([K.art("a.sql", "A")])
            #expect(report.removed.isEmpty)
            #expect(K.text(out, "b/user.txt") == "mine")
            let manifest = try OutputManifest.decode(try #require(K.manifestBytes(out)), displayPath: "m")
            #expect(manifest.files.map(\.path) == ["a.sql"])
        }
    }

    @Test("an empty artifact set removes every owned file and leaves a manifest")
    func emptySetCleansUp() throws {
        try K.withScratch { out in
            let writer = OutputWriter(directory: out, generator: "t")
            _ = try writer.write([K.art("a/b/c.sql", "C")])
            let report = try writer.write([])
            #expect(report.removed == ["a/b/c.sql"])
            #expect(report.removedDirectories == ["a", "a/b"])
            #expect(K.listing(out) == [".topoc-manifest"])
        }
    }

    /// A build flushes its files with one `syncfs` per file system on Linux; if glibc's symbol
    /// were not found, every file would silently fall back to an `fsync` of its own (slower,
    /// equally safe).
    @Test("on Linux the files of a build are flushed by syncfs, found in the C library")
    func syncfsIsFound() throws {
        #if os(Linux)
            #expect(OutputFileSystem.syncsWholeFileSystems)
        #endif
        try K.withScratch { out in
            let writer = OutputWriter(directory: out, generator: "t")
            let report = try writer.write([K.art("a/one.sql", "1"), K.art("b/two.sql", "2"), K.art("three.sql", "3")])
            #expect(report.written == ["a/one.sql", "b/two.sql", "three.sql"])
            #expect(K.text(out, "b/two.sql") == "2")
            #expect(!K.listing(out).contains { $0.contains(OutputWriter.temporaryPrefix) })
        }
    }
}
