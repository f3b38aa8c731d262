import Testing

@testable import TopologyCompiler

/// What the kubernetes target (CloudNativePG) refuses, and only there (TKS001-TKS006).
struct KubernetesTargetCheckTests {
    private static let base = """
        topology: shop
        clusters:
          main: { members: 2 }
        tables:
          orders:
            columns: { id: bigint, placed_at: timestamptz }
            primary_key: id

        """

    private func codes(_ text: String, _ target: DeploymentTarget) -> [String] {
        PlanTestSupport.diagnostics(text, target: target).filter { $0.severity == .error }.map(\.code.code)
    }

    /// The base topology plans for every target, so each case below fails for its own reason.
    @Test func baseTopologyPlansEverywhere() {
        for target in DeploymentTarget.allCases {
            #expect(codes(Self.base, target).isEmpty, "\(target): \(codes(Self.base, target))")
        }
    }

    /// A cluster name too long for CloudNativePG's derived names (TKS001), at the cluster.
    @Test func longClusterNameIsRefused() {
        let long = String(repeating: "c", count: KubernetesNames.maxClusterNameLength + 1)
        let text = Self.base.replacingOccurrences(of: "  main: { members: 2 }", with: "  \(long): { members: 2 }")
        let found = PlanTestSupport.diagnostics(text, target: .kubernetes).filter { $0.code == .kubernetesName }
        #expect(found.count == 1)
        #expect(found.first?.rendered.contains("test.yaml:3:") == true, "\(found.map(\.rendered))")
        #expect(!codes(text, .compose).contains("TKS001"))
    }

    /// `pooling.mode: statement` (TKS003).
    @Test func statementPoolingIsRefused() {
        let text = Self.base + "pooling:\n  mode: statement\n"
        #expect(codes(text, .kubernetes).contains("TKS003"), "\(codes(text, .kubernetes))")
        #expect(!codes(text, .local).contains("TKS003"))
        #expect(CompilerDriver.compile(bytes: Array(text.utf8), file: "t.yaml", target: .kubernetes).plan == nil)
    }

    /// A scheduled view refresh needs pg_cron (TKS005), at the schedule.
    @Test func scheduledRefreshIsRefused() {
        let text =
            Self.base
            + "views:\n  daily:\n    materialized: true\n    query: SELECT id FROM orders\n    unique_key: id\n    refresh: { schedule: \"0 * * * *\" }\n"
        let found = PlanTestSupport.diagnostics(text, target: .kubernetes).filter { $0.code == .kubernetesExtensionUnavailable }
        #expect(found.count == 1, "\(PlanTestSupport.diagnostics(text, target: .kubernetes).map(\.rendered))")
        #expect(!codes(text, .compose).contains("TKS005"))
    }

    /// pg_partman premaking (TKS005): the timeseries example, refused on kubernetes only.
    @Test func partmanIsRefused() throws {
        let example = try String(contentsOf: PlanTestSupport.exampleURL("timeseries-range.yaml"), encoding: .utf8)
        let found = PlanTestSupport.diagnostics(example, target: .kubernetes).filter { $0.code == .kubernetesExtensionUnavailable }
        #expect(found.contains { $0.message.contains("pg_partman") })
        #expect(!codes(example, .local).contains("TKS005"))
    }

    /// `watchdog: required` (TKS006).
    @Test func requiredWatchdogIsRefused() {
        let text = Self.base.replacingOccurrences(of: "{ members: 2 }", with: "{ members: 2, failover: { watchdog: required } }")
        #expect(codes(text, .kubernetes).contains("TKS006"), "\(codes(text, .kubernetes))")
        #expect(!codes(text.replacingOccurrences(of: "required", with: "automatic"), .kubernetes).contains("TKS006"))
    }

    /// The settings CloudNativePG fixes, blocks or takes through its own field (TKS002). The
    /// language's `settings` are typed and cannot name one today, so the check is tested on the
    /// settings map it reads, and the plan of every example passes it.
    @Test func fixedParametersAreRefused() throws {
        let refused = CNPGLimits.refusedParameters([
            "port": "5433", "primary_conninfo": "host=x", "archive_mode": "off", "listen_addresses": "*",
            "shared_preload_libraries": "pg_cron", "max_connections": "100", "shared_buffers": "1GB",
        ])
        #expect(refused.map(\.name) == ["archive_mode", "listen_addresses", "port", "primary_conninfo", "shared_preload_libraries"])
        for name in try PlanTestSupport.exampleNames() {
            guard let plan = try PlanTestSupport.plan(example: name, target: .local) else { continue }
            for cluster in plan.clusters {
                #expect(CNPGLimits.refusedParameters(ClusterManifest.parameters(cluster).reduce(into: [:]) { $0[$1.0] = $1.1 }).isEmpty)
            }
        }
    }

    /// The PgBouncer parameters a Pooler may carry (TKS004): topoc's own pass, others do not.
    @Test func pgBouncerParametersFollowTheWebhook() {
        #expect(
            CNPGLimits.refusedPgBouncerParameters(["listen_port": "6432", "pool_mode": "statement", "max_client_conn": "10"]) == [
                "listen_port", "pool_mode",
            ])
        let pooler = PlanPooler(
            host: "h", port: 1, mode: "transaction", maxClientConnections: 10, readWritePoolSize: 5, readWriteReserve: 1,
            readOnlyPoolSize: 3, readOnlyReserve: 1, frontends: [], publishAddress: nil, version: "1.23",
            maxPreparedStatements: 100)
        #expect(CNPGLimits.refusedPgBouncerParameters(PoolerManifest.parameters(pooler, readOnly: false)).isEmpty)
        #expect(CNPGLimits.refusedPgBouncerParameters(PoolerManifest.parameters(pooler, readOnly: true)).isEmpty)
    }

    /// `topoc validate` checks compose and local unless told the kubernetes target.
    @Test func validateChecksKubernetesOnlyWhenAsked() {
        #expect(!DeploymentTarget.validatedByDefault.contains(.kubernetes))
    }

    /// Every TKS code is in the catalog with an explanation, and explainable.
    @Test func codesAreCatalogued() {
        for code in DiagnosticCode.kubernetesCodes {
            #expect(DiagnosticCatalog.lookup(code.code) == code)
            #expect(!code.explanation.isEmpty && code.source != nil)
        }
    }
}
