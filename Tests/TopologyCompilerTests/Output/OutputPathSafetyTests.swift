import Foundation
import Testing

@testable import TopologyCompiler

private typealias K = OutputTestKit

@Suite("OutputWriter: path safety")
struct OutputPathSafetyTests {
    static let rejected: [String] = [
        "../x", "/etc/x", "a/../../b", "a/..", "..", "a//b", "a/", "/", "", ".", "./a", "a/./b",
        "a\\b", "..\\x", "a\u{0}b", "a\nb", "tab\there", "del\u{7F}", "c1\u{85}",
        String(repeating: "n", count: 256), "dir/" + String(repeating: "é", count: 128),
        ".topoc-manifest", ".TOPOC-Manifest", ".topoc-manifest/x", ".topoc-tmp-1", "a/.topoc-tmp-x",
    ]

    @Test("every unsafe path kind is rejected and nothing is written", arguments: rejected)
    func rejectsPath(_ bad: String) throws {
        try K.withScratch { base in
            let out = base.appendingPathComponent("out")
            let writer = OutputWriter(directory: out, generator: "t")
            let error = K.writeError(writer, [K.art("good/first.sql", "G"), K.art(bad, "evil"), K.art("z.sql", "Z")])
            switch error {
            case .invalidPath(let path, _), .pathEscapes(let path, _):
                #expect(path == bad)
            default:
                Issue.record("expected a path error for \(bad.debugDescription), got \(String(describing: error))")
            }
            // Not even the output folder was created; nothing appeared outside either.
            #expect(!K.exists(base, "out"))
            #expect(K.listing(base).isEmpty)
        }
    }

