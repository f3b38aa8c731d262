import Foundation
import Testing

/// The throwaway PostgreSQL 15 server the DDL tests run against (`scripts/pg-server.sh start`).
///
/// The tests read `TOPOC_PG_PORT`; the server is on 127.0.0.1 with user `postgres`. Without the
/// variable the tests are disabled, except under CI (`CI` set), where they fail instead.
enum PostgresServer {
    /// The environment.
    static let environment = ProcessInfo.processInfo.environment

    /// The server's port, from `TOPOC_PG_PORT`.
    static let port: Int? = environment["TOPOC_PG_PORT"].flatMap { Int($0) }

    /// Whether the tests run: a server is configured, or CI demands it.
    static let shouldRun = port != nil || environment["CI"] != nil

    /// Why the tests are skipped.
    static let skipReason: Comment =
        "TOPOC_PG_PORT is not set: run `eval \"$(scripts/pg-server.sh start)\"` first (PostgreSQL 15 on 127.0.0.1)"

    /// The port, or nil after recording an issue (under CI the server is required).
    static func requirePort() -> Int? {
        if let port { return port }
        Issue.record("TOPOC_PG_PORT is not set, but CI requires the PostgreSQL DDL tests: start scripts/pg-server.sh")
        return nil
    }

    /// The psql binary.
    static let psqlPath = clientProgram("psql")

    /// A PostgreSQL client program (`psql`, `pg_dump`, `pgbench`): the binary of the newest
    /// major under /usr/lib/postgresql, which is the one Debian's /usr/bin wrapper would start.
    /// The wrapper (`pg_wrapper`) is a Perl script costing about 70 ms of CPU per start, and the
    /// suites start psql about 4,000 times; it is the fallback where no such folder exists.
    static func clientProgram(_ name: String) -> String {
        let root = "/usr/lib/postgresql"
        let majors = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted(by: >)
        for major in majors {
            let candidate = "\(root)/\(major)/bin/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return "/usr/bin/\(name)"
    }
}

/// What a psql run printed.
struct PSQLOutput: Sendable {
    /// Standard output.
    var stdout: String
    /// Standard error (errors, warnings and notices).
    var stderr: String
    /// The exit status.
    var status: Int32

    /// The rows of `-At` output, split on `|`.
    var rows: [[String]] {
        stdout.split(separator: "\n", omittingEmptySubsequences: true).map {
            $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// The non-empty output lines.
    var lines: [String] {
        stdout.split(separator: "\n").map(String.init)
    }
}

/// Runs psql against the test server.
struct PSQL: Sendable {
    /// The server's port.
    let port: Int

    /// A scratch directory for SQL and output files.
    static let scratch: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("topoc-pg-tests")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// A unique scratch file.
    static func scratchFile(_ suffix: String) -> URL {
        scratch.appendingPathComponent("\(UUID().uuidString.prefix(12)).\(suffix)")
    }

    /// The arguments common to every run: no psqlrc, stop at the first error, quiet, unaligned;
    /// connected as `user` (the server trusts 127.0.0.1, so a test may log in as any login role,
    /// and PostgreSQL still checks that role's CONNECT privilege).
    func arguments(database: String, user: String = "postgres") -> [String] {
        ["-X", "-v", "ON_ERROR_STOP=1", "-q", "-At", "-h", "127.0.0.1", "-p", String(port), "-U", user, "-d", database]
    }

    /// Runs a script file.
    func run(
        file: URL, database: String, user: String = "postgres", variables: [String: String] = [:], quietNotices: Bool = false
    ) async throws -> PSQLOutput {
        var arguments = arguments(database: database, user: user)
        for (name, value) in variables.sorted(by: { $0.key < $1.key }) {
            arguments += ["-v", "\(name)=\(value)"]
        }
        arguments += ["-f", file.path]
        return try await Self.execute(arguments, quietNotices: quietNotices)
    }

    /// Runs SQL text (written to a scratch file). Notices are silenced: this is for the tests' own
    /// statements, not for the generated scripts.
    func sql(_ text: String, database: String, user: String = "postgres") async throws -> PSQLOutput {
        let file = Self.scratchFile("sql")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await run(file: file, database: database, user: user, quietNotices: true)
    }

    /// Runs SQL that must succeed without any message; returns its output.
    @discardableResult
    func check(_ text: String, database: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws
        -> PSQLOutput
    {
        let output = try await sql(text, database: database)
        #expect(output.status == 0, "psql failed: \(output.stderr)", sourceLocation: sourceLocation)
        #expect(output.stderr.isEmpty, "psql printed: \(output.stderr)", sourceLocation: sourceLocation)
        return output
    }

    /// Runs psql to completion without blocking a thread.
    static func execute(_ arguments: [String], quietNotices: Bool) async throws -> PSQLOutput {
        let out = scratchFile("out")
        let err = scratchFile("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PostgresServer.psqlPath)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "PGOPTIONS")
        if quietNotices { environment["PGOPTIONS"] = "-c client_min_messages=warning" }
        process.environment = environment
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try outHandle.close()
        try errHandle.close()
        return PSQLOutput(
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "", status: status)
    }
}

/// A psql session kept open: statements are written to its standard input as the test goes.
final class PSQLSession: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let out: URL
    private let err: URL
    private var marker = 0

    /// Starts psql on a database.
    init(psql: PSQL, database: String) throws {
        out = PSQL.scratchFile("out")
        err = PSQL.scratchFile("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: PostgresServer.psqlPath)
        process.arguments = psql.arguments(database: database)
        var environment = ProcessInfo.processInfo.environment
        environment["PGOPTIONS"] = "-c client_min_messages=warning"
        process.environment = environment
        process.standardInput = input
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
    }

    /// Sends SQL and waits until psql has run it; returns the output it printed. The output is
    /// looked at once more after the time is up: the whole suite shares two cores, and a waiting
    /// task can wake long after its deadline (a CI run reported a statement of milliseconds as
    /// unanswered after 30 s). The timeout only ends a session that hangs.
    func run(_ sql: String, timeout: Duration = .seconds(120)) async throws -> String {
        marker += 1
        let tag = "@@topoc-session-\(marker)@@"
        let before = output().count
        input.fileHandleForWriting.write(Data("\(sql)\n\\echo \(tag)\n".utf8))
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let text = output()
            if let range = text.range(of: tag) {
                let start = text.index(text.startIndex, offsetBy: min(before, text.count))
                return start <= range.lowerBound ? String(text[start..<range.lowerBound]) : ""
            }
            if !process.isRunning || clock.now >= deadline { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let state = process.isRunning ? "still running after \(timeout)" : "exited with \(process.terminationStatus)"
        Issue.record("psql session did not answer (psql \(state)): \(sql)\nstderr: \(errors())")
        return ""
    }

    /// Everything printed on standard output so far.
    func output() -> String {
        (try? String(contentsOf: out, encoding: .utf8)) ?? ""
    }

    /// Everything printed on standard error so far.
    func errors() -> String {
        (try? String(contentsOf: err, encoding: .utf8)) ?? ""
    }

    /// Ends the session; returns psql's exit status.
    func close() async -> Int32 {
        try? input.fileHandleForWriting.close()
        while process.isRunning {
            try? await Task.sleep(for: .milliseconds(20))
        }
        try? FileManager.default.removeItem(at: out)
        try? FileManager.default.removeItem(at: err)
        return process.terminationStatus
    }
}
