import Foundation
import Testing

@testable import TopologyCompiler

/// The staging step of ``OutputWriter``: artifacts written to a staging folder as they are made.
@Suite("Output staging")
struct OutputStagingTests {
    @Test("many directories written at once: every file whole, no temporary left")
    func manyDirectoriesWritten() throws {
        try OutputTestKit.withScratch { base in
            var artifacts: [Artifact] = []
            for directory in 0..<40 {
                for file in 0..<25 {
                    let text = String(repeating: "d\(directory) f\(file)\n", count: 50 + file)
                    artifacts.append(OutputTestKit.art("d\(directory)/sub/f\(file).txt", text))
                }
            }
            let report = try OutputWriter(directory: base).write(artifacts)
            #expect(report.written.count == 1_000)
            for artifact in artifacts {
                #expect(OutputTestKit.text(base, artifact.path) == String(decoding: artifact.contents, as: UTF8.self))
            }
            let leftovers = try FileManager.default.subpathsOfDirectory(atPath: base.path)
                .filter { $0.split(separator: "/").last?.hasPrefix(OutputWriter.temporaryPrefix) == true }
            #expect(leftovers.isEmpty)
        }
    }

    @Test("staged from several threads at once: every file in place, the staging folder gone")
    func stagedConcurrently() throws {
        try OutputTestKit.withScratch { base in
            let out = base.appendingPathComponent("new/out")
            let writer = OutputWriter(directory: out, generator: "t")
            let staging = try writer.makeStaging()
            let batches = (0..<8).map { batch in
                (0..<50).map { file in
                    OutputTestKit.art("b\(batch)/f\(file).txt", String(repeating: "batch \(batch) file \(file)\n", count: file + 1))
                }
            }
            _ = concurrentMap(batches.count) { staging.stage(batches[$0]) }
            let names = try FileManager.default.contentsOfDirectory(atPath: out.path)
            #expect(names.count == 1 && names[0].hasPrefix(OutputStaging.folderPrefix), "\(names)")

            let report = try writer.write(staged: staging)
            #expect(report.written.count == 400)
            for artifact in batches.joined() {
                #expect(OutputTestKit.text(out, artifact.path) == String(decoding: artifact.contents, as: UTF8.self))
            }
            #expect(!OutputTestKit.listing(out).contains { $0.contains(OutputWriter.temporaryPrefix) })
            // The digests recorded while staging are those of the bytes.
            let manifest = try OutputManifest.decode(try #require(OutputTestKit.manifestBytes(out)), displayPath: "m")
            for (entry, artifact) in zip(manifest.files, batches.joined().sorted { $0.path < $1.path }) {
                #expect(entry.path == artifact.path)
                #expect(entry.sha256 == OutputSHA256.hex(artifact.contents))
            }
        }
    }

    @Test("a file that cannot be staged: the write fails with it and the previous output is intact")
    func stagingFailureKeepsThePreviousOutput() throws {
        try OutputTestKit.withScratch { out in
            let writer = OutputWriter(directory: out, generator: "t")
            _ = try writer.write([OutputTestKit.art("a.sql", "A1"), OutputTestKit.art("sub/b.sql", "B1")])
            let before = OutputTestKit.manifestBytes(out)

            let staging = try writer.makeStaging()
            staging.stage([OutputTestKit.art("a.sql", "A2")])
            // The staging folder disappears under the build (a full disk or a cleanup would do the same).
            let folder = try stagingFolder(in: out)
            try FileManager.default.removeItem(at: out.appendingPathComponent(folder))
            staging.stage([OutputTestKit.art("sub/b.sql", "B2")])
            staging.stage([OutputTestKit.art("c.sql", "C2")])

            do throws(OutputError) {
                _ = try writer.write(staged: staging)
                Issue.record("a failed staging was written")
            } catch {
                guard case .io(let path, _) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(path.contains(folder), "\(path)")
            }
            #expect(OutputTestKit.text(out, "a.sql") == "A1")
            #expect(OutputTestKit.text(out, "sub/b.sql") == "B1")
            #expect(OutputTestKit.manifestBytes(out) == before)
            #expect(OutputTestKit.listing(out) == [".topoc-manifest", "a.sql", "sub", "sub/b.sql"])
        }
    }

    @Test("a staged file lost before the write: the error names it in its job's subfolder")
    func lostStagedFileNamed() throws {
        try OutputTestKit.withScratch { out in
            let writer = OutputWriter(directory: out, generator: "t")
            _ = try writer.write([OutputTestKit.art("a.sql", "A1")])
            let staging = try writer.makeStaging()
            staging.stage([OutputTestKit.art("b.sql", "B1")])
            staging.stage([OutputTestKit.art("a.sql", "A2")])
            let folder = try stagingFolder(in: out)
            // The second job's first file: subfolder 1, file 0.
            try FileManager.default.removeItem(at: out.appendingPathComponent(folder + "/1/0"))
            do throws(OutputError) {
                _ = try writer.write(staged: staging)
                Issue.record("a lost staged file was written")
            } catch {
                guard case .io(let path, _) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(path.hasSuffix(folder + "/1/0"), "\(path)")
            }
            #expect(OutputTestKit.text(out, "a.sql") == "A1")
            #expect(OutputTestKit.listing(out) == [".topoc-manifest", "a.sql"])
        }
    }

    @Test("a staging made for another output folder is refused before anything changes")
    func stagingOfAnotherFolderRefused() throws {
        try OutputTestKit.withScratch { base in
            let first = base.appendingPathComponent("first")
            let second = base.appendingPathComponent("second")
            _ = try OutputWriter(directory: second, generator: "t").write([OutputTestKit.art("a.sql", "A1")])
            let staging = try OutputWriter(directory: first, generator: "t").makeStaging()
            staging.stage([OutputTestKit.art("a.sql", "A2")])
            do throws(OutputError) {
                _ = try OutputWriter(directory: second, generator: "t").write(staged: staging)
                Issue.record("another folder's staging was written")
            } catch {
                #expect(error.description.contains("staged for another output folder"), "\(error)")
            }
            #expect(OutputTestKit.text(second, "a.sql") == "A1")
            #expect(OutputTestKit.listing(second) == [".topoc-manifest", "a.sql"])
            // The staging is gone, and so is the folder made for it.
            #expect(!FileManager.default.fileExists(atPath: first.path))
        }
    }

    @Test("a refused set: the staging folder and the output folder made for it are removed")
    func refusedSetLeavesNothing() throws {
        try OutputTestKit.withScratch { base in
            let out = base.appendingPathComponent("made/for/this")
            let writer = OutputWriter(directory: out, generator: "t")
            let error = OutputTestKit.writeError(writer, [OutputTestKit.art("a.sql", "A"), OutputTestKit.art("A.SQL", "B")])
            #expect(error == .duplicatePath(path: "a.sql", other: "A.SQL") || error == .duplicatePath(path: "A.SQL", other: "a.sql"))
            #expect(OutputTestKit.listing(base).isEmpty)

            // In an existing folder with the user's file in the way: the folder is left as it was.
            try OutputTestKit.put(base, "kept/notes.txt", "mine")
            let kept = base.appendingPathComponent("kept")
            #expect(
                OutputTestKit.writeError(OutputWriter(directory: kept), [OutputTestKit.art("notes.txt", "generated")])
                    == .notOwned(path: "notes.txt"))
            #expect(OutputTestKit.listing(kept) == ["notes.txt"])
            #expect(OutputTestKit.text(kept, "notes.txt") == "mine")
        }
    }

