import Foundation
import Testing

@testable import TopologyCompiler
@testable import TopologyLocalCluster

#if canImport(Glibc)
    import Glibc
#endif

/// What keeps a run folder's deployment consistent between `topoc up` and `topoc down` runs: one
/// of them at a time, a first bring-up that did not finish is never taken for a deployment, and a
/// new deployment never starts on an earlier one's backups.
struct RunFolderTests {
    static func folder() throws -> LocalRunLayout {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("topoc-run-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return LocalRunLayout(root: url.path)
    }

    @Test func oneUpOrDownAtATime() throws {
        let layout = try Self.folder()
        defer { try? FileManager.default.removeItem(at: layout.root) }
        do {
            let held = try RunFolderLock(layout, command: "topoc up")
            let refused = #expect(throws: LocalClusterError.self) { try RunFolderLock(layout, command: "topoc down") }
            #expect(
                refused?.description.contains("another topoc up or topoc down is running on \(layout.root.path) (pid \(getpid()))") == true)
            #expect(refused?.description.hasSuffix("then run topoc down again") == true)
            withExtendedLifetime(held) {}
        }
        // Released with its holder.
        _ = try RunFolderLock(layout, command: "topoc up")
    }

    /// Processes of a first `topoc up` that stopped before the end (killed, interrupted) are not a
    /// deployment to migrate or to call ready: `topoc up` says to stop them first.
    @Test func anUnfinishedFirstUpIsNotADeployment() throws {
        let layout = try Self.folder()
        defer { try? FileManager.default.removeItem(at: layout.root) }
        let plan = try #require(try PlanTestSupport.plan(example: "single-node.yaml", target: .local))
        // A state whose process runs: this test's own.
        let state = LocalClusterState(
            topology: plan.topology, runDirectory: layout.root.path, outputDirectory: layout.generated.path,
            processes: [
                .init(kind: "etcd", name: "etcd", process: .init(pid: getpid(), startTime: 0), log: layout.log("etcd").path)
            ],
            pgbouncer: "127.0.0.1:1", pools: [], frontends: [], ports: [])
        try state.save(to: layout.state)
        try Data("started\n".utf8).write(to: layout.bringingUp)
        let up = LocalClusterUp(plan: plan, layout: layout, timeout: 10, allowDestructive: false) { _ in }
        let refused = #expect(throws: LocalClusterError.self) { try up.runningDeployment() }
        #expect(refused?.description.contains("stopped before the deployment was up") == true, "\(String(describing: refused))")
        #expect(refused?.description.contains("topoc down --run-dir \(layout.root.path)") == true)
        // Finished: the marker is gone, and the deployment is one (its plan is then read).
        try FileManager.default.removeItem(at: layout.bringingUp)
        let other = #expect(throws: LocalClusterError.self) { try up.runningDeployment() }
        #expect(other?.description.contains("the plan it runs") == true, "\(String(describing: other))")
    }

