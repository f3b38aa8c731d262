import Foundation
import TopologyCompiler

#if canImport(Glibc)
    import Glibc
#endif

/// pgBackRest on a local deployment: the stanza and first full backup at `topoc up`, and
/// `topoc backup`. Everything runs as the server user with the generated `pgbackrest.conf` of
/// the run folder; nothing here needs the plan, only the run folder and its state.
public struct LocalBackup {
    /// The run folder.
    public var layout: LocalRunLayout
    /// Receives progress lines.
    public var progress: (String) -> Void

    public init(layout: LocalRunLayout, progress: @escaping (String) -> Void) {
        self.layout = layout
        self.progress = progress
    }

    /// The backup types pgBackRest takes (the plan's ``TopologyCompiler/BackupType``).
    public typealias BackupType = TopologyCompiler.BackupType

    /// The generated configuration of a cluster's stanza in this run folder.
    public func configuration(cluster: String) -> String {
        layout.generated.appendingPathComponent(BackupLayout.configPath(cluster: cluster)).path
    }

    /// Whether the deployment has backups for a cluster (its stanza configuration exists).
    public func hasBackups(cluster: String) -> Bool { FileManager.default.fileExists(atPath: configuration(cluster: cluster)) }

    /// The cluster a command acts on: the one named, else the only one with backups.
    public func cluster(_ named: String?, state: LocalClusterState) throws -> String {
        let clusters = Array(Set(state.members.compactMap(\.cluster))).sorted()
        if let named {
            guard clusters.contains(named) else {
                throw LocalClusterError(
                    "no cluster '\(named)' in the deployment at \(layout.root.path) (clusters: \(clusters.joined(separator: ", ")))")
            }
            guard hasBackups(cluster: named) else {
                throw LocalClusterError("cluster '\(named)' has no backups: the topology has no 'backup' section")
            }
            return named
        }
        let backed = clusters.filter(hasBackups)
        guard backed.count == 1, let only = backed.first else {
            throw LocalClusterError(
                backed.isEmpty
                    ? "the deployment at \(layout.root.path) has no backups: the topology has no 'backup' section"
                    : "the deployment has several clusters with backups (\(backed.joined(separator: ", "))); name one with --cluster")
        }
        return only
    }

    /// Creates pgBackRest's log, lock and spool folders and the default repository of every
    /// cluster, owned by the server user, before the members start: pgBackRest does not create its
    /// log folder, and a new member runs the pgbackrest replica method at once.
    public static func prepareFolders(plan: Plan) throws {
        guard plan.backup != nil else { return }
        var folders = plan.clusters.flatMap {
            [BackupLayout.logPath(cluster: $0.name, plan: plan), BackupLayout.workPath(cluster: $0.name, plan: plan)]
        }
        if plan.backup?.repositoryPath == nil { folders.append(BackupLayout.repository(plan)) }
        for folder in folders {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            chmod(folder, 0o700)
            guard ProcessSpawner.isRoot else { continue }
            let owner = Subprocess.run(["/bin/chown", "postgres:postgres", folder], environment: LocalTools.serverEnvironment())
            guard owner.status == 0 else { throw LocalClusterError("cannot give \(folder) to postgres for pgBackRest: \(owner.error)") }
        }
    }

    /// Runs pgBackRest as the server user: `--config`, `--stanza`, then `arguments`.
    public func pgbackrest(cluster: String, _ arguments: [String], timeout: Double = 600) -> PSQL.Result {
        Subprocess.run(
            ProcessSpawner.asServerUser(
                [BackupLayout.executable, "--config=" + configuration(cluster: cluster), "--stanza=" + cluster] + arguments),
            environment: LocalTools.serverEnvironment(), timeout: timeout)
    }

    /// Creates the stanza, checks that archiving works and takes the first full backup.
    public func initialize(cluster: String) throws {
        try run(cluster: cluster, ["stanza-create"], what: "stanza-create")
        try run(cluster: cluster, ["check"], what: "check (archive_command works)")
        try backup(cluster: cluster, type: .full)
    }

    /// Takes one backup and returns its label.
    @discardableResult
    public func backup(cluster: String, type: BackupType) throws -> String {
        let started = Date()
        let result = try run(
            cluster: cluster, ["--type=" + type.rawValue, "--log-level-console=info", "backup"], what: "\(type.rawValue) backup")
        let label =
            result.output.split(separator: "\n").compactMap { line -> String? in
                guard let range = line.range(of: "new backup label = ") else { return nil }
                return String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces)
            }.last ?? "?"
        progress(String(format: "%@: %@ backup %@ in %.1fs", cluster, type.rawValue, label, Date().timeIntervalSince(started)))
        return label
    }

    @discardableResult
    private func run(cluster: String, _ arguments: [String], what: String) throws -> PSQL.Result {
        let result = pgbackrest(cluster: cluster, arguments)
        guard result.status == 0 else {
            throw LocalClusterError(
                "pgBackRest \(what) of cluster \(cluster) failed (exit \(result.status)): \((result.error + result.output).trimmingCharacters(in: .whitespacesAndNewlines))"
            )
        }
        progress("\(cluster): pgBackRest \(what) done")
        return result
    }
}
