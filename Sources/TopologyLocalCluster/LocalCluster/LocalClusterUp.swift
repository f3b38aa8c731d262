import Foundation
import TopologyCompiler

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `topoc up`: builds a local-target plan's artifacts into a run folder and runs them as real
/// processes on 127.0.0.1 — etcd, every Patroni member, HAProxy and PgBouncer — until every
/// cluster has a leader, streaming replicas, its synchronous standbys recorded by Patroni and its
/// permanent logical slots on every member, and PgBouncer's pools reach the right members. With a
/// `backup:` section it creates each cluster's pgBackRest stanza and takes the first full backup.
public struct LocalClusterUp {
    /// The plan, for the local target.
    public var plan: Plan
    /// The run folder.
    public var layout: LocalRunLayout
    /// How long to wait for readiness, in seconds.
    public var timeout: Double
    /// Receives progress lines.
    public var progress: (String) -> Void
    /// Whether a change to a running deployment may drop data.
    public var allowDestructive: Bool

    public init(
        plan: Plan, layout: LocalRunLayout, timeout: Double = 180, allowDestructive: Bool = false,
        progress: @escaping (String) -> Void
    ) {
        self.plan = layout.localize(plan)
        self.layout = layout
        self.timeout = timeout
        self.allowDestructive = allowDestructive
        self.progress = progress
    }

    private let started = Date()

    func say(_ line: String) {
        progress(String(format: "[%5.1fs] ", Date().timeIntervalSince(started)) + line)
    }

    /// Starts everything and waits; on failure stops what it started and throws. When a deployment
    /// already runs from the run folder, changes it to this plan instead (``migrate(from:state:)``):
    /// a ``LocalMigrationRefusal`` says why a change cannot be applied in place.
    public func run() throws -> LocalClusterState {
        guard plan.target == .local else {
            throw LocalClusterError("topoc up runs the local target; the plan is for \(plan.target.rawValue)")
        }
        let lock = try RunFolderLock(layout, command: "topoc up")
        defer { withExtendedLifetime(lock) {} }
        if let running = try runningDeployment() { return try migrate(from: running.plan, state: running.state) }
        try refuseKeptDataOfAnotherPlan()
        let tools = try LocalTools.find(plan: plan)
        try requirePgBouncerVersion(tools: tools)
        try requireWatchdogDevice()
        try requireFreshBackupRepository()
        try prepareRunDirectory()
        try Data("topoc up of plan \(plan.topology) started\n".utf8).write(to: layout.bringingUp)
        try writeArtifacts()
        try LocalBackup.prepareFolders(plan: plan)
        let secrets = try LocalSecrets.loadOrCreate(at: layout.secrets, plan: plan)
        try LocalCertificates.ensure(plan: plan, layout: layout, progress: say)
        try checkPorts()
        removeStaleSockets(in: ClusterLayout.localSocketDirectory)

        var state = LocalClusterState(
            topology: plan.topology, runDirectory: layout.root.path, outputDirectory: layout.generated.path, processes: [],
            pgbouncer: "\(plan.pooler.host):\(plan.pooler.port)", pools: PgBouncerPool.pools(of: plan).map(\.name),
            frontends: plan.pooler.frontends, ports: Self.ports(of: plan), superuserVariable: plan.secrets.superuser,
            restTLS: LoopbackTLS.towards(.patroni, in: plan), etcdTLS: LoopbackTLS.towards(.etcd, in: plan))
        do {
            try startEtcd(tools: tools, state: &state)
            try startMembers(tools: tools, secrets: secrets, state: &state)
            if HAProxyBackend.usesStalenessAgent(plan) {
                // Before HAProxy, so that its first checks of replicas find the agent.
                try start(
                    kind: Self.stalenessAgentKind, name: Self.stalenessAgentKind,
                    arguments: [tools.python, HAProxyBackend.stalenessAgentPath], environment: LocalTools.serverEnvironment(),
                    state: &state)
            }
            try start(
                kind: "haproxy", name: "haproxy", arguments: [tools.haproxy, "-db", "-f", ClusterLayout.haproxyPath],
                environment: LocalTools.serverEnvironment(), state: &state)
            let psql = PSQL(plan: plan, password: secrets.values[plan.secrets.superuser] ?? "")
            try waitForClusters(state: state, psql: psql)
            // The DDL (bootstrap, as the superuser) creates PgBouncer's auth_query function, so it
            // runs before PgBouncer serves the application role.
            try applyDDL(state: state, psql: psql)
            if plan.backup != nil {
                // archive_command fails (and PostgreSQL retries) until the stanza exists.
                let backup = LocalBackup(layout: layout, progress: say)
                for cluster in plan.clusters { try backup.initialize(cluster: cluster.name) }
            }
            try startPgBouncer(tools: tools, secrets: secrets, state: &state)
            try state.save(to: layout.state)
            try FileManager.default.removeItem(at: layout.bringingUp)
        } catch {
            // Processes stopped by an interrupt are not this bring-up's failure: the handler exits.
            Self.interruption.waitForTheHandler()
            say("failed: \(error)")
            for process in state.processes {
                let running = ProcessSpawner.isRunning(process.process)
                guard !running || process.kind == "patroni" else { continue }
                // A traceback's last lines rarely say why: the first errors in the log usually do
                // (a failed post_bootstrap's psql error, PostgreSQL refusing to start).
                let errors = running ? [] : Self.firstErrors(process.log)
                if !errors.isEmpty {
                    say("\(process.name): first errors in \(process.log):\n" + errors.map { "  " + $0 }.joined(separator: "\n"))
                }
                say(
                    "\(process.name)\(running ? "" : " is not running"); last lines of \(process.log):\n"
                        + Self.tail(process.log, lines: running ? 4 : 15))
            }
            say("stopping what was started (data kept in \(layout.root.path); topoc down removes it)")
            LocalClusterDown.stopProcesses(state, grace: 20, progress: say)
            throw error
        }
        return state
    }

