import Foundation
import Testing
import TopologyCompiler

/// A migration applied while a bounded pgbench writer inserts and updates rows of the tables it
/// changes: no writer transaction waits longer than the lock timeout (plus a second of work), every
/// acknowledged insert is there afterwards, and the migrated database equals a fresh build.
@Suite(.enabled(if: PostgresServer.shouldRun, PostgresServer.skipReason))
struct MigrationOnlineTests {
    /// Writer transactions per client: enough to outlast the migration (checked below).
    static let transactionsPerClient = 40000

    /// The lock timeout the migration runs with.
    static let lockTimeoutSeconds = 1.0

    static let edits: [(String, String)] =
        MigrationCorpus.usersColumn("      phone: text\n")
        + [
            ("      display_name: varchar(80)\n", "      display_name: { type: varchar(80), nullable: false }\n"),
            (
                MigrationCorpus.sessionsIndexes,
                "      - { name: sessions_expiry_at, columns: expires_at, renamed_from: sessions_expiry }\n      - { columns: [user_id, expires_at] }\n"
            ),
            ("    primary_key: session_id\n", "    primary_key: session_id\n    unique: [token]\n"),
        ]

    @Test func writerIsNeverBlockedLongerThanTheLockTimeout() async throws {
        guard let port = PostgresServer.requirePort() else { return }
        let pair = MigrationCase(name: "online", example: MigrationCorpus.notes, edits: Self.edits)
        guard let newText = try pair.newText(), let oldText = try pair.oldText(), let old = TestPlans.plan(yaml: oldText),
            let new = TestPlans.plan(yaml: newText)
        else { return }
        let harness = MigrationHarness(old: old, new: new, port: port)
        defer { Task { await harness.cleanUp() } }
        guard try await harness.deploy(harness.oldA), let database = harness.oldA.databases.first?.name else { return }
        let seeded = 50_000
        try await harness.psql.check(
            """
            INSERT INTO users (email, display_name) SELECT 'u' || i || '@example.com', 'user ' || i FROM generate_series(1, 20000) AS i;
            INSERT INTO sessions (token, user_id, expires_at)
              SELECT md5('seed' || i), 1 + i % 20000, now() + interval '1 day' FROM generate_series(1, \(seeded)) AS i;
            """, database: database)
        let folder = PSQL.scratch.appendingPathComponent("online-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("writer.sql")
        try """
        \\set uid random(1, 20000)
        INSERT INTO sessions (token, user_id, expires_at) VALUES (md5(random()::text || clock_timestamp()::text), :uid, now() + interval '1 day');
        UPDATE users SET display_name = 'user ' || :uid WHERE user_id = :uid;

        """.write(to: script, atomically: true, encoding: .utf8)
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: PostgresServer.clientProgram("pgbench"))
        writer.arguments = [
            // -t, not -T: pgbench ends a -T run with SIGALRM, which the test process's threads block.
            "-n", "-c", "2", "-j", "1", "-t", String(Self.transactionsPerClient), "-f", script.path, "-l", "--log-prefix",
            folder.appendingPathComponent("log").path,
            "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", database,
        ]
        let output = Pipe()
        writer.standardOutput = output
        writer.standardError = FileHandle.nullDevice
        try writer.run()
        try await Task.sleep(nanoseconds: 1_000_000_000)
        let started = Date().timeIntervalSince1970
        let files = harness.migrationFiles()
        let text = try #require(files["sql/\(harness.newA.databases[0].cluster)/\(database).sql"])
        var attempts = 0
        var done = false
        while !done && attempts < 10 {
            attempts += 1
            let run = try await harness.run(
                text.replacingOccurrences(of: "\\set lock_timeout 2s", with: "\\set lock_timeout \(Int(Self.lockTimeoutSeconds))s"),
                database: database)
            done = run.status == 0
            if !done { #expect(run.stderr.contains("lock timeout"), "migration failed for another reason: \(run.stderr)") }
        }
        #expect(done, "the migration did not finish in \(attempts) runs")
        let finished = Date().timeIntervalSince1970
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        writer.waitUntilExit()
        #expect(writer.terminationStatus == 0, "pgbench failed: \(report)")
        var latencies: [Double] = []
        var epochs: [Double] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasPrefix("log") {
            let log = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            for line in log.split(separator: "\n") {
                let fields = line.split(separator: " ")
                if fields.count > 5, let micros = Double(fields[2]), let seconds = Double(fields[4]), let fraction = Double(fields[5]) {
                    latencies.append(micros / 1_000_000)
                    epochs.append(seconds + fraction / 1_000_000)
                }
            }
        }
        let processed =
            report.split(separator: "\n").first { $0.hasPrefix("number of transactions actually processed:") }
            .flatMap { $0.split(separator: ":").last?.split(separator: "/").first }
            .flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? -1
        #expect(processed > 100, "the writer barely ran: \(report)")
        #expect(latencies.count == processed)
        #expect(
            (epochs.min() ?? .infinity) < started && (epochs.max() ?? 0) > finished, "the writer did not run during the whole migration")
        let worst = latencies.max() ?? 0
        print(
            "online migration: \(attempts) run(s) in \(String(format: "%.1f", finished - started)) s, \(processed) writer transactions, slowest \(worst) s"
        )
        #expect(worst < Self.lockTimeoutSeconds + 1, "a writer transaction took \(worst) s")
        let rows = try await harness.psql.check("SELECT count(*) FROM sessions", database: database)
        #expect(rows.lines == [String(seeded + processed)], "acknowledged inserts missing")
        guard try await harness.deploy(harness.newB) else { return }
        try await harness.expectSame("online")
        await harness.cleanUp()
    }
}
