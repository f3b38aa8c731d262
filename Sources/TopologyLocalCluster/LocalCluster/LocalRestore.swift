import Foundation
import TopologyCompiler

#if canImport(Glibc)
    import Glibc
#endif

/// `topoc restore`: a point-in-time restore of a local cluster's pgBackRest repository into a new
/// data directory, started as a separate server on another port.
///
/// The restored server is not a member: it runs with archiving off (it must never write its new
/// timeline into the cluster's archive), no synchronous standbys and its own port and files; the
/// running cluster is untouched. Restoring over the running cluster is not offered.
public struct LocalRestore {
    /// What to recover to.
    public enum Target: Equatable, Sendable {
        /// The end of the archive.
        case latest
        /// A timestamp, as PostgreSQL's `recovery_target_time` reads it.
        case time(String)
        /// A WAL position such as `0/3000060`.
        case lsn(String)

        /// Parses `latest`, an LSN (`X/Y` in hexadecimal) or a timestamp (digits, `-`, `:`, `.`,
        /// `+`, space, `T`, `Z`, starting with a four-digit year), or nil.
        public init?(parsing text: String) {
            if text == "latest" {
                self = .latest
                return
            }
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            if parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.count <= 8 && $0.allSatisfy(\.isHexDigit) }) {
                self = .lsn(text)
                return
            }
            let allowed = Set("0123456789-:.+ TZ")
            guard text.count >= 10, text.count <= 64, text.prefix(4).allSatisfy(\.isASCIIDigit), text.allSatisfy(allowed.contains)
            else { return nil }
            self = .time(text)
        }

        /// pgBackRest's restore options for the target.
        var options: [String] {
            switch self {
            case .latest: ["--type=default"]
            case .time(let time): ["--type=time", "--target=" + time, "--target-action=promote"]
            case .lsn(let lsn): ["--type=lsn", "--target=" + lsn, "--target-action=promote"]
            }
        }
    }

    /// The run folder.
    public var layout: LocalRunLayout
    /// The cluster, or nil for the only one with backups.
    public var cluster: String?
    /// What to recover to.
    public var target: Target
    /// The new data directory (absolute or relative to the current directory), or nil for
    /// `RUN/restore-<cluster>`.
    public var into: String?
    /// The new server's port, or nil for the first free port above the deployment's.
    public var port: Int?
    /// Receives progress lines.
    public var progress: (String) -> Void

    public init(
        layout: LocalRunLayout, cluster: String?, target: Target, into: String?, port: Int?, progress: @escaping (String) -> Void
    ) {
        self.layout = layout
        self.cluster = cluster
        self.target = target
        self.into = into
        self.port = port
        self.progress = progress
    }

    /// What a restore made.
    public struct Restored: Sendable {
        /// The new data directory.
        public var dataDirectory: String
        /// The port the restored server listens on (127.0.0.1 and the socket folder).
        public var port: Int
        /// Seconds pgBackRest's restore took.
        public var restoreSeconds: Double
        /// Seconds from the server's start until it accepted connections (WAL replay and promotion).
        public var recoverySeconds: Double
        /// The server's log.
        public var log: String
        /// How to stop it.
        public var stopCommand: String
    }

    /// Restores and starts the server; throws with pgBackRest's or PostgreSQL's message on failure.
    public func run() throws -> Restored {
        let state = try LocalClusterState.load(from: layout.state)
        let backup = LocalBackup(layout: layout, progress: progress)
        let cluster = try backup.cluster(cluster, state: state)
        let directory = try dataDirectory(cluster: cluster)
        let port = try choosePort(state: state)
        let binaries = try binDirectory(cluster: cluster)

        // Archive what the running cluster has written, so a target up to now is in the archive.
        let running = state.members.contains { $0.cluster == cluster && ProcessSpawner.isRunning($0.process) }
        if running {
            let check = backup.pgbackrest(cluster: cluster, ["check"], timeout: 120)
            guard check.status == 0 else {
                throw LocalClusterError(
                    "pgBackRest check of \(cluster) failed (the current WAL is not archived): \(check.error + check.output)")
            }
            progress("\(cluster): current WAL archived (pgbackrest check)")
        }

        try makeDirectory(directory)
        let started = Date()
        let restore = backup.pgbackrest(
            cluster: cluster, ["--pg1-path=" + directory, "--log-level-console=info"] + target.options + ["restore"], timeout: 3600)
        guard restore.status == 0 else {
            throw LocalClusterError("pgBackRest restore failed (exit \(restore.status)): \(restore.error + restore.output)")
        }
        let restoreSeconds = Date().timeIntervalSince(started)
        progress(String(format: "restored the latest usable backup of %@ into %@ in %.1fs", cluster, directory, restoreSeconds))

        try appendSettings(directory: directory, port: port)
        let log = directory + ".log"
        let startAt = Date()
        let status = try startServer(binaries: binaries, directory: directory, log: log)
        guard status == 0 else {
            throw LocalClusterError("the restored server did not start (exit \(status)); its log \(log):\n" + LocalClusterUp.tail(log))
        }
        try waitUntilPromoted(binaries: binaries, directory: directory, port: port, log: log)
        let recoverySeconds = Date().timeIntervalSince(startAt)
        progress(String(format: "recovered to %@ and started on 127.0.0.1:%d in %.1fs", describe(target), port, recoverySeconds))
        return Restored(
            dataDirectory: directory, port: port, restoreSeconds: restoreSeconds, recoverySeconds: recoverySeconds, log: log,
            stopCommand: "\(binaries)/pg_ctl -D \(ShellQuoting.word(directory)) stop (as postgres)")
    }

    /// `pg_ctl start -w`, spawned like every server of `topoc up` (``ProcessSpawner/spawn(_:environment:directory:log:)``
    /// closes every inherited descriptor: the server pg_ctl leaves running must not hold the
    /// caller's pipes open), its output appended to the server's log; returns pg_ctl's exit status.
    private func startServer(binaries: String, directory: String, log: String) throws -> Int32 {
        let started = try ProcessSpawner.spawn(
            ProcessSpawner.asServerUser([binaries + "/pg_ctl", "-D", directory, "-l", log, "-w", "-t", "3600", "start"]),
            environment: LocalTools.serverEnvironment(), directory: URL(fileURLWithPath: directory),
            log: URL(fileURLWithPath: directory + ".pg_ctl.log"))
        var status: Int32 = 0
        while waitpid(started.pid, &status, 0) < 0 && errno == EINTR {}
        return (status >> 8) & 0xff
    }

    /// pg_ctl returns once the server runs, still replaying; with `hot_standby = off` it accepts
    /// connections only after recovery reached the target and promoted, which `pg_isready` sees.
    private func waitUntilPromoted(binaries: String, directory: String, port: Int, log: String) throws {
        let deadline = Date().addingTimeInterval(3600)
        while Date() < deadline {
            let ready = Subprocess.run(
                [binaries + "/pg_isready", "-h", "127.0.0.1", "-p", String(port), "-t", "2"], environment: LocalTools.serverEnvironment(),
                timeout: 10)
            if ready.status == 0 { return }
            guard ProcessSpawner.postmaster(of: directory) != nil else {
                throw LocalClusterError("the restored server stopped during recovery; its log \(log):\n" + LocalClusterUp.tail(log))
            }
            usleep(250_000)
        }
        throw LocalClusterError("the restored server did not finish recovery within an hour; its log \(log)")
    }

    private func describe(_ target: Target) -> String {
        switch target {
        case .latest: "the end of the archive"
        case .time(let time): time
        case .lsn(let lsn): lsn
        }
    }

    /// The new data directory: absolute, of the path grammar (it lands in postgresql.auto.conf),
    /// and absent or empty.
    private func dataDirectory(cluster: String) throws -> String {
        let path = LocalRunLayout(root: into ?? layout.root.appendingPathComponent("restore-\(cluster)").path).root.path
        if let problem = ValueGrammar.pathProblem(path, absolute: true) {
            throw LocalClusterError("--into \(path) \(problem)")
        }
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: path), !entries.isEmpty {
            throw LocalClusterError("--into \(path) is not empty; restore into a new folder (a restore never overwrites data)")
        }
        return path
    }

    private func makeDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        chmod(path, 0o700)
        if ProcessSpawner.isRoot {
            let owner = Subprocess.run(["/bin/chown", "postgres:postgres", path], environment: LocalTools.serverEnvironment())
            guard owner.status == 0 else { throw LocalClusterError("cannot give \(path) to postgres: \(owner.error)") }
        }
    }

    private func choosePort(state: LocalClusterState) throws -> Int {
        if let port {
            guard (1024...65535).contains(port), LoopbackHTTP.isFree(port: port) else {
                throw LocalClusterError("port \(port) is not free on 127.0.0.1 (or not in 1024-65535)")
            }
            return port
        }
        var candidate = (state.ports.max() ?? 25000) + 1
        while candidate < 65535 && !LoopbackHTTP.isFree(port: candidate) { candidate += 1 }
        return candidate
    }

    /// The PostgreSQL binaries: Patroni's `bin_dir` in a member's generated configuration.
    private func binDirectory(cluster: String) throws -> String {
        let folder = layout.generated.appendingPathComponent("\(ClusterLayout.root)/patroni/\(cluster)")
        let files =
            (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.filter {
                $0.hasSuffix(".yml") && $0 != "dynamic-config.yml"
            } ?? []
        for file in files.sorted() {
            let text = (try? String(contentsOfFile: folder.appendingPathComponent(file).path, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                guard trimmed.hasPrefix("bin_dir:") else { continue }
                let value = trimmed.dropFirst("bin_dir:".count).trimmingCharacters(in: CharacterSet(charactersIn: " '\""))
                if ValueGrammar.pathProblem(value, absolute: true) == nil { return value }
            }
        }
        throw LocalClusterError("cannot find the PostgreSQL binaries (bin_dir) in \(folder.path)")
    }

    /// Makes the copy a separate server: its own port and files, no archiving into the cluster's
    /// repository, no synchronous standbys to wait for. `postgresql.auto.conf` is read last, so
    /// these win over Patroni's postgresql.conf in the copy.
    private func appendSettings(directory: String, port: Int) throws {
        let settings = [
            "# Added by topoc restore: a separate server restored from the cluster's repository, not a member.",
            "port = \(port)",
            "listen_addresses = '127.0.0.1'",
            "unix_socket_directories = '\(PgBackRestConfig.socketDirectory)'",
            "archive_mode = 'off'",
            "synchronous_standby_names = ''",
            // No connections before the target is reached and the copy promoted: pg_ctl -w then
            // returns only once the restore is complete (a hot standby would answer mid-replay).
            "hot_standby = off",
            "hba_file = '\(directory)/pg_hba.conf'",
            "ident_file = '\(directory)/pg_ident.conf'",
            "cluster_name = 'topoc-restore'",
            "",
        ].joined(separator: "\n")
        let file = directory + "/postgresql.auto.conf"
        guard let handle = FileHandle(forWritingAtPath: file) else { throw LocalClusterError("cannot open \(file)") }
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        handle.write(Data(("\n" + settings).utf8))
    }
}
