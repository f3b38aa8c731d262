import Foundation
import Testing

@testable import TopologyCompiler
@testable import TopologyLocalCluster

/// `RUN/secrets.env`: passwords chosen in the environment are kept as they are, read back by topoc
/// and by a shell that sources the file (docs/plugin.md), hostile ones included.
struct LocalSecretsTests {
    static let hostile = [
        "it's", "a'b $(touch /tmp/topoc-secrets-pwned) `id` \"c\" \\ d", "'", "''", "\\'", "$HOME", "x=y", "; rm -rf /", "é ü 🙂",
        "*", "-n", "#comment", " leading and trailing ",
    ]

    @Test func chosenPasswordsAreKeptAndReadBackBySh() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("topoc-secrets-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = try #require(try PlanTestSupport.plan(example: "single-node.yaml", target: .local))
        let variables = LocalSecrets.variables(of: plan)
        #expect(variables.count >= Self.hostile.count / 3)
        for (offset, password) in Self.hostile.enumerated() {
            let file = folder.appendingPathComponent("secrets-\(offset).env")
            let variable = variables[offset % variables.count]
            let secrets = try LocalSecrets.loadOrCreate(at: file, plan: plan, environment: [variable: password])
            #expect(secrets.values[variable] == password)
            #expect(LocalSecrets.load(from: file)?.values[variable] == password, "topoc reads back \(password)")
            // The other variables got random passwords.
            #expect(variables.filter { $0 != variable }.allSatisfy { (secrets.values[$0]?.count ?? 0) == 32 })
            let shell = Subprocess.run(
                ["/bin/sh", "-c", "set -a; . \"$1\"; set +a; eval \"printf '%s' \\\"\\$$2\\\"\"", "sh", file.path, variable],
                environment: ["PATH": "/usr/bin:/bin"], timeout: 10)
            #expect(shell.status == 0, "\(shell.error)")
            #expect(shell.output == password, "sh reads \(password) as \(shell.output)")
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/topoc-secrets-pwned"), "sourcing the file ran nothing")
        // Kept: a later environment does not change a password the deployment was given.
        let file = folder.appendingPathComponent("secrets-0.env")
        let again = try LocalSecrets.loadOrCreate(at: file, plan: plan, environment: [variables[0]: "another"])
        #expect(again.values[variables[0]] == Self.hostile[0])
    }

    @Test func aPasswordWithALineBreakIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("topoc-secrets-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = try #require(try PlanTestSupport.plan(example: "single-node.yaml", target: .local))
        let variable = try #require(LocalSecrets.variables(of: plan).first)
        let refused = #expect(throws: LocalClusterError.self) {
            try LocalSecrets.loadOrCreate(at: folder.appendingPathComponent("s.env"), plan: plan, environment: [variable: "a\nb"])
        }
        #expect(refused?.description.contains("\(variable) holds a control character") == true)
        // Files written before values were quoted still read.
        let bare = folder.appendingPathComponent("bare.env")
        try Data("\(variable)=abc-DEF_123\n".utf8).write(to: bare)
        #expect(LocalSecrets.load(from: bare)?.values[variable] == "abc-DEF_123")
    }
}
