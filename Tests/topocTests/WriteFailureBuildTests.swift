import Foundation
import Testing

/// A build whose writes fail part-way names the file it was writing, exits non-zero and leaves
/// the previous output as it was. The file-size limit (`ulimit -f`, with `SIGXFSZ` ignored so a
/// write past it fails with `EFBIG` instead of killing the process) stands in for a full disk:
/// it fails the real `write(2)` calls of the real binary in the middle of a file, in the writers
/// that stream a file as it is rendered (plan.json, routing.json, the shared SQL script, the
/// compose file, the Swift router) and in those that stage finished files.
@Suite("builds whose writes fail")
struct WriteFailureBuildTests {
    /// The file-size limit, in KiB (bash's unit for `ulimit -f`).
    static let limitKiB = 100

    @Test(
        "a write failing part-way: the error names the artifact, the exit is non-zero, the previous output is intact",
        arguments: [nil, "plan", "routing", "postgres", "compose", "swift"] as [String?])
    func failedWriteKeepsThePreviousOutput(only backend: String?) throws {
        let folder = try TopocProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let small = folder.appendingPathComponent("small.yaml")
        let big = folder.appendingPathComponent("big.yaml")
        try InterruptedBuildTests.topology(shards: 2).write(to: small, atomically: true, encoding: .utf8)
        try InterruptedBuildTests.topology(shards: 64).write(to: big, atomically: true, encoding: .utf8)
        let only = backend.map { ["--only", $0] } ?? []

        // The files the big topology's build writes past the limit.
        let reference = folder.appendingPathComponent("reference")
        #expect(try TopocProcess.run(["build", big.path, "-o", reference.path, "--quiet"] + only).status == 0)
        let referenceFiles = try Self.files(in: reference)
        let overTheLimit = referenceFiles.filter { $0.value.count > Self.limitKiB * 1024 }.keys.filter { $0 != ".topoc-manifest" }
        try #require(!overTheLimit.isEmpty, "no file over \(Self.limitKiB) KiB: the limit tests nothing")

        let output = folder.appendingPathComponent("out")
        #expect(try TopocProcess.run(["build", small.path, "-o", output.path, "--quiet"]).status == 0)
        let before = try Self.files(in: output)

        let (status, error) = try Self.buildUnderTheLimit(["build", big.path, "-o", output.path, "--quiet"] + only)
        #expect(status != 0)
        #expect(overTheLimit.contains { error.contains("cannot write '\($0)': \(String(cString: strerror(EFBIG)))") }, "\(error)")
        #expect(error.hasSuffix("the output folder was left as it was"), "\(error)")
        // Byte for byte, with no file added (a staging folder left behind would be one).
        #expect(try Self.files(in: output) == before)

        // The next build, without the limit, is not hindered by the failed one.
        #expect(try TopocProcess.run(["build", big.path, "-o", output.path, "--quiet"] + only).status == 0)
        let after = try Self.files(in: output)
        for (path, bytes) in referenceFiles where path != ".topoc-manifest" {
            #expect(after[path] == bytes, "\(path) differs from the reference build")
        }
    }

    @Test("a manifest that cannot be written: the error says no generated file changed, and none did")
    func failedManifestKeepsThePreviousOutput() throws {
        let folder = try TopocProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let old = folder.appendingPathComponent("old.yaml")
        let new = folder.appendingPathComponent("new.yaml")
        let topology = InterruptedBuildTests.topology(shards: 64)
        try topology.write(to: old, atomically: true, encoding: .utf8)
        try topology.replacingOccurrences(of: "shard: { members: 3 }", with: "shard: { members: 3, settings: { max_connections: 150 } }")
            .write(to: new, atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent("out")
        #expect(try TopocProcess.run(["build", old.path, "-o", output.path, "--quiet"]).status == 0)
        let before = try Self.files(in: output)
        // Every Patroni file fits under the limit; the manifest, which lists every file, does not.
        try #require((before[".topoc-manifest"]?.count ?? 0) > Self.limitKiB * 1024)
        let patroni = before.filter { $0.key.hasPrefix("cluster/patroni/") }
        try #require(!patroni.isEmpty && patroni.values.allSatisfy { $0.count < Self.limitKiB * 1024 })

        let (status, error) = try Self.buildUnderTheLimit(["build", new.path, "-o", output.path, "--quiet", "--only", "patroni"])
        #expect(status != 0)
        #expect(
            error.hasSuffix(".topoc-manifest': \(String(cString: strerror(EFBIG))); no generated file was written or removed"), "\(error)")
        #expect(try Self.files(in: output) == before)

        // Without the limit the same build changes the Patroni files.
        #expect(try TopocProcess.run(["build", new.path, "-o", output.path, "--quiet", "--only", "patroni"]).status == 0)
        let after = try Self.files(in: output)
        #expect(patroni.contains { after[$0.key] != $0.value })
    }

