import Foundation
import TopologyCompiler
import TopologyLocalCluster
import XCTest

/// Ctrl-C (SIGINT) during a first `topoc up`: it stops every process it had started and exits with
/// 130; before, etcd, Patroni, HAProxy and initdb kept running, and the next `topoc up` called the
/// half-made deployment ready. `topoc down` then removes the data. Ports from 30500 + the offset.
final class ClusterUpInterruptTests: XCTestCase {
    func testInterruptedFirstUpLeavesNothingRunning() throws {
        try ClusterHarness.require()
        let folder = URL(fileURLWithPath: "/tmp/topoc-cluster-interrupt-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = """
            topology: intr
            clusters:
              main: { members: 2, failover: { watchdog: off } }
            guarantees: { consistency: eventual, rpo: 5s }
            rules: { TBK701: off }
            deployment:
              local: { base_port: \(30500 + ClusterHarness.portOffset) }

            """
        try yaml.write(to: folder.appendingPathComponent("topology.yaml"), atomically: true, encoding: .utf8)
        let run = folder.appendingPathComponent("run")
        let layout = LocalRunLayout(root: run.path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ClusterHarness.topoc)
        process.arguments = ["up", "topology.yaml", "--run-dir", run.path]
        process.currentDirectoryURL = folder
        process.environment = ["PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "LANG": "C.UTF-8"]
        let log = folder.appendingPathComponent("up.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // Interrupted once its Patroni members run (the bring-up is then half made).
        let started = ClusterHarness.poll(seconds: 60) { () -> Bool? in
            guard let state = try? LocalClusterState.load(from: layout.state) else { return nil }
            return state.members.count == 2 ? true : nil
        }
        XCTAssertNotNil(started, "the members did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        process.interrupt()
        process.waitUntilExit()
        try output.close()
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        XCTAssertEqual(process.terminationStatus, 130, text)
        XCTAssertTrue(text.contains("interrupted: stopping what was started"), text)
        let state = try LocalClusterState.load(from: layout.state)
        for started in state.processes {
            XCTAssertFalse(ProcessSpawner.isRunning(started.process), "\(started.name) still runs after the interrupt")
        }
        for member in state.members {
            XCTAssertNil(member.dataDirectory.flatMap(ProcessSpawner.postmaster(of:)), "\(member.name)'s postmaster still runs")
        }
        let down = Subprocess.run(
            [ClusterHarness.topoc, "down", "--run-dir", run.path],
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "LANG": "C.UTF-8"], directory: folder, timeout: 120)
        XCTAssertEqual(down.status, 0, down.output + down.error)
    }
}
