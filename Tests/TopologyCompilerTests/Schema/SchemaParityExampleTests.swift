import Foundation
import Testing

@testable import TopologyCompiler

/// The example topologies in examples/: each loads and plans for both targets, they can run side
/// by side on one machine, and together they use every feature of the language.
@Suite("SchemaParity: the example topologies")
struct SchemaParityExampleTests {
    static let directory = SchemaParityFixture.repository.appendingPathComponent("examples")

    /// Every `*.yaml` in examples/, sorted.
    static let files: [URL] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { directory.appendingPathComponent($0) }
    }()

    /// The examples of the documentation's patterns, each of which must exist.
    static let patternExamples = [
        "single-node.yaml", "primary-replicas.yaml", "saas-shared-schema.yaml", "saas-schema-per-tenant.yaml",
        "saas-database-per-tenant.yaml", "global-geo.yaml", "global-composite.yaml", "timeseries-range.yaml",
        "multi-primary-ap.yaml",
    ]

    static func load(_ url: URL) throws -> (text: String, topology: Topology) {
        let bytes = try [UInt8](Data(contentsOf: url))
        let result = TopologyLoader.load(bytes: bytes, file: "examples/\(url.lastPathComponent)")
        #expect(!result.diagnostics.hasErrors, "\(url.lastPathComponent): \(result.diagnostics.map(\.rendered))")
        let topology = try #require(result.topology, "\(url.lastPathComponent) does not load")
        return (String(decoding: bytes, as: UTF8.self), topology)
    }

    @Test("every pattern example exists")
    func patternExamplesExist() {
        let present = Set(Self.files.map(\.lastPathComponent))
        for name in Self.patternExamples {
            #expect(present.contains(name), "examples/\(name) is missing")
        }
    }

    @Test("each example loads without errors and plans for compose and local", arguments: files)
    func loadsAndPlans(_ url: URL) throws {
        let (_, topology) = try Self.load(url)
        for target in DeploymentTarget.validatedByDefault {
            var planner = Planner(topology: topology, target: target)
            let (plan, diagnostics) = planner.makePlan()
            #expect(!diagnostics.hasErrors, "\(url.lastPathComponent) (\(target)): \(diagnostics.map(\.rendered))")
            let resolved = try #require(plan, "\(url.lastPathComponent) has no \(target) plan")
            #expect(resolved.target == target)
            #expect(resolved.topology == topology.name.value)
            #expect(!resolved.clusters.isEmpty && !resolved.databases.isEmpty)
            // The whole pipeline too: rules, severity overrides and planning.
            let compiled = CompilerDriver.compile(
                bytes: try [UInt8](Data(contentsOf: url)), file: url.lastPathComponent, target: target)
            #expect(compiled.plan != nil, "\(url.lastPathComponent) (\(target)): \(compiled.diagnostics.map(\.rendered))")
        }
    }

    @Test("pattern examples say which pattern they show and point editors at the schema", arguments: patternExamples)
    func headerComments(_ name: String) throws {
        let text = try String(contentsOf: Self.directory.appendingPathComponent(name), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "# yaml-language-server: $schema=../schema/topology.schema.json")
        let header = lines.prefix { $0.hasPrefix("#") }
        #expect(header.contains { $0.hasPrefix("# Pattern: the guide's") }, "\(name) does not name its pattern")
    }

    @Test("the examples' local ports do not overlap, so they can run side by side")
    func distinctPorts() throws {
        var owner: [Int: String] = [:]
        for url in Self.files {
            let (_, topology) = try Self.load(url)
            var planner = Planner(topology: topology, target: .local)
            let plan = try #require(planner.makePlan().plan)
            var ports = plan.etcd.flatMap { [$0.clientPort, $0.peerPort] }
            ports += plan.clusters.flatMap(\.members).flatMap { [$0.port, $0.restPort] }
            ports += [plan.pooler.port] + plan.pooler.frontends.flatMap { [$0.readWritePort, $0.readOnlyPort] }
            #expect(Set(ports).count == ports.count, "\(url.lastPathComponent) uses a port twice")
            for port in ports {
                if let other = owner[port] {
                    Issue.record("port \(port) is used by \(other) and \(url.lastPathComponent)")
                }
                owner[port] = url.lastPathComponent
            }
        }
    }

    @Test("together, the examples use every feature of the language")
    func featureCoverage() throws {
        let loaded = try Self.files.map { try Self.load($0) }
        let topologies = loaded.map(\.topology)
        let tables = topologies.flatMap(\.tables)
        let indexes = tables.flatMap(\.indexes)

        #expect(Set(indexes.map(\.method.value)) == Set(IndexMethod.allCases))
        #expect(indexes.contains { $0.keys.count > 1 }, "a composite index")
        #expect(indexes.contains { !$0.include.isEmpty }, "a covering index (INCLUDE)")
        #expect(indexes.contains { $0.predicate != nil }, "a partial index (WHERE)")
        #expect(indexes.contains { $0.keys.contains { if case .expression = $0 { true } else { false } } }, "an expression index")
        #expect(indexes.contains { $0.unique?.value == true }, "a unique index")

        let partitionings = tables.compactMap(\.partitioning)
        #expect(Set(partitionings.map(\.method.value)) == Set(PartitionMethod.allCases))
        #expect(partitionings.contains { $0.interval?.value == .daily || $0.interval?.value == .weekly })
        #expect(partitionings.contains { $0.partman != nil && $0.defaultPartition?.value == true })
        #expect(partitionings.contains { !$0.ranges.isEmpty }, "explicit range partitions")

        #expect(tables.contains { !$0.verticalGroups.isEmpty }, "vertical groups")
        #expect(tables.contains { !$0.counters.isEmpty }, "counters")
        #expect(tables.contains { !$0.snapshots.isEmpty }, "snapshots")
        #expect(tables.contains { $0.shardKey != nil }, "a table shard_key")
        #expect(tables.contains { $0.uniqueConstraints.contains { $0.name != nil } }, "a named unique constraint")
        #expect(tables.flatMap(\.foreignKeys).contains { $0.columns.count > 1 }, "a composite foreign key")

        let views = topologies.flatMap(\.views)
        #expect(views.contains { $0.materialized.value } && views.contains { !$0.materialized.value })

        let captured = topologies.compactMap(\.cdc).flatMap(\.tables)
        #expect(Set(captured.map(\.method.value)) == Set(CaptureMethod.allCases))
        #expect(topologies.contains { $0.cdc?.sink != nil }, "a Debezium sink")

        #expect(Set(topologies.compactMap { $0.tenancy?.mode.value }) == Set(TenancyMode.allCases))
        #expect(topologies.contains { !$0.pooling.sessionFeatures.isEmpty }, "pooling session features")
        #expect(topologies.contains { $0.pooling.readOnly != nil }, "a read-only pool")
        #expect(topologies.contains { !$0.multiPrimaryGroups.isEmpty }, "a multi-primary group")

        let clusters = topologies.flatMap(\.clusters)
        #expect(Set(clusters.map(\.failover.watchdog.value)).isSuperset(of: [.automatic, .required]), "failover watchdog")
        #expect(clusters.flatMap(\.members).contains { $0.noFailover }, "a nofailover member")
        #expect(clusters.contains { $0.replication.mode.value == .synchronous })
        #expect(clusters.contains { $0.replication.mode.value == .asynchronous && $0.memberCount > 1 })

        let strategies = Set(topologies.compactMap { $0.sharding?.strategy.value })
        #expect(strategies.isSuperset(of: [.range, .geographic, .composite]))
        #expect(topologies.contains { !$0.regions.isEmpty && $0.regions.allSatisfy { !$0.roundTrips.isEmpty } }, "regions with rtt")

        // Suppressions with reasons on each kind of object that has findings to silence, and severity overrides.
        #expect(clusters.contains { !$0.suppressions.isEmpty }, "a cluster suppression")
        #expect(tables.contains { !$0.suppressions.isEmpty }, "a table suppression")
        #expect(indexes.contains { !$0.suppressions.isEmpty }, "an index suppression")
        #expect(captured.contains { !$0.suppressions.isEmpty }, "a captured-table suppression")
        #expect(topologies.contains { !$0.ruleSeverities.isEmpty }, "a rules: override")

        // Merge keys and x- anchors, and a distinct local base port per example.
        #expect(loaded.contains { $0.text.contains("\n  <<: *") || $0.text.contains("<<: *") })
        #expect(loaded.contains { $0.text.contains("\nx-") })
        let ports = topologies.map(\.deployment.localBasePort.value)
        #expect(Set(ports).count == ports.count, "base ports \(ports)")
    }
}
