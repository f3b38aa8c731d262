import Foundation
import TopologyCompiler
import TopologyLocalCluster
import XCTest

/// Runs `topoc up`/`down` on a topology written to a temporary folder and gives the tests what
/// they need to look inside: the state file, the generated passwords, connection strings.
struct ClusterHarness {
    /// The `topoc` binary next to the test bundle in the build folder (or `TOPOC_BINARY`).
    static let topoc: String = {
        if let explicit = ProcessInfo.processInfo.environment["TOPOC_BINARY"] { return explicit }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = folder.appendingPathComponent("topoc")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
            folder.deleteLastPathComponent()
        }
        return "topoc"
    }()

    /// Added to every port the suite's topologies use (`TOPOC_TEST_PORT_OFFSET`, default 0), so two
    /// checkouts can run the suite side by side on one machine.
    static let portOffset = Int(ProcessInfo.processInfo.environment["TOPOC_TEST_PORT_OFFSET"] ?? "") ?? 0

    /// The programs the suite runs.
    static let requiredPrograms = ["/usr/bin/patroni", "/usr/bin/etcd", "/usr/sbin/haproxy", "/usr/sbin/pgbouncer", "/usr/bin/psql"]

    /// Fails under CI and skips otherwise when pgBackRest is not installed (the backup classes).
    static func requirePgBackRest() throws {
        guard !FileManager.default.isExecutableFile(atPath: BackupLayout.executable) else { return }
        if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail("pgbackrest is missing (scripts/install-deps.sh)") }
        throw XCTSkip("pgbackrest is missing (scripts/install-deps.sh installs it)")
    }

    /// Skips unless the suite is asked for (scripts/test-cluster.sh sets TOPOC_CLUSTER_TESTS=1);
    /// fails when programs are missing under CI, skips otherwise.
    static func require() throws {
        let environment = ProcessInfo.processInfo.environment
        guard environment["TOPOC_CLUSTER_TESTS"] == "1" else {
            throw XCTSkip("cluster suite: run scripts/test-cluster.sh (sets TOPOC_CLUSTER_TESTS=1)")
        }
        let missing = requiredPrograms.filter { !FileManager.default.isExecutableFile(atPath: $0) }
        if !missing.isEmpty {
            if environment["CI"] != nil {
                XCTFail("cluster suite under CI: missing \(missing.joined(separator: ", ")) (scripts/install-deps.sh installs them)")
            }
            throw XCTSkip("cluster suite: missing \(missing.joined(separator: ", "))")
        }
        guard LibPQ.shared != nil else {
            XCTFail("libpq.so.5 cannot be loaded")
            throw XCTSkip("no libpq")
        }
    }

    /// A running deployment.
    struct Deployment {
        var folder: URL
        var runDirectory: URL
        var state: LocalClusterState
        var secrets: LocalSecrets
        var plan: Plan
        /// Seconds `topoc up` took until it returned ready.
        var readySeconds: Double
        var upOutput: String

        var superuserPassword: String { secrets.values[plan.secrets.superuser] ?? "" }
        var appPassword: String { secrets.values[plan.secrets.app] ?? "" }

        /// A libpq connection string to PgBouncer, as `user` (the application role by default),
        /// with that login role's password from the deployment's secrets.
        func pgbouncer(database: String, user: String? = nil) -> String {
            let user = user ?? plan.roles.application
            let variable = ClusterLayout.loginSecrets(plan).first { $0.role == user }?.variable ?? ""
            let password = secrets.values[variable] ?? ""
            return
                "host=127.0.0.1 port=\(plan.pooler.port) dbname=\(database) user=\(user) password=\(password) connect_timeout=2 \(ssl(.pgbouncer))"
        }

        /// A libpq connection string straight to one server, as the superuser.
        func direct(port: Int, database: String) -> String {
            "host=127.0.0.1 port=\(port) dbname=\(database) user=postgres password=\(superuserPassword) connect_timeout=2 \(ssl(.postgres))"
        }

        /// The libpq TLS options towards a component: `sslmode=disable` without TLS, else the
        /// component's mode, with the deployment's CA under verify-full.
        func ssl(_ component: TLS.Component) -> String {
            guard let files = ClusterLayout.tls(component, in: plan) else { return "sslmode=disable" }
            if files.verifies, let ca = files.ca { return "sslmode=verify-full sslrootcert=\(ca)" }
            return "sslmode=require"
        }

        /// The Patroni view of the first cluster.
        func view(_ cluster: PlanCluster? = nil) -> PatroniClusterView? {
            ClusterProbe.view(restPorts: (cluster ?? plan.clusters[0]).members.map(\.restPort), tls: state.restTLS)
        }

        /// `topoc up FILE` on this running deployment (a migration when FILE changed).
        func upAgain(_ file: String, allowDestructive: Bool = false) -> PSQL.Result {
            Subprocess.run(
                [ClusterHarness.topoc, "up", file, "--run-dir", runDirectory.path, "--timeout", "120"]
                    + (allowDestructive ? ["--allow-destructive"] : []),
                environment: ["PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "LANG": "C.UTF-8"], directory: folder,
                timeout: 240)
        }

        /// `topoc check --live FILE` against this deployment.
        func checkLive(_ file: String, format: String = "text") -> PSQL.Result {
            Subprocess.run(
                [ClusterHarness.topoc, "check", "--live", file, "--run-dir", runDirectory.path, "--format", format],
                environment: ["PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"], directory: folder, timeout: 120)
        }
    }

    /// Writes the topology, runs `topoc up` and loads what it wrote.
    static func up(yaml: String, name: String, timeout: Double = 240) throws -> Deployment {
        let folder = URL(fileURLWithPath: "/tmp/topoc-cluster-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("topology.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let run = folder.appendingPathComponent("run")
        let started = Date()
        let result = Subprocess.run(
            [topoc, "up", file.path, "--run-dir", run.path, "--timeout", String(Int(timeout - 20))],
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "LANG": "C.UTF-8"], directory: folder,
            timeout: timeout)
        let seconds = Date().timeIntervalSince(started)
        print(result.output)
        guard result.status == 0 else {
            // The run folder (and its logs) goes with the suite's final topoc down: keep the logs.
            let kept = keepLogs(run.appendingPathComponent("logs"), label: "\(name)-up")
            throw HarnessError("topoc up failed (\(result.status)), logs kept in \(kept):\n\(result.output)\n\(result.error)")
        }
        let compiled = CompilerDriver.compile(bytes: Array(yaml.utf8), file: file.path, target: .local)
        guard let plan = compiled.plan else { throw HarnessError("the test topology does not compile") }
        let layout = LocalRunLayout(root: run.path)
        let state = try LocalClusterState.load(from: layout.state)
        guard let secrets = LocalSecrets.load(from: layout.secrets) else { throw HarnessError("no secrets.env") }
        return Deployment(
            folder: folder, runDirectory: run, state: state, secrets: secrets, plan: layout.localize(plan), readySeconds: seconds,
            upOutput: result.output)
    }

    /// Copies a run's logs to /tmp/topoc-cluster-logs/LABEL-TIME for diagnosis and returns where.
    @discardableResult
    static func keepLogs(_ logs: URL, label: String) -> String {
        let kept = "/tmp/topoc-cluster-logs/\(label)-\(Int(Date().timeIntervalSince1970))"
        try? FileManager.default.createDirectory(atPath: "/tmp/topoc-cluster-logs", withIntermediateDirectories: true)
        try? FileManager.default.copyItem(atPath: logs.path, toPath: kept)
        return kept
    }

    /// Runs `topoc down` and returns its output.
    @discardableResult
    static func down(_ deployment: Deployment, keepData: Bool = false) -> PSQL.Result {
        let result = Subprocess.run(
            [topoc, "down", "--run-dir", deployment.runDirectory.path] + (keepData ? ["--keep-data"] : []),
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "LANG": "C.UTF-8"],
            directory: deployment.folder, timeout: 120)
        if !keepData { try? FileManager.default.removeItem(at: deployment.folder) }
        return result
    }

    /// Runs `topoc status`.
    static func status(_ deployment: Deployment) -> PSQL.Result {
        Subprocess.run(
            [topoc, "status", "--run-dir", deployment.runDirectory.path],
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "LANG": "C.UTF-8"],
            directory: deployment.folder, timeout: 30)
    }

    /// Polls until `condition` returns a value or the time is up.
    static func poll<T>(seconds: Double, interval: Double = 0.25, _ condition: () -> T?) -> T? {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            if let value = condition() { return value }
            usleep(UInt32(interval * 1_000_000))
        } while Date() < deadline
        return nil
    }

    /// Connects and runs one query, nil on any failure.
    static func value(_ conninfo: String, _ sql: String) -> String? {
        guard let library = LibPQ.shared, let connection = try? library.connect(conninfo) else { return nil }
        return try? connection.value(sql, timeout: 5)
    }

    /// Connects and runs one query, throwing with the server's message.
    static func rows(_ conninfo: String, _ sql: String, timeout: Double = 10) throws -> [[String]] {
        guard let library = LibPQ.shared else { throw HarnessError("no libpq") }
        do {
            let connection = try library.connect(conninfo)
            return try connection.query(sql, timeout: timeout)
        } catch {
            throw HarnessError("\(sql): \(error.message)")
        }
    }
}

