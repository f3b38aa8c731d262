import Foundation
import Testing
import TopologyCompiler

/// Builds database A from OLD and migrates it, builds database B fresh from NEW, and compares
/// them: the normalised `pg_dump --schema-only` of every database (tables, indexes, constraints,
/// triggers, functions, policies, publications, grants), the roles with their memberships, and
/// the databases' privileges.
struct MigrationHarness: Sendable {
    /// psql on the test server.
    let psql: PSQL
    /// OLD, renamed for A.
    let oldA: Plan
    /// NEW, renamed for A.
    let newA: Plan
    /// NEW, renamed for B.
    let newB: Plan
    /// A's and B's name suffixes.
    let suffixA: String
    let suffixB: String

    /// Renames both plans for a test.
    init(old: Plan, new: Plan, port: Int) {
        psql = PSQL(port: port)
        suffixA = TestPlans.uniqueSuffix()
        suffixB = TestPlans.uniqueSuffix()
        oldA = TestPlans.renamed(old, suffix: suffixA)
        newA = TestPlans.renamed(new, suffix: suffixA)
        newB = TestPlans.renamed(new, suffix: suffixB)
    }

    /// The migration's files by path.
    func migrationFiles(allowDestructive: Bool = true) -> [String: String] {
        var files: [String: String] = [:]
        for artifact in MigrationArtifacts.artifacts(old: oldA, new: newA, allowDestructive: allowDestructive) {
            files[artifact.path] = String(decoding: artifact.contents, as: UTF8.self)
        }
        return files
    }

    /// Creates every database of a plan and applies its script; false (after recording) on failure.
    func deploy(_ plan: Plan) async throws -> Bool {
        var files: [String: String] = [:]
        for artifact in PostgresBackend().artifacts(for: plan) {
            files[artifact.path] = String(decoding: artifact.contents, as: UTF8.self)
        }
        for database in plan.databases {
            try await psql.check("CREATE DATABASE \(quoted(database.name))", database: "postgres")
            // The fresh build's script with its shared part in place (psql's `\ir` needs the tree).
            let script = Deployment.script(at: "sql/\(database.cluster)/\(database.name).sql", in: files)
            let output = try await psql.sql(script, database: database.name)
            guard output.status == 0 else {
                Issue.record("deploying \(database.name): \(output.stderr)")
                return false
            }
        }
        return true
    }

    /// Runs SQL text as a script (notices shown), returning psql's output.
    func run(_ text: String, database: String) async throws -> PSQLOutput {
        let file = PSQL.scratchFile("sql")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await psql.run(file: file, database: database)
    }

    /// Applies the migration to A: new databases created, then every database's script in plan
    /// order, then each cluster's `drop.sql`. `cut` keeps only that share of each database
    /// script's lines (a run killed halfway).
    func migrate(_ files: [String: String], cut: Double? = nil) async throws -> [String: PSQLOutput] {
        var outputs: [String: PSQLOutput] = [:]
        for database in newA.databases {
            if !oldA.databases.contains(where: { $0.name == database.name }) {
                let exists = try await psql.check(
                    "SELECT 1 FROM pg_database WHERE datname = \(literal(database.name))", database: "postgres")
                if exists.lines.isEmpty {
                    try await psql.check("CREATE DATABASE \(quoted(database.name))", database: "postgres")
                }
            }
            let path = "sql/\(database.cluster)/\(database.name).sql"
            guard files[path] != nil else { continue }
            // The converge step of a shard database includes its group's shared script (`\ir`).
            var text = Deployment.script(at: path, in: files)
            if let cut {
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                text = lines.prefix(Int(Double(lines.count) * cut)).joined(separator: "\n") + "\n"
            }
            outputs[database.name] = try await run(text, database: database.name)
        }
        // Last, what leaves each cluster (written only with --allow-destructive).
        for cluster in newA.clusters {
            let path = MigrationArtifacts.dropPath(cluster.name)
            guard let text = files[path] else { continue }
            outputs[path] = try await run(text, database: "postgres")
        }
        return outputs
    }

