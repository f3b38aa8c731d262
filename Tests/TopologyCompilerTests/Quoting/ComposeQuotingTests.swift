import Foundation
import Testing
import TopologyLocalCluster

@testable import TopologyCompiler

/// ComposeQuoting: docker-compose's interpolation leaves a quoted value literal.
@Suite("Quoting: compose")
struct ComposeQuotingTests {
    @Test func dollarsAreDoubled() {
        #expect(ComposeQuoting.literal("plain") == "plain")
        #expect(ComposeQuoting.literal("${SECRET}") == "$${SECRET}")
        #expect(ComposeQuoting.literal("$$x$") == "$$$$x$$")
    }

    /// The environment `docker-compose config` runs with: the secret a naive file would leak.
    static let environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "SECRET": "leaked", "HOME": "/home/leaked", "X": "leaked"]

    /// Runs `docker-compose config` in a folder holding `compose` and returns the resolved
    /// document as PyYAML reads it, or nil when a program is missing.
    static func resolved(
        _ compose: String, variables: [String: String] = [:], sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> Any? {
        guard let program = QuotingTestSupport.program("/usr/bin/docker-compose", sourceLocation: sourceLocation) else { return nil }
        let folder = try QuotingTestSupport.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(compose.utf8).write(to: folder.appendingPathComponent("docker-compose.yml"))
        let result = Subprocess.run(
            [program, "config"], environment: environment.merging(variables) { $1 }, directory: folder, timeout: 60)
        #expect(result.status == 0, "\(result.error)", sourceLocation: sourceLocation)
        return ClusterBackendSupport.pyyaml(result.output)
    }

    /// `docker-compose config` prints its resolved file with every literal `$` escaped again as
    /// `$$`; undoing that gives the value the containers would see. Byte by byte: a `$` followed
    /// by a combining mark is still a `$` to compose.
    static func unescaped(_ value: Any?) -> String? {
        guard let text = value as? String else { return nil }
        var bytes: [UInt8] = []
        var afterDollar = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: "$"), afterDollar {
                afterDollar = false
                continue
            }
            afterDollar = byte == UInt8(ascii: "$")
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Every dollar-bearing hostile value, written through ComposeQuoting and the YAML emitter
    /// as an environment value, resolves to itself; none picks up the environment's secret.
    @Test func dockerComposeResolvesQuotedValuesToTheLiteral() throws {
        let values = QuotingTestSupport.hostile.filter { $0.utf8.contains(UInt8(ascii: "$")) } + ["${X}${X:-d}$X", "a$", "$${SECRET}"]
        let environment = values.enumerated().map { ("V\($0.offset)", DeployYAML.string(ComposeQuoting.literal($0.element))) }
        let compose = DeployYAML.mapping([
            ("version", .string("3.8")),
            ("services", .mapping([("probe", .mapping([("image", .string("busybox")), ("environment", .mapping(environment))]))])),
        ]).rendered()
        guard let document = try Self.resolved(compose) else { return }
        for (index, value) in values.enumerated() {
            let read = Self.unescaped(ClusterBackendSupport.dig(document, "services", "probe", "environment", "V\(index)"))
            #expect(read == value, "\(value.debugDescription) resolved to \(read.debugDescription)")
        }
    }

    /// The compose backend quotes every value: a plan whose sink bootstrap servers hold `${SECRET}`
    /// (the decoder refuses it; a plan built in code could hold it) keeps the text literal.
    @Test func theComposeFileKeepsPlanValuesLiteral() throws {
        var plan = try #require(ClusterBackendSupport.plan(target: .compose))
        let hostile = "kafka:9092,${SECRET}:1,$(touch pwned)"
        plan.replication.sink?.bootstrapServers = hostile
        let compose = ComposeFile.text(plan: plan)
        let variables = Dictionary(uniqueKeysWithValues: LocalSecrets.variables(of: plan).map { ($0, "set-by-test") })
        guard let document = try Self.resolved(compose, variables: variables) else { return }
        let read = Self.unescaped(ClusterBackendSupport.dig(document, "services", "connect", "environment", "BOOTSTRAP_SERVERS"))
        #expect(read == hostile)
        // The secrets' deliberate interpolations still resolve.
        let member = try #require(plan.clusters.first?.members.first?.name)
        let superuser = ClusterBackendSupport.dig(document, "services", member, "environment", ClusterLayout.patroniSuperuserPassword)
        #expect(superuser as? String == "set-by-test")
    }
}
