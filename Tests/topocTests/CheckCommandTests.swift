import Foundation
import Testing

/// `topoc check`: usage and unreachable deployments exit 2 with a message, never 0.
@Suite("topoc check --live")
struct CheckCommandTests {
    let example = "examples/single-node.yaml"

    @Test func withoutLiveIsAUsageError() throws {
        let result = try TopocProcess.run(["check", example])
        #expect(result.status == 2)
        #expect(result.stderr.contains("check needs --live"), "\(result.stderr)")
    }

    @Test func noDeploymentInTheRunFolderExitsTwo() throws {
        let folder = try TopocProcess.temporaryDirectory()
        let result = try TopocProcess.run(["check", "--live", example, "--run-dir", folder.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no local deployment at \(folder.path)"), "\(result.stderr)")
    }

    @Test func aConnectionStringThatNamesADatabaseIsRefused() throws {
        let result = try TopocProcess.run(["check", "--live", example, "--dsn", "host=127.0.0.1 dbname=x"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("names a database"), "\(result.stderr)")
    }

    @Test func anUnreachableClusterExitsTwoWithAWarningAtTheCluster() throws {
        // Port 1 on loopback refuses connections.
        let result = try TopocProcess.run(["check", "--live", example, "--dsn", "host=127.0.0.1 port=1 user=nobody connect_timeout=2"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("warning:") && result.stderr.contains("[TLV001]"), "\(result.stderr)")
        #expect(result.stderr.range(of: #"[0-9]+:[0-9]+: error:"#, options: .regularExpression) == nil, "\(result.stderr)")
        // The summary says what was and was not looked at, not "0 compared" for parts never run.
        #expect(result.stderr.contains("reach: 1 of 1 cluster(s) named by --dsn\n"), "\(result.stderr)")
        #expect(result.stderr.contains("Patroni /config: not checked (--dsn reaches PostgreSQL only)\n"), "\(result.stderr)")
        #expect(result.stderr.contains("PgBouncer: not checked (--dsn reaches PostgreSQL only)\n"), "\(result.stderr)")
        #expect(result.stderr.contains("catalog: 0 compared, 0 drifted, 2 not checked"), "\(result.stderr)")
    }

    @Test func aTopologyWithErrorsExitsOne() throws {
        let folder = try TopocProcess.temporaryDirectory()
        let file = folder.appendingPathComponent("bad.yaml")
        try "topology: shop\nclusters: {}\n".write(to: file, atomically: true, encoding: .utf8)
        let result = try TopocProcess.run(["check", "--live", file.path])
        #expect(result.status == 1, "\(result.stderr)")
    }
}