    @Test("a discarded staging (a build that stopped) leaves the folder as it was")
    func discardedStaging() throws {
        try OutputTestKit.withScratch { base in
            let out = base.appendingPathComponent("out")
            let staging = try OutputWriter(directory: out).makeStaging()
            staging.stage([OutputTestKit.art("a.sql", "A")])
            staging.discard()
            staging.stage([OutputTestKit.art("b.sql", "B")])
            staging.discard()
            #expect(OutputTestKit.listing(base).isEmpty)
        }
    }

    @Test("a staging folder left by a killed build goes, without following its symbolic links")
    func strayStagingFolderRemoved() throws {
        try OutputTestKit.withScratch { base in
            let out = base.appendingPathComponent("out")
            let writer = OutputWriter(directory: out, generator: "t")
            _ = try writer.write([OutputTestKit.art("a.sql", "A1")])
            try OutputTestKit.put(base, "outside/precious.txt", "keep me")
            let stray = OutputStaging.folderPrefix + "4242-zz"
            try OutputTestKit.put(out, "\(stray)/0/0", "half a file")
            try OutputTestKit.put(out, "\(stray)/1/0", "another")
            try FileManager.default.createSymbolicLink(
                atPath: out.appendingPathComponent("\(stray)/1/link").path,
                withDestinationPath: base.appendingPathComponent("outside").path)
            try FileManager.default.createDirectory(
                at: out.appendingPathComponent(".topoc-tmp-dir-user"), withIntermediateDirectories: false)

            let report = try writer.write([OutputTestKit.art("a.sql", "A1")])
            #expect(report.unchanged == ["a.sql"])
            #expect(OutputTestKit.listing(out) == [".topoc-manifest", ".topoc-tmp-dir-user", "a.sql"])
            #expect(OutputTestKit.text(base, "outside/precious.txt") == "keep me")
        }
    }

