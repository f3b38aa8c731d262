import Foundation
import TopologyCompiler

/// Runs SQL with `psql` against one server on loopback, as the superuser, with the password in
/// psql's own environment only.
public struct PSQL: Sendable {
    /// The psql binary.
    public var program: String
    /// The superuser's password.
    public var password: String
    /// The superuser.
    public var user: String = ClusterLayout.superuser

    /// A runner with a given psql binary.
    public init(program: String, password: String) {
        self.program = program
        self.password = password
    }

    /// A runner using the plan's PostgreSQL binaries (falling back to the one on PATH).
    public init(plan: Plan, password: String) {
        let candidate = ClusterLayout.binDirectory(plan) + "/psql"
        self.program = FileManager.default.isExecutableFile(atPath: candidate) ? candidate : "/usr/bin/psql"
        self.password = password
    }

    /// The result of one run.
    public struct Result: Sendable {
        public var status: Int32
        public var output: String
        public var error: String
        /// Rows of unaligned, tuples-only output split on `|`.
        public var rows: [[String]] {
            output.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        }
    }

    /// Runs a query (`-c`) or a file (`-f`) on `127.0.0.1:port/database`.
    public func run(port: Int, database: String = "postgres", sql: String? = nil, file: String? = nil, timeout: Double = 30)
        -> Result
    {
        var arguments = [
            "--no-psqlrc", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(port), "-U", user,
            "-d", database,
        ]
        if let sql { arguments += ["-c", sql] }
        if let file { arguments += ["-f", file] }
        let environment = [
            "PATH": "/usr/bin:/bin", "PGPASSWORD": password, "PGCONNECT_TIMEOUT": "3", "LANG": "C.UTF-8",
            "PGAPPNAME": "topoc",
        ]
        return Subprocess.run([program] + arguments, environment: environment, timeout: timeout)
    }
}

/// Runs a short-lived child process and collects its output.
public enum Subprocess {
    /// Runs `arguments` with exactly `environment`, killing it after `timeout` seconds.
    public static func run(_ arguments: [String], environment: [String: String], directory: URL? = nil, timeout: Double = 60)
        -> PSQL.Result
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments.first ?? "/bin/false")
        process.arguments = Array(arguments.dropFirst())
        process.environment = environment
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            return PSQL.Result(status: 127, output: "", error: "cannot run \(arguments.first ?? ""): \(error)")
        }
        // Read both pipes fully on other threads so a chatty child never blocks.
        let collected = CollectedOutput()
        let group = DispatchGroup()
        for (index, pipe) in [output, error].enumerated() {
            group.enter()
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                collected.set(index, data)
                group.leave()
            }
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            usleep(200_000)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        // A descendant that outlives the child holds this call until it exits, timeout or not:
        // Foundation on Linux reports the exit only once the inherited descriptors close (with a
        // bounded wait on the pipes alone, `sh -c 'sleep 25 & echo'` still took 25 s;
        // SubprocessTests). Children that start others exec them instead (`topoc verify`).
        process.waitUntilExit()
        group.wait()
        let timedOut = Date() >= deadline
        return PSQL.Result(
            status: timedOut && process.terminationStatus == 0 ? 124 : process.terminationStatus,
            output: String(decoding: collected.get(0), as: UTF8.self),
            error: String(decoding: collected.get(1), as: UTF8.self) + (timedOut ? "\n(timed out after \(Int(timeout))s)" : ""))
    }
}

/// Two byte buffers filled from reader threads.
final class CollectedOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var data: [Data] = [Data(), Data()]

    func set(_ index: Int, _ value: Data) {
        lock.lock()
        data[index] = value
        lock.unlock()
    }

    func get(_ index: Int) -> Data {
        lock.lock()
        defer { lock.unlock() }
        return data[index]
    }
}
