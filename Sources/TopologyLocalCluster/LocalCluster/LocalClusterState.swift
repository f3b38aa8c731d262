import Foundation
import TopologyCompiler

/// What `topoc up` started, written to `RUN/state.json` and read by `topoc status` and `topoc down`.
public struct LocalClusterState: Sendable, Codable, Equatable {
    /// One started process.
    public struct Process: Sendable, Codable, Equatable {
        /// `etcd`, `patroni`, `haproxy` or `pgbouncer`.
        public var kind: String
        /// The member or service name.
        public var name: String
        /// The process.
        public var process: ProcessSpawner.Started
        /// The cluster, for Patroni members.
        public var cluster: String?
        /// The data directory, for Patroni members and etcd.
        public var dataDirectory: String?
        /// PostgreSQL's port, for Patroni members.
        public var port: Int?
        /// Patroni's REST port, for Patroni members; etcd's client port.
        public var restPort: Int?
        /// The log file.
        public var log: String
    }

    /// The topology's name.
    public var topology: String
    /// The run folder.
    public var runDirectory: String
    /// The output folder with the artifacts.
    public var outputDirectory: String
    /// The processes, in start order.
    public var processes: [Process]
    /// PgBouncer's address.
    public var pgbouncer: String
    /// The pools clients connect to.
    public var pools: [String]
    /// Per cluster: the rw and ro frontends.
    public var frontends: [PlanFrontend]
    /// Every port the deployment binds, for checks after `down`.
    public var ports: [Int]
    /// The variable of the superuser's password in `secrets.env`.
    public var superuserVariable: String?
    /// How to reach Patroni's REST API when it speaks HTTPS (nil: plain HTTP).
    public var restTLS: LoopbackTLS?
    /// How to reach etcd when it speaks HTTPS, with the client certificate it requires.
    public var etcdTLS: LoopbackTLS?

    /// Every Patroni member.
    public var members: [Process] { processes.filter { $0.kind == "patroni" } }

    /// The processes of the deployment that no longer run (killed, crashed), each with what is
    /// left of it: for a Patroni member, its PostgreSQL still running without it, which no
    /// failover manages any more. `topoc status` lists them; `topoc up` refuses to change a
    /// deployment that has any.
    public var notRunning: [(process: Process, orphanedPostmaster: ProcessSpawner.Started?)] {
        processes.filter { !ProcessSpawner.isRunning($0.process) }.map { process in
            (process, process.kind == "patroni" ? process.dataDirectory.flatMap(ProcessSpawner.postmaster(of:)) : nil)
        }
    }

    /// Reads a state file.
    public static func load(from url: URL) throws -> LocalClusterState {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw LocalClusterError(
                "no local deployment at \(url.deletingLastPathComponent().path) (\(url.lastPathComponent) is missing); start one with topoc up"
            )
        }
        do { return try JSONDecoder().decode(LocalClusterState.self, from: data) } catch {
            throw LocalClusterError("\(url.path) is not a topoc state file: \(error)")
        }
    }

    /// Writes the state file atomically.
    public func save(to url: URL) throws {
        try DeterministicJSON.data(self).write(to: url, options: .atomic)
    }
}