    #if os(Linux)
        // Linux only: the failure is injected with LD_PRELOAD, which macOS ignores.
        @Test("a manifest that cannot be written after the files moved: the error says they are in place, the next build finishes")
        func failedFinalManifestIsFinishedByTheNextBuild() throws {
            let folder = try TopocProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: folder) }
            let old = folder.appendingPathComponent("old.yaml")
            let new = folder.appendingPathComponent("new.yaml")
            // From 3 shards to 2: files change, and the third shard's become stale.
            try InterruptedBuildTests.topology(shards: 3).write(to: old, atomically: true, encoding: .utf8)
            try InterruptedBuildTests.topology(shards: 2).write(to: new, atomically: true, encoding: .utf8)
            let reference = folder.appendingPathComponent("reference")
            #expect(try TopocProcess.run(["build", new.path, "-o", reference.path, "--quiet"]).status == 0)
            let expected = try Self.files(in: reference)
            let output = folder.appendingPathComponent("out")
            #expect(try TopocProcess.run(["build", old.path, "-o", output.path, "--quiet"]).status == 0)
            let before = try Self.files(in: output)
            try #require(before.keys.contains { expected[$0] == nil }, "no stale file: the test would not see them removed")

            // The second rename onto .topoc-manifest (the final manifest; the first is the provisional
            // one) fails with EIO in the real binary, after every file has been moved into place.
            let shim = try Self.renameFailureShim(in: folder)
            let result = try TopocProcess.run(
                [
                    "-c", "LD_PRELOAD=\"$1\" exec \"$0\" \"${@:2}\"", TopocProcess.executable.path, shim.path, "build", new.path, "-o",
                    output.path, "--quiet",
                ],
                binary: URL(fileURLWithPath: "/bin/bash"))
            #expect(result.status != 0)
            let error = result.stderr.split(separator: "\n").last { $0.hasPrefix("topoc: error:") }.map(String.init) ?? result.stderr
            #expect(
                error.hasSuffix(
                    ".topoc-manifest': \(String(cString: strerror(EIO))); every generated file is in place, but the manifest still marks the build unfinished; build again to finish it"
                ), "\(error)")
            // Every file is the new build's, the stale ones are gone, nothing else is left behind,
            // and the manifest on disk is the provisional one.
            let failed = try Self.files(in: output)
            #expect(Set(failed.keys) == Set(expected.keys))
            for (path, bytes) in expected where path != ".topoc-manifest" {
                #expect(failed[path] == bytes, "\(path) is not the new build's")
            }
            let manifest = try #require(failed[".topoc-manifest"])
            let provisional = try #require(try JSONSerialization.jsonObject(with: manifest) as? [String: Any])
            #expect(provisional["complete"] as? Bool == false)

            // The next build finishes it: the same folder, manifest included, as a fresh build's.
            #expect(try TopocProcess.run(["build", new.path, "-o", output.path, "--quiet"]).status == 0)
            #expect(try Self.files(in: output) == expected)
        }

        /// Compiles, with `clang` from `PATH` (the Swift toolchain ships one), a library for
        /// `LD_PRELOAD` whose `renameat` fails with `EIO` the second time something is renamed onto
        /// `.topoc-manifest`.
        static func renameFailureShim(in folder: URL) throws -> URL {
            let source = folder.appendingPathComponent("rename-failure.c")
            let library = folder.appendingPathComponent("rename-failure.so")
            try """
            #define _GNU_SOURCE
            #include <dlfcn.h>
            #include <errno.h>
            #include <string.h>

            int renameat(int from_dir, const char *from, int to_dir, const char *to) {
                static int (*real)(int, const char *, int, const char *);
                static int manifests;
                if (!real) real = (int (*)(int, const char *, int, const char *))dlsym(RTLD_NEXT, "renameat");
                if (strcmp(to, ".topoc-manifest") == 0 && ++manifests == 2) {
                    errno = EIO;
                    return -1;
                }
                return real(from_dir, from, to_dir, to);
            }
            """.write(to: source, atomically: true, encoding: .utf8)
            let compiled = try TopocProcess.run(
                ["clang", "-shared", "-fPIC", "-o", library.path, source.path], binary: URL(fileURLWithPath: "/usr/bin/env"))
            try #require(compiled.status == 0, "clang: \(compiled.stderr)")
            return library
        }
    #endif

    /// Runs `topoc arguments` with the file-size limit and `SIGXFSZ` ignored (an ignored signal
    /// stays ignored across `exec`); returns the exit status and the last `topoc: error:` line
    /// (all of stderr when there is none).
    static func buildUnderTheLimit(_ arguments: [String]) throws -> (status: Int32, error: String) {
        let result = try TopocProcess.run(
            ["-c", "ulimit -f \(limitKiB); trap '' XFSZ; exec \"$0\" \"$@\"", TopocProcess.executable.path] + arguments,
            binary: URL(fileURLWithPath: "/bin/bash"))
        let error = result.stderr.split(separator: "\n").last { $0.hasPrefix("topoc: error:") }.map(String.init)
        return (result.status, error ?? result.stderr)
    }

    /// Every regular file under `folder` (hidden ones too), by relative path, with its bytes.
    static func files(in folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let root = folder.resolvingSymlinksInPath().path
        guard let walker = FileManager.default.enumerator(atPath: root) else { return files }
        while let relative = walker.nextObject() as? String {
            let path = root + "/" + relative
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
            }
        }
        return files
    }
}