    /// Data kept by `topoc down --keep-data` is started again only from the plan it ran: from
    /// another, the members would keep that plan's dynamic configuration (etcd) and schema.
    @Test func keptDataOfAnotherPlanIsRefused() throws {
        let layout = try Self.folder()
        defer { try? FileManager.default.removeItem(at: layout.root) }
        let text = try String(contentsOf: PlanTestSupport.exampleURL("single-node.yaml"), encoding: .utf8)
        let kept = layout.localize(try #require(PlanTestSupport.plan(text, target: .local)))
        let new = layout.localize(
            try #require(
                PlanTestSupport.plan(text.replacingOccurrences(of: "max_connections: 100", with: "max_connections: 130"), target: .local)))
        try FileManager.default.createDirectory(at: layout.generated, withIntermediateDirectories: true)
        try DeterministicJSON.data(kept).write(to: layout.generated.appendingPathComponent(PlanJSONBackend.fileName))
        let member = try #require(kept.clusters.first?.members.first)
        try FileManager.default.createDirectory(atPath: member.dataDirectory, withIntermediateDirectories: true)
        try Data("15\n".utf8).write(to: URL(fileURLWithPath: member.dataDirectory).appendingPathComponent("PG_VERSION"))
        let refused = #expect(throws: LocalClusterError.self) {
            try LocalClusterUp(plan: new, layout: layout, timeout: 10, allowDestructive: false) { _ in }.run()
        }
        #expect(refused?.description.contains("holds the data of a stopped deployment") == true, "\(String(describing: refused))")
        #expect(refused?.description.contains("Bring it up with the topology it ran") == true)
    }

    /// The socket and lock file a killed postmaster left are removed before members start; a
    /// socket a server listens on is kept.
    @Test func staleSocketsAreRemovedLiveOnesKept() throws {
        let layout = try Self.folder()
        defer { try? FileManager.default.removeItem(at: layout.root) }
        // A short folder: a socket path must fit in sun_path (108 bytes).
        let directory = "/tmp/tps-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let plan = try #require(try PlanTestSupport.plan(example: "primary-replicas.yaml", target: .local))
        let ports = try #require(plan.clusters.first?.members.map(\.port))
        #expect(ports.count >= 2)
        func bound(_ port: Int, listening: Bool) throws -> Int32 {
            let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let path = Array("\(directory)/.s.PGSQL.\(port)".utf8)
            withUnsafeMutableBytes(of: &address.sun_path) { buffer in
                for (index, byte) in path.enumerated() { buffer[index] = byte }
            }
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            #expect(result == 0)
            if listening { #expect(listen(descriptor, 1) == 0) }
            try Data("\(getpid())\n".utf8).write(to: URL(fileURLWithPath: "\(directory)/.s.PGSQL.\(port).lock"))
            return descriptor
        }
        let stale = try bound(ports[0], listening: false)
        close(stale)  // the file stays, nothing accepts on it: a killed postmaster's
        let live = try bound(ports[1], listening: true)
        defer { close(live) }
        var lines: [String] = []
        let up = LocalClusterUp(plan: plan, layout: layout, timeout: 10, allowDestructive: false) { lines.append($0) }
        #expect(!LoopbackHTTP.acceptsConnections(unixSocket: "\(directory)/.s.PGSQL.\(ports[0])"))
        #expect(LoopbackHTTP.acceptsConnections(unixSocket: "\(directory)/.s.PGSQL.\(ports[1])"))
        up.removeStaleSockets(in: directory)
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/.s.PGSQL.\(ports[0]).lock"))
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/.s.PGSQL.\(ports[0])"))
        #expect(FileManager.default.fileExists(atPath: "\(directory)/.s.PGSQL.\(ports[1]).lock"), "a live server's lock is kept")
        #expect(lines.contains { $0.contains("removed the stale socket of port \(ports[0])") })
    }

    /// A repository that holds a stanza of an earlier deployment is found before anything starts.
    @Test func anEarlierStanzaIsFound() throws {
        let layout = try Self.folder()
        defer { try? FileManager.default.removeItem(at: layout.root) }
        let repository = layout.root.appendingPathComponent("repo")
        let text = """
            topology: bk
            clusters:
              main: { members: 2, replication: { mode: synchronous } }
            guarantees: { rpo: 0 }
            backup: { repository: \(repository.path) }

            """
        let plan = try #require(PlanTestSupport.plan(text, target: .local))
        #expect(LocalClusterUp.earlierStanza(plan) == nil)
        try FileManager.default.createDirectory(
            at: repository.appendingPathComponent("archive/main"), withIntermediateDirectories: true)
        #expect(LocalClusterUp.earlierStanza(plan) == nil, "an empty stanza folder holds nothing")
        try Data("x".utf8).write(to: repository.appendingPathComponent("archive/main/archive.info"))
        #expect(LocalClusterUp.earlierStanza(plan)?.cluster == "main")
        #expect(LocalClusterUp.earlierStanza(plan)?.repository == repository.path)
    }
}
