import Foundation
import Testing
import TopologyLocalCluster

@testable import TopologyCompiler

/// Overriding each bundled template with a changed block: every example still builds, the
/// artifacts hold the change and the bundled lines around it, and the real engines accept them
/// (`haproxy -c`, PgBouncer loading its ini). Negative controls prove the engines read the block.
@Suite("template overrides")
struct TemplateOverrideTests {
    /// The override folder: a block of each template changed.
    static func overrides(haproxyGlobal: String, pgbouncerTimeouts: String) throws -> TemplateSet {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("topoc-templates-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "{{<haproxy.cfg}}\n{{$global}}\n\(haproxyGlobal){{/global}}\n{{/haproxy.cfg}}\n".write(
            to: folder.appendingPathComponent("haproxy.cfg.mustache"), atomically: true, encoding: .utf8)
        try "{{<pgbouncer.ini}}\n{{$timeouts}}\n\(pgbouncerTimeouts){{/timeouts}}\n{{/pgbouncer.ini}}\n".write(
            to: folder.appendingPathComponent("pgbouncer.ini.mustache"), atomically: true, encoding: .utf8)
        try "{{<Dockerfile}}\n{{$beforeUser}}\nRUN echo 'changed by an override'\n{{/beforeUser}}\n{{/Dockerfile}}\n".write(
            to: folder.appendingPathComponent("Dockerfile.mustache"), atomically: true, encoding: .utf8)
        try "{{<README.md}}\n{{$extra}}\n\n## On call\n\nPage the database team for {{topology}}.\n{{/extra}}\n{{/README.md}}\n".write(
            to: folder.appendingPathComponent("README.md.mustache"), atomically: true, encoding: .utf8)
        return try TemplateSet.loading(directory: folder.path)
    }

    static let haproxyGlobal = "global\n    maxconn {{maxconn}}\n    # changed by an override\n    nbthread 1\n"
    static let pgbouncerTimeouts = ";; changed by an override\nserver_login_retry = 3\nquery_wait_timeout = 45\n"

    /// The artifacts of a plan rendered with a template set; template errors are test failures.
    static func artifacts(_ plan: Plan, with set: TemplateSet) -> [String: String] {
        let (artifacts, errors) = set.collectingErrors {
            CompilerDriver.artifacts(for: plan, only: ["haproxy", "pgbouncer", "compose", "deploy"])
        }
        #expect(errors.isEmpty, "\(errors.map(\.description))")
        return Dictionary(uniqueKeysWithValues: artifacts.map { ($0.path, String(decoding: $0.contents, as: UTF8.self)) })
    }

    /// PgBouncer's words on loading an ini (as root it stops after loading its configuration).
    static func pgbouncerLoad(_ ini: String) -> String {
        let path = ClusterBackendSupport.write(ini, name: "pgbouncer.ini")
        let run = Subprocess.run(
            ["/usr/sbin/pgbouncer", path], environment: ["PATH": "/usr/bin:/bin"],
            directory: URL(fileURLWithPath: path).deletingLastPathComponent(), timeout: 2)
        return run.output + run.error
    }

