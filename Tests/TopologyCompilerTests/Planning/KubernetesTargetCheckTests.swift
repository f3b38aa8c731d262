import Testing

@testable import TopologyCompiler

/// What the kubernetes target (CloudNativePG) refuses, and only there (TKS001, TKS003, TKS005-TKS007).
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

    /// Why TKS002 (fixed settings) was retired: no key of the language's typed `settings` is a
    /// parameter CloudNativePG fixes or takes through its own field, nor is any setting the plan of
    /// an example gives a cluster. A new settings key on those lists fails here.
    @Test func noSettingCanNameAFixedParameter() throws {
        #expect(
            CNPGLimits.refusedParameters(["port": "5433", "shared_preload_libraries": "x"]).map(\.name) == [
                "port", "shared_preload_libraries",
            ])
        let keys = Dictionary(uniqueKeysWithValues: GrammarSection.settings.keys.map { ($0, "1") })
        #expect(CNPGLimits.refusedParameters(keys).isEmpty, "\(CNPGLimits.refusedParameters(keys))")
        for name in try PlanTestSupport.exampleNames() {
            guard let plan = try PlanTestSupport.plan(example: name, target: .local) else { continue }
            for cluster in plan.clusters {
                #expect(CNPGLimits.refusedParameters(ClusterManifest.parameters(cluster).reduce(into: [:]) { $0[$1.0] = $1.1 }).isEmpty)
            }
        }
    }

    /// Why TKS004 (PgBouncer parameters) was retired: the Pooler carries only parameters topoc
    /// writes itself, and every one is on the webhook's list.
    @Test func everyPoolerParameterIsOnTheWebhookList() {
        #expect(CNPGLimits.refusedPgBouncerParameters(["listen_port": "6432", "max_client_conn": "10"]) == ["listen_port"])
        let pooler = PlanPooler(
            host: "h", port: 1, mode: .transaction, maxClientConnections: 10, readWritePoolSize: 5, readWriteReserve: 1,
            readOnlyPoolSize: 3, readOnlyReserve: 1, frontends: [], publishAddress: nil, version: "1.23",
            maxPreparedStatements: 100)
        #expect(CNPGLimits.refusedPgBouncerParameters(PoolerManifest.parameters(pooler, readOnly: false)).isEmpty)
        #expect(CNPGLimits.refusedPgBouncerParameters(PoolerManifest.parameters(pooler, readOnly: true)).isEmpty)
        #expect(!DiagnosticCode.kubernetesCodes.contains { $0.code == "TKS002" || $0.code == "TKS004" })
    }

    /// Backups with only a pgBackRest folder (TKS007), at the repository; quiet with an object
    /// store, and on the other targets.
    @Test func backupsNeedAnObjectStore() {
        let posix = Self.base + "backup:\n  repository: /srv/pgbackrest\n"
        let found = PlanTestSupport.diagnostics(posix, target: .kubernetes).filter { $0.code == .kubernetesBackupRepository }
        #expect(found.count == 1)
        #expect(found.first?.rendered.contains("test.yaml:9:15: error:") == true, "\(found.map(\.rendered))")
        #expect(found.first?.rendered.hasSuffix("[TKS007]") == true)
        #expect(codes(Self.base + "backup: {}\n", .kubernetes) == ["TKS007"])
        #expect(!codes(posix, .local).contains("TKS007"))
        let store = posix + "deployment:\n  kubernetes:\n    backup_repository: { kind: s3, destination: s3://shop-backups/pg }\n"
        #expect(codes(store, .kubernetes).isEmpty, "\(codes(store, .kubernetes))")
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