/// A harness failure with a message.
struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension XCTestCase {
    /// `topoc down` stops everything: no process of the state file, no postmaster, no port bound.
    func checkDown(_ deployment: ClusterHarness.Deployment) {
        if (testRun?.totalFailureCount ?? 0) > 0 {
            // Keep the servers' logs of a failed run for diagnosis; the run folder goes with topoc down.
            let kept = ClusterHarness.keepLogs(
                deployment.runDirectory.appendingPathComponent("logs"), label: deployment.plan.topology)
            print("cluster logs kept in \(kept)")
        }
        // A process killed by the test (a failover's leader) is reported as not running, not "stopped".
        let dead = deployment.state.processes.filter { !ProcessSpawner.isRunning($0.process) }
        let started = Date()
        let result = ClusterHarness.down(deployment)
        print(result.output)
        print("CLUSTER-RESULT down \(deployment.plan.topology): \(String(format: "%.1f", Date().timeIntervalSince(started)))s")
        XCTAssertEqual(result.status, 0, result.error)
        for process in dead where result.output.contains("(pid \(process.process.pid))") {
            XCTAssertTrue(
                result.output.contains("\(process.name) (pid \(process.process.pid)) was not running"),
                "\(process.name) had exited before topoc down: \(result.output)")
        }
        for process in deployment.state.processes {
            XCTAssertFalse(ProcessSpawner.isRunning(process.process), "\(process.name) still runs after topoc down")
        }
        for member in deployment.state.members {
            XCTAssertNil(ProcessSpawner.postmaster(of: member.dataDirectory ?? "/nonexistent"), "postmaster of \(member.name)")
        }
        let bound = deployment.state.ports.filter { !LoopbackHTTP.isFree(port: $0) }
        XCTAssertEqual(bound, [], "ports still bound after topoc down")
    }
}
