import Foundation
import Testing

@Suite("topoc command line")
struct CLITests {
    let example = "examples/ecommerce.yaml"

    @Test func validateAcceptsExample() throws {
        let result = try TopocProcess.run(["validate", example])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\(example): ok"))
    }

    /// `validate` checks compose and local by default; `--target kubernetes` adds the TKS rules,
    /// and `build --target kubernetes` refuses the same example with exit 1 and writes nothing.
    @Test func validateChecksTheKubernetesTargetWhenAsked() throws {
        let result = try TopocProcess.run(["validate", "--target", "kubernetes", example])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(
            result.stderr.contains("examples/ecommerce.yaml:111:26: error: view 'daily_sales' refreshes on a schedule"), "\(result.stderr)")
        #expect(result.stderr.contains("[TKS005]"))
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("topoc-k8s-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let build = try TopocProcess.run(["build", "--target", "kubernetes", "-o", out.path, example])
        #expect(build.status == 1 && build.stderr.contains("[TKS005]"), "\(build.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("kubernetes").path))
        let single = try TopocProcess.run(["build", "--target", "kubernetes", "-o", out.path, "examples/single-node.yaml"])
        #expect(single.status == 0, "\(single.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("kubernetes/clusters/cluster-main.yaml").path))
    }

    @Test func validateReportsEveryErrorAtItsLineWithExitOne() throws {
        let folder = try TopocProcess.temporaryDirectory()
        let file = folder.appendingPathComponent("bad.yaml")
        try """
        topology: shop
        clusters:
          main:
            members: 3
            replicaton: { mode: synchronous }
        tabels: {}
        """.write(to: file, atomically: true, encoding: .utf8)
        let result = try TopocProcess.run(["validate", file.path])
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("\(file.path):5:5: error: unknown key 'replicaton' in `cluster`; did you mean 'replication'? [TPC010]"))
        #expect(result.stderr.contains("\(file.path):6:1: error: unknown key 'tabels' in the topology; did you mean 'tables'? [TPC010]"))
    }

    /// A fix-it as a SARIF consumer applies it: only from the log's `fixes` (region and text,
    /// columns in Unicode scalars as `columnKind` says), then the file validates clean. JSON
    /// output carries the same range.
    @Test func sarifFixesApplyAndValidateClean() throws {
        let folder = try TopocProcess.temporaryDirectory()
        let file = folder.appendingPathComponent("typo.yaml")
        let text =
            "topology: shop # café\nclusters:\n  main: { members: 1 }\ntables:\n  users:\n"
            + "    columns: { id: bigint, \"born\": 'timestmp' }  # née\n    primary_key: id\n"
        try text.write(to: file, atomically: true, encoding: .utf8)

        let json = try TopocProcess.run(["validate", "--format", "json", file.path])
        #expect(json.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let diagnostic = try #require((report["diagnostics"] as? [[String: Any]])?.first)
        let fixIt = try #require(diagnostic["fixIt"] as? [String: Any], "\(diagnostic)")
        #expect(fixIt["replacement"] as? String == "timestamp")
        #expect((fixIt["start"] as? [String: Any])?["column"] as? Int == 36)
        #expect((fixIt["end"] as? [String: Any])?["column"] as? Int == 46, "the closing quote included")

        let sarif = try TopocProcess.run(["validate", "--format", "sarif", file.path])
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        #expect(run["columnKind"] as? String == "unicodeCodePoints")
        let result = try #require((run["results"] as? [[String: Any]])?.first)
        let change = try #require(
            ((result["fixes"] as? [[String: Any]])?.first?["artifactChanges"] as? [[String: Any]])?.first)
        #expect((change["artifactLocation"] as? [String: Any])?["uri"] as? String == file.path)
        let replacement = try #require((change["replacements"] as? [[String: Any]])?.first)
        let region = try #require(replacement["deletedRegion"] as? [String: Any])
        let inserted = try #require((replacement["insertedContent"] as? [String: Any])?["text"] as? String)
        let line = try #require(region["startLine"] as? Int)
        let start = try #require(region["startColumn"] as? Int)
        let end = try #require(region["endColumn"] as? Int)
        #expect(region["endLine"] as? Int == line)