    @Test("components of exactly 255 bytes and unusual but harmless names are accepted")
    func acceptsEdgePaths() throws {
        try K.withScratch { out in
            let long = String(repeating: "n", count: 255)
            let paths = [long, "dir/" + long, "...", "..a", ".hidden", "sp ace/ü.sql", "a:b"]
            let report = try OutputWriter(directory: out, generator: "t").write(paths.map { K.art($0, $0) })
            #expect(report.written.count == paths.count)
            for path in paths { #expect(K.text(out, path) == path) }
        }
    }

    @Test("duplicate paths, case-insensitive duplicates and file/directory clashes are rejected")
    func rejectsDuplicates() throws {
        let sets: [[Artifact]] = [
            [K.art("a.sql", "1"), K.art("a.sql", "2", producer: "other")],
            [K.art("Schema.sql", "1"), K.art("schema.SQL", "2")],
            [K.art("x", "1"), K.art("x/y", "2")],
            [K.art("X", "1"), K.art("x/y", "2")],
        ]
        for artifacts in sets {
            try K.withScratch { base in
                let out = base.appendingPathComponent("out")
                let error = K.writeError(OutputWriter(directory: out, generator: "t"), artifacts)
                guard case .duplicatePath = error else {
                    Issue.record("expected duplicatePath for \(artifacts.map(\.path)), got \(String(describing: error))")
                    return
                }
                #expect(!K.exists(base, "out"))
            }
        }
    }

    @Test("a symlinked parent directory pointing outside is refused; the outside is untouched")
    func symlinkedParentRefused() throws {
        try K.withScratch { base in
            let outside = base.appendingPathComponent("outside")
            let out = base.appendingPathComponent("out")
            try K.put(outside, "victim.sql", "precious")
            try K.backdate(outside, "victim.sql")
            let time = K.mtime(outside, "victim.sql")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(
                at: out.appendingPathComponent("link"), withDestinationURL: outside)

            let writer = OutputWriter(directory: out, generator: "t")
            for target in ["link/victim.sql", "link/new.sql", "link/sub/new.sql"] {
                let error = K.writeError(writer, [K.art("a.sql", "A"), K.art(target, "evil")])
                guard case .pathEscapes(let path, let reason) = error else {
                    Issue.record("expected pathEscapes for \(target), got \(String(describing: error))")
                    continue
                }
                #expect(path == target)
                #expect(reason.contains("symbolic link"))
            }
            #expect(K.text(outside, "victim.sql") == "precious")
            #expect(K.mtime(outside, "victim.sql") == time)
            #expect(K.listing(outside) == ["victim.sql"])
            #expect(K.listing(out) == ["link"])
        }
    }

    @Test("a regular file used as a parent directory is refused")
    func fileAsParentRefused() throws {
        try K.withScratch { out in
            try K.put(out, "notes", "user file")
            let error = K.writeError(OutputWriter(directory: out, generator: "t"), [K.art("notes/x.sql", "X")])
            guard case .pathEscapes(let path, _) = error else {
                Issue.record("expected pathEscapes, got \(String(describing: error))")
                return
            }
            #expect(path == "notes/x.sql")
            #expect(K.text(out, "notes") == "user file")
        }
    }

    @Test("a generated directory swapped for a symlink is never written or deleted through")
    func swappedSymlinkNeverFollowed() throws {
        try K.withScratch { base in
            let outside = base.appendingPathComponent("outside")
            let out = base.appendingPathComponent("out")
            let writer = OutputWriter(directory: out, generator: "t")
            _ = try writer.write([K.art("sub/x.sql", "X"), K.art("top.sql", "T")])
            // The user replaces the generated folder by a link to a folder with a same-named file.
            try K.put(outside, "x.sql", "precious")
            try FileManager.default.removeItem(at: out.appendingPathComponent("sub"))
            try FileManager.default.createSymbolicLink(at: out.appendingPathComponent("sub"), withDestinationURL: outside)

            // Writing through it is refused ...
            guard case .pathEscapes = K.writeError(writer, [K.art("sub/x.sql", "X2")]) else {
                Issue.record("expected pathEscapes")
                return
            }
            // ... and removing stale files does not delete through it, nor the link itself.
            let report = try writer.write([K.art("top.sql", "T")])
            #expect(report.removed.isEmpty)
            #expect(K.text(outside, "x.sql") == "precious")
            #expect(K.exists(out, "sub"))
        }
    }

    @Test("an owned file replaced by a symlink is replaced, not written through")
    func ownedFileSymlinkReplaced() throws {
        try K.withScratch { base in
            let outside = base.appendingPathComponent("outside")
            let out = base.appendingPathComponent("out")
            try K.put(outside, "target", "precious")
            let writer = OutputWriter(directory: out, generator: "t")
            _ = try writer.write([K.art("a.sql", "A"), K.art("b.sql", "B")])
            for name in ["a.sql", "b.sql"] {
                try FileManager.default.removeItem(at: out.appendingPathComponent(name))
                try FileManager.default.createSymbolicLink(
                    at: out.appendingPathComponent(name), withDestinationURL: outside.appendingPathComponent("target"))
            }
            let report = try writer.write([K.art("a.sql", "A2")])
            #expect(report.written == ["a.sql"])
            #expect(report.removed == ["b.sql"])
            #expect(report.overwrittenEdits == ["a.sql", "b.sql"])
            #expect(K.text(out, "a.sql") == "A2")
            #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: out.appendingPathComponent("a.sql").path)) == nil)
            #expect(!K.exists(out, "b.sql"))
            #expect(K.text(outside, "target") == "precious")
        }
    }

    @Test("an unowned symlink at an artifact path is refused")
    func unownedSymlinkRefused() throws {
        try K.withScratch { base in
            let out = base.appendingPathComponent("out")
            try K.put(base, "target", "same")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(
                at: out.appendingPathComponent("a.sql"), withDestinationURL: base.appendingPathComponent("target"))
            #expect(K.writeError(OutputWriter(directory: out, generator: "t"), [K.art("a.sql", "same")]) == .notOwned(path: "a.sql"))
            #expect(K.text(base, "target") == "same")
        }
    }

    @Test("an output folder that is itself a symlink is resolved once and written inside its target")
    func symlinkedOutputFolderResolved() throws {
        try K.withScratch { base in
            let real = base.appendingPathComponent("real")
            let link = base.appendingPathComponent("link")
            try FileManager.default.createDirectory(at: real, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: link, withDestinationURL: real)
            let report = try OutputWriter(directory: link, generator: "t").write([K.art("a/b.sql", "B")])
            #expect(K.text(real, "a/b.sql") == "B")
            #expect(report.directory.resolvingSymlinksInPath().path == real.resolvingSymlinksInPath().path)
            #expect(report.directory.lastPathComponent == "real")
            #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link.path)) != nil)
        }
    }

    @Test("an output path that is a regular file is an error")
    func outputFolderIsFile() throws {
        try K.withScratch { base in
            try K.put(base, "out", "file")
            guard case .io = K.writeError(OutputWriter(directory: base.appendingPathComponent("out")), [K.art("a", "A")]) else {
                Issue.record("expected io error")
                return
            }
            #expect(K.text(base, "out") == "file")
        }
    }
}
