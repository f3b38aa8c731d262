import Foundation
import Testing

@testable import TopologyCompiler

/// Backends run concurrently (``ConcurrentRendering``); what a build sees must not depend on it.
@Suite("concurrent rendering")
struct ConcurrentRenderingTests {
    @Test("template errors reach the caller in job order, whichever job finishes first")
    func errorsInJobOrder() {
        let jobs: [ConcurrentRendering.Job] = (0..<8).map { index in
            {
                // The first jobs finish last.
                usleep(UInt32(8 - index) * 3_000)
                TemplateSet.log(TemplateError(.templateUnknown, "job \(index)", file: "t.mustache", line: 1, column: 1))
                return [Artifact(path: "j\(7 - index)", contents: "\(index)", producer: "test")]
            }
        }
        let (artifacts, errors) = TemplateSet.bundled.collectingErrors { ConcurrentRendering.artifacts(of: jobs) }
        #expect(errors.map(\.diagnostic.message) == (0..<8).map { "job \($0)" })
        #expect(artifacts.map(\.path) == (0..<8).map { "j\($0)" })
    }

    @Test("every example's artifacts equal those of the backends run one after another", arguments: try PlanTestSupport.exampleNames())
    func sameAsSequential(_ name: String) throws {
        let plan = try #require(try PlanTestSupport.plan(example: name, target: .compose))
        let sequential = BackendRegistry.all.flatMap { $0.artifacts(for: plan) }.sorted { $0.path < $1.path }
        let concurrent = CompilerDriver.artifacts(for: plan, only: [])
        #expect(concurrent.map(\.path) == sequential.map(\.path))
        #expect(concurrent.map(\.contents) == sequential.map(\.contents))
    }

    /// The kubernetes backend is made from the PostgreSQL backend's scripts: in a build of both,
    /// they render once, in one job; alone, the kubernetes backend renders them itself.
    @Test("a derived backend with its input, or alone, writes what each backend run on its own writes")
    func derivedBackend() throws {
        var compiled = 0
        for name in try PlanTestSupport.exampleNames() {
            let text = try String(contentsOf: PlanTestSupport.exampleURL(name), encoding: .utf8)
            // Three examples are refused by the kubernetes target (scripts/check-cnpg.sh checks why).
            guard let plan = CompilerDriver.compile(bytes: Array(text.utf8), file: name, target: .kubernetes).plan else { continue }
            compiled += 1
            let alone = (PostgresBackend().artifacts(for: plan) + KubernetesBackend().artifacts(for: plan)).sorted { $0.path < $1.path }
            #expect(alone.contains { $0.path.hasPrefix("kubernetes/schema/") }, "\(name)")
            let both = CompilerDriver.artifacts(for: plan, only: ["postgres", "kubernetes"])
            #expect(both.map(\.path) == alone.map(\.path), "\(name)")
            #expect(both.map(\.contents) == alone.map(\.contents), "\(name)")
            let kubernetesOnly = CompilerDriver.artifacts(for: plan, only: ["kubernetes"])
            #expect(kubernetesOnly.map(\.path) == alone.filter { $0.path.hasPrefix("kubernetes/") }.map(\.path), "\(name)")
        }
        #expect(compiled >= 5, "examples the kubernetes target accepts")
    }

