import Foundation
import TopologyCompiler

/// Where `topoc up` keeps everything of one local deployment, inside one run folder:
///
/// ```
/// RUN/generated/        the artifacts (topoc build --target local), processes start here
/// RUN/<member>/         each member's data directory
/// RUN/<etcd member>/    etcd's data
/// RUN/logs/<name>.log   each process's output
/// RUN/secrets.env       generated passwords, mode 0600 (never in the output folder)
/// RUN/state.json        what is running: PIDs, ports, endpoints
/// RUN/migrating-from.json  while `topoc up` changes a running deployment: the plan it ran before
/// RUN/migrations/       the migrations `topoc up` applied to a running deployment
/// RUN/bringing-up       while the first `topoc up` brings the deployment up
/// RUN/pgbackrest/       the backup repository (with `backup: {}`); `topoc down` moves it to RUN/pgbackrest-kept-<time>
/// RUN/.topoc-lock       locked by the `topoc up` or `topoc down` at work
/// ```
public struct LocalRunLayout: Sendable {
    /// The run folder, absolute.
    public let root: URL

    /// A layout for a run folder (made absolute against the current directory).
    public init(root: String) {
        let absolute = root.hasPrefix("/") ? root : FileManager.default.currentDirectoryPath + "/" + root
        self.root = URL(fileURLWithPath: absolute).standardizedFileURL
    }

    /// The output folder the artifacts go to; every process starts in it.
    public var generated: URL { root.appendingPathComponent("generated") }
    /// The folder of the process logs.
    public var logs: URL { root.appendingPathComponent("logs") }
    /// The generated passwords.
    public var secrets: URL { root.appendingPathComponent("secrets.env") }
    /// The state file.
    public var state: URL { root.appendingPathComponent("state.json") }
    /// The plan a running deployment ran before the migration under way (present only while one is
    /// under way, or after one stopped before its end): `topoc up` resumes from it.
    public var migratingFrom: URL { root.appendingPathComponent("migrating-from.json") }
    /// Present from the start of a first `topoc up` until the deployment is up (processes, schema,
    /// backups, PgBouncer): a deployment whose processes run while it is present was never finished.
    public var bringingUp: URL { root.appendingPathComponent("bringing-up") }
    /// The default backup repository of the local target (`BackupLayout.repository`).
    public var backupRepository: URL { root.appendingPathComponent("pgbackrest") }

    /// The log file of a process.
    public func log(_ name: String) -> URL { logs.appendingPathComponent("\(name).log") }

    /// The plan with every member's data directory inside the run folder (absolute), so the
    /// generated files need no working-directory convention for data.
    public func localize(_ plan: Plan) -> Plan {
        var plan = plan
        for clusterIndex in plan.clusters.indices {
            for memberIndex in plan.clusters[clusterIndex].members.indices {
                let name = plan.clusters[clusterIndex].members[memberIndex].name
                plan.clusters[clusterIndex].members[memberIndex].dataDirectory = root.appendingPathComponent(name).path
            }
        }
        return plan
    }

    /// The default run folder of a plan: the folder that holds its data directories, relative to
    /// the current directory (`.topoc/run` unless the topology says otherwise).
    public static func defaultRoot(for plan: Plan) -> String {
        let dataDirectory = plan.clusters.first?.members.first?.dataDirectory ?? ".topoc/run/member"
        let parent = dataDirectory.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return parent.isEmpty ? "." : parent
    }
}