    /// The normalised schema of a database: `pg_dump --schema-only` without the ledger, with the
    /// suffix replaced, psql's `\restrict` lines dropped, each table's column lines sorted
    /// (PostgreSQL appends added columns; a fresh build places them where declared) and each run
    /// of privilege statements sorted.
    func dump(_ database: String, suffix: String) async throws -> String {
        let process = Process()
        // The server's own pg_dump: the one of PostgreSQL 15 refuses a PostgreSQL 16 server.
        let bin = ProcessInfo.processInfo.environment["TOPOC_PG_BIN"].map { $0 + "/pg_dump" }
        process.executableURL = URL(fileURLWithPath: bin ?? PostgresServer.clientProgram("pg_dump"))
        process.arguments = [
            "-h", "127.0.0.1", "-p", String(psql.port), "-U", "postgres", "--schema-only", "--no-comments",
            "--exclude-schema=\(MigrationLedgerName.schema)", database,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, !data.isEmpty else {
            throw DumpFailure(description: "pg_dump \(database) exited with \(process.terminationStatus)")
        }
        let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: suffix, with: "SUFFIX")
        var result: [String] = []
        var block: [String]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("\\restrict") || line.hasPrefix("\\unrestrict") || line.hasPrefix("--") { continue }
            if var open = block {
                if line.hasPrefix(")") {
                    result += open.map { $0.hasSuffix(",") ? String($0.dropLast()) : $0 }.sorted()
                    result.append(line)
                    block = nil
                } else {
                    open.append(line)
                    block = open
                }
                continue
            }
            result.append(line)
            if line.hasPrefix("CREATE TABLE") && line.hasSuffix("(") { block = [] }
        }
        return Self.sortingPrivilegeRuns(result).joined(separator: "\n")
    }

    /// Each run of consecutive GRANT/REVOKE lines sorted: pg_dump writes an object's privileges in
    /// the order they were granted, which differs between a migrated and a fresh database (a role
    /// added by the migration is granted after the others) without meaning anything.
    static func sortingPrivilegeRuns(_ lines: [String]) -> [String] {
        var result: [String] = []
        var run: [String] = []
        for line in lines {
            if line.hasPrefix("GRANT ") || line.hasPrefix("REVOKE ") {
                run.append(line)
                continue
            }
            result += run.sorted()
            run = []
            result.append(line)
        }
        return result + run.sorted()
    }

    /// Roles, memberships and database privileges of a side, normalised.
    func roles(_ suffix: String) async throws -> [String] {
        let pattern = literal("%\(suffix)%")
        let output = try await psql.check(
            """
            SELECT 'role ' || rolname || ' ' || rolcanlogin || rolinherit || rolbypassrls || rolcreatedb || rolcreaterole || rolsuper
              FROM pg_roles WHERE rolname LIKE \(pattern)
            UNION ALL
            SELECT 'member ' || g.rolname || ' ' || r.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
              JOIN pg_roles r ON r.oid = m.member WHERE r.rolname LIKE \(pattern)
            UNION ALL
            SELECT 'database ' || datname || ' ' || coalesce(datacl::text, '') FROM pg_database WHERE datname LIKE \(pattern)
            """, database: "postgres")
        return output.lines.map { Self.sortedACL($0.replacingOccurrences(of: suffix, with: "SUFFIX")) }.sorted()
    }

    /// A `database <name> {acl}` line with its ACL items sorted: PostgreSQL keeps them in grant
    /// order, which differs between a migrated and a fresh database without meaning anything.
    static func sortedACL(_ line: String) -> String {
        guard line.hasPrefix("database "), let open = line.firstIndex(of: "{"), line.hasSuffix("}") else { return line }
        let items = line[line.index(after: open)..<line.index(before: line.endIndex)].split(separator: ",").sorted()
        return line[..<open] + "{" + items.joined(separator: ",") + "}"
    }

    /// Expects A (migrated) to equal B (fresh) database by database, and the roles to match.
    func expectSame(_ label: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        for (a, b) in zip(newA.databases, newB.databases) {
            let left = try await dump(a.name, suffix: suffixA)
            let right = try await dump(b.name, suffix: suffixB)
            if left != right {
                let l = Set(left.split(separator: "\n"))
                let r = Set(right.split(separator: "\n"))
                let onlyA = left.split(separator: "\n").filter { !r.contains($0) }.prefix(15).joined(separator: "\n")
                let onlyB = right.split(separator: "\n").filter { !l.contains($0) }.prefix(15).joined(separator: "\n")
                Issue.record(
                    "\(label): \(a.name) migrated differs from a fresh build\nonly in migrated:\n\(onlyA)\nonly in fresh:\n\(onlyB)",
                    sourceLocation: sourceLocation)
            }
        }
        let rolesA = try await roles(suffixA)
        let rolesB = try await roles(suffixB)
        #expect(rolesA == rolesB, "\(label): roles differ", sourceLocation: sourceLocation)
    }

    /// Drops everything both sides created.
    func cleanUp() async {
        for suffix in [suffixA, suffixB] {
            let pattern = literal("%\(suffix)%")
            for step in [
                "SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname LIKE \(pattern) OR database LIKE \(pattern)",
                "SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', datname) FROM pg_database WHERE datname LIKE \(pattern) \\gexec",
                "SELECT format('DROP ROLE IF EXISTS %I', rolname) FROM pg_roles WHERE rolname LIKE \(pattern) \\gexec",
            ] {
                _ = try? await psql.sql(step, database: "postgres")
            }
        }
    }
}

/// The ledger's schema name, as the migration scripts create it.
enum MigrationLedgerName {
    static let schema = "topoc_migrations"
}

/// `pg_dump` failed: a comparison of two empty dumps would prove nothing.
struct DumpFailure: Error, CustomStringConvertible {
    var description: String
}