    // MARK: Preparation

    /// Data kept by `topoc down --keep-data` belongs to the plan it ran (`RUN/generated/plan.json`).
    /// Started again from another plan, the members would keep their bootstrap-time configuration
    /// in etcd and their schema, and only a migration applies the difference: bring the kept plan
    /// up, then migrate.
    private func refuseKeptDataOfAnotherPlan() throws {
        let url = layout.generated.appendingPathComponent(PlanJSONBackend.fileName)
        guard let data = FileManager.default.contents(atPath: url.path), let kept = try? JSONDecoder().decode(Plan.self, from: data)
        else { return }
        let manager = FileManager.default
        let hasData = kept.clusters.flatMap(\.members).contains {
            manager.fileExists(atPath: URL(fileURLWithPath: $0.dataDirectory).appendingPathComponent("PG_VERSION").path)
        }
        guard hasData, !PlanDiff(old: kept, new: plan).changeSet().changes.isEmpty else { return }
        throw LocalClusterError(
            "\(layout.root.path) holds the data of a stopped deployment (topoc down --keep-data, or a topoc up that failed) of another topology (its plan is \(url.path)); started from this one, the kept members would keep that plan's configuration and schema. Bring it up with the topology it ran, then run topoc up with this one to migrate it, or delete \(layout.root.path) to discard the data"
        )
    }

    /// Removes the socket and lock file a member's port left in the shared socket folder when
    /// its postmaster was killed (SIGKILL, a crash). PostgreSQL refuses to start on that port
    /// while the PID written in the lock file is alive, and PIDs are reused (`pid_max` is 32768
    /// here): a later deployment's member failed to start because another process had taken
    /// that PID. A socket nothing accepts connections on is stale; a live server's is kept.
    ///
    /// - Parameter directory: The socket folder.
    func removeStaleSockets(in directory: String) {
        for port in plan.clusters.flatMap({ $0.members.map(\.port) }) {
            let socket = "\(directory)/.s.PGSQL.\(port)"
            guard FileManager.default.fileExists(atPath: socket + ".lock"), !LoopbackHTTP.acceptsConnections(unixSocket: socket) else {
                continue
            }
            unlink(socket)
            unlink(socket + ".lock")
            say("removed the stale socket of port \(port) in \(directory) (a killed postmaster's)")
        }
    }

    /// A new deployment's members are made from the backup repository first (`create_replica_methods:
    /// [pgbackrest, basebackup]`): a stanza left there by an earlier deployment would give them
    /// that deployment's data, and Patroni refuses them ("system ID mismatch"). Say so before
    /// starting anything.
    private func requireFreshBackupRepository() throws {
        guard let (repository, cluster) = Self.earlierStanza(plan) else { return }
        throw LocalClusterError(
            "the backup repository \(repository) already holds stanza '\(cluster)' of an earlier deployment: the new members would be restored from it and refused by Patroni (system ID mismatch); move it away (topoc down moves the run folder's own repository aside) or declare another backup.repository"
        )
    }

