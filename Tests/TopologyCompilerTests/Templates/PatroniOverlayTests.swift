import Foundation
import Testing
import TopologyLocalCluster

@testable import TopologyCompiler

/// The `patroni.yml` overlay: its keys reach every member's configuration, Patroni's own
/// validator finds nothing new in the result, and the keys topoc owns cannot be set.
@Suite("patroni overlay")
struct PatroniOverlayTests {
    static func set(_ overlay: String) throws -> TemplateSet {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("topoc-overlay-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "{{<patroni.yml}}\n{{$overlay}}\n\(overlay){{/overlay}}\n{{/patroni.yml}}\n".write(
            to: folder.appendingPathComponent("patroni.yml.mustache"), atomically: true, encoding: .utf8)
        return try TemplateSet.loading(directory: folder.path)
    }

    static let overlay = """
        log:
          level: WARNING
        postgresql:
          parameters:
            log_min_duration_statement: 250
          callbacks:
            on_role_change: /usr/local/bin/notify-{{member}}.sh

        """

    /// The member configurations of a plan, by path.
    static func configs(_ plan: Plan, with set: TemplateSet) -> [String: String] {
        let (artifacts, errors) = set.collectingErrors { CompilerDriver.artifacts(for: plan, only: ["patroni"]) }
        #expect(errors.isEmpty, "\(errors.map(\.description))")
        let members = Set(plan.clusters.flatMap { cluster in cluster.members.map { "cluster/patroni/\(cluster.name)/\($0.name).yml" } })
        return Dictionary(
            uniqueKeysWithValues: artifacts.filter { members.contains($0.path) }.map {
                ($0.path, String(decoding: $0.contents, as: UTF8.self))
            })
    }

    /// `patroni --validate-config`'s complaints, without the ones about this machine (addresses
    /// on loopback, unreachable etcd, missing folders), which the bundled configuration has too.
    static func complaints(_ config: String) -> Set<String> {
        let path = ClusterBackendSupport.write(config, name: "member.yml")
        let run = Subprocess.run(["/usr/bin/patroni", "--validate-config", path], environment: ["PATH": "/usr/bin:/bin"], timeout: 60)
        return Set((run.output + run.error).split(separator: "\n").map(String.init))
    }

    @Test(arguments: try PlanTestSupport.exampleNames())
    func overlayReachesEveryMemberAndPatroniFindsNothingNew(_ name: String) throws {
        let set = try Self.set(Self.overlay)
        let validate = FileManager.default.isExecutableFile(atPath: "/usr/bin/patroni") || ProcessInfo.processInfo.environment["CI"] != nil
        for target in [DeploymentTarget.compose, .local] {
            let plan = try #require(try PlanTestSupport.plan(example: name, target: target))
            let bundled = Self.configs(plan, with: .bundled)
            let changed = Self.configs(plan, with: set)
            #expect(!changed.isEmpty && Set(changed.keys) == Set(bundled.keys))
            for (path, config) in changed.sorted(by: { $0.key < $1.key }) {
                let member = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
                #expect(config.contains("\nlog:\n  level: WARNING\n"), "\(path)")
                #expect(config.contains("    log_min_duration_statement: 250\n"), "\(path)")
                #expect(config.contains("    on_role_change: /usr/local/bin/notify-\(member).sh\n"), "\(path)")
                let original = try #require(bundled[path])
                #expect(original.hasPrefix(String(config.prefix(while: { $0 != "\n" }))), "the header stays")
                // One member per example on the local target: the validator waits ~4 s for etcd each run.
                guard validate, target == .local, path == changed.keys.sorted().first else { continue }
                let before = Self.complaints(original)
                let after = Self.complaints(config)
                #expect(
                    after.subtracting(before).isEmpty, "\(name) \(target.rawValue): patroni --validate-config: \(after.subtracting(before))"
                )
            }
        }
    }

    /// Patroni's validator reads the overlay's keys: a wrong value there is a new complaint.
    @Test func patroniRefusesAWrongOverlayValue() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/patroni") || ProcessInfo.processInfo.environment["CI"] != nil else {
            return
        }
        let plan = try #require(try PlanTestSupport.plan(example: "primary-replicas.yaml", target: .local))
        let bundled = try #require(Self.configs(plan, with: .bundled).sorted { $0.key < $1.key }.first?.value)
        let broken = try #require(
            Self.configs(plan, with: try Self.set("postgresql:\n  use_pg_rewind: not-a-boolean\n")).sorted { $0.key < $1.key }.first?
                .value)
        #expect(!Self.complaints(broken).subtracting(Self.complaints(bundled)).isEmpty, "patroni accepted use_pg_rewind: not-a-boolean")
    }

    @Test func ownedKeysAreLocatedErrors() throws {
        let set = try Self.set(
            "scope: other\nbootstrap:\n  dcs:\n    synchronous_mode: false\n    slots: {}\nrestapi: plain\ntags:\n  nosync: true\n")
        let plan = try #require(try PlanTestSupport.plan(example: "single-node.yaml", target: .local))
        let (artifacts, errors) = set.collectingErrors { CompilerDriver.artifacts(for: plan, only: ["patroni"]) }
        let lines = errors.map(\.description)
        #expect(lines.count == 5, "\(lines)")
        #expect(
            lines.contains {
                $0.hasSuffix(
                    ":1:1: error: 'scope' is owned by topoc (derived from the topology) and cannot be overridden (member main-0) [TTP005]")
            }, "\(lines)")
        #expect(
            lines.contains {
                $0.hasSuffix(
                    ":4:5: error: 'bootstrap.dcs.synchronous_mode' is owned by topoc (derived from the topology) and cannot be overridden (member main-0) [TTP005]"
                )
            }, "\(lines)")
        #expect(lines.contains { $0.contains("'bootstrap.dcs.slots' is owned by topoc") }, "\(lines)")
        #expect(lines.contains { $0.contains("'restapi' holds keys topoc owns") }, "\(lines)")
        #expect(lines.contains { $0.contains("'tags.nosync' is owned by topoc") }, "\(lines)")
        #expect(lines.allSatisfy { $0.contains("patroni.yml.mustache:") }, "located in the override file")
        let config = try #require(artifacts.first { $0.path.hasSuffix("main-0.yml") })
        #expect(!String(decoding: config.contents, as: UTF8.self).contains("scope: other"))
    }
}
