import Foundation
import Testing

/// A build killed at any moment leaves every file either entirely old or entirely new.
@Suite("interrupted builds")
struct InterruptedBuildTests {
    static func topology(shards: Int) -> String {
        var text = """
            topology: big
            clusters:
              shard: { members: 3 }
            sharding: { key: id, key_type: bigint, strategy: consistent-hash, shards: \(shards), virtual_nodes: 200, cluster: shard }
            tables:

            """
        for index in 0..<40 {
            text +=
                "  t\(index): { columns: { id: bigint, at: date }, partitioning: { by: range, key: at, interval: daily, from: 2024-01-01, to: 2025-01-01 } }\n"
        }
        return text
    }

    @Test func killedBuildsLeaveOldOrNewFiles() throws {
        let folder = try TopocProcess.temporaryDirectory()
        let old = folder.appendingPathComponent("old.yaml")
        let new = folder.appendingPathComponent("new.yaml")
        try Self.topology(shards: 64).write(to: old, atomically: true, encoding: .utf8)
        try Self.topology(shards: 96).write(to: new, atomically: true, encoding: .utf8)

        // Reference outputs of both versions.
        var expected: [String: Set<Data>] = [:]
        for source in [old, new] {
            let reference = folder.appendingPathComponent("ref-\(source.lastPathComponent)")
            #expect(try TopocProcess.run(["build", source.path, "-o", reference.path]).status == 0)
            for file in ["plan.json", "routing.json"] {
                expected[file, default: []].insert(try Data(contentsOf: reference.appendingPathComponent(file)))
            }
        }

        let output = folder.appendingPathComponent("out")
        var killed = 0
        for attempt in 0..<12 {
            let source = attempt.isMultiple(of: 2) ? new : old
            let process = Process()
            process.executableURL = TopocProcess.executable
            process.arguments = ["build", source.path, "-o", output.path, "--quiet"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(20_000 + attempt * 25_000))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed += 1
            }
            process.waitUntilExit()
            for file in ["plan.json", "routing.json"] {
                let url = output.appendingPathComponent(file)
                guard FileManager.default.fileExists(atPath: url.path) else { continue }
                let bytes = try Data(contentsOf: url)
                #expect(expected[file]?.contains(bytes) == true, "\(file) is neither the old nor the new version after attempt \(attempt)")
            }
        }
        // Whatever happened, the next build completes and owns a consistent folder.
        let final = try TopocProcess.run(["build", new.path, "-o", output.path])
        #expect(final.status == 0, "\(final.stderr)")
        let manifest = try Data(contentsOf: output.appendingPathComponent(".topoc-manifest"))
        #expect(try JSONSerialization.jsonObject(with: manifest) is [String: Any])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.hasPrefix(".topoc-tmp-") }
        #expect(leftovers.isEmpty)
        #expect(killed > 0, "no build was interrupted; the test did not exercise a kill")
    }
}