    /// The plan's backup repository and the first of its clusters whose stanza (pgBackRest's
    /// `archive/<stanza>` or `backup/<stanza>`) it already holds, nil when none.
    static func earlierStanza(_ plan: Plan) -> (repository: String, cluster: String)? {
        guard plan.backup != nil else { return nil }
        let repository = BackupLayout.repository(plan)
        let manager = FileManager.default
        for cluster in plan.clusters {
            let taken = ["archive", "backup"].contains { folder in
                !((try? manager.contentsOfDirectory(atPath: "\(repository)/\(folder)/\(cluster.name)")) ?? []).isEmpty
            }
            if taken { return (repository, cluster.name) }
        }
        return nil
    }

    /// With `watchdog: required` Patroni refuses to lead without the device: say so before starting.
    private func requireWatchdogDevice() throws {
        let guarded = plan.clusters.filter { $0.failover.watchdog == .required }.map(\.name)
        guard !guarded.isEmpty, !FileManager.default.fileExists(atPath: ClusterLayout.watchdogDevice) else { return }
        throw LocalClusterError(
            "cluster \(guarded.joined(separator: ", ")) asks for watchdog: required, but \(ClusterLayout.watchdogDevice) does not exist on this machine (load softdog, or use watchdog: automatic), so Patroni would never elect a leader"
        )
    }

    private func prepareRunDirectory() throws {
        let manager = FileManager.default
        try manager.createDirectory(at: layout.root, withIntermediateDirectories: true)
        try manager.createDirectory(at: layout.logs, withIntermediateDirectories: true)
        // A fresh deployment runs this plan from its first database: nothing to resume.
        try? manager.removeItem(at: layout.migratingFrom)
        guard ProcessSpawner.isRoot else { return }
        // The servers run as postgres: they own the run folder (data, pgpass, auth_file).
        chmod(layout.root.path, 0o700)
        let owner = Subprocess.run(["/bin/chown", "postgres:postgres", layout.root.path], environment: LocalTools.serverEnvironment())
        guard owner.status == 0 else { throw LocalClusterError("cannot give \(layout.root.path) to postgres: \(owner.error)") }
        let reach = Subprocess.run(
            ProcessSpawner.asServerUser(["/usr/bin/test", "-w", layout.root.path]), environment: LocalTools.serverEnvironment())
        guard reach.status == 0 else {
            throw LocalClusterError(
                "the postgres user cannot reach \(layout.root.path) (a parent folder is closed to it); choose a --run-dir under /tmp or another folder it can traverse"
            )
        }
    }

    /// Writes the plan's artifacts into `RUN/generated` (files edited by hand are written back).
    @discardableResult
    func writeArtifacts() throws -> OutputReport {
        let artifacts = CompilerDriver.artifacts(for: plan, only: [])
        let writer = OutputWriter(directory: layout.generated, generator: "topoc \(TopocVersion.current)")
        do {
            let report = try writer.write(artifacts)
            say("artifacts in \(layout.generated.path): \(report.written.count) written, \(report.unchanged.count) unchanged")
            return report
        } catch {
            throw LocalClusterError("cannot write the artifacts: \(error)")
        }
    }

    private func checkPorts() throws {
        let busy = Self.ports(of: plan).filter { !LoopbackHTTP.isFree(port: $0) }
        guard busy.isEmpty else {
            throw LocalClusterError(
                "ports already in use on 127.0.0.1: \(busy.map(String.init).joined(separator: ", ")); change deployment.local.base_port or stop what uses them"
            )
        }
    }

    /// How many synchronous standbys Patroni must have recorded before a failover is possible.
    static func synchronousStandbys(_ cluster: PlanCluster) -> Int {
        guard cluster.decided.synchronousMode else { return 0 }
        return cluster.decided.synchronousNodeCount
    }

    /// Every port the deployment binds.
    static func ports(of plan: Plan) -> [Int] {
        var ports = plan.etcd.flatMap { [$0.clientPort, $0.peerPort] }
        ports += plan.clusters.flatMap { $0.members.flatMap { [$0.port, $0.restPort] } }
        ports += plan.pooler.frontends.flatMap { [$0.readWritePort, $0.readOnlyPort] + ($0.memberReadOnly ?? []).map(\.port) }
        ports.append(plan.pooler.port)
        if let agent = plan.pooler.stalenessAgentPort, HAProxyBackend.usesStalenessAgent(plan) { ports.append(agent) }
        return ports
    }

    /// The process kind of the staleness agent beside HAProxy (`haproxy/staleness-agent.py`).
    static let stalenessAgentKind = "staleness-agent"

    // MARK: Processes