    static var enginesInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/sbin/haproxy")
            && FileManager.default.isExecutableFile(atPath: "/usr/sbin/pgbouncer")
    }

    @Test(arguments: try PlanTestSupport.exampleNames())
    func changedBlocksReachEveryExampleAndPassTheEngines(_ name: String) throws {
        let set = try Self.overrides(haproxyGlobal: Self.haproxyGlobal, pgbouncerTimeouts: Self.pgbouncerTimeouts)
        for target in [DeploymentTarget.compose, .local] {
            let plan = try #require(try PlanTestSupport.plan(example: name, target: target))
            let bundled = Self.artifacts(plan, with: .bundled)
            let changed = Self.artifacts(plan, with: set)
            let haproxy = try #require(changed[ClusterLayout.haproxyPath])
            let ini = try #require(changed[ClusterLayout.pgbouncerPath])
            #expect(haproxy.contains("    # changed by an override\n    nbthread 1\n"))
            #expect(ini.contains(";; changed by an override\nserver_login_retry = 3\nquery_wait_timeout = 45\n"))
            // Only the block changed: the rest is the bundled text, line for line.
            let bundledHAProxy = try #require(bundled[ClusterLayout.haproxyPath])
            #expect(
                haproxy
                    == bundledHAProxy.replacingOccurrences(
                        of: "\n    maxconn \(max(4096, plan.pooler.maxClientConnections * 2))\n",
                        with:
                            "\n    maxconn \(max(4096, plan.pooler.maxClientConnections * 2))\n    # changed by an override\n    nbthread 1\n"
                    ))
            #expect(ini.contains("auth_type = hba\n") && ini.contains("[databases]\n"), "the bundled lines outside the block stay")
            let readme = try #require(changed[ClusterLayout.readmePath])
            #expect(readme == (bundled[ClusterLayout.readmePath] ?? "") + "\n## On call\n\nPage the database team for \(plan.topology).\n")
            if target == .compose {
                let dockerfile = try #require(changed[ClusterLayout.dockerfilePath])
                let original = try #require(bundled[ClusterLayout.dockerfilePath])
                #expect(
                    dockerfile
                        == original.replacingOccurrences(
                            of: "\nRUN mkdir -p", with: "\nRUN echo 'changed by an override'\nRUN mkdir -p"))
            }
            guard target == .local, Self.enginesInstalled || ProcessInfo.processInfo.environment["CI"] != nil else { continue }
            RoutingBackendsTests.haproxyAccepts(haproxy)
            let loaded = Self.pgbouncerLoad(ini)
            #expect(!loaded.contains("cannot load config file") && !loaded.contains("unknown parameter"), "\(name): \(loaded)")
        }
    }

    /// The engines read the overriding block: a wrong directive in it is refused.
    @Test func enginesRefuseABrokenBlock() throws {
        guard Self.enginesInstalled || ProcessInfo.processInfo.environment["CI"] != nil else { return }
        let set = try Self.overrides(
            haproxyGlobal: "global\n    nbthread not-a-number\n", pgbouncerTimeouts: "not_a_pgbouncer_setting = 1\n")
        let plan = try #require(try PlanTestSupport.plan(example: "primary-replicas.yaml", target: .local))
        let changed = Self.artifacts(plan, with: set)
        let haproxy = try #require(changed[ClusterLayout.haproxyPath])
        let folder = URL(fileURLWithPath: ClusterBackendSupport.write(haproxy, name: "haproxy.cfg")).deletingLastPathComponent()
        let check = Subprocess.run(["/usr/sbin/haproxy", "-c", "-f", "haproxy.cfg"], environment: [:], directory: folder)
        #expect(check.status != 0, "haproxy -c accepted nbthread not-a-number")
        let loaded = Self.pgbouncerLoad(try #require(changed[ClusterLayout.pgbouncerPath]))
        #expect(loaded.contains("unknown parameter"), "\(loaded)")
    }

    /// A value the artifact cannot hold is a located error, and the artifact is not written.
    @Test func missingValueInAnOverrideIsALocatedBuildError() throws {
        let set = try Self.overrides(haproxyGlobal: "global\n    maxconn {{maxconnections}}\n", pgbouncerTimeouts: "")
        let plan = try #require(try PlanTestSupport.plan(example: "single-node.yaml", target: .local))
        let (_, errors) = set.collectingErrors { CompilerDriver.artifacts(for: plan, only: ["haproxy"]) }
        #expect(errors.count == 1)
        #expect(
            errors.first?.description.hasSuffix("haproxy.cfg.mustache:4:13: error: the context has no value 'maxconnections' [TTP002]")
                == true, "\(errors)")
    }
}
