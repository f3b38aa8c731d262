import Foundation
import Testing
import TopologyCompiler

/// Plans for the tests: the examples and inline topologies, with every cluster-wide name
/// (databases, the application role) made unique so that tests can run in parallel.
enum TestPlans {
    /// The repository's root.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The example topologies' file names.
    static let exampleNames: [String] = {
        let folder = repository.appendingPathComponent("examples").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    /// The plan of a topology text, or nil after recording its diagnostics.
    static func plan(yaml: String, file: String = "test.yaml", sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Plan? {
        let compiled = CompilerDriver.compile(bytes: Array(yaml.utf8), file: file, target: .compose)
        if compiled.plan == nil {
            let text = compiled.diagnostics.map { "\($0)" }.joined(separator: "\n")
            Issue.record("no plan for \(file):\n\(text)", sourceLocation: sourceLocation)
        }
        return compiled.plan
    }

    /// The plan of an example.
    static func plan(example name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Plan? {
        let text = try String(contentsOf: repository.appendingPathComponent("examples/\(name)"), encoding: .utf8)
        return plan(yaml: text, file: "examples/\(name)", sourceLocation: sourceLocation)
    }

    /// A fresh suffix for the names of one test (`x` and seven hex digits).
    static func uniqueSuffix() -> String {
        "x" + String(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(7))
    }

    /// The plan with every database and the application role renamed `<name>_<suffix>`.
    static func renamed(_ plan: Plan, suffix: String) -> Plan {
        func name(_ old: String) -> String { "\(old)_\(suffix)" }
        var plan = plan
        plan.databases = plan.databases.map {
            var database = $0
            database.name = name($0.name)
            return database
        }
        plan.tables = plan.tables.map { table in
            var table = table
            table.databases = table.databases.map(name)
            table.schema.verticalGroups = table.schema.verticalGroups.map {
                var group = $0
                group.database = name($0.database)
                return group
            }
            return table
        }
        plan.views = plan.views.map {
            var view = $0
            view.databases = view.databases.map(name)
            return view
        }
        if var sharding = plan.sharding {
            sharding.shards = sharding.shards.map {
                var shard = $0
                shard.database = name($0.database)
                return shard
            }
            plan.sharding = sharding
        }
        // Roles are cluster-wide: every role the plan creates gets the suffix (tenant roles are
        // derived from the application role, as the onboarding function derives them).
        plan.roles.application = name(plan.roles.application)
        plan.roles.owner = name(plan.roles.owner)
        plan.roles.readOnly = name(plan.roles.readOnly)
        plan.roles.clients = name(plan.roles.clients)
        plan.roles.changeDataCapture = name(plan.roles.changeDataCapture)
        plan.roles.poolerAuth = name(plan.roles.poolerAuth)
        plan.roles.multiPrimary = name(plan.roles.multiPrimary)
        plan.roles.monitor = name(plan.roles.monitor)
        plan.roles.backup = name(plan.roles.backup)
        if var tenancy = plan.tenancy {
            let application = plan.roles.application
            tenancy.tenants = tenancy.tenants.map { old in
                var tenant = old
                tenant.database = old.database.map(name)
                if old.role != nil { tenant.role = PlanNames.tenantRole(application: application, tenant: old.name) }
                return tenant
            }
            plan.tenancy = tenancy
        }
        plan.replication.publications = plan.replication.publications.map {
            var publication = $0
            publication.database = name($0.database)
            return publication
        }
        plan.replication.slots = plan.replication.slots.map {
            var slot = $0
            slot.database = name($0.database)
            return slot
        }
        plan.replication.auditTables = plan.replication.auditTables.map {
            var audit = $0
            audit.database = name($0.database)
            return audit
        }
        return plan
    }
}

/// A plan's generated SQL, applied to fresh databases of the test server; everything a test
/// creates carries the test's suffix and is removed by ``cleanUp()``.
struct Deployment: Sendable {
    /// The renamed plan.
    let plan: Plan
    /// psql on the test server.
    let psql: PSQL
    /// The names' suffix.
    let suffix: String
    /// The postgres backend's artifacts by path.
    let files: [String: String]

    /// Generates the DDL of a plan after renaming it for this test.
    init(plan original: Plan, port: Int) {
        suffix = TestPlans.uniqueSuffix()
        plan = TestPlans.renamed(original, suffix: suffix)
        psql = PSQL(port: port)
        var files: [String: String] = [:]
        for artifact in PostgresBackend().artifacts(for: plan) {
            files[artifact.path] = String(decoding: artifact.contents, as: UTF8.self)
        }
        self.files = files
    }

    /// The script of a database, with the shared script it includes (psql `\ir`) in place of
    /// the include line.
    func script(_ database: PlanDatabase) -> String {
        let path = "sql/\(database.cluster)/\(database.name).sql"
        let text = files[path] ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.hasPrefix("\\ir "), let included = files[Self.resolve(String(line.dropFirst(4)), from: path)] else {
                return String(line)
            }
            return included.hasSuffix("\n") ? String(included.dropLast()) : included
        }.joined(separator: "\n")
    }

    /// The output-folder path a `\ir` argument names from the script at `path`.
    static func resolve(_ argument: String, from path: String) -> String {
        var components = Array(path.split(separator: "/").dropLast().map(String.init))
        for component in argument.split(separator: "/") {
            if component == ".." { _ = components.popLast() } else if component != "." { components.append(String(component)) }
        }
        return components.joined(separator: "/")
    }

    /// Writes a database's script and the shared scripts it includes into a scratch folder laid
    /// out like the output folder (so psql resolves its `\ir`); returns the folder and the script.
    func scratchTree(of path: String) throws -> (folder: URL, script: URL) {
        let folder = PSQL.scratchFile("tree")
        let text = files[path] ?? ""
        var paths = [path]
        for line in text.split(separator: "\n") where line.hasPrefix("\\ir ") {
            paths.append(Self.resolve(String(line.dropFirst(4)), from: path))
        }
        for relative in paths {
            let url = folder.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try (files[relative] ?? "").write(to: url, atomically: true, encoding: .utf8)
        }
        return (folder, folder.appendingPathComponent(path))
    }

    /// Writes an artifact to a scratch file.
    func scratchCopy(of path: String) throws -> URL {
        let url = PSQL.scratchFile("sql")
        try (files[path] ?? "").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Creates an empty database (its name must contain the suffix).
    func createDatabase(_ name: String) async throws {
        #expect(name.contains(suffix))
        try await psql.check("CREATE DATABASE \(quoted(name))", database: "postgres")
    }

    /// Applies a database's script to a database; returns psql's output.
    ///
    /// - Parameter noticeLevel: Lower the script's `client_min_messages` to `notice`, to show
    ///   that a first apply emits no notice at all.
    func apply(_ database: PlanDatabase, to name: String, noticeLevel: Bool = false) async throws -> PSQLOutput {
        let (folder, file) = try scratchTree(of: "sql/\(database.cluster)/\(database.name).sql")
        defer { try? FileManager.default.removeItem(at: folder) }
        if noticeLevel {
            let text = try String(contentsOf: file, encoding: .utf8)
            let lowered = text.replacingOccurrences(
                of: "\nSET client_min_messages = warning;\n", with: "\nSET client_min_messages = notice;\n")
            #expect(lowered != text)
            try lowered.write(to: file, atomically: true, encoding: .utf8)
        }
        return try await psql.run(file: file, database: name)
    }

    /// Creates a database named as in the plan and applies its script; expects no message at all.
    @discardableResult
    func deploy(_ database: PlanDatabase, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> Bool {
        try await createDatabase(database.name)
        let output = try await apply(database, to: database.name)
        #expect(output.status == 0, "\(database.name): \(output.stderr)", sourceLocation: sourceLocation)
        #expect(output.stderr.isEmpty, "\(database.name) printed: \(output.stderr)", sourceLocation: sourceLocation)
        return output.status == 0
    }

    /// Removes every database, role, replication slot and pg_cron job this deployment created.
    func cleanUp() async {
        let pattern = literal("%\(suffix)%")
        let steps = [
            "SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname LIKE \(pattern) OR database LIKE \(pattern)",
            // cron.sql's read policy for the monitoring role depends on the role.
            "SELECT format('DROP POLICY %I ON cron.job', policyname) FROM pg_policies WHERE schemaname = 'cron' AND tablename = 'job' AND EXISTS (SELECT FROM unnest(roles) r WHERE r LIKE \(pattern)) \\gexec",
            "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name LIKE \(pattern) OR database LIKE \(pattern)",
            "SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', datname) FROM pg_database WHERE datname LIKE \(pattern) \\gexec",
            "SELECT format('DROP ROLE IF EXISTS %I', rolname) FROM pg_roles WHERE rolname LIKE \(pattern) \\gexec",
        ]
        for step in steps {
            // The first step fails harmlessly where pg_cron is not installed in postgres.
            _ = try? await psql.sql(step, database: "postgres")
        }
    }

    /// Runs a test body with a deployment and always cleans up.
    static func with(
        _ plan: Plan, port: Int, _ body: (Deployment) async throws -> Void
    ) async throws {
        let deployment = Deployment(plan: plan, port: port)
        do {
            try await body(deployment)
        } catch {
            await deployment.cleanUp()
            throw error
        }
        await deployment.cleanUp()
    }
}

/// A quoted identifier, for the tests' own SQL.
func quoted(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

/// A string literal, for the tests' own SQL.
func literal(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
}