    @discardableResult
    private func start(
        kind: String, name: String, arguments: [String], environment: [String: String], state: inout LocalClusterState,
        member: PlanMember? = nil, cluster: String? = nil
    ) throws -> ProcessSpawner.Started {
        let log = layout.log(name)
        // Started and recorded together, never after SIGINT or SIGTERM: the signal's handler stops
        // what the state file lists.
        let process = try Self.interruption.startUnlessInterrupted {
            let process = try ProcessSpawner.spawn(
                ProcessSpawner.asServerUser(arguments), environment: environment, directory: layout.generated, log: log)
            state.processes.append(
                LocalClusterState.Process(
                    kind: kind, name: name, process: process, cluster: cluster, dataDirectory: member?.dataDirectory,
                    port: member?.port, restPort: member?.restPort, log: log.path))
            try state.save(to: layout.state)
            return process
        }
        say("started \(kind) \(name) (pid \(process.pid))")
        return process
    }

    private func startEtcd(tools: LocalTools, state: inout LocalClusterState) throws {
        for member in plan.etcd {
            try start(
                kind: "etcd", name: member.name, arguments: [tools.etcd, "--config-file", ClusterLayout.etcdPath(member: member.name)],
                environment: LocalTools.serverEnvironment(), state: &state)
            if let index = state.processes.indices.last {
                state.processes[index].dataDirectory = layout.root.appendingPathComponent(member.name).path
                state.processes[index].restPort = member.clientPort
            }
        }
        try waitUntil("etcd healthy", seconds: 30, state: state) {
            plan.etcd.allSatisfy {
                LoopbackHTTP.get(port: $0.clientPort, path: "/health", timeout: 1, tls: LoopbackTLS.towards(.etcd, in: plan))?.status == 200
            }
        }
        say("etcd healthy")
    }

    private func startMembers(tools: LocalTools, secrets: LocalSecrets, state: inout LocalClusterState) throws {
        let environment = LocalTools.serverEnvironment(secrets.patroniEnvironment(plan))
        for cluster in plan.clusters {
            for member in cluster.members {
                if plan.multiPrimaryGroups.contains(where: { $0.clusters.contains(cluster.name) }) {
                    // The password file of the member's multi-primary subscriptions.
                    let made = Subprocess.run(
                        ProcessSpawner.asServerUser([tools.shell, ClusterLayout.peerPassfileScriptPath, member.dataDirectory]),
                        environment: environment, directory: layout.generated)
                    guard made.status == 0 else { throw LocalClusterError("make-peer-pgpass.sh failed: \(made.error)") }
                }
                try start(
                    kind: "patroni", name: member.name,
                    arguments: [tools.patroni, ClusterLayout.patroniPath(cluster: cluster.name, member: member.name)],
                    environment: environment, state: &state, member: member, cluster: cluster.name)
            }
        }
    }

    /// The ini may use settings of the release the topology names (`pooling.pgbouncer_version`):
    /// an older PgBouncer refuses to load it, so say which release is needed before starting it.
    private func requirePgBouncerVersion(tools: LocalTools) throws {
        let result = Subprocess.run([tools.pgbouncer, "--version"], environment: LocalTools.serverEnvironment())
        let word = result.output.split(whereSeparator: { $0 == " " || $0 == "\n" }).dropFirst().first.map(String.init)
        guard let wanted = PgBouncerVersion(parsing: plan.pooler.version), let installed = word.flatMap(PgBouncerVersion.init(parsing:))
        else { return }
        guard installed >= wanted else {
            throw LocalClusterError(
                "the topology declares PgBouncer \(wanted) (pooling.pgbouncer_version), but \(tools.pgbouncer) is \(installed); install PgBouncer \(wanted) or later, or declare the release that runs"
            )
        }
    }

    private func startPgBouncer(tools: LocalTools, secrets: LocalSecrets, state: inout LocalClusterState) throws {
        let made = Subprocess.run(
            ProcessSpawner.asServerUser([tools.shell, ClusterLayout.userlistScriptPath]),
            environment: LocalTools.serverEnvironment(secrets.userlistEnvironment(plan)), directory: layout.generated)
        guard made.status == 0 else { throw LocalClusterError("make-userlist.sh failed: \(made.error)") }
        try start(
            kind: "pgbouncer", name: "pgbouncer", arguments: [tools.pgbouncer, ClusterLayout.pgbouncerPath],
            environment: LocalTools.serverEnvironment(), state: &state)
        try waitUntil("PgBouncer listening", seconds: 15, state: state) { ClusterProbe.isListening(port: plan.pooler.port) }
        say("pgbouncer listening on \(plan.pooler.host):\(plan.pooler.port)")
        try waitForPools(state: state, secrets: secrets)
    }
}
