import Foundation
import Testing
import TopologyLocalCluster

@testable import TopologyCompiler

/// IniQuoting: PgBouncer 1.18 reads quoted values back as written, and values it cannot hold
/// (line breaks) are refused instead of written.
@Suite("Quoting: PgBouncer ini")
struct IniQuotingTests {
    @Test func settingValuesRefuseWhatTheIniLineCannotHold() {
        #expect(IniQuoting.settingValue("/run/it's a $dir;#x/userlist.txt") == "/run/it's a $dir;#x/userlist.txt")
        for bad in ["run\nauth_type = trust", "a\rb", "a\u{2028}b", "a\u{85}b", "a\tb", " lead", "trail ", ""] {
            #expect(IniQuoting.settingValue(bad) == nil, "\(bad.debugDescription)")
        }
    }

    @Test func connectionValuesAreSingleQuoted() {
        #expect(IniQuoting.connectionValue("shop") == "'shop'")
        #expect(IniQuoting.connectionValue("it's a db") == "'it''s a db'")
        for bad in ["db\nauth_type = trust", "a\u{0B}b", "a\u{2029}b", ""] {
            #expect(IniQuoting.connectionValue(bad) == nil, "\(bad.debugDescription)")
        }
    }

    /// The hostile values PgBouncer must read back: every one without line breaks or control
    /// characters (the ones IniQuoting refuses).
    static let values = QuotingTestSupport.hostile.filter { IniQuoting.connectionValue($0) != nil }

    /// Starts the real PgBouncer (as the postgres user, which it requires when started by root)
    /// on a configuration whose auth_file path and `[databases]` dbnames hold hostile values,
    /// then reads them back on its admin console: SHOW CONFIG gives the auth_file path, SHOW
    /// DATABASES every dbname, and the login itself proves PgBouncer loaded the auth_file at
    /// that path (a trust login needs the user in the auth_file).
    @Test func pgbouncerReadsQuotedValuesBack() throws {
        guard let pgbouncer = QuotingTestSupport.program("/usr/sbin/pgbouncer"),
            let psql = QuotingTestSupport.program("/usr/bin/psql"),
            let setpriv = QuotingTestSupport.program("/usr/bin/setpriv")
        else { return }
        let folder = try QuotingTestSupport.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let hostileFolder = folder.appendingPathComponent("it's a $dir;#x \"q\" `id` ~")
        try FileManager.default.createDirectory(
            at: hostileFolder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let authFile = hostileFolder.appendingPathComponent("user list.txt")
        try Data("\"postgres\" \"\"\n".utf8).write(to: authFile)
        let setting = try #require(IniQuoting.settingValue(authFile.path))
        let port = 31900 + Int(getpid() % 50)
        var lines = ["[databases]"]
        for (index, value) in Self.values.enumerated() {
            let dbname = try #require(IniQuoting.connectionValue(value))
            lines.append("db\(index) = host=127.0.0.1 port=1 dbname=\(dbname) pool_size=1")
        }
        lines += [
            "[pgbouncer]", "listen_addr = 127.0.0.1", "listen_port = \(port)", "unix_socket_dir =", "auth_type = trust",
            "auth_file = \(setting)", "admin_users = postgres", "logfile = \(folder.path)/pgbouncer.log",
        ]
        let ini = folder.appendingPathComponent("pgbouncer.ini")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: ini)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: ini.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: authFile.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder.path)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: getuid() == 0 ? setpriv : pgbouncer)
        process.arguments = (getuid() == 0 ? ["--reuid", "postgres", "--regid", "postgres", "--init-groups", pgbouncer] : []) + [ini.path]
        process.environment = ["PATH": "/usr/bin:/bin"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Foundation starts children with most signals blocked, so PgBouncer never sees a
        // SIGTERM; SIGKILL cannot be blocked.
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        func console(_ command: String) -> PSQL.Result {
            Subprocess.run(
                [
                    psql, "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-X", "-A", "-t", "-F", "\u{1F}", "-R", "\u{1E}", "-c",
                    command,
                    "pgbouncer",
                ],
                environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PGCONNECT_TIMEOUT": "2"], timeout: 10)
        }
        var config = console("SHOW CONFIG")
        for _ in 0..<50 where config.status != 0 && process.isRunning {
            usleep(100_000)
            config = console("SHOW CONFIG")
        }
        let log = (try? String(contentsOf: folder.appendingPathComponent("pgbouncer.log"), encoding: .utf8)) ?? ""
        try #require(config.status == 0, "PgBouncer did not answer on 127.0.0.1:\(port): \(config.error)\n\(log)")
        let settings = Dictionary(
            config.output.split(separator: "\u{1E}").map {
                $0.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            }
            .filter { $0.count >= 2 }.map { ($0[0], $0[1]) }, uniquingKeysWith: { first, _ in first })
        #expect(settings["auth_file"] == authFile.path)
        #expect(settings["auth_type"] == "trust")
        #expect(settings["listen_addr"] == "127.0.0.1")

        let databases = console("SHOW DATABASES")
        #expect(databases.status == 0, "\(databases.error)")
        let rows = databases.output.split(separator: "\u{1E}").map {
            $0.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        }
        // Columns: name, host, port, database, ...
        let read = Dictionary(rows.filter { $0.count >= 4 }.map { ($0[0], $0[3]) }, uniquingKeysWith: { first, _ in first })
        for (index, value) in Self.values.enumerated() {
            #expect(read["db\(index)"] == value, "\(value.debugDescription) was read as \(read["db\(index)"].debugDescription)")
        }
    }
}
