import Foundation
import Testing
import TopologyCompiler

/// Every migration of the corpus linted by squawk (`squawk-cli` from PyPI, installed by
/// scripts/install-deps.sh into .build-tools/venv): each finding must be explained by the change
/// set (a rename squawk warns about is a declared rename, a type change is listed with its
/// rewrite...) or by a type the topology itself declares (squawk's style rules on the converge
/// step's CREATE TABLE). No server is needed; without squawk the test is skipped, under CI it fails.
struct SquawkLintTests {
    static let squawk = TestPlans.repository.appendingPathComponent(".build-tools/venv/bin/squawk").path
    static let available = FileManager.default.isExecutableFile(atPath: squawk)

    /// One finding of squawk's gitlab reporter.
    struct Finding: Decodable {
        var checkName: String
        var description: String

        enum CodingKeys: String, CodingKey {
            case checkName = "check_name"
            case description
        }
    }

    /// Whether the change set or the plan explains a finding.
    static func explains(_ rule: String, changes: ChangeSet, plan: Plan) -> Bool {
        let types = Set(plan.tables.flatMap(\.schema.columns).map(\.type))
        func change(_ predicate: (PlanChange) -> Bool) -> Bool { changes.changes.contains(where: predicate) }
        switch rule {
        // Style rules about the declared column types (the converge step's CREATE TABLE).
        case "prefer-identity":
            // Declared serial columns, or the audit log's bigserial id (CaptureDDL).
            return types.contains { PlanNames.serialTypes.contains($0) } || !plan.replication.auditTables.isEmpty
        case "ban-char-field": return types.contains { $0.hasPrefix("character(") || $0.hasPrefix("char(") || $0 == "character" }
        case "prefer-text-field":
            return types.contains { $0.hasPrefix("character varying") || $0.hasPrefix("varchar") }
        case "prefer-bigint-over-int": return types.contains { ["integer", "int", "serial"].contains($0) }
        case "prefer-bigint-over-smallint": return types.contains { ["smallint", "smallserial"].contains($0) }
        case "prefer-timestamptz": return types.contains { $0.hasPrefix("timestamp without") || $0 == "timestamp" }
        // Migration safety rules: each names the change that takes the risk, listed by topoc diff.
        case "changing-column-type": return change { $0.object == "column" && $0.detail.hasPrefix("type ") }
        case "adding-field-with-default": return change { $0.impact == .rewrite && $0.detail.contains("volatile default") }
        case "adding-not-nullable-field":
            return change { $0.detail.contains("NOT NULL") }
        case "renaming-column": return change { $0.object == "column" && $0.detail.hasPrefix("renamed from") }
        case "renaming-table": return change { $0.object == "table" && $0.detail.hasPrefix("renamed from") }
        case "ban-drop-column": return change { $0.object == "column" && $0.impact == .destructive }
        case "ban-drop-table":
            return change { ($0.object == "table" || $0.object == "partition") && $0.impact == .destructive }
        case "require-concurrent-index-creation":
            return change { $0.detail.hasPrefix("ON ONLY the parent") }
        case "require-concurrent-index-deletion":
            return change { $0.object == "index" && $0.lock?.contains("partitioned index") == true }
        case "ban-drop-constraint":
            // A dropped unique key or foreign key, or the temporary CHECK that proves NOT NULL or a
            // partition's bound, dropped once it served.
            return change {
                ($0.object == "constraint" && $0.action == .drop) || ($0.object == "partition" && $0.action == .create)
                    || $0.detail.contains("NOT NULL through a CHECK")
            }
        case "ban-drop-not-null": return change { $0.detail == "NULL allowed" }
        case "ban-drop-schema": return change { $0.object == "tenant" && $0.action == .drop && $0.detail.hasPrefix("schema ") }
        case "ban-drop-database": return change { $0.object == "database" && $0.impact == .destructive }
        case "ban-drop-view":
            return change { $0.object.hasSuffix("view") && ($0.action == .drop || $0.action == .replace) }
        case "ban-drop-function":
            // A view dropped or replaced (a materialized view's refresh function goes with it), or
            // a counter or snapshot dropped (its trigger function goes with its triggers).
            return change {
                ($0.object.hasSuffix("view") && ($0.action == .drop || $0.action == .replace))
                    || (["counter", "snapshot"].contains($0.object) && $0.action == .drop)
            }
        case "prefer-robust-stmts":
            // DETACH PARTITION CONCURRENTLY cannot run in a transaction; the step checks pg_inherits first.
            return change { $0.object == "partition" && $0.action == .drop }
        case "constraint-missing-not-valid":
            return change { $0.object == "partition" && $0.action == .create }
        default: return false
        }
    }

    @Test(.enabled(if: available || ProcessInfo.processInfo.environment["CI"] != nil), arguments: MigrationCorpus.all)
    func everyFindingIsExplained(_ pair: MigrationCase) throws {
        #expect(Self.available, "squawk is missing: run scripts/install-deps.sh")
        guard Self.available, let newText = try pair.newText(), let oldText = try pair.oldText(),
            let old = TestPlans.plan(yaml: oldText, file: "examples/\(pair.example)"),
            let new = TestPlans.plan(yaml: newText, file: "new/\(pair.example)")
        else { return }
        let changes = PlanDiff(old: old, new: new).changeSet()
        let folder = PSQL.scratch.appendingPathComponent("squawk-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: [String] = []
        let artifacts = MigrationArtifacts.artifacts(old: old, new: new, allowDestructive: true)
        let texts = Dictionary(
            artifacts.map { ($0.path, String(decoding: $0.contents, as: UTF8.self)) }, uniquingKeysWith: { first, _ in first })
        // What psql runs: a shared script (sql/shared/) inside each script that includes it (`\ir`),
        // after that script's timeouts, not on its own.
        for artifact in artifacts
        where artifact.path.hasPrefix("sql/") && !artifact.path.hasPrefix("sql/shared/")
            && !artifact.path.hasSuffix("create-databases.sql")
        {
            // psql's meta-commands blanked (line numbers kept) and its variables replaced by the defaults.
            let text = Deployment.script(at: artifact.path, in: texts).split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.hasPrefix("\\") ? "" : String($0) }.joined(separator: "\n")
                .replacingOccurrences(of: ":'lock_timeout'", with: "'2s'")
                .replacingOccurrences(of: ":'statement_timeout'", with: "'1h'")
            let url = folder.appendingPathComponent(artifact.path.replacingOccurrences(of: "/", with: "_"))
            try text.write(to: url, atomically: true, encoding: .utf8)
            files.append(url.path)
        }
        guard !files.isEmpty else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.squawk)
        process.arguments = ["--reporter", "gitlab", "--pg-version", "15.0"] + files
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let findings = try JSONDecoder().decode([Finding].self, from: data)
        for finding in findings where !Self.explains(finding.checkName, changes: changes, plan: new) {
            Issue.record("\(pair.name): squawk \(finding.checkName) is not explained by the plan: \(finding.description)")
        }
    }
}
