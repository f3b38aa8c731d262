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
        let lock = try RunFolderLock(layout, command: "topoc down")
        defer { withExtendedLifetime(lock) {} }
        let state = try LocalClusterState.load(from: layout.state)
        Self.stopProcesses(state, grace: 30, progress: progress)
        let survivors = state.processes.filter { ProcessSpawner.isRunning($0.process) }
        let postmasters = state.members.compactMap { $0.dataDirectory.flatMap(ProcessSpawner.postmaster(of:)) }
        guard survivors.isEmpty, postmasters.isEmpty else {
            throw LocalClusterError(
                "still running: \(survivors.map { "\($0.name) (pid \($0.process.pid))" } + postmasters.map { "postmaster pid \($0.pid)" })")
        }
        try? FileManager.default.removeItem(at: layout.bringingUp)
        if keepData {
            try? FileManager.default.removeItem(at: layout.state)
            progress("stopped; data kept in \(layout.root.path)")
        } else {
            removeData(state)
            progress("stopped; data removed from \(layout.root.path)")
            if let kept = try setBackupRepositoryAside() {
                progress("the backups of the stopped deployment are kept in \(kept.path) (a new deployment starts an empty repository)")
            }
        }
        return survivors
    }

    /// Stops the pooler, the proxy and its staleness agent, then every Patroni member together, then orphaned postmasters,
    /// then etcd (last, so Patroni can release its leader key).
    public static func stopProcesses(_ state: LocalClusterState, grace: Double, progress: (String) -> Void) {
        let front = state.processes.filter {
            $0.kind == "pgbouncer" || $0.kind == "haproxy" || $0.kind == LocalClusterUp.stalenessAgentKind
        }
        stop(front, grace: 5, progress)
        let members = state.members
        stop(members, grace: grace, progress)
        let orphans = members.compactMap { $0.dataDirectory.flatMap(ProcessSpawner.postmaster(of:)) }
        if !orphans.isEmpty {
            progress("stopping \(orphans.count) postmaster(s) left without Patroni")
            ProcessSpawner.stop(orphans, grace: 10)
        }
        let etcd = state.processes.filter { $0.kind == "etcd" }
        stop(etcd, grace: 5, progress)
    }

    /// Stops `processes` together and reports each one: stopped, killed after the grace period, or
    /// not running any more (it had exited or been killed before `down`; nothing was stopped).
    private static func stop(_ processes: [LocalClusterState.Process], grace: Double, _ progress: (String) -> Void) {
        let running = processes.filter { ProcessSpawner.isRunning($0.process) }
        let killed = ProcessSpawner.stop(running.map(\.process), grace: grace)
        for process in processes {
            let how: String
            if !running.contains(where: { $0.process == process.process }) {
                how = "was not running"
            } else if killed.contains(process.process) {
                how = "killed after the grace period"
            } else {
                how = "stopped"
            }
            progress("\(process.kind) \(process.name) (pid \(process.process.pid)) \(how)")
        }
    }

    /// Moves the run folder's backup repository to `RUN/pgbackrest-kept-<UTC time>`: its backups are
    /// the only copy of the stopped deployment's data, and the next `topoc up` would restore its
    /// new members from them (LocalClusterUp refuses a repository that holds a stanza).
    /// - Returns: Where it went, nil when there was none.
    private func setBackupRepositoryAside() throws -> URL? {
        let repository = layout.backupRepository
        guard FileManager.default.fileExists(atPath: repository.path) else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let kept = layout.root.appendingPathComponent("pgbackrest-kept-\(formatter.string(from: Date()))")
        do { try FileManager.default.moveItem(at: repository, to: kept) } catch {
            throw LocalClusterError("stopped, but could not move the backup repository \(repository.path) aside: \(error)")
        }
        return kept
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
        // The folder goes when nothing but this run's lock file is left in it.
        let left = (try? manager.contentsOfDirectory(atPath: layout.root.path)) ?? [layout.root.path]
        if left.allSatisfy({ $0 == RunFolderLock.path(layout).lastPathComponent }) {
            try? manager.removeItem(at: layout.root)
        }
    }
}