        var lines = text.components(separatedBy: "\n")
        let scalars = Array(lines[line - 1].unicodeScalars)
        var fixed = String.UnicodeScalarView()
        fixed.append(contentsOf: scalars[..<(start - 1)])
        fixed.append(contentsOf: inserted.unicodeScalars)
        fixed.append(contentsOf: scalars[(end - 1)...])
        lines[line - 1] = String(fixed)
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let after = try TopocProcess.run(["validate", file.path])
        #expect(after.status == 0, "\(after.stderr)")
        #expect(try String(contentsOf: file, encoding: .utf8).contains("\"born\": timestamp }  # née"))
    }

    @Test func jsonAndSarifFormatsAreMachineReadable() throws {
        let folder = try TopocProcess.temporaryDirectory()
        let file = folder.appendingPathComponent("bad.yaml")
        try "topology: shop\nclusters: { main: { members: 1 } }\nbogus: 1\n".write(to: file, atomically: true, encoding: .utf8)

        let json = try TopocProcess.run(["validate", "--format", "json", file.path])
        #expect(json.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let diagnostics = try #require(report["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?["code"] as? String == "TPC010")
        let location = try #require(diagnostics.first?["location"] as? [String: Any])
        #expect(location["line"] as? Int == 3)
        #expect(location["column"] as? Int == 1)

        let sarif = try TopocProcess.run(["validate", "--format", "sarif", file.path])
        #expect(sarif.status == 1)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.first?["id"] as? String == "TPC010")
        #expect(rules.first?["name"] as? String == "unknown-key")
        let results = try #require(run["results"] as? [[String: Any]])
        let region = try #require(
            ((results.first?["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"]
                as? [String: Any])
        #expect(region["startLine"] as? Int == 3)
    }

    @Test func planPrintsTextAndJSON() throws {
        let text = try TopocProcess.run(["plan", example])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("clusters (16):"))
        #expect(text.stdout.contains("shard-s15-2  replica"))
        let json = try TopocProcess.run(["plan", "--format", "json", "--target", "local", example])
        #expect(json.status == 0)
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(plan["target"] as? String == "local")
        #expect((plan["clusters"] as? [Any])?.count == 16)
    }

    @Test func upRefusesARequiredWatchdogThisMachineDoesNotHave() throws {
        guard !FileManager.default.fileExists(atPath: "/dev/watchdog") else { return }
        let folder = try TopocProcess.temporaryDirectory()
        let file = folder.appendingPathComponent("watchdog.yaml")
        try """
        topology: guarded
        guarantees: { partition: CP }
        clusters:
          main: { members: 2, failover: { watchdog: required } }
        deployment:
          local: { base_port: 39100 }

        """.write(to: file, atomically: true, encoding: .utf8)
        let run = folder.appendingPathComponent("run")
        let up = try TopocProcess.run(["up", file.path, "--run-dir", run.path], in: folder)
        #expect(up.status != 0)
        let tools = ["/usr/bin/patroni", "/usr/bin/etcd", "/usr/sbin/haproxy", "/usr/sbin/pgbouncer", "/usr/lib/postgresql/15/bin/initdb"]
        if tools.allSatisfy(FileManager.default.isExecutableFile(atPath:)) {
            #expect(up.stderr.contains("asks for watchdog: required, but /dev/watchdog does not exist"), "\(up.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: run.appendingPathComponent("state.json").path), "nothing was started")
    }

    @Test func upNamesTheMissingPostgreSQLAndHowToPointAtAnother() throws {
        guard !FileManager.default.fileExists(atPath: "/usr/lib/postgresql/14/bin/initdb") else { return }
        let folder = try TopocProcess.temporaryDirectory()
        let file = folder.appendingPathComponent("old.yaml")
        try "topology: old\npostgres: 14\nclusters:\n  main: { members: 1 }\ndeployment:\n  local: { base_port: 39200 }\n".write(
            to: file, atomically: true, encoding: .utf8)
        let run = folder.appendingPathComponent("run")
        let up = try TopocProcess.run(["up", file.path, "--run-dir", run.path], in: folder)
        #expect(up.status != 0)
        #expect(up.stderr.contains("/usr/lib/postgresql/14/bin/initdb (Debian package postgresql-14"), "\(up.stderr)")
        #expect(up.stderr.contains("deployment.local.postgres_bin"), "\(up.stderr)")
        #expect(!FileManager.default.fileExists(atPath: run.appendingPathComponent("state.json").path), "nothing was started")
    }

    @Test func buildWritesOnlyWhatChangedAndKeepsOutputOnErrors() throws {
        let folder = try TopocProcess.temporaryDirectory()
        let output = folder.appendingPathComponent("out")
        let first = try TopocProcess.run(["build", example, "-o", output.path, "--only", "plan", "routing"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("2 written, 0 unchanged, 0 removed"))
        let planURL = output.appendingPathComponent("plan.json")
        let before = try Data(contentsOf: planURL)
        let userFile = output.appendingPathComponent("NOTES.md")
        try "mine".write(to: userFile, atomically: true, encoding: .utf8)

        let second = try TopocProcess.run(["build", example, "-o", output.path, "--only", "plan", "routing"])
        #expect(second.stdout.contains("0 written, 2 unchanged, 0 removed"))

        let broken = folder.appendingPathComponent("broken.yaml")
        try "topology: shop\nclusters: { main: { members: 1 } }\ntables: { t: { colums: {} } }\n".write(
            to: broken, atomically: true, encoding: .utf8)
        let failed = try TopocProcess.run(["build", broken.path, "-o", output.path])
        #expect(failed.status == 1)
        #expect(try Data(contentsOf: planURL) == before)

        // A build of other backends leaves plan.json as it is, and still owned.
        let only = try TopocProcess.run(["build", example, "-o", output.path, "--only", "routing"])
        #expect(only.status == 0)
        #expect(only.stdout.contains("0 written, 1 unchanged, 0 removed"), "\(only.stdout)")
        #expect(try Data(contentsOf: planURL) == before)
        #expect(try String(contentsOf: userFile, encoding: .utf8) == "mine")
        let manifest = try String(contentsOf: output.appendingPathComponent(".topoc-manifest"), encoding: .utf8)
        #expect(manifest.contains("\"path\" : \"plan.json\""), "\(manifest)")
    }

    @Test func buildIsDeterministic() throws {
        let folder = try TopocProcess.temporaryDirectory()
        for name in ["a", "b"] {
            let result = try TopocProcess.run(["build", example, "-o", folder.appendingPathComponent(name).path])
            #expect(result.status == 0)
        }
        for file in ["plan.json", "routing.json", ".topoc-manifest"] {
            let a = try Data(contentsOf: folder.appendingPathComponent("a/\(file)"))
            let b = try Data(contentsOf: folder.appendingPathComponent("b/\(file)"))
            #expect(a == b, "\(file) differs between two builds")
        }
    }

    @Test func usageAndIOErrorsExitTwo() throws {
        #expect(try TopocProcess.run(["validate", "no/such/file.yaml"]).status == 2)
        #expect(try TopocProcess.run(["build", example]).status == 2)
        #expect(try TopocProcess.run(["build", example, "-o", "/tmp/x", "--only", "ddl-typo"]).status == 2)
        #expect(try TopocProcess.run(["frobnicate"]).status == 2)
        #expect(try TopocProcess.run(["explain", "TPC999"]).status == 2)
        #expect(try TopocProcess.run(["validate", "examples"]).status == 2)
    }

    @Test func explainVersionAndHelp() throws {
        let explain = try TopocProcess.run(["explain", "TPC010"])
        #expect(explain.status == 0)
        #expect(explain.stdout.contains("TPC010 unknown-key"))
        let bySlug = try TopocProcess.run(["explain", "duplicate-key"])
        #expect(bySlug.stdout.contains("TPC002"))
        let version = try TopocProcess.run(["--version"])
        #expect(version.status == 0)
        #expect(!version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        let help = try TopocProcess.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("topoc build topology.yaml -o generated"))
        // `build --only` lists every registered backend, from the registry (backup was missing
        // from the hand-written list once).
        let buildHelp = try TopocProcess.run(["build", "--help"])
        let flattened = buildHelp.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for name in ["plan", "routing", "postgres", "backup", "kubernetes", "swift", "graph"] {
            #expect(flattened.contains(name), "\(name) in build --help")
        }
        let unknown = try TopocProcess.run(["build", "x.yaml", "-o", "/tmp/x", "--only", "bakup"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("backends: plan, routing, postgres"), "\(unknown.stderr)")
    }

    @Test func initWritesAValidStarterAndRefusesToOverwrite() throws {
        let folder = try TopocProcess.temporaryDirectory()
        let created = try TopocProcess.run(["init"], in: folder)
        #expect(created.status == 0, "\(created.stderr)")
        let validated = try TopocProcess.run(["validate", "topology.yaml"], in: folder)
        #expect(validated.status == 0, "\(validated.stderr)")
        let again = try TopocProcess.run(["init"], in: folder)
        #expect(again.status == 2)
        #expect(try TopocProcess.run(["init", "--force"], in: folder).status == 0)
    }

    @Test func binaryWorksWhenCopiedElsewhere() throws {
        let folder = try TopocProcess.temporaryDirectory()
        let copy = folder.appendingPathComponent("bin/topoc")
        try FileManager.default.createDirectory(
            at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TopocProcess.executable, to: copy)
        let work = folder.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        #expect(try TopocProcess.run(["init"], in: work, binary: copy).status == 0)
        let built = try TopocProcess.run(["build", "topology.yaml", "-o", "out"], in: work, binary: copy)
        #expect(built.status == 0, "\(built.stderr)")
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("out/routing.json").path))
    }

    @Test func outputFolderMayBeASymlinkTheUserChose() throws {
        let folder = try TopocProcess.temporaryDirectory()
        let outside = folder.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let output = folder.appendingPathComponent("out")
        try FileManager.default.createSymbolicLink(at: output, withDestinationURL: outside)
        // The output folder itself may be a symlink the user chose; it is followed once.
        let result = try TopocProcess.run(["build", example, "-o", output.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: outside.appendingPathComponent("plan.json").path))
    }
}
