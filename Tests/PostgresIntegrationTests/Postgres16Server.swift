import Foundation
import Testing
import TopologyCompiler
import TopologyLocalCluster

/// A throwaway PostgreSQL 16 server for the multi-primary tests (PostgreSQL 16 is the first
/// version with `origin = none`; Debian 12 ships 15). The binaries come from
/// `TOPOC_PG16_BIN`, which scripts/install-deps.sh prepares (PostgreSQL 16.2 from the
/// `pgserver` wheel on PyPI). Without it the tests are skipped, except under CI.
final class Postgres16Server: @unchecked Sendable {
    /// The binaries' folder, or nil.
    static let binDirectory: String? = ProcessInfo.processInfo.environment["TOPOC_PG16_BIN"].flatMap {
        FileManager.default.isExecutableFile(atPath: "\($0)/postgres") ? $0 : nil
    }

    /// Whether the tests run: binaries are there, or CI demands them.
    static let shouldRun = binDirectory != nil || ProcessInfo.processInfo.environment["CI"] != nil

    /// The superuser's password (host connections use SCRAM).
    static let password = "multi-primary-test-password:with\\specials"

    /// The folder holding the data directory (and the password file next to it).
    let root: URL
    /// The data directory.
    let dataDirectory: URL
    /// The port on 127.0.0.1.
    let port: Int
    private let bin: String

    /// Creates and starts a server; throws with the server's messages when it cannot.
    init(bin: String, port: Int, name: String) throws {
        self.bin = bin
        self.port = port
        root = URL(fileURLWithPath: "/tmp/topoc-pg16-\(name)-\(UUID().uuidString.prefix(8))")
        dataDirectory = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let passwordFile = root.appendingPathComponent("initdb-password")
        try Self.password.write(to: passwordFile, atomically: true, encoding: .utf8)
        if ProcessSpawner.isRoot {
            _ = Subprocess.run(["/bin/chown", "-R", "postgres:postgres", root.path], environment: Self.environment)
        }
        let initdb = Subprocess.run(
            ProcessSpawner.asServerUser([
                "\(bin)/initdb", "-D", dataDirectory.path, "-U", "postgres", "--pwfile", passwordFile.path, "--auth-local=trust",
                "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync",
            ]), environment: Self.environment, timeout: 120)
        guard initdb.status == 0 else { throw Failure("initdb: \(initdb.error)\(initdb.output)") }
        let arguments = [
            "\(bin)/postgres", "-D", dataDirectory.path, "-c", "port=\(port)", "-c", "listen_addresses=127.0.0.1", "-c",
            "unix_socket_directories=\(root.path)", "-c", "wal_level=logical", "-c", "max_replication_slots=10", "-c",
            "max_wal_senders=10", "-c", "fsync=off", "-c", "wal_retrieve_retry_interval=200ms",
        ]
        // Started detached with its own log (pg_ctl's children would keep our pipes open).
        process = try ProcessSpawner.spawn(
            ProcessSpawner.asServerUser(arguments), environment: Self.environment, directory: root,
            log: root.appendingPathComponent("server.log"))
        let deadline = Date().addingTimeInterval(30)
        var ready = false
        while Date() < deadline && !ready {
            var environment = Self.environment
            environment["PGPASSWORD"] = Self.password
            ready =
                Subprocess.run(
                    [
                        PostgresServer.psqlPath, "-X", "-At", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "postgres",
                        "-c",
                        "SELECT 1",
                    ],
                    environment: environment, timeout: 5
                ).status == 0
            if !ready { usleep(100_000) }
        }
        guard ready else {
            stop()
            throw Failure("PostgreSQL 16 did not start on \(port):\n\(log())")
        }
    }

    /// The postmaster.
    private var process: ProcessSpawner.Started?

    /// Stops the server (immediate shutdown) and removes its folder.
    func stop() {
        if let process {
            ProcessSpawner.signal(process, SIGQUIT)
            let deadline = Date().addingTimeInterval(10)
            while ProcessSpawner.isRunning(process) && Date() < deadline { usleep(50_000) }
            ProcessSpawner.signal(process, SIGKILL)
        }
        process = nil
        try? FileManager.default.removeItem(at: root)
    }

    /// The server's log.
    func log() -> String {
        (try? String(contentsOf: root.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
    }

    /// Runs psql (TCP, SCRAM) with SQL text or a file; returns the output of `-At`.
    @discardableResult
    func psql(_ database: String, sql: String? = nil, file: String? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation)
        -> String
    {
        var arguments = [
            PostgresServer.psqlPath, "-X", "-v", "ON_ERROR_STOP=1", "-q", "-At", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres",
            "-d", database,
        ]
        if let sql { arguments += ["-c", sql] }
        if let file { arguments += ["-f", file] }
        var environment = Self.environment
        environment["PGPASSWORD"] = Self.password
        environment["PGOPTIONS"] = "-c client_min_messages=warning"
        let result = Subprocess.run(arguments, environment: environment, timeout: 60)
        #expect(result.status == 0, "psql on \(port) \(sql ?? file ?? ""): \(result.error)", sourceLocation: sourceLocation)
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The environment of the server's programs.
    static let environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]

    /// A server failure.
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