    @Test("unchanged files are compared byte for byte, not by size")
    func sameSizeDifferentBytes() throws {
        try OutputTestKit.withScratch { out in
            let writer = OutputWriter(directory: out, generator: "t")
            _ = try writer.write([OutputTestKit.art("a.sql", "AAAA"), OutputTestKit.art("b.sql", "BBBB")])
            try OutputTestKit.backdate(out, "a.sql")
            let before = OutputTestKit.mtime(out, "a.sql")
            let report = try writer.write([OutputTestKit.art("a.sql", "AAAA"), OutputTestKit.art("b.sql", "BBBC")])
            #expect(report.unchanged == ["a.sql"])
            #expect(report.written == ["b.sql"])
            #expect(OutputTestKit.mtime(out, "a.sql") == before)
            #expect(OutputTestKit.text(out, "b.sql") == "BBBC")

            // A file the user put there with the same size but other bytes is not adopted.
            try OutputTestKit.put(out, "c.sql", "CCCX")
            #expect(
                OutputTestKit.writeError(writer, [OutputTestKit.art("a.sql", "AAAA"), OutputTestKit.art("c.sql", "CCCC")])
                    == .notOwned(path: "c.sql"))
            #expect(OutputTestKit.text(out, "c.sql") == "CCCX")
        }
    }

    @Test("a file already holding its bytes is not staged again; one changed since then is not overwritten")
    func unchangedFilesNotStaged() throws {
        try OutputTestKit.withScratch { out in
            let writer = OutputWriter(directory: out, generator: "t")
            let artifacts = [OutputTestKit.art("a.sql", "A1"), OutputTestKit.art("sub/b.sql", "B1"), OutputTestKit.art("sub/c.sql", "C1")]
            _ = try writer.write(artifacts)

            let staging = try writer.makeStaging()
            staging.stage([OutputTestKit.art("a.sql", "A1"), OutputTestKit.art("sub/b.sql", "B2"), OutputTestKit.art("sub/c.sql", "C1")])
            #expect(staging.contents().files.map { $0.isAlreadyInPlace } == [true, false, true])
            let report = try writer.write(staged: staging)
            #expect(report.unchanged == ["a.sql", "sub/c.sql"])
            #expect(report.written == ["sub/b.sql"])

            // Edited by someone between staging and writing: an error, the edit kept.
            let racing = try writer.makeStaging()
            racing.stage([OutputTestKit.art("a.sql", "A1"), OutputTestKit.art("sub/b.sql", "B2"), OutputTestKit.art("sub/c.sql", "C1")])
            try OutputTestKit.put(out, "sub/c.sql", "C9")
            do throws(OutputError) {
                _ = try writer.write(staged: racing)
                Issue.record("a file changed during the build was overwritten")
            } catch {
                #expect(error.description.contains("changed while topoc was building"), "\(error)")
            }
            #expect(OutputTestKit.text(out, "sub/c.sql") == "C9")
            #expect(!OutputTestKit.listing(out).contains { $0.contains(OutputWriter.temporaryPrefix) })
        }
    }

    /// Stages `pieces` as the file `path`, written one piece at a time.
    private static func stream(_ pieces: [String], as path: String, into staging: OutputStaging) {
        staging.stage(path, producer: "plan") { (file) throws(OutputSystemError) in
            for piece in pieces {
                var bytes = Array(piece.utf8)
                try file.write(&bytes)
            }
        }
    }

    @Test("a streamed file: in place with its digest, not staged again while unchanged, written when one byte changes")
    func streamedFile() throws {
        try OutputTestKit.withScratch { out in
            let writer = OutputWriter(directory: out, generator: "t")
            let pieces = (0..<50).map { String(repeating: "piece \($0)\n", count: 2_000) }
            let whole = pieces.joined()
            let staging = try writer.makeStaging()
            Self.stream(pieces, as: "plan.json", into: staging)
            staging.stage([OutputTestKit.art("other.txt", "other")])
            #expect(staging.contents().files.map { $0.isAlreadyInPlace } == [false, false])
            let report = try writer.write(staged: staging)
            #expect(report.written == ["other.txt", "plan.json"])
            #expect(OutputTestKit.text(out, "plan.json") == whole)
            let manifest = try OutputManifest.decode(try #require(OutputTestKit.manifestBytes(out)), displayPath: "m")
            #expect(manifest.files.first { $0.path == "plan.json" }?.sha256 == OutputSHA256.hex(Array(whole.utf8)))

            try OutputTestKit.backdate(out, "plan.json")
            let before = OutputTestKit.mtime(out, "plan.json")
            let again = try writer.makeStaging()
            Self.stream(pieces, as: "plan.json", into: again)
            again.stage([OutputTestKit.art("other.txt", "other")])
            #expect(again.contents().files.map { $0.isAlreadyInPlace } == [true, true])
            #expect(try writer.write(staged: again).unchanged == ["other.txt", "plan.json"])
            #expect(OutputTestKit.mtime(out, "plan.json") == before)

            var changed = pieces
            changed[49] = changed[49].replacingOccurrences(of: "49", with: "94")
            let third = try writer.makeStaging()
            Self.stream(changed, as: "plan.json", into: third)
            #expect(third.contents().files.map { $0.isAlreadyInPlace } == [false])
            #expect(try writer.write(staged: third).written == ["plan.json"])
            #expect(OutputTestKit.text(out, "plan.json") == changed.joined())
        }
    }

    @Test(
        "a streamed file that fails: the write fails naming the artifact and where it was staged, the previous output intact, no staging left"
    )
    func streamedFileFailing() throws {
        try OutputTestKit.withScratch { out in
            let writer = OutputWriter(directory: out, generator: "t")
            _ = try writer.write([OutputTestKit.art("plan.json", "previous")])
            let staging = try writer.makeStaging()
            staging.stage("plan.json", producer: "plan") { (file) throws(OutputSystemError) in
                var bytes = Array("partial".utf8)
                try file.write(&bytes)
                throw OutputSystemError(code: ENOSPC)
            }
            do throws(OutputError) {
                _ = try writer.write(staged: staging)
                Issue.record("a failed stream was written")
            } catch {
                guard case .staging(let path, let stagedAt, _) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(path == "plan.json")
                #expect(stagedAt.contains(OutputStaging.folderPrefix), "\(stagedAt)")
                #expect(error.description.hasPrefix("cannot write 'plan.json': \(String(cString: strerror(ENOSPC)))"), "\(error)")
                #expect(error.description.hasSuffix("the output folder was left as it was"), "\(error)")
            }
            #expect(OutputTestKit.text(out, "plan.json") == "previous")
            #expect(!OutputTestKit.listing(out).contains { $0.contains(OutputWriter.temporaryPrefix) })
        }
    }

    @Test("identical bytes behind a symbolic link are staged, and the writer still refuses the link")
    func identicalBytesBehindALink() throws {
        try OutputTestKit.withScratch { base in
            let out = base.appendingPathComponent("out")
            try OutputTestKit.put(base, "elsewhere/b.sql", "B1")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: false)
            try FileManager.default.createSymbolicLink(
                atPath: out.appendingPathComponent("sub").path, withDestinationPath: base.appendingPathComponent("elsewhere").path)
            let writer = OutputWriter(directory: out, generator: "t")
            let staging = try writer.makeStaging()
            staging.stage([OutputTestKit.art("sub/b.sql", "B1")])
            #expect(staging.contents().files.map { $0.isAlreadyInPlace } == [false])
            do throws(OutputError) {
                _ = try writer.write(staged: staging)
                Issue.record("written through a symbolic link")
            } catch {
                guard case .pathEscapes = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
            }
            #expect(OutputTestKit.listing(out) == ["sub"])
        }
    }
}

/// The name of the staging folder open in `out`.
private func stagingFolder(in out: URL) throws -> String {
    try #require(try FileManager.default.contentsOfDirectory(atPath: out.path).first { $0.hasPrefix(OutputStaging.folderPrefix) })
}

extension OutputStaging.File {
    /// Whether the file was left out of the staging because its destination held its bytes.
    fileprivate var isAlreadyInPlace: Bool {
        if case .alreadyInPlace = location { return true }
        return false
    }
}