    /// Counts the renderings of ``Input``.
    final class Renderings: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var total: Int { lock.withLock { count } }
        func add() { lock.withLock { count += 1 } }
    }

    struct Input: Backend {
        let renderings: Renderings
        var name: String { "test-input" }
        var summary: String { "" }
        func artifacts(for plan: Plan) -> [Artifact] {
            renderings.add()
            return [Artifact(path: "input/\(plan.topology)", contents: "made once", producer: name)]
        }
    }

    struct Derived: DerivedBackend {
        let renderings: Renderings
        /// Whether it reads its input (for every plan).
        var reads = true
        /// The folder of its artifacts, which tells two of them apart.
        var folder = "derived"
        var name: String { "test-\(folder)" }
        var summary: String { "" }
        var input: any Backend { Input(renderings: renderings) }
        func needsInput(for plan: Plan) -> Bool { reads }
        func artifacts(for plan: Plan) -> [Artifact] {
            var artifacts: [Artifact] = []
            render(for: plan, deliverInput: { _ in }, deliver: { artifacts += $0 })
            return artifacts
        }
        /// The input in one batch, then one batch per input artifact.
        func render(for plan: Plan, deliverInput: ([Artifact]) -> Void, deliver: ([Artifact]) -> Void) {
            guard reads else { return }
            let input = input.artifacts(for: plan)
            deliverInput(input)
            for artifact in input {
                deliver([Artifact(path: "\(folder)/\(artifact.path)", contents: artifact.contents, producer: name)])
            }
        }
    }

    @Test("a derived backend's input renders once when both run, and the derived one alone renders it itself")
    func inputRendersOnce() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "ecommerce.yaml"))
        let renderings = Renderings()
        let both = ConcurrentRendering.artifacts(
            of: [Input(renderings: renderings), Derived(renderings: renderings), PlanJSONBackend()], for: plan)
        #expect(renderings.total == 1)
        #expect(both.filter { $0.producer.hasPrefix("test-") }.map(\.path) == ["derived/input/\(plan.topology)", "input/\(plan.topology)"])
        let alone = ConcurrentRendering.artifacts(of: [Derived(renderings: renderings)], for: plan)
        #expect(renderings.total == 2)
        #expect(alone.map(\.path) == ["derived/input/\(plan.topology)"])
    }

    /// Only the first backend made from an input renders with it; a second renders the input
    /// again, on its own, and writes only its own artifacts.
    @Test("two backends made from one input: the first renders with it, the second alone")
    func twoDerivedBackends() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "ecommerce.yaml"))
        let renderings = Renderings()
        let all = ConcurrentRendering.artifacts(
            of: [
                Input(renderings: renderings), Derived(renderings: renderings),
                Derived(renderings: renderings, folder: "second"),
            ],
            for: plan)
        #expect(renderings.total == 2)
        #expect(
            all.map(\.path) == ["derived/input/\(plan.topology)", "input/\(plan.topology)", "second/input/\(plan.topology)"])
    }

    /// The kubernetes backend reads the PostgreSQL scripts only for the kubernetes target: for
    /// another, each renders on its own and the input is not rendered for it.
    @Test("a derived backend that does not read its input for a plan leaves the input to its own job")
    func derivedWithoutInput() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "ecommerce.yaml"))
        let renderings = Renderings()
        let both = ConcurrentRendering.artifacts(
            of: [Input(renderings: renderings), Derived(renderings: renderings, reads: false)], for: plan)
        #expect(renderings.total == 1)
        #expect(both.map(\.path) == ["input/\(plan.topology)"])
        let alone = ConcurrentRendering.artifacts(of: [Derived(renderings: renderings, reads: false)], for: plan)
        #expect(renderings.total == 1)
        #expect(alone.isEmpty)
        #expect(!KubernetesBackend().needsInput(for: plan))
        let kubernetes = try #require(try PlanTestSupport.plan(example: "global-composite.yaml", target: .kubernetes))
        #expect(KubernetesBackend().needsInput(for: kubernetes))
    }

    @Test("each backend's artifacts are handed on when it has made them, the plan's and the routing table's one by one")
    func deliveredPerBackend() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "ecommerce.yaml"))
        let deliveries = ArtifactBatches()
        ConcurrentRendering.render(of: [PlanJSONBackend(), RoutingBackend(), PostgresBackend()], for: plan) { deliveries.add($0) }
        let producers = deliveries.all.map { Set($0.map(\.producer)) }.sorted { $0.sorted().joined() < $1.sorted().joined() }
        #expect(producers == [["plan"], ["postgres"], ["routing"]])
        let gathered = ConcurrentRendering.artifacts(of: [PlanJSONBackend(), RoutingBackend(), PostgresBackend()], for: plan)
        #expect(deliveries.all.joined().sorted { $0.path < $1.path } == gathered)
    }

    /// Patroni's files come in parts of ``PatroniBackend/clustersPerPart`` clusters, each handed on
    /// when made: at 130 shards three parts, every cluster's four files in exactly one, together
    /// the backend's artifacts; the multi-primary example's peer passfile script once, in its last
    /// part.
    @Test("a partitioned backend's parts are handed on one by one and together are its artifacts")
    func partitionedBackend() throws {
        let plan = try PlanTestSupport.shards(130)
        let backend = PatroniBackend()
        #expect(backend.partCount(for: plan) == 3)
        let parts = (0..<3).map { backend.artifacts(for: plan, part: $0) }
        #expect(parts.map(\.count) == [64 * 4, 64 * 4, 2 * 4])
        #expect(Array(parts.joined()) == backend.artifacts(for: plan))
        #expect(Set(parts.joined().map(\.path)).count == 130 * 4)
        for (index, part) in parts.enumerated() {
            let clusters = Set(part.map { $0.path.split(separator: "/").dropLast().last.map(String.init) ?? "" })
            let expected = Set(plan.clusters.dropFirst(index * 64).prefix(64).map(\.name))
            #expect(clusters == expected, "part \(index)")
        }
        let deliveries = ArtifactBatches()
        ConcurrentRendering.render(of: [backend], for: plan) { deliveries.add($0) }
        #expect(deliveries.all.map(\.count) == [256, 256, 8])
        #expect(Array(deliveries.all.joined()) == backend.artifacts(for: plan))

        let multiPrimary = try #require(try PlanTestSupport.plan(example: "multi-primary-ap.yaml"))
        let passfile = ClusterLayout.peerPassfileScriptPath
        let last = backend.partCount(for: multiPrimary) - 1
        #expect(backend.artifacts(for: multiPrimary, part: last).filter { $0.path == passfile }.count == 1)
        #expect(backend.artifacts(for: multiPrimary).filter { $0.path == passfile }.count == 1)
    }

    @Test(
        "a build staged backend by backend writes exactly what the gathered artifacts write",
        arguments: ["ecommerce.yaml", "saas-schema-per-tenant.yaml"])
    func stagedBuildEqualsGathered(_ name: String) throws {
        let text = try String(contentsOf: PlanTestSupport.exampleURL(name), encoding: .utf8)
        let compilation = CompilerDriver.compile(bytes: Array(text.utf8), file: name, target: .compose)
        let plan = try #require(compilation.plan)
        let gathered = SwiftRouterBuild.artifacts(plan: plan, only: [], fileName: nil) { compilation.plan(for: $0) }
        try OutputTestKit.withScratch { out in
            let writer = OutputWriter(directory: out, generator: "t")
            let staging = try writer.makeStaging()
            SwiftRouterBuild.stage(plan: plan, only: [], fileName: nil, into: staging) { compilation.plan(for: $0) }
            let report = try writer.write(staged: staging)
            #expect(report.written == gathered.map(\.path))
            for artifact in gathered {
                let bytes = FileManager.default.contents(atPath: out.appendingPathComponent(artifact.path).path).map { Array($0) }
                #expect(bytes == artifact.contents, "\(artifact.path)")
            }
            #expect(!OutputTestKit.listing(out).contains { $0.contains(OutputWriter.temporaryPrefix) })
        }
        // plan.json and routing.json are staged piece by piece only when the build makes them.
        for only in [["plan"], ["postgres"], ["routing"], ["routing", "plan"]] {
            let gathered = SwiftRouterBuild.artifacts(plan: plan, only: only, fileName: nil) { compilation.plan(for: $0) }
            try OutputTestKit.withScratch { out in
                let writer = OutputWriter(directory: out, generator: "t")
                let staging = try writer.makeStaging()
                SwiftRouterBuild.stage(plan: plan, only: only, fileName: nil, into: staging) { compilation.plan(for: $0) }
                #expect(try writer.write(staged: staging).written == gathered.map(\.path), "\(only)")
                #expect(OutputTestKit.exists(out, PlanJSONBackend.fileName) == only.contains("plan"), "\(only)")
                #expect(OutputTestKit.exists(out, RoutingBackend.fileName) == only.contains("routing"), "\(only)")
            }
        }
    }

    /// The batches a rendering handed on, from any thread.
    final class ArtifactBatches: @unchecked Sendable {
        private let lock = NSLock()
        private var batches: [[Artifact]] = []
        var all: [[Artifact]] { lock.withLock { batches } }
        func add(_ batch: [Artifact]) { lock.withLock { batches.append(batch) } }
    }
}
