import Foundation
import TopologyCompiler

/// `topoc down`: stops every process `topoc up` started, by PID (TERM, then KILL after a grace
/// period), including a postmaster left running by a killed Patroni, and removes the data unless
/// asked to keep it.
public struct LocalClusterDown {
    /// The run folder.
    public var layout: LocalRunLayout
    /// Keep data directories and passwords for the next `topoc up`.
    public var keepData: Bool
    /// Receives progress lines.
    public var progress: (String) -> Void

    public init(layout: LocalRunLayout, keepData: Bool, progress: @escaping (String) -> Void) {
        self.layout = layout
        self.keepData = keepData
        self.progress = progress
    }

    /// Stops everything and cleans up.
    /// - Returns: The processes still running afterwards (empty on success).
    @discardableResult
    public func run() throws -> [LocalClusterState.Process] {
        let state = try LocalClusterState.load(from: layout.state)
        Self.stopProcesses(state, grace: 30, progress: progress)
        let survivors = state.processes.filter { ProcessSpawner.isRunning($0.process) }
        let postmasters = state.members.compactMap { $0.dataDirectory.flatMap(ProcessSpawner.postmaster(of:)) }
        guard survivors.isEmpty, postmasters.isEmpty else {
            throw LocalClusterError(
                "still running: \(survivors.map { "\($0.name) (pid \($0.process.pid))" } + postmasters.map { "postmaster pid \($0.pid)" })")
        }
        if keepData {
            try? FileManager.default.removeItem(at: layout.state)
            progress("stopped; data kept in \(layout.root.path)")
        } else {
            removeData(state)
            progress("stopped; data removed from \(layout.root.path)")
        }
        return survivors
    }

    /// Stops the pooler, the proxy and its staleness agent, then every Patroni member together, then orphaned postmasters,
    /// then etcd (last, so Patroni can release its leader key).
    public static func stopProcesses(_ state: LocalClusterState, grace: Double, progress: (String) -> Void) {
        let front = state.processes.filter {
            $0.kind == "pgbouncer" || $0.kind == "haproxy" || $0.kind == LocalClusterUp.stalenessAgentKind
        }
        report(ProcessSpawner.stop(front.map(\.process), grace: 5), front, progress)
        let members = state.members
        report(ProcessSpawner.stop(members.map(\.process), grace: grace), members, progress)
        let orphans = members.compactMap { $0.dataDirectory.flatMap(ProcessSpawner.postmaster(of:)) }
        if !orphans.isEmpty {
            progress("stopping \(orphans.count) postmaster(s) left without Patroni")
            ProcessSpawner.stop(orphans, grace: 10)
        }
        let etcd = state.processes.filter { $0.kind == "etcd" }
        report(ProcessSpawner.stop(etcd.map(\.process), grace: 5), etcd, progress)
    }

    private static func report(
        _ killed: [ProcessSpawner.Started], _ processes: [LocalClusterState.Process], _ progress: (String) -> Void
    ) {
        for process in processes {
            let how = killed.contains(process.process) ? "killed after the grace period" : "stopped"
            progress("\(process.kind) \(process.name) (pid \(process.process.pid)) \(how)")
        }
    }

    /// Removes what `up` created in the run folder.
    private func removeData(_ state: LocalClusterState) {
        let manager = FileManager.default
        var paths = state.processes.compactMap(\.dataDirectory)
        paths += state.members.map { layout.root.appendingPathComponent("\($0.name).pgpass").path }
        paths += [
            layout.root.appendingPathComponent("pgbouncer-userlist.txt").path, layout.secrets.path, layout.generated.path,
            layout.logs.path, layout.state.path,
        ]
        // rm is much faster than FileManager on data directories of thousands of files.
        let inside = paths.filter { $0.hasPrefix(layout.root.path + "/") && manager.fileExists(atPath: $0) }
        if !inside.isEmpty {
            _ = Subprocess.run(["/bin/rm", "-rf", "--"] + inside, environment: LocalTools.serverEnvironment(), timeout: 120)
        }
        if (try? manager.contentsOfDirectory(atPath: layout.root.path))?.isEmpty == true {
            try? manager.removeItem(at: layout.root)
        }
    }
}
